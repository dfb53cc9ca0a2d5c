//! Parquet export through the parquet crate's `ArrowWriter`, typed columns, zstd.

use super::arrow::{batches, io, schema, BATCH_ROWS};
use super::frame::{Rows, Ticker};
use crate::error::Result;

/// Writes `rows` as Parquet with zstd compression and one row group per [`BATCH_ROWS`] rows.
pub fn write(rows: &dyn Rows, ticker: &mut Ticker) -> Result<Vec<u8>> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(BATCH_ROWS))
        .build();
    let schema = schema(rows);
    let mut w =
        ArrowWriter::try_new(Vec::new(), schema, Some(props)).map_err(|e| io("Parquet", e))?;
    batches(rows, ticker, |b| w.write(b).map_err(|e| io("Parquet", e)))?;
    w.into_inner().map_err(|e| io("Parquet", e))
}
