//! Parquet and Arrow IPC (file and stream): record batches rendered as text columns, so every
//! format meets the same roles and coercion.

use super::raw::{clean_headers, RawBuilder, RawTable};
use super::report::Rejections;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::SchemaRef;
use std::io::Cursor;

/// Reads a Parquet file (any codec compiled in: snappy, gzip, lz4, zstd, brotli).
pub fn parquet(
    bytes: &[u8],
    file: &str,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(f64),
) -> Result<RawTable> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let data = bytes::Bytes::copy_from_slice(bytes);
    let bad = |e: parquet::errors::ParquetError| {
        Error::parse(format!("{file}: not a readable Parquet file: {e}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(data).map_err(bad)?;
    let total = builder.metadata().file_metadata().num_rows().max(1) as f64;
    let schema = builder.schema().clone();
    let reader = builder.with_batch_size(65_536).build().map_err(bad)?;
    let batches = reader
        .map(|b| b.map_err(|e| Error::parse(format!("{file}: Parquet data cannot be read: {e}"))));
    render(schema, batches, rejections, &mut |rows| {
        progress(rows as f64 / total)
    })
}

/// Reads an Arrow IPC file or stream.
pub fn ipc(
    bytes: &[u8],
    stream: bool,
    file: &str,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(f64),
) -> Result<RawTable> {
    let bad = |e: arrow_schema::ArrowError| {
        Error::parse(format!(
            "{file}: not a readable Arrow IPC {}: {e}",
            if stream { "stream" } else { "file" }
        ))
    };
    if stream {
        let reader =
            arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
        let schema = reader.schema();
        render(
            schema,
            reader.map(|b| b.map_err(bad)),
            rejections,
            &mut |_| progress(0.5),
        )
    } else {
        let reader =
            arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
        let schema = reader.schema();
        let total = reader.num_batches().max(1) as f64;
        let mut done = 0.0;
        render(
            schema,
            reader.map(|b| b.map_err(bad)),
            rejections,
            &mut |_| {
                done += 1.0;
                progress(done / total)
            },
        )
    }
}

/// Renders batches as text: dates and timestamps ISO 8601, decimals exact, nulls empty.
fn render(
    schema: SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch>>,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(u64),
) -> Result<RawTable> {
    let headers = clean_headers(schema.fields().iter().map(|f| f.name().clone()));
    let mut raw = RawBuilder::new(headers, ",");
    let options = FormatOptions::default().with_null("");
    let mut row_number = 1u64;
    for batch in batches {
        let batch = batch?;
        let formatters = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::parse(format!("unsupported column type: {e}")))?;
        for i in 0..batch.num_rows() {
            row_number += 1;
            let texts: Vec<String> = formatters.iter().map(|f| f.value(i).to_string()).collect();
            let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
            raw.push(row_number, &fields, rejections);
        }
        progress(row_number - 1);
    }
    Ok(raw.finish())
}
