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

/** `lab.clv()` result: fitted BG/NBD and Gamma-Gamma parameters and an overview. */
export interface ClvResult {
  /** Calibration end `YYYY-MM-DD`. */
  calibrationEnd: string;
  unit: 'days' | 'weeks';
  horizonDays: number;
  discount: number;
  /** BG/NBD: purchase rate ~ Gamma(r, alpha) (alpha in `unit`), dropout ~ Beta(a, b). */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  /** Gamma-Gamma spend model (lifetimes' names; `v` is the paper's γ). */
  gammaGamma: { p: number; q: number; v: number };
  /** Members with a purchase by the calibration end (in the BG/NBD fit). */
  customers: number;
  /** Of them, members with a repeat purchase. */
  repeatCustomers: number;
  /** Members in the spend model (repeat purchases of positive value). */
  spendCustomers: number;
  /** Distinct (x, t_x, T) triples the likelihood iterates over. */
  distinctTriples: number;
  logLikelihood: number;
  meanPAlive: number;
  /** Expected purchases of all members in the 90 days after the calibration end. */
  expectedPurchases90d: number;
  /** Sum of the members' CLV over the horizon, in currency units. */
  totalClv: number;
  /** Members by P(alive) in tenths: [0, 0.1), …, [0.9, 1]. */
  pAliveHistogram: number[];
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
