//! Benchmark (not a test): the CLV fit on generated members (`audience-lab gen`'s shop).
//!
//! `cargo bench --bench clv [-- MEMBERS]` (default 1,000,000 members). Prints the time of each
//! step and how many distinct (x, tₓ, T) triples the BG/NBD likelihood iterates over.

use audience_lab::gen::{generate, GenOptions, Lang};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::clv::bgnbd::{BgNbd, Groups};
use audience_lab::metrics::clv::gamma_gamma::{GammaGamma, SpendData};
use audience_lab::metrics::clv::summary::{summarize, Selection};
use audience_lab::metrics::clv::{Clv, ClvOptions, Unit};
use audience_lab::Session;
use std::time::Instant;

fn main() {
    let members: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let g = generate(&GenOptions {
        members,
        seed: 7,
        lang: Lang::En,
        ..GenOptions::default()
    })
    .expect("generate");
    eprintln!(
        "generated {members} members, {} MB of orders in {:.1} s",
        g.orders.len() / 1_000_000,
        t.elapsed().as_secs_f64()
    );
    let mut session = Session::new();
    session
        .load(
            TableKind::Orders,
            &g.orders,
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("load orders");
    let ds = session.dataset().expect("dataset");
    let end = ds.latest_day.expect("orders");
    println!(
        "members with orders: {}, order rows: {}",
        ds.len(),
        ds.orders.day.len()
    );
    for unit in [Unit::Days, Unit::Weeks] {
        let t = Instant::now();
        let customers = summarize(
            ds,
            Selection {
                end,
                include_zero_amount: false,
            },
        );
        let t_summary = t.elapsed();
        let t = Instant::now();
        let buyers: Vec<_> = customers.iter().flatten().copied().collect();
        let (groups, _) = Groups::new(&buyers, unit.days());
        let t_groups = t.elapsed();
        let t = Instant::now();
        let (model, _) = BgNbd::fit(&groups).expect("BG/NBD fit");
        let t_bgnbd = t.elapsed();
        let t = Instant::now();
        let spend = SpendData::new(
            customers
                .iter()
                .flatten()
                .map(|c| (c.frequency, c.monetary_value())),
        );
        let gg = GammaGamma::fit(&spend).expect("Gamma-Gamma fit");
        let t_gg = t.elapsed();
        let t = Instant::now();
        let clv = Clv::compute(
            ds,
            &ClvOptions {
                calibration_end: Some(end),
                unit,
                ..ClvOptions::default()
            },
        )
        .expect("clv");
        let t_all = t.elapsed();
        println!(
            "unit {}: {} customers, {} distinct (x, t_x, T) triples, {} distinct x; \
             {} in the spend model",
            unit.name(),
            groups.customers(),
            groups.triples.len(),
            groups.xs.len(),
            spend.customers()
        );
        println!(
            "  summary {:.0} ms, grouping {:.0} ms, BG/NBD fit {:.0} ms, Gamma-Gamma fit {:.0} ms; \
             everything with predictions (Clv::compute) {:.0} ms",
            t_summary.as_secs_f64() * 1e3,
            t_groups.as_secs_f64() * 1e3,
            t_bgnbd.as_secs_f64() * 1e3,
            t_gg.as_secs_f64() * 1e3,
            t_all.as_secs_f64() * 1e3
        );
        println!("  BG/NBD {model:?}\n  Gamma-Gamma {gg:?}");
        assert_eq!(clv.params.bgnbd, model);
    }
}
