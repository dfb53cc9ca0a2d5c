//! A member column's values over every member, as one vector, and what computing them reads.

use crate::dataset::{Attr, Dataset};
use crate::metrics::Analysis;

/// What a column is computed from: the dataset and one analysis of it.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The loaded data.
    pub ds: &'a Dataset,
    /// The per-member base, RFM and lifecycle for one set of options.
    pub an: &'a Analysis,
}

impl<'a> Ctx<'a> {
    /// A context over `ds` and `an`.
    pub fn new(ds: &'a Dataset, an: &'a Analysis) -> Self {
        Ctx { ds, an }
    }

    /// Members in the dataset.
    pub fn len(&self) -> usize {
        self.an.base.frequency.len()
    }

    /// Whether the dataset has no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether member `m` has a purchase in the window (every metric but `monetary` is
    /// missing without one, SPEC §3).
    pub fn bought(&self, m: usize) -> bool {
        self.an.base.frequency[m] > 0
    }

    /// The members' join days, when the members table has a join date.
    pub fn join_days(&self) -> Option<&'a [Option<i32>]> {
        match self.ds.attrs.get("join_day") {
            Some(Attr::Date(days)) => Some(days),
            _ => None,
        }
    }

    /// `f(m)` for every member that bought, missing for the others.
    pub fn of_buyers<T>(&self, f: impl Fn(usize) -> Option<T>) -> Vec<Option<T>> {
        (0..self.len())
            .map(|m| if self.bought(m) { f(m) } else { None })
            .collect()
    }
}

/// A column's values, one per member (`None` = missing).
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
    /// Members covered.
    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) | Values::Money(v) => v.len(),
            Values::Num(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Label(v) => v.len(),
        }
    }

    /// Whether no member is covered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Member `m`'s value as a rule compares it: currency units for money, the day number
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

    /// Member `m`'s id of a label column (`None` when missing or not a label).
    pub fn label(&self, m: usize) -> Option<&str> {
        match self {
            Values::Label(v) => v[m],
            _ => None,
        }
    }
}
