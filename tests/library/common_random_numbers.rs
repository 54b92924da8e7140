//! Common random numbers: a variant disturbs no draw it does not change. Run k of a variant and
//! of its base meet the same sampled numbers and the same shocks wherever the variant left them
//! alone (the keyed scheme of `treaty::rng`).

use treaty::engine::{NoopObserver, OutcomeKind, RunOutcome, simulate_run};
use treaty::model::Model;
use treaty::rng::SimRng;
use treaty::scenario::overrides::{Override, apply_overrides};

/// The flagship with these overrides, validated.
fn flagship_with(sets: &[&str]) -> Model {
    let loaded = treaty::scenario::load("karabakh-2023").unwrap();
    let mut raw = loaded.scenario;
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    apply_overrides(&mut raw, &overrides).unwrap();
    treaty::scenario::validate(&raw, "karabakh-2023").unwrap()
}

fn play(model: &Model, run: u64) -> RunOutcome {
    simulate_run(model, &mut SimRng::for_run(17, run), &mut NoopObserver)
}

/// The rounds event `e` fired in.
fn fired(out: &RunOutcome, e: usize) -> Vec<u32> {
    out.events
        .iter()
        .filter(|&&(_, x)| x == e)
        .map(|&(r, _)| r)
        .collect()
}

#[test]
fn changing_one_events_probability_leaves_the_other_events_alone() {
    // Hardliners and no force: every run lasts to the deadline, so every event has its chance.
    let fixed = [
        "actors.ARM.strategy=Hardliner",
        "actors.AZE.strategy=Hardliner",
        "escalation.allowed=false",
    ];
    let base = flagship_with(&fixed);
    let variant = flagship_with(&[&fixed[..], &["events.2.probability=0.3"]].concat());
    let mut moved = 0;
    let mut others_fired = 0;
    for run in 0..300 {
        let (a, b) = (play(&base, run), play(&variant, run));
        assert_eq!(
            (a.kind, b.kind),
            (OutcomeKind::Deadlock, OutcomeKind::Deadlock)
        );
        if fired(&a, 2) != fired(&b, 2) {
            moved += 1;
        }
        for e in [3, 4] {
            assert_eq!(fired(&a, e), fired(&b, e), "run {run}, event {e}");
            others_fired += fired(&a, e).len();
        }
    }
    assert!(
        moved > 100,
        "the variant changes event 2 in many runs: {moved}"
    );
    assert!(others_fired > 50, "events 3 and 4 fire too: {others_fired}");
}

#[test]
fn changing_one_number_leaves_every_other_sampled_number_alone() {
    // The status quo of every issue, as the deadlock leaves it, is sampled from the issues'
    // own regions: a change to Russia's numbers cannot move it.
    let fixed = [
        "actors.ARM.strategy=Hardliner",
        "actors.AZE.strategy=Hardliner",
        "escalation.allowed=false",
        "events=[]",
    ];
    let base = flagship_with(&fixed);
    let variant = flagship_with(
        &[
            &fixed[..],
            &[
                "actors.RUS.capability=Uniform(0.1, 0.2)",
                "actors.RUS.stances.I1.position=0.9",
            ],
        ]
        .concat(),
    );
    for run in 0..200 {
        let (a, b) = (play(&base, run), play(&variant, run));
        assert_eq!(a.settlement, b.settlement, "run {run}");
        // Armenia's own numbers are its own draws: its utility of the same status quo is the
        // same.
        assert_eq!(a.utility[0], b.utility[0], "run {run}");
        assert_eq!(a.reservation, b.reservation, "run {run}");
    }
}
