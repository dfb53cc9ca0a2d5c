// Embedding: embed.html hosts `<audience-lab>` (themed, listening to its events) and a portal's
// own UI over the typed client; both give the CLI's numbers and nothing leaves the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  start, openPage, foreignRequests, generate, cli, tempDir, readCsvFile, cliSegmentCounts, loadFiles, resultsDir,
} from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('the embedded element is themed, reports load / segmentchange / export events to the portal', async () => {
  const dir = generate({ members: 1500, seed: 3 });
  const { page, requests, errors, context } = await openPage(env.browser, `${env.url}embed.html`);
  await loadFiles(page, dir);
  const loads = await page.$$eval('#events li[data-event="load"]', (li) => li.map((e) => e.textContent));
  assert.equal(loads.length, 2, `two load events: ${loads}`);
  assert.match(loads[1] ?? '', /^load — orders: \d+ rows$/);

  // The portal's theme crosses the shadow boundary through --al-* custom properties.
  await page.click('audience-lab #tab-rfm');
  const accent = await page.$eval('audience-lab #tab-rfm', (el) => getComputedStyle(el).color);
  assert.equal(accent, 'rgb(15, 118, 110)');

  const cliCounts = cliSegmentCounts(dir);
  await page.click('audience-lab #segments tr[data-segment="champions"] button');
  await page.waitForSelector('#events li[data-event="segmentchange"]');
  const change = await page.textContent('#events li[data-event="segmentchange"]');
  assert.match(change ?? '', new RegExp(`: ${cliCounts.counts.champions} members$`));

  await page.click('audience-lab #to-export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
  await page.waitForSelector('#events li[data-event="export"]');
  assert.match(await page.textContent('#events li[data-event="export"]') ?? '', new RegExp(`^export — ${download.suggestedFilename()} \\(\\d+ bytes\\)$`));
  await page.screenshot({ path: join(resultsDir(), 'embed-element.png'), fullPage: true });
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a portal\'s own UI over the typed client shows the CLI\'s RFM segments', async () => {
  const dir = generate({ members: 1500, seed: 4 });
  const out = join(tempDir(), 'rfm.csv');
  cli(['rfm', '--orders', join(dir, 'orders.csv'), '--out', out]);
  const { header, rows } = readCsvFile(out);
  /** @type {Record<string, number>} */
  const counts = {};
  for (const r of rows) counts[r[header.indexOf('segment')]] = (counts[r[header.indexOf('segment')]] ?? 0) + 1;

  const { page, requests, errors, context } = await openPage(env.browser, `${env.url}embed.html`);
  await page.setInputFiles('#byo-orders', join(dir, 'orders.csv'));
  await page.waitForSelector('#byo-status[data-buyers]');
  assert.equal(Number(await page.getAttribute('#byo-status', 'data-buyers')), rows.length);
  const shown = await page.$$eval('#byo-segments tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.segment, Number(tr.children[1].textContent)]));
  assert.ok(shown.length > 5);
  for (const [segment, n] of shown) assert.equal(n, counts[/** @type {string} */ (segment)] ?? 0, `${segment}`);
  await page.screenshot({ path: join(resultsDir(), 'embed-client.png'), fullPage: true });
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
