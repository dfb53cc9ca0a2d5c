//! SPEC §7 campaigns through the session and the CLI: bad campaign files and bad data are
//! errors naming the key; the control size per stratum is SPEC's integer formula also for
//! shares that floating point rounds (0.29, 0.57); groups do not depend on row order; a window
//! not yet over is reported as such; a stratum too small for an interval says so; `gen
//! --campaign --lift` makes the treatment group buy more.

mod common;

use audience_lab::campaign::assign::control_size;
use audience_lab::campaign::{parse_campaign, stats};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::ErrorKind;
use common::*;
use serde_json::{json, Value};

/// A campaign file with `changes` applied over a valid one.
fn campaign(changes: Value) -> String {
    let mut c = json!({
        "version": 1, "name": "test", "launch": "2025-04-01", "holdout": 0.1,
        "salt": "s", "stratify": "stage", "window_days": 30,
        "segment": {"version": 1, "name": "buyers", "rule": {"lifecycle": ["active", "dormant"]}},
    });
    for (k, v) in changes.as_object().expect("object") {
        c[k] = v.clone();
    }
    c.to_string()
}

#[test]
fn bad_campaign_files_are_errors_naming_the_key() {
    for (change, says) in [
        (
            json!({"holdout": 0}),
            "campaign.holdout: 0: must be between 0 and 1",
        ),
        (
            json!({"holdout": 1}),
            "campaign.holdout: 1: must be between 0 and 1",
        ),
        (
            json!({"holdout": -0.2}),
            "campaign.holdout: -0.2: must be between 0 and 1",
        ),
        (
            json!({"holdout": 0.12345}),
            "campaign.holdout: 0.12345: at most four decimal places",
        ),
        (
            json!({"holdout": "10%"}),
            "campaign.holdout: \"10%\": expected a share",
        ),
        (
            json!({"version": 2}),
            "campaign.version: 2: this engine reads campaign files of version 1",
        ),
        (
            json!({"launch": "2025-13-01"}),
            "campaign.launch: not a date: \"2025-13-01\"",
        ),
        (
            json!({"window_days": 0}),
            "campaign.window_days: 0: expected a whole number of days",
        ),
        (
            json!({"salt": ""}),
            "campaign.salt: \"\": expected non-empty text",
        ),
        (
            json!({"windowdays": 3}),
            "campaign: unknown key \"windowdays\"; did you mean \"window_days\"?",
        ),
        (
            json!({"segment": {"rule": {"bogus": 1}}}),
            "campaign.segment: rule",
        ),
    ] {
        let text = campaign(change.clone());
        let e = parse_campaign(&text).expect_err(&text);
        assert_eq!(e.kind(), ErrorKind::Rule, "{change}");
        assert!(e.to_string().contains(says), "{change}: {e}");
    }
}

#[test]
fn control_sizes_are_the_integer_formula_for_shares_floating_point_rounds() {
    // holdout × 10000 in floating point: 2899.9999999999995, 5699.999999999999, 3500.0000000000005.
    for (share, bp) in [
        (0.29, 2900),
        (0.57, 5700),
        (0.35, 3500),
        (0.0001, 1),
        (0.9999, 9999),
    ] {
        let c = parse_campaign(&campaign(json!({ "holdout": share }))).expect("campaign");
        assert_eq!(c.holdout_bp, bp, "{share}");
        for n in 0..3000u64 {
            // Round half up of share × n, computed over the decimal fraction bp / 10000.
            let exact = (2 * u128::from(bp) * u128::from(n) + 10_000) / 20_000;
            assert_eq!(
                u128::from(control_size(c.holdout_bp, n)),
                exact,
                "{share} × {n}"
            );
        }
    }
    assert_eq!(control_size(3500, 7), 2); // 2.45
    assert_eq!(control_size(5000, 5), 3); // 2.5 rounds up
}

#[test]
fn bad_data_for_a_campaign_is_an_error_naming_it() {
    let dir = generate("campaign_errors", 800, 5, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    for (change, says) in [
        (
            json!({"stratify": "shoe_size"}),
            "campaign.stratify: columns: unknown column \"shoe_size\"",
        ),
        (
            json!({"stratify": "tags"}),
            "campaign.stratify: \"tags\" has no single value per member",
        ),
        (
            json!({"launch": "1990-01-01"}),
            "campaign.launch: the day before launch: 1989-12-31 is before the first order",
        ),
        (
            json!({"launch": "2031-01-01"}),
            "campaign.launch: the day before launch: 2030-12-31 is after the last order",
        ),
        (
            json!({"segment": {"rule": {"all": [{"lifecycle": ["prospect"]}, {"metric": {"name": "frequency", "gte": 1}}]}}}),
            "campaign.segment: no member is in the audience on 2025-03-31",
        ),
    ] {
        let c = parse_campaign(&campaign(change.clone())).expect("campaign");
        let e = s
            .campaign_summary(&c, &opts)
            .expect_err(&change.to_string());
        assert!(e.to_string().contains(says), "{change}: {e}");
    }
}

#[test]
fn groups_do_not_depend_on_the_order_of_rows() {
    let dir = generate("campaign_order", 1500, 9, "en");
    let c = parse_campaign(&campaign(json!({"holdout": 0.3, "stratify": "gender"}))).expect("c");
    let opts = AnalysisOptions::default();
    let control = |dir: &std::path::Path| {
        let mut s = session_of(dir);
        let groups = s.campaign_groups(&c, &opts).expect("groups");
        let ds = s.dataset().expect("dataset");
        let (t, k) = groups.groups();
        let ids = |b: &roaring::RoaringBitmap| -> Vec<String> {
            let mut v: Vec<String> = b.iter().map(|m| ds.id(m).to_string()).collect();
            v.sort();
            v
        };
        (ids(&t), ids(&k), groups.strata.clone())
    };
    let a = control(&dir);
    // The same rows, reversed (the header first).
    let shuffled = temp_dir("campaign_order_reversed");
    for file in ["members.csv", "orders.csv"] {
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        std::fs::write(shuffled.join(file), lines.join("\n") + "\n").expect("write");
    }
    let b = control(&shuffled);
    assert_eq!(a, b);
    assert!(!a.1.is_empty() && a.2.len() >= 3, "{:?}", a.2);
    // Members without a gender are a stratum of their own, last.
    assert_eq!(a.2.last().and_then(|s| s.stratum.clone()), None);
}

#[test]
fn a_window_not_over_is_reported_and_a_tiny_stratum_has_no_interval() {
    let dir = generate("campaign_window", 1500, 13, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    // 12 of 30 days: the launch 11 days before the last order.
    let last = Naive::read(&dir).latest();
    let launch = audience_lab::load::coerce::format_day(last as i32 - 11);
    let c = parse_campaign(&campaign(json!({ "launch": launch }))).expect("c");
    let r = s.campaign_readout(&c, &opts).expect("readout");
    assert_eq!((r.observed_days, r.complete), (12, false));
    assert!(
        r.note
            .as_deref()
            .is_some_and(|n| n.starts_with("12 of 30 days observed")),
        "{:?}",
        r.note
    );
    // Stratified by the join bucket: no value is NaN; a stratum with a group of one member
    // or none has its lifts null with the reason.
    let c = parse_campaign(&campaign(
        json!({"stratify": "join_bucket", "holdout": 0.5}),
    ))
    .expect("c");
    let r = s.campaign_readout(&c, &opts).expect("readout");
    let text = serde_json::to_string(&r).expect("json");
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    assert!(r.strata.len() >= 3, "{text}");
    for st in &r.strata {
        let (nt, nc) = (st.result.treatment.members, st.result.control.members);
        let lift = &st.result.conversion_lift;
        assert_eq!(lift.diff.is_none(), nt <= 1 || nc <= 1, "{lift:?}");
    }
    let lift = stats::conversion_lift(1, 1, 0, 5);
    assert_eq!(
        (lift.diff, lift.low, lift.high, lift.p_value),
        (None, None, None, None)
    );
    assert_eq!(
        lift.reason.as_deref(),
        Some("the treatment group has 1 member: too few for a lift")
    );
    let lift = stats::revenue_lift(&[1.0, 2.0, 3.0], &[]);
    assert_eq!(
        lift.lift.reason.as_deref(),
        Some("the control group has 0 members: too few for a lift")
    );
    assert_eq!(lift.incremental, None);
    // No variation: the interval is [d, d], no test.
    let lift = stats::conversion_lift(0, 10, 0, 10);
    assert_eq!(
        (lift.diff, lift.low, lift.high, lift.p_value),
        (Some(0.0), Some(0.0), Some(0.0), None)
    );
    assert!(lift
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("no relative lift") && r.contains("no test")));
}

#[test]
fn generated_campaigns_show_their_lift() {
    let dir = temp_dir("campaign_gen");
    let file = dir.join("c.json");
    std::fs::write(
        &file,
        campaign(
            json!({"launch": "2025-07-01", "holdout": 0.5, "stratify": null,
                        "segment": {"rule": {"lifecycle": ["new", "active", "dormant"]}}}),
        ),
    )
    .expect("write");
    let mut relative = Vec::new();
    for lift in ["0", "1.5"] {
        let out = dir.join(format!("lift{lift}"));
        let (o, m) = (out.join("orders.csv"), out.join("members.csv"));
        cli_ok(&[
            "gen",
            "--members",
            "6000",
            "--seed",
            "4",
            "--campaign",
            file.to_str().unwrap(),
            "--lift",
            lift,
            "--out",
            out.to_str().unwrap(),
        ]);
        let r: Value = serde_json::from_str(&cli_ok(&[
            "campaign",
            "readout",
            "--orders",
            o.to_str().unwrap(),
            "--members",
            m.to_str().unwrap(),
            "--campaign",
            file.to_str().unwrap(),
        ]))
        .expect("json");
        assert_eq!(r["observed_days"], 30, "{r}");
        relative.push(r["overall"]["conversion_lift"].clone());
    }
    // No lift: the interval holds 0; 150% more daily purchases: far above it.
    let (none, some) = (&relative[0], &relative[1]);
    assert!(
        none["low"].as_f64().unwrap() < 0.0 && none["high"].as_f64().unwrap() > 0.0,
        "{none}"
    );
    assert!(
        some["low"].as_f64().unwrap() > 0.0 && some["p_value"].as_f64().unwrap() < 1e-6,
        "{some}"
    );
}

#[test]
fn the_daily_series_equals_the_readout_of_each_shorter_window() {
    let dir = generate("campaign_daily", 2500, 19, "en");
    let mut s = session_of(&dir);
    let opts = AnalysisOptions::default();
    let c = parse_campaign(&campaign(json!({"launch": "2025-05-15", "holdout": 0.3}))).expect("c");
    let r = s.campaign_readout(&c, &opts).expect("readout");
    assert_eq!(r.daily.len(), 30);
    let near = |a: Option<f64>, b: Option<f64>, what: &str| match (a, b) {
        (Some(a), Some(b)) => assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        ),
        _ => assert_eq!(a, b, "{what}"),
    };
    for d in [1u32, 7, 16, 30] {
        let short = parse_campaign(&campaign(
            json!({"launch": "2025-05-15", "holdout": 0.3, "window_days": d}),
        ))
        .expect("c");
        let want = s.campaign_readout(&short, &opts).expect("readout").overall;
        let got = &r.daily[d as usize - 1];
        assert_eq!(got.day, d);
        near(
            got.treatment_conversion,
            want.treatment.conversion,
            "treatment conversion",
        );
        near(
            got.control_revenue_per_member,
            want.control.revenue_per_member,
            "control revenue",
        );
        for (g, w) in [
            (&got.conversion_lift, &want.conversion_lift),
            (&got.revenue_lift.lift, &want.revenue_lift.lift),
        ] {
            near(g.diff, w.diff, "diff");
            near(g.low, w.low, "low");
            near(g.high, w.high, "high");
            near(g.p_value, w.p_value, "p");
        }
        near(
            got.revenue_lift.incremental,
            want.revenue_lift.incremental,
            "incremental",
        );
    }
}
