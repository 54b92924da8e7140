//! No heap allocation per round: a counting global allocator (installed in this test binary
//! only) counts the allocations of each thread, and an observer reads the count at the start of
//! every round and at the end of the run.
//!
//! - Between the starts of two rounds (events, proposal, evaluation, answers, force,
//!   concessions) a run allocates nothing, in every bundled scenario and in variants with wars,
//!   frequent events, noise, mediated texts, the expected-utility model, equilibrium players and
//!   tit for tat.
//! - A [`Simulator`] that has played a few runs allocates nothing at all for a run of the
//!   alternating-offers scenarios, however many rounds it lasts.
//! - [`simulate_run`], which sets everything up for one run, allocates as often for a run of
//!   10 rounds as for one of 1,000.
//! - Memory does not grow with the deadline: the tally of a batch asks for no more bytes under a
//!   deadline of 1,000,000 rounds than under one of 1,000, nor does a run (whose memo of
//!   concession curves is bounded at 2 MiB, and left out at such a deadline).
//!
//! The library itself forbids unsafe code; the `unsafe impl GlobalAlloc` below lives in this
//! test crate only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use treaty::engine::{NoopObserver, Observer, RunOutcome, Simulator, simulate_run};
use treaty::model::{Model, World};
use treaty::rng::SimRng;
use treaty::scenario::overrides::{Override, apply_overrides};
use treaty::scenario::{parse, read_source, validate};
use treaty::stats::Tally;

/// Counts allocations (and reallocations) per thread, then defers to the system allocator.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: a thread being torn down may still free and allocate.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

/// Counts `size` bytes asked for (by an allocation, or by a reallocation as its new size).
fn count_bytes(size: usize) {
    let _ = BYTES.try_with(|c| c.set(c.get() + size as u64));
}

/// Bytes asked for by this thread so far.
fn bytes() -> u64 {
    BYTES.with(Cell::get)
}

/// Allocations made by this thread so far.
fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches only a const-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        count_bytes(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        count_bytes(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        count_bytes(new_size);
        // SAFETY: `ptr` was allocated by `System` (through this allocator) with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through this allocator) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Reads the allocation count at the start of each round and at the end of the run, into
/// memory reserved up front.
struct RoundCounter {
    at_round: Vec<u64>,
    at_end: u64,
}

impl RoundCounter {
    fn new(max_rounds: u32) -> Self {
        RoundCounter {
            at_round: Vec::with_capacity(max_rounds as usize + 1),
            at_end: 0,
        }
    }

    /// Allocations between the starts of consecutive rounds, and from the start of the last
    /// round to the end of the run.
    fn per_round(&self) -> (Vec<u64>, u64) {
        let between = self.at_round.windows(2).map(|w| w[1] - w[0]).collect();
        let last = self.at_end - self.at_round.last().copied().unwrap_or(self.at_end);
        (between, last)
    }
}

impl Observer for RoundCounter {
    fn on_round(&mut self, _round: u32, _world: &World, _aspiration: &[f64]) {
        // Reserved capacity: the push itself never allocates.
        if self.at_round.len() < self.at_round.capacity() {
            self.at_round.push(allocations());
        }
    }

    fn on_end(&mut self, _outcome: &RunOutcome) {
        self.at_end = allocations();
    }
}

/// A bundled scenario with overrides applied.
fn model(name: &str, overrides: &[&str]) -> Model {
    let source = read_source(name).expect("bundled");
    let mut scenario = parse(&source).expect("parses");
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).expect("override"))
        .collect();
    apply_overrides(&mut scenario, &overrides).expect("applies");
    validate(&scenario, &source.file).expect("valid")
}

/// Plays runs `warm..warm + runs` of `model` on one simulator (after `warm` runs to fill its
/// buffers), asserting that no round allocates; returns (the most allocations of a whole
/// run, the most rounds a run lasted).
fn check_rounds(label: &str, model: &Model, warm: u64, runs: u64) -> (u64, u32) {
    let max_rounds = model.protocol.max_rounds();
    let mut simulator = Simulator::new(model);
    for run in 0..warm {
        simulator.run(&SimRng::for_run(1, run), &mut NoopObserver);
    }
    let mut most = 0;
    let mut longest = 0;
    for run in warm..warm + runs {
        let mut counter = RoundCounter::new(max_rounds);
        let before = allocations();
        let outcome = simulator.run(&SimRng::for_run(1, run), &mut counter);
        let whole = allocations() - before;
        let rounds = outcome.round;
        let (between, last) = counter.per_round();
        assert!(
            between.iter().all(|&a| a == 0),
            "{label}, run {run}: allocations between round starts {between:?}"
        );
        assert_eq!(last, 0, "{label}, run {run}: allocations in the last round");
        most = most.max(whole);
        longest = longest.max(rounds);
    }
    (most, longest)
}

#[test]
fn no_round_allocates_in_any_bundled_scenario() {
    for b in treaty::scenario::bundled() {
        let model = model(b.name, &[]);
        check_rounds(b.name, &model, 3, 40);
    }
}

#[test]
fn no_round_allocates_with_wars_events_noise_and_other_protocols() {
    let variants: [(&str, &str, &[&str]); 8] = [
        (
            "wars and frequent events",
            "karabakh-2023",
            &[
                "escalation.propensity=0.5",
                "escalation.cost=0",
                "escalation.imposition=1",
                "actors.AZE.strategy=Conceder(beta: 5)",
                "events.2.probability=Uniform(0.3, 0.6)",
                "events.3.probability=0.4",
                "events.4.probability=0.4",
            ],
        ),
        (
            "noise, tit for tat, power-weighted recognition, risk",
            "karabakh-2023",
            &[
                "protocol.proposer=PowerWeighted",
                "actors.ARM.strategy=TitForTat",
                "actors.AZE.strategy=Hardliner",
                "actors.ARM.risk=Uniform(0.5, 1.5)",
                "perception_noise=Normal(0.05, 0.05)",
                "protocol.max_rounds=60",
            ],
        ),
        (
            "mediated compromise text",
            "karabakh-2023",
            &["protocol=Mediated(mediator: \"EU\", max_rounds: 30, step: Uniform(0.05, 0.2))"],
        ),
        (
            "mediated Nash text",
            "karabakh-2023",
            &["protocol=Mediated(mediator: \"USA\", max_rounds: 30, text: NashBargaining)"],
        ),
        (
            "expected-utility model with events",
            "karabakh-2023",
            &[
                "protocol=ExpectedUtility(max_rounds: 30)",
                "events.2.probability=0.5",
                "events.3.probability=0.5",
            ],
        ),
        (
            "Rubinstein with noise",
            "rubinstein-pie",
            &["perception_noise=0.01"],
        ),
        (
            "Baron-Ferejohn with noise",
            "baron-ferejohn",
            &["perception_noise=Uniform(0, 0.05)"],
        ),
        (
            "hardliners to the deadline",
            "bench-6x8",
            &[
                "actors.P1.strategy=Hardliner",
                "actors.P2.strategy=Hardliner",
                "protocol.max_rounds=300",
            ],
        ),
    ];
    for (label, name, overrides) in variants {
        check_rounds(label, &model(name, overrides), 3, 30);
    }
}

#[test]
fn a_warm_simulator_allocates_nothing_however_long_the_run() {
    for (name, overrides) in [
        ("karabakh-2023", &["protocol.max_rounds=30"][..]),
        ("karabakh-2023", &["protocol.max_rounds=400"][..]),
        ("bench-pie", &["protocol.max_rounds=10"][..]),
        ("bench-pie", &["protocol.max_rounds=1000"][..]),
        ("bench-6x8", &["protocol.max_rounds=100"][..]),
    ] {
        let model = model(name, overrides);
        let (most, longest) = check_rounds(name, &model, 3, 20);
        assert_eq!(
            most, 0,
            "{name} {overrides:?}: a run allocated {most} times"
        );
        assert!(longest > 1, "{name}: runs of {longest} rounds");
    }
}

#[test]
fn one_run_allocates_as_often_for_10_rounds_as_for_1000() {
    let mut counts = Vec::new();
    for rounds in [10, 100, 1000] {
        let model = model("bench-pie", &[&format!("protocol.max_rounds={rounds}")]);
        let before = allocations();
        let outcome = simulate_run(&model, &mut SimRng::for_run(0, 0), &mut NoopObserver);
        counts.push((allocations() - before, outcome.round));
    }
    let (first, _) = counts[0];
    assert!(counts.iter().all(|&(c, _)| c == first), "{counts:?}");
    // The runs did last about 10, 100 and 1,000 rounds (agreement near 68% of the deadline).
    assert!(counts[0].1 < 10 && counts[2].1 > 600, "{counts:?}");
}

#[test]
fn memory_stays_flat_up_to_a_million_rounds() {
    // Bytes asked for by the tally of a batch (before and after recording runs) and by one run
    // set up from nothing: no more at a deadline of a million rounds than at a thousand.
    let mut figures = Vec::new();
    for rounds in [1_000, 100_000, 1_000_000] {
        let model = model("bench-pie", &[&format!("protocol.max_rounds={rounds}")]);
        let before = bytes();
        let mut tally = Tally::for_model(&model);
        let empty = bytes() - before;
        let mut simulator = Simulator::new(&model);
        for run in 0..5 {
            let outcome = simulator.run(&SimRng::for_run(3, run), &mut NoopObserver);
            tally.record(&model, outcome);
        }
        let before = bytes();
        let outcome = simulate_run(&model, &mut SimRng::for_run(0, 0), &mut NoopObserver);
        let run = bytes() - before;
        assert_eq!(tally.runs(), 5);
        figures.push((rounds, empty, run, outcome.round));
    }
    eprintln!("(deadline, tally bytes, one run's bytes, its rounds): {figures:?}");
    let (_, tally_1000, run_1000, _) = figures[0];
    for &(rounds, tally, run, _) in &figures {
        assert!(tally <= tally_1000, "{rounds}: {figures:?}");
        // A run may memoise its time-dependent actors' concession curves, up to 2^18 values
        // (2 MiB; `treaty::engine::strategy::Curves`); beyond that it computes them as it goes.
        assert!(run <= run_1000 + (8 << 18), "{rounds}: {figures:?}");
    }
    assert!(figures[2].2 <= run_1000, "{figures:?}");
    // The runs did go on for most of each deadline.
    assert!(figures[2].3 > 500_000, "{figures:?}");
}
