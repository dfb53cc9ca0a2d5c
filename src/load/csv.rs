//! Delimited text (CSV, TSV, semicolon, pipe): delimiter detection and parsing to raw
//! string columns, with ragged rows rejected and counted.

use super::raw::{clean_headers, RawBuilder, RawTable};
use super::report::Rejections;
use crate::error::{Error, Result};

/// Candidate delimiters, most common first.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Picks the delimiter whose first records have the most consistent field count (> 1).
pub fn detect_delimiter(text: &str) -> u8 {
    let sample = &text[..floor_char_boundary(text, 64 * 1024)];
    let mut best = (b',', 0.0f64, 0usize);
    for &d in &DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut widths = Vec::new();
        for record in reader.records().take(30) {
            match record {
                Ok(r) => widths.push(r.len()),
                Err(_) => break,
            }
        }
        // The last sampled record may be cut by the sample window.
        if widths.len() > 2 {
            widths.pop();
        }
        let Some(&header_width) = widths.first() else {
            continue;
        };
        if header_width < 2 {
            continue;
        }
        let consistent =
            widths.iter().filter(|&&w| w == header_width).count() as f64 / widths.len() as f64;
        if consistent > best.1 || (consistent == best.1 && header_width > best.2) {
            best = (d, consistent, header_width);
        }
    }
    best.0
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The display name of a delimiter.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => ";",
        b'|' => "|",
        _ => ",",
    }
}

/// Parses delimited `text` with a header row into raw string columns. Rows with a field
/// count other than the header's, and rows with every field empty, are rejected.
pub fn parse(
    text: &str,
    delimiter: u8,
    file: &str,
    rejections: &mut Rejections,
    progress: &mut dyn FnMut(f64),
) -> Result<RawTable> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(Ok(r)) => clean_headers(r.iter().map(String::from)),
        Some(Err(e)) => {
            return Err(Error::parse(format!(
                "{file}: cannot read the header row: {e}"
            )))
        }
        None => return Err(Error::parse(format!("{file}: the file is empty"))),
    };
    if headers.iter().all(|h| h.starts_with("column_")) {
        return Err(Error::parse(format!("{file}: the header row is empty")));
    }
    let mut raw = RawBuilder::new(headers, delimiter_name(delimiter));
    let total = text.len().max(1) as f64;
    for (i, record) in records.enumerate() {
        let row = i as u64 + 2;
        match record {
            Ok(r) => {
                let fields: Vec<&str> = r.iter().collect();
                raw.push(row, &fields, rejections);
                if i % 65_536 == 0 {
                    progress(r.position().map_or(0.0, |p| p.byte() as f64 / total));
                }
            }
            Err(e) => raw.reject(row, &format!("unreadable row: {e}"), rejections),
        }
    }
    Ok(raw.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a;b\n1,5;2\n3,5;4\n"), b';');
        assert_eq!(detect_delimiter("a|b\n1|2\n"), b'|');
    }

    #[test]
    fn quoted_newlines_and_ragged_rows() {
        let text = "id,note\n1,\"two\nlines, \"\"quoted\"\"\"\n2\n3,ok\n,\n";
        let mut rej = Rejections::default();
        let t = parse(text, b',', "f.csv", &mut rej, &mut |_| {}).expect("parse");
        assert_eq!(t.rows_in, 4);
        assert_eq!(t.columns[1].value(0), "two\nlines, \"quoted\"");
        assert_eq!(t.row_numbers, vec![2, 4]);
        assert_eq!(rej.total(), 2);
    }
}
