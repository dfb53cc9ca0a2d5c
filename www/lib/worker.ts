/**
 * The engine worker: instantiates the wasm module and answers the client's requests one at a
 * time, in arrival order. Files are read slice by slice and fed to the engine as they are
 * read, so a large file is never copied whole into wasm memory. A panic poisons the wasm
 * instance, so after one the worker answers every request with `PANIC` and the client
 * replaces it.
 */
import init, { Lab } from './audience_lab.js';
import type { CallName, Calls, ExportReply, Progress, Reply, Request, Results, TableKind, WireError } from './protocol.js';
import type { ExportMeta, LoadChunkProgress, WireExportOptions, WireLoadOptions, WirePreviewOptions } from './generated.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Bytes handed to the engine at a time. */
const CHUNK = 4 * 1024 * 1024;
/** Bytes of a text file a preview reads. */
const PREVIEW_HEAD = 1024 * 1024;

let lab: Lab | null = null;
let poisoned: WireError | null = null;

function post(reply: Reply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

/** An engine error (a JS Error with `code`), a panic (a wasm trap) or anything else. */
function toWire(e: unknown): WireError {
  if (e instanceof WebAssembly.RuntimeError) {
    // The panic hook left the panic's own message (with its source location) before the trap.
    const g = globalThis as { __audienceLabPanic?: string };
    const message = g.__audienceLabPanic ?? e.message;
    delete g.__audienceLabPanic;
    return { name: 'AudienceLabError', code: 'PANIC', message: `engine panic: ${message}` };
  }
  if (e instanceof Error) {
    const code = (e as Error & { code?: string }).code;
    if (code) return { name: e.name, message: e.message, code: code as WireError['code'] };
    // A failed memory.grow surfaces as a RangeError; the instance cannot be trusted after it.
    if (e instanceof RangeError) {
      return { name: 'AudienceLabError', code: 'PANIC', message: `engine out of memory: ${e.message}` };
    }
    return { name: e.name, message: e.message, code: 'INTERNAL' };
  }
  return { name: 'Error', message: String(e), code: 'INTERNAL' };
}

function engine(): Lab {
  if (!lab) throw Object.assign(new Error('the engine is not initialised'), { code: 'INTERNAL' });
  return lab;
}

const sizeOf = (data: Blob | ArrayBuffer): number => (data instanceof Blob ? data.size : data.byteLength);

/** Bytes `[start, end)` of a Blob or buffer. */
async function slice(data: Blob | ArrayBuffer, start: number, end: number): Promise<Uint8Array> {
  if (data instanceof Blob) return new Uint8Array(await data.slice(start, end).arrayBuffer());
  return new Uint8Array(data, start, Math.min(end, data.byteLength) - start);
}

async function load(id: number, kind: TableKind, data: Blob | ArrayBuffer, opts: WireLoadOptions): Promise<Results['load']> {
  const lab = engine();
  const total = sizeOf(data);
  const progress = (p: Progress) => post({ type: 'progress', requestId: id, progress: { ...p, totalBytes: total } });
  lab.loadBegin(kind, opts);
  try {
    for (let start = 0; start < total || start === 0; start += CHUNK) {
      // Reading the next slice overlaps nothing, but keeps the worker's memory to one chunk.
      const chunk = await slice(data, start, start + CHUNK);
      const p: LoadChunkProgress = lab.loadChunk(chunk);
      progress({ fraction: total ? (0.95 * p.bytes) / total : 0.95, stage: 'read', bytes: p.bytes, rows: p.rows });
      if (total === 0) break;
    }
    const report: Results['load'] = lab.loadEnd((p: LoadChunkProgress) =>
      progress({ fraction: 0.97, stage: 'parse', bytes: p.bytes, rows: p.rows }),
    );
    progress({ fraction: 1, stage: 'done', bytes: total, rows: report.rowsIn });
    return report;
  } catch (e) {
    lab.loadAbort();
    throw e;
  }
}

async function preview(kind: TableKind, data: Blob | ArrayBuffer, opts: WirePreviewOptions): Promise<Results['preview']> {
  const total = sizeOf(data);
  const head = await slice(data, 0, Math.min(total, PREVIEW_HEAD));
  const format = opts.format ?? Lab.detectFormat(head);
  // Binary formats keep their index at the end: they are previewed whole.
  const text = format === 'csv' || format === 'tsv' || format === 'ndjson';
  const bytes = text || head.length === total ? head : await slice(data, 0, total);
  return engine().preview(kind, bytes, bytes.length === total, opts);
}

/**
 * Writes an export in the engine (progress: rows written), then takes its bytes out in chunks
 * into a Blob (progress: bytes handed over), so a large file is never copied whole at once.
 */
function exportFile(id: number, segment: string, opts: WireExportOptions): ExportReply {
  const progress = (p: Progress) => post({ type: 'progress', requestId: id, progress: p });
  let last = 0;
  const meta: ExportMeta & { size: number } = engine().exportFile(segment, opts, (rows: number, totalRows: number) => {
    // Rows are reported every few thousand; post at most every 1% of the work.
    const fraction = totalRows ? (0.9 * rows) / totalRows : 0.9;
    if (fraction - last >= 0.01 || rows === totalRows) {
      last = fraction;
      progress({ fraction, stage: 'write', rows, totalRows });
    }
  });
  return takeExport(id, meta);
}

/** Takes the bytes of the file the engine just wrote out in chunks into a Blob. */
function takeExport(id: number, meta: ExportMeta & { size: number }): ExportReply {
  const lab = engine();
  const progress = (p: Progress) => post({ type: 'progress', requestId: id, progress: p });
  try {
    const parts: BlobPart[] = [];
    for (let start = 0; start < meta.size; start += CHUNK) {
      parts.push(lab.exportChunk(start, CHUNK) as BlobPart);
      const bytes = Math.min(meta.size, start + CHUNK);
      progress({ fraction: 0.9 + (0.1 * bytes) / meta.size, stage: 'transfer', bytes, totalBytes: meta.size, rows: meta.rows, totalRows: meta.rows });
    }
    const blob = new Blob(parts, { type: meta.mime });
    progress({ fraction: 1, stage: 'done', bytes: meta.size, totalBytes: meta.size, rows: meta.rows, totalRows: meta.rows });
    return { ...meta, blob };
  } finally {
    lab.exportRelease();
  }
}

type Handler<K extends CallName> = (id: number, ...args: Calls[K]) => Results[K] | Promise<Results[K]>;

const handlers: { [K in CallName]: Handler<K> } = {
  load: (id, kind, data, opts) => load(id, kind, data, opts),
  preview: (_id, kind, data, opts) => preview(kind, data, opts),
  drop: (_id, kind) => engine().drop(kind),
  vocabulary: () => Lab.vocabulary(),
  heapBytes: () => Lab.heapBytes(),
  memory: () => engine().memory(),
  setMemoryLimit: (_id, bytes) => engine().setMemoryLimit(bytes ?? undefined),
  rfm: (_id, opts) => engine().rfm(opts),
  lifecycle: (_id, opts) => engine().lifecycle(opts),
  cohorts: (_id, opts) => engine().cohorts(opts),
  kpis: (_id, opts) => engine().kpis(opts),
  count: (_id, segment, opts) => engine().count(segment, opts),
  members: (_id, segment, opts) => engine().members(segment, opts),
  clv: (_id, opts) => engine().clv(opts),
  debugPanic: () => engine().debugPanic(),
  timeline: (_id, opts) => engine().timeline(opts),
  migration: (_id, opts) => engine().migration(opts),
  stageTrend: (_id, opts) => engine().stageTrend(opts),
  explain: (_id, segment, opts) => engine().explain(segment, opts),
  tags: (_id, opts) => engine().tags(opts),
  intersectionRule: (_id, include, exclude) => Lab.intersectionRule(include, exclude),
  saveSegment: (_id, segment) => engine().saveSegment(segment),
  deleteSegment: (_id, name) => engine().deleteSegment(name),
  segments: () => engine().segments(),
  overlap: (_id, a, b, opts) => engine().overlap(a, b, opts),
  difference: (_id, a, b, opts) => engine().difference(a, b, opts),
  toSql: (_id, segment, opts) => engine().toSql(segment, opts),
  cacheStats: () => engine().cacheStats(),
  clearCache: (_id, opts) => engine().clearCache(opts),
  exportFile: (id, segment, opts) => exportFile(id, segment, opts),
  campaignAssign: (_id, campaign, opts) => engine().campaignAssign(campaign, opts),
  campaignResize: (_id, summary, holdout) => Lab.campaignResize(summary, holdout),
  campaignReadout: (_id, campaign, opts) => engine().campaignReadout(campaign, opts),
  campaignFile: (_id, campaign) => Lab.campaignFile(campaign),
  campaignExportFile: (id, campaign, arm, opts) => takeExport(id, engine().campaignExportFile(campaign, arm, opts)),
  matchReport: (_id, segment, opts) => engine().matchReport(segment, opts),
  exportSegments: () => engine().exportSegments(),
  importSegments: (_id, text) => engine().importSegments(text),
};

async function answer(req: Request): Promise<void> {
  if (poisoned) {
    post({ type: 'error', requestId: req.messageId, error: poisoned });
    return;
  }
  try {
    const handler = handlers[req.call] as Handler<CallName> | undefined;
    if (!handler) throw Object.assign(new Error(`unknown call "${req.call}"`), { code: 'INTERNAL' });
    const result = await handler(req.messageId, ...req.args);
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    post({ type: 'result', requestId: req.messageId, result }, transfer);
  } catch (e) {
    const error = toWire(e);
    if (error.code === 'PANIC') poisoned = error;
    post({ type: 'error', requestId: req.messageId, error });
  }
}

// Requests run one after another, in arrival order, also while the module instantiates.
let queue: Promise<void> = init({ module_or_path: new URL('./audience_lab_bg.wasm', import.meta.url) })
  .then(() => {
    lab = new Lab();
    post({ type: 'ready' });
  })
  .catch((e: unknown) => {
    poisoned = { name: 'AudienceLabError', code: 'WORKER_ERROR', message: `cannot start the engine: ${String(e)}` };
    post({ type: 'fatal', error: poisoned });
  });

scope.onmessage = (ev: MessageEvent<Request>) => {
  queue = queue.then(() => answer(ev.data));
};
