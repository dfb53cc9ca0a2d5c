//! CSV export (SPEC §4): UTF-8 with BOM, RFC 4180 quoting, formula injection neutralised.

use super::columns::Cell;
use super::frame::{Rows, Ticker};
use crate::error::{Error, ErrorKind, Result};

/// The UTF-8 byte-order mark that makes Excel read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Prefixes `'` to text that a spreadsheet would run as a formula: cells starting with
/// `=`, `+`, `-`, `@`, tab or carriage return.
pub fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Writes rows as CSV. With `excel_safe`, starts with a BOM and neutralises text cells
/// (computed values such as `-25.00` stay numbers).
pub fn write_csv(
    headers: &[String],
    rows: impl Iterator<Item = Vec<Cell>>,
    excel_safe: bool,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    if excel_safe {
        out.extend_from_slice(BOM);
    }
    // Excel expects CRLF; pipelines read either, and plain LF diffs cleanly.
    let terminator = if excel_safe {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out);
    let io = |e: csv::Error| Error::new(ErrorKind::Io, format!("writing CSV: {e}"));
    let header_cells: Vec<std::borrow::Cow<'_, str>> = headers
        .iter()
        .map(|h| {
            if excel_safe {
                neutralize(h)
            } else {
                h.as_str().into()
            }
        })
        .collect();
    w.write_record(header_cells.iter().map(|h| h.as_ref()))
        .map_err(io)?;
    for row in rows {
        let fields: Vec<std::borrow::Cow<'_, str>> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) if excel_safe => neutralize(t),
                Cell::Text(t) | Cell::Value(t) => t.as_str().into(),
                Cell::Empty => "".into(),
            })
            .collect();
        w.write_record(fields.iter().map(|f| f.as_ref()))
            .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Error::new(ErrorKind::Io, format!("writing CSV: {e}")))
}

/// Writes typed rows as CSV (see [`write_csv`]): user text is neutralised when `excel_safe`,
/// numbers, money (two decimals) and dates (`YYYY-MM-DD`) are written as values, lists
/// joined with `|`.
pub fn write_rows(rows: &dyn Rows, excel_safe: bool, ticker: &mut Ticker) -> Result<Vec<u8>> {
    let cells = (0..rows.len()).map(|i| {
        ticker.step();
        rows.row(i).iter().map(|v| v.cell()).collect()
    });
    write_csv(rows.headers(), cells, excel_safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_safe_csv() {
        let rows = vec![
            vec![Cell::Text("=1+1".into()), Cell::Value("-25.00".into())],
            vec![Cell::Text("a,\"b\"\nc".into()), Cell::Empty],
            vec![Cell::Text("@x".into()), Cell::Text("张三".into())],
        ];
        let bytes = write_csv(&["id".into(), "v".into()], rows.into_iter(), true).expect("csv");
        let text = std::str::from_utf8(&bytes[3..]).expect("utf8");
        assert_eq!(&bytes[..3], BOM);
        assert_eq!(
            text,
            "id,v\r\n'=1+1,-25.00\r\n\"a,\"\"b\"\"\nc\",\r\n'@x,张三\r\n"
        );
    }
}
