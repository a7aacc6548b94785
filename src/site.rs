//! Pages outside the API: the home page, the GUI, the docs and the site 404.

use hyper::header::{CONTENT_TYPE, LOCATION};
use hyper::HeaderMap;

use crate::app::App;
use crate::reply::Reply;

/// Answer a request for a non-API path.
pub fn handle(
    _app: &App,
    method: &str,
    path: &str,
    raw_query: &str,
    headers: &HeaderMap,
    _body: &[u8],
) -> Reply {
    if matches!(method, "GET" | "HEAD") && (path == "/docs" || path.starts_with("/docs/")) {
        let query = if raw_query.is_empty() {
            String::new()
        } else {
            format!("?{raw_query}")
        };
        return Reply::empty(301).with_header(LOCATION, &format!("/api{path}{query}"));
    }
    not_found(headers)
}

/// 404: an HTML page for browsers, an empty body otherwise.
pub fn not_found(headers: &HeaderMap) -> Reply {
    let wants_html = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("html"));
    if wants_html {
        Reply::body(
            404,
            "text/html; charset=utf-8",
            "<!doctype html><title>Not found</title><h1>Page not found</h1>",
        )
    } else {
        let _ = CONTENT_TYPE;
        Reply::empty(404)
    }
}
