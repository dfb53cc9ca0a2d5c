//! Split exports: one file per value of a column (guide, store, city, tier, ...), delivered
//! as one zip with a summary sheet of counts (file, value, members): `summary.xlsx` in an
//! XLSX split, `summary.csv` otherwise.

use super::columns::{Columns, Kind, Value};
use super::frame::{Rows, Selection, Ticker};
use super::names::{file_stem, UniqueNames, NONE_STEM};
use crate::error::{Error, ErrorKind, Result};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The summary's file name inside the zip, without its extension.
pub const SUMMARY: &str = "summary";

/// One file of a split export.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ExportPart")
)]
pub struct Part {
    /// File name inside the zip.
    pub file: String,
    /// The column's value (`None` for members without one).
    pub value: Option<String>,
    /// Members in the file.
    pub members: u64,
}

/// The rows of `rows` grouped by the value of `by` (a single-column [`Columns`]): groups in
/// value order (UTF-8 bytes), members without a value last.
pub fn groups(rows: &dyn Rows, by: &Columns<'_>) -> Result<Vec<(Option<String>, Vec<usize>)>> {
    if by.cols.len() != 2 {
        return Err(Error::option(
            "splitBy: expected one column other than member_id (one file per member is not a split)",
        ));
    }
    if by.kind(1) == Kind::List {
        return Err(Error::option(format!(
            "splitBy {}: a member has several tags, so tags cannot split an audience; split by a \
             column with one value per member",
            by.headers[1]
        )));
    }
    let mut by_value: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut none = Vec::new();
    for i in 0..rows.len() {
        let v = by.value(1, rows.member(i));
        match v.text().filter(|t| !t.trim().is_empty()) {
            Some(t) => by_value.entry(t.into_owned()).or_default().push(i),
            None => none.push(i),
        }
    }
    let mut out: Vec<(Option<String>, Vec<usize>)> =
        by_value.into_iter().map(|(k, v)| (Some(k), v)).collect();
    if !none.is_empty() {
        out.push((None, none));
    }
    Ok(out)
}

/// Writes each group with `write(rows, value)` into a zip (deflated unless the format is
/// compressed already), with the summary: `summary.xlsx` written by `write` when `ext` is
/// `xlsx`, else `summary.csv`. Returns the zip and its parts.
pub fn zip(
    rows: &dyn Rows,
    groups: Vec<(Option<String>, Vec<usize>)>,
    ext: &str,
    compressed: bool,
    ticker: &mut Ticker,
    mut write: impl FnMut(&dyn Rows, &str, &mut Ticker) -> Result<Vec<u8>>,
) -> Result<(Vec<u8>, Vec<Part>)> {
    let summary_ext = if ext == "xlsx" { "xlsx" } else { "csv" };
    let summary_name = format!("{SUMMARY}.{summary_ext}");
    let zerr = |e: zip::result::ZipError| Error::new(ErrorKind::Io, format!("writing zip: {e}"));
    let ioerr = |e: std::io::Error| Error::new(ErrorKind::Io, format!("writing zip: {e}"));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let store = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut names = UniqueNames::new();
    names.reserve(&summary_name);
    let mut parts = Vec::new();
    for (value, idx) in groups {
        let stem = value.as_deref().map_or(NONE_STEM.to_string(), file_stem);
        let file = names.name(&stem, ext);
        let members = idx.len() as u64;
        let sel = Selection::new(rows, idx);
        let bytes = write(&sel, value.as_deref().unwrap_or(NONE_STEM), ticker)?;
        zip.start_file(file.as_str(), if compressed { store } else { deflate })
            .map_err(zerr)?;
        zip.write_all(&bytes).map_err(ioerr)?;
        parts.push(Part {
            file,
            value,
            members,
        });
    }
    let summary = if summary_ext == "xlsx" {
        // Summary rows are not audience rows: they do not count as progress.
        write(
            &PartRows::new(&parts),
            SUMMARY,
            &mut Ticker::new(0, &mut |_, _| {}),
        )?
    } else {
        summary_csv(&parts)?
    };
    zip.start_file(
        summary_name.as_str(),
        if compressed { store } else { deflate },
    )
    .map_err(zerr)?;
    zip.write_all(&summary).map_err(ioerr)?;
    let cursor = zip.finish().map_err(zerr)?;
    Ok((cursor.into_inner(), parts))
}

/// `file,value,members`, one line per part, Excel-safe (BOM, values neutralised).
fn summary_csv(parts: &[Part]) -> Result<Vec<u8>> {
    use super::columns::Cell;
    let headers = ["file", "value", "members"].map(String::from);
    let rows = parts.iter().map(|p| {
        vec![
            Cell::Text(p.file.clone()),
            p.value.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Value(p.members.to_string()),
        ]
    });
    super::csv::write_csv(&headers, rows, true)
}

/// The summary as typed rows: `file`, `value`, `members`.
struct PartRows<'p> {
    parts: &'p [Part],
    headers: Vec<String>,
    kinds: Vec<Kind>,
}

impl<'p> PartRows<'p> {
    fn new(parts: &'p [Part]) -> Self {
        PartRows {
            parts,
            headers: ["file", "value", "members"].map(String::from).to_vec(),
            kinds: vec![Kind::Text, Kind::Text, Kind::Int],
        }
    }
}

impl Rows for PartRows<'_> {
    fn headers(&self) -> &[String] {
        &self.headers
    }
    fn kinds(&self) -> &[Kind] {
        &self.kinds
    }
    fn len(&self) -> usize {
        self.parts.len()
    }
    /// Summary rows stand for no member.
    fn member(&self, _i: usize) -> u32 {
        0
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        let p = &self.parts[i];
        vec![
            Value::Text(&p.file),
            p.value.as_deref().map_or(Value::Null, Value::Text),
            Value::Int(p.members as i64),
        ]
    }
}
