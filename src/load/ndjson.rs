//! Newline-delimited JSON: one object per line; columns are the keys in first-seen order.

use super::raw::{RawBuilder, RawTable};
use super::report::Rejections;
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// Reads NDJSON text. A line that is not a JSON object is rejected; a missing key is empty.
pub fn parse(
    text: &str,
    file: &str,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(f64),
) -> Result<RawTable> {
    let mut objects: Vec<(u64, Option<Map<String, Value>>)> = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let total = text.len().max(1) as f64;
    let mut seen = 0usize;
    for (i, line) in text.lines().enumerate() {
        seen += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let obj = serde_json::from_str::<Map<String, Value>>(line).ok();
        if let Some(o) = &obj {
            for k in o.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
        // NDJSON has no header line: line 1 is the first record, reported as row 1.
        objects.push((i as u64 + 1, obj));
        if i % 65_536 == 0 {
            progress(seen as f64 / total);
        }
    }
    if headers.is_empty() {
        return Err(Error::parse(format!("{file}: no JSON object found")));
    }
    let mut raw = RawBuilder::new(headers.clone(), ",");
    for (row, obj) in objects {
        let Some(obj) = obj else {
            raw.reject(row, "not a JSON object", rejections);
            continue;
        };
        let texts: Vec<String> = headers
            .iter()
            .map(|h| obj.get(h).map_or(String::new(), value_text))
            .collect();
        let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
        raw.push(row, &fields, rejections);
    }
    Ok(raw.finish())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("|"),
        other => other.to_string(),
    }
}
