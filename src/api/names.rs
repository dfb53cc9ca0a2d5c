//! The closed sets of names the options take (methods, periods, formats, platforms ...): each a
//! Rust enum, so a wrong name is an error listing the right ones and TypeScript sees a union
//! of string literals. The labels of each name are in the vocabulary, where a test holds the
//! two lists equal.

use serde::{Deserialize, Serialize};

macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $id:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $id)] $variant,)*
        }

        impl $name {
            /// Every name, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The name as the API writes it.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)*
                }
            }
        }
    };
}

names! {
    /// An RFM scoring method (SPEC §2).
    RfmMethod {
        /// Quantile cuts; ties share a score.
        Quantile = "quantile",
        /// SQL `NTILE(5)`.
        Ntile = "ntile",
        /// The caller's cut points (`rCuts`, `fCuts`, `mCuts`).
        Thresholds = "thresholds",
    }
}

names! {
    /// A calendar period of cohorts and timelines.
    CohortPeriod {
        /// Calendar month (`2024-03`).
        Month = "month",
        /// ISO week (`2024-W09`).
        Week = "week",
        /// Quarter (`2024-Q1`).
        Quarter = "quarter",
    }
}

names! {
    /// What sets a member's cohort.
    CohortBy {
        /// The first purchase.
        FirstPurchase = "first_purchase",
        /// The join date.
        JoinDate = "join_date",
    }
}

names! {
    /// A SQL dialect.
    SqlDialect {
        /// DuckDB.
        Duckdb = "duckdb",
        /// Spark SQL.
        Spark = "spark",
    }
}

names! {
    /// A report compiled to SQL (`lab.toSql`'s `report`).
    SqlReport {
        /// RFM values, scores and segment per member with a purchase.
        Rfm = "rfm",
        /// Lifecycle stage per member.
        Lifecycle = "lifecycle",
        /// The cohort table.
        Cohort = "cohort",
        /// The KPIs, overall or per group.
        Kpi = "kpi",
        /// The migration matrix between two dates.
        Migration = "migration",
        /// The stage counts at each period end.
        Trend = "trend",
    }
}

names! {
    /// An export file format (`ndjson`: JSON with one object per line).
    ExportFormat {
        /// CSV for Excel.
        Csv = "csv",
        /// An Excel workbook.
        Xlsx = "xlsx",
        /// Parquet.
        Parquet = "parquet",
        /// Arrow IPC file.
        Arrow = "arrow",
        /// JSON array.
        Json = "json",
        /// JSON lines.
        Ndjson = "ndjson",
    }
}

names! {
    /// An ad platform whose customer-list format `profile` writes.
    AdPlatform {
        /// Meta (Facebook, Instagram).
        Meta = "meta",
        /// Google Customer Match.
        Google = "google",
        /// TikTok.
        Tiktok = "tiktok",
    }
}

names! {
    /// The time unit of the CLV fit.
    TimeUnit {
        /// Days.
        Days = "days",
        /// Weeks (days / 7).
        Weeks = "weeks",
    }
}

names! {
    /// A segment map preset.
    SegmentMapPreset {
        /// SPEC §2's map over R and F.
        Default = "default",
        /// Klaviyo's.
        Klaviyo = "klaviyo",
        /// Shopify's.
        Shopify = "shopify",
        /// The R rfm package's (over R, F and M).
        RfmPackage = "rfm_package",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Word;

    fn same(ids: Vec<&str>, words: &[Word], what: &str) {
        let words: Vec<&str> = words.iter().map(|w| w.id).collect();
        assert_eq!(
            ids, words,
            "{what}: the option's names and the vocabulary's differ"
        );
    }

    #[test]
    fn every_name_is_a_word_of_the_vocabulary() {
        same(
            RfmMethod::ALL.iter().map(|n| n.id()).collect(),
            &crate::metrics::rfm::METHODS,
            "method",
        );
        same(
            CohortPeriod::ALL.iter().map(|n| n.id()).collect(),
            &crate::metrics::cohort::PERIODS,
            "period",
        );
        same(
            CohortBy::ALL.iter().map(|n| n.id()).collect(),
            &crate::metrics::cohort::COHORT_BY,
            "by",
        );
        same(
            SqlDialect::ALL.iter().map(|n| n.id()).collect(),
            &crate::dialect::DIALECTS,
            "dialect",
        );
        same(
            SqlReport::ALL.iter().map(|n| n.id()).collect(),
            &crate::segment::sql::REPORTS,
            "report",
        );
        same(
            ExportFormat::ALL.iter().map(|n| n.id()).collect(),
            &crate::export::FORMATS,
            "format",
        );
        same(
            AdPlatform::ALL.iter().map(|n| n.id()).collect(),
            &crate::export::ads::PLATFORMS,
            "profile",
        );
        same(
            SegmentMapPreset::ALL.iter().map(|n| n.id()).collect(),
            &crate::metrics::segments::PRESET_WORDS,
            "segmentMap",
        );
    }
}
