//! Idle eviction after 10 minutes, with the injected clock; isolation between learners and
//! the memory bound.

use crate::common::TestServer;

const TEN_MINUTES_MS: u64 = 600_000;

#[tokio::test]
async fn idle_learners_leave_memory_after_the_timeout() {
    let s = TestServer::multi().await;
    let idle = s.new_challenger().await;
    let active = s.new_challenger().await;
    s.clock.advance_ms(TEN_MINUTES_MS - 1);
    assert_eq!(s.handle.evict_idle(), 0);
    // A request refreshes its learner.
    s.get("/api/todos").as_(&active).send().await;
    s.clock.advance_ms(1);
    assert_eq!(s.handle.evict_idle(), 1);
    let gone = s.get(&format!("/api/challenger/{idle}")).send().await;
    assert_eq!(gone.status, 404, "no storage: an evicted learner is gone");
    let kept = s.get(&format!("/api/challenger/{active}")).send().await;
    assert_eq!(kept.status, 200);
    assert_eq!(s.handle.app.registry.len(), 1);
}

#[tokio::test]
async fn single_user_is_never_evicted() {
    let s = TestServer::single().await;
    s.clock.advance_ms(10 * TEN_MINUTES_MS);
    assert_eq!(s.handle.evict_idle(), 0);
    assert_eq!(s.get("/api/challenger/x").send().await.status, 200);
}

#[tokio::test]
async fn each_learner_has_an_isolated_database() {
    let s = TestServer::multi().await;
    let a = s.new_challenger().await;
    let b = s.new_challenger().await;
    let created = s
        .req("POST", "/api/todos")
        .as_(&a)
        .json(r#"{"title":"only for a"}"#)
        .send()
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.json()["id"], 11);
    let count = |r: crate::common::Resp| r.json()["todos"].as_array().unwrap().len();
    assert_eq!(
        count(s.get("/api/todos?_limit=20").as_(&a).send().await),
        11
    );
    assert_eq!(
        count(s.get("/api/todos?_limit=20").as_(&b).send().await),
        10
    );
    let other = s
        .req("POST", "/api/todos")
        .as_(&b)
        .json(r#"{"title":"b's first"}"#)
        .send()
        .await;
    assert_eq!(
        other.json()["id"],
        11,
        "each database has its own id counter"
    );
}

#[tokio::test]
async fn a_full_registry_admits_new_learners_by_evicting_the_least_recent() {
    let s = TestServer::with(|c| {
        c.multi_user = true;
        c.max_challengers = 2;
    })
    .await;
    let oldest = s.new_challenger().await;
    s.clock.advance_ms(10);
    let middle = s.new_challenger().await;
    s.clock.advance_ms(10);
    let newest = s.new_challenger().await;
    assert_eq!(s.handle.app.registry.len(), 2);
    for (guid, expected) in [(oldest, 404), (middle, 200), (newest, 200)] {
        let r = s.get(&format!("/api/challenger/{guid}")).send().await;
        assert_eq!(r.status, expected, "{guid}");
    }
}
