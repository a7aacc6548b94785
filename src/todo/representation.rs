//! Rendering todos and error messages in every negotiated format, for the export
//! download and for the challenger database export.
//!
//! Everything is written straight into a pre-sized byte buffer: the JSON todo list is the
//! hottest path of the server, so no intermediate `serde_json::Value` is built.

use crate::todo::negotiation::MediaType;
use crate::todo::Todo;

/// The column order of every tabular format.
const FIELD_NAMES: [&str; 4] = ["id", "title", "doneStatus", "description"];

/// A todo collection `{"todos":[...]}` / `<todos>...</todos>` / CSV rows ... in `format`.
/// (Calendar is never asked for here; it falls back to JSON.)
pub fn todo_list(todos: &[&Todo], format: &MediaType) -> Vec<u8> {
    let mut out = Vec::with_capacity(estimated_size(todos));
    match format {
        MediaType::Json | MediaType::Calendar => write_json_list(&mut out, todos),
        MediaType::Xml | MediaType::TextXml | MediaType::StructuredXml(_) => {
            write_xml_list(&mut out, todos)
        }
        MediaType::Csv => write_delimited(&mut out, todos, b',', write_csv_field),
        MediaType::Tsv => write_delimited(&mut out, todos, b'\t', write_tsv_field),
        MediaType::Plain => write_plain(&mut out, todos),
        MediaType::Html => write_html_table(&mut out, todos),
        MediaType::Ndjson | MediaType::Jsonl => write_json_lines(&mut out, todos, b""),
        MediaType::JsonSeq => write_json_lines(&mut out, todos, RECORD_SEPARATOR),
    }
    out
}

/// A single todo as an unwrapped object: `{"id":..}` / `<todo>..</todo>`; for the
/// line/table formats the same as a one-item list; Calendar gives the VCALENDAR text.
pub fn todo_item(todo: &Todo, format: &MediaType) -> Vec<u8> {
    match format {
        MediaType::Json => {
            let mut out = Vec::with_capacity(estimated_size(&[todo]));
            write_json_todo(&mut out, todo);
            out
        }
        MediaType::Xml | MediaType::TextXml | MediaType::StructuredXml(_) => {
            let mut out = Vec::with_capacity(estimated_size(&[todo]));
            write_xml_todo(&mut out, todo);
            out
        }
        MediaType::Calendar => calendar(todo),
        _ => todo_list(&[todo], format),
    }
}

/// The error envelope in `format`: `<errorMessages><errorMessage>` for XML flavours, an
/// `errorMessage` header then one line per message for CSV/TSV, one `{"errorMessage":..}`
/// per line for NDJSON/JSONL, json-seq as RS-prefixed records (the reference's form,
/// so the body matches its negotiated Content-Type); JSON for formats with no error form
/// of their own (Html, Plain, Calendar), which the caller labels `application/json`.
pub fn errors(messages: &[&str], format: &MediaType) -> Vec<u8> {
    let size: usize = messages.iter().map(|m| m.len() + 32).sum::<usize>() + 32;
    let mut out = Vec::with_capacity(size);
    match format {
        MediaType::Json | MediaType::Calendar | MediaType::Html | MediaType::Plain => {
            write_json_errors(&mut out, messages, false)
        }
        MediaType::Xml | MediaType::TextXml | MediaType::StructuredXml(_) => {
            write_xml_errors(&mut out, messages)
        }
        MediaType::Csv => write_delimited_errors(&mut out, messages, write_csv_field),
        MediaType::Tsv => write_delimited_errors(&mut out, messages, write_tsv_field),
        MediaType::Ndjson | MediaType::Jsonl => write_json_line_errors(&mut out, messages, b""),
        MediaType::JsonSeq => write_json_line_errors(&mut out, messages, RECORD_SEPARATOR),
    }
    out
}

/// The JSON error envelope with HTML-safe escaping (`=` `'` `<` `>` `&` as `\u003d` ...),
/// byte-identical to the classic reference's Gson output (raw-text suites compare it).
pub fn errors_json_html_safe(messages: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(messages.iter().map(|m| m.len() + 8).sum::<usize>() + 24);
    write_json_errors(&mut out, messages, true);
    out
}

/// The iCalendar VTODO answered for `text/calendar` (lines joined by CRLF, no trailing CRLF).
pub fn calendar(todo: &Todo) -> Vec<u8> {
    let mut out = Vec::with_capacity(200 + 2 * (todo.title.len() + todo.description.len()));
    out.extend_from_slice(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    out.extend_from_slice(b"PRODID:-//EvilTester//API Challenges//EN\r\n");
    out.extend_from_slice(b"BEGIN:VTODO\r\nUID:todo-");
    write_u64(&mut out, todo.id);
    out.extend_from_slice(b"@apichallenges\r\nSUMMARY:");
    write_calendar_text(&mut out, &todo.title);
    out.extend_from_slice(b"\r\nDESCRIPTION:");
    write_calendar_text(&mut out, &todo.description);
    out.extend_from_slice(b"\r\nSTATUS:");
    out.extend_from_slice(if todo.done_status {
        b"COMPLETED".as_slice()
    } else {
        b"NEEDS-ACTION".as_slice()
    });
    out.extend_from_slice(b"\r\nEND:VTODO\r\nEND:VCALENDAR");
    out
}

/// An export format of `GET /todos/export?format=`: its media type and download name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportFormat {
    pub media: &'static str,
    pub file_name: &'static str,
}

impl ExportFormat {
    /// The `Content-Disposition` header value, e.g. `attachment; filename="todos.csv"`.
    pub fn content_disposition(&self) -> String {
        format!("attachment; filename=\"{}\"", self.file_name)
    }
}

/// The 400 message for a missing or unknown `?format=`, as the reference words it.
pub const UNSUPPORTED_EXPORT_FORMAT: &str = "Unsupported export format. Use one of: json, xml, text-xml, csv, text, html, ndjson, jsonl, json-seq, tsv";

/// One row of the export table: the accepted `format` values and what they give.
struct ExportRow {
    aliases: &'static [&'static str],
    format: ExportFormat,
    media: fn() -> MediaType,
}

const fn export_row(
    aliases: &'static [&'static str],
    media: &'static str,
    file_name: &'static str,
    media_type: fn() -> MediaType,
) -> ExportRow {
    ExportRow {
        aliases,
        format: ExportFormat { media, file_name },
        media: media_type,
    }
}

const EXPORT_FORMATS: [ExportRow; 10] = [
    export_row(&["json"], "application/json", "todos.json", || {
        MediaType::Json
    }),
    export_row(&["xml"], "application/xml", "todos.xml", || MediaType::Xml),
    export_row(&["text-xml", "txml"], "text/xml", "todos.xml", || {
        MediaType::TextXml
    }),
    export_row(&["csv"], "text/csv", "todos.csv", || MediaType::Csv),
    export_row(&["text", "txt", "plain"], "text/plain", "todos.txt", || {
        MediaType::Plain
    }),
    export_row(&["html"], "text/html", "todos.html", || MediaType::Html),
    export_row(&["ndjson"], "application/x-ndjson", "todos.ndjson", || {
        MediaType::Ndjson
    }),
    export_row(&["jsonl"], "application/jsonl", "todos.jsonl", || {
        MediaType::Jsonl
    }),
    export_row(
        &["json-seq", "jsonseq"],
        "application/json-seq",
        "todos.json-seq",
        || MediaType::JsonSeq,
    ),
    export_row(
        &["tsv", "tab", "tabs", "tab-delimited", "tab-separated"],
        "text/tab-separated-values",
        "todos.tsv",
        || MediaType::Tsv,
    ),
];

/// Look up `?format=` (trimmed, case-insensitive). None → `UNSUPPORTED_EXPORT_FORMAT`.
pub fn export_format(value: &str) -> Option<(ExportFormat, MediaType)> {
    let wanted = value.trim_matches(|c: char| c <= ' ');
    EXPORT_FORMATS
        .iter()
        .find(|row| row.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted)))
        .map(|row| (row.format, (row.media)()))
}

/// The engine export format of `GET /challenger/database/{guid}`, spaced as the reference's:
/// `{"todos" : [{"id": 1, "title": "scan paperwork"}, ...]}` with default-valued optional
/// fields omitted.
pub fn database_export(todos: &[Todo]) -> String {
    let size: usize = todos
        .iter()
        .map(|t| 64 + t.title.len() + t.description.len())
        .sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(b"{\"todos\" : [");
    for (index, todo) in todos.iter().enumerate() {
        if index > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(b"{\"id\": ");
        write_u64(&mut out, todo.id);
        out.extend_from_slice(b", \"title\": ");
        write_json_str(&mut out, &todo.title);
        if todo.done_status {
            out.extend_from_slice(b", \"doneStatus\": true");
        }
        if !todo.description.is_empty() {
            out.extend_from_slice(b", \"description\": ");
            write_json_str(&mut out, &todo.description);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    into_string(out)
}

/// Escape text for XML content, as the reference's org.json does: the five markup
/// characters as named entities, and every character that is not a plain XML 1.0 text
/// character (including tab, CR, LF and C1 controls) as `&#x<hex>;`.
pub fn xml_escape(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 8);
    write_xml_escaped(&mut out, s);
    into_string(out)
}

// ---------------------------------------------------------------------------------------
// Shared writers
// ---------------------------------------------------------------------------------------

const RECORD_SEPARATOR: &[u8] = b"\x1e";

/// Enough room for most renderings without regrowing.
fn estimated_size(todos: &[&Todo]) -> usize {
    16 + todos
        .iter()
        .map(|t| 72 + t.title.len() + t.description.len())
        .sum::<usize>()
}

/// Our writers only ever push valid UTF-8 (copies of `&str` slices and ASCII).
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn write_u64(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    out.extend_from_slice(u64_digits(n, &mut digits));
}

/// The decimal digits of `n`, written into the end of `digits`.
fn u64_digits(mut n: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &digits[start..]
}

fn bool_text(value: bool) -> &'static [u8] {
    if value {
        b"true"
    } else {
        b"false"
    }
}

/// Copy `s` into `out`, replacing the chars `escape` has a replacement for. Unescaped
/// runs are copied in one go.
fn write_escaped<F>(out: &mut Vec<u8>, s: &str, mut escape: F)
where
    F: FnMut(char, &mut Vec<u8>) -> bool,
{
    let mut run_start = 0;
    let mut scratch = Vec::new();
    for (index, c) in s.char_indices() {
        scratch.clear();
        if escape(c, &mut scratch) {
            out.extend_from_slice(&s.as_bytes()[run_start..index]);
            out.extend_from_slice(&scratch);
            run_start = index + c.len_utf8();
        }
    }
    out.extend_from_slice(&s.as_bytes()[run_start..]);
}

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

const HEX: &[u8; 16] = b"0123456789abcdef";

/// For each byte: 0 = copy as is, `u` = `\u00xx`, anything else = that letter after `\`.
const JSON_ESCAPES: [u8; 256] = json_escape_table();

const fn json_escape_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut control = 0;
    while control < 0x20 {
        table[control] = b'u';
        control += 1;
    }
    table[0x08] = b'b';
    table[0x0c] = b'f';
    table[b'\t' as usize] = b't';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
}

/// A JSON string literal, escaped exactly as serde_json does (`\"` `\\` `\b` `\f` `\n`
/// `\r` `\t`, other controls as `\u00xx`).
fn write_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let escape = JSON_ESCAPES[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run_start..index]);
        if escape == b'u' {
            write_unicode_escape(out, u32::from(byte));
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        run_start = index + 1;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

/// As `write_json_str`, plus Gson's default HTML-safe escapes: `<` `>` `&` `=` `'` and
/// U+2028/U+2029 as `\uxxxx`.
fn write_json_str_html_safe(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    write_escaped(out, s, |c, scratch| {
        let code = u32::from(c);
        if matches!(c, '<' | '>' | '&' | '=' | '\'' | '\u{2028}' | '\u{2029}') {
            write_unicode_escape(scratch, code);
            return true;
        }
        let escape = if code < 0x80 {
            JSON_ESCAPES[code as usize]
        } else {
            0
        };
        match escape {
            0 => return false,
            b'u' => write_unicode_escape(scratch, code),
            letter => scratch.extend_from_slice(&[b'\\', letter]),
        }
        true
    });
    out.push(b'"');
}

/// `\u` and four lowercase hex digits (only ever called for code points below U+10000).
fn write_unicode_escape(out: &mut Vec<u8>, code: u32) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((code >> shift) & 0xf) as usize]);
    }
}

fn write_json_todo(out: &mut Vec<u8>, todo: &Todo) {
    out.extend_from_slice(b"{\"id\":");
    write_u64(out, todo.id);
    out.extend_from_slice(b",\"title\":");
    write_json_str(out, &todo.title);
    out.extend_from_slice(b",\"doneStatus\":");
    out.extend_from_slice(bool_text(todo.done_status));
    out.extend_from_slice(b",\"description\":");
    write_json_str(out, &todo.description);
    out.push(b'}');
}

fn write_json_list(out: &mut Vec<u8>, todos: &[&Todo]) {
    out.extend_from_slice(b"{\"todos\":[");
    for (index, todo) in todos.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_json_todo(out, todo);
    }
    out.extend_from_slice(b"]}");
}

/// One object per todo, each preceded by `prefix` and followed by `\n`.
fn write_json_lines(out: &mut Vec<u8>, todos: &[&Todo], prefix: &[u8]) {
    for todo in todos {
        out.extend_from_slice(prefix);
        write_json_todo(out, todo);
        out.push(b'\n');
    }
}

fn write_json_errors(out: &mut Vec<u8>, messages: &[&str], html_safe: bool) {
    out.extend_from_slice(b"{\"errorMessages\":[");
    for (index, message) in messages.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        if html_safe {
            write_json_str_html_safe(out, message);
        } else {
            write_json_str(out, message);
        }
    }
    out.extend_from_slice(b"]}");
}

fn write_json_line_errors(out: &mut Vec<u8>, messages: &[&str], prefix: &[u8]) {
    for message in messages {
        out.extend_from_slice(prefix);
        out.extend_from_slice(b"{\"errorMessage\":");
        write_json_str(out, message);
        out.extend_from_slice(b"}\n");
    }
}

// ---------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------

fn write_xml_escaped(out: &mut Vec<u8>, s: &str) {
    // Fast path: printable ASCII without markup characters is copied as is.
    let plain = s
        .bytes()
        .all(|b| matches!(b, 0x20..=0x7e) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''));
    if plain {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    write_escaped(out, s, |c, scratch| {
        let named: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            '\'' => b"&apos;",
            _ if is_plain_xml_char(c) => return false,
            _ => {
                scratch.extend_from_slice(format!("&#x{:x};", u32::from(c)).as_bytes());
                return true;
            }
        };
        scratch.extend_from_slice(named);
        true
    });
}

/// XML 1.0 characters org.json leaves as they are (tab, CR and LF are not among them).
fn is_plain_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// `<name>escaped</name>`, or `<name/>` for an empty value (as org.json renders it).
fn write_xml_element(out: &mut Vec<u8>, name: &str, value: &str) {
    out.push(b'<');
    out.extend_from_slice(name.as_bytes());
    if value.is_empty() {
        out.extend_from_slice(b"/>");
        return;
    }
    out.push(b'>');
    write_xml_escaped(out, value);
    out.extend_from_slice(b"</");
    out.extend_from_slice(name.as_bytes());
    out.push(b'>');
}

/// Element order doneStatus, description, id, title: the reference's (a hash-map order).
fn write_xml_todo(out: &mut Vec<u8>, todo: &Todo) {
    out.extend_from_slice(b"<todo><doneStatus>");
    out.extend_from_slice(bool_text(todo.done_status));
    out.extend_from_slice(b"</doneStatus>");
    write_xml_element(out, "description", &todo.description);
    out.extend_from_slice(b"<id>");
    write_u64(out, todo.id);
    out.extend_from_slice(b"</id>");
    write_xml_element(out, "title", &todo.title);
    out.extend_from_slice(b"</todo>");
}

fn write_xml_list(out: &mut Vec<u8>, todos: &[&Todo]) {
    out.extend_from_slice(b"<todos>");
    for todo in todos {
        write_xml_todo(out, todo);
    }
    out.extend_from_slice(b"</todos>");
}

fn write_xml_errors(out: &mut Vec<u8>, messages: &[&str]) {
    out.extend_from_slice(b"<errorMessages>");
    for message in messages {
        write_xml_element(out, "errorMessage", message);
    }
    out.extend_from_slice(b"</errorMessages>");
}

// ---------------------------------------------------------------------------------------
// CSV, TSV, plain text, HTML
// ---------------------------------------------------------------------------------------

/// The four column values of a todo as text.
fn write_field_values(todo: &Todo, mut field: impl FnMut(&str)) {
    let mut digits = [0u8; 20];
    field(std::str::from_utf8(u64_digits(todo.id, &mut digits)).unwrap_or("0"));
    field(&todo.title);
    field(if todo.done_status { "true" } else { "false" });
    field(&todo.description);
}

/// RFC 4180: quote values containing `"`, `,`, CR or LF, doubling inner quotes.
fn write_csv_field(out: &mut Vec<u8>, value: &str) {
    if !value.contains(['"', ',', '\r', '\n']) {
        out.extend_from_slice(value.as_bytes());
        return;
    }
    out.push(b'"');
    write_escaped(out, value, |c, scratch| {
        if c == '"' {
            scratch.extend_from_slice(b"\"\"");
        }
        c == '"'
    });
    out.push(b'"');
}

/// Backslash escapes for tab, CR, LF and backslash itself.
fn write_tsv_field(out: &mut Vec<u8>, value: &str) {
    write_escaped(out, value, |c, scratch| {
        let replacement: &[u8] = match c {
            '\\' => b"\\\\",
            '\t' => b"\\t",
            '\r' => b"\\r",
            '\n' => b"\\n",
            _ => return false,
        };
        scratch.extend_from_slice(replacement);
        true
    });
}

/// Header line then one line per todo, joined by `\n` (no trailing newline).
fn write_delimited(
    out: &mut Vec<u8>,
    todos: &[&Todo],
    delimiter: u8,
    write_field: fn(&mut Vec<u8>, &str),
) {
    for (index, name) in FIELD_NAMES.iter().enumerate() {
        if index > 0 {
            out.push(delimiter);
        }
        write_field(out, name);
    }
    for todo in todos {
        out.push(b'\n');
        let mut first = true;
        write_field_values(todo, |value| {
            if !first {
                out.push(delimiter);
            }
            first = false;
            write_field(out, value);
        });
    }
}

fn write_delimited_errors(
    out: &mut Vec<u8>,
    messages: &[&str],
    write_field: fn(&mut Vec<u8>, &str),
) {
    out.extend_from_slice(b"errorMessage");
    for message in messages {
        out.push(b'\n');
        write_field(out, message);
    }
}

/// Plain text keeps each record on one line: backslash, CR and LF are escaped.
fn write_plain_text(out: &mut Vec<u8>, value: &str) {
    write_escaped(out, value, |c, scratch| {
        let replacement: &[u8] = match c {
            '\\' => b"\\\\",
            '\r' => b"\\r",
            '\n' => b"\\n",
            _ => return false,
        };
        scratch.extend_from_slice(replacement);
        true
    });
}

/// `id=1, title=..., doneStatus=false, description=...`, one line per todo.
fn write_plain(out: &mut Vec<u8>, todos: &[&Todo]) {
    for (line, todo) in todos.iter().enumerate() {
        if line > 0 {
            out.push(b'\n');
        }
        let mut names = FIELD_NAMES.iter();
        write_field_values(todo, |value| {
            let name = names.next().copied().unwrap_or("");
            if name != FIELD_NAMES[0] {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(name.as_bytes());
            out.push(b'=');
            write_plain_text(out, value);
        });
    }
}

fn write_html_escaped(out: &mut Vec<u8>, value: &str) {
    write_escaped(out, value, |c, scratch| {
        let replacement: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            '\'' => b"&#39;",
            _ => return false,
        };
        scratch.extend_from_slice(replacement);
        true
    });
}

fn write_html_cell(out: &mut Vec<u8>, tag: &[u8], value: &str) {
    out.push(b'<');
    out.extend_from_slice(tag);
    out.push(b'>');
    write_html_escaped(out, value);
    out.extend_from_slice(b"</");
    out.extend_from_slice(tag);
    out.push(b'>');
}

/// A bare table: a header row of field names, then one row per todo.
fn write_html_table(out: &mut Vec<u8>, todos: &[&Todo]) {
    out.extend_from_slice(b"<table><thead><tr>");
    for name in FIELD_NAMES {
        write_html_cell(out, b"th", name);
    }
    out.extend_from_slice(b"</tr></thead><tbody>");
    for todo in todos {
        out.extend_from_slice(b"<tr>");
        write_field_values(todo, |value| write_html_cell(out, b"td", value));
        out.extend_from_slice(b"</tr>");
    }
    out.extend_from_slice(b"</tbody></table>");
}

// ---------------------------------------------------------------------------------------
// iCalendar
// ---------------------------------------------------------------------------------------

/// RFC 5545 text: `\` `,` `;` escaped, and every line break (CRLF, CR, LF) as `\n`.
fn write_calendar_text(out: &mut Vec<u8>, value: &str) {
    let mut after_cr = false;
    write_escaped(out, value, |c, scratch| {
        let was_after_cr = std::mem::replace(&mut after_cr, c == '\r');
        let replacement: &[u8] = match c {
            '\\' => b"\\\\",
            ',' => b"\\,",
            ';' => b"\\;",
            '\r' => b"\\n",
            // The LF of a CRLF was already written as the CR's `\n`.
            '\n' if was_after_cr => b"",
            '\n' => b"\\n",
            _ => return false,
        };
        scratch.extend_from_slice(replacement);
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(id: u64, title: &str, done: bool, description: &str) -> Todo {
        Todo {
            id,
            title: title.to_string(),
            done_status: done,
            description: description.to_string(),
        }
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).expect("renderers write UTF-8")
    }

    fn two() -> [Todo; 2] {
        [
            todo(1, "scan paperwork", false, ""),
            todo(12, "a, \"b\"", true, "line1\nline2"),
        ]
    }

    fn list(format: MediaType) -> String {
        let [a, b] = two();
        text(todo_list(&[&a, &b], &format))
    }

    fn empty(format: MediaType) -> String {
        text(todo_list(&[], &format))
    }

    #[test]
    fn json_list_item_and_empty() {
        assert_eq!(
            list(MediaType::Json),
            r#"{"todos":[{"id":1,"title":"scan paperwork","doneStatus":false,"description":""},{"id":12,"title":"a, \"b\"","doneStatus":true,"description":"line1\nline2"}]}"#
        );
        assert_eq!(empty(MediaType::Json), r#"{"todos":[]}"#);
        let one = todo(3, "t", false, "d");
        assert_eq!(
            text(todo_item(&one, &MediaType::Json)),
            r#"{"id":3,"title":"t","doneStatus":false,"description":"d"}"#
        );
    }

    #[test]
    fn json_escaping_matches_serde_json() {
        let tricky = "q\"b\\s/\u{0}\u{1f}\u{8}\u{c}\t\r\n<=>&'\u{7f}\u{e9}\u{2028}😀";
        let mut out = Vec::new();
        write_json_str(&mut out, tricky);
        let expected = serde_json::to_string(tricky).expect("serialisable");
        assert_eq!(text(out), expected);
        let parsed: serde_json::Value = serde_json::from_slice(&todo_item(
            &todo(1, tricky, false, tricky),
            &MediaType::Json,
        ))
        .expect("valid JSON");
        assert_eq!(parsed["title"], tricky);
    }

    #[test]
    fn html_safe_json_errors() {
        assert_eq!(
            text(errors_json_html_safe(&[
                "id == 5 <a> & 'b'\u{2028}\u{2029}"
            ])),
            r#"{"errorMessages":["id \u003d\u003d 5 \u003ca\u003e \u0026 \u0027b\u0027\u2028\u2029"]}"#
        );
    }

    #[test]
    fn xml_list_item_and_empty() {
        let xml = "<todos><todo><doneStatus>false</doneStatus><description/><id>1</id><title>scan paperwork</title></todo><todo><doneStatus>true</doneStatus><description>line1&#xa;line2</description><id>12</id><title>a, &quot;b&quot;</title></todo></todos>";
        assert_eq!(list(MediaType::Xml), xml);
        assert_eq!(list(MediaType::TextXml), xml);
        assert_eq!(
            list(MediaType::StructuredXml("application/todo+xml".into())),
            xml
        );
        assert_eq!(empty(MediaType::Xml), "<todos></todos>");
        assert_eq!(
            text(todo_item(&todo(1, "scan paperwork", false, ""), &MediaType::Xml)),
            "<todo><doneStatus>false</doneStatus><description/><id>1</id><title>scan paperwork</title></todo>"
        );
    }

    #[test]
    fn xml_escaping_follows_org_json() {
        assert_eq!(
            xml_escape("a&b<c>d\"e'f"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f"
        );
        assert_eq!(xml_escape("t\tn\nr\r"), "t&#x9;n&#xa;r&#xd;");
        assert_eq!(
            xml_escape("\u{0}\u{1f}\u{7f}\u{85}\u{ffff}"),
            "&#x0;&#x1f;&#x7f;&#x85;&#xffff;"
        );
        assert_eq!(xml_escape("café 😀 plain"), "café 😀 plain");
        assert_eq!(xml_escape(""), "");
    }

    #[test]
    fn csv_rendering() {
        assert_eq!(
            list(MediaType::Csv),
            "id,title,doneStatus,description\n1,scan paperwork,false,\n12,\"a, \"\"b\"\"\",true,\"line1\nline2\""
        );
        assert_eq!(empty(MediaType::Csv), "id,title,doneStatus,description");
        assert_eq!(
            text(todo_item(&todo(2, "x\ry", false, ""), &MediaType::Csv)),
            "id,title,doneStatus,description\n2,\"x\ry\",false,"
        );
    }

    #[test]
    fn tsv_rendering() {
        let tabby = todo(5, "a\tb", false, "c\\d\r\ne");
        assert_eq!(
            text(todo_item(&tabby, &MediaType::Tsv)),
            "id\ttitle\tdoneStatus\tdescription\n5\ta\\tb\tfalse\tc\\\\d\\r\\ne"
        );
        assert_eq!(
            list(MediaType::Tsv),
            "id\ttitle\tdoneStatus\tdescription\n1\tscan paperwork\tfalse\t\n12\ta, \"b\"\ttrue\tline1\\nline2"
        );
        assert_eq!(empty(MediaType::Tsv), "id\ttitle\tdoneStatus\tdescription");
    }

    #[test]
    fn plain_text_rendering() {
        assert_eq!(
            list(MediaType::Plain),
            "id=1, title=scan paperwork, doneStatus=false, description=\nid=12, title=a, \"b\", doneStatus=true, description=line1\\nline2"
        );
        assert_eq!(empty(MediaType::Plain), "");
        assert_eq!(
            text(todo_item(&todo(3, "a\\b\r", true, ""), &MediaType::Plain)),
            "id=3, title=a\\\\b\\r, doneStatus=true, description="
        );
    }

    #[test]
    fn html_rendering() {
        let head = "<table><thead><tr><th>id</th><th>title</th><th>doneStatus</th><th>description</th></tr></thead><tbody>";
        assert_eq!(empty(MediaType::Html), format!("{head}</tbody></table>"));
        assert_eq!(
            text(todo_item(&todo(4, "<b>&'\"", false, "x"), &MediaType::Html)),
            format!("{head}<tr><td>4</td><td>&lt;b&gt;&amp;&#39;&quot;</td><td>false</td><td>x</td></tr></tbody></table>")
        );
        assert_eq!(
            list(MediaType::Html),
            format!("{head}<tr><td>1</td><td>scan paperwork</td><td>false</td><td></td></tr><tr><td>12</td><td>a, &quot;b&quot;</td><td>true</td><td>line1\nline2</td></tr></tbody></table>")
        );
    }

    #[test]
    fn line_delimited_json_rendering() {
        let lines = "{\"id\":1,\"title\":\"scan paperwork\",\"doneStatus\":false,\"description\":\"\"}\n{\"id\":12,\"title\":\"a, \\\"b\\\"\",\"doneStatus\":true,\"description\":\"line1\\nline2\"}\n";
        assert_eq!(list(MediaType::Ndjson), lines);
        assert_eq!(list(MediaType::Jsonl), lines);
        assert_eq!(empty(MediaType::Ndjson), "");
        assert_eq!(
            text(todo_item(&todo(1, "t", false, ""), &MediaType::JsonSeq)),
            "\u{1e}{\"id\":1,\"title\":\"t\",\"doneStatus\":false,\"description\":\"\"}\n"
        );
        assert_eq!(
            list(MediaType::JsonSeq),
            "\u{1e}{\"id\":1,\"title\":\"scan paperwork\",\"doneStatus\":false,\"description\":\"\"}\n\u{1e}{\"id\":12,\"title\":\"a, \\\"b\\\"\",\"doneStatus\":true,\"description\":\"line1\\nline2\"}\n"
        );
        assert_eq!(empty(MediaType::JsonSeq), "");
    }

    #[test]
    fn calendar_rendering() {
        let expected = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//EvilTester//API Challenges//EN\r\nBEGIN:VTODO\r\nUID:todo-7@apichallenges\r\nSUMMARY:scan paperwork\r\nDESCRIPTION:\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR";
        let plain = todo(7, "scan paperwork", false, "");
        assert_eq!(text(calendar(&plain)), expected);
        assert_eq!(text(todo_item(&plain, &MediaType::Calendar)), expected);
        let done = text(calendar(&todo(8, "t", true, "")));
        assert!(done.contains("\r\nSTATUS:COMPLETED\r\n"), "{done}");
    }

    #[test]
    fn calendar_escaping() {
        let tricky = todo(1, "a,b;c\\d", false, "l1\r\nl2\rl3\nl4\n\r");
        let body = text(calendar(&tricky));
        assert!(body.contains("\r\nSUMMARY:a\\,b\\;c\\\\d\r\n"), "{body}");
        assert!(
            body.contains("\r\nDESCRIPTION:l1\\nl2\\nl3\\nl4\\n\\n\r\n"),
            "{body}"
        );
    }

    #[test]
    fn error_bodies_per_format() {
        let messages = ["first <one>", "b,\"c\"\td"];
        let render = |format: MediaType| text(errors(&messages, &format));
        let json = r#"{"errorMessages":["first <one>","b,\"c\"\td"]}"#;
        assert_eq!(render(MediaType::Json), json);
        assert_eq!(render(MediaType::Calendar), json);
        let xml = "<errorMessages><errorMessage>first &lt;one&gt;</errorMessage><errorMessage>b,&quot;c&quot;&#x9;d</errorMessage></errorMessages>";
        assert_eq!(render(MediaType::Xml), xml);
        assert_eq!(render(MediaType::TextXml), xml);
        assert_eq!(
            render(MediaType::StructuredXml("application/todo+xml".into())),
            xml
        );
        assert_eq!(
            render(MediaType::Csv),
            "errorMessage\nfirst <one>\n\"b,\"\"c\"\"\td\""
        );
        assert_eq!(
            render(MediaType::Tsv),
            "errorMessage\nfirst <one>\nb,\"c\"\\td"
        );
        let lines = "{\"errorMessage\":\"first <one>\"}\n{\"errorMessage\":\"b,\\\"c\\\"\\td\"}\n";
        assert_eq!(render(MediaType::Ndjson), lines);
        assert_eq!(render(MediaType::Jsonl), lines);
        assert_eq!(
            render(MediaType::JsonSeq),
            "\u{1e}{\"errorMessage\":\"first <one>\"}\n\u{1e}{\"errorMessage\":\"b,\\\"c\\\"\\td\"}\n"
        );
        assert_eq!(render(MediaType::Html), json);
        assert_eq!(render(MediaType::Plain), json);
    }

    #[test]
    fn error_edge_cases() {
        assert_eq!(
            text(errors(&[], &MediaType::Json)),
            r#"{"errorMessages":[]}"#
        );
        assert_eq!(
            text(errors(&[], &MediaType::Xml)),
            "<errorMessages></errorMessages>"
        );
        assert_eq!(
            text(errors(&[""], &MediaType::Xml)),
            "<errorMessages><errorMessage/></errorMessages>"
        );
        assert_eq!(text(errors(&["x"], &MediaType::Csv)), "errorMessage\nx");
    }

    #[test]
    fn export_format_aliases() {
        let cases = [
            ("json", "application/json", "todos.json", MediaType::Json),
            ("xml", "application/xml", "todos.xml", MediaType::Xml),
            ("text-xml", "text/xml", "todos.xml", MediaType::TextXml),
            ("txml", "text/xml", "todos.xml", MediaType::TextXml),
            ("csv", "text/csv", "todos.csv", MediaType::Csv),
            ("text", "text/plain", "todos.txt", MediaType::Plain),
            ("txt", "text/plain", "todos.txt", MediaType::Plain),
            ("plain", "text/plain", "todos.txt", MediaType::Plain),
            ("html", "text/html", "todos.html", MediaType::Html),
            (
                "ndjson",
                "application/x-ndjson",
                "todos.ndjson",
                MediaType::Ndjson,
            ),
            (
                "jsonl",
                "application/jsonl",
                "todos.jsonl",
                MediaType::Jsonl,
            ),
            (
                "json-seq",
                "application/json-seq",
                "todos.json-seq",
                MediaType::JsonSeq,
            ),
            (
                "jsonseq",
                "application/json-seq",
                "todos.json-seq",
                MediaType::JsonSeq,
            ),
            (
                "tsv",
                "text/tab-separated-values",
                "todos.tsv",
                MediaType::Tsv,
            ),
            (
                "tab",
                "text/tab-separated-values",
                "todos.tsv",
                MediaType::Tsv,
            ),
            (
                "tabs",
                "text/tab-separated-values",
                "todos.tsv",
                MediaType::Tsv,
            ),
            (
                "tab-delimited",
                "text/tab-separated-values",
                "todos.tsv",
                MediaType::Tsv,
            ),
            (
                "tab-separated",
                "text/tab-separated-values",
                "todos.tsv",
                MediaType::Tsv,
            ),
            ("  CSV ", "text/csv", "todos.csv", MediaType::Csv),
            (
                "Json-Seq",
                "application/json-seq",
                "todos.json-seq",
                MediaType::JsonSeq,
            ),
        ];
        for (value, media, file_name, media_type) in cases {
            let found = export_format(value);
            assert_eq!(
                found,
                Some((ExportFormat { media, file_name }, media_type.clone())),
                "{value}"
            );
            // The export media string always equals the representation's Content-Type.
            assert_eq!(media, media_type.content_type());
        }
        for bad in ["", " ", "yaml", "calendar", "application/json", "tsvx"] {
            assert_eq!(export_format(bad), None, "{bad}");
        }
        let (csv, _) = export_format("csv").expect("csv is known");
        assert_eq!(
            csv.content_disposition(),
            "attachment; filename=\"todos.csv\""
        );
        assert_eq!(
            UNSUPPORTED_EXPORT_FORMAT,
            "Unsupported export format. Use one of: json, xml, text-xml, csv, text, html, ndjson, jsonl, json-seq, tsv"
        );
    }

    #[test]
    fn database_export_format() {
        let todos = [
            todo(1, "scan paperwork", false, ""),
            todo(2, "file paperwork", true, "x"),
            todo(30, "q\"uote", false, "back\\slash\n"),
        ];
        assert_eq!(
            database_export(&todos),
            r#"{"todos" : [{"id": 1, "title": "scan paperwork"}, {"id": 2, "title": "file paperwork", "doneStatus": true, "description": "x"}, {"id": 30, "title": "q\"uote", "description": "back\\slash\n"}]}"#
        );
        assert_eq!(database_export(&[]), r#"{"todos" : []}"#);
        let parsed: serde_json::Value =
            serde_json::from_str(&database_export(&todos)).expect("valid JSON");
        assert_eq!(parsed["todos"][2]["description"], "back\\slash\n");
    }

    #[test]
    fn large_ids_render_in_full() {
        let big = todo(u64::MAX, "t", false, "");
        assert_eq!(
            text(todo_item(&big, &MediaType::Json)),
            format!(
                "{{\"id\":{},\"title\":\"t\",\"doneStatus\":false,\"description\":\"\"}}",
                u64::MAX
            )
        );
        assert_eq!(
            text(todo_item(&todo(0, "t", false, ""), &MediaType::Csv)),
            "id,title,doneStatus,description\n0,t,false,"
        );
    }
}
