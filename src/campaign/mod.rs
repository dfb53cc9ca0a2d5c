//! Campaigns (SPEC §7): a campaign file names an audience, a launch date and a holdout share;
//! the members of the audience the day before launch are split into a treatment and a control
//! group by a hash of a salt and the member id ([`assign`]), and after launch the two groups'
//! purchases give the lift with its interval ([`readout`], [`stats`]).

pub mod assign;
pub mod readout;
pub mod sql;
pub mod stats;

use crate::error::{Error, Result};
use crate::load::coerce::{format_day, parse_date};
use crate::segment::ast::{segment_from_value, Node, Segment, When};
use crate::suggest::did_you_mean;
use serde_json::{json, Value};

/// The groups of a campaign, with their labels.
pub const ARMS: [crate::text::Word; 2] = [
    crate::text::Word::new("treatment", "Treatment (reached)", "实验组（触达）"),
    crate::text::Word::new("control", "Control (held out)", "对照组（不触达）"),
];

/// The fields of a readout: a group's numbers and a lift's, with their labels.
pub const READOUT_WORDS: [crate::text::Word; 17] = [
    crate::text::Word::new("members", "Members", "人数"),
    crate::text::Word::new("converters", "Converters", "转化人数"),
    crate::text::Word::new("purchases", "Purchases", "购买次数"),
    crate::text::Word::new("revenue", "Net revenue", "净收入"),
    crate::text::Word::new("conversion", "Conversion", "转化率"),
    crate::text::Word::new("revenue_per_member", "Revenue per member", "人均收入"),
    crate::text::Word::new("conversion_lift", "Conversion lift", "转化率提升"),
    crate::text::Word::new("revenue_lift", "Revenue per member lift", "人均收入提升"),
    crate::text::Word::new("diff", "Lift", "提升"),
    crate::text::Word::new("low", "95% interval, low", "95% 区间下限"),
    crate::text::Word::new("high", "95% interval, high", "95% 区间上限"),
    crate::text::Word::new("p_value", "p-value", "p 值"),
    crate::text::Word::new("relative", "Relative lift", "相对提升"),
    crate::text::Word::new("incremental", "Incremental revenue", "增量收入"),
    crate::text::Word::new("mde", "Minimum detectable effect", "最小可检测效应"),
    crate::text::Word::new("baseline_conversion", "Baseline conversion", "基线转化率"),
    crate::text::Word::new("stratum", "Stratum", "分层"),
];

/// The campaign file format version.
pub const CAMPAIGN_VERSION: u64 = 1;

/// The keys of a campaign file.
const KEYS: [&str; 8] = [
    "version",
    "name",
    "segment",
    "launch",
    "holdout",
    "salt",
    "stratify",
    "window_days",
];

/// A campaign (SPEC §7): rules and parameters, no member data.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// The campaign's name.
    pub name: String,
    /// The audience's segment (evaluated the day before launch).
    pub segment: Segment,
    /// The launch day (days since 1970-01-01).
    pub launch: i32,
    /// The holdout share in basis points: `round(holdout × 10000)`, 1 to 9999.
    pub holdout_bp: u32,
    /// The salt of the assignment hash.
    pub salt: String,
    /// The stratification: `stage`, `segment` or a member column; `None`: the whole audience.
    pub stratify: Option<String>,
    /// The readout window `[launch, launch + window_days)`.
    pub window_days: u32,
}

impl Campaign {
    /// The holdout share (`holdout_bp / 10000`).
    pub fn holdout(&self) -> f64 {
        f64::from(self.holdout_bp) / 10_000.0
    }

    /// The day before launch: the date of the audience and of `stage` / `segment` strata.
    pub fn audience_day(&self) -> i32 {
        self.launch - 1
    }

    /// The audience's segment: `{"at": {"date": launch - 1, "rule": the segment's rule}}`.
    pub fn audience(&self) -> Segment {
        Segment {
            version: 1,
            name: self.segment.name.clone(),
            rule: Node::At {
                when: When::Date(self.audience_day()),
                rule: Box::new(self.segment.rule.clone()),
            },
        }
    }

    /// The campaign file (pretty JSON, keys in SPEC §7's order).
    pub fn to_json(&self) -> String {
        let doc = json!({
            "version": CAMPAIGN_VERSION,
            "name": self.name,
            "segment": self.segment.to_value(),
            "launch": format_day(self.launch),
            "holdout": self.holdout(),
            "salt": self.salt,
            "stratify": self.stratify,
            "window_days": self.window_days,
        });
        // Serialising a Value cannot fail.
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Reads a campaign file; errors name the key (`campaign.holdout: ...`).
pub fn parse_campaign(text: &str) -> Result<Campaign> {
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::rule(format!("campaign JSON: {e}")))?;
    campaign_from_value(&doc)
}

/// Reads an already decoded campaign document.
pub fn campaign_from_value(doc: &Value) -> Result<Campaign> {
    let Some(obj) = doc.as_object() else {
        return Err(Error::rule(
            "campaign: expected an object {\"version\": 1, \"segment\": ..., \"launch\": ..., ...}",
        ));
    };
    for key in obj.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(Error::rule(format!(
                "campaign: unknown key \"{key}\"{}",
                did_you_mean(key, KEYS.iter().copied())
            )));
        }
    }
    match obj.get("version") {
        None => return Err(Error::rule("campaign.version: missing (1)")),
        Some(v) if v.as_u64() == Some(CAMPAIGN_VERSION) => {}
        Some(v) => {
            return Err(Error::rule(format!(
            "campaign.version: {v}: this engine reads campaign files of version {CAMPAIGN_VERSION}"
        )))
        }
    }
    let name = match obj.get("name") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => return Err(Error::rule(format!("campaign.name: {v}: expected text"))),
    };
    let segment = match obj.get("segment") {
        None | Some(Value::Null) => return Err(Error::rule("campaign.segment: missing")),
        Some(v) => segment_from_value(v)
            .map_err(|e| Error::new(e.kind(), format!("campaign.segment: {}", e.message())))?,
    };
    let launch = match obj.get("launch") {
        Some(Value::String(s)) => parse_date(s)
            .ok_or_else(|| Error::rule(format!("campaign.launch: not a date: \"{s}\"")))?,
        None => return Err(Error::rule("campaign.launch: missing (YYYY-MM-DD)")),
        Some(v) => {
            return Err(Error::rule(format!(
                "campaign.launch: {v}: expected a date YYYY-MM-DD"
            )))
        }
    };
    let holdout_bp = match obj.get("holdout") {
        None => return Err(Error::rule("campaign.holdout: missing (a share, e.g. 0.1)")),
        Some(v) => holdout_bp(v)?,
    };
    let salt = match obj.get("salt") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        None => return Err(Error::rule("campaign.salt: missing")),
        Some(v) => {
            return Err(Error::rule(format!(
                "campaign.salt: {v}: expected non-empty text"
            )))
        }
    };
    let stratify = match obj.get("stratify") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(v) => {
            return Err(Error::rule(format!(
                "campaign.stratify: {v}: expected null, \"stage\", \"segment\" or a member column"
            )))
        }
    };
    let window_days = match obj.get("window_days") {
        None => return Err(Error::rule("campaign.window_days: missing")),
        Some(v) => match v.as_u64() {
            Some(n @ 1..=3660) => n as u32,
            _ => {
                return Err(Error::rule(format!(
                    "campaign.window_days: {v}: expected a whole number of days, 1 to 3660"
                )))
            }
        },
    };
    Ok(Campaign {
        name,
        segment,
        launch,
        holdout_bp,
        salt,
        stratify,
        window_days,
    })
}

/// A holdout share in basis points: a number strictly between 0 and 1 with at most four
/// decimal places.
pub fn holdout_bp(v: &Value) -> Result<u32> {
    let Some(h) = v.as_f64() else {
        return Err(Error::rule(format!(
            "campaign.holdout: {v}: expected a share between 0 and 1"
        )));
    };
    if !(h > 0.0 && h < 1.0) {
        return Err(Error::rule(format!(
            "campaign.holdout: {v}: must be between 0 and 1 (0.1 holds out 10% of the audience)"
        )));
    }
    let bp = (h * 10_000.0).round();
    if (h * 10_000.0 - bp).abs() > 1e-6 || !(1.0..=9_999.0).contains(&bp) {
        return Err(Error::rule(format!(
            "campaign.holdout: {v}: at most four decimal places"
        )));
    }
    Ok(bp as u32)
}
