//! Raw string columns → typed Arrow batches for each table kind, rejecting rows whose
//! required values cannot be used.

use super::coerce::{parse_date, parse_int, parse_money};
use super::report::{ColumnReport, Rejections};
use super::{RawTable, TableKind};
use crate::error::{Error, Result};
use arrow_array::builder::{
    Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Status values that mean the order was cancelled (dropped).
const CANCELLED: &[&str] = &[
    "cancelled",
    "canceled",
    "closed",
    "已取消",
    "取消",
    "已关闭",
    "交易关闭",
];
/// Status values that mean a refund (amount made negative).
const REFUNDED: &[&str] = &[
    "refund",
    "refunded",
    "returned",
    "退款",
    "已退款",
    "退货",
    "退款成功",
];

/// Splits a tags cell on `,` `;` `|` `、` `，`, trims, drops empties and repeats.
pub fn split_tags(cell: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for t in cell.split([',', ';', '|', '、', '，', '；']) {
        let t = t.trim();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// What a typed column is built from.
enum Col {
    Str(StringBuilder),
    Date(Date32Builder),
    Int(Int64Builder),
    Num(Float64Builder),
    Tags(ListBuilder<StringBuilder>),
}

impl Col {
    fn finish(self) -> ArrayRef {
        match self {
            Col::Str(mut b) => Arc::new(b.finish()),
            Col::Date(mut b) => Arc::new(b.finish()),
            Col::Int(mut b) => Arc::new(b.finish()),
            Col::Num(mut b) => Arc::new(b.finish()),
            Col::Tags(mut b) => Arc::new(b.finish()),
        }
    }

    fn data_type(&self) -> DataType {
        match self {
            Col::Str(_) => DataType::Utf8,
            Col::Date(_) => DataType::Date32,
            Col::Int(_) => DataType::Int64,
            Col::Num(_) => DataType::Float64,
            Col::Tags(_) => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        }
    }
}

/// How one source column is read.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// Trimmed text; empty is null.
    Text,
    /// Required member id (empty rejects the row), or optional for orders (empty = guest).
    MemberId { required: bool },
    /// A date; `required` rejects empty values.
    Date { required: bool },
    /// Money in cents; `required` rejects empty values.
    Money { required: bool },
    /// A whole number (empty is null).
    Int,
    /// A number (inferred attribute).
    Num,
    /// A delimited tag list.
    Tags,
    /// Order status: cancelled rows are rejected, refunds flip the amount's sign.
    Status,
}

struct Plan {
    source: usize,
    field: String,
    role: Option<&'static str>,
    read: Read,
}

/// Builds the typed batch of `kind` from raw columns and detected roles.
pub fn build(
    kind: TableKind,
    raw: &RawTable,
    roles: &BTreeMap<&'static str, usize>,
    file: &str,
    rejections: &mut Rejections,
    columns: &mut Vec<ColumnReport>,
) -> Result<RecordBatch> {
    require_roles(kind, raw, roles, file)?;
    let plans = plan(kind, raw, roles);
    let mut cols: Vec<Col> = plans.iter().map(|p| new_col(p.read)).collect();
    let status_plan = plans.iter().position(|p| p.read == Read::Status);
    let amount_plan = plans
        .iter()
        .position(|p| matches!(p.read, Read::Money { required: true }));
    let mut seen_ids: HashSet<&str> = HashSet::new();
    let mut values: Vec<Value> = Vec::with_capacity(plans.len());
    'rows: for (i, &row) in raw.row_numbers.iter().enumerate() {
        values.clear();
        for p in &plans {
            let cell = raw.columns[p.source].value(i);
            match read_value(p.read, cell) {
                Ok(v) => values.push(v),
                Err(reason) => {
                    rejections.reject(row, &raw.headers[p.source], cell, &reason);
                    continue 'rows;
                }
            }
        }
        if let (Some(s), Some(a)) = (status_plan, amount_plan) {
            match status_class(raw.columns[plans[s].source].value(i)) {
                StatusClass::Cancelled => {
                    let p = &plans[s];
                    rejections.reject(
                        row,
                        &raw.headers[p.source],
                        raw.columns[p.source].value(i),
                        "cancelled order",
                    );
                    continue 'rows;
                }
                StatusClass::Refund => {
                    if let Value::Int(Some(c)) = &mut values[a] {
                        *c = -c.abs();
                    }
                }
                StatusClass::Normal => {}
            }
        }
        if kind == TableKind::Members {
            let id = raw.columns[roles["member_id"]].value(i).trim();
            if !seen_ids.insert(id) {
                rejections.reject(
                    row,
                    &raw.headers[roles["member_id"]],
                    id,
                    "duplicate member id",
                );
                continue;
            }
        }
        for (col, v) in cols.iter_mut().zip(values.drain(..)) {
            append(col, v);
        }
    }
    for (h, header) in raw.headers.iter().enumerate() {
        let plan = plans.iter().find(|p| p.source == h);
        columns.push(ColumnReport {
            name: header.clone(),
            role: plan.and_then(|p| p.role).map(str::to_string),
            ty: plan.map_or("ignored", |p| type_name(p.read)).to_string(),
        });
    }
    let fields: Vec<Field> = plans
        .iter()
        .zip(&cols)
        .map(|(p, c)| Field::new(&p.field, c.data_type(), true))
        .collect();
    let arrays: Vec<ArrayRef> = cols.into_iter().map(Col::finish).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| Error::new(crate::error::ErrorKind::Internal, format!("{file}: {e}")))
}

fn require_roles(
    kind: TableKind,
    raw: &RawTable,
    roles: &BTreeMap<&'static str, usize>,
    file: &str,
) -> Result<()> {
    let required: &[&str] = match kind {
        TableKind::Orders => &["member_id", "order_time", "amount"],
        TableKind::Members => &["member_id"],
        TableKind::MemberTags => &["member_id", "tag"],
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !roles.contains_key(r))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::parse(format!(
        "{file}: no column found for {} of the {} table (columns: {}); name it with a mapping, e.g. {}=<column>",
        missing.join(", "),
        kind.name(),
        raw.headers.join(", "),
        missing[0]
    )))
}

fn plan(kind: TableKind, raw: &RawTable, roles: &BTreeMap<&'static str, usize>) -> Vec<Plan> {
    let mut plans: Vec<Plan> = Vec::new();
    for (&role, &source) in roles {
        let (field, read) = match (kind, role) {
            (TableKind::Orders, "member_id") => ("member_id", Read::MemberId { required: false }),
            (_, "member_id") => ("member_id", Read::MemberId { required: true }),
            (_, "order_time") => ("order_day", Read::Date { required: true }),
            (_, "amount") => ("amount_cents", Read::Money { required: true }),
            (_, "discount") => ("discount_cents", Read::Money { required: false }),
            (_, "items") => ("items", Read::Int),
            (_, "status") => ("status", Read::Status),
            (_, "join_date") => ("join_day", Read::Date { required: false }),
            (_, "tags") => ("tags", Read::Tags),
            (TableKind::MemberTags, "tag") => ("tag", Read::MemberId { required: true }),
            (_, other) => (other, Read::Text),
        };
        plans.push(Plan {
            source,
            field: field.to_string(),
            role: Some(role),
            read,
        });
    }
    plans.sort_by_key(|p| p.source);
    let mut used: HashSet<String> = plans.iter().map(|p| p.field.clone()).collect();
    for (source, header) in raw.headers.iter().enumerate() {
        if plans.iter().any(|p| p.source == source) || header.is_empty() {
            continue;
        }
        let mut field = header.clone();
        while used.contains(&field) {
            field.push_str("_2");
        }
        used.insert(field.clone());
        let read = if kind == TableKind::Members {
            infer(&raw.columns[source])
        } else {
            Read::Text
        };
        plans.push(Plan {
            source,
            field,
            role: None,
            read,
        });
    }
    plans
}

/// Infers a member attribute's type: number when every non-empty value is a plain number
/// (no leading zeros, which mark codes), date when every one is a date, else text.
fn infer(col: &StringArray) -> Read {
    let values = || {
        col.iter()
            .flatten()
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    if values().next().is_none() {
        return Read::Text;
    }
    let plain_number = |v: &str| {
        let digits = v.trim_start_matches('-');
        let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
        !leading_zero && v.parse::<f64>().is_ok_and(f64::is_finite)
    };
    if values().all(plain_number) {
        Read::Num
    } else if values().all(|v| parse_date(v).is_some()) {
        Read::Date { required: false }
    } else {
        Read::Text
    }
}

fn type_name(read: Read) -> &'static str {
    match read {
        Read::Text | Read::MemberId { .. } | Read::Status => "string",
        Read::Date { .. } => "date",
        Read::Money { .. } => "money",
        Read::Int => "integer",
        Read::Num => "number",
        Read::Tags => "tags",
    }
}

fn new_col(read: Read) -> Col {
    match read {
        Read::Text | Read::MemberId { .. } | Read::Status => Col::Str(StringBuilder::new()),
        Read::Date { .. } => Col::Date(Date32Builder::new()),
        Read::Money { .. } | Read::Int => Col::Int(Int64Builder::new()),
        Read::Num => Col::Num(Float64Builder::new()),
        Read::Tags => Col::Tags(ListBuilder::new(StringBuilder::new())),
    }
}

/// One coerced cell.
enum Value<'a> {
    Str(Option<&'a str>),
    Int(Option<i64>),
    Num(Option<f64>),
    Date(Option<i32>),
    Tags(Vec<&'a str>),
}

fn read_value(read: Read, cell: &str) -> std::result::Result<Value<'_>, String> {
    let v = cell.trim();
    let empty = v.is_empty();
    Ok(match read {
        Read::Text | Read::Status => Value::Str((!empty).then_some(v)),
        Read::MemberId { required } => {
            if empty && required {
                return Err("missing member id".into());
            }
            Value::Str((!empty).then_some(v))
        }
        Read::Date { required } => match (empty, parse_date(v)) {
            (true, _) if required => return Err("missing date".into()),
            (true, _) => Value::Date(None),
            (false, Some(d)) => Value::Date(Some(d)),
            (false, None) => return Err("unparsable date".into()),
        },
        Read::Money { required } => match (empty, parse_money(v)) {
            (true, _) if required => return Err("missing amount".into()),
            (true, _) => Value::Int(None),
            (false, Some(c)) => Value::Int(Some(c)),
            (false, None) => return Err("not an amount of money".into()),
        },
        Read::Int => match (empty, parse_int(v)) {
            (true, _) => Value::Int(None),
            (false, Some(n)) => Value::Int(Some(n)),
            (false, None) => return Err("not a whole number".into()),
        },
        Read::Num => Value::Num(if empty { None } else { v.parse().ok() }),
        Read::Tags => Value::Tags(split_tags(v)),
    })
}

fn append(col: &mut Col, v: Value<'_>) {
    match (col, v) {
        (Col::Str(b), Value::Str(s)) => b.append_option(s),
        (Col::Date(b), Value::Date(d)) => b.append_option(d),
        (Col::Int(b), Value::Int(n)) => b.append_option(n),
        (Col::Num(b), Value::Num(n)) => b.append_option(n),
        (Col::Tags(b), Value::Tags(tags)) => {
            for t in tags {
                b.values().append_value(t);
            }
            b.append(true);
        }
        // `plan` pairs every reader with its builder; other pairs cannot occur.
        _ => {}
    }
}

enum StatusClass {
    Normal,
    Cancelled,
    Refund,
}

fn status_class(raw: &str) -> StatusClass {
    let s = raw.trim().to_lowercase();
    if CANCELLED.contains(&s.as_str()) {
        StatusClass::Cancelled
    } else if REFUNDED.contains(&s.as_str()) {
        StatusClass::Refund
    } else {
        StatusClass::Normal
    }
}
