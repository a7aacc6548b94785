//! Restoring progress and todos (`PUT /challenger/{guid}` and `/challenger/database/{guid}`).

use crate::common::{TestServer, SINGLE};

async fn payload(s: &TestServer, guid: &str) -> serde_json::Value {
    s.get(&format!("/api/challenger/{guid}"))
        .as_(guid)
        .send()
        .await
        .json()
}

#[tokio::test]
async fn get_own_progress_completes_72() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let other = s.new_challenger().await;
    // Another learner's URL does not count for the requester.
    s.get(&format!("/api/challenger/{other}"))
        .as_(&g)
        .send()
        .await;
    s.assert_not_done(Some(&g), "GET /api/challenger/guid (existing X-CHALLENGER)")
        .await;
    s.get(&format!("/challenger/{g}")).as_(&g).send().await;
    s.assert_done(Some(&g), "GET /api/challenger/guid (existing X-CHALLENGER)")
        .await;
}

#[tokio::test]
async fn put_progress_for_an_in_memory_challenger_restores_and_completes_73() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let mut saved = payload(&s, &g).await;
    saved["challengeStatus"]["GET_TODOS"] = true.into();
    saved["secretNote"] = "n".repeat(120).into();
    let r = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .as_(&g)
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-challenger"), Some(g.as_str()));
    let body = r.json();
    assert_eq!(body["challengeStatus"]["GET_TODOS"], true);
    assert_eq!(
        body["secretNote"].as_str().unwrap().len(),
        100,
        "note cut to 100"
    );
    s.assert_done(Some(&g), "PUT /api/challenger/guid RESTORE")
        .await;
    s.assert_done(Some(&g), "GET /api/todos (200)").await;
}

#[tokio::test]
async fn put_progress_replaces_statuses_including_lowering_them() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    s.get("/api/heartbeat").as_(&g).send().await;
    s.assert_done(Some(&g), "GET /api/heartbeat (204)").await;
    let mut saved = payload(&s, &g).await;
    saved["challengeStatus"]["GET_HEARTBEAT_204"] = false.into();
    saved["challengeStatus"]["NOT_A_CHALLENGE"] = true.into();
    let r = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 200);
    s.assert_not_done(Some(&g), "GET /api/heartbeat (204)")
        .await;
}

#[tokio::test]
async fn retired_keys_stand_in_for_their_replacements() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let mut saved = payload(&s, &g).await;
    let statuses = saved["challengeStatus"].as_object_mut().unwrap();
    statuses.remove("PUT_TODOS_422");
    statuses.insert("PUT_TODOS_400".into(), true.into());
    let r = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 200);
    s.assert_done(Some(&g), "PUT /api/todos/{id} (422)").await;
}

#[tokio::test]
async fn put_progress_with_mismatched_guid_is_409_and_completes_74() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let saved = payload(&s, &g).await;
    let elsewhere = uuid::Uuid::new_v4();
    let r = s
        .req("PUT", &format!("/api/challenger/{elsewhere}"))
        .as_(&g)
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.errors(),
        vec!["URL GUID does not match payload X-CHALLENGER"]
    );
    s.assert_done(Some(&g), "PUT /api/challenger/guid (409) mismatch")
        .await;
}

#[tokio::test]
async fn put_progress_for_a_new_guid_creates_it_and_completes_75_for_it() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let mut saved = payload(&s, &g).await;
    let fresh = uuid::Uuid::new_v4().to_string();
    saved["xChallenger"] = fresh.clone().into();
    saved["challengeStatus"]["GET_TODOS"] = true.into();
    let r = s
        .req("PUT", &format!("/api/challenger/{fresh}"))
        .as_(&g)
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert!(r.body.is_empty());
    assert_eq!(r.header("x-challenger"), Some(fresh.as_str()));
    s.assert_done(Some(&fresh), "PUT /api/challenger/guid CREATE")
        .await;
    s.assert_done(Some(&fresh), "GET /api/todos (200)").await;
    s.assert_not_done(Some(&g), "PUT /api/challenger/guid CREATE")
        .await;
    let todos = s.get("/api/todos").as_(&fresh).send().await.json();
    assert_eq!(
        todos["todos"].as_array().unwrap().len(),
        10,
        "fresh seeded database"
    );
}

#[tokio::test]
async fn put_progress_rejects_bad_guids_and_bodies() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let r = s.req("PUT", "/api/challenger/abc").json("{}").send().await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.errors(),
        vec!["Invalid Challenger GUID Invalid UUID string: abc"]
    );
    let empty = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json("")
        .send()
        .await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.errors(), vec!["Invalid Payload"]);
    let broken = s
        .req("PUT", &format!("/api/challenger/{g}"))
        .json("{")
        .send()
        .await;
    assert_eq!(broken.status, 400);
}

#[tokio::test]
async fn get_database_completes_76_and_renders_the_export_format() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let r = s
        .get(&format!("/api/challenger/database/{g}"))
        .as_(&g)
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert!(
        r.text()
            .starts_with(r#"{"todos" : [{"id": 1, "title": "scan paperwork"}"#),
        "{}",
        r.text()
    );
    s.assert_done(Some(&g), "GET /api/challenger/database/guid (200)")
        .await;
    let stranger = uuid::Uuid::new_v4();
    let missing = s
        .get(&format!("/challenger/database/{stranger}"))
        .send()
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.errors(),
        vec![format!("Challenger not found {stranger}")]
    );
    let bad = s.get("/api/challenger/database/nope").send().await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn put_database_replaces_todos_and_completes_77() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let body = r#"{"todos":[{"id":5,"title":"restored","description":"from backup"},{"id":9,"title":"done","doneStatus":true}]}"#;
    let r = s
        .req("PUT", &format!("/api/challenger/database/{g}"))
        .as_(&g)
        .json(body)
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("x-challenger"), Some(g.as_str()));
    s.assert_done(Some(&g), "PUT /api/challenger/database/guid (Update)")
        .await;
    let list = s.get("/api/todos").as_(&g).send().await.json();
    assert_eq!(
        list["todos"],
        serde_json::json!([
            {"id":5,"title":"restored","doneStatus":false,"description":"from backup"},
            {"id":9,"title":"done","doneStatus":true,"description":""}
        ])
    );
    let created = s
        .req("POST", "/api/todos")
        .as_(&g)
        .json(r#"{"title":"next"}"#)
        .send()
        .await;
    assert_eq!(
        created.json()["id"],
        10,
        "counter moves above the highest restored id"
    );
}

#[tokio::test]
async fn put_database_for_an_unknown_challenger_is_404() {
    let s = TestServer::multi().await;
    let stranger = uuid::Uuid::new_v4();
    let r = s
        .req("PUT", &format!("/api/challenger/database/{stranger}"))
        .json(r#"{"todos":[]}"#)
        .send()
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.errors(),
        vec!["Unknown Challenger GUID - have you created or loaded the challenger state"]
    );
    let g = s.new_challenger().await;
    let bad = s
        .req("PUT", &format!("/api/challenger/database/{g}"))
        .json("[1,2]")
        .send()
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn single_user_restore_round_trip() {
    let s = TestServer::single().await;
    let saved = s
        .get(&format!("/api/challenger/{SINGLE}"))
        .send()
        .await
        .json();
    let r = s
        .req("PUT", &format!("/api/challenger/{SINGLE}"))
        .json(&saved.to_string())
        .send()
        .await;
    assert_eq!(r.status, 200);
    s.assert_done(None, "PUT /api/challenger/guid RESTORE")
        .await;
    let db = s
        .get(&format!("/api/challenger/database/{SINGLE}"))
        .send()
        .await;
    assert_eq!(db.status, 200);
    let put = s
        .req("PUT", &format!("/api/challenger/database/{SINGLE}"))
        .body(db.body.clone())
        .header("Content-Type", "application/json")
        .send()
        .await;
    assert_eq!(put.status, 204);
    s.assert_done(None, "GET /api/challenger/database/guid (200)")
        .await;
    s.assert_done(None, "PUT /api/challenger/database/guid (Update)")
        .await;
}
