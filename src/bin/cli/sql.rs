//! `audience-lab sql`: a segment rule, a campaign's groups or a report as one SQL query (DuckDB
//! or Spark) on stdout.

use super::campaign::read_campaign;
use super::inputs::{parse_map, read, Inputs, Scoring};
use audience_lab::campaign::sql::campaign_sql;
use audience_lab::metrics::cohort::Period;
use audience_lab::metrics::segments::SegmentMap;
use audience_lab::segment::parse_segment;
use audience_lab::segment::sql::{compile, report_sql, Dialect, Report, ReportOptions, SqlOptions};
use audience_lab::{Error, Result};
use clap::Args;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;

/// `sql` arguments. Without `--orders` the rule compiles as written over the tables of
/// SPEC §1 with role-named columns; with the exports, names are checked and resolved
/// against them and the tables follow what they hold.
#[derive(Args, Debug)]
pub struct SqlArgs {
    /// The segment rule (SPEC §3 JSON).
    #[arg(
        long,
        required_unless_present_any = ["campaign", "report"],
        conflicts_with_all = ["campaign", "report"]
    )]
    rule: Option<PathBuf>,
    /// A report instead of a segment: rfm, lifecycle, cohort, kpi, migration or trend, one
    /// query returning the columns of that CLI command's output (with that report's options:
    /// --as-of, --method, --period, --by, --from, --to, ...).
    #[arg(long, conflicts_with = "campaign")]
    report: Option<String>,
    /// cohort and trend: month (default), week (ISO) or quarter.
    #[arg(long, default_value = "month")]
    period: String,
    /// migration: the first date (required); trend: the first date (default: the first
    /// order). YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// migration: the second date (default: as_of). YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    /// cohort: first_purchase (default) or join_date; kpi: the split column (an order column
    /// such as store, channel, guide, or a member attribute such as tier; order:NAME or
    /// member:NAME chooses explicitly); migration: stage (default) or segment.
    #[arg(long)]
    by: Option<String>,
    /// A campaign file (SPEC §7 JSON): prints the query of its groups (member_id, stratum,
    /// arm) instead of a segment's.
    #[arg(long)]
    campaign: Option<PathBuf>,
    /// duckdb or spark.
    #[arg(long, default_value = "duckdb")]
    dialect: String,
    /// The orders export (optional: checks the rule against the data).
    #[arg(long)]
    orders: Option<PathBuf>,
    /// The members export.
    #[arg(long)]
    members: Option<PathBuf>,
    /// A member tags export (one row per member and tag).
    #[arg(long)]
    tags: Option<PathBuf>,
    /// Column role override, ROLE=COLUMN (repeatable): the exports' column of a role, and the
    /// warehouse's (the query reads that column: no view needed).
    #[arg(long = "map", value_name = "ROLE=COLUMN")]
    map: Vec<String>,
    /// Reference date (YYYY-MM-DD); defaults to the date of the latest order, in SQL.
    #[arg(long = "as-of")]
    as_of: Option<String>,
    /// Only orders dated in (as_of - N days, as_of] count for RFM, lifecycle and metrics.
    #[arg(long = "window-days", value_name = "N")]
    window_days: Option<u32>,
    /// Lifecycle thresholds (defaults 30, 90, 180).
    #[arg(long = "new-days", value_name = "N")]
    new_days: Option<u32>,
    /// Lifecycle: `dormant` from N days after the last purchase.
    #[arg(long = "dormant-after", value_name = "N")]
    dormant_after: Option<u32>,
    /// Lifecycle: `churned` from N days after the last purchase.
    #[arg(long = "churn-after", value_name = "N")]
    churn_after: Option<u32>,
    #[command(flatten)]
    scoring: Scoring,
    /// Segment map preset: default, klaviyo, shopify or rfm_package.
    #[arg(long = "segment-map", default_value = "default")]
    segment_map: String,
}

/// Compiles the rule and prints the query.
pub fn sql(a: SqlArgs) -> Result<()> {
    let dialect =
        Dialect::parse(&a.dialect).map_err(|e| Error::option(format!("--dialect: {e}")))?;
    let inputs = Inputs {
        orders: a.orders.clone().unwrap_or_default(),
        members: a.members.clone(),
        tags: a.tags.clone(),
        items: None,
        map: a.map.clone(),
        as_of: a.as_of.clone(),
        window_days: a.window_days,
        new_days: a.new_days,
        dormant_after: a.dormant_after,
        churn_after: a.churn_after,
        workers: None,
    };
    let mut opts = a.scoring.apply(inputs.analysis()?)?;
    opts.segment_map = SegmentMap::preset(&a.segment_map)?;
    if a.orders.is_none() && (a.members.is_some() || a.tags.is_some()) {
        return Err(Error::option("--members and --tags need --orders"));
    }
    // `--map` names the exports' columns and, in the query, the warehouse's.
    let columns = parse_map(&a.map)?;
    let without_data = |analysis| SqlOptions {
        dialect,
        analysis,
        columns: columns.clone(),
        ..SqlOptions::default()
    };
    if let Some(path) = &a.campaign {
        let campaign = read_campaign(path)?;
        let query = if a.orders.is_some() {
            inputs
                .session()?
                .campaign_sql(&campaign, dialect, &opts, &columns)
        } else {
            campaign_sql(&campaign, &without_data(opts), &BTreeMap::new(), None)
        }
        .map_err(|e| Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        return print(&query);
    }
    if let Some(name) = &a.report {
        let report = Report::parse(name).map_err(|e| Error::option(format!("--report: {e}")))?;
        let ro = ReportOptions {
            period: Period::parse(&a.period)?,
            by: a.by.clone(),
            from: a
                .from
                .as_deref()
                .map(|t| super::movement::day("--from", t))
                .transpose()?,
            to: a
                .to
                .as_deref()
                .map(|t| super::movement::day("--to", t))
                .transpose()?,
        };
        let query = if a.orders.is_some() {
            inputs
                .session()?
                .report_sql(report, dialect, &opts, &ro, &columns)
        } else {
            report_sql(report, &without_data(opts), &ro, None)
        }?;
        return print(&query);
    }
    let rule = a
        .rule
        .as_deref()
        .unwrap_or(std::path::Path::new("rule.json"));
    let text = read(rule)?;
    let text = String::from_utf8(text)
        .map_err(|_| Error::rule(format!("{}: not UTF-8 text", rule.display())))?;
    let seg = parse_segment(&text).map_err(|e| Error::rule(format!("{}: {e}", rule.display())))?;
    let query = if a.orders.is_some() {
        let mut session = inputs.session()?;
        session.to_sql(&seg, dialect, &opts, &columns)
    } else {
        compile(&seg, &without_data(opts), &BTreeMap::new(), None)
    }
    .map_err(|e| Error::new(e.kind(), format!("{}: {e}", rule.display())))?;
    print(&query)
}

fn print(query: &str) -> Result<()> {
    std::io::stdout()
        .write_all(query.as_bytes())
        .map_err(|e| Error::new(audience_lab::ErrorKind::Io, format!("stdout: {e}")))
}
