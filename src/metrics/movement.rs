//! Movement over time (SPEC §6): the migration matrix of lifecycle stages or RFM segments
//! between two dates, the period rates over `(A, B]` (reactivation, churn-in,
//! new-to-repeat) and the stage trend at each period end, computed in one sweep over the
//! orders. A member that does not exist at a date (no join date and no order on or before
//! it) is `not_yet` there.

use super::cohort::Period;
use super::lifecycle::{stage_of, LifecycleOptions, Stage};
use super::segments::PROSPECT;
use super::Analysis;
use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::{format_cents, format_day};
use serde::Serialize;

/// The state of a member that does not exist yet at a date.
pub const NOT_YET: &str = "not_yet";

/// What a migration matrix compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Lifecycle stages.
    Stage,
    /// RFM segments of the map in use.
    Segment,
}

impl By {
    /// Parses `stage` or `segment`.
    pub fn parse(s: &str) -> Result<By> {
        match s {
            "stage" => Ok(By::Stage),
            "segment" => Ok(By::Segment),
            other => Err(Error::option(format!(
                "by: \"{other}\" is not stage or segment"
            ))),
        }
    }

    /// `stage` or `segment`.
    pub fn name(self) -> &'static str {
        match self {
            By::Stage => "stage",
            By::Segment => "segment",
        }
    }
}

/// One cell of a migration matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MigrationCell {
    /// The state at the first date.
    pub from_state: String,
    /// The state at the second date.
    pub to_state: String,
    /// Members in `from_state` then and `to_state` now.
    pub members: u64,
    /// Their net amount of the orders dated in `(from, to]`, in cents.
    pub revenue_cents: i64,
}

/// Members by their state at two dates (SPEC §6).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Migration {
    /// The first date.
    pub from: String,
    /// The second date.
    pub to: String,
    /// `stage` or `segment`.
    pub by: String,
    /// Every state, in order: `not_yet`, then the stages (or `prospect` and the map's
    /// segments).
    pub states: Vec<String>,
    /// The cells with members, by `states` order of the first then the second state.
    pub cells: Vec<MigrationCell>,
}

impl Migration {
    /// CSV `from_state,to_state,members,revenue` (revenue in currency units).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::from("from_state,to_state,members,revenue\n");
        for c in &self.cells {
            out.push_str(&format!(
                "{},{},{},{}\n",
                c.from_state,
                c.to_state,
                c.members,
                format_cents(c.revenue_cents)
            ));
        }
        out.into_bytes()
    }
}

/// Members that exist at `day`, per member: a join date or an order (any amount) on or
/// before it.
pub fn existing(ds: &Dataset, day: i32) -> Vec<bool> {
    let joined = match ds.attrs.get("join_day") {
        Some(Attr::Date(days)) => Some(days),
        _ => None,
    };
    let o = &ds.orders;
    (0..ds.len())
        .map(|m| {
            let r = o.range(m as u32);
            (!r.is_empty() && o.day[r.start] <= day)
                || joined.is_some_and(|j| j.get(m).copied().flatten().is_some_and(|d| d <= day))
        })
        .collect()
}

/// Each member's state in `an` (an analysis at its date), `not_yet` where it does not exist.
fn states_of(ds: &Dataset, an: &Analysis, by: By) -> Vec<usize> {
    let exists = existing(ds, an.as_of);
    // RFM is scored only for the segment dimension.
    let segments = matches!(by, By::Segment).then(|| &an.rfm(ds).segment);
    (0..ds.len())
        .map(|m| match (exists[m], segments) {
            (false, _) => 0,
            (true, None) => 1 + an.stages[m] as usize,
            (true, Some(s)) => s[m].map_or(1, |i| 2 + i as usize),
        })
        .collect()
}

/// The states of a dimension, in order (indexes of [`states_of`]).
fn state_names(an: &Analysis, by: By) -> Vec<String> {
    let mut names = vec![NOT_YET.to_string()];
    match by {
        By::Stage => names.extend(Stage::ALL.iter().map(|s| s.id().to_string())),
        By::Segment => {
            names.push(PROSPECT.to_string());
            names.extend(an.options.segment_map.segments.iter().map(|s| s.id.clone()));
        }
    }
    names
}

/// The migration matrix between the analyses at two dates (`a` before `b`, same options but
/// `as_of`): members counted over the whole universe, with their net amount in `(A, B]`.
pub fn migration(ds: &Dataset, a: &Analysis, b: &Analysis, by: By) -> Result<Migration> {
    if a.as_of >= b.as_of {
        return Err(Error::option(format!(
            "from {} must be before to {}",
            format_day(a.as_of),
            format_day(b.as_of)
        )));
    }
    let names = state_names(b, by);
    let (sa, sb) = (states_of(ds, a, by), states_of(ds, b, by));
    let k = names.len();
    let mut members = vec![0u64; k * k];
    let mut revenue = vec![0i64; k * k];
    let o = &ds.orders;
    for m in 0..ds.len() {
        let cell = sa[m] * k + sb[m];
        members[cell] += 1;
        let r = o.range(m as u32);
        let days = &o.day[r.clone()];
        let lo = r.start + days.partition_point(|&d| d <= a.as_of);
        let hi = r.start + days.partition_point(|&d| d <= b.as_of);
        revenue[cell] += o.cents[lo..hi].iter().sum::<i64>();
    }
    let cells = (0..k * k)
        .filter(|&c| members[c] > 0)
        .map(|c| MigrationCell {
            from_state: names[c / k].clone(),
            to_state: names[c % k].clone(),
            members: members[c],
            revenue_cents: revenue[c],
        })
        .collect();
    Ok(Migration {
        from: format_day(a.as_of),
        to: format_day(b.as_of),
        by: by.name().to_string(),
        states: names,
        cells,
    })
}

/// The rates of a period `(A, B]` (SPEC §6), with their numerators and denominators.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PeriodRates {
    /// A.
    pub from: String,
    /// B.
    pub to: String,
    /// Members dormant or churned at A.
    pub asleep: u64,
    /// Of them, members with a purchase in `(A, B]`.
    pub reactivated: u64,
    /// `reactivated / asleep`.
    pub reactivation_rate: Option<f64>,
    /// Members new, active or dormant at A.
    pub at_risk: u64,
    /// Of them, members churned at B.
    pub churned_in: u64,
    /// `churned_in / at_risk`.
    pub churn_in_rate: Option<f64>,
    /// Members whose first purchase is in `(A, B]`.
    pub first_buyers: u64,
    /// Of them, members with a second purchase day in `(A, B]`.
    pub repeated: u64,
    /// `repeated / first_buyers`.
    pub new_to_repeat_rate: Option<f64>,
}

/// The period rates over `(A, B]` from the analyses at A and B.
pub fn period_rates(ds: &Dataset, a: &Analysis, b: &Analysis) -> Result<PeriodRates> {
    if a.as_of >= b.as_of {
        return Err(Error::option(format!(
            "compare_to {} must be before as_of {}",
            format_day(a.as_of),
            format_day(b.as_of)
        )));
    }
    let exists = existing(ds, a.as_of);
    let o = &ds.orders;
    let mut r = PeriodRates {
        from: format_day(a.as_of),
        to: format_day(b.as_of),
        asleep: 0,
        reactivated: 0,
        reactivation_rate: None,
        at_risk: 0,
        churned_in: 0,
        churn_in_rate: None,
        first_buyers: 0,
        repeated: 0,
        new_to_repeat_rate: None,
    };
    for (m, &alive) in exists.iter().enumerate() {
        let range = o.range(m as u32);
        let purchases = || range.clone().filter(|&i| o.cents[i] > 0).map(|i| o.day[i]);
        let inside = |d: &i32| *d > a.as_of && *d <= b.as_of;
        let stage_a = alive.then_some(a.stages[m]);
        if let Some(Stage::Dormant | Stage::Churned) = stage_a {
            r.asleep += 1;
            r.reactivated += u64::from(purchases().any(|d| inside(&d)));
        }
        if matches!(stage_a, Some(Stage::New | Stage::Active | Stage::Dormant)) {
            r.at_risk += 1;
            r.churned_in += u64::from(b.stages[m] == Stage::Churned);
        }
        if purchases().next().is_some_and(|d| inside(&d)) {
            r.first_buyers += 1;
            let mut days: Vec<i32> = purchases().filter(inside).collect();
            days.dedup();
            r.repeated += u64::from(days.len() >= 2);
        }
    }
    let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
    r.reactivation_rate = ratio(r.reactivated, r.asleep);
    r.churn_in_rate = ratio(r.churned_in, r.at_risk);
    r.new_to_repeat_rate = ratio(r.repeated, r.first_buyers);
    Ok(r)
}

/// Stage counts at one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    /// The date (a period end, or `as_of`).
    pub date: String,
    /// Members that do not exist yet.
    pub not_yet: u64,
    /// Members without a purchase.
    pub prospect: u64,
    /// New members.
    pub new: u64,
    /// Active members.
    pub active: u64,
    /// Dormant members (沉睡).
    pub dormant: u64,
    /// Churned members (流失).
    pub churned: u64,
}

/// The lifecycle stage counts at each period end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StageTrend {
    /// `month`, `week` or `quarter`.
    pub period: String,
    /// One point per period end in `[from, as_of]`, then `as_of` when it is no period end.
    pub points: Vec<TrendPoint>,
}

impl StageTrend {
    /// CSV `date,not_yet,prospect,new,active,dormant,churned`.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::from("date,not_yet,prospect,new,active,dormant,churned\n");
        for p in &self.points {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                p.date, p.not_yet, p.prospect, p.new, p.active, p.dormant, p.churned
            ));
        }
        out.into_bytes()
    }
}

/// The dates of a trend: each period end in `[from, as_of]`, then `as_of` when it is none.
pub fn trend_dates(period: Period, from: i32, as_of: i32) -> Vec<i32> {
    let mut dates = Vec::new();
    let mut k = period.index(from);
    loop {
        let end = period.first_day(k + 1) - 1;
        if end > as_of {
            break;
        }
        if end >= from {
            dates.push(end);
        }
        k += 1;
    }
    if dates.last() != Some(&as_of) {
        dates.push(as_of);
    }
    dates
}

/// The stage counts at each of `dates` (ascending) in one sweep over each member's orders:
/// the stage at a date reads the member's purchases on or before it (within `window_days`
/// of it, when set) as SPEC §2 does at `as_of`.
pub fn stage_trend(
    ds: &Dataset,
    dates: &[i32],
    window_days: Option<u32>,
    lifecycle: &LifecycleOptions,
    period: Period,
) -> StageTrend {
    let mut counts = vec![[0u64; 6]; dates.len()];
    let joined = match ds.attrs.get("join_day") {
        Some(Attr::Date(days)) => Some(days),
        _ => None,
    };
    let o = &ds.orders;
    let mut purchases: Vec<i32> = Vec::new();
    for m in 0..ds.len() {
        let r = o.range(m as u32);
        let first_order = (!r.is_empty()).then(|| o.day[r.start]);
        let join = joined.and_then(|j| j.get(m).copied().flatten());
        let born = [first_order, join].into_iter().flatten().min();
        purchases.clear();
        purchases.extend(r.filter(|&i| o.cents[i] > 0).map(|i| o.day[i]));
        for (k, &d) in dates.iter().enumerate() {
            if born.is_none_or(|b| b > d) {
                counts[k][0] += 1;
                continue;
            }
            // Purchases in (d - window, d]: their first and last day.
            let hi = purchases.partition_point(|&p| p <= d);
            let lo = window_days.map_or(0, |w| {
                purchases.partition_point(|&p| p <= d.saturating_sub(w as i32))
            });
            let (first, last) = if lo < hi {
                (Some(purchases[lo]), Some(purchases[hi - 1]))
            } else {
                (None, None)
            };
            counts[k][1 + stage_of(first, last, d, lifecycle) as usize] += 1;
        }
    }
    StageTrend {
        period: period.name().to_string(),
        points: dates
            .iter()
            .zip(counts)
            .map(|(&d, c)| TrendPoint {
                date: format_day(d),
                not_yet: c[0],
                prospect: c[1],
                new: c[2],
                active: c[3],
                dormant: c[4],
                churned: c[5],
            })
            .collect(),
    }
}
