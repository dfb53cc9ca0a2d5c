// The comparison page: the same steps on audience-lab (loaded from /pkg/ as a portal would)
// and on DuckDB-WASM (bundled), each step timed here with performance.now(). The driver
// (www/bench/compare.mjs) calls `bench.ours[step]` / `bench.duck[step]` and repeats them.
// The DuckDB side runs the SQL written from SPEC §2 for the differential tests (tests/sql/)
// and, for the rules, the SQL audience-lab compiles (`lab.toSql`), so both answer the same
// definitions; every step returns its answer so the driver can check they agree.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import inputsSql from '../../../tests/sql/inputs.sql?raw';
import baseSql from '../../../tests/sql/base.sql?raw';
import rfmSql from '../../../tests/sql/rfm_quantile.sql?raw';
import lifecycleSql from '../../../tests/sql/lifecycle.sql?raw';
import cohortSql from '../../../tests/sql/cohort.sql?raw';
import kpiSql from '../../../tests/sql/kpi.sql?raw';
import movementSql from '../../../tests/sql/movement.sql?raw';
import { RULES, AT_RULES } from './rules.js';

/** The picked files by name. */
function files() {
  const input = /** @type {HTMLInputElement} */ (document.getElementById('files'));
  return Object.fromEntries([...(input.files ?? [])].map((f) => [f.name, f]));
}

/** Milliseconds `fn` takes, and what it returns. */
async function timed(fn) {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** The date `days` after the `YYYY-MM-DD` date `iso` (before it when negative). */
function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The dates of the movement steps (SPEC §6), from the latest order `asOf`: the migration
 * from 91 days back (92 on odd repetitions, so no repetition is the same question) to
 * `asOf`, and the stage trend from the first day of the month 23 months back (24 month ends,
 * `asOf` the last when it is no month end).
 */
export function movementDates(asOf, i = 0) {
  const [y, m] = asOf.split('-').map(Number);
  const trendFrom = new Date(Date.UTC(y, m - 1 - 23, 1)).toISOString().slice(0, 10);
  return { asOf, from: addDays(asOf, -91 - (i % 2)), trendFrom };
}

/** The benchmark's campaign: every member existing 60 days before `asOf`, by stage. */
function benchCampaign(asOf, i) {
  return {
    version: 1, name: 'bench', launch: addDays(asOf, -59), holdout: 0.1, salt: `bench-${i}`, stratify: 'stage', window_days: 30,
    segment: { version: 1, name: 'everyone', rule: { lifecycle: ['prospect', 'new', 'active', 'dormant', 'churned'] } },
  };
}

/** SQL text → statements (the files end statements with `;` at a line end). */
function statements(text) {
  return text.split(/;\s*(?:\n|$)/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}

// ---------------------------------------------------------------- audience-lab
const { AudienceLab } = await import(/* @vite-ignore */ `${location.origin}/pkg/index.js`);
let lab = null;
/**
 * Options that change nothing in the answers compared but differ between repetitions, so that
 * no step is answered from the session's cache. RFM: a window of 100 years (every order)
 * alternating with 100 years and a day, so the per-member base is recomputed each time.
 * Lifecycle, cohorts, KPIs: the default window (the base RFM computed is reused, as in the
 * app) and lifecycle thresholds alternating between `newDays` 30 and 31, so the stages are
 * recomputed; the cohort table and the KPIs are computed on every call.
 */
const freshBase = (i) => ({ windowDays: 36500 + (i % 2) });
const fresh = (i) => ({ newDays: 30 + (i % 2) });

/** Times loading the picked files in order; answers the rows loaded from the last one. */
function loading(/** @type {[string, string][]} */ tables, opts = {}) {
  const f = files();
  return timed(async () => {
    let report = null;
    for (const [kind, name] of tables) report = await lab.load(kind, f[name], opts);
    return { rows: report.rowsLoaded };
  });
}

/** What the app's first screen asks once the tables are in: KPIs, lifecycle stages, RFM. */
async function firstScreen() {
  const k = await lab.kpis({});
  await lab.lifecycle({});
  const r = await lab.rfm({});
  return { buyers: k.overall.buyers, segments: r.segments.length };
}

/** A fresh engine (its start is not timed): the first screen from nothing, as after a drop. */
async function fresh0() {
  lab?.terminate();
  lab = await AudienceLab.create();
}

const ours = {
  async setup() { lab?.terminate(); lab = await AudienceLab.create(); return {}; },
  loadCsv() { return loading([['members', 'members.csv'], ['orders', 'orders.csv']]); },
  loadParquet() { return loading([['members', 'members.parquet'], ['orders', 'orders.parquet']]); },
  /** The orders file alone (the goal is for orders); members stay loaded. */
  loadParquetOrders() { return loading([['orders', 'orders.parquet']]); },
  /** The orders as an Arrow IPC stream (read in one piece: already columnar). */
  loadArrowOrders() { return loading([['orders', 'orders.arrows']]); },
  loadCsvOrders() { return loading([['orders', 'orders.csv']]); },
  /** The same loads with the file read by `workers` workers. */
  loadCsvWith(workers) { return loading([['members', 'members.csv'], ['orders', 'orders.csv']], { workers }); },
  loadCsvOrdersWith(workers) { return loading([['orders', 'orders.csv']], { workers }); },
  loadParquetOrdersWith(workers) { return loading([['orders', 'orders.parquet']], { workers }); },
  /** Drop → first screen: a fresh engine loads both files (`ext`: csv or parquet) and answers the first screen. */
  async firstScreen(ext, workers) {
    await fresh0();
    const f = files();
    return timed(async () => {
      for (const kind of ['members', 'orders']) await lab.load(kind, f[`${kind}.${ext}`], { workers });
      return firstScreen();
    });
  },
  /** Keeps the loaded tables in the browser (origin-private file system). */
  async keep() { return timed(async () => { const k = await lab.keep(null); return { bytes: k.bytes }; }); },
  /** Reload → first screen from the kept workspace (a fresh engine, no files). */
  async restoreScreen() {
    await fresh0();
    return timed(async () => { await lab.restore(); return firstScreen(); });
  },
  async forget() { return { forgot: await lab.forget() }; },
  async heap() { return { bytes: await lab.heapBytes() }; },
  async prepare() { return timed(async () => { await lab.count({ tags: { any: ['KOC'] } }); return {}; }); },
  async rfm(i) {
    return timed(async () => {
      const r = await lab.rfm(freshBase(i));
      return Object.fromEntries(r.segments.map((s) => [s.segment, s.members]));
    });
  },
  /**
   * The per-member base of the default window, as the app has it after its first screen (with
   * `newDays` 31, so that repetition 0, at the default 30, recomputes the stages too).
   */
  async warm() { await lab.rfm({ newDays: 31 }); return {}; },
  async lifecycle(i) {
    return timed(async () => {
      const r = await lab.lifecycle(fresh(i));
      return Object.fromEntries(r.stages.map((s) => [s.stage, s.members]));
    });
  },
  async cohorts(i) {
    return timed(async () => {
      const r = await lab.cohorts({ ...fresh(i), period: 'month', by: 'first_purchase' });
      return r.rows.map((x) => `${x.cohort}/${x.period}:${x.size}/${x.active}/${x.revenueCents ?? Math.round(x.revenue * 100)}`);
    });
  },
  async kpis(i) {
    return timed(async () => {
      const k = (await lab.kpis(fresh(i))).overall;
      return { buyers: k.buyers, repeatPurchaseRate: k.repeatPurchaseRate, aov: k.aov, itemsPerOrder: k.itemsPerOrder, memberOrderShare: k.memberOrderShare, churnRate: k.churnRate };
    });
  },
  async count(j) {
    // The first count of a rule: no member set of it cached (the analysis is kept).
    await lab.clearCache({ analyses: false });
    return timed(async () => lab.count(RULES[j].rule));
  },
  async edit(j) {
    // A live edit: the rule with one more condition; the unchanged branches come from the cache.
    await lab.count(RULES[j].rule);
    const edited = { all: [RULES[j].rule, { not: { attr: { column: 'gender', in: ['M'] } } }] };
    return timed(async () => lab.count(edited));
  },
  async sql(j) { return { sql: await lab.toSql(RULES[j].rule, { dialect: 'duckdb' }) }; },
  /** The latest order's date (the default `as_of`). */
  async asOf() { return { asOf: (await lab.lifecycle()).asOf }; },
  /** The migration matrix by stage (SPEC §6) between two dates: every cell. */
  async migration(asOf, i) {
    const { from } = movementDates(asOf, i);
    return timed(async () => {
      const r = await lab.migration({ from, by: 'stage' });
      return r.cells.map((c) => `${c.fromState}>${c.toState}:${c.members}/${c.revenueCents}`).sort();
    });
  },
  /** The stage trend over 24 month ends: every count. */
  async trend(asOf) {
    const { trendFrom } = movementDates(asOf);
    return timed(async () => {
      const r = await lab.stageTrend({ period: 'month', from: trendFrom });
      return r.points.map((p) => `${p.date}:${p.notYet}/${p.prospect}/${p.new}/${p.active}/${p.dormant}/${p.churned}`);
    });
  },
  /**
   * The first count of an `at` rule: the segment cache emptied (the analysis of today kept),
   * so the analysis of the node's date is computed (`cold`), or kept from a count of another
   * rule at that date (`warm`: what a builder edit finds after the first count).
   */
  async atCount(j, warm) {
    await lab.clearCache({ analyses: false });
    if (warm) await lab.count(AT_RULES[j].warmUp);
    return timed(async () => lab.count(AT_RULES[j].rule));
  },
  /** A live edit inside an `at` node: one more condition in its rule, the rest cached. */
  async atEdit(j) {
    await lab.count(AT_RULES[j].rule);
    return timed(async () => lab.count(AT_RULES[j].edited));
  },
  async atSql(j) { return { sql: await lab.toSql(AT_RULES[j].rule, { dialect: 'duckdb' }) }; },
  /**
   * A campaign's groups (SPEC §7) over an audience of every member that exists 60 days
   * before the last order, by stage, each repetition with another salt and the segment cache
   * emptied (the audience at the launch date computed again: the first assignment of a
   * campaign).
   */
  async campaignAssign(asOf, i) {
    await lab.clearCache({ analyses: false });
    const c = benchCampaign(asOf, i);
    return timed(async () => {
      const s = await lab.campaignAssign(c);
      return { members: s.members, control: s.control };
    });
  },
  /** The sizes and MDE of the same campaign with another holdout (the live estimate). */
  async campaignResize(asOf, i) {
    const s = await lab.campaignAssign(benchCampaign(asOf, 0));
    return timed(async () => (await lab.campaignResize(s, 0.05 + 0.01 * i)).mde);
  },
  /**
   * The readout with the groups kept (the campaign assigned before on the same data, as the
   * page's readout after its plan, or a second look): windows of 30 and 29 days alternate.
   */
  async campaignReadoutKept(asOf, i) {
    const c = benchCampaign(asOf, 0);
    await lab.campaignAssign(c);
    return timed(async () => (await lab.campaignReadout({ ...c, window_days: 30 - (i % 2) })).overall.conversion_lift.diff);
  },
  /** The readout over the 30 days after launch (groups assigned again, as after a load). */
  async campaignReadout(asOf, i) {
    await lab.clearCache({ analyses: false });
    const c = benchCampaign(asOf, i);
    return timed(async () => (await lab.campaignReadout(c)).overall.conversion_lift.diff);
  },
  async export(j) {
    return timed(async () => {
      const blob = await lab.export(RULES[j].rule, { format: 'csv' });
      return { bytes: blob.size, rows: (await blob.text()).split('\n').filter(Boolean).length - 1 };
    });
  },
  async done() { lab?.terminate(); lab = null; return {}; },
};

// ---------------------------------------------------------------- DuckDB-WASM
let db = null;
let conn = null;
const q = async (sql) => (await conn.query(sql)).toArray().map((r) => r.toJSON());
const run = async (text) => { for (const s of statements(text)) await conn.query(s); };

const duck = {
  async setup() {
    if (conn) await conn.close();
    if (db) await db.terminate();
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(ehWorker));
    await db.instantiate(ehWasm);
    conn = await db.connect();
    for (const [name, file] of Object.entries(files())) {
      await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    }
    return { version: await db.getVersion() };
  },
  async loadCsv() {
    const text = inputsSql.replaceAll('CREATE OR REPLACE VIEW', 'CREATE OR REPLACE TABLE')
      .replaceAll('{orders}', 'orders.csv').replaceAll('{members}', 'members.csv');
    return timed(async () => {
      await run(text);
      const [{ n }] = await q('SELECT count(*)::INTEGER AS n FROM orders');
      return { rows: n };
    });
  },
  async loadParquet() {
    try {
      return await timed(async () => {
        await run("CREATE OR REPLACE TABLE pq_orders AS SELECT * FROM read_parquet('orders.parquet')");
        const [{ n }] = await q('SELECT count(*)::INTEGER AS n FROM pq_orders');
        return { rows: n };
      });
    } catch (e) {
      return { error: String(e?.message ?? e).split('\n')[0] };
    }
  },
  /** The orders as an Arrow IPC stream, into a table (the file's bytes read in the time). */
  async loadArrowOrders() {
    await run('DROP TABLE IF EXISTS ipc_orders');
    const file = files()['orders.arrows'];
    return timed(async () => {
      await conn.insertArrowFromIPCStream(new Uint8Array(await file.arrayBuffer()), { name: 'ipc_orders', create: true });
      const [{ n }] = await q('SELECT count(*)::INTEGER AS n FROM ipc_orders');
      return { rows: n };
    });
  },
  /** The orders file alone (the goal is for orders), members loaded before. */
  async loadParquetOrders() {
    const f = files();
    return timed(async () => {
      const r = await lab.load('orders', f['orders.parquet']);
      return { rows: r.rowsLoaded };
    });
  },
  async loadCsvOrders() {
    const f = files();
    return timed(async () => {
      const r = await lab.load('orders', f['orders.csv']);
      return { rows: r.rowsLoaded };
    });
  },
  async heap() {
    const [{ bytes }] = await q('SELECT sum(memory_usage_bytes)::DOUBLE AS bytes FROM duckdb_memory()');
    return { bytes };
  },
  async prepare() {
    return timed(async () => {
      await run(`SET VARIABLE as_of = (SELECT max(day) FROM orders);
SET VARIABLE window_days = NULL;
SET VARIABLE new_days = 30;
SET VARIABLE dormant_after = 90;
SET VARIABLE churn_after = 180;
SET VARIABLE period = 'month';
SET VARIABLE cohort_by = 'first_purchase';
${baseSql}`);
      // The rules' SQL reads the exports as text, columns named by role, in schema seg.
      await run(`CREATE SCHEMA IF NOT EXISTS seg;
CREATE OR REPLACE TABLE seg.orders AS SELECT * EXCLUDE (paid_amount, discount_amount), paid_amount AS amount, discount_amount AS discount FROM read_csv('orders.csv', header = true, all_varchar = true);
CREATE OR REPLACE TABLE seg.members AS SELECT * FROM read_csv('members.csv', header = true, all_varchar = true);
CREATE OR REPLACE TABLE seg.member_tags (member_id VARCHAR, tag VARCHAR)`);
      return {};
    });
  },
  async rfm() {
    return timed(async () => {
      await conn.query(`CREATE OR REPLACE TEMP TABLE rfm_out AS ${statements(rfmSql).at(-1)}`);
      const rows = await q('SELECT segment, count(*)::INTEGER AS n FROM rfm_out GROUP BY 1');
      return Object.fromEntries(rows.map((r) => [r.segment, r.n]));
    });
  },
  async lifecycle() {
    return timed(async () => {
      await conn.query(`CREATE OR REPLACE TEMP TABLE life_out AS ${statements(lifecycleSql).at(-1)}`);
      const rows = await q('SELECT stage, count(*)::INTEGER AS n FROM life_out GROUP BY 1');
      return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
    });
  },
  async cohorts() {
    const parts = statements(cohortSql);
    return timed(async () => {
      for (const s of parts.slice(0, -1)) await conn.query(s);
      const rows = await q(`SELECT cohort, period::INTEGER AS period, size::INTEGER AS size, active::INTEGER AS active, revenue_cents::DOUBLE AS rev FROM (${parts.at(-1)})`);
      return rows.map((x) => `${x.cohort}/${x.period}:${x.size}/${x.active}/${x.rev}`);
    });
  },
  async kpis() {
    const text = kpiSql.replaceAll('{group}', "'all'");
    return timed(async () => {
      const [k] = await q(`SELECT buyers::INTEGER AS buyers, repeat_purchase_rate::DOUBLE AS r, aov::DOUBLE AS aov, items_per_order::DOUBLE AS ipo, member_order_share::DOUBLE AS mos, churn_rate::DOUBLE AS churn FROM (${statements(text).at(-1)})`);
      return { buyers: k.buyers, repeatPurchaseRate: k.r, aov: k.aov, itemsPerOrder: k.ipo, memberOrderShare: k.mos, churnRate: k.churn };
    });
  },
  async count(sql) {
    await conn.query("SET search_path = 'seg'");
    try {
      return await timed(async () => {
        const [{ n }] = await q(`SELECT count(*)::INTEGER AS n FROM (${sql})`);
        return n;
      });
    } finally {
      await conn.query("SET search_path = 'main'");
    }
  },
  /** SPEC §6's SQL of the differential tests (tests/sql/movement.sql), after `prepare`. */
  async movementSetup() { await run(movementSql); return {}; },
  async migration(asOf, i) {
    const { from } = movementDates(asOf, i);
    return timed(async () => {
      const rows = await q(`SELECT a.stage AS f, b.stage AS t, count(*)::INTEGER AS n, coalesce(sum(x.net), 0)::DOUBLE AS rev
        FROM stage_at(DATE '${from}') AS a JOIN stage_at(DATE '${asOf}') AS b USING (member_id)
        LEFT JOIN net_between(DATE '${from}', DATE '${asOf}') AS x USING (member_id) GROUP BY 1, 2`);
      return rows.map((r) => `${r.f}>${r.t}:${r.n}/${r.rev}`).sort();
    });
  },
  async trend(asOf, dates) {
    // One query: the stage counts at every date of the engine's trend (the same dates).
    const sql = dates.map((d) => `SELECT DATE '${d}' AS d, stage, count(*)::INTEGER AS n FROM stage_at(DATE '${d}') GROUP BY stage`).join('\nUNION ALL\n');
    return timed(async () => {
      const rows = await q(`SELECT strftime(d, '%Y-%m-%d') AS d, stage, n FROM (${sql})`);
      const by = new Map(dates.map((d) => [d, { not_yet: 0, prospect: 0, new: 0, active: 0, dormant: 0, churned: 0 }]));
      for (const r of rows) by.get(r.d)[r.stage] = r.n;
      return dates.map((d) => { const p = by.get(d); return `${d}:${p.not_yet}/${p.prospect}/${p.new}/${p.active}/${p.dormant}/${p.churned}`; });
    });
  },
  async export(sql) {
    await conn.query("SET search_path = 'seg'");
    try {
      return await timed(async () => {
        await conn.query(`COPY (SELECT m.* FROM seg.members AS m JOIN (${sql}) AS a USING (member_id)) TO 'audience.csv' (HEADER)`);
        const buf = await db.copyFileToBuffer('audience.csv');
        return { bytes: buf.byteLength, rows: new TextDecoder().decode(buf).split('\n').filter(Boolean).length - 1 };
      });
    } finally {
      await conn.query("SET search_path = 'main'");
    }
  },
  async done() {
    await conn?.close();
    await db?.terminate();
    conn = null;
    db = null;
    return {};
  },
};

globalThis.bench = { ours, duck, rules: RULES.map((r) => r.name), atRules: AT_RULES.map((r) => r.name) };
globalThis.benchReady = true;
