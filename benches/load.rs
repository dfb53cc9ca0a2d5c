//! Native load throughput: CSV MB/s and Parquet rows/s on generated exports.
//!
//! `cargo bench --bench load -- DIR` where DIR holds `orders.csv` and `orders.parquet`
//! (`make bench-load` generates them). Prints the median of 5 runs of each.

use audience_lab::load::{load, LoadOptions, TableKind};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "bench/data/load".to_string());
    for file in ["orders.csv", "orders.parquet"] {
        let path = std::path::Path::new(&dir).join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skip {}: not found (run make bench-load)", path.display());
            continue;
        };
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let table = match load(
                TableKind::Orders,
                &bytes,
                &LoadOptions::default(),
                &mut |_| {},
            ) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{}: {e}", path.display());
                    std::process::exit(1);
                }
            };
            times.push(t.elapsed().as_secs_f64());
            rows = table.report.rows_in;
        }
        let s = median(times);
        println!(
            "native  {file:<16} {:>8.1} MB  {:>9} rows  {:>7.3} s  {:>7.1} MB/s  {:>10.0} rows/s",
            bytes.len() as f64 / 1e6,
            rows,
            s,
            bytes.len() as f64 / 1e6 / s,
            rows as f64 / s
        );
    }
}
