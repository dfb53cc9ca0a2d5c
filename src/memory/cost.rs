//! What each step allocates, in bytes per member, per order row, per tag link and per export
//! cell: an upper bound measured natively (64-bit, so above what wasm32 needs) by
//! `tests/memory.rs`, which fails when a step holds more at its peak than its estimate.

use crate::text::grouped;
use std::fmt;

/// A step of the engine that allocates in proportion to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Building the dataset (members indexed, orders grouped by member) from the tables.
    Dataset,
    /// The per-member analysis: base metrics, RFM scores and lifecycle stages.
    Analysis,
    /// The cohort table.
    Cohorts,
    /// The KPIs, overall and per group.
    Kpis,
    /// Purchases and revenue per calendar period.
    Timeline,
    /// Tag frequency and intersections.
    Tags,
    /// The BG/NBD and Gamma-Gamma fit with every member's predictions.
    Clv,
    /// A segment's members (rule nodes evaluated over every member).
    Segment,
    /// An audience written as CSV, JSON, Parquet or Arrow.
    Export,
    /// An audience written as an XLSX workbook (cells as XML, then zipped).
    Workbook,
    /// A hashed ad-platform list and its match report.
    AdList,
    /// A loaded table written as bytes to keep in the browser (the orders grouped by member).
    Keep,
    /// A kept table read back.
    Restore,
}

/// The sizes a step's cost depends on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Members (of the members table, or buyers seen in the orders).
    pub members: u64,
    /// Order rows (members' and guests').
    pub orders: u64,
    /// Member–tag links.
    pub tag_links: u64,
    /// Cells of the step's output: audience rows × columns for exports, cohort × period
    /// rows for the cohort table.
    pub cells: u64,
    /// Per-member columns a rule holds at once (its metric and purchase leaves are evaluated
    /// one after another: 0 or 1).
    pub columns: u64,
    /// Member sets a rule makes (one per node).
    pub sets: u64,
}

/// Bytes of a step: fixed + per member + per order row + per tag link + per export cell +
/// per member and rule column + per member and rule node.
struct Linear {
    fixed: f64,
    member: f64,
    order: f64,
    tag: f64,
    cell: f64,
    column: f64,
    set: f64,
}

const MIB: f64 = 1024.0 * 1024.0;

impl Step {
    /// The step as an error message names it.
    pub fn name(self) -> &'static str {
        match self {
            Step::Dataset => "building the dataset from the loaded tables",
            Step::Analysis => "the member analysis (RFM scores and lifecycle stages)",
            Step::Cohorts => "the cohort table",
            Step::Kpis => "the KPIs",
            Step::Timeline => "the timeline",
            Step::Tags => "the tag intersections",
            Step::Clv => "the CLV fit",
            Step::Segment => "the segment's members",
            Step::Export => "the export",
            Step::Workbook => "the XLSX export",
            Step::AdList => "the ad-platform list",
            Step::Keep => "keeping the tables in this browser",
            Step::Restore => "restoring the tables kept in this browser",
        }
    }

    /// What a user can do when the step does not fit.
    pub fn advice(self) -> &'static str {
        match self {
            Step::Dataset => {
                "drop a table this work does not need (the member tags, the members), load an orders export \
                 of a shorter date range, run the audience-lab CLI on these files (no 4 GiB limit), or \
                 compile the segments to SQL (`audience-lab sql`, Builder → SQL) for DuckDB or Spark."
            }
            Step::Export | Step::Workbook | Step::AdList => {
                "export fewer columns, CSV or Parquet instead of XLSX (a sixth of the memory), a smaller \
                 audience, or run `audience-lab export` on these files."
            }
            Step::Cohorts => {
                "cohorts by month or quarter instead of week, or run the audience-lab CLI on these files."
            }
            Step::Keep | Step::Restore => {
                "load the files again on the next visit instead of keeping them (the switch off), drop                  a table this work does not need, or run the audience-lab CLI on these files."
            }
            _ => {
                "close other analyses of this page (their cached results are given back first), \
                 drop a table this work does not need, run the audience-lab CLI on these files, or compile \
                 the segment to SQL (Builder → SQL) for a warehouse."
            }
        }
    }

    fn linear(self) -> Linear {
        let l = |fixed: f64, member: f64, order: f64, tag: f64, cell: f64| Linear {
            fixed: fixed * MIB,
            member,
            order,
            tag,
            cell,
            column: 0.0,
            set: 0.0,
        };
        // Measured peaks (tests/memory.rs natively and tests/wasm.rs in Chromium, which agree
        // within 10%; 40,000 members with 8 and with 3 orders each), with room to spare:
        // (a segment's figure below includes fitting the CLV model its rule reads)
        // dataset 193 B per member (its attributes) and 30 B per order row (text columns in one
        // byte a row where their values allow), analysis 91 B per member, CLV and a segment of
        // metric, RFM, lifecycle and attribute rules 174 B per member, tags 43 B per member,
        // a weekly cohort table 240 B per row; exports per cell: CSV 31 B, JSON 49 B,
        // Parquet 52 B, XLSX 185 B, a hashed list 130 B.
        match self {
            Step::Dataset => l(1.0, 240.0, 34.0, 24.0, 0.0),
            Step::Analysis => l(1.0, 128.0, 0.0, 0.0, 0.0),
            Step::Cohorts => l(1.0, 24.0, 0.0, 0.0, 320.0),
            Step::Kpis | Step::Timeline => l(1.0, 16.0, 0.0, 0.0, 0.0),
            Step::Tags => l(1.0, 64.0, 0.0, 8.0, 0.0),
            Step::Clv => l(1.0, 240.0, 0.0, 0.0, 0.0),
            // A rule: the column of a metric or purchase leaf (16 B a member measured, one held
            // at a time: leaves are evaluated one after another) and a member set per node (at
            // most 2 B a member); the CLV model a leaf reads is Step::Clv's, added by the
            // session when not fitted yet.
            Step::Segment => Linear {
                column: 24.0,
                set: 2.0,
                ..l(1.0, 0.0, 0.0, 0.0, 0.0)
            },
            Step::Export => l(1.0, 16.0, 0.0, 0.0, 72.0),
            Step::Workbook => l(1.0, 16.0, 0.0, 0.0, 256.0),
            Step::AdList => l(1.0, 16.0, 0.0, 0.0, 180.0),
            // The session does not use these: it counts a keep and a restore from the table
            // and the bytes themselves (`Session::keep_need`, `restore_need` in
            // `session/room.rs`). By sizes alone: the tables' 154 B a member and 58 B an order
            // row, and the keep's grouping of the orders 12 B a row.
            Step::Keep => l(1.0, 160.0, 72.0, 16.0, 0.0),
            Step::Restore => l(1.0, 160.0, 60.0, 16.0, 0.0),
        }
    }

    /// The most bytes the step holds at once beyond what was in use when it began, for
    /// `sizes` (an upper bound).
    pub fn need(self, sizes: Sizes) -> usize {
        let c = self.linear();
        let bytes = c.fixed
            + c.member * sizes.members as f64
            + c.order * sizes.orders as f64
            + c.tag * sizes.tag_links as f64
            + c.cell * sizes.cells as f64
            + (c.column * sizes.columns as f64 + c.set * sizes.sets as f64) * sizes.members as f64;
        bytes as usize
    }
}

impl fmt::Display for Sizes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} members and {} order rows",
            grouped(self.members),
            grouped(self.orders)
        )?;
        if self.tag_links > 0 {
            write!(f, ", {} member tags", grouped(self.tag_links))?;
        }
        if self.cells > 0 {
            write!(f, ", {} cells to write", grouped(self.cells))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_marketer_writes_them() {
        let s = Sizes {
            members: 3_000_000,
            orders: 24_434_536,
            ..Sizes::default()
        };
        assert_eq!(s.to_string(), "3,000,000 members and 24,434,536 order rows");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
