// @ts-check
/**
 * Cohorts: a retention heat map (cohort × period index) with a counts / percent / revenue
 * toggle, the period (month, ISO week, quarter) and the cohort basis (first purchase or join
 * date), and the average retention curve; the same cohort table as SQL for the warehouse. A
 * basis the data cannot give (join dates without a join date column) is said in the view.
 */
import { h } from '../dom.js';
import { draw } from '../charts.js';
import { warehouseSql } from '../warehouse.js';

/** @typedef {import('../element.js').Ctx} Ctx */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store, words } = ctx;
  const { t, num, money, pct } = ctx.i18n;
  const state = store.choices.cohorts;
  const options = { ...store.options, period: state.period, by: state.by };
  // A refusal (cohorts by join date without a join date column) is said in the view, which
  // keeps its controls to pick another basis; the SQL panel says the query's own.
  const [table, sql] = await Promise.all([
    store.lab.cohorts(options).catch((/** @type {Error} */ e) => e?.message ?? String(e)),
    warehouseSql(ctx, 'cohort', options)]);
  /** @param {'period' | 'by' | 'show'} name @param {import('../words.js').Item[]} items */
  const select = (name, items) => {
    const s = h('select', { id: `cohort-${name}` }, ...items.map((v) => h('option', { value: v.id, selected: state[name] === v.id }, v.text)));
    s.addEventListener('change', () => {
      /** @type {Record<string, string>} */ (state)[name] = s.value;
      ctx.rerender();
    });
    return s;
  };
  const controls = h('div', { class: 'controls' },
    h('label', {}, `${t('cohorts.period')} `, select('period', words.list('cohortPeriods'))),
    h('label', {}, `${t('cohorts.by')} `, select('by', words.list('cohortBy'))),
    h('label', {}, `${t('cohorts.show')} `, select('show', store.rules.cohorts.show.map((v) => ({ id: v, text: t(`cohorts.${v}`) })))));
  if (typeof table === 'string') {
    return h('section', { class: 'card view-cohorts' },
      h('h2', {}, t('cohorts.title')), controls, h('p', { class: 'error', id: 'cohort-error', role: 'alert' }, table), sql);
  }
  const cohorts = [...new Set(table.rows.map((r) => r.cohort))];
  const periods = Math.max(0, ...table.rows.map((r) => r.period)) + 1;
  const byCohort = new Map(cohorts.map((c) => [c, table.rows.filter((r) => r.cohort === c)]));
  /** @param {import('../../index.js').CohortRow} r */
  const value = (r) => (state.show === 'percent' ? pct(r.retention, 0) : state.show === 'counts' ? num(r.active) : money(r.revenue));
  const heat = h('table', { class: 'cohorts', id: 'cohort-table' },
    h('thead', {}, h('tr', {}, h('th', {}, t('cohorts.cohort')), h('th', { class: 'num' }, t('cohorts.size')),
      ...Array.from({ length: periods }, (_, k) => h('th', { class: 'num' }, String(k))))),
    h('tbody', {}, ...cohorts.map((c) => {
      const rows = byCohort.get(c) ?? [];
      const size = rows[0]?.size ?? 0;
      return h('tr', { 'data-cohort': c }, h('th', {}, c), h('td', { class: 'num' }, num(size)),
        ...Array.from({ length: periods }, (_, k) => {
          const r = rows.find((x) => x.period === k);
          if (!r) return h('td', { class: 'empty' });
          const td = h('td', { class: `num${r.partial ? ' partial' : ''}`, title: r.partial ? t('cohorts.partial') : '' }, value(r));
          // Shade by retention whatever is shown: the heat is the same story.
          td.style.setProperty('--heat', String(Math.min(1, r.retention * (k === 0 ? 1 : 2.5))));
          return td;
        }));
    })));
  const curve = h('div', { class: 'chart wide', id: 'chart-retention', role: 'img', 'aria-label': t('cohorts.curve') });
  const avg = Array.from({ length: periods }, (_, k) => {
    const rows = table.rows.filter((r) => r.period === k && !r.partial);
    const size = rows.reduce((a, r) => a + r.size, 0);
    return size ? rows.reduce((a, r) => a + r.active, 0) / size : null;
  });
  queueMicrotask(() => void draw(curve, () => ({
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'category', data: avg.map((_, k) => String(k)) },
    yAxis: { type: 'value', axisLabel: { formatter: (/** @type {number} */ v) => pct(v, 0) } },
    series: [{ type: 'line', data: avg.map((v) => (v == null ? null : Number(v.toFixed(4)))), smooth: true }],
  }), ctx.signal));
  return h('section', { class: 'card view-cohorts' },
    h('h2', {}, t('cohorts.title')),
    controls,
    h('div', { class: 'scroll' }, heat),
    h('figure', {}, h('figcaption', {}, t('cohorts.curve')), curve),
    sql);
}
