// The campaign calls of the typed JS client (SPEC §7) in Chromium, each against the CLI:
// campaignAssign = `campaign assign`'s summary.json, campaignExport's treatment (CSV, an ad
// list) and control files = its treatment.csv / control.csv byte for byte, campaignResize = the
// summary of the same campaign with another holdout, campaignReadout = `campaign readout` on
// orders written by `gen --campaign --lift`, campaignFile parsed back = the campaign; errors
// carry the stable code and name the key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, cli, tempDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {import('playwright-core').Page} */
let page;
/** @type {string[]} */
let requests;
/** @type {string} */
let dir;

/** A campaign on the generated history (it ends on 2025-06-30): launch the day after. */
const CAMPAIGN = {
  version: 1,
  name: 'summer wake-up',
  segment: { version: 1, name: 'buyers', rule: { lifecycle: ['new', 'active', 'dormant'] } },
  launch: '2025-07-01',
  holdout: 0.2,
  salt: 'summer-2025',
  stratify: 'stage',
  window_days: 30,
};

before(async () => {
  env = await start();
  dir = tempDir();
  writeFileSync(join(dir, 'c.json'), JSON.stringify(CAMPAIGN));
  // The same history with the campaign's window written after it (treatment +50%).
  cli(['gen', '--members', '3000', '--seed', '23', '--out', join(dir, 'before')]);
  cli(['gen', '--members', '3000', '--seed', '23', '--campaign', join(dir, 'c.json'), '--lift', '0.5', '--out', join(dir, 'after')]);
  ({ page, requests } = await openPage(env.browser, env.url));
  const bytes = (/** @type {string} */ d) => ({
    members: [...readFileSync(join(dir, d, 'members.csv'))],
    orders: [...readFileSync(join(dir, d, 'orders.csv'))],
  });
  await page.evaluate(async (files) => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    /** A lab with the files of `which` (`before` or `after`) loaded. @param {'before' | 'after'} which */
    const labOf = async (which) => {
      const lab = await AudienceLab.create();
      await lab.load('members', new Uint8Array(files[which].members), { name: 'members.csv' });
      await lab.load('orders', new Uint8Array(files[which].orders), { name: 'orders.csv' });
      return lab;
    };
    Object.assign(globalThis, { labOf });
  }, { before: bytes('before'), after: bytes('after') });
});
after(async () => { await env?.close(); });

/**
 * Runs `fn` in the page (`globalThis.labOf` loads a lab).
 * @param {(arg: any) => Promise<unknown>} fn @param {unknown} [arg] @returns {Promise<any>}
 */
const inPage = (fn, arg) => page.evaluate(fn, arg);

/** Equal numbers to 1e-9 relative (the wasm build's last bits may differ from native). */
function near(/** @type {any} */ got, /** @type {any} */ want, path = '') {
  if (typeof want === 'number') {
    assert.equal(typeof got, 'number', path);
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${path}: ${got} vs ${want}`);
  } else if (want && typeof want === 'object') {
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), path);
    for (const k of Object.keys(want)) near(got[k], want[k], `${path}.${k}`);
  } else {
    assert.equal(got, want, path);
  }
}

test('campaignAssign, campaignExport and campaignResize equal campaign assign', async () => {
  const flags = ['--orders', join(dir, 'before', 'orders.csv'), '--members', join(dir, 'before', 'members.csv')];
  const out = join(dir, 'assign');
  cli(['campaign', 'assign', '--campaign', join(dir, 'c.json'), ...flags, '--out', out]);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const resized = { ...CAMPAIGN, holdout: 0.35 };
  writeFileSync(join(dir, 'c35.json'), JSON.stringify(resized));
  const out35 = join(dir, 'assign35');
  cli(['campaign', 'assign', '--campaign', join(dir, 'c35.json'), ...flags, '--out', out35, '--profile', 'tiktok']);
  const summary35 = JSON.parse(readFileSync(join(out35, 'summary.json'), 'utf8'));

  const got = await inPage(async (campaign) => {
    const lab = await /** @type {any} */ (globalThis).labOf('before');
    const summary = await lab.campaignAssign(campaign);
    const resized = await lab.campaignResize(summary, 0.35);
    const text = async (/** @type {any} */ r) => ({ filename: r.filename, rows: r.rows, bytes: [...new Uint8Array(await r.blob.arrayBuffer())] });
    const treatment = await text(await lab.campaignExport(campaign, { arm: 'treatment', format: 'csv' }));
    const control = await text(await lab.campaignExport(campaign, { arm: 'control' }));
    const ads = await text(await lab.campaignExport({ ...campaign, holdout: 0.35 }, { arm: 'treatment', profile: 'tiktok' }));
    const file = await (await lab.campaignFile(campaign)).text();
    lab.terminate();
    return { summary, resized, treatment, control, ads, file };
  }, CAMPAIGN);
  near(got.summary, summary, 'summary');
  near(got.resized, summary35, 'resized to 0.35');
  assert.ok(summary.strata.length >= 3 && summary.control > 0, JSON.stringify(summary));
  assert.deepEqual(Buffer.from(got.treatment.bytes), readFileSync(join(out, 'treatment.csv')), 'treatment.csv');
  assert.deepEqual(Buffer.from(got.control.bytes), readFileSync(join(out, 'control.csv')), 'control.csv');
  assert.deepEqual(Buffer.from(got.ads.bytes), readFileSync(join(out35, 'treatment.csv')), 'TikTok list');
  assert.equal(got.control.rows, summary.control);
  assert.equal(got.treatment.filename, 'summer wake-up treatment.csv');
  assert.equal(got.control.filename, 'summer wake-up control.csv');
  assert.deepEqual(JSON.parse(got.file), CAMPAIGN, 'the campaign file reads back as the campaign');
  assert.deepEqual(foreignRequests(requests, env.url), []);
});

test('campaignReadout equals campaign readout on orders after launch', async () => {
  const flags = ['--orders', join(dir, 'after', 'orders.csv'), '--members', join(dir, 'after', 'members.csv')];
  const want = JSON.parse(cli(['campaign', 'readout', '--campaign', join(dir, 'c.json'), ...flags]));
  const partial = { ...CAMPAIGN, window_days: 45 };
  writeFileSync(join(dir, 'c45.json'), JSON.stringify(partial));
  const want45 = JSON.parse(cli(['campaign', 'readout', '--campaign', join(dir, 'c45.json'), ...flags]));
  const got = await inPage(async ([campaign, partial]) => {
    const lab = await /** @type {any} */ (globalThis).labOf('after');
    const r = await lab.campaignReadout(campaign);
    const r45 = await lab.campaignReadout(partial);
    lab.terminate();
    return { r, r45 };
  }, [CAMPAIGN, partial]);
  near(got.r, want, 'readout');
  near(got.r45, want45, 'readout over 45 days');
  assert.equal(want.complete, true);
  // The generated lift shows: the treatment converts more, the interval above 0.
  assert.ok(want.overall.conversion_lift.low > 0, JSON.stringify(want.overall.conversion_lift));
  assert.equal(want45.complete, false);
  assert.match(want45.note, /^30 of 45 days observed/);
});

test('bad campaigns are errors with stable codes naming the key', async () => {
  const got = await inPage(async (campaign) => {
    const lab = await /** @type {any} */ (globalThis).labOf('before');
    const errors = [];
    for (const bad of [{ ...campaign, holdout: 1.5 }, { ...campaign, version: 2 }, { ...campaign, stratify: 'shoe_size' }, { ...campaign, launch: '2030-01-01' }]) {
      try {
        await lab.campaignAssign(bad);
        errors.push(null);
      } catch (e) {
        errors.push({ code: /** @type {any} */ (e).code, message: /** @type {any} */ (e).message });
      }
    }
    lab.terminate();
    return errors;
  }, CAMPAIGN);
  assert.deepEqual(got.map((/** @type {any} */ e) => e?.code), ['RULE_ERROR', 'RULE_ERROR', 'RULE_ERROR', 'RULE_ERROR']);
  assert.match(got[0].message, /campaign\.holdout: 1\.5: must be between 0 and 1/);
  assert.match(got[1].message, /campaign\.version: 2/);
  assert.match(got[2].message, /campaign\.stratify: .*shoe_size/);
  assert.match(got[3].message, /campaign\.launch: the day before launch: 2029-12-31 is after the last order/);
});
