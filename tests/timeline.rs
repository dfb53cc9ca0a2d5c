//! Orders over time against a naive monthly count from the English CSV.

mod common;

use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::cohort::Period;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::Session;
use common::*;
use std::collections::BTreeMap;

#[test]
fn monthly_purchases_buyers_and_net_revenue_match_a_naive_count() {
    let dir = generate("timeline", 600, 4, "en");
    let n = Naive::read(&dir);
    // month label → (member purchases, guest purchases, member net, guest net, buyers)
    let mut want: BTreeMap<String, (u64, u64, i64, i64, std::collections::BTreeSet<String>)> =
        BTreeMap::new();
    let raw = std::fs::read_to_string(dir.join("orders.csv")).expect("orders");
    let times: Vec<String> = raw
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap_or("").to_string())
        .collect();
    assert!(!times.is_empty());
    for o in &n.orders {
        let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
            + chrono::Duration::days(o.day);
        let e = want.entry(d.format("%Y-%m").to_string()).or_default();
        match &o.member {
            Some(m) => {
                e.2 += o.cents;
                if o.cents > 0 {
                    e.0 += 1;
                    e.4.insert(m.clone());
                }
            }
            None => {
                e.3 += o.cents;
                e.1 += u64::from(o.cents > 0);
            }
        }
    }
    let mut s = Session::new();
    let read = |f: &str| std::fs::read(dir.join(f)).expect("read");
    s.load(
        TableKind::Orders,
        &read("orders.csv"),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("orders");
    let t = s
        .timeline(&AnalysisOptions::default(), Period::Month)
        .expect("timeline");
    let got: BTreeMap<String, _> = t
        .points
        .iter()
        .filter(|p| {
            p.member_purchases + p.guest_purchases > 0
                || p.member_net_cents != 0
                || p.guest_net_cents != 0
        })
        .map(|p| {
            (
                p.period.clone(),
                (
                    p.member_purchases,
                    p.guest_purchases,
                    p.member_net_cents,
                    p.guest_net_cents,
                    p.buyers,
                ),
            )
        })
        .collect();
    let want: BTreeMap<String, _> = want
        .into_iter()
        .map(|(k, v)| (k, (v.0, v.1, v.2, v.3, v.4.len() as u64)))
        .collect();
    assert_eq!(got, want);
    // Periods run without gaps from the first order to as_of.
    assert_eq!(t.points.last().map(|p| p.period.as_str()), Some("2025-06"));
    assert!(t.points.windows(2).all(|w| w[0].start < w[1].start));
}
