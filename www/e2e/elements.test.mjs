// Two `<audience-lab>` elements on one page (www/e2e-two.html) are two apps: their own data,
// screens, languages, options, rules and choices; re-rendering a view leaves no listener behind
// on anything that outlives it; `save()` / `restore()` carry one element's state to another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, parseCsv, loadFiles, elementLab, cliSegmentCounts, resultsDir } from './harness.mjs';
import { watchListeners, listenerCounts } from './listeners.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const A = 'audience-lab#a';
const B = 'audience-lab#b';
const VIEWS = ['load', 'overview', 'rfm', 'cohorts', 'movement', 'clv', 'tags', 'builder', 'export', 'campaigns'];

/**
 * Opens a tab of one element and waits for its view.
 * @param {import('playwright-core').Page} page
 * @param {string} el
 * @param {string} view
 */
async function show(page, el, view) {
  await page.click(`${el} #tab-${view}`);
  await page.waitForSelector(`${el} .view-${view}`);
}

/**
 * Picks a language in an element's header and waits for its Load title in that language.
 * @param {import('playwright-core').Page} page
 * @param {string} el
 * @param {'en' | 'zh'} lang
 */
async function pickLang(page, el, lang) {
  await page.selectOption(`${el} select.lang`, lang);
  await page.waitForSelector(`${el} #tab-load:text-is("${lang === 'zh' ? '导入' : 'Load'}")`);
}

test('re-rendering views leaves no listener behind on the Store, the hosts, window or document', async () => {
  const dir = generate({ members: 400, seed: 31 });
  const { page, errors, context } = await openPage(env.browser, `${env.url}e2e-two.html`, { init: watchListeners });
  await loadFiles(page, dir, A);
  // One round first: modules that register something once when they load (ECharts) have loaded.
  for (const view of VIEWS.slice(1)) await show(page, A, view);
  await show(page, A, 'load');
  const first = await listenerCounts(page);
  assert.equal(first.stores.length, 2, 'one Store per element');

  for (let round = 0; round < 3; round++) {
    for (const view of VIEWS.slice(1)) {
      await show(page, A, view);
      await show(page, A, 'load');
    }
    await pickLang(page, A, 'zh');
    await page.waitForSelector(`${A} .view-load h2:text-is("导入数据")`);
    await pickLang(page, A, 'en');
    await page.waitForSelector(`${A} .view-load h2:text-is("Load exports")`);
  }
  assert.deepEqual(await listenerCounts(page), first);
  assert.deepEqual(errors, []);
  await context.close();
});

/** A displayed number back to a number ("1,234" / "55.3%"). @param {string | null} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

/** The rows of a generated members file (the independent side of the member counts). @param {string} dir */
function memberRows(dir) {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'members.csv'), 'utf8')).filter((r) => r.length > 1);
  return { header, rows };
}

/**
 * An element's `save()`.
 * @param {import('playwright-core').Page} page
 * @param {string} el
 * @returns {Promise<any>}
 */
function saveOf(page, el) {
  return page.$eval(el, (e) => /** @type {any} */ (e).save());
}

/**
 * Asserts an element's Overview against its own client and its own members file.
 * @param {import('playwright-core').Page} page
 * @param {string} el
 * @param {string} dir
 */
async function checkOverview(page, el, dir) {
  await show(page, el, 'overview');
  const life = /** @type {any} */ (await elementLab(page, el, 'lifecycle', {}));
  const kpis = /** @type {any} */ (await elementLab(page, el, 'kpis', {}));
  const members = parse(await page.textContent(`${el} [data-kpi="members"] .kpi-value`));
  assert.equal(members, memberRows(dir).rows.length, `${el}: members in its file`);
  assert.equal(members, life.members, `${el}: members of its client`);
  assert.equal(parse(await page.textContent(`${el} [data-kpi="buyers"] .kpi-value`)), kpis.overall.buyers, `${el}: buyers of its client`);
  return members;
}

/**
 * Opens an RFM segment of an element as its audience and goes on to its Export view.
 * @param {import('playwright-core').Page} page
 * @param {string} el
 * @param {string} segment
 */
async function exportSegment(page, el, segment) {
  await show(page, el, 'rfm');
  await page.click(`${el} #segments tr[data-segment="${segment}"] button`);
  await page.waitForSelector(`${el} .view-builder`);
  await page.click(`${el} #to-export`);
  await page.waitForSelector(`${el} #export-count`);
}

test('two elements on one page keep their own data, screen, language, options and choices', async () => {
  const dirA = generate({ members: 1500, seed: 41 });
  const dirB = generate({ members: 900, seed: 42 });
  const { page, requests, errors, context } = await openPage(env.browser, `${env.url}e2e-two.html`);
  assert.equal(await page.textContent(`${A} #tab-overview`), 'Overview');
  assert.equal(await page.textContent(`${B} #tab-overview`), '概览');
  await loadFiles(page, dirA, A);
  assert.equal(await page.getAttribute(`${B} #tab-overview`, 'disabled'), '', 'B has no orders of its own yet');
  await loadFiles(page, dirB, B);

  const membersA = await checkOverview(page, A, dirA);
  assert.ok(await page.$(`${B} .view-load`), 'B stays on Load');
  const membersB = await checkOverview(page, B, dirB);
  assert.notEqual(membersA, membersB);

  // Choices in A: cohorts by ISO week as counts, the overlap as Jaccard over a smaller tag set.
  await show(page, A, 'cohorts');
  await page.selectOption(`${A} #cohort-period`, 'week');
  await page.waitForSelector(`${A} #cohort-table tbody tr[data-cohort*="-W"]`);
  await page.selectOption(`${A} #cohort-show`, 'counts');
  // The attribute, not the selectedness: only the redrawn view is made with it.
  await page.waitForSelector(`${A} #cohort-show option[value="counts"][selected]`, { state: 'attached' });
  await show(page, B, 'cohorts');
  assert.equal(await page.$eval(`${B} #cohort-period`, (s) => /** @type {HTMLSelectElement} */ (s).value), 'month');
  const cohortsB = await page.$$eval(`${B} #cohort-table tbody tr`, (trs) => trs.map((tr) => /** @type {HTMLElement} */ (tr).dataset.cohort ?? ''));
  assert.ok(cohortsB.length > 0 && cohortsB.every((c) => /^\d{4}-\d{2}$/.test(c)), `B's cohorts are months: ${cohortsB}`);

  await show(page, A, 'tags');
  await page.selectOption(`${A} #overlap-show`, 'jaccard');
  await page.waitForSelector(`${A} #overlap-show option[value="jaccard"][selected]`, { state: 'attached' });
  const setA = await page.$$eval(`${A} #tag-set input:checked`, (cbs) => cbs.map((c) => /** @type {HTMLInputElement} */ (c).value));
  await page.click(`${A} #tag-set input[value="${setA[0]}"]`);
  await page.waitForFunction(({ sel, n }) => document.querySelector(sel)?.shadowRoot?.querySelectorAll('#tag-overlap tbody tr').length === n, { sel: A, n: setA.length - 1 });
  await show(page, B, 'tags');
  assert.equal(await page.$eval(`${B} #overlap-show`, (s) => /** @type {HTMLSelectElement} */ (s).value), 'counts');
  const setB = await page.$$eval(`${B} #tag-overlap tbody tr`, (trs) => trs.map((tr) => /** @type {HTMLElement} */ (tr).dataset.tag));
  assert.deepEqual(setB, /** @type {any} */ (await elementLab(page, B, 'tags', { top: 8 })).set, 'B compares its default tag set');

  // Rules and export choices: champions as an XLSX split by guide in A, at-risk members in B.
  await exportSegment(page, A, 'champions');
  await page.selectOption(`${A} #export-format`, 'xlsx');
  await page.selectOption(`${A} #export-split`, 'guide');
  await exportSegment(page, B, 'at_risk');
  assert.equal(await page.$eval(`${B} #export-format`, (s) => /** @type {HTMLSelectElement} */ (s).value), 'csv');
  assert.equal(await page.$eval(`${B} #export-split`, (s) => /** @type {HTMLSelectElement} */ (s).value), '');
  const { counts: cliA } = cliSegmentCounts(dirA);
  const { counts: cliB } = cliSegmentCounts(dirB);
  assert.equal(Number(await page.getAttribute(`${A} #export-count`, 'data-count')), cliA.champions);
  assert.equal(Number(await page.getAttribute(`${B} #export-count`, 'data-count')), cliB.at_risk);

  // Languages: A to Chinese from its header leaves B; B to English leaves A, redrawn or not.
  await pickLang(page, B, 'en');
  await pickLang(page, A, 'zh');
  await page.waitForSelector(`${A} .view-export h2:text-is("导出")`);
  assert.equal(await page.textContent(`${B} #tab-overview`), 'Overview');
  assert.equal(await page.textContent(`${B} .view-export h2`), 'Export');
  await checkOverview(page, A, dirA);
  assert.equal(await page.textContent(`${A} [data-kpi="members"] .kpi-label`), '会员数');
  await checkOverview(page, B, dirB);
  assert.equal(await page.textContent(`${B} [data-kpi="members"] .kpi-label`), 'Members');

  const a = await saveOf(page, A);
  const b = await saveOf(page, B);
  assert.deepEqual([a.lang, b.lang], ['zh', 'en']);
  assert.deepEqual([a.cohorts.period, b.cohorts.period], ['week', 'month']);
  assert.deepEqual([a.cohorts.show, b.cohorts.show], ['counts', 'percent']);
  assert.deepEqual([a.tags.show, b.tags.show], ['jaccard', 'counts']);
  assert.deepEqual([a.tags.tags, b.tags.tags], [setA.slice(1), null]);
  assert.deepEqual([a.export.format, b.export.format], ['xlsx', 'csv']);
  assert.deepEqual([a.export.splitBy, b.export.splitBy], ['guide', '']);
  assert.deepEqual([a.segment.rule, b.segment.rule], [{ all: [{ rfm: { segment: ['champions'] } }] }, { all: [{ rfm: { segment: ['at_risk'] } }] }]);

  await page.setViewportSize({ width: 2200, height: 1000 });
  await show(page, A, 'rfm');
  await show(page, B, 'tags');
  await page.waitForSelector(`${A} #chart-rfm svg`);
  await page.screenshot({ path: join(resultsDir(), 'two-elements.png'), fullPage: true });
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Every member id, phone and email of a generated export, and every order id.
 * @param {string} dir
 */
function memberData(dir) {
  const { header, rows } = memberRows(dir);
  const cols = ['member_id', 'phone', 'email'].map((c) => header.indexOf(c));
  const [oHeader, ...orders] = parseCsv(readFileSync(join(dir, 'orders.csv'), 'utf8')).filter((r) => r.length > 1);
  const orderId = oHeader.indexOf('order_id');
  return [...rows.flatMap((r) => cols.map((i) => r[i])), ...orders.map((r) => r[orderId])].filter(Boolean);
}

test('save() holds the screen, language, options, rule and choices and no member data; restore() shows them in another element', async () => {
  const dirA = generate({ members: 1200, seed: 51 });
  const dirB = generate({ members: 700, seed: 52 });
  const { page, requests, errors, context } = await openPage(env.browser, `${env.url}e2e-two.html`);
  await loadFiles(page, dirA, A);
  await loadFiles(page, dirB, B);

  // A: RFM by ntile (an analysis option), cohorts by week, a rule of two conditions with a
  // name, its SQL for Spark, in Chinese.
  await show(page, A, 'rfm');
  await page.selectOption(`${A} #method`, 'ntile');
  await page.waitForSelector(`${A} #method option[value="ntile"][selected]`, { state: 'attached' });
  await show(page, A, 'cohorts');
  await page.selectOption(`${A} #cohort-period`, 'week');
  await page.waitForSelector(`${A} #cohort-table tbody tr[data-cohort*="-W"]`);
  await show(page, A, 'rfm');
  await page.click(`${A} #segments tr[data-segment="champions"] button`);
  await page.waitForSelector(`${A} .view-builder`);
  await page.selectOption(`${A} #rule-tree > .group > .add > select`, 'metric');
  await page.click(`${A} #rule-tree > .group > .add > .add-condition`);
  await page.fill(`${A} #segment-name`, 'vip test');
  const rule = { all: [{ rfm: { segment: ['champions'] } }, { metric: { name: 'frequency', gte: 2 } }] };
  const countA = await elementLab(page, A, 'count', rule, { method: 'ntile' });
  await page.waitForSelector(`${A} #audience-count[data-count="${countA}"]`);
  await page.click(`${A} #sql-box summary`);
  await page.selectOption(`${A} #sql-dialect`, 'spark');
  await pickLang(page, A, 'zh');
  await page.waitForSelector(`${A} .view-builder h2:text-is("人群圈选")`);

  const s = await saveOf(page, A);
  assert.equal(s.version, 1);
  assert.equal(s.view, 'builder');
  assert.equal(s.lang, 'zh');
  assert.equal(s.options.method, 'ntile');
  assert.deepEqual(s.segment, { version: 1, name: 'vip test', rule });
  assert.equal(s.cohorts.period, 'week');
  assert.deepEqual(s.builder, { dialect: 'spark', sql: true });
  const json = JSON.stringify(s);
  const leaked = [...memberData(dirA), ...memberData(dirB)].filter((v) => json.includes(v));
  assert.deepEqual(leaked, [], 'no member id, phone, email or order id in the state');

  // B elsewhere first: English, Overview, cohorts by quarter; restore() replaces all of it.
  await pickLang(page, B, 'en');
  await show(page, B, 'cohorts');
  await page.selectOption(`${B} #cohort-period`, 'quarter');
  await page.waitForSelector(`${B} #cohort-table tbody tr[data-cohort*="-Q"]`);
  await show(page, B, 'overview');
  await page.$eval(B, (e, state) => /** @type {any} */ (e).restore(state), s);
  assert.deepEqual(await saveOf(page, B), s);
  assert.ok(await page.$(`${B} .view-builder`), 'the builder is shown when restore() resolves');
  assert.equal(await page.getAttribute(B, 'lang'), 'zh');
  assert.equal(await page.textContent(`${B} #tab-overview`), '概览');
  assert.equal(await page.textContent(`${B} .view-builder h2`), '人群圈选');
  assert.equal(await page.inputValue(`${B} #segment-name`), 'vip test');
  assert.deepEqual(JSON.parse(await page.inputValue(`${B} #rule-json`)), s.segment);
  assert.equal(await page.getAttribute(`${B} #sql-box`, 'open'), '');
  assert.equal(await page.inputValue(`${B} #sql-dialect`), 'spark');
  // B counts the rule over its own data, with the restored options.
  const countB = await elementLab(page, B, 'count', rule, { method: 'ntile' });
  await page.waitForSelector(`${B} #audience-count[data-count="${countB}"]`);
  await show(page, B, 'rfm');
  assert.equal(await page.inputValue(`${B} #method`), 'ntile');
  await show(page, B, 'cohorts');
  assert.equal(await page.inputValue(`${B} #cohort-period`), 'week');
  assert.ok(await page.$(`${B} #cohort-table tbody tr[data-cohort*="-W"]`));
  assert.deepEqual(await saveOf(page, A), s, 'A is as it was');

  // Unknown keys and unfit values are ignored; missing keys keep their values.
  await page.$eval(B, (e) => /** @type {any} */ (e).restore({ view: 'tags', bogus: 1, cohorts: { period: 'decade', show: 'counts' } }));
  assert.ok(await page.$(`${B} .view-tags`));
  assert.deepEqual(await saveOf(page, B), { ...s, view: 'tags', cohorts: { ...s.cohorts, show: 'counts' } });
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
