-- SPEC §2 `thresholds`: four user cut points per metric, compared as in `quantile`
-- (F and M: 1 + #{k : x > c_k}, M in currency units). R cut points are days, ascending,
-- and a recency above more cut points scores lower: 5 - #{k : recency > c_k}
-- (the project's documented reading, README "Decisions").
-- Variables: r_cuts, f_cuts, m_cuts (lists of 4 numbers).

WITH scored AS (
    SELECT
        member_id, recency, frequency, monetary_cents,
        5 - (SELECT count(*) FROM unnest(getvariable('r_cuts')) AS t(c) WHERE recency > c) AS r,
        1 + (SELECT count(*) FROM unnest(getvariable('f_cuts')) AS t(c) WHERE frequency > c) AS f,
        1 + (SELECT count(*) FROM unnest(getvariable('m_cuts')) AS t(c)
             WHERE monetary_cents / 100 > c) AS m
    FROM member_base
    WHERE frequency >= 1
)
SELECT member_id, recency, frequency, monetary_cents, r, f, m, default_segment(r, f) AS segment
FROM scored
ORDER BY member_id;
