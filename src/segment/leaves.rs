//! The leaf nodes of a rule over member columns: tags, attributes, RFM, lifecycle, metrics.
//! Each gives a member set, or an error naming the JSON path and the unknown name.

use super::ast::{Op, TagMode};
use super::compare::{LabelCmp, NumCmp};
use crate::catalog::{self, Ctx, Kind, Values};
use crate::dataset::{Attr, Dataset, Dict, NULL_CODE};
use crate::error::{Error, Result};
use crate::load::coerce::parse_number;
use crate::metrics::lifecycle::Stage;
use crate::metrics::segments::PROSPECT;
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use serde_json::Value;

/// The members `0..n` for which `pred` holds, built as a bit array (no per-member insert).
pub fn select(n: usize, pred: impl Fn(usize) -> bool) -> RoaringBitmap {
    let mut bytes = vec![0u8; n.div_ceil(8)];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let base = i * 8;
        let mut b = 0u8;
        for j in 0..(n - base).min(8) {
            b |= u8::from(pred(base + j)) << j;
        }
        *byte = b;
    }
    RoaringBitmap::from_lsb0_bytes(0, &bytes)
}

/// Members with any / all / none of the tags; an unknown tag is an error.
pub fn tags(ds: &Dataset, mode: TagMode, tags: &[String], path: &str) -> Result<RoaringBitmap> {
    let mut sets = Vec::with_capacity(tags.len());
    let key = match mode {
        TagMode::Any => "any",
        TagMode::All => "all",
        TagMode::None => "none",
    };
    for (i, t) in tags.iter().enumerate() {
        let Some(set) = ds.tags.get(t) else {
            return Err(Error::rule(format!(
                "{path}.{key}[{i}]: unknown tag \"{t}\"{}",
                did_you_mean(t, ds.tags.keys().map(String::as_str))
            )));
        };
        sets.push(set);
    }
    let union = || sets.iter().fold(RoaringBitmap::new(), |acc, s| acc | *s);
    Ok(match mode {
        TagMode::Any => union(),
        TagMode::None => ds.all_members() - union(),
        TagMode::All => sets.iter().skip(1).fold(sets[0].clone(), |acc, s| acc & *s),
    })
}

/// Members whose attribute passes every operator.
pub fn attr(ds: &Dataset, column: &str, ops: &[Op], path: &str) -> Result<RoaringBitmap> {
    let Some(field) = ds.resolve_attr(column) else {
        let names = ds.attrs.keys().chain(ds.aliases.keys()).map(String::as_str);
        return Err(Error::rule(format!(
            "{path}.column: unknown column \"{column}\"{}",
            did_you_mean(column, names)
        )));
    };
    let mut result = ds.all_members();
    for op in ops {
        let set = match &ds.attrs[field] {
            Attr::Text(dict) => match op {
                Op::IsNull(null) => select(dict.codes.len(), |m| {
                    (dict.codes.get(m) == NULL_CODE) == *null
                }),
                _ => {
                    let mask = text_mask(dict, op, &format!("{path}.{}", op_name(op)), column)?;
                    select(dict.codes.len(), |m| code_in(&mask, dict.codes.get(m)))
                }
            },
            Attr::Num(values) => {
                let p = format!("{path}.{}", op_name(op));
                let cmp = NumCmp::for_kind(Kind::Num, op, &p)?;
                select(values.len(), |m| cmp.test(values[m]))
            }
            Attr::Date(values) => {
                let p = format!("{path}.{}", op_name(op));
                let cmp = NumCmp::for_kind(Kind::Date, op, &p)?;
                select(values.len(), |m| cmp.test(values[m].map(f64::from)))
            }
        };
        result &= set;
    }
    Ok(result)
}

/// Whether `code` (not the null code) is set in `mask`.
#[inline]
pub fn code_in(mask: &[bool], code: u32) -> bool {
    mask.get(code as usize).copied().unwrap_or(false)
}

/// The operator's key in the rule JSON.
pub fn op_name(op: &Op) -> &'static str {
    super::canon::op_value(op).0
}

/// Members with the RFM segments and scores asked for (the parts given combine with AND).
pub fn rfm(
    ds: &Dataset,
    an: &Analysis,
    segment: Option<&[String]>,
    r: &Option<Vec<u8>>,
    f: &Option<Vec<u8>>,
    m: &Option<Vec<u8>>,
    path: &str,
) -> Result<RoaringBitmap> {
    let rfm = an.rfm(ds);
    let mut wanted: Option<(Vec<bool>, bool)> = None;
    if let Some(ids) = segment {
        let mut set = vec![false; rfm.map.segments.len()];
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
            set[s] = true;
        }
        wanted = Some((set, prospect));
    }
    let mask = |list: &Option<Vec<u8>>| {
        let mut ok = [list.is_none(); 6];
        for &s in list.iter().flatten() {
            ok[s as usize] = true;
        }
        ok[0] = false;
        ok
    };
    let (rs, fs, ms) = (mask(r), mask(f), mask(m));
    let scores = r.is_some() || f.is_some() || m.is_some();
    Ok(select(rfm.r.len(), |i| {
        let seg_ok = match (&wanted, rfm.segment[i]) {
            (None, _) => true,
            (Some((set, _)), Some(s)) => set[s as usize],
            (Some((_, prospect)), None) => *prospect,
        };
        let scores_ok =
            !scores || (rs[rfm.r[i] as usize] && fs[rfm.f[i] as usize] && ms[rfm.m[i] as usize]);
        seg_ok && scores_ok
    }))
}

/// Members in the lifecycle stages asked for.
pub fn lifecycle(an: &Analysis, stages: &[String], path: &str) -> Result<RoaringBitmap> {
    let mut wanted = [false; 5];
    for (i, s) in stages.iter().enumerate() {
        let Some(stage) = Stage::parse(s) else {
            let ids = Stage::ALL.map(Stage::id);
            return Err(Error::rule(format!(
                "{path}[{i}]: unknown lifecycle stage \"{s}\"{} (stages: {})",
                did_you_mean(s, ids),
                ids.join(", ")
            )));
        };
        wanted[stage as usize] = true;
    }
    Ok(select(an.stages.len(), |m| wanted[an.stages[m] as usize]))
}

/// Members whose member column (of the [`catalog`]) passes every operator; a missing value
/// passes none but `is_null`. Numbers, money (in currency units) and dates (compared with
/// dates) take every operator but `contains`; a label column (segment, stage, bucket) takes
/// `eq`, `ne`, `in`, `not_in` and `is_null` with ids of its domain.
pub fn metric(
    ds: &Dataset,
    an: &Analysis,
    name: &str,
    ops: &[Op],
    path: &str,
) -> Result<RoaringBitmap> {
    let Some(col) = catalog::get(name) else {
        return Err(Error::rule(format!(
            "{path}.name: unknown metric \"{name}\"{}",
            did_you_mean(name, catalog::ids())
        )));
    };
    let at = |op: &Op| format!("{path}.{}", op_name(op));
    let test = match col.domain {
        Some(domain) => {
            let ids = domain.ids(&an.options.segment_map);
            Cmps::Labels(
                ops.iter()
                    .map(|op| LabelCmp::new(op, &ids, &at(op), name))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        None => Cmps::Numbers(
            ops.iter()
                .map(|op| NumCmp::for_kind(col.kind, op, &at(op)))
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    let values = col
        .values(&Ctx::new(ds, an))
        .map_err(|e| Error::new(e.kind(), format!("{path}.name: {name}: {e}")))?;
    Ok(select(values.len(), |m| test.all(&values, m)))
}

/// The operators of a `metric` node, parsed for the column's kind.
enum Cmps {
    Labels(Vec<LabelCmp>),
    Numbers(Vec<NumCmp>),
}

impl Cmps {
    /// Whether member `m`'s value passes every operator.
    fn all(&self, values: &Values<'_>, m: usize) -> bool {
        match self {
            Cmps::Labels(c) => c.iter().all(|c| c.test(values.label(m))),
            Cmps::Numbers(c) => c.iter().all(|c| c.test(values.number(m))),
        }
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// The dictionary codes of a text attribute that pass `op` (index = code).
fn text_mask(dict: &Dict, op: &Op, path: &str, column: &str) -> Result<Vec<bool>> {
    let k = dict.values.len();
    let code_of = |v: &Value, i: Option<usize>| -> Result<u32> {
        let s = scalar_text(v);
        dict.code(&s).ok_or_else(|| {
            let at = i.map(|i| format!("[{i}]")).unwrap_or_default();
            Error::rule(format!(
                "{path}{at}: no member has the value \"{s}\"{}",
                did_you_mean(&s, dict.values.iter())
            ))
        })
    };
    let codes_mask = |vs: &[Value]| -> Result<Vec<bool>> {
        let mut mask = vec![false; k];
        for (i, v) in vs.iter().enumerate() {
            mask[code_of(v, Some(i))? as usize] = true;
        }
        Ok(mask)
    };
    Ok(match op {
        Op::Eq(v) => {
            let code = code_of(v, None)?;
            (0..k).map(|c| c == code as usize).collect()
        }
        Op::Ne(v) => {
            let code = code_of(v, None)?;
            (0..k).map(|c| c != code as usize).collect()
        }
        Op::In(vs) => codes_mask(vs)?,
        Op::NotIn(vs) => codes_mask(vs)?.into_iter().map(|b| !b).collect(),
        Op::Contains(needle) => {
            let needle = needle.to_lowercase();
            dict.values
                .iter()
                .map(|v| v.to_lowercase().contains(&needle))
                .collect()
        }
        // Handled by `attr`: the null code is in no mask.
        Op::IsNull(_) => Vec::new(),
        Op::Gt(_) | Op::Gte(_) | Op::Lt(_) | Op::Lte(_) | Op::Between(..) => {
            // Text that holds numbers compares as numbers; text that holds none is an error.
            let values: Vec<Option<f64>> = dict.values.iter().map(parse_number).collect();
            if values.iter().all(Option::is_none) {
                return Err(Error::rule(format!(
                    "{path}: column \"{column}\" holds text, not numbers or dates"
                )));
            }
            let cmp = NumCmp::for_kind(Kind::Num, op, path)?;
            values.iter().map(|&v| cmp.test(v)).collect()
        }
    })
}
