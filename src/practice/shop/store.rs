//! The shopping cart's data: the product catalogue, carts and their items, shared by
//! every client of the server (as in the reference, carts are public practice data,
//! not per learner). Size is bounded: at most 24 products, 100 carts (the oldest is
//! pruned to make room) and 400 cart items in all. Maintenance after every request
//! keeps at least 10 products in stock.

use serde_json::{json, Value};
use uuid::Uuid;

pub const MAX_PRODUCTS: usize = 24;
pub const MAX_CARTS: usize = 100;
pub const MAX_CART_ITEMS: usize = 400;
/// Maintenance keeps at least this many products with stock above zero...
pub const MIN_STOCKED_PRODUCTS: usize = 10;
/// ...restocking an empty one to this level.
pub const RESTOCK_QUANTITY: i64 = 12;

/// The catalogue, in the order products are created: code, category, price, stock.
/// The first 12 exist at start; maintenance adds the others when stock runs low.
pub const CATALOGUE: [(&str, &str, f32, i64); MAX_PRODUCTS] = [
    ("BOOK_API", "book", 8.99, 12),
    ("DVD_BUGS", "dvd", 14.99, 15),
    ("CD_STATUS", "cd", 6.50, 2),
    ("BLURAY_HTTP", "blu-ray", 19.99, 8),
    ("GAME_JSON", "game", 29.99, 11),
    ("PUZZLE_CACHE", "game", 12.00, 7),
    ("NOTEBOOK_GRID", "stationery", 4.75, 18),
    ("PEN_BLUE", "stationery", 1.25, 40),
    ("MUG_TESTER", "homeware", 9.95, 13),
    ("STICKER_PACK", "stationery", 2.50, 30),
    ("USB_CABLE", "electronics", 7.25, 16),
    ("POSTER_API", "art", 5.99, 10),
    ("BOOK_REST", "book", 10.50, 0),
    ("DVD_STATUS", "dvd", 11.25, 0),
    ("CD_HEADERS", "cd", 7.75, 0),
    ("GAME_TOKENS", "game", 24.00, 0),
    ("PUZZLE_PROXY", "game", 13.50, 0),
    ("NOTEBOOK_LOGS", "stationery", 5.25, 0),
    ("PEN_RED", "stationery", 1.25, 0),
    ("MUG_CLIENT", "homeware", 9.95, 0),
    ("STICKER_HTTP", "stationery", 2.50, 0),
    ("USB_HUB", "electronics", 17.25, 0),
    ("POSTER_BUG", "art", 5.99, 0),
    ("BOOK_TESTS", "book", 12.99, 0),
];
const SEEDED_PRODUCTS: usize = 12;

pub struct Product {
    pub id: u32,
    pub code: &'static str,
    pub category: &'static str,
    pub unit_price: f32,
    pub stock: i64,
}

pub struct Cart {
    pub id: u32,
    pub token: String,
    pub closed: bool,
    pub created_tick: i64,
    pub updated_tick: i64,
    pub checkout_tick: i64,
}

pub struct Item {
    pub id: u32,
    pub cart_id: u32,
    pub product_id: u32,
    pub quantity: i64,
    pub unit_price_at_add: f32,
    pub stock_at_add: i64,
}

/// All of the shop's data.
pub struct Store {
    pub products: Vec<Product>,
    /// In id order (ids only grow).
    pub carts: Vec<Cart>,
    /// In id order.
    pub items: Vec<Item>,
    next_cart_id: u32,
    next_item_id: u32,
    /// A counter that stands in for time: each registration, item change and
    /// checkout takes the next value.
    tick: i64,
}

impl Default for Store {
    fn default() -> Self {
        let mut store = Store {
            products: Vec::new(),
            carts: Vec::new(),
            items: Vec::new(),
            next_cart_id: 1,
            next_item_id: 1,
            tick: 1,
        };
        for _ in 0..SEEDED_PRODUCTS {
            store.add_next_product();
        }
        store
    }
}

impl Store {
    pub fn next_tick(&mut self) -> i64 {
        let tick = self.tick;
        self.tick += 1;
        tick
    }

    pub fn product(&self, id: u32) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn product_mut(&mut self, id: u32) -> Option<&mut Product> {
        self.products.iter_mut().find(|p| p.id == id)
    }

    pub fn cart(&self, id: &str) -> Option<&Cart> {
        let id: u32 = id.parse().ok()?;
        self.carts.iter().find(|c| c.id == id)
    }

    pub fn cart_mut(&mut self, id: u32) -> Option<&mut Cart> {
        self.carts.iter_mut().find(|c| c.id == id)
    }

    pub fn cart_with_token(&self, token: &str) -> Option<&Cart> {
        self.carts.iter().find(|c| c.token == token)
    }

    pub fn item(&self, id: u32) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn item_mut(&mut self, id: u32) -> Option<&mut Item> {
        self.items.iter_mut().find(|i| i.id == id)
    }

    pub fn items_of(&self, cart_id: u32) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.cart_id == cart_id)
    }

    /// A new open cart; the oldest cart goes first if the shop is full.
    pub fn register(&mut self) -> &Cart {
        if self.carts.len() >= MAX_CARTS {
            let oldest = self.carts[0].id;
            self.delete_cart(oldest);
        }
        let tick = self.next_tick();
        let id = self.next_cart_id;
        self.next_cart_id += 1;
        self.carts.push(Cart {
            id,
            token: Uuid::new_v4().to_string(),
            closed: false,
            created_tick: tick,
            updated_tick: tick,
            checkout_tick: 0,
        });
        self.carts.last().expect("just pushed")
    }

    /// A new cart item, unless the shop already holds the most it may.
    pub fn add_item(&mut self, mut item: Item) -> Option<u32> {
        if self.items.len() >= MAX_CART_ITEMS {
            return None;
        }
        item.id = self.next_item_id;
        self.next_item_id += 1;
        self.items.push(item);
        Some(self.next_item_id - 1)
    }

    pub fn delete_item(&mut self, id: u32) {
        self.items.retain(|i| i.id != id);
    }

    /// Delete a cart and every item in it.
    pub fn delete_cart(&mut self, id: u32) {
        self.items.retain(|i| i.cart_id != id);
        self.carts.retain(|c| c.id != id);
    }

    /// Mark a cart as changed now.
    pub fn touch(&mut self, cart_id: u32) {
        let tick = self.next_tick();
        if let Some(cart) = self.cart_mut(cart_id) {
            cart.updated_tick = tick;
        }
    }

    /// Run after every shop request: prune carts beyond the limit (oldest first) and
    /// keep at least 10 products in stock, restocking empty ones (lowest id first)
    /// and then adding unused catalogue products. Products are never deleted.
    pub fn maintain(&mut self) {
        while self.carts.len() > MAX_CARTS {
            let oldest = self
                .carts
                .iter()
                .min_by_key(|c| c.created_tick)
                .map(|c| c.id)
                .expect("carts is not empty");
            self.delete_cart(oldest);
        }
        let mut stocked = self.products.iter().filter(|p| p.stock > 0).count();
        for product in &mut self.products {
            if stocked >= MIN_STOCKED_PRODUCTS {
                return;
            }
            if product.stock <= 0 {
                product.stock = RESTOCK_QUANTITY;
                stocked += 1;
            }
        }
        while stocked < MIN_STOCKED_PRODUCTS && self.add_next_product() {
            stocked += 1;
        }
    }

    /// Add the first catalogue product not yet in the shop; false when all are.
    fn add_next_product(&mut self) -> bool {
        if self.products.len() >= MAX_PRODUCTS {
            return false;
        }
        let Some(&(code, category, unit_price, stock)) = CATALOGUE
            .iter()
            .find(|(code, ..)| self.products.iter().all(|p| p.code != *code))
        else {
            return false;
        };
        self.products.push(Product {
            id: self.products.len() as u32 + 1,
            code,
            category,
            unit_price,
            stock,
        });
        true
    }

    // Representations, as the generated API shows them: typed fields, then each
    // relationship as a list of `{"id": "<id as text>"}`.

    pub fn product_json(&self, p: &Product) -> Value {
        let mut v = json!({
            "id": p.id, "productCode": p.code, "category": p.category,
            "unitPrice": float(p.unit_price), "stock": p.stock,
        });
        let related: Vec<Value> = self
            .items
            .iter()
            .filter(|i| i.product_id == p.id)
            .map(|i| json!({"id": i.id.to_string()}))
            .collect();
        if !related.is_empty() {
            v["cartitems"] = Value::Array(related);
        }
        v
    }

    /// A cart without its token: the token is only ever shown to whoever registered.
    pub fn cart_json(&self, c: &Cart) -> Value {
        let mut v = json!({
            "id": c.id, "state": if c.closed { "closed" } else { "open" },
            "createdTick": c.created_tick, "updatedTick": c.updated_tick,
            "checkoutTick": c.checkout_tick,
        });
        let related: Vec<Value> = self
            .items_of(c.id)
            .map(|i| json!({"id": i.id.to_string()}))
            .collect();
        if !related.is_empty() {
            v["items"] = Value::Array(related);
        }
        v
    }

    pub fn item_json(&self, i: &Item) -> Value {
        json!({
            "id": i.id, "productId": i.product_id, "quantity": i.quantity,
            "unitPriceAtAdd": float(i.unit_price_at_add), "stockAtAdd": i.stock_at_add,
            "cart": [{"id": i.cart_id.to_string()}],
            "product": [{"id": i.product_id.to_string()}],
        })
    }
}

/// A single-precision value as JSON with its shortest decimal form (8.99, not the
/// 8.989999771118164 that widening to double would show), as the reference prints
/// its floats.
pub fn float(value: f32) -> Value {
    value
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_written() {
        assert_eq!(float(8.99).to_string(), "8.99");
        assert_eq!(float(12.0).to_string(), "12.0");
        assert_eq!(float(-29.85).to_string(), "-29.85");
    }

    #[test]
    fn the_shop_starts_with_twelve_products() {
        let store = Store::default();
        assert_eq!(store.products.len(), 12);
        assert_eq!(store.products[0].code, "BOOK_API");
        assert_eq!(store.products[11].code, "POSTER_API");
    }

    #[test]
    fn registering_beyond_the_limit_prunes_the_oldest_cart_and_its_items() {
        let mut store = Store::default();
        let first = store.register().id;
        store.add_item(Item {
            id: 0,
            cart_id: first,
            product_id: 1,
            quantity: 1,
            unit_price_at_add: 1.0,
            stock_at_add: 1,
        });
        for _ in 0..MAX_CARTS {
            store.register();
        }
        assert_eq!(store.carts.len(), MAX_CARTS);
        assert!(store.cart(&first.to_string()).is_none());
        assert!(store.items.is_empty());
    }

    #[test]
    fn maintenance_restocks_then_adds_products() {
        let mut store = Store::default();
        for p in &mut store.products {
            p.stock = 0;
        }
        store.maintain();
        let stocked = store.products.iter().filter(|p| p.stock > 0).count();
        assert_eq!(stocked, MIN_STOCKED_PRODUCTS);
        assert_eq!(store.products.len(), 12);
        assert!(store.products[..10].iter().all(|p| p.stock == 12));
        for p in &mut store.products {
            p.stock = 0;
        }
        store.products.truncate(3);
        store.maintain();
        // 3 restocked, 7 added from the catalogue (never the ones already present).
        assert_eq!(store.products.len(), 10);
        assert_eq!(store.products[3].code, "BLURAY_HTTP");
    }
}
