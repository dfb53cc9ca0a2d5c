//! SPEC §1.1 on each recognised platform layout (issue 17): files written in the platform's
//! own column layout (Shopify orders and customers, WooCommerce's order export and Analytics
//! download, Tmall / Taobao 订单报表, Youzan 有赞 订单, JD 京东 订单), with every status value
//! the platform documents, line items on consecutive rows where the platform writes them
//! (order-level values on the first line only, as Shopify does, or repeated on every line, as
//! JD does) and refund-amount columns. The model that writes each file also says what each
//! buyer's purchases, net amount and last purchase must be; the engine, given no mapping,
//! must agree, and a `purchased` filter on a line-level column must find the buyers whose
//! matching line is not their order's first.

#[path = "common/buyers.rs"]
mod buyers;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use audience_lab::load::{LoadOptions, LoadReport, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use buyers::{add, day, engine_view, Expected, Rng};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a status means in the model (written independently of the engine's lists).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Means {
    /// A purchase.
    Paid,
    /// A refund row (in a file without a refund-amount column).
    Refund,
    /// Not loaded.
    Dropped,
}

/// One order of the model.
#[derive(Debug, Clone)]
struct Order {
    /// The buyer as the engine keys it; `None` for a guest.
    key: Option<String>,
    /// The buyer as the file writes it.
    written: String,
    id: String,
    created: u64,
    cents: i64,
    refund: i64,
    status: &'static str,
    means: Means,
    /// (line-level value: vendor / sku, quantity) per line.
    lines: Vec<(String, i64)>,
}

/// Orders of `buyers` buyers with statuses drawn from `statuses`; line values come from
/// `values`, the last of which appears only on second and later lines.
fn model(
    seed: u64,
    n: u64,
    statuses: &[(&'static str, Means)],
    buyer: impl Fn(&mut Rng) -> (Option<String>, String),
    values: &[&str],
    max_lines: u64,
) -> Vec<Order> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let (key, written) = buyer(&mut rng);
            let (status, means) = statuses[rng.next(statuses.len() as u64) as usize];
            let cents = 500 + rng.next(60_000) as i64;
            let refund = match (means, rng.next(4)) {
                (Means::Paid, 0) => cents / 4,
                _ => 0,
            };
            let count = 1 + rng.next(max_lines);
            let lines = (0..count)
                .map(|l| {
                    let last = values.len() as u64 - 1;
                    let v = if l == 0 {
                        rng.next(last)
                    } else {
                        rng.next(last + 1)
                    };
                    (values[v as usize].to_string(), 1 + rng.next(3) as i64)
                })
                .collect();
            Order {
                key,
                written,
                id: format!("{}", 100_000 + i),
                created: rng.next(330),
                cents,
                refund,
                status,
                means,
                lines,
            }
        })
        .collect()
}

/// Each buyer's purchases, net amount and last purchase as SPEC §1.1 implies; a refund-amount
/// column makes each order a purchase and a refund of that amount on the same day.
fn expected(orders: &[Order], refund_column: bool) -> BTreeMap<String, Expected> {
    let mut e = BTreeMap::new();
    for o in orders {
        let Some(key) = &o.key else { continue };
        let created = day(o.created);
        match (o.means, refund_column) {
            (Means::Dropped, _) => {}
            (Means::Refund, false) => add(&mut e, key, -o.cents, &created),
            (_, true) => {
                add(&mut e, key, o.cents, &created);
                if o.refund > 0 {
                    add(&mut e, key, -o.refund, &created);
                }
            }
            (Means::Paid, false) => add(&mut e, key, o.cents, &created),
        }
    }
    e.retain(|_, x| x.purchases > 0);
    e
}

/// Buyers with a purchase one of whose lines has `value`.
fn bought(orders: &[Order], value: &str) -> BTreeSet<String> {
    orders
        .iter()
        .filter(|o| o.means == Means::Paid && o.lines.iter().any(|(v, _)| v == value))
        .filter_map(|o| o.key.clone())
        .collect()
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn load(s: &mut Session, kind: TableKind, bytes: &[u8]) -> LoadReport {
    s.load(kind, bytes, &LoadOptions::default(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{kind:?} loads without a mapping: {e}"))
}

/// The members a `purchased` rule on `column` = `value` finds.
fn finds(s: &mut Session, column: &str, value: &str) -> BTreeSet<String> {
    let rule = format!(r#"{{"purchased": {{"where": {{"{column}": ["{value}"]}}}}}}"#);
    let rule = parse_segment(&rule).expect("rule");
    let page = s
        .members(&rule, &[], 0, 100_000, &AnalysisOptions::default())
        .expect("members");
    page.rows.into_iter().map(|r| r[0].clone()).collect()
}

fn platform(r: &LoadReport) -> &str {
    r.platform.as_ref().map_or("", |p| p.id.as_str())
}

fn key_column(r: &LoadReport) -> Option<(&str, &str)> {
    r.columns
        .iter()
        .find(|c| c.role.as_deref() == Some("member_id"))
        .map(|c| (c.name.as_str(), c.detected_by.as_deref().unwrap_or("")))
}

fn email_buyer(rng: &mut Rng) -> (Option<String>, String) {
    let who = rng.next(70);
    let email = format!("buyer{who}@shop.example");
    if rng.next(15) == 0 {
        return (None, String::new());
    }
    let written = match rng.next(4) {
        0 => email.to_uppercase(),
        1 => format!(" {email}  "),
        2 => format!("Buyer{who}@Shop.example"),
        _ => email.clone(),
    };
    (Some(email), written)
}

const SHOPIFY_STATUSES: &[(&str, Means)] = &[
    ("paid", Means::Paid),
    ("paid", Means::Paid),
    ("partially_paid", Means::Paid),
    ("partially_refunded", Means::Paid),
    ("refunded", Means::Paid),
    ("pending", Means::Dropped),
    ("authorized", Means::Dropped),
    ("expired", Means::Dropped),
    ("voided", Means::Dropped),
];

/// Shopify's orders export: one row per line item; Name, Email, Created at, the Lineitem
/// columns and Vendor on every line, everything else on the first line only.
fn shopify_rows(orders: &mut [Order]) -> Vec<Vec<String>> {
    let header = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Phone";
    let mut rows = vec![header.split(',').map(String::from).collect::<Vec<_>>()];
    for (n, o) in orders.iter_mut().enumerate() {
        // A refunded order's refunded amount is its total.
        if o.status == "refunded" {
            o.refund = o.cents;
        } else if o.status != "partially_refunded" {
            o.refund = 0;
        } else if o.refund == 0 {
            o.refund = o.cents / 3;
        }
        let created = format!("{} 1{}:05:00 +0800", day(o.created), n % 10);
        for (l, (vendor, qty)) in o.lines.iter().enumerate() {
            let first = l == 0;
            let on_first = |v: String| if first { v } else { String::new() };
            rows.push(vec![
                format!("#{}", o.id),
                o.written.clone(),
                on_first(o.status.to_string()),
                on_first(if o.means == Means::Paid {
                    format!("{} 12:00:00 +0800", day(o.created))
                } else {
                    String::new()
                }),
                on_first("fulfilled".into()),
                String::new(),
                on_first("yes".into()),
                on_first("CNY".into()),
                on_first(money(o.cents)),
                on_first("0.00".into()),
                on_first("0.00".into()),
                on_first(money(o.cents)),
                String::new(),
                on_first("0.00".into()),
                on_first("Standard".into()),
                created.clone(),
                qty.to_string(),
                format!("Item {vendor}"),
                "10.00".into(),
                String::new(),
                format!("SKU-{vendor}"),
                "true".into(),
                "true".into(),
                "fulfilled".into(),
                on_first("Ann Lee".into()),
                String::new(),
                String::new(),
                on_first("Shopify Payments".into()),
                on_first(money(o.refund)),
                vendor.clone(),
                on_first("0.00".into()),
                String::new(),
                on_first("Flagship".into()),
                String::new(),
                on_first(format!("{}", 5_000_000 + n)),
                String::new(),
                on_first("Low".into()),
                on_first("web".into()),
                "0.00".into(),
                String::new(),
            ]);
        }
    }
    rows
}

fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn parquet(rows: &[Vec<String>]) -> Vec<u8> {
    let header = &rows[0];
    let columns: Vec<ArrayRef> = (0..header.len())
        .map(|c| {
            let values: Vec<Option<&str>> = rows[1..]
                .iter()
                .map(|r| Some(r[c].as_str()).filter(|v| !v.is_empty()))
                .collect();
            Arc::new(StringArray::from(values)) as ArrayRef
        })
        .collect();
    let batch = RecordBatch::try_from_iter(header.iter().cloned().zip(columns)).expect("batch");
    let mut out = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).expect("w");
    w.write(&batch).expect("write");
    w.close().expect("close");
    out
}

fn xlsx(rows: &[Vec<String>], numeric: &[usize]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v.parse::<f64>() {
                Ok(x) if r > 0 && numeric.contains(&(c as usize)) => {
                    sheet.write_number(r, c, x).expect("cell");
                }
                _ if v.is_empty() => {}
                _ => {
                    sheet.write_string(r, c, v).expect("cell");
                }
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn shopify_line_items_group_into_orders_in_csv_and_parquet() {
    let mut orders = model(
        41,
        500,
        SHOPIFY_STATUSES,
        email_buyer,
        &["Acme", "Borealis", "Zeta"],
        4,
    );
    let rows = shopify_rows(&mut orders);
    let want = expected(&orders, true);
    let zeta = bought(&orders, "Zeta");
    assert!(
        zeta.len() > 10,
        "Zeta is bought on later lines by {} buyers",
        zeta.len()
    );
    let lines = rows.len() as u64 - 1;
    let kept = orders.iter().filter(|o| o.means != Means::Dropped).count() as u64;
    for (format, bytes) in [
        ("csv", csv(&rows).into_bytes()),
        ("parquet", parquet(&rows)),
    ] {
        let mut s = Session::new();
        let r = load(&mut s, TableKind::Orders, &bytes);
        assert_eq!(platform(&r), "shopify-orders", "{format}");
        assert_eq!(key_column(&r), Some(("Email", "email")), "{format}");
        let li = r.line_items.as_ref().expect("line items");
        assert_eq!(li.orders, kept, "{format}: orders loaded");
        assert_eq!(
            li.lines + r.rows_rejected,
            lines,
            "{format}: every line is in an order or rejected with it"
        );
        let refunds = orders
            .iter()
            .filter(|o| o.means != Means::Dropped && o.refund > 0)
            .count() as u64;
        assert_eq!(li.refunds, refunds, "{format}");
        let voided = orders.iter().filter(|o| o.status == "voided").count() as u64;
        let reasons: BTreeMap<&str, u64> = li
            .rejected_orders
            .iter()
            .map(|c| (c.reason.as_str(), c.count))
            .collect();
        assert_eq!(reasons.get("cancelled order"), Some(&voided), "{format}");
        assert!(r.warnings[0].starts_with(&format!(
            "Shopify orders export: {kept} orders from {} line-item rows",
            li.lines
        )));
        assert_eq!(engine_view(&mut s), want, "{format}");
        assert_eq!(finds(&mut s, "Vendor", "Zeta"), zeta, "{format}");
        // Items per order: the sum of the line quantities of the loaded orders.
        let items: i64 = orders
            .iter()
            .filter(|o| o.means != Means::Dropped)
            .flat_map(|o| o.lines.iter().map(|l| l.1))
            .sum();
        let kpi = s
            .kpis(&AnalysisOptions::default(), &Default::default())
            .expect("kpis");
        assert_eq!(
            (kpi.overall.purchases, kpi.overall.items),
            (kept, items),
            "{format}: purchases and items (连带率's parts)"
        );
    }
}

#[test]
fn shopify_customers_key_the_members_by_email() {
    let mut orders = model(7, 200, SHOPIFY_STATUSES, email_buyer, &["Acme", "Zeta"], 2);
    let rows = shopify_rows(&mut orders);
    // Customers 0..60 and one without an email; buyers 60..70 are not among them.
    let mut customers = String::from("Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags\n");
    for who in 0..61u64 {
        let email = if who == 60 {
            String::new()
        } else {
            format!("Buyer{who}@Shop.Example ")
        };
        customers.push_str(&format!(
            "'{},Ann,Lee,{email},yes,,,,,,CN,'0{who},,'+8613800{:06},no,0.00,0,,no,VIP\n",
            7_985_351_721_000u64 + who,
            who
        ));
    }
    let outside: Vec<&Order> = orders
        .iter()
        .filter(|o| o.means != Means::Dropped)
        .filter(|o| {
            o.key.as_deref().is_some_and(|k| {
                let n: u64 = k[5..k.find('@').unwrap_or(5)].parse().unwrap_or(0);
                n >= 60
            })
        })
        .collect();
    let rows_outside: usize = outside.iter().map(|o| 1 + usize::from(o.refund > 0)).sum();
    let buyers_outside: BTreeSet<&str> = outside.iter().filter_map(|o| o.key.as_deref()).collect();
    assert!(buyers_outside.len() > 3);
    let mut s = Session::new();
    let m = load(&mut s, TableKind::Members, customers.as_bytes());
    assert_eq!(platform(&m), "shopify-customers");
    assert_eq!(m.rows_loaded, 61);
    let r = load(&mut s, TableKind::Orders, csv(&rows).as_bytes());
    let said = format!(
        "{rows_outside} member orders ({} buyers) match no member of the members file",
        buyers_outside.len()
    );
    assert!(
        r.warnings.iter().any(|w| w.starts_with(&said)),
        "{said}: {:?}",
        r.warnings
    );
    assert_eq!(engine_view(&mut s), expected(&orders, true));
    let vip = parse_segment(r#"{"tags": {"any": ["VIP"]}}"#).expect("rule");
    let n = s.count(&vip, &AnalysisOptions::default()).expect("count");
    assert_eq!(n, 61, "buyers 0..60 are the customers, not new members");
}

#[test]
fn woocommerce_exports_one_row_per_item_and_analytics() {
    let statuses: &[(&str, Means)] = &[
        ("completed", Means::Paid),
        ("completed", Means::Paid),
        ("processing", Means::Paid),
        ("refunded", Means::Paid),
        ("pending", Means::Dropped),
        ("on-hold", Means::Dropped),
        ("failed", Means::Dropped),
        ("checkout-draft", Means::Dropped),
        ("cancelled", Means::Dropped),
    ];
    let mut orders = model(5, 300, statuses, email_buyer, &["MUG", "CUP", "ZED"], 3);
    // The extension's "One Row per Item" format: order fields repeated on every item row.
    let mut text = String::from("order_id,order_number,date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,tax_total,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,item_id,item_product_id,item_name,item_sku,item_price,item_quantity,item_subtotal,item_total\n");
    for o in &mut orders {
        if o.status == "refunded" {
            o.refund = o.cents;
        }
        for (l, (sku, qty)) in o.lines.iter().enumerate() {
            text.push_str(&format!(
                "{id},{id},{} 09:00:00,{},0.00,0.00,0.00,0.00,0.00,0.00,{},{},USD,stripe,flat_rate,0,Ann,Lee,,{},,{l},{l},Item,{sku},5.00,{qty},5.00,5.00\n",
                day(o.created),
                o.status,
                money(o.cents),
                money(o.refund),
                o.written,
                id = o.id,
            ));
        }
    }
    let mut s = Session::new();
    let r = load(&mut s, TableKind::Orders, text.as_bytes());
    assert_eq!(platform(&r), "woocommerce-orders");
    assert_eq!(key_column(&r), Some(("billing_email", "email")));
    assert_eq!(engine_view(&mut s), expected(&orders, true));
    assert_eq!(finds(&mut s, "item_sku", "ZED"), bought(&orders, "ZED"));

    // Analytics > Orders download: one row per order, the customer by name, a refunded order
    // a refund row (no refunded amount column).
    let statuses: &[(&str, Means)] = &[
        ("completed", Means::Paid),
        ("processing", Means::Paid),
        ("refunded", Means::Refund),
        ("pending", Means::Dropped),
        ("on-hold", Means::Dropped),
        ("failed", Means::Dropped),
        ("cancelled", Means::Dropped),
        ("checkout-draft", Means::Dropped),
    ];
    let name = |rng: &mut Rng| {
        let n = format!("Customer {}", rng.next(40));
        (Some(n.clone()), n)
    };
    let orders = model(6, 250, statuses, name, &["Mug", "Cup"], 2);
    let mut text = String::from("Date,Order #,Status,Customer,Customer type,Payment method,Product(s),Items sold,Coupon(s),Net sales,Attribution\n");
    for o in &orders {
        let items: i64 = o.lines.iter().map(|l| l.1).sum();
        text.push_str(&format!(
            "{},{},{},{},returning,Stripe,\"{}× Mug\",{items},,{},Direct\n",
            day(o.created),
            o.id,
            o.status,
            o.written,
            items,
            money(o.cents)
        ));
    }
    let mut s = Session::new();
    let r = load(&mut s, TableKind::Orders, text.as_bytes());
    assert_eq!(platform(&r), "woocommerce-analytics");
    assert_eq!(key_column(&r), Some(("Customer", "nickname")));
    assert_eq!(engine_view(&mut s), expected(&orders, false));
}

#[test]
fn a_tmall_order_list_with_refund_amounts() {
    let statuses: &[(&str, Means)] = &[
        ("交易成功", Means::Paid),
        ("交易成功", Means::Paid),
        ("买家已付款，等待卖家发货", Means::Paid),
        ("等待卖家发货", Means::Paid),
        ("卖家部分发货", Means::Paid),
        ("卖家已发货，等待买家确认", Means::Paid),
        ("等待买家确认收货", Means::Paid),
        ("等待买家付款", Means::Dropped),
        ("交易关闭", Means::Dropped),
        ("交易被淘宝关闭", Means::Dropped),
    ];
    let nick = |rng: &mut Rng| {
        let n = format!("tb_买家{}", rng.next(50));
        let written = if rng.next(3) == 0 {
            format!(" {n}")
        } else {
            n.clone()
        };
        (Some(n), written)
    };
    let orders = model(11, 300, statuses, nick, &["连衣裙", "T恤", "围巾"], 3);
    let mut text = String::from("订单编号,买家会员名,买家支付宝账号,支付单号,支付详情,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址,运送方式,联系电话,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,退款金额\n");
    for o in &orders {
        text.push_str(&format!(
            "=\"{}\",{},a***@qq.com,,,{m},0.00,0,{m},0,{m},0,{},,张*,浙江省,快递,,138****0000,{} 10:00:00,{},宝贝,1,,{},1,旗舰店,,{}\n",
            o.id,
            o.written,
            o.status,
            day(o.created),
            if o.means == Means::Paid { format!("{} 10:05:00", day(o.created)) } else { String::new() },
            o.lines[0].1,
            money(o.refund),
            m = money(o.cents),
        ));
    }
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    assert_eq!(
        cli_rfm("platforms-cli-tmall", &bytes, None),
        purchases_and_net(&orders, true),
        "the CLI's rfm"
    );
    let mut s = Session::new();
    let r = load(&mut s, TableKind::Orders, &bytes);
    assert_eq!(platform(&r), "tmall-orders");
    assert_eq!(key_column(&r), Some(("买家会员名", "nickname")));
    assert!(
        r.warnings[0].starts_with("Tmall / Taobao order list"),
        "{:?}",
        r.warnings
    );
    assert_eq!(engine_view(&mut s), expected(&orders, true));

    // Its 宝贝报表, one row per item, joined by 订单编号: 围巾 is only ever a second or later item.
    let mut items = String::from(
        "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\n",
    );
    let mut item_rows = 0u64;
    let mut unmatched = 0u64;
    for o in &orders {
        for (title, qty) in &o.lines {
            items.push_str(&format!(
                "=\"{}\",{title},9.90,{qty},,颜色分类:黑色,,,{},SJ-{title}\n",
                o.id, o.status
            ));
            item_rows += 1;
            if o.means == Means::Dropped || o.key.is_none() {
                unmatched += 1;
            }
        }
    }
    let (bytes, _, _) = encoding_rs::GB18030.encode(&items);
    let e = s
        .load(
            TableKind::Orders,
            &bytes,
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect_err("an items file is no orders table");
    assert!(e.to_string().contains("宝贝报表"), "{e}");
    let r = load(&mut s, TableKind::OrderItems, &bytes);
    assert_eq!(platform(&r), "taobao-items");
    assert_eq!(r.rows_loaded, item_rows);
    let said = format!("{unmatched} item rows match no loaded member order");
    assert!(
        r.warnings.iter().any(|w| w.starts_with(&said)),
        "{said}: {:?}",
        r.warnings
    );
    let scarf = bought(&orders, "围巾");
    assert!(scarf.len() > 10);
    assert_eq!(finds(&mut s, "标题", "围巾"), scarf);
    assert_eq!(finds(&mut s, "商家编码", "SJ-围巾"), scarf);
    assert_eq!(finds(&mut s, "sku", "SJ-T恤"), bought(&orders, "T恤"));
    // Counts and amounts stay the orders'.
    assert_eq!(engine_view(&mut s), expected(&orders, true));
}

#[test]
fn a_youzan_export_is_keyed_by_the_buyer_phone() {
    let statuses: &[(&str, Means)] = &[
        ("交易完成", Means::Paid),
        ("交易成功", Means::Paid),
        ("待发货", Means::Paid),
        ("已发货", Means::Paid),
        ("待付款", Means::Dropped),
        ("已关闭", Means::Dropped),
        ("交易关闭", Means::Dropped),
    ];
    let phone = |rng: &mut Rng| {
        let n = 13_800_000_000u64 + rng.next(60);
        let written = match rng.next(3) {
            0 => format!("+86 {n}"),
            1 => format!("86-{n}"),
            _ => n.to_string(),
        };
        (Some(format!("+86{n}")), written)
    };
    let orders = model(13, 260, statuses, phone, &["a", "b"], 1);
    let mut text = String::from("\u{feff}订单号,销售渠道,归属店铺,订单类型,订单状态,推广方式,订单来源,订单创建时间,买家付款时间,交易成功时间,付款方式,支付流水号,商品金额合计,运费,店铺优惠合计,应收订单金额,订单实付金额,买家昵称,买家是否会员,买家手机号,销售导购,订单退款状态,订单已退款金额,分销员,分销员\n");
    for o in &orders {
        text.push_str(&format!(
            "E{},微商城,总店,普通订单,{},,,{} 08:00:00,,,微信支付,,{m},0.00,0.00,{m},{m},粉丝,是,{},小王,,{},,\n",
            o.id,
            o.status,
            day(o.created),
            o.written,
            money(o.refund),
            m = money(o.cents),
        ));
    }
    // Youzan's customers export has no member id column: its phone column keys the members,
    // written in yet other ways.
    let mut customers = String::from("客户姓名,客户昵称,客户手机号,客户生日,客户性别,标签,是否会员,成长值,免费等级,付费等级,权益卡,客户积分,客户储值余额,消费次数,消费金额,累计退款金额,累计退款订单数,笔单价,上次消费时间,分销员,导购员,企微好友,来源渠道,来源方式,成为客户时间,成为会员时间,成为会员店铺,公众号,公众号关注时间,最近浏览时间,微信地域,所属区域,指定时间消费次数,指定时间消费金额,\n");
    for who in 0..60u64 {
        let n = 13_800_000_000u64 + who;
        let phone = if who % 2 == 0 {
            format!("+86 {}", n)
        } else {
            format!("{n}")
        };
        customers.push_str(&format!(
            "王{who},粉丝{who},{phone},,男,会员,是,0,VIP1,,,0,0.00,0,0.00,0.00,0,0.00,,,,否,微商城,扫码,2023-01-01 10:00:00,2023-01-02 10:00:00,总店,,,,,,0,0.00,\n"
        ));
    }
    let mut s = Session::new();
    let m = load(&mut s, TableKind::Members, customers.as_bytes());
    assert_eq!(key_column(&m), Some(("客户手机号", "phone")));
    assert_eq!(m.rows_loaded, 60);
    let r = load(&mut s, TableKind::Orders, text.as_bytes());
    assert_eq!(platform(&r), "youzan-orders");
    assert_eq!(key_column(&r), Some(("买家手机号", "phone")));
    assert_eq!(engine_view(&mut s), expected(&orders, true));
    let vip = parse_segment(r#"{"tags": {"any": ["会员"]}}"#).expect("rule");
    assert_eq!(
        s.count(&vip, &AnalysisOptions::default()).expect("count"),
        60
    );
    let others = parse_segment(r#"{"not": {"tags": {"any": ["会员"]}}}"#).expect("rule");
    assert_eq!(
        s.count(&others, &AnalysisOptions::default())
            .expect("count"),
        0,
        "every buyer is one of the 60 customers"
    );
}

#[test]
fn a_jd_export_in_xlsx_repeats_order_totals_on_each_line() {
    let statuses: &[(&str, Means)] = &[
        ("完成", Means::Paid),
        ("完成", Means::Paid),
        ("等待出库", Means::Paid),
        ("等待发货", Means::Paid),
        ("等待确认收货", Means::Paid),
        ("锁定", Means::Paid),
        ("暂停", Means::Paid),
        ("等待付款确认", Means::Dropped),
        ("(删除)完成", Means::Dropped),
        ("(删除)等待出库", Means::Dropped),
        ("取消", Means::Dropped),
    ];
    let account = |rng: &mut Rng| {
        let n = format!("jd_{}", rng.next(45));
        (Some(n.clone()), n)
    };
    let orders = model(
        19,
        280,
        statuses,
        account,
        &["100001", "100002", "100009"],
        3,
    );
    let header = "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,发票内容,商家备注,商家备注等级（等级1-5为由高到低）,运费金额,付款确认时间,增值税发票,货号,订单完成时间,订单来源,订单渠道";
    let mut rows = vec![header.split(',').map(String::from).collect::<Vec<_>>()];
    for o in &orders {
        for (sku, qty) in &o.lines {
            let m = money(o.cents);
            rows.push(vec![
                o.id.clone(),
                sku.clone(),
                "商品".into(),
                qty.to_string(),
                "在线支付".into(),
                format!("{} 12:00:00", day(o.created)),
                "10.00".into(),
                m.clone(),
                m.clone(),
                "0.00".into(),
                m,
                o.status.into(),
                "SOP".into(),
                o.written.clone(),
                "王*".into(),
                "北京".into(),
                "138****0000".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "0.00".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "APP".into(),
                "京东".into(),
            ]);
        }
    }
    let bytes = xlsx(&rows, &[3, 7, 8, 10]);
    let mut s = Session::new();
    let r = load(&mut s, TableKind::Orders, &bytes);
    assert_eq!(platform(&r), "jd-orders");
    assert_eq!(key_column(&r), Some(("下单帐号", "nickname")));
    assert_eq!(engine_view(&mut s), expected(&orders, false));
    assert_eq!(finds(&mut s, "商品ID", "100009"), bought(&orders, "100009"));
}

/// Each buyer's (frequency, monetary in cents) from the CLI's `rfm` on these files, given
/// no mapping.
fn cli_rfm(name: &str, orders: &[u8], members: Option<&[u8]>) -> BTreeMap<String, (u64, i64)> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("orders.csv"), orders).expect("write");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_audience-lab"));
    cmd.arg("rfm").arg("--orders").arg(dir.join("orders.csv"));
    if let Some(m) = members {
        std::fs::write(dir.join("members.csv"), m).expect("write");
        cmd.arg("--members").arg(dir.join("members.csv"));
    }
    let out = cmd
        .arg("--out")
        .arg(dir.join("rfm.csv"))
        .output()
        .expect("cli");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("rfm.csv")).expect("rfm");
    let _ = std::fs::remove_dir_all(&dir);
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let net: f64 = f[3].parse().expect("monetary");
            (
                f[0].to_string(),
                (
                    f[2].parse().expect("frequency"),
                    (net * 100.0).round() as i64,
                ),
            )
        })
        .collect()
}

/// The model's (purchases, net cents) per buyer.
fn purchases_and_net(orders: &[Order], refund_column: bool) -> BTreeMap<String, (u64, i64)> {
    expected(orders, refund_column)
        .into_iter()
        .map(|(k, e)| (k, (e.purchases, e.net_cents)))
        .collect()
}

#[test]
fn the_cli_rfm_on_shopify_files_gives_each_buyer_the_model_s_purchases_and_net() {
    let mut orders = model(23, 400, SHOPIFY_STATUSES, email_buyer, &["Acme", "Zeta"], 3);
    let rows = shopify_rows(&mut orders);
    let mut customers = String::from(
        "Customer ID,First Name,Last Name,Email,Phone,Total Spent,Total Orders,Tags\n",
    );
    for who in 0..70u64 {
        customers.push_str(&format!("'{who},A,B,buyer{who}@SHOP.example,,0.00,0,\n"));
    }
    let got = cli_rfm(
        "platforms-cli-shopify",
        csv(&rows).as_bytes(),
        Some(customers.as_bytes()),
    );
    assert_eq!(got, purchases_and_net(&orders, true));
}
