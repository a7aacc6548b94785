//! The hyper service: turns an HTTP request into a reply. API-challenge paths go
//! through the API pipeline; everything else is the GUI, the docs or a 404.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper::header::{HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response, StatusCode};

use crate::api::{self, ApiRequest};
use crate::app::App;
use crate::reply::Reply;
use crate::router::Route;
use crate::todo::MAX_BODY;
use crate::{metrics, not_found, site};

/// First path segments that make a path an API-challenge path (api.md conventions).
pub const API_SEGMENTS: [&str; 6] = [
    "challenger",
    "todo",
    "todos",
    "challenges",
    "heartbeat",
    "secret",
];
/// Body limit for challenger restore payloads, which can exceed the todo limit.
const MAX_RESTORE_BODY: usize = 64 * 1024;
/// Most bytes of request headers accepted, as the reference (api.md §10.3).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a request path leads.
pub enum Target<'a> {
    /// An API-challenge path: normalised path, and whether it was under `/api`.
    Api { path: &'a str, canonical: bool },
    /// Under `/api` in a profile without the prefix: an unknown path (classic.md §4.1).
    /// The shared docs pages (`/api/docs...`) stay site pages.
    Unrouted,
    /// Anything else.
    Site,
}

/// Classify a request path; `api_prefix` says whether `/api/...` routes exist.
pub fn classify(path: &str, api_prefix: bool) -> Target<'_> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let (rest, canonical) = match trimmed.strip_prefix("api/") {
        Some(rest) if !api_prefix => {
            let docs = rest == "docs" || rest.starts_with("docs/");
            return if docs { Target::Site } else { Target::Unrouted };
        }
        Some(rest) => (rest, true),
        None if trimmed == "api" && !api_prefix => return Target::Unrouted,
        None => (trimmed, false),
    };
    let first = rest.split('/').next().unwrap_or("");
    if API_SEGMENTS.contains(&first) {
        Target::Api {
            path: rest,
            canonical,
        }
    } else {
        Target::Site
    }
}

/// Handle one request.
pub async fn handle(
    app: Arc<App>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let (route, response) = respond(&app, req).await;
    app.metrics
        .record(route, response.status().as_u16(), started.elapsed());
    Ok(response)
}

/// Metrics route index of everything that is not an API path.
const SITE: usize = metrics::ROUTES.len() - 1;

/// Answer a request; also says which metrics route it counts under.
async fn respond(app: &App, req: Request<Incoming>) -> (usize, Response<Full<Bytes>>) {
    let (parts, body) = req.into_parts();
    if header_bytes(&parts.headers) > MAX_HEADER_BYTES {
        return (
            SITE,
            into_response(Reply::empty(431), parts.method.as_str()),
        );
    }
    let path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let real_method = parts.method.as_str();
    let behaviour = &app.profile.behaviour;
    let (route, reply) = match classify(path, behaviour.api_prefix) {
        Target::Api {
            path: api_path,
            canonical,
        } => {
            let route = Route::parse(api_path).metrics_index();
            let limit = if api_path.starts_with("challenger") {
                MAX_RESTORE_BODY
            } else {
                MAX_BODY
            };
            let (bytes, too_large) = match read_body(body, limit).await {
                Ok(read) => read,
                Err(reply) => return (route, into_response(reply, real_method)),
            };
            let method =
                api::effective_method(real_method, &parts.headers, behaviour.method_override);
            let req = ApiRequest {
                real_method,
                method: &method,
                path: api_path,
                canonical,
                raw_query,
                headers: &parts.headers,
                body: &bytes,
                body_too_large: too_large,
                behaviour,
            };
            (route, api::process(app, &req))
        }
        Target::Unrouted => {
            let mut reply = not_found::unrouted(behaviour, &parts.headers);
            api::add_cross_cutting_headers(behaviour, real_method, &parts.headers, &mut reply);
            (SITE, reply)
        }
        Target::Site if path == "/metrics" && matches!(real_method, "GET" | "HEAD") => {
            let text = app.render_metrics();
            (SITE, Reply::body(200, "text/plain; version=0.0.4", text))
        }
        Target::Site => {
            let (bytes, _) = match read_body(body, MAX_RESTORE_BODY).await {
                Ok(read) => read,
                Err(reply) => return (SITE, into_response(reply, real_method)),
            };
            let reply = site::handle(app, real_method, path, raw_query, &parts.headers, &bytes);
            (SITE, reply)
        }
    };
    (route, into_response(reply, real_method))
}

/// The size of the request headers as sent: names, values and separators.
fn header_bytes(headers: &hyper::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// Read a body up to `limit` bytes. Past the limit reading stops and the flag is set,
/// so an oversized body is never held whole. A client too slow to send gets a 408.
async fn read_body(mut body: Incoming, limit: usize) -> Result<(Bytes, bool), Reply> {
    if body.size_hint().lower() > limit as u64 {
        return Ok((Bytes::new(), true));
    }
    let read = async {
        let mut buf = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { break };
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return (Bytes::new(), true);
                }
                buf.extend_from_slice(&data);
            }
        }
        (buf.freeze(), false)
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| Reply::empty(408))
}

/// Turn a reply into a hyper response. HEAD keeps the headers and the length of the
/// body GET would have sent, without the body.
pub fn into_response(reply: Reply, method: &str) -> Response<Full<Bytes>> {
    let length = reply.body.len();
    let body = if method == "HEAD" {
        Bytes::new()
    } else {
        reply.body
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    *response.headers_mut() = reply.headers;
    if method == "HEAD" && length > 0 {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    if reply.status == 500 {
        // The reference runs on Jetty, whose phrase for 500 is "Server Error".
        response
            .extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(b"Server Error"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_path(path: &str) -> Option<(&str, bool)> {
        match classify(path, true) {
            Target::Api { path, canonical } => Some((path, canonical)),
            Target::Site | Target::Unrouted => None,
        }
    }

    #[test]
    fn without_the_prefix_api_paths_are_unrouted() {
        assert!(matches!(classify("/api/todos", false), Target::Unrouted));
        assert!(matches!(classify("/api", false), Target::Unrouted));
        assert!(matches!(
            classify("/todos", false),
            Target::Api {
                path: "todos",
                canonical: false
            }
        ));
        assert!(matches!(classify("/gui", false), Target::Site));
        assert!(matches!(classify("/api/docs", false), Target::Site));
        assert!(matches!(classify("/api/docs/swagger", false), Target::Site));
        assert!(matches!(classify("/api/docsx", false), Target::Unrouted));
    }

    #[test]
    fn api_paths_are_recognised_with_and_without_prefix() {
        assert_eq!(api_path("/api/todos/3"), Some(("todos/3", true)));
        assert_eq!(api_path("/todos"), Some(("todos", false)));
        assert_eq!(api_path("/api/todo"), Some(("todo", true)));
        assert_eq!(api_path("/challenger/x/y"), Some(("challenger/x/y", false)));
        assert_eq!(api_path("/api/docs"), None);
        assert_eq!(api_path("/gui/challenges"), None);
        assert_eq!(api_path("/"), None);
        assert_eq!(api_path("/todosx"), None);
    }
}
