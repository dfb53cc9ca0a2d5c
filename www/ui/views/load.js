// @ts-check
/**
 * Load: drop or pick the members, orders and (optional) member-tags and order-items exports
 * (a platform's second file of the orders' items, such as Taobao's 宝贝报表); each file shows
 * a mapping preview (detected format, encoding, roles with confidence, first rows) before it
 * is loaded, then a progress bar, then its load report with rejected rows. After the engine
 * stopped, it says so above the cards and offers to load the files again (lost.js).
 */
import { h } from '../dom.js';
import { renderLost } from '../lost.js';
import { renderMapping } from '../mapping.js';
import { renderReport } from '../report.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {'members' | 'orders' | 'member_tags' | 'order_items'} Kind */

const KINDS = /** @type {const} */ (['members', 'orders', 'member_tags', 'order_items']);

/** @param {Ctx} ctx */
export function render(ctx) {
  const { store } = ctx;
  const { t } = ctx.i18n;
  const parts = Object.fromEntries(KINDS.map((kind) => [kind, card(ctx, kind)]));
  const lost = store.lost;
  const notice = lost && renderLost(ctx, lost, (kind, p) => showProgress(ctx, parts[kind], p));
  const next = h('button', { type: 'button', class: 'primary', id: 'to-overview', hidden: !store.hasOrders }, t('load.next'));
  next.addEventListener('click', () => ctx.go('overview'));
  store.addEventListener('change', (ev) => {
    if (/** @type {CustomEvent} */ (ev).detail !== 'data') return;
    next.hidden = !store.hasOrders;
    // The engine stopped, or a lost file is loaded again: the notice and the cards change.
    if (store.lost !== lost) ctx.rerender();
  }, { signal: ctx.signal });
  const sample = h('button', { type: 'button', id: 'load-sample' }, t('load.sample'));
  const sampleZh = h('button', { type: 'button', id: 'load-sample-zh', class: 'link' }, t('load.sampleZh'));
  sample.addEventListener('click', () => void loadSample(ctx, 'samples'));
  sampleZh.addEventListener('click', () => void loadSample(ctx, 'samples/zh'));
  return h('section', { class: 'card view-load' },
    h('h2', {}, t('load.title')),
    notice,
    h('p', { class: 'hint' }, t('load.hint')),
    h('div', { class: 'drops' }, ...KINDS.map((kind) => parts[kind].drop)),
    h('p', { class: 'samples' }, t('load.noExport'), ' ', sample, ' ', sampleZh),
    h('div', { class: 'actions' }, next));
}

/**
 * One drop card, with the parts a load shows its progress and report in.
 * @param {Ctx} ctx
 * @param {Kind} kind
 * @returns {Parts}
 */
function card(ctx, kind) {
  const { t } = ctx.i18n;
  const input = h('input', { type: 'file', id: `file-${kind}`, 'data-kind': kind, class: 'visually-hidden' });
  const label = h('label', { class: 'pick button', for: `file-${kind}` }, t('load.choose'));
  const bar = h('progress', { max: 1, value: 0, hidden: true });
  const status = h('span', { class: 'progress-text', 'aria-live': 'polite' });
  const box = h('div', { class: 'report', id: `report-${kind}` });
  const drop = h('div', { class: 'drop', id: `drop-${kind}`, 'data-kind': kind },
    h('h3', {}, ctx.words.word('tables', kind), kind === 'orders' ? '' : h('span', { class: 'opt' }, ` ${t('load.optional')}`)),
    kind === 'order_items' ? h('p', { class: 'hint' }, t('load.itemsHint')) : null,
    input, label, h('span', { class: 'or' }, t('load.drop')), bar, status, box);
  const report = ctx.store.reports[kind];
  if (report) {
    renderReport(box, report, ctx.i18n, ctx.words);
    drop.classList.add('loaded');
  }
  if (ctx.store.lost?.tables.some((x) => x.kind === kind)) drop.classList.add('lost');
  const parts = { drop, bar, status, box };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void preview(ctx, kind, file, parts);
    input.value = '';
  });
  // Keyboard users open the picker from the label with Enter or Space.
  label.tabIndex = 0;
  label.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      input.click();
    }
  });
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const file = ev.dataTransfer?.files[0];
    if (file) void preview(ctx, kind, file, parts);
  });
  return parts;
}

/** @typedef {{ drop: HTMLElement, bar: HTMLProgressElement, status: HTMLElement, box: HTMLElement }} Parts */

/**
 * Shows what a picked file looks like and which role each column gets.
 * @param {Ctx} ctx
 * @param {Kind} kind
 * @param {File} file
 * @param {Parts} parts
 * @param {{ mapping?: Record<string, string>, encoding?: string }} [opts]
 */
async function preview(ctx, kind, file, parts, opts = {}) {
  try {
    const p = await ctx.store.lab.preview(kind, file, { ...opts, rows: 8 });
    renderMapping(parts.box, p, ctx.i18n, ctx.words, {
      encoding: opts.encoding,
      mapping: opts.mapping,
      onChange: (o) => void preview(ctx, kind, file, parts, o),
      onCommit: (o) => void load(ctx, kind, file, file.name, parts, o),
      onCancel: () => parts.box.replaceChildren(),
    });
    /** @type {HTMLElement | null} */ (parts.box.querySelector('select'))?.focus();
  } catch (e) {
    parts.box.replaceChildren();
    ctx.fail(e);
  }
}

/**
 * Loads one file with progress and shows its report.
 * @param {Ctx} ctx
 * @param {Kind} kind
 * @param {Blob} data
 * @param {string} name
 * @param {Parts} parts
 * @param {{ encoding?: string, mapping?: Record<string, string> }} [opts]
 */
async function load(ctx, kind, data, name, parts, opts = {}) {
  const { box, drop } = parts;
  box.replaceChildren(h('p', { class: 'hint' }, ctx.i18n.t('load.loading', { name })));
  try {
    const report = await ctx.store.lab.load(kind, data, { ...opts, name, onProgress: (p) => showProgress(ctx, parts, p) });
    renderReport(box, report, ctx.i18n, ctx.words);
    drop.classList.add('loaded');
    ctx.store.loaded(report);
    ctx.host.dispatchEvent(new CustomEvent('load', { detail: report, bubbles: true, composed: true }));
    /** @type {HTMLElement | null} */ (drop.getRootNode() instanceof ShadowRoot ? /** @type {ShadowRoot} */ (drop.getRootNode()).getElementById('to-overview') : null)?.focus();
  } catch (e) {
    box.replaceChildren();
    drop.classList.remove('loaded');
    // A stop of the engine is told by the notice it brings.
    if (e !== ctx.store.lost?.error) ctx.fail(e);
  } finally {
    showProgress(ctx, parts, null);
  }
}

/**
 * Shows a load's progress on its card: the bar, and bytes and rows read; null hides them.
 * @param {Ctx} ctx
 * @param {Parts} parts
 * @param {import('../../index.js').Progress | null} p
 */
function showProgress(ctx, { bar, status }, p) {
  const { t, num } = ctx.i18n;
  bar.hidden = p === null;
  bar.value = p?.fraction ?? 0;
  const mb = (/** @type {number} */ b) => (b / 1048576).toLocaleString(undefined, { maximumFractionDigits: 1 });
  status.textContent = p?.totalBytes ? t('load.progress', { done: mb(p.bytes ?? 0), total: mb(p.totalBytes), rows: num(p.rows ?? 0) }) : '';
}

/**
 * The generated sample exports, loaded without a preview.
 * @param {Ctx} ctx
 * @param {string} dir
 */
async function loadSample(ctx, dir) {
  const root = /** @type {ShadowRoot} */ (ctx.host.shadowRoot);
  for (const kind of /** @type {const} */ (['members', 'orders'])) {
    const url = new URL(`${dir}/${kind}.csv`, document.baseURI);
    const res = await fetch(url);
    if (!res.ok) {
      ctx.fail(new Error(ctx.i18n.t('load.missingSample', { file: `${dir}/${kind}.csv` })));
      return;
    }
    const drop = /** @type {HTMLElement} */ (root.getElementById(`drop-${kind}`));
    const parts = {
      drop,
      bar: /** @type {HTMLProgressElement} */ (drop.querySelector('progress')),
      status: /** @type {HTMLElement} */ (drop.querySelector('.progress-text')),
      box: /** @type {HTMLElement} */ (root.getElementById(`report-${kind}`)),
    };
    await load(ctx, kind, await res.blob(), `${kind}.csv`, parts);
  }
}
