//! Decoding and validating todo request bodies: JSON and XML (api.md §2.1, §3.3-3.5,
//! §5.3) and the three PATCH styles (api.md §3.7).
//!
//! INTERFACE STUB: signatures are the contract; `todo!()` bodies are to be implemented.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::negotiation::BodyKind;
use crate::todo::Todo;

/// The fields of a create request once validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTodo {
    pub title: String,
    pub done_status: bool,
    pub description: String,
}

/// Parse a POST/PUT body into its field map. JSON must be an object; XML is converted
/// the way api.md §5.3 says (root `<todo>`/`<todos>` unwrapped, `true`/`false` and
/// numeric text typed). Errors are the 400s of api.md §3.3 (missing Content-Type,
/// malformed JSON, malformed XML).
pub fn parse_body(_kind: BodyKind, _body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    todo!()
}

/// Validate a create (POST /todos). 422s with the exact messages and prefixing rules of
/// api.md §3.3.
pub fn validate_create(_fields: &Map<String, Value>) -> Result<NewTodo, ApiError> {
    todo!()
}

/// POST /todos/{id} and PATCH with application/json: only supplied fields change.
pub fn amend(_todo: &Todo, _fields: &Map<String, Value>) -> Result<Todo, ApiError> {
    todo!()
}

/// PUT /todos/{id} (and PUT /todos with a body id): full replacement, title mandatory,
/// omitted optional fields revert to defaults. `url_id` is the todo being replaced.
pub fn replace(_todo: &Todo, _fields: &Map<String, Value>) -> Result<Todo, ApiError> {
    todo!()
}

/// Apply an RFC 7396 merge patch document to a todo.
pub fn merge_patch(_todo: &Todo, _body: &[u8]) -> Result<Todo, ApiError> {
    todo!()
}

/// Apply an RFC 6902 JSON Patch document to a todo.
pub fn json_patch(_todo: &Todo, _body: &[u8]) -> Result<Todo, ApiError> {
    todo!()
}
