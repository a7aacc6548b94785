//! Rendering todos and error messages in every negotiated format (api.md §5.1, §5.4-5.7,
//! §3.9 export).
//!
//! INTERFACE STUB: signatures are the contract; `todo!()` bodies are to be implemented.

use crate::negotiation::MediaType;
use crate::todo::Todo;

/// A todo collection `{"todos":[...]}` / `<todos>...</todos>` / CSV rows ... in `format`.
/// (Calendar is never asked for here.)
pub fn todo_list(_todos: &[&Todo], _format: &MediaType) -> Vec<u8> {
    todo!()
}

/// A single todo as an unwrapped object: `{"id":..}` / `<todo>..</todo>`; for the
/// line/table formats the same as a one-item list; Calendar gives the VCALENDAR text.
pub fn todo_item(_todo: &Todo, _format: &MediaType) -> Vec<u8> {
    todo!()
}

/// The error envelope of api.md §5.1 in `format` (JSON for formats with no error form
/// of their own, e.g. Html, Plain, Calendar).
pub fn errors(_messages: &[&str], _format: &MediaType) -> Vec<u8> {
    todo!()
}

/// The iCalendar VTODO of api.md §5.6.
pub fn calendar(_todo: &Todo) -> Vec<u8> {
    todo!()
}

/// An export format of `GET /todos/export?format=` (api.md §3.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportFormat {
    pub media: &'static str,
    pub file_name: &'static str,
}

/// Look up `?format=` (trimmed, case-insensitive). None → the 400 of api.md §3.9.
pub fn export_format(_value: &str) -> Option<(ExportFormat, MediaType)> {
    todo!()
}

/// The engine export format of `GET /challenger/database/{guid}` (api.md §8.6):
/// `{"todos" : [{"id": 1, "title": "scan paperwork"}, ...]}` with default-valued optional
/// fields omitted.
pub fn database_export(_todos: &[Todo]) -> String {
    todo!()
}

/// Escape text for XML content.
pub fn xml_escape(_s: &str) -> String {
    todo!()
}
