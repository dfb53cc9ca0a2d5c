// The typed JS client (pkg/index.js) in Chromium: every input form, reports, progress, RFM,
// counts and exports equal to the CLI's, and errors with stable codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cliSegmentCounts, cliSegmentIds, parseCsv, cli, tempDir, ROOT } from './harness.mjs';

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
  dir = generate({ members: 2000, seed: 11 });
  ({ page, requests } = await openPage(env.browser, env.url));
  // Files reach the page as plain byte arrays; the client is imported as a static page would.
  const files = {
    members: [...readFileSync(join(dir, 'members.csv'))],
    orders: [...readFileSync(join(dir, 'orders.csv'))],
    malformed: [...readFileSync(join(ROOT, 'tests/data/orders_malformed.csv'))],
  };
  await page.evaluate(async (files) => {
    const client = '/pkg/index.js';
    const { AudienceLab } = await import(client);
    const bytes = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)]));
    // A lab with the sample loaded: members from a Blob, orders from an ArrayBuffer.
    const loadedLab = async () => {
      const lab = await AudienceLab.create();
      await lab.load('members', new Blob([bytes.members]), { name: 'members.csv' });
      await lab.load('orders', bytes.orders.slice().buffer, { name: 'orders.csv' });
      return lab;
    };
    Object.assign(globalThis, { AudienceLab, files: bytes, loadedLab });
  }, files);
});
after(async () => { await env?.close(); });

/**
 * Runs `fn` in the page (Playwright ships the function itself: the page's CSP forbids eval).
 * There `globalThis` holds `AudienceLab`, the sample `files` and `loadedLab()`.
 * @param {(arg: any) => Promise<unknown>} fn
 * @param {unknown} [arg]
 * @returns {Promise<any>}
 */
function inPage(fn, arg) {
  return page.evaluate(fn, arg);
}

test('load accepts Blob, File, ArrayBuffer and Uint8Array and reports rows, roles and progress', async () => {
  const inspect = JSON.parse(cli(['inspect', join(dir, 'orders.csv'), '--kind', 'orders', '--json']));
  const result = await inPage(async () => {
    const { AudienceLab, files } = /** @type {any} */ (globalThis);
    const lab = await AudienceLab.create();
    /** @type {any[]} */
    const seen = [];
    const forms = {
      blob: new Blob([files.orders]),
      file: new File([files.orders], 'orders.csv'),
      arrayBuffer: files.orders.slice().buffer,
      uint8: files.orders.slice(),
    };
    /** @type {Record<string, any>} */
    const reports = {};
    for (const [form, data] of Object.entries(forms)) {
      reports[form] = await lab.load('orders', data, { onProgress: (/** @type {any} */ p) => seen.push(p) });
    }
    lab.terminate();
    return { reports, seen };
  });
  for (const [form, r] of Object.entries(result.reports)) {
    assert.equal(r.rowsIn, inspect.rowsIn, form);
    assert.equal(r.rowsLoaded, inspect.rowsLoaded, form);
    assert.equal(r.rowsRejected, inspect.rowsRejected, form);
    assert.equal(r.rowsIn, r.rowsLoaded + r.rowsRejected, form);
    assert.deepEqual(r.columns, inspect.columns, form);
  }
  assert.equal(result.reports.file.name, 'orders.csv', 'a File lends its name');
  const fractions = result.seen.map((/** @type {any} */ p) => p.fraction);
  assert.ok(fractions.length >= 8, 'progress events of four loads');
  assert.ok(fractions.includes(1), 'a load reports completion');
  assert.ok(result.seen.every((/** @type {any} */ p) => p.fraction >= 0 && p.fraction <= 1 && typeof p.stage === 'string'));
});

test('rfm, count and export agree with the CLI', async () => {
  const rules = [
    { version: 1, name: 'champions', rule: { rfm: { segment: ['champions'] } } },
    { version: 1, name: 'gold at risk', rule: { all: [{ rfm: { segment: ['at_risk', 'cant_lose'] } }, { attr: { column: 'tier', in: ['gold', 'diamond'] } }] } },
    { version: 1, name: 'not churned', rule: { not: { lifecycle: ['churned', 'prospect'] } } },
  ];
  const out = await inPage(async (rules) => {
    const lab = await /** @type {any} */ (globalThis).loadedLab();
    const rfm = await lab.rfm();
    const ntile = await lab.rfm({ method: 'ntile' });
    const counts = [];
    for (const r of rules) counts.push(await lab.count(r));
    const blob = await lab.export(rules[1], { format: 'csv', columns: ['phone', 'tier', 'segment'] });
    const csv = [...new Uint8Array(await blob.arrayBuffer())];
    const page = await lab.members(rules[0], { columns: ['segment'], limit: 5 });
    lab.terminate();
    return { rfm, ntile, counts, csv, type: blob.type, page };
  }, rules);
  const quantile = cliSegmentCounts(dir);
  const ntile = cliSegmentCounts(dir, ['--method', 'ntile']);
  for (const [result, expected] of [[out.rfm, quantile], [out.ntile, ntile]]) {
    assert.equal(result.members, expected.buyers);
    for (const s of result.segments) assert.equal(s.members, expected.counts[s.segment] ?? 0, s.segment);
    assert.equal(result.grid.flat().reduce((/** @type {number} */ a, /** @type {number} */ b) => a + b, 0), result.members);
  }
  const expectedIds = rules.map((r) => cliSegmentIds(dir, r));
  assert.deepEqual(out.counts, expectedIds.map((ids) => ids.length));
  assert.ok(expectedIds.every((ids) => ids.length > 0), 'every rule selects someone');
  assert.equal(out.type, 'text/csv;charset=utf-8');
  const bytes = Buffer.from(out.csv);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  assert.deepEqual(header, ['member_id', 'phone', 'tier', 'segment']);
  assert.deepEqual(rows.map((r) => r[0]), expectedIds[1]);
  assert.ok(rows.every((r) => ['gold', 'diamond'].includes(r[2])));
  assert.equal(out.page.total, expectedIds[0].length);
  assert.deepEqual(out.page.rows.map((/** @type {string[]} */ r) => r[0]), expectedIds[0].slice(0, 5));
  assert.deepEqual(foreignRequests(requests, env.url), []);
});

test('lifecycle, cohorts and kpis agree with the CLI', async () => {
  const out = await inPage(async () => {
    const lab = await /** @type {any} */ (globalThis).loadedLab();
    const lifecycle = await lab.lifecycle({ newDays: 14 });
    const cohorts = await lab.cohorts({ period: 'week', by: 'join_date' });
    const kpis = await lab.kpis({ windowDays: 365, by: 'store' });
    lab.terminate();
    return { lifecycle, cohorts, kpis };
  });
  const inputs = ['--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv')];
  const tmp = tempDir();
  const summary = JSON.parse(cli(['lifecycle', ...inputs, '--new-days', '14', '--summary', '--out', join(tmp, 'l.csv')]));
  assert.deepEqual(out.lifecycle, summary);
  cli(['cohort', ...inputs, '--period', 'week', '--by', 'join_date', '--out', join(tmp, 'c.csv')]);
  const [header, ...rows] = parseCsv(readFileSync(join(tmp, 'c.csv'), 'utf8'));
  assert.deepEqual(header, ['cohort', 'period', 'size', 'active', 'retention', 'revenue']);
  assert.ok(rows.length > 100);
  assert.deepEqual(
    out.cohorts.rows.map((/** @type {any} */ r) => [r.cohort, r.period, r.size, r.active, r.retention, r.revenueCents]),
    rows.map((r) => [r[0], Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4]), Math.round(Number(r[5]) * 100)]),
  );
  assert.deepEqual(out.kpis, JSON.parse(cli(['kpi', ...inputs, '--window-days', '365', '--by', 'store'])));
  assert.ok(out.kpis.groups.length > 1);
});

test('errors reject with stable codes and clear messages', async () => {
  const out = await inPage(async () => {
    const { AudienceLab, files } = /** @type {any} */ (globalThis);
    const lab = await AudienceLab.create();
    /** @type {Record<string, any>} */
    const codes = {};
    const attempt = async (/** @type {string} */ name, /** @type {Promise<unknown>} */ p) => {
      try { await p; codes[name] = 'resolved'; } catch (e) { const x = /** @type {any} */ (e); codes[name] = { code: x.code, name: x.name, message: x.message }; }
    };
    await attempt('noData', lab.rfm());
    await attempt('parse', lab.load('orders', new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3])));
    await lab.load('orders', files.orders.slice());
    await attempt('rule', lab.count({ rule: { all: [{ lifecycle: ['active'] }, { attr: { column: 'tierr', eq: 'gold' } }] } }));
    await attempt('option', lab.rfm({ asOf: 'yesterday' }));
    await attempt('kind', lab.load('customers', new Uint8Array([1])));
    lab.terminate();
    await attempt('terminated', lab.rfm());
    return codes;
  });
  assert.equal(out.noData.code, 'NO_DATA');
  assert.equal(out.parse.code, 'PARSE_ERROR');
  assert.match(out.parse.message, /Parquet/);
  assert.equal(out.rule.code, 'RULE_ERROR');
  assert.match(out.rule.message, /rule\.all\[1\]\.attr\.column/);
  assert.equal(out.option.code, 'INVALID_OPTION');
  assert.match(out.option.message, /yesterday/);
  assert.equal(out.kind.code, 'INVALID_OPTION');
  assert.equal(out.terminated.code, 'TERMINATED');
  for (const e of Object.values(out)) assert.equal(e.name, 'AudienceLabError');
});

test('a malformed file loads with its bad rows counted by reason', async () => {
  const r = await inPage(async () => {
    const { AudienceLab, files } = /** @type {any} */ (globalThis);
    const lab = await AudienceLab.create();
    const r = await lab.load('orders', files.malformed.slice(), { name: 'bad.csv' });
    lab.terminate();
    return r;
  });
  assert.deepEqual([r.rowsIn, r.rowsLoaded, r.rowsRejected], [9, 3, 6]);
  assert.deepEqual(r.rejected, [
    { reason: 'wrong number of fields (expected 5)', reasonZh: '字段数不对（应为 5 个）', count: 2 },
    { reason: 'cancelled order', reasonZh: '已取消的订单', count: 1 },
    { reason: 'missing amount', reasonZh: '缺少金额', count: 1 },
    { reason: 'not an amount of money', reasonZh: '不是金额', count: 1 },
    { reason: 'unparsable date', reasonZh: '无法识别的日期', count: 1 },
  ]);
  assert.equal(r.samples.length, 6);
  assert.deepEqual(r.samples.find((/** @type {any} */ s) => s.row === 4), { row: 4, column: 'order_time', value: 'not a date', reason: 'unparsable date', reasonZh: '无法识别的日期' });
});

test('lab.clv returns the CLI\'s parameters and forecast check; CLV rule metrics count as the CLI\'s segments', async () => {
  const out = join(dir, 'clv-api.csv');
  const params = JSON.parse(cli(['clv', '--orders', join(dir, 'orders.csv'), '--unit', 'weeks', '--out', out]));
  const rule = { version: 1, name: 'slipping', rule: { metric: { name: 'p_alive', lt: 0.5 } } };
  // The forecast check: calibration 180 days before the last order, the rest as holdout.
  const asOf = JSON.parse(cli(['kpi', '--orders', join(dir, 'orders.csv')])).asOf;
  const calibrationEnd = new Date(Date.parse(asOf) - 180 * 86_400_000).toISOString().slice(0, 10);
  const held = JSON.parse(cli(['clv', '--orders', join(dir, 'orders.csv'), '--unit', 'weeks', '--calibration-end', calibrationEnd,
    '--holdout', '--out', join(dir, 'clv-holdout.csv')])).holdout;
  const result = await inPage(async ([rule, calibrationEnd]) => {
    const { loadedLab } = /** @type {any} */ (globalThis);
    const lab = await loadedLab();
    const clv = await lab.clv({ unit: 'weeks' });
    const count = await lab.count(rule);
    const holdout = (await lab.clv({ unit: 'weeks', calibrationEnd })).holdout;
    /** @type {any} */
    let error = null;
    try { await lab.clv({ unit: 'fortnights' }); } catch (e) { error = { code: /** @type {any} */ (e).code }; }
    lab.terminate();
    return { clv, count, error, holdout };
  }, [rule, calibrationEnd]);
  assert.ok(result.clv.holdout == null, 'no holdout when the calibration ends at the last order');
  assert.deepEqual([result.holdout.end, result.holdout.duration, result.holdout.customers, result.holdout.actual],
    [held.end, held.duration, held.customers, held.actual]);
  assert.deepEqual(result.holdout.byFrequency.map((/** @type {any} */ r) => [r.frequency, r.customers, r.actual]),
    held.byFrequency.map((/** @type {any} */ r) => [r.frequency, r.customers, r.actual]));
  for (const model of ['bgnbd', 'mbgnbd']) {
    assert.ok(Math.abs(result.holdout[model] - held[model]) <= 1e-6 * held[model], `${model}: ${result.holdout[model]} vs ${held[model]}`);
  }
  // The same fit: wasm's and the native libm's ln/exp differ in the last bits, so the
  // optimiser stops at points that agree to its tolerance (~1e-7), not bit for bit.
  const close = (/** @type {number} */ a, /** @type {number} */ b, /** @type {string} */ what) =>
    assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b), `${what}: ${a} vs ${b}`);
  for (const k of ['r', 'alpha', 'a', 'b']) close(result.clv.bgnbd[k], params.bgnbd[k], `bgnbd.${k}`);
  for (const k of ['p', 'q', 'v']) close(result.clv.gammaGamma[k], params.gamma_gamma[k], `gammaGamma.${k}`);
  assert.equal(result.clv.unit, 'weeks');
  assert.equal(result.clv.customers, readFileSync(out, 'utf8').trim().split('\n').length - 1);
  assert.equal(result.clv.pAliveHistogram.reduce((/** @type {number} */ a, /** @type {number} */ b) => a + b, 0), result.clv.customers);
  assert.equal(result.count, cliSegmentIds(dir, rule).length);
  assert.deepEqual(result.error, { code: 'INVALID_OPTION' });
});

test('load copies bytes unless asked to transfer; drop frees a table; clearCache forgets analyses', async () => {
  const out = await inPage(async () => {
    const { AudienceLab, files } = /** @type {any} */ (globalThis);
    const lab = await AudienceLab.create();
    const buffer = files.orders.slice().buffer;
    const first = await lab.load('orders', buffer);
    const second = await lab.load('orders', buffer);
    const keptAfterCopies = buffer.byteLength;
    const view = files.orders.slice();
    await lab.load('orders', view, { transfer: true });
    const viewAfterTransfer = view.byteLength;
    await lab.load('members', files.members.slice());
    const tierRule = { attr: { column: 'tier', in: ['gold'] } };
    const before = await lab.count(tierRule);
    const dropped = [await lab.drop('members'), await lab.drop('members')];
    /** @type {any} */
    let afterDrop = null;
    try { await lab.count(tierRule); } catch (e) { afterDrop = /** @type {any} */ (e).code; }
    // An analysis is kept for reuse until cleared; clearCache() forgets it, and the member sets.
    await lab.rfm();
    await lab.count({ lifecycle: ['new'] });
    const stats = [await lab.cacheStats()];
    await lab.clearCache({ analyses: false });
    stats.push(await lab.cacheStats());
    await lab.clearCache();
    stats.push(await lab.cacheStats());
    /** @type {any} */
    let badOption = null;
    try { await lab.rfm({ dialect: 'spark' }); } catch (e) { badOption = { code: /** @type {any} */ (e).code, message: String(/** @type {any} */ (e).message) }; }
    const kpis = await lab.kpis();
    const vocabulary = await lab.vocabulary();
    lab.terminate();
    return { first: first.rowsIn, second: second.rowsIn, keptAfterCopies, bytes: files.orders.length, viewAfterTransfer, before, dropped, afterDrop, stats, badOption, kpis, vocabulary };
  });
  assert.equal(out.second, out.first, 'the same ArrayBuffer loads twice');
  assert.equal(out.keptAfterCopies, out.bytes, 'the caller keeps its buffer');
  assert.equal(out.viewAfterTransfer, 0, 'a transferred buffer is detached');
  assert.ok(out.before > 0);
  assert.deepEqual(out.dropped, [true, false]);
  assert.equal(out.afterDrop, 'RULE_ERROR', 'the members table is gone');
  assert.deepEqual(out.stats.map((/** @type {any} */ s) => [s.analysis, s.entries > 0]), [[true, true], [true, false], [false, false]]);
  assert.equal(out.badOption.code, 'INVALID_OPTION');
  assert.match(out.badOption.message, /^rfm options: unknown field `dialect`/);
  const cliKpis = JSON.parse(cli(['kpi', '--orders', join(dir, 'orders.csv')]));
  assert.equal(out.kpis.overall.memberAov, cliKpis.overall.memberAov);
  assert.ok(out.kpis.overall.memberAov > 0);
  assert.deepEqual(out.vocabulary, JSON.parse(cli(['vocabulary'])), 'the client\'s vocabulary is the CLI\'s');
});
