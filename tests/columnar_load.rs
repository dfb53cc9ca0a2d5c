//! Typed formats (Parquet, Arrow IPC) past their first rows are loaded column by column, with
//! repeated text kept dictionary-encoded. This loads one orders table, with every kind of bad
//! row, from CSV (read row by row) and from Parquet and Arrow IPC files written by arrow-rs's
//! own writers (several row groups, dictionary pages, one column past its dictionary size),
//! and checks that the reports (counts, reasons, sampled rows with their row numbers) and the
//! loaded orders are the same. Order ids are recognised but not kept (nor decoded).

use arrow_array::builder::{Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use audience_lab::load::{LoadOptions, LoadReport, TableKind};
use audience_lab::Session;
use std::sync::Arc;

mod common;
use common::typed::{arrow_ipc, parquet};

const ROWS: usize = 6000;

/// One source row: member id, order time (ms), amount text, status, items, store.
type Source = (
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<&'static str>,
    Option<i64>,
    Option<String>,
);

fn rows() -> Vec<Source> {
    let mut seed = 42u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let statuses = [
        Some("paid"),
        Some("paid"),
        Some("completed"),
        Some("cancelled"),
        Some("refunded"),
        Some("已取消"),
        Some("退款"),
        Some("pending"),
        Some("等待买家付款"),
        Some("Authorized"),
        None,
    ];
    (0..ROWS)
        .map(|i| {
            if i % 997 == 500 {
                return (None, None, None, None, None, None);
            }
            let member = match next(40) {
                0 => None,
                1 => Some(String::new()),
                2 => Some(format!("  M{:04}  ", next(900))),
                _ => Some(format!("M{:04}", next(900))),
            };
            let time = (next(50) != 0).then(|| 1_700_000_000_000 + next(400) as i64 * 86_400_000);
            let amount = match next(60) {
                0 => None,
                1 => Some("abc".to_string()),
                2 => Some(" ".to_string()),
                _ => Some(format!("{}.{:02}", next(900), next(100))),
            };
            let items = (next(10) != 0).then(|| next(5) as i64);
            let store = match next(12) {
                0 => None,
                1 => Some("  ".to_string()),
                k => Some(format!("store {}", k % 7)),
            };
            (
                member,
                time,
                amount,
                statuses[next(statuses.len() as u64) as usize],
                items,
                store,
            )
        })
        .collect()
}

fn batch(rows: &[Source]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let (mut m, mut t, mut a, mut s, mut n, mut st) = (
        StringBuilder::new(),
        TimestampMillisecondBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        Int64Builder::new(),
        StringBuilder::new(),
    );
    for (i, r) in rows.iter().enumerate() {
        id.append_option(r.1.map(|_| format!("O{i}")));
        m.append_option(r.0.as_deref());
        t.append_option(r.1);
        a.append_option(r.2.as_deref());
        s.append_option(r.3);
        n.append_option(r.4);
        st.append_option(r.5.as_deref());
    }
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("order_id", Arc::new(id.finish())),
        ("member_id", Arc::new(m.finish())),
        ("order_time", Arc::new(t.finish())),
        ("amount", Arc::new(a.finish())),
        ("status", Arc::new(s.finish())),
        ("items", Arc::new(n.finish())),
        ("store", Arc::new(st.finish())),
    ];
    RecordBatch::try_from_iter(cols).expect("batch")
}

fn csv(rows: &[Source]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "order_id",
        "member_id",
        "order_time",
        "amount",
        "status",
        "items",
        "store",
    ])
    .expect("header");
    for (i, r) in rows.iter().enumerate() {
        let time = r.1.map_or(String::new(), |ms| {
            chrono::DateTime::from_timestamp_millis(ms)
                .expect("time")
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        });
        w.write_record([
            r.1.map_or(String::new(), |_| format!("O{i}")),
            r.0.clone().unwrap_or_default(),
            time,
            r.2.clone().unwrap_or_default(),
            r.3.unwrap_or_default().to_string(),
            r.4.map_or(String::new(), |n| n.to_string()),
            r.5.clone().unwrap_or_default(),
        ])
        .expect("row");
    }
    w.into_inner().expect("csv")
}

/// The report's counts and samples, and every loaded order as text.
fn load(bytes: &[u8]) -> (LoadReport, Vec<String>) {
    let mut s = Session::new();
    let report = s
        .load(
            TableKind::Orders,
            bytes,
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("load");
    let ds = s.dataset().expect("dataset");
    let store = &ds.orders.dims["store"];
    let mut orders = Vec::new();
    for m in 0..ds.len() {
        for i in ds.orders.range(m as u32) {
            let value = store.get(i).unwrap_or("-");
            orders.push(format!(
                "{} {} {} {} {value}",
                ds.id(m as u32),
                ds.orders.day[i],
                ds.orders.cents[i],
                ds.orders.items[i]
            ));
        }
    }
    let g = &ds.guests;
    for j in 0..g.day.len() {
        orders.push(format!("guest {} {} {}", g.day[j], g.cents[j], g.items[j]));
    }
    orders.sort();
    (report, orders)
}

#[test]
fn parquet_and_arrow_load_as_the_same_rows_as_csv() {
    let rows = rows();
    let batch = batch(&rows);
    let (want, want_orders) = load(&csv(&rows));
    assert_eq!(want.rows_in, ROWS as u64);
    let reasons: Vec<&str> = want.rejected.iter().map(|r| r.reason.as_str()).collect();
    for reason in [
        "empty row",
        "missing date",
        "missing amount",
        "not an amount of money",
        "cancelled order",
        "not paid",
    ] {
        assert!(reasons.contains(&reason), "{reason} in {reasons:?}");
    }
    assert!(want_orders.iter().any(|o| o.contains(" -")), "a refund");
    let order_id = want.columns.iter().find(|c| c.name == "order_id");
    assert_eq!(order_id.map(|c| c.ty.as_str()), Some("not kept"));
    for (format, bytes) in [
        ("parquet", parquet(&batch)),
        ("arrow", arrow_ipc(&batch, 2500)),
    ] {
        let (got, got_orders) = load(&bytes);
        assert_eq!(got.rows_in, want.rows_in, "{format}");
        assert_eq!(got.rows_loaded, want.rows_loaded, "{format}");
        assert_eq!(got.rejected, want.rejected, "{format}");
        assert_eq!(got.samples, want.samples, "{format}");
        assert_eq!(got_orders, want_orders, "{format}");
        assert_eq!(got.columns, want.columns, "{format}");
    }
}
