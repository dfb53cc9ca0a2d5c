//! The sentence a load report starts with for a platform export or a line-item file (SPEC
//! §1.1), e.g. "Shopify orders export: 2,500 orders from 5,521 line-item rows; 139 cancelled,
//! 215 not paid".

use super::builder::LineCounts;
use super::report::ShopPlatform;
use crate::text::grouped;

/// The summary in English and Chinese, when there is something to say.
pub fn summary(
    platform: Option<&ShopPlatform>,
    lines: Option<&LineCounts>,
) -> Option<(String, String)> {
    if platform.is_none() && lines.is_none() {
        return None;
    }
    let (mut en, mut zh) = match platform {
        Some(p) => (format!("{}: ", p.name), format!("{}：", p.name_zh)),
        None => (String::new(), String::new()),
    };
    let Some(c) = lines else {
        en.push_str("columns read as that platform writes them");
        zh.push_str("按该平台的列含义读取");
        return Some((en, zh));
    };
    if c.lines == c.orders {
        en.push_str(&format!("{} orders", grouped(c.orders)));
        zh.push_str(&format!("{} 笔订单", grouped(c.orders)));
    } else {
        en.push_str(&format!(
            "{} orders from {} line-item rows",
            grouped(c.orders),
            grouped(c.lines)
        ));
        zh.push_str(&format!(
            "{} 行商品明细合并为 {} 笔订单",
            grouped(c.lines),
            grouped(c.orders)
        ));
    }
    if c.refunds > 0 {
        en.push_str(&format!(
            ", {} with a refund from the refunded amount",
            grouped(c.refunds)
        ));
        zh.push_str(&format!("，其中 {} 笔按退款金额记退款", grouped(c.refunds)));
    }
    let mut first = true;
    for (reason, n) in &c.rejected {
        let (e, z) = match reason.as_str() {
            "cancelled order" => ("cancelled", "已取消"),
            "not paid" => ("not paid", "未付款"),
            "missing amount" => ("without an amount", "缺少金额"),
            "missing date" => ("without a date", "缺少时间"),
            _ => (reason.as_str(), reason.as_str()),
        };
        en.push_str(&format!(
            "{} {} {e}",
            if first { ";" } else { "," },
            grouped(*n)
        ));
        zh.push_str(&format!(
            "{}{} 笔{z}",
            if first { "；" } else { "，" },
            grouped(*n)
        ));
        first = false;
    }
    Some((en, zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_platform_and_counts_orders() {
        let p = ShopPlatform {
            id: "shopify-orders".into(),
            name: "Shopify orders export".into(),
            name_zh: "Shopify 订单导出".into(),
        };
        let mut c = LineCounts {
            lines: 5521,
            orders: 2500,
            ..LineCounts::default()
        };
        c.rejected.insert("cancelled order".into(), 139);
        c.rejected.insert("not paid".into(), 215);
        let (en, zh) = summary(Some(&p), Some(&c)).expect("summary");
        assert_eq!(
            en,
            "Shopify orders export: 2,500 orders from 5,521 line-item rows; 139 cancelled, 215 not paid"
        );
        assert_eq!(
            zh,
            "Shopify 订单导出：5,521 行商品明细合并为 2,500 笔订单；139 笔已取消，215 笔未付款"
        );
        assert_eq!(summary(None, None), None);
        let one = LineCounts {
            lines: 263,
            orders: 263,
            refunds: 52,
            ..LineCounts::default()
        };
        assert_eq!(
            summary(Some(&p), Some(&one)).map(|s| s.0).as_deref(),
            Some("Shopify orders export: 263 orders, 52 with a refund from the refunded amount")
        );
    }
}
