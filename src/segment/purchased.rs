//! The `purchased` node: one pass over each member's orders (CSR, sorted by day) counting
//! the purchases and the net amount of the orders that match the `where` lists and the
//! period. `where` values are resolved to dictionary codes once, as a mask per column.

use super::ast::Period;
use super::leaves::select;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use std::collections::BTreeMap;

/// The body of a `purchased` node.
#[derive(Debug, Clone, Copy)]
pub struct Purchased<'a> {
    /// Order column → accepted values.
    pub filter: &'a BTreeMap<String, Vec<String>>,
    /// The period.
    pub period: &'a Period,
    /// Minimum number of matching purchases (amount > 0).
    pub min_count: u32,
    /// Minimum net amount of the matching orders in cents (refunds subtract).
    pub min_amount: Option<i64>,
}

/// The first and last day counted: `(as_of - n, as_of]`, both dates of `between` (not past
/// `as_of`), or everything up to `as_of`.
pub fn day_range(period: &Period, as_of: i32) -> (i32, i32) {
    match *period {
        Period::WithinDays(d) => (as_of.saturating_sub(d as i32) + 1, as_of),
        Period::Between(a, b) => (a, b.min(as_of)),
        Period::UpToAsOf => (i32::MIN, as_of),
    }
}

/// The order column a `where` key names: a field name or the header of a role column.
pub fn order_field<'a>(ds: &'a Dataset, col: &'a str) -> Option<&'a str> {
    if ds.orders.dims.contains_key(col) {
        return Some(col);
    }
    ds.aliases
        .get(col)
        .map(String::as_str)
        .filter(|f| ds.orders.dims.contains_key(*f))
}

/// Members with at least `min_count` matching purchases and, when given, a net amount of at
/// least `min_amount` over the matching orders.
pub fn purchased(ds: &Dataset, as_of: i32, p: &Purchased, path: &str) -> Result<RoaringBitmap> {
    let o = &ds.orders;
    let mut columns: Vec<(&crate::dataset::Dict, Vec<bool>)> = Vec::new();
    for (col, values) in p.filter {
        let Some(dict) = order_field(ds, col).and_then(|f| o.dims.get(f)) else {
            return Err(Error::rule(format!(
                "{path}.where.{col}: unknown order column \"{col}\"{}",
                did_you_mean(col, o.dims.keys().map(String::as_str))
            )));
        };
        let mut mask = vec![false; dict.values.len()];
        for (i, v) in values.iter().enumerate() {
            let Some(code) = dict.code(v) else {
                return Err(Error::rule(format!(
                    "{path}.where.{col}[{i}]: no order has {col} \"{v}\"{}",
                    did_you_mean(v, dict.values.iter())
                )));
            };
            mask[code as usize] = true;
        }
        columns.push((dict, mask));
    }
    if p.min_count == 0 && p.min_amount.is_none() {
        return Ok(ds.all_members());
    }
    let (lo, hi) = day_range(p.period, as_of);
    let need_amount = p.min_amount.is_some();
    Ok(select(ds.len(), |m| {
        let r = o.range(m as u32);
        let days = &o.day[r.clone()];
        // Orders are sorted by day within a member: find the period by binary search.
        let start = r.start + days.partition_point(|&d| d < lo);
        let end = r.start + days.partition_point(|&d| d <= hi);
        let (mut count, mut net) = (0u32, 0i64);
        for i in start..end {
            if !columns.iter().all(|(dict, mask)| dict.any_in(i, mask)) {
                continue;
            }
            let cents = o.cents[i];
            net += cents;
            count += u32::from(cents > 0);
            if !need_amount && count >= p.min_count {
                return true;
            }
        }
        count >= p.min_count && p.min_amount.is_none_or(|a| net >= a)
    }))
}
