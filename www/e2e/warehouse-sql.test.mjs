// "SQL for your warehouse" on the report screens (RFM, the Overview's lifecycle stages,
// Cohorts) in Chromium against the CLI: the query the panel shows is the stdout of
// `audience-lab sql --report R --dialect D` with the options the screen shows, in both
// dialects, and again after those options change while the panel is open (as of, scoring and
// cut points, segment map, window and lifecycle thresholds, cohort period and basis); Copy
// puts that text on the clipboard; the panel speaks Chinese; a query the engine refuses (cohorts
// by join date without a join date column) is said in the panel, as the CLI says it.
// Screenshots of the panel: /tmp/warehouse-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cli, cliSegmentCounts, loadFiles, parseCsv, tempDir, BIN } from './harness.mjs';

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
  assert.deepEqual(saved.warehouse, { dialect: 'duckdb', open: true });

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

  // The header's language switch relabels the panel; it stays open with the same query.
  await page.selectOption('audience-lab select.lang', 'en');
  await page.waitForSelector('audience-lab #warehouse summary:text-is("SQL for your warehouse")');
  await assertSql(page, dir, 'lifecycle', 'spark', ['--segment-map', 'shopify']);
  assert.equal(await page.textContent('audience-lab #warehouse-copy'), 'Copy');

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
