//! `/practice-modes/shoppingcart`: what the shopping cart is for, its routes, an
//! example session, and (behind a spoiler) the table of deliberate bugs.

use crate::config::ShopBugs;
use crate::http::reply::Reply;
use crate::site::html::{self, escape};
use hyper::StatusCode;

/// Every deliberate bug: what happens, how to trigger it, and whether
/// `--shop-bugs none` fixes it.
pub const BUGS: [(&str, &str, bool); 19] = [
    ("Any cart can be read by id without its token.", "GET /shop/carts/{id} with no Authorization header.", false),
    ("Quantities above the product's current stock are accepted.", "Add CD_STATUS with a quantity above its stock.", true),
    ("Negative quantities are accepted (and give a negative total).", "Add an item with quantity -3, then check out.", true),
    ("A quantity of zero is accepted.", "Add an item with quantity 0, or update one to 0.", true),
    ("Hidden unitPriceAtAdd and stockAtAdd fields are taken from the body.", "Add an item with \"unitPriceAtAdd\": 0.01.", true),
    ("BOOK_API checks stock captured when the item was added, not current stock.", "Put 10 BOOK_API in one cart and 8 in another; check out both.", true),
    ("A product whose stock has since reached zero is checked against its captured stock.", "Add 1 MUG_TESTER, empty its stock from another cart, check out the first.", true),
    ("DVD_BUGS stock goes down by 1 per line, whatever the quantity.", "Check out 5 DVD_BUGS; stock drops by 1.", true),
    ("CD_STATUS stock can go negative.", "Check out more CD_STATUS than are in stock.", true),
    ("Closed carts can still be changed.", "Check out, then add or delete an item.", true),
    ("A cart can be checked out twice, taking the stock again.", "POST /shop/checkout/{id} twice.", true),
    ("Another cart's token may update an existing item.", "POST {\"id\": itemId, \"quantity\": 2} with a second cart's token.", true),
    ("Numbers sent as strings (\"2\", \"1.0\") are accepted for integer fields.", "Add {\"productId\": \"1.0\", \"quantity\": \"2\"}.", false),
    ("A new item's 201 has no Location header.", "Look at the headers of an add-item response.", false),
    ("CORS allows any origin together with credentials.", "Any shop response: Access-Control-Allow-Origin * and Allow-Credentials true.", false),
    ("Preflight echoes a request's Access-Control-Allow-Methods header instead of reading Access-Control-Request-Method.", "OPTIONS with Access-Control-Allow-Methods: PURGE.", false),
    ("Checkout's 401 for a missing token has no WWW-Authenticate challenge.", "POST /shop/checkout/{id} without Authorization.", false),
    ("Register and checkout ignore the Accept header (no 406); item writes do not check Accept or Content-Type.", "Send Accept: application/xml, or a JSON body typed text/plain.", false),
    ("Wrong methods on /shop/register and /shop/checkout/{id} get a 405 without an Allow header.", "GET /shop/register.", false),
];

pub fn page(bugs: ShopBugs) -> Reply {
    let mode = if bugs.on() {
        "This server runs the shop in <strong>classic</strong> bug mode (the default): all the \
deliberate bugs are in. Start it with <code>--shop-bugs none</code> (or \
<code>APICHALLENGES_SHOP_BUGS=none</code>) to compare against clean business rules."
    } else {
        "This server runs the shop with <strong>--shop-bugs none</strong>: the business-rule bugs \
are off, the HTTP contract bugs remain. Start it without the flag for the classic bugs."
    };
    let mut rows = String::new();
    for (bug, trigger, fixed) in BUGS {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(bug),
            escape(trigger),
            if fixed { "fixed" } else { "still there" }
        ));
    }
    let body = format!(
        "<h1>Shopping Cart (Buggy API)</h1>\n\
<p>A small shopping cart API under <code>/shop</code> with deliberate bugs, for \
exploratory testing of authentication, stock and checkout rules. Carts are shared by \
everyone using this server; it keeps the newest 100. Nothing here counts towards the \
challenges or touches your todos.</p>\n<p>{mode}</p>\n\
<h2>Rules the shop should follow</h2><ul>\n\
<li>Anyone may read the products; the catalogue cannot be changed through the API.</li>\n\
<li>Only a cart's own token may change it or check it out.</li>\n\
<li>Quantities are positive and no more than the current stock.</li>\n\
<li>Checkout takes exactly the ordered quantities out of stock, once; a closed cart cannot \
change.</li>\n\
<li>At least 10 products are kept in stock; products are never deleted.</li></ul>\n\
<h2>Routes</h2><table>\n\
<tr><th>Route</th><th>What it does</th></tr>\n\
<tr><td><code>POST /shop/register</code></td><td>201: a new cart, <code>{{\"cartId\", \"token\"}}</code> and a Location</td></tr>\n\
<tr><td><code>GET /shop/products</code>, <code>/shop/products/{{id}}</code></td><td>the catalogue</td></tr>\n\
<tr><td><code>GET /shop/carts</code>, <code>QUERY /shop/carts</code></td><td>all carts (filter with <code>state=open</code>)</td></tr>\n\
<tr><td><code>GET /shop/carts/{{id}}</code>, <code>DELETE</code> (token)</td><td>one cart</td></tr>\n\
<tr><td><code>GET /shop/carts/{{id}}/items</code></td><td>a cart's items</td></tr>\n\
<tr><td><code>POST /shop/carts/{{id}}/items</code> (token)</td><td><code>{{\"productId\", \"quantity\"}}</code> adds a line; <code>{{\"id\", \"quantity\"}}</code> changes one</td></tr>\n\
<tr><td><code>DELETE /shop/carts/{{id}}/items/{{itemId}}</code> (token)</td><td>removes a line</td></tr>\n\
<tr><td><code>POST /shop/checkout/{{id}}</code> (token)</td><td>closes the cart and reduces stock</td></tr>\n\
</table>\n<p>\"Token\" means <code>Authorization: Bearer &lt;token&gt;</code> from registration.</p>\n\
<p>Also: <a href=\"/shop/docs\">the docs</a>, the \
<a href=\"/shop/docs/openapi.json\">OpenAPI document</a> to import into your client, and \
<a href=\"/shop/gui/entities\">the data explorer</a>.</p>\n\
<h2>Example</h2><pre>curl -i -X POST http://localhost:4567/shop/register\n\
curl -i http://localhost:4567/shop/products\n\
curl -i -X POST http://localhost:4567/shop/carts/1/items \\\n  \
-H 'Authorization: Bearer &lt;token&gt;' -H 'Content-Type: application/json' \\\n  \
-d '{{\"productId\": 9, \"quantity\": 1}}'\n\
curl -i -X POST http://localhost:4567/shop/checkout/1 -H 'Authorization: Bearer &lt;token&gt;'</pre>\n\
<details><summary>Spoiler: the deliberate bugs</summary>\n\
<p>Try to find them yourself first.</p>\n<table>\n\
<tr><th>Bug</th><th>How to see it</th><th>With <code>--shop-bugs none</code></th></tr>\n\
{rows}</table></details>\n"
    );
    html::reply(
        StatusCode::OK,
        html::page("Shopping Cart (Buggy API)", &body),
    )
}
