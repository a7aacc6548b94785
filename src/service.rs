//! The service: one match from a request path to the family that answers it. API
//! paths go through the API pipeline; practice-mode paths go to `practice`; `/metrics`
//! is the Prometheus text; everything else is a site page or the site 404.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};

use crate::api::request::{
    classify, effective_method, ApiRequest, Route, Target, MAX_RESTORE_BODY,
};
use crate::api::{not_found, pipeline, shared};
use crate::app::App;
use crate::http::body::{
    body_error_reply, header_bytes, into_response, read_body, MAX_HEADER_BYTES,
};
use crate::http::client::client_ip;
use crate::http::raw::RawRoutes;
use crate::http::reply::Reply;
use crate::http::server::Handler;
use crate::learners::registry::LearnerId;
use crate::practice::PracticeState;
use crate::todo::negotiation::{self, MediaType, Offer};
use crate::{metrics, practice, site};

/// What the accept loop serves: the shared state, and the practice modes' own state
/// (kept here, above everything, so that the state below knows nothing of them).
pub struct Service {
    pub app: Arc<App>,
    pub practice: PracticeState,
}

impl Service {
    pub fn new(app: Arc<App>) -> Service {
        let practice = PracticeState::new(app.config.shop_bugs);
        Service { app, practice }
    }
}

impl Handler for Service {
    async fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
        peer: SocketAddr,
    ) -> Response<Full<Bytes>> {
        handle(&self, req, peer).await
    }

    fn on_shutdown(&self) {
        self.app.on_shutdown();
    }

    fn raw_routes(&self) -> Option<RawRoutes> {
        Some(practice::fromhell::raw_answer)
    }
}

/// Handle one request and count it in the metrics. `peer` is the client's address
/// (only the mirror shows it).
pub async fn handle(
    service: &Service,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let (route, response) = respond(&service.app, &service.practice, req, peer).await;
    service
        .app
        .metrics
        .record(route, response.status().as_u16(), started.elapsed());
    response
}

/// The request's Accept header as text, if it is text.
fn accept(headers: &hyper::HeaderMap) -> Option<&str> {
    headers
        .get(hyper::header::ACCEPT)
        .and_then(|value| value.to_str().ok())
}

/// Metrics route index of everything that is not an API path.
const SITE: usize = metrics::ROUTES.len() - 1;

/// Answer a request; also says which metrics route it counts under.
async fn respond(
    app: &App,
    practice_state: &PracticeState,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> (usize, Response<Full<Bytes>>) {
    let (parts, body) = req.into_parts();
    let behaviour = &app.profile.behaviour;
    // Every answer leaves through here, so every answer gets the Content-Type rule of
    // the profile's HTTP layer.
    let finish = |mut reply: Reply, method: &str| {
        reply.settle_content_type(
            behaviour.default_content_type,
            behaviour.untyped_empty_204_404,
        );
        into_response(reply, method)
    };
    if header_bytes(&parts.headers) > MAX_HEADER_BYTES {
        let reply = Reply::empty(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
        return (SITE, finish(reply, parts.method.as_str()));
    }
    let path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let real_method = parts.method.as_str();
    if let Some(mode) = practice::classify(path) {
        let (bytes, too_large) = match read_body(body, mode.body_limit()).await {
            Ok(read) => read,
            Err(error) => {
                let reply = body_error_reply(error, &MediaType::Json);
                return (SITE, finish(reply, real_method));
            }
        };
        let req = practice::PracticeRequest {
            method: real_method,
            path,
            raw_query,
            headers: &parts.headers,
            body: &bytes,
            body_too_large: too_large,
            peer,
        };
        let reply = practice::handle(practice_state, mode, &req)
            .unwrap_or_else(|| site::not_found(&parts.headers));
        return (SITE, finish(reply, real_method));
    }
    let (metrics_route, reply) = match classify(path, behaviour.api_prefix) {
        Target::Api {
            path: api_path,
            canonical,
        } => {
            let route = Route::parse(api_path).in_profile(behaviour);
            let metrics_route = route.metrics_index();
            if app.storage_behind()
                && api_may_admit(app, route, &parts.headers)
                && !app.room_for_learners().await
            {
                let mut reply = storage_busy();
                pipeline::add_cross_cutting_headers(
                    behaviour,
                    real_method,
                    &parts.headers,
                    &mut reply,
                );
                return (metrics_route, into_response(reply, real_method));
            }
            let (bytes, too_large) = match read_body(body, route.body_limit()).await {
                Ok(read) => read,
                Err(error) => {
                    let format = negotiation::negotiate_with(
                        behaviour.accept,
                        accept(&parts.headers),
                        Offer::Standard,
                    )
                    .unwrap_or(MediaType::Json);
                    let mut reply = body_error_reply(error, &format);
                    pipeline::add_cross_cutting_headers(
                        behaviour,
                        real_method,
                        &parts.headers,
                        &mut reply,
                    );
                    return (metrics_route, finish(reply, real_method));
                }
            };
            let method = effective_method(real_method, &parts.headers, behaviour.method_override);
            let req = ApiRequest {
                real_method,
                method: &method,
                path: api_path,
                route,
                canonical,
                raw_query,
                headers: &parts.headers,
                body: &bytes,
                body_too_large: too_large,
                behaviour,
                client: client_ip(&parts.headers, Some(peer), app.config.trust_proxy),
            };
            let reply = match &app.shared {
                Some(store) => shared::process(app, store, &req).await,
                None => pipeline::process(app, &req),
            };
            (metrics_route, reply)
        }
        Target::Unrouted => {
            let mut reply = not_found::unrouted(behaviour, &parts.headers);
            pipeline::add_cross_cutting_headers(behaviour, real_method, &parts.headers, &mut reply);
            (SITE, reply)
        }
        Target::Site if path == "/metrics" && matches!(real_method, "GET" | "HEAD") => {
            let mut text = app.render_metrics();
            if let Some(store) = &app.shared {
                text.push_str(&metrics::render_shared_store(
                    store.is_reachable(),
                    store.failures(),
                ));
            }
            (
                SITE,
                Reply::body(StatusCode::OK, "text/plain; version=0.0.4", text),
            )
        }
        Target::Site => {
            if app.storage_behind() && path.starts_with("/gui") && !app.room_for_learners().await {
                return (SITE, into_response(storage_busy(), real_method));
            }
            let (bytes, _) = match read_body(body, MAX_RESTORE_BODY).await {
                Ok(read) => read,
                Err(error) => {
                    let reply = body_error_reply(error, &MediaType::Json);
                    return (SITE, finish(reply, real_method));
                }
            };
            if let Some(store) = &app.shared {
                if let Err(reply) =
                    shared::sync_for_page(app, store, path, raw_query, &parts.headers).await
                {
                    return (SITE, into_response(reply, real_method));
                }
            }
            let reply = site::handle(app, real_method, path, raw_query, &parts.headers, &bytes);
            (SITE, reply)
        }
    };
    (metrics_route, finish(reply, real_method))
}

/// True when answering may bring a learner into memory: creating or restoring one,
/// naming one by GUID in the path, or as `X-CHALLENGER` when it is not in memory.
fn api_may_admit(app: &App, route: Route, headers: &hyper::HeaderMap) -> bool {
    if matches!(
        route,
        Route::Challenger | Route::ChallengerProgress(_) | Route::ChallengerDatabase(_)
    ) {
        return true;
    }
    headers
        .get(&crate::api::request::X_CHALLENGER)
        .and_then(|v| v.to_str().ok())
        .and_then(LearnerId::parse)
        .is_some_and(|id| !app.registry.contains(&id))
}

/// The answer when storage stayed too far behind for a learner to come into memory:
/// nothing was done, so the client may simply retry.
fn storage_busy() -> Reply {
    Reply::body(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        "Saving progress is running behind; nothing was changed. Try again in a moment.",
    )
    .with_header(hyper::header::RETRY_AFTER, "1")
}
