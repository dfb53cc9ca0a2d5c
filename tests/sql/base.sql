-- SPEC §2 per member: only orders dated on or before as_of, and within
-- (as_of - window_days, as_of] when a window is set, count. A purchase is an order with
-- amount > 0. F = purchases, M = net amount (refunds included), R = as_of - last purchase.
-- Every member of the members table or of any order is listed (F = 0 without a purchase).
-- Variables: as_of (DATE), window_days (INTEGER or NULL).

CREATE OR REPLACE VIEW counted AS
SELECT *
FROM orders
WHERE day <= getvariable('as_of')
  AND (getvariable('window_days') IS NULL
       OR day > getvariable('as_of') - CAST(getvariable('window_days') AS INTEGER));

CREATE OR REPLACE VIEW everyone AS
SELECT member_id FROM members
UNION
SELECT member_id FROM orders WHERE member_id IS NOT NULL;

CREATE OR REPLACE VIEW member_base AS
SELECT
    e.member_id,
    count(c.cents) FILTER (WHERE c.cents > 0) AS frequency,
    coalesce(sum(c.cents), 0) AS monetary_cents,
    min(c.day) FILTER (WHERE c.cents > 0) AS first_purchase,
    max(c.day) FILTER (WHERE c.cents > 0) AS last_purchase,
    date_diff('day', max(c.day) FILTER (WHERE c.cents > 0), getvariable('as_of')) AS recency
FROM everyone AS e
LEFT JOIN counted AS c USING (member_id)
GROUP BY e.member_id;

-- SPEC §2's default segment map over the R and F scores.
CREATE OR REPLACE MACRO default_segment(r, f) AS CASE
    WHEN r = 5 AND f BETWEEN 4 AND 5 THEN 'champions'
    WHEN r BETWEEN 3 AND 4 AND f BETWEEN 4 AND 5 THEN 'loyal'
    WHEN r BETWEEN 4 AND 5 AND f BETWEEN 2 AND 3 THEN 'potential_loyalist'
    WHEN r = 5 AND f = 1 THEN 'new'
    WHEN r = 4 AND f = 1 THEN 'promising'
    WHEN r = 3 AND f = 3 THEN 'need_attention'
    WHEN r = 3 AND f BETWEEN 1 AND 2 THEN 'about_to_sleep'
    WHEN r BETWEEN 1 AND 2 AND f = 5 THEN 'cant_lose'
    WHEN r BETWEEN 1 AND 2 AND f BETWEEN 3 AND 4 THEN 'at_risk'
    WHEN r BETWEEN 1 AND 2 AND f BETWEEN 1 AND 2 THEN 'hibernating'
END;
