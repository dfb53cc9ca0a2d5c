//! Order status (SPEC §1, §1.1): cancelled and unpaid orders are dropped, refunds count as
//! negative amounts.

/// Status values that mean the order was cancelled (compared lower-cased, trimmed).
pub const CANCELLED: &[&str] = &[
    "cancelled",
    "canceled",
    "closed",
    "voided",
    "已取消",
    "取消",
    "已关闭",
    "交易关闭",
    "交易被淘宝关闭",
];

/// The prefix JD writes before the status of a deleted order (`(删除)等待出库`): cancelled.
pub const DELETED: &str = "(删除)";

/// Status values that mean a refund.
pub const REFUNDED: &[&str] = &[
    "refund",
    "refunded",
    "returned",
    "退款",
    "已退款",
    "退货",
    "退款成功",
    "已退货",
];

/// Status values that mean the order was not paid, or only authorized (SPEC §1.1): the
/// statuses Shopify (`financial_status`), WooCommerce, Tmall / Taobao, Youzan and JD write for
/// an order still awaiting payment or whose payment failed or expired.
pub const NOT_PAID: &[&str] = &[
    "pending",
    "unpaid",
    "authorized",
    "expired",
    "awaiting payment",
    "awaiting_payment",
    "on-hold",
    "on_hold",
    "failed",
    "checkout-draft",
    "draft",
    "等待买家付款",
    "等待付款确认",
    "外卡支付付款确认中",
    "待付款",
    "未付款",
    "等待付款",
    "待支付",
    "未支付",
];

/// What a status value means for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// A normal order.
    Normal,
    /// Dropped.
    Cancelled,
    /// Not paid (pending, only authorized): dropped as `not paid`.
    NotPaid,
    /// Its amount is made negative.
    Refund,
}

impl StatusClass {
    /// The reject reason of a dropped row (`cancelled order`, `not paid`).
    pub fn reason(self) -> &'static str {
        match self {
            StatusClass::NotPaid => "not paid",
            _ => "cancelled order",
        }
    }
}

/// Classifies a status value.
pub fn status_class(raw: &str) -> StatusClass {
    let s = raw.trim();
    let is = |list: &[&str]| list.iter().any(|v| v.eq_ignore_ascii_case(s));
    if is(CANCELLED) || s.starts_with(DELETED) || s.starts_with("（删除）") {
        StatusClass::Cancelled
    } else if is(NOT_PAID) {
        StatusClass::NotPaid
    } else if is(REFUNDED) {
        StatusClass::Refund
    } else {
        StatusClass::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_english_and_chinese_statuses() {
        assert_eq!(status_class(" Cancelled "), StatusClass::Cancelled);
        assert_eq!(status_class("已关闭"), StatusClass::Cancelled);
        assert_eq!(status_class("REFUNDED"), StatusClass::Refund);
        assert_eq!(status_class("退款成功"), StatusClass::Refund);
        assert_eq!(status_class("paid"), StatusClass::Normal);
        assert_eq!(status_class(""), StatusClass::Normal);
        assert_eq!(status_class("pending"), StatusClass::NotPaid);
        assert_eq!(status_class("Authorized"), StatusClass::NotPaid);
        assert_eq!(status_class("等待买家付款"), StatusClass::NotPaid);
        assert_eq!(status_class("voided"), StatusClass::Cancelled);
        assert_eq!(status_class("(删除)等待出库"), StatusClass::Cancelled);
        assert_eq!(status_class("partially_refunded"), StatusClass::Normal);
        assert_eq!(status_class("checkout-draft"), StatusClass::NotPaid);
        assert_eq!(status_class("partially_refunded"), StatusClass::Normal);
    }
}
