// The largest export the page handles: generated member and order exports (Parquet, zstd,
// 3.6 purchases' activity as in issue 16) of growing size are loaded in headless Chromium and
// every screen's call is made (RFM, lifecycle, KPIs, cohorts, timeline, a builder count, a
// page of members, a CSV export) until the first OUT_OF_MEMORY; then one size between the
// last that answered and the first refused. A PANIC anywhere fails the benchmark. Prints the
// heap per member and per order row, and writes JSON to bench/results/ceiling.json.
//
//   node www/bench/ceiling.mjs [MEMBERS ...]     (default: 1000000 2000000 2500000 3000000 3500000 4000000)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, openPage, ROOT } from '../e2e/harness.mjs';

const BIN = join(ROOT, 'target/release/audience-lab');
const DATA = join(ROOT, 'bench/data/ceiling');
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(1_000_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000);
const MiB = 1024 * 1024;

/** Generates (once) the exports of `members` members. @param {number} members */
function files(members) {
  const dir = join(DATA, `m${members}`);
  if (!existsSync(join(dir, 'orders.parquet'))) {
    const t = Date.now();
    execFileSync(BIN, ['gen', '--members', String(members), '--seed', '4', '--activity', '3.6', '--format', 'parquet', '--compression', 'zstd', '--out', dir], { stdio: 'inherit' });
    console.log(`generated ${members} members in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  return [join(dir, 'members.parquet'), join(dir, 'orders.parquet')];
}

const env = await start();

/** Loads one size and makes every call; resolves to what each answered. @param {number} members */
async function run(members) {
  const { page, context } = await openPage(env.browser, env.url);
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'picked', multiple: true });
    document.body.append(input);
  });
  await page.setInputFiles('#picked', files(members));
  const t = Date.now();
  const out = await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const [m, o] = /** @type {HTMLInputElement} */ (document.getElementById('picked')).files ?? [];
    const lab = await AudienceLab.create();
    const rule = { any: [{ rfm: { segment: ['at_risk', 'cant_lose'] } }, { lifecycle: ['dormant'] }] };
    /** @type {[string, () => Promise<unknown>][]} */
    const steps = [
      ['load members', () => lab.load('members', m).then((/** @type {any} */ r) => r.rowsLoaded)],
      ['load orders', () => lab.load('orders', o).then((/** @type {any} */ r) => r.rowsLoaded)],
      ['rfm', () => lab.rfm().then(() => true)],
      ['lifecycle', () => lab.lifecycle().then(() => true)],
      ['kpis', () => lab.kpis().then(() => true)],
      ['cohorts', () => lab.cohorts().then(() => true)],
      ['timeline', () => lab.timeline().then(() => true)],
      ['count', () => lab.count(rule)],
      ['members page', () => lab.members(rule, { limit: 10 }).then((/** @type {any} */ p) => p.total)],
      ['csv export', () => lab.exportFile(rule, { columns: ['recency_days', 'frequency', 'monetary', 'segment', 'tier'] }).then((/** @type {any} */ r) => r.size)],
    ];
    /** @type {{ step: string, ok?: unknown, code?: string, message?: string, heap: number, linear: number | null }[]} */
    const log = [];
    for (const [step, call] of steps) {
      const r = await call().then((ok) => ({ ok }), (e) => ({ code: e.code, message: e.message }));
      const mem = 'code' in r && r.code === 'PANIC' ? { heapBytes: 0, linearBytes: null } : await lab.memory();
      log.push({ step, ...r, heap: mem.heapBytes, linear: mem.linearBytes });
      if ('code' in r) break;
    }
    lab.terminate();
    return log;
  });
  await context.close();
  const seconds = (Date.now() - t) / 1000;
  const failed = out.find((s) => s.code);
  for (const s of out) {
    console.log(`  ${s.step.padEnd(13)} ${s.code ? `${s.code}: ${s.message}` : 'ok'.padEnd(4)}  heap ${(s.heap / MiB).toFixed(0).padStart(5)} MiB  wasm memory ${s.linear ? (s.linear / MiB).toFixed(0).padStart(5) : '    -'} MiB`);
  }
  const orders = Number(out[1]?.ok ?? 0);
  return { members, orders, seconds, answered: !failed, failed: failed ?? null, steps: out };
}

/** @type {Awaited<ReturnType<typeof run>>[]} */
const results = [];
/** @param {number} members */
async function measure(members) {
  console.log(`${members} members`);
  const r = await run(members);
  results.push(r);
  if (r.failed?.code === 'PANIC') throw new Error(`PANIC at ${members} members: ${r.failed.message}`);
  return r;
}
let lastOk = null;
let firstRefused = null;
for (const members of sizes) {
  const r = await measure(members);
  if (r.answered) lastOk = r;
  else { firstRefused = r; break; }
}
if (lastOk && firstRefused) {
  const mid = Math.round((lastOk.members + firstRefused.members) / 2 / 125_000) * 125_000;
  if (mid > lastOk.members && mid < firstRefused.members) {
    const r = await measure(mid);
    if (r.answered) lastOk = r;
    else firstRefused = r;
  }
}
await env.close();

const heapAt = (/** @type {typeof results[0]} */ r, /** @type {string} */ step) => r.steps.find((s) => s.step === step)?.heap ?? 0;
const summary = lastOk && {
  largest: { members: lastOk.members, orders: lastOk.orders },
  bytesPerMember: Math.round(heapAt(lastOk, 'load members') / lastOk.members),
  bytesPerOrderRow: Math.round((heapAt(lastOk, 'load orders') - heapAt(lastOk, 'load members')) / lastOk.orders),
  heapAfterEveryScreenMiB: Math.round(Math.max(...lastOk.steps.map((s) => s.heap)) / MiB),
  firstRefused: firstRefused && { members: firstRefused.members, orders: firstRefused.orders, step: firstRefused.failed?.step, message: firstRefused.failed?.message },
};
console.log(JSON.stringify(summary, null, 2));
const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'ceiling.json'), JSON.stringify({ date: new Date().toISOString(), summary, results }, null, 2) + '\n');
