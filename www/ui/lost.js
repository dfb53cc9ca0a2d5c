// @ts-check
/**
 * The notice the Load view shows after the engine stopped: that it stopped and why, each file
 * it held that is no longer loaded, and one button that loads again those the client kept
 * (`lab.reload()`); a table given as bytes cannot be, so it is to be dropped again.
 */
import { h } from './dom.js';

/** @typedef {import('./element.js').Ctx} Ctx */
/** @typedef {import('../index.js').EngineLost} EngineLost */
/** @typedef {import('../index.js').TableKind} TableKind */
/** @typedef {import('../index.js').Progress} Progress */

/**
 * The notice (role `alert`, `#engine-lost`).
 * @param {Ctx} ctx
 * @param {EngineLost} lost
 * @param {(kind: TableKind, progress: Progress | null) => void} progress shows a load's
 *   progress on its card, as a load from the card does (null: the load is over)
 */
export function renderLost(ctx, lost, progress) {
  const { t, num } = ctx.i18n;
  const items = lost.tables.map((x) => h('li', { 'data-kind': x.kind, 'data-reloadable': String(x.reloadable) },
    h('strong', {}, x.name), t('lost.table', { table: ctx.words.word('tables', x.kind), rows: num(x.rows) }),
    h('span', { class: 'not-loaded' }, t('lost.notLoaded')),
    x.reloadable ? '' : h('span', { class: 'drop-again' }, t('lost.dropAgain'))));
  const reloadable = lost.tables.filter((x) => x.reloadable);
  const again = reloadable.length ? h('button', { type: 'button', class: 'primary', id: 'reload-lost' }, t('lost.reload')) : null;
  again?.addEventListener('click', () => void reload(ctx, again, reloadable.map((x) => x.kind), progress));
  return h('div', { class: 'lost-notice', id: 'engine-lost', role: 'alert' },
    h('h3', {}, t('lost.title')),
    h('p', {}, t('lost.hint')),
    h('p', { class: 'reason' }, t('lost.reason'), h('code', {}, lost.error.message)),
    h('ul', {}, ...items),
    again && h('p', { class: 'actions' }, again, h('span', { class: 'hint' }, t('lost.reloadHint'))));
}

/**
 * Loads the lost tables again and hands their reports to the store, which then holds them
 * as loaded (and no longer as lost), as a load from a card does.
 * @param {Ctx} ctx
 * @param {HTMLButtonElement} button
 * @param {TableKind[]} kinds the tables `lab.reload()` loads
 * @param {(kind: TableKind, progress: Progress | null) => void} progress
 */
async function reload(ctx, button, kinds, progress) {
  const { store } = ctx;
  button.disabled = true;
  try {
    // Each table is announced as soon as it is loaded again: a failure part-way leaves none
    // loaded in the engine and shown as lost.
    await store.lab.reload(progress, (report) => {
      store.loaded(report);
      ctx.host.dispatchEvent(new CustomEvent('load', { detail: report, bubbles: true, composed: true }));
    });
  } catch (e) {
    // A stop during the reload is told by the notice it brings.
    if (e !== store.lost?.error) ctx.fail(e);
  } finally {
    button.disabled = false;
    for (const kind of kinds) progress(kind, null);
  }
}
