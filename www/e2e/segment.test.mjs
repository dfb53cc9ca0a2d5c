// The segment calls of the client in Chromium against the CLI: lab.count, lab.explain (every
// node and every running count), lab.toSql (the same query as `audience-lab sql`), tag
// intersections (each intersection's rule and size), saved segments, overlap and difference.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cliSegmentIds, cli, tempDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {string} */
let dir;
/** @type {import('playwright-core').Page} */
let page;
/** @type {string[]} */
let requests;

before(async () => {
  env = await start();
  dir = generate({ members: 1500, seed: 23 });
  ({ page, requests } = await openPage(env.browser, env.url));
  const files = {
    members: [...readFileSync(join(dir, 'members.csv'))],
    orders: [...readFileSync(join(dir, 'orders.csv'))],
  };
  await page.evaluate(async (files) => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const lab = await AudienceLab.create();
    await lab.load('members', new Uint8Array(files.members), { name: 'members.csv' });
    await lab.load('orders', new Uint8Array(files.orders), { name: 'orders.csv' });
    Object.assign(globalThis, { lab });
  }, files);
});
after(async () => { await env?.close(); });

const RULE = {
  version: 1,
  name: 'win back',
  rule: {
    all: [
      { tags: { any: ['KOC', 'student', 'event_vip'] } },
      { any: [{ attr: { column: 'tier', in: ['gold', 'diamond'] } }, { metric: { name: 'monetary', gte: 800 } }] },
      { not: { lifecycle: ['prospect'] } },
      { purchased: { where: { brand: ['UR'] }, within_days: 720 } },
    ],
  },
};

/** @param {object} rule */
const cliCount = (rule) => cliSegmentIds(dir, rule).length;

test('count and explain agree with the CLI node by node', async () => {
  const out = await page.evaluate(async (rule) => {
    const lab = /** @type {any} */ (globalThis).lab;
    return { count: await lab.count(rule), explain: await lab.explain(rule), again: await lab.explain(rule) };
  }, RULE);
  const kids = RULE.rule.all;
  assert.equal(out.count, cliCount(RULE.rule));
  assert.ok(out.count > 0);
  const ex = out.explain;
  assert.equal(ex.count, out.count);
  assert.equal(ex.root.path, 'rule');
  assert.equal(ex.root.type, 'all');
  assert.equal(ex.root.children.length, kids.length);
  for (const [i, child] of ex.root.children.entries()) {
    assert.equal(child.path, `rule.all[${i}]`);
    assert.equal(child.count, cliCount(kids[i]), child.path);
    assert.equal(child.running, cliCount({ all: kids.slice(0, i + 1) }), `running ${child.path}`);
  }
  const anyNode = ex.root.children[1];
  const anyKids = /** @type {object[]} */ (kids[1].any);
  assert.equal(anyNode.children[1].count, cliCount(anyKids[1]));
  assert.equal(anyNode.children[1].running, cliCount(kids[1]));
  // The second explain answers from the per-node cache.
  assert.ok(out.again.root.cached && out.again.root.children.every((/** @type {any} */ c) => c.cached));
});

test('toSql gives the query of audience-lab sql, in both dialects', async () => {
  const tmp = tempDir();
  const rulePath = join(tmp, 'rule.json');
  writeFileSync(rulePath, JSON.stringify(RULE));
  for (const dialect of ['duckdb', 'spark']) {
    const sql = await page.evaluate(async ([rule, dialect]) => /** @type {any} */ (globalThis).lab.toSql(rule, { dialect }), [RULE, dialect]);
    const expected = cli(['sql', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), '--rule', rulePath, '--dialect', dialect]);
    assert.equal(sql, expected, dialect);
    assert.match(sql, /SELECT DISTINCT e\.member_id/);
  }
  const err = await page.evaluate(async () => {
    try {
      await /** @type {any} */ (globalThis).lab.toSql({ tags: { any: ['KOCC'] } }, { dialect: 'duckdb' });
      return null;
    } catch (e) {
      return { code: /** @type {any} */ (e).code, message: String(/** @type {any} */ (e).message) };
    }
  });
  assert.equal(err?.code, 'RULE_ERROR');
  assert.match(err?.message ?? '', /unknown tag "KOCC"; did you mean "KOC"\?/);
});

test('tag intersections: sizes, rules and overlap agree with the CLI', async () => {
  const set = ['KOC', 'student', 'event_vip', 'new_mom'];
  const out = await page.evaluate(async (set) => {
    const lab = /** @type {any} */ (globalThis).lab;
    const report = await lab.tags({ tags: set, limit: 6 });
    const rule = await lab.intersectionRule(['KOC', 'student'], ['event_vip', 'new_mom']);
    return { report, rule, ruleCount: await lab.count(rule) };
  }, set);
  const r = out.report;
  assert.deepEqual(r.set, set);
  for (const [i, a] of set.entries()) {
    assert.equal(r.overlap[i][i], cliCount({ tags: { any: [a] } }), a);
  }
  assert.equal(r.overlap[0][1], cliCount({ tags: { all: ['KOC', 'student'] } }));
  const union = cliCount({ tags: { any: ['KOC', 'student'] } });
  assert.ok(Math.abs(r.jaccard[0][1] - r.overlap[0][1] / union) < 1e-12);
  assert.equal(r.intersections.length, 6);
  for (const x of r.intersections) assert.equal(cliCount(x.rule.rule), x.size, x.tags.join('+'));
  assert.ok(r.intersections.every((/** @type {any} */ x, /** @type {number} */ i, /** @type {any[]} */ a) => i === 0 || a[i - 1].size >= x.size));
  assert.equal(out.ruleCount, cliCount(out.rule.rule));
});

test('saved segments, overlap, difference and member pages', async () => {
  const a = { version: 1, name: 'koc', rule: { tags: { any: ['KOC'] } } };
  const b = { version: 1, name: 'vip', rule: { attr: { column: 'tier', in: ['gold', 'diamond'] } } };
  const out = await page.evaluate(async ([a, b]) => {
    const lab = /** @type {any} */ (globalThis).lab;
    await lab.saveSegment(a);
    await lab.saveSegment(b);
    const saved = await lab.segments();
    const overlap = await lab.overlap({ segment: 'koc' }, { segment: 'vip' });
    const difference = await lab.difference({ segment: 'koc' }, { segment: 'vip' });
    const page1 = await lab.members({ segment: 'koc' }, { columns: ['tier', 'phone'], offset: 10, limit: 7 });
    return { saved, overlap, difference, page1 };
  }, [a, b]);
  assert.deepEqual(out.saved.map((/** @type {any} */ s) => s.name), ['koc', 'vip']);
  const ids = cliSegmentIds(dir, a.rule);
  const both = cliCount({ all: [a.rule, b.rule] });
  assert.equal(out.overlap.a, ids.length);
  assert.equal(out.overlap.b, cliCount(b.rule));
  assert.equal(out.overlap.both, both);
  assert.equal(out.difference.count, cliCount({ all: [a.rule, { not: b.rule }] }));
  assert.equal(out.page1.total, ids.length);
  assert.deepEqual(out.page1.columns, ['member_id', 'tier', 'phone']);
  assert.deepEqual(out.page1.rows.map((/** @type {string[]} */ r) => r[0]), ids.slice(10, 17));
  assert.deepEqual(foreignRequests(requests, env.url), []);
});
