// @ts-check
/**
 * Editors for the rule nodes of SPEC §3. A node is edited in place (value edits call
 * `touched()`, which recounts) or replaced (structure edits call `set(next)`, which redraws).
 * Every editor carries a badge `[data-count-for=PATH]` the builder fills with live counts.
 */
import { h } from '../dom.js';

/**
 * What the editors offer, in the element's language: its labels (`t`), the RFM segments and
 * lifecycle stages with their names, the attribute and order columns, the saved segments.
 * @typedef {{ t: import('../i18n.js').I18n['t'], segments: {id: string, name: string}[], stages: {id: string, name: string}[],
 *             attrs: string[], orderColumns: string[], saved: string[] }} Vocab
 */

/** Condition types a user can add. */
export const NODE_TYPES = ['tags', 'attr', 'rfm', 'lifecycle', 'metric', 'purchased', 'segment'];

const OPS = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'is_null'];
const METRICS = ['recency_days', 'frequency', 'monetary', 'aov', 'first_purchase_days', 'tenure_days', 'discount_share', 'p_alive', 'expected_purchases_90d', 'clv'];

/**
 * A new node of `type` with sensible first values.
 * @param {string} type
 * @param {Vocab} v
 */
export function blank(type, v) {
  switch (type) {
    case 'all': return { all: [] };
    case 'any': return { any: [] };
    case 'tags': return { tags: { any: [] } };
    case 'attr': return { attr: { column: v.attrs[0] ?? 'tier', in: [] } };
    case 'rfm': return { rfm: { segment: [] } };
    case 'lifecycle': return { lifecycle: ['active'] };
    case 'metric': return { metric: { name: 'frequency', gte: 2 } };
    case 'purchased': return { purchased: { within_days: 180, min_count: 1 } };
    default: return { segment: v.saved[0] ?? '' };
  }
}

/** Comma- or 、-separated text to a list (numbers stay numbers). @param {string} s */
function list(s) {
  return s.split(/[,，、]/).map((x) => x.trim()).filter(Boolean).map(scalar);
}

/** A number when the text is one, else the text. @param {string} s */
function scalar(s) {
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s.trim();
}

/**
 * A text input bound to a value.
 * @param {string} value @param {(s: string) => void} onInput @param {string} label @param {string} [type]
 */
function input(value, onInput, label, type = 'text') {
  const el = h('input', { type, value, 'aria-label': label });
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

/**
 * A select bound to a value.
 * @param {string[]} values @param {string} value @param {(s: string) => void} onChange @param {string} label @param {(v: string) => string} [text]
 */
function select(values, value, onChange, label, text = (x) => x) {
  const el = h('select', { 'aria-label': label }, ...values.map((v) => h('option', { value: v, selected: v === value }, text(v))));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/**
 * Checkboxes for a set of values.
 * @param {{id: string, name: string}[]} items @param {Array<string | number>} chosen @param {(next: Array<string | number>) => void} onChange @param {string} label
 */
function checks(items, chosen, onChange, label) {
  const box = h('span', { class: 'checks', role: 'group', 'aria-label': label });
  for (const it of items) {
    const cb = h('input', { type: 'checkbox', value: it.id, checked: chosen.map(String).includes(it.id) });
    cb.addEventListener('change', () => {
      const picked = [...box.querySelectorAll('input:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value);
      onChange(picked.map((p) => (/^\d+$/.test(p) && typeof chosen[0] !== 'string' ? Number(p) : p)));
    });
    box.append(h('label', {}, cb, ` ${it.name}`));
  }
  return box;
}

/**
 * The editor of `node` at JSON path `path`.
 * @param {any} node
 * @param {(next: any) => void} set replaces the node (structure changed)
 * @param {() => void} touched the node was edited in place
 * @param {Vocab} v
 * @param {string} path
 * @param {(() => void) | null} [remove]
 * @returns {HTMLElement}
 */
export function editNode(node, set, touched, v, path, remove = null) {
  const [type, body] = Object.entries(node)[0] ?? ['all', []];
  const { t } = v;
  const badge = h('span', { class: 'node-count', 'data-count-for': path });
  if (type === 'not') {
    const inner = editNode(body, (next) => set({ not: next }), touched, v, `${path}.not`, remove);
    return wrapNot(inner, () => set(body), badge);
  }
  const negate = h('label', { class: 'negate' }, h('input', { type: 'checkbox', 'aria-label': t('builder.not') }), ` ${t('builder.not')}`);
  /** @type {HTMLInputElement} */ (negate.firstChild).addEventListener('change', () => set({ not: node }));
  const removeButton = remove ? h('button', { type: 'button', class: 'link danger', 'aria-label': t('builder.remove') }, '×') : null;
  removeButton?.addEventListener('click', () => remove?.());

  if (type === 'all' || type === 'any') {
    const mode = select(['all', 'any'], type, (m) => set({ [m]: body }), t('builder.all'), (m) => t(/** @type {any} */ (`builder.${m}`)));
    const children = body.map((/** @type {any} */ child, /** @type {number} */ i) =>
      editNode(child, (next) => { body[i] = next; set(node); }, touched, v, `${path}.${type}[${i}]`, () => { body.splice(i, 1); set(node); }));
    const kind = select(NODE_TYPES, NODE_TYPES[0], () => {}, t('builder.addCondition'), (x) => t(/** @type {any} */ (`node.${x}`)));
    const add = h('button', { type: 'button', class: 'add-condition' }, t('builder.addCondition'));
    add.addEventListener('click', () => { body.push(blank(kind.value, v)); set(node); });
    const group = h('button', { type: 'button', class: 'add-group' }, t('builder.addGroup'));
    group.addEventListener('click', () => { body.push({ any: [] }); set(node); });
    return h('div', { class: 'group', 'data-path': path },
      h('div', { class: 'node-head' }, mode, path === 'rule' ? '' : negate, badge, removeButton ?? ''),
      h('div', { class: 'children' }, ...children),
      h('div', { class: 'add' }, kind, add, group));
  }

  const fields = conditionFields(type, body, node, set, touched, v);
  return h('div', { class: 'condition', 'data-type': type, 'data-path': path },
    h('span', { class: 'node-type' }, t(/** @type {any} */ (`node.${type}`))), ...fields, negate, badge, removeButton ?? '');
}

/**
 * A negated node: the inner editor with its `not` box ticked.
 * @param {HTMLElement} inner @param {() => void} unwrap @param {HTMLElement} badge
 */
function wrapNot(inner, unwrap, badge) {
  const box = /** @type {HTMLInputElement | null} */ (inner.querySelector(':scope > .node-head .negate input, :scope > .negate input'));
  if (box) {
    box.checked = true;
    box.replaceWith(box.cloneNode(true));
    const fresh = /** @type {HTMLInputElement} */ (inner.querySelector(':scope > .node-head .negate input, :scope > .negate input'));
    fresh.addEventListener('change', unwrap);
  }
  inner.classList.add('negated');
  badge.classList.add('not-count');
  inner.append(badge);
  return inner;
}

/**
 * The inputs of one condition.
 * @param {string} type @param {any} body @param {any} node @param {(next: any) => void} set @param {() => void} touched @param {Vocab} v
 * @returns {HTMLElement[]}
 */
function conditionFields(type, body, node, set, touched, v) {
  const { t } = v;
  switch (type) {
    case 'tags': {
      const mode = Object.keys(body)[0] ?? 'any';
      return [
        select(['any', 'all', 'none'], mode, (m) => set({ tags: { [m]: body[mode] ?? [] } }), t('node.tags')),
        input((body[mode] ?? []).join(', '), (s) => { body[mode] = s.split(/[,，、]/).map((x) => x.trim()).filter(Boolean); touched(); }, t('node.tags')),
      ];
    }
    case 'attr': {
      const op = Object.keys(body).find((k) => k !== 'column') ?? 'in';
      const value = body[op];
      const columnSel = select(v.attrs.includes(body.column) ? v.attrs : [body.column, ...v.attrs], body.column, (c) => { body.column = c; touched(); }, t('node.attr'));
      const opSel = select(OPS, op, (o) => {
        delete body[op];
        body[o] = o === 'is_null' ? true : o === 'between' ? [0, 0] : ['in', 'not_in'].includes(o) ? [] : '';
        set(node);
      }, 'operator');
      const val = op === 'is_null'
        ? select(['true', 'false'], String(value), (x) => { body[op] = x === 'true'; touched(); }, 'value')
        : op === 'between'
          ? h('span', {}, input(String(value?.[0] ?? ''), (s) => { body[op][0] = scalar(s); touched(); }, 'from'), ' – ', input(String(value?.[1] ?? ''), (s) => { body[op][1] = scalar(s); touched(); }, 'to'))
          : input(Array.isArray(value) ? value.join(', ') : String(value ?? ''), (s) => { body[op] = ['in', 'not_in'].includes(op) ? list(s) : op === 'contains' ? s : scalar(s); touched(); }, 'value');
      return [columnSel, opSel, val];
    }
    case 'rfm': {
      if (body.segment || Object.keys(body).length === 0) {
        return [checks(v.segments, body.segment ?? [], (next) => { body.segment = next; touched(); }, t('node.rfm'))];
      }
      const scores = [1, 2, 3, 4, 5].map((s) => ({ id: String(s), name: String(s) }));
      return ['r', 'f', 'm'].filter((k) => body[k]).map((k) =>
        h('span', { class: 'scores' }, `${k.toUpperCase()}: `, checks(scores, body[k], (next) => { body[k] = next.map(Number); touched(); }, k)));
    }
    case 'lifecycle':
      return [checks(v.stages, body, (next) => { node.lifecycle = next; touched(); }, t('node.lifecycle'))];
    case 'metric': {
      const op = Object.keys(body).find((k) => k !== 'name') ?? 'gte';
      return [
        select(METRICS, body.name, (n) => { body.name = n; touched(); }, t('node.metric')),
        select(OPS.filter((o) => !['in', 'not_in', 'contains', 'is_null'].includes(o)), op, (o) => { const x = body[op]; delete body[op]; body[o] = o === 'between' ? [x, x] : x; set(node); }, 'operator'),
        op === 'between'
          ? h('span', {}, input(String(body[op]?.[0] ?? ''), (s) => { body[op][0] = Number(s); touched(); }, 'from', 'number'), ' – ', input(String(body[op]?.[1] ?? ''), (s) => { body[op][1] = Number(s); touched(); }, 'to', 'number'))
          : input(String(body[op] ?? ''), (s) => { body[op] = Number(s); touched(); }, 'value', 'number'),
      ];
    }
    case 'purchased': {
      const where = body.where ?? {};
      const col = Object.keys(where)[0] ?? '';
      const colSel = select(['', ...v.orderColumns], col, (c) => {
        const vals = where[col] ?? [];
        delete where[col];
        if (c) where[c] = vals;
        body.where = where;
        if (Object.keys(where).length === 0) delete body.where;
        touched();
      }, 'column', (c) => c || '—');
      return [
        colSel,
        input((where[col] ?? []).join(', '), (s) => { if (col) { where[col] = s.split(/[,，、]/).map((x) => x.trim()).filter(Boolean); body.where = where; touched(); } }, 'values'),
        h('label', {}, 'days ', input(String(body.within_days ?? ''), (s) => { if (s) body.within_days = Number(s); else delete body.within_days; touched(); }, 'within_days', 'number')),
        h('label', {}, '≥ ', input(String(body.min_count ?? 1), (s) => { body.min_count = Math.max(0, Number(s) || 0); touched(); }, 'min_count', 'number'), ' ×'),
        h('label', {}, '≥ ¥', input(String(body.min_amount ?? ''), (s) => { if (s) body.min_amount = Number(s); else delete body.min_amount; touched(); }, 'min_amount', 'number')),
      ];
    }
    case 'segment':
      return [select(v.saved.includes(body) ? v.saved : [body, ...v.saved], body, (s) => { node.segment = s; touched(); }, t('node.segment'))];
    default:
      return [h('code', {}, JSON.stringify(body))];
  }
}
