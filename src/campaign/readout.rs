//! The readout of SPEC §7: per group (treatment, control), overall and per stratum, the
//! members, converters (a purchase in the window), purchases and net revenue of the orders
//! dated in `[launch, launch + window_days)`, and the lifts of conversion and of revenue per
//! member.

use super::assign::Assignment;
use super::stats::{conversion_lift, mean_interval, revenue_lift_of, Lift, Moments, RevenueLift};
use crate::dataset::Dataset;
use serde::Serialize;

/// One group's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CampaignGroup")
)]
pub struct Group {
    /// Members.
    pub members: u64,
    /// Members with a purchase (amount > 0) in the window.
    pub converters: u64,
    /// Purchases in the window.
    pub purchases: u64,
    /// Net amount of the orders in the window (refunds subtract), in currency units.
    pub revenue: f64,
    /// `converters / members` (`null` without members).
    pub conversion: Option<f64>,
    /// `revenue / members` (`null` without members).
    pub revenue_per_member: Option<f64>,
}

/// The two groups and the lifts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CampaignResult")
)]
pub struct GroupsResult {
    /// The treatment group.
    pub treatment: Group,
    /// The control group.
    pub control: Group,
    /// The lift of conversion (z test).
    pub conversion_lift: Lift,
    /// The lift of revenue per member (Welch's t) and the incremental revenue.
    pub revenue_lift: RevenueLift,
}

/// One stratum's readout.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CampaignStratumResult")
)]
pub struct StratumResult {
    /// The stratum's value (`null`: members without one).
    pub stratum: Option<String>,
    /// Its groups and lifts.
    #[serde(flatten)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(flatten))]
    pub result: GroupsResult,
}

/// Each member's outcome in the window.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Purchases (amount > 0).
    pub purchases: u32,
    /// Net amount in cents.
    pub cents: i64,
}

/// Member `m`'s outcome over `[from, to)`.
pub fn outcome(ds: &Dataset, m: u32, from: i32, to: i32) -> Outcome {
    let o = &ds.orders;
    let r = o.range(m);
    let days = &o.day[r.clone()];
    let lo = r.start + days.partition_point(|&d| d < from);
    let hi = r.start + days.partition_point(|&d| d < to);
    let cents = &o.cents[lo..hi];
    Outcome {
        purchases: cents.iter().filter(|&&c| c > 0).count() as u32,
        cents: cents.iter().sum(),
    }
}

/// One group's outcomes summed: members, converters, purchases, net cents, and the mean and
/// the sum of squared deviations of the members' revenue in currency units (Welford), so that
/// groups merge across strata (Chan et al.) without keeping each member's value.
#[derive(Debug, Clone, Copy, Default)]
struct Agg {
    n: u64,
    converters: u64,
    purchases: u64,
    cents: i64,
    mean: f64,
    m2: f64,
}

impl Agg {
    fn push(&mut self, o: Outcome) {
        self.n += 1;
        self.converters += u64::from(o.purchases > 0);
        self.purchases += u64::from(o.purchases);
        self.cents += o.cents;
        let x = o.cents as f64 / 100.0;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    fn merge(self, o: Agg) -> Agg {
        if self.n == 0 {
            return o;
        }
        if o.n == 0 {
            return self;
        }
        let n = self.n + o.n;
        let delta = o.mean - self.mean;
        Agg {
            n,
            converters: self.converters + o.converters,
            purchases: self.purchases + o.purchases,
            cents: self.cents + o.cents,
            mean: self.mean + delta * o.n as f64 / n as f64,
            m2: self.m2 + o.m2 + delta * delta * self.n as f64 * o.n as f64 / n as f64,
        }
    }

    fn group(&self) -> Group {
        let n = self.n;
        let revenue = self.cents as f64 / 100.0;
        Group {
            members: n,
            converters: self.converters,
            purchases: self.purchases,
            revenue,
            conversion: (n > 0).then(|| self.converters as f64 / n as f64),
            revenue_per_member: (n > 0).then(|| revenue / n as f64),
        }
    }

    fn moments(&self) -> Moments {
        Moments {
            n: self.n,
            mean: self.mean,
            var: if self.n > 1 {
                self.m2 / (self.n - 1) as f64
            } else {
                0.0
            },
        }
    }
}

/// The groups and lifts of two summed groups.
fn result_of(t: Agg, c: Agg) -> GroupsResult {
    GroupsResult {
        conversion_lift: conversion_lift(t.converters, t.n, c.converters, c.n),
        revenue_lift: revenue_lift_of(t.moments(), c.moments()),
        treatment: t.group(),
        control: c.group(),
    }
}

/// The overall result and, when `stratified`, each stratum's, over `[from, to)`.
pub fn results(
    ds: &Dataset,
    groups: &Assignment,
    stratified: bool,
    from: i32,
    to: i32,
) -> (GroupsResult, Vec<StratumResult>) {
    let (mut all_t, mut all_c) = (Agg::default(), Agg::default());
    let mut strata = Vec::new();
    for (s, members) in groups.strata.iter().zip(&groups.members) {
        let (held, treated) = members.split_at(s.control as usize);
        let sum = |ms: &[u32]| {
            ms.iter().fold(Agg::default(), |mut a, &m| {
                a.push(outcome(ds, m, from, to));
                a
            })
        };
        let (t, c) = (sum(treated), sum(held));
        if stratified {
            strata.push(StratumResult {
                stratum: s.stratum.clone(),
                result: result_of(t, c),
            });
        }
        all_t = all_t.merge(t);
        all_c = all_c.merge(c);
    }
    (result_of(all_t, all_c), strata)
}

/// The readout cumulated up to one day of the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CampaignDay")
)]
pub struct Day {
    /// Days since launch, 1 for the launch day: the numbers count `[launch, launch + day)`.
    pub day: u32,
    /// The last date counted.
    pub date: String,
    /// The treatment group's conversion so far.
    pub treatment_conversion: Option<f64>,
    /// The control group's conversion so far.
    pub control_conversion: Option<f64>,
    /// The treatment group's revenue per member so far.
    pub treatment_revenue_per_member: Option<f64>,
    /// The control group's revenue per member so far.
    pub control_revenue_per_member: Option<f64>,
    /// The 95% interval of the treatment group's revenue per member so far.
    pub treatment_revenue_interval: Option<[f64; 2]>,
    /// The 95% interval of the control group's revenue per member so far.
    pub control_revenue_interval: Option<[f64; 2]>,
    /// The lift of conversion so far.
    pub conversion_lift: Lift,
    /// The lift of revenue per member so far.
    pub revenue_lift: RevenueLift,
}

/// One group's cumulative numbers by day: converters, and the sum and sum of squares of the
/// members' revenue (currency units), for each of `days` days from `from`.
struct Cumulative {
    n: u64,
    converters: Vec<u64>,
    sum: Vec<f64>,
    squares: Vec<f64>,
}

impl Cumulative {
    fn of(ds: &Dataset, members: &[u32], from: i32, days: u32) -> Cumulative {
        let w = days as usize;
        // Per day: members converting (first purchase that day), revenue changes, and the
        // change of the sum of squares (a member's square holds from one order day to the next).
        let (mut first, mut delta, mut sq) =
            (vec![0u64; w + 1], vec![0f64; w + 1], vec![0f64; w + 1]);
        let o = &ds.orders;
        for &m in members {
            let r = o.range(m);
            let day = &o.day[r.clone()];
            let lo = r.start + day.partition_point(|&d| d < from);
            let hi = r.start + day.partition_point(|&d| d < from + days as i32);
            let (mut x, mut converted) = (0i64, false);
            let mut i = lo;
            while i < hi {
                let d = (o.day[i] - from) as usize;
                let before = x as f64 / 100.0;
                while i < hi && (o.day[i] - from) as usize == d {
                    x += o.cents[i];
                    if o.cents[i] > 0 && !converted {
                        converted = true;
                        first[d] += 1;
                    }
                    i += 1;
                }
                let after = x as f64 / 100.0;
                delta[d] += after - before;
                sq[d] += after * after - before * before;
            }
        }
        let scan = |v: &[f64]| -> Vec<f64> {
            v.iter()
                .scan(0.0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        };
        Cumulative {
            n: members.len() as u64,
            converters: first
                .iter()
                .scan(0u64, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect(),
            sum: scan(&delta),
            squares: scan(&sq),
        }
    }

    fn moments(&self, d: usize) -> Moments {
        let n = self.n as f64;
        let mean = if self.n > 0 { self.sum[d] / n } else { 0.0 };
        let var = if self.n > 1 {
            (self.squares[d] - n * mean * mean) / (n - 1.0)
        } else {
            0.0
        };
        Moments {
            n: self.n,
            mean,
            var,
        }
    }
}

/// The overall readout cumulated day by day over the first `days` days from `from`
/// (members pooled over the strata), for the chart of the lift as it builds up.
pub fn daily(ds: &Dataset, groups: &Assignment, from: i32, days: u32) -> Vec<Day> {
    let (mut t, mut c) = (Vec::new(), Vec::new());
    for (s, members) in groups.strata.iter().zip(&groups.members) {
        let (held, treated) = members.split_at(s.control as usize);
        c.extend_from_slice(held);
        t.extend_from_slice(treated);
    }
    let (ct, cc) = (
        Cumulative::of(ds, &t, from, days),
        Cumulative::of(ds, &c, from, days),
    );
    let share = |k: u64, n: u64| (n > 0).then(|| k as f64 / n as f64);
    (0..days as usize)
        .map(|d| {
            let (mt, mc) = (ct.moments(d), cc.moments(d));
            Day {
                day: d as u32 + 1,
                date: crate::load::coerce::format_day(from + d as i32),
                treatment_conversion: share(ct.converters[d], ct.n),
                control_conversion: share(cc.converters[d], cc.n),
                treatment_revenue_per_member: (ct.n > 0).then_some(mt.mean),
                control_revenue_per_member: (cc.n > 0).then_some(mc.mean),
                treatment_revenue_interval: mean_interval(mt),
                control_revenue_interval: mean_interval(mc),
                conversion_lift: conversion_lift(ct.converters[d], ct.n, cc.converters[d], cc.n),
                revenue_lift: revenue_lift_of(mt, mc),
            }
        })
        .collect()
}
