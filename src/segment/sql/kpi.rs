//! The KPIs of SPEC §2 as SQL, overall or per group of one column: purchases (member and
//! guest), member order share, buyers, repeat buyers and rate, amounts, AOV and member AOV,
//! items per order, purchases per buyer, the annual contribution over the 365 days ending at
//! `as_of` and churn. Within a group a member's purchases, first and last purchase come from
//! the group's orders; the groups are the values of the orders dated in the window or in the
//! 365 days, a missing value grouped as `(none)`.

use super::member_column::warehouse_name;
use crate::dataset::{AttrKind, Dataset};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::metrics::kpi::{split_field, split_source, SplitSource, NONE_GROUP};
use crate::metrics::AnalysisOptions;

/// The order columns a split names without data (SPEC §1 roles of the orders).
const ORDER_ROLES: [&str; 6] = ["channel", "store", "guide", "brand", "category", "status"];

/// Where the groups of a KPI split come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpiSplit {
    /// An order column (the order's own value).
    Order(String),
    /// A member attribute (the buyer's value; guest orders are `(none)`): its warehouse
    /// column and what it holds (text when there is no data to tell).
    Member(String, AttrKind),
}

impl KpiSplit {
    /// `--by` as the engine reads it: with data, the order column or member attribute the
    /// engine's KPIs split by (header names resolve to field names; an unknown column is the
    /// engine's error) and what the attribute holds; without, `order:NAME`, `member:NAME`,
    /// or a bare name: an order column when it is a role of the orders, else a member
    /// attribute of text.
    pub fn parse(by: &str, ds: Option<&Dataset>) -> Result<KpiSplit> {
        let mut kind = AttrKind::Text;
        let (source, name) = match ds {
            Some(ds) => {
                let (source, field) = split_field(ds, by)?;
                if source == SplitSource::Member {
                    kind = ds.attrs.kind(field).unwrap_or(AttrKind::Text);
                    (source, warehouse_name(field).to_string())
                } else {
                    (source, field.to_string())
                }
            }
            None => {
                let (source, name) = split_source(by);
                let guess = if ORDER_ROLES.contains(&name) {
                    SplitSource::Order
                } else {
                    SplitSource::Member
                };
                (source.unwrap_or(guess), name.to_string())
            }
        };
        Ok(match source {
            SplitSource::Order => KpiSplit::Order(name),
            SplitSource::Member => KpiSplit::Member(name, kind),
        })
    }
}

/// The common table expressions after `o`, `asof_day` and `mem` and the final SELECT of the
/// KPIs: `group_expr` is the group of an order row `o` (with its member's `mem` row), NULL
/// for the overall KPIs.
pub fn kpi(d: Dialect, a: &AnalysisOptions, group_expr: Option<&str>) -> (Vec<String>, String) {
    let grp = group_expr.map_or(format!("CAST(NULL AS {})", d.text_type()), |g| {
        format!("COALESCE({g}, {})", d.string(NONE_GROUP))
    });
    let join = if group_expr.is_some_and(|g| g.contains("mem.")) {
        "\n  LEFT JOIN mem ON mem.member_id = o.member_id"
    } else {
        ""
    };
    let window = a
        .window_days
        .map_or(String::new(), |w| format!(" AND day > as_of - {w}"));
    let l = &a.lifecycle;
    let ctes = vec![
        format!(
            "grouped AS (\n  SELECT o.member_id, o.day, o.cents, o.items, asof_day.as_of, {grp} AS grp\n  \
             FROM o CROSS JOIN asof_day{join}\n  WHERE o.day <= asof_day.as_of\n)"
        ),
        format!("windowed AS (\n  SELECT * FROM grouped WHERE TRUE{window}\n)"),
        "last_year AS (\n  SELECT * FROM grouped WHERE day > as_of - 365\n)".to_string(),
        "kgroups AS (\n  SELECT grp FROM windowed UNION SELECT grp FROM last_year\n)".to_string(),
        "kpurchases AS (\n  SELECT grp,\n    COUNT(*) AS purchases,\n    \
         COUNT(member_id) AS member_purchases,\n    \
         SUM(cents) AS purchase_amount_cents,\n    \
         COALESCE(SUM(CASE WHEN member_id IS NOT NULL THEN cents END), 0) AS member_purchase_amount_cents,\n    \
         SUM(items) AS items\n  FROM windowed WHERE cents > 0\n  GROUP BY grp\n)"
            .to_string(),
        "kmember AS (\n  SELECT grp, member_id, as_of, COUNT(*) AS f, MIN(day) AS first_day, MAX(day) AS last_day\n  \
         FROM windowed WHERE cents > 0 AND member_id IS NOT NULL\n  GROUP BY grp, member_id, as_of\n)"
            .to_string(),
        format!(
            "kbuyers AS (\n  SELECT grp,\n    COUNT(*) AS buyers,\n    \
             COUNT(CASE WHEN f >= 2 THEN 1 END) AS repeat_buyers,\n    \
             COUNT(CASE WHEN as_of - first_day >= {} AND as_of - last_day >= {} THEN 1 END) AS churned\n  \
             FROM kmember GROUP BY grp\n)",
            l.new_days, l.churn_after
        ),
        "kannual AS (\n  SELECT grp,\n    SUM(cents) AS annual_net_cents,\n    \
         COUNT(DISTINCT CASE WHEN cents > 0 THEN member_id END) AS annual_buyers\n  \
         FROM last_year WHERE member_id IS NOT NULL\n  GROUP BY grp\n)"
            .to_string(),
        "ktotals AS (\n  SELECT g.grp,\n    \
         COALESCE(p.purchases, 0) AS purchases,\n    \
         COALESCE(p.member_purchases, 0) AS member_purchases,\n    \
         COALESCE(p.purchases, 0) - COALESCE(p.member_purchases, 0) AS guest_purchases,\n    \
         COALESCE(p.purchase_amount_cents, 0) AS purchase_amount_cents,\n    \
         COALESCE(p.member_purchase_amount_cents, 0) AS member_purchase_amount_cents,\n    \
         COALESCE(p.items, 0) AS items,\n    \
         COALESCE(b.buyers, 0) AS buyers,\n    \
         COALESCE(b.repeat_buyers, 0) AS repeat_buyers,\n    \
         COALESCE(b.churned, 0) AS churned,\n    \
         COALESCE(n.annual_net_cents, 0) AS annual_net_cents,\n    \
         COALESCE(n.annual_buyers, 0) AS annual_buyers\n  \
         FROM kgroups g\n  \
         LEFT JOIN kpurchases p ON p.grp IS NOT DISTINCT FROM g.grp\n  \
         LEFT JOIN kbuyers b ON b.grp IS NOT DISTINCT FROM g.grp\n  \
         LEFT JOIN kannual n ON n.grp IS NOT DISTINCT FROM g.grp\n)"
            .to_string(),
    ];
    let ratio = |x: &str, y: &str| format!("CASE WHEN {y} > 0 THEN CAST({x} AS DOUBLE) / {y} END");
    let select = format!(
        "SELECT grp AS value, purchases, member_purchases, guest_purchases,\n  \
         {} AS member_order_share,\n  buyers, repeat_buyers,\n  {} AS repeat_purchase_rate,\n  \
         purchase_amount_cents,\n  {} AS aov,\n  member_purchase_amount_cents,\n  {} AS member_aov,\n  \
         items,\n  {} AS items_per_order,\n  {} AS purchases_per_buyer,\n  \
         annual_net_cents, annual_buyers,\n  {} AS annual_contribution,\n  churned,\n  {} AS churn_rate\n\
         FROM ktotals\nORDER BY value",
        ratio("member_purchases", "purchases"),
        ratio("repeat_buyers", "buyers"),
        ratio("purchase_amount_cents / 100.0", "purchases"),
        ratio("member_purchase_amount_cents / 100.0", "member_purchases"),
        ratio("items", "purchases"),
        ratio("member_purchases", "buyers"),
        ratio("annual_net_cents / 100.0", "annual_buyers"),
        ratio("churned", "buyers"),
    );
    (ctes, select)
}
