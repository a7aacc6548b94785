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
    /// The older 59-challenge generation (classic.md).
    Classic,
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
    /// Connections served at once; more clients wait in the accept queue.
    pub max_connections: usize,
    /// The clock used for idle eviction.
    pub clock: Arc<dyn Clock>,
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
            shared_store: false,
            retention: Duration::from_secs(30 * 24 * 60 * 60),
            idle_timeout: Duration::from_secs(600),
            max_challengers: DEFAULT_MAX_CHALLENGERS,
            unlimited_todos: false,
            profile: ProfileName::Current,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 10_000,
            clock: Arc::new(SystemClock::default()),
        }
    }
}
