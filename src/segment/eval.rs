//! Evaluation of a rule tree to the set of matching members (a bitmap over the member index),
//! node by node through an optional [`SegmentCache`]: a node whose canonical JSON was
//! evaluated before is not evaluated again.

use super::ast::{Node, Segment, When};
use super::cache::{Deps, SegmentCache};
use super::leaves::select as select_members;
use super::{leaves, purchased};
use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::format_day;
use crate::metrics::{Analysis, AnalysisOptions};
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
    /// Prefix of the cache keys: the date of the enclosing `at` node (empty at the top).
    prefix: String,
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
            prefix: String::new(),
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
        let key = format!("{}{}", self.prefix, node.canonical());
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
                leaves::rfm(
                    ds,
                    self.an,
                    segment.as_deref(),
                    r,
                    f,
                    m,
                    &format!("{path}.rfm"),
                )?,
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
            Node::At { when, rule } => {
                let (set, deps) = self.at(*when, rule, &format!("{path}.at"))?;
                (set, deps)
            }
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

impl Evaluator<'_> {
    /// An `at` node (SPEC §6): the rule evaluated with `as_of` = the node's date (the analysis
    /// of that date computed once and kept in the cache), intersected with the members that
    /// exist then. Its nodes are cached under the date.
    fn at(&mut self, when: When, rule: &Node, path: &str) -> Result<(RoaringBitmap, Deps)> {
        let (e, exists) = self.within_at(when, path, |inner| {
            inner.node(rule, &format!("{path}.rule"))
        })?;
        Ok((
            e.set.as_ref() & &exists,
            e.deps.or(Deps {
                analysis: true,
                saved: false,
            }),
        ))
    }

    /// Runs `f` with an evaluator at the date of an `at` node at JSON `path` (its analysis,
    /// this evaluator's cache under the date's key prefix); returns what `f` returns and the
    /// members that exist at the date. What the inner evaluator evaluated counts as
    /// evaluated by this one ([`Evaluator::was_evaluated`]).
    pub fn within_at<T>(
        &mut self,
        when: When,
        path: &str,
        f: impl FnOnce(&mut Evaluator<'_>) -> Result<T>,
    ) -> Result<(T, RoaringBitmap)> {
        let ds = self.ds;
        let day = when.day(self.an.as_of);
        check_day(ds, day, self.an.as_of, path)?;
        let an = self.analysis_at(day)?;
        let exists = exists_at(ds, day);
        let mut inner = Evaluator::new(ds, &an, self.saved);
        inner.cache = self.cache.as_deref_mut();
        inner.stack = self.stack.clone();
        inner.prefix = format!("@{day}|");
        inner.fresh = std::mem::take(&mut self.fresh);
        let out = f(&mut inner);
        let fresh = std::mem::take(&mut inner.fresh);
        drop(inner);
        self.fresh = fresh;
        Ok((out?, exists))
    }

    /// The analysis at `day`: this evaluator's when it is its date, else the cache's or a new
    /// one with the same options.
    fn analysis_at(&mut self, day: i32) -> Result<Arc<Analysis>> {
        if let Some(an) = self.cache().analysis_at(day) {
            return Ok(an);
        }
        let options = AnalysisOptions {
            as_of: Some(day),
            ..self.an.options.clone()
        };
        let an = Arc::new(Analysis::new(self.ds, &options)?);
        self.cache().keep_analysis(day, Arc::clone(&an));
        Ok(an)
    }
}

/// An `at` date the data can answer: not before the first order or join date, not after the
/// last order (or `as_of`, when later).
fn check_day(ds: &Dataset, day: i32, as_of: i32, path: &str) -> Result<()> {
    let first = [ds.orders.earliest_day, first_join(ds)]
        .into_iter()
        .flatten()
        .min();
    let last = ds.latest_day.map_or(as_of, |l| l.max(as_of));
    if let Some(first) = first.filter(|&f| day < f) {
        return Err(Error::rule(format!(
            "{path}: {} is before the data begins ({})",
            format_day(day),
            format_day(first)
        )));
    }
    if day > last {
        return Err(Error::rule(format!(
            "{path}: {} is after the data ends ({})",
            format_day(day),
            format_day(last)
        )));
    }
    Ok(())
}

/// The earliest join date of the members table, if any.
fn first_join(ds: &Dataset) -> Option<i32> {
    match ds.attrs.get("join_day") {
        Some(Attr::Date(days)) => days.iter().flatten().copied().min(),
        _ => None,
    }
}

/// Members that exist at `day` (SPEC §6), as a set.
pub fn exists_at(ds: &Dataset, day: i32) -> RoaringBitmap {
    let exists = crate::metrics::movement::existing(ds, day);
    select_members(ds.len(), |m| exists[m])
}
