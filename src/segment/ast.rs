//! The rule JSON of SPEC §3, parsed into a typed tree with errors that name the JSON path.

use super::words::{ids, NODE_TYPES, OPERATORS};
use crate::catalog;
use crate::error::{Error, Result};
use crate::load::coerce::parse_date;
use crate::suggest::did_you_mean;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A versioned, named segment: `{"version": 1, "name": "...", "rule": NODE}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Format version (1).
    pub version: u32,
    /// The segment's name.
    pub name: String,
    /// The root rule.
    pub rule: Node,
}

/// Which members of a tag list match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagMode {
    /// Members with at least one of the tags.
    Any,
    /// Members with every tag.
    All,
    /// Members with none of the tags.
    None,
}

/// A comparison operator with its operand(s), as written in the rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Equal.
    Eq(Value),
    /// Not equal (false for a missing value).
    Ne(Value),
    /// One of.
    In(Vec<Value>),
    /// None of (false for a missing value).
    NotIn(Vec<Value>),
    /// Greater than.
    Gt(Value),
    /// Greater than or equal.
    Gte(Value),
    /// Less than.
    Lt(Value),
    /// Less than or equal.
    Lte(Value),
    /// Between, both ends included.
    Between(Value, Value),
    /// Text contains (case-insensitive).
    Contains(String),
    /// Missing (`true`) or present (`false`).
    IsNull(bool),
}

/// The date range of a `purchased` node.
#[derive(Debug, Clone, PartialEq)]
pub enum Period {
    /// `(as_of - n, as_of]`.
    WithinDays(u32),
    /// Both days included.
    Between(i32, i32),
    /// Every order up to `as_of`.
    UpToAsOf,
}

/// A rule node of SPEC §3.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Every child matches.
    All(Vec<Node>),
    /// At least one child matches.
    Any(Vec<Node>),
    /// The child does not match.
    Not(Box<Node>),
    /// Tag membership.
    Tags {
        /// any / all / none.
        mode: TagMode,
        /// Tags compared exactly after trimming.
        tags: Vec<String>,
    },
    /// A member attribute comparison; several operators combine with AND.
    Attr {
        /// Column name (field or header).
        column: String,
        /// The operators.
        ops: Vec<Op>,
    },
    /// RFM segment or score sets; given parts combine with AND.
    Rfm {
        /// Segment ids.
        segment: Option<Vec<String>>,
        /// Allowed R scores.
        r: Option<Vec<u8>>,
        /// Allowed F scores.
        f: Option<Vec<u8>>,
        /// Allowed M scores.
        m: Option<Vec<u8>>,
    },
    /// Lifecycle stage ids.
    Lifecycle(Vec<String>),
    /// A per-member metric comparison.
    Metric {
        /// A column of the [`catalog`].
        name: String,
        /// The operators (numeric).
        ops: Vec<Op>,
    },
    /// Purchases matching order columns in a period.
    Purchased {
        /// Order column → accepted values.
        filter: BTreeMap<String, Vec<String>>,
        /// The period.
        period: Period,
        /// Minimum number of matching purchases.
        min_count: u32,
        /// Minimum net amount of matching orders, in cents.
        min_amount: Option<i64>,
    },
    /// A saved segment by name.
    Saved(String),
    /// The rule as of another date (SPEC §6): everything inside reads `as_of` = that date,
    /// and only members that exist then match.
    At {
        /// The date.
        when: When,
        /// The rule evaluated at it.
        rule: Box<Node>,
    },
}

/// The date of an `at` node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A calendar day (days since 1970-01-01).
    Date(i32),
    /// This many days before the enclosing date (`as_of`, or the enclosing `at` node's).
    DaysAgo(u32),
}

impl When {
    /// The day this means inside a rule evaluated at `enclosing`.
    pub fn day(self, enclosing: i32) -> i32 {
        match self {
            When::Date(d) => d,
            When::DaysAgo(n) => enclosing.saturating_sub(n as i32),
        }
    }
}

/// Parses a segment document, or a bare rule node (named `untitled`).
pub fn parse_segment(text: &str) -> Result<Segment> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Error::rule(format!("segment JSON: {e}")))?;
    segment_from_value(&value)
}

/// Parses an already decoded segment document or bare rule node.
pub fn segment_from_value(value: &Value) -> Result<Segment> {
    let Some(obj) = value.as_object() else {
        return Err(Error::rule("segment: expected a JSON object"));
    };
    if !obj.contains_key("rule") {
        return Ok(Segment {
            version: 1,
            name: "untitled".into(),
            rule: parse_node(value, "rule")?,
        });
    }
    let version = match obj.get("version") {
        None => 1,
        Some(v) => v
            .as_u64()
            .filter(|&v| v == 1)
            .ok_or_else(|| Error::rule("version: only version 1 is supported"))?
            as u32,
    };
    let name = match obj.get("name") {
        None => "untitled".to_string(),
        Some(v) => v
            .as_str()
            .ok_or_else(|| Error::rule("name: expected a string"))?
            .to_string(),
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "version" | "name" | "rule" | "description") {
            return Err(Error::rule(format!(
                "{key}: unknown key of a segment (expected version, name, rule)"
            )));
        }
    }
    Ok(Segment {
        version,
        name,
        rule: parse_node(&obj["rule"], "rule")?,
    })
}

fn err<T>(path: &str, msg: impl std::fmt::Display) -> Result<T> {
    Err(Error::rule(format!("{path}: {msg}")))
}

/// Parses one node at JSON `path`.
pub fn parse_node(value: &Value, path: &str) -> Result<Node> {
    let Some(obj) = value.as_object() else {
        return err(path, "expected an object with one key naming the node type");
    };
    if obj.len() != 1 {
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        return err(
            path,
            format!(
                "expected exactly one node type, found {{{}}}",
                keys.join(", ")
            ),
        );
    }
    let (key, body) = obj.iter().next().expect("one entry");
    let p = format!("{path}.{key}");
    match key.as_str() {
        "all" | "any" => {
            let items = body
                .as_array()
                .ok_or_else(|| Error::rule(format!("{p}: expected a list of nodes")))?;
            if items.is_empty() {
                return err(&p, "expected at least one node");
            }
            let nodes = items
                .iter()
                .enumerate()
                .map(|(i, v)| parse_node(v, &format!("{p}[{i}]")))
                .collect::<Result<Vec<_>>>()?;
            Ok(if key == "all" {
                Node::All(nodes)
            } else {
                Node::Any(nodes)
            })
        }
        "not" => Ok(Node::Not(Box::new(parse_node(body, &p)?))),
        "tags" => parse_tags(body, &p),
        "attr" => {
            let obj = object(body, &p)?;
            let column = string(obj.get("column"), &format!("{p}.column"))?;
            let ops = parse_ops(obj, &p, &["column"])?;
            Ok(Node::Attr { column, ops })
        }
        "rfm" => parse_rfm(body, &p),
        "lifecycle" => Ok(Node::Lifecycle(non_empty(strings(body, &p)?, &p, "stage")?)),
        "metric" => {
            let obj = object(body, &p)?;
            let name = string(obj.get("name"), &format!("{p}.name"))?;
            if catalog::get(&name).is_none() {
                let ids: Vec<&str> = catalog::ids().collect();
                return err(
                    &format!("{p}.name"),
                    format!(
                        "unknown metric \"{name}\"{} (metrics: {})",
                        did_you_mean(&name, catalog::ids()),
                        ids.join(", ")
                    ),
                );
            }
            let ops = parse_ops(obj, &p, &["name"])?;
            Ok(Node::Metric { name, ops })
        }
        "purchased" => parse_purchased(body, &p),
        "segment" => Ok(Node::Saved(string(Some(body), &p)?)),
        "at" => parse_at(body, &p),
        other => err(
            path,
            format!(
                "unknown node type \"{other}\"{} (expected one of {})",
                did_you_mean(other, ids(NODE_TYPES)),
                ids(NODE_TYPES).collect::<Vec<_>>().join(", ")
            ),
        ),
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| Error::rule(format!("{path}: expected an object")))
}

fn string(v: Option<&Value>, path: &str) -> Result<String> {
    match v {
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => err(path, "expected a string"),
        None => err(path, "missing"),
    }
}

fn strings(v: &Value, path: &str) -> Result<Vec<String>> {
    let items = v
        .as_array()
        .ok_or_else(|| Error::rule(format!("{path}: expected a list of strings")))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) => Ok(s.trim().to_string()),
            Value::Number(n) => Ok(n.to_string()),
            _ => err(&format!("{path}[{i}]"), "expected a string"),
        })
        .collect()
}

/// An empty list would select nobody (or everybody) silently: it is an error instead.
fn non_empty<T>(items: Vec<T>, path: &str, what: &str) -> Result<Vec<T>> {
    if items.is_empty() {
        return err(path, format!("expected at least one {what}"));
    }
    Ok(items)
}

/// `{"at": {"date": "2025-03-31" | "days_ago": 90, "rule": NODE}}` (SPEC §6).
fn parse_at(body: &Value, p: &str) -> Result<Node> {
    let obj = object(body, p)?;
    for key in obj.keys() {
        if !matches!(key.as_str(), "date" | "days_ago" | "rule") {
            return err(
                p,
                format!("unknown key \"{key}\" (expected date or days_ago, and rule)"),
            );
        }
    }
    let when = match (obj.get("date"), obj.get("days_ago")) {
        (Some(_), Some(_)) => return err(p, "give date or days_ago, not both"),
        (None, None) => return err(p, "expected date or days_ago"),
        (Some(d), None) => {
            let kp = format!("{p}.date");
            let text = string(Some(d), &kp)?;
            When::Date(
                parse_date(&text)
                    .ok_or_else(|| Error::rule(format!("{kp}: not a date: \"{text}\"")))?,
            )
        }
        (None, Some(n)) => {
            let kp = format!("{p}.days_ago");
            match n.as_i64() {
                Some(n) if n < 0 => return err(&kp, format!("{n}: must not be negative")),
                Some(n) if n <= 100_000 => When::DaysAgo(n as u32),
                _ => return err(&kp, "expected a whole number of days (0 to 100000)"),
            }
        }
    };
    let Some(rule) = obj.get("rule") else {
        return err(p, "missing rule: the rule to evaluate at that date");
    };
    Ok(Node::At {
        when,
        rule: Box::new(parse_node(rule, &format!("{p}.rule"))?),
    })
}

fn parse_tags(body: &Value, p: &str) -> Result<Node> {
    let obj = object(body, p)?;
    if obj.len() != 1 {
        return err(p, "expected one of any, all, none");
    }
    let (k, v) = obj.iter().next().expect("one entry");
    let mode = match k.as_str() {
        "any" => TagMode::Any,
        "all" => TagMode::All,
        "none" => TagMode::None,
        other => {
            return err(
                p,
                format!("unknown tags mode \"{other}\" (expected any, all or none)"),
            )
        }
    };
    let tags = strings(v, &format!("{p}.{k}"))?;
    if tags.is_empty() {
        return err(&format!("{p}.{k}"), "expected at least one tag");
    }
    Ok(Node::Tags { mode, tags })
}

fn parse_rfm(body: &Value, p: &str) -> Result<Node> {
    let obj = object(body, p)?;
    let mut node = (None, None, None, None);
    for (k, v) in obj {
        let kp = format!("{p}.{k}");
        match k.as_str() {
            "segment" => node.0 = Some(non_empty(strings(v, &kp)?, &kp, "segment")?),
            "r" | "f" | "m" => {
                let items = v
                    .as_array()
                    .ok_or_else(|| Error::rule(format!("{kp}: expected a list of scores 1-5")))?;
                let scores = items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| match s.as_u64() {
                        Some(s @ 1..=5) => Ok(s as u8),
                        _ => err(
                            &format!("{kp}[{i}]"),
                            format!("expected a score 1-5, found {s}"),
                        ),
                    })
                    .collect::<Result<Vec<u8>>>()?;
                let scores = non_empty(scores, &kp, "score")?;
                match k.as_str() {
                    "r" => node.1 = Some(scores),
                    "f" => node.2 = Some(scores),
                    _ => node.3 = Some(scores),
                }
            }
            other => {
                return err(
                    p,
                    format!("unknown key \"{other}\" (expected segment, r, f, m)"),
                )
            }
        }
    }
    if obj.is_empty() {
        return err(p, "expected segment, r, f or m");
    }
    Ok(Node::Rfm {
        segment: node.0,
        r: node.1,
        f: node.2,
        m: node.3,
    })
}

fn parse_ops(obj: &Map<String, Value>, p: &str, skip: &[&str]) -> Result<Vec<Op>> {
    let ops_list = || ids(OPERATORS).collect::<Vec<_>>().join(" ");
    let mut ops = Vec::new();
    for (k, v) in obj {
        if skip.contains(&k.as_str()) {
            continue;
        }
        let kp = format!("{p}.{k}");
        let scalar = |v: &Value| -> Result<Value> {
            match v {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(v.clone()),
                _ => err(&kp, "expected a string or a number"),
            }
        };
        let list = |v: &Value| -> Result<Vec<Value>> {
            let items = v
                .as_array()
                .ok_or_else(|| Error::rule(format!("{kp}: expected a list")))?;
            non_empty(
                items.iter().map(scalar).collect::<Result<Vec<_>>>()?,
                &kp,
                "value",
            )
        };
        ops.push(match k.as_str() {
            "eq" => Op::Eq(scalar(v)?),
            "ne" => Op::Ne(scalar(v)?),
            "in" => Op::In(list(v)?),
            "not_in" => Op::NotIn(list(v)?),
            "gt" => Op::Gt(scalar(v)?),
            "gte" => Op::Gte(scalar(v)?),
            "lt" => Op::Lt(scalar(v)?),
            "lte" => Op::Lte(scalar(v)?),
            "between" => match list(v)?.as_slice() {
                [a, b] => Op::Between(a.clone(), b.clone()),
                _ => return err(&kp, "expected [low, high]"),
            },
            "contains" => Op::Contains(string(Some(v), &kp)?),
            "is_null" => Op::IsNull(
                v.as_bool()
                    .ok_or_else(|| Error::rule(format!("{kp}: expected true or false")))?,
            ),
            other => {
                return err(
                    p,
                    format!(
                        "unknown operator \"{other}\"{} (operators: {})",
                        did_you_mean(other, ids(OPERATORS)),
                        ops_list()
                    ),
                )
            }
        });
    }
    if ops.is_empty() {
        return err(p, format!("expected an operator ({})", ops_list()));
    }
    Ok(ops)
}

fn parse_purchased(body: &Value, p: &str) -> Result<Node> {
    let obj = object(body, p)?;
    let mut filter = BTreeMap::new();
    let (mut within, mut between, mut min_count, mut min_amount) = (None, None, 1u32, None);
    for (k, v) in obj {
        let kp = format!("{p}.{k}");
        match k.as_str() {
            "where" => {
                for (col, vals) in object(v, &kp)? {
                    let cp = format!("{kp}.{col}");
                    filter.insert(col.trim().to_string(), non_empty(strings(vals, &cp)?, &cp, "value")?);
                }
            }
            "within_days" => {
                within = Some(v.as_u64().filter(|&d| d <= 100_000).ok_or_else(|| Error::rule(format!("{kp}: expected a whole number of days")))? as u32)
            }
            "between" => {
                let ds = strings(v, &kp)?;
                let [a, b] = ds.as_slice() else {
                    return err(&kp, "expected [\"YYYY-MM-DD\", \"YYYY-MM-DD\"]");
                };
                let day = |s: &str| parse_date(s).ok_or_else(|| Error::rule(format!("{kp}: not a date: \"{s}\"")));
                between = Some((day(a)?, day(b)?));
            }
            "min_count" => {
                min_count = v.as_u64().filter(|&c| c <= u32::MAX as u64).ok_or_else(|| Error::rule(format!("{kp}: expected a whole number")))? as u32
            }
            "min_amount" => {
                let a = v.as_f64().filter(|a| a.is_finite() && a.abs() < 1e15).ok_or_else(|| Error::rule(format!("{kp}: expected a number")))?;
                min_amount = Some((a * 100.0).round() as i64);
            }
            other => return err(p, format!("unknown key \"{other}\" (expected where, within_days, between, min_count, min_amount)")),
        }
    }
    let period = match (within, between) {
        (Some(_), Some(_)) => return err(p, "give within_days or between, not both"),
        (Some(d), None) => Period::WithinDays(d),
        (None, Some((a, b))) => Period::Between(a, b),
        (None, None) => Period::UpToAsOf,
    };
    Ok(Node::Purchased {
        filter,
        period,
        min_count,
        min_amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_node_type() {
        let text = r#"{"version":1,"name":"x","rule":{"all":[
            {"any":[{"tags":{"any":["敏感肌","KOC"]}},{"tags":{"none":["x"]}}]},
            {"not":{"lifecycle":["churned"]}},
            {"attr":{"column":"tier","in":["gold","diamond"]}},
            {"attr":{"column":"points","gte":1000,"lt":5000}},
            {"rfm":{"segment":["at_risk"]}}, {"rfm":{"r":[1,2],"f":[4,5]}},
            {"metric":{"name":"monetary","gte":1000}},
            {"purchased":{"where":{"brand":["UR"]},"within_days":180,"min_count":1,"min_amount":0}},
            {"segment":"vip"}]}}"#;
        let seg = parse_segment(text).expect("parse");
        let Node::All(nodes) = seg.rule else {
            panic!("all")
        };
        assert_eq!(nodes.len(), 9);
        assert_eq!(
            nodes[3],
            Node::Attr {
                column: "points".into(),
                ops: vec![Op::Gte(1000.into()), Op::Lt(5000.into())]
            }
        );
    }

    #[test]
    fn errors_name_the_path() {
        let e = parse_segment(r#"{"rule":{"all":[{"tags":{"any":["a"]}},{"atr":{}}]}}"#)
            .expect_err("bad");
        assert!(
            e.to_string()
                .starts_with("rule.all[1]: unknown node type \"atr\"; did you mean \"attr\"?"),
            "{e}"
        );
        let e = parse_segment(r#"{"rfm":{"r":[0]}}"#).expect_err("bad");
        assert_eq!(
            e.to_string(),
            "rule.rfm.r[0]: expected a score 1-5, found 0"
        );
        let e = parse_segment(r#"{"metric":{"name":"monetry","gte":1}}"#).expect_err("bad");
        assert!(e.to_string().contains("did you mean \"monetary\""), "{e}");
    }
}
