//! Shared helpers for the todo API tests: a learner bound to a route prefix, expected
//! renderings of the seed data, and database snapshots.

use crate::common::{Req, Resp, TestServer};

/// The canonical and the legacy route prefix: every route answers under both.
pub const PREFIXES: [&str; 2] = ["/api", ""];

/// Seed titles, ids 1..=10, as every new database starts.
pub const SEEDS: [&str; 10] = [
    "scan paperwork",
    "file paperwork",
    "process payments",
    "escalate late payments",
    "pay invoices",
    "process payroll",
    "train staff",
    "schedule meeting",
    "tidy meeting room",
    "install webcam",
];

pub const LIMIT_REACHED: &str = "ERROR: Cannot add instance, maximum limit of 20 reached";
pub const TOO_LARGE: &str = "Error: request body too large, max allowed is 5000 bytes";
pub const ACCEPT_QUERY: &str =
    "application/x-www-form-urlencoded, application/jsonpath, application/vnd.thingifier.query+json";
pub const ACCEPT_PATCH: &str =
    "application/json, application/merge-patch+json, application/json-patch+json";
pub const ITEM_ALLOW: &str = "OPTIONS, GET, HEAD, POST, PUT, DELETE";
pub const COLLECTION_ALLOW: &str = "OPTIONS, GET, HEAD, POST, QUERY";

/// A learner on a server, sending every request under one route prefix.
pub struct Ctx<'a> {
    pub s: &'a TestServer,
    /// None in single-user mode (every request counts for the single player).
    pub guid: Option<String>,
    pub prefix: &'static str,
}

impl<'a> Ctx<'a> {
    /// A fresh learner (multi-user server) using `prefix`.
    pub async fn new(s: &'a TestServer, prefix: &'static str) -> Ctx<'a> {
        let guid = s.new_challenger().await;
        Ctx {
            s,
            guid: Some(guid),
            prefix,
        }
    }

    /// The single player (single-user server) using `prefix`.
    pub fn single(s: &'a TestServer, prefix: &'static str) -> Ctx<'a> {
        Ctx {
            s,
            guid: None,
            prefix,
        }
    }

    /// `path` is relative to the prefix, e.g. `/todos/1`.
    pub fn req(&self, method: &str, path: &str) -> Req {
        let r = self.s.req(method, &format!("{}{path}", self.prefix));
        match &self.guid {
            Some(g) => r.as_(g),
            None => r,
        }
    }

    pub fn get(&self, path: &str) -> Req {
        self.req("GET", path)
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Resp {
        self.req("POST", path).json(body).send().await
    }

    /// POST /todos with a JSON body.
    pub async fn create(&self, body: &str) -> Resp {
        self.post_json("/todos", body).await
    }

    /// Create a todo that must succeed; its id.
    pub async fn create_ok(&self, body: &str) -> u64 {
        let r = self.create(body).await;
        assert_eq!(r.status, 201, "create {body}: {}", r.text());
        r.json()["id"].as_u64().expect("created id")
    }

    /// Create a done todo so "store has both" rules can pass.
    pub async fn create_done(&self, title: &str) -> u64 {
        self.create_ok(&format!(r#"{{"title":"{title}","doneStatus":true}}"#))
            .await
    }

    /// Up to 20 todos of the learner, as JSON text (canonical route).
    pub async fn snapshot(&self) -> String {
        let mut r = self.s.get("/api/todos?_limit=20");
        if let Some(g) = &self.guid {
            r = r.as_(g);
        }
        let resp = r.send().await;
        assert_eq!(resp.status, 200, "snapshot: {}", resp.text());
        resp.text()
    }

    /// Ids of the learner's todos (up to 20).
    pub async fn ids(&self) -> Vec<u64> {
        ids_of(&self.snapshot().await)
    }

    async fn statuses(&self) -> std::collections::HashMap<String, bool> {
        self.s.statuses(self.guid.as_deref()).await
    }

    pub async fn done(&self, title: &str) {
        let st = self.statuses().await;
        assert_eq!(
            st.get(title),
            Some(&true),
            "challenge {title:?} should be completed (prefix {:?})",
            self.prefix
        );
    }

    pub async fn not_done(&self, title: &str) {
        let st = self.statuses().await;
        assert_eq!(
            st.get(title),
            Some(&false),
            "challenge {title:?} should NOT be completed (prefix {:?})",
            self.prefix
        );
    }
}

/// The ids in a `{"todos":[...]}` JSON body, in order.
pub fn ids_of(body: &str) -> Vec<u64> {
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON list expected ({e}): {body}"));
    v["todos"]
        .as_array()
        .unwrap_or_else(|| panic!("todos array expected: {body}"))
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect()
}

/// Ids of a response's JSON list.
pub fn resp_ids(r: &Resp) -> Vec<u64> {
    ids_of(&r.text())
}

/// A todo in compact JSON, field order id, title, doneStatus, description.
pub fn todo_json(id: u64, title: &str, done: bool, description: &str) -> String {
    serde_json::json!({"id": id, "title": title, "doneStatus": done, "description": description})
        .to_string()
}

/// A seed todo in JSON.
pub fn seed_json(id: u64) -> String {
    todo_json(id, SEEDS[(id - 1) as usize], false, "")
}

/// `{"todos":[...]}` of the given seed ids.
pub fn seed_list_json(ids: impl IntoIterator<Item = u64>) -> String {
    let items: Vec<String> = ids.into_iter().map(seed_json).collect();
    format!(r#"{{"todos":[{}]}}"#, items.join(","))
}

/// A todo in the reference XML element order doneStatus, description, id, title.
pub fn todo_xml(id: u64, title: &str, done: bool, description: &str) -> String {
    let description = if description.is_empty() {
        "<description/>".to_string()
    } else {
        format!("<description>{description}</description>")
    };
    format!("<todo><doneStatus>{done}</doneStatus>{description}<id>{id}</id><title>{title}</title></todo>")
}

/// `<todos>...</todos>` of the given seed ids.
pub fn seed_list_xml(ids: impl IntoIterator<Item = u64>) -> String {
    let items: String = ids
        .into_iter()
        .map(|id| todo_xml(id, SEEDS[(id - 1) as usize], false, ""))
        .collect();
    format!("<todos>{items}</todos>")
}

/// A string of `n` characters.
pub fn chars(n: usize) -> String {
    "x".repeat(n)
}

/// Assert a 4xx (never 5xx) with a non-empty JSON error body.
pub fn assert_client_error(r: &Resp, what: &str) {
    assert!(
        (400..500).contains(&r.status),
        "{what}: expected a 4xx, got {} {}",
        r.status,
        r.text()
    );
    let errors = r.errors();
    assert!(!errors.is_empty(), "{what}: error messages expected");
}

/// Assert the single error message of a JSON error body.
pub fn assert_error(r: &Resp, status: u16, message: &str) {
    assert_eq!(r.status, status, "status; body {}", r.text());
    assert_eq!(
        r.content_type(),
        Some("application/json"),
        "error Content-Type"
    );
    assert_eq!(r.errors(), vec![message.to_string()]);
}
