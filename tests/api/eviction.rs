//! Eviction never loses an acknowledged write: learners pushed out of memory by the
//! capacity bound or the idle timeout come back from storage with every change that
//! was answered 2xx, even while other requests for them are in flight.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::common::TestServer;
use crate::storage::DataDir;

async fn churn_server(dir: &DataDir, max_challengers: usize) -> TestServer {
    let path = dir.0.clone();
    TestServer::with(move |c| {
        c.multi_user = true;
        c.storage = true;
        c.data_dir = path;
        c.max_challengers = max_challengers;
        c.unlimited_todos = true;
    })
    .await
}

/// Every todo id the learner has, from the unpaged export.
async fn stored_ids(s: &TestServer, guid: &str) -> BTreeSet<u64> {
    let r = s
        .get(&format!("/api/challenger/database/{guid}"))
        .as_(guid)
        .send()
        .await;
    assert_eq!(r.status, 200, "export of {guid}: {}", r.text());
    r.json()["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect()
}

/// POST one todo; the id when the server acknowledged it.
async fn create(s: &TestServer, guid: &str, title: &str) -> Option<u64> {
    let r = s
        .req("POST", "/api/todos")
        .as_(guid)
        .json(&format!(r#"{{"title":"{title}"}}"#))
        .send()
        .await;
    (r.status == 201).then(|| r.json()["id"].as_u64().unwrap())
}

#[tokio::test]
async fn capacity_eviction_without_concurrency_keeps_every_todo() {
    let dir = DataDir::new();
    let s = churn_server(&dir, 2).await;
    let mut guids = Vec::new();
    for _ in 0..4 {
        guids.push(s.new_challenger().await);
    }
    for g in &guids {
        for n in 0..3 {
            assert!(create(&s, g, &format!("t{n}")).await.is_some());
        }
    }
    for g in &guids {
        let ids = stored_ids(&s, g).await;
        assert_eq!(ids, (1..=13).collect(), "{g}");
        // The list itself pages at 10: the created todos are on the second page.
        let page = s.get("/api/todos?_offset=10").as_(g).send().await.json();
        assert_eq!(page["todos"].as_array().unwrap().len(), 3, "{g}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eviction_under_concurrent_load_loses_no_acknowledged_create() {
    let dir = DataDir::new();
    let s = Arc::new(churn_server(&dir, 3).await);
    let mut guids = Vec::new();
    for _ in 0..12 {
        guids.push(s.new_challenger().await);
    }
    // Idle eviction churns too: time jumps past the idle timeout and sweeps run while
    // the writers work.
    let sweeper = {
        let s = s.clone();
        tokio::spawn(async move {
            for _ in 0..200 {
                s.clock.advance_ms(600_000);
                s.handle.evict_idle();
                tokio::task::yield_now().await;
            }
        })
    };
    let mut writers = Vec::new();
    for (w, g) in guids.iter().cycle().take(36).enumerate() {
        let s = s.clone();
        let g = g.clone();
        writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for n in 0..15 {
                if let Some(id) = create(&s, &g, &format!("w{w}n{n}")).await {
                    acked.push(id);
                }
            }
            (g, acked)
        }));
    }
    let mut acked: HashMap<String, Vec<u64>> = HashMap::new();
    for w in writers {
        let (g, ids) = w.await.unwrap();
        acked.entry(g).or_default().extend(ids);
    }
    sweeper.await.unwrap();
    let mut total = 0;
    let mut lost = 0;
    for (g, ids) in &acked {
        let stored = stored_ids(&s, g).await;
        total += ids.len();
        lost += ids.iter().filter(|id| !stored.contains(id)).count();
        let unique: BTreeSet<_> = ids.iter().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "an id was handed out twice for {g}"
        );
    }
    assert_eq!(total, 36 * 15, "every create is acknowledged");
    assert_eq!(lost, 0, "acknowledged creates lost: {lost} of {total}");
}

#[tokio::test]
async fn idle_eviction_keeps_the_latest_state_of_every_learner() {
    let dir = DataDir::new();
    let s = churn_server(&dir, 100).await;
    let mut guids = Vec::new();
    for _ in 0..5 {
        guids.push(s.new_challenger().await);
    }
    for round in 0..3 {
        for g in &guids {
            assert!(create(&s, g, &format!("r{round}")).await.is_some());
        }
        s.clock.advance_ms(600_000);
        assert_eq!(s.handle.evict_idle(), guids.len());
    }
    for g in &guids {
        assert_eq!(stored_ids(&s, g).await, (1..=13).collect(), "{g}");
    }
}
