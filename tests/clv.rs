//! CLV models (BG/NBD + Gamma-Gamma) on the CDNOW sample: the fit against the published
//! parameters (Fader, Hardie & Lee 2005) and against Python's lifetimes; per-member P(alive),
//! expected purchases and CLV against lifetimes' values (tests/data/clv_reference.py made the
//! fixtures); the CLI, errors, rule metrics and the "high value at risk" preset.

mod common;

use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::clv::bgnbd::BgNbd;
use audience_lab::metrics::clv::gamma_gamma::GammaGamma;
use audience_lab::metrics::clv::mbgnbd::MbgNbd;
use audience_lab::metrics::clv::{
    discount_sum, month_ends, month_length, Clv, ClvOptions, Model, Unit,
};
use audience_lab::{ErrorKind, Session};
use common::{cli, cli_ok, generate, read_csv, temp_dir};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CDNOW: &str = "tests/data/cdnow_sample.csv";
const MAP: [&str; 6] = [
    "--map",
    "member_id=customer_id",
    "--map",
    "order_time=date",
    "--map",
    "amount=dollar_value",
];

fn path(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn cdnow() -> Session {
    let mut s = Session::new();
    let opts = LoadOptions {
        name: CDNOW.into(),
        mapping: [
            ("member_id", "customer_id"),
            ("order_time", "date"),
            ("amount", "dollar_value"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        ..LoadOptions::default()
    };
    let bytes = std::fs::read(path(CDNOW)).expect("cdnow sample");
    s.load(TableKind::Orders, &bytes, &opts, &mut |_| {})
        .expect("load cdnow");
    s
}

/// 1997-09-30, the calibration end of the paper.
fn sept_30() -> i32 {
    common::day_of("1997-09-30") as i32
}

/// The paper's set-up: every order is a transaction, time in weeks.
fn paper_options() -> ClvOptions {
    ClvOptions {
        calibration_end: Some(sept_30()),
        unit: Unit::Weeks,
        include_zero_amount: true,
        ..ClvOptions::default()
    }
}

/// The default set-up: purchases (amount > 0) only, time in days.
fn days_options() -> ClvOptions {
    ClvOptions {
        calibration_end: Some(sept_30()),
        ..ClvOptions::default()
    }
}

/// One row of lifetimes' reference.
#[derive(Debug, Clone, Copy)]
struct Ref {
    frequency: f64,
    recency: f64,
    t: f64,
    monetary: f64,
    p_alive: f64,
    expected_90d: f64,
    clv: f64,
}

fn reference(unit: &str) -> (BTreeMap<String, Ref>, BgNbd, GammaGamma) {
    let (h, rows) = read_csv(Path::new(&path(&format!(
        "tests/data/cdnow_clv_reference_{unit}.csv"
    ))));
    let col = |name: &str| h.iter().position(|c| c == name).expect("column");
    let num = |r: &Vec<String>, c: &str| -> f64 { r[col(c)].parse().expect("number") };
    let table = rows
        .iter()
        .map(|r| {
            (
                r[0].clone(),
                Ref {
                    frequency: num(r, "frequency"),
                    recency: num(r, "recency"),
                    t: num(r, "T"),
                    monetary: num(r, "monetary_value"),
                    p_alive: num(r, "p_alive"),
                    expected_90d: num(r, "expected_purchases_90d"),
                    clv: num(r, "clv"),
                },
            )
        })
        .collect();
    let params: Value = serde_json::from_str(
        &std::fs::read_to_string(path("tests/data/cdnow_clv_reference_params.json"))
            .expect("params"),
    )
    .expect("json");
    let p = |k: &str, n: &str| params[unit][k][n].as_f64().expect("param");
    (
        table,
        BgNbd {
            r: p("bgnbd", "r"),
            alpha: p("bgnbd", "alpha"),
            a: p("bgnbd", "a"),
            b: p("bgnbd", "b"),
        },
        GammaGamma {
            p: p("gamma_gamma", "p"),
            q: p("gamma_gamma", "q"),
            v: p("gamma_gamma", "v"),
        },
    )
}

/// `x` rounded to three significant digits, as text.
fn sig3(x: f64) -> String {
    format!("{x:.2e}")
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn cdnow_fit_equals_the_published_parameters_to_three_significant_digits() {
    let clv = cdnow().clv(&paper_options()).expect("fit");
    let (bg, gg) = (clv.params.bgnbd, clv.params.gamma_gamma);
    eprintln!("fitted: {bg:?} {gg:?}");
    // Fader, Hardie & Lee (2005), and lifetimes' documentation for the spend model.
    let paper = [
        (bg.r, 0.243),
        (bg.alpha, 4.414),
        (bg.a, 0.793),
        (bg.b, 2.426),
        (gg.p, 6.25),
        (gg.q, 3.74),
        (gg.v, 15.44),
    ];
    for (got, want) in paper {
        assert_eq!(sig3(got), sig3(want), "fitted {got}, published {want}");
    }
    assert_eq!(clv.customers, 2357);
    assert_eq!(clv.spend_customers, 946);
}

/// The sum over customers of the per-customer log-likelihood (not the grouped objective).
fn bgnbd_ll(m: &BgNbd, rows: &BTreeMap<String, Ref>) -> f64 {
    rows.values()
        .map(|r| m.log_likelihood(r.frequency, r.recency, r.t))
        .sum()
}

fn gg_ll(m: &GammaGamma, rows: &BTreeMap<String, Ref>) -> f64 {
    rows.values()
        .filter(|r| r.frequency > 0.0 && r.monetary > 0.0)
        .map(|r| m.log_likelihood(r.frequency, r.monetary))
        .sum()
}

#[test]
fn cdnow_fit_reaches_the_maximum_lifetimes_found() {
    for (unit, opts) in [("weeks", paper_options()), ("days", days_options())] {
        let clv = cdnow().clv(&opts).expect("fit");
        let (rows, bg, gg) = reference(unit);
        let (ours, our_gg) = (clv.params.bgnbd, clv.params.gamma_gamma);
        for (got, want) in [
            (ours.r, bg.r),
            (ours.alpha, bg.alpha),
            (ours.a, bg.a),
            (ours.b, bg.b),
            (our_gg.p, gg.p),
            (our_gg.q, gg.q),
            (our_gg.v, gg.v),
        ] {
            assert!(rel(got, want) < 1e-4, "{unit}: {got} vs lifetimes {want}");
        }
        // At least as likely as lifetimes' answer: a maximum, not merely near one.
        let (ll, ll_ref) = (bgnbd_ll(&ours, &rows), bgnbd_ll(&bg, &rows));
        assert!(
            ll >= ll_ref - 1e-8,
            "{unit}: BG/NBD {ll} < lifetimes {ll_ref}"
        );
        assert!((clv.log_likelihood - ll).abs() < 1e-8 * ll.abs());
        let (ll, ll_ref) = (gg_ll(&our_gg, &rows), gg_ll(&gg, &rows));
        assert!(
            ll >= ll_ref - 1e-8,
            "{unit}: Gamma-Gamma {ll} < lifetimes {ll_ref}"
        );
    }
}

#[test]
fn fits_in_days_and_in_weeks_agree() {
    // The BG/NBD likelihood is invariant to the time unit (α scales with it): two fits that
    // both converged find the same model.
    let mut s = cdnow();
    let days = s.clv(&days_options()).expect("days");
    let weeks = s
        .clv(&ClvOptions {
            unit: Unit::Weeks,
            ..days_options()
        })
        .expect("weeks");
    let (d, w) = (days.params.bgnbd, weeks.params.bgnbd);
    for (a, b) in [(d.r, w.r), (d.alpha / 7.0, w.alpha), (d.a, w.a), (d.b, w.b)] {
        assert!(rel(a, b) < 1e-4, "{a} vs {b}");
    }
    for (a, b) in days.members.iter().zip(&weeks.members) {
        if let (Some(a), Some(b)) = (a, b) {
            assert!((a.p_alive - b.p_alive).abs() < 1e-4);
            assert!((a.expected_purchases_90d - b.expected_purchases_90d).abs() < 1e-4);
        }
    }
}

/// Our per-member table keyed by member id.
fn ours(s: &mut Session, clv: &Clv) -> BTreeMap<String, audience_lab::metrics::clv::MemberClv> {
    let ds = s.dataset().expect("dataset");
    clv.members
        .iter()
        .enumerate()
        .filter_map(|(m, c)| c.map(|c| (ds.id(m as u32).to_string(), c)))
        .collect()
}

#[test]
fn summary_matches_lifetimes_and_the_published_summary() {
    for (unit, opts) in [("weeks", paper_options()), ("days", days_options())] {
        let mut s = cdnow();
        let clv = s.clv(&opts).expect("fit");
        let mine = ours(&mut s, &clv);
        let (want, _, _) = reference(unit);
        assert_eq!(
            mine.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{unit}: the same customers"
        );
        for (id, r) in &want {
            let m = &mine[id];
            assert_eq!(f64::from(m.frequency), r.frequency, "{unit} {id}");
            assert!((m.recency - r.recency).abs() < 1e-9, "{unit} {id}");
            assert!((m.t - r.t).abs() < 1e-9, "{unit} {id}");
            assert!((m.monetary_value - r.monetary).abs() < 1e-9, "{unit} {id}");
        }
    }
    // The summary lifetimes ships (customer ids renumbered): the same multiset of rows.
    let mut s = cdnow();
    let clv = s.clv(&paper_options()).expect("fit");
    let key = |f: f64, r: f64, t: f64| format!("{f}/{r:.2}/{t:.2}");
    let mut mine: Vec<String> = ours(&mut s, &clv)
        .values()
        .map(|m| key(f64::from(m.frequency), m.recency, m.t))
        .collect();
    let (h, rows) = read_csv(Path::new(&path("tests/data/cdnow_customers_summary.csv")));
    assert_eq!(h, ["ID", "frequency", "recency", "T"]);
    let mut published: Vec<String> = rows
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].parse::<f64>().expect("number");
            key(n(1), n(2), n(3))
        })
        .collect();
    mine.sort();
    published.sort();
    assert_eq!(mine, published);
}

#[test]
fn per_member_predictions_match_lifetimes_at_its_parameters() {
    // Our formulas evaluated at lifetimes' fitted parameters, so that this compares the
    // formulas (P(alive), the ₂F₁-based expectation, Gamma-Gamma spend, discounting), not
    // the optimisers.
    for (unit, opts) in [("weeks", paper_options()), ("days", days_options())] {
        let mut s = cdnow();
        let clv = s.clv(&opts).expect("fit");
        let mine = ours(&mut s, &clv);
        let (want, bg, gg) = reference(unit);
        let u = opts.unit.days();
        let month = month_length(opts.unit);
        let (mut dp, mut de, mut dc) = (0.0f64, 0.0f64, 0.0f64);
        for (id, r) in &want {
            let m = &mine[id];
            let x = f64::from(m.frequency);
            let p = bg.p_alive(x, m.recency, m.t);
            let e = bg
                .expected_purchases(90.0 / u, x, m.recency, m.t)
                .expect("expected purchases");
            // lifetimes' CLV: 12 months.
            let spend = gg.expected_spend(x, m.monetary_value).expect("q > 1");
            let ends = month_ends(12.0 * month, month);
            assert_eq!(ends.len(), 12);
            let expected: Vec<f64> = ends
                .iter()
                .map(|&t| bg.expected_purchases(t, x, m.recency, m.t).expect("E(t)"))
                .collect();
            let clv = spend * discount_sum(&expected, 0.01);
            dp = dp.max((p - r.p_alive).abs());
            de = de.max((e - r.expected_90d).abs());
            dc = dc.max((clv - r.clv).abs() / r.clv.abs().max(1.0));
        }
        eprintln!(
            "{unit}: max |Δ| vs lifetimes: p_alive {dp:.2e}, expected_purchases_90d {de:.2e}, \
             clv (relative) {dc:.2e}"
        );
        assert!(
            dp < 1e-6 && de < 1e-6 && dc < 1e-6,
            "{unit}: {dp} {de} {dc}"
        );
    }
}

#[test]
fn cli_prints_the_parameters_and_writes_the_table_sorted_by_member_id() {
    let dir = temp_dir("clv_cli");
    let out = dir.join("clv.csv");
    let mut args = vec![
        "clv",
        "--orders",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
        "--unit",
        "weeks",
        "--include-zero-amount",
        "--out",
        out.to_str().expect("utf-8"),
    ];
    args.extend(MAP);
    let stdout = cli_ok(&args);
    let json: Value = serde_json::from_str(stdout.trim()).expect("JSON on stdout");
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&json), ["bgnbd", "gamma_gamma"]);
    assert_eq!(keys(&json["bgnbd"]), ["r", "alpha", "a", "b"]);
    assert_eq!(keys(&json["gamma_gamma"]), ["p", "q", "v"]);
    let n = |k: &str, p: &str| json[k][p].as_f64().expect("number");
    assert_eq!(sig3(n("bgnbd", "r")), sig3(0.243));
    assert_eq!(sig3(n("bgnbd", "alpha")), sig3(4.414));
    assert_eq!(sig3(n("gamma_gamma", "v")), sig3(15.44));

    let (header, rows) = read_csv(&out);
    assert_eq!(
        header,
        [
            "member_id",
            "frequency",
            "recency",
            "T",
            "monetary_value",
            "p_alive",
            "expected_purchases_90d",
            "clv"
        ]
    );
    assert_eq!(rows.len(), 2357);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted by member_id");
    let (want, _, _) = reference("weeks");
    for r in &rows {
        let w = &want[&r[0]];
        let v = |i: usize| r[i].parse::<f64>().expect("number");
        assert_eq!(v(1), w.frequency);
        assert!((v(2) - w.recency).abs() < 1e-9 && (v(3) - w.t).abs() < 1e-9);
        // Fitted (not lifetimes') parameters: equal to lifetimes' to ~1e-6.
        assert!((v(5) - w.p_alive).abs() < 1e-5, "{}", r[0]);
        assert!((v(6) - w.expected_90d).abs() < 1e-5, "{}", r[0]);
    }
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let mut s = cdnow();
    // Before any repeat purchase: the model cannot be fitted.
    let e = s
        .clv(&ClvOptions {
            calibration_end: Some(common::day_of("1997-01-01") as i32),
            ..ClvOptions::default()
        })
        .expect_err("no repeat buyers");
    assert_eq!(e.kind(), ErrorKind::NoData);
    assert!(e.message().contains("repeat"), "{e}");
    // Before the first order.
    let e = s
        .clv(&ClvOptions {
            calibration_end: Some(common::day_of("1990-01-01") as i32),
            ..ClvOptions::default()
        })
        .expect_err("no customers");
    assert_eq!(e.kind(), ErrorKind::NoData);
    for bad in [
        ClvOptions {
            discount: -0.5,
            ..ClvOptions::default()
        },
        ClvOptions {
            horizon_days: f64::NAN,
            ..ClvOptions::default()
        },
    ] {
        assert_eq!(
            s.clv(&bad).expect_err("bad option").kind(),
            ErrorKind::InvalidOption
        );
    }
    // Nothing loaded.
    assert_eq!(
        Session::new()
            .clv(&ClvOptions::default())
            .expect_err("no data")
            .kind(),
        ErrorKind::NoData
    );
    // One repeat buyer: BG/NBD fits, the spend model needs two.
    let mut s = Session::new();
    let csv = "member_id,order_time,amount\na,2024-01-01,10\na,2024-02-01,12\nb,2024-01-05,8\n";
    s.load(
        TableKind::Orders,
        csv.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("load");
    let e = s.clv(&ClvOptions::default()).expect_err("too small");
    assert_eq!(e.kind(), ErrorKind::NoData);
    // The CLI: status 2 and one message.
    let dir = temp_dir("clv_cli_errors");
    let out = dir.join("x.csv");
    for (flag, value) in [
        ("--unit", "fortnights"),
        ("--calibration-end", "someday"),
        ("--discount", "3"),
    ] {
        let mut args = vec!["clv", "--orders", CDNOW, flag, value];
        args.extend(MAP);
        args.extend(["--out", out.to_str().expect("utf-8")]);
        let o = cli(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag), "{err}");
    }
}

/// `member_id → row` of a CLI CSV.
fn table(path: &Path) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let (h, rows) = read_csv(path);
    (h, rows.into_iter().map(|r| (r[0].clone(), r)).collect())
}

fn segment_ids(dir: &Path, rule: &str, name: &str) -> BTreeSet<String> {
    let rule_path = dir.join(format!("{name}.json"));
    std::fs::write(&rule_path, rule).expect("rule");
    let out = dir.join(format!("{name}.csv"));
    cli_ok(&[
        "segment",
        "--orders",
        dir.join("orders.csv").to_str().expect("utf-8"),
        "--members",
        dir.join("members.csv").to_str().expect("utf-8"),
        "--rule",
        rule_path.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    table(&out).1.into_keys().collect()
}

#[test]
fn rule_metrics_compare_the_model_at_as_of_and_are_missing_without_a_purchase() {
    let dir = generate("clv_rules", 3000, 11, "en");
    let naive = common::Naive::read(&dir);
    let latest = naive.latest();
    let clv_csv = dir.join("clv.csv");
    // The rule metrics' model: calibration end = as_of (the latest order), days, defaults.
    cli_ok(&[
        "clv",
        "--orders",
        dir.join("orders.csv").to_str().expect("utf-8"),
        "--out",
        clv_csv.to_str().expect("utf-8"),
    ]);
    let (h, rows) = table(&clv_csv);
    let col = |c: &str| h.iter().position(|x| x == c).expect("column");
    let buyers: BTreeSet<String> = naive
        .base(latest)
        .into_iter()
        .filter(|(_, b)| b.0 > 0)
        .map(|(m, _)| m)
        .collect();
    assert_eq!(
        rows.keys().cloned().collect::<BTreeSet<_>>(),
        buyers,
        "one row per member with a purchase"
    );
    let pick = |c: &str, keep: &fn(f64) -> bool| -> BTreeSet<String> {
        rows.iter()
            .filter(|(_, r)| keep(r[col(c)].parse().expect("number")))
            .map(|(id, _)| id.clone())
            .collect()
    };
    type Keep = fn(f64) -> bool;
    let cases: [(&str, &str, Keep); 3] = [
        ("p_alive", r#"{"lt": 0.5}"#, |v| v < 0.5),
        ("expected_purchases_90d", r#"{"gte": 0.2}"#, |v| v >= 0.2),
        ("clv", r#"{"between": [50, 500]}"#, |v| {
            (50.0..=500.0).contains(&v)
        }),
    ];
    for (i, (name, op, keep)) in cases.iter().enumerate() {
        let mut node: Value = serde_json::from_str(op).expect("op");
        node["name"] = Value::from(*name);
        let rule = serde_json::json!({ "metric": node }).to_string();
        let want = pick(name, keep);
        assert!(
            !want.is_empty() && want.len() < rows.len(),
            "{name}: a real cut"
        );
        assert_eq!(segment_ids(&dir, &rule, &format!("m{i}")), want, "{rule}");
    }
    // Missing without a purchase: `is_null` finds exactly the members without one, and a
    // comparison (even a negated one) never counts them as matching.
    let all: BTreeSet<String> = naive.member_ids().into_iter().collect();
    let never: BTreeSet<String> = all.difference(&buyers).cloned().collect();
    assert!(!never.is_empty());
    let rule = r#"{"metric": {"name": "p_alive", "is_null": true}}"#;
    assert_eq!(segment_ids(&dir, rule, "null"), never);
    let rule = r#"{"metric": {"name": "clv", "gte": 0}}"#;
    assert_eq!(segment_ids(&dir, rule, "gte0"), buyers);
}

#[test]
fn high_value_at_risk_preset_is_top_spenders_with_low_p_alive() {
    let vocabulary =
        serde_json::to_value(audience_lab::vocabulary::vocabulary().expect("vocabulary"))
            .expect("vocabulary JSON");
    let preset = vocabulary["presets"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["id"] == "high_value_at_risk")
        .expect("the preset");
    for key in ["label", "description"] {
        for lang in ["en", "zh"] {
            assert!(
                preset[key][lang].as_str().is_some_and(|s| !s.is_empty()),
                "{key}.{lang}"
            );
        }
    }
    let dir = generate("clv_preset", 3000, 5, "en");
    let got = segment_ids(&dir, &preset["segment"].to_string(), "preset");
    // Independently: M score 4-5 from `rfm`, P(alive) < 0.5 from `clv`.
    let (rfm_out, clv_out) = (dir.join("rfm.csv"), dir.join("clv.csv"));
    let orders = dir.join("orders.csv");
    let orders = orders.to_str().expect("utf-8");
    cli_ok(&[
        "rfm",
        "--orders",
        orders,
        "--out",
        rfm_out.to_str().expect("utf-8"),
    ]);
    cli_ok(&[
        "clv",
        "--orders",
        orders,
        "--out",
        clv_out.to_str().expect("utf-8"),
    ]);
    let (rh, rfm) = table(&rfm_out);
    let (ch, clv) = table(&clv_out);
    let (m, p) = (
        rh.iter().position(|c| c == "m").expect("m"),
        ch.iter().position(|c| c == "p_alive").expect("p_alive"),
    );
    let want: BTreeSet<String> = rfm
        .iter()
        .filter(|(id, r)| {
            matches!(r[m].as_str(), "4" | "5") && clv[*id][p].parse::<f64>().expect("number") < 0.5
        })
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        !want.is_empty(),
        "the sample has high-value members at risk"
    );
    assert_eq!(got, want);
}

#[test]
fn the_forecast_check_equals_lifetimes_calibration_and_holdout_data() {
    let mut s = cdnow();
    let clv = s.clv(&paper_options()).expect("fit");
    let mine = ours(&mut s, &clv);
    let (h, rows) = read_csv(Path::new(&path(
        "tests/data/cdnow_clv_reference_holdout.csv",
    )));
    let col = |name: &str| h.iter().position(|c| c == name).expect("column");
    let (_, bg, _) = reference("weeks");
    let check = clv.holdout().expect("a holdout after 1997-09-30");
    assert_eq!(
        check.mbgnbd_params,
        clv.params.mbgnbd.expect("fitted for the check")
    );
    assert_eq!(check.duration, 39.0, "1997-09-30 to 1998-06-30 in weeks");
    assert_eq!(check.customers as usize, rows.len());
    let (mut worst_formula, mut worst_fit) = (0.0f64, 0.0f64);
    let mut groups: BTreeMap<u32, (u64, f64, f64, f64)> = BTreeMap::new();
    for r in &rows {
        let n = |c: &str| r[col(c)].parse::<f64>().expect("number");
        let m = &mine[&r[0]];
        assert_eq!(f64::from(m.frequency), n("frequency_cal"), "{}", r[0]);
        assert!((m.recency - n("recency_cal")).abs() < 1e-9 && (m.t - n("T_cal")).abs() < 1e-9);
        assert_eq!(n("duration_holdout"), check.duration);
        let (days, expected, expected_mbg) = m.holdout.expect("holdout");
        assert_eq!(f64::from(days), n("frequency_holdout"), "{}", r[0]);
        // The formula at lifetimes' parameters; our own fit's expectation near it.
        let at_theirs = bg
            .expected_purchases(check.duration, f64::from(m.frequency), m.recency, m.t)
            .expect("E");
        worst_formula = worst_formula.max(rel(at_theirs, n("expected_holdout")));
        worst_fit = worst_fit.max(rel(expected, n("expected_holdout")));
        let mbg_theirs = mbg_reference()
            .expected_purchases(check.duration, f64::from(m.frequency), m.recency, m.t)
            .expect("E");
        worst_formula = worst_formula.max(rel(mbg_theirs, n("expected_holdout_mbgnbd")));
        worst_fit = worst_fit.max(rel(expected_mbg, n("expected_holdout_mbgnbd")));
        let g = groups.entry(m.frequency.min(7)).or_default();
        g.0 += 1;
        g.1 += n("frequency_holdout");
        g.2 += expected;
        g.3 += expected_mbg;
    }
    eprintln!("holdout expectation vs lifetimes: formula {worst_formula:.2e}, fit {worst_fit:.2e}");
    assert!(
        worst_formula < 1e-9 && worst_fit < 1e-3,
        "{worst_formula} {worst_fit}"
    );
    let want: Vec<(u32, u64, f64, f64, f64)> = groups
        .into_iter()
        .map(|(f, (n, a, e, m))| (f, n, a / n as f64, e / n as f64, m / n as f64))
        .collect();
    let got: Vec<(u32, u64, f64, f64, f64)> = check
        .by_frequency
        .iter()
        .map(|r| (r.frequency, r.customers, r.actual, r.bgnbd, r.mbgnbd))
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1), (w.0, w.1));
        assert!(
            rel(g.2, w.2) < 1e-12 && rel(g.3, w.3) < 1e-12 && rel(g.4, w.4) < 1e-12,
            "{g:?} {w:?}"
        );
    }
}

/// lifetimes' ModifiedBetaGeoFitter parameters on CDNOW (weeks, every order a transaction).
fn mbg_reference() -> MbgNbd {
    let params: Value = serde_json::from_str(
        &std::fs::read_to_string(path("tests/data/cdnow_clv_reference_params.json"))
            .expect("params"),
    )
    .expect("json");
    let p = |n: &str| params["mbgnbd"][n].as_f64().expect("param");
    MbgNbd {
        r: p("r"),
        alpha: p("alpha"),
        a: p("a"),
        b: p("b"),
    }
}

#[test]
fn mbgnbd_equals_lifetimes_modified_beta_geo_fitter_on_cdnow() {
    let mut s = cdnow();
    let opts = ClvOptions {
        model: Model::MbgNbd,
        ..paper_options()
    };
    let clv = s.clv(&opts).expect("fit");
    let theirs = mbg_reference();
    let ours_params = clv.params.mbgnbd.expect("fitted");
    for (name, a, b) in [
        ("r", ours_params.r, theirs.r),
        ("alpha", ours_params.alpha, theirs.alpha),
        ("a", ours_params.a, theirs.a),
        ("b", ours_params.b, theirs.b),
    ] {
        assert!(rel(a, b) < 1e-4, "{name}: {a} vs lifetimes {b}");
    }
    // Published (Batislam et al. 2007 on CDNOW): r 0.525, α 6.183, a 0.891, b 1.614.
    assert_eq!(
        [
            ours_params.r,
            ours_params.alpha,
            ours_params.a,
            ours_params.b
        ]
        .map(sig3),
        ["5.25e-1", "6.18e0", "8.91e-1", "1.61e0"]
    );
    let (h, rows) = read_csv(Path::new(&path(
        "tests/data/cdnow_clv_reference_mbgnbd.csv",
    )));
    let col = |name: &str| h.iter().position(|c| c == name).expect("column");
    let mine = ours(&mut s, &clv);
    let (mut formula, mut fit) = (0.0f64, 0.0f64);
    let mut one_timers_below_one = 0;
    for r in &rows {
        let n = |c: &str| r[col(c)].parse::<f64>().expect("number");
        let m = &mine[&r[0]];
        let x = f64::from(m.frequency);
        let p = theirs.p_alive(x, m.recency, m.t);
        let e = theirs
            .expected_purchases(90.0 / 7.0, x, m.recency, m.t)
            .expect("E");
        formula = formula
            .max(rel(p, n("p_alive")))
            .max(rel(e, n("expected_purchases_90d")));
        fit = fit
            .max(rel(m.p_alive, n("p_alive")))
            .max(rel(m.expected_purchases_90d, n("expected_purchases_90d")));
        one_timers_below_one += usize::from(m.frequency == 0 && m.p_alive < 1.0);
    }
    eprintln!("MBG/NBD vs lifetimes: formulas {formula:.2e}, our fit {fit:.2e}");
    assert!(formula < 1e-9 && fit < 1e-4, "{formula} {fit}");
    assert!(
        one_timers_below_one > 1000,
        "one-time buyers' P(alive) is below 1"
    );
}
