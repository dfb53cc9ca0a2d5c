//! The assignment of SPEC §7: within each stratum, members ordered by the SHA-256 of
//! `salt:member_id` (then by id), the first `c` form the control group, the rest the
//! treatment group, with `c = floor((h × n + 5000) / 10000)` for a holdout of `h` basis points
//! — integer arithmetic, so every engine (DuckDB, Spark) finds the same groups.

use crate::dataset::Dataset;
use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The assignment key of a member: SHA-256 of the UTF-8 bytes of `salt + ":" + member_id`
/// (its lowercase hex orders as these bytes do).
pub fn key(salt: &str, id: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(b":");
    h.update(id.as_bytes());
    h.finalize().into()
}

/// The control group's size in a stratum of `n` members for a holdout of `bp` basis points.
pub fn control_size(bp: u32, n: u64) -> u64 {
    (u64::from(bp) * n + 5_000) / 10_000
}

/// One stratum's sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "CampaignStratum")
)]
pub struct Stratum {
    /// The stratum's value (`null`: members without one, or the whole audience unstratified).
    pub stratum: Option<String>,
    /// Members.
    pub members: u64,
    /// Of them, in the treatment group.
    pub treatment: u64,
    /// Of them, in the control group.
    pub control: u64,
}

/// The groups of an audience.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The strata, by value (UTF-8 bytes), members without a value last; one stratum
    /// (`stratum: None`) when the campaign is not stratified.
    pub strata: Vec<Stratum>,
    /// The members of each stratum (indexes of `strata`): the control group first, in rank
    /// order (by key, then id), then the treatment group in member order.
    pub members: Vec<Vec<u32>>,
}

impl Assignment {
    /// The treatment and the control group as member sets.
    pub fn groups(&self) -> (RoaringBitmap, RoaringBitmap) {
        let (mut treatment, mut control) = (RoaringBitmap::new(), RoaringBitmap::new());
        for (s, members) in self.strata.iter().zip(&self.members) {
            let c = s.control as usize;
            control.extend(members[..c].iter().copied());
            treatment.extend(members[c..].iter().copied());
        }
        (treatment, control)
    }

    /// Members of the audience.
    pub fn len(&self) -> u64 {
        self.strata.iter().map(|s| s.members).sum()
    }

    /// Whether the audience is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The strata of an audience: each member's stratum as an index into `labels`.
#[derive(Debug, Clone, Default)]
pub struct Strata {
    /// The distinct values (`None`: members without one).
    pub labels: Vec<Option<String>>,
    /// Per audience member, in the audience's order, its index in `labels`.
    pub codes: Vec<u32>,
}

impl Strata {
    /// One stratum for everyone: an unstratified campaign.
    pub fn none(members: usize) -> Strata {
        Strata {
            labels: vec![None],
            codes: vec![0; members],
        }
    }

    /// The strata of `values` (one per audience member, in order; `None` or blank: missing),
    /// interned without a copy of each member's text.
    pub fn of<'v>(values: impl Iterator<Item = Option<std::borrow::Cow<'v, str>>>) -> Strata {
        let mut index: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        let mut labels: Vec<Option<String>> = Vec::new();
        let mut missing: Option<u32> = None;
        let codes = values
            .map(|v| match v.filter(|t| !t.trim().is_empty()) {
                Some(t) => match index.get(t.as_ref()) {
                    Some(&c) => c,
                    None => {
                        let c = labels.len() as u32;
                        labels.push(Some(t.to_string()));
                        index.insert(t.into_owned(), c);
                        c
                    }
                },
                None => *missing.get_or_insert_with(|| {
                    labels.push(None);
                    labels.len() as u32 - 1
                }),
            })
            .collect();
        Strata { labels, codes }
    }
}

/// Assigns the members of `audience` (in its order, their strata in `strata`) with a
/// holdout of `bp` basis points.
pub fn assign(
    ds: &Dataset,
    audience: &RoaringBitmap,
    strata: &Strata,
    salt: &str,
    bp: u32,
) -> Assignment {
    let mut buckets: Vec<Vec<([u8; 32], u32)>> = vec![Vec::new(); strata.labels.len()];
    for (m, &code) in audience.iter().zip(&strata.codes) {
        buckets[code as usize].push((key(salt, ds.id(m)), m));
    }
    // Strata by value (UTF-8 bytes), members without one last.
    let mut order: Vec<usize> = (0..strata.labels.len()).collect();
    order.sort_by(|&a, &b| match (&strata.labels[a], &strata.labels[b]) {
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let rank = |a: &([u8; 32], u32), b: &([u8; 32], u32)| {
        a.0.cmp(&b.0)
            .then_with(|| ds.id(a.1).as_bytes().cmp(ds.id(b.1).as_bytes()))
    };
    let mut out = Assignment {
        strata: Vec::new(),
        members: Vec::new(),
    };
    for i in order {
        let mut keyed = std::mem::take(&mut buckets[i]);
        if keyed.is_empty() {
            continue;
        }
        let n = keyed.len() as u64;
        let c = control_size(bp, n) as usize;
        // The first c by rank are the control group: select them, then rank only them.
        if c > 0 && c < keyed.len() {
            keyed.select_nth_unstable_by(c - 1, rank);
        }
        keyed[..c].sort_unstable_by(rank);
        // The treatment group in member order: a readout walks the orders member by member.
        keyed[c..].sort_unstable_by_key(|&(_, m)| m);
        out.strata.push(Stratum {
            stratum: strata.labels[i].clone(),
            members: n,
            treatment: n - c as u64,
            control: c as u64,
        });
        out.members
            .push(keyed.into_iter().map(|(_, m)| m).collect());
    }
    out
}
