//! Durable storage of learners' progress in SQLite, written behind the server's back.
//!
//! `save` only parks a record in a pending map (latest wins per GUID) and returns. A
//! dedicated writer thread waits a short coalescing window after the first pending
//! record, swaps the whole map out and writes it in one transaction, so a change is on
//! disk within about `window + one transaction` (well under a second) and a burst of
//! changes to one learner costs a single row write. On a write error the records go
//! back into the pending map (unless a newer version arrived meanwhile) and the writer
//! retries with a growing delay; the server keeps serving from memory.
//!
//! Memory is bounded by the number of learners, not of changes: the pending map
//! holds one record per GUID. `backlog` tells callers how far behind the disk is, and
//! `room` wakes them when a batch lands, so the server can stop bringing more learners
//! into memory while storage catches up (see `app.rs`).
//!
//! Reads use their own connection (WAL lets them run beside the writer) and look at the
//! pending and in-flight maps first, so a record is never invisible between `save` and
//! commit. A retention thread deletes rows untouched for longer than the retention.
//!
//! One row per learner: `guid TEXT PRIMARY KEY, data TEXT, updated_at INTEGER` where
//! `data` is compact, versioned JSON:
//! `{"v":1,"token":"…","note":"…","next":11,"done":["GET_TODOS",…],"todos":[[1,"title",false,"description"],…]}`
//! (a todo's description is left out when empty).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use parking_lot::{Condvar, Mutex};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::Value;

use crate::learners::registry::SINGLE_PLAYER;
use crate::learners::store::Store;
use crate::todo::Todo;

/// The database file inside the storage directory.
pub const DB_FILE: &str = "apichallenges.sqlite3";
/// How long the writer gathers changes after the first pending one.
pub const WRITE_WINDOW: Duration = Duration::from_millis(100);
/// How often the retention thread purges old rows.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(3600);
/// A batch this large is written at once, without waiting for the window to end.
const LARGE_BATCH: usize = 2048;
/// Rows deleted per statement by a purge, so loads are never held up for long.
const PURGE_CHUNK: i64 = 500;
/// Write attempts made after `close` before the writer gives up on a failing disk.
const CLOSE_ATTEMPTS: u32 = 5;
const RETRY_FIRST: Duration = Duration::from_millis(200);
const RETRY_MAX: Duration = Duration::from_secs(1);
/// Version of the table layout (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;
/// Version of the JSON in the `data` column.
const FORMAT_VERSION: u64 = 1;

const UPSERT: &str = "INSERT INTO challengers (guid, data, updated_at) VALUES (?1, ?2, ?3) \
     ON CONFLICT(guid) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at";
const SELECT: &str = "SELECT data FROM challengers WHERE guid = ?1";
const PURGE: &str = "DELETE FROM challengers WHERE rowid IN (SELECT rowid FROM challengers \
     WHERE updated_at < ?1 AND guid <> ?2 LIMIT ?3)";

pub use crate::learners::store::Record;

/// Counters describing the writer's work since `open`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StorageStats {
    /// Transactions committed.
    pub batches_written: u64,
    /// Rows written (a GUID saved many times within one window counts once).
    pub records_written: u64,
    /// Duration of the last committed transaction, encoding included.
    pub last_write_ms: f64,
    /// From the oldest save of the last batch until its commit: how late disk was.
    pub last_lag_ms: f64,
    /// The largest such lag seen.
    pub max_lag_ms: f64,
    /// Failed write attempts (each is retried).
    pub errors: u64,
    /// The last write attempt failed: what learners did since is only in memory.
    pub failing: bool,
}

/// Tuning for `Storage::open_with`.
#[derive(Clone, Copy, Debug)]
pub struct StorageOptions {
    /// Rows untouched for longer are purged; zero turns the retention thread off.
    pub retention: Duration,
    pub purge_interval: Duration,
    pub write_window: Duration,
    /// How long a statement waits for a lock held by another connection.
    pub busy_timeout: Duration,
}

impl Default for StorageOptions {
    fn default() -> Self {
        StorageOptions {
            retention: Duration::ZERO,
            purge_interval: PURGE_INTERVAL,
            write_window: WRITE_WINDOW,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// Why storage could not be opened.
#[derive(Debug)]
pub enum StorageError {
    CreateDir(std::io::Error),
    Sqlite(rusqlite::Error),
    /// The file was written by a newer server with a table layout we do not know.
    NewerSchema(i64),
    /// SQLite refused write-ahead logging (e.g. on some network file systems).
    NoWal(String),
    SpawnThread(std::io::Error),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::CreateDir(e) => write!(f, "cannot create storage directory: {e}"),
            StorageError::Sqlite(e) => write!(f, "storage database error: {e}"),
            StorageError::NewerSchema(v) => write!(
                f,
                "storage schema version {v} is newer than this server's {SCHEMA_VERSION}"
            ),
            StorageError::NoWal(mode) => {
                write!(f, "storage database refused WAL mode (journal mode {mode})")
            }
            StorageError::SpawnThread(e) => write!(f, "cannot start storage thread: {e}"),
        }
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StorageError::CreateDir(e) | StorageError::SpawnThread(e) => Some(e),
            StorageError::Sqlite(e) => Some(e),
            StorageError::NewerSchema(_) | StorageError::NoWal(_) => None,
        }
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Sqlite(e)
    }
}

/// Durable, write-behind storage of learners. Cloning shares the same storage; the
/// writer stops (after a final flush) on `close` or when the last clone is dropped.
#[derive(Clone)]
pub struct Storage {
    handle: Arc<Handle>,
}

/// Owns the threads; its drop closes the storage.
struct Handle {
    core: Arc<Core>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    path: PathBuf,
}

/// What the caller's threads and the storage threads share.
struct Core {
    state: Mutex<State>,
    /// Wakes the writer: records pending, a flush wanted, or closing.
    writer_wake: Condvar,
    /// Wakes flushers: a batch committed or the writer stopped.
    flushed: Condvar,
    /// Wakes the retention thread to stop.
    retention_wake: Condvar,
    /// Wakes async waiters for the backlog to shrink: a batch committed or the writer
    /// stopped.
    room: tokio::sync::Notify,
    /// For loads, purges and saves after close; the writer has its own connection.
    reader: Mutex<Connection>,
    window: Duration,
    counters: Counters,
}

type Batch = HashMap<String, Record>;

struct State {
    pending: Batch,
    /// When the oldest record now pending was saved; `Some` iff `pending` is not empty.
    first_pending_at: Option<Instant>,
    /// The batch the writer is writing now.
    in_flight: Option<Arc<Batch>>,
    /// Number of `save` calls so far.
    saved_seq: u64,
    /// Every save numbered up to this is on disk.
    durable_seq: u64,
    /// A flush is waiting: skip the coalescing window.
    urgent: bool,
    closing: bool,
    writer_running: bool,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    records: AtomicU64,
    errors: AtomicU64,
    failing: std::sync::atomic::AtomicBool,
    last_write_us: AtomicU64,
    last_lag_us: AtomicU64,
    max_lag_us: AtomicU64,
}

/// A batch taken by the writer.
struct Taken {
    records: Arc<Batch>,
    /// `saved_seq` when taken: every save up to it is in this batch or already on disk.
    seq: u64,
    oldest: Instant,
}

impl Storage {
    /// Open (creating if needed) the database in `dir` and start the writer and, when
    /// `retention` is not zero, the retention thread.
    pub fn open(dir: &Path, retention: Duration) -> Result<Storage, StorageError> {
        Storage::open_with(
            dir,
            StorageOptions {
                retention,
                ..StorageOptions::default()
            },
        )
    }

    pub fn open_with(dir: &Path, options: StorageOptions) -> Result<Storage, StorageError> {
        std::fs::create_dir_all(dir).map_err(StorageError::CreateDir)?;
        let path = dir.join(DB_FILE);
        let writer = open_connection(&path, options.busy_timeout)?;
        create_schema(&writer)?;
        let reader = open_connection(&path, options.busy_timeout)?;
        let core = Arc::new(Core::new(reader, options.write_window));
        let mut threads = vec![spawn("storage-writer", {
            let core = Arc::clone(&core);
            move || run_writer(&core, writer)
        })?];
        if !options.retention.is_zero() {
            let shared = Arc::clone(&core);
            let spawned = spawn("storage-retention", move || {
                run_retention(&shared, options.retention, options.purge_interval)
            });
            match spawned {
                Ok(t) => threads.push(t),
                Err(e) => {
                    core.stop_threads(threads);
                    return Err(e);
                }
            }
        }
        Ok(Storage {
            handle: Arc::new(Handle {
                core,
                threads: Mutex::new(threads),
                path,
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.handle.path
    }

    /// The learner's latest saved state, whether already on disk or still queued. A row
    /// that cannot be decoded, or a read error, is logged and reads as absent.
    pub fn load(&self, guid: &str) -> Option<Record> {
        let core = &self.handle.core;
        if let Some(record) = core.queued(guid) {
            return Some(record);
        }
        let result = read_row(&core.reader.lock(), guid);
        match result {
            Ok(Some(Ok(record))) => Some(record),
            Ok(Some(Err(reason))) => {
                tracing::warn!(guid, reason, "stored learner cannot be decoded; ignored");
                None
            }
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(guid, %error, "cannot read stored learner");
                None
            }
        }
    }

    /// Queue the record for writing; never waits for the disk. A later save of the same
    /// GUID replaces a queued one. After `close` the record is written at once.
    pub fn save(&self, record: Record) {
        let core = &self.handle.core;
        let Some(record) = core.enqueue(record) else {
            return;
        };
        let result = write_batch(&mut core.reader.lock(), std::iter::once(&record));
        if let Err(error) = result {
            tracing::error!(guid = record.guid, %error, "cannot save learner after close");
        }
    }

    /// Block until every record saved before this call is on disk (or the writer has
    /// stopped for good).
    pub fn flush(&self) {
        self.handle.core.wait_flushed(None);
    }

    /// Like `flush`, but gives up after `timeout`; true when everything is on disk.
    pub fn flush_timeout(&self, timeout: Duration) -> bool {
        self.handle
            .core
            .wait_flushed(Some(Instant::now() + timeout))
    }

    /// Records saved but not yet on disk (at most one per learner).
    pub fn pending(&self) -> usize {
        let state = self.handle.core.state.lock();
        state.pending.len() + state.in_flight.as_ref().map_or(0, |b| b.len())
    }

    /// Notified whenever the backlog shrinks (a batch landed) or the writer stopped.
    pub fn room(&self) -> &tokio::sync::Notify {
        &self.handle.core.room
    }

    pub fn stats(&self) -> StorageStats {
        self.handle.core.counters.snapshot()
    }

    /// Delete learners untouched for longer than `age` (the single-user learner is
    /// kept); returns how many were deleted.
    pub fn purge_older_than(&self, age: Duration) -> usize {
        self.handle.core.purge_older_than(age)
    }

    /// Write everything pending, then stop the threads. Later calls do nothing; saves
    /// after close are written synchronously.
    pub fn close(&self) {
        self.handle.close();
    }
}

impl Store for Storage {
    fn load(&self, guid: &str) -> Option<Record> {
        Storage::load(self, guid)
    }

    fn save(&self, record: Record) {
        Storage::save(self, record);
    }

    fn backlog(&self) -> usize {
        self.pending()
    }

    fn room(&self) -> &tokio::sync::Notify {
        Storage::room(self)
    }
}

impl Handle {
    fn close(&self) {
        let threads = std::mem::take(&mut *self.threads.lock());
        if threads.is_empty() {
            return;
        }
        self.core.stop_threads(threads);
        // Fold the log into the main file so the directory holds one tidy file.
        let conn = self.core.reader.lock();
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
            tracing::warn!(%error, "storage checkpoint at close failed");
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.close();
    }
}

impl Core {
    fn new(reader: Connection, window: Duration) -> Core {
        Core {
            state: Mutex::new(State {
                pending: HashMap::new(),
                first_pending_at: None,
                in_flight: None,
                saved_seq: 0,
                durable_seq: 0,
                urgent: false,
                closing: false,
                writer_running: true,
            }),
            writer_wake: Condvar::new(),
            flushed: Condvar::new(),
            retention_wake: Condvar::new(),
            room: tokio::sync::Notify::new(),
            reader: Mutex::new(reader),
            window,
            counters: Counters::default(),
        }
    }

    /// A copy of the record if it is pending or being written.
    fn queued(&self, guid: &str) -> Option<Record> {
        let state = self.state.lock();
        state
            .pending
            .get(guid)
            .or_else(|| state.in_flight.as_ref()?.get(guid))
            .cloned()
    }

    /// Put the record in the pending map; gives it back when there is no writer.
    fn enqueue(&self, record: Record) -> Option<Record> {
        let mut state = self.state.lock();
        if !state.writer_running {
            return Some(record);
        }
        state.saved_seq += 1;
        let was_empty = state.first_pending_at.is_none();
        if was_empty {
            state.first_pending_at = Some(Instant::now());
        }
        let replaced = state.pending.insert(record.guid.clone(), record);
        let len = state.pending.len();
        drop(state);
        // Free the superseded record outside the lock.
        drop(replaced);
        // The writer sleeps until the first record or until the window ends; waking it
        // for every save would only make it re-check and sleep again.
        if was_empty || len == LARGE_BATCH {
            self.writer_wake.notify_one();
        }
        None
    }

    /// Wait for the next batch to write; None when closing and nothing is left.
    fn next_batch(&self) -> Option<Taken> {
        let mut state = self.state.lock();
        let oldest = loop {
            let Some(first) = state.first_pending_at else {
                if state.closing {
                    return None;
                }
                self.writer_wake.wait(&mut state);
                continue;
            };
            let due = first + self.window;
            let ready = state.urgent || state.closing || state.pending.len() >= LARGE_BATCH;
            if ready || Instant::now() >= due {
                break first;
            }
            self.writer_wake.wait_until(&mut state, due);
        };
        let records = Arc::new(std::mem::take(&mut state.pending));
        state.first_pending_at = None;
        state.in_flight = Some(Arc::clone(&records));
        state.urgent = false;
        Some(Taken {
            records,
            seq: state.saved_seq,
            oldest,
        })
    }

    fn batch_written(&self, batch: Taken, took: Duration) {
        // Counters first, so a flusher woken below sees them.
        let count = batch.records.len() as u64;
        self.counters.written(count, took, batch.oldest.elapsed());
        {
            let mut state = self.state.lock();
            state.in_flight = None;
            state.durable_seq = state.durable_seq.max(batch.seq);
        }
        self.flushed.notify_all();
        self.room.notify_waiters();
    }

    /// Put a failed batch back, keeping any newer version saved meanwhile. Returns
    /// whether storage is closing.
    fn batch_failed(&self, batch: Taken) -> bool {
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        self.counters.failing.store(true, Ordering::Relaxed);
        drop(batch.records);
        let mut state = self.state.lock();
        if let Some(failed) = state.in_flight.take() {
            let failed = Arc::try_unwrap(failed).unwrap_or_else(|shared| (*shared).clone());
            for (guid, record) in failed {
                state.pending.entry(guid).or_insert(record);
            }
            let oldest = state
                .first_pending_at
                .map_or(batch.oldest, |t| t.min(batch.oldest));
            state.first_pending_at = Some(oldest);
        }
        state.closing
    }

    fn wait_flushed(&self, deadline: Option<Instant>) -> bool {
        let mut state = self.state.lock();
        let target = state.saved_seq;
        if state.durable_seq >= target {
            return true;
        }
        state.urgent = true;
        self.writer_wake.notify_one();
        while state.durable_seq < target && state.writer_running {
            match deadline {
                Some(d) => {
                    if self.flushed.wait_until(&mut state, d).timed_out() {
                        break;
                    }
                }
                None => self.flushed.wait(&mut state),
            }
        }
        state.durable_seq >= target
    }

    /// Ask the threads to finish (the writer drains first) and wait for them.
    fn stop_threads(&self, threads: Vec<JoinHandle<()>>) {
        self.state.lock().closing = true;
        self.writer_wake.notify_all();
        self.retention_wake.notify_all();
        for thread in threads {
            if thread.join().is_err() {
                tracing::error!("a storage thread panicked");
            }
        }
    }

    fn purge_older_than(&self, age: Duration) -> usize {
        let age = i64::try_from(age.as_secs()).unwrap_or(i64::MAX);
        let cutoff = unix_now().saturating_sub(age);
        let mut removed = 0;
        loop {
            // The lock is taken per chunk so loads slip in between.
            let result = self
                .reader
                .lock()
                .prepare_cached(PURGE)
                .and_then(|mut s| s.execute(params![cutoff, SINGLE_PLAYER, PURGE_CHUNK]));
            match result {
                Ok(n) => {
                    removed += n;
                    if n < PURGE_CHUNK as usize {
                        return removed;
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, removed, "purging old learners failed");
                    return removed;
                }
            }
        }
    }

    /// Wait up to `interval` for closing; true when closing.
    fn closing_within(&self, interval: Duration) -> bool {
        let deadline = Instant::now() + interval;
        let mut state = self.state.lock();
        while !state.closing
            && !self
                .retention_wake
                .wait_until(&mut state, deadline)
                .timed_out()
        {}
        state.closing
    }
}

impl Counters {
    fn written(&self, records: u64, took: Duration, lag: Duration) {
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.records.fetch_add(records, Ordering::Relaxed);
        self.failing.store(false, Ordering::Relaxed);
        self.last_write_us.store(micros(took), Ordering::Relaxed);
        self.last_lag_us.store(micros(lag), Ordering::Relaxed);
        self.max_lag_us.fetch_max(micros(lag), Ordering::Relaxed);
    }

    fn snapshot(&self) -> StorageStats {
        let ms = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / 1000.0;
        StorageStats {
            batches_written: self.batches.load(Ordering::Relaxed),
            records_written: self.records.load(Ordering::Relaxed),
            last_write_ms: ms(&self.last_write_us),
            last_lag_ms: ms(&self.last_lag_us),
            max_lag_ms: ms(&self.max_lag_us),
            errors: self.errors.load(Ordering::Relaxed),
            failing: self.failing.load(Ordering::Relaxed),
        }
    }
}

/// Marks the writer stopped however its thread ends, so flushers never wait forever.
struct WriterRunning<'a>(&'a Core);

impl Drop for WriterRunning<'_> {
    fn drop(&mut self) {
        self.0.state.lock().writer_running = false;
        self.0.flushed.notify_all();
        self.0.room.notify_waiters();
    }
}

fn run_writer(core: &Core, mut conn: Connection) {
    let _running = WriterRunning(core);
    let mut failures = 0u32;
    while let Some(batch) = core.next_batch() {
        let started = Instant::now();
        match write_batch(&mut conn, batch.records.values()) {
            Ok(()) => {
                failures = 0;
                core.batch_written(batch, started.elapsed());
            }
            Err(error) => {
                failures += 1;
                let records = batch.records.len();
                let closing = core.batch_failed(batch);
                tracing::error!(%error, records, failures, "storage write failed; will retry");
                if closing && failures >= CLOSE_ATTEMPTS {
                    tracing::error!(records, "storage closing with unwritten learners");
                    return;
                }
                thread::sleep(retry_delay(failures));
            }
        }
    }
}

/// 200 ms, 400 ms, 800 ms, then 1 s.
fn retry_delay(failures: u32) -> Duration {
    let doubled = RETRY_FIRST.saturating_mul(1 << failures.saturating_sub(1).min(8));
    doubled.min(RETRY_MAX)
}

fn run_retention(core: &Core, retention: Duration, interval: Duration) {
    loop {
        let removed = core.purge_older_than(retention);
        if removed > 0 {
            tracing::info!(removed, "purged learners past retention");
        }
        if core.closing_within(interval) {
            return;
        }
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, StorageError> {
    thread::Builder::new()
        .name(name.to_string())
        .spawn(work)
        .map_err(StorageError::SpawnThread)
}

fn open_connection(path: &Path, busy_timeout: Duration) -> Result<Connection, StorageError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(busy_timeout)?;
    // The first real read: a file that is not a database fails here.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::NoWal(mode));
    }
    // In WAL mode NORMAL cannot corrupt the database; a power cut may only lose the
    // last commits, which the write-behind design accepts anyway.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

fn create_schema(conn: &Connection) -> Result<(), StorageError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StorageError::NewerSchema(version));
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS challengers (
             guid TEXT PRIMARY KEY NOT NULL,
             data TEXT NOT NULL,
             updated_at INTEGER NOT NULL
         );
         CREATE INDEX IF NOT EXISTS challengers_by_age ON challengers (updated_at);
         PRAGMA user_version = 1;",
    )?;
    Ok(())
}

/// Write records in one transaction.
fn write_batch<'a>(
    conn: &mut Connection,
    records: impl Iterator<Item = &'a Record>,
) -> rusqlite::Result<()> {
    let now = unix_now();
    // Immediate: take the write lock up front, honouring the busy timeout.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut upsert = tx.prepare_cached(UPSERT)?;
        for record in records {
            upsert.execute(params![record.guid, encode(record), now])?;
        }
    }
    tx.commit()
}

/// The stored row, decoded; None when there is no row.
fn read_row(conn: &Connection, guid: &str) -> rusqlite::Result<Option<Result<Record, String>>> {
    let mut select = conn.prepare_cached(SELECT)?;
    select
        .query_row([guid], |row| {
            Ok(match row.get_ref(0)? {
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => decode(guid, bytes),
                other => Err(format!("data is {:?}, not text", other.data_type())),
            })
        })
        .optional()
}

fn unix_now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs).unwrap_or(i64::MAX)
}

/// The row's JSON, written straight into one string: the writer encodes every
/// record of a batch, so a `Value` tree per record would be wasted allocations.
fn encode(record: &Record) -> String {
    let mut out = String::with_capacity(encoded_size_hint(record));
    out.push_str("{\"v\":");
    push_number(&mut out, FORMAT_VERSION);
    out.push_str(",\"token\":");
    push_string(&mut out, &record.auth_token);
    out.push_str(",\"note\":");
    push_string(&mut out, &record.note);
    out.push_str(",\"next\":");
    push_number(&mut out, record.next_id);
    out.push_str(",\"done\":[");
    for (i, key) in record.completed.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, key);
    }
    out.push_str("],\"todos\":[");
    for (i, todo) in record.todos.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_todo(&mut out, todo);
    }
    out.push_str("]}");
    out
}

fn encoded_size_hint(record: &Record) -> usize {
    let keys: usize = record.completed.iter().map(|k| k.len() + 3).sum();
    let todos: usize = record
        .todos
        .iter()
        .map(|t| t.title.len() + t.description.len() + 32)
        .sum();
    96 + record.auth_token.len() + record.note.len() + keys + todos
}

/// `[id,"title",done]`, with `,"description"` before the `]` when there is one.
fn push_todo(out: &mut String, todo: &Todo) {
    out.push('[');
    push_number(out, todo.id);
    out.push(',');
    push_string(out, &todo.title);
    out.push_str(if todo.done_status { ",true" } else { ",false" });
    if !todo.description.is_empty() {
        out.push(',');
        push_string(out, &todo.description);
    }
    out.push(']');
}

fn push_number(out: &mut String, n: u64) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(out, "{n}");
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
fn push_string(out: &mut String, text: &str) {
    use std::fmt::Write;
    out.push('"');
    let mut plain_from = 0;
    // Everything escaped is ASCII, so byte positions are always char boundaries.
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&text[plain_from..at]);
        match escape {
            Some(escape) => out.push_str(escape),
            None => {
                let _ = write!(out, "\\u{byte:04x}");
            }
        }
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

/// Decode a stored row; the error says what is wrong with it.
fn decode(guid: &str, bytes: &[u8]) -> Result<Record, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("v").and_then(Value::as_u64) {
        Some(FORMAT_VERSION) => {}
        _ => {
            return Err(format!(
                "unknown format version {}",
                value.get("v").unwrap_or(&Value::Null)
            ))
        }
    }
    let done = field(&value, "done")?
        .as_array()
        .ok_or("done is not an array")?;
    let todos = field(&value, "todos")?
        .as_array()
        .ok_or("todos is not an array")?;
    Ok(Record {
        guid: guid.to_string(),
        auth_token: text(field(&value, "token")?, "token")?,
        note: text(field(&value, "note")?, "note")?,
        completed: done
            .iter()
            .map(|k| text(k, "done key"))
            .collect::<Result<_, _>>()?,
        todos: todos.iter().map(decode_todo).collect::<Result<_, _>>()?,
        next_id: field(&value, "next")?
            .as_u64()
            .ok_or("next is not a number")?,
    })
}

fn decode_todo(value: &Value) -> Result<Todo, String> {
    let fields = value.as_array().ok_or("todo is not an array")?;
    let (id, title, done, description) = match fields.as_slice() {
        [id, title, done] => (id, title, done, None),
        [id, title, done, description] => (id, title, done, Some(description)),
        _ => return Err(format!("todo has {} fields", fields.len())),
    };
    Ok(Todo {
        id: id.as_u64().ok_or("todo id is not a number")?,
        title: text(title, "todo title")?,
        done_status: done.as_bool().ok_or("todo doneStatus is not a boolean")?,
        description: description.map_or(Ok(String::new()), |d| text(d, "todo description"))?,
    })
}

fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value, String> {
    value.get(name).ok_or_else(|| format!("{name} is missing"))
}

fn text(value: &Value, what: &str) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{what} is not a string"))
}

/// Every learner saved in `dir`, read-only, for copying to another store
/// (`apichallenges migrate`): `each` gets each row, decoded or why it is unreadable.
/// Safe while a server uses the same file (WAL readers never block the writer).
pub fn read_all(
    dir: &Path,
    mut each: impl FnMut(Result<Record, String>),
) -> Result<(), StorageError> {
    let path = dir.join(DB_FILE);
    let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let mut select = conn.prepare("SELECT guid, data FROM challengers")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let guid: String = row.get(0)?;
        each(match row.get_ref(1)? {
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => decode(&guid, bytes),
            other => Err(format!("{guid}: data is {:?}, not text", other.data_type())),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    /// A unique directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            let name = format!("apichallenges-storage-test-{}", Uuid::new_v4());
            TempDir(std::env::temp_dir().join(name))
        }
        fn db(&self) -> PathBuf {
            self.0.join(DB_FILE)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn todo(id: u64, title: &str, done: bool, description: &str) -> Todo {
        Todo {
            id,
            title: title.to_string(),
            done_status: done,
            description: description.to_string(),
        }
    }

    fn record(guid: &str, note: &str) -> Record {
        Record {
            guid: guid.to_string(),
            auth_token: "9f1c2b3a-0000-4000-8000-000000000001".to_string(),
            note: note.to_string(),
            completed: vec!["GET_TODOS".to_string(), "POST_TODOS".to_string()],
            todos: vec![
                todo(1, "scan paperwork", false, ""),
                todo(7, "train", true, "d"),
            ],
            next_id: 12,
        }
    }

    fn full_record(guid: &str) -> Record {
        Record {
            guid: guid.to_string(),
            auth_token: "0d4f1e52-7a6b-4c3d-9e8f-123456789abc".to_string(),
            note: "ünïcødé ✓ \"quoted\" \\ back\nslash 日本語 🎉".to_string(),
            completed: (0..99).map(|i| format!("CHALLENGE_KEY_{i:03}")).collect(),
            todos: (1..=20)
                .map(|i| todo(i, &format!("title {i} ✓"), i % 2 == 0, &"d".repeat(200)))
                .collect(),
            next_id: 4242,
        }
    }

    fn rows_on_disk(dir: &TempDir) -> i64 {
        let conn = Connection::open(dir.db()).unwrap();
        conn.query_row("SELECT count(*) FROM challengers", [], |r| r.get(0))
            .unwrap()
    }

    fn slow_window() -> StorageOptions {
        StorageOptions {
            write_window: Duration::from_secs(3600),
            ..StorageOptions::default()
        }
    }

    #[test]
    fn save_flush_load_round_trips_every_field() {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::from_secs(86_400)).unwrap();
        let full = full_record("0b3a8d4c-9f5e-4e0a-8a8c-2f1d3c4b5a69");
        storage.save(full.clone());
        storage.save(record(SINGLE_PLAYER, ""));
        storage.flush();
        assert_eq!(storage.pending(), 0);
        assert_eq!(rows_on_disk(&dir), 2);
        assert_eq!(storage.load(&full.guid), Some(full));
        assert_eq!(storage.load(SINGLE_PLAYER), Some(record(SINGLE_PLAYER, "")));
        assert_eq!(storage.load("missing"), None);
        let stats = storage.stats();
        assert_eq!((stats.records_written, stats.errors), (2, 0));
        assert!(stats.batches_written >= 1);
    }

    #[test]
    fn stored_json_is_compact_and_versioned() {
        let encoded = encode(&record("g", "n"));
        assert_eq!(
            encoded,
            r#"{"v":1,"token":"9f1c2b3a-0000-4000-8000-000000000001","note":"n","next":12,"done":["GET_TODOS","POST_TODOS"],"todos":[[1,"scan paperwork",false],[7,"train",true,"d"]]}"#
        );
        assert_eq!(decode("g", encoded.as_bytes()), Ok(record("g", "n")));
    }

    #[test]
    fn every_character_survives_encoding() {
        let all: String = (0u32..0x300)
            .filter_map(char::from_u32)
            .chain(['日', '🎉'])
            .collect();
        let mut literal = String::new();
        push_string(&mut literal, &all);
        assert_eq!(serde_json::from_str::<String>(&literal).unwrap(), all);
        let mut r = record("g", &all);
        r.todos[0].title = all.clone();
        r.todos[1].description = all.clone();
        r.completed.push(all);
        assert_eq!(decode("g", encode(&r).as_bytes()), Ok(r));
    }

    #[test]
    fn load_sees_records_not_yet_written() {
        let dir = TempDir::new();
        let storage = Storage::open_with(&dir.0, slow_window()).unwrap();
        storage.save(record("a", "queued"));
        assert_eq!(storage.pending(), 1);
        assert_eq!(rows_on_disk(&dir), 0);
        assert_eq!(storage.load("a"), Some(record("a", "queued")));
        // flush skips the hour-long window.
        storage.flush();
        assert_eq!(rows_on_disk(&dir), 1);
        assert_eq!(storage.pending(), 0);
    }

    #[test]
    fn the_latest_save_wins() {
        let dir = TempDir::new();
        let storage = Storage::open_with(&dir.0, slow_window()).unwrap();
        for n in 0..5 {
            storage.save(record("a", &format!("v{n}")));
        }
        assert_eq!(storage.pending(), 1);
        assert_eq!(storage.load("a").unwrap().note, "v4");
        storage.flush();
        storage.save(record("a", "v5"));
        storage.flush();
        assert_eq!(storage.stats().records_written, 2);
        storage.close();
        let reopened = Storage::open(&dir.0, Duration::ZERO).unwrap();
        assert_eq!(reopened.load("a").unwrap().note, "v5");
    }

    #[test]
    fn data_survives_close_and_reopen() {
        let dir = TempDir::new();
        let storage = Storage::open_with(&dir.0, slow_window()).unwrap();
        storage.save(full_record("x"));
        // close writes what is pending even inside the window, and is idempotent.
        storage.close();
        storage.close();
        assert!(!dir.0.join(format!("{DB_FILE}-wal")).exists_and_not_empty());
        // A save after close is written synchronously.
        storage.save(record("late", "after close"));
        drop(storage);
        let reopened = Storage::open(&dir.0, Duration::ZERO).unwrap();
        assert_eq!(reopened.load("x"), Some(full_record("x")));
        assert_eq!(reopened.load("late").unwrap().note, "after close");
    }

    trait ExistsAndNotEmpty {
        fn exists_and_not_empty(&self) -> bool;
    }

    impl ExistsAndNotEmpty for PathBuf {
        fn exists_and_not_empty(&self) -> bool {
            std::fs::metadata(self).is_ok_and(|m| m.len() > 0)
        }
    }

    #[test]
    fn undecodable_rows_read_as_absent() {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        let conn = Connection::open(dir.db()).unwrap();
        let rows: [(&str, &dyn rusqlite::ToSql); 6] = [
            ("garbage", &"not json {"),
            ("future", &r#"{"v":2,"token":"t"}"#),
            ("noversion", &r#"{"token":"t"}"#),
            (
                "badtodo",
                &r#"{"v":1,"token":"t","note":"","next":1,"done":[],"todos":[[1]]}"#,
            ),
            ("number", &42),
            ("blob", &b"\xff\xfe".to_vec()),
        ];
        for (guid, data) in rows {
            conn.execute(
                "INSERT INTO challengers VALUES (?1, ?2, 0)",
                params![guid, data],
            )
            .unwrap();
            assert_eq!(storage.load(guid), None, "{guid}");
        }
        let blob_json = encode(&record("asblob", "")).into_bytes();
        conn.execute(
            "INSERT INTO challengers VALUES ('asblob', ?1, 0)",
            params![blob_json],
        )
        .unwrap();
        assert_eq!(storage.load("asblob"), Some(record("asblob", "")));
    }

    #[test]
    fn purge_deletes_only_rows_older_than_the_age() {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        for guid in ["old1", "old2", "fresh", SINGLE_PLAYER] {
            storage.save(record(guid, ""));
        }
        storage.flush();
        let conn = Connection::open(dir.db()).unwrap();
        let long_ago = unix_now() - 40 * 86_400;
        conn.execute(
            "UPDATE challengers SET updated_at = ?1 WHERE guid <> 'fresh'",
            [long_ago],
        )
        .unwrap();
        assert_eq!(
            storage.purge_older_than(Duration::from_secs(30 * 86_400)),
            2
        );
        assert_eq!(storage.load("old1"), None);
        assert!(storage.load("fresh").is_some());
        assert!(storage.load(SINGLE_PLAYER).is_some());
        assert_eq!(
            storage.purge_older_than(Duration::from_secs(30 * 86_400)),
            0
        );
    }

    #[test]
    fn purge_works_in_chunks() {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        for n in 0..(PURGE_CHUNK * 2 + 7) {
            storage.save(record(&format!("g{n}"), ""));
        }
        storage.flush();
        let conn = Connection::open(dir.db()).unwrap();
        conn.execute("UPDATE challengers SET updated_at = 0", [])
            .unwrap();
        assert_eq!(storage.purge_older_than(Duration::from_secs(60)), 1007);
        assert_eq!(rows_on_disk(&dir), 0);
    }

    #[test]
    fn the_retention_thread_purges_at_start() {
        let dir = TempDir::new();
        let first = Storage::open(&dir.0, Duration::ZERO).unwrap();
        first.save(record("old", ""));
        first.save(record("new", ""));
        first.close();
        let conn = Connection::open(dir.db()).unwrap();
        conn.execute(
            "UPDATE challengers SET updated_at = 0 WHERE guid = 'old'",
            [],
        )
        .unwrap();
        let storage = Storage::open(&dir.0, Duration::from_secs(86_400)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while rows_on_disk(&dir) > 1 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(storage.load("old"), None);
        assert!(storage.load("new").is_some());
    }

    #[test]
    fn concurrent_saves_are_all_written() {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        let writers: Vec<_> = (0..8)
            .map(|t| {
                let storage = storage.clone();
                thread::spawn(move || {
                    for n in 0..1000 {
                        storage.save(record(&format!("t{t}-{n}"), &format!("{t}/{n}")));
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        storage.flush();
        assert_eq!(storage.pending(), 0);
        assert_eq!(rows_on_disk(&dir), 8000);
        for t in 0..8 {
            for n in 0..1000 {
                let loaded = storage.load(&format!("t{t}-{n}")).unwrap();
                assert_eq!(loaded.note, format!("{t}/{n}"));
            }
        }
        assert_eq!(storage.stats().records_written, 8000);
    }

    #[test]
    fn a_failed_write_is_kept_and_retried() {
        let dir = TempDir::new();
        let options = StorageOptions {
            busy_timeout: Duration::from_millis(20),
            ..StorageOptions::default()
        };
        let storage = Storage::open_with(&dir.0, options).unwrap();
        // Another connection holds the write lock, so the writer's commits fail.
        let mut blocker = Connection::open(dir.db()).unwrap();
        let lock = blocker
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        storage.save(record("a", "first"));
        assert!(!storage.flush_timeout(Duration::from_millis(400)));
        assert!(storage.stats().errors >= 1);
        assert_eq!(storage.load("a").unwrap().note, "first");
        storage.save(record("a", "second"));
        assert_eq!(storage.pending(), 1);
        lock.rollback().unwrap();
        assert!(storage.flush_timeout(Duration::from_secs(10)));
        storage.close();
        let reopened = Storage::open(&dir.0, Duration::ZERO).unwrap();
        assert_eq!(reopened.load("a").unwrap().note, "second");
    }

    #[test]
    fn a_file_that_is_not_a_database_fails_to_open() {
        let dir = TempDir::new();
        std::fs::create_dir_all(&dir.0).unwrap();
        std::fs::write(dir.db(), vec![0x5a; 8192]).unwrap();
        let error = Storage::open(&dir.0, Duration::ZERO).err().unwrap();
        assert!(matches!(error, StorageError::Sqlite(_)), "{error}");
    }

    /// Throughput, latency and size measurements. Run with:
    /// `cargo test --release --lib learners::sqlite::tests::measure -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn measure() {
        let typical = |guid: &str| Record {
            guid: guid.to_string(),
            auth_token: Uuid::new_v4().to_string(),
            note: String::new(),
            completed: (0..30)
                .map(|i| format!("POST_TODOS_CHALLENGE_{i:02}"))
                .collect(),
            todos: crate::todo::seed_todos(),
            next_id: 11,
        };
        let full = |guid: &str| Record {
            guid: guid.to_string(),
            auth_token: Uuid::new_v4().to_string(),
            note: "n".repeat(100),
            completed: (0..99)
                .map(|i| format!("POST_TODOS_CHALLENGE_{i:02}"))
                .collect(),
            todos: (1..=20)
                .map(|i| todo(i, &"t".repeat(50), i % 2 == 0, &"d".repeat(200)))
                .collect(),
            next_id: 21,
        };
        let guids: Vec<String> = (0..100_000).map(|_| Uuid::new_v4().to_string()).collect();
        burst(
            "100k saves over 10k guids, typical",
            &guids[..10_000],
            100_000,
            typical,
        );
        burst(
            "100k saves over 100k guids, typical",
            &guids,
            100_000,
            typical,
        );
        burst(
            "20k saves over 20k guids, full",
            &guids[..20_000],
            20_000,
            full,
        );
        sustained(20_000, &guids[..10_000], typical);
        sustained(20_000, &guids, typical);
        latency(&guids[..10_000], typical);
        size("typical", &guids[..10_000], typical);
        size("full", &guids[..10_000], full);
    }

    /// CPU seconds used by this process so far (Linux; 0 elsewhere). On a shared
    /// machine this is steadier than wall time.
    fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after_name = stat.rsplit(')').next().unwrap_or("");
        let ticks: Vec<f64> = after_name
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|t| t.parse().ok())
            .collect();
        ticks.iter().sum::<f64>() / 100.0
    }

    fn burst(label: &str, guids: &[String], saves: usize, make: impl Fn(&str) -> Record) {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        let records: Vec<Record> = (0..saves).map(|i| make(&guids[i % guids.len()])).collect();
        let cpu = cpu_seconds();
        let started = Instant::now();
        for r in records {
            storage.save(r);
        }
        let queued = started.elapsed();
        storage.flush();
        let total = started.elapsed();
        let cpu = cpu_seconds() - cpu;
        let stats = storage.stats();
        let rows = stats.records_written as f64;
        println!(
            "{label}: queued in {:.0} ms, on disk after {:.0} ms = {:.0} saves/s; {rows} rows in {} batches = {:.0} rows/s wall, {:.0} rows per CPU-second ({cpu:.2} CPU s)",
            queued.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            saves as f64 / total.as_secs_f64(),
            stats.batches_written,
            rows / total.as_secs_f64(),
            rows / cpu.max(0.01),
        );
    }

    /// Saves paced at `rate` per second for 3 s: does disk keep up within the window?
    fn sustained(rate: usize, guids: &[String], make: impl Fn(&str) -> Record) {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        let records: Vec<Record> = (0..rate * 3)
            .map(|i| make(&guids[i % guids.len()]))
            .collect();
        let started = Instant::now();
        for (i, r) in records.into_iter().enumerate() {
            let due = started + Duration::from_secs_f64(i as f64 / rate as f64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                thread::sleep(wait);
            }
            storage.save(r);
        }
        storage.flush();
        let stats = storage.stats();
        println!(
            "sustained {rate} saves/s over {} guids for 3 s: {} rows in {} batches, max lag {:.0} ms",
            guids.len(),
            stats.records_written,
            stats.batches_written,
            stats.max_lag_ms
        );
    }

    fn latency(guids: &[String], make: impl Fn(&str) -> Record) {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        for g in guids {
            storage.save(make(g));
        }
        storage.flush();
        let mut flushes: Vec<f64> = (0..500)
            .map(|i| {
                storage.save(make(&guids[i * 7 % guids.len()]));
                let t = Instant::now();
                storage.flush();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        flushes.sort_by(f64::total_cmp);
        let mut lags: Vec<f64> = (0..20)
            .map(|i| {
                storage.save(make(&guids[i]));
                let t = Instant::now();
                while storage.pending() > 0 {
                    thread::sleep(Duration::from_micros(200));
                }
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        lags.sort_by(f64::total_cmp);
        let pick = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q) as usize];
        println!(
            "flush of 1 record (10k rows in db): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            pick(&flushes, 0.5),
            pick(&flushes, 0.99),
            pick(&flushes, 1.0)
        );
        println!(
            "save→on disk without flush (window {} ms): p50 {:.1} ms, max {:.1} ms",
            WRITE_WINDOW.as_millis(),
            pick(&lags, 0.5),
            pick(&lags, 1.0)
        );
    }

    fn size(label: &str, guids: &[String], make: impl Fn(&str) -> Record) {
        let dir = TempDir::new();
        let storage = Storage::open(&dir.0, Duration::ZERO).unwrap();
        let json_len: usize = guids.iter().map(|g| encode(&make(g)).len()).sum();
        for g in guids {
            storage.save(make(g));
        }
        storage.close();
        let file = std::fs::metadata(dir.db()).unwrap().len();
        let conn = Connection::open(dir.db()).unwrap();
        conn.execute_batch("VACUUM").unwrap();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let n = guids.len() as f64;
        println!(
            "size {label}: json {:.0} B/record; file {:.0} B/row after close, {:.0} B/row after VACUUM",
            json_len as f64 / n,
            file as f64 / n,
            (pages * page) as f64 / n
        );
    }

    #[test]
    fn retry_delays_grow_to_a_second() {
        let ms: Vec<u128> = (1..=5).map(|n| retry_delay(n).as_millis()).collect();
        assert_eq!(ms, [200, 400, 800, 1000, 1000]);
    }
}
