//! Loading: malformed rows are counted and sampled by reason, never dropped silently; files
//! that cannot be read give one clear error and exit status 2.

mod common;

use audience_lab::load::{load, LoadOptions, TableKind};
use common::*;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .expect("fixture")
}

#[test]
fn malformed_rows_are_counted_and_sampled_by_reason() {
    let t = load(
        TableKind::Orders,
        &fixture("orders_malformed.csv"),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("loads");
    let r = &t.report;
    assert_eq!((r.rows_in, r.rows_loaded, r.rows_rejected), (9, 3, 6));
    assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected);
    assert_eq!(t.num_rows() as u64, r.rows_loaded);
    let by_reason: Vec<(&str, u64)> = r
        .rejected
        .iter()
        .map(|c| (c.reason.as_str(), c.count))
        .collect();
    assert_eq!(
        by_reason,
        [
            ("wrong number of fields (expected 5)", 2),
            ("cancelled order", 1),
            ("missing amount", 1),
            ("not an amount of money", 1),
            ("unparsable date", 1)
        ]
    );
    let sample = |row: u64| {
        r.samples
            .iter()
            .find(|s| s.row == row)
            .unwrap_or_else(|| panic!("no sample for row {row}"))
    };
    assert_eq!(
        (sample(3).column.as_str(), sample(3).value.as_str()),
        ("paid_amount", "abc")
    );
    assert_eq!(
        (sample(4).column.as_str(), sample(4).value.as_str()),
        ("order_time", "not a date")
    );
    assert_eq!(sample(5).reason, "wrong number of fields (expected 5)");
    assert_eq!(sample(9).reason, "missing amount");
    assert_eq!(sample(10).value, "A9,M4,2025-01-12,60,completed,extra");
}

#[test]
fn refunds_turn_negative_and_guests_stay_guests() {
    let t = load(
        TableKind::Orders,
        &fixture("orders_malformed.csv"),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("loads");
    assert_eq!(t.batches.len(), 1);
    let batch = &t.batches[0];
    let amounts = batch.column_by_name("amount_cents").expect("amount");
    let amounts = amounts
        .as_any()
        .downcast_ref::<arrow_array::Int64Array>()
        .expect("i64");
    assert_eq!(amounts.values().to_vec(), vec![10_000, 3_050, -120_000]);
    let members = batch.column_by_name("member_id").expect("member");
    assert_eq!(members.null_count(), 1, "the guest order has no member");
}

#[test]
fn inspect_prints_rejections_and_bad_files_exit_2() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/orders_malformed.csv");
    let out = cli_ok(&["inspect", path.to_str().expect("path")]);
    assert!(
        out.contains("rows:      9 in, 3 loaded, 6 rejected"),
        "{out}"
    );
    assert!(out.contains("unparsable date"), "{out}");

    let dir = temp_dir("load_bad");
    let write = |name: &str, body: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, body).expect("write");
        p.to_str().expect("path").to_string()
    };
    let empty = write("empty.csv", b"");
    let no_amount = write("no_amount.csv", b"member_id,order_time\nM1,2025-01-01\n");
    let rule = write("rule.json", br#"{"attr":{"column":"tierr","in":["gold"]}}"#);
    let out_csv = dir.join("out.csv");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["inspect", &empty, "--kind", "orders"],
            "the file is empty",
        ),
        (
            vec![
                "rfm",
                "--orders",
                &no_amount,
                "--out",
                out_csv.to_str().expect("p"),
            ],
            "no column found for amount",
        ),
        (
            vec![
                "rfm",
                "--orders",
                "/nonexistent/orders.csv",
                "--out",
                out_csv.to_str().expect("p"),
            ],
            "/nonexistent/orders.csv",
        ),
        (
            vec![
                "rfm",
                "--orders",
                path.to_str().expect("p"),
                "--method",
                "median",
                "--out",
                out_csv.to_str().expect("p"),
            ],
            "unknown RFM method",
        ),
        (
            vec![
                "segment",
                "--orders",
                path.to_str().expect("p"),
                "--rule",
                &rule,
                "--out",
                out_csv.to_str().expect("p"),
            ],
            "unknown column \"tierr\"",
        ),
    ];
    for (args, message) in cases {
        let out = cli(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().filter(|l| !l.starts_with("note: ")).count(),
            1,
            "one clear message: {stderr}"
        );
    }
}
