//! The rule tree as a SQL predicate over one row per member (`e` the member, `b` the base,
//! `rfm`, `s` the stage, `mem` the members table, `asof_day`), with the leaves that need a pass
//! over orders or tags as common table expressions joined by member id. Every leaf is
//! `COALESCE(..., FALSE)`, so a missing value is false and `NOT` never meets a NULL.

use super::member_column::warehouse_name;
use super::SqlOptions;
use crate::catalog::{self, SqlScope};
use crate::dataset::{AttrKind, Dataset};
use crate::dialect::{double, Dialect};
use crate::error::{Error, Result};
use crate::load::coerce::{parse_date, parse_number};
use crate::metrics::lifecycle::Stage;
use crate::metrics::segments::PROSPECT;
use crate::segment::ast::{Node, Op, Period, Segment, TagMode, When};
use crate::segment::compare::LabelCmp;
use crate::segment::leaves::op_name;
use crate::suggest::did_you_mean;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Collects the predicate and what it needs (CTEs, joined tables, attribute columns).
pub struct Compiler<'a> {
    d: Dialect,
    opts: &'a SqlOptions,
    saved: &'a BTreeMap<String, Segment>,
    ds: Option<&'a Dataset>,
    /// Order columns read by `purchased` (`o.w0`, `o.w1`, ...).
    pub where_cols: Vec<String>,
    /// Member columns read by `attr` (`mem.a0`, ...).
    pub attrs: Vec<String>,
    /// The rule reads RFM scores or segments.
    pub needs_rfm: bool,
    /// The rule reads lifecycle stages.
    pub needs_stage: bool,
    base: bool,
    /// Leaf CTEs, in order.
    pub ctes: Vec<String>,
    /// Names of the leaf CTEs joined to the member row.
    pub joined: Vec<String>,
    by_body: HashMap<String, String>,
    stack: Vec<String>,
    /// The suffix of the date context being compiled: empty at the top, `_1`, `_2`, ... inside
    /// `at` nodes (SPEC §6), each with its own `asof_day`, `base`, `rfm` and `stage`.
    ctx: String,
    /// Date contexts made so far.
    contexts: usize,
}

impl<'a> Compiler<'a> {
    /// A compiler for one rule.
    pub fn new(
        opts: &'a SqlOptions,
        saved: &'a BTreeMap<String, Segment>,
        ds: Option<&'a Dataset>,
    ) -> Self {
        Compiler {
            d: opts.dialect,
            opts,
            saved,
            ds,
            where_cols: Vec::new(),
            attrs: Vec::new(),
            needs_rfm: false,
            needs_stage: false,
            base: false,
            ctes: Vec::new(),
            joined: Vec::new(),
            by_body: HashMap::new(),
            stack: Vec::new(),
            ctx: String::new(),
            contexts: 0,
        }
    }

    /// Whether the per-member base (SPEC §2) is needed.
    pub fn needs_base(&self) -> bool {
        self.base || self.needs_rfm || self.needs_stage
    }

    /// Whether the members table is joined.
    pub fn uses_members(&self) -> bool {
        !self.attrs.is_empty()
    }

    /// The predicate of `node` at JSON `path`.
    pub fn predicate(&mut self, node: &Node, path: &str) -> Result<String> {
        Ok(match node {
            Node::All(nodes) | Node::Any(nodes) => {
                let (key, op) = match node {
                    Node::All(_) => ("all", " AND "),
                    _ => ("any", " OR "),
                };
                let parts = nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| self.predicate(n, &format!("{path}.{key}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                format!("({})", parts.join(op))
            }
            Node::Not(inner) => format!("(NOT {})", self.predicate(inner, &format!("{path}.not"))?),
            Node::Tags { mode, tags } => self.tags(*mode, tags, &format!("{path}.tags"))?,
            Node::Attr { column, ops } => self.attr(column, ops, &format!("{path}.attr"))?,
            Node::Rfm { segment, r, f, m } => {
                self.needs_rfm = true;
                let p = format!("{path}.rfm");
                let mut parts = Vec::new();
                if let Some(ids) = segment {
                    parts.push(self.rfm_segments(ids, &p)?);
                }
                for (k, list) in [("r", r), ("f", f), ("m", m)] {
                    if let Some(list) = list {
                        let items: Vec<String> = list.iter().map(u8::to_string).collect();
                        parts.push(format!("rfm.{k} IN ({})", items.join(", ")));
                    }
                }
                leaf(&parts.join(" AND "))
            }
            Node::Lifecycle(stages) => {
                self.needs_stage = true;
                let mut ids = Vec::new();
                for (i, s) in stages.iter().enumerate() {
                    let Some(stage) = Stage::parse(s) else {
                        let all = Stage::ALL.map(Stage::id);
                        return Err(Error::rule(format!(
                            "{path}.lifecycle[{i}]: unknown lifecycle stage \"{s}\"{} (stages: {})",
                            did_you_mean(s, all),
                            all.join(", ")
                        )));
                    };
                    ids.push(self.d.string(stage.id()));
                }
                leaf(&format!("s.stage IN ({})", ids.join(", ")))
            }
            Node::Metric { name, ops } => self.metric(name, ops, &format!("{path}.metric"))?,
            Node::Purchased {
                filter,
                period,
                min_count,
                min_amount,
            } => self.purchased(filter, period, *min_count, *min_amount, path)?,
            Node::At { when, rule } => self.at(*when, rule, &format!("{path}.at"))?,
            Node::Saved(name) => {
                let p = format!("{path}.segment");
                let Some(seg) = self.saved.get(name) else {
                    return Err(Error::rule(format!(
                        "{p}: unknown saved segment \"{name}\"{}",
                        did_you_mean(name, self.saved.keys().map(String::as_str))
                    )));
                };
                if self.stack.contains(name) {
                    return Err(Error::rule(format!(
                        "{p}: segment \"{name}\" refers to itself"
                    )));
                }
                self.stack.push(name.clone());
                let out = self.predicate(&seg.rule, &format!("{p}({name})"));
                self.stack.pop();
                out?
            }
        })
    }

    /// Adds a leaf CTE (once per distinct body) and joins it; returns its name.
    fn cte(&mut self, prefix: &str, body: String) -> String {
        if let Some(name) = self.by_body.get(&body) {
            return name.clone();
        }
        let name = format!("{prefix}{}", self.ctes.len());
        self.ctes.push(format!("{name} AS (\n  {body}\n)"));
        self.joined.push(name.clone());
        self.by_body.insert(body, name.clone());
        name
    }

    fn tags(&mut self, mode: TagMode, tags: &[String], path: &str) -> Result<String> {
        if !self.opts.tables.member_tags && !self.opts.tables.tags_column {
            return Err(Error::rule(format!(
                "{path}: the tables have no tags (neither member_tags nor members.tags)"
            )));
        }
        let mut distinct: Vec<&String> = Vec::new();
        for t in tags {
            if !distinct.contains(&t) {
                distinct.push(t);
            }
        }
        let list: Vec<String> = distinct.iter().map(|t| self.d.string(t)).collect();
        let list = list.join(", ");
        let body = match mode {
            TagMode::Any | TagMode::None => {
                format!("SELECT DISTINCT member_id FROM tags_long WHERE tag IN ({list})")
            }
            TagMode::All => format!(
                "SELECT member_id FROM tags_long WHERE tag IN ({list})\n  GROUP BY member_id HAVING COUNT(DISTINCT tag) = {}",
                distinct.len()
            ),
        };
        let name = self.cte("t", body);
        Ok(match mode {
            TagMode::None => format!("({name}.member_id IS NULL)"),
            _ => format!("({name}.member_id IS NOT NULL)"),
        })
    }

    fn rfm_segments(&self, ids: &[String], path: &str) -> Result<String> {
        let map = &self.opts.analysis.segment_map;
        let mut known = Vec::new();
        let mut prospect = false;
        for (i, id) in ids.iter().enumerate() {
            if id == PROSPECT {
                prospect = true;
            } else if map.index_of(id).is_some() {
                known.push(self.d.string(id));
            } else {
                let names: Vec<&str> = map
                    .segments
                    .iter()
                    .map(|s| s.id.as_str())
                    .chain([PROSPECT])
                    .collect();
                return Err(Error::rule(format!(
                    "{path}.segment[{i}]: unknown RFM segment \"{id}\"{} (segments: {})",
                    did_you_mean(id, names.iter().copied()),
                    names.join(", ")
                )));
            }
        }
        let mut parts = Vec::new();
        if !known.is_empty() {
            parts.push(format!("rfm.segment IN ({})", known.join(", ")));
        }
        if prospect {
            parts.push("rfm.member_id IS NULL".into());
        }
        Ok(format!("({})", parts.join(" OR ")))
    }

    /// The `mem.aN` alias of a member column.
    fn attr_col(&mut self, column: &str) -> String {
        let i = match self.attrs.iter().position(|c| c == column) {
            Some(i) => i,
            None => {
                self.attrs.push(column.to_string());
                self.attrs.len() - 1
            }
        };
        format!("mem.a{i}")
    }

    fn attr(&mut self, column: &str, ops: &[Op], path: &str) -> Result<String> {
        if !self.opts.tables.members {
            return Err(Error::rule(format!(
                "{path}.column: the tables have no members table for \"{column}\""
            )));
        }
        // With data: the column's warehouse name and type; without: as written, typed by
        // the values compared with.
        let (sql_name, kind) = match self.ds {
            Some(ds) => {
                let Some(field) = ds.resolve_attr(column) else {
                    let names = ds.attrs.keys().chain(ds.aliases.keys()).map(String::as_str);
                    return Err(Error::rule(format!(
                        "{path}.column: unknown column \"{column}\"{}",
                        did_you_mean(column, names)
                    )));
                };
                let kind = ds.attrs.kind(field).unwrap_or(AttrKind::Text);
                (warehouse_name(field).to_string(), kind)
            }
            None => {
                let numeric = ops.iter().any(|op| match op {
                    Op::Gt(v) | Op::Gte(v) | Op::Lt(v) | Op::Lte(v) | Op::Eq(v) | Op::Ne(v) => {
                        v.is_number()
                    }
                    Op::Between(a, _) => a.is_number(),
                    Op::In(vs) | Op::NotIn(vs) => vs.iter().all(Value::is_number),
                    _ => false,
                });
                let date = !numeric
                    && ops.iter().any(|op| match op {
                        Op::Gt(v) | Op::Gte(v) | Op::Lt(v) | Op::Lte(v) => {
                            v.as_str().is_some_and(|s| parse_date(s).is_some())
                        }
                        Op::Between(a, _) => a.as_str().is_some_and(|s| parse_date(s).is_some()),
                        _ => false,
                    });
                let kind = if numeric {
                    AttrKind::Num
                } else if date {
                    AttrKind::Date
                } else {
                    AttrKind::Text
                };
                (column.to_string(), kind)
            }
        };
        let raw = self.attr_col(&sql_name);
        let mut parts = Vec::new();
        for op in ops {
            let p = format!("{path}.{}", op_name(op));
            let text = self.d.text(&raw);
            parts.push(match (kind, op) {
                (_, Op::IsNull(null)) => {
                    let x = match kind {
                        AttrKind::Text => text,
                        AttrKind::Num => format!("TRY_CAST({text} AS DOUBLE)"),
                        AttrKind::Date => self.d.day_of(&raw),
                    };
                    format!("{x} IS {}NULL", if *null { "" } else { "NOT " })
                }
                (AttrKind::Text, Op::Contains(needle)) => format!(
                    "INSTR(LOWER({text}), {}) > 0",
                    self.d.string(&needle.to_lowercase())
                ),
                (AttrKind::Text, Op::Eq(v)) => format!("{text} = {}", self.text_lit(v)),
                (AttrKind::Text, Op::Ne(v)) => format!("{text} <> {}", self.text_lit(v)),
                (AttrKind::Text, Op::In(vs)) => format!("{text} IN ({})", self.text_list(vs)),
                (AttrKind::Text, Op::NotIn(vs)) => {
                    format!("{text} NOT IN ({})", self.text_list(vs))
                }
                (AttrKind::Text, _) => {
                    compare(&format!("TRY_CAST({text} AS DOUBLE)"), op, &p, &num_lit)?
                }
                (AttrKind::Num, _) => {
                    compare(&format!("TRY_CAST({text} AS DOUBLE)"), op, &p, &num_lit)?
                }
                (AttrKind::Date, _) => compare(&self.d.day_of(&raw), op, &p, &date_lit)?,
            });
        }
        Ok(leaf(&parts.join(" AND ")))
    }

    fn text_lit(&self, v: &Value) -> String {
        self.d.string(&match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        })
    }

    fn text_list(&self, vs: &[Value]) -> String {
        vs.iter()
            .map(|v| self.text_lit(v))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn metric(&mut self, name: &str, ops: &[Op], path: &str) -> Result<String> {
        let Some(col) = catalog::get(name) else {
            return Err(Error::rule(format!(
                "{path}.name: unknown metric \"{name}\"{}",
                did_you_mean(name, catalog::ids())
            )));
        };
        let Some(x) = col.sql(self) else {
            let with_sql: Vec<&str> = catalog::COLUMNS
                .iter()
                .filter(|c| c.has_sql())
                .map(|c| c.id)
                .collect();
            return Err(Error::rule(format!(
                "{path}.name: the metric \"{name}\" needs the CLV model and has no SQL form \
                 (SQL supports {})",
                with_sql.join(", ")
            )));
        };
        let domain = col.domain.map(|d| d.ids(&self.opts.analysis.segment_map));
        let parts = ops
            .iter()
            .map(|op| {
                let p = format!("{path}.{}", op_name(op));
                match (op, &domain, col.kind) {
                    (Op::IsNull(null), ..) => {
                        Ok(format!("{x} IS {}NULL", if *null { "" } else { "NOT " }))
                    }
                    (_, Some(ids), _) => {
                        // Checked as the engine checks it: the same errors, the same ids.
                        LabelCmp::new(op, ids, &p, name)?;
                        compare(&x, op, &p, &|v, _| Ok(self.text_lit(v)))
                    }
                    (_, None, catalog::Kind::Date) => compare(&x, op, &p, &date_lit),
                    _ => compare(&x, op, &p, &num_lit),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(leaf(&parts.join(" AND ")))
    }

    fn where_col(&mut self, column: &str) -> String {
        let i = match self.where_cols.iter().position(|c| c == column) {
            Some(i) => i,
            None => {
                self.where_cols.push(column.to_string());
                self.where_cols.len() - 1
            }
        };
        format!("o.w{i}")
    }

    fn purchased(
        &mut self,
        filter: &BTreeMap<String, Vec<String>>,
        period: &Period,
        min_count: u32,
        min_amount: Option<i64>,
        path: &str,
    ) -> Result<String> {
        if min_count == 0 && min_amount.is_none() {
            return Ok("(TRUE)".into());
        }
        let mut conds = vec![
            "o.member_id IS NOT NULL".to_string(),
            "o.day <= asof_day.as_of".to_string(),
        ];
        match period {
            Period::WithinDays(n) => conds.push(format!("o.day > asof_day.as_of - {n}")),
            Period::Between(a, b) => {
                conds.push(format!("o.day >= {}", self.d.day_literal(*a)));
                conds.push(format!("o.day <= {}", self.d.day_literal(*b)));
            }
            Period::UpToAsOf => {}
        }
        for (col, values) in filter {
            let name = match self.ds {
                Some(ds) => match crate::segment::purchased::order_field(ds, col) {
                    Some(f) => f.to_string(),
                    None => {
                        return Err(Error::rule(format!(
                            "{path}.purchased.where.{col}: unknown order column \"{col}\"{}",
                            did_you_mean(col, ds.orders.dims.keys().map(String::as_str))
                        )))
                    }
                },
                None => col.clone(),
            };
            let w = self.where_col(&name);
            let list: Vec<String> = values.iter().map(|v| self.d.string(v)).collect();
            conds.push(format!("{w} IN ({})", list.join(", ")));
        }
        let body = format!(
            "SELECT o.member_id, COUNT(CASE WHEN o.cents > 0 THEN 1 END) AS cnt, SUM(o.cents) AS net\n  \
             FROM o CROSS JOIN {}\n  WHERE {}\n  GROUP BY o.member_id",
            super::facts::asof(&self.ctx),
            conds.join(" AND ")
        );
        let name = self.cte("p", body);
        let mut parts = vec![format!("COALESCE({name}.cnt, 0) >= {min_count}")];
        if let Some(cents) = min_amount {
            parts.push(format!("COALESCE({name}.net, 0) >= {cents}"));
        }
        Ok(leaf(&parts.join(" AND ")))
    }
}

impl Compiler<'_> {
    /// An `at` node (SPEC §6): its rule compiled in a date context of its own (`asof_day_k`
    /// from the node's date, with that date's base, RFM and stage), as a subquery over the
    /// members that exist then (an order on or before the date, or a join date on or before
    /// it).
    fn at(&mut self, when: When, rule: &Node, path: &str) -> Result<String> {
        self.contexts += 1;
        let x = format!("_{}", self.contexts);
        let parent = std::mem::replace(&mut self.ctx, x.clone());
        self.ctes
            .push(super::facts::as_of_at(self.d, &x, &parent, when));
        let outer = (
            std::mem::take(&mut self.needs_rfm),
            std::mem::take(&mut self.needs_stage),
            std::mem::take(&mut self.base),
            std::mem::take(&mut self.joined),
        );
        let inner = self.predicate(rule, &format!("{path}.rule"));
        let joined_day = self.join_day();
        let (rfm, stage, base) = (self.needs_rfm, self.needs_stage, self.needs_base());
        let joined = std::mem::replace(&mut self.joined, outer.3);
        self.needs_rfm = outer.0;
        self.needs_stage = outer.1;
        self.base = outer.2;
        self.ctx = parent;
        let inner = inner?;
        let a = &self.opts.analysis;
        if base {
            self.ctes.push(super::facts::base(a.window_days, &x));
        }
        if rfm {
            self.ctes
                .push(super::facts::rfm(self.d, &a.method, &a.segment_map, &x));
        }
        if stage {
            self.ctes.push(super::facts::stage(&a.lifecycle, &x));
        }
        let mut from = vec![format!("FROM everyone e CROSS JOIN asof_day{x} asof_day")];
        if base {
            from.push(format!("LEFT JOIN base{x} b ON b.member_id = e.member_id"));
        }
        if rfm {
            from.push(format!(
                "LEFT JOIN rfm{x} rfm ON rfm.member_id = e.member_id"
            ));
        }
        if stage {
            from.push(format!("LEFT JOIN stage{x} s ON s.member_id = e.member_id"));
        }
        if self.uses_members() {
            from.push("LEFT JOIN mem ON mem.member_id = e.member_id".into());
        }
        for name in &joined {
            from.push(format!(
                "LEFT JOIN {name} ON {name}.member_id = e.member_id"
            ));
        }
        let mut exists = vec![
            "EXISTS (SELECT 1 FROM o WHERE o.member_id = e.member_id AND o.day <= asof_day.as_of)"
                .to_string(),
        ];
        if let Some(day) = joined_day {
            exists.push(format!("COALESCE({day} <= asof_day.as_of, FALSE)"));
        }
        Ok(format!(
            "(e.member_id IN (\n    SELECT e.member_id {}\n    WHERE {inner} AND ({})\n  ))",
            from.join(" "),
            exists.join(" OR ")
        ))
    }
}

/// A column of the catalog reads the query's per-member row through the compiler, which
/// joins what it asks for.
impl SqlScope for Compiler<'_> {
    fn dialect(&self) -> Dialect {
        self.d
    }

    fn base(&mut self) -> &'static str {
        self.base = true;
        "b"
    }

    fn rfm(&mut self) -> &'static str {
        self.needs_rfm = true;
        "rfm"
    }

    fn stage(&mut self) -> &'static str {
        self.needs_stage = true;
        "s"
    }

    fn as_of(&mut self) -> &'static str {
        "asof_day.as_of"
    }

    fn join_day(&mut self) -> Option<String> {
        let t = self.opts.tables;
        if !(t.members && t.join_date) {
            return None;
        }
        let raw = self.attr_col("join_date");
        Some(self.d.day_of(&raw))
    }

    fn has_items(&self) -> bool {
        self.opts.tables.items
    }
}

/// A leaf predicate that is never NULL.
fn leaf(cond: &str) -> String {
    format!("COALESCE(({cond}), FALSE)")
}

fn num_lit(v: &Value, path: &str) -> Result<String> {
    let x = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_number(s),
        _ => None,
    };
    x.map(double)
        .ok_or_else(|| Error::rule(format!("{path}: cannot compare with {v}")))
}

fn date_lit(v: &Value, path: &str) -> Result<String> {
    let day = match v {
        Value::Number(n) => parse_date(&n.to_string()),
        Value::String(s) => parse_date(s),
        _ => None,
    };
    day.map(|d| d.to_string())
        .ok_or_else(|| Error::rule(format!("{path}: cannot compare with {v}")))
}

/// `x op operand(s)` with literals from `lit`.
fn compare(
    x: &str,
    op: &Op,
    path: &str,
    lit: &dyn Fn(&Value, &str) -> Result<String>,
) -> Result<String> {
    let list = |vs: &[Value]| -> Result<String> {
        Ok(vs
            .iter()
            .map(|v| lit(v, path))
            .collect::<Result<Vec<_>>>()?
            .join(", "))
    };
    Ok(match op {
        Op::Eq(v) => format!("{x} = {}", lit(v, path)?),
        Op::Ne(v) => format!("{x} <> {}", lit(v, path)?),
        Op::In(vs) => format!("{x} IN ({})", list(vs)?),
        Op::NotIn(vs) => format!("{x} NOT IN ({})", list(vs)?),
        Op::Gt(v) => format!("{x} > {}", lit(v, path)?),
        Op::Gte(v) => format!("{x} >= {}", lit(v, path)?),
        Op::Lt(v) => format!("{x} < {}", lit(v, path)?),
        Op::Lte(v) => format!("{x} <= {}", lit(v, path)?),
        Op::Between(a, b) => format!("{x} BETWEEN {} AND {}", lit(a, path)?, lit(b, path)?),
        Op::Contains(_) => {
            return Err(Error::rule(format!("{path}: contains needs a text column")))
        }
        Op::IsNull(null) => format!("{x} IS {}NULL", if *null { "" } else { "NOT " }),
    })
}
