//! Challenger (learner session) routes: create, progress payload, and restoring
//! progress and todos (`/challenger`, `/challenger/{guid}`, `/challenger/database/{guid}`).

use hyper::StatusCode;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::api::request::{
    gui_location, set_location, ApiRequest, Requester, UNKNOWN_CHALLENGER, X_CHALLENGER,
};
use crate::api::todos::Answer;
use crate::app::App;
use crate::challenges::catalogue;
use crate::error::{ApiError, ErrorKind};
use crate::http::reply::{Credit, Reply};
use crate::learners::registry::{Learner, LearnerId, LearnerRef, Progress};
use crate::todo::database::Database;
use crate::todo::negotiation::Offer;
use crate::todo::representation;
use crate::todo::{Todo, MAX_DESCRIPTION, MAX_TITLE};

/// Longest secret note kept: the reference stores at most 100 characters.
pub const MAX_NOTE: usize = 100;

/// `POST /challenger`.
pub fn create(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    if let Some(single) = app.registry.single() {
        let reply = identified(Reply::empty(StatusCode::CREATED), &LearnerId::SinglePlayer);
        return Ok(reply.crediting(single.clone()));
    }
    if req.challenger_header().is_none() {
        if let Err(retry_after) = app.creations.try_create(req.client) {
            return too_many_creations(req, retry_after);
        }
        let id = LearnerId::Guid(Uuid::new_v4());
        let (entry, _) = app.admit(Learner::new(id));
        return Ok(identified(Reply::empty(StatusCode::CREATED), &id).crediting(entry));
    }
    Ok(match (&who.entry, who.id) {
        (Some(entry), Some(id)) => {
            identified(Reply::empty(StatusCode::OK), &id).crediting(entry.clone())
        }
        _ => unknown(Reply::empty(StatusCode::NOT_FOUND)),
    })
}

/// 429 for a client that created too many challengers lately, with the seconds until
/// it may create more.
fn too_many_creations(req: &ApiRequest, retry_after: u64) -> Answer {
    let message = "Attempted to create too many challengers, wait and try again later.";
    let refusal = ApiError::new(ErrorKind::TooManyRequests, message);
    let mut reply = req
        .refusal(&refusal, &req.error_format(Offer::Standard))
        .with_header(hyper::header::RETRY_AFTER, &retry_after.to_string());
    reply.credit = Credit::Nobody;
    Ok(reply)
}

/// Add `X-CHALLENGER` and the progress page `Location` for a learner.
fn identified(mut reply: Reply, id: &LearnerId) -> Reply {
    reply.set_header(X_CHALLENGER.clone(), &id.to_string());
    set_location(&mut reply, &gui_location(id));
    reply
}

fn unknown(reply: Reply) -> Reply {
    let mut reply = reply.with_header(X_CHALLENGER.clone(), UNKNOWN_CHALLENGER);
    reply.credit = Credit::Nobody;
    reply
}

/// Resolve the GUID of a challenger route. Single-user: any GUID means the single
/// learner. Multi-user: a non-UUID is a 400, an unknown UUID is `Ok(None)`.
fn lookup(app: &App, guid: &str) -> Result<Option<LearnerRef>, ApiError> {
    if let Some(single) = app.registry.single() {
        return Ok(Some(single.clone()));
    }
    Ok(app.find(&parse_guid(guid)?))
}

/// A challenger route's GUID; anything but a UUID is a 400.
fn parse_guid(guid: &str) -> Result<LearnerId, ApiError> {
    LearnerId::parse(guid).ok_or_else(|| {
        ApiError::malformed(format!(
            "Invalid Challenger GUID Invalid UUID string: {guid}"
        ))
    })
}

/// `GET`/`HEAD /challenger/{guid}`.
pub fn progress(app: &App, guid: &str) -> Answer {
    Ok(match lookup(app, guid)? {
        Some(entry) => {
            let (id, body) = {
                let learner = entry.state.lock();
                (learner.id, app.progress_json(&learner))
            };
            identified_plain(Reply::json(StatusCode::OK, body), &id).crediting(entry)
        }
        None => unknown(Reply::empty(StatusCode::NOT_FOUND)),
    })
}

fn identified_plain(reply: Reply, id: &LearnerId) -> Reply {
    reply.with_header(X_CHALLENGER.clone(), &id.to_string())
}

/// `PUT /challenger/{guid}`: restore progress from a payload shaped like the GET's answer.
pub fn restore(app: &App, req: &ApiRequest, guid: &str) -> Answer {
    let id = match app.registry.single() {
        Some(_) => LearnerId::SinglePlayer,
        None => parse_guid(guid)?,
    };
    let payload = parse_payload(req.body)?;
    let payload_guid = payload
        .get("xChallenger")
        .and_then(Value::as_str)
        .unwrap_or("");
    if payload_guid != guid {
        let message = "URL GUID does not match payload X-CHALLENGER";
        let refusal = ApiError::new(ErrorKind::LearnerMismatch, message);
        // The refusal names (and credits) the learner the payload belongs to.
        let mut reply = req.refusal(&refusal, &req.error_format(Offer::Standard));
        reply.credit = Credit::Nobody;
        if let Some(other) = LearnerId::parse(payload_guid).and_then(|o| app.registry.get(&o)) {
            reply.set_header(X_CHALLENGER.clone(), payload_guid);
            reply.credit = Credit::LearnerEntry(other);
        }
        return Ok(reply);
    }
    let entry = match app.registry.get(&id) {
        Some(entry) => entry,
        None => {
            if let Err(retry_after) = app.creations.try_create(req.client) {
                let reply = too_many_creations(req, retry_after)?;
                return Ok(reply.with_header(X_CHALLENGER.clone(), guid));
            }
            let mut learner = Learner::new(id);
            apply_payload(app, &mut learner, &payload);
            let (entry, inserted) = app.admit(learner);
            if inserted {
                let created =
                    Reply::empty(StatusCode::CREATED).with_content_type("application/json");
                return Ok(identified_plain(created, &id).crediting(entry));
            }
            // Brought into memory by another request meanwhile: update that copy.
            entry
        }
    };
    let body = {
        let mut learner = entry.state.lock();
        apply_payload(app, &mut learner, &payload);
        learner.touch_version();
        app.progress_json(&learner)
    };
    Ok(identified_plain(Reply::json(StatusCode::OK, body), &id).crediting(entry))
}

fn parse_payload(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::malformed("Invalid Payload"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Err(ApiError::malformed("Invalid Payload")),
        Ok(_) => Err(ApiError::malformed(
            "Invalid Payload: expected a JSON object",
        )),
        Err(e) => Err(ApiError::malformed(format!("Invalid Payload: {e}"))),
    }
}

/// Copy what can be trusted from a progress payload: a valid auth token, the note (cut
/// to 100 characters) and the statuses of defined challenges (retired keys stand in
/// for their replacements when only the old key is present).
fn apply_payload(app: &App, learner: &mut Learner, payload: &Map<String, Value>) {
    if let Some(token) = payload
        .get("xAuthToken")
        .and_then(Value::as_str)
        .and_then(|t| Uuid::try_parse(t).ok())
    {
        learner.auth_token = token;
    }
    if let Some(note) = payload.get("secretNote").and_then(Value::as_str) {
        learner.note = note.chars().take(MAX_NOTE).collect();
    }
    let statuses = payload.get("challengeStatus").and_then(Value::as_object);
    let done = |key: &str| statuses.and_then(|s| s.get(key)).and_then(Value::as_bool);
    let mut progress = Progress::default();
    for &index in &app.active.indices {
        let key = app.profile.catalogue[index].key;
        let retired = catalogue::RETIRED
            .iter()
            .find(|(_, new)| *new == key)
            .and_then(|(old, _)| done(old));
        progress.set(index, done(key).or(retired).unwrap_or(false));
    }
    learner.progress = progress;
}

/// `GET`/`HEAD /challenger/database/{guid}`.
pub fn database(app: &App, req: &ApiRequest, guid: &str) -> Answer {
    Ok(match lookup(app, guid)? {
        Some(entry) => {
            let (id, body) = {
                let learner = entry.state.lock();
                (
                    learner.id,
                    representation::database_export(learner.db.todos()),
                )
            };
            identified_plain(Reply::json(StatusCode::OK, body), &id).crediting(entry)
        }
        None => {
            let refusal = ApiError::not_found(format!("Challenger not found {guid}"));
            unknown(req.refusal(&refusal, &req.error_format(Offer::Standard)))
        }
    })
}

/// `PUT /challenger/database/{guid}`: replace a learner's todos with an exported list.
pub fn restore_database(app: &App, req: &ApiRequest, guid: &str) -> Answer {
    let entry = match app.registry.single() {
        Some(single) => single.clone(),
        None => match app.registry.get(&parse_guid(guid)?) {
            Some(s) => s,
            None => {
                let message =
                    "Unknown Challenger GUID - have you created or loaded the challenger state";
                let refusal = ApiError::not_found(message);
                let format = req.error_format(Offer::Standard);
                return Ok(unknown(req.refusal(&refusal, &format)));
            }
        },
    };
    let todos = parse_todos(req.body, app.todo_limit())?;
    let id = {
        let mut learner = entry.state.lock();
        learner.db = Database::from_todos(todos);
        learner.touch_version();
        learner.id
    };
    let restored = Reply::empty(StatusCode::NO_CONTENT).with_content_type("application/json");
    Ok(identified_plain(restored, &id).crediting(entry))
}

/// Read `{"todos":[...]}` in either the export format or the `GET /todos` format.
fn parse_todos(body: &[u8], limit: Option<usize>) -> Result<Vec<Todo>, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::malformed(format!("Invalid todos payload: {e}")))?;
    let items = value
        .get("todos")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ApiError::malformed("Invalid todos payload: expected an object with a todos array")
        })?;
    if limit.is_some_and(|max| items.len() > max) {
        return Err(ApiError::malformed(format!(
            "ERROR: Cannot add instance, maximum limit of {} reached",
            limit.unwrap_or_default()
        )));
    }
    items.iter().map(parse_todo).collect()
}

fn parse_todo(item: &Value) -> Result<Todo, ApiError> {
    let fields = item
        .as_object()
        .ok_or_else(|| ApiError::malformed("Invalid todo: expected an object"))?;
    for key in fields.keys() {
        if !matches!(key.as_str(), "id" | "title" | "doneStatus" | "description") {
            return Err(ApiError::malformed(format!(
                "ERROR: Unknown property {key} for todo"
            )));
        }
    }
    let id = match fields.get("id") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|&id| id > 0)
    .ok_or_else(|| ApiError::malformed("Invalid todo: id must be a positive integer"))?;
    let text = |key: &str| match fields.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ApiError::malformed(format!(
            "Invalid todo {id}: {key} must be a string"
        ))),
    };
    let title = text("title")?;
    let description = text("description")?;
    if title.trim().is_empty() || title.chars().count() > MAX_TITLE {
        return Err(ApiError::malformed(format!(
            "Invalid todo {id}: title must be 1 to {MAX_TITLE} characters"
        )));
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ApiError::malformed(format!(
            "Invalid todo {id}: description must be at most {MAX_DESCRIPTION} characters"
        )));
    }
    let done_status = match fields.get("doneStatus") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return Err(ApiError::malformed(format!(
                "Invalid todo {id}: doneStatus must be a boolean"
            )))
        }
    };
    Ok(Todo {
        id,
        title,
        done_status,
        description,
    })
}
