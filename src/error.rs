//! The API's one error type: the kind of refusal and the messages of the error body
//! (`{"errorMessages": [...]}` or its XML form).
//!
//! Code that refuses a request names a kind, never a status: the running profile turns
//! the kind into a status in one place (`Behaviour::status_of`), because the two
//! generations answer some kinds differently (a validation failure is 422 today and was
//! 400 in the classic server). The body's format is the request's negotiated one unless
//! the error says otherwise (a few refusals are always JSON in the reference). This
//! file uses nothing of the crate, so every layer may use it.

use hyper::header::HeaderName;
use hyper::StatusCode;

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The body, query or header could not be read: malformed syntax, a missing
    /// Content-Type, a structure or cost over the limits.
    Malformed,
    /// No credentials, or wrong ones.
    Unauthorized,
    /// Credentials that are valid but do not grant this.
    Forbidden,
    /// No such resource.
    NotFound,
    /// The method exists nowhere on this route.
    MethodNotAllowed,
    /// Nothing the client accepts can be produced.
    NotAcceptable,
    /// The change cannot be applied to the current state (a JSON Patch test failed).
    Conflict,
    /// A create refused because the learner already has the maximum number of todos.
    TodoLimit,
    /// A progress restore whose payload names another learner than the URL.
    LearnerMismatch,
    /// The body is over the size limit.
    TooLarge,
    /// The body's Content-Type is not one this route reads.
    UnsupportedMediaType,
    /// The entity is well-formed but its fields break a rule.
    Validation,
    /// A client created too many learners in a short time.
    TooManyRequests,
    /// A request header is over its size limit.
    HeaderTooLarge,
    /// Shared storage is out of reach for the moment.
    Unavailable,
}

impl ErrorKind {
    /// The status the reference engine answers this kind with. A profile may answer a
    /// few kinds differently (`Behaviour::status_of`); the practice modes use these.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::Malformed => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ErrorKind::Conflict | ErrorKind::TodoLimit | ErrorKind::LearnerMismatch => {
                StatusCode::CONFLICT
            }
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::HeaderTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// A refusal, answered with the standard error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub messages: Vec<String>,
    /// The body is JSON whatever the request negotiated (the reference answers some
    /// refusals in JSON whatever the Accept header says).
    pub always_json: bool,
    /// Headers the refusal carries (e.g. `Accept-Patch` on a 415).
    pub headers: Vec<(HeaderName, &'static str)>,
}

impl ApiError {
    /// One message of a kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError::with_messages(kind, vec![message.into()])
    }

    /// Several messages of a kind, in the order they are shown.
    pub fn with_messages(kind: ErrorKind, messages: Vec<String>) -> ApiError {
        ApiError {
            kind,
            messages,
            always_json: false,
            headers: Vec::new(),
        }
    }

    pub fn malformed(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::Malformed, message)
    }

    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::Validation, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::NotFound, message)
    }

    /// A JSON body whatever the request negotiated.
    pub fn in_json(mut self) -> ApiError {
        self.always_json = true;
        self
    }

    /// Add a header to the refusal.
    pub fn with_header(mut self, name: HeaderName, value: &'static str) -> ApiError {
        self.headers.push((name, value));
        self
    }

    /// The first message (most errors have exactly one).
    pub fn message(&self) -> &str {
        self.messages.first().map(String::as_str).unwrap_or("")
    }
}
