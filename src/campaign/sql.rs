//! The assignment of SPEC §7 as one SQL query (DuckDB or Spark), so that a warehouse finds
//! the same groups: the audience is the segment's query at the day before launch, a `stage`
//! or `segment` stratum is the segment query of each value at that date, a member column is
//! read from `members`; members are ranked by the SHA-256 of `salt:member_id` within their
//! stratum and the first `floor((h × n + 5000) / 10000)` are the control group.

use super::Campaign;
use crate::dataset::{Attr, Dataset};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::load::coerce::format_day;
use crate::metrics::lifecycle::Stage;
use crate::metrics::segments::PROSPECT;
use crate::segment::ast::{Node, Segment, When};
use crate::segment::sql::{compile, SqlOptions};
use std::collections::BTreeMap;

/// The query of a campaign's groups: `member_id, stratum, arm` (`treatment` or `control`),
/// ordered as the engine assigns them.
pub fn campaign_sql(
    campaign: &Campaign,
    opts: &SqlOptions,
    saved: &BTreeMap<String, Segment>,
    ds: Option<&Dataset>,
) -> Result<String> {
    let d = opts.dialect;
    let indent = |q: &str| {
        q.lines()
            .filter(|l| !l.starts_with("--"))
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let audience = compile(&campaign.audience(), opts, saved, ds)?;
    let at = |rule: Node| Segment {
        version: 1,
        name: String::new(),
        rule: Node::At {
            when: When::Date(campaign.audience_day()),
            rule: Box::new(rule),
        },
    };
    let by_value = |values: Vec<(String, Node)>| -> Result<String> {
        let parts = values
            .into_iter()
            .map(|(v, rule)| {
                let q = compile(&at(rule), opts, saved, ds)?;
                Ok(format!(
                    "SELECT member_id, {} AS stratum FROM (\n{}\n) AS v",
                    d.string(&v),
                    indent(&q)
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(parts.join("\nUNION ALL\n"))
    };
    let strata = match campaign.stratify.as_deref() {
        None => None,
        Some("stage") => Some(by_value(
            Stage::ALL
                .iter()
                .map(|s| {
                    (
                        s.id().to_string(),
                        Node::Lifecycle(vec![s.id().to_string()]),
                    )
                })
                .collect(),
        )?),
        Some("segment") => {
            let map = &opts.analysis.segment_map;
            let ids = std::iter::once(PROSPECT.to_string())
                .chain(map.segments.iter().map(|s| s.id.clone()));
            Some(by_value(
                ids.map(|id| {
                    let rule = Node::Rfm {
                        segment: Some(vec![id.clone()]),
                        r: None,
                        f: None,
                        m: None,
                    };
                    (id, rule)
                })
                .collect(),
            )?)
        }
        Some(column) => Some(member_column(d, column, ds)?),
    };
    let text = d.text_type();
    let key = match d {
        Dialect::DuckDb => format!("sha256({} || ':' || a.member_id)", d.string(&campaign.salt)),
        Dialect::Spark => format!(
            "sha2(concat({}, ':', a.member_id), 256)",
            d.string(&campaign.salt)
        ),
    };
    let div = match d {
        Dialect::DuckDb => "//",
        Dialect::Spark => "DIV",
    };
    let (strata_cte, stratum, join) = match &strata {
        None => (
            String::new(),
            format!("CAST(NULL AS {text})"),
            String::new(),
        ),
        Some(q) => (
            format!("strata AS (\n{}\n),\n", indent(q)),
            "s.stratum".to_string(),
            "LEFT JOIN strata AS s ON s.member_id = a.member_id".to_string(),
        ),
    };
    Ok(format!(
        "-- audience-lab campaign \"{name}\" ({dialect}): SPEC §7 groups. Audience: segment \
         \"{seg}\" on {day} (the day before launch {launch}); stratify: {strat}; holdout {h} \
         ({bp} of 10000); salt {salt}.\n\
         WITH\naudience AS (\n{audience}\n),\n{strata_cte}keyed AS (\n  SELECT a.member_id, \
         {stratum} AS stratum, {key} AS k\n  FROM audience AS a\n  {join}\n),\nranked AS (\n  \
         SELECT member_id, stratum, k,\n    ROW_NUMBER() OVER (PARTITION BY stratum ORDER BY k, \
         member_id) AS rn,\n    COUNT(*) OVER (PARTITION BY stratum) AS n\n  FROM keyed\n)\n\
         SELECT member_id, stratum,\n  CASE WHEN rn <= ({bp} * n + 5000) {div} 10000 THEN \
         'control' ELSE 'treatment' END AS arm\nFROM ranked\nORDER BY stratum NULLS LAST, k, \
         member_id\n",
        name = campaign.name.replace('\n', " "),
        dialect = d.name(),
        seg = campaign.segment.name.replace('\n', " "),
        day = format_day(campaign.audience_day()),
        launch = format_day(campaign.launch),
        strat = campaign.stratify.as_deref().unwrap_or("none"),
        h = campaign.holdout(),
        bp = campaign.holdout_bp,
        salt = campaign.salt.replace('\n', " "),
        audience = indent(&audience),
    ))
}

/// A member column's value per member, read from `members` (text: cast, trimmed, empty as
/// missing, as the loader reads cells).
fn member_column(d: Dialect, column: &str, ds: Option<&Dataset>) -> Result<String> {
    let field = match ds {
        None => column.to_string(),
        Some(ds) => {
            let Some(field) = ds.resolve_attr(column) else {
                return Err(Error::rule(format!(
                    "campaign.stratify: \"{column}\" is no member column of the members file \
                     (SQL stratifies by stage, segment or a text column of members)"
                )));
            };
            if !matches!(ds.attrs.get(field), Some(Attr::Text(_))) {
                return Err(Error::rule(format!(
                    "campaign.stratify: \"{column}\" is not text; SQL stratifies by stage, \
                     segment or a text column of members"
                )));
            }
            field.to_string()
        }
    };
    Ok(format!(
        "SELECT {} AS member_id, {} AS stratum FROM members",
        d.text("member_id"),
        d.text(&d.ident(&field))
    ))
}
