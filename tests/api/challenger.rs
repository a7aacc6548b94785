//! `POST /challenger`, `GET /challenger/{guid}`, the X-CHALLENGER echo and the 431/401
//! paths, and which learner each request is credited to.

use crate::common::{TestServer, SINGLE};

const UNKNOWN: &str = "UNKNOWN CHALLENGER - Challenger not found";

#[tokio::test]
async fn single_user_post_challenger_answers_201_for_the_single_player() {
    let s = TestServer::single().await;
    let r = s.req("POST", "/api/challenger").send().await;
    assert_eq!(r.status, 201);
    assert_eq!(r.header("x-challenger"), Some(SINGLE));
    assert_eq!(r.header("location"), Some("/gui/challenges"));
    assert!(r.body.is_empty());
    s.assert_done(None, "POST /api/challenger (201)").await;
}

#[tokio::test]
async fn multi_user_post_creates_a_new_challenger_with_a_uuid() {
    let s = TestServer::multi().await;
    let r = s.req("POST", "/api/challenger").send().await;
    assert_eq!(r.status, 201);
    let guid = r.header("x-challenger").unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&guid).is_ok(), "{guid}");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/gui/challenges/{guid}")
    );
    assert!(r.body.is_empty());
    s.assert_done(Some(&guid), "POST /api/challenger (201)")
        .await;
    // A blank header also creates one.
    let blank = s
        .req("POST", "/challenger")
        .header("X-CHALLENGER", " ")
        .send()
        .await;
    assert_eq!(blank.status, 201);
    assert_ne!(blank.header("x-challenger").unwrap(), guid);
}

#[tokio::test]
async fn multi_user_post_with_known_guid_is_200_and_unknown_is_404() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let known = s.req("POST", "/api/challenger").as_(&guid).send().await;
    assert_eq!(known.status, 200);
    assert_eq!(known.header("x-challenger"), Some(guid.as_str()));
    assert_eq!(
        known.header("location").unwrap(),
        format!("/gui/challenges/{guid}")
    );
    let stranger = uuid::Uuid::new_v4().to_string();
    let unknown = s.req("POST", "/api/challenger").as_(&stranger).send().await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.header("x-challenger"), Some(UNKNOWN));
    let garbage = s.req("POST", "/challenger").as_("not-a-guid").send().await;
    assert_eq!(garbage.status, 404);
}

#[tokio::test]
async fn progress_payload_lists_every_active_challenge_by_enum_name() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let r = s
        .get(&format!("/api/challenger/{guid}"))
        .as_(&guid)
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(r.header("x-challenger"), Some(guid.as_str()));
    let body = r.json();
    assert_eq!(body["xChallenger"], guid.as_str());
    assert!(uuid::Uuid::parse_str(body["xAuthToken"].as_str().unwrap()).is_ok());
    assert_eq!(body["secretNote"], "");
    let statuses = body["challengeStatus"].as_object().unwrap();
    assert_eq!(statuses.len(), 97, "multi-user without storage");
    assert_eq!(statuses["CREATE_NEW_CHALLENGER"], true);
    assert_eq!(statuses["GET_TODOS"], false);
    // #72 is recorded in the request phase, so the payload already shows it.
    assert_eq!(statuses["GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS"], true);
    assert!(!statuses.contains_key("GET_RESTORE_EXISTING_CHALLENGER"));
    let head = s.req("HEAD", &format!("/challenger/{guid}")).send().await;
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length").unwrap(),
        r.body.len().to_string()
    );
}

#[tokio::test]
async fn progress_of_an_unknown_guid_is_404_with_the_unknown_marker() {
    let s = TestServer::multi().await;
    let stranger = uuid::Uuid::new_v4();
    let r = s.get(&format!("/api/challenger/{stranger}")).send().await;
    assert_eq!(r.status, 404);
    assert!(r.body.is_empty());
    assert_eq!(r.header("x-challenger"), Some(UNKNOWN));
    let json = s
        .get(&format!("/api/challenger/{stranger}"))
        .header("Accept", "application/json")
        .send()
        .await;
    assert_eq!(json.errors(), vec!["404 resource Unknown"]);
}

#[tokio::test]
async fn single_user_progress_answers_for_any_guid() {
    let s = TestServer::single().await;
    let r = s.get(&format!("/api/challenger/{SINGLE}")).send().await;
    assert_eq!(r.status, 200);
    let statuses = r.json()["challengeStatus"].as_object().unwrap().len();
    assert_eq!(statuses, 96, "single-user active set");
    s.assert_done(None, "GET /api/challenger/guid (existing X-CHALLENGER)")
        .await;
    let any = s.get("/api/challenger/whatever").send().await;
    assert_eq!(any.json()["xChallenger"], SINGLE);
}

#[tokio::test]
async fn oversized_x_challenger_is_431_with_error_body() {
    let s = TestServer::multi().await;
    let long = "x".repeat(101);
    let r = s.get("/api/todos").as_(&long).send().await;
    assert_eq!(r.status, 431);
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(
        r.errors(),
        vec!["X-CHALLENGER header is too large, maximum allowed is 100 characters"]
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let xml = s
        .get("/api/heartbeat")
        .as_(&long)
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(xml.status, 431);
    assert_eq!(xml.content_type(), Some("application/xml"));
    assert!(xml
        .text()
        .contains("<errorMessage>X-CHALLENGER header is too large"));
    // Exactly 100 characters is not too large.
    let hundred = "y".repeat(100);
    assert_eq!(
        s.get("/api/heartbeat").as_(&hundred).send().await.status,
        204
    );
}

#[tokio::test]
async fn oversized_header_naming_a_known_challenger_completes_431_challenge() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let long = format!("{guid}{}", "x".repeat(70));
    let r = s.get("/api/heartbeat").as_(&long).send().await;
    assert_eq!(r.status, 431);
    assert_eq!(r.header("x-challenger"), Some(guid.as_str()));
    s.assert_done(
        Some(&guid),
        "GET /api/heartbeat (431) X-CHALLENGER too long",
    )
    .await;
    // Nothing else is evaluated for such a request.
    s.assert_not_done(Some(&guid), "GET /api/heartbeat (204)")
        .await;
}

#[tokio::test]
async fn writes_without_a_known_challenger_are_401_in_multi_user_mode() {
    let s = TestServer::multi().await;
    let message = "Cannot amend details. Missing a valid X-CHALLENGER header.";
    let r = s
        .req("POST", "/api/todos")
        .json(r#"{"title":"x"}"#)
        .send()
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.errors(), vec![message]);
    let stranger = uuid::Uuid::new_v4().to_string();
    let d = s.req("DELETE", "/todos/1").as_(&stranger).send().await;
    assert_eq!(d.status, 401);
    assert_eq!(d.header("x-challenger"), Some(UNKNOWN));
    // Reads use the shared default database.
    let list = s.get("/api/todos").send().await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()["todos"].as_array().unwrap().len(), 10);
    assert_eq!(list.header("x-challenger"), Some(UNKNOWN));
}

#[tokio::test]
async fn api_responses_carry_cors_and_echo_headers() {
    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let r = s.get("/api/todos").as_(&guid).send().await;
    assert_eq!(r.header("x-challenger"), Some(guid.as_str()));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-headers"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some("*"));
    assert_eq!(r.header("access-control-expose-headers"), Some("*"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("x-robots-tag"), Some("noindex"));
    let preflight = s
        .req("OPTIONS", "/api/todos")
        .header("Access-Control-Request-Method", "DELETE")
        .header("Access-Control-Request-Headers", "x-challenger")
        .send()
        .await;
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("DELETE")
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("x-challenger")
    );
    let not_found = s.get("/api/todo").send().await;
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.header("access-control-allow-origin"), Some("*"));
    assert_eq!(not_found.header("x-robots-tag"), None);
}

#[tokio::test]
async fn challenger_routes_answer_options_and_405() {
    let s = TestServer::multi().await;
    let o = s.req("OPTIONS", "/api/challenger").send().await;
    assert_eq!(o.status, 204);
    assert_eq!(o.header("allow"), Some("POST, OPTIONS"));
    assert_eq!(s.get("/api/challenger").send().await.status, 405);
    let g = uuid::Uuid::new_v4();
    let o = s
        .req("OPTIONS", &format!("/api/challenger/{g}"))
        .send()
        .await;
    assert_eq!(o.header("allow"), Some("GET, PUT, HEAD, OPTIONS"));
    assert_eq!(
        s.req("DELETE", &format!("/challenger/{g}"))
            .send()
            .await
            .status,
        405
    );
}
