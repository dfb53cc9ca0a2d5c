// @ts-check
/** Overview: KPI cards, the lifecycle funnel and orders over time. */
import { h } from '../dom.js';
import { draw } from '../charts.js';

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

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { lab, options } = ctx.store;
  const { words } = ctx;
  const { t, num, money, pct, dec, date } = ctx.i18n;
  const [kpis, life, timeline] = await Promise.all([lab.kpis(options), lab.lifecycle(options), lab.timeline(options)]);
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
  const view = h('section', { class: 'card view-overview' },
    h('div', { class: 'title-row' }, h('h2', {}, t('overview.title')), h('span', { class: 'muted' }, t('overview.asOf', { date: date(kpis.asOf) }))),
    h('div', { class: 'kpis' }, ...cards.map(([id, label, value]) =>
      h('div', { class: 'kpi', 'data-kpi': id }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value)))),
    h('div', { class: 'charts' },
      h('figure', {}, h('figcaption', {}, t('overview.funnel')), funnel,
        h('table', { class: 'visually-hidden' }, ...life.stages.map((s) => h('tr', {}, h('th', {}, stageName(s.stage)), h('td', {}, num(s.members)))))),
      h('figure', { class: 'wide' }, h('figcaption', {}, t('overview.timeline')), trend)));
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
