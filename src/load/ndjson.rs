//! Newline-delimited JSON, streamed line by line: one object per line; the columns are the
//! keys of the first lines (in first-seen order); keys that appear only later are reported.

use super::cell::{OwnedCell, OwnedTyped};
use super::sink::{RowStream, Sink, SAMPLE_ROWS};
use crate::error::{Error, Result};
use rustc_hash::FxHashSet;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A streaming NDJSON reader.
#[derive(Default)]
pub struct NdjsonStream {
    pending: Vec<u8>,
    line: u64,
    head: Vec<(u64, Option<Map<String, Value>>)>,
    headers: Vec<String>,
    /// The keys in `headers`, for lookups in constant time (a line may have 100k keys).
    known: FxHashSet<String>,
    started: bool,
    ignored: BTreeMap<String, u64>,
}

impl RowStream for NdjsonStream {
    /// Reads the complete lines of `input` (UTF-8 bytes); an empty `input` ends the file.
    fn feed(&mut self, input: &[u8], sink: &mut Sink, file: &str) -> Result<()> {
        if input.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            if !rest.is_empty() {
                self.line(&rest, sink)?;
            }
            return self.start(sink, file);
        }
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', input) {
            if self.pending.is_empty() {
                self.line(&input[start..nl], sink)?;
            } else {
                let mut line = std::mem::take(&mut self.pending);
                line.extend_from_slice(&input[start..nl]);
                self.line(&line, sink)?;
            }
            start = nl + 1;
        }
        self.pending.extend_from_slice(&input[start..]);
        Ok(())
    }

    /// For a preview of the head of a file: fixes the columns from the complete lines read.
    fn flush_head(&mut self, sink: &mut Sink, file: &str) -> Result<()> {
        self.start(sink, file)
    }
}

impl NdjsonStream {
    fn line(&mut self, bytes: &[u8], sink: &mut Sink) -> Result<()> {
        self.line += 1;
        let text = String::from_utf8_lossy(bytes);
        if text.trim().is_empty() {
            return Ok(());
        }
        let obj = serde_json::from_str::<Map<String, Value>>(&text).ok();
        if !self.started {
            if let Some(o) = &obj {
                for k in o.keys() {
                    if self.known.insert(k.clone()) {
                        self.headers.push(k.clone());
                    }
                }
            }
            self.head.push((self.line, obj));
            if self.head.len() >= SAMPLE_ROWS {
                self.start(sink, "")?;
            }
            return Ok(());
        }
        self.push(self.line, obj, sink, &text)
    }

    /// Fixes the columns from the first lines and replays them.
    fn start(&mut self, sink: &mut Sink, file: &str) -> Result<()> {
        if self.started {
            return self.report(sink);
        }
        self.started = true;
        if self.headers.is_empty() {
            return Err(Error::parse(format!("{file}: no JSON object found")));
        }
        sink.set_headers(self.headers.clone())?;
        for (line, obj) in std::mem::take(&mut self.head) {
            self.push(line, obj, sink, "")?;
        }
        Ok(())
    }

    fn report(&mut self, sink: &mut Sink) -> Result<()> {
        for (key, n) in std::mem::take(&mut self.ignored) {
            sink.warn(
                format!(
                    "key \"{key}\" ignored in {n} rows: it is not in the first {SAMPLE_ROWS} lines"
                ),
                format!("{n} 行中的键“{key}”被忽略：它不在前 {SAMPLE_ROWS} 行中"),
            );
        }
        Ok(())
    }

    fn push(
        &mut self,
        line: u64,
        obj: Option<Map<String, Value>>,
        sink: &mut Sink,
        raw: &str,
    ) -> Result<()> {
        let Some(obj) = obj else {
            sink.reject_unreadable(line, raw, "not a JSON object");
            return Ok(());
        };
        for k in obj.keys() {
            if !self.known.contains(k) {
                *self.ignored.entry(k.clone()).or_insert(0) += 1;
            }
        }
        let cells: Vec<OwnedCell> = self
            .headers
            .iter()
            .map(|h| obj.get(h).map_or(OwnedCell::Typed(OwnedTyped::Null), owned))
            .collect();
        sink.push(line, cells.as_slice())
    }
}

/// A JSON value as a cell: arrays (tag lists) joined with `|`.
fn owned(v: &Value) -> OwnedCell {
    match v {
        Value::Null => OwnedCell::Typed(OwnedTyped::Null),
        Value::Bool(b) => OwnedCell::Typed(OwnedTyped::Bool(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OwnedCell::Typed(OwnedTyped::Int(i)),
            None => n.as_f64().map_or(OwnedCell::Str(n.to_string()), |f| {
                OwnedCell::Typed(OwnedTyped::Float(f))
            }),
        },
        Value::String(s) => OwnedCell::Str(s.clone()),
        Value::Array(items) => {
            let mut buf = String::new();
            let parts: Vec<String> = items
                .iter()
                .map(|i| owned(i).as_cell().text(&mut buf).to_string())
                .collect();
            OwnedCell::Str(parts.join("|"))
        }
        Value::Object(_) => OwnedCell::Str(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::cell::Cell;

    #[test]
    fn numbers_arrays_and_nulls_become_cells() {
        assert_eq!(owned(&serde_json::json!(3)).as_cell(), Cell::Int(3));
        assert_eq!(owned(&serde_json::json!(2.5)).as_cell(), Cell::Float(2.5));
        assert_eq!(
            owned(&serde_json::json!(["a", "b"])).as_cell(),
            Cell::Str("a|b")
        );
        assert_eq!(owned(&serde_json::json!(null)).as_cell(), Cell::Null);
    }
}
