//! The parts of a file read in parts, merged into the rows of a load in one piece: batches in
//! file order, each dictionary column's values unified once (the first part's codes stay, a
//! later part's values are looked up and its codes rewritten), member attributes typed over
//! every value, rejections counted together with the file's row numbers.

use crate::error::{Error, ErrorKind, Result};
use crate::load::builder::UNTYPED;
use crate::load::infer::type_attribute;
use crate::load::intern::Interner;
use crate::load::sink::Sunk;
use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// One part of a file, read.
pub struct Part {
    /// Its rows, built (member attributes still text).
    pub sunk: Sunk,
    /// Byte sequences its decoder replaced.
    pub replaced: u64,
    /// Records it read (the header and blank lines included): the next part's row numbers
    /// come after them.
    pub records: u64,
    /// Bytes it read.
    pub bytes: u64,
    /// Its columns share buffers (an Arrow IPC message read back holds a batch's columns in
    /// one buffer): the merge copies them apart, so the dictionary codes it rewrites do not
    /// stay alive inside that buffer.
    pub shared_buffers: bool,
}

/// Merges the parts of one file, in file order: the rows, the bytes read and the byte
/// sequences replaced.
pub fn merge(parts: Vec<Part>, file: &str) -> Result<(Sunk, u64, u64)> {
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Err(internal(file, "no part to merge"));
    };
    let mut sunk = first.sunk;
    let mut replaced = first.replaced;
    let mut bytes = first.bytes;
    let mut offset = first.records;
    let mut batches = vec![tight(
        std::mem::take(&mut sunk.batches),
        first.shared_buffers,
        file,
    )?];
    for p in parts {
        let mut s = p.sunk;
        s.batches = tight(std::mem::take(&mut s.batches), p.shared_buffers, file)?;
        sunk.rows_in += s.rows_in;
        sunk.rejections.append(s.rejections, offset);
        sunk.warnings.extend(s.warnings);
        offset += p.records;
        replaced += p.replaced;
        bytes += p.bytes;
        batches.push(s.batches);
    }
    sunk.batches = columns(batches, &mut sunk.columns, file)?;
    Ok((sunk, replaced, bytes))
}

/// The batches of all parts with one dictionary per column and typed attributes.
fn columns(
    parts: Vec<Vec<RecordBatch>>,
    reports: &mut [crate::load::ColumnReport],
    file: &str,
) -> Result<Vec<RecordBatch>> {
    let all: Vec<RecordBatch> = parts.into_iter().flatten().collect();
    let Some(schema) = all.first().map(RecordBatch::schema) else {
        return Ok(all);
    };
    let untyped: Vec<usize> = reports
        .iter()
        .filter(|c| c.ty == UNTYPED)
        .filter_map(|c| schema.index_of(&c.name).ok())
        .collect();
    let single = all
        .windows(2)
        .all(|w| w[0].num_rows() == 0 || same_dictionaries(&w[0], &w[1]));
    if single && untyped.is_empty() {
        return Ok(all);
    }
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut cols: Vec<Vec<ArrayRef>> = Vec::with_capacity(fields.len());
    for (i, field) in schema.fields().iter().enumerate() {
        let chunks: Vec<ArrayRef> = all.iter().map(|b| b.column(i).clone()).collect();
        let merged = match field.data_type() {
            DataType::Dictionary(k, v) if **k == DataType::UInt32 && **v == DataType::Utf8 => {
                unify(&chunks, file)?
            }
            DataType::Utf8 if untyped.contains(&i) => {
                let text: Vec<StringArray> = chunks
                    .iter()
                    .map(|a| a.as_string::<i32>().clone())
                    .collect();
                let (ty, arrays) = type_attribute(&text);
                if let Some(r) = reports
                    .iter_mut()
                    .find(|r| r.ty == UNTYPED && r.name == *field.name())
                {
                    r.ty = ty.to_string();
                }
                if let Some(a) = arrays.first() {
                    fields[i] = Field::new(field.name(), a.data_type().clone(), true);
                }
                arrays
            }
            _ => chunks,
        };
        cols.push(merged);
    }
    // A report whose column is not in the batches (an ignored column) is still text.
    for r in reports.iter_mut().filter(|r| r.ty == UNTYPED) {
        r.ty = "string".to_string();
    }
    let schema = Arc::new(Schema::new(fields));
    (0..all.len())
        .map(|b| {
            let arrays: Vec<ArrayRef> = cols.iter().map(|c| c[b].clone()).collect();
            RecordBatch::try_new(schema.clone(), arrays).map_err(|e| internal(file, e))
        })
        .collect()
}

/// A part's batches with no room to spare: a part's last batch was built in buffers grown by
/// doubling (a one-piece load has one such batch, a load in parts one per part: up to half a
/// batch of slack each), and a part read back from IPC holds each batch in one message
/// buffer. Such batches are copied into buffers of their exact size (the dictionary columns
/// of an IPC part are rewritten by the merge anyway).
fn tight(batches: Vec<RecordBatch>, shared: bool, file: &str) -> Result<Vec<RecordBatch>> {
    let last = batches.len().saturating_sub(1);
    batches
        .into_iter()
        .enumerate()
        .map(|(i, b)| match (shared, i == last) {
            (true, _) => compact(&b, false, file),
            (false, true) => compact(&b, true, file),
            (false, false) => Ok(b),
        })
        .collect()
}

/// `batch` copied into buffers of their own: every column, or (`keys` false) all but the
/// dictionary columns. A dictionary column keeps its values (shared by the part's batches).
fn compact(batch: &RecordBatch, keys: bool, file: &str) -> Result<RecordBatch> {
    let copy = |data: arrow_data::ArrayData| -> Result<arrow_data::ArrayData> {
        let len = data.len();
        let mut copy = arrow_data::transform::MutableArrayData::new(vec![&data], false, len);
        copy.try_extend(0, 0, len).map_err(|e| internal(file, e))?;
        Ok(copy.freeze())
    };
    let columns = batch
        .columns()
        .iter()
        .map(|c| match c.as_dictionary_opt::<UInt32Type>() {
            Some(_) if !keys => Ok(c.clone()),
            Some(d) => {
                let k = UInt32Array::from(copy(d.keys().to_data())?);
                DictionaryArray::<UInt32Type>::try_new(k, d.values().clone())
                    .map(|a| Arc::new(a) as ArrayRef)
                    .map_err(|e| internal(file, e))
            }
            None => Ok(arrow_array::make_array(copy(c.to_data())?)),
        })
        .collect::<Result<Vec<_>>>()?;
    RecordBatch::try_new(batch.schema(), columns).map_err(|e| internal(file, e))
}

/// Whether two batches' dictionary columns share their values.
fn same_dictionaries(a: &RecordBatch, b: &RecordBatch) -> bool {
    a.columns().iter().zip(b.columns()).all(|(x, y)| {
        match (
            x.as_dictionary_opt::<UInt32Type>(),
            y.as_dictionary_opt::<UInt32Type>(),
        ) {
            (Some(x), Some(y)) => x.values().to_data().ptr_eq(&y.values().to_data()),
            _ => true,
        }
    })
}

/// One dictionary for the chunks of a column: the values in first-seen order of the file
/// (the first chunk's values, then each later chunk's new ones), codes rewritten to match.
fn unify(chunks: &[ArrayRef], file: &str) -> Result<Vec<ArrayRef>> {
    let mut interner = Interner::default();
    // Per distinct values array (the chunks of one part share theirs): its codes' new codes.
    let mut maps: Vec<(ArrayRef, Vec<u32>)> = Vec::new();
    let mut keys: Vec<UInt32Array> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let d = chunk
            .as_dictionary_opt::<UInt32Type>()
            .ok_or_else(|| internal(file, "a dictionary column is not dictionary-encoded"))?;
        let values = d.values();
        let pos = match maps
            .iter()
            .position(|(v, _)| v.to_data().ptr_eq(&values.to_data()))
        {
            Some(p) => p,
            None => {
                let text = values
                    .as_string_opt::<i32>()
                    .ok_or_else(|| internal(file, "dictionary values are not text"))?;
                let map = text
                    .iter()
                    .map(|v| interner.code(v.unwrap_or("")))
                    .collect();
                maps.push((values.clone(), map));
                maps.len() - 1
            }
        };
        let map = &maps[pos].1;
        let identity = pos == 0;
        keys.push(if identity {
            d.keys().clone()
        } else {
            d.keys()
                .iter()
                .map(|k| k.map(|k| map.get(k as usize).copied().unwrap_or(0)))
                .collect()
        });
    }
    let values: ArrayRef = Arc::new(
        interner
            .finish()
            .map_err(|e| Error::parse(format!("{file}: {e}")))?,
    );
    keys.into_iter()
        .map(|k| {
            DictionaryArray::<UInt32Type>::try_new(k, values.clone())
                .map(|a| Arc::new(a) as ArrayRef)
                .map_err(|e| internal(file, e))
        })
        .collect()
}

fn internal(file: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Internal, format!("{file}: {e}"))
}
