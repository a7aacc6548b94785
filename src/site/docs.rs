//! API documentation under `/api/docs`: the OpenAPI document in several flavours, the HTML
//! docs page generated from it, the legacy swagger download and the viewer pages.
//!
//! The OpenAPI document is built once per flavour from one description of the routes,
//! so the JSON and the HTML page cannot disagree. Flavours:
//! * `openapi.json`, `openapi-3.1.json`: OpenAPI 3.1.0;
//! * `openapi-3.0.json`: the same document declared 3.0.3 (it only uses constructs both
//!   versions share);
//! * `openapi-3.2.json`: 3.2.0, where `QUERY /api/todos` is a real `query` operation
//!   (earlier versions have no QUERY method, so it sits in `x-query-operation`);
//! * `?permissive`: field constraints (lengths, ranges, enums, closed objects) removed
//!   and the method-not-allowed (405) operations listed, for exploratory tools.

use hyper::StatusCode;
use std::sync::OnceLock;

use hyper::header::{CACHE_CONTROL, CONTENT_DISPOSITION, LOCATION};
use serde_json::{json, Map, Value};

use crate::app::App;
use crate::http::reply::Reply;
use crate::site::html::{self, escape, shell_quote};

/// Cache policy of every docs response (the reference's, cacheable unlike the API's `no-store`).
pub const DOCS_CACHE_CONTROL: &str =
    "public, max-age=300, s-maxage=86400, stale-while-revalidate=604800, stale-if-error=604800";

/// OpenAPI version of a document flavour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
    V3_2,
}

impl Version {
    fn number(self) -> &'static str {
        match self {
            Version::V3_0 => "3.0.3",
            Version::V3_1 => "3.1.0",
            Version::V3_2 => "3.2.0",
        }
    }
    fn slot(self) -> usize {
        match self {
            Version::V3_0 => 0,
            Version::V3_1 => 1,
            Version::V3_2 => 2,
        }
    }
}

/// The OpenAPI files under `/api/docs/` and their versions.
const DOCUMENTS: [(&str, Version); 4] = [
    ("openapi.json", Version::V3_1),
    ("openapi-3.0.json", Version::V3_0),
    ("openapi-3.1.json", Version::V3_1),
    ("openapi-3.2.json", Version::V3_2),
];

/// Answer an `/api/docs...` path, or None when no docs page lives there.
pub fn route(app: &App, path: &str, raw_query: &str) -> Option<Reply> {
    let has = |name: &str| html::query_param(raw_query, name).is_some();
    let permissive = has("permissive");
    let file = path.strip_prefix("/api/docs/").unwrap_or("");
    let document = DOCUMENTS.iter().find(|(name, _)| *name == file);
    let reply = match (path, document) {
        (_, Some((name, version))) => openapi_reply(*version, name, permissive, has("download")),
        ("/api/docs", _) => html_reply(docs_page(app)),
        ("/api/docs/swagger", _) => swagger_reply(permissive),
        // No viewer is bundled and nothing is fetched from a CDN, so the old viewer
        // addresses lead to this page, which documents every operation with curl.
        ("/api/docs/swagger-ui" | "/api/docs/scalar-ui", _) => {
            Reply::empty(StatusCode::MOVED_PERMANENTLY).with_header(LOCATION, "/api/docs#routes")
        }
        _ => return None,
    };
    Some(reply.with_header(CACHE_CONTROL, DOCS_CACHE_CONTROL))
}

fn html_reply(page: String) -> Reply {
    Reply::body(StatusCode::OK, html::HTML, page)
}

fn file_name(name: &str, permissive: bool) -> String {
    if permissive {
        format!("permissive-{name}")
    } else {
        name.to_string()
    }
}

fn openapi_reply(version: Version, name: &str, permissive: bool, download: bool) -> Reply {
    let reply = Reply::json(StatusCode::OK, openapi_json(version, permissive));
    if download {
        let disposition = format!("attachment; filename=\"{}\"", file_name(name, permissive));
        reply.with_header(CONTENT_DISPOSITION, &disposition)
    } else {
        reply
    }
}

/// The legacy download: the 3.0 document (the version older tools read) as a file.
fn swagger_reply(permissive: bool) -> Reply {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file_name("swagger.json", permissive)
    );
    Reply::body(
        StatusCode::OK,
        "application/octet-stream",
        openapi_json(Version::V3_0, permissive),
    )
    .with_header(CONTENT_DISPOSITION, &disposition)
}

/// The rendered document of a flavour, built on first use.
pub fn openapi_json(version: Version, permissive: bool) -> String {
    static CACHE: [OnceLock<String>; 6] = [const { OnceLock::new() }; 6];
    CACHE[version.slot() * 2 + usize::from(permissive)]
        .get_or_init(|| {
            serde_json::to_string_pretty(&document(version, permissive)).unwrap_or_default()
        })
        .clone()
}

// ---------------------------------------------------------------------------
// Building the OpenAPI document
// ---------------------------------------------------------------------------

/// Media types a todo list (or a single todo wrapped as a list) can be sent as.
const LIST_TYPES: [&str; 11] = [
    "application/json",
    "application/xml",
    "text/xml",
    "application/vnd.apichallenges.todo+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/plain",
    "text/html",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
];

/// Media types an error body can be sent as (HTML and plain text fall back to JSON).
const ERROR_TYPES: [&str; 8] = [
    "application/json",
    "application/xml",
    "text/xml",
    "text/csv",
    "text/tab-separated-values",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
];

/// Media types `GET /api/todos/export` produces (chosen by `?format=`).
const EXPORT_TYPES: [&str; 10] = [
    "application/json",
    "application/xml",
    "text/xml",
    "text/csv",
    "text/plain",
    "text/html",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
    "text/tab-separated-values",
];

const QUERY_TYPES: &str =
    "application/x-www-form-urlencoded, application/jsonpath, application/vnd.thingifier.query+json";

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn param_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

/// Content for `types`: the JSON and XML ones described by `schema`, the others as text.
fn content(types: &[&str], schema: &Value) -> Value {
    let mut map = Map::new();
    for t in types {
        let structured = *t == "application/json" || t.ends_with("xml");
        let entry = if structured {
            json!({ "schema": schema })
        } else {
            json!({ "schema": { "type": "string" } })
        };
        map.insert((*t).to_string(), entry);
    }
    Value::Object(map)
}

/// A response with no body described.
fn plain(description: &str) -> Value {
    json!({ "description": description })
}

fn with_body(description: &str, types: &[&str], schema: &Value) -> Value {
    json!({ "description": description, "content": content(types, schema) })
}

/// An error response in the error envelope.
fn error(description: &str) -> Value {
    with_body(description, &ERROR_TYPES, &schema_ref("ErrorMessages"))
}

/// Add response headers (names of `components.headers`) to a response.
fn headers(mut response: Value, names: &[&str]) -> Value {
    let mut map = Map::new();
    for name in names {
        map.insert(
            (*name).to_string(),
            json!({ "$ref": format!("#/components/headers/{name}") }),
        );
    }
    response["headers"] = Value::Object(map);
    response
}

/// One operation under construction.
struct Op {
    value: Map<String, Value>,
    responses: Map<String, Value>,
}

impl Op {
    fn new(id: &str, tag: &str, summary: &str, description: &str) -> Op {
        let mut value = Map::new();
        value.insert("operationId".into(), id.into());
        value.insert("tags".into(), json!([tag]));
        value.insert("summary".into(), summary.into());
        value.insert("description".into(), description.into());
        value.insert("parameters".into(), json!([param_ref("XChallenger")]));
        Op {
            value,
            responses: Map::new(),
        }
    }

    fn param(mut self, parameter: Value) -> Op {
        if let Some(Value::Array(list)) = self.value.get_mut("parameters") {
            list.insert(0, parameter);
        }
        self
    }

    fn body(mut self, description: &str, content: Value) -> Op {
        self.value.insert(
            "requestBody".into(),
            json!({ "description": description, "required": true, "content": content }),
        );
        self
    }

    fn security(mut self, schemes: &[&str]) -> Op {
        let list: Vec<Value> = schemes.iter().map(|s| json!({ *s: [] })).collect();
        self.value.insert("security".into(), Value::Array(list));
        self
    }

    fn respond(mut self, status: &str, response: Value) -> Op {
        self.responses.insert(status.into(), response);
        self
    }

    fn build(mut self) -> Value {
        self.responses.insert(
            "431".into(),
            json!({ "$ref": "#/components/responses/ChallengerHeaderTooLarge" }),
        );
        let mut sorted: Vec<(String, Value)> = self.responses.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        self.value.insert(
            "responses".into(),
            Value::Object(sorted.into_iter().collect()),
        );
        Value::Object(self.value)
    }
}

/// The whole document for a flavour.
pub fn document(version: Version, permissive: bool) -> Value {
    let mut paths = paths();
    if permissive {
        add_not_allowed_operations(&mut paths);
    }
    promote_query(&mut paths, version);
    let mut doc = json!({
        "openapi": version.number(),
        "info": {
            "title": "API Challenges",
            "version": "1.0.0",
            "description": INFO_DESCRIPTION,
        },
        "servers": [
            { "url": "https://apichallenges.com", "description": "cloud hosted version" },
            { "url": "http://localhost:4567", "description": "local execution" },
        ],
        "tags": [
            { "name": "Challenger", "description": "Sessions: create a challenger, save and restore progress and todos." },
            { "name": "Challenges", "description": "The challenge list and your status in it." },
            { "name": "Todos", "description": "The todo resource the challenges are about." },
            { "name": "Heartbeat", "description": "Liveness, and practice with unusual status codes." },
            { "name": "Secret", "description": "Basic authentication for a token; a note the token guards." },
        ],
        "paths": paths,
        "components": components(),
    });
    if permissive {
        relax(&mut doc);
    }
    doc
}

/// 3.2 has a `query` operation; earlier versions keep it under an extension key.
fn promote_query(paths: &mut Value, version: Version) {
    if version != Version::V3_2 {
        return;
    }
    if let Some(item) = paths.get_mut("/api/todos").and_then(Value::as_object_mut) {
        if let Some(op) = item.remove("x-query-operation") {
            item.insert("query".into(), op);
        }
    }
}

/// Permissive flavour: drop the field constraints a strict client would enforce.
fn relax(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in [
                "maxLength",
                "minLength",
                "maximum",
                "minimum",
                "enum",
                "maxItems",
            ] {
                map.remove(key);
            }
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            map.values_mut().for_each(relax);
        }
        Value::Array(items) => items.iter_mut().for_each(relax),
        _ => {}
    }
}

/// Permissive flavour: list the methods each route refuses with 405.
fn add_not_allowed_operations(paths: &mut Value) {
    let refused: [(&str, &[&str], bool); 10] = [
        ("/api/todos", &["delete", "patch", "trace"], true),
        ("/api/todos/{id}", &["trace"], true),
        (
            "/api/todos/export",
            &["head", "post", "put", "delete", "patch"],
            true,
        ),
        ("/api/heartbeat", &["post", "put", "delete"], false),
        (
            "/api/challenges",
            &["post", "put", "delete", "patch"],
            false,
        ),
        (
            "/api/challenger",
            &["get", "head", "put", "delete", "patch"],
            false,
        ),
        (
            "/api/challenger/{guid}",
            &["post", "delete", "patch"],
            false,
        ),
        (
            "/api/challenger/database/{guid}",
            &["post", "delete", "patch"],
            false,
        ),
        ("/api/secret/token", &["put", "delete", "patch"], false),
        ("/api/secret/note", &["put", "delete", "patch"], false),
    ];
    for (path, methods, todo_route) in refused {
        let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) else {
            continue;
        };
        for method in methods {
            let id = format!("{method}NotAllowed{}", path.replace(['/', '{', '}'], "_"));
            let mut op = Op::new(
                &id,
                "Not allowed",
                &format!("{} {path} is not allowed", method.to_uppercase()),
                "The route exists but does not support this method: 405 with an empty body.",
            )
            .respond("405", plain("Method not allowed (empty body)."));
            if todo_route {
                op = op.respond(
                    "401",
                    error("Multi-user mode: a write without a known X-CHALLENGER."),
                );
            }
            item.insert((*method).to_string(), op.build());
        }
    }
}

const INFO_DESCRIPTION: &str = "A practice API for learning to test HTTP APIs: a small todo \
list and a set of challenges that complete as you exercise it. Every route also exists \
without the `/api` prefix (e.g. `/todos`); the only difference is the `Location` of \
created todos.\n\nSingle-user mode (the default): every request counts for the one \
player, no header needed. Multi-user mode: create a session with `POST /api/challenger`, \
then send its GUID in the `X-CHALLENGER` header on every request; writes to todos \
without a known challenger are refused with 401.\n\nResponses are negotiated with \
`Accept` (JSON by default; XML, CSV, TSV, plain text, HTML, NDJSON, JSON Lines and \
JSON text sequences for todos). Request bodies are JSON or XML. Errors use the \
envelope `{\"errorMessages\":[\"...\"]}` (XML: `<errorMessages><errorMessage>...`). \
A POST may carry `X-HTTP-Method-Override` to be routed as another method.";

/// Every route of the challenge API with its methods, under `/api`.
fn paths() -> Value {
    json!({
        "/api/challenger": {
            "post": create_challenger(),
            "options": options_op("optionsChallenger", "Challenger", "POST, OPTIONS", "204"),
        },
        "/api/challenger/{guid}": {
            "parameters": [param_ref("Guid")],
            "get": challenger_progress("getChallengerProgress", "Get a challenger's progress", true),
            "head": challenger_progress("headChallengerProgress", "Headers of a challenger's progress", false),
            "put": restore_progress(),
            "options": options_op("optionsChallengerProgress", "Challenger", "GET, PUT, HEAD, OPTIONS", "204"),
        },
        "/api/challenger/database/{guid}": {
            "parameters": [param_ref("Guid")],
            "get": challenger_database("getChallengerDatabase", "Get a challenger's todos", true),
            "head": challenger_database("headChallengerDatabase", "Headers of a challenger's todos", false),
            "put": restore_database(),
            "options": options_op("optionsChallengerDatabase", "Challenger", "GET, PUT, HEAD, OPTIONS", "204"),
        },
        "/api/challenges": {
            "get": challenges("getChallenges", "List the challenges and your status", true),
            "head": challenges("headChallenges", "Headers of the challenge list", false),
            "options": options_op("optionsChallenges", "Challenges", "GET, HEAD, OPTIONS", "200"),
        },
        "/api/heartbeat": {
            "get": heartbeat("getHeartbeat", "Is the server alive?", "204", "Alive (empty body)."),
            "head": heartbeat("headHeartbeat", "Is the server alive? (headers only)", "204", "Alive (empty body)."),
            "patch": heartbeat("patchHeartbeat", "Provoke a server error", "500", "Always: a deliberate internal server error (empty body)."),
            "trace": heartbeat("traceHeartbeat", "Provoke not-implemented", "501", "Always: not implemented (empty body)."),
            "options": options_op("optionsHeartbeat", "Heartbeat", "GET, HEAD, OPTIONS", "204"),
        },
        "/api/todos": {
            "get": list_todos("listTodos", "List todos", true),
            "head": list_todos("headTodos", "Headers of the todo list", false),
            "post": create_todo(),
            "put": put_todo_by_body_id(),
            "options": options_todos(),
            "x-query-operation": query_todos(),
        },
        "/api/todos/{id}": {
            "parameters": [param_ref("TodoId")],
            "get": get_todo("getTodo", "Get one todo", true),
            "head": get_todo("headTodo", "Headers of one todo", false),
            "post": amend_todo(),
            "put": replace_todo(),
            "patch": patch_todo(),
            "delete": delete_todo(),
            "options": options_todo(),
        },
        "/api/todos/export": {
            "get": export_todos(),
            "options": options_op("optionsTodosExport", "Todos", "GET, OPTIONS", "204"),
        },
        "/api/secret/token": {
            "get": get_token(),
            "post": create_token(),
            "options": options_op("optionsSecretToken", "Secret", "GET, POST, OPTIONS", "204"),
        },
        "/api/secret/note": {
            "get": get_note("getSecretNote", "Read the secret note", true),
            "head": get_note("headSecretNote", "Headers of the secret note", false),
            "post": post_note(),
            "options": options_op("optionsSecretNote", "Secret", "GET, HEAD, POST, OPTIONS", "204"),
        },
    })
}

fn options_op(id: &str, tag: &str, allow: &str, status: &str) -> Value {
    Op::new(
        id,
        tag,
        "Which methods the route supports",
        &format!("Empty body; `Allow: {allow}`."),
    )
    .respond(status, headers(plain("The supported methods."), &["Allow"]))
    .build()
}

fn create_challenger() -> Value {
    Op::new(
        "createChallenger",
        "Challenger",
        "Create a challenger session",
        "Single-user mode: always 201 for the single player. Multi-user mode: without \
         `X-CHALLENGER` a new session is created (201) with its own seeded todos; with the \
         GUID of a known session, 200 for that session; with an unknown GUID, 404. The \
         GUID is in the `X-CHALLENGER` response header and `Location` points at its \
         progress page. Bodies are empty.",
    )
    .respond(
        "200",
        headers(
            plain("An existing session (multi-user)."),
            &["X-CHALLENGER", "Location"],
        ),
    )
    .respond(
        "201",
        headers(
            plain("Created (or the single player)."),
            &["X-CHALLENGER", "Location"],
        ),
    )
    .respond(
        "404",
        headers(
            plain("Unknown X-CHALLENGER (empty body)."),
            &["X-CHALLENGER"],
        ),
    )
    .build()
}

fn challenger_progress(id: &str, summary: &str, with_body: bool) -> Value {
    let ok = if with_body {
        self::with_body(
            "The progress payload.",
            &["application/json"],
            &schema_ref("ChallengerProgress"),
        )
    } else {
        plain("The progress payload's headers.")
    };
    Op::new(
        id,
        "Challenger",
        summary,
        "The auth token, note and the status of every challenge, in the form \
         `PUT /api/challenger/{guid}` accepts. Single-user mode: any GUID means the \
         single player.",
    )
    .respond("200", headers(ok, &["X-CHALLENGER"]))
    .respond("400", error("Multi-user mode: the GUID is not a UUID."))
    .respond(
        "404",
        headers(plain("Unknown challenger (empty body)."), &["X-CHALLENGER"]),
    )
    .build()
}

fn restore_progress() -> Value {
    Op::new(
        "restoreChallengerProgress",
        "Challenger",
        "Restore a challenger's progress",
        "Replace a session's progress with a saved payload (as returned by GET). A session \
         in memory is updated (200, the new payload); otherwise it is created with fresh \
         todos (201, empty body). Only defined challenges are copied; the note is cut to \
         100 characters.",
    )
    .body(
        "A saved progress payload; `xChallenger` must equal the GUID in the URL.",
        json!({ "application/json": { "schema": schema_ref("ChallengerProgressInput") } }),
    )
    .respond(
        "200",
        headers(
            with_body(
                "Restored; the session's new payload.",
                &["application/json"],
                &schema_ref("ChallengerProgress"),
            ),
            &["X-CHALLENGER"],
        ),
    )
    .respond(
        "201",
        headers(
            plain("Restored into a new session (empty body)."),
            &["X-CHALLENGER"],
        ),
    )
    .respond(
        "400",
        error("Not a UUID (multi-user), or an empty or unreadable payload."),
    )
    .respond(
        "404",
        plain("No route: the GUID segment is empty (empty body)."),
    )
    .respond(
        "409",
        error("The payload's `xChallenger` differs from the URL GUID."),
    )
    .build()
}

fn challenger_database(id: &str, summary: &str, with_body: bool) -> Value {
    let ok = if with_body {
        self::with_body(
            "The todos.",
            &["application/json"],
            &schema_ref("TodoDatabase"),
        )
    } else {
        plain("The todos' headers.")
    };
    Op::new(
        id,
        "Challenger",
        summary,
        "All of a session's todos, in the form `PUT /api/challenger/database/{guid}` \
         accepts (fields never set may be omitted).",
    )
    .respond("200", headers(ok, &["X-CHALLENGER"]))
    .respond("400", error("Multi-user mode: the GUID is not a UUID."))
    .respond("404", error("Unknown challenger."))
    .build()
}

fn restore_database() -> Value {
    Op::new(
        "restoreChallengerDatabase",
        "Challenger",
        "Restore a challenger's todos",
        "Replace a session's todos with a saved set (ids are kept; new todos continue \
         after the highest). Restore the progress first: the session must be in memory.",
    )
    .body(
        "The todos, as returned by GET.",
        json!({ "application/json": { "schema": schema_ref("TodoDatabaseInput") } }),
    )
    .respond(
        "204",
        headers(plain("Replaced (empty body)."), &["X-CHALLENGER"]),
    )
    .respond(
        "400",
        error("Not a UUID (multi-user), or an unreadable or invalid todo set."),
    )
    .respond("404", error("The session is not in memory."))
    .build()
}

fn challenges(id: &str, summary: &str, with_body: bool) -> Value {
    let types = ["application/json", "application/xml", "text/xml"];
    let ok = if with_body {
        self::with_body("The challenges.", &types, &schema_ref("ChallengeList"))
    } else {
        plain("The challenge list's headers.")
    };
    Op::new(
        id,
        "Challenges",
        summary,
        "Every active challenge with its number, name, description and whether you have \
         completed it (all false without a known challenger). Filters on the fields work \
         as for todos, e.g. `?status=true`. XML when XML is preferred, otherwise JSON.",
    )
    .respond("200", headers(ok, &["X-CHALLENGER", "Location"]))
    .respond("400", error("An invalid filter."))
    .respond("406", error("No acceptable representation."))
    .build()
}

fn heartbeat(id: &str, summary: &str, status: &str, description: &str) -> Value {
    Op::new(
        id,
        "Heartbeat",
        summary,
        "GET and HEAD answer 204. PATCH deliberately answers 500 and TRACE 501 so that you \
         can practise with unusual status codes; POST, PUT and DELETE answer 405.",
    )
    .respond(status, plain(description))
    .build()
}

fn filter_params() -> Vec<Value> {
    [
        "Limit",
        "Offset",
        "SortBy",
        "FilterId",
        "FilterTitle",
        "FilterDoneStatus",
        "FilterDescription",
    ]
    .iter()
    .map(|name| param_ref(name))
    .collect()
}

fn list_todos(id: &str, summary: &str, with_body: bool) -> Value {
    let ok = if with_body {
        self::with_body("A page of todos.", &LIST_TYPES, &schema_ref("TodoList"))
    } else {
        plain("The list's headers; Content-Length is that of the GET body.")
    };
    let mut op = Op::new(
        id,
        "Todos",
        summary,
        "At most 10 todos unless `_limit` (up to 20) is given, in ascending id order \
         unless sorted. Filter with `field=value` and the operators `!=`, `<`, `>`, `<=`, \
         `>=`, `~=` (regular expression), `*=` (wildcards) and `%=` (contains), e.g. \
         `?doneStatus=true`, `?id>3`, `?title*=*paper*`. Multi-user mode without a known \
         challenger: a shared read-only list.",
    )
    .respond("200", headers(ok, &["X-CHALLENGER", "Accept-Query"]))
    .respond("400", error("`_limit` above 20, a negative or non-numeric `_limit`/`_offset`, or an invalid regular expression."))
    .respond("406", error("No acceptable representation."));
    for p in filter_params().into_iter().rev() {
        op = op.param(p);
    }
    op.build()
}

fn entity_content(schema: &str) -> Value {
    json!({
        "application/json": { "schema": schema_ref(schema) },
        "application/xml": { "schema": schema_ref(schema) },
    })
}

/// The failures every todo write shares (the checks that run before the route's own).
fn write_failures(op: Op) -> Op {
    op.respond("400", error("Malformed body, or no Content-Type."))
        .respond("401", error("Multi-user mode: no known X-CHALLENGER."))
        .respond("406", error("No acceptable representation."))
        .respond("413", error("The body is over 5000 bytes."))
        .respond("415", error("The Content-Type is not JSON or XML."))
        .respond(
            "422",
            error("A field is missing, unknown, too long or of the wrong type."),
        )
}

fn item_ok(description: &str) -> Value {
    with_body(description, &LIST_TYPES, &schema_ref("Todo"))
}

fn create_todo() -> Value {
    let op = Op::new(
        "createTodo",
        "Todos",
        "Create a todo",
        "`title` is required (1-50 characters); `doneStatus` defaults to false and \
         `description` (up to 200 characters) to \"\". Ids are assigned by the server. \
         A challenger holds at most 20 todos.",
    )
    .body("The new todo.", entity_content("TodoCreate"))
    .respond(
        "201",
        headers(item_ok("The created todo."), &["X-CHALLENGER", "Location"]),
    )
    .respond("409", error("The limit of 20 todos is reached."));
    write_failures(op).build()
}

fn put_todo_by_body_id() -> Value {
    let op = Op::new(
        "replaceTodoByBodyId",
        "Todos",
        "Replace the todo the body's id names",
        "A full replacement of an existing todo chosen by the `id` in the body. PUT never \
         creates todos.",
    )
    .body(
        "The replacement, with the id of an existing todo.",
        entity_content("TodoReplaceWithId"),
    )
    .respond(
        "200",
        headers(item_ok("The replaced todo."), &["X-CHALLENGER"]),
    );
    write_failures(op).build()
}

fn options_todos() -> Value {
    Op::new(
        "optionsTodos",
        "Todos",
        "Which methods the todo list supports",
        "Empty body; `Allow: OPTIONS, GET, HEAD, POST, QUERY` and `Accept-Query`. 200 when \
         the request names a known challenger (always in single-user mode), else 204.",
    )
    .respond(
        "200",
        headers(
            plain("The supported methods (known challenger)."),
            &["Allow", "Accept-Query"],
        ),
    )
    .respond(
        "204",
        headers(plain("The supported methods."), &["Allow", "Accept-Query"]),
    )
    .build()
}

fn query_todos() -> Value {
    Op::new(
        "queryTodos",
        "Todos",
        "Query todos with a body (HTTP QUERY)",
        "A safe read whose filter travels in the body; the Content-Type names the \
         language: form fields as in the GET query string, a JSONPath expression, or a \
         structured document with `filter`, `sort`, `limit` and `offset`.",
    )
    .body(
        "The query.",
        json!({
            "application/x-www-form-urlencoded": {
                "schema": { "type": "object", "additionalProperties": { "type": "string" } },
                "example": { "doneStatus": "true" }
            },
            "application/jsonpath": {
                "schema": { "type": "string" },
                "example": "$.todos[?(@.doneStatus == true)]"
            },
            "application/vnd.thingifier.query+json": {
                "schema": schema_ref("StructuredQuery"),
                "example": { "filter": { "doneStatus": true }, "sort": [{ "field": "id", "direction": "desc" }], "limit": 5 }
            }
        }),
    )
    .respond("200", headers(with_body("The matching todos.", &LIST_TYPES, &schema_ref("TodoList")), &["X-CHALLENGER", "Accept-Query"]))
    .respond("400", error("No Content-Type, or a malformed query."))
    .respond("406", error("No acceptable representation."))
    .respond("413", error("The body is over 5000 bytes."))
    .respond("415", headers(error("Not one of the three query types."), &["Accept-Query"]))
    .respond("422", error("Unknown fields or operators."))
    .build()
}

fn get_todo(id: &str, summary: &str, with_body: bool) -> Value {
    let mut types: Vec<&str> = LIST_TYPES.to_vec();
    types.push("text/calendar");
    let ok = if with_body {
        self::with_body(
            "The todo, wrapped as a one-item list (`text/calendar`: a VTODO).",
            &types,
            &schema_ref("TodoList"),
        )
    } else {
        plain("The todo's headers.")
    };
    let not_found = if with_body {
        error("No todo with this id.")
    } else {
        plain("No todo with this id.")
    };
    Op::new(
        id,
        "Todos",
        summary,
        "One todo by id, in any list representation or as iCalendar.",
    )
    .respond("200", headers(ok, &["X-CHALLENGER"]))
    .respond("404", not_found)
    .respond("406", error("No acceptable representation."))
    .build()
}

fn amend_todo() -> Value {
    let op = Op::new(
        "amendTodo",
        "Todos",
        "Amend a todo",
        "Change only the fields supplied; the others keep their values.",
    )
    .body("The fields to change.", entity_content("TodoAmend"))
    .respond(
        "200",
        headers(item_ok("The updated todo."), &["X-CHALLENGER"]),
    )
    .respond("404", error("No todo with this id."));
    write_failures(op).build()
}

fn replace_todo() -> Value {
    let op = Op::new(
        "replaceTodo",
        "Todos",
        "Replace a todo",
        "A full replacement: `title` is required and omitted fields return to their \
         defaults. An `id` in the body must equal the URL id. PUT never creates todos.",
    )
    .body("The replacement.", entity_content("TodoReplace"))
    .respond(
        "200",
        headers(item_ok("The replaced todo."), &["X-CHALLENGER"]),
    )
    .respond("404", error("No todo with this id."));
    write_failures(op).build()
}

fn patch_todo() -> Value {
    let op = Op::new(
        "patchTodo",
        "Todos",
        "Patch a todo",
        "Three styles, chosen by Content-Type: `application/json` (change the supplied \
         fields), `application/merge-patch+json` (RFC 7396) and \
         `application/json-patch+json` (RFC 6902).",
    )
    .body(
        "The patch.",
        json!({
            "application/json": { "schema": schema_ref("TodoAmend") },
            "application/merge-patch+json": { "schema": schema_ref("MergePatch") },
            "application/json-patch+json": { "schema": schema_ref("JsonPatch") },
        }),
    )
    .respond(
        "200",
        headers(item_ok("The patched todo."), &["X-CHALLENGER"]),
    )
    .respond("404", error("No todo with this id."))
    .respond("409", error("The JSON Patch could not be applied."))
    .respond(
        "415",
        headers(error("Not a patch Content-Type."), &["Accept-Patch"]),
    );
    write_failures(op).build()
}

fn delete_todo() -> Value {
    Op::new(
        "deleteTodo",
        "Todos",
        "Delete a todo",
        "Ids are never reused.",
    )
    .respond(
        "204",
        headers(plain("Deleted (empty body)."), &["X-CHALLENGER"]),
    )
    .respond("401", error("Multi-user mode: no known X-CHALLENGER."))
    .respond("404", error("No todo with this id."))
    .respond("406", error("No acceptable representation."))
    .build()
}

fn options_todo() -> Value {
    Op::new(
        "optionsTodo",
        "Todos",
        "Which methods a todo supports",
        "Empty body; `Allow: OPTIONS, GET, HEAD, POST, PUT, DELETE` (PATCH works but is \
         not listed) and `Accept-Patch`.",
    )
    .respond(
        "204",
        headers(plain("The supported methods."), &["Allow", "Accept-Patch"]),
    )
    .build()
}

fn export_todos() -> Value {
    Op::new(
        "exportTodos",
        "Todos",
        "Export all todos as a file",
        "Every todo as a download in the format named by `format`; the Accept header is \
         not used.",
    )
    .param(param_ref("ExportFormat"))
    .respond(
        "200",
        headers(
            with_body(
                "The todos as a file.",
                &EXPORT_TYPES,
                &schema_ref("TodoList"),
            ),
            &["X-CHALLENGER", "Content-Disposition"],
        ),
    )
    .respond(
        "400",
        with_body(
            "Missing or unknown format.",
            &["application/json"],
            &schema_ref("ErrorMessages"),
        ),
    )
    .build()
}

fn get_token() -> Value {
    Op::new(
        "getSecretToken",
        "Secret",
        "Read your auth token",
        "Basic authentication as admin/password. Multi-user mode without any \
         X-CHALLENGER: a read-only token.",
    )
    .security(&["basicAuth"])
    .respond(
        "200",
        headers(
            with_body(
                "The token (also in X-AUTH-TOKEN).",
                &["application/json"],
                &schema_ref("Token"),
            ),
            &["X-AUTH-TOKEN", "X-CHALLENGER"],
        ),
    )
    .respond(
        "401",
        headers(
            plain("Wrong or missing credentials, or an unknown challenger (empty body)."),
            &["WWW-Authenticate"],
        ),
    )
    .build()
}

fn create_token() -> Value {
    Op::new(
        "createSecretToken",
        "Secret",
        "Get your auth token",
        "Basic authentication as admin/password; the token is in the X-AUTH-TOKEN response \
         header and stays the same for the session's life.",
    )
    .security(&["basicAuth"])
    .respond(
        "201",
        headers(
            plain("The token is in X-AUTH-TOKEN (empty body)."),
            &["X-AUTH-TOKEN", "X-CHALLENGER"],
        ),
    )
    .respond(
        "401",
        headers(
            plain("Wrong or missing credentials, or an unknown challenger (empty body)."),
            &["WWW-Authenticate"],
        ),
    )
    .build()
}

fn note_types() -> [&'static str; 2] {
    ["application/json", "application/xml"]
}

fn note_refusals(op: Op) -> Op {
    op.respond(
        "401",
        headers(
            plain("No challenger or no token (empty body)."),
            &["WWW-Authenticate"],
        ),
    )
    .respond(
        "403",
        plain("The token is not this challenger's (empty body)."),
    )
    .respond("406", plain("No acceptable representation (empty body)."))
}

fn get_note(id: &str, summary: &str, with_body: bool) -> Value {
    let ok = if with_body {
        self::with_body("The note.", &note_types(), &schema_ref("SecretNote"))
    } else {
        plain("The note's headers.")
    };
    let op = Op::new(
        id,
        "Secret",
        summary,
        "Send the token from /api/secret/token as `X-AUTH-TOKEN` or as \
         `Authorization: Bearer <token>` (Bearer wins when both are sent).",
    )
    .security(&["authToken", "bearerAuth"])
    .respond("200", headers(ok, &["X-CHALLENGER"]));
    note_refusals(op).build()
}

fn post_note() -> Value {
    let op = Op::new(
        "postSecretNote",
        "Secret",
        "Write the secret note",
        "Store a note (cut to 100 characters) on your session. Token as for GET.",
    )
    .security(&["authToken", "bearerAuth"])
    .body(
        "The note.",
        json!({
            "application/json": { "schema": schema_ref("SecretNoteInput") },
            "application/xml": { "schema": schema_ref("SecretNoteInput") },
        }),
    )
    .respond(
        "200",
        headers(
            with_body("The stored note.", &note_types(), &schema_ref("SecretNote")),
            &["X-CHALLENGER"],
        ),
    )
    .respond("400", error("Malformed JSON."))
    .respond("413", error("The body is over 5000 bytes."))
    .respond(
        "415",
        plain("The Content-Type is not JSON or XML (empty body)."),
    )
    .respond(
        "422",
        error("`note` missing, of the wrong type, or other fields present."),
    );
    note_refusals(op).build()
}

fn components() -> Value {
    json!({
        "schemas": schemas(),
        "parameters": parameters(),
        "headers": response_headers(),
        "responses": {
            "ChallengerHeaderTooLarge": error("The X-CHALLENGER header is over 100 characters."),
        },
        "securitySchemes": {
            "basicAuth": { "type": "http", "scheme": "basic", "description": "Username `admin`, password `password`." },
            "bearerAuth": { "type": "http", "scheme": "bearer", "description": "The token from /api/secret/token." },
            "authToken": { "type": "apiKey", "in": "header", "name": "X-AUTH-TOKEN", "description": "The token from /api/secret/token." },
        },
    })
}

fn parameters() -> Value {
    json!({
        "XChallenger": {
            "name": "X-CHALLENGER", "in": "header", "required": false,
            "description": "Multi-user mode: the GUID of your challenger session (from POST /api/challenger). Ignored in single-user mode.",
            "schema": { "type": "string", "maxLength": 100 }
        },
        "Guid": {
            "name": "guid", "in": "path", "required": true,
            "description": "A challenger GUID (a UUID; `rest-api-challenges-single-player` in single-user mode).",
            "schema": { "type": "string", "minLength": 1 }
        },
        "TodoId": {
            "name": "id", "in": "path", "required": true,
            "description": "A todo id.",
            "schema": { "type": "integer", "minimum": 1 }
        },
        "Limit": {
            "name": "_limit", "in": "query", "required": false,
            "description": "Page size (default 10, at most 20).",
            "schema": { "type": "integer", "minimum": 0, "maximum": 20 }
        },
        "Offset": {
            "name": "_offset", "in": "query", "required": false,
            "description": "Todos to skip before the page starts (default 0).",
            "schema": { "type": "integer", "minimum": 0 }
        },
        "SortBy": {
            "name": "_sortBy", "in": "query", "required": false,
            "description": "Comma-separated field names; prefix `-` for descending, e.g. `doneStatus,-id`.",
            "schema": { "type": "string" }
        },
        "FilterId": {
            "name": "id", "in": "query", "required": false,
            "description": "Only the todo with this id.",
            "schema": { "type": "integer" }
        },
        "FilterTitle": {
            "name": "title", "in": "query", "required": false,
            "description": "Only todos with exactly this title.",
            "schema": { "type": "string" }
        },
        "FilterDoneStatus": {
            "name": "doneStatus", "in": "query", "required": false,
            "description": "Only done (true) or not done (false) todos.",
            "schema": { "type": "boolean" }
        },
        "FilterDescription": {
            "name": "description", "in": "query", "required": false,
            "description": "Only todos with exactly this description.",
            "schema": { "type": "string" }
        },
        "ExportFormat": {
            "name": "format", "in": "query", "required": true,
            "description": "File format (case-insensitive). Aliases: txml, txt, plain, jsonseq, tab, tabs, tab-delimited, tab-separated.",
            "schema": { "type": "string", "enum": ["json", "xml", "text-xml", "csv", "text", "html", "ndjson", "jsonl", "json-seq", "tsv"] }
        },
    })
}

fn response_headers() -> Value {
    let text =
        |description: &str| json!({ "description": description, "schema": { "type": "string" } });
    json!({
        "X-CHALLENGER": text("The challenger the request counted for, or `UNKNOWN CHALLENGER - Challenger not found`."),
        "Location": text("Where the created resource, or the challenger's progress page, is."),
        "Allow": text("The methods the route supports."),
        "Accept-Query": text(&format!("The QUERY content types: {QUERY_TYPES}.")),
        "Accept-Patch": text("The PATCH content types."),
        "Content-Disposition": text("`attachment; filename=\"todos.<ext>\"`."),
        "X-AUTH-TOKEN": text("Your auth token."),
        "WWW-Authenticate": text("The authentication scheme to use."),
    })
}

fn todo_fields(constrained: bool) -> Value {
    let (title, description) = if constrained {
        (
            json!({ "type": "string", "minLength": 1, "maxLength": 50, "xml": { "name": "title" } }),
            json!({ "type": "string", "maxLength": 200, "xml": { "name": "description" } }),
        )
    } else {
        (json!({ "type": "string" }), json!({ "type": "string" }))
    };
    json!({
        "title": title,
        "doneStatus": { "type": "boolean" },
        "description": description,
    })
}

fn input_todo(required: &[&str], with_id: bool) -> Value {
    let mut properties = todo_fields(true);
    if with_id {
        properties["id"] = json!({ "type": "integer", "minimum": 1 });
    }
    let mut schema = json!({
        "type": "object",
        "xml": { "name": "todo" },
        "additionalProperties": false,
        "properties": properties,
    });
    // OpenAPI 3.0 forbids an empty `required` list.
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn schemas() -> Value {
    let mut todo_properties = json!({ "id": { "type": "integer" } });
    if let (Some(map), Value::Object(fields)) =
        (todo_properties.as_object_mut(), todo_fields(false))
    {
        map.extend(fields);
    }
    json!({
        "Todo": {
            "type": "object",
            "xml": { "name": "todo" },
            "required": ["id", "title", "doneStatus", "description"],
            "properties": todo_properties,
            "example": { "id": 11, "title": "file tax return", "doneStatus": false, "description": "" }
        },
        "TodoList": {
            "type": "object",
            "xml": { "name": "todos" },
            "required": ["todos"],
            "properties": { "todos": { "type": "array", "items": schema_ref("Todo") } }
        },
        "TodoCreate": input_todo(&["title"], false),
        "TodoAmend": input_todo(&[], false),
        "TodoReplace": input_todo(&["title"], true),
        "TodoReplaceWithId": input_todo(&["id", "title"], true),
        "MergePatch": {
            "type": "object",
            "description": "RFC 7396: fields to set; null removes (returns it to its default).",
            "properties": {
                "title": { "type": "string", "minLength": 1, "maxLength": 50 },
                "doneStatus": { "type": "boolean" },
                "description": { "type": "string", "maxLength": 200 }
            }
        },
        "JsonPatch": {
            "type": "array",
            "description": "RFC 6902 operations.",
            "items": {
                "type": "object",
                "required": ["op", "path"],
                "properties": {
                    "op": { "type": "string", "enum": ["add", "remove", "replace", "move", "copy", "test"] },
                    "path": { "type": "string" },
                    "from": { "type": "string" },
                    "value": {}
                }
            },
            "example": [{ "op": "replace", "path": "/doneStatus", "value": true }]
        },
        "StructuredQuery": {
            "type": "object",
            "properties": {
                "filter": { "type": "object", "description": "Field to value, or to operators such as `greaterThan`, `lessThan`, `contains`." },
                "sort": { "type": "array", "items": { "type": "object", "properties": {
                    "field": { "type": "string" },
                    "direction": { "type": "string", "enum": ["asc", "desc"] } } } },
                "limit": { "type": "integer", "minimum": 0 },
                "offset": { "type": "integer", "minimum": 0 }
            }
        },
        "ErrorMessages": {
            "type": "object",
            "xml": { "name": "errorMessages" },
            "required": ["errorMessages"],
            "properties": {
                "errorMessages": { "type": "array", "items": { "type": "string", "xml": { "name": "errorMessage" } } }
            },
            "example": { "errorMessages": ["title : field is mandatory"] }
        },
        "Challenge": {
            "type": "object",
            "xml": { "name": "challenge" },
            "required": ["id", "name", "description", "status"],
            "properties": {
                "id": { "type": "integer" },
                "name": { "type": "string" },
                "description": { "type": "string" },
                "status": { "type": "boolean" }
            }
        },
        "ChallengeList": {
            "type": "object",
            "xml": { "name": "challenges" },
            "required": ["challenges"],
            "properties": { "challenges": { "type": "array", "items": schema_ref("Challenge") } }
        },
        "ChallengerProgress": {
            "type": "object",
            "required": ["xAuthToken", "xChallenger", "secretNote", "challengeStatus"],
            "properties": {
                "xAuthToken": { "type": "string" },
                "xChallenger": { "type": "string" },
                "secretNote": { "type": "string" },
                "challengeStatus": { "type": "object", "additionalProperties": { "type": "boolean" } }
            }
        },
        "ChallengerProgressInput": {
            "type": "object",
            "required": ["xChallenger"],
            "properties": {
                "xAuthToken": { "type": "string", "description": "Kept when it is a UUID." },
                "xChallenger": { "type": "string", "description": "Must equal the GUID in the URL." },
                "secretNote": { "type": "string" },
                "challengeStatus": { "type": "object", "additionalProperties": { "type": "boolean" } }
            }
        },
        "TodoDatabase": {
            "type": "object",
            "required": ["todos"],
            "properties": {
                "todos": { "type": "array", "items": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": { "type": "integer" },
                        "title": { "type": "string" },
                        "doneStatus": { "type": "boolean" },
                        "description": { "type": "string" }
                    }
                } }
            }
        },
        "TodoDatabaseInput": {
            "type": "object",
            "required": ["todos"],
            "properties": {
                "todos": { "type": "array", "maxItems": 20, "items": {
                    "type": "object",
                    "required": ["id", "title"],
                    "additionalProperties": false,
                    "properties": {
                        "id": { "type": "integer", "minimum": 1 },
                        "title": { "type": "string", "minLength": 1, "maxLength": 50 },
                        "doneStatus": { "type": "boolean" },
                        "description": { "type": "string", "maxLength": 200 }
                    }
                } }
            }
        },
        "Token": {
            "type": "object",
            "required": ["token"],
            "properties": { "token": { "type": "string" } }
        },
        "SecretNote": {
            "type": "object",
            "xml": { "name": "secretnote" },
            "required": ["note"],
            "properties": { "note": { "type": "string" } }
        },
        "SecretNoteInput": {
            "type": "object",
            "xml": { "name": "secretnote" },
            "required": ["note"],
            "additionalProperties": false,
            "properties": { "note": { "type": "string" } }
        },
    })
}

// ---------------------------------------------------------------------------
// The HTML documentation page
// ---------------------------------------------------------------------------

const METHODS: [&str; 9] = [
    "get",
    "head",
    "post",
    "put",
    "patch",
    "delete",
    "options",
    "trace",
    "x-query-operation",
];

/// `GET /api/docs`: hand-written guidance, then every operation of the 3.1 document.
fn docs_page(app: &App) -> String {
    let doc = document(Version::V3_1, false);
    // The idle timeout the page states is the configured one.
    let idle = super::duration_words(app.config.idle_timeout.as_secs());
    let mut body = DOCS_INTRO.replace("idle for\n10 minutes", &format!("idle for\n{idle}"));
    body.push_str(&format!(
        "<p class=\"muted\">This server runs in {} mode and has {} active challenges.</p>\n",
        if app.config.multi_user {
            "multi-user"
        } else {
            "single-user"
        },
        app.active.indices.len()
    ));
    body.push_str("<h2 id=\"routes\">Routes</h2>\n");
    body.push_str(&route_index(&doc));
    body.push_str(
        "<h2 id=\"practice-modes\">Practice modes</h2>\n<p>Each has its own document:</p>\n",
    );
    body.push_str(&html::practice_links());
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    body.push_str(&operation_html(&doc, path, item, method, op));
                }
            }
        }
    }
    body.push_str(DOCS_SCRIPT);
    html::page("API documentation", &body)
}

fn method_label(method: &str) -> String {
    if method == "x-query-operation" {
        "QUERY".to_string()
    } else {
        method.to_uppercase()
    }
}

fn route_index(doc: &Value) -> String {
    let mut out = String::from("<table id=\"route-index\"><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>\n");
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let id = op["operationId"].as_str().unwrap_or("");
                    out.push_str(&format!(
                        "<tr><td><span class=\"method\">{}</span></td><td><a href=\"#op-{}\"><code>{}</code></a></td><td>{}</td></tr>\n",
                        method_label(method),
                        escape(id),
                        escape(path),
                        escape(op["summary"].as_str().unwrap_or(""))
                    ));
                }
            }
        }
    }
    out.push_str("</tbody></table>\n");
    out
}

/// Follow a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(doc, |v, key| &v[key]))
            .unwrap_or(value),
        None => value,
    }
}

fn operation_html(doc: &Value, path: &str, item: &Value, method: &str, op: &Value) -> String {
    let text = |key: &str| escape(op[key].as_str().unwrap_or(""));
    let mut out = format!(
        "<section class=\"card operation\" id=\"op-{id}\">\n<h3><span class=\"method\">{m}</span> <code>{path}</code></h3>\n\
<p><strong>{summary}</strong></p>\n<p>{description}</p>\n",
        id = text("operationId"),
        m = method_label(method),
        path = escape(path),
        summary = text("summary"),
        description = code_spans(op["description"].as_str().unwrap_or("")),
    );
    out.push_str(&parameters_html(doc, item, op));
    if let Some(body) = op.get("requestBody") {
        out.push_str(&format!(
            "<p>Request body: {} &mdash; {}</p>\n",
            code_spans(body["description"].as_str().unwrap_or("")),
            media_list(&body["content"])
        ));
    }
    if let Some(security) = op["security"].as_array() {
        let names: Vec<String> = security
            .iter()
            .filter_map(|s| s.as_object()?.keys().next().cloned())
            .collect();
        out.push_str(&format!(
            "<p>Authentication: {}</p>\n",
            escape(&names.join(" or "))
        ));
    }
    out.push_str(&responses_html(doc, op));
    out.push_str(&format!(
        "<p class=\"muted\">Example:</p>\n<pre class=\"curl\">{}</pre>\n",
        escape(&curl_example(
            &method_label(method),
            path,
            op["operationId"].as_str().unwrap_or("")
        ))
    ));
    out.push_str("</section>\n");
    out
}

/// The path item's parameters, then the operation's own.
fn parameters_html(doc: &Value, item: &Value, op: &Value) -> String {
    let list: Vec<&Value> = [&item["parameters"], &op["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .collect();
    if list.is_empty() {
        return String::new();
    }
    let mut out = String::from("<table class=\"params\"><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr></thead><tbody>\n");
    for p in list {
        let p = resolve(doc, p);
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(p["name"].as_str().unwrap_or("")),
            escape(p["in"].as_str().unwrap_or("")),
            if p["required"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            code_spans(p["description"].as_str().unwrap_or(""))
        ));
    }
    out.push_str("</tbody></table>\n");
    out
}

fn responses_html(doc: &Value, op: &Value) -> String {
    let mut out = String::from("<table class=\"responses\"><thead><tr><th>Status</th><th>Meaning</th><th>Headers</th><th>Body</th></tr></thead><tbody>\n");
    if let Some(responses) = op["responses"].as_object() {
        for (status, response) in responses {
            let response = resolve(doc, response);
            let header_names: Vec<String> = response["headers"]
                .as_object()
                .map(|h| {
                    h.keys()
                        .map(|k| format!("<code>{}</code>", escape(k)))
                        .collect()
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(status),
                code_spans(response["description"].as_str().unwrap_or("")),
                header_names.join(", "),
                media_list(&response["content"])
            ));
        }
    }
    out.push_str("</tbody></table>\n");
    out
}

/// The media types of a body; long negotiated lists are summarised.
fn media_list(content: &Value) -> String {
    let Some(map) = content.as_object().filter(|m| !m.is_empty()) else {
        return "empty".to_string();
    };
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    if keys.len() > 3 && keys[0] == "application/json" {
        let extra = if keys.contains(&"text/calendar") {
            ", or <code>text/calendar</code>"
        } else {
            ""
        };
        let others = keys.len() - 1 - usize::from(!extra.is_empty());
        return format!(
            "<code>application/json</code> by default; {others} other \
<a href=\"#formats\">negotiated formats</a>{extra}"
        );
    }
    keys.iter()
        .map(|k| format!("<code>{}</code>", escape(k)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escape text and render its `backtick` spans as `<code>`.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

const DOCS_INTRO: &str = r#"<h1>API documentation</h1>
<p>API Challenges is a small todo API for practising API testing. Each request you make can
complete challenges; see <a href="/gui/challenges">your progress</a>.</p>
<p>Machine-readable descriptions:
<a href="/api/docs/openapi.json">OpenAPI 3.1</a> (<a href="/api/docs/openapi.json?download">download</a>),
<a href="/api/docs/openapi-3.0.json">3.0</a>, <a href="/api/docs/openapi-3.2.json">3.2</a>
(with <code>QUERY</code> as a real operation), a
<a href="/api/docs/openapi.json?permissive">permissive variant</a> (no field constraints, 405 routes listed),
and the legacy <a href="/api/docs/swagger">swagger.json</a> download.</p>

<h2 id="examples">Examples</h2>
<p>Every operation below ends with a curl command for
<code class="example-base">http://localhost:4567</code>. Replace <code>your-guid-here</code> with
your <code>X-CHALLENGER</code> GUID and <code>your-token-here</code> with the token from
<code>POST /api/secret/token</code>. The restore commands send a file: save the answer of the
matching <code>GET</code> first (<code>curl ... &gt; progress.json</code>). Your
<a href="/gui/challenges">progress page</a> has a worked example for every challenge, with your
GUID filled in and a runner that sends it from the browser.</p>

<h2 id="prefixes">Paths</h2>
<p>Every route lives under <code>/api</code> (shown below) and, for older clients, at the root as
well: <code>/todos</code> behaves exactly like <code>/api/todos</code>, except that created todos are
located at <code>/todos/{id}</code>. Paths are exact: <code>/api/todos/</code> (trailing slash) and
<code>/api/todo</code> (singular) are unknown and answer 404.</p>

<h2 id="sessions">Sessions: single-user and multi-user</h2>
<ul>
<li><strong>Single-user mode</strong> (the default for a local server): every request counts
for the one player. No header is needed.</li>
<li><strong>Multi-user mode</strong>: <code>POST /api/challenger</code> creates a session and
returns its GUID in the <code>X-CHALLENGER</code> response header. Send
<code>X-CHALLENGER: &lt;guid&gt;</code> on every request. Without a known challenger, reads see
a shared read-only list and todo writes are refused with <code>401</code>. A session idle for
10 minutes leaves memory; save and restore it with <code>GET</code>/<code>PUT
/api/challenger/{guid}</code> and <code>/api/challenger/database/{guid}</code>.</li>
<li>Responses on API routes carry <code>X-CHALLENGER</code>: your GUID, or
<code>UNKNOWN CHALLENGER - Challenger not found</code>. A header longer than 100 characters is
refused with <code>431</code>.</li>
</ul>

<h2 id="todos">The todo resource</h2>
<table><thead><tr><th>Field</th><th>Type</th><th>Rules</th></tr></thead><tbody>
<tr><td><code>id</code></td><td>integer</td><td>assigned by the server; never reused; cannot be set or changed</td></tr>
<tr><td><code>title</code></td><td>string</td><td>required on create and PUT; 1 to 50 characters</td></tr>
<tr><td><code>doneStatus</code></td><td>boolean</td><td>default <code>false</code>; must be a JSON boolean</td></tr>
<tr><td><code>description</code></td><td>string</td><td>default <code>""</code>; up to 200 characters</td></tr>
</tbody></table>
<p>A challenger starts with 10 todos (ids 1&ndash;10) and may hold at most 20 (<code>409</code>
beyond). Request bodies are limited to 5000 bytes (<code>413</code>). Unknown fields and wrong
types are refused with <code>422</code>.</p>

<h2 id="formats">Representations</h2>
<ul>
<li><strong>Responses</strong> follow the <code>Accept</code> header: <code>application/json</code>
(default, also for no header or <code>*/*</code>), <code>application/xml</code>,
<code>text/xml</code>, <code>text/csv</code>, <code>text/tab-separated-values</code>,
<code>text/plain</code>, <code>text/html</code>, <code>application/x-ndjson</code>,
<code>application/jsonl</code>, <code>application/json-seq</code>, todo XML types such as
<code>application/vnd.apichallenges.todo+xml</code>, and <code>text/calendar</code> for a single
todo. q-values are honoured. Nothing acceptable: <code>406</code>.</li>
<li><strong>Request bodies</strong> are JSON (<code>application/json</code>) or XML
(<code>application/xml</code>, <code>text/xml</code>, e.g.
<code>&lt;todo&gt;&lt;title&gt;x&lt;/title&gt;&lt;/todo&gt;</code>). PATCH also takes
<code>application/merge-patch+json</code> and <code>application/json-patch+json</code>; QUERY takes
<code>application/x-www-form-urlencoded</code>, <code>application/jsonpath</code> and
<code>application/vnd.thingifier.query+json</code>. Anything else: <code>415</code>.</li>
<li><strong>Errors</strong> use one envelope: <code>{"errorMessages":["..."]}</code>, or in XML
<code>&lt;errorMessages&gt;&lt;errorMessage&gt;...&lt;/errorMessage&gt;&lt;/errorMessages&gt;</code>.</li>
</ul>

<h2 id="status-codes">Status codes</h2>
<table><thead><tr><th>Status</th><th>When</th></tr></thead><tbody>
<tr><td>200 / 201 / 204</td><td>success; created; success with no body</td></tr>
<tr><td>400</td><td>malformed body or query, <code>_limit</code> above 20, bad GUID</td></tr>
<tr><td>401</td><td>missing credentials, token or (multi-user) X-CHALLENGER for a write</td></tr>
<tr><td>403</td><td>a token that is not yours</td></tr>
<tr><td>404</td><td>unknown route, todo or challenger</td></tr>
<tr><td>405</td><td>the route does not support the method (empty body)</td></tr>
<tr><td>406 / 415</td><td>unsupported Accept / Content-Type</td></tr>
<tr><td>409</td><td>20 todos already, a JSON Patch that cannot apply, a restore for another GUID</td></tr>
<tr><td>413 / 431</td><td>body over 5000 bytes / X-CHALLENGER over 100 characters</td></tr>
<tr><td>422</td><td>a field missing, unknown, too long or of the wrong type</td></tr>
<tr><td>500 / 501</td><td>on purpose: <code>PATCH</code> / <code>TRACE /api/heartbeat</code></td></tr>
</tbody></table>

<h2 id="other-headers">Other headers</h2>
<ul>
<li><code>X-HTTP-Method-Override</code> on a POST routes it as the named method (e.g.
<code>DELETE</code>).</li>
<li>API responses allow any origin (CORS) and are not cached.</li>
<li>Authentication: <code>/api/secret/token</code> takes Basic <code>admin</code>/<code>password</code>
and returns your token in <code>X-AUTH-TOKEN</code>; <code>/api/secret/note</code> takes that token
as <code>X-AUTH-TOKEN</code> or <code>Authorization: Bearer</code>.</li>
</ul>
"#;

/// Where the curl examples point when the page is read without JavaScript (the
/// default local address); the page script swaps in the address it was loaded from.
const EXAMPLE_BASE: &str = "http://localhost:4567";

/// Stand-ins a reader replaces with their own values.
const YOUR_GUID: &str = "your-guid-here";
const YOUR_TOKEN: &str = "your-token-here";

/// A curl command for one documented operation: the path parameters filled with
/// examples, the learner's X-CHALLENGER, and the body or credentials the operation
/// needs. Restores read the file a previous GET was saved to.
fn curl_example(method: &str, path: &str, op_id: &str) -> String {
    let path = path.replace("{guid}", YOUR_GUID).replace("{id}", "1");
    let query = if op_id == "exportTodos" {
        "?format=csv"
    } else {
        ""
    };
    let flag = match method {
        "GET" => String::new(),
        "HEAD" => " --head".to_string(),
        other => format!(" -X {other}"),
    };
    let mut out = format!(
        "curl -i{flag} {}",
        shell_quote(&format!("{EXAMPLE_BASE}{path}{query}"))
    );
    let mut header = |text: &str| out.push_str(&format!(" \\\n  -H {}", shell_quote(text)));
    if op_id != "createChallenger" {
        header(&format!("X-CHALLENGER: {YOUR_GUID}"));
    }
    let json = "Content-Type: application/json";
    let body: Option<(&str, &str)> = match op_id {
        "createTodo" => Some((
            json,
            r#"{"title":"a new todo","doneStatus":false,"description":""}"#,
        )),
        "replaceTodoByBodyId" => Some((json, r#"{"id":1,"title":"replaced by body id"}"#)),
        "amendTodo" => Some((json, r#"{"title":"amended"}"#)),
        "replaceTodo" => Some((
            json,
            r#"{"title":"replaced","doneStatus":true,"description":"every field"}"#,
        )),
        "patchTodo" => Some((json, r#"{"doneStatus":true}"#)),
        "queryTodos" => Some((
            "Content-Type: application/x-www-form-urlencoded",
            "doneStatus=true",
        )),
        "postSecretNote" => Some((json, r#"{"note":"my secret note"}"#)),
        "restoreChallengerProgress" => Some((json, "@progress.json")),
        "restoreChallengerDatabase" => Some((json, "@todos.json")),
        _ => None,
    };
    if matches!(op_id, "getSecretNote" | "headSecretNote" | "postSecretNote") {
        header(&format!("X-AUTH-TOKEN: {YOUR_TOKEN}"));
    }
    if let Some((content_type, _)) = body {
        header(content_type);
    }
    if matches!(op_id, "createSecretToken" | "getSecretToken") {
        out.push_str(" \\\n  -u admin:password");
    }
    match body {
        Some((_, file)) if file.starts_with('@') => {
            out.push_str(&format!(" \\\n  --data-binary {file}"));
        }
        Some((_, text)) => out.push_str(&format!(" \\\n  --data-raw {}", shell_quote(text))),
        None => {}
    }
    out
}

/// Swaps the example address in the curl commands for the one the page came from.
const DOCS_SCRIPT: &str = r#"<script>(function () {
  var here = location.origin;
  if (!/^https?:/.test(here)) { return; }
  document.querySelectorAll('pre.curl').forEach(function (p) {
    p.textContent = p.textContent.split('http://localhost:4567').join(here);
  });
  document.querySelectorAll('.example-base').forEach(function (e) { e.textContent = here; });
})();</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn app() -> App {
        App::new(Config {
            storage: false,
            ..Config::default()
        })
    }

    fn get(path: &str, query: &str) -> Reply {
        route(&app(), path, query).expect("a docs route")
    }

    fn header(reply: &Reply, name: &str) -> Option<String> {
        reply
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }

    fn body_json(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn docs_page_is_cached_html_documenting_every_operation() {
        let r = get("/api/docs", "");
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            header(&r, "content-type").unwrap(),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&r, "cache-control").unwrap(), DOCS_CACHE_CONTROL);
        let html = String::from_utf8(r.body.to_vec()).unwrap();
        let doc = document(Version::V3_1, false);
        let mut count = 0;
        for item in doc["paths"].as_object().unwrap().values() {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let id = op["operationId"].as_str().unwrap();
                    assert!(html.contains(&format!("id=\"op-{id}\"")), "{id}");
                    count += 1;
                }
            }
        }
        assert_eq!(count, 40);
        assert!(html.contains("<span class=\"method\">QUERY</span> <code>/api/todos</code>"));
        assert!(html.contains("<code>X-CHALLENGER</code>"));
    }

    #[test]
    fn openapi_flavours_declare_their_versions() {
        for (path, version) in [
            ("/api/docs/openapi.json", "3.1.0"),
            ("/api/docs/openapi-3.0.json", "3.0.3"),
            ("/api/docs/openapi-3.1.json", "3.1.0"),
            ("/api/docs/openapi-3.2.json", "3.2.0"),
        ] {
            let r = get(path, "");
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(header(&r, "content-type").unwrap(), "application/json");
            assert_eq!(header(&r, "content-disposition"), None);
            let doc = body_json(&r);
            assert_eq!(doc["openapi"], version, "{path}");
            assert_eq!(doc["info"]["version"], "1.0.0");
            assert_eq!(
                doc["servers"],
                json!([
                    {"url":"https://apichallenges.com","description":"cloud hosted version"},
                    {"url":"http://localhost:4567","description":"local execution"}
                ])
            );
        }
    }

    #[test]
    fn query_is_an_operation_only_in_3_2() {
        let v31 = document(Version::V3_1, false);
        assert!(v31["paths"]["/api/todos"]["x-query-operation"].is_object());
        assert!(v31["paths"]["/api/todos"].get("query").is_none());
        let v32 = document(Version::V3_2, false);
        assert_eq!(
            v32["paths"]["/api/todos"]["query"]["operationId"],
            "queryTodos"
        );
        assert!(v32["paths"]["/api/todos"]
            .get("x-query-operation")
            .is_none());
    }

    #[test]
    fn download_and_permissive_name_the_file() {
        let r = get("/api/docs/openapi-3.0.json", "download");
        assert_eq!(
            header(&r, "content-disposition").unwrap(),
            "attachment; filename=\"openapi-3.0.json\""
        );
        let r = get("/api/docs/openapi.json", "permissive&download");
        assert_eq!(
            header(&r, "content-disposition").unwrap(),
            "attachment; filename=\"permissive-openapi.json\""
        );
        let r = get("/api/docs/swagger", "");
        assert_eq!(
            header(&r, "content-type").unwrap(),
            "application/octet-stream"
        );
        assert_eq!(
            header(&r, "content-disposition").unwrap(),
            "attachment; filename=\"swagger.json\""
        );
        assert_eq!(body_json(&r)["openapi"], "3.0.3");
        assert_eq!(header(&r, "cache-control").unwrap(), DOCS_CACHE_CONTROL);
    }

    #[test]
    fn permissive_drops_constraints_and_lists_refused_methods() {
        let strict = document(Version::V3_1, false);
        let loose = document(Version::V3_1, true);
        let create = &strict["components"]["schemas"]["TodoCreate"];
        assert_eq!(create["properties"]["title"]["maxLength"], 50);
        assert_eq!(create["additionalProperties"], false);
        let create = &loose["components"]["schemas"]["TodoCreate"];
        assert!(create["properties"]["title"].get("maxLength").is_none());
        assert!(create.get("additionalProperties").is_none());
        assert!(strict["paths"]["/api/todos"].get("delete").is_none());
        let refused = &loose["paths"]["/api/todos"]["delete"];
        assert!(refused["responses"]["405"].is_object());
        assert!(refused["responses"]["401"].is_object());
        assert!(loose["paths"]["/api/heartbeat"]["post"]["responses"]["405"].is_object());
    }

    #[test]
    fn every_operation_is_unique_and_answers_431() {
        for version in [Version::V3_0, Version::V3_1, Version::V3_2] {
            for permissive in [false, true] {
                let doc = document(version, permissive);
                let mut ids = std::collections::HashSet::new();
                for item in doc["paths"].as_object().unwrap().values() {
                    for (method, op) in item.as_object().unwrap() {
                        if method == "parameters" {
                            continue;
                        }
                        let id = op["operationId"].as_str().unwrap();
                        assert!(ids.insert(id.to_string()), "duplicate {id}");
                        assert!(op["responses"]["431"].is_object(), "{method} {id}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(doc: &Value, v: &Value) {
            match v {
                Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                        assert!(!resolve(doc, v).is_null(), "dangling {r}");
                    }
                    map.values().for_each(|x| walk(doc, x));
                }
                Value::Array(items) => items.iter().for_each(|x| walk(doc, x)),
                _ => {}
            }
        }
        let doc = document(Version::V3_1, true);
        walk(&doc, &doc);
    }

    #[test]
    fn documented_statuses_match_the_spec_for_key_routes() {
        let doc = document(Version::V3_1, false);
        let statuses = |path: &str, method: &str| -> Vec<String> {
            doc["paths"][path][method]["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(
            statuses("/api/todos", "post"),
            ["201", "400", "401", "406", "409", "413", "415", "422", "431"]
        );
        assert_eq!(
            statuses("/api/todos/{id}", "patch"),
            ["200", "400", "401", "404", "406", "409", "413", "415", "422", "431"]
        );
        assert_eq!(statuses("/api/heartbeat", "patch"), ["431", "500"]);
        assert_eq!(statuses("/api/heartbeat", "trace"), ["431", "501"]);
        assert_eq!(
            statuses("/api/challenger", "post"),
            ["200", "201", "404", "431"]
        );
        // Empty-bodied answers document no content, so no Content-Type is expected.
        assert!(
            doc["paths"]["/api/todos/{id}"]["delete"]["responses"]["204"]
                .get("content")
                .is_none()
        );
        let list = &doc["paths"]["/api/todos"]["get"]["responses"]["200"]["content"];
        assert!(list["text/csv"].is_object() && list["application/xml"].is_object());
    }

    #[test]
    fn viewer_addresses_lead_to_the_docs_page() {
        for path in ["/api/docs/swagger-ui", "/api/docs/scalar-ui"] {
            let r = get(path, "");
            assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
            assert_eq!(header(&r, "location").unwrap(), "/api/docs#routes");
        }
    }

    #[test]
    fn every_operation_has_a_curl_example() {
        let r = get("/api/docs", "");
        let html = String::from_utf8(r.body.to_vec()).unwrap();
        let sections = html.matches("<section class=\"card operation\"").count();
        assert_eq!(sections, 40);
        assert_eq!(
            html.matches("<pre class=\"curl\">curl -i").count(),
            sections
        );
        assert!(html.contains("curl -i -X POST &#39;http://localhost:4567/api/todos&#39; \\\n  -H &#39;X-CHALLENGER: your-guid-here&#39; \\\n  -H &#39;Content-Type: application/json&#39; \\\n  --data-raw &#39;{&quot;title&quot;:&quot;a new todo&quot;"));
        assert!(html.contains("curl -i -X TRACE &#39;http://localhost:4567/api/heartbeat&#39;"));
        assert!(html.contains("curl -i -X QUERY &#39;http://localhost:4567/api/todos&#39;"));
        assert!(html.contains("-u admin:password"));
        assert!(html.contains("--data-binary @progress.json"));
        assert!(
            html.contains("curl -i -X POST &#39;http://localhost:4567/api/challenger&#39;</pre>")
        );
        assert!(html.contains("&#39;http://localhost:4567/api/todos/export?format=csv&#39;"));
        assert!(!html.contains("https://"), "nothing loaded from elsewhere");
    }

    #[test]
    fn unknown_docs_paths_are_not_handled() {
        assert!(route(&app(), "/api/docs/", "").is_none());
        assert!(route(&app(), "/api/docs/other", "").is_none());
    }

    #[test]
    fn code_spans_escape_their_content() {
        assert_eq!(code_spans("a `<b>` c"), "a <code>&lt;b&gt;</code> c");
    }
}
