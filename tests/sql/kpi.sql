-- SPEC §2 KPIs, per group ({group} is an expression over the order row `o` and its member's
-- row `m`: a constant for the overall KPIs, an order column, or a member attribute).
--   member order share = purchases with a member / all purchases (guests included)
--   repeat purchase rate = members with F >= 2 / members with F >= 1
--   AOV = sum of purchase amounts / purchases; items per order = sum items / purchases
--   member AOV = sum of member purchase amounts / member purchases
--   purchases per buyer = member purchases / members with F >= 1
--   annual contribution = net amount of the members' orders in the 365 days ending at
--     as_of / members with a purchase in them (regardless of window_days)
--   churn rate = churned members / members with a purchase
-- Within a group, a member's F, first and last purchase come from the group's orders.
-- Groups: the values of the orders dated in the window or in the 365 days.

WITH grouped AS (
    SELECT o.*, coalesce({group}, '(none)') AS grp
    FROM orders AS o
    LEFT JOIN members AS m USING (member_id)
    WHERE o.day <= getvariable('as_of')
),
windowed AS (
    SELECT *
    FROM grouped
    WHERE getvariable('window_days') IS NULL
       OR day > getvariable('as_of') - CAST(getvariable('window_days') AS INTEGER)
),
last_year AS (
    SELECT * FROM grouped WHERE day > getvariable('as_of') - 365
),
groups AS (
    SELECT grp FROM windowed UNION SELECT grp FROM last_year
),
purchases AS (
    SELECT
        grp,
        count(*) AS purchases,
        count(member_id) AS member_purchases,
        count(*) - count(member_id) AS guest_purchases,
        sum(cents) AS purchase_amount_cents,
        coalesce(sum(cents) FILTER (WHERE member_id IS NOT NULL), 0) AS member_purchase_amount_cents,
        sum(items) AS items
    FROM windowed
    WHERE cents > 0
    GROUP BY grp
),
member_group AS (
    SELECT grp, member_id, count(*) AS f, min(day) AS first_day, max(day) AS last_day
    FROM windowed
    WHERE cents > 0 AND member_id IS NOT NULL
    GROUP BY grp, member_id
),
buyers AS (
    SELECT
        grp,
        count(*) AS buyers,
        count(*) FILTER (WHERE f >= 2) AS repeat_buyers,
        count(*) FILTER (
            WHERE date_diff('day', first_day, getvariable('as_of')) >= getvariable('new_days')
              AND date_diff('day', last_day, getvariable('as_of')) >= getvariable('churn_after')
        ) AS churned
    FROM member_group
    GROUP BY grp
),
annual AS (
    SELECT
        grp,
        sum(cents) AS annual_net_cents,
        count(DISTINCT member_id) FILTER (WHERE cents > 0) AS annual_buyers
    FROM last_year
    WHERE member_id IS NOT NULL
    GROUP BY grp
),
totals AS (
    SELECT
        g.grp,
        coalesce(p.purchases, 0) AS purchases,
        coalesce(p.member_purchases, 0) AS member_purchases,
        coalesce(p.guest_purchases, 0) AS guest_purchases,
        coalesce(p.purchase_amount_cents, 0) AS purchase_amount_cents,
        coalesce(p.member_purchase_amount_cents, 0) AS member_purchase_amount_cents,
        coalesce(p.items, 0) AS items,
        coalesce(b.buyers, 0) AS buyers,
        coalesce(b.repeat_buyers, 0) AS repeat_buyers,
        coalesce(b.churned, 0) AS churned,
        coalesce(a.annual_net_cents, 0) AS annual_net_cents,
        coalesce(a.annual_buyers, 0) AS annual_buyers
    FROM groups AS g
    LEFT JOIN purchases AS p USING (grp)
    LEFT JOIN buyers AS b USING (grp)
    LEFT JOIN annual AS a USING (grp)
)
SELECT
    *,
    CASE WHEN purchases > 0 THEN member_purchases / purchases END AS member_order_share,
    CASE WHEN buyers > 0 THEN repeat_buyers / buyers END AS repeat_purchase_rate,
    CASE WHEN purchases > 0 THEN purchase_amount_cents / 100 / purchases END AS aov,
    CASE WHEN member_purchases > 0 THEN member_purchase_amount_cents / 100 / member_purchases END
        AS member_aov,
    CASE WHEN purchases > 0 THEN items / purchases END AS items_per_order,
    CASE WHEN buyers > 0 THEN member_purchases / buyers END AS purchases_per_buyer,
    CASE WHEN annual_buyers > 0 THEN annual_net_cents / 100 / annual_buyers END
        AS annual_contribution,
    CASE WHEN buyers > 0 THEN churned / buyers END AS churn_rate
FROM totals
ORDER BY grp;
