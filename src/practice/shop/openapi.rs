//! The shopping cart's documentation: `/shop/docs` (a readable page), its OpenAPI
//! documents (`/shop/docs/openapi.json`, `-3.0`, `-3.1`, `-3.2`, `?download`) and the
//! viewer page. The document is printed with ` : ` between names and values, the way
//! the reference's generator prints it, so text searches written against the
//! reference's document find the same text here.

use hyper::StatusCode;
use std::io;

use hyper::header::HeaderName;
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{json, Value};

use super::store::{MAX_CARTS, MAX_PRODUCTS};
use super::PAGE;
use crate::http::reply::Reply;
use crate::site::html;

pub const TITLE: &str = "Buggy API";
const DESCRIPTION: &str = "A deliberately buggy shopping cart API for practising API testing, \
mounted at /shop. Register a cart to get its bearer token.";

/// Answer `/shop/docs` and below; `None` is the site 404.
pub fn route(rest: &str, method: &str, raw_query: &str) -> Option<Reply> {
    if !matches!(method, "GET" | "HEAD") {
        return None;
    }
    let version = match rest {
        "" => return Some(html::reply(StatusCode::OK, docs_page())),
        "/swagger-ui" => return Some(html::reply(StatusCode::OK, viewer_page())),
        "/openapi.json" | "/openapi-3.1.json" => "3.1.0",
        "/openapi-3.0.json" => "3.0.3",
        "/openapi-3.2.json" => "3.2.0",
        _ => return None,
    };
    let mut reply = Reply::json(StatusCode::OK, document(version));
    if html::query_param(raw_query, "download").is_some() {
        let file = rest.trim_start_matches('/');
        reply.set_header(
            HeaderName::from_static("content-disposition"),
            &format!("attachment; filename=\"{file}\""),
        );
    }
    Some(reply)
}

/// The OpenAPI document for one version.
pub fn document(version: &str) -> String {
    let id = |name: &str, what: &str| {
        json!({"name": name, "in": "path", "required": true, "description": what,
            "schema": {"type": "integer", "minimum": 1}})
    };
    let cart_id = id("id", "Cart identifier returned by POST /shop/register.");
    let item_id = id("relatedId", "Cart item identifier.");
    let checkout_id = id("cartId", "Cart identifier returned by POST /shop/register.");
    let bearer = json!([{"cartToken": []}]);
    let error = |status: &str, what: &str| (status.to_string(), response(what, "errorMessages"));
    let responses = |list: Vec<(String, Value)>| Value::Object(list.into_iter().collect());
    let doc = json!({
        "openapi": version,
        "info": {"title": TITLE, "version": "1.0.0", "description": DESCRIPTION},
        "servers": [
            {"url": "https://apichallenges.com", "description": "cloud hosted version"},
            {"url": "http://localhost:4567", "description": "local execution"}
        ],
        "paths": {
            "/shop/register": {"post": {
                "summary": "create a new open cart and return its bearer token",
                "responses": responses(vec![("201".into(), response("the new cart and its token", "register"))]),
            }},
            "/shop/products": {"get": {
                "summary": "list the product catalogue",
                "responses": responses(vec![("200".into(), response("all products", "products"))]),
            }},
            "/shop/products/{id}": {"get": {
                "summary": "one product",
                "parameters": [id("id", "Product identifier.")],
                "responses": responses(vec![
                    ("200".into(), response("the product", "product")),
                    error("404", "no such product"),
                ]),
            }},
            "/shop/carts": {"get": {
                "summary": "list carts (tokens are never shown)",
                "responses": responses(vec![("200".into(), response("all carts", "carts"))]),
            }},
            "/shop/carts/{id}": {
                "get": {
                    "summary": "one cart",
                    "parameters": [cart_id.clone()],
                    "responses": responses(vec![
                        ("200".into(), response("the cart", "PublicCart")),
                        error("404", "no such cart"),
                    ]),
                },
                "delete": {
                    "summary": "delete a cart using its bearer token",
                    "parameters": [cart_id.clone()],
                    "security": bearer.clone(),
                    "responses": responses(vec![
                        ("200".into(), response("the deleted cart's id", "deletedCart")),
                        error("401", "no bearer token"),
                        error("403", "another cart's token"),
                        error("404", "no such cart"),
                    ]),
                },
            },
            "/shop/carts/{id}/items": {
                "get": {
                    "summary": "a cart's items",
                    "parameters": [cart_id.clone()],
                    "responses": responses(vec![("200".into(), response("the items", "cartitems"))]),
                },
                "post": {
                    "summary": "add a product line to a cart using the cart bearer token (an id in the body changes that line)",
                    "parameters": [cart_id.clone()],
                    "security": bearer.clone(),
                    "requestBody": {"required": true, "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/create_AddedCartItem"}}}},
                    "responses": responses(vec![
                        ("201".into(), response("the new line", "AddedCartItem")),
                        ("200".into(), response("the changed line", "AddedCartItem")),
                        error("401", "no bearer token"),
                        error("403", "another cart's token"),
                        error("404", "no such cart, product or item"),
                        error("409", "not enough stock, or the cart is closed"),
                        error("422", "a field is missing or invalid"),
                    ]),
                },
            },
            "/shop/carts/{id}/items/{relatedId}": {"delete": {
                "summary": "delete a product line from a cart using the cart bearer token",
                "parameters": [cart_id, item_id],
                "security": bearer.clone(),
                "responses": responses(vec![
                    ("200".into(), response("what was deleted", "deletedItem")),
                    error("401", "no bearer token"),
                    error("403", "another cart's token"),
                    error("404", "no such cart or item"),
                    error("409", "the cart is closed"),
                ]),
            }},
            "/shop/checkout/{cartId}": {"post": {
                "summary": "checkout a cart using its bearer token in the Authorization header",
                "parameters": [checkout_id],
                "security": bearer,
                "responses": responses(vec![
                    ("200".into(), response("the closed cart and its stock changes", "checkout")),
                    error("401", "no bearer token"),
                    error("403", "another cart's token"),
                    error("404", "no such cart"),
                    error("409", "not enough stock, or already checked out"),
                ]),
            }},
        },
        "components": {
            "securitySchemes": {"cartToken": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
        },
    });
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SpacedColons::default());
    serde::Serialize::serialize(&doc, &mut ser).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

fn response(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json":
        {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn schemas() -> Value {
    let int = |min: i64, max: i64| json!({"type": "integer", "minimum": min, "maximum": max});
    let number = |min: f64, max: f64| json!({"type": "number", "minimum": min, "maximum": max});
    let list = |name: &str, item: &str| {
        json!({"type": "object", "properties": {name: {"type": "array",
            "items": {"$ref": format!("#/components/schemas/{item}")}}}})
    };
    json!({
        "product": {"type": "object", "properties": {
            "id": int(1, MAX_PRODUCTS as i64), "productCode": {"type": "string"},
            "category": {"type": "string"}, "unitPrice": number(0.01, 500.0),
            "stock": int(-1000, 9999)}},
        "products": list("products", "product"),
        "PublicCart": {"type": "object", "properties": {
            "id": int(1, i64::from(u32::MAX)),
            "state": {"type": "string", "enum": ["open", "closed", "abandoned"]},
            "createdTick": {"type": "integer"}, "updatedTick": {"type": "integer"},
            "checkoutTick": {"type": "integer"}}},
        "carts": list("carts", "PublicCart"),
        "create_AddedCartItem": {"type": "object", "required": ["productId", "quantity"],
            "properties": {"id": {"type": "integer", "description": "an existing line to change"},
                "productId": int(1, MAX_PRODUCTS as i64), "quantity": int(-1000, 9999)}},
        "AddedCartItem": {"type": "object", "properties": {
            "id": {"type": "integer"}, "cartId": {"type": "integer"},
            "productId": int(1, MAX_PRODUCTS as i64), "quantity": int(-1000, 9999),
            "unitPriceAtAdd": number(0.0, 500.0), "stockAtAdd": int(-1000, 9999)}},
        "cartitems": list("cartitems", "AddedCartItem"),
        "register": {"type": "object", "properties": {
            "cartId": {"type": "integer"}, "token": {"type": "string", "format": "uuid"}}},
        "deletedCart": {"type": "object", "properties": {"deletedCartId": {"type": "integer"}}},
        "deletedItem": {"type": "object", "properties": {"cartId": {"type": "integer"},
            "deletedItemId": {"type": "integer"}, "state": {"type": "string"}}},
        "checkout": {"type": "object", "properties": {
            "cartId": {"type": "integer"}, "state": {"type": "string"},
            "itemCount": {"type": "integer"}, "total": {"type": "number"},
            "stockChanges": {"type": "array", "items": {"type": "object", "properties": {
                "productId": {"type": "integer"}, "productCode": {"type": "string"},
                "before": {"type": "integer"}, "reducedBy": {"type": "integer"},
                "after": {"type": "integer"}}}}}},
        "errorMessages": {"type": "object", "properties": {"errorMessages":
            {"type": "array", "items": {"type": "string"}}}},
    })
}

/// Two-space pretty printing with ` : ` after each name.
#[derive(Default)]
struct SpacedColons(PrettyFormatter<'static>);

impl Formatter for SpacedColons {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b" : ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn docs_page() -> String {
    let body = format!(
        "<h1>{TITLE}</h1>\n<p>The shopping cart practice API at <code>/shop</code>: \
{products} products at most, the newest {carts} carts kept. What it is for and its routes \
are on <a href=\"{PAGE}\">the mode's page</a>.</p>\n<ul>\n\
<li><a href=\"/shop/docs/openapi.json\">OpenAPI 3.1</a> \
(<a href=\"/shop/docs/openapi.json?download\">download</a>)</li>\n\
<li><a href=\"/shop/docs/openapi-3.0.json\">OpenAPI 3.0</a></li>\n\
<li><a href=\"/shop/docs/openapi-3.2.json\">OpenAPI 3.2</a></li>\n</ul>\n",
        products = MAX_PRODUCTS,
        carts = MAX_CARTS
    );
    html::page(TITLE, &body)
}

fn viewer_page() -> String {
    let body = format!(
        "<h1>{TITLE} - Swagger UI</h1>\n<p>This server does not bundle Swagger UI or load it \
from the internet. Open <a href=\"/shop/docs/openapi.json\">the OpenAPI document</a> in \
Swagger UI or any OpenAPI tool by URL or as a file.</p>\n"
    );
    html::page(&format!("{TITLE} - Swagger UI"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_json_with_spaced_colons() {
        let text = document("3.1.0");
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(text.contains("\"scheme\" : \"bearer\""));
        assert!(text.contains("\"name\" : \"relatedId\""));
        assert!(!text.contains("/shop/cartitems") && !text.contains("\"patch\""));
        let create = &doc["components"]["schemas"]["create_AddedCartItem"]["properties"];
        assert!(create.get("unitPriceAtAdd").is_none() && create.get("quantity").is_some());
    }
}
