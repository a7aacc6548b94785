//! The response an API handler produces, before the cross-cutting headers are added
//! and it is turned into a hyper response.

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{HeaderMap, StatusCode};

use crate::error::ApiError;
use crate::learners::registry::LearnerRef;
use crate::todo::negotiation::MediaType;
use crate::todo::representation;

/// Whose progress an exchange counts for: usually the requester, but a new or restored
/// challenger for the routes that create or restore one.
#[derive(Clone, Default)]
pub enum Credit {
    /// The learner the request's `X-CHALLENGER` identified (the usual case).
    #[default]
    Requester,
    /// Another learner, decided by the handler (a new or restored challenger).
    LearnerEntry(LearnerRef),
    /// Nobody.
    Nobody,
}

/// A handler's answer.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub credit: Credit,
    /// The answer goes out with no Content-Type at all, not even the HTTP layer's
    /// default (the deliberately bare answers of a practice mode).
    pub content_type_suppressed: bool,
}

impl Reply {
    /// A reply with no body.
    pub fn empty(status: StatusCode) -> Reply {
        Reply {
            status,
            // Room for the dozen headers an API answer carries, without regrowing.
            headers: HeaderMap::with_capacity(16),
            body: Bytes::new(),
            credit: Credit::Requester,
            content_type_suppressed: false,
        }
    }

    /// A reply with a body of the given content type.
    pub fn body(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Reply {
        // The two everyday types come pre-built; others are copied in.
        const JSON: HeaderValue = HeaderValue::from_static("application/json");
        const XML: HeaderValue = HeaderValue::from_static("application/xml");
        let mut reply = Reply::empty(status);
        match content_type {
            "application/json" => {
                reply.headers.insert(CONTENT_TYPE, JSON);
            }
            "application/xml" => {
                reply.headers.insert(CONTENT_TYPE, XML);
            }
            other => reply.set_header(CONTENT_TYPE, other),
        }
        reply.body = body.into();
        reply
    }

    /// A JSON reply.
    pub fn json(status: StatusCode, body: impl Into<Bytes>) -> Reply {
        Reply::body(status, "application/json", body)
    }

    /// The standard error envelope in the negotiated format.
    pub fn errors(status: StatusCode, messages: &[&str], format: &MediaType) -> Reply {
        let body = representation::errors(messages, format);
        let content_type = match format {
            MediaType::Calendar | MediaType::Html | MediaType::Plain => "application/json",
            other => other.content_type(),
        };
        Reply::body(status, content_type, body)
    }

    /// One error message in the negotiated format.
    pub fn error(status: StatusCode, message: &str, format: &MediaType) -> Reply {
        Reply::errors(status, &[message], format)
    }

    /// A refusal answered with `status`, in `format` unless it is always JSON.
    pub fn refusal(error: &ApiError, status: StatusCode, format: &MediaType) -> Reply {
        let messages: Vec<&str> = error.messages.iter().map(String::as_str).collect();
        let format = if error.always_json {
            &MediaType::Json
        } else {
            format
        };
        let mut reply = Reply::errors(status, &messages, format);
        for (name, value) in &error.headers {
            reply
                .headers
                .insert(name.clone(), HeaderValue::from_static(value));
        }
        reply
    }

    /// Set (replace) a header. Values that are not valid header text are dropped.
    pub fn set_header(&mut self, name: HeaderName, value: &str) {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.insert(name, v);
        }
    }

    /// Builder form of [`Reply::set_header`].
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Reply {
        self.set_header(name, value);
        self
    }

    /// Builder form for setting the Content-Type.
    pub fn with_content_type(self, content_type: &str) -> Reply {
        self.with_header(CONTENT_TYPE, content_type)
    }

    /// Builder form: send no Content-Type, whatever the status and body.
    pub fn without_content_type(mut self) -> Reply {
        self.headers.remove(CONTENT_TYPE);
        self.content_type_suppressed = true;
        self
    }

    /// Give the answer the Content-Type a profile's HTTP layer gives it: the one the
    /// handler set, else `default`; none when suppressed, and none on an empty 204 or
    /// 404 when `untyped_empty_204_404` (a body-less "no content" or "not found"
    /// names no representation).
    pub fn settle_content_type(&mut self, default: &'static str, untyped_empty_204_404: bool) {
        let bare = untyped_empty_204_404
            && matches!(self.status, StatusCode::NO_CONTENT | StatusCode::NOT_FOUND)
            && self.body.is_empty();
        if self.content_type_suppressed || bare {
            self.headers.remove(CONTENT_TYPE);
        } else if !self.headers.contains_key(CONTENT_TYPE) {
            self.headers
                .insert(CONTENT_TYPE, HeaderValue::from_static(default));
        }
    }

    /// Builder form for crediting another learner.
    pub fn crediting(mut self, entry: LearnerRef) -> Reply {
        self.credit = Credit::LearnerEntry(entry);
        self
    }
}
