//! Column roles (SPEC §1): detected from header names in English and Chinese, overridable.

use super::TableKind;
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// The roles of each table, in SPEC §1 order, with the header names that suggest them.
/// Names are compared after [`normalize`].
fn synonyms(kind: TableKind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        TableKind::Orders => &[
            ("member_id", MEMBER_ID),
            (
                "order_id",
                &[
                    "order_id",
                    "orderid",
                    "order_no",
                    "order_number",
                    "订单号",
                    "订单编号",
                    "订单id",
                ],
            ),
            (
                "order_time",
                &[
                    "order_time",
                    "created_at",
                    "order_date",
                    "date",
                    "time",
                    "paid_at",
                    "下单时间",
                    "支付时间",
                    "订单时间",
                    "付款时间",
                    "创建时间",
                    "日期",
                ],
            ),
            (
                "amount",
                &[
                    "paid_amount",
                    "amount",
                    "total",
                    "total_price",
                    "payment",
                    "实付金额",
                    "支付金额",
                    "订单金额",
                    "成交金额",
                    "实付款",
                    "金额",
                ],
            ),
            (
                "status",
                &[
                    "status",
                    "order_status",
                    "financial_status",
                    "订单状态",
                    "状态",
                    "交易状态",
                ],
            ),
            (
                "discount",
                &[
                    "discount",
                    "discount_amount",
                    "total_discounts",
                    "优惠金额",
                    "折扣金额",
                    "优惠",
                ],
            ),
            (
                "items",
                &[
                    "items",
                    "quantity",
                    "qty",
                    "item_count",
                    "units",
                    "件数",
                    "商品件数",
                    "商品数量",
                    "数量",
                ],
            ),
            (
                "channel",
                &[
                    "channel",
                    "source",
                    "source_name",
                    "渠道",
                    "来源渠道",
                    "下单渠道",
                ],
            ),
            ("store", STORE),
            ("guide", GUIDE),
            ("brand", &["brand", "vendor", "品牌"]),
            (
                "category",
                &["category", "product_type", "类目", "品类", "商品类目"],
            ),
            ("sku", &["sku", "sku_id", "商品编码", "货号"]),
        ],
        TableKind::Members => &[
            ("member_id", MEMBER_ID),
            (
                "join_date",
                &[
                    "join_date",
                    "joined_at",
                    "created_at",
                    "signup_date",
                    "register_time",
                    "注册时间",
                    "入会时间",
                    "注册日期",
                    "开卡时间",
                ],
            ),
            (
                "tags",
                &["tags", "labels", "tag", "标签", "会员标签", "客户标签"],
            ),
            (
                "phone",
                &[
                    "phone",
                    "mobile",
                    "phone_number",
                    "手机",
                    "手机号",
                    "手机号码",
                    "电话",
                ],
            ),
            ("email", &["email", "e_mail", "mail", "邮箱", "电子邮箱"]),
            (
                "tier",
                &[
                    "tier",
                    "level",
                    "member_level",
                    "grade",
                    "会员等级",
                    "等级",
                    "会员级别",
                ],
            ),
            ("store", STORE),
            ("guide", GUIDE),
        ],
        TableKind::MemberTags => &[
            ("member_id", MEMBER_ID),
            (
                "tag",
                &["tag", "tags", "label", "标签", "标签名", "标签名称"],
            ),
        ],
    }
}

const MEMBER_ID: &[&str] = &[
    "member_id",
    "memberid",
    "customer_id",
    "customerid",
    "user_id",
    "userid",
    "member_no",
    "card_no",
    "会员id",
    "会员编号",
    "客户id",
    "用户id",
    "会员卡号",
    "客户编号",
];
const STORE: &[&str] = &[
    "store",
    "store_name",
    "shop",
    "location",
    "门店",
    "所属门店",
    "店铺",
    "门店名称",
];
const GUIDE: &[&str] = &[
    "guide",
    "staff",
    "sales_rep",
    "associate",
    "导购",
    "专属导购",
    "所属导购",
    "导购员",
];

/// The roles a table kind has, in SPEC order.
pub fn role_names(kind: TableKind) -> Vec<&'static str> {
    synonyms(kind).iter().map(|(role, _)| *role).collect()
}

/// Lower case, with spaces, dashes and dots folded to `_` and surrounding space dropped.
fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Assigns roles to header columns: explicit `mapping` (role → column name) first, then
/// header-name detection for the rest. Returns role → column index.
pub fn assign_roles(
    kind: TableKind,
    headers: &[String],
    mapping: &BTreeMap<String, String>,
    file: &str,
    lenient: bool,
) -> Result<BTreeMap<&'static str, usize>> {
    let table = synonyms(kind);
    let mut roles: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (role, column) in mapping {
        let found_role = table.iter().find(|(r, _)| r == role);
        let found_column = headers.iter().position(|h| h.trim() == column.trim());
        if lenient && (found_role.is_none() || found_column.is_none()) {
            continue;
        }
        let Some((role, _)) = found_role else {
            return Err(Error::option(format!(
                "{file}: unknown role \"{role}\" for {} (roles: {})",
                kind.name(),
                role_names(kind).join(", ")
            )));
        };
        let Some(idx) = found_column else {
            return Err(Error::option(format!(
                "{file}: mapping {role}={column}: no column \"{column}\" (columns: {})",
                headers.join(", ")
            )));
        };
        roles.insert(role, idx);
    }
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    for (role, names) in table {
        if roles.contains_key(role) {
            continue;
        }
        let taken = |i: usize| roles.values().any(|&j| j == i);
        // Earlier synonyms are stronger evidence than later ones.
        let found = names
            .iter()
            .find_map(|n| (0..headers.len()).find(|&i| !taken(i) && normalized[i] == *n));
        if let Some(i) = found {
            roles.insert(role, i);
        }
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_english_and_chinese_headers() {
        let h = headers(&["Customer ID", "Created At", "Total", "渠道"]);
        let roles =
            assign_roles(TableKind::Orders, &h, &BTreeMap::new(), "o.csv", false).expect("roles");
        assert_eq!(roles["member_id"], 0);
        assert_eq!(roles["order_time"], 1);
        assert_eq!(roles["amount"], 2);
        assert_eq!(roles["channel"], 3);
        let h = headers(&["会员编号", "下单时间", "实付金额"]);
        let roles =
            assign_roles(TableKind::Orders, &h, &BTreeMap::new(), "o.csv", false).expect("roles");
        assert_eq!(
            (roles["member_id"], roles["order_time"], roles["amount"]),
            (0, 1, 2)
        );
    }

    #[test]
    fn mapping_overrides_and_names_bad_columns() {
        let h = headers(&["uid", "when", "paid"]);
        let mut m = BTreeMap::new();
        m.insert("member_id".to_string(), "uid".to_string());
        m.insert("amount".to_string(), "paid".to_string());
        let roles = assign_roles(TableKind::Orders, &h, &m, "o.csv", false).expect("roles");
        assert_eq!((roles["member_id"], roles["amount"]), (0, 2));
        m.insert("order_time".to_string(), "whenn".to_string());
        let err = assign_roles(TableKind::Orders, &h, &m, "o.csv", false).expect_err("bad column");
        assert!(err.to_string().contains("no column \"whenn\""), "{err}");
    }
}
