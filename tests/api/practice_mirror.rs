//! The HTTP mirror practice mode: `/mirror/request`, `/mirror/raw` and their sub-paths
//! for every method, formats, the size limit, the redirect, hostile echoes, and that it
//! counts for nobody in any profile or user mode.

use apichallenges::config::ProfileName;

use crate::common::{TestServer, SINGLE};

const METHODS_200: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "QUERY", "TRACE",
];
const PATHS: [&str; 4] = [
    "/mirror/request",
    "/mirror/request/bob",
    "/mirror/raw",
    "/mirror/raw/bob",
];

#[tokio::test]
async fn every_method_on_every_mirror_path_answers() {
    let s = TestServer::single().await;
    for path in PATHS {
        for method in METHODS_200 {
            let r = s.req(method, path).send().await;
            assert_eq!(r.status, 200, "{method} {path}");
        }
        let r = s.req("OPTIONS", path).send().await;
        assert_eq!(r.status, 204, "OPTIONS {path}");
        assert_eq!(
            r.header("allow"),
            Some("GET, POST, PUT, DELETE, PATCH, QUERY, HEAD, OPTIONS, TRACE")
        );
        assert!(r.body.is_empty());
        // Methods the mirror does not route fall to the site 404.
        assert_eq!(s.req("FOO", path).send().await.status, 404, "FOO {path}");
    }
    // Paths beside the two endpoints are not the mirror.
    assert_eq!(s.get("/mirror/other").send().await.status, 404);
    assert_eq!(s.get("/mirror/requests").send().await.status, 404);
}

#[tokio::test]
async fn request_mode_defaults_to_json_details() {
    let s = TestServer::single().await;
    let r = s.get("/mirror/request?a=1&b=%3C2").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert!(r.text().starts_with("{\"details\":"), "{}", r.text());
    let details = r.json()["details"].as_str().unwrap().to_string();
    assert!(
        details.starts_with("GET http://test/mirror/request\n"),
        "{details}"
    );
    for section in [
        "Parsed Query Params",
        "Raw Query Params",
        "Raw Headers",
        "Processed Headers",
        "Body",
    ] {
        assert!(details.contains(section), "{section}");
    }
    assert!(details.contains("a: 1\n"), "{details}");
    assert!(details.contains("b: <2\n"), "{details}");
    assert!(details.contains("host: test\n"), "{details}");
    assert!(details.contains("\nIP\n=======\n127.0.0.1\n"), "{details}");
}

#[tokio::test]
async fn request_mode_answers_text_json_xml_per_accept() {
    let s = TestServer::single().await;
    let r = s
        .get("/mirror/request")
        .header("Accept", "text/plain")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("text/plain"));
    assert!(r.text().starts_with("GET "));
    assert!(!r.text().contains("{\"details\":"));
    assert!(r.text().contains("Raw Headers"));

    let r = s
        .get("/mirror/request")
        .header("Accept", "application/json")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/json"));
    assert!(r.text().starts_with("{\"details\":"));

    let r = s
        .get("/mirror/request")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    let xml = r.text();
    assert!(xml.starts_with("<messageDetails><details>"), "{xml}");
    assert!(xml.ends_with("</details></messageDetails>"), "{xml}");
    assert!(xml.contains("&#xa;"), "newlines are escaped: {xml}");
    assert!(xml.contains("Parsed Query Params"));

    // Any acceptable text/plain entry asks for the bare text.
    let r = s
        .get("/mirror/request")
        .header("Accept", "application/json, text/plain;q=0.5")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("text/plain"));
    let r = s
        .get("/mirror/request")
        .header("Accept", "application/json, text/plain;q=0")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/json"));

    // An Accept nothing matches gets JSON rather than a 406.
    let r = s
        .get("/mirror/request")
        .header("Accept", "unknown/format")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
}

#[tokio::test]
async fn raw_mode_is_always_plain_text() {
    let s = TestServer::single().await;
    for accept in [
        "application/xml",
        "application/json",
        "text/html",
        "text/plain",
        "unknown/format",
    ] {
        let r = s.get("/mirror/raw").header("Accept", accept).send().await;
        assert_eq!(r.status, 200, "{accept}");
        assert_eq!(r.content_type(), Some("text/plain"), "{accept}");
        assert!(r.text().starts_with("GET "), "{accept}");
        assert!(!r.text().contains("{\"details\":"));
        assert!(r.text().contains("Parsed Query Params"));
    }
}

#[tokio::test]
async fn query_and_post_bodies_are_echoed() {
    let s = TestServer::single().await;
    let r = s
        .req("QUERY", "/mirror/raw")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("doneStatus=true")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("text/plain"));
    assert!(r.text().starts_with("QUERY "));
    assert!(
        r.text().ends_with("Body\n====\ndoneStatus=true\n"),
        "{}",
        r.text()
    );

    let r = s
        .req("PATCH", "/mirror/request/a/b?x>3")
        .json("{\"title\":\"t\"}")
        .send()
        .await;
    let details = r.json()["details"].as_str().unwrap().to_string();
    assert!(details.starts_with("PATCH http://test/mirror/request/a/b\n"));
    assert!(
        details.contains("x > 3\n"),
        "filters as the engine reads them: {details}"
    );
    assert!(details.contains("content-type: application/json\n"));
    assert!(details.ends_with("{\"title\":\"t\"}\n"));
}

#[tokio::test]
async fn head_has_the_get_headers_without_a_body() {
    let s = TestServer::single().await;
    let r = s
        .req("HEAD", "/mirror/request")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(r.body.is_empty());
    let length: usize = r.header("content-length").unwrap().parse().unwrap();
    assert!(length > 0);
}

#[tokio::test]
async fn bodies_over_24000_bytes_get_413() {
    let s = TestServer::single().await;
    let r = s
        .req("POST", "/mirror/request")
        .header("Accept", "text/plain")
        .body(vec![b'a'; 24_001])
        .send()
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.content_type(), Some("text/plain"));
    assert!(r
        .text()
        .contains("Error: request too large, max allowed is 24000 bytes"));

    let r = s
        .req("PUT", "/mirror/raw")
        .body(vec![b'a'; 30_000])
        .send()
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.errors(),
        ["Error: request too large, max allowed is 24000 bytes"]
    );

    // Exactly at the limit is fine, and echoed whole.
    let r = s
        .req("POST", "/mirror/raw")
        .body(vec![b'b'; 24_000])
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains(&"b".repeat(24_000)));
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::single().await;
    let mut stream = tokio::net::TcpStream::connect(s.handle.addr).await.unwrap();
    let head = "POST /mirror/raw HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'c'; 10_000];
    for _ in 0..3 {
        stream.write_all(b"2710\r\n").await.unwrap();
        stream.write_all(&chunk).await.unwrap();
        stream.write_all(b"\r\n").await.unwrap();
    }
    stream.write_all(b"0\r\n\r\n").await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
}

#[tokio::test]
async fn get_mirror_redirects_to_its_page() {
    let s = TestServer::single().await;
    let r = s.get("/mirror").send().await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/practice-modes/mirror"));
    assert_eq!(s.req("POST", "/mirror").send().await.status, 404);
    let page = s.get("/practice-modes/mirror").send().await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("/mirror/raw"));
}

#[tokio::test]
async fn hostile_echoes_cannot_become_markup() {
    let s = TestServer::single().await;
    let script = "<script>alert(1)</script>";
    let r = s
        .req(
            "POST",
            "/mirror/request/%3Cscript%3E?q=%3Cscript%3Ealert(1)%3C/script%3E",
        )
        .header("Accept", "text/html")
        .header("X-Evil", script)
        .body(script)
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("text/html"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let html = r.text();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );

    // The other formats carry it as data, never sniffable as HTML.
    for accept in ["application/json", "text/plain", "application/xml"] {
        let r = s
            .req("POST", "/mirror/request")
            .header("Accept", accept)
            .body(script)
            .send()
            .await;
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{accept}"
        );
    }
    let xml = s
        .req("POST", "/mirror/request")
        .header("Accept", "application/xml")
        .body(script)
        .send()
        .await
        .text();
    assert!(!xml.contains("<script"), "{xml}");

    // The GUI and docs pages never show what the mirror was sent.
    for page in [
        "/",
        "/practice-modes/mirror",
        "/mirror/docs",
        "/api/docs",
        "/gui/challenges",
    ] {
        let text = s.get(page).send().await.text();
        assert!(!text.contains("alert(1)"), "{page}");
    }
}

#[tokio::test]
async fn non_utf8_and_odd_bodies_are_echoed_safely() {
    let s = TestServer::single().await;
    let r = s
        .req("POST", "/mirror/request")
        .header("Content-Type", "application/json")
        .body(vec![0xff, 0xfe, b'{', 0x00, b'"'])
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert!(r.json()["details"].as_str().unwrap().contains('\u{fffd}'));
}

async fn assert_counts_for_nobody(s: &TestServer, guid: Option<&str>) {
    // Read the todos first: that read completes challenges of its own.
    let mut todos = s.get("/api/todos");
    if let Some(g) = guid {
        todos = todos.as_(g);
    }
    let todos_before = todos.send().await.text();
    let before = s.statuses(guid).await;
    for method in METHODS_200 {
        let mut req = s
            .req(method, "/mirror/request")
            .header("X-CHALLENGER", guid.unwrap_or(SINGLE));
        if method != "HEAD" {
            req = req.json("{\"title\":\"x\"}");
        }
        let r = req.send().await;
        assert_eq!(r.status, 200);
        assert!(
            r.header("x-challenger").is_none(),
            "no challenger header on practice replies"
        );
    }
    assert!(
        s.statuses(guid).await == before,
        "practice requests completed a challenge"
    );
    let mut todos = s.get("/api/todos");
    if let Some(g) = guid {
        todos = todos.as_(g);
    }
    assert_eq!(todos.send().await.text(), todos_before);
}

#[tokio::test]
async fn the_mirror_counts_for_nobody_in_single_user_mode() {
    let s = TestServer::single().await;
    assert_counts_for_nobody(&s, None).await;
}

#[tokio::test]
async fn the_mirror_counts_for_nobody_in_multi_user_mode() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    assert_counts_for_nobody(&s, Some(&guid)).await;
    // Without any X-CHALLENGER it works just the same.
    assert_eq!(s.get("/mirror/request").send().await.status, 200);
}

#[tokio::test]
async fn the_mirror_works_in_the_classic_profile() {
    for multi in [false, true] {
        let s = TestServer::with(|c| {
            c.profile = ProfileName::Classic;
            c.multi_user = multi;
        })
        .await;
        assert_eq!(s.get("/mirror/request").send().await.status, 200);
        assert_eq!(s.req("QUERY", "/mirror/raw/x").send().await.status, 200);
        assert_eq!(s.req("OPTIONS", "/mirror/raw").send().await.status, 204);
        assert_eq!(s.get("/practice-modes/mirror").send().await.status, 200);
    }
}

#[tokio::test]
async fn the_mirror_has_its_own_openapi_document() {
    let s = TestServer::single().await;
    let doc = s.get("/mirror/docs/openapi.json").send().await.json();
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc["paths"]["/mirror/request"]["get"].is_object());
    assert!(doc["paths"]["/mirror/raw"]["x-query-operation"].is_object());
    let docs = s.get("/mirror/docs").send().await;
    assert_eq!(docs.status, 200);
    assert!(docs.text().contains("/mirror/docs/openapi.json"));
    let api_docs = s.get("/api/docs").send().await.text();
    for link in ["/mirror/docs", "/simpleapi/docs", "/sim/docs"] {
        assert!(api_docs.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let home = s.get("/").send().await.text();
    for page in ["mirror", "simpleapi", "simulation"] {
        assert!(
            home.contains(&format!("href=\"/practice-modes/{page}\"")),
            "{page}"
        );
    }
}
