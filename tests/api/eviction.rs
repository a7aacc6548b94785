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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_new_learners_waits_for_storage_instead_of_queueing_without_bound() {
    const BACKLOG: usize = 40;
    const CAP: usize = 5;
    const FLOOD: usize = 120;
    let dir = DataDir::new();
    let path = dir.0.clone();
    let s = Arc::new(
        TestServer::with(move |c| {
            c.multi_user = true;
            c.storage = true;
            c.data_dir = path;
            c.max_challengers = CAP;
            c.storage_backlog_limit = BACKLOG;
        })
        .await,
    );
    let storage = s.handle.app.storage.clone().expect("storage opened");
    // The disk falls behind: another connection holds the write lock.
    let blocker = rusqlite::Connection::open(storage.path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let flood: Vec<_> = (0..FLOOD)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                let r = s.req("POST", "/api/challenger").send().await;
                (r.status, r.header("x-challenger").map(str::to_string))
            })
        })
        .collect();
    // While the disk is held, the backlog and memory stay within their bounds, and the
    // creations beyond them wait rather than pile up.
    let mut peak_backlog = 0;
    let mut peak_memory = 0;
    let mut answered_meanwhile = 0;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        peak_backlog = peak_backlog.max(storage.pending());
        peak_memory = peak_memory.max(s.handle.app.registry.len());
        answered_meanwhile = flood.iter().filter(|t| t.is_finished()).count();
    }
    assert!(
        peak_backlog >= BACKLOG,
        "the flood filled the backlog: {peak_backlog}"
    );
    // Requests that passed the check at the same moment may each add one learner.
    let in_flight = FLOOD;
    assert!(
        peak_backlog <= BACKLOG + CAP + in_flight / 2,
        "backlog {peak_backlog}"
    );
    assert!(peak_memory <= CAP + 1, "learners in memory {peak_memory}");
    assert!(
        answered_meanwhile < FLOOD,
        "creations waited for storage: {answered_meanwhile} of {FLOOD} answered"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);
    let mut created = Vec::new();
    for t in flood {
        let (status, guid) = t.await.unwrap();
        assert!(matches!(status, 201 | 503), "status {status}");
        if status == 201 {
            created.push(guid.unwrap());
        }
    }
    assert!(
        created.len() > answered_meanwhile,
        "waiters went on once storage caught up"
    );
    // Every acknowledged learner is kept.
    for g in &created {
        let r = s.get(&format!("/api/challenger/{g}")).send().await;
        assert_eq!(r.status, 200, "{g}");
    }
}
