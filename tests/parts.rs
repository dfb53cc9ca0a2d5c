//! A file read in parts (several threads natively, several workers in the browser) gives the
//! table of a load in one piece: the same rows in the same order, the same dictionaries, the
//! same types and the same report (row numbers of the whole file), for every encoding, with
//! rejected rows in every part, and with quoted fields whose newlines a cut may fall into.

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use audience_lab::load::parallel::{load_in_parts, load_part};
use audience_lab::load::parts::cuts;
use audience_lab::load::{LoadOptions, Loader, Table, TableKind};

/// Every cell of `t` as text, column by column, and each dictionary column's values.
fn cells(t: &Table) -> Vec<(String, Vec<String>, Vec<String>)> {
    let Some(schema) = t.batches.first().map(|b| b.schema()) else {
        return Vec::new();
    };
    let opts = FormatOptions::default().with_null("∅");
    schema
        .fields()
        .iter()
        .map(|f| {
            let mut values = Vec::new();
            let mut dict = Vec::new();
            for (i, col) in t.column(f.name()).into_iter().enumerate() {
                let fmt = ArrayFormatter::try_new(col.as_ref(), &opts).expect("formatter");
                values.extend((0..col.len()).map(|r| fmt.value(r).to_string()));
                if let (0, Some(d)) = (i, col.as_dictionary_opt::<UInt32Type>()) {
                    dict = d
                        .values()
                        .as_string::<i32>()
                        .iter()
                        .map(|v| v.unwrap_or("").to_string())
                        .collect();
                }
            }
            (format!("{}: {}", f.name(), f.data_type()), values, dict)
        })
        .collect()
}

/// How many parts `bytes` is cut into for `parts` workers.
fn cut_count(kind: TableKind, bytes: &[u8], parts: usize) -> usize {
    let mut l = Loader::new(kind, &LoadOptions::default())
        .expect("loader")
        .in_parts();
    let mut read = 0;
    let mut plan = None;
    for c in bytes.chunks(64 * 1024) {
        l.push(c).expect("push");
        read += c.len();
        plan = l.plan();
        if plan.is_some() {
            break;
        }
    }
    let Some(plan) = plan else { return 1 };
    cuts(bytes.len() as u64, parts, read as u64, |at| {
        Ok(plan.boundary(&bytes[at as usize..]).map(|b| at + b as u64))
    })
    .expect("cuts")
    .len()
        - 1
}

/// Loads `bytes` in one piece and in 2, 3 and 4 parts and holds them equal; returns the
/// one-piece table.
fn same_in_parts(kind: TableKind, bytes: &[u8], opts: &LoadOptions, what: &str) -> Table {
    let one = load_in_parts(kind, bytes, opts, 1, &mut |_| {}).expect("one part");
    let plain = audience_lab::load::load(kind, bytes, opts, &mut |_| {}).expect("plain load");
    assert_eq!(one.report, plain.report, "{what}: in_parts(1) vs load");
    assert_eq!(cells(&one), cells(&plain), "{what}: in_parts(1) vs load");
    for parts in [2, 3, 4] {
        let t = load_in_parts(kind, bytes, opts, parts, &mut |_| {}).expect("parts");
        assert_eq!(t.report, one.report, "{what}: report with {parts} parts");
        assert_eq!(t.lines, one.lines, "{what}: lines with {parts} parts");
        let (a, b) = (cells(&t), cells(&one));
        assert_eq!(a.len(), b.len(), "{what}: columns with {parts} parts");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.0, y.0, "{what}: column type with {parts} parts");
            assert!(
                x.1 == y.1,
                "{what}: column {} differs with {parts} parts",
                x.0
            );
            assert!(
                x.2 == y.2,
                "{what}: dictionary of {} differs with {parts} parts",
                x.0
            );
        }
    }
    one
}

#[test]
fn generated_exports_in_parts_equal_one_piece() {
    for lang in ["en", "zh"] {
        let dir = common::generate(&format!("parts-{lang}"), 6_000, 7, lang);
        for (kind, file) in [
            (TableKind::Orders, "orders.csv"),
            (TableKind::Members, "members.csv"),
        ] {
            let bytes = std::fs::read(dir.join(file)).expect("read");
            assert!(cut_count(kind, &bytes, 4) >= 3, "{lang} {file} is cut");
            let t = same_in_parts(
                kind,
                &bytes,
                &LoadOptions::default(),
                &format!("{lang} {file}"),
            );
            assert!(t.num_rows() > 5_000, "{lang} {file}: {} rows", t.num_rows());
        }
    }
}

/// Orders with a rejected row of each kind every few hundred rows, so that every part has
/// some (the report's samples and counts must come out with the file's row numbers).
fn orders_with_rejects(n: usize) -> String {
    let mut s = String::from("member_id,order_date,amount,store,note\n");
    for i in 0..n {
        match i % 397 {
            5 => s.push_str("m1,not a date,10,s1,x\n"),
            17 => s.push_str("m2,2024-01-02,10\n"),
            29 => s.push_str(",,,,\n"),
            41 => s.push_str(&format!("m{i},2024-02-30,5,s9,y\n")),
            _ => s.push_str(&format!(
                "m{},2024-{:02}-{:02},{}.{:02},store {},n{}\n",
                i % 1_700,
                i % 12 + 1,
                i % 28 + 1,
                i % 500,
                i % 100,
                i % 9,
                i % 13
            )),
        }
    }
    s
}

#[test]
fn rejected_rows_keep_the_files_row_numbers_in_every_part() {
    let text = orders_with_rejects(30_000);
    let t = same_in_parts(
        TableKind::Orders,
        text.as_bytes(),
        &LoadOptions::default(),
        "rejects",
    );
    assert!(t.report.rows_rejected > 250, "{}", t.report.rows_rejected);
    assert_eq!(t.report.samples.len(), 20);
    // A late sample row (in the last part) is found at its row number in the file.
    let lines: Vec<&str> = text.lines().collect();
    for s in &t.report.samples {
        let line = lines[(s.row - 1) as usize];
        assert!(
            line.starts_with("m1,not a date")
                || line.starts_with("m2,")
                || line == ",,,,"
                || line.contains("2024-02-30"),
            "row {}: {line}",
            s.row
        );
    }
}

#[test]
fn gbk_and_utf16_text_is_cut_between_characters() {
    let mut text = String::from("会员编号,订单日期,实付金额,门店,备注\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "会员{:05},2024-{:02}-{:02},{}.5,上海{}店,“送礼”{}\n",
            i % 3_000,
            i % 12 + 1,
            i % 28 + 1,
            i % 300,
            i % 7,
            "敏感肌".repeat(i % 4)
        ));
    }
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    assert!(cut_count(TableKind::Orders, &gbk, 4) >= 3);
    let t = same_in_parts(TableKind::Orders, &gbk, &LoadOptions::default(), "gbk");
    assert_eq!(t.report.encoding, "gb18030");
    assert_eq!(t.report.rows_loaded, 20_000);
    for le in [true, false] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        bytes.extend(text.encode_utf16().flat_map(|u| {
            if le {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        }));
        assert!(cut_count(TableKind::Orders, &bytes, 4) >= 3);
        let t = same_in_parts(TableKind::Orders, &bytes, &LoadOptions::default(), "utf-16");
        assert_eq!(t.report.rows_loaded, 20_000);
    }
}

/// Members whose note is quoted and holds newlines in `every`-th row.
fn members_with_quoted_newlines(n: usize, every: usize) -> String {
    let mut s = String::from("member_id,join_date,vip_level,note,score\n");
    for i in 0..n {
        let note = if i % every == 0 {
            format!("\"line one\nline two, \"\"quoted\"\"\n{i}\"")
        } else {
            format!("plain {i}")
        };
        // vip_level is a number except far down the file: the column is text.
        let level = if i == n - 10 {
            "gold".to_string()
        } else {
            (i % 5).to_string()
        };
        s.push_str(&format!(
            "u{i},2023-{:02}-{:02},{level},{note},{}\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 97
        ));
    }
    s
}

#[test]
fn quoted_newlines_across_cuts_give_the_same_table() {
    // Rare multi-line notes (cuts mostly fall between rows) and frequent ones (cuts fall into
    // quoted fields, and the load goes back to one piece): the same table either way.
    for every in [997, 2] {
        let text = members_with_quoted_newlines(20_000, every);
        assert!(cut_count(TableKind::Members, text.as_bytes(), 4) >= 3);
        let t = same_in_parts(
            TableKind::Members,
            text.as_bytes(),
            &LoadOptions::default(),
            &format!("notes every {every}"),
        );
        assert_eq!(t.report.rows_loaded, 20_000);
        let ty = |name: &str| {
            t.report
                .columns
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.ty.clone())
        };
        assert_eq!(ty("vip_level").as_deref(), Some("string"));
        assert_eq!(ty("score").as_deref(), Some("number"));
    }
}

#[test]
fn a_part_cut_inside_a_quoted_field_says_so() {
    let text = members_with_quoted_newlines(3_000, 2);
    let bytes = text.as_bytes();
    let mut l = Loader::new(TableKind::Members, &LoadOptions::default())
        .expect("loader")
        .in_parts();
    l.push(bytes).expect("push");
    let plan = l.plan().expect("plan");
    // A cut just after the first newline inside row 2's quoted note ("line one\n").
    let inside = text.find("line one\n").expect("note") + "line one\n".len();
    let mut first = Loader::new(TableKind::Members, &LoadOptions::default())
        .expect("loader")
        .in_parts();
    first.push(&bytes[..inside]).expect("push");
    assert!(
        first.end_part(false).expect("end").is_none(),
        "a part ending in a quote is unclean"
    );
    // Cut at a row boundary instead: both parts are clean.
    let row = text.find("\nu3,").expect("row 3") + 1;
    let mut first = Loader::new(TableKind::Members, &LoadOptions::default())
        .expect("loader")
        .in_parts();
    first.push(&bytes[..row]).expect("push");
    assert!(first.end_part(false).expect("end").is_some());
    let rest = load_part(
        TableKind::Members,
        &LoadOptions::default(),
        &plan,
        &bytes[row..],
        true,
    )
    .expect("part");
    assert_eq!(rest.expect("clean").sunk.rows_in, 2_997);
}

#[test]
fn the_cli_reads_with_threads_and_gives_the_same_summary() {
    // Big enough (9 MB of orders) to be read in two parts.
    let dir = common::generate("parts-cli", 30_000, 11, "en");
    let orders = dir.join("orders.csv");
    let members = dir.join("members.csv");
    let run = |workers: &str| {
        common::cli_ok(&[
            "kpi",
            "--orders",
            orders.to_str().expect("path"),
            "--members",
            members.to_str().expect("path"),
            "--workers",
            workers,
        ])
    };
    let one = run("1");
    assert!(one.contains("repeatPurchaseRate"), "{one}");
    assert_eq!(one, run("4"));
}

/// The browser's way: the first part in the engine's session, the plan as JSON to the other
/// workers, their parts back as bytes (Arrow IPC), merged by the session.
#[test]
fn parts_that_cross_workers_as_bytes_merge_to_the_same_table() {
    use audience_lab::load::parts::{Part, Plan};
    let dir = common::generate("parts-wire", 6_000, 3, "zh");
    for (kind, file) in [
        (TableKind::Orders, "orders.csv"),
        (TableKind::Members, "members.csv"),
    ] {
        let bytes = std::fs::read(dir.join(file)).expect("read");
        let opts = LoadOptions::default();
        let mut s = audience_lab::Session::new();
        s.begin_load_in_parts(kind, &opts).expect("begin");
        let mut read = 0;
        let mut plan = None;
        for c in bytes.chunks(64 * 1024) {
            s.push_chunk(c).expect("push");
            read += c.len();
            plan = s.load_plan();
            if plan.is_some() {
                break;
            }
        }
        let json = plan.expect("plan").to_json();
        let plan = Plan::from_json(kind, &json).expect("plan json");
        let cuts = cuts(bytes.len() as u64, 3, read as u64, |at| {
            Ok(plan.boundary(&bytes[at as usize..]).map(|b| at + b as u64))
        })
        .expect("cuts");
        assert_eq!(cuts.len(), 4, "{file}: {cuts:?}");
        s.push_chunk(&bytes[read..cuts[1] as usize])
            .expect("first part");
        let later: Vec<Part> = (1..3)
            .map(|i| {
                let part = &bytes[cuts[i] as usize..cuts[i + 1] as usize];
                let p = load_part(kind, &opts, &plan, part, i == 2)
                    .expect("part")
                    .expect("clean");
                Part::from_bytes(&p.to_bytes().expect("to bytes")).expect("from bytes")
            })
            .collect();
        let merged = s
            .end_load_parts(later)
            .expect("merge")
            .expect("clean first part");
        let one = audience_lab::load::load(kind, &bytes, &opts, &mut |_| {}).expect("one");
        assert_eq!(merged, one.report, "{file}");
    }
    // And the session's answers are those of a load in one piece.
    let mut parts = audience_lab::Session::new();
    let mut whole = common::session_of(&dir);
    for (kind, file) in [
        (TableKind::Members, "members.csv"),
        (TableKind::Orders, "orders.csv"),
    ] {
        let bytes = std::fs::read(dir.join(file)).expect("read");
        let t =
            load_in_parts(kind, &bytes, &LoadOptions::default(), 4, &mut |_| {}).expect("parts");
        parts.put_table(t);
    }
    let opts = audience_lab::metrics::AnalysisOptions::default();
    assert_eq!(
        parts.rfm(&opts).expect("rfm"),
        whole.rfm(&opts).expect("rfm")
    );
}

/// A Parquet file of `n` orders in row groups of `group` rows (dictionary-encoded text, some
/// rows without an amount or a date: rejected in every part).
fn orders_parquet(n: usize, group: usize) -> Vec<u8> {
    use arrow_array::{ArrayRef, Date32Array, Float64Array, RecordBatch, StringArray};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;
    use std::sync::Arc;
    let ids: Vec<String> = (0..n).map(|i| format!("m{}", (i * 7919) % 2_500)).collect();
    let days: Vec<Option<i32>> = (0..n)
        .map(|i| (i % 311 != 5).then_some(19_000 + (i % 700) as i32))
        .collect();
    let amounts: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 257 != 3).then_some((i % 900) as f64 + 0.5))
        .collect();
    let stores: Vec<String> = (0..n).map(|i| format!("store {}", i % 13)).collect();
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("member_id", Arc::new(StringArray::from(ids))),
        ("order_date", Arc::new(Date32Array::from(days))),
        ("amount", Arc::new(Float64Array::from(amounts))),
        ("store", Arc::new(StringArray::from(stores))),
    ];
    let batch = RecordBatch::try_from_iter(cols).expect("batch");
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
    out
}

#[test]
fn parquet_row_groups_read_in_parts_equal_one_piece() {
    use audience_lab::load::columnar::parquet_row_groups;
    use audience_lab::load::parallel::group_ranges;
    let bytes = orders_parquet(30_000, 4_000);
    let rows = parquet_row_groups(&bytes, "o.parquet").expect("groups");
    assert_eq!(rows.len(), 8);
    assert_eq!(group_ranges(&rows, 2), vec![0..4, 4..8]);
    assert_eq!(group_ranges(&rows, 3).len(), 3);
    // A first group smaller than the sample: one part.
    assert_eq!(group_ranges(&[900, 100, 100, 100], 4), vec![0..4]);
    assert_eq!(group_ranges(&[800, 5_000, 5_000], 2), vec![0..2, 2..3]);
    let one = audience_lab::load::load(
        TableKind::Orders,
        &bytes,
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("one");
    assert!(
        one.report.rows_rejected > 200,
        "{}",
        one.report.rows_rejected
    );
    for workers in [2, 3, 4] {
        let opts = LoadOptions {
            workers: Some(workers),
            ..LoadOptions::default()
        };
        let t =
            audience_lab::load::load(TableKind::Orders, &bytes, &opts, &mut |_| {}).expect("parts");
        assert_eq!(t.report, one.report, "{workers} workers");
        assert_eq!(cells(&t), cells(&one), "{workers} workers");
    }
    // A later part read alone: its own rows, numbered after the parts before it by the merge.
    let later = audience_lab::load::parallel::read_groups(
        TableKind::Orders,
        &LoadOptions::default(),
        &bytes,
        4..8,
    )
    .expect("later part")
    .expect("a Parquet part always ends whole");
    assert_eq!(later.sunk.rows_in, 14_000);
    assert_eq!(later.records, 14_000);
}

/// The browser's load by row groups: the engine reads the first row groups as soon as the
/// file is given (`read_row_groups_now`, while part workers read the others) or at the end;
/// either way, the table and the report of a load in one piece.
#[test]
fn row_groups_read_before_the_later_parts_come_give_the_same_table() {
    use audience_lab::load::parallel::read_groups;
    use audience_lab::load::parts::Part;
    let bytes = orders_parquet(30_000, 4_000);
    let opts = LoadOptions::default();
    let one = audience_lab::load::load(TableKind::Orders, &bytes, &opts, &mut |_| {}).expect("one");
    let later = || {
        let p = read_groups(TableKind::Orders, &opts, &bytes, 4..8)
            .expect("later part")
            .expect("whole");
        Part::from_bytes(&p.to_bytes().expect("to bytes")).expect("from bytes")
    };
    for early in [true, false] {
        let mut loader = Loader::new(TableKind::Orders, &opts)
            .expect("loader")
            .in_parts()
            .row_groups(0..4);
        for c in bytes.chunks(64 * 1024) {
            loader.push(c).expect("push");
        }
        if early {
            loader.read_row_groups_now().expect("read now");
            // Asking twice reads nothing again.
            loader.read_row_groups_now().expect("read now again");
        }
        let first = loader.end_part(false).expect("end").expect("whole");
        assert_eq!(first.sunk.rows_in, 16_000, "early: {early}");
        let t = loader.finish_parts(vec![first, later()]).expect("merge");
        assert_eq!(t.report, one.report, "early: {early}");
        assert_eq!(cells(&t), cells(&one), "early: {early}");
    }
    // Through the session, as the browser's engine calls it.
    let mut s = audience_lab::Session::new();
    s.begin_load_in_parts(TableKind::Orders, &opts)
        .expect("begin");
    s.load_row_groups(0..4).expect("groups");
    for c in bytes.chunks(1 << 20) {
        s.push_chunk(c).expect("push");
    }
    s.read_row_groups_now().expect("read now");
    let report = s
        .end_load_parts(vec![later()])
        .expect("merge")
        .expect("whole");
    assert_eq!(report, one.report);
    // A file that is not Parquet fails there, and the load is dropped.
    let mut s = audience_lab::Session::new();
    s.begin_load_in_parts(TableKind::Orders, &opts)
        .expect("begin");
    s.load_row_groups(0..4).expect("groups");
    s.push_chunk(b"PAR1 this is not a Parquet file PAR1")
        .expect("push");
    assert!(s.read_row_groups_now().is_err());
    assert!(
        s.end_load_parts(vec![later()]).is_err(),
        "no load left in progress"
    );
}
