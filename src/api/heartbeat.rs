//! `/heartbeat`: liveness (204), and practice at provoking unusual status codes (405, 500, 501).

use hyper::header::ALLOW;
use hyper::StatusCode;

use crate::api::request::ApiRequest;
use crate::http::reply::Reply;

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
    // Every answer but OPTIONS names a representation even with no body (the current
    // HTTP layer then drops it from the empty 204s).
    Reply::empty(status).with_content_type(&req.fixed_status_type())
}
