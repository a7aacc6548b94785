//! The API From Hell practice mode under `/fromhell`: canned, deliberately broken
//! responses (malformed JSON and XML, missing or wrong Content-Type, statuses that
//! contradict their headers or body) for judging how a REST client shows them. Every
//! endpoint is a row of `catalogue.rs`; this file routes to them. The two answers hyper
//! would repair (a 204 and a 304 that carry a body) are written as raw bytes at the
//! connection level through [`raw_answer`]. Nothing here touches challenges or todos.

pub mod catalogue;
mod openapi;
mod page;

use bytes::Bytes;
use hyper::header::{HeaderName, ALLOW, CONTENT_TYPE, LOCATION};
use hyper::HeaderMap;
use hyper::StatusCode;

use crate::http::raw;
use crate::http::reply::Reply;
use catalogue::{Endpoint, ENDPOINTS};

/// Where the mode lives.
pub const PREFIX: &str = "/fromhell";
/// The page about the mode.
pub const PAGE: &str = "/practice-modes/fromhell";

/// Headers every From Hell answer carries, so browser-based clients can call it.
const COMMON_HEADERS: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-methods",
        "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS",
    ),
    (
        "access-control-allow-headers",
        "Content-Type, Origin, Accept, Authorization, Content-Length, X-Requested-With",
    ),
];

/// Answer a request under `/fromhell` (or the mode's page); `None` is the site 404.
pub fn handle(method: &str, path: &str, raw_query: &str, headers: &HeaderMap) -> Option<Reply> {
    if path == PAGE {
        return matches!(method, "GET" | "HEAD").then(page::page);
    }
    if path == PREFIX {
        return matches!(method, "GET" | "HEAD")
            .then(|| Reply::empty(StatusCode::FOUND).with_header(LOCATION, PAGE));
    }
    let below = path.strip_prefix(PREFIX)?;
    if let Some(doc) = below.strip_prefix("/docs/") {
        return openapi::route(doc, method, raw_query, headers);
    }
    let at_path: Vec<&Endpoint> = ENDPOINTS.iter().filter(|e| e.path == below).collect();
    if at_path.is_empty() {
        return None;
    }
    let allowed = allowed_methods(&at_path);
    let reply = match method {
        "OPTIONS" => with_common(Reply::empty(StatusCode::NO_CONTENT))
            .with_header(ALLOW, &allowed.join(", ")),
        // The GET row's headers, Content-Length included; the body is left off when
        // the reply is written.
        "HEAD" if allowed.contains(&"HEAD") => canned(at_path.iter().find(|e| e.method == "GET")?),
        _ => match at_path.iter().find(|e| e.method == method) {
            Some(endpoint) => canned(endpoint),
            None => with_common(Reply {
                body: Bytes::from_static(b"Method Not Allowed"),
                ..Reply::empty(StatusCode::METHOD_NOT_ALLOWED)
            })
            .with_header(ALLOW, &allowed.join(", ")),
        },
    };
    Some(reply)
}

/// The methods a path answers: its catalogued ones, HEAD where there is a GET, and
/// OPTIONS, in that order.
fn allowed_methods(at_path: &[&Endpoint]) -> Vec<&'static str> {
    let mut methods: Vec<&'static str> = Vec::new();
    for endpoint in at_path {
        if !methods.contains(&endpoint.method) {
            methods.push(endpoint.method);
        }
    }
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    methods.push("OPTIONS");
    methods
}

fn with_common(mut reply: Reply) -> Reply {
    for (name, value) in COMMON_HEADERS {
        reply.set_header(HeaderName::from_static(name), value);
    }
    reply
}

/// A catalogued answer as hyper sends it. No Content-Type is added where the row has
/// none. The rows answered raw reach here only over HTTP/2 (where a body on a 204 is
/// a protocol error that would cost the client the whole response), so they go
/// without their body.
fn canned(endpoint: &Endpoint) -> Reply {
    let status = StatusCode::from_u16(endpoint.status).expect("catalogued statuses are valid");
    let mut reply = with_common(Reply::empty(status));
    match endpoint.content_type {
        Some(content_type) => reply.set_header(CONTENT_TYPE, content_type),
        // Not even the HTTP layer's default type: the missing header is the point.
        None => reply = reply.without_content_type(),
    }
    if !needs_raw(endpoint) {
        reply.body = Bytes::from_static(endpoint.body);
    }
    reply
}

/// Rows hyper cannot send as catalogued: a body with a status that forbids one.
fn needs_raw(endpoint: &Endpoint) -> bool {
    matches!(endpoint.status, 204 | 304) && !endpoint.body.is_empty()
}

/// The connection-level answer for a request line naming one of the rows hyper
/// cannot send (see `http/raw.rs`): the same status, headers and body as every other
/// row, byte for byte, then the connection closes.
pub fn raw_answer(request_line: &[u8]) -> Option<Bytes> {
    let line = request_line.strip_suffix(b"\r").unwrap_or(request_line);
    let mut parts = line.split(|&b| b == b' ');
    let (method, target) = (parts.next()?, parts.next()?);
    let version = parts.next()?;
    if parts.next().is_some() || !version.starts_with(b"HTTP/1.") {
        return None;
    }
    let path = target.split(|&b| b == b'?').next()?;
    let below = path.strip_prefix(PREFIX.as_bytes())?;
    let endpoint = ENDPOINTS
        .iter()
        .find(|e| needs_raw(e) && e.method.as_bytes() == method && e.path.as_bytes() == below)?;
    let mut headers: Vec<(&str, &str)> = COMMON_HEADERS.to_vec();
    if let Some(content_type) = endpoint.content_type {
        headers.push(("content-type", content_type));
    }
    Some(raw::response(
        endpoint.status,
        reason(endpoint.status),
        &headers,
        endpoint.body,
    ))
}

fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_unique_and_well_formed() {
        for (i, e) in ENDPOINTS.iter().enumerate() {
            assert!(e.path.starts_with('/'), "{}", e.path);
            assert!(!e.problem.is_empty() && !e.expectation.is_empty() && !e.label.is_empty());
            assert!(
                ENDPOINTS[..i]
                    .iter()
                    .all(|o| (o.method, o.path) != (e.method, e.path)),
                "{} {} twice",
                e.method,
                e.path
            );
        }
        assert_eq!(ENDPOINTS.len(), 77);
    }

    #[test]
    fn only_bodies_with_no_body_statuses_are_raw() {
        let raw: Vec<&str> = ENDPOINTS
            .iter()
            .filter(|e| needs_raw(e))
            .map(|e| e.path)
            .collect();
        assert_eq!(
            raw,
            ["/status-code/204-with-body", "/status-code/304-with-body"]
        );
    }

    #[test]
    fn raw_answers_match_method_path_and_version() {
        assert!(raw_answer(b"DELETE /fromhell/status-code/204-with-body HTTP/1.1\r").is_some());
        assert!(raw_answer(b"GET /fromhell/status-code/304-with-body?x=1 HTTP/1.0").is_some());
        assert!(raw_answer(b"GET /fromhell/status-code/204-with-body HTTP/1.1").is_none());
        assert!(raw_answer(b"DELETE /fromhell/status-code/204-with-body").is_none());
        assert!(raw_answer(b"DELETE /fromhell/status-code/204-with-body HTTP/1.1 x").is_none());
        assert!(raw_answer(b"GET /fromhell/good/json HTTP/1.1").is_none());
        assert!(raw_answer(b"").is_none());
    }
}
