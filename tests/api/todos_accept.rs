//! Response formats chosen by Accept, errors included (the Accept and Advanced Accept
//! challenges, #49-#62).

use crate::common::{Resp, TestServer};
use crate::todos_support::*;

async fn get_with(c: &Ctx<'_>, path: &str, accept: &str) -> Resp {
    c.get(path).header("Accept", accept).send().await
}

fn assert_xml_list(r: &Resp, content_type: &str) {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.content_type(), Some(content_type));
    assert_eq!(r.text(), seed_list_xml(1..=10));
}

fn assert_json_list(r: &Resp) {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(r.text(), seed_list_json(1..=10));
}

#[tokio::test]
async fn accept_xml_completes_49() {
    let title = "GET /api/todos (200) XML";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a query string disqualifies the Accept challenges.
        let r = get_with(&c, "/todos?_limit=10", "application/xml").await;
        assert_xml_list(&r, "application/xml");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/xml").await;
        assert_xml_list(&r, "application/xml");
        c.done(title).await;
    }
}

#[tokio::test]
async fn accept_json_completes_50() {
    let title = "GET /api/todos (200) JSON";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: JSON through a wildcard does not list application/json.
        let r = get_with(&c, "/todos", "application/*").await;
        assert_json_list(&r);
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/json").await;
        assert_json_list(&r);
        c.done(title).await;
        // #3 is recorded by the same request.
        c.done("GET /api/todos (200)").await;
    }
}

#[tokio::test]
async fn accept_any_completes_51() {
    let title = "GET /api/todos (200) ANY";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: `text/*` picks CSV, not JSON.
        let r = get_with(&c, "/todos", "text/*").await;
        assert_eq!(r.content_type(), Some("text/csv"));
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "*/*").await;
        assert_json_list(&r);
        c.done(title).await;
    }
}

#[tokio::test]
async fn xml_preferred_over_json_completes_52() {
    let title = "GET /api/todos (200) XML pref";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: listed first, JSON wins the tie.
        let r = get_with(&c, "/todos", "application/json, application/xml").await;
        assert_json_list(&r);
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/xml, application/json").await;
        assert_xml_list(&r, "application/xml");
        c.done(title).await;
    }
}

#[tokio::test]
async fn no_accept_gives_json_and_completes_53() {
    let title = "GET /api/todos (200) no accept";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: `*/*` is an Accept header.
        get_with(&c, "/todos", "*/*").await;
        c.not_done(title).await;

        let r = c.get("/todos").send().await;
        assert_json_list(&r);
        c.done(title).await;
    }
    // An empty Accept header counts as missing.
    let c = Ctx::new(&s, "/api").await;
    let r = get_with(&c, "/todos", "").await;
    assert_json_list(&r);
    c.done(title).await;
}

#[tokio::test]
async fn unsupported_accept_is_406_and_completes_54() {
    let title = "GET /api/todos (406)";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a q=0 JSON range matches a supported type, so it is not "unsupported".
        let r = get_with(&c, "/todos", "application/json;q=0").await;
        assert_error(&r, 406, "No acceptable response type supported");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/gzip").await;
        assert_error(&r, 406, "Unrecognised Accept Type");
        c.done(title).await;
    }
    let c = Ctx::new(&s, "/api").await;
    let r = get_with(&c, "/todos", "text/calendar").await;
    assert_error(&r, 406, "Unrecognised Accept Type");
    c.done(title).await;
}

const CALENDAR_1: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//EvilTester//API Challenges//EN\r\nBEGIN:VTODO\r\nUID:todo-1@apichallenges\r\nSUMMARY:scan paperwork\r\nDESCRIPTION:\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR";

#[tokio::test]
async fn text_calendar_on_a_todo_completes_55_and_5() {
    let title = "GET /api/todos/{id} (200) text/calendar";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: JSON listed first is preferred.
        let r = get_with(&c, "/todos/1", "application/json, text/calendar").await;
        assert_eq!(r.content_type(), Some("application/json"));
        c.not_done(title).await;

        let r = get_with(&c, "/todos/1", "text/calendar").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("text/calendar"));
        assert_eq!(r.text(), CALENDAR_1);
        c.done(title).await;
        c.done("GET /api/todos/{id} (200)").await;
    }
}

#[tokio::test]
async fn text_calendar_wins_by_q_value() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = get_with(
        &c,
        "/todos/1",
        "application/json;q=0.5, text/calendar;q=0.9",
    )
    .await;
    assert_eq!(r.content_type(), Some("text/calendar"));
    assert_eq!(r.text(), CALENDAR_1);
}

#[tokio::test]
async fn text_calendar_escapes_text_and_shows_completion() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let id = c
        .create_ok(
            r#"{"title":"a,b;c\\d","description":"line1\nline2\r\nline3","doneStatus":true}"#,
        )
        .await;
    let r = get_with(&c, &format!("/todos/{id}"), "text/calendar").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//EvilTester//API Challenges//EN\r\nBEGIN:VTODO\r\nUID:todo-{id}@apichallenges\r\nSUMMARY:a\\,b\\;c\\\\d\r\nDESCRIPTION:line1\\nline2\\nline3\r\nSTATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR"
        )
    );
}

#[tokio::test]
async fn text_calendar_for_a_missing_todo_is_json_404_and_completes_6() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let r = get_with(&c, "/todos/999", "text/calendar").await;
        assert_error(&r, 404, "No such todo entity instance with id == 999");
        c.done("GET /api/todos/{id} (404)").await;
        c.not_done("GET /api/todos/{id} (200) text/calendar").await;
    }
}

#[tokio::test]
async fn q_prefers_xml_completes_56() {
    let title = "GET /api/todos (200) q XML preferred";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: q=1.0 is not written as q=1.
        let r = get_with(
            &c,
            "/todos",
            "application/json;q=0.5, application/xml;q=1.0",
        )
        .await;
        assert_xml_list(&r, "application/xml");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/json;q=0.5, application/xml;q=1").await;
        assert_xml_list(&r, "application/xml");
        c.done(title).await;
    }
}

#[tokio::test]
async fn q_prefers_json_completes_57() {
    let title = "GET /api/todos (200) q JSON preferred";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let r = get_with(&c, "/todos", "application/xml;q=0.5, application/json").await;
        assert_json_list(&r);
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/xml;q=0.5, application/json;q=1").await;
        assert_json_list(&r);
        c.done(title).await;
    }
}

#[tokio::test]
async fn q_rejecting_all_is_406_and_completes_58() {
    let title = "GET /api/todos (406) q rejects all";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: only JSON rejected.
        let r = get_with(&c, "/todos", "application/json;q=0").await;
        assert_eq!(r.status, 406);
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/json;q=0, application/xml;q=0").await;
        assert_error(&r, 406, "No acceptable response type supported");
        c.done(title).await;
    }
}

#[tokio::test]
async fn structured_json_accept_is_406_and_completes_59() {
    let title = "GET /api/todos (406) unsupported +json";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: another unsupported type.
        get_with(&c, "/todos", "application/gzip").await;
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/problem+json").await;
        assert_error(&r, 406, "Unrecognised Accept Type");
        c.done(title).await;
        c.done("GET /api/todos (406)").await;
    }
    let c = Ctx::new(&s, "/api").await;
    let r = get_with(&c, "/todos", "application/*+json").await;
    assert_error(&r, 406, "Unrecognised Accept Type");
    c.done(title).await;
}

#[tokio::test]
async fn text_xml_completes_60() {
    let title = "GET /api/todos (200) text/xml";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: a parameter changes the normalised header.
        let r = get_with(&c, "/todos", "text/xml;q=0.9").await;
        assert_xml_list(&r, "text/xml");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "text/xml").await;
        assert_xml_list(&r, "text/xml");
        c.done(title).await;
    }
}

#[tokio::test]
async fn vendor_xml_completes_61() {
    let title = "GET /api/todos (200) vendor XML";
    let vendor = "application/vnd.apichallenges.todo+xml";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: another structured todo type, echoed as sent.
        let r = get_with(&c, "/todos", "application/todo+xml").await;
        assert_xml_list(&r, "application/todo+xml");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", vendor).await;
        assert_xml_list(&r, vendor);
        c.done(title).await;
    }
}

#[tokio::test]
async fn structured_xml_wildcard_completes_62() {
    let title = "GET /api/todos (200) structured XML wildcard";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the wildcard with a q value.
        let r = get_with(&c, "/todos", "application/*+xml;q=0.8").await;
        assert_xml_list(&r, "application/todo+xml");
        c.not_done(title).await;

        let r = get_with(&c, "/todos", "application/*+xml").await;
        assert_xml_list(&r, "application/todo+xml");
        c.done(title).await;
    }
}

#[tokio::test]
async fn negotiation_rules() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for (accept, expected) in [
        ("APPLICATION/XML", "application/xml"),
        (
            "application/json;q=0.5, application/xml;q=1",
            "application/xml",
        ),
        (
            "application/xml;q=0.5, application/json;q=1",
            "application/json",
        ),
        ("application/*", "application/json"),
        ("text/*", "text/csv"),
        ("*/*", "application/json"),
        ("application/xml;q=0, */*", "application/json"),
        (
            "application/xml;q=abc, application/json;q=0.1",
            "application/json",
        ),
        ("application/json;charset=utf-8", "application/json"),
        ("text/html;q=0.9, */*;q=0.8", "text/html"),
        ("application/todos+xml", "application/todos+xml"),
        ("application/x-ndjson", "application/x-ndjson"),
        ("application/jsonl", "application/jsonl"),
        ("application/json-seq", "application/json-seq"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/plain", "text/plain"),
        ("text/csv", "text/csv"),
    ] {
        let r = get_with(&c, "/todos", accept).await;
        assert_eq!(r.status, 200, "Accept {accept}: {}", r.text());
        assert_eq!(r.content_type(), Some(expected), "Accept {accept}");
    }
    for (accept, message) in [
        ("application/soap+xml", "Unrecognised Accept Type"),
        ("application/problem+xml", "Unrecognised Accept Type"),
        ("image/png", "Unrecognised Accept Type"),
        (
            "application/json;q=0, application/xml;q=0, text/*;q=0",
            "No acceptable response type supported",
        ),
    ] {
        let r = get_with(&c, "/todos", accept).await;
        assert_error(&r, 406, message);
    }
}

fn csv_line(id: u64) -> String {
    format!("{id},{},false,", SEEDS[(id - 1) as usize])
}

#[tokio::test]
async fn list_formats_render_the_seed_data() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let query = "/todos?_limit=2";

    let r = get_with(&c, query, "text/csv").await;
    assert_eq!(r.content_type(), Some("text/csv"));
    assert_eq!(
        r.text(),
        format!(
            "id,title,doneStatus,description\n{}\n{}",
            csv_line(1),
            csv_line(2)
        )
    );

    let r = get_with(&c, query, "text/tab-separated-values").await;
    assert_eq!(r.content_type(), Some("text/tab-separated-values"));
    assert_eq!(
        r.text(),
        "id\ttitle\tdoneStatus\tdescription\n1\tscan paperwork\tfalse\t\n2\tfile paperwork\tfalse\t"
    );

    let lines = format!("{}\n{}\n", seed_json(1), seed_json(2));
    let r = get_with(&c, query, "application/x-ndjson").await;
    assert_eq!(r.content_type(), Some("application/x-ndjson"));
    assert_eq!(r.text(), lines);
    let r = get_with(&c, query, "application/jsonl").await;
    assert_eq!(r.content_type(), Some("application/jsonl"));
    assert_eq!(r.text(), lines);

    let r = get_with(&c, query, "application/json-seq").await;
    assert_eq!(r.content_type(), Some("application/json-seq"));
    assert_eq!(
        r.text(),
        format!("\u{1e}{}\n\u{1e}{}\n", seed_json(1), seed_json(2))
    );

    let r = get_with(&c, query, "text/plain").await;
    assert_eq!(r.content_type(), Some("text/plain"));
    assert_eq!(
        r.text(),
        "id=1, title=scan paperwork, doneStatus=false, description=\nid=2, title=file paperwork, doneStatus=false, description="
    );

    // Markup follows the reference's, which no test of its own pins down.
    let r = get_with(&c, query, "text/html").await;
    assert_eq!(r.content_type(), Some("text/html"));
    assert_eq!(
        r.text(),
        "<table><thead><tr><th>id</th><th>title</th><th>doneStatus</th><th>description</th></tr></thead><tbody><tr><td>1</td><td>scan paperwork</td><td>false</td><td></td></tr><tr><td>2</td><td>file paperwork</td><td>false</td><td></td></tr></tbody></table>"
    );
}

#[tokio::test]
async fn full_list_formats_have_one_row_per_todo() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = get_with(&c, "/todos", "text/csv").await;
    let expected: Vec<String> = std::iter::once("id,title,doneStatus,description".to_string())
        .chain((1..=10).map(csv_line))
        .collect();
    assert_eq!(r.text(), expected.join("\n"));
    let r = get_with(&c, "/todos", "application/x-ndjson").await;
    let expected: String = (1..=10).map(|id| format!("{}\n", seed_json(id))).collect();
    assert_eq!(r.text(), expected);
}

#[tokio::test]
async fn delimited_formats_quote_and_escape() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let id = c
        .create_ok(r#"{"title":"a, \"b\"","description":"tab\there\nnext"}"#)
        .await;
    let path = format!("/todos?id={id}");
    let r = get_with(&c, &path, "text/csv").await;
    assert_eq!(
        r.text(),
        format!("id,title,doneStatus,description\n{id},\"a, \"\"b\"\"\",false,\"tab\there\nnext\"")
    );
    let r = get_with(&c, &path, "text/tab-separated-values").await;
    assert_eq!(
        r.text(),
        format!("id\ttitle\tdoneStatus\tdescription\n{id}\ta, \"b\"\tfalse\ttab\\there\\nnext")
    );
}

#[tokio::test]
async fn empty_lists_in_each_format() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let q = "/todos?id=999";
    assert_eq!(
        get_with(&c, q, "application/json").await.text(),
        r#"{"todos":[]}"#
    );
    assert_eq!(
        get_with(&c, q, "application/xml").await.text(),
        "<todos></todos>"
    );
    assert_eq!(
        get_with(&c, q, "text/csv").await.text(),
        "id,title,doneStatus,description"
    );
    assert_eq!(get_with(&c, q, "application/x-ndjson").await.text(), "");
}

#[tokio::test]
async fn errors_render_in_the_negotiated_format() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let message = "Could not find an instance with todos/999";
    let r = get_with(&c, "/todos/999", "text/csv").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type(), Some("text/csv"));
    assert_eq!(r.text(), format!("errorMessage\n{message}"));

    let r = get_with(&c, "/todos/999", "application/x-ndjson").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type(), Some("application/x-ndjson"));
    assert_eq!(r.text(), format!("{{\"errorMessage\":\"{message}\"}}\n"));

    let r = get_with(&c, "/todos/999", "text/xml").await;
    assert_eq!(r.content_type(), Some("text/xml"));
    assert_eq!(
        r.text(),
        format!("<errorMessages><errorMessage>{message}</errorMessage></errorMessages>")
    );

    let r = get_with(&c, "/todos/999", "application/gzip").await;
    assert_error(&r, 406, "Unrecognised Accept Type");
}

#[tokio::test]
async fn structured_xml_on_a_single_todo() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    let r = get_with(&c, "/todos/3", "application/vnd.apichallenges.todo+xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.content_type(),
        Some("application/vnd.apichallenges.todo+xml")
    );
    assert_eq!(r.text(), seed_list_xml([3]));
}
