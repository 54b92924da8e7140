//! One run: offers, logrolling, options, the pie, pressure, events, force, determinism.

use crate::common::models::*;
use treaty::engine::{Answer, OutcomeKind, ProposalKind};
use treaty::model::Value;
use treaty::model::{Acceptance, Change, Effect, Event, Proposer, Strategy, Timing};
use treaty::model::{Disagreement, MediatorText, Role};

fn two_party(max_rounds: u32) -> treaty::model::Model {
    let mut m = model(alternating(
        max_rounds,
        Proposer::RoundRobin,
        Acceptance::Unanimous,
    ));
    m.issues = vec![issue("x", 0.5), issue("y", 0.5)];
    m.actors = vec![
        actor(
            "A",
            Role::Principal,
            1.0,
            tactic(1.0, 0.0),
            &[(0.0, 1.0), (0.0, 0.2)],
        ),
        actor(
            "B",
            Role::Principal,
            1.0,
            tactic(1.0, 0.0),
            &[(1.0, 0.2), (1.0, 1.0)],
        ),
    ];
    m
}

#[test]
fn the_same_seed_gives_the_same_run_and_runs_differ() {
    let mut m = two_party(20);
    m.perception_noise = Value::Const(0.05);
    let a = play(&m, 7, 3);
    let b = play(&m, 7, 3);
    assert_eq!(a.outcome, b.outcome);
    assert_eq!(a.responses, b.responses);
    let c = play(&m, 7, 4);
    assert_ne!(
        a.responses, c.responses,
        "another run draws other perception noise"
    );
}

#[test]
fn offers_logroll_conceding_first_where_the_proposer_cares_least() {
    // A cares about x (1.0) far more than y (0.2); B the reverse. A's first concession is on y.
    // Failed talks leave each its reservation utility (0), so aspirations fall from 1 to 0.
    let mut m = two_party(10);
    m.disagreement = Disagreement::Reservation;
    let rec = play(&m, 0, 0);
    let first = &rec.proposals[0];
    assert_eq!(first.proposer, Some(0));
    // Round 1 A offers at a(0) = 1: its ideal.
    assert_eq!(first.point, vec![0.0, 0.0]);
    // Round 3, A offers at a(2) = 1 − 0.2 = 0.8: its budget 0.2 × (1.0 + 0.2) = 0.24 buys the
    // whole of y (cost 0.2) and 0.04 of x.
    let third = &rec.proposals[2];
    assert_eq!(third.proposer, Some(0));
    assert!((third.point[1] - 1.0).abs() < 1e-12, "{:?}", third.point);
    assert!((third.point[0] - 0.04).abs() < 1e-12, "{:?}", third.point);
    // B's mirror image in round 2 (a(1) = 0.9: budget 0.12 buys 0.6 of x).
    let second = &rec.proposals[1];
    assert!((second.point[1] - 1.0).abs() < 1e-12);
    assert!((second.point[0] - 0.4).abs() < 1e-12, "{:?}", second.point);
    // Logrolling lets both do far better than splitting each issue.
    let out = rec.outcome.unwrap();
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert!(out.utility.iter().all(|&u| u > 0.6), "{:?}", out.utility);
}

#[test]
fn offers_on_optioned_issues_are_options_and_never_below_aspiration() {
    let mut m = two_party(12);
    m.issues[0] = optioned("x", 0.5, &[0.0, 0.3, 0.6, 1.0]);
    let rec = play(&m, 0, 0);
    for p in &rec.proposals {
        assert!([0.0, 0.3, 0.6, 1.0].contains(&p.point[0]), "{:?}", p.point);
        let proposer = p.proposer.unwrap();
        let asp = rec
            .aspirations
            .iter()
            .find(|(r, _)| *r == p.round)
            .unwrap()
            .1[proposer];
        let w = &rec.worlds[(p.round - 1) as usize];
        let u = treaty::model::own_utility(w, proposer, &p.point);
        assert!(
            u >= asp - 1e-12,
            "round {}: offer worth {u} < aspiration {asp}",
            p.round
        );
    }
}

#[test]
fn pie_offers_share_what_the_proposer_does_not_keep() {
    let mut m = model(alternating(10, Proposer::RoundRobin, Acceptance::Quota(2)));
    m.issues = vec![issue("a", 0.0), issue("b", 0.0), issue("c", 0.0)];
    m.pie = vec![0, 1, 2];
    for (k, id) in ["A", "B", "C"].iter().enumerate() {
        let mut st = [(0.0, 0.0); 3];
        st[k] = (1.0, 1.0);
        m.actors
            .push(actor(id, Role::Principal, 1.0, tactic(1.0, 0.0), &st));
    }
    let rec = play(&m, 0, 0);
    for p in &rec.proposals {
        let sum: f64 = p.point.iter().sum();
        assert!(sum <= 1.0 + 1e-12, "{:?}", p.point);
        let me = p.proposer.unwrap();
        let asp = rec.aspirations[(p.round - 1) as usize].1[me];
        assert!(
            (p.point[me] - asp).abs() < 1e-12,
            "the proposer keeps its aspiration"
        );
        // The rest is split equally between the two others.
        let others: Vec<f64> = (0..3).filter(|&k| k != me).map(|k| p.point[k]).collect();
        assert!((others[0] - others[1]).abs() < 1e-12);
        assert!((sum - 1.0).abs() < 1e-12, "the whole pie is shared");
    }
    assert_eq!(rec.outcome.unwrap().kind, OutcomeKind::Agreement);
}

#[test]
fn a_hardliner_never_moves() {
    let mut m = two_party(8);
    m.actors[1].strategy = Strategy::Hardliner;
    // The status quo (0.5, 0.5) is worth 0.5 to A: it never takes the hardliner's ideal.
    let out = play(&m, 0, 0).outcome.unwrap();
    assert_eq!(out.kind, OutcomeKind::Deadlock);
    // When failure leaves A only its reservation utility (0), A gives in at the deadline.
    m.disagreement = Disagreement::Reservation;
    let rec = play(&m, 0, 0);
    for (_, asp) in &rec.aspirations {
        assert_eq!(asp[1], 1.0);
    }
    for p in rec.proposals.iter().filter(|p| p.proposer == Some(1)) {
        assert_eq!(p.point, vec![1.0, 1.0]);
    }
    assert!(rec.concessions.iter().all(|c| c.actor != 1));
    let out = rec.outcome.unwrap();
    assert_eq!(out.concession[1], 0.0);
    // The linear side concedes all the way and accepts the hardliner's ideal at the deadline,
    // where it is worth A's reservation utility.
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert_eq!(out.round, 8);
    assert_eq!(out.settlement, vec![1.0, 1.0]);
}

#[test]
fn tit_for_tat_concedes_what_the_others_conceded_the_round_before() {
    let mut m = two_party(10);
    m.actors[1].strategy = Strategy::TitForTat;
    let rec = play(&m, 0, 0);
    let by = |a: usize, r: u32| {
        rec.concessions
            .iter()
            .find(|c| c.actor == a && c.round == r)
            .map(|c| c.from - c.to)
            .unwrap_or(0.0)
    };
    assert_eq!(by(1, 1), 0.0, "nobody conceded before round 1");
    let end = rec.outcome.as_ref().unwrap().round;
    assert!(end >= 4, "{end}");
    for r in 2..end {
        assert!((by(1, r) - by(0, r - 1)).abs() < 1e-12, "round {r}");
        assert!(by(1, r) > 0.0);
    }
}

#[test]
fn an_approving_ally_eases_a_principal_and_a_disapproving_one_stiffens_it() {
    let mut m = two_party(10);
    m.issues.truncate(1);
    for a in &mut m.actors {
        a.stances.truncate(1);
    }
    // S likes what B wants; A regards S as an ally.
    m.actors.push(actor(
        "S",
        Role::Stakeholder,
        1.0,
        tactic(1.0, 0.0),
        &[(1.0, 1.0)],
    ));
    relate(&mut m, 0, 2, 0.8);
    m.interdependence = Value::Const(0.0);
    // Failure leaves only the reservation utility (0): thresholds fall far enough for pressure
    // to show in every round (at the floor it cannot push further).
    m.disagreement = Disagreement::Reservation;
    let rec = play(&m, 0, 0);
    for r in rec
        .responses
        .iter()
        .filter(|r| r.actor == 0 && r.answer != Answer::Proposed)
    {
        let p = &rec.proposals[(r.round - 1) as usize];
        let gain_for_s = p.point[0] - 0.5;
        if gain_for_s == 0.0 {
            assert_eq!(r.pressure, 0.0, "round {}: nothing moved", r.round);
        } else {
            assert_eq!(
                r.pressure > 0.0,
                gain_for_s > 0.0,
                "round {}: {}",
                r.round,
                r.pressure
            );
        }
    }
    // The stakeholder never votes.
    assert!(
        rec.responses
            .iter()
            .filter(|r| r.actor == 2)
            .all(|r| matches!(r.answer, Answer::Approve | Answer::Oppose))
    );
    // Without the relation there is no pressure.
    m.relations.clear();
    let rec = play(&m, 0, 0);
    assert!(rec.responses.iter().all(|r| r.pressure == 0.0));
}

#[test]
fn scheduled_events_change_the_world_and_removed_actors_stop_voting() {
    let mut m = model(alternating(12, Proposer::RoundRobin, Acceptance::Unanimous));
    m.issues = vec![issue("x", 0.5)];
    m.actors = vec![
        actor("A", Role::Principal, 1.0, tactic(1.0, 0.0), &[(0.0, 1.0)]),
        actor("B", Role::Principal, 1.0, tactic(1.0, 0.0), &[(1.0, 1.0)]),
        actor(
            "C",
            Role::Principal,
            1.0,
            Strategy::Hardliner,
            &[(1.0, 1.0)],
        ),
    ];
    m.events = vec![
        Event {
            label: "A's capability doubles".into(),
            timing: Timing::Round(2),
            effects: vec![Effect::Capability {
                actor: 0,
                change: Change::Scale(Value::Const(2.0)),
            }],
        },
        Event {
            label: "the hardliner walks out".into(),
            timing: Timing::Round(4),
            effects: vec![Effect::RemoveActor { actor: 2 }],
        },
    ];
    // Failure leaves only the reservation utility (0), so A and B can meet anywhere.
    m.disagreement = Disagreement::Reservation;
    let rec = play(&m, 0, 0);
    assert_eq!(rec.events, vec![(2, 0), (4, 1)]);
    assert_eq!(rec.worlds[0].capability[0], 1.0);
    assert!(
        rec.worlds[2].capability[0] == 2.0,
        "round 3 sees the change"
    );
    assert!(
        rec.responses
            .iter()
            .filter(|r| r.round >= 4)
            .all(|r| r.actor != 2)
    );
    let out = rec.outcome.unwrap();
    assert_eq!(
        out.kind,
        OutcomeKind::Agreement,
        "without the hardliner A and B agree"
    );
    assert_eq!(out.events, vec![(2, 0), (4, 1)]);
}

#[test]
fn windowed_events_fire_at_most_once() {
    let mut m = two_party(30);
    m.actors[1].strategy = Strategy::Hardliner;
    m.actors[0].strategy = Strategy::Hardliner;
    m.events = vec![Event {
        label: "shock".into(),
        timing: Timing::Window {
            from: 3,
            to: 20,
            probability: Value::Const(0.3),
        },
        effects: vec![Effect::StatusQuo {
            issue: 0,
            change: Change::Add(Value::Const(0.1)),
        }],
    }];
    let mut fired = 0;
    for run in 0..200 {
        let rec = play(&m, 1, run);
        assert!(rec.events.len() <= 1);
        if let Some(&(round, _)) = rec.events.first() {
            assert!((3..=20).contains(&round));
            fired += 1;
            let out = rec.outcome.unwrap();
            assert!(
                (out.settlement[0] - 0.6).abs() < 1e-12,
                "the fait accompli holds"
            );
        }
    }
    // P(fires in 18 rounds) = 1 − 0.7^18 ≈ 0.998.
    assert!(fired > 190, "{fired}");
}

#[test]
fn force_ends_the_run_in_conflict_toward_the_winners() {
    let mut m = two_party(20);
    m.issues.truncate(1);
    for a in &mut m.actors {
        a.stances.truncate(1);
    }
    // A is strong, B never moves: war soon beats what the table offers A.
    m.actors[0].capability = Value::Const(9.0);
    m.actors[0].strategy = tactic(5.0, 0.5);
    m.actors[1].strategy = Strategy::Hardliner;
    m.escalation = Some(escalation(&m, 0.0, 1.0, 1.0, vec![0]));
    let rec = play(&m, 0, 0);
    let out = rec.outcome.clone().unwrap();
    assert_eq!(out.kind, OutcomeKind::Conflict);
    let c = out.wars.last().unwrap().clone();
    assert_eq!((c.initiator, c.target), (0, 1));
    assert!(c.total);
    let d = rec.force.last().unwrap();
    assert!(d.escalated);
    assert!((d.win_probability - 0.9).abs() < 1e-12);
    assert!(d.value > d.table);
    // Imposition 1: the winner's ideal point.
    let expected = if c.initiator_won { 0.0 } else { 1.0 };
    assert_eq!(out.settlement, vec![expected]);
    assert_eq!(c.winners, vec![if c.initiator_won { 0 } else { 1 }]);
    // Over many runs the strong side wins about 90% of its wars.
    let wins = (0..400)
        .filter(|&run| {
            play(&m, 0, run)
                .outcome
                .unwrap()
                .wars
                .last()
                .is_some_and(|c| c.initiator_won)
        })
        .count();
    assert!((330..=390).contains(&wins), "{wins}");
}

#[test]
fn the_mediator_tables_the_compromise_and_amends_toward_those_who_reject() {
    // docs/theory.md §6 toy data (positions / 100): compromise = 45.837563452 / 100.
    let data = [
        (1.0, 0.0, 0.5),
        (0.5, 0.3, 0.9),
        (0.8, 0.6, 0.6),
        (0.3, 0.8, 1.0),
        (0.6, 1.0, 0.4),
    ];
    let mut m = model(mediated(
        5,
        MediatorText::Compromise,
        0.2,
        5,
        Disagreement::StatusQuo,
    ));
    m.issues = vec![issue("x", 0.5)];
    for (k, &(c, x, s)) in data.iter().enumerate() {
        m.actors.push(actor(
            &format!("P{k}"),
            Role::Principal,
            c,
            Strategy::Hardliner,
            &[(x, s)],
        ));
    }
    m.actors.push(actor(
        "M",
        Role::Mediator,
        1.0,
        tactic(1.0, 0.0),
        &[(0.5, 1.0)],
    ));
    let rec = play(&m, 0, 0);
    let first = &rec.proposals[0];
    assert_eq!(first.kind, ProposalKind::Text);
    assert_eq!(first.proposer, Some(5));
    assert!(
        (first.point[0] - 0.45837563452).abs() < 1e-10,
        "{}",
        first.point[0]
    );
    // Everyone rejects (hardliners), so the text moves 20% toward the salience-weighted mean of
    // the rejecting parties' offers: every veto counts alike, whatever the capability behind it.
    let second = &rec.proposals[1];
    let rejecting: Vec<usize> = rec
        .responses
        .iter()
        .filter(|r| r.round == 1 && r.answer == Answer::Reject)
        .map(|r| r.actor)
        .collect();
    let (num, den) = rejecting.iter().fold((0.0, 0.0), |(n, d), &i| {
        let (_, x, s) = data[i];
        (n + s * x, d + s)
    });
    let expected = first.point[0] + 0.2 * (num / den - first.point[0]);
    assert!((second.point[0] - expected).abs() < 1e-12);
    // Not the capability-weighted compromise, which it would be if capability counted twice.
    let (cn, cd) = rejecting.iter().fold((0.0, 0.0), |(n, d), &i| {
        let (c, x, s) = data[i];
        (n + c * s * x, d + c * s)
    });
    let doubled = first.point[0] + 0.2 * (cn / cd - first.point[0]);
    assert!((second.point[0] - doubled).abs() > 1e-3);
}

/// Counts the rounds it sees and gives the run up once it has seen `after` of them.
struct AbandonAfter {
    after: u32,
    seen: u32,
}

impl treaty::engine::Observer for AbandonAfter {
    fn on_round(&mut self, _: u32, _: &treaty::model::World, _: &[f64]) {
        self.seen += 1;
    }
    fn abandoned(&self) -> bool {
        self.seen >= self.after
    }
}

#[test]
fn an_observer_can_give_a_run_up_before_its_next_round() {
    // Two hardliners never agree: the whole run takes its 50 rounds.
    let mut m = two_party(50);
    for a in &mut m.actors {
        a.strategy = Strategy::Hardliner;
    }
    let whole = play(&m, 3, 0);
    let whole = whole.outcome.expect("an outcome");
    assert_eq!(whole.round, 50);
    let mut rng = treaty::rng::SimRng::for_run(3, 0);
    let mut stop = AbandonAfter { after: 3, seen: 0 };
    let out = treaty::engine::simulate_run(&m, &mut rng, &mut stop);
    assert_eq!(stop.seen, 3, "no round starts after the observer gave up");
    assert_eq!(out.round, 3);
    assert_eq!(out.kind, OutcomeKind::Deadlock);
}
