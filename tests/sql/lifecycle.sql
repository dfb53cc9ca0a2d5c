-- SPEC §2 lifecycle stage of every member: prospect without a purchase; new while
-- as_of - first purchase < new_days; else by days since the last purchase d:
-- active if d < dormant_after, dormant if d < churn_after, else churned.
-- Variables: new_days, dormant_after, churn_after.

SELECT
    member_id,
    CASE
        WHEN frequency = 0 THEN 'prospect'
        WHEN date_diff('day', first_purchase, getvariable('as_of')) < getvariable('new_days')
            THEN 'new'
        WHEN recency < getvariable('dormant_after') THEN 'active'
        WHEN recency < getvariable('churn_after') THEN 'dormant'
        ELSE 'churned'
    END AS stage
FROM member_base
ORDER BY member_id;
