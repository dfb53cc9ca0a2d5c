//! The measurement behind `memory::Step::need`: each step run over generated exports, its
//! peak held beside its estimate. Shared by `tests/memory.rs` (natively, 64-bit) and
//! `tests/wasm.rs` (wasm32 in Chromium), through `#[path]`.

use audience_lab::export::ads::{Platform, ProfileOptions};
use audience_lab::export::{ExportOptions, Format};
use audience_lab::gen::{generate_scaled, GenFormat, GenOptions};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::memory::{self, Sizes, Step};
use audience_lab::metrics::clv::ClvOptions;
use audience_lab::metrics::cohort::{CohortOptions, Period};
use audience_lab::metrics::kpi::KpiOptions;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::phone::Country;
use audience_lab::segment::parse_segment;
use audience_lab::segment::tags::TagOptions;
use audience_lab::Session;

/// One step measured: its name, the sizes, its estimate and its measured peak (bytes).
pub type Row = (String, Sizes, usize, usize);

/// The most bytes `f` held at once beyond what was in use when it began.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = memory::mark();
    let out = f();
    (out, memory::peak().saturating_sub(base))
}

const COLUMNS: [&str; 10] = [
    "recency_days",
    "frequency",
    "monetary",
    "segment",
    "stage",
    "tier",
    "store",
    "phone",
    "email",
    "clv",
];

pub fn session(members: usize, activity: f64, format: GenFormat) -> Session {
    let g = generate_scaled(
        &GenOptions {
            members,
            seed: 4,
            format,
            ..GenOptions::default()
        },
        activity,
    )
    .expect("generate");
    let mut s = Session::new();
    for (kind, bytes) in [
        (TableKind::Members, &g.members),
        (TableKind::Orders, &g.orders),
    ] {
        s.load(kind, bytes, &LoadOptions::default(), &mut |_| {})
            .expect("load");
    }
    s
}

/// Builds each member attribute of a session of `members` members (8 orders each) by reading
/// it: (name, what the attributes not built yet were estimated at less what they are after
/// it, its measured peak).
pub fn attributes(members: usize) -> Vec<(String, usize, usize)> {
    let mut s = session(members, 3.6, GenFormat::Csv);
    let ds = s.dataset().expect("dataset");
    let names: Vec<String> = ds.attrs.keys().cloned().collect();
    let mut out = Vec::new();
    let all = || ds.attrs.unbuilt_bytes(names.iter().map(String::as_str));
    for name in &names {
        let before = all();
        let (built, peak) = peak_of(|| ds.attrs.get(name).is_some());
        assert!(built, "{name}");
        out.push((name.clone(), before - all(), peak));
    }
    assert_eq!(all(), 0);
    out
}

/// Measures each step at one size: (step, sizes, estimate, measured peak).
pub fn measure(members: usize, activity: f64) -> Vec<(String, Sizes, usize, usize)> {
    let mut s = session(members, activity, GenFormat::Csv);
    let opts = AnalysisOptions::default();
    let mut rows = Vec::new();
    let mut at = |name: &str, (need, sizes): (usize, Sizes), peak: usize| {
        rows.push((name.to_string(), sizes, need, peak));
    };
    let by = |step: Step, sizes: Sizes| (step.need(sizes), sizes);
    let sizes = s.sizes();
    let (r, peak) = peak_of(|| s.dataset().map(|_| ()));
    r.expect("dataset");
    at("dataset", by(Step::Dataset, sizes), peak);
    let sizes = s.sizes();
    let (r, peak) = peak_of(|| s.rfm(&opts));
    r.expect("rfm");
    at("analysis", by(Step::Analysis, sizes), peak);
    let (r, peak) = peak_of(|| s.lifecycle(&opts));
    r.expect("lifecycle");
    at("lifecycle", by(Step::Kpis, sizes), peak);
    let (r, peak) = peak_of(|| {
        s.cohorts(
            &opts,
            &CohortOptions {
                period: Period::Week,
                ..CohortOptions::default()
            },
        )
    });
    r.expect("cohorts");
    let cells = s.cohort_cells(Period::Week);
    at(
        "cohorts (weeks)",
        by(Step::Cohorts, Sizes { cells, ..sizes }),
        peak,
    );
    let (r, peak) = peak_of(|| {
        s.kpis(
            &opts,
            &KpiOptions {
                by: Some("store".into()),
            },
        )
    });
    r.expect("kpis");
    at("kpis by store", by(Step::Kpis, sizes), peak);
    let (r, peak) = peak_of(|| s.timeline(&opts, Period::Week));
    r.expect("timeline");
    at("timeline", by(Step::Timeline, sizes), peak);
    let (r, peak) = peak_of(|| s.tags(&opts, &TagOptions::default(), None));
    r.expect("tags");
    at("tags", by(Step::Tags, sizes), peak);
    let (r, peak) = peak_of(|| s.clv(&ClvOptions::default()).map(|_| ()));
    r.expect("clv");
    at("clv", by(Step::Clv, sizes), peak);
    let rule = r#"{"any": [{"all": [{"metric": {"name": "monetary", "gt": 100}}, {"lifecycle": ["active"]}]},
        {"rfm": {"segment": ["at_risk", "cant_lose"]}}, {"metric": {"name": "clv", "gt": 50}},
        {"attr": {"column": "tier", "in": ["gold", "silver"]}}]}"#;
    let seg = parse_segment(rule).expect("rule");
    let (need, sizes_of_rule) = s.rule_need(&seg.rule, &opts).expect("estimate");
    let (r, peak) = peak_of(|| s.count(&seg, &opts));
    r.expect("count");
    at("segment with clv", (need, sizes_of_rule), peak);
    let plain = parse_segment(
        r#"{"all": [{"metric": {"name": "recency_days", "lt": 400}}, {"not": {"rfm": {"segment": ["hibernating"]}}},
        {"purchased": {"where": {"store": ["Shanghai Xintiandi"]}, "within_days": 365}}]}"#,
    )
    .expect("rule");
    let (need, sizes_of_rule) = s.rule_need(&plain.rule, &opts).expect("estimate");
    let (r, peak) = peak_of(|| s.count(&plain, &opts));
    r.expect("count");
    at("segment", (need, sizes_of_rule), peak);
    let all = parse_segment(r#"{"metric": {"name": "frequency", "gte": 0}}"#).expect("rule");
    let everyone = s.count(&all, &opts).expect("count");
    for format in [Format::Csv, Format::Xlsx, Format::Parquet, Format::Json] {
        let export = ExportOptions {
            format,
            columns: COLUMNS.iter().map(|c| c.to_string()).collect(),
            created: Some(0),
            ..ExportOptions::default()
        };
        let cells = everyone * (COLUMNS.len() as u64 + 1);
        let step = if format == Format::Xlsx {
            Step::Workbook
        } else {
            Step::Export
        };
        let (r, peak) = peak_of(|| s.export_file(&all, &export, &opts, &mut |_, _| {}));
        drop(r.expect("export"));
        at(
            &format!("export {format:?}"),
            by(step, Sizes { cells, ..sizes }),
            peak,
        );
    }
    let profile = ProfileOptions {
        platform: Platform::parse("meta").expect("platform"),
        country: Country::parse("CN").expect("country"),
    };
    let (r, peak) = peak_of(|| s.match_report(&all, &profile, &opts));
    r.expect("match report");
    let cells = everyone * 4;
    at(
        "match report",
        by(Step::AdList, Sizes { cells, ..sizes }),
        peak,
    );
    // The orders kept (grouped by member) and read back into another session.
    let need = s.keep_need(TableKind::Orders);
    let (r, peak) = peak_of(|| s.table_bytes(TableKind::Orders));
    let kept = r.expect("keep").expect("orders loaded");
    at("keep orders", (need, sizes), peak);
    let mut other = Session::new();
    let need = Session::restore_need(&kept);
    let (r, peak) = peak_of(|| other.restore_table(&kept, "orders.table"));
    r.expect("restore");
    at("restore orders", (need, sizes), peak);
    rows
}

/// A measured row as a line of text.
pub fn line((name, sizes, need, peak): &Row) -> String {
    format!(
        "{name:>16} {sizes}: peak {:>8.2} MiB, estimate {:>8.2} MiB ({:.2}x)",
        *peak as f64 / 1048576.0,
        *need as f64 / 1048576.0,
        *need as f64 / (*peak).max(1) as f64
    )
}

/// What is wrong with a measured row: a peak over the estimate, or an estimate so far above
/// the peak that it would refuse work that fits.
pub fn problems((name, sizes, need, peak): &Row) -> Vec<String> {
    let mut out = Vec::new();
    if peak > need {
        out.push(format!(
            "{name} at {sizes}: peak {peak} B over the estimate {need} B"
        ));
    }
    if *need > 3 * peak + (2 << 20) {
        out.push(format!(
            "{name} at {sizes}: estimate {need} B, over 3x the peak {peak} B"
        ));
    }
    out
}

/// `1234567` as `1,234,567`, as error messages write sizes (`tests/memory.rs` uses it;
/// `tests/wasm.rs`, which shares this file, does not).
#[allow(dead_code)]
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect();
    groups.join(",")
}
