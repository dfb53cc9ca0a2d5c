//! The columns an audience can be exported with: member attributes, per-member metrics and
//! order columns, each with a type so that every format writes typed values.

use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::{format_cents, format_day};
use crate::metrics::clv::{self, Clv};
use crate::metrics::lifecycle::{bucket_of, BUCKETS};
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;
use std::borrow::Cow;

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
    "aov",
    "first_purchase_days",
    "tenure_days",
    "discount_share",
];

/// One exported cell as text, for the CSV writer.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from the user's file (neutralised against formula injection in CSV).
    Text(String),
    /// A value the engine computed (a number, a date, an id of ours): written as is.
    Value(String),
    /// Missing.
    Empty,
}

/// The type of a column's values, which decides the cell or Arrow type each format writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text from the user's files (member ids, attributes, order columns).
    Text,
    /// An identifier of the engine's (segment, stage, bucket).
    Label,
    /// A whole number (days, counts, scores).
    Int,
    /// A real number.
    Num,
    /// Money in cents, written with two decimals.
    Money,
    /// A calendar day.
    Date,
    /// A list of text (tags).
    List,
}

/// One typed value of an export column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text from the user's files.
    Text(&'a str),
    /// An identifier of the engine's.
    Label(&'a str),
    /// A whole number.
    Int(i64),
    /// A real number.
    Num(f64),
    /// Money in cents.
    Money(i64),
    /// Days since 1970-01-01.
    Date(i32),
    /// A list of text.
    List(Vec<&'a str>),
    /// Missing.
    Null,
}

impl Value<'_> {
    /// The value as text: numbers as Rust prints them, money with two decimals, dates as
    /// `YYYY-MM-DD`, lists joined with `|`, missing as `None`.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Value::Text(t) | Value::Label(t) => Cow::Borrowed(*t),
            Value::Int(v) => v.to_string().into(),
            Value::Num(v) => v.to_string().into(),
            Value::Money(c) => format_cents(*c).into(),
            Value::Date(d) => format_day(*d).into(),
            Value::List(items) => items.join("|").into(),
            Value::Null => return None,
        })
    }

    /// The value as a CSV cell: user text stays [`Cell::Text`] (to be neutralised).
    pub fn cell(&self) -> Cell {
        match self {
            Value::Text(_) | Value::List(_) => {
                Cell::Text(self.text().map(Cow::into_owned).unwrap_or_default())
            }
            Value::Null => Cell::Empty,
            other => Cell::Value(other.text().map(Cow::into_owned).unwrap_or_default()),
        }
    }
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
    /// A CLV prediction of [`clv::METRICS`] (`p_alive`, `expected_purchases_90d`, `clv`).
    Clv(&'static str),
    /// An order column (store, channel, guide, ...): its value on the member's last purchase.
    Order(String),
}

/// Export columns resolved against a dataset and an analysis, ready to give typed values.
#[derive(Debug)]
pub struct Columns<'a> {
    ds: &'a Dataset,
    an: &'a Analysis,
    clv: Option<&'a Clv>,
    /// Header of each column, as the user named it (`member_id` first).
    pub headers: Vec<String>,
    /// The columns.
    pub cols: Vec<Column>,
}

/// Resolves one column name. `order:NAME` and `member:NAME` choose an order column or a
/// member attribute; a plain name is a computed column, a CLV prediction, a member attribute
/// or, failing those, an order column.
pub fn resolve_one(ds: &Dataset, name: &str) -> Result<Column> {
    let name = name.trim();
    if name == "member_id" {
        return Ok(Column::MemberId);
    }
    if let Some(c) = COMPUTED.iter().find(|c| **c == name) {
        return Ok(Column::Computed(c));
    }
    if let Some(c) = clv::METRICS.iter().find(|c| **c == name) {
        return Ok(Column::Clv(c));
    }
    let (attr, order) = match name.split_once(':') {
        Some(("order", n)) => (None, Some(n.trim())),
        Some(("member", n)) => (Some(n.trim()), None),
        _ => (Some(name), Some(name)),
    };
    if let Some(field) = attr.and_then(|a| ds.resolve_attr(a)) {
        return Ok(Column::Attr(field.to_string()));
    }
    if let Some(dim) = order.filter(|o| ds.orders.dims.contains_key(*o)) {
        return Ok(Column::Order(dim.to_string()));
    }
    let known: Vec<String> = ds
        .attrs
        .keys()
        .cloned()
        .chain(COMPUTED.iter().chain(clv::METRICS).map(|c| c.to_string()))
        .chain(ds.orders.dims.keys().map(|d| format!("order:{d}")))
        .collect();
    Err(Error::option(format!(
        "columns: unknown column \"{name}\"{} (columns: member_id, {})",
        did_you_mean(name, known.iter().map(String::as_str)),
        known.join(", ")
    )))
}

/// Resolves column names (without types); `member_id` always comes first and is not repeated.
pub fn resolve(ds: &Dataset, names: &[String]) -> Result<(Vec<String>, Vec<Column>)> {
    let mut headers = vec!["member_id".to_string()];
    let mut cols = vec![Column::MemberId];
    for name in names {
        let col = resolve_one(ds, name)?;
        if col == Column::MemberId {
            continue;
        }
        headers.push(name.trim().to_string());
        cols.push(col);
    }
    Ok((headers, cols))
}

impl<'a> Columns<'a> {
    /// Resolves `names` (after `member_id`). Fits the CLV model when a CLV column is asked
    /// for; a fit failure is an error naming the column.
    pub fn new(ds: &'a Dataset, an: &'a Analysis, names: &[String]) -> Result<Self> {
        let (headers, cols) = resolve(ds, names)?;
        let clv = match cols.iter().find(|c| matches!(c, Column::Clv(_))) {
            Some(Column::Clv(name)) => Some(
                an.clv(ds)
                    .map_err(|e| Error::new(e.kind(), format!("columns: {name}: {e}")))?,
            ),
            _ => None,
        };
        Ok(Columns {
            ds,
            an,
            clv,
            headers,
            cols,
        })
    }

    /// The dataset the columns read.
    pub fn dataset(&self) -> &'a Dataset {
        self.ds
    }

    /// The type of column `c`.
    pub fn kind(&self, c: usize) -> Kind {
        match &self.cols[c] {
            Column::MemberId | Column::Order(_) => Kind::Text,
            Column::Attr(field) => match self.ds.attrs.get(field) {
                Some(Attr::Num(_)) => Kind::Num,
                Some(Attr::Date(_)) => Kind::Date,
                _ => Kind::Text,
            },
            Column::Clv(_) => Kind::Num,
            Column::Computed(name) => match *name {
                "recency_days"
                | "frequency"
                | "r"
                | "f"
                | "m"
                | "first_purchase_days"
                | "tenure_days" => Kind::Int,
                "aov" | "discount_share" => Kind::Num,
                "monetary" => Kind::Money,
                "first_purchase" | "last_purchase" => Kind::Date,
                "tags" => Kind::List,
                _ => Kind::Label,
            },
        }
    }

    /// The value of column `c` for member `m`.
    pub fn value(&self, c: usize, m: u32) -> Value<'a> {
        let (ds, an) = (self.ds, self.an);
        let i = m as usize;
        let b = &an.base;
        let scored = an.rfm.r[i] > 0;
        let score = |s: u8| {
            if scored {
                Value::Int(i64::from(s))
            } else {
                Value::Null
            }
        };
        let day = |d: Option<i32>| d.map_or(Value::Null, Value::Date);
        let bucket = |days: Option<i32>| match days.and_then(bucket_of) {
            Some(k) => Value::Label(BUCKETS[k].id),
            None => Value::Null,
        };
        match &self.cols[c] {
            Column::MemberId => Value::Text(ds.id(m)),
            Column::Attr(field) => match ds.attrs.get(field) {
                Some(Attr::Text(d)) => d.get(i).map_or(Value::Null, Value::Text),
                Some(Attr::Num(v)) => v[i].map_or(Value::Null, Value::Num),
                Some(Attr::Date(v)) => day(v[i]),
                None => Value::Null,
            },
            Column::Clv(name) => {
                self.clv
                    .and_then(|model| model.members[i].as_ref())
                    .map_or(Value::Null, |p| {
                        Value::Num(match *name {
                            "p_alive" => p.p_alive,
                            "expected_purchases_90d" => p.expected_purchases_90d,
                            _ => p.clv,
                        })
                    })
            }
            Column::Order(dim) => self.last_order_value(dim, m),
            Column::Computed(name) => match *name {
                "recency_days" => b.recency(i).map_or(Value::Null, |r| Value::Int(r.into())),
                "frequency" => Value::Int(b.frequency[i].into()),
                "monetary" => Value::Money(b.monetary[i]),
                "r" => score(an.rfm.r[i]),
                "f" => score(an.rfm.f[i]),
                "m" => score(an.rfm.m[i]),
                "segment" => Value::Label(an.segment_id(i)),
                "stage" => Value::Label(an.stages[i].id()),
                "first_purchase" => day(b.first[i]),
                "last_purchase" => day(b.last[i]),
                "join_bucket" => match ds.attrs.get("join_day") {
                    Some(Attr::Date(v)) => bucket(v[i].map(|d| an.as_of - d)),
                    _ => Value::Null,
                },
                "first_purchase_bucket" => bucket(b.first[i].map(|d| an.as_of - d)),
                // The rule metrics of SPEC §3, missing for members without a purchase.
                _ if b.frequency[i] == 0
                    && matches!(
                        *name,
                        "aov" | "first_purchase_days" | "tenure_days" | "discount_share"
                    ) =>
                {
                    Value::Null
                }
                "aov" => Value::Num(b.gross[i] as f64 / 100.0 / f64::from(b.frequency[i])),
                "first_purchase_days" => {
                    b.first[i].map_or(Value::Null, |d| Value::Int((b.as_of - d).into()))
                }
                "tenure_days" => {
                    let join = match ds.attrs.get("join_day") {
                        Some(Attr::Date(v)) => v[i],
                        _ => None,
                    };
                    join.or(b.first[i])
                        .map_or(Value::Null, |d| Value::Int((b.as_of - d).into()))
                }
                "discount_share" => {
                    Value::Num(f64::from(b.discounted[i]) / f64::from(b.frequency[i]))
                }
                "tags" => {
                    let tags: Vec<&str> = ds
                        .tags
                        .iter()
                        .filter(|(_, s)| s.contains(m))
                        .map(|(t, _)| t.as_str())
                        .collect();
                    if tags.is_empty() {
                        Value::Null
                    } else {
                        Value::List(tags)
                    }
                }
                _ => Value::Null,
            },
        }
    }

    /// The order column's value on the member's last purchase in the analysis window
    /// (the latest purchase row; among same-day purchases the last in file order).
    fn last_order_value(&self, dim: &str, m: u32) -> Value<'a> {
        let (o, b) = (&self.ds.orders, &self.an.base);
        let Some(d) = o.dims.get(dim) else {
            return Value::Null;
        };
        o.range(m)
            .rev()
            .find(|&r| o.day[r] > b.start && o.day[r] <= b.as_of && o.cents[r] > 0)
            .and_then(|r| d.get(r))
            .map_or(Value::Null, Value::Text)
    }

    /// Every value of member `m`, in column order.
    pub fn row(&self, m: u32) -> Vec<Value<'a>> {
        (0..self.cols.len()).map(|c| self.value(c, m)).collect()
    }
}
