//! Movement over time (SPEC §6) as SQL: the migration matrix between two dates and the stage
//! trend. A member exists at D when its join date or its first order (any amount) is on or
//! before D; one that does not is `not_yet`. At D an existing member has the §2 stage (or RFM
//! segment, `prospect` without a purchase) computed with `as_of` = D.

use super::cohort;
use super::facts;
use crate::dialect::Dialect;
use crate::metrics::cohort::Period;
use crate::metrics::AnalysisOptions;
use crate::segment::ast::When;

/// The stages of a trend point, in the CLI's column order.
const STAGES: [&str; 6] = ["not_yet", "prospect", "new", "active", "dormant", "churned"];

/// `born`: each member's first day of existence (its first order, any amount, or its join
/// date); `join_day` is the day number of `mem`'s join date column, when there is one.
fn born(join_day: Option<&str>) -> String {
    let join = join_day.map_or(String::new(), |j| {
        format!("\n    UNION ALL\n    SELECT member_id, {j} AS day FROM mem")
    });
    format!(
        "born AS (\n  SELECT member_id, MIN(day) AS day FROM (\n    \
         SELECT member_id, day FROM o WHERE member_id IS NOT NULL{join}\n  ) b\n  \
         WHERE day IS NOT NULL\n  GROUP BY member_id\n)"
    )
}

/// How a state is written in a date context `x`: `not_yet`, else the stage or segment.
fn state(by_segment: bool, x: &str) -> String {
    let inner = if by_segment {
        format!("COALESCE(rfm{x}.segment, 'prospect')")
    } else {
        format!("s{x}.stage")
    };
    format!(
        "CASE WHEN born.day IS NULL OR born.day > asof_day{x}.as_of THEN 'not_yet' ELSE {inner} END"
    )
}

/// The migration matrix from `from` to `to` (default `as_of`) by stage or RFM segment:
/// common table expressions after `everyone`, and the SELECT of `from_state, to_state,
/// members, revenue` (the net amount of the cell's members' orders dated in (from, to]).
pub fn migration(
    d: Dialect,
    a: &AnalysisOptions,
    from: i32,
    to: Option<i32>,
    by_segment: bool,
    join_day: Option<&str>,
) -> (Vec<String>, String) {
    let mut ctes = vec![born(join_day)];
    for (x, when) in [
        ("_a", When::Date(from)),
        ("_b", to.map_or(When::DaysAgo(0), When::Date)),
    ] {
        ctes.push(facts::as_of_at(d, x, "", when));
        ctes.push(facts::base(a.window_days, x));
        if by_segment {
            ctes.push(facts::rfm(d, &a.method, &a.segment_map, x));
        } else {
            ctes.push(facts::stage(&a.lifecycle, x));
        }
    }
    let join = |x: &str| {
        if by_segment {
            format!("LEFT JOIN rfm{x} ON rfm{x}.member_id = e.member_id")
        } else {
            format!("LEFT JOIN stage{x} s{x} ON s{x}.member_id = e.member_id")
        }
    };
    ctes.push(format!(
        "moved AS (\n  SELECT e.member_id, {} AS from_state, {} AS to_state\n  \
         FROM everyone e CROSS JOIN asof_day_a CROSS JOIN asof_day_b\n  \
         LEFT JOIN born ON born.member_id = e.member_id\n  {}\n  {}\n)",
        state(by_segment, "_a"),
        state(by_segment, "_b"),
        join("_a"),
        join("_b"),
    ));
    ctes.push(
        "net AS (\n  SELECT o.member_id, SUM(o.cents) AS cents\n  \
         FROM o CROSS JOIN asof_day_a CROSS JOIN asof_day_b\n  \
         WHERE o.member_id IS NOT NULL AND o.day > asof_day_a.as_of AND o.day <= asof_day_b.as_of\n  \
         GROUP BY o.member_id\n)"
            .to_string(),
    );
    let select = "SELECT m.from_state, m.to_state, COUNT(*) AS members,\n  \
                  CAST(COALESCE(SUM(n.cents), 0) / 100.0 AS DECIMAL(18, 2)) AS revenue\n\
                  FROM moved m LEFT JOIN net n ON n.member_id = m.member_id\n\
                  GROUP BY m.from_state, m.to_state\n\
                  ORDER BY m.from_state, m.to_state"
        .to_string();
    (ctes, select)
}

/// The stage trend: the stage counts at each period end in [from, as_of] (from: the first
/// order by default), then `as_of` when it is none; common table expressions after
/// `everyone`, and the SELECT of `date, not_yet, prospect, new, active, dormant, churned`.
pub fn trend(
    d: Dialect,
    a: &AnalysisOptions,
    period: Period,
    from: Option<i32>,
    join_day: Option<&str>,
) -> (Vec<String>, String) {
    let first = from.map_or("(SELECT MIN(day) FROM o)".to_string(), |f| d.day_literal(f));
    let key = |x: &str| cohort::key(d, period, x);
    let window = a
        .window_days
        .map_or(String::new(), |w| format!(" AND o.day > t.d - {w}"));
    let l = &a.lifecycle;
    let ctes = vec![
        born(join_day),
        format!("bounds AS (\n  SELECT {first} AS first_day, as_of FROM asof_day\n)"),
        format!(
            "tkeys AS (\n  SELECT {} + i AS k, first_day, as_of FROM (\n    \
             SELECT {} AS i, first_day, as_of FROM bounds\n  ) s\n)",
            key("first_day"),
            d.zero_to(&format!("{} - {}", key("as_of"), key("first_day")))
        ),
        format!(
            "tdates AS (\n  SELECT d FROM (\n    SELECT {} - 1 AS d, first_day, as_of FROM tkeys\n  ) e\n  \
             WHERE d >= first_day AND d <= as_of\n  UNION\n  SELECT as_of AS d FROM bounds\n)",
            cohort::first_day(d, period, "k + 1")
        ),
        format!(
            "tbought AS (\n  SELECT t.d, o.member_id, MIN(o.day) AS first_day, MAX(o.day) AS last_day\n  \
             FROM tdates t JOIN o ON o.member_id IS NOT NULL AND o.cents > 0 AND o.day <= t.d{window}\n  \
             GROUP BY t.d, o.member_id\n)"
        ),
        format!(
            "tstate AS (\n  SELECT t.d,\n    CASE\n      \
             WHEN born.day IS NULL OR born.day > t.d THEN 'not_yet'\n      \
             WHEN p.first_day IS NULL THEN 'prospect'\n      \
             WHEN t.d - p.first_day < {} THEN 'new'\n      \
             WHEN t.d - p.last_day < {} THEN 'active'\n      \
             WHEN t.d - p.last_day < {} THEN 'dormant'\n      \
             ELSE 'churned'\n    END AS stage\n  \
             FROM tdates t CROSS JOIN everyone e\n  \
             LEFT JOIN born ON born.member_id = e.member_id\n  \
             LEFT JOIN tbought p ON p.d = t.d AND p.member_id = e.member_id\n)",
            l.new_days, l.dormant_after, l.churn_after
        ),
    ];
    let counts: Vec<String> = STAGES
        .iter()
        .map(|s| format!("SUM(CASE WHEN stage = '{s}' THEN 1 ELSE 0 END) AS {s}"))
        .collect();
    let select = format!(
        "SELECT CAST({} AS {}) AS date,\n  {}\nFROM tstate\nGROUP BY d\nORDER BY d",
        d.date_of("d"),
        d.text_type(),
        counts.join(",\n  ")
    );
    (ctes, select)
}
