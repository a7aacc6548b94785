//! `apichallenges migrate`: copy the learners saved in a data directory (SQLite) to
//! the shared store (Redis), for a host moving from one machine to several.
//!
//! A learner already in the store is left alone: it is newer there (an instance
//! using the store has served it), and the copy never overwrites it. Running the
//! migration twice is therefore harmless.

use std::path::Path;

use crate::learners::redis::{Expect, SharedStore, Write, Written};
use crate::learners::sqlite::{self, Record, DB_FILE};

/// What a migration did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Learners written to the store.
    pub copied: u64,
    /// Learners the store had already (left as they were).
    pub already_there: u64,
    /// Saved rows that do not decode (left out).
    pub unreadable: u64,
}

/// Rows read ahead of the writes.
const READ_AHEAD: usize = 256;

/// Copy every learner in `data_dir` to `store`.
pub async fn migrate(data_dir: &Path, store: &SharedStore) -> Result<Migrated, String> {
    if !data_dir.join(DB_FILE).is_file() {
        return Err(format!("no {DB_FILE} in {}", data_dir.display()));
    }
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Record, String>>(READ_AHEAD);
    let dir = data_dir.to_path_buf();
    let reader = tokio::task::spawn_blocking(move || {
        sqlite::read_all(&dir, |row| {
            // The writer stopped (an error): stop reading too.
            let _ = sender.blocking_send(row);
        })
    });
    let mut done = Migrated::default();
    let mut failure = None;
    while let Some(row) = receiver.recv().await {
        let record = match row {
            Ok(record) => record,
            Err(why) => {
                tracing::warn!(why, "unreadable saved learner left out");
                done.unreadable += 1;
                continue;
            }
        };
        let write = Write {
            expect: Expect::Absent,
            state: Some(&record),
            completed: &[],
            forgotten: &[],
        };
        match store.write(&record.guid, &write).await {
            Ok(Written::Done(_)) => done.copied += 1,
            Ok(Written::Conflict(_)) => done.already_there += 1,
            Err(e) => {
                failure = Some(e.to_string());
                break;
            }
        }
    }
    drop(receiver);
    let read = reader
        .await
        .map_err(|e| format!("reading {}: {e}", data_dir.display()))?;
    if let Some(failure) = failure {
        return Err(format!(
            "{failure} (after copying {} learners)",
            done.copied
        ));
    }
    read.map_err(|e| format!("reading {}: {e}", data_dir.display()))?;
    Ok(done)
}
