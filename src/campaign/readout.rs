//! The readout of SPEC §7: per group (treatment, control), overall and per stratum, the
//! members, converters (a purchase in the window), purchases and net revenue of the orders
//! dated in `[launch, launch + window_days)`, and the lifts of conversion and of revenue per
//! member.

use super::assign::Assignment;
use super::stats::{conversion_lift, revenue_lift, Lift, RevenueLift};
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

/// A group's numbers from its members' outcomes.
fn group(outcomes: &[Outcome]) -> Group {
    let n = outcomes.len() as u64;
    let converters = outcomes.iter().filter(|o| o.purchases > 0).count() as u64;
    let cents: i64 = outcomes.iter().map(|o| o.cents).sum();
    let revenue = cents as f64 / 100.0;
    Group {
        members: n,
        converters,
        purchases: outcomes.iter().map(|o| u64::from(o.purchases)).sum(),
        revenue,
        conversion: (n > 0).then(|| converters as f64 / n as f64),
        revenue_per_member: (n > 0).then(|| revenue / n as f64),
    }
}

/// The groups and lifts of treatment and control outcomes.
pub fn result(t: &[Outcome], c: &[Outcome]) -> GroupsResult {
    let (treatment, control) = (group(t), group(c));
    let money =
        |xs: &[Outcome]| -> Vec<f64> { xs.iter().map(|o| o.cents as f64 / 100.0).collect() };
    GroupsResult {
        conversion_lift: conversion_lift(
            treatment.converters,
            treatment.members,
            control.converters,
            control.members,
        ),
        revenue_lift: revenue_lift(&money(t), &money(c)),
        treatment,
        control,
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
    let (mut all_t, mut all_c) = (Vec::new(), Vec::new());
    let mut strata = Vec::new();
    for (s, members) in groups.strata.iter().zip(&groups.members) {
        let outcomes: Vec<Outcome> = members.iter().map(|&m| outcome(ds, m, from, to)).collect();
        let (c, t) = outcomes.split_at(s.control as usize);
        if stratified {
            strata.push(StratumResult {
                stratum: s.stratum.clone(),
                result: result(t, c),
            });
        }
        all_t.extend_from_slice(t);
        all_c.extend_from_slice(c);
    }
    (result(&all_t, &all_c), strata)
}
