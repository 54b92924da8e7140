//! `treaty trace`: one run told round by round.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::TraceFormat;
use super::output::{AtomicFile, check_paths, commit_all};
use super::run::{input_path, prepare};
use treaty::montecarlo::replay_run;
use treaty::report::trace::{DEFAULT_TRACE_ROUNDS, TraceRecorder};
use treaty::report::{Format, Render};

/// Arguments of `treaty trace`.
#[derive(Debug, clap::Args)]
pub struct TraceArgs {
    /// Scenario file, or the name of a bundled scenario (see `treaty scenarios`).
    pub scenario: String,
    /// Master seed: the same seed and run always give the same story.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Which run to tell: run K of `treaty run` with the same seed.
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub run: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Change a number or choice of the scenario, e.g. `actors.RUS.capability=0.3`
    /// (repeatable), as `treaty run --set` does.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Also write the run as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Tell rounds FROM to TO (and the last round played) in full, e.g. `--rounds 990000..1000000`;
    /// the others are played but left out. Default: rounds 1 to 1,000, which is every round
    /// of a run with a deadline of at most 1,000 rounds.
    #[arg(long, value_name = "FROM..TO", value_parser = parse_rounds)]
    pub rounds: Option<(u32, u32)>,
}

/// `FROM..TO`: two whole numbers with 1 ≤ FROM ≤ TO.
fn parse_rounds(text: &str) -> Result<(u32, u32), String> {
    let bad = || {
        format!(
            "found {text:?}; allowed: FROM..TO, two whole numbers with 1 ≤ FROM ≤ TO \
             (e.g. 1..100 or 990000..1000000)"
        )
    };
    let (from, to) = text.split_once("..").ok_or_else(bad)?;
    let from: u32 = from.trim().parse().map_err(|_| bad())?;
    let to: u32 = to.trim().parse().map_err(|_| bad())?;
    if from == 0 || from > to {
        return Err(bad());
    }
    Ok((from, to))
}

/// Runs `treaty trace`.
pub fn run(args: TraceArgs) -> anyhow::Result<i32> {
    if let Some(html) = &args.html {
        let inputs: Vec<(&str, &Path)> = input_path(&args.scenario)
            .map(|p| ("the scenario", p))
            .into_iter()
            .collect();
        check_paths(&[("--html", html)], &inputs)?;
    }
    let loaded = prepare(&args.scenario, &args.set)?;
    let (from, to) = args.rounds.unwrap_or((1, DEFAULT_TRACE_ROUNDS));
    let mut recorder = TraceRecorder::new(&loaded.model, args.seed, args.run).with_rounds(from, to);
    replay_run(&loaded.model, args.seed, args.run, &mut recorder);
    let trace = recorder.finish();
    let text = trace.render(args.format.into())?;
    // The visual report, beside the usual one; both or neither.
    let mut files = Vec::new();
    if let Some(path) = &args.html {
        let mut f = AtomicFile::create(path)?;
        f.write_all(&trace.render(Format::Html)?)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        files.push(f);
    }
    commit_all(files, Some(&text))?;
    Ok(0)
}
