//! What a completion rule can see of one request/response exchange.
//!
//! The pipeline builds an [`Exchange`] twice per API request: once before handling
//! (request phase, `response == None`) and once after (response phase). Rules in
//! `catalogue` read it through the accessors here; expensive views (parsed query,
//! JSON todos of the response, error messages) are computed lazily, once.

use std::cell::OnceCell;

use hyper::{HeaderMap, StatusCode};

use crate::todo::negotiation::media_type_of;
use crate::todo::query::ListQuery;
use crate::todo::Todo;

/// The request side of an exchange.
pub struct RequestFacts<'a> {
    /// The real request method, upper case.
    pub method: &'a str,
    /// Normalised path: no leading `/`, no leading `api/`, no query string.
    pub path: &'a str,
    /// The raw query string after `?` ("" when there is none).
    pub raw_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The learner an exchange is checked for, as it stands after the request.
pub struct LearnerFacts<'a> {
    /// Their todos (ascending id order).
    pub store: &'a [Todo],
    /// Their GUID (single-user: the single-player GUID).
    pub guid: Option<&'a str>,
    /// Whether they were re-loaded from storage (#70, #71).
    pub loaded_from_storage: bool,
}

/// The response side of an exchange.
pub struct ResponseFacts<'a> {
    pub status: StatusCode,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// One exchange as the rules see it.
pub struct Exchange<'a> {
    /// The real request method, upper case (`GET`, `QUERY`, ...).
    pub method: &'a str,
    /// Normalised path: no leading `/`, no leading `api/`, no query string.
    pub path: &'a str,
    /// The raw query string after `?` ("" when there is none).
    pub raw_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The credited challenger's todos after the request (ascending id order).
    pub store: &'a [Todo],
    /// GUID of the challenger the request's `X-CHALLENGER` identified (single-user: the
    /// single-player GUID), if any.
    pub requester: Option<&'a str>,
    /// Whether the credited challenger was re-loaded from storage (#70, #71).
    pub loaded_from_storage: bool,
    /// `None` during the request phase.
    pub response: Option<ResponseFacts<'a>>,
    query: OnceCell<ListQuery>,
    response_todos: OnceCell<Vec<serde_json::Value>>,
    messages: OnceCell<Vec<String>>,
    response_type: OnceCell<String>,
    content_media_type: OnceCell<String>,
    accept_normalised: OnceCell<String>,
}

impl<'a> Exchange<'a> {
    pub fn new(
        request: RequestFacts<'a>,
        learner: LearnerFacts<'a>,
        response: Option<ResponseFacts<'a>>,
    ) -> Exchange<'a> {
        Exchange {
            method: request.method,
            path: request.path,
            raw_query: request.raw_query,
            headers: request.headers,
            body: request.body,
            store: learner.store,
            requester: learner.guid,
            loaded_from_storage: learner.loaded_from_storage,
            response,
            query: OnceCell::new(),
            response_todos: OnceCell::new(),
            messages: OnceCell::new(),
            response_type: OnceCell::new(),
            content_media_type: OnceCell::new(),
            accept_normalised: OnceCell::new(),
        }
    }

    /// True when method and normalised path are exactly these.
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }

    /// True when the path is `todos/` followed by at least one character.
    pub fn is_todo_item(&self) -> bool {
        self.path.len() > "todos/".len() && self.path.starts_with("todos/")
    }

    /// True when the path is `todos/{x}` with `{x}` a single segment other than `export`.
    pub fn is_single_todo_segment(&self) -> bool {
        self.is_todo_item() && {
            let x = &self.path["todos/".len()..];
            !x.contains('/') && !x.eq_ignore_ascii_case("export")
        }
    }

    /// True when the request has no query parameters at all.
    pub fn no_query(&self) -> bool {
        self.raw_query.is_empty()
    }

    /// A request header as text (None when absent or not visible ASCII).
    pub fn header(&self, name: impl hyper::header::AsHeaderName) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The request Accept header.
    pub fn accept(&self) -> Option<&'a str> {
        self.header(hyper::header::ACCEPT)
    }

    /// The Accept header with all whitespace removed,
    /// lower-cased; computed once per exchange.
    pub fn accept_normalised(&self) -> &str {
        self.accept_normalised
            .get_or_init(|| crate::todo::negotiation::predicates::normalised(self.accept()))
    }

    /// The request Content-Type media type, lower-cased ("" when absent).
    pub fn content_media_type(&self) -> &str {
        self.content_media_type.get_or_init(|| {
            self.header(hyper::header::CONTENT_TYPE)
                .map(media_type_of)
                .unwrap_or_default()
        })
    }

    /// The request body as text (lossy).
    pub fn body_text(&self) -> std::borrow::Cow<'a, str> {
        String::from_utf8_lossy(self.body)
    }

    /// The parsed query string.
    pub fn query(&self) -> &ListQuery {
        self.query.get_or_init(|| ListQuery::parse(self.raw_query))
    }

    /// Response status code as a number, for rules that compare it with the codes a
    /// challenge names (0 during the request phase).
    pub fn status(&self) -> u16 {
        self.response.as_ref().map_or(0, |r| r.status.as_u16())
    }

    /// A response header as text.
    pub fn response_header(&self, name: impl hyper::header::AsHeaderName) -> Option<&'a str> {
        self.response
            .as_ref()
            .and_then(|r| r.headers.get(name))
            .and_then(|v| v.to_str().ok())
    }

    /// The response media type (Content-Type without parameters, lower-cased).
    pub fn response_type(&self) -> &str {
        self.response_type.get_or_init(|| {
            self.response_header(hyper::header::CONTENT_TYPE)
                .map(media_type_of)
                .unwrap_or_default()
        })
    }

    /// The response body as text (lossy; empty during the request phase).
    pub fn response_text(&self) -> std::borrow::Cow<'a, str> {
        match &self.response {
            Some(r) => String::from_utf8_lossy(r.body),
            None => std::borrow::Cow::Borrowed(""),
        }
    }

    /// The JSON todos of the response: the object elements of a
    /// top-level `todos` array of a JSON body; empty otherwise.
    pub fn response_todos(&self) -> &[serde_json::Value] {
        self.response_todos.get_or_init(|| {
            let Some(r) = &self.response else {
                return Vec::new();
            };
            match serde_json::from_slice::<serde_json::Value>(r.body) {
                Ok(serde_json::Value::Object(mut o)) => match o.remove("todos") {
                    Some(serde_json::Value::Array(items)) => {
                        items.into_iter().filter(|v| v.is_object()).collect()
                    }
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            }
        })
    }

    /// Ids of the JSON todos of the response (items without an integer id are skipped).
    pub fn response_ids(&self) -> Vec<i64> {
        self.response_todos()
            .iter()
            .filter_map(|t| t.get("id").and_then(|v| v.as_i64()))
            .collect()
    }

    /// The error messages of the response body, JSON (`errorMessages`) or XML
    /// (`<errorMessage>` elements).
    pub fn messages(&self) -> &[String] {
        self.messages.get_or_init(|| {
            let Some(r) = &self.response else {
                return Vec::new();
            };
            if let Ok(serde_json::Value::Object(o)) = serde_json::from_slice(r.body) {
                if let Some(serde_json::Value::Array(items)) = o.get("errorMessages") {
                    return items
                        .iter()
                        .filter_map(|m| m.as_str().map(str::to_string))
                        .collect();
                }
                return Vec::new();
            }
            xml_error_messages(&String::from_utf8_lossy(r.body))
        })
    }

    /// True when some error message contains `fragment`.
    pub fn message_contains(&self, fragment: &str) -> bool {
        self.messages().iter().any(|m| m.contains(fragment))
    }
}

/// Texts of `<errorMessage>` elements, with the five predefined entities unescaped.
fn xml_error_messages(body: &str) -> Vec<String> {
    const OPEN: &str = "<errorMessage>";
    const CLOSE: &str = "</errorMessage>";
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        out.push(
            after[..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &after[end + CLOSE.len()..];
    }
    out
}
