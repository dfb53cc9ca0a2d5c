// A large CSV file read in parts by several Web Workers, each with an engine of its own, in a
// portal page served with no COOP/COEP headers (not cross-origin isolated: no shared memory)
// and with the wasm file under a generic content type: the tables, reports and answers of 1,
// 2 and 4 workers are the same, and equal to the CLI's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { start, openPage, generate, cli, tempDir, ROOT } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {import('node:http').Server} */
let portal;
/** @type {string} */
let portalUrl;
/** @type {string} */
let dir;

const PAGE = `<!doctype html><meta charset="utf-8"><title>portal</title><p>portal</p>`;

before(async () => {
  env = await start({ allowHosts: ['127.0.0.1'] });
  // 60,000 members: ~19 MB of orders (GBK, Chinese headers), read in up to 4 parts.
  dir = generate({ members: 60_000, seed: 23, lang: 'zh' });
  // A note column whose quoted values hold newlines in every 250th row (ASCII bytes are the
  // same in GBK), so cuts may fall inside quoted fields.
  const raw = readFileSync(join(dir, 'members.csv'));
  const lines = raw.toString('latin1').split('\n');
  const noted = lines.map((line, i) => {
    if (line === '') return line;
    const cr = line.endsWith('\r') ? '\r' : '';
    const body = cr ? line.slice(0, -1) : line;
    const note = i === 0 ? 'note' : i % 250 === 0 ? `"first line\nsecond, line ${i}"` : `n${i % 7}`;
    return `${body},${note}${cr}`;
  });
  writeFileSync(join(dir, 'members.csv'), Buffer.from(noted.join('\n'), 'latin1'));
  // The portal: its own page, the package under /pkg/, no isolation headers at all.
  portal = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/portal.html') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    // The test's files, fetched by the page (the user would drop them).
    const data = path.startsWith('/data/');
    const rel = normalize(path).replace(/^\/(pkg|data)\//, '');
    try {
      const body = data ? readFileSync(join(dir, rel)) : readFileSync(join(ROOT, 'pkg', rel));
      const type = path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => portal.listen(0, '127.0.0.1', () => r(undefined)));
  const addr = /** @type {import('node:net').AddressInfo} */ (portal.address());
  portalUrl = `http://127.0.0.1:${addr.port}/portal.html`;
});

after(async () => {
  await env?.close();
  await new Promise((r) => portal?.close(r));
});

test('a portal without COOP/COEP loads a CSV with 2 and 4 workers: the same tables, reports and answers', async () => {
  const { page, errors } = await openPage(env.browser, portalUrl);
  const result = await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const out = { isolated: globalThis.crossOriginIsolated, shared: typeof SharedArrayBuffer, runs: /** @type {any[]} */ ([]) };
    for (const workers of [1, 2, 4]) {
      const lab = await AudienceLab.create();
      /** @type {Record<string, number>} */
      const parts = {};
      /** @type {Record<string, any>} */
      const reports = {};
      for (const kind of /** @type {const} */ (['members', 'orders'])) {
        const file = new File([await (await fetch(`/data/${kind}.csv`)).blob()], `${kind}.csv`);
        reports[kind] = await lab.load(kind, file, {
          workers,
          onProgress: (/** @type {any} */ p) => { parts[kind] = Math.max(parts[kind] ?? 1, p.parts ?? 1); },
        });
      }
      const rfm = await lab.rfm({});
      const kpis = await lab.kpis({});
      const count = await lab.count({ rule: { attr: { column: 'note', eq: 'n3' } } });
      out.runs.push({ workers, parts, reports, rfm, kpis, count });
      lab.terminate();
    }
    return out;
  });
  assert.equal(result.isolated, false, 'the portal is not cross-origin isolated');
  assert.equal(result.shared, 'undefined', 'no SharedArrayBuffer');
  const [one, two, four] = result.runs;
  assert.equal(one.parts.orders, 1);
  assert.equal(two.parts.orders, 2, 'orders read by 2 workers');
  // A part is at least 4 MiB: 4 workers read the ~15 MB of orders in 3 parts.
  const size = readFileSync(join(dir, 'orders.csv')).length;
  assert.equal(four.parts.orders, Math.min(4, Math.floor(size / (4 << 20))), 'orders read by 4 workers');
  assert.ok(four.parts.orders >= 3);
  assert.equal(four.parts.members, 1, 'members (5 MB) stay in one piece');
  for (const run of [two, four]) {
    assert.deepEqual(run.reports, one.reports, `reports with ${run.workers} workers`);
    assert.deepEqual(run.rfm, one.rfm, `rfm with ${run.workers} workers`);
    assert.deepEqual(run.kpis, one.kpis, `kpis with ${run.workers} workers`);
    assert.equal(run.count, one.count, `count with ${run.workers} workers`);
  }
  // And the numbers are the CLI's.
  const inspect = JSON.parse(cli(['inspect', join(dir, 'orders.csv'), '--kind', 'orders', '--json']));
  assert.equal(four.reports.orders.rowsLoaded, inspect.rowsLoaded);
  assert.equal(four.reports.orders.encoding, 'gb18030');
  const members = JSON.parse(cli(['inspect', join(dir, 'members.csv'), '--kind', 'members', '--json']));
  assert.equal(four.reports.members.rowsLoaded, members.rowsLoaded);
  assert.ok(one.count > 1000, `members with note n3: ${one.count}`);
  assert.deepEqual(errors, []);
});

test('a 20 MB CSV with quoted newlines read by 4 workers equals one worker', async () => {
  // Members as the load file: every 250th row's note spans two lines; 4 workers, ~20 MB.
  const { page, errors } = await openPage(env.browser, portalUrl);
  writeFileSync(join(dir, 'members4.csv'), Buffer.concat(Array.from({ length: 4 }, (_, i) => {
    const raw = readFileSync(join(dir, 'members.csv'));
    // Header once; later copies keep their rows (the member ids repeat: counted once each).
    if (i === 0) return raw;
    const nl = raw.indexOf(0x0a);
    return raw.subarray(nl + 1);
  })));
  const result = await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const data = new File([await (await fetch('/data/members4.csv')).blob()], 'members.csv');
    /** @type {any[]} */
    const out = [];
    for (const workers of [1, 4]) {
      const lab = await AudienceLab.create();
      let parts = 1;
      const report = await lab.load('members', data, { workers, onProgress: (/** @type {any} */ p) => { parts = Math.max(parts, p.parts ?? 1); } });
      out.push({ parts, report });
      lab.terminate();
    }
    return out;
  });
  assert.equal(result[1].parts >= 2, true, 'read in parts');
  assert.deepEqual(result[1].report, result[0].report);
  assert.equal(result[0].report.rowsIn, 4 * 60_000);
  assert.deepEqual(errors, []);
});

test('a Parquet file of two row groups is read by 2 workers (one group each), by default too: the same report and answers', async () => {
  // 400,000 members: ~1.2M order rows, row groups of 1,048,576 rows: two groups.
  const pq = tempDir();
  cli(['gen', '--members', '400000', '--seed', '5', '--format', 'parquet', '--out', pq]);
  const served = join(dir, 'orders.parquet');
  writeFileSync(served, readFileSync(join(pq, 'orders.parquet')));
  const { page, errors } = await openPage(env.browser, portalUrl);
  const result = await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const file = new File([await (await fetch('/data/orders.parquet')).blob()], 'orders.parquet');
    /** @type {any[]} */
    const out = [];
    // `undefined`: the default, a worker per core (no more than one per 4 MiB of file).
    for (const workers of [1, 2, undefined]) {
      const lab = await AudienceLab.create();
      let parts = 1;
      const report = await lab.load('orders', file, { workers, onProgress: (/** @type {any} */ p) => { parts = Math.max(parts, p.parts ?? 1); } });
      const rfm = await lab.rfm({});
      const kpis = await lab.kpis({});
      out.push({ parts, report, rfm, kpis });
      lab.terminate();
    }
    return { out, cores: navigator.hardwareConcurrency, size: file.size };
  });
  const [one, two, byDefault] = result.out;
  assert.equal(one.parts, 1);
  assert.equal(two.parts, 2, 'one row group per worker');
  assert.equal(byDefault.parts, Math.min(2, result.cores, Math.floor(result.size / (4 << 20))), 'parts by default');
  for (const run of [two, byDefault]) {
    assert.deepEqual(run.report, one.report);
    assert.deepEqual(run.rfm, one.rfm);
    assert.deepEqual(run.kpis, one.kpis);
  }
  const inspect = JSON.parse(cli(['inspect', served, '--kind', 'orders', '--json']));
  assert.equal(one.report.rowsLoaded, inspect.rowsLoaded);
  assert.ok(inspect.rowsIn > 1_048_576, `${inspect.rowsIn} rows: two row groups`);
  assert.deepEqual(errors, []);
});
