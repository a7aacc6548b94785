//! The shop's data explorer (`/shop/gui/...`): products and carts as HTML tables,
//! built from the same representations as the API, so a cart's token never shows.
//! Cart items are reached through their cart, not listed as an entity of their own.

use hyper::StatusCode;
use serde_json::Value;

use super::store::Store;
use super::PAGE;
use crate::http::reply::Reply;
use crate::site::html::{self, escape, query_param};

/// Answer `/shop/gui/{rest}`; `None` is the site 404.
pub fn route(store: &Store, rest: &str, raw_query: &str) -> Option<Reply> {
    let entity = query_param(raw_query, "entity");
    let body = match (rest, entity.as_deref()) {
        ("" | "/" | "/entities", _) => entities(),
        ("/instances", Some("product")) => {
            let rows: Vec<Value> = store
                .products
                .iter()
                .map(|p| store.product_json(p))
                .collect();
            table("product", &rows)
        }
        ("/instances", Some("cart")) => {
            let rows: Vec<Value> = store.carts.iter().map(|c| store.cart_json(c)).collect();
            table("cart", &rows)
        }
        ("/instance", Some(kind @ ("product" | "cart"))) => {
            let id = query_param(raw_query, "id").unwrap_or_default();
            let found = match kind {
                "product" => id
                    .parse()
                    .ok()
                    .and_then(|id| store.product(id))
                    .map(|p| store.product_json(p)),
                _ => store.cart(&id).map(|c| {
                    let mut v = store.cart_json(c);
                    let items: Vec<Value> =
                        store.items_of(c.id).map(|i| store.item_json(i)).collect();
                    v["items"] = Value::Array(items);
                    v
                }),
            };
            match found {
                Some(v) => instance(kind, &v),
                None => format!("<h1>No {kind} {}</h1>\n", escape(&id)),
            }
        }
        _ => return None,
    };
    Some(html::reply(
        StatusCode::OK,
        html::page("Buggy API data", &body),
    ))
}

fn entities() -> String {
    format!(
        "<h1>Buggy API data</h1>\n<ul>\n\
<li><a href=\"/shop/gui/instances?entity=product\">products</a></li>\n\
<li><a href=\"/shop/gui/instances?entity=cart\">carts</a></li>\n</ul>\n\
<p>About the shop: <a href=\"{PAGE}\">its page</a>.</p>\n"
    )
}

fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => escape(s),
        Value::Array(items) => escape(
            &items
                .iter()
                .map(|i| {
                    i.get("id")
                        .map_or_else(|| i.to_string(), |id| id.to_string())
                })
                .collect::<Vec<_>>()
                .join(", ")
                .replace('"', ""),
        ),
        other => escape(&other.to_string()),
    }
}

fn table(kind: &str, rows: &[Value]) -> String {
    let mut names: Vec<String> = Vec::new();
    for row in rows {
        for key in row.as_object().into_iter().flat_map(|o| o.keys()) {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    let mut out = format!("<h1>{kind}s</h1>\n<table>\n<tr>");
    for name in &names {
        out.push_str(&format!("<th>{}</th>", escape(name)));
    }
    out.push_str("</tr>\n");
    for row in rows {
        let id = row["id"].to_string();
        out.push_str("<tr>");
        for name in &names {
            let text = row.get(name).map(cell).unwrap_or_default();
            if name == "id" && kind != "cartitem" {
                out.push_str(&format!(
                    "<td><a href=\"/shop/gui/instance?entity={kind}&amp;id={}\">{text}</a></td>",
                    escape(&id)
                ));
            } else {
                out.push_str(&format!("<td>{text}</td>"));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

fn instance(kind: &str, v: &Value) -> String {
    let mut out = format!("<h1>{kind} {}</h1>\n<table>\n", cell(&v["id"]));
    for (name, value) in v.as_object().into_iter().flatten() {
        if name == "items" {
            continue;
        }
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            escape(name),
            cell(value)
        ));
    }
    out.push_str("</table>\n");
    if let Some(items) = v["items"].as_array().filter(|i| !i.is_empty()) {
        out.push_str("<h2>items</h2>\n");
        out.push_str(&table("cartitem", items).replacen("<h1>cartitems</h1>\n", "", 1));
    }
    out
}
