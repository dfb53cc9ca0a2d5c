//! The binding layer in a real browser (wasm-bindgen-test in headless Chromium): option and
//! result conversion, error codes, progress callbacks, and agreement with the native core.
#![cfg(target_arch = "wasm32")]

use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::wasm::Lab;
use audience_lab::Session;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ORDERS: &str = include_str!("data/orders_small.csv");
const MEMBERS: &str = include_str!("data/members_small.csv");

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property")
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

/// Loads a table as the worker does: `loadBegin`, the file in chunks, `loadEnd`.
fn load(lab: &mut Lab, kind: &str, bytes: &[u8], opts: JsValue) -> Result<JsValue, JsValue> {
    lab.load_begin(kind, opts)?;
    for chunk in bytes.chunks(4096) {
        if let Err(e) = lab.load_chunk(chunk) {
            lab.load_abort();
            return Err(e);
        }
    }
    let report = lab.load_end(None);
    if report.is_err() {
        lab.load_abort();
    }
    report
}

fn loaded_lab() -> Lab {
    let mut lab = Lab::new();
    load(&mut lab, "orders", ORDERS.as_bytes(), JsValue::UNDEFINED).expect("orders");
    load(&mut lab, "members", MEMBERS.as_bytes(), JsValue::UNDEFINED).expect("members");
    lab
}

fn native_session() -> Session {
    let mut s = Session::new();
    s.load(
        TableKind::Orders,
        ORDERS.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("orders");
    s.load(
        TableKind::Members,
        MEMBERS.as_bytes(),
        &LoadOptions::default(),
        &mut |_| {},
    )
    .expect("members");
    s
}

#[wasm_bindgen_test]
fn load_report_crosses_as_camel_case_object_with_progress() {
    let mut lab = Lab::new();
    lab.load_begin("orders", JsValue::UNDEFINED).expect("begin");
    let (mut rows_seen, mut sent) = (Vec::new(), 0);
    for chunk in ORDERS.as_bytes().chunks(2048) {
        let p = lab.load_chunk(chunk).expect("chunk");
        sent += chunk.len();
        assert_eq!(num(&p, "bytes") as usize, sent, "bytes taken in");
        rows_seen.push(num(&p, "rows"));
    }
    let ends = Array::new();
    let cb = Function::new_with_args("p", "this.push(p)").bind0(&ends);
    let report = lab.load_end(Some(cb)).expect("load");
    let native = native_session()
        .load(
            TableKind::Orders,
            ORDERS.as_bytes(),
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("native");
    assert_eq!(num(&report, "rowsIn") as u64, native.rows_in);
    assert_eq!(num(&report, "rowsLoaded") as u64, native.rows_loaded);
    assert_eq!(num(&report, "rowsRejected") as u64, native.rows_rejected);
    assert_eq!(get(&report, "kind").as_string().as_deref(), Some("orders"));
    let columns: Array = get(&report, "columns").dyn_into().expect("columns array");
    assert_eq!(columns.length() as usize, native.columns.len());
    assert!(rows_seen.windows(2).all(|w| w[0] <= w[1]), "{rows_seen:?}");
    assert!(ends.length() >= 1, "loadEnd reports its rows");
    assert_eq!(
        num(&ends.get(ends.length() - 1), "rows") as u64,
        native.rows_in
    );
}

#[wasm_bindgen_test]
fn rfm_and_counts_agree_with_the_native_core() {
    let mut lab = loaded_lab();
    let mut native = native_session();
    let opts = AnalysisOptions::default();
    let rfm = lab.rfm(JsValue::UNDEFINED).expect("rfm");
    let want = native.rfm(&opts).expect("native rfm");
    assert_eq!(get(&rfm, "asOf").as_string(), Some(want.as_of.clone()));
    let segments: Array = get(&rfm, "segments").dyn_into().expect("segments");
    for (js, n) in segments.iter().zip(&want.segments) {
        assert_eq!(get(&js, "segment").as_string(), Some(n.segment.clone()));
        assert_eq!(num(&js, "members") as u64, n.members);
        assert_eq!(
            (num(&js, "revenue") * 100.0).round() as i64,
            n.revenue_cents
        );
    }
    for rule in [
        r#"{"rfm":{"segment":["champions","loyal"]}}"#,
        r#"{"not":{"lifecycle":["churned"]}}"#,
        r#"{"attr":{"column":"tier","in":["gold"]}}"#,
    ] {
        let count = lab.count(rule, JsValue::UNDEFINED).expect("count");
        let seg = parse_segment(rule).expect("rule");
        assert_eq!(
            count as u64,
            native.count(&seg, &opts).expect("native count"),
            "{rule}"
        );
    }
}

#[wasm_bindgen_test]
fn errors_carry_stable_codes() {
    let mut lab = Lab::new();
    let code = |e: JsValue| get(&e, "code").as_string().unwrap_or_default();
    assert_eq!(
        code(lab.rfm(JsValue::UNDEFINED).expect_err("no data")),
        "NO_DATA"
    );
    let mut lab = loaded_lab();
    let e = lab
        .count(
            r#"{"attr":{"column":"tierr","in":["x"]}}"#,
            JsValue::UNDEFINED,
        )
        .expect_err("bad rule");
    assert_eq!(code(e.clone()), "RULE_ERROR");
    let message = get(&e, "message").as_string().unwrap_or_default();
    assert!(message.contains("did you mean \"tier\""), "{message}");
    let e = load(&mut lab, "customers", b"a,b", JsValue::UNDEFINED).expect_err("bad kind");
    assert_eq!(code(e), "INVALID_OPTION");
    let e = load(&mut lab, "orders", b"x,y\n1,2\n", JsValue::UNDEFINED).expect_err("no roles");
    assert_eq!(code(e), "PARSE_ERROR");
    // Each call reads its own options: a field of another call is an error naming both.
    let e = lab
        .rfm(js_opts(serde_json::json!({"dialect": "spark"})))
        .expect_err("rfm takes no dialect");
    assert_eq!(code(e.clone()), "INVALID_OPTION");
    let message = get(&e, "message").as_string().unwrap_or_default();
    assert!(
        message.starts_with("rfm options: unknown field `dialect`"),
        "{message}"
    );
    let sql = lab
        .to_sql(
            r#"{"lifecycle":["new"]}"#,
            js_opts(serde_json::json!({"dialect": "spark"})),
        )
        .expect("toSql takes a dialect");
    assert!(sql.contains("(spark)"), "{sql}");
}

#[wasm_bindgen_test]
fn vocabulary_drop_and_clear_cache() {
    let v = as_json(&Lab::vocabulary().expect("vocabulary"));
    let native = serde_json::to_value(audience_lab::vocabulary::vocabulary().expect("native"))
        .expect("json");
    assert!(same(&v, &native), "the browser's vocabulary is the CLI's");
    let mut lab = loaded_lab();
    let before = lab.count(
        r#"{"attr":{"column":"tier","in":["gold"]}}"#,
        JsValue::UNDEFINED,
    );
    assert!(before.is_ok());
    assert!(lab.drop("members").expect("drop"));
    assert!(!lab.drop("members").expect("drop again"));
    let code = |e: JsValue| get(&e, "code").as_string().unwrap_or_default();
    let e = lab
        .count(
            r#"{"attr":{"column":"tier","in":["gold"]}}"#,
            JsValue::UNDEFINED,
        )
        .expect_err("no members table any more");
    assert_eq!(code(e), "RULE_ERROR");
    lab.count(r#"{"lifecycle":["new"]}"#, JsValue::UNDEFINED)
        .expect("orders are still loaded");
    lab.clear_cache(JsValue::UNDEFINED).expect("clear all");
    lab.clear_cache(js_opts(serde_json::json!({"analyses": false})))
        .expect("clear member sets only");
    let e = lab
        .clear_cache(js_opts(serde_json::json!({"everything": true})))
        .expect_err("unknown field");
    assert_eq!(code(e), "INVALID_OPTION");
}

/// The browser build leaves brotli out (not among SPEC's Parquet codecs; the CLI reads it):
/// such a file fails with a parse error that names the codec, and the instance lives on.
#[wasm_bindgen_test]
fn brotli_parquet_is_a_clear_error_in_the_browser() {
    let mut lab = Lab::new();
    let bytes = include_bytes!("data/orders_brotli.parquet");
    let e =
        load(&mut lab, "orders", bytes, JsValue::UNDEFINED).expect_err("brotli is not compiled in");
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("PARSE_ERROR"));
    let message = get(&e, "message").as_string().unwrap_or_default();
    assert!(message.to_lowercase().contains("brotli"), "{message}");
    load(&mut lab, "orders", ORDERS.as_bytes(), JsValue::UNDEFINED)
        .expect("the instance still loads");
}

#[wasm_bindgen_test]
fn export_is_excel_safe_csv() {
    let mut lab = loaded_lab();
    let opts = serde::Serialize::serialize(
        &serde_json::json!({"columns": ["tier", "segment"]}),
        &serde_wasm_bindgen::Serializer::json_compatible(),
    )
    .expect("opts");
    let meta = lab
        .export_file(r#"{"rfm":{"segment":["champions"]}}"#, opts, None)
        .expect("export");
    let size = num(&meta, "size") as usize;
    let bytes = lab.export_chunk(0, size);
    lab.export_release();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
    assert!(text.starts_with("member_id,tier,segment\r\n"), "{text}");
    let mut native = native_session();
    let seg = parse_segment(r#"{"rfm":{"segment":["champions"]}}"#).expect("rule");
    let n = native
        .count(&seg, &AnalysisOptions::default())
        .expect("count");
    assert_eq!(text.lines().count() as u64, n + 1);
}

/// A JS options object from JSON.
fn js_opts(v: serde_json::Value) -> JsValue {
    serde::Serialize::serialize(&v, &serde_wasm_bindgen::Serializer::json_compatible())
        .expect("opts")
}

/// A JS result as JSON (through `JSON.stringify`).
fn as_json(v: &JsValue) -> serde_json::Value {
    let text = js_sys::JSON::stringify(v)
        .expect("stringify")
        .as_string()
        .expect("string");
    serde_json::from_str(&text).expect("json")
}

/// The first difference between two JSON values, numbers compared as numbers (JS writes
/// 1.0 as 1); `None` when they are equal.
fn json_diff(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value::*;
    match (a, b) {
        // serde_json (without `float_roundtrip`) may read JS's shortest float text 1 ulp off.
        (Number(x), Number(y)) if close(x.as_f64(), y.as_f64()) => None,
        (Array(x), Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (a, b))| json_diff(a, b, &format!("{path}[{i}]"))),
        (Object(x), Object(y)) => {
            let keys: std::collections::BTreeSet<&std::string::String> =
                x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(a), Some(b)) => json_diff(a, b, &format!("{path}.{k}")),
                (a, b) => Some(format!("{path}.{k}: {a:?} != {b:?}")),
            })
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} != {b}")),
    }
}

fn close(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
        _ => false,
    }
}

/// Equal JSON, numbers compared as numbers.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let d = json_diff(a, b, "");
    if let Some(d) = &d {
        web_sys::console::log_1(&JsValue::from_str(d));
    }
    d.is_none()
}

#[wasm_bindgen_test]
fn lifecycle_cohorts_and_kpis_agree_with_the_native_core() {
    use audience_lab::metrics::cohort::{CohortBy, CohortOptions, Period};
    use audience_lab::metrics::kpi::KpiOptions;
    let mut lab = loaded_lab();
    let mut native = native_session();
    let mut opts = AnalysisOptions::default();
    opts.lifecycle.new_days = 14;
    let js = lab
        .lifecycle(js_opts(serde_json::json!({"newDays": 14})))
        .expect("lifecycle");
    let want = serde_json::to_value(native.lifecycle(&opts).expect("native")).expect("json");
    assert!(same(&as_json(&js), &want), "lifecycle");

    let js = lab
        .cohorts(js_opts(
            serde_json::json!({"period": "week", "by": "join_date"}),
        ))
        .expect("cohorts");
    let c = CohortOptions {
        period: Period::Week,
        by: CohortBy::JoinDate,
    };
    let want = native
        .cohorts(&AnalysisOptions::default(), &c)
        .expect("native");
    assert!(!want.rows.is_empty());
    assert!(
        same(&as_json(&js), &serde_json::to_value(&want).expect("json")),
        "cohorts"
    );

    let js = lab
        .kpis(js_opts(
            serde_json::json!({"by": "tier", "windowDays": 365}),
        ))
        .expect("kpis");
    let w = AnalysisOptions {
        window_days: Some(365),
        ..AnalysisOptions::default()
    };
    let k = KpiOptions {
        by: Some("tier".into()),
    };
    let want = serde_json::to_value(native.kpis(&w, &k).expect("native")).expect("json");
    assert!(same(&as_json(&js), &want), "kpis");

    let js = lab
        .rfm(js_opts(serde_json::json!({
            "method": "thresholds", "rCuts": [30, 90, 180, 365], "fCuts": [1, 2, 3, 4],
            "mCuts": [100, 300, 800, 2000], "segmentMap": "shopify"
        })))
        .expect("rfm");
    let got = as_json(&js);
    assert_eq!(got["method"], "thresholds");
    assert_eq!(got["segmentMap"], "shopify");
    assert_eq!(got["cube"].as_array().map(Vec::len), Some(5));

    let code = |e: JsValue| get(&e, "code").as_string().unwrap_or_default();
    let e = lab
        .cohorts(js_opts(serde_json::json!({"period": "day"})))
        .expect_err("bad period");
    assert_eq!(code(e), "INVALID_OPTION");
    let e = lab
        .rfm(js_opts(
            serde_json::json!({"segmentMap": [{"id": "a", "r": [1, 4], "f": [1, 5]}]}),
        ))
        .expect_err("gap");
    assert_eq!(code(e.clone()), "INVALID_OPTION");
    let message = get(&e, "message").as_string().unwrap_or_default();
    assert!(message.contains("no segment for r=5 f=1"), "{message}");
}

const CDNOW: &str = include_str!("data/cdnow_sample.csv");

/// A JS object from JSON.
fn js(json: serde_json::Value) -> JsValue {
    serde::Serialize::serialize(&json, &serde_wasm_bindgen::Serializer::json_compatible())
        .expect("js value")
}

#[wasm_bindgen_test]
fn clv_fits_cdnow_to_the_published_parameters() {
    let mut lab = Lab::new();
    let mapping = js(serde_json::json!({"mapping": {
        "member_id": "customer_id", "order_time": "date", "amount": "dollar_value"}}));
    load(&mut lab, "orders", CDNOW.as_bytes(), mapping).expect("load cdnow");
    let result = lab
        .clv(js(serde_json::json!({
            "calibrationEnd": "1997-09-30", "unit": "weeks", "includeZeroAmount": true})))
        .expect("clv");
    let sig3 = |x: f64| format!("{x:.2e}");
    let (bg, gg) = (get(&result, "bgnbd"), get(&result, "gammaGamma"));
    for (got, want) in [
        (num(&bg, "r"), 0.243),
        (num(&bg, "alpha"), 4.414),
        (num(&bg, "a"), 0.793),
        (num(&bg, "b"), 2.426),
        (num(&gg, "p"), 6.25),
        (num(&gg, "q"), 3.74),
        (num(&gg, "v"), 15.44),
    ] {
        assert_eq!(sig3(got), sig3(want), "fitted {got}, published {want}");
    }
    assert_eq!(num(&result, "customers") as u64, 2357);
    assert_eq!(
        get(&result, "calibrationEnd").as_string().as_deref(),
        Some("1997-09-30")
    );
    let code = |e: JsValue| get(&e, "code").as_string().unwrap_or_default();
    let e = lab
        .clv(js(serde_json::json!({"unit": "fortnights"})))
        .expect_err("bad unit");
    assert_eq!(code(e), "INVALID_OPTION");
    let e = lab
        .clv(js(serde_json::json!({"calibrationEnd": "1997-01-01"})))
        .expect_err("no repeat buyers yet");
    assert_eq!(code(e), "NO_DATA");
}

#[wasm_bindgen_test]
fn clv_rule_metrics_count_as_in_the_native_core() {
    let mut lab = loaded_lab();
    let mut native = native_session();
    for rule in [
        r#"{"metric":{"name":"p_alive","lt":0.5}}"#,
        r#"{"all":[{"rfm":{"m":[4,5]}},{"metric":{"name":"p_alive","lt":0.5}}]}"#,
        r#"{"metric":{"name":"expected_purchases_90d","gte":0.1}}"#,
    ] {
        let count = lab.count(rule, JsValue::UNDEFINED).expect("count");
        let seg = parse_segment(rule).expect("rule");
        assert_eq!(
            count as u64,
            native
                .count(&seg, &AnalysisOptions::default())
                .expect("native count"),
            "{rule}"
        );
    }
}

#[path = "common/steps.rs"]
mod steps;

/// The estimates hold in wasm32 too, where the counting allocator is the library's own: each
/// step's peak stays under its estimate, and the estimates are not far above (the measured
/// lines are printed, for the cost table in `src/memory/cost.rs`).
#[wasm_bindgen_test]
fn every_step_holds_less_than_its_estimate_in_wasm() {
    let mut over = Vec::new();
    for (members, activity) in [(40_000, 3.6), (40_000, 1.0)] {
        for row in steps::measure(members, activity) {
            console_log!("{}", steps::line(&row));
            over.extend(steps::problems(&row));
        }
    }
    assert!(over.is_empty(), "{over:#?}");
}

/// Each member attribute, built when first read, holds less than the estimate a step that
/// reads it makes room for, in wasm32 too.
#[wasm_bindgen_test]
fn each_attribute_built_on_read_holds_less_than_its_estimate_in_wasm() {
    let rows = steps::attributes(40_000);
    for (name, estimate, peak) in &rows {
        console_log!("{name:>12}: peak {peak:>9} B, estimate {estimate:>9} B");
    }
    let over: Vec<_> = rows.iter().filter(|(_, e, p)| p > e).collect();
    assert!(rows.len() >= 8 && over.is_empty(), "{rows:?}");
}

/// A preview of a binary file holds all of it, so it keeps to the engine's memory budget: a
/// Parquet file that does not fit is an `OUT_OF_MEMORY` error, and the same preview works once
/// the budget is lifted.
#[wasm_bindgen_test]
fn a_binary_preview_keeps_to_the_memory_budget() {
    let files = audience_lab::gen::generate(&audience_lab::gen::GenOptions {
        members: 500,
        format: audience_lab::gen::GenFormat::Parquet,
        ..Default::default()
    })
    .expect("generate");
    let mut lab = Lab::new();
    let in_use = Lab::heap_bytes();
    let half = (files.orders.len() / 2) as f64;
    lab.set_memory_limit(Some(in_use + half)).expect("limit");
    let e = lab
        .preview("orders", &files.orders, true, JsValue::UNDEFINED)
        .expect_err("over the budget");
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("OUT_OF_MEMORY")
    );
    lab.set_memory_limit(None).expect("no limit");
    lab.preview("orders", &files.orders, true, JsValue::UNDEFINED)
        .expect("the preview without a budget");
}
