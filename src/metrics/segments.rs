//! RFM segment maps: which (R, F[, M]) cell belongs to which named segment.
//!
//! A map is a list of segment definitions over inclusive score ranges. Two kinds exist:
//! - an **exact** map (the default map of SPEC §2, the Klaviyo- and Shopify-style presets and
//!   every user map) must give every cell exactly one segment; [`SegmentMap::check`] names the
//!   gaps and overlaps, and a user map with either is an error;
//! - a **first-match** map (the R `rfm` package's rules) assigns a cell to the first
//!   definition that covers it, and ends with a catch-all (`others`), exactly as
//!   `rfm::rfm_segment` does.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A named segment over ranges of R, F and M scores (all inclusive).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentDef {
    /// The id used in rules and outputs (`champions`).
    pub id: String,
    /// English display name.
    pub label: String,
    /// Chinese display name.
    pub label_zh: String,
    /// R scores `(low, high)`.
    pub r: (u8, u8),
    /// F scores `(low, high)`.
    pub f: (u8, u8),
    /// M scores `(low, high)`; `(1, 5)` when the segment does not depend on M.
    pub m: (u8, u8),
}

impl SegmentDef {
    fn covers(&self, r: u8, f: u8, m: u8) -> bool {
        (self.r.0..=self.r.1).contains(&r)
            && (self.f.0..=self.f.1).contains(&f)
            && (self.m.0..=self.m.1).contains(&m)
    }
}

/// An ordered list of segments and the cell → segment table built from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentMap {
    /// The preset name (`default`, `klaviyo`, `shopify`, `rfm_package`) or `custom`.
    pub name: String,
    /// Whether the first covering definition wins (else every cell has exactly one).
    pub first_match: bool,
    /// The segments, in display order.
    pub segments: Vec<SegmentDef>,
    /// Segment index per cell `(r-1)*25 + (f-1)*5 + (m-1)`; `u16::MAX` for none.
    #[serde(skip)]
    cells: Vec<u16>,
}

/// The id of members without a purchase.
pub const PROSPECT: &str = "prospect";

/// The presets [`SegmentMap::preset`] knows, with their labels.
pub const PRESET_WORDS: [crate::text::Word; 4] = [
    crate::text::Word::new("default", "Standard (R × F)", "标准（R × F）"),
    crate::text::Word::new("klaviyo", "Klaviyo", "Klaviyo"),
    crate::text::Word::new("shopify", "Shopify", "Shopify"),
    crate::text::Word::new(
        "rfm_package",
        "R rfm package (R × F × M)",
        "R 语言 rfm 包（R × F × M）",
    ),
];

/// The label of [`PROSPECT`], the segment of members without a purchase.
pub const PROSPECT_LABEL: crate::text::Text =
    crate::text::Text::new("Prospect (no purchase)", "潜在客户（无购买）");

/// A cell of the score grid that a map does not give exactly one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapProblem {
    /// R score.
    pub r: u8,
    /// F score.
    pub f: u8,
    /// M score, when the map depends on M.
    pub m: Option<u8>,
    /// The segments covering the cell (empty for a gap).
    pub segments: Vec<String>,
}

impl MapProblem {
    fn cell(&self) -> String {
        match self.m {
            Some(m) => format!("r={} f={} m={m}", self.r, self.f),
            None => format!("r={} f={}", self.r, self.f),
        }
    }
}

/// The result of [`SegmentMap::check`]: cells with no segment and cells with several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MapCheck {
    /// Cells no segment covers.
    pub gaps: Vec<MapProblem>,
    /// Cells more than one segment covers (only a problem for exact maps).
    pub overlaps: Vec<MapProblem>,
}

impl MapCheck {
    /// Whether every cell has exactly one segment.
    pub fn is_partition(&self) -> bool {
        self.gaps.is_empty() && self.overlaps.is_empty()
    }

    /// A message naming every gap and overlap.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.gaps.is_empty() {
            let cells: Vec<String> = self.gaps.iter().map(MapProblem::cell).collect();
            parts.push(format!("no segment for {}", cells.join(", ")));
        }
        if !self.overlaps.is_empty() {
            let cells: Vec<String> = self
                .overlaps
                .iter()
                .map(|p| format!("{} ({})", p.cell(), p.segments.join(", ")))
                .collect();
            parts.push(format!("more than one segment for {}", cells.join(", ")));
        }
        parts.join("; ")
    }
}

fn def(id: &str, label: &str, label_zh: &str, r: (u8, u8), f: (u8, u8)) -> SegmentDef {
    SegmentDef {
        id: id.into(),
        label: label.into(),
        label_zh: label_zh.into(),
        r,
        f,
        m: (1, 5),
    }
}

impl Default for SegmentMap {
    /// The default map of SPEC §2.
    fn default() -> Self {
        Self::build("default", false, default_defs())
    }
}

/// SPEC §2's map over R and F.
fn default_defs() -> Vec<SegmentDef> {
    vec![
        def("champions", "Champions", "重要价值客户", (5, 5), (4, 5)),
        def("loyal", "Loyal", "忠诚客户", (3, 4), (4, 5)),
        def(
            "potential_loyalist",
            "Potential loyalist",
            "潜力客户",
            (4, 5),
            (2, 3),
        ),
        def("new", "New customers", "新客户", (5, 5), (1, 1)),
        def("promising", "Promising", "有潜力的新客", (4, 4), (1, 1)),
        def(
            "need_attention",
            "Need attention",
            "需要关注",
            (3, 3),
            (3, 3),
        ),
        def(
            "about_to_sleep",
            "About to sleep",
            "即将沉睡",
            (3, 3),
            (1, 2),
        ),
        def(
            "cant_lose",
            "Can't lose them",
            "不能流失的客户",
            (1, 2),
            (5, 5),
        ),
        def("at_risk", "At risk", "流失风险客户", (1, 2), (3, 4)),
        def("hibernating", "Hibernating", "沉睡客户", (1, 2), (1, 2)),
    ]
}

/// Six groups in the style of Klaviyo's RFM report (Champions, Loyal, Recent, Needs
/// attention, At risk, Inactive). Klaviyo scores 1-3; here its low / middle / high bands are
/// R 1-2 / 3 / 4-5 and F 1-2 / 3-5 of the 5-point scores, so the groups tile the R×F grid.
fn klaviyo_defs() -> Vec<SegmentDef> {
    vec![
        def("champions", "Champions", "冠军客户", (4, 5), (3, 5)),
        def("loyal", "Loyal", "忠诚客户", (3, 3), (3, 5)),
        def("recent", "Recent", "近期客户", (4, 5), (1, 2)),
        def(
            "needs_attention",
            "Needs attention",
            "需要关注",
            (3, 3),
            (1, 2),
        ),
        def("at_risk", "At risk", "流失风险客户", (1, 2), (3, 5)),
        def("inactive", "Inactive", "不活跃客户", (1, 2), (1, 2)),
    ]
}

/// Groups in the style of Shopify's customer RFM groups (the `CustomerRfmGroup` enum of the
/// Admin API: Champions, Loyal, Active, New, Promising, Needs attention, At risk, Previously
/// loyal, Almost lost, Dormant — the eleventh, Prospects, is this engine's `prospect`).
/// Shopify places customers by R and (F + M) / 2; this preset places them on the R×F grid
/// following the enum's descriptions ("very recent / recent / without recent purchases",
/// "few / some / many orders").
fn shopify_defs() -> Vec<SegmentDef> {
    vec![
        def("champions", "Champions", "冠军客户", (5, 5), (4, 5)),
        def("loyal", "Loyal", "忠诚客户", (3, 4), (4, 5)),
        def("active", "Active", "活跃客户", (4, 5), (2, 3)),
        def("new", "New", "新客户", (5, 5), (1, 1)),
        def("promising", "Promising", "有潜力的客户", (4, 4), (1, 1)),
        def(
            "needs_attention",
            "Needs attention",
            "需要关注",
            (3, 3),
            (1, 3),
        ),
        def("at_risk", "At risk", "流失风险客户", (2, 2), (3, 4)),
        def(
            "previously_loyal",
            "Previously loyal",
            "曾经忠诚的客户",
            (1, 2),
            (5, 5),
        ),
        def("almost_lost", "Almost lost", "即将流失", (2, 2), (1, 2)),
        def("dormant", "Dormant", "沉睡客户", (1, 1), (1, 4)),
    ]
}

/// The rules of the R `rfm` package's `rfm_segment()` documentation (version 0.3.0), over
/// R, F and M: the first rule that covers a member's scores wins and members no rule covers
/// are `others`, as in `rfm_segment`.
fn rfm_package_defs() -> Vec<SegmentDef> {
    let rule = |id: &str, label: &str, zh: &str, r, f, m| SegmentDef {
        m,
        ..def(id, label, zh, r, f)
    };
    vec![
        rule("champions", "Champions", "冠军客户", (5, 5), (5, 5), (5, 5)),
        rule(
            "potential_loyalist",
            "Potential Loyalist",
            "潜力客户",
            (3, 5),
            (3, 5),
            (2, 5),
        ),
        rule(
            "loyal_customers",
            "Loyal Customers",
            "忠诚客户",
            (2, 4),
            (2, 4),
            (2, 4),
        ),
        rule(
            "promising",
            "Promising",
            "有潜力的客户",
            (3, 4),
            (1, 3),
            (3, 5),
        ),
        rule(
            "new_customers",
            "New Customers",
            "新客户",
            (4, 5),
            (1, 3),
            (1, 5),
        ),
        rule(
            "cant_lose_them",
            "Can't Lose Them",
            "不能流失的客户",
            (1, 2),
            (3, 4),
            (4, 5),
        ),
        rule("at_risk", "At Risk", "流失风险客户", (1, 2), (2, 5), (4, 5)),
        rule(
            "need_attention",
            "Need Attention",
            "需要关注",
            (1, 3),
            (3, 5),
            (3, 5),
        ),
        rule(
            "about_to_sleep",
            "About To Sleep",
            "即将沉睡",
            (2, 3),
            (1, 3),
            (1, 4),
        ),
        rule("lost", "Lost", "已流失", (1, 1), (1, 5), (1, 5)),
        rule("others", "Others", "其他", (1, 5), (1, 5), (1, 5)),
    ]
}

/// One segment of a user map as JSON: `{id, label, labelZh, r: [lo, hi], f: [lo, hi]}`
/// (`m: [lo, hi]` optional); score ranges include both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentMapEntry {
    /// The segment's id.
    pub id: String,
    /// English name.
    pub label: Option<String>,
    /// Chinese name.
    pub label_zh: Option<String>,
    /// R scores.
    pub r: [u8; 2],
    /// F scores.
    pub f: [u8; 2],
    /// M scores (default `[1, 5]`).
    pub m: Option<[u8; 2]>,
}

impl SegmentMap {
    fn build(name: &str, first_match: bool, segments: Vec<SegmentDef>) -> Self {
        let mut cells = vec![u16::MAX; 125];
        for (i, cell) in cells.iter_mut().enumerate() {
            let (r, f, m) = ((i / 25) as u8 + 1, (i / 5 % 5) as u8 + 1, (i % 5) as u8 + 1);
            if let Some(s) = segments.iter().position(|s| s.covers(r, f, m)) {
                *cell = s as u16;
            }
        }
        SegmentMap {
            name: name.to_string(),
            first_match,
            segments,
            cells,
        }
    }

    /// A preset by name: `default` (SPEC §2), `klaviyo`, `shopify` or `rfm_package`.
    pub fn preset(name: &str) -> Result<Self> {
        let (defs, first_match) = match name {
            "default" => (default_defs(), false),
            "klaviyo" => (klaviyo_defs(), false),
            "shopify" => (shopify_defs(), false),
            "rfm_package" | "rfm" => (rfm_package_defs(), true),
            other => {
                return Err(Error::option(format!(
                    "segment map: unknown preset \"{other}\"{} (presets: {})",
                    crate::suggest::did_you_mean(other, PRESET_WORDS.iter().map(|w| w.id)),
                    PRESET_WORDS.map(|w| w.id).join(", ")
                )))
            }
        };
        let name = if name == "rfm" { "rfm_package" } else { name };
        Ok(Self::build(name, first_match, defs))
    }

    /// A user map from JSON text: a list of `{id, label, labelZh, r: [lo, hi], f: [lo, hi]}`
    /// (optional `m: [lo, hi]`). It must give every cell exactly one segment.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::option(format!("segment map: not valid JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// A preset name (a JSON string) or a user map (a JSON list), see [`Self::from_json`].
    pub fn from_value(value: &serde_json::Value) -> Result<Self> {
        if let Some(name) = value.as_str() {
            return Self::preset(name);
        }
        let defs: Vec<SegmentMapEntry> = serde_json::from_value(value.clone()).map_err(|e| {
            Error::option(format!(
                "segment map: expected a preset name or a list of \
                 {{id, label, labelZh, r: [lo, hi], f: [lo, hi]}}: {e}"
            ))
        })?;
        let mut segments = Vec::with_capacity(defs.len());
        for (i, d) in defs.into_iter().enumerate() {
            let id = d.id.trim().to_string();
            if id.is_empty() || id == PROSPECT {
                return Err(Error::option(format!(
                    "segment map [{i}]: id \"{id}\" is empty or reserved"
                )));
            }
            if segments.iter().any(|s: &SegmentDef| s.id == id) {
                return Err(Error::option(format!(
                    "segment map [{i}]: id \"{id}\" appears twice"
                )));
            }
            let range = |what: &str, v: [u8; 2]| -> Result<(u8, u8)> {
                if v[0] < 1 || v[1] > 5 || v[0] > v[1] {
                    return Err(Error::option(format!(
                        "segment map [{i}] ({id}): {what} = [{}, {}] is not a range of scores \
                         1-5 with low <= high",
                        v[0], v[1]
                    )));
                }
                Ok((v[0], v[1]))
            };
            segments.push(SegmentDef {
                label: d.label.unwrap_or_else(|| id.clone()),
                label_zh: d.label_zh.unwrap_or_default(),
                r: range("r", d.r)?,
                f: range("f", d.f)?,
                m: range("m", d.m.unwrap_or([1, 5]))?,
                id,
            });
        }
        if segments.is_empty() {
            return Err(Error::option("segment map: the list is empty"));
        }
        let map = Self::build("custom", false, segments);
        let check = map.check();
        if !check.is_partition() {
            return Err(Error::option(format!(
                "segment map: every (R, F) cell needs exactly one segment: {}",
                check.describe()
            )));
        }
        Ok(map)
    }

    /// Whether any segment depends on the M score.
    pub fn uses_m(&self) -> bool {
        self.segments.iter().any(|s| s.m != (1, 5))
    }

    /// Cells with no segment, and (for exact maps) cells with several. Cells are named by
    /// (R, F) when no segment depends on M, else by (R, F, M).
    pub fn check(&self) -> MapCheck {
        let uses_m = self.uses_m();
        let ms: Vec<u8> = if uses_m { (1..=5).collect() } else { vec![1] };
        let mut out = MapCheck::default();
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for &m in &ms {
                    let covering: Vec<String> = self
                        .segments
                        .iter()
                        .filter(|s| s.covers(r, f, m))
                        .map(|s| s.id.clone())
                        .collect();
                    let problem = MapProblem {
                        r,
                        f,
                        m: uses_m.then_some(m),
                        segments: covering,
                    };
                    if problem.segments.is_empty() {
                        out.gaps.push(problem);
                    } else if problem.segments.len() > 1 && !self.first_match {
                        out.overlaps.push(problem);
                    }
                }
            }
        }
        out
    }

    /// The index of the segment of cell (r, f, m), if any covers it.
    pub fn lookup(&self, r: u8, f: u8, m: u8) -> Option<usize> {
        if !(1..=5).contains(&r) || !(1..=5).contains(&f) || !(1..=5).contains(&m) {
            return None;
        }
        let i = (r as usize - 1) * 25 + (f as usize - 1) * 5 + (m as usize - 1);
        self.cells
            .get(i)
            .copied()
            .filter(|&s| s != u16::MAX)
            .map(usize::from)
    }

    /// The index of a segment id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.segments.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_presets_cover_every_cell_exactly_once() {
        for name in ["default", "klaviyo", "shopify"] {
            let map = SegmentMap::preset(name).expect("preset");
            assert_eq!(map.check(), MapCheck::default(), "{name}");
            // Independent count: each (r, f) is inside exactly one rectangle.
            for r in 1..=5u8 {
                for f in 1..=5u8 {
                    let n = map
                        .segments
                        .iter()
                        .filter(|s| s.r.0 <= r && r <= s.r.1 && s.f.0 <= f && f <= s.f.1)
                        .count();
                    assert_eq!(n, 1, "{name} r={r} f={f}");
                }
            }
        }
        assert_eq!(SegmentMap::preset("klaviyo").expect("k").segments.len(), 6);
        // Ten groups plus `prospect` make Shopify's eleven.
        assert_eq!(SegmentMap::preset("shopify").expect("s").segments.len(), 10);
    }

    #[test]
    fn rfm_package_rules_are_first_match_with_others() {
        let map = SegmentMap::preset("rfm_package").expect("preset");
        let id = |r, f, m| &map.segments[map.lookup(r, f, m).expect("cell")].id;
        assert_eq!(id(5, 5, 5), "champions");
        // 5 5 4 is not a champion; the second rule (R 3-5, F 3-5, M 2-5) takes it.
        assert_eq!(id(5, 5, 4), "potential_loyalist");
        assert_eq!(id(1, 1, 1), "lost");
        // R 2, F 1, M 5: no rule before the catch-all covers it.
        assert_eq!(id(2, 1, 5), "others");
        assert!(map.check().is_partition());
    }

    #[test]
    fn user_maps_name_gaps_and_overlaps() {
        let e = SegmentMap::from_json(
            r#"[{"id":"top","r":[4,5],"f":[1,5]},{"id":"low","r":[1,3],"f":[2,5]},
                {"id":"x","r":[3,4],"f":[5,5]}]"#,
        )
        .expect_err("bad map");
        let msg = e.to_string();
        assert!(
            msg.contains("no segment for r=1 f=1, r=2 f=1, r=3 f=1"),
            "{msg}"
        );
        assert!(msg.contains("r=3 f=5 (low, x), r=4 f=5 (top, x)"), "{msg}");
        let ok = SegmentMap::from_json(
            r#"[{"id":"hi","label":"High","labelZh":"高","r":[3,5],"f":[1,5]},
                {"id":"lo","r":[1,2],"f":[1,5]}]"#,
        )
        .expect("good map");
        assert_eq!(ok.lookup(3, 1, 2), Some(0));
        assert_eq!(ok.lookup(2, 5, 5), Some(1));
        assert_eq!(ok.segments[1].label, "lo");
        assert!(SegmentMap::from_json(r#"[{"id":"a","r":[0,5],"f":[1,5]}]"#).is_err());
        assert!(SegmentMap::from_json(r#""nope""#).is_err());
    }
}
