//! Extreme but valid models: capabilities from 1e-9 to 1e9 (and at the validator's limits,
//! the smallest positive double and 1e12), every salience on one issue, 1,000 actors, 100,000
//! rounds, deadlocks among hardliners, everyone identical. Each scenario is written as a file
//! would be and must pass validation; then runs of it under every protocol must not panic, and
//! every number the engine shows an observer or returns must be finite (settlements in [0, 1]).
//! The batch runner's reports of the same scenarios are checked in `extreme_reports` below.
//!
//! Run counts are small: these are about numbers at the edges, not statistics.

use treaty::engine::{
    Concession, ForceDecision, Observer, OutcomeKind, Proposal, Response, RunOutcome, Shift,
    simulate_run,
};
use treaty::model::{Model, World};
use treaty::rng::SimRng;
use treaty::scenario::{Source, parse, validate};

use crate::common::treaty;

/// One actor as a line of RON.
struct Actor {
    id: String,
    role: &'static str,
    capability: f64,
    strategy: String,
    reservation: f64,
    risk: f64,
    /// (issue index, position, salience)
    stances: Vec<(usize, f64, f64)>,
}

impl Actor {
    fn principal(id: impl Into<String>, capability: f64, stances: Vec<(usize, f64, f64)>) -> Self {
        Actor {
            id: id.into(),
            role: "Principal",
            capability,
            strategy: "Linear".into(),
            reservation: 0.0,
            risk: 1.0,
            stances,
        }
    }

    fn ron(&self) -> String {
        let stances: Vec<String> = self
            .stances
            .iter()
            .map(|(j, p, s)| format!("\"I{j}\": (position: {p:?}, salience: {s:?})"))
            .collect();
        format!(
            "(id: \"{}\", name: \"{}\", role: {}, capability: {:?}, risk: {:?}, \
             reservation: {:?}, strategy: {}, stances: {{{}}}),\n",
            self.id,
            self.id,
            self.role,
            self.capability,
            self.risk,
            self.reservation,
            self.strategy,
            stances.join(", ")
        )
    }
}

/// A scenario file: `n_issues` continuous issues with status quo 0.5, the actors, a protocol
/// and any further top-level fields (`extra`, each ending in a comma).
fn scenario(n_issues: usize, actors: &[Actor], protocol: &str, extra: &str) -> String {
    let issues: String = (0..n_issues)
        .map(|j| {
            format!("(id: \"I{j}\", name: \"n\", low: \"l\", high: \"h\", status_quo: 0.5),\n")
        })
        .collect();
    let actors: String = actors.iter().map(Actor::ron).collect();
    format!(
        "(metadata: (name: \"extreme\", description: \"an extreme but valid model\"),\n\
         issues: [\n{issues}],\nactors: [\n{actors}],\nprotocol: {protocol},\n{extra})\n"
    )
}

/// Parses and validates; every scenario here must be valid.
fn model(text: &str) -> Model {
    let source = Source {
        file: "extreme.ron".into(),
        text: text.to_string(),
    };
    match parse(&source).and_then(|s| validate(&s, "extreme.ron")) {
        Ok(model) => model,
        Err(e) => panic!("{e}\n{}", &text[..text.len().min(3000)]),
    }
}

/// Asserts every number the engine shows is finite (and in range where it has a range).
#[derive(Default)]
struct Finite {
    rounds: u32,
    proposals: u32,
}

fn finite(what: &str, x: f64) {
    assert!(x.is_finite(), "{what} = {x}");
}

impl Observer for Finite {
    fn on_round(&mut self, round: u32, world: &World, aspiration: &[f64]) {
        self.rounds = round;
        for x in aspiration {
            finite("aspiration", *x);
        }
        for x in world.numbers() {
            finite("world", *x);
        }
    }
    fn on_proposal(&mut self, p: &Proposal<'_>) {
        self.proposals += 1;
        for x in p.point {
            assert!((0.0..=1.0).contains(x), "proposal {x} in round {}", p.round);
        }
    }
    fn on_response(&mut self, r: &Response) {
        finite("perceived utility", r.utility);
        finite("threshold", r.threshold);
        finite("pressure", r.pressure);
    }
    fn on_force(&mut self, d: &ForceDecision) {
        assert!((0.0..=1.0).contains(&d.win_probability), "{d:?}");
        finite("value of force", d.value);
        finite("table at force", d.table);
        assert!((0.0..=1.0).contains(&d.believed), "{d:?}");
    }
    fn on_concession(&mut self, c: &Concession) {
        finite("concession from", c.from);
        finite("concession to", c.to);
    }
    fn on_shift(&mut self, s: &Shift) {
        finite("shift from", s.from);
        finite("shift to", s.to);
    }
}

/// Plays runs `0..runs` of `model` with seed 7, checks each, and returns the outcomes.
fn play(model: &Model, runs: u64) -> Vec<RunOutcome> {
    let max_rounds = model.protocol.max_rounds();
    (0..runs)
        .map(|k| {
            let mut observer = Finite::default();
            let outcome = simulate_run(model, &mut SimRng::for_run(7, k), &mut observer);
            assert!(
                outcome.round >= 1 && outcome.round <= max_rounds,
                "{outcome:?}"
            );
            assert_eq!(outcome.settlement.len(), model.issues.len());
            assert_eq!(outcome.utility.len(), model.actors.len());
            assert_eq!(outcome.concession.len(), model.actors.len());
            for x in &outcome.settlement {
                assert!((0.0..=1.0).contains(x), "settlement {x}");
            }
            for x in outcome.utility.iter().chain(&outcome.concession) {
                finite("outcome", *x);
            }
            for war in &outcome.wars {
                assert!(war.initiator < model.actors.len());
                assert!(war.winners.iter().all(|w| *w < model.actors.len()));
            }
            outcome
        })
        .collect()
}

/// The protocols every case is played under (the mediated ones need an actor `MED`).
fn protocols(rounds: u32) -> Vec<String> {
    vec![
        format!("AlternatingOffers(max_rounds: {rounds})"),
        format!("AlternatingOffers(max_rounds: {rounds}, proposer: PowerWeighted)"),
        format!("Mediated(mediator: \"MED\", max_rounds: {rounds})"),
        format!(
            "Mediated(mediator: \"MED\", text: NashBargaining, disagreement: Reservation, \
             max_rounds: {rounds})"
        ),
        format!("ExpectedUtility(max_rounds: {rounds})"),
    ]
}

/// A mediator with a stance on issue 0.
fn mediator() -> Actor {
    Actor {
        role: "Mediator",
        ..Actor::principal("MED", 1.0, vec![(0, 0.5, 1.0)])
    }
}

/// Escalation on: every principal may start a war, and does when force pays.
const FORCE: &str = "escalation: (cost: 0.1, imposition: 0.8, propensity: 1),";

/// Seven principals with capabilities 1e-9 to 1e9 (and a mediator), relations of ±1, force.
fn capability_case(protocol: &str) -> String {
    let caps = [1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6, 1e9];
    let mut actors: Vec<Actor> = caps
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = i as f64 / (caps.len() - 1) as f64;
            Actor {
                strategy: ["Boulware(beta: 0.3)", "Linear", "Conceder(beta: 3)"][i % 3].into(),
                reservation: 0.2,
                ..Actor::principal(format!("C{i}"), *c, vec![(0, p, 1.0), (1, 1.0 - p, 0.5)])
            }
        })
        .collect();
    actors.push(mediator());
    let relations = "relations: [(a: \"C0\", b: \"C6\", strength: 1), \
                     (a: \"C1\", b: \"C5\", strength: -1)],";
    scenario(2, &actors, protocol, &format!("{FORCE}{relations}"))
}

/// The smallest positive double and the cap 1e12 for capability, salience and risk; noise of
/// 1e12; a discount of the smallest positive double; the most extreme tactics; relations of ±1
/// with full interdependence; events that push everything to its bounds.
fn limits_case(protocol: &str) -> String {
    let tiny = f64::from_bits(1); // 5e-324
    let actors = vec![
        Actor {
            risk: 1e12,
            strategy: format!("Boulware(beta: {tiny:?}, kappa: 0.999999)"),
            ..Actor::principal("BIG", 1e12, vec![(0, 1.0, 1e12), (1, 0.0, tiny)])
        },
        Actor {
            risk: tiny,
            strategy: "Conceder(beta: 1e12)".into(),
            reservation: 1.0,
            ..Actor::principal("SMALL", tiny, vec![(0, 0.0, tiny), (1, 1.0, 1e12)])
        },
        Actor {
            strategy: "TitForTat".into(),
            ..Actor::principal("MID", 1.0, vec![(0, 0.5, 1.0), (1, 0.5, 1.0)])
        },
        mediator(),
    ];
    let protocol = if protocol.starts_with("AlternatingOffers") {
        protocol.replace(
            ")",
            &format!(", discount: {{\"BIG\": {tiny:?}, \"SMALL\": 1}})"),
        )
    } else {
        protocol.to_string()
    };
    let extra = format!(
        "{FORCE}\
         relations: [(a: \"BIG\", b: \"SMALL\", strength: -1), \
                     (a: \"MID\", b: \"BIG\", strength: 1, directed: true)],\n\
         events: [\n\
           (label: \"up\", at: Round(2), effects: [\
              Capability(actor: \"SMALL\", change: Scale(1e12)), \
              Salience(actor: \"BIG\", issue: \"I1\", change: Add(1e12)), \
              Relation(a: \"BIG\", b: \"SMALL\", change: Add(-1e12))]),\n\
           (label: \"down\", at: Window(from: 1, to: 12, probability: 1), effects: [\
              Capability(actor: \"BIG\", change: Scale(0)), \
              Position(actor: \"MID\", issue: \"I0\", change: Add(1e12)), \
              StatusQuo(issue: \"I1\", change: Add(-1e12))]),\n\
         ],\n\
         perception_noise: 1e12,\ninterdependence: 1,"
    );
    scenario(2, &actors, &protocol, &extra)
}

/// Twenty issues, and every actor cares about issue 7 only; with `lopsided`, one actor cares
/// 1e12 times more about it than another.
fn one_issue_case(protocol: &str, lopsided: bool) -> String {
    let mut actors: Vec<Actor> = (0..6)
        .map(|i| {
            Actor::principal(
                format!("A{i}"),
                1.0 + i as f64,
                vec![(7, i as f64 / 5.0, 1.0)],
            )
        })
        .collect();
    if lopsided {
        actors[0].stances = vec![(7, 0.0, 1e12)];
        actors[1].stances = vec![(7, 1.0, 1e-12)];
    }
    actors.push(Actor {
        role: "Mediator",
        ..Actor::principal("MED", 1.0, vec![(7, 0.5, 1.0)])
    });
    scenario(20, &actors, protocol, "")
}

/// `n` actors (principals, stakeholders and a mediator last) on three issues, with relations.
fn crowd_case(n: usize, protocol: &str) -> String {
    let mut actors: Vec<Actor> = (0..n - 1)
        .map(|i| {
            let p = (i % 101) as f64 / 100.0;
            Actor {
                role: if i % 3 == 2 {
                    "Stakeholder"
                } else {
                    "Principal"
                },
                strategy: ["Linear", "Hardliner", "TitForTat"][i % 3].into(),
                ..Actor::principal(
                    format!("A{i}"),
                    1.0 + (i % 7) as f64,
                    vec![(0, p, 1.0), (1, 1.0 - p, 0.5), (2, 0.5, (i % 5) as f64)],
                )
            }
        })
        .collect();
    actors.push(mediator());
    let relations: String = (0..n - 1)
        .step_by(3)
        .filter(|i| i + 2 < n - 1)
        .map(|i| format!("(a: \"A{i}\", b: \"A{}\", strength: 0.5),", i + 2))
        .collect();
    let extra = format!("relations: [{relations}],\nperception_noise: 0.05,");
    scenario(3, &actors, protocol, &extra)
}

/// `n` hardliner principals spread over three issues, demanding nearly their ideal, and a
/// hardliner mediator.
fn hardliners_case(n: usize, protocol: &str) -> String {
    let mut actors: Vec<Actor> = (0..n)
        .map(|i| {
            let p = i as f64 / (n - 1) as f64;
            Actor {
                strategy: "Hardliner".into(),
                reservation: 0.95,
                ..Actor::principal(
                    format!("H{i}"),
                    1.0,
                    vec![(0, p, 1.0), (1, 1.0 - p, 1.0), (2, p, 1.0)],
                )
            }
        })
        .collect();
    actors.push(Actor {
        strategy: "Hardliner".into(),
        ..mediator()
    });
    scenario(3, &actors, protocol, "perception_noise: 0.01,")
}

/// Fifty identical principals and an identical mediator, all with ideal 0.3 on both issues.
fn identical_case(protocol: &str) -> String {
    let mut actors: Vec<Actor> = (0..50)
        .map(|i| Actor::principal(format!("S{i}"), 1.0, vec![(0, 0.3, 1.0), (1, 0.3, 1.0)]))
        .collect();
    actors.push(Actor {
        role: "Mediator",
        ..Actor::principal("MED", 1.0, vec![(0, 0.3, 1.0), (1, 0.3, 1.0)])
    });
    scenario(
        2,
        &actors,
        protocol,
        &format!("{FORCE}perception_noise: 0,"),
    )
}

#[test]
fn capabilities_from_1e_minus_9_to_1e9() {
    for protocol in protocols(30) {
        play(&model(&capability_case(&protocol)), 40);
    }
}

#[test]
fn numbers_at_the_validators_limits() {
    for protocol in protocols(12) {
        play(&model(&limits_case(&protocol)), 30);
    }
}

#[test]
fn every_salience_on_one_issue() {
    for protocol in protocols(20) {
        play(&model(&one_issue_case(&protocol, false)), 20);
        play(&model(&one_issue_case(&protocol, true)), 20);
    }
}

#[test]
fn a_thousand_actors() {
    // The validator's limit: 1,000 actors (principals, stakeholders and a mediator), with
    // relations; two rounds keep it quick.
    for protocol in protocols(2) {
        if protocol.starts_with("ExpectedUtility") {
            continue;
        }
        let m = model(&crowd_case(1000, &protocol));
        assert_eq!(m.actors.len(), 1000);
        play(&m, 2);
    }
}

#[test]
fn a_thousand_actors_in_the_expected_utility_model() {
    // The expected-utility model compares every pair of actors through every third actor, so a
    // step costs n³: about 2 s per issue and round at 1,000 actors in a release build, 20 times
    // that in a debug build. The release suite (the README's test command) plays the full
    // 1,000 for one round; a debug build plays 150.
    let n = if cfg!(debug_assertions) { 150 } else { 1000 };
    play(&model(&crowd_case(n, "ExpectedUtility(max_rounds: 1)")), 1);
}

#[test]
fn a_hundred_thousand_rounds_of_hardliners_end_in_deadlock_at_the_deadline() {
    // The validator's limit on rounds; hardliners never move, so every round is played and the
    // status quo holds.
    for protocol in protocols(100_000) {
        let m = model(&hardliners_case(2, &protocol));
        for o in play(&m, 1) {
            if protocol.starts_with("ExpectedUtility") {
                // The forecast is the settlement: no deadlock there.
                continue;
            }
            assert_eq!(o.kind, OutcomeKind::Deadlock, "{protocol}: {o:?}");
            assert_eq!(o.round, 100_000, "{protocol}");
            assert_eq!(o.settlement, vec![0.5; 3], "{protocol}");
        }
    }
}

#[test]
fn hardliners_everywhere_deadlock_and_never_concede() {
    // Five hardliners: no text satisfies them all, nobody moves, the status quo holds and
    // nobody has conceded anything.
    for protocol in protocols(40) {
        if protocol.starts_with("ExpectedUtility") {
            continue;
        }
        for o in play(&model(&hardliners_case(5, &protocol)), 10) {
            assert_eq!(o.kind, OutcomeKind::Deadlock, "{protocol}: {o:?}");
            assert_eq!(o.round, 40);
            assert_eq!(o.settlement, vec![0.5; 3]);
            for (a, c) in o.concession.iter().enumerate().take(5) {
                assert_eq!(*c, 0.0, "{protocol}: hardliner {a} conceded");
            }
        }
    }
}

#[test]
fn everyone_identical_agrees_at_once_on_the_common_ideal() {
    // Every ratio the engine forms between identical actors is a tie; nothing may divide by a
    // zero spread. They agree in round 1 on the ideal they share (the expected-utility model
    // forecasts it).
    for protocol in protocols(10) {
        for o in play(&model(&identical_case(&protocol)), 10) {
            for x in &o.settlement {
                assert!((x - 0.3).abs() < 1e-9, "{protocol}: {o:?}");
            }
            if !protocol.starts_with("ExpectedUtility") {
                assert_eq!(o.kind, OutcomeKind::Agreement, "{protocol}: {o:?}");
                assert_eq!(o.round, 1, "{protocol}");
            }
        }
    }
}

/// The reports of `treaty run` on the extreme scenarios, in every format: the program ends
/// well, the JSON report is whole, and no table or CSV cell reads NaN or inf.
#[test]
fn extreme_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, String)> = Vec::new();
    for (i, protocol) in protocols(12).iter().enumerate() {
        cases.push((format!("capability-{i}"), capability_case(protocol)));
        cases.push((format!("limits-{i}"), limits_case(protocol)));
        cases.push((format!("one-issue-{i}"), one_issue_case(protocol, true)));
        cases.push((format!("hardliners-{i}"), hardliners_case(5, protocol)));
        cases.push((format!("identical-{i}"), identical_case(protocol)));
    }
    cases.push((
        "crowd".into(),
        crowd_case(1000, "AlternatingOffers(max_rounds: 2)"),
    ));
    cases.push((
        "deadline".into(),
        hardliners_case(2, "AlternatingOffers(max_rounds: 100000)"),
    ));
    for (name, text) in &cases {
        let file = dir.path().join(format!("{name}.ron"));
        std::fs::write(&file, text).unwrap();
        // Few runs where a run is long: 100,000 rounds, 1,000 actors, the expected-utility
        // model (the last protocol) with its n³ steps.
        let runs = match name.as_str() {
            "deadline" => "1",
            "crowd" => "3",
            n if n.ends_with("-4") => "20",
            _ => "200",
        };
        for format in ["table", "json", "csv"] {
            let out = treaty(&[
                "run",
                file.to_str().unwrap(),
                "--runs",
                runs,
                "--format",
                format,
            ]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{name} {format}: {stderr}");
            if format == "json" {
                let doc: serde_json::Value =
                    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(doc.is_object());
            } else {
                for word in stdout.split(|c: char| !c.is_ascii_alphanumeric()) {
                    let w = word.to_ascii_lowercase();
                    assert!(
                        w != "nan" && w != "inf" && w != "infinity",
                        "{name} {format} shows {word}:\n{stdout}"
                    );
                }
            }
        }
    }
}
