//! DELETE, emptying the store, and the 20-todo limit including concurrent creates
//! (ids never reused, at most 20 todos; challenges #41, #98-#99).

use crate::common::TestServer;
use crate::todos_support::*;

#[tokio::test]
async fn delete_answers_204_and_completes_41() {
    let title = "DELETE /api/todos/{id} (204)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a missing id.
        let r = c.req("DELETE", "/todos/99").send().await;
        assert_error(&r, 404, "Could not find any instances with todos/99");
        c.not_done(title).await;

        let r = c.req("DELETE", "/todos/3").send().await;
        assert_eq!(r.status, 204);
        assert!(r.body.is_empty());
        assert_eq!(r.content_type(), None);
        c.done(title).await;

        assert_eq!(c.get("/todos/3").send().await.status, 404);
        assert_eq!(c.ids().await, vec![1, 2, 4, 5, 6, 7, 8, 9, 10]);
        let again = c.req("DELETE", "/todos/3").send().await;
        assert_error(&again, 404, "Could not find any instances with todos/3");
        let word = c.req("DELETE", "/todos/abc").send().await;
        assert_error(&word, 404, "Could not find any instances with todos/abc");
    }
}

#[tokio::test]
async fn delete_on_the_collection_is_405() {
    let s = TestServer::single().await;
    for prefix in PREFIXES {
        let r = s.req("DELETE", &format!("{prefix}/todos")).send().await;
        assert_eq!(r.status, 405);
    }
    assert_eq!(
        Ctx::single(&s, "/api").snapshot().await,
        seed_list_json(1..=10)
    );
}

#[tokio::test]
async fn deleting_every_todo_completes_98() {
    let title = "DELETE /api/todos/{id} (204) all";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        for id in 1..=9 {
            assert_eq!(
                c.req("DELETE", &format!("/todos/{id}")).send().await.status,
                204
            );
        }
        // Near-miss: one is left.
        c.not_done(title).await;

        assert_eq!(c.req("DELETE", "/todos/10").send().await.status, 204);
        c.done(title).await;

        let r = c.get("/todos").send().await;
        assert_eq!(r.text(), r#"{"todos":[]}"#);
        let xml = c
            .get("/todos")
            .header("Accept", "application/xml")
            .send()
            .await;
        assert_eq!(xml.text(), "<todos></todos>");
        // The id sequence continues.
        assert_eq!(c.create_ok(r#"{"title":"after"}"#).await, 11);
    }
}

#[tokio::test]
async fn the_21st_todo_is_409_and_completes_99() {
    let title = "POST /api/todos (409) max todos";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        for n in 11..=20 {
            assert_eq!(c.create_ok(&format!(r#"{{"title":"t{n}"}}"#)).await, n);
        }
        // Near-miss: the 20th was accepted.
        c.not_done(title).await;

        let r = c.create(r#"{"title":"one too many"}"#).await;
        assert_error(&r, 409, LIMIT_REACHED);
        c.done(title).await;
        assert_eq!(c.ids().await, (1..=20).collect::<Vec<_>>());

        // Validation runs before the limit.
        let r = c.create(r#"{"title":"t","priority":1}"#).await;
        assert_eq!(r.status, 422);
    }
}

#[tokio::test]
async fn limit_409_renders_in_xml_when_asked() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for n in 11..=20 {
        c.create_ok(&format!(r#"{{"title":"t{n}"}}"#)).await;
    }
    let r = c
        .req("POST", "/todos")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/xml")
        .body("<todo><title>x</title></todo>")
        .send()
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(
        r.text(),
        format!("<errorMessages><errorMessage>{LIMIT_REACHED}</errorMessage></errorMessages>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_stop_exactly_at_20() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    let handles: Vec<_> = (0..20)
        .map(|n| {
            let req = c
                .req("POST", "/todos")
                .json(&format!(r#"{{"title":"race {n}"}}"#));
            tokio::spawn(req.send())
        })
        .collect();
    let mut created = Vec::new();
    let mut refused = 0;
    for h in handles {
        let r = h.await.unwrap();
        match r.status {
            201 => {
                let id = r.json()["id"].as_u64().unwrap();
                assert_eq!(
                    r.header("location"),
                    Some(format!("/api/todos/{id}").as_str())
                );
                created.push(id);
            }
            409 => {
                assert_eq!(r.errors(), vec![LIMIT_REACHED.to_string()]);
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", r.text()),
        }
    }
    created.sort_unstable();
    assert_eq!(
        created,
        (11..=20).collect::<Vec<_>>(),
        "each id handed out once"
    );
    assert_eq!(refused, 10);
    assert_eq!(c.ids().await, (1..=20).collect::<Vec<_>>());
    c.done("POST /api/todos (409) max todos").await;

    // The ten refusals consumed no ids.
    assert_eq!(c.req("DELETE", "/todos/15").send().await.status, 204);
    assert_eq!(c.create_ok(r#"{"title":"after the race"}"#).await, 21);
    assert_eq!(c.create(r#"{"title":"full again"}"#).await.status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_learners_do_not_share_the_limit() {
    let s = TestServer::multi().await;
    let a = Ctx::new(&s, "/api").await;
    let b = Ctx::new(&s, "").await;
    let handles: Vec<_> = (0..10)
        .flat_map(|n| {
            let body = format!(r#"{{"title":"n{n}"}}"#);
            [
                tokio::spawn(a.req("POST", "/todos").json(&body).send()),
                tokio::spawn(b.req("POST", "/todos").json(&body).send()),
            ]
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap().status, 201);
    }
    assert_eq!(a.ids().await, (1..=20).collect::<Vec<_>>());
    assert_eq!(b.ids().await, (1..=20).collect::<Vec<_>>());
}

#[tokio::test]
async fn unlimited_todos_allows_a_21st() {
    let s = TestServer::with(|c| {
        c.multi_user = true;
        c.unlimited_todos = true;
    })
    .await;
    let c = Ctx::new(&s, "/api").await;
    for n in 11..=25 {
        assert_eq!(c.create_ok(&format!(r#"{{"title":"t{n}"}}"#)).await, n);
    }
    let page = c.get("/todos?_limit=20&_offset=20").send().await;
    assert_eq!(resp_ids(&page), vec![21, 22, 23, 24, 25]);
    c.not_done("POST /api/todos (409) max todos").await;
}
