// Loading in the browser: every format the CLI writes loads in Chromium with the CLI's counts
// and segments; the mapping preview lets a user fix a column's role before loading; large
// files stream with progress and are never held whole; a load past the memory limit fails
// clearly and leaves the tables loaded before usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, cli, tempDir, resultsDir } from './harness.mjs';

/** The role labels of the engine's vocabulary: `orders` → `member_id` → "Member ID". */
const ROLES = new Map(JSON.parse(cli(['vocabulary'])).tables.map((/** @type {any} */ t) => [t.id, new Map(t.roles.map((/** @type {any} */ r) => [r.id, r.label]))]));

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {import('playwright-core').Page} */
let page;
/** @type {string[]} */
let requests;
/** @type {string[]} */
let errors;
/** A ~40 MB orders CSV made here, and a small one. */
let big = '';
let small = '';

before(async () => {
  env = await start();
  ({ page, requests, errors } = await openPage(env.browser, env.url));
  await page.evaluate(async () => {
    const client = '/pkg/index.js';
    /** @type {any} */ (globalThis).AudienceLab = (await import(client)).AudienceLab;
  });
  const dir = tempDir();
  big = join(dir, 'big-orders.csv');
  const lines = ['member_id,order_time,paid_amount,channel'];
  for (let i = 0; i < 1_100_000; i++) {
    const day = 1 + (i % 28);
    lines.push(`M${String(i % 150_000).padStart(7, '0')},2024-03-${String(day).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')}:00,${(i % 9000) / 10 + 9.9},${['store', 'tmall', 'app'][i % 3]}`);
  }
  writeFileSync(big, lines.join('\n') + '\n');
  small = join(dir, 'small-orders.csv');
  writeFileSync(small, 'member_id,order_time,paid_amount\nA1,2024-03-01,10\nA2,2024-03-02,20\nA1,2024-03-03,30\n');
});
after(async () => { await env?.close(); });

/**
 * Hands local files to the page as `File`s (through a file input, as a user would), so that
 * large files do not cross as JSON; in the page they are `globalThis.picked`.
 * @param {string[]} paths
 */
async function pick(paths) {
  await page.evaluate(() => {
    if (!document.querySelector('#test-files')) {
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.id = 'test-files';
      input.hidden = true;
      input.addEventListener('change', () => { /** @type {any} */ (globalThis).picked = [...(input.files ?? [])]; });
      document.body.append(input);
    }
  });
  await page.evaluate(() => { /** @type {any} */ (globalThis).picked = undefined; });
  await page.setInputFiles('#test-files', paths);
  await page.waitForFunction((n) => /** @type {any} */ (globalThis).picked?.length === n, paths.length);
}

/**
 * Loads `paths` (kind → file) into a fresh lab in the page; returns reports and RFM counts.
 * @param {Record<string, string>} paths
 */
async function loadInPage(paths) {
  await pick(Object.values(paths));
  return page.evaluate(async (kinds) => {
    const g = /** @type {any} */ (globalThis);
    const lab = await g.AudienceLab.create();
    /** @type {Record<string, any>} */
    const reports = {};
    for (const [i, kind] of kinds.entries()) reports[kind] = await lab.load(kind, g.picked[i]);
    const rfm = await lab.rfm();
    lab.terminate();
    return { reports, rfm };
  }, Object.keys(paths));
}

test('every format the CLI writes loads in the browser with the CLI\'s rows and segments', async () => {
  const cases = [
    ['csv', 'csv', 'zh'], ['xlsx', 'xlsx', 'en'], ['parquet', 'parquet', 'zh'], ['arrow', 'arrow', 'en'],
    ['arrow-stream', 'arrows', 'en'], ['ndjson', 'ndjson', 'zh'],
  ];
  for (const [format, ext, lang] of cases) {
    const dir = tempDir();
    cli(['gen', '--members', '800', '--seed', '21', '--lang', lang, '--format', format, '--compression', 'zstd', '--out', dir]);
    const paths = { members: join(dir, `members.${ext}`), orders: join(dir, `orders.${ext}`) };
    const got = await loadInPage(paths);
    for (const [kind, path] of Object.entries(paths)) {
      const want = JSON.parse(cli(['inspect', path, '--kind', kind, '--json']));
      const r = got.reports[kind];
      assert.equal(r.format, want.format, `${format} ${kind}`);
      assert.equal(r.encoding, want.encoding, `${format} ${kind}`);
      assert.deepEqual([r.rowsIn, r.rowsLoaded, r.rowsRejected], [want.rowsIn, want.rowsLoaded, want.rowsRejected], `${format} ${kind}`);
      assert.deepEqual(r.columns, want.columns, `${format} ${kind}`);
    }
    if (lang === 'zh') assert.equal(got.reports.orders.columns[1].name, '会员编号');
    if (format === 'csv') assert.equal(got.reports.orders.encoding, 'gb18030');
    const cliRfm = join(tempDir(), 'rfm.csv');
    cli(['rfm', '--orders', paths.orders, '--members', paths.members, '--out', cliRfm]);
    const rows = readFileSync(cliRfm, 'utf8').trim().split('\n').slice(1);
    /** @type {Record<string, number>} */
    const counts = {};
    for (const r of rows) { const s = r.split(',').pop() ?? ''; counts[s] = (counts[s] ?? 0) + 1; }
    for (const s of got.rfm.segments) assert.equal(s.members, counts[s.segment] ?? 0, `${format}: ${s.segment}`);
    assert.equal(got.rfm.members, rows.length, format);
  }
});

test('the mapping preview shows detection and lets the user give a column its role', async () => {
  const dir = tempDir();
  const file = join(dir, '导出.csv');
  writeFileSync(file, '客户,付款日,实收,备注\n001,2025/1/5 10:00,￥10.00,首单\n002,2025/1/6 11:30,"￥1,020.50",复购\n001,2025/2/6 09:15,￥99.90,\n');
  await page.goto(env.url);
  await page.setInputFiles('audience-lab #file-orders', file);
  await page.waitForSelector('audience-lab #preview-orders');
  assert.ok(await page.isDisabled('audience-lab #commit-orders'), 'loading waits for the member id column');
  assert.ok((await page.textContent('audience-lab #preview-orders .missing') ?? '').includes(ROLES.get('orders').get('member_id').en), 'the missing role by its name');
  const roles = await page.$$eval('audience-lab #preview-orders select[data-column]', (s) => s.map((e) => [/** @type {HTMLSelectElement} */ (e).dataset.column, /** @type {HTMLSelectElement} */ (e).value]));
  assert.deepEqual(roles, [['客户', ''], ['付款日', 'order_time'], ['实收', 'amount'], ['备注', '']]);
  await page.selectOption('audience-lab #preview-orders select[data-column="客户"]', 'member_id');
  await page.waitForFunction(() => !document.querySelector('audience-lab')?.shadowRoot?.querySelector('#commit-orders')?.hasAttribute('disabled'));
  // The chosen role is the user's; the others keep their detection.
  const badges = await page.$$eval('audience-lab #preview-orders .conf', (b) => b.map((e) => e.textContent));
  assert.deepEqual(badges, ['100% · mapping', '60% · values', '50% · values', 'attribute']);
  await page.screenshot({ path: join(resultsDir(), 'load-mapping.png'), fullPage: true });
  await page.click('audience-lab #commit-orders');
  const rows = await page.waitForSelector('audience-lab #report-orders .rows');
  assert.deepEqual(await rows.evaluate((el) => [el.dataset.rowsIn, el.dataset.rowsLoaded].map(Number)), [3, 3]);
  await page.click('audience-lab #tab-rfm');
  const summary = await page.textContent('audience-lab #rfm-summary');
  assert.match(summary ?? '', /2 buyers/);
  assert.deepEqual(errors, []);
});

test('a large CSV streams with progress and is never held whole in wasm memory', async () => {
  const size = statSync(big).size;
  assert.ok(size > 35e6, `${size} bytes`);
  await page.goto(env.url);
  await page.setInputFiles('audience-lab #file-orders', big);
  await page.click('audience-lab #commit-orders');
  await page.waitForFunction(() => {
    const t = document.querySelector('audience-lab')?.shadowRoot?.querySelector('#drop-orders .progress-text')?.textContent ?? '';
    return /rows/.test(t) && !/^0 of/.test(t);
  });
  await page.screenshot({ path: join(resultsDir(), 'load-progress.png'), fullPage: false });
  await page.waitForSelector('audience-lab #report-orders .rows', { timeout: 120_000 });

  await page.evaluate(async () => {
    const client = '/pkg/index.js';
    /** @type {any} */ (globalThis).AudienceLab = (await import(client)).AudienceLab;
  });
  await pick([big]);
  const result = await page.evaluate(async () => {
    const g = /** @type {any} */ (globalThis);
    const lab = await g.AudienceLab.create();
    const file = g.picked[0];
    /** @type {any[]} */
    const events = [];
    const report = await lab.load('orders', file, { onProgress: (/** @type {any} */ p) => events.push(p) });
    const heap = await lab.heapBytes();
    lab.terminate();
    return { report, events, heap };
  });
  assert.equal(result.report.rowsLoaded, 1_100_000);
  const reads = result.events.filter((/** @type {any} */ e) => e.stage === 'read');
  assert.ok(reads.length >= 8, `progress per 4 MB chunk: ${reads.length}`);
  for (let i = 1; i < reads.length; i++) {
    assert.ok(reads[i].bytes > reads[i - 1].bytes && reads[i].rows >= reads[i - 1].rows, 'bytes and rows grow');
  }
  assert.equal(result.events.at(-1).fraction, 1);
  // The typed columns are far smaller than the text, and no copy of the text is kept.
  assert.ok(result.heap < 0.6 * size, `heap ${result.heap} bytes after loading ${size} bytes of CSV`);
});

test('a load past the memory limit fails clearly and leaves the loaded tables usable', async () => {
  await pick([small, big]);
  const out = await page.evaluate(async () => {
    const g = /** @type {any} */ (globalThis);
    const [small, big] = g.picked;
    const lab = await g.AudienceLab.create();
    await lab.load('orders', small);
    const before = await lab.rfm();
    let error = null;
    try {
      await lab.load('orders', big, { memoryLimit: 24 * 1024 * 1024 });
    } catch (e) {
      const x = /** @type {any} */ (e);
      error = { code: x.code, message: x.message };
    }
    const after = await lab.rfm();
    const reloaded = await lab.load('orders', big);
    lab.terminate();
    return { before, after, error, rows: reloaded.rowsLoaded };
  });
  assert.equal(out.error?.code, 'OUT_OF_MEMORY');
  assert.match(out.error?.message ?? '', /big-orders\.csv: not enough memory .* Tables loaded before are kept/);
  assert.deepEqual(out.after, out.before, 'the earlier orders still answer');
  assert.equal(out.rows, 1_100_000, 'the same worker loads the file without the limit');
  assert.deepEqual(foreignRequests(requests, env.url), []);
});
