-- SPEC §2 `ntile`: NTILE(5) ordered by the value ascending then member id for F and M,
-- and by recency descending then member id for R.

WITH scored AS (
    SELECT
        member_id, recency, frequency, monetary_cents,
        ntile(5) OVER (ORDER BY recency DESC, member_id ASC) AS r,
        ntile(5) OVER (ORDER BY frequency ASC, member_id ASC) AS f,
        ntile(5) OVER (ORDER BY monetary_cents ASC, member_id ASC) AS m
    FROM member_base
    WHERE frequency >= 1
)
SELECT member_id, recency, frequency, monetary_cents, r, f, m, default_segment(r, f) AS segment
FROM scored
ORDER BY member_id;
