//! Unknown routes: an empty 404, whose body API-challenge paths rewrite by Accept (a 307
//! to the GUI 404 page for browsers, a JSON or XML error for clients that ask for one).

use bytes::Bytes;
use hyper::header::{CONTENT_TYPE, LOCATION};
use hyper::HeaderMap;
use hyper::StatusCode;

use crate::api::request::ApiRequest;
use crate::challenges::profile::Behaviour;
use crate::http::reply::Reply;
use crate::todo::negotiation;

/// An unknown API-challenge path: 404 with an empty body (rewritten by [`rewrite_empty`]).
/// It names the fixed-status type, which the redirect to the GUI keeps and the current
/// HTTP layer drops from the empty 404.
pub fn api(req: &ApiRequest) -> Reply {
    Reply::empty(StatusCode::NOT_FOUND).with_content_type(&req.fixed_status_type())
}

/// A path outside every route of the profile (classic `/api/...`): 404, empty body,
/// Content-Type from the first Accept entry when the profile names one.
pub fn unrouted(behaviour: &Behaviour, headers: &HeaderMap) -> Reply {
    let mut reply = Reply::empty(StatusCode::NOT_FOUND);
    if behaviour.first_accept_content_type {
        let accept = headers.get("accept").and_then(|v| v.to_str().ok());
        reply.set_header(CONTENT_TYPE, negotiation::classic::first_entry(accept));
    }
    reply
}

/// An empty 404 on an API-challenge path gets a body chosen by the Accept header: a
/// browser is sent to the GUI's 404 page, API clients get an error in their format.
pub fn rewrite_empty(req: &ApiRequest, reply: &mut Reply) {
    if reply.status != StatusCode::NOT_FOUND || !reply.body.is_empty() {
        return;
    }
    let accept = req.accept().unwrap_or("").trim().to_ascii_lowercase();
    let (content_type, body) = if accept.contains("html") {
        reply.status = StatusCode::TEMPORARY_REDIRECT;
        reply.set_header(LOCATION, &format!("/gui/404/{}", req.path));
        return;
    } else if accept.starts_with("application/") && accept.ends_with("xml") {
        (
            "application/xml",
            "<errorMessages><message>404 resource Unknown</message></errorMessages>",
        )
    } else if accept.starts_with("application/") && accept.ends_with("json") {
        (
            "application/json",
            r#"{"errorMessages":["404 resource Unknown"]}"#,
        )
    } else {
        return;
    };
    reply.set_header(CONTENT_TYPE, content_type);
    reply.body = Bytes::from_static(body.as_bytes());
}
