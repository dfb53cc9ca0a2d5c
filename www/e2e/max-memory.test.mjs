// The `max-memory` attribute of `<audience-lab>`: bytes or a size with MB, GB (decimal), MiB,
// GiB (binary) becomes the engine's memory limit (read back from `lab.memory()`); a value that
// is no size stops the element with an error saying so, in its language, and an `error` event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, foreignRequests, resultsDir } from './harness.mjs';
import { parseSize } from '../ui/size.js';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('sizes: whole bytes, or a number with MB, GB, MiB or GiB; anything else is no size', () => {
  const sizes = /** @type {[string, number | null][]} */ ([
    ['536870912', 536870912], ['512MB', 512_000_000], ['1.5GB', 1_500_000_000], ['512MiB', 512 * 1024 * 1024],
    ['2GiB', 2 * 1024 * 1024 * 1024], [' 64 mib ', 64 * 1024 * 1024], ['1.1MiB', 1153433],
    ['lots', null], ['', null], ['0', null], ['0MB', null], ['-5MB', null], ['12.5', null], ['1e9', null],
    ['5 KB', null], ['5TB', null], ['MB', null], ['1,5GB', null], ['512 MB extra', null],
  ]);
  for (const [text, bytes] of sizes) assert.equal(parseSize(text), bytes, JSON.stringify(text));
});

test('max-memory="64MiB" is the limit of the element\'s engine; max-memory="lots" shows why the element cannot start', async () => {
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'en-US' });
  const limits = await page.evaluate(async () => {
    /** @param {string} id @param {string} max */
    const add = (id, max) => {
      const el = document.createElement('audience-lab');
      Object.assign(el, { id });
      el.setAttribute('lang', 'en');
      el.setAttribute('max-memory', max);
      document.body.append(el);
      return /** @type {any} */ (el);
    };
    const binary = add('binary', '64MiB');
    const decimal = add('decimal', '1.5GB');
    // Without the attribute: the client's default, as a lab made without options has it.
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const plain = await AudienceLab.create();
    const limits = {
      binary: (await (await binary.lab).memory()).limitBytes,
      decimal: (await (await decimal.lab).memory()).limitBytes,
      page: (await (await /** @type {any} */ (document.getElementById('app')).lab).memory()).limitBytes,
      default: (await plain.memory()).limitBytes,
    };
    plain.terminate();
    return limits;
  });
  const { default: fallback, ...set } = limits;
  assert.deepEqual(set, { binary: 64 * 1024 * 1024, decimal: 1_500_000_000, page: fallback });
  assert.notEqual(fallback, 64 * 1024 * 1024);
  await page.waitForSelector('audience-lab#binary .view-load');

  const bad = await page.evaluate(async () => {
    const el = /** @type {any} */ (document.createElement('audience-lab'));
    el.id = 'bad';
    el.setAttribute('lang', 'en');
    el.setAttribute('max-memory', 'lots');
    /** @type {unknown[]} */
    const events = [];
    el.addEventListener('error', (/** @type {CustomEvent} */ ev) => events.push(ev.detail));
    document.body.append(el);
    const lab = await el.lab.then(() => null, (/** @type {any} */ e) => ({ code: e.code, message: e.message }));
    return { lab, events };
  });
  const message = 'max-memory="lots" is not a size: write a number of bytes (536870912) or a number with MB, GB, MiB or GiB (512MB, 1.5GB, 512MiB, 2GiB). The analysis engine was not started.';
  assert.deepEqual(bad.lab, { code: 'INVALID_OPTION', message });
  await page.waitForSelector('audience-lab#bad #error:visible');
  assert.equal(await page.textContent('audience-lab#bad #error'), message);
  assert.equal(await page.getAttribute('audience-lab#bad #error', 'role'), 'alert');
  assert.deepEqual(bad.events, [{ code: 'INVALID_OPTION', message }]);
  assert.equal(await page.$('audience-lab#bad .view-load'), null, 'no view without an engine');
  await page.locator('audience-lab#bad').screenshot({ path: join(resultsDir(), 'max-memory-bad-en.png') });

  // In Chinese too, after the header's language switch.
  await page.selectOption('audience-lab#bad select.lang', 'zh');
  await page.waitForSelector('audience-lab#bad #error:visible:text-matches("不是有效的大小")');
  assert.match(await page.textContent('audience-lab#bad #error') ?? '', /^max-memory="lots" 不是有效的大小/);
  await page.locator('audience-lab#bad').screenshot({ path: join(resultsDir(), 'max-memory-bad-zh.png') });

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
