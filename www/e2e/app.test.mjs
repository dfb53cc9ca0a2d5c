// The app (`<audience-lab>` on index.html) walked screen by screen in English and Chinese on
// generated exports: the numbers shown equal the JS API's (and the CLI's where it has them), a
// rule built with the visual editor counts and downloads as the CLI's audience, and no request
// goes to another origin. Screenshots land in www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  start, openPage, foreignRequests, generate, cliSegmentCounts, cliSegmentIds, parseCsv, resultsDir, appLab, loadFiles,
} from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** A displayed number back to a number ("1,234.5" / "55.3%" / "¥1,299.00"). @param {string | null} s */
const parse = (s) => Number((s ?? '').replace(/[^0-9.\-]/g, ''));

/**
 * Opens a tab and waits for its view.
 * @param {import('playwright-core').Page} page
 * @param {string} view
 */
async function show(page, view) {
  await page.click(`audience-lab #tab-${view}`);
  await page.waitForSelector(`audience-lab .view-${view}`);
}

/** @param {import('playwright-core').Page} page @param {string} name */
async function shot(page, name) {
  await page.waitForTimeout(300); // charts draw on the next frames
  await page.screenshot({ path: join(resultsDir(), `${name}.png`), fullPage: true });
}

for (const [lang, locale] of /** @type {const} */ ([['en', 'en-US'], ['zh', 'zh-CN']])) {
  test(`every screen in ${lang} shows the engine's numbers; a visual rule exports as the CLI's audience`, async () => {
    const dir = generate({ members: 3000, seed: 11, lang });
    const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale });

    // The language follows the browser's.
    assert.equal(await page.textContent('audience-lab #tab-overview'), lang === 'zh' ? '概览' : 'Overview');
    await loadFiles(page, dir);
    const reports = await page.$$eval('audience-lab .report .rows', (r) => r.map((e) => e.textContent));
    assert.equal(reports.length, 2);
    await shot(page, `${lang}-load`);

    // Overview: KPI cards and the lifecycle funnel equal lab.kpis() / lab.lifecycle().
    await show(page, 'overview');
    await page.waitForSelector('audience-lab #chart-timeline svg');
    const kpis = /** @type {any} */ (await appLab(page, 'kpis', {}));
    const life = /** @type {any} */ (await appLab(page, 'lifecycle', {}));
    const card = async (/** @type {string} */ id) => page.textContent(`audience-lab [data-kpi="${id}"] .kpi-value`);
    assert.equal(parse(await card('members')), life.members);
    assert.equal(parse(await card('buyers')), kpis.overall.buyers);
    assert.ok(Math.abs(parse(await card('repeatPurchaseRate')) - kpis.overall.repeatPurchaseRate * 100) <= 0.051);
    assert.ok(Math.abs(parse(await card('aov')) - kpis.overall.aov) <= 0.0051);
    assert.ok(Math.abs(parse(await card('itemsPerOrder')) - kpis.overall.itemsPerOrder) <= 0.0051);
    const funnel = await page.$$eval('audience-lab .view-overview table tr', (rows) => rows.map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent]));
    assert.deepEqual(funnel.map(([, n]) => parse(n ?? '')), life.stages.map((/** @type {any} */ s) => s.members));
    if (lang === 'zh') assert.deepEqual(funnel.map(([s]) => s), ['潜在客户', '新客', '活跃', '沉睡', '流失']);
    await shot(page, `${lang}-overview`);

    // RFM: the segment table equals lab.rfm() and the CLI; names in the page's language.
    await show(page, 'rfm');
    await page.waitForSelector('audience-lab #chart-rfm svg');
    const rfm = /** @type {any} */ (await appLab(page, 'rfm', {}));
    const rows = await page.$$eval('audience-lab #segments tbody tr', (trs) => trs.map((tr) => ({
      id: /** @type {HTMLElement} */ (tr).dataset.segment,
      name: tr.querySelector('button')?.textContent,
      members: tr.querySelector('.members')?.textContent ?? '',
    })));
    const cli = cliSegmentCounts(dir);
    for (const s of rfm.segments) {
      const row = rows.find((r) => r.id === s.segment);
      assert.ok(row, `segment ${s.segment} shown`);
      assert.equal(parse(row.members), s.members);
      assert.equal(s.members, cli.counts[s.segment] ?? 0, `CLI count of ${s.segment}`);
      assert.equal(row.name, lang === 'zh' ? s.labelZh : s.label);
    }
    await shot(page, `${lang}-rfm`);

    // Cohorts: every cell of the percent table equals lab.cohorts(); the counts toggle too.
    await show(page, 'cohorts');
    const cohorts = /** @type {any} */ (await appLab(page, 'cohorts', { period: 'month', by: 'first_purchase' }));
    const cells = await page.$$eval('audience-lab #cohort-table tbody tr', (trs) => trs.map((tr) => [
      /** @type {string} */ (/** @type {HTMLElement} */ (tr).dataset.cohort), [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')]));
    assert.equal(cells.length, new Set(cohorts.rows.map((/** @type {any} */ r) => r.cohort)).size);
    for (const [cohort, tds] of cells) {
      for (const r of cohorts.rows.filter((/** @type {any} */ x) => x.cohort === cohort)) {
        assert.equal(parse(tds[0]), r.size, `size of ${cohort}`);
        assert.ok(Math.abs(parse(tds[1 + r.period]) - r.retention * 100) <= 0.51, `${cohort} period ${r.period}`);
      }
    }
    await page.selectOption('audience-lab #cohort-show', 'counts');
    await page.waitForFunction((n) => {
      const td = document.querySelector('audience-lab')?.shadowRoot?.querySelector('#cohort-table tbody tr td:nth-of-type(2)');
      return td && Number((td.textContent ?? '').replace(/[^0-9]/g, '')) === n;
    }, cohorts.rows.find((/** @type {any} */ r) => r.period === 0).active);
    await shot(page, `${lang}-cohorts`);

    // Tags: the frequency table equals lab.tags().
    await show(page, 'tags');
    await page.waitForSelector('audience-lab #upset .column');
    const tags = /** @type {any} */ (await appLab(page, 'tags', { top: 8, limit: 20 }));
    const tagRows = await page.$$eval('audience-lab #tag-frequency tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.tag, tr.querySelector('.members')?.textContent ?? '']));
    assert.deepEqual(tagRows.map(([tag, n]) => [tag, parse(n ?? '')]), tags.frequency.map((/** @type {any} */ f) => [f.tag, f.members]));
    await shot(page, `${lang}-tags`);

    // Builder: a rule made with the visual editor (lifecycle active or dormant, and at least
    // 3 purchases) counts as the CLI does, per condition too.
    await show(page, 'builder');
    await page.selectOption('audience-lab #rule-tree .add select', 'lifecycle');
    await page.click('audience-lab #rule-tree .add-condition');
    await page.check('audience-lab [data-path="rule.all[0]"] input[value="dormant"]');
    await page.selectOption('audience-lab #rule-tree .add select', 'metric');
    await page.click('audience-lab #rule-tree .add-condition');
    await page.fill('audience-lab [data-path="rule.all[1]"] [data-field="value"]', '3');
    await page.fill('audience-lab #segment-name', `visual ${lang}`);
    const rule = { all: [{ lifecycle: ['active', 'dormant'] }, { metric: { name: 'frequency', gte: 3 } }] };
    const expected = cliSegmentIds(dir, { version: 1, name: 'visual', rule });
    assert.ok(expected.length > 0, 'the sample has such members');
    await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count') === String(n), expected.length);
    assert.deepEqual(JSON.parse(await page.inputValue('audience-lab #rule-json')).rule, rule);
    const first = cliSegmentIds(dir, { version: 1, name: 'x', rule: rule.all[0] }).length;
    await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('[data-count-for="rule.all[0]"]')?.getAttribute('data-value') === String(n), first);
    await shot(page, `${lang}-builder`);

    // Export: the download is the CLI's audience, Excel-ready.
    await page.click('audience-lab #to-export');
    await page.waitForSelector('audience-lab .view-export');
    assert.equal(parse(await page.textContent('audience-lab #export-count')), expected.length);
    await shot(page, `${lang}-export`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
    assert.equal(download.suggestedFilename(), `audience-visual ${lang}.csv`);
    const bytes = readFileSync(/** @type {string} */ (await download.path()));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
    const [header, ...csv] = parseCsv(bytes.subarray(3).toString('utf8'));
    assert.equal(header[0], 'member_id');
    assert.deepEqual(csv.map((r) => r[0]), expected);

    assert.deepEqual(foreignRequests(requests, env.url), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the language switch relabels every screen and remembers the choice; rules are saved without member data', async () => {
  const dir = generate({ members: 800, seed: 5 });
  const { page, errors, context } = await openPage(env.browser, env.url);
  await loadFiles(page, dir);
  await show(page, 'overview');
  assert.equal(await page.textContent('audience-lab [data-kpi="members"] .kpi-label'), 'Members');
  await page.selectOption('audience-lab select.lang', 'zh');
  await page.waitForFunction(() => document.querySelector('audience-lab')?.shadowRoot?.querySelector('[data-kpi="members"] .kpi-label')?.textContent === '会员数');
  assert.equal(await page.textContent('audience-lab #tab-builder'), '人群圈选');

  // Save a segment from the RFM table; localStorage holds the rule and nothing from the files.
  await show(page, 'rfm');
  await page.click('audience-lab #segments tr[data-segment="at_risk"] button');
  await page.waitForSelector('audience-lab .view-builder');
  await page.click('audience-lab #save-segment');
  await page.waitForSelector('audience-lab #saved-segments [data-saved]');
  const stored = await page.evaluate(() => ({ lang: localStorage.getItem('audience-lab.lang'), segments: localStorage.getItem('audience-lab.segments') }));
  assert.equal(stored.lang, 'zh');
  assert.deepEqual(JSON.parse(stored.segments ?? '[]').map((/** @type {any} */ s) => s.rule), [{ all: [{ rfm: { segment: ['at_risk'] } }] }]);
  const ids = readFileSync(join(dir, 'members.csv'), 'utf8').split('\n').slice(1, 200).map((l) => l.split(',')[0]).filter(Boolean);
  assert.ok(ids.every((id) => !(stored.segments ?? '').includes(id)), 'no member id in localStorage');

  // The saved definitions leave as one library file and come back in through the import.
  await show(page, 'export');
  const [lib] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #library-download')]);
  assert.equal(lib.suggestedFilename(), 'segments.json');
  const library = JSON.parse(readFileSync(/** @type {string} */ (await lib.path()), 'utf8'));
  assert.deepEqual(library.segments.map((/** @type {any} */ s) => s.rule), [{ all: [{ rfm: { segment: ['at_risk'] } }] }]);
  const other = join(dir, 'library.json');
  writeFileSync(other, JSON.stringify({ version: 1, segments: [{ version: 1, name: 'gold buyers', rule: { attr: { column: 'tier', in: ['gold'] } } }] }));
  await page.setInputFiles('audience-lab #library-file', other);
  await page.waitForFunction(() => /1/.test(document.querySelector('audience-lab')?.shadowRoot?.querySelector('#library-status')?.textContent ?? ''));
  const names = await page.evaluate(() => JSON.parse(localStorage.getItem('audience-lab.segments') ?? '[]').map((/** @type {any} */ s) => s.name));
  assert.equal(names.length, 2);
  assert.ok(names.includes('gold buyers'));

  // A reload keeps the language and the saved segment.
  await page.reload();
  assert.equal(await page.textContent('audience-lab #tab-overview'), '概览');
  assert.deepEqual(errors, []);
  await context.close();
});

test('tags: frequency, overlap and UpSet intersections equal a count over the members file; a column builds its audience', async () => {
  const dir = generate({ members: 2000, seed: 13 });
  // The independent side: tags per member straight from members.csv.
  const [header, ...members] = parseCsv(readFileSync(join(dir, 'members.csv'), 'utf8')).filter((r) => r.length > 1);
  const tagsCol = header.indexOf('tags');
  const tagSets = members.map((r) => new Set((r[tagsCol] ?? '').split(/[|,;，、]/).map((x) => x.trim()).filter(Boolean)));
  /** @type {Map<string, number>} */
  const freq = new Map();
  for (const set of tagSets) for (const tag of set) freq.set(tag, (freq.get(tag) ?? 0) + 1);

  const { page, requests, errors, context } = await openPage(env.browser, env.url);
  await loadFiles(page, dir);
  await show(page, 'tags');
  await page.waitForSelector('audience-lab #upset .column');
  const shown = await page.$$eval('audience-lab #tag-frequency tbody tr', (trs) => trs.map((tr) => [/** @type {HTMLElement} */ (tr).dataset.tag ?? '', tr.querySelector('.members')?.textContent ?? '']));
  assert.equal(shown.length, freq.size);
  for (const [tag, n] of shown) assert.equal(parse(n), freq.get(/** @type {string} */ (tag)), `members tagged ${tag}`);

  const set = await page.$$eval('audience-lab #tag-overlap tbody tr', (trs) => trs.map((tr) => /** @type {string} */ (/** @type {HTMLElement} */ (tr).dataset.tag)));
  const both = await page.$$eval('audience-lab #tag-overlap tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.dataset.count))));
  set.forEach((a, i) => set.forEach((b, j) => {
    assert.equal(both[i][j], tagSets.filter((s) => s.has(a) && s.has(b)).length, `${a} ∩ ${b}`);
  }));

  // UpSet columns: members with exactly these tags of the set, largest first.
  const report = /** @type {any} */ (await appLab(page, 'tags', { tags: set, top: 8, limit: 20 }));
  /** @type {Map<string, number>} */
  const exclusive = new Map();
  for (const s of tagSets) {
    const key = set.filter((t) => s.has(t)).join('\u0001');
    exclusive.set(key, (exclusive.get(key) ?? 0) + 1);
  }
  assert.equal(report.withNone, exclusive.get('') ?? 0, 'members with none of the set');
  exclusive.delete('');
  for (const x of report.intersections) assert.equal(x.size, exclusive.get(x.tags.join('\u0001')), `only ${x.tags}`);
  const sizes = [...exclusive.values()].sort((a, b) => b - a).slice(0, report.intersections.length);
  assert.deepEqual(report.intersections.map((/** @type {any} */ x) => x.size), sizes);
  const pick = report.intersections.findIndex((/** @type {any} */ x) => x.tags.length >= 2);
  assert.ok(pick >= 0, 'an intersection of two tags or more');
  await page.screenshot({ path: join(resultsDir(), 'en-tags.png'), fullPage: true });
  await page.click(`audience-lab #upset .column[data-index="${pick}"]`);
  await page.waitForSelector('audience-lab .view-builder');
  await page.waitForFunction((n) => document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count') === String(n), report.intersections[pick].size);

  // The same audience as SQL for the data team.
  await page.click('audience-lab #sql-box summary');
  await page.waitForFunction(() => /SELECT/i.test(document.querySelector('audience-lab')?.shadowRoot?.querySelector('#rule-sql')?.textContent ?? ''));
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
