//! A preview of a file before it is loaded: format, encoding and delimiter, the columns with
//! the roles they would get (and how sure that is), and the first rows as text, so the user
//! can correct the mapping before committing the load.

use super::cell::Row;
use super::csv::{delimiter_name, detect_delimiter, parse_delimiter, CsvStream};
use super::decode::TextDecoder;
use super::format::{detect as detect_format, Format};
use super::infer::plain_number;
use super::ndjson::NdjsonStream;
use super::read::read_of_role;
use super::roles::role_names;
use super::sink::{RoleOptions, Sink};
use super::table::{LoadOptions, TableKind};
use super::{columnar, xlsx};
use crate::error::{Error, Result};
use serde::Serialize;

/// One column of a preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewColumn {
    /// The header.
    pub name: String,
    /// The role it would get, if any.
    pub role: Option<String>,
    /// How sure (see [`super::ColumnReport::confidence`]).
    pub confidence: Option<f64>,
    /// `mapping`, `header` or `values`.
    pub detected_by: Option<String>,
    /// How its values would be read.
    #[serde(rename = "type")]
    pub ty: String,
}

/// What a file looks like before it is loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// `orders`, `members` or `member_tags`.
    pub kind: String,
    /// The file name.
    pub name: String,
    /// The detected format.
    pub format: String,
    /// The detected encoding (text formats).
    pub encoding: String,
    /// Why that encoding.
    pub encoding_evidence: String,
    /// The detected delimiter (CSV).
    pub delimiter: String,
    /// The columns.
    pub columns: Vec<PreviewColumn>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
    /// The roles this table can have (SPEC §1).
    pub roles: Vec<String>,
    /// Required roles no column has yet.
    pub missing: Vec<String>,
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
    let file = if opts.name.is_empty() {
        kind.name()
    } else {
        opts.name.as_str()
    };
    let format = match &opts.format {
        Some(f) => Format::parse(f)
            .ok_or_else(|| Error::option(format!("{file}: unknown format \"{f}\"")))?,
        None => detect_format(head),
    };
    let roles = RoleOptions {
        mapping: opts.mapping.clone(),
        lenient: opts.lenient_mapping,
    };
    let (mut encoding, mut evidence, mut delim) = (String::new(), String::new(), String::new());
    let sink = match format {
        Format::Csv | Format::Ndjson => {
            let enc = super::loader::text_encoding(file, head, opts.encoding.as_deref(), complete)?;
            (encoding, evidence) = (enc.name.to_string(), enc.evidence.clone());
            let mut decoder = TextDecoder::new(&enc);
            let text = decoder.decode(head, complete);
            if format == Format::Ndjson {
                let mut sink = Sink::new(kind, file, roles, ",").preview_only(rows);
                let mut nd = NdjsonStream::default();
                nd.feed(text, &mut sink, file)?;
                nd.flush_head(&mut sink, file)?;
                sink
            } else {
                let d = match &opts.delimiter {
                    Some(d) => parse_delimiter(d).ok_or_else(|| {
                        Error::option(format!("{file}: unknown delimiter \"{d}\""))
                    })?,
                    None if opts.format.as_deref() == Some("tsv") => b'\t',
                    None => detect_delimiter(text),
                };
                delim = delimiter_name(d).to_string();
                let mut sink = Sink::new(kind, file, roles, delimiter_name(d)).preview_only(rows);
                let mut csv = CsvStream::new(d);
                csv.feed(text, &mut sink, file)?;
                if complete {
                    csv.feed(&[], &mut sink, file)?;
                }
                sink
            }
        }
        _ => {
            if !complete {
                return Err(Error::option(format!(
                    "{file}: a {} preview needs the whole file",
                    format.name()
                )));
            }
            let mut sink = Sink::new(kind, file, roles, "\t").preview_only(rows);
            let mut ignore = |_| {};
            match format {
                Format::Xlsx => xlsx::read(head, opts.sheet.as_deref(), file, &mut sink)?,
                Format::Parquet => {
                    columnar::read_parquet(head.to_vec(), file, &mut sink, &mut ignore)?
                }
                _ => columnar::read_ipc(
                    head,
                    format == Format::ArrowStream,
                    file,
                    &mut sink,
                    &mut ignore,
                )?,
            }
            sink
        }
    };
    let Some(headers) = sink.headers().map(<[String]>::to_vec) else {
        return Err(Error::parse(format!("{file}: the file is empty")));
    };
    let assigned = sink.roles()?;
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
            PreviewColumn {
                name: name.clone(),
                role: a.map(|a| a.role.to_string()),
                confidence: a.map(|a| a.confidence),
                detected_by: a.map(|a| a.how.to_string()),
                ty: ty.to_string(),
            }
        })
        .collect();
    let required: &[&str] = match kind {
        TableKind::Orders => &["member_id", "order_time", "amount"],
        TableKind::Members => &["member_id"],
        TableKind::MemberTags => &["member_id", "tag"],
    };
    Ok(Preview {
        kind: kind.name().to_string(),
        name: file.to_string(),
        format: format.name().to_string(),
        encoding,
        encoding_evidence: evidence,
        delimiter: delim,
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
