/** Result and rule types of the engine, as they arrive in JS. */

/** One rejected row of a load. */
export interface RejectSample {
  /** Spreadsheet row number (header = 1). */
  row: number;
  /** The column at fault (empty when the whole row is). */
  column: string;
  /** The raw value (cut to 200 characters). */
  value: string;
  /** Why the row was rejected. */
  reason: string;
}

/** One column of a loaded file. */
export interface ColumnReport {
  /** The header as written in the file. */
  name: string;
  /** The SPEC §1 role, or null for a plain attribute. */
  role: string | null;
  /** How values were read: string, date, money, integer, number, tags or ignored. */
  type: string;
}

/** What a load found and did. Always `rowsIn === rowsLoaded + rowsRejected`. */
export interface LoadReport {
  kind: 'orders' | 'members' | 'member_tags';
  name: string;
  format: string;
  encoding: string;
  encodingEvidence: string;
  delimiter: string;
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejected: { reason: string; count: number }[];
  samples: RejectSample[];
  columns: ColumnReport[];
}

/** One RFM segment. */
export interface SegmentSummary {
  segment: string;
  label: string;
  labelZh: string;
  members: number;
  /** Net revenue in cents (exact). */
  revenueCents: number;
  /** Net revenue in currency units. */
  revenue: number;
}

/** `lab.rfm()` result. */
export interface RfmResult {
  asOf: string;
  method: string;
  /** Members with a purchase (scored). */
  members: number;
  /** Members without a purchase. */
  prospects: number;
  segments: SegmentSummary[];
  /** `grid[r - 1][f - 1]` = members with those scores. */
  grid: number[][];
}

/** A page of audience members. */
export interface MembersPage {
  total: number;
  columns: string[];
  rows: string[][];
}

/** A rule node of SPEC §3. */
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
  | { segment: string };

/** A segment document of SPEC §3. */
export interface Segment {
  version: 1;
  name: string;
  rule: RuleNode;
}
