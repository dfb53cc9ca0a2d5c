/**
 * The types of the client's API. Options, results and the vocabulary are generated from the
 * engine's Rust types (`generated.ts`, kept equal to them by `make test`); what is written
 * here is only what the client adds: the rule JSON of SPEC §3 and the export result with its
 * Blob.
 */
export type * from './generated.js';
import type { ExportPart, MatchReport } from './generated.js';

/** A rule node of SPEC §3 (and §6's `at`: the rule as of a date, or days before the enclosing
 * date; only members that exist then match). */
export type RuleNode =
  | { all: RuleNode[] }
  | { any: RuleNode[] }
  | { not: RuleNode }
  | { tags: { any?: string[]; all?: string[]; none?: string[] } }
  | { attr: { column: string } & Record<string, unknown> }
  | { rfm: { segment?: string[]; r?: number[]; f?: number[]; m?: number[] } }
  | { lifecycle: string[] }
  | { metric: { name: string } & Record<string, unknown> }
  | {
      purchased: {
        where?: Record<string, string[]>;
        within_days?: number;
        between?: [string, string];
        min_count?: number;
        min_amount?: number;
      };
    }
  | { segment: string }
  | { at: { date: string; rule: RuleNode } | { days_ago: number; rule: RuleNode } };

/** A segment document of SPEC §3. */
export interface Segment {
  version: 1;
  name: string;
  rule: RuleNode;
}

/** An export with what the engine knows about it (`lab.exportFile`). */
/**
 * A campaign (SPEC §7): rules and parameters, no member data. The audience is the segment on
 * the day before `launch`; `holdout` (at most 4 decimals) of each stratum is held out.
 */
export interface Campaign {
  version: 1;
  name: string;
  /** The audience's segment (SPEC §3 document or bare rule). */
  segment: Segment | object;
  /** Launch date `YYYY-MM-DD`; the readout window is `[launch, launch + window_days)`. */
  launch: string;
  /** Share held out as the control group, in (0, 1). */
  holdout: number;
  /** Salt of the assignment hash (SHA-256 of `salt:member_id`). */
  salt: string;
  /** `stage`, `segment`, a member column, or `null` (no strata). */
  stratify: string | null;
  /** Days of the readout window. */
  window_days: number;
}

/** Options of `campaignExport`: which group, and for the treatment group the export options. */
export interface CampaignExportOptions extends Omit<import('./generated.js').WireExportOptions, 'splitBy'> {
  /** `treatment` (any format or ad-platform list) or `control` (CSV `member_id,stratum`). */
  arm: 'treatment' | 'control';
}

export interface ExportResult {
  /** The file: a `File` (a `Blob` with `name`) where the platform has `File`. */
  blob: Blob;
  /** File name made from the segment name (`win back.csv`, `win back-by-guide.zip`, `win back-meta.csv`). */
  filename: string;
  /** Media type. */
  mime: string;
  /** Size in bytes. */
  size: number;
  /** Rows written (over every file of a split). */
  rows: number;
  /** The files of a split export (empty otherwise). */
  parts: ExportPart[];
  /** The match-key report of an ad-platform list (`null` otherwise). */
  report: MatchReport | null;
}
