//! The readout's statistics hold their promises (SPEC §7), with fixed seeds:
//! - A/A: on data with no effect (a launch in the past: the outcomes do not depend on the
//!   hash assignment), over 2 000 salts the share of results significant at 5% is within
//!   [4%, 6%], for conversion and for revenue per member;
//! - coverage: over 500 simulated campaigns with a known lift (the generator's buying
//!   process, `gen::window_purchases`, with the treatment's daily purchase probability times
//!   1.3), the 95% interval holds the true lift in at least 93% of them, for both.

mod common;

use audience_lab::campaign::assign::{assign, control_size, key, Strata};
use audience_lab::campaign::readout::results;
use audience_lab::campaign::stats::{conversion_lift, revenue_lift};
use audience_lab::gen::window_purchases;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};

#[test]
fn a_a_tests_are_significant_at_the_nominal_rate() {
    let dir = generate("campaign_aa", 6000, 17, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    let launch = audience_lab::load::coerce::parse_date("2025-03-01").expect("date");
    let rule =
        r#"{"at": {"date": "2025-02-28", "rule": {"lifecycle": ["new", "active", "dormant"]}}}"#;
    let audience = s
        .audience(&parse_segment(rule).expect("rule"), &opts)
        .expect("audience");
    let ds = s.dataset().expect("dataset");
    assert!(audience.len() > 1000, "{} members", audience.len());
    let salts = 2000;
    let (mut conversion, mut revenue) = (0, 0);
    let everyone = Strata::none(audience.len() as usize);
    for i in 0..salts {
        let groups = assign(ds, &audience, &everyone, &format!("aa-{i}"), 5000);
        let (overall, _) = results(ds, &groups, false, launch, launch + 30);
        conversion += usize::from(overall.conversion_lift.p_value.expect("p") < 0.05);
        revenue += usize::from(overall.revenue_lift.lift.p_value.expect("p") < 0.05);
    }
    let share = |k: usize| k as f64 / salts as f64;
    println!(
        "A/A over {salts} salts: conversion {:.2}%, revenue per member {:.2}%",
        100.0 * share(conversion),
        100.0 * share(revenue)
    );
    for (what, k) in [("conversion", conversion), ("revenue per member", revenue)] {
        assert!(
            (0.04..=0.06).contains(&share(k)),
            "{what}: {k} of {salts} significant"
        );
    }
}

#[test]
fn intervals_hold_the_true_lift() {
    let members = 3000usize;
    let (window, multiplier) = (30u32, 1.3);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    // The generator's distributions of the daily purchase rate and of the mean amount.
    let rate = Gamma::<f64>::new(0.75, 0.011).expect("gamma");
    let spend = Gamma::<f64>::new(4.0, 90.0).expect("gamma");
    let people: Vec<(String, f64, f64)> = (0..members)
        .map(|i| {
            (
                format!("M{i:07}"),
                rate.sample(&mut rng).max(0.0008),
                spend.sample(&mut rng).max(20.0),
            )
        })
        .collect();
    let sims = 500;
    let (mut conversion, mut revenue) = (0, 0);
    for sim in 0..sims {
        let salt = format!("coverage-{sim}");
        let mut order: Vec<usize> = (0..members).collect();
        order.sort_by_cached_key(|&i| key(&salt, &people[i].0));
        let c = control_size(5000, members as u64) as usize;
        let (held, treated) = order.split_at(c);
        // Outcomes: purchase days from the generator's process, amounts of known mean.
        let mut outcome = |i: usize, m: f64| -> (bool, f64) {
            let (_, r, mean) = &people[i];
            let days = window_purchases(&mut rng, *r, f64::INFINITY, 0, window, m);
            let amount = Gamma::<f64>::new(5.0, mean / 5.0).expect("gamma");
            (
                !days.is_empty(),
                days.iter().map(|_| amount.sample(&mut rng)).sum(),
            )
        };
        let t: Vec<(bool, f64)> = treated.iter().map(|&i| outcome(i, multiplier)).collect();
        let k: Vec<(bool, f64)> = held.iter().map(|&i| outcome(i, 1.0)).collect();
        // The truth: each group's expected conversion and revenue per member.
        let expect = |ids: &[usize], m: f64| -> (f64, f64) {
            let n = ids.len() as f64;
            let (mut p, mut rev) = (0.0, 0.0);
            for &i in ids {
                let (_, r, mean) = &people[i];
                let q = (r * m).min(1.0);
                p += 1.0 - (1.0 - q).powi(window as i32);
                rev += window as f64 * q * mean;
            }
            (p / n, rev / n)
        };
        let ((pt, rt), (pc, rc)) = (expect(treated, multiplier), expect(held, 1.0));
        let conv = conversion_lift(
            t.iter().filter(|o| o.0).count() as u64,
            t.len() as u64,
            k.iter().filter(|o| o.0).count() as u64,
            k.len() as u64,
        );
        let money = |xs: &[(bool, f64)]| xs.iter().map(|o| o.1).collect::<Vec<f64>>();
        let rev = revenue_lift(&money(&t), &money(&k)).lift;
        let holds = |l: &audience_lab::campaign::stats::Lift, truth: f64| {
            l.low.expect("low") <= truth && truth <= l.high.expect("high")
        };
        conversion += usize::from(holds(&conv, pt - pc));
        revenue += usize::from(holds(&rev, rt - rc));
    }
    let share = |k: usize| k as f64 / sims as f64;
    println!(
        "coverage over {sims} campaigns: conversion {:.1}%, revenue per member {:.1}%",
        100.0 * share(conversion),
        100.0 * share(revenue)
    );
    assert!(
        share(conversion) >= 0.93,
        "conversion: {conversion} of {sims}"
    );
    assert!(
        share(revenue) >= 0.93,
        "revenue per member: {revenue} of {sims}"
    );
}
