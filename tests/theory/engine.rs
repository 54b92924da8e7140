//! The engine against the closed forms of docs/theory.md.

use crate::common::models::*;
use treaty::engine::{Answer, OutcomeKind};
use treaty::model::Role;
use treaty::model::Value;
use treaty::model::{Acceptance, Family, Model, Proposer, Strategy, Tactic};

// ---------------------------------------------------------------------------------------------
// Faratin, Sierra & Jennings (1998): docs/theory.md §4.

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
    faratin_model_with(tactic(beta_buyer, 0.0), tactic(beta_seller, 0.0))
}

/// [`faratin_model`] with any two strategies.
fn faratin_model_with(buyer: Strategy, seller: Strategy) -> Model {
    let mut m = model(alternating(6, Proposer::RoundRobin, Acceptance::Unanimous));
    m.issues.push(issue("price", 0.5));
    let mut buyer = actor("B", Role::Principal, 1.0, buyer, &[(scale(10.0), 1.0)]);
    let mut seller = actor("S", Role::Principal, 1.0, seller, &[(scale(80.0), 1.0)]);
    // Each side's reservation utility is its utility of its reservation price, and failed talks
    // leave each side that alone (Faratin's agents withdraw to their reservation values).
    buyer.reservation = Value::Const(1.0 - scale(60.0));
    seller.reservation = Value::Const(scale(30.0));
    m.actors = vec![buyer, seller];
    m.disagreement = treaty::model::Disagreement::Reservation;
    m
}

/// Faratin's offers, straight from the paper's formulas (docs/theory.md §4).
fn faratin_offer(buyer: bool, beta: f64, t: f64) -> f64 {
    let alpha = (t.min(6.0) / 6.0).powf(1.0 / beta);
    if buyer {
        10.0 + alpha * (60.0 - 10.0)
    } else {
        30.0 + (1.0 - alpha) * (80.0 - 30.0)
    }
}

fn check_faratin(beta_b: f64, beta_s: f64, worked: &[f64], round: u32, accepter: usize, deal: f64) {
    let m = faratin_model(beta_b, beta_s);
    let exact = |buyer: bool, t: f64| faratin_offer(buyer, if buyer { beta_b } else { beta_s }, t);
    check_faratin_run(&m, exact, worked, round, accepter, deal);
}

/// Plays `m` and checks its offers against Faratin's (`exact(buyer, t)`) and the worked numbers,
/// and who accepts what when.
fn check_faratin_run(
    m: &Model,
    exact: impl Fn(bool, f64) -> f64,
    worked: &[f64],
    round: u32,
    accepter: usize,
    deal: f64,
) {
    let rec = play(m, 0, 0);
    let offers: Vec<f64> = rec.proposals.iter().map(|p| price(p.point[0])).collect();
    assert_eq!(offers.len(), worked.len(), "offers {offers:?}");
    for (t, (&got, &want)) in offers.iter().zip(worked).enumerate() {
        let buyer = t % 2 == 0;
        let exact = exact(buyer, t as f64);
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
    // docs/theory.md §4: offers 10, 71.667, 26.667, 55.0, 43.333; the seller accepts at t = 5.
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
    // docs/theory.md §4: the buyer (β = 0.5) accepts the seller's (β = 2) offer at its deadline t = 6.
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

/// Faratin's exponential family, α(t) = exp((1 − t/T)^β ln κ) with T = 6, straight from the
/// paper's formula.
fn faratin_exponential_offer(buyer: bool, beta: f64, kappa: f64, t: f64) -> f64 {
    let alpha = ((1.0 - t.min(6.0) / 6.0).powf(beta) * kappa.ln()).exp();
    if buyer {
        10.0 + alpha * (60.0 - 10.0)
    } else {
        30.0 + (1.0 - alpha) * (80.0 - 30.0)
    }
}

/// An exponential time-dependent strategy.
fn exponential(tactic: Tactic, beta: f64, kappa: f64) -> Strategy {
    Strategy::TimeDependent {
        tactic,
        family: Family::Exponential,
        beta: Value::Const(beta),
        kappa: Value::Const(kappa),
    }
}

#[test]
fn faratin_exponential_boulware_against_exponential_conceder() {
    // docs/theory.md §4: buyer β = 0.5, seller β = 2, both κ = 0.1, exponential family: offers
    // 15, 69.895, 17.629, 51.883, 23.232, 33.098; the buyer accepts at its deadline t = 6.
    let m = faratin_model_with(
        exponential(Tactic::Boulware, 0.5, 0.1),
        exponential(Tactic::Conceder, 2.0, 0.1),
    );
    let exact = |buyer: bool, t: f64| {
        faratin_exponential_offer(buyer, if buyer { 0.5 } else { 2.0 }, 0.1, t)
    };
    check_faratin_run(
        &m,
        exact,
        &[15.0, 69.89525, 17.629102, 51.882934, 23.231825, 33.097907],
        6,
        0,
        exact(false, 5.0),
    );
    assert!((exact(false, 5.0) - 33.097907).abs() < 1e-6);
    // The opening offer concedes κ of the buyer's range (10 + 0.1·50); at t = 1 the seller
    // concedes α(1) = 0.1^((5/6)²) of its own.
    assert!((exact(true, 0.0) - 15.0).abs() < 1e-12);
    let seller_t1 = 80.0 - 50.0 * 0.1f64.powf((5.0f64 / 6.0).powi(2));
    assert!((exact(false, 1.0) - seller_t1).abs() < 1e-12);
}

#[test]
fn faratin_exponential_linear_family_concedes_less_than_the_straight_line() {
    // β = 1 on both sides: κ^(1 − t/T) lies below κ + (1 − κ)t/T, so with the same κ each side
    // concedes less per round than with the polynomial family, and they meet later and elsewhere:
    // offers 15, 72.661, 20.772, 64.189, 33.208, 45.935; the buyer accepts at t = 6.
    // (A scenario writes this `Conceder(beta: 1, kappa: 0.1, family: Exponential)`.)
    let linear = |kappa: f64| exponential(Tactic::Conceder, 1.0, kappa);
    let m = faratin_model_with(linear(0.1), linear(0.1));
    let exact = |buyer: bool, t: f64| faratin_exponential_offer(buyer, 1.0, 0.1, t);
    check_faratin_run(
        &m,
        exact,
        &[15.0, 72.661004, 20.772173, 64.188612, 33.207944, 45.935397],
        6,
        0,
        exact(false, 5.0),
    );
    // The polynomial straight lines with the same κ = 0.1 agree a round earlier (t = 5).
    let m = faratin_model_with(tactic(1.0, 0.1), tactic(1.0, 0.1));
    let out = play(&m, 0, 0).outcome.unwrap();
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert_eq!(out.round, 5);
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
// Rubinstein (1982): docs/theory.md §1.

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
/// deadline leaves both with nothing, as in docs/theory.md's finite game.
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
    assert!(treaty::model::games::equilibrium_problems(&m).is_empty());
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

/// A's share of the finite game of `rounds` rounds with A proposing first, by backward
/// induction (docs/theory.md §1): v_1 = 1, v_k = 1 − δ_resp v_{k−1}.
fn finite_horizon_share(d1: f64, d2: f64, rounds: u32) -> f64 {
    let mut v: f64 = 1.0;
    for j in 2..=rounds {
        let resp = if (rounds - j).is_multiple_of(2) {
            d2
        } else {
            d1
        };
        v = 1.0 - resp * v;
    }
    v
}

#[test]
fn rubinstein_continuous_time_limit_is_the_asymmetric_nash_split() {
    // docs/theory.md §1: with δ_i = exp(−r_i Δ), Rubinstein's split (1 − δ_B)/(1 − δ_A δ_B) tends
    // to r_B/(r_A + r_B) as the period Δ → 0 (to first order it is r_B/(r_A + r_B) + Δ r_A r_B /
    // (2(r_A + r_B))). Rates r_A = 1, r_B = 2: the limit is 2/3. The game must last long enough
    // in time, T·Δ, for the deadline not to matter: a million rounds of Δ = 10⁻⁵ (T·Δ = 10).
    let (ra, rb): (f64, f64) = (1.0, 2.0);
    let limit = rb / (ra + rb);
    let mut errors = Vec::new();
    for dt in [1e-3f64, 1e-4, 1e-5] {
        let (d1, d2) = ((-ra * dt).exp(), (-rb * dt).exp());
        let m = rubinstein_issue(d1, d2, 1_000_000, Proposer::RoundRobin);
        assert!(treaty::model::games::equilibrium_problems(&m).is_empty());
        let out = play(&m, 0, 0).outcome.unwrap();
        assert_eq!(out.kind, OutcomeKind::Agreement);
        assert_eq!(out.round, 1);
        let x = out.settlement[0];
        let finite = finite_horizon_share(d1, d2, 1_000_000);
        assert!((x - finite).abs() < 1e-9, "Δ = {dt}: {x} vs {finite}");
        let first_order = limit + dt * ra * rb / (2.0 * (ra + rb));
        assert!(
            (x - first_order).abs() < dt * dt + 1e-6,
            "Δ = {dt}: {x} vs {first_order}"
        );
        errors.push((x - limit).abs());
    }
    // The error falls with Δ, tenfold per tenfold, and is below 10⁻⁵ at Δ = 10⁻⁵.
    for w in errors.windows(2) {
        assert!(w[1] < w[0] / 8.0 && w[1] > w[0] / 12.0, "{errors:?}");
    }
    assert!(errors[2] < 1e-5, "{errors:?}");
    // The former cap of 100,000 rounds is one unit of time too short at Δ = 10⁻⁵: the deadline
    // still binds and A's share is about 0.518, not 2/3.
    let (d1, d2) = ((-ra * 1e-5f64).exp(), (-rb * 1e-5f64).exp());
    let out = play(
        &rubinstein_issue(d1, d2, 100_000, Proposer::RoundRobin),
        0,
        0,
    )
    .outcome
    .unwrap();
    let short = finite_horizon_share(d1, d2, 100_000);
    assert!((out.settlement[0] - short).abs() < 1e-9);
    assert!((short - 0.517916).abs() < 1e-6, "{short}");
}

#[test]
fn rubinstein_finite_horizon_shares() {
    let (d1, d2): (f64, f64) = (0.95, 0.90);
    // docs/theory.md §1, T = 1 … 8.
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
    // u_A = √x, u_B = 1 − x, common δ: x* = (1 − δ)/(1 − δ³) (docs/theory.md §1).
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

// ---------------------------------------------------------------------------------------------
// Nash bargaining: docs/theory.md §2, the mediator's first `NashBargaining` text.

use treaty::model::{Disagreement, MediatorText};

/// A mediated model whose principals are hardliners (so the first text stands alone); the
/// mediator is the last actor.
fn nash_model(issues: Vec<treaty::model::Issue>, disagreement: Disagreement) -> Model {
    let mut m = model(mediated(
        0,
        MediatorText::NashBargaining,
        0.1,
        3,
        disagreement,
    ));
    m.issues = issues;
    m
}

fn add_mediator(m: &mut Model) {
    let stances: Vec<(f64, f64)> = m.issues.iter().map(|_| (0.5, 1.0)).collect();
    m.actors.push(actor(
        "M",
        Role::Mediator,
        1.0,
        Strategy::Hardliner,
        &stances,
    ));
    let k = m.actors.len() - 1;
    if let treaty::model::Protocol::Mediated { mediator, .. } = &mut m.protocol {
        *mediator = k;
    }
}

/// A on one issue with ideal 1 (u = x^a), B with ideal 0 (u = (1 − x)^b).
fn nash_split(a: f64, b: f64, ca: f64, cb: f64, ra: f64, rb: f64) -> f64 {
    let mut m = nash_model(vec![issue("x", 0.5)], Disagreement::Reservation);
    for (id, p, risk, c, r) in [("A", 1.0, a, ca, ra), ("B", 0.0, b, cb, rb)] {
        let mut ac = actor(id, Role::Principal, c, Strategy::Hardliner, &[(p, 1.0)]);
        ac.risk = Value::Const(risk);
        ac.reservation = Value::Const(r);
        m.actors.push(ac);
    }
    add_mediator(&mut m);
    let rec = play(&m, 0, 0);
    assert_eq!(rec.proposals[0].kind, treaty::engine::ProposalKind::Text);
    rec.proposals[0].point[0]
}

#[test]
fn nash_text_with_concave_utility() {
    // u1 = x, u2 = √(1 − x), d = 0: x* = 2/3; weights 0.4 / 0.6: x* = 0.4/0.7.
    assert!((nash_split(1.0, 0.5, 1.0, 1.0, 0.0, 0.0) - 2.0 / 3.0).abs() < 1e-6);
    assert!((nash_split(1.0, 0.5, 0.4, 0.6, 0.0, 0.0) - 0.571428571).abs() < 1e-6);
    // u2 = (1 − x)^(1/3): x* = 0.75.
    assert!((nash_split(1.0, 1.0 / 3.0, 1.0, 1.0, 0.0, 0.0) - 0.75).abs() < 1e-6);
    // Rescaling a weight pair leaves the point alone.
    assert!((nash_split(1.0, 0.5, 4.0, 6.0, 0.0, 0.0) - 0.571428571).abs() < 1e-6);
}

/// As [`nash_split`], with the mediator's first text the Kalai–Smorodinsky point.
fn ks_split(a: f64, b: f64, ca: f64, cb: f64, ra: f64, rb: f64) -> f64 {
    let mut m = model(mediated(
        0,
        MediatorText::KalaiSmorodinsky,
        0.1,
        3,
        Disagreement::Reservation,
    ));
    m.issues = vec![issue("x", 0.5)];
    for (id, p, risk, c, r) in [("A", 1.0, a, ca, ra), ("B", 0.0, b, cb, rb)] {
        let mut ac = actor(id, Role::Principal, c, Strategy::Hardliner, &[(p, 1.0)]);
        ac.risk = Value::Const(risk);
        ac.reservation = Value::Const(r);
        m.actors.push(ac);
    }
    add_mediator(&mut m);
    let rec = play(&m, 0, 0);
    assert_eq!(rec.proposals[0].kind, treaty::engine::ProposalKind::Text);
    rec.proposals[0].point[0]
}

#[test]
fn kalai_smorodinsky_text_gives_equal_shares_of_the_ideal_gains() {
    // u_A = x, u_B = √(1 − x), d = 0, ideals (1, 1): x = √(1 − x), x = (√5 − 1)/2, to the
    // 200-step grid; capabilities do not enter (unlike the Nash text's 2/3 and 0.4/0.7).
    let want = (5f64.sqrt() - 1.0) / 2.0;
    for (ca, cb) in [(1.0, 1.0), (0.4, 0.6)] {
        let x = ks_split(1.0, 0.5, ca, cb, 0.0, 0.0);
        assert!((x - want).abs() <= 1.0 / 200.0, "{x} vs {want}");
    }
    // Linear, d = (0.1, 0.2): ideals 0.8 (B keeps 0.2) and 0.9; (x − 0.1)/0.7 = (0.8 − x)/0.7,
    // x = 0.45, a grid point, so exact.
    let x = ks_split(1.0, 1.0, 1.0, 3.0, 0.1, 0.2);
    assert!((x - 0.45).abs() < 1e-12, "{x}");
    // Raising B's reservation to 0.5 moves the text towards B: ideals 0.5 and 0.9,
    // (x − 0.1)/0.4 = (0.5 − x)/0.4, x = 0.3.
    let y = ks_split(1.0, 1.0, 1.0, 3.0, 0.1, 0.5);
    assert!((y - 0.3).abs() < 1e-12, "{y}");
}

#[test]
fn nash_text_with_linear_utility_and_disagreement() {
    // x* = d1 + α(1 − d1 − d2) with α = c1/(c1 + c2).
    let x = nash_split(1.0, 1.0, 0.4, 0.6, 0.1, 0.2);
    assert!((x - (0.1 + 0.4 * 0.7)).abs() < 1e-6, "{x}");
}

#[test]
fn nash_text_on_a_pie_with_status_quo_disagreement() {
    // n players, linear utilities: x_i = d_i + w_i/Σw · (1 − Σd), d = the status quo shares.
    let sq = [0.1, 0.0, 0.2];
    let w = [1.0, 2.0, 3.0];
    let issues = (0..3).map(|k| issue(&format!("s{k}"), sq[k])).collect();
    let mut m = nash_model(issues, Disagreement::StatusQuo);
    m.pie = vec![0, 1, 2];
    for k in 0..3 {
        let mut st = [(0.0, 0.0); 3];
        st[k] = (1.0, 1.0);
        m.actors.push(actor(
            &format!("P{k}"),
            Role::Principal,
            w[k],
            Strategy::Hardliner,
            &st,
        ));
    }
    add_mediator(&mut m);
    let text = play(&m, 0, 0).proposals[0].point.clone();
    for k in 0..3 {
        let want = sq[k] + w[k] / 6.0 * (1.0 - 0.3);
        assert!(
            (text[k] - want).abs() < 1e-6,
            "share {k}: {} vs {want}",
            text[k]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bueno de Mesquita's expected-utility model: docs/theory.md §5 toy data (positions / 100).

use treaty::solvers::expected_utility::ExpectedUtilityModel;

/// Actors (c, x, s): A (1.0, 0, 0.5), B (0.5, 30, 0.9), C (0.8, 60, 0.6), D (0.3, 80, 1.0),
/// E (0.6, 100, 0.4).
fn toy(max_rounds: u32) -> Model {
    let mut m = model(treaty::model::Protocol::ExpectedUtility {
        max_rounds,
        variant: treaty::solvers::expected_utility::Variant::ScholzPaper,
    });
    // The toy data has no status quo: failure leaves each actor its reservation utility (0).
    m.disagreement = treaty::model::Disagreement::Reservation;
    m.issues.push(issue("policy", 0.5));
    let data = [
        (1.0, 0.0, 0.5),
        (0.5, 0.3, 0.9),
        (0.8, 0.6, 0.6),
        (0.3, 0.8, 1.0),
        (0.6, 1.0, 0.4),
    ];
    for (k, &(c, x, s)) in data.iter().enumerate() {
        m.actors.push(actor(
            &format!("{k}"),
            Role::Principal,
            c,
            tactic(1.0, 0.0),
            &[(x, s)],
        ));
    }
    m
}

#[test]
fn expected_utility_baselines_and_first_round() {
    let m = toy(10);
    let world = m.sample(&treaty::rng::SimRng::for_run(0, 0));
    let mut bdm = ExpectedUtilityModel::for_issue(&world, 0, &[0, 1, 2, 3, 4]);
    // Mean voter 90.3 / 1.97 and weighted median 60 (docs/theory.md §5).
    assert!((bdm.mean_voter() - 90.3 / 197.0).abs() < 1e-12);
    assert_eq!(bdm.weighted_median(), 0.6);
    // First-pass risk exponents with Q = T = 1.
    bdm.step();
    let worked = [0.745508, 2.0, 1.096792, 1.889499, 0.5];
    for (r, w) in bdm.last_risk().iter().zip(worked) {
        assert!((r - w).abs() < 1e-6, "{r} vs {w}");
    }
    // The engine's first round is that step, its forecast the weighted median of the result.
    let rec = play(&m, 0, 0);
    let first: Vec<(usize, f64)> = rec
        .shifts
        .iter()
        .filter(|s| s.round == 1)
        .map(|s| (s.actor, s.to))
        .collect();
    for (a, &x) in bdm.positions().iter().enumerate() {
        let moved = first.iter().find(|&&(k, _)| k == a).map(|&(_, to)| to);
        assert_eq!(moved.unwrap_or(world.position(a, 0)), x, "actor {a}");
    }
    assert_eq!(
        rec.proposals[0].kind,
        treaty::engine::ProposalKind::Forecast
    );
    assert_eq!(rec.proposals[0].point[0], bdm.weighted_median());
    assert!(!rec.proposals[0].vote, "no vote while positions move");
    // The settlement is the forecast of the final positions, signed by all (reservation 0).
    let out = rec.outcome.clone().unwrap();
    for _ in 1..out.round {
        bdm.step();
    }
    assert_eq!(out.kind, OutcomeKind::Agreement);
    assert_eq!(out.settlement[0], bdm.weighted_median());
    assert_eq!(out.settlement[0], 0.6);
}

#[test]
fn expected_utility_forecast_needs_every_principal_to_sign() {
    let mut m = toy(3);
    // A's reservation is more than the forecast gives it.
    m.actors[0].reservation = Value::Const(0.9);
    let rec = play(&m, 0, 0);
    let out = rec.outcome.unwrap();
    assert_eq!(out.kind, OutcomeKind::Deadlock);
    assert_eq!(out.round, 3);
    assert_eq!(out.settlement, vec![0.5]);
    assert_eq!(rec.proposals.iter().filter(|p| p.vote).count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Baron–Ferejohn (1989): docs/theory.md §3.

/// n legislators dividing a pie of their own shares under `Quota(q)`, recognised ∝ capability.
fn quota_game(capabilities: &[f64], delta: f64, quota: u32, max_rounds: u32) -> Model {
    let n = capabilities.len();
    let mut m = model(alternating(
        max_rounds,
        Proposer::PowerWeighted,
        Acceptance::Quota(quota),
    ));
    m.issues = (0..n).map(|k| issue(&format!("s{k}"), 0.0)).collect();
    m.pie = (0..n).collect();
    for (k, &c) in capabilities.iter().enumerate() {
        let mut st = vec![(0.0, 0.0); n];
        st[k] = (1.0, 1.0);
        let mut a = actor(
            &format!("L{k}"),
            Role::Principal,
            c,
            Strategy::Equilibrium,
            &st,
        );
        a.discount = Value::Const(delta);
        m.actors.push(a);
    }
    m
}

#[test]
fn baron_ferejohn_symmetric_stationary_shares() {
    // n = 11, δ = 0.9, simple majority: the proposer keeps 1 − δ(n − 1)/(2n) = 0.590909091 and
    // pays δ/n = 0.081818182 to each of 5 partners.
    let (n, delta) = (11usize, 0.9);
    let m = quota_game(&vec![1.0; n], delta, 6, 100);
    assert!(treaty::model::games::equilibrium_problems(&m).is_empty());
    let keep = 1.0 - delta * (n as f64 - 1.0) / (2.0 * n as f64);
    let partner = delta / n as f64;
    assert!((keep - 0.590909091).abs() < 1e-9 && (partner - 0.081818182).abs() < 1e-9);
    let mut proposers = std::collections::BTreeSet::new();
    for run in 0..40 {
        let rec = play(&m, 3, run);
        let out = rec.outcome.clone().unwrap();
        assert_eq!(out.kind, OutcomeKind::Agreement);
        assert_eq!(out.round, 1);
        let proposer = rec.proposals[0].proposer.unwrap();
        proposers.insert(proposer);
        let x = &out.settlement;
        assert!((x[proposer] - keep).abs() < 1e-9, "{x:?}");
        let paid: Vec<usize> = (0..n).filter(|&k| k != proposer && x[k] > 0.0).collect();
        assert_eq!(paid.len(), 5, "exactly q − 1 partners: {x:?}");
        for &k in &paid {
            assert!((x[k] - partner).abs() < 1e-9);
        }
        // The partners and the proposer vote yes, the others no.
        assert_eq!(rec.accepted_in(1).len(), 5);
    }
    assert!(proposers.len() > 5, "recognition is drawn: {proposers:?}");
}

#[test]
fn baron_ferejohn_bundled_majority_split() {
    let model = treaty::scenario::load("baron-ferejohn").unwrap().model;
    let out = play(&model, 0, 0).outcome.unwrap();
    assert_eq!((out.kind, out.round), (OutcomeKind::Agreement, 1));
    let mut shares = out.settlement.clone();
    shares.sort_by(f64::total_cmp);
    // n = 5, q = 3, δ = 0.9: proposer 1 − 2δ/5 = 0.64, two partners at δ/5 = 0.18.
    let want = [0.0, 0.0, 0.18, 0.18, 0.64];
    for (got, want) in shares.iter().zip(want) {
        assert!((got - want).abs() < 1e-9, "{shares:?}");
    }
}

#[test]
fn baron_ferejohn_unequal_recognition_values_by_monte_carlo() {
    // n = 3, q = 2, p = (0.7, 0.2, 0.1), δ = 0.8: v = (7/12, 5/24, 5/24), and P0 includes P1
    // with probability 3/14 (docs/theory.md §3). Agreement is immediate, so the realised share is the
    // payoff.
    let m = quota_game(&[7.0, 2.0, 1.0], 0.8, 2, 50);
    let runs = 20_000u64;
    let mut total = [0.0f64; 3];
    let (mut p0_proposes, mut p0_takes_p1) = (0u64, 0u64);
    for run in 0..runs {
        let rec = play(&m, 11, run);
        let out = rec.outcome.unwrap();
        assert_eq!(out.round, 1);
        for (t, x) in total.iter_mut().zip(&out.settlement) {
            *t += x;
        }
        if rec.proposals[0].proposer == Some(0) {
            p0_proposes += 1;
            if out.settlement[1] > 0.0 {
                p0_takes_p1 += 1;
            }
        }
    }
    let tolerance = 4.0 * 0.5 / (runs as f64).sqrt();
    for (k, v) in [7.0 / 12.0, 5.0 / 24.0, 5.0 / 24.0].into_iter().enumerate() {
        let mean = total[k] / runs as f64;
        assert!((mean - v).abs() < tolerance, "player {k}: {mean} vs {v}");
    }
    let inclusion = p0_takes_p1 as f64 / p0_proposes as f64;
    assert!(
        (inclusion - 3.0 / 14.0).abs() < 4.0 * 0.5 / (p0_proposes as f64).sqrt(),
        "{inclusion}"
    );
}
