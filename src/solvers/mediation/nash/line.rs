//! Line searches of the Nash maximisation: walking a line's kinks by the sign of the derivative
//! and finding the derivative's root between them (see the `mediation` module docs).

use super::NashProblem;
use crate::model::Loss;

impl NashProblem<'_> {
    /// x_j(t) = base_j + t·dir_j, clamped to the unit box.
    pub(super) fn coord(&self, j: usize, t: f64) -> f64 {
        (self.base[j] + t * self.dir[j]).clamp(0.0, 1.0)
    }

    /// Prepares the current line through `x`: its start, the issues it moves and each party's
    /// distance numerator over the others, so that a point of the line costs O(parties × moving
    /// issues) to evaluate.
    pub(super) fn prepare_line(&mut self, x: &[f64]) {
        let w = self.world;
        let m = w.n_issues;
        self.base.copy_from_slice(x);
        self.support.clear();
        self.support.extend((0..m).filter(|&j| self.dir[j] != 0.0));
        for (n, &a) in self.parties.iter().enumerate() {
            let pos = &w.position[a * m..(a + 1) * m];
            let sal = &w.salience[a * m..(a + 1) * m];
            let mut rest = 0.0;
            match w.loss {
                Loss::Linear => {
                    for j in 0..m {
                        if self.dir[j] == 0.0 {
                            rest += sal[j] * (x[j] - pos[j]).abs();
                        }
                    }
                }
                Loss::Quadratic => {
                    for j in 0..m {
                        if self.dir[j] == 0.0 {
                            let diff = x[j] - pos[j];
                            rest += sal[j] * diff * diff;
                        }
                    }
                }
            }
            self.rest[n] = rest;
        }
    }

    /// At x(t) on the current line: the objective Σ w ln(u − d + c) if `!slope`, else its
    /// derivative along the line (t must not sit on a kink); −∞ (objective) or `None` (slope)
    /// outside the domain. u_i is the own utility of [`crate::model::own_utility`],
    /// (1 − N_i(x) / norm_i)^(a_i) with the distance numerator N_i = Σ_j s_ij |x_j − p_ij|
    /// (linear loss) or Σ_j s_ij (x_j − p_ij)² (quadratic loss), evaluated incrementally; its
    /// derivative is −a_i u_i / (1 − d_i(x)) · ∂N_i/∂t / norm_i, with ∂N_i/∂t =
    /// Σ_j s_ij sign(x_j − p_ij) dir_j or Σ_j 2 s_ij (x_j − p_ij) dir_j.
    pub(super) fn at(&self, t: f64, slope: bool) -> Option<f64> {
        match self.world.loss {
            Loss::Linear => self.at_with::<false>(t, slope),
            Loss::Quadratic => self.at_with::<true>(t, slope),
        }
    }

    /// [`Self::at`] for one loss (`SQUARED`: quadratic).
    #[inline(always)]
    fn at_with<const SQUARED: bool>(&self, t: f64, slope: bool) -> Option<f64> {
        let w = self.world;
        let m = w.n_issues;
        let mut acc = 0.0;
        for (n, &a) in self.parties.iter().enumerate() {
            let z = self.norm[n];
            let (mut dist, mut dd) = (self.rest[n], 0.0);
            for &j in &self.support {
                let s = w.salience[a * m + j];
                let diff = self.coord(j, t) - w.position[a * m + j];
                if SQUARED {
                    dist += s * diff * diff;
                    dd += 2.0 * s * diff * self.dir[j];
                } else {
                    dist += s * diff.abs();
                    dd += s * diff.signum() * self.dir[j];
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
            if !slope {
                acc += self.weights[n] * gap.ln();
            } else if dd != 0.0 && z > 0.0 {
                let du = -r * u / closeness.max(f64::MIN_POSITIVE) * dd / z;
                acc += self.weights[n] * du / gap;
            }
        }
        Some(acc)
    }

    pub(super) fn value_at(&self, t: f64) -> f64 {
        self.at(t, false).unwrap_or(f64::NEG_INFINITY)
    }

    pub(super) fn slope_at(&self, t: f64) -> Option<f64> {
        self.at(t, true)
    }

    /// Moves `x` to the best point it finds on the line x + t·dir within the box and the pie
    /// (module docs): from t = 0 it follows the rising derivative over kinks to where it stops
    /// rising.
    pub(super) fn line_search(&mut self, x: &mut [f64]) {
        self.prepare_line(x);
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
            return;
        }
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        breaks.extend([lo, 0.0, hi]);
        // Kinks only where |x_j − p_ij| bends: quadratic loss is smooth along every line.
        let kinked = self.world.loss == Loss::Linear;
        for &a in self.parties.iter().filter(|_| kinked) {
            for &j in &self.support {
                if self.world.salience(a, j) > 0.0 {
                    let t = (self.world.position(a, j) - x[j]) / self.dir[j];
                    if t > lo && t < hi {
                        breaks.push(t);
                    }
                }
            }
        }
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let zero = breaks.iter().position(|&t| t == 0.0).unwrap_or(0);

        let (mut best_t, mut best_f) = (0.0, self.value_at(0.0));
        for rightward in [true, false] {
            if let Some(t) = self.walk(&breaks, zero, rightward) {
                let f = self.value_at(t);
                // The derivative's root is trusted over the last bits of f (rounding noise).
                if f > f64::NEG_INFINITY && f >= best_f - 64.0 * f64::EPSILON * (1.0 + best_f.abs())
                {
                    (best_t, best_f) = (t, f);
                }
            }
        }
        for &j in &self.support {
            x[j] = self.coord(j, best_t);
        }
        self.breaks = breaks;
    }

    /// From breakpoint `from`, follows the derivative along the line (to the right or to the
    /// left) over every kink it keeps rising through, and returns where it stops rising: the root
    /// of the derivative inside a segment, a kink, or the end of the line. `None` if it does not
    /// rise from `from` in that direction. Walking by the sign of the derivative, not by values
    /// of f, crosses kinks that sit within rounding of each other.
    pub(super) fn walk(&self, breaks: &[f64], from: usize, rightward: bool) -> Option<f64> {
        let mut i = from;
        let mut first = true;
        loop {
            let (a, b) = if rightward {
                (breaks[i], *breaks.get(i + 1)?)
            } else {
                (*breaks.get(i.checked_sub(1)?)?, breaks[i])
            };
            let inset = (b - a) * 1e-12;
            let (gl, gr) = (self.slope_at(a + inset), self.slope_at(b - inset));
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
            return Some(self.refine(a, b, rightward, gl, gr));
        }
    }

    /// The root of the derivative inside the kink-free segment (a, b) of the current line, where
    /// it is positive at `a` (`gl`) and negative or outside the domain at `b` (`gr`): the Illinois
    /// variant of false position, bisecting where one side is outside the domain (on the far
    /// side from the start: `b` if `rightward`, else `a`).
    pub(super) fn refine(
        &self,
        a: f64,
        b: f64,
        rightward: bool,
        mut gl: Option<f64>,
        mut gr: Option<f64>,
    ) -> f64 {
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
            match self.slope_at(t) {
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
