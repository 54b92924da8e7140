//! A [`Simulator`] reuses its memory from run to run; each run must still be exactly the run
//! [`simulate_run`] plays alone, whatever ran before it (agreements, deadlocks, wars, events).

use treaty::engine::{NoopObserver, OutcomeKind, Simulator, simulate_run};
use treaty::model::Model;
use treaty::rng::SimRng;
use treaty::scenario::overrides::{Override, apply_overrides};
use treaty::scenario::{Source, parse, read_source, validate};

/// A bundled scenario with overrides applied.
fn model(name: &str, overrides: &[&str]) -> Model {
    let source: Source = read_source(name).expect("bundled");
    let mut scenario = parse(&source).expect("parses");
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).expect("override"))
        .collect();
    apply_overrides(&mut scenario, &overrides).expect("applies");
    validate(&scenario, &source.file).expect("valid")
}

/// Plays `runs` runs with one simulator and alone; returns how many of each kind there were.
fn check_same(model: &Model, seed: u64, runs: u64) -> [u64; 3] {
    let mut simulator = Simulator::new(model);
    let mut kinds = [0; 3];
    for run in 0..runs {
        let alone = simulate_run(model, &mut SimRng::for_run(seed, run), &mut NoopObserver);
        let reused = simulator.run(&SimRng::for_run(seed, run), &mut NoopObserver);
        assert_eq!(&alone, reused, "{} run {run}", model.name);
        let k = OutcomeKind::ALL.iter().position(|&k| k == alone.kind);
        kinds[k.expect("a kind")] += 1;
    }
    kinds
}

#[test]
fn every_bundled_scenario_plays_the_same_runs_in_a_simulator() {
    for b in treaty::scenario::bundled() {
        check_same(&model(b.name, &[]), 5, 60);
    }
}

#[test]
fn wars_events_and_other_protocols_play_the_same_runs_in_a_simulator() {
    // Armenia never moving leaves Azerbaijan's war worth more than the talks in many runs.
    let war = [
        "escalation.propensity=0.5",
        "actors.ARM.strategy=Hardliner",
        "events.2.probability=Uniform(0.2, 0.5)",
        "events.3.probability=0.3",
    ];
    let kinds = check_same(&model("karabakh-2023", &war), 11, 150);
    assert!(
        kinds[0] > 0 && kinds[2] > 0,
        "agreements and wars: {kinds:?}"
    );

    let variants: [&[&str]; 4] = [
        &["protocol=Mediated(mediator: \"EU\", max_rounds: 30, step: Uniform(0.05, 0.2))"],
        &["protocol=Mediated(mediator: \"USA\", max_rounds: 30, text: NashBargaining)"],
        &["protocol=ExpectedUtility(max_rounds: 30)"],
        &[
            "protocol.proposer=PowerWeighted",
            "actors.ARM.strategy=TitForTat",
            "actors.ARM.risk=Uniform(0.5, 1.5)",
            "perception_noise=Normal(0.05, 0.05)",
        ],
    ];
    for overrides in variants {
        check_same(&model("karabakh-2023", overrides), 3, 40);
    }
}
