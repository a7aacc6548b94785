//! Writing practice-mode entities (simple API items, simulated entities, mirror
//! details) in the negotiated format. The todo writers in `todo::representation` know
//! only todos; these write any flat record whose fields are whole numbers, floats or
//! text, in the same shapes the engine gives every entity:
//!
//! * JSON: fields in definition order; a collection is `{"<plural>":[...]}`;
//! * XML: fields in the order the engine's JSON-to-XML step emits them (a Java hash
//!   map's order, fixed per entity and given by [`Kind::xml_order`]); a collection is
//!   `<plural><singular>..</singular>..</plural>`; an empty text is `<name/>`;
//! * the line and table formats (CSV, TSV, plain text, NDJSON/JSONL, json-seq, HTML)
//!   one record per row.
//!
//! Every text is escaped for its format; the HTML table escapes with
//! `site::html::escape`, so echoed client text can never become markup.

use crate::error::ApiError;
use crate::http::reply::Reply;
use crate::site::html;
use crate::todo::negotiation::MediaType;
use crate::todo::representation;
use hyper::StatusCode;

/// One field value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    Float(f32),
    Text(String),
}

impl Cell {
    /// The value as the engine shows it in text formats (floats the way Java prints them).
    pub fn text(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => java_float(*f),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// A record: field names (definition order) and values.
pub type Row = Vec<(&'static str, Cell)>;

/// What kind of record is being written: its element names and XML field order.
pub struct Kind {
    pub singular: &'static str,
    pub plural: &'static str,
    /// Indices into the row's fields, in XML output order.
    pub xml_order: &'static [usize],
}

/// Java's `Float.toString`: shortest text that reads back as the same float, always
/// with a fraction (`2.0`), and computerised scientific notation below 10^-3 or from
/// 10^7 up (`1.0E-4`).
pub fn java_float(value: f32) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-3..1e7).contains(&magnitude) {
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        return format!("{mantissa}E{exponent}");
    }
    let text = format!("{value}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

fn json_cell(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Int(n) => out.push_str(&n.to_string()),
        Cell::Float(f) if f.is_finite() => out.push_str(&java_float(*f)),
        Cell::Float(_) => out.push_str("null"),
        Cell::Text(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
    }
}

fn json_object(out: &mut String, row: &Row) {
    out.push('{');
    for (index, (name, cell)) in row.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        json_cell(out, cell);
    }
    out.push('}');
}

fn xml_object(out: &mut String, kind: &Kind, row: &Row) {
    out.push('<');
    out.push_str(kind.singular);
    out.push('>');
    for &index in kind.xml_order {
        let Some((name, cell)) = row.get(index) else {
            continue;
        };
        let text = cell.text();
        if text.is_empty() {
            out.push_str(&format!("<{name}/>"));
        } else {
            out.push_str(&format!(
                "<{name}>{}</{name}>",
                representation::xml_escape(&text)
            ));
        }
    }
    out.push_str("</");
    out.push_str(kind.singular);
    out.push('>');
}

/// RFC 4180 quoting for CSV; backslash escapes for TSV and plain text.
fn delimited_value(text: &str, separator: char) -> String {
    if separator == ',' {
        if text.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    } else {
        line_safe(text).replace('\t', "\\t")
    }
}

fn line_safe(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
}

fn field_names(rows: &[&Row]) -> Vec<&'static str> {
    rows.first()
        .map(|row| row.iter().map(|(name, _)| *name).collect())
        .unwrap_or_default()
}

fn write_rows(kind: &Kind, rows: &[&Row], format: &MediaType, as_list: bool) -> String {
    let mut out = String::new();
    match format {
        MediaType::Xml | MediaType::TextXml | MediaType::StructuredXml(_) => {
            if as_list {
                out.push_str(&format!("<{}>", kind.plural));
                for row in rows {
                    xml_object(&mut out, kind, row);
                }
                out.push_str(&format!("</{}>", kind.plural));
            } else if let Some(row) = rows.first() {
                xml_object(&mut out, kind, row);
            }
        }
        MediaType::Csv | MediaType::Tsv => {
            let separator = if *format == MediaType::Csv { ',' } else { '\t' };
            let names = field_names(rows);
            let mut lines = vec![names.join(&separator.to_string())];
            for row in rows {
                let values: Vec<String> = row
                    .iter()
                    .map(|(_, cell)| delimited_value(&cell.text(), separator))
                    .collect();
                lines.push(values.join(&separator.to_string()));
            }
            out = lines.join("\n");
        }
        MediaType::Plain => {
            let lines: Vec<String> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|(name, cell)| format!("{name}={}", line_safe(&cell.text())))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            out = lines.join("\n");
        }
        MediaType::Ndjson | MediaType::Jsonl | MediaType::JsonSeq => {
            for row in rows {
                if *format == MediaType::JsonSeq {
                    out.push('\u{1e}');
                }
                json_object(&mut out, row);
                out.push('\n');
            }
        }
        MediaType::Html => {
            out.push_str("<table><thead><tr>");
            for name in field_names(rows) {
                out.push_str(&format!("<th>{}</th>", html::escape(name)));
            }
            out.push_str("</tr></thead><tbody>");
            for row in rows {
                out.push_str("<tr>");
                for (_, cell) in row.iter() {
                    out.push_str(&format!("<td>{}</td>", html::escape(&cell.text())));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
        MediaType::Json | MediaType::Calendar => {
            if as_list {
                out.push_str(&format!("{{\"{}\":[", kind.plural));
                for (index, row) in rows.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    json_object(&mut out, row);
                }
                out.push_str("]}");
            } else if let Some(row) = rows.first() {
                json_object(&mut out, row);
            }
        }
    }
    out
}

/// The Content-Type a format is sent as (calendar is never on offer here).
fn content_type(format: &MediaType) -> &str {
    match format {
        MediaType::Calendar => "application/json",
        other => other.content_type(),
    }
}

/// One record as a reply.
pub fn one(status: StatusCode, kind: &Kind, row: &Row, format: &MediaType) -> Reply {
    let body = write_rows(kind, &[row], format, false);
    Reply::body(status, content_type(format), body)
}

/// A collection as a reply.
pub fn list(status: StatusCode, kind: &Kind, rows: &[&Row], format: &MediaType) -> Reply {
    let body = write_rows(kind, rows, format, true);
    Reply::body(status, content_type(format), body)
}

/// The error envelope in the negotiated format. Plain text is one message a line;
/// HTML (which has no error form) gets the JSON envelope labelled as JSON.
pub fn errors(status: StatusCode, messages: &[&str], format: &MediaType) -> Reply {
    if *format == MediaType::Plain {
        let lines: Vec<String> = messages.iter().map(|m| line_safe(m)).collect();
        return Reply::body(status, "text/plain", lines.join("\n"));
    }
    Reply::errors(status, messages, format)
}

/// A refusal with the engine's status for its kind, in the negotiated format.
pub fn refusal(error: &ApiError, format: &MediaType) -> Reply {
    let messages: Vec<&str> = error.messages.iter().map(String::as_str).collect();
    errors(error.kind.status(), &messages, format)
}

/// One error message in the negotiated format.
pub fn error(status: StatusCode, message: &str, format: &MediaType) -> Reply {
    errors(status, &[message], format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_java_does() {
        assert_eq!(java_float(2.0), "2.0");
        assert_eq!(java_float(1.64), "1.64");
        assert_eq!(java_float(97.99), "97.99");
        assert_eq!(java_float(50000.0), "50000.0");
        assert_eq!(java_float(0.0001), "1.0E-4");
        assert_eq!(java_float(0.0), "0.0");
    }

    #[test]
    fn xml_uses_the_given_order_and_self_closes_empty_text() {
        const KIND: Kind = Kind {
            singular: "entity",
            plural: "entities",
            xml_order: &[1, 2, 0],
        };
        let row: Row = vec![
            ("id", Cell::Int(1)),
            ("name", Cell::Text("a<b".into())),
            ("description", Cell::Text(String::new())),
        ];
        let reply = one(StatusCode::OK, &KIND, &row, &MediaType::Xml);
        assert_eq!(
            &reply.body[..],
            b"<entity><name>a&lt;b</name><description/><id>1</id></entity>"
        );
        let reply = list(StatusCode::OK, &KIND, &[], &MediaType::Json);
        assert_eq!(&reply.body[..], b"{\"entities\":[]}");
    }
}
