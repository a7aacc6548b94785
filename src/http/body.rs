//! Reading a request body within a limit and a time (a body that does not arrive
//! whole is refused), and turning a `Reply` into a hyper response.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_LENGTH};
use hyper::{Response, StatusCode};

use crate::http::reply::Reply;
use crate::todo::negotiation::MediaType;

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

/// Why a body could not be read whole. Either way the request is refused, never run
/// on the part that did arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// The client took longer than the body timeout to send it.
    TimedOut,
    /// The body stopped short: a connection closed before the declared length, a
    /// chunked body cut off before its last chunk, or a malformed chunk.
    Incomplete,
}

impl BodyError {
    pub fn status(self) -> StatusCode {
        match self {
            BodyError::TimedOut => StatusCode::REQUEST_TIMEOUT,
            BodyError::Incomplete => StatusCode::BAD_REQUEST,
        }
    }

    /// The error message of an API answer (a timed-out request keeps its empty 408).
    pub fn message(self) -> Option<&'static str> {
        match self {
            BodyError::TimedOut => None,
            BodyError::Incomplete => Some("Request body was not received in full"),
        }
    }
}

/// Read a body up to `limit` bytes. Past the limit reading stops and the flag is set,
/// so an oversized body is never held whole. A body that fails part-way (see
/// [`BodyError`]) is an error, not a shorter body: running a request on a truncated
/// body could store a todo the client never finished sending.
pub async fn read_body(mut body: Incoming, limit: usize) -> Result<(Bytes, bool), BodyError> {
    if body.size_hint().lower() > limit as u64 {
        return Ok((Bytes::new(), true));
    }
    let read = async {
        let mut buf = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyError::Incomplete)?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return Ok((Bytes::new(), true));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok((buf.freeze(), false))
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// The answer to a body that could not be read: the status with an error body in
/// `format` (when the status has a message), and `Connection: close`, since the
/// connection's framing can no longer be trusted.
pub fn body_error_reply(error: BodyError, format: &MediaType) -> Reply {
    let mut reply = match error.message() {
        Some(message) => Reply::error(error.status(), message, format),
        None => Reply::empty(error.status()),
    };
    reply
        .headers
        .insert(CONNECTION, HeaderValue::from_static("close"));
    reply
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
