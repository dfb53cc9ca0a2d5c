//! A session: the loaded tables, the dataset built from them and the last analysis, so that
//! repeated questions (counts on every edit) reuse what did not change. The CLI and the wasm
//! binding both drive the engine through it.

use crate::dataset::Dataset;
use crate::error::Error;
use crate::error::Result;
use crate::export::ads::{profile_rows, MatchReport, ProfileOptions};
use crate::export::{audience_csv, columns, library, sorted_members, ExportFile, ExportOptions};
use crate::load::{self, LoadOptions, LoadProgress, LoadReport, Loader, Table, TableKind};
use crate::memory::{Budget, Step};
use crate::metrics::clv::{Clv, ClvOptions};
use crate::metrics::cohort::{self, CohortOptions, CohortTable};
use crate::metrics::kpi::{self, KpiOptions, Kpis};
use crate::metrics::lifecycle::{self, LifecycleSummary};
use crate::metrics::movement;
use crate::metrics::{Analysis, AnalysisOptions, RfmSummary};
use crate::segment::{Segment, SegmentCache};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Loaded tables and cached results.
#[derive(Debug, Default)]
pub struct Session {
    tables: BTreeMap<&'static str, Table>,
    dataset: Option<Dataset>,
    analysis: Option<Analysis>,
    saved: BTreeMap<String, Segment>,
    pending: Option<(TableKind, Loader)>,
    clv: Option<Arc<Clv>>,
    cache: SegmentCache,
    budget: Budget,
    /// The groups of the last campaign assigned (its key, the groups).
    groups: Option<(String, Arc<crate::campaign::assign::Assignment>)>,
}

mod campaign;
mod room;
mod segments;

pub use campaign::{Arm, CampaignReadout, CampaignSummary, StratumSummary};

/// A page of audience members with chosen columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct MembersPage {
    /// Members in the audience.
    pub total: u64,
    /// Column names, `member_id` first.
    pub columns: Vec<String>,
    /// Rows of cell text (empty string for a missing value).
    pub rows: Vec<Vec<String>>,
}

impl Session {
    /// An empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads (or replaces) one table. Results computed before are dropped.
    pub fn load(
        &mut self,
        kind: TableKind,
        bytes: &[u8],
        opts: &LoadOptions,
        progress: &mut dyn FnMut(f64),
    ) -> Result<LoadReport> {
        let table = load::load(kind, bytes, opts, progress)?;
        Ok(self.put(kind, table))
    }

    /// Puts a table loaded elsewhere (in parts, or restored from a kept workspace) in place of
    /// the one of its kind; returns its report.
    pub fn put_table(&mut self, table: Table) -> LoadReport {
        self.put(table.kind, table)
    }

    /// Puts a loaded table in place of the one of its kind; everything computed before is
    /// dropped. Returns its report.
    fn put(&mut self, kind: TableKind, table: Table) -> LoadReport {
        let report = table.report.clone();
        self.tables.insert(kind.name(), table);
        self.invalidate();
        self.count_unmatched();
        self.tables
            .get(kind.name())
            .map_or(report, |t| t.report.clone())
    }

    /// With an orders file keyed by email, phone or nickname (SPEC §1.1) and a members file:
    /// builds the dataset now and says, on both reports, how many orders match no member.
    /// A dataset that does not fit is left for the first analysis to refuse.
    fn count_unmatched(&mut self) {
        let has = |k: TableKind| self.tables.contains_key(k.name());
        let keyed = self
            .tables
            .get(TableKind::Orders.name())
            .and_then(|t| t.report.member_key());
        let items = has(TableKind::Orders) && has(TableKind::OrderItems);
        if !items && (keyed.is_none() || !has(TableKind::Members)) {
            return;
        }
        let Ok((unmatched, unmatched_items)) =
            self.dataset().map(|ds| (ds.unmatched, ds.unmatched_items))
        else {
            return;
        };
        if let (Some(n), Some(t)) = (
            unmatched_items.filter(|&n| n > 0),
            self.tables.get_mut(TableKind::OrderItems.name()),
        ) {
            t.report.warnings.retain(|w| !w.contains("match no loaded"));
            t.report.warnings_zh.retain(|w| !w.contains("找不到已加载"));
            t.report.warnings.push(format!(
                "{n} item rows match no loaded member order (not in the order list, a guest's, or of an order not paid or cancelled)"
            ));
            t.report
                .warnings_zh
                .push(format!("{n} 行商品明细找不到已加载的会员订单（订单不在订单报表中、为游客订单，或未付款/已取消）"));
        }
        let Some((orders, buyers)) = unmatched.filter(|u| u.0 > 0 && keyed.is_some()) else {
            return;
        };
        let en = format!(
            "{orders} member orders ({buyers} buyers) match no member of the members file by their key: they count as members without member attributes"
        );
        let zh = format!("{orders} 笔会员订单（{buyers} 位买家）在会员文件中找不到对应会员：按无会员属性的会员计算");
        for kind in [TableKind::Orders, TableKind::Members] {
            if let Some(t) = self.tables.get_mut(kind.name()) {
                t.report.warnings.retain(|w| !w.contains("match no member"));
                t.report
                    .warnings_zh
                    .retain(|w| !w.contains("找不到对应会员"));
                t.report.warnings.push(en.clone());
                t.report.warnings_zh.push(zh.clone());
            }
        }
    }

    /// Drops what was computed from the tables: the dataset, the analysis, the CLV fit and
    /// every cached member set.
    fn invalidate(&mut self) {
        self.dataset = None;
        self.analysis = None;
        self.clv = None;
        self.groups = None;
        self.cache.clear();
    }

    /// Frees the table of `kind` (and everything computed from the tables). Returns whether
    /// one was loaded.
    pub fn drop_table(&mut self, kind: TableKind) -> bool {
        let dropped = self.tables.remove(kind.name()).is_some();
        if dropped {
            self.invalidate();
        }
        dropped
    }

    /// Drops cached results so that the next call computes them again: the member sets of
    /// rule nodes and a campaign's groups (`segments`) and the analyses and the CLV fit
    /// (`analyses`). The tables and
    /// the dataset built from them stay.
    pub fn clear_caches(&mut self, segments: bool, analyses: bool) {
        if segments {
            self.cache.clear();
            self.groups = None;
        }
        if analyses {
            self.analysis = None;
            self.clv = None;
            self.groups = None;
            self.cache.drop_analysis();
        }
    }

    /// Starts loading (or replacing) a table chunk by chunk; the tables loaded before stay
    /// as they are until [`Session::end_load`] succeeds.
    pub fn begin_load(&mut self, kind: TableKind, opts: &LoadOptions) -> Result<()> {
        // The file being replaced is kept until the load succeeds; what was computed from it
        // is given back now, as a large load needs the room.
        self.cache.clear();
        self.clv = None;
        self.groups = None;
        let mut opts = opts.clone();
        opts.memory_limit = self.budget.at_most(opts.memory_limit).limit();
        self.pending = Some((kind, Loader::new(kind, &opts)?));
        Ok(())
    }

    /// The file being loaded will be `total` bytes (a hint: see [`Loader::expect_bytes`]).
    pub fn expect_load_bytes(&mut self, total: usize) {
        if let Some((_, loader)) = self.pending.as_mut() {
            loader.expect_bytes(total);
        }
    }

    /// Takes the next chunk of the file being loaded. After an error the load is dropped.
    pub fn push_chunk(&mut self, bytes: &[u8]) -> Result<LoadProgress> {
        let Some((_, loader)) = self.pending.as_mut() else {
            return Err(Error::option("no load in progress: call begin_load first"));
        };
        match loader.push(bytes) {
            Ok(()) => Ok(loader.progress()),
            Err(e) => {
                self.pending = None;
                Err(e)
            }
        }
    }

    /// Finishes the load in progress and puts the table in place.
    pub fn end_load(&mut self, progress: &mut dyn FnMut(LoadProgress)) -> Result<LoadReport> {
        let Some((kind, loader)) = self.pending.take() else {
            return Err(Error::option("no load in progress: call begin_load first"));
        };
        let table = loader.finish(progress)?;
        Ok(self.put(kind, table))
    }

    /// Starts loading a table as the first part of a file read in parts (see
    /// [`load::parts`]): [`Session::load_plan`] then gives the plan the other parts are read
    /// with, elsewhere, and [`Session::end_load_parts`] merges them.
    pub fn begin_load_in_parts(&mut self, kind: TableKind, opts: &LoadOptions) -> Result<()> {
        self.begin_load(kind, opts)?;
        if let Some((k, loader)) = self.pending.take() {
            self.pending = Some((k, loader.in_parts()));
        }
        Ok(())
    }

    /// Makes the load in progress read only row groups `range` of its Parquet file (the first
    /// part of a file read in parts by row groups).
    pub fn load_row_groups(&mut self, range: std::ops::Range<usize>) -> Result<()> {
        let Some((kind, loader)) = self.pending.take() else {
            return Err(Error::option("no load in progress: call begin_load first"));
        };
        self.pending = Some((kind, loader.row_groups(range)));
        Ok(())
    }

    /// Reads the rows of the first part of a Parquet file read by row groups, all its bytes
    /// given, while the other parts are read elsewhere (else [`Session::end_load_parts`]
    /// reads them, after the others); the load is dropped after an error.
    pub fn read_row_groups_now(&mut self) -> Result<()> {
        let Some((_, loader)) = self.pending.as_mut() else {
            return Err(Error::option("no load in progress: call begin_load first"));
        };
        let result = loader.read_row_groups_now();
        if result.is_err() {
            self.pending = None;
        }
        result
    }

    /// The plan of the load in parts in progress, once its head has decided the roles.
    pub fn load_plan(&self) -> Option<load::parts::Plan> {
        self.pending.as_ref().and_then(|(_, l)| l.plan())
    }

    /// Ends the first part of a load in parts, merges the `later` parts (in file order) and
    /// puts the table in place. `None` when the first part did not end at a record boundary
    /// (the file must be loaded in one piece); the load is dropped then, and after an error.
    pub fn end_load_parts(&mut self, later: Vec<load::parts::Part>) -> Result<Option<LoadReport>> {
        let Some((kind, mut loader)) = self.pending.take() else {
            return Err(Error::option("no load in progress: call begin_load first"));
        };
        let Some(first) = loader.end_part(later.is_empty())? else {
            return Ok(None);
        };
        let mut parts = vec![first];
        parts.extend(later);
        let table = loader.finish_parts(parts)?;
        Ok(Some(self.put(kind, table)))
    }

    /// The loaded table of `kind` as bytes to keep (see [`load::stored`]), if one is loaded;
    /// `OUT_OF_MEMORY` when they do not fit, the tables left as they are.
    pub fn table_bytes(&mut self, kind: TableKind) -> Result<Option<Vec<u8>>> {
        if !self.tables.contains_key(kind.name()) {
            return Ok(None);
        }
        // The orders grouped by member as the dataset indexes them, so that a restore builds
        // its dataset front to back (as loaded when the dataset does not fit).
        let orders = kind == TableKind::Orders;
        let grouped = orders && self.dataset().is_ok();
        self.make_room_for(Step::Keep, self.keep_need(kind), self.sizes())?;
        let mut rows = None;
        if grouped {
            if let (Some(ds), Some(t)) = (self.dataset.as_ref(), self.tables.get(kind.name())) {
                rows = ds.grouped_order_rows(t)?;
            }
        }
        self.tables
            .get(kind.name())
            .map(|t| load::stored::to_bytes_in_order(t, rows.as_deref()))
            .transpose()
    }

    /// Puts a kept table (bytes of [`Session::table_bytes`]) in place of the one of its
    /// kind; `name` names the stored file in messages. Returns its report.
    pub fn restore_table(&mut self, bytes: &[u8], name: &str) -> Result<LoadReport> {
        self.make_room_for(Step::Restore, Self::restore_need(bytes), self.sizes())?;
        let table = load::stored::from_bytes(bytes, name)?;
        Ok(self.put_table(table))
    }

    /// Drops the load in progress, if any.
    pub fn abort_load(&mut self) {
        self.pending = None;
    }

    /// The report of each loaded table.
    pub fn reports(&self) -> Vec<&LoadReport> {
        self.tables.values().map(|t| &t.report).collect()
    }

    /// The dataset over the loaded tables (built once per change of tables).
    pub fn dataset(&mut self) -> Result<&Dataset> {
        if self.dataset.is_none() {
            self.make_room(Step::Dataset, self.sizes())?;
            let t = |k: TableKind| self.tables.get(k.name());
            self.dataset = Some(Dataset::build(
                t(TableKind::Orders),
                t(TableKind::Members),
                t(TableKind::MemberTags),
                t(TableKind::OrderItems),
            )?);
        }
        Ok(self.dataset.as_ref().expect("built above"))
    }

    /// The analysis for `opts`, reused while the options and tables stay the same.
    pub fn analysis(&mut self, opts: &AnalysisOptions) -> Result<(&Dataset, &Analysis)> {
        self.dataset()?;
        if self.analysis.as_ref().is_none_or(|a| a.options != *opts) {
            // Member sets that read RFM, lifecycle or as_of belong to the old analysis.
            self.cache.drop_analysis();
            self.dataset
                .as_ref()
                .expect("built above")
                .require_orders()?;
            // Room short: the previous analysis is given back instead of reused in part.
            self.make_room(Step::Analysis, self.sizes())?;
            let ds = self.dataset.as_ref().expect("built above");
            let prev = self.analysis.take();
            self.analysis = Some(Analysis::refresh(prev, ds, opts)?);
        }
        let ds = self.dataset.as_ref().expect("built above");
        Ok((ds, self.analysis.as_ref().expect("computed above")))
    }

    /// Purchases and net revenue per calendar period up to `as_of` (members and guests).
    pub fn timeline(
        &mut self,
        opts: &AnalysisOptions,
        period: crate::metrics::cohort::Period,
    ) -> Result<crate::metrics::timeline::Timeline> {
        self.room_after_analysis(Step::Timeline, opts)?;
        let (ds, an) = self.analysis(opts)?;
        Ok(crate::metrics::timeline::Timeline {
            as_of: crate::load::coerce::format_day(an.as_of),
            period: period.name().to_string(),
            points: crate::metrics::timeline::timeline(ds, an.as_of, period),
        })
    }

    /// The analysis at `day` with the options of `opts` otherwise (SPEC §6), made for one
    /// call (not kept); the day must lie within the data.
    fn analysis_at(&mut self, day: i32, opts: &AnalysisOptions, what: &str) -> Result<Analysis> {
        self.check_in_data(day, opts, what)?;
        self.make_room(Step::Analysis, self.sizes())?;
        let ds = self.dataset.as_ref().expect("built above");
        Analysis::new(
            ds,
            &AnalysisOptions {
                as_of: Some(day),
                ..opts.clone()
            },
        )
    }

    /// An error naming `what` unless `day` lies between the first and the last order.
    fn check_in_data(&mut self, day: i32, opts: &AnalysisOptions, what: &str) -> Result<()> {
        self.analysis(opts)?;
        let ds = self.dataset.as_ref().expect("built above");
        let first = ds.orders.earliest_day;
        let last = ds.latest_day;
        if let Some(f) = first.filter(|&f| day < f) {
            return Err(Error::option(format!(
                "{what}: {} is before the first order ({})",
                crate::load::coerce::format_day(day),
                crate::load::coerce::format_day(f)
            )));
        }
        if let Some(l) = last.filter(|&l| day > l) {
            return Err(Error::option(format!(
                "{what}: {} is after the last order ({})",
                crate::load::coerce::format_day(day),
                crate::load::coerce::format_day(l)
            )));
        }
        Ok(())
    }

    /// The migration matrix (SPEC §6) of lifecycle stages or RFM segments from `from` to
    /// `to` (default: `as_of`).
    pub fn migration(
        &mut self,
        from: i32,
        to: Option<i32>,
        by: movement::By,
        opts: &AnalysisOptions,
    ) -> Result<movement::Migration> {
        let a = self.analysis_at(from, opts, "from")?;
        match to {
            Some(to) => {
                let b = self.analysis_at(to, opts, "to")?;
                let ds = self.dataset.as_ref().expect("built above");
                movement::migration(ds, &a, &b, by)
            }
            None => {
                let (ds, b) = self.analysis(opts)?;
                movement::migration(ds, &a, b, by)
            }
        }
    }

    /// The period rates over `(compare_to, as_of]` (SPEC §6).
    pub fn period_rates(
        &mut self,
        compare_to: i32,
        opts: &AnalysisOptions,
    ) -> Result<movement::PeriodRates> {
        let a = self.analysis_at(compare_to, opts, "compareTo")?;
        let (ds, b) = self.analysis(opts)?;
        movement::period_rates(ds, &a, b)
    }

    /// The lifecycle stage counts at each period end from `from` (default: the first order,
    /// guests' included)
    /// to `as_of`, `as_of` included (SPEC §6).
    pub fn stage_trend(
        &mut self,
        period: crate::metrics::cohort::Period,
        from: Option<i32>,
        opts: &AnalysisOptions,
    ) -> Result<movement::StageTrend> {
        self.room_after_analysis(Step::Timeline, opts)?;
        let (ds, an) = self.analysis(opts)?;
        let first = ds
            .guests
            .day
            .iter()
            .copied()
            .chain(ds.orders.earliest_day)
            .min();
        let start = from.or(first).unwrap_or(an.as_of);
        if start > an.as_of {
            return Err(Error::option(format!(
                "from: {} is after as_of ({})",
                crate::load::coerce::format_day(start),
                crate::load::coerce::format_day(an.as_of)
            )));
        }
        let dates = movement::trend_dates(period, start, an.as_of);
        Ok(movement::stage_trend(
            ds,
            &dates,
            opts.window_days,
            &opts.lifecycle,
            period,
        ))
    }

    /// RFM segments, counts and the R×F grid.
    pub fn rfm(&mut self, opts: &AnalysisOptions) -> Result<RfmSummary> {
        let (ds, an) = self.analysis(opts)?;
        Ok(an.rfm_summary(ds))
    }

    /// Lifecycle stage counts and the onboarding buckets (days since joining and since the
    /// first purchase).
    pub fn lifecycle(&mut self, opts: &AnalysisOptions) -> Result<LifecycleSummary> {
        let (ds, an) = self.analysis(opts)?;
        Ok(lifecycle::summary(
            ds,
            an.base(ds),
            &an.stages,
            &opts.lifecycle,
        ))
    }

    /// The cohort table (retention, churn and revenue per cohort and period index).
    pub fn cohorts(
        &mut self,
        opts: &AnalysisOptions,
        cohort: &CohortOptions,
    ) -> Result<CohortTable> {
        self.analysis(opts)?;
        self.make_room_cells(Step::Cohorts, self.cohort_cells(cohort.period))?;
        let (ds, an) = self.analysis(opts)?;
        cohort::cohorts(ds, an.base(ds), cohort)
    }

    /// The KPIs over the window, overall and split by `kpi.by`.
    pub fn kpis(&mut self, opts: &AnalysisOptions, kpi: &KpiOptions) -> Result<Kpis> {
        self.analysis(opts)?;
        let by = kpi
            .by
            .as_deref()
            .map(|b| b.strip_prefix("member:").unwrap_or(b));
        self.make_room_reading(Step::Kpis, 0, Some(by))?;
        let (ds, an) = self.analysis(opts)?;
        kpi::kpis(
            ds,
            an.base(ds),
            &an.stages,
            &opts.lifecycle,
            opts.window_days,
            kpi,
        )
    }

    /// The CLV models fitted for `opts` and every member's predictions, reused while the
    /// options (with the calibration end resolved) and the tables stay the same.
    pub fn clv(&mut self, opts: &ClvOptions) -> Result<Arc<Clv>> {
        self.dataset()?;
        let ds = self.dataset.as_ref().expect("built above");
        let mut resolved = opts.clone();
        resolved.calibration_end = opts.calibration_end.or(ds.latest_day);
        if let Some(clv) = self.clv.as_ref().filter(|c| c.options == resolved) {
            return Ok(Arc::clone(clv));
        }
        ds.require_orders()?;
        self.clv = None;
        self.make_room(Step::Clv, self.sizes())?;
        let ds = self.dataset.as_ref().expect("built above");
        let clv = Arc::new(Clv::compute(ds, &resolved)?);
        self.clv = Some(Arc::clone(&clv));
        Ok(clv)
    }

    /// The per-member CLV table of `audience-lab clv` as CSV (see [`Clv::csv`]).
    pub fn clv_csv(&mut self, opts: &ClvOptions) -> Result<Vec<u8>> {
        let clv = self.clv(opts)?;
        crate::export::clv::clv_csv(&clv, self.dataset()?, false)
    }

    /// A segment as CSV (see [`audience_csv`]).
    pub fn export_csv(
        &mut self,
        segment: &Segment,
        columns: &[String],
        opts: &AnalysisOptions,
        excel_safe: bool,
    ) -> Result<Vec<u8>> {
        let audience = self.audience(segment, opts)?;
        self.room_for_columns(columns)?;
        let (ds, an) = self.analysis(opts)?;
        audience_csv(ds, an, &audience, columns, excel_safe)
    }

    /// One page of a segment's members, sorted by member id.
    pub fn members(
        &mut self,
        segment: &Segment,
        columns: &[String],
        offset: usize,
        limit: usize,
        opts: &AnalysisOptions,
    ) -> Result<MembersPage> {
        let audience = self.audience(segment, opts)?;
        self.room_for_columns(columns)?;
        let (ds, an) = self.analysis(opts)?;
        let members = sorted_members(ds, &audience);
        let page =
            &members[offset.min(members.len())..offset.saturating_add(limit).min(members.len())];
        // The columns of the page's members only: a page of 10 does not pay for every member.
        let cols = columns::Columns::of_members(ds, an, columns, page)?;
        let rows = page
            .iter()
            .map(|&m| {
                cols.row(m)
                    .iter()
                    .map(|v| v.text().map(|t| t.into_owned()).unwrap_or_default())
                    .collect()
            })
            .collect();
        let headers = cols.headers;
        Ok(MembersPage {
            total: audience.len(),
            columns: headers,
            rows,
        })
    }

    /// A segment as a file in any export format, split into a zip on request, or as an
    /// ad-platform list (see [`crate::export::export`]). `progress(done, total)` hears of the
    /// rows written.
    pub fn export_file(
        &mut self,
        segment: &Segment,
        export: &ExportOptions,
        opts: &AnalysisOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportFile> {
        let audience = self.audience(segment, opts)?;
        let (step, cells) = match (&export.profile, export.format) {
            (Some(_), _) => (Step::AdList, audience.len() * 4),
            (None, crate::export::Format::Xlsx) => (Step::Workbook, 0),
            (None, _) => (Step::Export, 0),
        };
        let cells = cells.max(audience.len() * (export.columns.len() as u64 + 1));
        // An ad-platform list reads the members' keys (phone, email, ...): every attribute.
        let columns = export
            .profile
            .is_none()
            .then(|| export.columns.iter().map(String::as_str));
        self.make_room_reading(step, cells, columns)?;
        let (ds, an) = self.analysis(opts)?;
        let mut export = export.clone();
        if export.name.trim().is_empty() {
            export.name = segment.name.clone();
        }
        crate::export::export(ds, an, &audience, &export, progress)
    }

    /// The match-key quality report of a segment's ad-platform list, before downloading it.
    pub fn match_report(
        &mut self,
        segment: &Segment,
        profile: &ProfileOptions,
        opts: &AnalysisOptions,
    ) -> Result<MatchReport> {
        let audience = self.audience(segment, opts)?;
        // A hashed list: a few keys per member, read from any attribute.
        self.make_room_reading(Step::AdList, audience.len() * 4, None::<[&str; 0]>)?;
        let ds = self.dataset()?;
        Ok(profile_rows(ds, &sorted_members(ds, &audience), profile)?.report)
    }

    /// The saved segments as a library file `{"version": 1, "segments": [...]}`, by name.
    pub fn export_segments(&self) -> String {
        library::library_to_json(self.saved.values())
    }

    /// Saves every segment of a library file (or of one segment document), replacing saved
    /// segments of the same names; nothing is saved when the file has an error. Returns the
    /// segments read.
    pub fn import_segments(&mut self, text: &str) -> Result<Vec<Segment>> {
        let segments = library::library_from_json(text)?;
        for s in &segments {
            self.save_segment(s.clone());
        }
        Ok(segments)
    }
}
