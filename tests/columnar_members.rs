//! A members table in a typed format (Parquet, Arrow IPC) is loaded column by column past its
//! first rows, like an orders table: a row whose member id an earlier row has is rejected as
//! "duplicate member id" (within a batch, across batches, with spaces around the id), exactly
//! as the row-by-row CSV path does. This loads the same members from CSV, Parquet and Arrow IPC
//! (written by arrow-rs's own writers) and checks the reports (counts, reasons, sampled rows
//! with their row numbers, column types) and every member's attributes are the same.

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use audience_lab::dataset::Attr;
use audience_lab::load::{LoadOptions, LoadReport, TableKind};
use audience_lab::Session;
use std::sync::Arc;

mod common;
use common::typed::{arrow_ipc, parquet};

const ROWS: usize = 5000;

/// One source row: member id, join date, tier, points.
type Source = (Option<String>, Option<String>, Option<String>, Option<i64>);

fn rows() -> Vec<Source> {
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    (0..ROWS)
        .map(|i| {
            // About one id in six repeats an earlier one; some carry spaces around them.
            let n = next(4200);
            let id = match next(40) {
                0 => None,
                1 => Some(format!("  M{n:05} ")),
                _ => Some(format!("M{n:05}")),
            };
            let date = match next(30) {
                0 => None,
                1 => Some("not a date".to_string()),
                _ => Some(format!("2024-{:02}-{:02}", 1 + next(12), 1 + next(28))),
            };
            let tier = ["gold", "silver", "normal"][next(3) as usize].to_string();
            let tier = (i % 17 != 0).then_some(tier);
            let points = (i % 13 != 0).then(|| next(5000) as i64);
            (id, date, tier, points)
        })
        .collect()
}

fn batch(rows: &[Source]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut date = StringBuilder::new();
    let mut tier = StringBuilder::new();
    let mut points = Int64Builder::new();
    for r in rows {
        id.append_option(r.0.as_deref());
        date.append_option(r.1.as_deref());
        tier.append_option(r.2.as_deref());
        points.append_option(r.3);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("member_id", Arc::new(id.finish())),
        ("join_date", Arc::new(date.finish())),
        ("tier", Arc::new(tier.finish())),
        ("points", Arc::new(points.finish())),
    ];
    RecordBatch::try_from_iter(columns).expect("batch")
}

fn csv(rows: &[Source]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["member_id", "join_date", "tier", "points"])
        .expect("header");
    for r in rows {
        w.write_record([
            r.0.clone().unwrap_or_default(),
            r.1.clone().unwrap_or_default(),
            r.2.clone().unwrap_or_default(),
            r.3.map(|p| p.to_string()).unwrap_or_default(),
        ])
        .expect("row");
    }
    w.into_inner().expect("csv")
}

/// The report and every member with its attributes, as text.
fn load(bytes: &[u8]) -> (LoadReport, Vec<String>) {
    let mut s = Session::new();
    let report = s
        .load(
            TableKind::Members,
            bytes,
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("load");
    let ds = s.dataset().expect("dataset");
    let text = |name: &str, m: usize| match ds.attrs.get(name) {
        Some(Attr::Text(d)) => format!("{:?}", d.get(m)),
        Some(Attr::Num(v)) => format!("{:?}", v[m]),
        Some(Attr::Date(v)) => format!("{:?}", v[m]),
        None => "-".to_string(),
    };
    let members = (0..ds.len())
        .map(|m| {
            let attrs = ["join_day", "tier", "points"].map(|a| text(a, m));
            format!("{} {}", ds.id(m as u32), attrs.join(" "))
        })
        .collect();
    (report, members)
}

#[test]
fn parquet_and_arrow_members_load_as_the_csv_rows_with_the_same_duplicates() {
    let rows = rows();
    let batch = batch(&rows);
    let (want, want_members) = load(&csv(&rows));
    assert_eq!(want.rows_in, ROWS as u64);
    let duplicates = want
        .rejected
        .iter()
        .find(|r| r.reason == "duplicate member id")
        .map_or(0, |r| r.count);
    // More than the first 1,000 rows (read row by row in every format) could hold: most are
    // found by the column path.
    assert!(duplicates > 1000, "{duplicates} duplicates");
    assert!(
        want.samples
            .iter()
            .any(|s| s.value.starts_with('M') && s.reason == "duplicate member id"),
        "a sampled duplicate id"
    );
    assert_eq!(want_members.len() as u64, want.rows_loaded);
    for (format, bytes) in [
        ("parquet", parquet(&batch)),
        ("arrow", arrow_ipc(&batch, 1800)),
    ] {
        let (got, got_members) = load(&bytes);
        assert_eq!(got.rows_in, want.rows_in, "{format}");
        assert_eq!(got.rows_loaded, want.rows_loaded, "{format}");
        assert_eq!(got.rejected, want.rejected, "{format}");
        assert_eq!(got.samples, want.samples, "{format}");
        assert_eq!(got.columns, want.columns, "{format}");
        assert_eq!(got_members, want_members, "{format}");
    }
}
