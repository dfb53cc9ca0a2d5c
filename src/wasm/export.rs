//! `lab.export` in every format, `lab.matchReport` and the segment library: options accepted
//! from JS and the `Lab` methods behind them.

use super::error::{to_js, WasmResult};
use super::options::{from_js, JsAnalysisOptions};
use super::{to_js_value, Lab};
use crate::export::ads::phone::Country;
use crate::export::ads::{Platform, ProfileOptions};
use crate::export::{ExportOptions, Format};
use crate::segment::ast::Segment;
use crate::segment::parse_segment;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The export part of `lab.export(segment, opts)` options (the analysis part is
/// [`JsAnalysisOptions`]); every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsExportOptions {
    /// `csv` (default), `xlsx`, `parquet`, `arrow`, `json` or `ndjson`.
    pub format: Option<String>,
    /// Columns after `member_id`.
    pub columns: Vec<String>,
    /// One file per value of this column, zipped with a summary of counts.
    pub split_by: Option<String>,
    /// `meta`, `google` or `tiktok`: a hashed ad-platform list (CSV).
    pub profile: Option<String>,
    /// Country of phone numbers without a country code (`CN` by default, or `+852`, `US`...).
    pub default_country: Option<String>,
    /// The name the file is named after (default: the segment's name).
    pub name: Option<String>,
    /// Creation time of XLSX files in milliseconds since 1970 (default: now).
    pub created: Option<f64>,
}

impl JsExportOptions {
    /// The ad-platform options, when a profile is asked for.
    fn profile(&self) -> WasmResult<Option<ProfileOptions>> {
        let Some(p) = &self.profile else {
            return Ok(None);
        };
        let country = match &self.default_country {
            Some(c) => Country::parse(c).map_err(to_js)?,
            None => Country::default(),
        };
        Ok(Some(ProfileOptions {
            platform: Platform::parse(p).map_err(to_js)?,
            country,
        }))
    }

    /// The engine's export options.
    fn options(&self) -> WasmResult<ExportOptions> {
        let (format, ndjson) =
            Format::parse(self.format.as_deref().unwrap_or("csv")).map_err(to_js)?;
        Ok(ExportOptions {
            format,
            ndjson,
            columns: self.columns.clone(),
            split_by: self.split_by.clone(),
            profile: self.profile()?,
            name: self.name.clone().unwrap_or_default(),
            created: Some((self.created.unwrap_or_else(js_sys::Date::now) / 1000.0).floor() as i64),
        })
    }
}

/// Sets `key` on a plain object (cannot fail on an object we made).
fn set(obj: &JsValue, key: &str, value: &JsValue) {
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
        analysis: JsValue,
        export: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> WasmResult<JsValue> {
        let analysis: JsAnalysisOptions = from_js(analysis, "export")?;
        let export: JsExportOptions = from_js(export, "export")?;
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
            .export_file(
                &seg,
                &export.options()?,
                &analysis.analysis()?,
                &mut progress,
            )
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
    pub fn match_report(
        &mut self,
        segment: &str,
        analysis: JsValue,
        export: JsValue,
    ) -> WasmResult<JsValue> {
        let analysis: JsAnalysisOptions = from_js(analysis, "matchReport")?;
        let export: JsExportOptions = from_js(export, "matchReport")?;
        let Some(profile) = export.profile()? else {
            return Err(to_js(crate::Error::option(
                "matchReport: expected profile meta, google or tiktok",
            )));
        };
        let seg = parse_segment(segment).map_err(to_js)?;
        let report = self
            .session
            .match_report(&seg, &profile, &analysis.analysis()?)
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
