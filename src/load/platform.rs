//! Platform export layouts (SPEC §1.1): the header sets that identify the exports marketers
//! download from their shop platforms, with the role each platform's columns play. A file is
//! recognised when it has every column of a layout's signature (compared as the role detector
//! compares headers); its columns then take these roles before names are guessed, and the
//! report and the mapping preview name the platform. Column lists are those of the platforms'
//! own exports (Shopify's orders and customers CSV, WooCommerce Analytics and the Order/Customer
//! CSV Export extension, Tmall / Taobao 订单报表, Youzan 有赞 订单, JD 京东 订单).

use super::key::KeyKind;
use super::report::ShopPlatform;
use super::table::TableKind;

/// One recognised layout.
#[derive(Debug)]
pub struct Layout {
    /// Stable id (`shopify-orders`).
    pub id: &'static str,
    /// English name.
    pub name: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// The table it is.
    pub kind: TableKind,
    /// Columns that must all be present (normalised).
    signature: &'static [&'static str],
    /// Role → column (normalised); the first present column of a role wins.
    pub roles: &'static [(&'static str, &'static str)],
    /// The member key when the layout has no member id column: kind and columns, in order.
    pub key: Option<(KeyKind, &'static [&'static str])>,
    /// Whether its rows are line items (an order's lines on consecutive rows).
    pub line_items: bool,
    /// Whether its order ids are kept, for an order items file of the same platform to join.
    pub keeps_order_id: bool,
}

impl Layout {
    /// The platform as the report names it.
    pub fn platform(&self) -> ShopPlatform {
        ShopPlatform {
            id: self.id.to_string(),
            name: self.name.to_string(),
            name_zh: self.name_zh.to_string(),
        }
    }
}

/// Every layout, most specific first.
pub const LAYOUTS: &[Layout] = &[
    Layout {
        id: "shopify-orders",
        name: "Shopify orders export",
        name_zh: "Shopify 订单导出",
        kind: TableKind::Orders,
        signature: &[
            "name",
            "email",
            "financial_status",
            "lineitem_quantity",
            "lineitem_name",
        ],
        roles: &[
            ("order_id", "name"),
            ("order_time", "created_at"),
            ("amount", "total"),
            ("status", "financial_status"),
            ("discount", "discount_amount"),
            ("refund_amount", "refunded_amount"),
            ("items", "lineitem_quantity"),
            ("brand", "vendor"),
            ("sku", "lineitem_sku"),
            ("channel", "source"),
            ("store", "location"),
        ],
        key: Some((KeyKind::Email, &["email"])),
        line_items: true,
        keeps_order_id: false,
    },
    Layout {
        id: "shopify-customers",
        name: "Shopify customers export",
        name_zh: "Shopify 客户导出",
        kind: TableKind::Members,
        signature: &[
            "first_name",
            "last_name",
            "email",
            "total_spent",
            "total_orders",
        ],
        roles: &[
            ("member_id", "customer_id"),
            ("email", "email"),
            ("phone", "phone"),
            ("tags", "tags"),
        ],
        key: None,
        line_items: false,
        keeps_order_id: false,
    },
    Layout {
        id: "woocommerce-orders",
        name: "WooCommerce orders export",
        name_zh: "WooCommerce 订单导出",
        kind: TableKind::Orders,
        signature: &["order_id", "order_number", "date", "status", "order_total"],
        roles: &[
            ("order_id", "order_id"),
            ("order_time", "date"),
            ("amount", "order_total"),
            ("status", "status"),
            ("discount", "discount_total"),
            ("refund_amount", "refunded_total"),
            ("items", "item_quantity"),
            ("sku", "item_sku"),
        ],
        key: Some((KeyKind::Email, &["billing_email"])),
        line_items: true,
        keeps_order_id: false,
    },
    Layout {
        id: "woocommerce-analytics",
        name: "WooCommerce Analytics orders",
        name_zh: "WooCommerce 分析订单",
        kind: TableKind::Orders,
        signature: &["date", "order_#", "status", "customer", "customer_type"],
        roles: &[
            ("order_id", "order_#"),
            ("order_time", "date"),
            ("amount", "net_sales"),
            ("status", "status"),
            ("items", "items_sold"),
        ],
        key: Some((KeyKind::Nickname, &["customer"])),
        line_items: false,
        keeps_order_id: false,
    },
    Layout {
        id: "tmall-orders",
        name: "Tmall / Taobao order list (订单报表)",
        name_zh: "天猫/淘宝订单报表",
        kind: TableKind::Orders,
        signature: &["订单编号", "买家会员名", "订单状态", "订单创建时间"],
        roles: &[
            ("order_id", "订单编号"),
            ("order_time", "订单创建时间"),
            ("amount", "买家实际支付金额"),
            ("amount", "支付金额"),
            ("status", "订单状态"),
            ("items", "宝贝总数量"),
            ("refund_amount", "退款金额"),
            ("store", "店铺名称"),
        ],
        key: Some((KeyKind::Nickname, &["买家会员名"])),
        line_items: false,
        keeps_order_id: true,
    },
    Layout {
        id: "youzan-orders",
        name: "Youzan orders export (有赞订单)",
        name_zh: "有赞订单导出",
        kind: TableKind::Orders,
        signature: &["订单号", "订单状态", "订单创建时间", "订单实付金额"],
        roles: &[
            ("order_id", "订单号"),
            ("order_time", "订单创建时间"),
            ("amount", "订单实付金额"),
            ("status", "订单状态"),
            ("channel", "销售渠道"),
            ("store", "归属店铺"),
            ("guide", "销售导购"),
            ("refund_amount", "订单已退款金额"),
            ("items", "商品数量"),
            ("category", "商品类目"),
            ("sku", "商品编码"),
        ],
        key: Some((KeyKind::Phone, &["买家手机号", "买家昵称", "粉丝昵称"])),
        line_items: false,
        keeps_order_id: false,
    },
    Layout {
        id: "jd-orders",
        name: "JD orders export (京东订单)",
        name_zh: "京东订单导出",
        kind: TableKind::Orders,
        signature: &["订单号", "商品id", "订购数量", "下单时间", "应付金额"],
        roles: &[
            ("order_id", "订单号"),
            ("order_time", "下单时间"),
            ("amount", "应付金额"),
            ("status", "订单状态"),
            ("items", "订购数量"),
            ("sku", "商品id"),
            ("store", "店铺名称"),
        ],
        key: Some((KeyKind::Nickname, &["下单帐号", "下单账号"])),
        line_items: true,
        keeps_order_id: false,
    },
    Layout {
        id: "taobao-items",
        name: "Tmall / Taobao items list (宝贝报表)",
        name_zh: "天猫/淘宝宝贝报表",
        kind: TableKind::OrderItems,
        signature: TAOBAO_ITEMS,
        roles: &[
            ("order_id", "订单编号"),
            ("items", "购买数量"),
            ("sku", "商家编码"),
        ],
        key: None,
        line_items: false,
        keeps_order_id: false,
    },
];

/// The items file of Taobao / Tmall (宝贝报表): one row per item, joined to the order list by
/// 订单编号 (loaded as the order items table).
pub const TAOBAO_ITEMS: &[&str] = &["订单编号", "标题", "价格", "购买数量"];

/// The layout whose signature `normalized` headers of a `kind` table have.
pub fn recognize(kind: TableKind, normalized: &[String]) -> Option<&'static Layout> {
    let has = |c: &str| normalized.iter().any(|h| h == c);
    LAYOUTS
        .iter()
        .find(|l| l.kind == kind && l.signature.iter().all(|c| has(c)))
}

/// Whether `normalized` headers are a Taobao / Tmall 宝贝报表 (items, no buyer or time).
pub fn is_taobao_items(normalized: &[String]) -> bool {
    TAOBAO_ITEMS
        .iter()
        .all(|c| normalized.iter().any(|h| h == c))
        && !normalized
            .iter()
            .any(|h| h == "买家会员名" || h == "订单创建时间")
}
