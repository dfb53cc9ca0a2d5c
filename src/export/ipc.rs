//! Arrow IPC file export (the Feather v2 / `.arrow` file format).

use super::arrow::{batches, io, schema};
use super::frame::{Rows, Ticker};
use crate::error::Result;

/// Writes `rows` as an Arrow IPC file (uncompressed, so every Arrow reader opens it).
pub fn write(rows: &dyn Rows, ticker: &mut Ticker) -> Result<Vec<u8>> {
    let schema = schema(rows);
    let mut w = arrow_ipc::writer::FileWriter::try_new(Vec::new(), &schema)
        .map_err(|e| io("Arrow IPC", e))?;
    batches(rows, ticker, |b| w.write(b).map_err(|e| io("Arrow IPC", e)))?;
    w.finish().map_err(|e| io("Arrow IPC", e))?;
    w.into_inner().map_err(|e| io("Arrow IPC", e))
}
