//! What every API handler sees: the parsed route, the request with its body read, and
//! the learner it identified. It sits below the pipeline and the handlers, so both use
//! it without using each other.

use std::borrow::Cow;

use hyper::header::{HeaderName, LOCATION};
use hyper::HeaderMap;

use crate::challenges::profile::{Behaviour, OverrideScope};
use crate::challenges::tracking::RequestFacts;
use crate::error::ApiError;
use crate::http::reply::Reply;
use crate::learners::registry::{LearnerId, LearnerRef};
use crate::todo::negotiation::{self, MediaType, NotAcceptable, Offer};
use crate::todo::MAX_BODY;

/// First path segments (after any `api/`) that make a path an API-challenge path.
pub const API_SEGMENTS: [&str; 6] = [
    "challenger",
    "todo",
    "todos",
    "challenges",
    "heartbeat",
    "secret",
];

/// Where a request path leads.
pub enum Target<'a> {
    /// An API-challenge path: normalised path, and whether it was under `/api`.
    Api { path: &'a str, canonical: bool },
    /// Under `/api` in a profile without the prefix (classic has root routes only): unknown.
    /// The shared docs pages (`/api/docs...`) stay site pages.
    Unrouted,
    /// Anything else.
    Site,
}

/// Classify a request path; `api_prefix` says whether `/api/...` routes exist.
pub fn classify(path: &str, api_prefix: bool) -> Target<'_> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let (rest, canonical) = match trimmed.strip_prefix("api/") {
        Some(rest) if !api_prefix => {
            let docs = rest == "docs" || rest.starts_with("docs/");
            return if docs { Target::Site } else { Target::Unrouted };
        }
        Some(rest) => (rest, true),
        None if trimmed == "api" && !api_prefix => return Target::Unrouted,
        None => (trimmed, false),
    };
    let first = rest.split('/').next().unwrap_or("");
    if API_SEGMENTS.contains(&first) {
        Target::Api {
            path: rest,
            canonical,
        }
    } else {
        Target::Site
    }
}

/// The API resources, parsed from a normalised path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    Todos,
    TodosExport,
    Todo(&'a str),
    Challenges,
    Challenger,
    ChallengerProgress(&'a str),
    ChallengerDatabase(&'a str),
    Heartbeat,
    SecretToken,
    SecretNote,
    Unknown,
}

impl<'a> Route<'a> {
    /// Parse a normalised path (no leading `/`, no `api/`). Trailing slashes and extra
    /// segments make a path unknown.
    pub fn parse(path: &'a str) -> Route<'a> {
        let mut parts = path.split('/');
        let first = parts.next().unwrap_or("");
        let second = parts.next();
        let third = parts.next();
        let rest = parts.next();
        let segment = |s: Option<&'a str>| s.filter(|s| !s.is_empty());
        match (first, segment(second), segment(third), rest) {
            ("todos", None, None, None) if second.is_none() => Route::Todos,
            ("todos", Some("export"), None, None) if third.is_none() => Route::TodosExport,
            ("todos", Some(id), None, None) if third.is_none() => Route::Todo(id),
            ("challenges", None, None, None) if second.is_none() => Route::Challenges,
            ("challenger", None, None, None) if second.is_none() => Route::Challenger,
            ("challenger", Some("database"), Some(guid), None) => Route::ChallengerDatabase(guid),
            ("challenger", Some(guid), None, None) if third.is_none() => {
                Route::ChallengerProgress(guid)
            }
            ("heartbeat", None, None, None) if second.is_none() => Route::Heartbeat,
            ("secret", Some("token"), None, None) if third.is_none() => Route::SecretToken,
            ("secret", Some("note"), None, None) if third.is_none() => Route::SecretNote,
            _ => Route::Unknown,
        }
    }
}

impl Route<'_> {
    /// The route as the running profile sees it: without the export route, `export`
    /// is just an id no todo has.
    pub fn in_profile(self, behaviour: &Behaviour) -> Self {
        match self {
            Route::TodosExport if !behaviour.todos_export => Route::Todo("export"),
            other => other,
        }
    }

    /// The largest body this route reads: challenger restores carry a whole saved
    /// learner, everything else at most a todo.
    pub fn body_limit(&self) -> usize {
        match self {
            Route::ChallengerProgress(_) | Route::ChallengerDatabase(_) => MAX_RESTORE_BODY,
            _ => MAX_BODY,
        }
    }

    /// Index of this route's label in `metrics::ROUTES`.
    pub fn metrics_index(&self) -> usize {
        match self {
            Route::Todos => 0,
            Route::TodosExport => 1,
            Route::Todo(_) => 2,
            Route::Challenges => 3,
            Route::Challenger => 4,
            Route::ChallengerProgress(_) => 5,
            Route::ChallengerDatabase(_) => 6,
            Route::Heartbeat => 7,
            Route::SecretToken => 8,
            Route::SecretNote => 9,
            Route::Unknown => 10,
        }
    }
}

/// Body limit for challenger restore payloads, which can exceed the todo limit.
pub const MAX_RESTORE_BODY: usize = 64 * 1024;

/// The `X-CHALLENGER` value sent when a request names no known learner.
pub const UNKNOWN_CHALLENGER: &str = "UNKNOWN CHALLENGER - Challenger not found";

pub static X_CHALLENGER: HeaderName = HeaderName::from_static("x-challenger");
static X_HTTP_METHOD_OVERRIDE: HeaderName = HeaderName::from_static("x-http-method-override");

/// One API request, with its body already read.
pub struct ApiRequest<'a> {
    /// The method as sent.
    pub real_method: &'a str,
    /// The method routed on: the real one, or the `X-HTTP-Method-Override` the
    /// profile honours.
    pub method: &'a str,
    /// Normalised path: no leading `/`, no leading `api/`.
    pub path: &'a str,
    /// The path parsed once, for the router and the pipeline.
    pub route: Route<'a>,
    /// True under `/api/...`, false on the legacy root routes.
    pub canonical: bool,
    /// The raw query string ("" when none).
    pub raw_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The body was larger than the route allows and was not read whole.
    pub body_too_large: bool,
    /// The running profile's behaviour.
    pub behaviour: &'static Behaviour,
    /// The client address limits count against (None when unknown).
    pub client: Option<std::net::IpAddr>,
}

impl ApiRequest<'_> {
    /// A request header as text.
    /// A request header as text. Pass a `HeaderName` constant on hot paths: a `&str`
    /// name is parsed on every lookup.
    pub fn header(&self, name: impl hyper::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn accept(&self) -> Option<&str> {
        self.header(hyper::header::ACCEPT)
    }

    /// The request's `X-CHALLENGER`, trimmed, when present and not blank.
    pub fn challenger_header(&self) -> Option<&str> {
        self.header(&X_CHALLENGER)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The response format under the profile's Accept rules.
    pub fn negotiate(&self, offer: Offer) -> Result<MediaType, NotAcceptable> {
        negotiation::negotiate_with(self.behaviour.accept, self.accept(), offer)
    }

    /// The request as the completion rules see it.
    pub fn facts(&self) -> RequestFacts<'_> {
        RequestFacts {
            method: self.real_method,
            path: self.path,
            raw_query: self.raw_query,
            headers: self.headers,
            body: self.body,
        }
    }

    /// A refusal as this request's answer: the profile's status for its kind, the
    /// body in `format`.
    pub fn refusal(&self, error: &ApiError, format: &MediaType) -> Reply {
        Reply::refusal(error, self.behaviour.status_of(error.kind), format)
    }

    /// The format errors should be rendered in: negotiated, JSON when nothing is
    /// acceptable.
    pub fn error_format(&self, offer: Offer) -> MediaType {
        self.negotiate(offer).unwrap_or(MediaType::Json)
    }

    /// The Content-Type the profile gives empty error answers (heartbeat non-204s,
    /// unknown routes): the first Accept entry, or None for the default.
    pub fn empty_answer_type(&self) -> Option<&str> {
        self.behaviour
            .first_accept_content_type
            .then(|| negotiation::classic::first_entry(self.accept()))
    }

    /// The Content-Type of the reference's fixed-status routes (the heartbeat, the
    /// 405s of the challenger, challenges, export and secret routes, unknown paths):
    /// the negotiated type, JSON when nothing matches, or (classic) the first Accept
    /// entry. Their answers are empty but still name a representation.
    pub fn fixed_status_type(&self) -> String {
        match self.empty_answer_type() {
            Some(first_entry) => first_entry.to_string(),
            None => self
                .error_format(Offer::Standard)
                .content_type()
                .to_string(),
        }
    }
}

/// The learner a request identified, if any.
#[derive(Default)]
pub struct Requester {
    pub entry: Option<LearnerRef>,
    pub id: Option<LearnerId>,
}

impl Requester {
    pub fn is_known(&self) -> bool {
        self.entry.is_some()
    }
}

/// The verbs a POST's `X-HTTP-Method-Override` may select; any other value is ignored.
const OVERRIDABLE: [&str; 9] = [
    "GET", "DELETE", "POST", "PUT", "HEAD", "QUERY", "OPTIONS", "PATCH", "TRACE",
];

/// The eight methods the classic server routed; anything else matched no route.
pub const STANDARD_METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE",
];

/// The method to route on. `PostOnly`: a POST's override header when it names a known
/// verb. `AnyMethod`: any request's override value, upper-cased, whatever it names.
pub fn effective_method<'a>(
    real: &'a str,
    headers: &'a HeaderMap,
    scope: OverrideScope,
) -> Cow<'a, str> {
    let value = headers
        .get(&X_HTTP_METHOD_OVERRIDE)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match (scope, value) {
        (OverrideScope::PostOnly, Some(value)) if real == "POST" => Cow::Borrowed(
            OVERRIDABLE
                .iter()
                .find(|verb| verb.eq_ignore_ascii_case(value))
                .copied()
                .unwrap_or(real),
        ),
        (OverrideScope::AnyMethod, Some(value)) if !value.is_empty() => {
            Cow::Owned(value.to_ascii_uppercase())
        }
        _ => Cow::Borrowed(real),
    }
}

/// The `Location` of the learner's progress page.
pub fn gui_location(id: &LearnerId) -> String {
    match id {
        LearnerId::SinglePlayer => "/gui/challenges".to_string(),
        LearnerId::Guid(_) => format!("/gui/challenges/{id}"),
    }
}

/// Set `Location` on a reply.
pub fn set_location(reply: &mut Reply, location: &str) {
    reply.set_header(LOCATION, location);
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn api_path(path: &str) -> Option<(&str, bool)> {
        match classify(path, true) {
            Target::Api { path, canonical } => Some((path, canonical)),
            Target::Site | Target::Unrouted => None,
        }
    }

    #[test]
    fn without_the_prefix_api_paths_are_unrouted() {
        assert!(matches!(classify("/api/todos", false), Target::Unrouted));
        assert!(matches!(classify("/api", false), Target::Unrouted));
        assert!(matches!(
            classify("/todos", false),
            Target::Api {
                path: "todos",
                canonical: false
            }
        ));
        assert!(matches!(classify("/gui", false), Target::Site));
        assert!(matches!(classify("/api/docs", false), Target::Site));
        assert!(matches!(classify("/api/docs/swagger", false), Target::Site));
        assert!(matches!(classify("/api/docsx", false), Target::Unrouted));
    }

    #[test]
    fn api_paths_are_recognised_with_and_without_prefix() {
        assert_eq!(api_path("/api/todos/3"), Some(("todos/3", true)));
        assert_eq!(api_path("/todos"), Some(("todos", false)));
        assert_eq!(api_path("/api/todo"), Some(("todo", true)));
        assert_eq!(api_path("/challenger/x/y"), Some(("challenger/x/y", false)));
        assert_eq!(api_path("/api/docs"), None);
        assert_eq!(api_path("/gui/challenges"), None);
        assert_eq!(api_path("/"), None);
        assert_eq!(api_path("/todosx"), None);
    }

    #[test]
    fn paths_parse_to_routes() {
        use Route::*;
        assert_eq!(Route::parse("todos"), Todos);
        assert_eq!(Route::parse("todos/"), Unknown);
        assert_eq!(Route::parse("todos/export"), TodosExport);
        assert_eq!(Route::parse("todos/7"), Todo("7"));
        assert_eq!(Route::parse("todos/abc"), Todo("abc"));
        assert_eq!(Route::parse("todos/7/x"), Unknown);
        assert_eq!(Route::parse("todo"), Unknown);
        assert_eq!(Route::parse("challenger"), Challenger);
        assert_eq!(Route::parse("challenger/g"), ChallengerProgress("g"));
        assert_eq!(
            Route::parse("challenger/database/g"),
            ChallengerDatabase("g")
        );
        assert_eq!(
            Route::parse("challenger/database"),
            ChallengerProgress("database")
        );
        assert_eq!(Route::parse("challenger/x/y"), Unknown);
        assert_eq!(Route::parse("secret/note"), SecretNote);
        assert_eq!(Route::parse("secret"), Unknown);
        assert_eq!(Route::parse("heartbeat"), Heartbeat);
        assert_eq!(Route::parse("heartbeat/"), Unknown);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn override_applies_to_post_with_a_known_verb_only() {
        let post_only = OverrideScope::PostOnly;
        let h = headers(&[("x-http-method-override", " patch ")]);
        assert_eq!(effective_method("POST", &h, post_only), "PATCH");
        assert_eq!(effective_method("GET", &h, post_only), "GET");
        let h = headers(&[("x-http-method-override", "FETCH")]);
        assert_eq!(effective_method("POST", &h, post_only), "POST");
        assert_eq!(
            effective_method("POST", &HeaderMap::new(), post_only),
            "POST"
        );
    }

    #[test]
    fn classic_override_applies_to_any_method_and_value() {
        let any = OverrideScope::AnyMethod;
        let h = headers(&[("x-http-method-override", " delete ")]);
        assert_eq!(effective_method("POST", &h, any), "DELETE");
        assert_eq!(effective_method("GET", &h, any), "DELETE");
        let h = headers(&[("x-http-method-override", "fetch")]);
        assert_eq!(effective_method("PUT", &h, any), "FETCH");
        let h = headers(&[("x-http-method-override", " ")]);
        assert_eq!(effective_method("PUT", &h, any), "PUT");
        assert_eq!(effective_method("GET", &HeaderMap::new(), any), "GET");
    }
}
