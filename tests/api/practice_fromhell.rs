//! The API From Hell over a raw TCP socket: every catalogued endpoint's status line,
//! headers and body bytes exactly as they leave the server (no HTTP library here,
//! since one would repair the broken responses before the test saw them), the two
//! connection-level answers, the method rules, the docs and the page.

use std::net::SocketAddr;
use std::time::Duration;

use apichallenges::practice::fromhell::catalogue::{Endpoint, ENDPOINTS};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::TestServer;

/// Send `request` as is and read until the server closes.
async fn exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_all(&mut stream).await
}

async fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out))
        .await
        .expect("the server closes the connection")
        .unwrap();
    out
}

fn request(method: &str, path: &str) -> Vec<u8> {
    let length = if matches!(method, "POST" | "PUT" | "PATCH") {
        "Content-Length: 0\r\n"
    } else {
        ""
    };
    format!("{method} {path} HTTP/1.1\r\nHost: test\r\nAccept: */*\r\nConnection: close\r\n{length}\r\n")
        .into_bytes()
}

/// A response as bytes: status line, headers (names lowercased), body untouched.
#[derive(Debug)]
struct Wire {
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn parse(raw: &[u8]) -> Wire {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("a response head in {:?}", String::from_utf8_lossy(raw)));
        let head = std::str::from_utf8(&raw[..end]).expect("an ASCII head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap().to_string();
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(':').expect("name: value");
                (k.to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        Wire {
            status_line,
            headers,
            body: raw[end + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers except the ones hyper adds for every response.
    fn own_headers(&self) -> Vec<(String, String)> {
        let mut own: Vec<_> = self
            .headers
            .iter()
            .filter(|(k, _)| k != "date" && k != "connection")
            .cloned()
            .collect();
        own.sort();
        own
    }
}

const COMMON: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-methods",
        "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS",
    ),
    (
        "access-control-allow-headers",
        "Content-Type, Origin, Accept, Authorization, Content-Length, X-Requested-With",
    ),
];

fn expected_headers(e: &Endpoint) -> Vec<(String, String)> {
    let mut expected: Vec<(String, String)> = COMMON
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(t) = e.content_type {
        expected.push(("content-type".into(), t.into()));
    }
    expected.push(("content-length".into(), e.body.len().to_string()));
    expected.sort();
    expected
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        other => panic!("no reason phrase listed for {other}"),
    }
}

#[tokio::test]
async fn every_endpoint_is_sent_byte_for_byte() {
    let server = TestServer::single().await;
    assert_eq!(ENDPOINTS.len(), 77);
    for e in ENDPOINTS {
        let path = format!("/fromhell{}", e.path);
        let wire = Wire::parse(&exchange(server.handle.addr, &request(e.method, &path)).await);
        let context = format!("{} {path}", e.method);
        // hyper's phrase for 500 is replaced by Jetty's, as for every 500 here.
        let phrase = if e.status == 500 {
            "Server Error"
        } else {
            reason(e.status)
        };
        assert_eq!(
            wire.status_line,
            format!("HTTP/1.1 {} {phrase}", e.status),
            "{context}"
        );
        assert_eq!(wire.own_headers(), expected_headers(e), "{context}");
        assert_eq!(wire.body, e.body, "{context}");
        if e.content_type.is_none() {
            assert_eq!(wire.header("content-type"), None, "{context}");
        }
    }
}

/// FNV-1a over what the reference's catalogue file says each endpoint sends (method,
/// path, status, Content-Type, body), computed from that file; here computed from the
/// wire. A missing, extra or changed endpoint changes it.
#[tokio::test]
async fn the_wire_matches_the_reference_catalogue_fingerprint() {
    const REFERENCE: u64 = 0x5254_474e_6443_e3d0;
    let server = TestServer::single().await;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut update = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for e in ENDPOINTS {
        let path = format!("/fromhell{}", e.path);
        let wire = Wire::parse(&exchange(server.handle.addr, &request(e.method, &path)).await);
        let status = wire.status_line.split(' ').nth(1).unwrap().to_string();
        let content_type = wire.header("content-type").unwrap_or("").to_string();
        update(format!("{} {path} {status} {content_type}\n", e.method).as_bytes());
        update(&wire.body);
        update(b"\n");
    }
    assert_eq!(hash, REFERENCE, "{hash:#x}");
}

const RAW_204: &[u8] = b"HTTP/1.1 204 No Content\r\n\
access-control-allow-origin: *\r\n\
access-control-allow-methods: GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS\r\n\
access-control-allow-headers: Content-Type, Origin, Accept, Authorization, Content-Length, X-Requested-With\r\n\
content-type: application/json\r\n\
content-length: 62\r\n\
connection: close\r\n\r\n\
{\"message\":\"This body should not be sent with 204 No Content\"}";

#[tokio::test]
async fn a_204_with_a_body_is_written_exactly() {
    let server = TestServer::single().await;
    let raw = exchange(
        server.handle.addr,
        &request("DELETE", "/fromhell/status-code/204-with-body"),
    )
    .await;
    assert_eq!(raw, RAW_204, "{}", String::from_utf8_lossy(&raw));
}

#[tokio::test]
async fn a_304_with_a_body_is_written_exactly() {
    let server = TestServer::single().await;
    let raw = exchange(
        server.handle.addr,
        &request("GET", "/fromhell/status-code/304-with-body?x=1"),
    )
    .await;
    let body = b"{\"message\":\"This body should not be sent with 304 Not Modified\"}";
    let mut expected = b"HTTP/1.1 304 Not Modified\r\n".to_vec();
    for (k, v) in COMMON {
        expected.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    expected.extend_from_slice(
        format!(
            "content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    expected.extend_from_slice(body);
    assert_eq!(raw, expected, "{}", String::from_utf8_lossy(&raw));
}

#[tokio::test]
async fn a_raw_answer_follows_earlier_requests_on_a_kept_alive_connection() {
    let server = TestServer::single().await;
    let mut stream = TcpStream::connect(server.handle.addr).await.unwrap();
    // Two ordinary requests, each read before the next is sent.
    for _ in 0..2 {
        stream
            .write_all(b"GET /fromhell/good/text HTTP/1.1\r\nHost: test\r\n\r\n")
            .await
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(b"normal text.") {
            let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
                .await
                .unwrap()
                .unwrap();
            assert!(n > 0, "the connection stays open");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(got.starts_with(b"HTTP/1.1 200 OK\r\n"));
    }
    stream
        .write_all(b"DELETE /fromhell/status-code/204-with-body HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_all(&mut stream).await, RAW_204);
}

#[tokio::test]
async fn pipelined_requests_get_their_answers_in_order() {
    let server = TestServer::single().await;
    let mut pipelined = b"GET /fromhell/version HTTP/1.1\r\nHost: test\r\n\r\n".to_vec();
    pipelined.extend_from_slice(
        b"DELETE /fromhell/status-code/204-with-body HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nabcd",
    );
    let raw = exchange(server.handle.addr, &pipelined).await;
    let first = Wire::parse(&raw);
    assert_eq!(first.status_line, "HTTP/1.1 200 OK");
    assert!(raw.ends_with(RAW_204), "{}", String::from_utf8_lossy(&raw));
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("\r\n\r\n{\"version\":\"6\"}HTTP/1.1 204"));
}

#[tokio::test]
async fn a_raw_route_sent_a_byte_at_a_time_is_still_answered() {
    let server = TestServer::single().await;
    let mut stream = TcpStream::connect(server.handle.addr).await.unwrap();
    for b in request("DELETE", "/fromhell/status-code/204-with-body") {
        stream.write_all(&[b]).await.unwrap();
        stream.flush().await.unwrap();
    }
    assert_eq!(read_all(&mut stream).await, RAW_204);
}

#[tokio::test]
async fn hostile_raw_route_requests_are_bounded() {
    let server = TestServer::single().await;
    let addr = server.handle.addr;
    // A head far larger than any real one: answered (or closed), never a hang.
    let mut huge = b"DELETE /fromhell/status-code/204-with-body HTTP/1.1\r\n".to_vec();
    for i in 0..2000 {
        huge.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "a".repeat(40)).as_bytes());
    }
    huge.extend_from_slice(b"\r\n");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(&huge).await;
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut got))
        .await
        .expect("the server ends the connection");
    // The answer comes once the head has been read as far as the limit; the kernel
    // may instead reset the connection for the unread rest.
    assert!(
        read.is_err() || got.is_empty() || got == RAW_204,
        "{}",
        String::from_utf8_lossy(&got)
    );

    // A client that names a raw route and hangs up before its head ends.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"DELETE /fromhell/status-code/204-with-body HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    drop(stream);

    // A long query on a raw route is still the raw answer.
    let long = format!(
        "GET /fromhell/status-code/304-with-body?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "q".repeat(5000)
    );
    let wire = Wire::parse(&exchange(addr, long.as_bytes()).await);
    assert_eq!(wire.status_line, "HTTP/1.1 304 Not Modified");
    assert_eq!(wire.header("connection"), Some("close"));
    assert_eq!(wire.body.len(), 64);

    // A request line that never ends is held only so long, then hyper refuses it.
    let mut endless = b"GET /fromhell/".to_vec();
    endless.extend(std::iter::repeat_n(b'a', 100_000));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(&endless).await;
    let raw = read_all(&mut stream).await;
    assert!(
        raw.is_empty() || raw.starts_with(b"HTTP/1.1 4"),
        "{}",
        String::from_utf8_lossy(&raw)
    );

    // The server is still fine.
    let wire = Wire::parse(&exchange(addr, &request("GET", "/fromhell/version")).await);
    assert_eq!(wire.body, b"{\"version\":\"6\"}");
}

#[tokio::test]
async fn other_methods_options_and_head_follow_the_path_rules() {
    let server = TestServer::single().await;
    let addr = server.handle.addr;
    let wire = Wire::parse(&exchange(addr, &request("POST", "/fromhell/version")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(wire.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert_eq!(wire.body, b"Method Not Allowed");
    assert_eq!(wire.header("access-control-allow-origin"), Some("*"));

    let wire = Wire::parse(&exchange(addr, &request("QUERY", "/fromhell/good/json")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(wire.header("allow"), Some("GET, HEAD, OPTIONS"));

    let wire = Wire::parse(
        &exchange(
            addr,
            &request("GET", "/fromhell/status-code/201-no-location"),
        )
        .await,
    );
    assert_eq!(wire.status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(wire.header("allow"), Some("POST, OPTIONS"));

    // The catalogued 405 itself sends no Allow.
    let wire =
        Wire::parse(&exchange(addr, &request("POST", "/fromhell/status-code/405-no-allow")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(wire.header("allow"), None);

    let wire = Wire::parse(&exchange(addr, &request("OPTIONS", "/fromhell/good/json")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 204 No Content");
    assert_eq!(wire.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(wire.body.is_empty());

    let wire = Wire::parse(
        &exchange(
            addr,
            &request("OPTIONS", "/fromhell/status-code/204-with-body"),
        )
        .await,
    );
    assert_eq!(wire.header("allow"), Some("DELETE, OPTIONS"));

    let wire = Wire::parse(&exchange(addr, &request("HEAD", "/fromhell/good/json")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 200 OK");
    assert_eq!(wire.header("content-type"), Some("application/json"));
    let get = ENDPOINTS.iter().find(|e| e.path == "/good/json").unwrap();
    assert_eq!(
        wire.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    assert!(wire.body.is_empty());

    let wire = Wire::parse(&exchange(addr, &request("GET", "/fromhell/not-here")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 404 Not Found");

    let wire = Wire::parse(&exchange(addr, &request("GET", "/fromhell")).await);
    assert_eq!(wire.status_line, "HTTP/1.1 302 Found");
    assert_eq!(wire.header("location"), Some("/practice-modes/fromhell"));
}

#[tokio::test]
async fn the_openapi_documents_list_every_endpoint() {
    let server = TestServer::single().await;
    for (path, version) in [
        ("/fromhell/docs/openapi.json", "3.1.0"),
        ("/fromhell/docs/openapi-3.1.json", "3.1.0"),
        ("/fromhell/docs/openapi-3.0.json", "3.0.3"),
        ("/fromhell/docs/openapi-3.2.json", "3.2.0"),
    ] {
        let r = server.get(path).send().await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.content_type(), Some("application/json"));
        let text = r.text();
        assert!(
            text.contains(&format!("\"openapi\": \"{version}\"")),
            "{path}"
        );
        assert!(text.contains("\"title\": \"API From Hell\""));
        let doc = r.json();
        for e in ENDPOINTS {
            let op = &doc["paths"][format!("/fromhell{}", e.path)][e.method.to_ascii_lowercase()];
            assert_eq!(op["summary"], e.label, "{path} {}", e.path);
        }
        assert_eq!(doc["servers"][0]["url"], "http://test");
        let download = server.get(&format!("{path}?download")).send().await;
        let file = path.rsplit('/').next().unwrap();
        assert_eq!(
            download.header("content-disposition"),
            Some(format!("attachment; filename=\"{file}\"").as_str())
        );
    }
    let r = server
        .get("/fromhell/docs/openapi.json")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "apichallenges.com")
        .send()
        .await;
    let doc = r.json();
    assert_eq!(doc["servers"][0]["url"], "https://apichallenges.com");
    assert_eq!(doc["servers"][1]["url"], "http://localhost:4567");

    let r = server.get("/fromhell/docs/swagger").send().await;
    assert_eq!(r.content_type(), Some("application/octet-stream"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("filename=\"api-from-hell-openapi.json\""));
    assert!(r.text().contains("\"/fromhell/good/json\""));

    let r = server.get("/fromhell/docs/swagger-ui").send().await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<h1>API From Hell - Swagger UI</h1>"));
    assert!(r.text().contains("/fromhell/docs/openapi-3.0.json"));
}

#[tokio::test]
async fn the_page_lists_every_endpoint_with_its_problem() {
    let server = TestServer::single().await;
    let r = server.get("/practice-modes/fromhell").send().await;
    assert_eq!(r.status, 200);
    let text = r.text();
    for e in ENDPOINTS {
        assert!(
            text.contains(&format!("<code>/fromhell{}</code>", e.path)),
            "{}",
            e.path
        );
        let problem = e.problem.replace('&', "&amp;").replace('"', "&quot;");
        let problem = problem
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&#39;");
        assert!(text.contains(&problem), "{}", e.path);
    }
}

#[tokio::test]
async fn from_hell_counts_for_no_challenge() {
    let server = TestServer::single().await;
    let before = server.statuses(None).await;
    for e in ENDPOINTS.iter().take(10) {
        exchange(
            server.handle.addr,
            &request(e.method, &format!("/fromhell{}", e.path)),
        )
        .await;
    }
    assert_eq!(server.statuses(None).await, before);
}
