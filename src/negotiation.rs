//! Content negotiation: the Accept header (api.md §5.2, challenges.md §1 "Accept-header
//! predicates") and the request Content-Type (api.md §5.3).
//!
//! INTERFACE STUB: types and signatures are the contract; `todo!()` bodies are to be
//! implemented.

/// A response representation the server can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaType {
    Json,
    /// `application/xml`
    Xml,
    /// `text/xml`
    TextXml,
    /// A structured todo XML type, holding the concrete type to echo in Content-Type,
    /// e.g. `application/vnd.apichallenges.todo+xml` or `application/todo+xml`.
    StructuredXml(String),
    Csv,
    Plain,
    Html,
    Ndjson,
    Jsonl,
    JsonSeq,
    Tsv,
    /// `text/calendar` (single todo only)
    Calendar,
}

impl MediaType {
    /// The Content-Type header value to send.
    pub fn content_type(&self) -> &str {
        todo!()
    }
    /// True for every XML flavour (application/xml, text/xml, structured +xml).
    pub fn is_xml(&self) -> bool {
        todo!()
    }
}

/// Which resource is being negotiated: decides whether structured todo XML and
/// text/calendar are on offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// The todo collection and other todo routes: the ten standard types + structured XML.
    Todos,
    /// A single todo by id: as Todos, plus text/calendar.
    SingleTodo,
    /// Non-todo API resources (challenges, errors of other routes): the ten standard types.
    Standard,
}

/// Why no representation could be chosen (406). `message()` gives the exact text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAcceptable {
    /// `Unrecognised Accept Type`
    Unrecognised,
    /// `No acceptable response type supported`
    NoneAcceptable,
}

impl NotAcceptable {
    pub fn message(&self) -> &'static str {
        match self {
            NotAcceptable::Unrecognised => "Unrecognised Accept Type",
            NotAcceptable::NoneAcceptable => "No acceptable response type supported",
        }
    }
}

/// Choose the response representation for an Accept header value (None = header absent).
pub fn negotiate(_accept: Option<&str>, _offer: Offer) -> Result<MediaType, NotAcceptable> {
    todo!()
}

/// The Accept-header predicates used by the challenge rules (challenges.md §1).
pub mod predicates {
    /// `accept-missing`
    pub fn missing(_accept: Option<&str>) -> bool {
        todo!()
    }
    /// `accept-lists(X)`
    pub fn lists(_accept: Option<&str>, _media_range: &str) -> bool {
        todo!()
    }
    /// `accept-allows-xml`
    pub fn allows_xml(_accept: Option<&str>) -> bool {
        todo!()
    }
    /// `accept-prefers-xml`
    pub fn prefers_xml(_accept: Option<&str>) -> bool {
        todo!()
    }
    /// `accept-unsupported`
    pub fn unsupported(_accept: Option<&str>) -> bool {
        todo!()
    }
    /// `accept-normalised`: whitespace removed, lowercased.
    pub fn normalised(_accept: Option<&str>) -> String {
        todo!()
    }
    /// challenges.md #55: the highest-q (q>0, earliest on ties) entry is text/calendar.
    pub fn prefers_calendar(_accept: Option<&str>) -> bool {
        todo!()
    }
}

/// What a request body claims to be, from its Content-Type (api.md §5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No Content-Type header.
    Missing,
    Json,
    /// application/xml, text/xml, or a structured todo +xml type.
    Xml,
    MergePatch,
    JsonPatch,
    FormUrlEncoded,
    JsonPath,
    StructuredQuery,
    /// Anything else.
    Unsupported,
}

/// Classify a Content-Type header value (None = absent). Parameters are ignored,
/// matching is case-insensitive.
pub fn body_kind(_content_type: Option<&str>) -> BodyKind {
    todo!()
}

/// The media type of a header value: text before `;`, trimmed, lowercased.
pub fn media_type_of(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
