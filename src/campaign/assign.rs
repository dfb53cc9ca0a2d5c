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
    /// The members of each stratum (indexes of `strata`), in assignment order: control first.
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

/// Assigns the members of `audience` (their stratum values given by `stratum(m)`, or one
/// stratum when `stratified` is false) with a holdout of `bp` basis points.
pub fn assign(
    ds: &Dataset,
    audience: &RoaringBitmap,
    stratified: bool,
    stratum: impl Fn(u32) -> Option<String>,
    salt: &str,
    bp: u32,
) -> Assignment {
    let mut by: std::collections::BTreeMap<Option<String>, Vec<([u8; 32], u32)>> =
        std::collections::BTreeMap::new();
    for m in audience {
        let s = if stratified { stratum(m) } else { None };
        by.entry(s).or_default().push((key(salt, ds.id(m)), m));
    }
    // BTreeMap orders None first: members without a value go last.
    let mut entries: Vec<_> = by.into_iter().collect();
    if entries.first().is_some_and(|(s, _)| s.is_none()) && stratified {
        entries.rotate_left(1);
    }
    let mut strata = Vec::with_capacity(entries.len());
    let mut members = Vec::with_capacity(entries.len());
    for (value, mut keyed) in entries {
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| ds.id(a.1).cmp(ds.id(b.1))));
        let n = keyed.len() as u64;
        let c = control_size(bp, n);
        strata.push(Stratum {
            stratum: value,
            members: n,
            treatment: n - c,
            control: c,
        });
        members.push(keyed.into_iter().map(|(_, m)| m).collect());
    }
    Assignment { strata, members }
}
