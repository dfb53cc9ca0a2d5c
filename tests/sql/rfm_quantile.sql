-- SPEC §2 `quantile` scores over the members with a purchase: sort the values ascending,
-- v[0..n); cut_k = v[ceil(k*n/5) - 1] for k = 1..4; score = 1 + #{k : x > cut_k}.
-- R is scored on -recency. (DuckDB lists are 1-based: v[i] 0-based is list[i + 1].)

WITH buyers AS (
    SELECT * FROM member_base WHERE frequency >= 1
),
sorted AS (
    SELECT
        count(*) AS n,
        list_sort(list(-recency)) AS r_values,
        list_sort(list(frequency)) AS f_values,
        list_sort(list(monetary_cents)) AS m_values
    FROM buyers
),
cuts AS (
    SELECT
        t.k,
        r_values[CAST(ceil(t.k * n / 5) AS BIGINT)] AS r_cut,
        f_values[CAST(ceil(t.k * n / 5) AS BIGINT)] AS f_cut,
        m_values[CAST(ceil(t.k * n / 5) AS BIGINT)] AS m_cut
    FROM sorted, range(1, 5) AS t(k)
),
scored AS (
    SELECT
        b.member_id, b.recency, b.frequency, b.monetary_cents,
        1 + count(*) FILTER (WHERE -b.recency > c.r_cut) AS r,
        1 + count(*) FILTER (WHERE b.frequency > c.f_cut) AS f,
        1 + count(*) FILTER (WHERE b.monetary_cents > c.m_cut) AS m
    FROM buyers AS b CROSS JOIN cuts AS c
    GROUP BY b.member_id, b.recency, b.frequency, b.monetary_cents
)
SELECT member_id, recency, frequency, monetary_cents, r, f, m, default_segment(r, f) AS segment
FROM scored
ORDER BY member_id;
