//! Every export format written by the CLI, read back with an independent reader (the csv
//! crate, serde_json, calamine for XLSX, the Arrow IPC and Parquet readers, the zip reader)
//! and compared with the audience computed by the naive model of tests/common.

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use calamine::{Data, Reader, Xlsx};
use common::{cli, cli_ok, day_of, generate, session_of, temp_dir, Naive};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// Columns exported after member_id.
const COLUMNS: &[&str] = &[
    "recency_days",
    "frequency",
    "monetary",
    "segment",
    "stage",
    "last_purchase",
    "tier",
    "guide",
    "points",
    "tags",
    "order:store",
    "aov",
    "first_purchase_days",
    "tenure_days",
    "discount_share",
];

/// A value as a reader gives it, before it is made comparable.
#[derive(Debug, Clone)]
enum Got {
    S(String),
    I(i64),
    F(f64),
    Day(i64),
    List(Vec<String>),
    Null,
}

/// The comparable text of `v` in column `col`: whole numbers, money in cents, days since
/// 1970, numbers as f64, tags sorted and joined with `|`, missing as "".
fn canon(col: &str, v: &Got) -> String {
    let s = match v {
        Got::Null => return String::new(),
        Got::S(s) if s.is_empty() => return String::new(),
        Got::S(s) => s.clone(),
        Got::I(i) => i.to_string(),
        Got::F(x) => x.to_string(),
        Got::Day(d) => d.to_string(),
        Got::List(items) => {
            let mut items = items.clone();
            items.sort();
            return items.join("|");
        }
    };
    match (col, v) {
        ("recency_days" | "frequency" | "first_purchase_days" | "tenure_days", _) => {
            s.parse::<f64>().expect("whole number").to_string()
        }
        ("aov" | "discount_share", _) => format!("{:.9}", s.parse::<f64>().expect("number")),
        ("monetary", Got::F(x)) => ((x * 100.0).round() as i64).to_string(),
        ("monetary", _) => ((s.parse::<f64>().expect("money") * 100.0).round() as i64).to_string(),
        ("last_purchase", Got::S(s)) => day_of(s).to_string(),
        ("points", _) => s.parse::<f64>().expect("points").to_string(),
        ("tags", _) => {
            let mut items: Vec<&str> = s.split('|').collect();
            items.sort();
            items.join("|")
        }
        _ => s,
    }
}

/// The rows as comparable text, keyed by member id.
type Table = BTreeMap<String, Vec<String>>;

fn table(headers: &[String], rows: Vec<Vec<Got>>) -> Table {
    assert_eq!(headers[0], "member_id");
    assert_eq!(&headers[1..], COLUMNS);
    let mut out = Table::new();
    let mut last = String::new();
    for row in rows {
        let id = canon("member_id", &row[0]);
        assert!(id > last, "rows sorted by member id: {id} after {last}");
        last = id.clone();
        let values = headers[1..]
            .iter()
            .zip(&row[1..])
            .map(|(h, v)| canon(h, v))
            .collect();
        out.insert(id, values);
    }
    out
}

/// The audience (members with a purchase) with COLUMNS from the naive model; `segment`
/// from the `rfm` command (checked against DuckDB by the differential stage).
fn expected(dir: &Path) -> Table {
    let naive = Naive::read(dir);
    let as_of = naive.latest();
    let stages = naive.stages(as_of);
    let rfm_out = dir.join("rfm.csv");
    cli_ok(&[
        "rfm",
        "--orders",
        dir.join("orders.csv").to_str().expect("path"),
        "--out",
        rfm_out.to_str().expect("path"),
    ]);
    let (rh, rrows) = common::read_csv(&rfm_out);
    let seg_col = rh.iter().position(|h| h == "segment").expect("segment");
    let segments: BTreeMap<String, String> = rrows
        .into_iter()
        .map(|r| (r[0].clone(), r[seg_col].clone()))
        .collect();
    // The store of each member's latest purchase (file order among same-day purchases).
    let mut last_store: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for o in naive
        .orders
        .iter()
        .filter(|o| o.cents > 0 && o.day <= as_of)
    {
        let Some(m) = &o.member else { continue };
        let e = last_store
            .entry(m.clone())
            .or_insert((o.day, String::new()));
        if o.day >= e.0 {
            *e = (o.day, o.cols["store"].clone());
        }
    }
    // Gross purchase amount and purchases with a discount, per member.
    let mut gross: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for o in naive
        .orders
        .iter()
        .filter(|o| o.cents > 0 && o.day <= as_of)
    {
        let Some(m) = &o.member else { continue };
        let e = gross.entry(m.clone()).or_default();
        e.0 += o.cents;
        e.1 += i64::from(o.discount > 0);
    }
    let mut out = Table::new();
    for (m, (f, cents, first, last)) in naive.base(as_of) {
        if f < 1 {
            continue;
        }
        let attr = |k: &str| {
            naive
                .members
                .get(&m)
                .map_or(String::new(), |r| r[k].clone())
        };
        let last = last.expect("buyer");
        let points = attr("points");
        let mut tags = naive.tags(&m);
        tags.sort();
        let row = vec![
            (as_of - last).to_string(),
            f.to_string(),
            cents.to_string(),
            segments[&m].clone(),
            stages[&m].to_string(),
            last.to_string(),
            attr("tier"),
            attr("guide"),
            if points.is_empty() {
                points
            } else {
                points.parse::<f64>().expect("points").to_string()
            },
            tags.join("|"),
            last_store[&m].1.clone(),
            format!("{:.9}", gross[&m].0 as f64 / 100.0 / f as f64),
            (as_of - first.expect("buyer")).to_string(),
            {
                let join = attr("join_date");
                let since = if join.is_empty() {
                    first.expect("buyer")
                } else {
                    day_of(&join)
                };
                (as_of - since).to_string()
            },
            format!("{:.9}", gross[&m].1 as f64 / f as f64),
        ];
        out.insert(m, row);
    }
    out
}

const RULE: &str =
    r#"{"version":1,"name":"buyers 买家","rule":{"metric":{"name":"frequency","gte":1}}}"#;

/// Runs `export` on the sample in `dir` and returns the file's bytes.
fn export(dir: &Path, extra: &[&str], out: &str) -> Vec<u8> {
    let rule = dir.join("rule.json");
    std::fs::write(&rule, RULE).expect("rule");
    let out = dir.join(out);
    let columns = COLUMNS.join(",");
    let (orders, members) = (dir.join("orders.csv"), dir.join("members.csv"));
    let mut args = vec![
        "export",
        "--orders",
        orders.to_str().expect("path"),
        "--members",
        members.to_str().expect("path"),
        "--rule",
        rule.to_str().expect("path"),
        "--columns",
        &columns,
        "--out",
        out.to_str().expect("path"),
    ];
    args.extend_from_slice(extra);
    cli_ok(&args);
    std::fs::read(&out).expect("export written")
}

fn read_csv_bytes(bytes: &[u8]) -> (Vec<String>, Vec<Vec<Got>>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("UTF-8 BOM");
    let mut r = csv::Reader::from_reader(body);
    let headers = r
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.expect("record")
                .iter()
                .map(|s| Got::S(s.to_string()))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn read_json(bytes: &[u8]) -> (Vec<String>, Vec<Vec<Got>>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(text).expect("a JSON array of objects");
    let headers: Vec<String> = rows[0].keys().cloned().collect();
    let got = |v: &serde_json::Value| match v {
        serde_json::Value::Null => Got::Null,
        serde_json::Value::String(s) => Got::S(s.clone()),
        serde_json::Value::Number(n) if n.is_i64() => Got::I(n.as_i64().expect("i64")),
        serde_json::Value::Number(n) => Got::F(n.as_f64().expect("f64")),
        serde_json::Value::Array(a) => Got::List(
            a.iter()
                .map(|t| t.as_str().expect("tag").to_string())
                .collect(),
        ),
        other => panic!("unexpected JSON value {other}"),
    };
    let rows = rows
        .iter()
        .map(|r| headers.iter().map(|h| got(&r[h])).collect())
        .collect();
    (headers, rows)
}

fn read_xlsx(bytes: &[u8]) -> (Vec<String>, Vec<Vec<Got>>) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let sheet = book.sheet_names()[0].clone();
    assert_eq!(sheet, "buyers 买家");
    let range = book.worksheet_range(&sheet).expect("sheet");
    let mut rows = range.rows();
    let headers: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let rows = rows
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, v)| match v {
                    Data::Empty => Got::Null,
                    Data::String(s) => {
                        let h = headers[c].as_str();
                        assert!(
                            !matches!(h, "recency_days" | "frequency" | "monetary" | "points"),
                            "{h} is a number cell, not text {s:?}"
                        );
                        Got::S(s.clone())
                    }
                    Data::Float(x) => Got::F(*x),
                    Data::Int(i) => Got::I(*i),
                    // Excel's serial day 25569 is 1970-01-01.
                    Data::DateTime(d) => Got::Day(d.as_f64() as i64 - 25_569),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect();
    (headers, rows)
}

fn read_batches(batches: &[RecordBatch]) -> (Vec<String>, Vec<Vec<Got>>) {
    let schema = batches[0].schema();
    let headers: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = Vec::new();
    for b in batches {
        for i in 0..b.num_rows() {
            let row = b
                .columns()
                .iter()
                .map(|col| {
                    if col.is_null(i) {
                        return Got::Null;
                    }
                    match col.data_type() {
                        DataType::Utf8 => Got::S(col.as_string::<i32>().value(i).to_string()),
                        DataType::Int64 => Got::I(col.as_primitive::<Int64Type>().value(i)),
                        DataType::Float64 => Got::F(col.as_primitive::<Float64Type>().value(i)),
                        DataType::Date32 => {
                            Got::Day(col.as_primitive::<Date32Type>().value(i).into())
                        }
                        DataType::Decimal128(_, 2) => Got::I(
                            col.as_primitive::<arrow_array::types::Decimal128Type>()
                                .value(i) as i64,
                        ),
                        DataType::List(_) => {
                            let list = col.as_list::<i32>().value(i);
                            let s = list.as_string::<i32>();
                            Got::List((0..s.len()).map(|k| s.value(k).to_string()).collect())
                        }
                        other => panic!("unexpected Arrow type {other}"),
                    }
                })
                .collect();
            rows.push(row);
        }
    }
    (headers, rows)
}

/// Money read as Decimal128 cents (Got::I) is already in cents: mark it so `canon` keeps it.
fn cents_from_decimal(mut t: (Vec<String>, Vec<Vec<Got>>)) -> (Vec<String>, Vec<Vec<Got>>) {
    let c = t.0.iter().position(|h| h == "monetary").expect("monetary");
    for row in &mut t.1 {
        if let Got::I(cents) = row[c] {
            row[c] = Got::F(cents as f64 / 100.0);
        }
    }
    t
}

#[test]
fn every_format_reads_back_as_the_audience() {
    let dir = generate("export-formats", 400, 11, "en");
    let want = expected(&dir);
    assert!(want.len() > 100);

    let csv = export(&dir, &[], "a.csv");
    let (h, rows) = read_csv_bytes(&csv);
    assert_eq!(table(&h, rows), want, "csv");

    let json = export(&dir, &["--format", "json"], "a.json");
    let (h, rows) = read_json(&json);
    assert_eq!(table(&h, rows), want, "json");

    let xlsx = export(&dir, &["--format", "xlsx"], "a.xlsx");
    let (h, rows) = read_xlsx(&xlsx);
    assert_eq!(table(&h, rows), want, "xlsx");
    // The header row is frozen.
    let sheet = zip_file(&xlsx, "xl/worksheets/sheet1.xml");
    let sheet = String::from_utf8(sheet).expect("xml");
    assert!(
        sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
        "frozen header pane"
    );

    let arrow = export(&dir, &["--format", "arrow"], "a.arrow");
    let reader =
        arrow_ipc::reader::FileReader::try_new(Cursor::new(arrow), None).expect("arrow file");
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
    let (h, rows) = cents_from_decimal(read_batches(&batches));
    assert_eq!(table(&h, rows), want, "arrow");

    let parquet = export(&dir, &["--format", "parquet"], "a.parquet");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::from(parquet),
    )
    .expect("parquet")
    .build()
    .expect("reader");
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
    assert_eq!(
        batches[0]
            .schema()
            .field_with_name("monetary")
            .expect("monetary")
            .data_type(),
        &DataType::Decimal128(18, 2)
    );
    let (h, rows) = cents_from_decimal(read_batches(&batches));
    assert_eq!(table(&h, rows), want, "parquet");
}

fn zip_file(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut f = zip.by_name(name).expect(name);
    let mut out = Vec::new();
    f.read_to_end(&mut out).expect("read");
    out
}

#[test]
fn split_by_guide_zips_one_file_per_guide_with_a_summary() {
    let dir = generate("export-split", 300, 12, "en");
    let want = expected(&dir);
    let guide = 1 + COLUMNS.iter().position(|c| *c == "guide").expect("guide");
    let mut by_guide: BTreeMap<String, Table> = BTreeMap::new();
    for (m, row) in &want {
        let file = match row[guide - 1].as_str() {
            "" => "(none).csv".to_string(),
            g => format!("{g}.csv"),
        };
        by_guide
            .entry(file)
            .or_default()
            .insert(m.clone(), row.clone());
    }
    let zip_bytes = export(&dir, &["--split-by", "guide"], "split.zip");
    let mut zip = zip::ZipArchive::new(Cursor::new(&zip_bytes)).expect("zip");
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    names.sort();
    let mut want_names: Vec<String> = by_guide.keys().cloned().collect();
    want_names.push("summary.csv".into());
    want_names.sort();
    assert_eq!(names, want_names);
    for (file, rows) in &by_guide {
        let mut bytes = Vec::new();
        zip.by_name(file)
            .expect("part")
            .read_to_end(&mut bytes)
            .expect("read");
        let (h, got) = read_csv_bytes(&bytes);
        assert_eq!(&table(&h, got), rows, "{file}");
    }
    let mut summary = Vec::new();
    zip.by_name("summary.csv")
        .expect("summary")
        .read_to_end(&mut summary)
        .expect("read");
    let mut r = csv::Reader::from_reader(summary.strip_prefix(b"\xEF\xBB\xBF").expect("BOM"));
    assert_eq!(r.headers().expect("h"), vec!["file", "value", "members"]);
    let counts: BTreeMap<String, usize> = r
        .records()
        .map(|rec| {
            let rec = rec.expect("row");
            (rec[0].to_string(), rec[2].parse().expect("count"))
        })
        .collect();
    let want_counts: BTreeMap<String, usize> =
        by_guide.iter().map(|(f, t)| (f.clone(), t.len())).collect();
    assert_eq!(counts, want_counts);

    // An XLSX split has its summary as a sheet, counts as numbers.
    let xlsx_zip = export(&dir, &["--split-by", "guide", "--format", "xlsx"], "x.zip");
    let summary = zip_file(&xlsx_zip, "summary.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(summary)).expect("xlsx");
    let range = book.worksheet_range("summary").expect("summary sheet");
    let got: BTreeMap<String, usize> = range
        .rows()
        .skip(1)
        .map(|r| match &r[2] {
            Data::Float(n) => (r[0].to_string(), *n as usize),
            other => panic!("count {other:?}"),
        })
        .collect();
    let want: BTreeMap<String, usize> = want_counts
        .iter()
        .map(|(f, n)| (f.replace(".csv", ".xlsx"), *n))
        .collect();
    assert_eq!(got, want);
}

/// Members whose notes a spreadsheet would run as formulas, and Chinese text.
const NOTES: &[&str] = &[
    "=1+1",
    "+86 138",
    "-2+3",
    "@SUM(A1:A2)",
    "=HYPERLINK(\"http://x\",\"y\")",
    "导购 张三 · 敏感肌",
    "plain",
];

fn notes_dir() -> std::path::PathBuf {
    let dir = temp_dir("export-formula");
    let mut members = String::from("member_id,tier,note\n");
    let mut orders = String::from("order_id,member_id,order_time,paid_amount\n");
    for (i, note) in NOTES.iter().enumerate() {
        let note = note.replace('"', "\"\"");
        members.push_str(&format!("m{i},金卡,\"{note}\"\n"));
        orders.push_str(&format!("o{i},m{i},2025-01-0{} 10:00:00,10.00\n", i + 1));
    }
    std::fs::write(dir.join("members.csv"), members).expect("members");
    std::fs::write(dir.join("orders.csv"), orders).expect("orders");
    std::fs::write(dir.join("rule.json"), RULE).expect("rule");
    dir
}

fn export_notes(dir: &Path, format: &str) -> Vec<u8> {
    let out = dir.join(format!("notes.{format}"));
    cli_ok(&[
        "export",
        "--orders",
        dir.join("orders.csv").to_str().expect("path"),
        "--members",
        dir.join("members.csv").to_str().expect("path"),
        "--rule",
        dir.join("rule.json").to_str().expect("path"),
        "--columns",
        "note,tier,monetary",
        "--format",
        format,
        "--out",
        out.to_str().expect("path"),
    ]);
    std::fs::read(out).expect("written")
}

#[test]
fn csv_cells_that_look_like_formulas_are_inert_and_chinese_survives() {
    let dir = notes_dir();
    let bytes = export_notes(&dir, "csv");
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM")).expect("UTF-8");
    assert!(text.contains("\r\n"), "CRLF line ends");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut notes = Vec::new();
    for rec in r.records() {
        let rec = rec.expect("record");
        assert_eq!(&rec[2], "金卡");
        assert_eq!(&rec[3], "10.00", "computed numbers are not prefixed");
        notes.push(rec[1].to_string());
    }
    for (got, raw) in notes.iter().zip(NOTES) {
        // A spreadsheet runs a cell that starts with = + - @; a leading ' makes it text.
        assert!(
            !got.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{got:?} is inert"
        );
        if raw.starts_with(['=', '+', '-', '@']) {
            assert_eq!(got, &format!("'{raw}"));
        } else {
            assert_eq!(got, raw);
        }
    }

    // In XLSX the same text is a string cell, never a formula.
    let xlsx = export_notes(&dir, "xlsx");
    let sheet = String::from_utf8(zip_file(&xlsx, "xl/worksheets/sheet1.xml")).expect("xml");
    assert!(!sheet.contains("<f>"), "no formula cell");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).expect("xlsx");
    let range = book.worksheet_range("buyers 买家").expect("sheet");
    let cells: Vec<String> = range.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert_eq!(cells, NOTES);
    assert_eq!(
        range.rows().nth(1).expect("row")[2],
        Data::String("金卡".into())
    );
}

#[test]
fn export_errors_are_clear() {
    let dir = notes_dir();
    let base = |extra: &[&str]| {
        let mut args = vec![
            "export".to_string(),
            "--orders".into(),
            dir.join("orders.csv").display().to_string(),
            "--members".into(),
            dir.join("members.csv").display().to_string(),
            "--rule".into(),
            dir.join("rule.json").display().to_string(),
            "--out".into(),
            dir.join("x.out").display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(base(&["--format", "pdf"]).contains("--format \"pdf\": expected csv, xlsx"));
    assert!(base(&["--profile", "myspace"]).contains("--profile \"myspace\""));
    assert!(base(&["--columns", "nope"]).contains("unknown column \"nope\""));
    assert!(base(&["--split-by", "tags"]).contains("cannot split"));
    assert!(base(&["--profile", "meta"]).contains("no email or phone column"));
    assert!(base(&["--profile", "meta", "--format", "xlsx"]).contains("CSV"));
}

/// A page of `lab.members` computes the columns of its own members only; its cells must be
/// the export's for the same members, for every catalog column, tags and attributes.
#[test]
fn a_page_of_members_shows_the_exports_values() {
    use audience_lab::metrics::AnalysisOptions;
    use audience_lab::segment::parse_segment;
    let dir = generate("members_page", 800, 41, "en");
    let mut s = session_of(&dir);
    let columns: Vec<String> = audience_lab::catalog::ids()
        .chain(["tags", "tier", "join_date", "order:store"])
        .map(String::from)
        .collect();
    let seg = parse_segment(r#"{"not":{"lifecycle":["churned"]}}"#).expect("rule");
    let opts = AnalysisOptions::default();
    let csv = s.export_csv(&seg, &columns, &opts, false).expect("export");
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let all: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    let page = s.members(&seg, &columns, 37, 25, &opts).expect("page");
    assert_eq!(page.total as usize, all.len());
    assert_eq!(page.rows.len(), 25);
    assert_eq!(page.rows, all[37..62].to_vec());
    let past = s
        .members(&seg, &columns, all.len() + 5, 10, &opts)
        .expect("past the end");
    assert!(past.rows.is_empty());
}
