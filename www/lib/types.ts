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
  /** How sure the role is: 1 when mapped, 0.95 for a known header name, less for a header containing one or a role recognised from values. */
  confidence: number | null;
  /** How the role was found: `mapping`, `header` or `values`. */
  detectedBy: string | null;
  /** How values were read: string, date, money, integer, number or tags. */
  type: string;
}

/** `lab.preview()` result: what a file would look like loaded. */
export interface Preview {
  kind: 'orders' | 'members' | 'member_tags';
  name: string;
  format: string;
  encoding: string;
  encodingEvidence: string;
  delimiter: string;
  columns: ColumnReport[];
  /** The first rows, as text. */
  rows: string[][];
  /** Every role this table can have (SPEC §1). */
  roles: string[];
  /** Required roles that no column has yet. */
  missing: string[];
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
  /** Bytes read from the file. */
  bytes: number;
  /** What the user should know that rejected no row (renamed duplicate headers, undecodable bytes replaced, keys ignored). */
  warnings: string[];
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
