//! Campaigns (SPEC §7): `campaign assign` writes the treatment list (any export format or
//! ad-platform list), the control list and the sizes with the minimum detectable effect;
//! `campaign readout` prints the lift after launch.

use super::export::{export_options, read_text};
use super::inputs::{write, Inputs};
use audience_lab::campaign::{parse_campaign, Campaign};
use audience_lab::session::{Arm, CampaignReadout};
use audience_lab::{Error, Result};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// `campaign` subcommands.
#[derive(Subcommand, Debug)]
pub enum CampaignCommand {
    /// Split the audience into treatment and control: DIR/treatment.<ext> (any export
    /// format, or a hashed ad list with --profile), DIR/control.csv (member_id,stratum) and
    /// DIR/summary.json (sizes per stratum, minimum detectable effect).
    Assign(AssignArgs),
    /// The lift of the treatment over the control group after launch, as JSON on stdout and,
    /// with --out, as CSV.
    Readout(ReadoutArgs),
}

/// `campaign assign` arguments.
#[derive(Args, Debug)]
pub struct AssignArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The campaign file (SPEC §7 JSON).
    #[arg(long)]
    campaign: PathBuf,
    /// The folder to write treatment.<ext>, control.csv and summary.json to.
    #[arg(long)]
    out: PathBuf,
    /// The treatment list's format: csv (UTF-8 with BOM, formula-safe), xlsx, parquet, arrow,
    /// json or ndjson.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Columns of the treatment list after member_id, comma-separated.
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    /// The treatment list as a hashed ad-platform list: meta, google or tiktok.
    #[arg(long)]
    profile: Option<String>,
    /// Country of phone numbers written without a country code (ISO code or +code).
    #[arg(long = "default-country", default_value = "CN")]
    default_country: String,
}

/// `campaign readout` arguments.
#[derive(Args, Debug)]
pub struct ReadoutArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The campaign file (SPEC §7 JSON).
    #[arg(long)]
    campaign: PathBuf,
    /// Also write the readout as CSV: one row overall, then one per stratum.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Reads a campaign file, naming it in errors.
pub fn read_campaign(path: &Path) -> Result<Campaign> {
    parse_campaign(&read_text(path)?)
        .map_err(|e| Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Runs a `campaign` subcommand.
pub fn campaign(c: CampaignCommand) -> Result<()> {
    match c {
        CampaignCommand::Assign(a) => assign(a),
        CampaignCommand::Readout(a) => readout(a),
    }
}

fn json(value: &impl serde::Serialize) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::option(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn assign(a: AssignArgs) -> Result<()> {
    let campaign = read_campaign(&a.campaign)?;
    let export = export_options(
        &a.format,
        &a.columns,
        None,
        a.profile.as_deref(),
        &a.default_country,
        &campaign.name,
    )?;
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    let (_, summary) = session.campaign_summary(&campaign, &opts)?;
    let file = session.campaign_export(&campaign, Arm::Treatment, &export, &opts)?;
    let ext = file.filename.rsplit('.').next().unwrap_or("csv");
    write(&a.out.join(format!("treatment.{ext}")), &file.bytes)?;
    write(
        &a.out.join("control.csv"),
        &session.campaign_control_csv(&campaign, &opts)?,
    )?;
    let summary = json(&summary)?;
    write(&a.out.join("summary.json"), summary.as_bytes())?;
    print!("{summary}");
    if let Some(report) = &file.report {
        eprintln!("treatment list: {}", json(report)?.trim_end());
    }
    Ok(())
}

fn readout(a: ReadoutArgs) -> Result<()> {
    let campaign = read_campaign(&a.campaign)?;
    let opts = a.inputs.analysis()?;
    let mut session = a.inputs.session()?;
    let r = session.campaign_readout(&campaign, &opts)?;
    if let Some(note) = &r.note {
        eprintln!("note: {note}");
    }
    print!("{}", json(&r)?);
    if let Some(out) = &a.out {
        write(out, &readout_csv(&r)?)?;
    }
    Ok(())
}

/// The readout as CSV: `scope,stratum`, each group's numbers, then each lift's.
fn readout_csv(r: &CampaignReadout) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::option(format!("readout CSV: {e}"));
    let mut header = vec!["scope".to_string(), "stratum".to_string()];
    for g in ["treatment", "control"] {
        for f in [
            "members",
            "converters",
            "purchases",
            "revenue",
            "conversion",
            "revenue_per_member",
        ] {
            header.push(format!("{g}_{f}"));
        }
    }
    for l in ["conversion_lift", "revenue_lift"] {
        for f in ["diff", "low", "high", "p_value", "relative"] {
            header.push(format!("{l}_{f}"));
        }
    }
    header.extend(
        [
            "incremental",
            "incremental_low",
            "incremental_high",
            "reason",
        ]
        .map(String::from),
    );
    w.write_record(&header).map_err(fail)?;
    let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let rows = std::iter::once(("overall", None, &r.overall)).chain(
        r.strata
            .iter()
            .map(|s| ("stratum", s.stratum.as_deref(), &s.result)),
    );
    for (scope, stratum, res) in rows {
        let mut row = vec![scope.to_string(), stratum.unwrap_or("").to_string()];
        for g in [&res.treatment, &res.control] {
            row.extend([
                g.members.to_string(),
                g.converters.to_string(),
                g.purchases.to_string(),
                format!("{:.2}", g.revenue),
                num(g.conversion),
                num(g.revenue_per_member),
            ]);
        }
        for l in [&res.conversion_lift, &res.revenue_lift.lift] {
            row.extend([
                num(l.diff),
                num(l.low),
                num(l.high),
                num(l.p_value),
                num(l.relative),
            ]);
        }
        let rl = &res.revenue_lift;
        let reasons: Vec<&str> = [&res.conversion_lift.reason, &rl.lift.reason]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        row.extend([
            num(rl.incremental),
            num(rl.incremental_low),
            num(rl.incremental_high),
            reasons.join("; "),
        ]);
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::option(format!("readout CSV: {e}")))
}
