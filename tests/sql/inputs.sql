-- The input tables, read by DuckDB itself from the CSV exports, with SPEC §1's status rules:
-- cancelled rows (and, §1.1, unpaid or voided ones) are dropped, refund rows count with a
-- negative amount. Amounts become
-- integer cents through DECIMAL, so every sum below is exact.
-- Placeholders filled in by the driver: {orders}, {members} (file paths).

CREATE OR REPLACE VIEW orders AS
SELECT
    nullif(trim(member_id), '') AS member_id,
    CAST(CAST(order_time AS TIMESTAMP) AS DATE) AS day,
    CASE
        WHEN lower(trim(status)) IN ('refund', 'refunded', 'returned', '退款', '已退款', '退货')
            THEN -abs(CAST(CAST(paid_amount AS DECIMAL(18, 2)) * 100 AS BIGINT))
        ELSE CAST(CAST(paid_amount AS DECIMAL(18, 2)) * 100 AS BIGINT)
    END AS cents,
    coalesce(CAST(nullif(trim(items), '') AS BIGINT), 0) AS items,
    nullif(trim(channel), '') AS channel,
    nullif(trim(store), '') AS store,
    nullif(trim(guide), '') AS guide,
    nullif(trim(brand), '') AS brand,
    nullif(trim(category), '') AS category
FROM read_csv('{orders}', header = true, all_varchar = true)
WHERE lower(coalesce(trim(status), '')) NOT IN
    ('cancelled', 'canceled', 'closed', '已取消', '取消', '已关闭',
     'voided', '交易关闭', 'pending', 'unpaid', 'authorized', 'awaiting payment',
     '等待买家付款', '待付款', '未付款');

CREATE OR REPLACE VIEW members AS
SELECT
    trim(member_id) AS member_id,
    CAST(nullif(trim(join_date), '') AS DATE) AS join_date,
    nullif(trim(tier), '') AS tier,
    nullif(trim(city), '') AS city
FROM read_csv('{members}', header = true, all_varchar = true);
