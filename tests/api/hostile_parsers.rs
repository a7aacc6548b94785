//! One request must never kill the server or be run on half a body: JSONPath nesting
//! and evaluation bombs, JSON Patch growth, bodies cut off mid-way (over raw sockets),
//! and the no-sniffing header on every API format.
//!
//! The servers run on multi-threaded runtimes so that a request which burns CPU on the
//! server cannot also stop the test's own timeout from firing.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{Req, Resp, TestServer};
use crate::todos_support::*;

/// How long any of these requests may take before the test counts it as a hang. The
/// refused ones are answered in milliseconds; before the limits they took minutes.
const PATIENCE: Duration = Duration::from_secs(10);

async fn send_in_time(req: Req, what: &str) -> Resp {
    tokio::time::timeout(PATIENCE, req.send())
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {PATIENCE:?}"))
}

fn jsonpath(c: &Ctx<'_>, expr: &str) -> Req {
    c.req("QUERY", "/todos")
        .header("Content-Type", "application/jsonpath")
        .body(expr.to_string())
}

/// The server still answers, and the learner's todos are as they were.
async fn still_serving(c: &Ctx<'_>, before: &str) {
    let beat = send_in_time(c.s.get("/api/heartbeat"), "heartbeat").await;
    assert_eq!(beat.status, 204);
    assert_eq!(c.snapshot().await, before, "the todos changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jsonpath_of_900_nested_parentheses_is_400_and_the_server_lives() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    let expr = format!("$.todos[?{}@.id==1{}]", "(".repeat(900), ")".repeat(900));
    let r = send_in_time(jsonpath(&c, &expr), "900 parentheses").await;
    assert_error(
        &r,
        400,
        "JSONPath expression nested too deeply: at most 16 levels of brackets and parentheses",
    );
    still_serving(&c, &before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jsonpath_of_24_nested_filters_is_400_at_once() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    let n = 24;
    let expr = format!("$.todos[?{}@{}]", "@[?".repeat(n), "]".repeat(n));
    assert_eq!(expr.len(), 107);
    let r = send_in_time(jsonpath(&c, &expr), "24 nested filters").await;
    assert_error(
        &r,
        400,
        "JSONPath filters nested too deeply: at most 3 filters inside one another",
    );
    still_serving(&c, &before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jsonpath_whose_evaluation_multiplies_is_400() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    // Each absolute descendant query inside a filter runs once per node of the
    // document: 52 nodes to the power 3.
    let r = send_in_time(jsonpath(&c, "$..[?$..[?$..[?@]]]"), "descendant filters").await;
    assert_error(
        &r,
        400,
        "JSONPath query too costly to evaluate: use fewer descendant segments, wildcards or nested filters",
    );
    // One level less is cheap and runs.
    let fine = send_in_time(jsonpath(&c, "$..[?$..[?@.id]]"), "two levels").await;
    assert_eq!(fine.status, 422, "{}", fine.text());
    let everyday = send_in_time(
        jsonpath(&c, "$.todos[?(@.doneStatus == false && (@.id < 3))]"),
        "an everyday filter",
    )
    .await;
    assert_eq!(everyday.status, 200);
    assert_eq!(resp_ids(&everyday), vec![1, 2]);
    still_serving(&c, &before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_jsonpath_brackets_and_xml_errors_follow_the_accept_header() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let expr = format!("${}", "[0]".repeat(3) + &"[".repeat(100) + &"]".repeat(100));
    let r = send_in_time(
        jsonpath(&c, &expr).header("Accept", "application/xml"),
        "deep brackets",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(
        r.text().contains("JSONPath expression nested too deeply"),
        "{}",
        r.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_patch_of_doubling_copies_is_400_and_changes_nothing() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    // 2^110 values if every copy were applied.
    let copies: Vec<String> = (0..110)
        .map(|n| format!(r#"{{"op":"copy","from":"","path":"/c{n}"}}"#))
        .collect();
    let body = format!("[{}]", copies.join(","));
    assert!(body.len() < 5000);
    let r = send_in_time(
        c.req("PATCH", "/todos/1")
            .header("Content-Type", "application/json-patch+json")
            .body(body),
        "doubling copies",
    )
    .await;
    assert_error(
        &r,
        400,
        "JSON Patch result too large: at most 5000 values nested at most 128 deep",
    );
    still_serving(&c, &before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_lenient_json_is_400_on_the_classic_profile() {
    let s = TestServer::with(|c| c.profile = apichallenges::config::ProfileName::Classic).await;
    for body in ["[".repeat(4900), "{a:".repeat(1600), "{'a':[".repeat(800)] {
        let r = send_in_time(
            s.req("POST", "/todos")
                .header("Content-Type", "application/json")
                .body(body.clone()),
            "deep lenient JSON",
        )
        .await;
        assert_eq!(r.status, 400, "{:.20}: {}", body, r.text());
    }
    let beat = send_in_time(s.get("/heartbeat"), "heartbeat").await;
    assert_eq!(beat.status, 204);
}

// ---------------------------------------------------------------------------------
// Bodies that do not arrive whole, over a raw socket
// ---------------------------------------------------------------------------------

const TITLE: &str = "cut-off body";

/// Send `raw` bytes, then close our side; returns what the server answered before it
/// closed too.
async fn send_raw_then_close(s: &TestServer, raw: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(s.handle.addr).await.unwrap();
    stream.write_all(raw).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server should answer or close");
    answer
}

/// The server refused the body with a 400 error body (closing the connection, whose
/// framing is lost) and stored nothing.
async fn assert_refused_and_nothing_stored(s: &TestServer, what: &str, answer: &[u8]) {
    let text = String::from_utf8_lossy(answer);
    assert!(text.starts_with("HTTP/1.1 400"), "{what}: {text}");
    assert!(text.contains("connection: close"), "{what}: {text}");
    assert!(
        text.ends_with(r#"{"errorMessages":["Request body was not received in full"]}"#),
        "{what}: {text}"
    );
    let list = send_in_time(s.get("/api/todos"), "list").await;
    assert_eq!(list.status, 200);
    assert!(!list.text().contains(TITLE), "{what}: a todo was created");
    assert_eq!(ids_of(&list.text()).len(), 10, "{what}: the todos changed");
}

fn whole_body() -> String {
    format!(r#"{{"title":"{TITLE}"}}"#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_with_a_bad_chunk_size_line_is_never_run() {
    let s = TestServer::single().await;
    let body = whole_body();
    let raw = format!(
        "POST /api/todos HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\nZZ-not-a-size\r\n\r\n",
        body.len()
    );
    let answer = send_raw_then_close(&s, raw.as_bytes()).await;
    assert_refused_and_nothing_stored(&s, "bad chunk size", &answer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_cut_off_by_eof_is_never_run() {
    let s = TestServer::single().await;
    let body = whole_body();
    // The whole JSON arrives in one chunk, but the terminating zero chunk never does.
    let raw = format!(
        "POST /api/todos HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n",
        body.len()
    );
    let answer = send_raw_then_close(&s, raw.as_bytes()).await;
    assert_refused_and_nothing_stored(&s, "chunked EOF", &answer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_shorter_than_its_content_length_is_never_run() {
    let s = TestServer::single().await;
    let body = format!("{:<20}", r#"{"title":"cut-off"}"#);
    assert_eq!(body.len(), 20);
    let raw = format!(
        "POST /api/todos HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{body}"
    );
    let answer = send_raw_then_close(&s, raw.as_bytes()).await;
    let list = send_in_time(s.get("/api/todos"), "list").await;
    assert!(!list.text().contains("cut-off"), "a todo was created");
    assert_refused_and_nothing_stored(&s, "short Content-Length", &answer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_update_changes_nothing() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    let body = whole_body();
    let raw = format!(
        "PUT /api/todos/1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Accept: application/xml\r\nContent-Length: {}\r\n\r\n{body}",
        body.len() + 40
    );
    let answer = send_raw_then_close(&s, raw.as_bytes()).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("content-type: application/xml"), "{text}");
    assert!(
        text.contains("<errorMessage>Request body was not received in full</errorMessage>"),
        "{text}"
    );
    assert_eq!(c.snapshot().await, before, "the update was applied");
}

// ---------------------------------------------------------------------------------
// X-Content-Type-Options
// ---------------------------------------------------------------------------------

fn assert_nosniff(r: &Resp, what: &str) {
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}: {:?}",
        r.headers
    );
}

#[tokio::test]
async fn every_api_format_is_sent_with_nosniff() {
    let s = TestServer::single().await;
    for (path, accept) in [
        ("/api/todos", "application/json"),
        ("/api/todos", "application/xml"),
        ("/api/todos/1", "text/calendar"),
        ("/api/todos", "text/csv"),
        ("/api/todos/export?format=csv", "*/*"),
        ("/api/todos/999", "application/json"),
        ("/api/challenges", "application/json"),
        ("/api/heartbeat", "*/*"),
    ] {
        let r = s.get(path).header("Accept", accept).send().await;
        assert_nosniff(&r, &format!("{path} {accept} ({})", r.status));
    }
    let refused = s
        .req("POST", "/api/todos")
        .json("{")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(refused.status, 400);
    assert_nosniff(&refused, "a 400");
}

#[tokio::test]
async fn the_classic_profile_sends_nosniff_too() {
    let s = TestServer::with(|c| c.profile = apichallenges::config::ProfileName::Classic).await;
    for path in [
        "/todos",
        "/todos/1",
        "/challenges",
        "/heartbeat",
        "/todos/999",
    ] {
        let r = s.get(path).send().await;
        assert_nosniff(&r, &format!("classic {path} ({})", r.status));
    }
}
