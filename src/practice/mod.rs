//! Practice modes: APIs beside the challenges that learners use to warm up, with no
//! tracking. One module per mode:
//!
//! - `mirror`: `/mirror/request` and `/mirror/raw` echo the request back;
//! - `simpleapi`: `/simpleapi/items`, a small items API shared by every learner;
//! - `simulation`: `/sim/entities`, scripted answers for following a tutorial;
//! - `shop`: `/shop`, a shopping cart whose checkout has deliberate bugs to find
//!   (`--shop-bugs none` for clean business rules);
//! - `fromhell`: `/fromhell`, deliberately broken responses for judging REST clients
//!   (a few are written as raw bytes by `http::raw`);
//! - `pages`: the page of each mode under `/practice-modes/` and each mode's own API
//!   documents (`/<mode>/docs`, `/<mode>/docs/openapi.json`);
//! - `render`: writing their records in the negotiated format.
//!
//! What they may use: `http::Reply`, the todo negotiation and representation helpers
//! (Accept parsing, body decoding, XML escaping, list queries) and `site::html` for
//! pages. Never the API pipeline or the learners: a practice request counts towards
//! no challenge, touches no learner's todos and ignores `X-CHALLENGER`.

// Handlers return `Result<Reply, Reply>`: a refusal is itself the answer. Both sides are
// the same type, so boxing the error side would only add an allocation.
#![allow(clippy::result_large_err)]

use hyper::header::{HeaderName, HeaderValue};
use hyper::HeaderMap;
use hyper::StatusCode;

pub mod fromhell;
pub mod mirror;
pub mod pages;
pub mod render;
pub mod shop;
pub mod simpleapi;
pub mod simulation;

use crate::http::reply::Reply;
use crate::todo::negotiation::{negotiate, MediaType, Offer};

/// Largest request body a practice mode reads, in bytes: the mirror's limit, applied
/// to every mode so that none holds more than this of any client's body.
pub const MAX_BODY: usize = 24_000;

/// The message of the 413 a larger body gets.
pub fn too_large_message() -> String {
    format!("Error: request too large, max allowed is {MAX_BODY} bytes")
}

/// Which practice mode a path belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Mirror,
    SimpleApi,
    Simulation,
    Shop,
    FromHell,
    /// `/practice-modes/<mode>`: a mode's page.
    Page,
}

impl Mode {
    /// The largest body this mode reads.
    pub fn body_limit(self) -> usize {
        match self {
            Mode::Shop => shop::MAX_BODY,
            Mode::FromHell => 0,
            _ => MAX_BODY,
        }
    }
}

/// The practice mode a request path belongs to, if any.
pub fn classify(path: &str) -> Option<Mode> {
    let first = path.strip_prefix('/')?.split('/').next()?;
    match first {
        "mirror" => Some(Mode::Mirror),
        "simpleapi" => Some(Mode::SimpleApi),
        "sim" => Some(Mode::Simulation),
        "shop" => Some(Mode::Shop),
        "fromhell" => Some(Mode::FromHell),
        _ if path == shop::PAGE => Some(Mode::Shop),
        _ if path == fromhell::PAGE => Some(Mode::FromHell),
        "practice-modes" if pages::is_page(path) => Some(Mode::Page),
        _ => None,
    }
}

/// A request to a practice mode, body already read within [`MAX_BODY`].
pub struct PracticeRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub raw_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The body was larger than [`MAX_BODY`] (and so was not kept).
    pub body_too_large: bool,
    /// The client end of the connection.
    pub peer: std::net::SocketAddr,
}

impl PracticeRequest<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The negotiated response format, or the 406 with its message.
    pub fn format(&self) -> Result<MediaType, Reply> {
        negotiate(self.header("accept"), Offer::Standard)
            .map_err(|e| Reply::error(StatusCode::NOT_ACCEPTABLE, e.message(), &MediaType::Json))
    }

    /// The negotiated format, falling back to JSON when nothing acceptable is on offer
    /// (how the engine answers handlers that skip request validation).
    pub fn format_or_json(&self) -> MediaType {
        self.format().unwrap_or(MediaType::Json)
    }
}

/// State the practice modes keep between requests (only the simple API has any).
pub struct PracticeState {
    pub items: simpleapi::Items,
    pub shop: shop::Shop,
}

impl PracticeState {
    pub fn new(shop_bugs: shop::ShopBugs) -> PracticeState {
        PracticeState {
            items: simpleapi::Items::default(),
            shop: shop::Shop::new(shop_bugs),
        }
    }
}

/// Answer a practice request; `None` when the mode has nothing at that path or for
/// that method (the site 404 answers instead).
pub fn handle(state: &PracticeState, mode: Mode, req: &PracticeRequest) -> Option<Reply> {
    let reply = match mode {
        // Byte for byte as catalogued: nothing is added to these.
        Mode::FromHell => {
            return fromhell::handle(req.method, req.path, req.raw_query, req.headers)
        }
        Mode::Shop => state.shop.handle(req),
        Mode::Mirror => mirror::handle(req),
        Mode::SimpleApi => simpleapi::handle(&state.items, req),
        Mode::Simulation => simulation::handle(req),
        Mode::Page => pages::page(req),
    }?;
    Some(crate::site::html::no_sniff(reply))
}

/// `Allow` and other fixed headers.
pub(crate) fn with(mut reply: Reply, name: &'static str, value: &str) -> Reply {
    if let Ok(value) = HeaderValue::from_str(value) {
        reply.headers.insert(HeaderName::from_static(name), value);
    }
    reply
}

/// An answer with only a status and the negotiated Content-Type, as the engine's
/// fixed-status routes give (405 and 501 rows).
pub(crate) fn status_only(status: StatusCode, req: &PracticeRequest) -> Reply {
    let format = req.format_or_json();
    Reply::empty(status).with_content_type(format.content_type())
}

/// The request body's fields for a POST or PUT: JSON or XML (a missing Content-Type
/// reads as JSON), an XML root named `root` unwrapped. Refusals are the engine's: 415
/// `Unsupported Content Type - <value>`, 400 for a body that does not parse.
pub(crate) fn write_fields(
    req: &PracticeRequest,
    root: &str,
    format: &MediaType,
) -> Result<serde_json::Map<String, serde_json::Value>, Reply> {
    use crate::todo::input::{parse_body_with, BodySyntax};
    use crate::todo::negotiation::{body_kind, BodyKind};
    let content_type = req.header("content-type");
    let kind = match body_kind(content_type) {
        BodyKind::Missing => BodyKind::Json,
        kind @ (BodyKind::Json | BodyKind::Xml) => kind,
        _ => {
            let message = format!("Unsupported Content Type - {}", content_type.unwrap_or(""));
            return Err(render::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &message,
                format,
            ));
        }
    };
    let mut fields = parse_body_with(BodySyntax::Current, kind, req.body)
        .map_err(|e| render::refusal(&e, format))?;
    if kind == BodyKind::Xml && fields.len() == 1 {
        if let Some(serde_json::Value::Object(inner)) = fields.get(root) {
            fields = inner.clone();
        }
    }
    Ok(fields)
}

/// The engine's check of a QUERY request's Content-Type: 400 when missing, 415 when
/// not a query type; both say which types are accepted.
pub(crate) fn check_query_content_type(
    req: &PracticeRequest,
    format: &MediaType,
) -> Result<(), Reply> {
    use crate::todo::negotiation::{body_kind, BodyKind};
    let content_type = req.header("content-type");
    let refusal = match body_kind(content_type) {
        BodyKind::FormUrlEncoded | BodyKind::JsonPath | BodyKind::StructuredQuery => return Ok(()),
        BodyKind::Missing => render::error(
            StatusCode::BAD_REQUEST,
            "Missing Content-Type for QUERY request",
            format,
        ),
        _ => {
            let message = format!(
                "Unsupported QUERY Content Type - {}",
                content_type.unwrap_or("")
            );
            with(
                render::error(StatusCode::UNSUPPORTED_MEDIA_TYPE, &message, format),
                "accept",
                QUERY_TYPES,
            )
        }
    };
    Err(with(refusal, "accept-query", QUERY_TYPES))
}

/// The QUERY body types the engine lists in `Accept-Query` on a refusal.
pub const QUERY_TYPES: &str =
    "application/x-www-form-urlencoded, application/jsonpath, application/vnd.thingifier.query+json";
