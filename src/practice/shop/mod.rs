//! The shopping cart practice mode under `/shop` (the "Buggy API"): register a cart,
//! browse the catalogue, add items with the cart's bearer token, check out. In the
//! default `classic` bug mode it carries the reference's deliberate bugs for learners
//! to find; `--shop-bugs none` switches the business-rule bugs off for comparison (the
//! HTTP contract bugs stay, as in the reference). Every bug is named at the place it
//! happens with `bugs.on()`, and listed in the table in `page.rs`.
//!
//! Carts are shared server state, bounded in number and pruned oldest first
//! (`store.rs`). Nothing here counts towards challenges or touches a learner's todos.

mod gui;
mod items;
mod openapi;
mod page;
pub mod store;

use hyper::header::{HeaderName, ALLOW, LOCATION, WWW_AUTHENTICATE};
use hyper::HeaderMap;
use hyper::StatusCode;
use parking_lot::Mutex;
use serde_json::{json, Value};

pub use crate::config::ShopBugs;
use crate::http::reply::Reply;
use store::{Cart, Store};

pub const PREFIX: &str = "/shop";
pub const PAGE: &str = "/practice-modes/shoppingcart";
/// Largest request body read for a shop request.
pub const MAX_BODY: usize = 16 * 1024;

/// The shop: its data and which bugs it has.
pub struct Shop {
    pub bugs: ShopBugs,
    store: Mutex<Store>,
}

/// What a handler needs to know about the request: a practice request, its body read
/// within [`MAX_BODY`].
pub type ShopRequest<'a> = crate::practice::PracticeRequest<'a>;

impl Shop {
    pub fn new(bugs: ShopBugs) -> Shop {
        Shop {
            bugs,
            store: Mutex::new(Store::default()),
        }
    }

    /// Answer a request for `/shop...` or the mode's page; `None` is the site 404.
    pub fn handle(&self, req: &ShopRequest) -> Option<Reply> {
        if req.path == PAGE {
            return matches!(req.method, "GET" | "HEAD").then(|| page::page(self.bugs));
        }
        if req.path == PREFIX || req.path == "/shop/" {
            return matches!(req.method, "GET" | "HEAD")
                .then(|| Reply::empty(StatusCode::FOUND).with_header(LOCATION, PAGE));
        }
        let rest = req.path.strip_prefix("/shop/")?;
        if let Some(docs) = rest.strip_prefix("docs") {
            return openapi::route(docs, req.method, req.raw_query);
        }
        if let Some(pages) = rest.strip_prefix("gui") {
            let readable = matches!(req.method, "GET" | "HEAD");
            return readable.then(|| gui::route(&self.store.lock(), pages, req.raw_query))?;
        }
        let segments: Vec<&str> = rest.split('/').collect();
        let mut store = self.store.lock();
        let mut reply = self.route(&mut store, req, &segments)?;
        // The reference's maintenance runs after each response is built.
        store.maintain();
        drop(store);
        add_cors(&mut reply, req);
        Some(reply)
    }

    fn route(&self, store: &mut Store, req: &ShopRequest, segments: &[&str]) -> Option<Reply> {
        let method = req.method;
        let reply = match segments {
            ["register"] => match method {
                "POST" => register(store),
                "OPTIONS" => options("POST, OPTIONS"),
                // Bug (both modes): 405 without the Allow header it requires.
                _ => Reply::empty(StatusCode::METHOD_NOT_ALLOWED),
            },
            ["checkout", cart_id] => match method {
                "POST" => self.checkout(store, cart_id, req.headers),
                "OPTIONS" => options("POST, OPTIONS"),
                _ => Reply::empty(StatusCode::METHOD_NOT_ALLOWED),
            },
            ["products"] => match method {
                "GET" | "HEAD" | "QUERY" => {
                    let filter = filter_of(req);
                    let list: Vec<Value> = store
                        .products
                        .iter()
                        .map(|p| store.product_json(p))
                        .filter(|v| matches_filter(v, &filter))
                        .collect();
                    json_reply(StatusCode::OK, &json!({ "products": list }))
                }
                "OPTIONS" => options("OPTIONS, GET, HEAD, QUERY"),
                "POST" => return None,
                _ => not_allowed(method, "OPTIONS, GET, HEAD, QUERY"),
            },
            ["products", id] => match method {
                "GET" | "HEAD" => match id.parse().ok().and_then(|id| store.product(id)) {
                    Some(p) => json_reply(StatusCode::OK, &store.product_json(p)),
                    None => not_found_instance(&format!("products/{id}")),
                },
                "OPTIONS" => options("OPTIONS, GET, HEAD"),
                "POST" | "PUT" | "DELETE" => return None,
                _ => not_allowed(method, "OPTIONS, GET, HEAD"),
            },
            ["carts"] => match method {
                "GET" | "HEAD" | "QUERY" => {
                    let filter = filter_of(req);
                    let list: Vec<Value> = store
                        .carts
                        .iter()
                        .map(|c| store.cart_json(c))
                        .filter(|v| matches_filter(v, &filter))
                        .collect();
                    json_reply(StatusCode::OK, &json!({ "carts": list }))
                }
                "OPTIONS" => options("OPTIONS, GET, HEAD, QUERY"),
                _ => not_allowed(method, "OPTIONS, GET, HEAD, QUERY"),
            },
            ["carts", id] => match method {
                // Bug (both modes): any cart can be read without its token.
                "GET" | "HEAD" => match store.cart(id) {
                    Some(c) => json_reply(StatusCode::OK, &store.cart_json(c)),
                    None => not_found_instance(&format!("carts/{id}")),
                },
                "DELETE" => delete_cart(store, id, req.headers),
                "OPTIONS" => options("OPTIONS, GET, HEAD, DELETE"),
                _ => not_allowed(method, "OPTIONS, GET, HEAD, DELETE"),
            },
            ["carts", id, "items"] => match method {
                "GET" | "HEAD" => match store.cart(id) {
                    Some(c) => {
                        let list: Vec<Value> =
                            store.items_of(c.id).map(|i| store.item_json(i)).collect();
                        json_reply(StatusCode::OK, &json!({ "cartitems": list }))
                    }
                    None => not_found_instance(&format!("carts/{id}")),
                },
                "POST" => items::write(self.bugs, store, id, req),
                "OPTIONS" => options("OPTIONS, GET, HEAD, POST"),
                _ => not_allowed(method, "OPTIONS, GET, HEAD, POST"),
            },
            ["carts", id, "items", item_id] => match method {
                "DELETE" => items::delete(self.bugs, store, id, item_id, req.headers),
                "OPTIONS" => options("OPTIONS, DELETE"),
                _ => not_allowed(method, "OPTIONS, DELETE"),
            },
            _ => return None,
        };
        Some(reply)
    }

    /// `POST /shop/checkout/{cartId}`: close the cart and take its items out of stock.
    fn checkout(&self, store: &mut Store, cart_id: &str, headers: &HeaderMap) -> Reply {
        let bugs = self.bugs;
        let Some(cart) = store.cart(cart_id) else {
            return error(StatusCode::NOT_FOUND, "Cart not found");
        };
        // This route checks the token itself: its 401 carries no WWW-Authenticate
        // challenge (an HTTP contract bug, kept in both modes).
        match bearer_token(headers) {
            None => return error(StatusCode::UNAUTHORIZED, "Missing bearer token"),
            Some(token) if token != cart.token => {
                return error(StatusCode::FORBIDDEN, "Bearer token does not match cart")
            }
            Some(_) => {}
        }
        let cart_id = cart.id;
        // Bug: a closed cart can be checked out again, taking the stock again.
        if cart.closed && !bugs.on() {
            return error(
                StatusCode::CONFLICT,
                "Closed carts cannot be checked out again",
            );
        }
        struct Line {
            product_id: u32,
            code: &'static str,
            quantity: i64,
            unit_price_at_add: f32,
            stock_at_add: i64,
            stock: i64,
        }
        let lines: Vec<Line> = store
            .items_of(cart_id)
            .filter_map(|i| {
                let p = store.product(i.product_id)?;
                Some(Line {
                    product_id: p.id,
                    code: p.code,
                    quantity: i.quantity,
                    unit_price_at_add: i.unit_price_at_add,
                    stock_at_add: i.stock_at_add,
                    stock: p.stock,
                })
            })
            .collect();
        // Quantities per product, in the order products first appear.
        let mut needed: Vec<(&'static str, i64, i64)> = Vec::new();
        for line in &lines {
            // Bug: BOOK_API, and any product whose stock has since run out, is
            // checked against the stock captured when the item was added.
            let available = if bugs.on() && (line.code == "BOOK_API" || line.stock == 0) {
                line.stock_at_add
            } else {
                line.stock
            };
            match needed.iter_mut().find(|(code, ..)| *code == line.code) {
                Some(entry) => {
                    entry.1 += line.quantity;
                    entry.2 = available;
                }
                None => needed.push((line.code, line.quantity, available)),
            }
        }
        for (code, quantity, available) in &needed {
            // Bug: CD_STATUS is never short of stock, so it can go negative.
            if bugs.on() && *code == "CD_STATUS" {
                continue;
            }
            if quantity > available {
                return error(
                    StatusCode::CONFLICT,
                    &format!("Not enough stock for product {code}"),
                );
            }
        }
        // The sum is kept as the reference does: each line in single precision, the
        // total in double, then rounded to cents in single precision.
        let total: f64 = lines
            .iter()
            .map(|l| (l.quantity as f32 * l.unit_price_at_add) as f64)
            .sum();
        let total = ((total * 100.0 + 0.5).floor() as f32) / 100.0;
        let mut changes = Vec::new();
        for line in &lines {
            // Bug: DVD_BUGS stock goes down by one per line, whatever the quantity.
            let reduced_by = if bugs.on() && line.code == "DVD_BUGS" {
                1
            } else {
                line.quantity
            };
            let product = store.product_mut(line.product_id).expect("line's product");
            let before = product.stock;
            product.stock = before.saturating_sub(reduced_by);
            changes.push(json!({
                "productId": line.product_id, "productCode": line.code,
                "before": before, "reducedBy": reduced_by, "after": product.stock,
            }));
        }
        let tick = store.next_tick();
        let cart = store.cart_mut(cart_id).expect("checked above");
        cart.closed = true;
        cart.updated_tick = tick;
        cart.checkout_tick = tick;
        json_reply(
            StatusCode::OK,
            &json!({
                "cartId": cart_id, "state": "closed", "itemCount": lines.len(),
                "total": store::float(total), "stockChanges": changes,
            }),
        )
    }
}

impl ShopBugs {
    /// The deliberate business-rule bugs are switched on.
    pub fn on(self) -> bool {
        self == ShopBugs::Classic
    }
}

/// `POST /shop/register`: a new open cart and the token that owns it.
fn register(store: &mut Store) -> Reply {
    let cart = store.register();
    let body = json!({"cartId": cart.id, "token": cart.token});
    let location = format!("/shop/carts/{}", cart.id);
    json_reply(StatusCode::CREATED, &body).with_header(LOCATION, &location)
}

/// `DELETE /shop/carts/{id}` with the cart's own token.
fn delete_cart(store: &mut Store, id: &str, headers: &HeaderMap) -> Reply {
    if let Err(reply) = authorize(store, headers, id) {
        return *reply;
    }
    let cart_id = store.cart(id).map(|c| c.id).expect("authorized");
    store.delete_cart(cart_id);
    json_reply(StatusCode::OK, &json!({ "deletedCartId": cart_id }))
}

/// The generated routes' token check: a well-formed bearer token (401 with a
/// challenge otherwise) that belongs to some cart (403), for a cart that exists
/// (404), and that is that cart's own token (403).
pub fn authorize<'s>(
    store: &'s Store,
    headers: &HeaderMap,
    cart_id: &str,
) -> Result<&'s Cart, Refusal> {
    let owner = authenticate(store, headers)?;
    let cart = store
        .cart(cart_id)
        .ok_or_else(|| Box::new(error(StatusCode::NOT_FOUND, "Cart not found")))?;
    if owner != cart.id {
        return Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "Bearer token does not match cart",
        )));
    }
    Ok(cart)
}

/// The cart a request's bearer token belongs to.
pub fn authenticate(store: &Store, headers: &HeaderMap) -> Result<u32, Refusal> {
    let Some(token) = bearer_token(headers) else {
        return Err(Box::new(
            error(StatusCode::UNAUTHORIZED, "Unauthorized").with_header(WWW_AUTHENTICATE, "Bearer"),
        ));
    };
    store.cart_with_token(&token).map(|c| c.id).ok_or_else(|| {
        Box::new(error(
            StatusCode::FORBIDDEN,
            "Bearer token does not match cart",
        ))
    })
}

/// The token of an `Authorization: Bearer <token>` header (scheme in any case).
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let scheme = value.get(..7)?;
    if !scheme.eq_ignore_ascii_case("bearer ") {
        return None;
    }
    let token = value[7..].trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// Whether a representation matches every `field=value` pair of a query (fields it
/// does not have are ignored).
fn matches_filter(v: &Value, query: &str) -> bool {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .all(|(name, wanted)| {
            let name = crate::site::html::percent_decode(name);
            let wanted = crate::site::html::percent_decode(&wanted.replace('+', " "));
            match v.get(&name) {
                None => true,
                Some(Value::String(s)) => *s == wanted,
                Some(other) => serde_json::from_str::<Value>(&wanted).ok().as_ref() == Some(other),
            }
        })
}

/// The shop's deliberately wrong CORS headers: any origin together with credentials,
/// and a preflight that echoes a request's `Access-Control-Allow-Methods` (a response
/// header) instead of reading `Access-Control-Request-Method`.
fn add_cors(reply: &mut Reply, req: &ShopRequest) {
    for name in [
        "access-control-allow-origin",
        "access-control-allow-headers",
        "access-control-allow-methods",
        "access-control-expose-headers",
    ] {
        reply.set_header(HeaderName::from_static(name), "*");
    }
    reply.set_header(
        HeaderName::from_static("access-control-allow-credentials"),
        "true",
    );
    if req.method == "OPTIONS" {
        if let Some(asked) = req
            .headers
            .get("access-control-allow-methods")
            .and_then(|v| v.to_str().ok())
        {
            reply.set_header(
                HeaderName::from_static("access-control-allow-methods"),
                asked,
            );
        }
    }
}

fn options(allow: &str) -> Reply {
    Reply::empty(StatusCode::NO_CONTENT).with_header(ALLOW, allow)
}

/// The generated routes' 405: an empty body, and (as the same engine does for the
/// todo API) an `Allow` header only when the method was QUERY.
fn not_allowed(method: &str, allow: &str) -> Reply {
    let reply = Reply::empty(StatusCode::METHOD_NOT_ALLOWED);
    if method == "QUERY" {
        reply.with_header(ALLOW, allow)
    } else {
        reply
    }
}

/// The filter of a collection read: the query string, or for QUERY the body.
fn filter_of(req: &ShopRequest) -> String {
    if req.method == "QUERY" {
        String::from_utf8_lossy(req.body).into_owned()
    } else {
        req.raw_query.to_string()
    }
}

/// A refusal built before the handler's own work (boxed: a `Reply` is large).
pub type Refusal = Box<Reply>;

pub fn json_reply(status: StatusCode, body: &Value) -> Reply {
    Reply::json(status, body.to_string())
}

pub fn error(status: StatusCode, message: &str) -> Reply {
    json_reply(status, &json!({ "errorMessages": [message] }))
}

fn not_found_instance(what: &str) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        &format!("Could not find an instance with {what}"),
    )
}
