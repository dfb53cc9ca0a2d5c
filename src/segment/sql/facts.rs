//! The common table expressions every compiled query builds on: the order rows as SPEC §1
//! reads them, `as_of`, the member universe, the per-member base of SPEC §2, RFM scores (by
//! the cut formula, NTILE or thresholds) with the segment map, and the lifecycle stage.

use super::Tables;
use crate::dialect::{double, Dialect};
use crate::load::status::{CANCELLED, DELETED, NOT_PAID, REFUNDED};
use crate::metrics::lifecycle::LifecycleOptions;
use crate::metrics::rfm::Method;
use crate::metrics::segments::SegmentMap;
use crate::segment::ast::When;
use std::collections::BTreeMap;

/// The warehouse column of `role`: the column `--map` names for it (quoted), or the role
/// name itself (SPEC §1).
fn raw(d: Dialect, names: &BTreeMap<String, String>, role: &str) -> String {
    names
        .get(role)
        .map_or_else(|| role.to_string(), |c| d.ident(c))
}

fn list(d: Dialect, values: &[&str]) -> String {
    values
        .iter()
        .map(|v| d.string(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `o`: order rows of the `orders` table, cancelled rows dropped, refunds negative, amounts
/// in integer cents, days since 1970-01-01; `w0, w1, ...` are the `where` columns as text.
/// `names` gives the warehouse's column of a role where it is not the role's name.
pub fn orders(
    d: Dialect,
    t: &Tables,
    names: &BTreeMap<String, String>,
    where_cols: &[String],
) -> String {
    let text = d.text_type();
    let col = |role: &str| raw(d, names, role);
    let status = format!("LOWER(TRIM(CAST({} AS {text})))", col("status"));
    let cents = format!(
        "CAST(CAST({} AS DECIMAL(18, 2)) * 100 AS BIGINT)",
        d.text(&col("amount"))
    );
    let amount = if t.status {
        format!(
            "CASE WHEN {status} IN ({}) THEN -ABS({cents}) ELSE {cents} END",
            list(d, REFUNDED)
        )
    } else {
        cents.clone()
    };
    let discount = if t.discount {
        format!(
            "COALESCE(CAST(CAST({} AS DECIMAL(18, 2)) * 100 AS BIGINT), 0)",
            d.text(&col("discount"))
        )
    } else {
        "0".to_string()
    };
    let items = if t.items {
        format!("COALESCE(CAST({} AS BIGINT), 0)", d.text(&col("items")))
    } else {
        "0".to_string()
    };
    let mut cols = vec![
        format!("{} AS member_id", d.text(&col("member_id"))),
        format!(
            "{} AS day",
            d.day_number(&format!(
                "CAST(CAST({} AS TIMESTAMP) AS DATE)",
                col("order_time")
            ))
        ),
        format!("{amount} AS cents"),
        format!("{discount} AS discount_cents"),
        format!("{items} AS items"),
    ];
    for (i, c) in where_cols.iter().enumerate() {
        cols.push(format!("{} AS w{i}", d.text(&d.ident(c))));
    }
    let filter = if t.status {
        format!(
            "\n  WHERE {} IS NULL OR ({status} NOT IN ({}, {}) AND {status} NOT LIKE '{DELETED}%')",
            col("status"),
            list(d, CANCELLED),
            list(d, NOT_PAID)
        )
    } else {
        String::new()
    };
    format!(
        "o AS (\n  SELECT\n    {}\n  FROM orders{filter}\n)",
        cols.join(",\n    ")
    )
}

/// `asof_day`: one row, the reference day (given, or the latest order day).
pub fn as_of(d: Dialect, day: Option<i32>) -> String {
    match day {
        Some(day) => format!("asof_day AS (SELECT {} AS as_of)", d.day_literal(day)),
        None => "asof_day AS (SELECT MAX(day) AS as_of FROM o)".to_string(),
    }
}

/// `asof_day{x}`: the date of an `at` node (SPEC §6): a day, or days before the enclosing
/// date `asof_day{parent}`.
pub fn as_of_at(d: Dialect, x: &str, parent: &str, when: When) -> String {
    let day = match when {
        When::Date(day) => d.day_literal(day),
        When::DaysAgo(n) => format!("as_of - {n}"),
    };
    format!("asof_day{x} AS (SELECT {day} AS as_of FROM asof_day{parent})")
}

/// The `asof_day` of context `x` in a FROM clause, named `asof_day`.
pub fn asof(x: &str) -> String {
    if x.is_empty() {
        "asof_day".to_string()
    } else {
        format!("asof_day{x} asof_day")
    }
}

/// `tags_long`: distinct (member, tag) pairs of `member_tags` and of a delimited
/// `members.tags` column (split at `,` `;` `|` `、` `，`), trimmed, empty tags dropped.
pub fn tags_long(d: Dialect, t: &Tables, names: &BTreeMap<String, String>) -> String {
    let col = |role: &str| raw(d, names, role);
    let mut parts = Vec::new();
    if t.member_tags {
        parts.push(format!(
            "SELECT {} AS member_id, {} AS tag FROM member_tags",
            col("member_id"),
            col("tag")
        ));
    }
    if t.tags_column {
        let split = d.split_tags(names.get("tags").map_or("tags", String::as_str));
        parts.push(format!(
            "SELECT {} AS member_id, {split} AS tag FROM members",
            col("member_id")
        ));
    }
    format!(
        "tags_long AS (\n  SELECT DISTINCT member_id, tag FROM (\n    SELECT {} AS member_id, {} AS tag FROM (\n      {}\n    ) r\n  ) t\n  WHERE member_id IS NOT NULL AND tag IS NOT NULL\n)",
        d.text("member_id"),
        d.text("tag"),
        parts.join("\n      UNION ALL\n      ")
    )
}

/// `mem`: the members table with the attribute columns the rule reads as `a0, a1, ...`.
pub fn members(d: Dialect, names: &BTreeMap<String, String>, attr_cols: &[String]) -> String {
    let mut cols = vec![format!(
        "{} AS member_id",
        d.text(&raw(d, names, "member_id"))
    )];
    for (i, c) in attr_cols.iter().enumerate() {
        cols.push(format!("{} AS a{i}", d.ident(c)));
    }
    format!("mem AS (\n  SELECT {}\n  FROM members\n)", cols.join(", "))
}

/// `everyone`: every member of the members table, of any order and of any tag row.
pub fn everyone(t: &Tables) -> String {
    let mut parts = vec!["SELECT member_id FROM o WHERE member_id IS NOT NULL".to_string()];
    if t.members {
        parts.push("SELECT member_id FROM mem WHERE member_id IS NOT NULL".into());
    }
    if t.member_tags || t.tags_column {
        parts.push("SELECT member_id FROM tags_long".into());
    }
    format!("everyone AS (\n  {}\n)", parts.join("\n  UNION\n  "))
}

/// `base`: per member over the orders in `(as_of - window, as_of]` (SPEC §2): purchases
/// (amount > 0), net and gross cents, discounted purchases, first and last purchase day,
/// distinct purchase days and the purchases' items.
pub fn base(window_days: Option<u32>, x: &str) -> String {
    let window = window_days
        .map(|w| format!(" AND o.day > asof_day.as_of - {w}"))
        .unwrap_or_default();
    let asof = asof(x);
    format!(
        "counted{x} AS (
  SELECT o.* FROM o CROSS JOIN {asof}
  WHERE o.member_id IS NOT NULL AND o.day <= asof_day.as_of{window}
),
base{x} AS (
  SELECT
    e.member_id,
    COUNT(CASE WHEN c.cents > 0 THEN 1 END) AS frequency,
    COALESCE(SUM(c.cents), 0) AS monetary_cents,
    COALESCE(SUM(CASE WHEN c.cents > 0 THEN c.cents END), 0) AS gross_cents,
    COUNT(CASE WHEN c.cents > 0 AND c.discount_cents > 0 THEN 1 END) AS discounted,
    MIN(CASE WHEN c.cents > 0 THEN c.day END) AS first_day,
    MAX(CASE WHEN c.cents > 0 THEN c.day END) AS last_day,
    COUNT(DISTINCT CASE WHEN c.cents > 0 THEN c.day END) AS purchase_days,
    COALESCE(SUM(CASE WHEN c.cents > 0 THEN c.items END), 0) AS items
  FROM everyone e LEFT JOIN counted{x} c ON c.member_id = e.member_id
  GROUP BY e.member_id
)"
    )
}

/// `rfm`: R, F, M scores and the segment of every member with a purchase.
pub fn rfm(d: Dialect, method: &Method, map: &SegmentMap, x: &str) -> String {
    let buyers = format!(
        "buyers{x} AS (
  SELECT b.member_id, asof_day.as_of - b.last_day AS recency, b.frequency, b.monetary_cents
  FROM base{x} b CROSS JOIN {}
  WHERE b.frequency > 0
)",
        asof(x)
    );
    let scores = match method {
        Method::Quantile => {
            // SPEC §2: cut_k = v[ceil(k n / 5) - 1] over the sorted values (row ceil(k n / 5)).
            let cut = |s: &str, k: u32| {
                format!(
                    "MAX(CASE WHEN {s}_rn = CAST(CEIL({k} * n / 5.0) AS BIGINT) THEN {s}v END) AS {s}{k}"
                )
            };
            let cuts: Vec<String> = ["r", "f", "m"]
                .iter()
                .flat_map(|s| (1..=4).map(move |k| cut(s, k)))
                .collect();
            let score = |x: &str, s: &str| {
                let above: Vec<String> = (1..=4)
                    .map(|k| format!("CASE WHEN {x} > c.{s}{k} THEN 1 ELSE 0 END"))
                    .collect();
                format!("1 + {} AS {s}", above.join(" + "))
            };
            format!(
                "ranked{x} AS (
  SELECT -recency AS rv, frequency AS fv, monetary_cents AS mv,
    ROW_NUMBER() OVER (ORDER BY -recency) AS r_rn,
    ROW_NUMBER() OVER (ORDER BY frequency) AS f_rn,
    ROW_NUMBER() OVER (ORDER BY monetary_cents) AS m_rn,
    COUNT(*) OVER () AS n
  FROM buyers{x}
),
cuts{x} AS (
  SELECT
    {}
  FROM ranked{x}
),
scores{x} AS (
  SELECT b.member_id,
    {},
    {},
    {}
  FROM buyers{x} b CROSS JOIN cuts{x} c
)",
                cuts.join(",\n    "),
                score("-b.recency", "r"),
                score("b.frequency", "f"),
                score("b.monetary_cents", "m"),
            )
        }
        Method::Ntile => format!(
            "scores{x} AS (
  SELECT member_id,
    NTILE(5) OVER (ORDER BY recency DESC, member_id ASC) AS r,
    NTILE(5) OVER (ORDER BY frequency ASC, member_id ASC) AS f,
    NTILE(5) OVER (ORDER BY monetary_cents ASC, member_id ASC) AS m
  FROM buyers{x}
)"
        ),
        Method::Thresholds { r, f, m } => {
            let above = |x: &str, cuts: &[f64; 4]| {
                cuts.iter()
                    .map(|c| format!("CASE WHEN {x} > {} THEN 1 ELSE 0 END", double(*c)))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            format!(
                "scores{x} AS (
  SELECT member_id,
    5 - ({}) AS r,
    1 + {} AS f,
    1 + {} AS m
  FROM buyers{x}
)",
                above("CAST(recency AS DOUBLE)", r),
                above("CAST(frequency AS DOUBLE)", f),
                above("CAST(monetary_cents AS DOUBLE) / 100", m),
            )
        }
    };
    // The map's segments in order: a first-match map takes the first, a partition has one.
    let whens: Vec<String> = map
        .segments
        .iter()
        .map(|s| {
            let mut cond = vec![
                format!("r BETWEEN {} AND {}", s.r.0, s.r.1),
                format!("f BETWEEN {} AND {}", s.f.0, s.f.1),
            ];
            if s.m != (1, 5) {
                cond.push(format!("m BETWEEN {} AND {}", s.m.0, s.m.1));
            }
            format!("WHEN {} THEN {}", cond.join(" AND "), d.string(&s.id))
        })
        .collect();
    format!(
        "{buyers},\n{scores},\nrfm{x} AS (\n  SELECT member_id, r, f, m,\n    CASE {} END AS segment\n  FROM scores{x}\n)",
        whens.join("\n      ")
    )
}

/// `stage`: the lifecycle stage of every member (SPEC §2).
pub fn stage(l: &LifecycleOptions, x: &str) -> String {
    format!(
        "stage{x} AS (
  SELECT b.member_id,
    CASE
      WHEN b.frequency = 0 THEN 'prospect'
      WHEN asof_day.as_of - b.first_day < {} THEN 'new'
      WHEN asof_day.as_of - b.last_day < {} THEN 'active'
      WHEN asof_day.as_of - b.last_day < {} THEN 'dormant'
      ELSE 'churned'
    END AS stage
  FROM base{x} b CROSS JOIN {}
)",
        l.new_days,
        l.dormant_after,
        l.churn_after,
        asof(x)
    )
}
