//! Lifecycle stages (SPEC §2): prospect, new, active, dormant (沉睡), churned (流失), and
//! the onboarding buckets of days since joining and since the first purchase.

use super::base::MemberBase;
use crate::dataset::{Attr, Dataset};
use crate::error::{Error, Result};
use crate::load::coerce::format_day;
use serde::{Deserialize, Serialize};

/// A member's lifecycle stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// No purchase.
    Prospect,
    /// First purchase less than `new_days` ago.
    New,
    /// Last purchase less than `dormant_after` days ago.
    Active,
    /// Last purchase less than `churn_after` days ago (沉睡).
    Dormant,
    /// Last purchase `churn_after` or more days ago (流失).
    Churned,
}

impl Stage {
    /// All stages in funnel order.
    pub const ALL: [Stage; 5] = [
        Stage::Prospect,
        Stage::New,
        Stage::Active,
        Stage::Dormant,
        Stage::Churned,
    ];

    /// The stage id used in rules and outputs.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::New => "new",
            Stage::Active => "active",
            Stage::Dormant => "dormant",
            Stage::Churned => "churned",
        }
    }

    /// Parses a stage id.
    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.id() == s)
    }

    /// The stage's label in both languages.
    pub fn label(self) -> crate::text::Text {
        let en = match self {
            Stage::Prospect => "Prospect",
            Stage::New => "New",
            Stage::Active => "Active",
            Stage::Dormant => "Dormant",
            Stage::Churned => "Churned",
        };
        crate::text::Text::new(en, self.label_zh())
    }

    /// The Chinese display name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Prospect => "潜在客户",
            Stage::New => "新客",
            Stage::Active => "活跃",
            Stage::Dormant => "沉睡",
            Stage::Churned => "流失",
        }
    }
}

/// Stage thresholds in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "LifecycleThresholds")
)]
#[serde(default, rename_all = "camelCase")]
pub struct LifecycleOptions {
    /// A member is `new` while `as_of - first purchase < new_days`.
    pub new_days: u32,
    /// `active` while days since last purchase < `dormant_after`.
    pub dormant_after: u32,
    /// `dormant` while days since last purchase < `churn_after`, else `churned`.
    pub churn_after: u32,
}

impl Default for LifecycleOptions {
    fn default() -> Self {
        LifecycleOptions {
            new_days: 30,
            dormant_after: 90,
            churn_after: 180,
        }
    }
}

impl LifecycleOptions {
    /// Checks that the thresholds are ordered.
    pub fn validate(&self) -> Result<()> {
        if self.dormant_after > self.churn_after {
            return Err(Error::option(format!(
                "dormant_after ({}) must not exceed churn_after ({})",
                self.dormant_after, self.churn_after
            )));
        }
        Ok(())
    }
}

/// The stage of a member whose first and last purchases (if any) are `first` and `last`.
pub fn stage_of(
    first: Option<i32>,
    last: Option<i32>,
    as_of: i32,
    opts: &LifecycleOptions,
) -> Stage {
    match (first, last) {
        (Some(first), Some(last)) => {
            let d = i64::from(as_of) - i64::from(last);
            if i64::from(as_of) - i64::from(first) < i64::from(opts.new_days) {
                Stage::New
            } else if d < i64::from(opts.dormant_after) {
                Stage::Active
            } else if d < i64::from(opts.churn_after) {
                Stage::Dormant
            } else {
                Stage::Churned
            }
        }
        _ => Stage::Prospect,
    }
}

/// The stage of every member.
pub fn stages(base: &MemberBase, opts: &LifecycleOptions) -> Vec<Stage> {
    (0..base.frequency.len())
        .map(|m| stage_of(base.first[m], base.last[m], base.as_of, opts))
        .collect()
}

/// Each member's stage at `as_of` read from the orders (sorted by day within a member):
/// the first and last purchase in `(as_of - window_days, as_of]` found by binary search,
/// without a pass over every order. Equal to [`stages`] of the base of the same `as_of` and
/// window.
pub fn stages_at(
    ds: &Dataset,
    as_of: i32,
    window_days: Option<u32>,
    opts: &LifecycleOptions,
) -> Vec<Stage> {
    let start = window_days.map_or(i32::MIN, |w| as_of.saturating_sub(w as i32));
    let o = &ds.orders;
    (0..ds.len())
        .map(|m| {
            let r = o.range(m as u32);
            let days = &o.day[r.clone()];
            let lo = r.start + days.partition_point(|&d| d <= start);
            let hi = r.start + days.partition_point(|&d| d <= as_of);
            let purchase = |i: &usize| o.cents[*i] > 0;
            let first = (lo..hi).find(purchase).map(|i| o.day[i]);
            let last = (lo..hi).rev().find(purchase).map(|i| o.day[i]);
            stage_of(first, last, as_of, opts)
        })
        .collect()
}

/// A range of days (both ends included; `max = None` is open-ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayBucket {
    /// The bucket's name: `0-3`, `4-7`, `8-15`, `16-30`, `31-60`, `61-90`, `>90`.
    pub id: &'static str,
    /// First day of the bucket.
    pub min: u32,
    /// Last day of the bucket, if bounded.
    pub max: Option<u32>,
}

/// Onboarding buckets of days since an event, where day 0 is the event's own day
/// (`as_of - event day`): 0-3, 4-7, 8-15, 16-30, 31-60, 61-90, >90 (91 and more).
pub const BUCKETS: [DayBucket; 7] = [
    DayBucket {
        id: "0-3",
        min: 0,
        max: Some(3),
    },
    DayBucket {
        id: "4-7",
        min: 4,
        max: Some(7),
    },
    DayBucket {
        id: "8-15",
        min: 8,
        max: Some(15),
    },
    DayBucket {
        id: "16-30",
        min: 16,
        max: Some(30),
    },
    DayBucket {
        id: "31-60",
        min: 31,
        max: Some(60),
    },
    DayBucket {
        id: "61-90",
        min: 61,
        max: Some(90),
    },
    DayBucket {
        id: ">90",
        min: 91,
        max: None,
    },
];

/// The index in [`BUCKETS`] of `days` since an event (none for a negative number: an event
/// after `as_of`).
pub fn bucket_of(days: i32) -> Option<usize> {
    if days < 0 {
        return None;
    }
    let d = days as u32;
    BUCKETS
        .iter()
        .position(|b| d >= b.min && b.max.is_none_or(|max| d <= max))
}

/// Days since joining per member (`as_of - join date`; none without a join date).
pub fn join_days(ds: &Dataset, as_of: i32) -> Vec<Option<i32>> {
    match ds.attrs.get("join_day") {
        Some(Attr::Date(days)) => days.iter().map(|d| d.map(|d| as_of - d)).collect(),
        _ => vec![None; ds.len()],
    }
}

/// Members of one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StageCount {
    /// Stage id.
    pub stage: &'static str,
    /// Chinese display name.
    pub label_zh: &'static str,
    /// Members in the stage.
    pub members: u64,
    /// `members` / all members (0 when there are none).
    pub share: f64,
}

/// Members of one onboarding bucket, with their stages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BucketCount {
    /// Bucket id (`0-3` ... `>90`).
    pub bucket: &'static str,
    /// First day of the bucket.
    pub min: u32,
    /// Last day of the bucket (none for `>90`).
    pub max: Option<u32>,
    /// Members in the bucket.
    pub members: u64,
    /// Of those, members per stage id.
    pub stages: std::collections::BTreeMap<&'static str, u64>,
}

/// Lifecycle overview: members per stage and per onboarding bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "LifecycleResult")
)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleSummary {
    /// The reference date.
    pub as_of: String,
    /// The thresholds used.
    pub thresholds: LifecycleOptions,
    /// Every member (of the members table or of any order).
    pub members: u64,
    /// Members per stage, in funnel order.
    pub stages: Vec<StageCount>,
    /// Members per bucket of days since joining (members with a join date on or before
    /// `as_of`).
    pub days_since_join: Vec<BucketCount>,
    /// Members without a join date.
    pub no_join_date: u64,
    /// Members whose join date is after `as_of`.
    pub joined_after_as_of: u64,
    /// Members per bucket of days since the first purchase (members with a purchase).
    pub days_since_first_purchase: Vec<BucketCount>,
}

/// Counts per stage and per bucket.
pub fn summary(
    ds: &Dataset,
    base: &MemberBase,
    stages: &[Stage],
    opts: &LifecycleOptions,
) -> LifecycleSummary {
    let n = stages.len();
    let mut per_stage = [0u64; 5];
    let empty = || -> Vec<(u64, [u64; 5])> { vec![(0, [0; 5]); BUCKETS.len()] };
    let (mut join, mut first) = (empty(), empty());
    let (mut no_join, mut after) = (0u64, 0u64);
    let joined = join_days(ds, base.as_of);
    for m in 0..n {
        let s = stages[m] as usize;
        per_stage[s] += 1;
        match joined[m] {
            None => no_join += 1,
            Some(d) => match bucket_of(d) {
                Some(b) => {
                    join[b].0 += 1;
                    join[b].1[s] += 1;
                }
                None => after += 1,
            },
        }
        if let Some(b) = base.first[m].and_then(|f| bucket_of(base.as_of - f)) {
            first[b].0 += 1;
            first[b].1[s] += 1;
        }
    }
    let buckets = |counts: Vec<(u64, [u64; 5])>| -> Vec<BucketCount> {
        BUCKETS
            .iter()
            .zip(counts)
            .map(|(b, (members, st))| BucketCount {
                bucket: b.id,
                min: b.min,
                max: b.max,
                members,
                stages: Stage::ALL
                    .iter()
                    .map(|s| (s.id(), st[*s as usize]))
                    .collect(),
            })
            .collect()
    };
    LifecycleSummary {
        as_of: format_day(base.as_of),
        thresholds: *opts,
        members: n as u64,
        stages: Stage::ALL
            .iter()
            .map(|s| StageCount {
                stage: s.id(),
                label_zh: s.label_zh(),
                members: per_stage[*s as usize],
                share: if n == 0 {
                    0.0
                } else {
                    per_stage[*s as usize] as f64 / n as f64
                },
            })
            .collect(),
        days_since_join: buckets(join),
        no_join_date: no_join,
        joined_after_as_of: after,
        days_since_first_purchase: buckets(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_edges_are_inclusive() {
        let cases = [
            (0, "0-3"),
            (3, "0-3"),
            (4, "4-7"),
            (7, "4-7"),
            (8, "8-15"),
            (15, "8-15"),
            (16, "16-30"),
            (30, "16-30"),
            (31, "31-60"),
            (60, "31-60"),
            (61, "61-90"),
            (90, "61-90"),
            (91, ">90"),
            (5000, ">90"),
        ];
        for (d, want) in cases {
            assert_eq!(bucket_of(d).map(|b| BUCKETS[b].id), Some(want), "{d}");
        }
        assert_eq!(bucket_of(-1), None);
    }
}
