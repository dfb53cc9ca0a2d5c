// The page tells the truth after the engine stops: a worker killed in the middle of a session
// (`lab.debugPanic()`, as a wasm trap or a panic would) takes the loaded tables with it; the
// element leaves the Overview for the Load view, which says the engine stopped and why and
// lists both files as not loaded, with the analysis tabs disabled and the lab holding nothing.
// One click on "Load again" loads the same files again: the Overview shows the numbers it
// showed before, the lab answers as before, and RFM equals the CLI's. Screenshots of the notice
// in English and Chinese land in www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cliSegmentCounts, resultsDir, appLab, loadFiles } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const ANALYSES = ['overview', 'rfm', 'cohorts', 'movement', 'clv', 'tags', 'builder', 'export', 'campaigns'];

/**
 * Opens a tab and waits for its view.
 * @param {import('playwright-core').Page} page
 * @param {string} view
 */
async function show(page, view) {
  await page.click(`audience-lab #tab-${view}`);
  await page.waitForSelector(`audience-lab .view-${view}`);
}

/**
 * What the Overview shows: every KPI card's value and the lifecycle funnel, as text.
 * @param {import('playwright-core').Page} page
 */
async function overview(page) {
  await page.waitForSelector('audience-lab #chart-timeline svg');
  return {
    kpis: await page.$$eval('audience-lab [data-kpi]', (cs) => cs.map((c) => [/** @type {HTMLElement} */ (c).dataset.kpi, c.querySelector('.kpi-value')?.textContent])),
    funnel: await page.$$eval('audience-lab .view-overview table tr', (rows) => rows.map((r) => r.textContent)),
    asOf: await page.textContent('audience-lab .view-overview .title-row .muted'),
  };
}

/**
 * Rows loaded per file, as the load reports on the Load view give them.
 * @param {import('playwright-core').Page} page
 */
function reportedRows(page) {
  return page.$$eval('audience-lab .report .rows', (rs) => rs.map((r) => /** @type {[string, number]} */ ([r.closest('.report')?.id ?? '', Number(/** @type {HTMLElement} */ (r).dataset.rowsLoaded)])));
}

/**
 * Whether each analysis tab is disabled.
 * @param {import('playwright-core').Page} page
 */
function disabledTabs(page) {
  return page.$$eval('audience-lab [role=tab]', (ts) => ts.map((t) => [/** @type {HTMLElement} */ (t).dataset.view, t.hasAttribute('disabled')]));
}

/**
 * Records, from now on, the `load` events of the element and the cards whose progress bar
 * showed (`globalThis.seen`).
 * @param {import('playwright-core').Page} page
 */
function watchLoads(page) {
  return page.evaluate(() => {
    const el = /** @type {HTMLElement} */ (document.querySelector('audience-lab'));
    const seen = { loads: /** @type {string[]} */ ([]), progress: /** @type {string[]} */ ([]) };
    el.addEventListener('load', (ev) => seen.loads.push(/** @type {CustomEvent} */ (ev).detail.kind));
    new MutationObserver((records) => {
      for (const r of records) {
        const bar = /** @type {HTMLElement} */ (r.target);
        const kind = bar.closest('.drop')?.getAttribute('data-kind');
        if (bar.localName === 'progress' && !bar.hidden && kind && !seen.progress.includes(kind)) seen.progress.push(kind);
      }
    }).observe(/** @type {ShadowRoot} */ (el.shadowRoot), { attributes: true, attributeFilter: ['hidden'], subtree: true });
    Object.assign(globalThis, { seen });
  });
}

test('after the engine stops, the Load view lists the files as not loaded and why; "Load again" restores the same numbers', async () => {
  const dir = generate({ members: 3000, seed: 23 });
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'en-US' });
  await loadFiles(page, dir);
  const rows = await reportedRows(page);
  assert.deepEqual(rows.map(([id]) => id), ['report-members', 'report-orders']);
  await show(page, 'overview');
  const shown = await overview(page);
  const rfm = await appLab(page, 'rfm', {});
  const kpis = await appLab(page, 'kpis', {});
  const tables = /** @type {any[]} */ (await appLab(page, 'tables'));
  assert.deepEqual(tables, [
    { kind: 'members', name: 'members.csv', rows: rows[0][1], reloadable: true },
    { kind: 'orders', name: 'orders.csv', rows: rows[1][1], reloadable: true },
  ]);

  // Kill the engine while the user is on the Overview; the portal hears `enginelost`.
  const panic = await page.evaluate(async () => {
    const el = /** @type {any} */ (document.querySelector('audience-lab'));
    /** @type {any[]} */
    const heard = [];
    el.addEventListener('enginelost', (/** @type {CustomEvent} */ e) => heard.push({ code: e.detail.error.code, tables: e.detail.tables }));
    const lab = await el.lab;
    const error = await lab.debugPanic().then(() => null, (/** @type {any} */ e) => ({ code: e.code, message: e.message }));
    return { ...error, heard };
  });
  assert.equal(panic?.code, 'PANIC');
  assert.deepEqual(panic.heard, [{ code: 'PANIC', tables }], 'the element fires enginelost with the tables it held');

  // The Load view, with the notice: the reason, each file not loaded, the button.
  await page.waitForSelector('audience-lab .view-load #engine-lost');
  assert.equal(await page.getAttribute('audience-lab #tab-load', 'aria-selected'), 'true');
  assert.equal(await page.getAttribute('audience-lab #engine-lost', 'role'), 'alert');
  assert.equal(await page.textContent('audience-lab #engine-lost h3'), 'The analysis engine stopped: your files are no longer loaded');
  assert.equal(await page.textContent('audience-lab #engine-lost .reason code'), panic.message);
  const listed = await page.$$eval('audience-lab #engine-lost li', (lis) => lis.map((li) => ({
    kind: li.getAttribute('data-kind'), name: li.querySelector('strong')?.textContent, text: li.textContent,
  })));
  assert.deepEqual(listed.map((x) => [x.kind, x.name]), [['members', 'members.csv'], ['orders', 'orders.csv']]);
  for (const [i, x] of listed.entries()) {
    assert.match(/** @type {string} */ (x.text), /not loaded$/, x.name ?? '');
    assert.ok(x.text?.includes(`${rows[i][1].toLocaleString('en-US')} rows`), `${x.text} names its rows`);
  }
  assert.ok(await page.isVisible('audience-lab #reload-lost'));
  assert.ok(await page.isHidden('audience-lab #error'), 'the notice alone tells of the stop');

  // No data anywhere: no report, no way to the analyses, and the lab holds nothing.
  assert.deepEqual(await reportedRows(page), []);
  assert.ok(await page.isHidden('audience-lab #to-overview'));
  assert.deepEqual(await disabledTabs(page), [['load', false], ...ANALYSES.map((v) => [v, true])]);
  assert.deepEqual(await appLab(page, 'tables'), []);
  assert.deepEqual(await appLab(page, 'lost'), tables);
  await page.screenshot({ path: join(resultsDir(), 'lost-en.png'), fullPage: true });

  // The same notice in Chinese (the view redraws in the language picked).
  await page.selectOption('audience-lab select.lang', 'zh');
  await page.waitForSelector('audience-lab #engine-lost h3:text-is("分析引擎已停止：已导入的文件已失效")');
  assert.deepEqual(await page.$$eval('audience-lab #engine-lost .not-loaded', (s) => s.map((x) => x.textContent)), ['未导入', '未导入']);
  assert.equal(await page.textContent('audience-lab #reload-lost'), '重新导入');
  await page.screenshot({ path: join(resultsDir(), 'lost-zh.png'), fullPage: true });
  await page.selectOption('audience-lab select.lang', 'en');
  await page.waitForSelector('audience-lab #reload-lost:text-is("Load again")');

  // Load again: each file's progress on its card, then the Overview the user was on.
  await watchLoads(page);
  await page.click('audience-lab #reload-lost');
  await page.waitForSelector('audience-lab .view-overview');
  assert.deepEqual(await overview(page), shown);
  assert.deepEqual(await appLab(page, 'rfm', {}), rfm);
  assert.deepEqual(await appLab(page, 'kpis', {}), kpis);
  assert.deepEqual(await appLab(page, 'tables'), tables);
  assert.deepEqual(await appLab(page, 'lost'), []);
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (globalThis).seen), { loads: ['members', 'orders'], progress: ['members', 'orders'] });
  const cli = cliSegmentCounts(dir);
  for (const s of /** @type {any} */ (rfm).segments) assert.equal(s.members, cli.counts[s.segment] ?? 0, `CLI count of ${s.segment}`);

  // Every tab works again; the Load view shows the reports and no notice.
  assert.deepEqual(await disabledTabs(page), [['load', false], ...ANALYSES.map((v) => [v, false])]);
  await show(page, 'rfm');
  await page.waitForSelector('audience-lab #segments tbody tr');
  const members = await page.$$eval('audience-lab #segments tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.segment, Number(tr.querySelector('.members')?.textContent?.replace(/[^0-9]/g, ''))]));
  for (const s of /** @type {any} */ (rfm).segments) assert.deepEqual(members.find(([id]) => id === s.segment), [s.segment, s.members]);
  await show(page, 'load');
  assert.deepEqual(await reportedRows(page), rows);
  assert.equal(await page.$('audience-lab #engine-lost'), null);

  assert.deepEqual(foreignRequests(requests, env.url), []);
  // The one console error is the worker's panic hook reporting the deliberate panic.
  const hook = panic.message.replace(/^engine panic: /, '');
  assert.equal(errors.filter((e) => e.startsWith(hook)).length, 1, `the panic hook's report of "${hook}"`);
  assert.deepEqual(errors.filter((e) => !e.startsWith(hook)), []);
  await context.close();
});

test('a lost table that was given as bytes is to be dropped again: "Load again" loads the others, the card takes it back', async () => {
  const dir = generate({ members: 800, seed: 29 });
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'en-US' });
  // Members as bytes through the element's lab (the client keeps no copy), orders as a file.
  const text = readFileSync(join(dir, 'members.csv'), 'utf8');
  const members = /** @type {any} */ (await page.evaluate(async (text) => {
    const lab = await /** @type {any} */ (document.querySelector('audience-lab')).lab;
    return lab.load('members', new TextEncoder().encode(text), { name: 'members.csv' });
  }, text));
  await page.setInputFiles('audience-lab #file-orders', join(dir, 'orders.csv'));
  await page.click('audience-lab #commit-orders');
  await page.waitForSelector('audience-lab #report-orders .rows');
  const rfm = await appLab(page, 'rfm', {});

  const panic = await page.evaluate(async () => {
    const lab = await /** @type {any} */ (document.querySelector('audience-lab')).lab;
    return lab.debugPanic().then(() => null, (/** @type {any} */ e) => e.code);
  });
  assert.equal(panic, 'PANIC');
  await page.waitForSelector('audience-lab #engine-lost');
  const listed = await page.$$eval('audience-lab #engine-lost li', (lis) => lis.map((li) => [li.getAttribute('data-kind'), li.getAttribute('data-reloadable'), li.querySelector('.drop-again') !== null]));
  assert.deepEqual(listed, [['members', 'false', true], ['orders', 'true', false]]);
  assert.match(await page.textContent('audience-lab #engine-lost li[data-kind="members"]') ?? '', /drop it on its card below again/);

  // "Load again" loads the orders; the members stay listed, with no button for them.
  await page.click('audience-lab #reload-lost');
  await page.waitForSelector('audience-lab #report-orders .rows');
  assert.deepEqual((/** @type {any[]} */ (await appLab(page, 'tables'))).map((x) => x.kind), ['orders']);
  assert.deepEqual(await page.$$eval('audience-lab #engine-lost li', (lis) => lis.map((li) => li.getAttribute('data-kind'))), ['members']);
  assert.equal(await page.$('audience-lab #reload-lost'), null);
  await page.screenshot({ path: join(resultsDir(), 'lost-bytes-en.png'), fullPage: true });

  // Dropped again on its card, the file is loaded and the notice is gone: the numbers are those of before.
  await page.setInputFiles('audience-lab #file-members', join(dir, 'members.csv'));
  await page.click('audience-lab #commit-members');
  await page.waitForSelector('audience-lab #report-members .rows');
  assert.equal(await page.$('audience-lab #engine-lost'), null);
  assert.equal(Number(await page.getAttribute('audience-lab #report-members .rows', 'data-rows-loaded')), members.rowsLoaded);
  assert.deepEqual(await appLab(page, 'rfm', {}), rfm);
  assert.deepEqual(await appLab(page, 'lost'), []);

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.equal(errors.filter((e) => !e.startsWith('panicked at src/wasm/panic.rs')).length, 0, errors.join('\n'));
  await context.close();
});
