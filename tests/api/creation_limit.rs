//! The per-client bound on creating challengers: `--creation-limit` per 10 minutes,
//! 429 with `Retry-After` beyond it, and the proxy headers believed only with
//! `--trust-proxy`. Test clients connect from loopback, which is not exempt.

use crate::common::TestServer;

const MESSAGE: &str = "Attempted to create too many challengers, wait and try again later.";

async fn limited(limit: usize, trust_proxy: bool) -> TestServer {
    TestServer::with(move |c| {
        c.multi_user = true;
        c.creation_limit = limit;
        c.trust_proxy = trust_proxy;
    })
    .await
}

async fn create_from(s: &TestServer, fly_client_ip: Option<&str>) -> crate::common::Resp {
    let mut req = s.req("POST", "/api/challenger");
    if let Some(ip) = fly_client_ip {
        req = req.header("Fly-Client-IP", ip);
    }
    req.send().await
}

#[tokio::test]
async fn creations_beyond_the_limit_get_429_with_retry_after_until_the_window_ends() {
    let s = limited(3, false).await;
    for _ in 0..3 {
        assert_eq!(create_from(&s, None).await.status, 201);
    }
    let refused = create_from(&s, None).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.errors(), vec![MESSAGE]);
    assert_eq!(refused.content_type(), Some("application/json"));
    assert_eq!(refused.header("retry-after"), Some("600"));
    assert_eq!(
        refused.header("x-challenger"),
        None,
        "no learner was created"
    );
    assert_eq!(s.handle.app.registry.len(), 3);
    s.clock.advance_ms(590_500);
    assert_eq!(
        create_from(&s, None).await.header("retry-after"),
        Some("10")
    );
    s.clock.advance_ms(9_500);
    assert_eq!(create_from(&s, None).await.status, 201, "a new window");
}

#[tokio::test]
async fn the_429_follows_accept() {
    let s = limited(1, false).await;
    assert_eq!(create_from(&s, None).await.status, 201);
    let r = s
        .req("POST", "/api/challenger")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(r.text().contains(MESSAGE), "{}", r.text());
}

#[tokio::test]
async fn restoring_an_unknown_challenger_counts_as_creating_one() {
    let s = limited(1, false).await;
    assert_eq!(create_from(&s, None).await.status, 201);
    let g = uuid::Uuid::new_v4().to_string();
    let payload = format!(r#"{{"xChallenger":"{g}","challengeStatus":{{}}}}"#);
    let r = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json(&payload)
        .send()
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.errors(), vec![MESSAGE]);
    assert_eq!(r.header("x-challenger"), Some(g.as_str()));
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        s.get(&format!("/api/challenger/{g}")).send().await.status,
        404
    );
}

#[tokio::test]
async fn requests_for_existing_challengers_are_never_limited() {
    let s = limited(1, false).await;
    let g = s.new_challenger().await;
    for _ in 0..5 {
        let r = s.req("POST", "/api/challenger").as_(&g).send().await;
        assert_eq!(r.status, 200);
        assert_eq!(s.get("/api/todos").as_(&g).send().await.status, 200);
    }
}

#[tokio::test]
async fn zero_means_no_limit() {
    let s = limited(0, false).await;
    for _ in 0..250 {
        assert_eq!(create_from(&s, None).await.status, 201);
    }
}

#[tokio::test]
async fn the_default_allows_a_class_behind_one_address() {
    let s = TestServer::multi().await;
    for _ in 0..200 {
        assert_eq!(create_from(&s, None).await.status, 201);
    }
    assert_eq!(create_from(&s, None).await.status, 429);
}

#[tokio::test]
async fn proxy_headers_are_ignored_unless_trusted() {
    let s = limited(2, false).await;
    assert_eq!(create_from(&s, Some("192.0.2.1")).await.status, 201);
    assert_eq!(create_from(&s, Some("192.0.2.2")).await.status, 201);
    let r = create_from(&s, Some("192.0.2.3")).await;
    assert_eq!(r.status, 429, "all three came from 127.0.0.1");
}

#[tokio::test]
async fn with_trust_proxy_each_forwarded_client_has_its_own_limit() {
    let s = limited(2, true).await;
    for ip in ["192.0.2.1", "192.0.2.2"] {
        assert_eq!(create_from(&s, Some(ip)).await.status, 201);
        assert_eq!(create_from(&s, Some(ip)).await.status, 201);
        assert_eq!(create_from(&s, Some(ip)).await.status, 429, "{ip}");
    }
    // X-Forwarded-For: the last entry is the one the proxy added.
    let forwarded = |chain: &str| {
        s.req("POST", "/api/challenger")
            .header("X-Forwarded-For", chain)
            .send()
    };
    assert_eq!(forwarded("192.0.2.1, 198.51.100.7").await.status, 201);
    assert_eq!(forwarded("192.0.2.2, 198.51.100.7").await.status, 201);
    assert_eq!(forwarded("192.0.2.1, 198.51.100.7").await.status, 429);
    // No header: the peer, loopback, counted like anyone else.
    assert_eq!(create_from(&s, None).await.status, 201);
    assert_eq!(create_from(&s, None).await.status, 201);
    assert_eq!(create_from(&s, None).await.status, 429);
}
