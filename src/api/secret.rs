//! `/secret/token` and `/secret/note`: Basic auth for a token, and a note the token
//! guards, read with `X-AUTH-TOKEN` or `Authorization: Bearer` (a valid Bearer wins).

use hyper::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use hyper::StatusCode;
use serde_json::Value;

use crate::api::challenger::MAX_NOTE;
use crate::api::request::{ApiRequest, Requester};
use crate::api::todos::Answer;
use crate::app::App;
use crate::challenges::profile::{Behaviour, NoteTooLong};
use crate::error::{ApiError, ErrorKind};
use crate::http::reply::Reply;
use crate::todo::input::{BodySyntax, ValidationRules};
use crate::todo::lenient_json;
use crate::todo::negotiation::{self, BodyKind, MediaType, Offer};
use crate::todo::representation::xml_escape;
use crate::todo::MAX_BODY;

/// The token of the read-only mode (multi-user, no `X-CHALLENGER` at all).
pub const READ_ONLY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";
const READ_ONLY_NOTE: &str = "This is the read-only secret note.";
const BASIC_REALM: &str = "Basic realm=\"User Visible Realm\"";

/// True when `Authorization` carries Basic credentials admin/password.
fn has_admin_credentials(req: &ApiRequest) -> bool {
    let Some(value) = req.header(hyper::header::AUTHORIZATION) else {
        return false;
    };
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or("");
    let encoded = parts.next().unwrap_or("").trim();
    scheme.eq_ignore_ascii_case("basic")
        && decode_base64(encoded).is_some_and(|c| c == b"admin:password")
}

/// Standard base64 (padding optional); None on any invalid character.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

fn basic_challenge(req: &ApiRequest) -> Reply {
    let widget = req
        .header("x-api-challenges-live-widget")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let reply = Reply::empty(StatusCode::UNAUTHORIZED);
    if widget {
        reply
    } else {
        reply.with_header(WWW_AUTHENTICATE, BASIC_REALM)
    }
}

/// `POST /secret/token`.
pub fn create_token(req: &ApiRequest, who: &Requester) -> Answer {
    if !has_admin_credentials(req) {
        return Ok(basic_challenge(req));
    }
    Ok(match &who.entry {
        Some(entry) => {
            let token = entry.state.lock().auth_token.to_string();
            Reply::empty(StatusCode::CREATED).with_header(x_auth_token(), &token)
        }
        None => Reply::empty(StatusCode::UNAUTHORIZED),
    })
}

fn x_auth_token() -> hyper::header::HeaderName {
    hyper::header::HeaderName::from_static("x-auth-token")
}

/// `GET /secret/token`.
pub fn get_token(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    if !has_admin_credentials(req) {
        return Ok(basic_challenge(req));
    }
    let token = match &who.entry {
        Some(entry) => entry.state.lock().auth_token.to_string(),
        None if app.config.multi_user && req.header("x-challenger").is_none() => {
            READ_ONLY_TOKEN.to_string()
        }
        None => return Ok(Reply::empty(StatusCode::UNAUTHORIZED)),
    };
    let body = serde_json::json!({ "token": token }).to_string();
    Ok(Reply::json(StatusCode::OK, body).with_header(x_auth_token(), &token))
}

/// The token a note request presents: a well-formed Bearer credential wins over
/// `X-AUTH-TOKEN`.
fn presented_token<'a>(req: &'a ApiRequest) -> Option<&'a str> {
    bearer_token(req).or_else(|| req.header("x-auth-token"))
}

fn bearer_token<'a>(req: &'a ApiRequest) -> Option<&'a str> {
    let value = req.header(hyper::header::AUTHORIZATION)?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Whose note a request may see: the learner's, the read-only one, or a refusal.
enum NoteAccess {
    Learner(crate::learners::registry::LearnerRef),
    ReadOnly,
    Refused(StatusCode),
}

fn note_access(app: &App, req: &ApiRequest, who: &Requester, allow_read_only: bool) -> NoteAccess {
    let allow_read_only = allow_read_only && req.behaviour.note_read_only_mode;
    let token = presented_token(req);
    match &who.entry {
        Some(entry) => match token {
            None => NoteAccess::Refused(StatusCode::UNAUTHORIZED),
            Some(t) if t == entry.state.lock().auth_token.to_string() => {
                NoteAccess::Learner(entry.clone())
            }
            Some(_) => NoteAccess::Refused(StatusCode::FORBIDDEN),
        },
        None if allow_read_only
            && app.config.multi_user
            && req.header("x-challenger").is_none() =>
        {
            match token {
                None => NoteAccess::Refused(StatusCode::UNAUTHORIZED),
                Some(READ_ONLY_TOKEN) => NoteAccess::ReadOnly,
                Some(_) => NoteAccess::Refused(StatusCode::FORBIDDEN),
            }
        }
        None => NoteAccess::Refused(StatusCode::UNAUTHORIZED),
    }
}

/// An empty refusal; 401s invite a Bearer token where the profile does.
fn refusal(status: StatusCode, format: &MediaType, behaviour: &Behaviour) -> Reply {
    let content_type = if format.is_xml() {
        "application/xml"
    } else {
        "application/json"
    };
    let reply = Reply::empty(status).with_content_type(content_type);
    if status == StatusCode::UNAUTHORIZED && behaviour.note_bearer_challenge {
        reply.with_header(WWW_AUTHENTICATE, "Bearer")
    } else {
        reply
    }
}

fn note_body(note: &str, format: &MediaType) -> Reply {
    if format.is_xml() {
        let xml = if note.is_empty() {
            "<secretnote><note/></secretnote>".to_string()
        } else {
            format!("<secretnote><note>{}</note></secretnote>", xml_escape(note))
        };
        Reply::body(StatusCode::OK, "application/xml", xml)
    } else {
        Reply::json(
            StatusCode::OK,
            serde_json::json!({ "note": note }).to_string(),
        )
    }
}

/// Only JSON and XML are offered for notes.
fn note_format(req: &ApiRequest) -> Option<MediaType> {
    match req.negotiate(Offer::Standard) {
        Ok(MediaType::Json) => Some(MediaType::Json),
        Ok(f) if f.is_xml() => Some(MediaType::Xml),
        Ok(_) => Some(MediaType::Json),
        Err(_) => None,
    }
}

/// `GET`/`HEAD /secret/note`.
pub fn get_note(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let format = note_format(req);
    let note = match note_access(app, req, who, true) {
        // The reference names JSON before it looks at anything, so every refusal of a
        // read says JSON, whatever the Accept header.
        NoteAccess::Refused(status) => return Ok(refusal(status, &MediaType::Json, req.behaviour)),
        NoteAccess::ReadOnly => READ_ONLY_NOTE.to_string(),
        NoteAccess::Learner(entry) => entry.state.lock().note.clone(),
    };
    Ok(match format {
        Some(format) => note_body(&note, &format),
        None => Reply::empty(StatusCode::NOT_ACCEPTABLE).with_content_type("application/json"),
    })
}

/// `POST /secret/note`. Errors are rendered here, in the note's own format (JSON or
/// XML only), not the router's.
pub fn post_note(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    // A write names its error type only once the learner is known: the 406, the 415
    // and the 401 for an unknown learner come before it and name none.
    let Some(format) = note_format(req) else {
        return Ok(Reply::empty(StatusCode::NOT_ACCEPTABLE));
    };
    let b = req.behaviour;
    let kind = negotiation::body_kind_with(b.content_type, req.header(CONTENT_TYPE));
    if !matches!(kind, BodyKind::Json | BodyKind::Xml) {
        return Ok(Reply::empty(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let entry = match note_access(app, req, who, false) {
        NoteAccess::Learner(entry) => entry,
        NoteAccess::Refused(StatusCode::UNAUTHORIZED) if who.entry.is_none() => {
            let reply = Reply::empty(StatusCode::UNAUTHORIZED);
            return Ok(if b.note_bearer_challenge {
                reply.with_header(WWW_AUTHENTICATE, "Bearer")
            } else {
                reply
            });
        }
        NoteAccess::Refused(status) => return Ok(refusal(status, &format, b)),
        NoteAccess::ReadOnly => return Ok(refusal(StatusCode::FORBIDDEN, &format, b)),
    };
    match store_note(req, &entry) {
        Ok(stored) => Ok(note_body(&stored, &format)),
        Err(refused) => Ok(req.refusal(&refused, &format)),
    }
}

/// Read the note from the body and store it for the learner; returns what was stored.
fn store_note(
    req: &ApiRequest,
    entry: &crate::learners::registry::LearnerRef,
) -> Result<String, ApiError> {
    let b = req.behaviour;
    if req.body_too_large || req.body.len() > MAX_BODY {
        return Err(ApiError::new(ErrorKind::TooLarge, b.body_too_large));
    }
    let kind = negotiation::body_kind_with(b.content_type, req.header(CONTENT_TYPE));
    let note = read_note(kind, req.body, b)?;
    if b.note_too_long == NoteTooLong::Refuse && note.chars().count() > MAX_NOTE {
        return Err(ApiError::validation(format!(
            "Failed Validation: Maximum allowable length exceeded for note - maximum allowed is {MAX_NOTE}"
        )));
    }
    let stored: String = note.chars().take(MAX_NOTE).collect();
    let mut learner = entry.state.lock();
    learner.note = stored.clone();
    learner.touch_version();
    Ok(stored)
}

/// The `note` of a JSON or XML body; 400 for malformed syntax, 422 for a body that is
/// not exactly one `note` string (the profile's syntax and unknown-field wording).
fn read_note(kind: BodyKind, body: &[u8], b: &Behaviour) -> Result<String, ApiError> {
    let missing = || ApiError::validation("Failed Validation: note : field is mandatory");
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(missing());
    }
    if kind == BodyKind::Xml {
        return read_xml_note(body).ok_or_else(missing);
    }
    let invalid =
        || ApiError::malformed("Invalid Json Payload: please check the syntax of the request body");
    let value: Value = match b.body_syntax {
        BodySyntax::Current => serde_json::from_slice(body).map_err(|_| invalid())?,
        BodySyntax::Classic => std::str::from_utf8(body)
            .ok()
            .and_then(|text| lenient_json::parse(text).ok())
            .ok_or_else(invalid)?,
    };
    let Value::Object(fields) = value else {
        return Err(missing());
    };
    if let Some(other) = fields.keys().find(|k| *k != "note") {
        let prefix = match b.validation {
            ValidationRules::Current => "Failed Validation: ",
            ValidationRules::Classic => "",
        };
        return Err(ApiError::validation(format!(
            "{prefix}Could not find field: {other}"
        )));
    }
    match fields.get("note") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(ApiError::validation(format!(
            "Failed Validation: note should be STRING but was {}",
            json_kind(other)
        ))),
        None => Err(missing()),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bool(_) => "BOOLEAN",
        Value::Number(n) if n.is_i64() || n.is_u64() => "INTEGER",
        Value::Number(_) => "NUMERIC",
        Value::String(_) => "STRING",
        Value::Array(_) => "ARRAY",
        Value::Object(_) => "OBJECT",
    }
}

/// `<secretnote><note>text</note></secretnote>` (or a bare `<note>`).
fn read_xml_note(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let inner = text
        .strip_prefix("<secretnote>")
        .and_then(|t| t.strip_suffix("</secretnote>"))
        .unwrap_or(text)
        .trim();
    if inner == "<note/>" {
        return Some(String::new());
    }
    let note = inner.strip_prefix("<note>")?.strip_suffix("</note>")?;
    if note.contains('<') {
        return None;
    }
    Some(
        note.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_credentials() {
        assert_eq!(
            decode_base64("YWRtaW46cGFzc3dvcmQ=").as_deref(),
            Some(&b"admin:password"[..])
        );
        assert_eq!(
            decode_base64("YWRtaW46YWRtaW4=").as_deref(),
            Some(&b"admin:admin"[..])
        );
        assert_eq!(decode_base64("!!"), None);
    }

    #[test]
    fn notes_read_from_json_and_xml() {
        let b = &crate::challenges::profile::CURRENT.behaviour;
        assert_eq!(
            read_note(BodyKind::Json, br#"{"note":"hi"}"#, b),
            Ok("hi".into())
        );
        assert_eq!(
            read_note(BodyKind::Json, b"{", b).unwrap_err().kind,
            ErrorKind::Malformed
        );
        assert_eq!(
            read_note(BodyKind::Json, br#"{"x":"hi"}"#, b).unwrap_err(),
            ApiError::validation("Failed Validation: Could not find field: x")
        );
        assert_eq!(
            read_note(BodyKind::Json, b"", b).unwrap_err().kind,
            ErrorKind::Validation
        );
        assert_eq!(
            read_note(
                BodyKind::Xml,
                b"<secretnote><note>a &amp; b</note></secretnote>",
                b
            ),
            Ok("a & b".into())
        );
        assert_eq!(
            read_note(BodyKind::Xml, b"<other/>", b).unwrap_err().kind,
            ErrorKind::Validation
        );
    }

    #[test]
    fn classic_notes_are_lenient_and_unprefixed() {
        let b = &crate::challenges::profile::CLASSIC.behaviour;
        assert_eq!(
            read_note(BodyKind::Json, b"{'note': hi}", b),
            Ok("hi".into())
        );
        assert_eq!(
            read_note(BodyKind::Json, br#"{"x":"hi"}"#, b).unwrap_err(),
            ApiError::validation("Could not find field: x")
        );
    }
}
