//! The shared state of a running server, and how learners move between memory and
//! storage.
//!
//! A learner has one copy in memory at most, and storage always holds what a request
//! reading it back needs:
//! - every change is handed to storage under the learner's lock (`Saver`), so two
//!   requests' saves reach storage in the order their changes were made;
//! - a learner leaves memory through the registry's hook, with its shard locked, after
//!   its last state was handed over, and never while a request holds it;
//! - bringing a learner back (`find`) is serialised per GUID, so two loads cannot
//!   race one copy in over another;
//! - when storage falls behind, requests that could bring a learner into memory wait
//!   for it (`room_for_learners`), so memory stays bounded by the number of learners.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::watch;
use uuid::Uuid;

use crate::challenges::listing::Rows;
use crate::challenges::profile::{ActiveSet, Profile};
use crate::config::{describe_io_error, Config};
use crate::http::client::CreationLimit;
use crate::learners::redis::SharedStore;
use crate::learners::registry::{
    Learner, LearnerId, LearnerRef, OnLeave, Progress, Registry, SINGLE_PLAYER,
};
use crate::learners::sqlite::{Storage, StorageError};
use crate::learners::store::{Record, Store};
use crate::metrics::{Gauges, Metrics};
use crate::todo::database::Database;
use crate::todo::{seed_todos, MAX_TODOS};

/// Everything handlers share.
pub struct App {
    pub config: Config,
    pub profile: &'static Profile,
    pub active: ActiveSet,
    pub registry: Registry,
    /// Where learners are saved, unless storage is off or could not be opened.
    pub storage: Option<Storage>,
    /// The store shared by several instances (`--redis`); when set, `storage` is off
    /// and `api::shared` reads and writes learners around each request.
    pub shared: Option<SharedStore>,
    /// The read-only database that multi-user reads without a known learner see.
    pub default_db: Database,
    /// The active challenges, pre-rendered for `/challenges`.
    pub challenge_rows: Rows,
    pub metrics: Metrics,
    /// Hands learners' changes to storage.
    pub saver: Arc<Saver>,
    /// How many challengers each client may still create.
    pub creations: CreationLimit,
    /// Serialises bringing a learner into memory, one lock per stripe of GUIDs.
    load_locks: Box<[parking_lot::Mutex<()>]>,
}

/// How long a request that would bring a learner into memory waits for storage to
/// catch up before it is answered 503.
pub const STORAGE_WAIT: Duration = Duration::from_secs(10);

/// Stripes of `App::load_locks`: loads of different learners rarely wait on each other.
const LOAD_STRIPES: usize = 64;

/// Hands a learner's changes to storage. It is called with the learner locked, and
/// storage only queues (never touches the disk here), so saves reach storage in the
/// order the changes were made and a load right after sees them.
pub struct Saver {
    profile: &'static Profile,
    store: Option<Arc<dyn Store>>,
}

impl Saver {
    /// True when learners are being saved at all.
    pub fn is_on(&self) -> bool {
        self.store.is_some()
    }

    /// Hand the learner's state to storage if storage has not seen it yet.
    pub fn save_changes(&self, learner: &mut Learner) {
        let Some(store) = &self.store else {
            return;
        };
        if learner.saved_version == learner.version {
            return;
        }
        learner.saved_version = learner.version;
        store.save(self.record_of(learner));
    }

    /// What storage keeps of a learner.
    pub fn record_of(&self, learner: &Learner) -> Record {
        let completed = self
            .profile
            .catalogue
            .iter()
            .enumerate()
            .filter(|(i, _)| learner.progress.is_done(*i))
            .map(|(_, c)| c.key.to_string())
            .collect();
        Record {
            guid: learner.id.to_string(),
            auth_token: learner.auth_token.to_string(),
            note: learner.note.clone(),
            completed,
            todos: learner.db.todos().to_vec(),
            next_id: learner.db.next_id(),
        }
    }

    /// The registry hook for learners leaving memory.
    fn on_leave(self: &Arc<Self>) -> OnLeave {
        let saver = Arc::clone(self);
        Arc::new(move |learner: &mut Learner| saver.save_changes(learner))
    }
}

impl App {
    /// A learner's progress as `GET /challenger/{guid}` answers it: the auth token, the
    /// GUID, the secret note and one boolean per active challenge key.
    pub fn progress_json(&self, learner: &Learner) -> String {
        let mut status = Map::new();
        for &index in &self.active.indices {
            let key = self.profile.catalogue[index].key;
            status.insert(
                key.to_string(),
                Value::Bool(learner.progress.is_done(index)),
            );
        }
        let mut payload = Map::new();
        payload.insert("xAuthToken".into(), learner.auth_token.to_string().into());
        payload.insert("xChallenger".into(), learner.id.to_string().into());
        payload.insert("secretNote".into(), learner.note.clone().into());
        payload.insert("challengeStatus".into(), Value::Object(status));
        Value::Object(payload).to_string()
    }

    /// An app whose storage is off or known to open (tests); see [`App::open`].
    pub fn new(config: Config) -> App {
        App::open(config).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Build the shared state, opening storage when the configuration asks for it.
    /// Storage that cannot be opened stops the start: a host who asked for saved
    /// progress must not find out later that nothing was saved.
    pub fn open(mut config: Config) -> Result<App, StorageOpenError> {
        let storage = open_storage(&config)?;
        // With a shared store progress is saved too (by `api::shared`, not the saver).
        config.storage = config.storage || config.shared_store;
        let profile = Profile::get(config.profile);
        let active = ActiveSet::new(profile, &config);
        let saver = Arc::new(Saver {
            profile,
            store: storage.clone().map(|s| Arc::new(s) as Arc<dyn Store>),
        });
        let registry = Registry::new(
            None,
            config.clock.clone(),
            config.idle_timeout.as_millis() as u64,
            config.max_challengers,
            saver.on_leave(),
        );
        let mut app = App {
            creations: CreationLimit::new(config.creation_limit, config.clock.clone()),
            saver,
            load_locks: (0..LOAD_STRIPES)
                .map(|_| parking_lot::Mutex::new(()))
                .collect(),
            metrics: Metrics::default(),
            challenge_rows: Rows::new(profile, &active),
            config,
            profile,
            active,
            registry,
            storage,
            shared: None,
            default_db: Database::seeded(),
        };
        if !app.config.multi_user {
            let single = app
                .load(SINGLE_PLAYER)
                .unwrap_or_else(|| Learner::new(LearnerId::SinglePlayer));
            app.registry = Registry::new(
                Some(single),
                app.config.clock.clone(),
                app.config.idle_timeout.as_millis() as u64,
                app.config.max_challengers,
                app.saver.on_leave(),
            );
        }
        Ok(app)
    }

    /// What storage keeps of a learner.
    pub fn record_of(&self, learner: &Learner) -> Record {
        self.saver.record_of(learner)
    }

    /// True while storage is on but its last write failed (it keeps retrying); pages
    /// warn learners that recent progress is only in memory.
    pub fn storage_failing(&self) -> bool {
        self.storage.as_ref().is_some_and(|s| s.stats().failing)
    }

    /// Find a learner in memory, or bring it back from storage; refreshes its idle timer.
    pub fn find(&self, id: &LearnerId) -> Option<LearnerRef> {
        if let Some(entry) = self.registry.get(id) {
            return Some(entry);
        }
        // Under the GUID's load lock, look again, then read storage and insert: without
        // it, a load that read storage just before another copy was loaded, changed
        // and evicted would put the older state back in memory.
        let _loading = self.load_lock(id).lock();
        if let Some(entry) = self.registry.get(id) {
            return Some(entry);
        }
        let mut learner = self.load(&id.to_string())?;
        learner.loaded_from_storage = true;
        let (entry, _, evicted) = self.registry.get_or_insert(learner);
        self.metrics.evicted(evicted);
        Some(entry)
    }

    /// Put a new learner in memory, or find the one already there with its GUID (a
    /// restore racing a load); true when the given learner went in.
    pub fn admit(&self, challenger: Learner) -> (LearnerRef, bool) {
        let _loading = self.load_lock(&challenger.id).lock();
        let (entry, inserted, evicted) = self.registry.get_or_insert(challenger);
        self.metrics.evicted(evicted);
        (entry, inserted)
    }

    /// Wait while storage is too far behind to take another learner into memory (each
    /// one admitted may evict one whose state must then be written). False when it
    /// did not catch up within `STORAGE_WAIT`.
    pub async fn room_for_learners(&self) -> bool {
        let Some(store) = &self.saver.store else {
            return true;
        };
        let deadline = tokio::time::Instant::now() + STORAGE_WAIT;
        loop {
            let landed = store.room().notified();
            tokio::pin!(landed);
            // Registered before the check, so a batch landing in between is not missed.
            landed.as_mut().enable();
            if store.backlog() < self.config.storage_backlog_limit {
                return true;
            }
            if tokio::time::timeout_at(deadline, landed).await.is_err() {
                return false;
            }
        }
    }

    /// True when storage is behind enough that `room_for_learners` would wait.
    pub fn storage_behind(&self) -> bool {
        self.saver
            .store
            .as_ref()
            .is_some_and(|s| s.backlog() >= self.config.storage_backlog_limit)
    }

    fn load_lock(&self, id: &LearnerId) -> &parking_lot::Mutex<()> {
        let stripe = match id {
            LearnerId::SinglePlayer => 0,
            LearnerId::Guid(g) => g.as_bytes()[14] as usize,
        };
        &self.load_locks[stripe % LOAD_STRIPES]
    }

    /// Sweep idle learners out of memory; returns how many left.
    pub fn evict_idle(&self) -> usize {
        self.evict_idle_paced(std::time::Duration::ZERO)
    }

    /// Sweep idle learners out of memory one shard at a time, freeing each shard's
    /// learners before the next and pausing `pause` between shards. A sweep of 100k
    /// learners costs tens of milliseconds of CPU; in slices, a one-CPU machine keeps
    /// answering requests in between.
    pub fn evict_idle_paced(&self, pause: std::time::Duration) -> usize {
        let started = std::time::Instant::now();
        let mut count = 0;
        for shard in 0..self.registry.shard_count() {
            let evicted = self.registry.evict_idle_in(shard);
            if evicted == 0 {
                continue;
            }
            count += evicted;
            self.metrics.evicted(evicted);
            if !pause.is_zero() {
                std::thread::sleep(pause);
            }
        }
        if count > 0 {
            tracing::info!(
                evicted = count,
                in_memory = self.registry.len(),
                duration_ms = started.elapsed().as_millis() as u64,
                "idle sweep"
            );
        }
        count
    }

    /// Hand a learner's state to storage if it changed since it was last handed over.
    /// Storage writes in the background; this never touches the disk.
    pub fn save_if_changed(&self, entry: &LearnerRef) {
        self.saver.save_changes(&mut entry.state.lock());
    }

    /// Load a learner from storage; a record that does not make sense is ignored.
    fn load(&self, guid: &str) -> Option<Learner> {
        let record = self.saver.store.as_ref()?.load(guid)?;
        if record.guid != guid {
            return None;
        }
        self.challenger_from(record)
    }

    /// A learner as a storage record describes it; `None` for a GUID that does not
    /// parse back to itself.
    pub fn challenger_from(&self, record: Record) -> Option<Learner> {
        let id = LearnerId::parse(&record.guid).filter(|id| id.to_string() == record.guid)?;
        let mut progress = Progress::default();
        for key in &record.completed {
            if let Some(index) = self.profile.catalogue.iter().position(|c| c.key == key) {
                progress.set(index, true);
            }
        }
        // Untouched seed data goes back to sharing the one seed list.
        let db = if record.todos == seed_todos() && record.next_id == 11 {
            Database::seeded()
        } else {
            Database::from_parts(record.todos, record.next_id)
        };
        Some(Learner {
            id,
            auth_token: Uuid::try_parse(&record.auth_token).unwrap_or_else(|_| Uuid::new_v4()),
            note: record.note,
            progress,
            db,
            loaded_from_storage: false,
            version: 1,
            saved_version: 1,
            shared: Default::default(),
        })
    }

    /// Called once when the server stops, after in-flight requests finished: every
    /// learner's latest state is written before the process exits.
    pub fn on_shutdown(&self) {
        let all = self.registry.all();
        for entry in &all {
            self.save_if_changed(entry);
        }
        if let Some(storage) = &self.storage {
            storage.close();
        }
        tracing::info!(in_memory = all.len(), "server stopped");
    }

    /// The `/metrics` text.
    pub fn render_metrics(&self) -> String {
        let stats = self
            .storage
            .as_ref()
            .map(Storage::stats)
            .unwrap_or_default();
        self.metrics.render(&Gauges {
            challengers_in_memory: self.registry.len(),
            storage_queue_depth: self.storage.as_ref().map_or(0, Storage::pending),
            storage_last_flush_ms: stats.last_write_ms,
            storage_errors: stats.errors,
            storage_records_written: stats.records_written,
            storage_failing: stats.failing,
        })
    }

    /// The per-learner todo limit, unless lifted.
    pub fn todo_limit(&self) -> Option<usize> {
        (!self.config.unlimited_todos).then_some(MAX_TODOS)
    }

    /// Position (1-based) of a catalogue index in the active list, its `/challenges` id.
    pub fn challenge_number(&self, index: usize) -> Option<usize> {
        self.active
            .indices
            .binary_search(&index)
            .ok()
            .map(|p| p + 1)
    }
}

/// Open storage as configured (None when it is off).
fn open_storage(config: &Config) -> Result<Option<Storage>, StorageOpenError> {
    if !config.storage || config.shared_store {
        return Ok(None);
    }
    match Storage::open(&config.data_dir, config.retention) {
        Ok(storage) => Ok(Some(storage)),
        Err(e) => Err(StorageOpenError {
            dir: config.data_dir.display().to_string(),
            reason: match &e {
                StorageError::CreateDir(io) => {
                    format!("cannot create the directory: {}", describe_io_error(io))
                }
                other => other.to_string(),
            },
        }),
    }
}

/// Storage that cannot be opened at start-up, said as a sentence for the host.
#[derive(Debug)]
pub struct StorageOpenError {
    pub dir: String,
    pub reason: String,
}

impl std::fmt::Display for StorageOpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot open storage in {}: {} (choose another --data-dir, or start with \
             --no-storage to keep progress in memory only)",
            self.dir, self.reason
        )
    }
}

impl std::error::Error for StorageOpenError {}

/// Pause between shards during a sweep, so a large sweep is spread out (at most 256
/// pauses: about 50 ms per sweep, every 5 s).
pub const SWEEP_PAUSE: Duration = Duration::from_micros(200);
/// How often idle learners are swept from memory.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(5);

/// Sweep idle learners out of memory every `SWEEP_INTERVAL` until shutdown begins.
pub async fn sweep_loop(app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(SWEEP_INTERVAL);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                // A sweep of many learners takes tens of milliseconds (mostly freeing
                // them): run it off the request workers so no connection waits for it.
                let app = app.clone();
                let _ = tokio::task::spawn_blocking(move || app.evict_idle_paced(SWEEP_PAUSE)).await;
            }
            _ = stopped.changed() => break,
        }
    }
}
