//! `lab.clv(opts)`: the option object accepted from JS.

use super::error::{to_js, WasmResult};
use crate::metrics::clv::ClvOptions;
use serde::Deserialize;

/// `lab.clv({ calibrationEnd, unit, horizonDays, discount, includeZeroAmount })`, every field
/// optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsClvOptions {
    /// Last day of the calibration period, `YYYY-MM-DD` (default: the latest order day).
    pub calibration_end: Option<String>,
    /// `days` (default) or `weeks`.
    pub unit: Option<String>,
    /// CLV horizon in days (default 365).
    pub horizon_days: Option<f64>,
    /// Monthly discount rate (default 0.01).
    pub discount: Option<f64>,
    /// Count orders with amount 0 as transactions (default false).
    pub include_zero_amount: Option<bool>,
}

impl JsClvOptions {
    /// The engine's options, checked.
    pub fn options(&self) -> WasmResult<ClvOptions> {
        let d = ClvOptions::default();
        let o = ClvOptions {
            horizon_days: self.horizon_days.unwrap_or(d.horizon_days),
            discount: self.discount.unwrap_or(d.discount),
            include_zero_amount: self.include_zero_amount.unwrap_or(false),
            ..d
        }
        .with_calibration_end(self.calibration_end.as_deref())
        .and_then(|o| o.with_unit(self.unit.as_deref()))
        .map_err(to_js)?;
        o.validate().map_err(to_js)?;
        Ok(o)
    }
}
