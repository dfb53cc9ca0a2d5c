-- SPEC §6, written from SPEC alone. A member exists at D when its join date or its first
-- order (any amount) is on or before D; one that does not is `not_yet`. An existing member
-- has the §2 lifecycle stage as of D: only orders dated on or before D (and after
-- D - window_days, when a window is set) count, a purchase is an order with amount > 0.
-- Variables: window_days, new_days, dormant_after, churn_after (as in base.sql).

CREATE OR REPLACE MACRO stage_at(d) AS TABLE
WITH counted AS (
    SELECT member_id, day, cents
    FROM orders
    WHERE member_id IS NOT NULL
      AND day <= d
      AND (getvariable('window_days') IS NULL
           OR day > d - CAST(getvariable('window_days') AS INTEGER))
), purchases AS (
    SELECT e.member_id,
        min(c.day) FILTER (WHERE c.cents > 0) AS first_purchase,
        max(c.day) FILTER (WHERE c.cents > 0) AS last_purchase
    FROM everyone AS e
    LEFT JOIN counted AS c USING (member_id)
    GROUP BY e.member_id
), born AS (
    SELECT member_id, min(day) AS day
    FROM (
        SELECT member_id, day FROM orders WHERE member_id IS NOT NULL
        UNION ALL
        SELECT member_id, join_date AS day FROM members WHERE join_date IS NOT NULL
    )
    GROUP BY member_id
)
SELECT p.member_id,
    CASE
        WHEN born.day IS NULL OR born.day > d THEN 'not_yet'
        WHEN p.first_purchase IS NULL THEN 'prospect'
        WHEN date_diff('day', p.first_purchase, d) < getvariable('new_days') THEN 'new'
        WHEN date_diff('day', p.last_purchase, d) < getvariable('dormant_after') THEN 'active'
        WHEN date_diff('day', p.last_purchase, d) < getvariable('churn_after') THEN 'dormant'
        ELSE 'churned'
    END AS stage
FROM purchases AS p
LEFT JOIN born USING (member_id);

-- The net amount of each member's orders dated in (a, b].
CREATE OR REPLACE MACRO net_between(a, b) AS TABLE
SELECT member_id, sum(cents) AS net
FROM orders
WHERE member_id IS NOT NULL AND day > a AND day <= b
GROUP BY member_id;

-- The period rates over (a, b]: reactivation (dormant or churned at a, a purchase in (a, b]),
-- churn-in (new, active or dormant at a, churned at b), new-to-repeat (first purchase ever
-- in (a, b], a second purchase day in (a, b]).
CREATE OR REPLACE MACRO rates(a, b) AS TABLE
WITH sa AS (FROM stage_at(a)), sb AS (FROM stage_at(b)),
bought AS (
    SELECT member_id, count(DISTINCT day) AS days
    FROM orders
    WHERE member_id IS NOT NULL AND cents > 0 AND day > a AND day <= b
    GROUP BY member_id
), first_purchase AS (
    SELECT member_id, min(day) AS day
    FROM orders
    WHERE member_id IS NOT NULL AND cents > 0
    GROUP BY member_id
)
SELECT
    count(*) FILTER (WHERE sa.stage IN ('dormant', 'churned')) AS asleep,
    count(*) FILTER (WHERE sa.stage IN ('dormant', 'churned') AND bought.days > 0) AS reactivated,
    count(*) FILTER (WHERE sa.stage IN ('new', 'active', 'dormant')) AS at_risk,
    count(*) FILTER (WHERE sa.stage IN ('new', 'active', 'dormant') AND sb.stage = 'churned') AS churned_in,
    count(*) FILTER (WHERE fp.day > a AND fp.day <= b) AS first_buyers,
    count(*) FILTER (WHERE fp.day > a AND fp.day <= b AND bought.days >= 2) AS repeated
FROM sa
JOIN sb USING (member_id)
LEFT JOIN bought USING (member_id)
LEFT JOIN first_purchase AS fp USING (member_id);

SELECT 1;
