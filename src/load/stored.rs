//! A loaded table as bytes and back, for a workspace kept in the browser (the origin-private
//! file system) between visits: its typed columns as an Arrow IPC stream (the dictionaries as
//! built, nothing parsed again) behind a header with the format version, the table kind, the
//! load report and the line values. A table kept by another version of the format is refused
//! with a message, never misread.

use super::gather::{Gather, GATHER_ROWS};
use super::report::LoadReport;
use super::table::{LineValues, Table, TableKind};
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::ArrowError;
use serde::{Deserialize, Serialize};

/// The first bytes of a kept table.
pub const MAGIC: &[u8; 8] = b"ALTABLE\0";

/// The version of the kept-table format; a table kept with another is refused.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    kind: String,
    report: LoadReport,
    lines: LineValues,
}

/// The bytes of `table`: magic, format version, header length and header (JSON), then the
/// columns as an Arrow IPC stream.
pub fn to_bytes(table: &Table) -> Result<Vec<u8>> {
    to_bytes_in_order(table, None)
}

/// The bytes of `table` as [`to_bytes`] writes them, its rows in the order `rows` gives
/// (indexes into the table, each once) when given and the table's columns allow it
/// ([`Gather::new`]); written a batch at a time, so the table is never held twice.
pub fn to_bytes_in_order(table: &Table, rows: Option<&[u32]>) -> Result<Vec<u8>> {
    // The member ids renumbered too: the build then reads their dictionary front to back.
    let order = rows
        .filter(|r| r.len() == table.num_rows())
        .and_then(|r| Some((r, Gather::new(table, r, &["member_id"])?)));
    let lines = match &order {
        Some((rows, _)) => lines_in_order(&table.lines, rows),
        None => table.lines.clone(),
    };
    let header = Header {
        kind: table.kind.name().to_string(),
        report: table.report.clone(),
        lines,
    };
    let json = serde_json::to_vec(&header).map_err(json)?;
    // Room for the columns at once: a vector that doubles as it fills holds three times
    // its bytes while it moves.
    let columns = table.column_bytes();
    let mut out = Vec::with_capacity(16 + json.len() + columns + columns / 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    match order {
        Some((rows, gather)) => {
            let batches = rows.chunks(GATHER_ROWS).map(|part| gather.batch(part));
            append_batches(&mut out, batches).map_err(ipc)?;
        }
        None => append_stream(&mut out, &table.batches).map_err(ipc)?,
    }
    Ok(out)
}

/// Line values whose rows moved to the positions `rows` gives (row `rows[i]` is now row
/// `i`), in the new row order.
fn lines_in_order(lines: &LineValues, rows: &[u32]) -> LineValues {
    if lines.is_empty() {
        return LineValues::new();
    }
    let mut now = vec![0u32; rows.len()];
    for (i, &r) in rows.iter().enumerate() {
        if let Some(n) = now.get_mut(r as usize) {
            *n = i as u32;
        }
    }
    lines
        .iter()
        .map(|(field, pairs)| {
            let mut moved: Vec<(u32, u32)> = pairs
                .iter()
                .map(|&(row, code)| (now.get(row as usize).copied().unwrap_or(row), code))
                .collect();
            moved.sort_by_key(|&(row, _)| row);
            (field.clone(), moved)
        })
        .collect()
}

/// Appends `batches` to `out` as an Arrow IPC stream (nothing for no batch). Kept tables and
/// the parts of a file read in parts both cross so.
pub(crate) fn append_stream(
    out: &mut Vec<u8>,
    batches: &[RecordBatch],
) -> std::result::Result<(), arrow_schema::ArrowError> {
    append_batches(out, batches.iter().map(|b| Ok(b.clone())))
}

/// Appends the batches `batches` makes, one at a time, to `out` as an Arrow IPC stream
/// (nothing for no batch).
fn append_batches(
    out: &mut Vec<u8>,
    mut batches: impl Iterator<Item = std::result::Result<RecordBatch, ArrowError>>,
) -> std::result::Result<(), ArrowError> {
    let Some(first) = batches.next().transpose()? else {
        return Ok(());
    };
    let mut w = StreamWriter::try_new(out, &first.schema())?;
    w.write(&first)?;
    for b in batches {
        w.write(&b?)?;
    }
    w.finish()
}

/// The batches of an Arrow IPC stream written by [`append_stream`] (none for no bytes).
pub(crate) fn read_stream(
    bytes: &[u8],
) -> std::result::Result<Vec<RecordBatch>, arrow_schema::ArrowError> {
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    StreamReader::try_new(bytes, None)?.collect()
}

/// Reads a table written by [`to_bytes`]; `name` names the stored file in messages.
pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Table> {
    let bad = |why: &str| Error::parse(format!("{name}: {why}"));
    if bytes.get(..8) != Some(MAGIC.as_slice()) {
        return Err(bad("not a table kept by audience-lab"));
    }
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| bad("the kept table is cut short"))
    };
    let version = word(8)?;
    if version != FORMAT_VERSION {
        return Err(bad(&format!(
            "kept by another version of audience-lab (table format {version}, this version reads {FORMAT_VERSION}): load the files again"
        )));
    }
    let len = word(12)? as usize;
    let json = bytes
        .get(16..16 + len)
        .ok_or_else(|| bad("the kept table is cut short"))?;
    let header: Header =
        serde_json::from_slice(json).map_err(|e| bad(&format!("its header is damaged ({e})")))?;
    let kind = TableKind::parse(&header.kind)?;
    let batches = read_stream(&bytes[16 + len..])
        .map_err(|e| bad(&format!("its columns are damaged ({e})")))?;
    let table = Table {
        kind,
        batches,
        report: header.report,
        lines: header.lines,
    };
    let expected = table
        .report
        .line_items
        .as_ref()
        .map_or(table.report.rows_loaded, |l| l.orders + l.refunds);
    if table.num_rows() as u64 != expected {
        return Err(bad(&format!(
            "it holds {} rows where its report says {expected}",
            table.num_rows()
        )));
    }
    Ok(table)
}

fn json(e: serde_json::Error) -> Error {
    Error::parse(format!("kept table: {e}"))
}

fn ipc(e: ArrowError) -> Error {
    Error::parse(format!("kept table: {e}"))
}
