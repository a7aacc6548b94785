// Browser test of the challenge progress page, against an already running server in
// multi-user mode (this script starts nothing).
//
//   BASE_URL     the server, e.g. http://127.0.0.1:4567 (required)
//   ARTIFACTS    where to save the screenshots (default: artifacts/ next to this script):
//                challenges-desktop.png, -runner.png, -achievements.png, -phone.png,
//                -phone-row.png
//   CHROMIUM     the browser binary (default /usr/bin/chromium)
//
// It creates a challenger with the page's button, checks the GUID is remembered in
// localStorage, completes a challenge over the API from Node, and waits for the open
// page to show it done without a reload. It then runs a challenge from the page's
// "Try it" runner and sees the row turn done and the section's achievement appear,
// checks that a TRACE example explains itself and offers curl, that "show remaining
// only" hides done rows, and that a 390 px wide phone screen never scrolls sideways.
// It also checks that a hostile todo title is shown as text and that the progress
// table, hints and examples work with JavaScript disabled.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const BASE_URL = (process.env.BASE_URL || '').replace(/\/+$/, '');
const ARTIFACTS = process.env.ARTIFACTS || path.join(here, 'artifacts');
const PHONE = { width: 390, height: 844 };
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LIVE_UPDATE_TIMEOUT_MS = 10_000;
const HOSTILE_TITLE = '<script>alert(1)</script>';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function step(text) {
  console.log(`- ${text}`);
}

/** A browser with a fresh profile directory; removed again by close(). */
async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'apichallenges-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function api(pathname, { method = 'GET', guid, body, contentType } = {}) {
  const headers = {};
  if (guid) headers['X-CHALLENGER'] = guid;
  if (contentType) headers['Content-Type'] = contentType;
  return fetch(BASE_URL + pathname, { method, headers, body });
}

async function checkServerIsMultiUser() {
  const page = await fetch(`${BASE_URL}/gui/challenges`, { redirect: 'manual' });
  assert.equal(page.status, 200, `GET /gui/challenges answered ${page.status}`);
  const html = await page.text();
  assert.ok(
    html.includes('Unknown Challenger ID'),
    'the server must run in multi-user mode (GET /gui/challenges without a cookie should offer to create a challenger)',
  );
}

async function liveProgress(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`unexpected dialog: ${d.message()}`);
    await d.dismiss();
  });

  step('open /gui/challenges and create a challenger with the button');
  await page.goto(`${BASE_URL}/gui/challenges`);
  await page.click('#create-challenger');
  await page.waitForURL(/\/gui\/challenges\/[0-9a-f-]{36}$/, { timeout: 10_000 });
  const guid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  assert.match(guid, UUID);
  console.log(`  challenger ${guid}`);

  step('the GUID is remembered in localStorage and the cookies are set');
  const remembered = await page.evaluate(() => localStorage.getItem('challenges-guids'));
  assert.ok(remembered && remembered.includes(`|${guid}|`), `challenges-guids was ${remembered}`);
  const cookies = Object.fromEntries((await context.cookies(BASE_URL)).map((c) => [c.name, c.value]));
  assert.equal(cookies['X-CHALLENGER'], guid);
  assert.equal(cookies['X-THINGIFIER-DATABASE-NAME'], guid);

  step('the page shows CREATE_NEW_CHALLENGER done and GET_TODOS not done');
  const status = (key) => page.getAttribute(`#challenge-${key}`, 'data-status');
  assert.equal(await status('CREATE_NEW_CHALLENGER'), 'true');
  assert.equal(await status('GET_TODOS'), 'false');
  const before = await page.textContent('#challenge-count');

  step('complete GET_TODOS over the API from Node');
  const todos = await api('/api/todos', { guid });
  assert.equal(todos.status, 200);

  step(`wait (up to ${LIVE_UPDATE_TIMEOUT_MS / 1000} s) for the open page to show it done`);
  await page.waitForSelector('#challenge-GET_TODOS[data-status="true"]', {
    timeout: LIVE_UPDATE_TIMEOUT_MS,
  });
  assert.equal(await page.textContent('#challenge-GET_TODOS .status-text'), 'Done');
  const after = await page.textContent('#challenge-count');
  assert.ok(parseInt(after, 10) > parseInt(before, 10), `count went from ${before} to ${after}`);
  console.log(`  count ${before} -> ${after}`);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'challenges-desktop.png') });
  console.log(`  screenshot ${path.join(ARTIFACTS, 'challenges-desktop.png')}`);

  await runFromTheTryItRunner(page, guid);
  await browserLimitsAreExplained(page);
  await remainingOnlyHidesDoneRows(page);

  step('a hostile todo title is shown as text in the explorer');
  const created = await api('/api/todos', {
    method: 'POST',
    guid,
    contentType: 'application/json',
    body: JSON.stringify({ title: HOSTILE_TITLE }),
  });
  assert.equal(created.status, 201);
  await page.goto(`${BASE_URL}/gui/instances?entity=todo`);
  const titles = await page.$$eval('#instances tbody tr td:nth-child(2)', (cells) =>
    cells.map((c) => c.textContent),
  );
  assert.ok(titles.includes(HOSTILE_TITLE), `titles: ${JSON.stringify(titles)}`);
  assert.equal(await page.$('#instances script'), null, 'a script element was injected');

  assert.deepEqual(problems, []);
  return guid;
}

async function runFromTheTryItRunner(page, guid) {
  step('the summary names the next challenge and the achievements are listed');
  assert.match(await page.textContent('#next-link'), /^Next: #\d+ /);
  assert.equal(await page.getAttribute('li[data-achievement="first"]', 'class'), 'achievement earned');
  assert.equal(await page.getAttribute('li[data-achievement="section-1"]', 'class'), 'achievement locked');
  assert.equal(await page.getAttribute('#challenge-GET_CHALLENGES', 'data-status'), 'false');

  step('open "Try it" for GET /api/challenges: prefilled with this learner\'s GUID');
  const row = '#challenge-GET_CHALLENGES';
  await page.click(`${row} details.try-it > summary`);
  await page.waitForSelector(`${row} form.runner`);
  const headers = await page.inputValue(`${row} form.runner textarea[id$="-headers"]`);
  assert.ok(headers.includes(`X-CHALLENGER: ${guid}`), `runner headers: ${headers}`);
  assert.equal(await page.inputValue(`${row} form.runner input[id$="-method"]`), 'GET');
  assert.equal(await page.inputValue(`${row} form.runner input[id$="-path"]`), '/api/challenges');

  step('send it; the response shows, the row turns done, the achievement appears');
  await page.click(`${row} form.runner button[type="submit"]`);
  await page.waitForFunction(
    (sel) => /^HTTP 200/.test(document.querySelector(sel)?.textContent || ''),
    `${row} .runner-status`,
    { timeout: LIVE_UPDATE_TIMEOUT_MS },
  );
  const shownBody = await page.textContent(`${row} .runner-body`);
  assert.ok(shownBody.includes('"challenges"'), `response body shown: ${shownBody.slice(0, 80)}`);
  assert.ok((await page.textContent(`${row} .runner-headers`)).includes('x-challenger: '));
  await page.waitForSelector(`${row}[data-status="true"]`, { timeout: LIVE_UPDATE_TIMEOUT_MS });
  await page.waitForSelector('li[data-achievement="section-1"].earned', { timeout: LIVE_UPDATE_TIMEOUT_MS });
  const news = await page.textContent('#achievement-news');
  assert.ok(news.includes('Section complete: First Real Challenge'), `achievement news: ${news}`);
  await page.locator('#achievements').screenshot({ path: path.join(ARTIFACTS, 'challenges-achievements.png') });
  assert.equal(await page.getAttribute(row, 'class').then((c) => c.includes('next')), false);
  await page.evaluate((sel) => document.querySelector(sel).scrollIntoView({ block: 'start' }), row);
  await page.screenshot({ path: path.join(ARTIFACTS, 'challenges-runner.png') });
  console.log(`  screenshot ${path.join(ARTIFACTS, 'challenges-runner.png')}`);
}

async function browserLimitsAreExplained(page) {
  step('a TRACE example says a browser cannot send it and offers the curl');
  const row = '#challenge-TRACE_HEARTBEAT_501';
  await page.click(`${row} details.try-it > summary`);
  await page.click(`${row} form.runner button[type="submit"]`);
  const note = await page.textContent(`${row} form.runner .notice`);
  assert.ok(note.includes('cannot be sent from a browser'), note);
  assert.ok(note.includes("curl -i -X TRACE"), note);
  assert.equal(await page.getAttribute(row, 'data-status'), 'false');
}

async function remainingOnlyHidesDoneRows(page) {
  step('"show remaining only" hides done rows and finished sections');
  await page.check('#remaining-only');
  assert.equal(await page.isVisible('#challenge-GET_TODOS'), false);
  assert.equal(await page.isVisible('#section-1'), false);
  assert.equal(await page.isVisible('#challenge-GET_TODO'), true);
  await page.uncheck('#remaining-only');
  assert.equal(await page.isVisible('#challenge-GET_TODOS'), true);
}

async function phoneHasNoSidewaysScroll(guid) {
  step(`a ${PHONE.width} px phone screen never scrolls sideways (examples and runner open)`);
  const browser = await launch({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const overflow = () => page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    for (const url of ['/', `/gui/challenges/${encodeURIComponent(guid)}`, '/api/docs']) {
      await page.goto(BASE_URL + url);
      const { scroll, width } = await overflow();
      assert.ok(scroll <= width, `${url}: page is ${scroll} px wide on a ${width} px screen`);
    }
    await page.goto(`${BASE_URL}/gui/challenges/${encodeURIComponent(guid)}`);
    for (const key of ['POST_TODOS_TOO_LONG_PAYLOAD_SIZE', 'GET_TODOS_PAGINATED_SORTED', 'PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS']) {
      await page.click(`#challenge-${key} details.hints > summary`);
      await page.click(`#challenge-${key} details.example > summary`);
      await page.click(`#challenge-${key} details.try-it > summary`);
    }
    const { scroll, width } = await overflow();
    assert.ok(scroll <= width, `with examples open the page is ${scroll} px wide on a ${width} px screen`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'challenges-phone.png') });
    await page.evaluate(() => document.querySelector('#challenge-GET_TODOS_PAGINATED_SORTED').scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'challenges-phone-row.png') });
    console.log(`  screenshots ${path.join(ARTIFACTS, 'challenges-phone.png')}, challenges-phone-row.png`);
  } finally {
    await browser.close();
  }
}

async function readableWithoutJavaScript(guid) {
  step('with JavaScript disabled the progress table is still there');
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${BASE_URL}/gui/challenges/${encodeURIComponent(guid)}`);
    assert.equal(await page.getAttribute('#challenge-GET_TODOS', 'data-status'), 'true');
    const rows = await page.$$('tr.challenge');
    assert.ok(rows.length > 50, `only ${rows.length} challenge rows`);
    step('without JavaScript hints and examples open from their summaries');
    await page.click('#challenge-GET_TODO details.hints > summary');
    assert.equal(await page.isVisible('#challenge-GET_TODO details.hints li'), true);
    await page.click('#challenge-GET_TODO details.example > summary');
    const curl = await page.textContent('#curl-GET_TODO');
    assert.ok(curl.includes(`X-CHALLENGER: ${guid}`), curl);
    assert.ok(await page.getAttribute('#challenge-GET_TODO a.solution', 'href'));
  } finally {
    await browser.close();
  }
}

async function main() {
  assert.ok(BASE_URL, 'set BASE_URL to the running server, e.g. http://127.0.0.1:4567');
  console.log(`browser test against ${BASE_URL}`);
  await checkServerIsMultiUser();
  const browser = await launch();
  let guid;
  try {
    guid = await liveProgress(browser.context);
  } finally {
    await browser.close();
  }
  await phoneHasNoSidewaysScroll(guid);
  await readableWithoutJavaScript(guid);
  console.log('browser test passed');
}

main().catch((error) => {
  console.error(`browser test FAILED: ${error.stack || error}`);
  process.exit(1);
});
