// Hostile values under the strict CSP: a file whose values are markup, event handlers,
// javascript: URLs and RTL overrides is loaded and walked through every screen and exported;
// nothing executes, nothing is requested, and the values show as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, tempDir, parseCsv, resultsDir, loadFiles } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const HOSTILE = [
  '<script>window.__xss=1</script>',
  '<img src=/pwned.png onerror="window.__xss=2">',
  'javascript:window.__xss=3',
  '\u202Egpj.exe',
  '<svg onload="window.__xss=4">',
  '"><iframe src=/pwned.html>',
];

/** A CSV cell (RFC 4180 quoting). @param {string} v */
const cell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

test('markup, handlers, javascript: URLs and RTL overrides in the data stay text on every screen', async () => {
  const dir = tempDir();
  const members = ['member_id,join_date,tier,city,store,tags'];
  const orders = ['member_id,order_id,order_time,amount,store'];
  for (let i = 0; i < 60; i++) {
    const v = HOSTILE[i % HOSTILE.length];
    members.push([`M${i}`, '2024-01-05', v, v, v, HOSTILE[(i + 1) % HOSTILE.length].replace(/[,;|、，]/g, ' ')].map(cell).join(','));
    for (let k = 0; k <= i % 4; k++) orders.push([`M${i}`, `O${i}-${k}`, `2024-0${1 + k}-1${k} 10:00`, String(10 + i + k), v].map(cell).join(','));
  }
  writeFileSync(join(dir, 'members.csv'), members.join('\n') + '\n');
  writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');

  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  /** @type {string[]} */
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await loadFiles(page, dir);
  for (const view of ['overview', 'rfm', 'cohorts', 'tags', 'builder']) {
    await page.click(`audience-lab #tab-${view}`);
    await page.waitForSelector(`audience-lab .view-${view}`);
  }
  // An audience of the hostile tier: the preview shows the raw values as text.
  await page.click('audience-lab details:has(#rule-json) summary');
  await page.fill('audience-lab #rule-json', JSON.stringify({ version: 1, name: HOSTILE[0], rule: { attr: { column: 'tier', in: [HOSTILE[1], HOSTILE[0]] } } }));
  await page.dispatchEvent('audience-lab #rule-json', 'change');
  await page.waitForFunction(() => Number(document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count')) > 0);
  const cells = await page.$$eval('audience-lab #member-preview td', (tds) => tds.map((td) => td.textContent));
  assert.ok(cells.includes(HOSTILE[0]) && cells.includes(HOSTILE[1]), 'the values show as text');
  const injected = await page.evaluate(() => {
    const root = document.querySelector('audience-lab')?.shadowRoot;
    return root?.querySelectorAll('main script, main img, main iframe, main svg[onload], main [onerror]').length;
  });
  assert.equal(injected, 0, 'no element was made from a value');
  await page.screenshot({ path: join(resultsDir(), 'hostile-builder.png'), fullPage: true });

  await page.click('audience-lab #to-export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
  const [header, ...rows] = parseCsv(readFileSync(/** @type {string} */ (await download.path())).subarray(3).toString('utf8'));
  assert.equal(header[0], 'member_id');
  assert.equal(rows.length, Number(await page.getAttribute('audience-lab #export-count', 'data-count')));

  assert.equal(await page.evaluate(() => /** @type {any} */ (globalThis).__xss), undefined, 'nothing executed');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(requests.filter((u) => /pwned/.test(u)), [], 'no URL from the data was requested');
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
