//! Excel workbooks (XLSX): the first sheet or a chosen one, cells rendered as text the
//! coercion step understands (Excel serial dates become ISO timestamps).

use super::raw::{clean_headers, RawBuilder, RawTable};
use super::report::Rejections;
use crate::error::{Error, Result};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Reads a sheet (`sheet` by name, else the first) with its first non-empty row as header.
pub fn parse(
    bytes: &[u8],
    sheet: Option<&str>,
    file: &str,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(f64),
) -> Result<RawTable> {
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
    progress(0.5);
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let mut rows = range
        .rows()
        .enumerate()
        .skip_while(|(_, r)| r.iter().all(|c| matches!(c, Data::Empty)));
    let Some((_, header)) = rows.next() else {
        return Err(Error::parse(format!("{file}: sheet \"{name}\" is empty")));
    };
    let headers = clean_headers(header.iter().map(cell_text));
    let mut raw = RawBuilder::new(headers, "\t");
    let width = raw.width();
    for (i, row) in rows {
        let row_number = first_row + i as u64 + 1;
        let texts: Vec<String> = row.iter().map(cell_text).collect();
        // Trailing empty cells beyond the header belong to no column.
        let used = texts
            .iter()
            .rposition(|t| !t.is_empty())
            .map_or(0, |p| p + 1)
            .max(width.min(texts.len()));
        let fields: Vec<&str> = texts[..used].iter().map(String::as_str).collect();
        let mut padded = fields.clone();
        padded.resize(width.max(fields.len()), "");
        raw.push(row_number, &padded, rejections);
    }
    Ok(raw.finish())
}

/// A cell as text: whole numbers without a fraction, dates as ISO 8601.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => d.format("%Y-%m-%d %H:%M:%S").to_string(),
            _ => number_text(dt.as_f64()),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}
