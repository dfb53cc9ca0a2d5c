//! Evaluation of a rule tree to the set of matching members (a bitmap over the member index),
//! node by node through an optional [`SegmentCache`]: a node whose canonical JSON was
//! evaluated before is not evaluated again.

use super::ast::{Node, Segment};
use super::cache::{Deps, SegmentCache};
use super::{leaves, purchased};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::metrics::Analysis;
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Evaluates rules over one dataset and one analysis (as_of, RFM, lifecycle).
pub struct Evaluator<'a> {
    ds: &'a Dataset,
    an: &'a Analysis,
    saved: &'a BTreeMap<String, Segment>,
    cache: Option<&'a mut SegmentCache>,
    /// The cache of an evaluator made without one: a node is evaluated once per evaluator.
    local: SegmentCache,
    /// Keys evaluated (not found in the cache) by this evaluator.
    fresh: HashSet<String>,
    /// Saved segments being evaluated, to catch a segment that refers to itself.
    stack: Vec<String>,
}

/// A node's member set with what it depends on and its cache key.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The members.
    pub set: Arc<RoaringBitmap>,
    /// What the set depends on besides the tables.
    pub deps: Deps,
    /// The node's canonical JSON.
    pub key: String,
}

impl<'a> Evaluator<'a> {
    /// An evaluator with saved segments available to `{"segment": name}` nodes, without a
    /// cache.
    pub fn new(ds: &'a Dataset, an: &'a Analysis, saved: &'a BTreeMap<String, Segment>) -> Self {
        Evaluator {
            ds,
            an,
            saved,
            cache: None,
            local: SegmentCache::new(),
            fresh: HashSet::new(),
            stack: Vec::new(),
        }
    }

    /// An evaluator that reads and fills `cache`. The cache must belong to this dataset and,
    /// for the sets that read it, this analysis (the [`crate::Session`] sees to that).
    pub fn with_cache(
        ds: &'a Dataset,
        an: &'a Analysis,
        saved: &'a BTreeMap<String, Segment>,
        cache: &'a mut SegmentCache,
    ) -> Self {
        Evaluator {
            cache: Some(cache),
            ..Self::new(ds, an, saved)
        }
    }

    /// The dataset evaluated over.
    pub fn dataset(&self) -> &'a Dataset {
        self.ds
    }

    /// The members of a segment.
    pub fn members(&mut self, segment: &Segment) -> Result<RoaringBitmap> {
        Ok(Arc::unwrap_or_clone(self.node(&segment.rule, "rule")?.set))
    }

    /// Whether the node with this key was evaluated by this evaluator rather than found in
    /// the cache.
    pub fn was_evaluated(&self, key: &str) -> bool {
        self.fresh.contains(key)
    }

    /// The members of one node at JSON `path` (for messages), from the cache when there.
    pub fn node(&mut self, node: &Node, path: &str) -> Result<Evaluated> {
        let key = node.canonical();
        if let Some((set, deps)) = self.cache().get(&key) {
            return Ok(Evaluated { set, deps, key });
        }
        let (set, deps) = self.compute(node, path)?;
        let set = Arc::new(set);
        self.cache().insert(key.clone(), Arc::clone(&set), deps);
        self.fresh.insert(key.clone());
        Ok(Evaluated { set, deps, key })
    }

    fn cache(&mut self) -> &mut SegmentCache {
        match self.cache.as_deref_mut() {
            Some(c) => c,
            None => &mut self.local,
        }
    }

    fn compute(&mut self, node: &Node, path: &str) -> Result<(RoaringBitmap, Deps)> {
        let ds = self.ds;
        let analysis = Deps {
            analysis: true,
            saved: false,
        };
        Ok(match node {
            Node::All(nodes) => {
                let mut acc: Option<RoaringBitmap> = None;
                let mut deps = Deps::default();
                // Every child is evaluated, also after the set is empty: its errors count.
                for (i, n) in nodes.iter().enumerate() {
                    let e = self.node(n, &format!("{path}.all[{i}]"))?;
                    deps = deps.or(e.deps);
                    acc = Some(match acc {
                        Some(a) => a & e.set.as_ref(),
                        None => e.set.as_ref().clone(),
                    });
                }
                (acc.unwrap_or_else(|| ds.all_members()), deps)
            }
            Node::Any(nodes) => {
                let mut acc = RoaringBitmap::new();
                let mut deps = Deps::default();
                for (i, n) in nodes.iter().enumerate() {
                    let e = self.node(n, &format!("{path}.any[{i}]"))?;
                    deps = deps.or(e.deps);
                    acc |= e.set.as_ref();
                }
                (acc, deps)
            }
            Node::Not(inner) => {
                let e = self.node(inner, &format!("{path}.not"))?;
                (ds.all_members() - e.set.as_ref(), e.deps)
            }
            Node::Tags { mode, tags } => (
                leaves::tags(ds, *mode, tags, &format!("{path}.tags"))?,
                Deps::default(),
            ),
            Node::Attr { column, ops } => (
                leaves::attr(ds, column, ops, &format!("{path}.attr"))?,
                Deps::default(),
            ),
            Node::Rfm { segment, r, f, m } => (
                leaves::rfm(self.an, segment.as_deref(), r, f, m, &format!("{path}.rfm"))?,
                analysis,
            ),
            Node::Lifecycle(stages) => (
                leaves::lifecycle(self.an, stages, &format!("{path}.lifecycle"))?,
                analysis,
            ),
            Node::Metric { name, ops } => (
                leaves::metric(ds, self.an, name, ops, &format!("{path}.metric"))?,
                analysis,
            ),
            Node::Purchased {
                filter,
                period,
                min_count,
                min_amount,
            } => (
                purchased::purchased(
                    ds,
                    self.an.as_of,
                    &purchased::Purchased {
                        filter,
                        period,
                        min_count: *min_count,
                        min_amount: *min_amount,
                    },
                    &format!("{path}.purchased"),
                )?,
                analysis,
            ),
            Node::Saved(name) => {
                let p = format!("{path}.segment");
                let saved = self.saved;
                let Some(seg) = saved.get(name) else {
                    return Err(Error::rule(format!(
                        "{p}: unknown saved segment \"{name}\"{}",
                        did_you_mean(name, saved.keys().map(String::as_str))
                    )));
                };
                if self.stack.contains(name) {
                    return Err(Error::rule(format!(
                        "{p}: segment \"{name}\" refers to itself"
                    )));
                }
                self.stack.push(name.clone());
                let e = self.node(&seg.rule, &format!("{p}({name})"));
                self.stack.pop();
                let e = e?;
                (
                    e.set.as_ref().clone(),
                    e.deps.or(Deps {
                        analysis: false,
                        saved: true,
                    }),
                )
            }
        })
    }
}
