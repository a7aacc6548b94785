//! The service: one match from a request path to the family that answers it. API
//! paths go through the API pipeline; `/metrics` is the Prometheus text; everything
//! else is a site page or the site 404.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

use crate::api::request::{
    classify, effective_method, ApiRequest, Route, Target, MAX_RESTORE_BODY,
};
use crate::api::{not_found, pipeline};
use crate::app::App;
use crate::http::body::{
    body_error_reply, header_bytes, into_response, read_body, MAX_HEADER_BYTES,
};
use crate::http::reply::Reply;
use crate::http::server::Handler;
use crate::todo::negotiation::{self, MediaType, Offer};
use crate::{metrics, site};

impl Handler for App {
    async fn handle(self: Arc<Self>, req: Request<Incoming>) -> Response<Full<Bytes>> {
        handle(&self, req).await
    }

    fn on_shutdown(&self) {
        App::on_shutdown(self);
    }
}

/// Handle one request and count it in the metrics.
pub async fn handle(app: &App, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let (route, response) = respond(app, req).await;
    app.metrics
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
async fn respond(app: &App, req: Request<Incoming>) -> (usize, Response<Full<Bytes>>) {
    let (parts, body) = req.into_parts();
    if header_bytes(&parts.headers) > MAX_HEADER_BYTES {
        let reply = Reply::empty(431);
        return (SITE, into_response(reply, parts.method.as_str()));
    }
    let path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let real_method = parts.method.as_str();
    let behaviour = &app.profile.behaviour;
    let (metrics_route, reply) = match classify(path, behaviour.api_prefix) {
        Target::Api {
            path: api_path,
            canonical,
        } => {
            let route = Route::parse(api_path);
            let metrics_route = route.metrics_index();
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
                    return (metrics_route, into_response(reply, real_method));
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
            };
            (metrics_route, pipeline::process(app, &req))
        }
        Target::Unrouted => {
            let mut reply = not_found::unrouted(behaviour, &parts.headers);
            pipeline::add_cross_cutting_headers(behaviour, real_method, &parts.headers, &mut reply);
            (SITE, reply)
        }
        Target::Site if path == "/metrics" && matches!(real_method, "GET" | "HEAD") => {
            let text = app.render_metrics();
            (SITE, Reply::body(200, "text/plain; version=0.0.4", text))
        }
        Target::Site => {
            let (bytes, _) = match read_body(body, MAX_RESTORE_BODY).await {
                Ok(read) => read,
                Err(error) => {
                    let reply = body_error_reply(error, &MediaType::Json);
                    return (SITE, into_response(reply, real_method));
                }
            };
            let reply = site::handle(app, real_method, path, raw_query, &parts.headers, &bytes);
            (SITE, reply)
        }
    };
    (metrics_route, into_response(reply, real_method))
}
