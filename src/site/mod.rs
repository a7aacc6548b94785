//! Pages outside the API: the home page, the GUI (`gui`), the docs and OpenAPI
//! documents (`docs`) and the site 404. Every client value that reaches a page goes
//! through `html::escape`. Pages read the shared `App`; the API never uses them.

use hyper::header::LOCATION;
use hyper::HeaderMap;
use hyper::StatusCode;

pub mod docs;
pub mod gui;
pub mod html;

use crate::app::App;
use crate::http::reply::Reply;

/// Answer a request for a non-API path. Every page answers GET and HEAD only.
pub fn handle(
    app: &App,
    method: &str,
    path: &str,
    raw_query: &str,
    headers: &HeaderMap,
    _body: &[u8],
) -> Reply {
    if !matches!(method, "GET" | "HEAD") {
        return not_found(headers);
    }
    if path == "/docs" || path.starts_with("/docs/") {
        // Legacy docs addresses: 301 to the same path (and query) under `/api`.
        let query = if raw_query.is_empty() {
            String::new()
        } else {
            format!("?{raw_query}")
        };
        return Reply::empty(StatusCode::MOVED_PERMANENTLY)
            .with_header(LOCATION, &format!("/api{path}{query}"));
    }
    let is_docs = path == "/api/docs" || path.starts_with("/api/docs/");
    let page = match path {
        "/" => Some(home(app)),
        "/favicon.svg" | "/favicon.ico" => Some(favicon()),
        p if p == "/gui" || p.starts_with("/gui/") => gui::route(app, path, raw_query, headers),
        _ if is_docs => docs::route(app, path, raw_query),
        _ => None,
    };
    let mut reply = page.unwrap_or_else(|| not_found(headers));
    if reply.status == StatusCode::NOT_FOUND
        && reply.body.is_empty()
        && app.profile.behaviour.first_accept_content_type
    {
        // The classic catch-all 404 route names the first Accept entry.
        let accept = headers.get("accept").and_then(|v| v.to_str().ok());
        let first_entry = crate::todo::negotiation::classic::first_entry(accept);
        reply.set_header(hyper::header::CONTENT_TYPE, first_entry);
    }
    if app.storage_failing() {
        reply = with_storage_warning(reply);
    }
    if app.profile.behaviour.api_prefix || is_docs {
        reply
    } else {
        with_root_api_paths(reply)
    }
}

/// Shown at the top of every page while storage writes fail.
const STORAGE_WARNING: &str = "<p class=\"notice\" role=\"alert\" id=\"storage-warning\">\
<strong>Progress is not being saved right now.</strong> The server cannot write to its \
storage and keeps retrying; until it succeeds, what you complete is kept in memory only \
and would be lost if the server stopped.</p>\n";

fn with_storage_warning(mut reply: Reply) -> Reply {
    let is_html = reply
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html {
        let text = String::from_utf8_lossy(&reply.body);
        let warned = text.replacen("<main>\n", &format!("<main>\n{STORAGE_WARNING}"), 1);
        reply.body = warned.into();
    }
    reply
}

/// What happens to a learner's progress on this server, in the words the home and
/// progress pages use: saved on the server or in memory only, and the real idle
/// timeout from the configuration.
pub fn progress_keeping(app: &App) -> String {
    let idle = duration_words(app.config.idle_timeout.as_secs());
    match (app.storage.is_some(), app.config.multi_user) {
        (true, true) => format!(
            "Your progress is saved on the server as you go. A session idle for {idle} \
             leaves memory and comes back, progress included, with its next request."
        ),
        (true, false) => "Your progress is saved on the server as you go, and is still \
                          there after a restart."
            .to_string(),
        (false, true) => format!(
            "This server does not save progress (it runs with --no-storage): a session \
             idle for {idle} is removed with its progress. Use <em>Save to this browser</em> \
             on the progress page to keep a copy."
        ),
        (false, false) => "This server does not save progress (it runs with \
                           --no-storage): it is lost when the server stops."
            .to_string(),
    }
}

/// `600` → "10 minutes", `90` → "90 seconds", `7200` → "2 hours".
pub fn duration_words(seconds: u64) -> String {
    let (count, unit) = if seconds >= 3600 && seconds.is_multiple_of(3600) {
        (seconds / 3600, "hour")
    } else if seconds >= 60 && seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// For a profile without `/api` routes (classic), GUI pages name and call the root
/// routes: `/api/challenger` becomes `/challenger`, and so on. The shared API docs
/// are left as they are.
fn with_root_api_paths(mut reply: Reply) -> Reply {
    let is_html = reply
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html {
        return reply;
    }
    let mut text = String::from_utf8_lossy(&reply.body).into_owned();
    for segment in crate::api::request::API_SEGMENTS {
        text = text.replace(&format!("/api/{segment}"), &format!("/{segment}"));
    }
    reply.body = text.into();
    reply
}

/// The site icon, cached for a day.
fn favicon() -> Reply {
    Reply::body(StatusCode::OK, "image/svg+xml", html::FAVICON_SVG)
        .with_header(hyper::header::CACHE_CONTROL, "public, max-age=86400")
}

/// 404: an HTML page for browsers, an empty body otherwise.
pub fn not_found(headers: &HeaderMap) -> Reply {
    let wants_html = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("html"));
    if !wants_html {
        return Reply::empty(StatusCode::NOT_FOUND);
    }
    let body = "<h1>Page not found</h1>\n<p>There is no page at this address.</p>\n\
<ul><li><a href=\"/\">Home</a></li><li><a href=\"/gui/challenges\">Challenge progress</a></li>\
<li><a href=\"/api/docs\">API documentation</a></li></ul>\n";
    html::reply(StatusCode::NOT_FOUND, html::page("Page not found", body))
}

/// `GET /`: what this is and how to start.
fn home(app: &App) -> Reply {
    let start = if app.config.multi_user {
        "<p>This server runs in <strong>multi-user mode</strong>: each learner has a session.</p>\n\
<ol><li>Create your session: <code>POST /api/challenger</code>. The <code>X-CHALLENGER</code> \
response header holds your GUID (or use the button on the \
<a href=\"/gui/challenges\">challenges page</a>).</li>\n\
<li>Send <code>X-CHALLENGER: &lt;your GUID&gt;</code> with every API request so it counts \
for you.</li>\n\
<li>Start with <code>GET /api/challenges</code> and watch your progress at \
<code>/gui/challenges/&lt;your GUID&gt;</code>.</li></ol>\n"
    } else {
        "<p>This server runs in <strong>single-user mode</strong>: every request counts for you \
and no session header is needed.</p>\n\
<ol><li>Call <code>GET /api/challenges</code> with any HTTP client (curl, Postman, Insomnia, \
a test framework...).</li>\n\
<li>Work through the challenges: create, read, update and delete todos, try other formats, \
status codes and authentication.</li>\n\
<li>Watch each one turn done on the <a href=\"/gui/challenges\">challenges page</a>.</li></ol>\n"
    };
    let body = format!(
        "<h1>API Challenges</h1>\n\
<p>A practice server for learning to test HTTP APIs: a small todo API and {count} \
challenges that complete as you use it &mdash; from a first <code>GET</code> to content \
negotiation, PATCH formats, authentication and unusual status codes.</p>\n\
<div class=\"card\"><h2>How to start</h2>\n{start}\
<p class=\"muted\" id=\"progress-keeping\">{keeping}</p></div>\n\
<div class=\"card\"><h2>Where to go</h2><ul>\n\
<li><a href=\"/gui/challenges\">Challenges and your progress</a></li>\n\
<li><a href=\"/api/docs\">API documentation</a> (and the \
<a href=\"/api/docs/openapi.json\">OpenAPI document</a>)</li>\n\
<li><a href=\"/gui\">Entity explorer</a>: your todos as HTML</li>\n\
</ul></div>\n\
<div class=\"card\"><h2>Practice modes</h2><p>APIs to warm up on, without tracking:</p>\n{practice}</div>\n",
        count = app.active.indices.len(),
        keeping = progress_keeping(app),
        practice = html::practice_links()
    );
    html::reply(StatusCode::OK, html::page("Home", &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use hyper::header::HeaderValue;

    fn app(multi_user: bool) -> App {
        App::new(Config {
            multi_user,
            storage: false,
            ..Config::default()
        })
    }

    fn accept(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("accept", HeaderValue::from_static(value));
        h
    }

    fn get(app: &App, path: &str, query: &str, headers: &HeaderMap) -> Reply {
        handle(app, "GET", path, query, headers, b"")
    }

    fn text(reply: &Reply) -> String {
        String::from_utf8(reply.body.to_vec()).unwrap()
    }

    #[test]
    fn home_explains_how_to_start_in_each_mode() {
        let single = get(&app(false), "/", "", &HeaderMap::new());
        assert_eq!(single.status, StatusCode::OK);
        assert_eq!(single.headers["content-type"], "text/html; charset=utf-8");
        let body = text(&single);
        assert!(body.contains("single-user mode"));
        assert!(body.contains("href=\"/gui/challenges\""));
        assert!(body.contains("href=\"/api/docs\""));
        let multi = text(&get(&app(true), "/", "", &HeaderMap::new()));
        assert!(multi.contains("<code>POST /api/challenger</code>"));
        assert!(multi.contains("<code>X-CHALLENGER: &lt;your GUID&gt;</code>"));
    }

    #[test]
    fn legacy_docs_redirect_with_the_query() {
        let r = get(
            &app(false),
            "/docs/openapi.json",
            "download",
            &HeaderMap::new(),
        );
        assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(r.headers["location"], "/api/docs/openapi.json?download");
        let r = handle(&app(false), "HEAD", "/docs", "", &HeaderMap::new(), b"");
        assert_eq!(r.headers["location"], "/api/docs");
    }

    #[test]
    fn pages_are_routed() {
        let app = app(false);
        let none = HeaderMap::new();
        assert_eq!(
            get(&app, "/gui/challenges", "", &none).status,
            StatusCode::OK
        );
        assert_eq!(get(&app, "/gui", "", &none).status, StatusCode::OK);
        assert_eq!(get(&app, "/api/docs", "", &none).status, StatusCode::OK);
        assert_eq!(
            get(&app, "/api/docs/openapi.json", "", &none).status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, "/gui/404/todo", "", &none).status,
            StatusCode::NOT_FOUND
        );
        for icon in ["/favicon.svg", "/favicon.ico"] {
            let r = get(&app, icon, "", &none);
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.headers["content-type"], "image/svg+xml");
            assert!(text(&r).starts_with("<svg "));
        }
    }

    #[test]
    fn unknown_pages_are_html_for_browsers_and_empty_otherwise() {
        let app = app(false);
        let r = get(&app, "/nothing", "", &accept("text/html,*/*"));
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.headers["content-type"], "text/html; charset=utf-8");
        assert!(text(&r).contains("<h1>Page not found</h1>"));
        let r = get(&app, "/gui/nothing", "", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.is_empty() && r.headers.get("content-type").is_none());
        let r = handle(&app, "POST", "/gui/challenges", "", &HeaderMap::new(), b"");
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
