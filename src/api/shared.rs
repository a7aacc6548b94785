//! Requests for learners kept in the shared store (`--redis`), so any instance behind
//! a plain round-robin balancer can answer any learner.
//!
//! Each instance keeps in-memory copies of learners, as on one machine; around the
//! ordinary pipeline:
//! 1. *before*: each learner the request names is checked against the store with one
//!    `HGET` of its version; a copy that is missing or behind is read again (`HGETALL`);
//! 2. the pipeline runs on the copy, exactly as on one machine;
//! 3. *after*: whatever the request changed is written before the answer leaves, so
//!    the very next request, on any instance, sees it.
//!
//! Concurrency: optimistic versions with re-execution. A change to a learner's todos,
//! note, token or restored progress is written only if the learner is still at the
//! version the copy was read at (one Lua script, atomic in Redis); if another
//! instance got there first, the copy is read again and the request runs again on
//! it, so its answer and its effect are those of a request that came after the other
//! one (30 parallel creates on three instances give exactly the creates the limit
//! allows). Completed challenges are written as single hash fields that only ever
//! get set, so they need no version check and two instances completing different
//! challenges at once both keep theirs. On one instance, changing requests of one
//! learner take turns (a striped async lock), so a re-run never repeats a change
//! another local request made; read-only requests never wait for that turn.
//!
//! Redis unreachable: every command is bounded
//! ([`crate::learners::redis::COMMAND_TIMEOUT`]); a request that
//! needs the store answers 503 with a plain-text body, and marks the copies it may
//! have changed as stale, so nothing unacknowledged survives in memory.

use std::time::{Duration, Instant};

use hyper::header::HeaderName;
use hyper::HeaderMap;
use hyper::StatusCode;
use uuid::Uuid;

use crate::api::pipeline::{self, Marks};
use crate::api::request::{ApiRequest, Route, X_CHALLENGER};
use crate::app::App;
use crate::http::reply::Reply;
use crate::learners::redis::{Expect, SharedStore, StoreError, Write, Written};
use crate::learners::registry::{LearnerId, LearnerRef, Progress, SharedCopy};
use crate::todo::database::Database;

/// How often a learner's expiry is pushed back while it is in use (per instance): a
/// read-only request costs a second command at most this often.
pub const EXPIRY_REFRESH_MS: u64 = 60_000;

/// The longest a request spends waiting for its turn and re-running after conflicts
/// before it is answered 503.
const BUDGET: Duration = Duration::from_secs(5);

/// The most times a request runs (the first run included).
const MAX_RUNS: usize = 100;

/// Answer one API request with its learners read from and written to the store.
pub async fn process(app: &App, store: &SharedStore, req: &ApiRequest<'_>) -> Reply {
    if matches!(req.route, Route::Heartbeat) {
        if let Err(e) = store.ping().await {
            return unavailable(req, &e);
        }
    }
    let started = Instant::now();
    let named = named_learners(app, req);
    let changing = !(is_safe(req.real_method) && is_safe(req.method));
    let mut stripes: Vec<usize> = if changing {
        named
            .iter()
            .map(|id| id.with_text(|guid| store.turn_index(guid)))
            .collect()
    } else {
        Vec::new()
    };
    // Always taken in ascending order, so two requests can never deadlock on turns.
    stripes.sort_unstable();
    stripes.dedup();
    let mut turns = Vec::with_capacity(stripes.len());
    for stripe in stripes {
        match tokio::time::timeout(BUDGET, store.turn(stripe).lock()).await {
            Ok(turn) => turns.push(turn),
            Err(_) => return busy(req),
        }
    }
    for _ in 0..MAX_RUNS {
        if started.elapsed() > BUDGET {
            break;
        }
        let mut before = Vec::with_capacity(named.len());
        for id in &named {
            match sync(app, store, id).await {
                Ok(Some(b)) => before.push(b),
                Ok(None) => {}
                Err(e) => return unavailable(req, &e),
            }
        }
        let mut marks = Marks::new();
        let reply = pipeline::process_marking(app, req, &mut marks);
        match record(app, store, &reply, &before, &marks, changing).await {
            Ok(Recorded::Written) => return reply,
            Ok(Recorded::Conflict) => continue,
            Err(e) => {
                forget_unwritten(&before, &marks);
                return unavailable(req, &e);
            }
        }
    }
    busy(req)
}

/// Bring the copies of the learners a site page names up to date (pages only read).
/// `Err` is the 503 to answer.
pub async fn sync_for_page(
    app: &App,
    store: &SharedStore,
    path: &str,
    raw_query: &str,
    headers: &HeaderMap,
) -> Result<(), Reply> {
    let mut named: Vec<LearnerId> = Vec::new();
    if app.registry.single().is_some() {
        named.push(LearnerId::SinglePlayer);
    } else {
        let cookies = headers
            .get_all(hyper::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.split_once('=').map(|(_, value)| value));
        let segments = path.split('/');
        let query = raw_query
            .split('&')
            .filter_map(|p| p.split_once('=').map(|(_, v)| v));
        for text in segments.chain(query).chain(cookies) {
            if let Some(id @ LearnerId::Guid(_)) = LearnerId::parse(text.trim()) {
                if !named.contains(&id) {
                    named.push(id);
                }
            }
            if named.len() == 4 {
                break;
            }
        }
    }
    for id in &named {
        if let Err(e) = sync(app, store, id).await {
            let mut reply = unavailable_reply(&e);
            reply.set_header(hyper::header::CONTENT_TYPE, "text/plain; charset=utf-8");
            return Err(reply);
        }
    }
    Ok(())
}

/// The learners a request names: the single player, the `X-CHALLENGER` header (its
/// first 36 characters when oversized), the GUID in a challenger route's path.
fn named_learners(app: &App, req: &ApiRequest) -> Vec<LearnerId> {
    if app.registry.single().is_some() {
        return vec![LearnerId::SinglePlayer];
    }
    let mut named = Vec::with_capacity(2);
    if let Some(header) = req.challenger_header() {
        let id = LearnerId::parse(header).or_else(|| {
            let limit = app.profile.behaviour.challenger_header_limit?;
            (header.len() > limit)
                .then(|| header.get(..36).and_then(LearnerId::parse))
                .flatten()
        });
        named.extend(id);
    }
    if let Route::ChallengerProgress(guid) | Route::ChallengerDatabase(guid) = req.route {
        if let Some(id) = LearnerId::parse(guid).filter(|id| !named.contains(id)) {
            named.push(id);
        }
    }
    named
}

/// Methods that never change a learner's todos, note or token (they may still
/// complete challenges).
fn is_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// A learner's copy as the request found it, once checked against the store.
struct Before {
    guid: String,
    entry: LearnerRef,
    /// What a write of the learner's whole state must expect.
    expect: Expect,
    db: Database,
    note: String,
    auth_token: Uuid,
    progress: Progress,
}

/// Make the in-memory copy of `id` the store's latest; `None` when the learner is
/// neither in memory nor in the store.
async fn sync(
    app: &App,
    store: &SharedStore,
    id: &LearnerId,
) -> Result<Option<Before>, StoreError> {
    let guid = id.to_string();
    let now = app.config.clock.now_ms();
    let entry = match app.registry.get(id) {
        Some(entry) => {
            let copy = entry.state.lock().shared;
            let current = store.version(&guid).await?;
            if current == copy.version {
                let due = now.saturating_sub(copy.expiry_refreshed_ms) >= EXPIRY_REFRESH_MS;
                if current != 0 && due {
                    store.refresh_expiry(&guid).await?;
                    entry.state.lock().shared.expiry_refreshed_ms = now;
                }
            } else if current == 0 && copy.version != SharedCopy::STALE {
                // The store lost a learner this copy knows (flushed, or it expired in
                // the meantime): write the copy back rather than lose it.
                write_back(app, store, &guid, &entry, now).await?;
            } else {
                match store.load(&guid, false).await? {
                    Some((version, record)) => {
                        install(app, Some(&entry), version, record, now)?;
                    }
                    None => {
                        // Gone since the version was read; this copy is all there is.
                        entry.state.lock().shared.version = 0;
                    }
                };
            }
            entry
        }
        None => match store.load(&guid, true).await? {
            None => return Ok(None),
            Some((version, record)) => install(app, None, version, record, now)?,
        },
    };
    let learner = entry.state.lock();
    let expect = match learner.shared.version {
        0 => Expect::Absent,
        v => Expect::Version(v),
    };
    let before = Before {
        guid,
        entry: entry.clone(),
        expect,
        db: learner.db.clone(),
        note: learner.note.clone(),
        auth_token: learner.auth_token,
        progress: learner.progress,
    };
    Ok(Some(before))
}

/// Write a copy the store lost back to it.
async fn write_back(
    app: &App,
    store: &SharedStore,
    guid: &str,
    entry: &LearnerRef,
    now: u64,
) -> Result<(), StoreError> {
    let record = app.record_of(&entry.state.lock());
    let write = Write {
        expect: Expect::Absent,
        state: Some(&record),
        completed: &[],
        forgotten: &[],
    };
    match store.write(guid, &write).await? {
        Written::Done(version) => {
            tracing::warn!(guid, "learner missing from the shared store; written back");
            let mut learner = entry.state.lock();
            learner.shared = SharedCopy {
                version,
                expiry_refreshed_ms: now,
            };
        }
        // Another instance wrote it back first: read theirs on the next request.
        Written::Conflict(_) => entry.state.lock().shared.version = SharedCopy::STALE,
    }
    Ok(())
}

/// Put a learner read from the store in memory: into `existing`'s place, or as a new
/// copy; an older read never replaces a newer copy.
fn install(
    app: &App,
    existing: Option<&LearnerRef>,
    version: u64,
    record: crate::learners::sqlite::Record,
    now: u64,
) -> Result<LearnerRef, StoreError> {
    let guid = record.guid.clone();
    let mut fresh = app
        .challenger_from(record)
        .ok_or_else(|| StoreError::Corrupt(format!("learner {guid}: GUID does not parse")))?;
    fresh.shared = SharedCopy {
        version,
        expiry_refreshed_ms: now,
    };
    let entry = match existing {
        Some(entry) => entry.clone(),
        None => {
            fresh.loaded_from_storage = true;
            // Every acknowledged change is in the store already: an evicted copy
            // needs no saving.
            let (entry, _) = app.admit(fresh.clone());
            entry
        }
    };
    let mut learner = entry.state.lock();
    let known = learner.shared.version;
    if known == 0 || known == SharedCopy::STALE || version > known {
        let loaded = existing.is_none_or(|_| learner.loaded_from_storage);
        *learner = fresh;
        learner.loaded_from_storage = loaded;
    }
    drop(learner);
    Ok(entry)
}

/// What writing a request's changes came to.
enum Recorded {
    /// Everything the request changed is in the store (or it changed nothing).
    Written,
    /// A learner changed elsewhere since it was read: read again and run again.
    Conflict,
}

/// Write what the request changed, before it is answered.
async fn record(
    app: &App,
    store: &SharedStore,
    reply: &Reply,
    before: &[Before],
    marks: &Marks,
    changing: bool,
) -> Result<Recorded, StoreError> {
    let now = app.config.clock.now_ms();
    for b in before {
        let gained = marked_for(marks, &b.entry);
        let (record, forgotten) = {
            let learner = b.entry.state.lock();
            // Only a changing request may write todos, note or token: in a read-only
            // one, a difference is another local request's change, not yet written.
            let data_changed = changing
                && (!learner.db.same_list(&b.db)
                    || learner.note != b.note
                    || learner.auth_token != b.auth_token);
            let lost = Progress::from_bits(b.progress.bits() & !learner.progress.bits());
            let forgot = changing && lost != Progress::default();
            let whole = data_changed
                || forgot
                || (b.expect == Expect::Absent && gained != Progress::default());
            if !whole && gained == Progress::default() {
                continue;
            }
            let record = whole.then(|| app.record_of(&learner));
            (record, keys(app, lost))
        };
        let completed = keys(app, gained);
        let write = match &record {
            Some(record) => Write {
                expect: b.expect,
                state: Some(record),
                completed: &[],
                forgotten: &forgotten,
            },
            None => Write {
                expect: Expect::Exists,
                state: None,
                completed: &completed,
                forgotten: &[],
            },
        };
        match store.write(&b.guid, &write).await? {
            Written::Done(version) => {
                let mut learner = b.entry.state.lock();
                let base = match b.expect {
                    Expect::Version(v) => v,
                    _ => 0,
                };
                // After a whole-state write the copy is the store's; after adding
                // challenges, only if nobody else wrote in between.
                let exact = record.is_some() || version == base + 1;
                if learner.shared.version == base && exact {
                    learner.shared = SharedCopy {
                        version,
                        expiry_refreshed_ms: now,
                    };
                }
            }
            Written::Conflict(_) => {
                b.entry.state.lock().shared.version = SharedCopy::STALE;
                return Ok(Recorded::Conflict);
            }
        }
    }
    // Learners the request created (POST /challenger) or credited without naming them.
    let mut others: Vec<LearnerRef> = Vec::new();
    let answered = reply
        .headers
        .get(&X_CHALLENGER)
        .and_then(|v| v.to_str().ok())
        .and_then(LearnerId::parse)
        .and_then(|id| app.registry.get(&id));
    for entry in answered
        .into_iter()
        .chain(marks.iter().map(|(s, _)| s.clone()))
    {
        let known = |s: &LearnerRef| LearnerRef::ptr_eq(s, &entry);
        if !before.iter().any(|b| known(&b.entry)) && !others.iter().any(known) {
            others.push(entry);
        }
    }
    for entry in &others {
        let (guid, record) = {
            let learner = entry.state.lock();
            let record = (learner.shared.version == 0).then(|| app.record_of(&learner));
            (learner.id.to_string(), record)
        };
        let completed = keys(app, marked_for(marks, entry));
        let write = match &record {
            Some(record) => Write {
                expect: Expect::Absent,
                state: Some(record),
                completed: &[],
                forgotten: &[],
            },
            None if completed.is_empty() => continue,
            None => Write {
                expect: Expect::Exists,
                state: None,
                completed: &completed,
                forgotten: &[],
            },
        };
        match store.write(&guid, &write).await? {
            Written::Done(version) => {
                let mut learner = entry.state.lock();
                if record.is_some() && learner.shared.version == 0 {
                    learner.shared = SharedCopy {
                        version,
                        expiry_refreshed_ms: now,
                    };
                }
            }
            // A brand-new GUID already taken: run again (it gets another).
            Written::Conflict(_) if record.is_some() => return Ok(Recorded::Conflict),
            // Credited, but no longer in the store: its copy is all there is.
            Written::Conflict(_) => {}
        }
    }
    Ok(Recorded::Written)
}

/// The challenges `marks` holds for `session`.
fn marked_for(marks: &Marks, entry: &LearnerRef) -> Progress {
    let bits = marks
        .iter()
        .filter(|(s, _)| LearnerRef::ptr_eq(s, entry))
        .fold(0u128, |all, (_, p)| all | p.bits());
    Progress::from_bits(bits)
}

/// Catalogue keys of the challenges in `progress`.
fn keys(app: &App, progress: Progress) -> Vec<String> {
    if progress == Progress::default() {
        return Vec::new();
    }
    app.profile
        .catalogue
        .iter()
        .enumerate()
        .filter(|(i, _)| progress.is_done(*i))
        .map(|(_, c)| c.key.to_string())
        .collect()
}

/// After a failed write: copies that may hold changes the store never got are read
/// again on their next request, so nothing unacknowledged survives in memory.
fn forget_unwritten(before: &[Before], marks: &Marks) {
    let entries = before
        .iter()
        .map(|b| &b.entry)
        .chain(marks.iter().map(|(s, _)| s));
    for entry in entries {
        let mut learner = entry.state.lock();
        if learner.shared.version != 0 {
            learner.shared.version = SharedCopy::STALE;
        }
    }
}

/// 503: the store could not be reached in time.
fn unavailable(req: &ApiRequest, error: &StoreError) -> Reply {
    let mut reply = unavailable_reply(error);
    pipeline::add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    reply
}

fn unavailable_reply(error: &StoreError) -> Reply {
    tracing::warn!(error = %error, "answered 503: shared store unavailable");
    let text = match error {
        StoreError::Unavailable(_) | StoreError::TimedOut => {
            "Service unavailable: the shared store (Redis) cannot be reached. Please try again shortly.\n"
        }
        StoreError::Corrupt(_) => {
            "Service unavailable: this challenger's stored state could not be read.\n"
        }
    };
    let mut reply = Reply::body(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        text.to_string(),
    );
    reply.set_header(RETRY_AFTER, "1");
    reply
}

/// 503: a learner changed so often, so concurrently, that this request could not get
/// its change in within the budget.
fn busy(req: &ApiRequest) -> Reply {
    let mut reply = Reply::body(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        "Service unavailable: too many simultaneous changes to this challenger. Please try again.\n"
            .to_string(),
    );
    reply.set_header(RETRY_AFTER, "1");
    pipeline::add_cross_cutting_headers(req.behaviour, req.real_method, req.headers, &mut reply);
    reply
}

const RETRY_AFTER: HeaderName = hyper::header::RETRY_AFTER;
