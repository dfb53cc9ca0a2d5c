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
  /** `cube[r - 1][f - 1][m - 1]` = members with those scores. */
  cube: number[][][];
  /** `cellSegments[r - 1][f - 1]` = the segment id of that cell (null where it depends on M). */
  cellSegments: (string | null)[][];
  /** The segment map: a preset name or `custom`. */
  segmentMap: string;
}

/** Members of one lifecycle stage. */
export interface StageCount {
  stage: 'prospect' | 'new' | 'active' | 'dormant' | 'churned';
  labelZh: string;
  members: number;
  /** members / all members (0..1). */
  share: number;
}

/** Members of one onboarding bucket (`min`..`max` days, both included; `max` null for `>90`). */
export interface BucketCount {
  bucket: '0-3' | '4-7' | '8-15' | '16-30' | '31-60' | '61-90' | '>90';
  min: number;
  max: number | null;
  members: number;
  /** Of those, members per stage id. */
  stages: Record<string, number>;
}

/** `lab.lifecycle()` result. */
export interface LifecycleResult {
  asOf: string;
  thresholds: { newDays: number; dormantAfter: number; churnAfter: number };
  members: number;
  stages: StageCount[];
  /** Members with a join date on or before `asOf`, by days since joining. */
  daysSinceJoin: BucketCount[];
  noJoinDate: number;
  joinedAfterAsOf: number;
  /** Members with a purchase, by days since the first purchase. */
  daysSinceFirstPurchase: BucketCount[];
}

/** One cohort and period index of `lab.cohorts()`. */
export interface CohortRow {
  /** `2024-03`, `2024-W09` or `2024-Q1`. */
  cohort: string;
  /** Period index k (0 = the cohort's own period). */
  period: number;
  /** First day of period c + k. */
  periodStart: string;
  size: number;
  active: number;
  /** active / size (0..1). */
  retention: number;
  /** 1 - retention. */
  churn: number;
  /** Net revenue of the cohort in period c + k, in cents (exact). */
  revenueCents: number;
  revenue: number;
  /** The period of `asOf`, which has not ended on `asOf`. */
  partial: boolean;
}

/** `lab.cohorts()` result. */
export interface CohortResult {
  asOf: string;
  period: 'month' | 'week' | 'quarter';
  by: 'first_purchase' | 'join_date';
  cohorts: number;
  members: number;
  withoutCohort: number;
  rows: CohortRow[];
}

/** KPIs of everything or of one group (ratios are null when their denominator is 0). */
export interface KpiValues {
  purchases: number;
  memberPurchases: number;
  guestPurchases: number;
  memberOrderShare: number | null;
  buyers: number;
  repeatBuyers: number;
  repeatPurchaseRate: number | null;
  purchaseAmountCents: number;
  aov: number | null;
  items: number;
  itemsPerOrder: number | null;
  purchasesPerBuyer: number | null;
  annualNetCents: number;
  annualBuyers: number;
  annualContribution: number | null;
  churned: number;
  churnRate: number | null;
}

/** One value of the split column. */
export interface KpiGroup extends KpiValues {
  /** The column's value, `(none)` for no value (and guest orders in a member split). */
  value: string;
}

/** `lab.kpis()` result. */
export interface KpiResult {
  asOf: string;
  windowDays: number | null;
  windowStart: string | null;
  annualStart: string;
  thresholds: { newDays: number; dormantAfter: number; churnAfter: number };
  overall: KpiValues;
  by: string | null;
  bySource: 'order' | 'member' | null;
  groups: KpiGroup[];
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

/** One calendar period of `lab.timeline()`. */
export interface TimelinePoint {
  /** `2024-03`, `2024-W09` or `2024-Q1`. */
  period: string;
  /** First day of the period. */
  start: string;
  memberPurchases: number;
  guestPurchases: number;
  /** Net amount of members' orders (refunds included), in cents. */
  memberNetCents: number;
  guestNetCents: number;
  /** Members with a purchase in the period. */
  buyers: number;
}

/** `lab.timeline()` result: every period from the first order to `asOf`. */
export interface TimelineResult {
  asOf: string;
  period: 'month' | 'week' | 'quarter';
  points: TimelinePoint[];
}

/** One node of `lab.explain`: the node's own count and, under `all`/`any`, the running count. */
export interface ExplainNode {
  /** JSON path of the node (`rule.all[2]`). */
  path: string;
  /** Node type (`all`, `any`, `not`, `tags`, `attr`, `rfm`, `lifecycle`, `metric`, `purchased`, `segment`). */
  type: string;
  /** Members matching this node alone. */
  count: number;
  /** Under `all` (`any`): members matching this child and every (any) child before it; else null. */
  running: number | null;
  /** The node's member set came from the per-node cache. */
  cached: boolean;
  children: ExplainNode[];
}

/** `lab.explain(segment)`. */
export interface ExplainResult {
  /** Members in the data. */
  total: number;
  /** Members of the whole rule. */
  count: number;
  root: ExplainNode;
}

/** One exclusive intersection of a tag set (UpSet bar). */
export interface TagIntersection {
  /** The tags of the set these members have (they have none of the others). */
  tags: string[];
  size: number;
  share: number;
  /** The segment that selects exactly these members. */
  rule: Segment;
}

/** `lab.tags(opts)`. */
export interface TagReport {
  members: number;
  tagged: number;
  frequency: { tag: string; members: number; share: number }[];
  set: string[];
  /** overlap[i][j] = members with set[i] and set[j]; the diagonal is the tag's size. */
  overlap: number[][];
  jaccard: number[][];
  intersections: TagIntersection[];
  intersectionCount: number;
  withNone: number;
}

/** `lab.overlap(a, b)`. */
export interface OverlapResult {
  a: number;
  b: number;
  both: number;
  either: number;
  onlyA: number;
  onlyB: number;
  jaccard: number;
}

/** `lab.difference(a, b)`: members of a not in b. */
export interface DifferenceResult {
  count: number;
  rule: Segment;
}

/** Per-node cache use of the engine. */
export interface CacheStats {
  hits: number;
  evaluated: number;
  entries: number;
}

/** One file of a split export (the zip's summary sheet lists the same). */
export interface ExportPart {
  /** File name inside the zip. */
  file: string;
  /** The column's value (`null` for members without one: file `(none).EXT`). */
  value: string | null;
  /** Members in the file. */
  members: number;
}

/** Invalid values of one match key for one reason. */
export interface MatchProblem {
  /** Stable id: emails `at`, `local`, `domain`, `characters`; phones `characters`, `unknown_country`, `length`, `china_pattern`. */
  problem: string;
  /** The reason in words. */
  description: string;
  count: number;
}

/** An example value of a match report. */
export interface MatchSample {
  memberId: string;
  /** The value as in the file (invalid values) or trimmed (duplicates). */
  value: string;
  /** The problem id (invalid values) or the member id that had the value first (duplicates). */
  note: string;
}

/** Quality of one match key (email or phone) over the audience. */
export interface MatchKeyReport {
  /** The member attribute read (`null` when the members table has none). */
  column: string | null;
  /** Members with a value. */
  present: number;
  /** Values normalised and hashed. */
  valid: number;
  /** Values that already were SHA-256 hex (passed through in lower case, not hashed again). */
  alreadyHashed: number;
  /** Values that cannot be used (left empty in the file). */
  invalid: number;
  /** Usable values an earlier member (by member id) already had. */
  duplicates: number;
  problems: MatchProblem[];
  /** Up to 10 invalid values. */
  invalidSamples: MatchSample[];
  /** Up to 10 duplicate values. */
  duplicateSamples: MatchSample[];
}

/** The match-key quality report of an ad-platform list (`lab.matchReport`). */
export interface MatchReport {
  platform: 'meta' | 'google' | 'tiktok';
  /** ISO code of the default country of phone numbers. */
  defaultCountry: string;
  /** The file's column headers (`email,phone`, `Email,Phone`, `Email_SHA256,Phone_SHA256`). */
  headers: string[];
  /** Members in the audience. */
  members: number;
  /** Rows in the file. */
  rows: number;
  /** Members with neither a usable email nor a usable phone (left out). */
  noKey: number;
  /** Members whose hashed keys equal an earlier row's (left out). */
  duplicateRows: number;
  email: MatchKeyReport;
  phone: MatchKeyReport;
}

/** An export with what the engine knows about it (`lab.exportFile`). */
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
