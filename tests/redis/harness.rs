//! Test harness: a real `redis-server` child on a free loopback port, real instances
//! of our binary pointed at it, and a minimal HTTP/1.1 client. Every process started
//! here is stopped here, by its PID (a failing test leaves none behind).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A redis-server child process.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    /// How it listens: `--port P`, or TLS only on P (see [`RedisServer::start_tls`]).
    listen: Vec<String>,
    extra: Vec<String>,
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    /// Start `redis-server` without persistence on a free port; panics (the test
    /// fails, never skips) when the binary is missing.
    pub fn start() -> RedisServer {
        RedisServer::start_with(&[])
    }

    /// Start with extra arguments (e.g. `--requirepass`).
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let port = free_port();
        RedisServer::start_listening(port, vec!["--port".into(), port.to_string()], extra)
    }

    /// Start with TLS only (no plain port) on a free port, presenting `certificates`'
    /// server certificate; clients need no certificate of their own. [`RedisServer::client`]
    /// speaks plain TCP, so tests of such a server check through the instances.
    pub fn start_tls(certificates: &TestCertificates, extra: &[&str]) -> RedisServer {
        let port = free_port();
        let path = |name: &str| certificates.path(name);
        let listen = [
            "--port".into(),
            "0".into(),
            "--tls-port".into(),
            port.to_string(),
            "--tls-cert-file".into(),
            path("server.pem"),
            "--tls-key-file".into(),
            path("server.key"),
            "--tls-ca-cert-file".into(),
            path("ca.pem"),
            "--tls-auth-clients".into(),
            "no".into(),
        ];
        RedisServer::start_listening(port, listen.to_vec(), extra)
    }

    fn start_listening(port: u16, listen: Vec<String>, extra: &[&str]) -> RedisServer {
        let mut server = RedisServer {
            child: None,
            port,
            listen,
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        server.restart();
        server
    }

    /// The URL instances are given.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// A plain connection for the test's own checks (INFO, TTL, KEYS).
    pub fn client(&self) -> redis::Connection {
        let password = self
            .extra
            .iter()
            .position(|a| a == "--requirepass")
            .map(|i| format!(":{}@", self.extra[i + 1]))
            .unwrap_or_default();
        let url = format!("redis://{password}127.0.0.1:{}/0", self.port);
        redis::Client::open(url).unwrap().get_connection().unwrap()
    }

    /// Stop it (SIGKILL by PID): everything it held is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start it again on the same port (empty).
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args(&self.listen)
            .args(["--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (apt-get install -y redis-server)");
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server listens within 10 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `total_commands_processed` from INFO stats (the INFO itself is not counted).
    pub fn commands_processed(&self) -> u64 {
        let info: String = redis::cmd("INFO")
            .arg("stats")
            .query(&mut self.client())
            .unwrap();
        info.lines()
            .find_map(|l| l.strip_prefix("total_commands_processed:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A throwaway CA and a certificate for 127.0.0.1 signed by it, made with `openssl` in
/// a fresh directory (removed on drop): `ca.pem`, `server.pem`, `server.key`.
pub struct TestCertificates {
    pub dir: std::path::PathBuf,
}

impl TestCertificates {
    pub fn generate() -> TestCertificates {
        let dir = std::env::temp_dir().join(format!("apic-tls-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let certificates = TestCertificates { dir };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        certificates.openssl(&[
            &["req", "-x509"],
            &ec[..],
            &["-keyout", "ca.key", "-out", "ca.pem"],
            &["-days", "2", "-subj", "/CN=apichallenges test CA"],
        ]);
        certificates.openssl(&[
            &["req", "-new"],
            &ec[..],
            &["-keyout", "server.key", "-out", "server.csr"],
            &["-subj", "/CN=127.0.0.1"],
        ]);
        std::fs::write(
            certificates.dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\n",
        )
        .unwrap();
        certificates.openssl(&[
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
            ],
            &[
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem",
            ],
        ]);
        certificates
    }

    /// The path of one of its files, as an argument.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    fn openssl(&self, args: &[&[&str]]) {
        let out = Command::new("openssl")
            .args(args.concat())
            .current_dir(&self.dir)
            .output()
            .expect("openssl must be installed (apt-get install -y openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for TestCertificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One instance of our binary.
pub struct Instance {
    child: Child,
    pub addr: String,
}

impl Instance {
    /// Start `apichallenges --multi-user --redis URL ARGS...` on a free port.
    pub fn start(redis_url: &str, args: &[&str]) -> Instance {
        let mut all = vec!["--multi-user", "--redis", redis_url];
        all.extend_from_slice(args);
        Instance::start_raw(&all)
    }

    /// Start the binary with exactly these arguments (plus port and bind).
    pub fn start_raw(args: &[&str]) -> Instance {
        let (child, addr) = spawn_listening(args);
        Instance { child, addr }
    }

    /// SIGTERM, then wait (at most 10 s) for a clean exit.
    pub fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "clean exit: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "exits within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub use crate::binary::{binary, spawn_listening};

/// Three instances sharing one Redis, and a key prefix unique to the test.
pub struct Cluster {
    pub redis: RedisServer,
    pub instances: Vec<Instance>,
    pub prefix: String,
}

impl Cluster {
    pub fn start(args: &[&str]) -> Cluster {
        let redis = RedisServer::start();
        let prefix = format!("test-{}:", uuid::Uuid::new_v4().simple());
        let instances = (0..3)
            .map(|_| start_instance(&redis, &prefix, args))
            .collect();
        Cluster {
            redis,
            instances,
            prefix,
        }
    }

    /// The address of instance `i` (round robin over all of them).
    pub fn at(&self, i: usize) -> &str {
        &self.instances[i % self.instances.len()].addr
    }

    /// The Redis key of a learner.
    pub fn key(&self, guid: &str) -> String {
        format!("{}{{{}}}", self.prefix, guid)
    }
}

pub fn start_instance(redis: &RedisServer, prefix: &str, args: &[&str]) -> Instance {
    let mut all = vec!["--redis-prefix", prefix];
    all.extend_from_slice(args);
    Instance::start(&redis.url(), &all)
}

/// A response: status, headers (lower-case names) and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange on a fresh connection; bounded by a 10 s timeout.
pub fn send(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Register a learner on `addr`; returns its GUID.
pub fn new_learner(addr: &str) -> String {
    let created = send(addr, "POST", "/api/challenger", &[], "");
    assert_eq!(created.status, 201, "{created:?}");
    created.header("x-challenger").unwrap().to_string()
}

/// POST a todo for `guid`.
pub fn create_todo(addr: &str, guid: &str, title: &str) -> Response {
    let body = format!(r#"{{"title":"{title}"}}"#);
    send(
        addr,
        "POST",
        "/api/todos",
        &[("X-CHALLENGER", guid), ("Content-Type", "application/json")],
        &body,
    )
}

/// The titles of `guid`'s todos as `addr` answers them.
pub fn titles(addr: &str, guid: &str) -> Vec<String> {
    let listed = send(
        addr,
        "GET",
        "/api/todos?_limit=20",
        &[("X-CHALLENGER", guid)],
        "",
    );
    assert_eq!(listed.status, 200, "{listed:?}");
    let value: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    value["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

/// `GET /api/challenger/{guid}`'s `challengeStatus`, as `addr` answers it.
pub fn progress(addr: &str, guid: &str) -> serde_json::Value {
    let got = send(addr, "GET", &format!("/api/challenger/{guid}"), &[], "");
    assert_eq!(got.status, 200, "{got:?}");
    let value: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    value["challengeStatus"].clone()
}

/// A metric's value from `/metrics`.
pub fn metric(addr: &str, name: &str) -> u64 {
    let text = send(addr, "GET", "/metrics", &[], "").body;
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

/// A three-node Redis Cluster (no replicas) of redis-server children.
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
    dir: std::path::PathBuf,
}

impl RedisCluster {
    pub fn start() -> RedisCluster {
        let dir = std::env::temp_dir().join(format!("apic-cluster-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let nodes: Vec<RedisServer> = (0..3)
            .map(|i| {
                let config = dir.join(format!("nodes-{i}.conf"));
                let config = config.to_str().unwrap();
                let dir = dir.to_str().unwrap();
                RedisServer::start_with(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    config,
                    "--dir",
                    dir,
                ])
            })
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let created = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .unwrap();
        assert!(created.status.success(), "{created:?}");
        let deadline = Instant::now() + Duration::from_secs(20);
        for node in &nodes {
            loop {
                let info: String = redis::cmd("CLUSTER")
                    .arg("INFO")
                    .query(&mut node.client())
                    .unwrap();
                if info.contains("cluster_state:ok") {
                    break;
                }
                assert!(Instant::now() < deadline, "the cluster forms within 20 s");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        RedisCluster { nodes, dir }
    }

    /// Keys held by each node.
    pub fn keys_per_node(&self) -> Vec<u64> {
        self.nodes
            .iter()
            .map(|n| redis::cmd("DBSIZE").query(&mut n.client()).unwrap())
            .collect()
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            node.stop();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
