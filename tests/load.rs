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

#[test]
fn every_spec_date_and_money_form_loads_to_the_same_day_and_cents() {
    // (date form, money form) pairs; every row is 2024-03-05 and 1299.00 or -25.00.
    let rows = [
        ("2024-03-05", "1299"),
        ("2024-03-05T14:03:22", "1,299.00"),
        ("2024-03-05T14:03:22.5+08:00", "￥1,299.00"),
        ("2024-03-05 14:03:22Z", "¥1299"),
        ("2024/3/5 14:03", "$1299.00"),
        ("2024/3/5 14:03:22", "1299.00"),
        ("2024-3-5", "-￥25.00"),
        ("20240305", "(25.00)"),
        ("2024年3月5日", "-25"),
        ("1709647402", "1299"),
        ("1709647402000", "1299"),
    ];
    let mut text = String::from("member_id,order_time,amount\n");
    for (i, (d, m)) in rows.iter().enumerate() {
        text.push_str(&format!("M{i},\"{d}\",\"{m}\"\n"));
    }
    let t = load(
        TableKind::Orders,
        text.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("loads");
    assert_eq!(t.report.rows_rejected, 0, "{:?}", t.report.samples);
    let batch = &t.batches[0];
    let days = batch.column_by_name("order_day").expect("day");
    let days = days
        .as_any()
        .downcast_ref::<arrow_array::Date32Array>()
        .expect("date32");
    let want_day = day_of("2024-03-05") as i32;
    assert!(days.values().iter().all(|&d| d == want_day), "{days:?}");
    let cents = batch.column_by_name("amount_cents").expect("amount");
    let cents = cents
        .as_any()
        .downcast_ref::<arrow_array::Int64Array>()
        .expect("i64");
    let want: Vec<i64> = rows
        .iter()
        .map(|(_, m)| if m.contains("25") { -2_500 } else { 129_900 })
        .collect();
    assert_eq!(cents.values().to_vec(), want);
}

#[test]
fn members_without_orders_guests_long_tags_and_reloads() {
    let dir = temp_dir("load_tables");
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).expect("write");
        p.to_str().expect("path").to_string()
    };
    let orders = write(
        "o.csv",
        "member_id,order_time,amount\nM1,2024-11-01,10\n,2025-01-02,99\nM3,2025-01-03,30\n",
    );
    let members = write("m.csv", "member_id,tier\nM1,gold\nM2,silver\n");
    let tags = write(
        "t.csv",
        "会员ID,标签\nM1,KOC\nM2, KOC \nM2,敏感肌\nM9,KOC\n",
    );
    let rule = write("r.json", r#"{"tags": {"any": ["KOC"]}}"#);
    let out = dir.join("out.csv");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "segment",
            "--orders",
            &orders,
            "--members",
            &members,
            "--rule",
            &rule,
            "--out",
            out.to_str().expect("p"),
        ];
        args.extend_from_slice(extra);
        cli_ok(&args);
        read_csv(&out)
            .1
            .into_iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>()
    };
    // Tags from the long table, trimmed; M9 has tags but no other row; M2 never bought.
    assert_eq!(run(&["--tags", &tags]), ["M1", "M2", "M9"]);
    let stages = dir.join("stages.csv");
    cli_ok(&[
        "lifecycle",
        "--orders",
        &orders,
        "--members",
        &members,
        "--out",
        stages.to_str().expect("p"),
    ]);
    let (_, rows) = read_csv(&stages);
    let got: Vec<(String, String)> = rows
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let want = [("M1", "active"), ("M2", "prospect"), ("M3", "new")];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));

    // Re-loading a table replaces it: the second orders file is all that counts.
    let mut s = audience_lab::Session::new();
    let opts = LoadOptions::default();
    s.load(
        TableKind::Orders,
        b"member_id,order_time,amount\nA,2025-01-01,10\n",
        &opts,
        &mut |_| {},
    )
    .expect("first");
    s.load(
        TableKind::Orders,
        b"member_id,order_time,amount\nB,2025-01-01,10\nB,2025-01-02,10\n",
        &opts,
        &mut |_| {},
    )
    .expect("second");
    let ds = s.dataset().expect("dataset");
    assert_eq!(
        (ds.len(), ds.member("A"), ds.orders.day.len()),
        (1, None, 2)
    );
}

#[test]
fn map_overrides_roles_in_the_cli_and_inspect_shows_confidence() {
    let dir = temp_dir("load_map");
    let p = dir.join("o.csv");
    std::fs::write(
        &p,
        "客户,付款日,实收\n001,2025/1/5,￥10.00\n002,2025/1/6,￥20.50\n",
    )
    .expect("write");
    let path = p.to_str().expect("p");
    let out = cli(&["inspect", path, "--kind", "orders"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no member id column without a mapping"
    );
    let shown = cli_ok(&[
        "inspect",
        path,
        "--kind",
        "orders",
        "--map",
        "member_id=客户",
    ]);
    assert!(
        shown.contains("客户                       member_id    1.00 mapping"),
        "{shown}"
    );
    assert!(
        shown.contains("付款日                      order_time   0.60 values"),
        "{shown}"
    );
    assert!(
        shown.contains("实收                       amount       0.50 values"),
        "{shown}"
    );
    let rfm = dir.join("rfm.csv");
    cli_ok(&[
        "rfm",
        "--orders",
        path,
        "--map",
        "member_id=客户",
        "--map",
        "amount=实收",
        "--out",
        rfm.to_str().expect("p"),
    ]);
    let (_, rows) = read_csv(&rfm);
    assert_eq!(
        rows.iter()
            .map(|r| (r[0].as_str(), r[3].as_str()))
            .collect::<Vec<_>>(),
        [("001", "10.00"), ("002", "20.50")]
    );
}
