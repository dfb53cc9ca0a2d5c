// @ts-check
/**
 * CLV: predicted churn and customer lifetime value. The model (BG/NBD or MBG/NBD), the end of
 * the calibration period (the latest order, the last 90 or 180 days held out, or a date), the
 * time unit, the CLV horizon and the monthly discount; then the summary (customers, repeat
 * customers, mean P(alive), expected purchases in the next 90 days, total CLV), the fitted
 * parameters, members by P(alive), and, when purchases after the calibration end are held out,
 * the forecast check: lifetimes' calibration/holdout plot (mean purchases in the holdout by
 * repeat purchases in calibration, actual against both models) with its table and a sentence
 * reading it. The controls keep their place and focus; only the results are redrawn.
 */
import { h } from '../dom.js';
import { draw } from '../charts.js';
import { addDays, daysBetween, isDate } from '../dates.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {import('../../index.js').ClvResult} ClvResult */
/** @typedef {import('../../index.js').HoldoutCheck} HoldoutCheck */
/** @typedef {import('../store.js').Choices['clv']} ClvChoices */

/** The held-out presets: days before the latest order. */
const HOLDOUTS = /** @type {const} */ ({ holdout90: 90, holdout180: 180 });
/** The rows of the forecast check: repeat purchases in calibration 0 to 6, then 7 or more. */
const LAST_FREQUENCY = 7;
/** The preset the "at risk" button opens (src/vocabulary/presets.json). */
const AT_RISK = 'high_value_at_risk';

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store } = ctx;
  const { t, date } = ctx.i18n;
  const state = store.choices.clv;
  const last = await latestOrder(ctx);

  // The calibration end: presets as one radio group, the date in use always shown (editing it
  // picks "custom"), as the Movement screen's period.
  const endInput = h('input', { type: 'date', id: 'clv-end', value: calibrationEnd(state, last), max: last });
  const calibration = h('fieldset', { class: 'segmented', id: 'clv-calibration' }, h('legend', {}, t('clv.calibration')),
    ...store.rules.clv.calibration.map((c) => {
      const radio = h('input', { type: 'radio', name: 'clv-calibration', value: c, checked: state.calibration === c });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        if (c === 'custom') state.end = endInput.value;
        state.calibration = c;
        update();
      });
      return h('label', {}, radio, h('span', {}, t(/** @type {any} */ (`clv.${c}`))));
    }));
  endInput.addEventListener('change', () => {
    if (!isDate(endInput.value)) return;
    Object.assign(state, { calibration: 'custom', end: endInput.value });
    const custom = /** @type {HTMLInputElement | null} */ (calibration.querySelector('input[value="custom"]'));
    if (custom) custom.checked = true;
    update();
  });
  /** A select of the view's choices. @param {'model' | 'unit'} name @param {{ id: string, text: string }[]} items */
  const select = (name, items) => {
    const s = h('select', { id: `clv-${name}` }, ...items.map((v) => h('option', { value: v.id, selected: state[name] === v.id }, v.text)));
    s.addEventListener('change', () => {
      /** @type {Record<string, unknown>} */ (state)[name] = s.value;
      update();
    });
    return s;
  };
  // Short names in the select, what tells them apart in each option's title.
  const model = select('model', store.rules.clv.model.map((m) => ({ id: m, text: t(/** @type {any} */ (`clv.name.${m}`)) })));
  for (const o of model.options) o.title = t(/** @type {any} */ (`clv.model.${o.value}`));
  const unit = select('unit', store.rules.clv.unit.map((u) => ({ id: u, text: t(/** @type {any} */ (`clv.unit.${u}`)) })));
  /** A number of the view's choices, taken when it is one. @param {'horizonDays' | 'discount'} name @param {string} step @param {string} min */
  const number = (name, step, min) => {
    const input = h('input', { type: 'number', id: `clv-${name}`, class: 'input-number', value: state[name], step, min, inputmode: 'decimal' });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (input.value === '' || !Number.isFinite(v)) return;
      state[name] = v;
      update();
    });
    return input;
  };
  const controls = h('form', { class: 'controls clv-controls', id: 'clv-controls' },
    calibration,
    h('label', {}, `${t('clv.end')} `, endInput),
    h('label', {}, `${t('clv.model')} `, model),
    h('label', {}, `${t('clv.unit')} `, unit),
    h('label', {}, `${t('clv.horizon')} `, number('horizonDays', '1', '1')),
    h('label', {}, `${t('clv.discount')} `, number('discount', '0.005', '0')));
  controls.addEventListener('submit', (ev) => ev.preventDefault());
  const results = h('div', { class: 'clv-results', id: 'clv-results' });
  const view = h('section', { class: 'card view-clv', 'data-last-order': last },
    h('div', { class: 'title-row' }, h('h2', {}, t('clv.title')), h('span', { class: 'muted' }, t('clv.lastOrder', { date: date(last) }))),
    controls, results);

  let generation = 0;
  /** Aborts the charts of the results shown (their listeners and ECharts instances). */
  let drawn = new AbortController();
  ctx.signal.addEventListener('abort', () => drawn.abort(), { once: true });

  /** Refits after a choice changed; a failure of the view's own is the element's error. */
  function update() {
    refresh().catch(ctx.fail);
  }

  /** Fits with the choices and shows the results (the latest request wins). */
  async function refresh() {
    const gen = ++generation;
    const end = calibrationEnd(state, last);
    endInput.value = end;
    const opts = clvOptions(state, last);
    Object.assign(results.dataset, { state: 'loading', calibrationEnd: state.calibration === 'latest' ? '' : end, model: state.model, unit: state.unit });
    results.setAttribute('aria-busy', 'true');
    const answer = typeof opts === 'string'
      ? opts
      : await store.lab.clv(opts).catch((/** @type {Error} */ e) => e.message ?? String(e));
    if (gen !== generation || ctx.signal.aborted) return;
    drawn.abort();
    drawn = new AbortController();
    results.removeAttribute('aria-busy');
    if (typeof answer === 'string') {
      results.dataset.state = 'error';
      results.replaceChildren(h('p', { class: 'error', id: 'clv-error', role: 'alert' }, answer));
      return;
    }
    results.dataset.state = 'ready';
    results.replaceChildren(...showResult(ctx, answer, last, drawn.signal));
  }

  /**
   * The options of the engine's `clv`, or why there are none: a date after the latest order,
   * a horizon or discount it would refuse.
   * @param {ClvChoices} s @param {string} latest
   * @returns {import('../../index.js').ClvOptions | string}
   */
  function clvOptions(s, latest) {
    const end = calibrationEnd(s, latest);
    if (!isDate(end) || end > latest) return t('clv.badEnd', { last: date(latest) });
    if (!(s.horizonDays >= 1) || !(s.discount >= 0)) return t('clv.badNumbers');
    return {
      model: s.model, unit: s.unit, horizonDays: s.horizonDays, discount: s.discount,
      // The latest order is the engine's default: no date, so the summary says the same.
      ...(s.calibration === 'latest' ? {} : { calibrationEnd: end }),
    };
  }

  update();
  return view;
}

/**
 * The date of the latest order: the analysis date when none is set (the engine's default,
 * the very call the Movement screen makes), else the latest order asked for without it.
 * @param {Ctx} ctx
 */
async function latestOrder(ctx) {
  const { asOf, ...rest } = ctx.store.options;
  return (await ctx.store.lab.lifecycle(asOf ? rest : ctx.store.options)).asOf;
}

/**
 * The calibration end the choices say.
 * @param {ClvChoices} s @param {string} last the latest order
 */
function calibrationEnd(s, last) {
  if (s.calibration === 'custom') return isDate(s.end) ? s.end : last;
  if (s.calibration === 'latest') return last;
  return addDays(last, -HOLDOUTS[s.calibration]);
}

/**
 * The summary, the parameters, the P(alive) chart and the forecast check of a fit.
 * @param {Ctx} ctx @param {ClvResult} r @param {string} last the latest order @param {AbortSignal} signal of these charts
 * @returns {HTMLElement[]}
 */
function showResult(ctx, r, last, signal) {
  const { store, words } = ctx;
  const { t, num, money, pct, date } = ctx.i18n;
  const fixed = (/** @type {number} */ n, /** @type {number} */ d) => n.toLocaleString(ctx.i18n.locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const modelName = t(/** @type {any} */ (`clv.name.${r.model}`));
  /** @type {[string, string, number, string][]} id, label, value, shown */
  const cards = [
    ['customers', t('clv.customers'), r.customers, num(r.customers)],
    ['repeatCustomers', t('clv.repeatCustomers'), r.repeatCustomers, num(r.repeatCustomers)],
    ['meanPAlive', t('clv.meanPAlive'), r.meanPAlive, pct(r.meanPAlive)],
    ['expectedPurchases90d', t('clv.expected90'), r.expectedPurchases90d, fixed(r.expectedPurchases90d, 1)],
    ['totalClv', t('clv.totalClv', { days: num(r.horizonDays) }), r.totalClv, money(r.totalClv)],
  ];
  const summary = h('div', { class: 'kpis clv-cards', id: 'clv-summary' }, ...cards.map(([id, label, value, shown]) =>
    h('div', { class: 'kpi', 'data-clv': id, 'data-value': value }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, shown))));

  // The preset of members worth saving (rule metrics: BG/NBD as of the analysis date).
  const preset = store.vocab.presets.find((p) => p.id === AT_RISK);
  /** @type {HTMLElement | string} */
  let atRisk = '';
  if (preset) {
    const open = h('button', { type: 'button', class: 'primary', id: 'clv-at-risk', title: words.text(preset.description) }, t('clv.atRisk'));
    open.addEventListener('click', () => {
      store.setSegment({ ...structuredClone(/** @type {import('../store.js').SegmentDoc} */ (preset.segment)), name: words.text(preset.label) });
      ctx.go('builder');
    });
    atRisk = h('div', { class: 'actions' }, open, h('span', { class: 'hint' }, t('clv.atRiskHint', { preset: words.text(preset.label) })));
  }

  const basis = h('p', { class: 'muted', id: 'clv-basis' }, t('clv.basis', {
    end: date(r.calibrationEnd), model: modelName, unit: t(/** @type {any} */ (`clv.unit.${r.unit}`)),
    triples: num(r.distinctTriples), spend: num(r.spendCustomers),
  }));

  // The parameters: the model in use first, MBG/NBD also when fitted for the check.
  const unitWord = t(/** @type {any} */ (`clv.unit.${r.unit}`));
  const sig = (/** @type {number} */ n) => n.toLocaleString(ctx.i18n.locale, { maximumSignificantDigits: 4 });
  // A parameter: its symbol (a variable, not a word) and its value; α with its time unit.
  /** @param {string} id @param {string} name @param {string} note @param {[string, string, number][]} values */
  const paramRow = (id, name, note, values) => h('tr', { 'data-model': id },
    h('th', { scope: 'row' }, name, note ? h('span', { class: 'opt' }, note) : ''),
    h('td', {}, ...values.map(([key, symbol, v]) => h('span', { class: 'param', 'data-param': key, 'data-value': v },
      h('var', {}, symbol), ` = ${sig(v)}${key === 'alpha' ? ` ${unitWord}` : ''}`))));
  const bg = r.bgnbd;
  const mbg = r.mbgnbd ?? r.holdout?.mbgnbdParams ?? null;
  const params = h('table', { class: 'segments clv-params', id: 'clv-params' },
    h('caption', {}, t('clv.params')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('clv.paramModel')), h('th', { scope: 'col' }, t('clv.paramValues')))),
    h('tbody', {},
      paramRow('bgnbd', t('clv.row.bgnbd'), r.model === 'bgnbd' ? t('clv.inUse') : '',
        [['r', 'r', bg.r], ['alpha', 'α', bg.alpha], ['a', 'a', bg.a], ['b', 'b', bg.b]]),
      mbg ? paramRow('mbgnbd', t('clv.row.mbgnbd'), r.model === 'mbgnbd' ? t('clv.inUse') : t('clv.forCheck'),
        [['r', 'r', mbg.r], ['alpha', 'α', mbg.alpha], ['a', 'a', mbg.a], ['b', 'b', mbg.b]]) : '',
      paramRow('gammaGamma', t('clv.row.gammaGamma'), '',
        [['p', 'p', r.gammaGamma.p], ['q', 'q', r.gammaGamma.q], ['v', 'v', r.gammaGamma.v]])));

  // Members by P(alive) in tenths.
  // Bins in percent; the axis says so once (ten labels of "90–100%" do not fit a phone).
  const bins = r.pAliveHistogram.map((_, i) => `${i * 10}–${(i + 1) * 10}`);
  const histogramTitle = t('clv.histogram', { model: modelName });
  const histogram = h('div', { class: 'chart', id: 'chart-p-alive', role: 'img', 'aria-label': histogramTitle });
  const histogramFigure = h('figure', { id: 'clv-histogram', 'data-bins': JSON.stringify(r.pAliveHistogram) },
    h('figcaption', {}, histogramTitle), histogram,
    h('table', { class: 'visually-hidden' }, ...r.pAliveHistogram.map((n, i) => h('tr', {}, h('th', {}, `${bins[i]}%`), h('td', {}, num(n))))));
  queueMicrotask(() => void draw(histogram, (p) => ({
    grid: { left: 56, right: 16, top: 30, bottom: 50 },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (/** @type {number} */ v) => num(v) },
    xAxis: { type: 'category', data: bins, name: `${words.word('columns', 'p_alive')} (%)`, nameLocation: 'middle', nameGap: 32, axisLabel: { interval: 0, hideOverlap: true, fontSize: 11 } },
    yAxis: { type: 'value', name: t('clv.members'), nameTextStyle: { align: 'left' }, minInterval: 1 },
    series: [{ type: 'bar', data: r.pAliveHistogram, itemStyle: { color: p.accent } }],
  }), signal));

  const top = h('div', { class: 'clv-body' },
    h('div', {}, params, atRisk),
    histogramFigure);
  return [summary, basis, top, forecastCheck(ctx, r, last, signal)];
}

/**
 * The forecast check of a fit with purchases held out, or the hint to hold some out.
 * @param {Ctx} ctx @param {ClvResult} r @param {string} last @param {AbortSignal} signal
 */
function forecastCheck(ctx, r, last, signal) {
  const { t, num, date } = ctx.i18n;
  const check = r.holdout;
  if (!check) {
    return h('section', { class: 'clv-check', id: 'clv-check', 'data-state': 'none' },
      h('h3', {}, t('clv.checkTitle')), h('p', { class: 'hint', id: 'clv-no-holdout' }, t('clv.noHoldout', { last: date(last) })));
  }
  const locale = ctx.i18n.locale;
  const fixed = (/** @type {number} */ n, /** @type {number} */ d) => n.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  /** A model's total against the actual: "−3.6%". @param {number} expected */
  const delta = (expected) => (check.actual > 0
    ? ((expected - check.actual) / check.actual).toLocaleString(locale, { style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: 1, maximumFractionDigits: 1 }).replace('-', '−')
    : '—');
  const days = daysBetween(r.calibrationEnd, check.end);
  const label = (/** @type {number} */ f) => (f >= LAST_FREQUENCY ? `${LAST_FREQUENCY}+` : String(f));
  const rows = check.byFrequency;
  const bgName = t('clv.name.bgnbd');
  const mbgName = t('clv.name.mbgnbd');

  /** A number cell with its value. @param {string} field @param {number} v @param {string} shown */
  const cell = (field, v, shown) => h('td', { class: 'num', 'data-field': field, 'data-value': v }, shown);
  const table = h('table', { class: 'segments clv-holdout', id: 'clv-holdout-table', 'data-end': check.end, 'data-duration': check.duration },
    h('thead', {},
      h('tr', {},
        h('th', { scope: 'col', rowspan: 2 }, t('clv.frequency')),
        h('th', { scope: 'col', rowspan: 2, class: 'num' }, t('clv.customersCol')),
        h('th', { scope: 'colgroup', colspan: 3, class: 'span' }, t('clv.perCustomer'))),
      h('tr', {},
        h('th', { scope: 'col', class: 'num' }, t('clv.actual')),
        h('th', { scope: 'col', class: 'num' }, bgName),
        h('th', { scope: 'col', class: 'num' }, mbgName))),
    h('tbody', {}, ...rows.map((x) => h('tr', { 'data-frequency': x.frequency },
      h('th', { scope: 'row' }, label(x.frequency)),
      cell('customers', x.customers, num(x.customers)),
      cell('actual', x.actual, fixed(x.actual, 2)),
      cell('bgnbd', x.bgnbd, fixed(x.bgnbd, 2)),
      cell('mbgnbd', x.mbgnbd, fixed(x.mbgnbd, 2))))),
    h('tfoot', {}, h('tr', { 'data-frequency': 'all' },
      h('th', { scope: 'row' }, t('clv.overall')),
      cell('customers', check.customers, num(check.customers)),
      cell('actual', check.actual, num(check.actual)),
      cell('bgnbd', check.bgnbd, fixed(check.bgnbd, 1)),
      cell('mbgnbd', check.mbgnbd, fixed(check.mbgnbd, 1)))));

  const reading = h('p', { class: 'clv-reading', id: 'clv-reading' }, t('clv.reading', {
    days: num(days), customers: num(check.customers), actual: num(check.actual),
    bgnbd: num(Math.round(check.bgnbd)), bgnbdDelta: delta(check.bgnbd),
    mbgnbd: num(Math.round(check.mbgnbd)), mbgnbdDelta: delta(check.mbgnbd),
  }));

  const chartTitle = t('clv.chartTitle');
  const chart = h('div', { class: 'chart', id: 'chart-holdout', role: 'img', 'aria-label': chartTitle });
  const round = (/** @type {number} */ v) => Number(v.toFixed(4));
  queueMicrotask(() => void draw(chart, () => ({
    legend: { bottom: 0, itemGap: 20 },
    grid: { left: 56, right: 20, top: 36, bottom: 76 },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (/** @type {number} */ v) => fixed(v, 2) },
    xAxis: { type: 'category', data: rows.map((x) => label(x.frequency)), name: t('clv.frequency'), nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: t('clv.chartAxis'), nameTextStyle: { align: 'left' } },
    series: [
      { name: t('clv.actual'), type: 'line', data: rows.map((x) => round(x.actual)), symbolSize: 7, lineStyle: { width: 3 } },
      { name: bgName, type: 'line', data: rows.map((x) => round(x.bgnbd)), lineStyle: { type: 'dashed' } },
      { name: mbgName, type: 'line', data: rows.map((x) => round(x.mbgnbd)), lineStyle: { type: 'dotted' } },
    ],
  }), signal));

  return h('section', { class: 'clv-check', id: 'clv-check', 'data-state': 'ready' },
    h('h3', {}, t('clv.checkTitle')),
    h('p', { class: 'muted' }, t('clv.checkPeriod', { from: date(addDays(r.calibrationEnd, 1)), to: date(check.end), days: num(days) })),
    reading,
    h('div', { class: 'clv-body' },
      h('figure', {}, h('figcaption', {}, chartTitle), chart),
      h('div', {}, h('div', { class: 'scroll' }, table), h('p', { class: 'hint' }, t('clv.checkHint')))));
}
