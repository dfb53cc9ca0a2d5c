//! The vocabulary: every id the engine reads or writes that a person sees — node types,
//! operators, member columns, lifecycle stages, RFM segments and maps, presets, export
//! formats, ad profiles, table roles, column types ... — each with its labels in English and
//! Chinese, gathered from where each is defined. `lab.vocabulary()` and `audience-lab
//! vocabulary` give it as JSON; the page builds every list and label from it.

use crate::catalog::{self, Kind, MemberColumn};
use crate::dialect::DIALECTS;
use crate::error::{Error, Result};
use crate::export::ads::{MATCH_KEYS, PLATFORMS};
use crate::export::FORMATS;
use crate::load::read::TYPES;
use crate::load::roles::{required_roles, role_names, ROLE_WORDS};
use crate::load::table::{TableKind, TABLES};
use crate::metrics::cohort::{COHORT_BY, PERIODS};
use crate::metrics::kpi::KPI_WORDS;
use crate::metrics::lifecycle::{Stage, BUCKETS};
use crate::metrics::rfm::METHODS;
use crate::metrics::segments::{SegmentMap, PRESET_WORDS, PROSPECT, PROSPECT_LABEL};
use crate::segment::words::{LABEL_OPERATORS, NODE_TYPES, OPERATORS, PURCHASED_KEYS, TAG_MODES};
use crate::segment::{ast::segment_from_value, Segment};
use crate::text::{Text, Word};
use serde::{Deserialize, Serialize};

/// The presets of the builder: named segments that show what rules can do.
const PRESETS_JSON: &str = include_str!("presets.json");

/// A label in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct Label {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

impl From<Text> for Label {
    fn from(t: Text) -> Self {
        Label {
            en: t.en.to_string(),
            zh: t.zh.to_string(),
        }
    }
}

/// An id with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyEntry")
)]
pub struct Entry {
    /// The id.
    pub id: String,
    /// Its label.
    pub label: Label,
}

impl From<&Word> for Entry {
    fn from(w: &Word) -> Self {
        Entry {
            id: w.id.to_string(),
            label: w.label.into(),
        }
    }
}

fn entries(words: &[Word]) -> Vec<Entry> {
    words.iter().map(Entry::from).collect()
}

/// An operator and the column kinds it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyOperator")
)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    /// The operator's key in the rule JSON.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// Kinds of member columns it compares (`text` is a text attribute).
    pub applies_to: Vec<&'static str>,
}

/// A member column of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyColumn")
)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    /// Its id in rules, exports and SQL.
    pub id: String,
    /// Its name.
    pub label: Label,
    /// How it is computed.
    pub help: Label,
    /// When a member has no value (`None`: never missing).
    pub missing: Option<Label>,
    /// `int`, `num`, `money`, `date` or `label`.
    pub kind: Kind,
    /// The unit's id (see [`Vocabulary::units`]).
    pub unit: &'static str,
    /// Where a label column's ids come from: `segments`, `stages` or `buckets`.
    pub domain: Option<catalog::Domain>,
    /// Whether the column compiles to SQL.
    pub sql: bool,
}

impl From<&MemberColumn> for Column {
    fn from(c: &MemberColumn) -> Self {
        Column {
            id: c.id.to_string(),
            label: c.label.into(),
            help: c.help.into(),
            missing: c.missing.map(Label::from),
            kind: c.kind,
            unit: c.unit.word().id,
            domain: c.domain,
            sql: c.has_sql(),
        }
    }
}

/// One segment of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyMapSegment")
)]
pub struct MapSegment {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// R scores, both ends included.
    pub r: [u8; 2],
    /// F scores.
    pub f: [u8; 2],
    /// M scores.
    pub m: [u8; 2],
}

/// An RFM segment map preset with its segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularySegmentMap")
)]
pub struct Map {
    /// The preset's name.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// Its segments, in map order.
    pub segments: Vec<MapSegment>,
}

/// A role of a table's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyRole")
)]
pub struct Role {
    /// The role's name (SPEC §1).
    pub id: String,
    /// Its label.
    pub label: Label,
    /// Whether the table needs it.
    pub required: bool,
}

/// A table with the roles of its columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyTable")
)]
pub struct Table {
    /// `orders`, `members`, `member_tags` or `order_items`.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// Its roles in SPEC order.
    pub roles: Vec<Role>,
}

/// An export format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyFormat")
)]
pub struct Format {
    /// The id of `export({ format })`.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// The file extension.
    pub extension: String,
    /// The media type.
    pub mime: String,
}

/// An ad-platform list profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "VocabularyProfile")
)]
pub struct Profile {
    /// The id of `export({ profile })`.
    pub id: String,
    /// Its label.
    pub label: Label,
}

/// A preset segment of the builder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(rename = "Preset"))]
pub struct Preset {
    /// Its id.
    pub id: String,
    /// Its name.
    pub label: Label,
    /// What it selects and why.
    pub description: Label,
    /// The segment (SPEC §3 JSON).
    pub segment: serde_json::Value,
}

/// Every word of the engine with its labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    /// The format of this object.
    pub version: u32,
    /// Rule node types.
    pub node_types: Vec<Entry>,
    /// Comparison operators of `attr` and `metric` nodes.
    pub operators: Vec<Operator>,
    /// Modes of a `tags` node.
    pub tag_modes: Vec<Entry>,
    /// Keys of a `purchased` node.
    pub purchased_keys: Vec<Entry>,
    /// The member columns of the catalog (rules' `metric` nodes, exports, SQL).
    pub columns: Vec<Column>,
    /// Units of the columns.
    pub units: Vec<Entry>,
    /// Lifecycle stages in funnel order.
    pub stages: Vec<Entry>,
    /// The segment of members without a purchase.
    pub prospect: Entry,
    /// RFM segment map presets.
    pub segment_maps: Vec<Map>,
    /// RFM scoring methods.
    pub rfm_methods: Vec<Entry>,
    /// Onboarding buckets of days.
    pub buckets: Vec<Entry>,
    /// Cohort periods.
    pub cohort_periods: Vec<Entry>,
    /// What a cohort is formed by.
    pub cohort_by: Vec<Entry>,
    /// KPIs by their field in a KPI result.
    pub kpis: Vec<Entry>,
    /// Builder presets.
    pub presets: Vec<Preset>,
    /// Export formats.
    pub export_formats: Vec<Format>,
    /// Ad-platform list profiles.
    pub ad_profiles: Vec<Profile>,
    /// Match keys of the ad-platform lists.
    pub match_keys: Vec<Entry>,
    /// SQL dialects.
    pub dialects: Vec<Entry>,
    /// The reports `sql --report` and `lab.toSql({ report })` compile to SQL.
    pub sql_reports: Vec<Entry>,
    /// The tables of SPEC §1 with their roles.
    pub tables: Vec<Table>,
    /// Column types of load reports and previews.
    pub types: Vec<Entry>,
    /// The groups of a campaign (SPEC §7).
    pub campaign_arms: Vec<Entry>,
    /// The fields of a campaign readout and summary.
    pub campaign_words: Vec<Entry>,
}

/// The builder's presets, each segment parsed (an error names the preset).
pub fn presets() -> Result<Vec<(Preset, Segment)>> {
    let list: Vec<Preset> = serde_json::from_str(PRESETS_JSON)
        .map_err(|e| Error::internal(format!("presets.json: {e}")))?;
    list.into_iter()
        .map(|p| {
            let seg = segment_from_value(&p.segment)
                .map_err(|e| Error::internal(format!("preset {}: {e}", p.id)))?;
            Ok((p, seg))
        })
        .collect()
}

fn operator(w: &Word) -> Operator {
    let ordered = ["int", "num", "money", "date", "text"];
    let applies_to = match w.id {
        "contains" => vec!["text"],
        id if LABEL_OPERATORS.contains(&id) => {
            let mut all = ordered.to_vec();
            all.push("label");
            all
        }
        _ => ordered.to_vec(),
    };
    Operator {
        id: w.id.to_string(),
        label: w.label.into(),
        applies_to,
    }
}

fn map(word: &Word) -> Result<Map> {
    let m = SegmentMap::preset(word.id)?;
    Ok(Map {
        id: word.id.to_string(),
        label: word.label.into(),
        segments: m
            .segments
            .iter()
            .map(|s| MapSegment {
                id: s.id.clone(),
                label: Label {
                    en: s.label.clone(),
                    zh: s.label_zh.clone(),
                },
                r: [s.r.0, s.r.1],
                f: [s.f.0, s.f.1],
                m: [s.m.0, s.m.1],
            })
            .collect(),
    })
}

fn table(w: &Word) -> Result<Table> {
    let kind = TableKind::parse(w.id)?;
    let required = required_roles(kind);
    let roles = role_names(kind)
        .into_iter()
        .map(|id| {
            let label = crate::text::label_of(ROLE_WORDS, id)
                .ok_or_else(|| Error::internal(format!("role {id} has no label")))?;
            Ok(Role {
                id: id.to_string(),
                label: label.into(),
                required: required.contains(&id),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Table {
        id: w.id.to_string(),
        label: w.label.into(),
        roles,
    })
}

fn format(w: &Word) -> Result<Format> {
    let (f, ndjson) = crate::export::Format::parse(w.id)?;
    Ok(Format {
        id: w.id.to_string(),
        label: w.label.into(),
        extension: f.extension(ndjson).to_string(),
        mime: f.mime(ndjson).to_string(),
    })
}

/// The vocabulary.
pub fn vocabulary() -> Result<Vocabulary> {
    Ok(Vocabulary {
        version: 1,
        node_types: entries(NODE_TYPES),
        operators: OPERATORS.iter().map(operator).collect(),
        tag_modes: entries(TAG_MODES),
        purchased_keys: entries(PURCHASED_KEYS),
        columns: catalog::COLUMNS.iter().map(Column::from).collect(),
        units: catalog::Unit::ALL
            .iter()
            .map(|u| Entry::from(&u.word()))
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| Entry {
                id: s.id().to_string(),
                label: s.label().into(),
            })
            .collect(),
        prospect: Entry {
            id: PROSPECT.to_string(),
            label: PROSPECT_LABEL.into(),
        },
        segment_maps: PRESET_WORDS.iter().map(map).collect::<Result<_>>()?,
        rfm_methods: entries(&METHODS),
        buckets: BUCKETS
            .iter()
            .map(|b| Entry {
                id: b.id.to_string(),
                label: Label {
                    en: format!("{} days", b.id),
                    zh: format!("{} 天", b.id),
                },
            })
            .collect(),
        cohort_periods: entries(&PERIODS),
        cohort_by: entries(&COHORT_BY),
        kpis: entries(KPI_WORDS),
        campaign_arms: entries(&crate::campaign::ARMS),
        campaign_words: entries(&crate::campaign::READOUT_WORDS),
        presets: presets()?.into_iter().map(|(p, _)| p).collect(),
        export_formats: FORMATS.iter().map(format).collect::<Result<_>>()?,
        ad_profiles: PLATFORMS
            .iter()
            .map(|w| Profile {
                id: w.id.to_string(),
                label: w.label.into(),
            })
            .collect(),
        match_keys: entries(&MATCH_KEYS),
        dialects: entries(&DIALECTS),
        sql_reports: entries(&crate::segment::sql::REPORTS),
        tables: TABLES.iter().map(table).collect::<Result<_>>()?,
        types: entries(&TYPES),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_both_labels_and_every_list_is_complete() {
        let v = vocabulary().expect("vocabulary");
        let json = serde_json::to_value(&v).expect("json");
        // Every object with a `label` has both languages, non-empty.
        fn walk(v: &serde_json::Value, path: &str) {
            match v {
                serde_json::Value::Object(o) => {
                    if let Some(l) = o.get("label") {
                        for lang in ["en", "zh"] {
                            let t = l.get(lang).and_then(|t| t.as_str()).unwrap_or("");
                            assert!(!t.trim().is_empty(), "{path}.label.{lang}");
                        }
                    }
                    for (k, x) in o {
                        walk(x, &format!("{path}.{k}"));
                    }
                }
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(x, &format!("{path}[{i}]"));
                    }
                }
                _ => {}
            }
        }
        walk(&json, "vocabulary");
        assert_eq!(v.columns.len(), catalog::COLUMNS.len());
        assert_eq!(v.segment_maps.len(), 4);
        assert!(v.tables.iter().all(|t| t.roles.iter().any(|r| r.required)));
        assert_eq!(v.presets.len(), presets().expect("presets").len());
    }
}
