//! docs/theory.md §5: Bueno de Mesquita's expected-utility model as reconstructed by Scholz et al.

use super::*;
use treaty::solvers::expected_utility::{ExpectedUtilityModel, OfferKind, Variant};

/// docs/theory.md §5 toy data: A..E as (c, x, s), positions scaled by `scale`.
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

/// Three actors (c, x, s): A (2, 0, 0.5), B (1, 0.5, 1), C (1, 1, 0.5); weights c·s = 1, 1, 0.5,
/// Δ = 1. Worked by hand in both variants (docs/theory.md §5, "Two variants").
fn trio(variant: Variant) -> ExpectedUtilityModel {
    ExpectedUtilityModel::new(&[0.0, 0.5, 1.0], &[2.0, 1.0, 1.0], &[0.5, 1.0, 0.5])
        .with_variant(variant)
}

/// EU_i(j) at r = 1 (Us = 2z, Uf = −2z, Usq = 0): 2z [1 − 2 s_j (1 − P_ij)].
fn eu_linear(z: f64, s_target: f64, p: f64) -> f64 {
    2.0 * z * (1.0 - 2.0 * s_target * (1.0 - p))
}

#[test]
#[allow(clippy::needless_range_loop)] // P_ij tables read best indexed.
fn eu_variants_by_hand_on_three_actors() {
    // First-pass P_ij, rows i, columns j.
    // Paper: net vote over total absolute vote, e.g. P_12: votes 0.5, 0.5, −0.5 weighted
    // 1, 1, 0.5 → 0.75 / 1.25.
    let paper = [[0.0, 0.0, 1.0 / 3.0], [0.2, 0.0, 0.6], [0.0, 0.0, 0.0]];
    // Code: Σ_a Σ_b |d_k(a) − d_k(b)| is 4, 2, 4 for A, B, C, so the denominator is
    // 1·4 + 1·2 + 0.5·4 = 8; e.g. P_10 = (B's 0.5 + C's 0.5·0.5) / 8.
    let code = [
        [0.0, 1.0 / 16.0, 1.0 / 8.0],
        [3.0 / 32.0, 0.0, 1.0 / 8.0],
        [1.0 / 16.0, 1.0 / 32.0, 0.0],
    ];
    let s: [f64; 3] = [0.5, 1.0, 0.5];
    let x: [f64; 3] = [0.0, 0.5, 1.0];
    for (variant, p, want_e, want_r) in [
        (
            Variant::ScholzPaper,
            paper,
            [0.2, -2.0, 19.0 / 15.0],
            [65.0 / 82.0, 2.0, 0.5],
        ),
        (
            Variant::ScholzCode,
            code,
            [7.0 / 32.0, -29.0 / 16.0, 3.0 / 8.0],
            [5.0 / 9.0, 2.0, 0.5],
        ),
    ] {
        let m = trio(variant);
        for i in 0..3 {
            for j in 0..3 {
                let got = m.win_probability(i, j);
                assert!(close(got, p[i][j], 1e-15), "{variant:?} P_{i}{j} = {got}");
            }
        }
        // Exposures E_i = Σ_j EU_j(i) at r = 1, from the closed form.
        for i in 0..3 {
            let e: f64 = (0..3)
                .filter(|&j| j != i)
                .map(|j| eu_linear((x[i] - x[j]).abs(), s[i], p[j][i]))
                .sum();
            assert!(close(e, want_e[i], 1e-15), "{variant:?} E_{i} = {e}");
            let by_model: f64 = (0..3)
                .filter(|&j| j != i)
                .map(|j| m.expected_utility(j, i, 1.0))
                .sum();
            assert!(close(by_model, want_e[i], 1e-14), "{variant:?} E_{i}");
        }
        // R_A = (2 E_A − max − min)/(max − min): 17/49 (paper), 6/7 (code).
        let r = m.risk_exponents();
        for a in 0..3 {
            assert!(
                close(r[a], want_r[a], 1e-14),
                "{variant:?} r_{a} = {}",
                r[a]
            );
        }
    }
    // The first move. Both: A capitulates to B. C (r = 1/2) has a confrontation from A and a
    // capitulation to B in both variants; the paper takes the least move (to B's 0.5), the code
    // takes a confrontation first (to A's 0).
    // Paper, C vs A: Us = 2, Uf = −2, Usq = 2 − 2√2; EU_CA = 2·0 − Usq, EU_AC = 2/3 − Usq.
    let usq = 2.0 - 2.0 * 2f64.sqrt();
    let (eu_ca, eu_ac) = (-usq, 2.0 / 3.0 - usq);
    assert!(eu_ac > eu_ca && eu_ca > 0.0);
    // Paper, C vs B: z = 1/2, Us = 0, Uf = 2 − 2√3; EU_CB = Uf − Usq, EU_BC = 0.4 Uf − Usq.
    let uf = 2.0 - 2.0 * 3f64.sqrt();
    let (eu_cb, eu_bc) = (uf - usq, 0.4 * uf - usq);
    assert!(eu_bc > 0.0 && eu_cb < 0.0 && eu_cb.abs() > eu_bc);
    // Code, second pass (votes at r = 5/9, 2, 1/2): the denominator stays 7 — A and C sit at the
    // ends, so their terms are 4 for any exponent, and B's is 2 (0.25 − 0)·2 — and
    // P_CA = C's 0.5·1 / 7, P_AC = A's 1 / 7: EU_CA = 2 P_CA − Usq < EU_AC = 2 P_AC − Usq.
    let (code_ca, code_ac) = (1.0 / 7.0 - usq, 2.0 / 7.0 - usq);
    assert!(code_ac > code_ca && code_ca > 0.0);
    for (variant, c_kind, c_from, c_to) in [
        (Variant::ScholzPaper, OfferKind::Capitulation, 1, 0.5),
        (Variant::ScholzCode, OfferKind::Confrontation, 0, 0.0),
    ] {
        let mut m = trio(variant);
        let step = m.step();
        let moved: Vec<(usize, OfferKind, usize, f64)> = step
            .moves
            .iter()
            .map(|v| (v.actor, v.kind, v.from, v.new))
            .collect();
        assert_eq!(
            moved,
            [
                (0, OfferKind::Capitulation, 1, 0.5),
                (2, c_kind, c_from, c_to)
            ],
            "{variant:?}"
        );
    }
}

#[test]
fn eu_code_variant_first_step_on_the_toy_data() {
    // An independent implementation of the code variant (docs/theory.md §5) gives, for the toy
    // data: first-pass exponents A 0.670527, B 1.715435, C 0.849903, D 2, E 0.5; A compromises
    // toward C (its only compromise; it also has capitulations to B and D, which come after), E
    // takes A's confrontation (before its compromise toward C, which moves it less).
    let mut m = toy_eu(1.0).with_variant(Variant::ScholzCode);
    let expect = [0.670527, 1.715435, 0.849903, 2.0, 0.5];
    for (a, (&got, &want)) in m.risk_exponents().iter().zip(&expect).enumerate() {
        assert!(close(got, want, 1e-6), "actor {a}: {got} vs {want}");
    }
    let step = m.step();
    let moved: Vec<(usize, OfferKind, usize)> = step
        .moves
        .iter()
        .map(|v| (v.actor, v.kind, v.from))
        .collect();
    assert_eq!(
        moved,
        [
            (0, OfferKind::Compromise, 2),
            (4, OfferKind::Confrontation, 0)
        ]
    );
    assert!(close(m.positions()[0], 25.5232305263932, 1e-9));
    assert_eq!(&m.positions()[1..], &[30.0, 60.0, 80.0, 0.0]);
    // The code's P sums far below 1 over a pair; the paper's never above.
    let code = toy_eu(1.0).with_variant(Variant::ScholzCode);
    assert!(code.win_probability(0, 4) + code.win_probability(4, 0) < 0.1);
}

#[test]
fn eu_paper_variant_is_symmetric_under_reversing_the_axis() {
    // The printed least-move rule does not depend on the axis's direction (the code variant's
    // compromise rule does, module docs): mirrored positions give mirrored paths.
    let c = [1.0, 0.4, 0.9, 0.2, 0.7, 0.5, 0.3];
    let x = [0.1, 0.35, 0.5, 0.62, 0.9, 0.2, 0.75];
    let s = [0.8, 0.3, 0.5, 1.0, 0.6, 0.2, 0.9];
    let mirrored: Vec<f64> = x.iter().map(|v| 1.0 - v).collect();
    let mut a = ExpectedUtilityModel::new(&x, &c, &s);
    let mut b = ExpectedUtilityModel::new(&mirrored, &c, &s);
    for _ in 0..5 {
        a.step();
        b.step();
        for (p, q) in a.positions().iter().zip(b.positions()) {
            assert!(close(*p, 1.0 - q, 1e-12));
        }
    }
}

#[test]
fn eu_condorcet_winner_and_weighted_median_on_known_cases() {
    // Toy data: the weighted median 60 beats every other held position (margin of 60 over 30 is
    // 2.1 on [0, 100]).
    let m = toy_eu(1.0);
    assert_eq!(m.condorcet_winner(), Some(60.0));
    assert_eq!(m.weighted_median(), 60.0);
    // Weights 1, 2, 1.5 at 0, 0.5, 1: total 4.5; cumulated 1, 3 → median 0.5, which beats 0
    // (margin −1·0.5 + 2·0.5 + 1.5·0.5 = 1.25) and 1 (1·0.5 + 2·0.5 − 1.5·0.5 = 0.75).
    let m = ExpectedUtilityModel::new(&[0.0, 0.5, 1.0], &[1.0, 2.0, 1.5], &[1.0; 3]);
    assert_eq!(m.weighted_median(), 0.5);
    assert_eq!(m.condorcet_winner(), Some(0.5));
    // An exact tie: two blocs of equal weight. Neither position beats the other, so there is no
    // winner; the weighted median is the smaller position (its cumulative weight reaches half).
    let tie = ExpectedUtilityModel::new(&[0.2, 0.8, 0.2, 0.8], &[1.0; 4], &[0.5; 4]);
    assert_eq!(tie.condorcet_winner(), None);
    assert_eq!(tie.weighted_median(), 0.2);
    // A heavy extreme actor: the median is its position, which beats both others.
    let heavy = ExpectedUtilityModel::new(&[0.0, 0.4, 1.0], &[5.0, 1.0, 1.0], &[1.0; 3]);
    assert_eq!(heavy.weighted_median(), 0.0);
    assert_eq!(heavy.condorcet_winner(), Some(0.0));
}

#[test]
fn eu_pairwise_winner_finds_none_in_a_cycle() {
    use treaty::solvers::expected_utility::pairwise_winner;
    // Condorcet's paradox: voters ranking a > b > c, b > c > a and c > a > b. Each pair has a
    // 2-to-1 majority, around the cycle a beats b, b beats c, c beats a.
    let rankings = [[0, 1, 2], [1, 2, 0], [2, 0, 1]];
    let prefers = |v: &[usize; 3], a: usize, b: usize| {
        v.iter().position(|&c| c == a) < v.iter().position(|&c| c == b)
    };
    let margin = |a: usize, b: usize| -> f64 {
        rankings
            .iter()
            .map(|v| if prefers(v, a, b) { 1.0 } else { -1.0 })
            .sum()
    };
    assert_eq!(margin(0, 1), 1.0);
    assert_eq!(margin(1, 2), 1.0);
    assert_eq!(margin(2, 0), 1.0);
    assert_eq!(pairwise_winner(&[0.0, 1.0, 2.0], margin), None);
    // Drop the third voter: a beats b and c (2-0), the winner is a.
    let two = |a: usize, b: usize| -> f64 {
        rankings[..2]
            .iter()
            .map(|v| if prefers(v, a, b) { 1.0 } else { -1.0 })
            .sum()
    };
    // b > c by both; a vs b: 1-1 tie, so nobody beats everyone strictly.
    assert_eq!(pairwise_winner(&[0.0, 1.0, 2.0], two), None);
    let first = |a: usize, b: usize| -> f64 {
        if prefers(&rankings[0], a, b) {
            1.0
        } else {
            -1.0
        }
    };
    assert_eq!(pairwise_winner(&[0.0, 1.0, 2.0], first), Some(0));
}
