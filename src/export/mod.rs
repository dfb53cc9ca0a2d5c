//! Exports of an audience (SPEC §4): member ids plus chosen columns as CSV, XLSX, Parquet,
//! Arrow IPC or JSON; one file per value of a column in a zip; ad-platform lists (Meta,
//! Google, TikTok) with hashed match keys; segment definitions as JSON.

pub mod ads;
pub mod arrow;
pub mod clv;
pub mod columns;
pub mod csv;
pub mod frame;
pub mod ipc;
pub mod json;
pub mod library;
pub mod names;
pub mod parquet;
pub mod split;
pub mod xlsx;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::metrics::Analysis;
use ads::{profile_rows, MatchReport, ProfileOptions};
use columns::Columns;
use frame::{AudienceRows, Rows, Ticker};
use roaring::RoaringBitmap;
use serde::Serialize;

/// The members of `audience` sorted by member id (UTF-8 byte order).
pub fn sorted_members(ds: &Dataset, audience: &RoaringBitmap) -> Vec<u32> {
    let mut members: Vec<u32> = audience.iter().collect();
    members.sort_unstable_by(|&a, &b| ds.id(a).as_bytes().cmp(ds.id(b).as_bytes()));
    members
}

/// An audience as CSV: `member_id` then `columns`, rows sorted by member id. `excel_safe`
/// adds the BOM and formula neutralisation of SPEC §4; without it the output is the plain
/// CSV of the CLI (SPEC §5).
pub fn audience_csv(
    ds: &Dataset,
    an: &Analysis,
    audience: &RoaringBitmap,
    columns: &[String],
    excel_safe: bool,
) -> Result<Vec<u8>> {
    let cols = Columns::new(ds, an, columns)?;
    let rows = AudienceRows::new(&cols, sorted_members(ds, audience));
    csv::write_rows(&rows, excel_safe, &mut Ticker::new(0, &mut |_, _| {}))
}

/// The export formats with their labels (`ndjson` is JSON lines).
pub const FORMATS: [crate::text::Word; 6] = [
    crate::text::Word::new("csv", "CSV (opens in Excel)", "CSV（可用 Excel 打开）"),
    crate::text::Word::new("xlsx", "Excel workbook", "Excel 工作簿"),
    crate::text::Word::new("parquet", "Parquet", "Parquet"),
    crate::text::Word::new("arrow", "Arrow IPC", "Arrow IPC"),
    crate::text::Word::new("json", "JSON", "JSON"),
    crate::text::Word::new(
        "ndjson",
        "NDJSON (one object per line)",
        "NDJSON（每行一个对象）",
    ),
];

/// An export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-safe (plain for ad lists).
    #[default]
    Csv,
    /// An Excel workbook with typed cells.
    Xlsx,
    /// Parquet with typed columns (zstd).
    Parquet,
    /// Arrow IPC file.
    Arrow,
    /// JSON: an array of objects, or NDJSON.
    Json,
}

impl Format {
    /// Parses `csv`, `xlsx`, `parquet`, `arrow` or `json` (`ndjson` is JSON lines: the
    /// second value says so).
    pub fn parse(name: &str) -> Result<(Format, bool)> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "csv" => (Format::Csv, false),
            "xlsx" | "excel" => (Format::Xlsx, false),
            "parquet" => (Format::Parquet, false),
            "arrow" | "ipc" | "feather" => (Format::Arrow, false),
            "json" => (Format::Json, false),
            "ndjson" | "jsonl" => (Format::Json, true),
            _ => {
                return Err(Error::option(format!(
                    "format \"{name}\": expected csv, xlsx, parquet, arrow or json"
                )))
            }
        })
    }

    /// The file extension (`ndjson` for JSON lines).
    pub fn extension(self, ndjson: bool) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
            Format::Json if ndjson => "ndjson",
            Format::Json => "json",
        }
    }

    /// The media type.
    pub fn mime(self, ndjson: bool) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Parquet => "application/vnd.apache.parquet",
            Format::Arrow => "application/vnd.apache.arrow.file",
            Format::Json if ndjson => "application/x-ndjson",
            Format::Json => "application/json",
        }
    }

    /// Whether the format is compressed already (stored, not deflated, in a zip).
    fn compressed(self) -> bool {
        matches!(self, Format::Xlsx | Format::Parquet)
    }
}

/// What to export and how.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The file format.
    pub format: Format,
    /// JSON as NDJSON (one object per line).
    pub ndjson: bool,
    /// Columns after `member_id` (not used by ad-platform lists).
    pub columns: Vec<String>,
    /// One file per value of this column, zipped.
    pub split_by: Option<String>,
    /// An ad-platform list instead of the columns (CSV only).
    pub profile: Option<ProfileOptions>,
    /// The name files and sheets are named after (the segment's name).
    pub name: String,
    /// The creation time written into XLSX files, in seconds since 1970-01-01 UTC (the CLI
    /// passes `SOURCE_DATE_EPOCH` or now, the browser now); `None` writes the clock's time.
    pub created: Option<i64>,
}

/// An exported file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(rename = "ExportMeta")
)]
pub struct ExportFile {
    /// The file's bytes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// A file name made from the segment name (`win back.csv`, `win back-by-guide.zip`).
    pub filename: String,
    /// The media type.
    pub mime: String,
    /// Rows written (over every file of a split).
    pub rows: u64,
    /// The files of a split export (empty otherwise).
    pub parts: Vec<split::Part>,
    /// The match-key report of an ad-platform list.
    pub report: Option<MatchReport>,
}

/// Exports `audience` (rows sorted by member id). `progress(done, total)` hears of the rows
/// written.
pub fn export(
    ds: &Dataset,
    an: &Analysis,
    audience: &RoaringBitmap,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportFile> {
    if opts.profile.is_some() && opts.format != Format::Csv {
        return Err(Error::option(format!(
            "profile: ad-platform lists are CSV files (what Meta, Google and TikTok take), not {}",
            opts.format.extension(opts.ndjson)
        )));
    }
    let members = sorted_members(ds, audience);
    let split_by = match &opts.split_by {
        Some(s) if !s.trim().is_empty() => Some(Columns::new(ds, an, std::slice::from_ref(s))?),
        _ => None,
    };
    let stem = names::file_stem(if opts.name.trim().is_empty() {
        "audience"
    } else {
        &opts.name
    });
    match &opts.profile {
        Some(p) => {
            let rows = profile_rows(ds, &members, p)?;
            let stem = format!("{stem}-{}", p.platform.name());
            let mut file = write_file(&rows, opts, split_by.as_ref(), &stem, progress)?;
            file.report = Some(rows.report);
            Ok(file)
        }
        None => {
            let cols = Columns::new(ds, an, &opts.columns)?;
            let rows = AudienceRows::new(&cols, members);
            write_file(&rows, opts, split_by.as_ref(), &stem, progress)
        }
    }
}

/// Writes `rows` in `opts.format`, one file or a zip of one file per value of `split_by`.
fn write_file(
    rows: &dyn Rows,
    opts: &ExportOptions,
    split_by: Option<&Columns<'_>>,
    stem: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportFile> {
    let ext = opts.format.extension(opts.ndjson);
    let mut ticker = Ticker::new(rows.len() as u64, progress);
    let mut write = |r: &dyn Rows, name: &str, t: &mut Ticker| -> Result<Vec<u8>> {
        match opts.format {
            // Ad-platform lists are plain CSV: their uploaders want the bare header names.
            Format::Csv => csv::write_rows(r, opts.profile.is_none(), t),
            Format::Xlsx => xlsx::write(r, name, opts.created, t),
            Format::Parquet => parquet::write(r, t),
            Format::Arrow => ipc::write(r, t),
            Format::Json => json::write(r, opts.ndjson, t),
        }
    };
    let file = match split_by {
        None => ExportFile {
            bytes: write(rows, &opts.name, &mut ticker)?,
            filename: format!("{stem}.{ext}"),
            mime: opts.format.mime(opts.ndjson).to_string(),
            rows: rows.len() as u64,
            parts: Vec::new(),
            report: None,
        },
        Some(by) => {
            let groups = split::groups(rows, by)?;
            let (bytes, parts) = split::zip(
                rows,
                groups,
                ext,
                opts.format.compressed(),
                &mut ticker,
                &mut write,
            )?;
            let by_name = names::file_stem(&by.headers[1]);
            ExportFile {
                bytes,
                filename: format!("{stem}-by-{by_name}.zip"),
                mime: "application/zip".to_string(),
                rows: rows.len() as u64,
                parts,
                report: None,
            }
        }
    };
    ticker.finish();
    Ok(file)
}
