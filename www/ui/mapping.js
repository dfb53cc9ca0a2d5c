// @ts-check
/**
 * The mapping preview shown before a file is loaded: what was detected (format, encoding with
 * its evidence, delimiter), each column with the role it will get and how sure that is (a
 * select to change it), the first rows, and the required roles still missing. Roles, types
 * and the evidence are in the element's language.
 */
import { h } from './dom.js';

/** @typedef {import('../index.js').Preview} Preview */

/** The encodings a user can force, by the names the engine takes (the empty one: detect). */
const ENCODINGS = [['utf-8', 'UTF-8'], ['gbk', 'GBK / GB18030'], ['utf-16le', 'UTF-16LE'], ['utf-16be', 'UTF-16BE']];

/**
 * Renders `preview` into `box`. `onChange({ mapping, encoding })` fires when the user changes
 * a role or the encoding; `onCommit(mapping, encoding)` when they load; `onCancel()` to drop.
 * The mapping holds only the roles the user chose (`handlers.mapping` plus this change), so
 * the other columns keep their detected roles and confidences.
 * @param {HTMLElement} box
 * @param {Preview} p
 * @param {import('./i18n.js').I18n} i18n the element's language
 * @param {import('./words.js').Words} words the engine's words in it
 * @param {{ encoding?: string, mapping?: Record<string, string>,
 *           onChange: (o: { mapping: Record<string, string>, encoding?: string }) => void,
 *           onCommit: (o: { mapping: Record<string, string>, encoding?: string }) => void,
 *           onCancel: () => void }} handlers
 */
export function renderMapping(box, p, i18n, words, handlers) {
  const { t } = i18n;
  const kind = p.kind;
  const evidence = i18n.lang === 'zh' ? p.encodingEvidenceZh || p.encodingEvidence : p.encodingEvidence;
  /** @type {Record<string, string>} */
  const overrides = { ...(handlers.mapping ?? {}) };
  const selects = p.columns.map((c) => {
    const select = h('select', { 'data-column': c.name, 'aria-label': t('load.roleOf', { name: c.name }) },
      h('option', { value: '', title: t('load.noRole') }, '—'),
      ...p.roles.map((r) => h('option', { value: r, selected: c.role === r }, words.role(kind, r))));
    select.addEventListener('change', () => {
      // A role belongs to one column: giving it here takes it from the column that had it.
      for (const [role, column] of Object.entries(overrides)) if (column === c.name) delete overrides[role];
      if (select.value) overrides[select.value] = c.name;
      handlers.onChange(current());
    });
    return select;
  });
  const encoding = h('select', { class: 'encoding', 'aria-label': t('load.encoding') },
    ...[['', t('load.autoEncoding')], ...ENCODINGS].map(([v, label]) => h('option', { value: v, selected: (handlers.encoding ?? '') === v }, label)));
  encoding.addEventListener('change', () => handlers.onChange(current()));

  /** The roles the user chose (role → column) and the encoding. */
  function current() {
    return { mapping: { ...overrides }, encoding: encoding.value || undefined };
  }

  const confidence = (/** @type {import('../index.js').ColumnReport} */ c) => {
    if (c.confidence == null) return h('span', { class: 'conf none' }, t('load.attribute'));
    const pct = Math.round(c.confidence * 100);
    const level = pct >= 90 ? 'high' : pct >= 60 ? 'mid' : 'low';
    const how = t(/** @type {any} */ (`load.by.${c.detectedBy}`));
    return h('span', { class: `conf ${level}`, title: t('load.foundBy', { how }) }, `${pct}% · ${how}`);
  };
  const platform = p.platform
    ? h('span', { class: 'platform' }, t('load.platform', { name: i18n.lang === 'zh' ? p.platform.nameZh : p.platform.name }))
    : null;
  const detected = h('div', { class: 'detected' },
    platform,
    h('span', {}, `${p.format.toUpperCase()}`),
    p.encoding ? h('label', { title: evidence }, `${t('load.encoding')} ${p.encoding} `, encoding) : null,
    p.delimiter ? h('span', {}, `${t('load.delimiter')} ${p.delimiter}`) : null,
    h('span', { class: 'evidence' }, evidence));
  const table = h('table', { class: 'mapping' },
    h('thead', {},
      h('tr', {}, ...p.columns.map((c) => h('th', {}, c.name))),
      h('tr', { class: 'roles' }, ...selects.map((s, i) => h('td', {}, s, h('br'), confidence(p.columns[i]), ' ', h('span', { class: 'type', 'data-type': p.columns[i].type }, words.word('types', p.columns[i].type)))))),
    h('tbody', {}, ...p.rows.map((r) => h('tr', {}, ...r.map((v) => h('td', {}, v))))));
  const missing = p.missing.length
    ? h('p', { class: 'error missing' }, t('load.missing', { kind: words.word('tables', kind), roles: p.missing.map((r) => words.role(kind, r)).join(t('common.list')) }))
    : null;
  const commit = h('button', { type: 'button', class: 'primary', id: `commit-${kind}`, disabled: p.missing.length > 0 }, t('load.commit'));
  commit.addEventListener('click', () => handlers.onCommit(current()));
  const cancel = h('button', { type: 'button', class: 'link' }, t('load.cancel'));
  cancel.addEventListener('click', () => handlers.onCancel());
  box.replaceChildren(
    h('div', { class: 'preview-box', id: `preview-${kind}` },
      h('div', { class: 'preview-title' }, h('strong', {}, p.name), detected),
      h('div', { class: 'scroll' }, table),
      missing ?? '',
      h('div', { class: 'actions' }, commit, cancel)));
}
