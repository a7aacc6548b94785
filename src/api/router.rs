//! One match from an API request to its handler (api.md §1.2).

use crate::api::request::{self, ApiRequest, Requester, Route};
use crate::app::App;
use crate::challenges::profile::Behaviour;
use crate::http::reply::Reply;
use crate::{
    api::challenger, api::challenges, api::heartbeat, api::not_found, api::secret, api::todos,
};

/// Dispatch an API request to its handler. Routes and methods a profile lacks fall
/// through to 405 (or 404 for paths and methods it never routed).
pub fn route(app: &App, req: &ApiRequest, who: &Requester) -> Reply {
    use Route::*;
    let b = &app.profile.behaviour;
    let route = match Route::parse(req.path) {
        // Without the export route, `export` is just an id no todo has.
        TodosExport if !b.todos_export => Todo("export"),
        other => other,
    };
    if b.nonstandard_methods_unrouted && !request::STANDARD_METHODS.contains(&req.method) {
        return not_found::api(req);
    }
    if matches!(route, Todos | TodosExport | Todo(_)) {
        if b.method_not_allowed_first && !todo_route_allows(route, req.method, b) {
            return method_not_allowed();
        }
        if let Some(reply) = todos::precheck(app, req, who, route) {
            return reply;
        }
    }
    match (route, req.method) {
        (Todos, "GET" | "HEAD") => todos::list(app, req, who),
        (Todos, "POST") => todos::create(app, req, who),
        (Todos, "PUT") if b.put_collection => todos::put_by_body_id(app, req, who),
        (Todos, "QUERY") if b.query_method => todos::query(app, req, who),
        (Todos, "OPTIONS") => todos::options_collection(app, who),
        (TodosExport, "GET") => todos::export(app, req, who),
        (TodosExport, "OPTIONS") => options("GET, OPTIONS"),
        (Todo(id), "GET" | "HEAD") => todos::get_one(app, req, who, id),
        (Todo(id), "POST") => todos::amend(app, req, who, id),
        (Todo(id), "PUT") => todos::replace(app, req, who, id),
        (Todo(id), "PATCH") if b.patch_todo => todos::patch(app, req, who, id),
        (Todo(id), "DELETE") => todos::delete(app, req, who, id),
        (Todo(_), "OPTIONS") => todos::options_item(app),
        (Todo(_), "QUERY") if b.query_method => {
            method_not_allowed().with_header(hyper::header::ALLOW, todos::ITEM_ALLOW)
        }
        (Challenges, "GET" | "HEAD") => challenges::list(app, req, who),
        (Challenges, "OPTIONS") => challenges::options(),
        (Challenger, "POST") => challenger::create(app, req, who),
        (Challenger, "OPTIONS") => options("POST, OPTIONS"),
        (ChallengerProgress(guid), "GET" | "HEAD") => challenger::progress(app, req, guid),
        (ChallengerProgress(guid), "PUT") => challenger::restore(app, req, guid),
        (ChallengerDatabase(guid), "GET" | "HEAD") => challenger::database(app, req, guid),
        (ChallengerDatabase(guid), "PUT") => challenger::restore_database(app, req, guid),
        (ChallengerProgress(_) | ChallengerDatabase(_), "OPTIONS") => {
            options("GET, PUT, HEAD, OPTIONS")
        }
        (Heartbeat, method) => heartbeat::handle(req, method),
        (SecretToken, "GET") if b.secret_token_get => secret::get_token(app, req, who),
        (SecretToken, "POST") => secret::create_token(req, who),
        (SecretToken, "OPTIONS") => options(b.secret_token_allow),
        (SecretNote, "GET" | "HEAD") => secret::get_note(app, req, who),
        (SecretNote, "POST") => secret::post_note(app, req, who),
        (SecretNote, "OPTIONS") => options("GET, HEAD, POST, OPTIONS"),
        (Unknown, _) => not_found::api(req),
        // The todo engine's own 405s name no type; the other routes' 405s are
        // fixed-status routes, which do.
        (Todos | Todo(_), _) => method_not_allowed(),
        _ => method_not_allowed().with_content_type(&req.fixed_status_type()),
    }
}

/// The methods a todo route answers in a profile (the rest are 405). Only consulted
/// where 405 comes before the todo hooks (classic.md §4.7); `route` mirrors it.
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
    Reply::empty(405)
}

/// 204 with an `Allow` header.
pub fn options(allow: &str) -> Reply {
    Reply::empty(204).with_header(hyper::header::ALLOW, allow)
}
