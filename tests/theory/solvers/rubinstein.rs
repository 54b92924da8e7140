//! docs/theory.md §1: Rubinstein alternating offers.

use super::*;
use treaty::model::own_utility;
use treaty::solvers::rubinstein::{Bargainer, spe_offer, stationary_offer};

fn linear(discount: f64) -> Bargainer<fn(f64) -> f64> {
    Bargainer::new(|s| s, discount)
}

#[test]
fn rubinstein_infinite_horizon_linear() {
    let (p1, p2) = (linear(0.95), linear(0.90));
    let x = stationary_offer(&p1, &p2).unwrap();
    assert!(close(x, 0.689655172, 1e-9), "{x}");
    assert!(close(x, (1.0 - 0.90) / (1.0 - 0.95 * 0.90), 1e-12));
    // If P2 proposes first it gets (1 − δ1)/(1 − δ1 δ2): swapping the roles is not symmetric.
    let y = stationary_offer(&p2, &p1).unwrap();
    assert!(close(y, (1.0 - 0.95) / (1.0 - 0.95 * 0.90), 1e-12), "{y}");
}

#[test]
fn rubinstein_finite_horizon_backward_induction() {
    let (p1, p2) = (linear(0.95), linear(0.90));
    // docs/theory.md §1 (printed to 6 decimals) and the exact values of the recursion.
    let printed = [
        1.0, 0.1, 0.955, 0.1855, 0.916525, 0.258602, 0.883629, 0.321105,
    ];
    let exact = [
        1.0,
        0.1,
        0.955,
        0.1855,
        0.916525,
        0.2586025,
        0.883628875,
        0.3211051375,
    ];
    for t in 1..=8 {
        let x = spe_offer(&p1, &p2, t).unwrap();
        assert!(close(x, printed[t as usize - 1], 1e-6), "T = {t}: {x}");
        assert!(close(x, exact[t as usize - 1], 1e-12), "T = {t}: {x}");
    }
    let x = spe_offer(&p1, &p2, 400).unwrap();
    assert!(close(x, 0.689655172, 1e-9), "{x}");
    assert_eq!(spe_offer(&p1, &p2, 0), None);
    // Common δ: x1(T) = (1 − (−δ)^T)/(1 + δ).
    let (a, b) = (linear(0.8), linear(0.8));
    for t in 1..=12 {
        let want = (1.0 - (-0.8f64).powi(t)) / 1.8;
        assert!(close(spe_offer(&a, &b, t as u32).unwrap(), want, 1e-12));
    }
}

#[test]
fn rubinstein_concave_utility() {
    // u1 = √x, u2 = own share, common δ: x* = (1 − δ)/(1 − δ³) → 1/3 (the NBS).
    for d in [0.5, 0.9, 0.99] {
        let p1 = Bargainer::new(f64::sqrt, d);
        let p2 = linear(d);
        let x = stationary_offer(&p1, &p2).unwrap();
        assert!(close(x, (1.0 - d) / (1.0 - d * d * d), 1e-9), "{d}: {x}");
        // The finite game converges to it.
        let long = spe_offer(&p1, &p2, 4000).unwrap();
        assert!(close(long, x, 1e-9), "{d}: {long} vs {x}");
    }
    let p1 = Bargainer::new(f64::sqrt, 0.99999);
    let x = stationary_offer(&p1, &linear(0.99999)).unwrap();
    assert!(close(x, 1.0 / 3.0, 1e-5), "{x}");
}

#[test]
fn rubinstein_with_the_engine_utility() {
    // One issue: actor 0 (ideal 1, risk 0.5) has u = √x, actor 1 (ideal 0, risk 1) has 1 − x.
    let w = pie_of_two(0.5, 1.0);
    let d = 0.9;
    let p1 = Bargainer::new(|s: f64| own_utility(&w, 0, &[s]), d);
    let p2 = Bargainer::new(|s: f64| own_utility(&w, 1, &[1.0 - s]), d);
    let x = stationary_offer(&p1, &p2).unwrap();
    assert!(close(x, (1.0 - d) / (1.0 - d * d * d), 1e-9), "{x}");
}

#[test]
fn rubinstein_continuous_time_limit_is_the_asymmetric_nbs() {
    // δ_i = exp(−r_i Δ), Δ → 0: x1* → r2/(r1 + r2) (Binmore, Rubinstein & Wolinsky 1986).
    let (r1, r2, dt) = (1.0_f64, 3.0_f64, 1e-7_f64);
    let x = stationary_offer(&linear((-r1 * dt).exp()), &linear((-r2 * dt).exp())).unwrap();
    assert!(close(x, r2 / (r1 + r2), 1e-6), "{x}");
    // And it agrees with the mediator's asymmetric Nash point with weights α1 = r2/(r1 + r2).
    let w = pie_of_two(1.0, 1.0);
    let nbs = nash_1d(&w, [r2, r1], [0.0, 0.0]);
    assert!(close(x, nbs, 1e-6), "{x} vs {nbs}");
}

#[test]
fn rubinstein_reservation_utilities_are_outside_options() {
    let d = 0.9;
    // Not binding: the classic split 1/(1 + δ).
    let x = stationary_offer(&linear(d), &linear(d).with_reservation(0.3)).unwrap();
    assert!(close(x, 1.0 / (1.0 + d), 1e-12), "{x}");
    // Binding (0.6 > δ/(1 + δ)): the responder gets exactly its outside option.
    let x = stationary_offer(&linear(d), &linear(d).with_reservation(0.6)).unwrap();
    assert!(close(x, 0.4, 1e-12), "{x}");
    // Last round of a finite game: the proposer leaves the responder its reservation utility.
    let x = spe_offer(&linear(d), &linear(d).with_reservation(0.25), 1).unwrap();
    assert!(close(x, 0.75, 1e-12), "{x}");
    // No zone of agreement.
    let (a, b) = (
        linear(d).with_reservation(0.7),
        linear(d).with_reservation(0.5),
    );
    assert_eq!(stationary_offer(&a, &b), None);
    assert_eq!(spe_offer(&a, &b, 3), None);
}

#[test]
fn rubinstein_patience_extremes() {
    // An impatient responder (δ = 0) accepts anything: the proposer takes all.
    assert_eq!(stationary_offer(&linear(0.9), &linear(0.0)), Some(1.0));
    // δ1 δ2 = 1 has no unique stationary split.
    assert_eq!(stationary_offer(&linear(1.0), &linear(1.0)), None);
    // But the finite game is fine: the last proposer takes all, so it alternates 1, 0, 1, ...
    let (a, b) = (linear(1.0), linear(1.0));
    assert!(close(spe_offer(&a, &b, 5).unwrap(), 1.0, 1e-15));
    assert!(close(spe_offer(&a, &b, 6).unwrap(), 0.0, 1e-15));
}
