//! The learner-facing pages under `/gui`: challenge progress with live refresh,
//! the unknown-challenger chooser, the entity explorer and the GUI 404 page.
//! `progress` renders the teaching parts of the progress page (summary, achievements,
//! section index, tables with hints, examples and the request runner); `example`
//! turns a catalogue row's example into raw HTTP and curl for one learner.
//!
//! Every value that came from a client is escaped with [`html::escape`]. The inline
//! scripts are constants: they read their data from escaped `data-` attributes, so no
//! client data is ever spliced into script text.

use hyper::header::{CACHE_CONTROL, LOCATION};
use hyper::HeaderMap;
use hyper::StatusCode;
use serde_json::{json, Value};

use crate::app::App;
use crate::http::reply::Reply;
use crate::learners::registry::{LearnerId, LearnerRef, Progress, SINGLE_PLAYER};
use crate::site::html::{self, escape};
use crate::todo::database::Database;
use crate::todo::representation::database_export;

pub mod example;
pub mod progress;

use example::Learner;

/// Cookie naming the database the explorer shows (and the learner, for the redirect).
pub const DATABASE_COOKIE: &str = "X-THINGIFIER-DATABASE-NAME";
/// Cookie naming the learner whose progress `/gui/challenges` shows.
pub const CHALLENGER_COOKIE: &str = "X-CHALLENGER";
/// Cookies last a year (365 days, as the reference's pages set them).
const COOKIE_MAX_AGE: u64 = 365 * 24 * 60 * 60;

/// Answer a `/gui...` path, or None when no GUI page lives there.
pub fn route(app: &App, path: &str, raw_query: &str, headers: &HeaderMap) -> Option<Reply> {
    let reply = match path {
        "/gui" | "/gui/" => explorer_home(app, headers),
        "/gui/entities" => entities(app, headers),
        "/gui/instances" => instances(app, raw_query, headers),
        "/gui/instance" => instance(app, raw_query, headers),
        "/gui/challenges" | "/gui/challenges/" => challenges_index(app, raw_query, headers),
        "/gui/challenge-status" => challenge_status(app, None, headers),
        _ => return sub_route(app, path, headers),
    };
    Some(reply)
}

/// The GUI routes that carry a path segment.
fn sub_route(app: &App, path: &str, headers: &HeaderMap) -> Option<Reply> {
    if let Some(rest) = path.strip_prefix("/gui/404/") {
        return Some(gui_404(rest));
    }
    let (prefix, segment) = path.rsplit_once('/')?;
    if segment.is_empty() {
        return None;
    }
    let guid = html::percent_decode(segment);
    match prefix {
        "/gui/challenges" => Some(challenges_for(app, &guid, headers)),
        "/gui/challenge-status" => Some(challenge_status(app, Some(&guid), headers)),
        "/gui/challenge-backup" => Some(challenge_backup(app, &guid)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Finding the learner a page is about
// ---------------------------------------------------------------------------

/// The outcome of looking a GUID up: the learner, or why there is none.
enum Lookup {
    Known(LearnerRef),
    Unknown(String),
}

/// Resolve a GUID from a URL. Single-user: any GUID is the single player (as in the
/// API). Multi-user: it must be a UUID of a learner in memory.
fn lookup(app: &App, guid: &str) -> Lookup {
    if let Some(single) = app.registry.single() {
        return Lookup::Known(single.clone());
    }
    let Some(id) = LearnerId::parse(guid.trim()) else {
        return Lookup::Unknown(format!(
            "\u{201c}{guid}\u{201d} is not a valid challenger GUID (expected a UUID such as \
             0b3a8d4c-9f5e-4e0a-8a8c-2f1d3c4b5a69)."
        ));
    };
    match app.find(&id) {
        Some(entry) => Lookup::Known(entry),
        None => Lookup::Unknown(format!(
            "No challenger with GUID {id} is active on this server. {} Restore a saved \
             copy or create a new challenger.",
            super::progress_keeping(app)
        )),
    }
}

/// The learner the request's cookies name: `X-CHALLENGER`, else the database cookie.
fn cookie_guid(headers: &HeaderMap) -> Option<String> {
    html::cookie(headers, CHALLENGER_COOKIE).or_else(|| html::cookie(headers, DATABASE_COOKIE))
}

/// What the status JSON needs, copied out under the learner's lock.
struct Snapshot {
    guid: String,
    progress: Progress,
}

fn snapshot(entry: &LearnerRef) -> Snapshot {
    let learner = entry.state.lock();
    Snapshot {
        guid: learner.id.to_string(),
        progress: learner.progress,
    }
}

/// What the progress page needs: the snapshot plus what fills in the examples.
struct PageSnapshot {
    learner: Snapshot,
    /// One of the learner's todo ids (1 when they have none).
    existing_id: u64,
    /// A todo id the learner does not have.
    missing_id: u64,
    /// The learner's secret token, for the note challenges.
    token: String,
    /// The learner's restorable progress and todos, for the restore examples.
    progress_json: String,
    database_json: String,
}

/// How far above the next id the examples' "missing" todo id sits, so that it stays
/// missing while the learner creates a few todos.
const MISSING_ID_GAP: u64 = 1000;

fn page_snapshot(app: &App, entry: &LearnerRef) -> PageSnapshot {
    let learner = entry.state.lock();
    PageSnapshot {
        learner: Snapshot {
            guid: learner.id.to_string(),
            progress: learner.progress,
        },
        existing_id: learner.db.todos().first().map_or(1, |t| t.id),
        missing_id: learner.db.next_id() + MISSING_ID_GAP,
        token: learner.auth_token.to_string(),
        progress_json: app.progress_json(&learner),
        database_json: database_export(learner.db.todos()),
    }
}

// ---------------------------------------------------------------------------
// Challenge progress pages
// ---------------------------------------------------------------------------

/// `GET /gui/challenges`: the single player's progress, or (multi-user) a redirect to
/// the learner named by `?guid=` or the cookies, else the chooser page.
fn challenges_index(app: &App, raw_query: &str, headers: &HeaderMap) -> Reply {
    if let Some(single) = app.registry.single() {
        return progress_page(app, &page_snapshot(app, single), headers);
    }
    let wanted = html::query_param(raw_query, "guid")
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .or_else(|| cookie_guid(headers));
    match wanted {
        Some(guid) => Reply::empty(StatusCode::FOUND).with_header(
            LOCATION,
            &format!("/gui/challenges/{}", html::percent_encode(&guid)),
        ),
        None => unknown_page(None, "No challenger GUID was given.", headers),
    }
}

/// `GET /gui/challenges/{guid}`.
fn challenges_for(app: &App, guid: &str, headers: &HeaderMap) -> Reply {
    match lookup(app, guid) {
        Lookup::Known(entry) => progress_page(app, &page_snapshot(app, &entry), headers),
        Lookup::Unknown(reason) => unknown_page(Some(guid), &reason, headers),
    }
}

/// The progress page of a known learner; also sets the learner cookies.
fn progress_page(app: &App, page: &PageSnapshot, headers: &HeaderMap) -> Reply {
    let learner = &page.learner;
    let multi = app.config.multi_user;
    let status_url = if multi {
        format!(
            "/gui/challenge-status/{}",
            html::percent_encode(&learner.guid)
        )
    } else {
        "/gui/challenge-status".to_string()
    };
    let (host, base) = example_origin(headers);
    let view = progress::View {
        catalogue: app.profile.catalogue,
        sections: app.profile.sections,
        active: &app.active.indices,
        progress: learner.progress,
        learner: Learner {
            guid: &learner.guid,
            existing_id: page.existing_id,
            missing_id: page.missing_id,
            token: &page.token,
            progress: &page.progress_json,
            database: &page.database_json,
        },
        host: &host,
        base: &base,
    };
    let guid = escape(&learner.guid);
    let mut body = String::from(progress::STYLE);
    body.push_str("<h1>Challenge progress</h1>\n");
    body.push_str(&progress::summary(&view));
    body.push_str(&format!(
        "<div class=\"intro-grid\">\n<div>\n<div class=\"card\" id=\"challenger\" data-guid=\"{guid}\" data-status-url=\"{url}\" data-multi=\"{multi}\">\n\
<p>Challenger: <code id=\"challenger-guid\">{guid}</code></p>\n\
<p id=\"live-status\" class=\"muted\">This page shows progress as it was when loaded; reload to refresh.</p>\n\
</div>\n",
        url = escape(&status_url),
    ));
    body.push_str(&getting_started(
        multi,
        &learner.guid,
        &super::progress_keeping(app),
    ));
    body.push_str("</div>\n<div>\n");
    body.push_str(SAVE_RESTORE_BOX);
    body.push_str(&progress::section_index(&view));
    body.push_str("</div>\n</div>\n");
    body.push_str(&progress::achievements(&view));
    body.push_str(&progress::tables(&view));
    body.push_str("<script>\n");
    body.push_str(SHARED_SCRIPT);
    body.push_str(progress::PROGRESS_SCRIPT);
    body.push_str(progress::TRY_IT_SCRIPT);
    body.push_str("</script>\n");
    let mut reply = html::reply(StatusCode::OK, html::page("Challenge progress", &body));
    // The GUID is a validated id here, so it is safe header text.
    html::set_cookie(&mut reply, DATABASE_COOKIE, &learner.guid, COOKIE_MAX_AGE);
    html::set_cookie(&mut reply, CHALLENGER_COOKIE, &learner.guid, COOKIE_MAX_AGE);
    reply
}

/// Where the examples send their requests: (host, scheme://host) from the request's
/// `Host` (and `X-Forwarded-Proto` behind a TLS proxy). A Host that does not look
/// like a host name, address and port is replaced by the default local address.
fn example_origin(headers: &HeaderMap) -> (String, String) {
    const DEFAULT_HOST: &str = "localhost:4567";
    let host = headers
        .get(hyper::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or(DEFAULT_HOST)
        .to_string();
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let base = format!("{}://{host}", if https { "https" } else { "http" });
    (host, base)
}

/// (completed, total) over the active challenges.
fn counts(app: &App, progress: &Progress) -> (usize, usize) {
    let completed = app
        .active
        .indices
        .iter()
        .filter(|&&i| progress.is_done(i))
        .count();
    (completed, app.active.indices.len())
}

fn getting_started(multi: bool, guid: &str, keeping: &str) -> String {
    if multi {
        format!(
            "<div class=\"card\"><h2>Getting started</h2>\n\
<p>Send the header <code>X-CHALLENGER: {guid}</code> with every API request so it counts \
for this challenger. Start with <code>GET /api/challenges</code>, then work through the \
list below; each challenge turns done as soon as you complete it.</p>\n\
<p class=\"muted\" id=\"progress-keeping\">{keeping}</p>\n\
<p><a href=\"/api/docs\">API documentation</a> &middot; <a href=\"/gui/instances?entity=todo\">Your todos</a></p></div>\n",
            guid = escape(guid)
        )
    } else {
        format!(
            "<div class=\"card\"><h2>Getting started</h2>\n\
<p>This server runs in single-user mode: every API request counts for you, no \
<code>X-CHALLENGER</code> header needed. Start with <code>GET /api/challenges</code>, then \
work through the list below; each challenge turns done as soon as you complete it.</p>\n\
<p class=\"muted\" id=\"progress-keeping\">{keeping}</p>\n\
<p><a href=\"/api/docs\">API documentation</a> &middot; <a href=\"/gui/instances?entity=todo\">Your todos</a></p></div>\n"
        )
    }
}

const SAVE_RESTORE_BOX: &str = "<div class=\"card\" id=\"save-restore\" hidden>\n\
<h2>Save and restore</h2>\n\
<p>Keep a copy of this challenger's progress and todos in this browser, and put it back \
on the server later (for example after the session expired).</p>\n\
<p><button type=\"button\" id=\"save-progress\">Save to this browser</button> \
<button type=\"button\" class=\"secondary\" id=\"restore-progress\">Restore from this browser</button> \
<span id=\"storage-message\" class=\"muted\"></span></p>\n</div>\n\
<noscript><p class=\"notice\">JavaScript is off: the table shows progress as it was when \
the page was loaded. Reload the page to see new progress.</p></noscript>\n";

/// The page for a missing or unknown challenger: enter a GUID, create a challenger,
/// restore a saved copy, or pick a GUID this browser remembers. Always 200.
fn unknown_page(guid: Option<&str>, reason: &str, headers: &HeaderMap) -> Reply {
    let guid_attr = escape(guid.unwrap_or(""));
    let body = format!(
        "<h1>Unknown Challenger ID</h1>\n\
<p class=\"notice\" id=\"unknown-reason\">{reason}</p>\n\
<div class=\"card\"><h2>Show an existing challenger</h2>\n\
<form method=\"get\" action=\"/gui/challenges\"><label for=\"guid-input\">Challenger GUID</label><br>\n\
<input type=\"text\" id=\"guid-input\" name=\"guid\" autocomplete=\"off\" value=\"{guid_attr}\"> \
<button type=\"submit\">Show progress</button></form></div>\n\
<div class=\"card\"><h2>Start a new challenger</h2>\n\
<p>Creates a session with <code>POST /api/challenger</code> and opens its progress page.</p>\n\
<p><button type=\"button\" id=\"create-challenger\">Create a new challenger</button> \
<span id=\"create-message\" class=\"muted\"></span></p>\n\
<noscript><p class=\"muted\">Without JavaScript: send <code>POST /api/challenger</code> from \
your HTTP client, read the <code>X-CHALLENGER</code> response header and enter it above.</p></noscript></div>\n\
<div class=\"card\" id=\"restore-box\" data-guid=\"{guid_attr}\" hidden><h2>Restore from this browser</h2>\n\
<p>This browser has a saved copy of this challenger.</p>\n\
<p><button type=\"button\" id=\"restore-saved\">Restore saved progress</button> \
<span id=\"storage-message\" class=\"muted\"></span></p></div>\n\
<div class=\"card\"><h2>Challengers remembered by this browser</h2>\n\
<ul id=\"remembered-guids\"><li class=\"muted\">None.</li></ul></div>\n\
<div class=\"card\"><h2>How multi-user mode works</h2>\n\
<ol><li>Create a challenger: <code>POST /api/challenger</code>. The response header \
<code>X-CHALLENGER</code> holds your GUID.</li>\n\
<li>Send <code>X-CHALLENGER: &lt;your GUID&gt;</code> with every API request; only \
requests carrying it count for you.</li>\n\
<li>Watch your progress at <code>/gui/challenges/&lt;your GUID&gt;</code>.</li></ol>\n\
<p><a href=\"/api/docs\">API documentation</a></p></div>\n\
<script>\n{SHARED_SCRIPT}{UNKNOWN_SCRIPT}</script>\n",
        reason = escape(reason),
    );
    let mut reply = html::reply(StatusCode::OK, html::page("Unknown Challenger ID", &body));
    // A stale cookie would send the learner here again: forget it.
    if guid.is_some() && guid == cookie_guid(headers).as_deref() {
        html::set_cookie(&mut reply, DATABASE_COOKIE, "", 0);
        html::set_cookie(&mut reply, CHALLENGER_COOKIE, "", 0);
    }
    reply
}

/// Helpers shared by the page scripts: the remembered-GUID list in localStorage
/// (`challenges-guids`, each GUID written as `|guid|`) and save/restore calls.
const SHARED_SCRIPT: &str = r#"var GUIDS_KEY = 'challenges-guids';
function storageGet(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
function storageSet(key, value) { try { localStorage.setItem(key, value); return true; } catch (e) { return false; } }
function rememberedGuids() {
  var found = [], text = storageGet(GUIDS_KEY) || '', re = /\|([^|]+)\|/g, m;
  while ((m = re.exec(text)) !== null) { if (found.indexOf(m[1]) < 0) { found.push(m[1]); } }
  return found;
}
function rememberGuid(guid) {
  var list = rememberedGuids();
  if (list.indexOf(guid) < 0) { list.push(guid); }
  storageSet(GUIDS_KEY, list.map(function (g) { return '|' + g + '|'; }).join(''));
}
function forgetGuid(guid) {
  storageSet(GUIDS_KEY, rememberedGuids().filter(function (g) { return g !== guid; })
    .map(function (g) { return '|' + g + '|'; }).join(''));
}
function setMessage(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
function restoreSaved(guid) {
  var progress = storageGet(guid + '.progress'), data = storageGet(guid + '.data');
  if (!progress) { return Promise.reject(new Error('nothing saved in this browser')); }
  var send = function (path, body) {
    return fetch(path + encodeURIComponent(guid), { method: 'PUT', body: body,
      headers: { 'Content-Type': 'application/json', 'X-CHALLENGER': guid } })
      .then(function (r) { if (!r.ok) { throw new Error(path + ' answered ' + r.status); } });
  };
  return send('/api/challenger/', progress).then(function () {
    return data ? send('/api/challenger/database/', data) : null;
  });
}
"#;

/// The chooser page: create a challenger, list remembered GUIDs, offer a restore.
const UNKNOWN_SCRIPT: &str = r#"(function () {
  var list = document.getElementById('remembered-guids');
  function render() {
    var guids = rememberedGuids();
    list.textContent = '';
    if (guids.length === 0) {
      var none = document.createElement('li'); none.className = 'muted'; none.textContent = 'None.';
      list.appendChild(none); return;
    }
    guids.forEach(function (g) {
      var li = document.createElement('li'), a = document.createElement('a'), b = document.createElement('button');
      a.href = '/gui/challenges/' + encodeURIComponent(g); a.textContent = g;
      b.type = 'button'; b.className = 'secondary'; b.textContent = 'Forget';
      b.addEventListener('click', function () { forgetGuid(g); render(); });
      li.appendChild(a); li.appendChild(document.createTextNode(' ')); li.appendChild(b);
      list.appendChild(li);
    });
  }
  render();
  document.getElementById('create-challenger').addEventListener('click', function () {
    setMessage('create-message', 'Creating...');
    fetch('/api/challenger', { method: 'POST' }).then(function (r) {
      var guid = r.headers.get('X-CHALLENGER');
      if (!r.ok || !guid) { throw new Error('POST /api/challenger answered ' + r.status); }
      rememberGuid(guid);
      window.location.href = '/gui/challenges/' + encodeURIComponent(guid);
    }).catch(function (e) { setMessage('create-message', e.message); });
  });
  var restore = document.getElementById('restore-box');
  var wanted = restore.getAttribute('data-guid');
  if (wanted && storageGet(wanted + '.progress')) {
    restore.hidden = false;
    document.getElementById('restore-saved').addEventListener('click', function () {
      restoreSaved(wanted).then(function () { window.location.reload(); })
        .catch(function (e) { setMessage('storage-message', 'Could not restore: ' + e.message); });
    });
  }
})();
"#;

/// `GET /gui/challenge-status[/{guid}]`: the progress the page polls, e.g.
/// `{"guid":"…","completed":2,"total":99,"challenges":[{"id":1,"key":"CREATE_NEW_CHALLENGER","status":true},…]}`.
/// Without a GUID: the single player, else the learner named by the cookies. Unknown →
/// 404 `{"errorMessages":["Unknown Challenger ID: …"]}`.
fn challenge_status(app: &App, guid: Option<&str>, headers: &HeaderMap) -> Reply {
    let found = match guid.map(str::to_string).or_else(|| cookie_guid(headers)) {
        Some(guid) => lookup(app, &guid),
        None => match app.registry.single() {
            Some(single) => Lookup::Known(single.clone()),
            None => Lookup::Unknown("No challenger GUID was given.".into()),
        },
    };
    let entry = match found {
        Lookup::Known(entry) => entry,
        Lookup::Unknown(reason) => return unknown_json(&reason),
    };
    let learner = snapshot(&entry);
    let (completed, total) = counts(app, &learner.progress);
    let challenges: Vec<Value> = app
        .active
        .indices
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            json!({
                "id": position + 1,
                "key": app.profile.catalogue[index].key,
                "status": learner.progress.is_done(index),
            })
        })
        .collect();
    let body = json!({
        "guid": learner.guid,
        "completed": completed,
        "total": total,
        "challenges": challenges,
    });
    no_store_json(StatusCode::OK, body.to_string())
}

/// `GET /gui/challenge-backup/{guid}`: what "Save to this browser" stores, read without
/// going through the API so that saving completes no challenge:
/// `{"progress":<GET /api/challenger/{guid} payload>,"data":<GET /api/challenger/database/{guid} payload>}`.
fn challenge_backup(app: &App, guid: &str) -> Reply {
    let entry = match lookup(app, guid) {
        Lookup::Known(entry) => entry,
        Lookup::Unknown(reason) => return unknown_json(&reason),
    };
    let (progress, data) = {
        let learner = entry.state.lock();
        (
            app.progress_json(&learner),
            database_export(learner.db.todos()),
        )
    };
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    let body = json!({ "progress": parse(&progress), "data": parse(&data) });
    no_store_json(StatusCode::OK, body.to_string())
}

fn unknown_json(reason: &str) -> Reply {
    let body = json!({ "errorMessages": [format!("Unknown Challenger ID: {reason}")] });
    no_store_json(StatusCode::NOT_FOUND, body.to_string())
}

fn no_store_json(status: StatusCode, body: String) -> Reply {
    html::no_sniff(Reply::json(status, body).with_header(CACHE_CONTROL, "no-store"))
}

// ---------------------------------------------------------------------------
// Entity explorer
// ---------------------------------------------------------------------------

/// The database the explorer shows and a description of whose it is: the learner
/// named by the database cookie, the single player, or the shared default database.
fn explorer_database(app: &App, headers: &HeaderMap) -> (Database, String) {
    if let Some(single) = app.registry.single() {
        let db = single.state.lock().db.clone();
        return (db, format!("the single player ({SINGLE_PLAYER})"));
    }
    let named = html::cookie(headers, DATABASE_COOKIE)
        .and_then(|guid| LearnerId::parse(&guid))
        .and_then(|id| app.find(&id));
    match named {
        Some(entry) => {
            let learner = entry.state.lock();
            (learner.db.clone(), format!("challenger {}", learner.id))
        }
        None => (
            app.default_db.clone(),
            "the shared default database (read-only). Open your progress page to choose \
             your challenger"
                .to_string(),
        ),
    }
}

fn showing(label: &str) -> String {
    format!(
        "<p class=\"muted\" id=\"database-label\">Showing data of {}.</p>\n",
        escape(label)
    )
}

/// `GET /gui`.
fn explorer_home(app: &App, headers: &HeaderMap) -> Reply {
    let (db, label) = explorer_database(app, headers);
    let body = format!(
        "<h1>Entity explorer</h1>\n<p>Browse the data behind the API as plain HTML pages.</p>\n{}\
<ul><li><a href=\"/gui/entities\">Entity types</a></li>\n\
<li><a href=\"/gui/instances?entity=todo\">All todos</a> ({} instances)</li>\n\
<li><a href=\"/gui/challenges\">Challenge progress</a></li></ul>\n",
        showing(&label),
        db.len()
    );
    html::reply(StatusCode::OK, html::page("Entity explorer", &body))
}

/// `GET /gui/entities`.
fn entities(app: &App, headers: &HeaderMap) -> Reply {
    let (db, label) = explorer_database(app, headers);
    let body = format!(
        "<h1>Entity types</h1>\n{}\
<table id=\"entities\"><thead><tr><th>Entity</th><th>Collection</th><th>Instances</th><th>Fields</th></tr></thead><tbody>\n\
<tr data-entity=\"todo\"><td><a href=\"/gui/instances?entity=todo\">todo</a></td><td><code>/api/todos</code></td><td>{}</td>\
<td><code>id</code> (integer, assigned by the server), <code>title</code> (text, required, 1-50 characters), \
<code>doneStatus</code> (boolean, default false), <code>description</code> (text, up to 200 characters)</td></tr>\n\
</tbody></table>\n",
        showing(&label),
        db.len()
    );
    html::reply(StatusCode::OK, html::page("Entity types", &body))
}

/// The entity a query names, if it is the one entity there is.
fn is_todo_entity(raw_query: &str) -> bool {
    html::query_param(raw_query, "entity").is_some_and(|e| e == "todo" || e == "todos")
}

fn unknown_entity(raw_query: &str) -> Reply {
    let entity = html::query_param(raw_query, "entity").unwrap_or_default();
    let body = format!(
        "<h1>Unknown entity</h1>\n<p class=\"notice\">There is no entity type \
\u{201c}{}\u{201d}. The only entity is <a href=\"/gui/instances?entity=todo\">todo</a>.</p>\n",
        escape(&entity)
    );
    html::reply(StatusCode::NOT_FOUND, html::page("Unknown entity", &body))
}

/// `GET /gui/instances?entity=todo`.
fn instances(app: &App, raw_query: &str, headers: &HeaderMap) -> Reply {
    if !is_todo_entity(raw_query) {
        return unknown_entity(raw_query);
    }
    let (db, label) = explorer_database(app, headers);
    let mut rows = String::new();
    for todo in db.todos() {
        rows.push_str(&format!(
            "<tr data-id=\"{id}\"><td><a href=\"/gui/instance?entity=todo&amp;id={id}\">{id}</a></td>\
<td>{title}</td><td>{done}</td><td>{description}</td></tr>\n",
            id = todo.id,
            title = escape(&todo.title),
            done = todo.done_status,
            description = escape(&todo.description),
        ));
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"4\" class=\"muted\">No todos.</td></tr>\n");
    }
    let body = format!(
        "<h1>Todos</h1>\n{}<p>{} todos.</p>\n\
<table id=\"instances\"><thead><tr><th>id</th><th>title</th><th>doneStatus</th><th>description</th></tr></thead><tbody>\n\
{rows}</tbody></table>\n",
        showing(&label),
        db.len()
    );
    html::reply(StatusCode::OK, html::page("Todos", &body))
}

/// `GET /gui/instance?entity=todo&id=N`.
fn instance(app: &App, raw_query: &str, headers: &HeaderMap) -> Reply {
    if !is_todo_entity(raw_query) {
        return unknown_entity(raw_query);
    }
    let (db, label) = explorer_database(app, headers);
    let wanted = html::query_param(raw_query, "id").unwrap_or_default();
    let Some(todo) = wanted.trim().parse::<u64>().ok().and_then(|id| db.get(id)) else {
        let body = format!(
            "<h1>Todo not found</h1>\n{}<p class=\"notice\">There is no todo with id \
\u{201c}{}\u{201d}. See <a href=\"/gui/instances?entity=todo\">all todos</a>.</p>\n",
            showing(&label),
            escape(&wanted)
        );
        return html::reply(StatusCode::NOT_FOUND, html::page("Todo not found", &body));
    };
    let body = format!(
        "<h1>Todo {id}</h1>\n{}\
<table id=\"instance\" data-id=\"{id}\"><tbody>\n\
<tr><th>id</th><td>{id}</td></tr>\n<tr><th>title</th><td>{title}</td></tr>\n\
<tr><th>doneStatus</th><td>{done}</td></tr>\n<tr><th>description</th><td>{description}</td></tr>\n\
</tbody></table>\n<p><a href=\"/gui/instances?entity=todo\">All todos</a> &middot; \
API: <code>GET /api/todos/{id}</code></p>\n",
        showing(&label),
        id = todo.id,
        title = escape(&todo.title),
        done = todo.done_status,
        description = escape(&todo.description),
    );
    html::reply(
        StatusCode::OK,
        html::page(&format!("Todo {}", todo.id), &body),
    )
}

// ---------------------------------------------------------------------------
// GUI 404
// ---------------------------------------------------------------------------

/// `GET /gui/404/{path}`: where unknown API paths send browsers (307 when Accept has html). A 404
/// page whose script puts `/{path}` back in the address bar.
fn gui_404(rest: &str) -> Reply {
    // Leading slashes would make "//host" — keep it a same-site path.
    let target = format!("/{}", rest.trim_start_matches('/'));
    let body = format!(
        "<h1>Not found</h1>\n<p class=\"notice\" id=\"missing\" data-path=\"{attr}\">There is \
nothing at <code>{shown}</code>.</p>\n\
<p>Note: the todo collection is plural, <code>/api/todos</code>. See the \
<a href=\"/api/docs\">API documentation</a> or your <a href=\"/gui/challenges\">challenge progress</a>.</p>\n\
<script>(function () {{ var p = document.getElementById('missing').getAttribute('data-path'); \
try {{ history.replaceState(null, '', p); }} catch (e) {{}} }})();</script>\n",
        attr = escape(&target),
        shown = escape(&html::percent_decode(&target)),
    );
    html::reply(StatusCode::NOT_FOUND, html::page("Not found", &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::learners::registry::Learner;
    use crate::todo::Todo;
    use hyper::header::HeaderValue;
    use uuid::Uuid;

    const HOSTILE: &str = "<script>alert(1)</script>";
    const HOSTILE_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

    fn app(multi_user: bool) -> App {
        App::new(Config {
            multi_user,
            storage: false,
            ..Config::default()
        })
    }

    fn get(app: &App, path_and_query: &str, headers: &HeaderMap) -> Reply {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        route(app, path, query, headers).expect("a GUI route")
    }

    fn text(reply: &Reply) -> String {
        String::from_utf8(reply.body.to_vec()).unwrap()
    }

    fn header(reply: &Reply, name: &str) -> String {
        reply
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    fn cookies(pairs: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("cookie", HeaderValue::from_str(pairs).unwrap());
        h
    }

    /// A learner in memory with one hostile todo and GET_CHALLENGES done.
    fn learner(app: &App) -> String {
        let id = LearnerId::Guid(Uuid::new_v4());
        let mut c = Learner::new(id);
        c.db = Database::from_todos(vec![Todo {
            id: 11,
            title: HOSTILE.into(),
            done_status: true,
            description: format!("d{HOSTILE}"),
        }]);
        c.progress
            .mark(crate::challenges::current::find("GET_CHALLENGES").unwrap());
        c.note = HOSTILE.into();
        let _ = app.admit(c);
        id.to_string()
    }

    #[test]
    fn single_user_progress_page_lists_every_challenge() {
        let app = app(false);
        let r = get(&app, "/gui/challenges", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
        assert_eq!(header(&r, "cache-control"), "no-store");
        let body = text(&r);
        let total = app.active.indices.len();
        assert!(body.contains(&format!(">0/{total}</span> challenges completed")));
        assert!(body.contains(
            "<tr id=\"challenge-GET_TODOS\" class=\"challenge not-done\" data-key=\"GET_TODOS\""
        ));
        assert_eq!(body.matches("<tr id=\"challenge-").count(), total);
        assert!(body.contains("<h2>Getting Started <span class=\"section-count muted\">0/"));
        assert!(body.contains("single-user mode"));
        let set: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
        assert_eq!(set.len(), 2);
        assert_eq!(
            set[1],
            "X-CHALLENGER=rest-api-challenges-single-player; Max-Age=31536000; Path=/; SameSite=Lax"
        );
    }

    #[test]
    fn the_progress_page_teaches_with_escaped_learner_data() {
        let app = app(true);
        let guid = learner(&app);
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.test:8080"));
        let r = get(&app, &format!("/gui/challenges/{guid}"), &headers);
        let body = text(&r);
        // The hostile todo title and note reach the restore examples, escaped.
        assert!(!body.contains(HOSTILE));
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(body.contains(&format!(
            "curl -i &#39;http://example.test:8080/api/todos&#39; \\\n  -H &#39;X-CHALLENGER: {guid}&#39;"
        )));
        assert!(body.contains(&format!(
            "GET /api/todos HTTP/1.1\nHost: example.test:8080\nX-CHALLENGER: {guid}\n"
        )));
        // The learner's todo 11 and secret token fill the examples.
        assert!(body.contains("GET /api/todos/11 HTTP/1.1"));
        assert!(body.contains("id=\"achievements\""));
        assert!(body.contains("id=\"section-index\""));
        assert!(body.contains("id=\"remaining-only\""));
        assert_eq!(
            body.matches("<details class=\"aid try-it\"").count(),
            app.active.indices.len()
        );
        // A Host header that is not a host name is not echoed.
        let mut hostile = HeaderMap::new();
        hostile.insert("host", HeaderValue::from_static("a'b<c>"));
        hostile.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let body = text(&get(&app, &format!("/gui/challenges/{guid}"), &hostile));
        assert!(!body.contains("a&#39;b"));
        assert!(body.contains("&#39;https://localhost:4567/api/todos&#39;"));
    }

    #[test]
    fn single_user_ignores_cookies_and_shows_the_page() {
        let app = app(false);
        let r = get(&app, "/gui/challenges", &cookies("X-CHALLENGER=abc"));
        assert_eq!(r.status, StatusCode::OK);
        let r = get(&app, "/gui/challenges/anything", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::OK);
        assert!(text(&r).contains("data-guid=\"rest-api-challenges-single-player\""));
    }

    #[test]
    fn done_challenges_are_marked_and_counted() {
        let app = app(true);
        let guid = learner(&app);
        let r = get(&app, &format!("/gui/challenges/{guid}"), &HeaderMap::new());
        assert_eq!(r.status, StatusCode::OK);
        let body = text(&r);
        let total = app.active.indices.len();
        assert!(body.contains(&format!(
            "<span id=\"challenge-count\" data-completed=\"1\" data-total=\"{total}\">1/{total}</span>"
        )));
        assert!(body.contains(
            "<tr id=\"challenge-GET_CHALLENGES\" class=\"challenge done\" data-key=\"GET_CHALLENGES\" data-id=\"2\" data-status=\"true\">\
<td class=\"num\">2</td><td class=\"status\"><span class=\"mark\">\u{2714}</span> <span class=\"status-text\">Done</span>"
        ));
        assert!(body.contains(&format!("data-status-url=\"/gui/challenge-status/{guid}\"")));
        assert!(body.contains(&format!("<code>X-CHALLENGER: {guid}</code>")));
        let set: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
        assert_eq!(
            set[0].to_str().unwrap(),
            format!("X-THINGIFIER-DATABASE-NAME={guid}; Max-Age=31536000; Path=/; SameSite=Lax")
        );
    }

    #[test]
    fn cookie_or_query_redirects_to_the_learner_page() {
        let app = app(true);
        let r = get(&app, "/gui/challenges", &cookies("X-CHALLENGER=abc-123"));
        assert_eq!(r.status, StatusCode::FOUND);
        assert_eq!(header(&r, "location"), "/gui/challenges/abc-123");
        let r = get(
            &app,
            "/gui/challenges",
            &cookies("X-THINGIFIER-DATABASE-NAME=x y"),
        );
        assert_eq!(header(&r, "location"), "/gui/challenges/x%20y");
        let r = get(
            &app,
            "/gui/challenges?guid=%3Cb%3E",
            &cookies("X-CHALLENGER=abc"),
        );
        assert_eq!(header(&r, "location"), "/gui/challenges/%3Cb%3E");
    }

    #[test]
    fn multi_user_without_cookie_gets_the_chooser() {
        let app = app(true);
        let r = get(&app, "/gui/challenges", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::OK);
        let body = text(&r);
        assert!(body.contains("<h1>Unknown Challenger ID</h1>"));
        assert!(body.contains("id=\"create-challenger\""));
        assert!(body.contains("id=\"remembered-guids\""));
        assert!(body.contains("'challenges-guids'"));
        assert!(r.headers.get("set-cookie").is_none());
    }

    #[test]
    fn unknown_and_invalid_guids_get_a_helpful_200_page() {
        let app = app(true);
        let unknown = Uuid::new_v4().to_string();
        let r = get(
            &app,
            &format!("/gui/challenges/{unknown}"),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, StatusCode::OK);
        let body = text(&r);
        assert!(body.contains("<h1>Unknown Challenger ID</h1>"));
        assert!(body.contains(&format!("No challenger with GUID {unknown} is active")));
        assert!(body.contains(&format!("id=\"restore-box\" data-guid=\"{unknown}\"")));
        let r = get(
            &app,
            "/gui/challenges/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            &HeaderMap::new(),
        );
        assert_eq!(r.status, StatusCode::OK);
        let body = text(&r);
        assert!(body.contains(&format!(
            "\u{201c}{HOSTILE_ESCAPED}\u{201d} is not a valid challenger GUID"
        )));
        assert!(!body.contains(HOSTILE));
    }

    #[test]
    fn a_stale_cookie_is_cleared_on_the_unknown_page() {
        let app = app(true);
        let unknown = Uuid::new_v4().to_string();
        let r = get(
            &app,
            &format!("/gui/challenges/{unknown}"),
            &cookies(&format!("X-CHALLENGER={unknown}")),
        );
        let set: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
        assert_eq!(set.len(), 2);
        assert_eq!(set[1], "X-CHALLENGER=; Max-Age=0; Path=/; SameSite=Lax");
    }

    #[test]
    fn status_json_reports_every_challenge() {
        let app = app(true);
        let guid = learner(&app);
        let r = get(
            &app,
            &format!("/gui/challenge-status/{guid}"),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(header(&r, "content-type"), "application/json");
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["guid"], guid.as_str());
        assert_eq!(v["completed"], 1);
        assert_eq!(v["total"], app.active.indices.len());
        assert_eq!(
            v["challenges"][0],
            json!({"id":1,"key":"CREATE_NEW_CHALLENGER","status":false})
        );
        assert_eq!(
            v["challenges"][1],
            json!({"id":2,"key":"GET_CHALLENGES","status":true})
        );
        let r = get(
            &app,
            "/gui/challenge-status",
            &cookies(&format!("X-CHALLENGER={guid}")),
        );
        assert_eq!(r.status, StatusCode::OK);
    }

    #[test]
    fn status_json_for_unknown_learners_is_a_404() {
        let app = app(true);
        let r = get(&app, "/gui/challenge-status/nope", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["errorMessages"][0]
            .as_str()
            .unwrap()
            .starts_with("Unknown Challenger ID: "));
        let r = get(&app, "/gui/challenge-status", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let single = self::app(false);
        let r = get(&single, "/gui/challenge-status", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::OK);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["guid"], SINGLE_PLAYER);
    }

    #[test]
    fn backup_holds_progress_and_todos_in_restorable_form() {
        let app = app(true);
        let guid = learner(&app);
        let r = get(
            &app,
            &format!("/gui/challenge-backup/{guid}"),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, StatusCode::OK);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["progress"]["xChallenger"], guid.as_str());
        assert_eq!(v["progress"]["secretNote"], HOSTILE);
        assert_eq!(v["progress"]["challengeStatus"]["GET_CHALLENGES"], true);
        assert_eq!(
            v["data"],
            json!({"todos":[{"id":11,"title":HOSTILE,"doneStatus":true,"description":format!("d{HOSTILE}")}]})
        );
        // The backup is JSON, not HTML: the hostile text stays data.
        assert_eq!(header(&r, "content-type"), "application/json");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff");
        assert_eq!(
            get(&app, "/gui/challenge-backup/x", &HeaderMap::new()).status,
            404
        );
    }

    #[test]
    fn explorer_shows_the_cookie_learners_todos_escaped() {
        let app = app(true);
        let guid = learner(&app);
        let jar = cookies(&format!("X-THINGIFIER-DATABASE-NAME={guid}"));
        for path in [
            "/gui/instances?entity=todo",
            "/gui/instance?entity=todo&id=11",
        ] {
            let r = get(&app, path, &jar);
            assert_eq!(r.status, 200, "{path}");
            assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
            let body = text(&r);
            assert!(body.contains(HOSTILE_ESCAPED), "{path}");
            assert!(body.contains(&format!("d{HOSTILE_ESCAPED}")), "{path}");
            assert!(!body.contains(HOSTILE), "{path}");
            assert!(body.contains(&format!("Showing data of challenger {guid}.")));
        }
        let body = text(&get(&app, "/gui/instances?entity=todo", &jar));
        assert!(body.contains(
            "<tr data-id=\"11\"><td><a href=\"/gui/instance?entity=todo&amp;id=11\">11</a></td>"
        ));
        assert!(body.contains("<p>1 todos.</p>"));
    }

    #[test]
    fn explorer_without_a_learner_shows_the_default_database() {
        let app = app(true);
        let r = get(&app, "/gui/instances?entity=todo", &HeaderMap::new());
        let body = text(&r);
        assert!(body.contains("the shared default database"));
        assert!(body.contains("<td>scan paperwork</td>"));
        assert_eq!(body.matches("<tr data-id=").count(), 10);
        let single = self::app(false);
        let body = text(&get(
            &single,
            "/gui/instances?entity=todos",
            &HeaderMap::new(),
        ));
        assert!(body.contains("the single player (rest-api-challenges-single-player)"));
    }

    #[test]
    fn explorer_pages_and_their_404s() {
        let app = app(true);
        let none = HeaderMap::new();
        let r = get(&app, "/gui", &none);
        assert_eq!(r.status, StatusCode::OK);
        assert!(text(&r).contains("<a href=\"/gui/entities\">Entity types</a>"));
        let r = get(&app, "/gui/entities", &none);
        assert_eq!(r.status, StatusCode::OK);
        assert!(text(&r).contains("<tr data-entity=\"todo\">"));
        let r = get(&app, "/gui/instances?entity=%3Cb%3E", &none);
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(text(&r).contains("\u{201c}&lt;b&gt;\u{201d}"));
        let r = get(&app, "/gui/instance?entity=todo&id=99", &none);
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = get(&app, "/gui/instance?entity=todo&id=%22x", &none);
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(text(&r).contains("\u{201c}&quot;x\u{201d}"));
    }

    #[test]
    fn gui_404_rewrites_the_address_to_the_missing_path() {
        let app = app(false);
        let r = get(&app, "/gui/404/todo", &HeaderMap::new());
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
        let body = text(&r);
        assert!(body.contains("id=\"missing\" data-path=\"/todo\""));
        assert!(body.contains("history.replaceState(null, '', p)"));
        let body = text(&get(
            &app,
            "/gui/404//evil.example/%3Cscript%3E",
            &HeaderMap::new(),
        ));
        assert!(body.contains("data-path=\"/evil.example/%3Cscript%3E\""));
        assert!(body.contains("<code>/evil.example/&lt;script&gt;</code>"));
    }

    #[test]
    fn non_gui_paths_are_left_alone() {
        let app = app(false);
        for path in [
            "/guix",
            "/gui/unknown",
            "/gui/challenges/a/b",
            "/gui/challenge-status/",
        ] {
            assert!(route(&app, path, "", &HeaderMap::new()).is_none(), "{path}");
        }
    }
}
