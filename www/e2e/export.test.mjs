// Exports from the JS client (pkg/index.js) in Chromium: every format, split zips and
// ad-platform lists come back as a Blob, download through an object URL, and are byte for
// byte the CLI's file (which tests/export.rs and tests/duckdb/exports.py read back with
// independent readers). Also: progress, the match report before download, the segment library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, parseCsv, tempDir, installSaveInFrame } from './harness.mjs';

const BIN = process.env.AUDIENCE_LAB_BIN ?? join(import.meta.dirname, '../../target/debug/audience-lab');
/** XLSX creation time: the same in the browser and the CLI, so the files compare byte for byte. */
const CREATED = 1_700_000_000;
const COLUMNS = ['recency_days', 'frequency', 'monetary', 'segment', 'stage', 'last_purchase', 'guide', '城市', 'tags', 'aov', 'tenure_days', 'discount_share', 'order:store'];
const RULE = { version: 1, name: '沉睡 VIP', rule: { all: [{ lifecycle: ['dormant', 'churned', 'active'] }, { metric: { name: 'frequency', gte: 1 } }] } };

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {string} */
let dir;
/** @type {import('playwright-core').Page} */
let page;
/** @type {string[]} */
let requests;

before(async () => {
  env = await start();
  // The Chinese sample: GBK, Chinese headers and values.
  dir = generate({ members: 1500, seed: 17, lang: 'zh' });
  ({ page, requests } = await openPage(env.browser, env.url));
  const files = {
    members: [...readFileSync(join(dir, 'members.csv'))],
    orders: [...readFileSync(join(dir, 'orders.csv'))],
  };
  await page.evaluate(async (files) => {
    // The client is imported as a static page would (a variable keeps tsc from resolving it).
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const lab = await AudienceLab.create();
    await lab.load('members', new Uint8Array(files.members), { name: 'members.csv' });
    await lab.load('orders', new Uint8Array(files.orders), { name: 'orders.csv' });
    Object.assign(globalThis, { AudienceLab, lab });
  }, files);
  await installSaveInFrame(page);
});
after(async () => { await env?.close(); });

/**
 * Runs `export` with the CLI; returns the file and stdout.
 * @param {string[]} flags
 */
function cliExport(flags) {
  const tmp = tempDir();
  const rule = join(tmp, 'rule.json');
  writeFileSync(rule, JSON.stringify(RULE));
  const out = join(tmp, 'out');
  const stdout = execFileSync(BIN, ['export', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), '--rule', rule, ...flags, '--out', out], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SOURCE_DATE_EPOCH: String(CREATED) },
  });
  return { bytes: readFileSync(out), stdout };
}

/**
 * Exports in the page, downloads the Blob through an object URL and a download link, and
 * returns the downloaded bytes with the Blob's type and name.
 * @param {Record<string, unknown>} opts
 */
async function download(opts) {
  const [dl, meta] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(async ({ rule, opts }) => {
      const { lab, saveInFrame } = /** @type {any} */ (globalThis);
      const blob = await lab.export(rule, opts);
      saveInFrame(blob, blob.name);
      return { type: blob.type, name: blob.name, size: blob.size, isBlob: blob instanceof Blob };
    }, { rule: RULE, opts }),
  ]);
  const path = await dl.path();
  return { ...meta, suggested: dl.suggestedFilename(), bytes: readFileSync(path) };
}

const CASES = [
  { opts: { format: 'csv', columns: COLUMNS }, flags: ['--format', 'csv'], type: 'text/csv;charset=utf-8', name: '沉睡 VIP.csv', magic: [0xef, 0xbb, 0xbf] },
  { opts: { format: 'xlsx', columns: COLUMNS }, flags: ['--format', 'xlsx'], type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', name: '沉睡 VIP.xlsx', magic: [0x50, 0x4b] },
  { opts: { format: 'parquet', columns: COLUMNS }, flags: ['--format', 'parquet'], type: 'application/vnd.apache.parquet', name: '沉睡 VIP.parquet', magic: [0x50, 0x41, 0x52, 0x31] },
  { opts: { format: 'arrow', columns: COLUMNS }, flags: ['--format', 'arrow'], type: 'application/vnd.apache.arrow.file', name: '沉睡 VIP.arrow', magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31] },
  { opts: { format: 'json', columns: COLUMNS }, flags: ['--format', 'json'], type: 'application/json', name: '沉睡 VIP.json', magic: [0x5b] },
  { opts: { format: 'ndjson', columns: COLUMNS }, flags: ['--format', 'ndjson'], type: 'application/x-ndjson', name: '沉睡 VIP.ndjson', magic: [0x7b] },
  { opts: { format: 'csv', columns: COLUMNS, splitBy: 'guide' }, flags: ['--split-by', 'guide'], type: 'application/zip', name: '沉睡 VIP-by-guide.zip', magic: [0x50, 0x4b] },
  { opts: { format: 'xlsx', columns: COLUMNS, splitBy: '城市' }, flags: ['--format', 'xlsx', '--split-by', '城市'], type: 'application/zip', name: '沉睡 VIP-by-城市.zip', magic: [0x50, 0x4b] },
  { opts: { profile: 'meta' }, flags: ['--profile', 'meta'], type: 'text/csv;charset=utf-8', name: '沉睡 VIP-meta.csv', magic: [0x65, 0x6d] },
  { opts: { profile: 'google', defaultCountry: 'CN' }, flags: ['--profile', 'google', '--default-country', 'CN'], type: 'text/csv;charset=utf-8', name: '沉睡 VIP-google.csv', magic: [0x45, 0x6d] },
  { opts: { profile: 'tiktok' }, flags: ['--profile', 'tiktok'], type: 'text/csv;charset=utf-8', name: '沉睡 VIP-tiktok.csv', magic: [0x45, 0x6d] },
];

test('every format downloads from a Blob byte for byte as the CLI writes it', async () => {
  for (const c of CASES) {
    const got = await download({ ...c.opts, created: CREATED * 1000 });
    const want = cliExport([...c.flags, ...(c.opts.profile ? [] : ['--columns', COLUMNS.join(',')])]);
    const label = JSON.stringify(c.opts);
    assert.ok(got.isBlob, label);
    assert.equal(got.type, c.type, label);
    assert.equal(got.name, c.name, label);
    assert.equal(got.suggested, c.name, label);
    assert.equal(got.size, want.bytes.length, label);
    assert.deepEqual([...got.bytes.subarray(0, c.magic.length)], c.magic, label);
    assert.ok(got.bytes.equals(want.bytes), `${label}: the page's file equals the CLI's`);
  }
  // The CSV opens with its Chinese text and one row per member of the audience.
  const csv = await download({ columns: COLUMNS });
  const [header, ...rows] = parseCsv(csv.bytes.subarray(3).toString('utf8'));
  assert.deepEqual(header, ['member_id', ...COLUMNS]);
  const count = await page.evaluate(async (rule) => /** @type {any} */ (globalThis).lab.count(rule), RULE);
  assert.equal(rows.length, count);
  assert.ok(rows.some((r) => /[\u4e00-\u9fff]/.test(r[7])), 'Chinese city names survive');
  assert.deepEqual(foreignRequests(requests, env.url), []);
});

test('fifteen downloads in a burst from one page all arrive', { timeout: 30_000 }, async () => {
  // Blink drops an 11th download of one frame within a second of the burst's first (see
  // installSaveInFrame); the test downloads must not depend on how fast the machine is.
  const names = Array.from({ length: 15 }, (_, i) => `burst-${i + 1}.csv`);
  const seen = /** @type {string[]} */ ([]);
  const all = new Promise((resolve) => {
    page.on('download', function onDownload(d) {
      seen.push(d.suggestedFilename());
      if (seen.length === names.length) { page.off('download', onDownload); resolve(undefined); }
    });
  });
  await page.evaluate((names) => {
    const { saveInFrame } = /** @type {any} */ (globalThis);
    for (const n of names) saveInFrame(new Blob([n], { type: 'text/csv' }), n);
  }, names);
  await all;
  assert.deepEqual([...seen].sort(), [...names].sort());
});

test('exportFile reports progress, parts and the match report; matchReport equals the CLI report', async () => {
  const out = await page.evaluate(async (rule) => {
    const { lab } = /** @type {any} */ (globalThis);
    /** @type {any[]} */
    const seen = [];
    const split = await lab.exportFile(rule, { splitBy: 'guide', onProgress: (/** @type {any} */ p) => seen.push(p) });
    const meta = await lab.exportFile(rule, { profile: 'meta' });
    const report = await lab.matchReport(rule, { profile: 'meta' });
    /** @type {any} */
    let error;
    try { await lab.export(rule, { format: 'pdf' }); } catch (e) { error = { code: /** @type {any} */ (e).code, message: String(/** @type {any} */ (e).message) }; }
    return { seen, parts: split.parts, rows: split.rows, size: split.size, metaReport: meta.report, report, error };
  }, RULE);
  const stages = out.seen.map((/** @type {any} */ p) => p.stage);
  assert.ok(stages.includes('write') && stages.includes('transfer'), stages.join());
  assert.equal(stages.at(-1), 'done');
  const fractions = out.seen.map((/** @type {any} */ p) => p.fraction);
  assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), 'progress only advances');
  assert.equal(fractions.at(-1), 1);
  assert.equal(out.seen.at(-1).rows, out.rows);
  assert.equal(out.parts.reduce((/** @type {number} */ n, /** @type {any} */ p) => n + p.members, 0), out.rows);
  const cliReport = JSON.parse(cliExport(['--profile', 'meta']).stdout);
  assert.deepEqual(out.report, cliReport);
  assert.deepEqual(out.metaReport, cliReport);
  assert.equal(out.report.headers.join(), 'email,phone');
  assert.equal(out.error.code, 'INVALID_OPTION');
  assert.match(out.error.message, /format: unknown variant `pdf`/);
});

test('segment definitions export and import as one library file', async () => {
  const out = await page.evaluate(async (rule) => {
    const { lab, AudienceLab } = /** @type {any} */ (globalThis);
    await lab.saveSegment(rule);
    await lab.saveSegment({ version: 1, name: 'gold', rule: { attr: { column: 'tier', in: ['金卡会员'] } } });
    const file = await lab.exportSegments();
    const text = await file.text();
    const other = await AudienceLab.create();
    const imported = await other.importSegments(file);
    /** @type {any} */
    let error;
    try { await other.importSegments('{"version":1,"segments":[{"name":"x","rule":{"tags":{"any":[]}}}]}'); } catch (e) { error = { code: /** @type {any} */ (e).code, message: String(/** @type {any} */ (e).message) }; }
    const again = await other.exportSegments();
    const countHere = await lab.count({ version: 1, name: 'q', rule: { all: [{ segment: '沉睡 VIP' }, { segment: 'gold' }] } });
    other.terminate();
    return { name: file.name, type: file.type, text, imported, error, again: await again.text(), countHere };
  }, RULE);
  assert.equal(out.name, 'segments.json');
  assert.equal(out.type, 'application/json');
  const lib = JSON.parse(out.text);
  assert.equal(lib.version, 1);
  assert.deepEqual(lib.segments.map((/** @type {any} */ s) => s.name).sort(), ['gold', '沉睡 VIP'].sort());
  assert.deepEqual(lib.segments.find((/** @type {any} */ s) => s.name === '沉睡 VIP'), RULE);
  assert.deepEqual(out.imported, lib.segments);
  assert.equal(out.again, out.text, 'a failed import saves nothing');
  assert.equal(out.error.code, 'RULE_ERROR');
  assert.match(out.error.message, /segments\[0\]\.rule\.tags\.any/);
  assert.ok(out.countHere > 0);
});
