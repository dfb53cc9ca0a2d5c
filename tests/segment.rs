//! Segment rules from the CLI against predicates evaluated naively per member, from the CSV.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn cli_segment(dir: &Path, rule: &str, name: &str) -> BTreeSet<String> {
    let rule_path = dir.join(format!("{name}.json"));
    std::fs::write(&rule_path, rule).expect("rule");
    let out = dir.join(format!("{name}.csv"));
    let p = |f: &str| dir.join(f).to_str().expect("path").to_string();
    cli_ok(&[
        "segment",
        "--orders",
        &p("orders.csv"),
        "--members",
        &p("members.csv"),
        "--rule",
        rule_path.to_str().expect("p"),
        "--out",
        out.to_str().expect("p"),
    ]);
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers[0], "member_id");
    rows.into_iter().map(|r| r[0].clone()).collect()
}

struct World {
    naive: Naive,
    ids: Vec<String>,
    stages: BTreeMap<String, &'static str>,
    segments: BTreeMap<String, String>,
    monetary: BTreeMap<String, i64>,
    as_of: i64,
}

impl World {
    fn new(dir: &Path) -> World {
        let naive = Naive::read(dir);
        let as_of = naive.latest();
        let stages = naive.stages(as_of);
        let rfm_out = dir.join("rfm_for_segments.csv");
        let p = |f: &str| dir.join(f).to_str().expect("path").to_string();
        cli_ok(&[
            "rfm",
            "--orders",
            &p("orders.csv"),
            "--out",
            rfm_out.to_str().expect("p"),
        ]);
        let segments = read_csv(&rfm_out)
            .1
            .into_iter()
            .map(|r| (r[0].clone(), r[7].clone()))
            .collect();
        let ids = naive.member_ids();
        let monetary = naive
            .base(as_of)
            .into_iter()
            .map(|(m, b)| (m, b.1))
            .collect();
        World {
            naive,
            ids,
            stages,
            segments,
            monetary,
            as_of,
        }
    }

    fn select(&self, pred: impl Fn(&str) -> bool) -> BTreeSet<String> {
        self.ids.iter().filter(|m| pred(m)).cloned().collect()
    }

    fn attr(&self, m: &str, col: &str) -> Option<String> {
        self.naive
            .members
            .get(m)
            .map(|r| r[col].clone())
            .filter(|v| !v.is_empty())
    }

    fn bought(&self, m: &str, filter: impl Fn(&Order) -> bool, within: i64) -> (i64, i64) {
        let lo = self.as_of - within;
        self.naive
            .orders
            .iter()
            .filter(|o| {
                o.member.as_deref() == Some(m) && o.day > lo && o.day <= self.as_of && filter(o)
            })
            .fold((0, 0), |(n, net), o| {
                (n + i64::from(o.cents > 0), net + o.cents)
            })
    }
}

#[test]
fn rules_match_naive_member_predicates() {
    let dir = generate("segments", 2500, 3, "en");
    let w = World::new(&dir);
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        (
            r#"{"tags":{"any":["KOC","student"]}}"#,
            w.select(|m| w.naive.tags(m).iter().any(|t| t == "KOC" || t == "student")),
        ),
        (
            r#"{"tags":{"all":["KOC","discount_lover"]}}"#,
            w.select(|m| {
                let t = w.naive.tags(m);
                t.contains(&"KOC".into()) && t.contains(&"discount_lover".into())
            }),
        ),
        (
            r#"{"tags":{"none":["discount_lover"]}}"#,
            w.select(|m| !w.naive.tags(m).contains(&"discount_lover".into())),
        ),
        (
            r#"{"attr":{"column":"tier","in":["gold","diamond"]}}"#,
            w.select(|m| matches!(w.attr(m, "tier").as_deref(), Some("gold" | "diamond"))),
        ),
        (
            r#"{"attr":{"column":"points","gte":1000,"lt":3000}}"#,
            w.select(|m| {
                w.attr(m, "points").is_some_and(|p| {
                    let p: f64 = p.parse().expect("points");
                    (1000.0..3000.0).contains(&p)
                })
            }),
        ),
        (
            r#"{"attr":{"column":"email","is_null":true}}"#,
            w.select(|m| w.attr(m, "email").is_none()),
        ),
        (
            r#"{"attr":{"column":"city","ne":"Shanghai"}}"#,
            w.select(|m| w.attr(m, "city").is_some_and(|c| c != "Shanghai")),
        ),
        (
            r#"{"lifecycle":["dormant","churned"]}"#,
            w.select(|m| matches!(w.stages[m], "dormant" | "churned")),
        ),
        (
            r#"{"not":{"lifecycle":["prospect"]}}"#,
            w.select(|m| w.stages[m] != "prospect"),
        ),
        (
            r#"{"rfm":{"segment":["at_risk","cant_lose"]}}"#,
            w.select(|m| {
                w.segments
                    .get(m)
                    .is_some_and(|s| s == "at_risk" || s == "cant_lose")
            }),
        ),
        (
            r#"{"metric":{"name":"monetary","gte":1000}}"#,
            w.select(|m| w.monetary[m] >= 100_000),
        ),
        (
            r#"{"purchased":{"where":{"brand":["UR"],"channel":["mini_program","store"]},"within_days":180,"min_count":2}}"#,
            w.select(|m| {
                w.bought(
                    m,
                    |o| {
                        o.cols["brand"] == "UR"
                            && matches!(o.cols["channel"].as_str(), "mini_program" | "store")
                    },
                    180,
                )
                .0 >= 2
            }),
        ),
        (
            r#"{"all":[{"any":[{"tags":{"any":["KOC"]}},{"attr":{"column":"tier","in":["diamond"]}}]},{"not":{"lifecycle":["churned"]}},{"purchased":{"within_days":365,"min_amount":500}}]}"#,
            w.select(|m| {
                (w.naive.tags(m).contains(&"KOC".into())
                    || w.attr(m, "tier").as_deref() == Some("diamond"))
                    && w.stages[m] != "churned"
                    && w.bought(m, |_| true, 365).1 >= 50_000
            }),
        ),
    ];
    for (i, (rule, want)) in cases.into_iter().enumerate() {
        assert!(
            !want.is_empty() && want.len() < w.ids.len(),
            "case {i} should select some but not all: {rule}"
        );
        assert_eq!(cli_segment(&dir, rule, &format!("rule{i}")), want, "{rule}");
    }
}

#[test]
fn unknown_names_are_errors_not_empty_audiences() {
    let dir = generate("segments_err", 300, 4, "en");
    let p = |f: &str| dir.join(f).to_str().expect("path").to_string();
    for (rule, message) in [
        (
            r#"{"tags":{"any":["KOCC"]}}"#,
            "unknown tag \"KOCC\"; did you mean \"KOC\"?",
        ),
        (
            r#"{"attr":{"column":"tier","in":["gould"]}}"#,
            "no member has the value \"gould\"; did you mean \"gold\"?",
        ),
        (
            r#"{"rfm":{"segment":["champion"]}}"#,
            "unknown RFM segment \"champion\"; did you mean \"champions\"?",
        ),
        (
            r#"{"lifecycle":["sleeping"]}"#,
            "unknown lifecycle stage \"sleeping\"",
        ),
        (
            r#"{"purchased":{"where":{"brnd":["UR"]}}}"#,
            "unknown order column \"brnd\"; did you mean \"brand\"?",
        ),
        (r#"{"segment":"vip"}"#, "unknown saved segment \"vip\""),
        (
            r#"{"all":[{"tags":{"any":["KOC"]}},{"attr":{"column":"tierr","eq":"gold"}}]}"#,
            "rule.all[1].attr.column: unknown column \"tierr\"; did you mean \"tier\"?",
        ),
    ] {
        let rule_path = dir.join("bad.json");
        std::fs::write(&rule_path, rule).expect("rule");
        let out = cli(&[
            "segment",
            "--orders",
            &p("orders.csv"),
            "--members",
            &p("members.csv"),
            "--rule",
            rule_path.to_str().expect("p"),
            "--out",
            &p("bad.csv"),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rule}: {stderr}");
        assert!(stderr.contains(message), "{rule}: {stderr}");
    }
}
