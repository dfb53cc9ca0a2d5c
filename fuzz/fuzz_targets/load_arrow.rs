//! Fuzz target: the arrow loader through the public API (format forced to `arrow`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("arrow", data, false);
});
