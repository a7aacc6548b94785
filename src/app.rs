//! The shared state of a running server, and how learners move between memory and
//! storage.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::watch;
use uuid::Uuid;

use crate::challenges::listing::Rows;
use crate::challenges::profile::{ActiveSet, Profile};
use crate::config::Config;
use crate::learners::redis::SharedStore;
use crate::learners::registry::{
    Challenger, ChallengerId, Progress, Registry, SessionRef, SINGLE_PLAYER,
};
use crate::learners::sqlite::{Record, Storage};
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
}

impl App {
    /// A learner's progress as `GET /challenger/{guid}` answers it: the auth token, the
    /// GUID, the secret note and one boolean per active challenge key.
    pub fn progress_json(&self, learner: &Challenger) -> String {
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

    pub fn new(mut config: Config) -> App {
        let storage = open_storage(&config);
        // The active set depends on whether progress really is being saved.
        config.storage = storage.is_some() || config.shared_store;
        let profile = Profile::get(config.profile);
        let active = ActiveSet::new(profile, &config);
        let registry = Registry::new(
            None,
            config.clock.clone(),
            config.idle_timeout.as_millis() as u64,
            config.max_challengers,
        );
        let mut app = App {
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
                .unwrap_or_else(|| Challenger::new(ChallengerId::SinglePlayer));
            app.registry = Registry::new(
                Some(single),
                app.config.clock.clone(),
                app.config.idle_timeout.as_millis() as u64,
                app.config.max_challengers,
            );
        }
        app
    }

    /// Find a learner in memory, or bring it back from storage; refreshes its idle timer.
    pub fn find(&self, id: &ChallengerId) -> Option<SessionRef> {
        if let Some(session) = self.registry.get(id) {
            return Some(session);
        }
        let mut learner = self.load(&id.to_string())?;
        learner.loaded_from_storage = true;
        let (session, evicted) = self.registry.get_or_insert(learner);
        self.retire(evicted);
        Some(session)
    }

    /// Put a new or restored learner in memory.
    pub fn admit(&self, challenger: Challenger) -> SessionRef {
        let (session, evicted) = self.registry.insert(challenger);
        self.retire(evicted);
        session
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
            if evicted.is_empty() {
                continue;
            }
            count += evicted.len();
            self.retire(evicted);
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

    /// Learners leaving memory: make sure storage has their latest state.
    fn retire(&self, evicted: Vec<SessionRef>) {
        self.metrics.evicted(evicted.len());
        for session in &evicted {
            self.save_if_changed(session);
        }
    }

    /// Hand a learner's state to storage if it changed since it was last handed over.
    /// Storage writes in the background; this never touches the disk.
    pub fn save_if_changed(&self, session: &SessionRef) {
        let record = self.unsaved_record(&mut session.state.lock());
        if let (Some(storage), Some(record)) = (&self.storage, record) {
            storage.save(record);
        }
    }

    /// The learner's record if storage is on and has not seen its latest state; marks
    /// that state as handed over. The caller saves it after releasing the lock.
    pub fn unsaved_record(&self, learner: &mut Challenger) -> Option<Record> {
        if self.storage.is_none() || learner.saved_version == learner.version {
            return None;
        }
        learner.saved_version = learner.version;
        Some(self.record_of(learner))
    }

    /// What storage keeps of a learner.
    pub fn record_of(&self, learner: &Challenger) -> Record {
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

    /// Load a learner from storage; a record that does not make sense is ignored.
    fn load(&self, guid: &str) -> Option<Challenger> {
        let record = self.storage.as_ref()?.load(guid)?;
        if record.guid != guid {
            return None;
        }
        self.challenger_from(record)
    }

    /// A learner as a storage record describes it; `None` for a GUID that does not
    /// parse back to itself.
    pub fn challenger_from(&self, record: Record) -> Option<Challenger> {
        let id = ChallengerId::parse(&record.guid).filter(|id| id.to_string() == record.guid)?;
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
        Some(Challenger {
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
        for session in &all {
            self.save_if_changed(session);
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

/// Open storage as configured; a failure is logged and the server runs from memory.
fn open_storage(config: &Config) -> Option<Storage> {
    if !config.storage || config.shared_store {
        return None;
    }
    match Storage::open(&config.data_dir, config.retention) {
        Ok(storage) => Some(storage),
        Err(e) => {
            tracing::error!(
                data_dir = %config.data_dir.display(),
                error = ?e,
                "storage could not be opened; progress will not be saved"
            );
            None
        }
    }
}

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
