//! Orders over time: purchases, refunds and net revenue per calendar period, members' and
//! guests' apart, for the overview chart.

use super::cohort::Period;
use crate::dataset::Dataset;
use crate::load::coerce::format_day;
use serde::Serialize;
use std::collections::BTreeMap;

/// One calendar period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TimelinePoint {
    /// `2024-03`, `2024-W09` or `2024-Q1`.
    pub period: String,
    /// First day of the period.
    pub start: String,
    /// Purchases (amount > 0) by members.
    pub member_purchases: u64,
    /// Purchases by guests.
    pub guest_purchases: u64,
    /// Net amount (refunds included) of members' orders, in cents.
    pub member_net_cents: i64,
    /// Net amount of guests' orders, in cents.
    pub guest_net_cents: i64,
    /// Members with a purchase in the period.
    pub buyers: u64,
}

/// Orders over time, as `lab.timeline()` returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "TimelineResult")
)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// The reference date.
    pub as_of: String,
    /// `month`, `week` or `quarter`.
    pub period: String,
    /// One point per period, oldest first.
    pub points: Vec<TimelinePoint>,
}

/// Every period from the first order to `as_of` (periods without orders included), counting
/// orders dated on or before `as_of`.
pub fn timeline(ds: &Dataset, as_of: i32, period: Period) -> Vec<TimelinePoint> {
    let mut points: BTreeMap<i32, TimelinePoint> = BTreeMap::new();
    let o = &ds.orders;
    for m in 0..ds.len() as u32 {
        let mut last_index = None;
        for i in o.range(m) {
            let (day, cents) = (o.day[i], o.cents[i]);
            if day > as_of {
                continue;
            }
            let k = period.index(day);
            let p = points.entry(k).or_default();
            p.member_net_cents += cents;
            if cents > 0 {
                p.member_purchases += 1;
                // Orders are sorted by day within a member: one buyer count per period.
                if last_index != Some(k) {
                    p.buyers += 1;
                    last_index = Some(k);
                }
            }
        }
    }
    for (&day, &cents) in ds.guests.day.iter().zip(&ds.guests.cents) {
        if day > as_of {
            continue;
        }
        let p = points.entry(period.index(day)).or_default();
        p.guest_net_cents += cents;
        p.guest_purchases += u64::from(cents > 0);
    }
    let (Some(&first), Some(_)) = (points.keys().next(), points.keys().last()) else {
        return Vec::new();
    };
    (first..=period.index(as_of))
        .map(|k| {
            let mut p = points.remove(&k).unwrap_or_default();
            p.period = period.label(k);
            p.start = format_day(period.first_day(k));
            p
        })
        .collect()
}
