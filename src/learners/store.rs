//! What the server needs from a place learners are saved, whatever the backend.
//!
//! The contract that makes eviction safe (see `registry.rs` and `app.rs`):
//! - `save` is called with the learner locked, and at eviction with its registry
//!   shard write-locked too, so it must not wait for I/O: it takes the record (a
//!   backend writing behind keeps it in a queue, one entry per GUID, latest wins);
//! - from the moment `save` returns, `load` of that GUID returns that record (or a
//!   later one), whether or not it is durable yet;
//! - `backlog` counts records taken but not yet durable, and `room` is notified
//!   whenever it shrinks, so the server can stop bringing learners into memory while
//!   the backend catches up.

use tokio::sync::Notify;

use crate::todo::Todo;

/// What storage keeps of one learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// `rest-api-challenges-single-player` or a hyphenated UUID.
    pub guid: String,
    pub auth_token: String,
    pub note: String,
    /// Keys of completed challenges, e.g. `GET_TODOS` (stable across catalogue changes).
    pub completed: Vec<String>,
    pub todos: Vec<Todo>,
    pub next_id: u64,
}

/// A place learners are saved.
pub trait Store: Send + Sync + 'static {
    /// The learner's latest record given to `save`, durable or not; None when there
    /// is none (or it cannot be read).
    fn load(&self, guid: &str) -> Option<Record>;
    /// Take the learner's latest record without waiting for I/O.
    fn save(&self, record: Record);
    /// Records taken but not yet durable (at most one per learner).
    fn backlog(&self) -> usize;
    /// Notified whenever the backlog shrinks.
    fn room(&self) -> &Notify;
}
