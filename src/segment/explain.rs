//! `explain`: the member count of every node of a rule and, under `all` and `any`, of the
//! running intersection (union) after each child, as a tree that mirrors the rule, so that
//! a rule builder can show where the audience shrinks.

use super::ast::{Node, Segment};
use super::eval::{Evaluated, Evaluator};
use crate::error::Result;
use roaring::RoaringBitmap;
use serde::Serialize;

/// One node of an explained rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExplainNode {
    /// JSON path of the node (`rule.all[2]`).
    pub path: String,
    /// Node type: `all`, `any`, `not`, `at`, `tags`, `attr`, `rfm`, `lifecycle`, `metric`,
    /// `purchased` or `segment`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Members matching this node alone.
    pub count: u64,
    /// For a child of `all` (`any`): members matching this child and every (any) child
    /// before it; `null` elsewhere.
    pub running: Option<u64>,
    /// The set came from the cache (the node was not evaluated for this request).
    pub cached: bool,
    /// The children, in rule order (`not` has one; `at` has one, its rule counted at the
    /// node's date, before the node keeps the members that exist then).
    pub children: Vec<ExplainNode>,
}

/// An explained segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ExplainResult")
)]
#[serde(rename_all = "camelCase")]
pub struct Explain {
    /// Members in the data (the universe a `not` complements).
    pub total: u64,
    /// Members of the whole rule (= `root.count`).
    pub count: u64,
    /// The explained rule.
    pub root: ExplainNode,
}

/// Explains a segment: evaluates it (through the evaluator's cache) and counts every node.
pub fn explain(ev: &mut Evaluator, segment: &Segment) -> Result<Explain> {
    // The whole rule first, so that the nodes it evaluates are told apart from cache hits.
    let root = ev.node(&segment.rule, "rule")?;
    let cached = !ev.was_evaluated(&root.key);
    let root = explain_node(ev, &segment.rule, "rule", root, cached)?;
    Ok(Explain {
        total: ev.dataset().len() as u64,
        count: root.count,
        root,
    })
}

fn explain_node(
    ev: &mut Evaluator,
    node: &Node,
    path: &str,
    own: Evaluated,
    cached: bool,
) -> Result<ExplainNode> {
    let mut children = Vec::new();
    match node {
        Node::All(nodes) | Node::Any(nodes) => {
            let all = matches!(node, Node::All(_));
            let key = if all { "all" } else { "any" };
            let mut acc: Option<RoaringBitmap> = None;
            for (i, n) in nodes.iter().enumerate() {
                let (child, set) = child(ev, n, &format!("{path}.{key}[{i}]"))?;
                let next = match acc {
                    None => set.as_ref().clone(),
                    Some(a) if all => a & set.as_ref(),
                    Some(a) => a | set.as_ref(),
                };
                children.push(ExplainNode {
                    running: Some(next.len()),
                    ..child
                });
                acc = Some(next);
            }
        }
        Node::Not(inner) => children.push(child(ev, inner, &format!("{path}.not"))?.0),
        // The rule inside an `at` node, counted at the node's date (before the node keeps
        // the members that exist then).
        Node::At { when, rule } => {
            let p = format!("{path}.at");
            let (inner, _) = ev.within_at(*when, &p, |inner| {
                child(inner, rule, &format!("{p}.rule")).map(|(n, _)| n)
            })?;
            children.push(inner);
        }
        _ => {}
    }
    Ok(ExplainNode {
        path: path.to_string(),
        kind: node.kind(),
        count: own.set.len(),
        running: None,
        cached,
        children,
    })
}

fn child(
    ev: &mut Evaluator,
    node: &Node,
    path: &str,
) -> Result<(ExplainNode, std::sync::Arc<RoaringBitmap>)> {
    let e = ev.node(node, path)?;
    let cached = !ev.was_evaluated(&e.key);
    let set = std::sync::Arc::clone(&e.set);
    Ok((explain_node(ev, node, path, e, cached)?, set))
}
