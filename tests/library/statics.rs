//! Comparative statics: the model responds to its inputs the way theory says it should.
//!
//! Each test plays a scenario and a variant of it on common random numbers (run k of both draws
//! from random stream k of one seed) and checks the direction of the change with its 95%
//! interval. "Never lowers" allows no significant fall (the interval of the paired difference
//! reaches 0 or above); "raises" needs a significant rise (the interval lies above 0).

use crate::common::models::*;
use treaty::engine::{NoopObserver, OutcomeKind, RunOutcome, Simulator};
use treaty::model::{Acceptance, Model, Proposer, Role, Strategy, Value};
use treaty::rng::SimRng;

const SEED: u64 = 20_230_701;

/// Runs `0..runs` of `model`.
fn outcomes(model: &Model, runs: u64) -> Vec<RunOutcome> {
    let mut simulator = Simulator::new(model);
    (0..runs)
        .map(|k| {
            simulator
                .run(&SimRng::for_run(SEED, k), &mut NoopObserver)
                .clone()
        })
        .collect()
}

/// The mean of `a − b` run by run, and the half-width of its 95% interval.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let n = a.len() as f64;
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, 1.96 * (var / n).sqrt())
}

/// Prints a measured effect (seen with `cargo test --release --test library statics --
/// --nocapture`).
fn show(what: &str, (d, hw): (f64, f64)) -> (f64, f64) {
    println!("{what}: {d:+.4} ± {hw:.4}");
    (d, hw)
}

/// Actor `a`'s utility in each run.
fn utility(runs: &[RunOutcome], a: usize) -> Vec<f64> {
    runs.iter().map(|o| o.utility[a]).collect()
}

/// 1 for each run with a war, 0 otherwise.
fn war(runs: &[RunOutcome]) -> Vec<f64> {
    runs.iter()
        .map(|o| f64::from(u8::from(!o.wars.is_empty())))
        .collect()
}

/// 1 for each run that ended in `kind`, 0 otherwise.
fn ended(runs: &[RunOutcome], kind: OutcomeKind) -> Vec<f64> {
    runs.iter()
        .map(|o| f64::from(u8::from(o.kind == kind)))
        .collect()
}

/// A dispute over a border region: A (the stronger, the only one that may fight) wants all of
/// three issues at 1, B wants them at 0, the status quo is in between. Capabilities, positions'
/// saliences and the cost of war are uncertain, and perception is noisy, so runs differ.
fn border(force: bool) -> Model {
    let mut m = model(alternating(24, Proposer::RoundRobin, Acceptance::Unanimous));
    m.issues = vec![
        issue("north", 0.4),
        issue("south", 0.5),
        issue("river", 0.3),
    ];
    let mut a = actor(
        "A",
        Role::Principal,
        1.0,
        tactic(0.5, 0.0),
        &[(1.0, 1.0), (1.0, 0.6), (1.0, 0.3)],
    );
    a.capability = Value::Dist(treaty::model::Distribution::Uniform(1.0, 2.0));
    let mut b = actor(
        "B",
        Role::Principal,
        1.0,
        tactic(1.0, 0.0),
        &[(0.0, 0.5), (0.0, 1.0), (0.0, 0.8)],
    );
    b.capability = Value::Dist(treaty::model::Distribution::Uniform(0.5, 1.5));
    b.reservation = Value::Dist(treaty::model::Distribution::Uniform(0.0, 0.3));
    m.actors = vec![a, b];
    m.perception_noise = Value::Const(0.05);
    if force {
        let mut e = escalation(&m, 0.1, 0.8, 0.2, vec![0]);
        e.cost = Value::Dist(treaty::model::Distribution::Uniform(0.02, 0.2));
        m.escalation = Some(e);
    }
    m
}

const RUNS: u64 = 4_000;

#[test]
fn more_capability_never_hurts_and_helps_where_force_is_possible() {
    for force in [true, false] {
        let base = border(force);
        for actor in 0..2 {
            let mut strong = base.clone();
            strong.actors[actor].capability = match strong.actors[actor].capability {
                Value::Dist(treaty::model::Distribution::Uniform(lo, hi)) => {
                    Value::Dist(treaty::model::Distribution::Uniform(1.5 * lo, 1.5 * hi))
                }
                other => other,
            };
            let (d, hw) = show(
                &format!("capability ×1.5, force {force}, utility of actor {actor}"),
                paired(
                    &utility(&outcomes(&strong, RUNS), actor),
                    &utility(&outcomes(&base, RUNS), actor),
                ),
            );
            assert!(
                d + hw >= 0.0,
                "force {force}, actor {actor}: more capability lowered its utility by {d} ± {hw}"
            );
            if force {
                assert!(
                    d - hw > 0.0,
                    "force {force}, actor {actor}: more capability did not raise its utility: {d} ± {hw}"
                );
            }
        }
    }
}

#[test]
fn more_capability_never_hurts_on_the_flagship() {
    let base = flagship(&[]);
    for (id, raised) in [
        ("AZE", "actors.AZE.capability=Triangular(0.95, 1.05, 1.15)"),
        ("ARM", "actors.ARM.capability=Triangular(0.35, 0.45, 0.55)"),
        ("RUS", "actors.RUS.capability=Triangular(0.65, 0.75, 0.85)"),
    ] {
        let a = base.actor_index(id).unwrap();
        let (d, hw) = show(
            &format!("flagship {raised}, utility of {id}"),
            paired(
                &utility(&outcomes(&flagship(&[raised]), 2_000), a),
                &utility(&outcomes(&base, 2_000), a),
            ),
        );
        assert!(d + hw >= 0.0, "{id}: {d} ± {hw}");
    }
}

#[test]
fn switching_force_off_or_raising_its_cost_never_raises_war_nor_helps_the_stronger() {
    // Both sides overrate their chances, so wars happen in the base.
    let mut base = border(true);
    for a in &mut base.actors {
        a.optimism = Value::Const(0.25);
    }
    let war_base = war(&outcomes(&base, RUNS));
    let mut costly = base.clone();
    if let Some(e) = &mut costly.escalation {
        e.cost = Value::Dist(treaty::model::Distribution::Uniform(0.2, 0.4));
    }
    let (d, hw) = show(
        "cost of war ×2, P(war)",
        paired(&war(&outcomes(&costly, RUNS)), &war_base),
    );
    assert!(d - hw <= 0.0, "a costlier war raised P(war) by {d} ± {hw}");
    assert!(
        war_base.iter().sum::<f64>() > 0.05 * RUNS as f64,
        "the base has wars"
    );
    let mut off = base.clone();
    off.escalation = None;
    let peace = outcomes(&off, RUNS);
    assert!(peace.iter().all(|o| o.wars.is_empty()));
    // The stronger side (A, the initiator) does no better without the option of force.
    let (d, hw) = show(
        "force switched off, utility of the stronger initiator",
        paired(&utility(&peace, 0), &utility(&outcomes(&base, RUNS), 0)),
    );
    show(
        "force switched off, P(war)",
        paired(&war(&peace), &war_base),
    );
    assert!(d - hw <= 0.0, "switching force off helped A by {d} ± {hw}");
}

#[test]
fn a_hardliner_initiator_can_go_to_war() {
    let mut m = border(true);
    m.actors[0].strategy = Strategy::Hardliner;
    let runs = outcomes(&m, 1_000);
    let wars = runs.iter().filter(|o| !o.wars.is_empty()).count();
    println!("a hardliner initiator: P(war) {:.3}", wars as f64 / 1000.0);
    assert!(wars > 100, "a hardliner fought in {wars} of 1,000 runs");
    assert!(
        runs.iter()
            .flat_map(|o| &o.wars)
            .all(|w| w.initiator == 0 && w.target == 1)
    );
}

#[test]
fn a_more_patient_principal_does_no_worse() {
    let mut impatient = border(false);
    impatient.actors[1].discount = Value::Const(0.9);
    let mut patient = impatient.clone();
    patient.actors[1].discount = Value::Const(0.99);
    let (d, hw) = show(
        "discount 0.9 → 0.99, utility of B",
        paired(
            &utility(&outcomes(&patient, RUNS), 1),
            &utility(&outcomes(&impatient, RUNS), 1),
        ),
    );
    assert!(d + hw >= 0.0, "patience lowered B's utility by {d} ± {hw}");
    assert!(
        d - hw > 0.0,
        "patience did not raise B's utility: {d} ± {hw}"
    );
}

#[test]
fn a_stronger_alliance_does_not_hurt_its_principal() {
    // A stakeholder S that shares B's views leans on B, its ally.
    let mut weak = border(true);
    weak.actors.push(actor(
        "S",
        Role::Stakeholder,
        1.0,
        tactic(1.0, 0.0),
        &[(0.1, 0.8), (0.0, 0.5), (0.2, 0.5)],
    ));
    relate(&mut weak, 1, 2, 0.2);
    let mut strong = weak.clone();
    for r in &mut strong.relations {
        r.strength = Value::Const(0.9);
    }
    let (d, hw) = show(
        "alliance 0.2 → 0.9, utility of B",
        paired(
            &utility(&outcomes(&strong, RUNS), 1),
            &utility(&outcomes(&weak, RUNS), 1),
        ),
    );
    assert!(
        d + hw >= 0.0,
        "a stronger ally lowered B's utility by {d} ± {hw}"
    );
}

#[test]
fn a_higher_reservation_deadlocks_more_or_gets_more() {
    // B's utility of the status quo is about 0.59: a reservation above it is what binds.
    let low = border(false);
    let mut high = low.clone();
    high.actors[1].reservation = Value::Dist(treaty::model::Distribution::Uniform(0.6, 0.8));
    let (runs_low, runs_high) = (outcomes(&low, RUNS), outcomes(&high, RUNS));
    let (dead, dead_hw) = paired(
        &ended(&runs_high, OutcomeKind::Deadlock),
        &ended(&runs_low, OutcomeKind::Deadlock),
    );
    // B's utility in the runs that both end in agreement.
    let (gain, gain_hw) = {
        let both: Vec<usize> = (0..runs_low.len())
            .filter(|&k| {
                runs_low[k].kind == OutcomeKind::Agreement
                    && runs_high[k].kind == OutcomeKind::Agreement
            })
            .collect();
        let a: Vec<f64> = both.iter().map(|&k| runs_high[k].utility[1]).collect();
        let b: Vec<f64> = both.iter().map(|&k| runs_low[k].utility[1]).collect();
        paired(&a, &b)
    };
    println!(
        "reservation 0–0.3 → 0.6–0.8: P(deadlock) {dead:+.4} ± {dead_hw:.4}, B's utility in \
         agreements {gain:+.4} ± {gain_hw:.4}"
    );
    assert!(
        dead - dead_hw > 0.0 || gain - gain_hw > 0.0,
        "deadlock {dead} ± {dead_hw}, gain in agreements {gain} ± {gain_hw}"
    );
    assert!(dead + dead_hw >= 0.0 && gain + gain_hw >= 0.0);
}

#[test]
fn more_perception_noise_widens_settlements() {
    let mut calm = border(false);
    calm.perception_noise = Value::Const(0.01);
    let mut noisy = calm.clone();
    noisy.perception_noise = Value::Const(0.15);
    let spread = |m: &Model| {
        let xs: Vec<f64> = outcomes(m, RUNS)
            .iter()
            .filter(|o| o.kind == OutcomeKind::Agreement)
            .map(|o| o.settlement[1])
            .collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    };
    let (sd_calm, sd_noisy) = (spread(&calm), spread(&noisy));
    println!("noise 0.01 → 0.15: sd of the settlement {sd_calm:.4} → {sd_noisy:.4}");
    assert!(
        sd_noisy > 1.2 * sd_calm,
        "sd of the settlement {sd_noisy} with noise 0.15, {sd_calm} with 0.01"
    );
}

#[test]
fn adding_a_mediator_never_lowers_the_chance_of_agreement() {
    for force in [false, true] {
        let without = border(force);
        let mut with = without.clone();
        with.actors.push(actor(
            "M",
            Role::Mediator,
            0.5,
            tactic(1.0, 0.0),
            &[(0.5, 1.0), (0.5, 1.0), (0.5, 1.0)],
        ));
        let (a, b) = (outcomes(&with, RUNS), outcomes(&without, RUNS));
        // Run by run: every run that agrees without the mediator agrees with it, no later.
        for (k, (w, wo)) in a.iter().zip(&b).enumerate() {
            if wo.kind == OutcomeKind::Agreement {
                assert_eq!(w.kind, OutcomeKind::Agreement, "force {force}, run {k}");
                assert!(w.round <= wo.round, "force {force}, run {k}");
            }
        }
        let (d, hw) = paired(
            &ended(&a, OutcomeKind::Agreement),
            &ended(&b, OutcomeKind::Agreement),
        );
        assert!(d >= 0.0, "force {force}: {d} ± {hw}");
        // And it helps: agreements come sooner, and where talks can fail more of them succeed.
        let round =
            |runs: &[RunOutcome]| -> Vec<f64> { runs.iter().map(|o| f64::from(o.round)).collect() };
        let (sooner, sooner_hw) = show(
            &format!("a mediator, force {force}, round of the end"),
            paired(&round(&a), &round(&b)),
        );
        assert!(
            sooner + sooner_hw < 0.0,
            "force {force}: the mediator did not speed the talks: {sooner} ± {sooner_hw}"
        );
    }
    // Tight talks: one issue, a narrow zone of agreement (each side needs 0.35 to 0.55 of it),
    // six rounds and noisy judgement fail in many runs without the mediator; its texts rescue
    // some of them.
    let mut tight = model(alternating(6, Proposer::RoundRobin, Acceptance::Unanimous));
    tight.issues = vec![issue("x", 0.5)];
    tight.actors = vec![
        actor("A", Role::Principal, 1.0, tactic(0.5, 0.0), &[(1.0, 1.0)]),
        actor("B", Role::Principal, 1.0, tactic(1.0, 0.0), &[(0.0, 1.0)]),
    ];
    for a in &mut tight.actors {
        a.reservation = Value::Dist(treaty::model::Distribution::Uniform(0.35, 0.55));
    }
    tight.perception_noise = Value::Const(0.05);
    tight.disagreement = treaty::model::Disagreement::Reservation;
    let mut mediated = tight.clone();
    mediated.actors.push(actor(
        "M",
        Role::Mediator,
        1.0,
        tactic(1.0, 0.0),
        &[(0.5, 1.0)],
    ));
    let (d, hw) = show(
        "a mediator in tight talks, P(agreement)",
        paired(
            &ended(&outcomes(&mediated, RUNS), OutcomeKind::Agreement),
            &ended(&outcomes(&tight, RUNS), OutcomeKind::Agreement),
        ),
    );
    assert!(
        d - hw > 0.0,
        "the mediator did not raise P(agreement): {d} ± {hw}"
    );
}

#[test]
fn optimism_raises_the_chance_of_war() {
    let base = border(true);
    let mut optimists = base.clone();
    for a in &mut optimists.actors {
        a.optimism = Value::Const(0.25);
    }
    let (d, hw) = show(
        "mutual optimism 0.25, P(war)",
        paired(
            &war(&outcomes(&optimists, RUNS)),
            &war(&outcomes(&base, RUNS)),
        ),
    );
    assert!(
        d - hw > 0.0,
        "mutual optimism did not raise P(war): {d} ± {hw}"
    );
    // On the flagship too.
    let base = flagship(&[]);
    let optimists = flagship(&["actors.ARM.optimism=0.3", "actors.AZE.optimism=0.3"]);
    let (d, hw) = show(
        "flagship, mutual optimism 0.3, P(war)",
        paired(
            &war(&outcomes(&optimists, 2_000)),
            &war(&outcomes(&base, 2_000)),
        ),
    );
    assert!(d + hw >= 0.0, "flagship: {d} ± {hw}");
}

/// The flagship with `overrides`.
fn flagship(overrides: &[&str]) -> Model {
    let source = treaty::scenario::read_source("karabakh-2023").expect("bundled");
    let overrides: Vec<treaty::scenario::overrides::Override> = overrides
        .iter()
        .map(|o| treaty::scenario::overrides::Override::parse(o).expect("an override"))
        .collect();
    treaty::scenario::prepare(&source, &overrides).expect("valid")
}
