//! A generic block driver: any exact, mergeable statistics of a batch, computed block by block in
//! parallel with the same determinism as [`run_batch`](super::run_batch).
//!
//! A [`BlockTask`] says how to play a block of run indices into a fresh tally and how to add one
//! tally into another. [`run_blocks`] splits the batch of a [`BatchConfig`] into its blocks (all,
//! or its shard's), plays waves of blocks on a rayon pool of the requested size, and folds the
//! block tallies into the total in block order. A task whose merge is exact (integer
//! accumulators, as in [`crate::stats`]) therefore gives the same result for any thread count.
//! Scenario comparisons and parameter sweeps ([`crate::experiment`]) play several models in
//! lockstep this way: run k of every model in the same block, from the same generator.

use std::ops::Range;

use rayon::prelude::*;

use super::{BLOCKS_PER_THREAD, BatchConfig, Monitor, MonteCarloError, StopFlag};

/// Work done block by block (module docs).
pub trait BlockTask: Sync {
    /// The statistics of a set of runs: exact, so that merging in any grouping gives the same
    /// result.
    type Tally: Send;

    /// A tally of no runs.
    fn empty(&self) -> Self::Tally;

    /// Plays the runs `runs` of a batch under master seed `seed`, in index order, into `tally`
    /// (fresh from [`BlockTask::empty`]). It should look at `stop` before every run and return
    /// at once when it is raised: the driver then discards the tally.
    fn play(&self, seed: u64, runs: Range<u64>, tally: &mut Self::Tally, stop: &StopFlag);

    /// Adds the runs of `block` to `total`.
    fn merge(&self, total: &mut Self::Tally, block: &Self::Tally) -> Result<(), MonteCarloError>;
}

/// What [`run_blocks`] produced.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocksResult<T> {
    /// The statistics of every run played.
    pub tally: T,
    /// The blocks played.
    pub blocks: Range<u64>,
    /// The threads the batch ran on (results do not depend on it).
    pub threads: usize,
}

/// Plays the batch `config` (every block, or its shard's) with `task`, reporting progress in
/// runs to `monitor`. A precision target is refused: it is a rule of
/// [`run_batch`](super::run_batch).
pub fn run_blocks<B: BlockTask>(
    task: &B,
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<BlocksResult<B::Tally>, MonteCarloError> {
    config.check()?;
    if config.precision.is_some() {
        return Err(MonteCarloError::Config(
            "a precision target applies to a single batch, not to this task".into(),
        ));
    }
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
    let planned = config.runs_in(&blocks);
    let stop = monitor.stop_flag().unwrap_or_default();
    let mut total = task.empty();
    let mut done = 0u64;
    let mut next = blocks.start;
    while next < blocks.end {
        if monitor.should_stop() {
            return Err(MonteCarloError::Interrupted);
        }
        let count = usize::try_from(blocks.end - next).map_or(wave, |left| left.min(wave));
        let mut slots: Vec<(u64, B::Tally)> = (0..count)
            .map(|i| (next + i as u64, task.empty()))
            .collect();
        pool.install(|| {
            slots
                .par_iter_mut()
                .with_max_len(1)
                .for_each(|(block, tally)| {
                    task.play(config.seed, config.block_runs(*block), tally, &stop)
                });
        });
        if stop.is_raised() {
            return Err(MonteCarloError::Interrupted);
        }
        for (block, tally) in &slots {
            task.merge(&mut total, tally)?;
            done += config.runs_in(&(*block..*block + 1));
            monitor.on_progress(done, planned);
        }
        next += count as u64;
    }
    Ok(BlocksResult {
        tally: total,
        blocks,
        threads: pool.current_num_threads(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::{Shard, Unwatched};
    use crate::rng::SimRng;

    /// Sums, per run, the run's first raw draw (wrapping) and collects the run indices in the
    /// order they were merged.
    struct Draws;

    impl BlockTask for Draws {
        type Tally = (u64, Vec<u64>);

        fn empty(&self) -> Self::Tally {
            (0, Vec::new())
        }

        fn play(&self, seed: u64, runs: Range<u64>, tally: &mut Self::Tally, stop: &StopFlag) {
            for run in runs {
                if stop.is_raised() {
                    return;
                }
                tally.0 = tally.0.wrapping_add(SimRng::for_run(seed, run).next_u64());
                tally.1.push(run);
            }
        }

        fn merge(
            &self,
            total: &mut Self::Tally,
            block: &Self::Tally,
        ) -> Result<(), MonteCarloError> {
            total.0 = total.0.wrapping_add(block.0);
            total.1.extend_from_slice(&block.1);
            Ok(())
        }
    }

    fn config(runs: u64, threads: usize) -> BatchConfig {
        let mut c = BatchConfig::new(11, runs);
        c.block_size = 7;
        c.threads = Some(threads);
        c
    }

    #[test]
    fn every_run_once_in_order_for_any_thread_count() {
        let one = run_blocks(&Draws, &config(100, 1), &mut Unwatched).unwrap();
        let three = run_blocks(&Draws, &config(100, 3), &mut Unwatched).unwrap();
        assert_eq!(one.tally.1, (0..100).collect::<Vec<_>>());
        assert_eq!(one.tally, three.tally);
        assert_eq!(one.blocks, 0..15);
        let expected = (0..100).fold(0u64, |s, k| {
            s.wrapping_add(SimRng::for_run(11, k).next_u64())
        });
        assert_eq!(one.tally.0, expected);
    }

    #[test]
    fn shards_play_their_blocks_and_precision_is_refused() {
        let mut c = config(100, 2);
        c.shard = Some(Shard::new(2, 3).unwrap());
        let part = run_blocks(&Draws, &c, &mut Unwatched).unwrap();
        assert_eq!(part.blocks, 5..10);
        assert_eq!(part.tally.1, (35..70).collect::<Vec<_>>());
        let mut c = config(100, 2);
        c.precision = Some(0.01);
        assert!(matches!(
            run_blocks(&Draws, &c, &mut Unwatched),
            Err(MonteCarloError::Config(_))
        ));
    }

    #[test]
    fn a_stop_request_interrupts() {
        struct Stop;
        impl Monitor for Stop {
            fn should_stop(&mut self) -> bool {
                true
            }
        }
        assert!(matches!(
            run_blocks(&Draws, &config(10, 1), &mut Stop),
            Err(MonteCarloError::Interrupted)
        ));
    }

    #[test]
    fn a_raised_flag_stops_the_workers_before_the_next_run() {
        /// Raises the flag during the first run it sees; counts the runs played.
        struct Raise(std::sync::atomic::AtomicU64);
        impl BlockTask for Raise {
            type Tally = ();
            fn empty(&self) {}
            fn play(&self, _: u64, runs: Range<u64>, _: &mut (), stop: &StopFlag) {
                for _ in runs {
                    if stop.is_raised() {
                        return;
                    }
                    self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    stop.raise();
                }
            }
            fn merge(&self, _: &mut (), _: &()) -> Result<(), MonteCarloError> {
                Ok(())
            }
        }
        struct Flag(StopFlag);
        impl Monitor for Flag {
            fn stop_flag(&self) -> Option<StopFlag> {
                Some(self.0.clone())
            }
        }
        let task = Raise(Default::default());
        let mut c = config(1000, 1);
        c.block_size = 1000;
        let result = run_blocks(&task, &c, &mut Flag(StopFlag::new()));
        assert!(matches!(result, Err(MonteCarloError::Interrupted)));
        assert_eq!(task.0.into_inner(), 1, "one run, not the whole block");
    }
}
