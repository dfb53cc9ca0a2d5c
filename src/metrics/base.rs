//! The per-member base every metric reads: one pass over each member's orders.

use crate::dataset::Dataset;

/// Days in the annual contribution's range (the 365 days ending at `as_of`).
pub const ANNUAL_DAYS: i32 = 365;

/// Per-member values over the orders dated in the window `(start, as_of]`, indexed by member.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Distinct days with a purchase (the repurchase cycle's denominator is this minus one).
    pub purchase_days: Vec<u32>,
    /// Sum of the items of the member's purchases (0 without an items column).
    pub items: Vec<i64>,
    /// Totals over all members and guests, gathered in the same pass (the overall KPIs).
    pub totals: Totals,
}

/// Totals gathered while the base is computed, so that the overall KPIs need no pass over
/// the orders of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the items of the member purchases in the window.
    pub items: i64,
    /// Net amount of the member orders dated in the [`ANNUAL_DAYS`] ending at `as_of`
    /// (whatever the window).
    pub annual_net: i64,
    /// Members with a purchase in those days.
    pub annual_buyers: u64,
    /// Guest purchases in the window.
    pub guest_purchases: u64,
    /// Sum of their amounts, in cents.
    pub guest_amount: i64,
    /// Sum of their items.
    pub guest_items: i64,
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
            purchase_days: vec![0; n],
            items: vec![0; n],
            totals: Totals::default(),
        };
        if !ds.has_orders {
            return b;
        }
        let annual_start = as_of.saturating_sub(ANNUAL_DAYS);
        let o = &ds.orders;
        let mut t = Totals::default();
        for m in 0..n {
            let (mut f, mut net, mut gross, mut disc) = (0u32, 0i64, 0i64, 0u32);
            let (mut pdays, mut member_items) = (0u32, 0i64);
            let (mut first, mut last) = (None, None);
            let mut annual = false;
            let range = o.range(m as u32);
            let (days, cents) = (&o.day[range.clone()], &o.cents[range.clone()]);
            let (items, discounted) = (&o.items[range.clone()], &o.discounted[range]);
            for (i, (&day, &cents)) in days.iter().zip(cents).enumerate() {
                // Orders are sorted by day within a member.
                if day > as_of {
                    break;
                }
                if day > annual_start {
                    t.annual_net += cents;
                    annual |= cents > 0;
                }
                if day <= start {
                    continue;
                }
                net += cents;
                if cents > 0 {
                    f += 1;
                    gross += cents;
                    disc += u32::from(discounted[i]);
                    member_items += items[i];
                    first.get_or_insert(day);
                    // Days come sorted, so a new purchase day differs from the last one.
                    pdays += u32::from(last != Some(day));
                    last = Some(day);
                }
            }
            t.annual_buyers += u64::from(annual);
            b.frequency[m] = f;
            b.monetary[m] = net;
            b.gross[m] = gross;
            b.first[m] = first;
            b.last[m] = last;
            b.discounted[m] = disc;
            b.purchase_days[m] = pdays;
            b.items[m] = member_items;
            t.items += member_items;
        }
        let g = &ds.guests;
        for ((&day, &cents), &items) in g.day.iter().zip(&g.cents).zip(&g.items) {
            if day > start && day <= as_of && cents > 0 {
                t.guest_purchases += 1;
                t.guest_amount += cents;
                t.guest_items += items;
            }
        }
        b.totals = t;
        b
    }

    /// Days since the last purchase.
    pub fn recency(&self, m: usize) -> Option<i32> {
        self.last[m].map(|d| self.as_of - d)
    }
}
