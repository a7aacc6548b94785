//! What a host meets first, through the real binary: booleans from the environment,
//! start-up failures told as sentences, log output without colour codes off a
//! terminal, and the start-up line. Also what a host and learners see later: storage
//! failing while serving, and the pages stating the real idle timeout.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use apichallenges::Config;

use crate::common::TestServer;

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apichallenges"));
    // Whatever the environment running the tests holds, start from a known one.
    for name in [
        "PORT",
        "APICHALLENGES_BIND",
        "APICHALLENGES_MULTI_USER",
        "APICHALLENGES_DATA_DIR",
        "APICHALLENGES_NO_STORAGE",
        "APICHALLENGES_UNLIMITED_TODOS",
        "APICHALLENGES_PROFILE",
        "APICHALLENGES_LOG_FORMAT",
        "NO_COLOR",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command
}

/// A child process killed when dropped, so a failing test leaves none behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `command` and return it with the first stdout line holding "apichallenges
/// started" (read within 20 s), or None when the process ends without one.
fn started(mut command: Command) -> (Child, Option<String>) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.contains("apichallenges started") {
                let _ = tx.send(line);
            }
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(20)).ok();
    (Child(child), line)
}

/// The value of `name=` in a start-up line (quotes removed).
fn field(line: &str, name: &str) -> String {
    let prefix = format!("{name}=");
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name}= in {line:?}"))
        .trim_matches('"')
        .to_string()
}

/// Run to completion with a deadline; returns (exit code, stdout, stderr).
fn finished(mut command: Command) -> (Option<i32>, String, String) {
    let mut child = Child(
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the process should have exited");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), out, err)
}

fn on_ephemeral_port(mut command: Command) -> Command {
    command.args(["--port", "0", "--bind", "127.0.0.1"]);
    command
}

/// A temporary directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("apic-host-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Booleans from the environment
// ---------------------------------------------------------------------------

#[test]
fn environment_booleans_take_the_usual_spellings() {
    for (value, multi) in [
        ("1", true),
        ("true", true),
        ("YES", true),
        ("On", true),
        ("0", false),
        ("False", false),
        ("no", false),
        ("OFF", false),
        ("", false),
    ] {
        let mut command = on_ephemeral_port(binary());
        command
            .env("APICHALLENGES_MULTI_USER", value)
            .env("APICHALLENGES_NO_STORAGE", "yes");
        let (_child, line) = started(command);
        let line = line.unwrap_or_else(|| panic!("MULTI_USER={value:?} should start"));
        let mode = if multi { "multi-user" } else { "single-user" };
        assert_eq!(field(&line, "mode"), mode, "MULTI_USER={value:?}");
        assert_eq!(field(&line, "data_dir"), "none", "NO_STORAGE=yes");
    }
}

#[test]
fn an_empty_environment_boolean_is_unset() {
    let dir = TempDir::new();
    let mut command = on_ephemeral_port(binary());
    command
        .env("APICHALLENGES_NO_STORAGE", "")
        .env("APICHALLENGES_UNLIMITED_TODOS", "")
        .args(["--data-dir", dir.0.to_str().unwrap()]);
    let (_child, line) = started(command);
    let line = line.expect("an empty value starts the server");
    assert_eq!(field(&line, "data_dir"), dir.0.to_str().unwrap());
}

#[test]
fn an_unrecognised_environment_boolean_is_refused() {
    let mut command = on_ephemeral_port(binary());
    command.env("APICHALLENGES_NO_STORAGE", "maybe");
    let (code, _, err) = finished(command);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "error: invalid value 'maybe' for '--no-storage': expected 1/0, true/false, \
             yes/no or on/off"
        ),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Start-up failures
// ---------------------------------------------------------------------------

#[test]
fn a_port_in_use_is_one_sentence_and_exit_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut command = binary();
    command.args(["--port", &port, "--bind", "127.0.0.1", "--no-storage"]);
    let (code, out, err) = finished(command);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!("error: cannot listen on 127.0.0.1:{port}: address already in use (try --port)\n")
    );
    assert!(!out.contains("apichallenges started"), "{out}");
}

#[test]
fn storage_that_cannot_be_opened_stops_the_start() {
    let dir = TempDir::new();
    // A directory cannot be made under a regular file, whoever runs the test.
    let file = dir.0.join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    let data = file.join("data");
    let mut command = on_ephemeral_port(binary());
    command.args(["--data-dir", data.to_str().unwrap()]);
    let (code, out, err) = finished(command);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: cannot open storage in {}: cannot create the directory: not a directory \
             (choose another --data-dir, or start with --no-storage to keep progress in \
             memory only)\n",
            data.display()
        )
    );
    assert!(!out.contains("apichallenges started"), "{out}");
}

#[test]
fn no_storage_is_the_explicit_way_to_run_without_it() {
    let dir = TempDir::new();
    let file = dir.0.join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    let mut command = on_ephemeral_port(binary());
    command.args([
        "--data-dir",
        file.join("data").to_str().unwrap(),
        "--no-storage",
    ]);
    let (_child, line) = started(command);
    assert_eq!(field(&line.expect("started"), "data_dir"), "none");
}

// ---------------------------------------------------------------------------
// Log output and the start-up line
// ---------------------------------------------------------------------------

#[test]
fn the_start_up_line_names_the_url_mode_and_profile() {
    let mut command = on_ephemeral_port(binary());
    command.args(["--no-storage", "--multi-user", "--profile", "classic"]);
    let (_child, line) = started(command);
    let line = line.expect("started");
    let address = field(&line, "address");
    let url = format!("http://{address}/gui/challenges");
    assert!(
        line.contains(&format!("apichallenges started: open {url} ")),
        "{line}"
    );
    assert_eq!(field(&line, "mode"), "multi-user");
    assert_eq!(field(&line, "profile"), "classic");
}

#[test]
fn listening_everywhere_names_the_loopback_url() {
    let mut command = binary();
    command.args(["--port", "0", "--bind", "0.0.0.0", "--no-storage"]);
    let (_child, line) = started(command);
    let line = line.expect("started");
    let address = field(&line, "address");
    let port = address.strip_prefix("0.0.0.0:").expect("bound everywhere");
    let url = format!("http://127.0.0.1:{port}/gui/challenges");
    assert!(line.contains(&url), "{line}");
    assert_eq!(field(&line, "profile"), "current");
    assert_eq!(field(&line, "mode"), "single-user");
}

#[test]
fn logs_off_a_terminal_have_no_colour_codes() {
    for no_color in [None, Some("1")] {
        let mut command = on_ephemeral_port(binary());
        command.arg("--no-storage");
        if let Some(v) = no_color {
            command.env("NO_COLOR", v);
        }
        let (_child, line) = started(command);
        let line = line.expect("started");
        assert!(!line.contains('\u{1b}'), "NO_COLOR={no_color:?}: {line:?}");
        assert!(line.contains(" INFO "), "{line:?}");
    }
}

/// On a terminal (a pseudo-terminal from `script`), logs are coloured unless
/// `NO_COLOR` is set.
#[test]
fn logs_on_a_terminal_are_coloured_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("`script` (util-linux) is not installed: the terminal case is not run");
        return;
    }
    let server = env!("CARGO_BIN_EXE_apichallenges");
    for (no_color, coloured) in [(None, true), (Some("1"), false)] {
        let mut script = Command::new("script");
        script
            .args([
                "-qfec",
                &format!("{server} --port 0 --bind 127.0.0.1 --no-storage"),
            ])
            .arg("/dev/null")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        if let Some(v) = no_color {
            script.env("NO_COLOR", v);
        }
        let (_child, line) = started(script);
        let line = line.expect("started on a terminal");
        assert_eq!(
            line.contains('\u{1b}'),
            coloured,
            "NO_COLOR={no_color:?}: {line:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Storage failing while serving
// ---------------------------------------------------------------------------

async fn metric(s: &TestServer, name: &str) -> String {
    let text = s.get("/metrics").send().await.text();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} in /metrics"))
        .to_string()
}

/// Poll `/metrics` until `name` reads `value`, for at most 30 s.
async fn wait_for_metric(s: &TestServer, name: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while metric(s, name).await != value {
        assert!(Instant::now() < deadline, "{name} should become {value}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn failing_storage_keeps_serving_and_says_so() {
    let dir = TempDir::new();
    let data = dir.0.clone();
    let s = TestServer::with(|c| {
        c.storage = true;
        c.data_dir = data;
    })
    .await;
    assert_eq!(metric(&s, "apichallenges_storage_failing").await, "0");
    // Another connection holds the write lock: every write the server tries fails.
    let db = std::fs::read_dir(&dir.0)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite3"))
        .expect("the storage file");
    let mut blocker = rusqlite::Connection::open(&db).unwrap();
    let lock = blocker
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let r = s
        .req("POST", "/api/todos")
        .json(r#"{"title":"kept in memory"}"#)
        .send()
        .await;
    assert_eq!(r.status, 201);
    wait_for_metric(&s, "apichallenges_storage_failing", "1").await;
    assert_ne!(metric(&s, "apichallenges_storage_errors_total").await, "0");
    // The API keeps answering, and every page warns.
    assert_eq!(s.get("/api/todos").send().await.status, 200);
    for page in ["/", "/gui/challenges", "/gui"] {
        let body = s.get(page).send().await.text();
        assert!(body.contains("id=\"storage-warning\""), "{page} warns");
        assert!(body.contains("Progress is not being saved right now."));
    }
    lock.rollback().unwrap();
    wait_for_metric(&s, "apichallenges_storage_failing", "0").await;
    let body = s.get("/gui/challenges").send().await.text();
    assert!(!body.contains("storage-warning"), "the warning goes away");
}

// ---------------------------------------------------------------------------
// The pages state the real idle timeout and where progress is kept
// ---------------------------------------------------------------------------

async fn keeping_note(s: &TestServer, path: &str) -> String {
    let body = s.get(path).send().await.text();
    let start = body
        .find("id=\"progress-keeping\">")
        .unwrap_or_else(|| panic!("{path} states where progress is kept"));
    let rest = &body[start + "id=\"progress-keeping\">".len()..];
    rest[..rest.find("</p>").unwrap()].to_string()
}

#[tokio::test]
async fn pages_state_the_configured_idle_timeout_and_server_saves() {
    let dir = TempDir::new();
    let data = dir.0.clone();
    let s = TestServer::with(|c: &mut Config| {
        c.multi_user = true;
        c.storage = true;
        c.data_dir = data;
        c.idle_timeout = Duration::from_secs(90);
    })
    .await;
    let guid = s.new_challenger().await;
    let expected = "Your progress is saved on the server as you go. A session idle for 90 \
                    seconds leaves memory and comes back, progress included, with its next \
                    request.";
    assert_eq!(keeping_note(&s, "/").await, expected);
    let page = format!("/gui/challenges/{guid}");
    assert_eq!(keeping_note(&s, &page).await, expected);
    let body = s.get(&page).send().await.text();
    assert!(!body.contains("10 minutes"), "no fixed timeout is claimed");
    let docs = s.get("/api/docs").send().await.text();
    assert!(docs.contains("A session idle for\n90 seconds leaves memory"));
    assert!(!docs.contains("10 minutes"));
}

#[tokio::test]
async fn pages_say_progress_is_not_saved_without_storage() {
    let s = TestServer::with(|c: &mut Config| {
        c.multi_user = true;
        c.idle_timeout = Duration::from_secs(2 * 60 * 60);
    })
    .await;
    let guid = s.new_challenger().await;
    let expected = "This server does not save progress (it runs with --no-storage): a \
                    session idle for 2 hours is removed with its progress. Use <em>Save to \
                    this browser</em> on the progress page to keep a copy.";
    assert_eq!(keeping_note(&s, "/").await, expected);
    assert_eq!(
        keeping_note(&s, &format!("/gui/challenges/{guid}")).await,
        expected
    );
    let single = TestServer::single().await;
    assert_eq!(
        keeping_note(&single, "/gui/challenges").await,
        "This server does not save progress (it runs with --no-storage): it is lost when \
         the server stops."
    );
}

#[tokio::test]
async fn single_user_pages_say_progress_is_saved_on_the_server() {
    let dir = TempDir::new();
    let data = dir.0.clone();
    let s = TestServer::with(|c: &mut Config| {
        c.storage = true;
        c.data_dir = data;
    })
    .await;
    let expected = "Your progress is saved on the server as you go, and is still there \
                    after a restart.";
    assert_eq!(keeping_note(&s, "/").await, expected);
    assert_eq!(keeping_note(&s, "/gui/challenges").await, expected);
}

// ---------------------------------------------------------------------------
// Licence and README
// ---------------------------------------------------------------------------

#[test]
fn the_licence_matches_cargo_toml() {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT\""));
    let licence = std::fs::read_to_string(format!("{root}/LICENSE")).unwrap();
    assert!(licence.starts_with("MIT License\n"));
    assert!(licence.contains("Copyright (c) 2026 apichallenges contributors"));
    assert!(licence.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
}

/// Every environment variable `--help` names is in the README with its accepted
/// values.
#[test]
fn the_readme_lists_every_environment_variable() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let help = binary().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let names: Vec<&str> = help
        .split("[env: ")
        .skip(1)
        .filter_map(|rest| rest.split(['=', ']']).next())
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for name in names.iter().chain(&["NO_COLOR", "RUST_LOG"]) {
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("README has a table row for {name}"));
        // | flag | env | accepted values | default | meaning |
        let cells: Vec<&str> = row.split('|').collect();
        assert_eq!(cells.len(), 7, "{row}");
        assert!(
            !cells[3].trim().is_empty(),
            "accepted values of {name}: {row}"
        );
    }
    for phrase in ["1/0", "true/false", "yes/no", "on/off"] {
        assert!(readme.contains(phrase), "README names {phrase}");
    }
}
