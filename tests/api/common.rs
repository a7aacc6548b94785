//! Test harness: a real server on 127.0.0.1:0 and a minimal HTTP/1.1 client, so tests
//! can send any method, header or body and see the exact status line.

use std::collections::HashMap;
use std::sync::Arc;

use apichallenges::learners::clock::ManualClock;
use apichallenges::{Config, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const SINGLE: &str = "rest-api-challenges-single-player";

/// A running server and the clock it reads.
pub struct TestServer {
    pub handle: ServerHandle,
    pub clock: Arc<ManualClock>,
}

impl TestServer {
    /// Single-user, no storage.
    pub async fn single() -> TestServer {
        TestServer::with(|_| {}).await
    }

    /// Multi-user, no storage.
    pub async fn multi() -> TestServer {
        TestServer::with(|c| c.multi_user = true).await
    }

    /// A server with storage off unless `adjust` turns it on.
    pub async fn with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let clock = Arc::new(ManualClock::default());
        let mut config = Config {
            storage: false,
            clock: clock.clone(),
            // Tests move the clock and sweep themselves (`evict_idle`).
            idle_sweep: false,
            ..Config::default()
        };
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let handle = apichallenges::serve(config, listener).unwrap();
        TestServer { handle, clock }
    }

    pub fn req(&self, method: &str, path: &str) -> Req {
        Req {
            addr: self.handle.addr,
            method: method.to_string(),
            path: path.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn get(&self, path: &str) -> Req {
        self.req("GET", path)
    }

    /// Register a learner (multi-user) and return its GUID.
    pub async fn new_challenger(&self) -> String {
        let r = self.req("POST", "/api/challenger").send().await;
        assert_eq!(r.status, 201, "POST /api/challenger");
        r.header("x-challenger").unwrap().to_string()
    }

    /// Statuses of `/challenges` by title, for a learner (None: single-user).
    pub async fn statuses(&self, guid: Option<&str>) -> HashMap<String, bool> {
        let mut req = self.get("/api/challenges");
        if let Some(g) = guid {
            req = req.header("X-CHALLENGER", g);
        }
        let body = req.send().await.json();
        body["challenges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["status"].as_bool().unwrap(),
                )
            })
            .collect()
    }

    /// Assert that a challenge, by exact title, shows as completed.
    pub async fn assert_done(&self, guid: Option<&str>, title: &str) {
        let statuses = self.statuses(guid).await;
        assert_eq!(
            statuses.get(title),
            Some(&true),
            "challenge {title:?} should be completed"
        );
    }

    /// Assert that a challenge, by exact title, is not completed.
    pub async fn assert_not_done(&self, guid: Option<&str>, title: &str) {
        let statuses = self.statuses(guid).await;
        assert_eq!(
            statuses.get(title),
            Some(&false),
            "challenge {title:?} should not be completed"
        );
    }
}

/// A request under construction.
pub struct Req {
    addr: std::net::SocketAddr,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    pub fn header(mut self, name: &str, value: &str) -> Req {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Send as the learner with this GUID.
    pub fn as_(self, guid: &str) -> Req {
        self.header("X-CHALLENGER", guid)
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Req {
        self.body = body.into();
        self
    }

    pub fn json(self, body: &str) -> Req {
        self.header("Content-Type", "application/json").body(body)
    }

    pub async fn send(self) -> Resp {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n",
            self.method, self.path
        );
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.body.is_empty()
            || matches!(self.method.as_str(), "POST" | "PUT" | "PATCH" | "QUERY")
        {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&self.body).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        Resp::parse(&raw, &self.method)
    }
}

/// A parsed response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    fn parse(raw: &[u8], method: &str) -> Resp {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response head");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let mut parts = status_line.splitn(3, ' ');
        let _version = parts.next();
        let status = parts.next().unwrap().parse().unwrap();
        let reason = parts.next().unwrap_or("").to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        if method == "HEAD" {
            assert!(body.is_empty(), "HEAD responses have no body");
        }
        Resp {
            status,
            reason,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("JSON body expected ({e}): {}", self.text()))
    }

    /// The messages of a JSON error body.
    pub fn errors(&self) -> Vec<String> {
        self.json()["errorMessages"]
            .as_array()
            .unwrap_or_else(|| panic!("an error body expected: {}", self.text()))
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}
