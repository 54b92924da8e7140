//! The seeded parallel batch runner: blocks, waves, precision targets and shards.
//!
//! # Determinism
//!
//! A batch of `runs` runs under master seed `seed` plays run k (k = 0, 1, …) with the generator
//! [`SimRng::for_run`]`(seed, k)` and nothing else, so run k is the same whatever runs beside it
//! and on whichever thread it runs.
//!
//! Run indices are grouped in **blocks** of `block_size` consecutive indices ([`BLOCK_SIZE`] on
//! the command line; the last block may be shorter): block b holds runs
//! b·block_size … min((b+1)·block_size, runs) − 1. A block is played and tallied in index order
//! into its own [`Tally`]; blocks are folded into the batch's tally in block order. Tallies are
//! exact integer accumulators (see [`crate::stats`]), so the result does not depend on how blocks
//! are spread over threads, nor on how shards are grouped when merged: the same scenario, seed
//! and run count give the same bits for any thread count and any shard split.
//!
//! # Streaming
//!
//! Blocks are played in **waves** of a few blocks per thread, in parallel on a rayon pool of the
//! requested size. Each wave reuses the same per-block tallies and record buffers, and is folded
//! before the next starts, so memory does not grow with the number of runs. Per-run records (for
//! `--per-run`) are formatted on the worker threads into the block's buffer and written in block
//! order, so the file lists runs in index order.
//!
//! # Precision targets
//!
//! With a precision target ε, blocks are folded one at a time in block order and, after each, the
//! 95% Wilson half-width of every outcome probability (agreement, deadlock, conflict) is checked;
//! the batch stops after the first block at which all are below ε, or when the cap (`runs`,
//! [`PRECISION_CAP`] by default on the command line) is reached. Blocks of a wave beyond the
//! stopping block are discarded unread. The stopping block depends only on the tallies, so the
//! result is the same for any thread count.
//!
//! # Shards
//!
//! Shard i of n (1-based) plays the blocks ⌊(i−1)·B/n⌋ … ⌊i·B/n⌋ − 1 of the B blocks of the
//! batch: whole blocks, a deterministic split, every block in exactly one shard. Its tally, saved
//! as a [`Part`], merges with the others into the tally of the whole batch.
//!
//! # Example
//!
//! ```
//! use treaty::montecarlo::{BatchConfig, Unwatched, summarise};
//! use treaty::report::{Format, Render};
//!
//! let model = treaty::scenario::load("rubinstein-pie")?.model;
//! let mut config = BatchConfig::new(42, 2_000); // seed 42, 2,000 runs
//! config.threads = Some(2);
//! let summary = summarise(&model, &config, &mut Unwatched)?;
//! assert_eq!(summary.provenance.runs, 2_000);
//!
//! let json = summary.render(Format::Json)?;
//! assert!(json.starts_with(b"{\n  \"schema\": \"treaty-report/2\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocks;
mod outline;
mod part;
mod provenance;
mod space;
pub(crate) mod summary;

pub use blocks::{BlockTask, BlocksResult, run_blocks};
pub use outline::{ActorOutline, CalendarOutline, IssueOutline, OptionOutline, Outline, UnitName};
pub use part::{MAX_PART_BYTES, MergeError, PART_SCHEMA, Part, merge_parts};
pub use provenance::Provenance;
pub use space::{CLOUD_RUNS, UtilitySpace};
pub use summary::{
    ActorSummary, ByOutcome, DistanceSummary, Ideal, IssueSummary, JudgementSummary, OptionSummary,
    OutcomeSummary, PrecisionSummary, Probability, Quantiles, REPORT_SCHEMA, RoundsSummary,
    ScenarioSummary, SettlementSummary, Summary, WarSummary,
};

use std::io::Write;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::engine::{Observer, OutcomeKind, RunOutcome, Simulator, simulate_run};
use crate::model::{Model, SamplePlan, World};
use crate::rng::SimRng;
use crate::solvers::bargaining::{Judgement, Referee, Resolution};
use crate::stats::{Tally, TallyError, wilson_half_width};

/// Plays run `run` of a batch under master seed `seed` exactly as the batch plays it (with the
/// generator [`SimRng::for_run`]`(seed, run)` and nothing else), telling `observer` every step:
/// how any run of a report is told again, round by round.
pub fn replay_run(model: &Model, seed: u64, run: u64, observer: &mut impl Observer) -> RunOutcome {
    simulate_run(model, &mut SimRng::for_run(seed, run), observer)
}

/// Runs per block on the command line (recorded in every report's provenance).
pub const BLOCK_SIZE: u64 = 1000;
/// Runs of `treaty run` without `--runs`.
pub const DEFAULT_RUNS: u64 = 10_000;
/// The cap on runs of a batch with a precision target, unless `--runs` sets another.
pub const PRECISION_CAP: u64 = 10_000_000;
/// The most runs a batch may have (2^40: far beyond any use, and safely inside the exact
/// accumulators' range).
pub const MAX_RUNS: u64 = 1 << 40;
/// Blocks per thread in a wave.
const BLOCKS_PER_THREAD: usize = 4;

/// A batch that cannot run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MonteCarloError {
    /// The settings are impossible (no runs, a shard outside its count, a precision target
    /// outside (0, 1), a precision target with a shard).
    #[error("{0}")]
    Config(String),
    /// The thread pool could not be started.
    #[error("cannot start a pool of {threads} threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// What rayon said.
        message: String,
    },
    /// Writing the per-run records failed.
    #[error("cannot write the per-run records")]
    Write(#[source] std::io::Error),
    /// The monitor asked the batch to stop.
    #[error("interrupted")]
    Interrupted,
    /// Block tallies did not fit together (a bug).
    #[error(transparent)]
    Tally(#[from] TallyError),
}

/// Part i of n of a batch (1-based), as in `--shard i/n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// Which part, 1 ..= count.
    pub index: u64,
    /// How many parts.
    pub count: u64,
}

impl Shard {
    /// Part `index` of `count`; both must be at least 1 and `index` at most `count`.
    pub fn new(index: u64, count: u64) -> Result<Self, MonteCarloError> {
        if count == 0 || index == 0 || index > count || count > MAX_RUNS {
            return Err(MonteCarloError::Config(format!(
                "shard {index}/{count} does not exist: write I/N with 1 ≤ I ≤ N ≤ {MAX_RUNS}"
            )));
        }
        Ok(Shard { index, count })
    }

    /// The blocks of this part out of `total_blocks` (module docs).
    pub fn blocks(&self, total_blocks: u64) -> Range<u64> {
        let at =
            |i: u64| (u128::from(i) * u128::from(total_blocks) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = MonteCarloError;

    fn from_str(s: &str) -> Result<Self, MonteCarloError> {
        let bad = || MonteCarloError::Config(format!("`{s}` is not a shard: write I/N, e.g. 2/8"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let i: u64 = i.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n)
    }
}

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchConfig {
    /// The master seed.
    pub seed: u64,
    /// Runs of the whole batch; with a precision target, the cap.
    pub runs: u64,
    /// Runs per block ([`BLOCK_SIZE`] on the command line).
    pub block_size: u64,
    /// Threads of the pool; `None`: one per core (or `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
    /// Play only this part of the batch.
    pub shard: Option<Shard>,
    /// Stop once every outcome probability's 95% Wilson half-width is below this.
    pub precision: Option<f64>,
}

impl BatchConfig {
    /// `runs` runs under `seed` in blocks of [`BLOCK_SIZE`], on all cores, whole, without a
    /// precision target.
    pub fn new(seed: u64, runs: u64) -> Self {
        BatchConfig {
            seed,
            runs,
            block_size: BLOCK_SIZE,
            threads: None,
            shard: None,
            precision: None,
        }
    }

    /// Blocks of the whole batch.
    pub fn total_blocks(&self) -> u64 {
        self.runs.div_ceil(self.block_size.max(1))
    }

    /// The run indices of block `b`.
    pub fn block_runs(&self, b: u64) -> Range<u64> {
        let start = b.saturating_mul(self.block_size).min(self.runs);
        start..start.saturating_add(self.block_size).min(self.runs)
    }

    /// How many runs the blocks `blocks` hold.
    pub fn runs_in(&self, blocks: &Range<u64>) -> u64 {
        let at = |b: u64| b.saturating_mul(self.block_size).min(self.runs);
        at(blocks.end).saturating_sub(at(blocks.start))
    }

    /// The blocks this batch plays (all, or its shard's).
    pub fn blocks(&self) -> Range<u64> {
        match self.shard {
            Some(s) => s.blocks(self.total_blocks()),
            None => 0..self.total_blocks(),
        }
    }

    fn check(&self) -> Result<(), MonteCarloError> {
        let bad = |m: String| Err(MonteCarloError::Config(m));
        if self.runs == 0 {
            return bad("a batch needs at least one run".into());
        }
        if self.runs > MAX_RUNS {
            return bad(format!(
                "{} runs is more than the limit of {MAX_RUNS}",
                self.runs
            ));
        }
        if self.block_size == 0 {
            return bad("a block needs at least one run".into());
        }
        if self.threads == Some(0) {
            return bad("at least one thread is needed".into());
        }
        if let Some(s) = self.shard {
            Shard::new(s.index, s.count)?;
        }
        if let Some(eps) = self.precision {
            if !(eps > 0.0 && eps < 1.0) {
                return bad(format!("a precision target must lie in (0, 1), not {eps}"));
            }
            if self.shard.is_some() {
                return bad(
                    "a precision target decides when to stop, so it cannot be split into shards"
                        .into(),
                );
            }
        }
        Ok(())
    }
}

/// How a batch with a precision target ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrecisionResult {
    /// The target half-width.
    pub target: f64,
    /// Whether it was reached (otherwise the cap stopped the batch).
    pub reached: bool,
    /// The largest 95% Wilson half-width of an outcome probability when the batch stopped.
    pub half_width: f64,
}

/// What a batch produced.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// The statistics of every run played.
    pub tally: Tally,
    /// The blocks played.
    pub blocks: Range<u64>,
    /// How a precision target ended, if there was one.
    pub precision: Option<PrecisionResult>,
    /// The threads the batch ran on (for timings; results do not depend on it).
    pub threads: usize,
    /// What the runs were judged against, if anything.
    pub referee: Option<Referee>,
}

impl BatchResult {
    /// What this batch of `model` under `config` found, as reports give it: the outcome odds,
    /// settlements and utilities with their intervals, and the provenance (the runs played).
    pub fn summary(&self, model: &Model, config: &BatchConfig) -> Summary {
        let mut provenance = Provenance::of(model, config);
        provenance.runs = self.tally.runs();
        let precision = self.precision.map(|p| PrecisionSummary {
            target: p.target,
            reached: p.reached,
            half_width: p.half_width,
            cap: config.runs,
        });
        Summary::new(&Outline::of(model), &self.tally, &provenance, precision)
    }

    /// The part file of this batch of `model` under `config` (one shard of a larger batch), for
    /// [`merge_parts`].
    pub fn part(&self, model: &Model, config: &BatchConfig) -> Part {
        Part::new(
            config,
            self,
            Outline::of(model),
            Provenance::of(model, config),
        )
    }
}

/// Plays a batch of `model` under `config` and summarises it: the library's one call from a
/// validated model to what a report says (see the example in the module docs).
pub fn summarise(
    model: &Model,
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<Summary, MonteCarloError> {
    Ok(run_batch(model, config, None, monitor)?.summary(model, config))
}

/// Watches a batch from the calling thread, between blocks.
#[allow(unused_variables)]
pub trait Monitor {
    /// `done` of at most `planned` runs are tallied.
    fn on_progress(&mut self, done: u64, planned: u64) {}
    /// Whether to abandon the batch (checked between blocks).
    fn should_stop(&mut self) -> bool {
        false
    }
    /// A flag that abandons the batch once raised, checked by the workers before every run, so
    /// a stop is seen within one run's time even when a block takes long; `None`: only
    /// [`Monitor::should_stop`] is asked, between blocks.
    fn stop_flag(&self) -> Option<StopFlag> {
        None
    }
}

/// A request to stop a batch, shared between threads: raised once from anywhere (a signal
/// handler), read with one atomic load.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// A flag not raised.
    pub fn new() -> Self {
        StopFlag::default()
    }

    /// Asks every batch watching this flag to stop.
    pub fn raise(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the flag was raised.
    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// An observer that sees nothing but gives its run up once the flag is raised (checked
    /// before every round; [`Observer::abandoned`]), for the batches' workers.
    pub fn observer(&self) -> StopObserver<'_> {
        StopObserver(self)
    }
}

/// The observer of a batch's runs: watches only the [`StopFlag`] ([`StopFlag::observer`]).
#[derive(Debug, Clone, Copy)]
pub struct StopObserver<'a>(&'a StopFlag);

impl Observer for StopObserver<'_> {
    fn abandoned(&self) -> bool {
        self.0.is_raised()
    }
}

/// The monitor that watches nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unwatched;

impl Monitor for Unwatched {}

/// Formats one run's record (called on worker threads).
pub trait RunRecorder: Sync {
    /// Appends the record of run `run` to `buf`: how it ended, the judgement of its settlement
    /// (if the batch has a [`Referee`]), and the world it was played in (its uncertain numbers as
    /// sampled, before any event changed them).
    fn append(
        &self,
        buf: &mut Vec<u8>,
        run: u64,
        outcome: &RunOutcome,
        world: &World,
        judgement: Option<&Judgement>,
    );
}

/// Where per-run records go: a formatter and a writer that gets the records in run order.
pub struct PerRun<'a> {
    /// Formats each run.
    pub recorder: &'a dyn RunRecorder,
    /// Receives the records, block by block in run order.
    pub out: &'a mut dyn Write,
}

/// One block's reusable workspace.
struct Slot {
    block: u64,
    tally: Tally,
    records: Vec<u8>,
}

/// The largest 95% Wilson half-width of the three outcome probabilities.
fn largest_half_width(tally: &Tally) -> f64 {
    OutcomeKind::ALL
        .iter()
        .filter_map(|&k| wilson_half_width(tally.outcome_count(k), tally.runs()))
        .fold(0.0, f64::max)
}

/// Plays the batch `config` of `model` (module docs), writing per-run records to `per_run` if
/// given and reporting progress to `monitor`.
pub fn run_batch(
    model: &Model,
    config: &BatchConfig,
    mut per_run: Option<PerRun<'_>>,
    monitor: &mut dyn Monitor,
) -> Result<BatchResult, MonteCarloError> {
    config.check()?;
    let threads = config.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| MonteCarloError::ThreadPool {
            threads,
            message: e.to_string(),
        })?;
    let blocks = config.blocks();
    let wave = (pool.current_num_threads() * BLOCKS_PER_THREAD).max(1);
    let wave = wave.min(
        usize::try_from(blocks.end - blocks.start)
            .unwrap_or(wave)
            .max(1),
    );
    let mut slots: Vec<Slot> = (0..wave)
        .map(|_| Slot {
            block: 0,
            tally: Tally::for_model(model),
            records: Vec::new(),
        })
        .collect();
    let planned = config.runs_in(&blocks);
    let recorder = per_run.as_ref().map(|p| p.recorder);
    // The reference every run's settlement is judged against, worked out once.
    let referee = Referee::new(model, Resolution::default());
    let stop = monitor.stop_flag().unwrap_or_default();
    let mut total = Tally::for_model(model);
    let mut precision = None;
    let mut next = blocks.start;
    'waves: while next < blocks.end {
        if monitor.should_stop() {
            return Err(MonteCarloError::Interrupted);
        }
        let count = usize::try_from(blocks.end - next).map_or(wave, |left| left.min(wave));
        let used = &mut slots[..count];
        for (i, slot) in used.iter_mut().enumerate() {
            slot.block = next + i as u64;
        }
        pool.install(|| {
            used.par_iter_mut().with_max_len(1).for_each(|slot| {
                play_block(model, config, slot, recorder, referee.as_ref(), &stop);
            });
        });
        // Blocks cut short by a stop request are never folded.
        if stop.is_raised() {
            return Err(MonteCarloError::Interrupted);
        }
        for slot in used.iter() {
            total.merge(&slot.tally)?;
            if let Some(p) = per_run.as_mut() {
                p.out
                    .write_all(&slot.records)
                    .map_err(MonteCarloError::Write)?;
            }
            monitor.on_progress(total.runs(), planned);
            if let Some(target) = config.precision {
                let half_width = largest_half_width(&total);
                let reached = half_width < target;
                precision = Some(PrecisionResult {
                    target,
                    reached,
                    half_width,
                });
                if reached {
                    next = slot.block + 1;
                    break 'waves;
                }
            }
        }
        next += count as u64;
    }
    if let Some(p) = per_run.as_mut() {
        p.out.flush().map_err(MonteCarloError::Write)?;
    }
    Ok(BatchResult {
        tally: total,
        blocks: blocks.start..next.min(blocks.end),
        precision,
        threads: pool.current_num_threads(),
        referee,
    })
}

/// Plays block `slot.block` into the slot's tally (and records), in run-index order; gives up
/// before the next run once `stop` is raised, leaving the slot incomplete.
fn play_block(
    model: &Model,
    config: &BatchConfig,
    slot: &mut Slot,
    recorder: Option<&dyn RunRecorder>,
    referee: Option<&Referee>,
    stop: &StopFlag,
) {
    slot.tally.clear();
    slot.records.clear();
    let mut scratch = Vec::new();
    let mut simulator = Simulator::new(model);
    // The runs' worlds are drawn again for the records only, from the same generators.
    let mut sampled = recorder.map(|r| {
        let plan = SamplePlan::new(model);
        let world = plan.world();
        (r, plan, world)
    });
    for run in config.block_runs(slot.block) {
        if stop.is_raised() {
            return;
        }
        let rng = SimRng::for_run(config.seed, run);
        let outcome = simulator.run(&rng, &mut stop.observer());
        let judgement: Option<Judgement> =
            referee.map(|r| r.judge(&outcome.settlement, &mut scratch));
        slot.tally.record(model, outcome);
        if let Some(j) = &judgement {
            slot.tally.judge(outcome.kind, j);
        }
        if let Some((r, plan, world)) = sampled.as_mut() {
            plan.sample_into(&rng, world);
            r.append(&mut slot.records, run, outcome, world, judgement.as_ref());
        }
    }
}
