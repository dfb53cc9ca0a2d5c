// @ts-check
/**
 * Export: the current audience as a file (CSV for Excel, XLSX, Parquet, Arrow, JSON, NDJSON)
 * with chosen columns, optionally one file per store / guide / city / tier in a zip; or as a
 * hashed Meta / Google / TikTok list, whose match keys are checked before the download. Every
 * file is written in the worker and handed over as a Blob; progress shows while it is written.
 * Saved segment definitions (rules only) download and import as one JSON file.
 */
import { h } from '../dom.js';
import { columnGroups, columnPicker, defaultColumns, splitGroups } from '../columns.js';

/** @typedef {import('../element.js').Ctx} Ctx */
/** @typedef {import('../../index.js').ExportFormat} ExportFormat */
/** @typedef {import('../../index.js').AdPlatform} AdPlatform */
/** @typedef {import('../../index.js').MatchReport} MatchReport */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store, words } = ctx;
  const { t, num } = ctx.i18n;
  const state = store.choices.export;
  if (store.emptySegment) {
    const toBuilder = h('button', { type: 'button', class: 'primary', id: 'to-builder' }, t('builder.title'));
    toBuilder.addEventListener('click', () => ctx.go('builder'));
    return h('section', { class: 'card view-export' }, h('h2', {}, t('export.title')),
      h('p', { class: 'hint', id: 'export-empty' }, t('export.empty')), h('div', { class: 'actions' }, toBuilder), library(ctx));
  }
  const count = await store.lab.count(store.segment, store.options);
  const chosen = state.columns ?? defaultColumns(store);

  const radio = (/** @type {string} */ value, /** @type {string} */ label) => {
    const r = h('input', { type: 'radio', name: 'export-kind', value, checked: state.kind === value, id: `export-kind-${value}` });
    r.addEventListener('change', () => { state.kind = /** @type {'file' | 'ads'} */ (value); ctx.rerender(); });
    return h('label', {}, r, ` ${label}`);
  };
  const kinds = h('fieldset', { class: 'kinds', id: 'export-kind' }, h('legend', {}, t('export.kind')),
    radio('file', t('export.file')), radio('ads', t('export.ads')));

  const status = h('p', { class: 'hint', id: 'export-status', 'aria-live': 'polite' });
  const bar = h('progress', { max: 1, value: 0, hidden: true, id: 'export-progress' });
  const download = h('button', { type: 'button', class: 'primary', id: 'download' }, t('export.download'));

  /** @type {HTMLElement} */
  let options;
  /** @type {() => import('../../index.js').ExportOptions} */
  let exportOptions;
  if (state.kind === 'file') {
    const format = h('select', { id: 'export-format' }, ...words.list('exportFormats').map((f) => h('option', { value: f.id, selected: state.format === f.id }, f.text)));
    format.addEventListener('change', () => { state.format = /** @type {ExportFormat} */ (format.value); });
    const split = h('select', { id: 'export-split' }, h('option', { value: '' }, t('export.noSplit')),
      ...splitGroups(store, words, t).map((g) => h('optgroup', { label: g.text },
        ...g.items.map((c) => h('option', { value: c.id, selected: state.splitBy === c.id }, c.text)))));
    split.addEventListener('change', () => { state.splitBy = split.value; });
    const columns = columnPicker('columns', t('export.columns'), columnGroups(store, words, t), chosen, (next) => { state.columns = next; });
    options = h('div', {},
      h('div', { class: 'controls' }, h('label', {}, `${t('export.format')} `, format), h('label', {}, `${t('export.splitBy')} `, split)),
      columns);
    exportOptions = () => ({
      format: state.format,
      columns: [...columns.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value),
      // The select, not the choice: a choice restored from other data may name a column these lack.
      splitBy: split.value || undefined,
    });
  } else {
    const platform = h('select', { id: 'export-platform' }, ...words.list('adProfiles').map((p) => h('option', { value: p.id, selected: state.platform === p.id }, p.text)));
    const country = h('input', { type: 'text', id: 'export-country', value: state.country, size: 4, 'aria-label': t('export.country') });
    const reportBox = h('div', { id: 'match-report' });
    const check = async () => {
      state.platform = /** @type {AdPlatform} */ (platform.value);
      state.country = country.value.trim() || 'CN';
      try {
        renderReport(reportBox, ctx, await store.lab.matchReport(store.segment, { ...store.options, profile: state.platform, defaultCountry: state.country }));
      } catch (e) {
        ctx.fail(e);
      }
    };
    platform.addEventListener('change', () => void check());
    country.addEventListener('change', () => void check());
    options = h('div', {},
      h('div', { class: 'controls' }, h('label', {}, `${t('export.profile')} `, platform), h('label', {}, `${t('export.country')} `, country)),
      reportBox);
    exportOptions = () => ({ profile: state.platform, defaultCountry: state.country });
    void check();
  }

  download.addEventListener('click', async () => {
    download.disabled = true;
    bar.hidden = false;
    bar.removeAttribute('value');
    try {
      const opts = exportOptions();
      const r = await store.lab.exportFile(store.segment, {
        ...store.options,
        ...opts,
        onProgress: (p) => {
          if (p.stage === 'write') status.textContent = t('export.writing', { rows: num(p.rows ?? 0) });
          if (p.fraction) bar.value = p.fraction;
        },
      });
      const filename = `audience-${safeName(r.filename)}`;
      save(r.blob, filename);
      status.textContent = t('export.done', { file: filename, rows: num(r.rows), size: bytes(r.size) });
      status.dataset.rows = String(r.rows);
      const format = opts.profile ?? opts.format ?? state.format;
      ctx.host.dispatchEvent(new CustomEvent('export', { detail: { format, filename, bytes: r.size, rows: r.rows, segment: store.segment }, bubbles: true, composed: true }));
    } catch (e) {
      status.textContent = '';
      ctx.fail(e);
    } finally {
      download.disabled = false;
      bar.hidden = true;
    }
  });

  return h('section', { class: 'card view-export' },
    h('h2', {}, t('export.title')),
    h('p', {}, `${t('export.segment')}: `, h('strong', {}, store.segment.name), ' · ', h('span', { id: 'export-count', 'data-count': count }, num(count))),
    kinds, options,
    h('div', { class: 'actions' }, download, bar), status,
    library(ctx));
}

/**
 * The match-key quality table of an ad list, shown before the download: per key of the
 * vocabulary, the member attribute read (by its header) and the counts.
 * @param {HTMLElement} box
 * @param {Ctx} ctx
 * @param {MatchReport} r
 */
function renderReport(box, ctx, r) {
  const { t, num } = ctx.i18n;
  const { words, store } = ctx;
  const header = (/** @type {string} */ field) => store.memberFields.find((f) => f.id === field)?.name ?? field;
  const row = (/** @type {import('../words.js').Item} */ key, /** @type {import('../../index.js').MatchKeyReport} */ k) => h('tr', { 'data-key': key.id },
    // The attribute read, when its header does not already say the key.
    h('th', {}, k.column && header(k.column) !== key.text ? t('export.keyColumn', { key: key.text, column: header(k.column) }) : key.text),
    ...[k.present, k.valid, k.alreadyHashed, k.invalid, k.duplicates].map((n) => h('td', { class: 'num' }, num(n))));
  /** The report of a key: the report has a field per match key of the vocabulary. */
  const of = (/** @type {string} */ id) => /** @type {import('../../index.js').MatchKeyReport} */ (/** @type {Record<string, unknown>} */ (r)[id]);
  const keys = words.list('matchKeys').filter((k) => of(k.id));
  /** The engine's description of a problem, in the element's language. @param {import('../../index.js').MatchProblem | undefined} p */
  const problemText = (p) => (p ? (ctx.i18n.lang === 'zh' ? p.descriptionZh : p.description) : undefined);
  // An invalid value with the engine's description of its problem.
  const samples = keys.flatMap((k) => of(k.id).invalidSamples.map((x) => ({ ...x, why: problemText(of(k.id).problems.find((p) => p.problem === x.note)) ?? x.note }))).slice(0, 6);
  box.replaceChildren(
    h('h3', {}, t('export.report')),
    h('table', { class: 'preview match' },
      h('thead', {}, h('tr', {}, h('th', {}, t('export.key')), ...['present', 'valid', 'hashed', 'invalid', 'duplicates'].map((k) => h('th', { class: 'num' }, t(/** @type {any} */ (`export.${k}`)))))),
      h('tbody', {}, ...keys.map((k) => row(k, of(k.id))))),
    h('p', { class: 'hint', 'data-rows': r.rows }, t('export.rowsOut', { rows: num(r.rows), noKey: num(r.noKey), dups: num(r.duplicateRows) })),
    samples.length ? h('ul', { class: 'samples-list' }, ...samples.map((s) => h('li', {}, `${s.memberId}: “${s.value}” — ${s.why}`))) : '');
}

/**
 * Download and import of the saved segment definitions.
 * @param {Ctx} ctx
 */
function library(ctx) {
  const { store } = ctx;
  const { t } = ctx.i18n;
  const out = h('button', { type: 'button', id: 'library-download', disabled: store.saved.length === 0 }, t('export.libraryOut'));
  out.addEventListener('click', async () => {
    try {
      save(await store.lab.exportSegments(), 'segments.json');
    } catch (e) {
      ctx.fail(e);
    }
  });
  const input = h('input', { type: 'file', id: 'library-file', accept: '.json,application/json', class: 'visually-hidden' });
  const pick = h('label', { class: 'button', for: 'library-file', tabindex: 0 }, t('export.libraryIn'));
  pick.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); input.click(); } });
  const note = h('span', { class: 'hint', id: 'library-status', 'aria-live': 'polite' });
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const segments = await store.lab.importSegments(file);
      store.adopt(segments);
      note.textContent = t('export.imported', { n: segments.length });
      out.disabled = store.saved.length === 0;
    } catch (e) {
      ctx.fail(e);
    }
  });
  return h('section', { class: 'library' }, h('h3', {}, t('export.library')), h('p', { class: 'hint' }, t('export.libraryHint')),
    h('div', { class: 'actions' }, out, input, pick, note));
}

/** A size in bytes for people. @param {number} n */
function bytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

/** A file name from a segment name: no path characters, never empty. @param {string} name */
export function safeName(name) {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 120) || 'audience';
}

/**
 * Offers a Blob as a download (object URL, revoked afterwards).
 * @param {Blob} blob
 * @param {string} filename
 */
export function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
