// A Shopify-shaped export in the page (SPEC §1.1, issue 17's key and status part): the orders
// file has no customer id column; the mapping preview says the members are keyed by email,
// the load reports the unpaid and voided orders, and the page's RFM equals the CLI's on the
// same two files (which are keyed the same way without a --map).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, tempDir, cliSegmentCounts, appLab, foreignRequests, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** Writes a Shopify-shaped orders export and its customers export; returns the folder. */
function shopify() {
  let seed = 7;
  const next = (/** @type {number} */ n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const statuses = ['paid', 'paid', 'paid', 'partially_refunded', 'refunded', 'pending', 'authorized', 'voided'];
  const orders = ['Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Vendor'];
  for (let n = 0; n < 600; n++) {
    const who = next(150);
    const email = [`buyer${who}@shop.example`, ` BUYER${who}@SHOP.EXAMPLE `, `Buyer${who}@Shop.Example`][next(3)];
    const status = statuses[next(statuses.length)];
    const day = `2024-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const paid = ['pending', 'authorized', 'voided'].includes(status) ? '' : `${day} 12:00:00 +0800`;
    orders.push(`#${1000 + n},${email},${status},${paid},CNY,${(5 + next(900)).toFixed(2)},${day} 10:00:00 +0800,1,Acme`);
  }
  const customers = ['Customer ID,First Name,Email,Phone,Tags'];
  for (let who = 0; who < 150; who++) customers.push(`${9000 + who},Ann,Buyer${who}@shop.example,,VIP`);
  const dir = tempDir();
  writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');
  writeFileSync(join(dir, 'members.csv'), customers.join('\n') + '\n');
  return dir;
}

test('a Shopify export loads keyed by email with no mapping, and the page answers as the CLI', async () => {
  const dir = shopify();
  const { page, context, requests } = await openPage(env.browser, env.url);
  await page.setInputFiles('audience-lab #file-members', join(dir, 'members.csv'));
  await page.click('audience-lab #commit-members');
  await page.waitForSelector('audience-lab #report-members .rows');
  await page.setInputFiles('audience-lab #file-orders', join(dir, 'orders.csv'));
  await page.waitForSelector('audience-lab #preview-orders');
  const email = await page.evaluate(() => {
    const root = document.querySelector('audience-lab')?.shadowRoot;
    const heads = [...(root?.querySelectorAll('#preview-orders thead tr:first-child th') ?? [])].map((th) => th.textContent);
    const cell = root?.querySelectorAll('#preview-orders tr.roles td')[heads.indexOf('Email')];
    return { role: cell?.querySelector('select')?.value, how: cell?.querySelector('.conf')?.textContent };
  });
  assert.deepEqual(email, { role: 'member_id', how: '90% · email key' });
  await page.screenshot({ path: join(resultsDir(), 'shopify-preview.png'), fullPage: true });
  await page.click('audience-lab #commit-orders');
  await page.waitForSelector('audience-lab #report-orders .rows');
  const report = /** @type {any} */ (await page.evaluate(async () => {
    const lab = await /** @type {any} */ (document.querySelector('audience-lab')).lab;
    return lab.tables();
  }));
  assert.deepEqual(report.map((/** @type {any} */ t) => t.kind), ['members', 'orders']);
  const rfm = /** @type {any} */ (await appLab(page, 'rfm', {}));
  const cli = cliSegmentCounts(dir);
  assert.equal(rfm.members, cli.buyers, 'buyers');
  for (const s of rfm.segments) assert.equal(s.members, cli.counts[s.segment] ?? 0, s.segment);
  // 150 customers, each one member whatever the case and spaces of their email in the orders.
  assert.equal(await appLab(page, 'count', { tags: { any: ['VIP'] } }), 150);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  await context.close();
});
