//! Line items grouped into orders (SPEC §1.1): in an orders file whose order id repeats (one
//! row per line item, as Shopify writes it) or that has a refund-amount column, the rows of one
//! order are held until the order ends and then loaded as one order row. Each order-level value
//! is the first non-empty one among the order's lines, `items` is the sum of the line
//! quantities, and the other values of a text column (a second line's brand or vendor) are kept
//! beside the order as its line values, for `purchased` filters. The status of the merged order
//! decides (cancelled and not paid orders are rejected with all their lines); a refund-amount
//! column adds a refund row of `-refund_amount` on the order's day. The lines of an order are
//! the consecutive rows with its id, as every platform writes them.

use super::{Store, TableBuilder, BATCH_ROWS};
use crate::load::cell::Row;
use crate::load::read::{Parsed, Read};
use crate::load::report::{LineItems, ReasonCount, Rejections};
use crate::load::status::{status_class, StatusClass};
use crate::load::table::LineValues;
use std::collections::BTreeMap;

/// One value of an order being assembled.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val {
    Null,
    Int(i64),
    Day(i32),
    Code(u32),
}

/// The order whose lines are being read.
#[derive(Debug)]
struct Pending {
    /// Row number of its first line.
    row: u64,
    /// Its order id.
    id: String,
    /// Lines read into it.
    lines: u64,
    /// Whether it is a refund row (never merged with the order it refunds).
    refund_row: bool,
    /// A value per plan.
    values: Vec<Val>,
    /// Per plan, the other text values of its lines.
    more: Vec<Vec<u32>>,
}

/// What a line-item load counted, for the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineCounts {
    /// Lines loaded (as parts of the loaded orders).
    pub lines: u64,
    /// Orders loaded.
    pub orders: u64,
    /// Refund rows added from the refund-amount column.
    pub refunds: u64,
    /// Orders not loaded, by reason.
    pub rejected: BTreeMap<String, u64>,
}

/// Line-item grouping state of a [`TableBuilder`].
#[derive(Debug)]
pub struct Lines {
    /// The source column of the order id, if any.
    order_id: Option<usize>,
    /// Plans of the refund amount, the items, the amount, the order time and the status.
    refund: Option<usize>,
    items: Option<usize>,
    amount: Option<usize>,
    day: Option<usize>,
    status: Option<usize>,
    pending: Option<Pending>,
    /// Per field, (table row, code) of the line values beyond an order's first.
    more: LineValues,
    counts: LineCounts,
}

impl Lines {
    /// The grouping state for plans read as `reads` (field names `fields`), with the order id
    /// in source column `order_id`.
    pub fn new(order_id: Option<usize>, fields: &[String], reads: &[Read]) -> Lines {
        let find = |f: &str| fields.iter().position(|x| x == f);
        Lines {
            order_id,
            refund: find("refund_cents"),
            items: find("items"),
            amount: find("amount_cents"),
            day: find("order_day"),
            status: reads.iter().position(|r| *r == Read::Status),
            pending: None,
            more: LineValues::new(),
            counts: LineCounts::default(),
        }
    }
}

impl Lines {
    /// The line values beyond each order's first, per field, and the counts.
    pub fn into_parts(self) -> (LineValues, LineCounts) {
        (self.more, self.counts)
    }
}

impl TableBuilder {
    /// Takes one row of a line-item file (its cells already coerced into `scratch`).
    pub(super) fn push_line<R: Row + ?Sized>(
        &mut self,
        row_number: u64,
        row: &R,
        rejections: &mut Rejections,
    ) {
        let Some(lines) = self.lines.as_mut() else {
            return;
        };
        let id = lines
            .order_id
            .map(|c| row.cell(c).text(&mut self.buf).trim().to_string())
            .unwrap_or_default();
        let refund_row = lines.refund.is_none()
            && lines.status.is_some_and(|s| {
                status_class(row.cell(self.plans[s].source).text(&mut self.buf))
                    == StatusClass::Refund
            });
        let mut values = Vec::with_capacity(self.plans.len());
        for (pi, v) in self.scratch.iter().enumerate() {
            values.push(match *v {
                Parsed::Null => Val::Null,
                Parsed::Int(i) => Val::Int(i),
                Parsed::Day(d) => Val::Day(d),
                Parsed::Text => match &mut self.stores[pi] {
                    Store::Dict { interner, .. } => {
                        let cell = row.cell(self.plans[pi].source);
                        Val::Code(interner.code(cell.text(&mut self.buf).trim()))
                    }
                    _ => Val::Null,
                },
            });
        }
        let Some(lines) = self.lines.as_mut() else {
            return;
        };
        let continues = lines
            .pending
            .as_ref()
            .is_some_and(|p| !id.is_empty() && p.id == id && !refund_row && !p.refund_row);
        if continues {
            if let Some(p) = lines.pending.as_mut() {
                p.lines += 1;
                for (pi, v) in values.into_iter().enumerate() {
                    merge(p, pi, v, Some(pi) == lines.items);
                }
            }
            return;
        }
        let next = Pending {
            row: row_number,
            id,
            lines: 1,
            refund_row,
            more: vec![Vec::new(); values.len()],
            values,
        };
        if let Some(done) = lines.pending.replace(next) {
            self.flush_order(done, rejections);
        }
    }

    /// Loads the order being read, if any (at the end of the file).
    pub(super) fn flush_lines(&mut self, rejections: &mut Rejections) {
        if let Some(p) = self.lines.as_mut().and_then(|l| l.pending.take()) {
            self.flush_order(p, rejections);
        }
    }

    /// Checks a whole order and appends it (and its refund row).
    fn flush_order(&mut self, mut p: Pending, rejections: &mut Rejections) {
        let Some(lines) = self.lines.as_ref() else {
            return;
        };
        let (status, day, amount, refund) = (lines.status, lines.day, lines.amount, lines.refund);
        let class = status.map_or(StatusClass::Normal, |s| {
            match (p.values[s], &self.stores[s]) {
                (Val::Code(c), Store::Dict { interner, .. }) => status_class(interner.value(c)),
                _ => StatusClass::Normal,
            }
        });
        let fault = match class {
            StatusClass::Cancelled | StatusClass::NotPaid => status.map(|s| (s, class.reason())),
            _ => None,
        }
        .or_else(|| {
            day.filter(|&d| p.values[d] == Val::Null)
                .map(|d| (d, "missing date"))
        })
        .or_else(|| {
            amount
                .filter(|&a| p.values[a] == Val::Null)
                .map(|a| (a, "missing amount"))
        });
        if let Some((pi, reason)) = fault {
            let raw = match (p.values[pi], &self.stores[pi]) {
                (Val::Code(c), Store::Dict { interner, .. }) => interner.value(c).to_string(),
                _ => String::new(),
            };
            rejections.reject(p.row, &self.plans[pi].header, &raw, reason);
            rejections.reject_more(reason, p.lines - 1);
            if let Some(l) = self.lines.as_mut() {
                *l.counts.rejected.entry(reason.to_string()).or_insert(0) += 1;
            }
            return;
        }
        if let (StatusClass::Refund, None, Some(a)) = (class, refund, amount) {
            if let Val::Int(c) = p.values[a] {
                p.values[a] = Val::Int(-c.abs());
            }
        }
        let row = self.rows as u32;
        self.append_values(&p.values);
        let fields: Vec<String> = self.plans.iter().map(|pl| pl.field.clone()).collect();
        if let Some(l) = self.lines.as_mut() {
            l.counts.lines += p.lines;
            l.counts.orders += 1;
            for (pi, more) in p.more.iter().enumerate() {
                if !more.is_empty() {
                    let list = l.more.entry(fields[pi].clone()).or_default();
                    list.extend(more.iter().map(|&c| (row, c)));
                }
            }
        }
        // A refund-amount column: the order is a purchase of `amount` and a refund of
        // `-refund_amount` on the same day.
        if let (Some(r), Some(a)) = (refund, amount) {
            if let Val::Int(cents) = p.values[r] {
                if cents != 0 {
                    let mut back = p.values.clone();
                    back[a] = Val::Int(-cents.abs());
                    back[r] = Val::Null;
                    for (pi, pl) in self.plans.iter().enumerate() {
                        if matches!(pl.field.as_str(), "items" | "discount_cents") {
                            back[pi] = Val::Null;
                        }
                    }
                    self.append_values(&back);
                    if let Some(l) = self.lines.as_mut() {
                        l.counts.refunds += 1;
                    }
                }
            }
        }
    }

    /// Appends one table row of values.
    fn append_values(&mut self, values: &[Val]) {
        for (store, v) in self.stores.iter_mut().zip(values) {
            match (store, *v) {
                (Store::Dict { cur, .. }, Val::Code(c)) => cur.append_value(c),
                (Store::Dict { cur, .. }, _) => cur.append_null(),
                (Store::Date(b, _), Val::Day(d)) => b.append_value(d),
                (Store::Date(b, _), _) => b.append_null(),
                (Store::Int(b, _), Val::Int(i)) => b.append_value(i),
                (Store::Int(b, _), _) => b.append_null(),
                (Store::Text(b, _) | Store::Attr(b, _), _) => b.append_null(),
                (Store::Tags(b, _), _) => b.append(true),
            }
        }
        self.rows += 1;
        self.rows_in_batch += 1;
        if self.rows_in_batch == BATCH_ROWS {
            self.cut();
        }
    }
}

/// Folds one line's value of plan `pi` into the order: the first non-empty value stays;
/// quantities add up; another text value is kept as a line value.
fn merge(p: &mut Pending, pi: usize, v: Val, sum: bool) {
    match (p.values[pi], v) {
        (_, Val::Null) => {}
        (Val::Null, v) => p.values[pi] = v,
        (Val::Int(a), Val::Int(b)) if sum => p.values[pi] = Val::Int(a.saturating_add(b)),
        (Val::Code(a), Val::Code(b)) if a != b && !p.more[pi].contains(&b) => p.more[pi].push(b),
        _ => {}
    }
}

impl From<LineCounts> for LineItems {
    fn from(c: LineCounts) -> LineItems {
        LineItems {
            lines: c.lines,
            orders: c.orders,
            refunds: c.refunds,
            rejected_orders: c
                .rejected
                .into_iter()
                .map(|(reason, count)| ReasonCount {
                    reason_zh: crate::load::reasons::zh(&reason),
                    reason,
                    count,
                })
                .collect(),
        }
    }
}
