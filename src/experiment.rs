//! Experiments: paired comparisons of scenario variants and parameter sweeps, on common random
//! numbers.
//!
//! # Common random numbers
//!
//! Run k of every scenario in an experiment (the base and each variant of a comparison, every
//! point of a sweep) is played from the same generator, [`SimRng::for_run`](crate::rng::SimRng)
//! `(seed, k)`, and inside the run every draw is keyed by what it is for ([`crate::rng`]): each
//! owner of uncertain numbers has its own region of the stream, and the draws of the rounds are
//! keyed by purpose, lane (actor, event, initiator) and round. So run k of a variant meets the
//! same sampled world and the same shocks as run k of its base wherever the variant did not
//! change them, and the run-by-run difference of a metric measures the change, not the noise.
//! This is the classic variance-reduction device of simulation experiments (Law, *Simulation
//! Modeling and Analysis*, on common random numbers and the paired-t interval; Glasserman 2004,
//! *Monte Carlo Methods in Financial Engineering*, 4.2).
//!
//! The scenarios run in lockstep: each block of run indices plays run k of every scenario in
//! turn on one worker ([`run_blocks`](crate::montecarlo::run_blocks)), and every statistic is an
//! exact integer accumulator ([`crate::stats`]), so results are the same bits for any thread
//! count.
//!
//! # The metrics
//!
//! [`Metrics`]: the probability of each outcome kind and of war (limited or not), the round the run ended in, the
//! settlement of each issue and each actor's own utility. Every run contributes to every metric
//! (an indicator for the probabilities; for `round`, the agreement's round, the deadline for a
//! deadlock, the war's round for a conflict), so every metric pairs run by run. Sweeps add the
//! mean round of agreement over the runs that agreed, as `treaty run` reports it.
//!
//! # Paired differences ([`compare`])
//!
//! For a metric with per-run values X_k in the base and Y_k in a variant, D_k = Y_k − X_k
//! (computed exactly in the fixed point of [`Moments`](crate::stats::Moments), so the mean
//! difference is exactly the difference of the means), over n runs:
//!
//! ```text
//! difference  d = (1/n) Σ D_k
//! interval    d ± z · s_D / √n             (s_D the sample sd of the D_k, z = 1.959964)
//! significant: the interval excludes 0
//! unpaired    d ± z · √((s_X² + s_Y²) / n) (what independent runs would give)
//! standardised d / √((s_X² + s_Y²) / 2)    (Cohen's d with the pooled sd)
//! ```
//!
//! For a probability the D_k are differences of indicators (−1, 0, 1). The interval is the
//! normal (paired-t with large n) interval; with common random numbers s_D² = s_X² + s_Y² −
//! 2 cov(X, Y) is smaller than the unpaired s_X² + s_Y² whenever the variant moves with its base.
//! A scenario compared with itself gives D_k = 0 exactly: zero differences, zero-width
//! intervals. Each variant's line says which significant metric changed most, by the largest
//! |standardised difference| (a change in a metric that varies in neither scenario ranks first).
//!
//! # Sweeps ([`sweep`])
//!
//! Every point of the grid is a batch of the same runs under the same seed, with 95% intervals
//! per point: Wilson's for probabilities ([`crate::stats::wilson`]), mean ± z·s/√n for means.
//! Each point's numbers are those `treaty run` gives with the same overrides and seed.

mod compare;
mod metrics;
pub mod sensitivity;
mod spec;
mod sweep;

pub use compare::{
    BaseEntry, COMPARE_SCHEMA, ChangedMost, Comparison, PairedMetric, Variant, VariantComparison,
    compare,
};
pub use metrics::{Estimate, Metric, MetricKind, MetricTally, Metrics, observe};
pub use spec::{Axis, MAX_POINTS, grid};
pub use sweep::{
    MetricEstimate, PointRow, ROUNDS_TO_AGREEMENT, SWEEP_SCHEMA, Sweep, SweepPoint, check_grid,
    sweep, sweep_grid, sweep_points,
};

/// An experiment that cannot be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExperimentError {
    /// A `--variant` or `--set` argument cannot be read.
    #[error("{arg}: {message}")]
    Spec {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
    },
    /// A point of a sweep is not a valid scenario.
    #[error("sweep point {point}: {message}")]
    Point {
        /// Which point, with its overrides.
        point: String,
        /// What is wrong, naming the path.
        message: String,
    },
    /// The grid has too many points.
    #[error("the grid {axes} has more than {limit} points")]
    TooManyPoints {
        /// The axes and their sizes.
        axes: String,
        /// The limit.
        limit: usize,
    },
}
