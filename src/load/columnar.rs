//! Parquet and Arrow IPC (file and stream): typed columns are read as typed cells (numbers,
//! exact decimals, dates and timestamps as days), never rendered to text and parsed back;
//! other types are cast to text once per batch.

use super::cell::{Cell, Row};
use super::sink::Sink;
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float64Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, TimeUnit};
use chrono::TimeZone;
use std::io::Cursor;
use std::sync::Arc;

/// Reads a Parquet file (codecs compiled in: snappy, gzip, lz4, zstd, brotli).
pub fn read_parquet(
    bytes: Vec<u8>,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: parquet::errors::ParquetError| {
        Error::parse(format!("{file}: not a readable Parquet file: {e}"))
    };
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).map_err(bad)?;
    set_headers(
        builder.schema().fields().iter().map(|f| f.name().clone()),
        sink,
    )?;
    let reader = builder.with_batch_size(64 * 1024).build().map_err(bad)?;
    for batch in reader {
        let batch =
            batch.map_err(|e| Error::parse(format!("{file}: Parquet data cannot be read: {e}")))?;
        push_batch(&batch, file, sink)?;
        progress(sink.rows_in());
    }
    Ok(())
}

/// Reads an Arrow IPC file or stream.
pub fn read_ipc(
    bytes: &[u8],
    stream: bool,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let what = if stream { "stream" } else { "file" };
    let bad = |e: arrow_schema::ArrowError| {
        Error::parse(format!("{file}: not a readable Arrow IPC {what}: {e}"))
    };
    let batches: Box<
        dyn Iterator<Item = std::result::Result<RecordBatch, arrow_schema::ArrowError>>,
    > = if stream {
        let r = arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
        set_headers(r.schema().fields().iter().map(|f| f.name().clone()), sink)?;
        Box::new(r)
    } else {
        let r = arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
        set_headers(r.schema().fields().iter().map(|f| f.name().clone()), sink)?;
        Box::new(r)
    };
    for batch in batches {
        push_batch(&batch.map_err(bad)?, file, sink)?;
        progress(sink.rows_in());
    }
    Ok(())
}

fn set_headers(names: impl Iterator<Item = String>, sink: &mut Sink) -> Result<()> {
    sink.set_headers(names.collect())
}

/// A column of one batch, ready to give cells.
enum Col {
    Text(StringArray),
    Int(ArrayRef),
    Float(ArrayRef),
    Decimal(ArrayRef, i8),
    Day(ArrayRef),
    Date64(ArrayRef),
    Timestamp(ArrayRef, TimeUnit, Option<Tz>),
    Bool(ArrayRef),
}

struct BatchRow<'a> {
    cols: &'a [Col],
    i: usize,
}

impl Row for BatchRow<'_> {
    fn len(&self) -> usize {
        self.cols.len()
    }

    fn cell(&self, c: usize) -> Cell<'_> {
        let i = self.i;
        let Some(col) = self.cols.get(c) else {
            return Cell::Null;
        };
        let valid = |a: &dyn Array| a.is_valid(i);
        match col {
            Col::Text(a) => {
                if a.is_valid(i) {
                    Cell::Str(a.value(i))
                } else {
                    Cell::Null
                }
            }
            Col::Int(a) if valid(a) => Cell::Int(a.as_primitive::<Int64Type>().value(i)),
            Col::Float(a) if valid(a) => Cell::Float(a.as_primitive::<Float64Type>().value(i)),
            Col::Decimal(a, s) if valid(a) => {
                Cell::Decimal(a.as_primitive::<Decimal128Type>().value(i), *s)
            }
            Col::Day(a) if valid(a) => Cell::Day(a.as_primitive::<Date32Type>().value(i)),
            Col::Date64(a) if valid(a) => Cell::Day(
                a.as_primitive::<Date64Type>()
                    .value(i)
                    .div_euclid(86_400_000) as i32,
            ),
            Col::Timestamp(a, unit, tz) if valid(a) => timestamp_day(a, i, *unit, tz.as_ref()),
            Col::Bool(a) if valid(a) => Cell::Bool(a.as_boolean().value(i)),
            _ => Cell::Null,
        }
    }
}

/// The calendar day of a timestamp: its wall-clock date, in its time zone when it has one.
fn timestamp_day(a: &ArrayRef, i: usize, unit: TimeUnit, tz: Option<&Tz>) -> Cell<'static> {
    let (v, per_sec) = match unit {
        TimeUnit::Second => (a.as_primitive::<TimestampSecondType>().value(i), 1),
        TimeUnit::Millisecond => (a.as_primitive::<TimestampMillisecondType>().value(i), 1_000),
        TimeUnit::Microsecond => (
            a.as_primitive::<TimestampMicrosecondType>().value(i),
            1_000_000,
        ),
        TimeUnit::Nanosecond => (
            a.as_primitive::<TimestampNanosecondType>().value(i),
            1_000_000_000,
        ),
    };
    let secs = v.div_euclid(per_sec);
    let offset = match tz {
        Some(tz) => chrono::DateTime::from_timestamp(secs, 0)
            .map(|utc| tz.offset_from_utc_datetime(&utc.naive_utc()))
            .map_or(0, |o| chrono::Offset::fix(&o).local_minus_utc() as i64),
        None => 0,
    };
    let day = (secs + offset).div_euclid(86_400);
    i32::try_from(day).map_or(Cell::Null, Cell::Day)
}

fn column(a: &ArrayRef, file: &str) -> Result<Col> {
    let cast = |to: &DataType| {
        arrow_cast::cast(a, to).map_err(|e| {
            Error::parse(format!(
                "{file}: column of type {} cannot be read: {e}",
                a.data_type()
            ))
        })
    };
    Ok(match a.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => Col::Int(cast(&DataType::Int64)?),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            Col::Float(cast(&DataType::Float64)?)
        }
        DataType::Decimal128(_, s) => Col::Decimal(a.clone(), *s),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) => {
            Col::Decimal(cast(&DataType::Decimal128(*p, *s))?, *s)
        }
        DataType::Date32 => Col::Day(a.clone()),
        DataType::Date64 => Col::Date64(a.clone()),
        DataType::Timestamp(unit, tz) => {
            let tz = match tz {
                Some(name) => Some(
                    name.parse::<Tz>()
                        .map_err(|e| Error::parse(format!("{file}: time zone \"{name}\": {e}")))?,
                ),
                None => None,
            };
            Col::Timestamp(a.clone(), *unit, tz)
        }
        DataType::Boolean => Col::Bool(a.clone()),
        DataType::List(_) | DataType::LargeList(_) => Col::Text(joined_lists(a, file)?),
        _ => Col::Text(cast(&DataType::Utf8)?.as_string::<i32>().clone()),
    })
}

/// List cells (tag lists) as `a|b|c` text.
fn joined_lists(a: &ArrayRef, file: &str) -> Result<StringArray> {
    let as_list = |a: &ArrayRef| -> Result<Vec<Option<String>>> {
        let list = arrow_cast::cast(
            a,
            &DataType::List(Arc::new(arrow_schema::Field::new(
                "item",
                DataType::Utf8,
                true,
            ))),
        )
        .map_err(|e| Error::parse(format!("{file}: list column cannot be read: {e}")))?;
        let list = list.as_list::<i32>();
        Ok((0..list.len())
            .map(|i| {
                list.is_valid(i).then(|| {
                    let v = list.value(i);
                    v.as_string::<i32>()
                        .iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("|")
                })
            })
            .collect())
    };
    Ok(StringArray::from(as_list(a)?))
}

fn push_batch(batch: &RecordBatch, file: &str, sink: &mut Sink) -> Result<()> {
    let cols = batch
        .columns()
        .iter()
        .map(|a| column(a, file))
        .collect::<Result<Vec<_>>>()?;
    let base = sink.rows_in();
    for i in 0..batch.num_rows() {
        if sink.sample_full() {
            break;
        }
        // Row numbers as in a spreadsheet view of the table: the header is row 1.
        sink.push(base + i as u64 + 2, &BatchRow { cols: &cols, i })?;
    }
    Ok(())
}
