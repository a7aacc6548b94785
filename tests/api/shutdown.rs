//! The real binary: `--help`, serving, and a prompt clean exit on SIGTERM.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::binary::{binary, spawn_listening};

#[test]
fn help_lists_the_flags() {
    let out = binary().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--multi-user",
        "--data-dir",
        "--no-storage",
        "--idle-timeout",
        "--max-challengers",
        "--unlimited-todos",
        "--log-format",
        "--profile",
        "--redis",
        "--redis-prefix",
        "--redis-cluster",
    ] {
        assert!(text.contains(flag), "--help mentions {flag}");
    }
    assert!(text.contains("[env: PORT="));
}

/// Start the binary (no storage) on an ephemeral port.
fn start(args: &[&str]) -> (Running, String) {
    let mut all = vec!["--no-storage"];
    all.extend_from_slice(args);
    start_with(&all)
}

/// A server process that is killed when dropped, so a failing test leaves none behind.
struct Running(std::process::Child);

impl std::ops::Deref for Running {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start the binary on an ephemeral port and read the address from its start-up line.
fn start_with(args: &[&str]) -> (Running, String) {
    let (child, addr) = spawn_listening(args);
    (Running(child), addr)
}

fn get(addr: &str, path: &str) -> String {
    send(addr, "GET", path, &[], "")
}

/// A raw HTTP/1.1 exchange; returns the whole response text.
fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

fn header_value(response: &str, name: &str) -> Option<String> {
    response.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

/// A temporary data directory, removed when dropped.
struct DataDir(std::path::PathBuf);

impl DataDir {
    fn new() -> DataDir {
        DataDir(std::env::temp_dir().join(format!("apic-bin-{}", uuid::Uuid::new_v4())))
    }
    fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Register a learner and give it one todo; returns its GUID.
fn learner_with_todo(addr: &str, title: &str) -> String {
    let created = send(addr, "POST", "/api/challenger", &[], "");
    let guid = header_value(&created, "x-challenger").unwrap();
    let body = format!(r#"{{"title":"{title}"}}"#);
    let headers = [
        ("X-CHALLENGER", guid.as_str()),
        ("Content-Type", "application/json"),
    ];
    let todo = send(addr, "POST", "/api/todos", &headers, &body);
    assert!(todo.starts_with("HTTP/1.1 201"), "{todo}");
    guid
}

fn metric(addr: &str, name: &str) -> u64 {
    let text = get(addr, "/metrics");
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

fn wait_for_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "exit within 5 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn stored_todos(addr: &str, guid: &str) -> String {
    send(
        addr,
        "GET",
        "/api/todos?_limit=20",
        &[("X-CHALLENGER", guid)],
        "",
    )
}

#[test]
fn progress_survives_a_sigterm_restart() {
    let dir = DataDir::new();
    let (mut child, addr) = start_with(&["--multi-user", "--data-dir", dir.arg()]);
    let guid = learner_with_todo(&addr, "written at shutdown");
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(wait_for_exit(&mut child).success());

    let (mut child, addr) = start_with(&["--multi-user", "--data-dir", dir.arg()]);
    assert!(stored_todos(&addr, &guid).contains("written at shutdown"));
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn a_change_is_on_disk_within_a_second_and_survives_sigkill() {
    let dir = DataDir::new();
    let (mut child, addr) = start_with(&["--multi-user", "--data-dir", dir.arg()]);
    const WRITTEN: &str = "apichallenges_storage_records_written_total ";
    let created = send(&addr, "POST", "/api/challenger", &[], "");
    let guid = header_value(&created, "x-challenger").unwrap();
    // Let the registration itself reach the disk, so the next write is ours.
    let settle = Instant::now();
    while metric(&addr, WRITTEN) < 1 || metric(&addr, "apichallenges_storage_queue_depth ") > 0 {
        assert!(settle.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = metric(&addr, WRITTEN);
    let headers = [
        ("X-CHALLENGER", guid.as_str()),
        ("Content-Type", "application/json"),
    ];
    let todo = send(
        &addr,
        "POST",
        "/api/todos",
        &headers,
        r#"{"title":"durable"}"#,
    );
    assert!(todo.starts_with("HTTP/1.1 201"));
    let changed = Instant::now();
    while metric(&addr, WRITTEN) <= before {
        assert!(
            changed.elapsed() < Duration::from_secs(1),
            "on disk within 1 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no shutdown flush
    let _ = child.wait();

    let (mut child, addr) = start_with(&["--multi-user", "--data-dir", dir.arg()]);
    assert!(stored_todos(&addr, &guid).contains("durable"));
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn sigterm_stops_the_server_promptly_with_exit_code_zero() {
    let (mut child, addr) = start(&[]);
    let reply = get(&addr, "/api/heartbeat");
    assert!(reply.starts_with("HTTP/1.1 204"), "{reply}");
    // An idle keep-alive connection must not hold shutdown up.
    let _idle = std::net::TcpStream::connect(&addr).unwrap();
    let sent = Instant::now();
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(5), "exit within 5 s");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "took {:?}",
        sent.elapsed()
    );
}

#[test]
fn default_mode_is_single_user() {
    let (mut child, addr) = start(&[]);
    let reply = get(&addr, "/api/challenges");
    assert!(
        reply.contains("x-challenger: rest-api-challenges-single-player"),
        "{reply}"
    );
    child.kill().unwrap();
    let _ = child.wait();
}
