//! SPEC §6's movement calls held against each other and against bad input: the migration
//! matrix (from full analyses at two dates) has row sums equal to the stage counts at the
//! first date and column sums equal to those at the second, as the stage trend (one sweep
//! over the orders) gives them; the segment matrix has the stage matrix's `not_yet` row; the
//! rates' parts add up. Dates that are not dates, out of the data or in the wrong order are
//! errors naming them. (The numbers themselves are checked against SQL written from SPEC in
//! tests/duckdb/compare.py.)

mod common;

use audience_lab::metrics::cohort::Period;
use audience_lab::metrics::movement::{By, Migration, TrendPoint};
use audience_lab::metrics::AnalysisOptions;
use common::*;
use std::collections::BTreeMap;

fn sums(m: &Migration, rows: bool) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for c in &m.cells {
        let k = if rows { &c.from_state } else { &c.to_state };
        *out.entry(k.clone()).or_insert(0) += c.members;
    }
    out
}

fn counts(p: &TrendPoint) -> BTreeMap<String, u64> {
    [
        ("not_yet", p.not_yet),
        ("prospect", p.prospect),
        ("new", p.new),
        ("active", p.active),
        ("dormant", p.dormant),
        ("churned", p.churned),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| (k.to_string(), n))
    .collect()
}

#[test]
fn matrix_sums_equal_the_trend_at_both_dates() {
    let dir = generate("movement", 2000, 41, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    let trend = s.stage_trend(Period::Quarter, None, &opts).expect("trend");
    let n = trend.points.len();
    assert!(n > 6, "{n} points");
    let (a, b) = (&trend.points[n - 5], &trend.points[n - 1]);
    let from = day_of(&a.date) as i32;
    let m = s
        .migration(from, None, By::Stage, &opts)
        .expect("migration");
    assert_eq!(
        (m.from.as_str(), m.to.as_str()),
        (a.date.as_str(), b.date.as_str())
    );
    assert_eq!(sums(&m, true), counts(a), "row sums = stages at from");
    assert_eq!(sums(&m, false), counts(b), "column sums = stages at to");
    // Revenue: every member's net amount dated in (from, to].
    let naive = Naive::read(&dir);
    let to = day_of(&b.date);
    let net: i64 = naive
        .orders
        .iter()
        .filter(|o| o.member.is_some() && o.day > from as i64 && o.day <= to)
        .map(|o| o.cents)
        .sum();
    assert_eq!(m.cells.iter().map(|c| c.revenue_cents).sum::<i64>(), net);
    // By segment: the same members, the same not_yet row.
    let seg = s
        .migration(from, None, By::Segment, &opts)
        .expect("segments");
    assert_eq!(
        sums(&seg, true).get("not_yet"),
        sums(&m, true).get("not_yet")
    );
    assert_eq!(
        sums(&seg, true).values().sum::<u64>(),
        sums(&m, true).values().sum::<u64>()
    );
    // Rates: parts no larger than their wholes, ratios their quotient.
    let r = s.period_rates(from, &opts).expect("rates");
    assert_eq!(r.asleep, a.dormant + a.churned);
    assert_eq!(r.at_risk, a.new + a.active + a.dormant);
    assert!(r.reactivated <= r.asleep && r.churned_in <= r.at_risk && r.repeated <= r.first_buyers);
    assert_eq!(
        r.reactivation_rate,
        Some(r.reactivated as f64 / r.asleep as f64)
    );
}

#[test]
fn bad_dates_are_errors_naming_them() {
    let dir = generate("movement_errors", 300, 43, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    let latest = Naive::read(&dir).latest() as i32;
    let e = s
        .migration(latest, None, By::Stage, &opts)
        .expect_err("from = to");
    assert!(e.to_string().contains("must be before"), "{e}");
    let e = s.migration(0, None, By::Stage, &opts).expect_err("1970");
    assert!(
        e.to_string()
            .contains("from: 1970-01-01 is before the first order"),
        "{e}"
    );
    let e = s
        .migration(latest - 30, Some(latest + 400), By::Stage, &opts)
        .expect_err("future");
    assert!(e.to_string().contains("is after the last order"), "{e}");
    let e = s
        .stage_trend(Period::Month, Some(latest + 5), &opts)
        .expect_err("from after as_of");
    assert!(e.to_string().contains("is after as_of"), "{e}");
    let e = s.period_rates(latest + 1, &opts).expect_err("after");
    assert!(e.to_string().contains("compareTo"), "{e}");
    let orders = dir.join("orders.csv");
    let orders = orders.to_str().expect("utf-8");
    let out = cli(&[
        "migration",
        "--orders",
        orders,
        "--from",
        "2024-02-30",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from: not a date: \"2024-02-30\""), "{err}");
    let out = cli(&[
        "migration",
        "--orders",
        orders,
        "--from",
        "2024-02-01",
        "--by",
        "tier",
        "--out",
        "/dev/null",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"tier\" is not stage or segment"), "{err}");
}
