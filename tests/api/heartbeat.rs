//! `/heartbeat` status codes (204, 405, 500, 501) and the method-override challenges
//! (the same codes tunnelled through POST with `X-HTTP-Method-Override`).

use crate::common::TestServer;

#[tokio::test]
async fn heartbeat_answers_each_method_with_its_status() {
    let s = TestServer::single().await;
    for (method, status) in [
        ("GET", 204),
        ("HEAD", 204),
        ("OPTIONS", 204),
        ("POST", 405),
        ("PUT", 405),
        ("DELETE", 405),
        ("PATCH", 500),
        ("TRACE", 501),
    ] {
        for path in ["/api/heartbeat", "/heartbeat"] {
            let r = s.req(method, path).send().await;
            assert_eq!(r.status, status, "{method} {path}");
            assert!(r.body.is_empty(), "{method} {path} has no body");
        }
    }
    let options = s.req("OPTIONS", "/api/heartbeat").send().await;
    assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS"));
    let ok = s.get("/api/heartbeat").send().await;
    assert_eq!(ok.content_type(), None);
    let refused = s.req("DELETE", "/api/heartbeat").send().await;
    assert_eq!(refused.content_type(), Some("application/json"));
    let xml = s
        .req("PATCH", "/api/heartbeat")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(xml.content_type(), Some("application/xml"));
}

#[tokio::test]
async fn server_error_uses_the_jetty_reason_phrase() {
    let s = TestServer::single().await;
    let r = s.req("PATCH", "/api/heartbeat").send().await;
    assert_eq!((r.status, r.reason.as_str()), (500, "Server Error"));
    let r = s.req("TRACE", "/api/heartbeat").send().await;
    assert_eq!(r.reason, "Not Implemented");
}

#[tokio::test]
async fn status_code_challenges_complete() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    for (method, title) in [
        ("DELETE", "DELETE /api/heartbeat (405)"),
        ("PATCH", "PATCH /api/heartbeat (500)"),
        ("TRACE", "TRACE /api/heartbeat (501)"),
        ("GET", "GET /api/heartbeat (204)"),
    ] {
        s.assert_not_done(Some(&guid), title).await;
        s.req(method, "/api/heartbeat").as_(&guid).send().await;
        s.assert_done(Some(&guid), title).await;
    }
}

#[tokio::test]
async fn override_challenges_complete_and_change_the_status() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    for (verb, status, title) in [
        ("DELETE", 405, "POST /api/heartbeat as DELETE (405)"),
        ("PATCH", 500, "POST /api/heartbeat as PATCH (500)"),
        ("TRACE", 501, "POST /api/heartbeat as Trace (501)"),
    ] {
        s.assert_not_done(Some(&guid), title).await;
        let r = s
            .req("POST", "/heartbeat")
            .as_(&guid)
            .header("X-HTTP-Method-Override", &verb.to_lowercase())
            .send()
            .await;
        assert_eq!(r.status, status, "override {verb}");
        s.assert_done(Some(&guid), title).await;
    }
    // The real method is judged: an overridden PATCH is not the PATCH challenge.
    s.assert_not_done(Some(&guid), "PATCH /api/heartbeat (500)")
        .await;
}

#[tokio::test]
async fn override_is_ignored_on_methods_other_than_post() {
    let s = TestServer::single().await;
    let r = s
        .get("/api/heartbeat")
        .header("X-HTTP-Method-Override", "PATCH")
        .send()
        .await;
    assert_eq!(r.status, 204);
    let unknown_verb = s
        .req("POST", "/api/heartbeat")
        .header("X-HTTP-Method-Override", "FETCH")
        .send()
        .await;
    assert_eq!(unknown_verb.status, 405);
}
