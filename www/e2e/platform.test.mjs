// A Shopify export in the page (SPEC §1.1, issue 17): the orders file in Shopify's own layout
// (line items, no customer id column, Refunded Amount); the mapping preview names the platform
// and says the members are keyed by email, the report says how many orders the lines made, and
// the page's RFM and a filter on a line-level column (Vendor) equal the CLI's on the same two
// files (read the same way without a --map).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, tempDir, cli, readCsvFile, cliSegmentCounts, cliSegmentIds, appLab, foreignRequests, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** Writes a Shopify orders export in Shopify's own layout (one row per line item; order-level
 * columns on the first line only; Refunded Amount) and its customers export; returns the folder. */
function shopify() {
  let seed = 7;
  const next = (/** @type {number} */ n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const statuses = ['paid', 'paid', 'paid', 'partially_paid', 'partially_refunded', 'refunded', 'pending', 'authorized', 'expired', 'voided'];
  const header = 'Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Refunded Amount,Vendor,Location,Id,Source';
  const orders = [header];
  for (let n = 0; n < 600; n++) {
    const who = next(150);
    const email = [`buyer${who}@shop.example`, ` BUYER${who}@SHOP.EXAMPLE `, `Buyer${who}@Shop.Example`][next(3)];
    const status = statuses[next(statuses.length)];
    const day = `2024-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const paid = ['pending', 'authorized', 'expired', 'voided'].includes(status) ? '' : `${day} 12:00:00 +0800`;
    const total = 5 + next(900);
    const refunded = status === 'refunded' ? total : status === 'partially_refunded' ? Math.floor(total / 3) : 0;
    const lines = 1 + next(3);
    for (let l = 0; l < lines; l++) {
      const vendor = l === 0 ? ['Acme', 'Borealis'][next(2)] : ['Acme', 'Borealis', 'Zeta'][next(3)];
      const first = (/** @type {string} */ v) => (l === 0 ? v : '');
      orders.push([`#${1000 + n}`, email, first(status), first(paid), first('fulfilled'), first('CNY'), first(total.toFixed(2)),
        first(total.toFixed(2)), first('0.00'), `${day} 10:00:00 +0800`, String(1 + next(3)), `Item ${vendor}`, '9.90',
        `SKU-${vendor}`, first(refunded.toFixed(2)), vendor, first('Flagship'), first(String(5000000 + n)), first('web')].join(','));
    }
  }
  const customers = ['Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags'];
  for (let who = 0; who < 150; who++) customers.push(`'${9000 + who},Ann,Lee,Buyer${who}@shop.example,yes,,no,0.00,0,,no,VIP`);
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
  assert.deepEqual(email, { role: 'member_id', how: '95% · email key' });
  const named = await page.locator('audience-lab #preview-orders .platform').textContent();
  assert.equal(named, 'Recognised: Shopify orders export');
  await page.screenshot({ path: join(resultsDir(), 'shopify-preview.png'), fullPage: true });
  await page.click('audience-lab #commit-orders');
  await page.waitForSelector('audience-lab #report-orders .rows');
  const report = /** @type {any} */ (await page.evaluate(async () => {
    const lab = await /** @type {any} */ (document.querySelector('audience-lab')).lab;
    return lab.tables();
  }));
  assert.deepEqual(report.map((/** @type {any} */ t) => t.kind), ['members', 'orders']);
  // The report's first line says what the platform's lines became; the rows loaded are the
  // lines.
  const shown = String(await page.locator('audience-lab #report-orders .warning').first().textContent());
  const said = shown.match(/^Shopify orders export: ([\d,]+) orders from ([\d,]+) line-item rows, ([\d,]+) with a refund/);
  assert.ok(said, shown);
  const orders = report.find((/** @type {any} */ t) => t.kind === 'orders');
  const n = (/** @type {string} */ v) => Number(v.replace(/,/g, ''));
  assert.equal(orders.rows, n(said[2]));
  const rfm = /** @type {any} */ (await appLab(page, 'rfm', {}));
  const cli = cliSegmentCounts(dir);
  assert.equal(rfm.members, cli.buyers, 'buyers');
  for (const s of rfm.segments) assert.equal(s.members, cli.counts[s.segment] ?? 0, s.segment);
  // 150 customers, each one member whatever the case and spaces of their email in the orders.
  assert.equal(await appLab(page, 'count', { tags: { any: ['VIP'] } }), 150);
  // A line-level column: buyers of Zeta, sold only on second and later lines, as the CLI finds them.
  const zeta = { purchased: { where: { Vendor: ['Zeta'] } } };
  const ids = /** @type {any} */ (await appLab(page, 'members', zeta, { limit: 1000 }));
  const cliIds = cliSegmentIds(dir, zeta);
  assert.ok(cliIds.length > 20, `${cliIds.length} Zeta buyers`);
  assert.deepEqual(ids.rows.map((/** @type {string[]} */ r) => r[0]).sort(), [...cliIds].sort());
  assert.deepEqual(foreignRequests(requests, env.url), []);
  await context.close();
});

/** Writes a Tmall / Taobao 订单报表 and its 宝贝报表 (one row per item; 围巾 only ever a second or
 * later item); returns the folder. */
function taobao() {
  let seed = 11;
  const next = (/** @type {number} */ n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const statuses = ['交易成功', '交易成功', '买家已付款，等待卖家发货', '卖家已发货，等待买家确认', '等待买家付款', '交易关闭'];
  const orders = ['订单编号,买家会员名,买家支付宝账号,买家应付货款,总金额,买家实际支付金额,订单状态,联系手机,订单创建时间,订单付款时间,宝贝总数量,店铺名称,退款金额'];
  const items = ['订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码'];
  for (let n = 0; n < 400; n++) {
    const id = 3000000000 + n;
    const status = statuses[next(statuses.length)];
    const day = `2024-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const paid = (5 + next(900)).toFixed(2);
    const refund = next(5) === 0 ? (Number(paid) / 2).toFixed(2) : '0.00';
    const lines = 1 + next(3);
    orders.push(`="${id}",tb_买家${next(60)},a***@qq.com,${paid},${paid},${paid},${status},138****0000,${day} 10:00:00,${day} 10:05:00,${lines},旗舰店,${refund}`);
    for (let l = 0; l < lines; l++) {
      const title = l === 0 ? ['连衣裙', 'T恤'][next(2)] : ['连衣裙', 'T恤', '围巾'][next(3)];
      items.push(`="${id}",${title},9.90,1,,颜色分类:黑色,,,${status},SJ-${title}`);
    }
  }
  const dir = tempDir();
  writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');
  writeFileSync(join(dir, 'items.csv'), items.join('\n') + '\n');
  return dir;
}

test('a Tmall order list and its 宝贝报表 load as orders and order items, and a title filter equals the CLI', async () => {
  const dir = taobao();
  const { page, context } = await openPage(env.browser, env.url);
  await page.setInputFiles('audience-lab #file-orders', join(dir, 'orders.csv'));
  await page.waitForSelector('audience-lab #preview-orders');
  assert.equal(await page.locator('audience-lab #preview-orders .platform').textContent(), 'Recognised: Tmall / Taobao order list (订单报表)');
  await page.click('audience-lab #commit-orders');
  await page.waitForSelector('audience-lab #report-orders .rows');
  await page.setInputFiles('audience-lab #file-order_items', join(dir, 'items.csv'));
  await page.waitForSelector('audience-lab #preview-order_items');
  assert.equal(await page.locator('audience-lab #preview-order_items .platform').textContent(), 'Recognised: Tmall / Taobao items list (宝贝报表)');
  await page.click('audience-lab #commit-order_items');
  await page.waitForSelector('audience-lab #report-order_items .rows');
  const warnings = await page.locator('audience-lab #report-order_items .warning').allTextContents();
  assert.ok(warnings.some((w) => /^\d+ item rows match no loaded member order/.test(w)), warnings.join(' | '));
  await page.screenshot({ path: join(resultsDir(), 'taobao-items.png'), fullPage: true });
  const scarf = { purchased: { where: { 标题: ['围巾'] } } };
  const page1 = /** @type {any} */ (await appLab(page, 'members', scarf, { limit: 1000 }));
  const tmp = tempDir();
  writeFileSync(join(tmp, 'rule.json'), JSON.stringify(scarf));
  cli(['segment', '--orders', join(dir, 'orders.csv'), '--items', join(dir, 'items.csv'), '--rule', join(tmp, 'rule.json'), '--out', join(tmp, 'out.csv')]);
  const fromCli = readCsvFile(join(tmp, 'out.csv')).rows.map((r) => r[0]);
  assert.ok(fromCli.length > 10, `${fromCli.length} buyers of 围巾`);
  assert.deepEqual(page1.rows.map((/** @type {string[]} */ r) => r[0]).sort(), [...fromCli].sort());
  await context.close();
});
