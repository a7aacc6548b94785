//! `GET /challenges`: the active set per configuration, JSON and XML, HEAD/OPTIONS
//! (99 multi-user with storage, 97 without, 96 single-user).

use crate::common::TestServer;

async fn count(s: &TestServer, guid: Option<&str>) -> usize {
    s.statuses(guid).await.len()
}

#[tokio::test]
async fn active_set_sizes_follow_the_configuration() {
    let single = TestServer::single().await;
    assert_eq!(count(&single, None).await, 96);
    let multi = TestServer::multi().await;
    assert_eq!(count(&multi, None).await, 97);
    let dir = std::env::temp_dir().join(format!("apic-active-{}", uuid::Uuid::new_v4()));
    let stored = TestServer::with(|c| {
        c.multi_user = true;
        c.storage = true;
        c.data_dir = dir.clone();
    })
    .await;
    assert_eq!(count(&stored, None).await, 99);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn ids_renumber_after_the_dropped_restore_challenges() {
    let s = TestServer::single().await;
    let body = s.get("/api/challenges").send().await.json();
    let list = body["challenges"].as_array().unwrap();
    let ids: Vec<u64> = list.iter().map(|c| c["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=96).collect::<Vec<u64>>());
    assert_eq!(
        list[69]["name"],
        "GET /api/challenger/guid (existing X-CHALLENGER)"
    );
    assert_eq!(list[72]["name"], "GET /api/challenger/database/guid (200)");
    assert_eq!(list[74]["name"], "POST /api/todos XML to JSON");
    assert_eq!(list[95]["name"], "POST /api/todos (409) max todos");
    let first = &list[0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "description", "status"]);
}

#[tokio::test]
async fn get_challenges_records_itself_before_answering() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let r = s.get("/api/challenges").as_(&guid).send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(
        r.header("location").unwrap(),
        format!("/gui/challenges/{guid}")
    );
    let list = r.json()["challenges"].as_array().unwrap().clone();
    assert_eq!(list[1]["name"], "GET /api/challenges (200)");
    assert_eq!(list[1]["status"], true);
    assert_eq!(list[2]["status"], false);
}

#[tokio::test]
async fn unknown_challenger_sees_everything_false_and_no_location() {
    let s = TestServer::multi().await;
    let r = s.get("/challenges").send().await;
    assert_eq!(r.header("location"), None);
    let all_false = r.json()["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == false);
    assert!(all_false);
    let single = TestServer::single().await;
    let r = single.get("/api/challenges").send().await;
    assert_eq!(r.header("location"), Some("/gui/challenges"));
}

#[tokio::test]
async fn challenges_render_as_xml_when_asked() {
    let s = TestServer::single().await;
    let r = s
        .get("/api/challenges")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    let text = r.text();
    assert!(text
        .starts_with("<challenges><challenge><id>1</id><name>POST /api/challenger (201)</name>"));
    assert!(text.contains("<id>2</id><name>GET /api/challenges (200)</name>"));
    assert!(text.contains("<status>true</status>"));
    assert_eq!(text.matches("<challenge>").count(), 96);
    assert!(text.ends_with("</challenge></challenges>"));
}

#[tokio::test]
async fn challenges_filter_by_status() {
    let s = TestServer::single().await;
    let done = s.get("/api/challenges?status=true").send().await.json();
    let names: Vec<&str> = done["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["GET /api/challenges (200)"]);
}

#[tokio::test]
async fn challenges_head_options_and_other_methods() {
    let s = TestServer::single().await;
    let head = s.req("HEAD", "/api/challenges").send().await;
    assert_eq!(head.status, 200);
    assert_eq!(head.content_type(), Some("application/json"));
    let options = s.req("OPTIONS", "/challenges").send().await;
    assert_eq!(options.status, 200);
    assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert_eq!(options.content_type(), Some("application/json"));
    assert_eq!(s.req("POST", "/api/challenges").send().await.status, 405);
    assert_eq!(s.req("DELETE", "/challenges").send().await.status, 405);
}
