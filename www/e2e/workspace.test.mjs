// The workspace kept in this browser (opt-in): with the header's switch off nothing is written
// to the origin-private file system; turned on, it holds the loaded tables and the header says
// which and how big (the sizes of the files in OPFS); a reload restores the same screens and
// numbers (the CLI's) without any file; Forget empties OPFS; a full quota keeps nothing and
// turns the switch off; a workspace of another layout version, or a damaged one, is refused
// with a message; and the client API restores in a second lab what a first one kept.
// Screenshots land in www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cliSegmentCounts, loadFiles, appLab, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** @typedef {import('playwright-core').Page} Page */

const STATUS = 'audience-lab #keep-status';
const SWITCH = 'audience-lab #keep-switch';

/** A displayed number back to a number ("1,234.5" / "55.3%"). @param {string | null} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

/** The header's size of a workspace: decimal units, one decimal (as the element writes it in English). @param {number} bytes */
function sizeText(bytes) {
  const [n, unit] = bytes >= 1e9 ? [bytes / 1e9, 'GB'] : bytes >= 1e6 ? [bytes / 1e6, 'MB'] : bytes >= 1e3 ? [bytes / 1e3, 'kB'] : [bytes, 'B'];
  const digits = unit === 'B' ? 0 : 1;
  return `${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/**
 * Every entry of the page's origin-private file system, read through the storage API:
 * path → size in bytes (files) or -1 (folders, with a trailing slash).
 * @param {Page} page
 * @returns {Promise<Record<string, number>>}
 */
function opfs(page) {
  return page.evaluate(async () => {
    /** @type {Record<string, number>} */
    const out = {};
    /** @param {any} dir @param {string} prefix */
    const walk = async (dir, prefix) => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'file') out[prefix + name] = (await handle.getFile()).size;
        else {
          out[`${prefix}${name}/`] = -1;
          await walk(handle, `${prefix}${name}/`);
        }
      }
    };
    await walk(await navigator.storage.getDirectory(), '');
    return out;
  });
}

/**
 * Writes files into the page's origin-private file system (folders made as needed).
 * @param {Page} page
 * @param {Record<string, string>} files path → text
 */
function writeOpfs(page, files) {
  return page.evaluate(async (files) => {
    for (const [path, text] of Object.entries(files)) {
      const parts = path.split('/');
      let dir = await navigator.storage.getDirectory();
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const w = await (await dir.getFileHandle(/** @type {string} */ (parts.at(-1)), { create: true })).createWritable();
      await w.write(text);
      await w.close();
    }
  }, files);
}

/**
 * Records every state the header's workspace status leaves, from the first document on (an init
 * script: it watches the shadow roots the page attaches), into `globalThis.keepLeft`.
 */
function watchKeepStates() {
  const g = /** @type {any} */ (globalThis);
  g.keepLeft = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (/** @type {ShadowRootInit} */ init) {
    const root = attach.call(this, init);
    new MutationObserver((records) => {
      for (const r of records) if (/** @type {HTMLElement} */ (r.target).id === 'keep-status') g.keepLeft.push(r.oldValue);
    }).observe(root, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-state'] });
    return root;
  };
}

/**
 * The states the header's workspace status has taken in this document, in order (with
 * `watchKeepStates`).
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
function keepStates(page) {
  return page.evaluate(() => {
    const now = /** @type {HTMLElement} */ (document.querySelector('audience-lab')?.shadowRoot?.getElementById('keep-status')).dataset.state;
    const seen = [.../** @type {any} */ (globalThis).keepLeft, now];
    return seen.filter((s, i) => i === 0 || s !== seen[i - 1]);
  });
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
 * What the app shows of the data: the load reports, the overview's KPI cards and lifecycle
 * funnel, the RFM segment table (member counts by segment).
 * @param {Page} page
 */
async function shown(page) {
  await show(page, 'load');
  const reports = await page.$$eval('audience-lab .report .rows', (els) => els.map((e) => [e.closest('.report')?.id, e.textContent]));
  await show(page, 'overview');
  const kpis = await page.$$eval('audience-lab [data-kpi]', (els) => els.map((e) => [/** @type {HTMLElement} */ (e).dataset.kpi, e.querySelector('.kpi-value')?.textContent]));
  const funnel = await page.$$eval('audience-lab .view-overview table tr', (rows) => rows.map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent]));
  await show(page, 'rfm');
  await page.waitForSelector('audience-lab #segments tbody tr');
  const segments = await page.$$eval('audience-lab #segments tbody tr', (rows) => Object.fromEntries(rows.map((tr) => [
    /** @type {HTMLElement} */ (tr).dataset.segment,
    Number((tr.querySelector('.members')?.textContent ?? '').replace(/[^0-9]/g, '')),
  ])));
  return { reports, kpis, funnel, segments };
}

/**
 * Resolves once the element's kept workspace holds the view state of `view` (read through the
 * element's own client every 50 ms; fails after 10 s with what it holds).
 * @param {Page} page
 * @param {string} view
 */
async function keptViewIs(page, view) {
  const seen = await page.evaluate(async (view) => {
    const lab = await /** @type {any} */ (document.querySelector('audience-lab')).lab;
    const until = performance.now() + 10_000;
    for (;;) {
      const kept = (await lab.kept())?.view?.view;
      if (kept === view || performance.now() > until) return kept;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, view);
  assert.equal(seen, view, 'the kept view state');
}

test('off: nothing in OPFS; on: the tables kept and their size said; a reload restores the screens and numbers; Forget empties it', async () => {
  const dir = generate({ members: 2000, seed: 61 });
  const cli = cliSegmentCounts(dir);
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { init: watchKeepStates });
  const toggle = page.getByRole('switch', { name: 'Keep data in this browser' });
  await page.waitForSelector('audience-lab #file-orders');
  assert.equal(await toggle.isChecked(), false, 'the switch starts off');
  assert.equal(await page.getAttribute(STATUS, 'data-state'), 'off');

  // a. Off: the files are loaded and analysed, and nothing is written to OPFS.
  await loadFiles(page, dir);
  await show(page, 'cohorts');
  await page.selectOption('audience-lab #cohort-period', 'week');
  await page.waitForSelector('audience-lab #cohort-table tbody tr[data-cohort*="-W"]');
  const before = await shown(page);
  assert.deepEqual(await opfs(page), {}, 'OPFS is empty while the switch is off');
  // The numbers are the engine's and the CLI's.
  const life = /** @type {any} */ (await appLab(page, 'lifecycle', {}));
  const kpis = /** @type {any} */ (await appLab(page, 'kpis', {}));
  assert.equal(parse(Object.fromEntries(before.kpis).members ?? ''), life.members);
  assert.equal(parse(Object.fromEntries(before.kpis).buyers ?? ''), kpis.overall.buyers);
  for (const [segment, n] of Object.entries(cli.counts)) assert.equal(before.segments[segment], n, `segment ${segment} as the CLI counts it`);

  // b. On: the header names the kept tables and their size, the sum of the .table files in OPFS.
  await toggle.check();
  await page.waitForSelector(`${STATUS}[data-state="kept"]`);
  const files = await opfs(page);
  const gens = Object.keys(files).filter((p) => /^audience-lab-workspace\/gen-[^/]+\/$/.test(p));
  assert.equal(gens.length, 1, `one generation: ${Object.keys(files)}`);
  const tables = Object.entries(files).filter(([p]) => p.endsWith('.table'));
  assert.deepEqual(tables.map(([p]) => p.slice(gens[0].length)).sort(), ['members.table', 'orders.table']);
  assert.ok(tables.every(([p, size]) => p.startsWith(gens[0]) && size > 0));
  assert.ok('audience-lab-workspace/current.json' in files && `${gens[0]}manifest.json` in files);
  const bytes = tables.reduce((a, [, size]) => a + size, 0);
  assert.equal(Number(await page.getAttribute(STATUS, 'data-bytes')), bytes);
  assert.equal(await page.textContent(STATUS), `Kept in this browser: orders.csv, members.csv · ${sizeText(bytes)}`);
  assert.equal(await page.isVisible('audience-lab #keep-forget'), true);
  await page.locator('audience-lab header').screenshot({ path: join(resultsDir(), 'workspace-header-en.png') });
  // The same in Chinese.
  await page.selectOption('audience-lab select.lang', 'zh');
  await page.waitForSelector(`${STATUS}:text-is("已保留在此浏览器中：orders.csv、members.csv · ${sizeText(bytes)}")`);
  assert.equal(await page.textContent('audience-lab .switch'), '在此浏览器中保留数据');
  assert.equal(await page.textContent('audience-lab #keep-forget'), '忘记');
  assert.equal(await page.getByRole('switch', { name: '在此浏览器中保留数据' }).isChecked(), true);
  await page.locator('audience-lab header').screenshot({ path: join(resultsDir(), 'workspace-header-zh.png') });
  await page.selectOption('audience-lab select.lang', 'en');
  await page.waitForSelector(`${STATUS}:text-is("Kept in this browser: orders.csv, members.csv · ${sizeText(bytes)}")`);

  // The view state follows: another tab is kept (shortly after it is opened).
  await show(page, 'overview');
  await keptViewIs(page, 'overview');

  // c. A reload without any file: the same reports and numbers, the kept tab and choices, the switch on.
  await page.reload();
  await page.waitForSelector(`${STATUS}[data-state="kept"]`);
  await page.waitForSelector('audience-lab .view-overview');
  assert.deepEqual(await keepStates(page), ['off', 'restoring', 'kept'], 'a restoring status, then what is kept');
  assert.equal(await toggle.isChecked(), true, 'the switch is on after the reload');
  assert.equal(await page.textContent(STATUS), `Kept in this browser: orders.csv, members.csv · ${sizeText(bytes)}`);
  await page.screenshot({ path: join(resultsDir(), 'workspace-restored.png'), fullPage: true });
  const after = await shown(page);
  assert.deepEqual(after, before, 'the same reports, KPIs, funnel and segments as before the reload');
  for (const [segment, n] of Object.entries(cli.counts)) assert.equal(after.segments[segment], n, `segment ${segment} as the CLI counts it`);
  await show(page, 'cohorts');
  assert.equal(await page.inputValue('audience-lab #cohort-period'), 'week', 'the kept choice of the cohorts view');
  await page.waitForSelector('audience-lab #cohort-table tbody tr[data-cohort*="-W"]');
  assert.equal((await opfs(page))[`${gens[0]}orders.table`], files[`${gens[0]}orders.table`], 'the restore wrote nothing new');

  // d. Forget: OPFS is empty, the switch off, the header says so; the data stays loaded until the page goes.
  await page.click('audience-lab #keep-forget');
  await page.waitForSelector(`${STATUS}[data-state="forgotten"]`);
  assert.equal(await page.textContent(STATUS), 'Forgotten: nothing is kept in this browser.');
  assert.equal(await toggle.isChecked(), false);
  assert.equal(await page.isVisible('audience-lab #keep-forget'), false);
  assert.deepEqual(await opfs(page), {}, 'OPFS is empty after Forget');
  await page.reload();
  await page.waitForSelector('audience-lab .view-load');
  assert.equal(await page.$('audience-lab .report .rows'), null, 'no table after the reload');
  assert.equal(await page.getAttribute('audience-lab #tab-overview', 'disabled'), '');
  assert.equal(await page.getAttribute(STATUS, 'data-state'), 'off');
  assert.equal(await toggle.isChecked(), false);
  assert.deepEqual(await keepStates(page), ['off'], 'nothing restored');
  assert.deepEqual(await opfs(page), {});
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a full storage quota fails the switch with a message, turns it off and leaves no workspace', async () => {
  const dir = generate({ members: 2000, seed: 62 });
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await loadFiles(page, dir);
  const origin = new URL(env.url).origin;
  const cdp = await context.newCDPSession(page);
  const left = async () => Object.keys(await opfs(page)).filter((p) => p !== 'audience-lab-workspace/');
  // The switch by keyboard: reached with Tab, turned on and off with Space.
  await page.focus(SWITCH);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  assert.ok(await page.$eval(SWITCH, (el) => /** @type {ShadowRoot} */ (el.getRootNode()).activeElement === el), 'Tab reaches the switch');

  // A quota below what the origin already uses (the app's cache): the browser refuses the
  // first folder of the workspace.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 50_000 });
  await page.keyboard.press('Space');
  await page.waitForSelector(`${STATUS}[data-state="full"]`);
  assert.match(await page.textContent(STATUS) ?? '', /^Not enough storage in this browser to keep the data; nothing was kept\.not enough storage in this browser to keep the data \(2 table\(s\), [\d.]+ MB written when it failed\); nothing was kept$/);
  assert.equal(await page.isChecked(SWITCH), false, 'the switch is off');
  assert.equal(await page.isVisible('audience-lab #keep-forget'), false);
  assert.deepEqual(await left(), [], 'nothing of the workspace is left in OPFS');
  await page.locator('audience-lab header').screenshot({ path: join(resultsDir(), 'workspace-full.png') });

  // Room for the folders but not for the tables: the engine's STORAGE_FULL, and what it wrote is
  // gone. The room is counted once the service worker has cached the app (what the origin uses).
  await page.waitForFunction(() => /Works offline/.test(document.getElementById('offline-status')?.textContent ?? ''));
  const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 50_000 });
  await page.keyboard.press('Space');
  await page.waitForSelector(`${STATUS}[data-state="full"][data-code="STORAGE_FULL"]`);
  assert.match(await page.textContent(STATUS) ?? '',
    /^Not enough storage in this browser to keep the data; nothing was kept\.not enough storage in this browser to keep the data \(2 table\(s\), [\d.]+ MB written when it failed\); nothing was kept$/);
  assert.equal(await page.isChecked(SWITCH), false, 'the switch is off');
  assert.deepEqual(await left(), [], 'nothing of the workspace is left in OPFS');

  // With room again the same switch keeps the data.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.keyboard.press('Space');
  await page.waitForSelector(`${STATUS}[data-state="kept"]`);
  assert.equal(await page.isChecked(SWITCH), true);
  const bytes = Object.entries(await opfs(page)).filter(([p]) => p.endsWith('.table')).reduce((a, [, n]) => a + n, 0);
  assert.equal(Number(await page.getAttribute(STATUS, 'data-bytes')), bytes);
  // Off again: everything is deleted.
  await page.keyboard.press('Space');
  await page.waitForSelector(`${STATUS}[data-state="forgotten"]`);
  assert.deepEqual(await opfs(page), {});
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a workspace of an older layout version, or a damaged table, is refused with a message; Forget clears it', async () => {
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'zh-CN' });
  await page.waitForSelector('audience-lab #file-orders');
  await writeOpfs(page, { 'audience-lab-workspace/current.json': JSON.stringify({ version: 0, generation: 'gen-1' }) });
  await page.reload();
  await page.waitForSelector(`${STATUS}[data-state="refused"]`);
  assert.equal(await page.getAttribute(STATUS, 'data-code'), 'STORAGE_VERSION');
  const message = await page.textContent(STATUS) ?? '';
  assert.ok(message.startsWith('此浏览器中保留的数据由其他版本的 audience-lab 保存，不会被读取：请重新导入文件，或将其忘记。'), message);
  assert.match(message, /layout 0, this version reads 1/);
  assert.equal(await page.isChecked(SWITCH), false, 'the switch stays off');
  // Nothing was read: the empty Load screen.
  await page.waitForSelector('audience-lab .view-load');
  assert.equal(await page.$('audience-lab .report .rows'), null);
  assert.equal(await page.getAttribute('audience-lab #tab-overview', 'disabled'), '');
  assert.equal(await page.textContent('audience-lab #keep-forget'), '忘记');
  await page.locator('audience-lab header').screenshot({ path: join(resultsDir(), 'workspace-refused-zh.png') });
  await page.click('audience-lab #keep-forget');
  await page.waitForSelector(`${STATUS}[data-state="forgotten"]`);
  assert.equal(await page.textContent(STATUS), '已忘记：此浏览器中不再保留任何数据。');
  assert.deepEqual(await opfs(page), {});

  // A kept table that is not one (the right size, but no table): refused, not misread.
  const manifest = { version: 1, generation: 'gen-1', savedAt: '2024-01-01T00:00:00.000Z', tables: [{ kind: 'orders', name: 'orders.csv', rows: 3, bytes: 16 }], bytes: 16, view: { version: 1, view: 'rfm' } };
  await writeOpfs(page, {
    'audience-lab-workspace/gen-1/orders.table': 'not a table 1234',
    'audience-lab-workspace/gen-1/manifest.json': JSON.stringify(manifest),
    'audience-lab-workspace/current.json': JSON.stringify({ version: 1, generation: 'gen-1' }),
  });
  await page.reload();
  await page.waitForSelector(`${STATUS}[data-state="refused"]`);
  assert.equal(await page.getAttribute(STATUS, 'data-code'), 'PARSE_ERROR');
  assert.ok((await page.textContent(STATUS) ?? '').startsWith('无法恢复此浏览器中保留的数据：请重新导入文件，或将其忘记。'));
  assert.equal(await page.isChecked(SWITCH), false);
  await page.waitForSelector('audience-lab .view-load');
  assert.equal(await page.getAttribute('audience-lab #tab-overview', 'disabled'), '', 'no orders were restored');
  await page.click('audience-lab #keep-forget');
  await page.waitForSelector(`${STATUS}[data-state="forgotten"]`);
  assert.deepEqual(await opfs(page), {});
  await page.reload();
  await page.waitForSelector('audience-lab .view-load');
  assert.equal(await page.getAttribute(STATUS, 'data-state'), 'off');
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the client API: a lab keeps, another restores the same RFM and KPIs, forget leaves nothing', async () => {
  const dir = generate({ members: 2000, seed: 63 });
  const cli = cliSegmentCounts(dir);
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await page.waitForSelector('audience-lab #file-orders');
  const files = {
    members: readFileSync(join(dir, 'members.csv')).toString('base64'),
    orders: readFileSync(join(dir, 'orders.csv')).toString('base64'),
  };
  const r = await page.evaluate(async (files) => {
    const client = '/pkg/index.js';
    /** @type {typeof import('../lib/index.js')} */
    const { AudienceLab } = await import(client);
    const bytes = (/** @type {string} */ b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const a = await AudienceLab.create();
    const nothing = await a.kept();
    const loads = [
      await a.load('members', bytes(files.members), { name: 'members.csv' }),
      await a.load('orders', bytes(files.orders), { name: 'orders.csv' }),
    ];
    const view = { tab: 'rfm', options: { method: 'thresholds' } };
    const kept = await a.keep(view);
    const rfmA = await a.rfm({});
    const kpisA = await a.kpis({});
    a.terminate();
    const b = await AudienceLab.create();
    const keptB = await b.kept();
    const restored = await b.restore();
    const rfmB = await b.rfm({});
    const kpisB = await b.kpis({});
    const tablesB = b.tables();
    const viewB = await b.keepView({ tab: 'overview' });
    const forgot = await b.forget();
    const after = await b.kept();
    const again = await b.forget();
    const restoredNothing = await b.restore();
    b.terminate();
    return { nothing, loads, view, kept, rfmA, kpisA, keptB, restored, rfmB, kpisB, tablesB, viewB, forgot, after, again, restoredNothing };
  }, files);
  assert.equal(r.nothing, null, 'nothing kept before keep()');
  assert.deepEqual(r.kept.tables.map((/** @type {any} */ t) => [t.kind, t.name, t.rows]), [['orders', 'orders.csv', r.loads[1].rowsLoaded], ['members', 'members.csv', r.loads[0].rowsLoaded]]);
  assert.equal(r.kept.bytes, r.kept.tables.reduce((/** @type {number} */ a, /** @type {any} */ t) => a + t.bytes, 0));
  assert.deepEqual(r.kept.view, r.view);
  assert.deepEqual(r.keptB, r.kept, 'another lab sees what was kept');
  assert.ok(r.restored);
  assert.deepEqual(r.restored.view, r.view);
  assert.deepEqual(r.restored.tables, r.kept.tables);
  assert.deepEqual(r.restored.reports.map((/** @type {any} */ x) => [x.kind, x.name, x.rowsIn, x.rowsLoaded, x.rowsRejected]).sort(),
    r.loads.map((/** @type {any} */ x) => [x.kind, x.name, x.rowsIn, x.rowsLoaded, x.rowsRejected]).sort());
  assert.deepEqual(r.rfmB, r.rfmA, 'the same RFM from the restored tables');
  assert.deepEqual(r.kpisB, r.kpisA, 'the same KPIs from the restored tables');
  for (const s of r.rfmB.segments) assert.equal(s.members, cli.counts[s.segment] ?? 0, `CLI count of ${s.segment}`);
  assert.deepEqual(r.tablesB.map((/** @type {any} */ t) => [t.kind, t.name, t.rows]).sort(), [['members', 'members.csv', r.loads[0].rowsLoaded], ['orders', 'orders.csv', r.loads[1].rowsLoaded]]);
  assert.deepEqual(r.viewB?.view, { tab: 'overview' });
  assert.deepEqual(r.viewB?.tables, r.kept.tables, 'keepView leaves the tables');
  assert.equal(r.forgot, true);
  assert.equal(r.after, null, 'nothing kept after forget()');
  assert.equal(r.again, false, 'a second forget() finds nothing');
  assert.equal(r.restoredNothing, null);
  assert.deepEqual(await opfs(page), {});
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
