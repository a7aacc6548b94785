//! `/heartbeat`: liveness (204), and practice at provoking unusual status codes (405, 500, 501).

use hyper::header::{ALLOW, CONTENT_TYPE};
use hyper::StatusCode;

use crate::api::request::ApiRequest;
use crate::http::reply::Reply;
use crate::todo::negotiation::Offer;

/// Answer the heartbeat for the (possibly overridden) method.
pub fn handle(req: &ApiRequest, method: &str) -> Reply {
    let status = match method {
        "GET" | "HEAD" => StatusCode::NO_CONTENT,
        "OPTIONS" => {
            let reply = Reply::empty(StatusCode::NO_CONTENT);
            return reply.with_header(ALLOW, "GET, HEAD, OPTIONS");
        }
        // The one deliberate server error: a learner provokes it on purpose.
        "PATCH" => StatusCode::INTERNAL_SERVER_ERROR,
        "TRACE" => StatusCode::NOT_IMPLEMENTED,
        _ => StatusCode::METHOD_NOT_ALLOWED,
    };
    let mut reply = Reply::empty(status);
    if status != StatusCode::NO_CONTENT {
        // Non-204 answers name a representation even with no body: the negotiated one,
        // or (classic) the first Accept entry.
        let content_type = match req.empty_answer_type() {
            Some(first_entry) => first_entry.to_string(),
            None => req.error_format(Offer::Standard).content_type().to_string(),
        };
        reply.set_header(CONTENT_TYPE, &content_type);
    }
    reply
}
