//! Raw string columns: what every format is read into before roles and coercion.

use super::report::Rejections;
use arrow_array::builder::StringBuilder;
use arrow_array::StringArray;

/// Raw string columns of a file, before coercion.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// Header names, trimmed.
    pub headers: Vec<String>,
    /// One string column per header.
    pub columns: Vec<StringArray>,
    /// Spreadsheet row number of each kept row (header = 1).
    pub row_numbers: Vec<u64>,
    /// Data rows read, including those already rejected.
    pub rows_in: u64,
}

/// Builds a [`RawTable`] row by row, rejecting rows of the wrong width and empty rows.
pub struct RawBuilder {
    headers: Vec<String>,
    builders: Vec<StringBuilder>,
    row_numbers: Vec<u64>,
    rows_in: u64,
    separator: &'static str,
}

impl RawBuilder {
    /// A builder for `headers`; `separator` joins the fields of a rejected row in its sample.
    pub fn new(headers: Vec<String>, separator: &'static str) -> Self {
        let builders = headers.iter().map(|_| StringBuilder::new()).collect();
        RawBuilder {
            headers,
            builders,
            row_numbers: Vec::new(),
            rows_in: 0,
            separator,
        }
    }

    /// The number of columns.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// Counts a row that could not be read at all.
    pub fn reject(&mut self, row: u64, reason: &str, rejections: &mut Rejections) {
        self.rows_in += 1;
        rejections.reject(row, "", "", reason);
    }

    /// Adds one row; a row with another field count than the header's, or with every
    /// field empty, is rejected.
    pub fn push(&mut self, row: u64, fields: &[&str], rejections: &mut Rejections) {
        self.rows_in += 1;
        if fields.len() != self.headers.len() {
            let reason = format!("wrong number of fields (expected {})", self.headers.len());
            rejections.reject(row, "", &fields.join(self.separator), &reason);
            return;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            rejections.reject(row, "", "", "empty row");
            return;
        }
        for (b, f) in self.builders.iter_mut().zip(fields) {
            b.append_value(f);
        }
        self.row_numbers.push(row);
    }

    /// The finished table.
    pub fn finish(self) -> RawTable {
        RawTable {
            headers: self.headers,
            columns: self.builders.into_iter().map(|mut b| b.finish()).collect(),
            row_numbers: self.row_numbers,
            rows_in: self.rows_in,
        }
    }
}

/// Trims headers and names blank ones `column_N` (1-based) so every column can be mapped.
pub fn clean_headers(raw: impl IntoIterator<Item = String>) -> Vec<String> {
    raw.into_iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim().trim_start_matches('\u{feff}').to_string();
            if h.is_empty() {
                format!("column_{}", i + 1)
            } else {
                h
            }
        })
        .collect()
}
