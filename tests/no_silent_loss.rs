//! No silent loss (issue 10, item 6, native side): every row of a file is loaded or rejected
//! (rows in = records counted independently by the `csv` crate), and an exported audience holds
//! exactly the counted members — also when member ids look like formulas, hold delimiters,
//! quotes, line breaks or markup.

use audience_lab::gen::{generate, GenOptions};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use std::collections::BTreeSet;

const HOSTILE_IDS: [&str; 8] = [
    "=1+1",
    "+SUM(A1)",
    "@cmd",
    "-2",
    "M,comma",
    "say \"hi\"",
    "line\nbreak",
    "<script>alert(1)</script>",
];

/// CSV records of `bytes` after the header, counted by the `csv` crate.
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("csv").iter().map(String::from).collect())
        .collect()
}

fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

fn session() -> (Session, BTreeSet<String>) {
    let files = generate(&GenOptions {
        members: 300,
        seed: 21,
        ..GenOptions::default()
    })
    .expect("generate");
    let mut members = files.members.clone();
    let mut ids: BTreeSet<String> = records(&files.members)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let header = String::from_utf8_lossy(&files.members)
        .lines()
        .next()
        .map(str::to_string);
    let header = header.expect("header");
    assert!(header.starts_with("member_id,join_date,tier,"), "{header}");
    let empty = ",".repeat(header.split(',').count() - 3);
    for (i, id) in HOSTILE_IDS.iter().enumerate() {
        let line = format!("{},2024-01-0{},gold{empty}\n", quote(id), i + 1);
        members.extend_from_slice(line.as_bytes());
        ids.insert(id.to_string());
    }
    let mut s = Session::new();
    for (kind, bytes) in [
        (TableKind::Orders, &files.orders),
        (TableKind::Members, &members),
    ] {
        let opts = LoadOptions {
            name: kind.name().into(),
            ..LoadOptions::default()
        };
        let r = s.load(kind, bytes, &opts, &mut |_| {}).expect("load");
        assert_eq!(r.rows_in, records(bytes).len() as u64, "{}", r.name);
        assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected, "{}", r.name);
    }
    (s, ids)
}

#[test]
fn exported_audiences_hold_exactly_the_counted_members() {
    let (mut s, all_ids) = session();
    let opts = AnalysisOptions::default();
    let rules = [
        r#"{"metric":{"name":"monetary","gte":-1000000000}}"#,
        r#"{"tags":{"any":["KOC"]}}"#,
        r#"{"lifecycle":["prospect"]}"#,
        r#"{"not":{"lifecycle":["prospect"]}}"#,
        r#"{"rfm":{"segment":["at_risk","cant_lose"]}}"#,
        r#"{"purchased":{"within_days":365,"min_count":2}}"#,
        r#"{"attr":{"column":"tier","in":["gold"]}}"#,
    ];
    let mut sizes = Vec::new();
    for rule in rules {
        let seg = parse_segment(rule).expect("rule");
        let count = s.count(&seg, &opts).expect("count");
        for excel_safe in [false, true] {
            let csv = s
                .export_csv(&seg, &["tier".to_string()], &opts, excel_safe)
                .expect("export");
            let rows = records(&csv);
            assert_eq!(rows.len() as u64, count, "{rule} excel_safe={excel_safe}");
            let ids: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
            assert_eq!(ids.len() as u64, count, "{rule}: member ids repeat");
            if !excel_safe {
                assert!(
                    ids.iter().all(|id| all_ids.contains(*id)),
                    "{rule}: an exported id is not a member id"
                );
            }
        }
        sizes.push(count);
    }
    // Everyone has a monetary value (0 without orders), so the first rule is every member.
    assert_eq!(sizes[0], all_ids.len() as u64);
    // Prospects and the rest partition the members.
    assert_eq!(sizes[2] + sizes[3], sizes[0]);
    // The hostile ids are prospects (no orders) and come out verbatim.
    let seg = parse_segment(rules[2]).expect("rule");
    let csv = s.export_csv(&seg, &[], &opts, false).expect("export");
    let exported: BTreeSet<String> = records(&csv).into_iter().map(|r| r[0].clone()).collect();
    for id in HOSTILE_IDS {
        assert!(exported.contains(id), "{id:?} missing from the export");
    }
}
