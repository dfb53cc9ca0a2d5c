//! A table kept in the browser between visits comes back as it was loaded: the same columns,
//! dictionaries, report and line values (the orders' rows grouped by member), so every answer
//! is the same; a kept table of another format version, or a damaged one, is refused with a
//! message.

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_array::Array;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use audience_lab::load::stored::{from_bytes, to_bytes, FORMAT_VERSION};
use audience_lab::load::{LoadOptions, Table, TableKind};
use audience_lab::metrics::cohort::CohortOptions;
use audience_lab::metrics::kpi::KpiOptions;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use std::collections::HashMap;

#[test]
fn kept_tables_restore_to_the_same_answers() {
    let dir = common::generate("stored", 4_000, 5, "zh");
    // Every fifth member left out of the members file: their orders make members indexed by
    // their first order, which the kept order must not change.
    let members = std::fs::read(dir.join("members.csv")).expect("read");
    let mut lines = members.split_inclusive(|&b| b == b'\n');
    let mut fewer: Vec<u8> = lines.next().expect("header").to_vec();
    for (i, line) in lines.enumerate() {
        if i % 5 != 3 {
            fewer.extend_from_slice(line);
        }
    }
    std::fs::write(dir.join("members.csv"), fewer).expect("write");
    let mut loaded = common::session_of(&dir);
    let mut restored = Session::new();
    for kind in [TableKind::Members, TableKind::Orders] {
        let bytes = loaded.table_bytes(kind).expect("bytes").expect("loaded");
        let report = restored.restore_table(&bytes, "kept").expect("restore");
        let original = load(
            kind,
            &std::fs::read(dir.join(format!("{}.csv", kind.name()))).expect("read"),
        );
        assert_eq!(report, original.report, "{kind:?}");
        let again = from_bytes(&bytes, "kept").expect("again");
        match kind {
            TableKind::Members => assert_eq!(again.batches, original.batches, "members"),
            _ => assert_eq!(
                rows(&again),
                grouped_by_member(&original, &rows(&members_of(&dir)))
            ),
        }
    }
    let opts = AnalysisOptions::default();
    assert_eq!(
        restored.rfm(&opts).expect("rfm"),
        loaded.rfm(&opts).expect("rfm")
    );
    assert_eq!(
        restored.lifecycle(&opts).expect("lifecycle"),
        loaded.lifecycle(&opts).expect("lifecycle")
    );
    for by in [None, Some("store"), Some("tier")] {
        let k = KpiOptions {
            by: by.map(String::from),
        };
        let (a, b) = (restored.kpis(&opts, &k), loaded.kpis(&opts, &k));
        assert_eq!(a.expect("kpis"), b.expect("kpis"), "{by:?}");
    }
    let c = CohortOptions::default();
    assert_eq!(
        restored.cohorts(&opts, &c).expect("cohorts"),
        loaded.cohorts(&opts, &c).expect("cohorts")
    );
    // Every member in index order with every column, the first and last order's store
    // among them: the members and each member's orders in the same order.
    let everyone =
        parse_segment(r#"{"any":[{"lifecycle":["prospect"]},{"not":{"lifecycle":["prospect"]}}]}"#)
            .expect("rule");
    let columns: Vec<String> = audience_lab::catalog::ids()
        .chain(["tags", "tier", "order:store", "order:channel"])
        .map(String::from)
        .collect();
    let a = restored.export_csv(&everyone, &columns, &opts, false);
    let b = loaded.export_csv(&everyone, &columns, &opts, false);
    assert_eq!(a.expect("export"), b.expect("export"));
    assert!(restored
        .table_bytes(TableKind::MemberTags)
        .expect("none")
        .is_none());
}

/// A table of `kind` loaded from `bytes` with the default options.
fn load(kind: TableKind, bytes: &[u8]) -> Table {
    audience_lab::load::load(kind, bytes, &LoadOptions::default(), &mut |_| {}).expect("load")
}

/// The members table as loaded from `dir`.
fn members_of(dir: &std::path::Path) -> Table {
    let bytes = std::fs::read(dir.join("members.csv")).expect("read");
    load(TableKind::Members, &bytes)
}

/// Each row of `t` as text, its member id first.
fn rows(t: &Table) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let options = FormatOptions::default();
    for b in &t.batches {
        let id = b.schema().index_of("member_id").expect("member_id");
        let cells: Vec<ArrayFormatter> = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options).expect("format"))
            .collect();
        for r in 0..b.num_rows() {
            let text: Vec<String> = cells.iter().map(|f| f.value(r).to_string()).collect();
            let member = b.column(id).is_valid(r).then(|| text[id].clone());
            out.push((member, text.join("\t")));
        }
    }
    out
}

/// The orders' rows as a kept workspace must hold them: by member, the members file's in its
/// order, then the others in the order of their first order, each member's rows in table
/// order; guest orders last, in table order.
fn grouped_by_member(
    orders: &Table,
    members: &[(Option<String>, String)],
) -> Vec<(Option<String>, String)> {
    let mut rank: HashMap<String, usize> = HashMap::new();
    for id in members.iter().filter_map(|(m, _)| m.clone()) {
        let next = rank.len();
        rank.entry(id).or_insert(next);
    }
    let rows = rows(orders);
    for id in rows.iter().filter_map(|(m, _)| m.clone()) {
        let next = rank.len();
        rank.entry(id).or_insert(next);
    }
    let mut sorted = rows;
    sorted.sort_by_key(|(m, _)| m.as_ref().map_or(usize::MAX, |m| rank[m]));
    sorted
}

#[test]
fn line_items_keep_their_lines() {
    let text = "订单编号,买家会员名,订单付款时间,实付金额,品牌,退款金额\n\
                1,a,2024-01-02 10:00,10,甲,\n1,a,2024-01-02 10:00,,乙,\n\
                2,b,2024-01-03 11:00,20,丙,5\n";
    let t = load(TableKind::Orders, text.as_bytes());
    assert!(t.report.line_items.is_some());
    assert!(!t.lines.is_empty(), "a second line's brand");
    let back = from_bytes(&to_bytes(&t).expect("bytes"), "kept").expect("restore");
    assert_eq!(back.lines, t.lines);
    assert_eq!(back.report, t.report);
    assert_eq!(back.batches, t.batches);
}

/// Kept grouped by member, an order's line values stay with its row.
#[test]
fn line_values_move_with_their_rows() {
    let text = "订单编号,买家会员名,订单付款时间,实付金额,品牌,退款金额\n\
                1,a,2024-01-02 10:00,10,甲,\n1,a,2024-01-02 10:00,,乙,\n\
                2,b,2024-01-03 11:00,20,丙,5\n2,b,2024-01-03 11:00,,丁,\n\
                3,a,2024-01-04 12:00,30,戊,\n3,a,2024-01-04 12:00,,己,\n\
                4,,2024-01-05 12:00,40,庚,\n5,b,2024-01-06 12:00,50,辛,\n5,b,2024-01-06 12:00,,壬,\n";
    let mut s = Session::new();
    s.load(
        TableKind::Orders,
        text.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("load");
    let loaded = load(TableKind::Orders, text.as_bytes());
    let kept = from_bytes(
        &s.table_bytes(TableKind::Orders)
            .expect("bytes")
            .expect("some"),
        "kept",
    )
    .expect("restore");
    let members: Vec<Option<String>> = rows(&kept).into_iter().map(|(m, _)| m).collect();
    let (a, b) = (Some("a".to_string()), Some("b".to_string()));
    // Order 2's refund is a row of its own.
    let grouped = [a.clone(), a, b.clone(), b.clone(), b, None];
    assert_eq!(members, grouped, "grouped by member");
    assert_eq!(lines_by_order(&kept), lines_by_order(&loaded));
    assert_eq!(
        lines_by_order(&kept).len(),
        4,
        "{:?}",
        lines_by_order(&kept)
    );
}

/// Each line value with the whole text of its order's row, per field.
fn lines_by_order(t: &Table) -> Vec<(String, String, String)> {
    assert_eq!(t.batches.len(), 1);
    let batch = &t.batches[0];
    let texts = rows(t);
    let mut out = Vec::new();
    for (field, pairs) in &t.lines {
        let column = batch.column_by_name(field).expect("line field");
        let dict = column.as_dictionary::<UInt32Type>();
        let values = dict.values().as_string::<i32>();
        for &(row, code) in pairs {
            let order = texts[row as usize].1.clone();
            out.push((
                order,
                field.clone(),
                values.value(code as usize).to_string(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn another_format_version_or_damage_is_refused() {
    let t = load(
        TableKind::Orders,
        b"member_id,order_date,amount\na,2024-01-01,5\n",
    );
    let bytes = to_bytes(&t).expect("bytes");
    let mut old = bytes.clone();
    old[8..12].copy_from_slice(&(FORMAT_VERSION - 1).to_le_bytes());
    let e = from_bytes(&old, "orders.table").expect_err("old format");
    assert!(
        e.message().contains("another version") && e.message().contains("orders.table"),
        "{e}"
    );
    let e = from_bytes(&bytes[..bytes.len() - 9], "orders.table").expect_err("cut");
    assert!(e.message().contains("damaged"), "{e}");
    let e = from_bytes(b"PAR1....", "orders.table").expect_err("not ours");
    assert!(e.message().contains("not a table kept"), "{e}");
}
