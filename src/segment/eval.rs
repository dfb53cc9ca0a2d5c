//! Evaluation of a rule tree to the set of matching members (a bitmap over the member index).

use super::ast::{Node, Op, Period, Segment, TagMode};
use crate::dataset::{Attr, Dataset, Dict, NULL_CODE};
use crate::error::{Error, Result};
use crate::load::coerce::{parse_date, parse_number};
use crate::metrics::lifecycle::Stage;
use crate::metrics::segments::PROSPECT;
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Evaluates rules over one dataset and one analysis (as_of, RFM, lifecycle).
pub struct Evaluator<'a> {
    ds: &'a Dataset,
    an: &'a Analysis,
    saved: &'a BTreeMap<String, Segment>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator with saved segments available to `{"segment": name}` nodes.
    pub fn new(ds: &'a Dataset, an: &'a Analysis, saved: &'a BTreeMap<String, Segment>) -> Self {
        Evaluator { ds, an, saved }
    }

    /// The members of a segment.
    pub fn members(&self, segment: &Segment) -> Result<RoaringBitmap> {
        self.eval(&segment.rule, "rule", &mut Vec::new())
    }

    fn eval(&self, node: &Node, path: &str, stack: &mut Vec<String>) -> Result<RoaringBitmap> {
        match node {
            Node::All(nodes) => {
                let mut acc: Option<RoaringBitmap> = None;
                for (i, n) in nodes.iter().enumerate() {
                    let set = self.eval(n, &format!("{path}.all[{i}]"), stack)?;
                    acc = Some(match acc {
                        Some(a) => a & set,
                        None => set,
                    });
                }
                Ok(acc.unwrap_or_else(|| self.ds.all_members()))
            }
            Node::Any(nodes) => {
                let mut acc = RoaringBitmap::new();
                for (i, n) in nodes.iter().enumerate() {
                    acc |= self.eval(n, &format!("{path}.any[{i}]"), stack)?;
                }
                Ok(acc)
            }
            Node::Not(inner) => {
                Ok(self.ds.all_members() - self.eval(inner, &format!("{path}.not"), stack)?)
            }
            Node::Tags { mode, tags } => self.tags(*mode, tags, &format!("{path}.tags")),
            Node::Attr { column, ops } => self.attr(column, ops, &format!("{path}.attr")),
            Node::Rfm { segment, r, f, m } => {
                self.rfm(segment.as_deref(), r, f, m, &format!("{path}.rfm"))
            }
            Node::Lifecycle(stages) => self.lifecycle(stages, &format!("{path}.lifecycle")),
            Node::Metric { name, ops } => self.metric(name, ops, &format!("{path}.metric")),
            Node::Purchased {
                filter,
                period,
                min_count,
                min_amount,
            } => self.purchased(
                filter,
                period,
                *min_count,
                *min_amount,
                &format!("{path}.purchased"),
            ),
            Node::Saved(name) => {
                let p = format!("{path}.segment");
                let Some(seg) = self.saved.get(name) else {
                    return Err(Error::rule(format!(
                        "{p}: unknown saved segment \"{name}\"{}",
                        did_you_mean(name, self.saved.keys().map(String::as_str))
                    )));
                };
                if stack.contains(name) {
                    return Err(Error::rule(format!(
                        "{p}: segment \"{name}\" refers to itself"
                    )));
                }
                stack.push(name.clone());
                let set = self.eval(&seg.rule, &format!("{p}({name})"), stack);
                stack.pop();
                set
            }
        }
    }

    fn tags(&self, mode: TagMode, tags: &[String], path: &str) -> Result<RoaringBitmap> {
        let mut sets = Vec::with_capacity(tags.len());
        for (i, t) in tags.iter().enumerate() {
            let Some(set) = self.ds.tags.get(t) else {
                return Err(Error::rule(format!(
                    "{path}[{i}]: unknown tag \"{t}\"{}",
                    did_you_mean(t, self.ds.tags.keys().map(String::as_str))
                )));
            };
            sets.push(set);
        }
        let union = || sets.iter().fold(RoaringBitmap::new(), |acc, s| acc | *s);
        Ok(match mode {
            TagMode::Any => union(),
            TagMode::None => self.ds.all_members() - union(),
            TagMode::All => sets.iter().skip(1).fold(sets[0].clone(), |acc, s| acc & *s),
        })
    }

    fn attr(&self, column: &str, ops: &[Op], path: &str) -> Result<RoaringBitmap> {
        let Some(field) = self.ds.resolve_attr(column) else {
            let names = self
                .ds
                .attrs
                .keys()
                .chain(self.ds.aliases.keys())
                .map(String::as_str);
            return Err(Error::rule(format!(
                "{path}.column: unknown column \"{column}\"{}",
                did_you_mean(column, names)
            )));
        };
        let mut result = self.ds.all_members();
        for op in ops {
            let set = match &self.ds.attrs[field] {
                Attr::Text(dict) => text_matches(dict, op, path)?,
                Attr::Num(values) => {
                    let cmp = NumCmp::new(op, path, parse_number)?;
                    select(values.len(), |m| cmp.test(values[m]))
                }
                Attr::Date(values) => {
                    let cmp = NumCmp::new(op, path, |s| parse_date(s).map(f64::from))?;
                    select(values.len(), |m| cmp.test(values[m].map(f64::from)))
                }
            };
            result &= set;
        }
        Ok(result)
    }

    fn rfm(
        &self,
        segment: Option<&[String]>,
        r: &Option<Vec<u8>>,
        f: &Option<Vec<u8>>,
        m: &Option<Vec<u8>>,
        path: &str,
    ) -> Result<RoaringBitmap> {
        let rfm = &self.an.rfm;
        let mut wanted: Option<(HashSet<u16>, bool)> = None;
        if let Some(ids) = segment {
            let mut set = HashSet::new();
            let mut prospect = false;
            for (i, id) in ids.iter().enumerate() {
                if id == PROSPECT {
                    prospect = true;
                    continue;
                }
                let Some(s) = rfm.map.index_of(id) else {
                    let names = rfm
                        .map
                        .segments
                        .iter()
                        .map(|s| s.id.as_str())
                        .chain([PROSPECT]);
                    let list: Vec<&str> = names.clone().collect();
                    return Err(Error::rule(format!(
                        "{path}.segment[{i}]: unknown RFM segment \"{id}\"{} (segments: {})",
                        did_you_mean(id, names),
                        list.join(", ")
                    )));
                };
                set.insert(s as u16);
            }
            wanted = Some((set, prospect));
        }
        let has =
            |list: &Option<Vec<u8>>, score: u8| list.as_ref().is_none_or(|l| l.contains(&score));
        Ok(select(rfm.r.len(), |i| {
            let seg_ok = match (&wanted, rfm.segment[i]) {
                (None, _) => true,
                (Some((set, _)), Some(s)) => set.contains(&s),
                (Some((_, prospect)), None) => *prospect,
            };
            let scored = rfm.r[i] > 0;
            let scores_ok = if r.is_some() || f.is_some() || m.is_some() {
                scored && has(r, rfm.r[i]) && has(f, rfm.f[i]) && has(m, rfm.m[i])
            } else {
                true
            };
            seg_ok && scores_ok
        }))
    }

    fn lifecycle(&self, stages: &[String], path: &str) -> Result<RoaringBitmap> {
        let mut wanted = Vec::new();
        for (i, s) in stages.iter().enumerate() {
            let Some(stage) = Stage::parse(s) else {
                let ids = Stage::ALL.map(Stage::id);
                return Err(Error::rule(format!(
                    "{path}[{i}]: unknown lifecycle stage \"{s}\"{} (stages: {})",
                    did_you_mean(s, ids),
                    ids.join(", ")
                )));
            };
            wanted.push(stage);
        }
        Ok(select(self.an.stages.len(), |m| {
            wanted.contains(&self.an.stages[m])
        }))
    }

    fn metric(&self, name: &str, ops: &[Op], path: &str) -> Result<RoaringBitmap> {
        let cmps = ops
            .iter()
            .map(|op| NumCmp::new(op, path, parse_number))
            .collect::<Result<Vec<_>>>()?;
        let values = if crate::metrics::clv::METRICS.contains(&name) {
            self.clv_values(name, path)?
        } else {
            self.metric_values(name)
        };
        Ok(select(values.len(), |m| {
            cmps.iter().all(|c| c.test(values[m]))
        }))
    }

    /// The values of a CLV metric (`p_alive`, `expected_purchases_90d`, `clv`): the model is
    /// fitted on first use with the calibration end at `as_of`; members without a purchase
    /// by then have no value.
    fn clv_values(&self, name: &str, path: &str) -> Result<Vec<Option<f64>>> {
        let model = self
            .an
            .clv(self.ds)
            .map_err(|e| Error::new(e.kind(), format!("{path}.name: {name}: {e}")))?;
        Ok(model.metric(name))
    }

    /// The values of a `metric` node's metric (None = missing), in the units of SPEC §3:
    /// days, counts, currency units, shares in [0, 1].
    pub fn metric_values(&self, name: &str) -> Vec<Option<f64>> {
        let b = &self.an.base;
        let n = b.frequency.len();
        let days = |d: Option<i32>| d.map(|d| f64::from(b.as_of - d));
        let join = match self.ds.attrs.get("join_day") {
            Some(Attr::Date(days)) => Some(days),
            _ => None,
        };
        (0..n)
            .map(|m| {
                let bought = b.frequency[m] > 0;
                let f = f64::from(b.frequency[m]);
                match name {
                    "monetary" => Some(b.monetary[m] as f64 / 100.0),
                    _ if !bought => None,
                    "recency_days" => days(b.last[m]),
                    "frequency" => Some(f),
                    "aov" => Some(b.gross[m] as f64 / 100.0 / f),
                    "first_purchase_days" => days(b.first[m]),
                    "tenure_days" => days(join.and_then(|j| j[m]).or(b.first[m])),
                    "discount_share" => Some(f64::from(b.discounted[m]) / f),
                    _ => None,
                }
            })
            .collect()
    }

    fn purchased(
        &self,
        filter: &BTreeMap<String, Vec<String>>,
        period: &Period,
        min_count: u32,
        min_amount: Option<i64>,
        path: &str,
    ) -> Result<RoaringBitmap> {
        let o = &self.ds.orders;
        let mut columns: Vec<(&Dict, HashSet<u32>)> = Vec::new();
        for (col, values) in filter {
            let field = if o.dims.contains_key(col) {
                Some(col.as_str())
            } else {
                self.ds.aliases.get(col).map(String::as_str)
            };
            let Some(dict) = field.and_then(|f| o.dims.get(f)) else {
                return Err(Error::rule(format!(
                    "{path}.where.{col}: unknown order column \"{col}\"{}",
                    did_you_mean(col, o.dims.keys().map(String::as_str))
                )));
            };
            let mut codes = HashSet::new();
            for (i, v) in values.iter().enumerate() {
                let Some(code) = dict.code(v) else {
                    return Err(Error::rule(format!(
                        "{path}.where.{col}[{i}]: no order has {col} \"{v}\"{}",
                        did_you_mean(v, dict.values.iter().map(String::as_str))
                    )));
                };
                codes.insert(code);
            }
            columns.push((dict, codes));
        }
        let as_of = self.an.as_of;
        let (lo, hi) = match *period {
            Period::WithinDays(d) => (as_of - d as i32 + 1, as_of),
            Period::Between(a, b) => (a, b.min(as_of)),
            Period::UpToAsOf => (i32::MIN, as_of),
        };
        Ok(select(self.ds.len(), |m| {
            let (mut count, mut net) = (0u32, 0i64);
            for i in o.range(m as u32) {
                let day = o.day[i];
                if day < lo
                    || day > hi
                    || !columns.iter().all(|(d, codes)| codes.contains(&d.codes[i]))
                {
                    continue;
                }
                net += o.cents[i];
                count += u32::from(o.cents[i] > 0);
            }
            count >= min_count && min_amount.is_none_or(|a| net >= a)
        }))
    }
}

/// The members `0..n` for which `pred` holds.
fn select(n: usize, pred: impl Fn(usize) -> bool) -> RoaringBitmap {
    let mut set = RoaringBitmap::new();
    set.extend((0..n).filter(|&m| pred(m)).map(|m| m as u32));
    set
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

fn text_matches(dict: &Dict, op: &Op, path: &str) -> Result<RoaringBitmap> {
    let code_of = |v: &Value, i: Option<usize>| -> Result<u32> {
        let s = scalar_text(v);
        dict.code(&s).ok_or_else(|| {
            let at = i.map(|i| format!("[{i}]")).unwrap_or_default();
            Error::rule(format!(
                "{path}{at}: no member has the value \"{s}\"{}",
                did_you_mean(&s, dict.values.iter().map(String::as_str))
            ))
        })
    };
    let codes_of = |vs: &[Value]| -> Result<HashSet<u32>> {
        vs.iter()
            .enumerate()
            .map(|(i, v)| code_of(v, Some(i)))
            .collect()
    };
    let n = dict.codes.len();
    let c = &dict.codes;
    Ok(match op {
        Op::Eq(v) => {
            let code = code_of(v, None)?;
            select(n, |m| c[m] == code)
        }
        Op::Ne(v) => {
            let code = code_of(v, None)?;
            select(n, |m| c[m] != code && c[m] != NULL_CODE)
        }
        Op::In(vs) => {
            let codes = codes_of(vs)?;
            select(n, |m| codes.contains(&c[m]))
        }
        Op::NotIn(vs) => {
            let codes = codes_of(vs)?;
            select(n, |m| c[m] != NULL_CODE && !codes.contains(&c[m]))
        }
        Op::Contains(needle) => {
            let needle = needle.to_lowercase();
            let hits: HashSet<u32> = (0..dict.values.len() as u32)
                .filter(|&i| dict.values[i as usize].to_lowercase().contains(&needle))
                .collect();
            select(n, |m| hits.contains(&c[m]))
        }
        Op::IsNull(null) => select(n, |m| (c[m] == NULL_CODE) == *null),
        Op::Gt(_) | Op::Gte(_) | Op::Lt(_) | Op::Lte(_) | Op::Between(..) => {
            // Text that is numeric throughout compares as numbers.
            let cmp = NumCmp::new(op, path, parse_number)?;
            let values: Vec<Option<f64>> = dict.values.iter().map(|v| parse_number(v)).collect();
            select(n, |m| {
                cmp.test(if c[m] == NULL_CODE {
                    None
                } else {
                    values[c[m] as usize]
                })
            })
        }
    })
}

/// A numeric comparison with its operands parsed.
struct NumCmp {
    op: fn(f64, &[f64]) -> bool,
    operands: Vec<f64>,
    null_test: Option<bool>,
}

impl NumCmp {
    fn new(op: &Op, path: &str, parse: impl Fn(&str) -> Option<f64>) -> Result<Self> {
        let num = |v: &Value| -> Result<f64> {
            match v {
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
    fn test(&self, x: Option<f64>) -> bool {
        match (self.null_test, x) {
            (Some(null), x) => x.is_none() == null,
            (None, Some(x)) => (self.op)(x, &self.operands),
            (None, None) => false,
        }
    }
}
