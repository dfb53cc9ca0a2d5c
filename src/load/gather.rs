//! A table's rows in another order, a batch at a time (a kept workspace writes its orders
//! grouped by member; see `dataset/grouped.rs`). Only the column types the loader makes are
//! gathered: dictionary-encoded text whose batches share one dictionary (the keys move, the
//! dictionary stays, or is renumbered in the new order of first use), text, dates and numbers.

use super::table::Table;
use arrow_array::cast::AsArray;
use arrow_array::types::{ArrowPrimitiveType, Date32Type, Float64Type, Int64Type, UInt32Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, PrimitiveArray, RecordBatch, StringArray, UInt32Array,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{ArrowError, DataType, SchemaRef};
use std::sync::Arc;

/// Rows of a gathered batch.
pub const GATHER_ROWS: usize = 64 * 1024;

/// A table ready to give its rows in another order.
pub struct Gather<'a> {
    table: &'a Table,
    schema: SchemaRef,
    /// The first row of each batch in the whole table.
    starts: Vec<usize>,
    /// Per column, for a renumbered dictionary: each old code's new one and the dictionary.
    renumbered: Vec<Option<(Vec<u32>, ArrayRef)>>,
}

impl<'a> Gather<'a> {
    /// `table` to be read in the order `order` (indexes into the whole table, each once),
    /// the dictionaries of the columns `renumber` renumbered in that order of first use (a
    /// dictionary read in code order then reads front to back); `None` when a column's type
    /// or dictionaries cannot be gathered.
    pub fn new(table: &'a Table, order: &[u32], renumber: &[&str]) -> Option<Gather<'a>> {
        let schema = table.batches.first()?.schema();
        let mut starts = Vec::with_capacity(table.batches.len());
        let mut at = 0usize;
        for b in &table.batches {
            starts.push(at);
            at += b.num_rows();
        }
        let mut renumbered = Vec::with_capacity(schema.fields().len());
        for (i, f) in schema.fields().iter().enumerate() {
            let chunks: Vec<&ArrayRef> = table.batches.iter().map(|b| b.column(i)).collect();
            let ok = match f.data_type() {
                DataType::Dictionary(k, v) if **k == DataType::UInt32 && **v == DataType::Utf8 => {
                    one_dictionary(&chunks)
                }
                DataType::Utf8 | DataType::Date32 | DataType::Int64 | DataType::Float64 => true,
                _ => false,
            };
            if !ok {
                return None;
            }
            let renumber = renumber.contains(&f.name().as_str());
            renumbered.push(if renumber {
                Some(first_use(&chunks, &starts, order)?)
            } else {
                None
            });
        }
        Some(Gather {
            table,
            schema,
            starts,
            renumbered,
        })
    }

    /// The rows `rows` (indexes into the whole table) as one batch.
    pub fn batch(&self, rows: &[u32]) -> Result<RecordBatch, ArrowError> {
        let place = places(&self.starts, rows);
        let mut columns = Vec::with_capacity(self.schema.fields().len());
        for (i, field) in self.schema.fields().iter().enumerate() {
            let chunks: Vec<&ArrayRef> = self.table.batches.iter().map(|b| b.column(i)).collect();
            let nulls = nulls(&chunks, &place);
            let column: ArrayRef = match field.data_type() {
                DataType::Dictionary(..) => {
                    let dicts: Vec<&DictionaryArray<UInt32Type>> =
                        chunks.iter().map(|c| c.as_dictionary()).collect();
                    let keys: Vec<&[u32]> =
                        dicts.iter().map(|d| d.keys().values().as_ref()).collect();
                    let mut codes: Vec<u32> = place.iter().map(|&(b, r)| keys[b][r]).collect();
                    let values = match &self.renumbered[i] {
                        Some((now, values)) => {
                            // A null row's key may be any number: kept in range.
                            for c in &mut codes {
                                *c = now.get(*c as usize).copied().unwrap_or(0);
                            }
                            values.clone()
                        }
                        None => dicts[0].values().clone(),
                    };
                    let keys = UInt32Array::new(codes.into(), nulls);
                    Arc::new(DictionaryArray::try_new(keys, values)?)
                }
                DataType::Utf8 => {
                    let texts: Vec<&StringArray> = chunks.iter().map(|c| c.as_string()).collect();
                    let out: StringArray = place
                        .iter()
                        .map(|&(b, r)| texts[b].is_valid(r).then(|| texts[b].value(r)))
                        .collect();
                    Arc::new(out)
                }
                DataType::Date32 => Arc::new(primitive::<Date32Type>(&chunks, &place, nulls)),
                DataType::Int64 => Arc::new(primitive::<Int64Type>(&chunks, &place, nulls)),
                DataType::Float64 => Arc::new(primitive::<Float64Type>(&chunks, &place, nulls)),
                other => {
                    return Err(ArrowError::InvalidArgumentError(format!(
                        "cannot gather a column of {other}"
                    )))
                }
            };
            columns.push(column);
        }
        RecordBatch::try_new(self.schema.clone(), columns)
    }
}

/// Which of the rows at `place` hold a value (`None` when all of them may).
fn nulls(chunks: &[&ArrayRef], place: &[(usize, usize)]) -> Option<NullBuffer> {
    let masks: Vec<Option<&NullBuffer>> = chunks.iter().map(|c| c.nulls()).collect();
    if masks.iter().all(Option::is_none) {
        return None;
    }
    let valid = place
        .iter()
        .map(|&(b, r)| masks[b].is_none_or(|m| m.is_valid(r)));
    Some(NullBuffer::from_iter(valid))
}

/// Each of `rows` as (batch, row in it), given each batch's first row.
fn places(starts: &[usize], rows: &[u32]) -> Vec<(usize, usize)> {
    rows.iter().map(|&r| place(starts, r)).collect()
}

/// Row `row` of the whole table as (batch, row in it), given each batch's first row.
fn place(starts: &[usize], row: u32) -> (usize, usize) {
    let r = row as usize;
    let b = starts.partition_point(|&s| s <= r).saturating_sub(1);
    (b, r - starts.get(b).copied().unwrap_or(0))
}

/// Whether the dictionary chunks share one dictionary.
fn one_dictionary(chunks: &[&ArrayRef]) -> bool {
    let values = |c: &ArrayRef| {
        c.as_dictionary_opt::<UInt32Type>()
            .map(|d| d.values().clone())
    };
    let Some(first) = chunks.first().and_then(|c| values(c)) else {
        return true;
    };
    chunks
        .iter()
        .all(|c| values(c).is_some_and(|v| Arc::ptr_eq(&v, &first)))
}

/// A dictionary column's codes renumbered in the order `order` first uses them: each old
/// code's new one, and the dictionary in the new order (values no row uses dropped).
fn first_use(
    chunks: &[&ArrayRef],
    starts: &[usize],
    order: &[u32],
) -> Option<(Vec<u32>, ArrayRef)> {
    let dicts: Vec<&DictionaryArray<UInt32Type>> = chunks
        .iter()
        .map(|c| c.as_dictionary_opt())
        .collect::<Option<_>>()?;
    let values = dicts.first()?.values().as_string_opt::<i32>()?;
    let mut now = vec![u32::MAX; values.len()];
    let mut used = Vec::new();
    for (b, r) in order.iter().map(|&row| place(starts, row)) {
        if dicts[b].is_valid(r) {
            let k = dicts[b].keys().value(r) as usize;
            if now.get(k) == Some(&u32::MAX) {
                now[k] = used.len() as u32;
                used.push(k);
            }
        }
    }
    let renumbered: StringArray = used.iter().map(|&k| Some(values.value(k))).collect();
    Some((now, Arc::new(renumbered)))
}

fn primitive<T: ArrowPrimitiveType>(
    chunks: &[&ArrayRef],
    place: &[(usize, usize)],
    nulls: Option<NullBuffer>,
) -> PrimitiveArray<T> {
    let values: Vec<&[T::Native]> = chunks
        .iter()
        .map(|c| c.as_primitive::<T>().values().as_ref())
        .collect();
    let out: Vec<T::Native> = place.iter().map(|&(b, r)| values[b][r]).collect();
    PrimitiveArray::new(out.into(), nulls)
}
