//! Typed Arrow record batches of an export, shared by the Parquet and Arrow IPC writers.
//!
//! Types: text → `Utf8`, whole numbers → `Int64`, real numbers → `Float64`, money →
//! `Decimal128(18, 2)` (exact cents), dates → `Date32`, tags → `List<Utf8>`; missing values
//! are nulls.

use super::columns::{Kind, Value};
use super::frame::{Rows, Ticker};
use crate::error::{Error, ErrorKind, Result};
use arrow_array::builder::{
    ArrayBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, ListBuilder,
    StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

/// Rows per record batch (and Parquet row group slice), so memory stays bounded.
pub const BATCH_ROWS: usize = 65_536;

/// Precision and scale of money columns.
const MONEY: (u8, i8) = (18, 2);

pub(super) fn io(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("writing {what}: {e}"))
}

/// The Arrow type of a column kind.
pub fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text | Kind::Label => DataType::Utf8,
        Kind::Int => DataType::Int64,
        Kind::Num => DataType::Float64,
        Kind::Money => DataType::Decimal128(MONEY.0, MONEY.1),
        Kind::Date => DataType::Date32,
        Kind::List => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

/// The schema of `rows`: every column nullable except `member_id`.
pub fn schema(rows: &dyn Rows) -> SchemaRef {
    let fields: Vec<Field> = rows
        .headers()
        .iter()
        .zip(rows.kinds())
        .enumerate()
        .map(|(c, (h, k))| Field::new(h, data_type(*k), !(c == 0 && h == "member_id")))
        .collect();
    Arc::new(Schema::new(fields))
}

/// One column under construction.
enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Num(Float64Builder),
    Money(Decimal128Builder),
    Date(Date32Builder),
    List(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: Kind, rows: usize) -> Result<Self> {
        Ok(match kind {
            Kind::Text | Kind::Label => Builder::Text(StringBuilder::with_capacity(rows, rows * 8)),
            Kind::Int => Builder::Int(Int64Builder::with_capacity(rows)),
            Kind::Num => Builder::Num(Float64Builder::with_capacity(rows)),
            Kind::Money => Builder::Money(
                Decimal128Builder::with_capacity(rows)
                    .with_precision_and_scale(MONEY.0, MONEY.1)
                    .map_err(|e| io("Arrow", e))?,
            ),
            Kind::Date => Builder::Date(Date32Builder::with_capacity(rows)),
            Kind::List => Builder::List(ListBuilder::new(StringBuilder::new())),
        })
    }

    fn push(&mut self, v: &Value<'_>) {
        match (self, v) {
            (Builder::Text(b), Value::Null) => b.append_null(),
            (Builder::Text(b), v) => b.append_value(v.text().unwrap_or_default()),
            (Builder::Int(b), Value::Int(x)) => b.append_value(*x),
            (Builder::Int(b), _) => b.append_null(),
            (Builder::Num(b), Value::Num(x)) if x.is_finite() => b.append_value(*x),
            (Builder::Num(b), _) => b.append_null(),
            (Builder::Money(b), Value::Money(c)) => b.append_value(i128::from(*c)),
            (Builder::Money(b), _) => b.append_null(),
            (Builder::Date(b), Value::Date(d)) => b.append_value(*d),
            (Builder::Date(b), _) => b.append_null(),
            (Builder::List(b), Value::List(items)) => {
                for t in items {
                    b.values().append_value(t);
                }
                b.append(true);
            }
            (Builder::List(b), _) => b.append(false),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Num(b) => Arc::new(b.finish()),
            Builder::Money(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::List(b) => ArrayBuilder::finish(b),
        }
    }
}

/// Calls `sink` with record batches of at most [`BATCH_ROWS`] rows (one empty batch for an
/// empty audience, so that readers see the schema).
pub fn batches(
    rows: &dyn Rows,
    ticker: &mut Ticker,
    mut sink: impl FnMut(&RecordBatch) -> Result<()>,
) -> Result<()> {
    let schema = schema(rows);
    let kinds = rows.kinds();
    let mut start = 0;
    loop {
        let end = rows.len().min(start + BATCH_ROWS);
        let mut builders = kinds
            .iter()
            .map(|k| Builder::new(*k, end - start))
            .collect::<Result<Vec<_>>>()?;
        for i in start..end {
            for (b, v) in builders.iter_mut().zip(rows.row(i)) {
                b.push(&v);
            }
            ticker.step();
        }
        let columns: Vec<ArrayRef> = builders.iter_mut().map(Builder::finish).collect();
        let batch =
            RecordBatch::try_new(schema.clone(), columns).map_err(|e| io("Arrow batch", e))?;
        sink(&batch)?;
        start = end;
        if start >= rows.len() {
            return Ok(());
        }
    }
}
