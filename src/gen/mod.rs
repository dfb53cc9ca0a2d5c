//! Deterministic sample exports: members and orders of a made-up beauty brand, with buying
//! that follows a repeat-purchase-and-dropout process (Pareto/NBD-like) so that RFM, lifecycle
//! and cohorts look like a real shop's.

mod vocab;

use crate::error::{Error, ErrorKind, Result};
use crate::load::coerce::{format_cents, ymd_from_day, Day};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Gamma};
pub use vocab::Lang;
use vocab::Vocab;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Number of members.
    pub members: usize,
    /// Random seed; the same seed gives the same files.
    pub seed: u64,
    /// English (UTF-8, ISO dates) or Chinese (GBK, Chinese headers, `￥1,299.00`, `2024/3/5 14:03`).
    pub lang: Lang,
}

/// Generated files as bytes.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The members export.
    pub members: Vec<u8>,
    /// The orders export.
    pub orders: Vec<u8>,
}

/// The last day of the generated history: 2025-06-30.
pub const END_DAY: Day = 20_269;
const HISTORY_DAYS: i32 = 3 * 365;

struct Member {
    join: Day,
    store: usize,
    guide: usize,
    discount_lover: bool,
    spend: i64,
}

struct Order {
    day: Day,
    minute: u32,
    member: Option<usize>,
    cents: i64,
    status: usize,
    discount: i64,
    items: u32,
    channel: usize,
    store: usize,
    guide: Option<usize>,
    brand: usize,
    category: usize,
    id: u64,
}

fn dist<T>(d: std::result::Result<T, impl std::fmt::Display>) -> Result<T> {
    d.map_err(|e| Error::new(ErrorKind::Internal, format!("distribution: {e}")))
}

/// Generates the two exports.
pub fn generate(opts: &GenOptions) -> Result<Generated> {
    generate_scaled(opts, 1.0)
}

/// Generates the two exports with every member's purchase rate multiplied by `activity`
/// (1 gives exactly [`generate`]'s files; 3 gives about three times the orders, for
/// benchmarks).
pub fn generate_scaled(opts: &GenOptions, activity: f64) -> Result<Generated> {
    if !(activity.is_finite() && activity > 0.0) {
        return Err(Error::option(format!(
            "activity must be a positive number, found {activity}"
        )));
    }
    let v = Vocab::of(opts.lang);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let rate = dist(Gamma::<f64>::new(0.75, 0.011))?;
    let dropout = dist(Gamma::<f64>::new(0.9, 0.0035))?;
    let spend_mean = dist(Gamma::<f64>::new(4.0, 9000.0))?;
    let delay = dist(Exp::new(1.0 / 20.0))?;
    let mut members = Vec::with_capacity(opts.members);
    let mut orders: Vec<Order> = Vec::new();
    let mut next_id = 100_000u64;
    for i in 0..opts.members {
        let join = END_DAY - rng.random_range(7..HISTORY_DAYS);
        let store = rng.random_range(0..v.stores.len());
        let mut m = Member {
            join,
            store,
            guide: rng.random_range(0..3),
            discount_lover: rng.random_bool(0.25),
            spend: 0,
        };
        if rng.random_bool(0.78) {
            let lambda: f64 = rate.sample(&mut rng).max(0.0008) * activity;
            let life: f64 = 1.0 / dropout.sample(&mut rng).max(1e-5);
            let mean_cents: f64 = spend_mean.sample(&mut rng).max(2000.0);
            let first = join + delay.sample(&mut rng) as i32;
            let death = first as f64
                + Exp::new(1.0 / life)
                    .map(|e| e.sample(&mut rng))
                    .unwrap_or(life);
            let gap = dist(Exp::new(lambda))?;
            let mut t = first as f64;
            while t <= END_DAY as f64 && t <= death {
                let o = member_order(&mut rng, &v, i, &m, t as Day, mean_cents, &mut next_id);
                if o.status == 0 {
                    m.spend += o.cents;
                }
                orders.push(o);
                t += 1.0 + gap.sample(&mut rng);
            }
        }
        members.push(m);
    }
    add_refunds(&mut rng, &mut orders);
    add_guest_orders(&mut rng, &v, &mut orders, &mut next_id);
    orders.sort_by_key(|o| (o.day, o.minute, o.id));
    Ok(Generated {
        members: members_csv(&mut rng, &v, &members)?,
        orders: orders_csv(&v, &orders)?,
    })
}

fn member_order(
    rng: &mut ChaCha8Rng,
    v: &Vocab,
    i: usize,
    m: &Member,
    day: Day,
    mean_cents: f64,
    next_id: &mut u64,
) -> Order {
    let shape = 5.0;
    let cents = Gamma::new(shape, mean_cents / shape)
        .map(|g| g.sample(rng))
        .unwrap_or(mean_cents);
    // Shop prices end in .00 or .90 more often than not.
    let cents = match rng.random_range(0..3) {
        0 => (cents / 100.0).round() as i64 * 100,
        1 => (cents / 100.0).floor() as i64 * 100 + 90,
        _ => cents.round() as i64,
    }
    .max(990);
    let discount = if rng.random_bool(if m.discount_lover { 0.7 } else { 0.2 }) {
        (cents as f64 * rng.random_range(0.05..0.25)).round() as i64
    } else {
        0
    };
    let channel = weighted(rng, &[40, 30, 15, 10, 5]);
    let in_person = channel == 0 || channel == 4;
    let store = if rng.random_bool(0.85) {
        m.store
    } else {
        rng.random_range(0..v.stores.len())
    };
    *next_id += 1 + rng.random_range(0..40);
    Order {
        day,
        minute: rng.random_range(9 * 60..22 * 60),
        member: Some(i),
        cents,
        status: if rng.random_bool(0.02) { 1 } else { 0 },
        discount,
        items: 1 + (rng.random::<f64>().powi(2) * 5.0) as u32,
        channel,
        store,
        guide: in_person.then_some(if store == m.store {
            m.guide
        } else {
            rng.random_range(0..3)
        }),
        brand: weighted(rng, &[35, 25, 20, 12, 8]),
        category: weighted(rng, &[50, 25, 15, 10]),
        id: *next_id,
    }
}

fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// About 3% of completed orders are refunded in full or in half within two weeks, as a
/// separate row with status `refunded`; half of those rows carry a positive amount (the
/// loader makes refunds negative).
fn add_refunds(rng: &mut ChaCha8Rng, orders: &mut Vec<Order>) {
    let mut refunds = Vec::new();
    for o in orders.iter() {
        if o.status != 0 || !rng.random_bool(0.03) {
            continue;
        }
        let day = o.day + rng.random_range(1..15);
        if day > END_DAY {
            continue;
        }
        let amount = if rng.random_bool(0.5) {
            o.cents
        } else {
            o.cents / 2
        };
        let sign = if rng.random_bool(0.5) { -1 } else { 1 };
        refunds.push(Order {
            day,
            cents: sign * amount,
            status: 2,
            discount: 0,
            items: 0,
            ..*o
        });
    }
    orders.extend(refunds);
}

fn add_guest_orders(rng: &mut ChaCha8Rng, v: &Vocab, orders: &mut Vec<Order>, next_id: &mut u64) {
    let guests = orders.len() / 8;
    for _ in 0..guests {
        *next_id += 1 + rng.random_range(0..40);
        orders.push(Order {
            day: END_DAY - rng.random_range(0..HISTORY_DAYS),
            minute: rng.random_range(9 * 60..22 * 60),
            member: None,
            cents: rng.random_range(50..600) * 100,
            status: 0,
            discount: 0,
            items: rng.random_range(1..3),
            channel: weighted(rng, &[60, 0, 30, 10, 0]),
            store: rng.random_range(0..v.stores.len()),
            guide: None,
            brand: weighted(rng, &[35, 25, 20, 12, 8]),
            category: weighted(rng, &[50, 25, 15, 10]),
            id: *next_id,
        });
    }
}

fn date(v: &Vocab, day: Day) -> String {
    let d = ymd_from_day(day);
    if v.lang == Lang::Zh {
        d.format("%Y/%-m/%-d").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn timestamp(v: &Vocab, day: Day, minute: u32) -> String {
    let (h, m) = (minute / 60, minute % 60);
    if v.lang == Lang::Zh {
        format!("{} {h}:{m:02}", date(v, day))
    } else {
        format!("{} {h:02}:{m:02}:{:02}", date(v, day), (minute * 7) % 60)
    }
}

fn money(v: &Vocab, cents: i64) -> String {
    if v.lang == Lang::En {
        return format_cents(cents);
    }
    let plain = format_cents(cents.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}￥{grouped}.{frac}", if cents < 0 { "-" } else { "" })
}

fn member_id(v: &Vocab, i: usize) -> String {
    match v.lang {
        Lang::En => format!("M{:07}", i + 1),
        Lang::Zh => format!("{:010}", 8_800_000 + i),
    }
}

fn encode(v: &Vocab, text: String) -> Vec<u8> {
    match v.lang {
        Lang::En => text.into_bytes(),
        Lang::Zh => encoding_rs::GBK.encode(&text).0.into_owned(),
    }
}

fn write_rows(rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))
}

fn members_csv(rng: &mut ChaCha8Rng, v: &Vocab, members: &[Member]) -> Result<Vec<u8>> {
    let mut rows = vec![v
        .member_headers
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for (i, m) in members.iter().enumerate() {
        let tier = match m.spend {
            s if s >= 500_000 => 3,
            s if s >= 200_000 => 2,
            s if s >= 50_000 => 1,
            _ => 0,
        };
        let mut tags: Vec<&str> = Vec::new();
        for (t, tag) in v.tags.iter().enumerate() {
            let p = match t {
                4 if m.discount_lover => 0.8,
                4 => 0.05,
                6 if tier >= 2 => 0.5,
                _ => 0.12,
            };
            if rng.random_bool(p) {
                tags.push(tag);
            }
        }
        let gender = v.genders[weighted(rng, &[68, 27, 5])];
        let birthday = END_DAY - rng.random_range(18 * 365..55 * 365);
        rows.push(vec![
            member_id(v, i),
            date(v, m.join),
            v.tiers[tier].to_string(),
            gender.to_string(),
            v.cities[m.store].to_string(),
            v.stores[m.store].to_string(),
            v.guides[m.store * 3 + m.guide].to_string(),
            format!(
                "1{}{:09}",
                [3, 5, 8][i % 3],
                rng.random_range(0..1_000_000_000u64)
            ),
            if rng.random_bool(0.7) {
                format!("member{}@example.com", i + 1)
            } else {
                String::new()
            },
            date(v, birthday),
            (m.spend / 100).to_string(),
            tags.join(v.tag_sep),
        ]);
    }
    Ok(encode(v, write_rows(&rows)?))
}

fn orders_csv(v: &Vocab, orders: &[Order]) -> Result<Vec<u8>> {
    let mut rows = vec![v
        .order_headers
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for o in orders {
        rows.push(vec![
            format!("{}{}", v.order_prefix, o.id),
            o.member.map(|m| member_id(v, m)).unwrap_or_default(),
            timestamp(v, o.day, o.minute),
            money(v, o.cents),
            v.statuses[o.status].to_string(),
            if o.discount > 0 {
                money(v, o.discount)
            } else {
                String::new()
            },
            o.items.to_string(),
            v.channels[o.channel].to_string(),
            v.stores[o.store].to_string(),
            o.guide
                .map(|g| v.guides[o.store * 3 + g].to_string())
                .unwrap_or_default(),
            v.brands[o.brand].to_string(),
            v.categories[o.category].to_string(),
        ]);
    }
    Ok(encode(v, write_rows(&rows)?))
}
