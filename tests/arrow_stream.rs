//! An Arrow IPC stream is decoded in place over the file's bytes (no copy of a batch out of
//! them): it must load as the Arrow IPC file of the same batches, and a cut stream must fail.

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Date32Array, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray,
};
use audience_lab::load::{LoadOptions, Loader, Table, TableKind};
use audience_lab::Result;
use std::sync::Arc;

/// Orders of `n` rows in `parts` batches, the second empty, the store dictionary-encoded.
fn order_batches(n: usize, parts: usize) -> Vec<RecordBatch> {
    // One dictionary in every batch: an Arrow IPC file allows no replacement.
    let stores: ArrayRef = Arc::new(StringArray::from(vec!["store 0", "store 1", "store 2"]));
    (0..parts)
        .map(|p| {
            let rows: Vec<usize> = match p {
                1 => Vec::new(),
                _ => (0..n)
                    .filter(|i| i % parts == p || (p == 0 && i % parts == 1))
                    .collect(),
            };
            let keys = Int32Array::from_iter_values(rows.iter().map(|&i| (i % 3) as i32));
            let store =
                DictionaryArray::<Int32Type>::try_new(keys, stores.clone()).expect("stores");
            let cols: Vec<(&str, ArrayRef)> = vec![
                (
                    "order_id",
                    Arc::new(StringArray::from_iter_values(
                        rows.iter().map(|i| format!("o{i}")),
                    )),
                ),
                (
                    "member_id",
                    Arc::new(StringArray::from_iter_values(
                        rows.iter().map(|i| format!("m{}", i % 40)),
                    )),
                ),
                (
                    "order_date",
                    Arc::new(Date32Array::from_iter_values(
                        rows.iter().map(|&i| 19_000 + i as i32),
                    )),
                ),
                (
                    "amount",
                    Arc::new(Float64Array::from_iter_values(
                        rows.iter().map(|&i| i as f64 * 1.5),
                    )),
                ),
                ("store", Arc::new(store)),
            ];
            RecordBatch::try_from_iter(cols).expect("orders batch")
        })
        .collect()
}

/// Loads `bytes` as orders named `name`, in 1 KB chunks.
fn load(bytes: &[u8], name: &str) -> Result<Table> {
    let opts = LoadOptions {
        name: name.to_string(),
        ..Default::default()
    };
    let mut loader = Loader::new(TableKind::Orders, &opts)?;
    loader.expect_bytes(bytes.len());
    for chunk in bytes.chunks(1024) {
        loader.push(chunk)?;
    }
    loader.finish(&mut |_| {})
}

/// Several batches, one empty, a dictionary column: the stream loads as the file of those
/// batches; a stream cut inside a batch is an error naming the file, not a shorter table.
#[test]
fn a_stream_decoded_in_place_loads_as_its_file() {
    let batches = order_batches(500, 3);
    let schema = batches[0].schema();
    let mut stream = Vec::new();
    let mut file = Vec::new();
    {
        let mut s = arrow_ipc::writer::StreamWriter::try_new(&mut stream, &schema).expect("writer");
        let mut f = arrow_ipc::writer::FileWriter::try_new(&mut file, &schema).expect("writer");
        for b in &batches {
            s.write(b).expect("stream batch");
            f.write(b).expect("file batch");
        }
        s.finish().expect("stream end");
        f.finish().expect("file end");
    }
    let from_stream = load(&stream, "o.arrows").expect("the stream loads");
    let from_file = load(&file, "o.arrow").expect("the file loads");
    assert_eq!(from_stream.report.rows_in, 500);
    assert_eq!(from_stream.report.rows_loaded, from_file.report.rows_loaded);
    assert_eq!(from_stream.batches, from_file.batches);
    let cut = load(&stream[..stream.len() - 700], "cut.arrows").expect_err("a cut stream");
    assert!(cut.to_string().contains("cut.arrows"), "{cut}");
}
