//! The todo routes of both profiles. Checks run in the reference engine's order, and the
//! first failure answers: limit/401 hooks, Accept (406), body size (413), Content-Type (415),
//! body syntax (400), route (404), then validation (422) and business rules (409).
//! Statuses, messages and rules that differ by profile come from
//! `app.profile.behaviour` (reached as `req.behaviour`).

use bytes::Bytes;
use hyper::header::{HeaderName, ACCEPT, ALLOW, CONTENT_DISPOSITION, LOCATION};
use hyper::StatusCode;
use serde_json::{Map, Value};

use crate::api::request::Route;
use crate::api::request::{ApiRequest, Requester};
use crate::app::App;
use crate::challenges::profile::{Behaviour, PutUnknownId};
use crate::error::{ApiError, ErrorKind};
use crate::http::reply::Reply;
use crate::learners::registry::LearnerRef;
use crate::todo::database::{Database, DEFAULT_PAGE};
use crate::todo::input::{self, CreateStage};
use crate::todo::negotiation::{self, predicates, BodyKind, MediaType, Offer};
use crate::todo::query::{self, ListQuery};
use crate::todo::representation;
use crate::todo::{Todo, MAX_BODY};

pub const ITEM_ALLOW: &str = "OPTIONS, GET, HEAD, POST, PUT, DELETE";
pub const ACCEPT_QUERY: &str =
    "application/x-www-form-urlencoded, application/jsonpath, application/vnd.thingifier.query+json";
pub const ACCEPT_PATCH: &str =
    "application/json, application/merge-patch+json, application/json-patch+json";
/// Largest page a list request may ask for.
pub const MAX_LIMIT: i64 = 20;

fn accept_query() -> HeaderName {
    const NAME: HeaderName = HeaderName::from_static("accept-query");
    NAME
}

fn accept_patch() -> HeaderName {
    const NAME: HeaderName = HeaderName::from_static("accept-patch");
    NAME
}

/// The checks that run before any todo route, even before the Accept check: the `_limit`
/// ceiling on list requests, and writes without a known learner.
pub fn precheck(app: &App, req: &ApiRequest, who: &Requester) -> Result<(), ApiError> {
    let paging = req.behaviour.list_query.paging;
    if paging && req.route == Route::Todos && req.method == "GET" && !req.raw_query.is_empty() {
        let limit = ListQuery::parse(req.raw_query).limit_value();
        if limit.is_some_and(|l| l > MAX_LIMIT) {
            return Err(ApiError::malformed("_limit must be no more than 20"));
        }
    }
    // The routed method counts too: a classic override can turn a GET into a DELETE.
    let writes = |method: &str| matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
    let is_write = writes(req.real_method) || writes(req.method);
    if app.config.multi_user && is_write && !who.is_known() {
        let message = "Cannot amend details. Missing a valid X-CHALLENGER header.";
        return Err(ApiError::new(ErrorKind::Unauthorized, message));
    }
    Ok(())
}

/// A handler's outcome: the reply, or a refusal the router renders.
pub type Answer = Result<Reply, ApiError>;

/// A change to apply to an existing todo.
type Change<'a> = Box<dyn FnOnce(&Todo) -> Result<Todo, ApiError> + 'a>;

/// Negotiate the response format; a 406 is always answered in JSON.
fn negotiate(req: &ApiRequest, offer: Offer) -> Result<MediaType, ApiError> {
    req.negotiate(offer)
        .map_err(|e| ApiError::new(ErrorKind::NotAcceptable, e.message()).in_json())
}

fn refuse_too_large(req: &ApiRequest) -> Result<(), ApiError> {
    if req.body_too_large || req.body.len() > MAX_BODY {
        return Err(ApiError::new(
            ErrorKind::TooLarge,
            req.behaviour.body_too_large,
        ));
    }
    Ok(())
}

fn content_type<'a>(req: &'a ApiRequest) -> Option<&'a str> {
    req.header(hyper::header::CONTENT_TYPE)
}

fn unsupported_content_type(req: &ApiRequest) -> ApiError {
    let value = req
        .behaviour
        .content_type
        .shown(content_type(req).unwrap_or(""));
    ApiError::new(
        ErrorKind::UnsupportedMediaType,
        format!("Unsupported Content Type - {value}"),
    )
}

/// Steps shared by POST and PUT: format (406), size (413), Content-Type (415) and
/// body syntax (400). Returns the format and the decoded fields.
fn read_entity(req: &ApiRequest) -> Result<(MediaType, Map<String, Value>), ApiError> {
    let b = req.behaviour;
    let format = negotiate(req, Offer::Todos)?;
    refuse_too_large(req)?;
    let kind = negotiation::body_kind_with(b.content_type, content_type(req));
    if !matches!(kind, BodyKind::Json | BodyKind::Xml | BodyKind::Missing) {
        return Err(unsupported_content_type(req));
    }
    let fields = input::parse_body_with(b.body_syntax, kind, req.body)?;
    Ok((format, fields))
}

/// The learner a write acts on (precheck guarantees one in multi-user mode).
fn writer(app: &App, who: &Requester) -> LearnerRef {
    who.entry
        .clone()
        .or_else(|| app.registry.single().cloned())
        .expect("precheck refuses writes without a learner")
}

/// Run `f` on the database a read should see: the learner's, or the shared default.
fn read<R>(app: &App, who: &Requester, f: impl FnOnce(&Database) -> R) -> R {
    match &who.entry {
        Some(entry) => f(&entry.state.lock().db),
        None => f(&app.default_db),
    }
}

/// Run `f` on the learner's database, recording a change when it reports one.
fn write<R>(entry: &LearnerRef, f: impl FnOnce(&mut Database) -> (R, bool)) -> R {
    let mut learner = entry.state.lock();
    let (result, changed) = f(&mut learner.db);
    if changed {
        learner.touch_version();
    }
    result
}

fn parse_id(id: &str) -> Option<u64> {
    id.parse().ok()
}

fn item_reply(status: StatusCode, todo: &Todo, format: &MediaType) -> Reply {
    Reply::body(
        status,
        format.content_type(),
        representation::todo_item(todo, format),
    )
}

/// Add `Accept-Query` when the profile advertises QUERY.
fn advertising_query(reply: Reply, behaviour: &Behaviour) -> Reply {
    if behaviour.accept_query_header {
        reply.with_header(accept_query(), ACCEPT_QUERY)
    } else {
        reply
    }
}

fn list_reply(todos: &[&Todo], format: &MediaType, behaviour: &Behaviour) -> Reply {
    let reply = Reply::body(
        StatusCode::OK,
        format.content_type(),
        representation::todo_list(todos, format),
    );
    advertising_query(reply, behaviour)
}

/// `GET`/`HEAD /todos`.
pub fn list(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let b = req.behaviour;
    let format = negotiate(req, Offer::Todos)?;
    if req.raw_query.is_empty() && format == MediaType::Json {
        // The hot path: the cached rendering of the first page, which is the whole
        // list when the profile does not page or the list fits in one page.
        let cached: Option<Bytes> = read(app, who, |db| {
            (b.list_query.paging || db.len() <= DEFAULT_PAGE).then(|| db.first_page_json())
        });
        if let Some(body) = cached {
            return Ok(advertising_query(Reply::json(StatusCode::OK, body), b));
        }
    }
    let query = ListQuery::parse_with(req.raw_query, &b.list_query);
    let paging = match b.list_query.paging {
        true => Some(query.paging(DEFAULT_PAGE)?),
        false => None,
    };
    read(app, who, |db| {
        let todos = query::apply(db.todos(), &query, paging)?;
        Ok(list_reply(&todos, &format, b))
    })
}

/// `GET`/`HEAD /todos/{id}`, including the iCalendar variant (#55).
pub fn get_one(app: &App, req: &ApiRequest, who: &Requester, id: &str) -> Answer {
    if req.behaviour.calendar && who.is_known() && predicates::prefers_calendar(req.accept()) {
        return calendar(app, who, id);
    }
    let format = negotiate(req, Offer::Todos)?;
    read(app, who, |db| match parse_id(id).and_then(|n| db.get(n)) {
        Some(todo) => Ok(Reply::body(
            StatusCode::OK,
            format.content_type(),
            representation::todo_list(&[todo], &format),
        )),
        None => Err(ApiError::not_found(format!(
            "Could not find an instance with todos/{id}"
        ))),
    })
}

fn calendar(app: &App, who: &Requester, id: &str) -> Answer {
    read(app, who, |db| match parse_id(id).and_then(|n| db.get(n)) {
        Some(todo) => Ok(Reply::body(
            StatusCode::OK,
            "text/calendar",
            representation::calendar(todo),
        )),
        None => Err(
            ApiError::not_found(format!("No such todo entity instance with id == {id}")).in_json(),
        ),
    })
}

/// `POST /todos`: create. Where the profile says so, a create refused by field
/// validation or the limit still uses up an id (the classic engine assigned it first).
pub fn create(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let b = req.behaviour;
    let (format, fields) = read_entity(req)?;
    let new = input::validate_create_with(b.validation, &fields).map_err(|refused| {
        if b.failed_create_consumes_id && refused.stage == CreateStage::Fields {
            write(&writer(app, who), |db| (db.skip_id(), true));
        }
        refused.error
    })?;
    let limit = app.todo_limit();
    let created = write(&writer(app, who), |db| {
        let result = db.create(new.title, new.done_status, new.description, limit);
        if result.is_err() && b.failed_create_consumes_id {
            db.skip_id();
            return (result, true);
        }
        let changed = result.is_ok();
        (result, changed)
    });
    let Ok(todo) = created else {
        let max = limit.unwrap_or_default();
        let message = format!("ERROR: Cannot add instance, maximum limit of {max} reached");
        return Err(ApiError::new(ErrorKind::TodoLimit, message));
    };
    let prefix = if req.canonical {
        "/api/todos"
    } else {
        "/todos"
    };
    let location = format!("{prefix}/{}", todo.id);
    Ok(item_reply(StatusCode::CREATED, &todo, &format).with_header(LOCATION, &location))
}

/// The 404 of the routes that change a todo.
fn no_such_todo(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "No such todo entity instance with id == {id} found"
    ))
}

/// Apply `change` to an existing todo and store the result.
fn update_with(
    app: &App,
    who: &Requester,
    id: &str,
    format: &MediaType,
    change: impl FnOnce(&Todo) -> Result<Todo, ApiError>,
) -> Answer {
    write(&writer(app, who), |db| {
        let Some(current) = parse_id(id).and_then(|n| db.get(n)) else {
            return (Err(no_such_todo(id)), false);
        };
        match change(current) {
            Ok(updated) => {
                let reply = item_reply(StatusCode::OK, &updated, format);
                db.update(updated);
                (Ok(reply), true)
            }
            Err(e) => (Err(e), false),
        }
    })
}

/// `POST /todos/{id}`: amend the supplied fields.
pub fn amend(app: &App, req: &ApiRequest, who: &Requester, id: &str) -> Answer {
    let rules = req.behaviour.validation;
    let (format, fields) = read_entity(req)?;
    update_with(app, who, id, &format, |t| {
        input::amend_with(rules, t, &fields)
    })
}

/// The `id` a body names: `None` when there is none, `Some(None)` when it is not a
/// whole number (integer or integer text).
fn body_id(fields: &Map<String, Value>) -> Option<Option<u64>> {
    fields.get("id").map(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

const PUT_CANNOT_CREATE: &str = "Cannot create todo with PUT due to Auto fields id";

/// `PUT /todos/{id}`: full replacement; PUT never creates.
pub fn replace(app: &App, req: &ApiRequest, who: &Requester, id: &str) -> Answer {
    let b = req.behaviour;
    let (format, fields) = read_entity(req)?;
    let exists = read(app, who, |db| {
        parse_id(id).and_then(|n| db.get(n)).is_some()
    });
    if exists {
        return update_with(app, who, id, &format, |t| {
            input::replace_with(b.validation, t, &fields)
        });
    }
    if b.put_unknown_id == PutUnknownId::CannotCreate {
        return Err(ApiError::malformed(PUT_CANNOT_CREATE));
    }
    Err(match body_id(&fields) {
        // The reference turns the engine's 422 into a plain JSON 404 (#39).
        None => {
            ApiError::not_found(format!("No such todo entity instance with id == {id}")).in_json()
        }
        Some(Some(n)) if Some(n) != parse_id(id) => ApiError::new(
            ErrorKind::Validation,
            format!("Can not amend id from {id} to {n}"),
        ),
        Some(_) => ApiError::new(ErrorKind::Validation, PUT_CANNOT_CREATE),
    })
}

/// `PUT /todos`: replace the todo the body's `id` names.
pub fn put_by_body_id(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let (format, fields) = read_entity(req)?;
    let Some(id) = body_id(&fields) else {
        let message = "PUT requires an identifier in the URI or payload";
        return Err(ApiError::new(ErrorKind::Validation, message));
    };
    let exists = id.is_some_and(|n| read(app, who, |db| db.get(n).is_some()));
    match id {
        Some(n) if exists => update_with(app, who, &n.to_string(), &format, |t| {
            input::replace(t, &fields)
        }),
        _ => Err(ApiError::new(ErrorKind::Validation, PUT_CANNOT_CREATE)),
    }
}

/// `PATCH /todos/{id}`: plain JSON, merge patch or JSON Patch, by Content-Type.
pub fn patch(app: &App, req: &ApiRequest, who: &Requester, id: &str) -> Answer {
    let format = negotiate(req, Offer::Todos)?;
    refuse_too_large(req)?;
    let kind = negotiation::body_kind(content_type(req));
    let body = req.body;
    let change: Change = match kind {
        BodyKind::Json => {
            let fields = input::parse_body(kind, body)?;
            Box::new(move |t| input::amend(t, &fields))
        }
        BodyKind::MergePatch => Box::new(move |t| input::merge_patch(t, body)),
        BodyKind::JsonPatch => Box::new(move |t| input::json_patch(t, body)),
        BodyKind::Xml | BodyKind::Missing => {
            let message = "Unsupported PATCH Content Type";
            let refusal = ApiError::new(ErrorKind::UnsupportedMediaType, message);
            return Err(refusal.with_header(accept_patch(), ACCEPT_PATCH));
        }
        _ => return Err(unsupported_content_type(req).with_header(accept_patch(), ACCEPT_PATCH)),
    };
    update_with(app, who, id, &format, change)
}

/// `DELETE /todos/{id}`.
pub fn delete(app: &App, req: &ApiRequest, who: &Requester, id: &str) -> Answer {
    let format = negotiate(req, Offer::Todos)?;
    let deleted = write(&writer(app, who), |db| {
        let done = parse_id(id).is_some_and(|n| db.delete(n));
        (done, done)
    });
    if !deleted {
        let message = format!("Could not find any instances with todos/{id}");
        return Err(ApiError::not_found(message));
    }
    // An engine answer: it names the negotiated type even with no body.
    let reply = Reply::empty(req.behaviour.delete_status);
    Ok(reply.with_content_type(format.content_type()))
}

/// `QUERY /todos`: a filter carried in the body, in one of three syntaxes.
pub fn query(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let format = negotiate(req, Offer::Todos)?;
    refuse_too_large(req)?;
    let text = String::from_utf8_lossy(req.body);
    let todos = match negotiation::body_kind(content_type(req)) {
        BodyKind::Missing => {
            return Err(ApiError::malformed(
                "Missing Content-Type for QUERY request",
            ))
        }
        BodyKind::FormUrlEncoded => run_list_query(app, who, &ListQuery::parse_form(&text)?)?,
        BodyKind::StructuredQuery => run_list_query(app, who, &query::parse_structured(req.body)?)?,
        BodyKind::JsonPath => read(app, who, |db| query::run_jsonpath(&text, db.todos()))?,
        _ => {
            let value = content_type(req).unwrap_or("");
            let message = format!("Unsupported QUERY Content Type - {value}");
            return Err(ApiError::new(ErrorKind::UnsupportedMediaType, message)
                .with_header(ACCEPT, ACCEPT_QUERY)
                .with_header(accept_query(), ACCEPT_QUERY));
        }
    };
    let refs: Vec<&Todo> = todos.iter().collect();
    Ok(list_reply(&refs, &format, req.behaviour))
}

/// Filter, sort and page with the list defaults; a `_limit` above the maximum is
/// clamped here, as the engine does, rather than refused.
fn run_list_query(app: &App, who: &Requester, q: &ListQuery) -> Result<Vec<Todo>, ApiError> {
    let (limit, offset) = q.paging(DEFAULT_PAGE)?;
    let paging = (limit.min(MAX_LIMIT as usize), offset);
    read(app, who, |db| {
        query::apply(db.todos(), q, Some(paging)).map(|v| v.into_iter().cloned().collect())
    })
}

/// `GET /todos/export?format=…`: every todo, as a named download in the format asked.
pub fn export(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let requested = format_param(req.raw_query);
    let Some((export, media)) = requested.as_deref().and_then(representation::export_format) else {
        let message = "Unsupported export format. Use one of: json, xml, text-xml, csv, text, html, ndjson, jsonl, json-seq, tsv";
        return Err(ApiError::malformed(message).in_json());
    };
    let body = read(app, who, |db| {
        let all: Vec<&Todo> = db.todos().iter().collect();
        representation::todo_list(&all, &media)
    });
    let disposition = format!("attachment; filename=\"{}\"", export.file_name);
    Ok(Reply::body(StatusCode::OK, export.media, body)
        .with_header(CONTENT_DISPOSITION, &disposition))
}

/// The decoded value of the first `format=` parameter.
fn format_param(raw_query: &str) -> Option<String> {
    raw_query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name == "format").then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| (b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `OPTIONS /todos`: the engine's 204 becomes 200 for a known learner (#48).
pub fn options_collection(app: &App, who: &Requester) -> Reply {
    let b = &app.profile.behaviour;
    let status = match who.is_known() {
        true => StatusCode::OK,
        false => StatusCode::NO_CONTENT,
    };
    advertising_query(Reply::empty(status).with_header(ALLOW, b.todos_allow), b)
}

/// `OPTIONS /todos/{id}` (its `Allow` omits PATCH, as the reference's does).
pub fn options_item(app: &App) -> Reply {
    let reply = Reply::empty(StatusCode::NO_CONTENT).with_header(ALLOW, ITEM_ALLOW);
    if app.profile.behaviour.accept_patch_header {
        reply.with_header(accept_patch(), ACCEPT_PATCH)
    } else {
        reply
    }
}
