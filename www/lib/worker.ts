/**
 * The engine worker: instantiates the wasm module and answers the client's requests one at a
 * time, in arrival order. Files are read slice by slice and fed to the engine as they are
 * read, so a large file is never copied whole into wasm memory. A panic poisons the wasm
 * instance, so after one the worker answers every request with `PANIC` and the client
 * replaces it.
 */
import init, { Lab } from './audience_lab.js';
import type { CallName, Calls, ExportReply, PartJob, PartReply, Progress, Reply, Request, Results, TableKind, WireError } from './protocol.js';
import * as workspace from './workspace.js';
import type { ExportMeta, LoadChunkProgress, LoadReport, WireExportOptions, WireLoadOptions, WirePreviewOptions } from './generated.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Bytes handed to the engine at a time. */
const CHUNK = 4 * 1024 * 1024;
/**
 * Bytes of a binary file (Parquet, Arrow, XLSX) read at a time: it is held whole anyway, and
 * a slice of a `File` costs a round trip to the browser (60 MB: about 100 ms in 4 MB slices,
 * 55 in 16 MB ones).
 */
const BINARY_CHUNK = 16 * 1024 * 1024;
/** Bytes of a text file a preview reads. */
const PREVIEW_HEAD = 1024 * 1024;
/** Bytes per part below which a file is not split (a worker costs more than it saves). */
const MIN_PART = 4 * 1024 * 1024;
/** Bytes of the head within which the columns must be decided for a file to be split. */
const PLAN_HEAD = 8 * 1024 * 1024;
/** Bytes read at a time while the head decides the columns, and when looking for a cut. */
const HEAD_STEP = 64 * 1024;
/** The most workers a load uses. */
const MAX_WORKERS = 8;

/** The compiled engine, handed to the part workers so they do not compile it again. */
let wasmModule: WebAssembly.Module | null = null;

let lab: Lab | null = null;
/** The report of each table the engine holds (what a kept workspace keeps). */
const loaded = new Map<TableKind, LoadReport>();
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
  if (e instanceof DOMException) {
    // The browser's storage (the kept workspace): a DOMException's own code is a number.
    const code = e.name === 'QuotaExceededError' ? 'STORAGE_FULL' : 'STORAGE_ERROR';
    return { name: 'AudienceLabError', message: `the browser's storage failed: ${e.message}`, code };
  }
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') return { name: e.name, message: e.message, code: code as WireError['code'] };
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

/** Whether a format is read as text, in slices as they come (the others are held whole). */
const isText = (format: string): boolean => format === 'csv' || format === 'tsv' || format === 'ndjson';

/** Bytes `[start, end)` of a Blob or buffer. */
async function slice(data: Blob | ArrayBuffer, start: number, end: number): Promise<Uint8Array> {
  if (data instanceof Blob) return new Uint8Array(await data.slice(start, end).arrayBuffer());
  return new Uint8Array(data, start, Math.min(end, data.byteLength) - start);
}

/**
 * Loads a table: a large CSV or Parquet `Blob` in parts (CSV at record boundaries, Parquet by
 * row groups), each read by a worker of its own, merged by this engine (the same table and
 * report as a load in one piece); anything else, or a split that fails (a cut inside a quoted
 * field, a part that fails), in one piece.
 */
async function load(id: number, kind: TableKind, data: Blob | ArrayBuffer, opts: WireLoadOptions): Promise<Results['load']> {
  const workers = Math.min(MAX_WORKERS, Math.max(1, opts.workers ?? navigator.hardwareConcurrency ?? 1));
  const parts = Math.min(workers, Math.floor(sizeOf(data) / MIN_PART));
  const format = opts.format ?? Lab.detectFormat(await slice(data, 0, HEAD_STEP));
  if (data instanceof Blob && parts > 1 && wasmModule) {
    // Parquet by row groups, CSV at record boundaries; a file of one row group, or too small
    // to be worth a worker, in one piece.
    const report =
      format === 'parquet' ? await loadParquetInParts(id, kind, data, opts, parts, wasmModule)
      : format === 'csv' || format === 'tsv' ? await loadInParts(id, kind, data, opts, parts, wasmModule)
      : null;
    if (report) return report;
  }
  return loadOne(id, kind, data, opts, isText(format));
}

/** Where the cut at or after `from` (even) goes: just after the next newline, if any. */
async function cutAfter(file: Blob, from: number, plan: string, kind: TableKind): Promise<number | null> {
  for (let at = from; at < file.size && at < from + PLAN_HEAD; at += HEAD_STEP) {
    const window = new Uint8Array(await file.slice(at, at + HEAD_STEP).arrayBuffer());
    const b = Lab.partBoundary(window, plan, kind);
    if (b !== undefined) return at + b;
  }
  return null;
}

/** One later part, read by a new part worker (ended once it answers). */
function readPart(job: PartJob, onProgress: (bytes: number) => void): Promise<Uint8Array | null> {
  const worker = new Worker(new URL('./part-worker.js', import.meta.url), { type: 'module', name: 'audience-lab part' });
  return new Promise<Uint8Array | null>((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<PartReply>) => {
      const m = ev.data;
      if (m.type === 'progress') onProgress(m.bytes);
      else if (m.type === 'done') resolve(m.part);
      else reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    };
    worker.onerror = (ev: ErrorEvent) => reject(new Error(`a part worker failed: ${ev.message || 'cannot start it'}`));
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

/**
 * Loads `file` in `parts` parts: this engine reads the head (which decides the columns) and
 * the first part, part workers read the others at the same time, and this engine merges them.
 * Resolves to `null` when the file must be read in one piece instead.
 */
async function loadInParts(id: number, kind: TableKind, file: Blob, opts: WireLoadOptions, parts: number, module: WebAssembly.Module): Promise<Results['load'] | null> {
  const lab = engine();
  const total = file.size;
  const done = new Array<number>(parts).fill(0);
  let rows = 0;
  const progress = (stage: string, n: number) => {
    const bytes = done.reduce((a, b) => a + b, 0);
    post({ type: 'progress', requestId: id, progress: { fraction: (0.95 * bytes) / total, stage, bytes, totalBytes: total, rows, parts: n } });
  };
  lab.loadBeginParts(kind, opts);
  const jobs: Promise<Uint8Array | null>[] = [];
  try {
    let read = 0;
    let plan: string | undefined;
    while (read < Math.min(total, PLAN_HEAD) && !plan) {
      const chunk = await slice(file, read, Math.min(total, read + HEAD_STEP));
      rows = (lab.loadChunk(chunk) as LoadChunkProgress).rows;
      read += chunk.length;
      plan = lab.loadPlan();
    }
    const cuts = [0];
    for (let i = 1; plan && i < parts; i++) {
      const even = (n: number) => Math.ceil(n / 2) * 2;
      const from = Math.max(even(Math.floor((total / parts) * i)), even(read), cuts[cuts.length - 1]);
      if (from >= total) break;
      const cut = await cutAfter(file, from, plan, kind);
      if (cut === null) break;
      if (cut < total && cut > cuts[cuts.length - 1]) cuts.push(cut);
    }
    cuts.push(total);
    const n = cuts.length - 1;
    for (let i = 1; plan && i < n; i++) {
      const job: PartJob = { module, kind, opts, plan, file, start: cuts[i], end: cuts[i + 1], last: i === n - 1 };
      jobs.push(readPart(job, (bytes) => { done[i] = bytes; progress('read', n); }));
    }
    // A part that fails is left to the load in one piece; none is left unhandled meanwhile.
    const settled = Promise.allSettled(jobs);
    for (let start = read; start < cuts[1]; start += CHUNK) {
      const chunk = await slice(file, start, Math.min(start + CHUNK, cuts[1]));
      rows = (lab.loadChunk(chunk) as LoadChunkProgress).rows;
      done[0] = Math.min(start + CHUNK, cuts[1]);
      progress('read', n);
    }
    done[0] = cuts[1];
    progress('parse', n);
    return endParts(id, await settled, total, n);
  } catch (e) {
    lab.loadAbort();
    await Promise.allSettled(jobs);
    throw e;
  }
}

/**
 * Loads a Parquet file in parts by row groups: this engine reads the first row groups, part
 * workers the others (each given the whole file: it reads the first rows to know the
 * columns). Resolves to `null` when the file is read in one piece (one row group, a footer
 * that cannot be read, or a part that fails).
 */
async function loadParquetInParts(id: number, kind: TableKind, file: Blob, opts: WireLoadOptions, workers: number, module: WebAssembly.Module): Promise<Results['load'] | null> {
  const total = file.size;
  if (total < 12) return null;
  const tail = new DataView(await file.slice(total - 8, total - 4).arrayBuffer());
  const len = tail.getUint32(0, true);
  if (len + 12 > total) return null;
  let ranges: Uint32Array | undefined;
  try {
    ranges = Lab.parquetParts(await slice(file, total - 8 - len, total - 8), workers) as Uint32Array | undefined;
  } catch {
    return null; // the load in one piece says what is wrong with the file
  }
  if (!ranges) return null;
  const n = ranges.length / 2;
  const lab = engine();
  const done = new Array<number>(n).fill(0);
  const progress = (stage: string) => {
    const bytes = Math.min(total, done.reduce((a, b) => a + b, 0) / n);
    post({ type: 'progress', requestId: id, progress: { fraction: (0.9 * bytes) / total, stage, bytes, totalBytes: total, rows: 0, parts: n } });
  };
  lab.loadBeginParts(kind, opts);
  lab.loadSizeHint(total);
  const jobs: Promise<Uint8Array | null>[] = [];
  try {
    lab.loadRowGroups(ranges[0], ranges[1]);
    for (let i = 1; i < n; i++) {
      const job: PartJob = { module, kind, opts, plan: '', file, start: 0, end: total, last: true, groups: [ranges[2 * i], ranges[2 * i + 1]] };
      jobs.push(readPart(job, (bytes) => { done[i] = bytes; progress('read'); }));
    }
    const settled = Promise.allSettled(jobs);
    for (let start = 0; start < total; start += BINARY_CHUNK) {
      lab.loadChunk(await slice(file, start, Math.min(start + BINARY_CHUNK, total)));
      done[0] = Math.min(start + BINARY_CHUNK, total);
      progress('read');
    }
    progress('parse');
    // This engine's row groups are read while the part workers read theirs.
    lab.loadReadRowGroups();
    return endParts(id, await settled, total, n);
  } catch (e) {
    lab.loadAbort();
    await Promise.allSettled(jobs);
    throw e;
  }
}

/**
 * Merges the later parts into the first (the engine's) and puts the table in place; `null`
 * (the load dropped) when a part failed or a cut fell inside a quoted field.
 */
function endParts(id: number, later: PromiseSettledResult<Uint8Array | null>[], total: number, n: number): Results['load'] | null {
  const lab = engine();
  if (!later.every((r) => r.status === 'fulfilled' && r.value !== null)) {
    lab.loadAbort();
    return null;
  }
  const report: Results['load'] | null = lab.loadEndParts(later.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value));
  if (report) post({ type: 'progress', requestId: id, progress: { fraction: 1, stage: 'done', bytes: total, totalBytes: total, rows: report.rowsIn, parts: n } });
  return report;
}

/** Loads a table in one piece, slice by slice (`text`: its format is read as text). */
async function loadOne(id: number, kind: TableKind, data: Blob | ArrayBuffer, opts: WireLoadOptions, text: boolean): Promise<Results['load']> {
  const lab = engine();
  const total = sizeOf(data);
  const progress = (p: Progress) => post({ type: 'progress', requestId: id, progress: { ...p, totalBytes: total } });
  // A binary file is held whole before it is read: its room taken at once, larger slices.
  const step = text ? CHUNK : BINARY_CHUNK;
  lab.loadBegin(kind, opts);
  if (!text) lab.loadSizeHint(total);
  try {
    for (let start = 0; start < total || start === 0; start += step) {
      // Reading the next slice overlaps nothing, but keeps the worker's memory to one chunk.
      const chunk = await slice(data, start, start + step);
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
  const text = isText(format);
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
  load: async (id, kind, data, opts) => {
    const report = await load(id, kind, data, opts);
    loaded.set(kind, report);
    return report;
  },
  preview: (_id, kind, data, opts) => preview(kind, data, opts),
  drop: (_id, kind) => {
    loaded.delete(kind);
    return engine().drop(kind);
  },
  keep: (_id, view) => workspace.keep(engine(), loaded, view),
  keepView: (_id, view) => workspace.keepView(view),
  kept: () => workspace.kept(),
  restore: async () => {
    const restored = await workspace.restore(engine());
    for (const r of restored?.reports ?? []) loaded.set(r.kind, r);
    return restored;
  },
  forget: () => workspace.forget(),
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

/** Compiles the engine (as it streams in when the server says `application/wasm`). */
async function compile(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

// Requests run one after another, in arrival order, also while the module instantiates.
let queue: Promise<void> = compile(new URL('./audience_lab_bg.wasm', import.meta.url))
  .then((module) => {
    wasmModule = module;
    return init({ module_or_path: module });
  })
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
