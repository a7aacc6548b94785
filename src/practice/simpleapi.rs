//! The simple API: `/simpleapi/items`, a small CRUD API with no authentication, shared
//! by everyone using the server (no `X-CHALLENGER`), plus `/simpleapi/randomisbn`.
//!
//! An item has an auto-increment `id`, a mandatory `type` (book, blu-ray, cd, dvd), a
//! mandatory `isbn13` (the pattern `ddd-d-dd-dddddd-d`, dashes optional, at most 17
//! characters, unique once the dashes are removed), a mandatory `price` (a number
//! from 0 to 50000) and an optional `numberinstock` (a whole number from 0 to 100,
//! default 0). Validation runs in the engine's stages, the first stage that finds
//! anything answering alone: declared JSON types; the id; field rules (unknown
//! fields, enum, pattern, length, ranges) with mandatory fields last; uniqueness;
//! the 100-item limit.
//!
//! The data tops itself up: before each request, fewer than five items brings eight
//! new random ones, and an id counter past 99999 starts again from 1 (skipping ids
//! in use). So the store holds at most 100 small items whatever clients send.

use hyper::header::LOCATION;
use hyper::StatusCode;
use parking_lot::Mutex;
use serde_json::{Map, Number, Value};

use crate::error::{ApiError, ErrorKind};
use crate::http::reply::Reply;
use crate::practice::render::{self, java_float, Cell, Kind, Row};
use crate::practice::{
    check_query_content_type, status_only, too_large_message, with, write_fields, PracticeRequest,
};
use crate::todo::input::source_type;
use crate::todo::input::{
    CREATE_WITH_ID, JSON_PATCH_NOT_APPLIED, JSON_PATCH_NOT_ARRAY, MALFORMED_JSON_PATCH,
    MALFORMED_MERGE_PATCH, MERGE_PATCH_NOT_OBJECT, PATCH_RESULT_NOT_OBJECT, VALIDATION_PREFIX,
};
use crate::todo::jsonpath_limits;
use crate::todo::negotiation::{body_kind, BodyKind, MediaType};
use crate::todo::query::{self, FieldValue, ListQuery, Record};

/// Most items the store holds.
pub const MAX_ITEMS: usize = 100;
/// Below this many items the seed data is added again.
const TOP_UP_BELOW: usize = 5;
/// An id counter past this starts again from 1.
const MAX_ID: u64 = 99_999;
/// The item types, in the order the engine lists them.
pub const TYPES: [&str; 4] = ["book", "blu-ray", "cd", "dvd"];
/// The types of the eight seed items.
const SEED_TYPES: [&str; 8] = [
    "book", "book", "dvd", "blu-ray", "cd", "cd", "dvd", "blu-ray",
];
pub const ISBN_PATTERN: &str = "[0-9]{3}[-]?[0-9]{1}[-]?[0-9]{2}[-]?[0-9]{6}[-]?[0-9]{1}";
const ISBN_MAX: usize = 17;
const PRICE_MAX: f32 = 50_000.0;
const STOCK_MAX: i64 = 100;

const ITEM: Kind = Kind {
    singular: "item",
    plural: "items",
    // price, numberinstock, isbn13, id, type: the engine's XML order for these fields.
    xml_order: &[3, 4, 2, 0, 1],
};

const ALLOW_COLLECTION: &str = "OPTIONS, GET, HEAD, POST, QUERY";
/// The engine's list, which leaves out PATCH although PATCH works.
const ALLOW_ITEM: &str = "OPTIONS, GET, HEAD, POST, PUT, DELETE";
const ACCEPT_PATCH: &str =
    "application/json, application/merge-patch+json, application/json-patch+json";

#[derive(Clone, Debug, PartialEq)]
struct Item {
    id: u64,
    kind: String,
    isbn13: String,
    price: f32,
    /// `price` as the engine prints it; filters compare this text.
    price_text: String,
    numberinstock: i64,
}

impl Record for Item {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        match name {
            "id" => Some(FieldValue::Int(self.id)),
            "type" => Some(FieldValue::Str(&self.kind)),
            "isbn13" => Some(FieldValue::Str(&self.isbn13)),
            "price" => Some(FieldValue::Str(&self.price_text)),
            "numberinstock" => Some(FieldValue::Int(self.numberinstock.max(0) as u64)),
            _ => None,
        }
    }
}

impl Item {
    fn row(&self) -> Row {
        vec![
            ("id", Cell::Int(self.id as i64)),
            ("type", Cell::Text(self.kind.clone())),
            ("isbn13", Cell::Text(self.isbn13.clone())),
            ("price", Cell::Float(self.price)),
            ("numberinstock", Cell::Int(self.numberinstock)),
        ]
    }

    /// The item as the JSON document a PATCH applies to.
    fn document(&self) -> Value {
        let price = self
            .price_text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number);
        let mut map = Map::new();
        map.insert("id".into(), Value::from(self.id));
        map.insert("type".into(), Value::from(self.kind.clone()));
        map.insert("isbn13".into(), Value::from(self.isbn13.clone()));
        map.insert("price".into(), price);
        map.insert("numberinstock".into(), Value::from(self.numberinstock));
        Value::Object(map)
    }
}

/// The items and their id counter, behind one lock.
pub struct Items {
    store: Mutex<Store>,
}

struct Store {
    items: Vec<Item>,
    next_id: u64,
    random: Random,
}

impl Default for Items {
    fn default() -> Items {
        let mut store = Store {
            items: Vec::new(),
            next_id: 1,
            random: Random::seeded(),
        };
        store.populate();
        Items {
            store: Mutex::new(store),
        }
    }
}

/// A small xorshift generator: seed data and random ISBNs need variety, not secrecy.
struct Random(u64);

impl Random {
    fn seeded() -> Random {
        let seed = uuid::Uuid::new_v4().as_u128() as u64;
        Random(seed | 1)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x % bound
    }

    /// `ddd-d-dd-dddddd-d` with digits 0 to 8, as the reference generates them.
    fn isbn(&mut self) -> String {
        "xxx-x-xx-xxxxxx-x"
            .chars()
            .map(|c| {
                if c == 'x' {
                    char::from(b'0' + self.below(9) as u8)
                } else {
                    c
                }
            })
            .collect()
    }
}

impl Store {
    /// Add the eight seed items with random ISBNs, prices and stock.
    fn populate(&mut self) {
        for kind in SEED_TYPES {
            if self.items.len() >= MAX_ITEMS {
                return;
            }
            let price_text = format!("{}.{}", self.random.below(99), self.random.below(99));
            let price: f32 = price_text.parse().unwrap_or(0.0);
            let item = Item {
                id: self.take_id(),
                kind: kind.to_string(),
                isbn13: self.random.isbn(),
                price,
                price_text: java_float(price),
                numberinstock: self.random.below(20) as i64,
            };
            self.items.push(item);
        }
    }

    /// The next free id from the counter.
    fn take_id(&mut self) -> u64 {
        while self.items.iter().any(|item| item.id == self.next_id) {
            self.next_id += 1;
        }
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// What runs before every items request: top up, and restart a runaway counter.
    fn before_request(&mut self) {
        if self.items.len() < TOP_UP_BELOW {
            self.populate();
        }
        if self.next_id > MAX_ID {
            self.next_id = 1;
        }
        if self.items.len() < TOP_UP_BELOW {
            self.populate();
        }
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|item| item.id.to_string() == id)
    }
}

/// Answer a `/simpleapi...` request.
pub fn handle(items: &Items, req: &PracticeRequest) -> Option<Reply> {
    if let Some(reply) = crate::practice::pages::docs(req, "/simpleapi") {
        return Some(reply);
    }
    if req.path == "/simpleapi/randomisbn" {
        return random_isbn(items, req);
    }
    let reply = if req.path == "/simpleapi/items" {
        collection(items, req)?
    } else {
        let id = req.path.strip_prefix("/simpleapi/items/")?;
        if id.is_empty() || id.contains('/') {
            return None;
        }
        item(items, req, id)?
    };
    Some(cors(reply, req))
}

/// Open cross-origin access, so browser tools (and Swagger UI) can call the API. On a
/// preflight the requested headers and method are echoed back.
fn cors(reply: Reply, req: &PracticeRequest) -> Reply {
    let preflight = |name: &str| {
        req.header(name)
            .filter(|v| req.method == "OPTIONS" && !v.trim().is_empty())
            .unwrap_or("*")
            .to_string()
    };
    let allow_headers = preflight("access-control-request-headers");
    let allow_methods = preflight("access-control-request-method");
    let reply = with(reply, "access-control-allow-origin", "*");
    let reply = with(reply, "access-control-allow-headers", &allow_headers);
    let reply = with(reply, "access-control-allow-methods", &allow_methods);
    with(reply, "access-control-expose-headers", "*")
}

fn random_isbn(items: &Items, req: &PracticeRequest) -> Option<Reply> {
    Some(match req.method {
        "GET" => Reply::body(
            StatusCode::OK,
            "text/plain",
            items.store.lock().random.isbn(),
        ),
        "HEAD" => Reply::empty(StatusCode::OK).with_content_type("text/plain"),
        "OPTIONS" => with(
            Reply::empty(StatusCode::OK).with_content_type("text/plain"),
            "allow",
            "GET, HEAD, OPTIONS",
        ),
        "POST" | "PUT" | "DELETE" | "PATCH" | "TRACE" => {
            status_only(StatusCode::METHOD_NOT_ALLOWED, req)
        }
        _ => return None,
    })
}

/// The engine's checks before any handler: Accept (406) and body size (413); then the
/// store's before-request rules.
fn checked(
    items: &Items,
    req: &PracticeRequest,
    handler: impl FnOnce(&mut Store, &MediaType) -> Result<Reply, Reply>,
) -> Reply {
    let format = match req.format() {
        Ok(format) => format,
        Err(refusal) => return refusal,
    };
    if req.body_too_large {
        return render::error(StatusCode::PAYLOAD_TOO_LARGE, &too_large_message(), &format);
    }
    let mut store = items.store.lock();
    store.before_request();
    handler(&mut store, &format).unwrap_or_else(|refusal| refusal)
}

fn collection(items: &Items, req: &PracticeRequest) -> Option<Reply> {
    Some(match req.method {
        "GET" | "HEAD" => checked(items, req, |store, format| {
            list(store, format, ListQuery::parse(req.raw_query))
        }),
        "QUERY" => checked(items, req, |store, format| query(store, req, format)),
        "POST" => checked(items, req, |store, format| create(store, req, format)),
        "OPTIONS" => with(
            with(
                Reply::empty(StatusCode::NO_CONTENT),
                "allow",
                ALLOW_COLLECTION,
            ),
            "accept-query",
            crate::practice::QUERY_TYPES,
        ),
        "TRACE" => status_only(StatusCode::NOT_IMPLEMENTED, req),
        "PATCH" | "DELETE" | "PUT" => Reply::empty(StatusCode::METHOD_NOT_ALLOWED),
        _ => return None,
    })
}

fn item(items: &Items, req: &PracticeRequest, id: &str) -> Option<Reply> {
    Some(match req.method {
        "GET" | "HEAD" => checked(items, req, |store, format| {
            let index = store.find(id).ok_or_else(|| missing(id, format))?;
            Ok(render::one(
                StatusCode::OK,
                &ITEM,
                &store.items[index].row(),
                format,
            ))
        }),
        "POST" => checked(items, req, |store, format| {
            let fields = write_fields(req, ITEM.singular, format)?;
            let index = store.find(id).ok_or_else(|| {
                let message = format!("No such item entity instance with id == {id} found");
                render::error(StatusCode::NOT_FOUND, &message, format)
            })?;
            let updated =
                amend(&store.items[index], &fields).map_err(|e| render::refusal(&e, format))?;
            save(store, index, updated, format)
        }),
        "PUT" => checked(items, req, |store, format| {
            let fields = write_fields(req, ITEM.singular, format)?;
            let Some(index) = store.find(id) else {
                let message = "Cannot create item with PUT due to Auto fields id";
                return Err(render::error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    message,
                    format,
                ));
            };
            let updated =
                replace(&store.items[index], &fields).map_err(|e| render::refusal(&e, format))?;
            save(store, index, updated, format)
        }),
        "PATCH" => checked(items, req, |store, format| patch(store, req, id, format)),
        "DELETE" => checked(items, req, |store, format| {
            let index = store.find(id).ok_or_else(|| missing(id, format))?;
            store.items.remove(index);
            Ok(Reply::empty(StatusCode::NO_CONTENT))
        }),
        "OPTIONS" => with(
            with(Reply::empty(StatusCode::NO_CONTENT), "allow", ALLOW_ITEM),
            "accept-patch",
            ACCEPT_PATCH,
        ),
        "QUERY" | "TRACE" => with(
            Reply::empty(StatusCode::METHOD_NOT_ALLOWED),
            "allow",
            ALLOW_ITEM,
        ),
        _ => return None,
    })
}

fn missing(id: &str, format: &MediaType) -> Reply {
    let message = format!("Could not find any instances with items/{id}");
    render::error(StatusCode::NOT_FOUND, &message, format)
}

fn list(store: &Store, format: &MediaType, query: ListQuery) -> Result<Reply, Reply> {
    let selected =
        query::apply(&store.items, &query, None).map_err(|e| render::refusal(&e, format))?;
    Ok(list_reply(selected, format))
}

fn list_reply(selected: Vec<&Item>, format: &MediaType) -> Reply {
    let rows: Vec<Row> = selected.iter().map(|item| item.row()).collect();
    let refs: Vec<&Row> = rows.iter().collect();
    with(
        render::list(StatusCode::OK, &ITEM, &refs, format),
        "accept-query",
        crate::practice::QUERY_TYPES,
    )
}

fn query(store: &Store, req: &PracticeRequest, format: &MediaType) -> Result<Reply, Reply> {
    check_query_content_type(req, format)?;
    let refuse = |e: ApiError| {
        with(
            render::refusal(&e, format),
            "accept-query",
            crate::practice::QUERY_TYPES,
        )
    };
    let body = String::from_utf8_lossy(req.body);
    let mut query = ListQuery::parse(req.raw_query);
    match body_kind(req.header("content-type")) {
        BodyKind::JsonPath => {
            let selected = jsonpath(store, &body).map_err(refuse)?;
            let filtered = query::apply(&selected, &query, None).map_err(refuse)?;
            let rows: Vec<&Item> = filtered.into_iter().collect();
            return Ok(list_reply(rows, format));
        }
        BodyKind::StructuredQuery => {
            query.extend(query::parse_structured_for(req.body, structured_type).map_err(refuse)?)
        }
        _ => query.extend(ListQuery::parse_form(&body).map_err(refuse)?),
    }
    let (limit, offset) = query.paging(MAX_ITEMS).map_err(refuse)?;
    let structured_paging = query.limit.is_some() || query.offset.is_some();
    let paging = structured_paging.then_some((limit, offset));
    let selected = query::apply(&store.items, &query, paging).map_err(refuse)?;
    Ok(list_reply(selected, format))
}

/// Run a JSONPath expression over `{"items":[...]}`: the items it selects, in id
/// order. Selecting anything other than whole items is a 422.
fn jsonpath(store: &Store, expression: &str) -> Result<Vec<Item>, ApiError> {
    let expression = expression.trim();
    if expression.is_empty() {
        return Err(ApiError::malformed(
            "Missing JSONPath expression for QUERY request",
        ));
    }
    // The same bounds as the todo QUERY: nesting and evaluation cost are checked
    // before the parser (which recurses) sees the text.
    jsonpath_limits::check(expression, store.items.len()).map_err(ApiError::malformed)?;
    let path = serde_json_path::JsonPath::parse(expression)
        .map_err(|e| ApiError::malformed(e.to_string()))?;
    let documents: Vec<Value> = store.items.iter().map(Item::document).collect();
    let mut root = Map::new();
    root.insert("items".into(), Value::Array(documents));
    let root = Value::Object(root);
    let objects = root["items"].as_array().cloned().unwrap_or_default();
    let mut chosen: Vec<usize> = Vec::new();
    for node in path.query(&root).all() {
        let candidates: Vec<&Value> = match node {
            Value::Array(elements) => elements.iter().collect(),
            Value::Object(map) if map.get("items").is_some_and(Value::is_array) => map["items"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other => vec![other],
        };
        for candidate in candidates {
            let index = objects.iter().position(|o| o == candidate).ok_or_else(|| {
                ApiError::validation(
                    "JSONPath query must select complete resource objects from the collection",
                )
            })?;
            if !chosen.contains(&index) {
                chosen.push(index);
            }
        }
    }
    chosen.sort_unstable();
    Ok(chosen.into_iter().map(|i| store.items[i].clone()).collect())
}

/// Item fields as the structured query checks them; prices compare as text.
fn structured_type(name: &str) -> Option<query::QueryFieldType> {
    match name {
        "id" | "numberinstock" => Some(query::QueryFieldType::Integer),
        "type" | "isbn13" | "price" => Some(query::QueryFieldType::Text),
        _ => None,
    }
}

fn create(store: &mut Store, req: &PracticeRequest, format: &MediaType) -> Result<Reply, Reply> {
    let fields = write_fields(req, ITEM.singular, format)?;
    let draft = validate_create(&fields).map_err(|e| render::refusal(&e, format))?;
    unique(store, &draft, None).map_err(|e| render::refusal(&e, format))?;
    if store.items.len() >= MAX_ITEMS {
        let message = format!("ERROR: Cannot add instance, maximum limit of {MAX_ITEMS} reached");
        return Err(render::error(StatusCode::CONFLICT, &message, format));
    }
    let item = Item {
        id: store.take_id(),
        ..draft
    };
    let location = format!("/simpleapi/items/{}", item.id);
    let reply = render::one(StatusCode::CREATED, &ITEM, &item.row(), format)
        .with_header(LOCATION, &location);
    store.items.push(item);
    Ok(reply)
}

fn save(
    store: &mut Store,
    index: usize,
    updated: Item,
    format: &MediaType,
) -> Result<Reply, Reply> {
    unique(store, &updated, Some(index)).map_err(|e| render::refusal(&e, format))?;
    let reply = render::one(StatusCode::OK, &ITEM, &updated.row(), format);
    store.items[index] = updated;
    Ok(reply)
}

fn patch(
    store: &mut Store,
    req: &PracticeRequest,
    id: &str,
    format: &MediaType,
) -> Result<Reply, Reply> {
    let index = store.find(id).ok_or_else(|| missing(id, format))?;
    let current = &store.items[index];
    let content_type = req.header("content-type");
    let updated = match body_kind(content_type) {
        BodyKind::Json | BodyKind::Missing => {
            let fields = write_fields(req, ITEM.singular, format)?;
            amend(current, &fields)
        }
        BodyKind::MergePatch => merge_patch(current, req.body),
        BodyKind::JsonPatch => json_patch(current, req.body),
        BodyKind::Xml => {
            let refusal = render::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported PATCH Content Type",
                format,
            );
            return Err(with(refusal, "accept-patch", ACCEPT_PATCH));
        }
        _ => {
            let message = format!("Unsupported Content Type - {}", content_type.unwrap_or(""));
            return Err(render::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &message,
                format,
            ));
        }
    }
    .map_err(|e| render::refusal(&e, format))?;
    save(store, index, updated, format)
}

fn merge_patch(item: &Item, body: &[u8]) -> Result<Item, ApiError> {
    let patch: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::malformed(MALFORMED_MERGE_PATCH))?;
    if !patch.is_object() {
        return Err(ApiError::validation(MERGE_PATCH_NOT_OBJECT));
    }
    let mut document = item.document();
    json_patch::merge(&mut document, &patch);
    replace_with_document(item, document)
}

fn json_patch(item: &Item, body: &[u8]) -> Result<Item, ApiError> {
    let operations: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::malformed(MALFORMED_JSON_PATCH))?;
    if !operations.is_array() {
        return Err(ApiError::malformed(JSON_PATCH_NOT_ARRAY));
    }
    let patch: json_patch::Patch = serde_json::from_value(operations)
        .map_err(|_| ApiError::new(ErrorKind::Conflict, JSON_PATCH_NOT_APPLIED))?;
    let mut document = item.document();
    json_patch::patch(&mut document, &patch)
        .map_err(|_| ApiError::new(ErrorKind::Conflict, JSON_PATCH_NOT_APPLIED))?;
    replace_with_document(item, document)
}

fn replace_with_document(item: &Item, document: Value) -> Result<Item, ApiError> {
    match document {
        Value::Object(fields) => replace(item, &fields),
        _ => Err(ApiError::validation(PATCH_RESULT_NOT_OBJECT)),
    }
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// The declared type of a field, as the engine names it.
fn declared_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "id" => "AUTO_INCREMENT",
        "type" => "ENUM",
        "isbn13" => "STRING",
        "price" => "FLOAT",
        "numberinstock" => "INTEGER",
        _ => return None,
    })
}

fn accepts(declared: &str, value: &Value) -> bool {
    match declared {
        "ENUM" | "STRING" => value.is_string(),
        "FLOAT" => value.is_number(),
        _ => value.is_i64() || value.is_u64(),
    }
}

/// Stage 1: `<field> should be <TYPE> but was <SOURCE>`. Updates skip a plain id, which
/// is compared as text instead.
fn type_errors(fields: &Map<String, Value>, check_id: bool) -> Vec<String> {
    fields
        .iter()
        .filter_map(|(name, value)| {
            let declared = declared_type(name)?;
            let plain_id = name == "id" && !matches!(value, Value::Object(_) | Value::Array(_));
            if (plain_id && !check_id) || accepts(declared, value) {
                return None;
            }
            Some(format!(
                "{name} should be {declared} but was {}",
                source_type(value)
            ))
        })
        .collect()
}

/// The value as the engine holds it in text.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Stage 3, then the mandatory fields when nothing else is wrong.
fn rule_errors(fields: &Map<String, Value>, mandatory: bool) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, value) in fields {
        let text = value_text(value);
        match name.as_str() {
            "id" => {}
            "type" => {
                if !TYPES.contains(&text.as_str()) {
                    errors.push(format!(
                        "type : {text} does not match type ENUM - valid values are [{}]",
                        TYPES.join(",")
                    ));
                }
            }
            "isbn13" => {
                if !isbn_matches(&text) {
                    errors.push(format!("isbn13 does not match the regex {ISBN_PATTERN}"));
                }
                if text.chars().count() > ISBN_MAX {
                    errors.push(format!(
                        "Maximum allowable length exceeded for isbn13 - maximum allowed is {ISBN_MAX}"
                    ));
                }
            }
            "price" => {
                let price = value.as_f64().unwrap_or(f64::NAN) as f32;
                if !(0.0..=PRICE_MAX).contains(&price) {
                    errors.push(format!(
                        "price : {text} is not within range for type FLOAT (0.000000 to 50000.000000)"
                    ));
                }
            }
            "numberinstock" => {
                let stock = value.as_i64().unwrap_or(-1);
                if !(0..=STOCK_MAX).contains(&stock) {
                    errors.push(format!(
                        "numberinstock : {text} is not within range for type INTEGER (0 to {STOCK_MAX})"
                    ));
                }
            }
            other => errors.push(format!("Could not find field: {other}")),
        }
    }
    if errors.is_empty() && mandatory {
        for name in ["type", "isbn13", "price"] {
            if !fields.contains_key(name) {
                errors.push(format!("{name} : field is mandatory"));
            }
        }
    }
    errors
}

/// The whole text matches `ddd[-]d[-]dd[-]dddddd[-]d`.
fn isbn_matches(text: &str) -> bool {
    let mut rest = text.as_bytes();
    for (index, run) in [3usize, 1, 2, 6, 1].iter().enumerate() {
        if index > 0 {
            if let [b'-', tail @ ..] = rest {
                rest = tail;
            }
        }
        if rest.len() < *run || !rest[..*run].iter().all(u8::is_ascii_digit) {
            return false;
        }
        rest = &rest[*run..];
    }
    rest.is_empty()
}

fn prefixed(errors: &[String]) -> String {
    format!("{VALIDATION_PREFIX}{}", errors.join(", "))
}

/// Create messages: a lone mandatory-field error is bare, everything else prefixed.
fn create_invalid(message: String) -> ApiError {
    let lone_mandatory = message.ends_with(" : field is mandatory") && !message.contains(", ");
    if lone_mandatory || message.starts_with(VALIDATION_PREFIX) {
        return ApiError::validation(message);
    }
    ApiError::validation(format!("{VALIDATION_PREFIX}{message}"))
}

fn validate_create(fields: &Map<String, Value>) -> Result<Item, ApiError> {
    let wrong_types = type_errors(fields, true);
    if !wrong_types.is_empty() {
        return Err(create_invalid(wrong_types.join(", ")));
    }
    if fields.contains_key("id") {
        return Err(create_invalid(CREATE_WITH_ID.to_string()));
    }
    let broken = rule_errors(fields, true);
    if broken.len() == 1 && broken[0].ends_with(" : field is mandatory") {
        return Err(create_invalid(broken[0].clone()));
    }
    if !broken.is_empty() {
        return Err(create_invalid(prefixed(&broken)));
    }
    Ok(apply(blank_item(0), fields))
}

fn blank_item(id: u64) -> Item {
    Item {
        id,
        kind: String::new(),
        isbn13: String::new(),
        price: 0.0,
        price_text: java_float(0.0),
        numberinstock: 0,
    }
}

/// Copy validated fields onto an item.
fn apply(mut item: Item, fields: &Map<String, Value>) -> Item {
    for (name, value) in fields {
        match name.as_str() {
            "type" => item.kind = value_text(value),
            "isbn13" => item.isbn13 = value_text(value),
            "price" => {
                item.price = value.as_f64().unwrap_or(0.0) as f32;
                item.price_text = java_float(item.price);
            }
            "numberinstock" => item.numberinstock = value.as_i64().unwrap_or(0),
            _ => {}
        }
    }
    item
}

fn validate_update(
    item: &Item,
    fields: &Map<String, Value>,
    mandatory: bool,
) -> Result<(), ApiError> {
    let wrong_types = type_errors(fields, false);
    if !wrong_types.is_empty() {
        return Err(ApiError::validation(wrong_types.join(", ")));
    }
    if let Some(new_id) = fields.get("id").filter(|v| !v.is_null()) {
        let new_id = match new_id {
            Value::Number(n) if n.is_f64() => format!("{}", n.as_f64().unwrap_or(0.0).trunc()),
            other => value_text(other),
        };
        if new_id != item.id.to_string() {
            return Err(ApiError::validation(format!(
                "Can not amend id from {} to {new_id}",
                item.id
            )));
        }
    }
    let broken = rule_errors(fields, mandatory);
    if !broken.is_empty() {
        return Err(ApiError::validation(prefixed(&broken)));
    }
    Ok(())
}

/// POST to an item, and PATCH with JSON: only the fields sent change.
fn amend(item: &Item, fields: &Map<String, Value>) -> Result<Item, ApiError> {
    validate_update(item, fields, false)?;
    Ok(apply(item.clone(), fields))
}

/// PUT: a full replacement; `numberinstock` reverts to 0 when not sent.
fn replace(item: &Item, fields: &Map<String, Value>) -> Result<Item, ApiError> {
    validate_update(item, fields, true)?;
    Ok(apply(blank_item(item.id), fields))
}

/// No other item may have the same ISBN once dashes are removed.
fn unique(store: &Store, candidate: &Item, skip: Option<usize>) -> Result<(), ApiError> {
    let normal = |isbn: &str| isbn.replace('-', "");
    let wanted = normal(&candidate.isbn13);
    let clash = store
        .items
        .iter()
        .enumerate()
        .any(|(index, item)| Some(index) != skip && normal(&item.isbn13) == wanted);
    if clash {
        return Err(ApiError::validation(format!(
            "{VALIDATION_PREFIX}Field isbn13 Value is not unique"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn_pattern_allows_each_dash_to_be_left_out() {
        assert!(isbn_matches("123-4-56-789012-3"));
        assert!(isbn_matches("1234567890123"));
        assert!(isbn_matches("123-456-789012-3"));
        assert!(!isbn_matches("123--4-56-789012-3"));
        assert!(!isbn_matches("123-4-56-789012-"));
        assert!(!isbn_matches("12a4567890123"));
        assert!(!isbn_matches("12345678901234"));
    }

    #[test]
    fn seed_data_is_eight_items_and_the_counter_skips_ids_in_use() {
        let items = Items::default();
        let mut store = items.store.lock();
        assert_eq!(store.items.len(), 8);
        assert_eq!(store.items[7].id, 8);
        store.next_id = MAX_ID + 1;
        store.before_request();
        assert_eq!(store.next_id, 1);
        assert_eq!(store.take_id(), 9);
    }
}
