//! Movement over time (SPEC §6): `migration` and `trend`, and the dates they take.

use super::inputs::{write, Inputs};
use audience_lab::load::coerce::parse_date;
use audience_lab::metrics::cohort::Period;
use audience_lab::metrics::movement::By;
use audience_lab::{Error, Result};
use clap::Args;
use std::path::PathBuf;

/// A date flag's value as a day, or an error naming the flag and the value.
pub fn day(flag: &str, text: &str) -> Result<i32> {
    parse_date(text).ok_or_else(|| Error::option(format!("{flag}: not a date: \"{text}\"")))
}

/// `migration` arguments.
#[derive(Args, Debug)]
pub struct MigrationArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The first date (YYYY-MM-DD).
    #[arg(long)]
    from: String,
    /// The second date (default: as_of).
    #[arg(long)]
    to: Option<String>,
    /// stage (lifecycle stages, default) or segment (RFM segments).
    #[arg(long, default_value = "stage")]
    by: String,
    /// Output CSV: from_state,to_state,members,revenue (states include not_yet).
    #[arg(long)]
    out: PathBuf,
}

/// Members by their lifecycle stage or RFM segment at two dates.
pub fn migration(a: MigrationArgs) -> Result<()> {
    let by = By::parse(&a.by).map_err(|e| Error::option(format!("--{e}")))?;
    let from = day("--from", &a.from)?;
    let to = a.to.as_deref().map(|t| day("--to", t)).transpose()?;
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    let m = session.migration(from, to, by, &opts)?;
    write(&a.out, &m.to_csv())
}

/// `trend` arguments.
#[derive(Args, Debug)]
pub struct TrendArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// month (default), week (ISO, ending on Sunday) or quarter.
    #[arg(long, default_value = "month")]
    period: String,
    /// First date (default: the first order).
    #[arg(long)]
    from: Option<String>,
    /// Output CSV: date,not_yet,prospect,new,active,dormant,churned.
    #[arg(long)]
    out: PathBuf,
}

/// The lifecycle stage counts at each period end.
pub fn trend(a: TrendArgs) -> Result<()> {
    let period = Period::parse(&a.period)?;
    let from = a.from.as_deref().map(|t| day("--from", t)).transpose()?;
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    let t = session.stage_trend(period, from, &opts)?;
    write(&a.out, &t.to_csv())
}
