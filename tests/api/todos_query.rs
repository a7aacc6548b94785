//! The QUERY method: form, JSONPath and structured JSON bodies, chosen by Content-Type
//! (challenges #42-#44).

use crate::common::{Resp, TestServer};
use crate::todos_support::*;

const FORM: &str = "application/x-www-form-urlencoded";
const JSONPATH: &str = "application/jsonpath";
const STRUCTURED: &str = "application/vnd.thingifier.query+json";

async fn query(c: &Ctx<'_>, content_type: &str, body: &str) -> Resp {
    c.req("QUERY", "/todos")
        .header("Content-Type", content_type)
        .header("Accept", "application/json")
        .body(body)
        .send()
        .await
}

fn done_list(id: u64, title: &str) -> String {
    format!(r#"{{"todos":[{}]}}"#, todo_json(id, title, true, ""))
}

#[tokio::test]
async fn form_query_completes_42() {
    let title = "QUERY /api/todos (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the store has no done todo yet.
        let r = query(&c, FORM, "doneStatus=true").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), r#"{"todos":[]}"#);
        c.not_done(title).await;

        let id = c.create_done("finished").await;
        let r = query(&c, FORM, "doneStatus=true").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.header("accept-query"), Some(ACCEPT_QUERY));
        assert_eq!(r.text(), done_list(id, "finished"));
        c.done(title).await;
    }
}

#[tokio::test]
async fn form_query_supports_the_url_syntax() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = query(&c, FORM, "id>7").await;
    assert_eq!(resp_ids(&r), vec![8, 9, 10]);
    let r = query(&c, FORM, "_sortBy=-id&_limit=3").await;
    assert_eq!(resp_ids(&r), vec![10, 9, 8]);
    let r = query(&c, &format!("{FORM}; charset=utf-8"), "title=pay+invoices").await;
    assert_eq!(resp_ids(&r), vec![5]);
    let r = query(&c, FORM, "").await;
    assert_eq!(resp_ids(&r), (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn jsonpath_query_completes_43() {
    let title = "QUERY /api/todos (200) JSONPath";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let id = c.create_done("finished").await;
        // Near-miss: a JSONPath that does not mention doneStatus.
        let r = query(&c, JSONPATH, "$.todos[?(@.id == 11)]").await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), done_list(id, "finished"));
        c.not_done(title).await;

        let r = query(&c, JSONPATH, "$.todos[?(@.doneStatus == true)]").await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("accept-query"), Some(ACCEPT_QUERY));
        assert_eq!(r.text(), done_list(id, "finished"));
        c.done(title).await;
    }
}

#[tokio::test]
async fn structured_query_completes_44() {
    let title = "QUERY /api/todos (200) Structured JSON";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let id = c.create_done("finished").await;
        // Near-miss: a structured filter on another field.
        let r = query(
            &c,
            STRUCTURED,
            r#"{"filter":{"id":{"greaterThan":1,"lessThan":5}}}"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(resp_ids(&r), vec![2, 3, 4]);
        c.not_done(title).await;

        let r = query(&c, STRUCTURED, r#"{"filter":{"doneStatus":true}}"#).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), done_list(id, "finished"));
        c.done(title).await;
    }
}

#[tokio::test]
async fn structured_query_filters_sorts_and_pages() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = query(
        &c,
        STRUCTURED,
        r#"{"filter":{"title":{"contains":"paper"}}}"#,
    )
    .await;
    assert_eq!(resp_ids(&r), vec![1, 2]);
    let r = query(
        &c,
        STRUCTURED,
        r#"{"sort":[{"field":"id","direction":"desc"}],"limit":5,"offset":0}"#,
    )
    .await;
    assert_eq!(resp_ids(&r), vec![10, 9, 8, 7, 6]);
    let r = query(&c, STRUCTURED, r#"{"limit":2,"offset":3}"#).await;
    assert_eq!(resp_ids(&r), vec![4, 5]);
    let r = query(&c, STRUCTURED, "{}").await;
    assert_eq!(resp_ids(&r), (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn query_answers_in_the_negotiated_format() {
    let s = TestServer::single().await;
    let r = s
        .req("QUERY", "/todos")
        .header("Content-Type", FORM)
        .header("Accept", "application/xml")
        .body("id=2")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(r.text(), seed_list_xml([2]));
}

#[tokio::test]
async fn missing_content_type_is_400() {
    let s = TestServer::single().await;
    let r = s
        .req("QUERY", "/api/todos")
        .body("doneStatus=true")
        .send()
        .await;
    assert_error(&r, 400, "Missing Content-Type for QUERY request");
}

#[tokio::test]
async fn other_content_types_are_415_with_accept_headers() {
    let s = TestServer::single().await;
    for ct in ["text/plain", "application/json", "application/xml"] {
        let r = s
            .req("QUERY", "/api/todos")
            .header("Content-Type", ct)
            .body("doneStatus=true")
            .send()
            .await;
        assert_error(&r, 415, &format!("Unsupported QUERY Content Type - {ct}"));
        assert_eq!(r.header("accept"), Some(ACCEPT_QUERY));
        assert_eq!(r.header("accept-query"), Some(ACCEPT_QUERY));
    }
}

#[tokio::test]
async fn bad_query_documents_are_400() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = query(&c, JSONPATH, "").await;
    assert_error(&r, 400, "Missing JSONPath expression for QUERY request");
    let r = query(&c, JSONPATH, "   ").await;
    assert_error(&r, 400, "Missing JSONPath expression for QUERY request");
    let r = query(&c, JSONPATH, "$.todos[?(").await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.errors().len(), 1);
    let r = query(&c, STRUCTURED, r#"{"filter":"#).await;
    assert_error(&r, 400, "Malformed JSON query body");
    let r = query(&c, FORM, "=true").await;
    assert_error(&r, 400, "Malformed query content: field name is missing");
}

#[tokio::test]
async fn semantically_invalid_structured_queries_are_422() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for body in [
        r#"{"filter":{"id":{"approximately":3}}}"#,
        r#"{"filter":"doneStatus"}"#,
        r#"{"sort":"id"}"#,
        "[]",
    ] {
        let r = query(&c, STRUCTURED, body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.text());
        assert!(!r.errors().is_empty());
    }
}

#[tokio::test]
async fn query_is_a_read_for_unknown_learners() {
    let s = TestServer::multi().await;
    let r = s
        .req("QUERY", "/api/todos")
        .header("Content-Type", FORM)
        .body("id=1")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), seed_list_json([1]));
}

#[tokio::test]
async fn query_limit_above_20_is_clamped_not_refused() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for n in 11..=20 {
        c.create_ok(&format!(r#"{{"title":"t{n}"}}"#)).await;
    }
    let r = query(&c, FORM, "_limit=50").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(resp_ids(&r).len(), 20);
}

#[tokio::test]
async fn query_on_an_item_is_405() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        c.create_done("finished").await;
        let r = c
            .req("QUERY", "/todos/11")
            .header("Content-Type", FORM)
            .body("doneStatus=true")
            .send()
            .await;
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some(ITEM_ALLOW));
        c.not_done("QUERY /api/todos (200)").await;
    }
}
