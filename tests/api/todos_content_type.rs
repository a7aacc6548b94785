//! Request bodies by Content-Type, and mixing request and response formats
//! (challenges #63-#66, #78-#79).

use crate::common::{Resp, TestServer};
use crate::todos_support::*;

async fn post(c: &Ctx<'_>, content_type: &str, accept: Option<&str>, body: &str) -> Resp {
    let mut r = c.req("POST", "/todos").header("Content-Type", content_type);
    if let Some(a) = accept {
        r = r.header("Accept", a);
    }
    r.body(body).send().await
}

#[tokio::test]
async fn xml_in_xml_out_completes_63() {
    let title = "POST /api/todos XML";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: text/xml out is not application/xml.
        let r = post(
            &c,
            "application/xml",
            Some("text/xml"),
            "<todo><title>first</title></todo>",
        )
        .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("text/xml"));
        assert_eq!(r.text(), todo_xml(11, "first", false, ""));
        c.not_done(title).await;

        let r = post(
            &c,
            "application/xml",
            Some("application/xml"),
            "<todo><title>xml todo</title><doneStatus>false</doneStatus></todo>",
        )
        .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/xml"));
        assert_eq!(r.text(), todo_xml(12, "xml todo", false, ""));
        assert_eq!(
            r.header("location"),
            Some(format!("{prefix}/todos/12").as_str())
        );
        c.done(title).await;
    }
}

#[tokio::test]
async fn xml_bodies_convert_booleans_and_keep_descriptions() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = post(
        &c,
        "text/xml",
        Some("application/json"),
        "<todo><title>t &amp; u</title><doneStatus>true</doneStatus><description>d</description></todo>",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.text(), todo_json(11, "t & u", true, "d"));

    let r = c
        .get("/todos/11")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(
        r.text(),
        format!("<todos>{}</todos>", todo_xml(11, "t &amp; u", true, "d"))
    );
}

#[tokio::test]
async fn xml_with_another_root_names_an_unknown_field() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = post(&c, "application/xml", None, "<task><title>t</title></task>").await;
    assert_eq!(r.status, 422);
    assert!(
        r.errors()
            .iter()
            .any(|m| m.contains("Could not find field: task")),
        "{:?}",
        r.errors()
    );
}

#[tokio::test]
async fn json_in_json_out_completes_64() {
    let title = "POST /api/todos JSON";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: JSON comes back by default, but Accept does not list it.
        let r = post(&c, "application/json", None, r#"{"title":"json todo"}"#).await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/json"));
        c.not_done(title).await;

        let r = post(
            &c,
            "application/json",
            Some("application/json"),
            r#"{"title":"json todo"}"#,
        )
        .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.text(), todo_json(12, "json todo", false, ""));
        c.done(title).await;
    }
}

#[tokio::test]
async fn vendor_xml_content_type_completes_65() {
    let title = "POST /api/todos vendor XML";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: another structured todo XML type is accepted but is not the vendor one.
        let r = post(
            &c,
            "application/todo+xml",
            Some("application/json"),
            "<todo><title>plain structured</title></todo>",
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        c.not_done(title).await;

        let r = post(
            &c,
            "application/vnd.apichallenges.todo+xml",
            Some("application/json"),
            "<todo><title>vendor</title></todo>",
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.text(), todo_json(12, "vendor", false, ""));
        c.done(title).await;
    }
}

#[tokio::test]
async fn unsupported_content_type_is_415_and_completes_66() {
    let title = "POST /api/todos (415)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a missing Content-Type is a 400, not a 415.
        let r = c.req("POST", "/todos").body("title=x").send().await;
        assert_eq!(r.status, 400);
        c.not_done(title).await;

        let r = post(&c, "application/x-www-form-urlencoded", None, "title=x").await;
        assert_error(
            &r,
            415,
            "Unsupported Content Type - application/x-www-form-urlencoded",
        );
        c.done(title).await;
        assert_eq!(c.snapshot().await, seed_list_json(1..=10));
    }
}

#[tokio::test]
async fn other_unsupported_types_echo_the_header_as_sent() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for ct in [
        "text/plain",
        "application/octet-stream",
        "application/merge-patch+json",
        "Text/CSV; charset=utf-8",
    ] {
        let r = post(&c, ct, None, r#"{"title":"t"}"#).await;
        assert_error(&r, 415, &format!("Unsupported Content Type - {ct}"));
    }
}

#[tokio::test]
async fn content_type_matching_ignores_case_and_parameters() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = post(
        &c,
        "Application/JSON; charset=UTF-8",
        None,
        r#"{"title":"a"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = post(
        &c,
        "APPLICATION/XML;charset=utf-8",
        None,
        "<todo><title>b</title></todo>",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
}

#[tokio::test]
async fn xml_to_json_completes_78() {
    let title = "POST /api/todos XML to JSON";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: JSON by default, Accept not listing it.
        let r = post(&c, "application/xml", None, "<todo><title>x</title></todo>").await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/json"));
        c.not_done(title).await;

        let r = post(
            &c,
            "application/xml",
            Some("application/json"),
            "<todo><title>x</title></todo>",
        )
        .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(r.text(), todo_json(12, "x", false, ""));
        c.done(title).await;
    }
}

#[tokio::test]
async fn json_to_xml_completes_79() {
    let title = "POST /api/todos JSON to XML";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: text/xml is not application/xml.
        let r = post(&c, "application/json", Some("text/xml"), r#"{"title":"x"}"#).await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("text/xml"));
        c.not_done(title).await;

        let r = post(
            &c,
            "application/json",
            Some("application/xml"),
            r#"{"title":"x"}"#,
        )
        .await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/xml"));
        assert_eq!(r.text(), todo_xml(12, "x", false, ""));
        c.done(title).await;
    }
}

#[tokio::test]
async fn structured_xml_accept_echoes_the_concrete_type_on_create() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = post(
        &c,
        "application/json",
        Some("application/vnd.apichallenges.todo+xml"),
        r#"{"title":"v"}"#,
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.content_type(),
        Some("application/vnd.apichallenges.todo+xml")
    );
    assert_eq!(r.text(), todo_xml(11, "v", false, ""));
}
