//! The API pipeline: what happens to every request on an API-challenge path.
//!
//! 1. an oversized `X-CHALLENGER` is refused with 431 before anything else (when the
//!    profile checks it);
//! 2. the learner the request counts for is resolved;
//! 3. request-phase challenge rules run;
//! 4. the router picks a handler, which produces a [`Reply`];
//! 5. the `X-CHALLENGER` echo is added and response-phase rules run against the reply
//!    for the credited learner;
//! 6. CORS and the other cross-cutting headers are added.
//!
//! What differs between profiles is read from `app.profile.behaviour` (and, for the
//! request itself, `ApiRequest::behaviour`).

use hyper::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{HeaderMap, StatusCode};

use crate::api::request::{ApiRequest, Requester, Route, UNKNOWN_CHALLENGER, X_CHALLENGER};
use crate::app::App;
use crate::challenges::profile::{Behaviour, Cors};
use crate::http::reply::{Credit, Reply};
use crate::todo::negotiation::{MediaType, Offer};

use crate::challenges::tracking::{Exchange, LearnerFacts, ResponseFacts};
use crate::learners::registry::{LearnerId, LearnerRef, Progress, SINGLE_PLAYER};
use crate::todo::database::Database;
use crate::{api::not_found, api::router, todo::representation};
use serde_json::Value;

/// Challenges one request completed, per learner (the shared store writes exactly
/// these, so two instances completing different challenges at once keep both).
pub type Marks = Vec<(LearnerRef, Progress)>;

/// Run one API request through the pipeline.
pub fn process(app: &App, req: &ApiRequest) -> Reply {
    process_marking(app, req, &mut Marks::new())
}

/// Run one API request through the pipeline, adding to `marks` every challenge it
/// completed.
pub fn process_marking(app: &App, req: &ApiRequest, marks: &mut Marks) -> Reply {
    if let Some(reply) = oversized_challenger_header(app, req, marks) {
        return reply;
    }
    let requester = resolve(app, req);
    let plan = RulePlan::for_route(app, req.route);
    if let Some(entry) = requester.entry.as_ref().filter(|_| !plan.before.is_empty()) {
        settle(
            app,
            entry,
            Rules::request_phase(plan.before),
            req,
            None,
            marks,
        );
    }
    let mut reply = router::route(app, req, &requester);
    if req.behaviour.html_safe_error_json {
        escape_error_json_html_safe(&mut reply);
    }
    not_found::rewrite_empty(req, &mut reply);
    echo_challenger(req, &requester, &mut reply);
    let credited = match &reply.credit {
        Credit::Requester => requester.entry.clone(),
        Credit::LearnerEntry(s) => Some(s.clone()),
        Credit::Nobody => None,
    };
    let response_rules = &app.active.response_rules;
    match (&credited, &requester.entry) {
        // The usual case: one pass over every rule still to run, for one learner.
        (Some(credited), Some(requester)) if LearnerRef::ptr_eq(credited, requester) => {
            let rules = Rules::both(plan.after_handler, response_rules);
            settle(app, credited, rules, req, Some(&reply), marks);
        }
        (credited, requester) => {
            if let Some(credited) = credited {
                let rules = Rules::both(&[], response_rules);
                settle(app, credited, rules, req, Some(&reply), marks);
            }
            if let Some(requester) = requester {
                let rules = Rules::request_phase(plan.after_handler);
                settle(app, requester, rules, req, None, marks);
            }
        }
    }
    add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    reply
}

/// When the request-phase rules run. They run after the handler, in the same pass as
/// the response-phase rules, except on routes whose answer shows the learner's
/// progress: there they run before the handler, so the answer already includes what
/// this very request completed.
struct RulePlan<'a> {
    /// Request-phase rules to run before the handler.
    before: &'a [usize],
    /// Request-phase rules to run after it.
    after_handler: &'a [usize],
}

impl<'a> RulePlan<'a> {
    fn for_route(app: &'a App, route: Route) -> RulePlan<'a> {
        let rules = &app.active.request_rules[..];
        match shows_progress(route) {
            true => RulePlan {
                before: rules,
                after_handler: &[],
            },
            false => RulePlan {
                before: &[],
                after_handler: rules,
            },
        }
    }
}

/// The catalogue indices one pass checks: request-phase ones, then response-phase ones.
#[derive(Clone, Copy)]
struct Rules<'a> {
    request: &'a [usize],
    response: &'a [usize],
}

impl<'a> Rules<'a> {
    fn request_phase(request: &'a [usize]) -> Rules<'a> {
        Rules {
            request,
            response: &[],
        }
    }

    fn both(request: &'a [usize], response: &'a [usize]) -> Rules<'a> {
        Rules { request, response }
    }

    fn iter(self) -> impl Iterator<Item = usize> + 'a {
        self.request.iter().chain(self.response).copied()
    }
}

/// Routes whose answer shows the learner's progress.
fn shows_progress(route: Route) -> bool {
    matches!(route, Route::Challenges | Route::ChallengerProgress(_))
}

/// Re-render a JSON error envelope the way the classic server's Gson wrote it, with `=`,
/// `'`, `<`, `>` and `&` as `\u003d`-style escapes, so suites comparing raw text match.
/// Only error bodies holding one of the escaped characters are touched.
fn escape_error_json_html_safe(reply: &mut Reply) {
    let is_json = reply
        .headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/json");
    let needs_escaping = reply
        .body
        .iter()
        .any(|b| matches!(b, b'=' | b'\'' | b'<' | b'>' | b'&'));
    if !reply.status.is_client_error() && !reply.status.is_server_error()
        || !is_json
        || !needs_escaping
    {
        return;
    }
    let Ok(Value::Object(envelope)) = serde_json::from_slice::<Value>(&reply.body) else {
        return;
    };
    let Some(Value::Array(items)) = envelope.get("errorMessages") else {
        return;
    };
    let messages: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
    if let (1, Some(messages)) = (envelope.len(), messages) {
        reply.body = representation::errors_json_html_safe(&messages).into();
    }
}

/// Find the learner a request counts for: in single-player mode always the one player,
/// whatever the header says; otherwise the learner its `X-CHALLENGER` names.
pub fn resolve(app: &App, req: &ApiRequest) -> Requester {
    if let Some(single) = app.registry.single() {
        return Requester {
            entry: Some(single.clone()),
            id: Some(LearnerId::SinglePlayer),
        };
    }
    let Some(id) = req.challenger_header().and_then(LearnerId::parse) else {
        return Requester::default();
    };
    Requester {
        entry: app.find(&id),
        id: Some(id),
    }
}

/// The reference answers 431 to an `X-CHALLENGER` over 100 characters, credited (#84
/// only) to the learner its first 36 characters name.
fn oversized_challenger_header(app: &App, req: &ApiRequest, marks: &mut Marks) -> Option<Reply> {
    let limit = app.profile.behaviour.challenger_header_limit?;
    let value = req.headers.get(&X_CHALLENGER)?;
    if value.len() <= limit {
        return None;
    }
    let text = String::from_utf8_lossy(value.as_bytes());
    let entry = derive_session(app, &text);
    let format = match req.negotiate(Offer::Standard) {
        Ok(f) if f.is_xml() => MediaType::Xml,
        _ => MediaType::Json,
    };
    let mut reply = Reply::error(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "X-CHALLENGER header is too large, maximum allowed is 100 characters",
        &format,
    );
    if let Some(entry) = &entry {
        let guid = entry.state.lock().id.to_string();
        reply.set_header(X_CHALLENGER.clone(), &guid);
        if let Some(index) = app
            .profile
            .catalogue
            .iter()
            .position(|c| c.key == "X_CHALLENGER_TOO_LONG_431")
        {
            settle(
                app,
                entry,
                Rules::request_phase(&[index]),
                req,
                Some(&reply),
                marks,
            );
        }
    }
    add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    Some(reply)
}

fn derive_session(app: &App, value: &str) -> Option<LearnerRef> {
    if let Some(single) = app.registry.single() {
        return Some(single.clone());
    }
    if value.starts_with(SINGLE_PLAYER) {
        return None;
    }
    let prefix = value.get(..36)?;
    app.registry.get(&LearnerId::parse(prefix)?)
}

/// What the rules need of a learner, copied under a brief lock: the todo list is
/// shared behind an `Arc`, so a snapshot costs one reference count.
struct Snapshot {
    db: Database,
    progress: Progress,
    id: LearnerId,
    loaded_from_storage: bool,
}

/// Record every not-yet-done challenge among `rules` whose rule passes, and hand the
/// learner to storage if anything about it changed during the request.
///
/// The learner is locked once: for the snapshot, and for the save of what the handler
/// changed. Rules run on the snapshot outside the lock, so requests of the same learner
/// on other threads are never held up by rule checks; only when a challenge passes
/// (once per challenge and learner) is it locked again to mark it. Allocates nothing
/// unless a challenge passes.
fn settle(
    app: &App,
    entry: &LearnerRef,
    rules: Rules,
    req: &ApiRequest,
    reply: Option<&Reply>,
    marks: &mut Marks,
) {
    let snapshot = {
        let mut learner = entry.state.lock();
        // What the handler changed goes to storage now, in the order of the changes.
        app.saver.save_changes(&mut learner);
        rules
            .iter()
            .any(|i| !learner.progress.is_done(i))
            .then(|| Snapshot {
                db: learner.db.clone(),
                progress: learner.progress,
                id: learner.id,
                loaded_from_storage: learner.loaded_from_storage,
            })
    };
    let Some(snapshot) = snapshot else { return };
    let passed: Vec<usize> = snapshot.id.with_text(|guid| {
        let learner = LearnerFacts {
            store: snapshot.db.todos(),
            guid: Some(guid),
            loaded_from_storage: snapshot.loaded_from_storage,
        };
        let response = reply.map(|r| ResponseFacts {
            status: r.status,
            headers: &r.headers,
            body: &r.body,
        });
        let exchange = Exchange::new(req.facts(), learner, response);
        rules
            .iter()
            .filter(|&i| !snapshot.progress.is_done(i))
            .filter(|&i| (app.profile.catalogue[i].rule)(&exchange))
            .collect()
    });
    if passed.is_empty() {
        return;
    }
    let mut learner = entry.state.lock();
    let mut marked = Progress::default();
    for index in passed {
        if learner.progress.mark(index) {
            marked.set(index, true);
        }
    }
    if marked != Progress::default() {
        learner.touch_version();
        marks.push((entry.clone(), marked));
    }
    // Under the lock, so saves reach storage in the order the changes were made.
    app.saver.save_changes(&mut learner);
}

/// Echo the learner's GUID in `X-CHALLENGER`, or the unknown marker when there is none;
/// not on `/challenger` itself, nor when the handler already set the header.
fn echo_challenger(req: &ApiRequest, requester: &Requester, reply: &mut Reply) {
    if reply.headers.contains_key(&X_CHALLENGER) || req.path == "challenger" {
        return;
    }
    match (&requester.entry, requester.id) {
        (Some(_), Some(id)) => {
            id.with_text(|guid| reply.set_header(X_CHALLENGER.clone(), guid));
        }
        _ => {
            let unknown = HeaderValue::from_static(UNKNOWN_CHALLENGER);
            reply.headers.insert(X_CHALLENGER.clone(), unknown);
        }
    }
}

/// CORS (`*`; the current profile echoes a preflight's Access-Control-Request-* values,
/// the classic one adds Allow-Credentials), caching, robots and no-sniffing headers, on
/// every API answer.
pub fn add_cross_cutting_headers(
    behaviour: &Behaviour,
    real_method: &str,
    headers: &HeaderMap,
    reply: &mut Reply,
) {
    // Names and values are built at compile time: this runs on every API response.
    const ALLOW_ORIGIN: HeaderName = HeaderName::from_static("access-control-allow-origin");
    const ALLOW_HEADERS: HeaderName = HeaderName::from_static("access-control-allow-headers");
    const ALLOW_METHODS: HeaderName = HeaderName::from_static("access-control-allow-methods");
    const ALLOW_CREDENTIALS: HeaderName =
        HeaderName::from_static("access-control-allow-credentials");
    const EXPOSE_HEADERS: HeaderName = HeaderName::from_static("access-control-expose-headers");
    const ROBOTS: HeaderName = HeaderName::from_static("x-robots-tag");
    const CONTENT_TYPE_OPTIONS: HeaderName = HeaderName::from_static("x-content-type-options");
    const STAR: HeaderValue = HeaderValue::from_static("*");
    let echoes = behaviour.cors == Cors::EchoPreflight && real_method == "OPTIONS";
    let echo = |name: &str| {
        headers
            .get(name)
            .filter(|_| echoes)
            .cloned()
            .unwrap_or(STAR)
    };
    let h = &mut reply.headers;
    h.insert(ALLOW_ORIGIN, STAR);
    h.insert(ALLOW_HEADERS, echo("access-control-request-headers"));
    if behaviour.cors == Cors::AllowCredentials {
        h.insert(ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    }
    h.insert(ALLOW_METHODS, echo("access-control-request-method"));
    h.insert(EXPOSE_HEADERS, STAR);
    if behaviour.cache_control {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if behaviour.robots_on_errors || (200..400).contains(&reply.status.as_u16()) {
        h.insert(ROBOTS, HeaderValue::from_static("noindex"));
    }
    // A browser must never sniff an API body into something else (a title holding
    // `<script>` rendered as HTML): every format, every profile.
    h.insert(CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}
