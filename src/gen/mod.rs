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
    /// The member's buying process, for buyers: what a campaign's window continues.
    buying: Option<Buying>,
}

/// A buyer's repeat-purchase process: purchases at `rate` per day until `death`, of
/// `mean_cents` on average.
#[derive(Debug, Clone, Copy)]
struct Buying {
    rate: f64,
    death: f64,
    mean_cents: f64,
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
    let mut h = history(opts, activity)?;
    h.finish(opts)
}

/// The generated members and orders before they are written.
struct History {
    v: Vocab,
    members: Vec<Member>,
    orders: Vec<Order>,
    next_id: u64,
}

impl History {
    /// Sorts the orders and writes both exports.
    fn finish(&mut self, opts: &GenOptions) -> Result<Generated> {
        self.orders.sort_by_key(|o| (o.day, o.minute, o.id));
        let members_table = table::members(&self.v, &self.members);
        let orders_table = table::orders(&self.v, &self.orders);
        Ok(Generated {
            members: write::write(&members_table, &self.v, opts)?,
            orders: write::write(&orders_table, &self.v, opts)?,
            extension: opts.format.extension(),
        })
    }
}

fn history(opts: &GenOptions, activity: f64) -> Result<History> {
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
            buying: None,
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
            m.buying = Some(Buying {
                rate: lambda,
                death,
                mean_cents,
            });
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
    Ok(History {
        v,
        members,
        orders,
        next_id,
    })
}

/// The days of `[from, from + days)` on which a member buying at `rate` per day until
/// `death` purchases, each day's probability multiplied by `multiplier` (a campaign's
/// `1 + lift` for its treatment group, 1 otherwise; at most 1).
pub fn window_purchases(
    rng: &mut ChaCha8Rng,
    rate: f64,
    death: f64,
    from: Day,
    days: u32,
    multiplier: f64,
) -> Vec<Day> {
    let p = (rate * multiplier).clamp(0.0, 1.0);
    (from..from + days as Day)
        .filter(|&d| d as f64 <= death && rng.random_bool(p))
        .collect()
}

/// Generates the exports with a campaign run on them (SPEC §7; for tests and demos): the
/// history as [`generate_scaled`] makes it, then the purchases of the campaign's audience in
/// its window `[launch, launch + window_days)` drawn again from each member's buying process,
/// with the treatment group's daily purchase probability multiplied by `1 + lift`.
pub fn generate_campaign(
    opts: &GenOptions,
    activity: f64,
    campaign: &crate::campaign::Campaign,
    lift: f64,
) -> Result<Generated> {
    if !(lift.is_finite() && lift > -1.0) {
        return Err(Error::option(format!(
            "lift must be a number above -1 (0.2 = 20% more purchases), found {lift}"
        )));
    }
    let mut h = history(opts, activity)?;
    let plain = h.finish(opts)?;
    // The groups, as the engine assigns them on the history.
    let mut session = crate::Session::new();
    for (kind, bytes) in [
        (crate::load::TableKind::Members, &plain.members),
        (crate::load::TableKind::Orders, &plain.orders),
    ] {
        let load = crate::load::LoadOptions {
            name: format!("{}.{}", kind.name(), plain.extension),
            ..crate::load::LoadOptions::default()
        };
        session.load(kind, bytes, &load, &mut |_| {})?;
    }
    let groups = session.campaign_groups(campaign, &crate::metrics::AnalysisOptions::default())?;
    let (treatment, control) = groups.groups();
    let ds = session.dataset()?;
    let index: std::collections::HashMap<String, usize> = (0..h.members.len())
        .map(|i| (table::member_id(opts.lang, i), i))
        .collect();
    let arm = |set: &roaring::RoaringBitmap| -> Vec<usize> {
        set.iter()
            .filter_map(|m| index.get(ds.id(m)).copied())
            .collect()
    };
    let (treated, held) = (arm(&treatment), arm(&control));
    let (from, days) = (campaign.launch, campaign.window_days);
    let audience: std::collections::HashSet<usize> = treated.iter().chain(&held).copied().collect();
    h.orders.retain(|o| {
        !(o.member.is_some_and(|m| audience.contains(&m))
            && o.day >= from
            && o.day < from + days as Day)
    });
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x0C4A_11A1_6000_0001);
    for (members, multiplier) in [(&treated, 1.0 + lift), (&held, 1.0)] {
        for &i in members {
            let Some(b) = h.members[i].buying else {
                continue;
            };
            for day in window_purchases(&mut rng, b.rate, b.death, from, days, multiplier) {
                let mut o = member_order(
                    &mut rng,
                    &h.v,
                    i,
                    &h.members[i],
                    day,
                    b.mean_cents,
                    &mut h.next_id,
                );
                o.status = 0;
                h.orders.push(o);
            }
        }
    }
    h.finish(opts)
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
