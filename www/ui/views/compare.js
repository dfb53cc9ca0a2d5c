// @ts-check
/**
 * The comparison of an `attr` or `metric` node, fitted to the kind of its column: the
 * operators of the vocabulary that apply to the kind (`appliesTo`), and a value input that
 * fits it — a number with its unit, a date, text, or the labels of a label column's values
 * (RFM segments, lifecycle stages, day buckets) picked from a list.
 */
import { h } from '../dom.js';
import { input, select, checks, list, scalar } from './fields.js';

/** @typedef {import('../words.js').Item} Item */
/**
 * What the value of a column is: its kind (`int`, `num`, `money`, `date`, `label` or `text`,
 * as the operators' `appliesTo` names them), the values of a label column, the unit's label,
 * and the value a new comparison starts with.
 * @typedef {{ kind: string, domain: Item[], unit: string, start: string | number }} Column
 */
/** @typedef {{ t: import('../i18n.js').I18n['t'], words: import('../words.js').Words }} Speech */

/** The kind of an attribute, by the type its values were read as (see the vocabulary's `types`). */
const KIND_OF_TYPE = /** @type {Record<string, string>} */ ({ date: 'date', money: 'money', integer: 'int', number: 'num' });

/** The kind a member attribute compares as: its type's, else text. @param {string} type */
export const kindOfType = (type) => KIND_OF_TYPE[type] ?? 'text';

/** Whether a kind holds numbers. @param {string} kind */
const numeric = (kind) => kind === 'int' || kind === 'num' || kind === 'money';

/** The input type of a kind. @param {string} kind */
const inputType = (kind) => (numeric(kind) ? 'number' : kind === 'date' ? 'date' : 'text');

/**
 * Whether a comparison made for one kind still means something for another (a number for a
 * number), so a column change keeps it.
 * @param {string} a @param {string} b
 */
export const sameFamily = (a, b) => a === b || (numeric(a) && numeric(b));

/**
 * The operator of a comparison body: its key that is not the column's.
 * @param {any} body
 * @param {string} key `column` (attr) or `name` (metric)
 */
export const operatorOf = (body, key) => Object.keys(body).find((k) => k !== key) ?? 'eq';

/**
 * The value an operator takes, made from the one the comparison had (a list for `in`, a pair
 * for `between`, `true` for `is_null`, one value else).
 * @param {Column} col
 * @param {string} op
 * @param {unknown} prev
 */
export function fit(col, op, prev) {
  const one = Array.isArray(prev) ? prev[0] : typeof prev === 'boolean' ? undefined : prev;
  const base = one ?? col.start;
  if (op === 'is_null') return true;
  if (op === 'in' || op === 'not_in') return Array.isArray(prev) && prev.length ? prev : base === '' ? [] : [base];
  if (op === 'between') return Array.isArray(prev) && prev.length === 2 ? prev : [base, base];
  return base;
}

/**
 * Restarts a comparison for another column: its first operator that applies to the kind
 * (`in` for a label column) with the column's start value.
 * @param {any} body
 * @param {string} key
 * @param {Column} col
 * @param {Speech} s
 */
export function restart(body, key, col, s) {
  delete body[operatorOf(body, key)];
  const ops = operators(col.kind, s);
  const op = col.kind === 'label' ? 'in' : ops.find((o) => o.id === 'gte')?.id ?? ops[0]?.id ?? 'eq';
  body[op] = fit(col, op, undefined);
}

/**
 * The operators that compare a kind, labelled.
 * @param {string} kind
 * @param {Speech} s
 * @returns {Item[]}
 */
function operators(kind, s) {
  return s.words.vocab.operators.filter((o) => o.appliesTo.includes(kind)).map((o) => ({ id: o.id, text: s.words.text(o.label) }));
}

/**
 * The operator select and the value inputs of a comparison.
 * @param {any} body the node's body, edited in place
 * @param {string} key `column` (attr) or `name` (metric)
 * @param {Column} col
 * @param {() => void} redraw the structure changed (another operator)
 * @param {() => void} touched a value was edited
 * @param {Speech} s
 * @returns {HTMLElement[]}
 */
export function comparison(body, key, col, redraw, touched, s) {
  const op = operatorOf(body, key);
  const opSelect = select('op', s.t('builder.operator'), operators(col.kind, s), op, (next) => {
    const prev = body[op];
    delete body[op];
    body[next] = fit(col, next, prev);
    redraw();
  });
  const unit = numeric(col.kind) && col.unit ? h('span', { class: 'unit' }, col.unit) : null;
  return [opSelect, value(body, op, col, touched, s), ...(unit && op !== 'is_null' ? [unit] : [])];
}

/**
 * The input of a comparison's value.
 * @param {any} body @param {string} op @param {Column} col @param {() => void} touched @param {Speech} s
 * @returns {HTMLElement}
 */
function value(body, op, col, touched, s) {
  const { t } = s;
  const type = inputType(col.kind);
  const parse = (/** @type {string} */ x) => (numeric(col.kind) ? Number(x) : col.kind === 'date' ? x : scalar(x));
  if (op === 'is_null') {
    const yesNo = [{ id: 'true', text: t('builder.yes') }, { id: 'false', text: t('builder.no') }];
    return select('value', t('builder.value'), yesNo, String(body[op]), (x) => { body[op] = x === 'true'; touched(); });
  }
  if (op === 'in' || op === 'not_in') {
    if (col.kind === 'label') return checks('values', t('builder.values'), col.domain, body[op], (next) => { body[op] = next; touched(); });
    return input('values', t('builder.values'), (body[op] ?? []).join(', '), (x) => {
      body[op] = numeric(col.kind) ? list(x).map(Number) : list(x, col.kind !== 'date');
      touched();
    });
  }
  if (op === 'between') {
    const pair = body[op];
    return h('span', { class: 'between' },
      input('from', t('builder.from'), String(pair?.[0] ?? ''), (x) => { body[op][0] = parse(x); touched(); }, type),
      ' – ',
      input('to', t('builder.to'), String(pair?.[1] ?? ''), (x) => { body[op][1] = parse(x); touched(); }, type));
  }
  if (col.kind === 'label') return select('value', t('builder.value'), col.domain, String(body[op]), (x) => { body[op] = x; touched(); });
  return input('value', t('builder.value'), String(body[op] ?? ''), (x) => { body[op] = op === 'contains' ? x : parse(x); touched(); }, type);
}
