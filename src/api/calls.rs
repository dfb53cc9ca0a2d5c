//! The options of each call besides the shared analysis: what it adds, and its conversion to
//! the engine's options.

use super::analysis::with_analysis;
use super::names::{
    AdPlatform, CohortBy, CohortPeriod, ExportFormat, SqlDialect, SqlReport, TimeUnit,
};
use crate::error::{Error, Result};
use crate::export::ads::{Platform, ProfileOptions};
use crate::export::{self, Format};
use crate::metrics::clv;
use crate::metrics::cohort::{self, Period};
use crate::metrics::kpi;
use crate::phone::Country;
use crate::segment::tags::TagOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

with_analysis! {
    /// Options of `lab.timeline`.
    TimelineOptions as "TimelineOptions" {
        /// Calendar period: `month` (default), `week` (ISO) or `quarter`.
        period: Option<CohortPeriod>,
    }
}

with_analysis! {
    /// Options of `lab.cohorts`.
    CohortOptions as "CohortOptions" {
        /// Period length (default `month`): labels `2024-03`, `2024-W09` (ISO week), `2024-Q1`.
        period: Option<CohortPeriod>,
        /// What sets a member's cohort (default `first_purchase`).
        by: Option<CohortBy>,
    }
}

with_analysis! {
    /// Options of `lab.kpis`.
    KpiOptions as "KpiOptions" {
        /// Split by one column: an order column (`store`, `channel`, `guide`, ...) or a member
        /// attribute (`tier`, ...); `order:NAME` / `member:NAME` choose explicitly.
        by: Option<String>,
        /// A date `YYYY-MM-DD` before `as_of`: adds the period rates over `(compareTo, as_of]`
        /// (reactivation, churn-in, new-to-repeat; SPEC §6) as `rates`.
        compare_to: Option<String>,
    }
}

with_analysis! {
    /// Options of `lab.migration` (SPEC §6).
    MigrationOptions as "MigrationOptions" {
        /// The first date `YYYY-MM-DD` (required).
        from: Option<String>,
        /// The second date (default: `as_of`).
        to: Option<String>,
        /// `stage` (default) or `segment` (RFM segments of the map in use).
        by: Option<String>,
    }
}

with_analysis! {
    /// Options of `lab.stageTrend` (SPEC §6).
    StageTrendOptions as "StageTrendOptions" {
        /// `month` (default), `week` (ISO) or `quarter`.
        period: Option<CohortPeriod>,
        /// First date `YYYY-MM-DD` (default: the first order).
        from: Option<String>,
    }
}

with_analysis! {
    /// Options of `lab.members`.
    MembersOptions as "MembersOptions" {
        /// Columns after `member_id`: member attributes, columns of the vocabulary's
        /// `columns`, `tags`, or an order column on the member's last purchase (`order:store`).
        columns: Option<Vec<String>>,
        /// First row of the page.
        offset: Option<usize>,
        /// Rows in the page (default 100).
        limit: Option<usize>,
    }
}

with_analysis! {
    /// Options of `lab.export` and `lab.exportFile`.
    ExportOptions as "WireExportOptions" {
        /// File format (default `csv`: UTF-8 with BOM, RFC 4180, formula-safe).
        format: Option<ExportFormat>,
        /// Columns after `member_id` (as `lab.members` takes them).
        columns: Option<Vec<String>>,
        /// One file per value of this column (guide, store, city, tier, ...), zipped with a
        /// summary of counts (`summary.xlsx` in an XLSX split, else `summary.csv`).
        split_by: Option<String>,
        /// A hashed Meta / Google Customer Match / TikTok customer list (CSV) instead of the
        /// columns.
        profile: Option<AdPlatform>,
        /// Country of phone numbers written without a country code: ISO code or `+code`
        /// (default `CN`, +86).
        default_country: Option<String>,
        /// What the file is named after (default: the segment's name).
        name: Option<String>,
        /// Creation time written into XLSX files, in milliseconds since 1970 (default: now).
        created: Option<f64>,
    }
}

with_analysis! {
    /// Options of `lab.matchReport`.
    MatchReportOptions as "MatchReportOptions" {
        /// The platform whose normalisation is checked (required).
        profile: Option<AdPlatform>,
        /// Country of phone numbers written without a country code (default `CN`).
        default_country: Option<String>,
    }
}

with_analysis! {
    /// Options of `lab.toSql`.
    SqlOptions as "SqlOptions" {
        /// `duckdb` (default) or `spark`.
        dialect: Option<SqlDialect>,
        /// A report instead of the segment (`rfm`, `lifecycle`, `cohort`, `kpi`,
        /// `migration`, `trend`): one query returning the columns of the CLI's output of
        /// that report.
        report: Option<SqlReport>,
        /// cohort and trend: `month` (default), `week` or `quarter`.
        period: Option<CohortPeriod>,
        /// cohort: `first_purchase` (default) or `join_date`; kpi: the split column, as
        /// `lab.kpis({ by })` names it; migration: `stage` (default) or `segment`.
        by: Option<String>,
        /// migration: the first date `YYYY-MM-DD` (required); trend: the first date
        /// (default: the first order).
        from: Option<String>,
        /// migration: the second date (default: `as_of`).
        to: Option<String>,
        /// The warehouse's column of a role where it is not named as the role, e.g.
        /// `{ amount: '实付金额' }`: the query reads that column.
        mapping: Option<BTreeMap<String, String>>,
    }
}

with_analysis! {
    /// Options of `lab.tags`.
    TagsOptions as "TagsOptions" {
        /// The tag set of the overlap matrix and the intersections (default: the `top` most
        /// frequent).
        tags: Option<Vec<String>>,
        /// Size of the default tag set (default 8, at most 64).
        top: Option<usize>,
        /// Intersections listed, largest first (default 20).
        limit: Option<usize>,
        /// Count only the members of this segment (SPEC §3 JSON); intersection rules are
        /// confined to it.
        #[cfg_attr(not(target_arch = "wasm32"), ts(type = "object", optional))]
        within: Option<serde_json::Value>,
    }
}

/// Options of `lab.clv`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(optional_fields))]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ClvOptions {
    /// Last day of the calibration period `YYYY-MM-DD`, included; defaults to the latest
    /// order's date.
    pub calibration_end: Option<String>,
    /// Time unit of recency, T and α: `days` (default) or `weeks` (days / 7).
    pub unit: Option<TimeUnit>,
    /// CLV horizon in days (default 365).
    pub horizon_days: Option<f64>,
    /// Monthly discount rate of the CLV (default 0.01).
    pub discount: Option<f64>,
    /// Count orders with amount 0 as transactions (default false: only purchases count).
    pub include_zero_amount: Option<bool>,
    /// The repeat-buying model: `bgnbd` (default) or `mbgnbd` (the modified BG/NBD, in which
    /// a one-time buyer can have left).
    pub model: Option<String>,
}

/// Options of `lab.clearCache`: what to forget (both by default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(optional_fields))]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ClearCacheOptions {
    /// The member sets of rule nodes (default true).
    pub segments: Option<bool>,
    /// The analyses (per-member base, RFM, lifecycle) and the CLV fit (default true).
    pub analyses: Option<bool>,
}

/// Declares a load call's options type: the load fields, then the call's own.
macro_rules! with_load {
    (
        $(#[$doc:meta])*
        $name:ident as $ts:literal {
            $($(#[$fdoc:meta])* $field:ident : $ty:ty,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(rename = $ts, optional_fields))]
        #[serde(default, rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            /// File name, used in messages and the report.
            pub name: Option<String>,
            /// Role → column overrides, e.g. `{ amount: '实付金额' }` (SPEC §1 role names).
            pub mapping: Option<BTreeMap<String, String>>,
            /// Text encoding override: `utf-8`, `gbk`, `gb18030`, `utf-16le`, ...
            pub encoding: Option<String>,
            /// Workbook sheet to read (default: the first).
            pub sheet: Option<String>,
            /// Format override: `csv`, `tsv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`,
            /// `ndjson`.
            pub format: Option<String>,
            /// Delimiter override: `,` `;` `|` or `tab`.
            pub delimiter: Option<String>,
            /// Heap limit in bytes for this load; past it the load fails with
            /// `OUT_OF_MEMORY` and the tables loaded before stay usable.
            pub memory_limit: Option<f64>,
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl $name {
            /// The engine's load options.
            pub fn load(&self) -> crate::load::LoadOptions {
                crate::load::LoadOptions {
                    name: self.name.clone().unwrap_or_default(),
                    mapping: self.mapping.clone().unwrap_or_default(),
                    lenient_mapping: false,
                    encoding: self.encoding.clone(),
                    delimiter: self.delimiter.clone(),
                    sheet: self.sheet.clone(),
                    format: self.format.clone(),
                    memory_limit: self.memory_limit.filter(|m| *m > 0.0).map(|m| m as usize),
                    workers: None,
                }
            }
        }
    };
}

with_load! {
    /// Options of `lab.load`, as they cross to the engine.
    LoadOptions as "WireLoadOptions" {
        /// Workers a large CSV or Parquet file is read with (CSV at record boundaries,
        /// Parquet by row groups), each a Web Worker with its own engine
        /// (no shared memory, so no cross-origin isolation is needed); default: the
        /// browser's `navigator.hardwareConcurrency`, at most 8. `1` reads in one piece.
        workers: Option<usize>,
    }
}

with_load! {
    /// Options of `lab.preview`, as they cross to the engine.
    PreviewOptions as "WirePreviewOptions" {
        /// Rows of the file shown (default 20).
        rows: Option<usize>,
    }
}

/// A date option as a day, or an error naming the option and the value.
fn date_option(name: &str, text: Option<&str>) -> Result<Option<i32>> {
    text.map(|t| {
        crate::load::coerce::parse_date(t)
            .ok_or_else(|| Error::option(format!("{name}: not a date: \"{t}\"")))
    })
    .transpose()
}

impl KpiOptions {
    /// The day of `compareTo`, if given.
    pub fn compare_to(&self) -> Result<Option<i32>> {
        date_option("compareTo", self.compare_to.as_deref())
    }
}

impl MigrationOptions {
    /// `from` (required), `to` and what is compared.
    pub fn dates(&self) -> Result<(i32, Option<i32>, crate::metrics::movement::By)> {
        let from = date_option("from", self.from.as_deref())?
            .ok_or_else(|| Error::option("from: a date is required"))?;
        let to = date_option("to", self.to.as_deref())?;
        let by = crate::metrics::movement::By::parse(self.by.as_deref().unwrap_or("stage"))?;
        Ok((from, to, by))
    }
}

impl StageTrendOptions {
    /// The period (default month) and `from`.
    pub fn trend(&self) -> Result<(Period, Option<i32>)> {
        Ok((
            period(self.period),
            date_option("from", self.from.as_deref())?,
        ))
    }
}

impl TimelineOptions {
    /// The calendar period (default month).
    pub fn period(&self) -> Period {
        period(self.period)
    }
}

fn period(p: Option<CohortPeriod>) -> Period {
    match p.unwrap_or(CohortPeriod::Month) {
        CohortPeriod::Month => Period::Month,
        CohortPeriod::Week => Period::Week,
        CohortPeriod::Quarter => Period::Quarter,
    }
}

impl CohortOptions {
    /// The engine's cohort options.
    pub fn cohort(&self) -> cohort::CohortOptions {
        cohort::CohortOptions {
            period: period(self.period),
            by: match self.by.unwrap_or(CohortBy::FirstPurchase) {
                CohortBy::FirstPurchase => cohort::CohortBy::FirstPurchase,
                CohortBy::JoinDate => cohort::CohortBy::JoinDate,
            },
        }
    }
}

impl KpiOptions {
    /// The engine's KPI options.
    pub fn kpi(&self) -> kpi::KpiOptions {
        kpi::KpiOptions {
            by: self.by.clone(),
        }
    }
}

/// An ad-platform profile with its default country.
fn profile(platform: AdPlatform, country: Option<&str>) -> Result<ProfileOptions> {
    Ok(ProfileOptions {
        platform: match platform {
            AdPlatform::Meta => Platform::Meta,
            AdPlatform::Google => Platform::Google,
            AdPlatform::Tiktok => Platform::Tiktok,
        },
        country: match country {
            Some(c) => Country::parse(c)?,
            None => Country::default(),
        },
    })
}

impl ExportOptions {
    /// The engine's export options; `now` gives the creation time of XLSX files (seconds
    /// since 1970) when `created` is not set.
    pub fn export(&self, now: Option<i64>) -> Result<export::ExportOptions> {
        let (format, ndjson) = Format::parse(self.format.unwrap_or(ExportFormat::Csv).id())?;
        Ok(export::ExportOptions {
            format,
            ndjson,
            columns: self.columns.clone().unwrap_or_default(),
            split_by: self.split_by.clone(),
            profile: self
                .profile
                .map(|p| profile(p, self.default_country.as_deref()))
                .transpose()?,
            name: self.name.clone().unwrap_or_default(),
            created: self.created.map(|ms| (ms / 1000.0).floor() as i64).or(now),
        })
    }
}

impl MatchReportOptions {
    /// The ad-platform profile (required).
    pub fn profile(&self) -> Result<ProfileOptions> {
        let p = self
            .profile
            .ok_or_else(|| Error::option("matchReport: expected profile meta, google or tiktok"))?;
        profile(p, self.default_country.as_deref())
    }
}

impl SqlOptions {
    /// The report asked for, if any (by its name: `SqlReport` lists the engine's reports,
    /// as a test of `names` checks).
    pub fn report(&self) -> Result<Option<crate::segment::sql::Report>> {
        self.report
            .map(|r| crate::segment::sql::Report::parse(r.id()))
            .transpose()
    }

    /// The report's options: period, `by`, dates.
    pub fn report_options(&self) -> Result<crate::segment::sql::ReportOptions> {
        Ok(crate::segment::sql::ReportOptions {
            period: period(self.period),
            by: self.by.clone(),
            from: date_option("from", self.from.as_deref())?,
            to: date_option("to", self.to.as_deref())?,
        })
    }

    /// The dialect (default DuckDB).
    pub fn dialect(&self) -> crate::dialect::Dialect {
        match self.dialect.unwrap_or(SqlDialect::Duckdb) {
            SqlDialect::Duckdb => crate::dialect::Dialect::DuckDb,
            SqlDialect::Spark => crate::dialect::Dialect::Spark,
        }
    }
}

impl TagsOptions {
    /// The engine's tag report options.
    pub fn tag_options(&self) -> TagOptions {
        let d = TagOptions::default();
        TagOptions {
            tags: self.tags.clone(),
            top: self.top.unwrap_or(d.top),
            limit: self.limit.unwrap_or(d.limit),
        }
    }
}

impl ClvOptions {
    /// The engine's CLV options, checked.
    pub fn resolve(&self) -> Result<clv::ClvOptions> {
        let d = clv::ClvOptions::default();
        let o = clv::ClvOptions {
            horizon_days: self.horizon_days.unwrap_or(d.horizon_days),
            discount: self.discount.unwrap_or(d.discount),
            include_zero_amount: self.include_zero_amount.unwrap_or(false),
            model: clv::Model::parse(self.model.as_deref().unwrap_or("bgnbd"))?,
            ..d
        }
        .with_calibration_end(self.calibration_end.as_deref())?
        .with_unit(self.unit.map(TimeUnit::id))?;
        o.validate()?;
        Ok(o)
    }
}
