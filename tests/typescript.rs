//! The TypeScript declarations of the JS API (`www/lib/generated.ts`) are generated from the
//! Rust types that cross to JS — every call's options, every result, the vocabulary — so a
//! change on one side that the other does not follow fails here (and `tsc` then checks the
//! client and the page against the new declarations). `make types` (or `UPDATE_TYPES=1 cargo
//! test --test typescript`) rewrites the file after a deliberate change.

use audience_lab::{
    api, campaign, catalog, export, load, memory, metrics, segment, session, vocabulary,
};
use ts_rs::{Config, TS};

/// Every type whose declaration the client needs, by module.
fn declarations(cfg: &Config) -> Vec<String> {
    macro_rules! decls {
        ($($t:ty),* $(,)?) => { vec![$(<$t as TS>::decl(cfg)),*] };
    }
    decls![
        // Options of the calls.
        api::AnalysisOptions,
        api::TimelineOptions,
        api::CohortOptions,
        api::KpiOptions,
        api::MigrationOptions,
        api::StageTrendOptions,
        api::MembersOptions,
        api::ExportOptions,
        api::MatchReportOptions,
        api::SqlOptions,
        api::TagsOptions,
        api::ClvOptions,
        api::ClearCacheOptions,
        api::LoadOptions,
        api::PreviewOptions,
        api::RfmMethod,
        api::CohortPeriod,
        api::CohortBy,
        api::SqlDialect,
        api::SqlReport,
        api::ExportFormat,
        api::AdPlatform,
        api::TimeUnit,
        api::SegmentMapPreset,
        api::SegmentMapEntry,
        // Loading.
        load::LoadReport,
        load::ColumnReport,
        load::ReasonCount,
        load::RejectSample,
        load::LineItems,
        load::ShopPlatform,
        load::Preview,
        load::LoadProgress,
        memory::MemoryUse,
        // Metrics.
        metrics::RfmSummary,
        metrics::SegmentSummary,
        metrics::lifecycle::LifecycleSummary,
        metrics::lifecycle::LifecycleOptions,
        metrics::lifecycle::StageCount,
        metrics::lifecycle::BucketCount,
        metrics::cohort::CohortTable,
        metrics::cohort::CohortRow,
        metrics::kpi::Kpis,
        metrics::kpi::KpiValues,
        metrics::kpi::KpiGroup,
        metrics::movement::Migration,
        metrics::movement::MigrationCell,
        metrics::movement::PeriodRates,
        metrics::movement::StageTrend,
        metrics::movement::TrendPoint,
        metrics::clv::ClvSummary,
        metrics::clv::bgnbd::BgNbd,
        metrics::clv::mbgnbd::MbgNbd,
        metrics::clv::HoldoutCheck,
        metrics::clv::HoldoutRow,
        metrics::clv::gamma_gamma::GammaGamma,
        metrics::timeline::Timeline,
        metrics::timeline::TimelinePoint,
        // Segments.
        session::MembersPage,
        segment::Explain,
        segment::ExplainNode,
        segment::tags::TagReport,
        segment::tags::TagCount,
        segment::tags::Intersection,
        segment::algebra::Overlap,
        segment::algebra::Difference,
        segment::CacheStats,
        // Campaigns.
        session::CampaignSummary,
        session::StratumSummary,
        session::CampaignReadout,
        campaign::assign::Stratum,
        campaign::readout::Group,
        campaign::readout::GroupsResult,
        campaign::readout::StratumResult,
        campaign::readout::Day,
        campaign::stats::Lift,
        campaign::stats::RevenueLift,
        // Exports.
        export::ExportFile,
        export::split::Part,
        export::ads::MatchReport,
        export::ads::KeyReport,
        export::ads::ProblemCount,
        export::ads::Sample,
        // The vocabulary.
        vocabulary::Vocabulary,
        vocabulary::Label,
        vocabulary::Entry,
        vocabulary::Operator,
        vocabulary::Column,
        vocabulary::MapSegment,
        vocabulary::Map,
        vocabulary::Role,
        vocabulary::Table,
        vocabulary::Format,
        vocabulary::Profile,
        vocabulary::Preset,
        catalog::Kind,
        catalog::Domain,
        serde_json::Value,
    ]
}

/// The whole file.
fn render() -> String {
    let cfg = Config::new()
        .with_large_int("number")
        .with_array_tuple_limit(2);
    let mut out = String::from(
        "// Generated from the Rust types by tests/typescript.rs (`make types`): do not edit.\n\
         // The options of every call, every result and the vocabulary, as they cross the worker.\n\
         /* eslint-disable */\n\n\
         import type { Segment } from './types.js';\n\n\
         /** `orders`, `members`, `member_tags` (SPEC §1) or `order_items` (SPEC §1.1). */\n\
         export type TableKind = 'orders' | 'members' | 'member_tags' | 'order_items';\n\n",
    );
    for d in declarations(&cfg) {
        out.push_str("export ");
        out.push_str(d.trim());
        out.push_str("\n\n");
    }
    out
}

#[test]
fn declarations_match_the_rust_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/lib/generated.ts");
    let want = render();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(path, &want).expect("write www/lib/generated.ts");
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "www/lib/generated.ts differs from the Rust types from line {} on:\n  file:  {}\n  types: {}\n\
             A Rust type that crosses to JS changed: run `make types` and let tsc check the client.",
            line + 1,
            have.lines().nth(line).unwrap_or("(end of file)"),
            want.lines().nth(line).unwrap_or("(end of file)"),
        );
    }
}
