//! Reading todos: GET/HEAD/OPTIONS on the collection and single todos, 405s, unknown
//! routes (the GET, HEAD and OPTIONS challenges).

use crate::common::{TestServer, SINGLE};
use crate::todos_support::*;

const UNKNOWN: &str = "UNKNOWN CHALLENGER - Challenger not found";

#[tokio::test]
async fn get_todos_lists_the_ten_seeds_in_id_order_and_completes_3() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: any query parameter disqualifies #3.
        let r = c.get("/todos?doneStatus=false").send().await;
        assert_eq!(r.status, 200);
        c.not_done("GET /api/todos (200)").await;

        let r = c.get("/todos").send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), seed_list_json(1..=10));
        assert_eq!(r.header("accept-query"), Some(ACCEPT_QUERY));
        assert_eq!(r.header("x-challenger"), c.guid.as_deref());
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        c.done("GET /api/todos (200)").await;
    }
}

#[tokio::test]
async fn get_todos_pages_to_ten_by_default() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    let id = c.create_ok(r#"{"title":"eleventh"}"#).await;
    assert_eq!(id, 11);
    let r = c.get("/todos").send().await;
    assert_eq!(resp_ids(&r), (1..=10).collect::<Vec<_>>());
    let all = c.get("/todos?_limit=20").send().await;
    assert_eq!(resp_ids(&all), (1..=11).collect::<Vec<_>>());
}

#[tokio::test]
async fn get_todos_as_xml_uses_the_reference_element_order() {
    let s = TestServer::single().await;
    let r = s
        .get("/api/todos")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(r.text(), seed_list_xml(1..=10));
}

#[tokio::test]
async fn single_user_reads_carry_the_single_player_header() {
    let s = TestServer::single().await;
    let r = s.get("/todos").as_("someone-else").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-challenger"), Some(SINGLE));
    s.assert_done(None, "GET /api/todos (200)").await;
}

#[tokio::test]
async fn unknown_learner_reads_the_default_database_but_cannot_write() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let r = s.get(&format!("{prefix}/todos")).send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), seed_list_json(1..=10));
        assert_eq!(r.header("x-challenger"), Some(UNKNOWN));
        for (method, path) in [
            ("POST", "/todos"),
            ("POST", "/todos/1"),
            ("PUT", "/todos/1"),
            ("PATCH", "/todos/1"),
            ("DELETE", "/todos/1"),
        ] {
            let r = s
                .req(method, &format!("{prefix}{path}"))
                .json(r#"{"title":"x"}"#)
                .send()
                .await;
            assert_error(
                &r,
                401,
                "Cannot amend details. Missing a valid X-CHALLENGER header.",
            );
        }
        let stranger = uuid::Uuid::new_v4().to_string();
        let r = s
            .req("DELETE", &format!("{prefix}/todos/1"))
            .as_(&stranger)
            .send()
            .await;
        assert_eq!(r.status, 401, "DELETE with an unknown guid");
    }
    // Nothing changed in the shared default database.
    let r = s.get("/api/todos").send().await;
    assert_eq!(r.text(), seed_list_json(1..=10));
}

#[tokio::test]
async fn get_todo_by_id_wraps_it_in_a_collection_and_completes_5() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the export route is not todos/{id}.
        let r = c.get("/todos/export?format=json").send().await;
        assert_eq!(r.status, 200);
        c.not_done("GET /api/todos/{id} (200)").await;

        let r = c.get("/todos/1").send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), seed_list_json([1]));
        c.done("GET /api/todos/{id} (200)").await;

        let xml = c
            .get("/todos/10")
            .header("Accept", "application/xml")
            .send()
            .await;
        assert_eq!(xml.content_type(), Some("application/xml"));
        assert_eq!(xml.text(), seed_list_xml([10]));
    }
}

#[tokio::test]
async fn get_missing_todo_is_404_and_completes_6() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: an existing id is not a 404.
        c.get("/todos/2").send().await;
        c.not_done("GET /api/todos/{id} (404)").await;

        let r = c.get("/todos/99999").send().await;
        assert_error(&r, 404, "Could not find an instance with todos/99999");
        c.done("GET /api/todos/{id} (404)").await;
    }
}

#[tokio::test]
async fn non_numeric_and_out_of_range_ids_are_404() {
    let s = TestServer::single().await;
    for id in ["abc", "0", "-1", "18446744073709551616", "1.0"] {
        let r = s.get(&format!("/api/todos/{id}")).send().await;
        assert_error(
            &r,
            404,
            &format!("Could not find an instance with todos/{id}"),
        );
    }
    let r = s
        .get("/api/todos/abc")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(
        r.text(),
        "<errorMessages><errorMessage>Could not find an instance with todos/abc</errorMessage></errorMessages>"
    );
}

#[tokio::test]
async fn get_todo_singular_is_404_and_completes_4() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: `todo/1` is not exactly `todo`.
        let r = c.get("/todo/1").send().await;
        assert_eq!(r.status, 404);
        c.not_done("GET /api/todo (404) not plural").await;

        let r = c.get("/todo").send().await;
        assert_eq!(r.status, 404);
        assert!(r.body.is_empty(), "empty 404 without Accept: {}", r.text());
        assert_eq!(r.content_type(), None);
        c.done("GET /api/todo (404) not plural").await;
    }
}

#[tokio::test]
async fn unknown_api_paths_rewrite_the_404_by_accept() {
    let s = TestServer::single().await;
    for (path, gui) in [
        ("/api/todo", "/gui/404/todo"),
        ("/todo", "/gui/404/todo"),
        ("/api/todos/1/x", "/gui/404/todos/1/x"),
    ] {
        let html = s.get(path).header("Accept", "text/html").send().await;
        assert_eq!(html.status, 307, "{path}");
        assert_eq!(html.header("location"), Some(gui), "{path}");

        let xml = s.get(path).header("Accept", "application/xml").send().await;
        assert_eq!(xml.status, 404);
        assert_eq!(xml.content_type(), Some("application/xml"));
        assert_eq!(
            xml.text(),
            "<errorMessages><message>404 resource Unknown</message></errorMessages>"
        );

        let json = s
            .get(path)
            .header("Accept", "application/json")
            .send()
            .await;
        assert_eq!(json.status, 404);
        assert_eq!(json.content_type(), Some("application/json"));
        assert_eq!(json.text(), r#"{"errorMessages":["404 resource Unknown"]}"#);

        let any = s.get(path).header("Accept", "*/*").send().await;
        assert_eq!(any.status, 404);
        assert!(any.body.is_empty());
    }
}

#[tokio::test]
async fn trailing_slash_is_an_unknown_route() {
    let s = TestServer::single().await;
    for path in ["/api/todos/", "/todos/", "/api/todos/1/"] {
        let r = s.get(path).send().await;
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.is_empty(), "{path}: {}", r.text());
    }
}

#[tokio::test]
async fn head_todos_has_get_headers_and_length_and_completes_22() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a query string disqualifies #22.
        let r = c.req("HEAD", "/todos?_limit=5").send().await;
        assert_eq!(r.status, 200);
        c.not_done("HEAD /api/todos (200)").await;

        let get = c.get("/todos").send().await;
        let head = c.req("HEAD", "/todos").send().await;
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
        assert_eq!(head.content_type(), Some("application/json"));
        assert_eq!(head.header("accept-query"), Some(ACCEPT_QUERY));
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str())
        );
        c.done("HEAD /api/todos (200)").await;
    }
}

#[tokio::test]
async fn head_length_follows_the_negotiated_format_and_the_item() {
    let s = TestServer::single().await;
    for (path, accept) in [
        ("/api/todos", "application/xml"),
        ("/api/todos", "text/csv"),
        ("/api/todos?_limit=3", "application/json"),
        ("/api/todos/4", "application/json"),
        ("/todos/4", "application/xml"),
    ] {
        let get = s.get(path).header("Accept", accept).send().await;
        let head = s.req("HEAD", path).header("Accept", accept).send().await;
        assert_eq!(head.status, 200, "{path} {accept}");
        assert_eq!(head.content_type(), get.content_type(), "{path} {accept}");
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "{path} {accept}"
        );
    }
    let missing = s.req("HEAD", "/api/todos/99").send().await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[tokio::test]
async fn options_todos_is_200_for_a_learner_and_completes_48() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: OPTIONS on an item is not the collection.
        let item = c.req("OPTIONS", "/todos/1").send().await;
        assert_eq!(item.status, 204);
        c.not_done("OPTIONS /api/todos (200)").await;

        let r = c.req("OPTIONS", "/todos").send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("allow"), Some(COLLECTION_ALLOW));
        assert_eq!(r.header("accept-query"), Some(ACCEPT_QUERY));
        assert!(r.body.is_empty());
        c.done("OPTIONS /api/todos (200)").await;
    }
    // Without a known learner the engine's 204 stays.
    let r = s.req("OPTIONS", "/api/todos").send().await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("allow"), Some(COLLECTION_ALLOW));
}

#[tokio::test]
async fn options_on_item_and_export_list_their_methods() {
    let s = TestServer::single().await;
    for prefix in PREFIXES {
        let r = s.req("OPTIONS", &format!("{prefix}/todos/1")).send().await;
        assert_eq!(r.status, 204);
        assert_eq!(r.header("allow"), Some(ITEM_ALLOW));
        assert_eq!(r.header("accept-patch"), Some(ACCEPT_PATCH));
        assert!(r.body.is_empty());

        let r = s
            .req("OPTIONS", &format!("{prefix}/todos/export"))
            .send()
            .await;
        assert_eq!(r.status, 204);
        assert_eq!(r.header("allow"), Some("GET, OPTIONS"));
    }
    let single = s.req("OPTIONS", "/api/todos").send().await;
    assert_eq!(
        single.status, 200,
        "single player is always a known learner"
    );
}

#[tokio::test]
async fn unsupported_methods_are_405_with_empty_bodies() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    for prefix in PREFIXES {
        for (method, path) in [
            ("DELETE", "/todos"),
            ("PATCH", "/todos"),
            ("TRACE", "/todos"),
            ("TRACE", "/todos/1"),
            ("POST", "/todos/export"),
            ("PUT", "/todos/export"),
            ("DELETE", "/todos/export"),
            ("PATCH", "/todos/export"),
        ] {
            let r = s
                .req(method, &format!("{prefix}{path}"))
                .as_(c.guid.as_deref().unwrap())
                .send()
                .await;
            assert_eq!(r.status, 405, "{method} {prefix}{path}");
            assert!(r.body.is_empty(), "{method} {prefix}{path}: {}", r.text());
        }
    }
    // None of those changed anything.
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn query_on_an_item_is_405_with_allow() {
    let s = TestServer::single().await;
    for prefix in PREFIXES {
        let r = s
            .req("QUERY", &format!("{prefix}/todos/1"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("doneStatus=true")
            .send()
            .await;
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some(ITEM_ALLOW));
    }
}

#[tokio::test]
async fn reads_never_complete_write_challenges() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    c.get("/todos").send().await;
    c.get("/todos/1").send().await;
    c.req("HEAD", "/todos/1").send().await;
    c.not_done("POST /api/todos (201)").await;
    c.not_done("DELETE /api/todos/{id} (204)").await;
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn cors_and_cache_headers_are_on_every_todo_response() {
    let s = TestServer::single().await;
    let cases = [
        s.get("/api/todos").send().await,
        s.get("/todos/99").send().await,
        s.req("POST", "/api/todos").json("{").send().await,
        s.req("DELETE", "/api/todos").send().await,
        s.get("/api/todos")
            .header("Accept", "image/png")
            .send()
            .await,
    ];
    for r in &cases {
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("*"),
            "{}",
            r.status
        );
        assert_eq!(r.header("access-control-allow-headers"), Some("*"));
        assert_eq!(r.header("access-control-allow-methods"), Some("*"));
        assert_eq!(r.header("access-control-expose-headers"), Some("*"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let robots = r.header("x-robots-tag");
        if r.status < 400 {
            assert_eq!(robots, Some("noindex"), "{}", r.status);
        } else {
            assert_eq!(robots, None, "{}", r.status);
        }
    }
}

#[tokio::test]
async fn options_preflight_echoes_the_requested_method_and_headers() {
    let s = TestServer::single().await;
    let r = s
        .req("OPTIONS", "/api/todos/1")
        .header("Origin", "http://example.com")
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "x-challenger, content-type",
        )
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-methods"), Some("PATCH"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("x-challenger, content-type")
    );
    // Not echoed on other methods.
    let r = s
        .get("/api/todos")
        .header("Access-Control-Request-Method", "PATCH")
        .send()
        .await;
    assert_eq!(r.header("access-control-allow-methods"), Some("*"));
}

#[tokio::test]
async fn method_override_is_judged_as_a_write_on_the_real_method() {
    let s = TestServer::multi().await;
    // An unknown learner's POST tunnelling a read is still a write.
    let r = s
        .req("POST", "/api/todos")
        .header("X-HTTP-Method-Override", "GET")
        .send()
        .await;
    assert_error(
        &r,
        401,
        "Cannot amend details. Missing a valid X-CHALLENGER header.",
    );
    let c = Ctx::new(&s, "/api").await;
    let r = c
        .req("POST", "/todos")
        .header("X-HTTP-Method-Override", "GET")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), seed_list_json(1..=10));
}
