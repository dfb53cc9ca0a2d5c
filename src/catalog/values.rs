//! A member column's values as one vector — over every member, or over the few members a page
//! shows — and what computing them reads.

use crate::dataset::{Attr, Dataset};
use crate::metrics::Analysis;

/// What a column is computed from: the dataset and one analysis of it, and the members whose
/// values are wanted.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The loaded data.
    pub ds: &'a Dataset,
    /// The per-member base, RFM and lifecycle for one set of options.
    pub an: &'a Analysis,
    /// The members computed, in this order (`None`: every member, by member index).
    rows: Option<&'a [u32]>,
}

impl<'a> Ctx<'a> {
    /// A context over `ds` and `an` that computes every member's value (value `m` is member
    /// `m`'s).
    pub fn new(ds: &'a Dataset, an: &'a Analysis) -> Self {
        Ctx { ds, an, rows: None }
    }

    /// A context that computes the values of `rows` only (value `i` is member `rows[i]`'s): a
    /// page of members does not pay for every member.
    pub fn of_rows(ds: &'a Dataset, an: &'a Analysis, rows: &'a [u32]) -> Self {
        Ctx {
            ds,
            an,
            rows: Some(rows),
        }
    }

    /// Values computed.
    pub fn len(&self) -> usize {
        self.rows.map_or(self.ds.len(), <[u32]>::len)
    }

    /// Whether no value is computed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `f(m)` for every member computed, in order.
    pub fn map<T>(&self, f: impl Fn(usize) -> Option<T>) -> Vec<Option<T>> {
        match self.rows {
            Some(rows) => rows.iter().map(|&m| f(m as usize)).collect(),
            None => (0..self.len()).map(f).collect(),
        }
    }

    /// Whether member `m` has a purchase in the window (every metric but `monetary` is
    /// missing without one, SPEC §3).
    pub fn bought(&self, m: usize) -> bool {
        self.an.base(self.ds).frequency[m] > 0
    }

    /// The members' join days, when the members table has a join date.
    pub fn join_days(&self) -> Option<&'a [Option<i32>]> {
        match self.ds.attrs.get("join_day") {
            Some(Attr::Date(days)) => Some(days),
            _ => None,
        }
    }

    /// `f(m)` for every member computed that bought, missing for the others.
    pub fn of_buyers<T>(&self, f: impl Fn(usize) -> Option<T>) -> Vec<Option<T>> {
        self.map(|m| if self.bought(m) { f(m) } else { None })
    }
}

/// A column's values, one per member computed (`None` = missing).
#[derive(Debug, Clone, PartialEq)]
pub enum Values<'a> {
    /// Whole numbers.
    Int(Vec<Option<i64>>),
    /// Real numbers.
    Num(Vec<Option<f64>>),
    /// Money in cents.
    Money(Vec<Option<i64>>),
    /// Days since 1970-01-01.
    Date(Vec<Option<i32>>),
    /// Ids of the column's domain.
    Label(Vec<Option<&'a str>>),
}

impl Values<'_> {
    /// Values held.
    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) | Values::Money(v) => v.len(),
            Values::Num(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Label(v) => v.len(),
        }
    }

    /// Whether no value is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `m` (member `m`'s over every member) as a rule compares it: currency units for money, the day number
    /// for a date; `None` when missing or for a label.
    pub fn number(&self, m: usize) -> Option<f64> {
        match self {
            Values::Int(v) => v[m].map(|x| x as f64),
            Values::Num(v) => v[m],
            Values::Money(v) => v[m].map(|c| c as f64 / 100.0),
            Values::Date(v) => v[m].map(f64::from),
            Values::Label(_) => None,
        }
    }

    /// Value `m`'s id of a label column (`None` when missing or not a label).
    pub fn label(&self, m: usize) -> Option<&str> {
        match self {
            Values::Label(v) => v[m],
            _ => None,
        }
    }
}
