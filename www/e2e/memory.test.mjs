// The engine under a memory budget: every step answers or rejects with OUT_OF_MEMORY naming
// the step and the sizes (never a panic), the answers it gives are the unlimited engine's,
// and what answered before a refusal still answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, generate, foreignRequests, loadFiles, appLab, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {string} */
let dir;
before(async () => {
  env = await start();
  dir = generate({ members: 20000, seed: 16 });
});
after(async () => { await env?.close(); });

const MiB = 1024 * 1024;

/**
 * Runs every step of a session in a fresh lab with `maxMemory` (null: none) in the page, each
 * settled as `{ ok }` or `{ code, message }`.
 * @param {import('playwright-core').Page} page
 * @param {number | null} maxMemory
 */
function walk(page, maxMemory) {
  return page.evaluate(async (maxMemory) => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const [members, orders] = /** @type {HTMLInputElement} */ (document.getElementById('picked')).files ?? [];
    const lab = await AudienceLab.create(maxMemory === null ? {} : { maxMemory });
    const rule = { any: [{ rfm: { segment: ['at_risk', 'cant_lose'] } }, { metric: { name: 'clv', gt: 20 } }, { lifecycle: ['active'] }] };
    const columns = ['recency_days', 'frequency', 'monetary', 'segment', 'stage', 'tier', 'store', 'phone', 'email'];
    /** @type {[string, () => Promise<unknown>][]} */
    const steps = [
      ['load members', () => lab.load('members', members).then((/** @type {any} */ r) => r.rowsLoaded)],
      ['load orders', () => lab.load('orders', orders).then((/** @type {any} */ r) => r.rowsLoaded)],
      ['rfm', () => lab.rfm()],
      ['lifecycle', () => lab.lifecycle()],
      ['cohorts', () => lab.cohorts({ period: 'week' })],
      ['kpis', () => lab.kpis({ by: 'store' })],
      ['timeline', () => lab.timeline({ period: 'week' })],
      ['tags', () => lab.tags()],
      ['clv', () => lab.clv()],
      ['count', () => lab.count(rule)],
      ['members', () => lab.members(rule, { limit: 10, columns })],
      ['csv', () => lab.exportFile(rule, { columns }).then((/** @type {any} */ r) => r.rows)],
      ['xlsx', () => lab.exportFile(rule, { columns, format: 'xlsx' }).then((/** @type {any} */ r) => r.rows)],
      ['meta', () => lab.matchReport(rule, { profile: 'meta' })],
      ['rfm again', () => lab.rfm()],
      ['count again', () => lab.count(rule)],
    ];
    /** @type {Record<string, any>} */
    const out = {};
    for (const [name, run] of steps) {
      out[name] = await run().then((ok) => ({ ok }), (e) => ({ code: e.code, message: e.message }));
    }
    out.memory = await lab.memory();
    lab.terminate();
    return out;
  }, maxMemory);
}

/** The steps (as error messages name them) each call may be refused at. */
const DATASET = 'building the dataset from the loaded tables';
const ANALYSIS = 'the member analysis (RFM scores and lifecycle stages)';
const SEGMENT = "the segment's members";
/** @type {Record<string, string[]>} */
const REFUSED_AT = {
  rfm: [DATASET, ANALYSIS],
  lifecycle: [DATASET, ANALYSIS],
  cohorts: [DATASET, ANALYSIS, 'the cohort table'],
  kpis: [DATASET, ANALYSIS, 'the KPIs'],
  timeline: [DATASET, ANALYSIS, 'the timeline'],
  tags: [DATASET, 'the tag intersections'],
  clv: [DATASET, 'the CLV fit'],
  count: [DATASET, ANALYSIS, SEGMENT],
  members: [DATASET, ANALYSIS, SEGMENT],
  csv: [DATASET, ANALYSIS, SEGMENT, 'the export'],
  xlsx: [DATASET, ANALYSIS, SEGMENT, 'the XLSX export'],
  meta: [DATASET, ANALYSIS, SEGMENT, 'the ad-platform list'],
  'rfm again': [DATASET, ANALYSIS],
  'count again': [DATASET, ANALYSIS, SEGMENT],
};

/** @param {number} n */
const grouped = (n) => n.toLocaleString('en-US');

test('under any memory budget every step answers as without one, or rejects with OUT_OF_MEMORY naming the step and the sizes', async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.url);
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'picked', multiple: true });
    document.body.append(input);
  });
  await page.setInputFiles('#picked', [join(dir, 'members.csv'), join(dir, 'orders.csv')]);
  const free = await walk(page, null);
  for (const [name, r] of Object.entries(free)) assert.ok(!('code' in r), `${name} without a limit: ${JSON.stringify(r)}`);
  const members = free['load members'].ok;
  const orders = free['load orders'].ok;
  assert.equal(members, 20000);

  /** @type {Set<string>} */
  const refusedSteps = new Set();
  let refusedAfterAnswers = 0;
  const limits = [8, 12, 16, 24, 32, 40, 48, 64];
  for (const mib of limits) {
    const run = await walk(page, mib * MiB);
    const ordersLoaded = !('code' in run['load orders']);
    for (const [name, r] of Object.entries(run)) {
      if (name === 'memory') {
        assert.equal(r.limitBytes, mib * MiB);
        continue;
      }
      const where = `${name} at ${mib} MiB`;
      if (!('code' in r)) {
        assert.deepEqual(r.ok, free[name].ok, `${where}: the answer without a limit`);
        continue;
      }
      if (r.code === 'NO_DATA') {
        // The truth when the orders were refused: there are none.
        assert.ok(!ordersLoaded, `${where}: NO_DATA with the orders loaded`);
        continue;
      }
      assert.equal(r.code, 'OUT_OF_MEMORY', `${where}: ${r.code} ${r.message}`);
      if (name.startsWith('load ')) {
        const file = name === 'load members' ? 'members.csv' : 'orders.csv';
        assert.match(r.message, new RegExp(`^${file}: not enough memory to load this file: \\d+ MiB in use after \\d+ rows, the limit is ${mib} MiB\\. Tables loaded before are kept\\.`), where);
        refusedSteps.add(name);
        continue;
      }
      const m = /^not enough memory for (.+?): it needs about \d+ MiB more for ([\d,]+) members and ([\d,]+) order rows.*, \d+ MiB is in use and the limit is (\d+) MiB\. The loaded tables are kept .* To go on: /.exec(r.message);
      assert.ok(m, `${where}: ${r.message}`);
      assert.ok(REFUSED_AT[name].includes(m[1]), `${where} refused at "${m[1]}"`);
      assert.equal(m[2], grouped(members), `${where}: members named`);
      assert.equal(m[3], grouped(ordersLoaded ? orders : 0), `${where}: order rows named`);
      assert.equal(Number(m[4]), mib, `${where}: limit named`);
      refusedSteps.add(m[1]);
      if (!('code' in run.rfm)) refusedAfterAnswers += 1;
    }
    // What answered before a refusal answers again, the same.
    if (!('code' in run.rfm)) assert.deepEqual(run['rfm again'].ok, free.rfm.ok, `rfm again at ${mib} MiB`);
  }
  // The sweep reaches a refused load, a refused dataset, and a refusal after the analysis answered.
  assert.ok(refusedSteps.has('load orders'), [...refusedSteps].join('; '));
  assert.ok(refusedSteps.has(DATASET), [...refusedSteps].join('; '));
  assert.ok(refusedAfterAnswers > 0, 'a step refused after the analysis answered');
  assert.deepEqual(errors.filter((e) => /panic|unreachable/i.test(e)), []);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  await context.close();
});

test('the page past its memory budget shows the refusal, and the screens answered before still answer', async () => {
  const { page, context, errors } = await openPage(env.browser, env.url);
  await loadFiles(page, dir);
  await page.click('audience-lab #tab-overview');
  await page.waitForSelector('audience-lab .view-overview .kpi');
  const kpis = () => page.$$eval('audience-lab .view-overview .kpi', (cards) => cards.map((c) => c.textContent));
  const before = await kpis();
  const rfm = await appLab(page, 'rfm');
  // Every member with a frequency (every buyer and more) as the audience.
  await page.click('audience-lab #tab-builder');
  await page.waitForSelector('audience-lab .view-builder');
  await page.click('audience-lab details:has(#rule-json) summary');
  await page.fill('audience-lab #rule-json', JSON.stringify({ version: 1, name: 'everyone', rule: { metric: { name: 'frequency', gte: 0 } } }));
  await page.dispatchEvent('audience-lab #rule-json', 'change');
  const everyone = await appLab(page, 'count', { metric: { name: 'frequency', gte: 0 } });
  assert.ok(everyone > 15000, `${everyone} members`);
  await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count') === String(n), everyone);
  await page.click('audience-lab #to-export');
  await page.waitForSelector('audience-lab #download');
  // A budget 12 MiB above what is held now: the analyses answered stay, an XLSX of 20,000
  // members (about 40 MiB more) does not fit.
  const heap = /** @type {{ heapBytes: number }} */ (await appLab(page, 'memory')).heapBytes;
  await appLab(page, 'setMaxMemory', heap + 12 * MiB);
  await page.evaluate(() => {
    const g = /** @type {any} */ (globalThis);
    g.labErrors = [];
    document.querySelector('audience-lab')?.addEventListener('error', (e) => g.labErrors.push(/** @type {CustomEvent} */ (e).detail));
  });
  await page.selectOption('audience-lab #export-format', 'xlsx');
  await page.click('audience-lab #download');
  await page.waitForFunction(() => /** @type {any} */ (globalThis).labErrors.length > 0);
  const [refusal] = await page.evaluate(() => /** @type {any} */ (globalThis).labErrors);
  assert.equal(refusal.code, 'OUT_OF_MEMORY');
  assert.match(refusal.message, /^not enough memory for the XLSX export: it needs about \d+ MiB more for 20,000 members and [\d,]+ order rows, [\d,]+ cells to write/);
  assert.equal(await page.textContent('audience-lab #error'), refusal.message, 'the page shows the refusal');
  await page.screenshot({ path: join(resultsDir(), 'memory-refused.png'), fullPage: true });
  // The truth: both tables are still loaded, and the screens answered before answer the same.
  await page.click('audience-lab #tab-load');
  await page.waitForSelector('audience-lab #report-orders .rows');
  await page.waitForSelector('audience-lab #report-members .rows');
  await page.click('audience-lab #tab-overview');
  await page.waitForSelector('audience-lab .view-overview .kpi');
  assert.deepEqual(await kpis(), before);
  assert.deepEqual(await appLab(page, 'rfm'), rfm);
  // Without the budget the same XLSX downloads.
  await appLab(page, 'setMaxMemory', null);
  await page.click('audience-lab #tab-export');
  await page.selectOption('audience-lab #export-format', 'xlsx');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  assert.deepEqual(errors.filter((e) => /panic|unreachable/i.test(e)), []);
  await context.close();
});
