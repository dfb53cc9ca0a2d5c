// @ts-check
/**
 * The inputs the rule editors are made of, each bound to a value and named for the tests and
 * assistive technology: `data-field` says which part of a node it edits, `aria-label` says it
 * in the element's language.
 */
import { h } from '../dom.js';

/** @typedef {import('../words.js').Item} Item */
/** Options of a select, flat or in labelled groups. @typedef {Item[] | { text: string, items: Item[] }[]} Options */

/**
 * Comma- or 、-separated text to a list; numbers stay numbers when `numbers`.
 * @param {string} s
 * @param {boolean} [numbers]
 */
export function list(s, numbers = true) {
  return s.split(/[,，、]/).map((x) => x.trim()).filter(Boolean).map((x) => (numbers ? scalar(x) : x));
}

/** A number when the text is one, else the text. @param {string} s */
export function scalar(s) {
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s.trim();
}

/**
 * An input bound to a value.
 * @param {string} field what it edits (`data-field`)
 * @param {string} label its name for assistive technology
 * @param {string} value
 * @param {(s: string) => void} onInput
 * @param {string} [type] `text`, `number` or `date`
 */
export function input(field, label, value, onInput, type = 'text') {
  const el = h('input', { type, value, 'data-field': field, 'aria-label': label, class: `input-${type}` });
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

/**
 * A select bound to a value; a value not among the options is offered as it is, so a rule
 * from elsewhere shows what it says.
 * @param {string} field
 * @param {string} label
 * @param {Options} options
 * @param {string} value
 * @param {(s: string) => void} onChange
 */
export function select(field, label, options, value, onChange) {
  const option = (/** @type {Item} */ o) => h('option', { value: o.id, selected: o.id === value, title: o.title }, o.text);
  const groups = /** @type {{ text: string, items: Item[] }[]} */ (options.length && 'items' in options[0] ? options : [{ text: '', items: options }]);
  const known = groups.some((g) => g.items.some((o) => o.id === value));
  const el = h('select', { 'data-field': field, 'aria-label': label },
    known ? null : option({ id: value, text: value }),
    ...groups.map((g) => (g.text ? h('optgroup', { label: g.text }, ...g.items.map(option)) : g.items.map(option))).flat());
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/**
 * Checkboxes for a set of values, shown by their labels.
 * @param {string} field
 * @param {string} label
 * @param {Item[]} items
 * @param {Array<string | number>} chosen
 * @param {(next: string[]) => void} onChange the ids ticked, in the items' order
 */
export function checks(field, label, items, chosen, onChange) {
  const box = h('span', { class: 'checks', role: 'group', 'data-field': field, 'aria-label': label });
  const ticked = chosen.map(String);
  for (const it of items) {
    const cb = h('input', { type: 'checkbox', value: it.id, checked: ticked.includes(it.id) });
    cb.addEventListener('change', () => onChange([...box.querySelectorAll('input:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value)));
    box.append(h('label', { title: it.title }, cb, ` ${it.text}`));
  }
  return box;
}
