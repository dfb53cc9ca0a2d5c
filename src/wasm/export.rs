//! `lab.export` in every format, `lab.matchReport` and the segment library: options accepted
//! from JS and the `Lab` methods behind them.

use super::error::{to_js, WasmResult};
use super::options::from_js;
use super::{to_js_value, Lab};
use crate::api;
use crate::segment::ast::Segment;
use crate::segment::parse_segment;
use wasm_bindgen::prelude::*;

/// Sets `key` on a plain object (cannot fail on an object we made).
pub(super) fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

#[wasm_bindgen]
impl Lab {
    /// Writes the segment as a file and returns `{ size, filename, mime, rows, parts, report }`
    /// (`parts`: the files of a split zip; `report`: the match-key report of an ad-platform
    /// list); the bytes stay in the engine until taken with [`Lab::export_chunk`] (so a large
    /// file crosses in chunks, not as one more copy) and dropped with [`Lab::export_release`].
    /// `on_progress(rowsWritten, totalRows)` hears of the rows written.
    #[wasm_bindgen(js_name = exportFile)]
    pub fn export_file(
        &mut self,
        segment: &str,
        opts: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> WasmResult<JsValue> {
        let opts: api::ExportOptions = from_js(opts, "export")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let now = (js_sys::Date::now() / 1000.0).floor() as i64;
        let export = opts.export(Some(now)).map_err(to_js)?;
        let seg = parse_segment(segment).map_err(to_js)?;
        let mut progress = |done: u64, total: u64| {
            if let Some(cb) = &on_progress {
                // A throwing progress callback must not abort the export.
                let _ = cb.call2(
                    &JsValue::NULL,
                    &JsValue::from_f64(done as f64),
                    &JsValue::from_f64(total as f64),
                );
            }
        };
        let file = self
            .session
            .export_file(&seg, &export, &analysis, &mut progress)
            .map_err(to_js)?;
        let out = to_js_value(&file)?;
        set(&out, "size", &JsValue::from_f64(file.bytes.len() as f64));
        self.export_bytes = file.bytes;
        Ok(out)
    }

    /// Bytes `[start, start + len)` of the last exported file (fewer at its end).
    #[wasm_bindgen(js_name = exportChunk)]
    pub fn export_chunk(&self, start: usize, len: usize) -> Vec<u8> {
        let b = &self.export_bytes;
        let start = start.min(b.len());
        b[start..b.len().min(start.saturating_add(len))].to_vec()
    }

    /// Drops the last exported file's bytes.
    #[wasm_bindgen(js_name = exportRelease)]
    pub fn export_release(&mut self) {
        self.export_bytes = Vec::new();
    }

    /// The match-key quality report of the segment's ad-platform list (`opts.profile`,
    /// `opts.defaultCountry`), before downloading it.
    #[wasm_bindgen(js_name = matchReport)]
    pub fn match_report(&mut self, segment: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts: api::MatchReportOptions = from_js(opts, "matchReport")?;
        let profile = opts.profile().map_err(to_js)?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let seg = parse_segment(segment).map_err(to_js)?;
        let report = self
            .session
            .match_report(&seg, &profile, &analysis)
            .map_err(to_js)?;
        to_js_value(&report)
    }

    /// Saves a segment (SPEC §3 JSON) under its name, so that `{"segment": "NAME"}` finds it
    /// and the library export holds it. Returns the segment as parsed.
    #[wasm_bindgen(js_name = saveSegment)]
    pub fn save_segment(&mut self, segment: &str) -> WasmResult<JsValue> {
        let seg = parse_segment(segment).map_err(to_js)?;
        if seg.name.trim().is_empty() {
            return Err(to_js(crate::Error::rule(
                "name: a saved segment needs a non-empty name",
            )));
        }
        let json = seg.to_value();
        self.session.save_segment(seg);
        to_js_value(&json)
    }

    /// The saved segments as one library file `{"version": 1, "segments": [...]}`.
    #[wasm_bindgen(js_name = exportSegments)]
    pub fn export_segments(&self) -> String {
        self.session.export_segments()
    }

    /// Saves every segment of a library file (or one segment document); all or nothing.
    /// Returns the segments read as SPEC §3 JSON objects.
    #[wasm_bindgen(js_name = importSegments)]
    pub fn import_segments(&mut self, text: &str) -> WasmResult<JsValue> {
        let segments = self.session.import_segments(text).map_err(to_js)?;
        let json: Vec<serde_json::Value> = segments.iter().map(Segment::to_value).collect();
        to_js_value(&json)
    }
}
