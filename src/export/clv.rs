//! The per-member table of `audience-lab clv` (SPEC §5) as CSV.

use super::columns::Cell;
use super::csv::write_csv;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::metrics::clv::{Clv, MemberClv};

/// The CSV columns of `audience-lab clv` (SPEC §5).
pub const COLUMNS: &[&str] = &[
    "member_id",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "p_alive",
    "expected_purchases_90d",
    "clv",
];

/// The CSV of `audience-lab clv`: [`COLUMNS`], one row per member with a transaction by the
/// calibration end, sorted by member id.
pub fn clv_csv(clv: &Clv, ds: &Dataset) -> Result<Vec<u8>> {
    let mut rows: Vec<(u32, &MemberClv)> = clv
        .members
        .iter()
        .enumerate()
        .filter_map(|(m, c)| c.as_ref().map(|c| (m as u32, c)))
        .collect();
    rows.sort_unstable_by(|a, b| ds.id(a.0).as_bytes().cmp(ds.id(b.0).as_bytes()));
    let headers: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let num = |v: f64| Cell::Value(v.to_string());
    let rows = rows.into_iter().map(|(m, c)| {
        vec![
            Cell::Text(ds.id(m).to_string()),
            Cell::Value(c.frequency.to_string()),
            num(c.recency),
            num(c.t),
            num(c.monetary_value),
            num(c.p_alive),
            num(c.expected_purchases_90d),
            num(c.clv),
        ]
    });
    write_csv(&headers, rows, false)
}
