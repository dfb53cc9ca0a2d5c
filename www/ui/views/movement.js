// @ts-check
/**
 * Movement (SPEC §6): how members moved between two dates, by lifecycle stage or RFM segment.
 * A period chooser (the last 30 days, the last quarter, year over year, or two dates), the
 * migration matrix as a heat map (rows: the state at the first date, columns: at the second;
 * shaded by the share of the row) and the same as a flow (Sankey). A number of the matrix, a
 * flow or a state of the flow opens those members in the builder as a rule of `at` nodes.
 * The matrix as SQL for the warehouse (the same dates and states) ends the screen.
 */
import { h } from '../dom.js';
import { draw, stateColors } from '../charts.js';
import { addDays, isDate } from '../dates.js';
import { warehouseSql } from '../warehouse.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {import('../../index.js').MigrationCell} MigrationCell */

/** The presets: days back from the analysis date. */
const PRESETS = /** @type {const} */ ({ last30: 30, last91: 91, last365: 365 });
/** The state of members that do not exist yet at a date. */
const NOT_YET = 'not_yet';

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store, words } = ctx;
  const { t, num, money, date } = ctx.i18n;
  const state = store.choices.movement;
  // The analysis date, from the engine (the latest order, or the option set).
  const { asOf } = await store.lab.lifecycle(store.options);
  const period = state.period;
  const custom = period === 'custom';
  const from = period === 'custom' ? (isDate(state.from) ? state.from : addDays(asOf, -PRESETS.last91)) : addDays(asOf, -PRESETS[period]);
  const to = custom && isDate(state.to) ? state.to : asOf;

  // The period: presets as one radio group, the dates in use always shown (editing one picks
  // "custom").
  const periods = h('fieldset', { class: 'segmented', id: 'movement-period' }, h('legend', {}, t('movement.period')),
    ...store.rules.movement.period.map((p) => {
      const radio = h('input', { type: 'radio', name: 'movement-period', value: p, checked: state.period === p });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        if (p === 'custom') Object.assign(state, { period: p, from, to });
        else state.period = p;
        ctx.rerender();
      });
      return h('label', {}, radio, h('span', {}, t(/** @type {any} */ (`movement.${p}`))));
    }));
  const fromInput = h('input', { type: 'date', id: 'movement-from', value: from, max: asOf });
  const toInput = h('input', { type: 'date', id: 'movement-to', value: to, max: asOf });
  for (const input of [fromInput, toInput]) {
    input.addEventListener('change', () => {
      if (!isDate(fromInput.value) || !isDate(toInput.value)) return;
      Object.assign(state, { period: 'custom', from: fromInput.value, to: toInput.value });
      ctx.rerender();
    });
  }
  const dims = h('fieldset', { class: 'segmented', id: 'movement-by' }, h('legend', {}, t('movement.by')),
    ...store.rules.movement.by.map((b) => {
      const radio = h('input', { type: 'radio', name: 'movement-by', value: b, checked: state.by === b });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        state.by = b;
        ctx.rerender();
      });
      return h('label', {}, radio, h('span', {}, t(/** @type {any} */ (`movement.${b}`))));
    }));
  const controls = h('form', { class: 'controls movement-controls', id: 'movement-controls' },
    periods,
    h('span', { class: 'dates' }, h('label', {}, `${t('movement.from')} `, fromInput), h('label', {}, `${t('movement.to')} `, toInput)),
    dims);
  controls.addEventListener('submit', (ev) => ev.preventDefault());
  const view = h('section', { class: 'card view-movement', 'data-from': from, 'data-to': to, 'data-by': state.by, 'data-as-of': asOf },
    h('h2', {}, t('movement.title')), controls);

  // Dates the engine would refuse, or its refusal (a date before the data): said in the view,
  // which keeps its controls to pick others.
  // The matrix's query for the warehouse is written meanwhile (shown only beside the matrix).
  const options = { ...store.options, from, to, by: state.by };
  const [result, sql] = from < to && to <= asOf
    ? await Promise.all([
      store.lab.migration(options).catch((/** @type {Error} */ e) => e.message ?? String(e)),
      warehouseSql(ctx, 'migration', options)])
    : [t('movement.badDates', { asOf: date(asOf) }), null];
  if (typeof result === 'string') {
    view.append(h('p', { class: 'error', id: 'movement-error', role: 'alert' }, result));
    return view;
  }

  // Labels from the engine's vocabulary; `not_yet` is the app's own word.
  const segmentNames = new Map(words.segments(store.options.segmentMap).map((s) => [s.id, s.text]));
  const label = (/** @type {string} */ id) => (id === NOT_YET ? t('movement.notYet')
    : state.by === 'stage' ? words.word('stages', id) : segmentNames.get(id) ?? id);
  const colors = stateColors(result.states, NOT_YET);

  /** @type {Map<string, MigrationCell>} */
  const cells = new Map(result.cells.map((c) => [`${c.fromState}\n${c.toState}`, c]));
  const cellOf = (/** @type {string} */ x, /** @type {string} */ y) => cells.get(`${x}\n${y}`) ?? { fromState: x, toState: y, members: 0, revenueCents: 0 };
  const rowTotal = (/** @type {string} */ x) => result.cells.reduce((a, c) => a + (c.fromState === x ? c.members : 0), 0);
  const colTotal = (/** @type {string} */ y) => result.cells.reduce((a, c) => a + (c.toState === y ? c.members : 0), 0);
  const total = result.cells.reduce((a, c) => a + c.members, 0);
  const moved = result.cells.reduce((a, c) => a + (c.fromState !== c.toState ? c.members : 0), 0);
  // Members that did not exist yet: a row (a column) only when there are any.
  const rows = result.states.filter((x) => x !== NOT_YET || rowTotal(x) > 0);
  const cols = result.states.filter((y) => y !== NOT_YET || colTotal(y) > 0);

  // The audience of a state at a date, as a node of the rule.
  const stages = words.list('stages').map((s) => s.id);
  /** @param {string} x @param {string} day */
  const at = (x, day) => (x === NOT_YET
    ? { not: { at: { date: day, rule: { lifecycle: stages } } } }
    : { at: { date: day, rule: state.by === 'stage' ? { lifecycle: [x] } : { rfm: { segment: [x] } } } });
  /** @param {string} name @param {any[]} nodes */
  const open = (name, nodes) => {
    store.setSegment({ version: 1, name, rule: { all: nodes } });
    ctx.go('builder');
  };
  const openCell = (/** @type {string} */ x, /** @type {string} */ y) => open(`${label(x)} (${from}) → ${label(y)} (${to})`, [at(x, from), at(y, to)]);

  const describe = (/** @type {MigrationCell} */ c) => t('movement.cell', { from: label(c.fromState), to: label(c.toState), members: num(c.members), revenue: money(c.revenueCents / 100) });
  const matrix = h('table', { class: 'migration', id: 'migration-matrix', 'data-from': from, 'data-to': to, 'data-by': state.by },
    h('thead', {}, h('tr', {},
      h('th', { class: 'corner', scope: 'col' }, t('movement.corner', { from: date(from), to: date(to) })),
      ...cols.map((y) => h('th', { scope: 'col', class: 'state', 'data-state': y, 'data-color': colors.get(y) }, label(y))),
      h('th', { scope: 'col', class: 'num total' }, t('movement.total')))),
    h('tbody', {}, ...rows.map((x) => {
      const sum = rowTotal(x);
      return h('tr', { 'data-state': x },
        h('th', { scope: 'row' }, h('span', { class: 'swatch', 'data-color': colors.get(x) }), label(x)),
        ...cols.map((y) => {
          const c = cellOf(x, y);
          const td = h('td', {
            class: `num cell${x === y ? ' same' : ''}${c.members ? '' : ' zero'}`,
            'data-from': x, 'data-to': y, 'data-members': c.members, 'data-revenue-cents': c.revenueCents,
            title: describe(c),
          });
          if (c.members) {
            const b = h('button', { type: 'button', 'aria-label': describe(c) }, num(c.members));
            b.addEventListener('click', () => openCell(x, y));
            td.append(b);
          } else td.append('0');
          const share = sum ? c.members / sum : 0;
          td.style.setProperty('--heat', String(share));
          if (share > 0.55) td.classList.add('dark');
          return td;
        }),
        h('td', { class: 'num total', 'data-row-total': sum }, num(sum)));
    })),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('movement.total')),
      ...cols.map((y) => h('td', { class: 'num total', 'data-col-total': colTotal(y) }, num(colTotal(y)))),
      h('td', { class: 'num total' }, num(total)))));
  // The states' colours (those of the flow): a swatch before a row, a bar under a column.
  for (const s of matrix.querySelectorAll('.swatch')) /** @type {HTMLElement} */ (s).style.background = /** @type {HTMLElement} */ (s).dataset.color ?? '';
  for (const s of matrix.querySelectorAll('th.state')) /** @type {HTMLElement} */ (s).style.boxShadow = `inset 0 -3px 0 ${/** @type {HTMLElement} */ (s).dataset.color}`;

  // The flow: the two dates' states as two columns of nodes (distinct names per side).
  const fromNodes = rows.filter((x) => rowTotal(x) > 0);
  const toNodes = cols.filter((y) => colTotal(y) > 0);
  const flow = h('div', { class: 'chart flow', id: 'chart-flow', role: 'img', 'aria-label': t('movement.flow', { from: date(from), to: date(to) }) });
  flow.style.height = `${Math.max(320, 38 * Math.max(fromNodes.length, toNodes.length))}px`;
  // Room for the labels beside each column of nodes (the left labels would be cut off).
  const nodeLabel = (/** @type {string} */ s, /** @type {number} */ n) => `${label(s)}  ${num(n)}`;
  const left = labelWidth(fromNodes.map((x) => nodeLabel(x, rowTotal(x))));
  const right = labelWidth(toNodes.map((y) => nodeLabel(y, colTotal(y))));
  flow.style.minWidth = `${left + right + 240}px`;
  const links = result.cells.filter((c) => c.members > 0);
  queueMicrotask(() => void draw(flow, (p) => ({
    tooltip: {
      renderMode: 'richText',
      formatter: (/** @type {any} */ x) => (x.dataType === 'edge'
        ? describe(x.data.cell)
        : `${label(x.data.state)} (${date(x.data.side === 'from' ? from : to)}): ${num(x.value)}`),
    },
    series: [{
      type: 'sankey',
      left, right, top: 10, bottom: 10,
      nodeWidth: 14, nodeGap: 15, layoutIterations: 0, draggable: false,
      emphasis: { focus: 'adjacency' },
      label: { color: p.text, fontSize: 12, formatter: (/** @type {any} */ x) => nodeLabel(x.data.state, x.value) },
      lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
      data: [
        ...fromNodes.map((x) => ({ name: `from:${x}`, state: x, side: 'from', depth: 0, itemStyle: { color: colors.get(x) }, label: { position: 'left' } })),
        ...toNodes.map((y) => ({ name: `to:${y}`, state: y, side: 'to', depth: 1, itemStyle: { color: colors.get(y) }, label: { position: 'right' } })),
      ],
      links: links.map((c) => ({ source: `from:${c.fromState}`, target: `to:${c.toState}`, value: c.members, cell: c })),
    }],
  }), ctx.signal).then((chart) => chart?.on('click', (/** @type {any} */ x) => {
    if (x.dataType === 'edge') openCell(x.data.cell.fromState, x.data.cell.toState);
    else if (x.data?.state) open(`${label(x.data.state)} (${x.data.side === 'from' ? from : to})`, [at(x.data.state, x.data.side === 'from' ? from : to)]);
  })));

  view.append(
    h('p', { class: 'muted', id: 'movement-summary' }, t('movement.summary', { members: num(total), moved: num(moved), from: date(from), to: date(to) })),
    h('figure', {}, h('figcaption', {}, t('movement.matrix', { from: date(from), to: date(to) })),
      h('p', { class: 'hint' }, t('movement.hint')),
      h('div', { class: 'scroll matrix-scroll' }, matrix)),
    h('figure', {}, h('figcaption', {}, t('movement.flow', { from: date(from), to: date(to) })),
      h('div', { class: 'scroll' }, flow)));
  if (sql) view.append(sql);
  return view;
}

/**
 * The width in pixels the longest of `texts` takes in the charts' label font, with a margin.
 * @param {string[]} texts
 */
function labelWidth(texts) {
  const g = document.createElement('canvas').getContext('2d');
  if (g) g.font = '12px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  const widths = texts.map((s) => (g ? g.measureText(s).width : s.length * 12));
  return Math.ceil(Math.max(60, ...widths)) + 16;
}
