//! Option objects accepted from JS (camelCase, every field optional).

use super::error::{to_js, WasmResult};
use crate::error::Error;
use crate::load::LoadOptions;
use crate::metrics::rfm::Method;
use crate::metrics::AnalysisOptions;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

/// `lab.load(kind, bytes, opts)` options.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsLoadOptions {
    /// File name for messages.
    pub name: Option<String>,
    /// Role → column overrides.
    pub mapping: BTreeMap<String, String>,
    /// Encoding override (`gbk`, `utf-8`, `utf-16le`, ...).
    pub encoding: Option<String>,
    /// Workbook sheet to read.
    pub sheet: Option<String>,
    /// Format override.
    pub format: Option<String>,
    /// Delimiter override (`,` `;` `|` `tab`).
    pub delimiter: Option<String>,
    /// Heap limit in bytes for this load (default: what a wasm instance can reach).
    pub memory_limit: Option<f64>,
}

impl From<JsLoadOptions> for LoadOptions {
    fn from(o: JsLoadOptions) -> Self {
        LoadOptions {
            name: o.name.unwrap_or_default(),
            mapping: o.mapping,
            lenient_mapping: false,
            encoding: o.encoding,
            delimiter: o.delimiter,
            sheet: o.sheet,
            format: o.format,
            memory_limit: o.memory_limit.filter(|m| *m > 0.0).map(|m| m as usize),
        }
    }
}

/// Options shared by the metrics, counts and exports.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JsAnalysisOptions {
    /// Reference date, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// `quantile` or `ntile`.
    pub method: Option<String>,
    /// Restrict metrics to the last N days.
    pub window_days: Option<u32>,
    /// Export / preview columns.
    pub columns: Vec<String>,
    /// Preview page offset.
    pub offset: Option<usize>,
    /// Preview page size.
    pub limit: Option<usize>,
}

impl JsAnalysisOptions {
    /// The engine's analysis options.
    pub fn analysis(&self) -> WasmResult<AnalysisOptions> {
        let mut o = AnalysisOptions::default()
            .with_as_of(self.as_of.as_deref())
            .map_err(to_js)?;
        if let Some(m) = &self.method {
            o.method = Method::parse(m).map_err(to_js)?;
        }
        o.window_days = self.window_days;
        Ok(o)
    }
}

/// Reads an options object; `undefined` and `null` give the defaults.
pub fn from_js<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> WasmResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| to_js(Error::option(format!("{what} options: {e}"))))
}
