//! `/metrics`: Prometheus text for learners practising load tests.

use crate::common::TestServer;

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    for _ in 0..3 {
        s.get("/api/todos").as_(&guid).send().await;
    }
    s.req("PATCH", "/api/heartbeat").send().await;
    let r = s.get("/metrics").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("text/plain; version=0.0.4"));
    let text = r.text();
    assert!(
        text.contains("apichallenges_requests_total{route=\"todos\",status=\"200\"} 3\n"),
        "{text}"
    );
    assert!(text.contains("apichallenges_requests_total{route=\"challenger\",status=\"201\"} 1\n"));
    assert!(text.contains("apichallenges_requests_total{route=\"heartbeat\",status=\"500\"} 1\n"));
    assert!(text.contains("apichallenges_challengers_in_memory 1\n"));
    assert!(text.contains("apichallenges_request_duration_seconds_count 5\n"));
    assert!(text.contains("# TYPE apichallenges_storage_queue_depth gauge"));
}

#[tokio::test]
async fn evictions_show_in_metrics() {
    let s = TestServer::multi().await;
    s.new_challenger().await;
    s.clock.advance_ms(600_000);
    assert_eq!(s.handle.evict_idle(), 1);
    let text = s.get("/metrics").send().await.text();
    assert!(text.contains("apichallenges_evictions_total 1\n"));
    assert!(text.contains("apichallenges_challengers_in_memory 0\n"));
}
