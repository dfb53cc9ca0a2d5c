// Main-thread responsiveness while the page loads 1M members and their orders (Parquet)
// through `<audience-lab>`: the main thread's long tasks (over 50 ms, the Long Tasks API) and
// its longest stall (gaps of a 20 ms ticker), median of 3 page loads. The goal: no long task.
// Writes bench/results/responsive.json.
//
//   node www/bench/responsive.mjs [DIR]     (DIR holds members.parquet and orders.parquet)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, cli, ROOT } from '../e2e/harness.mjs';

const dir = process.argv[2] ?? join(ROOT, 'bench/data/responsive');
if (!existsSync(join(dir, 'orders.parquet'))) {
  cli(['gen', '--members', '1000000', '--seed', '2', '--format', 'parquet', '--out', dir]);
}
const env = await start();
const runs = [];
for (let i = 0; i < 3; i++) {
  const { page, context } = await openPage(env.browser, env.url);
  await page.waitForSelector('audience-lab #file-members');
  await page.evaluate(() => {
    const g = /** @type {any} */ (globalThis);
    g.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) g.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    g.ticks = { last: performance.now(), longest: 0 };
    setInterval(() => { const t = performance.now(); g.ticks.longest = Math.max(g.ticks.longest, t - g.ticks.last); g.ticks.last = t; }, 20);
  });
  const t0 = await page.evaluate(() => performance.now());
  for (const kind of ['members', 'orders']) {
    await page.setInputFiles(`audience-lab #file-${kind}`, join(dir, `${kind}.parquet`));
    await page.click(`audience-lab #commit-${kind}`);
    await page.waitForSelector(`audience-lab #report-${kind} .rows`, { timeout: 600_000 });
  }
  const r = await page.evaluate((t0) => {
    const g = /** @type {any} */ (globalThis);
    return { seconds: (performance.now() - t0) / 1000, longTasks: g.longTasks.length, longestTaskMs: Math.max(0, ...g.longTasks), longestStallMs: g.ticks.longest };
  }, t0);
  runs.push(r);
  console.log(`run ${i + 1}: load ${r.seconds.toFixed(1)} s, ${r.longTasks} long tasks (longest ${r.longestTaskMs.toFixed(0)} ms), longest stall ${r.longestStallMs.toFixed(0)} ms`);
  await context.close();
}
await env.close();
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {
  date: new Date().toISOString(),
  longTasks: median(runs.map((r) => r.longTasks)),
  longestTaskMs: median(runs.map((r) => r.longestTaskMs)),
  longestStallMs: median(runs.map((r) => r.longestStallMs)),
  runs,
};
console.log(`median: ${summary.longTasks} long tasks, longest ${summary.longestTaskMs.toFixed(0)} ms; longest stall ${summary.longestStallMs.toFixed(0)} ms`);
const out = join(ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'responsive.json'), JSON.stringify(summary, null, 2) + '\n');
