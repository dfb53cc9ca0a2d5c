//! How a source column is read: the field and [`Read`] of each role, and the coercion of one
//! cell to a day, cents or a whole number, with the reason a row is rejected when it cannot
//! be used. The role detector, the row and column builders and the preview all read cells
//! through here.

use super::cell::Cell;
use super::coerce::{
    cents_from_decimal, cents_from_float, excel_day, parse_any_date, parse_int, parse_money,
    plausible_day,
};
use super::table::TableKind;

/// The types a load report gives a column, with their labels.
pub const TYPES: [crate::text::Word; 8] = [
    crate::text::Word::new("string", "text", "文本"),
    crate::text::Word::new("date", "date", "日期"),
    crate::text::Word::new("money", "money", "金额"),
    crate::text::Word::new("integer", "whole number", "整数"),
    crate::text::Word::new("number", "number", "数字"),
    crate::text::Word::new("tags", "tag list", "标签列表"),
    crate::text::Word::new("not kept", "not kept", "不保留"),
    crate::text::Word::new("ignored", "ignored", "忽略"),
];

/// How a source column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// A member id, dictionary-encoded; `required` rejects empty values (orders: empty =
    /// guest order).
    MemberId {
        /// Whether an empty value rejects the row.
        required: bool,
    },
    /// A date; `required` rejects empty values.
    Date {
        /// Whether an empty value rejects the row.
        required: bool,
    },
    /// Money in integer cents; `required` rejects empty values.
    Money {
        /// Whether an empty value rejects the row.
        required: bool,
    },
    /// A whole number.
    Int,
    /// Free text (ids, phones, emails).
    Text,
    /// Repeated text (stores, channels, tiers): dictionary-encoded.
    Dict,
    /// A delimited tag list.
    Tags,
    /// Order status: cancelled rows are rejected, refunds flip the amount's sign.
    Status,
    /// A member attribute whose type (number, date or text) is decided from all its values.
    Attr,
    /// Recognised but not kept: no metric, rule or export reads it (the order id of the
    /// orders table, read only to group line items), so typed formats do not even decode it.
    Skip,
}

impl Read {
    /// The type name shown in reports.
    pub fn type_name(self) -> &'static str {
        match self {
            Read::Text | Read::MemberId { .. } | Read::Status | Read::Dict | Read::Attr => "string",
            Read::Date { .. } => "date",
            Read::Money { .. } => "money",
            Read::Int => "integer",
            Read::Tags => "tags",
            Read::Skip => "not kept",
        }
    }
}

/// A coerced value kept between the checking pass and the appending pass of a row.
#[derive(Debug, Clone, Copy)]
pub enum Parsed {
    /// Empty.
    Null,
    /// A whole number (money in cents).
    Int(i64),
    /// A day.
    Day(i32),
    /// Text, read again from the row when appended.
    Text,
}

/// The field a role is stored under and how it is read.
pub fn role_plan(kind: TableKind, role: &str) -> (&str, Read) {
    match (kind, role) {
        (TableKind::Orders, "member_id") => ("member_id", Read::MemberId { required: false }),
        (_, "member_id") => ("member_id", Read::MemberId { required: true }),
        (_, "order_time") => ("order_day", Read::Date { required: true }),
        (_, "amount") => ("amount_cents", Read::Money { required: true }),
        (_, "discount") => ("discount_cents", Read::Money { required: false }),
        (_, "refund_amount") => ("refund_cents", Read::Money { required: false }),
        (_, "items") => ("items", Read::Int),
        (_, "status") => ("status", Read::Status),
        (_, "join_date") => ("join_day", Read::Date { required: false }),
        (_, "tags") => ("tags", Read::Tags),
        (TableKind::MemberTags, "tag") => ("tag", Read::Dict),
        (TableKind::Orders, "order_id") => (role, Read::Skip),
        // The order id an order items file joins on.
        (TableKind::OrderItems, "order_id") => (role, Read::Dict),
        // A line-level column that `purchased` filters read (SPEC §1.1).
        (TableKind::Orders | TableKind::OrderItems, "sku") => (role, Read::Dict),
        (_, "order_id" | "phone" | "email" | "sku") => (role, Read::Text),
        (_, other) => (other, Read::Dict),
    }
}

/// The batch field that stores `role` (`order_time` → `order_day`, ...).
pub fn field_of_role(kind: TableKind, role: &str) -> &str {
    role_plan(kind, role).0
}

/// How the column of `role` is read.
pub fn read_of_role(kind: TableKind, role: &str) -> Read {
    role_plan(kind, role).1
}

/// Checks and converts one cell.
pub fn coerce(read: Read, cell: Cell<'_>, buf: &mut String) -> Result<Parsed, &'static str> {
    if cell.is_empty() {
        return match read {
            Read::MemberId { required: true } => Err("missing member id"),
            Read::Date { required: true } => Err("missing date"),
            Read::Money { required: true } => Err("missing amount"),
            _ => Ok(Parsed::Null),
        };
    }
    Ok(match read {
        Read::MemberId { .. }
        | Read::Skip
        | Read::Text
        | Read::Dict
        | Read::Status
        | Read::Attr
        | Read::Tags => Parsed::Text,
        Read::Date { .. } => {
            let d = date_of(cell, buf).ok_or("unparsable date")?;
            if !plausible_day(d) {
                return Err("date out of range (before 1900 or after 2199)");
            }
            Parsed::Day(d)
        }
        Read::Money { .. } => Parsed::Int(money_of(cell, buf).ok_or("not an amount of money")?),
        Read::Int => Parsed::Int(int_of(cell, buf).ok_or("not a whole number")?),
    })
}

/// A date from any cell: text in the SPEC forms, typed days, Excel serial days, or a number
/// read as `yyyymmdd` or Unix seconds/milliseconds.
pub fn date_of(cell: Cell<'_>, buf: &mut String) -> Option<i32> {
    match cell {
        Cell::Str(s) => parse_any_date(s),
        Cell::Day(d) => Some(d),
        Cell::ExcelSerial(f) => excel_day(f),
        Cell::Float(f) if (20_000.0..80_000.0).contains(&f) => excel_day(f),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            parse_any_date(&format!("{}", f as i64))
        }
        Cell::Int(_) | Cell::Decimal(..) => parse_any_date(cell.text(buf)),
        _ => None,
    }
}

/// Money in cents from any cell.
pub fn money_of(cell: Cell<'_>, _buf: &mut String) -> Option<i64> {
    match cell {
        Cell::Str(s) => parse_money(s),
        Cell::Int(i) => i.checked_mul(100),
        Cell::Float(f) | Cell::ExcelSerial(f) => cents_from_float(f),
        Cell::Decimal(v, scale) => cents_from_decimal(v, scale),
        _ => None,
    }
}

/// A whole number from any cell.
pub fn int_of(cell: Cell<'_>, _buf: &mut String) -> Option<i64> {
    match cell {
        Cell::Str(s) => parse_int(s),
        Cell::Int(i) => Some(i),
        Cell::Float(f) => (f.fract() == 0.0 && f.abs() < 9e15).then_some(f as i64),
        Cell::Decimal(v, scale) => cents_from_decimal(v, scale)
            .filter(|c| c % 100 == 0)
            .map(|c| c / 100),
        _ => None,
    }
}
