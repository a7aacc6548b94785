//! Server configuration, built by the command line in `main.rs` or directly by tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::learners::clock::{Clock, SystemClock};

/// Which generation of API Challenges to present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileName {
    /// The current ~99-challenge generation (`/api/...`).
    Current,
    /// The older 59-challenge generation (root routes only, as hosted 2024-2026).
    Classic,
}

/// Whether the shopping cart practice mode (`/shop`) has its deliberate bugs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShopBugs {
    /// The reference's bugs (the default).
    Classic,
    /// Clean business rules, for comparison.
    None,
}

/// Log line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything the server needs to know at start-up.
#[derive(Clone)]
pub struct Config {
    /// Multi-user mode: each learner registers with `POST /challenger`.
    pub multi_user: bool,
    /// Where progress is persisted (ignored when `storage` is false).
    pub data_dir: PathBuf,
    /// Persist progress to `data_dir`.
    pub storage: bool,
    /// Learners live in a shared store (`--redis`) handed to `serve_shared`, not in
    /// `data_dir`; progress counts as saved.
    pub shared_store: bool,
    /// Saved learners untouched for this long are deleted.
    pub retention: Duration,
    /// How long a learner may be idle before leaving memory.
    pub idle_timeout: Duration,
    /// Upper bound on learners held in memory at once.
    pub max_challengers: usize,
    /// Lift the 20-todo limit.
    pub unlimited_todos: bool,
    pub profile: ProfileName,
    /// How long a client may take to send a request's headers; also how long an idle
    /// keep-alive connection is kept open.
    pub header_read_timeout: Duration,
    /// Connections served at once; beyond it the connection that has gone longest
    /// without moving a byte is closed to make room.
    pub max_connections: usize,
    /// How long a response may make no progress (the client stopped reading) before
    /// its connection is closed.
    pub write_timeout: Duration,
    /// New challengers one client may create per 10 minutes; 0 for no limit.
    pub creation_limit: usize,
    /// Take the client address from `Fly-Client-IP` / `X-Forwarded-For` (only behind
    /// a proxy that sets them).
    pub trust_proxy: bool,
    /// Learner records waiting for the disk beyond which requests that would bring
    /// another learner into memory wait for storage to catch up.
    pub storage_backlog_limit: usize,
    /// The clock used for idle eviction.
    pub clock: Arc<dyn Clock>,
    /// Sweep idle learners out of memory in the background. Tests that move a manual
    /// clock turn it off and sweep themselves, so no background sweep races them.
    pub idle_sweep: bool,
    /// The shopping cart's bug mode.
    pub shop_bugs: ShopBugs,
}

/// Default bound on learners in memory: about 100 MB at ~1 KiB each, well inside a
/// 256 MB machine; the least recently used idle learner is evicted beyond it.
pub const DEFAULT_MAX_CHALLENGERS: usize = 100_000;

/// Memory one open connection is budgeted. Measured (bench/reliability.sh, part g):
/// about 4 KiB for one that never spoke, 25 KiB for one idle after a request, 36 KiB
/// for one that sent requests back to back and stopped reading (hyper's buffers
/// full). A quarter of memory at 32 KiB each keeps even that worst case under a
/// third of memory.
pub const CONNECTION_BUDGET: u64 = 32 * 1024;
/// The share of memory open connections may use at the connection cap.
pub const CONNECTION_MEMORY_SHARE: u64 = 4;
/// Bounds of the connection cap sized from memory.
pub const MIN_CONNECTIONS: usize = 512;
pub const MAX_CONNECTIONS: usize = 10_000;

/// The connection cap for a machine with `memory` bytes: a quarter of it for
/// connections at `CONNECTION_BUDGET` each, within 512..=10,000. A 256 MB machine
/// gets about 2,000; at the cap, the quietest connection gives way to a new one, so
/// the cap bounds memory without locking clients out.
pub fn connections_for_memory(memory: Option<u64>) -> usize {
    let Some(memory) = memory else {
        return MAX_CONNECTIONS;
    };
    let fit = memory / CONNECTION_MEMORY_SHARE / CONNECTION_BUDGET;
    usize::try_from(fit)
        .unwrap_or(MAX_CONNECTIONS)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// Memory this process may use: the container's limit (cgroup v2 or v1) or the
/// machine's memory, whichever is lower; None when neither can be read.
pub fn memory_limit() -> Option<u64> {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let cgroup = read("/sys/fs/cgroup/memory.max")
        .or_else(|| read("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
        .and_then(|v| v.trim().parse::<u64>().ok());
    let total = read("/proc/meminfo").and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    });
    match (cgroup, total) {
        (Some(c), Some(t)) => Some(c.min(t)),
        (c, t) => c.or(t),
    }
}

/// Default challengers one client address may create per 10 minutes: a class of 60
/// behind one NAT, each creating a challenger in the browser and one or two in their
/// API tool (and again after a restart), stays well inside it; a script creating
/// learners in a loop is stopped after a few seconds.
pub const DEFAULT_CREATION_LIMIT: usize = 200;

/// Default storage backlog bound: two of the SQLite writer's large batches, a few MB
/// of records. A flood of new learners then goes at the disk's pace instead of
/// queueing without bound.
pub const DEFAULT_STORAGE_BACKLOG: usize = 4096;

impl Default for Config {
    fn default() -> Self {
        Config {
            multi_user: false,
            data_dir: PathBuf::from("./data"),
            storage: true,
            shared_store: false,
            retention: Duration::from_secs(30 * 24 * 60 * 60),
            idle_timeout: Duration::from_secs(600),
            max_challengers: DEFAULT_MAX_CHALLENGERS,
            unlimited_todos: false,
            profile: ProfileName::Current,
            header_read_timeout: Duration::from_secs(10),
            max_connections: MAX_CONNECTIONS,
            write_timeout: Duration::from_secs(10),
            storage_backlog_limit: DEFAULT_STORAGE_BACKLOG,
            creation_limit: DEFAULT_CREATION_LIMIT,
            trust_proxy: false,
            clock: Arc::new(SystemClock::default()),
            idle_sweep: true,
            shop_bugs: ShopBugs::Classic,
        }
    }
}

/// A boolean from the command line or the environment: `1/0`, `true/false`, `yes/no`
/// or `on/off` in any case; an empty value means unset (false).
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        _ => Err("expected 1/0, true/false, yes/no or on/off".into()),
    }
}

/// An operating-system error as the end of a sentence: "address already in use", not
/// "Address already in use (os error 98)".
pub fn describe_io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(cut) => &text[..cut],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_take_the_usual_spellings_in_any_case() {
        for yes in ["1", "true", "TRUE", "Yes", "on", " ON "] {
            assert_eq!(parse_bool(yes), Ok(true), "{yes:?}");
        }
        for no in ["", "  ", "0", "false", "No", "OFF"] {
            assert_eq!(parse_bool(no), Ok(false), "{no:?}");
        }
        for bad in ["2", "y", "enable", "truee"] {
            assert!(parse_bool(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn io_errors_read_as_the_end_of_a_sentence() {
        let e = std::io::Error::from_raw_os_error(98);
        assert_eq!(describe_io_error(&e), "address already in use");
        let e = std::io::Error::other("Disk full");
        assert_eq!(describe_io_error(&e), "disk full");
    }

    #[test]
    fn the_connection_cap_follows_memory() {
        assert_eq!(connections_for_memory(Some(256 * 1024 * 1024)), 2048);
        assert_eq!(
            connections_for_memory(Some(64 * 1024 * 1024)),
            MIN_CONNECTIONS
        );
        assert_eq!(connections_for_memory(Some(64 << 30)), MAX_CONNECTIONS);
        assert_eq!(connections_for_memory(None), MAX_CONNECTIONS);
    }
}
