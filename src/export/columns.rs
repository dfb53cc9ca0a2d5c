//! The columns an audience can be exported with: member attributes and per-member metrics.

use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::{format_cents, format_day};
use crate::metrics::lifecycle::{bucket_of, BUCKETS};
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;

/// Computed per-member columns, in addition to the member attributes.
pub const COMPUTED: &[&str] = &[
    "recency_days",
    "frequency",
    "monetary",
    "r",
    "f",
    "m",
    "segment",
    "stage",
    "first_purchase",
    "last_purchase",
    "tags",
    "join_bucket",
    "first_purchase_bucket",
];

/// One exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from the user's file (neutralised against formula injection in CSV).
    Text(String),
    /// A value the engine computed (a number, a date, an id of ours): written as is.
    Value(String),
    /// Missing.
    Empty,
}

/// A resolved export column.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// The member id.
    MemberId,
    /// A member attribute by field name.
    Attr(String),
    /// A computed column of [`COMPUTED`].
    Computed(&'static str),
}

/// Resolves column names; `member_id` always comes first and is not repeated.
pub fn resolve(ds: &Dataset, names: &[String]) -> Result<(Vec<String>, Vec<Column>)> {
    let mut headers = vec!["member_id".to_string()];
    let mut cols = vec![Column::MemberId];
    for name in names {
        let name = name.trim();
        if name == "member_id" {
            continue;
        }
        let col = if let Some(c) = COMPUTED.iter().find(|c| **c == name) {
            Column::Computed(c)
        } else if let Some(field) = ds.resolve_attr(name) {
            Column::Attr(field.to_string())
        } else {
            let known = ds
                .attrs
                .keys()
                .map(String::as_str)
                .chain(COMPUTED.iter().copied());
            let list: Vec<&str> = known.clone().collect();
            return Err(Error::option(format!(
                "columns: unknown column \"{name}\"{} (columns: member_id, {})",
                did_you_mean(name, known),
                list.join(", ")
            )));
        };
        headers.push(name.to_string());
        cols.push(col);
    }
    Ok((headers, cols))
}

/// The cell of column `col` for member `m`.
pub fn cell(ds: &Dataset, an: &Analysis, col: &Column, m: u32) -> Cell {
    let i = m as usize;
    let b = &an.base;
    let scored = an.rfm.r[i] > 0;
    let score = |s: u8| {
        if scored {
            Cell::Value(s.to_string())
        } else {
            Cell::Empty
        }
    };
    let day = |d: Option<i32>| d.map_or(Cell::Empty, |d| Cell::Value(format_day(d)));
    let bucket = |days: Option<i32>| match days.and_then(bucket_of) {
        Some(k) => Cell::Value(BUCKETS[k].id.to_string()),
        None => Cell::Empty,
    };
    match col {
        Column::MemberId => Cell::Text(ds.id(m).to_string()),
        Column::Attr(field) => match ds.attrs.get(field) {
            Some(Attr::Text(d)) => d.get(i).map_or(Cell::Empty, |v| Cell::Text(v.to_string())),
            Some(Attr::Num(v)) => v[i].map_or(Cell::Empty, |x| Cell::Value(x.to_string())),
            Some(Attr::Date(v)) => day(v[i]),
            None => Cell::Empty,
        },
        Column::Computed(name) => match *name {
            "recency_days" => b
                .recency(i)
                .map_or(Cell::Empty, |r| Cell::Value(r.to_string())),
            "frequency" => Cell::Value(b.frequency[i].to_string()),
            "monetary" => Cell::Value(format_cents(b.monetary[i])),
            "r" => score(an.rfm.r[i]),
            "f" => score(an.rfm.f[i]),
            "m" => score(an.rfm.m[i]),
            "segment" => Cell::Value(an.segment_id(i).to_string()),
            "stage" => Cell::Value(an.stages[i].id().to_string()),
            "first_purchase" => day(b.first[i]),
            "last_purchase" => day(b.last[i]),
            "join_bucket" => match ds.attrs.get("join_day") {
                Some(Attr::Date(v)) => bucket(v[i].map(|d| an.as_of - d)),
                _ => Cell::Empty,
            },
            "first_purchase_bucket" => bucket(b.first[i].map(|d| an.as_of - d)),
            "tags" => {
                let tags: Vec<&str> = ds
                    .tags
                    .iter()
                    .filter(|(_, s)| s.contains(m))
                    .map(|(t, _)| t.as_str())
                    .collect();
                if tags.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(tags.join("|"))
                }
            }
            _ => Cell::Empty,
        },
    }
}
