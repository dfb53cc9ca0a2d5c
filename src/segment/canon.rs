//! A rule tree back to its JSON (SPEC §3): the canonical text that keys the evaluation cache,
//! and the form in which rules the engine builds (intersections, differences) are returned.

use super::ast::{Node, Op, Period, Segment, TagMode, When};
use crate::load::coerce::format_day;
use serde_json::{json, Map, Value};

impl Node {
    /// The node as SPEC §3 JSON. Keys come in a fixed order and the operators of `attr` and
    /// `metric` by name, so two rules that mean the same thing written with keys in another
    /// order give the same JSON.
    pub fn to_value(&self) -> Value {
        match self {
            Node::All(nodes) => {
                json!({ "all": nodes.iter().map(Node::to_value).collect::<Vec<_>>() })
            }
            Node::Any(nodes) => {
                json!({ "any": nodes.iter().map(Node::to_value).collect::<Vec<_>>() })
            }
            Node::Not(inner) => json!({ "not": inner.to_value() }),
            Node::Tags { mode, tags } => {
                let mode = match mode {
                    TagMode::Any => "any",
                    TagMode::All => "all",
                    TagMode::None => "none",
                };
                json!({ "tags": { mode: tags } })
            }
            Node::Attr { column, ops } => {
                let mut body = Map::new();
                body.insert("column".into(), Value::from(column.as_str()));
                insert_ops(&mut body, ops);
                json!({ "attr": body })
            }
            Node::Rfm { segment, r, f, m } => {
                let mut body = Map::new();
                if let Some(s) = segment {
                    body.insert("segment".into(), json!(s));
                }
                for (k, v) in [("r", r), ("f", f), ("m", m)] {
                    if let Some(v) = v {
                        body.insert(k.into(), json!(v));
                    }
                }
                json!({ "rfm": body })
            }
            Node::Lifecycle(stages) => json!({ "lifecycle": stages }),
            Node::Metric { name, ops } => {
                let mut body = Map::new();
                body.insert("name".into(), Value::from(name.as_str()));
                insert_ops(&mut body, ops);
                json!({ "metric": body })
            }
            Node::Purchased {
                filter,
                period,
                min_count,
                min_amount,
            } => {
                let mut body = Map::new();
                if !filter.is_empty() {
                    body.insert("where".into(), json!(filter));
                }
                match period {
                    Period::WithinDays(d) => {
                        body.insert("within_days".into(), json!(d));
                    }
                    Period::Between(a, b) => {
                        body.insert("between".into(), json!([format_day(*a), format_day(*b)]));
                    }
                    Period::UpToAsOf => {}
                }
                body.insert("min_count".into(), json!(min_count));
                if let Some(cents) = min_amount {
                    body.insert("min_amount".into(), money(*cents));
                }
                json!({ "purchased": body })
            }
            Node::Saved(name) => json!({ "segment": name }),
            Node::At { when, rule } => {
                let mut body = Map::new();
                match when {
                    When::Date(d) => body.insert("date".into(), json!(format_day(*d))),
                    When::DaysAgo(n) => body.insert("days_ago".into(), json!(n)),
                };
                body.insert("rule".into(), rule.to_value());
                json!({ "at": body })
            }
        }
    }

    /// The canonical JSON text of the node (see [`Node::to_value`]).
    pub fn canonical(&self) -> String {
        self.to_value().to_string()
    }

    /// The node type name (`all`, `tags`, `purchased`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Node::All(_) => "all",
            Node::Any(_) => "any",
            Node::Not(_) => "not",
            Node::Tags { .. } => "tags",
            Node::Attr { .. } => "attr",
            Node::Rfm { .. } => "rfm",
            Node::Lifecycle(_) => "lifecycle",
            Node::Metric { .. } => "metric",
            Node::Purchased { .. } => "purchased",
            Node::Saved(_) => "segment",
            Node::At { .. } => "at",
        }
    }
}

impl Segment {
    /// The segment document `{"version": 1, "name": ..., "rule": ...}`.
    pub fn to_value(&self) -> Value {
        json!({ "version": self.version, "name": self.name, "rule": self.rule.to_value() })
    }
}

/// An amount in cents as a JSON number of currency units (whole numbers stay integers).
fn money(cents: i64) -> Value {
    if cents % 100 == 0 {
        json!(cents / 100)
    } else {
        json!(cents as f64 / 100.0)
    }
}

fn insert_ops(body: &mut Map<String, Value>, ops: &[Op]) {
    let mut named: Vec<(&str, Value)> = ops.iter().map(op_value).collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in named {
        body.insert(k.into(), v);
    }
}

/// The operator's key and operand.
pub fn op_value(op: &Op) -> (&'static str, Value) {
    match op {
        Op::Eq(v) => ("eq", v.clone()),
        Op::Ne(v) => ("ne", v.clone()),
        Op::In(vs) => ("in", Value::Array(vs.clone())),
        Op::NotIn(vs) => ("not_in", Value::Array(vs.clone())),
        Op::Gt(v) => ("gt", v.clone()),
        Op::Gte(v) => ("gte", v.clone()),
        Op::Lt(v) => ("lt", v.clone()),
        Op::Lte(v) => ("lte", v.clone()),
        Op::Between(a, b) => ("between", json!([a, b])),
        Op::Contains(s) => ("contains", json!(s)),
        Op::IsNull(b) => ("is_null", json!(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::parse_segment;

    #[test]
    fn json_round_trips_and_ignores_key_order() {
        let a = parse_segment(
            r#"{"all":[{"attr":{"lt":5000,"column":"points","gte":1000}},
                {"purchased":{"min_amount":12.5,"where":{"brand":["UR"]},"between":["2025-01-01","2025/3/31"]}},
                {"not":{"segment":"vip"}},{"rfm":{"f":[4,5],"segment":["loyal"]}}]}"#,
        )
        .expect("a");
        let b = parse_segment(&a.rule.canonical()).expect("b");
        assert_eq!(a.rule.canonical(), b.rule.canonical());
        assert_eq!(
            a.rule.canonical(),
            r#"{"all":[{"attr":{"column":"points","gte":1000,"lt":5000}},{"purchased":{"where":{"brand":["UR"]},"between":["2025-01-01","2025-03-31"],"min_count":1,"min_amount":12.5}},{"not":{"segment":"vip"}},{"rfm":{"segment":["loyal"],"f":[4,5]}}]}"#
        );
    }
}
