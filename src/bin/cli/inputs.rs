//! Shared inputs of the analysis commands: files, `--map`, `--as-of`.

use audience_lab::api;
use audience_lab::load::{LoadOptions, TableKind};
use audience_lab::metrics::AnalysisOptions;
use audience_lab::{Error, Result, Session};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The input files and options every analysis command takes.
#[derive(Args, Debug, Clone)]
pub struct Inputs {
    /// The orders export.
    #[arg(long)]
    pub orders: PathBuf,
    /// The members export.
    #[arg(long)]
    pub members: Option<PathBuf>,
    /// A member tags export (one row per member and tag).
    #[arg(long)]
    pub tags: Option<PathBuf>,
    /// An order items export beside the orders (Taobao's 宝贝报表 beside its 订单报表), joined
    /// to the orders by order id: its columns filter `purchased` rules.
    #[arg(long)]
    pub items: Option<PathBuf>,
    /// Column role override, ROLE=COLUMN (repeatable), e.g. --map amount=实付金额.
    #[arg(long = "map", value_name = "ROLE=COLUMN")]
    pub map: Vec<String>,
    /// Reference date (YYYY-MM-DD); defaults to the date of the latest order.
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// Only orders dated in (as_of - N days, as_of] count.
    #[arg(long = "window-days", value_name = "N")]
    pub window_days: Option<u32>,
    /// Lifecycle: `new` while the first purchase is less than N days old (default 30).
    #[arg(long = "new-days", value_name = "N")]
    pub new_days: Option<u32>,
    /// Lifecycle: `dormant` from N days after the last purchase (default 90).
    #[arg(long = "dormant-after", value_name = "N")]
    pub dormant_after: Option<u32>,
    /// Lifecycle: `churned` from N days after the last purchase (default 180).
    #[arg(long = "churn-after", value_name = "N")]
    pub churn_after: Option<u32>,
    /// Threads a large CSV file is read with (default: the machine's cores, at most 8).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
}

impl Inputs {
    /// Loads every given file into a session; reports rejected rows on stderr.
    pub fn session(&self) -> Result<Session> {
        let mapping = parse_map(&self.map)?;
        let mut session = Session::new();
        let mut mapped: Vec<String> = Vec::new();
        let files = [
            (TableKind::Orders, Some(&self.orders)),
            (TableKind::Members, self.members.as_ref()),
            (TableKind::MemberTags, self.tags.as_ref()),
            (TableKind::OrderItems, self.items.as_ref()),
        ];
        for (kind, path) in files {
            let Some(path) = path else { continue };
            let opts = LoadOptions {
                name: display(path),
                mapping: mapping.clone(),
                lenient_mapping: true,
                workers: Some(
                    self.workers
                        .unwrap_or_else(audience_lab::load::parallel::default_workers),
                ),
                ..LoadOptions::default()
            };
            let report = session.load(kind, &read(path)?, &opts, &mut |_| {})?;
            if report.rows_rejected > 0 {
                let reasons: Vec<String> = report
                    .rejected
                    .iter()
                    .map(|r| format!("{} {}", r.count, r.reason))
                    .collect();
                eprintln!(
                    "note: {}: {} of {} rows not used ({})",
                    report.name,
                    report.rows_rejected,
                    report.rows_in,
                    reasons.join(", ")
                );
            }
            for c in &report.columns {
                if let Some(role) = &c.role {
                    if mapping.get(role) == Some(&c.name) {
                        mapped.push(role.clone());
                    }
                }
            }
        }
        if let Some(role) = mapping.keys().find(|r| !mapped.contains(r)) {
            return Err(Error::option(format!(
                "--map {role}={}: no input file has that role and column",
                mapping[role]
            )));
        }
        Ok(session)
    }

    /// The analysis options from `--as-of`, `--window-days` and the lifecycle thresholds,
    /// read as the JS API reads the same options.
    pub fn analysis(&self) -> Result<AnalysisOptions> {
        api::AnalysisOptions {
            as_of: self.as_of.clone(),
            window_days: self.window_days,
            new_days: self.new_days,
            dormant_after: self.dormant_after,
            churn_after: self.churn_after,
            ..api::AnalysisOptions::default()
        }
        .resolve()
        .map_err(|e| Error::new(e.kind(), e.message().replace("windowDays", "--window-days")))
    }
}

/// `ROLE=COLUMN` pairs into a map.
pub fn parse_map(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((role, col)) if !role.trim().is_empty() && !col.trim().is_empty() => {
                Ok((role.trim().to_string(), col.trim().to_string()))
            }
            _ => Err(Error::option(format!("--map {p}: expected ROLE=COLUMN"))),
        })
        .collect()
}

/// Reads a whole file, naming it on failure.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::new(
            audience_lab::ErrorKind::Io,
            format!("{}: {e}", path.display()),
        )
    })
}

/// Writes a whole file, naming it on failure.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(
                audience_lab::ErrorKind::Io,
                format!("{}: {e}", dir.display()),
            )
        })?;
    }
    std::fs::write(path, bytes).map_err(|e| {
        Error::new(
            audience_lab::ErrorKind::Io,
            format!("{}: {e}", path.display()),
        )
    })
}

/// The path as the user gave it.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The RFM scoring flags (`rfm`, `sql`): method and threshold cut points.
#[derive(Args, Debug, Clone)]
pub struct Scoring {
    /// quantile (default), ntile or thresholds (with --r-cuts, --f-cuts, --m-cuts).
    #[arg(long, default_value = "quantile")]
    pub method: String,
    /// thresholds: four ascending recency cut points in days (recency <= c1 scores 5).
    #[arg(long = "r-cuts", value_delimiter = ',', allow_hyphen_values = true)]
    pub r_cuts: Option<Vec<f64>>,
    /// thresholds: four ascending frequency cut points (score = 1 + #{k : F > c_k}).
    #[arg(long = "f-cuts", value_delimiter = ',', allow_hyphen_values = true)]
    pub f_cuts: Option<Vec<f64>>,
    /// thresholds: four ascending monetary cut points in currency units.
    #[arg(long = "m-cuts", value_delimiter = ',', allow_hyphen_values = true)]
    pub m_cuts: Option<Vec<f64>>,
}

impl Scoring {
    /// `opts` with this scoring method.
    pub fn apply(&self, opts: AnalysisOptions) -> Result<AnalysisOptions> {
        opts.with_method(
            &self.method,
            [
                self.r_cuts.as_deref(),
                self.f_cuts.as_deref(),
                self.m_cuts.as_deref(),
            ],
        )
    }
}
