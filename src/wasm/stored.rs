//! The loaded tables as bytes to keep in the browser (a workspace kept between visits) and
//! back.

use super::error::{to_js, WasmResult};
use super::{to_js_value, Lab};
use crate::load::TableKind;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// The loaded table of `kind` as bytes to keep (its typed columns as an Arrow IPC stream
    /// and its report; the orders grouped by member), or `undefined` when none is loaded.
    #[wasm_bindgen(js_name = tableBytes)]
    pub fn table_bytes(&mut self, kind: &str) -> WasmResult<Option<Vec<u8>>> {
        let kind = TableKind::parse(kind).map_err(to_js)?;
        self.session.table_bytes(kind).map_err(to_js)
    }

    /// Puts a kept table (bytes of `tableBytes`) in place of the one of its kind and returns
    /// its load report; `name` names the stored file in messages. A table kept by another
    /// version of the format is refused (`PARSE_ERROR`).
    #[wasm_bindgen(js_name = restoreTable)]
    pub fn restore_table(&mut self, bytes: &[u8], name: &str) -> WasmResult<JsValue> {
        let report = self.session.restore_table(bytes, name).map_err(to_js)?;
        to_js_value(&report)
    }
}
