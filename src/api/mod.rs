//! The options of the engine's calls as the JS API (and the CLI) give them: one type per call,
//! camelCase, every field optional, an unknown field an `INVALID_OPTION` error that names the
//! field and the call (`rfm options: unknown field "dialect", expected one of …`). The wasm
//! binding reads them from JS objects, the CLI builds them from its flags, and the TypeScript
//! declarations of `pkg/` are generated from them (`tests/typescript.rs`), so the three cannot
//! drift apart.

mod analysis;
mod calls;
mod names;

pub use crate::metrics::segments::SegmentMapEntry;
pub use analysis::AnalysisOptions;
pub use calls::{
    ClearCacheOptions, ClvOptions, CohortOptions, ExportOptions, KpiOptions, LoadOptions,
    MatchReportOptions, MembersOptions, MigrationOptions, PreviewOptions, SqlOptions,
    StageTrendOptions, TagsOptions, TimelineOptions,
};
pub use names::{
    AdPlatform, CohortBy, CohortPeriod, ExportFormat, RfmMethod, SegmentMapPreset, SqlDialect,
    SqlReport, TimeUnit,
};

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;

/// Reads the options of `call` from a JSON value (`null` gives the defaults); a type error or
/// an unknown field is an `INVALID_OPTION` error naming the call.
pub fn read<T: DeserializeOwned + Default>(value: serde_json::Value, call: &str) -> Result<T> {
    if value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(Error::option(format!(
            "{call} options: expected an object, found {value}"
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        // The path names the field at fault (`format: unknown variant `pdf``); an unknown
        // field names itself.
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path.is_empty() || path == "." || path == "?" || inner.starts_with("unknown field") {
            Error::option(format!("{call} options: {inner}"))
        } else {
            Error::option(format!("{call} options: {path}: {inner}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unknown_field_names_itself_and_the_call() {
        let e = read::<AnalysisOptions>(json!({"dialect": "spark"}), "rfm").expect_err("unknown");
        let msg = e.to_string();
        assert!(
            msg.starts_with("rfm options: unknown field `dialect`"),
            "{msg}"
        );
        assert!(msg.contains("`asOf`"), "{msg}");
        let ok: SqlOptions =
            read(json!({"dialect": "spark", "asOf": "2025-01-01"}), "toSql").expect("sql options");
        assert_eq!(ok.dialect, Some(SqlDialect::Spark));
        let e = read::<SqlOptions>(json!({"dialect": "mysql"}), "toSql").expect_err("variant");
        assert!(
            e.to_string()
                .starts_with("toSql options: dialect: unknown variant `mysql`"),
            "{e}"
        );
        let e = read::<KpiOptions>(json!({"windowDays": "x"}), "kpis").expect_err("type");
        assert!(
            e.to_string()
                .starts_with("kpis options: windowDays: invalid type"),
            "{e}"
        );
        assert_eq!(
            read::<KpiOptions>(serde_json::Value::Null, "kpis").ok(),
            Some(KpiOptions::default())
        );
        assert!(read::<KpiOptions>(json!([1]), "kpis").is_err());
    }
}
