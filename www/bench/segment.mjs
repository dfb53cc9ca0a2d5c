// Live-count latency of the wasm build in headless Chromium (not a test): the rule edits of
// benches/segment.rs, each counted through the client (`lab.count`, worker round trip
// included) with the previous edit cached (the per-node cache of a rule builder) and with the
// cache emptied (every node evaluated). Median of 5 runs per edit; JSON to bench/results/.
//
//   node www/bench/segment.mjs [DIR]      (default bench/data/m1000000_a5, made by `make bench-segment`)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, ROOT } from '../e2e/harness.mjs';

const dir = process.argv[2] ?? join(ROOT, 'bench/data/m1000000_a5');
// The edit lists of the native benchmark, read from its source so that both time the same rules.
const source = readFileSync(join(ROOT, 'benches/segment.rs'), 'utf8');
/** @param {string} name */
const edits = (name) => {
  const block = source.split(`const ${name}: &[&str] = &[`)[1].split('];')[0];
  return [...block.matchAll(/r#"(.*?)"#/g)].map((m) => JSON.parse(m[1]));
};
const families = { member: edits('MEMBER_EDITS'), purchased: edits('PURCHASE_EDITS') };

const env = await start();
try {
  const { page } = await openPage(env.browser, env.url);
  await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const g = /** @type {any} */ (globalThis);
    g.AudienceLab = (await import(client)).AudienceLab;
    for (const id of ['orders', 'members']) {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = `bench-${id}`;
      document.body.append(input);
    }
  });
  await page.setInputFiles('#bench-orders', join(dir, 'orders.csv'));
  await page.setInputFiles('#bench-members', join(dir, 'members.csv'));
  const result = await page.evaluate(async (families) => {
    const g = /** @type {any} */ (globalThis);
    const file = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.querySelector(`#bench-${id}`)).files?.[0];
    const lab = await g.AudienceLab.create();
    const t0 = performance.now();
    await lab.load('orders', file('orders'));
    await lab.load('members', file('members'));
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const total = (await lab.explain({ not: { tags: { any: ['KOC'] } } })).total;
    const datasetAndAnalysisMs = performance.now() - t1;
    const median = (/** @type {number[]} */ v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    /** @type {Record<string, any>} */
    const out = {};
    for (const [family, rules] of Object.entries(families)) {
      const rows = [];
      for (const [i, rule] of rules.entries()) {
        const cold = [];
        const edit = [];
        let members = 0;
        for (let k = 0; k < 5; k++) {
          await lab.clearCache();
          let t = performance.now();
          members = await lab.count(rule);
          cold.push(performance.now() - t);
          await lab.clearCache();
          if (i > 0) await lab.count(rules[i - 1]);
          t = performance.now();
          await lab.count(rule);
          edit.push(performance.now() - t);
        }
        rows.push({ edit: i, members, editMs: +median(edit).toFixed(2), coldMs: +median(cold).toFixed(2) });
      }
      out[family] = {
        rows,
        maxEditMs: Math.max(...rows.map((r) => r.editMs)),
        maxColdMs: Math.max(...rows.map((r) => r.coldMs)),
        medianEditMs: median(rows.map((r) => r.editMs)),
      };
    }
    const heap = await lab.heapBytes();
    lab.terminate();
    return { members: total, loadMs: Math.round(loadMs), datasetAndAnalysisMs: Math.round(datasetAndAnalysisMs), heapBytes: heap, ...out };
  }, families);
  const report = { dir, browser: env.browser.version(), ...result };
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/segment-wasm.json'), JSON.stringify(report, null, 2));
} finally {
  await env.close();
}
