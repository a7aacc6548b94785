//! One match from an API route and method to its handler; a method a route lacks gets 405.

use crate::api::request::{self, ApiRequest, Requester, Route};
use crate::app::App;
use crate::challenges::profile::Behaviour;
use crate::http::reply::Reply;
use crate::todo::negotiation::Offer;
use crate::{
    api::challenger, api::challenges, api::heartbeat, api::not_found, api::secret, api::todos,
};
use hyper::StatusCode;
use todos::Answer;

/// Dispatch an API request to its handler and render a refusal as the error body in
/// the request's format. Routes and methods a profile lacks fall through to 405 (or
/// 404 for paths and methods it never routed).
pub fn route(app: &App, req: &ApiRequest, who: &Requester) -> Reply {
    let offer = match req.route {
        Route::Todos | Route::TodosExport | Route::Todo(_) => Offer::Todos,
        _ => Offer::Standard,
    };
    answer(app, req, who).unwrap_or_else(|refusal| req.refusal(&refusal, &req.error_format(offer)))
}

fn answer(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    use Route::*;
    let b = &app.profile.behaviour;
    let route = req.route;
    if b.nonstandard_methods_unrouted && !request::STANDARD_METHODS.contains(&req.method) {
        return Ok(not_found::api(req));
    }
    if matches!(route, Todos | TodosExport | Todo(_)) {
        if b.method_not_allowed_first && !todo_route_allows(route, req.method, b) {
            return Ok(method_not_allowed());
        }
        todos::precheck(app, req, who)?;
    }
    match (route, req.method) {
        (Todos, "GET" | "HEAD") => todos::list(app, req, who),
        (Todos, "POST") => todos::create(app, req, who),
        (Todos, "PUT") if b.put_collection => todos::put_by_body_id(app, req, who),
        (Todos, "QUERY") if b.query_method => todos::query(app, req, who),
        (Todos, "OPTIONS") => Ok(todos::options_collection(app, who)),
        (TodosExport, "GET") => todos::export(app, req, who),
        (TodosExport, "OPTIONS") => Ok(options("GET, OPTIONS")),
        (Todo(id), "GET" | "HEAD") => todos::get_one(app, req, who, id),
        (Todo(id), "POST") => todos::amend(app, req, who, id),
        (Todo(id), "PUT") => todos::replace(app, req, who, id),
        (Todo(id), "PATCH") if b.patch_todo => todos::patch(app, req, who, id),
        (Todo(id), "DELETE") => todos::delete(app, req, who, id),
        (Todo(_), "OPTIONS") => Ok(todos::options_item(app)),
        (Todo(_), "QUERY") if b.query_method => {
            Ok(method_not_allowed().with_header(hyper::header::ALLOW, todos::ITEM_ALLOW))
        }
        (Challenges, "GET" | "HEAD") => challenges::list(app, req, who),
        (Challenges, "OPTIONS") => Ok(challenges::options()),
        (Challenger, "POST") => challenger::create(app, req, who),
        (Challenger, "OPTIONS") => Ok(options("POST, OPTIONS")),
        (ChallengerProgress(guid), "GET" | "HEAD") => challenger::progress(app, guid),
        (ChallengerProgress(guid), "PUT") => challenger::restore(app, req, guid),
        (ChallengerDatabase(guid), "GET" | "HEAD") => challenger::database(app, req, guid),
        (ChallengerDatabase(guid), "PUT") => challenger::restore_database(app, req, guid),
        (ChallengerProgress(_) | ChallengerDatabase(_), "OPTIONS") => {
            Ok(options("GET, PUT, HEAD, OPTIONS"))
        }
        (Heartbeat, method) => Ok(heartbeat::handle(req, method)),
        (SecretToken, "GET") if b.secret_token_get => secret::get_token(app, req, who),
        (SecretToken, "POST") => secret::create_token(req, who),
        (SecretToken, "OPTIONS") => Ok(options(b.secret_token_allow)),
        (SecretNote, "GET" | "HEAD") => secret::get_note(app, req, who),
        (SecretNote, "POST") => secret::post_note(app, req, who),
        (SecretNote, "OPTIONS") => Ok(options("GET, HEAD, POST, OPTIONS")),
        (Unknown, _) => Ok(not_found::api(req)),
        // The todo engine's own 405s name no type; the other routes' 405s are
        // fixed-status routes, which do.
        (Todos | Todo(_), _) => Ok(method_not_allowed()),
        _ => Ok(method_not_allowed().with_content_type(&req.fixed_status_type())),
    }
}

/// The methods a todo route answers in a profile (the rest are 405). Only consulted
/// where 405 comes before the todo hooks (the classic HTTP layer refused those methods
/// before any todo check ran); `route` mirrors it.
fn todo_route_allows(route: Route, method: &str, b: &Behaviour) -> bool {
    use Route::*;
    match (route, method) {
        (Todos, "GET" | "HEAD" | "POST" | "OPTIONS") => true,
        (Todos, "PUT") => b.put_collection,
        (Todos, "QUERY") => b.query_method,
        (TodosExport, "GET" | "OPTIONS") => b.todos_export,
        (Todo(_), "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS") => true,
        (Todo(_), "PATCH") => b.patch_todo,
        _ => false,
    }
}

/// 405 with an empty body.
pub fn method_not_allowed() -> Reply {
    Reply::empty(StatusCode::METHOD_NOT_ALLOWED)
}

/// 204 with an `Allow` header.
pub fn options(allow: &str) -> Reply {
    Reply::empty(StatusCode::NO_CONTENT).with_header(hyper::header::ALLOW, allow)
}
