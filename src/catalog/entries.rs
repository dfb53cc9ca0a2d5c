//! The member columns, one entry each: labels, kind, unit, when missing, the computation as a
//! vector over members and the SQL over the compiled query's per-member row. Values follow
//! SPEC §2 and §3: every column but `monetary`, `segment` and `stage` is missing for a member
//! without a purchase in the window.

use super::values::{Ctx, Values};
use super::{Domain, Kind, MemberColumn, Source, SqlScope, Text, Unit};
use crate::metrics::clv::MemberClv;
use crate::metrics::lifecycle::{bucket_of, BUCKETS};
use crate::Result;

/// "no purchase in the window", the missing rule of most columns.
const NO_PURCHASE: Option<Text> = Some(Text {
    en: "no purchase in the window",
    zh: "窗口内无购买",
});

/// Every member column, in the order pickers list them.
pub static COLUMNS: &[MemberColumn] = &[
    MemberColumn {
        id: "recency_days",
        kind: Kind::Int,
        unit: Unit::Days,
        label: Text { en: "Days since last purchase", zh: "距上次购买天数" },
        help: Text {
            en: "as_of minus the day of the last purchase (R of RFM)",
            zh: "分析日期减去最后一次购买日期（RFM 的 R）",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Int(c.of_buyers(|m| b.last[m].map(|d| i64::from(b.as_of - d)))))
        },
        sql: Some(|s| {
            let (b, a) = (s.base(), s.as_of());
            bought(b, &format!("{a} - {b}.last_day"))
        }),
    },
    MemberColumn {
        id: "frequency",
        kind: Kind::Int,
        unit: Unit::Purchases,
        label: Text { en: "Purchases", zh: "购买次数" },
        help: Text {
            en: "orders with an amount above 0 in the window (F of RFM)",
            zh: "窗口内金额大于 0 的订单数（RFM 的 F）",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Int(c.of_buyers(|m| Some(i64::from(b.frequency[m])))))
        },
        sql: Some(|s| {
            let b = s.base();
            bought(b, &format!("{b}.frequency"))
        }),
    },
    MemberColumn {
        id: "monetary",
        kind: Kind::Money,
        unit: Unit::Currency,
        label: Text { en: "Net spend", zh: "净消费金额" },
        help: Text {
            en: "sum of all amounts in the window, refunds included (M of RFM); 0 without orders",
            zh: "窗口内全部金额之和，含退款（RFM 的 M）；无订单为 0",
        },
        missing: None,
        source: Source::Base,
        domain: None,
        compute: |c| Ok(Values::Money(c.map(|m| Some(c.an.base(c.ds).monetary[m])))),
        sql: Some(|s| format!("CAST({}.monetary_cents AS DOUBLE) / 100", s.base())),
    },
    MemberColumn {
        id: "aov",
        kind: Kind::Num,
        unit: Unit::Currency,
        label: Text { en: "Average order value", zh: "客单价" },
        help: Text {
            en: "sum of the purchase amounts / purchases (refunds excluded)",
            zh: "购买金额之和 / 购买次数（不含退款）",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Num(c.of_buyers(|m| {
                Some(b.gross[m] as f64 / 100.0 / f64::from(b.frequency[m]))
            })))
        },
        sql: Some(|s| {
            let b = s.base();
            bought(
                b,
                &format!("CAST({b}.gross_cents AS DOUBLE) / 100 / CAST({b}.frequency AS DOUBLE)"),
            )
        }),
    },
    MemberColumn {
        id: "items_per_order",
        kind: Kind::Num,
        unit: Unit::Items,
        label: Text { en: "Items per order", zh: "连带率" },
        help: Text {
            en: "sum of the items of the member's purchases / purchases",
            zh: "会员购买的件数之和 / 购买次数",
        },
        missing: Some(Text {
            en: "no purchase in the window, or the orders have no items column",
            zh: "窗口内无购买，或订单没有件数列",
        }),
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            if !c.ds.orders.has_items {
                return Ok(Values::Num(c.map(|_| None)));
            }
            Ok(Values::Num(c.of_buyers(|m| {
                Some(b.items[m] as f64 / f64::from(b.frequency[m]))
            })))
        },
        sql: Some(|s| {
            if !s.has_items() {
                return "CAST(NULL AS DOUBLE)".to_string();
            }
            let b = s.base();
            bought(
                b,
                &format!("CAST({b}.items AS DOUBLE) / CAST({b}.frequency AS DOUBLE)"),
            )
        }),
    },
    MemberColumn {
        id: "purchase_interval_days",
        kind: Kind::Num,
        unit: Unit::Days,
        label: Text { en: "Repurchase cycle (days)", zh: "复购周期（天）" },
        help: Text {
            en: "(last purchase day − first purchase day) / (distinct purchase days − 1)",
            zh: "（最后购买日 − 首次购买日）/（不同购买日数 − 1）",
        },
        missing: Some(Text {
            en: "fewer than 2 distinct purchase days in the window",
            zh: "窗口内不同购买日少于 2 天",
        }),
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Num(c.of_buyers(|m| {
                let (first, last, days) = (b.first[m]?, b.last[m]?, b.purchase_days[m]);
                (days >= 2).then(|| f64::from(last - first) / f64::from(days - 1))
            })))
        },
        sql: Some(|s| {
            let b = s.base();
            format!(
                "CASE WHEN {b}.purchase_days >= 2 THEN CAST({b}.last_day - {b}.first_day AS DOUBLE) \
                 / CAST({b}.purchase_days - 1 AS DOUBLE) END"
            )
        }),
    },
    MemberColumn {
        id: "first_purchase_days",
        kind: Kind::Int,
        unit: Unit::Days,
        label: Text { en: "Days since first purchase", zh: "距首次购买天数" },
        help: Text {
            en: "as_of minus the day of the first purchase",
            zh: "分析日期减去首次购买日期",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Int(c.of_buyers(|m| b.first[m].map(|d| i64::from(b.as_of - d)))))
        },
        sql: Some(|s| {
            let (b, a) = (s.base(), s.as_of());
            bought(b, &format!("{a} - {b}.first_day"))
        }),
    },
    MemberColumn {
        id: "tenure_days",
        kind: Kind::Int,
        unit: Unit::Days,
        label: Text { en: "Tenure (days)", zh: "会员时长（天）" },
        help: Text {
            en: "as_of minus the join date, or minus the first purchase without a join date",
            zh: "分析日期减去入会日期；无入会日期时减去首次购买日期",
        },
        missing: NO_PURCHASE,
        source: Source::Members,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            let join = c.join_days();
            Ok(Values::Int(c.of_buyers(|m| {
                let start = join.and_then(|j| j[m]).or(b.first[m]);
                start.map(|d| i64::from(b.as_of - d))
            })))
        },
        sql: Some(|s| {
            let (b, a) = (s.base(), s.as_of());
            let start = match s.join_day() {
                Some(join) => format!("COALESCE({join}, {b}.first_day)"),
                None => format!("{b}.first_day"),
            };
            bought(b, &format!("{a} - {start}"))
        }),
    },
    MemberColumn {
        id: "discount_share",
        kind: Kind::Num,
        unit: Unit::Share,
        label: Text { en: "Discounted purchase share", zh: "折扣订单占比" },
        help: Text {
            en: "purchases with a discount amount above 0 / purchases",
            zh: "折扣金额大于 0 的购买次数 / 购买次数",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(Values::Num(c.of_buyers(|m| {
                Some(f64::from(b.discounted[m]) / f64::from(b.frequency[m]))
            })))
        },
        sql: Some(|s| {
            let b = s.base();
            bought(
                b,
                &format!("CAST({b}.discounted AS DOUBLE) / CAST({b}.frequency AS DOUBLE)"),
            )
        }),
    },
    MemberColumn {
        id: "first_purchase",
        kind: Kind::Date,
        unit: Unit::Date,
        label: Text { en: "First purchase", zh: "首次购买日期" },
        help: Text {
            en: "the day of the first purchase in the window",
            zh: "窗口内首次购买的日期",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| Ok(Values::Date(c.map(|m| c.an.base(c.ds).first[m]))),
        sql: Some(|s| format!("{}.first_day", s.base())),
    },
    MemberColumn {
        id: "last_purchase",
        kind: Kind::Date,
        unit: Unit::Date,
        label: Text { en: "Last purchase", zh: "最后购买日期" },
        help: Text {
            en: "the day of the last purchase in the window",
            zh: "窗口内最后一次购买的日期",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: None,
        compute: |c| Ok(Values::Date(c.map(|m| c.an.base(c.ds).last[m]))),
        sql: Some(|s| format!("{}.last_day", s.base())),
    },
    MemberColumn {
        id: "r",
        kind: Kind::Int,
        unit: Unit::Score,
        label: Text { en: "R score", zh: "R 分" },
        help: Text {
            en: "recency score, 1 to 5 (5 = most recent)",
            zh: "最近购买得分，1 至 5（5 为最近）",
        },
        missing: NO_PURCHASE,
        source: Source::Rfm,
        domain: None,
        compute: |c| Ok(score(c, &c.an.rfm(c.ds).r)),
        sql: Some(|s| format!("{}.r", s.rfm())),
    },
    MemberColumn {
        id: "f",
        kind: Kind::Int,
        unit: Unit::Score,
        label: Text { en: "F score", zh: "F 分" },
        help: Text {
            en: "frequency score, 1 to 5 (5 = most purchases)",
            zh: "购买频次得分，1 至 5（5 为最多）",
        },
        missing: NO_PURCHASE,
        source: Source::Rfm,
        domain: None,
        compute: |c| Ok(score(c, &c.an.rfm(c.ds).f)),
        sql: Some(|s| format!("{}.f", s.rfm())),
    },
    MemberColumn {
        id: "m",
        kind: Kind::Int,
        unit: Unit::Score,
        label: Text { en: "M score", zh: "M 分" },
        help: Text {
            en: "monetary score, 1 to 5 (5 = highest net spend)",
            zh: "消费金额得分，1 至 5（5 为最高）",
        },
        missing: NO_PURCHASE,
        source: Source::Rfm,
        domain: None,
        compute: |c| Ok(score(c, &c.an.rfm(c.ds).m)),
        sql: Some(|s| format!("{}.m", s.rfm())),
    },
    MemberColumn {
        id: "segment",
        kind: Kind::Label,
        unit: Unit::Id,
        label: Text { en: "RFM segment", zh: "RFM 分群" },
        help: Text {
            en: "the segment of the member's R and F (and M) scores in the segment map; prospect without a purchase",
            zh: "按分群规则由 R、F（及 M）得分确定的分群；无购买为潜在客户",
        },
        missing: None,
        source: Source::Rfm,
        domain: Some(Domain::Segments),
        compute: |c| Ok(Values::Label(c.map(|m| Some(c.an.segment_id(c.ds, m))))),
        sql: Some(|s| {
            let prospect = s.dialect().string(crate::metrics::segments::PROSPECT);
            format!("COALESCE({}.segment, {prospect})", s.rfm())
        }),
    },
    MemberColumn {
        id: "stage",
        kind: Kind::Label,
        unit: Unit::Id,
        label: Text { en: "Lifecycle stage", zh: "生命周期阶段" },
        help: Text {
            en: "prospect, new, active, dormant or churned by the lifecycle thresholds",
            zh: "按生命周期阈值划分的潜在、新客、活跃、沉睡或流失",
        },
        missing: None,
        source: Source::Lifecycle,
        domain: Some(Domain::Stages),
        compute: |c| Ok(Values::Label(c.map(|m| Some(c.an.stages[m].id())))),
        sql: Some(|s| format!("{}.stage", s.stage())),
    },
    MemberColumn {
        id: "join_bucket",
        kind: Kind::Label,
        unit: Unit::Id,
        label: Text { en: "Days since joining (bucket)", zh: "入会天数分段" },
        help: Text {
            en: "as_of minus the join date, in onboarding buckets (0-3, 4-7, … >90)",
            zh: "分析日期减去入会日期，按新手期分段（0-3、4-7 … >90）",
        },
        missing: Some(Text {
            en: "no join date, or joined after as_of",
            zh: "无入会日期，或在分析日期之后入会",
        }),
        source: Source::Members,
        domain: Some(Domain::Buckets),
        compute: |c| {
            let as_of = c.an.as_of;
            Ok(match c.join_days() {
                Some(join) => buckets(c, |m| join[m].map(|d| as_of - d)),
                None => Values::Label(c.map(|_| None)),
            })
        },
        sql: Some(|s| {
            let a = s.as_of();
            match s.join_day() {
                Some(join) => bucket_sql(s, &format!("{a} - {join}")),
                None => format!("CAST(NULL AS {})", s.dialect().text_type()),
            }
        }),
    },
    MemberColumn {
        id: "first_purchase_bucket",
        kind: Kind::Label,
        unit: Unit::Id,
        label: Text { en: "Days since first purchase (bucket)", zh: "首购天数分段" },
        help: Text {
            en: "as_of minus the first purchase, in onboarding buckets (0-3, 4-7, … >90)",
            zh: "分析日期减去首次购买日期，按新手期分段（0-3、4-7 … >90）",
        },
        missing: NO_PURCHASE,
        source: Source::Base,
        domain: Some(Domain::Buckets),
        compute: |c| {
            let b = c.an.base(c.ds);
            Ok(buckets(c, |m| b.first[m].map(|d| b.as_of - d)))
        },
        sql: Some(|s| {
            let (b, a) = (s.base(), s.as_of());
            bucket_sql(s, &format!("{a} - {b}.first_day"))
        }),
    },
    MemberColumn {
        id: "p_alive",
        kind: Kind::Num,
        unit: Unit::Probability,
        label: Text { en: "P(alive)", zh: "存活概率" },
        help: Text {
            en: "probability that the member still buys (BG/NBD fitted up to as_of)",
            zh: "会员仍会购买的概率（BG/NBD 模型，拟合至分析日期）",
        },
        missing: Some(Text {
            en: "no purchase by as_of",
            zh: "分析日期前无购买",
        }),
        source: Source::Clv,
        domain: None,
        compute: |c| clv(c, |p| p.p_alive),
        sql: None,
    },
    MemberColumn {
        id: "expected_purchases_90d",
        kind: Kind::Num,
        unit: Unit::Purchases,
        label: Text { en: "Expected purchases (90 days)", zh: "未来 90 天预计购买次数" },
        help: Text {
            en: "purchases the BG/NBD model expects in the 90 days after as_of",
            zh: "BG/NBD 模型预计分析日期后 90 天内的购买次数",
        },
        missing: Some(Text {
            en: "no purchase by as_of",
            zh: "分析日期前无购买",
        }),
        source: Source::Clv,
        domain: None,
        compute: |c| clv(c, |p| p.expected_purchases_90d),
        sql: None,
    },
    MemberColumn {
        id: "clv",
        kind: Kind::Num,
        unit: Unit::Currency,
        label: Text { en: "Predicted lifetime value", zh: "预测客户终身价值" },
        help: Text {
            en: "expected spend over the next 365 days, discounted 1% a month (BG/NBD × Gamma-Gamma)",
            zh: "未来 365 天的预期消费，按每月 1% 折现（BG/NBD × Gamma-Gamma）",
        },
        missing: Some(Text {
            en: "no purchase by as_of",
            zh: "分析日期前无购买",
        }),
        source: Source::Clv,
        domain: None,
        compute: |c| clv(c, |p| p.clv),
        sql: None,
    },
];

/// `CASE WHEN b.frequency > 0 THEN x END`: missing without a purchase.
fn bought(b: &str, x: &str) -> String {
    format!("CASE WHEN {b}.frequency > 0 THEN {x} END")
}

/// An RFM score column: missing for members without a score.
fn score<'a>(c: &Ctx<'a>, scores: &[u8]) -> Values<'a> {
    Values::Int(c.map(|m| (scores[m] > 0).then_some(i64::from(scores[m]))))
}

/// The bucket of each member's number of days (missing for a negative number or none).
fn buckets<'a>(c: &Ctx<'a>, days: impl Fn(usize) -> Option<i32>) -> Values<'a> {
    Values::Label(c.map(|m| days(m).and_then(bucket_of).map(|k| BUCKETS[k].id)))
}

/// The bucket of `days` (a day-number difference) in SQL, as [`bucket_of`] gives it.
fn bucket_sql(s: &mut dyn SqlScope, days: &str) -> String {
    let d = s.dialect();
    let whens: Vec<String> = BUCKETS
        .iter()
        .map(|b| match b.max {
            Some(max) => format!("WHEN {days} <= {max} THEN {}", d.string(b.id)),
            None => format!("ELSE {}", d.string(b.id)),
        })
        .collect();
    format!(
        "CASE WHEN {days} IS NULL OR {days} < 0 THEN NULL {} END",
        whens.join(" ")
    )
}

/// A CLV prediction: fits the model on first use (an error names the fit's problem).
fn clv<'a>(c: &Ctx<'a>, value: fn(&MemberClv) -> f64) -> Result<Values<'a>> {
    let model = c.an.clv(c.ds)?;
    Ok(Values::Num(c.map(|m| model.members[m].as_ref().map(value))))
}
