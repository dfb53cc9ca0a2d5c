//! SQL compilation (SPEC §4): a segment as ONE `SELECT` of member ids over the warehouse
//! tables `orders`, `members` and `member_tags`, in the DuckDB or Spark SQL dialect, that
//! gives the same members as the engine. Columns carry the role names of SPEC §1
//! (`orders(member_id, order_time, amount, status, discount, channel, store, ...)`,
//! `members(member_id, join_date, tier, ...)`, `member_tags(member_id, tag)`); RFM scores
//! and lifecycle stages are computed with window functions in common table expressions.

mod cohort;
mod expr;
mod facts;
mod kpi;
mod member_column;
mod movement;
mod report;

pub use crate::dialect::{self, Dialect};
pub use kpi::KpiSplit;
pub use report::{report_sql, Report, ReportOptions, KPI_COLUMNS, REPORTS};

use super::ast::Segment;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::load::coerce::format_day;
use crate::metrics::AnalysisOptions;
use std::collections::BTreeMap;

/// Which tables and optional columns the warehouse has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tables {
    /// A `members` table.
    pub members: bool,
    /// A `member_tags` table.
    pub member_tags: bool,
    /// `orders.status` (cancelled rows dropped, refunds negative).
    pub status: bool,
    /// `orders.discount` (for `discount_share`).
    pub discount: bool,
    /// `orders.items` (for `items_per_order`).
    pub items: bool,
    /// `members.join_date` (for `tenure_days`).
    pub join_date: bool,
    /// `members.tags`, a delimited tag list (read besides `member_tags`).
    pub tags_column: bool,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            members: true,
            member_tags: true,
            status: true,
            discount: true,
            items: true,
            join_date: true,
            tags_column: false,
        }
    }
}

/// How to compile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SqlOptions {
    /// The dialect.
    pub dialect: Dialect,
    /// `as_of` (default: the latest order day, computed in SQL), window, RFM method and
    /// segment map, lifecycle thresholds.
    pub analysis: AnalysisOptions,
    /// The tables and optional columns the warehouse has.
    pub tables: Tables,
    /// The warehouse's column of a role (SPEC §1) where it is not named as the role
    /// (`--map amount=实付金额`): the query reads that column, no view needed.
    pub columns: BTreeMap<String, String>,
}

/// Compiles `segment` to one SQL query returning `member_id`, sorted. `saved` resolves
/// `{"segment": name}` nodes (inlined). With `ds`, the loaded data gives the columns' names
/// and types (header names resolve to role names; text, number or date attributes); without
/// it, names are used as written and an attribute's type follows the values compared with.
pub fn compile(
    segment: &Segment,
    opts: &SqlOptions,
    saved: &BTreeMap<String, Segment>,
    ds: Option<&Dataset>,
) -> Result<String> {
    opts.analysis.lifecycle.validate()?;
    let mut c = expr::Compiler::new(opts, saved, ds);
    let predicate = c.predicate(&segment.rule, "rule")?;
    Ok(assemble(segment, opts, &c, &predicate))
}

fn assemble(segment: &Segment, opts: &SqlOptions, c: &expr::Compiler, predicate: &str) -> String {
    let d = opts.dialect;
    let a = &opts.analysis;
    let t = opts.tables;
    let mut ctes = vec![
        facts::orders(d, &t, &opts.columns, &c.where_cols),
        facts::as_of(d, a.as_of),
    ];
    if t.members {
        ctes.push(facts::members(d, &opts.columns, &c.attrs));
    }
    if t.member_tags || t.tags_column {
        ctes.push(facts::tags_long(d, &t, &opts.columns));
    }
    ctes.push(facts::everyone(&t));
    if c.needs_base() {
        ctes.push(facts::base(a.window_days, ""));
    }
    if c.needs_rfm {
        ctes.push(facts::rfm(d, &a.method, &a.segment_map, ""));
    }
    if c.needs_stage {
        ctes.push(facts::stage(&a.lifecycle, ""));
    }
    ctes.extend(c.ctes.iter().cloned());
    let mut joins = vec![
        "FROM everyone e".to_string(),
        "CROSS JOIN asof_day".to_string(),
    ];
    if c.needs_base() {
        joins.push("LEFT JOIN base b ON b.member_id = e.member_id".into());
    }
    if c.needs_rfm {
        joins.push("LEFT JOIN rfm ON rfm.member_id = e.member_id".into());
    }
    if c.needs_stage {
        joins.push("LEFT JOIN stage s ON s.member_id = e.member_id".into());
    }
    if c.uses_members() {
        joins.push("LEFT JOIN mem ON mem.member_id = e.member_id".into());
    }
    for name in &c.joined {
        joins.push(format!(
            "LEFT JOIN {name} ON {name}.member_id = e.member_id"
        ));
    }
    let (as_of, window) = described(a);
    let l = &a.lifecycle;
    let name = segment.name.replace(['\n', '\r'], " ");
    format!(
        "-- audience-lab segment \"{name}\" ({dialect}); as_of: {as_of}{window}; RFM {method}, map {map};\n\
         -- lifecycle new_days {}, dormant_after {}, churn_after {}.\n\
         -- Tables: orders(member_id, order_time, amount, status, discount, ...), members(member_id, ...),\n\
         -- member_tags(member_id, tag).\n\
         WITH\n{}\n\
         SELECT DISTINCT e.member_id\n{}\nWHERE {predicate}\nORDER BY e.member_id\n",
        l.new_days,
        l.dormant_after,
        l.churn_after,
        ctes.join(",\n"),
        joins.join("\n"),
        dialect = d.name(),
        method = a.method.name(),
        map = a.segment_map.name,
    )
}

/// `as_of` and the window as a query's header comment says them.
fn described(a: &AnalysisOptions) -> (String, String) {
    let as_of = a
        .as_of
        .map_or("the latest order day".to_string(), format_day);
    let window = a
        .window_days
        .map_or(String::new(), |w| format!(", window {w} days"));
    (as_of, window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::parse_segment;

    fn sql(rule: &str, opts: &SqlOptions, saved: &BTreeMap<String, Segment>) -> Result<String> {
        compile(&parse_segment(rule)?, opts, saved, None)
    }

    #[test]
    fn errors_name_the_path_and_the_reason() {
        let opts = SqlOptions::default();
        let none = BTreeMap::new();
        let e = sql(
            r#"{"all":[{"metric":{"name":"p_alive","lt":0.5}}]}"#,
            &opts,
            &none,
        )
        .expect_err("clv");
        assert!(
            e.to_string()
                .starts_with("rule.all[0].metric.name: the metric \"p_alive\" needs the CLV model"),
            "{e}"
        );
        let mut saved = BTreeMap::new();
        let mut loop_seg = parse_segment(r#"{"not":{"segment":"a"}}"#).expect("a");
        loop_seg.name = "a".into();
        saved.insert("a".to_string(), loop_seg);
        let e = sql(r#"{"segment":"a"}"#, &opts, &saved).expect_err("loop");
        assert!(e.to_string().contains("refers to itself"), "{e}");
        let e = sql(r#"{"segment":"b"}"#, &opts, &saved).expect_err("unknown");
        assert!(e.to_string().contains("unknown saved segment \"b\""), "{e}");
        let no_tags = SqlOptions {
            tables: Tables {
                member_tags: false,
                ..Tables::default()
            },
            ..SqlOptions::default()
        };
        let e = sql(r#"{"tags":{"any":["x"]}}"#, &no_tags, &none).expect_err("no tags");
        assert!(e.to_string().contains("the tables have no tags"), "{e}");
    }

    #[test]
    fn spark_quotes_with_backticks_and_explodes_a_tags_column() {
        let opts = SqlOptions {
            dialect: Dialect::Spark,
            tables: Tables {
                member_tags: false,
                tags_column: true,
                ..Tables::default()
            },
            ..SqlOptions::default()
        };
        let q = sql(
            r#"{"all":[{"tags":{"all":["it's","KOC"]}},{"attr":{"column":"会员 等级","eq":"gold"}}]}"#,
            &opts,
            &BTreeMap::new(),
        )
        .expect("sql");
        assert!(q.contains("EXPLODE(SPLIT("), "{q}");
        assert!(q.contains("`会员 等级` AS a0"), "{q}");
        assert!(q.contains("'it\\'s'"), "{q}");
        assert!(q.contains("HAVING COUNT(DISTINCT tag) = 2"), "{q}");
        assert!(!q.contains("FROM member_tags"), "{q}");
    }
}
