//! Fuzz target: arbitrary bytes parsed as a SPEC §3 segment document and, when it parses,
//! evaluated on a small generated dataset (built once) with saved segments (including the
//! parsed one under its own name, so self-references are tried), then exported as CSV.
#![no_main]

use audience_lab::dataset::Dataset;
use audience_lab::export::audience_csv;
use audience_lab::gen::{generate, GenOptions};
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::{Analysis, AnalysisOptions};
use audience_lab::segment::{parse_segment, Evaluator, Segment};
use audience_lab::Session;
use std::collections::BTreeMap;
use std::sync::OnceLock;

struct World {
    ds: &'static Dataset,
    an: &'static Analysis,
    saved: BTreeMap<String, Segment>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let files = generate(&GenOptions {
            members: 300,
            seed: 11,
            ..GenOptions::default()
        })
        .expect("generate");
        let s: &'static mut Session = Box::leak(Box::new(Session::new()));
        for (kind, bytes) in [
            (TableKind::Orders, &files.orders),
            (TableKind::Members, &files.members),
        ] {
            let opts = LoadOptions {
                name: kind.name().into(),
                ..LoadOptions::default()
            };
            s.load(kind, bytes, &opts, &mut |_| {}).expect("load");
        }
        let (ds, an) = s.analysis(&AnalysisOptions::default()).expect("analysis");
        let mut saved = BTreeMap::new();
        for (name, rule) in [
            ("koc", r#"{"tags":{"any":["KOC"]}}"#),
            ("loop_a", r#"{"segment":"loop_b"}"#),
            (
                "loop_b",
                r#"{"any":[{"segment":"loop_a"},{"lifecycle":["new"]}]}"#,
            ),
        ] {
            let text = format!(r#"{{"version":1,"name":"{name}","rule":{rule}}}"#);
            saved.insert(name.to_string(), parse_segment(&text).expect("saved rule"));
        }
        World { ds, an, saved }
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(segment) = parse_segment(text) else {
        return;
    };
    let w = world();
    let mut saved = w.saved.clone();
    saved.insert(segment.name.clone(), segment.clone());
    let eval = Evaluator::new(w.ds, w.an, &saved);
    if let Ok(members) = eval.members(&segment) {
        assert!(members.len() <= w.ds.len() as u64);
        let columns = ["tier", "segment", "stage"].map(String::from);
        let csv = audience_csv(w.ds, w.an, &members, &columns, false).expect("export");
        let lines = csv.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(
            lines,
            members.len() + 1,
            "export rows differ from the audience"
        );
    }
});
