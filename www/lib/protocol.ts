/**
 * The message protocol between the main-thread client and the engine worker.
 *
 * Every request carries a `messageId`; every reply echoes it as `requestId`. Progress events
 * are unsolicited messages tied to a request. Errors cross as plain `{ name, message, code }`
 * objects (Error instances do not survive structured cloning with their fields intact).
 *
 * `Calls` gives each call's arguments and `Results` what it answers, with the options and
 * result types generated from the engine (`generated.ts`): the client, the worker and the
 * engine agree on every field, and `tsc` holds all three to it.
 */
import type {
  AnalysisOptions,
  CampaignReadout,
  CampaignSummary,
  CacheStats,
  ClearCacheOptions,
  ClvOptions,
  ClvResult,
  CohortOptions,
  CohortResult,
  DifferenceResult,
  ExplainResult,
  ExportMeta,
  KpiOptions,
  KpiResult,
  LifecycleResult,
  LoadReport,
  MatchReport,
  MemoryUse,
  MatchReportOptions,
  MembersOptions,
  MembersPage,
  Migration,
  MigrationOptions,
  OverlapResult,
  Preview,
  RfmResult,
  SqlOptions,
  StageTrend,
  StageTrendOptions,
  TagReport,
  TagsOptions,
  TimelineOptions,
  TimelineResult,
  Vocabulary,
  WireExportOptions,
  WireLoadOptions,
  WirePreviewOptions,
} from './generated.js';
import type { Segment } from './types.js';

export type {
  AnalysisOptions,
  ClearCacheOptions,
  ClvOptions,
  CohortOptions,
  KpiOptions,
  MatchReportOptions,
  MembersOptions,
  MigrationOptions,
  SqlOptions,
  StageTrendOptions,
  TagsOptions,
  TimelineOptions,
  WireExportOptions,
  WireLoadOptions,
  WirePreviewOptions,
} from './generated.js';

/** A segment document or bare rule, as JSON text. */
type SegmentText = string;

/** The engine calls the worker answers, with their argument lists. */
export interface Calls {
  load: [kind: TableKind, data: Blob | ArrayBuffer, opts: WireLoadOptions];
  preview: [kind: TableKind, data: Blob | ArrayBuffer, opts: WirePreviewOptions];
  drop: [kind: TableKind];
  vocabulary: [];
  heapBytes: [];
  memory: [];
  setMemoryLimit: [bytes: number | null];
  rfm: [opts: AnalysisOptions];
  lifecycle: [opts: AnalysisOptions];
  cohorts: [opts: CohortOptions];
  kpis: [opts: KpiOptions];
  count: [segment: SegmentText, opts: AnalysisOptions];
  members: [segment: SegmentText, opts: MembersOptions];
  exportFile: [segment: SegmentText, opts: WireExportOptions];
  matchReport: [segment: SegmentText, opts: MatchReportOptions];
  saveSegment: [segment: SegmentText];
  exportSegments: [];
  importSegments: [text: string];
  keep: [view: unknown];
  keepView: [view: unknown];
  kept: [];
  restore: [];
  forget: [];
  clv: [opts: ClvOptions];
  debugPanic: [];
  timeline: [opts: TimelineOptions];
  migration: [opts: MigrationOptions];
  stageTrend: [opts: StageTrendOptions];
  explain: [segment: SegmentText, opts: AnalysisOptions];
  tags: [opts: TagsOptions];
  intersectionRule: [include: string[], exclude: string[]];
  deleteSegment: [name: string];
  segments: [];
  overlap: [a: SegmentText, b: SegmentText, opts: AnalysisOptions];
  difference: [a: SegmentText, b: SegmentText, opts: AnalysisOptions];
  toSql: [segment: SegmentText, opts: SqlOptions];
  cacheStats: [];
  clearCache: [opts: ClearCacheOptions];
  campaignAssign: [campaign: string, opts: AnalysisOptions];
  campaignResize: [summary: CampaignSummary, holdout: number];
  campaignReadout: [campaign: string, opts: AnalysisOptions];
  campaignFile: [campaign: string];
  campaignExportFile: [campaign: string, arm: 'treatment' | 'control', opts: WireExportOptions];
}

/** An export as the worker hands it over: the engine's metadata, its size and the Blob. */
export type ExportReply = ExportMeta & { size: number; blob: Blob };

/** What each call answers. */
export interface Results {
  load: LoadReport;
  preview: Preview;
  drop: boolean;
  vocabulary: Vocabulary;
  heapBytes: number;
  memory: MemoryUse;
  setMemoryLimit: number;
  rfm: RfmResult;
  lifecycle: LifecycleResult;
  cohorts: CohortResult;
  kpis: KpiResult;
  count: number;
  members: MembersPage;
  exportFile: ExportReply;
  matchReport: MatchReport;
  saveSegment: Segment;
  exportSegments: string;
  importSegments: Segment[];
  keep: KeptWorkspace;
  keepView: KeptWorkspace | null;
  kept: KeptWorkspace | null;
  restore: RestoredWorkspace | null;
  forget: boolean;
  clv: ClvResult;
  debugPanic: void;
  timeline: TimelineResult;
  migration: Migration;
  stageTrend: StageTrend;
  explain: ExplainResult;
  tags: TagReport;
  intersectionRule: Segment;
  deleteSegment: void;
  segments: Segment[];
  overlap: OverlapResult;
  difference: DifferenceResult;
  toSql: string;
  cacheStats: CacheStats;
  clearCache: void;
  campaignAssign: CampaignSummary;
  campaignResize: CampaignSummary;
  campaignReadout: CampaignReadout;
  campaignFile: string;
  campaignExportFile: ExportReply;
}

/** The name of an engine call. */
export type CallName = keyof Calls;

/** A request from the client. */
export interface Request<K extends CallName = CallName> {
  messageId: number;
  call: K;
  args: Calls[K];
}

/** Stable error codes (`error.code`). */
export type ErrorCode =
  | 'PARSE_ERROR'
  | 'RULE_ERROR'
  | 'INVALID_OPTION'
  | 'NO_DATA'
  | 'IO_ERROR'
  | 'OUT_OF_MEMORY'
  | 'INTERNAL'
  | 'PANIC'
  | 'WORKER_ERROR'
  | 'TERMINATED'
  | 'STORAGE_FULL'
  | 'STORAGE_VERSION'
  | 'STORAGE_ERROR';

/** An error as it crosses the worker boundary. */
export interface WireError {
  name: string;
  message: string;
  code: ErrorCode;
}

/** Progress of a load or an export. */
export interface Progress {
  /** Fraction done, 0..1. */
  fraction: number;
  /**
   * Loads: `read` (bytes reach the engine), `parse` (formats parsed whole: XLSX, Parquet,
   * Arrow) or `done`. Exports: `write` (rows written), `transfer` (the file handed over in
   * chunks) or `done`.
   */
  stage: string;
  /** Bytes of the file taken in so far. */
  bytes?: number;
  /** Size of the file. */
  totalBytes?: number;
  /** Data rows read (loads) or written (exports) so far. */
  rows?: number;
  /** Exports: rows to write (over every file of a split). */
  totalRows?: number;
  /** Loads: the parts the file is read in, each by a worker of its own (absent: one). */
  parts?: number;
}

/** A message from the worker. */
export type Reply =
  | { type: 'ready' }
  | { type: 'result'; requestId: number; result: Results[CallName] }
  | { type: 'error'; requestId: number; error: WireError }
  | { type: 'progress'; requestId: number; progress: Progress }
  | { type: 'fatal'; error: WireError };

export type { TableKind } from './generated.js';
import type { TableKind } from './generated.js';

/** An export file format: `ndjson` is JSON with one object per line. */
export type { ExportFormat, AdPlatform } from './generated.js';

/** A part of a file for a part worker to read (see `part-worker.ts`). */
export interface PartJob {
  /** The compiled engine, shared by every worker. */
  module: WebAssembly.Module;
  kind: TableKind;
  opts: unknown;
  /** The plan (JSON) of `Lab.loadPlan`. */
  plan: string;
  file: Blob;
  start: number;
  end: number;
  /** Whether this is the file's last part. */
  last: boolean;
  /** A Parquet file: the row groups `[start, end)` this part reads (of the whole file, `start`..`end` then span it all). */
  groups?: [number, number];
}

/** A part worker's message: progress, the part read (null: it does not end at a record boundary), or an error. */
export type PartReply =
  | { type: 'progress'; bytes: number; rows: number }
  | { type: 'done'; part: Uint8Array | null }
  | { type: 'error'; error: WireError };

/** A table kept in the browser (see `lab.keep`). */
export interface KeptTable {
  kind: TableKind;
  /** The file it was loaded from. */
  name: string;
  /** Rows loaded. */
  rows: number;
  /** Bytes it takes in the browser's storage. */
  bytes: number;
}

/** A workspace kept in this browser's origin-private file system. */
export interface KeptWorkspace {
  /** When it was last kept (ISO 8601). */
  savedAt: string;
  tables: KeptTable[];
  /** Bytes of every kept table. */
  bytes: number;
  /** The view state kept with it (whatever the page passed to `keep` / `keepView`). */
  view: unknown;
}

/** A kept workspace put back in the engine: with the load report of each table. */
export interface RestoredWorkspace extends KeptWorkspace {
  reports: LoadReport[];
}
