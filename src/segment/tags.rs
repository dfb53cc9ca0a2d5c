//! Tag intersections: how many members carry each tag, how a set of tags overlaps pairwise
//! (counts and Jaccard), and the UpSet view — the largest exclusive intersections of the set
//! (members with exactly these tags of the set) — each with the rule that selects it.

use super::ast::{Node, Segment, TagMode};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use roaring::RoaringBitmap;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The most tags a set may have (one bit each).
pub const MAX_SET: usize = 64;

/// What `tags` reports on.
#[derive(Debug, Clone, PartialEq)]
pub struct TagOptions {
    /// The tag set of the overlap matrix and the intersections (default: the `top` most
    /// frequent tags).
    pub tags: Option<Vec<String>>,
    /// Size of the default tag set.
    pub top: usize,
    /// Intersections listed, largest first.
    pub limit: usize,
}

impl Default for TagOptions {
    fn default() -> Self {
        TagOptions {
            tags: None,
            top: 8,
            limit: 20,
        }
    }
}

/// Members of one tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// Members with it.
    pub members: u64,
    /// `members` / members in the universe.
    pub share: f64,
}

/// One exclusive intersection of the tag set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "TagIntersection")
)]
#[serde(rename_all = "camelCase")]
pub struct Intersection {
    /// The tags of the set these members have (they have none of the others).
    pub tags: Vec<String>,
    /// Members.
    pub size: u64,
    /// `size` / members in the universe.
    pub share: f64,
    /// The segment that selects exactly these members (SPEC §3 JSON).
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Segment"))]
    pub rule: Value,
}

/// The tag report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TagReport {
    /// Members in the universe (everyone, or the members of the segment asked for).
    pub members: u64,
    /// Of them, members with at least one tag.
    pub tagged: u64,
    /// Every tag, most frequent first (ties by tag).
    pub frequency: Vec<TagCount>,
    /// The tag set of `overlap`, `jaccard` and `intersections`.
    pub set: Vec<String>,
    /// `overlap[i][j]` = members with tags i and j (the diagonal: members with tag i).
    pub overlap: Vec<Vec<u64>>,
    /// `jaccard[i][j]` = |i ∩ j| / |i ∪ j| (0 when both are empty).
    pub jaccard: Vec<Vec<f64>>,
    /// The largest exclusive intersections (at most `limit`), by size, then by set order.
    pub intersections: Vec<Intersection>,
    /// Non-empty exclusive intersections in all.
    pub intersection_count: u64,
    /// Members of the universe with none of the set's tags.
    pub with_none: u64,
}

/// The rule of an exclusive intersection: members with every tag of `include` and none of
/// `exclude` (`{"all": [{"tags": {"all": include}}, {"tags": {"none": exclude}}]}`, or the
/// one part that is not empty). Both empty is an error.
pub fn intersection_rule(include: &[String], exclude: &[String]) -> Result<Node> {
    let all = Node::Tags {
        mode: TagMode::All,
        tags: include.to_vec(),
    };
    let none = Node::Tags {
        mode: TagMode::None,
        tags: exclude.to_vec(),
    };
    Ok(match (include.is_empty(), exclude.is_empty()) {
        (true, true) => return Err(Error::rule("intersection: name at least one tag")),
        (false, true) => all,
        (true, false) => none,
        (false, false) => Node::All(vec![all, none]),
    })
}

/// The segment document of an exclusive intersection, named after its tags.
pub fn intersection_segment(include: &[String], exclude: &[String]) -> Result<Segment> {
    let name = if include.is_empty() {
        format!("none of {}", exclude.join(", "))
    } else if exclude.is_empty() {
        include.join(" + ")
    } else {
        format!("{} only", include.join(" + "))
    };
    Ok(Segment {
        version: 1,
        name,
        rule: intersection_rule(include, exclude)?,
    })
}

/// Tag frequency, overlap and intersections over `universe` (every member when `None`).
/// `within` is the rule the universe came from; intersection rules are confined to it.
pub fn report(
    ds: &Dataset,
    opts: &TagOptions,
    universe: Option<&RoaringBitmap>,
    within: Option<&Node>,
) -> Result<TagReport> {
    let everyone = ds.all_members();
    let universe = universe.unwrap_or(&everyone);
    let members = universe.len();
    let share = |n: u64| {
        if members == 0 {
            0.0
        } else {
            n as f64 / members as f64
        }
    };
    let in_universe: HashMap<&str, RoaringBitmap> = ds
        .tags
        .iter()
        .map(|(t, s)| (t.as_str(), s & universe))
        .collect();
    let mut frequency: Vec<TagCount> = in_universe
        .iter()
        .map(|(t, s)| TagCount {
            tag: t.to_string(),
            members: s.len(),
            share: share(s.len()),
        })
        .collect();
    frequency.sort_by(|a, b| b.members.cmp(&a.members).then_with(|| a.tag.cmp(&b.tag)));
    let tagged = in_universe
        .values()
        .fold(RoaringBitmap::new(), |acc, s| acc | s)
        .len();
    let set = choose_set(ds, opts, &frequency)?;
    let sets: Vec<&RoaringBitmap> = set.iter().map(|t| &in_universe[t.as_str()]).collect();
    let k = set.len();
    let mut overlap = vec![vec![0u64; k]; k];
    let mut jaccard = vec![vec![0f64; k]; k];
    for i in 0..k {
        for j in i..k {
            let both = sets[i].intersection_len(sets[j]);
            let either = sets[i].len() + sets[j].len() - both;
            let jac = if either == 0 {
                0.0
            } else {
                both as f64 / either as f64
            };
            overlap[i][j] = both;
            overlap[j][i] = both;
            jaccard[i][j] = jac;
            jaccard[j][i] = jac;
        }
    }
    // Each member's tags of the set as bits, then members per distinct combination.
    let mut masks: HashMap<u32, u64> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for m in s.iter() {
            *masks.entry(m).or_default() |= 1 << i;
        }
    }
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    for mask in masks.values() {
        *sizes.entry(*mask).or_default() += 1;
    }
    let with_none = members - masks.len() as u64;
    let mut combos: Vec<(u64, u64)> = sizes.into_iter().collect();
    // Largest first; ties by their tags' positions in the set (bit i = set[i]).
    let positions = |mask: u64| (0..k).filter(|i| mask & (1 << i) != 0).collect::<Vec<_>>();
    combos.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| positions(a.0).cmp(&positions(b.0)))
    });
    let intersection_count = combos.len() as u64;
    let intersections = combos
        .into_iter()
        .take(opts.limit)
        .map(|(mask, size)| {
            let include: Vec<String> = (0..k)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| set[i].clone())
                .collect();
            let exclude: Vec<String> = (0..k)
                .filter(|i| mask & (1 << i) == 0)
                .map(|i| set[i].clone())
                .collect();
            let mut seg = intersection_segment(&include, &exclude)?;
            if let Some(w) = within {
                seg.rule = Node::All(vec![w.clone(), seg.rule]);
            }
            Ok(Intersection {
                tags: include,
                size,
                share: share(size),
                rule: seg.to_value(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(TagReport {
        members,
        tagged,
        frequency,
        set,
        overlap,
        jaccard,
        intersections,
        intersection_count,
        with_none,
    })
}

/// The tag set asked for (checked: known, distinct, at most [`MAX_SET`]) or the `top` most
/// frequent tags.
fn choose_set(ds: &Dataset, opts: &TagOptions, frequency: &[TagCount]) -> Result<Vec<String>> {
    let Some(tags) = &opts.tags else {
        if opts.top > MAX_SET {
            return Err(Error::option(format!(
                "tags: top {} is more than {MAX_SET} tags",
                opts.top
            )));
        }
        return Ok(frequency
            .iter()
            .take(opts.top)
            .map(|t| t.tag.clone())
            .collect());
    };
    if tags.len() > MAX_SET {
        return Err(Error::option(format!(
            "tags: {} tags given, at most {MAX_SET}",
            tags.len()
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for (i, t) in tags.iter().enumerate() {
        let t = t.trim();
        if !ds.tags.contains_key(t) {
            return Err(Error::option(format!(
                "tags[{i}]: unknown tag \"{t}\"{}",
                did_you_mean(t, ds.tags.keys().map(String::as_str))
            )));
        }
        if out.iter().any(|o| o == t) {
            return Err(Error::option(format!("tags[{i}]: \"{t}\" is given twice")));
        }
        out.push(t.to_string());
    }
    Ok(out)
}
