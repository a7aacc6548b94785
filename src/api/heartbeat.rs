//! `/heartbeat`: liveness, and practice at provoking unusual status codes (api.md §6.3).

use hyper::header::ALLOW;

use crate::api::request::ApiRequest;
use crate::http::reply::Reply;

/// Answer the heartbeat for the (possibly overridden) method.
pub fn handle(req: &ApiRequest, method: &str) -> Reply {
    let status = match method {
        "GET" | "HEAD" => 204,
        "OPTIONS" => return Reply::empty(204).with_header(ALLOW, "GET, HEAD, OPTIONS"),
        "PATCH" => 500,
        "TRACE" => 501,
        _ => 405,
    };
    // Every answer but OPTIONS names a representation even with no body (the current
    // HTTP layer then drops it from the empty 204s).
    Reply::empty(status).with_content_type(&req.fixed_status_type())
}
