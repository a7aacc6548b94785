//! `--profile classic`: every one of the 59 challenges performed and seen completed,
//! section by section and all in one run, and the 58-list of
//! single-user mode.

use apichallenges::config::ProfileName;
use serde_json::Value;

use crate::common::{Req, Resp, TestServer};

/// A classic server and one learner on it.
pub struct Classic {
    pub s: TestServer,
    pub guid: String,
    /// Check that each challenge was still open before the request that completes it
    /// (off when one learner runs every section, which overlap).
    pub fresh: bool,
}

/// A multi-user classic server, no storage.
pub async fn classic_multi() -> TestServer {
    TestServer::with(|c| {
        c.profile = ProfileName::Classic;
        c.multi_user = true;
    })
    .await
}

/// A single-user classic server, no storage.
pub async fn classic_single() -> TestServer {
    TestServer::with(|c| c.profile = ProfileName::Classic).await
}

/// Register a learner with the classic root route.
pub async fn register(s: &TestServer) -> String {
    let r = s.req("POST", "/challenger").send().await;
    assert_eq!(r.status, 201, "POST /challenger");
    r.header("x-challenger").unwrap().to_string()
}

/// `/challenges` as (name, status) pairs in list order.
pub async fn statuses(s: &TestServer, guid: Option<&str>) -> Vec<(String, bool)> {
    let mut req = s.get("/challenges");
    if let Some(g) = guid {
        req = req.as_(g);
    }
    req.send().await.json()["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["status"].as_bool().unwrap(),
            )
        })
        .collect()
}

impl Classic {
    pub async fn new() -> Classic {
        let s = classic_multi().await;
        let guid = register(&s).await;
        Classic {
            s,
            guid,
            fresh: true,
        }
    }

    /// A request as this learner.
    pub fn req(&self, method: &str, path: &str) -> Req {
        self.s.req(method, path).as_(&self.guid)
    }

    pub async fn send_json(&self, method: &str, path: &str, body: &str) -> Resp {
        self.req(method, path).json(body).send().await
    }

    pub async fn done(&self, title: &str) -> bool {
        let all = statuses(&self.s, Some(&self.guid)).await;
        let found = all.iter().find(|(name, _)| name == title);
        found
            .unwrap_or_else(|| panic!("no classic challenge titled {title:?}"))
            .1
    }

    pub async fn assert_done(&self, title: &str) {
        assert!(self.done(title).await, "{title:?} should be completed");
    }

    pub async fn assert_not_done(&self, title: &str) {
        assert!(!self.done(title).await, "{title:?} should not be completed");
    }

    /// Assert a request completes a challenge it had not completed before.
    async fn completes(&self, title: &str, req: Req) -> Resp {
        if self.fresh {
            self.assert_not_done(title).await;
        }
        let r = req.send().await;
        self.assert_done(title).await;
        r
    }
}

// ---------------------------------------------------------------------------------
// The sections, each performing its challenges as the reference's solutions do.
// ---------------------------------------------------------------------------------

async fn getting_started(c: &Classic) {
    // #1 was completed by registering; #2 is seen already in its own response.
    c.assert_done("POST /challenger (201)").await;
    let r = c.req("GET", "/challenges").send().await;
    let list = r.json()["challenges"].as_array().unwrap().clone();
    assert_eq!(list[1]["name"], "GET /challenges (200)");
    assert_eq!(list[1]["status"], true);
}

async fn get_challenges(c: &Classic) {
    let r = c
        .completes("GET /todos (200)", c.req("GET", "/todos"))
        .await;
    assert_eq!(r.json()["todos"].as_array().unwrap().len(), 10);
    let r = c
        .completes("GET /todo (404) not plural", c.req("GET", "/todo"))
        .await;
    assert_eq!(r.status, 404);
    let r = c
        .completes("GET /todos/{id} (200)", c.req("GET", "/todos/1"))
        .await;
    assert_eq!(r.json()["todos"][0]["id"], 1);
    let r = c
        .completes("GET /todos/{id} (404)", c.req("GET", "/todos/999"))
        .await;
    assert_eq!(r.errors(), ["Could not find an instance with todos/999"]);
    // PUT with title and doneStatus only completes no PUT challenge.
    let r = c
        .send_json(
            "PUT",
            "/todos/1",
            r#"{"title":"scan paperwork","doneStatus":true}"#,
        )
        .await;
    assert_eq!(r.status, 200);
    let r = c
        .completes(
            "GET /todos (200) ?filter",
            c.req("GET", "/todos?doneStatus=true"),
        )
        .await;
    assert_eq!(r.json()["todos"].as_array().unwrap().len(), 1);
}

async fn head_challenges(c: &Classic) {
    let r = c
        .completes("HEAD /todos (200)", c.req("HEAD", "/todos"))
        .await;
    assert_eq!(r.status, 200);
}

async fn creation_with_post(c: &Classic) {
    let title = "POST /todos (201)";
    let r = c
        .completes(title, c.req("POST", "/todos").json(r#"{"title":"new"}"#))
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_u64().unwrap();
    assert_eq!(r.header("location").unwrap(), format!("/todos/{id}"));

    let title = "POST /todos (400) doneStatus";
    let req = c
        .req("POST", "/todos")
        .json(r#"{"title":"t","doneStatus": bob}"#);
    let r = c.completes(title, req).await;
    assert_eq!(
        r.errors(),
        ["Failed Validation: doneStatus should be BOOLEAN but was STRING"]
    );

    let body = format!(r#"{{"title":"{}"}}"#, "t".repeat(51));
    let title = "POST /todos (400) title too long";
    let r = c
        .completes(title, c.req("POST", "/todos").json(&body))
        .await;
    assert_eq!(r.status, 400);

    let body = format!(r#"{{"title":"t","description":"{}"}}"#, "d".repeat(201));
    let title = "POST /todos (400) description too long";
    let r = c
        .completes(title, c.req("POST", "/todos").json(&body))
        .await;
    assert_eq!(
        r.errors(),
        ["Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200"]
    );

    let body = format!(
        r#"{{"title":"{}","description":"{}"}}"#,
        "t".repeat(50),
        "d".repeat(200)
    );
    let title = "POST /todos (201) max out content";
    let r = c
        .completes(title, c.req("POST", "/todos").json(&body))
        .await;
    assert_eq!(r.status, 201);

    let body = format!(r#"{{"title":"t","description":"{}"}}"#, "d".repeat(5000));
    let title = "POST /todos (413) content too long";
    let r = c
        .completes(title, c.req("POST", "/todos").json(&body))
        .await;
    assert_eq!(
        r.errors(),
        ["Error: Request body too large, max allowed is 5000 bytes"]
    );

    let title = "POST /todos (400) extra";
    let req = c
        .req("POST", "/todos")
        .json(r#"{"title":"t","priority":"high"}"#);
    let r = c.completes(title, req).await;
    assert_eq!(r.errors(), ["Could not find field: priority"]);
}

async fn creation_with_put(c: &Classic) {
    let title = "PUT /todos/{id} (400)";
    let req = c.req("PUT", "/todos/999").json(r#"{"title":"t"}"#);
    let r = c.completes(title, req).await;
    assert_eq!(
        r.errors(),
        ["Cannot create todo with PUT due to Auto fields id"]
    );
}

async fn update_with_post(c: &Classic) {
    let title = "POST /todos/{id} (200)";
    let req = c.req("POST", "/todos/2").json(r#"{"title":"amended"}"#);
    let r = c.completes(title, req).await;
    assert_eq!(r.json()["title"], "amended");

    let title = "POST /todos/{id} (404)";
    let req = c.req("POST", "/todos/999").json(r#"{"title":"t"}"#);
    let r = c.completes(title, req).await;
    assert_eq!(
        r.errors(),
        ["No such todo entity instance with id == 999 found"]
    );
}

async fn update_with_put(c: &Classic) {
    let full = r#"{"title":"full","doneStatus":true,"description":"all"}"#;
    let r = c
        .completes(
            "PUT /todos/{id} full (200)",
            c.req("PUT", "/todos/2").json(full),
        )
        .await;
    assert_eq!(r.json()["doneStatus"], true);
    let r = c
        .completes(
            "PUT /todos/{id} partial (200)",
            c.req("PUT", "/todos/2").json(r#"{"title":"partial"}"#),
        )
        .await;
    assert_eq!(r.json()["doneStatus"], false, "PUT resets omitted fields");
    let r = c
        .completes(
            "PUT /todos/{id} no title (400)",
            c.req("PUT", "/todos/2").json(r#"{"description":"d"}"#),
        )
        .await;
    assert_eq!(r.errors(), ["title : field is mandatory"]);
    let r = c
        .completes(
            "PUT /todos/{id} no amend id (400)",
            c.req("PUT", "/todos/2").json(r#"{"id":3,"title":"t"}"#),
        )
        .await;
    assert_eq!(r.errors(), ["Can not amend id from 2 to 3"]);
}

async fn delete_challenges(c: &Classic) {
    let r = c
        .completes("DELETE /todos/{id} (200)", c.req("DELETE", "/todos/3"))
        .await;
    assert_eq!((r.status, r.body.len()), (200, 0));
}

async fn options_challenges(c: &Classic) {
    let r = c
        .completes("OPTIONS /todos (200)", c.req("OPTIONS", "/todos"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("allow"), Some("OPTIONS, GET, HEAD, POST"));
    assert_eq!(r.header("accept-query"), None);
}

async fn accept_challenges(c: &Classic) {
    let get = |accept: &str| c.req("GET", "/todos").header("Accept", accept);
    let r = c
        .completes("GET /todos (200) XML", get("application/xml"))
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(r.text().starts_with("<todos><todo>"));
    let r = c
        .completes("GET /todos (200) JSON", get("application/json"))
        .await;
    assert_eq!(r.content_type(), Some("application/json"));
    let r = c.completes("GET /todos (200) ANY", get("*/*")).await;
    assert_eq!(r.content_type(), Some("application/json"));
    let r = c
        .completes(
            "GET /todos (200) XML pref",
            get("application/xml, application/json"),
        )
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    let r = c
        .completes("GET /todos (200) no accept", c.req("GET", "/todos"))
        .await;
    assert_eq!(r.content_type(), Some("application/json"));
    let r = c
        .completes("GET /todos (406)", get("application/gzip"))
        .await;
    assert_eq!(r.errors(), ["Unrecognised Accept Type"]);
}

async fn content_type_challenges(c: &Classic) {
    let xml = "<todo><title>from xml</title></todo>";
    let req = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/xml")
        .body(xml);
    let r = c.completes("POST /todos XML", req).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.content_type(), Some("application/xml"));
    let req = c
        .req("POST", "/todos")
        .header("Accept", "application/json")
        .json(r#"{"title":"from json"}"#);
    let r = c.completes("POST /todos JSON", req).await;
    assert_eq!(r.content_type(), Some("application/json"));
    let req = c
        .req("POST", "/todos")
        .header("Content-Type", "Text/Plain")
        .body("title");
    let r = c.completes("POST /todos (415)", req).await;
    assert_eq!(r.errors(), ["Unsupported Content Type - text/plain"]);
}

async fn restore_session(c: &Classic) {
    let path = format!("/challenger/{}", c.guid);
    let title = "GET /challenger/guid (existing X-CHALLENGER)";
    let r = c.completes(title, c.req("GET", &path)).await;
    let progress = r.json();
    let key = "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS";
    assert_eq!(
        progress["challengeStatus"][key], true,
        "recorded before the body"
    );

    let title = "PUT /challenger/guid RESTORE";
    let r = c
        .completes(title, c.req("PUT", &path).json(&progress.to_string()))
        .await;
    assert_eq!(r.status, 200);
    let key = "PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS";
    assert_eq!(
        r.json()["challengeStatus"][key],
        false,
        "recorded after the body"
    );

    let db_path = format!("/challenger/database/{}", c.guid);
    let title = "GET /challenger/database/guid (200)";
    let r = c.completes(title, c.req("GET", &db_path)).await;
    let todos = r.text();
    let title = "PUT /challenger/database/guid (Update)";
    let r = c
        .completes(title, c.req("PUT", &db_path).json(&todos))
        .await;
    assert_eq!(r.status, 204);
}

/// #36 credits a learner that was not in memory: the one the payload recreates.
async fn restore_session_create(s: &TestServer) {
    let guid = uuid::Uuid::new_v4().to_string();
    let payload = serde_json::json!({
        "xChallenger": guid,
        "xAuthToken": uuid::Uuid::new_v4().to_string(),
        "secretNote": "",
        "challengeStatus": {"CREATE_NEW_CHALLENGER": true},
    });
    let r = s
        .req("PUT", &format!("/challenger/{guid}"))
        .json(&payload.to_string())
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.header("x-challenger"), Some(guid.as_str()));
    let all = statuses(s, Some(&guid)).await;
    let created = all
        .iter()
        .find(|(name, _)| name == "PUT /challenger/guid CREATE");
    assert_eq!(created.map(|(_, done)| *done), Some(true));
}

async fn mix_accept_and_content_type(c: &Classic) {
    let req = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/json")
        .body("<todo><title>x to j</title></todo>");
    let r = c.completes("POST /todos XML to JSON", req).await;
    assert_eq!(r.json()["title"], "x to j");
    let req = c
        .req("POST", "/todos")
        .header("Accept", "application/xml")
        .json(r#"{"title":"j to x"}"#);
    let r = c.completes("POST /todos JSON to XML", req).await;
    assert!(r.text().contains("<title>j to x</title>"));
}

async fn status_codes(c: &Classic) {
    for (method, status, title) in [
        ("DELETE", 405, "DELETE /heartbeat (405)"),
        ("PATCH", 500, "PATCH /heartbeat (500)"),
        ("TRACE", 501, "TRACE /heartbeat (501)"),
        ("GET", 204, "GET /heartbeat (204)"),
    ] {
        let r = c.completes(title, c.req(method, "/heartbeat")).await;
        assert_eq!(r.status, status, "{method}");
    }
}

async fn method_override(c: &Classic) {
    for (verb, status, title) in [
        ("delete", 405, "POST /heartbeat as DELETE (405)"),
        ("PATCH", 500, "POST /heartbeat as PATCH (500)"),
        ("trace", 501, "POST /heartbeat as Trace (501)"),
    ] {
        let req = c
            .req("POST", "/heartbeat")
            .header("X-HTTP-Method-Override", verb);
        let r = c.completes(title, req).await;
        assert_eq!(r.status, status, "{verb}");
    }
}

/// Returns the learner's secret token.
async fn authentication(c: &Classic) -> String {
    let req = c
        .req("POST", "/secret/token")
        .header("Authorization", "Basic YWRtaW46YWRtaW4=");
    let r = c.completes("POST /secret/token (401)", req).await;
    assert_eq!(r.status, 401);
    let req = c
        .req("POST", "/secret/token")
        .header("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=");
    let r = c.completes("POST /secret/token (201)", req).await;
    assert_eq!(r.status, 201);
    r.header("x-auth-token").unwrap().to_string()
}

async fn authorization(c: &Classic, token: &str) {
    let note = |method: &str| c.req(method, "/secret/note");
    let r = c
        .completes(
            "GET /secret/note (403)",
            note("GET").header("X-AUTH-TOKEN", "bob"),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = c.completes("GET /secret/note (401)", note("GET")).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), None);
    let r = c
        .completes(
            "GET /secret/note (200)",
            note("GET").header("X-AUTH-TOKEN", token),
        )
        .await;
    assert_eq!(r.json()["note"], "");
    let req = note("POST")
        .header("X-AUTH-TOKEN", token)
        .json(r#"{"note":"my note"}"#);
    let r = c.completes("POST /secret/note (200)", req).await;
    assert_eq!(r.json()["note"], "my note");
    let req = note("POST").json(r#"{"note":"my note"}"#);
    let r = c.completes("POST /secret/note (401)", req).await;
    assert_eq!(r.status, 401);
    let req = note("POST")
        .header("X-AUTH-TOKEN", "bob")
        .json(r#"{"note":"my note"}"#);
    let r = c.completes("POST /secret/note (403)", req).await;
    assert_eq!(r.status, 403);
    let bearer = format!("Bearer {token}");
    let req = note("GET").header("Authorization", &bearer);
    let r = c.completes("GET /secret/note (Bearer)", req).await;
    assert_eq!(r.json()["note"], "my note");
    let req = note("POST")
        .header("Authorization", &bearer)
        .json(r#"{"note":"bearer note"}"#);
    let r = c.completes("POST /secret/note (Bearer)", req).await;
    assert_eq!(r.json()["note"], "bearer note");
}

/// The ids of the learner's todos.
async fn todo_ids(c: &Classic) -> Vec<u64> {
    c.req("GET", "/todos").send().await.json()["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect()
}

async fn miscellaneous(c: &Classic) {
    let title = "POST /todos (201) all";
    if c.fresh {
        c.assert_not_done(title).await;
    }
    let mut refused = None;
    for n in 0..25 {
        let r = c
            .send_json("POST", "/todos", &format!(r#"{{"title":"fill {n}"}}"#))
            .await;
        if r.status != 201 {
            refused = Some(r);
            break;
        }
    }
    let r = refused.expect("the limit refuses a create");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.errors(),
        ["ERROR: Cannot add instance, maximum limit of 20 reached"]
    );
    assert_eq!(
        todo_ids(c).await.len(),
        20,
        "the list holds all 20, no paging"
    );
    c.assert_done(title).await;

    let title = "DELETE /todos/{id} (200) all";
    if c.fresh {
        c.assert_not_done(title).await;
    }
    for id in todo_ids(c).await {
        let r = c.req("DELETE", &format!("/todos/{id}")).send().await;
        assert_eq!(r.status, 200);
    }
    assert!(todo_ids(c).await.is_empty());
    c.assert_done(title).await;
}

// ---------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn getting_started_and_get_challenges_complete() {
    let c = Classic::new().await;
    getting_started(&c).await;
    get_challenges(&c).await;
    head_challenges(&c).await;
}

#[tokio::test]
async fn creation_and_update_challenges_complete() {
    let c = Classic::new().await;
    creation_with_post(&c).await;
    creation_with_put(&c).await;
    update_with_post(&c).await;
    update_with_put(&c).await;
    delete_challenges(&c).await;
    options_challenges(&c).await;
}

#[tokio::test]
async fn accept_and_content_type_challenges_complete() {
    let c = Classic::new().await;
    accept_challenges(&c).await;
    content_type_challenges(&c).await;
    mix_accept_and_content_type(&c).await;
}

#[tokio::test]
async fn restore_challenges_complete() {
    let c = Classic::new().await;
    restore_session(&c).await;
    restore_session_create(&c.s).await;
}

#[tokio::test]
async fn status_code_and_override_challenges_complete() {
    let c = Classic::new().await;
    status_codes(&c).await;
    method_override(&c).await;
}

#[tokio::test]
async fn secret_challenges_complete() {
    let c = Classic::new().await;
    let token = authentication(&c).await;
    authorization(&c, &token).await;
}

#[tokio::test]
async fn miscellaneous_challenges_complete() {
    let c = Classic::new().await;
    miscellaneous(&c).await;
}

#[tokio::test]
async fn one_learner_completes_all_fifty_nine() {
    let mut c = Classic::new().await;
    c.fresh = false;
    getting_started(&c).await;
    get_challenges(&c).await;
    head_challenges(&c).await;
    creation_with_post(&c).await;
    creation_with_put(&c).await;
    update_with_post(&c).await;
    update_with_put(&c).await;
    delete_challenges(&c).await;
    options_challenges(&c).await;
    accept_challenges(&c).await;
    content_type_challenges(&c).await;
    restore_session(&c).await;
    mix_accept_and_content_type(&c).await;
    status_codes(&c).await;
    method_override(&c).await;
    let token = authentication(&c).await;
    authorization(&c, &token).await;
    miscellaneous(&c).await;
    // #36 recreates a learner that is not in memory: this learner, after eviction.
    let progress = c
        .req("GET", &format!("/challenger/{}", c.guid))
        .send()
        .await
        .json();
    c.s.clock.advance_ms(3_600_000);
    assert_eq!(c.s.handle.evict_idle(), 1);
    let r = c
        .req("PUT", &format!("/challenger/{}", c.guid))
        .json(&progress.to_string())
        .send()
        .await;
    assert_eq!(r.status, 201);
    let all = statuses(&c.s, Some(&c.guid)).await;
    assert_eq!(all.len(), 59);
    let missing: Vec<&str> = all
        .iter()
        .filter(|(_, done)| !done)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(missing.is_empty(), "not completed: {missing:?}");
}

#[tokio::test]
async fn multi_user_presents_the_59_in_order_with_integer_ids() {
    let s = classic_multi().await;
    let body = s.get("/challenges").send().await.json();
    let list = body["challenges"].as_array().unwrap();
    assert_eq!(list.len(), 59);
    let ids: Vec<u64> = list.iter().map(|c| c["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=59).collect::<Vec<u64>>());
    assert_eq!(list[0]["name"], "POST /challenger (201)");
    assert_eq!(list[35]["name"], "PUT /challenger/guid CREATE");
    assert_eq!(list[58]["name"], "POST /todos (201) all");
    let keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "description", "status"]);
    assert!(list.iter().all(|c| c["status"] == false));
}

#[tokio::test]
async fn storage_never_adds_the_persistence_only_challenges() {
    let dir = std::env::temp_dir().join(format!("apic-classic-{}", uuid::Uuid::new_v4()));
    let s = TestServer::with(|c| {
        c.profile = ProfileName::Classic;
        c.multi_user = true;
        c.storage = true;
        c.data_dir = dir.clone();
    })
    .await;
    assert_eq!(statuses(&s, None).await.len(), 59);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn single_user_presents_58_without_put_create() {
    let s = classic_single().await;
    let all = statuses(&s, None).await;
    assert_eq!(all.len(), 58);
    assert!(all.iter().all(|(n, _)| n != "PUT /challenger/guid CREATE"));
    assert_eq!(all[35].0, "GET /challenger/database/guid (200)");
    assert_eq!(all[57].0, "POST /todos (201) all");
    // The progress payload holds exactly the presented keys.
    let r = s.get("/challenger/x").send().await;
    let status = r.json()["challengeStatus"].as_object().unwrap().clone();
    assert_eq!(status.len(), 58);
    assert!(!status.contains_key("PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS"));
    // Challenges complete without any X-CHALLENGER.
    s.get("/todos").send().await;
    let all = statuses(&s, None).await;
    assert!(all.iter().any(|(n, done)| n == "GET /todos (200)" && *done));
}

#[tokio::test]
async fn progress_payload_holds_exactly_the_59_keys() {
    let c = Classic::new().await;
    let r = c
        .req("GET", &format!("/challenger/{}", c.guid))
        .send()
        .await;
    let body: Value = r.json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["xAuthToken", "xChallenger", "secretNote", "challengeStatus"]
    );
    let status = body["challengeStatus"].as_object().unwrap();
    assert_eq!(status.len(), 59);
    assert!(status.contains_key("PUT_TODOS_400"));
    assert!(!status.contains_key("GET_RESTORE_EXISTING_CHALLENGER"));
}

#[tokio::test]
async fn not_plural_counts_when_a_browser_accept_turns_the_404_into_a_redirect() {
    let c = Classic::new().await;
    let req = c
        .req("GET", "/todo")
        .header("Accept", "text/html,application/xhtml+xml");
    let r = c.completes("GET /todo (404) not plural", req).await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location"), Some("/gui/404/todo"));
}

#[tokio::test]
async fn nothing_is_recorded_without_a_known_challenger() {
    let c = Classic::new().await;
    let r = c.s.get("/todos").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("x-challenger"),
        Some("UNKNOWN CHALLENGER - Challenger not found")
    );
    let r =
        c.s.req("POST", "/todos")
            .json(r#"{"title":"t"}"#)
            .send()
            .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.errors(),
        ["Cannot amend details. Missing a valid X-CHALLENGER header."]
    );
    c.assert_not_done("GET /todos (200)").await;
}
