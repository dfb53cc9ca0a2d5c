//! RFM segment maps: which (R, F) cell belongs to which named segment.

use serde::Serialize;

/// A named segment over ranges of R and F scores (both inclusive).
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
}

/// An ordered list of segments; a cell belongs to the first segment that covers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentMap {
    /// The segments, in display order.
    pub segments: Vec<SegmentDef>,
}

/// The id of members without a purchase.
pub const PROSPECT: &str = "prospect";

impl Default for SegmentMap {
    /// The default map of SPEC §2.
    fn default() -> Self {
        let def = |id: &str, label: &str, label_zh: &str, r: (u8, u8), f: (u8, u8)| SegmentDef {
            id: id.into(),
            label: label.into(),
            label_zh: label_zh.into(),
            r,
            f,
        };
        SegmentMap {
            segments: vec![
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
            ],
        }
    }
}

impl SegmentMap {
    /// The index of the segment of cell (r, f), if any covers it.
    pub fn lookup(&self, r: u8, f: u8) -> Option<usize> {
        self.segments
            .iter()
            .position(|s| (s.r.0..=s.r.1).contains(&r) && (s.f.0..=s.f.1).contains(&f))
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
    fn default_map_covers_every_cell_exactly_once() {
        let map = SegmentMap::default();
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                let covering = map
                    .segments
                    .iter()
                    .filter(|s| (s.r.0..=s.r.1).contains(&r) && (s.f.0..=s.f.1).contains(&f))
                    .count();
                assert_eq!(covering, 1, "cell r={r} f={f}");
            }
        }
    }
}
