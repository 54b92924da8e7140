//! The engine against the closed forms of THEORY.md.

mod engine_support;

use engine_support::*;
use treaty::engine::{Answer, OutcomeKind};
use treaty::model::{Acceptance, Model, Proposer, Strategy};
use treaty::scenario::schema::Role;
use treaty::scenario::value::Value;

// ---------------------------------------------------------------------------------------------
// Faratin, Sierra & Jennings (1998): THEORY.md §4.

/// Prices of the worked example live on [10, 80]; the engine's issue is [0, 1].
const LO: f64 = 10.0;
const HI: f64 = 80.0;

fn scale(price: f64) -> f64 {
    (price - LO) / (HI - LO)
}

fn price(x: f64) -> f64 {
    LO + x * (HI - LO)
}

/// Buyer range [10, 60], seller range [30, 80], t_max = 6, buyer first.
fn faratin_model(beta_buyer: f64, beta_seller: f64) -> Model {
    let mut m = model(alternating(6, Proposer::RoundRobin, Acceptance::Unanimous));
    m.issues.push(issue("price", 0.5));
    let mut buyer = actor(
        "B",
        Role::Principal,
        1.0,
        tactic(beta_buyer, 0.0),
        &[(scale(10.0), 1.0)],
    );
    let mut seller = actor(
        "S",
        Role::Principal,
        1.0,
        tactic(beta_seller, 0.0),
        &[(scale(80.0), 1.0)],
    );
    // Each side's reservation utility is its utility of its reservation price.
    buyer.reservation = Value::Const(1.0 - scale(60.0));
    seller.reservation = Value::Const(scale(30.0));
    m.actors = vec![buyer, seller];
    m
}

/// Faratin's offers, straight from the paper's formulas (THEORY.md §4).
fn faratin_offer(buyer: bool, beta: f64, t: f64) -> f64 {
    let alpha = (t.min(6.0) / 6.0).powf(1.0 / beta);
    if buyer {
        10.0 + alpha * (60.0 - 10.0)
    } else {
        30.0 + (1.0 - alpha) * (80.0 - 30.0)
    }
}

fn check_faratin(beta_b: f64, beta_s: f64, worked: &[f64], round: u32, accepter: usize, deal: f64) {
    let rec = play(&faratin_model(beta_b, beta_s), 0, 0);
    let offers: Vec<f64> = rec.proposals.iter().map(|p| price(p.point[0])).collect();
    assert_eq!(offers.len(), worked.len(), "offers {offers:?}");
    for (t, (&got, &want)) in offers.iter().zip(worked).enumerate() {
        let buyer = t % 2 == 0;
        let exact = faratin_offer(buyer, if buyer { beta_b } else { beta_s }, t as f64);
        assert!(
            (got - exact).abs() < 1e-9,
            "offer at t = {t}: {got} vs {exact}"
        );
        assert!(
            (got - want).abs() < 1e-3,
            "offer at t = {t}: {got} vs worked {want}"
        );
        assert_eq!(
            rec.proposals[t].proposer,
            Some(t % 2),
            "proposer at t = {t}"
        );
    }
    let out = rec.outcome.clone().unwrap();
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert_eq!(out.round, round);
    assert_eq!(rec.accepted_in(round), vec![accepter]);
    for r in 1..round {
        assert!(
            rec.accepted_in(r).is_empty(),
            "nobody accepts before round {round}"
        );
    }
    assert!(
        (price(out.settlement[0]) - deal).abs() < 1e-9,
        "price {}",
        price(out.settlement[0])
    );
}

#[test]
fn faratin_linear_against_linear() {
    // THEORY.md §4: offers 10, 71.667, 26.667, 55.0, 43.333; the seller accepts at t = 5.
    check_faratin(
        1.0,
        1.0,
        &[10.0, 71.667, 26.667, 55.0, 43.333],
        5,
        1,
        10.0 + 50.0 * 4.0 / 6.0,
    );
}

#[test]
fn faratin_boulware_against_conceder() {
    // THEORY.md §4: the buyer (β = 0.5) accepts the seller's (β = 2) offer at its deadline t = 6.
    check_faratin(
        0.5,
        2.0,
        &[10.0, 59.587585, 15.555556, 44.644661, 32.222222, 34.356454],
        6,
        0,
        faratin_offer(false, 2.0, 5.0),
    );
    assert!((faratin_offer(false, 2.0, 5.0) - 34.356454).abs() < 1e-6);
}

#[test]
fn faratin_without_a_zone_of_agreement_deadlocks_at_the_deadline() {
    let mut m = faratin_model(1.0, 1.0);
    // The buyer pays at most 25, the seller takes at least 30: no zone of agreement.
    m.actors[0].reservation = Value::Const(1.0 - scale(25.0));
    let rec = play(&m, 0, 0);
    let out = rec.outcome.clone().unwrap();
    assert_eq!(out.kind, OutcomeKind::Deadlock);
    assert_eq!(out.round, 6);
    assert_eq!(out.settlement, vec![0.5]);
    assert!(rec.responses.iter().all(|r| r.answer != Answer::Accept));
}

// ---------------------------------------------------------------------------------------------
// Rubinstein (1982): THEORY.md §1.

/// Two principals splitting one issue (A's share; A's ideal 1, B's 0) by alternating offers.
fn rubinstein_issue(d1: f64, d2: f64, max_rounds: u32, proposer: Proposer) -> Model {
    let mut m = model(alternating(max_rounds, proposer, Acceptance::Unanimous));
    m.issues.push(issue("share", 0.5));
    for (id, p, d) in [("A", 1.0, d1), ("B", 0.0, d2)] {
        let mut a = actor(id, Role::Principal, 1.0, Strategy::Equilibrium, &[(p, 1.0)]);
        a.discount = Value::Const(d);
        m.actors.push(a);
    }
    m
}

/// The same game written as a pie of two shares whose status quo is (0, 0): a rejection at the
/// deadline leaves both with nothing, as in THEORY.md's finite game.
fn rubinstein_pie(d1: f64, d2: f64, max_rounds: u32) -> Model {
    let mut m = model(alternating(
        max_rounds,
        Proposer::RoundRobin,
        Acceptance::Unanimous,
    ));
    m.issues = vec![issue("a", 0.0), issue("b", 0.0)];
    m.pie = vec![0, 1];
    for (k, (id, d)) in [("A", d1), ("B", d2)].into_iter().enumerate() {
        let mut st = [(0.0, 0.0); 2];
        st[k] = (1.0, 1.0);
        let mut a = actor(id, Role::Principal, 1.0, Strategy::Equilibrium, &st);
        a.discount = Value::Const(d);
        m.actors.push(a);
    }
    m
}

#[test]
fn rubinstein_split_with_immediate_agreement() {
    let (d1, d2): (f64, f64) = (0.95, 0.90);
    let x1 = (1.0 - d2) / (1.0 - d1 * d2);
    assert!((x1 - 0.689655172).abs() < 1e-9);
    let m = rubinstein_issue(d1, d2, 400, Proposer::RoundRobin);
    assert!(treaty::strategy::equilibrium_problems(&m).is_empty());
    for seed in [0, 1, 99] {
        let rec = play(&m, seed, seed * 7);
        let out = rec.outcome.clone().unwrap();
        assert_eq!(out.kind, OutcomeKind::Agreement);
        assert_eq!(out.round, 1);
        assert!(
            (out.settlement[0] - x1).abs() < 1e-9,
            "{}",
            out.settlement[0]
        );
        assert_eq!(rec.accepted_in(1), vec![1]);
    }
    // B proposing first gets (1 − δ1)/(1 − δ1δ2).
    let m = rubinstein_issue(d1, d2, 400, Proposer::Order(vec![1, 0]));
    let out = play(&m, 0, 0).outcome.unwrap();
    assert_eq!(out.round, 1);
    let y2 = (1.0 - d1) / (1.0 - d1 * d2);
    assert!((1.0 - out.settlement[0] - y2).abs() < 1e-9);
    // A far deadline: the stationary offer.
    let m = rubinstein_issue(d1, d2, 100_000, Proposer::RoundRobin);
    let out = play(&m, 0, 0).outcome.unwrap();
    assert!((out.settlement[0] - x1).abs() < 1e-9);
}

#[test]
fn rubinstein_finite_horizon_shares() {
    let (d1, d2): (f64, f64) = (0.95, 0.90);
    // THEORY.md §1, T = 1 … 8.
    let worked = [
        1.0, 0.1, 0.955, 0.1855, 0.916525, 0.258602, 0.883629, 0.321105,
    ];
    for (k, &want) in worked.iter().enumerate() {
        let t = k as u32 + 1;
        // Backward induction by hand: v_1 = 1, v_k = 1 − δ_resp v_{k−1}, the responder in the
        // first round being B (δ2) when A proposes.
        let mut v: f64 = 1.0;
        for j in 2..=t {
            let resp = if (t - j).is_multiple_of(2) { d2 } else { d1 };
            v = 1.0 - resp * v;
        }
        assert!((v - want).abs() < 1e-6);
        let out = play(&rubinstein_pie(d1, d2, t), 0, 0).outcome.unwrap();
        assert_eq!(out.kind, OutcomeKind::Agreement, "T = {t}");
        assert_eq!(out.round, 1, "T = {t}");
        assert!(
            (out.settlement[0] - v).abs() < 1e-9,
            "T = {t}: {} vs {v}",
            out.settlement[0]
        );
        assert!((out.settlement[1] - (1.0 - v)).abs() < 1e-9);
    }
}

#[test]
fn rubinstein_with_concave_utility() {
    // u_A = √x, u_B = 1 − x, common δ: x* = (1 − δ)/(1 − δ³) (THEORY.md §1).
    let d = 0.9;
    let mut m = rubinstein_issue(d, d, 2_000, Proposer::RoundRobin);
    m.actors[0].risk = Value::Const(0.5);
    let out = play(&m, 0, 0).outcome.unwrap();
    assert_eq!(out.round, 1);
    let x = (1.0 - d) / (1.0 - d * d * d);
    assert!(
        (out.settlement[0] - x).abs() < 1e-9,
        "{} vs {x}",
        out.settlement[0]
    );
}
