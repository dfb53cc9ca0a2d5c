// @ts-check
/** The page: load two exports, see RFM segments, pick one, download its members. */
import { AudienceLab } from '../pkg/index.js';
import { byId, h } from './dom.js';
import { renderReport } from './report.js';
import { renderMapping } from './mapping.js';
import { renderSegments, renderGrid, markSegment } from './rfm.js';
import { segmentRule, renderColumns, chosenColumns, renderPreview, download, loadPresets } from './audience.js';

/** @typedef {import('../pkg/index.js').TableKind} TableKind */

const ui = {
  loadError: byId('load-error', HTMLElement),
  rfm: byId('rfm', HTMLElement),
  asOf: byId('as-of', HTMLInputElement),
  method: byId('method', HTMLSelectElement),
  summary: byId('rfm-summary', HTMLElement),
  segments: byId('segments', HTMLTableElement),
  grid: byId('grid', HTMLTableElement),
  audience: byId('audience', HTMLElement),
  pick: byId('segment-pick', HTMLSelectElement),
  count: byId('audience-count', HTMLElement),
  columns: byId('columns', HTMLFieldSetElement),
  download: byId('download', HTMLButtonElement),
  preview: byId('preview', HTMLTableElement),
  presets: byId('presets', HTMLElement),
};

const labReady = AudienceLab.create();
/** Preset audiences (presets.json); an empty list when they cannot be read. */
const presetsReady = loadPresets().catch(() => []);
/** @type {Set<TableKind>} */
const loaded = new Set();
/** Member table field names, for the column choice. */
let memberColumns = /** @type {string[]} */ ([]);
/** Bumped on every refresh so that a slow answer never overwrites a newer one. */
let generation = 0;

/** @param {unknown} e */
function showError(e) {
  ui.loadError.hidden = false;
  ui.loadError.textContent = e instanceof Error ? e.message : String(e);
}

/**
 * Shows what a picked file looks like and which role each column gets; the user may change
 * the roles or the encoding, then loads it.
 * @param {TableKind} kind
 * @param {File} file
 * @param {{ mapping?: Record<string, string>, encoding?: string }} [opts]
 */
async function previewFile(kind, file, opts = {}) {
  const box = byId(`report-${kind}`, HTMLElement);
  ui.loadError.hidden = true;
  try {
    const lab = await labReady;
    const preview = await lab.preview(kind, file, { ...opts, rows: 8 });
    renderMapping(box, preview, {
      encoding: opts.encoding,
      mapping: opts.mapping,
      onChange: (o) => void previewFile(kind, file, o),
      onCommit: (o) => void loadFile(kind, file, file.name, o),
      onCancel: () => box.replaceChildren(),
    });
  } catch (e) {
    box.replaceChildren();
    showError(e);
  }
}

/**
 * Loads one file and shows its report.
 * @param {TableKind} kind
 * @param {Blob} data
 * @param {string} name
 * @param {{ encoding?: string, mapping?: Record<string, string> }} [opts]
 */
async function loadFile(kind, data, name, opts = {}) {
  const drop = byId(`drop-${kind}`, HTMLElement);
  const bar = /** @type {HTMLProgressElement} */ (drop.querySelector('progress'));
  const status = /** @type {HTMLElement} */ (drop.querySelector('.progress-text'));
  const box = byId(`report-${kind}`, HTMLElement);
  ui.loadError.hidden = true;
  bar.hidden = false;
  bar.value = 0;
  box.replaceChildren(h('p', { class: 'hint' }, `Loading ${name}…`));
  const mb = (/** @type {number} */ b) => (b / 1048576).toLocaleString(undefined, { maximumFractionDigits: 1 });
  try {
    const lab = await labReady;
    const report = await lab.load(kind, data, {
      ...opts,
      name,
      onProgress: (p) => {
        bar.value = p.fraction;
        status.textContent = p.totalBytes
          ? `${mb(p.bytes ?? 0)} of ${mb(p.totalBytes)} MB · ${(p.rows ?? 0).toLocaleString()} rows`
          : '';
      },
    });
    renderReport(box, report);
    drop.classList.add('loaded');
    loaded.add(kind);
    if (kind === 'members') memberColumns = report.columns.map((c) => c.role ?? c.name);
    await refresh();
  } catch (e) {
    box.replaceChildren();
    drop.classList.remove('loaded');
    showError(e);
  } finally {
    bar.hidden = true;
    status.textContent = '';
  }
}

/** Recomputes RFM (when orders are loaded) and the audience panel. */
async function refresh() {
  if (!loaded.has('orders')) return;
  const lab = await labReady;
  const gen = ++generation;
  const opts = analysisOptions();
  const rfm = await lab.rfm(opts);
  if (gen !== generation) return;
  if (!ui.asOf.value) ui.asOf.value = rfm.asOf;
  ui.summary.textContent = `as of ${rfm.asOf}: ${rfm.members.toLocaleString()} buyers, ${rfm.prospects.toLocaleString()} without a purchase`;
  renderSegments(ui.segments, rfm, pickSegment);
  renderGrid(ui.grid, rfm.grid);
  const current = ui.pick.value;
  const presets = await presetsReady;
  ui.pick.replaceChildren(
    ...rfm.segments.map((s) => new Option(`${s.label} · ${s.labelZh}`, s.segment)),
    new Option('Prospects · 潜在客户', 'prospect'),
    ...presets.map((p) => new Option(`★ ${p.label} · ${p.labelZh}`, p.id)));
  ui.presets.replaceChildren(...presets.map((p) =>
    h('button', { type: 'button', 'data-preset': p.id, title: p.description }, `★ ${p.label}`)));
  ui.pick.value = current || rfm.segments[0]?.segment || 'prospect';
  renderColumns(ui.columns, memberColumns);
  ui.rfm.hidden = false;
  ui.audience.hidden = false;
  await updateAudience();
}

/** @returns {import('../pkg/index.js').AnalysisOptions} */
function analysisOptions() {
  const method = ui.method.value === 'ntile' ? 'ntile' : 'quantile';
  return ui.asOf.value ? { asOf: ui.asOf.value, method } : { method };
}

/** @param {string} segment */
function pickSegment(segment) {
  ui.pick.value = segment;
  void updateAudience();
}

/** Live count and preview of the chosen segment. */
async function updateAudience() {
  const lab = await labReady;
  const gen = ++generation;
  const segment = ui.pick.value;
  markSegment(ui.segments, segment);
  ui.count.textContent = '…';
  try {
    const rule = segmentRule(segment);
    const opts = analysisOptions();
    const [n, page] = await Promise.all([
      lab.count(rule, opts),
      lab.members(rule, { ...opts, columns: chosenColumns(ui.columns), limit: 10 }),
    ]);
    if (gen !== generation) return;
    ui.count.textContent = n.toLocaleString();
    ui.count.dataset.count = String(n);
    renderPreview(ui.preview, page);
  } catch (e) {
    showError(e);
  }
}

async function downloadAudience() {
  const lab = await labReady;
  const segment = ui.pick.value;
  ui.download.disabled = true;
  try {
    const blob = await lab.export(segmentRule(segment), { ...analysisOptions(), format: 'csv', columns: chosenColumns(ui.columns) });
    download(blob, `audience-${segment}.csv`);
  } catch (e) {
    showError(e);
  } finally {
    ui.download.disabled = false;
  }
}

/** @param {string} dir */
async function loadSample(dir) {
  for (const kind of /** @type {const} */ (['members', 'orders'])) {
    const res = await fetch(`${dir}/${kind}.csv`);
    if (!res.ok) {
      showError(`sample ${dir}/${kind}.csv is missing: run \`make samples\``);
      return;
    }
    await loadFile(kind, await res.blob(), `${kind}.csv`);
  }
}

for (const kind of /** @type {const} */ (['members', 'orders'])) {
  const input = byId(`file-${kind}`, HTMLInputElement);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void previewFile(kind, file);
    input.value = '';
  });
  const drop = byId(`drop-${kind}`, HTMLElement);
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const file = ev.dataTransfer?.files[0];
    if (file) void previewFile(kind, file);
  });
}
byId('load-sample', HTMLButtonElement).addEventListener('click', () => void loadSample('samples'));
byId('load-sample-zh', HTMLButtonElement).addEventListener('click', () => void loadSample('samples/zh'));
ui.asOf.addEventListener('change', () => void refresh());
ui.method.addEventListener('change', () => void refresh());
ui.pick.addEventListener('change', () => void updateAudience());
ui.columns.addEventListener('change', () => void updateAudience());
ui.download.addEventListener('click', () => void downloadAudience());
ui.presets.addEventListener('click', (ev) => {
  const id = ev.target instanceof HTMLElement ? ev.target.dataset.preset : undefined;
  if (id) pickSegment(id);
});
labReady.catch(showError);
