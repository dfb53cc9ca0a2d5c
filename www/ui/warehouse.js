// @ts-check
/**
 * "SQL for your warehouse": the panel a report screen ends with. The report the screen shows
 * (RFM, lifecycle, cohorts, KPIs, the migration matrix, the stage trend …), computed with the
 * options the screen shows, as the one query `lab.toSql(null, { report })` writes for DuckDB
 * or Spark SQL over the warehouse's tables, in a read-only block with a Copy button: the data
 * team runs the same table over all the data. A screen that shows several reports (the
 * Overview: KPIs, lifecycle stages, stage trend) has one panel with a choice of its report.
 * Whether the panel is open, the dialect and such a screen's report are the element's choices
 * (`store.choices.warehouse`), alike on every report screen and kept across redraws.
 */
import { h } from './dom.js';

/** @typedef {import('./element.js').Ctx} Ctx */
/** @typedef {import('../index.js').SqlReport} SqlReport */
/**
 * The options of a report's query but the dialect and the report: the screen's own.
 * @typedef {Omit<import('../index.js').SqlOptions, 'dialect' | 'report'>} ReportOptions
 */
/**
 * A report a screen shows with the options it computed it with.
 * @typedef {{ report: SqlReport, options: ReportOptions }} ScreenReport
 */
/**
 * The field of `store.choices.warehouse` that keeps the report of a screen with several.
 * @typedef {'overview'} ReportChoice
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
 * A screen that shows several reports passes them all, each with its options, and the field
 * of the choices that keeps the one picked: the panel offers them in a list, in that order.
 * A screen redrawn with other options makes a new panel, which shows their query. The promise
 * settles once an open panel holds its query, so a redraw does not jump; the panel says what
 * it shows in `data-state` (`closed`, `loading`, `ready`, `error`), `data-report` and
 * `data-dialect`.
 * @param {Ctx} ctx
 * @param {SqlReport | ScreenReport[]} report the report the screen shows, or every one it shows
 * @param {ReportOptions} [options] the options the screen computed its table with (one report)
 * @param {ReportChoice} [choice] with several reports: the choice that keeps the one shown
 * @returns {Promise<HTMLDetailsElement>}
 */
export async function warehouseSql(ctx, report, options = {}, choice) {
  const { store, words } = ctx;
  const { t } = ctx.i18n;
  const choices = store.choices.warehouse;
  const reports = typeof report === 'string' ? [{ report, options }] : report;
  /** The report picked (the first when the choice names none of the screen's). */
  const current = () => {
    const picked = choice ? choices[choice] : undefined;
    return reports.find((r) => r.report === picked) ?? reports[0];
  };
  const dialect = h('select', { id: 'warehouse-dialect' },
    ...words.list('dialects').map((d) => h('option', { value: d.id, selected: choices.dialect === d.id }, d.text)));
  const picker = reports.length > 1
    ? h('select', { id: 'warehouse-report' }, ...reports.map((r) =>
      h('option', { value: r.report, selected: r === current() }, words.word('sqlReports', r.report))))
    : null;
  const copy = h('button', { type: 'button', id: 'warehouse-copy' }, t('warehouse.copy'));
  const status = h('span', { class: 'muted', id: 'warehouse-status', role: 'status' });
  const error = h('p', { class: 'error', id: 'warehouse-error', role: 'alert', hidden: true });
  const sql = h('pre', { class: 'sql', id: 'warehouse-sql', tabindex: 0, 'aria-label': t('warehouse.title') });
  const about = h('p', { class: 'hint' }, ...hint(ctx, current().report));
  const box = h('details', { class: 'warehouse', id: 'warehouse', 'data-report': current().report, 'data-state': 'closed', open: choices.open },
    h('summary', {}, t('warehouse.title')),
    about,
    h('div', { class: 'warehouse-bar' },
      picker && h('label', {}, `${t('warehouse.report')} `, picker),
      h('label', {}, `${t('warehouse.dialect')} `, dialect), copy, status),
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
    const shown = current();
    box.dataset.state = 'loading';
    box.dataset.report = shown.report;
    box.dataset.dialect = choices.dialect;
    copy.disabled = true;
    const answer = await store.lab.toSql(null, { ...shown.options, report: shown.report, dialect: choices.dialect })
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
  picker?.addEventListener('change', () => {
    if (choice) choices[choice] = /** @type {any} */ (picker.value);
    box.dataset.report = current().report;
    about.replaceChildren(...hint(ctx, current().report));
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
