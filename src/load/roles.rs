//! Column roles (SPEC §1): given by the caller's mapping, or detected from header names in
//! English and Chinese and from the values of the first rows, each with a confidence.

use super::cell::{Cell, OwnedCell, Row};
use super::coerce::{parse_date, parse_money};
use super::key::{KeyKind, KEY_NAMES};
use super::read::{date_of, money_of};
use super::table::TableKind;
use super::tags::looks_like_tag_list;
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use crate::text::Word;
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
            // The creation time before the payment time (SPEC §1.1): a Tmall 订单列表 has
            // both 订单创建时间 and 订单付款时间, Shopify `Created at` and `Paid at`.
            (
                "order_time",
                &[
                    "order_time",
                    "created_at",
                    "order_date",
                    "订单创建时间",
                    "下单时间",
                    "创建时间",
                    "订单时间",
                    "date",
                    "time",
                    "paid_at",
                    "支付时间",
                    "付款时间",
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
                "refund_amount",
                &[
                    "refund_amount",
                    "refunded_amount",
                    "amount_refunded",
                    "退款金额",
                    "已退款金额",
                    "退款总金额",
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
        TableKind::OrderItems => &[
            (
                "order_id",
                &[
                    "order_id",
                    "order_number",
                    "订单编号",
                    "订单号",
                    "主订单编号",
                ],
            ),
            (
                "items",
                &[
                    "quantity",
                    "qty",
                    "购买数量",
                    "数量",
                    "商品数量",
                    "订购数量",
                ],
            ),
            ("brand", &["brand", "vendor", "品牌"]),
            (
                "category",
                &["category", "product_type", "类目", "品类", "商品类目"],
            ),
            ("sku", &["sku", "sku_id", "商家编码", "商品编码", "货号"]),
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

/// Every role of every table, with its label (the page's mapping preview shows these).
pub const ROLE_WORDS: &[Word] = &[
    Word::new("member_id", "Member ID", "会员ID"),
    Word::new("order_id", "Order ID", "订单号"),
    Word::new("order_time", "Order time", "下单时间"),
    Word::new("amount", "Paid amount", "实付金额"),
    Word::new("status", "Order status", "订单状态"),
    Word::new("refund_amount", "Refunded amount", "退款金额"),
    Word::new("discount", "Discount", "优惠金额"),
    Word::new("items", "Items", "件数"),
    Word::new("channel", "Channel", "渠道"),
    Word::new("store", "Store", "门店"),
    Word::new("guide", "Shopping guide", "导购"),
    Word::new("brand", "Brand", "品牌"),
    Word::new("category", "Category", "品类"),
    Word::new("sku", "SKU", "商品编码"),
    Word::new("join_date", "Join date", "入会日期"),
    Word::new("tags", "Tags", "会员标签"),
    Word::new("phone", "Phone", "手机号"),
    Word::new("email", "Email", "邮箱"),
    Word::new("tier", "Tier", "会员等级"),
    Word::new("tag", "Tag", "标签"),
];

/// The roles a table kind must have (SPEC §1).
pub fn required_roles(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Orders => &["member_id", "order_time", "amount"],
        TableKind::Members => &["member_id"],
        TableKind::MemberTags => &["member_id", "tag"],
        TableKind::OrderItems => &["order_id"],
    }
}

/// The roles a table kind has, in SPEC order.
pub fn role_names(kind: TableKind) -> Vec<&'static str> {
    synonyms(kind).iter().map(|(role, _)| *role).collect()
}

/// Lower case, with spaces, dashes and dots folded to `_` and surrounding space dropped.
pub fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A role given to a column, with how sure the detection is.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The SPEC §1 role name.
    pub role: &'static str,
    /// The column index.
    pub column: usize,
    /// 1.0 for a mapping; 0.95 for a header that is a known name; less for a header that
    /// contains one, or for a role recognised from the values alone.
    pub confidence: f64,
    /// `mapping`, `header` or `values`; for a member key found in place of a member id
    /// column, its kind: `email`, `phone` or `nickname`.
    pub how: &'static str,
}

/// Assigns roles: the caller's `mapping` (role → column name) first, then header names,
/// then the values of `sample` rows for the roles still missing. With `lenient`, mapping
/// entries that do not fit this file are skipped (the CLI applies one `--map` list to all).
pub fn assign_roles(
    kind: TableKind,
    headers: &[String],
    sample: &[Vec<OwnedCell>],
    mapping: &BTreeMap<String, String>,
    file: &str,
    lenient: bool,
) -> Result<Vec<Assignment>> {
    let table = synonyms(kind);
    let mut out: Vec<Assignment> = Vec::new();
    for (role, column) in mapping {
        let found_role = table.iter().find(|(r, _)| r == role);
        let found_column = headers.iter().position(|h| h.trim() == column.trim());
        if lenient && (found_role.is_none() || found_column.is_none()) {
            continue;
        }
        let Some((role, _)) = found_role else {
            return Err(Error::option(format!(
                "{file}: unknown role \"{role}\" for {}{} (roles: {})",
                kind.name(),
                did_you_mean(role, role_names(kind)),
                role_names(kind).join(", ")
            )));
        };
        let Some(column) = found_column else {
            return Err(Error::option(format!(
                "{file}: mapping {role}={column}: no column \"{column}\"{} (columns: {})",
                did_you_mean(column, headers.iter().map(String::as_str)),
                headers.join(", ")
            )));
        };
        out.retain(|a| a.column != column);
        out.push(Assignment {
            role,
            column,
            confidence: 1.0,
            how: "mapping",
        });
    }
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let free = |out: &[Assignment], role: &str, i: usize| {
        !out.iter().any(|a| a.role == role || a.column == i)
    };
    // A platform's export layout gives its columns their roles (SPEC §1.1).
    if let Some(layout) = super::platform::recognize(kind, &normalized) {
        for &(role, column) in layout.roles {
            if let Some(i) = (0..headers.len()).find(|&i| normalized[i] == column) {
                if free(&out, role, i) {
                    out.push(Assignment {
                        role,
                        column: i,
                        confidence: 0.95,
                        how: "platform",
                    });
                }
            }
        }
        if let Some((key, columns)) = layout.key {
            let found = columns.iter().find_map(|c| {
                (0..headers.len()).find(|&i| normalized[i] == *c && free(&out, "member_id", i))
            });
            if let Some(column) = found {
                out.push(Assignment {
                    role: "member_id",
                    column,
                    confidence: 0.95,
                    how: key.name(),
                });
            }
        }
    }
    // Exact names first (earlier synonyms are stronger evidence), then names containing one.
    for exact in [true, false] {
        for (role, names) in table {
            let found = names.iter().find_map(|n| {
                (0..headers.len()).find(|&i| {
                    free(&out, role, i)
                        && if exact {
                            normalized[i] == *n
                        } else {
                            contains_name(&normalized[i], n)
                        }
                })
            });
            if let Some(i) = found {
                let confidence = if exact { 0.95 } else { 0.75 } * agreement(role, sample, i);
                out.push(Assignment {
                    role,
                    column: i,
                    confidence,
                    how: "header",
                });
            }
        }
    }
    if kind == TableKind::Orders && !out.iter().any(|a| a.role == "member_id") {
        if let Some(a) = member_key(&normalized, sample, &out) {
            out.push(a);
        }
    }
    if kind == TableKind::Members && !out.iter().any(|a| a.role == "member_id") {
        key_members(&normalized, sample, &mut out);
    }
    for (role, _) in table {
        if out.iter().any(|a| a.role == *role) {
            continue;
        }
        let best = (0..headers.len())
            .filter(|&i| free(&out, role, i))
            .filter_map(|i| values_score(kind, role, sample, i).map(|s| (i, s)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((i, score)) = best {
            out.push(Assignment {
                role,
                column: i,
                confidence: score,
                how: "values",
            });
        }
    }
    out.sort_by_key(|a| a.column);
    Ok(out)
}

/// The member key of an orders file without a member id column (SPEC §1.1): the first
/// present of an email, a phone or a buyer nickname column, found by header, whose sample
/// values are mostly emails / phones (a masked phone such as `138****8000` is no key: Tmall's
/// 联系手机 is masked, and its buyers are then keyed by 买家会员名); the assignment's `how`
/// names the kind (`email`, `phone`, `nickname`).
fn member_key(
    normalized: &[String],
    sample: &[Vec<OwnedCell>],
    taken: &[Assignment],
) -> Option<Assignment> {
    let free = |i: usize| !taken.iter().any(|a| a.column == i);
    let usable = |kind: KeyKind, i: usize| {
        let fit = match kind {
            KeyKind::Email => share(sample, i, is_email),
            KeyKind::Phone => share(sample, i, is_phone),
            KeyKind::Nickname => None,
        };
        fit.is_none_or(|f| f >= 0.5)
    };
    KEY_NAMES.iter().find_map(|(kind, names)| {
        [true, false]
            .into_iter()
            .find_map(|exact| {
                names.iter().find_map(|n| {
                    (0..normalized.len()).find(|&i| {
                        free(i)
                            && if exact {
                                normalized[i] == *n
                            } else {
                                contains_name(&normalized[i], n)
                            }
                    })
                })
            })
            .filter(|&i| usable(*kind, i))
            .map(|column| Assignment {
                role: "member_id",
                column,
                confidence: 0.9,
                how: kind.name(),
            })
    })
}

/// A members file without a member id column (SPEC §1.1) is keyed as its orders are: by its
/// email column, else its phone column (unless mostly masked), else a buyer nickname header;
/// that column becomes the member id, its `how` naming the kind.
fn key_members(normalized: &[String], sample: &[Vec<OwnedCell>], out: &mut Vec<Assignment>) {
    for (role, kind) in [("email", KeyKind::Email), ("phone", KeyKind::Phone)] {
        let Some(pos) = out.iter().position(|a| a.role == role) else {
            continue;
        };
        let column = out[pos].column;
        if kind == KeyKind::Phone && share(sample, column, is_phone).is_some_and(|f| f < 0.5) {
            continue;
        }
        out[pos] = Assignment {
            role: "member_id",
            column,
            confidence: 0.9,
            how: kind.name(),
        };
        return;
    }
    if let Some(a) = member_key(normalized, sample, out) {
        out.push(a);
    }
}

/// Whether `header` names a member key of `kind` (exactly or as a word / part), for keying the
/// members file as its orders are.
pub fn is_key_header(kind: KeyKind, header: &str) -> bool {
    let h = normalize(header);
    KEY_NAMES
        .iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, names)| names.iter())
        .any(|n| h == *n || contains_name(&h, n))
}

/// A header contains a known name as a word (ASCII) or as a part (CJK).
fn contains_name(header: &str, name: &str) -> bool {
    if name.is_ascii() {
        name.len() >= 4 && header.split('_').any(|w| w == name)
            || name.contains('_') && header.contains(name)
    } else {
        name.chars().count() >= 2 && header.contains(name)
    }
}

/// The non-empty sample values of column `i`.
fn values(sample: &[Vec<OwnedCell>], i: usize) -> impl Iterator<Item = Cell<'_>> {
    sample
        .iter()
        .map(move |r| r.as_slice().cell(i))
        .filter(|c| !c.is_empty())
}

/// Share of sample values of column `i` that fit `test`, or `None` without values.
fn share(sample: &[Vec<OwnedCell>], i: usize, test: impl Fn(Cell<'_>) -> bool) -> Option<f64> {
    let (mut n, mut ok) = (0usize, 0usize);
    for c in values(sample, i) {
        n += 1;
        ok += usize::from(test(c));
    }
    (n > 0).then(|| ok as f64 / n as f64)
}

fn is_date(c: Cell<'_>) -> bool {
    let mut buf = String::new();
    match c {
        Cell::Str(s) => parse_date(s).is_some() && !s.trim().bytes().all(|b| b.is_ascii_digit()),
        Cell::Day(_) | Cell::ExcelSerial(_) => true,
        other => date_of(other, &mut buf).is_some() && matches!(other, Cell::Float(_)),
    }
}

fn is_money(c: Cell<'_>) -> bool {
    let mut buf = String::new();
    match c {
        Cell::Str(s) => {
            let s = s.trim();
            parse_money(s).is_some() && (s.contains('.') || s.starts_with(['￥', '¥', '$']))
        }
        Cell::Float(_) | Cell::Decimal(..) => money_of(c, &mut buf).is_some(),
        _ => false,
    }
}

fn is_phone(c: Cell<'_>) -> bool {
    let mut buf = String::new();
    let s = c.text(&mut buf).trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b" +-()".contains(&b))
        && (!s.starts_with('0') || s.starts_with("00"))
}

fn is_email(c: Cell<'_>) -> bool {
    match c {
        Cell::Str(s) => {
            let s = s.trim();
            s.split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
                && !s.contains(' ')
        }
        _ => false,
    }
}

/// How well the sample values of a column named for `role` fit it (1.0 when they all do or
/// the role has no value shape).
fn agreement(role: &str, sample: &[Vec<OwnedCell>], i: usize) -> f64 {
    let fit = match role {
        "order_time" | "join_date" => share(sample, i, |c| {
            let mut buf = String::new();
            date_of(c, &mut buf).is_some()
        }),
        "amount" | "discount" => share(sample, i, |c| {
            let mut buf = String::new();
            money_of(c, &mut buf).is_some()
        }),
        _ => None,
    };
    match fit {
        Some(f) if f < 0.5 => 0.5,
        _ => 1.0,
    }
}

/// A confidence for giving `role` to column `i` from its values alone, if they fit.
fn values_score(kind: TableKind, role: &str, sample: &[Vec<OwnedCell>], i: usize) -> Option<f64> {
    let at_least =
        |s: Option<f64>, min: f64, weight: f64| s.filter(|&s| s >= min).map(|s| s * weight);
    match (kind, role) {
        (_, "order_time" | "join_date") => at_least(share(sample, i, is_date), 0.9, 0.6),
        (TableKind::Orders, "amount") => at_least(share(sample, i, is_money), 0.9, 0.5),
        (TableKind::Members, "tags") => at_least(
            share(
                sample,
                i,
                |c| matches!(c, Cell::Str(s) if looks_like_tag_list(s)),
            ),
            0.3,
            0.6,
        ),
        (TableKind::Members, "phone") => at_least(share(sample, i, is_phone), 0.9, 0.7),
        (TableKind::Members, "email") => at_least(share(sample, i, is_email), 0.9, 0.8),
        (TableKind::Members, "member_id") => {
            let mut buf = String::new();
            let mut seen = std::collections::HashSet::new();
            let mut n = 0;
            for c in values(sample, i) {
                n += 1;
                if !seen.insert(c.text(&mut buf).trim().to_string()) {
                    return None;
                }
            }
            (n == sample.len() && n > 0).then_some(0.5)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn by_role(a: Vec<Assignment>) -> BTreeMap<&'static str, usize> {
        a.into_iter().map(|a| (a.role, a.column)).collect()
    }

    fn rows(rows: &[&[&str]]) -> Vec<Vec<OwnedCell>> {
        rows.iter()
            .map(|r| r.iter().map(|v| OwnedCell::Str(v.to_string())).collect())
            .collect()
    }

    #[test]
    fn roles_from_values_when_headers_say_nothing() {
        let h = headers(&["a", "b", "c", "d", "e"]);
        let sample = rows(&[
            &[
                "u1",
                "2024/3/5 14:03",
                "￥1,299.00",
                "a@x.com",
                "13800138000",
            ],
            &["u2", "2024-03-06", "25.50", "b@y.cn", "+86 139 0013 9000"],
        ]);
        let o = by_role(
            assign_roles(
                TableKind::Orders,
                &h,
                &sample,
                &BTreeMap::new(),
                "o.csv",
                false,
            )
            .expect("roles"),
        );
        assert_eq!((o["order_time"], o["amount"]), (1, 2));
        let m = assign_roles(
            TableKind::Members,
            &h,
            &sample,
            &BTreeMap::new(),
            "m.csv",
            false,
        )
        .expect("roles");
        let find = |r: &str| m.iter().find(|a| a.role == r).map(|a| (a.column, a.how));
        assert_eq!(find("member_id"), Some((0, "values")));
        assert_eq!(find("email"), Some((3, "values")));
        assert_eq!(find("phone"), Some((4, "values")));
        assert!(m.iter().all(|a| a.confidence < 0.95));
    }

    #[test]
    fn headers_containing_a_known_name_count_with_less_confidence() {
        let h = headers(&["会员手机号", "Customer ID"]);
        let m = assign_roles(
            TableKind::Members,
            &h,
            &[],
            &BTreeMap::new(),
            "m.csv",
            false,
        )
        .expect("roles");
        let phone = m.iter().find(|a| a.role == "phone").expect("phone");
        assert_eq!((phone.column, phone.confidence), (0, 0.75));
        let id = m.iter().find(|a| a.role == "member_id").expect("id");
        assert_eq!((id.column, id.confidence), (1, 0.95));
    }

    #[test]
    fn detects_english_and_chinese_headers() {
        let h = headers(&["Customer ID", "Created At", "Total", "渠道"]);
        let roles = by_role(
            assign_roles(TableKind::Orders, &h, &[], &BTreeMap::new(), "o.csv", false)
                .expect("roles"),
        );
        assert_eq!(roles["member_id"], 0);
        assert_eq!(roles["order_time"], 1);
        assert_eq!(roles["amount"], 2);
        assert_eq!(roles["channel"], 3);
        let h = headers(&["会员编号", "下单时间", "实付金额"]);
        let roles = by_role(
            assign_roles(TableKind::Orders, &h, &[], &BTreeMap::new(), "o.csv", false)
                .expect("roles"),
        );
        assert_eq!(
            (roles["member_id"], roles["order_time"], roles["amount"]),
            (0, 1, 2)
        );
    }

    #[test]
    fn the_creation_time_is_the_order_time_before_the_payment_time() {
        for (names, want) in [
            (
                &[
                    "订单编号",
                    "买家会员名",
                    "订单付款时间",
                    "订单创建时间",
                    "买家实际支付金额",
                ][..],
                3,
            ),
            (&["Name", "Email", "Paid at", "Created at", "Total"][..], 3),
            (&["订单号", "付款时间", "下单时间", "实付金额"][..], 2),
            (&["订单号", "支付时间", "实付金额"][..], 1),
        ] {
            let roles = by_role(
                assign_roles(
                    TableKind::Orders,
                    &headers(names),
                    &[],
                    &BTreeMap::new(),
                    "o.csv",
                    false,
                )
                .expect("roles"),
            );
            assert_eq!(roles["order_time"], want, "{names:?}");
        }
    }

    #[test]
    fn mapping_overrides_and_names_bad_columns() {
        let h = headers(&["uid", "when", "paid"]);
        let mut m = BTreeMap::new();
        m.insert("member_id".to_string(), "uid".to_string());
        m.insert("amount".to_string(), "paid".to_string());
        let roles =
            by_role(assign_roles(TableKind::Orders, &h, &[], &m, "o.csv", false).expect("roles"));
        assert_eq!((roles["member_id"], roles["amount"]), (0, 2));
        m.insert("order_time".to_string(), "whenn".to_string());
        let err =
            assign_roles(TableKind::Orders, &h, &[], &m, "o.csv", false).expect_err("bad column");
        assert!(
            err.to_string()
                .contains("no column \"whenn\"; did you mean \"when\"?"),
            "{err}"
        );
    }
}
