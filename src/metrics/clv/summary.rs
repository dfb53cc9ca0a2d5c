//! The per-customer summary of the buy-till-you-die models, in the definitions of Python's
//! `lifetimes` (`summary_data_from_transaction_data`): purchases on the same day are one
//! transaction; `frequency` counts the transaction days after the first; `recency` runs from
//! the first to the last transaction day, `T` from the first transaction day to the
//! calibration end; `monetary_value` is the mean of the per-day totals after the first day.

use crate::dataset::Dataset;

/// The time unit of recency and T (and of the fitted α).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    #[default]
    Days,
    /// Weeks of seven days (`days / 7`, as lifetimes' `freq="D", freq_multiplier=7`).
    Weeks,
}

impl Unit {
    /// Parses `days` or `weeks`.
    pub fn parse(s: &str) -> Option<Unit> {
        match s.trim().to_ascii_lowercase().as_str() {
            "days" | "day" | "d" => Some(Unit::Days),
            "weeks" | "week" | "w" => Some(Unit::Weeks),
            _ => None,
        }
    }

    /// `days` or `weeks`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Weeks => "weeks",
        }
    }

    /// Days in one unit.
    pub fn days(self) -> f64 {
        match self {
            Unit::Days => 1.0,
            Unit::Weeks => 7.0,
        }
    }
}

/// One customer's summary, with times in whole days (convert with [`Unit::days`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// Repeat transactions: transaction days after the first.
    pub frequency: u32,
    /// Days from the first to the last transaction day.
    pub recency_days: i32,
    /// Days from the first transaction day to the calibration end.
    pub age_days: i32,
    /// Sum of the amounts of the repeat transaction days, in cents.
    pub repeat_cents: i64,
}

impl Customer {
    /// Mean value of a repeat transaction day in currency units (0 without repeats).
    pub fn monetary_value(&self) -> f64 {
        if self.frequency == 0 {
            0.0
        } else {
            self.repeat_cents as f64 / 100.0 / f64::from(self.frequency)
        }
    }
}

/// Which orders are transactions of the models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The last day counted (the calibration end), included.
    pub end: i32,
    /// Count orders with amount 0 as transactions (purchases of SPEC §2 have amount > 0).
    pub include_zero_amount: bool,
}

impl Selection {
    fn counts(&self, day: i32, cents: i64) -> bool {
        day <= self.end && (cents > 0 || (self.include_zero_amount && cents == 0))
    }
}

/// The summary of every member: `None` for a member without a transaction on or before the
/// calibration end.
pub fn summarize(ds: &Dataset, sel: Selection) -> Vec<Option<Customer>> {
    if !ds.has_orders {
        return vec![None; ds.len()];
    }
    let o = &ds.orders;
    (0..ds.len() as u32)
        .map(|m| {
            let mut first: Option<i32> = None;
            let (mut day_prev, mut freq, mut repeat) = (i32::MIN, 0u32, 0i64);
            // Orders are sorted by day within a member, so equal days are adjacent.
            for i in o.range(m) {
                let (day, cents) = (o.day[i], o.cents[i]);
                if !sel.counts(day, cents) {
                    continue;
                }
                match first {
                    None => first = Some(day),
                    Some(f) if day != f => {
                        repeat += cents;
                        if day != day_prev {
                            freq += 1;
                        }
                    }
                    Some(_) => {}
                }
                day_prev = day;
            }
            first.map(|f| Customer {
                frequency: freq,
                recency_days: day_prev - f,
                age_days: sel.end - f,
                repeat_cents: repeat,
            })
        })
        .collect()
}

/// Every member's transaction days in `(end, last]` (purchases, or every order with
/// `include_zero_amount`): lifetimes' holdout frequency (same-day transactions are one).
pub fn holdout_days(ds: &Dataset, end: i32, last: i32, include_zero_amount: bool) -> Vec<u32> {
    let o = &ds.orders;
    (0..ds.len() as u32)
        .map(|m| {
            let mut prev = i32::MIN;
            let mut n = 0u32;
            for i in o.range(m) {
                let (day, cents) = (o.day[i], o.cents[i]);
                let counts = cents > 0 || (include_zero_amount && cents == 0);
                if counts && day > end && day <= last && day != prev {
                    n += 1;
                    prev = day;
                }
            }
            n
        })
        .collect()
}
