// @ts-check
/** The RFM view: segment table (members, share, revenue) and the R×F grid as a heat map. */
import { h, fmtInt, fmtMoney, fmtPct } from './dom.js';

/**
 * Renders the segment table; `onPick(segmentId)` fires when a row is clicked.
 * @param {HTMLTableElement} table
 * @param {import('../pkg/index.js').RfmResult} rfm
 * @param {(segment: string) => void} onPick
 */
export function renderSegments(table, rfm, onPick) {
  const body = table.tBodies[0];
  const total = rfm.members + rfm.prospects;
  const rows = rfm.segments.map((s) => {
    const tr = h('tr', { 'data-segment': s.segment },
      h('td', {}, s.label, h('span', { class: 'zh' }, s.labelZh)),
      h('td', { class: 'num members' }, fmtInt(s.members)),
      h('td', { class: 'num' }, fmtPct(total ? s.members / total : 0)),
      h('td', { class: 'num' }, fmtMoney(s.revenue)));
    tr.addEventListener('click', () => onPick(s.segment));
    return tr;
  });
  const prospects = h('tr', { 'data-segment': 'prospect' },
    h('td', {}, 'Prospects (no purchase)', h('span', { class: 'zh' }, '潜在客户')),
    h('td', { class: 'num members' }, fmtInt(rfm.prospects)),
    h('td', { class: 'num' }, fmtPct(total ? rfm.prospects / total : 0)),
    h('td', { class: 'num' }, '—'));
  prospects.addEventListener('click', () => onPick('prospect'));
  body.replaceChildren(...rows, prospects);
}

/**
 * Marks the selected segment's row.
 * @param {HTMLTableElement} table
 * @param {string} segment
 */
export function markSegment(table, segment) {
  for (const tr of table.tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.segment === segment);
}

/**
 * Renders `grid[r-1][f-1]` with R = 5 on top, shaded by count.
 * @param {HTMLTableElement} table
 * @param {number[][]} grid
 */
export function renderGrid(table, grid) {
  const max = Math.max(1, ...grid.flat());
  const head = h('tr', {}, h('th', {}, 'R \\ F'), ...[1, 2, 3, 4, 5].map((f) => h('th', {}, `F${f}`)));
  const rows = [5, 4, 3, 2, 1].map((r) =>
    h('tr', {}, h('th', {}, `R${r}`), ...grid[r - 1].map((n, i) => {
      const td = h('td', { title: `R${r} F${i + 1}: ${n}` }, fmtInt(n));
      const a = 0.08 + 0.85 * (n / max);
      td.style.background = `rgba(47, 111, 237, ${a.toFixed(3)})`;
      if (a > 0.55) td.style.color = '#fff';
      return td;
    })));
  table.replaceChildren(head, ...rows);
}
