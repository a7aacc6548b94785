//! PATCH in its three styles (JSON, merge patch, JSON Patch) and its errors (#45-#47).

use crate::common::{Resp, TestServer};
use crate::todos_support::*;

const MERGE: &str = "application/merge-patch+json";
const JSON_PATCH: &str = "application/json-patch+json";

async fn patch(c: &Ctx<'_>, path: &str, content_type: &str, body: &str) -> Resp {
    c.req("PATCH", path)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn plain_json_patch_completes_45() {
    let title = "PATCH /api/todos/{id} (200) partial";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: POST tunnelled as PATCH is not a real PATCH.
        let r = c
            .req("POST", "/todos/1")
            .header("X-HTTP-Method-Override", "PATCH")
            .json(r#"{"title":"tunnelled"}"#)
            .send()
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "tunnelled", false, ""));
        c.not_done(title).await;

        let r = patch(&c, "/todos/1", "application/json", r#"{"title":"patched"}"#).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), todo_json(1, "patched", false, ""));
        c.done(title).await;

        let r = patch(&c, "/todos/1", "application/json", r#"{"doneStatus":true}"#).await;
        assert_eq!(r.text(), todo_json(1, "patched", true, ""));
    }
}

#[tokio::test]
async fn merge_patch_completes_46() {
    let title = "PATCH /api/todos/{id} (200) merge-patch";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a plain JSON patch.
        patch(
            &c,
            "/todos/1",
            "application/json",
            r#"{"description":"plain"}"#,
        )
        .await;
        c.not_done(title).await;

        let r = patch(&c, "/todos/1", MERGE, r#"{"description":"merged"}"#).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "scan paperwork", false, "merged"));
        c.done(title).await;

        // null removes a member: the description returns to its default.
        let r = patch(
            &c,
            "/todos/1",
            MERGE,
            r#"{"description":null,"doneStatus":true}"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "scan paperwork", true, ""));
    }
}

#[tokio::test]
async fn json_patch_completes_47() {
    let title = "PATCH /api/todos/{id} (200) json-patch";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the operation cannot be applied.
        let r = patch(
            &c,
            "/todos/1",
            JSON_PATCH,
            r#"[{"op":"test","path":"/title","value":"nope"}]"#,
        )
        .await;
        assert_error(&r, 409, "JSON Patch could not be applied");
        c.not_done(title).await;

        let r = patch(
            &c,
            "/todos/1",
            JSON_PATCH,
            r#"[{"op":"replace","path":"/title","value":"patched"}]"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "patched", false, ""));
        c.done(title).await;

        let r = patch(
            &c,
            "/todos/1",
            JSON_PATCH,
            r#"[{"op":"test","path":"/title","value":"patched"},{"op":"replace","path":"/doneStatus","value":true},{"op":"add","path":"/description","value":"added"}]"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "patched", true, "added"));
    }
}

#[tokio::test]
async fn patch_answers_in_the_negotiated_format() {
    let s = TestServer::single().await;
    let r = s
        .req("PATCH", "/api/todos/2")
        .header("Content-Type", MERGE)
        .header("Accept", "application/xml")
        .body(r#"{"doneStatus":true}"#)
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(r.text(), todo_xml(2, "file paperwork", true, ""));
}

#[tokio::test]
async fn patch_missing_todo_is_404() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for ct in ["application/json", MERGE] {
        let r = patch(&c, "/todos/99999", ct, r#"{"title":"x"}"#).await;
        assert_error(
            &r,
            404,
            "No such todo entity instance with id == 99999 found",
        );
    }
    let r = patch(
        &c,
        "/todos/99999",
        JSON_PATCH,
        r#"[{"op":"replace","path":"/title","value":"x"}]"#,
    )
    .await;
    assert_error(
        &r,
        404,
        "No such todo entity instance with id == 99999 found",
    );
}

#[tokio::test]
async fn patch_content_type_errors_are_415() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = patch(&c, "/todos/1", "text/plain", r#"{"title":"x"}"#).await;
    assert_error(&r, 415, "Unsupported Content Type - text/plain");
    // The reference lists the PATCH types in Accept-Patch on 415 PATCH errors.
    assert_eq!(r.header("accept-patch"), Some(ACCEPT_PATCH));
    let r = c
        .req("PATCH", "/todos/1")
        .body(r#"{"title":"x"}"#)
        .send()
        .await;
    assert_error(&r, 415, "Unsupported PATCH Content Type");
    assert_eq!(r.header("accept-patch"), Some(ACCEPT_PATCH));

    for ct in ["application/xml", "text/xml"] {
        let r = patch(&c, "/todos/1", ct, "<todo><title>x</title></todo>").await;
        assert_error(&r, 415, "Unsupported PATCH Content Type");
        assert_eq!(r.header("accept-patch"), Some(ACCEPT_PATCH));
    }
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn malformed_patch_documents_are_400() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = patch(&c, "/todos/1", MERGE, r#"{"title":"#).await;
    assert_error(&r, 400, "Malformed JSON Merge Patch document");
    let r = patch(&c, "/todos/1", JSON_PATCH, r#"[{"op":"#).await;
    assert_error(&r, 400, "Malformed JSON Patch document");
    let r = patch(&c, "/todos/1", JSON_PATCH, r#"{"op":"replace"}"#).await;
    assert_error(
        &r,
        400,
        "JSON Patch document must be an array of operations",
    );
    let r = patch(&c, "/todos/1", "application/json", r#"{"title":"#).await;
    assert_error(
        &r,
        400,
        "Invalid Json Payload: please check the syntax of the request body",
    );
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn patch_results_are_validated() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    // A merge patch that is not an object (the reference's wording).
    let r = patch(&c, "/todos/1", MERGE, "[1]").await;
    assert_error(
        &r,
        422,
        "JSON Merge Patch for entity resources must be an object",
    );
    // A JSON Patch replacing the whole document with a non-object.
    let r = patch(
        &c,
        "/todos/1",
        JSON_PATCH,
        r#"[{"op":"replace","path":"","value":5}]"#,
    )
    .await;
    assert_error(
        &r,
        422,
        "PATCH result for entity resources must be an object",
    );
    // Removing a missing member cannot be applied.
    let r = patch(
        &c,
        "/todos/1",
        JSON_PATCH,
        r#"[{"op":"remove","path":"/nothing"}]"#,
    )
    .await;
    assert_error(&r, 409, "JSON Patch could not be applied");
    // Changing the id.
    let r = patch(&c, "/todos/1", MERGE, r#"{"id":5}"#).await;
    assert_error(&r, 422, "Can not amend id from 1 to 5");
    let r = patch(
        &c,
        "/todos/1",
        JSON_PATCH,
        r#"[{"op":"replace","path":"/id","value":5}]"#,
    )
    .await;
    assert_error(&r, 422, "Can not amend id from 1 to 5");
    // Field validation as for create (type errors unprefixed outside create).
    let r = patch(&c, "/todos/1", MERGE, r#"{"doneStatus":"yes"}"#).await;
    assert_error(&r, 422, "doneStatus should be BOOLEAN but was STRING");
    let r = patch(
        &c,
        "/todos/1",
        JSON_PATCH,
        &format!(
            r#"[{{"op":"replace","path":"/title","value":"{}"}}]"#,
            chars(51)
        ),
    )
    .await;
    assert_error(
        &r,
        422,
        "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50",
    );
    let r = patch(&c, "/todos/1", "application/json", r#"{"priority":"x"}"#).await;
    assert_error(&r, 422, "Failed Validation: Could not find field: priority");
    let r = patch(
        &c,
        "/todos/1",
        JSON_PATCH,
        r#"[{"op":"add","path":"/priority","value":1}]"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(c.snapshot().await, seed_list_json(1..=10));
}

#[tokio::test]
async fn patch_on_the_collection_is_405() {
    let s = TestServer::single().await;
    for prefix in PREFIXES {
        let r = s
            .req("PATCH", &format!("{prefix}/todos"))
            .header("Content-Type", MERGE)
            .body(r#"{"title":"x"}"#)
            .send()
            .await;
        assert_eq!(r.status, 405);
    }
}

#[tokio::test]
async fn patch_over_5000_bytes_is_413() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let body = format!(r#"{{"description":"{}"}}"#, chars(5000));
    let r = patch(&c, "/todos/1", MERGE, &body).await;
    assert_error(&r, 413, TOO_LARGE);
}
