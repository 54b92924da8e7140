//! The teaching trace from the library: what it says about each way a run can end.

use crate::common::models::*;
use treaty::engine::{NoopObserver, simulate_run};
use treaty::model::Role;
use treaty::model::Value;
use treaty::model::{Acceptance, Model, Proposer, Strategy};
use treaty::montecarlo::replay_run;
use treaty::report::Render;
use treaty::report::trace::{Trace, TraceRecorder};

/// Plays run `run` of seed `seed` and records its trace.
fn trace_run(model: &Model, seed: u64, run: u64) -> Trace {
    let mut recorder = TraceRecorder::new(model, seed, run);
    replay_run(model, seed, run, &mut recorder);
    recorder.finish()
}
use treaty::rng::SimRng;

fn duel(max_rounds: u32) -> Model {
    let mut m = model(alternating(
        max_rounds,
        Proposer::RoundRobin,
        Acceptance::Unanimous,
    ));
    m.name = "Duel".into();
    m.issues = vec![optioned("border", 0.5, &[0.0, 0.5, 1.0])];
    m.actors = vec![
        actor("N", Role::Principal, 1.0, tactic(1.0, 0.0), &[(0.0, 1.0)]),
        actor("S", Role::Principal, 1.0, tactic(1.0, 0.0), &[(1.0, 1.0)]),
    ];
    m
}

#[test]
fn an_agreement_names_who_signed_what() {
    let mut m = duel(4);
    // Failure leaves each side its reservation utility (0): they meet on the middle option.
    m.disagreement = treaty::model::Disagreement::Reservation;
    let trace = trace_run(&m, 0, 0);
    let out = simulate_run(&m, &mut SimRng::for_run(0, 0), &mut NoopObserver);
    assert_eq!(trace.outcome.kind, out.kind.name());
    assert_eq!(trace.outcome.kind, "Agreement");
    let text = trace.to_text();
    assert!(text.contains("Round 1\n"), "{text}");
    assert!(text.contains("Actor N offers:"));
    assert!(text.contains("option 0.5"), "options are named");
    let ending = text.split("\nOutcome: ").nth(1).unwrap();
    assert!(ending.starts_with(&format!("Agreement in round {}", out.round)));
    assert!(ending.contains("Actor N and Actor S signed"), "{ending}");
}

#[test]
fn a_deadlock_says_who_still_said_no() {
    let mut m = duel(3);
    m.actors[1].strategy = Strategy::Hardliner;
    m.actors[0].strategy = Strategy::Hardliner;
    let text = trace_run(&m, 0, 0).to_text();
    let ending = text.split("\nOutcome: ").nth(1).unwrap();
    assert!(ending.starts_with("Deadlock in round 3"), "{ending}");
    assert!(ending.contains("status quo holds"));
    assert!(
        ending.contains("Actor S (worth 0.000, needed 1.000)"),
        "{ending}"
    );
}

#[test]
fn a_war_is_told_with_its_odds_and_winners() {
    let mut m = duel(10);
    m.actors[0].capability = Value::Const(3.0);
    m.actors[0].strategy = tactic(5.0, 0.5);
    m.actors[1].strategy = Strategy::Hardliner;
    m.escalation = Some(escalation(&m, 0.1, 1.0, 1.0, vec![0]));
    let trace = trace_run(&m, 2, 5);
    assert_eq!(trace.outcome.kind, "Conflict");
    let c = trace.outcome.wars.last().unwrap();
    assert_eq!((c.initiator.as_str(), c.target.as_str()), ("N", "S"));
    // Read as one line: the text wraps at a fixed width.
    let text = trace
        .to_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("War on Actor S is worth 0.650 to Actor N (it believes it wins with 75%)"),
        "{text}"
    );
    assert!(text.contains("It goes to war."), "{text}");
    let ending = text.split(" Outcome: ").nth(1).unwrap();
    assert!(ending.starts_with("Conflict in round"), "{ending}");
    assert!(ending.contains("attacked Actor S"));
    assert!(ending.contains("won"));
    // The cost of war shows in the utilities: the winner's ideal minus the cost.
    let json: serde_json::Value =
        serde_json::from_slice(&trace.render(treaty::report::Format::Json).unwrap()).unwrap();
    let winner = &c.winners[0];
    let got = json["outcome"]["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["actor"] == winner.as_str())
        .unwrap()["utility"]
        .as_f64()
        .unwrap();
    assert!((got - 0.9).abs() < 1e-12, "{got}");
}

#[test]
fn events_are_told_with_what_they_changed() {
    let mut m = duel(6);
    m.calendar.start = Some(treaty::model::Date {
        year: 2023,
        month: 7,
        day: 1,
    });
    m.events = vec![treaty::model::Event {
        label: "Elections in the north".into(),
        timing: treaty::model::Timing::Round(2),
        effects: vec![treaty::model::Effect::Salience {
            actor: 0,
            issue: 0,
            change: treaty::model::Change::Add(Value::Const(-0.25)),
        }],
    }];
    let text = trace_run(&m, 0, 0).to_text();
    assert!(
        text.contains("Round 2 — August 2023\n  Event: Elections in the north\n"),
        "{text}"
    );
    assert!(
        text.contains("Actor N: salience on Issue border −0.25 (1.00 → 0.75)"),
        "{text}"
    );
}

#[test]
fn the_expected_utility_trace_shows_the_first_pass_risk_exponents() {
    // docs/theory.md §5: the toy data's first-pass exponents in each variant.
    let paper = [0.745508, 2.0, 1.096792, 1.889499, 0.5];
    let code = [0.670527, 1.715435, 0.849903, 2.0, 0.5];
    for (variant, want) in [
        (
            treaty::solvers::expected_utility::Variant::ScholzPaper,
            paper,
        ),
        (treaty::solvers::expected_utility::Variant::ScholzCode, code),
    ] {
        let mut m = treaty::scenario::load("expected-utility-toy")
            .unwrap()
            .model;
        let treaty::model::Protocol::ExpectedUtility { variant: v, .. } = &mut m.protocol else {
            panic!("the toy runs the expected-utility model");
        };
        *v = variant;
        let trace = trace_run(&m, 1, 0);
        let first = trace.rounds.iter().find(|r| r.round == 1).unwrap();
        assert_eq!(first.risk.len(), 1);
        let got: Vec<f64> = first.risk[0].exponents.iter().map(|e| e.r).collect();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-6, "{variant:?}: {got:?}");
        }
        let ids: Vec<&str> = first.risk[0]
            .exponents
            .iter()
            .map(|e| e.actor.as_str())
            .collect();
        assert_eq!(ids.len(), 5);
        let text = trace.to_text();
        assert!(text.contains("Risk exponents (first pass"), "{text}");
        assert!(text.contains(&format!("{:.3}", want[0])), "{text}");
        let json = String::from_utf8(trace.render(treaty::report::Format::Json).unwrap()).unwrap();
        assert!(json.contains("\"risk\""));
    }
    // Other protocols write no risk exponents.
    let trace = trace_run(&duel(4), 1, 0);
    assert!(trace.rounds.iter().all(|r| r.risk.is_empty()));
    assert!(!trace.to_text().contains("Risk exponents"));
}

#[test]
fn expected_utility_runs_report_their_forecasts_in_the_outcome_trace_and_per_run_records() {
    use treaty::montecarlo::RunRecorder;
    use treaty::report::PerRunCsv;
    // docs/theory.md §5: the toy's final positions have weighted median 0.6, also the pairwise
    // winner.
    let m = treaty::scenario::load("expected-utility-toy")
        .unwrap()
        .model;
    let outcome = replay_run(&m, 1, 0, &mut NoopObserver);
    assert_eq!(outcome.forecasts.len(), 1);
    assert_eq!(outcome.forecasts[0].weighted_median, 0.6);
    assert_eq!(outcome.forecasts[0].condorcet, Some(0.6));
    let trace = trace_run(&m, 1, 0);
    assert_eq!(trace.outcome.forecasts.len(), 1);
    assert_eq!(trace.outcome.forecasts[0].condorcet, Some(0.6));
    assert!(
        trace
            .to_text()
            .contains("Forecasts from the final positions")
    );
    let csv = PerRunCsv::new(&m);
    let header = String::from_utf8(csv.header().to_vec()).unwrap();
    let issue = &m.issues[0].id;
    assert!(
        header.trim_end().ends_with(&format!(
            "forecast.{issue}.weighted_median,forecast.{issue}.condorcet"
        )),
        "{header}"
    );
    let world = m.sample(&SimRng::for_run(1, 0));
    let mut row = Vec::new();
    csv.append(&mut row, 0, &outcome, &world, None);
    let row = String::from_utf8(row).unwrap();
    assert!(row.trim_end().ends_with(",0.6,0.6"), "{row}");
    // A tie has no pairwise winner: the cell is empty.
    let mut tied = outcome.clone();
    tied.forecasts[0].condorcet = None;
    let mut row = Vec::new();
    csv.append(&mut row, 0, &tied, &world, None);
    assert!(
        String::from_utf8(row)
            .unwrap()
            .trim_end()
            .ends_with(",0.6,")
    );
    // Other protocols: no forecasts, no columns.
    let duel = duel(4);
    let out = simulate_run(&duel, &mut SimRng::for_run(1, 0), &mut NoopObserver);
    assert!(out.forecasts.is_empty());
    let header = String::from_utf8(PerRunCsv::new(&duel).header().to_vec()).unwrap();
    assert!(!header.contains("forecast."));
    assert!(trace_run(&duel, 1, 0).outcome.forecasts.is_empty());
}
