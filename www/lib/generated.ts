// Generated from the Rust types by tests/typescript.rs (`make types`): do not edit.
// The options of every call, every result and the vocabulary, as they cross the worker.
/* eslint-disable */

import type { Segment } from './types.js';

/** `orders`, `members`, `member_tags` (SPEC §1) or `order_items` (SPEC §1.1). */
export type TableKind = 'orders' | 'members' | 'member_tags' | 'order_items';

export type AnalysisOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, };

export type TimelineOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * Calendar period: `month` (default), `week` (ISO) or `quarter`.
 */
period?: CohortPeriod, };

export type CohortOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * Period length (default `month`): labels `2024-03`, `2024-W09` (ISO week), `2024-Q1`.
 */
period?: CohortPeriod, 
/**
 * What sets a member's cohort (default `first_purchase`).
 */
by?: CohortBy, };

export type KpiOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * Split by one column: an order column (`store`, `channel`, `guide`, ...) or a member
 * attribute (`tier`, ...); `order:NAME` / `member:NAME` choose explicitly.
 */
by?: string, 
/**
 * A date `YYYY-MM-DD` before `as_of`: adds the period rates over `(compareTo, as_of]`
 * (reactivation, churn-in, new-to-repeat; SPEC §6) as `rates`.
 */
compareTo?: string, };

export type MigrationOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * The first date `YYYY-MM-DD` (required).
 */
from?: string, 
/**
 * The second date (default: `as_of`).
 */
to?: string, 
/**
 * `stage` (default) or `segment` (RFM segments of the map in use).
 */
by?: string, };

export type StageTrendOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * `month` (default), `week` (ISO) or `quarter`.
 */
period?: CohortPeriod, 
/**
 * First date `YYYY-MM-DD` (default: the first order).
 */
from?: string, };

export type MembersOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * Columns after `member_id`: member attributes, columns of the vocabulary's
 * `columns`, `tags`, or an order column on the member's last purchase (`order:store`).
 */
columns?: Array<string>, 
/**
 * First row of the page.
 */
offset?: number, 
/**
 * Rows in the page (default 100).
 */
limit?: number, };

export type WireExportOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * File format (default `csv`: UTF-8 with BOM, RFC 4180, formula-safe).
 */
format?: ExportFormat, 
/**
 * Columns after `member_id` (as `lab.members` takes them).
 */
columns?: Array<string>, 
/**
 * One file per value of this column (guide, store, city, tier, ...), zipped with a
 * summary of counts (`summary.xlsx` in an XLSX split, else `summary.csv`).
 */
splitBy?: string, 
/**
 * A hashed Meta / Google Customer Match / TikTok customer list (CSV) instead of the
 * columns.
 */
profile?: AdPlatform, 
/**
 * Country of phone numbers written without a country code: ISO code or `+code`
 * (default `CN`, +86).
 */
defaultCountry?: string, 
/**
 * What the file is named after (default: the segment's name).
 */
name?: string, 
/**
 * Creation time written into XLSX files, in milliseconds since 1970 (default: now).
 */
created?: number, };

export type MatchReportOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * The platform whose normalisation is checked (required).
 */
profile?: AdPlatform, 
/**
 * Country of phone numbers written without a country code (default `CN`).
 */
defaultCountry?: string, };

export type SqlOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * `duckdb` (default) or `spark`.
 */
dialect?: SqlDialect, 
/**
 * A report instead of the segment (`rfm`, `lifecycle`, `cohort`, `kpi`,
 * `migration`, `trend`): one query returning the columns of the CLI's output of
 * that report.
 */
report?: SqlReport, 
/**
 * cohort and trend: `month` (default), `week` or `quarter`.
 */
period?: CohortPeriod, 
/**
 * cohort: `first_purchase` (default) or `join_date`; kpi: the split column, as
 * `lab.kpis({ by })` names it; migration: `stage` (default) or `segment`.
 */
by?: string, 
/**
 * migration: the first date `YYYY-MM-DD` (required); trend: the first date
 * (default: the first order).
 */
from?: string, 
/**
 * migration: the second date (default: `as_of`).
 */
to?: string, 
/**
 * The warehouse's column of a role where it is not named as the role, e.g.
 * `{ amount: '实付金额' }`: the query reads that column.
 */
mapping?: { [key in string]: string }, };

export type TagsOptions = { 
/**
 * Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
 */
asOf?: string, 
/**
 * Only orders in `(asOf - windowDays, asOf]` count.
 */
windowDays?: number, 
/**
 * RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
 * `fCuts`, `mCuts`).
 */
method?: RfmMethod, 
/**
 * `thresholds`: four ascending recency cut points in days.
 */
rCuts?: Array<number>, 
/**
 * `thresholds`: four ascending frequency cut points.
 */
fCuts?: Array<number>, 
/**
 * `thresholds`: four ascending monetary cut points in currency units.
 */
mCuts?: Array<number>, 
/**
 * Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
 * map (every (R, F) cell in exactly one segment).
 */
segmentMap?: SegmentMapPreset | Array<SegmentMapEntry>, 
/**
 * Lifecycle: `new` while the first purchase is less than this many days old
 * (default 30).
 */
newDays?: number, 
/**
 * Lifecycle: `dormant` from this many days after the last purchase (default 90).
 */
dormantAfter?: number, 
/**
 * Lifecycle: `churned` from this many days after the last purchase (default 180).
 */
churnAfter?: number, 
/**
 * The tag set of the overlap matrix and the intersections (default: the `top` most
 * frequent).
 */
tags?: Array<string>, 
/**
 * Size of the default tag set (default 8, at most 64).
 */
top?: number, 
/**
 * Intersections listed, largest first (default 20).
 */
limit?: number, 
/**
 * Count only the members of this segment (SPEC §3 JSON); intersection rules are
 * confined to it.
 */
within?: object, };

export type ClvOptions = { 
/**
 * Last day of the calibration period `YYYY-MM-DD`, included; defaults to the latest
 * order's date.
 */
calibrationEnd?: string, 
/**
 * Time unit of recency, T and α: `days` (default) or `weeks` (days / 7).
 */
unit?: TimeUnit, 
/**
 * CLV horizon in days (default 365).
 */
horizonDays?: number, 
/**
 * Monthly discount rate of the CLV (default 0.01).
 */
discount?: number, 
/**
 * Count orders with amount 0 as transactions (default false: only purchases count).
 */
includeZeroAmount?: boolean, 
/**
 * The repeat-buying model: `bgnbd` (default) or `mbgnbd` (the modified BG/NBD, in which
 * a one-time buyer can have left).
 */
model?: string, };

export type ClearCacheOptions = { 
/**
 * The member sets of rule nodes (default true).
 */
segments?: boolean, 
/**
 * The analyses (per-member base, RFM, lifecycle) and the CLV fit (default true).
 */
analyses?: boolean, };

export type WireLoadOptions = { 
/**
 * File name, used in messages and the report.
 */
name?: string, 
/**
 * Role → column overrides, e.g. `{ amount: '实付金额' }` (SPEC §1 role names).
 */
mapping?: { [key in string]: string }, 
/**
 * Text encoding override: `utf-8`, `gbk`, `gb18030`, `utf-16le`, ...
 */
encoding?: string, 
/**
 * Workbook sheet to read (default: the first).
 */
sheet?: string, 
/**
 * Format override: `csv`, `tsv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`,
 * `ndjson`.
 */
format?: string, 
/**
 * Delimiter override: `,` `;` `|` or `tab`.
 */
delimiter?: string, 
/**
 * Heap limit in bytes for this load; past it the load fails with
 * `OUT_OF_MEMORY` and the tables loaded before stay usable.
 */
memoryLimit?: number, 
/**
 * Workers a large CSV or Parquet file is read with (CSV at record boundaries,
 * Parquet by row groups), each a Web Worker with its own engine
 * (no shared memory, so no cross-origin isolation is needed); default: the
 * browser's `navigator.hardwareConcurrency`, at most 8. `1` reads in one piece.
 */
workers?: number, };

export type WirePreviewOptions = { 
/**
 * File name, used in messages and the report.
 */
name?: string, 
/**
 * Role → column overrides, e.g. `{ amount: '实付金额' }` (SPEC §1 role names).
 */
mapping?: { [key in string]: string }, 
/**
 * Text encoding override: `utf-8`, `gbk`, `gb18030`, `utf-16le`, ...
 */
encoding?: string, 
/**
 * Workbook sheet to read (default: the first).
 */
sheet?: string, 
/**
 * Format override: `csv`, `tsv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`,
 * `ndjson`.
 */
format?: string, 
/**
 * Delimiter override: `,` `;` `|` or `tab`.
 */
delimiter?: string, 
/**
 * Heap limit in bytes for this load; past it the load fails with
 * `OUT_OF_MEMORY` and the tables loaded before stay usable.
 */
memoryLimit?: number, 
/**
 * Rows of the file shown (default 20).
 */
rows?: number, };

export type RfmMethod = "quantile" | "ntile" | "thresholds";

export type CohortPeriod = "month" | "week" | "quarter";

export type CohortBy = "first_purchase" | "join_date";

export type SqlDialect = "duckdb" | "spark";

export type SqlReport = "rfm" | "lifecycle" | "cohort" | "kpi" | "migration" | "trend";

export type ExportFormat = "csv" | "xlsx" | "parquet" | "arrow" | "json" | "ndjson";

export type AdPlatform = "meta" | "google" | "tiktok";

export type TimeUnit = "days" | "weeks";

export type SegmentMapPreset = "default" | "klaviyo" | "shopify" | "rfm_package";

export type SegmentMapEntry = { 
/**
 * The segment's id.
 */
id: string, 
/**
 * English name.
 */
label?: string, 
/**
 * Chinese name.
 */
labelZh?: string, 
/**
 * R scores.
 */
r: [number, number], 
/**
 * F scores.
 */
f: [number, number], 
/**
 * M scores (default `[1, 5]`).
 */
m?: [number, number], };

export type LoadReport = { 
/**
 * `orders`, `members`, `member_tags` or `order_items`.
 */
kind: TableKind, 
/**
 * The file name given by the caller.
 */
name: string, 
/**
 * The detected format (`csv`).
 */
format: string, 
/**
 * The detected text encoding (empty for binary formats).
 */
encoding: string, 
/**
 * Why that encoding: a byte-order mark, valid UTF-8, or the override.
 */
encodingEvidence: string, 
/**
 * Why that encoding, in Chinese.
 */
encodingEvidenceZh: string, 
/**
 * The detected field delimiter (empty for formats without one).
 */
delimiter: string, 
/**
 * Data rows in the file (header excluded).
 */
rowsIn: number, 
/**
 * Rows loaded.
 */
rowsLoaded: number, 
/**
 * Rows not loaded, for the reasons in `rejected`.
 */
rowsRejected: number, 
/**
 * Rejected rows by reason, most frequent first.
 */
rejected: Array<ReasonCount>, 
/**
 * Up to 20 rejected rows.
 */
samples: Array<RejectSample>, 
/**
 * The columns of the file with their roles and types.
 */
columns: Array<ColumnReport>, 
/**
 * Bytes read from the file.
 */
bytes: number, 
/**
 * Things the user should know that did not reject rows (renamed duplicate headers,
 * replaced undecodable bytes, keys ignored).
 */
warnings: Array<string>, 
/**
 * The warnings in Chinese, in the same order.
 */
warningsZh: Array<string>, 
/**
 * When the rows are line items grouped into orders (SPEC §1.1): how many of each.
 */
lineItems: LineItems | null, 
/**
 * The platform whose export layout the columns match (`Shopify orders`, `天猫订单列表`,
 * ...), if recognised.
 */
platform: ShopPlatform | null, };

export type ColumnReport = { 
/**
 * The header as written in the file.
 */
name: string, 
/**
 * The role (SPEC §1 role name) or `None` for a plain attribute.
 */
role: string | null, 
/**
 * How sure the role is: 1.0 when mapped by the caller, 0.95 for a known header name, less
 * for a header containing one or for a role recognised from values alone.
 */
confidence: number | null, 
/**
 * How the role was found: `mapping`, `header` or `values`; for the member key of an
 * orders file without a member id column (SPEC §1.1), its kind: `email`, `phone` or
 * `nickname`.
 */
detectedBy: string | null, 
/**
 * The type the values were read as: string, date, money, integer, number or tags.
 */
type: string, };

export type ReasonCount = { 
/**
 * The reason, e.g. `unparsable date`.
 */
reason: string, 
/**
 * The reason in Chinese.
 */
reasonZh: string, 
/**
 * Rows rejected for it.
 */
count: number, };

export type RejectSample = { 
/**
 * Spreadsheet row number: the header is row 1, the first data row is row 2.
 */
row: number, 
/**
 * The column at fault (empty when the whole row is at fault).
 */
column: string, 
/**
 * The raw value (cut to 200 characters).
 */
value: string, 
/**
 * Why the row was rejected.
 */
reason: string, 
/**
 * Why, in Chinese.
 */
reasonZh: string, };

export type LineItems = { 
/**
 * Lines loaded as parts of orders.
 */
lines: number, 
/**
 * Orders loaded.
 */
orders: number, 
/**
 * Refund rows added from the refund-amount column (a purchase and its refund).
 */
refunds: number, 
/**
 * Orders not loaded, by reason (their lines are counted in `rejected`).
 */
rejectedOrders: Array<ReasonCount>, };

export type ShopPlatform = { 
/**
 * A stable id: `shopify-orders`, `shopify-customers`, `woocommerce-orders`,
 * `tmall-orders`, `taobao-items`, `youzan-orders`, `jd-orders`.
 */
id: string, 
/**
 * Its name, e.g. `Shopify orders export`.
 */
name: string, 
/**
 * Its name in Chinese.
 */
nameZh: string, };

export type Preview = { 
/**
 * `orders`, `members`, `member_tags` or `order_items`.
 */
kind: TableKind, 
/**
 * The file name.
 */
name: string, 
/**
 * The detected format.
 */
format: string, 
/**
 * The detected encoding (text formats).
 */
encoding: string, 
/**
 * Why that encoding.
 */
encodingEvidence: string, 
/**
 * Why that encoding, in Chinese.
 */
encodingEvidenceZh: string, 
/**
 * The detected delimiter (CSV).
 */
delimiter: string, 
/**
 * The columns.
 */
columns: Array<ColumnReport>, 
/**
 * The first rows, as text.
 */
rows: Array<Array<string>>, 
/**
 * The roles this table can have (SPEC §1).
 */
roles: Array<string>, 
/**
 * Required roles no column has yet.
 */
missing: Array<string>, 
/**
 * The platform export layout the columns match (SPEC §1.1), if recognised.
 */
platform: ShopPlatform | null, };

export type LoadChunkProgress = { 
/**
 * Bytes of the file taken in.
 */
bytes: number, 
/**
 * Data rows read so far.
 */
rows: number, };

export type MemoryUse = { 
/**
 * Bytes allocated on the heap (0 where not counted).
 */
heapBytes: number, 
/**
 * The most heap the engine lets a step use (null: no limit).
 */
limitBytes: number | null, 
/**
 * Bytes of wasm linear memory (null natively).
 */
linearBytes: number | null, };

export type RfmResult = { 
/**
 * The reference date, `YYYY-MM-DD`.
 */
asOf: string, 
/**
 * The scoring method.
 */
method: string, 
/**
 * The segment map: a preset name or `custom`.
 */
segmentMap: string, 
/**
 * Members with a score (at least one purchase).
 */
members: number, 
/**
 * Members without a purchase.
 */
prospects: number, 
/**
 * Segments in map order.
 */
segments: Array<SegmentSummary>, 
/**
 * `grid[r - 1][f - 1]` = members with those scores.
 */
grid: Array<Array<number>>, 
/**
 * `cube[r - 1][f - 1][m - 1]` = members with those scores.
 */
cube: Array<Array<Array<number>>>, 
/**
 * `cell_segments[r - 1][f - 1]` = the segment of that cell (`None` where it depends on M).
 */
cellSegments: Array<Array<string | null>>, };

export type SegmentSummary = { 
/**
 * Segment id.
 */
segment: string, 
/**
 * English name.
 */
label: string, 
/**
 * Chinese name.
 */
labelZh: string, 
/**
 * Members in the segment.
 */
members: number, 
/**
 * Net revenue of those members, in cents (exact).
 */
revenueCents: number, 
/**
 * Net revenue in currency units.
 */
revenue: number, };

export type LifecycleResult = { 
/**
 * The reference date.
 */
asOf: string, 
/**
 * The thresholds used.
 */
thresholds: LifecycleThresholds, 
/**
 * Every member (of the members table or of any order).
 */
members: number, 
/**
 * Members per stage, in funnel order.
 */
stages: Array<StageCount>, 
/**
 * Members per bucket of days since joining (members with a join date on or before
 * `as_of`).
 */
daysSinceJoin: Array<BucketCount>, 
/**
 * Members without a join date.
 */
noJoinDate: number, 
/**
 * Members whose join date is after `as_of`.
 */
joinedAfterAsOf: number, 
/**
 * Members per bucket of days since the first purchase (members with a purchase).
 */
daysSinceFirstPurchase: Array<BucketCount>, };

export type LifecycleThresholds = { 
/**
 * A member is `new` while `as_of - first purchase < new_days`.
 */
newDays: number, 
/**
 * `active` while days since last purchase < `dormant_after`.
 */
dormantAfter: number, 
/**
 * `dormant` while days since last purchase < `churn_after`, else `churned`.
 */
churnAfter: number, };

export type StageCount = { 
/**
 * Stage id.
 */
stage: string, 
/**
 * Chinese display name.
 */
labelZh: string, 
/**
 * Members in the stage.
 */
members: number, 
/**
 * `members` / all members (0 when there are none).
 */
share: number, };

export type BucketCount = { 
/**
 * Bucket id (`0-3` ... `>90`).
 */
bucket: string, 
/**
 * First day of the bucket.
 */
min: number, 
/**
 * Last day of the bucket (none for `>90`).
 */
max: number | null, 
/**
 * Members in the bucket.
 */
members: number, 
/**
 * Of those, members per stage id.
 */
stages: { [key in string]: number }, };

export type CohortResult = { 
/**
 * The reference date.
 */
asOf: string, 
/**
 * `month`, `week` or `quarter`.
 */
period: string, 
/**
 * `first_purchase` or `join_date`.
 */
by: string, 
/**
 * Number of cohorts.
 */
cohorts: number, 
/**
 * Members in some cohort.
 */
members: number, 
/**
 * Members in no cohort (no purchase, or no join date / joined after `as_of`).
 */
withoutCohort: number, 
/**
 * Rows ordered by cohort then period index.
 */
rows: Array<CohortRow>, };

export type CohortRow = { 
/**
 * The cohort's label (`2024-03`, `2024-W09`, `2024-Q1`).
 */
cohort: string, 
/**
 * The period index k (0 = the cohort's own period).
 */
period: number, 
/**
 * The first day of period c + k.
 */
periodStart: string, 
/**
 * Members of the cohort.
 */
size: number, 
/**
 * Members of the cohort with a purchase in period c + k.
 */
active: number, 
/**
 * `active / size`.
 */
retention: number, 
/**
 * `1 - retention`.
 */
churn: number, 
/**
 * Net amount (refunds included) of the cohort's orders dated in period c + k, in cents.
 */
revenueCents: number, 
/**
 * The same in currency units.
 */
revenue: number, 
/**
 * Whether period c + k is the period of `as_of` and `as_of` is not its last day.
 */
partial: boolean, };

export type KpiResult = { 
/**
 * The reference date.
 */
asOf: string, 
/**
 * The window in days, if any.
 */
windowDays: number | null, 
/**
 * The first day counted (none without a window).
 */
windowStart: string | null, 
/**
 * The first day of the annual contribution's 365 days.
 */
annualStart: string, 
/**
 * The lifecycle thresholds behind the churn rate.
 */
thresholds: LifecycleThresholds, 
/**
 * KPIs over everything.
 */
overall: KpiValues, 
/**
 * The split column, as resolved (`store`, `tier`, ...).
 */
by: string | null, 
/**
 * `order` or `member`: where the split column comes from.
 */
bySource: string | null, 
/**
 * One entry per value of the split column, sorted by value.
 */
groups: Array<KpiGroup>, 
/**
 * With `compareTo`: the period rates over `(compareTo, as_of]` (SPEC §6).
 */
rates: PeriodRates | null, };

export type KpiValues = { 
/**
 * Purchases (orders with amount > 0), guests included.
 */
purchases: number, 
/**
 * Purchases with a member.
 */
memberPurchases: number, 
/**
 * Guest purchases.
 */
guestPurchases: number, 
/**
 * `member_purchases / purchases`.
 */
memberOrderShare: number | null, 
/**
 * Members with F >= 1.
 */
buyers: number, 
/**
 * Members with F >= 2.
 */
repeatBuyers: number, 
/**
 * `repeat_buyers / buyers`.
 */
repeatPurchaseRate: number | null, 
/**
 * Sum of purchase amounts in cents (refunds excluded), guests included.
 */
purchaseAmountCents: number, 
/**
 * Average order value in currency units: `purchase_amount_cents / 100 / purchases`.
 */
aov: number | null, 
/**
 * Sum of the member purchases' amounts in cents (guests excluded).
 */
memberPurchaseAmountCents: number, 
/**
 * Average order value of member purchases only, in currency units:
 * `member_purchase_amount_cents / 100 / member_purchases`.
 */
memberAov: number | null, 
/**
 * Sum of the purchases' items, guests included.
 */
items: number, 
/**
 * `items / purchases`.
 */
itemsPerOrder: number | null, 
/**
 * `member_purchases / buyers`.
 */
purchasesPerBuyer: number | null, 
/**
 * Net amount of the members' orders in the last 365 days, in cents.
 */
annualNetCents: number, 
/**
 * Members with a purchase in the last 365 days.
 */
annualBuyers: number, 
/**
 * `annual_net_cents / 100 / annual_buyers`, in currency units.
 */
annualContribution: number | null, 
/**
 * Buyers whose lifecycle stage is `churned`.
 */
churned: number, 
/**
 * `churned / buyers`.
 */
churnRate: number | null, };

export type KpiGroup = { 
/**
 * The column's value (`(none)` for no value).
 */
value: string, 
/**
 * Purchases (orders with amount > 0), guests included.
 */
purchases: number, 
/**
 * Purchases with a member.
 */
memberPurchases: number, 
/**
 * Guest purchases.
 */
guestPurchases: number, 
/**
 * `member_purchases / purchases`.
 */
memberOrderShare: number | null, 
/**
 * Members with F >= 1.
 */
buyers: number, 
/**
 * Members with F >= 2.
 */
repeatBuyers: number, 
/**
 * `repeat_buyers / buyers`.
 */
repeatPurchaseRate: number | null, 
/**
 * Sum of purchase amounts in cents (refunds excluded), guests included.
 */
purchaseAmountCents: number, 
/**
 * Average order value in currency units: `purchase_amount_cents / 100 / purchases`.
 */
aov: number | null, 
/**
 * Sum of the member purchases' amounts in cents (guests excluded).
 */
memberPurchaseAmountCents: number, 
/**
 * Average order value of member purchases only, in currency units:
 * `member_purchase_amount_cents / 100 / member_purchases`.
 */
memberAov: number | null, 
/**
 * Sum of the purchases' items, guests included.
 */
items: number, 
/**
 * `items / purchases`.
 */
itemsPerOrder: number | null, 
/**
 * `member_purchases / buyers`.
 */
purchasesPerBuyer: number | null, 
/**
 * Net amount of the members' orders in the last 365 days, in cents.
 */
annualNetCents: number, 
/**
 * Members with a purchase in the last 365 days.
 */
annualBuyers: number, 
/**
 * `annual_net_cents / 100 / annual_buyers`, in currency units.
 */
annualContribution: number | null, 
/**
 * Buyers whose lifecycle stage is `churned`.
 */
churned: number, 
/**
 * `churned / buyers`.
 */
churnRate: number | null, };

export type Migration = { 
/**
 * The first date.
 */
from: string, 
/**
 * The second date.
 */
to: string, 
/**
 * `stage` or `segment`.
 */
by: string, 
/**
 * Every state, in order: `not_yet`, then the stages (or `prospect` and the map's
 * segments).
 */
states: Array<string>, 
/**
 * The cells with members, by `states` order of the first then the second state.
 */
cells: Array<MigrationCell>, };

export type MigrationCell = { 
/**
 * The state at the first date.
 */
fromState: string, 
/**
 * The state at the second date.
 */
toState: string, 
/**
 * Members in `from_state` then and `to_state` now.
 */
members: number, 
/**
 * Their net amount of the orders dated in `(from, to]`, in cents.
 */
revenueCents: number, };

export type PeriodRates = { 
/**
 * A.
 */
from: string, 
/**
 * B.
 */
to: string, 
/**
 * Members dormant or churned at A.
 */
asleep: number, 
/**
 * Of them, members with a purchase in `(A, B]`.
 */
reactivated: number, 
/**
 * `reactivated / asleep`.
 */
reactivationRate: number | null, 
/**
 * Members new, active or dormant at A.
 */
atRisk: number, 
/**
 * Of them, members churned at B.
 */
churnedIn: number, 
/**
 * `churned_in / at_risk`.
 */
churnInRate: number | null, 
/**
 * Members whose first purchase is in `(A, B]`.
 */
firstBuyers: number, 
/**
 * Of them, members with a second purchase day in `(A, B]`.
 */
repeated: number, 
/**
 * `repeated / first_buyers`.
 */
newToRepeatRate: number | null, };

export type StageTrend = { 
/**
 * `month`, `week` or `quarter`.
 */
period: string, 
/**
 * One point per period end in `[from, as_of]`, then `as_of` when it is no period end.
 */
points: Array<TrendPoint>, };

export type TrendPoint = { 
/**
 * The date (a period end, or `as_of`).
 */
date: string, 
/**
 * Members that do not exist yet.
 */
notYet: number, 
/**
 * Members without a purchase.
 */
prospect: number, 
/**
 * New members.
 */
new: number, 
/**
 * Active members.
 */
active: number, 
/**
 * Dormant members (沉睡).
 */
dormant: number, 
/**
 * Churned members (流失).
 */
churned: number, };

export type ClvResult = { 
/**
 * The calibration end, `YYYY-MM-DD`.
 */
calibrationEnd: string, 
/**
 * `days` or `weeks`.
 */
unit: string, 
/**
 * The model of P(alive), the expected purchases and the CLV: `bgnbd` or `mbgnbd`.
 */
model: string, 
/**
 * CLV horizon in days.
 */
horizonDays: number, 
/**
 * Monthly discount rate.
 */
discount: number, 
/**
 * BG/NBD parameters (α in `unit`).
 */
bgnbd: BgNbd, 
/**
 * Gamma-Gamma parameters.
 */
gammaGamma: GammaGamma, 
/**
 * MBG/NBD parameters, when fitted (chosen as the model, or for the forecast check).
 */
mbgnbd: MbgNbd | null, 
/**
 * Members with a transaction by the calibration end.
 */
customers: number, 
/**
 * Of them, members with a repeat transaction.
 */
repeatCustomers: number, 
/**
 * Members in the spend model.
 */
spendCustomers: number, 
/**
 * Distinct (x, tₓ, T) triples of the fit.
 */
distinctTriples: number, 
/**
 * BG/NBD log-likelihood.
 */
logLikelihood: number, 
/**
 * Mean P(alive).
 */
meanPAlive: number, 
/**
 * Expected purchases of all members in the next 90 days.
 */
expectedPurchases90d: number, 
/**
 * Sum of the members' CLV.
 */
totalClv: number, 
/**
 * Members by P(alive) in tenths: `[0, 0.1)`, …, `[0.9, 1]`.
 */
pAliveHistogram: Array<number>, 
/**
 * The forecast check, with a calibration end before the last order.
 */
holdout: HoldoutCheck | null, };

export type BgNbd = { 
/**
 * Shape of the purchase-rate distribution.
 */
r: number, 
/**
 * Scale of the purchase-rate distribution, in the time unit of the fit.
 */
alpha: number, 
/**
 * Beta parameter a of the dropout probability.
 */
a: number, 
/**
 * Beta parameter b of the dropout probability.
 */
b: number, };

export type MbgNbd = { 
/**
 * Shape of the purchase-rate distribution.
 */
r: number, 
/**
 * Scale of the purchase-rate distribution, in the time unit of the fit.
 */
alpha: number, 
/**
 * Beta parameter a of the dropout probability.
 */
a: number, 
/**
 * Beta parameter b of the dropout probability.
 */
b: number, };

export type HoldoutCheck = { 
/**
 * The last day of the holdout (the last order).
 */
end: string, 
/**
 * Its length in the unit of the fit.
 */
duration: number, 
/**
 * Members with a transaction by the calibration end.
 */
customers: number, 
/**
 * Their transaction days in the holdout.
 */
actual: number, 
/**
 * Their expected purchases over the holdout by BG/NBD.
 */
bgnbd: number, 
/**
 * The same by MBG/NBD.
 */
mbgnbd: number, 
/**
 * The MBG/NBD parameters of the check.
 */
mbgnbdParams: MbgNbd, 
/**
 * By calibration frequency.
 */
byFrequency: Array<HoldoutRow>, };

export type HoldoutRow = { 
/**
 * Repeat transactions in the calibration period (7 stands for 7 or more).
 */
frequency: number, 
/**
 * Members.
 */
customers: number, 
/**
 * Their mean transaction days in the holdout.
 */
actual: number, 
/**
 * Their mean expected purchases over the holdout, by BG/NBD.
 */
bgnbd: number, 
/**
 * The same by MBG/NBD.
 */
mbgnbd: number, };

export type GammaGamma = { 
/**
 * Shape of the spend per transaction.
 */
p: number, 
/**
 * Shape of the distribution of the scale ν across customers.
 */
q: number, 
/**
 * Scale γ of that distribution (lifetimes calls it `v`).
 */
v: number, };

export type TimelineResult = { 
/**
 * The reference date.
 */
asOf: string, 
/**
 * `month`, `week` or `quarter`.
 */
period: string, 
/**
 * One point per period, oldest first.
 */
points: Array<TimelinePoint>, };

export type TimelinePoint = { 
/**
 * `2024-03`, `2024-W09` or `2024-Q1`.
 */
period: string, 
/**
 * First day of the period.
 */
start: string, 
/**
 * Purchases (amount > 0) by members.
 */
memberPurchases: number, 
/**
 * Purchases by guests.
 */
guestPurchases: number, 
/**
 * Net amount (refunds included) of members' orders, in cents.
 */
memberNetCents: number, 
/**
 * Net amount of guests' orders, in cents.
 */
guestNetCents: number, 
/**
 * Members with a purchase in the period.
 */
buyers: number, };

export type MembersPage = { 
/**
 * Members in the audience.
 */
total: number, 
/**
 * Column names, `member_id` first.
 */
columns: Array<string>, 
/**
 * Rows of cell text (empty string for a missing value).
 */
rows: Array<Array<string>>, };

export type ExplainResult = { 
/**
 * Members in the data (the universe a `not` complements).
 */
total: number, 
/**
 * Members of the whole rule (= `root.count`).
 */
count: number, 
/**
 * The explained rule.
 */
root: ExplainNode, };

export type ExplainNode = { 
/**
 * JSON path of the node (`rule.all[2]`).
 */
path: string, 
/**
 * Node type: `all`, `any`, `not`, `at`, `tags`, `attr`, `rfm`, `lifecycle`, `metric`,
 * `purchased` or `segment`.
 */
type: string, 
/**
 * Members matching this node alone.
 */
count: number, 
/**
 * For a child of `all` (`any`): members matching this child and every (any) child
 * before it; `null` elsewhere.
 */
running: number | null, 
/**
 * The set came from the cache (the node was not evaluated for this request).
 */
cached: boolean, 
/**
 * The children, in rule order (`not` has one; `at` has one, its rule counted at the
 * node's date, before the node keeps the members that exist then).
 */
children: Array<ExplainNode>, };

export type TagReport = { 
/**
 * Members in the universe (everyone, or the members of the segment asked for).
 */
members: number, 
/**
 * Of them, members with at least one tag.
 */
tagged: number, 
/**
 * Every tag, most frequent first (ties by tag).
 */
frequency: Array<TagCount>, 
/**
 * The tag set of `overlap`, `jaccard` and `intersections`.
 */
set: Array<string>, 
/**
 * `overlap[i][j]` = members with tags i and j (the diagonal: members with tag i).
 */
overlap: Array<Array<number>>, 
/**
 * `jaccard[i][j]` = |i ∩ j| / |i ∪ j| (0 when both are empty).
 */
jaccard: Array<Array<number>>, 
/**
 * The largest exclusive intersections (at most `limit`), by size, then by set order.
 */
intersections: Array<TagIntersection>, 
/**
 * Non-empty exclusive intersections in all.
 */
intersectionCount: number, 
/**
 * Members of the universe with none of the set's tags.
 */
withNone: number, };

export type TagCount = { 
/**
 * The tag.
 */
tag: string, 
/**
 * Members with it.
 */
members: number, 
/**
 * `members` / members in the universe.
 */
share: number, };

export type TagIntersection = { 
/**
 * The tags of the set these members have (they have none of the others).
 */
tags: Array<string>, 
/**
 * Members.
 */
size: number, 
/**
 * `size` / members in the universe.
 */
share: number, 
/**
 * The segment that selects exactly these members (SPEC §3 JSON).
 */
rule: Segment, };

export type OverlapResult = { 
/**
 * |A|.
 */
a: number, 
/**
 * |B|.
 */
b: number, 
/**
 * |A ∩ B|.
 */
both: number, 
/**
 * |A ∪ B|.
 */
either: number, 
/**
 * |A \ B|.
 */
onlyA: number, 
/**
 * |B \ A|.
 */
onlyB: number, 
/**
 * |A ∩ B| / |A ∪ B| (0 when both are empty).
 */
jaccard: number, };

export type DifferenceResult = { 
/**
 * Members of A that are not in B.
 */
count: number, 
/**
 * The segment `{"all": [A, {"not": B}]}` (SPEC §3 JSON), named "A minus B".
 */
rule: Segment, };

export type CacheStats = { 
/**
 * Nodes answered from the cache.
 */
hits: number, 
/**
 * Nodes evaluated (cache misses).
 */
evaluated: number, 
/**
 * Member sets held now.
 */
entries: number, 
/**
 * Whether an analysis (per-member base, RFM, lifecycle) is held for reuse (set by the
 * session that holds it).
 */
analysis: boolean, 
/**
 * Whether a fitted CLV model is held (set by the session).
 */
clv: boolean, };

export type CampaignSummary = { 
/**
 * The campaign's name.
 */
campaign: string, 
/**
 * The launch date.
 */
launch: string, 
/**
 * The date of the audience and of `stage` / `segment` strata (the day before launch).
 */
audience_date: string, 
/**
 * The holdout share.
 */
holdout: number, 
/**
 * The stratification (`null`: none).
 */
stratify: string | null, 
/**
 * The readout window in days.
 */
window_days: number, 
/**
 * Members of the audience.
 */
members: number, 
/**
 * Of them, in the treatment group.
 */
treatment: number, 
/**
 * Of them, in the control group.
 */
control: number, 
/**
 * The first day of the baseline window `[launch - window_days, launch)`.
 */
baseline_from: string, 
/**
 * The audience's conversion over the baseline window.
 */
baseline_conversion: number | null, 
/**
 * The minimum detectable effect on conversion (absolute share) at 80% power and 5%
 * two-sided significance.
 */
mde: number | null, 
/**
 * Each stratum (one, `stratum: null`, when the campaign is not stratified).
 */
strata: Array<StratumSummary>, };

export type StratumSummary = { 
/**
 * Its members with a purchase in the baseline window.
 */
baseline_converters: number, 
/**
 * Its conversion over the baseline window.
 */
baseline_conversion: number | null, 
/**
 * Its minimum detectable effect on conversion.
 */
mde: number | null, 
/**
 * The stratum's value (`null`: members without one, or the whole audience unstratified).
 */
stratum: string | null, 
/**
 * Members.
 */
members: number, 
/**
 * Of them, in the treatment group.
 */
treatment: number, 
/**
 * Of them, in the control group.
 */
control: number, };

export type CampaignReadout = { 
/**
 * The campaign's name.
 */
campaign: string, 
/**
 * The launch date.
 */
launch: string, 
/**
 * The last day of the window.
 */
window_end: string, 
/**
 * The window's length in days.
 */
window_days: number, 
/**
 * Days of the window the data covers (up to the last order).
 */
observed_days: number, 
/**
 * Whether the data covers the whole window.
 */
complete: boolean, 
/**
 * "12 of 30 days observed" while the window is not over.
 */
note: string | null, 
/**
 * Every stratum pooled.
 */
overall: CampaignResult, 
/**
 * Each stratum alone (empty when the campaign is not stratified).
 */
strata: Array<CampaignStratumResult>, 
/**
 * The overall readout cumulated day by day over the days observed (the last equals
 * `overall` when the window is over).
 */
daily: Array<CampaignDay>, };

export type CampaignStratum = { 
/**
 * The stratum's value (`null`: members without one, or the whole audience unstratified).
 */
stratum: string | null, 
/**
 * Members.
 */
members: number, 
/**
 * Of them, in the treatment group.
 */
treatment: number, 
/**
 * Of them, in the control group.
 */
control: number, };

export type CampaignGroup = { 
/**
 * Members.
 */
members: number, 
/**
 * Members with a purchase (amount > 0) in the window.
 */
converters: number, 
/**
 * Purchases in the window.
 */
purchases: number, 
/**
 * Net amount of the orders in the window (refunds subtract), in currency units.
 */
revenue: number, 
/**
 * `converters / members` (`null` without members).
 */
conversion: number | null, 
/**
 * `revenue / members` (`null` without members).
 */
revenue_per_member: number | null, };

export type CampaignResult = { 
/**
 * The treatment group.
 */
treatment: CampaignGroup, 
/**
 * The control group.
 */
control: CampaignGroup, 
/**
 * The lift of conversion (z test).
 */
conversion_lift: Lift, 
/**
 * The lift of revenue per member (Welch's t) and the incremental revenue.
 */
revenue_lift: RevenueLift, };

export type CampaignStratumResult = { 
/**
 * The stratum's value (`null`: members without one).
 */
stratum: string | null, 
/**
 * The treatment group.
 */
treatment: CampaignGroup, 
/**
 * The control group.
 */
control: CampaignGroup, 
/**
 * The lift of conversion (z test).
 */
conversion_lift: Lift, 
/**
 * The lift of revenue per member (Welch's t) and the incremental revenue.
 */
revenue_lift: RevenueLift, };

export type CampaignDay = { 
/**
 * Days since launch, 1 for the launch day: the numbers count `[launch, launch + day)`.
 */
day: number, 
/**
 * The last date counted.
 */
date: string, 
/**
 * The treatment group's conversion so far.
 */
treatment_conversion: number | null, 
/**
 * The control group's conversion so far.
 */
control_conversion: number | null, 
/**
 * The treatment group's revenue per member so far.
 */
treatment_revenue_per_member: number | null, 
/**
 * The control group's revenue per member so far.
 */
control_revenue_per_member: number | null, 
/**
 * The 95% interval of the treatment group's revenue per member so far.
 */
treatment_revenue_interval: [number, number] | null, 
/**
 * The 95% interval of the control group's revenue per member so far.
 */
control_revenue_interval: [number, number] | null, 
/**
 * The lift of conversion so far.
 */
conversion_lift: Lift, 
/**
 * The lift of revenue per member so far.
 */
revenue_lift: RevenueLift, };

export type Lift = { 
/**
 * Treatment minus control.
 */
diff: number | null, 
/**
 * Lower end of the 95% interval.
 */
low: number | null, 
/**
 * Upper end of the 95% interval.
 */
high: number | null, 
/**
 * Two-sided p-value.
 */
p_value: number | null, 
/**
 * `diff` relative to the control group's value.
 */
relative: number | null, 
/**
 * The test statistic: z (conversion) or t (revenue per member).
 */
statistic: number | null, 
/**
 * The standard error of `diff`.
 */
se: number | null, 
/**
 * Welch–Satterthwaite degrees of freedom (revenue per member).
 */
df: number | null, 
/**
 * Why a value is null.
 */
reason: string | null, };

export type RevenueLift = { 
/**
 * `(r_t − r_c) × n_t`.
 */
incremental: number | null, 
/**
 * `low × n_t`.
 */
incremental_low: number | null, 
/**
 * `high × n_t`.
 */
incremental_high: number | null, 
/**
 * Treatment minus control.
 */
diff: number | null, 
/**
 * Lower end of the 95% interval.
 */
low: number | null, 
/**
 * Upper end of the 95% interval.
 */
high: number | null, 
/**
 * Two-sided p-value.
 */
p_value: number | null, 
/**
 * `diff` relative to the control group's value.
 */
relative: number | null, 
/**
 * The test statistic: z (conversion) or t (revenue per member).
 */
statistic: number | null, 
/**
 * The standard error of `diff`.
 */
se: number | null, 
/**
 * Welch–Satterthwaite degrees of freedom (revenue per member).
 */
df: number | null, 
/**
 * Why a value is null.
 */
reason: string | null, };

export type ExportMeta = { 
/**
 * A file name made from the segment name (`win back.csv`, `win back-by-guide.zip`).
 */
filename: string, 
/**
 * The media type.
 */
mime: string, 
/**
 * Rows written (over every file of a split).
 */
rows: number, 
/**
 * The files of a split export (empty otherwise).
 */
parts: Array<ExportPart>, 
/**
 * The match-key report of an ad-platform list.
 */
report: MatchReport | null, };

export type ExportPart = { 
/**
 * File name inside the zip.
 */
file: string, 
/**
 * The column's value (`None` for members without one).
 */
value: string | null, 
/**
 * Members in the file.
 */
members: number, };

export type MatchReport = { 
/**
 * `meta`, `google` or `tiktok`.
 */
platform: string, 
/**
 * The default country of phone numbers (ISO code).
 */
defaultCountry: string, 
/**
 * The file's column headers.
 */
headers: Array<string>, 
/**
 * Members in the audience.
 */
members: number, 
/**
 * Rows in the file.
 */
rows: number, 
/**
 * Members with neither a usable email nor a usable phone (not in the file).
 */
noKey: number, 
/**
 * Members whose hashed keys equal an earlier row's (not in the file again).
 */
duplicateRows: number, 
/**
 * Email quality.
 */
email: MatchKeyReport, 
/**
 * Phone quality.
 */
phone: MatchKeyReport, };

export type MatchKeyReport = { 
/**
 * The member attribute read (`None` when the members table has no such column).
 */
column: string | null, 
/**
 * Members with a value.
 */
present: number, 
/**
 * Values normalised and hashed.
 */
valid: number, 
/**
 * Values that already were SHA-256 hex, passed through.
 */
alreadyHashed: number, 
/**
 * Values that cannot be used (left empty in the file).
 */
invalid: number, 
/**
 * Usable values that an earlier member (by member id) already had.
 */
duplicates: number, 
/**
 * Invalid values by reason.
 */
problems: Array<MatchProblem>, 
/**
 * Some invalid values.
 */
invalidSamples: Array<MatchSample>, 
/**
 * Some duplicate values.
 */
duplicateSamples: Array<MatchSample>, };

export type MatchProblem = { 
/**
 * Stable id of the reason (`length`, `china_pattern`, `at`, ...).
 */
problem: string, 
/**
 * The reason in words.
 */
description: string, 
/**
 * The reason in Chinese.
 */
descriptionZh: string, 
/**
 * Values with this problem.
 */
count: number, };

export type MatchSample = { 
/**
 * The member.
 */
memberId: string, 
/**
 * The value as in the file (invalid) or normalised (duplicate).
 */
value: string, 
/**
 * The problem id (invalid values) or the member id that had the value first (duplicates).
 */
note: string, };

export type Vocabulary = { 
/**
 * The format of this object.
 */
version: number, 
/**
 * Rule node types.
 */
nodeTypes: Array<VocabularyEntry>, 
/**
 * Comparison operators of `attr` and `metric` nodes.
 */
operators: Array<VocabularyOperator>, 
/**
 * Modes of a `tags` node.
 */
tagModes: Array<VocabularyEntry>, 
/**
 * Keys of a `purchased` node.
 */
purchasedKeys: Array<VocabularyEntry>, 
/**
 * The member columns of the catalog (rules' `metric` nodes, exports, SQL).
 */
columns: Array<VocabularyColumn>, 
/**
 * Units of the columns.
 */
units: Array<VocabularyEntry>, 
/**
 * Lifecycle stages in funnel order.
 */
stages: Array<VocabularyEntry>, 
/**
 * The segment of members without a purchase.
 */
prospect: VocabularyEntry, 
/**
 * RFM segment map presets.
 */
segmentMaps: Array<VocabularySegmentMap>, 
/**
 * RFM scoring methods.
 */
rfmMethods: Array<VocabularyEntry>, 
/**
 * Onboarding buckets of days.
 */
buckets: Array<VocabularyEntry>, 
/**
 * Cohort periods.
 */
cohortPeriods: Array<VocabularyEntry>, 
/**
 * What a cohort is formed by.
 */
cohortBy: Array<VocabularyEntry>, 
/**
 * KPIs by their field in a KPI result.
 */
kpis: Array<VocabularyEntry>, 
/**
 * Builder presets.
 */
presets: Array<Preset>, 
/**
 * Export formats.
 */
exportFormats: Array<VocabularyFormat>, 
/**
 * Ad-platform list profiles.
 */
adProfiles: Array<VocabularyProfile>, 
/**
 * Match keys of the ad-platform lists.
 */
matchKeys: Array<VocabularyEntry>, 
/**
 * SQL dialects.
 */
dialects: Array<VocabularyEntry>, 
/**
 * The reports `sql --report` and `lab.toSql({ report })` compile to SQL.
 */
sqlReports: Array<VocabularyEntry>, 
/**
 * The tables of SPEC §1 with their roles.
 */
tables: Array<VocabularyTable>, 
/**
 * Column types of load reports and previews.
 */
types: Array<VocabularyEntry>, 
/**
 * The groups of a campaign (SPEC §7).
 */
campaignArms: Array<VocabularyEntry>, 
/**
 * The fields of a campaign readout and summary.
 */
campaignWords: Array<VocabularyEntry>, };

export type Label = { 
/**
 * English.
 */
en: string, 
/**
 * Simplified Chinese.
 */
zh: string, };

export type VocabularyEntry = { 
/**
 * The id.
 */
id: string, 
/**
 * Its label.
 */
label: Label, };

export type VocabularyOperator = { 
/**
 * The operator's key in the rule JSON.
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * Kinds of member columns it compares (`text` is a text attribute).
 */
appliesTo: Array<string>, };

export type VocabularyColumn = { 
/**
 * Its id in rules, exports and SQL.
 */
id: string, 
/**
 * Its name.
 */
label: Label, 
/**
 * How it is computed.
 */
help: Label, 
/**
 * When a member has no value (`None`: never missing).
 */
missing: Label | null, 
/**
 * `int`, `num`, `money`, `date` or `label`.
 */
kind: ColumnKind, 
/**
 * The unit's id (see [`Vocabulary::units`]).
 */
unit: string, 
/**
 * Where a label column's ids come from: `segments`, `stages` or `buckets`.
 */
domain: ColumnDomain | null, 
/**
 * Whether the column compiles to SQL.
 */
sql: boolean, };

export type VocabularyMapSegment = { 
/**
 * Its id.
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * R scores, both ends included.
 */
r: [number, number], 
/**
 * F scores.
 */
f: [number, number], 
/**
 * M scores.
 */
m: [number, number], };

export type VocabularySegmentMap = { 
/**
 * The preset's name.
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * Its segments, in map order.
 */
segments: Array<VocabularyMapSegment>, };

export type VocabularyRole = { 
/**
 * The role's name (SPEC §1).
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * Whether the table needs it.
 */
required: boolean, };

export type VocabularyTable = { 
/**
 * `orders`, `members`, `member_tags` or `order_items`.
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * Its roles in SPEC order.
 */
roles: Array<VocabularyRole>, };

export type VocabularyFormat = { 
/**
 * The id of `export({ format })`.
 */
id: string, 
/**
 * Its label.
 */
label: Label, 
/**
 * The file extension.
 */
extension: string, 
/**
 * The media type.
 */
mime: string, };

export type VocabularyProfile = { 
/**
 * The id of `export({ profile })`.
 */
id: string, 
/**
 * Its label.
 */
label: Label, };

export type Preset = { 
/**
 * Its id.
 */
id: string, 
/**
 * Its name.
 */
label: Label, 
/**
 * What it selects and why.
 */
description: Label, 
/**
 * The segment (SPEC §3 JSON).
 */
segment: JsonValue, };

export type ColumnKind = "int" | "num" | "money" | "date" | "label";

export type ColumnDomain = "segments" | "stages" | "buckets";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

