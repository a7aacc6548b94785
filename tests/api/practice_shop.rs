//! The shopping cart practice mode (`/shop`): every route, the token rules, the
//! checkout state machine, maintenance and pruning, CORS, and each deliberate bug in
//! both bug modes (`classic` shows it, `none` does not, or still does where the
//! reference keeps it).

use apichallenges::config::ShopBugs;
use serde_json::{json, Value};

use crate::common::{Resp, TestServer};

struct Shop {
    server: TestServer,
}

struct Cart {
    id: u64,
    token: String,
}

impl Shop {
    async fn classic() -> Shop {
        Shop {
            server: TestServer::single().await,
        }
    }

    async fn clean() -> Shop {
        Shop {
            server: TestServer::with(|c| c.shop_bugs = ShopBugs::None).await,
        }
    }

    async fn register(&self) -> Cart {
        let r = self.server.req("POST", "/shop/register").send().await;
        assert_eq!(r.status, 201);
        let body = r.json();
        Cart {
            id: body["cartId"].as_u64().unwrap(),
            token: body["token"].as_str().unwrap().to_string(),
        }
    }

    async fn products(&self) -> Vec<Value> {
        let r = self.server.get("/shop/products").send().await;
        assert_eq!(r.status, 200);
        r.json()["products"].as_array().unwrap().clone()
    }

    async fn product(&self, code: &str) -> Value {
        self.products()
            .await
            .into_iter()
            .find(|p| p["productCode"] == code)
            .unwrap_or_else(|| panic!("{code} in the catalogue"))
    }

    async fn stock(&self, id: u64) -> i64 {
        let r = self
            .server
            .get(&format!("/shop/products/{id}"))
            .send()
            .await;
        assert_eq!(r.status, 200);
        r.json()["stock"].as_i64().unwrap()
    }

    async fn post_item(&self, cart: u64, token: &str, body: Value) -> Resp {
        self.server
            .req("POST", &format!("/shop/carts/{cart}/items"))
            .header("Authorization", &format!("Bearer {token}"))
            .json(&body.to_string())
            .send()
            .await
    }

    async fn add(&self, cart: &Cart, product: &Value, quantity: i64) -> Resp {
        let body = json!({"productId": product["id"], "quantity": quantity});
        self.post_item(cart.id, &cart.token, body).await
    }

    async fn add_ok(&self, cart: &Cart, product: &Value, quantity: i64) -> u64 {
        let r = self.add(cart, product, quantity).await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_u64().unwrap()
    }

    async fn update(&self, cart: u64, token: &str, item: u64, quantity: i64) -> Resp {
        self.post_item(cart, token, json!({"id": item, "quantity": quantity}))
            .await
    }

    async fn delete_item(&self, cart: u64, token: &str, item: u64) -> Resp {
        self.server
            .req("DELETE", &format!("/shop/carts/{cart}/items/{item}"))
            .header("Authorization", &format!("Bearer {token}"))
            .send()
            .await
    }

    async fn delete_cart(&self, cart: u64, token: &str) -> Resp {
        self.server
            .req("DELETE", &format!("/shop/carts/{cart}"))
            .header("Authorization", &format!("Bearer {token}"))
            .send()
            .await
    }

    async fn checkout(&self, cart: &Cart) -> Resp {
        self.server
            .req("POST", &format!("/shop/checkout/{}", cart.id))
            .header("Authorization", &format!("Bearer {}", cart.token))
            .send()
            .await
    }

    async fn checkout_ok(&self, cart: &Cart) -> Value {
        let r = self.checkout(cart).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

fn id(product: &Value) -> u64 {
    product["id"].as_u64().unwrap()
}

fn stock(product: &Value) -> i64 {
    product["stock"].as_i64().unwrap()
}

fn price(product: &Value) -> f64 {
    product["unitPrice"].as_f64().unwrap()
}

// Registration, reads and the token rules.

#[tokio::test]
async fn registration_gives_a_cart_its_location_and_token() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let r = shop.server.req("POST", "/shop/register").send().await;
        assert_eq!(r.status, 201);
        assert_eq!(r.content_type(), Some("application/json"));
        let body = r.json();
        let cart_id = body["cartId"].as_u64().unwrap();
        assert_eq!(
            r.header("location"),
            Some(format!("/shop/carts/{cart_id}").as_str())
        );
        let token = body["token"].as_str().unwrap();
        assert!(uuid::Uuid::parse_str(token).is_ok(), "{token}");
        assert_eq!(
            r.text(),
            format!("{{\"cartId\":{cart_id},\"token\":\"{token}\"}}")
        );

        let r = shop
            .server
            .get(&format!("/shop/carts/{cart_id}"))
            .send()
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.json(),
            json!({"id": cart_id, "state": "open", "createdTick": 1, "updatedTick": 1, "checkoutTick": 0})
        );
        assert!(!r.text().contains(token) && !r.text().contains("token"));
    }
}

#[tokio::test]
async fn the_catalogue_starts_with_twelve_products_and_is_read_only() {
    let shop = Shop::classic().await;
    let products = shop.products().await;
    assert_eq!(products.len(), 12);
    assert_eq!(
        products[0],
        json!({"id": 1, "productCode": "BOOK_API", "category": "book", "unitPrice": 8.99, "stock": 12})
    );
    assert_eq!(products[8]["productCode"], "MUG_TESTER");
    let r = shop.server.get("/shop/products/9").send().await;
    assert_eq!(r.json()["unitPrice"], json!(9.95));
    let r = shop.server.get("/shop/products/99").send().await;
    assert_eq!(r.status, 404);
    assert_eq!(r.errors(), ["Could not find an instance with products/99"]);
    let r = shop
        .server
        .get("/shop/products?category=stationery")
        .send()
        .await;
    assert_eq!(r.json()["products"].as_array().unwrap().len(), 3);

    for (method, path) in [
        ("POST", "/shop/products"),
        ("POST", "/shop/products/1"),
        ("PUT", "/shop/products/1"),
        ("DELETE", "/shop/products/1"),
        ("POST", "/shop/cartitems"),
        ("GET", "/shop/cartitems"),
        ("PUT", "/shop/cartitems/1"),
        ("POST", "/shop/products/1/cartitems"),
    ] {
        let r = shop.server.req(method, path).json("{}").send().await;
        assert_eq!(r.status, 404, "{method} {path}");
    }
    let r = shop
        .server
        .req("PATCH", "/shop/products/1")
        .json("{\"stock\":1}")
        .send()
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(shop.stock(1).await, 12);
}

#[tokio::test]
async fn carts_can_be_listed_and_queried_without_tokens() {
    let shop = Shop::classic().await;
    let a = shop.register().await;
    let b = shop.register().await;
    let mug = shop.product("MUG_TESTER").await;
    shop.add_ok(&b, &mug, 1).await;
    shop.checkout_ok(&b).await;
    let r = shop.server.get("/shop/carts").send().await;
    let carts = r.json()["carts"].as_array().unwrap().clone();
    assert_eq!(carts.len(), 2);
    assert!(!r.text().contains(&a.token) && !r.text().contains("token"));
    let r = shop
        .server
        .req("QUERY", "/shop/carts")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("state=open")
        .send()
        .await;
    assert_eq!(r.status, 200);
    let open = r.json()["carts"].as_array().unwrap().clone();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["id"], a.id);
    let r = shop.server.get("/shop/carts?state=closed").send().await;
    assert_eq!(r.json()["carts"][0]["id"], b.id);
    assert_eq!(r.json()["carts"][0]["items"], json!([{"id": "1"}]));
    let r = shop
        .server
        .get(&format!("/shop/carts/{}/items", b.id))
        .send()
        .await;
    assert_eq!(
        r.json(),
        json!({"cartitems": [{"id": 1, "productId": 9, "quantity": 1, "unitPriceAtAdd": 9.95,
            "stockAtAdd": 13, "cart": [{"id": b.id.to_string()}], "product": [{"id": "9"}]}]})
    );
    let r = shop.server.get("/shop/carts/999").send().await;
    assert_eq!(r.status, 404);
    assert_eq!(r.errors(), ["Could not find an instance with carts/999"]);
    let r = shop.server.get("/shop/carts/999/items").send().await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn item_writes_need_the_carts_bearer_token() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let other = shop.register().await;
        let mug = shop.product("MUG_TESTER").await;
        let body = json!({"productId": id(&mug), "quantity": 1}).to_string();
        let path = format!("/shop/carts/{}/items", cart.id);

        let r = shop.server.req("POST", &path).json(&body).send().await;
        assert_eq!(r.status, 401);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert_eq!(r.errors(), ["Unauthorized"]);
        let r = shop
            .server
            .req("POST", &path)
            .header("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=")
            .json(&body)
            .send()
            .await;
        assert_eq!(r.status, 401);

        let r = shop
            .post_item(
                cart.id,
                "00000000-0000-4000-8000-000000000000",
                json!({"productId": 9, "quantity": 1}),
            )
            .await;
        assert_eq!(r.status, 403);
        assert_eq!(r.errors(), ["Bearer token does not match cart"]);
        // Another cart's valid token may not add to this cart, bugs or not.
        assert_eq!(
            shop.add(
                &Cart {
                    id: cart.id,
                    token: other.token.clone()
                },
                &mug,
                1
            )
            .await
            .status,
            403
        );
        let r = shop
            .post_item(999, &cart.token, json!({"productId": 9, "quantity": 1}))
            .await;
        assert_eq!(r.status, 404);
        assert_eq!(r.errors(), ["Cart not found"]);

        let r = shop.add(&cart, &mug, 1).await;
        assert_eq!(r.status, 201);
        // Bug (both modes): no Location for the new item.
        assert_eq!(r.header("location"), None);
        let item = r.json();
        assert_eq!(
            item,
            json!({"id": item["id"], "cartId": cart.id, "productId": 9, "quantity": 1,
                "unitPriceAtAdd": 9.95, "stockAtAdd": 13})
        );
        let r = shop
            .update(cart.id, &cart.token, item["id"].as_u64().unwrap(), 2)
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("location"), None);
        assert_eq!(r.json()["quantity"], 2);

        // Deleting items and carts: the owner's token only.
        let item_id = item["id"].as_u64().unwrap();
        assert_eq!(
            shop.delete_item(cart.id, &other.token, item_id)
                .await
                .status,
            403
        );
        let r = shop
            .server
            .req(
                "DELETE",
                &format!("/shop/carts/{}/items/{item_id}", cart.id),
            )
            .send()
            .await;
        assert_eq!(r.status, 401);
        assert_eq!(shop.delete_cart(cart.id, &other.token).await.status, 403);
        assert_eq!(shop.delete_cart(999, &cart.token).await.status, 404);
    }
}

#[tokio::test]
async fn deleting_returns_what_changed() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let mug = shop.product("MUG_TESTER").await;
        let item = shop.add_ok(&cart, &mug, 1).await;
        let r = shop.delete_item(cart.id, &cart.token, item).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.json(),
            json!({"cartId": cart.id, "deletedItemId": item, "state": "open"})
        );
        let r = shop.delete_item(cart.id, &cart.token, item).await;
        assert_eq!(r.status, 404);

        let doomed = shop.register().await;
        shop.add_ok(&doomed, &mug, 1).await;
        let r = shop.delete_cart(doomed.id, &doomed.token).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json(), json!({"deletedCartId": doomed.id}));
        assert_eq!(
            shop.server
                .get(&format!("/shop/carts/{}", doomed.id))
                .send()
                .await
                .status,
            404
        );
        // Its items went with it.
        let r = shop.server.get("/shop/products/9").send().await;
        assert!(r.json().get("cartitems").is_none(), "{}", r.text());
    }
}

#[tokio::test]
async fn updating_needs_an_item_of_this_cart_and_a_quantity() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let other = shop.register().await;
        let mug = shop.product("MUG_TESTER").await;
        let others_item = shop.add_ok(&other, &mug, 1).await;
        let r = shop.update(cart.id, &cart.token, others_item, 2).await;
        assert_eq!(r.status, 404);
        assert_eq!(r.errors(), ["Cart item not found"]);
        let r = shop
            .post_item(cart.id, &cart.token, json!({"id": others_item}))
            .await;
        assert_eq!(r.status, 404);
        let own = shop.add_ok(&cart, &mug, 1).await;
        let r = shop
            .post_item(cart.id, &cart.token, json!({"id": own}))
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(r.errors(), ["quantity is required"]);
    }
}

#[tokio::test]
async fn item_bodies_are_validated() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let t = cart.token.clone();
        let r = shop.post_item(cart.id, &t, json!({"quantity": 1})).await;
        assert_eq!(r.status, 422);
        assert_eq!(r.errors(), ["productId and quantity are required"]);
        let r = shop.post_item(cart.id, &t, json!({"productId": 1})).await;
        assert_eq!(r.errors(), ["productId and quantity are required"]);
        let r = shop
            .post_item(cart.id, &t, json!({"productId": 20, "quantity": 1}))
            .await;
        assert_eq!(r.status, 404);
        assert_eq!(r.errors(), ["Product not found"]);
        let r = shop
            .post_item(cart.id, &t, json!({"productId": 25, "quantity": 1}))
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(
            r.errors(),
            ["Failed Validation: productId : 25 is not within range for type INTEGER (1 to 24)"]
        );
        let r = shop
            .post_item(cart.id, &t, json!({"productId": 1, "quantity": 10000}))
            .await;
        assert_eq!(
            r.errors(),
            ["Failed Validation: quantity : 10000 is not within range for type INTEGER (-1000 to 9999)"]
        );
        let r = shop
            .post_item(cart.id, &t, json!({"productId": 1, "quantity": "lots"}))
            .await;
        assert_eq!(
            r.errors(),
            ["Failed Validation: quantity : lots does not match type INTEGER"]
        );
        let r = shop
            .post_item(cart.id, &t, json!({"productId": 25, "quantity": 10000}))
            .await;
        assert_eq!(
            r.errors(),
            ["Failed Validation: productId : 25 is not within range for type INTEGER (1 to 24), quantity : 10000 is not within range for type INTEGER (-1000 to 9999)"]
        );
        let r = shop
            .post_item(
                cart.id,
                &t,
                json!({"productId": 1, "quantity": 1, "colour": "red"}),
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(
            r.errors(),
            ["Failed Validation: Could not find field: colour"]
        );
        // Bug (both modes): numbers in strings are accepted for integer fields.
        let r = shop
            .post_item(cart.id, &t, json!({"productId": "1.0", "quantity": "2"}))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["productId"], 1);
        assert_eq!(r.json()["quantity"], 2);
    }
}

#[tokio::test]
async fn hostile_item_bodies_get_a_4xx_and_change_nothing() {
    let shop = Shop::clean().await;
    let cart = shop.register().await;
    let path = format!("/shop/carts/{}/items", cart.id);
    let bearer = format!("Bearer {}", cart.token);
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for (body, status) in [
        ("{\"productId\":", 400),
        ("not json", 400),
        ("[1,2]", 400),
        ("\"text\"", 400),
        (nested.as_str(), 413),
        ("{\"productId\": 1e999, \"quantity\": 1}", 400),
    ] {
        let r = shop
            .server
            .req("POST", &path)
            .header("Authorization", &bearer)
            .json(body)
            .send()
            .await;
        assert_eq!(r.status, status, "{}", &body[..body.len().min(40)]);
        if status == 400 {
            assert_eq!(
                r.errors(),
                ["Invalid Json Payload: please check the syntax of the request body"]
            );
        }
    }
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = shop
        .server
        .req("POST", &path)
        .header("Authorization", &bearer)
        .json(&deep)
        .send()
        .await;
    assert_eq!(r.status, 400);
    let big = format!(
        "{{\"productId\":1,\"quantity\":1,\"x\":\"{}\"}}",
        "a".repeat(20_000)
    );
    let r = shop
        .server
        .req("POST", &path)
        .header("Authorization", &bearer)
        .json(&big)
        .send()
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.errors(),
        ["Error: request body too large, max allowed is 16384 bytes"]
    );
    let r = shop
        .server
        .get(&format!("/shop/carts/{}/items", cart.id))
        .send()
        .await;
    assert_eq!(r.json(), json!({"cartitems": []}));
}

#[tokio::test]
async fn a_flood_of_carts_keeps_the_newest_hundred() {
    let shop = Shop::classic().await;
    let first = shop.register().await;
    let mug = shop.product("MUG_TESTER").await;
    shop.add_ok(&first, &mug, 1).await;
    let mut last = None;
    for _ in 0..150 {
        last = Some(shop.register().await);
    }
    let r = shop.server.get("/shop/carts").send().await;
    let carts = r.json()["carts"].as_array().unwrap().clone();
    assert_eq!(carts.len(), 100);
    assert_eq!(carts[0]["id"], 52);
    assert_eq!(carts[99]["id"], last.unwrap().id);
    assert_eq!(
        shop.server
            .get(&format!("/shop/carts/{}", first.id))
            .send()
            .await
            .status,
        404
    );
    // The pruned cart's token is gone with it.
    assert_eq!(shop.add(&first, &mug, 1).await.status, 403);
    let r = shop.server.get("/shop/products/9").send().await;
    assert!(r.json().get("cartitems").is_none());
}

#[tokio::test]
async fn cart_items_are_bounded_in_all() {
    let shop = Shop::classic().await;
    let pen = shop.product("PEN_BLUE").await;
    let mut carts = Vec::new();
    for _ in 0..5 {
        carts.push(shop.register().await);
    }
    for n in 0..400 {
        shop.add_ok(&carts[n % 5], &pen, 1).await;
    }
    let r = shop.add(&carts[0], &pen, 1).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.errors(),
        ["ERROR: Cannot add instance, maximum limit of 400 reached"]
    );
    // Deleting a cart frees its items' room.
    shop.delete_cart(carts[1].id, &carts[1].token).await;
    shop.add_ok(&carts[0], &pen, 1).await;
}

#[tokio::test]
async fn maintenance_keeps_ten_products_in_stock() {
    let shop = Shop::clean().await;
    let products = shop.products().await;
    assert!(products.iter().filter(|p| stock(p) > 0).count() >= 10);
    // Sell out three products: nine left in stock, so the empty product with the
    // lowest id is restocked, and only that one.
    let buyer = shop.register().await;
    for code in ["CD_STATUS", "PUZZLE_CACHE", "BLURAY_HTTP"] {
        let p = shop.product(code).await;
        shop.add_ok(&buyer, &p, stock(&p)).await;
    }
    let r = shop.checkout_ok(&buyer).await;
    assert!(r["stockChanges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["after"] == 0));
    let products = shop.products().await;
    assert_eq!(products.iter().filter(|p| stock(p) > 0).count(), 10);
    assert_eq!(products.len(), 12);
    assert_eq!(shop.product("CD_STATUS").await["stock"], 12);
    assert_eq!(shop.product("BLURAY_HTTP").await["stock"], 0);
    assert_eq!(shop.product("PUZZLE_CACHE").await["stock"], 0);
}

// Checkout.

#[tokio::test]
async fn checkout_closes_the_cart_and_reports_stock_changes() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let mug = shop.product("MUG_TESTER").await;
        let cable = shop.product("USB_CABLE").await;
        shop.add_ok(&cart, &mug, 2).await;
        shop.add_ok(&cart, &cable, 1).await;
        let r = shop.checkout(&cart).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        assert_eq!(
            r.json(),
            json!({"cartId": cart.id, "state": "closed", "itemCount": 2, "total": 27.15,
                "stockChanges": [
                    {"productId": 9, "productCode": "MUG_TESTER", "before": 13, "reducedBy": 2, "after": 11},
                    {"productId": 11, "productCode": "USB_CABLE", "before": 16, "reducedBy": 1, "after": 15}]})
        );
        let total = r.json()["total"].as_f64().unwrap();
        assert!((total - (2.0 * price(&mug) + price(&cable))).abs() < 0.001);
        let r = shop
            .server
            .get(&format!("/shop/carts/{}", cart.id))
            .send()
            .await;
        assert_eq!(r.json()["state"], "closed");
        assert_eq!(r.json()["checkoutTick"], r.json()["updatedTick"]);
        // An empty cart checks out to nothing.
        let empty = shop.register().await;
        let r = shop.checkout_ok(&empty).await;
        assert_eq!(r["itemCount"], 0);
        assert_eq!(r["total"], json!(0.0));
    }
}

#[tokio::test]
async fn checkout_checks_the_cart_and_token() {
    for shop in [Shop::classic().await, Shop::clean().await] {
        let cart = shop.register().await;
        let other = shop.register().await;
        let r = shop
            .checkout(&Cart {
                id: 999,
                token: cart.token.clone(),
            })
            .await;
        assert_eq!(r.status, 404);
        assert_eq!(r.errors(), ["Cart not found"]);
        let r = shop
            .server
            .req("POST", &format!("/shop/checkout/{}", cart.id))
            .send()
            .await;
        assert_eq!(r.status, 401);
        assert_eq!(r.errors(), ["Missing bearer token"]);
        // Bug (both modes): no WWW-Authenticate challenge on this 401.
        assert_eq!(r.header("www-authenticate"), None);
        let r = shop
            .checkout(&Cart {
                id: cart.id,
                token: other.token.clone(),
            })
            .await;
        assert_eq!(r.status, 403);
        assert_eq!(r.errors(), ["Bearer token does not match cart"]);
        // Bug (both modes): Accept is ignored.
        let r = shop
            .server
            .req("POST", &format!("/shop/checkout/{}", cart.id))
            .header("Authorization", &format!("Bearer {}", cart.token))
            .header("Accept", "application/xml")
            .send()
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
    }
}

// The bugs: classic shows them, none does not.

#[tokio::test]
async fn bug_quantities_above_stock() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let cd = shop.product("CD_STATUS").await;
        let cart = shop.register().await;
        let r = shop.add(&cart, &cd, stock(&cd) + 5).await;
        let mug = shop.product("MUG_TESTER").await;
        let item = shop.add_ok(&cart, &mug, 1).await;
        let u = shop
            .update(cart.id, &cart.token, item, stock(&mug) + 1)
            .await;
        if std::ptr::eq(shop, &classic) {
            assert_eq!((r.status, u.status), (201, 200));
        } else {
            assert_eq!((r.status, u.status), (409, 409));
            assert_eq!(r.errors(), ["quantity exceeds current product stock"]);
        }
    }
}

#[tokio::test]
async fn bug_negative_and_zero_quantities() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let mug = shop.product("MUG_TESTER").await;
        let cart = shop.register().await;
        let negative = shop.add(&cart, &mug, -3).await;
        let zero = shop.add(&cart, &mug, 0).await;
        let item = shop.add_ok(&cart, &mug, 1).await;
        let update_negative = shop.update(cart.id, &cart.token, item, -3).await;
        let update_zero = shop.update(cart.id, &cart.token, item, 0).await;
        let statuses = [
            negative.status,
            zero.status,
            update_negative.status,
            update_zero.status,
        ];
        if std::ptr::eq(shop, &classic) {
            assert_eq!(statuses, [201, 201, 200, 200]);
            // -3 + 0 + 0 mugs: a negative total, and the stock goes up.
            let r = shop.checkout_ok(&cart).await;
            assert!(r["total"].as_f64().unwrap() < 0.0);
            assert_eq!(shop.stock(id(&mug)).await, stock(&mug) + 3);
        } else {
            assert_eq!(statuses, [422, 422, 422, 422]);
            assert_eq!(negative.errors(), ["quantity must be greater than 0"]);
            assert_eq!(update_zero.errors(), ["quantity must be greater than 0"]);
        }
    }
}

#[tokio::test]
async fn bug_hidden_captured_values() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let mug = shop.product("MUG_TESTER").await;
        let cart = shop.register().await;
        let body = json!({"productId": id(&mug), "quantity": 1, "unitPriceAtAdd": 0.01, "stockAtAdd": 999});
        let r = shop.post_item(cart.id, &cart.token, body).await;
        assert_eq!(r.status, 201);
        let item = r.json();
        if std::ptr::eq(shop, &classic) {
            assert_eq!(
                (item["unitPriceAtAdd"].clone(), item["stockAtAdd"].clone()),
                (json!(0.01), json!(999))
            );
            assert_eq!(shop.checkout_ok(&cart).await["total"], json!(0.01));
        } else {
            assert_eq!(
                (item["unitPriceAtAdd"].clone(), item["stockAtAdd"].clone()),
                (json!(9.95), json!(13))
            );
        }
    }
}

#[tokio::test]
async fn bug_book_api_checks_stock_captured_at_add() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let book = shop.product("BOOK_API").await;
        let stale = shop.register().await;
        let reducer = shop.register().await;
        shop.add_ok(&stale, &book, 10).await;
        shop.add_ok(&reducer, &book, 8).await;
        shop.checkout_ok(&reducer).await;
        assert_eq!(shop.stock(id(&book)).await, stock(&book) - 8);
        let r = shop.checkout(&stale).await;
        if std::ptr::eq(shop, &classic) {
            assert_eq!(r.status, 200);
            assert_eq!(shop.stock(id(&book)).await, stock(&book) - 18);
        } else {
            assert_eq!(r.status, 409);
            assert_eq!(r.errors(), ["Not enough stock for product BOOK_API"]);
            assert_eq!(shop.stock(id(&book)).await, stock(&book) - 8);
        }
    }
}

#[tokio::test]
async fn bug_stock_that_reached_zero_uses_captured_stock() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let mug = shop.product("MUG_TESTER").await;
        let stale = shop.register().await;
        let reducer = shop.register().await;
        shop.add_ok(&stale, &mug, 1).await;
        shop.add_ok(&reducer, &mug, stock(&mug)).await;
        shop.checkout_ok(&reducer).await;
        assert_eq!(shop.stock(id(&mug)).await, 0);
        let r = shop.checkout(&stale).await;
        if std::ptr::eq(shop, &classic) {
            assert_eq!(r.status, 200);
            let change = &r.json()["stockChanges"][0];
            assert_eq!(
                (
                    change["before"].clone(),
                    change["reducedBy"].clone(),
                    change["after"].clone()
                ),
                (json!(0), json!(1), json!(-1))
            );
            assert_eq!(r.json()["total"], json!(9.95));
            assert_eq!(shop.stock(id(&mug)).await, -1);
        } else {
            assert_eq!(r.status, 409);
            assert_eq!(r.errors(), ["Not enough stock for product MUG_TESTER"]);
            assert_eq!(shop.stock(id(&mug)).await, 0);
        }
    }
}

#[tokio::test]
async fn bug_dvd_bugs_stock_drops_by_one_per_line() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let dvd = shop.product("DVD_BUGS").await;
        let cart = shop.register().await;
        shop.add_ok(&cart, &dvd, 5).await;
        let r = shop.checkout_ok(&cart).await;
        let expected = if std::ptr::eq(shop, &classic) { 1 } else { 5 };
        assert_eq!(r["stockChanges"][0]["reducedBy"], expected);
        assert_eq!(shop.stock(id(&dvd)).await, stock(&dvd) - expected);
    }
}

#[tokio::test]
async fn bug_cd_status_stock_goes_negative() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let cd = shop.product("CD_STATUS").await;
        let cart = shop.register().await;
        // Clean mode refuses the over-stock line itself, so use one within stock
        // there and take the rest away first.
        if std::ptr::eq(shop, &classic) {
            shop.add_ok(&cart, &cd, stock(&cd) + 5).await;
            assert_eq!(shop.checkout(&cart).await.status, 200);
            assert_eq!(shop.stock(id(&cd)).await, -5);
        } else {
            let other = shop.register().await;
            shop.add_ok(&cart, &cd, stock(&cd)).await;
            shop.add_ok(&other, &cd, 1).await;
            shop.checkout_ok(&other).await;
            let r = shop.checkout(&cart).await;
            assert_eq!(r.status, 409);
            assert_eq!(r.errors(), ["Not enough stock for product CD_STATUS"]);
            assert_eq!(shop.stock(id(&cd)).await, stock(&cd) - 1);
        }
    }
}

#[tokio::test]
async fn bug_closed_carts_can_change_and_check_out_again() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let mug = shop.product("MUG_TESTER").await;
        let cart = shop.register().await;
        let item = shop.add_ok(&cart, &mug, 1).await;
        shop.checkout_ok(&cart).await;
        let after_first = shop.stock(id(&mug)).await;
        let add = shop.add(&cart, &mug, 1).await;
        let update = shop.update(cart.id, &cart.token, item, 2).await;
        let delete = shop.delete_item(cart.id, &cart.token, item).await;
        let again = shop.checkout(&cart).await;
        if std::ptr::eq(shop, &classic) {
            assert_eq!(
                [add.status, update.status, delete.status, again.status],
                [201, 200, 200, 200]
            );
            assert_eq!(delete.json()["state"], "closed");
            // The second checkout takes the new line out of stock again.
            assert_eq!(shop.stock(id(&mug)).await, after_first - 1);
        } else {
            assert_eq!(
                [add.status, update.status, delete.status, again.status],
                [409, 409, 409, 409]
            );
            assert_eq!(add.errors(), ["Closed carts cannot be modified"]);
            assert_eq!(again.errors(), ["Closed carts cannot be checked out again"]);
            assert_eq!(shop.stock(id(&mug)).await, after_first);
        }
    }
}

#[tokio::test]
async fn bug_another_carts_token_updates_an_item() {
    let (classic, clean) = (Shop::classic().await, Shop::clean().await);
    for shop in [&classic, &clean] {
        let mug = shop.product("MUG_TESTER").await;
        let cart = shop.register().await;
        let other = shop.register().await;
        let item = shop.add_ok(&cart, &mug, 1).await;
        let r = shop.update(cart.id, &other.token, item, 2).await;
        if std::ptr::eq(shop, &classic) {
            assert_eq!(r.status, 200);
            assert_eq!(r.json()["quantity"], 2);
        } else {
            assert_eq!(r.status, 403);
        }
    }
}

// HTTP contract: methods, CORS, preflight.

#[tokio::test]
async fn wrong_methods_are_405() {
    let shop = Shop::classic().await;
    let cart = shop.register().await;
    let mug = shop.product("MUG_TESTER").await;
    let item = shop.add_ok(&cart, &mug, 1).await;
    for (method, path) in [
        ("POST", "/shop/carts".to_string()),
        ("PUT", "/shop/carts".to_string()),
        ("DELETE", "/shop/carts".to_string()),
        ("POST", format!("/shop/carts/{}", cart.id)),
        ("PUT", format!("/shop/carts/{}", cart.id)),
        ("PUT", format!("/shop/carts/{}/items", cart.id)),
        ("DELETE", format!("/shop/carts/{}/items", cart.id)),
        ("POST", format!("/shop/carts/{}/items/{item}", cart.id)),
        ("PUT", format!("/shop/carts/{}/items/{item}", cart.id)),
    ] {
        let r = shop.server.req(method, &path).json("{}").send().await;
        assert_eq!(r.status, 405, "{method} {path}");
        assert!(r.body.is_empty());
        assert_eq!(r.header("allow"), None, "{method} {path}");
    }
    // A QUERY where the route has none is told what the route allows.
    let r = shop
        .server
        .req("QUERY", &format!("/shop/carts/{}", cart.id))
        .send()
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("OPTIONS, GET, HEAD, DELETE"));
    let r = shop
        .server
        .req("QUERY", "/shop/products")
        .body("category=book")
        .send()
        .await;
    assert_eq!(r.json()["products"].as_array().unwrap().len(), 1);
    // Bug: the custom routes' 405 has no Allow header.
    for method in ["GET", "HEAD", "PUT", "DELETE", "PATCH", "TRACE", "QUERY"] {
        for path in [
            "/shop/register".to_string(),
            format!("/shop/checkout/{}", cart.id),
        ] {
            let r = shop.server.req(method, &path).send().await;
            assert_eq!(r.status, 405, "{method} {path}");
            assert_eq!(r.header("allow"), None, "{method} {path}");
        }
    }
    for path in [
        "/shop/register".to_string(),
        format!("/shop/checkout/{}", cart.id),
    ] {
        let r = shop.server.req("OPTIONS", &path).send().await;
        assert_eq!(r.status, 204);
        assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
    }
    let r = shop.server.req("OPTIONS", "/shop/products").send().await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("allow"), Some("OPTIONS, GET, HEAD, QUERY"));
    let r = shop.server.req("HEAD", "/shop/products").send().await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(
        shop.server.get("/shop/nothing-here").send().await.status,
        404
    );
}

#[tokio::test]
async fn cors_allows_credentials_with_any_origin_and_preflight_echoes_the_wrong_header() {
    let shop = Shop::clean().await;
    for r in [
        shop.server.get("/shop/products").send().await,
        shop.server.req("POST", "/shop/register").send().await,
        shop.server.get("/shop/carts/999").send().await,
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
        assert_eq!(r.header("access-control-allow-headers"), Some("*"));
        assert_eq!(r.header("access-control-allow-methods"), Some("*"));
        assert_eq!(r.header("access-control-expose-headers"), Some("*"));
    }
    let r = shop
        .server
        .req("OPTIONS", "/shop/products")
        .header("Origin", "https://example.com")
        .header("Access-Control-Request-Method", "DELETE")
        .send()
        .await;
    assert_eq!(r.header("access-control-allow-methods"), Some("*"));
    let r = shop
        .server
        .req("OPTIONS", "/shop/products")
        .header("Access-Control-Allow-Methods", "PURGE")
        .send()
        .await;
    assert_eq!(r.header("access-control-allow-methods"), Some("PURGE"));
}

#[tokio::test]
async fn the_page_explains_the_mode_and_hides_the_bugs() {
    for (shop, mode) in [
        (Shop::classic().await, "classic"),
        (Shop::clean().await, "--shop-bugs none"),
    ] {
        let r = shop.server.get("/practice-modes/shoppingcart").send().await;
        assert_eq!(r.status, 200);
        let text = r.text();
        assert!(text.contains(mode));
        assert!(text.contains("POST /shop/register"));
        let spoiler = text.find("<details>").expect("a spoiler");
        for bug in [
            "DVD_BUGS stock goes down by 1",
            "CD_STATUS stock can go negative",
            "checked out twice",
        ] {
            assert!(text.find(bug).expect(bug) > spoiler, "{bug}");
        }
        let r = shop.server.get("/shop").send().await;
        assert_eq!(r.status, 302);
        assert_eq!(r.header("location"), Some("/practice-modes/shoppingcart"));
    }
}

#[tokio::test]
async fn the_shop_counts_for_no_challenge() {
    let shop = Shop::classic().await;
    let before = shop.server.statuses(None).await;
    let cart = shop.register().await;
    let mug = shop.product("MUG_TESTER").await;
    shop.add_ok(&cart, &mug, 1).await;
    shop.checkout_ok(&cart).await;
    shop.server.req("OPTIONS", "/shop/products").send().await;
    assert_eq!(shop.server.statuses(None).await, before);
    let todos = shop.server.get("/api/todos").send().await;
    assert_eq!(todos.json()["todos"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn the_docs_and_openapi_documents_describe_the_shop() {
    let shop = Shop::classic().await;
    let r = shop.server.get("/shop/docs").send().await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Buggy API"));
    let r = shop.server.get("/shop/docs/swagger-ui").send().await;
    assert!(r.text().contains("Buggy API - Swagger UI"));
    for (path, version) in [
        ("/shop/docs/openapi.json", "3.1.0"),
        ("/shop/docs/openapi-3.0.json", "3.0.3"),
        ("/shop/docs/openapi-3.1.json", "3.1.0"),
        ("/shop/docs/openapi-3.2.json", "3.2.0"),
    ] {
        let r = shop.server.get(path).send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("application/json"));
        let text = r.text();
        assert!(
            text.contains(&format!("\"openapi\" : \"{version}\"")),
            "{path}"
        );
        assert!(text.contains("/shop/carts/{id}/items"));
        assert!(
            !text.contains("/shop/cartitems") && !text.contains("/shop/products/{id}/cartitems")
        );
        assert!(text.contains("\"cartToken\"") && text.contains("\"scheme\" : \"bearer\""));
        assert!(text.contains("\"securitySchemes\"") && text.contains("requestBody"));
        assert!(text.contains("\"name\" : \"id\"") && text.contains("\"name\" : \"relatedId\""));
        assert!(!text.contains("\"patch\""));
        let doc = r.json();
        let schemas = &doc["components"]["schemas"];
        let create = schemas["create_AddedCartItem"]["properties"]
            .as_object()
            .unwrap();
        assert!(create.contains_key("productId") && create.contains_key("quantity"));
        assert!(!create.contains_key("unitPriceAtAdd") && !create.contains_key("stockAtAdd"));
        let added = schemas["AddedCartItem"]["properties"].as_object().unwrap();
        for field in [
            "id",
            "productId",
            "quantity",
            "unitPriceAtAdd",
            "stockAtAdd",
        ] {
            assert!(added.contains_key(field), "{field}");
        }
        let r = shop.server.get(&format!("{path}?download")).send().await;
        let file = path.rsplit('/').next().unwrap();
        assert_eq!(
            r.header("content-disposition"),
            Some(format!("attachment; filename=\"{file}\"").as_str())
        );
    }
    assert_eq!(
        shop.server.get("/shop/docs/nothing").send().await.status,
        404
    );
}

#[tokio::test]
async fn the_data_explorer_never_shows_a_token() {
    let shop = Shop::classic().await;
    let cart = shop.register().await;
    let mug = shop.product("MUG_TESTER").await;
    shop.add_ok(&cart, &mug, 1).await;
    let r = shop.server.get("/shop/gui/entities").send().await;
    assert_eq!(r.status, 200);
    let text = r.text();
    assert!(text.contains("entity=cart") && text.contains("entity=product"));
    assert!(!text.contains("entity=cartitem"));
    for path in [
        "/shop/gui/instances?entity=cart".to_string(),
        format!("/shop/gui/instance?entity=cart&id={}", cart.id),
    ] {
        let r = shop.server.get(&path).send().await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            !r.text().contains("token") && !r.text().contains(&cart.token),
            "{path}"
        );
    }
    let r = shop
        .server
        .get("/shop/gui/instances?entity=product")
        .send()
        .await;
    assert!(r.text().contains("MUG_TESTER"));
    let r = shop
        .server
        .get("/shop/gui/instance?entity=product&id=9")
        .send()
        .await;
    assert!(r.text().contains("MUG_TESTER"));
    let r = shop
        .server
        .get("/shop/gui/instances?entity=cartitem")
        .send()
        .await;
    assert_eq!(r.status, 404);
}
