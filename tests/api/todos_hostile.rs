//! Hostile input: every bad body gets a 4xx with an error body, never a 5xx, and the
//! learner's todos are left exactly as they were.

use crate::common::{Req, Resp, TestServer};
use crate::todos_support::*;

/// Send `req` and assert a 4xx error body and an unchanged database.
async fn refused(c: &Ctx<'_>, what: &str, req: Req) -> Resp {
    let before = c.snapshot().await;
    let r = req.send().await;
    assert_client_error(&r, what);
    assert_eq!(c.snapshot().await, before, "{what}: the todos changed");
    r
}

fn with_type(c: &Ctx<'_>, method: &str, path: &str, content_type: &str, body: Vec<u8>) -> Req {
    c.req(method, path)
        .header("Content-Type", content_type)
        .body(body)
}

/// Hostile JSON bodies and the status each must get (0: any 4xx, where the reference does
/// not fix one).
fn hostile_json() -> Vec<(&'static str, Vec<u8>, u16)> {
    vec![
        ("truncated JSON", br#"{"title":"t""#.to_vec(), 400),
        ("trailing garbage", br#"{"title":"t"} x"#.to_vec(), 400),
        ("single quotes", b"{'title':'t'}".to_vec(), 400),
        ("deep array nesting", "[".repeat(5000).into_bytes(), 400),
        (
            "deep object nesting",
            r#"{"a":"#.repeat(1000).into_bytes(),
            400,
        ),
        (
            "huge exponent",
            br#"{"title":"t","doneStatus":1e999}"#.to_vec(),
            0,
        ),
        (
            "huge integer",
            br#"{"title":"t","doneStatus":99999999999999999999}"#.to_vec(),
            422,
        ),
        (
            "huge integer title",
            br#"{"title":99999999999999999999}"#.to_vec(),
            422,
        ),
        ("invalid UTF-8", b"{\"title\":\"\xff\xfe\"}".to_vec(), 400),
        (
            "lone surrogate escape",
            br#"{"title":"\ud800"}"#.to_vec(),
            0,
        ),
        (
            "unknown field",
            br#"{"title":"t","owner":"me"}"#.to_vec(),
            422,
        ),
        (
            "nested object field",
            br#"{"title":{"$gt":""}}"#.to_vec(),
            422,
        ),
        ("array body", br#"[{"title":"t"}]"#.to_vec(), 0),
        ("string body", br#""title""#.to_vec(), 0),
        ("null body", b"null".to_vec(), 0),
        ("empty body", Vec::new(), 0),
        ("id on create", br#"{"id":1,"title":"t"}"#.to_vec(), 422),
        ("negative id", br#"{"id":-1,"title":"t"}"#.to_vec(), 422),
    ]
}

#[tokio::test]
async fn hostile_json_creates_are_refused() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        for (what, body, status) in hostile_json() {
            let r = refused(
                &c,
                what,
                with_type(&c, "POST", "/todos", "application/json", body),
            )
            .await;
            if status != 0 {
                assert_eq!(r.status, status, "{what}: {}", r.text());
            }
        }
        // No id was consumed by any of them.
        assert_eq!(c.create_ok(r#"{"title":"after"}"#).await, 11);
    }
}

#[tokio::test]
async fn hostile_json_updates_are_refused() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    for (what, body, _) in hostile_json() {
        if what == "id on create" {
            continue; // a matching id is a legal amend
        }
        for method in ["POST", "PUT", "PATCH"] {
            if what == "empty body" && method != "PUT" {
                continue; // an empty amend changes nothing and may succeed
            }
            let req = with_type(&c, method, "/todos/1", "application/json", body.clone());
            refused(&c, &format!("{method} {what}"), req).await;
        }
        let req = with_type(
            &c,
            "PATCH",
            "/todos/1",
            "application/merge-patch+json",
            body.clone(),
        );
        refused(&c, &format!("merge {what}"), req).await;
    }
}

#[tokio::test]
async fn malformed_error_messages_are_exact() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = refused(
        &c,
        "truncated",
        with_type(
            &c,
            "POST",
            "/todos",
            "application/json",
            b"{\"title\":".to_vec(),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        "Invalid Json Payload: please check the syntax of the request body",
    );
    let r = refused(
        &c,
        "deep",
        with_type(
            &c,
            "POST",
            "/todos",
            "application/json",
            "[".repeat(5000).into_bytes(),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        "Invalid Json Payload: please check the syntax of the request body",
    );
}

#[tokio::test]
async fn body_over_the_limit_is_413_before_parsing() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        for (method, path) in [
            ("POST", "/todos"),
            ("POST", "/todos/1"),
            ("PUT", "/todos/1"),
        ] {
            // 5001 bytes of garbage: the size check comes before the syntax check.
            let req = with_type(&c, method, path, "application/json", vec![b'{'; 5001]);
            let r = refused(&c, "5001 bytes", req).await;
            assert_error(&r, 413, TOO_LARGE);
        }
        // A much larger body is refused the same way.
        let req = with_type(
            &c,
            "POST",
            "/todos",
            "application/json",
            vec![b' '; 200_000],
        );
        let r = refused(&c, "200 kB", req).await;
        assert_error(&r, 413, TOO_LARGE);
    }
}

#[tokio::test]
async fn hostile_xml_is_refused() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("unclosed", b"<todo><title>t</title>".to_vec()),
        ("mismatched", b"<todo><title>t</todo></title>".to_vec()),
        ("not xml", b"title=t".to_vec()),
        (
            "doctype",
            b"<!DOCTYPE todo><todo><title>t</title></todo>".to_vec(),
        ),
        (
            "external entity",
            br#"<!DOCTYPE todo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><todo><title>&xxe;</title></todo>"#.to_vec(),
        ),
        (
            "entity expansion",
            br#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><todo><title>&lol3;</title></todo>"#.to_vec(),
        ),
        (
            "undeclared entity",
            b"<todo><title>&nope;</title></todo>".to_vec(),
        ),
        ("deep nesting", "<a>".repeat(1600).into_bytes()),
        ("invalid UTF-8", b"<todo><title>\xff\xfe</title></todo>".to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, body) in cases {
        for ct in ["application/xml", "text/xml"] {
            let req = with_type(&c, "POST", "/todos", ct, body.clone());
            let r = refused(&c, what, req).await;
            // Text with no element and an empty body are "no fields" to a lenient
            // parser; any 4xx will do for them.
            if !body.is_empty() && what != "not xml" {
                assert_eq!(r.status, 400, "{what}: {}", r.text());
                assert!(
                    r.errors()[0].starts_with("Invalid XML Payload: "),
                    "{what}: {:?}",
                    r.errors()
                );
            }
        }
        let req = with_type(&c, "PUT", "/todos/1", "application/xml", body.clone());
        refused(&c, what, req).await;
    }
}

#[tokio::test]
async fn xml_with_unknown_or_mistyped_fields_is_422() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for (what, body) in [
        (
            "unknown child",
            "<todo><title>t</title><owner>me</owner></todo>",
        ),
        (
            "bad boolean",
            "<todo><title>t</title><doneStatus>maybe</doneStatus></todo>",
        ),
        ("id", "<todo><id>3</id><title>t</title></todo>"),
    ] {
        let req = with_type(&c, "POST", "/todos", "application/xml", body.into());
        let r = refused(&c, what, req).await;
        assert_eq!(r.status, 422, "{what}: {}", r.text());
    }
}

#[tokio::test]
async fn wrong_content_types_and_missing_ones_are_refused() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for ct in [
        "",
        "application/json-patch+json",
        "multipart/form-data; boundary=x",
        "*/*",
    ] {
        let req = with_type(&c, "POST", "/todos", ct, br#"{"title":"t"}"#.to_vec());
        let r = refused(&c, ct, req).await;
        assert!(matches!(r.status, 400 | 415), "{ct:?}: {}", r.status);
    }
}

#[tokio::test]
async fn hostile_query_strings_and_paths_never_500() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let before = c.snapshot().await;
    for path in [
        "/todos?id>99999999999999999999999",
        "/todos?id=abc",
        "/todos?_limit=99999999999999999999",
        "/todos?_offset=99999999999999999999",
        "/todos?title~=(a+)+$",
        "/todos?title~=[",
        "/todos?title*=**********************************a",
        "/todos?_sortBy=,,,-,+",
        "/todos?%ff%fe=1",
        "/todos?title=%ff",
        "/todos?=&&&=",
        "/todos/%00",
        "/todos/..%2F..%2Fetc%2Fpasswd",
        "/todos/99999999999999999999999",
        "/todos/export?format=%00",
    ] {
        let r = c.get(path).send().await;
        assert!(r.status < 500, "{path}: {} {}", r.status, r.text());
    }
    assert_eq!(c.snapshot().await, before);
}

#[tokio::test]
async fn hostile_query_bodies_are_refused() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for (ct, body) in [
        (
            "application/jsonpath",
            "$".to_string() + &"[0]".repeat(1500),
        ),
        ("application/jsonpath", "$..*..*..*..*..*".to_string()),
        ("application/jsonpath", "\u{0}".to_string()),
        ("application/vnd.thingifier.query+json", "[".repeat(4000)),
        (
            "application/vnd.thingifier.query+json",
            r#"{"limit":-1}"#.to_string(),
        ),
        (
            "application/vnd.thingifier.query+json",
            r#"{"limit":1e999}"#.to_string(),
        ),
        (
            "application/x-www-form-urlencoded",
            "_limit=abc".to_string(),
        ),
        ("application/x-www-form-urlencoded", "title~=(".to_string()),
    ] {
        let before = c.snapshot().await;
        let r = c
            .req("QUERY", "/todos")
            .header("Content-Type", ct)
            .body(body.clone())
            .send()
            .await;
        assert!(r.status < 500, "{ct} {body:.40}: {} {}", r.status, r.text());
        assert_eq!(c.snapshot().await, before);
    }
    let big = c
        .req("QUERY", "/todos")
        .header("Content-Type", "application/jsonpath")
        .body("$".to_string() + &" ".repeat(5000))
        .send()
        .await;
    assert_error(&big, 413, TOO_LARGE);
}

#[tokio::test]
async fn hostile_json_patches_are_refused() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for body in [
        r#"[{"op":"move","from":"/title","path":"/title/x"}]"#,
        r#"[{"op":"copy","from":"/nothing","path":"/title"}]"#,
        r#"[{"op":"explode","path":"/title"}]"#,
        r#"[{"op":"replace","path":"/title"}]"#,
        r#"[{"op":"replace","path":"title","value":"x"}]"#,
        r#"[{"op":"add","path":"/description","value":{"deep":[1,2,3]}}]"#,
        r#"[{"op":"remove","path":"/title"}]"#,
        r#"[{"op":"replace","path":"/id","value":"1; DROP TABLE todos"}]"#,
        r#"[1,2,3]"#,
    ] {
        let req = with_type(
            &c,
            "PATCH",
            "/todos/1",
            "application/json-patch+json",
            body.into(),
        );
        refused(&c, body, req).await;
    }
}
