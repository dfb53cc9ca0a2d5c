//! Predicted churn and customer lifetime value: the BG/NBD model of repeat buying and the
//! Gamma-Gamma model of spend, fitted to each member's history up to a calibration end, in
//! the definitions of Python's `lifetimes` (which it is tested against).
//!
//! Per member it gives P(alive), the expected purchases in the next 90 days, and the CLV over
//! a horizon: Σ over months i of (expected purchases in month i) × (expected spend per
//! purchase) / (1 + discount)^i, lifetimes' `customer_lifetime_value` convention.

pub mod bgnbd;
pub mod fit;
pub mod gamma_gamma;
pub mod hyp2f1;
pub mod mbgnbd;
pub mod summary;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::load::coerce::{format_day, parse_date};
use bgnbd::{BgNbd, Groups};
use gamma_gamma::{GammaGamma, SpendData};
use mbgnbd::MbgNbd;
use serde::Serialize;
pub use summary::{Customer, Unit};

/// Days ahead of `expected_purchases_90d`.
pub const EXPECTED_DAYS: f64 = 90.0;
/// Default CLV horizon in days.
pub const DEFAULT_HORIZON_DAYS: f64 = 365.0;
/// Default monthly discount rate of the CLV.
pub const DEFAULT_DISCOUNT: f64 = 0.01;

/// Options of the CLV models.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvOptions {
    /// The last day of the calibration period (included); defaults to the latest order day.
    pub calibration_end: Option<i32>,
    /// The time unit of recency, T and α.
    pub unit: Unit,
    /// The CLV horizon in days (default 365).
    pub horizon_days: f64,
    /// The monthly discount rate of the CLV (default 0.01).
    pub discount: f64,
    /// Count orders with amount 0 as transactions (off: only purchases, amount > 0, count).
    pub include_zero_amount: bool,
    /// The repeat-buying model of P(alive), the expected purchases and the CLV.
    pub model: Model,
}

/// The repeat-buying model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Model {
    /// BG/NBD (Fader, Hardie & Lee 2005): a one-time buyer is alive for sure.
    #[default]
    BgNbd,
    /// The modified BG/NBD (Batislam et al. 2007): a buyer may drop out after any purchase,
    /// the first included.
    MbgNbd,
}

impl Model {
    /// Parses `bgnbd` or `mbgnbd`.
    pub fn parse(s: &str) -> Result<Model> {
        match s {
            "bgnbd" => Ok(Model::BgNbd),
            "mbgnbd" => Ok(Model::MbgNbd),
            other => Err(Error::option(format!(
                "model: expected bgnbd or mbgnbd, found \"{other}\""
            ))),
        }
    }

    /// `bgnbd` or `mbgnbd`.
    pub fn name(self) -> &'static str {
        match self {
            Model::BgNbd => "bgnbd",
            Model::MbgNbd => "mbgnbd",
        }
    }
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            calibration_end: None,
            unit: Unit::Days,
            horizon_days: DEFAULT_HORIZON_DAYS,
            discount: DEFAULT_DISCOUNT,
            include_zero_amount: false,
            model: Model::BgNbd,
        }
    }
}

impl ClvOptions {
    /// Parses `YYYY-MM-DD` (or any date form of SPEC §1) into `calibration_end`.
    pub fn with_calibration_end(mut self, date: Option<&str>) -> Result<Self> {
        if let Some(d) = date {
            self.calibration_end =
                Some(parse_date(d).ok_or_else(|| {
                    Error::option(format!("calibration_end: not a date: \"{d}\""))
                })?);
        }
        Ok(self)
    }

    /// Parses `days` or `weeks` into `unit`.
    pub fn with_unit(mut self, unit: Option<&str>) -> Result<Self> {
        if let Some(u) = unit {
            self.unit = Unit::parse(u).ok_or_else(|| {
                Error::option(format!("unit: expected days or weeks, found \"{u}\""))
            })?;
        }
        Ok(self)
    }

    /// Checks the numeric options.
    pub fn validate(&self) -> Result<()> {
        if !(self.horizon_days.is_finite() && (0.0..=36_500.0).contains(&self.horizon_days)) {
            return Err(Error::option(format!(
                "horizon_days: expected a number of days from 0 to 36500, found {}",
                self.horizon_days
            )));
        }
        if !(self.discount.is_finite() && (0.0..=1.0).contains(&self.discount)) {
            return Err(Error::option(format!(
                "discount: expected a monthly rate from 0 to 1 (e.g. 0.01), found {}",
                self.discount
            )));
        }
        Ok(())
    }
}

/// The fitted parameters, printed by the CLI as
/// `{"bgnbd": {"r", "alpha", "a", "b"}, "gamma_gamma": {"p", "q", "v"}}` (and `"mbgnbd"` when
/// the modified model was fitted: chosen, or for the forecast check).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClvParams {
    /// Repeat-buying model.
    pub bgnbd: BgNbd,
    /// Spend model.
    pub gamma_gamma: GammaGamma,
    /// The modified repeat-buying model, when fitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mbgnbd: Option<MbgNbd>,
}

/// One member's summary and predictions (times in the unit of the fit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberClv {
    /// Repeat transaction days.
    pub frequency: u32,
    /// First to last transaction day.
    pub recency: f64,
    /// First transaction day to the calibration end.
    pub t: f64,
    /// Mean value of the repeat transaction days (0 without repeats).
    pub monetary_value: f64,
    /// Probability that the member is still buying.
    pub p_alive: f64,
    /// Expected purchases in the 90 days after the calibration end.
    pub expected_purchases_90d: f64,
    /// Discounted expected spend over the horizon.
    pub clv: f64,
    /// With a calibration end before the last order: transaction days in the holdout
    /// `(calibration end, last order]` and the expected purchases over it of BG/NBD and of
    /// MBG/NBD.
    pub holdout: Option<(u32, f64, f64)>,
}

/// The fitted models and every member's predictions.
#[derive(Debug, Clone)]
pub struct Clv {
    /// The options, with the calibration end resolved.
    pub options: ClvOptions,
    /// The calibration end.
    pub calibration_end: i32,
    /// Fitted parameters.
    pub params: ClvParams,
    /// Per member (index of the dataset); `None` without a transaction by the calibration end.
    pub members: Vec<Option<MemberClv>>,
    /// Customers in the BG/NBD fit.
    pub customers: usize,
    /// Customers in the Gamma-Gamma fit (repeat transactions of positive mean value).
    pub spend_customers: usize,
    /// Distinct (x, tₓ, T) triples the BG/NBD likelihood iterates over.
    pub distinct_triples: usize,
    /// BG/NBD log-likelihood at the fit.
    pub log_likelihood: f64,
    /// The end of the holdout (the last order day), when after the calibration end.
    pub holdout_end: Option<i32>,
}

impl Clv {
    /// Summarises, fits both models and predicts for every member.
    pub fn compute(ds: &Dataset, opts: &ClvOptions) -> Result<Clv> {
        opts.validate()?;
        ds.require_orders()?;
        let end = opts
            .calibration_end
            .or(ds.latest_day)
            .ok_or_else(|| Error::no_data("the orders table has no rows"))?;
        let sel = summary::Selection {
            end,
            include_zero_amount: opts.include_zero_amount,
        };
        let customers = summary::summarize(ds, sel);
        let buyers: Vec<Customer> = customers.iter().flatten().copied().collect();
        let (groups, group_of) = Groups::new(&buyers, opts.unit.days());
        let (bgnbd, log_likelihood) = BgNbd::fit(&groups).map_err(|e| {
            Error::new(
                e.kind(),
                format!("{} (calibration end {})", e.message(), format_day(end)),
            )
        })?;
        let spend = SpendData::new(buyers.iter().map(|c| (c.frequency, c.monetary_value())));
        let gamma_gamma = GammaGamma::fit(&spend)?;
        if gamma_gamma.population_mean().is_none() {
            return Err(Error::no_data(format!(
                "Gamma-Gamma: fitted q = {:.4} ≤ 1, so the mean spend per purchase does not \
                 exist for this data; the CLV cannot be computed",
                gamma_gamma.q
            )));
        }
        let mut opts = opts.clone();
        opts.calibration_end = Some(end);
        let unit_days = opts.unit.days();
        // The forecast check: the holdout after the calibration end, to the last order.
        let holdout_end = ds.latest_day.filter(|&l| l > end);
        let mbgnbd = if opts.model == Model::MbgNbd || holdout_end.is_some() {
            Some(MbgNbd::fit(&groups)?.0)
        } else {
            None
        };
        // The horizons of one customer's predictions: 90 days, then each month's end.
        let mut horizons = vec![EXPECTED_DAYS / unit_days];
        horizons.extend(month_ends(
            opts.horizon_days / unit_days,
            month_length(opts.unit),
        ));
        let holdout_days = holdout_end.map(|l| f64::from(l - end) / unit_days);
        let chosen = match opts.model {
            Model::MbgNbd => mbgnbd,
            Model::BgNbd => None,
        };
        let per_triple = (0..groups.triples.len())
            .map(|i| {
                let (x, t_x, age) = groups.triple(i);
                let (p_alive, e) = match chosen {
                    Some(m) => (
                        m.p_alive(x, t_x, age),
                        horizons
                            .iter()
                            .map(|&t| m.expected_purchases(t, x, t_x, age))
                            .collect::<Result<Vec<f64>>>()?,
                    ),
                    None => (
                        bgnbd.p_alive(x, t_x, age),
                        bgnbd.expected_purchases_many(&horizons, x, t_x, age)?,
                    ),
                };
                let held = match (holdout_days, mbgnbd) {
                    (Some(t), Some(m)) => (
                        bgnbd.expected_purchases(t, x, t_x, age)?,
                        m.expected_purchases(t, x, t_x, age)?,
                    ),
                    _ => (f64::NAN, f64::NAN),
                };
                Ok((p_alive, e[0], discount_sum(&e[1..], opts.discount), held))
            })
            .collect::<Result<Vec<(f64, f64, f64, (f64, f64))>>>()?;
        let held_days =
            holdout_end.map(|l| summary::holdout_days(ds, end, l, opts.include_zero_amount));
        let mut next = 0;
        let members = customers
            .iter()
            .enumerate()
            .map(|(member, c)| {
                c.map(|c| {
                    let (p_alive, e90, discounted, held) = per_triple[group_of[next] as usize];
                    next += 1;
                    let x = f64::from(c.frequency);
                    let m = c.monetary_value();
                    let spend = gamma_gamma.expected_spend(x, m).unwrap_or(f64::NAN);
                    MemberClv {
                        frequency: c.frequency,
                        recency: f64::from(c.recency_days) / unit_days,
                        t: f64::from(c.age_days) / unit_days,
                        monetary_value: m,
                        p_alive,
                        expected_purchases_90d: e90,
                        clv: spend * discounted,
                        holdout: held_days.as_ref().map(|d| (d[member], held.0, held.1)),
                    }
                })
            })
            .collect();
        Ok(Clv {
            options: opts,
            calibration_end: end,
            params: ClvParams {
                bgnbd,
                gamma_gamma,
                mbgnbd,
            },
            members,
            customers: groups.customers() as usize,
            spend_customers: spend.customers(),
            distinct_triples: groups.triples.len(),
            log_likelihood,
            holdout_end,
        })
    }

    /// The forecast check: actual against expected purchases in the holdout, overall and by
    /// the number of repeat transactions in the calibration period (0 to 6, then 7 or more),
    /// as lifetimes' calibration/holdout plot draws them.
    pub fn holdout(&self) -> Option<HoldoutCheck> {
        let end = self.holdout_end?;
        let mbgnbd = self.params.mbgnbd?;
        let mut rows: Vec<HoldoutRow> = (0..=HOLDOUT_GROUPS)
            .map(|f| HoldoutRow {
                frequency: f,
                customers: 0,
                actual: 0.0,
                bgnbd: 0.0,
                mbgnbd: 0.0,
            })
            .collect();
        let mut all = HoldoutRow {
            frequency: 0,
            customers: 0,
            actual: 0.0,
            bgnbd: 0.0,
            mbgnbd: 0.0,
        };
        for m in self.members.iter().flatten() {
            let Some((days, bg, mbg)) = m.holdout else {
                continue;
            };
            for row in [
                &mut rows[m.frequency.min(HOLDOUT_GROUPS) as usize],
                &mut all,
            ] {
                row.customers += 1;
                row.actual += f64::from(days);
                row.bgnbd += bg;
                row.mbgnbd += mbg;
            }
        }
        for r in &mut rows {
            if r.customers > 0 {
                let n = r.customers as f64;
                r.actual /= n;
                r.bgnbd /= n;
                r.mbgnbd /= n;
            }
        }
        rows.retain(|r| r.customers > 0);
        Some(HoldoutCheck {
            end: format_day(end),
            duration: f64::from(end - self.calibration_end) / self.options.unit.days(),
            customers: all.customers,
            actual: all.actual,
            bgnbd: all.bgnbd,
            mbgnbd: all.mbgnbd,
            mbgnbd_params: mbgnbd,
            by_frequency: rows,
        })
    }

    /// A small overview for the page (parameters, counts, totals, a P(alive) histogram).
    pub fn summary(&self) -> ClvSummary {
        let mut hist = [0u64; 10];
        let (mut n, mut p_sum, mut e_sum, mut clv_sum, mut repeat) = (0u64, 0.0, 0.0, 0.0, 0u64);
        for m in self.members.iter().flatten() {
            n += 1;
            p_sum += m.p_alive;
            e_sum += m.expected_purchases_90d;
            clv_sum += m.clv;
            repeat += u64::from(m.frequency > 0);
            hist[((m.p_alive * 10.0) as usize).min(9)] += 1;
        }
        ClvSummary {
            calibration_end: format_day(self.calibration_end),
            unit: self.options.unit.name().to_string(),
            model: self.options.model.name().to_string(),
            horizon_days: self.options.horizon_days,
            discount: self.options.discount,
            bgnbd: self.params.bgnbd,
            gamma_gamma: self.params.gamma_gamma,
            mbgnbd: self.params.mbgnbd,
            customers: n,
            repeat_customers: repeat,
            spend_customers: self.spend_customers as u64,
            distinct_triples: self.distinct_triples as u64,
            log_likelihood: self.log_likelihood,
            mean_p_alive: if n > 0 { p_sum / n as f64 } else { 0.0 },
            expected_purchases_90d: e_sum,
            total_clv: clv_sum,
            p_alive_histogram: hist,
            holdout: self.holdout(),
        }
    }
}

/// Calibration frequencies of the forecast check grouped apart; larger ones go together.
pub const HOLDOUT_GROUPS: u32 = 7;

/// Actual and expected holdout purchases of the members with one calibration frequency.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HoldoutRow {
    /// Repeat transactions in the calibration period (7 stands for 7 or more).
    pub frequency: u32,
    /// Members.
    pub customers: u64,
    /// Their mean transaction days in the holdout.
    pub actual: f64,
    /// Their mean expected purchases over the holdout, by BG/NBD.
    pub bgnbd: f64,
    /// The same by MBG/NBD.
    pub mbgnbd: f64,
}

/// The forecast check of a fit with a calibration end before the last order: what the model
/// expected in the holdout against what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HoldoutCheck {
    /// The last day of the holdout (the last order).
    pub end: String,
    /// Its length in the unit of the fit.
    pub duration: f64,
    /// Members with a transaction by the calibration end.
    pub customers: u64,
    /// Their transaction days in the holdout.
    pub actual: f64,
    /// Their expected purchases over the holdout by BG/NBD.
    pub bgnbd: f64,
    /// The same by MBG/NBD.
    pub mbgnbd: f64,
    /// The MBG/NBD parameters of the check.
    pub mbgnbd_params: MbgNbd,
    /// By calibration frequency.
    pub by_frequency: Vec<HoldoutRow>,
}

/// The overview of a CLV fit, as it crosses to JS (camelCase).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ClvResult")
)]
#[serde(rename_all = "camelCase")]
pub struct ClvSummary {
    /// The calibration end, `YYYY-MM-DD`.
    pub calibration_end: String,
    /// `days` or `weeks`.
    pub unit: String,
    /// The model of P(alive), the expected purchases and the CLV: `bgnbd` or `mbgnbd`.
    pub model: String,
    /// CLV horizon in days.
    pub horizon_days: f64,
    /// Monthly discount rate.
    pub discount: f64,
    /// BG/NBD parameters (α in `unit`).
    pub bgnbd: BgNbd,
    /// Gamma-Gamma parameters.
    pub gamma_gamma: GammaGamma,
    /// MBG/NBD parameters, when fitted (chosen as the model, or for the forecast check).
    pub mbgnbd: Option<MbgNbd>,
    /// Members with a transaction by the calibration end.
    pub customers: u64,
    /// Of them, members with a repeat transaction.
    pub repeat_customers: u64,
    /// Members in the spend model.
    pub spend_customers: u64,
    /// Distinct (x, tₓ, T) triples of the fit.
    pub distinct_triples: u64,
    /// BG/NBD log-likelihood.
    pub log_likelihood: f64,
    /// Mean P(alive).
    pub mean_p_alive: f64,
    /// Expected purchases of all members in the next 90 days.
    pub expected_purchases_90d: f64,
    /// Sum of the members' CLV.
    pub total_clv: f64,
    /// Members by P(alive) in tenths: `[0, 0.1)`, …, `[0.9, 1]`.
    pub p_alive_histogram: [u64; 10],
    /// The forecast check, with a calibration end before the last order.
    pub holdout: Option<HoldoutCheck>,
}

/// A month in the unit of the fit, as lifetimes counts it: 30 days, or 4.345 weeks.
pub fn month_length(unit: Unit) -> f64 {
    match unit {
        Unit::Days => 30.0,
        Unit::Weeks => 4.345,
    }
}

/// The ends of the months of a horizon, in the unit of the fit: month, 2·month, …, with a
/// last partial month ending at the horizon when it is not a whole number of months.
pub fn month_ends(horizon: f64, month: f64) -> Vec<f64> {
    let months = (horizon / month - 1e-9).ceil().max(0.0) as u32;
    (1..=months)
        .map(|i| (f64::from(i) * month).min(horizon))
        .collect()
}

/// Σᵢ (E(tᵢ) − E(tᵢ₋₁)) / (1 + d)^i over the month ends tᵢ, from the cumulative expected
/// purchases `expected[i - 1]` = E(tᵢ) (E(t₀) = 0): lifetimes' discounting.
pub fn discount_sum(expected: &[f64], discount: f64) -> f64 {
    let (mut total, mut prev) = (0.0, 0.0);
    for (i, &e) in expected.iter().enumerate() {
        total += (e - prev) / (1.0 + discount).powi(i as i32 + 1);
        prev = e;
    }
    total
}
