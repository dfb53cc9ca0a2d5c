//! The columns an audience can be exported with: member attributes, per-member metrics and
//! order columns, each with a type so that every format writes typed values.

use crate::catalog::{self, Ctx, MemberColumn, Values};
use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::{format_cents, format_day};
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

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

impl<'a> Value<'a> {
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

    /// [`Value::text`], borrowing text from where the value borrows it.
    pub fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Value::Text(t) | Value::Label(t) => Some(Cow::Borrowed(t)),
            other => other.text().map(|t| Cow::Owned(t.into_owned())),
        }
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
    /// A member column of the [`catalog`].
    Member(&'static MemberColumn),
    /// The member's tags.
    Tags,
    /// An order column (store, channel, guide, ...): its value on the member's last purchase.
    Order(String),
}

/// Export columns resolved against a dataset and an analysis, ready to give typed values.
#[derive(Debug)]
pub struct Columns<'a> {
    ds: &'a Dataset,
    an: &'a Analysis,
    /// The values of each catalog column, computed once (`None` for other columns).
    values: Vec<Option<Values<'a>>>,
    /// Where member `m`'s value is in `values` when they were computed for some members
    /// only (`None`: every member, at its index).
    positions: Option<FxHashMap<u32, usize>>,
    /// Header of each column, as the user named it (`member_id` first).
    pub headers: Vec<String>,
    /// The columns.
    pub cols: Vec<Column>,
}

/// Resolves one column name. `order:NAME` and `member:NAME` choose an order column or a
/// member attribute; a plain name is a catalog column, `tags`, a member attribute or,
/// failing those, an order column.
pub fn resolve_one(ds: &Dataset, name: &str) -> Result<Column> {
    let name = name.trim();
    if name == "member_id" {
        return Ok(Column::MemberId);
    }
    if let Some(c) = catalog::get(name) {
        return Ok(Column::Member(c));
    }
    if name == "tags" {
        return Ok(Column::Tags);
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
        .chain(catalog::ids().chain(["tags"]).map(String::from))
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
    /// Resolves `names` (after `member_id`) and computes each catalog column's values over
    /// every member (a CLV column fits the model; a fit failure is an error naming the column).
    pub fn new(ds: &'a Dataset, an: &'a Analysis, names: &[String]) -> Result<Self> {
        Self::build(Ctx::new(ds, an), names, None)
    }

    /// The same for `members` only (a page of an audience): their values alone are computed,
    /// and only they can be asked for.
    pub fn of_members(
        ds: &'a Dataset,
        an: &'a Analysis,
        names: &[String],
        members: &'a [u32],
    ) -> Result<Self> {
        let positions = members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
        Self::build(Ctx::of_rows(ds, an, members), names, Some(positions))
    }

    fn build(
        ctx: Ctx<'a>,
        names: &[String],
        positions: Option<FxHashMap<u32, usize>>,
    ) -> Result<Self> {
        let (ds, an) = (ctx.ds, ctx.an);
        let (headers, cols) = resolve(ds, names)?;
        let values = cols
            .iter()
            .map(|c| match c {
                Column::Member(col) => col
                    .values(&ctx)
                    .map(Some)
                    .map_err(|e| Error::new(e.kind(), format!("columns: {}: {e}", col.id))),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Columns {
            ds,
            an,
            values,
            positions,
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
            Column::Tags => Kind::List,
            Column::Member(col) => match col.kind {
                catalog::Kind::Int => Kind::Int,
                catalog::Kind::Num => Kind::Num,
                catalog::Kind::Money => Kind::Money,
                catalog::Kind::Date => Kind::Date,
                catalog::Kind::Label => Kind::Label,
            },
        }
    }

    /// The value of column `c` for member `m`.
    pub fn value(&self, c: usize, m: u32) -> Value<'a> {
        let ds = self.ds;
        let i = m as usize;
        match &self.cols[c] {
            Column::MemberId => Value::Text(ds.id(m)),
            Column::Attr(field) => match ds.attrs.get(field) {
                Some(Attr::Text(d)) => d.get(i).map_or(Value::Null, Value::Text),
                Some(Attr::Num(v)) => v[i].map_or(Value::Null, Value::Num),
                Some(Attr::Date(v)) => v[i].map_or(Value::Null, Value::Date),
                None => Value::Null,
            },
            Column::Member(_) => {
                let i = match &self.positions {
                    Some(p) => p[&m],
                    None => i,
                };
                match &self.values[c] {
                    Some(Values::Int(v)) => v[i].map_or(Value::Null, Value::Int),
                    Some(Values::Num(v)) => v[i].map_or(Value::Null, Value::Num),
                    Some(Values::Money(v)) => v[i].map_or(Value::Null, Value::Money),
                    Some(Values::Date(v)) => v[i].map_or(Value::Null, Value::Date),
                    Some(Values::Label(v)) => v[i].map_or(Value::Null, Value::Label),
                    None => Value::Null,
                }
            }
            Column::Tags => {
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
            Column::Order(dim) => self.last_order_value(dim, m),
        }
    }

    /// The order column's value on the member's last purchase in the analysis window
    /// (the latest purchase row; among same-day purchases the last in file order).
    fn last_order_value(&self, dim: &str, m: u32) -> Value<'a> {
        let (o, b) = (&self.ds.orders, self.an.base(self.ds));
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
