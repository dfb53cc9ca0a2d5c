// The CLV screen in English and Chinese on generated exports: with the default fit (up to the
// latest order) the summary cards and the P(alive) histogram equal what the CLI's `clv` table
// adds up to and the hint asks for a holdout; with a calibration end 120 days before the latest
// order the forecast check (every row and the overall row of lifetimes' calibration/holdout
// table) and the fitted parameters equal `clv --holdout`'s JSON, and the summary its table;
// MBG/NBD switches the summary and histogram to `clv --model mbgnbd`'s; weeks switch α to
// `--unit weeks`; the "hold out the last 90 days" preset (picked with the keyboard) fits up to
// the latest order − 90 days; an impossible calibration end is said in the panel; the "at risk"
// button opens its preset as the CLI's audience; the choices survive a visit elsewhere, save()
// and restore() (a discount of 2% as `--discount 0.02`). Screenshots (en, zh, 390 px) land in
// www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cli, cliSegmentIds, loadFiles, readCsvFile, resultsDir, tempDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {string} */
let dir;
before(async () => {
  env = await start();
  dir = generate({ members: 2000, seed: 21 });
});
after(async () => { await env?.close(); });

/** @type {import('../lib/generated.js').Vocabulary} */
const vocab = JSON.parse(cli(['vocabulary']));

/** The app's own words the checks read (ui/i18n.js). */
const WORDS = {
  en: { tab: 'CLV' },
  zh: { tab: '客户终身价值' },
};

/** A displayed number back to a number ("1,234.5" / "55.3%"). @param {string | null | undefined} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

/** The date `days` after a `YYYY-MM-DD` date. @param {string} iso @param {number} days */
const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * How close the page's fit is to the CLI's: wasm's and the native libm's ln/exp differ in the
 * last bits, so the optimiser stops at points that agree to its tolerance (~1e-7, as in
 * api.test.mjs), not bit for bit. Counts and their ratios agree exactly.
 */
const FIT = 1e-6;

/**
 * Asserts `actual` equals `expected` to `tolerance` relative.
 * @param {number} actual @param {number} expected @param {string} what @param {number} tolerance
 */
function close(actual, expected, what, tolerance) {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs the CLI's ${expected}`);
}

/**
 * Asserts a number shown with `digits` decimals is the page's value so rounded, and within
 * rounding (and the fit's tolerance) of the CLI's.
 * @param {string} shown @param {number} value the page's @param {number} expected the CLI's @param {number} digits @param {string} what
 */
function shownAs(shown, value, expected, digits, what) {
  assert.equal(parse(shown), Number(value.toFixed(digits)), `${what} shown as ${shown}`);
  assert.ok(Math.abs(parse(shown) - expected) <= 0.5 * 10 ** -digits + FIT * Math.abs(expected), `${what} shown as ${shown}, the CLI's ${expected}`);
}

/**
 * The CLI's fit: its stdout JSON (parameters, the forecast check) and what its per-member table
 * adds up to (the panel's summary cards and histogram).
 * @param {{ end?: string, model?: 'bgnbd' | 'mbgnbd', unit?: 'days' | 'weeks', discount?: number }} o
 */
function cliClv({ end, model = 'bgnbd', unit = 'days', discount = 0.01 }) {
  const out = join(tempDir(), 'clv.csv');
  const json = JSON.parse(cli(['clv', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), '--unit', unit, '--model', model,
    '--discount', String(discount), ...(end ? ['--calibration-end', end, '--holdout'] : []), '--out', out]));
  const { header, rows } = readCsvFile(out);
  const col = (/** @type {string} */ name) => rows.map((r) => Number(r[header.indexOf(name)]));
  const sum = (/** @type {number[]} */ xs) => xs.reduce((a, x) => a + x, 0);
  const pAlive = col('p_alive');
  const histogram = Array(10).fill(0);
  for (const p of pAlive) histogram[Math.min(9, Math.floor(p * 10))]++;
  return {
    json,
    summary: {
      customers: rows.length,
      repeatCustomers: col('frequency').filter((f) => f > 0).length,
      meanPAlive: sum(pAlive) / rows.length,
      expectedPurchases90d: sum(col('expected_purchases_90d')),
      totalClv: sum(col('clv')),
    },
    histogram,
  };
}

/**
 * Waits until the panel shows a fit with these choices.
 * @param {import('playwright-core').Page} page
 * @param {{ end: string, model: string, unit?: string, state?: string }} o `end` '' for the latest order
 */
async function waitFit(page, { end, model, unit = 'days', state = 'ready' }) {
  await page.waitForSelector(`audience-lab #clv-results[data-state="${state}"][data-calibration-end="${end}"][data-model="${model}"][data-unit="${unit}"]:not([aria-busy])`);
}

/**
 * The summary cards, the histogram and the parameters equal the CLI's.
 * @param {import('playwright-core').Page} page
 * @param {ReturnType<typeof cliClv>} expected
 * @param {'bgnbd' | 'mbgnbd'} model
 */
async function sameSummary(page, expected, model) {
  const cards = await page.$$eval('audience-lab #clv-summary .kpi', (cs) => cs.map((c) => ({
    id: /** @type {HTMLElement} */ (c).dataset.clv ?? '', value: Number(/** @type {HTMLElement} */ (c).dataset.value), shown: c.querySelector('.kpi-value')?.textContent ?? '',
  })));
  assert.deepEqual(cards.map((c) => c.id), ['customers', 'repeatCustomers', 'meanPAlive', 'expectedPurchases90d', 'totalClv']);
  for (const c of cards) {
    const want = expected.summary[/** @type {keyof typeof expected.summary} */ (c.id)];
    const count = c.id === 'customers' || c.id === 'repeatCustomers';
    close(c.value, want, `${model} card ${c.id}`, count ? 0 : FIT);
    // What is shown is the value at the shown precision (P(alive) in percent).
    const [scale, digits] = { meanPAlive: [100, 1], expectedPurchases90d: [1, 1], totalClv: [1, 2] }[c.id] ?? [1, 0];
    shownAs(c.shown, c.value * scale, want * scale, digits, `${model} card ${c.id}`);
  }
  const bins = JSON.parse(/** @type {string} */ (await page.getAttribute('audience-lab #clv-histogram', 'data-bins')));
  // No member of this sample sits within the fits' difference of a tenth: the bins agree.
  assert.deepEqual(bins, expected.histogram, `${model}: members by P(alive) in tenths`);
  await page.waitForSelector('audience-lab #chart-p-alive svg');
  const params = await page.$$eval('audience-lab #clv-params tr[data-model] .param', (ps) => ps.map((p) => ({
    model: /** @type {HTMLElement} */ (p.closest('tr')).dataset.model ?? '', key: /** @type {HTMLElement} */ (p).dataset.param ?? '', value: Number(/** @type {HTMLElement} */ (p).dataset.value),
  })));
  const json = expected.json;
  /** @type {Record<string, Record<string, number>>} */
  const want = { bgnbd: json.bgnbd, gammaGamma: json.gamma_gamma, ...(json.mbgnbd ? { mbgnbd: json.mbgnbd } : {}) };
  assert.deepEqual([...new Set(params.map((p) => p.model))].sort(), Object.keys(want).sort(), 'the fitted models');
  for (const p of params) close(p.value, want[p.model][p.key], `${p.model}.${p.key}`, FIT);
}

/**
 * Every row of the forecast check and its overall row equal `clv --holdout`'s JSON; the
 * reading says the same numbers.
 * @param {import('playwright-core').Page} page
 * @param {any} holdout the CLI's `holdout`
 * @param {string} locale
 */
async function sameCheck(page, holdout, locale) {
  await page.waitForSelector('audience-lab #clv-check[data-state="ready"] #chart-holdout svg');
  assert.equal(await page.getAttribute('audience-lab #clv-holdout-table', 'data-end'), holdout.end);
  const rows = await page.$$eval('audience-lab #clv-holdout-table tr[data-frequency]', (trs) => trs.map((tr) => ({
    frequency: /** @type {HTMLElement} */ (tr).dataset.frequency ?? '',
    label: tr.querySelector('th')?.textContent ?? '',
    cells: Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [/** @type {HTMLElement} */ (td).dataset.field, { value: Number(/** @type {HTMLElement} */ (td).dataset.value), shown: td.textContent ?? '' }])),
  })));
  const want = [...holdout.byFrequency.map((/** @type {any} */ r) => ({ ...r, key: String(r.frequency), digits: 2 })),
    { key: 'all', customers: holdout.customers, actual: holdout.actual, bgnbd: holdout.bgnbd, mbgnbd: holdout.mbgnbd, digits: 1 }];
  assert.deepEqual(rows.map((r) => r.frequency), want.map((w) => w.key), 'frequencies 0 to 7+, then all');
  assert.deepEqual(holdout.byFrequency.map((/** @type {any} */ r) => r.frequency), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(rows[7].label, '7+');
  for (const [i, w] of want.entries()) {
    for (const field of /** @type {const} */ (['customers', 'actual', 'bgnbd', 'mbgnbd'])) {
      const c = rows[i].cells[field];
      // Customers and their purchases are counts (per row, a mean of counts): exact.
      const counted = field === 'customers' || field === 'actual';
      close(c.value, w[field], `row ${w.key}: ${field}`, counted ? 1e-12 : FIT);
      const digits = field === 'customers' || (w.key === 'all' && field === 'actual') ? 0 : w.digits;
      shownAs(c.shown, c.value, w[field], digits, `row ${w.key}: ${field}`);
    }
  }
  // The reading: the overall row's totals (checked above against the CLI's), the models'
  // relative errors.
  const reading = (await page.textContent('audience-lab #clv-reading')) ?? '';
  const all = rows[8].cells;
  const int = (/** @type {number} */ n) => n.toLocaleString(locale);
  const off = (/** @type {number} */ e) => `${Math.abs((e - all.actual.value) / all.actual.value * 100).toFixed(1)}%`;
  for (const s of [int(all.customers.value), int(all.actual.value), int(Math.round(all.bgnbd.value)), int(Math.round(all.mbgnbd.value)), off(all.bgnbd.value), off(all.mbgnbd.value)]) {
    assert.ok(reading.includes(s), `"${s}" in the reading "${reading}"`);
  }
}

for (const [lang, locale] of /** @type {const} */ ([['en', 'en-US'], ['zh', 'zh-CN']])) {
  test(`CLV in ${lang}: the summary, the parameters and the forecast check are the CLI's`, async () => {
    const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale });
    await loadFiles(page, dir);
    assert.equal(await page.textContent('audience-lab #tab-clv'), WORDS[lang].tab);
    // The tab sits after Movement.
    const tabs = await page.$$eval('audience-lab [role=tab]', (ts) => ts.map((x) => /** @type {HTMLElement} */ (x).dataset.view));
    assert.equal(tabs.indexOf('clv'), tabs.indexOf('movement') + 1);

    // The default: BG/NBD up to the latest order, no holdout, so no check but a hint.
    await page.click('audience-lab #tab-clv');
    await waitFit(page, { end: '', model: 'bgnbd' });
    const last = /** @type {string} */ (await page.getAttribute('audience-lab .view-clv', 'data-last-order'));
    assert.match(last, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(await page.inputValue('audience-lab #clv-end'), last);
    assert.ok(await page.isVisible('audience-lab #clv-no-holdout'));
    assert.equal(await page.$('audience-lab #clv-holdout-table'), null);
    await sameSummary(page, cliClv({}), 'bgnbd');
    // Every control has a label to be reached by.
    const unlabelled = await page.$$eval('audience-lab #clv-controls input, audience-lab #clv-controls select', (xs) => xs
      .filter((x) => !(/** @type {HTMLInputElement} */ (x).labels?.length) && !x.getAttribute('aria-label')).map((x) => x.outerHTML));
    assert.deepEqual(unlabelled, []);

    // 120 days held out: the check, the parameters and the summary are the CLI's.
    const end = addDays(last, -120);
    await page.fill('audience-lab #clv-end', end);
    await waitFit(page, { end, model: 'bgnbd' });
    assert.ok(await page.isChecked('audience-lab #clv-calibration input[value="custom"]'));
    const bg = cliClv({ end });
    assert.equal(bg.json.holdout.end, last, 'the holdout runs to the latest order');
    await sameSummary(page, bg, 'bgnbd');
    await sameCheck(page, bg.json.holdout, locale);
    await page.waitForTimeout(300); // the charts draw on the next frames
    await page.screenshot({ path: join(resultsDir(), `clv-${lang}.png`), fullPage: true });

    // MBG/NBD: the summary and the histogram are the MBG/NBD run's; the check is the same.
    await page.selectOption('audience-lab #clv-model', 'mbgnbd');
    await waitFit(page, { end, model: 'mbgnbd' });
    const mbg = cliClv({ end, model: 'mbgnbd' });
    assert.notDeepEqual(mbg.histogram, bg.histogram, 'MBG/NBD moves members by P(alive)');
    await sameSummary(page, mbg, 'mbgnbd');
    await sameCheck(page, mbg.json.holdout, locale);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(resultsDir(), `clv-${lang}-mbgnbd.png`), fullPage: true });

    // Weeks: α in weeks, as the CLI's.
    await page.selectOption('audience-lab #clv-unit', 'weeks');
    await waitFit(page, { end, model: 'mbgnbd', unit: 'weeks' });
    await sameSummary(page, cliClv({ end, model: 'mbgnbd', unit: 'weeks' }), 'mbgnbd');
    await page.selectOption('audience-lab #clv-unit', 'days');
    await waitFit(page, { end, model: 'mbgnbd' });

    // At 390 px nothing overflows the page; the table scrolls in its box if it must.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
    await page.screenshot({ path: join(resultsDir(), `clv-${lang}-narrow.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A calibration end before every order: the engine's refusal in the panel, controls kept.
    await page.fill('audience-lab #clv-end', '2000-01-01');
    await waitFit(page, { end: '2000-01-01', model: 'mbgnbd', state: 'error' });
    assert.ok(((await page.textContent('audience-lab #clv-error')) ?? '').length > 0);
    assert.ok(await page.isVisible('audience-lab #clv-model'));
    assert.ok(await page.isHidden('audience-lab #error'), 'the app-wide error box stays hidden');
    // The latest order itself: a fit with nothing held out, so the hint again.
    await page.fill('audience-lab #clv-end', last);
    await waitFit(page, { end: last, model: 'mbgnbd' });
    assert.ok(await page.isVisible('audience-lab #clv-no-holdout'));

    // The preset, picked with the keyboard: the latest order − 90 days, the check the CLI's;
    // the radio keeps the focus while the results change.
    await page.selectOption('audience-lab #clv-model', 'bgnbd');
    await waitFit(page, { end: last, model: 'bgnbd' });
    await page.focus('audience-lab #clv-calibration input[value="latest"]');
    await page.keyboard.press('ArrowRight');
    const end90 = addDays(last, -90);
    await waitFit(page, { end: end90, model: 'bgnbd' });
    assert.ok(await page.$eval('audience-lab', (el) => /** @type {HTMLInputElement | null} */ (/** @type {ShadowRoot} */ (el.shadowRoot).activeElement)?.value === 'holdout90'),
      'the focus stays on the radio picked');
    assert.equal(await page.inputValue('audience-lab #clv-end'), end90);
    const bg90 = cliClv({ end: end90 });
    await sameSummary(page, bg90, 'bgnbd');
    await sameCheck(page, bg90.json.holdout, locale);

    // The members worth saving: the preset in the builder, counted as the CLI does.
    const preset = vocab.presets.find((p) => p.id === 'high_value_at_risk');
    assert.ok(preset, 'the preset is in the vocabulary');
    const presetSegment = /** @type {{ rule: object }} */ (preset.segment);
    await page.click('audience-lab #clv-at-risk');
    await page.waitForSelector('audience-lab .view-builder');
    const segment = JSON.parse(await page.inputValue('audience-lab #rule-json'));
    assert.deepEqual(segment.rule, presetSegment.rule);
    assert.equal(segment.name, lang === 'zh' ? preset.label.zh : preset.label.en);
    const ids = cliSegmentIds(dir, presetSegment);
    assert.ok(ids.length > 0, 'the sample has members at risk');
    await page.waitForSelector(`audience-lab #audience-count[data-count="${ids.length}"]`);

    // Back on CLV the choices are kept, and save() carries them.
    await page.click('audience-lab #tab-clv');
    await waitFit(page, { end: end90, model: 'bgnbd' });
    assert.ok(await page.isChecked('audience-lab #clv-calibration input[value="holdout90"]'));
    const saved = await page.$eval('audience-lab', (e) => /** @type {any} */ (e).save());
    assert.deepEqual(saved.clv, { model: 'bgnbd', calibration: 'holdout90', end: last, unit: 'days', horizonDays: 365, discount: 0.01 });
    // restore() takes the choices that fit (a horizon that is no number is ignored): MBG/NBD
    // at 2% a month, as the CLI's.
    await page.$eval('audience-lab', (e) => /** @type {any} */ (e).restore({ clv: { model: 'mbgnbd', horizonDays: 'long', discount: 0.02 } }));
    await waitFit(page, { end: end90, model: 'mbgnbd' });
    assert.equal(await page.inputValue('audience-lab #clv-discount'), '0.02');
    assert.equal(await page.inputValue('audience-lab #clv-horizonDays'), '365');
    await sameSummary(page, cliClv({ end: end90, model: 'mbgnbd', discount: 0.02 }), 'mbgnbd');

    assert.deepEqual(foreignRequests(requests, env.url), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
