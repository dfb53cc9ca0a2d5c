// Responsiveness and offline use: a 1M-member load through the page never blocks the main
// thread for more than 50 ms (long-task observer), and after one visit the service worker
// serves the app with the network off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, foreignRequests, cli, tempDir, generate, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('loading 1M members and their orders never blocks the main thread for more than 50 ms', async () => {
  const dir = tempDir();
  cli(['gen', '--members', '1000000', '--seed', '2', '--format', 'parquet', '--out', dir]);
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await page.waitForSelector('audience-lab #file-members');
  // Long tasks are the main thread's tasks over 50 ms.
  await page.evaluate(() => {
    const g = /** @type {any} */ (globalThis);
    g.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) g.longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask' });
  });
  // The observer sees a blocking task (so an empty list below means something).
  await page.evaluate(() => new Promise((done) => setTimeout(() => { const t = performance.now(); while (performance.now() - t < 120); setTimeout(done, 50); }, 0)));
  await page.waitForFunction(() => /** @type {any} */ (globalThis).longTasks.length > 0);
  await page.evaluate(() => { /** @type {any} */ (globalThis).longTasks = []; });
  for (const kind of ['members', 'orders']) {
    await page.setInputFiles(`audience-lab #file-${kind}`, join(dir, `${kind}.parquet`));
    await page.click(`audience-lab #commit-${kind}`);
    await page.waitForSelector(`audience-lab #report-${kind} .rows`, { timeout: 300_000 });
  }
  const loaded = await page.$eval('audience-lab #report-members .rows', (el) => Number(/** @type {HTMLElement} */ (el).dataset.rowsLoaded));
  assert.equal(loaded, 1_000_000);
  const long = await page.evaluate(() => /** @type {any} */ (globalThis).longTasks);
  assert.deepEqual(long, [], 'no long task on the main thread during the load');
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after one visit the app works offline from its service worker', async () => {
  const dir = generate({ members: 500, seed: 8 });
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await page.waitForFunction(() => /Works offline/.test(document.getElementById('offline-status')?.textContent ?? ''));
  // The first visit installed the worker; a reload is served through it.
  await page.reload();
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('audience-lab #file-orders');
  await page.setInputFiles('audience-lab #file-orders', join(dir, 'orders.csv'));
  await page.click('audience-lab #commit-orders');
  const rows = await page.waitForSelector('audience-lab #report-orders .rows');
  assert.ok(Number(await rows.evaluate((el) => /** @type {HTMLElement} */ (el).dataset.rowsLoaded)) > 0);
  await page.click('audience-lab #tab-overview');
  await page.waitForSelector('audience-lab #chart-timeline svg');
  await page.screenshot({ path: join(resultsDir(), 'offline-overview.png'), fullPage: true });
  // Every screen's modules come from the cache: a file the worker's list lacks fails here.
  for (const view of ['rfm', 'cohorts', 'tags', 'builder', 'export']) {
    await page.click(`audience-lab #tab-${view}`);
    await page.waitForSelector(`audience-lab .view-${view}`);
  }
  await context.setOffline(false);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
  await context.close();
});
