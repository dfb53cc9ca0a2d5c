/**
 * The message protocol between the main-thread client and the engine worker.
 *
 * Every request carries a `messageId`; every reply echoes it as `requestId`. Progress events
 * are unsolicited messages tied to a request. Errors cross as plain `{ name, message, code }`
 * objects (Error instances do not survive structured cloning with their fields intact).
 */

/** The engine calls the worker answers, with their argument lists. */
export interface Calls {
  load: [kind: TableKind, bytes: ArrayBuffer, opts: WireLoadOptions];
  rfm: [opts: AnalysisOptions];
  count: [segment: string, opts: AnalysisOptions];
  members: [segment: string, opts: MembersOptions];
  exportCsv: [segment: string, opts: ExportOptions];
  clv: [opts: ClvOptions];
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

/** Progress of a load. */
export interface Progress {
  /** Fraction done, 0..1. */
  fraction: number;
  /** `read`, `decode`, `parse`, `build` or `done`. */
  stage: string;
  /** Bytes of the file consumed so far (when known). */
  bytes?: number;
  /** Total bytes of the file. */
  totalBytes?: number;
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
  /** Format override: `csv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`, `ndjson`. */
  format?: string;
}

/** Options shared by every metric, count and export. */
export interface AnalysisOptions {
  /** Reference date `YYYY-MM-DD`; defaults to the date of the latest order. */
  asOf?: string;
  /** Only orders in `(asOf - windowDays, asOf]` count. */
  windowDays?: number;
  /** RFM scoring: `quantile` (default) or `ntile`. */
  method?: 'quantile' | 'ntile';
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

/** Options of `lab.export`. */
export interface ExportOptions extends AnalysisOptions {
  /** File format. */
  format?: 'csv';
  /** Columns after `member_id`. */
  columns?: string[];
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
