//! The per-member base every metric reads: one pass over each member's orders.

use crate::dataset::Dataset;

/// Per-member values over the orders dated in the window `(start, as_of]`, indexed by member.
#[derive(Debug, Clone, Default)]
pub struct MemberBase {
    /// The reference day.
    pub as_of: i32,
    /// The first counted day minus one (`i32::MIN` when there is no window).
    pub start: i32,
    /// Purchases (orders with amount > 0).
    pub frequency: Vec<u32>,
    /// Net amount in cents, refunds included.
    pub monetary: Vec<i64>,
    /// Sum of purchase amounts in cents (refunds excluded).
    pub gross: Vec<i64>,
    /// Day of the first purchase.
    pub first: Vec<Option<i32>>,
    /// Day of the last purchase.
    pub last: Vec<Option<i32>>,
    /// Purchases with a discount amount > 0.
    pub discounted: Vec<u32>,
}

impl MemberBase {
    /// Computes the base for `as_of` and an optional window of `window_days`.
    pub fn compute(ds: &Dataset, as_of: i32, window_days: Option<u32>) -> Self {
        let n = ds.len();
        let start = window_days.map_or(i32::MIN, |w| as_of.saturating_sub(w as i32));
        let mut b = MemberBase {
            as_of,
            start,
            frequency: vec![0; n],
            monetary: vec![0; n],
            gross: vec![0; n],
            first: vec![None; n],
            last: vec![None; n],
            discounted: vec![0; n],
        };
        if !ds.has_orders {
            return b;
        }
        let o = &ds.orders;
        for m in 0..n {
            let (mut f, mut net, mut gross, mut disc) = (0u32, 0i64, 0i64, 0u32);
            let (mut first, mut last) = (None, None);
            for i in o.range(m as u32) {
                let day = o.day[i];
                if day <= start || day > as_of {
                    continue;
                }
                let cents = o.cents[i];
                net += cents;
                if cents > 0 {
                    f += 1;
                    gross += cents;
                    disc += u32::from(o.discount[i] > 0);
                    // Orders are sorted by day within a member.
                    first.get_or_insert(day);
                    last = Some(day);
                }
            }
            b.frequency[m] = f;
            b.monetary[m] = net;
            b.gross[m] = gross;
            b.first[m] = first;
            b.last[m] = last;
            b.discounted[m] = disc;
        }
        b
    }

    /// Days since the last purchase.
    pub fn recency(&self, m: usize) -> Option<i32> {
        self.last[m].map(|d| self.as_of - d)
    }
}
