//! Fuzz target: the parquet loader through the public API (format forced to `parquet`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("parquet", data, false);
});
