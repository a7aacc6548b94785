//! The Content-Type of every empty-body answer, route by route, in both profiles.
//!
//! The current reference's HTTP layer gives every answer a Content-Type (`text/plain`
//! unless the route names one) and takes it off only empty 204 and 404 answers. Its
//! fixed-status routes (heartbeat, the 405s of the non-todo routes, unknown paths)
//! name the negotiated type, JSON by default. The classic reference's layer named
//! `text/html;charset=utf-8` by default and kept a Content-Type on every answer.
//! Redirects, the site and the HTTP layer's own 431 follow the same rule.

use apichallenges::config::ProfileName;

use crate::common::TestServer;

const PLAIN: Option<&str> = Some("text/plain");
const JSON: Option<&str> = Some("application/json");
const XML: Option<&str> = Some("application/xml");
const HTML_UTF8: Option<&str> = Some("text/html;charset=utf-8");
const NONE: Option<&str> = None;

const BASIC_ADMIN: &str = "Basic YWRtaW46cGFzc3dvcmQ=";
const UNKNOWN_GUID: &str = "0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11";

/// One request and the answer expected: `{guid}` and `{token}` stand for the
/// learner the server under test registered and its auth token.
struct Row {
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    status: u16,
    content_type: Option<&'static str>,
}

const fn row(
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    status: u16,
    content_type: Option<&'static str>,
) -> Row {
    Row {
        method,
        path,
        headers,
        body: "",
        status,
        content_type,
    }
}

const fn with_body(mut r: Row, body: &'static str) -> Row {
    r.body = body;
    r
}

/// A server of one profile and mode, with a registered learner (the single player in
/// single-user mode).
struct Subject {
    server: TestServer,
    guid: String,
    token: String,
    api: &'static str,
}

async fn subject(profile: ProfileName, multi_user: bool) -> Subject {
    let server = TestServer::with(|c| {
        c.profile = profile;
        c.multi_user = multi_user;
    })
    .await;
    let api = if profile == ProfileName::Current {
        "/api"
    } else {
        ""
    };
    let r = server
        .req("POST", &format!("{api}/challenger"))
        .send()
        .await;
    let guid = r.header("x-challenger").unwrap().to_string();
    let r = server
        .req("POST", &format!("{api}/secret/token"))
        .header("Authorization", BASIC_ADMIN)
        .as_(&guid)
        .send()
        .await;
    let token = r.header("x-auth-token").unwrap().to_string();
    Subject {
        server,
        guid,
        token,
        api,
    }
}

/// Send every row and collect each mismatch, so one run reports the whole table.
async fn check(s: &Subject, table: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    for r in table {
        let fill = |text: &str| {
            text.replace("{api}", s.api)
                .replace("{guid}", &s.guid)
                .replace("{token}", &s.token)
        };
        let path = fill(r.path);
        let mut req = s.server.req(r.method, &path);
        for (name, value) in r.headers {
            req = req.header(name, &fill(value));
        }
        if !r.body.is_empty() {
            req = req.body(fill(r.body));
        }
        let resp = req.send().await;
        let got = (resp.status, resp.content_type());
        if got != (r.status, r.content_type) {
            failures.push(format!(
                "{} {path} {:?}: expected {} {:?}, got {} {:?}",
                r.method, r.headers, r.status, r.content_type, got.0, got.1
            ));
        }
        let redirect_or_empty = resp.body.is_empty() || resp.status == 307;
        if !redirect_or_empty && r.method != "HEAD" {
            failures.push(format!("{} {path}: body expected empty", r.method));
        }
    }
    failures
}

fn assert_table(failures: Vec<String>) {
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

const X: (&str, &str) = ("X-CHALLENGER", "{guid}");
const AUTH: (&str, &str) = ("Authorization", BASIC_ADMIN);
const TOKEN: (&str, &str) = ("X-AUTH-TOKEN", "{token}");
const WRONG_TOKEN: (&str, &str) = ("X-AUTH-TOKEN", "not-the-token");
const ACCEPT_XML: (&str, &str) = ("Accept", "application/xml");
const ACCEPT_GZIP: (&str, &str) = ("Accept", "application/gzip");
const ACCEPT_HTML: (&str, &str) = ("Accept", "text/html");
const SEND_JSON: (&str, &str) = ("Content-Type", "application/json");
const SEND_TEXT: (&str, &str) = ("Content-Type", "text/plain");

/// Rows that hold in the current profile whichever the mode (`{guid}` is a known
/// learner in both).
const CURRENT: &[Row] = &[
    // todos: the engine's OPTIONS and 405s name no type of their own
    row("OPTIONS", "/api/todos", &[X], 200, PLAIN),
    row("OPTIONS", "/api/todos/1", &[X], 204, NONE),
    row("OPTIONS", "/api/todos/export", &[X], 204, NONE),
    row("TRACE", "/api/todos", &[X], 405, PLAIN),
    row("PATCH", "/api/todos", &[X], 405, PLAIN),
    row("DELETE", "/api/todos", &[X, ACCEPT_XML], 405, PLAIN),
    row("TRACE", "/api/todos/1", &[X], 405, PLAIN),
    row("QUERY", "/api/todos/1", &[X], 405, PLAIN),
    row("DELETE", "/api/todos/export", &[X], 405, JSON),
    row("DELETE", "/api/todos/2", &[X], 204, NONE),
    // heartbeat: fixed-status routes, negotiated type, none on the 204s
    row("GET", "/api/heartbeat", &[X], 204, NONE),
    row("HEAD", "/api/heartbeat", &[X], 204, NONE),
    row("OPTIONS", "/api/heartbeat", &[X], 204, NONE),
    row("DELETE", "/api/heartbeat", &[X], 405, JSON),
    row("PUT", "/api/heartbeat", &[X, ACCEPT_XML], 405, XML),
    row("PATCH", "/api/heartbeat", &[X], 500, JSON),
    row("TRACE", "/api/heartbeat", &[X], 501, JSON),
    // challenges
    row("OPTIONS", "/api/challenges", &[X], 200, JSON),
    row("TRACE", "/api/challenges", &[X], 405, JSON),
    row("DELETE", "/api/challenges", &[X, ACCEPT_XML], 405, XML),
    // challenger
    row("OPTIONS", "/api/challenger", &[X], 204, NONE),
    row("DELETE", "/api/challenger", &[X], 405, JSON),
    row("OPTIONS", "/api/challenger/{guid}", &[X], 204, NONE),
    row("DELETE", "/api/challenger/{guid}", &[X], 405, JSON),
    row(
        "OPTIONS",
        "/api/challenger/database/{guid}",
        &[X],
        204,
        NONE,
    ),
    row("PATCH", "/api/challenger/database/{guid}", &[X], 405, JSON),
    with_body(
        row(
            "PUT",
            "/api/challenger/database/{guid}",
            &[X, SEND_JSON],
            204,
            NONE,
        ),
        r#"{"todos":[{"id":1,"title":"restored"}]}"#,
    ),
    // secret token: handlers that name no type
    row("OPTIONS", "/api/secret/token", &[X], 204, NONE),
    row("POST", "/api/secret/token", &[X], 401, PLAIN),
    row("POST", "/api/secret/token", &[X, AUTH], 201, PLAIN),
    row("GET", "/api/secret/token", &[X], 401, PLAIN),
    row("DELETE", "/api/secret/token", &[X], 405, JSON),
    // secret note: a read names JSON before any check; a write only once the learner
    // is known, then in the preferred of JSON and XML
    row("OPTIONS", "/api/secret/note", &[X], 204, NONE),
    row("GET", "/api/secret/note", &[X], 401, JSON),
    row("GET", "/api/secret/note", &[X, ACCEPT_XML], 401, JSON),
    row("HEAD", "/api/secret/note", &[X, ACCEPT_XML], 401, JSON),
    row(
        "GET",
        "/api/secret/note",
        &[X, WRONG_TOKEN, ACCEPT_XML],
        403,
        JSON,
    ),
    row(
        "GET",
        "/api/secret/note",
        &[X, TOKEN, ACCEPT_GZIP],
        406,
        JSON,
    ),
    row(
        "POST",
        "/api/secret/note",
        &[X, ACCEPT_GZIP, SEND_JSON],
        406,
        PLAIN,
    ),
    row("POST", "/api/secret/note", &[X, SEND_TEXT], 415, PLAIN),
    row("POST", "/api/secret/note", &[X, SEND_JSON], 401, JSON),
    row(
        "POST",
        "/api/secret/note",
        &[X, SEND_JSON, ACCEPT_XML],
        401,
        XML,
    ),
    row(
        "POST",
        "/api/secret/note",
        &[X, SEND_JSON, WRONG_TOKEN],
        403,
        JSON,
    ),
    row("DELETE", "/api/secret/note", &[X], 405, JSON),
    // unknown API paths: none on the empty 404; the redirect keeps the negotiated type
    row("GET", "/api/todo", &[X], 404, NONE),
    row("DELETE", "/api/todos/1/x", &[X], 404, NONE),
    row(
        "GET",
        "/api/todo",
        &[X, ACCEPT_HTML],
        307,
        Some("text/html"),
    ),
    row("GET", "/api/nope", &[X], 404, NONE),
    // the site
    row("GET", "/docs", &[], 301, PLAIN),
    row("GET", "/nope", &[], 404, NONE),
    row("POST", "/gui/challenges", &[], 404, NONE),
];

/// Rows that hold in the current profile in multi-user mode only.
const CURRENT_MULTI: &[Row] = &[
    row("OPTIONS", "/api/todos", &[], 204, NONE),
    row("POST", "/api/challenger", &[], 201, PLAIN),
    row("POST", "/api/challenger", &[X], 200, PLAIN),
    row(
        "POST",
        "/api/challenger",
        &[("X-CHALLENGER", UNKNOWN_GUID)],
        404,
        NONE,
    ),
    row(
        "GET",
        "/api/challenger/0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11",
        &[],
        404,
        NONE,
    ),
    row(
        "GET",
        "/api/challenger/0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11",
        &[ACCEPT_HTML],
        307,
        PLAIN,
    ),
    with_body(
        row(
            "PUT",
            "/api/challenger/0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11",
            &[SEND_JSON],
            201,
            JSON,
        ),
        r#"{"xChallenger":"0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11","challengeStatus":{}}"#,
    ),
    row(
        "GET",
        "/api/secret/token",
        &[AUTH, ("X-CHALLENGER", "no-such-learner")],
        401,
        PLAIN,
    ),
    row("POST", "/api/secret/note", &[SEND_JSON], 401, PLAIN),
    row("GET", "/gui/challenges?guid=abc", &[], 302, PLAIN),
];

/// Rows that hold in the current profile in single-user mode only.
const CURRENT_SINGLE: &[Row] = &[row("POST", "/api/challenger", &[], 201, PLAIN)];

#[tokio::test]
async fn current_single_user_table() {
    let s = subject(ProfileName::Current, false).await;
    let mut failures = check(&s, CURRENT).await;
    failures.extend(check(&s, CURRENT_SINGLE).await);
    assert_table(failures);
}

#[tokio::test]
async fn current_multi_user_table() {
    let s = subject(ProfileName::Current, true).await;
    let mut failures = check(&s, CURRENT).await;
    failures.extend(check(&s, CURRENT_MULTI).await);
    assert_table(failures);
}

/// Rows of the classic profile (root routes) in either mode.
const CLASSIC: &[Row] = &[
    row("OPTIONS", "/todos", &[X], 200, HTML_UTF8),
    row("OPTIONS", "/todos/1", &[X], 204, HTML_UTF8),
    row("TRACE", "/todos", &[X], 405, HTML_UTF8),
    row("PATCH", "/todos/1", &[X], 405, HTML_UTF8),
    row("DELETE", "/todos/2", &[X], 200, JSON),
    row("DELETE", "/todos/3", &[X, ACCEPT_XML], 200, XML),
    row("GET", "/heartbeat", &[X], 204, JSON),
    row("HEAD", "/heartbeat", &[X, ACCEPT_XML], 204, XML),
    row("OPTIONS", "/heartbeat", &[X], 204, HTML_UTF8),
    row(
        "DELETE",
        "/heartbeat",
        &[X, ("Accept", "text/csv")],
        405,
        Some("text/csv"),
    ),
    row("OPTIONS", "/challenges", &[X], 200, JSON),
    row("TRACE", "/challenges", &[X], 405, JSON),
    row("OPTIONS", "/challenger", &[X], 204, HTML_UTF8),
    row("DELETE", "/challenger", &[X], 405, JSON),
    row("OPTIONS", "/challenger/{guid}", &[X], 204, HTML_UTF8),
    row("DELETE", "/challenger/{guid}", &[X, ACCEPT_XML], 405, XML),
    row(
        "OPTIONS",
        "/challenger/database/{guid}",
        &[X],
        204,
        HTML_UTF8,
    ),
    with_body(
        row(
            "PUT",
            "/challenger/database/{guid}",
            &[X, SEND_JSON],
            204,
            JSON,
        ),
        r#"{"todos":[{"id":1,"title":"restored"}]}"#,
    ),
    row("OPTIONS", "/secret/token", &[X], 204, HTML_UTF8),
    row("POST", "/secret/token", &[X], 401, HTML_UTF8),
    row("POST", "/secret/token", &[X, AUTH], 201, HTML_UTF8),
    row("GET", "/secret/token", &[X, AUTH], 405, JSON),
    row("OPTIONS", "/secret/note", &[X], 204, HTML_UTF8),
    row("GET", "/secret/note", &[X, ACCEPT_XML], 401, JSON),
    row("GET", "/secret/note", &[X, WRONG_TOKEN], 403, JSON),
    row("POST", "/secret/note", &[X, SEND_TEXT], 415, HTML_UTF8),
    row(
        "POST",
        "/secret/note",
        &[X, ACCEPT_GZIP, SEND_JSON],
        406,
        HTML_UTF8,
    ),
    row(
        "POST",
        "/secret/note",
        &[X, SEND_JSON, ACCEPT_XML],
        401,
        XML,
    ),
    row("PUT", "/secret/note", &[X], 405, JSON),
    row("GET", "/todo", &[X], 404, JSON),
    row("GET", "/api/todos", &[X, ACCEPT_XML], 404, XML),
    row("GET", "/nope", &[("Accept", "text/plain")], 404, PLAIN),
    row("GET", "/docs", &[], 301, HTML_UTF8),
];

const CLASSIC_SINGLE: &[Row] = &[row("POST", "/challenger", &[], 201, HTML_UTF8)];

const CLASSIC_MULTI: &[Row] = &[
    row("OPTIONS", "/todos", &[], 204, HTML_UTF8),
    row("POST", "/challenger", &[], 201, HTML_UTF8),
    row(
        "POST",
        "/challenger",
        &[("X-CHALLENGER", UNKNOWN_GUID)],
        404,
        HTML_UTF8,
    ),
    with_body(
        row(
            "PUT",
            "/challenger/0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11",
            &[SEND_JSON],
            201,
            JSON,
        ),
        r#"{"xChallenger":"0e0f6f2e-2a8e-4d3a-9d38-6a3c3f5b7a11","challengeStatus":{}}"#,
    ),
    row("POST", "/secret/note", &[SEND_JSON], 401, HTML_UTF8),
    row("GET", "/gui/challenges?guid=abc", &[], 302, HTML_UTF8),
];

#[tokio::test]
async fn classic_single_user_table() {
    let s = subject(ProfileName::Classic, false).await;
    let mut failures = check(&s, CLASSIC).await;
    failures.extend(check(&s, CLASSIC_SINGLE).await);
    assert_table(failures);
}

#[tokio::test]
async fn classic_multi_user_table() {
    let s = subject(ProfileName::Classic, true).await;
    let mut failures = check(&s, CLASSIC).await;
    failures.extend(check(&s, CLASSIC_MULTI).await);
    assert_table(failures);
}

/// Request headers over the HTTP layer's limit: a 431 with the layer's default type.
#[tokio::test]
async fn oversized_headers_get_the_default_type() {
    for (profile, expected) in [
        (ProfileName::Current, PLAIN),
        (ProfileName::Classic, HTML_UTF8),
    ] {
        let s = TestServer::with(|c| c.profile = profile).await;
        let big = "x".repeat(33 * 1024);
        let r = s.get("/api/todos").header("X-Big", &big).send().await;
        assert_eq!((r.status, r.content_type()), (431, expected), "{profile:?}");
        assert!(r.body.is_empty());
    }
}
