//! Durable progress: learners survive eviction and restarts (reloaded on demand; challenges
//! #70, #71).

use std::path::PathBuf;

use crate::common::{TestServer, SINGLE};

/// A fresh data directory, removed when dropped.
pub struct DataDir(pub PathBuf);

impl DataDir {
    pub fn new() -> DataDir {
        let dir = std::env::temp_dir().join(format!("apic-test-{}", uuid::Uuid::new_v4()));
        DataDir(dir)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn stored_server(dir: &DataDir, multi_user: bool) -> TestServer {
    let path = dir.0.clone();
    TestServer::with(move |c| {
        c.multi_user = multi_user;
        c.storage = true;
        c.data_dir = path;
    })
    .await
}

async fn add_todo(s: &TestServer, guid: &str, title: &str) -> u64 {
    let r = s
        .req("POST", "/api/todos")
        .as_(guid)
        .json(&format!(r#"{{"title":"{title}","doneStatus":true}}"#))
        .send()
        .await;
    assert_eq!(r.status, 201);
    r.json()["id"].as_u64().unwrap()
}

async fn titles(s: &TestServer, guid: &str) -> Vec<String> {
    s.get("/api/todos?_limit=20").as_(guid).send().await.json()["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_evicted_learner_comes_back_from_storage_and_completes_70() {
    let dir = DataDir::new();
    let s = stored_server(&dir, true).await;
    let g = s.new_challenger().await;
    add_todo(&s, &g, "kept across eviction").await;
    s.get("/api/heartbeat").as_(&g).send().await;
    s.clock.advance_ms(600_000);
    assert_eq!(s.handle.evict_idle(), 1);
    assert_eq!(s.handle.app.registry.len(), 0);

    let r = s.get(&format!("/api/challenger/{g}")).send().await;
    assert_eq!(r.status, 200, "loaded from storage");
    assert_eq!(r.json()["challengeStatus"]["GET_HEARTBEAT_204"], true);
    s.assert_done(Some(&g), "GET /api/challenger/guid (200)")
        .await;
    assert!(titles(&s, &g)
        .await
        .contains(&"kept across eviction".to_string()));
}

#[tokio::test]
async fn posting_an_evicted_guid_reloads_it_and_completes_71() {
    let dir = DataDir::new();
    let s = stored_server(&dir, true).await;
    let g = s.new_challenger().await;
    s.clock.advance_ms(600_000);
    s.handle.evict_idle();
    let r = s.req("POST", "/api/challenger").as_(&g).send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-challenger"), Some(g.as_str()));
    s.assert_done(Some(&g), "POST /api/challenger (existing X-CHALLENGER)")
        .await;
}

#[tokio::test]
async fn a_learner_that_stayed_in_memory_does_not_complete_70() {
    let dir = DataDir::new();
    let s = stored_server(&dir, true).await;
    let g = s.new_challenger().await;
    s.get(&format!("/api/challenger/{g}")).as_(&g).send().await;
    s.req("POST", "/api/challenger").as_(&g).send().await;
    s.assert_not_done(Some(&g), "GET /api/challenger/guid (200)")
        .await;
    s.assert_not_done(Some(&g), "POST /api/challenger (existing X-CHALLENGER)")
        .await;
}

#[tokio::test]
async fn progress_todos_note_and_token_survive_a_restart() {
    let dir = DataDir::new();
    let s = stored_server(&dir, true).await;
    let g = s.new_challenger().await;
    let id = add_todo(&s, &g, "survivor").await;
    s.req("DELETE", "/api/todos/1").as_(&g).send().await;
    let token = s
        .req("POST", "/api/secret/token")
        .as_(&g)
        .header("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=")
        .send()
        .await
        .header("x-auth-token")
        .unwrap()
        .to_string();
    s.req("POST", "/api/secret/note")
        .as_(&g)
        .header("X-AUTH-TOKEN", &token)
        .json(r#"{"note":"remember me"}"#)
        .send()
        .await;
    s.handle.shutdown().await;

    let s = stored_server(&dir, true).await;
    let r = s.get(&format!("/api/challenger/{g}")).send().await;
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["xAuthToken"], token.as_str());
    assert_eq!(body["secretNote"], "remember me");
    assert_eq!(body["challengeStatus"]["POST_TODOS"], true);
    assert_eq!(body["challengeStatus"]["DELETE_A_TODO"], true);
    let list = titles(&s, &g).await;
    assert!(list.contains(&"survivor".to_string()));
    assert!(
        !list.contains(&"scan paperwork".to_string()),
        "deletion kept"
    );
    let next = add_todo(&s, &g, "after restart").await;
    assert_eq!(next, id + 1, "the id counter is kept");
}

#[tokio::test]
async fn single_user_progress_survives_a_restart() {
    let dir = DataDir::new();
    let s = stored_server(&dir, false).await;
    s.get("/api/todos").send().await;
    add_todo(&s, SINGLE, "single").await;
    s.handle.shutdown().await;
    let s = stored_server(&dir, false).await;
    s.assert_done(None, "GET /api/todos (200)").await;
    assert!(titles(&s, SINGLE).await.contains(&"single".to_string()));
}

#[tokio::test]
async fn the_reference_progress_payload_restores() {
    // The shape the reference returns and saves: extra bookkeeping fields, a subset
    // of challenge keys in any order, a retired key.
    let s = TestServer::multi().await;
    let g = uuid::Uuid::new_v4().to_string();
    let token = uuid::Uuid::new_v4().to_string();
    let payload = format!(
        r#"{{"xAuthToken":"{token}","extratime":30000,"xChallenger":"{g}","lastAccessed":1597741082968,"expiresin":630000,"secretNote":"from the reference","challengeStatus":{{"CREATE_SECRET_TOKEN_201":true,"CREATE_NEW_CHALLENGER":true,"GET_HEARTBEAT_204":false,"PUT_TODOS_400":true,"GET_TODOS":true}}}}"#
    );
    let r = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json(&payload)
        .send()
        .await;
    assert_eq!(r.status, 201);
    let body = s.get(&format!("/api/challenger/{g}")).send().await.json();
    assert_eq!(body["xAuthToken"], token.as_str());
    assert_eq!(body["secretNote"], "from the reference");
    assert_eq!(body["challengeStatus"]["CREATE_SECRET_TOKEN_201"], true);
    assert_eq!(body["challengeStatus"]["GET_TODOS"], true);
    assert_eq!(
        body["challengeStatus"]["PUT_TODOS_422"], true,
        "retired key carried over"
    );
    assert_eq!(body["challengeStatus"]["GET_HEARTBEAT_204"], false);
    // And our payload goes back to the same place unchanged.
    let again = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json(&body.to_string())
        .send()
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["challengeStatus"], body["challengeStatus"]);
}

/// Storage that cannot be opened stops the start (the host asked for saved progress);
/// `--no-storage` is the way to run without it.
#[tokio::test]
async fn an_unwritable_data_dir_stops_the_start() {
    let file = std::env::temp_dir().join(format!("apic-not-a-dir-{}", uuid::Uuid::new_v4()));
    std::fs::write(&file, b"a file, not a directory").unwrap();
    let config = apichallenges::Config {
        multi_user: true,
        storage: true,
        data_dir: file.clone(),
        ..apichallenges::Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let error = apichallenges::serve(config, listener)
        .err()
        .expect("the start fails");
    assert_eq!(
        error.to_string(),
        format!(
            "cannot open storage in {}: cannot create the directory: file exists (choose \
             another --data-dir, or start with --no-storage to keep progress in memory only)",
            file.display()
        )
    );
    let _ = std::fs::remove_file(&file);
}
