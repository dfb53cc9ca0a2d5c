//! The segment calls of `Lab`: explanations, tag intersections, saved segments and their
//! algebra, SQL.

use super::error::{js_error, to_js, WasmResult};
use super::options::from_js;
use super::{analysis, to_js_value, Lab};
use crate::api;
use crate::segment::ast::segment_from_value;
use crate::segment::tags::intersection_segment;
use crate::segment::{parse_segment, Segment};
use wasm_bindgen::prelude::*;

fn strings(v: JsValue, what: &str) -> WasmResult<Vec<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| {
        js_error(
            "INVALID_OPTION",
            &format!("{what}: expected a list of strings ({e})"),
        )
    })
}

#[wasm_bindgen]
impl Lab {
    /// The count of every node of the segment and of the running intersection (union) under
    /// `all` (`any`): `{ total, count, root: { path, type, count, running, cached, children } }`.
    pub fn explain(&mut self, segment: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "explain")?;
        let seg = parse_segment(segment).map_err(to_js)?;
        let ex = self.session.explain(&seg, &opts).map_err(to_js)?;
        to_js_value(&ex)
    }

    /// Tag frequency, pairwise overlap with Jaccard, and the top exclusive intersections of
    /// `opts.tags` (default: the `opts.top` most frequent) with their rules, over everyone
    /// or over the members of `opts.within`.
    pub fn tags(&mut self, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::TagsOptions = from_js(opts, "tags")?;
        let within = match &opts.within {
            Some(v) => Some(segment_from_value(v).map_err(to_js)?),
            None => None,
        };
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let report = self
            .session
            .tags(&analysis, &opts.tag_options(), within.as_ref())
            .map_err(to_js)?;
        to_js_value(&report)
    }

    /// The segment of members with every tag of `include` and none of `exclude`.
    #[wasm_bindgen(js_name = intersectionRule)]
    pub fn intersection_rule(include: JsValue, exclude: JsValue) -> WasmResult<JsValue> {
        let include = strings(include, "include")?;
        let exclude = strings(exclude, "exclude")?;
        let seg = intersection_segment(&include, &exclude).map_err(to_js)?;
        to_js_value(&seg.to_value())
    }

    /// Deletes a saved segment.
    #[wasm_bindgen(js_name = deleteSegment)]
    pub fn delete_segment(&mut self, name: &str) -> WasmResult<()> {
        self.session.delete_segment(name).map_err(to_js)
    }

    /// The saved segments (SPEC §3 documents), by name.
    pub fn segments(&self) -> WasmResult<JsValue> {
        let docs: Vec<serde_json::Value> = self
            .session
            .saved_segments()
            .into_iter()
            .map(Segment::to_value)
            .collect();
        to_js_value(&docs)
    }

    /// How two segments overlap: `{ a, b, both, either, onlyA, onlyB, jaccard }`.
    pub fn overlap(&mut self, a: &str, b: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "overlap")?;
        let a = parse_segment(a).map_err(to_js)?;
        let b = parse_segment(b).map_err(to_js)?;
        let o = self.session.overlap(&a, &b, &opts).map_err(to_js)?;
        to_js_value(&o)
    }

    /// The members of `a` not in `b`: `{ count, rule }`.
    pub fn difference(&mut self, a: &str, b: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "difference")?;
        let a = parse_segment(a).map_err(to_js)?;
        let b = parse_segment(b).map_err(to_js)?;
        let d = self.session.difference(&a, &b, &opts).map_err(to_js)?;
        to_js_value(&d)
    }

    /// The segment as one SQL query (`opts.dialect`: `duckdb` (default) or `spark`); with
    /// `opts.report`, that report's query instead (the segment is not read).
    #[wasm_bindgen(js_name = toSql)]
    pub fn to_sql(&mut self, segment: &str, opts: JsValue) -> WasmResult<String> {
        let opts: api::SqlOptions = from_js(opts, "toSql")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        if let Some(report) = opts.report().map_err(to_js)? {
            let mapping = opts.mapping.clone().unwrap_or_default();
            return self
                .session
                .report_sql(
                    report,
                    opts.dialect(),
                    &analysis,
                    &opts.report_options().map_err(to_js)?,
                    &mapping,
                )
                .map_err(to_js);
        }
        let seg = parse_segment(segment).map_err(to_js)?;
        self.session
            .to_sql(
                &seg,
                opts.dialect(),
                &analysis,
                &opts.mapping.clone().unwrap_or_default(),
            )
            .map_err(to_js)
    }

    /// Forgets cached results so that the next calls compute them again: `{ segments,
    /// analyses }` (both `true` by default) — the member sets of rule nodes, and the
    /// analyses (per-member base, RFM, lifecycle) with the CLV fit. Loaded tables stay.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&mut self, opts: JsValue) -> WasmResult<()> {
        let opts: api::ClearCacheOptions = from_js(opts, "clearCache")?;
        self.session
            .clear_caches(opts.segments.unwrap_or(true), opts.analyses.unwrap_or(true));
        Ok(())
    }

    /// Per-node cache use: `{ hits, evaluated, entries }`.
    #[wasm_bindgen(js_name = cacheStats)]
    pub fn cache_stats(&self) -> WasmResult<JsValue> {
        to_js_value(&self.session.cache_stats())
    }
}
