//! The options every analysis call shares (reference date, window, RFM scoring and map,
//! lifecycle thresholds), written once and stamped into each call's options type by
//! [`with_analysis`], so that each type still rejects what it does not know.

use super::names::RfmMethod;
use crate::error::{Error, Result};
use crate::metrics;
use crate::metrics::segments::SegmentMap;

/// Declares a call's options type: the shared analysis fields, then the call's own.
macro_rules! with_analysis {
    (
        $(#[$doc:meta])*
        $name:ident as $ts:literal {
            $($(#[$fdoc:meta])* $field:ident : $ty:ty,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(rename = $ts, optional_fields))]
        #[serde(default, rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            /// Reference date `YYYY-MM-DD`; defaults to the date of the latest order.
            pub as_of: Option<String>,
            /// Only orders in `(asOf - windowDays, asOf]` count.
            pub window_days: Option<u32>,
            /// RFM scoring: `quantile` (default), `ntile` or `thresholds` (with `rCuts`,
            /// `fCuts`, `mCuts`).
            pub method: Option<$crate::api::RfmMethod>,
            /// `thresholds`: four ascending recency cut points in days.
            pub r_cuts: Option<Vec<f64>>,
            /// `thresholds`: four ascending frequency cut points.
            pub f_cuts: Option<Vec<f64>>,
            /// `thresholds`: four ascending monetary cut points in currency units.
            pub m_cuts: Option<Vec<f64>>,
            /// Segment map: a preset (`default`, `klaviyo`, `shopify`, `rfm_package`) or a user
            /// map (every (R, F) cell in exactly one segment).
            #[cfg_attr(not(target_arch = "wasm32"), ts(type = "SegmentMapPreset | Array<SegmentMapEntry>", optional))]
            pub segment_map: Option<serde_json::Value>,
            /// Lifecycle: `new` while the first purchase is less than this many days old
            /// (default 30).
            pub new_days: Option<u32>,
            /// Lifecycle: `dormant` from this many days after the last purchase (default 90).
            pub dormant_after: Option<u32>,
            /// Lifecycle: `churned` from this many days after the last purchase (default 180).
            pub churn_after: Option<u32>,
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl $name {
            /// The shared analysis part of the options.
            pub fn analysis(&self) -> $crate::api::AnalysisOptions {
                $crate::api::AnalysisOptions {
                    as_of: self.as_of.clone(),
                    window_days: self.window_days,
                    method: self.method,
                    r_cuts: self.r_cuts.clone(),
                    f_cuts: self.f_cuts.clone(),
                    m_cuts: self.m_cuts.clone(),
                    segment_map: self.segment_map.clone(),
                    new_days: self.new_days,
                    dormant_after: self.dormant_after,
                    churn_after: self.churn_after,
                }
            }
        }
    };
}
pub(crate) use with_analysis;

with_analysis! {
    /// Options of `lab.rfm`, `lab.lifecycle`, `lab.count`, `lab.explain`, `lab.overlap` and
    /// `lab.difference`: the analysis every other call extends.
    AnalysisOptions as "AnalysisOptions" {}
}

impl AnalysisOptions {
    /// The engine's analysis options, checked: a date that is not one, a window of 0 days,
    /// cut points without `thresholds`, a map with gaps are errors naming the option.
    pub fn resolve(&self) -> Result<metrics::AnalysisOptions> {
        let mut o = metrics::AnalysisOptions::default().with_as_of(self.as_of.as_deref())?;
        let cuts = [
            self.r_cuts.as_deref(),
            self.f_cuts.as_deref(),
            self.m_cuts.as_deref(),
        ];
        if self.method.is_some() || cuts.iter().any(Option::is_some) {
            let method = self.method.unwrap_or(RfmMethod::Quantile);
            o = o.with_method(method.id(), cuts)?;
        }
        if let Some(map) = &self.segment_map {
            o.segment_map = SegmentMap::from_value(map)?;
        }
        if self.window_days == Some(0) {
            return Err(Error::option("windowDays must be at least 1"));
        }
        o.window_days = self.window_days;
        let l = &mut o.lifecycle;
        l.new_days = self.new_days.unwrap_or(l.new_days);
        l.dormant_after = self.dormant_after.unwrap_or(l.dormant_after);
        l.churn_after = self.churn_after.unwrap_or(l.churn_after);
        Ok(o)
    }
}
