// Movement over time (SPEC §6) in the app, in English and Chinese, on generated exports: the
// Movement view's migration matrix equals the CLI's `migration` cell by cell for the last
// quarter, by lifecycle stage and by RFM segment; a number of the matrix opens in the builder
// as a rule of `at` nodes that counts what the cell said, as the CLI does; the Overview's
// period rates (the last 91 days and the 91 before) equal `kpi --compare-to`, and its stage
// trend equals `trend`. At 420 px the matrix scrolls in its box. Screenshots land in
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
  en: { notYet: 'Not yet a member', tab: 'Movement' },
  zh: { notYet: '尚未入会', tab: '流转' },
};

/** A displayed number back to a number ("1,234" / "55.3%"). @param {string | null | undefined} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

/** The date `days` after a `YYYY-MM-DD` date. @param {string} iso @param {number} days */
const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The CLI's flags for the generated files. */
const files = () => ['--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv')];

/**
 * The CLI's migration matrix: `from_state → to_state` → members and revenue in cents.
 * @param {string} from @param {string} to @param {'stage' | 'segment'} by
 */
function cliMigration(from, to, by) {
  const out = join(tempDir(), 'migration.csv');
  cli(['migration', ...files(), '--from', from, '--to', to, '--by', by, '--out', out]);
  const { header, rows } = readCsvFile(out);
  assert.deepEqual(header, ['from_state', 'to_state', 'members', 'revenue']);
  return new Map(rows.map(([x, y, members, revenue]) => [`${x} → ${y}`, { members: Number(members), cents: Math.round(Number(revenue) * 100) }]));
}

/**
 * The page's matrix: every cell with its states, members and revenue, and the number shown.
 * @param {import('playwright-core').Page} page
 */
function pageCells(page) {
  return page.$$eval('audience-lab #migration-matrix td[data-from]', (tds) => tds.map((td) => {
    const d = /** @type {HTMLElement} */ (td).dataset;
    return { key: `${d.from} → ${d.to}`, from: d.from ?? '', to: d.to ?? '', members: Number(d.members), cents: Number(d.revenueCents), text: td.textContent ?? '' };
  }));
}

/**
 * Checks every cell of the page's matrix against the CLI's; returns the page's cells.
 * @param {import('playwright-core').Page} page
 * @param {string} from @param {string} to @param {'stage' | 'segment'} by
 */
async function sameAsCli(page, from, to, by) {
  const expected = cliMigration(from, to, by);
  const cells = await pageCells(page);
  assert.ok(cells.length > 0, 'the matrix has cells');
  for (const c of cells) {
    const e = expected.get(c.key);
    assert.equal(c.members, e?.members ?? 0, `${by} ${c.key}: members`);
    assert.equal(c.cents, e?.cents ?? 0, `${by} ${c.key}: revenue`);
    assert.equal(parse(c.text), c.members, `${by} ${c.key}: the number shown`);
  }
  const shown = new Set(cells.filter((c) => c.members > 0).map((c) => c.key));
  assert.deepEqual([...expected.keys()].filter((k) => !shown.has(k)), [], `${by}: every cell of the CLI is on the page`);
  return cells;
}

/**
 * The rule a cell opens: the state at each date as an `at` node (SPEC §6).
 * @param {string} x @param {string} from @param {string} y @param {string} to @param {'stage' | 'segment'} by
 */
function cellRule(x, from, y, to, by) {
  const stages = vocab.stages.map((s) => s.id);
  /** @param {string} s @param {string} date */
  const at = (s, date) => (s === 'not_yet'
    ? { not: { at: { date, rule: { lifecycle: stages } } } }
    : { at: { date, rule: by === 'stage' ? { lifecycle: [s] } : { rfm: { segment: [s] } } } });
  return { all: [at(x, from), at(y, to)] };
}

/**
 * Opens the Movement tab and waits for its matrix.
 * @param {import('playwright-core').Page} page
 */
async function showMovement(page) {
  await page.click('audience-lab #tab-movement');
  await page.waitForSelector('audience-lab .view-movement #migration-matrix');
}

/**
 * Clicks the number of a cell, then checks the builder: the rule of `at` nodes, its live count
 * the cell's members and the CLI's count of the very rule the page shows.
 * @param {import('playwright-core').Page} page
 * @param {{ from: string, to: string, members: number }} cell
 * @param {string} from @param {string} to @param {'stage' | 'segment'} by
 */
async function openCell(page, cell, from, to, by) {
  await page.click(`audience-lab #migration-matrix td[data-from="${cell.from}"][data-to="${cell.to}"] button`);
  await page.waitForSelector('audience-lab .view-builder');
  await page.waitForSelector(`audience-lab #audience-count[data-count="${cell.members}"]`);
  const segment = JSON.parse(await page.inputValue('audience-lab #rule-json'));
  assert.deepEqual(segment.rule, cellRule(cell.from, from, cell.to, to, by));
  assert.equal(cliSegmentIds(dir, segment).length, cell.members, `the CLI's audience of ${cell.from} → ${cell.to}`);
  assert.ok(await page.isHidden('audience-lab #rule-error'));
}

for (const [lang, locale] of /** @type {const} */ ([['en', 'en-US'], ['zh', 'zh-CN']])) {
  test(`movement in ${lang}: the matrix is the CLI's, a cell opens as its audience; the overview's rates and stage trend are the CLI's`, async () => {
    const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale });
    const label = (/** @type {{ en: string, zh: string }} */ l) => l[lang];
    await loadFiles(page, dir);
    assert.equal(await page.textContent('audience-lab #tab-movement'), WORDS[lang].tab);
    // The tab sits after Cohorts.
    const tabs = await page.$$eval('audience-lab [role=tab]', (ts) => ts.map((x) => /** @type {HTMLElement} */ (x).dataset.view));
    assert.equal(tabs.indexOf('movement'), tabs.indexOf('cohorts') + 1);

    // Movement: the last 30 days, then the last quarter, by stage.
    await showMovement(page);
    const asOf = /** @type {string} */ (await page.getAttribute('audience-lab .view-movement', 'data-as-of'));
    assert.match(asOf, /^\d{4}-\d{2}-\d{2}$/);
    await page.click('audience-lab #movement-period input[value="last30"]');
    await page.waitForSelector(`audience-lab #migration-matrix[data-from="${addDays(asOf, -30)}"]`);
    await page.click('audience-lab #movement-period input[value="last91"]');
    const quarter = `audience-lab #migration-matrix[data-from="${addDays(asOf, -91)}"]`;
    await page.waitForSelector(`${quarter}[data-by="stage"]`);
    const from = /** @type {string} */ (await page.getAttribute('audience-lab #migration-matrix', 'data-from'));
    const to = /** @type {string} */ (await page.getAttribute('audience-lab #migration-matrix', 'data-to'));
    assert.equal(to, asOf);
    assert.equal(await page.inputValue('audience-lab #movement-from'), from);
    assert.equal(await page.inputValue('audience-lab #movement-to'), to);
    const stageCells = await sameAsCli(page, from, to, 'stage');
    // Labels from the vocabulary, `not_yet` as the app's own words.
    const stageLabels = Object.fromEntries([...vocab.stages.map((s) => [s.id, label(s.label)]), ['not_yet', WORDS[lang].notYet]]);
    const rowHeads = await page.$$eval('audience-lab #migration-matrix tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.state, tr.querySelector('th')?.textContent]));
    assert.ok(rowHeads.some(([s]) => s === 'not_yet'), 'members that joined in the quarter have a row');
    for (const [s, text] of rowHeads) assert.equal(text, stageLabels[/** @type {string} */ (s)]);
    await page.waitForSelector('audience-lab #chart-flow svg');
    await page.screenshot({ path: join(resultsDir(), `movement-${lang}-stage.png`), fullPage: true });

    // By RFM segment: the engine's segments of the default map, with their labels.
    await page.click('audience-lab #movement-by input[value="segment"]');
    await page.waitForSelector(`${quarter}[data-by="segment"]`);
    const segmentCells = await sameAsCli(page, from, to, 'segment');
    const map = vocab.segmentMaps[0];
    const segmentLabels = Object.fromEntries([...map.segments.map((s) => [s.id, label(s.label)]), [vocab.prospect.id, label(vocab.prospect.label)], ['not_yet', WORDS[lang].notYet]]);
    const colHeads = await page.$$eval('audience-lab #migration-matrix thead th[data-state]', (ths) => ths.map((th) => [/** @type {HTMLElement} */ (th).dataset.state, th.textContent]));
    assert.ok(colHeads.length >= map.segments.length, `${colHeads.length} columns`);
    for (const [s, text] of colHeads) assert.equal(text, segmentLabels[/** @type {string} */ (s)], `the label of ${s}`);
    await page.waitForSelector('audience-lab #chart-flow svg');
    await page.screenshot({ path: join(resultsDir(), `movement-${lang}-segment.png`), fullPage: true });
    // In Chinese no id of a state shows (the text, titles and labels of the view).
    if (lang === 'zh') {
      const texts = await page.$eval('audience-lab', (el) => {
        const view = /** @type {ShadowRoot} */ (el.shadowRoot).querySelector('.view-movement');
        const titles = [...(view?.querySelectorAll('[title], [aria-label]') ?? [])].map((e) => `${e.getAttribute('title') ?? ''} ${e.getAttribute('aria-label') ?? ''}`);
        return [view?.textContent ?? '', ...titles].join('\n');
      });
      for (const id of [...Object.keys(segmentLabels), ...vocab.stages.map((s) => s.id)]) {
        assert.ok(!new RegExp(`(?<![A-Za-z0-9_])${id}(?![A-Za-z0-9_])`).test(texts), `the id ${id} shows`);
      }
    }

    // A cell off the diagonal opens in the builder: members who were in one segment and are
    // in another (in Chinese: members who joined in the quarter and are in a segment now).
    const pick = (/** @type {typeof segmentCells} */ cells, /** @type {boolean} */ joined) => cells
      .filter((c) => c.members > 0 && c.from !== c.to && (c.from === 'not_yet') === joined)
      .sort((a, b) => b.members - a.members)[0];
    const segmentCell = pick(segmentCells, lang === 'zh');
    assert.ok(segmentCell, 'a cell off the diagonal with members');
    await openCell(page, segmentCell, from, to, 'segment');
    await page.screenshot({ path: join(resultsDir(), `movement-${lang}-builder.png`), fullPage: true });
    // Back on Movement the choices are kept; a stage cell opens too.
    await showMovement(page);
    await page.waitForSelector(`${quarter}[data-by="segment"]`);
    await page.click('audience-lab #movement-by input[value="stage"]');
    await page.waitForSelector(`${quarter}[data-by="stage"]`);
    const stageCell = pick(stageCells, lang === 'en');
    assert.ok(stageCell, 'a stage cell off the diagonal with members');
    await openCell(page, stageCell, from, to, 'stage');

    // At 420 px the matrix scrolls in its box; the page does not.
    await showMovement(page);
    await page.click('audience-lab #movement-by input[value="segment"]');
    await page.waitForSelector(`${quarter}[data-by="segment"]`);
    await page.setViewportSize({ width: 420, height: 900 });
    const narrow = await page.$eval('audience-lab', (el) => {
      const box = /** @type {HTMLElement} */ (/** @type {ShadowRoot} */ (el.shadowRoot).querySelector('.matrix-scroll'));
      return { scroll: box.scrollWidth, client: box.clientWidth, page: document.documentElement.scrollWidth, right: box.getBoundingClientRect().right };
    });
    assert.ok(narrow.scroll > narrow.client, `the matrix is wider than its box (${narrow.scroll} > ${narrow.client}) and scrolls`);
    assert.ok(narrow.page <= 420 && narrow.right <= 420, `nothing overflows the page: ${JSON.stringify(narrow)}`);
    await page.screenshot({ path: join(resultsDir(), `movement-${lang}-narrow.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Overview: the period rates of the last 91 days and of the 91 before equal the CLI's.
    await page.click('audience-lab #tab-overview');
    await page.waitForSelector('audience-lab #period-rates[data-state="ready"]');
    const rates = await page.$eval('audience-lab #period-rates', (box) => ({ ...(/** @type {HTMLElement} */ (box)).dataset }));
    assert.equal(rates.to, asOf);
    assert.equal(rates.from, addDays(asOf, -91));
    assert.equal(rates.previousTo, rates.from);
    assert.equal(rates.previousFrom, addDays(asOf, -182));
    const now = JSON.parse(cli(['kpi', ...files(), '--compare-to', /** @type {string} */ (rates.from)])).rates;
    const before = JSON.parse(cli(['kpi', ...files(), '--as-of', /** @type {string} */ (rates.from), '--compare-to', /** @type {string} */ (rates.previousFrom)])).rates;
    assert.equal(now.to, asOf);
    const cards = await page.$$eval('audience-lab #period-rates .rate', (cs) => cs.map((c) => ({
      rate: /** @type {HTMLElement} */ (c).dataset.rate,
      value: /** @type {HTMLElement} */ (c).dataset.value,
      previous: /** @type {HTMLElement} */ (c).dataset.previous,
      numerator: /** @type {HTMLElement} */ (c).dataset.numerator,
      denominator: /** @type {HTMLElement} */ (c).dataset.denominator,
      shown: c.querySelector('.rate-value')?.textContent ?? '',
      change: c.querySelector('.rate-change')?.textContent ?? '',
    })));
    const fields = /** @type {const} */ ([['reactivationRate', 'reactivated', 'asleep'], ['churnInRate', 'churnedIn', 'atRisk'], ['newToRepeatRate', 'repeated', 'firstBuyers']]);
    assert.deepEqual(cards.map((c) => c.rate), fields.map(([id]) => id));
    for (const [id, n, d] of fields) {
      const card = cards.find((c) => c.rate === id);
      assert.ok(card && now[id] !== null && before[id] !== null, `${id} has a value now and before`);
      assert.equal(Number(card.value), now[id], `${id} now`);
      assert.equal(Number(card.previous), before[id], `${id} before`);
      assert.equal(Number(card.numerator), now[n], `${id}: ${n}`);
      assert.equal(Number(card.denominator), now[d], `${id}: ${d}`);
      assert.ok(Math.abs(parse(card.shown) - now[id] * 100) <= 0.051, `${id} shown as ${card.shown}`);
      const delta = Math.abs(now[id] - before[id]) * 100;
      assert.ok(card.change.includes(delta.toFixed(1)), `${id}: the change ${delta.toFixed(1)} in "${card.change}"`);
    }

    // The stage trend: the points of the chart are the CLI's `trend`, and the chart is drawn.
    await page.waitForSelector('audience-lab #stage-trend[data-drawn="true"] #chart-stages svg');
    const points = JSON.parse(/** @type {string} */ (await page.getAttribute('audience-lab #stage-trend', 'data-points')));
    assert.equal(await page.getAttribute('audience-lab #stage-trend', 'data-period'), 'month');
    const out = join(tempDir(), 'trend.csv');
    cli(['trend', ...files(), '--period', 'month', '--out', out]);
    const trend = readCsvFile(out);
    assert.deepEqual(trend.header, ['date', 'not_yet', 'prospect', 'new', 'active', 'dormant', 'churned']);
    assert.deepEqual(points.map((/** @type {any} */ p) => [p.date, p.notYet, p.prospect, p.new, p.active, p.dormant, p.churned]),
      trend.rows.map(([date, ...n]) => [date, ...n.map(Number)]));
    assert.equal(points.at(-1).date, asOf);
    // One stacked series per stage, in the legend by their labels.
    const legend = await page.$$eval('audience-lab #chart-stages svg text', (ts) => ts.map((x) => x.textContent));
    for (const s of vocab.stages) assert.ok(legend.includes(label(s.label)), `the legend shows ${label(s.label)}`);
    await page.screenshot({ path: join(resultsDir(), `movement-${lang}-overview.png`), fullPage: true });

    assert.deepEqual(foreignRequests(requests, env.url), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
