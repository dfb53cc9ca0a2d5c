//! `audience-lab clv`: BG/NBD + Gamma-Gamma per member, parameters as JSON on stdout.

use super::inputs::{write, Inputs};
use audience_lab::metrics::clv::{ClvOptions, Model, DEFAULT_DISCOUNT, DEFAULT_HORIZON_DAYS};
use audience_lab::{Error, Result};
use clap::Args;
use std::io::Write as _;
use std::path::PathBuf;

/// `clv` arguments.
#[derive(Args, Debug)]
pub struct ClvArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Last day of the calibration period, included (YYYY-MM-DD); default: --as-of, else the
    /// date of the latest order.
    #[arg(long = "calibration-end", value_name = "D")]
    calibration_end: Option<String>,
    /// Time unit of recency, T and alpha: days or weeks (weeks = days / 7).
    #[arg(long, default_value = "days")]
    unit: String,
    /// CLV horizon in days.
    #[arg(long = "horizon-days", value_name = "N", default_value_t = DEFAULT_HORIZON_DAYS)]
    horizon_days: f64,
    /// Monthly discount rate of the CLV (0.01 = 1% a month).
    #[arg(long, value_name = "RATE", default_value_t = DEFAULT_DISCOUNT)]
    discount: f64,
    /// Count orders with amount 0 as transactions (by default only purchases, amount > 0).
    #[arg(long = "include-zero-amount")]
    include_zero_amount: bool,
    /// The forecast check: with a calibration end before the last order, adds
    /// frequency_holdout,expected_holdout to the table and "holdout" (actual against expected
    /// purchases in the holdout, by calibration frequency) to the JSON.
    #[arg(long)]
    holdout: bool,
    /// bgnbd (default) or mbgnbd (the modified BG/NBD: a one-time buyer can have left).
    #[arg(long, default_value = "bgnbd")]
    model: String,
    /// Output CSV: member_id,frequency,recency,T,monetary_value,p_alive,expected_purchases_90d,clv.
    #[arg(long)]
    out: PathBuf,
}

pub fn clv(a: ClvArgs) -> Result<()> {
    let end = a.calibration_end.as_deref().or(a.inputs.as_of.as_deref());
    let opts = ClvOptions {
        horizon_days: a.horizon_days,
        discount: a.discount,
        include_zero_amount: a.include_zero_amount,
        model: Model::parse(&a.model).map_err(|e| Error::option(format!("--{e}")))?,
        ..ClvOptions::default()
    }
    .with_calibration_end(end)
    .map_err(|e| Error::option(format!("--{}", e.message().replace('_', "-"))))?
    .with_unit(Some(&a.unit))
    .map_err(|e| Error::option(format!("--{e}")))?;
    opts.validate()
        .map_err(|e| Error::option(format!("--{}", e.message().replace('_', "-"))))?;
    let mut session = a.inputs.session()?;
    let model = session.clv(&opts)?;
    write(
        &a.out,
        &audience_lab::export::clv::clv_csv(&model, session.dataset()?, a.holdout)?,
    )?;
    let mut value = serde_json::to_value(model.params).map_err(|e| Error::option(e.to_string()))?;
    // The modified model's parameters only when asked for (SPEC §5's JSON has the two fits).
    if opts.model != Model::MbgNbd && !a.holdout {
        if let Some(o) = value.as_object_mut() {
            o.remove("mbgnbd");
        }
    }
    if a.holdout {
        let check = model.holdout().ok_or_else(|| {
            Error::option(format!(
                "--holdout: the calibration end {} is the last order day: give an earlier --calibration-end",
                audience_lab::load::coerce::format_day(model.calibration_end)
            ))
        })?;
        value["holdout"] = serde_json::to_value(check).map_err(|e| Error::option(e.to_string()))?;
    }
    let json = serde_json::to_string(&value).map_err(|e| Error::option(e.to_string()))?;
    match std::io::stdout()
        .lock()
        .write_all(format!("{json}\n").as_bytes())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
