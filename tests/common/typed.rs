//! Typed files written by arrow-rs's own writers, for the tests that load them beside CSV.

use arrow_array::RecordBatch;

/// `batch` as a zstd Parquet file in row groups of 1,700 rows and pages of 500, whose
/// `member_id` column outgrows its dictionary page and falls back to plain pages.
pub fn parquet(batch: &RecordBatch) -> Vec<u8> {
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::schema::types::ColumnPath;
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(1700))
        .set_write_batch_size(300)
        .set_data_page_row_count_limit(500)
        .set_column_dictionary_page_size_limit(ColumnPath::from("member_id"), 512)
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(Vec::new(), batch.schema(), Some(props))
        .expect("writer");
    w.write(batch).expect("write");
    w.into_inner().expect("parquet")
}

/// `batch` as an Arrow IPC file of record batches of `rows` rows.
pub fn arrow_ipc(batch: &RecordBatch, rows: usize) -> Vec<u8> {
    let mut w = arrow_ipc::writer::FileWriter::try_new(Vec::new(), &batch.schema()).expect("ipc");
    for start in (0..batch.num_rows()).step_by(rows) {
        let len = rows.min(batch.num_rows() - start);
        w.write(&batch.slice(start, len)).expect("write");
    }
    w.into_inner().expect("ipc")
}
