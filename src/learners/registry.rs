//! Learners and the registry that holds them in memory.
//!
//! One word per concept: a *learner* is one person's progress, todos and secret
//! (`Learner`, named by a `LearnerId`); the registry holds each as a `LearnerEntry`
//! (the state behind its lock, and when it was last seen), handed out as a
//! `LearnerRef`. "Challenger" is the API's word for the same person (`/challenger`,
//! `X-CHALLENGER`) and stays in the API's names and messages.
//!
//! The registry is split into shards, each a `parking_lot::RwLock<HashMap>`, so a
//! request only ever read-locks one small shard to find its learner, and the idle
//! sweep write-locks one shard at a time, and only when that shard has something to
//! evict. Each learner's state sits behind its own `Mutex`; its last-seen time is an
//! atomic, so touching a learner needs no write lock anywhere.
//!
//! Eviction never loses a write, by two rules:
//! - a learner some request still holds (its `Arc` is shared) is never evicted, so no
//!   request can write into a copy that has left memory;
//! - a learner leaves through the registry's `on_leave` hook, called while its shard
//!   is still write-locked and its own lock held. The hook hands the latest state to
//!   storage (which makes it visible to loads at once), so a request that misses the
//!   learner in memory and reads storage always sees that state.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use uuid::Uuid;

use crate::learners::clock::Clock;
use crate::todo::database::Database;

/// The GUID of the implicit learner in single-user mode.
pub const SINGLE_PLAYER: &str = "rest-api-challenges-single-player";

/// A learner's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LearnerId {
    SinglePlayer,
    Guid(Uuid),
}

impl LearnerId {
    /// Parse a GUID as sent by a client: the single-player id, or a UUID in its
    /// canonical 36-character hyphenated form (any case).
    pub fn parse(text: &str) -> Option<LearnerId> {
        if text == SINGLE_PLAYER {
            return Some(LearnerId::SinglePlayer);
        }
        if text.len() != 36 {
            return None;
        }
        Uuid::try_parse(text).ok().map(LearnerId::Guid)
    }
}

impl LearnerId {
    /// Call `f` with the GUID as text, formatted on the stack (no allocation).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self {
            LearnerId::SinglePlayer => f(SINGLE_PLAYER),
            LearnerId::Guid(u) => {
                let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
                f(u.hyphenated().encode_lower(&mut buf))
            }
        }
    }
}

impl fmt::Display for LearnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LearnerId::SinglePlayer => f.write_str(SINGLE_PLAYER),
            LearnerId::Guid(u) => fmt::Display::fmt(&u.hyphenated(), f),
        }
    }
}

/// Which challenges a learner has completed: one bit per catalogue index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress(u128);

impl Progress {
    pub fn is_done(&self, index: usize) -> bool {
        index < 128 && self.0 & (1 << index) != 0
    }
    /// Mark done; true when this changed anything.
    pub fn mark(&mut self, index: usize) -> bool {
        let before = self.0;
        if index < 128 {
            self.0 |= 1 << index;
        }
        before != self.0
    }
    pub fn set(&mut self, index: usize, done: bool) {
        if index < 128 {
            if done {
                self.0 |= 1 << index;
            } else {
                self.0 &= !(1 << index);
            }
        }
    }
    pub fn bits(&self) -> u128 {
        self.0
    }
    pub fn from_bits(bits: u128) -> Progress {
        Progress(bits)
    }
}

/// Everything the server knows about one learner.
#[derive(Clone)]
pub struct Learner {
    pub id: LearnerId,
    /// The learner's secret token (`X-AUTH-TOKEN`), stable for its life.
    pub auth_token: Uuid,
    pub note: String,
    pub progress: Progress,
    pub db: Database,
    /// Re-loaded from storage since it was last created in memory (#70, #71).
    pub loaded_from_storage: bool,
    /// Bumped on every change, so storage can tell what it has not yet written.
    pub version: u64,
    /// The version last handed to storage.
    pub saved_version: u64,
    /// How this copy stands against the shared store (`--redis`); unused otherwise.
    pub shared: SharedCopy,
}

/// Where an in-memory learner stands against the shared store, so a request can tell
/// with one small command whether its copy is still the latest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SharedCopy {
    /// The shared store's version of the learner this copy holds: 0 while it has never
    /// been written there, [`SharedCopy::STALE`] when it must be read again.
    pub version: u64,
    /// When this instance last refreshed the learner's expiry (clock milliseconds).
    pub expiry_refreshed_ms: u64,
}

impl SharedCopy {
    /// No shared version is ever this: a copy marked so is always re-read.
    pub const STALE: u64 = u64::MAX;
}

impl Learner {
    /// A brand-new learner with seeded todos.
    pub fn new(id: LearnerId) -> Learner {
        Learner {
            id,
            auth_token: Uuid::new_v4(),
            note: String::new(),
            progress: Progress::default(),
            db: Database::seeded(),
            loaded_from_storage: false,
            version: 1,
            saved_version: 0,
            shared: SharedCopy::default(),
        }
    }

    /// Record that the state changed.
    pub fn touch_version(&mut self) {
        self.version += 1;
    }
}

/// A learner in memory: its state and when it was last seen.
pub struct LearnerEntry {
    pub state: Mutex<Learner>,
    last_seen_ms: AtomicU64,
}

impl LearnerEntry {
    fn new(learner: Learner, now_ms: u64) -> LearnerEntry {
        LearnerEntry {
            state: Mutex::new(learner),
            last_seen_ms: AtomicU64::new(now_ms),
        }
    }

    fn touch(&self, now_ms: u64) {
        self.last_seen_ms.fetch_max(now_ms, Ordering::Relaxed);
    }

    fn last_seen(&self) -> u64 {
        self.last_seen_ms.load(Ordering::Relaxed)
    }
}

/// A shared handle to a learner in memory.
pub type LearnerRef = Arc<LearnerEntry>;

/// Called for each learner leaving memory, with its shard write-locked and its own
/// lock held: must hand any unsaved state to storage without blocking.
pub type OnLeave = Arc<dyn Fn(&mut Learner) + Send + Sync>;

/// True when only the registry holds the learner: no request is using it. Read with
/// the learner's shard write-locked, so no new handle can be taken meanwhile.
fn unheld(entry: &LearnerRef) -> bool {
    Arc::strong_count(entry) == 1
}

const SHARDS: usize = 256;

type Shard = RwLock<HashMap<Uuid, LearnerRef>>;

/// All learners in memory.
pub struct Registry {
    shards: Box<[Shard]>,
    single: Option<LearnerRef>,
    count: AtomicUsize,
    /// Shard the next capacity eviction looks in (round robin).
    cursor: AtomicUsize,
    clock: Arc<dyn Clock>,
    idle_ms: u64,
    max: usize,
    on_leave: OnLeave,
}

impl Registry {
    /// `single` is the single-user learner, if in single-user mode; `on_leave` sees
    /// every learner evicted.
    pub fn new(
        single: Option<Learner>,
        clock: Arc<dyn Clock>,
        idle_ms: u64,
        max: usize,
        on_leave: OnLeave,
    ) -> Registry {
        let now = clock.now_ms();
        Registry {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            single: single.map(|c| Arc::new(LearnerEntry::new(c, now))),
            count: AtomicUsize::new(0),
            cursor: AtomicUsize::new(0),
            clock,
            idle_ms,
            max: max.max(1),
            on_leave,
        }
    }

    fn shard(&self, guid: &Uuid) -> &Shard {
        // UUID v4 bits are random: the low byte spreads learners evenly.
        &self.shards[guid.as_bytes()[15] as usize % SHARDS]
    }

    /// The single-user learner, in single-user mode.
    pub fn single(&self) -> Option<&LearnerRef> {
        self.single.as_ref()
    }

    /// Find a learner in memory and refresh its idle timer.
    pub fn get(&self, id: &LearnerId) -> Option<LearnerRef> {
        let entry = match id {
            LearnerId::SinglePlayer => self.single.clone(),
            LearnerId::Guid(g) => self.shard(g).read().get(g).cloned(),
        }?;
        entry.touch(self.clock.now_ms());
        Some(entry)
    }

    /// True when the learner is in memory (does not refresh it).
    pub fn contains(&self, id: &LearnerId) -> bool {
        match id {
            LearnerId::SinglePlayer => self.single.is_some(),
            LearnerId::Guid(g) => self.shard(g).read().contains_key(g),
        }
    }

    /// Learners in memory, the single-user learner excluded.
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Put a learner in memory unless one with the same GUID is already there (two
    /// requests may bring the same learner in at once); returns the one in memory,
    /// whether it is the one given, and how many learners were evicted to make room.
    /// When the registry is full, an approximately least recently seen learner that no
    /// request holds is evicted first.
    pub fn get_or_insert(&self, challenger: Learner) -> (LearnerRef, bool, usize) {
        if let Some(existing) = self.get(&challenger.id) {
            return (existing, false, 0);
        }
        let LearnerId::Guid(guid) = challenger.id else {
            let single = self.single.clone().expect("single-user learner exists");
            *single.state.lock() = challenger;
            return (single, true, 0);
        };
        let evicted = self.make_room();
        let mut shard = self.shard(&guid).write();
        if let Some(existing) = shard.get(&guid) {
            return (existing.clone(), false, evicted);
        }
        let entry = Arc::new(LearnerEntry::new(challenger, self.clock.now_ms()));
        shard.insert(guid, Arc::clone(&entry));
        self.count.fetch_add(1, Ordering::Relaxed);
        (entry, true, evicted)
    }

    /// Evict learners until there is room for one more. When every candidate is in use
    /// the registry goes over its bound for a moment: by at most the number of
    /// requests in flight.
    fn make_room(&self) -> usize {
        let mut evicted = 0;
        while self.len() >= self.max && self.evict_one_lru() {
            evicted += 1;
        }
        evicted
    }

    /// Evict an approximately least recently seen learner no request holds: the oldest
    /// among the oldest such learners of up to `LRU_SAMPLE` non-empty shards, visited
    /// round robin. With few learners every shard is visited, so the choice is exact.
    /// A candidate taken up by a request before its shard is write-locked is skipped
    /// and the search tried again, a few times.
    fn evict_one_lru(&self) -> bool {
        const LRU_SAMPLE: usize = 16;
        const ATTEMPTS: usize = 4;
        for _ in 0..ATTEMPTS {
            let start = self.cursor.fetch_add(1, Ordering::Relaxed);
            let mut oldest: Option<(u64, usize, Uuid)> = None;
            let mut sampled = 0;
            for step in 0..SHARDS {
                let index = (start + step) % SHARDS;
                let shard = self.shards[index].read();
                let Some((guid, seen)) = shard
                    .iter()
                    .filter(|(_, s)| unheld(s))
                    .map(|(g, s)| (*g, s.last_seen()))
                    .min_by_key(|(_, seen)| *seen)
                else {
                    continue;
                };
                if oldest.is_none_or(|(best, _, _)| seen < best) {
                    oldest = Some((seen, index, guid));
                }
                sampled += 1;
                if sampled == LRU_SAMPLE {
                    break;
                }
            }
            let Some((_, index, guid)) = oldest else {
                return false;
            };
            let mut shard = self.shards[index].write();
            if self.leave(&mut shard, &guid, |_| true) {
                return true;
            }
        }
        false
    }

    /// Take one learner out of a write-locked shard if no request holds it, its lock is
    /// free and `still` agrees, handing it to `on_leave` first. True when it left.
    fn leave(
        &self,
        shard: &mut HashMap<Uuid, LearnerRef>,
        guid: &Uuid,
        still: impl Fn(&LearnerRef) -> bool,
    ) -> bool {
        let Some(entry) = shard.get(guid) else {
            return false;
        };
        if !unheld(entry) || !still(entry) {
            return false;
        }
        // Nobody holds the handle, so nobody holds the lock either; `try_lock` keeps
        // that from ever becoming a wait under the shard lock.
        let Some(mut learner) = entry.state.try_lock() else {
            return false;
        };
        (self.on_leave)(&mut learner);
        drop(learner);
        shard.remove(guid);
        self.count.fetch_sub(1, Ordering::Relaxed);
        true
    }

    /// Remove learners idle for longer than the idle timeout; returns how many left.
    pub fn evict_idle(&self) -> usize {
        (0..SHARDS).map(|i| self.evict_idle_in(i)).sum()
    }

    /// Number of shards, for callers that sweep one shard at a time.
    pub fn shard_count(&self) -> usize {
        SHARDS
    }

    /// Remove the idle learners of one shard no request holds; returns how many left.
    /// The shard is scanned under its read lock and write-locked only to remove what
    /// the scan found, so requests are never held up by a scan.
    pub fn evict_idle_in(&self, shard: usize) -> usize {
        let Some(shard) = self.shards.get(shard) else {
            return 0;
        };
        let now = self.clock.now_ms();
        let is_idle = |s: &LearnerRef| now.saturating_sub(s.last_seen()) >= self.idle_ms;
        let candidates: Vec<Uuid> = shard
            .read()
            .iter()
            .filter(|(_, s)| is_idle(s))
            .map(|(g, _)| *g)
            .collect();
        if candidates.is_empty() {
            return 0;
        }
        let mut shard = shard.write();
        // Re-checked: the learner may have come back since the scan.
        candidates
            .iter()
            .filter(|guid| self.leave(&mut shard, guid, is_idle))
            .count()
    }

    /// Every learner in memory (for a final save at shutdown).
    pub fn all(&self) -> Vec<LearnerRef> {
        let mut out: Vec<LearnerRef> = self.single.iter().cloned().collect();
        for shard in self.shards.iter() {
            out.extend(shard.read().values().cloned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learners::clock::ManualClock;

    /// The GUID and todo count of each learner `on_leave` saw.
    type Leavers = Arc<Mutex<Vec<(LearnerId, usize)>>>;

    /// A registry whose `on_leave` records each leaver.
    fn registry(clock: Arc<ManualClock>, max: usize) -> (Registry, Leavers) {
        let left = Arc::new(Mutex::new(Vec::new()));
        let seen = left.clone();
        let on_leave: OnLeave = Arc::new(move |c: &mut Learner| {
            seen.lock().push((c.id, c.db.len()));
        });
        (Registry::new(None, clock, 600_000, max, on_leave), left)
    }

    fn new_learner() -> Learner {
        Learner::new(LearnerId::Guid(Uuid::new_v4()))
    }

    /// Insert and let go of the handle, as a finished request does.
    fn admit(reg: &Registry) -> LearnerId {
        let learner = new_learner();
        let id = learner.id;
        let (_, inserted, _) = reg.get_or_insert(learner);
        assert!(inserted);
        id
    }

    #[test]
    fn ids_parse_and_display_round_trip() {
        let g = "0b3a8d4c-9f5e-4e0a-8a8c-2f1d3c4b5a69";
        assert_eq!(LearnerId::parse(g).unwrap().to_string(), g);
        assert_eq!(
            LearnerId::parse(SINGLE_PLAYER),
            Some(LearnerId::SinglePlayer)
        );
        assert_eq!(LearnerId::parse("abc"), None);
        assert_eq!(LearnerId::parse("0b3a8d4c9f5e4e0a8a8c2f1d3c4b5a69"), None);
    }

    #[test]
    fn progress_bits_mark_and_clear() {
        let mut p = Progress::default();
        assert!(p.mark(98));
        assert!(!p.mark(98));
        assert!(p.is_done(98) && !p.is_done(97));
        p.set(98, false);
        assert_eq!(p.bits(), 0);
        assert!(!p.mark(500));
    }

    #[test]
    fn idle_learners_are_evicted_and_recent_ones_kept() {
        let clock = Arc::new(ManualClock::default());
        let (reg, left) = registry(clock.clone(), 100);
        let a = admit(&reg);
        let b = admit(&reg);
        clock.advance_ms(599_999);
        assert!(reg.get(&b).is_some());
        assert_eq!(reg.evict_idle(), 0);
        clock.advance_ms(1);
        assert_eq!(reg.evict_idle(), 1);
        assert_eq!(left.lock().as_slice(), &[(a, 10)]);
        assert_eq!(reg.len(), 1);
        assert!(reg.contains(&b));
    }

    #[test]
    fn a_full_registry_evicts_the_least_recently_seen() {
        let clock = Arc::new(ManualClock::default());
        let (reg, left) = registry(clock.clone(), 2);
        let a = admit(&reg);
        clock.advance_ms(10);
        let b = admit(&reg);
        clock.advance_ms(10);
        let (_, _, evicted) = reg.get_or_insert(new_learner());
        assert_eq!(reg.len(), 2);
        assert_eq!(evicted, 1);
        assert_eq!(left.lock()[0].0, a);
        assert!(!reg.contains(&a));
        assert!(reg.contains(&b));
    }

    #[test]
    fn a_learner_a_request_holds_is_never_evicted() {
        let clock = Arc::new(ManualClock::default());
        let (reg, left) = registry(clock.clone(), 1);
        let held_id = admit(&reg);
        let held = reg.get(&held_id).unwrap();
        clock.advance_ms(600_000);
        assert_eq!(reg.evict_idle(), 0, "idle but in use");
        // Full, and the only candidate is in use: the registry goes over its bound
        // rather than evict it.
        let other = admit(&reg);
        assert!(reg.contains(&held_id) && reg.contains(&other));
        assert!(left.lock().is_empty());
        // The request writes, then lets go: now it may leave, with that write.
        held.state.lock().db = Database::from_todos(Vec::new());
        drop(held);
        clock.advance_ms(600_000);
        assert_eq!(reg.evict_idle(), 2);
        assert!(left.lock().contains(&(held_id, 0)));
    }

    #[test]
    fn single_user_learner_is_never_evicted() {
        let clock = Arc::new(ManualClock::default());
        let reg = Registry::new(
            Some(Learner::new(LearnerId::SinglePlayer)),
            clock.clone(),
            1,
            10,
            Arc::new(|_: &mut Learner| {}),
        );
        clock.advance_ms(10_000);
        assert_eq!(reg.evict_idle(), 0);
        assert!(reg.get(&LearnerId::SinglePlayer).is_some());
    }
}
