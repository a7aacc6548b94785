//! Cart item writes: `POST /shop/carts/{cartId}/items` adds a product line (or, with
//! an `id` in the body, changes an existing line's quantity) and
//! `DELETE /shop/carts/{cartId}/items/{itemId}` removes one. The checks run in the
//! reference's order: token, cart, item, field types and ranges, business rules,
//! closed cart; each deliberate bug is marked where it skips a check.

use hyper::HeaderMap;
use hyper::StatusCode;
use serde_json::{json, Map, Value};

use super::store::{float, Item, Store, MAX_CART_ITEMS, MAX_PRODUCTS};
use super::{authenticate, authorize, error, json_reply, Refusal, ShopRequest, MAX_BODY};
use crate::config::ShopBugs;
use crate::http::reply::Reply;

/// The fields a cart item body may name.
const FIELDS: [&str; 5] = [
    "id",
    "productId",
    "quantity",
    "unitPriceAtAdd",
    "stockAtAdd",
];

pub fn write(bugs: ShopBugs, store: &mut Store, cart_id: &str, req: &ShopRequest) -> Reply {
    let owner = match authenticate(store, req.headers) {
        Ok(owner) => owner,
        Err(reply) => return *reply,
    };
    let Some(cart) = store.cart(cart_id) else {
        return error(StatusCode::NOT_FOUND, "Cart not found");
    };
    let (cart_id, cart_closed) = (cart.id, cart.closed);
    if req.body_too_large {
        let message = format!("Error: request body too large, max allowed is {MAX_BODY} bytes");
        return error(StatusCode::PAYLOAD_TOO_LARGE, &message);
    }
    let fields = match parse_body(req.body) {
        Ok(fields) => fields,
        Err(reply) => return *reply,
    };
    let field = |name: &str| fields.get(name).filter(|v| !v.is_null());
    let update_id = field("id").and_then(integer);
    let quantity = field("quantity").and_then(integer);

    // Bug: with an item id in the body, any cart's valid token may change the item.
    let token_checked = !(bugs.on() && update_id.is_some());
    if token_checked && owner != cart_id {
        return error(StatusCode::FORBIDDEN, "Bearer token does not match cart");
    }

    let product_id = match update_id {
        Some(item_id) => {
            let Some(item) = store.item(item_id as u32).filter(|i| i.cart_id == cart_id) else {
                return error(StatusCode::NOT_FOUND, "Cart item not found");
            };
            if quantity.is_none() {
                return error(StatusCode::UNPROCESSABLE_ENTITY, "quantity is required");
            }
            Some(item.product_id as i64)
        }
        None => field("productId").and_then(integer),
    };
    let product = product_id
        .filter(|id| *id > 0)
        .and_then(|id| store.product(id as u32));

    // The captured price and stock come from the product, unless (bug) the client
    // sent its own values, which the request schema does not even advertise.
    let mut unit_price_text = field("unitPriceAtAdd").map(text);
    let mut stock_text = field("stockAtAdd").map(text);
    if let (None, Some(product)) = (update_id, product) {
        if !(bugs.on() && unit_price_text.is_some()) {
            unit_price_text = Some(product.unit_price.to_string());
        }
        if !(bugs.on() && stock_text.is_some()) {
            stock_text = Some(product.stock.to_string());
        }
    }

    let mut problems = Vec::new();
    if update_id.is_none() {
        if let Some(id) = product_id {
            check_integer(
                &mut problems,
                "productId",
                &id.to_string(),
                1,
                MAX_PRODUCTS as i64,
            );
        }
    }
    if let Some(q) = field("quantity") {
        check_integer(&mut problems, "quantity", &text(q), -1000, 9999);
    }
    if let Some(price) = &unit_price_text {
        check_float(&mut problems, "unitPriceAtAdd", price, 0.0, 500.0);
    }
    if let Some(stock) = &stock_text {
        check_integer(&mut problems, "stockAtAdd", stock, -1000, 9999);
    }
    if !problems.is_empty() {
        // As the generated API reports field errors: one message, one prefix.
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Failed Validation: {}", problems.join(", ")),
        );
    }

    let Some(quantity) = quantity.filter(|_| update_id.is_some() || product_id.is_some()) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "productId and quantity are required",
        );
    };
    // Bugs: negative and zero quantities are accepted.
    if quantity <= 0 && !bugs.on() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "quantity must be greater than 0",
        );
    }
    let Some(product) = product else {
        return error(StatusCode::NOT_FOUND, "Product not found");
    };
    // Bug: a quantity above the product's current stock is accepted.
    if quantity > product.stock && !bugs.on() {
        return error(
            StatusCode::CONFLICT,
            "quantity exceeds current product stock",
        );
    }
    // Bug: a closed (checked out) cart can still be changed.
    if cart_closed && !bugs.on() {
        return error(StatusCode::CONFLICT, "Closed carts cannot be modified");
    }

    let unit_price = unit_price_text.and_then(|t| t.parse::<f32>().ok());
    let stock_at_add = stock_text.and_then(|t| t.parse::<i64>().ok());
    let product_id = product.id;
    let (status, item_id) = match update_id {
        Some(item_id) => {
            let item = store.item_mut(item_id as u32).expect("checked above");
            item.quantity = quantity;
            if let Some(price) = unit_price {
                item.unit_price_at_add = price;
            }
            if let Some(stock) = stock_at_add {
                item.stock_at_add = stock;
            }
            (StatusCode::OK, item.id)
        }
        None => {
            let item = Item {
                id: 0,
                cart_id,
                product_id,
                quantity,
                unit_price_at_add: unit_price.unwrap_or(0.0),
                stock_at_add: stock_at_add.unwrap_or(0),
            };
            match store.add_item(item) {
                Some(id) => (StatusCode::CREATED, id),
                None => {
                    return error(
                        StatusCode::CONFLICT,
                        &format!(
                            "ERROR: Cannot add instance, maximum limit of {MAX_CART_ITEMS} reached"
                        ),
                    )
                }
            }
        }
    };
    store.touch(cart_id);
    let item = store.item(item_id).expect("just written");
    // Bug (both modes): a 201 without a Location header for the new item.
    json_reply(
        status,
        &json!({
            "id": item.id, "cartId": cart_id, "productId": item.product_id,
            "quantity": item.quantity, "unitPriceAtAdd": float(item.unit_price_at_add),
            "stockAtAdd": item.stock_at_add,
        }),
    )
}

pub fn delete(
    bugs: ShopBugs,
    store: &mut Store,
    cart_id: &str,
    item_id: &str,
    headers: &HeaderMap,
) -> Reply {
    let cart = match authorize(store, headers, cart_id) {
        Ok(cart) => cart,
        Err(reply) => return *reply,
    };
    let (id, closed) = (cart.id, cart.closed);
    // Bug: a closed cart's items can still be removed.
    if closed && !bugs.on() {
        return error(StatusCode::CONFLICT, "Closed carts cannot be modified");
    }
    let Some(item) = item_id
        .parse::<u32>()
        .ok()
        .and_then(|i| store.item(i))
        .filter(|i| i.cart_id == id)
    else {
        return error(
            StatusCode::NOT_FOUND,
            &format!("Could not find an instance with carts/{cart_id}/items/{item_id}"),
        );
    };
    let deleted = item.id;
    store.delete_item(deleted);
    store.touch(id);
    let state = if closed { "closed" } else { "open" };
    json_reply(
        StatusCode::OK,
        &json!({"cartId": id, "deletedItemId": deleted, "state": state}),
    )
}

/// The body as an object of known fields. An empty body is an empty object.
fn parse_body(body: &[u8]) -> Result<Map<String, Value>, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        let message = "Invalid Json Payload: please check the syntax of the request body";
        return Err(Box::new(error(StatusCode::BAD_REQUEST, message)));
    };
    if let Some(unknown) = fields.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Box::new(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Failed Validation: Could not find field: {unknown}"),
        )));
    }
    Ok(fields)
}

/// A body value read as a whole number the lenient way the reference does: numbers
/// are truncated, strings may hold an integer or any decimal ("1.0"), anything else
/// is not a number.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_f64().map(|f| f as i32 as i64),
        Value::String(s) => s
            .parse::<i32>()
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().map(|f| f as i32))
            .map(i64::from),
        _ => None,
    }
}

/// A body value as the text the field validation reads.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn check_integer(problems: &mut Vec<String>, name: &str, value: &str, min: i64, max: i64) {
    match value.parse::<i32>() {
        Err(_) => problems.push(format!("{name} : {value} does not match type INTEGER")),
        Ok(n) if (n as i64) < min || (n as i64) > max => problems.push(format!(
            "{name} : {value} is not within range for type INTEGER ({min} to {max})"
        )),
        Ok(_) => {}
    }
}

fn check_float(problems: &mut Vec<String>, name: &str, value: &str, min: f32, max: f32) {
    match value.parse::<f32>() {
        Ok(f) if f.is_finite() && (min..=max).contains(&f) => {}
        Ok(_) => problems.push(format!(
            "{name} : {value} is not within range for type FLOAT ({min:.6} to {max:.6})"
        )),
        Err(_) => problems.push(format!("{name} : {value} does not match type FLOAT")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_leniently() {
        assert_eq!(integer(&json!(3)), Some(3));
        assert_eq!(integer(&json!(3.9)), Some(3));
        assert_eq!(integer(&json!("2")), Some(2));
        assert_eq!(integer(&json!("1.0")), Some(1));
        assert_eq!(integer(&json!("x")), None);
        assert_eq!(integer(&json!(true)), None);
        assert_eq!(integer(&json!(1e300)), Some(i32::MAX as i64));
    }

    #[test]
    fn validation_names_the_field_and_range() {
        let mut p = Vec::new();
        check_integer(&mut p, "quantity", "10000", -1000, 9999);
        check_integer(&mut p, "quantity", "2.5", -1000, 9999);
        check_float(&mut p, "unitPriceAtAdd", "501", 0.0, 500.0);
        assert_eq!(
            p,
            [
                "quantity : 10000 is not within range for type INTEGER (-1000 to 9999)",
                "quantity : 2.5 does not match type INTEGER",
                "unitPriceAtAdd : 501 is not within range for type FLOAT (0.000000 to 500.000000)",
            ]
        );
    }
}
