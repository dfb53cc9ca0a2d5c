//! Exports of an audience (SPEC §4): chosen columns, written as files.

pub mod columns;
pub mod csv;

use crate::dataset::Dataset;
use crate::error::Result;
use crate::metrics::Analysis;
use columns::{cell, resolve};
use roaring::RoaringBitmap;

/// The members of `audience` sorted by member id (UTF-8 byte order).
pub fn sorted_members(ds: &Dataset, audience: &RoaringBitmap) -> Vec<u32> {
    let mut members: Vec<u32> = audience.iter().collect();
    members.sort_unstable_by(|&a, &b| ds.id(a).as_bytes().cmp(ds.id(b).as_bytes()));
    members
}

/// An audience as CSV: `member_id` then `columns`, rows sorted by member id. `excel_safe`
/// adds the BOM and formula neutralisation of SPEC §4; without it the output is the plain
/// CSV of the CLI (SPEC §5).
pub fn audience_csv(
    ds: &Dataset,
    an: &Analysis,
    audience: &RoaringBitmap,
    columns: &[String],
    excel_safe: bool,
) -> Result<Vec<u8>> {
    let (headers, cols) = resolve(ds, columns)?;
    let rows = sorted_members(ds, audience)
        .into_iter()
        .map(|m| cols.iter().map(|c| cell(ds, an, c, m)).collect());
    csv::write_csv(&headers, rows, excel_safe)
}
