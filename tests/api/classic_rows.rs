//! What `--profile classic` answers differently, topic by topic,
//! from the current profile, and the 20-todo limit under concurrent creates.

use std::sync::Arc;

use crate::classic::{classic_multi, classic_single, Classic};
use crate::common::{Resp, TestServer};

const LIMIT_MESSAGE: &str = "ERROR: Cannot add instance, maximum limit of 20 reached";

/// 20 concurrent creates for a learner holding the 10 seeds, then one more: exactly 10
/// succeed and 11 are refused with the limit message and `refused_status`. Returns
/// the created ids.
async fn fill_concurrently(s: Arc<TestServer>, guid: &str, refused_status: u16) -> Vec<u64> {
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..20 {
        let req = s
            .req("POST", "/todos")
            .as_(guid)
            .json(&format!(r#"{{"title":"parallel {n}"}}"#));
        tasks.spawn(req.send());
    }
    let mut replies: Vec<Resp> = tasks.join_all().await;
    let one_more = s
        .req("POST", "/todos")
        .as_(guid)
        .json(r#"{"title":"one more"}"#);
    replies.push(one_more.send().await);
    let refused = replies
        .iter()
        .filter(|r| r.status == refused_status && r.errors() == [LIMIT_MESSAGE])
        .count();
    let mut created: Vec<u64> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.json()["id"].as_u64().unwrap())
        .collect();
    assert_eq!((created.len(), refused), (10, 11), "201s and refusals");
    created.sort_unstable();
    created
}

#[tokio::test]
async fn concurrent_creates_stop_at_twenty_in_classic() {
    let s = Arc::new(classic_multi().await);
    let guid = crate::classic::register(&s).await;
    let created = fill_concurrently(s.clone(), &guid, 400).await;
    // Refused creates use ids up too, so the 10 created ids are distinct and lie
    // between 11 and 30; the next id is past all 21 attempts.
    created.windows(2).for_each(|w| assert!(w[0] < w[1]));
    assert!(created.iter().all(|id| (11..=31).contains(id)));
    let list = s.get("/todos").as_(&guid).send().await.json();
    assert_eq!(list["todos"].as_array().unwrap().len(), 20);
    s.req("DELETE", "/todos/1").as_(&guid).send().await;
    let next = s
        .req("POST", "/todos")
        .as_(&guid)
        .json(r#"{"title":"after"}"#)
        .send()
        .await;
    assert_eq!(next.json()["id"], 32, "21 attempts used ids 11-31");
}

#[tokio::test]
async fn concurrent_creates_stop_at_twenty_in_current() {
    let s = Arc::new(TestServer::multi().await);
    let guid = s.new_challenger().await;
    let created = fill_concurrently(s.clone(), &guid, 409).await;
    assert_eq!(created, (11..=20).collect::<Vec<u64>>());
}

#[tokio::test]
async fn reason_phrases_are_jetty_ones() {
    let c = Classic::new().await;
    let r = c.req("PATCH", "/heartbeat").send().await;
    assert_eq!((r.status, r.reason.as_str()), (500, "Server Error"));
    let body = format!(r#"{{"title":"{}"}}"#, "t".repeat(5001));
    let r = c.send_json("POST", "/todos", &body).await;
    assert_eq!((r.status, r.reason.as_str()), (413, "Payload Too Large"));
}

#[tokio::test]
async fn there_is_no_api_prefix() {
    let c = Classic::new().await;
    for path in ["/api/todos", "/api/challenges", "/api/heartbeat", "/api"] {
        let r = c.req("GET", path).send().await;
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.is_empty(), "{path}");
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    }
    let r = c
        .req("GET", "/api/todos")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
}

#[tokio::test]
async fn unknown_api_paths_name_the_first_accept_entry() {
    let c = Classic::new().await;
    let r = c
        .req("GET", "/todos/1/x")
        .header("Accept", "text/plain, application/json")
        .send()
        .await;
    assert_eq!((r.status, r.content_type()), (404, Some("text/plain")));
    assert!(r.body.is_empty());
    let r = c
        .req("GET", "/todos/")
        .header("Accept", "application/json")
        .send()
        .await;
    assert_eq!(r.errors(), ["404 resource Unknown"]);
}

#[tokio::test]
async fn every_response_carries_classic_headers() {
    let c = Classic::new().await;
    for (method, path) in [
        ("GET", "/todos"),
        ("GET", "/todos/999"),
        ("DELETE", "/heartbeat"),
        ("OPTIONS", "/todos"),
        ("GET", "/challenges"),
    ] {
        let r = c.req(method, path).send().await;
        let h = |name| r.header(name);
        assert_eq!(h("access-control-allow-credentials"), Some("true"));
        assert_eq!(h("access-control-allow-origin"), Some("*"));
        assert_eq!(h("access-control-allow-methods"), Some("*"));
        assert_eq!(h("access-control-allow-headers"), Some("*"));
        assert_eq!(h("access-control-expose-headers"), Some("*"));
        assert_eq!(h("x-robots-tag"), Some("noindex"), "{method} {path}");
        assert_eq!(h("cache-control"), None);
        assert_eq!(h("accept-query"), None);
    }
    let current = TestServer::single().await;
    let r = current.get("/todos").send().await;
    assert_eq!(r.header("access-control-allow-credentials"), None);
    assert_eq!(r.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn delete_answers_200_and_unknown_ids_404() {
    let c = Classic::new().await;
    let r = c.req("DELETE", "/todos/1").send().await;
    assert_eq!((r.status, r.text().as_str()), (200, ""));
    let r = c.req("DELETE", "/todos/1").send().await;
    assert_eq!(r.errors(), ["Could not find any instances with todos/1"]);
}

#[tokio::test]
async fn lenient_json_gives_the_done_status_type_error() {
    let c = Classic::new().await;
    for body in [
        r#"{"title":"t","doneStatus":done}"#,
        r#"{'title':'t','doneStatus':'done'}"#,
        "{title: t, doneStatus: done}",
    ] {
        let r = c.send_json("POST", "/todos", body).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(
            r.errors(),
            ["Failed Validation: doneStatus should be BOOLEAN but was STRING"]
        );
    }
    let r = c.send_json("POST", "/todos", "{\"title\":").await;
    assert_eq!(
        r.errors(),
        ["Invalid Json Payload: please check the syntax of the request body"]
    );
    let r = c
        .send_json("POST", "/todos", r#"{"title":"t","doneStatus":[true]}"#)
        .await;
    assert_eq!(
        r.errors(),
        ["Failed Validation: doneStatus should be BOOLEAN but was Something Else"]
    );
}

#[tokio::test]
async fn validation_errors_are_400_with_classic_texts() {
    let c = Classic::new().await;
    let r = c
        .send_json("POST", "/todos", r#"{"id":11,"title":"t"}"#)
        .await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec!["Invalid Creation: Failed Validation: Not allowed to create with id".to_string()]
        )
    );
    let r = c.send_json("POST", "/todos", "{}").await;
    assert_eq!(r.errors(), ["title : field is mandatory"]);
    let r = c
        .send_json("POST", "/todos/1", r#"{"doneStatus":"maybe"}"#)
        .await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec![
                "Failed Validation: doneStatus : maybe does not match type BOOLEAN (true, false)"
                    .to_string()
            ]
        )
    );
    let r = c
        .send_json("POST", "/todos/1", r#"{"doneStatus":"TRUE"}"#)
        .await;
    assert_eq!(r.json()["doneStatus"], true);
    let r = c
        .send_json("POST", "/todos", r#"{"title":42,"description":false}"#)
        .await;
    assert_eq!(
        (r.json()["title"].clone(), r.json()["description"].clone()),
        ("42.0".into(), "false".into())
    );
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .body("<todos><title>t</title></todos>")
        .send()
        .await;
    assert_eq!(r.errors(), ["Could not find field: todos"]);
}

#[tokio::test]
async fn failed_creates_use_up_ids_but_id_and_syntax_refusals_do_not() {
    let c = Classic::new().await;
    c.send_json("POST", "/todos", r#"{"title":"t","x":1}"#)
        .await;
    c.send_json("POST", "/todos", r#"{"id":5,"title":"t"}"#)
        .await;
    c.send_json("POST", "/todos", r#"{"title":"#).await;
    let r = c.send_json("POST", "/todos", r#"{"title":"ok"}"#).await;
    assert_eq!(
        r.json()["id"],
        12,
        "only the unknown-field refusal used an id"
    );
}

#[tokio::test]
async fn put_differences() {
    let c = Classic::new().await;
    let r = c
        .send_json("PUT", "/todos/999", r#"{"id":999,"title":"t"}"#)
        .await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec!["Cannot create todo with PUT due to Auto fields id".to_string()]
        )
    );
    let r = c
        .send_json("PUT", "/todos", r#"{"id":1,"title":"t"}"#)
        .await;
    assert_eq!((r.status, r.body.len()), (405, 0));
    let r = c
        .send_json("PUT", "/todos/1", r#"{"id":1,"title":"same"}"#)
        .await;
    assert_eq!(r.status, 200);
    // The 405 comes before the 401 for writes without a learner.
    let r =
        c.s.req("PUT", "/todos")
            .json(r#"{"title":"t"}"#)
            .send()
            .await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn current_only_routes_and_methods_are_absent() {
    let c = Classic::new().await;
    let r = c
        .req("PATCH", "/todos/1")
        .json(r#"{"title":"p"}"#)
        .send()
        .await;
    assert_eq!(r.status, 405);
    let r = c.req("QUERY", "/todos").send().await;
    assert_eq!(r.status, 404);
    let r = c.req("GET", "/todos/export?format=csv").send().await;
    assert_eq!(r.errors(), ["Could not find an instance with todos/export"]);
    let r = c
        .req("GET", "/todos/1")
        .header("Accept", "text/calendar")
        .send()
        .await;
    assert_eq!(r.status, 406);
    let r = c
        .req("GET", "/secret/token")
        .header("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=")
        .send()
        .await;
    assert_eq!(r.status, 405);
    let r = c.req("OPTIONS", "/secret/token").send().await;
    assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
    let r = c.req("OPTIONS", "/todos/1").send().await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("accept-patch"), None);
}

#[tokio::test]
async fn no_paging_and_classic_sorting() {
    let c = Classic::new().await;
    for n in 0..5 {
        c.send_json("POST", "/todos", &format!(r#"{{"title":"extra {n}"}}"#))
            .await;
    }
    let ids = |r: Resp| -> Vec<u64> {
        r.json()["todos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_u64().unwrap())
            .collect()
    };
    let all = ids(c.req("GET", "/todos").send().await);
    assert_eq!(all, (1..=15).collect::<Vec<u64>>());
    let r = c.req("GET", "/todos?_limit=2&_offset=1").send().await;
    assert_eq!(ids(r).len(), 15);
    let r = c.req("GET", "/todos?sortBy=-id").send().await;
    assert_eq!(ids(r)[0], 15);
    let r = c.req("GET", "/todos?sort_by=-id&id%3C4").send().await;
    assert_eq!(ids(r), [3, 2, 1]);
    let r = c.req("GET", "/todos?_sortBy=-id").send().await;
    assert_eq!(ids(r)[0], 1, "_sortBy does not exist");
    let r = c.req("GET", "/todos?title%25=pay").send().await;
    assert_eq!(
        ids(r).len(),
        15,
        "no %= operator: an unknown field, ignored"
    );
    let r = c.req("GET", "/challenges?sortBy=-id").send().await;
    assert_eq!(r.json()["challenges"][0]["id"], 59);
}

#[tokio::test]
async fn classic_accept_and_content_type_rules() {
    let c = Classic::new().await;
    let get = |accept: &str| c.req("GET", "/todos").header("Accept", accept).send();
    let r = get("application/json;q=0.1, application/xml").await;
    assert_eq!(r.content_type(), Some("application/json"));
    let r = get("text/html").await;
    assert_eq!(r.content_type(), Some("application/json"));
    let r = get("application/xml;q=0.1").await;
    assert_eq!(r.content_type(), Some("application/xml"));
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/json; charset=UTF-8")
        .body(r#"{"title":"t"}"#)
        .send()
        .await;
    assert_eq!(r.status, 201);
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/vnd.apichallenges.todo+xml")
        .body("<todo><title>t</title></todo>")
        .send()
        .await;
    assert_eq!(
        r.errors(),
        ["Unsupported Content Type - application/vnd.apichallenges.todo+xml"]
    );
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .body("<title>fragment</title><doneStatus>true</doneStatus>")
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["doneStatus"], true);
}

#[tokio::test]
async fn method_override_routes_any_method_but_rules_see_the_real_one() {
    let c = Classic::new().await;
    let r = c
        .req("GET", "/todos/3")
        .header("X-HTTP-Method-Override", "delete")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(c.req("GET", "/todos/3").send().await.status, 404);
    let r = c
        .req("POST", "/todos/4")
        .header("X-HTTP-Method-Override", "DELETE")
        .send()
        .await;
    assert_eq!(r.status, 200);
    c.assert_not_done("DELETE /todos/{id} (200)").await;
    let r = c
        .req("POST", "/heartbeat")
        .header("X-HTTP-Method-Override", "bogus")
        .send()
        .await;
    assert_eq!(r.status, 404);
    let r = c
        .req("PUT", "/heartbeat")
        .header("X-HTTP-Method-Override", "GET")
        .send()
        .await;
    assert_eq!(r.status, 204);
    // A tunnelled write without a learner is still refused.
    let r =
        c.s.req("GET", "/todos/5")
            .header("X-HTTP-Method-Override", "DELETE")
            .send()
            .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn heartbeat_errors_name_the_first_accept_entry() {
    let c = Classic::new().await;
    let r = c
        .req("DELETE", "/heartbeat")
        .header("Accept", "application/xml, application/json")
        .send()
        .await;
    assert_eq!((r.status, r.content_type()), (405, Some("application/xml")));
    let r = c
        .req("TRACE", "/heartbeat")
        .header("Accept", "*/*")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/json"));
    // The classic HTTP layer kept a Content-Type on 204s; the heartbeat's GET is a
    // fixed-status route, so it names the first Accept entry too.
    let r = c.req("GET", "/heartbeat").send().await;
    assert_eq!(
        (r.status, r.content_type()),
        (204, Some("application/json"))
    );
}

#[tokio::test]
async fn secret_differences() {
    let c = Classic::new().await;
    let r = c
        .req("POST", "/secret/token")
        .header("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=")
        .send()
        .await;
    let token = r.header("x-auth-token").unwrap().to_string();
    let long = "n".repeat(101);
    let r = c
        .req("POST", "/secret/note")
        .header("X-AUTH-TOKEN", &token)
        .json(&format!(r#"{{"note":"{long}"}}"#))
        .send()
        .await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec!["Failed Validation: Maximum allowable length exceeded for note - maximum allowed is 100".to_string()]
        )
    );
    let r = c
        .req("POST", "/secret/note")
        .header("X-AUTH-TOKEN", &token)
        .json(r#"{"note":"x","other":"y"}"#)
        .send()
        .await;
    assert_eq!(
        (r.status, r.errors()),
        (400, vec!["Could not find field: other".to_string()])
    );
    // No read-only mode: without a challenger every note request is a 401.
    let r =
        c.s.req("GET", "/secret/note")
            .header("X-AUTH-TOKEN", "00000000-0000-4000-8000-000000000000")
            .send()
            .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), None);
}

#[tokio::test]
async fn challenger_differences() {
    let c = Classic::new().await;
    let path = format!("/challenger/{}", c.guid);
    let mut payload = c.req("GET", &path).send().await.json();
    payload["xChallenger"] = uuid::Uuid::new_v4().to_string().into();
    let r = c.send_json("PUT", &path, &payload.to_string()).await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec!["URL GUID does not match payload X-CHALLENGER".to_string()]
        )
    );
    // No 431: a long X-CHALLENGER is just an unknown challenger.
    let long = "x".repeat(150);
    let r =
        c.s.get("/heartbeat")
            .header("X-CHALLENGER", &long)
            .send()
            .await;
    assert_eq!(r.status, 204);
    // Restore accepts the GET /todos list and refuses unknown properties.
    let db = format!("/challenger/database/{}", c.guid);
    let list = r#"{"todos":[{"id":2,"title":"kept","doneStatus":true,"description":""}]}"#;
    assert_eq!(c.send_json("PUT", &db, list).await.status, 204);
    let todos = c.req("GET", "/todos").send().await.json();
    assert_eq!(todos["todos"][0]["title"], "kept");
    let bad = r#"{"todos":[{"id":2,"title":"t","priority":1}]}"#;
    let r = c.send_json("PUT", &db, bad).await;
    assert_eq!(
        (r.status, r.errors()),
        (
            400,
            vec!["ERROR: Unknown property priority for todo".to_string()]
        )
    );
}

#[tokio::test]
async fn challenges_xml_puts_the_name_first() {
    let s = classic_single().await;
    let r = s
        .get("/challenges")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(r
        .text()
        .starts_with("<challenges><challenge><name>POST /challenger (201)</name><description>"));
    assert!(r.text().contains("</description><id>1</id><status>"));
}

#[tokio::test]
async fn json_error_bodies_use_html_safe_escaping() {
    let c = Classic::new().await;
    let r = c.send_json("POST", "/todos/999", r#"{"title":"t"}"#).await;
    assert_eq!(
        r.text(),
        r#"{"errorMessages":["No such todo entity instance with id \u003d\u003d 999 found"]}"#
    );
    assert_eq!(
        r.errors(),
        ["No such todo entity instance with id == 999 found"]
    );
    c.assert_done("POST /todos/{id} (404)").await;
}

#[tokio::test]
async fn gui_pages_name_the_root_routes_and_docs_stay_shared() {
    let s = classic_single().await;
    let home = s.get("/").send().await.text();
    assert!(home.contains("/challenges"));
    assert!(!home.contains("/api/challenge"), "no /api routes named");
    let progress = s.get("/gui/challenges").send().await;
    assert_eq!(progress.status, 200);
    let page = progress.text();
    assert!(page.contains(">0/58</span> challenges completed"));
    assert!(page.contains("POST /challenger (201)"));
    assert!(!page.contains("/api/challenger"));
    let docs = s.get("/api/docs").send().await;
    assert_eq!(docs.status, 200);
    let r = s.get("/docs").send().await;
    assert_eq!((r.status, r.header("location")), (301, Some("/api/docs")));
}
