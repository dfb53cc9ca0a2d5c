//! KPIs (SPEC §2) over the window, overall and split by one column.
//!
//! - member order share = member purchases / all purchases (guest purchases included);
//! - repeat purchase rate = members with F >= 2 / members with F >= 1;
//! - AOV = sum of purchase amounts / purchases, and items per order = sum of the purchases'
//!   items / purchases, both over all purchases (guest purchases included); member AOV = the
//!   same over member purchases only;
//! - purchases per buyer = member purchases / members with F >= 1;
//! - annual contribution = net amount of the members' orders dated in the 365 days ending at
//!   `as_of` / members with a purchase in them (this range ignores `window_days`);
//! - churn rate = churned members (lifecycle stage) / members with F >= 1.
//!
//! Split by an **order column** (store, channel, guide, ...), every order counts in the
//! group of its own value, and a member's F, first and last purchase, stage and annual
//! purchase are taken over that group's orders only (the member "as a customer of that
//! store"). Split by a **member attribute** (tier, ...), every order counts in its member's
//! group. Orders with no value, and guest orders in a member-attribute split, go to the
//! group `(none)`. A split lists the values of the orders (of members or guests, of any
//! amount) dated in the window or in the annual contribution's 365 days, sorted by value.

use super::base::MemberBase;
pub use super::base::ANNUAL_DAYS;
use super::lifecycle::{stage_of, LifecycleOptions, Stage};
use crate::dataset::{Attr, Codes, Dataset, Dict, NULL_CODE};
use crate::error::{Error, Result};
use crate::load::coerce::format_day;
use crate::suggest::did_you_mean;
use serde::Serialize;
use std::collections::HashMap;

/// The KPIs the page shows, by their field in [`KpiValues`], with labels.
pub const KPI_WORDS: &[crate::text::Word] = &[
    crate::text::Word::new("purchases", "Purchases", "购买订单数"),
    crate::text::Word::new("memberPurchases", "Member purchases", "会员订单数"),
    crate::text::Word::new("guestPurchases", "Guest purchases", "非会员订单数"),
    crate::text::Word::new("memberOrderShare", "Member order share", "会员订单占比"),
    crate::text::Word::new("buyers", "Buyers", "购买会员数"),
    crate::text::Word::new("repeatBuyers", "Repeat buyers", "复购会员数"),
    crate::text::Word::new("repeatPurchaseRate", "Repeat purchase rate", "复购率"),
    crate::text::Word::new("aov", "Average order value", "客单价"),
    crate::text::Word::new("memberAov", "Member average order value", "会员客单价"),
    crate::text::Word::new("itemsPerOrder", "Items per order", "连带率"),
    crate::text::Word::new("purchasesPerBuyer", "Purchases per buyer", "人均购买次数"),
    crate::text::Word::new(
        "annualContribution",
        "Annual contribution per buyer",
        "年度人均贡献",
    ),
    crate::text::Word::new("churnRate", "Churn rate", "流失率"),
];

/// The group of orders without a value (and of guest orders in a member-attribute split).
pub const NONE_GROUP: &str = "(none)";

/// KPI options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KpiOptions {
    /// Split by this column: an order column, else a member attribute; `order:NAME` or
    /// `member:NAME` chooses explicitly.
    pub by: Option<String>,
}

/// The KPIs of one group (or of everything), with their numerators and denominators.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KpiValues {
    /// Purchases (orders with amount > 0), guests included.
    pub purchases: u64,
    /// Purchases with a member.
    pub member_purchases: u64,
    /// Guest purchases.
    pub guest_purchases: u64,
    /// `member_purchases / purchases`.
    pub member_order_share: Option<f64>,
    /// Members with F >= 1.
    pub buyers: u64,
    /// Members with F >= 2.
    pub repeat_buyers: u64,
    /// `repeat_buyers / buyers`.
    pub repeat_purchase_rate: Option<f64>,
    /// Sum of purchase amounts in cents (refunds excluded), guests included.
    pub purchase_amount_cents: i64,
    /// Average order value in currency units: `purchase_amount_cents / 100 / purchases`.
    pub aov: Option<f64>,
    /// Sum of the member purchases' amounts in cents (guests excluded).
    pub member_purchase_amount_cents: i64,
    /// Average order value of member purchases only, in currency units:
    /// `member_purchase_amount_cents / 100 / member_purchases`.
    pub member_aov: Option<f64>,
    /// Sum of the purchases' items, guests included.
    pub items: i64,
    /// `items / purchases`.
    pub items_per_order: Option<f64>,
    /// `member_purchases / buyers`.
    pub purchases_per_buyer: Option<f64>,
    /// Net amount of the members' orders in the last 365 days, in cents.
    pub annual_net_cents: i64,
    /// Members with a purchase in the last 365 days.
    pub annual_buyers: u64,
    /// `annual_net_cents / 100 / annual_buyers`, in currency units.
    pub annual_contribution: Option<f64>,
    /// Buyers whose lifecycle stage is `churned`.
    pub churned: u64,
    /// `churned / buyers`.
    pub churn_rate: Option<f64>,
}

/// One group of a split.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KpiGroup {
    /// The column's value (`(none)` for no value).
    pub value: String,
    /// The group's KPIs.
    #[serde(flatten)]
    pub kpis: KpiValues,
}

/// The KPI report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "KpiResult")
)]
#[serde(rename_all = "camelCase")]
pub struct Kpis {
    /// The reference date.
    pub as_of: String,
    /// The window in days, if any.
    pub window_days: Option<u32>,
    /// The first day counted (none without a window).
    pub window_start: Option<String>,
    /// The first day of the annual contribution's 365 days.
    pub annual_start: String,
    /// The lifecycle thresholds behind the churn rate.
    pub thresholds: LifecycleOptions,
    /// KPIs over everything.
    pub overall: KpiValues,
    /// The split column, as resolved (`store`, `tier`, ...).
    pub by: Option<String>,
    /// `order` or `member`: where the split column comes from.
    pub by_source: Option<&'static str>,
    /// One entry per value of the split column, sorted by value.
    pub groups: Vec<KpiGroup>,
    /// With `compareTo`: the period rates over `(compareTo, as_of]` (SPEC §6).
    pub rates: Option<super::movement::PeriodRates>,
}

#[derive(Default)]
struct Groups {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Groups {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&g) = self.index.get(name) {
            return g;
        }
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }

    /// Group per dictionary code; the last entry is the group of a missing value.
    fn of_dict(&mut self, dict: &Dict) -> Vec<usize> {
        let mut v: Vec<usize> = dict.values.iter().map(|s| self.id(s)).collect();
        v.push(self.id(NONE_GROUP));
        v
    }
}

fn code_index(code: u32, len: usize) -> usize {
    if code == NULL_CODE {
        len - 1
    } else {
        code as usize
    }
}

/// How orders map to groups.
enum Split<'a> {
    Order {
        member: (&'a Codes, Vec<usize>),
        guest: Option<(&'a Codes, Vec<usize>)>,
        none: usize,
    },
    Member {
        of_member: Vec<usize>,
        none: usize,
    },
}

/// Where the groups of a KPI split come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitSource {
    /// An order column (each order's own value).
    Order,
    /// A member attribute (the buyer's value).
    Member,
}

/// `by` as written: `order:NAME` or `member:NAME` (that source only), or a bare name (either).
pub fn split_source(by: &str) -> (Option<SplitSource>, &str) {
    match by.split_once(':') {
        Some(("order", n)) => (Some(SplitSource::Order), n.trim()),
        Some(("member", n)) => (Some(SplitSource::Member), n.trim()),
        _ => (None, by.trim()),
    }
}

/// The field a split by `by` reads in `ds`: an order column of that name or header (unless
/// `member:`), else a member attribute (unless `order:`); an error naming the columns
/// otherwise.
pub fn split_field<'a>(ds: &'a Dataset, by: &'a str) -> Result<(SplitSource, &'a str)> {
    let (source, name) = split_source(by);
    let order_field = ds
        .orders
        .dims
        .get_key_value(name)
        .map(|(k, _)| k.as_str())
        .or_else(|| {
            ds.aliases
                .get(name)
                .map(String::as_str)
                .filter(|f| ds.orders.dims.contains_key(*f))
        });
    if source != Some(SplitSource::Member) {
        if let Some(field) = order_field {
            return Ok((SplitSource::Order, field));
        }
    }
    if source != Some(SplitSource::Order) {
        if let Some(field) = ds.resolve_attr(name) {
            return Ok((SplitSource::Member, field));
        }
    }
    let known: Vec<&str> = ds
        .orders
        .dims
        .keys()
        .map(String::as_str)
        .chain(ds.attrs.keys().map(String::as_str))
        .collect();
    Err(Error::option(format!(
        "kpi by: unknown column \"{by}\"{} (order columns: {}; member attributes: {})",
        did_you_mean(name, known.iter().copied()),
        ds.orders
            .dims
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ds.attrs.keys().cloned().collect::<Vec<_>>().join(", "),
    )))
}

fn resolve<'a>(ds: &'a Dataset, by: &str, groups: &mut Groups) -> Result<(String, Split<'a>)> {
    let (source, field) = split_field(ds, by)?;
    if source == SplitSource::Order {
        let member = &ds.orders.dims[field];
        let m = groups.of_dict(member);
        let guest = ds
            .guests
            .dims
            .get(field)
            .map(|g| (&g.codes, groups.of_dict(g)));
        let none = groups.id(NONE_GROUP);
        let split = Split::Order {
            member: (&member.codes, m),
            guest,
            none,
        };
        return Ok((field.to_string(), split));
    }
    let of_member = match &ds.attrs[field] {
        Attr::Text(d) => {
            let codes = groups.of_dict(d);
            d.codes
                .iter()
                .map(|c| codes[code_index(c, codes.len())])
                .collect()
        }
        Attr::Num(v) => v
            .iter()
            .map(|x| groups.id(&x.map_or(NONE_GROUP.to_string(), |x| x.to_string())))
            .collect(),
        Attr::Date(v) => v
            .iter()
            .map(|d| groups.id(&d.map_or(NONE_GROUP.to_string(), format_day)))
            .collect(),
    };
    let none = groups.id(NONE_GROUP);
    Ok((field.to_string(), Split::Member { of_member, none }))
}

#[derive(Clone, Copy)]
struct MemberState {
    group: usize,
    f: u32,
    first: Option<i32>,
    last: Option<i32>,
    annual: bool,
}

/// Computes the KPIs overall and, with `opts.by`, per group. `stages` are the members'
/// lifecycle stages for `lifecycle` (see [`super::lifecycle::stages`]).
pub fn kpis(
    ds: &Dataset,
    base: &MemberBase,
    stages: &[Stage],
    lifecycle: &LifecycleOptions,
    window_days: Option<u32>,
    opts: &KpiOptions,
) -> Result<Kpis> {
    let overall = overall(base, stages);
    let (mut by, mut by_source, mut groups) = (None, None, Vec::new());
    if let Some(col) = opts.by.as_deref() {
        let mut names = Groups::default();
        let (field, split) = resolve(ds, col, &mut names)?;
        by_source = Some(match split {
            Split::Order { .. } => "order",
            Split::Member { .. } => "member",
        });
        by = Some(field);
        let mut all = tally(ds, base, lifecycle, Some((&split, &names.names)));
        all.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        groups = all
            .into_iter()
            .map(|(value, kpis)| KpiGroup { value, kpis })
            .collect();
    }
    Ok(Kpis {
        as_of: format_day(base.as_of),
        window_days,
        window_start: window_days.map(|_| format_day(base.start + 1)),
        annual_start: format_day(base.as_of - ANNUAL_DAYS + 1),
        thresholds: *lifecycle,
        overall,
        by,
        by_source,
        groups,
        rates: None,
    })
}

/// The KPIs over everything, from the per-member base, its totals and the stages: one pass
/// over the members, none over the orders.
pub fn overall(base: &MemberBase, stages: &[Stage]) -> KpiValues {
    let t = &base.totals;
    let mut k = KpiValues {
        guest_purchases: t.guest_purchases,
        purchase_amount_cents: t.guest_amount,
        items: t.items + t.guest_items,
        annual_net_cents: t.annual_net,
        annual_buyers: t.annual_buyers,
        ..KpiValues::default()
    };
    for ((&f, &gross), &stage) in base.frequency.iter().zip(&base.gross).zip(stages) {
        k.member_purchases += u64::from(f);
        k.purchase_amount_cents += gross;
        k.member_purchase_amount_cents += gross;
        k.buyers += u64::from(f >= 1);
        k.repeat_buyers += u64::from(f >= 2);
        k.churned += u64::from(f >= 1 && stage == Stage::Churned);
    }
    finish(k)
}

/// The overall KPIs the long way, in one pass over every order as a split does: what
/// [`overall`] must give.
pub fn overall_from_orders(
    ds: &Dataset,
    base: &MemberBase,
    lifecycle: &LifecycleOptions,
) -> KpiValues {
    tally(ds, base, lifecycle, None).pop().unwrap_or_default().1
}

/// The KPIs of every group that has an order or a member (one group without a split): one
/// pass over every order.
fn tally(
    ds: &Dataset,
    base: &MemberBase,
    lifecycle: &LifecycleOptions,
    split: Option<(&Split, &Vec<String>)>,
) -> Vec<(String, KpiValues)> {
    let n_groups = split.map_or(1, |(_, names)| names.len());
    let mut t = vec![KpiValues::default(); n_groups];
    let mut seen = vec![false; n_groups];
    let (as_of, start) = (base.as_of, base.start);
    let annual_start = as_of - ANNUAL_DAYS;
    let o = &ds.orders;
    let mut state: Vec<MemberState> = Vec::new();
    for m in 0..ds.len() {
        state.clear();
        for i in o.range(m as u32) {
            let day = o.day[i];
            let (in_window, in_year) = (day > start, day > annual_start);
            if day > as_of || !(in_window || in_year) {
                continue;
            }
            let g = match split {
                None => 0,
                Some((Split::Order { member, .. }, _)) => {
                    member.1[code_index(member.0.get(i), member.1.len())]
                }
                Some((Split::Member { of_member, .. }, _)) => of_member[m],
            };
            seen[g] = true;
            let p = match state.iter().position(|s| s.group == g) {
                Some(p) => p,
                None => {
                    state.push(MemberState {
                        group: g,
                        f: 0,
                        first: None,
                        last: None,
                        annual: false,
                    });
                    state.len() - 1
                }
            };
            let s = &mut state[p];
            let cents = o.cents[i];
            if in_window && cents > 0 {
                let k = &mut t[g];
                k.member_purchases += 1;
                k.purchase_amount_cents += cents;
                k.member_purchase_amount_cents += cents;
                k.items += o.items[i];
                s.f += 1;
                s.first.get_or_insert(day);
                s.last = Some(day);
            }
            if in_year {
                t[g].annual_net_cents += cents;
                s.annual |= cents > 0;
            }
        }
        for s in &state {
            let k = &mut t[s.group];
            if s.f >= 1 {
                k.buyers += 1;
                k.repeat_buyers += u64::from(s.f >= 2);
                k.churned +=
                    u64::from(stage_of(s.first, s.last, as_of, lifecycle) == Stage::Churned);
            }
            k.annual_buyers += u64::from(s.annual);
        }
    }
    let guests = &ds.guests;
    for j in 0..guests.day.len() {
        let (day, cents) = (guests.day[j], guests.cents[j]);
        if day > as_of || (day <= start && day <= annual_start) {
            continue;
        }
        let g = match split {
            None => 0,
            Some((
                Split::Order {
                    guest: Some((codes, map)),
                    ..
                },
                _,
            )) => map[code_index(codes.get(j), map.len())],
            Some((Split::Order { none, .. }, _)) | Some((Split::Member { none, .. }, _)) => *none,
        };
        seen[g] = true;
        if day <= start || cents <= 0 {
            continue;
        }
        let k = &mut t[g];
        k.guest_purchases += 1;
        k.purchase_amount_cents += cents;
        k.items += guests.items[j];
    }
    let names = split.map_or_else(|| vec![String::new()], |(_, names)| names.clone());
    names
        .into_iter()
        .zip(t)
        .zip(seen)
        .filter(|(_, seen)| *seen || split.is_none())
        .map(|((name, k), _)| (name, finish(k)))
        .collect()
}

fn ratio(num: f64, den: u64) -> Option<f64> {
    (den > 0).then(|| num / den as f64)
}

fn finish(mut k: KpiValues) -> KpiValues {
    k.purchases = k.member_purchases + k.guest_purchases;
    k.member_order_share = ratio(k.member_purchases as f64, k.purchases);
    k.repeat_purchase_rate = ratio(k.repeat_buyers as f64, k.buyers);
    k.aov = ratio(k.purchase_amount_cents as f64 / 100.0, k.purchases);
    k.member_aov = ratio(
        k.member_purchase_amount_cents as f64 / 100.0,
        k.member_purchases,
    );
    k.items_per_order = ratio(k.items as f64, k.purchases);
    k.purchases_per_buyer = ratio(k.member_purchases as f64, k.buyers);
    k.annual_contribution = ratio(k.annual_net_cents as f64 / 100.0, k.annual_buyers);
    k.churn_rate = ratio(k.churned as f64, k.buyers);
    k
}
