//! SPEC §1.1 on platform-shaped exports without a member id column (issue 17, the key and
//! status part): a Shopify orders export keyed by `Email` (case and spaces folded) with its
//! customers export keyed the same way, and a Tmall 订单列表 (GB18030) keyed by 买家会员名 with
//! its masked 联系手机 passed over. Unpaid and voided orders drop, refunds count negative, the
//! creation time is the order time. Each member's purchases, net amount and last purchase are
//! computed here from the model that wrote the files, not by reading them back.

#[path = "common/buyers.rs"]
mod buyers;

use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::segment::parse_segment;
use audience_lab::Session;
use buyers::{add, day, engine_view, Expected, Rng};
use std::collections::BTreeMap;

#[test]
fn a_shopify_export_is_keyed_by_email_with_its_customers() {
    let mut rng = Rng(17);
    let statuses = [
        "paid",
        "paid",
        "paid",
        "partially_refunded",
        "refunded",
        "pending",
        "authorized",
        "voided",
        "expired",
    ];
    let mut orders = String::from(
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Vendor,Id\n",
    );
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for n in 0..400u64 {
        let who = rng.next(60);
        let email = format!("buyer{who}@shop.example");
        // The same email written as platforms and people do: case and spaces vary.
        let written = match rng.next(4) {
            0 => email.to_uppercase(),
            1 => format!("  {email} "),
            2 => format!("Buyer{who}@Shop.Example"),
            _ => email.clone(),
        };
        let guest = rng.next(12) == 0;
        let status = statuses[rng.next(statuses.len() as u64) as usize];
        let created = rng.next(300);
        let paid = matches!(status, "paid" | "partially_refunded" | "refunded")
            .then(|| day(created + rng.next(4)));
        let cents = 500 + rng.next(40_000) as i64;
        orders.push_str(&format!(
            "#{},{},{status},{},fulfilled,USD,{}.{:02},{}.{:02},0.00,{} 10:{:02}:00 +0800,1,Mug,Acme,{}\n",
            1000 + n,
            if guest { "" } else { &written },
            paid.map(|d| format!("{d} 11:00:00 +0800")).unwrap_or_default(),
            cents / 100,
            cents % 100,
            cents / 100,
            cents % 100,
            day(created),
            n % 60,
            5_000_000 + n
        ));
        if guest {
            continue;
        }
        match status {
            "paid" | "partially_refunded" => add(&mut expected, &email, cents, &day(created)),
            "refunded" => add(&mut expected, &email, -cents, &day(created)),
            _ => {}
        }
    }
    // Customers: every buyer, one without orders, one without an email (kept by its id).
    let mut customers = String::from("Customer ID,First Name,Last Name,Email,Phone,Tags\n");
    for who in 0..61u64 {
        let email = if who == 60 {
            String::new()
        } else {
            format!(" Buyer{who}@SHOP.example")
        };
        customers.push_str(&format!("{},Ann,Lee{who},{email},,VIP\n", 7_000_000 + who));
    }
    let mut s = Session::new();
    let members = s
        .load(
            TableKind::Members,
            customers.as_bytes(),
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("customers");
    assert_eq!(members.rows_loaded, 61);
    let report = s
        .load(
            TableKind::Orders,
            orders.as_bytes(),
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("orders load without a mapping");
    let email = report
        .columns
        .iter()
        .find(|c| c.name == "Email")
        .expect("Email");
    assert_eq!(
        (email.role.as_deref(), email.detected_by.as_deref()),
        (Some("member_id"), Some("email"))
    );
    let time = report
        .columns
        .iter()
        .find(|c| c.role.as_deref() == Some("order_time"));
    assert_eq!(time.map(|c| c.name.as_str()), Some("Created at"));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("keyed by the column \"Email\"")),
        "{:?}",
        report.warnings
    );
    let reasons: BTreeMap<&str, u64> = report
        .rejected
        .iter()
        .map(|r| (r.reason.as_str(), r.count))
        .collect();
    assert!(
        reasons.contains_key("not paid") && reasons.contains_key("cancelled order"),
        "{reasons:?}"
    );
    expected.retain(|_, e| e.purchases > 0);
    assert_eq!(engine_view(&mut s), expected);
    // The customers are the same members: 61 in all (60 emails, one by its id), no duplicates.
    let everyone = parse_segment(r#"{"tags": {"any": ["VIP"]}}"#).expect("rule");
    assert_eq!(
        s.count(&everyone, &AnalysisOptions::default())
            .expect("count"),
        61
    );
}

#[test]
fn a_tmall_order_list_is_keyed_by_the_buyer_nickname() {
    let mut rng = Rng(29);
    let statuses = [
        "交易成功",
        "交易成功",
        "买家已付款，等待卖家发货",
        "卖家已发货，等待买家确认",
        "等待买家付款",
        "交易关闭",
    ];
    let mut text = String::from(
        "订单编号,买家会员名,买家支付宝账号,买家实际支付金额,订单状态,联系手机,订单创建时间,订单付款时间,宝贝总数量,店铺名称,退款金额\n",
    );
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for n in 0..300u64 {
        let nick = format!("小明{}", rng.next(45));
        let written = if rng.next(3) == 0 {
            format!(" {nick} ")
        } else {
            nick.clone()
        };
        let status = statuses[rng.next(statuses.len() as u64) as usize];
        let created = rng.next(300);
        let paid = (status != "等待买家付款").then(|| day(created + 1 + rng.next(3)));
        let cents = 100 + rng.next(90_000) as i64;
        text.push_str(&format!(
            "{},{written},{}***@qq.com,{}.{:02},{status},138****{:04},{} 09:30:00,{},1,旗舰店,0.00\n",
            3_000_000_000u64 + n,
            rng.next(100),
            cents / 100,
            cents % 100,
            rng.next(10_000),
            day(created),
            paid.map(|d| format!("{d} 20:15:00")).unwrap_or_default(),
        ));
        if status != "等待买家付款" && status != "交易关闭" {
            add(&mut expected, &nick, cents, &day(created));
        }
    }
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let mut s = Session::new();
    let report = s
        .load(
            TableKind::Orders,
            &bytes,
            &LoadOptions::default(),
            &mut |_| {},
        )
        .expect("the order list loads without a mapping");
    let key = report
        .columns
        .iter()
        .find(|c| c.role.as_deref() == Some("member_id"));
    assert_eq!(
        key.map(|c| (c.name.as_str(), c.detected_by.as_deref())),
        Some(("买家会员名", Some("nickname"))),
        "the masked 联系手机 is no key"
    );
    let time = report
        .columns
        .iter()
        .find(|c| c.role.as_deref() == Some("order_time"));
    assert_eq!(time.map(|c| c.name.as_str()), Some("订单创建时间"));
    assert_eq!(engine_view(&mut s), expected);
}
