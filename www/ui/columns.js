// @ts-check
/**
 * The columns of a member table — the builder's member preview and the export file — with the
 * labels a person reads: member attributes by their header in the file, the catalog's computed
 * columns by their label (and what they mean as a tooltip), the tag list, and the order columns
 * of the last purchase ("Store (last purchase)"); values of label columns (RFM segment, stage,
 * day buckets) by their label. Column ids stay the engine's.
 */
import { h } from './dom.js';

/** @typedef {import('./words.js').Item} Item */
/** @typedef {import('./words.js').Words} Words */
/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./i18n.js').I18n['t']} T */
/** A labelled group of columns. @typedef {{ id: string, text: string, items: Item[] }} Group */

/**
 * Every column a member table can have, in three groups: attributes, computed, last purchase.
 * @param {Store} store @param {Words} words @param {T} t
 * @returns {Group[]}
 */
export function columnGroups(store, words, t) {
  const computed = words.vocab.columns.map((c) => ({ id: c.id, text: words.text(c.label), title: words.text(c.help) }));
  return [
    // The tag list is the member's, from the members file or the member tags table.
    { id: 'attributes', text: t('columns.attributes'), items: [...store.memberFields.map((f) => ({ id: f.id, text: f.name })), { id: 'tags', text: words.role('members', 'tags') }] },
    { id: 'computed', text: t('columns.computed'), items: computed },
    { id: 'lastPurchase', text: t('columns.lastPurchase'), items: lastPurchase(store, words, t) },
  ];
}

/**
 * The order columns as columns of the member's last purchase (`order:store`).
 * @param {Store} store @param {Words} words @param {T} t
 * @returns {Item[]}
 */
function lastPurchase(store, words, t) {
  return store.orderFields.map((f) => ({ id: `order:${f.id}`, text: t('columns.ofLastPurchase', { name: f.role ? words.role('orders', f.role) : f.name }) }));
}

/**
 * The columns an audience can be split by, one file per value: text attributes (but the
 * match keys, one value per member), the label columns of the catalog, the last purchase's.
 * @param {Store} store @param {Words} words @param {T} t
 * @returns {Group[]}
 */
export function splitGroups(store, words, t) {
  const keys = words.vocab.matchKeys.map((k) => k.id);
  const attrs = store.memberFields.filter((f) => f.type === 'string' && !keys.includes(f.role ?? ''));
  const labels = words.vocab.columns.filter((c) => c.kind === 'label').map((c) => ({ id: c.id, text: words.text(c.label) }));
  return [
    { id: 'attributes', text: t('columns.attributes'), items: attrs.map((f) => ({ id: f.id, text: f.name })) },
    { id: 'computed', text: t('columns.computed'), items: labels },
    { id: 'lastPurchase', text: t('columns.lastPurchase'), items: lastPurchase(store, words, t) },
  ].filter((g) => g.items.length);
}

/**
 * The columns chosen before the user chooses: the attributes that have a role (phone, tier,
 * store …) and the RFM segment.
 * @param {Store} store
 */
export function defaultColumns(store) {
  const segment = store.vocab.columns.find((c) => c.domain === 'segments')?.id;
  return [...store.memberFields.filter((f) => f.role).map((f) => f.id), ...(segment ? [segment] : [])];
}

/**
 * The header of a column of a members page (`member_id` first, then the chosen columns).
 * @param {Store} store @param {Words} words @param {T} t
 * @returns {(id: string) => string}
 */
export function headerOf(store, words, t) {
  const items = new Map(columnGroups(store, words, t).flatMap((g) => g.items).map((i) => [i.id, i.text]));
  return (id) => items.get(id) ?? (words.roles('members').some((r) => r.id === id) ? words.role('members', id) : id);
}

/**
 * A cell of a members page as shown: values of label columns by their label.
 * @param {Store} store @param {Words} words
 * @returns {(column: string, value: string) => string}
 */
export function cellOf(store, words) {
  /** @type {Map<string, Map<string, string>>} */
  const labels = new Map();
  for (const c of words.vocab.columns) {
    if (c.kind !== 'label') continue;
    labels.set(c.id, new Map(words.domain(c.domain, store.options.segmentMap).map((i) => [i.id, i.text])));
  }
  return (column, value) => labels.get(column)?.get(value) ?? value;
}

/**
 * Checkboxes of the columns in their groups; `onChange` hears the ticked ids in page order.
 * @param {string} id
 * @param {string} legend its title, shown unless `shown` is false (a summary above says it)
 * @param {Group[]} groups
 * @param {string[]} chosen
 * @param {(columns: string[]) => void} onChange
 * @param {boolean} [shown]
 */
export function columnPicker(id, legend, groups, chosen, onChange, shown = true) {
  const box = h('fieldset', { class: 'columns', id, 'aria-label': shown ? undefined : legend }, shown ? h('legend', {}, legend) : null);
  for (const g of groups) {
    if (!g.items.length) continue;
    box.append(h('fieldset', { class: 'column-group', 'data-group': g.id }, h('legend', {}, g.text),
      ...g.items.map((c) => {
        const cb = h('input', { type: 'checkbox', value: c.id, checked: chosen.includes(c.id) });
        cb.addEventListener('change', () => onChange([...box.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value)));
        return h('label', { title: c.title }, cb, ` ${c.text}`);
      })));
  }
  return box;
}
