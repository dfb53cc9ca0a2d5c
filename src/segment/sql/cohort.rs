//! The cohort table of SPEC §2 as SQL: a member's cohort is the month, ISO week or quarter of
//! the first purchase (or of the join date); for cohort c and period index k from 0 to the
//! period of `as_of`: size, active (members of c with a purchase in period c + k), retention
//! and revenue (the net amount of c's orders dated in period c + k). Periods are numbered
//! (month: year × 12 + month − 1; quarter: year × 4 + quarter − 1; ISO week: weeks since the
//! Monday 1969-12-29), so "periods between" is a subtraction in either dialect.

use crate::dialect::Dialect;
use crate::metrics::cohort::{CohortOptions, Period};

/// The period number of `day` (an integer day number).
pub(super) fn key(d: Dialect, period: Period, day: &str) -> String {
    let day = &format!("({day})");
    let date = d.date_of(day);
    match period {
        Period::Month => format!("(YEAR({date}) * 12 + MONTH({date}) - 1)"),
        Period::Quarter => format!("(YEAR({date}) * 4 + QUARTER({date}) - 1)"),
        // 1970-01-01 (day 0) is a Thursday: week k runs from day 7k − 3 to 7k + 3.
        Period::Week => format!("CAST(FLOOR(({day} + 3) / 7.0) AS BIGINT)"),
    }
}

/// The day number of the first day of period number `k`.
pub(super) fn first_day(d: Dialect, period: Period, k: &str) -> String {
    let k = &format!("({k})");
    let date = |y: &str, m: &str| d.day_number(&format!("MAKE_DATE({y}, {m}, 1)"));
    let int = |e: &str| format!("CAST({e} AS INT)");
    match period {
        Period::Month => date(
            &int(&format!("FLOOR({k} / 12)")),
            &int(&format!("{k} % 12 + 1")),
        ),
        Period::Quarter => date(
            &int(&format!("FLOOR({k} / 4)")),
            &int(&format!("({k} % 4) * 3 + 1")),
        ),
        Period::Week => format!("({k} * 7 - 3)"),
    }
}

/// The label of period number `k` as the engine writes it (`2024-03`, `2024-W09`, `2024-Q1`).
fn label(d: Dialect, period: Period, k: &str) -> String {
    let k = &format!("({k})");
    let text = d.text_type();
    let s = |e: &str| format!("CAST({e} AS {text})");
    match period {
        Period::Month => format!(
            "CONCAT({}, '-', LPAD({}, 2, '0'))",
            s(&format!("CAST(FLOOR({k} / 12) AS BIGINT)")),
            s(&format!("{k} % 12 + 1"))
        ),
        Period::Quarter => format!(
            "CONCAT({}, '-Q', {})",
            s(&format!("CAST(FLOOR({k} / 4) AS BIGINT)")),
            s(&format!("{k} % 4 + 1"))
        ),
        // An ISO week belongs to the year of its Thursday (day 7k).
        Period::Week => {
            let thursday = d.date_of(&format!("{k} * 7"));
            format!(
                "CONCAT({}, '-W', LPAD({}, 2, '0'))",
                s(&format!("YEAR({thursday})")),
                s(&format!("WEEKOFYEAR({thursday})"))
            )
        }
    }
}

/// The common table expressions after `base` (`cohort_member` … `activity`) and the final
/// SELECT of the cohort table; `join_day` is the day number of a member's join date (from
/// `mem`) when cohorts are by join date.
pub fn cohort(d: Dialect, c: &CohortOptions, join_day: Option<&str>) -> (Vec<String>, String) {
    let p = c.period;
    let (cday, join) = match join_day {
        Some(day) => (
            day.to_string(),
            "\n  LEFT JOIN mem ON mem.member_id = b.member_id",
        ),
        None => ("b.first_day".to_string(), ""),
    };
    let ctes = vec![
        format!(
            "cohort_member AS (\n  SELECT b.member_id, {cday} AS cday\n  FROM base b{join}\n)"
        ),
        format!(
            "in_cohort AS (\n  SELECT member_id, {} AS ck\n  FROM cohort_member CROSS JOIN asof_day\n  \
             WHERE cday IS NOT NULL AND cday <= asof_day.as_of\n)",
            key(d, p, "cday")
        ),
        "cohorts AS (\n  SELECT ck, COUNT(*) AS size FROM in_cohort GROUP BY ck\n)".to_string(),
        format!(
            "grid AS (\n  SELECT ck, size, {} AS k\n  FROM cohorts CROSS JOIN asof_day\n)",
            d.zero_to(&format!("{} - ck", key(d, p, "asof_day.as_of")))
        ),
        format!(
            "activity AS (\n  SELECT i.ck, {ok} - i.ck AS k,\n    \
             COUNT(DISTINCT CASE WHEN c.cents > 0 THEN c.member_id END) AS active,\n    \
             SUM(c.cents) AS revenue_cents\n  \
             FROM in_cohort i JOIN counted c ON c.member_id = i.member_id\n  \
             WHERE {ok} >= i.ck\n  GROUP BY i.ck, {ok} - i.ck\n)",
            ok = key(d, p, "c.day")
        ),
    ];
    let select = format!(
        "SELECT {} AS cohort, g.k AS period, g.size, COALESCE(a.active, 0) AS active,\n  \
         CAST(COALESCE(a.active, 0) AS DOUBLE) / g.size AS retention,\n  \
         CAST(COALESCE(a.revenue_cents, 0) / 100.0 AS DECIMAL(18, 2)) AS revenue\n\
         FROM grid g LEFT JOIN activity a ON a.ck = g.ck AND a.k = g.k\n\
         ORDER BY g.ck, g.k",
        label(d, p, "g.ck")
    );
    (ctes, select)
}
