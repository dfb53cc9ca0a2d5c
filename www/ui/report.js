// @ts-check
/**
 * The load report of one file: rows in / loaded / rejected, detection (with the encoding's
 * evidence), the columns with their roles and types, rejected rows by reason with samples;
 * roles, types and reasons in the element's language.
 */
import { h } from './dom.js';

/**
 * Renders a load report into `box`.
 * @param {HTMLElement} box
 * @param {import('../index.js').LoadReport} r
 * @param {import('./i18n.js').I18n} i18n the element's language
 * @param {import('./words.js').Words} words the engine's words in it
 */
export function renderReport(box, r, i18n, words) {
  const { t, num } = i18n;
  const zh = i18n.lang === 'zh';
  const reason = (/** @type {{ reason: string, reasonZh: string }} */ x) => (zh ? x.reasonZh || x.reason : x.reason);
  const detected = [r.format.toUpperCase(), r.encoding, r.delimiter && `${t('load.delimiter')} ${r.delimiter}`].filter(Boolean).join(' · ');
  const evidence = zh ? r.encodingEvidenceZh || r.encodingEvidence : r.encodingEvidence;
  const rows = h('div', { class: 'rows', 'data-rows-in': r.rowsIn, 'data-rows-loaded': r.rowsLoaded, 'data-rows-rejected': r.rowsRejected },
    t('load.rows', { name: r.name, in: num(r.rowsIn), loaded: num(r.rowsLoaded), rejected: num(r.rowsRejected) }));
  if (r.rowsRejected) rows.classList.add('has-rejected');
  const columns = h('details', {},
    h('summary', {}, t('load.columns', { n: r.columns.length })),
    h('table', {},
      h('tr', {}, h('th', {}, t('load.column')), h('th', {}, t('load.role')), h('th', {}, t('load.type'))),
      ...r.columns.map((c) => h('tr', {}, h('td', {}, c.name), h('td', { class: 'role', 'data-role': c.role ?? '' }, c.role ? words.role(r.kind, c.role) : '—'),
        h('td', { 'data-type': c.type }, words.word('types', c.type))))));
  const rejected = r.rowsRejected === 0 ? null : h('details', { class: 'rejected' },
    h('summary', { class: 'bad' }, r.rejected.map((x) => `${num(x.count)} ${reason(x)}`).join(t('common.list'))),
    h('table', {},
      h('tr', {}, h('th', {}, t('load.row')), h('th', {}, t('load.column')), h('th', {}, t('load.value')), h('th', {}, t('load.reason'))),
      ...r.samples.map((s) => h('tr', {}, h('td', {}, s.row), h('td', {}, s.column), h('td', {}, s.value), h('td', {}, reason(s))))));
  const warnings = (zh ? r.warningsZh : r.warnings).map((w) => h('div', { class: 'warning' }, w));
  box.replaceChildren(rows, h('div', { class: 'meta', title: evidence }, detected), columns, rejected ?? '', ...warnings);
}
