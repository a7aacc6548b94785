//! The simulator: `/sim/entities`, an API whose answers are scripted so that a learner
//! following the tutorial sees each step succeed, while nothing is ever stored.
//!
//! The data is fixed: entities 1 to 10 named `entity number <n>`, and entity 11
//! (`bob`), the one a POST "creates", which the collection never lists. The scripted
//! ids:
//!
//! * `POST /sim/entities`, `POST` or `PUT /sim/entities/11`: 201 with entity 11;
//! * `POST` or `PUT /sim/entities/10`: 200, entity 10 renamed `eris` (and GET shows it);
//! * `DELETE /sim/entities/9`: 204 (and GET 9 is then, always, a 404);
//! * any other existing id refuses with 403, an unknown id 404 (PUT: 403).
//!
//! The collection takes the engine's filters and `_sortBy` in the query string, and a
//! form-encoded body on QUERY.

use hyper::header::LOCATION;
use hyper::StatusCode;

use crate::http::reply::Reply;
use crate::practice::render::{self, Cell, Kind, Row};
use crate::practice::{
    check_query_content_type, status_only, too_large_message, with, write_fields, PracticeRequest,
};
use crate::todo::negotiation::MediaType;
use crate::todo::query::{self, FieldValue, ListQuery, Record};

const ENTITY: Kind = Kind {
    singular: "entity",
    plural: "entities",
    // name, description, id: the engine's XML order for these three fields.
    xml_order: &[1, 2, 0],
};

/// `Allow` of the collection and of one entity.
const ALLOW_COLLECTION: &str = "GET, QUERY, POST, HEAD, OPTIONS";
const ALLOW_ENTITY: &str = "GET, POST, PUT, DELETE, HEAD, OPTIONS";
/// The one QUERY body type the collection's OPTIONS names.
const FORM: &str = "application/x-www-form-urlencoded";

/// The id a POST creates; hidden from the collection.
const CREATED_ID: u64 = 11;
/// The id POST/PUT amend.
const AMENDED_ID: &str = "10";
/// The id DELETE removes.
const DELETED_ID: &str = "9";

struct Entity {
    id: u64,
    name: String,
    description: String,
}

impl Record for Entity {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        match name {
            "id" => Some(FieldValue::Int(self.id)),
            "name" => Some(FieldValue::Str(&self.name)),
            "description" => Some(FieldValue::Str(&self.description)),
            _ => None,
        }
    }
}

impl Entity {
    fn row(&self) -> Row {
        vec![
            ("id", Cell::Int(self.id as i64)),
            ("name", Cell::Text(self.name.clone())),
            ("description", Cell::Text(self.description.clone())),
        ]
    }
}

/// The fixed data, ids 1 to 11.
fn entities() -> Vec<Entity> {
    (1..=CREATED_ID)
        .map(|id| Entity {
            id,
            name: if id == CREATED_ID {
                "bob".into()
            } else {
                format!("entity number {id}")
            },
            description: String::new(),
        })
        .collect()
}

/// The entity with this id, as the id is written in the path (`01` is not `1`).
fn find(id: &str) -> Option<Entity> {
    entities().into_iter().find(|e| e.id.to_string() == id)
}

fn eris() -> Row {
    vec![
        ("id", Cell::Int(10)),
        ("name", Cell::Text("eris".into())),
        ("description", Cell::Text(String::new())),
    ]
}

/// Answer a `/sim...` request.
pub fn handle(req: &PracticeRequest) -> Option<Reply> {
    if req.path == "/sim" {
        return (req.method == "GET").then(|| {
            Reply::empty(StatusCode::FOUND).with_header(LOCATION, "/practice-modes/simulation")
        });
    }
    if let Some(reply) = crate::practice::pages::docs(req, "/sim") {
        return Some(reply);
    }
    if req.path == "/sim/entities" {
        return collection(req);
    }
    let id = req.path.strip_prefix("/sim/entities/")?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    entity(req, id)
}

fn collection(req: &PracticeRequest) -> Option<Reply> {
    Some(match req.method {
        "OPTIONS" => with(
            with(
                Reply::empty(StatusCode::NO_CONTENT),
                "allow",
                ALLOW_COLLECTION,
            ),
            "accept-query",
            FORM,
        ),
        "PATCH" | "TRACE" => status_only(StatusCode::NOT_IMPLEMENTED, req),
        "DELETE" | "PUT" => status_only(StatusCode::METHOD_NOT_ALLOWED, req),
        "GET" | "HEAD" => answer(req, |format| list(req, format, None)),
        "QUERY" => answer(req, |format| {
            check_query_content_type(req, format)?;
            let body = String::from_utf8_lossy(req.body);
            let from_body =
                ListQuery::parse_form(&body).map_err(|e| render::refusal(&e, format))?;
            list(req, format, Some(from_body))
        }),
        "POST" => answer(req, |format| {
            write_fields(req, ENTITY.singular, format)?;
            Ok(created(format))
        }),
        _ => return None,
    })
}

fn entity(req: &PracticeRequest, id: &str) -> Option<Reply> {
    Some(match req.method {
        "OPTIONS" => with(
            with(Reply::empty(StatusCode::NO_CONTENT), "allow", ALLOW_ENTITY),
            "x-robots-tag",
            "noindex",
        ),
        "PATCH" | "TRACE" => status_only(StatusCode::NOT_IMPLEMENTED, req),
        "QUERY" => status_only(StatusCode::METHOD_NOT_ALLOWED, req),
        "GET" | "HEAD" => answer(req, |format| Ok(read(id, format))),
        "POST" | "PUT" => answer(req, |format| {
            write_fields(req, ENTITY.singular, format)?;
            Ok(write(req.method, id, format))
        }),
        "DELETE" => answer(req, |format| Ok(delete(id, format))),
        _ => return None,
    })
}

/// Run a handler after the engine's request checks: the Accept header (406) and the
/// body size (413).
fn answer(
    req: &PracticeRequest,
    handler: impl FnOnce(&MediaType) -> Result<Reply, Reply>,
) -> Reply {
    let format = match req.format() {
        Ok(format) => format,
        Err(refusal) => return refusal,
    };
    if req.body_too_large {
        return render::error(StatusCode::PAYLOAD_TOO_LARGE, &too_large_message(), &format);
    }
    handler(&format).unwrap_or_else(|refusal| refusal)
}

fn list(
    req: &PracticeRequest,
    format: &MediaType,
    from_body: Option<ListQuery>,
) -> Result<Reply, Reply> {
    let mut query = ListQuery::parse(req.raw_query);
    if let Some(extra) = from_body {
        query.extend(extra);
    }
    let all = entities();
    let listed: Vec<Entity> = all.into_iter().filter(|e| e.id != CREATED_ID).collect();
    let selected = query::apply(&listed, &query, None).map_err(|e| render::refusal(&e, format))?;
    let rows: Vec<Row> = selected.iter().map(|e| e.row()).collect();
    let refs: Vec<&Row> = rows.iter().collect();
    Ok(with(
        render::list(StatusCode::OK, &ENTITY, &refs, format),
        "accept-query",
        FORM,
    ))
}

fn not_found(id: &str, format: &MediaType) -> Reply {
    render::error(
        StatusCode::NOT_FOUND,
        &format!("Could not find Entity with ID {id}"),
        format,
    )
}

fn read(id: &str, format: &MediaType) -> Reply {
    if id == AMENDED_ID {
        return render::one(StatusCode::OK, &ENTITY, &eris(), format);
    }
    if id == DELETED_ID {
        return not_found(id, format);
    }
    match find(id) {
        Some(entity) => render::one(StatusCode::OK, &ENTITY, &entity.row(), format),
        None => not_found(id, format),
    }
}

fn created(format: &MediaType) -> Reply {
    let bob = find(&CREATED_ID.to_string())
        .map(|e| e.row())
        .unwrap_or_default();
    render::one(StatusCode::CREATED, &ENTITY, &bob, format)
        .with_header(LOCATION, "/sim/entities/11")
}

fn write(method: &str, id: &str, format: &MediaType) -> Reply {
    if id == CREATED_ID.to_string() {
        return created(format);
    }
    if id == AMENDED_ID {
        return render::one(StatusCode::OK, &ENTITY, &eris(), format);
    }
    match (find(id), method) {
        (Some(_), _) => render::error(
            StatusCode::FORBIDDEN,
            "Not authorised to amend that entity",
            format,
        ),
        (None, "POST") => not_found(id, format),
        (None, _) => render::error(
            StatusCode::FORBIDDEN,
            "Not authorised to create that entity",
            format,
        ),
    }
}

fn delete(id: &str, format: &MediaType) -> Reply {
    if id == DELETED_ID {
        return Reply::empty(StatusCode::NO_CONTENT);
    }
    match find(id) {
        Some(_) => render::error(
            StatusCode::FORBIDDEN,
            "Not authorised to delete that entity",
            format,
        ),
        None => not_found(id, format),
    }
}
