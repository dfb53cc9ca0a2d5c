//! Live-count latency of the segment builder on a large generated shop (`make bench-segment`):
//! by default 1M members with the purchase rate times 5 (about 10.8M order rows, the data of
//! `make bench-native`, cached in `bench/data/`). A rule is edited one condition at a time, as
//! in the builder; each edit is counted through the session (per-node cache warm from the
//! edits before: only the edited branch and its ancestors are evaluated) and again with the
//! cache emptied (every node evaluated). Times are the median of 5 runs per edit.
//!
//! Environment: `BENCH_MEMBERS` (default 1000000), `BENCH_ACTIVITY` (default 5).

use audience_lab::gen::{generate_scaled, GenFormat, GenOptions, Lang};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use std::path::PathBuf;
use std::time::Instant;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Edits of a tag / attribute / RFM / lifecycle / metric rule.
const MEMBER_EDITS: &[&str] = &[
    r#"{"tags":{"any":["KOC"]}}"#,
    r#"{"tags":{"any":["KOC","student"]}}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}},{"rfm":{"segment":["loyal"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}},{"rfm":{"segment":["loyal","champions"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}},{"rfm":{"segment":["loyal","champions"]}},{"not":{"lifecycle":["churned"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}},{"rfm":{"r":[3,4,5],"f":[2,3,4,5]}},{"not":{"lifecycle":["churned"]}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold","diamond"]}},{"rfm":{"r":[3,4,5],"f":[2,3,4,5]}},{"not":{"lifecycle":["churned"]}},{"metric":{"name":"monetary","gte":500}}]}"#,
    r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"points","gte":1000}},{"rfm":{"r":[3,4,5],"f":[2,3,4,5]}},{"not":{"lifecycle":["churned"]}},{"metric":{"name":"monetary","gte":800}}]}"#,
];

/// Edits of a `purchased` rule.
const PURCHASE_EDITS: &[&str] = &[
    r#"{"purchased":{"where":{"brand":["UR"]},"within_days":180}}"#,
    r#"{"purchased":{"where":{"brand":["UR"]},"within_days":90}}"#,
    r#"{"purchased":{"where":{"brand":["UR"],"channel":["mini_program"]},"within_days":90}}"#,
    r#"{"purchased":{"where":{"brand":["UR"],"channel":["mini_program","store"]},"within_days":365}}"#,
    r#"{"purchased":{"where":{"brand":["UR"],"channel":["mini_program","store"]},"within_days":365,"min_count":2}}"#,
    r#"{"purchased":{"where":{"brand":["UR"],"channel":["mini_program","store"]},"within_days":365,"min_count":2,"min_amount":500}}"#,
    r#"{"purchased":{"where":{"category":["skincare"]},"between":["2024-01-01","2024-12-31"],"min_amount":300}}"#,
    r#"{"all":[{"purchased":{"where":{"category":["skincare"]},"between":["2024-01-01","2024-12-31"],"min_amount":300}},{"tags":{"any":["KOC"]}}]}"#,
    r#"{"all":[{"purchased":{"where":{"category":["skincare"]},"between":["2024-01-01","2024-12-31"],"min_amount":300}},{"tags":{"any":["KOC"]}},{"not":{"purchased":{"within_days":90}}}]}"#,
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let members: usize = env_or("BENCH_MEMBERS", 1_000_000);
    let activity: f64 = env_or("BENCH_ACTIVITY", 5.0);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("bench/data")
        .join(format!("m{members}_a{activity}"));
    if !dir.join("orders.csv").exists() {
        let opts = GenOptions {
            members,
            seed: 42,
            lang: Lang::En,
            format: GenFormat::Csv,
            compression: None,
        };
        let g = generate_scaled(&opts, activity)?;
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("members.csv"), &g.members)?;
        std::fs::write(dir.join("orders.csv"), &g.orders)?;
    }
    let mut s = Session::new();
    let load = LoadOptions::default();
    for (kind, file) in [
        (TableKind::Orders, "orders.csv"),
        (TableKind::Members, "members.csv"),
    ] {
        let bytes = std::fs::read(dir.join(file))?;
        s.load(kind, &bytes, &load, &mut |_| {})?;
    }
    let opts = AnalysisOptions::default();
    let t = Instant::now();
    s.analysis(&opts)?;
    let ds = s.dataset()?;
    println!(
        "segment counts on {} members, {} member order rows (dataset + analysis {:.0} ms)",
        ds.len(),
        ds.orders.day.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "{:<10} {:>4} {:>10} {:>12} {:>12}",
        "rules", "edit", "members", "edit ms", "cold ms"
    );
    for (family, edits) in [("member", MEMBER_EDITS), ("purchased", PURCHASE_EDITS)] {
        let (mut warm_all, mut cold_all) = (Vec::new(), Vec::new());
        for (i, rule) in edits.iter().enumerate() {
            let seg = parse_segment(rule)?;
            let mut cold = Vec::new();
            for _ in 0..5 {
                s.clear_caches(true, false);
                let t = Instant::now();
                std::hint::black_box(s.count(&seg, &opts)?);
                cold.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            // The edit: the rule before it is cached, this one is not.
            let mut warm = Vec::new();
            let mut n = 0;
            for _ in 0..5 {
                s.clear_caches(true, false);
                if i > 0 {
                    s.count(&parse_segment(edits[i - 1])?, &opts)?;
                }
                let t = Instant::now();
                n = s.count(&seg, &opts)?;
                warm.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let (w, c) = (median(warm), median(cold));
            println!("{family:<10} {i:>4} {n:>10} {w:>12.2} {c:>12.2}");
            warm_all.push(w);
            cold_all.push(c);
        }
        let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        println!(
            "{family:<10}  max: edit {:.2} ms, cold {:.2} ms; median: edit {:.2} ms",
            max(&warm_all),
            max(&cold_all),
            median(warm_all.clone())
        );
    }
    Ok(())
}
