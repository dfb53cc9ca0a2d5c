//! A preview of a file before it is loaded: format, encoding and delimiter, the columns with
//! the roles they would get (and how sure that is), and the first rows as text, so the user
//! can correct the mapping before committing the load.

use super::cell::Row;
use super::csv::delimiter_name;
use super::format::Format;
use super::infer::plain_number;
use super::loader::{Head, Loader};
use super::read::read_of_role;
use super::report::ColumnReport;
use super::roles::{required_roles, role_names};
use super::table::{LoadOptions, TableKind};
use crate::error::{Error, Result};
use serde::Serialize;

/// What a file looks like before it is loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// `orders`, `members`, `member_tags` or `order_items`.
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "TableKind"))]
    pub kind: String,
    /// The file name.
    pub name: String,
    /// The detected format.
    pub format: String,
    /// The detected encoding (text formats).
    pub encoding: String,
    /// Why that encoding.
    pub encoding_evidence: String,
    /// Why that encoding, in Chinese.
    pub encoding_evidence_zh: String,
    /// The detected delimiter (CSV).
    pub delimiter: String,
    /// The columns.
    pub columns: Vec<ColumnReport>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
    /// The roles this table can have (SPEC §1).
    pub roles: Vec<String>,
    /// Required roles no column has yet.
    pub missing: Vec<String>,
    /// The platform export layout the columns match (SPEC §1.1), if recognised.
    pub platform: Option<super::report::ShopPlatform>,
}

/// Previews the head of a file (`complete` when `head` is the whole file); shows up to `rows`
/// rows. Binary formats (XLSX, Parquet, Arrow) need the whole file.
pub fn preview(
    kind: TableKind,
    head: &[u8],
    complete: bool,
    opts: &LoadOptions,
    rows: usize,
) -> Result<Preview> {
    let mut loader = Loader::new(kind, opts)?.preview_only(rows);
    loader.push(head)?;
    let Head {
        sink,
        format,
        encoding,
        delimiter,
    } = loader.finish_preview(complete)?;
    let file = if opts.name.is_empty() {
        kind.name()
    } else {
        opts.name.as_str()
    };
    let Some(headers) = sink.headers().map(<[String]>::to_vec) else {
        return Err(Error::parse(format!("{file}: the file is empty")));
    };
    let assigned = sink.roles()?;
    let platform = sink.layout().map(super::platform::Layout::platform);
    let sample = sink.sample();
    let mut buf = String::new();
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let a = assigned.iter().find(|a| a.column == i);
            let ty = match a {
                Some(a) => read_of_role(kind, a.role).type_name(),
                None if kind == TableKind::Members => value_type(
                    sample
                        .iter()
                        .map(|(_, r)| r.as_slice().cell(i).text(&mut String::new()).to_string()),
                ),
                None => "string",
            };
            ColumnReport {
                name: name.clone(),
                role: a.map(|a| a.role.to_string()),
                confidence: a.map(|a| a.confidence),
                detected_by: a.map(|a| a.how.to_string()),
                ty: ty.to_string(),
            }
        })
        .collect();
    let required = required_roles(kind);
    Ok(Preview {
        kind: kind.name().to_string(),
        name: file.to_string(),
        format: format.name().to_string(),
        encoding: encoding.as_ref().map_or("", |e| e.name).to_string(),
        encoding_evidence: encoding
            .as_ref()
            .map_or(String::new(), |e| e.evidence.clone()),
        encoding_evidence_zh: encoding
            .as_ref()
            .map_or(String::new(), |e| e.evidence_zh.clone()),
        delimiter: match (format, delimiter) {
            (Format::Csv, Some(d)) => delimiter_name(d).to_string(),
            _ => String::new(),
        },
        columns,
        rows: sample
            .iter()
            .map(|(_, r)| {
                (0..headers.len())
                    .map(|i| r.as_slice().cell(i).text(&mut buf).to_string())
                    .collect()
            })
            .collect(),
        roles: role_names(kind).into_iter().map(String::from).collect(),
        missing: required
            .iter()
            .filter(|r| !assigned.iter().any(|a| a.role == **r))
            .map(|r| r.to_string())
            .collect(),
        platform,
    })
}

/// The type an attribute's sample values suggest.
fn value_type(values: impl Iterator<Item = String>) -> &'static str {
    let values: Vec<String> = values.filter(|v| !v.trim().is_empty()).collect();
    if values.is_empty() {
        "string"
    } else if values.iter().all(|v| plain_number(v.trim()).is_some()) {
        "number"
    } else if values
        .iter()
        .all(|v| super::coerce::parse_date(v).is_some())
    {
        "date"
    } else {
        "string"
    }
}
