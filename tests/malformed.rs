//! Malformed input: every file either loads with its bad rows counted by reason (exact
//! counts, rows in = loaded + rejected) or fails with one clear error naming the file — and
//! nothing panics.

use audience_lab::load::{load, LoadOptions, LoadReport, TableKind};
use audience_lab::ErrorKind;

fn opts() -> LoadOptions {
    LoadOptions {
        name: "bad.csv".into(),
        ..LoadOptions::default()
    }
}

fn report(kind: TableKind, bytes: &[u8]) -> LoadReport {
    let t = load(kind, bytes, &opts(), &mut |_| {}).unwrap_or_else(|e| panic!("loads: {e}"));
    let r = t.report;
    assert_eq!(
        r.rows_in,
        r.rows_loaded + r.rows_rejected,
        "rows in = loaded + rejected"
    );
    assert_eq!(
        t.batches.iter().map(|b| b.num_rows() as u64).sum::<u64>(),
        r.rows_loaded
    );
    r
}

fn reasons(r: &LoadReport) -> Vec<(String, u64)> {
    r.rejected
        .iter()
        .map(|c| (c.reason.clone(), c.count))
        .collect()
}

fn error(kind: TableKind, bytes: &[u8]) -> (ErrorKind, String) {
    match load(kind, bytes, &opts(), &mut |_| {}) {
        Ok(t) => panic!("expected an error, loaded {:?}", t.report),
        Err(e) => {
            assert!(
                e.message().contains("bad.csv"),
                "the error names the file: {e}"
            );
            (e.kind(), e.message().to_string())
        }
    }
}

const HEADER: &str = "member_id,order_time,amount\n";

#[test]
fn a_row_in_another_encoding_is_rejected_and_the_rest_kept_as_utf8() {
    let mut bytes =
        format!("{HEADER}会员1,2025-01-01,10\n会员2,2025-01-02,20\n会员3,2025-01-03,30\n")
            .into_bytes();
    bytes.extend_from_slice(&encoding_rs::GBK.encode("会员4,2025-01-04,40\n").0);
    bytes.extend_from_slice("会员5,2025-01-05,50\n".as_bytes());
    let r = report(TableKind::Orders, &bytes);
    assert_eq!(r.encoding, "utf-8", "{}", r.encoding_evidence);
    assert_eq!((r.rows_in, r.rows_loaded), (5, 4));
    assert_eq!(
        reasons(&r),
        [(
            "invalid UTF-8 text (part of the file in another encoding?)".to_string(),
            1
        )]
    );
    assert_eq!(r.samples[0].row, 5);
}

#[test]
fn an_unclosed_quote_names_the_lines_it_swallows() {
    let text = format!(
        "{HEADER}M1,2025-01-01,10\nM2,\"2025-01-02,20\nM3,2025-01-03,30\nM4,2025-01-04,40\n"
    );
    let r = report(TableKind::Orders, text.as_bytes());
    assert_eq!((r.rows_in, r.rows_loaded, r.rows_rejected), (2, 1, 1));
    assert_eq!(
        reasons(&r),
        [(
            "wrong number of fields (expected 3); a quote left open joins 4 lines into this row"
                .to_string(),
            1
        )]
    );
}

#[test]
fn ragged_empty_and_unreadable_values_are_counted_by_reason() {
    let text = format!(
        "{HEADER}M1,2025-01-01,10\nM2,2025-01-02\nM3,2025-01-03,30,extra\n,,\n\nM4,0000-01-01,1\nM5,9999-12-31,1\n\
         M6,2025-01-06,1e308\nM7,2025-01-07,NaN\nM8,2025-01-08,--5\nM9,yesterday,9\nM10,2025-01-10,\n,2025-01-11,11\n"
    );
    let r = report(TableKind::Orders, text.as_bytes());
    assert_eq!((r.rows_in, r.rows_loaded, r.rows_rejected), (12, 2, 10));
    let mut got = reasons(&r);
    got.sort();
    let mut want: Vec<(String, u64)> = [
        ("wrong number of fields (expected 3)", 2),
        ("empty row", 1),
        ("date out of range (before 1900 or after 2199)", 2),
        ("not an amount of money", 3),
        ("unparsable date", 1),
        ("missing amount", 1),
    ]
    .iter()
    .map(|(r, n)| (r.to_string(), *n))
    .collect();
    want.sort();
    assert_eq!(got, want);
    // Rows are numbered by record (the header is row 1); the blank line is not a record.
    let sample = |row: u64| r.samples.iter().find(|s| s.row == row).expect("sample");
    assert_eq!(
        (sample(6).column.as_str(), sample(6).value.as_str()),
        ("order_time", "0000-01-01")
    );
    assert_eq!(sample(8).value, "1e308");
}

#[test]
fn nul_bytes_inside_fields_are_kept_as_text() {
    let text = format!("{HEADER}M1,2025-01-01,10\nM\u{0}2,2025-01-02,20\n");
    let r = report(TableKind::Orders, text.as_bytes());
    assert_eq!((r.rows_in, r.rows_loaded), (2, 2));
}

#[test]
fn files_that_are_not_tables_give_one_clear_error() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "the file is empty"),
        (random, "not text"),
        (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(), "PDF"),
        (b"\x1F\x8B\x08\x00rest".to_vec(), "gzip"),
        (b"PAR1\x15\x04\x15\x10garbage".to_vec(), "Parquet"),
        (b"PK\x03\x04\x14\x00\x06\x00garbage".to_vec(), "XLSX"),
        (b"ARROW1\x00\x00garbage".to_vec(), "Arrow"),
        (
            b"member_id,when\nM1,2025-01-01\n".to_vec(),
            "no column found for amount",
        ),
        (
            format!("{}\n", vec!["c"; 100_000].join(",")).into_bytes(),
            "at most 16384",
        ),
    ];
    for (bytes, message) in cases {
        let (kind, msg) = error(TableKind::Orders, &bytes);
        assert!(msg.contains(message), "{message}: {msg}");
        assert!(
            matches!(kind, ErrorKind::Parse | ErrorKind::InvalidOption),
            "{msg}"
        );
    }
}

#[test]
fn truncated_binary_files_fail_clearly() {
    let dir = std::env::temp_dir().join(format!("al-malformed-{}", std::process::id()));
    for format in ["xlsx", "parquet", "arrow"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_audience-lab"))
            .args(["gen", "--members", "50", "--format", format, "--out"])
            .arg(&dir)
            .output()
            .expect("gen");
        assert!(out.status.success());
        let bytes = std::fs::read(dir.join(format!("orders.{format}"))).expect("read");
        for cut in [bytes.len() / 2, bytes.len() - 9] {
            let (kind, msg) = error(TableKind::Orders, &bytes[..cut]);
            assert_eq!(kind, ErrorKind::Parse, "{format} cut at {cut}: {msg}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn header_only_and_a_ten_megabyte_field_load() {
    let r = report(TableKind::Orders, HEADER.as_bytes());
    assert_eq!((r.rows_in, r.rows_loaded), (0, 0));
    let long = "x".repeat(10 * 1024 * 1024);
    let text = format!(
        "member_id,order_time,amount,note\nM1,2025-01-01,10,{long}\nM2,2025-01-02,20,short\n"
    );
    let r = report(TableKind::Orders, text.as_bytes());
    assert_eq!((r.rows_in, r.rows_loaded), (2, 2));
}

#[test]
fn duplicate_headers_and_duplicate_members_are_named() {
    let r = report(
        TableKind::Orders,
        b"member_id,order_time,amount,note,note\nM1,2025-01-01,10,a,b\n",
    );
    assert_eq!(r.rows_loaded, 1);
    assert_eq!(
        r.warnings,
        ["column 5 repeats the header \"note\"; named it \"note_2\""]
    );
    let r = report(
        TableKind::Members,
        b"member_id,tier\nM1,gold\nM2,silver\nM1,diamond\n,gold\n",
    );
    assert_eq!((r.rows_in, r.rows_loaded), (4, 2));
    let mut got = reasons(&r);
    got.sort();
    assert_eq!(
        got,
        [
            ("duplicate member id".to_string(), 1),
            ("missing member id".to_string(), 1)
        ]
    );
}
