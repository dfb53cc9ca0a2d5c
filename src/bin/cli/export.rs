//! The `export` command: an audience as CSV, XLSX, Parquet, Arrow IPC or JSON, split into a
//! zip on request, or as a hashed ad-platform list.

use super::inputs::{read, write, Inputs};
use audience_lab::export::ads::phone::Country;
use audience_lab::export::ads::{Platform, ProfileOptions};
use audience_lab::export::{ExportOptions, Format};
use audience_lab::segment::parse_segment;
use audience_lab::{Error, Result};
use clap::Args;
use std::path::{Path, PathBuf};

/// `export` arguments.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The segment rule (SPEC §3 JSON).
    #[arg(long)]
    rule: PathBuf,
    /// A segment library (`{"version": 1, "segments": [...]}`) whose segments the rule may
    /// name with `{"segment": "NAME"}`.
    #[arg(long)]
    library: Option<PathBuf>,
    /// csv (UTF-8 with BOM, formula-safe), xlsx, parquet, arrow, json or ndjson.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Columns after member_id, comma-separated (e.g. recency_days,monetary,segment,guide).
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    /// One file per value of this column (guide, store, city, tier, ...), zipped with
    /// a summary of counts (summary.xlsx in an XLSX split, else summary.csv).
    #[arg(long = "split-by", value_name = "COLUMN")]
    split_by: Option<String>,
    /// An ad-platform list of hashed emails and phones: meta, google or tiktok (CSV). The
    /// match-key quality report is printed on stdout as JSON.
    #[arg(long)]
    profile: Option<String>,
    /// Country of phone numbers written without a country code (ISO code or +code).
    #[arg(long = "default-country", default_value = "CN")]
    default_country: String,
    /// Output file (a zip with --split-by).
    #[arg(long)]
    out: PathBuf,
}

/// Reads a UTF-8 text file, naming it on failure.
fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read(path)?)
        .map_err(|_| Error::rule(format!("{}: not UTF-8 text", path.display())))
}

/// The creation time of XLSX files: `SOURCE_DATE_EPOCH` (reproducible files) or now.
fn created() -> Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse().map(Some).map_err(|_| {
            Error::option(format!(
                "SOURCE_DATE_EPOCH=\"{v}\": expected seconds since 1970-01-01"
            ))
        }),
        Err(_) => Ok(None),
    }
}

pub fn export(a: ExportArgs) -> Result<()> {
    let seg = parse_segment(&read_text(&a.rule)?)
        .map_err(|e| Error::rule(format!("{}: {e}", a.rule.display())))?;
    let (format, ndjson) = Format::parse(&a.format).map_err(|e| Error::option(format!("--{e}")))?;
    let profile = match &a.profile {
        Some(p) => Some(ProfileOptions {
            platform: Platform::parse(p).map_err(|e| Error::option(format!("--{e}")))?,
            country: Country::parse(&a.default_country).map_err(|e| {
                Error::option(
                    e.message()
                        .replacen("default country", "--default-country", 1),
                )
            })?,
        }),
        None => None,
    };
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    if let Some(lib) = &a.library {
        session
            .import_segments(&read_text(lib)?)
            .map_err(|e| Error::new(e.kind(), format!("{}: {e}", lib.display())))?;
    }
    let export = ExportOptions {
        format,
        ndjson,
        columns: a.columns.clone(),
        split_by: a.split_by.clone(),
        profile,
        name: seg.name.clone(),
        created: created()?,
    };
    let file = session.export_file(&seg, &export, &opts, &mut |_, _| {})?;
    write(&a.out, &file.bytes)?;
    if let Some(report) = &file.report {
        let json =
            serde_json::to_string_pretty(report).map_err(|e| Error::option(e.to_string()))?;
        println!("{json}");
    }
    Ok(())
}
