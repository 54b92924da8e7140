//! Quadratic loss in whole mechanisms of the engine against closed forms: the logrolling offer
//! (the knapsack with quadratic cost), Rubinstein's stationary split with u = 1 − (1 − s)², the
//! mediator's Nash text, and comparative statics of the loss on common random numbers.

use crate::common::models::*;
use treaty::engine::OutcomeKind;
use treaty::engine::strategy::offer::{OfferScratch, make_offer};
use treaty::model::{Acceptance, Loss, Model, Proposer, Role, SamplePlan, Strategy, Value};
use treaty::model::{Disagreement, MediatorText, own_utility};

/// The offer of actor 0 at `aspiration` against actor 1 in `m` (constants only).
fn offer(m: &Model, aspiration: f64) -> Vec<f64> {
    let world = SamplePlan::new(m).world();
    let mut scratch = OfferScratch::new(m);
    let mut out = vec![0.0; m.issues.len()];
    let settled = vec![false; m.issues.len()];
    make_offer(
        m,
        &world,
        0,
        aspiration,
        &[1],
        &settled,
        &mut scratch,
        &mut out,
    );
    assert!(
        (own_utility(&world, 0, &out) - aspiration).abs() < 1e-12,
        "the offer gives its proposer exactly its aspiration"
    );
    out
}

fn two_party(stances_a: &[(f64, f64)], stances_b: &[(f64, f64)], loss: Loss) -> Model {
    let mut m = model(alternating(10, Proposer::RoundRobin, Acceptance::Unanimous));
    m.issues = (0..stances_a.len())
        .map(|j| issue(&format!("I{j}"), 0.5))
        .collect();
    m.actors = vec![
        actor("A", Role::Principal, 1.0, Strategy::Hardliner, stances_a),
        actor("B", Role::Principal, 1.0, Strategy::Hardliner, stances_b),
    ];
    m.loss = loss;
    m
}

#[test]
fn quadratic_offers_solve_the_knapsack_with_quadratic_cost() {
    // One issue, ideals 0 and 1, aspiration 0.75: the proposer may lose d = 0.25, i.e. move
    // √0.25 = 0.5 under quadratic loss (0.25 under linear loss).
    let q = offer(
        &two_party(&[(0.0, 1.0)], &[(1.0, 1.0)], Loss::Quadratic),
        0.75,
    );
    assert!((q[0] - 0.5).abs() < 1e-12, "{q:?}");
    let l = offer(&two_party(&[(0.0, 1.0)], &[(1.0, 1.0)], Loss::Linear), 0.75);
    assert!((l[0] - 0.25).abs() < 1e-12, "{l:?}");
    // Two issues: A's ideal (0, 0) with saliences (1, 1); B's ideal (1, 1) with saliences
    // (0.5, 1), so a unit of concession is worth W = (0.5, 1) to B. At aspiration 0.9 A may
    // concede B = 0.1 · D = 0.1 · 2 = 0.2. Maximising 0.5 δ_1 + δ_2 subject to
    // δ_1² + δ_2² ≤ 0.2 gives δ ∝ W: 0.25 μ² + μ² = 0.2, μ = 0.4, δ = (0.2, 0.4).
    let a = [(0.0, 1.0), (0.0, 1.0)];
    let b = [(1.0, 0.5), (1.0, 1.0)];
    let q = offer(&two_party(&a, &b, Loss::Quadratic), 0.9);
    assert!(
        (q[0] - 0.2).abs() < 1e-9 && (q[1] - 0.4).abs() < 1e-9,
        "{q:?}"
    );
    // Linear loss walks the cheaper issue for B's gain first (κ = 1 before κ = 2): (0, 0.2).
    let l = offer(&two_party(&a, &b, Loss::Linear), 0.9);
    assert!(l[0].abs() < 1e-12 && (l[1] - 0.2).abs() < 1e-12, "{l:?}");
    // A capped issue: at aspiration 0.25 the budget 1.5 reaches the target 1 on the second
    // issue (cost 1) and leaves 0.5 for the first: δ_1 = √0.5.
    let q = offer(&two_party(&a, &b, Loss::Quadratic), 0.25);
    assert!(
        (q[0] - 0.5f64.sqrt()).abs() < 1e-9 && (q[1] - 1.0).abs() < 1e-12,
        "{q:?}"
    );
    // No budget at aspiration 1: the offer is the ideal; an issue the proposer does not care
    // about goes to the others' target for free.
    assert_eq!(offer(&two_party(&a, &b, Loss::Quadratic), 1.0), [0.0, 0.0]);
    let free = offer(
        &two_party(&[(0.0, 1.0), (0.0, 0.0)], &b, Loss::Quadratic),
        1.0,
    );
    assert_eq!(free, [0.0, 1.0]);
    // A risk exponent: u = (1 − d)^0.5 = 0.9 allows d = 0.19, budget 0.38: δ = μ (0.5, 1)
    // with 1.25 μ² = 0.38.
    let mut m = two_party(&a, &b, Loss::Quadratic);
    m.actors[0].risk = Value::Const(0.5);
    let q = offer(&m, 0.9);
    let mu = (0.38f64 / 1.25).sqrt();
    assert!(
        (q[0] - 0.5 * mu).abs() < 1e-9 && (q[1] - mu).abs() < 1e-9,
        "{q:?}"
    );
}

#[test]
fn quadratic_offers_on_options_take_the_steps_worth_their_price() {
    // The first issue has options 0, 0.5, 1; the second is continuous. With A's ideal 0 on both and
    // saliences 1, B's ideal 1 on both with saliences 1 (W = 1), aspiration 0.75 allows
    // B = 0.5: the priced allocation would move both by 0.5 (δ² + δ² = 0.5); the option step
    // to 0.5 costs 0.25 and is worth its price, leaving 0.25 for the second: δ_2 = 0.5.
    let mut m = two_party(
        &[(0.0, 1.0), (0.0, 1.0)],
        &[(1.0, 1.0), (1.0, 1.0)],
        Loss::Quadratic,
    );
    m.issues[0] = optioned("I0", 0.5, &[0.0, 0.5, 1.0]);
    let q = offer(&m, 0.75);
    assert!(
        (q[0] - 0.5).abs() < 1e-12 && (q[1] - 0.5).abs() < 1e-9,
        "{q:?}"
    );
}

/// Two principals splitting one issue (A's ideal 1, B's 0) by alternating offers, both playing
/// the subgame-perfect strategy, with a common discount factor `d` and quadratic loss.
fn rubinstein_quadratic(d: f64, max_rounds: u32) -> Model {
    let mut m = model(alternating(
        max_rounds,
        Proposer::RoundRobin,
        Acceptance::Unanimous,
    ));
    m.issues.push(issue("share", 0.5));
    for (id, p) in [("A", 1.0), ("B", 0.0)] {
        let mut a = actor(id, Role::Principal, 1.0, Strategy::Equilibrium, &[(p, 1.0)]);
        a.discount = Value::Const(d);
        m.actors.push(a);
    }
    m.loss = Loss::Quadratic;
    m
}

#[test]
fn rubinstein_split_under_quadratic_loss() {
    // u(s) = 1 − (1 − s)²: the stationary conditions u_B(1 − x) = δ u_B(x) give
    // 1 − x² = δ(2x − x²), (1 − δ) x² + 2δ x − 1 = 0, x* = (√(1 − δ + δ²) − δ)/(1 − δ).
    for d in [0.5, 0.9, 0.99] {
        let m = rubinstein_quadratic(d, 100_000);
        assert!(treaty::model::games::equilibrium_problems(&m).is_empty());
        let want = ((1.0 - d + d * d).sqrt() - d) / (1.0 - d);
        let rec = play(&m, 0, 0);
        let out = rec.outcome.unwrap();
        assert_eq!(out.kind, OutcomeKind::Agreement);
        assert_eq!(out.round, 1);
        assert!(
            (out.settlement[0] - want).abs() < 1e-9,
            "δ = {d}: {} vs {want}",
            out.settlement[0]
        );
        // The first proposer keeps more than the linear split 1/(1 + δ).
        assert!(want > 1.0 / (1.0 + d), "{want}");
    }
    // Two rounds: the last proposer (B) takes everything, so A offers B what B's next round is
    // worth, δ u_B(1) = δ: 1 − x² = δ, x = √(1 − δ).
    let m = rubinstein_quadratic(0.64, 2);
    let out = play(&m, 0, 0).outcome.unwrap();
    assert!(
        (out.settlement[0] - 0.6).abs() < 1e-9,
        "{}",
        out.settlement[0]
    );
}

#[test]
fn nash_text_under_quadratic_loss_compromises_and_under_linear_loss_does_not() {
    // docs/theory.md §2 on the unit issue: ideals 0 and 1/3, status quo 1, equal weights.
    let text = |loss: Loss| {
        let mut m = model(mediated(
            2,
            MediatorText::NashBargaining,
            0.1,
            3,
            Disagreement::StatusQuo,
        ));
        m.issues = vec![issue("x", 1.0)];
        m.actors = vec![
            actor(
                "A",
                Role::Principal,
                1.0,
                Strategy::Hardliner,
                &[(0.0, 1.0)],
            ),
            actor(
                "B",
                Role::Principal,
                1.0,
                Strategy::Hardliner,
                &[(1.0 / 3.0, 1.0)],
            ),
            actor("M", Role::Mediator, 1.0, Strategy::Hardliner, &[(0.5, 1.0)]),
        ];
        m.loss = loss;
        play(&m, 0, 0).proposals[0].point[0]
    };
    let q = text(Loss::Quadratic);
    assert!((q - (33f64.sqrt() - 3.0) / 12.0).abs() < 1e-9, "{q}");
    let l = text(Loss::Linear);
    assert!((l - 1.0 / 3.0).abs() < 1e-9, "{l}");
}

#[test]
fn quadratic_loss_tolerates_small_deviations_on_common_random_numbers() {
    // The same sampled worlds (uncertain ideals and saliences, one issue) under both losses:
    // for every point the quadratic utility is at least the linear one, equal at the ideal and
    // at the far pole, and strictly higher in between.
    let mut m = two_party(&[(0.3, 1.0)], &[(0.8, 1.0)], Loss::Linear);
    m.actors[0].stances[0].position = Value::Dist(treaty::model::Distribution::Uniform(0.0, 1.0));
    m.actors[0].stances[0].salience = Value::Dist(treaty::model::Distribution::Uniform(0.1, 2.0));
    m.actors[0].risk = Value::Dist(treaty::model::Distribution::Uniform(0.5, 2.0));
    let mut q = m.clone();
    q.loss = Loss::Quadratic;
    for run in 0..200 {
        let rng = treaty::rng::SimRng::for_run(7, run);
        let wl = m.sample(&rng);
        let wq = q.sample(&rng);
        assert_eq!(wl.position, wq.position);
        assert_eq!(wl.risk, wq.risk);
        let p = wl.position[0];
        let pole = if p < 0.5 { 1.0 } else { 0.0 };
        assert_eq!(own_utility(&wq, 0, &[p]), 1.0);
        assert_eq!(own_utility(&wl, 0, &[pole]), 0.0);
        assert_eq!(own_utility(&wq, 0, &[pole]), 0.0);
        for k in 1..10 {
            let x = [p + (pole - p) * k as f64 / 10.0];
            let (ul, uq) = (own_utility(&wl, 0, &x), own_utility(&wq, 0, &x));
            assert!(
                uq > ul,
                "run {run}, x = {x:?}: quadratic {uq} vs linear {ul}"
            );
            // By hand: t = k/10 of the way to the pole, u = (1 − t²)^a against (1 − t)^a.
            let (t, a) = (k as f64 / 10.0, wl.risk[0]);
            assert!((uq - (1.0 - t * t).powf(a)).abs() < 1e-12);
            assert!((ul - (1.0 - t).powf(a)).abs() < 1e-12);
        }
    }
}
