//! Fuzz target: the xlsx loader through the public API (format forced to `xlsx`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("xlsx", data, false);
});
