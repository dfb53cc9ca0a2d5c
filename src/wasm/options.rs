//! Option objects accepted from JS (camelCase, every field optional).

use super::error::{to_js, WasmResult};
use crate::error::Error;
use crate::load::LoadOptions;
use crate::metrics::cohort::{CohortBy, CohortOptions, Period};
use crate::metrics::kpi::KpiOptions;
use crate::metrics::segments::SegmentMap;
use crate::metrics::AnalysisOptions;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

/// `lab.load(kind, bytes, opts)` options.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsLoadOptions {
    /// File name for messages.
    pub name: Option<String>,
    /// Role → column overrides.
    pub mapping: BTreeMap<String, String>,
    /// Encoding override (`gbk`, `utf-8`, `utf-16le`, ...).
    pub encoding: Option<String>,
    /// Workbook sheet to read.
    pub sheet: Option<String>,
    /// Format override.
    pub format: Option<String>,
    /// Delimiter override (`,` `;` `|` `tab`).
    pub delimiter: Option<String>,
    /// Heap limit in bytes for this load (default: what a wasm instance can reach).
    pub memory_limit: Option<f64>,
}

impl From<JsLoadOptions> for LoadOptions {
    fn from(o: JsLoadOptions) -> Self {
        LoadOptions {
            name: o.name.unwrap_or_default(),
            mapping: o.mapping,
            lenient_mapping: false,
            encoding: o.encoding,
            delimiter: o.delimiter,
            sheet: o.sheet,
            format: o.format,
            memory_limit: o.memory_limit.filter(|m| *m > 0.0).map(|m| m as usize),
        }
    }
}

/// Options shared by the metrics, counts and exports.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsAnalysisOptions {
    /// Reference date, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// `quantile` or `ntile`.
    pub method: Option<String>,
    /// Restrict metrics to the last N days.
    pub window_days: Option<u32>,
    /// Export / preview columns.
    pub columns: Vec<String>,
    /// Preview page offset.
    pub offset: Option<usize>,
    /// Preview page size.
    pub limit: Option<usize>,
    /// `thresholds`: four ascending recency cut points in days.
    pub r_cuts: Option<Vec<f64>>,
    /// `thresholds`: four ascending frequency cut points.
    pub f_cuts: Option<Vec<f64>>,
    /// `thresholds`: four ascending monetary cut points in currency units.
    pub m_cuts: Option<Vec<f64>>,
    /// A segment map preset name or a user map (list of `{id, label, labelZh, r, f}`).
    pub segment_map: Option<serde_json::Value>,
    /// Lifecycle: `new` while the first purchase is less than this many days old.
    pub new_days: Option<u32>,
    /// Lifecycle: `dormant` from this many days after the last purchase.
    pub dormant_after: Option<u32>,
    /// Lifecycle: `churned` from this many days after the last purchase.
    pub churn_after: Option<u32>,
    /// Cohorts: `month`, `week` or `quarter`.
    pub period: Option<String>,
    /// Cohorts: `first_purchase` or `join_date`; KPIs: the column to split by.
    pub by: Option<String>,
    /// `toSql`: `duckdb` or `spark`.
    pub dialect: Option<String>,
    /// `tags`: the tag set of the overlap matrix and the intersections.
    pub tags: Option<Vec<String>>,
    /// `tags`: size of the default tag set (the most frequent tags).
    pub top: Option<usize>,
    /// `tags`: the segment (JSON) whose members are counted instead of everyone.
    pub within: Option<serde_json::Value>,
}

impl JsAnalysisOptions {
    /// The engine's analysis options.
    pub fn analysis(&self) -> WasmResult<AnalysisOptions> {
        let mut o = AnalysisOptions::default()
            .with_as_of(self.as_of.as_deref())
            .map_err(to_js)?;
        let cuts = [
            self.r_cuts.as_deref(),
            self.f_cuts.as_deref(),
            self.m_cuts.as_deref(),
        ];
        if self.method.is_some() || cuts.iter().any(Option::is_some) {
            let method = self.method.as_deref().unwrap_or("quantile");
            o = o.with_method(method, cuts).map_err(to_js)?;
        }
        if let Some(map) = &self.segment_map {
            o.segment_map = SegmentMap::from_value(map).map_err(to_js)?;
        }
        if self.window_days == Some(0) {
            return Err(to_js(Error::option("windowDays must be at least 1")));
        }
        o.window_days = self.window_days;
        let l = &mut o.lifecycle;
        l.new_days = self.new_days.unwrap_or(l.new_days);
        l.dormant_after = self.dormant_after.unwrap_or(l.dormant_after);
        l.churn_after = self.churn_after.unwrap_or(l.churn_after);
        Ok(o)
    }

    /// The cohort options (`period`, `by`).
    pub fn cohort(&self) -> WasmResult<CohortOptions> {
        Ok(CohortOptions {
            period: match &self.period {
                Some(p) => Period::parse(p).map_err(to_js)?,
                None => Period::default(),
            },
            by: match &self.by {
                Some(b) => CohortBy::parse(b).map_err(to_js)?,
                None => CohortBy::default(),
            },
        })
    }

    /// The KPI options (`by`).
    pub fn kpi(&self) -> KpiOptions {
        KpiOptions {
            by: self.by.clone(),
        }
    }
}

/// Reads an options object; `undefined` and `null` give the defaults.
pub fn from_js<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> WasmResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| to_js(Error::option(format!("{what} options: {e}"))))
}
