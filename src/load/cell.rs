//! One value of a source row, as the reader of its format found it: text from text formats,
//! typed values from typed ones (Parquet, Arrow, XLSX, NDJSON), so that typed values are never
//! rendered to text and parsed back.

/// A borrowed source value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Missing (an empty cell of a typed format, a JSON null, an Arrow null).
    Null,
    /// Text, as written.
    Str(&'a str),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// An exact decimal: `value × 10^-scale`.
    Decimal(i128, i8),
    /// A calendar day (days since 1970-01-01) of a date or timestamp value.
    Day(i32),
    /// A spreadsheet number that Excel shows as a date (serial days since 1899-12-30).
    ExcelSerial(f64),
    /// A boolean.
    Bool(bool),
}

impl Cell<'_> {
    /// Whether the cell holds nothing (null, or text that is blank).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Null => true,
            Cell::Str(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, written into `buf` when it is not text already.
    pub fn text<'b>(&'b self, buf: &'b mut String) -> &'b str {
        use std::fmt::Write;
        match self {
            Cell::Str(s) => s,
            Cell::Null => "",
            other => {
                buf.clear();
                let _ = match other {
                    Cell::Int(i) => write!(buf, "{i}"),
                    Cell::Float(f) | Cell::ExcelSerial(f) => write!(buf, "{}", number_text(*f)),
                    Cell::Decimal(v, scale) => write!(buf, "{}", decimal_text(*v, *scale)),
                    Cell::Day(d) => {
                        super::coerce::write_day(buf, *d);
                        Ok(())
                    }
                    Cell::Bool(b) => write!(buf, "{b}"),
                    Cell::Str(_) | Cell::Null => Ok(()),
                };
                buf
            }
        }
    }

    /// An owned copy (for the sample rows kept while roles are detected).
    pub fn to_owned(&self) -> OwnedCell {
        match *self {
            Cell::Str(s) => OwnedCell::Str(s.to_string()),
            Cell::Null => OwnedCell::Typed(OwnedTyped::Null),
            Cell::Int(i) => OwnedCell::Typed(OwnedTyped::Int(i)),
            Cell::Float(f) => OwnedCell::Typed(OwnedTyped::Float(f)),
            Cell::Decimal(v, s) => OwnedCell::Typed(OwnedTyped::Decimal(v, s)),
            Cell::Day(d) => OwnedCell::Typed(OwnedTyped::Day(d)),
            Cell::ExcelSerial(f) => OwnedCell::Typed(OwnedTyped::ExcelSerial(f)),
            Cell::Bool(b) => OwnedCell::Typed(OwnedTyped::Bool(b)),
        }
    }
}

/// A typed value without borrowed text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OwnedTyped {
    /// See [`Cell::Null`].
    Null,
    /// See [`Cell::Int`].
    Int(i64),
    /// See [`Cell::Float`].
    Float(f64),
    /// See [`Cell::Decimal`].
    Decimal(i128, i8),
    /// See [`Cell::Day`].
    Day(i32),
    /// See [`Cell::ExcelSerial`].
    ExcelSerial(f64),
    /// See [`Cell::Bool`].
    Bool(bool),
}

/// An owned [`Cell`].
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
    /// Text.
    Str(String),
    /// Any other value.
    Typed(OwnedTyped),
}

impl OwnedCell {
    /// A borrowed view.
    pub fn as_cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Str(s) => Cell::Str(s),
            OwnedCell::Typed(t) => match *t {
                OwnedTyped::Null => Cell::Null,
                OwnedTyped::Int(i) => Cell::Int(i),
                OwnedTyped::Float(f) => Cell::Float(f),
                OwnedTyped::Decimal(v, s) => Cell::Decimal(v, s),
                OwnedTyped::Day(d) => Cell::Day(d),
                OwnedTyped::ExcelSerial(f) => Cell::ExcelSerial(f),
                OwnedTyped::Bool(b) => Cell::Bool(b),
            },
        }
    }
}

/// A number as a person writes it: whole numbers without a fraction.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An exact decimal as text (`12345, 2` → `123.45`).
pub fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        let mut s = v.to_string();
        if v != 0 {
            s.extend(std::iter::repeat_n('0', scale.unsigned_abs() as usize));
        }
        return s;
    }
    let scale = scale as usize;
    let digits = v.unsigned_abs().to_string();
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

/// One source row, read cell by cell (so readers need not allocate a row).
pub trait Row {
    /// Number of cells.
    fn len(&self) -> usize;
    /// Whether the row has no cells.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The cell at `i` (`Cell::Null` past the end).
    fn cell(&self, i: usize) -> Cell<'_>;
}

impl Row for [Cell<'_>] {
    fn len(&self) -> usize {
        <[Cell<'_>]>::len(self)
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.get(i).copied().unwrap_or(Cell::Null)
    }
}

impl Row for [OwnedCell] {
    fn len(&self) -> usize {
        <[OwnedCell]>::len(self)
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.get(i).map_or(Cell::Null, OwnedCell::as_cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_render_exactly() {
        assert_eq!(decimal_text(12345, 2), "123.45");
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(7, -2), "700");
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
    }

    #[test]
    fn owned_round_trip() {
        for c in [
            Cell::Str("a"),
            Cell::Null,
            Cell::Int(3),
            Cell::Day(5),
            Cell::Decimal(1, 2),
        ] {
            assert_eq!(c.to_owned().as_cell(), c);
        }
    }
}
