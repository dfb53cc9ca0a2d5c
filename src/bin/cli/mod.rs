//! Argument parsing and dispatch. User errors exit with status 2 and one message on stderr.

mod campaign;
mod clv;
mod commands;
mod export;
mod inputs;
mod movement;
mod sql;

use clap::{Parser, Subcommand};

/// Member analytics and audiences over CRM and shop exports.
#[derive(Parser, Debug)]
#[command(name = "audience-lab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write deterministic sample exports (members.csv, orders.csv) to a folder.
    Gen(commands::GenArgs),
    /// Show how a file loads: format, encoding, delimiter, columns, roles, rejected rows.
    Inspect(commands::InspectArgs),
    /// RFM scores and segment per member with a purchase.
    Rfm(commands::RfmArgs),
    /// Lifecycle stage per member.
    Lifecycle(commands::LifecycleArgs),
    /// Cohort retention and revenue per period: cohort,period,size,active,retention,revenue.
    Cohort(commands::CohortArgs),
    /// KPIs over the window as JSON on stdout, optionally split by one column; with
    /// --compare-to, the period rates since that date.
    Kpi(commands::KpiArgs),
    /// Members by lifecycle stage or RFM segment at two dates (SPEC §6):
    /// from_state,to_state,members,revenue.
    Migration(movement::MigrationArgs),
    /// Lifecycle stage counts at each period end up to as_of:
    /// date,not_yet,prospect,new,active,dormant,churned.
    Trend(movement::TrendArgs),
    /// The members of a segment rule.
    Segment(commands::SegmentArgs),
    /// A segment rule, a campaign's groups or a report (rfm, lifecycle) as one SQL query (DuckDB or
    /// Spark) on stdout.
    Sql(sql::SqlArgs),
    /// A segment's members as a file: csv, xlsx, parquet, arrow or json, split into a zip, or
    /// a hashed Meta / Google / TikTok list.
    Export(export::ExportArgs),
    /// Predicted churn and lifetime value per member (BG/NBD + Gamma-Gamma).
    Clv(clv::ClvArgs),
    /// Campaigns with a holdout group (SPEC §7): `campaign assign` splits the audience into
    /// treatment and control, `campaign readout` measures the lift after launch.
    #[command(subcommand)]
    Campaign(campaign::CampaignCommand),
    /// Every word of the engine (node types, operators, member columns, stages, segment
    /// maps, presets, formats, profiles, roles, types) with its English and Chinese labels,
    /// as JSON on stdout: the same object as `lab.vocabulary()`.
    Vocabulary,
}

/// Runs the CLI and returns the exit status.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(a) => commands::gen(a),
        Command::Inspect(a) => commands::inspect(a),
        Command::Rfm(a) => commands::rfm(a),
        Command::Lifecycle(a) => commands::lifecycle(a),
        Command::Cohort(a) => commands::cohort(a),
        Command::Kpi(a) => commands::kpi(a),
        Command::Migration(a) => movement::migration(a),
        Command::Trend(a) => movement::trend(a),
        Command::Segment(a) => commands::segment(a),
        Command::Sql(a) => sql::sql(a),
        Command::Export(a) => export::export(a),
        Command::Clv(a) => clv::clv(a),
        Command::Campaign(c) => campaign::campaign(c),
        Command::Vocabulary => commands::vocabulary(),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("audience-lab: {e}");
            if e.kind() == audience_lab::ErrorKind::Internal {
                70
            } else {
                2
            }
        }
    }
}
