//! Order status (SPEC §1): cancelled orders are dropped, refunds count as negative amounts.

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
];

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

/// What a status value means for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// A normal order.
    Normal,
    /// Dropped.
    Cancelled,
    /// Its amount is made negative.
    Refund,
}

/// Classifies a status value.
pub fn status_class(raw: &str) -> StatusClass {
    let s = raw.trim();
    let is = |list: &[&str]| list.iter().any(|v| v.eq_ignore_ascii_case(s));
    if is(CANCELLED) {
        StatusClass::Cancelled
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
    }
}
