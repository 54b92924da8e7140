//! Mergeable, exact statistics of a batch of runs.
//!
//! # Why exact
//!
//! A report must be byte-identical for any thread count, and when shards computed on different
//! machines are merged later. Floating-point addition is not associative: `(b0 + b1) + (b2 + b3)`
//! (two shards) may differ in the last bit from `((b0 + b1) + b2) + b3` (one machine). So no
//! accumulator here adds floats. Every accumulator is an integer, and integer addition is exact
//! and associative: any grouping and any order of merges gives the same bits.
//!
//! # The scheme
//!
//! - **Counts** (outcome kinds, options, runs above a reservation utility, conflicts) are `u64`.
//! - **Sums of values** ([`Moments`]): a value x is quantised once to the fixed-point integer
//!   q = round(x · 2^52) (x clamped to [−256, 256], far beyond any utility or settlement; NaN
//!   counts as 0), and the batch keeps n, Σq (`i128`) and Σq² (256 bits). The mean is
//!   Σq / (n · 2^52) and the sample variance is computed exactly in 256-bit integers as
//!   (n Σq² − (Σq)²) / (n (n − 1) · 2^104), rounded to `f64` only at the end. Quantising to 2^−52
//!   changes a value by at most 1.1 · 10^−16; identical values give a variance of exactly 0.
//! - **Distributions** ([`Histogram`]): settlements on [0, 1] fall into 1,001 bins of width
//!   [`BIN_WIDTH`] = 0.001 centred on 0, 0.001, …, 1 (so option points such as 0.25 are bin
//!   centres); rounds are counted exactly, one bin per round (beyond 4,096 bins only the
//!   non-empty bins are kept, so memory does not grow with the deadline). A quantile is the centre of the bin
//!   holding the sample quantile, so it is exact to half a bin width (exact for rounds).
//! - **Quantiles** are the type-1 sample quantiles of Hyndman & Fan (1996): the p-quantile of n
//!   values is the ⌈p·n⌉-th smallest (the first for p·n < 1), computed with integer arithmetic.
//! - **Intervals** for probabilities are 95% Wilson score intervals ([`wilson`]).
//!
//! - **Distances** of the runs' judgements ([`JudgementTally`]) fall into 2,001 bins of width
//!   0.001 centred on 0, 0.001, …, 2 ([`distance_bin`]); a distance beyond 2 (a settlement
//!   far worse than disagreement for some principal) is counted in the last bin, so a quantile
//!   reported as 2 means "2 or more". Their sums are [`Moments`] like any value's.
//!
//! A [`Tally`] holds all of these for one model; a block of runs is tallied in run-index order, and
//! tallies are merged with [`Tally::merge`], whose result does not depend on the grouping.

mod fixed;
mod histogram;
mod interval;
mod tally;

pub use fixed::{FIXED_SCALE, Moments};
pub use histogram::{BIN_WIDTH, Histogram, UNIT_BINS, unit_bin, unit_bin_centre};
pub use interval::{Z95, wilson, wilson_half_width};
pub use tally::{
    ActorTally, DISTANCE_BINS, DISTANCE_MAX, DistanceTally, IssueTally, JudgementTally, Tally,
    TallyError, distance_bin,
};

/// The percentiles every report states, in order.
pub const PERCENTILES: [u32; 5] = [5, 25, 50, 75, 95];
