//! Reading a request body within a limit and a time, and turning a `Reply` into a
//! hyper response.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper::header::{HeaderValue, CONTENT_LENGTH};
use hyper::{Response, StatusCode};

use crate::http::reply::Reply;

/// Most bytes of request headers accepted: the reference's HTTP server allows 32 KiB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The size of the request headers as sent: names, values and separators.
pub fn header_bytes(headers: &hyper::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// Read a body up to `limit` bytes. Past the limit reading stops and the flag is set,
/// so an oversized body is never held whole. A client too slow to send gets a 408.
pub async fn read_body(mut body: Incoming, limit: usize) -> Result<(Bytes, bool), Reply> {
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
        .map_err(|_| Reply::empty(StatusCode::REQUEST_TIMEOUT))
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
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    if method == "HEAD" && length > 0 {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    if reply.status == StatusCode::INTERNAL_SERVER_ERROR {
        // The reference runs on Jetty, whose phrase for 500 is "Server Error".
        response
            .extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(b"Server Error"));
    }
    response
}
