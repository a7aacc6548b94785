//! The learner-facing pages (api.md §9.1-9.2): challenge progress with live refresh,
//! the unknown-challenger chooser, the entity explorer and the GUI 404 page.
//!
//! Every value that came from a client is escaped with [`html::escape`]. The inline
//! scripts are constants: they read their data from escaped `data-` attributes, so no
//! client data is ever spliced into script text.

use hyper::header::{CACHE_CONTROL, LOCATION};
use hyper::HeaderMap;
use serde_json::{json, Value};

use crate::app::App;
use crate::http::reply::Reply;
use crate::learners::registry::{ChallengerId, Progress, SessionRef, SINGLE_PLAYER};
use crate::site::html::{self, escape};
use crate::todo::database::Database;
use crate::todo::representation::database_export;

/// Cookie naming the database the explorer shows (and the learner, for the redirect).
pub const DATABASE_COOKIE: &str = "X-THINGIFIER-DATABASE-NAME";
/// Cookie naming the learner whose progress `/gui/challenges` shows.
pub const CHALLENGER_COOKIE: &str = "X-CHALLENGER";
/// Cookies last a year (api.md §9.1: 365 days).
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
    Known(SessionRef),
    Unknown(String),
}

/// Resolve a GUID from a URL. Single-user: any GUID is the single player (as in the
/// API). Multi-user: it must be a UUID of a learner in memory.
fn lookup(app: &App, guid: &str) -> Lookup {
    if let Some(single) = app.registry.single() {
        return Lookup::Known(single.clone());
    }
    let Some(id) = ChallengerId::parse(guid.trim()) else {
        return Lookup::Unknown(format!(
            "\u{201c}{guid}\u{201d} is not a valid challenger GUID (expected a UUID such as \
             0b3a8d4c-9f5e-4e0a-8a8c-2f1d3c4b5a69)."
        ));
    };
    match app.find(&id) {
        Some(session) => Lookup::Known(session),
        None => Lookup::Unknown(format!(
            "No challenger with GUID {id} is active on this server. Sessions idle for 10 \
             minutes are removed; restore a saved copy or create a new challenger."
        )),
    }
}

/// The learner the request's cookies name: `X-CHALLENGER`, else the database cookie.
fn cookie_guid(headers: &HeaderMap) -> Option<String> {
    html::cookie(headers, CHALLENGER_COOKIE).or_else(|| html::cookie(headers, DATABASE_COOKIE))
}

/// What a progress page needs, copied out under the learner's lock.
struct Snapshot {
    guid: String,
    progress: Progress,
}

fn snapshot(session: &SessionRef) -> Snapshot {
    let learner = session.state.lock();
    Snapshot {
        guid: learner.id.to_string(),
        progress: learner.progress,
    }
}

// ---------------------------------------------------------------------------
// Challenge progress pages
// ---------------------------------------------------------------------------

/// `GET /gui/challenges`: the single player's progress, or (multi-user) a redirect to
/// the learner named by `?guid=` or the cookies, else the chooser page.
fn challenges_index(app: &App, raw_query: &str, headers: &HeaderMap) -> Reply {
    if let Some(single) = app.registry.single() {
        return progress_page(app, &snapshot(single));
    }
    let wanted = html::query_param(raw_query, "guid")
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .or_else(|| cookie_guid(headers));
    match wanted {
        Some(guid) => Reply::empty(302).with_header(
            LOCATION,
            &format!("/gui/challenges/{}", html::percent_encode(&guid)),
        ),
        None => unknown_page(None, "No challenger GUID was given.", headers),
    }
}

/// `GET /gui/challenges/{guid}`.
fn challenges_for(app: &App, guid: &str, headers: &HeaderMap) -> Reply {
    match lookup(app, guid) {
        Lookup::Known(session) => progress_page(app, &snapshot(&session)),
        Lookup::Unknown(reason) => unknown_page(Some(guid), &reason, headers),
    }
}

/// The progress page of a known learner; also sets the learner cookies.
fn progress_page(app: &App, learner: &Snapshot) -> Reply {
    let multi = app.config.multi_user;
    let (completed, total) = counts(app, &learner.progress);
    let status_url = if multi {
        format!(
            "/gui/challenge-status/{}",
            html::percent_encode(&learner.guid)
        )
    } else {
        "/gui/challenge-status".to_string()
    };
    let guid = escape(&learner.guid);
    let mut body = format!(
        "<h1>Challenge progress</h1>\n\
<div class=\"card\" id=\"challenger\" data-guid=\"{guid}\" data-status-url=\"{url}\" data-multi=\"{multi}\">\n\
<p>Challenger: <code id=\"challenger-guid\">{guid}</code></p>\n\
<p class=\"count\"><span id=\"challenge-count\" data-completed=\"{completed}\" data-total=\"{total}\">{completed}/{total}</span> challenges completed</p>\n\
<div class=\"bar\"><span id=\"challenge-bar\" style=\"width:{percent}%\"></span></div>\n\
<p id=\"live-status\" class=\"muted\">This page shows progress as it was when loaded; reload to refresh.</p>\n\
</div>\n",
        url = escape(&status_url),
        percent = completed * 100 / total.max(1),
    );
    body.push_str(&getting_started(multi, &learner.guid));
    body.push_str(SAVE_RESTORE_BOX);
    body.push_str(&challenge_tables(app, &learner.progress));
    body.push_str("<script>\n");
    body.push_str(SHARED_SCRIPT);
    body.push_str(PROGRESS_SCRIPT);
    body.push_str("</script>\n");
    let mut reply = html::reply(200, html::page("Challenge progress", &body));
    // The GUID is a validated id here, so it is safe header text.
    html::set_cookie(&mut reply, DATABASE_COOKIE, &learner.guid, COOKIE_MAX_AGE);
    html::set_cookie(&mut reply, CHALLENGER_COOKIE, &learner.guid, COOKIE_MAX_AGE);
    reply
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

fn getting_started(multi: bool, guid: &str) -> String {
    if multi {
        format!(
            "<div class=\"card\"><h2>Getting started</h2>\n\
<p>Send the header <code>X-CHALLENGER: {guid}</code> with every API request so it counts \
for this challenger. Start with <code>GET /api/challenges</code>, then work through the \
list below; each challenge turns done as soon as you complete it.</p>\n\
<p class=\"muted\">Progress is kept in memory while you are active; a session idle for 10 \
minutes is removed. Use <em>Save to this browser</em> to keep a copy and restore it later.</p>\n\
<p><a href=\"/api/docs\">API documentation</a> &middot; <a href=\"/gui/instances?entity=todo\">Your todos</a></p></div>\n",
            guid = escape(guid)
        )
    } else {
        "<div class=\"card\"><h2>Getting started</h2>\n\
<p>This server runs in single-user mode: every API request counts for you, no \
<code>X-CHALLENGER</code> header needed. Start with <code>GET /api/challenges</code>, then \
work through the list below; each challenge turns done as soon as you complete it.</p>\n\
<p><a href=\"/api/docs\">API documentation</a> &middot; <a href=\"/gui/instances?entity=todo\">Your todos</a></p></div>\n"
            .to_string()
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

/// The challenge tables, one per section, in catalogue order.
fn challenge_tables(app: &App, progress: &Progress) -> String {
    let mut out = String::new();
    let mut open_section: Option<usize> = None;
    for (position, &index) in app.active.indices.iter().enumerate() {
        let challenge = &app.profile.catalogue[index];
        if open_section != Some(challenge.section) {
            if open_section.is_some() {
                out.push_str("</tbody></table></section>\n");
            }
            open_section = Some(challenge.section);
            out.push_str(&section_header(app, progress, challenge.section));
        }
        let done = progress.is_done(index);
        out.push_str(&format!(
            "<tr id=\"challenge-{key}\" class=\"challenge {class}\" data-key=\"{key}\" data-id=\"{id}\" data-status=\"{done}\">\
<td class=\"num\">{id}</td><td class=\"status\"><span class=\"mark\">{mark}</span> <span class=\"status-text\">{text}</span></td>\
<td><div class=\"title\">{title}</div><div class=\"desc\">{description}</div></td></tr>\n",
            key = escape(challenge.key),
            id = position + 1,
            class = if done { "done" } else { "not-done" },
            mark = if done { "\u{2714}" } else { "\u{2718}" },
            text = if done { "Done" } else { "Not done" },
            title = escape(challenge.title),
            description = escape(challenge.description),
        ));
    }
    if open_section.is_some() {
        out.push_str("</tbody></table></section>\n");
    }
    out
}

fn section_header(app: &App, progress: &Progress, section: usize) -> String {
    let in_section: Vec<usize> = app
        .active
        .indices
        .iter()
        .copied()
        .filter(|&i| app.profile.catalogue[i].section == section)
        .collect();
    let done = in_section.iter().filter(|&&i| progress.is_done(i)).count();
    let title = app
        .profile
        .sections
        .get(section)
        .copied()
        .unwrap_or("Challenges");
    format!(
        "<section class=\"challenge-section\" id=\"section-{section}\" data-section=\"{section}\">\n\
<h2>{title} <span class=\"section-count muted\">{done}/{total}</span></h2>\n\
<table><thead><tr><th>#</th><th>Status</th><th>Challenge</th></tr></thead><tbody>\n",
        title = escape(title),
        total = in_section.len(),
    )
}

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
    let mut reply = html::reply(200, html::page("Unknown Challenger ID", &body));
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

/// The progress page: remember the GUID, save/restore, and poll the status JSON every
/// two seconds, updating marks and counts in place.
const PROGRESS_SCRIPT: &str = r#"(function () {
  var box = document.getElementById('challenger');
  var guid = box.getAttribute('data-guid');
  var statusUrl = box.getAttribute('data-status-url');
  if (box.getAttribute('data-multi') === 'true') { rememberGuid(guid); }
  document.getElementById('save-restore').hidden = false;
  var live = document.getElementById('live-status');
  function setRow(row, done) {
    if ((row.getAttribute('data-status') === 'true') === done) { return; }
    row.setAttribute('data-status', done ? 'true' : 'false');
    row.className = 'challenge ' + (done ? 'done' : 'not-done');
    row.querySelector('.mark').textContent = done ? '\u2714' : '\u2718';
    row.querySelector('.status-text').textContent = done ? 'Done' : 'Not done';
  }
  function recount() {
    var rows = document.querySelectorAll('tr.challenge'), done = 0;
    rows.forEach(function (r) { if (r.getAttribute('data-status') === 'true') { done++; } });
    var count = document.getElementById('challenge-count');
    count.setAttribute('data-completed', String(done));
    count.textContent = done + '/' + rows.length;
    document.getElementById('challenge-bar').style.width = Math.floor(done * 100 / Math.max(rows.length, 1)) + '%';
    document.querySelectorAll('section.challenge-section').forEach(function (s) {
      var all = s.querySelectorAll('tr.challenge').length;
      var ok = s.querySelectorAll('tr.challenge[data-status="true"]').length;
      s.querySelector('.section-count').textContent = ok + '/' + all;
    });
  }
  function refresh() {
    return fetch(statusUrl, { cache: 'no-store' }).then(function (r) {
      if (r.status === 404) { throw new Error('this challenger is no longer active on the server'); }
      if (!r.ok) { throw new Error('status ' + r.status); }
      return r.json();
    }).then(function (data) {
      data.challenges.forEach(function (c) {
        var row = document.getElementById('challenge-' + c.key);
        if (row) { setRow(row, c.status === true); }
      });
      recount();
      live.textContent = 'Live: updated ' + new Date().toLocaleTimeString() + '.';
    }).catch(function (e) { live.textContent = 'Not updating: ' + e.message + '.'; });
  }
  document.getElementById('save-progress').addEventListener('click', function () {
    fetch('/gui/challenge-backup/' + encodeURIComponent(guid), { cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('status ' + r.status); } return r.json(); })
      .then(function (b) {
        var ok = storageSet(guid + '.progress', JSON.stringify(b.progress)) &&
                 storageSet(guid + '.data', JSON.stringify(b.data));
        setMessage('storage-message', ok ? 'Saved at ' + new Date().toLocaleTimeString() + '.' : 'This browser refused to store data.');
      }).catch(function (e) { setMessage('storage-message', 'Could not save: ' + e.message); });
  });
  document.getElementById('restore-progress').addEventListener('click', function () {
    restoreSaved(guid).then(function () { setMessage('storage-message', 'Restored.'); return refresh(); })
      .catch(function (e) { setMessage('storage-message', 'Could not restore: ' + e.message); });
  });
  live.textContent = 'Live: refreshing every 2 seconds.';
  setInterval(refresh, 2000);
})();
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
    let session = match found {
        Lookup::Known(session) => session,
        Lookup::Unknown(reason) => return unknown_json(&reason),
    };
    let learner = snapshot(&session);
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
    no_store_json(200, body.to_string())
}

/// `GET /gui/challenge-backup/{guid}`: what "Save to this browser" stores, read without
/// going through the API so that saving completes no challenge:
/// `{"progress":<GET /api/challenger/{guid} payload>,"data":<GET /api/challenger/database/{guid} payload>}`.
fn challenge_backup(app: &App, guid: &str) -> Reply {
    let session = match lookup(app, guid) {
        Lookup::Known(session) => session,
        Lookup::Unknown(reason) => return unknown_json(&reason),
    };
    let (progress, data) = {
        let learner = session.state.lock();
        (
            app.progress_json(&learner),
            database_export(learner.db.todos()),
        )
    };
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    let body = json!({ "progress": parse(&progress), "data": parse(&data) });
    no_store_json(200, body.to_string())
}

fn unknown_json(reason: &str) -> Reply {
    let body = json!({ "errorMessages": [format!("Unknown Challenger ID: {reason}")] });
    no_store_json(404, body.to_string())
}

fn no_store_json(status: u16, body: String) -> Reply {
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
        .and_then(|guid| ChallengerId::parse(&guid))
        .and_then(|id| app.find(&id));
    match named {
        Some(session) => {
            let learner = session.state.lock();
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
    html::reply(200, html::page("Entity explorer", &body))
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
    html::reply(200, html::page("Entity types", &body))
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
    html::reply(404, html::page("Unknown entity", &body))
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
    html::reply(200, html::page("Todos", &body))
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
        return html::reply(404, html::page("Todo not found", &body));
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
    html::reply(200, html::page(&format!("Todo {}", todo.id), &body))
}

// ---------------------------------------------------------------------------
// GUI 404
// ---------------------------------------------------------------------------

/// `GET /gui/404/{path}`: where unknown API paths send browsers (api.md §1.3). A 404
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
    html::reply(404, html::page("Not found", &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::learners::registry::Challenger;
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
        let id = ChallengerId::Guid(Uuid::new_v4());
        let mut c = Challenger::new(id);
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
        assert_eq!(r.status, 200);
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
    fn single_user_ignores_cookies_and_shows_the_page() {
        let app = app(false);
        let r = get(&app, "/gui/challenges", &cookies("X-CHALLENGER=abc"));
        assert_eq!(r.status, 200);
        let r = get(&app, "/gui/challenges/anything", &HeaderMap::new());
        assert_eq!(r.status, 200);
        assert!(text(&r).contains("data-guid=\"rest-api-challenges-single-player\""));
    }

    #[test]
    fn done_challenges_are_marked_and_counted() {
        let app = app(true);
        let guid = learner(&app);
        let r = get(&app, &format!("/gui/challenges/{guid}"), &HeaderMap::new());
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 302);
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
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 200);
        let body = text(&r);
        assert!(body.contains("<h1>Unknown Challenger ID</h1>"));
        assert!(body.contains(&format!("No challenger with GUID {unknown} is active")));
        assert!(body.contains(&format!("id=\"restore-box\" data-guid=\"{unknown}\"")));
        let r = get(
            &app,
            "/gui/challenges/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            &HeaderMap::new(),
        );
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 200);
    }

    #[test]
    fn status_json_for_unknown_learners_is_a_404() {
        let app = app(true);
        let r = get(&app, "/gui/challenge-status/nope", &HeaderMap::new());
        assert_eq!(r.status, 404);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["errorMessages"][0]
            .as_str()
            .unwrap()
            .starts_with("Unknown Challenger ID: "));
        let r = get(&app, "/gui/challenge-status", &HeaderMap::new());
        assert_eq!(r.status, 404);
        let single = self::app(false);
        let r = get(&single, "/gui/challenge-status", &HeaderMap::new());
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 200);
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
        assert_eq!(r.status, 200);
        assert!(text(&r).contains("<a href=\"/gui/entities\">Entity types</a>"));
        let r = get(&app, "/gui/entities", &none);
        assert_eq!(r.status, 200);
        assert!(text(&r).contains("<tr data-entity=\"todo\">"));
        let r = get(&app, "/gui/instances?entity=%3Cb%3E", &none);
        assert_eq!(r.status, 404);
        assert!(text(&r).contains("\u{201c}&lt;b&gt;\u{201d}"));
        let r = get(&app, "/gui/instance?entity=todo&id=99", &none);
        assert_eq!(r.status, 404);
        let r = get(&app, "/gui/instance?entity=todo&id=%22x", &none);
        assert_eq!(r.status, 404);
        assert!(text(&r).contains("\u{201c}&quot;x\u{201d}"));
    }

    #[test]
    fn gui_404_rewrites_the_address_to_the_missing_path() {
        let app = app(false);
        let r = get(&app, "/gui/404/todo", &HeaderMap::new());
        assert_eq!(r.status, 404);
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
