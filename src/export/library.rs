//! Segment definitions as files: a library of saved segments as one document
//! `{"version": 1, "segments": [SEGMENT, ...]}` (each written by `Segment::to_value`) — rules
//! only, no member data — validated on import with errors naming the JSON path.

use crate::error::{Error, Result};
use crate::segment::ast::{segment_from_value, Segment};
use serde_json::{json, Value};
use std::collections::HashSet;

/// The library format version.
pub const LIBRARY_VERSION: u64 = 1;

/// A library of segments as pretty-printed JSON.
pub fn library_to_json<'s>(segments: impl IntoIterator<Item = &'s Segment>) -> String {
    let doc = json!({
        "version": LIBRARY_VERSION,
        "segments": segments.into_iter().map(Segment::to_value).collect::<Vec<_>>(),
    });
    // Serialising a Value cannot fail.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a library (`{"version": 1, "segments": [...]}`) or a single segment document.
/// Every segment must have a distinct, non-empty name; errors name the JSON path
/// (`segments[2].rule.all[0].tags: ...`).
pub fn library_from_json(text: &str) -> Result<Vec<Segment>> {
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::rule(format!("segment library JSON: {e}")))?;
    let Some(obj) = doc.as_object() else {
        return Err(Error::rule(
            "segment library: expected an object {\"version\": 1, \"segments\": [...]}",
        ));
    };
    if !obj.contains_key("segments") {
        if obj.contains_key("rule") {
            return Ok(vec![named(&doc, "")?]);
        }
        return Err(Error::rule(
            "segment library: expected \"segments\": [...] (or a segment with \"rule\")",
        ));
    }
    for key in obj.keys() {
        if key != "version" && key != "segments" {
            return Err(Error::rule(format!(
                "{key}: unknown key of a segment library (expected version, segments)"
            )));
        }
    }
    match obj.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(LIBRARY_VERSION) => {}
        Some(v) => {
            return Err(Error::rule(format!(
                "version: only version 1 is supported, found {v}"
            )))
        }
    }
    let Some(items) = obj["segments"].as_array() else {
        return Err(Error::rule("segments: expected a list of segments"));
    };
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("segments[{i}]");
        let seg = named(item, &path)?;
        if !names.insert(seg.name.clone()) {
            return Err(Error::rule(format!(
                "{path}.name: \"{}\" is already the name of an earlier segment",
                seg.name
            )));
        }
        out.push(seg);
    }
    Ok(out)
}

/// One segment document at `path`, which must have a name and a rule.
fn named(value: &Value, path: &str) -> Result<Segment> {
    let at = |rest: &str| {
        if path.is_empty() {
            rest.to_string()
        } else {
            format!("{path}.{rest}")
        }
    };
    let Some(obj) = value.as_object() else {
        return Err(Error::rule(format!(
            "{}: expected a segment object",
            if path.is_empty() { "segment" } else { path }
        )));
    };
    if !obj.contains_key("rule") {
        return Err(Error::rule(format!("{}: missing", at("rule"))));
    }
    match obj.get("name").and_then(Value::as_str) {
        Some(n) if !n.trim().is_empty() => {}
        _ => {
            return Err(Error::rule(format!(
                "{}: expected a non-empty string",
                at("name")
            )))
        }
    }
    segment_from_value(value).map_err(|e| {
        let msg = e.message();
        Error::new(
            e.kind(),
            if path.is_empty() {
                msg.to_string()
            } else {
                format!("{path}.{msg}")
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::parse_segment;

    const RULE: &str = r#"{"version":1,"name":"win back 挽回","rule":{"all":[
        {"any":[{"tags":{"any":["敏感肌","KOC"]}},{"tags":{"none":["x"]}},{"tags":{"all":["a","b"]}}]},
        {"not":{"lifecycle":["churned"]}},
        {"attr":{"column":"tier","in":["gold","diamond"]}},
        {"attr":{"column":"points","gte":1000,"lt":5000.5}},
        {"attr":{"column":"city","contains":"上海"}},
        {"attr":{"column":"email","is_null":false}},
        {"attr":{"column":"join_date","between":["2024-01-01","2024-12-31"]}},
        {"rfm":{"segment":["at_risk"],"m":[4,5]}}, {"rfm":{"r":[1,2],"f":[4,5]}},
        {"metric":{"name":"monetary","gte":1000}},
        {"purchased":{"where":{"brand":["UR"],"channel":["mini_program"]},"within_days":180,"min_count":2,"min_amount":99.5}},
        {"purchased":{"between":["2025-01-01","2025-03-31"]}},
        {"segment":"vip"}]}}"#;

    #[test]
    fn segments_round_trip() {
        let seg = parse_segment(RULE).expect("parse");
        let again = parse_segment(&seg.to_value().to_string()).expect("reparse");
        assert_eq!(seg, again);
    }

    #[test]
    fn library_round_trip_and_paths() {
        let a = parse_segment(RULE).expect("parse");
        let mut b = a.clone();
        b.name = "second".into();
        let text = library_to_json([&a, &b]);
        assert_eq!(
            library_from_json(&text).expect("library"),
            vec![a.clone(), b]
        );
        let bad = r#"{"version":1,"segments":[{"name":"ok","rule":{"lifecycle":["new"]}},
            {"name":"bad","rule":{"all":[{"tags":{"any":[]}}]}}]}"#;
        let e = library_from_json(bad).expect_err("bad");
        assert_eq!(
            e.to_string(),
            "segments[1].rule.all[0].tags.any: expected at least one tag"
        );
        let dup = r#"{"segments":[{"name":"x","rule":{"lifecycle":["new"]}},{"name":"x","rule":{"lifecycle":["new"]}}]}"#;
        assert!(library_from_json(dup)
            .expect_err("dup")
            .to_string()
            .starts_with("segments[1].name: \"x\" is already"));
        let unnamed = r#"{"segments":[{"rule":{"lifecycle":["new"]}}]}"#;
        assert_eq!(
            library_from_json(unnamed).expect_err("unnamed").to_string(),
            "segments[0].name: expected a non-empty string"
        );
        assert_eq!(
            library_from_json(r#"{"version":2,"segments":[]}"#)
                .expect_err("v2")
                .to_string(),
            "version: only version 1 is supported, found 2"
        );
        assert_eq!(library_from_json(RULE).expect("single").len(), 1);
    }
}
