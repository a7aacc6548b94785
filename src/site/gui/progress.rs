//! The teaching parts of the challenge progress page: the sticky summary with the next
//! unfinished challenge, achievements, the section index and the per-section tables
//! whose rows carry each challenge's hints, worked example (raw HTTP and curl), the
//! in-page request runner ("Try it") and the reference's solution and video links.
//!
//! Everything works without JavaScript (details/summary, plain links, a CSS-only
//! "show remaining only"); the script at the end adds the live refresh, the runner,
//! copy buttons and the highlights. Every value that came from a client, and every
//! example (it holds the learner's GUID), goes through [`escape`].

use crate::challenges::catalogue::{Challenge, SOLUTIONS_SITE};
use crate::learners::registry::Progress;
use crate::site::gui::example::{self, Learner};
use crate::site::html::escape;

/// What the progress page is about: one profile's challenges and one learner.
pub struct View<'a> {
    pub catalogue: &'a [Challenge],
    pub sections: &'a [&'a str],
    /// Catalogue indices of the active challenges, in order.
    pub active: &'a [usize],
    pub progress: Progress,
    pub learner: Learner<'a>,
    /// Host for the raw HTTP examples, e.g. `localhost:4567`.
    pub host: &'a str,
    /// Scheme and host for the curl commands, e.g. `http://localhost:4567`.
    pub base: &'a str,
}

impl View<'_> {
    fn completed(&self) -> usize {
        self.active
            .iter()
            .filter(|&&i| self.progress.is_done(i))
            .count()
    }

    /// Active challenges of a section, as (position in the page, catalogue index).
    fn in_section(&self, section: usize) -> Vec<(usize, usize)> {
        self.active
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, i)| self.catalogue[i].section == section)
            .collect()
    }

    /// Sections that hold at least one active challenge, in order.
    fn used_sections(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for &i in self.active {
            let section = self.catalogue[i].section;
            if out.last() != Some(&section) {
                out.push(section);
            }
        }
        out
    }

    fn section_title(&self, section: usize) -> &str {
        self.sections.get(section).copied().unwrap_or("Challenges")
    }

    /// The first active challenge not done: (position, catalogue index).
    fn next(&self) -> Option<(usize, usize)> {
        self.active
            .iter()
            .copied()
            .enumerate()
            .find(|&(_, i)| !self.progress.is_done(i))
    }
}

/// The sticky summary: count, bar, the next unfinished challenge and the "show
/// remaining only" switch (CSS-only, so it works without JavaScript).
pub fn summary(view: &View) -> String {
    let completed = view.completed();
    let total = view.active.len();
    let percent = completed * 100 / total.max(1);
    let next = match view.next() {
        Some((position, index)) => {
            let c = &view.catalogue[index];
            format!(
                "<a id=\"next-link\" href=\"#challenge-{key}\">Next: #{n} {title}</a>",
                key = escape(c.key),
                n = position + 1,
                title = escape(c.title),
            )
        }
        None => "<span id=\"next-link\">All challenges done!</span>".to_string(),
    };
    format!(
        "<div id=\"summary\" class=\"summary\" role=\"region\" aria-label=\"Progress summary\">\n\
<p class=\"count\"><span id=\"challenge-count\" data-completed=\"{completed}\" data-total=\"{total}\">{completed}/{total}</span> challenges completed</p>\n\
<div class=\"bar\"><span id=\"challenge-bar\" style=\"width:{percent}%\"></span></div>\n\
<p class=\"summary-actions\">{next} \
<label class=\"remaining\"><input type=\"checkbox\" id=\"remaining-only\"> Show remaining only</label></p>\n\
</div>\n"
    )
}

/// One milestone: its id (`data-achievement`), what earns it and its name.
struct Achievement {
    id: String,
    /// `first`, `percent` or `section`, with `value` the percentage or section.
    kind: &'static str,
    value: usize,
    name: String,
    earned: bool,
}

fn achievements_of(view: &View) -> Vec<Achievement> {
    let completed = view.completed();
    let total = view.active.len().max(1);
    let mut out = vec![Achievement {
        id: "first".into(),
        kind: "first",
        value: 1,
        name: "First challenge completed".into(),
        earned: completed >= 1,
    }];
    for percent in [25, 50, 75, 100] {
        out.push(Achievement {
            id: format!("percent-{percent}"),
            kind: "percent",
            value: percent,
            name: format!("{percent}% of all challenges"),
            earned: completed * 100 >= percent * total,
        });
    }
    for section in view.used_sections() {
        let all_done = view
            .in_section(section)
            .iter()
            .all(|&(_, i)| view.progress.is_done(i));
        out.push(Achievement {
            id: format!("section-{section}"),
            kind: "section",
            value: section,
            name: format!("Section complete: {}", view.section_title(section)),
            earned: all_done,
        });
    }
    out
}

/// The achievements card: every milestone, earned ones marked.
pub fn achievements(view: &View) -> String {
    let list = achievements_of(view);
    let earned = list.iter().filter(|a| a.earned).count();
    let mut out = format!(
        "<section class=\"card\" id=\"achievements\" aria-labelledby=\"achievements-title\">\n\
<h2 id=\"achievements-title\">Achievements <span class=\"muted\" id=\"achievement-count\">{earned}/{}</span></h2>\n\
<p id=\"achievement-news\" class=\"news\" role=\"status\" aria-live=\"polite\"></p>\n<ul class=\"achievements\">\n",
        list.len()
    );
    for a in &list {
        out.push_str(&format!(
            "<li class=\"achievement {class}\" data-achievement=\"{id}\" data-kind=\"{kind}\" data-value=\"{value}\">\
<span class=\"badge\" aria-hidden=\"true\">{mark}</span> <span class=\"achievement-name\">{name}</span>\
<span class=\"visually-hidden achievement-state\">{state}</span></li>\n",
            class = if a.earned { "earned" } else { "locked" },
            id = escape(&a.id),
            kind = a.kind,
            value = a.value,
            mark = if a.earned { "\u{2605}" } else { "\u{2606}" },
            name = escape(&a.name),
            state = if a.earned { " (earned)" } else { " (not yet)" },
        ));
    }
    out.push_str("</ul>\n</section>\n");
    out
}

/// The section index: a jump link and a count per section.
pub fn section_index(view: &View) -> String {
    let mut out = String::from(
        "<nav class=\"card\" id=\"section-index\" aria-labelledby=\"section-index-title\">\n\
<h2 id=\"section-index-title\">Sections</h2>\n<ol class=\"section-index\">\n",
    );
    for section in view.used_sections() {
        let rows = view.in_section(section);
        let done = rows
            .iter()
            .filter(|&&(_, i)| view.progress.is_done(i))
            .count();
        out.push_str(&format!(
            "<li data-section=\"{section}\" class=\"{class}\"><a href=\"#section-{section}\">{title}</a> \
<span class=\"index-count muted\">{done}/{total}</span></li>\n",
            class = if done == rows.len() { "section-done" } else { "" },
            title = escape(view.section_title(section)),
            total = rows.len(),
        ));
    }
    out.push_str("</ol>\n</nav>\n");
    out
}

/// The challenge tables, one collapsible section each (finished sections start
/// collapsed), in catalogue order.
pub fn tables(view: &View) -> String {
    let next = view.next().map(|(_, i)| i);
    let mut out = String::new();
    for section in view.used_sections() {
        let rows = view.in_section(section);
        let done = rows
            .iter()
            .filter(|&&(_, i)| view.progress.is_done(i))
            .count();
        let finished = done == rows.len();
        out.push_str(&format!(
            "<details class=\"challenge-section{class}\" id=\"section-{section}\" data-section=\"{section}\"{open}>\n\
<summary><h2>{title} <span class=\"section-count muted\">{done}/{total}</span></h2></summary>\n\
<table class=\"challenges\"><thead><tr><th class=\"num\">#</th><th class=\"status\">Status</th><th>Challenge</th></tr></thead><tbody>\n",
            class = if finished { " section-done" } else { "" },
            open = if finished { "" } else { " open" },
            title = escape(view.section_title(section)),
            total = rows.len(),
        ));
        for (position, index) in rows {
            out.push_str(&row(view, position, index, next == Some(index)));
        }
        out.push_str("</tbody></table>\n</details>\n");
    }
    out
}

fn row(view: &View, position: usize, index: usize, is_next: bool) -> String {
    let challenge = &view.catalogue[index];
    let done = view.progress.is_done(index);
    format!(
        "<tr id=\"challenge-{key}\" class=\"challenge {class}{next}\" data-key=\"{key}\" data-id=\"{id}\" data-status=\"{done}\">\
<td class=\"num\">{id}</td><td class=\"status\"><span class=\"mark\">{mark}</span> <span class=\"status-text\">{text}</span></td>\
<td class=\"challenge-cell\"><div class=\"title\">{title}</div><div class=\"desc\">{description}</div>\n{aids}</td></tr>\n",
        key = escape(challenge.key),
        id = position + 1,
        class = if done { "done" } else { "not-done" },
        next = if is_next { " next" } else { "" },
        mark = if done { "\u{2714}" } else { "\u{2718}" },
        text = if done { "Done" } else { "Not done" },
        title = escape(challenge.title),
        description = escape(challenge.description),
        aids = aids(view, challenge),
    )
}

/// Hints, the worked example, the runner and the solution links of one challenge.
pub fn aids(view: &View, challenge: &Challenge) -> String {
    let key = escape(challenge.key);
    let filled = example::fill(&challenge.example, &view.learner);
    let mut out = String::from("<div class=\"aids\">\n");
    if !challenge.hints.is_empty() {
        out.push_str(&format!(
            "<details class=\"aid hints\"><summary>Hints ({})</summary><ul>",
            challenge.hints.len()
        ));
        for hint in challenge.hints {
            out.push_str(&format!("<li>{}</li>", escape(hint)));
        }
        out.push_str("</ul></details>\n");
    }
    let limit = if filled.browser_limit.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"notice small\">Not from this page: {}.</p>",
            escape(filled.browser_limit)
        )
    };
    out.push_str(&format!(
        "<details class=\"aid example\"><summary>Example request</summary>\n\
<p class=\"aid-label\">As raw HTTP</p><pre class=\"raw-http\">{raw}</pre>\n\
<p class=\"aid-label\">As curl <button type=\"button\" class=\"copy secondary\" data-copy=\"curl-{key}\" hidden>Copy</button></p>\
<pre class=\"curl\" id=\"curl-{key}\">{curl}</pre>{limit}</details>\n",
        raw = escape(&example::raw_http(&filled, view.host)),
        curl = escape(&example::curl(&filled, view.base)),
    ));
    out.push_str(&format!(
        "<details class=\"aid try-it\" data-key=\"{key}\" data-method=\"{method}\" data-path=\"{path}\" \
data-headers=\"{headers}\" data-body=\"{body}\" data-limit=\"{limit_attr}\"{fresh}><summary>Try it</summary>\
<div class=\"runner-slot\"><noscript><p class=\"muted\">The request runner needs JavaScript; \
copy the curl command from the example instead.</p></noscript></div></details>\n",
        method = escape(filled.method),
        path = escape(&filled.path),
        headers = escape(&example::header_lines(&filled)),
        body = escape(&filled.body),
        limit_attr = escape(filled.browser_limit),
        fresh = match challenge.example.body {
            "{progress}" => " data-fresh=\"progress\"",
            "{database}" => " data-fresh=\"data\"",
            _ => "",
        },
    ));
    out.push_str("<p class=\"aid-links\">");
    if !challenge.solution.is_empty() {
        out.push_str(&format!(
            "<a class=\"solution\" href=\"{}{}\" rel=\"noopener\" target=\"_blank\">Written solution</a>",
            SOLUTIONS_SITE,
            escape(challenge.solution)
        ));
    }
    if let Some(video) = challenge.video {
        out.push_str(&format!(
            " &middot; <a class=\"video\" href=\"https://www.youtube.com/watch?v={}\" rel=\"noopener\" target=\"_blank\">Video solution</a>",
            escape(video)
        ));
    }
    out.push_str("</p>\n</div>\n");
    out
}

/// Styles of the progress page only (the shared look lives in `html`).
pub const STYLE: &str = "<style>\n\
.summary{position:sticky;top:0;z-index:5;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;margin:1rem 0;box-shadow:0 2px 6px rgba(0,0,0,.06)}\n\
.summary .count{margin:0;font-size:1.2rem}\n.summary .bar{margin:.3rem 0}\n\
.summary-actions{margin:.2rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}\n\
.summary-actions label{white-space:nowrap}\n\
body:has(#remaining-only:checked) tr.challenge.done,body:has(#remaining-only:checked) details.section-done,body:has(#remaining-only:checked) .section-index li.section-done{display:none}\n\
.section-index{columns:16rem;margin:0;padding-left:1.6rem}\n.section-index li.section-done a{color:var(--done)}\n\
details.challenge-section>summary{cursor:pointer;list-style-position:outside;margin-left:1.1rem}\n\
details.challenge-section>summary h2{display:inline;font-size:1.2rem}\n\
details.challenge-section{margin:1.2rem 0}\n details.challenge-section>table{margin-top:.5rem}\n\
table.challenges{table-layout:fixed}\n table.challenges th.num{width:2.6rem}\n table.challenges th.status{width:7rem}\n\
td.challenge-cell{overflow-wrap:anywhere}\n\
tr.challenge.next{outline:3px solid var(--accent);outline-offset:-3px}\n\
tr.challenge.just-done td{animation:turned-done 3s ease-out}\n\
@keyframes turned-done{0%{background:#c9f2d4}100%{background:var(--card)}}\n\
.aids{margin-top:.4rem}\n details.aid{margin:.25rem 0}\n details.aid>summary{cursor:pointer;color:var(--accent)}\n\
details.aid ul{margin:.3rem 0;padding-left:1.3rem}\n\
.aid-label{margin:.4rem 0 .1rem;font-size:.85rem;color:var(--muted)}\n\
pre.raw-http,pre.curl,.runner pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0;max-height:16rem;overflow-y:auto}\n\
.aid-links{margin:.3rem 0 0;font-size:.92rem}\n .small{font-size:.88rem}\n\
.runner label{display:block;margin:.35rem 0 .1rem;font-size:.88rem}\n\
.runner input,.runner textarea{font:inherit;font-family:ui-monospace,monospace;font-size:.88rem;width:100%;padding:.3rem .45rem;border:1px solid var(--line);border-radius:4px}\n\
.runner .line{display:flex;gap:.5rem}\n .runner .field-method{flex:0 0 6.5rem}\n .runner .field-path{flex:1 1 auto;min-width:0}\n\
.runner .actions{margin:.5rem 0}\n .runner-status{font-weight:700}\n\
ul.achievements{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.35rem}\n\
li.achievement{border:1px solid var(--line);border-radius:999px;padding:.1rem .65rem;font-size:.88rem;color:var(--muted)}\n\
li.achievement.earned{border-color:var(--done);color:var(--done);background:#eefaf1;font-weight:600}\n\
li.achievement.just-earned{animation:turned-done 3s ease-out}\n\
.news:empty{display:none}\n .news{font-weight:700;color:var(--done);margin:.3rem 0}\n\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n\
tr.challenge,details.challenge-section{scroll-margin-top:8rem}\n\
.intro-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:0 1rem;align-items:start}\n\
@media (max-width:40rem){\
table.challenges thead{display:none}table.challenges,table.challenges tbody,table.challenges tr{display:block}\
table.challenges tr{border:1px solid var(--line);border-bottom:none}table.challenges tr:last-child{border-bottom:1px solid var(--line)}\
table.challenges td{border:none;display:block;padding:.3rem .55rem}\
table.challenges td.num,table.challenges td.status{display:inline-block;width:auto;padding-bottom:0}\
table.challenges td.num::before{content:'#'}\
.summary{padding:.35rem .6rem}.summary .count{font-size:1rem}.summary .bar{margin:.2rem 0}\
.summary-actions{font-size:.92rem;gap:.2rem .8rem}tr.challenge,details.challenge-section{scroll-margin-top:6rem}\
.runner .line{flex-direction:column;gap:0}.runner .field-method{flex:none}}\n\
</style>\n";

/// The live part of the progress page: polls the status JSON every two seconds and
/// updates marks, counts, the bar, the next challenge, section states and
/// achievements in place (a row that turns done is briefly highlighted); copy
/// buttons; jump links that open the section they point into. Exposes
/// `window.challengeProgress.refresh` for the runner.
pub const PROGRESS_SCRIPT: &str = r#"(function () {
  var box = document.getElementById('challenger');
  var guid = box.getAttribute('data-guid');
  var statusUrl = box.getAttribute('data-status-url');
  if (box.getAttribute('data-multi') === 'true') { rememberGuid(guid); }
  document.getElementById('save-restore').hidden = false;
  var live = document.getElementById('live-status');
  var news = document.getElementById('achievement-news');
  function setRow(row, done) {
    if ((row.getAttribute('data-status') === 'true') === done) { return; }
    row.setAttribute('data-status', done ? 'true' : 'false');
    row.classList.remove(done ? 'not-done' : 'done');
    row.classList.add(done ? 'done' : 'not-done');
    row.querySelector('.mark').textContent = done ? '\u2714' : '\u2718';
    row.querySelector('.status-text').textContent = done ? 'Done' : 'Not done';
    if (done) {
      row.classList.add('just-done');
      setTimeout(function () { row.classList.remove('just-done'); }, 3000);
    }
  }
  function isDone(r) { return r.getAttribute('data-status') === 'true'; }
  function recount() {
    var rows = Array.prototype.slice.call(document.querySelectorAll('tr.challenge'));
    var done = rows.filter(isDone).length, total = rows.length;
    var count = document.getElementById('challenge-count');
    count.setAttribute('data-completed', String(done));
    count.textContent = done + '/' + total;
    document.getElementById('challenge-bar').style.width = Math.floor(done * 100 / Math.max(total, 1)) + '%';
    var complete = {};
    document.querySelectorAll('details.challenge-section').forEach(function (s) {
      var all = s.querySelectorAll('tr.challenge').length;
      var ok = s.querySelectorAll('tr.challenge[data-status="true"]').length;
      var section = s.getAttribute('data-section');
      complete[section] = ok === all;
      s.querySelector('.section-count').textContent = ok + '/' + all;
      s.classList.toggle('section-done', ok === all);
      var entry = document.querySelector('.section-index li[data-section="' + section + '"]');
      if (entry) {
        entry.querySelector('.index-count').textContent = ok + '/' + all;
        entry.classList.toggle('section-done', ok === all);
      }
    });
    var next = null;
    rows.forEach(function (r) {
      r.classList.remove('next');
      if (!next && !isDone(r)) { next = r; }
    });
    var link = document.getElementById('next-link');
    if (next) {
      next.classList.add('next');
      var a = document.createElement('a');
      a.id = 'next-link';
      a.href = '#' + next.id;
      a.textContent = 'Next: #' + next.getAttribute('data-id') + ' ' + next.querySelector('.title').textContent;
      link.replaceWith(a);
    } else {
      var s = document.createElement('span');
      s.id = 'next-link';
      s.textContent = 'All challenges done!';
      link.replaceWith(s);
    }
    var earnedCount = 0, items = document.querySelectorAll('li.achievement');
    items.forEach(function (li) {
      var kind = li.getAttribute('data-kind'), value = Number(li.getAttribute('data-value'));
      var earned = kind === 'first' ? done >= 1
        : kind === 'percent' ? done * 100 >= value * Math.max(total, 1)
        : complete[String(value)] === true;
      if (earned) { earnedCount++; }
      if (earned && !li.classList.contains('earned')) {
        li.classList.remove('locked');
        li.classList.add('earned', 'just-earned');
        li.querySelector('.badge').textContent = '\u2605';
        li.querySelector('.achievement-state').textContent = ' (earned)';
        news.textContent = 'Achievement earned: ' + li.querySelector('.achievement-name').textContent;
        setTimeout(function () { li.classList.remove('just-earned'); }, 3000);
      }
    });
    document.getElementById('achievement-count').textContent = earnedCount + '/' + items.length;
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
  window.challengeProgress = { refresh: refresh };
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
  function copyText(text, button) {
    var done = function () { var was = button.textContent; button.textContent = 'Copied'; setTimeout(function () { button.textContent = was; }, 1500); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { button.textContent = 'Select and copy by hand'; });
    } else { button.textContent = 'Select and copy by hand'; }
  }
  document.querySelectorAll('button.copy[data-copy]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var source = document.getElementById(b.getAttribute('data-copy'));
      if (source) { copyText(source.textContent, b); }
    });
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var d = target.tagName === 'DETAILS' ? target : target.closest('details.challenge-section');
    if (d) { d.open = true; }
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', openTarget);
  if (location.hash) { openTarget(); }
  live.textContent = 'Live: refreshing every 2 seconds.';
  setInterval(refresh, 2000);
})();
"#;

/// "Try it": on first opening, a runner is built from the example in the
/// `data-` attributes (method, path, headers, body), editable; Send uses fetch() on
/// this server and shows status, headers and body, then refreshes the progress.
/// Requests a browser cannot make as written are explained instead, with the curl.
pub const TRY_IT_SCRIPT: &str = r#"(function () {
  var FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];
  var FORBIDDEN_HEADERS = ['accept-charset', 'accept-encoding', 'access-control-request-headers',
    'access-control-request-method', 'connection', 'content-length', 'cookie', 'cookie2', 'date',
    'dnt', 'expect', 'host', 'keep-alive', 'origin', 'referer', 'set-cookie', 'te', 'trailer',
    'transfer-encoding', 'upgrade', 'via'];
  var OVERRIDES = ['x-http-method', 'x-http-method-override', 'x-method-override'];
  var MAX_SHOWN = 20000;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function parseHeaders(text) {
    var list = [];
    text.split('\n').forEach(function (line) {
      if (!line.trim()) { return; }
      var at = line.indexOf(':');
      var name = (at < 0 ? line : line.slice(0, at)).trim();
      var value = at < 0 ? '' : line.slice(at + 1).trim();
      list.push([name, value]);
    });
    return list;
  }
  function problems(method, headers, body) {
    var found = [], m = method.toUpperCase();
    if (FORBIDDEN_METHODS.indexOf(m) >= 0) { found.push('browsers refuse to send ' + m + ' requests'); }
    if ((m === 'GET' || m === 'HEAD') && body) { found.push('a browser cannot send a body with ' + m); }
    headers.forEach(function (h) {
      var name = h[0].toLowerCase(), value = h[1];
      if (FORBIDDEN_HEADERS.indexOf(name) >= 0 || name.indexOf('proxy-') === 0 || name.indexOf('sec-') === 0) {
        found.push('a page may not set the ' + h[0] + ' header');
      } else if (OVERRIDES.indexOf(name) >= 0 && FORBIDDEN_METHODS.some(function (f) { return value.toUpperCase().indexOf(f) >= 0; })) {
        found.push('browsers drop ' + h[0] + ' when it names ' + value);
      } else if (value === '') {
        found.push('a browser always sends its own ' + h[0] + ' header and cannot leave it out');
      }
    });
    return found;
  }
  function build(details) {
    var slot = details.querySelector('.runner-slot');
    var key = details.getAttribute('data-key');
    var form = el('form', 'runner');
    var line = el('div', 'line');
    function field(label, input, cls) {
      var wrap = el('div', 'field ' + cls), id = 'run-' + key + '-' + label.toLowerCase();
      var l = el('label', '', label);
      l.htmlFor = id; input.id = id;
      wrap.appendChild(l); wrap.appendChild(input);
      return wrap;
    }
    var method = el('input'); method.value = details.getAttribute('data-method'); method.spellcheck = false;
    var path = el('input'); path.value = details.getAttribute('data-path'); path.spellcheck = false;
    var headers = el('textarea'); headers.value = details.getAttribute('data-headers'); headers.spellcheck = false;
    headers.rows = Math.max(2, headers.value.split('\n').length);
    var body = el('textarea'); body.value = details.getAttribute('data-body'); body.spellcheck = false;
    body.rows = body.value ? Math.min(8, Math.max(2, Math.ceil(body.value.length / 60))) : 2;
    line.appendChild(field('Method', method, 'field-method'));
    line.appendChild(field('Path', path, 'field-path'));
    form.appendChild(line);
    form.appendChild(field('Headers', headers, 'headers'));
    form.appendChild(field('Body', body, 'body'));
    var actions = el('p', 'actions');
    var send = el('button', '', 'Send'); send.type = 'submit';
    actions.appendChild(send);
    form.appendChild(actions);
    var note = el('div', 'notice small'); note.hidden = true;
    form.appendChild(note);
    var result = el('div', 'runner-result'); result.setAttribute('aria-live', 'polite');
    var status = el('p', 'runner-status');
    var shownHeaders = el('pre', 'runner-headers'); shownHeaders.hidden = true;
    var shownBody = el('pre', 'runner-body'); shownBody.hidden = true;
    result.appendChild(status); result.appendChild(shownHeaders); result.appendChild(shownBody);
    form.appendChild(result);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var m = method.value.trim().toUpperCase() || 'GET';
      var p = path.value.trim() || '/';
      if (p.charAt(0) !== '/') { p = '/' + p; }
      var hs = parseHeaders(headers.value), b = body.value;
      var found = problems(m, hs, b);
      note.hidden = found.length === 0;
      shownHeaders.hidden = true; shownBody.hidden = true;
      if (found.length) {
        note.textContent = 'This request cannot be sent from a browser as written: ' + found.join('; ') +
          '. Copy the curl command from "Example request" and run it in a terminal:';
        var curl = document.getElementById('curl-' + key);
        if (curl) { note.appendChild(el('pre', 'curl', curl.textContent)); }
        status.textContent = '';
        return;
      }
      var init = { method: m, headers: new Headers(), credentials: 'omit', cache: 'no-store' };
      try {
        hs.forEach(function (h) { init.headers.append(h[0], h[1]); });
      } catch (e) { status.textContent = 'Not sent: ' + e.message; return; }
      if (b && m !== 'GET' && m !== 'HEAD') { init.body = b; }
      status.textContent = 'Sending ' + m + ' ' + p + ' ...';
      send.disabled = true;
      fetch(p, init).then(function (r) {
        return r.text().then(function (text) {
          status.textContent = 'HTTP ' + r.status + (r.statusText ? ' ' + r.statusText : '');
          var lines = [];
          r.headers.forEach(function (v, k) { lines.push(k + ': ' + v); });
          shownHeaders.textContent = lines.join('\n');
          shownHeaders.hidden = false;
          var type = r.headers.get('content-type') || '';
          if (/json/.test(type) && text.length <= MAX_SHOWN) {
            try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* shown as sent */ }
          }
          shownBody.textContent = text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + '\n... (' + text.length + ' characters in all)' : (text || '(no body)');
          shownBody.hidden = false;
        });
      }).catch(function (e) {
        status.textContent = 'The browser could not send it (' + e.message + '); try the curl command instead.';
      }).then(function () {
        send.disabled = false;
        if (window.challengeProgress) { return window.challengeProgress.refresh(); }
      });
    });
    slot.textContent = '';
    slot.appendChild(form);
    var fresh = details.getAttribute('data-fresh');
    if (fresh) {
      // A restore sends back what is current now, not what the page was loaded with.
      var guid = document.getElementById('challenger').getAttribute('data-guid');
      fetch('/gui/challenge-backup/' + encodeURIComponent(guid), { cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (b) { if (b && b[fresh]) { body.value = JSON.stringify(b[fresh]); } })
        .catch(function () {});
    }
  }
  document.querySelectorAll('details.try-it').forEach(function (d) {
    d.addEventListener('toggle', function () {
      if (d.open && !d.querySelector('form.runner')) { build(d); }
    });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::classic::{CLASSIC, CLASSIC_SECTIONS};
    use crate::challenges::current::{CURRENT, CURRENT_SECTIONS};

    const HOSTILE: &str = "\"'><script>alert(1)</script>";

    fn all(catalogue: &[Challenge]) -> Vec<usize> {
        (0..catalogue.len()).collect()
    }

    fn view<'a>(
        catalogue: &'a [Challenge],
        sections: &'a [&'a str],
        active: &'a [usize],
        progress: Progress,
        learner: Learner<'a>,
    ) -> View<'a> {
        View {
            catalogue,
            sections,
            active,
            progress,
            learner,
            host: "localhost:4567",
            base: "http://localhost:4567",
        }
    }

    fn learner(guid: &str) -> Learner<'_> {
        Learner {
            guid,
            existing_id: 1,
            missing_id: 1001,
            token: "token-1",
            progress: "{\"xChallenger\":\"g\"}",
            database: "{\"todos\":[]}",
        }
    }

    #[test]
    fn every_challenge_of_both_profiles_has_hints_an_example_and_a_solution() {
        for (name, table, prefix) in [("current", CURRENT, "/api/"), ("classic", CLASSIC, "/")] {
            for c in table {
                assert!(
                    c.hints.len() >= 2,
                    "{name} {}: {} hints",
                    c.key,
                    c.hints.len()
                );
                assert!(c.hints.iter().all(|h| h.len() > 10), "{name} {}", c.key);
                assert!(!c.example.method.is_empty(), "{name} {}", c.key);
                assert!(c.example.path.starts_with(prefix), "{name} {}", c.key);
                if name == "classic" {
                    assert!(!c.example.path.contains("/api/"), "{}", c.key);
                    assert!(c.hints.iter().all(|h| !h.contains("/api/")), "{}", c.key);
                }
                assert!(
                    c.solution.starts_with("/apichallenges/solutions/"),
                    "{name} {}: {}",
                    c.key,
                    c.solution
                );
                if let Some(video) = c.video {
                    assert_eq!(video.len(), 11, "{name} {}", c.key);
                    assert!(video
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
                }
            }
        }
        // The reference has a video for about a third of the current challenges and
        // most classic ones.
        assert!(CURRENT.iter().filter(|c| c.video.is_some()).count() >= 30);
        assert!(CLASSIC.iter().filter(|c| c.video.is_some()).count() >= 50);
    }

    #[test]
    fn the_learners_guid_is_filled_into_every_example() {
        let guid = "0b3a8d4c-9f5e-4e0a-8a8c-2f1d3c4b5a69";
        for (catalogue, sections) in [(CURRENT, CURRENT_SECTIONS), (CLASSIC, CLASSIC_SECTIONS)] {
            let active = all(catalogue);
            let v = view(
                catalogue,
                sections,
                &active,
                Progress::default(),
                learner(guid),
            );
            let mut anonymous = Vec::new();
            for c in catalogue {
                let html = aids(&v, c);
                let raw = &html[html.find("<pre class=\"raw-http\">").unwrap()..];
                let raw = &raw[..raw.find("</pre>").unwrap()];
                let curl = &html[html.find("<pre class=\"curl\"").unwrap()..];
                let curl = &curl[..curl.find("</pre>").unwrap()];
                let runner = &html[html.find("data-headers=\"").unwrap()..];
                let runner = &runner[..runner.find("\" data-body").unwrap()];
                if c.example.anonymous {
                    anonymous.push(c.key);
                    assert!(!html.contains(guid), "{}", c.key);
                    continue;
                }
                for (what, text) in [("raw", raw), ("curl", curl), ("runner", runner)] {
                    assert!(
                        text.contains(&format!("X-CHALLENGER: {guid}")),
                        "{} {what}: {text}",
                        c.key
                    );
                }
                // No placeholder survives in what is sent.
                let tag = &html[html.find("<details class=\"aid try-it\"").unwrap()..];
                let tag = &tag[..tag.find('>').unwrap()];
                for left in [
                    "{guid}",
                    "{id}",
                    "{missing}",
                    "{token}",
                    "{progress}",
                    "{database}",
                    "{chars:",
                ] {
                    for text in [raw, curl, tag] {
                        assert!(!text.contains(left), "{} still has {left}", c.key);
                    }
                }
            }
            // Only creating a brand-new challenger must go without the header.
            assert_eq!(anonymous, ["CREATE_NEW_CHALLENGER"]);
        }
    }

    #[test]
    fn hostile_guids_and_todo_titles_stay_escaped_in_every_new_element() {
        let database = format!(
            "{{\"todos\":[{{\"id\":1,\"title\":{}}}]}}",
            serde_json::json!(HOSTILE)
        );
        let progress = format!(
            "{{\"xChallenger\":{},\"secretNote\":{}}}",
            serde_json::json!(HOSTILE),
            serde_json::json!(HOSTILE)
        );
        for (catalogue, sections) in [(CURRENT, CURRENT_SECTIONS), (CLASSIC, CLASSIC_SECTIONS)] {
            let active = all(catalogue);
            let mut done = Progress::default();
            done.mark(1);
            let v = view(
                catalogue,
                sections,
                &active,
                done,
                Learner {
                    guid: HOSTILE,
                    existing_id: 1,
                    missing_id: 1001,
                    token: HOSTILE,
                    progress: &progress,
                    database: &database,
                },
            );
            let page = [summary(&v), achievements(&v), section_index(&v), tables(&v)].concat();
            assert!(!page.contains("<script>"), "an unescaped hostile value");
            assert!(
                !page.contains("\"'>"),
                "an attribute was closed by client text"
            );
            assert!(page.contains("&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
            // The hostile values reached the examples (raw, curl and runner alike).
            for class in [
                "<pre class=\"raw-http\">",
                "<pre class=\"curl\"",
                "data-headers=\"",
            ] {
                let with_guid = page
                    .split(class)
                    .skip(1)
                    .filter(|part| part.contains("&lt;script&gt;"))
                    .count();
                assert!(with_guid > 50, "{class}: {with_guid}");
            }
        }
    }

    #[test]
    fn summary_next_challenge_achievements_and_finished_sections() {
        let active = all(CURRENT);
        let mut progress = Progress::default();
        progress.mark(0);
        progress.mark(1);
        let v = view(CURRENT, CURRENT_SECTIONS, &active, progress, learner("g"));
        let total = CURRENT.len();
        let s = summary(&v);
        assert!(s.contains(&format!(">2/{total}</span> challenges completed")));
        assert!(s.contains(
            "<a id=\"next-link\" href=\"#challenge-GET_TODOS\">Next: #3 GET /api/todos (200)</a>"
        ));
        assert!(s.contains("id=\"remaining-only\""));
        let t = tables(&v);
        assert!(t.contains("class=\"challenge not-done next\" data-key=\"GET_TODOS\""));
        assert_eq!(t.matches(" next\"").count(), 1);
        // Sections 0 and 1 are finished: collapsed; the rest open.
        assert!(t.contains("<details class=\"challenge-section section-done\" id=\"section-0\" data-section=\"0\">"));
        assert!(t.contains(
            "<details class=\"challenge-section\" id=\"section-2\" data-section=\"2\" open>"
        ));
        let a = achievements(&v);
        assert!(a.contains("class=\"achievement earned\" data-achievement=\"first\""));
        assert!(a.contains("class=\"achievement earned\" data-achievement=\"section-1\""));
        assert!(a.contains("class=\"achievement locked\" data-achievement=\"section-2\""));
        assert!(a.contains("class=\"achievement locked\" data-achievement=\"percent-25\""));
        assert!(a.contains(&format!(
            "id=\"achievement-count\">3/{}</span>",
            5 + CURRENT_SECTIONS.len()
        )));
        let index = section_index(&v);
        assert!(index.contains("<li data-section=\"1\" class=\"section-done\"><a href=\"#section-1\">First Real Challenge</a>"));
        let mut everything = Progress::default();
        for i in 0..total {
            everything.mark(i);
        }
        let v = view(CURRENT, CURRENT_SECTIONS, &active, everything, learner("g"));
        assert!(summary(&v).contains("<span id=\"next-link\">All challenges done!</span>"));
        assert!(!achievements(&v).contains("locked"));
    }

    #[test]
    fn solution_and_video_links_point_at_the_reference() {
        let active = all(CURRENT);
        let v = view(
            CURRENT,
            CURRENT_SECTIONS,
            &active,
            Progress::default(),
            learner("g"),
        );
        let html = aids(&v, &CURRENT[2]);
        assert!(html.contains("<a class=\"solution\" href=\"https://apichallenges.eviltester.com/apichallenges/solutions/get/get-todos-200\""));
        assert!(html
            .contains("<a class=\"video\" href=\"https://www.youtube.com/watch?v=OpisB0UZq0c\""));
        let trace = CURRENT
            .iter()
            .find(|c| c.key == "TRACE_HEARTBEAT_501")
            .unwrap();
        let html = aids(&v, trace);
        assert!(html.contains("Not from this page: browsers refuse to send TRACE"));
        assert!(html.contains("data-limit=\"browsers refuse to send TRACE"));
        assert!(html.contains("curl -i -X TRACE &#39;http://localhost:4567/api/heartbeat&#39;"));
    }
}
