//! What evaluating a rule computes beyond member sets, for the memory estimate of a segment
//! step: per-member columns (metric and purchase leaves), member sets (every node), whether
//! a leaf needs the CLV model, and the member attributes its leaves read.

use super::ast::{Node, Segment};
use crate::catalog::{self, Source};
use std::collections::BTreeMap;

/// The work of a rule, counted over its nodes (saved segments included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleLoad {
    /// Per-member columns computed: one per metric or purchase leaf.
    pub columns: u64,
    /// Member sets made: one per node.
    pub sets: u64,
    /// Whether a leaf reads the CLV model (P(alive), expected purchases, CLV).
    pub clv: bool,
    /// Analyses at other dates: one per `at` node (SPEC §6).
    pub dates: u64,
    /// The member attributes `attr` leaves read (column names as written; built on first
    /// read, see [`crate::dataset::Attrs`]).
    pub attrs: Vec<String>,
}

/// Saved segments are followed this deep (deeper references are an error elsewhere).
const MAX_DEPTH: usize = 32;

/// The work of evaluating `rule`, with `saved` segments resolved by name.
pub fn rule_load(rule: &Node, saved: &BTreeMap<String, Segment>) -> RuleLoad {
    let mut load = RuleLoad::default();
    add(rule, saved, 0, &mut load);
    load
}

fn add(node: &Node, saved: &BTreeMap<String, Segment>, depth: usize, load: &mut RuleLoad) {
    load.sets += 1;
    match node {
        Node::All(children) | Node::Any(children) => {
            for c in children {
                add(c, saved, depth, load);
            }
        }
        Node::Not(child) => add(child, saved, depth, load),
        Node::At { rule, .. } => {
            load.dates += 1;
            add(rule, saved, depth, load);
        }
        Node::Metric { name, .. } => {
            load.columns += 1;
            load.clv |= catalog::get(name).is_some_and(|c| c.source == Source::Clv);
        }
        Node::Purchased { .. } => load.columns += 1,
        Node::Saved(name) => {
            if let Some(s) = saved.get(name).filter(|_| depth < MAX_DEPTH) {
                add(&s.rule, saved, depth + 1, load);
            }
        }
        Node::Attr { column, .. } => load.attrs.push(column.clone()),
        Node::Tags { .. } | Node::Rfm { .. } | Node::Lifecycle(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::parse_segment;

    #[test]
    fn counts_columns_sets_and_the_clv_model_through_saved_segments() {
        let inner = parse_segment(
            r#"{"name": "alive", "rule": {"metric": {"name": "p_alive", "gt": 0.5}}}"#,
        )
        .expect("rule");
        let saved = BTreeMap::from([("alive".to_string(), inner)]);
        let rule = parse_segment(
            r#"{"all": [{"metric": {"name": "monetary", "gt": 1}}, {"not": {"segment": "alive"}}, {"lifecycle": ["new"]}]}"#,
        )
        .expect("rule");
        let load = rule_load(&rule.rule, &saved);
        assert_eq!(load.columns, 2);
        assert_eq!(load.sets, 6);
        assert!(load.clv);
        assert!(!rule_load(&rule.rule, &BTreeMap::new()).clv);
    }
}
