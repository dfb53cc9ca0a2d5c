// @ts-check
/**
 * Campaigns (SPEC §7): a random share of an audience held out as a control group, and the
 * lift the campaign made once the orders after launch are in.
 *
 * Plan: the builder's audience with a name, a launch date (the day after the latest order by
 * default: the audience is taken on the day before launch), the share held out (a number and a
 * slider, 1–50%), strata (lifecycle stage, RFM segment or a member attribute), the readout
 * window and the salt of the split. The groups per stratum, the baseline conversion and the
 * minimum detectable effect are the engine's (`campaignAssign`); while only the share moves,
 * `campaignResize` recomputes them without reading the data. The treatment list (any export
 * format or a hashed ad list), the control list and the campaign file download as the Export
 * screen's files do.
 *
 * Readout: a campaign file over the orders loaded now (`campaignReadout`): the lift of
 * conversion and of revenue per member with their 95% intervals and p-values, the incremental
 * revenue, both groups' numbers, each stratum alone, how much of the window the data covers,
 * and revenue per member day by day since launch (one readout per day of the window) with the
 * lift's interval as a band.
 *
 * Every number shown carries its raw value in a `data-*` attribute; null values say why.
 */
import { h } from '../dom.js';
import { draw } from '../charts.js';
import { addDays, isDate } from '../dates.js';
import { columnGroups, columnPicker, defaultColumns } from '../columns.js';
import { save, safeName } from './export.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {import('../../index.js').Campaign} Campaign */
/** @typedef {import('../../index.js').CampaignSummary} CampaignSummary */
/** @typedef {import('../../index.js').CampaignReadout} CampaignReadout */
/** @typedef {import('../../index.js').CampaignGroup} CampaignGroup */
/** @typedef {import('../../index.js').Lift} Lift */
/** @typedef {import('../../index.js').RevenueLift} RevenueLift */
/** @typedef {import('../../index.js').ExportFormat} ExportFormat */
/** @typedef {import('../../index.js').AdPlatform} AdPlatform */
/** @typedef {ReturnType<typeof formats>} Formats */

/** The held-out share the controls take, in percent. */
const HOLDOUT_MIN = 1;
const HOLDOUT_MAX = 50;
/** The font of the element (ui.css), for texts ECharts measures. */
const FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
/** The arms in the order they are shown. */
const ARMS = /** @type {const} */ (['treatment', 'control']);
/** The numbers of a group, in the order of the tables. */
const GROUP_FIELDS = /** @type {const} */ (['members', 'converters', 'purchases', 'revenue', 'conversion', 'revenue_per_member']);

/** @param {Ctx} ctx */
export async function render(ctx) {
  const last = await latestOrder(ctx);
  const fmt = formats(ctx);
  /** @type {(() => Campaign | string) | null} the planned campaign, or why there is none */
  let planned = null;
  const plan = ctx.store.emptySegment ? emptyPlan(ctx) : planSection(ctx, last, fmt, (get) => { planned = get; });
  const readout = readoutSection(ctx, fmt, () => planned?.() ?? null);
  return h('div', { class: 'view-campaigns', 'data-last-order': last }, plan, readout);
}

/**
 * The date of the latest order (the analysis date without the option set), as the CLV screen.
 * @param {Ctx} ctx
 */
async function latestOrder(ctx) {
  const { asOf, ...rest } = ctx.store.options;
  return (await ctx.store.lab.lifecycle(asOf ? rest : ctx.store.options)).asOf;
}

/**
 * How the view writes its numbers: signed points, money, shares, p-values.
 * @param {Ctx} ctx
 */
function formats(ctx) {
  const { locale } = ctx.i18n;
  const { t } = ctx.i18n;
  const fixed = (/** @type {number} */ n, /** @type {number} */ d) => n.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const signed = (/** @type {number} */ n, /** @type {number} */ d) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${fixed(Math.abs(n), d)}`;
  return {
    fixed,
    /** A difference of shares in percentage points, signed: "+2.1". */
    points: (/** @type {number} */ x) => signed(x * 100, 1),
    /** Points without a sign: "1.8". */
    plainPoints: (/** @type {number} */ x) => fixed(x * 100, 1),
    /** Money with a sign. */
    money: (/** @type {number} */ x) => signed(x, 2),
    /** A relative change: "+15.2%". */
    relative: (/** @type {number} */ x) => `${signed(x * 100, 1)}%`,
    /** A share in percent with up to two decimals: "12.5%". */
    percent: (/** @type {number} */ pct) => `${pct.toLocaleString(locale, { maximumFractionDigits: 2 })}%`,
    /** A p-value in words. */
    p: (/** @type {number} */ x) => (x < 0.001 ? t('campaigns.pSmall') : t('campaigns.p', { p: x.toLocaleString(locale, { maximumSignificantDigits: 2 }) })),
  };
}

/** The salt made of a campaign's name and launch: `summer-sale-2025-07-01`. @param {string} name @param {string} launch */
function defaultSalt(name, launch) {
  return `${name.trim().toLowerCase().replace(/\s+/g, '-')}-${launch}`;
}

/**
 * The label of a stratum: a stage or segment by its label, a member attribute's value as it is.
 * @param {Ctx} ctx @param {string | null} stratify @param {string | null} value
 */
function stratumLabel(ctx, stratify, value) {
  const { t } = ctx.i18n;
  if (value === null) return stratify ? t('campaigns.noValue') : t('campaigns.whole');
  if (stratify === 'stage') return ctx.words.word('stages', value);
  if (stratify === 'segment') return ctx.words.segments(ctx.store.options.segmentMap).find((s) => s.id === value)?.text ?? value;
  return value;
}

/**
 * What the groups are balanced by, in words.
 * @param {Ctx} ctx @param {string} stratify
 */
function stratifyLabel(ctx, stratify) {
  if (stratify === 'stage' || stratify === 'segment') return ctx.words.word('columns', stratify);
  return ctx.store.memberFields.find((f) => f.id === stratify)?.name ?? stratify;
}

/**
 * The engine's reason of a null value in the element's language (its known sentences; any
 * other as it is).
 * @param {Ctx} ctx @param {string} reason
 */
function reasonText(ctx, reason) {
  const { t } = ctx.i18n;
  /** @type {Record<string, import('../i18n.js').Key>} */
  const known = {
    'no control member converted: no relative lift': 'campaigns.reason.noControlConverted',
    'every member of both groups converted, or none did: no variation, no test': 'campaigns.reason.noVariationConversion',
    "the control group's revenue per member is 0: no relative lift": 'campaigns.reason.noControlRevenue',
    "no member's revenue differs from its group's: no variation, no test": 'campaigns.reason.noVariationRevenue',
  };
  return reason.split('; ').map((part) => {
    const few = /^the (treatment|control) group has (\d+) members?: too few for a lift$/.exec(part);
    if (few) return t('campaigns.reason.tooFew', { group: t(few[1] === 'treatment' ? 'campaigns.arm.treatment' : 'campaigns.arm.control'), n: few[2] });
    return known[part] ? t(known[part]) : part;
  }).join(ctx.i18n.lang === 'zh' ? '；' : '; ');
}

/** A number attribute, left out when null. @param {number | null | undefined} v */
const raw = (v) => (v === null || v === undefined ? undefined : v);

/**
 * The plan without an audience: where to build one.
 * @param {Ctx} ctx
 */
function emptyPlan(ctx) {
  const { t } = ctx.i18n;
  const toBuilder = h('button', { type: 'button', class: 'primary', id: 'campaign-to-builder' }, t('builder.title'));
  toBuilder.addEventListener('click', () => ctx.go('builder'));
  return h('section', { class: 'card campaign-plan', id: 'campaign-plan' },
    h('h2', {}, t('campaigns.title')), h('p', { class: 'hint' }, t('campaigns.intro')),
    h('h3', {}, t('campaigns.plan')),
    h('p', { class: 'hint', id: 'campaign-empty' }, t('campaigns.empty')), h('div', { class: 'actions' }, toBuilder));
}

/**
 * Plan a campaign of the builder's audience: its fields, the live groups and MDE, downloads.
 * @param {Ctx} ctx @param {string} last the latest order @param {Formats} fmt
 * @param {(get: () => Campaign | string) => void} expose hands the readout the planned campaign
 */
function planSection(ctx, last, fmt, expose) {
  const { store, words } = ctx;
  const { t, num, date, pct } = ctx.i18n;
  const state = store.choices.campaigns;
  const maxLaunch = addDays(last, 1);
  const launchOf = () => (isDate(state.launch) ? state.launch : maxLaunch);
  const nameOf = () => state.name.trim() || store.segment.name;
  const saltOf = () => state.salt || defaultSalt(nameOf(), launchOf());

  // Strata: none, stage, segment, or a text attribute with one value per member (not a match key).
  const keys = words.vocab.matchKeys.map((k) => k.id);
  const attributes = store.memberFields.filter((f) => f.type === 'string' && !keys.includes(f.role ?? ''));
  const strata = ['', 'stage', 'segment', ...attributes.map((f) => f.id)];
  if (!strata.includes(state.stratify)) state.stratify = '';

  const name = h('input', { type: 'text', id: 'campaign-name', value: nameOf(), size: 24 });
  const launch = h('input', { type: 'date', id: 'campaign-launch', value: launchOf(), max: maxLaunch });
  const windowDays = h('input', { type: 'number', id: 'campaign-window', class: 'input-number', value: state.windowDays, min: 1, step: 1, inputmode: 'numeric' });
  const holdout = h('input', { type: 'number', id: 'campaign-holdout', class: 'input-number', value: state.holdout, min: HOLDOUT_MIN, max: HOLDOUT_MAX, step: 'any', inputmode: 'decimal' });
  const slider = h('input', { type: 'range', id: 'campaign-holdout-range', value: state.holdout, min: HOLDOUT_MIN, max: HOLDOUT_MAX, step: 0.5, 'aria-label': t('campaigns.holdoutRange') });
  const stratify = h('select', { id: 'campaign-stratify' },
    h('option', { value: '', selected: state.stratify === '' }, t('campaigns.noStrata')),
    ...['stage', 'segment'].map((id) => h('option', { value: id, selected: state.stratify === id }, words.word('columns', id))),
    attributes.length ? h('optgroup', { label: t('campaigns.memberColumns') },
      ...attributes.map((f) => h('option', { value: f.id, selected: state.stratify === f.id }, f.name))) : null);
  const salt = h('input', { type: 'text', id: 'campaign-salt', value: saltOf(), size: 28, spellcheck: false, title: t('campaigns.saltHint') });

  const audience = h('p', { id: 'campaign-audience' });
  /** The audience's date follows the launch; the salt shown the name and launch until the user writes one. */
  const followSalt = () => {
    audience.textContent = t('campaigns.audience', { name: store.segment.name, date: date(addDays(launchOf(), -1)) });
    salt.placeholder = defaultSalt(nameOf(), launchOf());
    if (!state.salt) salt.value = salt.placeholder;
  };
  followSalt();
  name.addEventListener('input', () => { state.name = name.value; followSalt(); schedule(); });
  launch.addEventListener('change', () => { state.launch = launch.value; followSalt(); schedule(); });
  windowDays.addEventListener('input', () => { state.windowDays = Number(windowDays.value); schedule(); });
  stratify.addEventListener('change', () => { state.stratify = stratify.value; schedule(); });
  salt.addEventListener('input', () => {
    state.salt = salt.value.trim() === defaultSalt(nameOf(), launchOf()) ? '' : salt.value.trim();
    schedule();
  });
  holdout.addEventListener('input', () => {
    state.holdout = holdout.value === '' ? NaN : Number(holdout.value);
    if (Number.isFinite(state.holdout)) slider.value = String(state.holdout);
    void resize();
  });
  slider.addEventListener('input', () => {
    state.holdout = Number(slider.value);
    holdout.value = slider.value;
    void resize();
  });

  const controls = h('form', { class: 'controls campaign-controls', id: 'campaign-controls' },
    h('label', {}, `${t('campaigns.name')} `, name),
    h('label', {}, `${t('campaigns.launch')} `, launch),
    h('label', {}, `${t('campaigns.window')} `, windowDays),
    h('span', { class: 'holdout' }, h('label', {}, `${t('campaigns.holdout')} `, holdout), slider),
    h('label', {}, `${t('campaigns.stratify')} `, stratify),
    h('label', {}, `${t('campaigns.salt')} `, salt));
  controls.addEventListener('submit', (ev) => ev.preventDefault());

  /** Why the fields make no campaign, or null. */
  const problem = () => {
    if (!(state.holdout >= HOLDOUT_MIN && state.holdout <= HOLDOUT_MAX)) return t('campaigns.badHoldout');
    if (!(Number.isInteger(state.windowDays) && state.windowDays >= 1)) return t('campaigns.badWindow');
    if (!isDate(launchOf()) || launchOf() > maxLaunch) return t('campaigns.badLaunch', { max: date(maxLaunch) });
    return null;
  };
  /** @returns {Campaign} the campaign of the fields, keys in SPEC §7's order */
  const campaign = () => ({
    version: 1,
    name: nameOf(),
    segment: { version: 1, name: store.segment.name, rule: store.segment.rule },
    launch: launchOf(),
    holdout: Math.round(state.holdout * 100) / 10000,
    salt: saltOf(),
    stratify: state.stratify || null,
    window_days: state.windowDays,
  });
  expose(() => problem() ?? campaign());
  /** The campaign but its share: a summary of the same key resizes. @param {Campaign} c */
  const keyOf = (c) => JSON.stringify({ ...c, holdout: 0 });

  const summaryBox = h('div', { class: 'campaign-summary', id: 'campaign-summary', 'data-state': 'loading', 'aria-live': 'polite' });
  /** @type {CampaignSummary | null} */
  let lastSummary = null;
  let lastKey = '';
  let generation = 0;
  let timer = 0;
  ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  /** @param {string} message */
  const showError = (message) => {
    summaryBox.dataset.state = 'error';
    summaryBox.removeAttribute('aria-busy');
    summaryBox.replaceChildren(h('p', { class: 'error', id: 'campaign-error', role: 'alert' }, message));
  };
  const busy = () => {
    summaryBox.dataset.state = 'loading';
    summaryBox.setAttribute('aria-busy', 'true');
  };

  /** Assigns again after a pause in typing. */
  function schedule() {
    clearTimeout(timer);
    generation++;
    busy();
    timer = window.setTimeout(() => void assign(), 250);
  }

  /** The groups of the campaign from the data (the latest request wins). */
  async function assign() {
    const gen = ++generation;
    const bad = problem();
    if (bad) return showError(bad);
    const c = campaign();
    busy();
    try {
      const s = await store.lab.campaignAssign(c, store.options);
      lastSummary = s;
      lastKey = keyOf(c);
      if (gen !== generation || ctx.signal.aborted) return;
      // The share moved while the data was read: resize to it.
      if (s.holdout !== campaign().holdout) return void resize();
      showSummary(s);
    } catch (e) {
      if (gen === generation && !ctx.signal.aborted) showError(/** @type {Error} */ (e).message ?? String(e));
    }
  }

  /** Another share of the campaign assigned last: no data read. */
  async function resize() {
    const bad = problem();
    if (bad) {
      generation++;
      return showError(bad);
    }
    const c = campaign();
    if (!lastSummary || keyOf(c) !== lastKey) return schedule();
    clearTimeout(timer);
    const gen = ++generation;
    try {
      const s = await store.lab.campaignResize(lastSummary, c.holdout);
      if (gen === generation && !ctx.signal.aborted) showSummary(s);
    } catch (e) {
      if (gen === generation && !ctx.signal.aborted) showError(/** @type {Error} */ (e).message ?? String(e));
    }
  }

  /** @param {CampaignSummary} s */
  function showSummary(s) {
    const share = fmt.percent(s.holdout * 100);
    const baseline = s.baseline_conversion === null ? '—' : pct(s.baseline_conversion);
    const sentence = s.mde !== null
      ? t('campaigns.mde', { share, control: num(s.control), mde: fmt.plainPoints(s.mde), baseline })
      : t('campaigns.noMde', { share, control: num(s.control), why: s.treatment && s.control ? t('campaigns.noMde.baseline', { baseline }) : t('campaigns.noMde.empty') });
    /** @type {[string, string, number | null, string][]} field, label, value, shown */
    const cards = [
      ['members', words.word('campaignWords', 'members'), s.members, num(s.members)],
      ['treatment', words.word('campaignArms', 'treatment'), s.treatment, num(s.treatment)],
      ['control', words.word('campaignArms', 'control'), s.control, num(s.control)],
      ['baseline_conversion', words.word('campaignWords', 'baseline_conversion'), s.baseline_conversion, baseline],
      ['mde', words.word('campaignWords', 'mde'), s.mde, s.mde === null ? '—' : t('campaigns.points', { value: fmt.plainPoints(s.mde) })],
    ];
    /** A number cell. @param {string} field @param {number | null} v @param {string} shown */
    const cell = (field, v, shown) => h('td', { class: 'num', 'data-field': field, 'data-value': raw(v) }, shown);
    /** @param {Pick<CampaignSummary, 'members' | 'treatment' | 'control' | 'baseline_conversion' | 'mde'>} x @param {number} converters */
    const numbers = (x, converters) => [
      cell('members', x.members, num(x.members)),
      cell('treatment', x.treatment, num(x.treatment)),
      cell('control', x.control, num(x.control)),
      cell('baseline_converters', converters, num(converters)),
      cell('baseline_conversion', x.baseline_conversion, x.baseline_conversion === null ? '—' : pct(x.baseline_conversion)),
      cell('mde', x.mde, x.mde === null ? '—' : fmt.plainPoints(x.mde)),
    ];
    const table = h('table', { class: 'segments campaign-strata', id: 'campaign-strata' },
      h('caption', {}, t('campaigns.strata')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, words.word('campaignWords', 'stratum')),
        ...[words.word('campaignWords', 'members'), words.word('campaignArms', 'treatment'), words.word('campaignArms', 'control'),
          t('campaigns.baselineConverters'), words.word('campaignWords', 'baseline_conversion'), `${words.word('campaignWords', 'mde')} (${t('campaigns.pointsUnit')})`]
          .map((x) => h('th', { scope: 'col', class: 'num' }, x)))),
      h('tbody', {}, ...s.strata.map((x) => h('tr', { 'data-stratum': x.stratum ?? '' },
        h('th', { scope: 'row' }, stratumLabel(ctx, s.stratify, x.stratum)),
        ...numbers(x, x.baseline_converters)))),
      s.strata.length > 1
        ? h('tfoot', {}, h('tr', { 'data-stratum': 'total' }, h('th', { scope: 'row' }, t('campaigns.total')),
          ...numbers(s, s.strata.reduce((a, x) => a + x.baseline_converters, 0))))
        : null);
    summaryBox.removeAttribute('aria-busy');
    Object.assign(summaryBox.dataset, {
      state: 'ready', name: s.campaign, launch: s.launch, holdout: String(s.holdout), stratify: s.stratify ?? '', windowDays: String(s.window_days),
    });
    summaryBox.replaceChildren(
      h('p', { class: 'campaign-mde', id: 'campaign-mde', 'data-mde': raw(s.mde), 'data-control': s.control, 'data-holdout': s.holdout }, sentence),
      h('p', { class: 'hint' }, t('campaigns.mdeHint', { days: num(s.window_days), from: date(s.baseline_from), to: date(addDays(s.launch, -1)) })),
      h('div', { class: 'kpis campaign-cards', id: 'campaign-cards' }, ...cards.map(([field, label, value, shown]) =>
        h('div', { class: 'kpi', 'data-field': field, 'data-value': raw(value) }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, shown)))),
      h('div', { class: 'scroll' }, table),
      s.strata.some((x) => x.mde === null) ? h('p', { class: 'hint' }, t('campaigns.mdeDash')) : '');
  }

  assign();
  return h('section', { class: 'card campaign-plan', id: 'campaign-plan' },
    h('h2', {}, t('campaigns.title')),
    h('p', { class: 'hint' }, t('campaigns.intro')),
    h('h3', {}, t('campaigns.plan')),
    audience,
    controls,
    h('p', { class: 'hint' }, t('campaigns.launchHint', { date: date(last) }), ' ', t('campaigns.saltHint')),
    summaryBox,
    downloads(ctx, () => problem() ?? campaign()));
}

/**
 * The downloads of a planned campaign: the treatment list (a format with columns, or an ad
 * list), the control list, the campaign file.
 * @param {Ctx} ctx @param {() => Campaign | string} current the campaign, or why there is none
 */
function downloads(ctx, current) {
  const { store, words } = ctx;
  const { t, num } = ctx.i18n;
  const state = store.choices.campaigns;
  const as = h('select', { id: 'campaign-treatment-format' },
    h('optgroup', { label: t('campaigns.files') }, ...words.list('exportFormats').map((f) => h('option', { value: f.id, selected: state.treatment === f.id }, f.text))),
    h('optgroup', { label: t('campaigns.adLists') }, ...words.list('adProfiles').map((p) => h('option', { value: `ads:${p.id}`, selected: state.treatment === `ads:${p.id}` }, p.text))));
  const country = h('input', { type: 'text', id: 'campaign-country', value: store.choices.export.country, size: 4 });
  const countryLabel = h('label', {}, `${t('campaigns.country')} `, country);
  const chosen = state.columns ?? defaultColumns(store);
  const columns = columnPicker('campaign-columns', t('campaigns.columns'), columnGroups(store, words, t), chosen, (next) => { state.columns = next; }, false);
  const columnBox = h('details', { class: 'campaign-columns' }, h('summary', {}, t('campaigns.columns')), columns);
  const sync = () => {
    const ads = state.treatment.startsWith('ads:');
    countryLabel.hidden = !ads;
    columnBox.hidden = ads;
  };
  sync();
  as.addEventListener('change', () => { state.treatment = as.value; sync(); });
  country.addEventListener('change', () => { store.choices.export.country = country.value.trim() || 'CN'; });

  const status = h('p', { class: 'hint', id: 'campaign-status', 'aria-live': 'polite' });
  const treatment = h('button', { type: 'button', class: 'primary', id: 'campaign-download-treatment' }, t('campaigns.downloadTreatment'));
  const control = h('button', { type: 'button', id: 'campaign-download-control' }, t('campaigns.downloadControl'));
  const file = h('button', { type: 'button', id: 'campaign-download-file' }, t('campaigns.downloadFile'));

  /** Runs a download with the button disabled; the engine's error shows as the element's. @param {HTMLButtonElement} b @param {(c: Campaign) => Promise<void>} run */
  const guard = (b, run) => b.addEventListener('click', async () => {
    const c = current();
    if (typeof c === 'string') return ctx.fail(new Error(c));
    b.disabled = true;
    status.textContent = t('common.loading');
    try {
      await run(c);
    } catch (e) {
      status.textContent = '';
      ctx.fail(e);
    } finally {
      b.disabled = false;
    }
  });
  /** @param {Campaign} c @param {'treatment' | 'control'} arm @param {import('../../index.js').ExportResult} r @param {string} format */
  const saved = (c, arm, r, format) => {
    const filename = safeName(r.filename);
    save(r.blob, filename);
    status.textContent = t('campaigns.saved', { file: filename, rows: num(r.rows) });
    Object.assign(status.dataset, { rows: String(r.rows), arm, file: filename });
    ctx.host.dispatchEvent(new CustomEvent('export', { detail: { format, filename, bytes: r.size, rows: r.rows, segment: c.segment, campaign: c.name, arm }, bubbles: true, composed: true }));
  };
  guard(treatment, async (c) => {
    const ads = state.treatment.startsWith('ads:');
    const opts = ads
      ? { profile: /** @type {AdPlatform} */ (state.treatment.slice(4)), defaultCountry: store.choices.export.country }
      : { format: /** @type {ExportFormat} */ (state.treatment), columns: [...columns.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value) };
    const r = await store.lab.campaignExport(c, { ...store.options, ...opts, arm: 'treatment' });
    saved(c, 'treatment', r, ads ? state.treatment.slice(4) : state.treatment);
  });
  guard(control, async (c) => {
    saved(c, 'control', await store.lab.campaignExport(c, { ...store.options, arm: 'control' }), 'csv');
  });
  guard(file, async (c) => {
    const blob = await store.lab.campaignFile(c);
    const filename = safeName(/** @type {File} */ (blob).name ?? `${c.name}.campaign.json`);
    save(blob, filename);
    status.textContent = t('campaigns.savedFile', { file: filename });
    Object.assign(status.dataset, { rows: '', arm: '', file: filename });
  });

  return h('section', { class: 'campaign-downloads', id: 'campaign-downloads' },
    h('h3', {}, t('campaigns.downloads')),
    h('p', { class: 'hint' }, t('campaigns.downloadHint')),
    h('div', { class: 'controls' }, h('label', {}, `${t('campaigns.treatmentAs')} `, as), countryLabel),
    columnBox,
    h('div', { class: 'actions' }, treatment, control, file),
    status);
}

/**
 * Read out a campaign file over the orders loaded now.
 * @param {Ctx} ctx @param {Formats} fmt @param {() => Campaign | string | null} planned the campaign planned above
 */
function readoutSection(ctx, fmt, planned) {
  const { store } = ctx;
  const { t } = ctx.i18n;
  const state = store.choices.campaigns;
  const input = h('input', { type: 'file', id: 'campaign-file', accept: '.json,application/json', class: 'visually-hidden' });
  const pick = h('label', { class: 'button', for: 'campaign-file', tabindex: 0, role: 'button' }, t('campaigns.open'));
  pick.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); input.click(); } });
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    state.readout = await f.text();
    void run();
  });
  const usePlan = h('button', { type: 'button', id: 'campaign-use-plan' }, t('campaigns.usePlan'));
  usePlan.addEventListener('click', () => {
    const c = planned();
    if (c === null) return;
    if (typeof c === 'string') return ctx.fail(new Error(c));
    state.readout = JSON.stringify(c, null, 2);
    void run();
  });
  const toLoad = h('button', { type: 'button', class: 'link', id: 'campaign-to-load' }, t('campaigns.toLoad'));
  toLoad.addEventListener('click', () => ctx.go('load'));
  const results = h('div', { class: 'campaign-readout-results', id: 'campaign-readout-results', 'data-state': 'none' });

  let generation = 0;
  let drawn = new AbortController();
  ctx.signal.addEventListener('abort', () => drawn.abort(), { once: true });

  /** Reads out the campaign text held (the latest request wins). */
  async function run() {
    const gen = ++generation;
    const text = state.readout;
    drawn.abort();
    drawn = new AbortController();
    const signal = drawn.signal;
    /** @type {Campaign} */
    let campaign;
    try {
      campaign = JSON.parse(text);
      if (typeof campaign !== 'object' || campaign === null || Array.isArray(campaign)) throw new Error('{…}');
    } catch (e) {
      results.dataset.state = 'error';
      results.replaceChildren(h('p', { class: 'error', id: 'campaign-readout-error', role: 'alert' }, t('campaigns.badFile', { message: /** @type {Error} */ (e).message })));
      return;
    }
    results.dataset.state = 'loading';
    results.setAttribute('aria-busy', 'true');
    const answer = await store.lab.campaignReadout(text, store.options).catch((/** @type {Error} */ e) => e.message ?? String(e));
    if (gen !== generation || ctx.signal.aborted) return;
    results.removeAttribute('aria-busy');
    if (typeof answer === 'string') {
      results.dataset.state = 'error';
      results.replaceChildren(h('p', { class: 'error', id: 'campaign-readout-error', role: 'alert' }, answer));
      return;
    }
    results.dataset.state = 'ready';
    results.dataset.campaign = answer.campaign;
    results.dataset.windowDays = String(answer.window_days);
    results.replaceChildren(...showReadout(ctx, fmt, campaign, answer, signal));
  }

  if (state.readout) void run();
  return h('section', { class: 'card campaign-readout', id: 'campaign-readout' },
    h('h2', {}, t('campaigns.readout')),
    h('p', { class: 'hint' }, t('campaigns.readoutHint'), ' ', toLoad),
    h('div', { class: 'actions' }, input, pick, planned() !== null ? usePlan : null),
    results);
}

/**
 * A readout: the window, the lift cards, both groups, the strata, the day-by-day chart.
 * @param {Ctx} ctx @param {Formats} fmt @param {Campaign} campaign @param {CampaignReadout} r @param {AbortSignal} signal
 * @returns {HTMLElement[]}
 */
function showReadout(ctx, fmt, campaign, r, signal) {
  const { words } = ctx;
  const { t, num, date, pct, money } = ctx.i18n;
  const stratify = typeof campaign.stratify === 'string' ? campaign.stratify : null;
  const share = typeof campaign.holdout === 'number' ? fmt.percent(campaign.holdout * 100) : '—';
  const about = h('p', { id: 'campaign-readout-of' },
    t('campaigns.readoutOf', { name: r.campaign, share, launch: date(r.launch), from: date(r.launch), to: date(r.window_end), days: num(r.window_days) }),
    stratify ? ` ${t('campaigns.strataBy', { what: stratifyLabel(ctx, stratify) })}` : '');
  const observed = h('p', {
    id: 'campaign-observed', class: r.complete ? 'muted' : 'warning-box',
    'data-observed': r.observed_days, 'data-window': r.window_days, 'data-complete': String(r.complete),
  }, r.complete ? t('campaigns.complete', { days: num(r.window_days) })
    : r.observed_days > 0 ? t('campaigns.observed', { observed: num(r.observed_days), days: num(r.window_days) })
      : t('campaigns.notStarted', { launch: date(r.launch) }));

  const o = r.overall;
  const conv = o.conversion_lift;
  const rev = o.revenue_lift;
  /** The raw values of a lift as attributes. @param {Lift} l */
  const liftData = (l) => ({ 'data-diff': raw(l.diff), 'data-low': raw(l.low), 'data-high': raw(l.high), 'data-p-value': raw(l.p_value), 'data-relative': raw(l.relative) });
  /** Above, below or around zero. @param {Lift} l */
  const verdict = (l) => {
    if (l.low === null || l.high === null || l.p_value === null) return null;
    const [cls, key] = l.low > 0 ? ['up', 'campaigns.verdict.up'] : l.high < 0 ? ['down', 'campaigns.verdict.down'] : ['none', 'campaigns.verdict.none'];
    return h('p', { class: `verdict ${cls}` }, t(/** @type {import('../i18n.js').Key} */ (key)));
  };
  /** A lift card. @param {string} id @param {string} label @param {Record<string, number | undefined>} data @param {(string | HTMLElement | null)[]} lines */
  const card = (id, label, data, lines) => h('div', { class: 'lift-card', 'data-lift': id, ...data },
    h('div', { class: 'kpi-label' }, label), ...lines.filter((x) => x !== null).map((x) => (typeof x === 'string' ? h('div', {}, x) : x)));
  /** @param {Lift} l */
  const extra = (l) => [l.p_value === null ? null : fmt.p(l.p_value), l.relative === null ? null : `${words.word('campaignWords', 'relative')} ${fmt.relative(l.relative)}`].filter(Boolean).join(' · ');
  /** @param {Lift} l */
  const why = (l) => (l.reason ? h('p', { class: 'reason' }, reasonText(ctx, l.reason)) : null);
  const rate = (/** @type {number | null} */ x) => (x === null ? '—' : pct(x));
  const perMember = (/** @type {number | null} */ x) => (x === null ? '—' : money(x));

  const cards = h('div', { class: 'lift-cards', id: 'campaign-lifts' },
    card('conversion', words.word('campaignWords', 'conversion_lift'), liftData(conv), conv.diff === null ? [why(conv)] : [
      h('div', { class: 'lift-value' }, t('campaigns.points', { value: fmt.points(conv.diff) })),
      t('campaigns.interval', { low: fmt.points(/** @type {number} */ (conv.low)), high: fmt.points(/** @type {number} */ (conv.high)) }),
      h('div', { class: 'muted' }, t('campaigns.against', { treatment: rate(o.treatment.conversion), control: rate(o.control.conversion) })),
      extra(conv) || null, verdict(conv), why(conv)]),
    card('revenue', words.word('campaignWords', 'revenue_lift'), liftData(rev), rev.diff === null ? [why(rev)] : [
      h('div', { class: 'lift-value' }, t('campaigns.perMember', { value: fmt.money(rev.diff) })),
      t('campaigns.interval', { low: fmt.money(/** @type {number} */ (rev.low)), high: fmt.money(/** @type {number} */ (rev.high)) }),
      h('div', { class: 'muted' }, t('campaigns.against', { treatment: perMember(o.treatment.revenue_per_member), control: perMember(o.control.revenue_per_member) })),
      extra(rev) || null, verdict(rev), why(rev)]),
    card('incremental', words.word('campaignWords', 'incremental'),
      { 'data-incremental': raw(rev.incremental), 'data-low': raw(rev.incremental_low), 'data-high': raw(rev.incremental_high) },
      rev.incremental === null ? [why(rev)] : [
        h('div', { class: 'lift-value' }, fmt.money(rev.incremental)),
        t('campaigns.interval', { low: fmt.money(/** @type {number} */ (rev.incremental_low)), high: fmt.money(/** @type {number} */ (rev.incremental_high)) }),
        h('div', { class: 'muted' }, `${words.word('campaignWords', 'revenue_lift')} × ${num(o.treatment.members)}`)]));

  /** A group's number as shown. @param {typeof GROUP_FIELDS[number]} field @param {number | null} v */
  const shown = (field, v) => (v === null ? '—' : field === 'conversion' ? pct(v) : field === 'revenue' || field === 'revenue_per_member' ? money(v) : num(v));
  const groups = h('table', { class: 'segments campaign-groups', id: 'campaign-groups' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('campaigns.group')),
      ...GROUP_FIELDS.map((f) => h('th', { scope: 'col', class: 'num' }, words.word('campaignWords', f))))),
    h('tbody', {}, ...ARMS.map((arm) => h('tr', { 'data-arm': arm },
      h('th', { scope: 'row' }, words.word('campaignArms', arm)),
      ...GROUP_FIELDS.map((f) => h('td', { class: 'num', 'data-field': f, 'data-value': raw(o[arm][f]) }, shown(f, o[arm][f])))))));

  /** @type {HTMLElement[]} */
  const parts = [about, observed, cards, h('div', { class: 'scroll' }, groups)];
  if (r.strata.length) parts.push(strataTable(ctx, fmt, stratify, r, shown));
  parts.push(cumulative(ctx, fmt, r, signal));
  return parts;
}

/**
 * Each stratum alone: both groups' members, conversion and revenue per member, and the lifts.
 * @param {Ctx} ctx @param {Formats} fmt @param {string | null} stratify @param {CampaignReadout} r
 * @param {(field: typeof GROUP_FIELDS[number], v: number | null) => string} shown
 */
function strataTable(ctx, fmt, stratify, r, shown) {
  const { words } = ctx;
  const { t } = ctx.i18n;
  const fields = /** @type {const} */ (['members', 'conversion', 'revenue_per_member']);
  /** A lift cell: the difference and its interval, or why there is none. @param {'conversion' | 'revenue'} id @param {Lift} l @param {(x: number) => string} f */
  const liftCell = (id, l, f) => h('td', { class: `num lift${l.diff === null ? ' reason' : ''}`, 'data-lift': id, 'data-field': 'diff', 'data-value': raw(l.diff), 'data-low': raw(l.low), 'data-high': raw(l.high), title: l.reason ? reasonText(ctx, l.reason) : undefined },
    l.diff === null ? reasonText(ctx, l.reason ?? '') : t('campaigns.liftInterval', { diff: f(l.diff), low: f(/** @type {number} */ (l.low)), high: f(/** @type {number} */ (l.high)) }));
  /** @param {'conversion' | 'revenue'} id @param {Lift} l */
  const pCell = (id, l) => h('td', { class: 'num', 'data-lift': id, 'data-field': 'p_value', 'data-value': raw(l.p_value), 'data-relative': raw(l.relative) },
    l.p_value === null ? '—' : l.p_value < 0.001 ? '< 0.001' : l.p_value.toLocaleString(ctx.i18n.locale, { maximumSignificantDigits: 2 }));
  const pLabel = words.word('campaignWords', 'p_value');
  return h('figure', { class: 'campaign-strata-readout' },
    h('figcaption', {}, t('campaigns.strataReadout')),
    h('div', { class: 'scroll' }, h('table', { class: 'segments campaign-strata-table', id: 'campaign-readout-strata' },
      h('thead', {},
        h('tr', {},
          h('th', { scope: 'col', rowspan: 2 }, words.word('campaignWords', 'stratum')),
          ...ARMS.map((arm) => h('th', { scope: 'colgroup', colspan: fields.length, class: `span arm-${arm}` }, words.word('campaignArms', arm))),
          h('th', { scope: 'colgroup', colspan: 2, class: 'span' }, words.word('campaignWords', 'conversion_lift')),
          h('th', { scope: 'colgroup', colspan: 3, class: 'span' }, words.word('campaignWords', 'revenue_lift'))),
        h('tr', {},
          ...ARMS.flatMap(() => fields.map((f) => h('th', { scope: 'col', class: 'num' }, words.word('campaignWords', f)))),
          h('th', { scope: 'col', class: 'num' }, `${words.word('campaignWords', 'diff')} (95%)`), h('th', { scope: 'col', class: 'num' }, pLabel),
          h('th', { scope: 'col', class: 'num' }, `${words.word('campaignWords', 'diff')} (95%)`), h('th', { scope: 'col', class: 'num' }, pLabel),
          h('th', { scope: 'col', class: 'num' }, words.word('campaignWords', 'incremental')))),
      h('tbody', {}, ...r.strata.map((s) => h('tr', { 'data-stratum': s.stratum ?? '' },
        h('th', { scope: 'row' }, stratumLabel(ctx, stratify, s.stratum)),
        ...ARMS.flatMap((arm) => fields.map((f) => h('td', { class: 'num', 'data-arm': arm, 'data-field': f, 'data-value': raw(s[arm][f]) }, shown(f, s[arm][f])))),
        liftCell('conversion', s.conversion_lift, fmt.points), pCell('conversion', s.conversion_lift),
        liftCell('revenue', s.revenue_lift, fmt.money), pCell('revenue', s.revenue_lift),
        h('td', { class: 'num', 'data-lift': 'revenue', 'data-field': 'incremental', 'data-value': raw(s.revenue_lift.incremental) },
          s.revenue_lift.incremental === null ? '—' : fmt.money(s.revenue_lift.incremental))))))));
}

/**
 * Revenue per member of both groups day by day since launch (cumulative over [launch,
 * launch + d)), and the lift with its 95% interval as a band: the readout's `daily` series,
 * every day observed.
 * @param {Ctx} ctx @param {Formats} fmt @param {CampaignReadout} r @param {AbortSignal} signal
 */
function cumulative(ctx, fmt, r, signal) {
  const { words } = ctx;
  const { t, num, money } = ctx.i18n;
  const title = t('campaigns.cumulative');
  const chart = h('div', { class: 'chart campaign-chart', id: 'chart-campaign', role: 'img', 'aria-label': title });
  const progress = h('p', { class: 'hint', 'aria-live': 'polite' });
  const figure = h('figure', { class: 'campaign-cumulative', id: 'campaign-cumulative', 'data-state': 'loading' }, h('figcaption', {}, title), progress, chart);
  if (r.daily.length < 1) {
    figure.hidden = true;
    figure.dataset.state = 'none';
    return figure;
  }
  queueMicrotask(async () => {
    const points = r.daily.map((x) => ({
      day: x.day,
      treatment: x.treatment_revenue_per_member,
      control: x.control_revenue_per_member,
      treatmentBand: x.treatment_revenue_interval,
      controlBand: x.control_revenue_interval,
      diff: x.revenue_lift.diff,
      low: x.revenue_lift.low,
      high: x.revenue_lift.high,
    }));
    if (signal.aborted) return;
    progress.textContent = '';
    progress.hidden = true;
    figure.dataset.points = JSON.stringify(points);
    const arm = (/** @type {'treatment' | 'control'} */ a) => words.word('campaignArms', a);
    const liftName = words.word('campaignWords', 'revenue_lift');
    const band = `${liftName} 95%`;
    const v = (/** @type {number | null} */ x) => (x === null ? '-' : Number(x.toFixed(4)));
    const showSymbol = points.length <= 31;
    await draw(chart, (p) => ({
      // The legend measures its texts in the font it draws them with (not `inherit`).
      legend: { top: 0, itemGap: 18, data: [arm('treatment'), arm('control'), liftName], textStyle: { fontFamily: FONT } },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      // Room above the first panel for a legend on two lines (a phone); the caption names its values.
      grid: [{ left: 64, right: 16, top: 60, height: '31%' }, { left: 64, right: 16, top: '62%', bottom: 44 }],
      tooltip: {
        trigger: 'axis', renderMode: 'richText',
        formatter: (/** @type {any} */ ps) => {
          const x = points[(Array.isArray(ps) ? ps[0] : ps).dataIndex];
          if (!x) return '';
          const m = (/** @type {number | null} */ y) => (y === null ? '—' : money(y));
          const lift = x.diff === null ? '—' : t('campaigns.liftInterval', { diff: fmt.money(x.diff), low: fmt.money(/** @type {number} */ (x.low)), high: fmt.money(/** @type {number} */ (x.high)) });
          const within = (/** @type {number[] | null} */ i) => (i ? ` (95% ${money(i[0])} – ${money(i[1])})` : '');
          return [t('campaigns.dayN', { n: num(x.day) }), `${arm('treatment')}: ${m(x.treatment)}${within(x.treatmentBand)}`, `${arm('control')}: ${m(x.control)}${within(x.controlBand)}`, `${liftName}: ${lift}`].join('\n');
        },
      },
      xAxis: [
        { type: 'category', gridIndex: 0, data: points.map((x) => x.day), boundaryGap: false, axisLabel: { show: false } },
        { type: 'category', gridIndex: 1, data: points.map((x) => x.day), boundaryGap: false, name: t('campaigns.day'), nameLocation: 'middle', nameGap: 28, axisLabel: { hideOverlap: true } },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0 },
        { type: 'value', gridIndex: 1, name: t('campaigns.cumulativeLift'), nameTextStyle: { align: 'left' } },
      ],
      series: [
        { name: arm('treatment'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: points.map((x) => v(x.treatment)), showSymbol, lineStyle: { width: 2.5 }, itemStyle: { color: p.accent } },
        { name: arm('control'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: points.map((x) => v(x.control)), showSymbol, lineStyle: { type: 'dashed' }, itemStyle: { color: p.series[1] } },
        // Each group's 95% interval as a band around its line (low end invisible, then the width).
        ...(/** @type {const} */ ([['treatmentBand', p.accent], ['controlBand', p.series[1]]])).flatMap(([key, color]) => [
          { name: `${key}-low`, type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: points.map((x) => v(x[key]?.[0] ?? null)), stack: key, stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
          { name: `${key}-width`, type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: points.map((x) => (x[key] ? v(x[key][1] - x[key][0]) : '-')), stack: key, stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color, opacity: 0.15 }, silent: true, tooltip: { show: false } },
        ]),
        // The band: the low end (invisible), then the width above it, stacked (across zero).
        { name: band, type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: points.map((x) => v(x.low)), stack: 'band', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
        { name: band, type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: points.map((x) => (x.low === null || x.high === null ? '-' : v(x.high - x.low))), stack: 'band', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: p.series[2], opacity: 0.2 }, silent: true },
        {
          name: liftName, type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: points.map((x) => v(x.diff)), showSymbol, itemStyle: { color: p.series[2] },
          markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: p.muted, type: 'solid', width: 1 }, data: [{ yAxis: 0 }] },
        },
      ],
    }), signal);
    if (!signal.aborted) figure.dataset.state = 'ready';
  });
  return figure;
}
