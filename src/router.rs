//! One match from an API request to its handler (api.md §1.2).

use crate::api::{self, ApiRequest, Requester};
use crate::app::App;
use crate::profile::Behaviour;
use crate::reply::Reply;
use crate::{challenger, challenges, heartbeat, not_found, secret, todos};

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
    if b.nonstandard_methods_unrouted && !api::STANDARD_METHODS.contains(&req.method) {
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
        _ => method_not_allowed(),
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

#[cfg(test)]
mod tests {
    use super::Route::{self, *};

    #[test]
    fn paths_parse_to_routes() {
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
}
