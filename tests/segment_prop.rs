//! Property test: random rule trees of every SPEC §3 node type, evaluated by the engine
//! (through one session, so the per-node cache carries over from rule to rule as in a rule
//! builder), against a naive row-by-row evaluation of the CSV files written from SPEC alone.
//! `explain` is checked too: every node's count and every running count.

mod common;

use audience_lab::catalog;
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::{parse_segment, ExplainNode};
use audience_lab::Session;
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

const TAGS: &[&str] = &[
    "KOC",
    "discount_lover",
    "early_adopter",
    "event_vip",
    "gift_buyer",
    "new_mom",
    "sensitive_skin",
    "student",
];
const TIERS: &[&str] = &["normal", "silver", "gold", "diamond"];
const CITIES: &[&str] = &[
    "Beijing",
    "Shanghai",
    "Chengdu",
    "Guangzhou",
    "Hangzhou",
    "Shenzhen",
];
const BRANDS: &[&str] = &["UR", "Lumi"];
const CHANNELS: &[&str] = &["store", "mini_program", "tmall"];
const STAGES: &[&str] = &["prospect", "new", "active", "dormant", "churned"];
const SEGMENTS: &[&str] = &[
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "cant_lose",
    "at_risk",
    "hibernating",
    "prospect",
];
/// The numeric member columns of the catalog (the CLV predictions aside: their reference is
/// lifetimes, in tests/clv.rs); the naive model below must know every one of them.
fn metrics() -> &'static [&'static str] {
    static M: OnceLock<Vec<&'static str>> = OnceLock::new();
    M.get_or_init(|| {
        catalog::COLUMNS
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    catalog::Kind::Int | catalog::Kind::Num | catalog::Kind::Money
                ) && c.source != catalog::Source::Clv
            })
            .map(|c| c.id)
            .collect()
    })
}
/// Saved segments every session has (`{"segment": name}`).
const SAVED: &[(&str, &str)] = &[
    ("koc", r#"{"tags":{"any":["KOC"]}}"#),
    (
        "big",
        r#"{"any":[{"metric":{"name":"monetary","gte":1500}},{"segment":"koc"}]}"#,
    ),
];

/// Per member, what SPEC says about it, computed from the CSV rows.
struct Member {
    tags: BTreeSet<String>,
    attrs: BTreeMap<String, String>,
    orders: Vec<Order>,
    freq: i64,
    net: i64,
    gross: i64,
    discounted: i64,
    first: Option<i64>,
    last: Option<i64>,
    r: u8,
    f: u8,
    m: u8,
    segment: &'static str,
    stage: &'static str,
}

struct World {
    as_of: i64,
    members: BTreeMap<String, Member>,
    session: Mutex<Session>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let dir = generate("segment_prop", 1200, 21, "en");
        let naive = Naive::read(&dir);
        let as_of = naive.latest();
        let base = naive.base(as_of);
        let stages = naive.stages(as_of);
        let buyers: Vec<_> = base.iter().filter(|(_, b)| b.0 > 0).collect();
        let rs: Vec<i64> = buyers
            .iter()
            .map(|(_, b)| -(as_of - b.3.unwrap()))
            .collect();
        let fs: Vec<i64> = buyers.iter().map(|(_, b)| b.0).collect();
        let ms: Vec<i64> = buyers.iter().map(|(_, b)| b.1).collect();
        let mut members = BTreeMap::new();
        for (id, b) in &base {
            let orders: Vec<Order> = naive
                .orders
                .iter()
                .filter(|o| o.member.as_deref() == Some(id.as_str()) && o.day <= as_of)
                .cloned()
                .collect();
            let bought = b.0 > 0;
            let (r, f, m) = if bought {
                (
                    quantile_score(-(as_of - b.3.unwrap()), &rs),
                    quantile_score(b.0, &fs),
                    quantile_score(b.1, &ms),
                )
            } else {
                (0, 0, 0)
            };
            members.insert(
                id.clone(),
                Member {
                    tags: naive.tags(id).into_iter().collect(),
                    attrs: naive.members.get(id).cloned().unwrap_or_default(),
                    freq: b.0,
                    net: b.1,
                    gross: orders.iter().filter(|o| o.cents > 0).map(|o| o.cents).sum(),
                    discounted: orders
                        .iter()
                        .filter(|o| o.cents > 0 && o.discount > 0)
                        .count() as i64,
                    first: b.2,
                    last: b.3,
                    orders,
                    r,
                    f,
                    m,
                    segment: if bought {
                        default_segment(r, f)
                    } else {
                        "prospect"
                    },
                    stage: stages[id],
                },
            );
        }
        let mut session = Session::new();
        for (kind, file) in [
            (TableKind::Orders, "orders.csv"),
            (TableKind::Members, "members.csv"),
        ] {
            let bytes = std::fs::read(dir.join(file)).expect("read");
            session
                .load(kind, &bytes, &LoadOptions::default(), &mut |_| {})
                .expect("load");
        }
        for (name, rule) in SAVED {
            let mut seg = parse_segment(rule).expect("saved");
            seg.name = name.to_string();
            session.save_segment(seg);
        }
        World {
            as_of,
            members,
            session: Mutex::new(session),
        }
    })
}

fn cmp(op: &str, x: f64, v: &Value) -> bool {
    match op {
        "gte" => x >= v.as_f64().unwrap(),
        "gt" => x > v.as_f64().unwrap(),
        "lt" => x < v.as_f64().unwrap(),
        "lte" => x <= v.as_f64().unwrap(),
        "between" => x >= v[0].as_f64().unwrap() && x <= v[1].as_f64().unwrap(),
        other => panic!("op {other}"),
    }
}

/// The naive evaluation of a rule node for one member.
fn eval(w: &World, rule: &Value, m: &Member) -> bool {
    let (key, body) = rule.as_object().unwrap().iter().next().unwrap();
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    match key.as_str() {
        "all" => body.as_array().unwrap().iter().all(|n| eval(w, n, m)),
        "any" => body.as_array().unwrap().iter().any(|n| eval(w, n, m)),
        "not" => !eval(w, body, m),
        "tags" => {
            let (mode, list) = body.as_object().unwrap().iter().next().unwrap();
            let has = strs(list)
                .iter()
                .map(|t| m.tags.contains(t))
                .collect::<Vec<_>>();
            match mode.as_str() {
                "any" => has.iter().any(|&h| h),
                "all" => has.iter().all(|&h| h),
                _ => !has.iter().any(|&h| h),
            }
        }
        "attr" => {
            let col = body["column"].as_str().unwrap();
            let value = m.attrs.get(col).filter(|v| !v.is_empty());
            body.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "column")
                .all(|(op, v)| match (op.as_str(), value) {
                    ("is_null", x) => x.is_none() == v.as_bool().unwrap(),
                    (_, None) => false,
                    ("in", Some(x)) => strs(v).contains(x),
                    ("not_in", Some(x)) => !strs(v).contains(x),
                    ("eq", Some(x)) => x == v.as_str().unwrap(),
                    ("ne", Some(x)) => x != v.as_str().unwrap(),
                    ("contains", Some(x)) => x
                        .to_lowercase()
                        .contains(&v.as_str().unwrap().to_lowercase()),
                    (op, Some(x)) if col == "points" => cmp(op, x.parse().unwrap(), v),
                    (op, Some(x)) => {
                        let day = |s: &str| day_of(s) as f64;
                        let v = match v {
                            Value::Array(a) => {
                                json!([day(a[0].as_str().unwrap()), day(a[1].as_str().unwrap())])
                            }
                            s => json!(day(s.as_str().unwrap())),
                        };
                        cmp(op, day(x), &v)
                    }
                })
        }
        "rfm" => body
            .as_object()
            .unwrap()
            .iter()
            .all(|(k, v)| match k.as_str() {
                "segment" => strs(v).iter().any(|s| s == m.segment),
                _ => {
                    let score = match k.as_str() {
                        "r" => m.r,
                        "f" => m.f,
                        _ => m.m,
                    };
                    v.as_array()
                        .unwrap()
                        .iter()
                        .any(|s| s.as_u64() == Some(score as u64))
                }
            }),
        "lifecycle" => strs(body).iter().any(|s| s == m.stage),
        "metric" => {
            let f = m.freq as f64;
            let bought = m.freq > 0;
            let join = m
                .attrs
                .get("join_date")
                .filter(|j| !j.is_empty())
                .map(|j| day_of(j));
            let x = match body["name"].as_str().unwrap() {
                "monetary" => Some(m.net as f64 / 100.0),
                _ if !bought => None,
                "recency_days" => Some((w.as_of - m.last.unwrap()) as f64),
                "frequency" => Some(f),
                "aov" => Some(m.gross as f64 / 100.0 / f),
                "first_purchase_days" => Some((w.as_of - m.first.unwrap()) as f64),
                "tenure_days" => Some((w.as_of - join.or(m.first).unwrap()) as f64),
                "discount_share" => Some(m.discounted as f64 / f),
                "items_per_order" => Some(
                    m.orders
                        .iter()
                        .filter(|o| o.cents > 0)
                        .map(|o| o.items)
                        .sum::<i64>() as f64
                        / f,
                ),
                "purchase_interval_days" => {
                    let days: BTreeSet<i64> = m
                        .orders
                        .iter()
                        .filter(|o| o.cents > 0)
                        .map(|o| o.day)
                        .collect();
                    (days.len() >= 2).then(|| {
                        (m.last.unwrap() - m.first.unwrap()) as f64 / (days.len() - 1) as f64
                    })
                }
                "r" => Some(f64::from(m.r)),
                "f" => Some(f64::from(m.f)),
                "m" => Some(f64::from(m.m)),
                other => panic!("metric {other}: the naive model needs its definition"),
            };
            body.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "name")
                .all(|(op, v)| match (op.as_str(), x) {
                    ("is_null", x) => x.is_none() == v.as_bool().unwrap(),
                    (_, None) => false,
                    (op, Some(x)) => cmp(op, x, v),
                })
        }
        "purchased" => {
            let (lo, hi) = match (body.get("within_days"), body.get("between")) {
                (Some(d), _) => (w.as_of - d.as_i64().unwrap() + 1, w.as_of),
                (_, Some(b)) => (
                    day_of(b[0].as_str().unwrap()),
                    day_of(b[1].as_str().unwrap()).min(w.as_of),
                ),
                _ => (i64::MIN, w.as_of),
            };
            let wanted = body.get("where").and_then(Value::as_object);
            let (mut count, mut net) = (0u64, 0i64);
            for o in &m.orders {
                let ok = o.day >= lo
                    && o.day <= hi
                    && wanted.is_none_or(|wh| {
                        wh.iter().all(|(c, vals)| strs(vals).contains(&o.cols[c]))
                    });
                if ok {
                    count += u64::from(o.cents > 0);
                    net += o.cents;
                }
            }
            let min_count = body.get("min_count").and_then(Value::as_u64).unwrap_or(1);
            let min_amount = body
                .get("min_amount")
                .map(|a| (a.as_f64().unwrap() * 100.0).round() as i64);
            count >= min_count && min_amount.is_none_or(|a| net >= a)
        }
        "segment" => {
            let name = body.as_str().unwrap();
            let rule = SAVED.iter().find(|(n, _)| *n == name).unwrap().1;
            eval(w, &serde_json::from_str(rule).unwrap(), m)
        }
        other => panic!("node {other}"),
    }
}

fn naive_set(w: &World, rule: &Value) -> BTreeSet<String> {
    w.members
        .iter()
        .filter(|(_, m)| eval(w, rule, m))
        .map(|(id, _)| id.clone())
        .collect()
}

fn pick<'a>(list: &[&'a str], idx: &[usize]) -> Vec<&'a str> {
    let mut out: Vec<&str> = idx.iter().map(|i| list[i % list.len()]).collect();
    out.dedup();
    out
}

fn leaf() -> impl Strategy<Value = Value> {
    let idx = || prop::collection::vec(0usize..64, 1..4);
    prop_oneof![
        (0usize..3, idx()).prop_map(|(mode, i)| {
            let mode = ["any", "all", "none"][mode];
            json!({"tags": {mode: pick(TAGS, &i)}})
        }),
        (0usize..4, idx()).prop_map(|(op, i)| {
            let v = pick(TIERS, &i);
            match op {
                0 => json!({"attr": {"column": "tier", "in": v}}),
                1 => json!({"attr": {"column": "tier", "not_in": v}}),
                2 => json!({"attr": {"column": "city", "ne": pick(CITIES, &i)[0]}}),
                _ => json!({"attr": {"column": "city", "contains": (["an", "SH", "zhou"][i[0] % 3])}}),
            }
        }),
        (0u32..4000, 0u32..3, 1975i32..2026).prop_map(|(x, op, y)| match op {
            0 => json!({"attr": {"column": "points", "gte": x}}),
            1 => json!({"attr": {"column": "points", "between": [x, x + 1500]}}),
            _ => json!({"attr": {
                "column": if y > 2020 { "join_date" } else { "birthday" },
                "lt": format!("{y}-06-15")}}),
        }),
        prop::bool::ANY.prop_map(|b| json!({"attr": {"column": "email", "is_null": b}})),
        (idx(), prop::option::of(idx()), prop::option::of(idx())).prop_map(|(s, r, f)| {
            let scores = |i: &Vec<usize>| {
                let mut v: Vec<usize> = i.iter().map(|x| x % 5 + 1).collect();
                v.sort();
                v.dedup();
                v
            };
            let mut body = json!({});
            match (&r, &f) {
                (None, None) => body["segment"] = json!(pick(SEGMENTS, &s)),
                _ => {
                    if let Some(r) = &r {
                        body["r"] = json!(scores(r));
                    }
                    if let Some(f) = &f {
                        body["f"] = json!(scores(f));
                    }
                }
            }
            json!({"rfm": body})
        }),
        idx().prop_map(|i| json!({"lifecycle": pick(STAGES, &i)})),
        (0usize..metrics().len(), 0u32..5, 0u32..1000).prop_map(|(k, op, x)| {
            let name = metrics()[k];
            let x = match name {
                "frequency" => f64::from(x % 10),
                "r" | "f" | "m" => f64::from(x % 6),
                "items_per_order" => f64::from(x) / 200.0,
                "discount_share" => f64::from(x) / 1000.0,
                "monetary" | "aov" => f64::from(x) * 2.5 - 100.0,
                _ => f64::from(x),
            };
            match op {
                0 => json!({"metric": {"name": name, "gte": x}}),
                1 => json!({"metric": {"name": name, "lt": x}}),
                2 => json!({"metric": {"name": name, "between": [x, x * 2.0 + 1.0]}}),
                3 => json!({"metric": {"name": name, "is_null": x > 500.0}}),
                _ => json!({"metric": {"name": name, "lte": x}}),
            }
        }),
        (
            prop::option::of(idx()),
            prop::option::of(idx()),
            0u32..3,
            0u32..4,
            prop::option::of(-1i64..4)
        )
            .prop_map(|(brand, channel, period, min_count, amount)| {
                let mut body = json!({"min_count": min_count});
                let mut wh = serde_json::Map::new();
                if let Some(b) = brand {
                    wh.insert("brand".into(), json!(pick(BRANDS, &b)));
                }
                if let Some(c) = channel {
                    wh.insert("channel".into(), json!(pick(CHANNELS, &c)));
                }
                if !wh.is_empty() {
                    body["where"] = Value::Object(wh);
                }
                match period {
                    0 => body["within_days"] = json!(180),
                    1 => body["between"] = json!(["2023-01-01", "2024-06-30"]),
                    _ => {}
                }
                if let Some(a) = amount {
                    body["min_amount"] = json!(a as f64 * 333.3);
                }
                json!({"purchased": body})
            }),
        (0usize..2).prop_map(|i| json!({"segment": SAVED[i].0})),
    ]
}

fn rule() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "all": v })),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "any": v })),
            inner.prop_map(|n| json!({ "not": n })),
        ]
    })
}

/// Every node's count and running count in `explain` against the naive sets.
fn check_explain(w: &World, rule: &Value, node: &ExplainNode) {
    let set = naive_set(w, rule);
    assert_eq!(
        node.count,
        set.len() as u64,
        "count of {} in {rule}",
        node.path
    );
    let (key, body) = rule.as_object().unwrap().iter().next().unwrap();
    match key.as_str() {
        "all" | "any" => {
            let kids = body.as_array().unwrap();
            assert_eq!(node.children.len(), kids.len());
            let mut acc: Option<BTreeSet<String>> = None;
            for (kid, ex) in kids.iter().zip(&node.children) {
                let s = naive_set(w, kid);
                acc = Some(match acc {
                    None => s,
                    Some(a) if key == "all" => a.intersection(&s).cloned().collect(),
                    Some(a) => a.union(&s).cloned().collect(),
                });
                assert_eq!(
                    ex.running,
                    Some(acc.as_ref().unwrap().len() as u64),
                    "{}",
                    ex.path
                );
                check_explain(w, kid, ex);
            }
        }
        "not" => check_explain(w, body, &node.children[0]),
        _ => assert!(node.children.is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_rules_match_the_naive_evaluation(rule in rule()) {
        let w = world();
        let want = naive_set(w, &rule);
        let seg = parse_segment(&rule.to_string()).expect("parse");
        let opts = AnalysisOptions::default();
        let mut s = w.session.lock().unwrap_or_else(|e| e.into_inner());
        let got = s.audience(&seg, &opts).expect("evaluate");
        let ds = s.dataset().expect("dataset");
        let got: BTreeSet<String> = got.iter().map(|m| ds.id(m).to_string()).collect();
        prop_assert_eq!(&got, &want, "rule {}", rule);
        let ex = s.explain(&seg, &opts).expect("explain");
        prop_assert_eq!(ex.count, want.len() as u64);
        prop_assert_eq!(ex.total, w.members.len() as u64);
        check_explain(w, &rule, &ex.root);
    }
}

#[test]
fn editing_one_condition_evaluates_only_its_branch() {
    let w = world();
    let mut s = w.session.lock().unwrap_or_else(|e| e.into_inner());
    let opts = AnalysisOptions::default();
    let a = r#"{"all":[{"tags":{"any":["KOC","student"]}},{"attr":{"column":"tier","in":["gold"]}},{"any":[{"lifecycle":["active"]},{"purchased":{"within_days":90}}]}]}"#;
    let b = a.replace(r#"["gold"]"#, r#"["gold","diamond"]"#);
    s.count(&parse_segment(a).expect("a"), &opts).expect("a");
    let before = s.cache_stats();
    let ex = s.explain(&parse_segment(&b).expect("b"), &opts).expect("b");
    let after = s.cache_stats();
    // The edited attr node and the root are new; the tags node and the `any` branch are not.
    assert_eq!(
        after.evaluated - before.evaluated,
        2,
        "{before:?} {after:?}"
    );
    let cached: Vec<bool> = ex.root.children.iter().map(|c| c.cached).collect();
    assert_eq!(cached, vec![true, false, true]);
    assert!(!ex.root.cached);
    let naive = naive_set(w, &serde_json::from_str(&b).expect("json"));
    assert_eq!(ex.count, naive.len() as u64);
}
