//! The HTTP mirror: `/mirror/request` and `/mirror/raw` (and any path below them)
//! answer with a description of the request that was sent, so a learner can see what
//! their client really put on the wire. Nothing is stored.
//!
//! * request mode answers in the negotiated format: `{"details":"..."}` as JSON, a
//!   `<messageDetails>` element as XML, the bare description whenever `text/plain` is
//!   acceptable at all; an Accept that nothing matches gets JSON;
//! * raw mode always answers with the bare description as `text/plain`;
//! * HEAD answers as GET without the body, OPTIONS 204 with the `Allow` list;
//! * a body over [`MAX_BODY`] bytes is refused with 413 before anything is echoed;
//! * `GET /mirror` redirects to the mode's page.

use hyper::header::LOCATION;
use hyper::StatusCode;

use crate::http::reply::Reply;
use crate::practice::render::{self, Cell, Kind, Row};
use crate::practice::{too_large_message, with, PracticeRequest, MAX_BODY};
use crate::todo::negotiation::{predicates, MediaType};
use crate::todo::query::{url_decode, ListQuery};

/// The methods the mirror answers, as its OPTIONS lists them.
pub const ALLOW: &str = "GET, POST, PUT, DELETE, PATCH, QUERY, HEAD, OPTIONS, TRACE";

const DETAILS: Kind = Kind {
    singular: "messageDetails",
    plural: "messagesDetails",
    xml_order: &[0],
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Interpreted: negotiated format.
    Request,
    /// Always plain text.
    Raw,
}

fn style_of(path: &str) -> Option<Style> {
    let under = |base: &str| path == base || path.starts_with(&format!("{base}/"));
    if under("/mirror/request") {
        Some(Style::Request)
    } else if under("/mirror/raw") {
        Some(Style::Raw)
    } else {
        None
    }
}

/// Answer a `/mirror...` request.
pub fn handle(req: &PracticeRequest) -> Option<Reply> {
    if req.path == "/mirror" {
        return (req.method == "GET").then(|| {
            Reply::empty(StatusCode::FOUND).with_header(LOCATION, "/practice-modes/mirror")
        });
    }
    if let Some(reply) = crate::practice::pages::docs(req, "/mirror") {
        return Some(reply);
    }
    let style = style_of(req.path)?;
    match req.method {
        "OPTIONS" => Some(with(Reply::empty(StatusCode::NO_CONTENT), "allow", ALLOW)),
        "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "QUERY" | "TRACE" => {
            Some(mirror(req, style))
        }
        _ => None,
    }
}

fn mirror(req: &PracticeRequest, style: Style) -> Reply {
    let format = req.format_or_json();
    if req.body_too_large {
        return render::error(StatusCode::PAYLOAD_TOO_LARGE, &too_large_message(), &format);
    }
    let details = describe(req);
    // As the reference: any acceptable `text/plain` entry asks for the bare text, even
    // one a JSON entry would outrank.
    let asked_for_text = predicates::lists(req.header("accept"), "text/plain");
    if style == Style::Raw || asked_for_text || format == MediaType::Plain {
        return Reply::body(StatusCode::OK, "text/plain", details);
    }
    let row: Row = vec![("details", Cell::Text(details))];
    render::one(StatusCode::OK, &DETAILS, &row, &format)
}

/// The description both modes show: request line, query parameters as given and as
/// filters, headers, body.
pub fn describe(req: &PracticeRequest) -> String {
    let host = req.header("host").unwrap_or("localhost");
    let mut out = format!("{} http://{host}{}\n\n", req.method, req.path);
    out.push_str("Parsed Query Params\n============\n");
    let mut seen: Vec<String> = Vec::new();
    for pair in req.raw_query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = url_decode(name).into_owned();
        if seen.contains(&name) {
            continue;
        }
        out.push_str(&format!("{name}: {}\n", url_decode(value)));
        seen.push(name);
    }
    out.push_str("\nRaw Query Params\n============\n");
    for filter in ListQuery::parse(req.raw_query).filters {
        out.push_str(&format!(
            "{} {} {}\n",
            filter.field,
            filter.op.token(),
            filter.value
        ));
    }
    out.push_str(&format!("\nIP\n=======\n{}\n", req.peer.ip()));
    out.push_str("\nRaw Headers\n=======\n");
    for (name, value) in req.headers {
        out.push_str(&format!(
            "{}: {}\n",
            name,
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    out.push_str("\nProcessed Headers\n=======\n");
    for name in req.headers.keys() {
        let values: Vec<String> = req
            .headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        out.push_str(&format!("{name}: {}\n", values.join(", ")));
    }
    out.push_str("\nBody\n====\n");
    out.push_str(&String::from_utf8_lossy(req.body));
    out.push('\n');
    debug_assert!(req.body.len() <= MAX_BODY);
    out
}
