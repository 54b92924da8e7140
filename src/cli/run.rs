//! `treaty run`: play a scenario many times and report what tends to happen.
//!
//! The report goes to stdout (or `--out FILE`, written atomically); timings and the progress
//! bar go to stderr, so reports compare byte for byte. With `--shard I/N` the output is a part
//! file for `treaty merge` instead of a report. Ctrl-C or SIGTERM stops the batch before the
//! next run and writes nothing (see [`super::interrupt`]).

use std::io::{IsTerminal, Write};

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use treaty::model::Model;
use treaty::montecarlo::{
    self, BLOCK_SIZE, BatchConfig, DEFAULT_RUNS, MAX_RUNS, Monitor, MonteCarloError, PRECISION_CAP,
    PerRun, Shard,
};
use treaty::report::{Format, PerRunCsv, Render};

use treaty::scenario::overrides::Override;
use treaty::scenario::{self, Source};

use super::interrupt::{Interrupt, Interrupted};
use super::output::{AtomicFile, cap_threads, check_paths, commit_all, out_path, warn_html_out};
use super::spill::Spill;
use super::{BadInput, ReportFormat};

/// Arguments of `treaty run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs to play [default: 10000; with --precision, the cap: 10000000].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed: run k uses random stream k of this seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: one per core]. The report does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Report format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report (or the part) to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write one CSV row per run to FILE (run, outcome, round, settlements, utilities, wars).
    #[arg(long = "per-run", value_name = "FILE")]
    pub per_run: Option<PathBuf>,
    /// Play only part I of N (whole blocks) and write a part file for `treaty merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Play blocks until every outcome probability's 95% interval is narrower than ±EPS.
    #[arg(long, value_name = "EPS")]
    pub precision: Option<f64>,
    /// Change a number or choice of the scenario, e.g. `actors.RUS.capability=0.3` (repeatable;
    /// recorded in the report's provenance).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Also write the report as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// The two principals whose utilities the HTML page's utility-space chart shows
    /// [default: the first two principals in file order].
    #[arg(long, value_name = "ID,ID")]
    pub pair: Option<String>,
}

/// The two principals (actor indices) of the HTML page's utility-space chart: those `--pair`
/// names, or the first two in file order; `None` when the scenario has fewer than two.
fn chosen_pair(model: &Model, pair: Option<&str>) -> Result<Option<(usize, usize)>, BadInput> {
    let principals: Vec<usize> = model.principals().collect();
    let names = || {
        principals
            .iter()
            .map(|&a| model.actors[a].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(text) = pair else {
        return Ok(match principals[..] {
            [a, b, ..] => Some((a, b)),
            _ => None,
        });
    };
    let ids: Vec<&str> = text.split(',').map(str::trim).collect();
    let [x, y] = ids[..] else {
        return Err(BadInput(format!(
            "--pair `{text}`: write two principals' ids separated by a comma, e.g. --pair A,B \
             (principals: {})",
            names()
        )));
    };
    let find = |id: &str| -> Result<usize, BadInput> {
        match model.actor_index(id) {
            Some(a) if principals.contains(&a) => Ok(a),
            Some(_) => Err(BadInput(format!(
                "--pair: `{id}` is not a principal of the scenario (principals: {})",
                names()
            ))),
            None => Err(BadInput(format!(
                "--pair: no actor `{id}` in the scenario (principals: {})",
                names()
            ))),
        }
    };
    let (a, b) = (find(x)?, find(y)?);
    if a == b {
        return Err(BadInput(format!(
            "--pair: `{x}` twice; name two different principals (principals: {})",
            names()
        )));
    }
    Ok(Some((a, b)))
}

/// A scenario loaded with its overrides applied and validated.
pub struct Prepared {
    /// The file's text and name.
    pub source: Source,
    /// The validated model (its origin records the overrides).
    pub model: Model,
}

/// The `--set` arguments read as overrides.
pub fn parse_overrides(sets: &[String]) -> Result<Vec<Override>, BadInput> {
    sets.iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BadInput(e.to_string()))
}

/// Reads `name_or_path` (a file, `-` for standard input, or a bundled scenario's name), saying
/// on stderr when a file is read in place of the bundled scenario of the same name.
pub fn read_scenario(name_or_path: &str) -> anyhow::Result<Source> {
    let source = scenario::read_source(name_or_path)?;
    note_shadowing(name_or_path);
    Ok(source)
}

/// Says on stderr that `name_or_path` is read from a file when a bundled scenario has the same
/// name (a file wins over a bundled scenario).
pub(super) fn note_shadowing(name_or_path: &str) {
    if name_or_path != "-"
        && scenario::find_bundled(name_or_path).is_some()
        && std::fs::metadata(name_or_path).is_ok_and(|m| !m.is_dir())
    {
        let shown = if Path::new(name_or_path).components().count() == 1 {
            format!("./{name_or_path}")
        } else {
            name_or_path.to_string()
        };
        eprintln!("treaty: using the file {shown}, not the bundled scenario of that name");
    }
}

/// Reads `name_or_path` (see [`read_scenario`]), applies the `--set` overrides in order and
/// validates the result.
pub fn prepare(name_or_path: &str, sets: &[String]) -> anyhow::Result<Prepared> {
    prepare_source(read_scenario(name_or_path)?, sets)
}

/// The path of a scenario argument read from a file (not `-`, not a bundled name), to keep
/// outputs from overwriting it.
pub(super) fn input_path(name_or_path: &str) -> Option<&Path> {
    (name_or_path != "-")
        .then(|| Path::new(name_or_path))
        .filter(|p| p.is_file())
}

/// Parses `source`, applies the `--set` overrides in order and validates the result.
pub fn prepare_source(source: Source, sets: &[String]) -> anyhow::Result<Prepared> {
    let overrides = parse_overrides(sets)?;
    let model = scenario::prepare(&source, &overrides)?;
    Ok(Prepared { source, model })
}

/// Checks the arguments that clap cannot and makes the batch's configuration.
fn configure(args: &RunArgs) -> Result<BatchConfig, BadInput> {
    let cap = if args.precision.is_some() {
        PRECISION_CAP
    } else {
        DEFAULT_RUNS
    };
    let runs = args.runs.unwrap_or(cap);
    if runs == 0 {
        return Err(BadInput("--runs must be at least 1".into()));
    }
    if runs > MAX_RUNS {
        return Err(BadInput(format!("--runs is at most {MAX_RUNS}")));
    }
    if args.threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()));
    }
    if let Some(eps) = args.precision
        && !(eps > 0.0 && eps < 1.0)
    {
        return Err(BadInput(format!(
            "--precision must lie strictly between 0 and 1, not {eps}"
        )));
    }
    if args.shard.is_some() {
        if args.html.is_some() {
            return Err(BadInput(
                "--shard writes a part file, not a report, so there is nothing for --html to draw"
                    .into(),
            ));
        }
        if args.precision.is_some() {
            return Err(BadInput(
                "--precision decides when to stop, so it cannot be split with --shard".into(),
            ));
        }
        if args.format.is_some_and(|f| f != ReportFormat::Json) {
            return Err(BadInput(
                "--shard writes a JSON part file for `treaty merge`; choose the report's \
                 format when merging"
                    .into(),
            ));
        }
    }
    Ok(BatchConfig {
        seed: args.seed,
        runs,
        block_size: BLOCK_SIZE,
        threads: cap_threads(args.threads),
        shard: args.shard,
        precision: args.precision,
    })
}

/// A progress bar on stderr, shown once a batch has run for a second, if stderr is a terminal;
/// it also stops the batch when a signal has arrived.
///
/// The bar first shows the count of runs only: the rate and the time left are added once
/// [`RATE_AFTER_UPDATES`] blocks have been tallied after the bar appeared and
/// [`RATE_AFTER`] has passed since, so they are measured over whole blocks, never over the
/// jump from nothing to the runs done before the bar.
pub(super) struct Progress {
    started: Instant,
    enabled: bool,
    bar: Option<Bar>,
    interrupt: Interrupt,
    done: u64,
    planned: u64,
}

/// The bar, and what it has been shown since it appeared.
struct Bar {
    bar: ProgressBar,
    shown: Instant,
    updates: u64,
    with_rate: bool,
}

/// Blocks tallied after the bar appears before it shows a rate and the time left.
const RATE_AFTER_UPDATES: u64 = 2;
/// Time after the bar appears before it shows a rate and the time left.
const RATE_AFTER: Duration = Duration::from_secs(1);

/// The bar's template: the count, and, once measured, the rate and the time left.
fn bar_template(with_rate: bool) -> &'static str {
    if with_rate {
        "{spinner} {human_pos}/{human_len} runs [{bar:40}] {per_sec} eta {eta}"
    } else {
        "{spinner} {human_pos}/{human_len} runs [{bar:40}]"
    }
}

fn set_bar_style(bar: &ProgressBar, with_rate: bool) {
    if let Ok(style) = ProgressStyle::with_template(bar_template(with_rate)) {
        bar.set_style(style.progress_chars("=> "));
    }
}

impl Progress {
    pub(super) fn new(interrupt: Interrupt) -> Self {
        Progress {
            started: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            bar: None,
            interrupt,
            done: 0,
            planned: 0,
        }
    }

    /// Stops with [`Interrupted`] if a signal has arrived, saying how many runs were played.
    pub(super) fn check(&self) -> Result<(), Interrupted> {
        self.interrupt.check(|| {
            if self.planned > 0 {
                format!(" after {} of {} runs", self.done, self.planned)
            } else {
                String::new()
            }
        })
    }

    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.bar.finish_and_clear();
        }
    }

    /// Moves the bar (made with `make` on first use) to `done` runs; returns whether it shows
    /// the rate and the time left.
    fn advance(&mut self, done: u64, make: impl FnOnce() -> ProgressBar) -> bool {
        let Some(b) = &mut self.bar else {
            if self.started.elapsed() <= Duration::from_secs(1) {
                return false;
            }
            let bar = make();
            set_bar_style(&bar, false);
            bar.set_position(done);
            // The rate is measured from here on, not over the runs done before the bar.
            bar.reset_eta();
            self.bar = Some(Bar {
                bar,
                shown: Instant::now(),
                updates: 0,
                with_rate: false,
            });
            return false;
        };
        b.updates += 1;
        b.bar.set_position(done);
        if !b.with_rate && b.updates >= RATE_AFTER_UPDATES && b.shown.elapsed() >= RATE_AFTER {
            b.with_rate = true;
            set_bar_style(&b.bar, true);
        }
        b.with_rate
    }
}

impl Monitor for Progress {
    fn on_progress(&mut self, done: u64, planned: u64) {
        (self.done, self.planned) = (done, planned);
        if !self.enabled {
            return;
        }
        self.advance(done, || {
            ProgressBar::with_draw_target(Some(planned), ProgressDrawTarget::stderr())
        });
    }

    fn should_stop(&mut self) -> bool {
        self.interrupt.received().is_some()
    }

    fn stop_flag(&self) -> Option<montecarlo::StopFlag> {
        Some(self.interrupt.stop_flag())
    }
}

fn map_batch_error(e: MonteCarloError, per_run: Option<&Path>) -> anyhow::Error {
    match e {
        MonteCarloError::Config(m) => BadInput(m).into(),
        MonteCarloError::Write(io) => {
            let file = per_run.map_or_else(String::new, |p| p.display().to_string());
            anyhow::Error::new(io).context(format!("{file}: cannot write the per-run records"))
        }
        other => other.into(),
    }
}

/// Runs `treaty run`.
pub fn run(args: RunArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let config = configure(&args)?;
    let out_path = out_path(args.out.as_deref());
    let outputs: Vec<(&str, &Path)> = [
        ("--out", out_path),
        ("--per-run", args.per_run.as_deref()),
        ("--html", args.html.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, p)| Some((flag, p?)))
    .collect();
    let inputs: Vec<(&str, &Path)> = input_path(&args.scenario)
        .map(|p| ("the scenario", p))
        .into_iter()
        .collect();
    check_paths(&outputs, &inputs)?;
    warn_html_out(out_path, args.html.as_deref(), false);
    let loaded = prepare(&args.scenario, &args.set)?;
    let model = &loaded.model;
    if args.pair.is_some() && args.html.is_none() {
        return Err(BadInput(
            "--pair chooses the principals of the --html page's utility-space chart; give --html \
             too"
            .into(),
        )
        .into());
    }
    let pair = chosen_pair(model, args.pair.as_deref())?;
    // The output files are opened before the batch, so a path that cannot be written is
    // reported at once, not after the whole batch.
    let out_file = out_path.map(AtomicFile::create).transpose()?;
    let html_file = args.html.as_deref().map(AtomicFile::create).transpose()?;
    // Per-run records go to their file, or, for Parquet, to a scratch CSV beside it that is
    // converted once the batch is done.
    let mut per_run_file = match &args.per_run {
        Some(path) => {
            let f = AtomicFile::create(path)?;
            let recorder = PerRunCsv::new(model);
            let mut rows = if is_parquet(path) {
                Rows::Parquet(Spill::beside(path)?, f)
            } else {
                Rows::Csv(f)
            };
            rows.write_all(recorder.header())
                .with_context(|| format!("{}: cannot write the per-run records", path.display()))?;
            Some((rows, recorder))
        }
        None => None,
    };
    let mut progress = Progress::new(interrupt);
    let started = Instant::now();
    let per_run = per_run_file.as_mut().map(|(f, r)| PerRun {
        recorder: r as &dyn montecarlo::RunRecorder,
        out: f as &mut dyn Write,
    });
    let result = montecarlo::run_batch(model, &config, per_run, &mut progress);
    progress.finish();
    if let Err(MonteCarloError::Interrupted) = result {
        // The per-run file's temporary is removed as it is dropped.
        return Err(progress.check().err().map_or_else(
            || anyhow::anyhow!("the batch stopped without a signal"),
            Into::into,
        ));
    }
    let result = result.map_err(|e| map_batch_error(e, args.per_run.as_deref()))?;
    let elapsed = started.elapsed();

    let mut html = None;
    let bytes = match config.shard {
        Some(_) => result.part(model, &config).to_json()?,
        None => {
            let summary = result.summary(model, &config);
            let format = args.format.unwrap_or(ReportFormat::Table);
            // The visual report, beside the usual one.
            if args.html.is_some() {
                let space = result.referee.as_ref().zip(pair).and_then(|(r, p)| {
                    montecarlo::UtilitySpace::new(model, r, p, config.seed, result.tally.runs())
                });
                html = Some(
                    summary
                        .clone()
                        .with_utility_space(space)
                        .render(Format::Html)?,
                );
            }
            summary.render(format.into())?
        }
    };
    // A signal that came after the last wave still stops the command before any file is put in
    // place; one that comes later lets it finish, since the files are then as good as written.
    progress.check()?;
    // Every output or none: the files are all written before any is put in place.
    let mut files = Vec::new();
    if let Some((rows, _)) = per_run_file {
        let provenance = serde_json::to_string(&montecarlo::Provenance::of(model, &config))?;
        files.push(rows.finish(&provenance)?);
    }
    let stdout = match out_file {
        Some(mut f) => {
            f.write_all(&bytes)
                .with_context(|| format!("{}: cannot write", f.path().display()))?;
            files.push(f);
            None
        }
        None => Some(bytes.as_slice()),
    };
    if let (Some(mut f), Some(page)) = (html_file, &html) {
        f.write_all(page)
            .with_context(|| format!("{}: cannot write", f.path().display()))?;
        files.push(f);
    }
    commit_all(files, stdout)?;

    let runs = result.tally.runs();
    let secs = elapsed.as_secs_f64();
    let shard = config
        .shard
        .map_or_else(String::new, |s| format!(" (part {s})"));
    let threads = result.threads;
    eprintln!(
        "treaty: {runs} runs of {}{shard} in {secs:.2} s on {threads} thread{} ({:.0} runs/s)",
        model.name,
        if threads == 1 { "" } else { "s" },
        runs as f64 / secs.max(1e-9)
    );
    Ok(0)
}

/// Whether per-run records written to `path` are Parquet (by its extension).
fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Where per-run rows go: the CSV file itself, or a scratch CSV made into a Parquet file.
enum Rows {
    Csv(AtomicFile),
    Parquet(Spill, AtomicFile),
}

impl Rows {
    /// The file to put in place; a Parquet file is made from the rows first, with the batch's
    /// `provenance` (JSON) in its metadata.
    fn finish(self, provenance: &str) -> anyhow::Result<AtomicFile> {
        match self {
            Rows::Csv(f) => Ok(f),
            Rows::Parquet(mut rows, mut out) => {
                let mut csv = rows.reader()?;
                treaty::report::parquet::per_run_parquet(&mut csv, &mut out, provenance)
                    .with_context(|| format!("{}: cannot write", out.path().display()))?;
                Ok(out)
            }
        }
    }
}

impl Write for Rows {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Rows::Csv(f) => f.write(buf),
            Rows::Parquet(s, _) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Rows::Csv(f) => f.flush(),
            Rows::Parquet(s, _) => s.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden() -> ProgressBar {
        ProgressBar::with_draw_target(Some(100_000), ProgressDrawTarget::hidden())
    }

    #[test]
    fn the_bar_shows_the_count_only_until_two_blocks_and_a_second_have_passed() {
        let mut p = Progress::new(Interrupt::unheard());
        p.started = Instant::now() - Duration::from_secs(2);
        // The bar appears with the runs done so far, and no rate.
        assert!(!p.advance(8000, hidden));
        assert_eq!(p.bar.as_ref().map(|b| b.bar.position()), Some(8000));
        // Blocks come quickly: still no rate within the first second.
        assert!(!p.advance(9000, hidden));
        assert!(!p.advance(10_000, hidden));
        assert!(!p.advance(11_000, hidden));
        if let Some(b) = &mut p.bar {
            b.shown -= Duration::from_secs(1);
        }
        assert!(p.advance(12_000, hidden));
    }

    #[test]
    fn the_rate_waits_for_two_blocks_however_long_the_first_takes() {
        let mut p = Progress::new(Interrupt::unheard());
        p.started = Instant::now() - Duration::from_secs(5);
        assert!(!p.advance(1000, hidden));
        if let Some(b) = &mut p.bar {
            b.shown -= Duration::from_secs(5);
        }
        assert!(!p.advance(2000, hidden));
        assert!(p.advance(3000, hidden));
    }

    #[test]
    fn no_bar_in_the_first_second() {
        let mut p = Progress::new(Interrupt::unheard());
        assert!(!p.advance(1000, hidden));
        assert!(p.bar.is_none());
    }
}
