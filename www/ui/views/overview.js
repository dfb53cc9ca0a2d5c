// @ts-check
/**
 * Overview: KPI cards, the lifecycle funnel and orders over time; then movement (SPEC §6): the
 * period rates of the last 91 days beside those of the 91 days before, and the members of
 * each lifecycle stage month by month (stacked). The movement part fills in when the engine
 * answers, so the cards do not wait for it, and a refusal there (a period before the data)
 * is said in its place. SQL for the warehouse ends the screen: the KPIs, the lifecycle stages
 * (shown first) or the stage trend, each with the options its part of the screen shows.
 */
import { h } from '../dom.js';
import { draw, stateColors } from '../charts.js';
import { addDays } from '../dates.js';
import { warehouseSql } from '../warehouse.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {import('../../index.js').KpiValues} KpiValues */

/**
 * The KPI cards after the member count: the field of the KPI result each shows (its title is
 * the vocabulary's label of the field) and how its value reads.
 * @type {[keyof KpiValues, 'int' | 'pct' | 'money' | 'dec'][]}
 */
const CARDS = [
  ['buyers', 'int'], ['repeatPurchaseRate', 'pct'], ['aov', 'money'], ['memberAov', 'money'], ['itemsPerOrder', 'dec'],
  ['memberOrderShare', 'pct'], ['annualContribution', 'money'], ['churnRate', 'pct'],
];

/** The period of the rates, in days: a quarter. */
const DAYS = 91;

/**
 * The options of the stage trend: the analysis options, month by month.
 * @param {import('../../index.js').AnalysisOptions} options
 */
const trendOptions = (options) => ({ ...options, period: /** @type {const} */ ('month') });

/**
 * The period rates (SPEC §6): the rate's field of `rates`, its numerator and its denominator,
 * and whether a rise is good news.
 * @type {[keyof PeriodRates, keyof PeriodRates, keyof PeriodRates, boolean][]}
 */
const RATES = [
  ['reactivationRate', 'reactivated', 'asleep', true],
  ['churnInRate', 'churnedIn', 'atRisk', false],
  ['newToRepeatRate', 'repeated', 'firstBuyers', true],
];
/** @typedef {import('../../index.js').PeriodRates} PeriodRates */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { lab, options } = ctx.store;
  const { words } = ctx;
  const { t, num, money, pct, dec, date } = ctx.i18n;
  const [kpis, life, timeline, sql] = await Promise.all([
    lab.kpis(options), lab.lifecycle(options), lab.timeline(options),
    warehouseSql(ctx, [
      { report: 'kpi', options },
      { report: 'lifecycle', options },
      { report: 'trend', options: trendOptions(options) },
    ], {}, 'overview')]);
  const k = kpis.overall;
  const format = { int: num, pct, money, dec };
  /** @type {[string, string, string][]} */
  const cards = [
    ['members', t('overview.members'), num(life.members)],
    ...CARDS.map(([id, as]) => {
      const v = /** @type {number | null | undefined} */ (k[id]);
      return /** @type {[string, string, string]} */ ([id, words.word('kpis', id), v == null ? '—' : format[as](v)]);
    }),
  ];
  const stageName = (/** @type {string} */ id) => words.word('stages', id);
  const funnel = h('div', { class: 'chart', id: 'chart-funnel', role: 'img', 'aria-label': t('overview.funnel') });
  const trend = h('div', { class: 'chart wide', id: 'chart-timeline', role: 'img', 'aria-label': t('overview.timeline') });
  const stages = life.stages.map((s) => ({ name: stageName(s.stage), value: s.members }));
  const rates = h('div', { class: 'rates', id: 'period-rates', 'data-state': 'loading', 'aria-busy': 'true' },
    h('h3', {}, t('overview.rates', { days: DAYS })), h('p', { class: 'muted' }, t('common.loading')));
  const stageChart = h('div', { class: 'chart wide', id: 'chart-stages', role: 'img', 'aria-label': t('overview.stageTrend') });
  const stageFigure = h('figure', { class: 'stage-trend', id: 'stage-trend', 'data-state': 'loading' }, h('figcaption', {}, t('overview.stageTrend')), stageChart);
  void showRates(ctx, kpis.asOf, rates);
  void showStageTrend(ctx, stageFigure, stageChart);
  const view = h('section', { class: 'card view-overview' },
    h('div', { class: 'title-row' }, h('h2', {}, t('overview.title')), h('span', { class: 'muted' }, t('overview.asOf', { date: date(kpis.asOf) }))),
    h('div', { class: 'kpis' }, ...cards.map(([id, label, value]) =>
      h('div', { class: 'kpi', 'data-kpi': id }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value)))),
    h('div', { class: 'charts' },
      h('figure', {}, h('figcaption', {}, t('overview.funnel')), funnel,
        h('table', { class: 'visually-hidden' }, ...life.stages.map((s) => h('tr', {}, h('th', {}, stageName(s.stage)), h('td', {}, num(s.members)))))),
      h('figure', { class: 'wide' }, h('figcaption', {}, t('overview.timeline')), trend)),
    rates, stageFigure, sql);
  queueMicrotask(() => {
    void draw(funnel, () => ({
      grid: { left: 90, right: 40, top: 10, bottom: 20 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: stages.map((s) => s.name) },
      series: [{ type: 'bar', data: stages.map((s) => s.value), label: { show: true, position: 'right', formatter: (/** @type {any} */ x) => num(x.value) } }],
      tooltip: { trigger: 'axis', renderMode: 'richText' },
    }), ctx.signal);
    const pts = timeline.points;
    void draw(trend, () => ({
      legend: { bottom: 0, itemGap: 24 },
      grid: { left: 60, right: 70, top: 30, bottom: 60 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: pts.map((p) => p.period) },
      yAxis: [{ type: 'value', name: words.word('kpis', 'purchases') }, { type: 'value', name: t('overview.revenue'), splitLine: { show: false } }],
      series: [
        { name: words.word('kpis', 'memberPurchases'), type: 'bar', stack: 'p', data: pts.map((p) => p.memberPurchases) },
        { name: words.word('kpis', 'guestPurchases'), type: 'bar', stack: 'p', data: pts.map((p) => p.guestPurchases) },
        { name: t('overview.revenue'), type: 'line', yAxisIndex: 1, showSymbol: false, data: pts.map((p) => (p.memberNetCents + p.guestNetCents) / 100) },
      ],
    }), ctx.signal);
  });
  return view;
}

/**
 * Fills `box` with the period rates over the last `DAYS` days before `asOf` and the change
 * from the `DAYS` days before those (left out when the data does not reach back so far).
 * @param {Ctx} ctx
 * @param {string} asOf the analysis date the engine answered with
 * @param {HTMLElement} box
 */
async function showRates(ctx, asOf, box) {
  const { lab, options } = ctx.store;
  const { t, num, pct, date } = ctx.i18n;
  const start = addDays(asOf, -DAYS);
  const [now, before] = await Promise.allSettled([
    lab.kpis({ ...options, compareTo: start }),
    lab.kpis({ ...options, asOf: start, compareTo: addDays(asOf, -2 * DAYS) }),
  ]);
  if (ctx.signal.aborted) return;
  const head = h('h3', {}, t('overview.rates', { days: DAYS }));
  box.removeAttribute('aria-busy');
  const current = now.status === 'fulfilled' ? now.value.rates : null;
  if (!current) {
    const reason = now.status === 'rejected' ? /** @type {Error} */ (now.reason)?.message ?? String(now.reason) : '—';
    box.dataset.state = 'error';
    box.replaceChildren(head, h('p', { class: 'muted' }, t('overview.ratesUnavailable', { reason })));
    return;
  }
  const previous = before.status === 'fulfilled' ? before.value.rates : null;
  /** A change of a rate in percentage points, signed. @param {number} d */
  const points = (d) => `${d > 0 ? '+' : d < 0 ? '−' : ''}${Math.abs(d * 100).toLocaleString(ctx.i18n.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}`;
  box.dataset.state = 'ready';
  box.dataset.from = current.from;
  box.dataset.to = current.to;
  if (previous) {
    box.dataset.previousFrom = previous.from;
    box.dataset.previousTo = previous.to;
  }
  box.replaceChildren(
    h('div', { class: 'rates-head' }, head,
      h('span', { class: 'muted' }, t('overview.ratesPeriod', { from: date(addDays(current.from, 1)), to: date(current.to), days: DAYS }))),
    h('div', { class: 'rate-cards' }, ...RATES.map(([id, n, d, rise]) => {
      const value = /** @type {number | null} */ (current[id]);
      const was = previous ? /** @type {number | null} */ (previous[id]) : null;
      let change;
      if (!previous) change = h('div', { class: 'rate-change muted' }, t('overview.noPrevious', { days: DAYS }));
      else if (value == null || was == null) change = h('div', { class: 'rate-change muted' }, '—');
      else {
        const delta = value - was;
        const shown = points(delta);
        const flat = shown.replace(/[+−]/, '') === points(0);
        change = h('div', { class: `rate-change ${flat ? 'flat' : (delta > 0) === rise ? 'better' : 'worse'}` },
          flat ? t('overview.noChange', { days: DAYS, previous: pct(was) })
            : `${delta > 0 ? '▲' : '▼'} ${t('overview.change', { delta: shown, days: DAYS, previous: pct(was) })}`);
      }
      return h('div', {
        class: 'rate', 'data-rate': id, 'data-value': value ?? '', 'data-previous': was ?? '',
        'data-numerator': /** @type {number} */ (current[n]), 'data-denominator': /** @type {number} */ (current[d]),
      },
      h('div', { class: 'rate-label' }, t(/** @type {any} */ (`overview.rate.${id}`))),
      h('div', { class: 'rate-value' }, pct(value)),
      h('div', { class: 'rate-detail muted' }, t(/** @type {any} */ (`overview.detail.${id}`), { n: num(/** @type {number} */ (current[n])), d: num(/** @type {number} */ (current[d])) })),
      change);
    })));
}

/**
 * Draws the members of each lifecycle stage at each month end (and the analysis date),
 * stacked; members that did not exist yet are left out. The figure holds the points the
 * engine gave (`data-points`).
 * @param {Ctx} ctx
 * @param {HTMLElement} figure
 * @param {HTMLElement} chart
 */
async function showStageTrend(ctx, figure, chart) {
  const { lab, options } = ctx.store;
  const { t, num } = ctx.i18n;
  const trend = await lab.stageTrend(trendOptions(options)).catch((/** @type {Error} */ e) => e.message ?? String(e));
  if (ctx.signal.aborted) return;
  if (typeof trend === 'string') {
    figure.dataset.state = 'error';
    chart.replaceWith(h('p', { class: 'muted' }, t('overview.trendUnavailable', { reason: trend })));
    return;
  }
  figure.dataset.state = 'ready';
  figure.dataset.period = trend.period;
  figure.dataset.points = JSON.stringify(trend.points);
  const stages = ctx.words.list('stages');
  const colors = stateColors(stages.map((s) => s.id), 'not_yet');
  const pts = trend.points;
  await draw(chart, () => ({
    legend: { bottom: 0, itemGap: 20 },
    grid: { left: 60, right: 30, top: 20, bottom: 60 },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (/** @type {number} */ v) => num(v) },
    xAxis: { type: 'category', boundaryGap: false, data: pts.map((p) => p.date), axisLabel: { formatter: (/** @type {string} */ v) => v.slice(0, 7) } },
    yAxis: { type: 'value' },
    series: stages.map((s) => ({
      name: s.text, type: 'line', stack: 'members', showSymbol: false, areaStyle: { opacity: 0.75 }, lineStyle: { width: 1 },
      color: colors.get(s.id),
      data: pts.map((p) => /** @type {Record<string, number>} */ (/** @type {unknown} */ (p))[s.id] ?? 0),
    })),
  }), ctx.signal);
  figure.dataset.drawn = 'true';
}
