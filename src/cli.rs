//! The command line: clap definitions and one module per subcommand.

mod analyse;
mod backtest;
mod compare;
mod completions;
mod import;
mod interrupt;
mod merge;
mod new;
mod output;
mod run;
mod scenarios;
mod sensitivity;
mod spill;
mod sweep;
mod trace;
mod validate;

pub use interrupt::Interrupted;
pub use output::{StdoutGone, guard_standard_streams};

use clap::{Parser, Subcommand};

/// A failure caused by the user's input (a scenario, an argument, a file): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// The `treaty` program.
#[derive(Debug, Parser)]
#[command(
    name = "treaty",
    version,
    about = "Seeded Monte Carlo simulation of multilateral diplomatic negotiations",
    long_about = "Seeded Monte Carlo simulation of multilateral diplomatic negotiations.\n\n\
        Scenarios are RON files (or the name of a bundled scenario, see `treaty scenarios`).\n\
        Exit codes: 0 ok, 1 internal failure, 2 bad input, 130/143 interrupted."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// One line per valid file, every problem of each invalid one.
    Text,
    /// The same as a JSON document.
    Json,
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// An aligned table for a terminal.
    Table,
    /// A versioned JSON document.
    Json,
    /// Flat CSV rows.
    Csv,
}

impl From<ReportFormat> for treaty::report::Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Table => Self::Table,
            ReportFormat::Json => Self::Json,
            ReportFormat::Csv => Self::Csv,
        }
    }
}

/// Output format of `trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFormat {
    /// Prose a student can read.
    Text,
    /// One JSON document.
    Json,
}

impl From<TraceFormat> for treaty::report::Format {
    fn from(f: TraceFormat) -> Self {
        match f {
            TraceFormat::Text => Self::Text,
            TraceFormat::Json => Self::Json,
        }
    }
}

/// Output format of `analyse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyseFormat {
    /// An aligned table for a terminal.
    Table,
    /// One JSON document.
    Json,
}

impl From<AnalyseFormat> for treaty::report::Format {
    fn from(f: AnalyseFormat) -> Self {
        match f {
            AnalyseFormat::Table => Self::Table,
            AnalyseFormat::Json => Self::Json,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and report every problem.
    #[command(
        after_help = "Examples:\n  treaty validate karabakh-2023\n  treaty validate my-scenario.ron other.ron --format json"
    )]
    Validate {
        /// Scenario files, or names of bundled scenarios.
        #[arg(required = true)]
        files: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
        format: ValidateFormat,
    },
    /// List the bundled scenarios.
    #[command(after_help = "Example:\n  treaty scenarios")]
    Scenarios,
    /// Play a scenario many times and report what tends to happen.
    #[command(
        after_help = "Examples:\n  treaty run karabakh-2023\n  treaty run karabakh-2023 --runs 100000 --seed 7 --format json --out report.json\n  treaty run karabakh-2023 --shard 1/4 --out part1.json"
    )]
    Run(run::RunArgs),
    /// Outcome analytics: the principals' Pareto frontier at the scenario's central values and
    /// the Nash, Kalai–Smorodinsky, egalitarian and maximum-welfare points on it.
    #[command(
        after_help = "Examples:\n  treaty analyse karabakh-2023\n  treaty analyse rubinstein-pie --format json --grid 1000"
    )]
    Analyse(analyse::AnalyseArgs),
    /// Tell one run round by round.
    #[command(
        after_help = "Examples:\n  treaty trace karabakh-2023\n  treaty trace rubinstein-pie --seed 3 --run 12 --format json"
    )]
    Trace(trace::TraceArgs),
    /// Compare a scenario with its variants on common random numbers: paired differences and
    /// their 95% intervals.
    #[command(
        after_help = "Examples:\n  treaty compare karabakh-2023 --variant \"weak-russia: actors.RUS.capability=0.25\"\n  treaty compare karabakh-2023 my-variant.ron --runs 20000 --format json --out cmp.json\n  treaty compare karabakh-2023 --variant \"soft-baku: actors.AZE.strategy=Conceder(beta: 2.0); protocol.max_rounds=40\""
    )]
    Compare(compare::CompareArgs),
    /// Run a grid of parameter values on common random numbers, one row per point.
    #[command(
        after_help = "Examples:\n  treaty sweep karabakh-2023 --set actors.RUS.capability=0.1..0.9:5\n  treaty sweep karabakh-2023 --set protocol.max_rounds=10..40:4 --set escalation.propensity=0..0.2:3 --format csv --out grid.csv"
    )]
    Sweep(sweep::SweepArgs),
    /// Forecast decisions whose outcomes are recorded and score the forecasts against them and
    /// against the classic baselines (status quo, compromise model, weighted median, mean).
    #[command(
        after_help = "Examples:\n  treaty backtest data/deu3/                     # a folder of tidy tables, every bundled template\n  treaty backtest data/deu3/ --template mediated --by procedure --html backtest.html\n  treaty backtest cases/*.ron --outcomes outcomes.csv --format json --out backtest.json"
    )]
    Backtest(backtest::BacktestArgs),
    /// Rank the scenario's uncertain inputs by their influence on each headline outcome
    /// (standardised rank regression on one batch of runs).
    #[command(
        after_help = "Examples:\n  treaty sensitivity karabakh-2023\n  treaty sensitivity rubinstein-pie --set \"protocol.discount.A=Uniform(0.9, 0.99)\" --runs 2000\n  treaty sensitivity karabakh-2023 --format json --out sensitivity.json --html sensitivity.html"
    )]
    Sensitivity(sensitivity::SensitivityArgs),
    /// Write a commented starting scenario, NAME.ron, to edit into your own.
    #[command(
        after_help = "Examples:\n  treaty new border-talks\n  treaty new border-talks --out scenarios/border.ron"
    )]
    New(new::NewArgs),
    /// Print a completion script for a shell.
    #[command(
        after_help = "Examples:\n  treaty completions bash > ~/.local/share/bash-completion/completions/treaty\n  treaty completions zsh > ~/.zfunc/_treaty\n  treaty completions fish > ~/.config/fish/completions/treaty.fish"
    )]
    Completions(completions::CompletionsArgs),
    /// Join shard parts into the report one run would give.
    #[command(
        after_help = "Example:\n  treaty merge part1.json part2.json part3.json part4.json --out report.json"
    )]
    Merge(merge::MergeArgs),
    /// Make scenarios from tables (CSV) and a template.
    #[command(
        after_help = "Examples:\n  treaty import tidy data/ --template mediated --out scenarios/\n  treaty import tidy data/ --template alternating-offers --group proposal --out by-proposal/\n  treaty import table actors.csv --template expected-utility --status-quo trade=0.4 --out trade.ron\n  treaty import --list-templates\n  treaty import --show-template mediated > my-template.ron"
    )]
    Import(import::ImportArgs),
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Validate { files, format } => validate::run(&files, format),
        Command::Scenarios => scenarios::run(),
        Command::Run(args) => run::run(args),
        Command::Trace(args) => trace::run(args),
        Command::Analyse(args) => analyse::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Import(args) => import::run(args),
        Command::New(args) => new::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Completions(args) => completions::run(args),
    }
}
