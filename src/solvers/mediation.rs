//! The mediator's single negotiating text: the compromise point and the Nash bargaining point.
//!
//! # Compromise point
//!
//! The compromise model of Achen (2006, "Institutional realism and bargaining models", ch. 4 of
//! Thomson, Stokman, Achen & König (eds), *The European Union Decides*), the same as Bueno de
//! Mesquita's "mean voter": issue by issue, the capability × salience weighted mean of the parties'
//! ideal points,
//!
//! ```text
//! x̂_j = Σ_i c_i s_ij p_ij / Σ_i c_i s_ij
//! ```
//!
//! and the status quo q_j on an issue no party cares about (Σ_i c_i s_ij = 0). Scaling every
//! capability, or every salience on an issue, by one constant leaves x̂ unchanged, and so does
//! splitting an actor into two copies with half its capability each.
//!
//! # Nash bargaining point
//!
//! The (asymmetric, n-person) Nash bargaining solution (Nash 1950, *Econometrica* 18:155–162;
//! asymmetric form Kalai 1977, Roth 1979) over the settlement space X:
//!
//! ```text
//! x* = argmax_{x ∈ X, u_i(x) > d_i ∀i}  Π_i (u_i(x) − d_i)^(w_i)
//!    = argmax                            Σ_i w_i ln(u_i(x) − d_i)
//! ```
//!
//! with u_i the actor's own utility ([`crate::model::own_utility`]:
//! u_i(x) = (1 − d_i(x))^(a_i), d_i(x) = Σ_j s_ij |x_j − p_ij| / Σ_j s_ij max(p_ij, 1 − p_ij)),
//! d_i the disagreement utilities (the engine passes each party's utility of the status quo, or
//! its reservation utility) and w_i > 0 the bargaining weights (capabilities in the engine). X is
//! [0, 1]^m, with two restrictions given by a [`SettlementSpace`]:
//!
//! - an issue with labelled options takes only its option points;
//! - the issues of a divisible pie are shares: their values sum to at most 1. [`nash_point`]
//!   respects this constraint itself (the engine need not project afterwards).
//!
//! An issue no party cares about stays at the status quo. If no point of X gives every party more
//! than its disagreement utility, there is no bargaining solution and [`nash_point`] returns `None`
//! (Butler 2004's pitfall: a party whose ideal point is the status quo prefers it to every change).
//!
//! ## How it is computed
//!
//! By cyclic coordinate ascent on f(x) = Σ_i w_i ln(u_i(x) − d_i):
//!
//! - each continuous issue in turn is moved to the best point on its line. The line function is
//!   smooth between the *kinks* t = p_ij (where |x_j − p_ij| bends), so every kink and both ends
//!   are evaluated, and between the best of them and its neighbours the maximum is found as the
//!   root of the analytic derivative
//!   f'(t) = Σ_i w_i u_i'(t) / (u_i − d_i), u_i' = −a_i (1 − d_i(x))^(a_i − 1) · ∂d_i/∂t
//!   by false position (Illinois variant), bisecting where the far side leaves the domain. A root
//!   of f' is accurate to the last bits of t, where a search on values of f would stop near √ε,
//!   so the root is kept even if rounding makes f there look a few ulps worse;
//! - an issue with options is set to its best option;
//! - on a divisible pie, besides single moves (limited by the pie's slack), every pair (j, k) of
//!   its continuous issues trades share along e_j − e_k, so the search does not stall on the
//!   face Σ x = 1;
//! - sweeps repeat until no coordinate moves by more than 1e-12 (at most 500 sweeps).
//!
//! Why this finds the maximum when f is concave (always when every a_i ≤ 1, and for any a_i with
//! d_i = 0, since 1 − d_i(x) is concave): the non-smooth parts |x_j − p_ij| are separable by
//! issue and the outer functions are smooth, so the directional derivative of f is a sum of
//! one-issue terms, f'(x; v) = Σ_j φ_j(v_j). At a point where no single-issue move (and, on a pie,
//! no pairwise trade) improves f, every φ_j is ≤ 0 in each feasible direction, hence so is every
//! f'(x; v): the point is the maximum. On labelled options the search is a coordinate-wise best
//! response, which is exact on one issue and a local optimum on several.
//!
//! The start is the best of a few candidates (the compromise point, each party's ideal point, the
//! status quo, snapped to options and projected onto the pie). If none gives every party more than
//! its disagreement utility, a shifted problem Σ w_i ln(u_i − d_i + c) is solved for a shrinking
//! c > 0 until its maximiser is feasible; if c falls to the largest possible min_i (u_i − d_i) ≤ 0,
//! there is no feasible point.

use crate::model::{World, own_utility};

/// Where a settlement may lie, beyond the unit box.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettlementSpace<'a> {
    /// Option points per issue: empty for all-continuous, otherwise one entry per issue (an
    /// empty entry for a continuous issue).
    pub options: &'a [Vec<f64>],
    /// Issues that are shares of one divisible pie: their values must sum to at most 1.
    pub pie: &'a [usize],
}

impl<'a> SettlementSpace<'a> {
    /// Every issue continuous, no pie.
    pub const CONTINUOUS: SettlementSpace<'static> = SettlementSpace {
        options: &[],
        pie: &[],
    };

    /// The option points of issue `j` (empty for a continuous issue).
    fn options_of(&self, j: usize) -> &'a [f64] {
        self.options.get(j).map_or(&[], Vec::as_slice)
    }

    fn in_pie(&self, j: usize) -> bool {
        self.pie.contains(&j)
    }
}

/// The compromise point (module docs): per issue the capability × salience weighted mean of the
/// `parties`' ideal points, the status quo where none of them cares.
pub fn compromise_point(world: &World, parties: &[usize]) -> Vec<f64> {
    (0..world.n_issues)
        .map(|j| {
            let mut num = 0.0;
            let mut den = 0.0;
            for &a in parties {
                let w = world.capability[a] * world.salience(a, j);
                num += w * world.position(a, j);
                den += w;
            }
            if den > 0.0 {
                num / den
            } else {
                world.status_quo[j]
            }
        })
        .collect()
}

/// Projects the pie issues of `x` onto {x_j ≥ 0, Σ_pie x_j ≤ 1} (Euclidean projection: if the
/// shares sum to more than 1, x_j ← max(0, x_j − τ) with τ such that they sum to 1). Other
/// issues are left alone.
pub fn project_onto_pie(x: &mut [f64], pie: &[usize]) {
    let total: f64 = pie.iter().map(|&j| x[j].max(0.0)).sum();
    if total <= 1.0 {
        for &j in pie {
            x[j] = x[j].max(0.0);
        }
        return;
    }
    let sum_at = |tau: f64| pie.iter().map(|&j| (x[j] - tau).max(0.0)).sum::<f64>();
    let (mut lo, mut hi) = (0.0, pie.iter().map(|&j| x[j]).fold(0.0, f64::max));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if sum_at(mid) > 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    for &j in pie {
        x[j] = (x[j] - hi).max(0.0);
    }
}

/// The Nash bargaining point (module docs): the x in the settlement space maximising
/// Σ_i w_i ln(u_i(x) − d_i) with every u_i(x) > d_i, or `None` if no such x exists.
///
/// `weights[n]` and `disagreement[n]` belong to `parties[n]`; weights must be positive.
///
/// # Panics
///
/// If `weights` or `disagreement` is not as long as `parties`.
pub fn nash_point(
    world: &World,
    parties: &[usize],
    weights: &[f64],
    disagreement: &[f64],
    space: &SettlementSpace<'_>,
) -> Option<Vec<f64>> {
    assert_eq!(weights.len(), parties.len(), "one weight per party");
    assert_eq!(
        disagreement.len(),
        parties.len(),
        "one disagreement value per party"
    );
    debug_assert!(weights.iter().all(|&w| w > 0.0), "weights must be positive");
    if disagreement.iter().any(|&d| d >= 1.0) {
        return None; // u_i ≤ 1 everywhere
    }
    let mut problem = NashProblem::new(world, parties, weights, disagreement, *space);
    let mut x = problem.start();
    if problem.gap(&x) <= 0.0 && !problem.reach_feasible(&mut x) {
        return None;
    }
    problem.shift = 0.0;
    problem.ascend(&mut x);
    Some(x)
}

/// Sweeps of coordinate ascent before giving up on further improvement.
const MAX_SWEEPS: usize = 500;
/// A sweep that moves no coordinate further than this ends the ascent.
const STEP_TOL: f64 = 1e-12;

/// The working state of one Nash maximisation.
struct NashProblem<'a> {
    world: &'a World,
    parties: &'a [usize],
    weights: &'a [f64],
    disagreement: &'a [f64],
    space: SettlementSpace<'a>,
    /// Per party: the normaliser Σ_j s_ij max(p_ij, 1 − p_ij) of its distance.
    norm: Vec<f64>,
    /// Issues some party cares about (the others stay at the status quo).
    movable: Vec<usize>,
    /// Movable continuous pie issues (pairwise trades).
    pie_trades: Vec<usize>,
    /// The shift c of the phase-one problem Σ w ln(u − d + c) (0 for the real problem).
    shift: f64,
    /// Scratch: breakpoints of a line.
    breaks: Vec<f64>,
}

impl<'a> NashProblem<'a> {
    fn new(
        world: &'a World,
        parties: &'a [usize],
        weights: &'a [f64],
        disagreement: &'a [f64],
        space: SettlementSpace<'a>,
    ) -> Self {
        let m = world.n_issues;
        let norm = parties
            .iter()
            .map(|&a| {
                (0..m)
                    .map(|j| {
                        let p = world.position(a, j);
                        world.salience(a, j) * p.max(1.0 - p)
                    })
                    .sum()
            })
            .collect();
        let movable: Vec<usize> = (0..m)
            .filter(|&j| parties.iter().any(|&a| world.salience(a, j) > 0.0))
            .collect();
        let pie_trades = movable
            .iter()
            .copied()
            .filter(|&j| space.in_pie(j) && space.options_of(j).is_empty())
            .collect();
        NashProblem {
            world,
            parties,
            weights,
            disagreement,
            space,
            norm,
            movable,
            pie_trades,
            shift: 0.0,
            breaks: Vec::with_capacity(2 * parties.len() + 3),
        }
    }

    /// Σ_i w_i ln(u_i(x) − d_i + c), −∞ outside the domain.
    fn objective(&self, x: &[f64]) -> f64 {
        let mut f = 0.0;
        for (n, &a) in self.parties.iter().enumerate() {
            let gap = own_utility(self.world, a, x) - self.disagreement[n] + self.shift;
            if gap.is_nan() || gap <= 0.0 {
                return f64::NEG_INFINITY;
            }
            f += self.weights[n] * gap.ln();
        }
        f
    }

    /// min_i (u_i(x) − d_i).
    fn gap(&self, x: &[f64]) -> f64 {
        self.parties
            .iter()
            .zip(self.disagreement)
            .map(|(&a, &d)| own_utility(self.world, a, x) - d)
            .fold(f64::INFINITY, f64::min)
    }

    /// The derivative of the objective along e_j − e_k (or e_j) at `x`, which must not sit on a
    /// kink of the direction; `None` outside the domain.
    fn slope(&self, x: &[f64], j: usize, k: Option<usize>) -> Option<f64> {
        let w = self.world;
        let m = w.n_issues;
        let mut g = 0.0;
        for (n, &a) in self.parties.iter().enumerate() {
            let z = self.norm[n];
            let pos = &w.position[a * m..(a + 1) * m];
            let sal = &w.salience[a * m..(a + 1) * m];
            let mut dd = sal[j] * (x[j] - pos[j]).signum();
            if let Some(k) = k {
                dd -= sal[k] * (x[k] - pos[k]).signum();
            }
            let mut dist = 0.0;
            for i in 0..m {
                dist += sal[i] * (x[i] - pos[i]).abs();
            }
            let closeness = if z > 0.0 {
                1.0 - (dist / z).min(1.0)
            } else {
                1.0
            };
            let r = w.risk[a];
            let u = if r == 1.0 {
                closeness
            } else {
                closeness.powf(r)
            };
            let gap = u - self.disagreement[n] + self.shift;
            if gap.is_nan() || gap <= 0.0 {
                return None;
            }
            if dd == 0.0 || z == 0.0 {
                continue;
            }
            let du = -r * closeness.max(f64::MIN_POSITIVE).powf(r - 1.0) * dd / z;
            g += self.weights[n] * du / gap;
        }
        Some(g)
    }

    /// The best of the start candidates (module docs): the feasible one with the highest
    /// objective, else the one with the largest min_i (u_i − d_i).
    fn start(&self) -> Vec<f64> {
        let compromise = compromise_point(self.world, self.parties);
        let mut best = compromise.clone();
        self.settle(&mut best);
        let mut best_key = self.start_key(&best);
        let mut cand = compromise.clone();
        for c in 0..=self.parties.len() {
            cand.copy_from_slice(&compromise);
            if let Some(&a) = self.parties.get(c) {
                for &j in &self.movable {
                    if self.world.salience(a, j) > 0.0 {
                        cand[j] = self.world.position(a, j);
                    }
                }
            } else {
                for &j in &self.movable {
                    cand[j] = self.world.status_quo[j];
                }
            }
            self.settle(&mut cand);
            let key = self.start_key(&cand);
            if key > best_key {
                best_key = key;
                best.copy_from_slice(&cand);
            }
        }
        best
    }

    /// Orders start candidates: feasible beats infeasible, then by objective or by gap.
    fn start_key(&self, x: &[f64]) -> (bool, f64) {
        let gap = self.gap(x);
        if gap > 0.0 {
            (true, self.objective(x))
        } else {
            (false, gap)
        }
    }

    /// Snaps optioned issues to their nearest option (the lower on a tie) and projects the pie.
    fn settle(&self, x: &mut [f64]) {
        for (j, xj) in x.iter_mut().enumerate() {
            let opts = self.space.options_of(j);
            if let Some(&first) = opts.first() {
                let mut best = first;
                for &o in opts {
                    if (o - *xj).abs() < (best - *xj).abs() {
                        best = o;
                    }
                }
                *xj = best;
            }
        }
        project_onto_pie(x, self.space.pie);
    }

    /// Phase one (module docs): shrinks the shift c until the maximiser of the shifted problem
    /// gives every party more than its disagreement utility. Returns false if none does.
    fn reach_feasible(&mut self, x: &mut [f64]) -> bool {
        let g0 = self.gap(x);
        let mut shift = (-2.0 * g0).max(1e-9);
        for _ in 0..200 {
            self.shift = shift;
            self.ascend(x);
            let g = self.gap(x);
            if g > 0.0 {
                return true;
            }
            if shift + g <= 1e-12 {
                return false;
            }
            shift = 0.5 * (shift - g);
        }
        false
    }

    /// Cyclic coordinate ascent from `x` (module docs); returns the final objective.
    fn ascend(&mut self, x: &mut [f64]) -> f64 {
        let mut f = self.objective(x);
        let movable = std::mem::take(&mut self.movable);
        let trades = std::mem::take(&mut self.pie_trades);
        for _ in 0..MAX_SWEEPS {
            let mut moved: f64 = 0.0;
            for &j in &movable {
                let before = x[j];
                let slack = if self.space.in_pie(j) {
                    (1.0 - self.space.pie.iter().map(|&i| x[i]).sum::<f64>()).max(0.0)
                } else {
                    1.0
                };
                let hi = (1.0 - x[j]).min(slack).max(0.0);
                f = if self.space.options_of(j).is_empty() {
                    self.line_search(x, j, None, -x[j], hi, f)
                } else {
                    self.option_search(x, j, x[j] + hi, f)
                };
                moved = moved.max((x[j] - before).abs());
            }
            for (n, &j) in trades.iter().enumerate() {
                for &k in &trades[n + 1..] {
                    let before = x[j];
                    let lo = (-x[j]).max(x[k] - 1.0);
                    let hi = (1.0 - x[j]).min(x[k]);
                    f = self.line_search(x, j, Some(k), lo.min(0.0), hi.max(0.0), f);
                    moved = moved.max((x[j] - before).abs());
                }
            }
            if moved <= STEP_TOL {
                break;
            }
        }
        self.movable = movable;
        self.pie_trades = trades;
        f
    }

    /// Sets issue `j` of `x` to its best option not above `hi`; returns the new objective.
    fn option_search(&mut self, x: &mut [f64], j: usize, hi: f64, f0: f64) -> f64 {
        let start = x[j];
        let (mut best, mut best_f) = (start, f0);
        for &o in self.space.options_of(j) {
            if o > hi + 1e-12 || o == start {
                continue;
            }
            x[j] = o;
            let f = self.objective(x);
            if f > best_f {
                best = o;
                best_f = f;
            }
        }
        x[j] = best;
        best_f
    }

    /// Moves `x` to the best point of x + t(e_j − e_k) (or x + t e_j), t ∈ [lo, hi] ∋ 0;
    /// returns the new objective (module docs).
    fn line_search(
        &mut self,
        x: &mut [f64],
        j: usize,
        k: Option<usize>,
        lo: f64,
        hi: f64,
        f0: f64,
    ) -> f64 {
        if hi - lo <= 0.0 {
            return f0;
        }
        let xj = x[j];
        let xk = k.map_or(0.0, |k| x[k]);
        let set = |x: &mut [f64], t: f64| {
            x[j] = (xj + t).clamp(0.0, 1.0);
            if let Some(k) = k {
                x[k] = (xk - t).clamp(0.0, 1.0);
            }
        };
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        breaks.extend([lo, 0.0, hi]);
        for &a in self.parties {
            if self.world.salience(a, j) > 0.0 {
                breaks.push(self.world.position(a, j) - xj);
            }
            if let Some(k) = k
                && self.world.salience(a, k) > 0.0
            {
                breaks.push(xk - self.world.position(a, k));
            }
        }
        breaks.retain(|&t| t >= lo && t <= hi);
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();

        let (mut best_t, mut best_f) = (0.0, f0);
        let mut best_idx = breaks.iter().position(|&t| t == 0.0).unwrap_or(0);
        for (idx, &t) in breaks.iter().enumerate() {
            if t == 0.0 {
                continue;
            }
            set(x, t);
            let f = self.objective(x);
            if f > best_f {
                (best_t, best_f, best_idx) = (t, f, idx);
            }
        }
        let neighbours = [
            best_idx.checked_sub(1).map(|i| (breaks[i], best_t, false)),
            breaks.get(best_idx + 1).map(|&t| (best_t, t, true)),
        ];
        for (a, b, rightward) in neighbours.into_iter().flatten() {
            if let Some(t) = self.refine(x, j, k, a, b, rightward, &set) {
                set(x, t);
                let f = self.objective(x);
                // The derivative's root is trusted over the last bits of f (rounding noise).
                if f > f64::NEG_INFINITY && f >= best_f - 64.0 * f64::EPSILON * (1.0 + best_f.abs())
                {
                    (best_t, best_f) = (t, f);
                }
            }
        }
        set(x, best_t);
        self.breaks = breaks;
        best_f
    }

    /// The root of the derivative inside the kink-free segment (a, b), searched from its feasible
    /// end (`a` if `rightward`, else `b`) by the Illinois variant of false position, bisecting
    /// where the far side is outside the domain. `None` if the derivative does not change sign
    /// inside (the best of the segment is an end, already evaluated).
    #[allow(clippy::too_many_arguments)]
    fn refine(
        &self,
        x: &mut [f64],
        j: usize,
        k: Option<usize>,
        a: f64,
        b: f64,
        rightward: bool,
        set: &impl Fn(&mut [f64], f64),
    ) -> Option<f64> {
        let mut eval = |t: f64| {
            set(x, t);
            self.slope(x, j, k)
        };
        let inset = (b - a) * 1e-12;
        // Derivative > 0 on the left part of the bracket, < 0 (or outside the domain, on the far
        // side from the start) on the right part.
        let (mut l, mut r) = (a, b);
        let mut gl = eval(a + inset);
        let mut gr = eval(b - inset);
        if rightward {
            match (gl, gr) {
                (Some(g), _) if g <= 0.0 => return None,
                (None, _) => return None,
                (_, Some(g)) if g >= 0.0 => return None,
                _ => {}
            }
        } else {
            match (gl, gr) {
                (_, Some(g)) if g >= 0.0 => return None,
                (_, None) => return None,
                (Some(g), _) if g <= 0.0 => return None,
                _ => {}
            }
        }
        let mut last_left: Option<bool> = None;
        for _ in 0..100 {
            let mid = 0.5 * (l + r);
            if mid <= l || mid >= r {
                break;
            }
            let t = match (gl, gr) {
                (Some(fl), Some(fr)) => {
                    let t = (l * fr - r * fl) / (fr - fl);
                    if t > l && t < r { t } else { mid }
                }
                _ => mid,
            };
            match eval(t) {
                None if rightward => (r, gr) = (t, None),
                None => (l, gl) = (t, None),
                Some(g) if g > 0.0 => {
                    if last_left == Some(true) {
                        gr = gr.map(|v| 0.5 * v);
                    }
                    (l, gl, last_left) = (t, Some(g), Some(true));
                }
                Some(g) if g < 0.0 => {
                    if last_left == Some(false) {
                        gl = gl.map(|v| 0.5 * v);
                    }
                    (r, gr, last_left) = (t, Some(g), Some(false));
                }
                Some(_) => return Some(t),
            }
            if r - l <= 4.0 * f64::EPSILON * (1.0 + l.abs()) {
                break;
            }
        }
        Some(0.5 * (l + r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(positions: &[f64], saliences: &[f64], risk: &[f64], m: usize) -> World {
        let n = risk.len();
        World {
            n_actors: n,
            n_issues: m,
            capability: vec![1.0; n],
            risk: risk.to_vec(),
            reservation: vec![0.0; n],
            discount: vec![1.0; n],
            beta: vec![1.0; n],
            kappa: vec![0.0; n],
            position: positions.to_vec(),
            salience: saliences.to_vec(),
            relation: vec![0.0; n * n],
            status_quo: vec![0.5; m],
            active: vec![true; n],
            perception_noise: 0.0,
            interdependence: 0.0,
            step: 0.0,
            war_cost: 0.0,
            imposition: 0.0,
            propensity: 0.0,
            event_probability: vec![],
            effect_amount: vec![],
        }
    }

    #[test]
    fn slope_matches_finite_differences_of_own_utility() {
        let w = world(
            &[0.9, 0.2, 0.1, 0.7, 0.4, 0.6],
            &[1.0, 0.5, 0.3, 1.0, 0.8, 0.2],
            &[0.5, 1.0, 2.0],
            2,
        );
        let parties = [0, 1, 2];
        let weights = [1.0, 2.0, 0.5];
        let d = [0.1, 0.0, 0.05];
        let p = NashProblem::new(&w, &parties, &weights, &d, SettlementSpace::CONTINUOUS);
        for (x0, k) in [
            ([0.5, 0.5], None),
            ([0.3, 0.45], Some(1)),
            ([0.8, 0.3], Some(1)),
        ] {
            let h = 1e-6;
            let mut x = x0;
            let g = p.slope(&x, 0, k).unwrap();
            let shift = |x: &mut [f64; 2], t: f64| {
                x[0] = x0[0] + t;
                if k.is_some() {
                    x[1] = x0[1] - t;
                }
            };
            shift(&mut x, h);
            let fp = p.objective(&x);
            shift(&mut x, -h);
            let fm = p.objective(&x);
            let fd = (fp - fm) / (2.0 * h);
            assert!((g - fd).abs() < 1e-6 * (1.0 + fd.abs()), "{g} vs {fd}");
        }
    }

    #[test]
    fn projection_keeps_feasible_points_and_caps_the_pie() {
        let mut x = [0.2, 0.3, 0.9];
        project_onto_pie(&mut x, &[0, 1]);
        assert_eq!(x, [0.2, 0.3, 0.9]);
        let mut y = [0.8, 0.6, 0.9];
        project_onto_pie(&mut y, &[0, 1]);
        assert!((y[0] - 0.6).abs() < 1e-12 && (y[1] - 0.4).abs() < 1e-12);
        assert!(y[0] + y[1] <= 1.0);
        assert_eq!(y[2], 0.9);
    }
}
