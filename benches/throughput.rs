//! Throughput of the engine and of the batch runner.
//!
//! - `flagship/one run`: one run of the Nagorno-Karabakh flagship through [`simulate_run`]
//!   (setting up a run, sampling its world, every round, the outcome), a different run index
//!   each time; `flagship/one run, warm simulator`: the same on a [`Simulator`] kept from run to
//!   run, as the batch runner plays them;
//! - `flagship/batch of 10,000 runs`: `treaty run karabakh-2023 --runs 10000` without the report,
//!   on 1 and on 2 threads (the same runs, the same tally);
//! - `bench-pie` and `bench-6x8`: batches of the two benchmark scenarios of the side-by-side with
//!   NegMAS (`benches/negmas/`), on 1 and on 2 threads.
//!
//! Criterion reports time per iteration and, for batches, runs per second (`thrpt`).
//!
//! ```sh
//! cargo bench --bench throughput
//! cargo bench --bench throughput -- flagship   # one group
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use treaty::engine::{NoopObserver, Simulator, simulate_run};
use treaty::model::Model;
use treaty::montecarlo::{BatchConfig, Unwatched, run_batch};
use treaty::rng::SimRng;

/// The validated model of a bundled scenario.
fn model(name: &str) -> Model {
    match treaty::scenario::load(name) {
        Ok(loaded) => loaded.model,
        Err(e) => panic!("the bundled scenario {name} does not load: {e}"),
    }
}

/// Plays `runs` runs of `model` under seed 0 on `threads` threads; returns the runs tallied.
fn batch(model: &Model, runs: u64, threads: usize) -> u64 {
    let mut config = BatchConfig::new(0, runs);
    config.threads = Some(threads);
    match run_batch(model, &config, None, &mut Unwatched) {
        Ok(result) => result.tally.runs(),
        Err(e) => panic!("the batch failed: {e}"),
    }
}

fn one_run(c: &mut Criterion) {
    let model = model("karabakh-2023");
    let mut group = c.benchmark_group("flagship");
    group.throughput(Throughput::Elements(1));
    let mut run = 0u64;
    group.bench_function("one run", |b| {
        b.iter(|| {
            run = run.wrapping_add(1);
            let mut rng = SimRng::for_run(0, run);
            black_box(simulate_run(black_box(&model), &mut rng, &mut NoopObserver))
        });
    });
    let mut simulator = Simulator::new(&model);
    group.bench_function("one run, warm simulator", |b| {
        b.iter(|| {
            run = run.wrapping_add(1);
            black_box(
                simulator
                    .run(&SimRng::for_run(0, run), &mut NoopObserver)
                    .round,
            )
        });
    });
    group.finish();
}

/// A batch of `runs` runs of the bundled scenario `name` on 1 and on 2 threads.
fn batches(c: &mut Criterion, name: &str, label: &str, runs: u64) {
    let model = model(name);
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(runs));
    for threads in [1usize, 2] {
        let id = BenchmarkId::new(
            label,
            format!("{threads} thread{}", if threads == 1 { "" } else { "s" }),
        );
        group.bench_with_input(id, &threads, |b, &threads| {
            b.iter(|| {
                let tallied = batch(black_box(&model), runs, threads);
                assert_eq!(tallied, runs);
            });
        });
    }
    group.finish();
}

fn flagship_batch(c: &mut Criterion) {
    batches(c, "karabakh-2023", "batch of 10,000 runs", 10_000);
}

fn bench_pie(c: &mut Criterion) {
    batches(c, "bench-pie", "batch of 10,000 runs", 10_000);
}

fn bench_6x8(c: &mut Criterion) {
    batches(c, "bench-6x8", "batch of 2,000 runs", 2_000);
}

criterion_group!(benches, one_run, flagship_batch, bench_pie, bench_6x8);
criterion_main!(benches);
