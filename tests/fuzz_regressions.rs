//! Inputs found by `make fuzz` (minimised with `cargo fuzz tmin`), kept in `tests/data/fuzz/`
//! as `<target>-<what>.<ext>`: each must now load with every row accounted for, or fail with
//! one clear parse error naming the file — never panic.

use audience_lab::load::{load, LoadOptions, TableKind};
use audience_lab::ErrorKind;
use std::path::Path;

/// The format a fuzz target forced, from the file name's prefix.
fn format_of(name: &str) -> &'static str {
    let target = name.split('-').next().unwrap_or("");
    match target {
        "load_csv" => "csv",
        "load_xlsx" => "xlsx",
        "load_parquet" => "parquet",
        "load_arrow" => "arrow",
        "load_arrow_stream" => "arrow-stream",
        "load_ndjson" => "ndjson",
        other => panic!("unknown fuzz target prefix {other:?} in {name}"),
    }
}

/// Loads `path` as orders and members, as the fuzz target did.
fn check(path: &Path) -> Vec<Result<u64, String>> {
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let bytes = std::fs::read(path).expect("read");
    let opts = LoadOptions {
        name: name.to_string(),
        format: Some(format_of(name).to_string()),
        ..LoadOptions::default()
    };
    [TableKind::Orders, TableKind::Members]
        .into_iter()
        .map(|kind| match load(kind, &bytes, &opts, &mut |_| {}) {
            Ok(t) => {
                let r = &t.report;
                assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected, "{name}");
                assert_eq!(t.num_rows() as u64, r.rows_loaded, "{name}");
                Ok(r.rows_in)
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Parse, "{name}: {e}");
                assert!(e.message().contains(name), "names the file: {e}");
                Err(e.message().to_string())
            }
        })
        .collect()
}

#[test]
fn every_fuzz_finding_loads_or_fails_clearly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/fuzz")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        check(&path);
    }
}

#[test]
fn a_parquet_page_with_inconsistent_levels_is_a_parse_error() {
    // parquet 60.1 panics ("offset + len out of bounds") decoding this file's definition
    // levels; the loader turns that into an error naming the file.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let path = dir.join("load_parquet-definition-levels.parquet");
    for result in check(&path) {
        let msg = result.expect_err("a corrupt file");
        assert!(msg.contains("Parquet data cannot be read"), "{msg}");
    }
}

#[test]
fn an_arrow_stream_with_buffers_beyond_its_body_is_a_parse_error() {
    // arrow-ipc 60.1 panics ("the offset of the new Buffer cannot exceed the existing
    // length") on this stream's buffer offsets; the loader turns that into an error.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let path = dir.join("load_arrow_stream-buffer-offset.arrows");
    for result in check(&path) {
        let msg = result.expect_err("a corrupt file");
        assert!(msg.contains("Arrow IPC"), "{msg}");
    }
}

#[test]
fn an_arrow_file_declaring_a_block_beyond_its_end_is_a_parse_error() {
    // arrow-ipc 60.1 allocates a block's declared length (here about 140 TB) before reading
    // it; the loader checks the footer's blocks against the file length first.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let path = dir.join("load_arrow-huge-block.arrow");
    for result in check(&path) {
        let msg = result.expect_err("a corrupt file");
        assert!(msg.contains("beyond the end of the file"), "{msg}");
    }
}
