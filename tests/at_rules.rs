//! SPEC §6's `at` node against a naive model read straight from the sample files: at a date
//! D, the rule reads `as_of` = D (lifecycle stages, purchase windows) and only members that
//! exist at D (joined, or with an order, on or before D) match; `not` inside complements
//! within them; `days_ago` counts back from the enclosing date, nested ones too. Bad dates
//! are errors naming the value.

mod common;

use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::{ErrorKind, Session};
use common::*;
use std::collections::BTreeSet;

/// The members `rule` selects.
fn members(s: &mut Session, rule: &str) -> BTreeSet<String> {
    let seg = parse_segment(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
    let page = s
        .members(&seg, &[], 0, 1_000_000, &AnalysisOptions::default())
        .unwrap_or_else(|e| panic!("{rule}: {e}"));
    page.rows.into_iter().map(|r| r[0].clone()).collect()
}

/// Members that exist at `day` in the naive model: a join date or an order on or before it.
fn exists(n: &Naive, day: i64) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = n
        .members
        .iter()
        .filter(|(_, r)| {
            let j = r.get("join_date").map(String::as_str).unwrap_or("");
            !j.is_empty() && day_of(j) <= day
        })
        .map(|(m, _)| m.clone())
        .collect();
    out.extend(
        n.orders
            .iter()
            .filter(|o| o.day <= day)
            .filter_map(|o| o.member.clone()),
    );
    out
}

/// Members in one of `stages` at `day`, among those that exist then.
fn staged(n: &Naive, day: i64, stages: &[&str]) -> BTreeSet<String> {
    let alive = exists(n, day);
    n.stages(day)
        .into_iter()
        .filter(|(m, s)| stages.contains(s) && alive.contains(m))
        .map(|(m, _)| m)
        .collect()
}

fn date(day: i64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn at_nodes_read_the_stages_and_members_of_their_date() {
    let dir = generate("at_rules", 1500, 31, "en");
    let n = Naive::read(&dir);
    let mut s = session_of(&dir);
    let latest = n.latest();
    assert_eq!(day_of(&date(latest)), latest);

    // Asleep 91 days ago.
    let then = latest - 91;
    let asleep = staged(&n, then, &["dormant", "churned"]);
    assert!(asleep.len() > 50, "{} asleep", asleep.len());
    let rule = r#"{"at": {"days_ago": 91, "rule": {"lifecycle": ["dormant", "churned"]}}}"#;
    assert_eq!(members(&mut s, rule), asleep);
    // The same by date.
    let by_date = format!(
        r#"{{"at": {{"date": "{}", "rule": {{"lifecycle": ["dormant", "churned"]}}}}}}"#,
        date(then)
    );
    assert_eq!(members(&mut s, &by_date), asleep);

    // Reactivated this quarter (SPEC §6's example): asleep then, a purchase since.
    let bought: BTreeSet<String> = n
        .orders
        .iter()
        .filter(|o| o.cents > 0 && o.day > latest - 91 && o.day <= latest)
        .filter_map(|o| o.member.clone())
        .collect();
    let woke: BTreeSet<String> = asleep.intersection(&bought).cloned().collect();
    assert!(woke.len() > 5, "{} woke", woke.len());
    let rule = r#"{"all": [{"at": {"days_ago": 91, "rule": {"lifecycle": ["dormant", "churned"]}}}, {"purchased": {"within_days": 91}}]}"#;
    assert_eq!(members(&mut s, rule), woke);

    // A purchase window inside reads the node's date.
    let then_bought: BTreeSet<String> = n
        .orders
        .iter()
        .filter(|o| o.cents > 0 && o.day > then - 30 && o.day <= then)
        .filter_map(|o| o.member.clone())
        .collect();
    let rule = r#"{"at": {"days_ago": 91, "rule": {"purchased": {"within_days": 30}}}}"#;
    assert_eq!(members(&mut s, rule), then_bought);

    // `not` inside complements within the members that exist then; outside, within everyone.
    let early = latest - 700;
    let alive = exists(&n, early);
    let everyone: BTreeSet<String> = n.member_ids().into_iter().collect();
    assert!(alive.len() < everyone.len() && !alive.is_empty());
    let prospects_then = staged(&n, early, &["prospect"]);
    let rule = format!(
        r#"{{"at": {{"date": "{}", "rule": {{"not": {{"lifecycle": ["prospect"]}}}}}}}}"#,
        date(early)
    );
    let want: BTreeSet<String> = alive.difference(&prospects_then).cloned().collect();
    assert_eq!(members(&mut s, &rule), want);
    let rule = format!(
        r#"{{"not": {{"at": {{"date": "{}", "rule": {{"lifecycle": ["prospect", "new", "active", "dormant", "churned"]}}}}}}}}"#,
        date(early)
    );
    let joined_after: BTreeSet<String> = everyone.difference(&alive).cloned().collect();
    assert_eq!(members(&mut s, &rule), joined_after);

    // Nested: 60 days before 30 days ago.
    let rule = r#"{"at": {"days_ago": 30, "rule": {"at": {"days_ago": 60, "rule": {"lifecycle": ["active"]}}}}}"#;
    assert_eq!(members(&mut s, rule), staged(&n, latest - 90, &["active"]));
}

#[test]
fn bad_at_nodes_are_errors_naming_the_value() {
    let dir = generate("at_rules_errors", 300, 5, "en");
    let mut s = session_of(&dir);
    for (rule, says) in [
        (
            r#"{"at": {"date": "2024-13-45", "rule": {"lifecycle": ["active"]}}}"#,
            "rule.at.date: not a date: \"2024-13-45\"",
        ),
        (
            r#"{"at": {"days_ago": -3, "rule": {"lifecycle": ["active"]}}}"#,
            "rule.at.days_ago: -3: must not be negative",
        ),
        (r#"{"at": {"days_ago": 3}}"#, "rule.at: missing rule"),
        (
            r#"{"at": {"date": "2024-01-01", "days_ago": 3, "rule": {"lifecycle": ["new"]}}}"#,
            "rule.at: give date or days_ago, not both",
        ),
        (
            r#"{"at": {"rule": {"lifecycle": ["new"]}}}"#,
            "rule.at: expected date or days_ago",
        ),
    ] {
        let e = parse_segment(rule).expect_err(rule);
        assert_eq!(e.kind(), ErrorKind::Rule, "{rule}");
        assert!(e.to_string().contains(says), "{rule}: {e}");
    }
    for (rule, says) in [
        (
            r#"{"at": {"date": "1999-01-01", "rule": {"lifecycle": ["active"]}}}"#,
            "rule.at: 1999-01-01 is before the data begins",
        ),
        (
            r#"{"at": {"date": "2199-01-01", "rule": {"lifecycle": ["active"]}}}"#,
            "rule.at: 2199-01-01 is after the data ends",
        ),
    ] {
        let seg = parse_segment(rule).expect(rule);
        let e = s.count(&seg, &AnalysisOptions::default()).expect_err(rule);
        assert_eq!(e.kind(), ErrorKind::Rule, "{rule}");
        assert!(e.to_string().contains(says), "{rule}: {e}");
    }
}

#[test]
fn the_movement_presets_select_what_their_descriptions_say() {
    let dir = generate("at_presets", 1500, 37, "en");
    let n = Naive::read(&dir);
    let mut s = session_of(&dir);
    let latest = n.latest();
    let vocabulary =
        serde_json::to_value(audience_lab::vocabulary::vocabulary().expect("vocabulary"))
            .expect("JSON");
    let preset = |id: &str| -> String {
        vocabulary["presets"]
            .as_array()
            .expect("presets")
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("preset {id}"))["segment"]
            .to_string()
    };
    let now = n.stages(latest);
    let base = n.base(latest);
    let everyone: BTreeSet<String> = n.member_ids().into_iter().collect();
    let bought: BTreeSet<String> = n
        .orders
        .iter()
        .filter(|o| o.cents > 0 && o.day > latest - 91)
        .filter_map(|o| o.member.clone())
        .collect();
    let asleep_now = |m: &String| matches!(now[m], "dormant" | "churned");
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        (
            "reactivated_this_quarter",
            staged(&n, latest - 91, &["dormant", "churned"])
                .intersection(&bought)
                .cloned()
                .collect(),
        ),
        (
            "fell_asleep_this_quarter",
            staged(&n, latest - 91, &["new", "active"])
                .into_iter()
                .filter(asleep_now)
                .collect(),
        ),
        (
            "no_second_purchase",
            staged(&n, latest - 30, &["new"])
                .into_iter()
                .filter(|m| base[m].0 == 1)
                .collect(),
        ),
        (
            "joined_last_90_days",
            everyone
                .difference(&exists(&n, latest - 90))
                .cloned()
                .collect(),
        ),
    ];
    for (id, want) in cases {
        assert!(!want.is_empty(), "{id}: the sample has such members");
        assert_eq!(members(&mut s, &preset(id)), want, "{id}");
    }
    // Champions lost: champions then (by the engine's RFM at that date), not now.
    let then = members(
        &mut s,
        r#"{"at": {"days_ago": 91, "rule": {"rfm": {"segment": ["champions"]}}}}"#,
    );
    let now = members(&mut s, r#"{"rfm": {"segment": ["champions"]}}"#);
    let lost: BTreeSet<String> = then.difference(&now).cloned().collect();
    assert_eq!(members(&mut s, &preset("champions_lost")), lost);
}

#[test]
fn explain_counts_the_nodes_inside_at_nodes_at_their_date() {
    let dir = generate("at_explain", 1200, 43, "en");
    let n = Naive::read(&dir);
    let mut s = session_of(&dir);
    let latest = n.latest();
    let then = latest - 91;
    let asleep = staged(&n, then, &["dormant", "churned"]);
    let bought = |from: i64, to: i64| -> BTreeSet<String> {
        n.orders
            .iter()
            .filter(|o| o.cents > 0 && o.day > from && o.day <= to)
            .filter_map(|o| o.member.clone())
            .collect()
    };
    let bought_then = bought(then - 180, then);
    let bought_since = bought(then, latest);
    let inner: BTreeSet<String> = asleep.intersection(&bought_then).cloned().collect();
    let woke: BTreeSet<String> = inner.intersection(&bought_since).cloned().collect();
    assert!(!woke.is_empty() && inner.len() > woke.len());

    let rule = r#"{"all": [{"at": {"days_ago": 91, "rule": {"all": [{"lifecycle": ["dormant", "churned"]}, {"purchased": {"within_days": 180}}]}}}, {"purchased": {"within_days": 91}}]}"#;
    let seg = parse_segment(rule).expect("rule");
    let opts = AnalysisOptions::default();
    for round in 0..2 {
        let ex = s.explain(&seg, &opts).expect("explain");
        assert_eq!(ex.count, woke.len() as u64);
        let at = &ex.root.children[0];
        assert_eq!((at.path.as_str(), at.kind), ("rule.all[0]", "at"));
        assert_eq!(at.count, inner.len() as u64);
        assert_eq!(at.children.len(), 1);
        let group = &at.children[0];
        assert_eq!(group.path, "rule.all[0].at.rule");
        assert_eq!(group.count, inner.len() as u64);
        let [stage, window] = &group.children[..] else {
            panic!("two conditions: {group:?}");
        };
        assert_eq!(stage.path, "rule.all[0].at.rule.all[0]");
        assert_eq!(stage.count, asleep.len() as u64);
        assert_eq!(window.count, bought_then.len() as u64);
        assert_eq!(window.running, Some(inner.len() as u64));
        // The second explain finds every node, inside the `at` node too, in the cache.
        assert_eq!(stage.cached, round == 1, "round {round}");
        assert_eq!(group.cached, round == 1, "round {round}");
    }
}
