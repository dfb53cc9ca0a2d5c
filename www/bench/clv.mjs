// In-browser benchmark (not a test): `lab.clv()` on generated members in headless Chromium.
//
//   node www/bench/clv.mjs [MEMBERS]      (default 1,000,000; needs `make pkg` and the CLI)
//
// Generates the sample shop with the native CLI into www/samples/bench/, loads its orders
// into the worker through the client, and times `lab.clv()` (summary, grouping, both fits and
// every member's predictions) once per unit. The native breakdown is `cargo bench --bench clv`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { start, cli, WWW } from '../e2e/harness.mjs';

const members = Number(process.argv[2] ?? 1_000_000);
const dir = join(WWW, 'samples', 'bench', String(members));
if (!existsSync(join(dir, 'orders.csv'))) cli(['gen', '--members', String(members), '--seed', '7', '--out', dir]);

const env = await start();
try {
  const page = await (await env.browser.newContext()).newPage();
  await page.goto(env.url);
  const result = await page.evaluate(async (path) => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const lab = await AudienceLab.create();
    const t0 = performance.now();
    const blob = await (await fetch(path)).blob();
    await lab.load('orders', blob, { name: 'orders.csv' });
    const load = performance.now() - t0;
    // Builds the member index and the order columns, so that the runs below time CLV alone.
    const t1 = performance.now();
    await lab.rfm();
    const dataset = performance.now() - t1;
    /** @type {Record<string, unknown>} */
    const runs = {};
    for (const unit of ['days', 'weeks']) {
      const t = performance.now();
      const r = await lab.clv({ unit });
      runs[unit] = { ms: Math.round(performance.now() - t), customers: r.customers, distinctTriples: r.distinctTriples, bgnbd: r.bgnbd };
    }
    lab.terminate();
    return { loadMs: Math.round(load), datasetAndRfmMs: Math.round(dataset), runs };
  }, `/samples/bench/${members}/orders.csv`);
  console.log(JSON.stringify({ members, ...result }, null, 2));
} finally {
  await env.close();
}
