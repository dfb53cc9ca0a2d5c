// "SQL for your warehouse" on the report screens (RFM, the Overview's KPIs, lifecycle stages and
// stage trend, Cohorts, Movement's migration matrix) in Chromium against the CLI: the query the
// panel shows is the stdout of `audience-lab sql --report R --dialect D` with the options the
// screen shows, in both dialects, and again after those options change while the panel is open
// (as of, scoring and cut points, segment map, window and lifecycle thresholds, cohort period
// and basis, the movement's dates and states); those flags give the CLI's table the screen
// shows; Copy puts that text on the clipboard; the panel speaks Chinese; a query the engine
// refuses (cohorts by join date without a join date column) is said in the panel, as the CLI
// says it. Screenshots of the panel: /tmp/warehouse-*.png and /tmp/warehouse2-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cli, cliSegmentCounts, loadFiles, parseCsv, readCsvFile, tempDir, BIN } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** @typedef {import('playwright-core').Page} Page */

/**
 * The CLI's query of a report over a folder's exports: the independent side.
 * @param {string} dir folder with members.csv and orders.csv
 * @param {string} report
 * @param {string} dialect
 * @param {string[]} [flags] the report's options
 * @param {string} [members] another members file
 */
function cliSql(dir, report, dialect, flags = [], members = join(dir, 'members.csv')) {
  return cli(['sql', '--report', report, '--dialect', dialect, '--orders', join(dir, 'orders.csv'), '--members', members, ...flags]);
}

/**
 * Opens a tab and waits for its view.
 * @param {Page} page
 * @param {string} view
 */
async function show(page, view) {
  await page.click(`audience-lab #tab-${view}`);
  await page.waitForSelector(`audience-lab .view-${view}`);
}

/**
 * The query the panel shows once it shows `expected` (or, after waiting for it in vain, what
 * it shows then, for the assertion's diff).
 * @param {Page} page
 * @param {string} expected
 */
async function shownSql(page, expected) {
  await page.waitForFunction((want) => {
    const box = document.querySelector('audience-lab')?.shadowRoot?.querySelector('#warehouse');
    return box?.getAttribute('data-state') === 'ready' && box.querySelector('#warehouse-sql')?.textContent === want;
  }, expected, { timeout: 20_000 }).catch(() => {});
  return page.$eval('audience-lab #warehouse #warehouse-sql', (el) => el.textContent);
}

/**
 * Asserts that the open panel of the screen shows the CLI's query of `report` in `dialect`.
 * @param {Page} page
 * @param {string} dir
 * @param {string} report
 * @param {string} dialect
 * @param {string[]} flags
 */
async function assertSql(page, dir, report, dialect, flags) {
  const expected = cliSql(dir, report, dialect, flags);
  assert.ok(expected.startsWith(`-- audience-lab report ${report} (${dialect})`), expected.slice(0, 80));
  const shown = await shownSql(page, expected);
  assert.equal(shown, expected, `${report} in ${dialect} with ${flags.join(' ') || 'the defaults'}`);
  assert.ok(shown?.startsWith(`-- audience-lab report ${report} (${dialect})`));
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'data-dialect'), dialect);
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'data-report'), report);
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'open'), '', 'the panel is open');
}

/**
 * Picks a dialect in the panel.
 * @param {Page} page
 * @param {string} dialect
 */
async function pickDialect(page, dialect) {
  await page.selectOption('audience-lab #warehouse-dialect', dialect);
}

/**
 * Clicks Copy (over other text on the clipboard) and returns what the clipboard then holds
 * and what the button says.
 * @param {Page} page
 */
async function copied(page) {
  await page.evaluate(() => navigator.clipboard.writeText('not the query'));
  await page.click('audience-lab #warehouse-copy');
  await page.waitForSelector('audience-lab #warehouse-copy[data-copied="true"]');
  return {
    clipboard: await page.evaluate(() => navigator.clipboard.readText()),
    button: await page.textContent('audience-lab #warehouse-copy'),
  };
}

/**
 * A new page that may use the clipboard.
 * @param {string} locale
 */
async function clipboardPage(locale) {
  const opened = await openPage(env.browser, env.url, { locale });
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.url).origin });
  return opened;
}

/**
 * Picks the report of a screen that shows several (the Overview).
 * @param {Page} page
 * @param {string} report
 */
async function pickReport(page, report) {
  await page.selectOption('audience-lab #warehouse-report', report);
}

/**
 * A CLI report's CSV over a folder's exports (`migration`, `trend`), with flags.
 * @param {string} dir
 * @param {string} command
 * @param {string[]} flags
 */
function cliCsv(dir, command, flags) {
  const out = join(tempDir(), `${command}.csv`);
  cli([command, '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), ...flags, '--out', out]);
  return readCsvFile(out);
}

/**
 * Asserts that the Movement screen's matrix is the CLI's `migration` with `flags`: every cell
 * with members, and no other.
 * @param {Page} page
 * @param {string} dir
 * @param {string[]} flags
 */
async function assertMatrix(page, dir, flags) {
  const { header, rows } = cliCsv(dir, 'migration', flags);
  assert.deepEqual(header.slice(0, 3), ['from_state', 'to_state', 'members']);
  const expected = Object.fromEntries(rows.filter((r) => Number(r[2]) > 0).map(([x, y, n]) => [`${x} → ${y}`, Number(n)]));
  const shown = await page.$$eval('audience-lab #migration-matrix td[data-from]', (tds) => tds.map((td) => /** @type {HTMLElement} */ (td).dataset)
    .filter((d) => Number(d.members) > 0).map((d) => [`${d.from} → ${d.to}`, Number(d.members)]));
  assert.ok(shown.length > 0, 'the matrix has members');
  assert.deepEqual(Object.fromEntries(shown), expected, `the matrix of migration ${flags.join(' ')}`);
}

/**
 * The dates the Movement screen shows its matrix for, once it shows one.
 * @param {Page} page
 */
async function movementDates(page) {
  await page.waitForSelector('audience-lab #migration-matrix');
  return {
    from: /** @type {string} */ (await page.getAttribute('audience-lab #migration-matrix', 'data-from')),
    to: /** @type {string} */ (await page.getAttribute('audience-lab #migration-matrix', 'data-to')),
  };
}

/** The engine's words, from the CLI. @type {import('../lib/generated.js').Vocabulary} */
const vocab = JSON.parse(cli(['vocabulary']));

/** The day `days` after a `YYYY-MM-DD` date. @param {string} iso @param {number} days */
function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A displayed number back to a number ("1,234"). @param {string | null} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

test('every report screen shows the CLI\'s query with the options it shows, in both dialects; Copy copies it', async () => {
  const dir = generate({ members: 1500, seed: 29 });
  const { page, requests, errors, context } = await clipboardPage('en-US');
  await loadFiles(page, dir);

  // RFM: closed at first; opened, the query of the screen's defaults.
  await show(page, 'rfm');
  await page.waitForSelector('audience-lab #chart-rfm svg');
  assert.equal(await page.textContent('audience-lab #warehouse summary'), 'SQL for your warehouse');
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'data-state'), 'closed');
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^RFM: the same table as this screen.* orders, members, member_tags\.$/);
  await page.click('audience-lab #warehouse summary');
  await assertSql(page, dir, 'rfm', 'duckdb', []);
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'rfm', 'spark', []);

  // The options change while the panel is open: each redraw shows their query.
  const latest = await page.inputValue('audience-lab #as-of');
  const asOf = addDays(latest, -45);
  await page.fill('audience-lab #as-of', asOf);
  await assertSql(page, dir, 'rfm', 'spark', ['--as-of', asOf]);
  await page.selectOption('audience-lab #method', 'thresholds');
  await page.waitForSelector('audience-lab #cuts-r');
  await page.fill('audience-lab #cuts-r', '20, 60, 120, 300');
  await page.locator('audience-lab #cuts-r').dispatchEvent('change');
  await page.selectOption('audience-lab #segment-map', 'klaviyo');
  const rfmFlags = ['--as-of', asOf, '--method', 'thresholds', '--r-cuts', '20,60,120,300', '--f-cuts', '1,2,4,8', '--m-cuts', '100,300,800,2000', '--segment-map', 'klaviyo'];
  await assertSql(page, dir, 'rfm', 'spark', rfmFlags);
  // Those flags are the screen's options: the CLI's RFM with them is the table shown.
  const counts = cliSegmentCounts(dir, rfmFlags);
  const rows = await page.$$eval('audience-lab #segments tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.segment ?? '', tr.querySelector('.members')?.textContent ?? '']));
  for (const [segment, n] of rows.slice(0, -1)) assert.equal(parse(n), counts.counts[segment] ?? 0, `members of ${segment}`);
  await pickDialect(page, 'duckdb');
  await assertSql(page, dir, 'rfm', 'duckdb', rfmFlags);
  const rfmCopy = await copied(page);
  assert.equal(rfmCopy.clipboard, cliSql(dir, 'rfm', 'duckdb', rfmFlags));
  assert.equal(rfmCopy.button, 'Copied');
  await page.waitForSelector('audience-lab #warehouse-copy:not([data-copied])');
  assert.equal(await page.textContent('audience-lab #warehouse-copy'), 'Copy');
  await page.locator('audience-lab #warehouse').scrollIntoViewIfNeeded();
  await page.locator('audience-lab .view-rfm').screenshot({ path: '/tmp/warehouse-rfm.png' });

  // Overview: the lifecycle stages; the panel stays open and keeps its dialect.
  await show(page, 'overview');
  await assertSql(page, dir, 'lifecycle', 'duckdb', rfmFlags);
  await page.$eval('audience-lab', async (el, o) => {
    const e = /** @type {any} */ (el);
    const { options } = await e.save();
    await e.restore({ options: { ...options, ...o } });
  }, { windowDays: 730, newDays: 45, dormantAfter: 120, churnAfter: 240 });
  const lifeFlags = [...rfmFlags, '--window-days', '730', '--new-days', '45', '--dormant-after', '120', '--churn-after', '240'];
  await assertSql(page, dir, 'lifecycle', 'duckdb', lifeFlags);
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'lifecycle', 'spark', lifeFlags);
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse-overview.png' });

  // Cohorts: by month, then by quarter and by join date; closed and opened again.
  await show(page, 'cohorts');
  await assertSql(page, dir, 'cohort', 'spark', lifeFlags);
  await page.selectOption('audience-lab #cohort-period', 'quarter');
  await assertSql(page, dir, 'cohort', 'spark', [...lifeFlags, '--period', 'quarter']);
  await pickDialect(page, 'duckdb');
  await assertSql(page, dir, 'cohort', 'duckdb', [...lifeFlags, '--period', 'quarter']);
  await page.selectOption('audience-lab #cohort-by', 'join_date');
  const cohortFlags = [...lifeFlags, '--period', 'quarter', '--by', 'join_date'];
  await assertSql(page, dir, 'cohort', 'duckdb', cohortFlags);
  await page.click('audience-lab #warehouse summary');
  await page.waitForSelector('audience-lab #warehouse[data-state="closed"]:not([open])');
  await page.selectOption('audience-lab #cohort-period', 'week');
  await page.waitForSelector('audience-lab #cohort-period option[value="week"][selected]', { state: 'attached' });
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'open'), null, 'closed stays closed');
  await page.click('audience-lab #warehouse summary');
  await assertSql(page, dir, 'cohort', 'duckdb', [...lifeFlags, '--period', 'week', '--by', 'join_date']);
  await page.selectOption('audience-lab #cohort-period', 'quarter');
  await assertSql(page, dir, 'cohort', 'duckdb', cohortFlags);
  const cohortCopy = await copied(page);
  assert.equal(cohortCopy.clipboard, cliSql(dir, 'cohort', 'duckdb', cohortFlags));
  await page.locator('audience-lab #warehouse').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/warehouse-cohorts.png' });
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse-cohorts-panel.png' });

  // The element's state carries the panel's choices.
  const saved = await page.$eval('audience-lab', (e) => /** @type {any} */ (e).save());
  assert.deepEqual(saved.warehouse, { dialect: 'duckdb', open: true, overview: 'lifecycle' });

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('in Chinese: the panel\'s words, the CLI\'s query over a Chinese export, Copy; the language switch keeps it', async () => {
  const dir = generate({ members: 1200, seed: 37, lang: 'zh' });
  const { page, requests, errors, context } = await clipboardPage('zh-CN');
  await loadFiles(page, dir);

  await show(page, 'cohorts');
  assert.equal(await page.textContent('audience-lab #warehouse summary'), '数仓 SQL');
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^同期群：与本页相同的结果.*orders、members、member_tags/);
  await page.click('audience-lab #warehouse summary');
  assert.match(await page.textContent('audience-lab .warehouse-bar label') ?? '', /^SQL 方言 /);
  await assertSql(page, dir, 'cohort', 'duckdb', []);
  await page.selectOption('audience-lab #cohort-period', 'week');
  await assertSql(page, dir, 'cohort', 'duckdb', ['--period', 'week']);
  const copy = await copied(page);
  assert.equal(copy.clipboard, cliSql(dir, 'cohort', 'duckdb', ['--period', 'week']));
  assert.equal(copy.button, '已复制');
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse-zh-cohorts.png' });

  await show(page, 'rfm');
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'rfm', 'spark', []);
  await page.selectOption('audience-lab #segment-map', 'shopify');
  await assertSql(page, dir, 'rfm', 'spark', ['--segment-map', 'shopify']);
  assert.equal(await page.textContent('audience-lab #warehouse-copy'), '复制');
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse-zh-rfm.png' });

  await show(page, 'overview');
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^生命周期：/);
  await assertSql(page, dir, 'lifecycle', 'spark', ['--segment-map', 'shopify']);

  // The Overview's list of reports and the Movement's matrix, in Chinese.
  assert.match(await page.textContent('audience-lab .warehouse-bar label') ?? '', /^报表 /);
  assert.deepEqual(await page.$$eval('audience-lab #warehouse-report option', (os) => os.map((o) => o.textContent)),
    ['kpi', 'lifecycle', 'trend'].map((id) => vocab.sqlReports.find((r) => r.id === id)?.label.zh));
  await pickReport(page, 'kpi');
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^会员指标：与本页相同的结果/);
  await assertSql(page, dir, 'kpi', 'spark', ['--segment-map', 'shopify']);
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse2-zh-kpi.png' });
  await show(page, 'movement');
  const { from, to } = await movementDates(page);
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^迁移矩阵：/);
  await page.check('audience-lab #movement-by input[value="segment"]');
  await assertSql(page, dir, 'migration', 'spark', ['--segment-map', 'shopify', '--from', from, '--to', to, '--by', 'segment']);
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse2-zh-movement.png' });
  await show(page, 'overview');
  await assertSql(page, dir, 'kpi', 'spark', ['--segment-map', 'shopify']);
  await pickReport(page, 'lifecycle');

  // The header's language switch relabels the panel; it stays open with the same query.
  await page.selectOption('audience-lab select.lang', 'en');
  await page.waitForSelector('audience-lab #warehouse summary:text-is("SQL for your warehouse")');
  await assertSql(page, dir, 'lifecycle', 'spark', ['--segment-map', 'shopify']);
  assert.equal(await page.textContent('audience-lab #warehouse-copy'), 'Copy');

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Overview\'s KPIs and stage trend, the Movement\'s matrix by stage and by segment: the CLI\'s query with the options shown, in both dialects', async () => {
  const dir = generate({ members: 1500, seed: 43 });
  const { page, requests, errors, context } = await clipboardPage('en-US');
  await loadFiles(page, dir);

  // Overview: one panel, the lifecycle stages first; its list offers the screen's reports.
  await show(page, 'overview');
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'data-report'), 'lifecycle');
  assert.equal(await page.getAttribute('audience-lab #warehouse', 'data-state'), 'closed');
  assert.equal((await page.$$('audience-lab details.warehouse')).length, 1, 'one panel');
  const label = (/** @type {string} */ id, /** @type {'en' | 'zh'} */ lang) => vocab.sqlReports.find((r) => r.id === id)?.label[lang];
  assert.deepEqual(await page.$$eval('audience-lab #warehouse-report option', (os) => os.map((o) => [/** @type {HTMLOptionElement} */ (o).value, o.textContent])),
    ['kpi', 'lifecycle', 'trend'].map((id) => [id, label(id, 'en')]));
  await page.click('audience-lab #warehouse summary');
  assert.match(await page.textContent('audience-lab .warehouse-bar label') ?? '', /^Report /);
  await assertSql(page, dir, 'lifecycle', 'duckdb', []);
  await pickReport(page, 'kpi');
  await assertSql(page, dir, 'kpi', 'duckdb', []);
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^KPIs: the same table as this screen.* orders, members, member_tags\.$/);
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'kpi', 'spark', []);

  // The options change while the panel is open: the KPIs' query follows.
  const asOf = addDays(JSON.parse(cli(['kpi', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv')])).asOf, -45);
  await page.$eval('audience-lab', async (el, o) => {
    const e = /** @type {any} */ (el);
    const { options } = await e.save();
    await e.restore({ options: { ...options, ...o } });
  }, { asOf, windowDays: 730, newDays: 45, dormantAfter: 120, churnAfter: 240 });
  const flags = ['--as-of', asOf, '--window-days', '730', '--new-days', '45', '--dormant-after', '120', '--churn-after', '240'];
  await assertSql(page, dir, 'kpi', 'spark', flags);
  // Those flags are the screen's options: the CLI's KPIs with them are the cards shown.
  const kpis = JSON.parse(cli(['kpi', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), ...flags]));
  assert.equal(kpis.asOf, asOf);
  assert.equal(parse(await page.textContent('audience-lab .kpi[data-kpi="buyers"] .kpi-value')), kpis.overall.buyers, 'buyers');
  await pickDialect(page, 'duckdb');
  await assertSql(page, dir, 'kpi', 'duckdb', flags);
  await page.locator('audience-lab #warehouse').scrollIntoViewIfNeeded();
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse2-kpi.png' });

  // The stage trend, month by month as the chart shows it.
  await pickReport(page, 'trend');
  const trendFlags = [...flags, '--period', 'month'];
  await assertSql(page, dir, 'trend', 'duckdb', trendFlags);
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^Stage trend: /);
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'trend', 'spark', trendFlags);
  await page.waitForSelector('audience-lab #stage-trend[data-state="ready"]');
  const points = JSON.parse(/** @type {string} */ (await page.getAttribute('audience-lab #stage-trend', 'data-points')));
  const trend = cliCsv(dir, 'trend', trendFlags);
  assert.deepEqual(points.map((/** @type {any} */ p) => [p.date, p.notYet, p.prospect, p.new, p.active, p.dormant, p.churned]),
    trend.rows.map(([date, ...n]) => [date, ...n.map(Number)]), 'the chart is the CLI\'s trend with those flags');
  const trendCopy = await copied(page);
  assert.equal(trendCopy.clipboard, cliSql(dir, 'trend', 'spark', trendFlags));
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse2-trend.png' });

  // The report picked stays across screens and in the element's state; one-report screens offer no list.
  await show(page, 'rfm');
  await assertSql(page, dir, 'rfm', 'spark', flags);
  assert.equal(await page.$('audience-lab #warehouse-report'), null);
  await show(page, 'overview');
  await assertSql(page, dir, 'trend', 'spark', trendFlags);
  assert.equal(await page.inputValue('audience-lab #warehouse-report'), 'trend');
  const saved = await page.$eval('audience-lab', (e) => /** @type {any} */ (e).save());
  assert.deepEqual(saved.warehouse, { dialect: 'spark', open: true, overview: 'trend' });

  // Movement: the last quarter by lifecycle stage, the panel after the flow.
  await show(page, 'movement');
  let { from, to } = await movementDates(page);
  assert.equal(to, asOf);
  assert.equal(from, addDays(asOf, -91));
  assert.equal(await page.$('audience-lab #warehouse-report'), null);
  let moveFlags = [...flags, '--from', from, '--to', to, '--by', 'stage'];
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  assert.match(await page.textContent('audience-lab #warehouse .hint') ?? '', /^Migration matrix: /);
  await assertMatrix(page, dir, moveFlags);
  await pickDialect(page, 'duckdb');
  await assertSql(page, dir, 'migration', 'duckdb', moveFlags);
  await page.locator('audience-lab #warehouse').scrollIntoViewIfNeeded();
  await page.locator('audience-lab #warehouse').screenshot({ path: '/tmp/warehouse2-movement.png' });
  await page.screenshot({ path: '/tmp/warehouse2-movement-page.png' });

  // By RFM segment, then the last 30 days, then two dates of one's own.
  await page.check('audience-lab #movement-by input[value="segment"]');
  moveFlags = [...flags, '--from', from, '--to', to, '--by', 'segment'];
  await assertSql(page, dir, 'migration', 'duckdb', moveFlags);
  await assertMatrix(page, dir, moveFlags);
  await pickDialect(page, 'spark');
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  await page.check('audience-lab #movement-period input[value="last30"]');
  from = addDays(asOf, -30);
  moveFlags = [...flags, '--from', from, '--to', to, '--by', 'segment'];
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  assert.deepEqual(await movementDates(page), { from, to });
  await page.fill('audience-lab #movement-from', addDays(asOf, -200));
  await page.waitForSelector(`audience-lab #migration-matrix[data-from="${addDays(asOf, -200)}"]`);
  await page.fill('audience-lab #movement-to', addDays(asOf, -20));
  ({ from, to } = { from: addDays(asOf, -200), to: addDays(asOf, -20) });
  moveFlags = [...flags, '--from', from, '--to', to, '--by', 'segment'];
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  assert.deepEqual(await movementDates(page), { from, to });
  await assertMatrix(page, dir, moveFlags);
  await page.check('audience-lab #movement-by input[value="stage"]');
  moveFlags = [...flags, '--from', from, '--to', to, '--by', 'stage'];
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  await assertMatrix(page, dir, moveFlags);

  // The RFM options are the segments': another map, its query.
  await page.check('audience-lab #movement-by input[value="segment"]');
  await page.$eval('audience-lab', async (el) => {
    const e = /** @type {any} */ (el);
    const { options } = await e.save();
    await e.restore({ options: { ...options, segmentMap: 'klaviyo' } });
  });
  moveFlags = [...flags, '--segment-map', 'klaviyo', '--from', from, '--to', to, '--by', 'segment'];
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  const moveCopy = await copied(page);
  assert.equal(moveCopy.clipboard, cliSql(dir, 'migration', 'spark', moveFlags));

  // Dates the screen refuses: no matrix, no query; good dates again: both, the panel still open.
  await page.fill('audience-lab #movement-to', addDays(from, -1));
  await page.waitForSelector('audience-lab #movement-error');
  assert.equal(await page.$('audience-lab #warehouse'), null, 'no query without a matrix');
  await page.fill('audience-lab #movement-to', to);
  await assertSql(page, dir, 'migration', 'spark', moveFlags);
  await page.locator('audience-lab #warehouse').scrollIntoViewIfNeeded();
  await page.locator('audience-lab .view-movement').screenshot({ path: '/tmp/warehouse2-movement-segment.png' });

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a query the engine refuses is said in the panel, as the CLI says it; the view keeps its controls', async () => {
  const dir = generate({ members: 600, seed: 41 });
  // Members without a join date (nor another date column that could stand for one).
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'members.csv'), 'utf8')).filter((r) => r.length > 1);
  const keep = header.map((h, i) => [h, i]).filter(([h]) => h !== 'join_date' && h !== 'birthday').map(([, i]) => /** @type {number} */ (i));
  const other = tempDir();
  const csv = (/** @type {string} */ v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(join(other, 'members.csv'), [header, ...rows].map((r) => keep.map((i) => csv(r[i])).join(',')).join('\n') + '\n');
  writeFileSync(join(other, 'orders.csv'), readFileSync(join(dir, 'orders.csv')));
  // The CLI refuses it.
  let refusal = '';
  try {
    execFileSync(BIN, ['sql', '--report', 'cohort', '--by', 'join_date', '--orders', join(other, 'orders.csv'), '--members', join(other, 'members.csv')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    refusal = String(/** @type {any} */ (e).stderr);
  }
  assert.match(refusal, /join date/, 'the CLI refuses cohorts by join date');

  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await loadFiles(page, other);
  await show(page, 'cohorts');
  await page.click('audience-lab #warehouse summary');
  await assertSql(page, other, 'cohort', 'duckdb', []);
  await page.selectOption('audience-lab #cohort-by', 'join_date');
  await page.waitForSelector('audience-lab #warehouse[data-state="error"]');
  const said = await page.textContent('audience-lab #warehouse-error') ?? '';
  assert.match(said, /^No query for these options: /);
  const reason = said.replace(/^No query for these options: /, '');
  assert.ok(reason.length > 10 && refusal.includes(reason), `the CLI says "${reason}" too: ${refusal}`);
  assert.ok(await page.isHidden('audience-lab #warehouse-sql'), 'no query shown');
  assert.ok(await page.isDisabled('audience-lab #warehouse-copy'), 'nothing to copy');
  // The view says its own refusal and keeps its controls; the element shows no error of its own.
  assert.match(await page.textContent('audience-lab #cohort-error') ?? '', /join date/);
  assert.ok(await page.isHidden('audience-lab #error'));
  await page.locator('audience-lab .view-cohorts').screenshot({ path: '/tmp/warehouse-error.png' });
  // Back to first purchases: the table and the query again.
  await page.selectOption('audience-lab #cohort-by', 'first_purchase');
  await assertSql(page, other, 'cohort', 'duckdb', []);
  await page.waitForSelector('audience-lab #cohort-table');

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
