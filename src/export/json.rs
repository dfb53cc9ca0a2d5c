//! JSON export: an array of objects (one per member, keys in column order), or NDJSON (one
//! object per line). Numbers are JSON numbers (money with its two decimals, e.g. `1299.00`),
//! dates `"YYYY-MM-DD"` strings, tags an array of strings, missing values `null`.

use super::columns::Value;
use super::frame::{Rows, Ticker};
use crate::error::Result;
use crate::load::coerce::{format_cents, format_day};
use std::fmt::Write as _;

/// Appends `s` as a JSON string.
fn string(out: &mut String, s: &str) {
    // Serialising a &str to JSON cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// Appends one value.
fn value(out: &mut String, v: &Value<'_>) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Text(t) | Value::Label(t) => string(out, t),
        Value::Int(x) => {
            let _ = write!(out, "{x}");
        }
        Value::Num(x) if x.is_finite() => {
            // Integral values print without a fraction (1200, not 1200.0).
            let _ = write!(out, "{x}");
        }
        Value::Num(_) => out.push_str("null"),
        Value::Money(c) => out.push_str(&format_cents(*c)),
        Value::Date(d) => string(out, &format_day(*d)),
        Value::List(items) => {
            out.push('[');
            for (k, t) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                string(out, t);
            }
            out.push(']');
        }
    }
}

/// Writes `rows` as a JSON array of objects, or as NDJSON when `ndjson`.
pub fn write(rows: &dyn Rows, ndjson: bool, ticker: &mut Ticker) -> Result<Vec<u8>> {
    let keys: Vec<String> = rows
        .headers()
        .iter()
        .map(|h| serde_json::to_string(h).unwrap_or_default())
        .collect();
    let mut out = String::new();
    if !ndjson {
        out.push('[');
    }
    for i in 0..rows.len() {
        if !ndjson {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
        }
        out.push('{');
        for (c, v) in rows.row(i).iter().enumerate() {
            if c > 0 {
                out.push(',');
            }
            out.push_str(&keys[c]);
            out.push(':');
            value(&mut out, v);
        }
        out.push('}');
        if ndjson {
            out.push('\n');
        }
        ticker.step();
    }
    if !ndjson {
        out.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
    }
    Ok(out.into_bytes())
}
