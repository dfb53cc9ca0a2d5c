/**
 * The message protocol between the main-thread client and the engine worker.
 *
 * Every request carries a `messageId`; every reply echoes it as `requestId`. Progress events
 * are unsolicited messages tied to a request. Errors cross as plain `{ name, message, code }`
 * objects (Error instances do not survive structured cloning with their fields intact).
 */

/** The engine calls the worker answers, with their argument lists. */
export interface Calls {
  load: [kind: TableKind, data: Blob | ArrayBuffer, opts: WireLoadOptions];
  preview: [kind: TableKind, data: Blob | ArrayBuffer, rows: number, opts: WireLoadOptions];
  heapBytes: [];
  rfm: [opts: AnalysisOptions];
  lifecycle: [opts: AnalysisOptions];
  cohorts: [opts: CohortOptions];
  kpis: [opts: KpiOptions];
  count: [segment: string, opts: AnalysisOptions];
  members: [segment: string, opts: MembersOptions];
  exportCsv: [segment: string, opts: AnalysisOptions & { columns?: string[] }];
  exportFile: [segment: string, analysis: AnalysisOptions, opts: WireExportOptions];
  matchReport: [segment: string, analysis: AnalysisOptions, opts: WireExportOptions];
  saveSegment: [segment: string];
  exportSegments: [];
  importSegments: [text: string];
  clv: [opts: ClvOptions];
  debugPanic: [];
  timeline: [opts: TimelineOptions];
  explain: [segment: string, opts: AnalysisOptions];
  tags: [opts: TagsOptions];
  intersectionRule: [include: string[], exclude: string[]];
  deleteSegment: [name: string];
  segments: [];
  overlap: [a: string, b: string, opts: AnalysisOptions];
  difference: [a: string, b: string, opts: AnalysisOptions];
  toSql: [segment: string, opts: SqlOptions];
  cacheStats: [];
  clearCache: [];
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
  | 'TERMINATED';

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
}

/** A message from the worker. */
export type Reply =
  | { type: 'ready' }
  | { type: 'result'; requestId: number; result: unknown }
  | { type: 'error'; requestId: number; error: WireError }
  | { type: 'progress'; requestId: number; progress: Progress }
  | { type: 'fatal'; error: WireError };

/** `orders`, `members` or `member_tags` (SPEC §1). */
export type TableKind = 'orders' | 'members' | 'member_tags';

/** Load options as they cross to the worker. */
export interface WireLoadOptions {
  /** File name, used in messages and the report. */
  name?: string;
  /** Role → column overrides, e.g. `{ amount: '实付金额' }` (SPEC §1 role names). */
  mapping?: Record<string, string>;
  /** Text encoding override: `utf-8`, `gbk`, `gb18030`, `utf-16le`, ... */
  encoding?: string;
  /** Workbook sheet to read (default: the first). */
  sheet?: string;
  /** Format override: `csv`, `tsv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`, `ndjson`. */
  format?: string;
  /** Delimiter override: `,` `;` `|` or `tab`. */
  delimiter?: string;
  /** Heap limit in bytes for this load; past it the load fails with `OUT_OF_MEMORY` and the tables loaded before stay usable. */
  memoryLimit?: number;
}

/** Options shared by every metric, count and export. */
export interface AnalysisOptions {
  /** Reference date `YYYY-MM-DD`; defaults to the date of the latest order. */
  asOf?: string;
  /** Only orders in `(asOf - windowDays, asOf]` count. */
  windowDays?: number;
  /** RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`, `fCuts`, `mCuts`). */
  method?: 'quantile' | 'ntile' | 'thresholds';
  /** `thresholds`: four ascending recency cut points in days (recency <= rCuts[0] scores 5). */
  rCuts?: number[];
  /** `thresholds`: four ascending frequency cut points (score = 1 + #{k : F > fCuts[k]}). */
  fCuts?: number[];
  /** `thresholds`: four ascending monetary cut points in currency units. */
  mCuts?: number[];
  /** Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user map. */
  segmentMap?: SegmentMapPreset | SegmentMapEntry[];
  /** Lifecycle: `new` while the first purchase is less than this many days old (default 30). */
  newDays?: number;
  /** Lifecycle: `dormant` from this many days after the last purchase (default 90). */
  dormantAfter?: number;
  /** Lifecycle: `churned` from this many days after the last purchase (default 180). */
  churnAfter?: number;
}

/** Options of `lab.timeline`. */
export interface TimelineOptions extends AnalysisOptions {
  /** Calendar period: `month` (default), `week` (ISO) or `quarter`. */
  period?: 'month' | 'week' | 'quarter';
}

/** The segment map presets. */
export type SegmentMapPreset = 'default' | 'klaviyo' | 'shopify' | 'rfm_package';

/**
 * One segment of a user map: score ranges `[low, high]` (inclusive, 1-5). Every (R, F) cell
 * must belong to exactly one segment; gaps and overlaps are an `INVALID_OPTION` error naming
 * the cells.
 */
export interface SegmentMapEntry {
  id: string;
  label?: string;
  labelZh?: string;
  r: [number, number];
  f: [number, number];
  /** Optional M range (default `[1, 5]`). */
  m?: [number, number];
}

/** Options of `lab.cohorts`. */
export interface CohortOptions extends AnalysisOptions {
  /** Period length (default `month`): labels `2024-03`, `2024-W09` (ISO week), `2024-Q1`. */
  period?: 'month' | 'week' | 'quarter';
  /** What sets a member's cohort (default `first_purchase`). */
  by?: 'first_purchase' | 'join_date';
}

/** Options of `lab.kpis`. */
export interface KpiOptions extends AnalysisOptions {
  /**
   * Split by one column: an order column (`store`, `channel`, `guide`, ...) or a member
   * attribute (`tier`, ...); `order:NAME` / `member:NAME` choose explicitly.
   */
  by?: string;
}

/** Options of `lab.members`. */
export interface MembersOptions extends AnalysisOptions {
  /** Columns after `member_id` (attributes or computed: recency_days, segment, stage, ...). */
  columns?: string[];
  /** First row of the page. */
  offset?: number;
  /** Rows in the page (default 100). */
  limit?: number;
}

/** An export file format: `ndjson` is JSON with one object per line. */
export type ExportFormat = 'csv' | 'xlsx' | 'parquet' | 'arrow' | 'json' | 'ndjson';

/** An ad platform whose customer-list format `profile` writes. */
export type AdPlatform = 'meta' | 'google' | 'tiktok';

/** The export part of `lab.export` options, as it crosses to the worker. */
export interface WireExportOptions {
  /** File format (default `csv`: UTF-8 with BOM, RFC 4180, formula-safe). */
  format?: ExportFormat;
  /**
   * Columns after `member_id`: member attributes (`tier`, `city`, `guide`, ...), computed
   * columns (`recency_days`, `frequency`, `monetary`, `r`, `f`, `m`, `segment`, `stage`,
   * `first_purchase`, `last_purchase`, `tags`, `join_bucket`, `first_purchase_bucket`, `aov`,
   * `first_purchase_days`, `tenure_days`, `discount_share`), CLV
   * predictions (`p_alive`, `expected_purchases_90d`, `clv`) or an order column on the
   * member's last purchase (`order:store`, `order:guide`, ...).
   */
  columns?: string[];
  /** One file per value of this column (guide, store, city, tier, ...), zipped with a summary of counts (`summary.xlsx` in an XLSX split, else `summary.csv`). */
  splitBy?: string;
  /** A hashed Meta / Google Customer Match / TikTok customer list (CSV) instead of the columns. */
  profile?: AdPlatform;
  /** Country of phone numbers written without a country code: ISO code or `+code` (default `CN`, +86). */
  defaultCountry?: string;
  /** What the file is named after (default: the segment's name). */
  name?: string;
  /** Creation time written into XLSX files, in milliseconds since 1970 (default: now). */
  created?: number;
}

/** Options of `lab.export`. */
export interface ExportOptions extends AnalysisOptions, WireExportOptions {
  /** Called as rows are written and the file is handed over. */
  onProgress?: (progress: Progress) => void;
}

/** Options of `lab.matchReport`. */
export interface MatchReportOptions extends AnalysisOptions {
  /** The platform whose normalisation is checked. */
  profile: AdPlatform;
  /** Country of phone numbers written without a country code (default `CN`). */
  defaultCountry?: string;
}

/** Options of `lab.clv` (every field optional). */
export interface ClvOptions {
  /** Last day of the calibration period `YYYY-MM-DD`, included; defaults to the latest order's date. */
  calibrationEnd?: string;
  /** Time unit of recency, T and α: `days` (default) or `weeks` (days / 7). */
  unit?: 'days' | 'weeks';
  /** CLV horizon in days (default 365). */
  horizonDays?: number;
  /** Monthly discount rate of the CLV (default 0.01). */
  discount?: number;
  /** Count orders with amount 0 as transactions (default false: only purchases, amount > 0). */
  includeZeroAmount?: boolean;
}

/** Options of `lab.tags`. */
export interface TagsOptions extends AnalysisOptions {
  /** The tag set of the overlap matrix and the intersections (default: the `top` most frequent). */
  tags?: string[];
  /** Size of the default tag set (default 8, at most 64). */
  top?: number;
  /** Intersections listed, largest first (default 20). */
  limit?: number;
  /** Count only the members of this segment (SPEC §3 JSON); intersection rules are confined to it. */
  within?: object;
}

/** Options of `lab.toSql`. */
export interface SqlOptions extends AnalysisOptions {
  /** `duckdb` (default) or `spark`. */
  dialect?: 'duckdb' | 'spark';
}
