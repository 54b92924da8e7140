//! The Nash maximisation itself (see the parent module docs for the method).

use super::{SettlementSpace, compromise_point, project_onto_pie};
use crate::model::{World, own_utility};

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
    /// Per party: the normaliser Σ_j s_ij max(p_ij, 1 − p_ij) of its distance.
    norm: Vec<f64>,
    /// Issues some party cares about (the others stay at the status quo).
    movable: Vec<usize>,
    /// Movable continuous pie issues (pairwise trades).
    pie_trades: Vec<usize>,
    /// The shift c of the phase-one problem Σ w ln(u − d + c) (0 for the real problem).
    pub(super) shift: f64,
    /// Scratch: breakpoints of a line.
    breaks: Vec<f64>,
    /// Scratch: the direction of the current line, and its starting point.
    dir: Vec<f64>,
    base: Vec<f64>,
    /// Scratch: the point at the start of a sweep.
    sweep_start: Vec<f64>,
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
            breaks: Vec::with_capacity(m * parties.len() + 3),
            dir: vec![0.0; m],
            base: vec![0.0; m],
            sweep_start: vec![0.0; m],
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

    /// The derivative of the objective along the current direction at `x`, which must not sit
    /// on a kink of the line; `None` outside the domain.
    fn slope(&self, x: &[f64]) -> Option<f64> {
        let w = self.world;
        let m = w.n_issues;
        let mut g = 0.0;
        for (n, &a) in self.parties.iter().enumerate() {
            let z = self.norm[n];
            let pos = &w.position[a * m..(a + 1) * m];
            let sal = &w.salience[a * m..(a + 1) * m];
            let (mut dist, mut dd) = (0.0, 0.0);
            for i in 0..m {
                dist += sal[i] * (x[i] - pos[i]).abs();
                if self.dir[i] != 0.0 {
                    dd += sal[i] * (x[i] - pos[i]).signum() * self.dir[i];
                }
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

    /// Cyclic coordinate ascent from `x` with pairwise trades on the pie and a pattern move
    /// after each sweep (module docs); returns the final objective.
    pub(super) fn ascend(&mut self, x: &mut [f64]) -> f64 {
        let mut f = self.objective(x);
        let movable = std::mem::take(&mut self.movable);
        let trades = std::mem::take(&mut self.pie_trades);
        for _ in 0..MAX_SWEEPS {
            self.sweep_start.copy_from_slice(x);
            for &j in &movable {
                f = if self.space.options_of(j).is_empty() {
                    self.dir.fill(0.0);
                    self.dir[j] = 1.0;
                    self.line_search(x, f)
                } else {
                    self.option_search(x, j, f)
                };
            }
            for (n, &j) in trades.iter().enumerate() {
                for &k in &trades[n + 1..] {
                    self.dir.fill(0.0);
                    (self.dir[j], self.dir[k]) = (1.0, -1.0);
                    f = self.line_search(x, f);
                }
            }
            // Pattern move along the sweep's displacement (continuous issues only).
            let mut moved: f64 = 0.0;
            for (j, (d, (&now, &then))) in self
                .dir
                .iter_mut()
                .zip(x.iter().zip(&self.sweep_start))
                .enumerate()
            {
                let step = now - then;
                moved = moved.max(step.abs());
                *d = if self.space.options_of(j).is_empty() {
                    step
                } else {
                    0.0
                };
            }
            if self.dir.iter().filter(|&&v| v != 0.0).count() > 1 {
                f = self.line_search(x, f);
            }
            if moved <= STEP_TOL {
                break;
            }
        }
        self.movable = movable;
        self.pie_trades = trades;
        f
    }

    /// Sets optioned issue `j` of `x` to its best option within the pie's slack; returns the new
    /// objective.
    fn option_search(&mut self, x: &mut [f64], j: usize, f0: f64) -> f64 {
        let start = x[j];
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
        best_f
    }

    /// x(t) = base + t·dir, clamped to the unit box.
    fn set(&self, x: &mut [f64], t: f64) {
        for (j, &d) in self.dir.iter().enumerate() {
            if d != 0.0 {
                x[j] = (self.base[j] + t * d).clamp(0.0, 1.0);
            }
        }
    }

    /// Moves `x` to the best point of the line x + t·dir within the box and the pie; returns the
    /// new objective (module docs).
    fn line_search(&mut self, x: &mut [f64], f0: f64) -> f64 {
        self.base.copy_from_slice(x);
        // Feasible t: the box, and Σ_pie (x + t dir) ≤ 1.
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for (j, &d) in self.dir.iter().enumerate() {
            if d > 0.0 {
                lo = lo.max(-x[j] / d);
                hi = hi.min((1.0 - x[j]) / d);
            } else if d < 0.0 {
                lo = lo.max((1.0 - x[j]) / d);
                hi = hi.min(-x[j] / d);
            }
        }
        let pie_dir: f64 = self.space.pie.iter().map(|&j| self.dir[j]).sum();
        if pie_dir > 0.0 {
            let used: f64 = self.space.pie.iter().map(|&j| x[j]).sum();
            hi = hi.min((1.0 - used).max(0.0) / pie_dir);
        }
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        if hi - lo <= 0.0 || hi.is_nan() || lo.is_nan() {
            return f0;
        }
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        breaks.extend([lo, 0.0, hi]);
        for &a in self.parties {
            for (j, &d) in self.dir.iter().enumerate() {
                if d != 0.0 && self.world.salience(a, j) > 0.0 {
                    let t = (self.world.position(a, j) - x[j]) / d;
                    if t > lo && t < hi {
                        breaks.push(t);
                    }
                }
            }
        }
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();

        let (mut best_t, mut best_f) = (0.0, f0);
        let mut best_idx = breaks.iter().position(|&t| t == 0.0).unwrap_or(0);
        for (idx, &t) in breaks.iter().enumerate() {
            if t == 0.0 {
                continue;
            }
            self.set(x, t);
            let f = self.objective(x);
            if f > best_f {
                (best_t, best_f, best_idx) = (t, f, idx);
            }
        }
        for rightward in [false, true] {
            if let Some(t) = self.walk(x, &breaks, best_idx, rightward) {
                self.set(x, t);
                let f = self.objective(x);
                // The derivative's root is trusted over the last bits of f (rounding noise).
                if f > f64::NEG_INFINITY && f >= best_f - 64.0 * f64::EPSILON * (1.0 + best_f.abs())
                {
                    (best_t, best_f) = (t, f);
                }
            }
        }
        self.set(x, best_t);
        self.breaks = breaks;
        best_f
    }

    /// From breakpoint `from`, follows the derivative along the line (to the right or to the
    /// left) over every kink it keeps rising through, and returns where it stops rising: the root
    /// of the derivative inside a segment, a kink, or the end of the line. `None` if it does not
    /// rise from `from` in that direction. Walking by the sign of the derivative, not by values
    /// of f, crosses kinks that sit within rounding of each other.
    fn walk(&self, x: &mut [f64], breaks: &[f64], from: usize, rightward: bool) -> Option<f64> {
        let mut i = from;
        let mut first = true;
        loop {
            let (a, b) = if rightward {
                (breaks[i], *breaks.get(i + 1)?)
            } else {
                (*breaks.get(i.checked_sub(1)?)?, breaks[i])
            };
            let inset = (b - a) * 1e-12;
            let mut at = |t: f64| {
                self.set(x, t);
                self.slope(x)
            };
            let (gl, gr) = (at(a + inset), at(b - inset));
            // Does f rise into this segment from the side we come from?
            let rises = if rightward {
                matches!(gl, Some(g) if g > 0.0)
            } else {
                matches!(gr, Some(g) if g < 0.0)
            };
            if !rises {
                return if first { None } else { Some(breaks[i]) };
            }
            // Still rising at the far end: go on to the next segment (or stop at the line's end).
            let through = if rightward {
                matches!(gr, Some(g) if g > 0.0)
            } else {
                matches!(gl, Some(g) if g < 0.0)
            };
            if through {
                let last = if rightward {
                    i + 1 == breaks.len() - 1
                } else {
                    i == 1
                };
                if last {
                    return Some(if rightward { b } else { a });
                }
                i = if rightward { i + 1 } else { i - 1 };
                first = false;
                continue;
            }
            return Some(self.refine(x, a, b, rightward, gl, gr));
        }
    }

    /// The root of the derivative inside the kink-free segment (a, b) of the current line, where
    /// it is positive at `a` (`gl`) and negative or outside the domain at `b` (`gr`): the Illinois
    /// variant of false position, bisecting where one side is outside the domain (on the far
    /// side from the start: `b` if `rightward`, else `a`).
    fn refine(
        &self,
        x: &mut [f64],
        a: f64,
        b: f64,
        rightward: bool,
        mut gl: Option<f64>,
        mut gr: Option<f64>,
    ) -> f64 {
        let mut eval = |t: f64| {
            self.set(x, t);
            self.slope(x)
        };
        let (mut l, mut r) = (a, b);
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
                Some(_) => return t,
            }
            if r - l <= 4.0 * f64::EPSILON * (1.0 + l.abs()) {
                break;
            }
        }
        0.5 * (l + r)
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
        let mut p = NashProblem::new(&w, &parties, &weights, &d, SettlementSpace::CONTINUOUS);
        for (x0, dir) in [
            ([0.5, 0.5], [1.0, 0.0]),
            ([0.3, 0.45], [1.0, -1.0]),
            ([0.8, 0.3], [1.0, -1.0]),
            ([0.35, 0.5], [0.3, 0.7]),
        ] {
            let h = 1e-6;
            p.dir.copy_from_slice(&dir);
            let g = p.slope(&x0).unwrap();
            let at = |t: f64| [x0[0] + t * dir[0], x0[1] + t * dir[1]];
            let fd = (p.objective(&at(h)) - p.objective(&at(-h))) / (2.0 * h);
            assert!((g - fd).abs() < 1e-6 * (1.0 + fd.abs()), "{g} vs {fd}");
        }
    }
}
