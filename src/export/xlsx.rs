//! XLSX export: a real workbook (rust_xlsxwriter) with typed cells — numbers as numbers,
//! money with two decimals, dates as date cells, text as text (never a formula) — a bold,
//! frozen header row with a filter, and column widths fitted to the content.

use super::columns::{Kind, Value};
use super::frame::{Rows, Ticker};
use super::names::sheet_name;
use crate::error::{Error, ErrorKind, Result};
use crate::load::coerce::ymd_from_day;
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Data rows per worksheet (Excel's limit of 1,048,576 rows, less the header).
pub const ROWS_PER_SHEET: usize = 1_048_575;

/// Rows looked at to fit column widths.
const WIDTH_SAMPLE: usize = 2_000;

/// Longest text Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

fn xerr(e: XlsxError) -> Error {
    Error::new(ErrorKind::Io, format!("writing XLSX: {e}"))
}

/// Writes `rows` as a workbook whose sheet is named after `name` (made safe for Excel),
/// created at `created` (seconds since 1970, UTC; `None`: the clock's time).
/// An audience longer than [`ROWS_PER_SHEET`] continues on sheets `name (2)`, `name (3)`, ...
pub fn write(
    rows: &dyn Rows,
    name: &str,
    created: Option<i64>,
    ticker: &mut Ticker,
) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    if let Some(t) = created {
        let at = ExcelDateTime::from_timestamp(t).map_err(xerr)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&at));
    }
    let base = sheet_name(name);
    let sheets = rows.len().div_ceil(ROWS_PER_SHEET).max(1);
    for s in 0..sheets {
        let sheet_title = if s == 0 {
            base.clone()
        } else {
            let suffix = format!(" ({})", s + 1);
            let keep = 31 - suffix.len();
            let mut head = String::new();
            for c in base.chars() {
                if head.encode_utf16().count() + c.len_utf16() > keep {
                    break;
                }
                head.push(c);
            }
            format!("{}{suffix}", head.trim_end())
        };
        let sheet = book.add_worksheet();
        sheet.set_name(&sheet_title).map_err(xerr)?;
        let first = s * ROWS_PER_SHEET;
        let last = rows.len().min(first + ROWS_PER_SHEET);
        write_sheet(sheet, rows, first..last, ticker)?;
    }
    book.save_to_buffer().map_err(xerr)
}

fn write_sheet(
    sheet: &mut Worksheet,
    rows: &dyn Rows,
    range: std::ops::Range<usize>,
    ticker: &mut Ticker,
) -> Result<()> {
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let headers = rows.headers();
    let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &header)
            .map_err(xerr)?;
    }
    let n = range.len();
    for (k, i) in range.enumerate() {
        let r = (k + 1) as u32;
        for (c, v) in rows.row(i).iter().enumerate() {
            let col = c as u16;
            match v {
                Value::Null => {}
                Value::Int(x) => {
                    sheet.write_number(r, col, *x as f64).map_err(xerr)?;
                }
                Value::Num(x) if x.is_finite() => {
                    sheet.write_number(r, col, *x).map_err(xerr)?;
                }
                Value::Num(_) => {}
                Value::Money(cents) => {
                    sheet
                        .write_number_with_format(r, col, *cents as f64 / 100.0, &money)
                        .map_err(xerr)?;
                }
                Value::Date(d) => {
                    let ymd = ymd_from_day(*d);
                    // Excel dates start in 1900; loaded dates are limited to 1900-2199.
                    let dt = ExcelDateTime::from_ymd(
                        ymd.year() as u16,
                        ymd.month() as u8,
                        ymd.day() as u8,
                    )
                    .map_err(xerr)?;
                    sheet
                        .write_date_with_format(r, col, &dt, &date)
                        .map_err(xerr)?;
                }
                Value::Text(_) | Value::Label(_) | Value::List(_) => {
                    let text = v.text().unwrap_or_default();
                    let text = clip(&text);
                    // A string cell is never evaluated: `=1+1` stays text.
                    sheet.write_string(r, col, text).map_err(xerr)?;
                }
            }
            if k < WIDTH_SAMPLE {
                let w = match (rows.kinds()[c], v) {
                    (_, Value::Null) => 0,
                    (Kind::Date, _) => 10,
                    (Kind::Money, Value::Money(cents)) => format_width(*cents),
                    _ => v.text().map_or(0, |t| display_width(&t)),
                };
                widths[c] = widths[c].max(w);
            }
        }
        ticker.step();
    }
    for (c, w) in widths.iter().enumerate() {
        let width = (*w as f64 + 2.0).clamp(8.0, 60.0);
        sheet.set_column_width(c as u16, width).map_err(xerr)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    if !headers.is_empty() {
        sheet
            .autofilter(0, 0, n as u32, headers.len() as u16 - 1)
            .map_err(xerr)?;
    }
    Ok(())
}

/// Text cut to what Excel keeps in a cell.
fn clip(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Width of `#,##0.00` money text.
fn format_width(cents: i64) -> usize {
    let digits = (cents.unsigned_abs() / 100).max(1).ilog10() as usize + 1;
    digits + (digits - 1) / 3 + 3 + usize::from(cents < 0)
}

/// Column width of text in Excel's character units: wide (CJK) characters count two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("导购张三"), 8);
        assert_eq!(format_width(12_345_678), 10); // 123,456.78
        assert_eq!(format_width(-5), 5); // -0.05
        assert_eq!(clip(&"a".repeat(40_000)).len(), MAX_CELL_CHARS);
    }
}
