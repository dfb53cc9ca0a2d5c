//! Shared checks of the load targets: every load either fails with a message or accounts for
//! every row (rows in = loaded + rejected, and the batches hold the loaded rows); a text file
//! fed in small chunks gives the same result as fed whole; preview never panics.

use audience_lab::load::{load, preview, LoadOptions, LoadReport, Loader, TableKind};

const KINDS: [TableKind; 2] = [TableKind::Orders, TableKind::Members];

fn opts(format: &str) -> LoadOptions {
    LoadOptions {
        name: "fuzz".into(),
        format: Some(format.into()),
        ..LoadOptions::default()
    }
}

fn counts(r: &LoadReport) -> (u64, u64, u64) {
    (r.rows_in, r.rows_loaded, r.rows_rejected)
}

/// libfuzzer-sys aborts on every panic, even one the engine catches (it guards third-party
/// decoders that assert on corrupt data); restore the default hook so that only a panic that
/// escapes the engine aborts (libfuzzer-sys still aborts on those, so they are found).
fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| drop(std::panic::take_hook()));
}

/// Loads `data` as `format` into each table kind and checks the row accounting.
pub fn check_load(format: &str, data: &[u8], chunked: bool) {
    allow_caught_panics();
    let opts = opts(format);
    for kind in KINDS {
        let whole = load(kind, data, &opts, &mut |_| {});
        match &whole {
            Ok(t) => {
                let r = &t.report;
                assert_eq!(r.rows_in, r.rows_loaded + r.rows_rejected, "{r:?}");
                assert_eq!(t.num_rows() as u64, r.rows_loaded, "{r:?}");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        if chunked {
            let step = (data.len() / 5).max(1);
            let parts = Loader::new(kind, &opts).and_then(|mut l| {
                for c in data.chunks(step) {
                    l.push(c)?;
                }
                l.finish(&mut |_| {})
            });
            match (&whole, &parts) {
                (Ok(a), Ok(b)) => assert_eq!(counts(&a.report), counts(&b.report)),
                (Err(_), Err(_)) => {}
                (a, b) => panic!(
                    "whole and chunked loads differ: {:?} vs {:?}",
                    a.as_ref().map(|t| counts(&t.report)),
                    b.as_ref().map(|t| counts(&t.report))
                ),
            }
        }
        let _ = preview(kind, data, true, &opts, 5);
        if chunked {
            let _ = preview(kind, &data[..data.len() / 2], false, &opts, 5);
        }
    }
}
