// @ts-check
/** The load report of one file: rows in / loaded / rejected, detection, roles, rejected samples. */
import { h } from './dom.js';

/**
 * Renders a load report into `box`.
 * @param {HTMLElement} box
 * @param {import('../index.js').LoadReport} r
 * @param {import('./i18n.js').I18n} i18n the element's language
 */
export function renderReport(box, r, i18n) {
  const { t, num } = i18n;
  const detected = [r.format, r.encoding, r.delimiter && `${t('load.delimiter')} ${r.delimiter}`].filter(Boolean).join(' · ');
  const rows = h('div', { class: 'rows', 'data-rows-in': r.rowsIn, 'data-rows-loaded': r.rowsLoaded, 'data-rows-rejected': r.rowsRejected },
    t('load.rows', { name: r.name, in: num(r.rowsIn), loaded: num(r.rowsLoaded), rejected: num(r.rowsRejected) }));
  if (r.rowsRejected) rows.classList.add('has-rejected');
  const columns = h('details', {},
    h('summary', {}, t('load.columns', { n: r.columns.length })),
    h('table', {}, ...r.columns.map((c) =>
      h('tr', {}, h('td', {}, c.name), h('td', { class: 'role' }, c.role ?? '—'), h('td', {}, c.type)))));
  const rejected = r.rowsRejected === 0 ? null : h('details', { class: 'rejected' },
    h('summary', { class: 'bad' }, r.rejected.map((x) => `${num(x.count)} ${x.reason}`).join(', ')),
    h('table', {},
      h('tr', {}, h('th', {}, t('load.row')), h('th', {}, t('load.column')), h('th', {}, t('load.value')), h('th', {}, t('load.reason'))),
      ...r.samples.map((s) => h('tr', {}, h('td', {}, s.row), h('td', {}, s.column), h('td', {}, s.value), h('td', {}, s.reason)))));
  const warnings = r.warnings.map((w) => h('div', { class: 'warning' }, w));
  box.replaceChildren(rows, h('div', { class: 'meta' }, detected), columns, rejected ?? '', ...warnings);
}
