// Accessibility: the path load → builder → export works with the keyboard alone (Tab, Enter,
// Space, arrow keys, type-ahead in selects), and the download is the CLI's audience.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, generate, cliSegmentIds, parseCsv, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/**
 * A description of the focused element, looking into shadow roots.
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 */
function focusedMatches(page, selector) {
  return page.evaluate((sel) => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return Boolean(a?.matches(sel));
  }, selector);
}

/**
 * Presses Tab until the focused element matches `selector` (fails after `max` presses).
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await focusedMatches(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('keyboard only: load with the file picker, build a rule, export it', async () => {
  const dir = generate({ members: 1200, seed: 9 });
  const { page, errors, context } = await openPage(env.browser, env.url);
  await page.waitForSelector('audience-lab #file-orders');

  for (const kind of ['members', 'orders']) {
    await tabTo(page, `label[for="file-${kind}"]`);
    // Enter on the focused picker opens the file chooser. On a loaded machine Chromium has been
    // seen to drop the first press; a user would press again, and so does the test (once).
    const open = () => Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.keyboard.press('Enter')]);
    const [chooser] = await open().catch(async () => { await tabTo(page, `label[for="file-${kind}"]`); return open(); });
    await chooser.setFiles(join(dir, `${kind}.csv`));
    await page.waitForSelector(`audience-lab #commit-${kind}`);
    await tabTo(page, `#commit-${kind}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`audience-lab #report-${kind} .rows`);
  }
  // After a load, focus is on "Continue"; Enter opens the overview.
  assert.ok(await focusedMatches(page, '#to-overview'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('audience-lab .view-overview');

  // Tabs: arrow keys move between them (WAI-ARIA tabs pattern).
  await tabTo(page, '[role=tab][aria-selected=true]');
  const views = await page.$$eval('audience-lab [role=tab]', (ts) => ts.map((x) => /** @type {HTMLElement} */ (x).dataset.view));
  for (let i = views.indexOf('overview'); i < views.indexOf('builder'); i++) await page.keyboard.press('ArrowRight');
  await page.waitForSelector('audience-lab .view-builder');
  assert.ok(await focusedMatches(page, '#tab-builder'));

  // A condition: the type select by type-ahead, then "+ Condition" with Space.
  await tabTo(page, '#rule-tree .add select');
  await page.keyboard.type('Lifecycle');
  await tabTo(page, '#rule-tree .add-condition');
  await page.keyboard.press('Space');
  await page.waitForSelector('audience-lab [data-path="rule.all[0]"][data-type="lifecycle"]');
  await tabTo(page, '[data-path="rule.all[0]"] input[value="dormant"]');
  await page.keyboard.press('Space');
  const rule = { all: [{ lifecycle: ['active', 'dormant'] }] };
  const expected = cliSegmentIds(dir, { version: 1, name: 'kb', rule });
  await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count') === String(n), expected.length);

  await tabTo(page, '#to-export');
  await page.keyboard.press('Enter');
  await page.waitForSelector('audience-lab #download');
  await tabTo(page, '#download');
  await page.screenshot({ path: join(resultsDir(), 'keyboard-export.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const [, ...rows] = parseCsv(readFileSync(/** @type {string} */ (await download.path())).subarray(3).toString('utf8'));
  assert.deepEqual(rows.map((r) => r[0]), expected);
  assert.deepEqual(errors, []);
  await context.close();
});
