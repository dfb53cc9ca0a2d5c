/**
 * `AudienceLab`: the typed main-thread client of the audience-lab engine.
 *
 * The engine (Rust compiled to WebAssembly) runs in a module Web Worker; this client sends it
 * requests, transfers file bytes instead of copying them, relays progress, and turns errors
 * into `AudienceLabError`s with a stable `code`. Nothing leaves the browser.
 *
 * ```js
 * import { AudienceLab } from './pkg/index.js';
 * const lab = await AudienceLab.create();
 * await lab.load('orders', file, { onProgress: (p) => console.log(p.stage, p.fraction) });
 * const rfm = await lab.rfm({ method: 'quantile' });
 * const n = await lab.count({ rfm: { segment: ['at_risk'] } });
 * ```
 */
import type {
  CallName,
  Calls,
  ErrorCode,
  KeptWorkspace,
  Progress,
  Reply,
  Results,
  RestoredWorkspace,
  TableKind,
  WireError,
} from './protocol.js';
import type {
  AnalysisOptions,
  CampaignSummary,
  ClearCacheOptions,
  ClvOptions,
  CohortOptions,
  KpiOptions,
  LoadReport,
  MatchReportOptions,
  MemoryUse,
  MembersOptions,
  MigrationOptions,
  Preview,
  SqlOptions,
  StageTrendOptions,
  TagsOptions,
  TimelineOptions,
  Vocabulary,
  WireExportOptions,
  WireLoadOptions,
  WirePreviewOptions,
} from './generated.js';
import type { Campaign, CampaignExportOptions, ExportResult, Segment } from './types.js';

export type * from './protocol.js';
export type * from './types.js';

/** An error of the engine or the worker, with a stable `code`. */
export class AudienceLabError extends Error {
  /** Stable error code, e.g. `PARSE_ERROR`, `RULE_ERROR`, `PANIC`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AudienceLabError';
    this.code = code;
  }

  /** Rebuilds an error that crossed the worker boundary. */
  static from(e: WireError): AudienceLabError {
    return new AudienceLabError(e.code, e.message);
  }
}

/** Options of `AudienceLab.create`. */
export interface CreateOptions {
  /** Where the worker script is (default: `worker.js` beside this module). */
  workerUrl?: string | URL;
  /**
   * The most wasm heap the engine may use, in bytes, for a portal that shares the tab with
   * other work (default: what wasm allows, 4 GiB less room for the allocator). A step that
   * would pass it (a load, the dataset build, an analysis, an export …) rejects with
   * `OUT_OF_MEMORY` naming the step and the sizes; the tables and the answers before stay.
   */
  maxMemory?: number;
}

/** A table the engine holds (or held), as this client loaded it. */
export interface LoadedTable {
  kind: TableKind;
  /** The file name (or the `name` option). */
  name: string;
  /** Rows loaded. */
  rows: number;
  /**
   * Whether `reload()` can load it again: it came from a `File` or `Blob`, which the client
   * keeps a reference to (bytes given as buffers are not kept).
   */
  reloadable: boolean;
}

/**
 * The detail of the `enginelost` event: the engine stopped (a panic or a wasm trap, e.g. the
 * browser refusing memory) and every table it held is gone; the next call starts a fresh
 * engine with the same `maxMemory` and saved segments, and `reload()` loads the tables again.
 */
export interface EngineLost {
  /** Why the engine stopped (`PANIC` or `WORKER_ERROR`). */
  error: AudienceLabError;
  /** The tables it held. */
  tables: LoadedTable[];
}

/** A table as loaded: what `reload()` needs to load it again. */
interface Held {
  info: LoadedTable;
  data: Blob | null;
  opts: WireLoadOptions;
}

/** Ids of requests, unique across engines so a late reply never meets another's entry. */
let nextMessageId = 1;

/** Options of `lab.load`. */
export interface LoadOptions extends WireLoadOptions {
  /** Called as the load advances. */
  onProgress?: (progress: Progress) => void;
  /**
   * Hand an `ArrayBuffer` (or a `Uint8Array` over a whole buffer) to the engine instead of
   * copying it: no second copy of a large file, but the caller's buffer is detached (empty)
   * afterwards. Default false: the bytes are copied and the caller's buffer stays usable.
   */
  transfer?: boolean;
}

/** Options of `lab.preview`. */
export type PreviewOptions = WirePreviewOptions;

/** Options of `lab.export` and `lab.exportFile`. */
export interface ExportOptions extends WireExportOptions {
  /** Called as rows are written and the file is handed over. */
  onProgress?: (progress: Progress) => void;
}

/** What `lab.load` accepts as file content. */
export type FileData = File | Blob | ArrayBuffer | Uint8Array;

interface Pending {
  resolve: (value: Results[CallName]) => void;
  reject: (error: AudienceLabError) => void;
  onProgress?: (progress: Progress) => void;
}

/** A worker with its pending requests; replaced as a whole after a panic. */
class Engine {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending = new Map<number, Pending>();
  dead: AudienceLabError | null = null;
  /** Hears of the engine's death (not of `terminate`). */
  onLost: ((error: AudienceLabError) => void) | null = null;

  constructor(url: string | URL) {
    this.worker = new Worker(url, { type: 'module', name: 'audience-lab engine' });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (ev: MessageEvent<Reply>) => this.receive(ev.data, resolve, reject);
      this.worker.onerror = (ev: ErrorEvent) => {
        ev.preventDefault();
        const err = new AudienceLabError('WORKER_ERROR', `engine worker failed: ${ev.message || 'cannot load the worker script'}`);
        reject(err);
        this.fail(err);
      };
    });
    // `ready` is awaited by every call; keep an early rejection from being reported as unhandled.
    this.ready.catch(() => {});
  }

  private receive(msg: Reply, ready: () => void, failed: (e: AudienceLabError) => void): void {
    switch (msg.type) {
      case 'ready':
        ready();
        return;
      case 'fatal': {
        const err = AudienceLabError.from(msg.error);
        failed(err);
        this.fail(err);
        return;
      }
      case 'progress':
        this.pending.get(msg.requestId)?.onProgress?.(msg.progress);
        return;
      case 'result':
      case 'error': {
        const p = this.pending.get(msg.requestId);
        if (!p) return;
        this.pending.delete(msg.requestId);
        if (msg.type === 'result') p.resolve(msg.result);
        else {
          const err = AudienceLabError.from(msg.error);
          if (err.code === 'PANIC') this.fail(err);
          p.reject(err);
        }
      }
    }
  }

  /** Rejects everything pending and marks the engine unusable. */
  fail(err: AudienceLabError): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.worker.terminate();
    if (err.code !== 'TERMINATED') this.onLost?.(err);
  }

  /** Sends one call once the worker is ready. */
  async request<K extends CallName>(call: K, args: Calls[K], transfer: Transferable[] = [], onProgress?: (p: Progress) => void): Promise<Results[K]> {
    await this.ready;
    const messageId = nextMessageId++;
    return new Promise<Results[K]>((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      // Replies echo the request's id: this entry only ever receives call K's result.
      const settle = resolve as (value: Results[CallName]) => void;
      this.pending.set(messageId, { resolve: settle, reject, onProgress });
      this.worker.postMessage({ messageId, call, args }, transfer);
    });
  }
}

/**
 * One analysis session: loaded tables live in the worker until `terminate()`.
 *
 * Events: `enginelost` (a `CustomEvent<EngineLost>`) when the engine stops and its tables are
 * gone.
 */
export class AudienceLab extends EventTarget {
  #url: string | URL;
  #maxMemory: number | null;
  #engine!: Engine;
  /** The engine's setup (memory limit, saved segments) before any other call. */
  #setup!: Promise<unknown>;
  #terminated = false;
  #vocabulary: Promise<Vocabulary> | null = null;
  /** What the engine holds, by kind. */
  #tables = new Map<TableKind, Held>();
  /** What the last engine held and was not loaded again since. */
  #lost = new Map<TableKind, Held>();
  /** The saved segments as JSON, by name: a fresh engine gets them back. */
  #saved = new Map<string, string>();

  private constructor(url: string | URL, maxMemory: number | null) {
    super();
    this.#url = url;
    this.#maxMemory = maxMemory;
    this.#start();
  }

  /** Starts the engine worker and waits until the wasm module is ready. */
  static async create(opts: CreateOptions = {}): Promise<AudienceLab> {
    const max = checkMaxMemory(opts.maxMemory ?? null);
    const lab = new AudienceLab(opts.workerUrl ?? new URL('./worker.js', import.meta.url), max);
    await lab.#engine.ready;
    await lab.#setup;
    return lab;
  }

  /** Starts a fresh engine and its setup (memory limit, saved segments). */
  #start(): void {
    const engine = new Engine(this.#url);
    engine.onLost = (error) => this.#engineLost(error);
    this.#engine = engine;
    this.#setup = this.#configure(engine);
  }

  /** Gives a fresh engine the memory limit and the saved segments. */
  async #configure(engine: Engine): Promise<void> {
    await engine.ready;
    if (this.#maxMemory !== null) await engine.request('setMemoryLimit', [this.#maxMemory]);
    for (const text of this.#saved.values()) await engine.request('saveSegment', [text]).catch(() => {});
  }

  #engineLost(error: AudienceLabError): void {
    for (const [kind, held] of this.#tables) this.#lost.set(kind, held);
    const tables = [...this.#tables.values()].map((h) => h.info);
    this.#tables.clear();
    const detail: EngineLost = { error, tables };
    this.dispatchEvent(new CustomEvent('enginelost', { detail }));
  }

  /** The tables the engine holds now, in the order they were loaded. */
  tables(): LoadedTable[] {
    return [...this.#tables.values()].map((h) => ({ ...h.info }));
  }

  /** The tables a stopped engine held that were not loaded again since (see `reload`). */
  lost(): LoadedTable[] {
    return [...this.#lost.values()].map((h) => ({ ...h.info }));
  }

  /**
   * Loads again, with the same options, every lost table that came from a `File` or `Blob`
   * (the numbers are those of before); resolves to their reports. `onProgress(kind, p)` hears
   * of each load, and `onLoaded(report)` of each table as soon as it is loaded again (so a
   * failure part-way leaves no loaded table unannounced).
   */
  async reload(
    onProgress?: (kind: TableKind, progress: Progress) => void,
    onLoaded?: (report: LoadReport) => void,
  ): Promise<LoadReport[]> {
    const reports: LoadReport[] = [];
    for (const held of [...this.#lost.values()]) {
      if (!held.data) continue;
      const kind = held.info.kind;
      const report = await this.load(kind, held.data, { ...held.opts, onProgress: onProgress && ((p) => onProgress(kind, p)) });
      reports.push(report);
      onLoaded?.(report);
    }
    return reports;
  }

  /**
   * Sets the most wasm heap the engine may use (bytes; `null`: what wasm allows), as
   * `create({ maxMemory })` does; kept for the engines started after a failure. Resolves to
   * the limit in effect.
   */
  async setMaxMemory(bytes: number | null): Promise<number> {
    checkMaxMemory(bytes);
    const limit = await this.#call('setMemoryLimit', [bytes]);
    this.#maxMemory = bytes;
    return limit;
  }

  /** The engine's memory: `{ heapBytes, limitBytes, linearBytes }`. */
  memory(): Promise<MemoryUse> {
    return this.#call('memory', []);
  }

  /**
   * Loads (or replaces) a table from a file. A `File` or `Blob` is read by the worker slice by
   * slice (never copied whole). An `ArrayBuffer` or `Uint8Array` is copied, so the caller keeps
   * it (loading the same bytes twice works); with `{ transfer: true }` a whole buffer is handed
   * over instead and is detached afterwards. Tables loaded before stay in place if the load
   * fails.
   */
  async load(kind: TableKind, data: FileData, opts: LoadOptions = {}): Promise<LoadReport> {
    const { onProgress, transfer = false, ...wire } = opts;
    if (wire.name === undefined && typeof File !== 'undefined' && data instanceof File) wire.name = data.name;
    onProgress?.({ fraction: 0, stage: 'read', bytes: 0, rows: 0 });
    const payload = toPayload(data, transfer);
    const report = await this.#call('load', [kind, payload.data, wire], payload.transfer, onProgress);
    const blob = typeof Blob !== 'undefined' && data instanceof Blob ? data : null;
    this.#tables.delete(kind);
    this.#tables.set(kind, { info: { kind, name: report.name, rows: report.rowsLoaded, reloadable: blob !== null }, data: blob, opts: wire });
    this.#lost.delete(kind);
    return report;
  }

  /**
   * What a file would look like loaded, before loading it: format, encoding (with evidence),
   * delimiter, each column with the role it would get and how sure that is, the first `rows`
   * rows (default 20), and the required roles still missing. Pass the same `mapping` as to
   * `load` to see its effect. Text files are previewed from their first megabyte.
   */
  preview(kind: TableKind, data: FileData, opts: PreviewOptions = {}): Promise<Preview> {
    const wire = { ...opts };
    if (wire.name === undefined && typeof File !== 'undefined' && data instanceof File) wire.name = data.name;
    const payload = data instanceof Uint8Array ? new Blob([data as BlobPart]) : data instanceof ArrayBuffer ? new Blob([data]) : data;
    return this.#call('preview', [kind, payload, wire]);
  }

  /**
   * Keeps every loaded table (typed columns, as the engine holds them) and `view` (any
   * JSON-able state of the page) in this browser's origin-private file system, so that a later
   * visit can `restore()` them without the files. Opt-in: nothing is stored unless this is
   * called. Rejects with `STORAGE_FULL` when the storage quota is exceeded (nothing is left
   * half-written; a workspace kept before stays as it was).
   */
  keep(view: unknown = null): Promise<KeptWorkspace> {
    return this.#call('keep', [view]);
  }

  /** Replaces the view state of the kept workspace (the tables stay); `null` when none is kept. */
  keepView(view: unknown): Promise<KeptWorkspace | null> {
    return this.#call('keepView', [view]);
  }

  /** What is kept in this browser (tables, sizes, when, view state), or `null`. */
  kept(): Promise<KeptWorkspace | null> {
    return this.#call('kept', []);
  }

  /**
   * Puts the kept tables in the engine (no files needed) and resolves to them with their load
   * reports and the view state; `null` when nothing is kept. A workspace kept by another
   * version of the layout or table format is refused (`STORAGE_VERSION` / `PARSE_ERROR`).
   */
  async restore(): Promise<RestoredWorkspace | null> {
    const restored = await this.#call('restore', []);
    for (const r of restored?.reports ?? []) {
      const kind = r.kind as TableKind;
      this.#tables.delete(kind);
      this.#tables.set(kind, { info: { kind, name: r.name, rows: r.rowsLoaded, reloadable: false }, data: null, opts: { name: r.name } });
      this.#lost.delete(kind);
    }
    return restored;
  }

  /** Deletes everything kept in this browser; resolves to whether anything was. */
  forget(): Promise<boolean> {
    return this.#call('forget', []);
  }

  /** Frees a loaded table (and what was computed from the tables); resolves to whether one was loaded. */
  async drop(kind: TableKind): Promise<boolean> {
    const dropped = await this.#call('drop', [kind]);
    this.#tables.delete(kind);
    this.#lost.delete(kind);
    return dropped;
  }

  /**
   * Every word of the engine with its labels in English and Chinese: node types, operators,
   * member columns (with kind, unit and when missing), lifecycle stages, RFM segment maps,
   * presets, export formats, ad profiles, table roles and column types. Static: the same for
   * every dataset (the object `audience-lab vocabulary` prints).
   */
  vocabulary(): Promise<Vocabulary> {
    this.#vocabulary ??= this.#call('vocabulary', []);
    return this.#vocabulary;
  }

  /** Bytes allocated on the engine's wasm heap. */
  heapBytes(): Promise<number> {
    return this.#call('heapBytes', []);
  }

  /** RFM segments (members, revenue) and the 5×5 R×F grid (`grid[r-1][f-1]`). */
  rfm(opts: AnalysisOptions = {}) {
    return this.#call('rfm', [opts]);
  }

  /** Purchases, buyers and net revenue per calendar period, members' and guests' apart. */
  timeline(opts: TimelineOptions = {}) {
    return this.#call('timeline', [opts]);
  }

  /**
   * Members by lifecycle stage (`by: 'stage'`, default) or RFM segment (`'segment'`) at two
   * dates (SPEC §6): the cells `fromState → toState` with their members and their net revenue
   * dated in `(from, to]`; `to` defaults to `as_of`; states include `not_yet` (members that did
   * not exist at a date).
   */
  migration(opts: MigrationOptions) {
    return this.#call('migration', [opts]);
  }

  /**
   * Lifecycle stage counts (`not_yet` included) at each period end (`period`: month, week or
   * quarter) from `from` (default: the first order) to `as_of`, `as_of` included (SPEC §6).
   */
  stageTrend(opts: StageTrendOptions = {}) {
    return this.#call('stageTrend', [opts]);
  }

  /** Members per lifecycle stage and per onboarding bucket (days since joining / first purchase). */
  lifecycle(opts: AnalysisOptions = {}) {
    return this.#call('lifecycle', [opts]);
  }

  /** Cohort retention, churn and revenue per period index (`rows`, ordered by cohort then period). */
  cohorts(opts: CohortOptions = {}) {
    return this.#call('cohorts', [opts]);
  }

  /** KPIs over the window (`overall`, with `aov` over all purchases and `memberAov` over member purchases), and per value of `opts.by` (`groups`); with `compareTo`, the period rates over `(compareTo, as_of]` (`rates`: reactivation, churn-in, new-to-repeat, SPEC §6). */
  kpis(opts: KpiOptions = {}) {
    return this.#call('kpis', [opts]);
  }

  /**
   * Predicted churn and lifetime value: fits BG/NBD and Gamma-Gamma to the orders up to
   * `calibrationEnd` and returns the parameters and an overview. Per-member values are the
   * member columns `p_alive`, `expected_purchases_90d` and `clv`.
   */
  clv(opts: ClvOptions = {}) {
    return this.#call('clv', [opts]);
  }

  /** The number of members of a segment (SPEC §3 JSON: a segment document or a bare rule). */
  count(segment: Segment | object | string, opts: AnalysisOptions = {}): Promise<number> {
    return this.#call('count', [segmentText(segment), opts]);
  }

  /** A page of a segment's members, sorted by member id, with chosen columns. */
  members(segment: Segment | object | string, opts: MembersOptions = {}) {
    return this.#call('members', [segmentText(segment), opts]);
  }

  /**
   * The segment's members as a file, sorted by member id: `member_id` then `columns`, as CSV
   * (default; UTF-8 with BOM, RFC 4180, cells starting with `= + - @` tab or CR prefixed with
   * `'`), XLSX, Parquet, Arrow IPC, JSON or NDJSON; a zip of one file per value of `splitBy`
   * with a summary sheet of counts (`summary.xlsx` / `summary.csv`); or with `profile` a hashed Meta / Google / TikTok customer list. The
   * Blob is a `File` named after the segment where `File` exists. `onProgress` hears of rows
   * written (`stage: 'write'`) and of the file handed over in chunks (`'transfer'`).
   */
  async export(segment: Segment | object | string, opts: ExportOptions = {}): Promise<Blob> {
    return (await this.exportFile(segment, opts)).blob;
  }

  /** Like `export`, with the file name, size, rows, split parts and match report. */
  async exportFile(segment: Segment | object | string, opts: ExportOptions = {}): Promise<ExportResult> {
    const { onProgress, ...wire } = opts;
    onProgress?.({ fraction: 0, stage: 'write', rows: 0 });
    const r = await this.#call('exportFile', [segmentText(segment), defined(wire)], [], onProgress);
    const blob = typeof File !== 'undefined' ? new File([r.blob], r.filename, { type: r.mime }) : r.blob;
    return { blob, filename: r.filename, mime: r.mime, size: r.size, rows: r.rows, parts: r.parts, report: r.report ?? null };
  }

  /**
   * The match-key quality report of the segment's ad-platform list, before downloading it:
   * per key (email, phone) values present, valid, already hashed, invalid (by reason, with
   * samples) and duplicate; rows in the file and members left out.
   */
  matchReport(segment: Segment | object | string, opts: MatchReportOptions) {
    return this.#call('matchReport', [segmentText(segment), defined(opts)]);
  }

  /**
   * The groups of a campaign (SPEC §7) on the data loaded: the audience (its segment on the
   * day before launch), the treatment and control sizes per stratum, the baseline conversion
   * over the `window_days` before launch and the minimum detectable effect on conversion (80%
   * power, 5% two-sided). Errors name the campaign's key (`campaign.holdout: ...`).
   */
  campaignAssign(campaign: Campaign | object | string, opts: AnalysisOptions = {}) {
    return this.#call('campaignAssign', [campaignText(campaign), opts]);
  }

  /**
   * A `campaignAssign` summary with another holdout share: the sizes and minimum detectable
   * effects as the engine computes them, without reading the data (for a live estimate while
   * the share changes).
   */
  campaignResize(summary: CampaignSummary, holdout: number) {
    return this.#call('campaignResize', [summary, holdout]);
  }

  /**
   * The readout of a campaign on the orders loaded (newer orders than at launch): per group,
   * overall and per stratum, members, converters, purchases, net revenue, conversion and
   * revenue per member; the lift of conversion (z) and of revenue per member (Welch's t) with
   * 95% intervals and p-values; the incremental revenue; `observed_days` and `note` while the
   * window is not over.
   */
  campaignReadout(campaign: Campaign | object | string, opts: AnalysisOptions = {}) {
    return this.#call('campaignReadout', [campaignText(campaign), opts]);
  }

  /** The campaign file (`NAME.campaign.json`, pretty JSON as the engine reads it). */
  async campaignFile(campaign: Campaign | object | string): Promise<Blob> {
    const text = await this.#call('campaignFile', [campaignText(campaign)]);
    const name = `${(JSON.parse(text) as { name?: string }).name || 'campaign'}.campaign.json`.replace(/[\\/:*?"<>|]/g, '_');
    const type = 'application/json';
    return typeof File !== 'undefined' ? new File([text], name, { type }) : new Blob([text], { type });
  }

  /**
   * One group of a campaign as a file: `arm: 'treatment'` in any export format or as an
   * ad-platform list (the options of `exportFile`), `arm: 'control'` as CSV
   * `member_id,stratum` (the CLI's control.csv).
   */
  async campaignExport(campaign: Campaign | object | string, opts: CampaignExportOptions): Promise<ExportResult> {
    const { arm, ...wire } = opts;
    const r = await this.#call('campaignExportFile', [campaignText(campaign), arm, defined(wire)]);
    const blob = typeof File !== 'undefined' ? new File([r.blob], r.filename, { type: r.mime }) : r.blob;
    return { blob, filename: r.filename, mime: r.mime, size: r.size, rows: r.rows, parts: r.parts, report: r.report ?? null };
  }

  /** Saves a segment under its name (for `{"segment": "NAME"}` rules and the library); returns it as parsed. */
  async saveSegment(segment: Segment | object | string): Promise<Segment> {
    const saved = await this.#call('saveSegment', [segmentText(segment)]);
    this.#saved.set(saved.name, JSON.stringify(saved));
    return saved;
  }

  /** The saved segments as one JSON library file `{"version": 1, "segments": [...]}` (rules only, no member data). */
  async exportSegments(): Promise<Blob> {
    const text = await this.#call('exportSegments', []);
    const type = 'application/json';
    return typeof File !== 'undefined' ? new File([text], 'segments.json', { type }) : new Blob([text], { type });
  }

  /**
   * Saves every segment of a library file (or of one segment document), replacing saved
   * segments of the same names; nothing is saved if the file has an error (`RULE_ERROR`
   * naming the JSON path). Returns the segments read.
   */
  async importSegments(data: Blob | string): Promise<Segment[]> {
    const text = typeof data === 'string' ? data : await data.text();
    const segments = await this.#call('importSegments', [text]);
    for (const s of segments) this.#saved.set(s.name, JSON.stringify(s));
    return segments;
  }

  /**
   * The count of every node of the segment and of the running intersection (union) under
   * `all` (`any`), as a tree that mirrors the rule: where the audience shrinks.
   */
  explain(segment: Segment | object | string, opts: AnalysisOptions = {}) {
    return this.#call('explain', [segmentText(segment), opts]);
  }

  /**
   * Tag frequency, the pairwise overlap (counts and Jaccard) of a tag set and its largest
   * exclusive intersections (UpSet), each with the rule that selects it.
   */
  tags(opts: TagsOptions = {}) {
    return this.#call('tags', [opts]);
  }

  /** The segment of the members with every tag of `include` and none of `exclude`. */
  intersectionRule(include: string[], exclude: string[] = []): Promise<Segment> {
    return this.#call('intersectionRule', [include, exclude]);
  }

  /** Deletes a saved segment. */
  async deleteSegment(name: string): Promise<void> {
    await this.#call('deleteSegment', [name]);
    this.#saved.delete(name);
  }

  /** The saved segments, by name. */
  segments(): Promise<Segment[]> {
    return this.#call('segments', []);
  }

  /** How two segments overlap (a saved one is `{ segment: 'name' }`). */
  overlap(a: Segment | object | string, b: Segment | object | string, opts: AnalysisOptions = {}) {
    return this.#call('overlap', [segmentText(a), segmentText(b), opts]);
  }

  /** The members of `a` that are not in `b`: the count and the rule. */
  difference(a: Segment | object | string, b: Segment | object | string, opts: AnalysisOptions = {}) {
    return this.#call('difference', [segmentText(a), segmentText(b), opts]);
  }

  /**
   * The segment as one SQL query over `orders`, `members`, `member_tags` (DuckDB or Spark);
   * with `opts.report` (`rfm`, `lifecycle`), that report's query instead, returning the
   * columns of the CLI's output of that report (`segment` may then be `null`).
   */
  toSql(segment: Segment | object | string | null, opts: SqlOptions = {}): Promise<string> {
    return this.#call('toSql', [segment === null ? '' : segmentText(segment), opts]);
  }

  /** Per-node cache use of the engine (hits, evaluations, entries). */
  cacheStats() {
    return this.#call('cacheStats', []);
  }

  /**
   * Forgets cached results, so the next calls compute them again (a benchmark's cold run, a
   * portal that must not serve a stale answer): by default both the member sets of rule nodes
   * (`segments`) and the analyses — per-member base, RFM, lifecycle — with the CLV fit
   * (`analyses`); pass `{ analyses: false }` to keep the analyses. Loaded tables stay.
   */
  async clearCache(opts: ClearCacheOptions = {}): Promise<void> {
    await this.#call('clearCache', [opts]);
  }

  /**
   * Panics the engine on purpose, to test an embedding's error handling: rejects with `PANIC`,
   * `enginelost` fires, and the next call starts a fresh worker (tables loaded before must be
   * loaded again: `reload()`).
   */
  async debugPanic(): Promise<void> {
    await this.#call('debugPanic', []);
  }

  /** Stops the worker; later calls reject with `TERMINATED`. */
  terminate(): void {
    this.#terminated = true;
    this.#engine.fail(new AudienceLabError('TERMINATED', 'the lab was terminated'));
  }

  async #call<K extends CallName>(
    call: K,
    args: Calls[K],
    transfer: Transferable[] = [],
    onProgress?: (p: Progress) => void,
  ): Promise<Results[K]> {
    if (this.#terminated) throw new AudienceLabError('TERMINATED', 'the lab was terminated');
    // After a panic the wasm instance is unusable: start a fresh worker with the same memory
    // limit and saved segments (tables must be loaded again).
    if (this.#engine.dead) this.#start();
    const engine = this.#engine;
    await this.#setup;
    return engine.request(call, args, transfer, onProgress);
  }
}

/** `bytes` when it is a memory budget (a number above 0) or null; else an `INVALID_OPTION`. */
function checkMaxMemory(bytes: unknown): number | null {
  if (bytes === null || (typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0)) return bytes;
  throw new AudienceLabError('INVALID_OPTION', `maxMemory: expected a number of bytes above 0, found ${String(bytes)}`);
}

/** The object without its `undefined` fields (the engine rejects what it cannot read). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function segmentText(segment: Segment | object | string): string {
  return typeof segment === 'string' ? segment : JSON.stringify(segment);
}

/** A campaign as JSON text. */
function campaignText(campaign: Campaign | object | string): string {
  return typeof campaign === 'string' ? campaign : JSON.stringify(campaign);
}

/**
 * What crosses to the worker: a Blob by reference (its bytes are not copied), bytes copied by
 * structured cloning, or with `transfer` a whole buffer handed over (detached here).
 */
function toPayload(data: FileData, transfer: boolean): { data: Blob | ArrayBuffer; transfer: Transferable[] } {
  if (typeof Blob !== 'undefined' && data instanceof Blob) return { data, transfer: [] };
  if (data instanceof ArrayBuffer) return { data, transfer: transfer ? [data] : [] };
  if (data instanceof Uint8Array) {
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
    if (transfer && whole) return { data: data.buffer as ArrayBuffer, transfer: [data.buffer as ArrayBuffer] };
    // A copy of the view's bytes (the caller's buffer stays usable), handed over as it is ours.
    const copy = data.slice().buffer as ArrayBuffer;
    return { data: copy, transfer: [copy] };
  }
  throw new AudienceLabError('INVALID_OPTION', 'load: expected a File, Blob, ArrayBuffer or Uint8Array');
}
