// @ts-check
/**
 * The audience builder: a visual editor for every node of SPEC §3 and §6 (groups all/any, not, at,
 * tags, attr, rfm, lifecycle, metric, purchased, saved segment), nested to any depth, with the
 * live count of the audience and of every condition on each edit; presets, saved segments
 * (localStorage: rules only), the rule as JSON, and the member preview.
 */
import { h } from '../dom.js';
import { editNode } from './nodes.js';
import { isEmptyRule } from '../store.js';
import { columnGroups, columnPicker, defaultColumns, headerOf, cellOf } from '../columns.js';
import { kindOfType } from './compare.js';

/** @typedef {import('../element.js').Ctx} Ctx */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store, words } = ctx;
  const { t, num } = ctx.i18n;
  const choices = store.choices.builder;
  const rfm = await store.lab.rfm(store.options);
  /** @type {import('./nodes.js').Offer} */
  const offer = {
    t,
    words,
    segments: words.segments(store.options.segmentMap),
    attrs: store.memberFields.map((f) => ({ id: f.id, text: f.name, kind: kindOfType(f.type) })),
    orderColumns: store.orderFields.map((f) => ({ id: f.id, text: f.role ? words.role('orders', f.role) : f.name })),
    // Read when a condition is added: a segment saved meanwhile is offered.
    get saved() { return store.saved.map((s) => s.name); },
    today: rfm.asOf,
  };
  // The editor works on a copy; every edit is pushed to the store (live count, events).
  let segment = structuredClone(store.segment);
  if (!segment.rule || (segment.rule.all && segment.rule.all.length === 0)) segment.rule = { all: [] };
  // A single condition (a segment picked in RFM or Tags) becomes the first of a group, so the
  // user can add conditions next to it; the audience is the same.
  else if (!segment.rule.all && !segment.rule.any) {
    segment.rule = { all: [segment.rule] };
    store.setSegment(structuredClone(segment));
  }

  const count = h('strong', { id: 'audience-count', 'aria-live': 'polite' }, '…');
  const error = h('p', { class: 'error', id: 'rule-error', role: 'alert', hidden: true });
  const tree = h('div', { class: 'tree', id: 'rule-tree' });
  const json = h('textarea', { id: 'rule-json', rows: 8, spellcheck: false, 'aria-label': t('builder.json') });
  const sql = h('pre', { id: 'rule-sql', class: 'sql' });
  const dialect = h('select', { id: 'sql-dialect', 'aria-label': t('builder.dialect') },
    ...words.list('dialects').map((d) => h('option', { value: d.id, selected: choices.dialect === d.id }, d.text)));
  const sqlBox = h('details', { class: 'json', id: 'sql-box', open: choices.sql }, h('summary', {}, t('builder.sql')), h('p', { class: 'hint' }, ...sqlHint(ctx), ' ', dialect), sql);
  const showSql = async () => {
    if (!sqlBox.open || isEmptyRule(segment.rule)) { sql.textContent = ''; return; }
    try {
      sql.textContent = await store.lab.toSql(segment, { ...store.options, dialect: choices.dialect });
    } catch (e) {
      sql.textContent = /** @type {Error} */ (e).message;
    }
  };
  sqlBox.addEventListener('toggle', () => { choices.sql = sqlBox.open; void showSql(); });
  dialect.addEventListener('change', () => { choices.dialect = /** @type {import('../../index.js').SqlDialect} */ (dialect.value); void showSql(); });
  const preview = h('table', { class: 'preview', id: 'member-preview' });
  // The preview shows the columns the export writes; choosing them here chooses them there.
  const header = headerOf(store, words, t);
  const cell = cellOf(store, words);
  const columnsBox = h('details', { class: 'preview-columns', id: 'preview-columns' }, h('summary', {}, t('builder.previewColumns')),
    columnPicker('preview-column-list', t('builder.previewColumns'), columnGroups(store, words, t), previewColumns(), (next) => {
      store.choices.export.columns = next;
      showPreview().catch(ctx.fail);
    }, false));
  const name = h('input', { type: 'text', id: 'segment-name', value: segment.name, 'aria-label': t('builder.name') });
  name.addEventListener('input', () => { segment.name = name.value || 'untitled'; changed(false); });

  let timer = 0;
  // A recount due after the view is gone would only fill detached elements.
  ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  let generation = 0;
  let previewGeneration = 0;
  /** Redraws the editor (structure changed) and recounts (debounced). @param {boolean} redraw */
  function changed(redraw) {
    if (redraw) drawTree();
    json.value = JSON.stringify(segment, null, 2);
    store.setSegment(structuredClone(segment));
    clearTimeout(timer);
    timer = /** @type {any} */ (setTimeout(recount, 120));
  }

  async function recount() {
    const gen = ++generation;
    if (isEmptyRule(segment.rule)) {
      error.hidden = true;
      count.textContent = '0';
      count.dataset.count = '0';
      showCounts(tree, new Map(), num);
      previewGeneration++;
      preview.replaceChildren(h('caption', { class: 'hint' }, t('builder.empty')));
      return;
    }
    try {
      const [n, counts] = await Promise.all([store.lab.count(segment, store.options), nodeCounts(ctx, segment.rule)]);
      if (gen !== generation || ctx.signal.aborted) return;
      error.hidden = true;
      count.textContent = num(n);
      count.dataset.count = String(n);
      showCounts(tree, counts, num);
      void showSql();
      await showPreview();
    } catch (e) {
      if (gen !== generation) return;
      const err = /** @type {{ message?: string }} */ (e);
      error.hidden = false;
      error.textContent = err.message ?? String(e);
      count.textContent = '—';
      delete count.dataset.count;
    }
  }

  /** The first members of the audience with the chosen columns, labelled. */
  async function showPreview() {
    const gen = ++previewGeneration;
    if (isEmptyRule(segment.rule)) return;
    const page = await store.lab.members(segment, { ...store.options, columns: previewColumns(), limit: 10 });
    if (gen !== previewGeneration || ctx.signal.aborted) return;
    preview.replaceChildren(
      h('caption', {}, `${t('builder.preview')} (${num(Math.min(10, page.total))} / ${num(page.total)})`),
      h('tr', {}, ...page.columns.map((c) => h('th', { 'data-column': c }, header(c)))),
      ...page.rows.map((r) => h('tr', {}, ...r.map((v, i) => h('td', {}, cell(page.columns[i], v))))));
  }

  /** The columns of the preview: the export's choice, or its default. */
  function previewColumns() {
    return store.choices.export.columns ?? defaultColumns(store);
  }

  function drawTree() {
    if (!segment.rule.all && !segment.rule.any) segment.rule = { all: [segment.rule] };
    tree.replaceChildren(editNode(segment.rule, (next) => { segment.rule = next; changed(true); }, () => changed(false), offer, 'rule'));
  }

  json.addEventListener('change', () => {
    try {
      const parsed = JSON.parse(json.value);
      segment = parsed.rule ? { version: 1, name: parsed.name ?? segment.name, rule: parsed.rule } : { ...segment, rule: parsed };
      name.value = segment.name;
      changed(true);
    } catch (e) {
      error.hidden = false;
      error.textContent = `JSON: ${/** @type {Error} */ (e).message}`;
    }
  });

  const save = h('button', { type: 'button', id: 'save-segment' }, t('builder.save'));
  save.addEventListener('click', () => { store.save(); drawSaved(); });
  const fresh = h('button', { type: 'button', id: 'new-segment' }, t('builder.new'));
  fresh.addEventListener('click', () => { segment = { version: 1, name: 'untitled', rule: { all: [] } }; name.value = segment.name; changed(true); });
  const toExport = h('button', { type: 'button', class: 'primary', id: 'to-export' }, t('builder.export'));
  toExport.addEventListener('click', () => ctx.go('export'));

  const savedBox = h('div', { class: 'saved', id: 'saved-segments' });
  function drawSaved() {
    savedBox.replaceChildren(h('h3', {}, t('builder.saved')), ...store.saved.map((s) => {
      const open = h('button', { type: 'button', class: 'link', 'data-saved': s.name }, s.name);
      open.addEventListener('click', () => { segment = structuredClone(s); name.value = s.name; changed(true); });
      const del = h('button', { type: 'button', class: 'link danger', 'aria-label': `${t('builder.delete')} ${s.name}` }, '×');
      del.addEventListener('click', () => { store.remove(s.name); drawSaved(); });
      return h('div', { class: 'saved-item' }, open, del);
    }));
  }
  const presetBox = h('div', { class: 'presets', id: 'presets' }, h('h3', {}, t('builder.presets')), ...store.vocab.presets.map((p) => {
    const label = words.text(p.label);
    const b = h('button', { type: 'button', class: 'link', 'data-preset': p.id, title: words.text(p.description) }, `★ ${label}`);
    const preset = /** @type {import('../store.js').SegmentDoc} */ (p.segment);
    b.addEventListener('click', () => { segment = structuredClone({ ...preset, name: label }); name.value = segment.name; changed(true); });
    return b;
  }));

  drawTree();
  drawSaved();
  json.value = JSON.stringify(segment, null, 2);
  void recount();
  return h('section', { class: 'card view-builder' },
    h('div', { class: 'title-row' }, h('h2', {}, t('builder.title')),
      h('label', {}, `${t('builder.name')} `, name),
      h('span', { class: 'count' }, `${t('builder.count')}: `, count)),
    error,
    h('div', { class: 'builder-body' },
      h('div', { class: 'editor' }, tree, h('details', { class: 'json' }, h('summary', {}, t('builder.json')), json), sqlBox),
      h('aside', {}, h('div', { class: 'actions' }, save, fresh, toExport), presetBox, savedBox)),
    columnsBox,
    h('div', { class: 'scroll' }, preview));
}

/**
 * The SQL hint with the names of the tables the query reads, as the code they are.
 * @param {Ctx} ctx
 * @returns {(string | Node)[]}
 */
function sqlHint(ctx) {
  const { t } = ctx.i18n;
  const tables = ctx.words.vocab.tables.flatMap((x, i) => [...(i ? [t('common.list')] : []), h('code', {}, x.id)]);
  const [before, after] = t('builder.sqlHint').split('{tables}');
  return [before, ...tables, after ?? ''];
}

/**
 * The count of every node of the rule (paths as in JSON: `rule.all[0]`), and of the running
 * intersection (union) under `all` (`any`), from the engine's `explain`.
 * @param {Ctx} ctx
 * @param {any} rule
 * @returns {Promise<Map<string, { count: number, running?: number | null }>>}
 */
async function nodeCounts(ctx, rule) {
  const tree = await ctx.store.lab.explain({ version: 1, name: 'x', rule }, ctx.store.options);
  /** @type {Map<string, { count: number, running?: number | null }>} */
  const out = new Map();
  /** @param {import('../../index.js').ExplainNode} n */
  const walk = (n) => {
    out.set(n.path, { count: n.count, running: n.running });
    n.children.forEach(walk);
  };
  walk(tree.root);
  return out;
}

/**
 * Writes counts into the badges of the tree.
 * @param {HTMLElement} tree
 * @param {Map<string, { count: number, running?: number | null }>} counts
 * @param {(n: number) => string} num the element's number format
 */
function showCounts(tree, counts, num) {
  for (const badge of tree.querySelectorAll('[data-count-for]')) {
    const c = counts.get(/** @type {HTMLElement} */ (badge).dataset.countFor ?? '');
    badge.textContent = c ? (c.running != null && c.running !== c.count ? `${num(c.count)} → ${num(c.running)}` : num(c.count)) : '';
    if (c) /** @type {HTMLElement} */ (badge).dataset.value = String(c.count);
  }
}
