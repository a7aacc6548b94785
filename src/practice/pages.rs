//! What each practice mode is for, as pages and API documents, built from one table of
//! endpoints per mode:
//!
//! * `/practice-modes/<mode>`: the page (purpose, endpoints, example requests);
//! * `/<prefix>/docs`: the mode's endpoint list, and `/<prefix>/docs/openapi.json` its
//!   OpenAPI 3.0 document (each mode has its own document, as in the reference).
//!
//! Nothing a client sends appears on these pages; they are fixed text, and what little
//! is built goes through `site::html::escape`.

use hyper::StatusCode;
use serde_json::{json, Map, Value};

use crate::http::reply::Reply;
use crate::practice::PracticeRequest;
use crate::site::html::{self, escape};

/// One documented endpoint.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    statuses: &'static [u16],
    summary: &'static str,
}

const fn ep(
    method: &'static str,
    path: &'static str,
    statuses: &'static [u16],
    summary: &'static str,
) -> Endpoint {
    Endpoint {
        method,
        path,
        statuses,
        summary,
    }
}

/// One practice mode's documentation.
pub struct ModeDoc {
    /// The last segment of its page address.
    key: &'static str,
    title: &'static str,
    /// Where its endpoints live.
    prefix: &'static str,
    /// Paragraphs of HTML (fixed text).
    about: &'static str,
    endpoints: &'static [Endpoint],
    /// Example commands; `{base}` stands for the server's address.
    examples: &'static [&'static str],
}

const MIRROR: ModeDoc = ModeDoc {
    key: "mirror",
    title: "HTTP Mirror",
    prefix: "/mirror",
    about: "<p>The mirror answers with the request you sent: method, URL, query parameters, \
headers and body. Use it to see what your HTTP client really sends, and how a server reads \
it. Nothing is stored.</p>\n\
<p><code>/mirror/request</code> answers in the format your <code>Accept</code> header asks \
for (JSON by default, XML, or plain text); <code>/mirror/raw</code> always answers in plain \
text. Any path below either works too, e.g. <code>/mirror/raw/this/and/that?key=value</code>. \
HEAD and OPTIONS answer as usual. A body over 24000 bytes is refused with 413.</p>\n",
    endpoints: &[
        ep("GET", "/mirror/request", &[200, 413], "Mirror a GET request"),
        ep("POST", "/mirror/request", &[200, 413], "Mirror a POST request"),
        ep("PUT", "/mirror/request", &[200, 413], "Mirror a PUT request"),
        ep("DELETE", "/mirror/request", &[200, 413], "Mirror a DELETE request"),
        ep("PATCH", "/mirror/request", &[200, 413], "Mirror a PATCH request"),
        ep("QUERY", "/mirror/request", &[200, 413], "Mirror a QUERY request"),
        ep("TRACE", "/mirror/request", &[200, 413], "Mirror a TRACE request"),
        ep("HEAD", "/mirror/request", &[200], "Headers for mirror endpoint"),
        ep("OPTIONS", "/mirror/request", &[204], "Options for mirror endpoint"),
        ep("GET", "/mirror/raw", &[200, 413], "Raw text mirror of a GET request"),
        ep("POST", "/mirror/raw", &[200, 413], "Raw text mirror of a POST request"),
        ep("PUT", "/mirror/raw", &[200, 413], "Raw text mirror of a PUT request"),
        ep("DELETE", "/mirror/raw", &[200, 413], "Raw text mirror of a DELETE request"),
        ep("PATCH", "/mirror/raw", &[200, 413], "Raw text mirror of a PATCH request"),
        ep("QUERY", "/mirror/raw", &[200, 413], "Raw text mirror of a QUERY request"),
        ep("TRACE", "/mirror/raw", &[200, 413], "Raw text mirror of a TRACE request"),
        ep("HEAD", "/mirror/raw", &[200], "Headers for raw mirror endpoint"),
        ep("OPTIONS", "/mirror/raw", &[204], "Options for raw mirror endpoint"),
    ],
    examples: &[
        "curl -i {base}/mirror/request",
        "curl -i -H 'Accept: application/xml' '{base}/mirror/request/any/path?key=value'",
        "curl -i -X POST -H 'Content-Type: application/json' -d '{\"title\":\"hello\"}' {base}/mirror/raw",
    ],
};

const SIMPLE_API: ModeDoc = ModeDoc {
    key: "simpleapi",
    title: "Simple API",
    prefix: "/simpleapi",
    about: "<p>A small items API with no authentication, shared by everyone using this server: \
you can create, read, update and delete what you like, and so can everyone else. It is there \
to practise CRUD requests and validation without tracking.</p>\n\
<p>An item has an <code>id</code> (given by the server), a <code>type</code> \
(<code>book</code>, <code>blu-ray</code>, <code>cd</code> or <code>dvd</code>), an \
<code>isbn13</code> like <code>123-4-56-789012-3</code> (dashes optional, unique once they are \
removed), a <code>price</code> from 0 to 50000 and a <code>numberinstock</code> from 0 to 100 \
(default 0). JSON and XML are both accepted and returned. At most 100 items exist; when fewer \
than 5 are left, 8 new ones are added. <code>/simpleapi/randomisbn</code> gives a fresh \
ISBN to use.</p>\n",
    endpoints: &[
        ep("GET", "/simpleapi/items", &[200, 406], "List items (filter with ?field=value, sort with _sortBy)"),
        ep("HEAD", "/simpleapi/items", &[200], "Headers of the item list"),
        ep("POST", "/simpleapi/items", &[201, 400, 409, 413, 415, 422], "Create an item"),
        ep("QUERY", "/simpleapi/items", &[200, 400, 415, 422], "List items selected by the body"),
        ep("OPTIONS", "/simpleapi/items", &[204], "Methods of the item list"),
        ep("GET", "/simpleapi/items/{id}", &[200, 404], "Get one item"),
        ep("HEAD", "/simpleapi/items/{id}", &[200, 404], "Headers of one item"),
        ep("POST", "/simpleapi/items/{id}", &[200, 400, 404, 415, 422], "Amend the fields sent"),
        ep("PUT", "/simpleapi/items/{id}", &[200, 400, 415, 422], "Replace an item"),
        ep("PATCH", "/simpleapi/items/{id}", &[200, 400, 404, 409, 415, 422], "Patch an item (JSON, merge patch or JSON Patch)"),
        ep("DELETE", "/simpleapi/items/{id}", &[204, 404], "Delete an item"),
        ep("OPTIONS", "/simpleapi/items/{id}", &[204], "Methods of one item"),
        ep("GET", "/simpleapi/randomisbn", &[200], "A random ISBN for testing"),
    ],
    examples: &[
        "curl -i -H 'Accept: application/json' {base}/simpleapi/items",
        "curl -i -X POST -H 'Content-Type: application/json' -d '{\"type\":\"book\",\"isbn13\":\"123-4-56-789012-3\",\"price\":9.99}' {base}/simpleapi/items",
        "curl -i -X PATCH -H 'Content-Type: application/json' -d '{\"numberinstock\":5}' {base}/simpleapi/items/1",
        "curl -i -X DELETE {base}/simpleapi/items/1",
    ],
};

const SIMULATION: ModeDoc = ModeDoc {
    key: "simulation",
    title: "API Simulator",
    prefix: "/sim",
    about: "<p>A simulated entities API for first steps: its answers are scripted so that each \
request of the walkthrough succeeds, and nothing is stored. Follow the steps in order; a \
request out of order answers as the script says, e.g. after <code>DELETE /sim/entities/9</code> \
a GET of entity 9 is a 404, and it always was.</p>\n\
<p>Entities 1 to 10 exist. <code>POST /sim/entities</code> (or POST/PUT to \
<code>/sim/entities/11</code>) \"creates\" entity 11, which the list never shows; POST or PUT \
to entity 10 renames it <code>eris</code>; DELETE of entity 9 succeeds. Other changes are \
refused with 403.</p>\n",
    endpoints: &[
        ep("GET", "/sim/entities", &[200, 406], "List entities 1 to 10"),
        ep("HEAD", "/sim/entities", &[200], "Headers of the list"),
        ep("QUERY", "/sim/entities", &[200, 400, 415], "List entities selected by a form body"),
        ep("POST", "/sim/entities", &[201], "Create entity 11"),
        ep("OPTIONS", "/sim/entities", &[204], "Methods of the list"),
        ep("GET", "/sim/entities/{id}", &[200, 404], "Get one entity"),
        ep("HEAD", "/sim/entities/{id}", &[200, 404], "Headers of one entity"),
        ep("POST", "/sim/entities/{id}", &[200, 201, 403, 404], "Amend entity 10, create 11"),
        ep("PUT", "/sim/entities/{id}", &[200, 201, 403], "Amend entity 10, create 11"),
        ep("DELETE", "/sim/entities/{id}", &[204, 403, 404], "Delete entity 9"),
        ep("OPTIONS", "/sim/entities/{id}", &[204], "Methods of one entity"),
    ],
    examples: &[
        "curl -i {base}/sim/entities",
        "curl -i -X POST -H 'Content-Type: application/json' -d '{\"name\":\"bob\"}' {base}/sim/entities",
        "curl -i -X PUT -H 'Content-Type: application/json' -d '{\"name\":\"eris\"}' {base}/sim/entities/10",
        "curl -i -X DELETE {base}/sim/entities/9",
    ],
};

/// Every mode documented here, in menu order.
pub const MODES: [&ModeDoc; 3] = [&MIRROR, &SIMPLE_API, &SIMULATION];

pub fn is_page(path: &str) -> bool {
    mode_of_page(path).is_some()
}

fn mode_of_page(path: &str) -> Option<&'static ModeDoc> {
    let key = path.strip_prefix("/practice-modes/")?;
    MODES.into_iter().find(|mode| mode.key == key)
}

/// `GET /practice-modes/<mode>`.
pub fn page(req: &PracticeRequest) -> Option<Reply> {
    if !matches!(req.method, "GET" | "HEAD") {
        return None;
    }
    let mode = mode_of_page(req.path)?;
    let base = "http://localhost:4567";
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"muted\">A practice mode: requests here count towards no \
challenge and never touch your todos.</p>\n{}",
        escape(mode.title),
        mode.about
    );
    body.push_str("<h2>Endpoints</h2>\n");
    body.push_str(&endpoint_table(mode));
    body.push_str("<h2>Try it</h2>\n");
    for example in mode.examples {
        body.push_str(&format!(
            "<pre>{}</pre>\n",
            escape(&example.replace("{base}", base))
        ));
    }
    body.push_str(&format!(
        "<p class=\"muted\">Examples use <code>{base}</code>; use this server's address. \
The <a href=\"{0}/docs\">API documentation</a> and <a href=\"{0}/docs/openapi.json\">OpenAPI \
document</a> list every endpoint. Other modes:</p>\n{1}",
        mode.prefix,
        crate::site::html::practice_links()
    ));
    Some(html::reply(StatusCode::OK, html::page(mode.title, &body)))
}

fn endpoint_table(mode: &ModeDoc) -> String {
    let mut out = String::from(
        "<table><thead><tr><th>Method</th><th>Path</th><th>Statuses</th><th>What it does</th></tr></thead><tbody>\n",
    );
    for endpoint in mode.endpoints {
        let statuses: Vec<String> = endpoint.statuses.iter().map(u16::to_string).collect();
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
            escape(endpoint.method),
            escape(endpoint.path),
            statuses.join(", "),
            escape(endpoint.summary)
        ));
    }
    out.push_str("</tbody></table>\n");
    out
}

/// `<prefix>/docs` and `<prefix>/docs/openapi.json` of the mode at `prefix`.
pub fn docs(req: &PracticeRequest, prefix: &str) -> Option<Reply> {
    let rest = req.path.strip_prefix(prefix)?;
    if !matches!(rest, "/docs" | "/docs/openapi.json") {
        return None;
    }
    if !matches!(req.method, "GET" | "HEAD") {
        return None;
    }
    let mode = MODES.into_iter().find(|mode| mode.prefix == prefix)?;
    if rest == "/docs" {
        let body = format!(
            "<h1>{} API documentation</h1>\n{}<h2>Endpoints</h2>\n{}<p><a href=\"{}/docs/openapi.json\">\
OpenAPI document</a> &middot; <a href=\"/practice-modes/{}\">About this mode</a></p>\n",
            escape(mode.title),
            mode.about,
            endpoint_table(mode),
            mode.prefix,
            mode.key
        );
        return Some(html::reply(StatusCode::OK, html::page(mode.title, &body)));
    }
    Some(Reply::json(StatusCode::OK, openapi(mode).to_string()))
}

/// The mode's OpenAPI 3.0 document.
fn openapi(mode: &ModeDoc) -> Value {
    let mut paths = Map::new();
    for endpoint in mode.endpoints {
        let item = paths
            .entry(endpoint.path.to_string())
            .or_insert_with(|| json!({}));
        let mut responses = Map::new();
        for status in endpoint.statuses {
            responses.insert(
                status.to_string(),
                json!({ "description": reason(*status) }),
            );
        }
        let mut operation = json!({
            "summary": endpoint.summary,
            "operationId": format!("{}{}", endpoint.method.to_lowercase(), operation_name(endpoint.path)),
            "responses": responses,
        });
        if endpoint.path.contains("{id}") {
            operation["parameters"] = json!([{
                "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }
            }]);
        }
        // OpenAPI 3.0 has no QUERY operation; it is listed as an extension, as in the
        // challenge API's documents.
        let key = match endpoint.method {
            "QUERY" => "x-query-operation".to_string(),
            other => other.to_lowercase(),
        };
        item[key] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("{} (API Challenges practice mode)", mode.title),
            "version": "1.0.0",
            "description": format!("Practice mode served under {}. See /practice-modes/{}.", mode.prefix, mode.key),
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
    })
}

fn operation_name(path: &str) -> String {
    path.split(['/', '{', '}'])
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        501 => "Not Implemented",
        _ => "Response",
    }
}
