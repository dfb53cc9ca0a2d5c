// @ts-check
/**
 * RFM: scoring and map options, the R×F heat map with segment names, and the segment table
 * (members, share, revenue); a segment opens in the builder as an audience. The same RFM
 * table as SQL for the warehouse ends the screen.
 */
import { h } from '../dom.js';
import { draw } from '../charts.js';
import { warehouseSql } from '../warehouse.js';

/** @typedef {import('../element.js').Ctx} Ctx */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store, words } = ctx;
  const { t, num, money, pct, labelOf } = ctx.i18n;
  const [rfm, sql] = await Promise.all([store.lab.rfm(store.options), warehouseSql(ctx, 'rfm', store.options)]);
  const total = rfm.members + rfm.prospects;
  const names = new Map(rfm.segments.map((s) => [s.segment, labelOf(s, s.segment)]));

  const asOf = h('input', { type: 'date', id: 'as-of', value: store.options.asOf ?? rfm.asOf });
  asOf.addEventListener('change', () => store.setOptions({ asOf: asOf.value || undefined }));
  // The engine answers with the method and map it used: the select shows them, defaults included.
  const method = h('select', { id: 'method' }, ...words.list('rfmMethods').map((m) => h('option', { value: m.id, selected: rfm.method === m.id }, m.text)));
  method.addEventListener('change', () => store.setOptions(methodOptions(/** @type {import('../../index.js').RfmMethod} */ (method.value), store.options)));
  const map = h('select', { id: 'segment-map' }, ...words.list('segmentMaps').map((m) => h('option', { value: m.id, selected: rfm.segmentMap === m.id }, m.text)));
  map.addEventListener('change', () => store.setOptions({ segmentMap: /** @type {import('../../index.js').SegmentMapPreset} */ (map.value) }));

  /** @param {string} segment */
  const open = (segment) => {
    store.setSegment({ version: 1, name: names.get(segment) ?? segment, rule: { rfm: { segment: [segment] } } });
    ctx.go('builder');
  };
  const rows = [...rfm.segments.map((s) => ({ id: s.segment, name: labelOf(s, s.segment), members: s.members, revenue: money(s.revenue) })),
    { id: words.vocab.prospect.id, name: words.text(words.vocab.prospect.label), members: rfm.prospects, revenue: '—' }];
  const table = h('table', { class: 'segments', id: 'segments' },
    h('thead', {}, h('tr', {}, h('th', {}, t('rfm.segment')), h('th', { class: 'num' }, t('rfm.members')), h('th', { class: 'num' }, t('rfm.share')), h('th', { class: 'num' }, t('rfm.revenue')))),
    h('tbody', {}, ...rows.map((r) => {
      const link = h('button', { type: 'button', class: 'link', title: t('rfm.open', { segment: r.name }) }, r.name);
      link.addEventListener('click', () => open(r.id));
      return h('tr', { 'data-segment': r.id },
        h('td', {}, link),
        h('td', { class: 'num members' }, num(r.members)),
        h('td', { class: 'num' }, pct(total ? r.members / total : 0)),
        h('td', { class: 'num' }, r.revenue));
    })));

  const heat = h('div', { class: 'chart heat', id: 'chart-rfm', role: 'img', 'aria-label': t('rfm.grid') });
  /** @type {[number, number, number, string][]} */
  const cells = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const id = rfm.cellSegments[r - 1][f - 1];
      cells.push([f - 1, r - 1, rfm.grid[r - 1][f - 1], id ? names.get(id) ?? id : '']);
    }
  }
  const max = Math.max(1, ...rfm.grid.flat());
  queueMicrotask(() => void draw(heat, (p) => ({
    grid: { left: 40, right: 10, top: 10, bottom: 40 },
    xAxis: { type: 'category', data: ['F1', 'F2', 'F3', 'F4', 'F5'], splitArea: { show: true } },
    yAxis: { type: 'category', data: ['R1', 'R2', 'R3', 'R4', 'R5'], splitArea: { show: true } },
    visualMap: { show: false, min: 0, max, inRange: { color: ['#eef3fd', p.accent] } },
    tooltip: { renderMode: 'richText', formatter: (/** @type {any} */ x) => `R${x.value[1] + 1} F${x.value[0] + 1}: ${num(x.value[2])}\n${x.value[3]}` },
    series: [{
      type: 'heatmap',
      data: cells,
      label: { show: true, formatter: (/** @type {any} */ x) => `${num(x.value[2])}\n${x.value[3]}`, fontSize: 11, lineHeight: 15, width: 74, overflow: 'truncate' },
    }],
  }), ctx.signal).then((chart) => chart?.on('click', (/** @type {any} */ x) => {
    const id = rfm.cellSegments[x.value[1]][x.value[0]];
    if (id) open(id);
  })));

  return h('section', { class: 'card view-rfm' },
    h('h2', {}, t('rfm.title')),
    h('form', { class: 'controls', id: 'rfm-controls' },
      h('label', {}, `${t('rfm.asOf')} `, asOf),
      h('label', {}, `${t('rfm.method')} `, method),
      h('label', {}, `${t('rfm.map')} `, map),
      h('span', { class: 'summary muted', id: 'rfm-summary' }, t('rfm.summary', { buyers: num(rfm.members), prospects: num(rfm.prospects) }))),
    rfm.method === 'thresholds' ? h('div', { class: 'controls cuts', id: 'rfm-cuts' }, ...cutInputs(ctx)) : '',
    h('div', { class: 'rfm-body' },
      h('figure', {}, h('figcaption', {}, t('rfm.grid')), heat),
      table),
    sql);
}

/** Cut points a scoring by thresholds starts with (recency days, purchases, net spend). */
const START_CUTS = { rCuts: [30, 90, 180, 365], fCuts: [1, 2, 4, 8], mCuts: [100, 300, 800, 2000] };

/**
 * The options of a scoring method: thresholds take cut points (the ones set, else a start),
 * the other methods must not be given any.
 * @param {import('../../index.js').RfmMethod} method
 * @param {import('../../index.js').AnalysisOptions} options
 */
function methodOptions(method, options) {
  if (method !== 'thresholds') return { method, rCuts: undefined, fCuts: undefined, mCuts: undefined };
  return { method, rCuts: options.rCuts ?? START_CUTS.rCuts, fCuts: options.fCuts ?? START_CUTS.fCuts, mCuts: options.mCuts ?? START_CUTS.mCuts };
}

/**
 * The cut points of a scoring by thresholds, one input per score (R, F, M), each applied when
 * it holds four ascending numbers.
 * @param {Ctx} ctx
 */
function cutInputs(ctx) {
  const { store, words } = ctx;
  const { t } = ctx.i18n;
  return /** @type {const} */ ([['rCuts', 'r'], ['fCuts', 'f'], ['mCuts', 'm']]).map(([key, score]) => {
    const cuts = store.options[key] ?? START_CUTS[key];
    const field = h('input', { type: 'text', id: `cuts-${score}`, value: cuts.join(', '), size: Math.max(16, cuts.join(', ').length + 2), title: t('rfm.cutsHint', { example: START_CUTS[key].join(', ') }) });
    field.addEventListener('change', () => {
      const next = field.value.split(/[,，、\s]+/).filter(Boolean).map(Number);
      const ok = next.length === 4 && next.every((x, i) => Number.isFinite(x) && (i === 0 || x > next[i - 1]));
      field.setAttribute('aria-invalid', String(!ok));
      if (ok) store.setOptions({ [key]: next });
    });
    return h('label', {}, `${t('rfm.cuts', { score: words.word('columns', score) })} `, field);
  });
}
