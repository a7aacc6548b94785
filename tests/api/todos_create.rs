//! POST /todos: creation and each create-time failure (the POST creation challenges,
//! #23-#29).

use crate::common::TestServer;
use crate::todos_support::*;

#[tokio::test]
async fn create_answers_201_with_the_todo_and_location_and_completes_23() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a failed create.
        c.create(r#"{"description":"no title"}"#).await;
        c.not_done("POST /api/todos (201)").await;

        let r = c
            .create(r#"{"title":"buy milk","doneStatus":false,"description":"semi-skimmed"}"#)
            .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(
            r.text(),
            r#"{"id":11,"title":"buy milk","doneStatus":false,"description":"semi-skimmed"}"#
        );
        assert_eq!(
            r.header("location"),
            Some(format!("{prefix}/todos/11").as_str())
        );
        assert_eq!(r.header("x-thing-instance-primary-key"), None);
        c.done("POST /api/todos (201)").await;

        // Stored, and readable by the Location.
        let back = c.get("/todos/11").send().await;
        assert_eq!(
            back.text(),
            format!(
                r#"{{"todos":[{}]}}"#,
                todo_json(11, "buy milk", false, "semi-skimmed")
            )
        );
    }
}

#[tokio::test]
async fn defaults_fill_omitted_fields_and_ids_continue() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c.create(r#"{"title":"only title"}"#).await;
    assert_eq!(r.text(), todo_json(11, "only title", false, ""));
    let r = c.create(r#"{"doneStatus":true,"title":"done"}"#).await;
    assert_eq!(r.text(), todo_json(12, "done", true, ""));
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"title":"charset"}"#)
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["id"], 13);
}

#[tokio::test]
async fn each_learner_has_its_own_id_counter() {
    let s = TestServer::multi().await;
    let a = Ctx::new(&s, "/api").await;
    let b = Ctx::new(&s, "").await;
    assert_eq!(a.create_ok(r#"{"title":"a"}"#).await, 11);
    assert_eq!(b.create_ok(r#"{"title":"b"}"#).await, 11);
    assert_eq!(a.ids().await.len(), 11);
    assert_eq!(
        b.get("/todos/11").send().await.json()["todos"][0]["title"],
        "b"
    );
}

#[tokio::test]
async fn bad_done_status_is_422_and_completes_24() {
    let title = "POST /api/todos (422) doneStatus";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: another 422.
        c.create(r#"{"title":"t","priority":"x"}"#).await;
        c.not_done(title).await;

        let r = c
            .create(r#"{"title":"a title","doneStatus":"invalid"}"#)
            .await;
        assert_error(
            &r,
            422,
            "Failed Validation: doneStatus should be BOOLEAN but was STRING",
        );
        c.done(title).await;
    }
}

#[tokio::test]
async fn wrong_types_name_the_source_type() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for (body, message) in [
        (
            r#"{"title":"t","doneStatus":"true"}"#,
            "doneStatus should be BOOLEAN but was STRING",
        ),
        (
            r#"{"title":"t","doneStatus":1}"#,
            "doneStatus should be BOOLEAN but was INTEGER",
        ),
        (
            r#"{"title":"t","doneStatus":null}"#,
            "doneStatus should be BOOLEAN but was NULL",
        ),
        (r#"{"title":5}"#, "title should be STRING but was INTEGER"),
        (r#"{"title":5.5}"#, "title should be STRING but was NUMERIC"),
        (
            r#"{"title":true}"#,
            "title should be STRING but was BOOLEAN",
        ),
        (r#"{"title":["a"]}"#, "title should be STRING but was ARRAY"),
        (
            r#"{"title":{"a":1}}"#,
            "title should be STRING but was OBJECT",
        ),
        (
            r#"{"title":"t","description":7}"#,
            "description should be STRING but was INTEGER",
        ),
    ] {
        let r = c.create(body).await;
        assert_error(&r, 422, &format!("Failed Validation: {message}"));
    }
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn title_too_long_is_422_and_completes_25() {
    let title = "POST /api/todos (422) title too long";
    let message =
        "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: exactly 50 characters is fine.
        let r = c.create(&format!(r#"{{"title":"{}"}}"#, chars(50))).await;
        assert_eq!(r.status, 201);
        c.not_done(title).await;

        let r = c.create(&format!(r#"{{"title":"{}"}}"#, chars(51))).await;
        assert_error(&r, 422, message);
        c.done(title).await;
    }
    // Amending with a long title counts too (path starts with `todo`).
    let c = Ctx::new(&s, "").await;
    let r = c
        .post_json("/todos/1", &format!(r#"{{"title":"{}"}}"#, chars(51)))
        .await;
    assert_error(&r, 422, message);
    c.done(title).await;
}

#[tokio::test]
async fn lengths_count_characters_not_bytes() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let title = "é".repeat(50);
    let description = "ü".repeat(200);
    let r = c
        .create(&format!(
            r#"{{"title":"{title}","description":"{description}"}}"#
        ))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.text(), todo_json(11, &title, false, &description));
}

#[tokio::test]
async fn description_too_long_is_422_and_completes_26() {
    let title = "POST /api/todos (422) description too long";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let r = c
            .create(&format!(
                r#"{{"title":"ok","description":"{}"}}"#,
                chars(200)
            ))
            .await;
        assert_eq!(r.status, 201);
        c.not_done(title).await;

        let r = c
            .create(&format!(
                r#"{{"title":"ok","description":"{}"}}"#,
                chars(201)
            ))
            .await;
        assert_error(
            &r,
            422,
            "Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200",
        );
        c.done(title).await;
    }
}

#[tokio::test]
async fn both_lengths_too_long_join_with_one_prefix() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c
        .create(&format!(
            r#"{{"title":"{}","description":"{}"}}"#,
            chars(51),
            chars(201)
        ))
        .await;
    assert_eq!(r.status, 422);
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let text = &errors[0];
    assert!(text.starts_with("Failed Validation: "), "{text}");
    assert_eq!(text.matches("Failed Validation: ").count(), 1, "{text}");
    assert!(
        text.contains("Maximum allowable length exceeded for title - maximum allowed is 50"),
        "{text}"
    );
    assert!(
        text.contains("Maximum allowable length exceeded for description - maximum allowed is 200"),
        "{text}"
    );
}

#[tokio::test]
async fn max_out_content_completes_27() {
    let title = "POST /api/todos (201) max out content";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: one character short.
        c.create_ok(&format!(
            r#"{{"title":"{}","description":"{}"}}"#,
            chars(49),
            chars(200)
        ))
        .await;
        c.not_done(title).await;

        let r = c
            .create(&format!(
                r#"{{"title":"{}","description":"{}"}}"#,
                chars(50),
                chars(200)
            ))
            .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.text(), todo_json(12, &chars(50), false, &chars(200)));
        c.done(title).await;
    }
}

#[tokio::test]
async fn body_over_5000_is_413_and_completes_28() {
    let title = "POST /api/todos (413) content too long";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: exactly 5000 bytes is read (and fails validation instead).
        let filler = 5000 - r#"{"title":"t","description":""}"#.len();
        let body = format!(r#"{{"title":"t","description":"{}"}}"#, chars(filler));
        assert_eq!(body.len(), 5000);
        let r = c.create(&body).await;
        assert_eq!(r.status, 422, "{}", r.text());
        c.not_done(title).await;

        let body = format!(r#"{{"title":"t","description":"{}"}}"#, chars(filler + 1));
        assert_eq!(body.len(), 5001);
        let r = c.create(&body).await;
        assert_error(&r, 413, TOO_LARGE);
        c.done(title).await;
        assert_eq!(c.snapshot().await, seed_list_json(1..=10));
    }
}

#[tokio::test]
async fn unknown_field_is_422_and_completes_29() {
    let title = "POST /api/todos (422) extra";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        c.create(r#"{"title":"t","doneStatus":"no"}"#).await;
        c.not_done(title).await;

        let r = c.create(r#"{"title":"a title","priority":"extra"}"#).await;
        assert_error(&r, 422, "Failed Validation: Could not find field: priority");
        c.done(title).await;
    }
    // Field names are case-sensitive.
    let c = Ctx::new(&s, "/api").await;
    let r = c.create(r#"{"Title":"t"}"#).await;
    assert_eq!(r.status, 422);
    assert!(
        r.errors()
            .iter()
            .any(|m| m.contains("Could not find field: Title")),
        "{:?}",
        r.errors()
    );
}

#[tokio::test]
async fn missing_and_empty_title() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c.create(r#"{"description":"d"}"#).await;
    assert_error(&r, 422, "title : field is mandatory");
    let r = c.create("{}").await;
    assert_error(&r, 422, "title : field is mandatory");
    let r = c.create(r#"{"title":""}"#).await;
    assert_error(&r, 422, "Failed Validation: title : can not be empty");
}

#[tokio::test]
async fn create_with_an_id_is_refused() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c.create(r#"{"id":50,"title":"mine"}"#).await;
    assert_error(
        &r,
        422,
        "Failed Validation: Invalid Creation: Not allowed to create with id",
    );
}

#[tokio::test]
async fn content_type_and_syntax_errors() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "bob")
        .body(r#"{"title":"t"}"#)
        .send()
        .await;
    assert_error(&r, 415, "Unsupported Content Type - bob");

    let r = c
        .req("POST", "/todos")
        .body(r#"{"title":"t"}"#)
        .send()
        .await;
    assert_error(&r, 400, "Unknown content Type: API cannot parse ");

    let r = c.create(r#"{"title":"t""#).await;
    assert_error(
        &r,
        400,
        "Invalid Json Payload: please check the syntax of the request body",
    );

    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .body("<todo><title>t</todo>")
        .send()
        .await;
    assert_eq!(r.status, 400);
    let errors = r.errors();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("Invalid XML Payload: "), "{errors:?}");
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn rejected_creates_consume_no_id() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for body in [
        r#"{"description":"x"}"#,
        r#"{"title":"t","doneStatus":"x"}"#,
        r#"{"title":"t","extra":1}"#,
        r#"{"title":"t""#,
    ] {
        assert_ne!(c.create(body).await.status, 201);
    }
    assert_eq!(c.create_ok(r#"{"title":"t"}"#).await, 11);
}

#[tokio::test]
async fn ids_are_never_reused_after_delete() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    assert_eq!(c.create_ok(r#"{"title":"t"}"#).await, 11);
    assert_eq!(c.req("DELETE", "/todos/11").send().await.status, 204);
    assert_eq!(c.create_ok(r#"{"title":"t"}"#).await, 12);
}

#[tokio::test]
async fn errors_render_as_xml_when_xml_is_accepted() {
    let s = TestServer::single().await;
    let r = s
        .req("POST", "/api/todos")
        .header("Accept", "application/xml")
        .json(r#"{"title":"t","priority":"x"}"#)
        .send()
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(
        r.text(),
        "<errorMessages><errorMessage>Failed Validation: Could not find field: priority</errorMessage></errorMessages>"
    );
}

#[tokio::test]
async fn checks_run_in_the_engine_order() {
    // The reference's order: 401/limit hooks, 406, 413, 415, 400 syntax, then 422/409.
    let s = TestServer::multi().await;
    let big = format!(r#"{{"title":"{}"}}"#, chars(5000));
    let r = s
        .req("POST", "/api/todos")
        .header("Accept", "image/png")
        .header("Content-Type", "bob")
        .body(big.clone())
        .send()
        .await;
    assert_eq!(r.status, 401, "no learner comes first");

    let c = Ctx::new(&s, "/api").await;
    let r = c
        .req("POST", "/todos")
        .header("Accept", "image/png")
        .header("Content-Type", "bob")
        .body(big.clone())
        .send()
        .await;
    assert_error(&r, 406, "Unrecognised Accept Type");

    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "bob")
        .body(big)
        .send()
        .await;
    assert_error(&r, 413, TOO_LARGE);

    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "bob")
        .body("{")
        .send()
        .await;
    assert_error(&r, 415, "Unsupported Content Type - bob");

    let r = c
        .get("/todos?_limit=21")
        .header("Accept", "image/png")
        .send()
        .await;
    assert_eq!(r.status, 400, "the _limit hook runs before Accept");
    assert_eq!(
        r.errors(),
        vec!["_limit must be no more than 20".to_string()]
    );
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn xml_root_may_be_todos() {
    let s = TestServer::single().await;
    let r = s
        .req("POST", "/api/todos")
        .header("Content-Type", "application/xml")
        .body("<todos><title>plural root</title></todos>")
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.text(), todo_json(11, "plural root", false, ""));
}
