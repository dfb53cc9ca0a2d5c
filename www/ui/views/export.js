// @ts-check
/** Export: the current audience as a file, with chosen columns. */
import { h } from '../dom.js';
import { t, num } from '../i18n.js';

/** @typedef {import('../element.js').Ctx} Ctx */

const COMPUTED = ['segment', 'stage', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'first_purchase', 'last_purchase'];
const PREFERRED = ['phone', 'email', 'tier', 'store', 'guide', 'city'];

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store } = ctx;
  if (store.emptySegment) {
    const toBuilder = h('button', { type: 'button', class: 'primary', id: 'to-builder' }, t('builder.title'));
    toBuilder.addEventListener('click', () => ctx.go('builder'));
    return h('section', { class: 'card view-export' }, h('h2', {}, t('export.title')),
      h('p', { class: 'hint', id: 'export-empty' }, t('export.empty')), h('div', { class: 'actions' }, toBuilder));
  }
  const count = await store.lab.count(store.segment, store.options);
  const attrs = PREFERRED.filter((c) => store.memberColumns.includes(c));
  const boxes = [...attrs, ...store.memberColumns.filter((c) => !attrs.includes(c)), ...COMPUTED].map((c) =>
    h('label', {}, h('input', { type: 'checkbox', value: c, checked: attrs.includes(c) || c === 'segment' }), ` ${c}`));
  const columns = h('fieldset', { class: 'columns', id: 'columns' }, h('legend', {}, t('export.columns')), ...boxes);
  const download = h('button', { type: 'button', class: 'primary', id: 'download' }, t('export.download'));
  download.addEventListener('click', async () => {
    download.disabled = true;
    try {
      const cols = [...columns.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
      const blob = await store.lab.export(store.segment, { ...store.options, format: 'csv', columns: cols });
      const filename = `audience-${safeName(store.segment.name)}.csv`;
      save(blob, filename);
      ctx.host.dispatchEvent(new CustomEvent('export', { detail: { format: 'csv', filename, bytes: blob.size, segment: store.segment }, bubbles: true, composed: true }));
    } catch (e) {
      ctx.fail(e);
    } finally {
      download.disabled = false;
    }
  });
  return h('section', { class: 'card view-export' },
    h('h2', {}, t('export.title')),
    h('p', {}, `${t('export.segment')}: `, h('strong', {}, store.segment.name), ' · ', h('span', { id: 'export-count', 'data-count': count }, num(count))),
    columns,
    h('div', { class: 'actions' }, download));
}

/** A file name from a segment name: no path characters, never empty. @param {string} name */
export function safeName(name) {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 80) || 'audience';
}

/**
 * Offers a Blob as a download (object URL, revoked afterwards).
 * @param {Blob} blob
 * @param {string} filename
 */
export function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
