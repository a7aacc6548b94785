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
    /// Connections served at once; more clients wait in the accept queue.
    pub max_connections: usize,
    /// The clock used for idle eviction.
    pub clock: Arc<dyn Clock>,
    /// The shopping cart's bug mode.
    pub shop_bugs: ShopBugs,
}

/// Default bound on learners in memory: about 100 MB at ~1 KiB each, well inside a
/// 256 MB machine; the least recently used idle learner is evicted beyond it.
pub const DEFAULT_MAX_CHALLENGERS: usize = 100_000;

impl Default for Config {
    fn default() -> Self {
        Config {
            multi_user: false,
            data_dir: PathBuf::from("./data"),
            storage: true,
            retention: Duration::from_secs(30 * 24 * 60 * 60),
            idle_timeout: Duration::from_secs(600),
            max_challengers: DEFAULT_MAX_CHALLENGERS,
            unlimited_todos: false,
            profile: ProfileName::Current,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 10_000,
            clock: Arc::new(SystemClock::default()),
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
}
