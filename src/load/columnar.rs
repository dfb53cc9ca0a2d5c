//! Parquet and Arrow IPC (file and stream): typed columns are read as typed cells (numbers,
//! exact decimals, dates and timestamps as days), never rendered to text and parsed back;
//! other types are cast to text once per batch.

use super::builder::Columns;
use super::cell::{Cell, Row};
use super::sink::{Sink, SAMPLE_ROWS};
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date32Type, Date64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, TimeUnit};
use chrono::TimeZone;
use std::io::Cursor;

/// Which rows of a Parquet file a read takes: all, or the row groups of one part of a file
/// read in parts (see [`super::parts`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Groups {
    /// Every row group.
    #[default]
    All,
    /// The first part: these row groups, the sample that decides the roles among them.
    First(std::ops::Range<usize>),
    /// A later part: these row groups, into a sink whose roles are already decided.
    Later(std::ops::Range<usize>),
    /// Only the sample (the first part's roles, for a later part to read with).
    Sample,
}

/// The rows of each row group of a Parquet file (read from its footer).
pub fn parquet_row_groups(bytes: &[u8], file: &str) -> Result<Vec<u64>> {
    let not_parquet = || Error::parse(format!("{file}: not a readable Parquet file"));
    let n = bytes.len();
    let len = bytes
        .get(n.saturating_sub(8)..n.saturating_sub(4))
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(|b| u32::from_le_bytes(b) as usize)
        .ok_or_else(not_parquet)?;
    let start = n.checked_sub(8 + len).ok_or_else(not_parquet)?;
    parquet_row_groups_of_footer(&bytes[start..n - 8], file)
}

/// The rows of each row group of a Parquet file from its footer's metadata alone (the
/// `len` bytes before the file's last 8: a browser reads just those).
pub fn parquet_row_groups_of_footer(metadata: &[u8], file: &str) -> Result<Vec<u64>> {
    use parquet::file::metadata::ParquetMetaDataReader;
    let meta = guarded(file, "Parquet data", || {
        ParquetMetaDataReader::decode_metadata(metadata)
            .map_err(|e| Error::parse(format!("{file}: not a readable Parquet footer: {e}")))
    })?;
    Ok(meta
        .row_groups()
        .iter()
        .map(|g| u64::try_from(g.num_rows()).unwrap_or(0))
        .collect())
}

/// Reads a Parquet file (codecs compiled in: snappy, gzip, lz4, zstd; brotli natively). The first
/// [`SAMPLE_ROWS`] rows are read as they are stored, to detect the column roles; the rest is
/// read again from there with the repeated-text columns kept dictionary-encoded, and given
/// to the table column by column. `groups` limits the read to some row groups.
pub fn read_parquet(
    bytes: bytes::Bytes,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
    groups: &Groups,
) -> Result<()> {
    use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
    let bad = |e: parquet::errors::ParquetError| {
        Error::parse(format!("{file}: not a readable Parquet file: {e}"))
    };
    let builder = guarded(file, "Parquet data", || {
        ParquetRecordBatchReaderBuilder::try_new(bytes.clone()).map_err(bad)
    })?;
    let schema = builder.schema().clone();
    let range = match groups {
        Groups::First(r) | Groups::Later(r) => Some(r.clone()),
        Groups::All | Groups::Sample => None,
    };
    let rows_of = |r: &std::ops::Range<usize>| {
        builder.metadata().row_groups()[r.clone()]
            .iter()
            .map(|g| usize::try_from(g.num_rows()).unwrap_or(0))
            .sum::<usize>()
    };
    let total = match &range {
        Some(r) if r.end <= builder.metadata().num_row_groups() => rows_of(r),
        Some(_) => return Err(Error::parse(format!("{file}: no such row groups"))),
        None => usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0),
    };
    let later = matches!(groups, Groups::Later(_));
    if !later {
        set_headers(schema.fields().iter().map(|f| f.name().clone()), sink)?;
        let builder = match &range {
            Some(r) => builder.with_row_groups(r.clone().collect()),
            None => builder,
        };
        let mut reader = guarded(file, "Parquet data", || {
            builder
                .with_batch_size(SAMPLE_ROWS)
                .with_limit(SAMPLE_ROWS)
                .build()
                .map_err(bad)
        })?;
        drain(&mut reader, None, file, sink, progress)?;
        if total <= SAMPLE_ROWS || sink.sample_full() || *groups == Groups::Sample {
            return Ok(());
        }
    }
    let hinted = dictionary_hint(&schema, &sink.dictionary_columns());
    let options = ArrowReaderOptions::new().with_schema(hinted);
    let rest = guarded(file, "Parquet data", || {
        ParquetRecordBatchReaderBuilder::try_new_with_options(bytes.clone(), options)
            .or_else(|_| ParquetRecordBatchReaderBuilder::try_new(bytes.clone()))
            .map_err(bad)
    })?;
    // Only the columns the table keeps are decoded (flat files: one leaf per field).
    let kept = sink
        .kept_columns()
        .filter(|_| rest.parquet_schema().num_columns() == schema.fields().len());
    let rest = match &kept {
        Some(kept) => {
            let mask = parquet::arrow::ProjectionMask::roots(rest.parquet_schema(), kept.clone());
            rest.with_projection(mask)
        }
        None => rest,
    };
    let rest = match &range {
        Some(r) => rest.with_row_groups(r.clone().collect()),
        None => rest,
    };
    let rest = rest.with_batch_size(64 * 1024);
    let rest = if later {
        rest
    } else {
        rest.with_offset(SAMPLE_ROWS)
    };
    let mut reader = guarded(file, "Parquet data", || rest.build().map_err(bad))?;
    drain(&mut reader, kept.as_deref(), file, sink, progress)
}

/// Gives every batch of a Parquet reader to the sink; `kept` lists the file's columns the
/// reader decodes, when it leaves the others out.
fn drain(
    reader: &mut parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    kept: Option<&[usize]>,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    while let Some(batch) = guarded(file, "Parquet data", || Ok(reader.next()))? {
        let batch =
            batch.map_err(|e| Error::parse(format!("{file}: Parquet data cannot be read: {e}")))?;
        push_batch(&batch, kept, file, sink)?;
        progress(sink.rows_in());
        if sink.sample_full() {
            break;
        }
    }
    Ok(())
}

/// `schema` with the text columns `columns` read as dictionaries (Parquet stores repeated
/// strings so; the reader then keeps its dictionary instead of copying every string).
fn dictionary_hint(schema: &arrow_schema::SchemaRef, columns: &[usize]) -> arrow_schema::SchemaRef {
    let fields: Vec<arrow_schema::FieldRef> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if columns.contains(&i) && f.data_type() == &DataType::Utf8 {
                let dict =
                    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
                std::sync::Arc::new(f.as_ref().clone().with_data_type(dict))
            } else {
                f.clone()
            }
        })
        .collect();
    std::sync::Arc::new(arrow_schema::Schema::new_with_metadata(
        fields,
        schema.metadata().clone(),
    ))
}

/// Checks that every block listed in an Arrow IPC file's footer lies within the file: the
/// reader allocates a block's declared length before reading it, so a corrupt length (found by
/// fuzzing) would ask for terabytes and abort instead of failing.
fn check_ipc_blocks(bytes: &[u8]) -> std::result::Result<(), arrow_schema::ArrowError> {
    use arrow_schema::ArrowError;
    let n = bytes.len();
    let Some(tail) = n.checked_sub(10).and_then(|at| bytes.get(at..)) else {
        return Err(ArrowError::ParseError("the file is too short".into()));
    };
    let mut last = [0u8; 10];
    last.copy_from_slice(tail);
    let footer_len = arrow_ipc::reader::read_footer_length(last)?;
    let start = (n - 10)
        .checked_sub(footer_len)
        .ok_or_else(|| ArrowError::ParseError("the footer is longer than the file".into()))?;
    let footer = arrow_ipc::root_as_footer(&bytes[start..n - 10])
        .map_err(|e| ArrowError::ParseError(format!("unreadable footer: {e}")))?;
    let blocks = footer.recordBatches().into_iter().flatten();
    for block in blocks.chain(footer.dictionaries().into_iter().flatten()) {
        let end = u64::try_from(block.offset())
            .ok()
            .zip(u64::try_from(block.metaDataLength()).ok())
            .zip(u64::try_from(block.bodyLength()).ok())
            .and_then(|((o, m), b)| o.checked_add(m)?.checked_add(b));
        if end.is_none_or(|end| end > n as u64) {
            return Err(ArrowError::ParseError(
                "a record batch is declared to lie beyond the end of the file".into(),
            ));
        }
    }
    Ok(())
}

/// Runs one step of a Parquet or Arrow IPC decoder, turning a panic of the decoder on corrupt
/// data into an error naming the file (`parquet` and `arrow-ipc` 60.1 assert on some
/// inconsistent pages and buffer offsets, found by fuzzing: see `tests/data/fuzz/`). Natively
/// only: in wasm a panic aborts, and the client recreates its worker.
fn guarded<T>(file: &str, what: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|_| {
        Err(Error::parse(format!(
            "{file}: {what} cannot be read: the file is corrupt (its decoder failed)"
        )))
    })
}

/// Reads an Arrow IPC file or stream. A stream's batches are decoded in place over `bytes`
/// (their values are not copied out first: a file of one 600 MB batch once needed a second,
/// 1 GiB buffer); a file's through its footer.
pub fn read_ipc(
    bytes: Vec<u8>,
    stream: bool,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let what = if stream { "stream" } else { "file" };
    let bad = |e: arrow_schema::ArrowError| {
        Error::parse(format!("{file}: not a readable Arrow IPC {what}: {e}"))
    };
    if stream {
        return read_ipc_stream(bytes, file, sink, progress, bad);
    }
    check_ipc_blocks(&bytes).map_err(bad)?;
    let mut batches = guarded(file, "Arrow IPC data", || {
        arrow_ipc::reader::FileReader::try_new(Cursor::new(&bytes), None).map_err(bad)
    })?;
    set_headers(
        batches.schema().fields().iter().map(|f| f.name().clone()),
        sink,
    )?;
    while let Some(batch) = guarded(file, "Arrow IPC data", || Ok(batches.next()))? {
        push_batch(&batch.map_err(bad)?, None, file, sink)?;
        progress(sink.rows_in());
    }
    Ok(())
}

/// Reads an Arrow IPC stream, each batch decoded over the stream's own bytes.
fn read_ipc_stream(
    bytes: Vec<u8>,
    file: &str,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64),
    bad: impl Fn(arrow_schema::ArrowError) -> Error,
) -> Result<()> {
    let mut buf = arrow_buffer::Buffer::from_vec(bytes);
    let mut decoder = arrow_ipc::reader::StreamDecoder::new();
    let mut headers = false;
    while !buf.is_empty() {
        let batch = guarded(file, "Arrow IPC data", || {
            decoder.decode(&mut buf).map_err(&bad)
        })?;
        if !headers {
            if let Some(schema) = decoder.schema() {
                set_headers(schema.fields().iter().map(|f| f.name().clone()), sink)?;
                headers = true;
            }
        }
        if let Some(batch) = batch {
            push_batch(&batch, None, file, sink)?;
            progress(sink.rows_in());
        }
    }
    decoder.finish().map_err(&bad)?;
    if !headers {
        return Err(bad(arrow_schema::ArrowError::IpcError(
            "no schema message".to_string(),
        )));
    }
    Ok(())
}

fn set_headers(names: impl Iterator<Item = String>, sink: &mut Sink) -> Result<()> {
    sink.set_headers(names.collect())
}

/// A column of one batch, ready to give cells.
enum Col {
    Text(StringArray),
    Int(Int64Array),
    Float(Float64Array),
    Decimal(Decimal128Array, i8),
    Day(ArrayRef),
    Date64(ArrayRef),
    Timestamp(ArrayRef, TimeUnit, Option<Tz>),
    Bool(ArrayRef),
    Dict(Vec<usize>, ArrayRef, StringArray),
    /// A column the reader did not decode (the table does not keep it).
    Absent,
}

/// The cell of column `c` in row `i`.
fn cell_at(cols: &[Col], c: usize, i: usize) -> Cell<'_> {
    let Some(col) = cols.get(c) else {
        return Cell::Null;
    };
    match col {
        Col::Text(a) if a.is_valid(i) => Cell::Str(a.value(i)),
        Col::Int(a) if a.is_valid(i) => Cell::Int(a.value(i)),
        Col::Float(a) if a.is_valid(i) => Cell::Float(a.value(i)),
        Col::Decimal(a, s) if a.is_valid(i) => Cell::Decimal(a.value(i), *s),
        Col::Day(a) if a.is_valid(i) => Cell::Day(a.as_primitive::<Date32Type>().value(i)),
        Col::Date64(a) if a.is_valid(i) => {
            Cell::Day(date64_day(a.as_primitive::<Date64Type>().value(i)))
        }
        Col::Timestamp(a, unit, tz) if a.is_valid(i) => timestamp_day(a, i, *unit, tz.as_ref()),
        Col::Bool(a) if a.is_valid(i) => Cell::Bool(a.as_boolean().value(i)),
        Col::Dict(keys, dict, values) if dict.is_valid(i) => Cell::Str(values.value(keys[i])),
        _ => Cell::Null,
    }
}

/// The day of a Date64 value (milliseconds since 1970-01-01).
fn date64_day(ms: i64) -> i32 {
    ms.div_euclid(86_400_000) as i32
}

/// Gives `f` the cells of `rows` of one typed column: `value` for the valid rows, null for
/// the others, with the null check out of the loop when the column has no nulls.
fn typed_cells<'a, F: FnMut(usize, Cell<'_>)>(
    nulls: Option<&arrow_buffer::NullBuffer>,
    rows: std::ops::Range<usize>,
    value: impl Fn(usize) -> Cell<'a>,
    mut f: F,
) {
    match nulls.filter(|n| n.null_count() > 0) {
        None => rows.for_each(|i| f(i, value(i))),
        Some(n) => rows.for_each(|i| f(i, if n.is_valid(i) { value(i) } else { Cell::Null })),
    }
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
        cell_at(self.cols, c, self.i)
    }
}

/// The columns of one batch, for the column-at-a-time path.
struct BatchCols<'a>(&'a [Col]);

impl Columns for BatchCols<'_> {
    fn cell(&self, c: usize, i: usize) -> Cell<'_> {
        cell_at(self.0, c, i)
    }

    fn never_empty(&self, c: usize) -> bool {
        match self.0.get(c) {
            Some(Col::Int(a)) => a.null_count() == 0,
            Some(Col::Float(a)) => a.null_count() == 0,
            Some(Col::Decimal(a, _)) => a.null_count() == 0,
            Some(Col::Day(a) | Col::Date64(a) | Col::Timestamp(a, ..) | Col::Bool(a)) => {
                a.null_count() == 0
            }
            _ => false,
        }
    }

    fn dict(&self, c: usize) -> Option<(&[usize], &StringArray)> {
        match self.0.get(c) {
            Some(Col::Dict(keys, _, values)) => Some((keys, values)),
            _ => None,
        }
    }

    fn cells<F: FnMut(usize, Cell<'_>)>(&self, c: usize, rows: std::ops::Range<usize>, mut f: F) {
        use arrow_array::types::{Date32Type as D32, Date64Type as D64};
        match self.0.get(c) {
            Some(Col::Text(a)) => typed_cells(a.nulls(), rows, |i| Cell::Str(a.value(i)), f),
            Some(Col::Int(a)) => typed_cells(a.nulls(), rows, |i| Cell::Int(a.value(i)), f),
            Some(Col::Float(a)) => typed_cells(a.nulls(), rows, |i| Cell::Float(a.value(i)), f),
            Some(Col::Decimal(a, s)) => {
                typed_cells(a.nulls(), rows, |i| Cell::Decimal(a.value(i), *s), f)
            }
            Some(Col::Day(a)) => {
                let v = a.as_primitive::<D32>().values();
                typed_cells(a.nulls(), rows, |i| Cell::Day(v[i]), f)
            }
            Some(Col::Date64(a)) => {
                let v = a.as_primitive::<D64>().values();
                typed_cells(a.nulls(), rows, |i| Cell::Day(date64_day(v[i])), f)
            }
            Some(Col::Timestamp(a, unit, tz)) => {
                let (v, per_sec) = timestamp_values(a, *unit);
                let tz = tz.as_ref();
                typed_cells(a.nulls(), rows, |i| instant_day(v[i], per_sec, tz), f)
            }
            Some(Col::Dict(keys, dict, values)) => {
                typed_cells(dict.nulls(), rows, |i| Cell::Str(values.value(keys[i])), f)
            }
            _ => rows.for_each(|i| f(i, cell_at(self.0, c, i))),
        }
    }
}

/// The values of a timestamp column, with their units per second.
fn timestamp_values(a: &ArrayRef, unit: TimeUnit) -> (&[i64], i64) {
    match unit {
        TimeUnit::Second => (a.as_primitive::<TimestampSecondType>().values(), 1),
        TimeUnit::Millisecond => (a.as_primitive::<TimestampMillisecondType>().values(), 1_000),
        TimeUnit::Microsecond => (
            a.as_primitive::<TimestampMicrosecondType>().values(),
            1_000_000,
        ),
        TimeUnit::Nanosecond => (
            a.as_primitive::<TimestampNanosecondType>().values(),
            1_000_000_000,
        ),
    }
}

/// The calendar day of a timestamp: its wall-clock date, in its time zone when it has one.
fn timestamp_day(a: &ArrayRef, i: usize, unit: TimeUnit, tz: Option<&Tz>) -> Cell<'static> {
    let (v, per_sec) = timestamp_values(a, unit);
    instant_day(v[i], per_sec, tz)
}

/// The calendar day of `v` units (`per_sec` a second) since 1970-01-01 00:00 UTC: its
/// wall-clock date, in time zone `tz` when there is one.
fn instant_day(v: i64, per_sec: i64, tz: Option<&Tz>) -> Cell<'static> {
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

/// Whole numbers of any integer type as i64 (u64 beyond i64 as exact decimals).
macro_rules! ints {
    ($a:expr, $t:ty) => {
        Col::Int(
            $a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect(),
        )
    };
}

fn column(a: &ArrayRef, file: &str) -> Result<Col> {
    use arrow_array::types::*;
    Ok(match a.data_type() {
        DataType::Int8 => ints!(a, Int8Type),
        DataType::Int16 => ints!(a, Int16Type),
        DataType::Int32 => ints!(a, Int32Type),
        DataType::Int64 => Col::Int(a.as_primitive::<Int64Type>().clone()),
        DataType::UInt8 => ints!(a, UInt8Type),
        DataType::UInt16 => ints!(a, UInt16Type),
        DataType::UInt32 => ints!(a, UInt32Type),
        DataType::UInt64 => Col::Decimal(
            a.as_primitive::<UInt64Type>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect(),
            0,
        ),
        DataType::Float16 => Col::Float(
            a.as_primitive::<Float16Type>()
                .iter()
                .map(|v| v.map(f64::from))
                .collect(),
        ),
        DataType::Float32 => Col::Float(
            a.as_primitive::<Float32Type>()
                .iter()
                .map(|v| v.map(f64::from))
                .collect(),
        ),
        DataType::Float64 => Col::Float(a.as_primitive::<Float64Type>().clone()),
        DataType::Decimal128(_, s) => Col::Decimal(a.as_primitive::<Decimal128Type>().clone(), *s),
        DataType::Decimal64(_, s) => Col::Decimal(
            a.as_primitive::<Decimal64Type>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect(),
            *s,
        ),
        DataType::Decimal32(_, s) => Col::Decimal(
            a.as_primitive::<Decimal32Type>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect(),
            *s,
        ),
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
        DataType::Utf8 => Col::Text(a.as_string::<i32>().clone()),
        DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8) => {
            let d = a.as_any_dictionary();
            let keys = d.normalized_keys();
            Col::Dict(keys, a.clone(), d.values().as_string::<i32>().clone())
        }
        DataType::List(_) => Col::Text(joined_lists(a.as_list::<i32>(), file)?),
        DataType::LargeList(_) => Col::Text(joined_lists(a.as_list::<i64>(), file)?),
        _ => Col::Text(formatted(a.as_ref(), file)?),
    })
}

/// Any column as text, through Arrow's display formatting (nulls stay null).
fn formatted(a: &dyn Array, file: &str) -> Result<StringArray> {
    let options = FormatOptions::default().with_null("");
    let f = ArrayFormatter::try_new(a, &options).map_err(|e| {
        Error::parse(format!(
            "{file}: a column of type {} cannot be read: {e}",
            a.data_type()
        ))
    })?;
    Ok((0..a.len())
        .map(|i| a.is_valid(i).then(|| f.value(i).to_string()))
        .collect())
}

/// List cells (tag lists) as `a|b|c` text.
fn joined_lists<O: arrow_array::OffsetSizeTrait>(
    list: &arrow_array::GenericListArray<O>,
    file: &str,
) -> Result<StringArray> {
    let values = formatted(list.values().as_ref(), file)?;
    let offsets = list.value_offsets();
    Ok((0..list.len())
        .map(|i| {
            list.is_valid(i).then(|| {
                let (start, end) = (offsets[i].as_usize(), offsets[i + 1].as_usize());
                (start..end)
                    .filter(|&j| values.is_valid(j))
                    .map(|j| values.value(j))
                    .collect::<Vec<_>>()
                    .join("|")
            })
        })
        .collect())
}

/// Gives a batch to the sink; `kept` lists the file's columns the batch holds, when the
/// reader left the others undecoded (they read as missing).
fn push_batch(
    batch: &RecordBatch,
    kept: Option<&[usize]>,
    file: &str,
    sink: &mut Sink,
) -> Result<()> {
    let mut decoded = batch
        .columns()
        .iter()
        .map(|a| column(a, file))
        .collect::<Result<Vec<_>>>()?;
    if let Some(kept) = kept {
        let width = sink.headers().map_or(0, <[String]>::len);
        let mut it = decoded.into_iter();
        decoded = (0..width)
            .map(|c| match kept.contains(&c) {
                true => it.next().unwrap_or(Col::Absent),
                false => Col::Absent,
            })
            .collect();
    }
    push_cols(&decoded, batch.num_rows(), sink)
}

/// Gives `n` rows of columns to the sink: row by row until the roles are known, then column
/// by column.
fn push_cols(cols: &[Col], n: usize, sink: &mut Sink) -> Result<()> {
    // Row numbers as in a spreadsheet view of the table: the header is row 1.
    let first = sink.rows_in() + 2;
    let mut i = 0;
    while i < n && !sink.takes_columns() {
        if sink.sample_full() {
            return Ok(());
        }
        sink.push(first + i as u64, &BatchRow { cols, i })?;
        i += 1;
    }
    if i < n {
        sink.push_columns(first, &BatchCols(cols), i..n);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::StringDictionaryBuilder;
    use arrow_array::types::Int32Type;
    use arrow_array::*;
    use std::sync::Arc;

    /// Every typed column's loop gives the cells its cell-at-a-time reading gives, nulls
    /// included, over any range of rows.
    #[test]
    fn typed_loops_give_the_cells_of_cell_at() {
        let n = 300usize;
        let some = |i: usize| i % 7 != 3;
        let ints = || (0..n).map(|i| some(i).then_some(i as i64 * 7919 - 900_000));
        let mut dict = StringDictionaryBuilder::<Int32Type>::new();
        for i in 0..n {
            match some(i) {
                true => dict.append_value(format!("store {}", i % 5)),
                false => dict.append_null(),
            }
        }
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter(
                (0..n).map(|i| some(i).then(|| format!(" id{i} "))),
            )),
            Arc::new(Int64Array::from_iter(ints())),
            Arc::new(Int64Array::from_iter_values((0..n).map(|i| i as i64))),
            Arc::new(Float64Array::from_iter(
                (0..n).map(|i| some(i).then_some(i as f64 * 1.25)),
            )),
            Arc::new(
                Decimal128Array::from_iter(ints().map(|v| v.map(i128::from)))
                    .with_precision_and_scale(20, 3)
                    .expect("decimal"),
            ),
            Arc::new(Date32Array::from_iter(
                ints().map(|v| v.map(|v| (v / 100) as i32)),
            )),
            Arc::new(Date64Array::from_iter(
                ints().map(|v| v.map(|v| v * 3_600_001)),
            )),
            Arc::new(TimestampSecondArray::from_iter(
                ints().map(|v| v.map(|v| v * 997)),
            )),
            Arc::new(TimestampMillisecondArray::from_iter(ints())),
            Arc::new(TimestampMicrosecondArray::from_iter(
                ints().map(|v| v.map(|v| v * 1_000_003)),
            )),
            Arc::new(
                TimestampNanosecondArray::from_iter(ints().map(|v| v.map(|v| v * 999_999_937)))
                    .with_timezone("+08:00"),
            ),
            Arc::new(
                TimestampSecondArray::from_iter(ints().map(|v| v.map(|v| v * 3_601)))
                    .with_timezone("America/New_York"),
            ),
            Arc::new(dict.finish()),
            Arc::new(BooleanArray::from_iter(
                (0..n).map(|i| some(i).then_some(i % 2 == 0)),
            )),
        ];
        let cols: Vec<Col> = arrays
            .iter()
            .map(|a| column(a, "t.parquet").expect("column"))
            .collect();
        let batch = BatchCols(&cols);
        for c in 0..=cols.len() {
            for rows in [0..n, 5..6, 17..250, n..n] {
                let mut got = Vec::new();
                batch.cells(c, rows.clone(), |i, cell| {
                    got.push((i, format!("{cell:?}")))
                });
                let want: Vec<(usize, String)> = rows
                    .map(|i| (i, format!("{:?}", cell_at(&cols, c, i))))
                    .collect();
                assert_eq!(got, want, "column {c}");
            }
        }
        // The columns hold values and nulls both (the loops are not compared on nulls alone).
        let nulls = (0..n)
            .filter(|&i| cell_at(&cols, 1, i) == Cell::Null)
            .count();
        assert!(nulls > 0 && nulls < n);
    }
}
