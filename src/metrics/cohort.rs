//! Cohorts (SPEC §2): members grouped by the calendar month, ISO week or quarter of their
//! first purchase (or of their join date), and per period index k >= 0 the members active in
//! period c + k, retention, churn and net revenue.
//!
//! Labels: `2024-03` (month), `2024-W09` (ISO week: ISO year and week number, weeks start on
//! Monday), `2024-Q1` (quarter). The period index k counts whole periods from the cohort's
//! own period (k = 0) to the period that contains `as_of`, which is the last one listed; it
//! is flagged partial unless `as_of` is its last day.

use super::base::MemberBase;
use super::lifecycle::join_days;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::load::coerce::{day_from_ymd, format_cents, format_day, ymd_from_day};
use chrono::Datelike;
use serde::Serialize;

/// The cohort periods with their labels.
pub const PERIODS: [crate::text::Word; 3] = [
    crate::text::Word::new("month", "Month", "月"),
    crate::text::Word::new("week", "ISO week", "周（ISO）"),
    crate::text::Word::new("quarter", "Quarter", "季度"),
];

/// What a cohort is formed by, with labels.
pub const COHORT_BY: [crate::text::Word; 2] = [
    crate::text::Word::new("first_purchase", "First purchase", "首次购买"),
    crate::text::Word::new("join_date", "Join date", "入会日期"),
];

/// The length of a cohort period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// Calendar month.
    #[default]
    Month,
    /// ISO week (Monday to Sunday).
    Week,
    /// Calendar quarter.
    Quarter,
}

impl Period {
    /// Parses `month`, `week` or `quarter`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "month" => Ok(Period::Month),
            "week" => Ok(Period::Week),
            "quarter" => Ok(Period::Quarter),
            other => Err(Error::option(format!(
                "cohort period \"{other}\": expected month, week or quarter"
            ))),
        }
    }

    /// The name.
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Week => "week",
            Period::Quarter => "quarter",
        }
    }

    /// The running number of the period containing `day` (consecutive periods differ by 1).
    pub fn index(self, day: i32) -> i32 {
        match self {
            // 1970-01-05 (day 4) is a Monday.
            Period::Week => (day - 4).div_euclid(7),
            Period::Month | Period::Quarter => {
                let d = ymd_from_day(day);
                let month = d.year() * 12 + d.month0() as i32;
                if self == Period::Month {
                    month
                } else {
                    month.div_euclid(3)
                }
            }
        }
    }

    /// The first day of period `index`.
    pub fn first_day(self, index: i32) -> i32 {
        match self {
            Period::Week => index * 7 + 4,
            Period::Month | Period::Quarter => {
                let month = if self == Period::Month {
                    index
                } else {
                    index * 3
                };
                let (y, m0) = (month.div_euclid(12), month.rem_euclid(12));
                day_from_ymd(y, m0 as u32 + 1, 1).unwrap_or(0)
            }
        }
    }

    /// The label of period `index`: `2024-03`, `2024-W09` or `2024-Q1`.
    pub fn label(self, index: i32) -> String {
        match self {
            Period::Month => format!("{}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1),
            Period::Quarter => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Period::Week => {
                let w = ymd_from_day(self.first_day(index)).iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        }
    }
}

/// What puts a member in a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CohortBy {
    /// The day of the first purchase (within the window, on or before `as_of`).
    #[default]
    FirstPurchase,
    /// The join date of the members table.
    JoinDate,
}

impl CohortBy {
    /// Parses `first_purchase` or `join_date`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "first_purchase" => Ok(CohortBy::FirstPurchase),
            "join_date" => Ok(CohortBy::JoinDate),
            other => Err(Error::option(format!(
                "cohort by \"{other}\": expected first_purchase or join_date"
            ))),
        }
    }

    /// The name.
    pub fn name(self) -> &'static str {
        match self {
            CohortBy::FirstPurchase => "first_purchase",
            CohortBy::JoinDate => "join_date",
        }
    }
}

/// Cohort options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CohortOptions {
    /// Period length.
    pub period: Period,
    /// Cohort by first purchase or by join date.
    pub by: CohortBy,
}

/// One cohort and period index.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CohortRow {
    /// The cohort's label (`2024-03`, `2024-W09`, `2024-Q1`).
    pub cohort: String,
    /// The period index k (0 = the cohort's own period).
    pub period: u32,
    /// The first day of period c + k.
    pub period_start: String,
    /// Members of the cohort.
    pub size: u64,
    /// Members of the cohort with a purchase in period c + k.
    pub active: u64,
    /// `active / size`.
    pub retention: f64,
    /// `1 - retention`.
    pub churn: f64,
    /// Net amount (refunds included) of the cohort's orders dated in period c + k, in cents.
    pub revenue_cents: i64,
    /// The same in currency units.
    pub revenue: f64,
    /// Whether period c + k is the period of `as_of` and `as_of` is not its last day.
    pub partial: bool,
}

/// The cohort table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CohortResult")
)]
#[serde(rename_all = "camelCase")]
pub struct CohortTable {
    /// The reference date.
    pub as_of: String,
    /// `month`, `week` or `quarter`.
    pub period: &'static str,
    /// `first_purchase` or `join_date`.
    pub by: &'static str,
    /// Number of cohorts.
    pub cohorts: u64,
    /// Members in some cohort.
    pub members: u64,
    /// Members in no cohort (no purchase, or no join date / joined after `as_of`).
    pub without_cohort: u64,
    /// Rows ordered by cohort then period index.
    pub rows: Vec<CohortRow>,
}

struct Acc {
    size: u64,
    active: Vec<u64>,
    revenue: Vec<i64>,
}

/// Period indices of a range of days, looked up instead of recomputed per order.
struct Indexer {
    period: Period,
    lo: i32,
    table: Vec<i32>,
}

impl Indexer {
    fn new(period: Period, lo: i32, hi: i32) -> Self {
        let table = if hi >= lo && i64::from(hi) - i64::from(lo) < 200_000 {
            (lo..=hi).map(|d| period.index(d)).collect()
        } else {
            Vec::new()
        };
        Indexer { period, lo, table }
    }

    #[inline]
    fn get(&self, day: i32) -> i32 {
        // Days before `lo` wrap around to large offsets and are computed.
        match self.table.get(day.wrapping_sub(self.lo) as u32 as usize) {
            Some(&p) => p,
            None => self.period.index(day),
        }
    }
}

/// Computes the cohort table over the orders in the base's window.
pub fn cohorts(ds: &Dataset, base: &MemberBase, opts: &CohortOptions) -> Result<CohortTable> {
    let (as_of, start) = (base.as_of, base.start);
    let p = opts.period;
    let joined = match opts.by {
        CohortBy::JoinDate => {
            if !ds.attrs.contains_key("join_day") {
                return Err(Error::no_data(
                    "cohorts by join date need a members table with a join date column",
                ));
            }
            join_days(ds, as_of)
        }
        CohortBy::FirstPurchase => Vec::new(),
    };
    let cohort_day = |m: usize| match opts.by {
        CohortBy::FirstPurchase => base.first[m],
        CohortBy::JoinDate => joined[m].filter(|&d| d >= 0).map(|d| as_of - d),
    };
    // A lower bound of the days looked up (other days are computed, not looked up).
    let lo = ds
        .orders
        .earliest_day
        .unwrap_or(as_of)
        .max(start.saturating_add(1))
        .min(as_of);
    let idx = Indexer::new(p, lo, as_of);
    let last = p.index(as_of);
    let partial = p.index(as_of.saturating_add(1)) == last;
    let n = ds.len();
    let member_cohort: Vec<Option<i32>> =
        (0..n).map(|m| cohort_day(m).map(|d| idx.get(d))).collect();
    let Some(first) = member_cohort.iter().flatten().min().copied() else {
        return Ok(CohortTable {
            as_of: format_day(as_of),
            period: p.name(),
            by: opts.by.name(),
            cohorts: 0,
            members: 0,
            without_cohort: n as u64,
            rows: Vec::new(),
        });
    };
    let mut accs: Vec<Acc> = (first..=last)
        .map(|c| {
            let len = (last - c + 1) as usize;
            Acc {
                size: 0,
                active: vec![0; len],
                revenue: vec![0; len],
            }
        })
        .collect();
    let o = &ds.orders;
    for (m, c) in member_cohort.iter().enumerate() {
        let Some(c) = *c else { continue };
        let acc = &mut accs[(c - first) as usize];
        acc.size += 1;
        let mut counted = -1i32;
        let range = o.range(m as u32);
        for (&day, &cents) in o.day[range.clone()].iter().zip(&o.cents[range]) {
            // Orders are sorted by day within a member.
            if day > as_of {
                break;
            }
            if day <= start {
                continue;
            }
            let k = idx.get(day) - c;
            if k < 0 {
                // A join-date cohort does not count orders of periods before the join's.
                continue;
            }
            acc.revenue[k as usize] += cents;
            // k never decreases within a member.
            if cents > 0 && k != counted {
                acc.active[k as usize] += 1;
                counted = k;
            }
        }
    }
    let mut rows = Vec::new();
    let (mut cohorts, mut members) = (0u64, 0u64);
    for (ci, acc) in accs.iter().enumerate() {
        if acc.size == 0 {
            continue;
        }
        cohorts += 1;
        members += acc.size;
        let c = first + ci as i32;
        let label = p.label(c);
        for k in 0..acc.active.len() {
            let retention = acc.active[k] as f64 / acc.size as f64;
            rows.push(CohortRow {
                cohort: label.clone(),
                period: k as u32,
                period_start: format_day(p.first_day(c + k as i32)),
                size: acc.size,
                active: acc.active[k],
                retention,
                churn: 1.0 - retention,
                revenue_cents: acc.revenue[k],
                revenue: acc.revenue[k] as f64 / 100.0,
                partial: partial && c + k as i32 == last,
            });
        }
    }
    Ok(CohortTable {
        as_of: format_day(as_of),
        period: p.name(),
        by: opts.by.name(),
        cohorts,
        members,
        without_cohort: n as u64 - members,
        rows,
    })
}

impl CohortTable {
    /// The CLI's CSV: `cohort,period,size,active,retention,revenue` (revenue net, in
    /// currency units with two decimals; retention with full precision).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::from("cohort,period,size,active,retention,revenue\n");
        for r in &self.rows {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                r.cohort,
                r.period,
                r.size,
                r.active,
                r.retention,
                format_cents(r.revenue_cents)
            ));
        }
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::coerce::parse_date;

    fn day(s: &str) -> i32 {
        parse_date(s).expect("date")
    }

    #[test]
    fn labels_follow_calendar_and_iso_weeks() {
        let p = Period::Week;
        // 2021-01-03 is a Sunday in ISO week 2020-W53; 2021-01-04 starts 2021-W01.
        assert_eq!(p.label(p.index(day("2021-01-03"))), "2020-W53");
        assert_eq!(p.label(p.index(day("2021-01-04"))), "2021-W01");
        assert_eq!(p.index(day("2021-01-04")) - p.index(day("2021-01-03")), 1);
        assert_eq!(
            format_day(p.first_day(p.index(day("2024-02-29")))),
            "2024-02-26"
        );
        let m = Period::Month;
        assert_eq!(m.label(m.index(day("2024-03-31"))), "2024-03");
        assert_eq!(m.index(day("2025-01-01")) - m.index(day("2024-12-31")), 1);
        assert_eq!(
            format_day(m.first_day(m.index(day("2024-03-31")))),
            "2024-03-01"
        );
        let q = Period::Quarter;
        assert_eq!(q.label(q.index(day("2024-06-30"))), "2024-Q2");
        assert_eq!(q.label(q.index(day("2024-07-01"))), "2024-Q3");
        assert_eq!(
            format_day(q.first_day(q.index(day("2024-08-15")))),
            "2024-07-01"
        );
        assert_eq!(q.label(q.index(day("1969-12-31"))), "1969-Q4");
    }
}
