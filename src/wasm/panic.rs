//! Panics in the browser. A panic traps the wasm instance (the worker then only says
//! "unreachable"), so the hook installed here also leaves the panic's message where the worker
//! reads it (`globalThis.__audienceLabPanic`) to reject the call with it. And a deliberate panic,
//! so that tests (and embedding developers) can prove that a panic surfaces as a rejected
//! promise with code `PANIC` and that the client carries on with a fresh worker.

use super::Lab;
use std::sync::Once;
use wasm_bindgen::prelude::*;

/// The global property holding the message of the last panic.
const PANIC_MESSAGE: &str = "__audienceLabPanic";

/// Installs the panic hook once: the console gets the message and stack
/// (console_error_panic_hook), the worker gets the message.
pub(super) fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            let message = info.to_string();
            // Nothing to do if this fails: the worker still reports the trap.
            let _ = js_sys::Reflect::set(
                &js_sys::global(),
                &JsValue::from_str(PANIC_MESSAGE),
                &JsValue::from_str(&message),
            );
        }));
    });
}

#[wasm_bindgen]
impl Lab {
    /// Panics on purpose. Never called by the app; the client exposes it as `lab.debugPanic()`.
    #[wasm_bindgen(js_name = debugPanic)]
    pub fn debug_panic(&self) {
        panic!("debugPanic: a deliberate panic to test recovery");
    }
}
