//! The reports as SQL (the warehouse route): each report the CLI writes, as ONE query over the
//! tables `orders`, `members` and `member_tags` (SPEC §1 role names) in the DuckDB or Spark
//! dialect, returning the CLI's columns: the same numbers in the browser, the CLI, DuckDB and
//! Spark. The common table expressions are the segments' (orders as SPEC §1 reads them,
//! `as_of`, the per-member base of SPEC §2, RFM scores, lifecycle stages).

use super::{cohort, facts, SqlOptions};
use crate::error::{Error, Result};
use crate::load::coerce::format_day;
use crate::metrics::cohort::{CohortBy, CohortOptions};
use crate::text::Word;

/// The reports with their labels.
pub const REPORTS: [Word; 3] = [
    Word::new("rfm", "RFM", "RFM"),
    Word::new("lifecycle", "Lifecycle", "生命周期"),
    Word::new("cohort", "Cohorts", "同期群"),
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
}

/// The options of a report beyond the analysis options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportOptions {
    /// The cohort table's period and cohort definition.
    pub cohort: CohortOptions,
}

impl Report {
    /// Every report, by its name.
    pub const ALL: [Report; 3] = [Report::Rfm, Report::Lifecycle, Report::Cohort];

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
        }
    }
}

/// Compiles `report` to one SQL query over the warehouse tables (per member reports sorted
/// by member id, the cohort table by cohort and period).
pub fn report_sql(report: Report, opts: &SqlOptions, ro: &ReportOptions) -> Result<String> {
    opts.analysis.lifecycle.validate()?;
    let d = opts.dialect;
    let a = &opts.analysis;
    let t = opts.tables;
    let names = &opts.columns;
    let by_join = report == Report::Cohort && ro.cohort.by == CohortBy::JoinDate;
    if by_join && !(t.members && t.join_date) {
        return Err(Error::option(
            "cohorts by join date need a members table with a join date column",
        ));
    }
    let mut ctes = vec![facts::orders(d, &t, names, &[]), facts::as_of(d, a.as_of)];
    if t.members {
        let join = names.get("join_date").map_or("join_date", String::as_str);
        let attrs = if by_join {
            vec![join.to_string()]
        } else {
            Vec::new()
        };
        ctes.push(facts::members(d, names, &attrs));
    }
    if t.member_tags || t.tags_column {
        ctes.push(facts::tags_long(d, &t, names));
    }
    ctes.push(facts::everyone(&t));
    ctes.push(facts::base(a.window_days, ""));
    let select = match report {
        Report::Cohort => {
            let join_day = by_join.then(|| {
                d.day_number(&format!(
                    "CAST(TRY_CAST({} AS TIMESTAMP) AS DATE)",
                    d.text("mem.a0")
                ))
            });
            let (more, select) = cohort::cohort(d, &ro.cohort, join_day.as_deref());
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
    let as_of = a
        .as_of
        .map_or("the latest order day".to_string(), format_day);
    let window = a
        .window_days
        .map_or(String::new(), |w| format!(", window {w} days"));
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
                .contains("expected one of rfm, lifecycle, cohort"),
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
            let q = report_sql(Report::Rfm, &opts, &ReportOptions::default()).expect("sql");
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
            let q = report_sql(r, &SqlOptions::default(), &ReportOptions::default()).expect("sql");
            let select = q.rsplit("\nSELECT ").next().unwrap_or("");
            for c in r.columns() {
                assert!(select.contains(c), "{} lacks {c}:\n{q}", r.name());
            }
        }
    }
}
