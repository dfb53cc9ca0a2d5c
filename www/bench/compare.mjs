// audience-lab and DuckDB-WASM side by side in one headless Chromium page, on the exports
// `make bench` generates: loads (Parquet, CSV), RFM, lifecycle, monthly cohorts, KPIs, counts
// of a fixed list of rules (and a live edit of each), one CSV export. Prints the median of
// REPS repetitions per step and the ratio, checks that both engines give the same answers,
// and writes everything as JSON to bench/results/compare-<label>.json.
//
//   node www/bench/compare.mjs DIR LABEL [REPS]
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { start, openPage, foreignRequests, ROOT } from '../e2e/harness.mjs';

const [dir = join(ROOT, 'bench/data/compare/1m'), label = '1m', repsArg = '5'] = process.argv.slice(2);
const REPS = Math.max(1, Number(repsArg));
// The orders as an Arrow IPC stream, when generated (`make bench-compare` does for 1m).
const arrow = existsSync(join(dir, 'orders.arrows'));
const files = ['members.csv', 'orders.csv', 'members.parquet', 'orders.parquet', ...(arrow ? ['orders.arrows'] : [])].map((f) => join(dir, f));
const csvBytes = statSync(join(dir, 'orders.csv')).size + statSync(join(dir, 'members.csv')).size;

// DuckDB-WASM asks its CDN for the Parquet extension (reported below, not an error here).
const env = await start({ allowHosts: ['extensions.duckdb.org'] });
const { page, requests, errors } = await openPage(env.browser, `${env.url}bench-compare/index.html`);
page.setDefaultTimeout(900_000);
page.on("pageerror", (e) => console.error(`page error: ${e}`));
await page.waitForFunction(() => /** @type {any} */ (globalThis).benchReady === true);
await page.setInputFiles('#files', files);
const ruleNames = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (globalThis).bench.rules));
const atNames = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (globalThis).bench.atRules));

/**
 * Runs one step in the page: `bench[engine][step](...args)`.
 * @param {'ours' | 'duck'} engine @param {string} step @param {unknown[]} args
 * @returns {Promise<any>}
 */
const call = (engine, step, ...args) => page.evaluate(({ engine, step, args }) => /** @type {any} */ (globalThis).bench[engine][step](...args), { engine, step, args });

/** Median of numbers. @param {number[]} xs */
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/**
 * Repeats a step; returns the median milliseconds, every time, and the first answer.
 * @param {'ours' | 'duck'} engine @param {string} step @param {(i: number) => unknown[]} [args]
 * @param {number} [reps]
 */
async function repeat(engine, step, args = () => [], reps = REPS) {
  const times = [];
  let first;
  for (let i = 0; i < reps; i++) {
    let r;
    try {
      r = await call(engine, step, ...args(i));
    } catch (e) {
      // DuckDB-WASM runs out of memory on the 10M-order variant: recorded, not fatal.
      return { error: String(/** @type {Error} */ (e).message).split('\n')[0].replace(/^page\.evaluate: /, '') };
    }
    if (r.error) return { error: r.error };
    times.push(r.ms);
    if (i === 0) first = r.value;
  }
  return { ms: median(times), times, value: first };
}

/** One run of a step; an exception in the page becomes `{ error }`. @param {'ours' | 'duck'} engine @param {string} step */
async function once(engine, step) {
  const r = await repeat(engine, step, () => [], 1);
  return r.error ? r : { ms: r.ms, value: r.value };
}

/** @type {Record<string, any>} */
const ours = {};
/** @type {Record<string, any>} */
const duck = {};

console.log(`audience-lab vs DuckDB-WASM on ${dir} (${(csvBytes / 1e6).toFixed(0)} MB of CSV), median of ${REPS}`);
await call('ours', 'setup');
/** Prints the steps measured so far and ends the run (the quick modes below). */
async function printAndExit() {
  await env.close();
  for (const [k, v] of Object.entries(ours)) if (v?.ms !== undefined) console.log(`${k.padEnd(16)} ${v.ms.toFixed(0)} ms  [${(v.times ?? []).map((/** @type {number} */ t) => t.toFixed(0)).join(' ')}]`);
  process.exit(0);
}
// KEEP_ONLY=1: Parquet drop → first screen, keep, reload → first screen, for quick iterations.
if (process.env.KEEP_ONLY) {
  ours.screenParquet = await repeat('ours', 'firstScreen', () => ['parquet', 2]);
  ours.keep = await repeat('ours', 'keep', () => [], 1);
  ours.restoreScreen = await repeat('ours', 'restoreScreen');
  await call('ours', 'forget');
  await printAndExit();
}
// ARROW_ONLY=1: the Arrow IPC load of the orders in both engines, for quick iterations.
if (process.env.ARROW_ONLY && arrow) {
  await call('ours', 'loadParquet');
  ours.loadArrowOrders = await repeat('ours', 'loadArrowOrders');
  await call('ours', 'done');
  await call('duck', 'setup');
  const d = await repeat('duck', 'loadArrowOrders');
  console.log(`Arrow IPC orders: audience-lab ${ours.loadArrowOrders.ms?.toFixed(0) ?? ours.loadArrowOrders.error} ms, DuckDB-WASM ${d.ms ?? d.error} ms [${(d.times ?? []).map((/** @type {number} */ t) => t.toFixed(0)).join(' ')}]`);
  await printAndExit();
}
// PARQUET_ONLY=1: the Parquet loads (1 and 2 workers) and drop → first screen, for quick iterations.
if (process.env.PARQUET_ONLY) {
  ours.loadParquet = await repeat('ours', 'loadParquet');
  ours.loadParquetOrders = await repeat('ours', 'loadParquetOrders');
  ours.loadParquetOrders1 = await repeat('ours', 'loadParquetOrdersWith', () => [1]);
  ours.loadParquetOrders2 = await repeat('ours', 'loadParquetOrdersWith', () => [2]);
  ours.screenParquet1 = await repeat('ours', 'firstScreen', () => ['parquet', 1]);
  ours.screenParquet = await repeat('ours', 'firstScreen', () => ['parquet', 2]);
  await printAndExit();
}
ours.loadParquet = await repeat('ours', 'loadParquet');
ours.loadParquetOrders = await repeat('ours', 'loadParquetOrders');
if (arrow) ours.loadArrowOrders = await repeat('ours', 'loadArrowOrders');
ours.loadCsvOrders = await repeat('ours', 'loadCsvOrders');
ours.loadCsv = await repeat('ours', 'loadCsv');
// Loads with 1 and 2 workers side by side (the scaling), and drop → first screen.
ours.loadCsv1 = await repeat('ours', 'loadCsvWith', () => [1]);
ours.loadCsv2 = await repeat('ours', 'loadCsvWith', () => [2]);
ours.loadCsvOrders1 = await repeat('ours', 'loadCsvOrdersWith', () => [1]);
ours.loadCsvOrders2 = await repeat('ours', 'loadCsvOrdersWith', () => [2]);
ours.loadParquetOrders1 = await repeat('ours', 'loadParquetOrdersWith', () => [1]);
ours.loadParquetOrders2 = await repeat('ours', 'loadParquetOrdersWith', () => [2]);
ours.screenCsv1 = await repeat('ours', 'firstScreen', () => ['csv', 1]);
ours.screenCsv2 = await repeat('ours', 'firstScreen', () => ['csv', 2]);
ours.screenParquet1 = await repeat('ours', 'firstScreen', () => ['parquet', 1]);
ours.screenParquet = await repeat('ours', 'firstScreen', () => ['parquet', 2]);
ours.keep = await repeat('ours', 'keep', () => [], 1);
ours.restoreScreen = await repeat('ours', 'restoreScreen');
await call('ours', 'forget');
await call('ours', 'setup');
ours.loadCsv = await repeat('ours', 'loadCsv');
// LOAD_ONLY=1: the load steps only, for quick iterations.
if (process.env.LOAD_ONLY) await printAndExit();
ours.heap = (await call('ours', 'heap')).bytes;
ours.prepare = await call('ours', 'prepare');
ours.rfm = await repeat('ours', 'rfm', (i) => [i]);
await call('ours', 'warm');
for (const step of ['lifecycle', 'cohorts', 'kpis']) ours[step] = await repeat('ours', step, (i) => [i]);
ours.counts = [];
ours.edits = [];
/** @type {string[]} */
const sql = [];
for (let j = 0; j < ruleNames.length; j++) {
  ours.counts.push(await repeat('ours', 'count', () => [j]));
  ours.edits.push(await repeat('ours', 'edit', () => [j]));
  sql.push((await call('ours', 'sql', j)).sql);
}
ours.export = await repeat('ours', 'export', () => [2]);
// Movement (SPEC §6): the migration matrix, the stage trend, rules with `at` nodes.
const { asOf } = await call('ours', 'asOf');
ours.migration = await repeat('ours', 'migration', (i) => [asOf, i]);
ours.trend = await repeat('ours', 'trend', () => [asOf]);
ours.atCounts = [];
ours.atWarm = [];
ours.atEdits = [];
/** @type {string[]} */
const atSql = [];
for (let j = 0; j < atNames.length; j++) {
  ours.atCounts.push(await repeat('ours', 'atCount', () => [j, false]));
  ours.atWarm.push(await repeat('ours', 'atCount', () => [j, true]));
  ours.atEdits.push(await repeat('ours', 'atEdit', () => [j]));
  atSql.push((await call('ours', 'atSql', j)).sql);
}
// Campaigns (SPEC §7) over a 1M-member audience.
ours.campaignAssign = await repeat('ours', 'campaignAssign', (i) => [asOf, i]);
ours.campaignResize = await repeat('ours', 'campaignResize', (i) => [asOf, i]);
ours.campaignReadout = await repeat('ours', 'campaignReadout', (i) => [asOf, i]);
ours.campaignReadoutKept = await repeat('ours', 'campaignReadoutKept', (i) => [asOf, i]);
await call('ours', 'done');

// OURS_ONLY=1: audience-lab's steps only (no DuckDB, no comparison), for quick iterations.
if (process.env.OURS_ONLY) {
  await env.close();
  for (const [k, v] of Object.entries(ours)) if (v?.ms !== undefined) console.log(`${k.padEnd(12)} ${v.ms.toFixed(1)} ms  [${(v.times ?? []).map((/** @type {number} */ t) => t.toFixed(0)).join(" ")}]`);
  ours.counts.forEach((/** @type {any} */ c, /** @type {number} */ j) => console.log(`count ${ruleNames[j].padEnd(24)} ${c.ms.toFixed(1)} ms; edit ${ours.edits[j].ms.toFixed(1)} ms`));
  console.log(`heap ${(ours.heap / 2 ** 20).toFixed(0)} MiB`);
  for (const k of ['migration', 'trend', 'campaignAssign', 'campaignResize', 'campaignReadout', 'campaignReadoutKept']) console.log(`${k.padEnd(12)} ${ours[k].ms.toFixed(1)} ms`);
  atNames.forEach((n, j) => console.log(`at count ${n}: ${ours.atCounts[j].ms.toFixed(1)} ms (date's analysis kept: ${ours.atWarm[j].ms.toFixed(1)} ms); edit inside ${ours.atEdits[j].ms.toFixed(1)} ms`));
  process.exit(0);
}
duck.version = (await call('duck', 'setup')).version;
duck.loadParquet = await once('duck', 'loadParquet');
duck.loadCsv = await repeat('duck', 'loadCsv');
if (arrow) duck.loadArrowOrders = await repeat('duck', 'loadArrowOrders');
duck.heap = (await call('duck', 'heap').catch(() => ({ bytes: NaN }))).bytes;
duck.prepare = await once('duck', 'prepare');
for (const step of ['rfm', 'lifecycle', 'cohorts', 'kpis']) duck[step] = await repeat('duck', step);
duck.counts = [];
for (let j = 0; j < ruleNames.length; j++) duck.counts.push(await repeat('duck', 'count', () => [sql[j]]));
duck.export = await repeat('duck', 'export', () => [sql[2]]);
await call('duck', 'movementSetup');
duck.migration = await repeat('duck', 'migration', (i) => [asOf, i]);
const trendDates = ours.trend.value.map((/** @type {string} */ p) => p.split(':')[0]);
duck.trend = await repeat('duck', 'trend', () => [asOf, trendDates]);
duck.atCounts = [];
for (let j = 0; j < atNames.length; j++) duck.atCounts.push(await repeat('duck', 'count', () => [atSql[j]]));
await call('duck', 'done');

// The same answers: RFM segments, stages, every cohort cell, KPIs, every rule's count (where
// DuckDB-WASM could answer: a step it failed is reported, with its error, below).
const both = (/** @type {any} */ d) => d && !d.error;
const checked = [];
if (both(duck.loadCsv)) { assert.equal(ours.loadCsv.value.rows, duck.loadCsv.value.rows, 'orders loaded'); checked.push('orders'); }
if (both(duck.loadArrowOrders)) { assert.equal(ours.loadArrowOrders.value.rows, duck.loadArrowOrders.value.rows, 'Arrow orders loaded'); checked.push('Arrow orders'); }
if (both(duck.rfm)) { assert.deepEqual(ours.rfm.value, duck.rfm.value, 'RFM segments'); checked.push('RFM'); }
if (both(duck.lifecycle)) { assert.deepEqual(ours.lifecycle.value, duck.lifecycle.value, 'lifecycle stages'); checked.push('lifecycle'); }
if (both(duck.cohorts)) { assert.deepEqual(ours.cohorts.value, duck.cohorts.value, 'cohort cells'); checked.push('cohorts'); }
if (both(duck.kpis)) {
  for (const [k, v] of Object.entries(ours.kpis.value)) assert.ok(Math.abs(v - duck.kpis.value[k]) <= 1e-9 * Math.max(1, Math.abs(v)), `KPI ${k}: ${v} vs ${duck.kpis.value[k]}`);
  checked.push('KPIs');
}
ruleNames.forEach((name, j) => { if (both(duck.counts[j])) { assert.equal(ours.counts[j].value, duck.counts[j].value, `count of "${name}"`); checked.push(`count ${j}`); } });
if (both(duck.migration)) { assert.deepEqual(ours.migration.value, duck.migration.value, 'migration cells'); checked.push('migration'); }
if (both(duck.trend)) { assert.deepEqual(ours.trend.value, duck.trend.value, 'stage trend'); checked.push('trend'); }
atNames.forEach((name, j) => { if (both(duck.atCounts[j])) { assert.equal(ours.atCounts[j].value, duck.atCounts[j].value, `count of "${name}"`); checked.push(`at count ${j}`); } });
if (both(duck.export)) { assert.equal(ours.export.value.rows, duck.export.value.rows, 'exported rows'); checked.push('export'); }
// DuckDB-WASM fetches its Parquet extension from its CDN (blocked here: no internet); nothing
// else may leave the page.
const foreign = foreignRequests(requests, env.url);
const duckCdn = foreign.filter((u) => new URL(u).hostname === 'extensions.duckdb.org');
assert.deepEqual(foreign.filter((u) => !duckCdn.includes(u)), [], 'no request to another origin');
await env.close();

const wasm = readFileSync(join(ROOT, 'pkg/audience_lab_bg.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
const ms = (/** @type {any} */ x) => (x?.error ? 'n/a' : x.ms.toFixed(x.ms < 100 ? 1 : 0));
const ratio = (/** @type {any} */ a, /** @type {any} */ b) => (a?.error || b?.error ? '' : `${(b.ms / a.ms).toFixed(1)}×`);
/** @type {[string, any, any, string][]} */
const rows = [
  ['load Parquet (members + orders)', ours.loadParquet, duck.loadParquet, ''],
  ['load Parquet (orders), default workers', ours.loadParquetOrders, null, '≤ 1.2 s'],
  ['load Parquet (orders), 1 worker', ours.loadParquetOrders1, null, ''],
  ...(arrow ? [/** @type {[string, any, any, string]} */ (['load Arrow IPC stream (orders)', ours.loadArrowOrders, duck.loadArrowOrders, '≥ 2× DuckDB'])] : []),
  ['load CSV (members + orders)', ours.loadCsv, duck.loadCsv, '≥ 200 MB/s'],
  ['load CSV (orders)', ours.loadCsvOrders, null, ''],
  ['load CSV (members + orders), 1 worker', ours.loadCsv1, duck.loadCsv, ''],
  ['load CSV (members + orders), 2 workers', ours.loadCsv2, duck.loadCsv, '≥ 150 MB/s'],
  ['load CSV (orders), 1 worker', ours.loadCsvOrders1, null, ''],
  ['load CSV (orders), 2 workers', ours.loadCsvOrders2, null, ''],
  ['load Parquet (orders), 2 workers by row groups', ours.loadParquetOrders2, null, '≤ 1.2 s'],
  ['CSV drop → first screen, 1 worker', ours.screenCsv1, null, ''],
  ['CSV drop → first screen, 2 workers', ours.screenCsv2, null, '≤ 4 s'],
  ['Parquet drop → first screen, 1 worker', ours.screenParquet1, null, ''],
  ['Parquet drop → first screen, 2 workers', ours.screenParquet, null, '≤ 2.5 s'],
  [`keep in this browser (${((ours.keep.value?.bytes ?? 0) / 1e6).toFixed(0)} MB)`, ours.keep, null, ''],
  ['reload → first screen from the kept workspace', ours.restoreScreen, null, '≤ 1.5 s'],
  ['prepare (first query after load)', ours.prepare, duck.prepare, ''],
  ['RFM', ours.rfm, duck.rfm, '≤ 120 ms'],
  ['lifecycle', ours.lifecycle, duck.lifecycle, '≤ 40 ms'],
  ['cohorts (month)', ours.cohorts, duck.cohorts, '≤ 60 ms'],
  ['KPIs', ours.kpis, duck.kpis, '≤ 20 ms'],
  ...ruleNames.map((n, j) => /** @type {[string, any, any, string]} */ ([`count: ${n}`, ours.counts[j], duck.counts[j], ''])),
  ...ruleNames.map((n, j) => /** @type {[string, any, any, string]} */ ([`live edit: ${n}`, ours.edits[j], null, /purchased|bought|skincare|online|¥/.test(n) ? '≤ 50 ms' : '≤ 16 ms'])),
  ['export CSV ("tier")', ours.export, duck.export, ''],
  ['migration matrix by stage (91 days)', ours.migration, duck.migration, '≤ 150 ms'],
  ['stage trend, 24 month ends', ours.trend, duck.trend, '≤ 400 ms'],
  ...atNames.map((n, j) => /** @type {[string, any, any, string]} */ ([`first count, at rule: ${n}`, ours.atCounts[j], duck.atCounts[j], '≤ 60 ms'])),
  ...atNames.map((n, j) => /** @type {[string, any, any, string]} */ ([`  same, date's analysis kept: ${n}`, ours.atWarm[j], null, '≤ 60 ms'])),
  ...atNames.map((n, j) => /** @type {[string, any, any, string]} */ ([`live edit inside at: ${n}`, ours.atEdits[j], null, '≤ 16 ms'])),
  [`campaign assignment (${ours.campaignAssign.value?.members} members, by stage)`, ours.campaignAssign, null, '≤ 300 ms'],
  ['campaign MDE for another holdout', ours.campaignResize, null, '≤ 16 ms'],
  ['campaign readout (30 days), groups assigned again', ours.campaignReadout, null, '≤ 100 ms'],
  ['campaign readout (30 days), groups kept', ours.campaignReadoutKept, null, '≤ 100 ms'],
];
console.log(`\n${'step'.padEnd(52)} ${'audience-lab ms'.padStart(16)} ${'DuckDB-WASM ms'.padStart(16)} ${'ratio'.padStart(8)}  goal`);
for (const [name, a, b, goal] of rows) console.log(`${name.padEnd(52)} ${ms(a).padStart(16)} ${(b ? ms(b) : '').padStart(16)} ${(b ? ratio(a, b) : '').padStart(8)}  ${goal}`);
console.log(`\nanswers equal in both engines: ${checked.join(', ') || 'none (DuckDB-WASM answered no step)'}`);
const failed = Object.entries(duck).filter(([, v]) => v?.error).map(([k, v]) => `${k}: ${v.error}`);
for (const [j, c] of duck.counts.entries()) if (c?.error) failed.push(`count ${ruleNames[j]}: ${c.error}`);
for (const [j, c] of duck.atCounts.entries()) if (c?.error) failed.push(`count ${atNames[j]}: ${c.error}`);
if (failed.length) console.log(`DuckDB-WASM failed:\n  ${failed.join('\n  ')}`);
if (duck.loadParquet.error) console.log(`\nDuckDB-WASM Parquet: ${duck.loadParquet.error}${duckCdn.length ? ` (it requested ${duckCdn.join(', ')})` : ''}`);
console.log(`\nCSV parse: ${(csvBytes / 1e6 / (ours.loadCsv.ms / 1000)).toFixed(0)} MB/s (audience-lab), ${(csvBytes / 1e6 / (duck.loadCsv.ms / 1000)).toFixed(0)} MB/s (DuckDB-WASM ${duck.version})`);
console.log(`heap after load: audience-lab ${(ours.heap / 2 ** 20).toFixed(0)} MiB (wasm heap; CSV ${(csvBytes / 2 ** 20).toFixed(0)} MiB); DuckDB-WASM ${(duck.heap / 2 ** 20).toFixed(0)} MiB (duckdb_memory())`);
console.log(`wasm: ${(wasm.length / 2 ** 20).toFixed(2)} MiB, gzipped ${(gz / 2 ** 20).toFixed(2)} MiB`);
if (errors.length) console.log(`console errors: ${errors.join(' | ')}`);

const out = join(ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `compare-${label}.json`), JSON.stringify({
  date: new Date().toISOString(), label, dir, reps: REPS, csvBytes, wasmBytes: wasm.length, wasmGzipBytes: gz,
  rules: ruleNames.map((name, j) => ({ name, sql: sql[j] })), atRules: atNames.map((name, j) => ({ name, sql: atSql[j] })), ours, duck,
}, null, 2) + '\n');
