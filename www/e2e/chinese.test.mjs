// Every screen in Chinese speaks Chinese: a GBK export with Chinese headers is walked through
// every screen on a zh-CN browser (the mapping previews before loading, the load reports,
// Overview, RFM under every map and method, Cohorts under every period and basis, Movement by
// stage and by segment, CLV with its forecast check, Tags, the Builder with a condition of every node type and the member
// preview, Export as a file and as an ad list, Campaigns planned and read out), and on each
// the visible text of the element (text, option texts, `title` and `aria-label`) is searched
// for words of the engine that have
// a Chinese label: their ids (`member_id`, `not kept`, `gte`, `champions`, `order:store` …)
// must never show, and neither must the English encoding evidence or reject reasons. The ids
// come from `audience-lab vocabulary`, the English texts from `audience-lab inspect`: the
// independent side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cli, parseCsv, resultsDir, appLab } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** @typedef {import('../lib/generated.js').Vocabulary} Vocabulary */

/** The lower-case words a Chinese screen may show besides the vocabulary's Chinese: the app's name. */
const NAMES = ['audience', 'lab'];

/** @param {string} s */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `word` as a whole word of `text`: not inside a longer identifier (`new` is not in `renew`).
 * @param {string} word
 */
const wholeWord = (word) => new RegExp(`(?<![A-Za-z0-9_])${escape(word)}(?![A-Za-z0-9_])`, 'g');

/**
 * Every object of the vocabulary, depth first.
 * @param {unknown} x
 * @returns {Record<string, any>[]}
 */
function objects(x) {
  if (Array.isArray(x)) return x.flatMap(objects);
  if (!x || typeof x !== 'object') return [];
  return [/** @type {Record<string, any>} */ (x), ...Object.values(x).flatMap(objects)];
}

/**
 * The Chinese texts of the vocabulary (labels, help, descriptions).
 * @param {Vocabulary} vocab
 */
function chineseTexts(vocab) {
  return objects(vocab).map((o) => o.zh).filter((z) => typeof z === 'string');
}

/**
 * The ids of the vocabulary a Chinese page must not show: every id whose Chinese label differs
 * from it, and the order columns of exports and previews (`order:` and a role of the orders
 * table) — but for an id the vocabulary's Chinese itself spells (`0-3 天` spells `0-3`, the R
 * package is `rfm`).
 * @param {Vocabulary} vocab
 */
function forbiddenIds(vocab) {
  const zh = chineseTexts(vocab);
  const ids = objects(vocab).filter((o) => typeof o.id === 'string' && typeof o.label?.zh === 'string' && o.label.zh !== o.id).map((o) => /** @type {string} */ (o.id));
  const orders = vocab.tables.find((t) => t.id === 'orders');
  for (const r of orders?.roles ?? []) ids.push(`order:${r.id}`);
  return [...new Set(ids)].filter((id) => !zh.some((z) => wholeWord(id).test(z)));
}

/**
 * Texts of a file (headers, cells, the tags of tag cells): the data, which shows as it is.
 * @param {string} path a GBK CSV file
 */
function dataTexts(path) {
  const rows = parseCsv(new TextDecoder('gbk').decode(readFileSync(path)));
  return rows.flat().flatMap((v) => [v, ...v.split(/[|,;，、]/)]).map((v) => v.trim()).filter(Boolean);
}

/**
 * The visible words of the `<audience-lab>` element and of the page around it: text of every
 * element (option texts included) but code views (`pre`, `code`, `textarea`) and the symbols of
 * formulas (`var`: the parameters r, α, a, b of a model), and every `title` and `aria-label`.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
function visibleTexts(page) {
  return page.evaluate(() => {
    /** @type {string[]} */
    const out = [];
    /** @param {Node} root */
    const walk = (root) => {
      const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = it.nextNode(); n; n = it.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
          const parent = n.parentElement;
          if (parent?.closest('pre, code, textarea, var, style, script')) continue;
          const text = (n.textContent ?? '').trim();
          if (text) out.push(text);
          continue;
        }
        const el = /** @type {Element} */ (n);
        for (const a of ['title', 'aria-label']) {
          const v = el.getAttribute(a)?.trim();
          if (v) out.push(v);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document.body);
    return out;
  });
}

test('every screen in Chinese shows the Chinese labels of the engine\'s words, never their ids', async (t) => {
  const dir = generate({ members: 1500, seed: 61, lang: 'zh' });
  /** @type {Vocabulary} */
  const vocab = JSON.parse(cli(['vocabulary']));
  const ids = forbiddenIds(vocab);
  const names = [...NAMES, ...chineseTexts(vocab).flatMap((z) => z.match(/[a-z][a-z_]+[a-z]/g) ?? [])];
  const inspect = Object.fromEntries(['members', 'orders'].map((kind) => [kind, JSON.parse(cli(['inspect', join(dir, `${kind}.csv`), '--kind', kind, '--json']))]));
  // English texts of the engine that have a Chinese twin.
  const english = [...new Set(Object.values(inspect).flatMap((r) => [r.encodingEvidence, ...r.rejected.map((/** @type {any} */ x) => x.reason)]))];
  assert.ok(english.length >= 2, `the GBK export has encoding evidence and rejected rows: ${english}`);
  const segmentNames = ['中文测试', '已存人群'];
  const data = new Set([...dataTexts(join(dir, 'members.csv')), ...dataTexts(join(dir, 'orders.csv')), 'members.csv', 'orders.csv', ...segmentNames]);
  // A data value that spells a forbidden id (`orders.csv` spells `orders`) is no finding.
  const spelledByData = new Map(ids.map((id) => [id, [...data].filter((v) => v !== id && wholeWord(id).test(v))]));
  // Data with lower-case words (e-mail addresses, file names), longest first.
  const asciiData = [...data].filter((v) => /[a-z]{3,}/.test(v)).sort((a, b) => b.length - a.length);
  const zh = (/** @type {{ zh: string }} */ l) => l.zh;

  /** @type {string[]} */
  const findings = [];
  /** @type {Record<string, string[]>} */
  const seen = {};
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'zh-CN' });

  /**
   * Collects a screen's words, records every forbidden one, and takes its screenshot.
   * @param {string} screen
   */
  async function check(screen) {
    const texts = await visibleTexts(page);
    seen[screen] = texts;
    for (const text of texts) {
      if (data.has(text)) continue;
      for (const id of ids) {
        for (const m of text.matchAll(wholeWord(id))) {
          const at = m.index ?? 0;
          const covered = (spelledByData.get(id) ?? []).some((v) => {
            for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + 1)) if (i <= at && at + id.length <= i + v.length) return true;
            return false;
          });
          if (!covered) findings.push(`${screen}: "${id}" in "${text}"`);
        }
      }
      for (const e of english) if (text.includes(e)) findings.push(`${screen}: English "${e}" in "${text}"`);
      // Any other lower-case English word is a label left untranslated (names are capitalised).
      let rest = text;
      if (/[a-z]{3,}/.test(rest)) for (const v of asciiData) rest = rest.split(v).join(' ');
      for (const [word] of rest.matchAll(/(?<![A-Za-z0-9_])[a-z][a-z_]+[a-z](?![A-Za-z0-9_])/g)) if (!names.includes(word)) findings.push(`${screen}: English "${word}" in "${text}"`);
    }
    assert.ok(texts.some((x) => /[\u4e00-\u9fff]/.test(x)), `${screen} shows Chinese`);
    await page.screenshot({ path: join(resultsDir(), `zh-walk-${screen}.png`), fullPage: true });
  }

  /**
   * The option texts of a select in the element.
   * @param {string} selector
   */
  const optionTexts = (selector) => page.$$eval(`audience-lab ${selector} option`, (os) => os.map((o) => (o.textContent ?? '').trim()));
  /** @param {string} view */
  const show = async (view) => {
    await page.click(`audience-lab #tab-${view}`);
    await page.waitForSelector(`audience-lab .view-${view}`);
  };
  /**
   * Picks a value of a select that redraws its view, and waits for the redrawn view.
   * @param {string} id
   * @param {string} value
   */
  const pick = async (id, value) => {
    await page.selectOption(`audience-lab #${id}`, value);
    await page.waitForSelector(`audience-lab #${id} option[value="${value}"][selected]`, { state: 'attached' });
  };

  try {
    // Load: the mapping preview of each file before it is committed, then its report.
    for (const kind of /** @type {const} */ (['members', 'orders'])) {
      await page.setInputFiles(`audience-lab #file-${kind}`, join(dir, `${kind}.csv`));
      await page.waitForSelector(`audience-lab #preview-${kind}`);
      const table = vocab.tables.find((x) => x.id === kind);
      const roleTexts = await optionTexts(`#preview-${kind} select[data-column]`);
      for (const r of table?.roles ?? []) assert.ok(roleTexts.includes(r.label.zh), `role ${r.id} offered as ${r.label.zh}`);
      assert.ok((await page.textContent(`audience-lab #preview-${kind}`))?.includes(inspect[kind].encodingEvidenceZh), 'the encoding evidence in Chinese');
      await check(`load-preview-${kind}`);
      await page.click(`audience-lab #commit-${kind}`);
      await page.waitForSelector(`audience-lab #report-${kind} .rows`);
    }
    for (const d of await page.$$('audience-lab .report details')) await d.evaluate((x) => x.setAttribute('open', ''));
    const rejected = await page.textContent('audience-lab #report-orders .rejected');
    for (const r of inspect.orders.rejected) assert.ok(rejected?.includes(r.reasonZh), `reason ${r.reason} as ${r.reasonZh}`);
    await check('load-reports');

    // Overview: KPI titles from the vocabulary; the member AOV card is the client's.
    await show('overview');
    await page.waitForSelector('audience-lab #chart-timeline svg');
    await page.waitForSelector('audience-lab #chart-funnel svg');
    const cards = await page.$$eval('audience-lab [data-kpi]', (cs) => cs.map((c) => [/** @type {HTMLElement} */ (c).dataset.kpi ?? '', c.querySelector('.kpi-label')?.textContent ?? '']));
    for (const [id, label] of cards) {
      const kpi = vocab.kpis.find((k) => k.id === id);
      if (kpi) assert.equal(label, kpi.label.zh, `KPI ${id}`);
    }
    const kpis = /** @type {any} */ (await appLab(page, 'kpis', {}));
    const memberAov = Number((await page.textContent('audience-lab [data-kpi="memberAov"] .kpi-value') ?? '').replace(/[^0-9.]/g, ''));
    assert.ok(Math.abs(memberAov - kpis.overall.memberAov) <= 0.0051, `member AOV ${memberAov} vs ${kpis.overall.memberAov}`);
    await check('overview');

    // RFM under every scoring method and every segment map.
    await show('rfm');
    assert.deepEqual(await optionTexts('#segment-map'), vocab.segmentMaps.map((m) => zh(m.label)));
    assert.deepEqual(await optionTexts('#method'), vocab.rfmMethods.map((m) => zh(m.label)));
    for (const m of vocab.rfmMethods) {
      await pick('method', m.id);
      await page.waitForSelector('audience-lab #chart-rfm svg');
      await check(`rfm-${m.id}`);
    }
    await pick('method', vocab.rfmMethods[0].id);
    for (const m of vocab.segmentMaps) {
      await pick('segment-map', m.id);
      await page.waitForSelector('audience-lab #chart-rfm svg');
      await check(`rfm-map-${m.id}`);
    }

    // Cohorts by every period and basis.
    await show('cohorts');
    assert.deepEqual(await optionTexts('#cohort-period'), vocab.cohortPeriods.map((p) => zh(p.label)));
    assert.deepEqual(await optionTexts('#cohort-by'), vocab.cohortBy.map((p) => zh(p.label)));
    for (const p of vocab.cohortPeriods) {
      await pick('cohort-period', p.id);
      for (const b of vocab.cohortBy) {
        await pick('cohort-by', b.id);
        await check(`cohorts-${p.id}-${b.id}`);
      }
    }

    // Movement by lifecycle stage and by RFM segment: the matrix and the flow.
    await show('movement');
    await page.waitForSelector('audience-lab #migration-matrix[data-by="stage"]');
    await page.waitForSelector('audience-lab #chart-flow svg');
    await check('movement-stage');
    await page.click('audience-lab #movement-by input[value="segment"]');
    await page.waitForSelector('audience-lab #migration-matrix[data-by="segment"]');
    await page.waitForSelector('audience-lab #chart-flow svg');
    await check('movement-segment');

    // CLV: fitted with the last 180 days held out, the parameters, P(alive) and the check.
    await show('clv');
    await page.waitForSelector('audience-lab #clv-results[data-state="ready"]');
    await page.check('audience-lab #clv-calibration input[value="holdout180"]');
    await page.waitForSelector('audience-lab #clv-results[data-state="ready"] #clv-check[data-state="ready"] #chart-holdout svg');
    await page.waitForSelector('audience-lab #chart-p-alive svg');
    await check('clv');

    await show('tags');
    await page.waitForSelector('audience-lab #upset .column');
    await check('tags');

    // Builder: a condition of every type the editor offers, each made complete.
    await show('builder');
    const add = 'audience-lab #rule-tree > .group > .add';
    const types = await page.$$eval(`${add} > select option`, (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
    const conditions = vocab.nodeTypes.filter((n) => !['all', 'any', 'not', 'at'].includes(n.id));
    assert.deepEqual(types, conditions.map((n) => n.id), 'every condition type can be added');
    assert.deepEqual(await optionTexts('#rule-tree > .group > .add > select'), conditions.map((n) => zh(n.label)));
    const tag = /** @type {any} */ (await appLab(page, 'tags', {})).frequency[0].tag;
    await page.fill('audience-lab #segment-name', segmentNames[1]);
    let i = 0;
    for (const type of types.filter((x) => x !== 'segment')) {
      await page.selectOption(`${add} > select`, type);
      await page.click(`${add} > .add-condition`);
      const node = `audience-lab [data-path="rule.all[${i++}]"]`;
      await page.waitForSelector(`${node}[data-type="${type}"]`);
      if (type === 'tags') await page.fill(`${node} [data-field="values"]`, tag);
      if (type === 'attr') await page.selectOption(`${node} [data-field="op"]`, 'is_null');
      if (type === 'rfm') await page.check(`${node} input[type="checkbox"] >> nth=1`);
    }
    // A saved segment to refer to.
    await page.click('audience-lab #save-segment');
    await page.waitForSelector(`audience-lab #saved-segments [data-saved="${segmentNames[1]}"]`);
    await page.fill('audience-lab #segment-name', segmentNames[0]);
    await page.selectOption(`${add} > select`, 'segment');
    await page.click(`${add} > .add-condition`);
    await page.waitForSelector(`audience-lab [data-path="rule.all[${i}]"][data-type="segment"]`);
    // A metric on a label column: its values are picked by their labels.
    const stage = vocab.columns.find((c) => c.kind === 'label' && c.domain === 'stages');
    assert.ok(stage, 'a label column of stages');
    const metric = `audience-lab [data-path="rule.all[${types.indexOf('metric')}]"]`;
    const metricNames = await optionTexts(`[data-path="rule.all[${types.indexOf('metric')}]"] [data-field="name"]`);
    assert.deepEqual(metricNames.sort(), vocab.columns.map((c) => zh(c.label)).sort(), 'every member column by its label');
    await page.selectOption(`${metric} [data-field="name"]`, stage.id);
    await page.waitForSelector(`${metric} [data-field="values"] input[value="${vocab.stages[1].id}"]`);
    const stageTexts = await page.$$eval(`${metric} [data-field="values"] label`, (ls) => ls.map((l) => (l.textContent ?? '').trim()));
    assert.deepEqual(stageTexts, vocab.stages.map((s) => zh(s.label)));
    await page.check(`${metric} [data-field="values"] input[value="${vocab.stages[2].id}"]`);
    // Any of them, so the preview has members to show.
    await page.selectOption('audience-lab #rule-tree > .group > .node-head [data-field="mode"]', 'any');
    await page.waitForSelector('audience-lab #rule-tree > .group[data-path="rule"] > .children > [data-path="rule.any[0]"]');
    const segment = JSON.parse(await page.inputValue('audience-lab #rule-json'));
    const { options } = await page.$eval('audience-lab', (e) => /** @type {any} */ (e).save());
    const count = await appLab(page, 'count', segment, options);
    await page.waitForSelector(`audience-lab #audience-count[data-count="${count}"]`);
    assert.ok(await page.isHidden('audience-lab #rule-error'), 'the rule is complete');
    // The member preview with a bucket column and an order column: labels, not ids.
    await page.click('audience-lab #preview-columns summary');
    const extra = await page.$$eval('audience-lab #preview-columns input:not(:checked)', (cbs) => cbs.map((c) => /** @type {HTMLInputElement} */ (c).value));
    const bucket = vocab.columns.find((c) => c.domain === 'buckets');
    const orderColumn = extra.find((c) => c.startsWith('order:'));
    assert.ok(bucket && orderColumn, `columns to add: ${extra}`);
    for (const c of [bucket.id, stage.id, orderColumn]) {
      if (await page.isChecked(`audience-lab #preview-columns input[value="${c}"]`)) continue;
      const before = await page.$$eval('audience-lab #member-preview th', (th) => th.length);
      await page.check(`audience-lab #preview-columns input[value="${c}"]`);
      await page.waitForFunction((n) => (document.querySelector('audience-lab')?.shadowRoot?.querySelectorAll('#member-preview th').length ?? 0) > n, before);
    }
    const head = await page.$$eval('audience-lab #member-preview th', (th) => th.map((x) => x.textContent ?? ''));
    assert.ok(head.includes(bucket.label.zh) && head.includes(stage.label.zh), `preview headers ${head}`);
    const stageCol = head.indexOf(stage.label.zh);
    const stageCells = await page.$$eval('audience-lab #member-preview tr', (trs, k) => trs.slice(1).map((tr) => tr.children[k]?.textContent ?? ''), stageCol);
    assert.ok(stageCells.length > 0 && stageCells.every((s) => vocab.stages.some((x) => x.label.zh === s)), `stage cells ${stageCells}`);
    await page.click('audience-lab details:has(#rule-json) summary');
    await page.click('audience-lab #sql-box summary');
    await page.waitForFunction(() => /SELECT/i.test(document.querySelector('audience-lab')?.shadowRoot?.querySelector('#rule-sql')?.textContent ?? ''));
    await check('builder');

    // Export: a file with its columns, then an ad list with its match report.
    await page.click('audience-lab #to-export');
    await page.waitForSelector('audience-lab #columns');
    assert.deepEqual(await optionTexts('#export-format'), vocab.exportFormats.map((f) => zh(f.label)));
    await check('export-file');
    await page.check('audience-lab #export-kind-ads');
    await page.waitForSelector('audience-lab #match-report [data-rows]');
    assert.deepEqual(await optionTexts('#export-platform'), vocab.adProfiles.map((p) => zh(p.label)));
    const keys = await page.$$eval('audience-lab #match-report tbody th', (th) => th.map((x) => x.textContent ?? ''));
    assert.deepEqual(keys.map((k) => k.split(/[（(]/)[0].trim()), vocab.matchKeys.map((k) => zh(k.label)));
    await check('export-ads');

    // Campaigns: the plan of the audience by lifecycle stage, then its readout before launch
    // (no day observed: lifts without a test say why, in Chinese).
    await show('campaigns');
    await page.selectOption('audience-lab #campaign-stratify', 'stage');
    await page.waitForSelector('audience-lab #campaign-summary[data-state="ready"][data-stratify="stage"]');
    assert.deepEqual(await optionTexts('#campaign-treatment-format'), [...vocab.exportFormats, ...vocab.adProfiles].map((f) => zh(f.label)));
    await check('campaigns-plan');
    await page.click('audience-lab #campaign-use-plan');
    await page.waitForSelector('audience-lab #campaign-readout-results[data-state="ready"]');
    await page.waitForSelector('audience-lab #campaign-observed[data-observed="0"]');
    await check('campaigns-readout');
  } catch (e) {
    await page.screenshot({ path: join(resultsDir(), 'zh-walk-failure.png'), fullPage: true });
    t.diagnostic(`findings before the failure:\n${findings.join('\n')}`);
    throw e;
  }

  // The page around the element follows its language too.
  assert.ok(seen['export-ads'].some((x) => /嵌入/.test(x)), 'the footer is in Chinese');
  assert.deepEqual(findings, []);
  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
