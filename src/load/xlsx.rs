//! Excel workbooks (XLSX): the first sheet or a chosen one, read whole (a sheet holds at most
//! about a million rows); cells keep their types, dates as days.

use super::cell::Cell;
use super::sink::Sink;
use crate::error::{Error, Result};
use calamine::{CellErrorType, Data, Reader, Xlsx};
use std::io::Cursor;

/// Reads a sheet (`sheet` by name, else the first) with its first non-empty row as header.
pub fn read(bytes: &[u8], sheet: Option<&str>, file: &str, sink: &mut Sink) -> Result<()> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::parse(format!("{file}: not a readable XLSX workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Error::option(format!(
                    "{file}: no sheet \"{s}\" (sheets: {})",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::parse(format!("{file}: the workbook has no sheet")))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Error::parse(format!("{file}: sheet \"{name}\" cannot be read: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let mut rows = range
        .rows()
        .enumerate()
        .skip_while(|(_, r)| r.iter().all(|c| matches!(c, Data::Empty)));
    let Some((_, header)) = rows.next() else {
        return Err(Error::parse(format!("{file}: sheet \"{name}\" is empty")));
    };
    let mut buf = String::new();
    sink.set_headers(
        header
            .iter()
            .map(|c| cell(c).text(&mut buf).to_string())
            .collect(),
    )?;
    let width = sink.headers().map_or(0, <[String]>::len);
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(width);
    for (i, row) in rows {
        if sink.sample_full() {
            break;
        }
        cells.clear();
        cells.extend(row.iter().map(cell));
        // Cells beyond the header that are empty belong to no column.
        while cells.len() > width && cells.last() == Some(&Cell::Null) {
            cells.pop();
        }
        cells.resize(width.max(cells.len()), Cell::Null);
        // Spreadsheet row numbers: 1-based, counted from the sheet's first row.
        sink.push(first_row + i as u64 + 1, cells.as_slice())?;
    }
    Ok(())
}

/// A spreadsheet cell with its type.
fn cell(c: &Data) -> Cell<'_> {
    match c {
        Data::Empty => Cell::Null,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Str(s),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => Cell::ExcelSerial(dt.as_f64()),
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::Error(e) => Cell::Str(match e {
            CellErrorType::Div0 => "#DIV/0!",
            CellErrorType::NA => "#N/A",
            CellErrorType::Name => "#NAME?",
            CellErrorType::Null => "#NULL!",
            CellErrorType::Num => "#NUM!",
            CellErrorType::Ref => "#REF!",
            CellErrorType::Value => "#VALUE!",
            CellErrorType::GettingData => "#GETTING_DATA",
        }),
    }
}
