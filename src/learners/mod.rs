//! Learners: who is being served and where their progress lives.
//!
//! `registry` holds the learners in memory (sharded map, per-learner lock, idle and
//! capacity eviction); `clock` is the time source the registry reads, injectable for
//! tests; `store` is what any storage backend provides, and the backends sit one per
//! file (`sqlite`: write-behind to a local file; `redis`: the store several instances
//! share); `migrate` copies one to the other. Uses only the todo model.

pub mod clock;
pub mod migrate;
pub mod redis;
pub mod registry;
pub mod sqlite;
pub mod store;
