//! Lifecycle, cohorts, KPIs and RFM options on a tiny hand-made shop whose every number is
//! worked out by hand from SPEC §2 below. It holds the edge cases: one member tied with
//! another on F, a member with only a refund, two purchases on the same day, an order after
//! `as_of`, a member who never buys, and a guest order.

mod common;

use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::cohort::{CohortBy, CohortOptions, Period};
use audience_lab::metrics::kpi::KpiOptions;
use audience_lab::metrics::segments::SegmentMap;
use audience_lab::metrics::AnalysisOptions;
use audience_lab::{ErrorKind, Session};
use common::*;

// as_of = 2025-03-15 (D's order on 03-20 is after it).
// A: purchases 01-10 (100.00, S1) and 03-05 (50.50, S2), refund 03-10 (-10.00, S2):
//    F 2, M 140.50, recency 10, first 01-10 (64 days ago): active.
// B: one refund (status refunded, amount made negative): F 0, M -30.00: prospect.
// C: two purchases on 03-01 (20.00 + 25.00): F 2, M 45.00, recency 14, first 14 days ago: new.
// D: only an order after as_of: prospect. E: in the members table, never buys: prospect.
const ORDERS: &str = "\
order_id,member_id,order_time,paid_amount,status,items,store
1,A,2025-01-10 10:00:00,100.00,completed,2,S1
2,A,2025-03-05 09:00:00,50.50,completed,1,S2
3,B,2025-02-01,30.00,refunded,0,S1
4,C,2025-03-01,20.00,completed,1,S1
5,C,2025-03-01,25.00,completed,3,S1
6,D,2025-03-20,999.00,completed,1,S2
7,,2025-03-02,40.00,completed,2,S1
8,A,2025-03-10,-10.00,refunded,0,S2
";

const MEMBERS: &str = "\
member_id,join_date,tier
A,2024-12-20,gold
B,2025-01-15,silver
C,2025-02-27,
E,2025-03-12,gold
";

fn session() -> Session {
    let mut s = Session::new();
    for (kind, text) in [(TableKind::Orders, ORDERS), (TableKind::Members, MEMBERS)] {
        s.load(kind, text.as_bytes(), &LoadOptions::default(), &mut |_| {})
            .expect("load");
    }
    s
}

fn opts() -> AnalysisOptions {
    AnalysisOptions::default()
        .with_as_of(Some("2025-03-15"))
        .expect("date")
}

/// member → (r, f, m, segment) from the per-member analysis.
fn scores(s: &mut Session, o: &AnalysisOptions) -> Vec<(String, u8, u8, u8, String)> {
    let (ds, an) = s.analysis(o).expect("analysis");
    let rfm = an.rfm(ds);
    let mut v: Vec<_> = (0..ds.len())
        .filter(|&m| rfm.r[m] > 0)
        .map(|m| {
            (
                ds.id(m as u32).to_string(),
                rfm.r[m],
                rfm.f[m],
                rfm.m[m],
                an.segment_id(ds, m).to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn row(id: &str, r: u8, f: u8, m: u8, seg: &str) -> (String, u8, u8, u8, String) {
    (id.to_string(), r, f, m, seg.to_string())
}

#[test]
fn rfm_methods_with_ties_refunds_and_later_orders() {
    let mut s = session();
    // Quantile, n = 2: cut indices ceil(k*2/5)-1 = 0, 0, 1, 1. -recency: [-14, -10];
    // F tied at 2 (all score 1); M: [4500, 14050].
    assert_eq!(
        scores(&mut s, &opts()),
        [
            row("A", 3, 1, 3, "about_to_sleep"),
            row("C", 1, 1, 1, "hibernating")
        ]
    );
    // NTILE(5) over 2 rows: buckets 1 and 2; F ties broken by member id.
    let ntile = opts().with_method("ntile", [None, None, None]).expect("m");
    assert_eq!(
        scores(&mut s, &ntile),
        [
            row("A", 2, 1, 2, "hibernating"),
            row("C", 1, 2, 1, "hibernating")
        ]
    );
    // Thresholds: R 5,10,20,40 days (A 10 → 4, C 14 → 3); F 1,2,3,4 (2 → 2);
    // M 50,100,140.5,200 (A 140.50 is not above 140.5 → 3; C 45 → 1).
    let cuts = opts()
        .with_method(
            "thresholds",
            [
                Some(&[5.0, 10.0, 20.0, 40.0][..]),
                Some(&[1.0, 2.0, 3.0, 4.0][..]),
                Some(&[50.0, 100.0, 140.5, 200.0][..]),
            ],
        )
        .expect("thresholds");
    assert_eq!(
        scores(&mut s, &cuts),
        [
            row("A", 4, 2, 3, "potential_loyalist"),
            row("C", 3, 2, 1, "about_to_sleep")
        ]
    );
    let summary = s.rfm(&opts()).expect("rfm");
    assert_eq!((summary.members, summary.prospects), (2, 3));
    assert_eq!(summary.cube[2][0][2], 1, "A at r3 f1 m3");
    assert_eq!(summary.cube[0][0][0], 1, "C at r1 f1 m1");
    assert_eq!(summary.cube.iter().flatten().flatten().sum::<u64>(), 2);
    let about = summary
        .segments
        .iter()
        .find(|x| x.segment == "about_to_sleep");
    assert_eq!(about.map(|x| x.revenue_cents), Some(14_050));
    // Klaviyo-style map: r3 f1 → needs_attention, r1 f1 → inactive.
    let mut k = opts();
    k.segment_map = SegmentMap::preset("klaviyo").expect("preset");
    let segs: Vec<String> = scores(&mut s, &k).into_iter().map(|r| r.4).collect();
    assert_eq!(segs, ["needs_attention", "inactive"]);
}

#[test]
fn bad_thresholds_and_maps_are_option_errors() {
    let e = opts()
        .with_method(
            "thresholds",
            [
                Some(&[1.0, 2.0][..]),
                Some(&[1.0; 4][..]),
                Some(&[1.0; 4][..]),
            ],
        )
        .expect_err("3 cuts");
    assert_eq!(e.kind(), ErrorKind::InvalidOption);
    assert!(
        e.to_string().contains("exactly 4 cut points, found 2"),
        "{e}"
    );
    let e = opts()
        .with_method(
            "thresholds",
            [
                Some(&[4.0, 3.0, 2.0, 1.0][..]),
                Some(&[1.0; 4][..]),
                Some(&[1.0; 4][..]),
            ],
        )
        .expect_err("descending");
    assert!(e.to_string().contains("ascending"), "{e}");
    assert!(opts()
        .with_method("thresholds", [None, None, None])
        .is_err());
    assert!(opts()
        .with_method("quantile", [Some(&[1.0; 4][..]), None, None])
        .is_err());
    let e = SegmentMap::preset("klavio").expect_err("typo");
    assert!(e.to_string().contains("did you mean \"klaviyo\""), "{e}");
}

#[test]
fn lifecycle_stages_and_onboarding_buckets() {
    let mut s = session();
    let l = s.lifecycle(&opts()).expect("lifecycle");
    let stage = |id: &str| l.stages.iter().find(|x| x.stage == id).map(|x| x.members);
    assert_eq!(l.members, 5);
    assert_eq!(stage("prospect"), Some(3)); // B (refund only), D (order after as_of), E
    assert_eq!(stage("new"), Some(1)); // C
    assert_eq!(stage("active"), Some(1)); // A
    assert_eq!(stage("churned"), Some(0));
    let bucket = |b: &[audience_lab::metrics::lifecycle::BucketCount], id: &str| {
        b.iter().find(|x| x.bucket == id).map(|x| x.members)
    };
    // Days since joining at 03-15: A 85, B 59, C 16, E 3; D has no join date.
    let j = &l.days_since_join;
    assert_eq!(bucket(j, "61-90"), Some(1));
    assert_eq!(bucket(j, "31-60"), Some(1));
    assert_eq!(bucket(j, "16-30"), Some(1));
    assert_eq!(bucket(j, "0-3"), Some(1));
    assert_eq!(bucket(j, "4-7"), Some(0));
    assert_eq!(l.no_join_date, 1);
    let e_stage = j
        .iter()
        .find(|x| x.bucket == "0-3")
        .map(|x| x.stages["prospect"]);
    assert_eq!(e_stage, Some(1), "E joined 3 days ago and has not bought");
    // Days since first purchase: A 64, C 14.
    let f = &l.days_since_first_purchase;
    assert_eq!(bucket(f, "61-90"), Some(1));
    assert_eq!(bucket(f, "8-15"), Some(1));
    assert_eq!(f.iter().map(|x| x.members).sum::<u64>(), 2);
    // Thresholds are options: with new_days 10, C (first purchase 14 days ago) is active.
    let mut o = opts();
    o.lifecycle.new_days = 10;
    let l = s.lifecycle(&o).expect("lifecycle");
    assert_eq!(l.stages[2].members, 2);
}

/// (cohort, k, size, active, revenue cents, partial) rows.
fn cohort_rows(
    s: &mut Session,
    period: Period,
    by: CohortBy,
) -> Vec<(String, u32, u64, u64, i64, bool)> {
    let t = s
        .cohorts(&opts(), &CohortOptions { period, by })
        .expect("cohorts");
    t.rows
        .iter()
        .map(|r| {
            assert_eq!(r.retention, r.active as f64 / r.size as f64);
            assert_eq!(r.churn, 1.0 - r.retention);
            (
                r.cohort.clone(),
                r.period,
                r.size,
                r.active,
                r.revenue_cents,
                r.partial,
            )
        })
        .collect()
}

fn c(
    label: &str,
    k: u32,
    size: u64,
    active: u64,
    cents: i64,
    partial: bool,
) -> (String, u32, u64, u64, i64, bool) {
    (label.to_string(), k, size, active, cents, partial)
}

#[test]
fn cohorts_by_first_purchase_and_join_date() {
    let mut s = session();
    // A's cohort is 2025-01; C's 2025-03 (two purchases on one day: active once).
    // March is partial: as_of 03-15 is not its last day.
    assert_eq!(
        cohort_rows(&mut s, Period::Month, CohortBy::FirstPurchase),
        [
            c("2025-01", 0, 1, 1, 10_000, false),
            c("2025-01", 1, 1, 0, 0, false),
            c("2025-01", 2, 1, 1, 4_050, true),
            c("2025-03", 0, 1, 1, 4_500, true),
        ]
    );
    // 2025-03-01 is a Saturday of ISO week 2025-W09; as_of (Saturday) is in 2025-W11.
    let weeks = cohort_rows(&mut s, Period::Week, CohortBy::FirstPurchase);
    assert_eq!(weeks.len(), 10 + 3, "A: W02..W11, C: W09..W11");
    assert_eq!(weeks[0], c("2025-W02", 0, 1, 1, 10_000, false));
    assert_eq!(weeks[10], c("2025-W09", 0, 1, 1, 4_500, false));
    assert_eq!(weeks[12], c("2025-W09", 2, 1, 0, 0, true));
    assert_eq!(
        cohort_rows(&mut s, Period::Quarter, CohortBy::FirstPurchase),
        [c("2025-Q1", 0, 2, 2, 18_550, true)]
    );
    // By join date: A 2024-12, B 2025-01 (only a refund), C 2025-02, E 2025-03 (never buys).
    let joined = cohort_rows(&mut s, Period::Month, CohortBy::JoinDate);
    assert_eq!(
        joined,
        [
            c("2024-12", 0, 1, 0, 0, false),
            c("2024-12", 1, 1, 1, 10_000, false),
            c("2024-12", 2, 1, 0, 0, false),
            c("2024-12", 3, 1, 1, 4_050, true),
            c("2025-01", 0, 1, 0, 0, false),
            c("2025-01", 1, 1, 0, -3_000, false),
            c("2025-01", 2, 1, 0, 0, true),
            c("2025-02", 0, 1, 0, 0, false),
            c("2025-02", 1, 1, 1, 4_500, true),
            c("2025-03", 0, 1, 0, 0, true),
        ]
    );
    let t = s
        .cohorts(
            &opts(),
            &CohortOptions {
                period: Period::Month,
                by: CohortBy::JoinDate,
            },
        )
        .expect("cohorts");
    assert_eq!((t.cohorts, t.members, t.without_cohort), (4, 4, 1));
}

#[test]
fn partial_flag_is_off_when_as_of_ends_the_period() {
    let mut s = session();
    let o = AnalysisOptions::default()
        .with_as_of(Some("2025-03-31"))
        .expect("date");
    let t = s
        .cohorts(
            &o,
            &CohortOptions {
                period: Period::Month,
                by: CohortBy::FirstPurchase,
            },
        )
        .expect("cohorts");
    assert!(t.rows.iter().all(|r| !r.partial));
    let t = s
        .cohorts(
            &o,
            &CohortOptions {
                period: Period::Quarter,
                by: CohortBy::FirstPurchase,
            },
        )
        .expect("cohorts");
    assert!(t.rows.iter().all(|r| !r.partial), "Q1 ends on 03-31");
}

#[test]
fn kpis_overall_and_split() {
    let mut s = session();
    let k = s.kpis(&opts(), &KpiOptions::default()).expect("kpis");
    let o = &k.overall;
    // Purchases up to as_of: A 2, C 2, guest 1 (D's order is later; refunds are not purchases).
    assert_eq!(
        (o.purchases, o.member_purchases, o.guest_purchases),
        (5, 4, 1)
    );
    assert_eq!(o.member_order_share, Some(4.0 / 5.0));
    assert_eq!((o.buyers, o.repeat_buyers), (2, 2));
    assert_eq!(o.repeat_purchase_rate, Some(1.0));
    assert_eq!(o.purchase_amount_cents, 23_550);
    assert_eq!(o.aov, Some(235.5 / 5.0));
    assert_eq!((o.items, o.items_per_order), (9, Some(9.0 / 5.0)));
    assert_eq!(o.purchases_per_buyer, Some(2.0));
    // Last 365 days: A 140.50 + B -30.00 + C 45.00 over the 2 members with a purchase.
    assert_eq!((o.annual_net_cents, o.annual_buyers), (15_550, 2));
    assert_eq!(o.annual_contribution, Some(155.5 / 2.0));
    assert_eq!((o.churned, o.churn_rate), (0, Some(0.0)));

    let by_store = s
        .kpis(
            &opts(),
            &KpiOptions {
                by: Some("store".into()),
            },
        )
        .expect("by store");
    assert_eq!(by_store.by_source, Some("order"));
    let values: Vec<&str> = by_store.groups.iter().map(|g| g.value.as_str()).collect();
    assert_eq!(values, ["S1", "S2"]);
    let s1 = &by_store.groups[0].kpis;
    assert_eq!(
        (
            s1.purchases,
            s1.member_purchases,
            s1.purchase_amount_cents,
            s1.items
        ),
        (4, 3, 18_500, 8)
    );
    assert_eq!(
        (s1.buyers, s1.repeat_buyers),
        (2, 1),
        "A once, C twice at S1"
    );
    assert_eq!((s1.annual_net_cents, s1.annual_buyers), (11_500, 2));
    let s2 = &by_store.groups[1].kpis;
    assert_eq!(
        (
            s2.purchases,
            s2.buyers,
            s2.repeat_buyers,
            s2.annual_net_cents
        ),
        (1, 1, 0, 4_050)
    );
    assert_eq!(s2.member_order_share, Some(1.0));

    let by_tier = s
        .kpis(
            &opts(),
            &KpiOptions {
                by: Some("tier".into()),
            },
        )
        .expect("by tier");
    assert_eq!(by_tier.by_source, Some("member"));
    let values: Vec<&str> = by_tier.groups.iter().map(|g| g.value.as_str()).collect();
    assert_eq!(values, ["(none)", "gold", "silver"]);
    // (none): C (no tier) and the guest order.
    let none = &by_tier.groups[0].kpis;
    assert_eq!(
        (none.purchases, none.member_purchases, none.guest_purchases),
        (3, 2, 1)
    );
    assert_eq!((none.buyers, none.purchase_amount_cents), (1, 8_500));
    let silver = &by_tier.groups[2].kpis;
    assert_eq!((silver.purchases, silver.annual_net_cents), (0, -3_000));
    assert_eq!((silver.aov, silver.repeat_purchase_rate), (None, None));

    let e = s
        .kpis(
            &opts(),
            &KpiOptions {
                by: Some("stor".into()),
            },
        )
        .expect_err("unknown");
    assert_eq!(e.kind(), ErrorKind::InvalidOption);
    assert!(e.to_string().contains("did you mean \"store\""), "{e}");
    // A 10-day window keeps only A's refund: no purchase at all.
    let mut w = opts();
    w.window_days = Some(10);
    let k = s.kpis(&w, &KpiOptions::default()).expect("window");
    assert_eq!(
        (k.overall.purchases, k.overall.buyers, k.overall.aov),
        (0, 0, None)
    );
    assert_eq!(
        k.overall.annual_net_cents, 15_550,
        "the annual range ignores the window"
    );
}

#[test]
fn cli_cohort_and_kpi_outputs() {
    let dir = temp_dir("metrics_cli");
    let (orders, members) = (dir.join("orders.csv"), dir.join("members.csv"));
    std::fs::write(&orders, ORDERS).expect("write");
    std::fs::write(&members, MEMBERS).expect("write");
    let out = dir.join("cohort.csv");
    let p = |x: &std::path::Path| x.to_str().expect("path").to_string();
    cli_ok(&[
        "cohort",
        "--orders",
        &p(&orders),
        "--as-of",
        "2025-03-15",
        "--period",
        "month",
        "--out",
        &p(&out),
    ]);
    let text = std::fs::read_to_string(&out).expect("read");
    assert_eq!(
        text,
        "cohort,period,size,active,retention,revenue\n\
         2025-01,0,1,1,1,100.00\n2025-01,1,1,0,0,0.00\n2025-01,2,1,1,1,40.50\n\
         2025-03,0,1,1,1,45.00\n"
    );
    let json = cli_ok(&[
        "kpi",
        "--orders",
        &p(&orders),
        "--members",
        &p(&members),
        "--as-of",
        "2025-03-15",
        "--by",
        "tier",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["overall"]["purchases"], 5);
    assert_eq!(v["groups"][1]["value"], "gold");
    // A user map with a gap is exit status 2 naming the cells.
    let map = dir.join("map.json");
    std::fs::write(
        &map,
        r#"[{"id":"top","r":[3,5],"f":[1,5]},{"id":"low","r":[1,1],"f":[1,5]}]"#,
    )
    .expect("write");
    let o = cli(&[
        "rfm",
        "--orders",
        &p(&orders),
        "--segment-map-file",
        &p(&map),
        "--out",
        &p(&dir.join("r.csv")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no segment for r=2 f=1, r=2 f=2"), "{err}");
}
