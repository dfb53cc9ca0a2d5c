//! One function per CLI command.

use super::inputs::{display, parse_map, read, write, Inputs, Scoring};
use audience_lab::gen::{generate_scaled, GenFormat, GenOptions, Lang};
use audience_lab::load::{self, LoadOptions, TableKind};
use audience_lab::metrics::cohort::{CohortBy, CohortOptions, Period};
use audience_lab::metrics::kpi::KpiOptions;
use audience_lab::metrics::segments::SegmentMap;
use audience_lab::segment::ast::{Node, Segment};
use audience_lab::segment::parse_segment;
use audience_lab::segment::sql::Report;
use audience_lab::{Error, Result};
use clap::Args;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// `gen` arguments.
#[derive(Args, Debug)]
pub struct GenArgs {
    /// Number of members.
    #[arg(long)]
    members: usize,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// en (UTF-8, English headers) or zh (GBK, Chinese headers, ￥ amounts, 2024/3/5 dates).
    #[arg(long, default_value = "en")]
    lang: String,
    /// csv, xlsx, parquet, arrow, arrow-stream or ndjson.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Parquet compression: snappy, gzip, lz4, zstd, brotli or none.
    #[arg(long)]
    compression: Option<String>,
    /// Multiplies every member's purchase rate (default 1; 3 gives about 3x the orders).
    #[arg(long, default_value_t = 1.0)]
    activity: f64,
    /// A campaign file (SPEC §7): its audience's purchases in the window are drawn again,
    /// the treatment group's daily purchase probability multiplied by 1 + --lift.
    #[arg(long)]
    campaign: Option<PathBuf>,
    /// The campaign's true lift of the daily purchase probability (0.2 = 20% more).
    #[arg(long, requires = "campaign", default_value_t = 0.0)]
    lift: f64,
}

pub fn gen(a: GenArgs) -> Result<()> {
    let lang = Lang::parse(&a.lang)
        .ok_or_else(|| Error::option(format!("--lang {}: expected en or zh", a.lang)))?;
    let format = GenFormat::parse(&a.format).ok_or_else(|| {
        Error::option(format!(
            "--format {}: expected csv, xlsx, parquet, arrow, arrow-stream or ndjson",
            a.format
        ))
    })?;
    let opts = GenOptions {
        members: a.members,
        seed: a.seed,
        lang,
        format,
        compression: a.compression.clone(),
    };
    let g = match &a.campaign {
        None => generate_scaled(&opts, a.activity)?,
        Some(path) => {
            let campaign = super::campaign::read_campaign(path)?;
            audience_lab::gen::generate_campaign(&opts, a.activity, &campaign, a.lift)?
        }
    };
    let members = a.out.join(format!("members.{}", g.extension));
    let orders = a.out.join(format!("orders.{}", g.extension));
    write(&members, &g.members)?;
    write(&orders, &g.orders)?;
    eprintln!("wrote {} and {}", members.display(), orders.display());
    Ok(())
}

/// `inspect` arguments.
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The file to inspect.
    file: PathBuf,
    /// orders, members, member_tags or order_items (detected from the columns when not given).
    #[arg(long)]
    kind: Option<String>,
    /// Column role override, ROLE=COLUMN (repeatable).
    #[arg(long = "map", value_name = "ROLE=COLUMN")]
    map: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Text encoding override (utf-8, gbk, gb18030, utf-16le, ...).
    #[arg(long)]
    encoding: Option<String>,
    /// Workbook sheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Format override (csv, tsv, xlsx, parquet, arrow, arrow-stream, ndjson).
    #[arg(long)]
    format: Option<String>,
    /// Field delimiter override for delimited text (, ; | tab).
    #[arg(long)]
    delimiter: Option<String>,
    /// Threads a large CSV file is read with (default: the machine's cores, at most 8).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
}

pub fn inspect(a: InspectArgs) -> Result<()> {
    let bytes = read(&a.file)?;
    let opts = LoadOptions {
        name: display(&a.file),
        mapping: parse_map(&a.map)?,
        lenient_mapping: false,
        encoding: a.encoding.clone(),
        delimiter: a.delimiter.clone(),
        sheet: a.sheet.clone(),
        format: a.format.clone(),
        memory_limit: None,
        workers: Some(a.workers.unwrap_or_else(load::parallel::default_workers)),
    };
    let table = match &a.kind {
        Some(k) => load::load(TableKind::parse(k)?, &bytes, &opts, &mut |_| {})?,
        None => [
            TableKind::Orders,
            TableKind::OrderItems,
            TableKind::MemberTags,
            TableKind::Members,
        ]
        .into_iter()
        .map(|k| load::load(k, &bytes, &opts, &mut |_| {}))
        .find(|r| {
            r.as_ref()
                .is_ok_and(|t| t.kind != TableKind::MemberTags || t.report.columns.len() == 2)
        })
        .unwrap_or_else(|| load::load(TableKind::Members, &bytes, &opts, &mut |_| {}))?,
    };
    let r = &table.report;
    if a.json {
        let json = serde_json::to_string_pretty(r).map_err(|e| Error::option(e.to_string()))?;
        return print(&format!("{json}\n"));
    }
    let mut out = String::new();
    let _ = writeln!(out, "file:      {}", r.name);
    let _ = writeln!(out, "table:     {}", r.kind);
    let _ = writeln!(out, "format:    {}", r.format);
    if !r.encoding.is_empty() {
        let _ = writeln!(out, "encoding:  {} ({})", r.encoding, r.encoding_evidence);
    }
    if !r.delimiter.is_empty() {
        let _ = writeln!(out, "delimiter: {}", r.delimiter);
    }
    let _ = writeln!(
        out,
        "rows:      {} in, {} loaded, {} rejected",
        r.rows_in, r.rows_loaded, r.rows_rejected
    );
    let _ = writeln!(out, "bytes:     {}", r.bytes);
    let _ = writeln!(
        out,
        "columns:   (name, role, confidence and how found, type)"
    );
    for c in &r.columns {
        let how = match (c.confidence, &c.detected_by) {
            (Some(conf), Some(by)) => format!("{conf:.2} {by}"),
            _ => "-".to_string(),
        };
        let role = c.role.as_deref().unwrap_or("-");
        let _ = writeln!(out, "  {:<24} {role:<12} {how:<14} {}", c.name, c.ty);
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning:   {w}");
    }
    if !r.rejected.is_empty() {
        let _ = writeln!(out, "rejected by reason:");
        for rc in &r.rejected {
            let _ = writeln!(out, "  {:>8}  {}", rc.count, rc.reason);
        }
        let _ = writeln!(out, "samples (row, column, value, reason):");
        for s in &r.samples {
            let _ = writeln!(
                out,
                "  {:>8}  {:<16} {:<24} {}",
                s.row,
                s.column,
                format!("{:?}", s.value),
                s.reason
            );
        }
    }
    print(&out)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `rfm` arguments.
#[derive(Args, Debug)]
pub struct RfmArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    scoring: Scoring,
    /// Segment map preset: default, klaviyo, shopify or rfm_package.
    #[arg(long = "segment-map", default_value = "default")]
    segment_map: String,
    /// A user segment map (JSON list of {id, label, labelZh, r: [lo, hi], f: [lo, hi]});
    /// replaces --segment-map.
    #[arg(long = "segment-map-file", value_name = "FILE")]
    segment_map_file: Option<PathBuf>,
    /// Output CSV: member_id,recency_days,frequency,monetary,r,f,m,segment.
    #[arg(long)]
    out: PathBuf,
}

pub fn rfm(a: RfmArgs) -> Result<()> {
    let mut opts = a.scoring.apply(a.inputs.analysis()?)?;
    opts.segment_map = match &a.segment_map_file {
        Some(path) => {
            let text = String::from_utf8(read(path)?)
                .map_err(|_| Error::option(format!("{}: not UTF-8 text", path.display())))?;
            SegmentMap::from_json(&text)
                .map_err(|e| Error::option(format!("{}: {e}", path.display())))?
        }
        None => SegmentMap::preset(&a.segment_map)?,
    };
    let mut session = a.inputs.session()?;
    let buyers = Segment {
        version: 1,
        name: "buyers".into(),
        rule: Node::Metric {
            name: "frequency".into(),
            ops: vec![audience_lab::segment::ast::Op::Gte(1.into())],
        },
    };
    // The report's columns after member_id (the same as `sql --report rfm` returns).
    let columns: Vec<String> = Report::Rfm.columns()[1..]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let csv = session.export_csv(&buyers, &columns, &opts, false)?;
    write(&a.out, &csv)
}

/// `lifecycle` arguments.
#[derive(Args, Debug)]
pub struct LifecycleArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Also print the summary (members per stage and per onboarding bucket) as JSON on stdout.
    #[arg(long)]
    summary: bool,
    /// Output CSV: member_id,stage.
    #[arg(long)]
    out: PathBuf,
}

pub fn lifecycle(a: LifecycleArgs) -> Result<()> {
    let mut session = a.inputs.session()?;
    let opts = a.inputs.analysis()?;
    if a.summary {
        print_json(&session.lifecycle(&opts)?)?;
    }
    let everyone = Segment {
        version: 1,
        name: "all".into(),
        rule: Node::All(Vec::new()),
    };
    let csv = session.export_csv(&everyone, &["stage".to_string()], &opts, false)?;
    write(&a.out, &csv)
}

/// `cohort` arguments.
#[derive(Args, Debug)]
pub struct CohortArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// month (default; cohort label 2024-03), week (ISO week, 2024-W09) or quarter (2024-Q1).
    #[arg(long, default_value = "month")]
    period: String,
    /// first_purchase (default) or join_date (needs --members with a join date).
    #[arg(long, default_value = "first_purchase")]
    by: String,
    /// Output CSV: cohort,period,size,active,retention,revenue (period = index k from 0).
    #[arg(long)]
    out: PathBuf,
}

pub fn cohort(a: CohortArgs) -> Result<()> {
    let opts = a.inputs.analysis()?;
    let cohort = CohortOptions {
        period: Period::parse(&a.period)?,
        by: CohortBy::parse(&a.by)?,
    };
    let mut session = a.inputs.session()?;
    let table = session.cohorts(&opts, &cohort)?;
    write(&a.out, &table.to_csv())
}

/// `kpi` arguments.
#[derive(Args, Debug)]
pub struct KpiArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Split by one column: an order column (store, channel, guide, ...) or a member
    /// attribute (tier, ...); order:NAME or member:NAME chooses explicitly.
    #[arg(long)]
    by: Option<String>,
    /// Also the period rates over (D, as_of] (reactivation, churn-in, new-to-repeat).
    #[arg(long = "compare-to", value_name = "D")]
    compare_to: Option<String>,
}

pub fn kpi(a: KpiArgs) -> Result<()> {
    let opts = a.inputs.analysis()?;
    let compare = a
        .compare_to
        .as_deref()
        .map(|t| super::movement::day("--compare-to", t))
        .transpose()?;
    let mut session = a.inputs.session()?;
    let mut kpis = session.kpis(&opts, &KpiOptions { by: a.by.clone() })?;
    if let Some(d) = compare {
        kpis.rates = Some(session.period_rates(d, &opts)?);
    }
    print_json(&kpis)
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(|e| Error::option(e.to_string()))?;
    print(&format!("{json}\n"))
}

/// `segment` arguments.
#[derive(Args, Debug)]
pub struct SegmentArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The segment rule (SPEC §3 JSON).
    #[arg(long)]
    rule: PathBuf,
    /// Extra columns after member_id, comma-separated (e.g. phone,segment).
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    /// RFM scoring for rfm nodes: quantile or ntile.
    #[arg(long, default_value = "quantile")]
    method: String,
    /// Output CSV, member_id first.
    #[arg(long)]
    out: PathBuf,
}

pub fn segment(a: SegmentArgs) -> Result<()> {
    let text = read(&a.rule)?;
    let text = String::from_utf8(text)
        .map_err(|_| Error::rule(format!("{}: not UTF-8 text", a.rule.display())))?;
    let seg =
        parse_segment(&text).map_err(|e| Error::rule(format!("{}: {e}", a.rule.display())))?;
    let mut session = a.inputs.session()?;
    let opts = a
        .inputs
        .analysis()?
        .with_method(&a.method, [None, None, None])?;
    let csv = session.export_csv(&seg, &a.columns, &opts, false)?;
    write(&a.out, &csv)
}

/// `vocabulary`: the vocabulary as JSON on stdout.
pub fn vocabulary() -> Result<()> {
    print_json(&audience_lab::vocabulary::vocabulary()?)
}
