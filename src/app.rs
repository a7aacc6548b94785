//! The shared state of a running server.

use crate::challenges::Rows;
use crate::config::Config;
use crate::database::Database;
use crate::metrics::{Gauges, Metrics};
use crate::profile::{ActiveSet, Profile};
use crate::session::{Challenger, ChallengerId, Registry, SessionRef};
use crate::todo::MAX_TODOS;

/// Everything handlers share.
pub struct App {
    pub config: Config,
    pub profile: &'static Profile,
    pub active: ActiveSet,
    pub registry: Registry,
    /// The read-only database that multi-user reads without a known learner see.
    pub default_db: Database,
    /// The active challenges, pre-rendered for `/challenges`.
    pub challenge_rows: Rows,
    pub metrics: Metrics,
}

impl App {
    pub fn new(config: Config) -> App {
        let profile = Profile::get(config.profile);
        let active = ActiveSet::new(profile, &config);
        let single = (!config.multi_user).then(|| Challenger::new(ChallengerId::SinglePlayer));
        let registry = Registry::new(
            single,
            config.clock.clone(),
            config.idle_timeout.as_millis() as u64,
            config.max_challengers,
        );
        let challenge_rows = Rows::new(profile, &active);
        App {
            metrics: Metrics::default(),
            challenge_rows,
            config,
            profile,
            active,
            registry,
            default_db: Database::seeded(),
        }
    }

    /// Find a learner in memory, refreshing its idle timer.
    pub fn find(&self, id: &ChallengerId) -> Option<SessionRef> {
        self.registry.get(id)
    }

    /// Put a new or restored learner in memory.
    pub fn admit(&self, challenger: Challenger) -> SessionRef {
        let (session, evicted) = self.registry.insert(challenger);
        self.metrics.evicted(evicted.len());
        session
    }

    /// Sweep idle learners out of memory; returns how many left.
    pub fn evict_idle(&self) -> usize {
        let evicted = self.registry.evict_idle();
        let count = evicted.len();
        self.metrics.evicted(count);
        if count > 0 {
            tracing::info!(
                evicted = count,
                in_memory = self.registry.len(),
                "idle sweep"
            );
        }
        count
    }

    /// The `/metrics` text.
    pub fn render_metrics(&self) -> String {
        self.metrics.render(&Gauges {
            challengers_in_memory: self.registry.len(),
            storage_queue_depth: 0,
            storage_last_flush_ms: 0.0,
            storage_errors: 0,
        })
    }

    /// Called once when the server stops, after in-flight requests finished.
    pub fn on_shutdown(&self) {
        tracing::info!(in_memory = self.registry.len(), "server stopped");
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
