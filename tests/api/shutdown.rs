//! The real binary: `--help`, serving, and a prompt clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apichallenges"))
}

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
    ] {
        assert!(text.contains(flag), "--help mentions {flag}");
    }
    assert!(text.contains("[env: PORT="));
}

/// Start the binary on an ephemeral port and read the address from its start-up line.
fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = binary()
        .args(["--port", "0", "--bind", "127.0.0.1", "--no-storage"])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.contains("apichallenges started")))
        .expect("a start-up line");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("address="))
        .expect("address= in the start-up line")
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
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
