//! The reports as SQL (the warehouse route): each report the CLI writes, as ONE query over the
//! tables `orders`, `members` and `member_tags` (SPEC §1 role names) in the DuckDB or Spark
//! dialect, returning the CLI's columns: the same numbers in the browser, the CLI, DuckDB and
//! Spark. The common table expressions are the segments' (orders as SPEC §1 reads them,
//! `as_of`, the per-member base of SPEC §2, RFM scores, lifecycle stages).

use super::kpi::{self, KpiSplit};
use super::member_column;
use super::{cohort, facts, movement, SqlOptions};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::metrics::cohort::{CohortBy, CohortOptions, Period};
use crate::metrics::movement::By;
use crate::text::Word;

/// The reports with their labels.
pub const REPORTS: [Word; 6] = [
    Word::new("rfm", "RFM", "RFM"),
    Word::new("lifecycle", "Lifecycle", "生命周期"),
    Word::new("cohort", "Cohorts", "同期群"),
    Word::new("kpi", "KPIs", "会员指标"),
    Word::new("migration", "Migration matrix", "迁移矩阵"),
    Word::new("trend", "Stage trend", "阶段趋势"),
];

/// The columns of the KPI report: the group's value, then each KPI of `audience-lab kpi`.
pub const KPI_COLUMNS: [&str; 20] = [
    "value",
    "purchases",
    "member_purchases",
    "guest_purchases",
    "member_order_share",
    "buyers",
    "repeat_buyers",
    "repeat_purchase_rate",
    "purchase_amount_cents",
    "aov",
    "member_purchase_amount_cents",
    "member_aov",
    "items",
    "items_per_order",
    "purchases_per_buyer",
    "annual_net_cents",
    "annual_buyers",
    "annual_contribution",
    "churned",
    "churn_rate",
];

/// A report compiled to SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// `member_id, recency_days, frequency, monetary, r, f, m, segment` of every member with
    /// a purchase (`audience-lab rfm`).
    Rfm,
    /// `member_id, stage` of every member (`audience-lab lifecycle`).
    Lifecycle,
    /// `cohort, period, size, active, retention, revenue` of every cohort and period
    /// (`audience-lab cohort`).
    Cohort,
    /// The KPIs of `audience-lab kpi` as columns (snake case), one row overall (`value`
    /// NULL) or one per group of the split column.
    Kpi,
    /// `from_state, to_state, members, revenue` between two dates (`audience-lab
    /// migration`).
    Migration,
    /// `date, not_yet, prospect, new, active, dormant, churned` at each period end
    /// (`audience-lab trend`).
    Trend,
}

/// The options of a report beyond the analysis options, as the CLI's commands name them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportOptions {
    /// cohort and trend: month (default), ISO week or quarter.
    pub period: Period,
    /// cohort: `first_purchase` (default) or `join_date`; kpi: the split column (`store`,
    /// `tier`, `order:NAME`, `member:NAME`); migration: `stage` (default) or `segment`.
    pub by: Option<String>,
    /// migration: the first date (required); trend: the first date (default: the first
    /// order).
    pub from: Option<i32>,
    /// migration: the second date (default: `as_of`).
    pub to: Option<i32>,
}

impl Report {
    /// Every report, by its name.
    pub const ALL: [Report; 6] = [
        Report::Rfm,
        Report::Lifecycle,
        Report::Cohort,
        Report::Kpi,
        Report::Migration,
        Report::Trend,
    ];

    /// The report's name (`--report`, `{ report }`).
    pub fn name(self) -> &'static str {
        REPORTS[self as usize].id
    }

    /// The report of `name`.
    pub fn parse(name: &str) -> Result<Report> {
        Report::ALL
            .into_iter()
            .find(|r| r.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Report::ALL.iter().map(|r| r.name()).collect();
                Error::option(format!(
                    "unknown report \"{name}\": expected one of {}",
                    names.join(", ")
                ))
            })
    }

    /// The columns the query returns, as the CLI writes them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Report::Rfm => &[
                "member_id",
                "recency_days",
                "frequency",
                "monetary",
                "r",
                "f",
                "m",
                "segment",
            ],
            Report::Lifecycle => &["member_id", "stage"],
            Report::Cohort => &["cohort", "period", "size", "active", "retention", "revenue"],
            Report::Kpi => &KPI_COLUMNS,
            Report::Migration => &["from_state", "to_state", "members", "revenue"],
            Report::Trend => &[
                "date", "not_yet", "prospect", "new", "active", "dormant", "churned",
            ],
        }
    }
}

/// Compiles `report` to one SQL query over the warehouse tables (per member reports sorted
/// by member id, the cohort table by cohort and period).
/// With `ds`, the loaded data resolves a KPI split's column (an order column or a member
/// attribute, header names to field names).
pub fn report_sql(
    report: Report,
    opts: &SqlOptions,
    ro: &ReportOptions,
    ds: Option<&Dataset>,
) -> Result<String> {
    opts.analysis.lifecycle.validate()?;
    let d = opts.dialect;
    let a = &opts.analysis;
    let t = opts.tables;
    let names = &opts.columns;
    let cohort_by = match (report, ro.by.as_deref()) {
        (Report::Cohort, Some(by)) => CohortBy::parse(by)?,
        _ => CohortBy::FirstPurchase,
    };
    let by_segment = report == Report::Migration
        && By::parse(ro.by.as_deref().unwrap_or("stage"))? == By::Segment;
    let by_join = report == Report::Cohort && cohort_by == CohortBy::JoinDate;
    // Movement reads join dates for existence when the members have them.
    let moves = matches!(report, Report::Migration | Report::Trend);
    let join_dates = by_join || (moves && t.members && t.join_date);
    if by_join && !(t.members && t.join_date) {
        return Err(Error::option(
            "cohorts by join date need a members table with a join date column",
        ));
    }
    let column = |name: &str| names.get(name).cloned().unwrap_or_else(|| name.to_string());
    let split = ro
        .by
        .as_deref()
        .filter(|_| report == Report::Kpi)
        .map(|by| KpiSplit::parse(by, ds))
        .transpose()?;
    let split = split.as_ref();
    let where_cols = match split {
        Some(KpiSplit::Order(name)) => vec![column(name)],
        _ => Vec::new(),
    };
    let attrs = match split {
        Some(KpiSplit::Member(name, _)) => vec![column(name)],
        _ if join_dates => vec![column("join_date")],
        _ => Vec::new(),
    };
    if !attrs.is_empty() && !t.members {
        return Err(Error::option(format!(
            "\"{}\" is a member column: the tables have no members table",
            attrs.join(", ")
        )));
    }
    let mut ctes = vec![
        facts::orders(d, &t, names, &where_cols),
        facts::as_of(d, a.as_of),
    ];
    if t.members {
        ctes.push(facts::members(d, names, &attrs));
    }
    if t.member_tags || t.tags_column {
        ctes.push(facts::tags_long(d, &t, names));
    }
    ctes.push(facts::everyone(&t));
    if !moves {
        ctes.push(facts::base(a.window_days, ""));
    }
    let join_day = join_dates.then(|| d.day_of("mem.a0"));
    let select = match report {
        Report::Kpi => {
            let group = match split {
                Some(KpiSplit::Order(_)) => Some("o.w0".to_string()),
                Some(KpiSplit::Member(_, kind)) => Some(member_column::label(d, *kind, "mem.a0")),
                None => None,
            };
            let (more, select) = kpi::kpi(d, a, group.as_deref());
            ctes.extend(more);
            select
        }
        Report::Cohort => {
            let c = CohortOptions {
                period: ro.period,
                by: cohort_by,
            };
            let (more, select) = cohort::cohort(d, &c, join_day.as_deref());
            ctes.extend(more);
            select
        }
        Report::Migration => {
            let from = ro
                .from
                .ok_or_else(|| Error::option("migration needs a first date (from)"))?;
            let (more, select) =
                movement::migration(d, a, from, ro.to, by_segment, join_day.as_deref());
            ctes.extend(more);
            select
        }
        Report::Trend => {
            let (more, select) = movement::trend(d, a, ro.period, ro.from, join_day.as_deref());
            ctes.extend(more);
            select
        }
        Report::Rfm => {
            ctes.push(facts::rfm(d, &a.method, &a.segment_map, ""));
            "SELECT b.member_id, b.recency AS recency_days, b.frequency,\n  \
             CAST(b.monetary_cents / 100.0 AS DECIMAL(18, 2)) AS monetary, r.r, r.f, r.m, r.segment\n\
             FROM buyers b JOIN rfm r ON r.member_id = b.member_id\n\
             ORDER BY b.member_id"
                .to_string()
        }
        Report::Lifecycle => {
            ctes.push(facts::stage(&a.lifecycle, ""));
            "SELECT member_id, stage FROM stage\nORDER BY member_id".to_string()
        }
    };
    let (as_of, window) = super::described(a);
    let l = &a.lifecycle;
    Ok(format!(
        "-- audience-lab report {report} ({dialect}): {columns}\n\
         -- as_of: {as_of}{window}; RFM {method}, map {map}; lifecycle new_days {}, dormant_after {}, churn_after {}.\n\
         -- Tables: orders(member_id, order_time, amount, status, discount, ...), members(member_id, ...),\n\
         -- member_tags(member_id, tag).\n\
         WITH\n{}\n{select}\n",
        l.new_days,
        l.dormant_after,
        l.churn_after,
        ctes.join(",\n"),
        report = report.name(),
        dialect = d.name(),
        columns = report.columns().join(", "),
        method = a.method.name(),
        map = a.segment_map.name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_named_as_the_cli_names_them() {
        for r in Report::ALL {
            assert_eq!(Report::parse(r.name()).expect("known"), r);
        }
        let e = Report::parse("rfn").expect_err("unknown");
        assert!(
            e.to_string()
                .contains("expected one of rfm, lifecycle, cohort, kpi, migration, trend"),
            "{e}"
        );
    }

    #[test]
    fn a_mapped_role_is_read_from_its_column() {
        use crate::dialect::Dialect;
        let columns: std::collections::BTreeMap<String, String> = [
            ("amount", "实付金额"),
            ("member_id", "会员编号"),
            ("order_time", "下单时间"),
        ]
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .into();
        for (dialect, quoted) in [
            (Dialect::DuckDb, "\"实付金额\""),
            (Dialect::Spark, "`实付金额`"),
        ] {
            let opts = SqlOptions {
                dialect,
                columns: columns.clone(),
                ..SqlOptions::default()
            };
            let q = report_sql(Report::Rfm, &opts, &ReportOptions::default(), None).expect("sql");
            assert!(q.contains(&format!("TRIM(CAST({quoted} AS")), "{q}");
            assert!(!q.contains("CAST(amount AS"), "{q}");
            // The member id of the orders, the members and the tags alike.
            assert_eq!(q.matches("会员编号").count(), 3, "{q}");
            assert!(!q.contains("CAST(order_time AS"), "{q}");
            // Unmapped roles keep their names.
            assert!(q.contains("CAST(items AS"), "{q}");
        }
    }

    #[test]
    fn each_report_selects_its_columns() {
        for r in Report::ALL {
            let ro = ReportOptions {
                from: Some(19_000),
                ..ReportOptions::default()
            };
            let q = report_sql(r, &SqlOptions::default(), &ro, None).expect("sql");
            let select = q.rsplit("\nSELECT ").next().unwrap_or("");
            for c in r.columns() {
                assert!(select.contains(c), "{} lacks {c}:\n{q}", r.name());
            }
        }
    }
}
