//! The solvers against the closed forms and worked numbers of THEORY.md (§1 Rubinstein, §2 Nash,
//! §3 Baron–Ferejohn, §5 Bueno de Mesquita / Scholz, §6 compromise model), plus properties.

use treaty::model::{World, own_utility};
use treaty::solvers::mediation::{SettlementSpace, compromise_point, nash_point};

/// One actor of a test world: capability, risk exponent, ideal point and salience per issue.
struct Actor<'a> {
    capability: f64,
    risk: f64,
    position: &'a [f64],
    salience: &'a [f64],
}

fn actor<'a>(capability: f64, risk: f64, position: &'a [f64], salience: &'a [f64]) -> Actor<'a> {
    Actor {
        capability,
        risk,
        position,
        salience,
    }
}

/// Builds a world directly (its fields are public); everything not given is neutral.
fn world(actors: &[Actor<'_>], status_quo: &[f64]) -> World {
    let n = actors.len();
    let m = status_quo.len();
    World {
        n_actors: n,
        n_issues: m,
        capability: actors.iter().map(|a| a.capability).collect(),
        risk: actors.iter().map(|a| a.risk).collect(),
        reservation: vec![0.0; n],
        discount: vec![1.0; n],
        beta: vec![1.0; n],
        kappa: vec![0.0; n],
        position: actors.iter().flat_map(|a| a.position.to_vec()).collect(),
        salience: actors.iter().flat_map(|a| a.salience.to_vec()).collect(),
        relation: vec![0.0; n * n],
        status_quo: status_quo.to_vec(),
        active: vec![true; n],
        perception_noise: 0.0,
        interdependence: 0.0,
        step: 0.0,
        war_cost: 0.0,
        imposition: 0.0,
        propensity: 0.0,
        event_probability: Vec::new(),
        effect_amount: Vec::new(),
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ---------------------------------------------------------------- §2 Nash bargaining

/// One issue in [0, 1]: actor 0 has ideal 1 and u0 = x^r0, actor 1 has ideal 0 and
/// u1 = (1 − x)^r1.
fn pie_of_two(r0: f64, r1: f64) -> World {
    world(
        &[
            actor(1.0, r0, &[1.0], &[1.0]),
            actor(1.0, r1, &[0.0], &[1.0]),
        ],
        &[0.5],
    )
}

fn nash_1d(w: &World, weights: [f64; 2], d: [f64; 2]) -> f64 {
    nash_point(w, &[0, 1], &weights, &d, &SettlementSpace::CONTINUOUS).expect("feasible")[0]
}

#[test]
fn nash_concave_symmetric_is_two_thirds() {
    let x = nash_1d(&pie_of_two(1.0, 0.5), [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, 2.0 / 3.0, 1e-9), "{x}");
}

#[test]
fn nash_asymmetric_weights() {
    let x = nash_1d(&pie_of_two(1.0, 0.5), [0.4, 0.6], [0.0, 0.0]);
    assert!(close(x, 0.571428571, 1e-9), "{x}");
    // Weights only matter up to scale.
    let y = nash_1d(&pie_of_two(1.0, 0.5), [4.0, 6.0], [0.0, 0.0]);
    assert!(close(x, y, 1e-12));
}

#[test]
fn nash_cube_root_utility() {
    let x = nash_1d(&pie_of_two(1.0, 1.0 / 3.0), [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, 0.75, 1e-9), "{x}");
}

#[test]
fn nash_linear_with_disagreement() {
    // x* = d1 + α(1 − d1 − d2)
    for (alpha, d1, d2) in [(0.5, 0.0, 0.0), (0.3, 0.2, 0.1), (0.8, 0.05, 0.4)] {
        let x = nash_1d(&pie_of_two(1.0, 1.0), [alpha, 1.0 - alpha], [d1, d2]);
        assert!(close(x, d1 + alpha * (1.0 - d1 - d2), 1e-9), "{x}");
    }
}

#[test]
fn nash_needs_phase_one_when_no_start_candidate_is_feasible() {
    // Compromise 0.5, ideals 0 and 1, status quo 0.5: all violate u0 > 0.6 or u1 > 0.35.
    let x = nash_1d(&pie_of_two(1.0, 1.0), [1.0, 1.0], [0.6, 0.35]);
    assert!(close(x, 0.6 + 0.5 * (1.0 - 0.95), 1e-9), "{x}");
}

#[test]
fn nash_none_when_no_point_beats_disagreement() {
    let w = pie_of_two(1.0, 1.0);
    let none = nash_point(
        &w,
        &[0, 1],
        &[1.0, 1.0],
        &[0.7, 0.7],
        &SettlementSpace::CONTINUOUS,
    );
    assert_eq!(none, None);
    // Touching disagreement is not enough: u0 > 0.5 and u1 > 0.5 cannot both hold.
    let touch = nash_point(
        &w,
        &[0, 1],
        &[1.0, 1.0],
        &[0.5, 0.5],
        &SettlementSpace::CONTINUOUS,
    );
    assert_eq!(touch, None);
    // An actor whose ideal is the status quo prefers it to every change.
    let sq = world(
        &[
            actor(1.0, 1.0, &[0.5], &[1.0]),
            actor(1.0, 1.0, &[0.0], &[1.0]),
        ],
        &[0.5],
    );
    let d: Vec<f64> = (0..2).map(|a| own_utility(&sq, a, &[0.5])).collect();
    let none = nash_point(&sq, &[0, 1], &[1.0, 1.0], &d, &SettlementSpace::CONTINUOUS);
    assert_eq!(none, None);
}

#[test]
fn nash_n_players_on_a_pie() {
    // Issue i is actor i's share: u_i = x_i. Expect x_i = d_i + w_i/Σw (1 − Σd).
    let sal: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let ones = [1.0; 4];
    let actors: Vec<Actor<'_>> = (0..4).map(|i| actor(1.0, 1.0, &ones, &sal[i])).collect();
    let w = world(&actors, &[0.25; 4]);
    let weights = [1.0, 2.0, 3.0, 4.0];
    let d = [0.1, 0.05, 0.0, 0.2];
    let pie = [0, 1, 2, 3];
    let space = SettlementSpace {
        options: &[],
        pie: &pie,
    };
    let x = nash_point(&w, &[0, 1, 2, 3], &weights, &d, &space).unwrap();
    let rest = 1.0 - d.iter().sum::<f64>();
    for i in 0..4 {
        let expect = d[i] + weights[i] / 10.0 * rest;
        assert!(close(x[i], expect, 1e-6), "{i}: {} vs {expect}", x[i]);
    }
    assert!(x.iter().sum::<f64>() <= 1.0 + 1e-12);
}

#[test]
fn nash_is_invariant_to_affine_rescaling_of_one_utility() {
    // Actor 0 with ideal 0.8 has u0 = x / 0.8 on [0, 0.8]: a rescaling of u0 = x. Rescaling its
    // disagreement value the same way must leave the solution unchanged.
    for r1 in [1.0, 0.5] {
        let base = nash_1d(&pie_of_two(1.0, r1), [1.0, 1.0], [0.1, 0.0]);
        let scaled = world(
            &[
                actor(1.0, 1.0, &[0.8], &[1.0]),
                actor(1.0, r1, &[0.0], &[1.0]),
            ],
            &[0.5],
        );
        let x = nash_1d(&scaled, [1.0, 1.0], [0.1 / 0.8, 0.0]);
        assert!(close(x, base, 1e-9), "{x} vs {base}");
    }
}

#[test]
fn nash_symmetry_gives_an_equal_split() {
    for r in [0.3, 1.0, 2.5] {
        let x = nash_1d(&pie_of_two(r, r), [1.0, 1.0], [0.0, 0.0]);
        assert!(close(x, 0.5, 1e-9), "{x}");
    }
    // Two shares of a pie, one per actor.
    let w = world(
        &[
            actor(1.0, 0.7, &[1.0, 0.0], &[1.0, 0.0]),
            actor(1.0, 0.7, &[0.0, 1.0], &[0.0, 1.0]),
        ],
        &[0.0, 0.0],
    );
    let space = SettlementSpace {
        options: &[],
        pie: &[0, 1],
    };
    let x = nash_point(&w, &[0, 1], &[1.0, 1.0], &[0.0, 0.0], &space).unwrap();
    assert!(close(x[0], 0.5, 1e-6) && close(x[1], 0.5, 1e-6), "{x:?}");
}

#[test]
fn nash_on_options_picks_the_best_option() {
    let w = pie_of_two(1.0, 0.5);
    let opts = vec![vec![0.0, 0.25, 0.6, 1.0]];
    let space = SettlementSpace {
        options: &opts,
        pie: &[],
    };
    let x = nash_point(&w, &[0, 1], &[1.0, 1.0], &[0.0, 0.0], &space).unwrap()[0];
    let f = |x: f64| x.ln() + 0.5 * (1.0 - x).ln();
    let best = opts[0]
        .iter()
        .copied()
        .filter(|&o| o > 0.0 && o < 1.0)
        .fold(
            f64::NAN,
            |b, o| if b.is_nan() || f(o) > f(b) { o } else { b },
        );
    assert_eq!(x, best);
    assert_eq!(x, 0.6);
}

#[test]
fn nash_several_issues_is_a_local_maximum_and_leaves_idle_issues_alone() {
    let w = world(
        &[
            actor(1.0, 0.5, &[0.9, 0.2, 0.1], &[1.0, 0.5, 0.0]),
            actor(2.0, 1.0, &[0.1, 0.7, 0.4], &[0.8, 1.0, 0.0]),
            actor(0.5, 0.8, &[0.6, 0.9, 0.3], &[0.2, 0.6, 0.0]),
        ],
        &[0.5, 0.5, 0.35],
    );
    let parties = [0, 1, 2];
    let weights = [1.0, 2.0, 0.5];
    let d: Vec<f64> = parties
        .iter()
        .map(|&a| own_utility(&w, a, &w.status_quo))
        .collect();
    let x = nash_point(&w, &parties, &weights, &d, &SettlementSpace::CONTINUOUS).unwrap();
    assert_eq!(x[2], 0.35, "nobody cares about issue 2");
    let f = |y: &[f64]| -> f64 {
        parties
            .iter()
            .enumerate()
            .map(|(n, &a)| weights[n] * (own_utility(&w, a, y) - d[n]).ln())
            .sum()
    };
    let best = f(&x);
    for step in [1e-3, 1e-5] {
        for dx in [-1.0, 0.0, 1.0] {
            for dy in [-1.0, 0.0, 1.0] {
                let y = [x[0] + step * dx, x[1] + step * dy, x[2]];
                assert!(f(&y) <= best + 1e-12, "{y:?} beats {x:?}");
            }
        }
    }
}

// ---------------------------------------------------------------- §6 compromise model

/// THEORY §5 toy data (c, x, s) with positions on [0, 1].
fn toy_world(cap_scale: f64, sal_scale: f64) -> World {
    let data = [
        (1.0, 0.0, 0.5),
        (0.5, 0.30, 0.9),
        (0.8, 0.60, 0.6),
        (0.3, 0.80, 1.0),
        (0.6, 1.00, 0.4),
    ];
    let pos: Vec<[f64; 2]> = data.iter().map(|d| [d.1, 0.2]).collect();
    let sal: Vec<[f64; 2]> = data.iter().map(|d| [d.2 * sal_scale, 0.0]).collect();
    let actors: Vec<Actor<'_>> = (0..5)
        .map(|i| actor(data[i].0 * cap_scale, 1.0, &pos[i], &sal[i]))
        .collect();
    world(&actors, &[0.5, 0.7])
}

#[test]
fn compromise_point_is_the_mean_voter() {
    let x = compromise_point(&toy_world(1.0, 1.0), &[0, 1, 2, 3, 4]);
    assert!(close(x[0], 0.458_375_634_517_766_5, 1e-12), "{}", x[0]);
    assert_eq!(x[1], 0.7, "no one cares: the status quo");
}

#[test]
fn compromise_point_invariances() {
    let all = [0, 1, 2, 3, 4];
    let base = compromise_point(&toy_world(1.0, 1.0), &all)[0];
    for (c, s) in [(3.7, 1.0), (1.0, 0.3), (0.01, 25.0)] {
        let x = compromise_point(&toy_world(c, s), &all)[0];
        assert!(close(x, base, 1e-12 * base), "{c} {s}: {x}");
    }
    // Actor C split into two copies with half its capability each.
    let mut w = toy_world(1.0, 1.0);
    w.capability[2] *= 0.5;
    w.n_actors += 1;
    w.capability.push(w.capability[2]);
    w.risk.push(1.0);
    w.position.extend([0.60, 0.2]);
    w.salience.extend([0.6, 0.0]);
    let x = compromise_point(&w, &[0, 1, 2, 3, 4, 5])[0];
    assert!(close(x, base, 1e-12 * base), "{x}");
}

// ---------------------------------------------------------------- §5 expected utility

use treaty::solvers::expected_utility::{ExpectedUtilityModel, OfferKind};

/// THEORY §5 toy data: A..E as (c, x, s), positions scaled by `scale`.
fn toy_eu(scale: f64) -> ExpectedUtilityModel {
    let c = [1.0, 0.5, 0.8, 0.3, 0.6];
    let x = [0.0, 30.0, 60.0, 80.0, 100.0].map(|v| v * scale);
    let s = [0.5, 0.9, 0.6, 1.0, 0.4];
    ExpectedUtilityModel::new(&x, &c, &s)
}

#[test]
fn eu_baselines_on_the_toy_data() {
    let m = toy_eu(1.0);
    assert!(close(m.mean_voter(), 90.3 / 1.97, 1e-12));
    assert!(close(m.mean_voter(), 45.837563452, 1e-9));
    assert_eq!(m.weighted_median(), 60.0);
    let unit = toy_eu(0.01);
    assert!(close(unit.mean_voter(), 0.458_375_634_517_766_5, 1e-12));
    assert_eq!(unit.weighted_median(), 0.6);
}

#[test]
fn eu_first_pass_risk_exponents() {
    let expect = [0.745508, 2.0, 1.096792, 1.889499, 0.5];
    for scale in [1.0, 0.01] {
        let r = toy_eu(scale).risk_exponents();
        for (a, (&got, &want)) in r.iter().zip(&expect).enumerate() {
            assert!(close(got, want, 1e-6), "actor {a}: {got} vs {want}");
        }
    }
    // Scale-free: the same numbers to rounding on both scales.
    let (big, unit) = (toy_eu(1.0).risk_exponents(), toy_eu(0.01).risk_exponents());
    for (a, b) in big.iter().zip(&unit) {
        assert!(close(*a, *b, 1e-12));
    }
}

#[test]
fn eu_first_step_on_the_toy_data() {
    // Independent computation of the §5 equations (Q = T = 1; each actor weighs offers with its
    // own risk exponent and takes the one that moves it least): A and E compromise toward C,
    // B, C (alone at the weighted median) and D stay.
    let mut m = toy_eu(1.0);
    let step = m.step();
    let moved: Vec<(usize, OfferKind, usize)> = step
        .moves
        .iter()
        .map(|v| (v.actor, v.kind, v.from))
        .collect();
    assert_eq!(
        moved,
        [(0, OfferKind::Compromise, 2), (4, OfferKind::Compromise, 2)]
    );
    let x = m.positions();
    assert!(close(x[0], 16.6280517806324, 1e-9), "{}", x[0]);
    assert!(close(x[4], 95.56826363199275, 1e-9), "{}", x[4]);
    assert_eq!(&x[1..4], &[30.0, 60.0, 80.0]);
    // The risk exponents used are the first-pass ones.
    assert!(close(m.last_risk()[0], 0.745508, 1e-6));
    // Scale-free dynamics: the same moves on [0, 1].
    let mut u = toy_eu(0.01);
    u.step();
    for (a, b) in m.positions().iter().zip(u.positions()) {
        assert!(close(*a * 0.01, *b, 1e-12));
    }
    // Step 2: A capitulates to B (its offer moves A least), E compromises again.
    let step = m.step();
    assert_eq!(step.moves[0].kind, OfferKind::Capitulation);
    assert_eq!((step.moves[0].actor, step.moves[0].from), (0, 1));
    assert_eq!(m.positions()[0], 30.0);
}

#[test]
fn eu_positions_stay_in_the_initial_range_and_runs_are_deterministic() {
    let c = [1.0, 0.4, 0.9, 0.2, 0.7, 0.5, 0.3];
    let x = [0.1, 0.35, 0.5, 0.62, 0.9, 0.2, 0.75];
    let s = [0.8, 0.3, 0.5, 1.0, 0.6, 0.2, 0.9];
    for (q, t) in [(1.0, 1.0), (0.5, 0.5), (0.0, 1.0)] {
        let mut a = ExpectedUtilityModel::new(&x, &c, &s).with_status_quo_weights(q, t);
        let mut b = a.clone();
        for _ in 0..30 {
            let before = a.positions().to_vec();
            let sa = a.step();
            let sb = b.step();
            assert_eq!(sa, sb);
            for m in &sa.moves {
                // Each move ends between the mover and the sender of the offer.
                let (lo, hi) = (m.old.min(before[m.from]), m.old.max(before[m.from]));
                assert_eq!(m.old, before[m.actor]);
                assert!(m.new != m.old && lo <= m.new && m.new <= hi);
            }
            for &p in a.positions() {
                assert!((0.1..=0.9).contains(&p), "{p}");
            }
            for &r in a.last_risk() {
                assert!((0.5..=2.0).contains(&r), "{r} {q} {t}");
            }
        }
    }
}

#[test]
fn eu_win_probabilities_are_pairwise_normalised() {
    let m = toy_eu(1.0);
    for i in 0..5 {
        for j in 0..5 {
            let (p, q) = (m.win_probability(i, j), m.win_probability(j, i));
            assert!((0.0..=1.0).contains(&p));
            if i != j {
                // max(0, Σ)/Σ|·| on both sides: at most one is positive, and they sum to ≤ 1.
                assert!(p * q == 0.0 && p + q <= 1.0 + 1e-15);
            }
        }
    }
    // An actor at the same position as another has nothing to contest.
    let same = ExpectedUtilityModel::new(&[0.2, 0.2, 0.8], &[1.0; 3], &[0.5; 3]);
    assert_eq!(same.win_probability(0, 1), 0.0);
}

#[test]
fn eu_model_from_a_world_issue() {
    let w = toy_world(1.0, 1.0);
    let from_world = ExpectedUtilityModel::for_issue(&w, 0, &[0, 1, 2, 3, 4]);
    let direct = toy_eu(0.01);
    assert_eq!(from_world.positions(), direct.positions());
    assert_eq!(from_world.risk_exponents(), direct.risk_exponents());
    // A subset of actors: k-th model actor is actors[k].
    let sub = ExpectedUtilityModel::for_issue(&w, 0, &[4, 2]);
    assert_eq!(sub.positions(), &[1.0, 0.6]);
}

// ---------------------------------------------------------------- §1 Rubinstein

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
    // THEORY §1 (printed to 6 decimals) and the exact values of the recursion.
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
