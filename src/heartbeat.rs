//! `/heartbeat`: liveness, and practice at provoking unusual status codes (api.md §6.3).

use hyper::header::{ALLOW, CONTENT_TYPE};

use crate::api::ApiRequest;
use crate::negotiation::Offer;
use crate::reply::Reply;

/// Answer the heartbeat for the (possibly overridden) method.
pub fn handle(req: &ApiRequest, method: &str) -> Reply {
    let status = match method {
        "GET" | "HEAD" => 204,
        "OPTIONS" => return Reply::empty(204).with_header(ALLOW, "GET, HEAD, OPTIONS"),
        "PATCH" => 500,
        "TRACE" => 501,
        _ => 405,
    };
    let mut reply = Reply::empty(status);
    if status != 204 {
        // Non-204 answers name the preferred representation even with no body.
        let format = req.error_format(Offer::Standard);
        reply.set_header(CONTENT_TYPE, format.content_type());
    }
    reply
}
