// The page end to end in Chromium: files through the file inputs, segment counts equal to the
// CLI's, a downloaded audience equal to the CLI's, malformed rows reported, no foreign request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  start, openPage, foreignRequests, generate, cliSegmentCounts, cliSegmentIds, parseCsv, resultsDir, WWW, ROOT,
} from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/**
 * Segment → member count as the page shows it.
 * @param {import('playwright-core').Page} page
 */
async function pageCounts(page) {
  return page.$$eval('#segments tbody tr', (rows) => Object.fromEntries(rows.map((tr) => [
    /** @type {HTMLElement} */ (tr).dataset.segment,
    Number((tr.querySelector('.members')?.textContent ?? '').replace(/[^0-9]/g, '')),
  ])));
}

/**
 * Loads the two files of `dir` through the file inputs and waits for the RFM table.
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 */
async function loadThroughInputs(page, dir) {
  for (const kind of ['members', 'orders']) {
    await page.setInputFiles(`#file-${kind}`, join(dir, `${kind}.csv`));
    await page.click(`#commit-${kind}`);
    await page.waitForSelector(`#report-${kind} .rows`);
  }
  await page.waitForSelector('#segments tbody tr');
}

test('files loaded through the inputs give the CLI\'s segment counts; a segment downloads as the CLI\'s audience', async () => {
  const dir = generate({ members: 3000, seed: 7 });
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await loadThroughInputs(page, dir);

  const cli = cliSegmentCounts(dir);
  const shown = await pageCounts(page);
  for (const [segment, n] of Object.entries(shown)) {
    if (segment === 'prospect') continue;
    assert.equal(n, cli.counts[segment] ?? 0, `segment ${segment}`);
  }
  assert.equal(Object.values(shown).reduce((a, b) => a + b, 0) - shown.prospect, cli.buyers);

  // Pick "at risk" in the table: the live count and the download equal the CLI's audience.
  const rule = { version: 1, name: 'at_risk', rule: { rfm: { segment: ['at_risk'] } } };
  const expected = cliSegmentIds(dir, rule);
  assert.ok(expected.length > 0, 'the sample has members at risk');
  await page.click('#segments tr[data-segment="at_risk"]');
  await page.waitForFunction((n) => document.querySelector('#audience-count')?.getAttribute('data-count') === String(n), expected.length);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'audience-at_risk.csv');
  const bytes = readFileSync(/** @type {string} */ (await download.path()));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  assert.equal(header[0], 'member_id');
  assert.ok(header.includes('phone') && header.includes('segment'), `default columns: ${header}`);
  assert.deepEqual(rows.map((r) => r[0]), expected);
  assert.ok(rows.every((r) => r[header.indexOf('segment')] === 'at_risk'));

  await page.screenshot({ path: join(resultsDir(), 'page-rfm.png'), fullPage: true });
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a malformed orders file loads with its bad rows counted and sampled by reason', async () => {
  const { page, errors, context } = await openPage(env.browser, env.url);
  await page.setInputFiles('#file-orders', join(ROOT, 'tests/data/orders_malformed.csv'));
  await page.click('#commit-orders');
  const rows = await page.waitForSelector('#report-orders .rows');
  assert.deepEqual(
    await rows.evaluate((el) => [el.dataset.rowsIn, el.dataset.rowsLoaded, el.dataset.rowsRejected].map(Number)),
    [9, 3, 6]);
  const summary = await page.textContent('#report-orders .rejected summary');
  for (const reason of ['2 wrong number of fields (expected 5)', '1 cancelled order', '1 missing amount', '1 not an amount of money', '1 unparsable date']) {
    assert.ok(summary?.includes(reason), `"${reason}" in "${summary}"`);
  }
  const samples = await page.$$eval('#report-orders .rejected tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(samples.length, 6);
  assert.deepEqual(samples.find((s) => s[0] === '3'), ['3', 'paid_amount', 'abc', 'not an amount of money']);
  await page.screenshot({ path: join(resultsDir(), 'page-malformed.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Load sample" loads the generated samples and agrees with the CLI on them', async () => {
  assert.ok(existsSync(join(WWW, 'samples/orders.csv')), 'www/samples exists (make samples)');
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await page.click('#load-sample');
  await page.waitForSelector('#segments tbody tr');
  const cli = cliSegmentCounts(join(WWW, 'samples'));
  const shown = await pageCounts(page);
  for (const [segment, n] of Object.entries(cli.counts)) assert.equal(shown[segment], n, `segment ${segment}`);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the "high value at risk" preset button shows the CLI\'s audience of the preset rule', async () => {
  const dir = generate({ members: 3000, seed: 7 });
  const preset = JSON.parse(readFileSync(join(WWW, 'app/presets.json'), 'utf8')).find((/** @type {any} */ p) => p.id === 'high_value_at_risk');
  const expected = cliSegmentIds(dir, preset.segment);
  assert.ok(expected.length > 0, 'the sample has high-value members at risk');
  const { page, errors, context } = await openPage(env.browser, env.url);
  await loadThroughInputs(page, dir);
  await page.click('#presets button[data-preset="high_value_at_risk"]');
  await page.waitForFunction((n) => document.querySelector('#audience-count')?.getAttribute('data-count') === String(n), expected.length);
  assert.equal(await page.$eval('#segment-pick', (el) => /** @type {HTMLSelectElement} */ (el).value), 'high_value_at_risk');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'audience-high_value_at_risk.csv');
  const [, ...rows] = parseCsv(readFileSync(/** @type {string} */ (await download.path())).subarray(3).toString('utf8'));
  assert.deepEqual(rows.map((r) => r[0]), expected);
  await page.screenshot({ path: join(resultsDir(), 'page-preset.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
