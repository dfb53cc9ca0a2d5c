// The builder's `at` node (SPEC §6: a rule evaluated as of an earlier date) in English and
// Chinese: a preset that holds one is drawn as an "As of" box and counts as the CLI's audience;
// the conditions inside a box count at its date as the CLI's `at` nodes of them do; and one
// built with "+ As of…" (a date, then 180 days ago, dormant inside) counts as the CLI's
// audience of the very rule the page shows. Screenshots land in www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, generate, cli, cliSegmentIds, loadFiles, resultsDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** @type {any} */
const vocab = JSON.parse(cli(['vocabulary']));

/** The app's own labels of the at editor (ui/i18n.js). */
const labels = {
  en: { add: '+ As of…', date: 'a date', daysAgo: 'days ago' },
  zh: { add: '+ 截至某日…', date: '指定日期', daysAgo: '天前' },
};

/**
 * Waits until the audience count and the badge of `path` show `n`.
 * @param {import('playwright-core').Page} page
 * @param {number} n
 * @param {string} [path]
 */
async function waitCount(page, n, path) {
  await page.waitForSelector(`audience-lab #audience-count[data-count="${n}"]`);
  if (path) await page.waitForSelector(`audience-lab [data-count-for="${path}"][data-value="${n}"]`);
}

/** The rule JSON the page shows. @param {import('playwright-core').Page} page */
async function shownSegment(page) {
  return JSON.parse(await page.inputValue('audience-lab #rule-json'));
}

for (const [lang, locale] of /** @type {const} */ ([['en', 'en-US'], ['zh', 'zh-CN']])) {
  test(`builder in ${lang}: an "as of" preset and an "as of" box made with the editor count as the CLI does`, async () => {
    const dir = generate({ members: 1500, seed: 9 });
    const { page, errors, context } = await openPage(env.browser, env.url, { locale });
    const word = (/** @type {{ en: string, zh: string }} */ l) => l[lang];
    const at = vocab.nodeTypes.find((/** @type {any} */ n) => n.id === 'at');
    assert.ok(at, 'the vocabulary has the at node');
    await loadFiles(page, dir);
    await page.click('audience-lab #tab-builder');
    await page.waitForSelector('audience-lab .view-builder');

    // `at` is a box of its own, not a condition type.
    const types = await page.$$eval('audience-lab #rule-tree > .group > .add > select option', (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
    assert.ok(types.length > 0 && !types.includes('at') && !types.includes('not'), `condition types: ${types}`);
    assert.equal((await page.textContent('audience-lab #rule-tree > .group > .add > .add-at'))?.trim(), labels[lang].add);

    // The preset: its rule as the vocabulary has it, its count the CLI's.
    const preset = vocab.presets.find((/** @type {any} */ p) => p.id === 'reactivated_this_quarter');
    assert.ok(preset, 'the preset is in the vocabulary');
    await page.click('audience-lab #presets button[data-preset="reactivated_this_quarter"]');
    const box = 'audience-lab #rule-tree [data-path="rule.all[0]"]';
    await page.waitForSelector(`${box}.group.at[data-type="at"]`);
    assert.deepEqual((await shownSegment(page)).rule, preset.segment.rule);
    const presetIds = cliSegmentIds(dir, preset.segment);
    assert.ok(presetIds.length > 0, 'the sample has reactivated members');
    await waitCount(page, presetIds.length);
    // The box shows what the preset says: 91 days ago, the stages inside.
    assert.equal((await page.textContent(`${box} > .node-head > .node-type`))?.trim(), word(at.label));
    assert.equal(await page.inputValue(`${box} > .node-head [data-field="when"]`), 'days_ago');
    assert.equal(await page.inputValue(`${box} > .node-head [data-field="days_ago"]`), String(preset.segment.rule.all[0].at.days_ago));
    const inner = preset.segment.rule.all[0].at.rule;
    const checked = await page.$$eval(`audience-lab [data-path="rule.all[0].at.rule"][data-type="lifecycle"] input:checked`, (cs) => cs.map((c) => /** @type {HTMLInputElement} */ (c).value));
    assert.deepEqual(checked, inner.lifecycle);
    // The whole box counts as the CLI's at node alone.
    const boxIds = cliSegmentIds(dir, { version: 1, name: 'x', rule: preset.segment.rule.all[0] });
    await page.waitForSelector(`audience-lab [data-count-for="rule.all[0]"][data-value="${boxIds.length}"]`);
    assert.ok(await page.isHidden('audience-lab #rule-error'));
    await (await page.$('audience-lab #rule-tree'))?.screenshot({ path: join(resultsDir(), `builder-at-${lang}-preset.png`) });
    // A condition added next to the single one inside makes them a group, still as of that date.
    await page.selectOption(`${box} > .add > select`, 'metric');
    await page.click(`${box} > .add > .add-condition`);
    await page.waitForSelector(`${box} [data-path="rule.all[0].at.rule.all[1]"][data-type="metric"]`);
    const widened = await shownSegment(page);
    assert.deepEqual(widened.rule.all[0].at.rule.all[0], inner);
    await waitCount(page, cliSegmentIds(dir, widened).length);

    // A preset that negates an at node: the box with its Not ticked.
    const joined = vocab.presets.find((/** @type {any} */ p) => p.id === 'joined_last_90_days');
    assert.ok(joined?.segment.rule.not?.at, 'the preset is not(at)');
    await page.click('audience-lab #presets button[data-preset="joined_last_90_days"]');
    await page.waitForSelector('audience-lab #rule-tree [data-path="rule.all[0].not"].group.at.negated > .node-head .negate input:checked');
    assert.deepEqual((await shownSegment(page)).rule, { all: [joined.segment.rule] });
    await waitCount(page, cliSegmentIds(dir, joined.segment).length);

    // Inside an as-of box every condition has its own count, at the box's date: the stages
    // (dormant and churned members exist then, so the count is the CLI's of the stages as of
    // that date), a purchase condition with the running intersection, and the box itself.
    const insideRule = { all: [{ at: { days_ago: 91, rule: { all: [{ lifecycle: ['dormant', 'churned'] }, { purchased: { within_days: 180 } }] } } }] };
    await page.click('audience-lab details:has(#rule-json) summary');
    await page.fill('audience-lab #rule-json', JSON.stringify({ version: 1, name: 'inside', rule: insideRule }));
    await page.dispatchEvent('audience-lab #rule-json', 'change');
    await page.waitForSelector(`${box}.group.at [data-path="rule.all[0].at.rule.all[1]"][data-type="purchased"]`);
    assert.deepEqual((await shownSegment(page)).rule, insideRule);
    const asOf = (/** @type {object} */ rule) => cliSegmentIds(dir, { version: 1, name: 'x', rule: { at: { days_ago: 91, rule } } }).length;
    const stages = asOf({ lifecycle: ['dormant', 'churned'] });
    const bought = asOf({ purchased: { within_days: 180 } });
    const inBox = cliSegmentIds(dir, { version: 1, name: 'x', rule: insideRule }).length;
    assert.ok(stages > 0 && inBox > 0 && inBox < stages, `dormant or churned 91 days ago: ${stages}, of them buying in the 180 days before: ${inBox}`);
    await waitCount(page, inBox, 'rule.all[0]');
    await page.waitForSelector(`audience-lab [data-count-for="rule.all[0].at.rule"][data-value="${inBox}"]`);
    await page.waitForSelector(`audience-lab [data-count-for="rule.all[0].at.rule.all[0]"][data-value="${stages}"]`);
    await page.waitForSelector(`audience-lab [data-count-for="rule.all[0].at.rule.all[1]"][data-value="${bought}"]`);
    // The numbers shown: the stages' count, and the purchase condition's count → the running
    // intersection, as for conditions outside a box.
    const shown = (/** @type {string} */ path) => page.textContent(`audience-lab [data-count-for="${path}"]`);
    const n = (/** @type {number} */ x) => x.toLocaleString(locale);
    assert.equal((await shown('rule.all[0].at.rule.all[0]'))?.trim(), n(stages));
    assert.equal((await shown('rule.all[0].at.rule.all[1]'))?.trim(), `${n(bought)} → ${n(inBox)}`);
    assert.ok(await page.isVisible('audience-lab [data-count-for="rule.all[0].at.rule.all[0]"]'), 'the badge inside the box shows');
    assert.ok(await page.isHidden('audience-lab #rule-error'));
    await (await page.$('audience-lab #rule-tree'))?.screenshot({ path: join(resultsDir(), `builder-at-${lang}-inside.png`) });
    await page.click('audience-lab details:has(#rule-json) summary');

    // A fresh rule with "+ As of…": one condition inside already, so the rule is complete.
    await page.click('audience-lab #new-segment');
    await page.waitForSelector('audience-lab #rule-tree > .group[data-path="rule"] > .children:empty', { state: 'attached' });
    await page.click('audience-lab #rule-tree > .group > .add > .add-at');
    await page.waitForSelector(`${box}[data-type="at"] [data-path="rule.all[0].at.rule.all[0]"][data-type="lifecycle"]`);
    assert.deepEqual((await shownSegment(page)).rule, { all: [{ at: { days_ago: 90, rule: { all: [{ lifecycle: ['active'] }] } } }] });
    const options = await page.$$eval(`${box} > .node-head [data-field="when"] option`, (os) => os.map((o) => [/** @type {HTMLOptionElement} */ (o).value, (o.textContent ?? '').trim()]));
    assert.deepEqual(options, [['date', labels[lang].date], ['days_ago', labels[lang].daysAgo]]);
    assert.equal(await page.getAttribute(`${box} > .node-head [data-field="days_ago"]`, 'min'), '0');

    // On a date: the date field starts at the analysis date and the count is the CLI's.
    await page.selectOption(`${box} > .node-head [data-field="when"]`, 'date');
    const dateField = `${box} > .node-head input[type="date"][data-field="date"]`;
    await page.waitForSelector(dateField);
    const day = await page.inputValue(dateField);
    assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
    const onDate = await shownSegment(page);
    assert.deepEqual(onDate.rule, { all: [{ at: { date: day, rule: { all: [{ lifecycle: ['active'] }] } } }] });
    await waitCount(page, cliSegmentIds(dir, onDate).length, 'rule.all[0]');
    await (await page.$('audience-lab #rule-tree'))?.screenshot({ path: join(resultsDir(), `builder-at-${lang}-date.png`) });

    // Back to days ago (90 again), then 180 days ago, dormant rather than active inside.
    await page.selectOption(`${box} > .node-head [data-field="when"]`, 'days_ago');
    const daysField = `${box} > .node-head input[type="number"][data-field="days_ago"]`;
    await page.waitForSelector(daysField);
    assert.equal(await page.inputValue(daysField), '90');
    await page.fill(daysField, '180');
    const condition = 'audience-lab [data-path="rule.all[0].at.rule.all[0]"]';
    await page.check(`${condition} input[value="dormant"]`);
    await page.uncheck(`${condition} input[value="active"]`);
    const built = await shownSegment(page);
    assert.deepEqual(built.rule, { all: [{ at: { days_ago: 180, rule: { all: [{ lifecycle: ['dormant'] }] } } }] });
    const builtIds = cliSegmentIds(dir, built);
    assert.ok(builtIds.length > 0, 'the sample had dormant members 180 days ago');
    await waitCount(page, builtIds.length, 'rule.all[0]');
    assert.ok(await page.isHidden('audience-lab #rule-error'));
    assert.equal(await page.inputValue(daysField), '180', 'an edit in place keeps the field');

    // Next to a condition outside the box: the two nodes intersect as the CLI's.
    await page.selectOption('audience-lab #rule-tree > .group > .add > select', 'metric');
    await page.click('audience-lab #rule-tree > .group > .add > .add-condition');
    await page.waitForSelector('audience-lab [data-path="rule.all[1]"][data-type="metric"]');
    const both = await shownSegment(page);
    await waitCount(page, cliSegmentIds(dir, both).length);
    await page.screenshot({ path: join(resultsDir(), `builder-at-${lang}.png`), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await (await page.$('audience-lab #rule-tree'))?.screenshot({ path: join(resultsDir(), `builder-at-${lang}-narrow.png`) });

    assert.deepEqual(errors, []);
    await context.close();
  });
}
