//! The `export` command: an audience as CSV, XLSX, Parquet, Arrow IPC or JSON, split into a
//! zip on request, or as a hashed ad-platform list.

use super::inputs::{read, write, Inputs};
use audience_lab::api;
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
pub fn read_text(path: &Path) -> Result<String> {
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

/// The export options of the flags `--format`, `--columns`, `--split-by`, `--profile` and
/// `--default-country`, read as the JS API reads the same options (names and aliases the
/// CLI has always taken are mapped to the API's); errors name the flags.
pub fn export_options(
    format: &str,
    columns: &[String],
    split_by: Option<&str>,
    profile: Option<&str>,
    default_country: &str,
    name: &str,
) -> Result<audience_lab::export::ExportOptions> {
    let id = |flag: &str, value: &str| -> Result<serde_json::Value> {
        let id = match (flag, value.trim().to_ascii_lowercase().as_str()) {
            ("format", "excel") => "xlsx".to_string(),
            ("format", "ipc" | "feather") => "arrow".to_string(),
            ("format", "jsonl") => "ndjson".to_string(),
            ("profile", "facebook") => "meta".to_string(),
            (_, v) => v.to_string(),
        };
        let known: Vec<&str> = match flag {
            "format" => api::ExportFormat::ALL.iter().map(|f| f.id()).collect(),
            _ => api::AdPlatform::ALL.iter().map(|p| p.id()).collect(),
        };
        if !known.contains(&id.as_str()) {
            let (last, rest) = known.split_last().unwrap_or((&"", &[]));
            return Err(Error::option(format!(
                "--{flag} \"{value}\": expected {} or {last}",
                rest.join(", ")
            )));
        }
        Ok(serde_json::Value::String(id))
    };
    let mut wire = serde_json::json!({
        "format": id("format", format)?,
        "columns": columns,
        "splitBy": split_by,
        "defaultCountry": default_country,
        "name": name,
    });
    if let Some(p) = profile {
        wire["profile"] = id("profile", p)?;
    }
    let flags = |e: Error| {
        let m = e.message().replace("default country", "--default-country");
        Error::new(e.kind(), m)
    };
    let export: api::ExportOptions = api::read(wire, "export").map_err(flags)?;
    export.export(created()?).map_err(flags)
}

pub fn export(a: ExportArgs) -> Result<()> {
    let seg = parse_segment(&read_text(&a.rule)?)
        .map_err(|e| Error::rule(format!("{}: {e}", a.rule.display())))?;
    let export = export_options(
        &a.format,
        &a.columns,
        a.split_by.as_deref(),
        a.profile.as_deref(),
        &a.default_country,
        &seg.name,
    )?;
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    if let Some(lib) = &a.library {
        session
            .import_segments(&read_text(lib)?)
            .map_err(|e| Error::new(e.kind(), format!("{}: {e}", lib.display())))?;
    }
    let file = session.export_file(&seg, &export, &opts, &mut |_, _| {})?;
    write(&a.out, &file.bytes)?;
    if let Some(report) = &file.report {
        let json =
            serde_json::to_string_pretty(report).map_err(|e| Error::option(e.to_string()))?;
        println!("{json}");
    }
    Ok(())
}
