//! Properties of every run of random models: settlements are possible settlements, agreements
//! respect the acceptance rule, rounds stay within the deadline, hardliners never move, and no
//! number is NaN.

use crate::common::models::*;
use proptest::prelude::*;
use treaty::engine::{Answer, OutcomeKind};
use treaty::model::Value;
use treaty::model::{Acceptance, Change, Effect, Event, Model, Proposer, Strategy, Timing};
use treaty::model::{Disagreement, MediatorText, Role};
use treaty::rng::SimRng;

/// A random but valid model, drawn from `shape`.
fn random_model(shape: u64) -> Model {
    let mut r = SimRng::for_run(shape, 99);
    let mut u = move || r.next_unit();
    let pick = |x: f64, n: usize| ((x * n as f64) as usize).min(n - 1);

    let n_principals = 2 + pick(u(), 3);
    let n_stakeholders = pick(u(), 3);
    let with_mediator = u() < 0.5;
    let mediated = with_mediator && u() < 0.4;
    let forecast = !mediated && u() < 0.2;
    let n_issues = 1 + pick(u(), 3);
    let max_rounds = 1 + pick(u(), 40) as u32;

    let n_actors = n_principals + n_stakeholders + usize::from(with_mediator);
    let mediator = n_actors - 1;
    let protocol = if mediated {
        let text = match pick(u(), 3) {
            0 => MediatorText::Compromise,
            1 => MediatorText::NashBargaining,
            _ => MediatorText::KalaiSmorodinsky,
        };
        mediated_protocol(mediator, text, 0.05 + 0.5 * u(), max_rounds)
    } else if forecast {
        // Both reconstructions of the model.
        let variant = treaty::solvers::expected_utility::Variant::ALL[pick(u(), 2)];
        treaty::model::Protocol::ExpectedUtility {
            max_rounds,
            variant,
        }
    } else {
        let proposer = match pick(u(), 3) {
            0 => Proposer::RoundRobin,
            1 => Proposer::PowerWeighted,
            _ => {
                let mut order: Vec<usize> = (0..n_actors).collect();
                order.rotate_left(pick(u(), n_actors));
                order.truncate(1 + pick(u(), n_actors));
                Proposer::Order(order)
            }
        };
        let acceptance = if u() < 0.5 {
            Acceptance::Unanimous
        } else {
            Acceptance::Quota(1 + pick(u(), n_principals) as u32)
        };
        alternating(max_rounds, proposer, acceptance)
    };
    let mut m = model(protocol);
    let pie = n_issues >= 2 && u() < 0.3;
    for j in 0..n_issues {
        let in_pie = pie && j < 2;
        let id = format!("i{j}");
        let sq = if in_pie { 0.5 * u() } else { u() };
        if !in_pie && u() < 0.4 || in_pie && u() < 0.3 {
            let mut pts: Vec<f64> = (0..2 + pick(u(), 4))
                .map(|_| (u() * 20.0).round() / 20.0)
                .collect();
            pts.push(0.0);
            pts.sort_by(f64::total_cmp);
            pts.dedup();
            m.issues.push(optioned(&id, sq, &pts));
        } else {
            m.issues.push(issue(&id, sq));
        }
    }
    if pie {
        m.pie = vec![0, 1];
    }
    for a in 0..n_actors {
        let role = if a < n_principals {
            Role::Principal
        } else if with_mediator && a == mediator {
            Role::Mediator
        } else {
            Role::Stakeholder
        };
        let strategy = match pick(u(), 4) {
            0 => Strategy::TitForTat,
            1 => Strategy::Hardliner,
            _ => tactic(0.2 + 4.8 * u(), 0.5 * u()),
        };
        let stances: Vec<(f64, f64)> = (0..n_issues).map(|_| (u(), 0.05 + u())).collect();
        let mut ac = actor(&format!("a{a}"), role, 0.1 + 2.0 * u(), strategy, &stances);
        ac.reservation = Value::Const(0.6 * u());
        ac.risk = Value::Const(0.5 + 1.5 * u());
        m.actors.push(ac);
    }
    for a in 0..n_actors {
        for b in a + 1..n_actors {
            if u() < 0.4 {
                relate(&mut m, a, b, 2.0 * u() - 1.0);
            }
        }
    }
    m.interdependence = Value::Const(0.5 * u());
    m.perception_noise = Value::Const(if u() < 0.5 { 0.0 } else { 0.1 * u() });
    if u() < 0.4 {
        m.escalation = Some(escalation(&m, 0.3 * u(), u(), u(), vec![0]));
    }
    if u() < 0.5 {
        let target = pick(u(), n_actors);
        let effect = match pick(u(), 5) {
            0 => Effect::Capability {
                actor: target,
                change: Change::Scale(Value::Const(2.0 * u())),
            },
            1 => Effect::Salience {
                actor: target,
                issue: 0,
                change: Change::Add(Value::Const(u() - 0.5)),
            },
            2 => Effect::Position {
                actor: target,
                issue: 0,
                change: Change::Set(Value::Const(u())),
            },
            3 => Effect::StatusQuo {
                issue: n_issues - 1,
                change: Change::Add(Value::Const(u() - 0.3)),
            },
            _ => Effect::RemoveActor { actor: target },
        };
        let timing = if u() < 0.5 {
            Timing::Round(1 + pick(u(), max_rounds as usize) as u32)
        } else {
            Timing::Window {
                from: 1,
                to: max_rounds,
                probability: Value::Const(u()),
            }
        };
        m.events.push(Event {
            label: "shock".into(),
            timing,
            effects: vec![effect],
        });
    }
    m
}

fn mediated_protocol(
    mediator: usize,
    text: MediatorText,
    step: f64,
    max_rounds: u32,
) -> treaty::model::Protocol {
    mediated(mediator, text, step, max_rounds, Disagreement::StatusQuo)
}

/// A point is a possible settlement: in [0, 1], on options, inside the pie.
fn check_point(m: &Model, x: &[f64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(x.len(), m.issues.len());
    for (j, issue) in m.issues.iter().enumerate() {
        prop_assert!(
            x[j].is_finite() && (0.0..=1.0).contains(&x[j]),
            "issue {}: {}",
            j,
            x[j]
        );
        if !issue.options.is_empty() {
            prop_assert!(
                issue.options.iter().any(|o| o.at == x[j]),
                "issue {} off its options: {}",
                j,
                x[j]
            );
        }
    }
    let pie: f64 = m.pie.iter().map(|&j| x[j]).sum();
    prop_assert!(pie <= 1.0 + 1e-9, "pie {}", pie);
    Ok(())
}

proptest! {
    #![proptest_config(crate::common::proptest_cases(400))]

    #[test]
    fn every_run_keeps_the_rules(shape in any::<u64>(), seed in any::<u64>(), run in 0u64..1000) {
        let m = random_model(shape);
        let rec = play(&m, seed, run);
        let out = rec.outcome.clone().unwrap();
        let max_rounds = m.protocol.max_rounds();

        // Rounds stay within the deadline.
        prop_assert!(out.round >= 1 && out.round <= max_rounds, "round {}", out.round);
        prop_assert!(rec.aspirations.len() as u32 <= max_rounds);

        // Settlements and proposals are possible settlements.
        check_point(&m, &out.settlement)?;
        for p in &rec.proposals {
            check_point(&m, &p.point)?;
        }

        // No NaN anywhere.
        for x in out.utility.iter().chain(&out.concession).chain(&out.settlement) {
            prop_assert!(x.is_finite());
        }
        prop_assert!(out.concession.iter().all(|&c| (0.0..=1.0).contains(&c)));
        for r in &rec.responses {
            prop_assert!(r.utility.is_finite() && r.threshold.is_finite() && r.pressure.is_finite());
        }
        for c in &rec.concessions {
            prop_assert!(c.from.is_finite() && c.to.is_finite());
        }

        // Agreement only when the acceptance rule held in the last round.
        // The principals at the table answer (events of the round have fired by then).
        let principals: Vec<usize> = m
            .principals()
            .filter(|&p| rec.responses.iter().any(|r| r.round == out.round && r.actor == p))
            .collect();
        let accepting = rec
            .responses
            .iter()
            .filter(|r| r.round == out.round && principals.contains(&r.actor) && r.answer.accepts())
            .count();
        let needed = match &m.protocol {
            treaty::model::Protocol::AlternatingOffers { acceptance: Acceptance::Quota(k), .. } => {
                (*k as usize).min(principals.len())
            }
            _ => principals.len(),
        };
        if out.kind == OutcomeKind::Agreement {
            prop_assert!(!principals.is_empty());
            prop_assert!(accepting >= needed, "{} of {} accepted, {} needed", accepting, principals.len(), needed);
            // The last proposal of the round carried (the offer, or the mediators' text after it).
            let tabled = rec.proposals.iter().rev().find(|p| p.round == out.round).unwrap();
            prop_assert_eq!(&tabled.point, &out.settlement);
            // Every accepting principal saw at least its threshold.
            for r in rec.responses.iter().filter(|r| r.round == out.round && r.answer == Answer::Accept) {
                prop_assert!(r.utility >= r.threshold - 1e-12);
            }
        } else {
            // Talks end before the deadline only by force, or when the expected-utility model
            // stops moving and its forecast is not signed.
            let forecast = matches!(m.protocol, treaty::model::Protocol::ExpectedUtility { .. });
            prop_assert!(out.kind == OutcomeKind::Conflict || out.round == max_rounds || forecast);
        }
        if out.kind == OutcomeKind::Conflict {
            prop_assert!(m.escalation.is_some());
            prop_assert!(!out.wars.is_empty());
        }
        if !out.wars.is_empty() {
            prop_assert!(m.escalation.is_some());
        }

        // A hardliner never moves (in the expected-utility model strategies do not apply).
        let forecast = matches!(m.protocol, treaty::model::Protocol::ExpectedUtility { .. });
        for (a, actor) in m.actors.iter().enumerate() {
            if actor.strategy == Strategy::Hardliner && !forecast {
                prop_assert!(rec.aspirations.iter().all(|(_, asp)| asp[a] == 1.0));
                prop_assert!(rec.concessions.iter().all(|c| c.actor != a));
                prop_assert_eq!(out.concession[a], 0.0);
            }
        }
    }
}

/// A random Rubinstein game: two equilibrium players, one issue or a two-share pie.
fn rubinstein_game(d1: f64, d2: f64, a1: f64, a2: f64, rounds: u32, pie: bool) -> Model {
    let mut m = model(treaty::model::Protocol::AlternatingOffers {
        max_rounds: rounds,
        proposer: Proposer::RoundRobin,
        acceptance: Acceptance::Unanimous,
    });
    let stances: [Vec<(f64, f64)>; 2] = if pie {
        m.issues = vec![issue("a", 0.0), issue("b", 0.0)];
        m.pie = vec![0, 1];
        [vec![(1.0, 1.0), (0.0, 0.0)], vec![(0.0, 0.0), (1.0, 1.0)]]
    } else {
        m.issues = vec![issue("share", 0.3)];
        [vec![(1.0, 1.0)], vec![(0.0, 1.0)]]
    };
    for (k, (d, a)) in [(d1, a1), (d2, a2)].into_iter().enumerate() {
        let mut ac = actor(
            &format!("P{k}"),
            Role::Principal,
            1.0,
            Strategy::Equilibrium,
            &stances[k],
        );
        ac.discount = Value::Const(d);
        ac.risk = Value::Const(a);
        m.actors.push(ac);
    }
    m
}

proptest! {
    #![proptest_config(crate::common::proptest_cases(200))]

    #[test]
    fn rubinstein_games_agree_at_once_on_the_solver_split(
        d1 in 0.05f64..1.0,
        d2 in 0.05f64..1.0,
        a1 in 0.3f64..2.0,
        a2 in 0.3f64..2.0,
        rounds in 1u32..80,
        pie in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let m = rubinstein_game(d1, d2, a1, a2, rounds, pie);
        prop_assert!(treaty::model::games::equilibrium_problems(&m).is_empty());
        let rec = play(&m, seed, 0);
        let out = rec.outcome.clone().unwrap();
        prop_assert_eq!(out.kind, OutcomeKind::Agreement);
        prop_assert_eq!(out.round, 1);
        let first = treaty::solvers::rubinstein::Bargainer::new(move |s: f64| s.powf(a1), d1);
        let second = treaty::solvers::rubinstein::Bargainer::new(move |s: f64| s.powf(a2), d2);
        let share = treaty::solvers::rubinstein::spe_offer(&first, &second, rounds).unwrap();
        prop_assert!((out.settlement[0] - share).abs() < 1e-9, "{} vs {}", out.settlement[0], share);
        check_point(&m, &out.settlement)?;
        prop_assert!(out.utility.iter().all(|u| u.is_finite()));
    }
}

/// Risk-acceptant players near the horizon where the engine switches to the stationary offer:
/// offer and answer must rest on the same continuation value (once agreed in round 2).
#[test]
fn rubinstein_offer_meets_the_threshold_it_is_built_from() {
    let (d1, d2, a1, a2, rounds) = (
        0.519_452_047_122_414_1,
        0.677_163_584_842_243_1,
        1.891_521_283_618_655_2,
        1.882_354_888_851_582_6,
        76,
    );
    let m = rubinstein_game(d1, d2, a1, a2, rounds, false);
    let out = play(&m, 0, 0).outcome.unwrap();
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert_eq!(out.round, 1);
    let first = treaty::solvers::rubinstein::Bargainer::new(move |s: f64| s.powf(a1), d1);
    let second = treaty::solvers::rubinstein::Bargainer::new(move |s: f64| s.powf(a2), d2);
    let share = treaty::solvers::rubinstein::spe_offer(&first, &second, rounds).unwrap();
    assert!(
        (out.settlement[0] - share).abs() < 1e-9,
        "{} vs {share}",
        out.settlement[0]
    );
}
