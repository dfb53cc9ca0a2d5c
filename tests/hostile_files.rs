//! Hostile files beyond `malformed.rs`: truncated and re-labelled binary files in every format,
//! binary data posing as CSV, a 10 MB line, a 100k-field row, mixed encodings, NUL bytes,
//! typed extreme dates and amounts in Parquet, Arrow, XLSX and NDJSON. Each load either fails
//! with one clear error naming the file, or loads with every row accounted for
//! (rows in = loaded + rejected = rows in the batches); none panics. Big inputs are built in
//! memory.

use arrow_array::{
    ArrayRef, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use audience_lab::gen::{generate, GenFormat, GenOptions};
use audience_lab::load::{load, LoadOptions, LoadReport, TableKind};
use audience_lab::ErrorKind;
use std::sync::Arc;

const FILE: &str = "hostile.bin";
const HEADER: &str = "member_id,order_time,amount\n";

fn opts(format: Option<&str>) -> LoadOptions {
    LoadOptions {
        name: FILE.into(),
        format: format.map(String::from),
        ..LoadOptions::default()
    }
}

/// Loads, or returns the error after checking that it names the file and is not internal.
fn try_load(
    kind: TableKind,
    bytes: &[u8],
    format: Option<&str>,
) -> Result<LoadReport, (ErrorKind, String)> {
    match load(kind, bytes, &opts(format), &mut |_| {}) {
        Ok(t) => {
            let r = t.report;
            assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected, "{r:?}");
            let in_batches: u64 = t.batches.iter().map(|b| b.num_rows() as u64).sum();
            assert_eq!(in_batches, r.rows_loaded, "{r:?}");
            Ok(r)
        }
        Err(e) => {
            let msg = e.message().to_string();
            assert!(msg.contains(FILE), "the error names the file: {msg}");
            assert!(
                matches!(e.kind(), ErrorKind::Parse | ErrorKind::InvalidOption),
                "{:?}: {msg}",
                e.kind()
            );
            Err((e.kind(), msg))
        }
    }
}

fn loads(kind: TableKind, bytes: &[u8], format: Option<&str>) -> LoadReport {
    try_load(kind, bytes, format).unwrap_or_else(|(_, m)| panic!("expected a load: {m}"))
}

fn fails(kind: TableKind, bytes: &[u8], format: Option<&str>) -> String {
    match try_load(kind, bytes, format) {
        Ok(r) => panic!("expected an error, loaded {r:?}"),
        Err((_, msg)) => msg,
    }
}

fn reasons(r: &LoadReport) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = r
        .rejected
        .iter()
        .map(|c| (c.reason.clone(), c.count))
        .collect();
    v.sort();
    v
}

fn noise(len: usize, mut x: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

fn sample(format: GenFormat) -> (Vec<u8>, u64) {
    let g = generate(&GenOptions {
        members: 30,
        seed: 9,
        format,
        ..GenOptions::default()
    })
    .expect("generate");
    let csv = generate(&GenOptions {
        members: 30,
        seed: 9,
        ..GenOptions::default()
    })
    .expect("generate");
    let rows = csv.orders.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    (g.orders, rows)
}

const BINARY: [(GenFormat, &str); 4] = [
    (GenFormat::Xlsx, "xlsx"),
    (GenFormat::Parquet, "parquet"),
    (GenFormat::Arrow, "arrow"),
    (GenFormat::ArrowStream, "arrow-stream"),
];

#[test]
fn binary_files_cut_anywhere_fail_clearly_or_keep_whole_rows() {
    for (gen, format) in BINARY {
        let (bytes, rows) = sample(gen);
        assert_eq!(loads(TableKind::Orders, &bytes, None).rows_in, rows);
        let n = bytes.len();
        let mut cuts: Vec<usize> = (0..16).chain((1..32).map(|i| n * i / 32)).collect();
        cuts.extend(n - 16..n);
        for cut in cuts {
            // Detected from content, and with the format given (as by the file extension).
            for forced in [None, Some(format)] {
                match try_load(TableKind::Orders, &bytes[..cut], forced) {
                    Err(_) => {}
                    // An Arrow stream is a sequence of messages, read until the data ends
                    // (its 8-byte end marker is optional): cut at a message boundary it holds
                    // whole rows, never broken ones.
                    Ok(r) => assert!(
                        format == "arrow-stream" && r.rows_in <= rows,
                        "{format} cut at {cut} of {n} loaded {r:?}"
                    ),
                }
            }
        }
    }
}

#[test]
fn wrong_magic_bytes_and_wrong_format_overrides_give_one_error() {
    for (gen, format) in BINARY {
        let (bytes, rows) = sample(gen);
        let mut head = bytes.clone();
        head[0] ^= 0x55;
        head[1] ^= 0x55;
        let mut tail = bytes.clone();
        let n = tail.len();
        tail[n - 1] ^= 0x55;
        tail[n - 2] ^= 0x55;
        for (what, bad) in [("head", &head), ("tail", &tail)] {
            for forced in [None, Some(format)] {
                // A clear error, or every row: a zip is read from its central directory at
                // the end (so an XLSX loads with a broken first header), and a stream's end
                // marker is optional. Never a part of the rows.
                if let Ok(r) = try_load(TableKind::Orders, bad, forced) {
                    assert_eq!(
                        r.rows_in, rows,
                        "{format} with a broken {what} loaded {r:?}"
                    );
                }
            }
        }
        // The file given as another format.
        for other in ["csv", "ndjson", "xlsx", "parquet", "arrow", "arrow-stream"] {
            if other != format {
                let msg = fails(TableKind::Orders, &bytes, Some(other));
                assert!(!msg.is_empty());
            }
        }
    }
    // A CSV given as each binary format.
    let csv = format!("{HEADER}M1,2025-01-01,10\n");
    for (_, format) in BINARY {
        fails(TableKind::Orders, csv.as_bytes(), Some(format));
    }
}

#[test]
fn binary_posing_as_csv_is_refused_or_its_rows_rejected() {
    let random = noise(64 * 1024, 0x9e37_79b9_7f4a_7c15);
    for format in [None, Some("csv"), Some("tsv"), Some("ndjson")] {
        let msg = fails(TableKind::Orders, &random, format);
        assert!(msg.contains("not text"), "{format:?}: {msg}");
    }
    // A plausible header followed by binary: one clear error, or every line counted.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend(noise(200_000, 7));
    if let Ok(r) = try_load(TableKind::Orders, &bytes, Some("csv")) {
        assert_eq!(r.rows_loaded, 0, "{r:?}");
    }
    // A PNG and an ELF executable named .csv.
    for magic in [
        &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
        b"\x7fELF\x02\x01\x01\0\0\0",
    ] {
        let mut bytes = magic.to_vec();
        bytes.extend(noise(4096, 3));
        fails(TableKind::Orders, &bytes, Some("csv"));
    }
}

#[test]
fn a_ten_megabyte_line_without_a_newline() {
    let ten = 10 * 1024 * 1024;
    // One huge header line and nothing else: no columns to use.
    let line = "x".repeat(ten);
    let msg = fails(TableKind::Orders, line.as_bytes(), None);
    assert!(msg.contains("no column found"), "{msg}");
    // A last row of 10 MB of digits with no newline: too large an amount, counted.
    let text = format!(
        "{HEADER}M1,2025-01-01,10\nM2,2025-01-02,{}",
        "9".repeat(ten)
    );
    let r = loads(TableKind::Orders, text.as_bytes(), None);
    assert_eq!((r.rows_in, r.rows_loaded), (2, 1));
    assert_eq!(reasons(&r), [("not an amount of money".to_string(), 1)]);
    // The same as one NDJSON line.
    let text = format!(
        "{{\"member_id\":\"M1\",\"order_time\":\"2025-01-01\",\"amount\":\"{}\"}}",
        "1".repeat(ten)
    );
    let r = loads(TableKind::Orders, text.as_bytes(), Some("ndjson"));
    assert_eq!((r.rows_in, r.rows_loaded), (1, 0));
}

#[test]
fn a_row_of_a_hundred_thousand_fields_is_counted() {
    let wide = vec!["1"; 100_000].join(",");
    let text = format!("{HEADER}M1,2025-01-01,10\n{wide}\nM2,2025-01-02,20\n");
    let r = loads(TableKind::Orders, text.as_bytes(), None);
    assert_eq!((r.rows_in, r.rows_loaded), (3, 2));
    assert_eq!(
        reasons(&r),
        [("wrong number of fields (expected 3)".to_string(), 1)]
    );
    // An NDJSON object with 100k keys among the first lines: too many columns (found
    // promptly: keys were once looked up in a list, quadratic in their number).
    let keys: Vec<String> = (0..100_000).map(|i| format!("\"k{i}\":1")).collect();
    let text = format!(
        "{{\"member_id\":\"M1\",\"order_time\":\"2025-01-01\",\"amount\":1}}\n{{{}}}\n",
        keys.join(",")
    );
    let msg = fails(TableKind::Orders, text.as_bytes(), Some("ndjson"));
    assert!(msg.contains("16384"), "{msg}");
}

#[test]
fn mixed_encodings_in_one_file() {
    // A GBK file with one UTF-8 row: decoded as GBK (that row shows as other characters).
    let mut bytes = encoding_rs::GBK
        .encode("会员编号,下单时间,实付金额\n会员1,2025-01-01,10\n会员2,2025-01-02,20\n")
        .0
        .to_vec();
    bytes.extend_from_slice("会员3,2025-01-03,30\n".as_bytes());
    let r = loads(TableKind::Orders, &bytes, None);
    assert_eq!(r.rows_in, 3);
    // A UTF-16LE file (with BOM) with UTF-8 bytes appended: an odd number of bytes.
    let mut bytes = vec![0xFF, 0xFE];
    for u in format!("{HEADER}M1,2025-01-01,10\n").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.extend_from_slice(b"M2,2025-01-02,20\n");
    let r = loads(TableKind::Orders, &bytes, None);
    assert_eq!(r.encoding, "utf-16le");
    assert!(r.rows_loaded >= 1, "{r:?}");
    // UTF-8 with a Latin-1 byte in every other row.
    let mut bytes = HEADER.as_bytes().to_vec();
    for i in 0..20 {
        let id = if i % 2 == 0 { "M" } else { "M\u{e9}" };
        bytes.extend_from_slice(format!("{id}{i},2025-01-01,{i}\n").as_bytes());
        if i % 2 == 1 {
            let n = bytes.len();
            let at = bytes[..n - 1].iter().rposition(|&b| b == 0xC3).expect("é");
            bytes.splice(at..at + 2, [0xE9]);
        }
    }
    // Half the rows invalid: refused as not text, naming the count.
    match try_load(TableKind::Orders, &bytes, None) {
        Ok(r) => assert_eq!(r.rows_in, 20),
        Err((_, msg)) => assert!(msg.contains("cannot be decoded"), "{msg}"),
    }
}

#[test]
fn nul_bytes_in_headers_amounts_and_whole_files() {
    let text = "member_id,order_time,amount,no\0te\nM1,2025-01-01,1\u{0}0,x\nM2,2025-01-02,20,\0\n";
    let r = loads(TableKind::Orders, text.as_bytes(), None);
    assert_eq!((r.rows_in, r.rows_loaded), (2, 1));
    assert_eq!(reasons(&r), [("not an amount of money".to_string(), 1)]);
    let zeros = vec![0u8; 100_000];
    for format in [None, Some("csv"), Some("ndjson")] {
        fails(TableKind::Orders, &zeros, format);
    }
    let text = "{\"member_id\":\"M\\u0000 1\",\"order_time\":\"2025-01-01\",\"amount\":1}\n";
    let r = loads(TableKind::Orders, text.as_bytes(), Some("ndjson"));
    assert_eq!(r.rows_loaded, 1);
}

#[test]
fn empty_and_header_only_files_in_every_format() {
    for format in [
        "csv",
        "tsv",
        "ndjson",
        "xlsx",
        "parquet",
        "arrow",
        "arrow-stream",
    ] {
        // One error naming the file (checked by `fails`).
        fails(TableKind::Orders, b"", Some(format));
    }
    let schema_only = batch(vec![
        (
            "member_id",
            Arc::new(StringArray::from(Vec::<&str>::new())) as ArrayRef,
        ),
        (
            "order_time",
            Arc::new(Date32Array::from(Vec::<i32>::new())) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Float64Array::from(Vec::<f64>::new())) as ArrayRef,
        ),
    ]);
    for bytes in [
        parquet(&schema_only, None).expect("parquet"),
        ipc(&schema_only, false).expect("ipc"),
        ipc(&schema_only, true).expect("ipc"),
        xlsx(&[&["member_id", "order_time", "amount"]]),
    ] {
        let r = loads(TableKind::Orders, &bytes, None);
        assert_eq!((r.rows_in, r.rows_loaded), (0, 0), "{}", r.format);
    }
    // Blank lines only.
    let msg = fails(TableKind::Orders, b"\n\n\r\n\n", None);
    assert!(!msg.is_empty());
}

/// Parquet bytes written by the `parquet` crate's Arrow writer (zstd when asked).
fn parquet(b: &RecordBatch, zstd: Option<&str>) -> Result<Vec<u8>, String> {
    use parquet::basic::{Compression, ZstdLevel};
    let mut props = parquet::file::properties::WriterProperties::builder();
    if zstd.is_some() {
        props = props.set_compression(Compression::ZSTD(ZstdLevel::default()));
    }
    let mut out = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, b.schema(), Some(props.build()))
        .map_err(|e| e.to_string())?;
    w.write(b).map_err(|e| e.to_string())?;
    w.close().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Arrow IPC file or stream bytes.
fn ipc(b: &RecordBatch, stream: bool) -> Result<Vec<u8>, String> {
    use arrow_ipc::writer::{FileWriter, StreamWriter};
    let mut out = Vec::new();
    if stream {
        let mut w = StreamWriter::try_new(&mut out, &b.schema()).map_err(|e| e.to_string())?;
        w.write(b).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
    } else {
        let mut w = FileWriter::try_new(&mut out, &b.schema()).map_err(|e| e.to_string())?;
        w.write(b).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(cols).expect("batch")
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) if r > 0 => ws.write_number(r as u32, c as u16, n),
                _ => ws.write_string(r as u32, c as u16, *v),
            }
            .expect("cell");
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

#[test]
fn extreme_typed_dates_and_amounts_are_rejected_by_reason() {
    let n = 9;
    let ids: Vec<String> = (0..n).map(|i| format!("M{i}")).collect();
    let days = [
        20_000,
        i32::MIN,
        i32::MAX,
        -719_528,  // 0000-01-01
        2_932_896, // 9999-12-31
        20_001,
        20_002,
        20_003,
        20_004,
    ];
    let amounts = [
        10.0,
        10.0,
        10.0,
        10.0,
        10.0,
        1e308,
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
    ];
    let b = batch(vec![
        (
            "member_id",
            Arc::new(StringArray::from_iter_values(&ids)) as ArrayRef,
        ),
        (
            "order_time",
            Arc::new(Date32Array::from(days.to_vec())) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Float64Array::from(amounts.to_vec())) as ArrayRef,
        ),
    ]);
    for bytes in [
        parquet(&b, None).expect("parquet"),
        parquet(&b, Some("zstd")).expect("parquet"),
        ipc(&b, false).expect("ipc"),
        ipc(&b, true).expect("ipc"),
    ] {
        let r = loads(TableKind::Orders, &bytes, None);
        assert_eq!(
            (r.rows_in, r.rows_loaded),
            (n as u64, 1),
            "{}: {r:?}",
            r.format
        );
        let total: u64 = r.rejected.iter().map(|c| c.count).sum();
        assert_eq!(total, 8);
    }
    // Timestamps at the ends of i64, and integer amounts that overflow cents.
    let b = batch(vec![
        (
            "member_id",
            Arc::new(StringArray::from(vec!["M1", "M2", "M3", "M4"])) as ArrayRef,
        ),
        (
            "order_time",
            Arc::new(TimestampMillisecondArray::from(vec![
                1_735_689_600_000,
                i64::MIN,
                i64::MAX,
                1_735_689_600_000,
            ])) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Int64Array::from(vec![10, 10, 10, i64::MAX])) as ArrayRef,
        ),
    ]);
    for bytes in [
        parquet(&b, None).expect("parquet"),
        ipc(&b, false).expect("ipc"),
    ] {
        let r = loads(TableKind::Orders, &bytes, None);
        assert_eq!((r.rows_in, r.rows_loaded), (4, 1), "{}: {r:?}", r.format);
    }
    // The same values as XLSX cells (Excel serial days) and NDJSON numbers.
    let book = xlsx(&[
        &["member_id", "order_time", "amount"],
        &["M1", "45658", "10"],
        &["M2", "-1", "10"],
        &["M3", "3000000", "10"],
        &["M4", "45658", "1e308"],
        &["M5", "45658", "-1e308"],
    ]);
    let r = loads(TableKind::Orders, &book, None);
    assert_eq!((r.rows_in, r.rows_loaded), (5, 1), "{r:?}");
    let nd = "{\"member_id\":\"M1\",\"order_time\":\"2025-01-01\",\"amount\":10}\n\
              {\"member_id\":\"M2\",\"order_time\":\"0000-01-01\",\"amount\":10}\n\
              {\"member_id\":\"M3\",\"order_time\":\"9999-12-31 23:59:59\",\"amount\":10}\n\
              {\"member_id\":\"M4\",\"order_time\":99999999999999999,\"amount\":10}\n\
              {\"member_id\":\"M5\",\"order_time\":\"2025-01-01\",\"amount\":1e308}\n\
              {\"member_id\":\"M6\",\"order_time\":\"2025-01-01\",\"amount\":\"NaN\"}\n\
              {\"member_id\":\"M7\",\"order_time\":\"2025-01-01\",\"amount\":\"--5\"}\n\
              {\"member_id\":\"M8\",\"order_time\":\"2025-01-01\",\"amount\":18446744073709551615}\n\
              {\"member_id\":\"M9\",\"order_time\":\"2025-01-01\",\"amount\":-1e400}\n";
    let r = loads(TableKind::Orders, nd.as_bytes(), Some("ndjson"));
    assert_eq!((r.rows_in, r.rows_loaded), (9, 1), "{r:?}");
}

#[test]
fn extreme_member_attributes_stay_accounted() {
    // Members: join dates in year 0 and 9999, points 1e308 / NaN, a ragged row, duplicates.
    let text = "member_id,join_date,points,tier,tier\n\
                M1,2024-01-01,1e308,gold,x\n\
                M2,2024-01-01,NaN,silver,y\n\
                M3,2024-01-01,--5,gold\n\
                M1,2024-01-02,1,gold,z\n\
                M4,0000-01-01,1,gold,z\n\
                M5,9999-12-31,1,gold,z\n\
                M6,20240230,1,gold,z\n";
    let r = loads(TableKind::Members, text.as_bytes(), None);
    assert_eq!(r.rows_in, 7);
    let range = "date out of range (before 1900 or after 2199)";
    for (reason, n) in [
        ("duplicate member id", 1),
        ("wrong number of fields (expected 5)", 1),
        (range, 2),
        ("unparsable date", 1),
    ] {
        assert_eq!(r.count_reason(reason), n, "{reason}: {r:?}");
    }
    assert_eq!(r.rows_loaded, 2, "{r:?}");
}

trait ReasonOf {
    fn count_reason(&self, reason: &str) -> u64;
}

impl ReasonOf for LoadReport {
    fn count_reason(&self, reason: &str) -> u64 {
        self.rejected
            .iter()
            .find(|c| c.reason == reason)
            .map_or(0, |c| c.count)
    }
}
