//! Engine errors → JS `Error` objects carrying a stable `code`.

use crate::error::Error;
use wasm_bindgen::JsValue;

/// The boundary result: errors are JS `Error`s with `name` and `code` set.
pub type WasmResult<T> = std::result::Result<T, JsValue>;

/// A JS `Error` with `name = "AudienceLabError"` and `code` from the error kind.
pub fn to_js(e: Error) -> JsValue {
    js_error(e.kind().code(), e.message())
}

/// A JS `Error` with the given code and message.
pub fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("AudienceLabError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}
