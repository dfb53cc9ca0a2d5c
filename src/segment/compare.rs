//! Comparisons of rule operators with member values: numbers (and money, dates) with their
//! operands parsed once, and the ids of a label column checked against its domain.

use super::ast::Op;
use super::words::LABEL_OPERATORS;
use crate::catalog::Kind;
use crate::error::{Error, Result};
use crate::load::coerce::{parse_date, parse_number};
use crate::suggest::did_you_mean;
use serde_json::Value;

/// A numeric comparison with its operands parsed.
pub struct NumCmp {
    op: fn(f64, &[f64]) -> bool,
    operands: Vec<f64>,
    null_test: Option<bool>,
}

impl NumCmp {
    /// The comparison of a member column of `kind` (not a label): money in currency units,
    /// dates with dates (`"2025-03-31"`, or `20250331`), other numbers as numbers.
    pub fn for_kind(kind: Kind, op: &Op, path: &str) -> Result<Self> {
        match kind {
            Kind::Date => NumCmp::new(op, path, |s| parse_date(s).map(f64::from), true),
            _ => NumCmp::new(op, path, parse_number, false),
        }
    }

    /// Parses the operands of `op`; strings (and numbers when `numbers_as_text`, as for a
    /// date column where `20250305` is a date) go through `parse`.
    fn new(
        op: &Op,
        path: &str,
        parse: impl Fn(&str) -> Option<f64>,
        numbers_as_text: bool,
    ) -> Result<Self> {
        let num = |v: &Value| -> Result<f64> {
            match v {
                Value::Number(n) if numbers_as_text => parse(&n.to_string())
                    .ok_or_else(|| Error::rule(format!("{path}: cannot compare with {n}"))),
                Value::Number(n) => n
                    .as_f64()
                    .ok_or_else(|| Error::rule(format!("{path}: not a number: {n}"))),
                Value::String(s) => parse(s)
                    .ok_or_else(|| Error::rule(format!("{path}: cannot compare with \"{s}\""))),
                other => Err(Error::rule(format!("{path}: cannot compare with {other}"))),
            }
        };
        let nums = |vs: &[Value]| vs.iter().map(num).collect::<Result<Vec<f64>>>();
        type F = fn(f64, &[f64]) -> bool;
        let (f, operands): (F, Vec<f64>) = match op {
            Op::Eq(v) => (|x, o| x == o[0], vec![num(v)?]),
            Op::Ne(v) => (|x, o| x != o[0], vec![num(v)?]),
            Op::In(vs) => (|x, o| o.contains(&x), nums(vs)?),
            Op::NotIn(vs) => (|x, o| !o.contains(&x), nums(vs)?),
            Op::Gt(v) => (|x, o| x > o[0], vec![num(v)?]),
            Op::Gte(v) => (|x, o| x >= o[0], vec![num(v)?]),
            Op::Lt(v) => (|x, o| x < o[0], vec![num(v)?]),
            Op::Lte(v) => (|x, o| x <= o[0], vec![num(v)?]),
            Op::Between(a, b) => (|x, o| o[0] <= x && x <= o[1], vec![num(a)?, num(b)?]),
            Op::IsNull(n) => {
                return Ok(NumCmp {
                    op: |_, _| false,
                    operands: Vec::new(),
                    null_test: Some(*n),
                })
            }
            Op::Contains(_) => {
                return Err(Error::rule(format!("{path}: contains needs a text column")))
            }
        };
        Ok(NumCmp {
            op: f,
            operands,
            null_test: None,
        })
    }

    /// A comparison with a missing value is false; `is_null` tests presence.
    pub fn test(&self, x: Option<f64>) -> bool {
        match (self.null_test, x) {
            (Some(null), x) => x.is_none() == null,
            (None, Some(x)) => (self.op)(x, &self.operands),
            (None, None) => false,
        }
    }
}

/// A comparison of a label column's id (a segment, a stage, a bucket).
pub struct LabelCmp {
    /// The ids the operator accepts (`in`, `eq`) or refuses (`not_in`, `ne`).
    ids: Vec<String>,
    negate: bool,
    null_test: Option<bool>,
}

impl LabelCmp {
    /// Checks `op`'s operands against `domain`; an id not in it is an error naming it.
    pub fn new(op: &Op, domain: &[&str], path: &str, column: &str) -> Result<Self> {
        let id = |v: &Value| -> Result<String> {
            let s = match v {
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            if domain.contains(&s.as_str()) {
                return Ok(s);
            }
            Err(Error::rule(format!(
                "{path}: unknown {column} \"{s}\"{} ({column}: {})",
                did_you_mean(&s, domain.iter().copied()),
                domain.join(", ")
            )))
        };
        let ids = |vs: &[Value]| vs.iter().map(id).collect::<Result<Vec<_>>>();
        let (ids, negate) = match op {
            Op::Eq(v) => (vec![id(v)?], false),
            Op::Ne(v) => (vec![id(v)?], true),
            Op::In(vs) => (ids(vs)?, false),
            Op::NotIn(vs) => (ids(vs)?, true),
            Op::IsNull(null) => {
                return Ok(LabelCmp {
                    ids: Vec::new(),
                    negate: false,
                    null_test: Some(*null),
                })
            }
            _ => {
                return Err(Error::rule(format!(
                    "{path}: \"{column}\" holds ids, not numbers: use {}",
                    LABEL_OPERATORS.join(", ")
                )))
            }
        };
        Ok(LabelCmp {
            ids,
            negate,
            null_test: None,
        })
    }

    /// A comparison with a missing value is false; `is_null` tests presence.
    pub fn test(&self, x: Option<&str>) -> bool {
        match (self.null_test, x) {
            (Some(null), x) => x.is_none() == null,
            (None, Some(x)) => self.ids.iter().any(|i| i == x) != self.negate,
            (None, None) => false,
        }
    }
}
