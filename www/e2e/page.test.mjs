// The page's load reports and presets end to end in Chromium: malformed rows reported by
// reason, the bundled samples, the preset audience equal to the CLI's, no foreign request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  start, openPage, foreignRequests, generate, cliSegmentCounts, cliSegmentIds, parseCsv, resultsDir, WWW, ROOT, loadFiles, cli,
} from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/**
 * Segment → member count as the RFM screen shows it.
 * @param {import('playwright-core').Page} page
 */
async function pageCounts(page) {
  await page.click('audience-lab #tab-rfm');
  await page.waitForSelector('audience-lab #segments tbody tr');
  return page.$$eval('audience-lab #segments tbody tr', (rows) => Object.fromEntries(rows.map((tr) => [
    /** @type {HTMLElement} */ (tr).dataset.segment,
    Number((tr.querySelector('.members')?.textContent ?? '').replace(/[^0-9]/g, '')),
  ])));
}

test('a malformed orders file loads with its bad rows counted and sampled by reason', async () => {
  const { page, errors, context } = await openPage(env.browser, env.url);
  await page.setInputFiles('audience-lab #file-orders', join(ROOT, 'tests/data/orders_malformed.csv'));
  await page.click('audience-lab #commit-orders');
  const rows = await page.waitForSelector('audience-lab #report-orders .rows');
  assert.deepEqual(
    await rows.evaluate((el) => [el.dataset.rowsIn, el.dataset.rowsLoaded, el.dataset.rowsRejected].map(Number)),
    [9, 3, 6]);
  const summary = await page.textContent('audience-lab #report-orders .rejected summary');
  for (const reason of ['2 wrong number of fields (expected 5)', '1 cancelled order', '1 missing amount', '1 not an amount of money', '1 unparsable date']) {
    assert.ok(summary?.includes(reason), `"${reason}" in "${summary}"`);
  }
  const samples = await page.$$eval('audience-lab #report-orders .rejected tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(samples.length, 6);
  assert.deepEqual(samples.find((s) => s[0] === '3'), ['3', 'paid_amount', 'abc', 'not an amount of money']);
  await page.screenshot({ path: join(resultsDir(), 'page-malformed.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Load sample" loads the generated samples and agrees with the CLI on them', async () => {
  assert.ok(existsSync(join(WWW, 'samples/orders.csv')), 'www/samples exists (make samples)');
  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await page.click('audience-lab #load-sample');
  await page.waitForSelector('audience-lab #to-overview:not([hidden])');
  const cli = cliSegmentCounts(join(WWW, 'samples'));
  const shown = await pageCounts(page);
  for (const [segment, n] of Object.entries(cli.counts)) assert.equal(shown[segment], n, `segment ${segment}`);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the "high value at risk" preset button shows the CLI\'s audience of the preset rule', async () => {
  const dir = generate({ members: 3000, seed: 7 });
  // The presets are the engine's (its vocabulary): the page offers what the CLI lists.
  const preset = JSON.parse(cli(['vocabulary'])).presets.find((/** @type {any} */ p) => p.id === 'high_value_at_risk');
  const expected = cliSegmentIds(dir, preset.segment);
  assert.ok(expected.length > 0, 'the sample has high-value members at risk');
  const { page, errors, context } = await openPage(env.browser, env.url);
  await loadFiles(page, dir);
  await page.click('audience-lab #tab-builder');
  await page.click('audience-lab #presets button[data-preset="high_value_at_risk"]');
  await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count') === String(n), expected.length);
  assert.deepEqual(JSON.parse(await page.inputValue('audience-lab #rule-json')).rule, preset.segment.rule);
  await page.click('audience-lab #to-export');
  await page.waitForSelector('audience-lab #download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
  assert.equal(download.suggestedFilename(), `audience-${preset.label.en}.csv`);
  const [, ...rows] = parseCsv(readFileSync(/** @type {string} */ (await download.path())).subarray(3).toString('utf8'));
  assert.deepEqual(rows.map((r) => r[0]), expected);
  await page.screenshot({ path: join(resultsDir(), 'page-preset.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
