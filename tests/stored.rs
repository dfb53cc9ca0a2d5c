//! A table kept in the browser between visits comes back as it was loaded: the same columns,
//! dictionaries, report and line values, so every answer is the same; a kept table of another
//! format version, or a damaged one, is refused with a message.

mod common;

use audience_lab::load::stored::{from_bytes, to_bytes, FORMAT_VERSION};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::Session;

#[test]
fn kept_tables_restore_to_the_same_answers() {
    let dir = common::generate("stored", 4_000, 5, "zh");
    let mut loaded = common::session_of(&dir);
    let mut restored = Session::new();
    for kind in [TableKind::Members, TableKind::Orders] {
        let bytes = loaded.table_bytes(kind).expect("bytes").expect("loaded");
        let report = restored.restore_table(&bytes, "kept").expect("restore");
        let original = audience_lab::load::load(
            kind,
            &std::fs::read(dir.join(format!("{}.csv", kind.name()))).expect("read"),
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("load");
        assert_eq!(report, original.report, "{kind:?}");
        let again = from_bytes(&bytes, "kept").expect("again");
        assert_eq!(again.batches, original.batches, "{kind:?}: columns");
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
    assert!(restored
        .table_bytes(TableKind::MemberTags)
        .expect("none")
        .is_none());
}

#[test]
fn line_items_keep_their_lines() {
    let text = "订单编号,买家会员名,订单付款时间,实付金额,品牌,退款金额\n\
                1,a,2024-01-02 10:00,10,甲,\n1,a,2024-01-02 10:00,,乙,\n\
                2,b,2024-01-03 11:00,20,丙,5\n";
    let t = audience_lab::load::load(
        TableKind::Orders,
        text.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("load");
    assert!(t.report.line_items.is_some());
    assert!(!t.lines.is_empty(), "a second line's brand");
    let back = from_bytes(&to_bytes(&t).expect("bytes"), "kept").expect("restore");
    assert_eq!(back.lines, t.lines);
    assert_eq!(back.report, t.report);
    assert_eq!(back.batches, t.batches);
}

#[test]
fn another_format_version_or_damage_is_refused() {
    let t = audience_lab::load::load(
        TableKind::Orders,
        b"member_id,order_date,amount\na,2024-01-01,5\n",
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("load");
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
