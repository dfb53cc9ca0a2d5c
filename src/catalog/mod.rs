//! The catalog of member columns: every value the engine computes per member (recency,
//! frequency, scores, stage, CLV, ...), each defined once — its id, kind and unit, its
//! English and Chinese labels, when it is missing, how it is computed (as a vector over
//! members) and its SQL. The rule evaluator (`metric` nodes), the exports, the SQL compiler,
//! the CLI's outputs and the page (through the vocabulary) all read it, so a new column is
//! one entry in [`entries`] and nothing else.

mod entries;
mod sql;
mod values;

pub use crate::text::Text;
pub use entries::COLUMNS;
pub use sql::SqlScope;
pub use values::{Ctx, Values};

use crate::metrics::lifecycle::{Stage, BUCKETS};
use crate::metrics::segments::{SegmentMap, PROSPECT};
use serde::Serialize;

/// The type of a column's values: how it compares in a rule and how exports write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ColumnKind")
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A whole number (days, counts, scores).
    Int,
    /// A real number.
    Num,
    /// Money, kept in cents; compared and shown in currency units.
    Money,
    /// A calendar day; compared with dates (`"2025-03-31"`).
    Date,
    /// One id of a closed set (a segment, a stage, a bucket); compared with `eq`, `ne`, `in`,
    /// `not_in`, `is_null`.
    Label,
}

/// The unit of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Days.
    Days,
    /// A count of purchases.
    Purchases,
    /// Currency units (yuan, dollars: whatever the file's amounts are in).
    Currency,
    /// A share in [0, 1].
    Share,
    /// Items (pieces) per purchase.
    Items,
    /// An RFM score from 1 to 5.
    Score,
    /// A probability in [0, 1].
    Probability,
    /// A calendar date.
    Date,
    /// An id of a closed set.
    Id,
}

impl Unit {
    /// Every unit, for the vocabulary.
    pub const ALL: [Unit; 9] = [
        Unit::Days,
        Unit::Purchases,
        Unit::Currency,
        Unit::Share,
        Unit::Items,
        Unit::Score,
        Unit::Probability,
        Unit::Date,
        Unit::Id,
    ];

    /// The unit's id (as serialised) and label.
    pub fn word(self) -> crate::text::Word {
        use crate::text::Word;
        match self {
            Unit::Days => Word::new("days", "days", "天"),
            Unit::Purchases => Word::new("purchases", "purchases", "次"),
            Unit::Currency => Word::new("currency", "currency units", "元"),
            Unit::Share => Word::new("share", "share (0–1)", "占比（0–1）"),
            Unit::Items => Word::new("items", "items per purchase", "件/单"),
            Unit::Score => Word::new("score", "score (1–5)", "分（1–5）"),
            Unit::Probability => Word::new("probability", "probability (0–1)", "概率（0–1）"),
            Unit::Date => Word::new("date", "date", "日期"),
            Unit::Id => Word::new("id", "category", "类别"),
        }
    }
}

/// Where a label column's ids come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ColumnDomain")
)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// The segments of the RFM segment map in use, and `prospect`.
    Segments,
    /// The lifecycle stages.
    Stages,
    /// The onboarding buckets of days (`0-3`, `4-7`, ..., `>90`).
    Buckets,
}

impl Domain {
    /// The ids a value may take under `map`.
    pub fn ids(self, map: &SegmentMap) -> Vec<&str> {
        match self {
            Domain::Segments => map
                .segments
                .iter()
                .map(|s| s.id.as_str())
                .chain([PROSPECT])
                .collect(),
            Domain::Stages => Stage::ALL.iter().map(|s| s.id()).collect(),
            Domain::Buckets => BUCKETS.iter().map(|b| b.id).collect(),
        }
    }
}

/// What a column is computed from, which decides what a query or a cache depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The per-member base over the orders (SPEC §2).
    Base,
    /// RFM scores and segments.
    Rfm,
    /// Lifecycle stages.
    Lifecycle,
    /// The base and the members' join dates.
    Members,
    /// The fitted CLV model (BG/NBD + Gamma-Gamma); no SQL form.
    Clv,
}

/// One member column.
#[derive(Debug)]
pub struct MemberColumn {
    /// The id used in rules, exports, SQL and the API.
    pub id: &'static str,
    /// How values compare and are written.
    pub kind: Kind,
    /// The unit of the values.
    pub unit: Unit,
    /// The column's name for people.
    pub label: Text,
    /// How it is computed, in a sentence.
    pub help: Text,
    /// When a member has no value (`None`: every member has one).
    pub missing: Option<Text>,
    /// What it is computed from.
    pub source: Source,
    /// The ids of a [`Kind::Label`] column.
    pub domain: Option<Domain>,
    /// Computes the column over every member.
    compute: for<'a> fn(&Ctx<'a>) -> crate::Result<Values<'a>>,
    /// The column as a SQL expression over one row per member, in the units a rule compares
    /// (currency units, days, day numbers for dates, ids for labels); `None` when the column
    /// has no SQL form.
    sql: Option<fn(&mut dyn SqlScope) -> String>,
}

impl MemberColumn {
    /// The column's values for every member of the context's dataset.
    pub fn values<'a>(&self, ctx: &Ctx<'a>) -> crate::Result<Values<'a>> {
        (self.compute)(ctx)
    }

    /// The column as a SQL expression (see [`SqlScope`]), or `None` when it has no SQL form
    /// (the CLV predictions need the fitted model).
    pub fn sql(&self, scope: &mut dyn SqlScope) -> Option<String> {
        self.sql.map(|f| f(scope))
    }

    /// Whether the column compiles to SQL.
    pub fn has_sql(&self) -> bool {
        self.sql.is_some()
    }
}

/// Columns are one entry each: the same id is the same column.
impl PartialEq for MemberColumn {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// The column `id`, if the catalog has it.
pub fn get(id: &str) -> Option<&'static MemberColumn> {
    COLUMNS.iter().find(|c| c.id == id)
}

/// Every column id, in catalog order.
pub fn ids() -> impl Iterator<Item = &'static str> + Clone {
    COLUMNS.iter().map(|c| c.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_labelled_in_both_languages() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert!(COLUMNS[..i].iter().all(|o| o.id != c.id), "{} twice", c.id);
            for t in [c.label, c.help].into_iter().chain(c.missing) {
                assert!(
                    !t.en.trim().is_empty() && !t.zh.trim().is_empty(),
                    "{}",
                    c.id
                );
                assert!(
                    t.zh.chars()
                        .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                    "{}: {}",
                    c.id,
                    t.zh
                );
            }
            assert_eq!(c.kind == Kind::Label, c.domain.is_some(), "{}", c.id);
            assert_eq!(c.source == Source::Clv, !c.has_sql(), "{}", c.id);
        }
    }
}
