//! The API From Hell's OpenAPI documents (`/fromhell/docs/...`), generated from the
//! catalogue so a REST client can import every endpoint, and the viewer page.

use hyper::header::HeaderName;
use hyper::HeaderMap;
use hyper::StatusCode;
use serde_json::{json, Map, Value};

use super::catalogue::{Endpoint, DESCRIPTION, ENDPOINTS, NAME};
use super::{COMMON_HEADERS, PAGE, PREFIX};
use crate::http::reply::Reply;
use crate::site::html;

const CLOUD_SERVER: &str = "https://apichallenges.com";
const LOCAL_SERVER: &str = "http://localhost:4567";

/// Answer `/fromhell/docs/{doc}`; `None` is the site 404.
pub fn route(doc: &str, method: &str, raw_query: &str, headers: &HeaderMap) -> Option<Reply> {
    if !matches!(method, "GET" | "HEAD") {
        return None;
    }
    let version = match doc {
        "openapi.json" | "openapi-3.1.json" | "swagger" => "3.1.0",
        "openapi-3.0.json" => "3.0.3",
        "openapi-3.2.json" => "3.2.0",
        "swagger-ui" => return Some(html::reply(StatusCode::OK, viewer_page())),
        _ => return None,
    };
    let text = document(version, &request_origin(headers));
    if doc == "swagger" {
        return Some(
            Reply::body(StatusCode::OK, "application/octet-stream", text).with_header(
                HeaderName::from_static("content-disposition"),
                "attachment; filename=\"api-from-hell-openapi.json\"",
            ),
        );
    }
    let mut reply = Reply::json(StatusCode::OK, text);
    if html::query_param(raw_query, "download").is_some() {
        reply.set_header(
            HeaderName::from_static("content-disposition"),
            &format!("attachment; filename=\"{doc}\""),
        );
    }
    Some(reply)
}

/// The document for one OpenAPI version, naming `origin` as the first server.
pub fn document(version: &str, origin: &str) -> String {
    let mut servers: Vec<Value> = Vec::new();
    for (url, description) in [
        (origin, "current request"),
        (CLOUD_SERVER, "cloud hosted version"),
        (LOCAL_SERVER, "local execution"),
    ] {
        let url = url.trim();
        if !url.is_empty() && !servers.iter().any(|s| s["url"] == url) {
            servers.push(json!({"url": url, "description": description}));
        }
    }
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        let entry = paths
            .entry(format!("{PREFIX}{}", endpoint.path))
            .or_insert_with(|| Value::Object(Map::new()));
        entry[endpoint.method.to_ascii_lowercase()] = operation(endpoint);
    }
    let doc = json!({
        "openapi": version,
        "info": {"title": NAME, "version": "1.0.0", "description": DESCRIPTION},
        "servers": servers,
        "paths": paths,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn operation(endpoint: &Endpoint) -> Value {
    let mut headers = Map::new();
    if let Some(content_type) = endpoint.content_type {
        headers.insert("Content-Type".into(), header_spec(content_type));
    }
    for (name, value) in COMMON_HEADERS {
        headers.insert(canonical(name), header_spec(value));
    }
    let mut response = Map::new();
    response.insert("description".into(), endpoint.label.into());
    response.insert("headers".into(), Value::Object(headers));
    if let Some(content_type) = endpoint.content_type {
        let example = String::from_utf8_lossy(endpoint.body);
        response.insert(
            "content".into(),
            json!({content_type: {"schema": {"type": "string"}, "example": example}}),
        );
    }
    json!({
        "tags": [NAME],
        "summary": endpoint.label,
        "description": format!(
            "What is wrong: {}\n\nWhat to check in your client: {}",
            endpoint.problem, endpoint.expectation
        ),
        "operationId": operation_id(endpoint),
        "responses": {endpoint.status.to_string(): response},
    })
}

/// `get` + `FromHell` + the path's words joined by underscores.
fn operation_id(endpoint: &Endpoint) -> String {
    let words: Vec<&str> = endpoint
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!(
        "{}FromHell{}",
        endpoint.method.to_ascii_lowercase(),
        words.join("_")
    )
}

fn header_spec(example: &str) -> Value {
    json!({"schema": {"type": "string"}, "example": example})
}

/// `access-control-allow-origin` as `Access-Control-Allow-Origin`.
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The address the client used, as a proxy reports it (`Forwarded`, then
/// `X-Forwarded-Proto`/`-Host`), else `http://` and the Host header.
fn request_origin(headers: &HeaderMap) -> String {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or("").trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let forwarded = |key: &str| {
        let first = header("forwarded")?;
        first.split(';').find_map(|part| {
            let part = part.trim();
            let (k, v) = part.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(key)
                .then(|| v.trim().trim_matches('"').to_string())
                .filter(|v| !v.is_empty())
        })
    };
    let scheme = forwarded("proto")
        .or_else(|| header("x-forwarded-proto"))
        .unwrap_or_else(|| "http".into());
    let host = forwarded("host")
        .or_else(|| header("x-forwarded-host"))
        .or_else(|| header("host"))
        .unwrap_or_else(|| "localhost:4567".into());
    // Only characters an origin can hold go into the document.
    let clean = |s: String| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(*c))
            .collect()
    };
    format!("{}://{}", clean(scheme), clean(host))
}

fn viewer_page() -> String {
    let body = format!(
        "<h1>{name} - Swagger UI</h1>\n\
<p>This server does not bundle Swagger UI or load it from the internet. Open one of these \
documents in Swagger UI, Postman, Insomnia or any OpenAPI tool by URL or as a file:</p>\n\
<ul>\n<li><a href=\"{PREFIX}/docs/openapi.json\">OpenAPI 3.1</a> \
(<a href=\"{PREFIX}/docs/openapi.json?download\">download</a>)</li>\n\
<li><a href=\"{PREFIX}/docs/openapi-3.1.json\">OpenAPI 3.1</a> (same document)</li>\n\
<li><a href=\"{PREFIX}/docs/openapi-3.0.json\">OpenAPI 3.0</a> \
(<a href=\"{PREFIX}/docs/openapi-3.0.json?download\">download</a>)</li>\n\
<li><a href=\"{PREFIX}/docs/openapi-3.2.json\">OpenAPI 3.2</a> \
(<a href=\"{PREFIX}/docs/openapi-3.2.json?download\">download</a>)</li>\n</ul>\n\
<p>What each endpoint does wrong is listed on <a href=\"{PAGE}\">the mode's page</a>.</p>\n",
        name = html::escape(NAME)
    );
    html::page(&format!("{NAME} - Swagger UI"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_documented_under_its_label() {
        let doc: Value = serde_json::from_str(&document("3.1.0", "http://h")).unwrap();
        for e in ENDPOINTS {
            let op = &doc["paths"][format!("/fromhell{}", e.path)][e.method.to_ascii_lowercase()];
            assert_eq!(op["summary"], e.label, "{}", e.path);
            assert!(op["responses"][e.status.to_string()].is_object());
        }
        assert_eq!(doc["servers"][0]["url"], "http://h");
    }

    #[test]
    fn operation_ids_join_the_path_words() {
        let e = ENDPOINTS.iter().find(|e| e.path == "/good/json").unwrap();
        assert_eq!(operation_id(e), "getFromHellgood_json");
    }

    #[test]
    fn forwarded_origin_comes_first_and_is_cleaned() {
        let mut h = HeaderMap::new();
        h.insert("host", "local:1".parse().unwrap());
        assert_eq!(request_origin(&h), "http://local:1");
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        h.insert("x-forwarded-host", "apichallenges.com".parse().unwrap());
        assert_eq!(request_origin(&h), "https://apichallenges.com");
        h.insert(
            "forwarded",
            "proto=http;host=\"a<b>.example\"".parse().unwrap(),
        );
        assert_eq!(request_origin(&h), "http://ab.example");
    }
}
