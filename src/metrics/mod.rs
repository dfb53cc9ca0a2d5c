//! Member metrics (SPEC §2), one family per file, and [`Analysis`]: the per-member results
//! that segment rules and exports read.

pub mod base;
pub mod clv;
pub mod cohort;
pub mod kpi;
pub mod lifecycle;
pub mod movement;
pub mod rfm;
pub mod segments;
pub mod timeline;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::load::coerce::{format_day, parse_date};
use base::MemberBase;
use lifecycle::{LifecycleOptions, Stage};
use rfm::{Method, Rfm};
use segments::{SegmentMap, PROSPECT};
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// The options every metric shares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalysisOptions {
    /// The reference day; defaults to the latest order day.
    pub as_of: Option<i32>,
    /// Restrict to orders in `(as_of - window_days, as_of]`.
    pub window_days: Option<u32>,
    /// RFM scoring method.
    pub method: Method,
    /// Lifecycle thresholds.
    pub lifecycle: LifecycleOptions,
    /// The RFM segment map (SPEC §2's default, a preset or a user map).
    pub segment_map: SegmentMap,
}

impl AnalysisOptions {
    /// Parses `YYYY-MM-DD` (or any date form of SPEC §1) into `as_of`.
    pub fn with_as_of(mut self, date: Option<&str>) -> Result<Self> {
        if let Some(d) = date {
            self.as_of = Some(
                parse_date(d)
                    .ok_or_else(|| Error::option(format!("as_of: not a date: \"{d}\"")))?,
            );
        }
        Ok(self)
    }

    /// Sets the scoring method by name; `thresholds` takes its cut points from `cuts`
    /// (recency days, frequency, monetary), which the other methods must not be given.
    pub fn with_method(mut self, name: &str, cuts: [Option<&[f64]>; 3]) -> Result<Self> {
        self.method = match (name, cuts) {
            ("thresholds", [Some(r), Some(f), Some(m)]) => Method::thresholds(r, f, m)?,
            ("thresholds", _) => {
                return Err(Error::option(
                    "method thresholds needs four cut points each for r, f and m \
                     (--r-cuts, --f-cuts, --m-cuts; rCuts, fCuts, mCuts in JS)",
                ))
            }
            (other, [None, None, None]) => Method::parse(other)?,
            (other, _) => {
                return Err(Error::option(format!(
                    "cut points are only used by method thresholds, not {other}"
                )))
            }
        };
        Ok(self)
    }
}

/// RFM, lifecycle and the per-member base for one set of options.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The options used.
    pub options: AnalysisOptions,
    /// The reference day.
    pub as_of: i32,
    /// Per-member base values, computed on first use (see [`Analysis::base`]): the stages
    /// are read from the orders directly, so an analysis at another date for a lifecycle
    /// rule makes no pass over every order.
    base: OnceLock<MemberBase>,
    /// RFM scores and segments, computed on first use (see [`Analysis::rfm`]): an analysis
    /// at another date for a lifecycle rule or a migration by stage does not score RFM.
    rfm: OnceLock<Rfm>,
    /// Lifecycle stage per member.
    pub stages: Vec<Stage>,
    /// The CLV model of the rule metrics, fitted on first use (see [`Analysis::clv`]).
    clv: OnceLock<Result<Arc<clv::Clv>>>,
}

impl Analysis {
    /// Computes every per-member metric. Needs an orders table.
    pub fn new(ds: &Dataset, options: &AnalysisOptions) -> Result<Self> {
        ds.require_orders()?;
        options.lifecycle.validate()?;
        let as_of = options
            .as_of
            .or(ds.latest_day)
            .ok_or_else(|| Error::no_data("the orders table has no rows"))?;
        let stages = lifecycle::stages_at(ds, as_of, options.window_days, &options.lifecycle);
        Ok(Analysis {
            options: options.clone(),
            as_of,
            base: OnceLock::new(),
            rfm: OnceLock::new(),
            stages,
            clv: OnceLock::new(),
        })
    }

    /// The analysis for `options`, reusing from `prev` (an analysis of the same dataset) what
    /// the change of options leaves as it was: the per-member base (and the CLV model) while
    /// `as_of` and the window stay, the RFM scores while the method and the segment map stay
    /// too, the lifecycle stages while their thresholds stay. So a change of lifecycle
    /// thresholds recomputes the stages only.
    pub fn refresh(
        prev: Option<Analysis>,
        ds: &Dataset,
        options: &AnalysisOptions,
    ) -> Result<Self> {
        let Some(prev) = prev.filter(|p| {
            p.options.as_of == options.as_of && p.options.window_days == options.window_days
        }) else {
            return Self::new(ds, options);
        };
        options.lifecycle.validate()?;
        let Analysis {
            options: old,
            as_of,
            base,
            rfm,
            stages,
            clv,
        } = prev;
        let rfm = if old.method == options.method && old.segment_map == options.segment_map {
            rfm
        } else {
            OnceLock::new()
        };
        let stages = if old.lifecycle == options.lifecycle {
            stages
        } else {
            lifecycle::stages_at(ds, as_of, options.window_days, &options.lifecycle)
        };
        Ok(Analysis {
            options: options.clone(),
            as_of,
            base,
            rfm,
            stages,
            clv,
        })
    }

    /// The CLV model behind the `p_alive`, `expected_purchases_90d` and `clv` rule metrics:
    /// fitted once per analysis with the calibration end at `as_of`, in days, with the
    /// default horizon and discount.
    pub fn clv_fitted(&self) -> bool {
        self.clv.get().is_some()
    }

    /// The CLV model of the rule metrics (fitted once, up to `as_of`).
    pub fn clv(&self, ds: &Dataset) -> Result<&clv::Clv> {
        let opts = clv::ClvOptions {
            calibration_end: Some(self.as_of),
            ..clv::ClvOptions::default()
        };
        match self
            .clv
            .get_or_init(|| clv::Clv::compute(ds, &opts).map(Arc::new))
        {
            Ok(model) => Ok(model),
            Err(e) => Err(e.clone()),
        }
    }

    /// The per-member base of `ds` (the dataset of this analysis), computed on first use.
    pub fn base(&self, ds: &Dataset) -> &MemberBase {
        self.base
            .get_or_init(|| MemberBase::compute(ds, self.as_of, self.options.window_days))
    }

    /// The RFM scores and segments of `ds` (the dataset of this analysis), scored on first
    /// use.
    pub fn rfm(&self, ds: &Dataset) -> &Rfm {
        self.rfm.get_or_init(|| {
            Rfm::compute(
                ds,
                self.base(ds),
                &self.options.method,
                self.options.segment_map.clone(),
            )
        })
    }

    /// The segment id of member `m` (`prospect` without a purchase).
    pub fn segment_id(&self, ds: &Dataset, m: usize) -> &str {
        let rfm = self.rfm(ds);
        match rfm.segment[m] {
            Some(s) => &rfm.map.segments[s as usize].id,
            None => PROSPECT,
        }
    }

    /// Segment counts, revenue and the R×F grid.
    pub fn rfm_summary(&self, ds: &Dataset) -> RfmSummary {
        let rfm = self.rfm(ds);
        let map = &rfm.map;
        let mut members = vec![0u64; map.segments.len()];
        let mut revenue = vec![0i64; map.segments.len()];
        let mut grid = [[0u64; 5]; 5];
        let mut cube = [[[0u64; 5]; 5]; 5];
        let (mut scored, mut prospects) = (0u64, 0u64);
        for m in 0..rfm.r.len() {
            let (r, f) = (rfm.r[m], rfm.f[m]);
            if r == 0 {
                prospects += 1;
                continue;
            }
            scored += 1;
            grid[r as usize - 1][f as usize - 1] += 1;
            cube[r as usize - 1][f as usize - 1][rfm.m[m] as usize - 1] += 1;
            if let Some(s) = rfm.segment[m] {
                members[s as usize] += 1;
                revenue[s as usize] += self.base(ds).monetary[m];
            }
        }
        RfmSummary {
            as_of: format_day(self.as_of),
            method: self.options.method.name().to_string(),
            segment_map: map.name.clone(),
            members: scored,
            prospects,
            segments: map
                .segments
                .iter()
                .enumerate()
                .map(|(i, s)| SegmentSummary {
                    segment: s.id.clone(),
                    label: s.label.clone(),
                    label_zh: s.label_zh.clone(),
                    members: members[i],
                    revenue_cents: revenue[i],
                    revenue: revenue[i] as f64 / 100.0,
                })
                .collect(),
            grid,
            cube,
            cell_segments: std::array::from_fn(|r| {
                std::array::from_fn(|f| {
                    let of = |m: u8| map.lookup(r as u8 + 1, f as u8 + 1, m);
                    let first = of(1);
                    // A cell has one segment when M does not matter for it.
                    (first.is_some() && (2..=5).all(|m| of(m) == first))
                        .then(|| first.map(|i| map.segments[i].id.clone()))
                        .flatten()
                })
            }),
        }
    }
}

/// One segment of the RFM summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    /// Segment id.
    pub segment: String,
    /// English name.
    pub label: String,
    /// Chinese name.
    pub label_zh: String,
    /// Members in the segment.
    pub members: u64,
    /// Net revenue of those members, in cents (exact).
    pub revenue_cents: i64,
    /// Net revenue in currency units.
    pub revenue: f64,
}

/// The RFM overview: segments and the R×F grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "RfmResult")
)]
#[serde(rename_all = "camelCase")]
pub struct RfmSummary {
    /// The reference date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The scoring method.
    pub method: String,
    /// The segment map: a preset name or `custom`.
    pub segment_map: String,
    /// Members with a score (at least one purchase).
    pub members: u64,
    /// Members without a purchase.
    pub prospects: u64,
    /// Segments in map order.
    pub segments: Vec<SegmentSummary>,
    /// `grid[r - 1][f - 1]` = members with those scores.
    pub grid: [[u64; 5]; 5],
    /// `cube[r - 1][f - 1][m - 1]` = members with those scores.
    pub cube: [[[u64; 5]; 5]; 5],
    /// `cell_segments[r - 1][f - 1]` = the segment of that cell (`None` where it depends on M).
    pub cell_segments: [[Option<String>; 5]; 5],
}
