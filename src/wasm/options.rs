//! Option objects from JS: each call reads its own type of [`crate::api`], so an unknown
//! field or a wrong name is an `INVALID_OPTION` error naming the field and the call.

use super::error::{to_js, WasmResult};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Reads the options of `call`; `undefined` and `null` give the defaults.
pub fn from_js<T: DeserializeOwned + Default>(value: JsValue, call: &str) -> WasmResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|e| {
        to_js(crate::Error::option(format!(
            "{call} options: expected a plain object ({e})"
        )))
    })?;
    crate::api::read(json, call).map_err(to_js)
}
