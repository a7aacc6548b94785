//! Updating todos with POST (amend) and PUT (replace) (the PUT-create and update challenges,
//! #30-#40).

use crate::common::{Resp, TestServer};
use crate::todos_support::*;

async fn put(c: &Ctx<'_>, path: &str, body: &str) -> Resp {
    c.req("PUT", path).json(body).send().await
}

async fn todo_1(c: &Ctx<'_>) -> serde_json::Value {
    c.get("/todos/1").send().await.json()["todos"][0].clone()
}

#[tokio::test]
async fn put_creating_with_an_auto_id_is_422_and_completes_30() {
    let title = "PUT /api/todos/{id} (422)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a different body id gives the key-mismatch message instead.
        let r = put(&c, "/todos/99999", r#"{"id":5,"title":"new"}"#).await;
        assert_eq!(r.status, 422);
        c.not_done(title).await;

        let r = put(
            &c,
            "/todos/99999",
            r#"{"id":99999,"title":"new","doneStatus":false}"#,
        )
        .await;
        assert_error(&r, 422, "Cannot create todo with PUT due to Auto fields id");
        c.done(title).await;
        assert_eq!(c.snapshot().await, seed_list_json(1..=10));
    }
}

#[tokio::test]
async fn post_amend_changes_only_supplied_fields_and_completes_31() {
    let title = "POST /api/todos/{id} (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a failed amend.
        // Only create errors get the `Failed Validation: ` prefix, as in the reference.
        let r = c.post_json("/todos/1", r#"{"doneStatus":"yes"}"#).await;
        assert_error(&r, 422, "doneStatus should be BOOLEAN but was STRING");
        c.not_done(title).await;

        let r = c.post_json("/todos/1", r#"{"title":"renamed"}"#).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), todo_json(1, "renamed", false, ""));
        c.done(title).await;

        let r = c
            .post_json("/todos/1", r#"{"doneStatus":true,"description":"d"}"#)
            .await;
        assert_eq!(r.text(), todo_json(1, "renamed", true, "d"));
        let r = c.post_json("/todos/1", "{}").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), todo_json(1, "renamed", true, "d"));
        assert_eq!(todo_1(&c).await["title"], "renamed");
    }
}

#[tokio::test]
async fn post_amend_validates_like_create() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = c.post_json("/todos/1", r#"{"priority":"x"}"#).await;
    assert_error(&r, 422, "Failed Validation: Could not find field: priority");
    let r = c
        .post_json(
            "/todos/1",
            &format!(r#"{{"description":"{}"}}"#, chars(201)),
        )
        .await;
    assert_error(
        &r,
        422,
        "Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200",
    );
    let r = c.post_json("/todos/1", r#"{"id":2}"#).await;
    assert_error(&r, 422, "Can not amend id from 1 to 2");
    let r = c
        .post_json("/todos/1", r#"{"id":1,"title":"same id"}"#)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), todo_json(1, "same id", false, ""));
    let r = c
        .req("POST", "/todos/1")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/xml")
        .body("<todo><doneStatus>true</doneStatus></todo>")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), todo_xml(1, "same id", true, ""));
}

#[tokio::test]
async fn post_amend_missing_todo_is_404_and_completes_32() {
    let title = "POST /api/todos/{id} (404)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        c.post_json("/todos/1", r#"{"title":"exists"}"#).await;
        c.not_done(title).await;

        let r = c
            .post_json("/todos/99999", r#"{"title":"nothing here"}"#)
            .await;
        assert_error(
            &r,
            404,
            "No such todo entity instance with id == 99999 found",
        );
        c.done(title).await;
        assert_eq!(c.ids().await, (1..=10).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn put_full_completes_33() {
    let title = "PUT /api/todos/{id} full (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: no doneStatus in the body.
        let r = put(&c, "/todos/1", r#"{"title":"t","description":"d"}"#).await;
        assert_eq!(r.status, 200);
        c.not_done(title).await;

        let r = put(
            &c,
            "/todos/1",
            r#"{"title":"t","description":"d","doneStatus":true}"#,
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), todo_json(1, "t", true, "d"));
        c.done(title).await;
    }
}

#[tokio::test]
async fn put_partial_resets_omitted_fields_and_completes_34() {
    let title = "PUT /api/todos/{id} partial (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        c.post_json("/todos/1", r#"{"doneStatus":true,"description":"keep?"}"#)
            .await;
        // Near-miss: mentions description.
        let r = put(&c, "/todos/2", r#"{"title":"t2","description":""}"#).await;
        assert_eq!(r.status, 200);
        c.not_done(title).await;

        let r = put(&c, "/todos/1", r#"{"title":"only a title"}"#).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), todo_json(1, "only a title", false, ""));
        c.done(title).await;
        assert_eq!(todo_1(&c).await["description"], "");
    }
}

#[tokio::test]
async fn put_on_collection_with_body_id_completes_35() {
    let title = "PUT /api/todos body id (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the same body on the item path.
        let r = put(&c, "/todos/1", r#"{"id":1,"title":"item"}"#).await;
        assert_eq!(r.status, 200);
        c.not_done(title).await;

        let r = put(
            &c,
            "/todos",
            r#"{"id":1,"title":"t","description":"d","doneStatus":true}"#,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), todo_json(1, "t", true, "d"));
        c.done(title).await;
        assert_eq!(c.ids().await.len(), 10);
    }
}

#[tokio::test]
async fn put_item_without_body_id_completes_36() {
    let title = "PUT /api/todos/{id} no body id (200)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the body names the id.
        put(&c, "/todos/1", r#"{"id":1,"title":"t"}"#).await;
        c.not_done(title).await;

        let r = put(&c, "/todos/1", r#"{"title":"t","doneStatus":false}"#).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), todo_json(1, "t", false, ""));
        c.done(title).await;
    }
}

#[tokio::test]
async fn put_without_title_is_422_and_completes_37() {
    let title = "PUT /api/todos/{id} no title (422)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the title is there.
        put(&c, "/todos/1", r#"{"title":"t","description":"has title"}"#).await;
        c.not_done(title).await;

        let r = put(&c, "/todos/1", r#"{"description":"no title"}"#).await;
        assert_eq!(r.status, 422);
        assert!(
            r.errors()
                .iter()
                .any(|m| m.contains("title : field is mandatory")),
            "{:?}",
            r.errors()
        );
        c.done(title).await;
        assert_eq!(todo_1(&c).await["description"], "has title");
    }
}

#[tokio::test]
async fn put_collection_without_id_is_422_and_completes_38() {
    let title = "PUT /api/todos no id (422)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: an unknown body id is a 422 too, but the body has an id.
        let r = put(&c, "/todos", r#"{"id":99999,"title":"ghost"}"#).await;
        assert_error(&r, 422, "Cannot create todo with PUT due to Auto fields id");
        c.not_done(title).await;

        let r = put(&c, "/todos", r#"{"title":"which one?"}"#).await;
        assert_error(&r, 422, "PUT requires an identifier in the URI or payload");
        c.done(title).await;
        assert_eq!(c.snapshot().await, seed_list_json(1..=10));
    }
}

#[tokio::test]
async fn put_missing_id_without_body_id_is_404_and_completes_39() {
    let title = "PUT /api/todos/{id} not found (404)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the todo exists.
        put(&c, "/todos/1", r#"{"title":"exists"}"#).await;
        c.not_done(title).await;

        let r = put(&c, "/todos/99999", r#"{"title":"ghost"}"#).await;
        assert_error(&r, 404, "No such todo entity instance with id == 99999");
        c.done(title).await;
        assert_eq!(c.ids().await.len(), 10, "PUT never creates");
    }
}

#[tokio::test]
async fn put_404_is_json_even_when_xml_is_accepted() {
    let s = TestServer::single().await;
    let r = s
        .req("PUT", "/api/todos/77")
        .header("Accept", "application/xml")
        .json(r#"{"title":"ghost"}"#)
        .send()
        .await;
    assert_error(&r, 404, "No such todo entity instance with id == 77");
}

#[tokio::test]
async fn put_changing_the_id_is_422_and_completes_40() {
    let title = "PUT /api/todos/{id} no amend id (422)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the same id is fine.
        let r = put(&c, "/todos/1", r#"{"id":1,"title":"t"}"#).await;
        assert_eq!(r.status, 200);
        c.not_done(title).await;

        let r = put(&c, "/todos/1", r#"{"id":2,"title":"t"}"#).await;
        assert_error(&r, 422, "Can not amend id from 1 to 2");
        c.done(title).await;
        assert_eq!(c.get("/todos/2").send().await.status, 200);
    }
}

#[tokio::test]
async fn put_validates_like_create_and_accepts_xml() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = put(&c, "/todos/3", &format!(r#"{{"title":"{}"}}"#, chars(51))).await;
    assert_error(
        &r,
        422,
        "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50",
    );
    let r = put(&c, "/todos/3", r#"{"title":"t","doneStatus":"x"}"#).await;
    assert_error(&r, 422, "doneStatus should be BOOLEAN but was STRING");
    let r = c
        .req("PUT", "/todos/3")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/xml")
        .body("<todo><title>xml put</title><description>x</description></todo>")
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), todo_xml(3, "xml put", false, "x"));
    let r = c
        .req("PUT", "/todos/3")
        .header("Content-Type", "text/plain")
        .body("title=x")
        .send()
        .await;
    assert_error(&r, 415, "Unsupported Content Type - text/plain");
}

#[tokio::test]
async fn method_override_post_as_delete_deletes() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    let r = c
        .req("POST", "/todos/3")
        .header("X-HTTP-Method-Override", "DELETE")
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(c.get("/todos/3").send().await.status, 404);
    // An unknown verb is ignored: a plain amend.
    let r = c
        .req("POST", "/todos/4")
        .header("X-HTTP-Method-Override", "FETCH")
        .json(r#"{"title":"amended"}"#)
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), todo_json(4, "amended", false, ""));
}
