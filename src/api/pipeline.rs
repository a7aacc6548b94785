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
use hyper::HeaderMap;

use crate::api::request::{ApiRequest, Requester, Route, UNKNOWN_CHALLENGER, X_CHALLENGER};
use crate::app::App;
use crate::challenges::profile::{Behaviour, Cors};
use crate::http::reply::{Credit, Reply};
use crate::todo::negotiation::{MediaType, Offer};

use crate::challenges::tracking::{Exchange, ResponseFacts};
use crate::learners::registry::{ChallengerId, SessionRef, SINGLE_PLAYER};
use crate::{api::not_found, api::router, todo::representation};
use serde_json::Value;

/// Run one API request through the pipeline.
pub fn process(app: &App, req: &ApiRequest) -> Reply {
    if let Some(reply) = oversized_challenger_header(app, req) {
        return reply;
    }
    let requester = resolve(app, req);
    // Request-phase rules run before the handler only where the response shows the
    // learner's progress (so it includes what this very request completed); elsewhere
    // they run with the response-phase rules, under one lock of the learner.
    let early = shows_progress(req.route);
    if early {
        if let Some(session) = &requester.session {
            settle(app, session, &app.active.request_rules, &[], req, None);
        }
    }
    let mut reply = router::route(app, req, &requester);
    if req.behaviour.html_safe_error_json {
        escape_error_json_html_safe(&mut reply);
    }
    not_found::rewrite_empty(req, &mut reply);
    echo_challenger(req, &requester, &mut reply);
    let credited = match &reply.credit {
        Credit::Requester => requester.session.clone(),
        Credit::Session(s) => Some(s.clone()),
        Credit::Nobody => None,
    };
    let deferred: &[usize] = if early {
        &[]
    } else {
        &app.active.request_rules
    };
    let same = matches!(
        (&credited, &requester.session),
        (Some(c), Some(r)) if SessionRef::ptr_eq(c, r)
    );
    if let Some(session) = &credited {
        let first = if same { deferred } else { &[] };
        settle(
            app,
            session,
            first,
            &app.active.response_rules,
            req,
            Some(&reply),
        );
    }
    if let (Some(session), false) = (&requester.session, same) {
        settle(app, session, deferred, &[], req, None);
    }
    add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    reply
}

/// Routes whose answer shows the learner's progress.
fn shows_progress(route: Route) -> bool {
    matches!(route, Route::Challenges | Route::ChallengerProgress(_))
}

/// Re-render a JSON error envelope with Gson's HTML-safe escaping (classic.md §4.5).
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
    if reply.status < 400 || !is_json || !needs_escaping {
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

/// Find the learner a request counts for (challenges.md §2.1).
pub fn resolve(app: &App, req: &ApiRequest) -> Requester {
    if let Some(single) = app.registry.single() {
        return Requester {
            session: Some(single.clone()),
            id: Some(ChallengerId::SinglePlayer),
        };
    }
    let Some(id) = req.challenger_header().and_then(ChallengerId::parse) else {
        return Requester::default();
    };
    Requester {
        session: app.find(&id),
        id: Some(id),
    }
}

/// api.md §8.7: a 431 for an `X-CHALLENGER` over 100 characters, credited (#84 only)
/// to the learner its first 36 characters name.
fn oversized_challenger_header(app: &App, req: &ApiRequest) -> Option<Reply> {
    let limit = app.profile.behaviour.challenger_header_limit?;
    let value = req.headers.get(&X_CHALLENGER)?;
    if value.len() <= limit {
        return None;
    }
    let text = String::from_utf8_lossy(value.as_bytes());
    let session = derive_session(app, &text);
    let format = match req.negotiate(Offer::Standard) {
        Ok(f) if f.is_xml() => MediaType::Xml,
        _ => MediaType::Json,
    };
    let mut reply = Reply::error(
        431,
        "X-CHALLENGER header is too large, maximum allowed is 100 characters",
        &format,
    );
    if let Some(session) = &session {
        let guid = session.state.lock().id.to_string();
        reply.set_header(X_CHALLENGER.clone(), &guid);
        if let Some(index) = app
            .profile
            .catalogue
            .iter()
            .position(|c| c.key == "X_CHALLENGER_TOO_LONG_431")
        {
            settle(app, session, &[index], &[], req, Some(&reply));
        }
    }
    add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    Some(reply)
}

fn derive_session(app: &App, value: &str) -> Option<SessionRef> {
    if let Some(single) = app.registry.single() {
        return Some(single.clone());
    }
    if value.starts_with(SINGLE_PLAYER) {
        return None;
    }
    let prefix = value.get(..36)?;
    app.registry.get(&ChallengerId::parse(prefix)?)
}

/// Record every not-yet-done challenge among `first` and `second` whose rule passes,
/// then hand the learner to storage if anything about it changed during the request.
///
/// Rules run on a snapshot taken under a brief lock (the todo list is shared behind an
/// `Arc`, so the snapshot costs one reference count), not under the lock itself:
/// requests of the same learner on other threads are never held up by rule checks.
/// Allocates nothing unless a challenge passes.
fn settle(
    app: &App,
    session: &SessionRef,
    first: &[usize],
    second: &[usize],
    req: &ApiRequest,
    reply: Option<&Reply>,
) {
    let candidates = || first.iter().chain(second).copied();
    let snapshot = {
        let learner = session.state.lock();
        candidates().any(|i| !learner.progress.is_done(i)).then(|| {
            (
                learner.db.clone(),
                learner.progress,
                learner.id,
                learner.loaded_from_storage,
            )
        })
    };
    let passed: Vec<usize> = match &snapshot {
        None => Vec::new(),
        Some((db, progress, id, loaded)) => id.with_text(|guid| {
            let exchange = Exchange::new(
                req.real_method,
                req.path,
                req.raw_query,
                req.headers,
                req.body,
                db.todos(),
                Some(guid),
                *loaded,
                reply.map(|r| ResponseFacts {
                    status: r.status,
                    headers: &r.headers,
                    body: &r.body,
                }),
            );
            candidates()
                .filter(|&i| !progress.is_done(i))
                .filter(|&i| (app.profile.catalogue[i].rule)(&exchange))
                .collect()
        }),
    };
    if passed.is_empty() && app.storage.is_none() {
        return;
    }
    let record = {
        let mut learner = session.state.lock();
        let mut changed = false;
        for index in passed {
            changed |= learner.progress.mark(index);
        }
        if changed {
            learner.touch_version();
        }
        app.unsaved_record(&mut learner)
    };
    if let (Some(storage), Some(record)) = (&app.storage, record) {
        storage.save(record);
    }
}

/// api.md §8.7: echo the learner's GUID, or the unknown marker.
fn echo_challenger(req: &ApiRequest, requester: &Requester, reply: &mut Reply) {
    if reply.headers.contains_key(&X_CHALLENGER) || req.path == "challenger" {
        return;
    }
    match (&requester.session, requester.id) {
        (Some(_), Some(id)) => {
            id.with_text(|guid| reply.set_header(X_CHALLENGER.clone(), guid));
        }
        _ => {
            let unknown = HeaderValue::from_static(UNKNOWN_CHALLENGER);
            reply.headers.insert(X_CHALLENGER.clone(), unknown);
        }
    }
}

/// CORS, caching, robots and no-sniffing headers, on every API answer.
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
    if behaviour.robots_on_errors || (200..400).contains(&reply.status) {
        h.insert(ROBOTS, HeaderValue::from_static("noindex"));
    }
    // A browser must never sniff an API body into something else (a title holding
    // `<script>` rendered as HTML): every format, every profile.
    h.insert(CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}
