//! Lifecycle stages (SPEC §2): prospect, new, active, dormant (沉睡), churned (流失).

use super::base::MemberBase;
use crate::error::{Error, Result};
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

/// The stage of every member.
pub fn stages(base: &MemberBase, opts: &LifecycleOptions) -> Vec<Stage> {
    (0..base.frequency.len())
        .map(|m| match (base.first[m], base.last[m]) {
            (Some(first), Some(last)) => {
                let d = base.as_of - last;
                if base.as_of - first < opts.new_days as i32 {
                    Stage::New
                } else if d < opts.dormant_after as i32 {
                    Stage::Active
                } else if d < opts.churn_after as i32 {
                    Stage::Dormant
                } else {
                    Stage::Churned
                }
            }
            _ => Stage::Prospect,
        })
        .collect()
}
