// @ts-check
/** The audience panel: pick a segment, choose columns, see the live count and a preview, download. */
import { h, fmtInt } from './dom.js';

/** Columns offered for export, in display order (only those the data has are shown). */
const COMPUTED = ['segment', 'stage', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'first_purchase', 'last_purchase'];
const PREFERRED = ['phone', 'email', 'tier', 'store', 'guide', 'city'];

/**
 * A documented preset audience of `presets.json` (e.g. "high value at risk").
 * @typedef {{ id: string, label: string, labelZh: string, description: string,
 *   segment: import('../pkg/index.js').Segment }} Preset
 */

/** @type {Map<string, Preset>} */
const presets = new Map();

/**
 * Loads the preset audiences shipped beside the page.
 * @returns {Promise<Preset[]>}
 */
export async function loadPresets() {
  const res = await fetch(new URL('./presets.json', import.meta.url));
  if (!res.ok) throw new Error(`presets.json: HTTP ${res.status}`);
  const list = /** @type {Preset[]} */ (await res.json());
  for (const p of list) presets.set(p.id, p);
  return list;
}

/**
 * The rule of a preset, of an RFM segment, or of the members without a purchase.
 * @param {string} segment a preset id or a segment id
 */
export function segmentRule(segment) {
  return presets.get(segment)?.segment ?? { version: 1, name: segment, rule: { rfm: { segment: [segment] } } };
}

/**
 * Fills the column checkboxes from the member table's columns (attributes first).
 * @param {HTMLFieldSetElement} box
 * @param {string[]} memberColumns field names of the loaded members table
 */
export function renderColumns(box, memberColumns) {
  const attrs = PREFERRED.filter((c) => memberColumns.includes(c));
  const items = [...attrs, ...COMPUTED].map((c) =>
    h('label', {}, h('input', { type: 'checkbox', value: c, checked: attrs.includes(c) || c === 'segment' }), ` ${c}`));
  box.replaceChildren(h('legend', {}, 'Columns after member_id'), ...items);
}

/**
 * The ticked columns.
 * @param {HTMLFieldSetElement} box
 * @returns {string[]}
 */
export function chosenColumns(box) {
  return [...box.querySelectorAll('input[type=checkbox]')]
    .filter((i) => i instanceof HTMLInputElement && i.checked)
    .map((i) => /** @type {HTMLInputElement} */ (i).value);
}

/**
 * Renders a preview page of members.
 * @param {HTMLTableElement} table
 * @param {import('../pkg/index.js').MembersPage} page
 */
export function renderPreview(table, page) {
  const more = page.total > page.rows.length ? h('caption', {}, `first ${page.rows.length} of ${fmtInt(page.total)}`) : null;
  table.replaceChildren(
    ...(more ? [more] : []),
    h('tr', {}, ...page.columns.map((c) => h('th', {}, c))),
    ...page.rows.map((r) => h('tr', {}, ...r.map((v) => h('td', {}, v)))));
}

/**
 * Offers a Blob as a download (object URL, revoked afterwards).
 * @param {Blob} blob
 * @param {string} filename
 */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
