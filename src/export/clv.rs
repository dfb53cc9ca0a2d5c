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

/// The columns `audience-lab clv --holdout` adds: the member's transaction days in the
/// holdout after the calibration end and the expected purchases over it by BG/NBD and by
/// MBG/NBD.
pub const HOLDOUT_COLUMNS: &[&str] = &[
    "frequency_holdout",
    "expected_holdout",
    "expected_holdout_mbgnbd",
];

/// The CSV of `audience-lab clv`: [`COLUMNS`] (and with `holdout` [`HOLDOUT_COLUMNS`], empty
/// when the calibration end is the last order day), one row per member with a transaction by
/// the calibration end, sorted by member id.
pub fn clv_csv(clv: &Clv, ds: &Dataset, holdout: bool) -> Result<Vec<u8>> {
    let mut rows: Vec<(u32, &MemberClv)> = clv
        .members
        .iter()
        .enumerate()
        .filter_map(|(m, c)| c.as_ref().map(|c| (m as u32, c)))
        .collect();
    rows.sort_unstable_by(|a, b| ds.id(a.0).as_bytes().cmp(ds.id(b.0).as_bytes()));
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if holdout {
        headers.extend(HOLDOUT_COLUMNS.iter().map(|c| c.to_string()));
    }
    let num = |v: f64| Cell::Value(v.to_string());
    let rows = rows.into_iter().map(move |(m, c)| {
        let mut row = vec![
            Cell::Text(ds.id(m).to_string()),
            Cell::Value(c.frequency.to_string()),
            num(c.recency),
            num(c.t),
            num(c.monetary_value),
            num(c.p_alive),
            num(c.expected_purchases_90d),
            num(c.clv),
        ];
        if holdout {
            match c.holdout {
                Some((days, bg, mbg)) => {
                    row.push(Cell::Value(days.to_string()));
                    row.push(num(bg));
                    row.push(num(mbg));
                }
                None => row.extend((0..3).map(|_| Cell::Value(String::new()))),
            }
        }
        row
    });
    write_csv(&headers, rows, false)
}
