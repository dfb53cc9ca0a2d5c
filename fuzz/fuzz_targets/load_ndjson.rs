//! Fuzz target: the ndjson loader through the public API (format forced to `ndjson`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("ndjson", data, true);
});
