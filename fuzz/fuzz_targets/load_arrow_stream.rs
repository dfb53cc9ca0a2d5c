//! Fuzz target: the arrow-stream loader through the public API (format forced to `arrow-stream`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("arrow-stream", data, false);
});
