//! The engine against the closed forms of THEORY.md.

mod engine_support;

use engine_support::*;
use treaty::engine::{Answer, OutcomeKind};
use treaty::model::{Acceptance, Model, Proposer};
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
