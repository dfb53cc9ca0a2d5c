// @ts-check
/**
 * Editors for the rule nodes of SPEC §3. A node is edited in place (value edits call
 * `touched()`, which recounts) or replaced (structure edits call `set(next)`, which redraws).
 * Every editor carries a badge `[data-count-for=PATH]` the builder fills with live counts.
 * An `at` node (SPEC §6) is a box like a group: its date (or days before the enclosing date)
 * in the head, the editor of the rule evaluated at that date inside.
 * Node types, tag modes, operators, member columns, stages, segments and the keys of a
 * `purchased` node are offered and labelled from the engine's vocabulary.
 */
import { h } from '../dom.js';
import { input, select, checks, list } from './fields.js';
import { comparison, operatorOf, restart, sameFamily } from './compare.js';

/** @typedef {import('../words.js').Item} Item */
/** @typedef {import('./compare.js').Column} Column */
/**
 * What the editors offer, in the element's language: the app's labels (`t`), the engine's
 * (`words`), the RFM segments of the map in use, the member attributes (id, header, kind), the
 * order columns, the saved segments, and the date a new date comparison starts with.
 * @typedef {{ t: import('../i18n.js').I18n['t'], words: import('../words.js').Words, segments: Item[],
 *             attrs: (Item & { kind: string })[], orderColumns: Item[], saved: string[], today: string }} Offer
 */

/** Node types that hold other nodes rather than a condition. */
const GROUPS = ['all', 'any', 'not', 'at'];

/**
 * The condition types a user can add, labelled.
 * @param {Offer} o
 * @returns {Item[]}
 */
export function conditionTypes(o) {
  return o.words.list('nodeTypes').filter((n) => !GROUPS.includes(n.id));
}

/**
 * A new node of `type` with first values that already select members.
 * @param {string} type
 * @param {Offer} o
 */
export function blank(type, o) {
  switch (type) {
    case 'all': return { all: [] };
    case 'any': return { any: [] };
    case 'tags': return { tags: { any: [] } };
    case 'attr': return { attr: { column: (o.attrs.find((a) => a.kind === 'text') ?? o.attrs[0])?.id ?? '', in: [] } };
    case 'rfm': return { rfm: { segment: [] } };
    case 'lifecycle': return { lifecycle: ['active'] };
    case 'metric': return { metric: { name: 'frequency', gte: 2 } };
    case 'purchased': return { purchased: { within_days: 180, min_count: 1 } };
    default: return { segment: o.saved[0] ?? '' };
  }
}

/**
 * A new `at` node: 90 days back, with one condition inside (the engine wants a group to hold
 * at least one node, and the box should select members as soon as it is added).
 */
export function blankAt() {
  return { at: { days_ago: 90, rule: { all: [{ lifecycle: ['active'] }] } } };
}

/**
 * The editor of `node` at JSON path `path`.
 * @param {any} node
 * @param {(next: any) => void} set replaces the node (structure changed)
 * @param {() => void} touched the node was edited in place
 * @param {Offer} o
 * @param {string} path
 * @param {(() => void) | null} [remove]
 * @returns {HTMLElement}
 */
export function editNode(node, set, touched, o, path, remove = null) {
  const [type, body] = Object.entries(node)[0] ?? ['all', []];
  const { t, words } = o;
  const badge = h('span', { class: 'node-count', 'data-count-for': path });
  if (type === 'not') {
    const inner = editNode(body, (next) => set({ not: next }), touched, o, `${path}.not`, remove);
    return wrapNot(inner, () => set(body), badge);
  }
  const notLabel = words.word('nodeTypes', 'not');
  const negate = h('label', { class: 'negate' }, h('input', { type: 'checkbox', 'aria-label': notLabel }), ` ${notLabel}`);
  /** @type {HTMLInputElement} */ (negate.firstChild).addEventListener('change', () => set({ not: node }));
  const removeButton = remove ? h('button', { type: 'button', class: 'link danger', 'aria-label': t('builder.remove'), title: t('builder.remove') }, '×') : null;
  removeButton?.addEventListener('click', () => remove?.());

  if (type === 'all' || type === 'any') {
    const modes = words.list('nodeTypes').filter((n) => n.id === 'all' || n.id === 'any');
    const mode = select('mode', words.word('nodeTypes', type), modes, type, (m) => set({ [m]: body }));
    const children = body.map((/** @type {any} */ child, /** @type {number} */ i) =>
      editNode(child, (next) => { body[i] = next; set(node); }, touched, o, `${path}.${type}[${i}]`, () => { body.splice(i, 1); set(node); }));
    return h('div', { class: 'group', 'data-path': path },
      h('div', { class: 'node-head' }, mode, path === 'rule' ? '' : negate, badge, removeButton ?? ''),
      h('div', { class: 'children' }, ...children),
      addRow(o, (next) => { body.push(next); set(node); }));
  }

  if (type === 'at') {
    const label = words.word('nodeTypes', 'at');
    const rule = body.rule ?? { all: [] };
    const daysAgo = 'days_ago' in body || !('date' in body);
    const whens = [{ id: 'date', text: t('builder.atDate') }, { id: 'days_ago', text: t('builder.atDaysAgo') }];
    const when = select('when', t('builder.atWhen'), whens, daysAgo ? 'days_ago' : 'date',
      (w) => set({ at: w === 'date' ? { date: o.today, rule } : { days_ago: 90, rule } }));
    const value = daysAgo
      ? input('days_ago', `${label}: ${t('builder.atDaysAgo')}`, String(body.days_ago ?? ''), (s) => {
        body.days_ago = Math.max(0, Math.round(Number(s) || 0));
        touched();
      }, 'number')
      : input('date', `${label}: ${t('builder.atDate')}`, String(body.date ?? ''), (s) => { body.date = s; touched(); }, 'date');
    if (daysAgo) value.min = '0';
    // "As of [90] [days ago]", "As of [a date] [2025-03-31]".
    const whenFields = daysAgo ? [value, when] : [when, value];
    const inner = editNode(rule, (next) => { body.rule = next; set(node); }, touched, o, `${path}.at.rule`);
    // A single condition inside gets an add row that makes it the first of a group.
    const grouped = Boolean(rule.all || rule.any);
    return h('div', { class: 'group at', 'data-type': 'at', 'data-path': path },
      h('div', { class: 'node-head' }, h('span', { class: 'node-type' }, label), h('span', { class: 'when' }, ...whenFields),
        path === 'rule' ? '' : negate, h('span', { class: 'end' }, badge, removeButton ?? '')),
      h('div', { class: 'children' }, inner),
      grouped ? '' : addRow(o, (next) => { body.rule = { all: [rule, next] }; set(node); }));
  }

  const fields = conditionFields(type, body, node, set, touched, o);
  return h('div', { class: 'condition', 'data-type': type, 'data-path': path },
    h('span', { class: 'node-type' }, words.word('nodeTypes', type)), ...fields, negate, badge, removeButton ?? '');
}

/**
 * The row under a group that adds to it: a condition of the type picked, a group, an `at` node.
 * @param {Offer} o
 * @param {(next: any) => void} push adds the new node and redraws
 */
function addRow(o, push) {
  const { t } = o;
  const types = conditionTypes(o);
  const kind = select('type', t('builder.conditionType'), types, types[0]?.id ?? '', () => {});
  const add = h('button', { type: 'button', class: 'add-condition' }, t('builder.addCondition'));
  add.addEventListener('click', () => push(blank(kind.value, o)));
  const group = h('button', { type: 'button', class: 'add-group' }, t('builder.addGroup'));
  group.addEventListener('click', () => push({ any: [] }));
  const at = h('button', { type: 'button', class: 'add-at' }, t('builder.addAt'));
  at.addEventListener('click', () => push(blankAt()));
  return h('div', { class: 'add' }, kind, add, group, at);
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
 * @param {string} type @param {any} body @param {any} node @param {(next: any) => void} set @param {() => void} touched @param {Offer} o
 * @returns {HTMLElement[]}
 */
function conditionFields(type, body, node, set, touched, o) {
  const { t, words } = o;
  const label = words.word('nodeTypes', type);
  switch (type) {
    case 'tags': {
      const mode = Object.keys(body)[0] ?? 'any';
      return [
        select('mode', label, words.list('tagModes'), mode, (m) => set({ tags: { [m]: body[mode] ?? [] } })),
        input('values', t('builder.values'), (body[mode] ?? []).join(', '), (s) => { body[mode] = list(s, false); touched(); }),
      ];
    }
    case 'attr': {
      const column = (/** @type {string} */ id) => attrColumn(o.attrs.find((a) => a.id === id)?.kind ?? 'text', o);
      const columnSelect = select('column', t('builder.column'), o.attrs, body.column, (c) => {
        if (!sameFamily(column(body.column).kind, column(c).kind)) restart(body, 'column', column(c), o);
        body.column = c;
        set(node);
      });
      return [columnSelect, ...comparison(body, 'column', column(body.column), () => set(node), touched, o)];
    }
    case 'rfm': {
      if (body.segment || Object.keys(body).length === 0) {
        return [checks('values', label, o.segments, body.segment ?? [], (next) => { body.segment = next; touched(); })];
      }
      const scores = [1, 2, 3, 4, 5].map((s) => ({ id: String(s), text: String(s) }));
      return ['r', 'f', 'm'].filter((k) => body[k]).map((k) =>
        h('span', { class: 'scores' }, `${words.word('columns', k)}: `,
          checks(k, words.word('columns', k), scores, body[k], (next) => { body[k] = next.map(Number); touched(); })));
    }
    case 'lifecycle':
      return [checks('values', label, words.list('stages'), body, (next) => { node.lifecycle = next; touched(); })];
    case 'metric':
      return metricFields(body, node, set, touched, o);
    case 'purchased':
      return purchasedFields(body, touched, o);
    case 'segment':
      return [select('name', label, o.saved.map((s) => ({ id: s, text: s })), body, (s) => { node.segment = s; touched(); })];
    default:
      return [h('code', {}, JSON.stringify(body))];
  }
}

/**
 * What an attribute's values are for a comparison (the unit and domain of a member column).
 * @param {string} kind
 * @param {Offer} o
 * @returns {Column}
 */
function attrColumn(kind, o) {
  return { kind, domain: [], unit: '', start: kind === 'date' ? o.today : kind === 'text' ? '' : 0 };
}

/**
 * A metric: a member column of the catalog, grouped by what it measures, compared as its kind
 * asks (numbers with their unit, dates, labels picked by name).
 * @param {any} body @param {any} node @param {(next: any) => void} set @param {() => void} touched @param {Offer} o
 * @returns {HTMLElement[]}
 */
function metricFields(body, node, set, touched, o) {
  const { t, words } = o;
  const columns = words.vocab.columns;
  /** @param {string} name @returns {Column} */
  const column = (name) => {
    const c = words.entry('columns', name);
    // Segments are those of the map in use (the builder's), stages and buckets the vocabulary's.
    const domain = c?.domain === 'segments' ? o.segments : words.domain(c?.domain, undefined);
    const kind = c?.kind ?? 'num';
    return { kind, domain, unit: c ? words.word('units', c.unit) : '', start: kind === 'date' ? o.today : kind === 'label' ? domain[0]?.id ?? '' : 0 };
  };
  /** The group a column is listed under: what it measures. @param {import('../../index.js').VocabularyColumn} c */
  const group = (c) => (!c.sql ? 'predicted' : c.kind === 'label' ? 'labels' : c.kind === 'date' ? 'dates' : c.unit === 'score' ? 'scores' : 'behaviour');
  const groups = [...new Set(columns.map(group))].map((g) => ({
    text: t(/** @type {any} */ (`builder.group.${g}`)),
    items: columns.filter((c) => group(c) === g).map((c) => ({ id: c.id, text: words.text(c.label), title: words.text(c.help) })),
  }));
  const name = select('name', words.word('nodeTypes', 'metric'), groups, body.name, (n) => {
    if (!sameFamily(column(body.name).kind, column(n).kind) || !operatorApplies(operatorOf(body, 'name'), column(n).kind, o)) restart(body, 'name', column(n), o);
    body.name = n;
    set(node);
  });
  name.title = words.text(words.entry('columns', body.name)?.help);
  return [name, ...comparison(body, 'name', column(body.name), () => set(node), touched, o)];
}

/** @param {string} op @param {string} kind @param {Offer} o */
function operatorApplies(op, kind, o) {
  return Boolean(o.words.entry('operators', op)?.appliesTo.includes(kind));
}

/**
 * A `purchased` condition: each key of the node as a labelled input (orders where a column
 * has some values, within the last days, between dates, at least purchases, at least amount).
 * @param {any} body @param {() => void} touched @param {Offer} o
 * @returns {HTMLElement[]}
 */
function purchasedFields(body, touched, o) {
  const { t, words } = o;
  const key = (/** @type {string} */ k) => words.word('purchasedKeys', k);
  const where = body.where ?? {};
  const col = Object.keys(where)[0] ?? '';
  const colSelect = select('where-column', t('builder.column'), [{ id: '', text: t('export.none') }, ...o.orderColumns], col, (c) => {
    const vals = where[col] ?? [];
    delete where[col];
    if (c) where[c] = vals;
    body.where = where;
    if (Object.keys(where).length === 0) delete body.where;
    touched();
  });
  const whereValues = input('where-values', t('builder.values'), (where[col] ?? []).join(', '), (s) => {
    if (!col) return;
    where[col] = list(s, false);
    body.where = where;
    touched();
  });
  /** A number key: set while it has a value, absent when empty (`min_count` is never absent). @param {string} k @param {number} [floor] */
  const number = (k, floor) => input(k, key(k), String(body[k] ?? ''), (s) => {
    if (s === '' && floor === undefined) delete body[k];
    else body[k] = floor === undefined ? Number(s) : Math.max(floor, Number(s) || 0);
    touched();
  }, 'number');
  const range = body.between ?? ['', ''];
  const day = (/** @type {0 | 1} */ i, /** @type {string} */ field, /** @type {string} */ label) => input(field, `${key('between')} ${label}`, String(range[i] ?? ''), (s) => {
    range[i] = s;
    if (range[0] && range[1]) body.between = range;
    else delete body.between;
    touched();
  }, 'date');
  return [
    h('label', { class: 'key' }, `${key('where')} `, colSelect, ' ', whereValues),
    h('label', { class: 'key' }, `${key('within_days')} `, number('within_days')),
    h('span', { class: 'key' }, `${key('between')} `, day(0, 'between-from', t('builder.from')), ' – ', day(1, 'between-to', t('builder.to'))),
    h('label', { class: 'key' }, `${key('min_count')} `, number('min_count', 0)),
    h('label', { class: 'key' }, `${key('min_amount')} `, number('min_amount')),
  ];
}
