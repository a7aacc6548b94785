//! The simulator practice mode: `/sim/entities` and `/sim/entities/{id}` with their fixed
//! data, scripted ids, fixed-status methods, OPTIONS, QUERY and hostile input.

use apichallenges::config::ProfileName;

use crate::common::{Resp, TestServer};

const ENTITY_11: &str = "{\"id\":11,\"name\":\"bob\",\"description\":\"\"}";
const ENTITY_10: &str = "{\"id\":10,\"name\":\"eris\",\"description\":\"\"}";

async fn send(s: &TestServer, method: &str, path: &str, body: &str) -> Resp {
    let mut req = s.req(method, path).header("Accept", "application/json");
    if !body.is_empty() {
        req = req.json(body);
    }
    req.send().await
}

#[tokio::test]
async fn every_route_and_method_has_its_status() {
    let s = TestServer::single().await;
    let table: [(u16, &str, &str); 22] = [
        (200, "GET", "/sim/entities"),
        (200, "HEAD", "/sim/entities"),
        (204, "OPTIONS", "/sim/entities"),
        (501, "PATCH", "/sim/entities"),
        (501, "TRACE", "/sim/entities"),
        (405, "PUT", "/sim/entities"),
        (405, "DELETE", "/sim/entities"),
        (201, "POST", "/sim/entities"),
        (200, "GET", "/sim/entities/1"),
        (200, "HEAD", "/sim/entities/1"),
        (204, "OPTIONS", "/sim/entities/1"),
        (501, "PATCH", "/sim/entities/1"),
        (501, "TRACE", "/sim/entities/1"),
        (405, "QUERY", "/sim/entities/1"),
        (404, "DELETE", "/sim/entities/56"),
        (403, "DELETE", "/sim/entities/1"),
        (204, "DELETE", "/sim/entities/9"),
        (403, "POST", "/sim/entities/8"),
        (404, "POST", "/sim/entities/23"),
        (403, "PUT", "/sim/entities/7"),
        (403, "PUT", "/sim/entities/23"),
        (404, "GET", "/sim/entities/9"),
    ];
    for (status, method, path) in table {
        let r = s.req(method, path).send().await;
        assert_eq!(r.status, status, "{method} {path}");
    }
    // The fixed-status rows carry only the negotiated Content-Type.
    let r = s
        .req("PATCH", "/sim/entities")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    assert!(r.body.is_empty());
    // Paths the simulator does not have fall to the site 404.
    for path in ["/sim/other", "/sim/entities/1/more", "/sim/entities/"] {
        assert_eq!(s.get(path).send().await.status, 404, "{path}");
    }
    assert_eq!(s.req("FOO", "/sim/entities").send().await.status, 404);
}

#[tokio::test]
async fn the_list_is_entities_one_to_ten_in_json_and_xml() {
    let s = TestServer::single().await;
    let r = send(&s, "GET", "/sim/entities", "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert!(r.text().starts_with("{\"entities\":[{"));
    let ids: Vec<u64> = r.json()["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=10).collect::<Vec<_>>());
    assert_eq!(r.json()["entities"][0]["name"], "entity number 1");
    assert!(r
        .header("accept-query")
        .unwrap()
        .contains("application/x-www-form-urlencoded"));

    let r = s
        .get("/sim/entities")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    let xml = r.text();
    assert!(
        xml.starts_with(
            "<entities><entity><name>entity number 1</name><description/><id>1</id></entity>"
        ),
        "{xml}"
    );
    for id in 1..=10 {
        assert!(xml.contains(&format!("<id>{id}</id>")));
    }
    assert!(!xml.contains("<id>11</id>"));
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let s = TestServer::single().await;
    for accept in ["application/json", "application/xml"] {
        let r = s
            .req("HEAD", "/sim/entities")
            .header("Accept", accept)
            .send()
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some(accept));
        assert!(r.body.is_empty());
    }
    for (id, status) in [("23", 404), ("3", 200), ("10", 200)] {
        let r = s.req("HEAD", &format!("/sim/entities/{id}")).send().await;
        assert_eq!(r.status, status, "{id}");
        assert!(r.body.is_empty());
    }
}

#[tokio::test]
async fn filters_and_sorting_come_from_the_query_string() {
    let s = TestServer::single().await;
    let r = send(&s, "GET", "/sim/entities?id=11", "").await;
    assert_eq!(r.text(), "{\"entities\":[]}");
    let r = send(&s, "GET", "/sim/entities?name*=entity%20number%201", "").await;
    assert!(r.text().contains("\"id\":1,"));
    assert!(!r.text().contains("\"id\":10,"));
    let r = send(&s, "GET", "/sim/entities?_sortBy=-id", "").await;
    let text = r.text();
    assert!(text.find("\"id\":10,").unwrap() < text.find("\"id\":9,").unwrap());
    assert!(!text.contains("\"id\":11,"));
    // An invalid regex filter is the engine's 400.
    let r = send(&s, "GET", "/sim/entities?name~=(", "").await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn query_takes_a_form_body_with_the_query_string() {
    let s = TestServer::single().await;
    let r = s
        .req("QUERY", "/sim/entities?id%3C3")
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("name*=entity%20number%20*")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
    assert!(r
        .header("accept-query")
        .unwrap()
        .contains("application/x-www-form-urlencoded"));
    let text = r.text();
    assert!(text.contains("\"id\":1,") && text.contains("\"id\":2,"));
    assert!(!text.contains("\"id\":3,") && !text.contains("\"id\":11,"));

    let r = s
        .req("QUERY", "/sim/entities")
        .header("Accept", "application/json")
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.errors(), ["Missing Content-Type for QUERY request"]);
    let accept_query = r.header("accept-query").unwrap();
    assert!(accept_query.contains("application/x-www-form-urlencoded"));
    assert!(accept_query.contains("application/jsonpath"));

    let r = s
        .req("QUERY", "/sim/entities")
        .header("Content-Type", "text/bob")
        .body("x")
        .send()
        .await;
    assert_eq!(r.status, 415);
    assert_eq!(r.errors(), ["Unsupported QUERY Content Type - text/bob"]);
    assert!(r.header("accept").unwrap().contains("application/jsonpath"));

    let r = s
        .req("QUERY", "/sim/entities")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("=5")
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.errors(),
        ["Malformed query content: field name is missing"]
    );
}

#[tokio::test]
async fn post_creates_entity_eleven_which_get_then_shows() {
    let s = TestServer::single().await;
    for (method, path) in [
        ("POST", "/sim/entities"),
        ("POST", "/sim/entities/11"),
        ("PUT", "/sim/entities/11"),
    ] {
        let r = send(&s, method, path, "{\"name\":\"bob\"}").await;
        assert_eq!(r.status, 201, "{method} {path}");
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.header("location"), Some("/sim/entities/11"));
        assert_eq!(r.text(), ENTITY_11);
    }
    let r = send(&s, "GET", "/sim/entities/11", "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), ENTITY_11);
    // Still hidden from the list.
    assert!(!send(&s, "GET", "/sim/entities", "")
        .await
        .text()
        .contains("\"id\":11,"));
}

#[tokio::test]
async fn post_or_put_amends_entity_ten_to_eris() {
    let s = TestServer::single().await;
    for (method, body) in [
        ("POST", "{\"name\":\"eris\"}"),
        ("PUT", "{\"name\":\"eris\"}"),
        ("PUT", "{\"id\":10,\"name\":\"eris\"}"),
    ] {
        let r = send(&s, method, "/sim/entities/10", body).await;
        assert_eq!(r.status, 200, "{method} {body}");
        assert_eq!(r.header("location"), None);
        assert_eq!(r.text(), ENTITY_10);
    }
    let r = send(&s, "GET", "/sim/entities/10", "").await;
    assert_eq!(r.text(), ENTITY_10);
    let r = s
        .get("/sim/entities/10")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(
        r.text(),
        "<entity><name>eris</name><description/><id>10</id></entity>"
    );
}

#[tokio::test]
async fn other_writes_are_refused_with_the_scripted_messages() {
    let s = TestServer::single().await;
    let r = send(&s, "POST", "/sim/entities/23", "{\"name\":\"eris\"}").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.errors(), ["Could not find Entity with ID 23"]);
    let r = send(&s, "POST", "/sim/entities/7", "{\"name\":\"eris\"}").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.errors(), ["Not authorised to amend that entity"]);
    let r = send(&s, "PUT", "/sim/entities/23", "{\"name\":\"eris\"}").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.errors(), ["Not authorised to create that entity"]);
    let r = send(&s, "PUT", "/sim/entities/7", "{\"name\":\"eris\"}").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.errors(), ["Not authorised to amend that entity"]);
    let r = send(&s, "DELETE", "/sim/entities/8", "").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.errors(), ["Not authorised to delete that entity"]);
    let r = send(&s, "DELETE", "/sim/entities/56", "").await;
    assert_eq!(r.errors(), ["Could not find Entity with ID 56"]);
    let r = send(&s, "GET", "/sim/entities/23", "").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.errors(), ["Could not find Entity with ID 23"]);
    assert_eq!(send(&s, "GET", "/sim/entities/3", "").await.status, 200);
    // `01` is not entity 1.
    assert_eq!(send(&s, "GET", "/sim/entities/01", "").await.status, 404);
}

#[tokio::test]
async fn delete_of_nine_succeeds_and_nine_is_gone() {
    let s = TestServer::single().await;
    let r = send(&s, "DELETE", "/sim/entities/9", "").await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert_eq!(send(&s, "GET", "/sim/entities/9", "").await.status, 404);
}

#[tokio::test]
async fn options_list_the_allowed_methods() {
    let s = TestServer::single().await;
    let r = s.req("OPTIONS", "/sim/entities").send().await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("allow"), Some("GET, QUERY, POST, HEAD, OPTIONS"));
    assert_eq!(
        r.header("accept-query"),
        Some("application/x-www-form-urlencoded")
    );
    let r = s.req("OPTIONS", "/sim/entities/1").send().await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("allow"),
        Some("GET, POST, PUT, DELETE, HEAD, OPTIONS")
    );
    assert_eq!(r.header("x-robots-tag"), Some("noindex"));
}

#[tokio::test]
async fn hostile_requests_get_the_engine_refusals() {
    let s = TestServer::single().await;
    // Malformed JSON and XML bodies on writes.
    let r = s
        .req("POST", "/sim/entities")
        .json("{\"name\":")
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.errors(),
        ["Invalid Json Payload: please check the syntax of the request body"]
    );
    let r = s
        .req("PUT", "/sim/entities/10")
        .header("Content-Type", "application/xml")
        .body("<entity><name>eris</entity>")
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert!(r.errors()[0].starts_with("Invalid XML Payload: "));
    // A nesting bomb is refused, not followed.
    let bomb = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let r = s.req("POST", "/sim/entities").json(&bomb).send().await;
    assert_eq!(r.status, 400);
    // Unsupported Content-Type.
    let r = s
        .req("POST", "/sim/entities")
        .header("Content-Type", "text/bob")
        .body("x")
        .send()
        .await;
    assert_eq!(r.status, 415);
    assert_eq!(r.errors(), ["Unsupported Content Type - text/bob"]);
    // Oversized.
    let r = s
        .req("POST", "/sim/entities")
        .json(&"x".repeat(30_000))
        .send()
        .await;
    assert_eq!(r.status, 413);
    // An Accept nothing matches.
    let r = s
        .get("/sim/entities")
        .header("Accept", "image/png")
        .send()
        .await;
    assert_eq!(r.status, 406);
    assert_eq!(r.errors(), ["Unrecognised Accept Type"]);
    // The data is unchanged by all of it.
    let r = send(&s, "GET", "/sim/entities/1", "").await;
    assert_eq!(
        r.text(),
        "{\"id\":1,\"name\":\"entity number 1\",\"description\":\"\"}"
    );
}

#[tokio::test]
async fn get_sim_redirects_and_the_page_and_documents_exist() {
    let s = TestServer::single().await;
    let r = s.get("/sim").send().await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/practice-modes/simulation"));
    let page = s.get("/practice-modes/simulation").send().await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("/sim/entities"));
    let doc = s.get("/sim/docs/openapi.json").send().await.json();
    assert!(doc["paths"]["/sim/entities/{id}"]["delete"].is_object());
    assert_eq!(s.get("/sim/docs").send().await.status, 200);
}

#[tokio::test]
async fn the_simulator_works_in_every_profile_and_user_mode() {
    for (classic, multi) in [(false, false), (false, true), (true, false), (true, true)] {
        let s = TestServer::with(|c| {
            if classic {
                c.profile = ProfileName::Classic;
            }
            c.multi_user = multi;
        })
        .await;
        let r = s
            .get("/sim/entities")
            .header("X-CHALLENGER", "not-a-guid")
            .send()
            .await;
        assert_eq!(r.status, 200, "classic {classic} multi {multi}");
        assert!(r.header("x-challenger").is_none());
        let r = s.req("POST", "/sim/entities").json("{}").send().await;
        assert_eq!(r.status, 201);
    }
}
