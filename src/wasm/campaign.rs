//! The campaign calls of `Lab` (SPEC §7): the groups with their sizes and minimum detectable
//! effect, the group lists as files, the readout, and the campaign file.

use super::error::{js_error, to_js, WasmResult};
use super::export::set;
use super::options::from_js;
use super::{analysis, to_js_value, Lab};
use crate::api;
use crate::campaign::{holdout_bp, parse_campaign};
use crate::export::names::file_stem;
use crate::export::ExportFile;
use crate::session::{Arm, CampaignSummary};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// The groups of a campaign (its JSON text): sizes per stratum, the baseline conversion
    /// and the minimum detectable effect (`CampaignSummary`).
    #[wasm_bindgen(js_name = campaignAssign)]
    pub fn campaign_assign(&mut self, campaign: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "campaignAssign")?;
        let c = parse_campaign(campaign).map_err(to_js)?;
        let (_, summary) = self.session.campaign_summary(&c, &opts).map_err(to_js)?;
        to_js_value(&summary)
    }

    /// A summary of `campaignAssign` with another holdout share: the sizes and minimum
    /// detectable effects, without reading the data.
    #[wasm_bindgen(js_name = campaignResize)]
    pub fn campaign_resize(summary: JsValue, holdout: JsValue) -> WasmResult<JsValue> {
        let summary: CampaignSummary = serde_wasm_bindgen::from_value(summary).map_err(|e| {
            js_error(
                "INVALID_OPTION",
                &format!("campaignResize: expected a campaign summary ({e})"),
            )
        })?;
        let holdout: serde_json::Value = serde_wasm_bindgen::from_value(holdout)
            .map_err(|e| js_error("INVALID_OPTION", &format!("holdout: {e}")))?;
        let bp = holdout_bp(&holdout).map_err(to_js)?;
        to_js_value(&summary.resize(bp))
    }

    /// The readout of a campaign on the orders loaded (`CampaignReadout`).
    #[wasm_bindgen(js_name = campaignReadout)]
    pub fn campaign_readout(&mut self, campaign: &str, opts: JsValue) -> WasmResult<JsValue> {
        let opts = analysis(opts, "campaignReadout")?;
        let c = parse_campaign(campaign).map_err(to_js)?;
        let r = self.session.campaign_readout(&c, &opts).map_err(to_js)?;
        to_js_value(&r)
    }

    /// The campaign file as the engine reads it (pretty JSON, keys in SPEC §7's order).
    #[wasm_bindgen(js_name = campaignFile)]
    pub fn campaign_file(campaign: &str) -> WasmResult<String> {
        Ok(parse_campaign(campaign).map_err(to_js)?.to_json())
    }

    /// One group of a campaign as a file, like `exportFile`: `arm` `treatment` (any export
    /// format or ad-platform list, `opts` as for `exportFile`) or `control` (CSV
    /// `member_id,stratum`). The bytes are taken with `exportChunk`.
    #[wasm_bindgen(js_name = campaignExportFile)]
    pub fn campaign_export_file(
        &mut self,
        campaign: &str,
        arm: &str,
        opts: JsValue,
    ) -> WasmResult<JsValue> {
        let opts: api::ExportOptions = from_js(opts, "campaignExport")?;
        let analysis = opts.analysis().resolve().map_err(to_js)?;
        let c = parse_campaign(campaign).map_err(to_js)?;
        let file = match arm {
            "treatment" => {
                let now = (js_sys::Date::now() / 1000.0).floor() as i64;
                let export = opts.export(Some(now)).map_err(to_js)?;
                self.session
                    .campaign_export(&c, Arm::Treatment, &export, &analysis)
                    .map_err(to_js)?
            }
            "control" => {
                let bytes = self
                    .session
                    .campaign_control_csv(&c, &analysis)
                    .map_err(to_js)?;
                // The groups the list was written from (kept by the session).
                let groups = self.session.campaign_groups(&c, &analysis).map_err(to_js)?;
                let rows: u64 = groups.strata.iter().map(|s| s.control).sum();
                ExportFile {
                    filename: format!("{} control.csv", file_stem(&c.name)),
                    mime: "text/csv".into(),
                    rows,
                    parts: Vec::new(),
                    report: None,
                    bytes,
                }
            }
            other => {
                return Err(js_error(
                    "INVALID_OPTION",
                    &format!("arm: \"{other}\": expected treatment or control"),
                ))
            }
        };
        let out = to_js_value(&file)?;
        set(&out, "size", &JsValue::from_f64(file.bytes.len() as f64));
        self.export_bytes = file.bytes;
        Ok(out)
    }
}
