//! Native timings of the member metrics on a large generated shop (`make bench-native`):
//! by default 1M members with the purchase rate times 5 (about 10.8M order rows). The
//! generated CSVs are cached in `bench/data/`. Each metric is timed as the best of 3 runs.
//!
//! Environment: `BENCH_MEMBERS` (default 1000000), `BENCH_ACTIVITY` (default 5).

use audience_lab::gen::{generate_scaled, GenFormat, GenOptions, Lang};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::base::MemberBase;
use audience_lab::metrics::cohort::{cohorts, CohortBy, CohortOptions, Period};
use audience_lab::metrics::kpi::{kpis, KpiOptions};
use audience_lab::metrics::lifecycle::{stages, summary, LifecycleOptions};
use audience_lab::metrics::rfm::{Method, Rfm};
use audience_lab::metrics::segments::SegmentMap;
use audience_lab::metrics::{Analysis, AnalysisOptions};
use audience_lab::Session;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// Best of 3 runs.
fn best<T>(mut f: impl FnMut() -> T) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

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
        let (g, t) = timed(|| generate_scaled(&opts, activity));
        let g = g?;
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("members.csv"), &g.members)?;
        std::fs::write(dir.join("orders.csv"), &g.orders)?;
        eprintln!("generated {} in {} ms", dir.display(), ms(t));
    }
    let orders = std::fs::read(dir.join("orders.csv"))?;
    let member_bytes = std::fs::read(dir.join("members.csv"))?;
    let mut session = Session::new();
    let load = LoadOptions::default();
    let (r, t_orders) = timed(|| session.load(TableKind::Orders, &orders, &load, &mut |_| {}));
    let report = r?;
    let (r, t_members) =
        timed(|| session.load(TableKind::Members, &member_bytes, &load, &mut |_| {}));
    r?;
    let (r, t_dataset) = timed(|| session.dataset().map(|_| ()));
    r?;
    let ds = session.dataset()?;
    let as_of = ds.latest_day.ok_or("no orders")?;
    let base = MemberBase::compute(ds, as_of, None);
    let lc = LifecycleOptions::default();
    let st = stages(&base, &lc);
    let thresholds = Method::Thresholds {
        r: [30.0, 90.0, 180.0, 365.0],
        f: [1.0, 2.0, 4.0, 8.0],
        m: [100.0, 300.0, 800.0, 2000.0],
    };
    let cohort = |period, by| CohortOptions { period, by };
    let rows: Vec<(&str, Duration)> = vec![
        (
            "per-member base (F, M, first/last)",
            best(|| MemberBase::compute(ds, as_of, None)),
        ),
        (
            "RFM quantile (scores + segments)",
            best(|| Rfm::compute(ds, &base, &Method::Quantile, SegmentMap::default())),
        ),
        (
            "RFM ntile",
            best(|| Rfm::compute(ds, &base, &Method::Ntile, SegmentMap::default())),
        ),
        (
            "RFM thresholds",
            best(|| Rfm::compute(ds, &base, &thresholds, SegmentMap::default())),
        ),
        (
            "full analysis (base + RFM + lifecycle)",
            best(|| Analysis::new(ds, &AnalysisOptions::default())),
        ),
        ("lifecycle stages", best(|| stages(&base, &lc))),
        (
            "lifecycle summary (stages, buckets)",
            best(|| summary(ds, &base, &st, &lc)),
        ),
        (
            "cohorts by month",
            best(|| cohorts(ds, &base, &cohort(Period::Month, CohortBy::FirstPurchase))),
        ),
        (
            "cohorts by ISO week",
            best(|| cohorts(ds, &base, &cohort(Period::Week, CohortBy::FirstPurchase))),
        ),
        (
            "cohorts by quarter",
            best(|| cohorts(ds, &base, &cohort(Period::Quarter, CohortBy::FirstPurchase))),
        ),
        (
            "cohorts by join month",
            best(|| cohorts(ds, &base, &cohort(Period::Month, CohortBy::JoinDate))),
        ),
        (
            "KPIs overall",
            best(|| kpis(ds, &base, &st, &lc, None, &KpiOptions::default())),
        ),
        (
            "KPIs by store (order column)",
            best(|| {
                kpis(
                    ds,
                    &base,
                    &st,
                    &lc,
                    None,
                    &KpiOptions {
                        by: Some("store".into()),
                    },
                )
            }),
        ),
        (
            "KPIs by tier (member attribute)",
            best(|| {
                kpis(
                    ds,
                    &base,
                    &st,
                    &lc,
                    None,
                    &KpiOptions {
                        by: Some("tier".into()),
                    },
                )
            }),
        ),
    ];
    println!(
        "{} members, {} order rows loaded ({} member orders, {} guest orders), {:.0} MB of CSV",
        ds.len(),
        report.rows_loaded,
        ds.orders.day.len(),
        ds.guests.day.len(),
        orders.len() as f64 / 1e6
    );
    println!("| step | ms |\n|---|---:|");
    println!("| load orders CSV | {} |", ms(t_orders));
    println!("| load members CSV | {} |", ms(t_members));
    println!("| build dataset (member index, CSR) | {} |", ms(t_dataset));
    for (name, d) in rows {
        println!("| {name} | {} |", ms(d));
    }
    Ok(())
}
