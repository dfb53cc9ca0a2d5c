// Load throughput of the wasm build in headless Chromium: CSV MB/s and Parquet rows/s on the
// files `make bench-load` generates. Prints the median of 5 loads of each file and writes the
// numbers as JSON to bench/results/.
//
//   node www/bench/load.mjs [DIR]
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, ROOT } from '../e2e/harness.mjs';

const dir = process.argv[2] ?? join(ROOT, 'bench/data/load');
const env = await start();
const { page } = await openPage(env.browser, env.url);
await page.evaluate(async () => {
  const client = '/pkg/index.js';
  /** @type {any} */ (globalThis).AudienceLab = (await import(client)).AudienceLab;
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'bench-file';
  document.body.append(input);
});

/** @type {Record<string, unknown>[]} */
const results = [];
for (const file of ['orders.csv', 'orders.parquet']) {
  const path = join(dir, file);
  const bytes = statSync(path).size;
  await page.setInputFiles('#bench-file', path);
  const run = await page.evaluate(async () => {
    const g = /** @type {any} */ (globalThis);
    const f = /** @type {HTMLInputElement} */ (document.querySelector('#bench-file')).files?.[0];
    const times = [];
    let rows = 0;
    let heap = 0;
    for (let i = 0; i < 5; i++) {
      const lab = await g.AudienceLab.create();
      const t = performance.now();
      const report = await lab.load('orders', f);
      times.push((performance.now() - t) / 1000);
      rows = report.rowsIn;
      heap = await lab.heapBytes();
      lab.terminate();
    }
    times.sort((a, b) => a - b);
    return { seconds: times[2], rows, heap };
  });
  const r = { engine: 'wasm', file, mb: bytes / 1e6, ...run, mbPerSecond: bytes / 1e6 / run.seconds, rowsPerSecond: run.rows / run.seconds };
  results.push(r);
  console.log(`wasm    ${file.padEnd(16)} ${r.mb.toFixed(1).padStart(8)} MB  ${String(r.rows).padStart(9)} rows  ${run.seconds.toFixed(3).padStart(7)} s  ${r.mbPerSecond.toFixed(1).padStart(7)} MB/s  ${r.rowsPerSecond.toFixed(0).padStart(10)} rows/s  heap ${(run.heap / 1e6).toFixed(0)} MB`);
}
await env.close();
const out = join(ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'load-wasm.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
