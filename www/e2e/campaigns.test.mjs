// The Campaigns screen (SPEC §7) in English and Chinese, against the CLI. Plan: an audience
// built in the builder, held out 20% by lifecycle stage from the day after the latest order;
// the campaign file the page downloads is the CLI's input, and the sizes, baseline and MDE the
// page shows equal `campaign assign`'s summary.json, its treatment and control lists equal
// treatment.csv and control.csv byte for byte; moving the share to 35% shows the summary the
// CLI writes for 35%. Readout: `gen --campaign` (the same history, the window written after it
// with a lift) loaded in the page and the campaign file opened: the groups, the lifts with
// their intervals, p-values and the incremental revenue, every stratum, and the day-by-day
// chart equal `campaign readout`; a window longer than the data says how many days are
// observed. Screenshots (en, zh, 390 px) land in www/test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, cli, loadFiles, resultsDir, tempDir } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
/** @type {string} */
let dir;
const MEMBERS = 2500;
const SEED = 27;
before(async () => {
  env = await start();
  dir = generate({ members: MEMBERS, seed: SEED });
});
after(async () => { await env?.close(); });

/** The app's own words the checks read (ui/i18n.js). */
const WORDS = {
  en: { tab: 'Campaigns', observed: (/** @type {number} */ n, /** @type {number} */ w) => `${n} of ${w} days observed` },
  zh: { tab: '营销活动', observed: (/** @type {number} */ n, /** @type {number} */ w) => `观察期 ${w} 天中已有 ${n} 天的数据` },
};
const RULE = { lifecycle: ['new', 'active', 'dormant'] };

/** The date `days` after a `YYYY-MM-DD` date. @param {string} iso @param {number} days */
const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Equal numbers to 1e-6 relative (wasm and native differ in the last bits), null to null. */
function near(/** @type {number | null} */ got, /** @type {number | null} */ want, /** @type {string} */ what) {
  if (want === null || got === null) return assert.equal(got, want, what);
  assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
}

/** A `data-value` back to a number; a missing one is null. @param {string | undefined | null} v */
const value = (v) => (v === undefined || v === null ? null : Number(v));

/**
 * The CLI's `campaign assign` of a campaign file over the generated history.
 * @param {string} campaignPath @param {string[]} [extra]
 */
function cliAssign(campaignPath, extra = []) {
  const out = tempDir();
  cli(['campaign', 'assign', '--campaign', campaignPath, '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), ...extra, '--out', out]);
  return { out, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

/**
 * The CLI's `campaign readout` of a campaign file over a folder's files.
 * @param {string} campaignPath @param {string} data
 */
function cliReadout(campaignPath, data) {
  return JSON.parse(cli(['campaign', 'readout', '--campaign', campaignPath, '--orders', join(data, 'orders.csv'), '--members', join(data, 'members.csv')]));
}

/**
 * Clicks a button and returns the file it downloads.
 * @param {import('playwright-core').Page} page @param {string} selector
 */
async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`audience-lab ${selector}`)]);
  return { name: d.suggestedFilename(), bytes: readFileSync(/** @type {string} */ (await d.path())) };
}

/**
 * Checks the summary the page shows against the CLI's summary.json.
 * @param {import('playwright-core').Page} page @param {any} summary
 */
async function sameSummary(page, summary) {
  const sel = `audience-lab #campaign-summary[data-state="ready"][data-holdout="${summary.holdout}"]`;
  await page.waitForSelector(sel);
  const shown = await page.$eval('audience-lab #campaign-summary', (box) => ({
    cards: Object.fromEntries([...box.querySelectorAll('#campaign-cards .kpi')].map((c) => [/** @type {HTMLElement} */ (c).dataset.field, /** @type {HTMLElement} */ (c).dataset.value])),
    mde: /** @type {HTMLElement} */ (box.querySelector('#campaign-mde')).dataset.mde,
    sentence: box.querySelector('#campaign-mde')?.textContent ?? '',
    rows: [...box.querySelectorAll('#campaign-strata tbody tr')].map((tr) => ({
      stratum: /** @type {HTMLElement} */ (tr).dataset.stratum,
      ...Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.field, td.dataset.value])),
    })),
  }));
  for (const k of ['members', 'treatment', 'control']) assert.equal(value(shown.cards[k]), summary[k], `${k}`);
  near(value(shown.cards.baseline_conversion), summary.baseline_conversion, 'baseline conversion');
  near(value(shown.cards.mde), summary.mde, 'MDE card');
  near(value(shown.mde), summary.mde, 'MDE sentence');
  assert.ok(summary.mde !== null, 'the audience has an MDE');
  assert.ok(shown.sentence.includes((summary.mde * 100).toFixed(1)), `"${shown.sentence}" says ${(summary.mde * 100).toFixed(1)} points`);
  assert.ok(shown.sentence.includes(`${Number((summary.holdout * 100).toFixed(2))}%`), `"${shown.sentence}" says the share`);
  assert.deepEqual(shown.rows.map((r) => r.stratum), summary.strata.map((/** @type {any} */ s) => s.stratum ?? ''));
  shown.rows.forEach((r, i) => {
    const s = summary.strata[i];
    for (const k of ['members', 'treatment', 'control', 'baseline_converters']) assert.equal(value(r[k]), s[k], `${s.stratum}: ${k}`);
    near(value(r.baseline_conversion), s.baseline_conversion, `${s.stratum}: baseline conversion`);
    near(value(r.mde), s.mde, `${s.stratum}: MDE`);
  });
}

/**
 * Checks the readout the page shows against the CLI's.
 * @param {import('playwright-core').Page} page @param {any} want
 */
async function sameReadout(page, want) {
  await page.waitForSelector(`audience-lab #campaign-readout-results[data-state="ready"][data-window-days="${want.window_days}"]`);
  const got = await page.$eval('audience-lab #campaign-readout-results', (box) => {
    const data = (/** @type {Element | null} */ e) => ({ .../** @type {HTMLElement} */ (e)?.dataset });
    return {
      observed: data(box.querySelector('#campaign-observed')),
      observedText: box.querySelector('#campaign-observed')?.textContent ?? '',
      lifts: Object.fromEntries([...box.querySelectorAll('#campaign-lifts .lift-card')].map((c) => [/** @type {HTMLElement} */ (c).dataset.lift, data(c)])),
      groups: Object.fromEntries([...box.querySelectorAll('#campaign-groups tbody tr')].map((tr) => [/** @type {HTMLElement} */ (tr).dataset.arm,
        Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.field, td.dataset.value]))])),
      strata: [...box.querySelectorAll('#campaign-readout-strata tbody tr')].map((tr) => ({
        stratum: /** @type {HTMLElement} */ (tr).dataset.stratum,
        cells: [...tr.querySelectorAll('td')].map((td) => /** @type {Record<string, string | undefined>} */ ({ ...td.dataset, text: td.textContent ?? '' })),
      })),
      text: box.textContent ?? '',
    };
  });
  assert.equal(Number(got.observed.observed), want.observed_days, 'observed days');
  assert.equal(Number(got.observed.window), want.window_days, 'window');
  assert.equal(got.observed.complete, String(want.complete));
  assert.ok(!/NaN|undefined/.test(got.text), 'no NaN or undefined shows');
  const o = want.overall;
  for (const arm of ['treatment', 'control']) {
    for (const f of ['members', 'converters', 'purchases']) assert.equal(value(got.groups[arm][f]), o[arm][f], `${arm} ${f}`);
    for (const f of ['revenue', 'conversion', 'revenue_per_member']) near(value(got.groups[arm][f]), o[arm][f], `${arm} ${f}`);
  }
  /** @param {Record<string, string>} d @param {any} l @param {string} what */
  const sameLift = (d, l, what) => {
    near(value(d.diff), l.diff, `${what} diff`);
    near(value(d.low), l.low, `${what} low`);
    near(value(d.high), l.high, `${what} high`);
    near(value(d.pValue), l.p_value, `${what} p-value`);
    near(value(d.relative), l.relative, `${what} relative`);
  };
  sameLift(got.lifts.conversion, o.conversion_lift, 'conversion');
  sameLift(got.lifts.revenue, o.revenue_lift, 'revenue per member');
  near(value(got.lifts.incremental.incremental), o.revenue_lift.incremental, 'incremental revenue');
  near(value(got.lifts.incremental.low), o.revenue_lift.incremental_low, 'incremental low');
  near(value(got.lifts.incremental.high), o.revenue_lift.incremental_high, 'incremental high');
  // Every stratum: both groups, the lifts, their p-values (a null one says why).
  assert.deepEqual(got.strata.map((s) => s.stratum), want.strata.map((/** @type {any} */ s) => s.stratum ?? ''));
  got.strata.forEach((s, i) => {
    const w = want.strata[i];
    for (const c of s.cells) {
      const what = `${w.stratum}: ${c.arm ?? c.lift} ${c.field}`;
      if (c.arm) {
        const v = w[c.arm][/** @type {string} */ (c.field)];
        if (['members', 'converters'].includes(/** @type {string} */ (c.field))) assert.equal(value(c.value), v, what);
        else near(value(c.value), v, what);
        continue;
      }
      const l = c.lift === 'conversion' ? w.conversion_lift : w.revenue_lift;
      if (c.field === 'diff') {
        near(value(c.value), l.diff, what);
        near(value(c.low), l.low, `${what} low`);
        near(value(c.high), l.high, `${what} high`);
        if (l.diff === null) assert.ok(c.text && c.text !== '—', `${what}: the reason shows`);
      } else if (c.field === 'p_value') {
        near(value(c.value), l.p_value, what);
        near(value(c.relative), l.relative, `${what} relative`);
      } else {
        near(value(c.value), l.incremental, what);
      }
    }
  });
  return got;
}

for (const [lang, locale] of /** @type {const} */ ([['en', 'en-US'], ['zh', 'zh-CN']])) {
  test(`campaigns in ${lang}: the plan is the CLI's campaign assign, the readout its campaign readout`, async () => {
    const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale });
    const work = tempDir();
    await loadFiles(page, dir);
    assert.equal(await page.textContent('audience-lab #tab-campaigns'), WORDS[lang].tab);
    const tabs = await page.$$eval('audience-lab [role=tab]', (ts) => ts.map((x) => /** @type {HTMLElement} */ (x).dataset.view));
    assert.equal(tabs.indexOf('campaigns'), tabs.indexOf('export') + 1);

    // The audience: members new, active or dormant, through the rule's JSON.
    await page.click('audience-lab #tab-builder');
    await page.waitForSelector('audience-lab .view-builder');
    await page.click('audience-lab details:has(#rule-json) summary');
    await page.fill('audience-lab #rule-json', JSON.stringify({ version: 1, name: 'buyers', rule: RULE }));
    await page.dispatchEvent('audience-lab #rule-json', 'change');
    await page.waitForFunction(() => Number(document.querySelector('audience-lab')?.shadowRoot?.querySelector('#audience-count')?.getAttribute('data-count')) > 0);
    // The builder's segment as it holds it (the rule inside its top group).
    const segment = JSON.parse(await page.inputValue('audience-lab #rule-json'));
    assert.equal(segment.name, 'buyers');

    // Plan: the launch the day after the latest order, 20% held out by stage.
    await page.click('audience-lab #tab-campaigns');
    await page.waitForSelector('audience-lab #campaign-summary[data-state="ready"]');
    const last = /** @type {string} */ (await page.getAttribute('audience-lab .view-campaigns', 'data-last-order'));
    const launch = addDays(last, 1);
    assert.equal(await page.inputValue('audience-lab #campaign-launch'), launch, 'the launch is the day after the latest order by default');
    assert.equal(launch, '2025-07-01', 'the generated history ends on 2025-06-30');
    const name = lang === 'zh' ? '夏季唤醒' : 'summer wake-up';
    await page.fill('audience-lab #campaign-name', name);
    await page.fill('audience-lab #campaign-launch', launch);
    await page.selectOption('audience-lab #campaign-stratify', 'stage');
    await page.fill('audience-lab #campaign-holdout', '20');
    assert.equal(await page.inputValue('audience-lab #campaign-holdout-range'), '20', 'the slider follows the number');
    const salt = await page.inputValue('audience-lab #campaign-salt');
    assert.equal(salt, `${name.replace(/\s+/g, '-')}-${launch}`, 'the salt is made of the name and the launch');
    await page.waitForSelector(`audience-lab #campaign-summary[data-state="ready"][data-holdout="0.2"][data-stratify="stage"][data-name="${name}"][data-launch="${launch}"]`);

    // The campaign file the page writes is the CLI's input.
    const file = await download(page, '#campaign-download-file');
    assert.equal(file.name, `${name}.campaign.json`);
    const campaign = JSON.parse(file.bytes.toString('utf8'));
    assert.deepEqual(campaign, { version: 1, name, segment, launch, holdout: 0.2, salt, stratify: 'stage', window_days: 30 });
    const campaignPath = join(work, 'c.json');
    writeFileSync(campaignPath, file.bytes);
    const columns = await page.$$eval('audience-lab #campaign-columns input:checked', (i) => i.map((e) => /** @type {HTMLInputElement} */ (e).value));
    assert.ok(columns.length > 0, 'the treatment list has columns besides member_id');
    const assigned = cliAssign(campaignPath, ['--columns', columns.join(',')]);
    await sameSummary(page, assigned.summary);
    assert.ok(assigned.summary.strata.length >= 3 && assigned.summary.control > 0, JSON.stringify(assigned.summary));
    // Stage strata by their labels.
    const vocab = JSON.parse(cli(['vocabulary']));
    const heads = await page.$$eval('audience-lab #campaign-strata tbody th', (th) => th.map((x) => x.textContent));
    assert.deepEqual(heads, assigned.summary.strata.map((/** @type {any} */ s) => vocab.stages.find((/** @type {any} */ x) => x.id === s.stratum).label[lang]));

    // The lists: treatment as CSV with the columns ticked, control as member_id,stratum.
    assert.equal(await page.inputValue('audience-lab #campaign-treatment-format'), 'csv');
    const treatment = await download(page, '#campaign-download-treatment');
    assert.equal(treatment.name, `${name} treatment.csv`);
    assert.ok(treatment.bytes.equals(readFileSync(join(assigned.out, 'treatment.csv'))), 'treatment.csv byte for byte');
    assert.equal(Number(await page.getAttribute('audience-lab #campaign-status', 'data-rows')), assigned.summary.treatment);
    const control = await download(page, '#campaign-download-control');
    assert.equal(control.name, `${name} control.csv`);
    assert.ok(control.bytes.equals(readFileSync(join(assigned.out, 'control.csv'))), 'control.csv byte for byte');
    assert.equal(Number(await page.getAttribute('audience-lab #campaign-status', 'data-rows')), assigned.summary.control);
    await page.screenshot({ path: join(resultsDir(), `campaigns-${lang}-plan.png`), fullPage: true });

    // 35% held out: the live summary is the CLI's for 35%.
    const path35 = join(work, 'c35.json');
    writeFileSync(path35, JSON.stringify({ ...campaign, holdout: 0.35 }));
    await page.fill('audience-lab #campaign-holdout', '35');
    await sameSummary(page, cliAssign(path35).summary);
    // The slider moves the share too (keyboard: one step of 0.5%).
    await page.focus('audience-lab #campaign-holdout-range');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.inputValue('audience-lab #campaign-holdout'), '34.5');
    const path345 = join(work, 'c345.json');
    writeFileSync(path345, JSON.stringify({ ...campaign, holdout: 0.345 }));
    await sameSummary(page, cliAssign(path345).summary);

    // Readout: the same history with the window after launch written with a lift.
    const after = join(work, 'after');
    mkdirSync(after);
    cli(['gen', '--members', String(MEMBERS), '--seed', String(SEED), '--campaign', campaignPath, '--lift', '0.5', '--out', after]);
    assert.ok(readFileSync(join(after, 'members.csv')).equals(readFileSync(join(dir, 'members.csv'))), 'the same members');
    await page.click('audience-lab #tab-load');
    await loadFiles(page, after);
    await page.click('audience-lab #tab-campaigns');
    await page.waitForSelector('audience-lab #campaign-file', { state: 'attached' });
    await page.setInputFiles('audience-lab #campaign-file', campaignPath);
    const want = cliReadout(campaignPath, after);
    assert.equal(want.complete, true);
    const got = await sameReadout(page, want);
    assert.ok(got.observedText.length > 0);

    // The chart: the readout's daily series; its points equal the CLI's readout of that window.
    await page.waitForSelector('audience-lab #campaign-cumulative[data-state="ready"] #chart-campaign svg');
    const points = JSON.parse(/** @type {string} */ (await page.getAttribute('audience-lab #campaign-cumulative', 'data-points')));
    assert.deepEqual(points.map((/** @type {any} */ p) => p.day), Array.from({ length: 30 }, (_, i) => i + 1));
    for (const day of [7, 30]) {
      const p = points.find((/** @type {any} */ x) => x.day === day);
      const path = join(work, `c-day${day}.json`);
      writeFileSync(path, JSON.stringify({ ...campaign, window_days: day }));
      const w = cliReadout(path, after).overall;
      near(p.treatment, w.treatment.revenue_per_member, `day ${day}: treatment revenue per member`);
      near(p.control, w.control.revenue_per_member, `day ${day}: control revenue per member`);
      near(p.diff, w.revenue_lift.diff, `day ${day}: lift`);
      near(p.low, w.revenue_lift.low, `day ${day}: low`);
      near(p.high, w.revenue_lift.high, `day ${day}: high`);
    }
    const legend = await page.$$eval('audience-lab #chart-campaign svg text', (ts) => ts.map((x) => x.textContent));
    for (const arm of vocab.campaignArms) assert.ok(legend.includes(arm.label[lang]), `the legend shows ${arm.label[lang]}`);
    await page.screenshot({ path: join(resultsDir(), `campaigns-${lang}-readout.png`), fullPage: true });

    // In Chinese no engine id shows in the view (the download status names files, which are data).
    if (lang === 'zh') {
      const texts = await page.$eval('audience-lab', (el) => {
        const view = /** @type {Element} */ (/** @type {ShadowRoot} */ (el.shadowRoot).querySelector('.view-campaigns'));
        const out = [...view.querySelectorAll('[title], [aria-label]')].map((e) => `${e.getAttribute('title') ?? ''} ${e.getAttribute('aria-label') ?? ''}`);
        const it = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
        for (let n = it.nextNode(); n; n = it.nextNode()) if (!n.parentElement?.closest('#campaign-status')) out.push(n.textContent ?? '');
        return out.map((x) => x.trim()).filter(Boolean);
      });
      // Data shows as it is: the members file's headers (attributes to pick), the segment's name.
      const data = new Set([...readFileSync(join(dir, 'members.csv'), 'utf8').split(/\r?\n/)[0].split(','), segment.name]);
      const ids = [...vocab.campaignArms, ...vocab.campaignWords, ...vocab.stages].map((x) => x.id);
      const words = texts.filter((x) => !data.has(x)).map((x) => x.split(segment.name).join(' '));
      for (const id of ids) assert.ok(!words.some((x) => new RegExp(`(?<![A-Za-z0-9_])${id}(?![A-Za-z0-9_])`).test(x)), `the id ${id} shows`);
      const english = words.flatMap((x) => x.match(/(?<![A-Za-z0-9_@.])[a-z][a-z_]{2,}(?![A-Za-z0-9_])/g) ?? []);
      assert.deepEqual(english, [], `no English word in the Chinese view`);
    }

    // A window longer than the data: the days observed, as the CLI counts them.
    const path45 = join(work, 'c45.json');
    writeFileSync(path45, JSON.stringify({ ...campaign, window_days: 45 }));
    await page.setInputFiles('audience-lab #campaign-file', path45);
    const want45 = cliReadout(path45, after);
    assert.equal(want45.complete, false);
    const got45 = await sameReadout(page, want45);
    assert.ok(got45.observedText.includes(WORDS[lang].observed(want45.observed_days, 45)), `"${got45.observedText}"`);
    await page.waitForSelector('audience-lab #campaign-cumulative[data-state="ready"] #chart-campaign svg');
    const points45 = JSON.parse(/** @type {string} */ (await page.getAttribute('audience-lab #campaign-cumulative', 'data-points')));
    assert.equal(points45.at(-1).day, want45.observed_days, 'the chart ends on the last day observed');

    // 390 px: nothing overflows the page; the tables scroll in their boxes.
    await page.setViewportSize({ width: 390, height: 900 });
    // The chart follows its box once its ResizeObserver has run.
    await page.waitForFunction(() => {
      const svg = document.querySelector('audience-lab')?.shadowRoot?.querySelector('#chart-campaign svg');
      return svg && svg.getBoundingClientRect().right <= 390;
    });
    const widths = await page.$eval('audience-lab', (el) => ({
      page: document.documentElement.scrollWidth,
      right: Math.max(...[.../** @type {ShadowRoot} */ (el.shadowRoot).querySelectorAll('.view-campaigns > .card')].map((c) => c.getBoundingClientRect().right)),
    }));
    await page.screenshot({ path: join(resultsDir(), `campaigns-${lang}-narrow.png`), fullPage: true });
    for (const part of ['plan', 'readout']) await (await page.$(`audience-lab #campaign-${part}`))?.screenshot({ path: join(resultsDir(), `campaigns-${lang}-narrow-${part}.png`) });
    assert.ok(widths.page <= 390 && widths.right <= 390, `nothing overflows: ${JSON.stringify(widths)}`);
    await page.setViewportSize({ width: 1280, height: 900 });

    assert.deepEqual(foreignRequests(requests, env.url), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
