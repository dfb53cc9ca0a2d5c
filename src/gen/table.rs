//! The generated members and orders as typed columns, before a format writes them.

use super::vocab::{Lang, Vocab};
use super::{tier, Member, Order};
use crate::load::coerce::Day;

/// One generated column.
pub(super) enum Col<'a> {
    /// Text per row (`None` = empty).
    Text(Box<dyn Fn(usize) -> Option<String> + 'a>),
    /// A calendar day.
    Day(Vec<Option<Day>>),
    /// A timestamp: day and minute of the day.
    Time(Vec<(Day, u32)>),
    /// Money in cents.
    Money(Vec<Option<i64>>),
    /// A whole number.
    Int(Vec<Option<i64>>),
    /// A tag list.
    Tags(Vec<Vec<&'a str>>),
}

/// Generated rows, column by column.
pub(super) struct GenTable<'a> {
    pub headers: Vec<&'static str>,
    pub cols: Vec<Col<'a>>,
    pub rows: usize,
}

/// The member id of member `i`: `M0000001` in English exports, a ten-digit card number (with
/// leading zeros kept as text) in Chinese ones.
pub(super) fn member_id(lang: Lang, i: usize) -> String {
    match lang {
        Lang::En => format!("M{:07}", i + 1),
        Lang::Zh => format!("{:010}", 8_800_000 + i),
    }
}

pub(super) fn members<'a>(v: &'a Vocab, members: &'a [Member]) -> GenTable<'a> {
    let lang = v.lang;
    let text = |f: Box<dyn Fn(usize) -> Option<String> + 'a>| Col::Text(f);
    let cols = vec![
        text(Box::new(move |i| Some(member_id(lang, i)))),
        Col::Day(members.iter().map(|m| Some(m.join)).collect()),
        text(Box::new(move |i| {
            Some(v.tiers[tier(&members[i])].to_string())
        })),
        text(Box::new(move |i| {
            Some(v.genders[members[i].gender].to_string()).filter(|g| !g.is_empty())
        })),
        text(Box::new(move |i| {
            Some(v.cities[members[i].store].to_string())
        })),
        text(Box::new(move |i| {
            Some(v.stores[members[i].store].to_string())
        })),
        text(Box::new(move |i| {
            let m = &members[i];
            Some(v.guides[m.store * 3 + m.guide].to_string())
        })),
        text(Box::new(move |i| Some(members[i].phone.to_string()))),
        text(Box::new(move |i| {
            members[i]
                .email
                .then(|| format!("member{}@example.com", i + 1))
        })),
        Col::Day(members.iter().map(|m| Some(m.birthday)).collect()),
        Col::Int(members.iter().map(|m| Some(m.spend / 100)).collect()),
        Col::Tags(
            members
                .iter()
                .map(|m| {
                    (0..8)
                        .filter(|t| m.tags & (1 << t) != 0)
                        .map(|t| v.tags[t])
                        .collect()
                })
                .collect(),
        ),
    ];
    GenTable {
        headers: v.member_headers.to_vec(),
        cols,
        rows: members.len(),
    }
}

pub(super) fn orders<'a>(v: &'a Vocab, orders: &'a [Order]) -> GenTable<'a> {
    let lang = v.lang;
    let text = |f: Box<dyn Fn(usize) -> Option<String> + 'a>| Col::Text(f);
    let cols = vec![
        text(Box::new(move |i| {
            Some(format!("{}{}", v.order_prefix, orders[i].id))
        })),
        text(Box::new(move |i| {
            orders[i].member.map(|m| member_id(lang, m))
        })),
        Col::Time(orders.iter().map(|o| (o.day, o.minute)).collect()),
        Col::Money(orders.iter().map(|o| Some(o.cents)).collect()),
        text(Box::new(move |i| {
            Some(v.statuses[orders[i].status].to_string())
        })),
        Col::Money(
            orders
                .iter()
                .map(|o| (o.discount > 0).then_some(o.discount))
                .collect(),
        ),
        Col::Int(orders.iter().map(|o| Some(i64::from(o.items))).collect()),
        text(Box::new(move |i| {
            Some(v.channels[orders[i].channel].to_string())
        })),
        text(Box::new(move |i| {
            Some(v.stores[orders[i].store].to_string())
        })),
        text(Box::new(move |i| {
            let o = &orders[i];
            o.guide.map(|g| v.guides[o.store * 3 + g].to_string())
        })),
        text(Box::new(move |i| {
            Some(v.brands[orders[i].brand].to_string())
        })),
        text(Box::new(move |i| {
            Some(v.categories[orders[i].category].to_string())
        })),
    ];
    GenTable {
        headers: v.order_headers.to_vec(),
        cols,
        rows: orders.len(),
    }
}
