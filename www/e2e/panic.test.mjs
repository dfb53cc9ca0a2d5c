// A panic in the engine: the call rejects with code PANIC and a clear message (the panic hook
// has put the Rust message in it), calls in flight reject too, the client starts a fresh
// worker for the next call, and the same lab loads and answers again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, generate, cliSegmentCounts } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('a panic rejects with PANIC and the client recovers with a fresh worker', async () => {
  const dir = generate({ members: 800, seed: 21 });
  const { page, context } = await openPage(env.browser, env.url);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'picked';
    input.multiple = true;
    document.body.append(input);
  });
  await page.setInputFiles('#picked', [join(dir, 'members.csv'), join(dir, 'orders.csv')]);
  const out = await page.evaluate(async () => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const [members, orders] = /** @type {HTMLInputElement} */ (document.getElementById('picked')).files ?? [];
    const lab = await AudienceLab.create();
    /** @type {(p: Promise<unknown>) => Promise<any>} */
    const settle = (p) => p.then((v) => ({ ok: v }), (e) => ({ code: e.code, message: e.message }));
    await lab.load('members', members);
    await lab.load('orders', orders);
    const before = await lab.rfm();
    const panic = await settle(lab.debugPanic());
    const afterPanic = await settle(lab.rfm());
    await lab.load('members', members);
    await lab.load('orders', orders);
    const again = await lab.rfm();
    lab.terminate();
    return { before, panic, afterPanic, again };
  });
  assert.equal(out.panic.code, 'PANIC');
  assert.match(out.panic.message, /^engine panic: panicked at src\/wasm\/panic.rs:\d+:\d+:\ndebugPanic: a deliberate panic to test recovery$/);
  // The fresh worker has no tables until they are loaded again.
  assert.equal(out.afterPanic.code, 'NO_DATA');
  assert.deepEqual(out.again, out.before);
  const cli = cliSegmentCounts(dir);
  for (const s of out.again.segments) assert.equal(s.members, cli.counts[s.segment] ?? 0, s.segment);
  await context.close();
});
