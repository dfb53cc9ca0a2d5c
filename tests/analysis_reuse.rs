//! What a session reuses between questions gives the answers a fresh computation gives: an
//! analysis refreshed after a change of options equals one computed from nothing (its
//! stages, read from the orders, equal the stages of its per-member base), and the
//! overall KPIs taken from the per-member base equal a pass over every order.

mod common;

use audience_lab::metrics::kpi::{overall, overall_from_orders};
use audience_lab::metrics::lifecycle::{self, LifecycleOptions};
use audience_lab::metrics::rfm::Method;
use audience_lab::metrics::segments::SegmentMap;
use audience_lab::metrics::{Analysis, AnalysisOptions};
use audience_lab::Session;
use common::*;

fn session(name: &str) -> Session {
    session_of(&generate(name, 3000, 11, "en"))
}

/// Options that change one part at a time: lifecycle thresholds, the method, the segment
/// map, the window, `as_of`, and back.
fn sequence(latest: &str) -> Vec<AnalysisOptions> {
    let base = AnalysisOptions::default();
    let lc = |new_days, dormant_after, churn_after| LifecycleOptions {
        new_days,
        dormant_after,
        churn_after,
    };
    let with = |f: &dyn Fn(&mut AnalysisOptions)| {
        let mut o = base.clone();
        f(&mut o);
        o
    };
    vec![
        base.clone(),
        with(&|o| o.lifecycle = lc(31, 90, 180)),
        with(&|o| o.lifecycle = lc(14, 60, 120)),
        with(&|o| o.method = Method::Ntile),
        with(&|o| {
            o.method = Method::Ntile;
            o.segment_map = SegmentMap::preset("klaviyo").expect("preset");
        }),
        with(&|o| o.window_days = Some(365)),
        with(&|o| {
            o.window_days = Some(365);
            o.lifecycle = lc(7, 30, 60);
        }),
        base.clone().with_as_of(Some(latest)).expect("date"),
        base.clone().with_as_of(Some("2023-06-30")).expect("date"),
        base,
    ]
}

#[test]
fn a_refreshed_analysis_equals_a_fresh_one() {
    let mut s = session("analysis_reuse_refresh");
    let latest = {
        let ds = s.dataset().expect("dataset");
        audience_lab::load::coerce::format_day(ds.latest_day.expect("orders"))
    };
    for o in sequence(&latest) {
        let fresh = Analysis::new(s.dataset().expect("dataset"), &o).expect("fresh");
        let (ds, kept) = s.analysis(&o).expect("refreshed");
        assert_eq!(kept.as_of, fresh.as_of, "{o:?}");
        assert!(kept.base(ds) == fresh.base(ds), "base differs for {o:?}");
        assert!(kept.rfm(ds) == fresh.rfm(ds), "RFM differs for {o:?}");
        assert_eq!(kept.stages, fresh.stages, "{o:?}");
        // The stages read from the orders by binary search equal the stages of the base.
        assert_eq!(
            fresh.stages,
            lifecycle::stages(fresh.base(ds), &o.lifecycle),
            "{o:?}"
        );
        assert_eq!(kept.rfm_summary(ds), fresh.rfm_summary(ds), "{o:?}");
    }
}

#[test]
fn overall_kpis_from_the_base_equal_a_pass_over_the_orders() {
    let mut s = session("analysis_reuse_kpis");
    let latest = {
        let ds = s.dataset().expect("dataset");
        audience_lab::load::coerce::format_day(ds.latest_day.expect("orders"))
    };
    for o in sequence(&latest) {
        let (ds, an) = s.analysis(&o).expect("analysis");
        let fast = overall(an.base(ds), &an.stages);
        let slow = overall_from_orders(ds, an.base(ds), &o.lifecycle);
        assert_eq!(fast, slow, "{o:?}");
        assert!(slow.buyers > 0 && slow.guest_purchases > 0 && slow.annual_buyers > 0);
    }
}
