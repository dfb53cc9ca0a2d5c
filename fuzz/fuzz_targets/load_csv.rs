//! Fuzz target: the CSV loader through the public API, with the format forced to `csv` and
//! with the format detected from the content.
#![no_main]

mod common;

use audience_lab::load::{load, LoadOptions, TableKind};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check_load("csv", data, true);
    let opts = LoadOptions {
        name: "fuzz".into(),
        ..LoadOptions::default()
    };
    if let Ok(t) = load(TableKind::MemberTags, data, &opts, &mut |_| {}) {
        let r = &t.report;
        assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected, "{r:?}");
    }
});
