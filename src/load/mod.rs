//! Loading: bytes → decoded text → raw string columns → typed Arrow record batches, with
//! every row accounted for (loaded or rejected with a reason).

pub mod coerce;
mod columnar;
pub mod csv;
pub mod decode;
pub mod format;
mod ndjson;
pub mod raw;
pub mod report;
pub mod roles;
mod tables;
mod xlsx;

pub use raw::RawTable;

pub use report::{ColumnReport, LoadReport, ReasonCount, RejectSample, Rejections};

use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

/// The three logical tables of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// One row per order (required).
    Orders,
    /// One row per member, with attributes and an optional tags column.
    Members,
    /// One row per member and tag (long format).
    MemberTags,
}

impl TableKind {
    /// The name used in the API: `orders`, `members`, `member_tags`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Orders => "orders",
            TableKind::Members => "members",
            TableKind::MemberTags => "member_tags",
        }
    }

    /// Parses an API name (`tags` is accepted for `member_tags`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "orders" => Ok(TableKind::Orders),
            "members" => Ok(TableKind::Members),
            "member_tags" | "tags" => Ok(TableKind::MemberTags),
            other => Err(Error::option(format!(
                "unknown table kind \"{other}\" (expected orders, members or member_tags)"
            ))),
        }
    }
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The file name, used in messages and the report.
    pub name: String,
    /// Role → column name overrides (SPEC §1 role names).
    pub mapping: BTreeMap<String, String>,
    /// Skip mapping entries whose role is not of this table or whose column is not in the
    /// file (the CLI applies one `--map` list to every input file).
    pub lenient_mapping: bool,
    /// Text encoding override (a WHATWG label such as `gbk`, `utf-8`, `utf-16le`).
    pub encoding: Option<String>,
    /// The sheet of a workbook to read (default: the first).
    pub sheet: Option<String>,
    /// Format override (`csv`, `xlsx`, `parquet`, `arrow`, `arrow-stream`, `ndjson`).
    pub format: Option<String>,
}

/// A loaded table: typed Arrow columns plus the report of the load.
#[derive(Debug, Clone)]
pub struct Table {
    /// Which table this is.
    pub kind: TableKind,
    /// The typed columns. Role columns are named by role (`member_id`, `order_day`,
    /// `amount_cents`, ...); other columns keep their header names.
    pub batch: RecordBatch,
    /// What the load found and did.
    pub report: LoadReport,
}

/// Loads one table from file bytes. `progress` receives a fraction in [0, 1].
pub fn load(
    kind: TableKind,
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    let file = if opts.name.is_empty() {
        kind.name()
    } else {
        opts.name.as_str()
    };
    progress(0.0);
    let format = match &opts.format {
        Some(f) => format::Format::parse(f)
            .ok_or_else(|| Error::option(format!("{file}: unknown format \"{f}\"")))?,
        None => format::detect(bytes),
    };
    let mut rejections = Rejections::default();
    let mut report = LoadReport {
        kind: kind.name().to_string(),
        name: file.to_string(),
        format: format.name().to_string(),
        encoding: String::new(),
        encoding_evidence: String::new(),
        delimiter: String::new(),
        rows_in: 0,
        rows_loaded: 0,
        rows_rejected: 0,
        rejected: Vec::new(),
        samples: Vec::new(),
        columns: Vec::new(),
    };
    let mut parse_progress = |f: f64| progress(0.05 + 0.75 * f);
    let raw = match format {
        format::Format::Csv | format::Format::Ndjson => {
            let decoded = decode::decode_with(bytes, opts.encoding.as_deref())
                .map_err(|e| Error::option(format!("{file}: {e}")))?;
            report.encoding = decoded.encoding.to_string();
            report.encoding_evidence = decoded.evidence;
            if format == format::Format::Csv {
                let delimiter = csv::detect_delimiter(&decoded.text);
                report.delimiter = csv::delimiter_name(delimiter).to_string();
                csv::parse(
                    &decoded.text,
                    delimiter,
                    file,
                    &mut rejections,
                    &mut parse_progress,
                )?
            } else {
                ndjson::parse(&decoded.text, file, &mut rejections, &mut parse_progress)?
            }
        }
        format::Format::Xlsx => xlsx::parse(
            bytes,
            opts.sheet.as_deref(),
            file,
            &mut rejections,
            &mut parse_progress,
        )?,
        format::Format::Parquet => {
            columnar::parquet(bytes, file, &mut rejections, &mut parse_progress)?
        }
        format::Format::ArrowFile | format::Format::ArrowStream => columnar::ipc(
            bytes,
            format == format::Format::ArrowStream,
            file,
            &mut rejections,
            &mut parse_progress,
        )?,
    };
    progress(0.8);
    let roles = roles::assign_roles(
        kind,
        &raw.headers,
        &opts.mapping,
        file,
        opts.lenient_mapping,
    )?;
    let batch = tables::build(
        kind,
        &raw,
        &roles,
        file,
        &mut rejections,
        &mut report.columns,
    )?;
    report.set_rows(raw.rows_in, rejections);
    if report.rows_loaded != batch.num_rows() as u64 {
        return Err(Error::new(
            crate::error::ErrorKind::Internal,
            format!(
                "{file}: row accounting broke: {} loaded, {} in the table",
                report.rows_loaded,
                batch.num_rows()
            ),
        ));
    }
    progress(1.0);
    Ok(Table {
        kind,
        batch,
        report,
    })
}
