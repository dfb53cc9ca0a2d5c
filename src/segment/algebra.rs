//! Segment algebra: how two audiences overlap, and the audience difference as a count and
//! as a rule.

use super::ast::{Node, Segment};
use roaring::RoaringBitmap;
use serde::Serialize;
use serde_json::Value;

/// The overlap of two audiences A and B.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "OverlapResult")
)]
#[serde(rename_all = "camelCase")]
pub struct Overlap {
    /// |A|.
    pub a: u64,
    /// |B|.
    pub b: u64,
    /// |A ∩ B|.
    pub both: u64,
    /// |A ∪ B|.
    pub either: u64,
    /// |A \ B|.
    pub only_a: u64,
    /// |B \ A|.
    pub only_b: u64,
    /// |A ∩ B| / |A ∪ B| (0 when both are empty).
    pub jaccard: f64,
}

/// The overlap of `a` and `b`.
pub fn overlap(a: &RoaringBitmap, b: &RoaringBitmap) -> Overlap {
    let both = a.intersection_len(b);
    let either = a.len() + b.len() - both;
    Overlap {
        a: a.len(),
        b: b.len(),
        both,
        either,
        only_a: a.len() - both,
        only_b: b.len() - both,
        jaccard: if either == 0 {
            0.0
        } else {
            both as f64 / either as f64
        },
    }
}

/// The audience difference A minus B.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "DifferenceResult")
)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Members of A that are not in B.
    pub count: u64,
    /// The segment `{"all": [A, {"not": B}]}` (SPEC §3 JSON), named "A minus B".
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Segment"))]
    pub rule: Value,
}

/// The segment of the members of `a` that are not in `b`.
pub fn difference_segment(a: &Segment, b: &Segment) -> Segment {
    Segment {
        version: 1,
        name: format!("{} minus {}", a.name, b.name),
        rule: Node::All(vec![a.rule.clone(), Node::Not(Box::new(b.rule.clone()))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_counts_follow_the_sets() {
        let a: RoaringBitmap = (0..10).collect();
        let b: RoaringBitmap = (5..20).collect();
        let o = overlap(&a, &b);
        assert_eq!(
            (o.a, o.b, o.both, o.either, o.only_a, o.only_b),
            (10, 15, 5, 20, 5, 10)
        );
        assert_eq!(o.jaccard, 0.25);
        let e = overlap(&RoaringBitmap::new(), &RoaringBitmap::new());
        assert_eq!(e.jaccard, 0.0);
    }
}
