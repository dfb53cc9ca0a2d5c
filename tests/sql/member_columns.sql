-- Member columns of the catalog, from their definitions, over the orders that count
-- (base.sql's `counted`: on or before as_of, in the window):
--   purchase_interval_days = (last purchase day - first purchase day)
--                            / (distinct purchase days - 1); missing below 2 distinct days
--   items_per_order = sum of the items of the member's purchases / purchases; missing
--                     without a purchase
--   aov = sum of the purchase amounts / purchases; missing without a purchase
-- One row per member of the members table or of any order.

WITH purchases AS (
    SELECT member_id, day, cents, items FROM counted WHERE cents > 0
),
per_member AS (
    SELECT
        member_id,
        count(*) AS f,
        count(DISTINCT day) AS days,
        min(day) AS first_day,
        max(day) AS last_day,
        sum(items) AS items,
        sum(cents) AS gross_cents
    FROM purchases
    GROUP BY member_id
)
SELECT
    e.member_id,
    CASE WHEN p.days >= 2 THEN date_diff('day', p.first_day, p.last_day) / (p.days - 1) END
        AS purchase_interval_days,
    CASE WHEN p.f > 0 THEN p.items / p.f END AS items_per_order,
    CASE WHEN p.f > 0 THEN p.gross_cents / 100 / p.f END AS aov
FROM everyone AS e
LEFT JOIN per_member AS p USING (member_id)
ORDER BY e.member_id;
