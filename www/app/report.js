// @ts-check
/** The load report of one file: rows in / loaded / rejected, detection, roles, rejected samples. */
import { h, fmtInt } from './dom.js';

/**
 * Renders a load report into `box`.
 * @param {HTMLElement} box
 * @param {import('../pkg/index.js').LoadReport} r
 */
export function renderReport(box, r) {
  const detected = [r.format, r.encoding && `${r.encoding}`, r.delimiter && `delimiter ${r.delimiter}`]
    .filter(Boolean)
    .join(' · ');
  const rows = h('div', { class: 'rows', 'data-rows-in': r.rowsIn, 'data-rows-loaded': r.rowsLoaded, 'data-rows-rejected': r.rowsRejected },
    `${r.name}: ${fmtInt(r.rowsIn)} rows in, ${fmtInt(r.rowsLoaded)} loaded, `,
    h('span', { class: r.rowsRejected ? 'bad' : '' }, `${fmtInt(r.rowsRejected)} rejected`));
  const columns = h('details', {},
    h('summary', {}, `${r.columns.length} columns`),
    h('table', {}, ...r.columns.map((c) =>
      h('tr', {}, h('td', {}, c.name), h('td', { class: 'role' }, c.role ?? '—'), h('td', {}, c.type)))));
  const rejected = r.rowsRejected === 0 ? null : h('details', { class: 'rejected', open: true },
    h('summary', { class: 'bad' }, r.rejected.map((x) => `${fmtInt(x.count)} ${x.reason}`).join(', ')),
    h('table', {},
      h('tr', {}, h('th', {}, 'row'), h('th', {}, 'column'), h('th', {}, 'value'), h('th', {}, 'reason')),
      ...r.samples.map((s) => h('tr', {}, h('td', {}, s.row), h('td', {}, s.column), h('td', {}, s.value), h('td', {}, s.reason)))));
  box.replaceChildren(rows, h('div', { class: 'meta' }, detected), columns, rejected ?? '');
}
