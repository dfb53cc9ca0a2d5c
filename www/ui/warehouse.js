// @ts-check
/**
 * "SQL for your warehouse": the panel a report screen ends with. The report the screen shows
 * (RFM, lifecycle, cohorts …), computed with the options the screen shows, as the one query
 * `lab.toSql(null, { report })` writes for DuckDB or Spark SQL over the warehouse's tables, in
 * a read-only block with a Copy button: the data team runs the same table over all the data.
 * Whether the panel is open and the dialect are the element's choices
 * (`store.choices.warehouse`), alike on every report screen and kept across redraws.
 */
import { h } from './dom.js';

/** @typedef {import('./element.js').Ctx} Ctx */
/** @typedef {import('../index.js').SqlReport} SqlReport */
/**
 * The options of a report's query but the dialect and the report: the screen's own.
 * @typedef {Omit<import('../index.js').SqlOptions, 'dialect' | 'report'>} ReportOptions
 */

/** The tables a report's query reads (SPEC §1; no report reads the order items). */
const TABLES = ['orders', 'members', 'member_tags'];

/** Milliseconds the Copy button says "Copied". */
const COPIED_MS = 2000;

/**
 * The "SQL for your warehouse" panel of a report screen: a disclosure with the dialect, the
 * query of `report` with the screen's `options`, and a Copy button (the clipboard; where the
 * browser refuses, the query is selected and the panel says to press Ctrl+C). The engine's
 * refusal (e.g. cohorts by join date without a join date column) is said in the panel.
 * A screen redrawn with other options makes a new panel, which shows their query. The promise
 * settles once an open panel holds its query, so a redraw does not jump; the panel says what
 * it shows in `data-state` (`closed`, `loading`, `ready`, `error`) and `data-dialect`.
 * @param {Ctx} ctx
 * @param {SqlReport} report
 * @param {ReportOptions} options the options the screen computed its table with
 * @returns {Promise<HTMLDetailsElement>}
 */
export async function warehouseSql(ctx, report, options) {
  const { store, words } = ctx;
  const { t } = ctx.i18n;
  const choices = store.choices.warehouse;
  const dialect = h('select', { id: 'warehouse-dialect' },
    ...words.list('dialects').map((d) => h('option', { value: d.id, selected: choices.dialect === d.id }, d.text)));
  const copy = h('button', { type: 'button', id: 'warehouse-copy' }, t('warehouse.copy'));
  const status = h('span', { class: 'muted', id: 'warehouse-status', role: 'status' });
  const error = h('p', { class: 'error', id: 'warehouse-error', role: 'alert', hidden: true });
  const sql = h('pre', { class: 'sql', id: 'warehouse-sql', tabindex: 0, 'aria-label': t('warehouse.title') });
  const box = h('details', { class: 'warehouse', id: 'warehouse', 'data-report': report, 'data-state': 'closed', open: choices.open },
    h('summary', {}, t('warehouse.title')),
    h('p', { class: 'hint' }, ...hint(ctx, report)),
    h('div', { class: 'warehouse-bar' }, h('label', {}, `${t('warehouse.dialect')} `, dialect), copy, status),
    error, sql);

  let generation = 0;
  /** Fills the panel with the query of the dialect chosen (while it is open). */
  const show = async () => {
    const gen = ++generation;
    status.textContent = '';
    if (!box.open) {
      box.dataset.state = 'closed';
      return;
    }
    box.dataset.state = 'loading';
    box.dataset.dialect = choices.dialect;
    copy.disabled = true;
    const answer = await store.lab.toSql(null, { ...options, report, dialect: choices.dialect })
      .then((text) => ({ text, failure: '' }), (/** @type {Error} */ e) => ({ text: '', failure: e?.message ?? String(e) }));
    if (gen !== generation || ctx.signal.aborted) return;
    sql.textContent = answer.text;
    sql.hidden = Boolean(answer.failure);
    error.hidden = !answer.failure;
    error.textContent = answer.failure && t('warehouse.error', { reason: answer.failure });
    copy.disabled = Boolean(answer.failure);
    box.dataset.state = answer.failure ? 'error' : 'ready';
  };
  // A panel made open fires a toggle too: only a change of the user's asks again.
  let open = box.open;
  box.addEventListener('toggle', () => {
    if (box.open === open) return;
    open = choices.open = box.open;
    void show();
  });
  dialect.addEventListener('change', () => {
    choices.dialect = /** @type {import('../index.js').SqlDialect} */ (dialect.value);
    void show();
  });

  let timer = 0;
  ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  copy.addEventListener('click', async () => {
    clearTimeout(timer);
    try {
      await navigator.clipboard.writeText(sql.textContent ?? '');
      copy.textContent = t('warehouse.copied');
      copy.dataset.copied = 'true';
      timer = /** @type {any} */ (setTimeout(() => {
        copy.textContent = t('warehouse.copy');
        delete copy.dataset.copied;
      }, COPIED_MS));
    } catch {
      // No clipboard here (an insecure page, a refused permission): the user copies it.
      select(sql);
      status.textContent = t('warehouse.copyFailed');
    }
  });

  await show();
  return box;
}

/**
 * The panel's hint with the report's name and the tables its query reads, as the code they are.
 * @param {Ctx} ctx
 * @param {SqlReport} report
 * @returns {(string | Node)[]}
 */
function hint(ctx, report) {
  const { t } = ctx.i18n;
  const names = ctx.words.vocab.tables.map((x) => x.id).filter((id) => TABLES.includes(id));
  const tables = names.flatMap((id, i) => [...(i ? [t('common.list')] : []), h('code', {}, id)]);
  const [before, after] = t('warehouse.hint', { report: ctx.words.word('sqlReports', report) }).split('{tables}');
  return [before, ...tables, after ?? ''];
}

/**
 * Selects the text of an element, so Ctrl+C copies it.
 * @param {HTMLElement} el
 */
function select(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}
