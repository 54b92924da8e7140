//! The Newton move of the Nash maximisation (see the `mediation` module docs).

use super::NashProblem;
use crate::model::Loss;

impl NashProblem<'_> {
    /// Sets the current direction to a (regularised) Newton step on the smooth piece of f around
    /// `x`, over the continuous issues that sit neither on a kink nor on the box (module docs).
    /// Within a piece every d_i is linear in x, so with σ_ij = s_ij sign(x_j − p_ij),
    /// G_i = u_i − d_i + c, u' = −(a/norm) u/(1 − d(x)) and u'' = a(a − 1)/norm² · u/(1 − d(x))²:
    ///
    /// ```text
    /// ∂f/∂x_j = Σ_i w_i (u_i'/G_i) σ_ij,   ∂²f/∂x_j∂x_k = Σ_i w_i (u_i''/G_i − (u_i'/G_i)²) σ_ij σ_ik
    /// ```
    ///
    /// Under quadratic loss f is smooth everywhere (no kinks), σ_ij = 2 s_ij (x_j − p_ij) is the
    /// derivative of the distance numerator, and its second derivative 2 s_ij adds
    /// Σ_i w_i (u_i'/G_i) 2 s_ij to the diagonal (a negative term: the Hessian is then of full
    /// rank wherever some party cares about every free issue).
    ///
    /// and the step solves (−H + μI) v = ∇f with μ = 10⁻¹⁰ max diag(−H) (on a full pie, subject to
    /// Σ_pie v = 0): the Hessian has rank at most the number of parties, and the ridge of nearly
    /// parallel σ's is exactly where single issues make no progress. Returns false if there is no
    /// ascent step.
    pub(super) fn newton_direction(&mut self, x: &[f64]) -> bool {
        let w = self.world;
        let m = w.n_issues;
        let quadratic = w.loss == Loss::Quadratic;
        self.free.clear();
        for (j, &xj) in x.iter().enumerate() {
            let on_kink = !quadratic
                && self.parties.iter().any(|&a| {
                    w.salience[a * m + j] > 0.0 && (xj - w.position[a * m + j]).abs() <= 1e-12
                });
            let continuous = self.space.options_of(j).is_empty();
            let cared = self.parties.iter().any(|&a| w.salience[a * m + j] > 0.0);
            if continuous && cared && !on_kink && xj > 1e-12 && xj < 1.0 - 1e-12 {
                self.free.push(j);
            }
        }
        let k = self.free.len();
        if k < 2 {
            return false;
        }
        self.grad.clear();
        self.grad.resize(k, 0.0);
        self.hess.clear();
        self.hess.resize(k * k, 0.0);
        for (n, &a) in self.parties.iter().enumerate() {
            let z = self.norm[n];
            if z == 0.0 {
                continue;
            }
            let pos = &w.position[a * m..(a + 1) * m];
            let sal = &w.salience[a * m..(a + 1) * m];
            let dist: f64 = if quadratic {
                (0..m)
                    .map(|j| sal[j] * (x[j] - pos[j]) * (x[j] - pos[j]))
                    .sum()
            } else {
                (0..m).map(|j| sal[j] * (x[j] - pos[j]).abs()).sum()
            };
            let closeness = (1.0 - (dist / z).min(1.0)).max(f64::MIN_POSITIVE);
            let r = w.risk[a];
            let u = if r == 1.0 {
                closeness
            } else {
                closeness.powf(r)
            };
            let gap = u - self.disagreement[n] + self.shift;
            if gap.is_nan() || gap <= 0.0 {
                return false;
            }
            let up = -r / z * u / closeness;
            let upp = r * (r - 1.0) / (z * z) * u / (closeness * closeness);
            let c1 = self.weights[n] * up / gap;
            let c2 = self.weights[n] * (upp / gap - (up / gap) * (up / gap));
            if quadratic {
                // ∂N/∂x_j = 2 s_j (x_j − p_j), ∂²N/∂x_j² = 2 s_j: a diagonal term besides the
                // outer product.
                for (p, &j) in self.free.iter().enumerate() {
                    self.hess[p * k + p] += c1 * 2.0 * sal[j];
                    let sp = 2.0 * sal[j] * (x[j] - pos[j]);
                    if sp == 0.0 {
                        continue;
                    }
                    self.grad[p] += c1 * sp;
                    for (q, &l) in self.free.iter().enumerate() {
                        self.hess[p * k + q] += c2 * sp * 2.0 * sal[l] * (x[l] - pos[l]);
                    }
                }
                continue;
            }
            for (p, &j) in self.free.iter().enumerate() {
                let sp = sal[j] * (x[j] - pos[j]).signum();
                if sp == 0.0 {
                    continue;
                }
                self.grad[p] += c1 * sp;
                for (q, &l) in self.free.iter().enumerate() {
                    self.hess[p * k + q] += c2 * sp * sal[l] * (x[l] - pos[l]).signum();
                }
            }
        }
        // A = −H + μI. On a full pie, the step stays on its face Σ v = 0 (over the free pie
        // issues): the KKT system [A e; eᵀ 0] [v; λ] = [∇f; 0].
        let big = (0..k).map(|p| -self.hess[p * k + p]).fold(0.0, f64::max);
        if !(big > 0.0 && big.is_finite()) {
            return false;
        }
        let used: f64 = self.space.pie.iter().map(|&j| x[j]).sum();
        let on_face = used >= 1.0 - 1e-12 && self.free.iter().any(|&j| self.space.in_pie(j));
        let size = if on_face { k + 1 } else { k };
        let mut sys = std::mem::take(&mut self.system);
        sys.clear();
        sys.resize(size * size, 0.0);
        let mut rhs = std::mem::take(&mut self.rhs);
        rhs.clear();
        rhs.resize(size, 0.0);
        for p in 0..k {
            for q in 0..k {
                sys[p * size + q] = -self.hess[p * k + q];
            }
            sys[p * size + p] += 1e-10 * big;
            rhs[p] = self.grad[p];
            if on_face && self.space.in_pie(self.free[p]) {
                sys[p * size + k] = 1.0;
                sys[k * size + p] = 1.0;
            }
        }
        let solved = solve_dense(&mut sys, &mut rhs, size);
        let ascent: f64 = (0..k).map(|p| rhs[p] * self.grad[p]).sum();
        let usable = solved && ascent > 0.0 && ascent.is_finite();
        if usable {
            self.dir.fill(0.0);
            for (p, &j) in self.free.iter().enumerate() {
                self.dir[j] = rhs[p];
            }
        }
        self.system = sys;
        self.rhs = rhs;
        usable
    }
}

/// Solves A v = b in place (`b` becomes v) by Gaussian elimination with partial pivoting;
/// false if A is singular.
fn solve_dense(a: &mut [f64], b: &mut [f64], k: usize) -> bool {
    for col in 0..k {
        let piv = (col..k)
            .max_by(|&x, &y| a[x * k + col].abs().total_cmp(&a[y * k + col].abs()))
            .unwrap_or(col);
        if a[piv * k + col].abs() <= 1e-300 || a[piv * k + col].is_nan() {
            return false;
        }
        if piv != col {
            for c in 0..k {
                a.swap(piv * k + c, col * k + c);
            }
            b.swap(piv, col);
        }
        for r in col + 1..k {
            let f = a[r * k + col] / a[col * k + col];
            if f != 0.0 {
                for c in col..k {
                    a[r * k + c] -= f * a[col * k + c];
                }
                b[r] -= f * b[col];
            }
        }
    }
    for r in (0..k).rev() {
        let mut v = b[r];
        for c in r + 1..k {
            v -= a[r * k + c] * b[c];
        }
        b[r] = v / a[r * k + r];
    }
    b.iter().all(|v| v.is_finite())
}
