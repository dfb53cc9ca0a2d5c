//! Every step's memory estimate (`memory::Step::need`) against what the step holds at its
//! peak, measured with the counting allocator installed in this test binary; and a session
//! with a small budget answering `OUT_OF_MEMORY` instead of running out.

#[path = "common/steps.rs"]
mod steps;

use audience_lab::error::ErrorKind;
use audience_lab::export::ExportOptions;
use audience_lab::gen::GenFormat;
use audience_lab::load::TableKind;
use audience_lab::memory::{self, Counting, Sizes, Step};
use audience_lab::metrics::clv::ClvOptions;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use std::sync::Mutex;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The counters are global: one measuring test at a time.
static ONE: Mutex<()> = Mutex::new(());

#[test]
fn every_step_holds_less_than_its_estimate() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let mut over = Vec::new();
    // Eight orders per member, and two (a members table larger than its buyers).
    for (members, activity) in [(5_000, 3.6), (40_000, 3.6), (40_000, 1.0)] {
        for row in steps::measure(members, activity) {
            eprintln!("{}", steps::line(&row));
            over.extend(steps::problems(&row));
        }
    }
    assert!(over.is_empty(), "{over:#?}");
}

/// A member attribute is built when first read, by whichever step reads it: each step makes
/// room for the attributes not built yet, so their estimate must cover what building one
/// holds.
#[test]
fn each_attribute_built_on_read_holds_less_than_its_estimate() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let rows = steps::attributes(40_000);
    for (name, estimate, peak) in &rows {
        eprintln!("{name:>12}: peak {peak:>9} B, estimate {estimate:>9} B");
    }
    assert!(rows.len() >= 8, "{rows:?}");
    let over: Vec<_> = rows.iter().filter(|(_, e, p)| p > e).collect();
    assert!(over.is_empty(), "{over:?}");
}

/// A step past the session's budget answers `OUT_OF_MEMORY` naming the step and the sizes,
/// and what answered before still answers; a step short of room gets the caches given back
/// first.
#[test]
fn a_step_past_the_budget_is_an_answer() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = steps::session(20_000, 3.6, GenFormat::Csv);
    let opts = AnalysisOptions::default();
    let sizes = s.sizes();
    let in_use = memory::heap_in_use().expect("counted");

    // Room for half the dataset: the build is refused, the tables stay.
    s.set_memory_limit(Some(in_use + Step::Dataset.need(sizes) / 2));
    let e = s.rfm(&opts).expect_err("over the budget");
    assert_eq!(e.kind(), ErrorKind::Memory);
    let orders = sizes.orders;
    assert!(
        e.message().starts_with(
            "not enough memory for building the dataset from the loaded tables: it needs about "
        ) && e.message().contains(&format!(
            "for 20,000 members and {} order rows",
            steps::grouped(orders)
        )),
        "{}",
        e.message()
    );
    s.set_memory_limit(None);
    let rfm = s.rfm(&opts).expect("rfm without a limit");

    // A rule on an attribute not built yet: room for the rule's own work but not for building
    // the attribute is refused; with room, it is built and counted.
    let phone = parse_segment(r#"{"attr": {"column": "phone", "contains": "138"}}"#).expect("rule");
    let (need, _) = s.rule_need(&phone.rule, &opts).expect("need");
    let (plain, _) = s
        .rule_need(
            &parse_segment(r#"{"attr": {"column": "tier", "in": ["gold"]}}"#)
                .expect("rule")
                .rule,
            &opts,
        )
        .expect("need");
    assert!(
        need > plain,
        "the phone column's build is counted: {need} vs {plain}"
    );
    let in_use = memory::heap_in_use().expect("counted");
    s.set_memory_limit(Some(in_use + (plain + need) / 2));
    let e = s.count(&phone, &opts).expect_err("over the budget");
    assert_eq!(e.kind(), ErrorKind::Memory, "{}", e.message());
    s.set_memory_limit(None);
    assert!(s.count(&phone, &opts).expect("count without a limit") > 0);
    let (built, _) = s.rule_need(&phone.rule, &opts).expect("need");
    assert!(built < need, "built once: {built} vs {need}");

    // Room for half the CLV fit: refused, and the RFM screen still answers the same.
    let in_use = memory::heap_in_use().expect("counted");
    s.set_memory_limit(Some(in_use + Step::Clv.need(s.sizes()) / 2));
    let e = s.clv(&ClvOptions::default()).expect_err("over the budget");
    assert_eq!(e.kind(), ErrorKind::Memory);
    assert!(e.message().contains("the CLV fit"), "{}", e.message());
    assert_eq!(s.rfm(&opts).expect("rfm after the refusal"), rfm);

    // The CLV fit held, an export that fits only once the fit is given back: it is written,
    // and the fit is gone.
    s.set_memory_limit(None);
    let before = memory::heap_in_use().expect("counted");
    s.clv(&ClvOptions::default()).expect("clv");
    let fit = memory::heap_in_use().expect("counted") - before;
    let everyone = parse_segment(r#"{"metric": {"name": "frequency", "gte": 0}}"#).expect("rule");
    let audience = s.count(&everyone, &opts).expect("count");
    let export = ExportOptions {
        columns: vec!["recency_days".into(), "frequency".into(), "monetary".into()],
        ..ExportOptions::default()
    };
    let cells = audience * 4;
    let need = Step::Export.need(Sizes { cells, ..s.sizes() });
    let in_use = memory::heap_in_use().expect("counted");
    s.set_memory_limit(Some(in_use + need - fit / 2));
    assert!(s.cache_stats().clv);
    let file = s
        .export_file(&everyone, &export, &opts, &mut |_, _| {})
        .expect("fits once the CLV fit is given back");
    assert_eq!(file.rows, audience);
    assert!(!s.cache_stats().clv, "the CLV fit was given back");

    // Keeping the orders with room for half of it: refused, the tables stay and answer;
    // with room, kept, and reading them back with room for half of that is refused too.
    s.set_memory_limit(None);
    let in_use = memory::heap_in_use().expect("counted");
    s.set_memory_limit(Some(in_use + s.keep_need(TableKind::Orders) / 2));
    let e = s
        .table_bytes(TableKind::Orders)
        .expect_err("over the budget");
    assert_eq!(e.kind(), ErrorKind::Memory);
    assert!(
        e.message().contains("keeping the tables in this browser"),
        "{}",
        e.message()
    );
    assert_eq!(s.rfm(&opts).expect("rfm after the refusal"), rfm);
    s.set_memory_limit(None);
    let kept = s
        .table_bytes(TableKind::Orders)
        .expect("kept")
        .expect("orders");
    let in_use = memory::heap_in_use().expect("counted");
    s.set_memory_limit(Some(in_use + Session::restore_need(&kept) / 2));
    let e = s
        .restore_table(&kept, "orders.table")
        .expect_err("over the budget");
    assert_eq!(e.kind(), ErrorKind::Memory);
    assert!(
        e.message().contains("restoring the tables"),
        "{}",
        e.message()
    );
    assert_eq!(s.rfm(&opts).expect("the loaded orders stay"), rfm);
}
