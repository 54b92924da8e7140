//! The Nash maximisation itself (see the parent module docs for the method).

mod line;
mod newton;

use super::{SettlementSpace, compromise_point, project_onto_pie};
use crate::model::{Loss, World, own_utility, utility_scale};

/// Sweeps of coordinate ascent before giving up on further improvement.
const MAX_SWEEPS: usize = 500;
/// A sweep that moves no coordinate further than this ends the ascent.
const STEP_TOL: f64 = 1e-12;

/// The working state of one Nash maximisation.
pub(super) struct NashProblem<'a> {
    world: &'a World,
    parties: &'a [usize],
    weights: &'a [f64],
    disagreement: &'a [f64],
    space: SettlementSpace<'a>,
    /// Per party: the normaliser Σ_j s_ij max(p_ij, 1 − p_ij) of its distance (squared under
    /// quadratic loss).
    norm: Vec<f64>,
    /// Issues some party cares about (the others stay at the status quo).
    movable: Vec<usize>,
    /// Movable continuous pie issues (pairwise trades).
    pie_trades: Vec<usize>,
    /// The shift c of the phase-one problem Σ w ln(u − d + c) (0 for the real problem).
    pub(super) shift: f64,
    /// Scratch: breakpoints of a line.
    breaks: Vec<f64>,
    /// Scratch: the direction of the current line, its starting point, the issues it moves,
    /// and per party the distance numerator Σ_j s_ij |x_j − p_ij| (or (x_j − p_ij)²) at the start without (`rest`)
    /// the moving issues.
    dir: Vec<f64>,
    base: Vec<f64>,
    support: Vec<usize>,
    rest: Vec<f64>,
    /// Scratch: the point at the start of a sweep.
    sweep_start: Vec<f64>,
    /// Scratch for the Newton move: the free issues, the gradient and the Hessian over them.
    free: Vec<usize>,
    grad: Vec<f64>,
    hess: Vec<f64>,
    system: Vec<f64>,
    rhs: Vec<f64>,
}

impl<'a> NashProblem<'a> {
    pub(super) fn new(
        world: &'a World,
        parties: &'a [usize],
        weights: &'a [f64],
        disagreement: &'a [f64],
        space: SettlementSpace<'a>,
    ) -> Self {
        let m = world.n_issues;
        let norm = parties
            .iter()
            .map(|&a| match world.loss {
                Loss::Linear => (0..m)
                    .map(|j| {
                        let p = world.position(a, j);
                        world.salience(a, j) * p.max(1.0 - p)
                    })
                    .sum(),
                Loss::Quadratic => utility_scale(world, a),
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
            breaks: Vec::with_capacity(m * parties.len() + 3),
            dir: vec![0.0; m],
            base: vec![0.0; m],
            support: Vec::with_capacity(m),
            rest: vec![0.0; parties.len()],
            sweep_start: vec![0.0; m],
            free: Vec::with_capacity(m),
            grad: Vec::with_capacity(m),
            hess: Vec::with_capacity(m * m),
            system: Vec::with_capacity((m + 1) * (m + 1)),
            rhs: Vec::with_capacity(m + 1),
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
    pub(super) fn gap(&self, x: &[f64]) -> f64 {
        self.parties
            .iter()
            .zip(self.disagreement)
            .map(|(&a, &d)| own_utility(self.world, a, x) - d)
            .fold(f64::INFINITY, f64::min)
    }

    /// The best of the start candidates (module docs): the feasible one with the highest
    /// objective, else the one with the largest min_i (u_i − d_i).
    pub(super) fn start(&self) -> Vec<f64> {
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
    pub(super) fn reach_feasible(&mut self, x: &mut [f64]) -> bool {
        let g0 = self.gap(x);
        let mut shift = (-2.0 * g0).max(0.1);
        for _ in 0..200 {
            self.shift = shift;
            self.ascend(x, true);
            let g = self.gap(x);
            if g > 0.0 {
                return true;
            }
            if shift + g <= 1e-12 {
                return false;
            }
            shift = -g + 0.1 * (shift + g);
        }
        false
    }

    /// Cyclic coordinate ascent from `x` with pairwise trades on the pie and a pattern move
    /// after each sweep (module docs); with `until_feasible`, it stops after the first sweep
    /// that reaches a point giving every party more than its disagreement utility.
    pub(super) fn ascend(&mut self, x: &mut [f64], until_feasible: bool) {
        let movable = std::mem::take(&mut self.movable);
        let trades = std::mem::take(&mut self.pie_trades);
        for _ in 0..MAX_SWEEPS {
            self.sweep_start.copy_from_slice(x);
            for &j in &movable {
                if self.space.options_of(j).is_empty() {
                    self.dir.fill(0.0);
                    self.dir[j] = 1.0;
                    self.line_search(x);
                } else {
                    self.option_search(x, j);
                }
            }
            for (n, &j) in trades.iter().enumerate() {
                for &k in &trades[n + 1..] {
                    self.dir.fill(0.0);
                    (self.dir[j], self.dir[k]) = (1.0, -1.0);
                    self.line_search(x);
                }
            }
            // Pattern move along the sweep's displacement (continuous issues only).
            for (j, (d, (&now, &then))) in self
                .dir
                .iter_mut()
                .zip(x.iter().zip(&self.sweep_start))
                .enumerate()
            {
                *d = if self.space.options_of(j).is_empty() {
                    now - then
                } else {
                    0.0
                };
            }
            if self.dir.iter().filter(|&&v| v != 0.0).count() > 1 {
                self.line_search(x);
            }
            // Newton move on the smooth piece around x.
            if self.newton_direction(x) {
                self.line_search(x);
            }
            let moved = x
                .iter()
                .zip(&self.sweep_start)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            if moved <= STEP_TOL || (until_feasible && self.gap(x) > 0.0) {
                break;
            }
        }
        self.movable = movable;
        self.pie_trades = trades;
    }

    /// Sets optioned issue `j` of `x` to its best option within the pie's slack.
    fn option_search(&mut self, x: &mut [f64], j: usize) {
        let start = x[j];
        let f0 = self.objective(x);
        let hi = if self.space.in_pie(j) {
            let used: f64 = self.space.pie.iter().map(|&i| x[i]).sum();
            start + (1.0 - used).max(0.0)
        } else {
            1.0
        };
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Loss;

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
            optimism: vec![0.0; n],
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
            loss: Loss::Linear,
        }
    }

    #[test]
    fn slope_matches_finite_differences_of_own_utility() {
        for loss in [Loss::Linear, Loss::Quadratic] {
            slope_matches_finite_differences_under(loss);
        }
    }

    fn slope_matches_finite_differences_under(loss: Loss) {
        let mut w = world(
            &[0.9, 0.2, 0.1, 0.7, 0.4, 0.6],
            &[1.0, 0.5, 0.3, 1.0, 0.8, 0.2],
            &[0.5, 1.0, 2.0],
            2,
        );
        w.loss = loss;
        let parties = [0, 1, 2];
        let weights = [1.0, 2.0, 0.5];
        let d = [0.1, 0.0, 0.05];
        let mut p = NashProblem::new(&w, &parties, &weights, &d, SettlementSpace::CONTINUOUS);
        for (x0, dir) in [
            ([0.5, 0.5], [1.0, 0.0]),
            ([0.3, 0.45], [1.0, -1.0]),
            ([0.8, 0.3], [1.0, -1.0]),
            ([0.35, 0.5], [0.3, 0.7]),
        ] {
            let h = 1e-6;
            p.dir.copy_from_slice(&dir);
            p.prepare_line(&x0);
            // The incremental objective is the one of own_utility.
            for t in [-0.1, 0.0, 0.05] {
                let x = [x0[0] + t * dir[0], x0[1] + t * dir[1]];
                let f = p.value_at(t);
                assert!(
                    (f - p.objective(&x)).abs() < 1e-13,
                    "{f} vs {}",
                    p.objective(&x)
                );
            }
            let g = p.slope_at(0.0).unwrap();
            let at = |t: f64| [x0[0] + t * dir[0], x0[1] + t * dir[1]];
            let fd = (p.objective(&at(h)) - p.objective(&at(-h))) / (2.0 * h);
            assert!((g - fd).abs() < 1e-6 * (1.0 + fd.abs()), "{g} vs {fd}");
        }
    }

    #[test]
    fn newton_gradient_and_hessian_match_finite_differences_under_quadratic_loss() {
        let mut w = world(
            &[0.9, 0.2, 0.1, 0.7, 0.4, 0.6],
            &[1.0, 0.5, 0.3, 1.0, 0.8, 0.2],
            &[0.5, 1.0, 2.0],
            2,
        );
        w.loss = Loss::Quadratic;
        let parties = [0, 1, 2];
        let weights = [1.0, 2.0, 0.5];
        let d = [0.1, 0.0, 0.05];
        let mut p = NashProblem::new(&w, &parties, &weights, &d, SettlementSpace::CONTINUOUS);
        let x = [0.45, 0.55];
        assert!(p.newton_direction(&x));
        assert_eq!(p.free, [0, 1]);
        let f = |x0: f64, x1: f64| p.objective(&[x0, x1]);
        let h = 1e-5;
        let g0 = (f(x[0] + h, x[1]) - f(x[0] - h, x[1])) / (2.0 * h);
        let g1 = (f(x[0], x[1] + h) - f(x[0], x[1] - h)) / (2.0 * h);
        let h00 = (f(x[0] + h, x[1]) - 2.0 * f(x[0], x[1]) + f(x[0] - h, x[1])) / (h * h);
        let h11 = (f(x[0], x[1] + h) - 2.0 * f(x[0], x[1]) + f(x[0], x[1] - h)) / (h * h);
        let h01 = (f(x[0] + h, x[1] + h) - f(x[0] + h, x[1] - h) - f(x[0] - h, x[1] + h)
            + f(x[0] - h, x[1] - h))
            / (4.0 * h * h);
        for (got, want) in [
            (p.grad[0], g0),
            (p.grad[1], g1),
            (p.hess[0], h00),
            (p.hess[3], h11),
            (p.hess[1], h01),
            (p.hess[2], h01),
        ] {
            assert!(
                (got - want).abs() < 1e-4 * (1.0 + want.abs()),
                "{got} vs {want}"
            );
        }
    }
}
