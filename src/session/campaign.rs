//! Campaigns (SPEC §7) in a [`Session`]: the groups of a campaign's audience with their sizes
//! and the minimum detectable effect before launch, the group lists as files, and the
//! readout after launch.

use super::Session;
use crate::campaign::assign::{assign, control_size, Assignment, Strata, Stratum};
use crate::campaign::readout::{daily, outcome, results, Day, GroupsResult, StratumResult};
use crate::campaign::sql::campaign_sql;
use crate::campaign::stats::mde;
use crate::campaign::Campaign;
use crate::dialect::Dialect;
use crate::error::{Error, ErrorKind, Result};
use crate::export::columns::{Column, Columns};
use crate::export::{ExportFile, ExportOptions};
use crate::load::coerce::format_day;
use crate::metrics::AnalysisOptions;
use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A campaign's groups before launch: sizes per stratum and the minimum detectable effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct CampaignSummary {
    /// The campaign's name.
    pub campaign: String,
    /// The launch date.
    pub launch: String,
    /// The date of the audience and of `stage` / `segment` strata (the day before launch).
    pub audience_date: String,
    /// The holdout share.
    pub holdout: f64,
    /// The stratification (`null`: none).
    pub stratify: Option<String>,
    /// The readout window in days.
    pub window_days: u32,
    /// Members of the audience.
    pub members: u64,
    /// Of them, in the treatment group.
    pub treatment: u64,
    /// Of them, in the control group.
    pub control: u64,
    /// The first day of the baseline window `[launch - window_days, launch)`.
    pub baseline_from: String,
    /// The audience's conversion over the baseline window.
    pub baseline_conversion: Option<f64>,
    /// The minimum detectable effect on conversion (absolute share) at 80% power and 5%
    /// two-sided significance.
    pub mde: Option<f64>,
    /// Each stratum (one, `stratum: null`, when the campaign is not stratified).
    pub strata: Vec<StratumSummary>,
}

/// One stratum before launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct StratumSummary {
    /// Its sizes.
    #[serde(flatten)]
    #[cfg_attr(not(target_arch = "wasm32"), ts(flatten))]
    pub sizes: Stratum,
    /// Its members with a purchase in the baseline window.
    pub baseline_converters: u64,
    /// Its conversion over the baseline window.
    pub baseline_conversion: Option<f64>,
    /// Its minimum detectable effect on conversion.
    pub mde: Option<f64>,
}

impl CampaignSummary {
    /// The same audience with a holdout of `bp` basis points: the group sizes and the
    /// minimum detectable effects (no data is read: what the page shows live while the
    /// share changes).
    pub fn resize(&self, bp: u32) -> CampaignSummary {
        let mut strata = Vec::with_capacity(self.strata.len());
        let (mut k, mut nt, mut nc) = (0, 0, 0);
        for s in &self.strata {
            let n = s.sizes.members;
            let c = control_size(bp, n);
            let p0 = (n > 0).then(|| s.baseline_converters as f64 / n as f64);
            k += s.baseline_converters;
            nt += n - c;
            nc += c;
            strata.push(StratumSummary {
                sizes: Stratum {
                    stratum: s.sizes.stratum.clone(),
                    members: n,
                    treatment: n - c,
                    control: c,
                },
                baseline_converters: s.baseline_converters,
                baseline_conversion: p0,
                mde: p0.and_then(|p| mde(p, n - c, c)),
            });
        }
        let n = nt + nc;
        let p0 = (n > 0).then(|| k as f64 / n as f64);
        CampaignSummary {
            holdout: f64::from(bp) / 10_000.0,
            members: n,
            treatment: nt,
            control: nc,
            baseline_conversion: p0,
            mde: p0.and_then(|p| mde(p, nt, nc)),
            strata,
            ..self.clone()
        }
    }
}

/// A campaign's readout (SPEC §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct CampaignReadout {
    /// The campaign's name.
    pub campaign: String,
    /// The launch date.
    pub launch: String,
    /// The last day of the window.
    pub window_end: String,
    /// The window's length in days.
    pub window_days: u32,
    /// Days of the window the data covers (up to the last order).
    pub observed_days: u32,
    /// Whether the data covers the whole window.
    pub complete: bool,
    /// "12 of 30 days observed" while the window is not over.
    pub note: Option<String>,
    /// Every stratum pooled.
    pub overall: GroupsResult,
    /// Each stratum alone (empty when the campaign is not stratified).
    pub strata: Vec<StratumResult>,
    /// The overall readout cumulated day by day over the days observed (the last equals
    /// `overall` when the window is over).
    pub daily: Vec<Day>,
}

/// Which group of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    /// The members the campaign reaches.
    Treatment,
    /// The members held out.
    Control,
}

impl Session {
    /// The groups of a campaign's audience (the segment at the day before launch), kept
    /// until the tables or the options change: a readout, the daily series and the group
    /// lists of one campaign hash the audience once.
    pub fn campaign_groups(
        &mut self,
        campaign: &Campaign,
        opts: &AnalysisOptions,
    ) -> Result<Arc<Assignment>> {
        let key = format!(
            "{}|{}|{}|{}|{:?}|{:?}",
            campaign.segment.rule.canonical(),
            campaign.launch,
            campaign.holdout_bp,
            campaign.salt,
            campaign.stratify,
            opts
        );
        if let Some((k, groups)) = &self.groups {
            if *k == key {
                return Ok(Arc::clone(groups));
            }
        }
        let groups = Arc::new(self.assign_groups(campaign, opts)?);
        self.groups = Some((key, Arc::clone(&groups)));
        Ok(groups)
    }

    fn assign_groups(&mut self, campaign: &Campaign, opts: &AnalysisOptions) -> Result<Assignment> {
        let day = campaign.audience_day();
        // A launch outside the data is an error of the campaign file, as its other keys.
        self.check_in_data(day, opts, "campaign.launch: the day before launch")
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidOption => Error::rule(e.message()),
                _ => e,
            })?;
        let audience = self.audience(&campaign.audience(), opts)?;
        // The analysis of that day, as the audience's `at` node left it in the segment cache
        // (made again only if the cache has let it go).
        let an = match self.cache.analysis_at(day) {
            Some(an) => an,
            None => Arc::new(self.analysis_at(day, opts, "campaign.launch")?),
        };
        let ds = self.dataset()?;
        if audience.is_empty() {
            return Err(Error::rule(format!(
                "campaign.segment: no member is in the audience on {} (the day before launch)",
                format_day(day)
            )));
        }
        let columns = match &campaign.stratify {
            None => None,
            Some(name) => {
                let cols = Columns::new(ds, &an, std::slice::from_ref(name))
                    .map_err(|e| Error::rule(format!("campaign.stratify: {}", e.message())))?;
                match cols.cols.get(1) {
                    Some(Column::Attr(_) | Column::Member(_)) => {}
                    _ => {
                        return Err(Error::rule(format!(
                            "campaign.stratify: \"{name}\" has no single value per member; \
                             stratify by stage, segment or a member column"
                        )))
                    }
                }
                Some(cols)
            }
        };
        let strata = match &columns {
            None => Strata::none(audience.len() as usize),
            Some(cols) => Strata::of(audience.iter().map(|m| cols.value(1, m).into_text())),
        };
        Ok(assign(
            ds,
            &audience,
            &strata,
            &campaign.salt,
            campaign.holdout_bp,
        ))
    }

    /// A campaign's groups with their sizes and the minimum detectable effect.
    pub fn campaign_summary(
        &mut self,
        campaign: &Campaign,
        opts: &AnalysisOptions,
    ) -> Result<(Arc<Assignment>, CampaignSummary)> {
        let groups = self.campaign_groups(campaign, opts)?;
        let ds = self.dataset()?;
        let from = campaign.launch - campaign.window_days as i32;
        let converted = |members: &[u32]| {
            members
                .iter()
                .filter(|&&m| outcome(ds, m, from, campaign.launch).purchases > 0)
                .count() as u64
        };
        let strata = groups
            .strata
            .iter()
            .zip(&groups.members)
            .map(|(s, members)| StratumSummary {
                sizes: s.clone(),
                baseline_converters: converted(members),
                baseline_conversion: None,
                mde: None,
            })
            .collect();
        let summary = CampaignSummary {
            campaign: campaign.name.clone(),
            launch: format_day(campaign.launch),
            audience_date: format_day(campaign.audience_day()),
            holdout: campaign.holdout(),
            stratify: campaign.stratify.clone(),
            window_days: campaign.window_days,
            members: 0,
            treatment: 0,
            control: 0,
            baseline_from: format_day(from),
            baseline_conversion: None,
            mde: None,
            strata,
        }
        .resize(campaign.holdout_bp);
        Ok((groups, summary))
    }

    /// One group of a campaign as a file in any export format or ad-platform list.
    pub fn campaign_export(
        &mut self,
        campaign: &Campaign,
        arm: Arm,
        export: &ExportOptions,
        opts: &AnalysisOptions,
    ) -> Result<ExportFile> {
        let groups = self.campaign_groups(campaign, opts)?;
        let (treatment, control) = groups.groups();
        let members: RoaringBitmap = if arm == Arm::Treatment {
            treatment
        } else {
            control
        };
        let (ds, an) = self.analysis(opts)?;
        let mut export = export.clone();
        if export.name.trim().is_empty() {
            let arm = if arm == Arm::Treatment {
                "treatment"
            } else {
                "control"
            };
            export.name = format!("{} {arm}", campaign.name);
        }
        crate::export::export(ds, an, &members, &export, &mut |_, _| {})
    }

    /// The control group as CSV `member_id,stratum` (UTF-8, RFC 4180), in assignment order.
    pub fn campaign_control_csv(
        &mut self,
        campaign: &Campaign,
        opts: &AnalysisOptions,
    ) -> Result<Vec<u8>> {
        let groups = self.campaign_groups(campaign, opts)?;
        let ds = self.dataset()?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| Error::option(format!("control list: {e}"));
        w.write_record(["member_id", "stratum"]).map_err(fail)?;
        for (s, members) in groups.strata.iter().zip(&groups.members) {
            let stratum = s.stratum.as_deref().unwrap_or("");
            for &m in &members[..s.control as usize] {
                w.write_record([ds.id(m), stratum]).map_err(fail)?;
            }
        }
        w.into_inner()
            .map_err(|e| Error::option(format!("control list: {e}")))
    }

    /// The query of a campaign's groups (SPEC §7) in `dialect`; with orders loaded the
    /// campaign is first checked against the data, as for an assignment. `columns` names the
    /// warehouse's column of a role where it is not the role's name.
    pub fn campaign_sql(
        &mut self,
        campaign: &Campaign,
        dialect: Dialect,
        opts: &AnalysisOptions,
        columns: &std::collections::BTreeMap<String, String>,
    ) -> Result<String> {
        self.compile_sql(
            dialect,
            opts,
            columns,
            |s| s.campaign_groups(campaign, opts).map(|_| ()),
            |sql_opts, saved, ds| campaign_sql(campaign, sql_opts, saved, ds),
        )
    }

    /// The readout of a campaign over `[launch, launch + window_days)` on the orders loaded.
    pub fn campaign_readout(
        &mut self,
        campaign: &Campaign,
        opts: &AnalysisOptions,
    ) -> Result<CampaignReadout> {
        let groups = self.campaign_groups(campaign, opts)?;
        let ds = self.dataset()?;
        let end = campaign.launch + campaign.window_days as i32;
        let last = ds.latest_day.unwrap_or(campaign.launch - 1);
        let observed = (last - campaign.launch + 1).clamp(0, campaign.window_days as i32) as u32;
        let complete = observed == campaign.window_days;
        let (overall, strata) = results(
            ds,
            &groups,
            campaign.stratify.is_some(),
            campaign.launch,
            end,
        );
        Ok(CampaignReadout {
            campaign: campaign.name.clone(),
            launch: format_day(campaign.launch),
            window_end: format_day(end - 1),
            window_days: campaign.window_days,
            observed_days: observed,
            complete,
            note: (!complete).then(|| {
                format!(
                    "{observed} of {} days observed (the last order is on {})",
                    campaign.window_days,
                    format_day(last)
                )
            }),
            overall,
            strata,
            daily: daily(ds, &groups, campaign.launch, observed),
        })
    }
}
