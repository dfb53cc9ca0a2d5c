//! Deterministic sample exports: members and orders of a made-up beauty brand, with buying
//! that follows a repeat-purchase-and-dropout process (Pareto/NBD-like) so that RFM, lifecycle
//! and cohorts look like a real shop's.

mod table;
mod vocab;
mod write;

use crate::error::{Error, ErrorKind, Result};
use crate::load::coerce::Day;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Gamma};
pub use vocab::Lang;
use vocab::Vocab;
pub use write::GenFormat;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Number of members.
    pub members: usize,
    /// Random seed; the same seed gives the same files.
    pub seed: u64,
    /// English (UTF-8, ISO dates) or Chinese (GBK, Chinese headers, `￥1,299.00`, `2024/3/5 14:03`).
    pub lang: Lang,
    /// The file format.
    pub format: GenFormat,
    /// Parquet compression: `snappy` (default), `gzip`, `lz4`, `zstd`, `brotli`, `none`.
    pub compression: Option<String>,
}

impl Default for GenOptions {
    /// 1,000 members, seed 1, English CSV.
    fn default() -> Self {
        GenOptions {
            members: 1_000,
            seed: 1,
            lang: Lang::En,
            format: GenFormat::Csv,
            compression: None,
        }
    }
}

/// Generated files as bytes.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The members export.
    pub members: Vec<u8>,
    /// The orders export.
    pub orders: Vec<u8>,
    /// The file extension of the format (`csv`, `xlsx`, `parquet`, ...).
    pub extension: &'static str,
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
    gender: usize,
    birthday: Day,
    phone: u64,
    email: bool,
    /// Bit t set: the member has tag t of the vocabulary.
    tags: u8,
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
            gender: weighted(&mut rng, &[68, 27, 5]),
            birthday: END_DAY - rng.random_range(18 * 365..55 * 365),
            phone: [13, 15, 18][i % 3] * 1_000_000_000 + rng.random_range(0..1_000_000_000u64),
            email: rng.random_bool(0.7),
            tags: 0,
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
    for m in &mut members {
        m.tags = draw_tags(&mut rng, m);
    }
    add_refunds(&mut rng, &mut orders);
    add_guest_orders(&mut rng, &v, &mut orders, &mut next_id);
    orders.sort_by_key(|o| (o.day, o.minute, o.id));
    let members_table = table::members(&v, &members);
    let orders_table = table::orders(&v, &orders);
    Ok(Generated {
        members: write::write(&members_table, &v, opts)?,
        orders: write::write(&orders_table, &v, opts)?,
        extension: opts.format.extension(),
    })
}

/// The tier of a member by spend: normal, silver, gold, diamond.
fn tier(m: &Member) -> usize {
    match m.spend {
        s if s >= 500_000 => 3,
        s if s >= 200_000 => 2,
        s if s >= 50_000 => 1,
        _ => 0,
    }
}

/// Tags with their own base rates; discount lovers and big spenders are tagged as such.
fn draw_tags(rng: &mut ChaCha8Rng, m: &Member) -> u8 {
    let mut tags = 0u8;
    for t in 0..8 {
        let p = match t {
            4 if m.discount_lover => 0.8,
            4 => 0.05,
            6 if tier(m) >= 2 => 0.5,
            _ => 0.12,
        };
        if rng.random_bool(p) {
            tags |= 1 << t;
        }
    }
    tags
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
