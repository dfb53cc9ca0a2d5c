-- SPEC §2 cohorts. A member's cohort is the calendar month / ISO week / quarter of the first
-- purchase (or of the join date). For cohort c and k >= 0 up to the period of as_of:
-- size = members of c, active = members of c with a purchase in period c+k,
-- retention = active / size, revenue = net amount of c's orders dated in period c+k.
-- Orders count as in member_base (on or before as_of, within the window).
-- Variables: period ('month' | 'week' | 'quarter'), cohort_by ('first_purchase' | 'join_date').

CREATE OR REPLACE MACRO period_start(d) AS CAST(CASE getvariable('period')
    WHEN 'month' THEN date_trunc('month', d)
    WHEN 'quarter' THEN date_trunc('quarter', d)
    ELSE date_trunc('week', d)  -- ISO weeks start on Monday
END AS DATE);

CREATE OR REPLACE MACRO period_label(d) AS CASE getvariable('period')
    WHEN 'month' THEN strftime(d, '%Y-%m')
    WHEN 'quarter' THEN year(d) || '-Q' || quarter(d)
    ELSE isoyear(d) || '-W' || lpad(CAST(week(d) AS VARCHAR), 2, '0')
END;

-- Whole periods from the period of a to the period of b.
CREATE OR REPLACE MACRO periods_between(a, b) AS CASE getvariable('period')
    WHEN 'month' THEN date_diff('month', period_start(a), period_start(b))
    WHEN 'quarter' THEN date_diff('quarter', period_start(a), period_start(b))
    ELSE date_diff('day', period_start(a), period_start(b)) // 7
END;

WITH member_cohort AS (
    SELECT
        b.member_id,
        CASE getvariable('cohort_by')
            WHEN 'join_date' THEN m.join_date
            ELSE b.first_purchase
        END AS cohort_day
    FROM member_base AS b
    LEFT JOIN members AS m USING (member_id)
),
in_cohort AS (
    SELECT member_id, period_start(cohort_day) AS cohort_start
    FROM member_cohort
    WHERE cohort_day IS NOT NULL AND cohort_day <= getvariable('as_of')
),
cohorts AS (
    SELECT cohort_start, count(*) AS size
    FROM in_cohort
    GROUP BY cohort_start
),
grid AS (
    SELECT
        cohort_start, size,
        unnest(range(0, periods_between(cohort_start, getvariable('as_of')) + 1)) AS k
    FROM cohorts
),
activity AS (
    SELECT
        i.cohort_start,
        periods_between(i.cohort_start, c.day) AS k,
        count(DISTINCT c.member_id) FILTER (WHERE c.cents > 0) AS active,
        sum(c.cents) AS revenue_cents
    FROM in_cohort AS i
    JOIN counted AS c USING (member_id)
    WHERE c.day >= i.cohort_start
    GROUP BY ALL
)
SELECT
    period_label(g.cohort_start) AS cohort,
    g.k AS period,
    g.size,
    coalesce(a.active, 0) AS active,
    coalesce(a.active, 0) / g.size AS retention,
    coalesce(a.revenue_cents, 0) AS revenue_cents
FROM grid AS g
LEFT JOIN activity AS a USING (cohort_start, k)
ORDER BY g.cohort_start, g.k;
