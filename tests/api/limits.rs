//! What a client controls is bounded: header time, idle connections, header size, body
//! size (32 KiB of headers and 5000-byte bodies, as the reference).

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::TestServer;

const SHORT: Duration = Duration::from_millis(300);

async fn short_timeout_server() -> TestServer {
    TestServer::with(|c| c.header_read_timeout = SHORT).await
}

/// Read until the server closes the connection; returns what it sent and how long
/// that took. Fails the test if the server keeps it open for 5 s.
async fn read_until_closed(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server should close the connection");
    (out, started.elapsed())
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_header_timeout() {
    let s = short_timeout_server().await;
    let mut stream = TcpStream::connect(s.handle.addr).await.unwrap();
    let (sent, waited) = read_until_closed(&mut stream).await;
    assert!(sent.is_empty());
    assert!(waited >= SHORT - Duration::from_millis(50), "{waited:?}");
}

#[tokio::test]
async fn a_slow_header_sender_is_disconnected() {
    let s = short_timeout_server().await;
    let mut stream = TcpStream::connect(s.handle.addr).await.unwrap();
    stream
        .write_all(b"GET /api/heartbeat HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .await
        .unwrap();
    let (_, waited) = read_until_closed(&mut stream).await;
    assert!(waited >= SHORT - Duration::from_millis(50), "{waited:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let s = short_timeout_server().await;
    let mut stream = TcpStream::connect(s.handle.addr).await.unwrap();
    stream
        .write_all(b"GET /api/heartbeat HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let (sent, _) = read_until_closed(&mut stream).await;
    assert!(sent.starts_with(b"HTTP/1.1 204"));
}

#[tokio::test]
async fn an_oversized_declared_body_is_refused_without_reading_it() {
    let s = TestServer::single().await;
    let mut stream = TcpStream::connect(s.handle.addr).await.unwrap();
    let head = "POST /api/todos HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"title\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("an answer before the body is sent")
        .unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 413 Payload Too Large"), "{text}");
    assert!(text.contains("Error: request body too large, max allowed is 5000 bytes"));
}

#[tokio::test]
async fn a_body_just_over_the_limit_is_413_and_at_the_limit_is_read() {
    let s = TestServer::single().await;
    let filler = |total: usize| {
        let prefix = r#"{"title":"t","description":""#;
        let suffix = r#""}"#;
        format!(
            "{prefix}{}{suffix}",
            "d".repeat(total - prefix.len() - suffix.len())
        )
    };
    let over = s.req("POST", "/api/todos").json(&filler(5001)).send().await;
    assert_eq!(over.status, 413);
    let at = s.req("POST", "/api/todos").json(&filler(5000)).send().await;
    assert_eq!(
        at.status, 422,
        "read and validated: the description is too long"
    );
}

#[tokio::test]
async fn huge_request_headers_get_431() {
    let s = TestServer::single().await;
    let r = s
        .get("/api/heartbeat")
        .header("X-Padding", &"p".repeat(40 * 1024))
        .send()
        .await;
    assert_eq!(r.status, 431);
    let fine = s
        .get("/api/heartbeat")
        .header("X-Padding", &"p".repeat(16 * 1024))
        .send()
        .await;
    assert_eq!(fine.status, 204);
}

#[tokio::test]
async fn a_query_with_many_regex_filters_is_refused() {
    let s = TestServer::single().await;
    let many = ["title~=.%7B0,500%7Dx"; 9].join("&");
    let r = s.get(&format!("/api/todos?{many}")).send().await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.errors(),
        vec!["Too many pattern filters: at most 8 regex or wildcard filters per query"]
    );
}
