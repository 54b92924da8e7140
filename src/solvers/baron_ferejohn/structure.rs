//! One candidate equilibrium *structure* of the quota game: which players share a price, in
//! which order the proposers buy them, solved exactly and checked (see the parent module docs).

/// Tolerance of the equilibrium checks on inclusion probabilities (dimensionless).
const TOL: f64 = 1e-9;

/// The game, with recognition probabilities already normalised.
pub(super) struct Game {
    pub(super) p: Vec<f64>,
    pub(super) delta: Vec<f64>,
    pub(super) quota: usize,
    /// Players whose price is 0 whatever happens (p_i = 0 or δ_i = 0), in index order.
    pub(super) free: Vec<usize>,
}

/// A signal that a member of a price group does not belong there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signal {
    /// It is bought more than its value equation allows: it should be dearer.
    Up(usize),
    /// It cannot be bought as often as its value equation needs: it should be cheaper.
    Down(usize),
}

/// The solution of one structure and what is wrong with it.
pub(super) struct Analysis {
    /// Whether every equilibrium condition holds.
    pub(super) ok: bool,
    /// The common price λ of each group (`None` if the linear system is singular).
    pub(super) price: Option<Vec<f64>>,
    /// Members that belong elsewhere.
    pub(super) signals: Vec<Signal>,
    /// Inclusion probabilities π[k·n + j], filled only when asked for and `ok`.
    pub(super) inclusion: Vec<f64>,
}

impl Game {
    /// How many of proposer k's q − 1 partners come from the free group and from each price
    /// group (`groups` in ascending price order): the cheapest first.
    fn slots(&self, groups: &[Vec<usize>], k: usize, out: &mut Vec<usize>) -> usize {
        let mut need = self.quota - 1;
        let free = self.free.iter().filter(|&&j| j != k).count().min(need);
        need -= free;
        out.clear();
        for g in groups {
            let take = g.iter().filter(|&&j| j != k).count().min(need);
            out.push(take);
            need -= take;
        }
        free
    }

    /// Solves and checks the structure `groups` (price groups of the non-free players, in
    /// ascending price order) with discount factors t·δ (parent module docs).
    pub(super) fn analyse(
        &self,
        groups: &[Vec<usize>],
        t: f64,
        hint: Option<&[f64]>,
        want_inclusion: bool,
    ) -> Analysis {
        let n = self.p.len();
        let g = groups.len();
        let mut slots = vec![0usize; n * g];
        let mut row = Vec::with_capacity(g);
        let mut free_slots = vec![0usize; n];
        for k in 0..n {
            free_slots[k] = self.slots(groups, k, &mut row);
            slots[k * g..(k + 1) * g].copy_from_slice(&row);
        }
        let d = |i: usize| t * self.delta[i];

        // λ_a [Σ_{i∈G_a} 1/δ_i − Σ_k p_k n_ka] + Σ_{i∈G_a} p_i Σ_b n_ib λ_b = Σ_{i∈G_a} p_i
        let mut a = vec![0.0; g * g];
        let mut b = vec![0.0; g];
        for (ga, members) in groups.iter().enumerate() {
            let mut diag: f64 = members.iter().map(|&i| 1.0 / d(i)).sum();
            for k in 0..n {
                diag -= self.p[k] * slots[k * g + ga] as f64;
            }
            a[ga * g + ga] += diag;
            for &i in members {
                b[ga] += self.p[i];
                for gb in 0..g {
                    a[ga * g + gb] += self.p[i] * slots[i * g + gb] as f64;
                }
            }
        }
        // Column scale: the given guess of each price, else t δ_i p_i averaged over the group.
        let guess: Vec<f64> = (0..g)
            .map(|ga| match hint.map(|h| h[ga]) {
                Some(h) if h > 0.0 && h.is_finite() => h,
                _ => {
                    let m = &groups[ga];
                    m.iter().map(|&i| d(i) * self.p[i]).sum::<f64>() / m.len() as f64
                }
            })
            .collect();
        let Some(lam) = solve_scaled(&mut a, &mut b, g, &guess) else {
            return Analysis {
                ok: false,
                price: None,
                signals: Vec::new(),
                inclusion: Vec::new(),
            };
        };
        let scale = lam
            .iter()
            .copied()
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE);
        let mut ok = lam.iter().all(|&l| l > 0.0);

        // Every proposer buys no group dearer than a group it leaves (partly) unbought.
        for k in 0..n {
            let (mut used, mut left) = (f64::NEG_INFINITY, f64::INFINITY);
            for (ga, members) in groups.iter().enumerate() {
                let s = slots[k * g + ga];
                if s > 0 {
                    used = used.max(lam[ga]);
                }
                if s < members.iter().filter(|&&j| j != k).count() {
                    left = left.min(lam[ga]);
                }
            }
            if used > left + TOL * scale {
                ok = false;
            }
        }

        let mut signals = Vec::new();
        let mut inclusion = if want_inclusion {
            vec![0.0; n * n]
        } else {
            Vec::new()
        };
        if want_inclusion {
            for k in 0..n {
                let mut left = free_slots[k];
                for &j in &self.free {
                    if j != k && left > 0 {
                        inclusion[k * n + j] = 1.0;
                        left -= 1;
                    }
                }
            }
        }
        for (ga, members) in groups.iter().enumerate() {
            let l = lam[ga];
            let avail = |k: usize| members.iter().filter(|&&j| j != k).count();
            let full = |k: usize| slots[k * g + ga] > 0 && slots[k * g + ga] == avail(k);
            let marginal = |k: usize| slots[k * g + ga] > 0 && slots[k * g + ga] < avail(k);
            if want_inclusion {
                for k in (0..n).filter(|&k| full(k)) {
                    for &j in members.iter().filter(|&&j| j != k) {
                        inclusion[k * n + j] = 1.0;
                    }
                }
            }
            if members.len() == 1 || l <= 0.0 {
                continue;
            }
            // Required inclusion ρ_i = 1/δ_i − p_i (1 − S_i)/λ, less what full proposers give.
            let mut resid = Vec::with_capacity(members.len());
            for &i in members {
                let s_i: f64 = (0..g).map(|gb| slots[i * g + gb] as f64 * lam[gb]).sum();
                let rho = 1.0 / d(i) - self.p[i] * (1.0 - s_i) / l;
                let given: f64 = (0..n)
                    .filter(|&k| k != i && full(k))
                    .map(|k| self.p[k])
                    .sum();
                let r = rho - given;
                if r < -TOL {
                    ok = false;
                    signals.push(Signal::Up(i));
                }
                resid.push(r.max(0.0));
            }
            let buyers: Vec<usize> = (0..n).filter(|&k| marginal(k) && self.p[k] > 0.0).collect();
            let supply: Vec<f64> = buyers
                .iter()
                .map(|&k| self.p[k] * slots[k * g + ga] as f64)
                .collect();
            let flow = transport(&buyers, &supply, members, &resid, &self.p);
            let sent: f64 = flow.iter().sum();
            let total: f64 = supply.iter().sum();
            let demand: f64 = resid.iter().sum();
            if (sent - total).abs() > TOL || (demand - total).abs() > TOL {
                ok = false;
                for (m, &j) in members.iter().enumerate() {
                    let got: f64 = (0..buyers.len()).map(|b| flow[b * members.len() + m]).sum();
                    if got < resid[m] - TOL && !signals.contains(&Signal::Up(j)) {
                        signals.push(Signal::Down(j));
                    }
                }
            }
            if want_inclusion {
                for (bi, &k) in buyers.iter().enumerate() {
                    for (m, &j) in members.iter().enumerate() {
                        if j != k {
                            let pi = flow[bi * members.len() + m] / self.p[k];
                            inclusion[k * n + j] = pi.clamp(0.0, 1.0);
                        }
                    }
                }
                // A proposer who is never recognised may mix any way: by index.
                for k in (0..n).filter(|&k| marginal(k) && self.p[k] == 0.0) {
                    let mut left = slots[k * g + ga];
                    for &j in members {
                        if j != k && left > 0 {
                            inclusion[k * n + j] = 1.0;
                            left -= 1;
                        }
                    }
                }
            }
        }
        Analysis {
            ok,
            price: Some(lam),
            signals,
            inclusion,
        }
    }
}

/// Solves A λ = b (g × g, row-major) by Gaussian elimination with partial pivoting, after scaling
/// each column by `guess` (a guess of λ, used where positive) and then each row by its largest
/// entry, so that tiny and large prices come out with the same relative accuracy (a price of
/// 1e-18 next to prices of 0.4). `None` if singular.
fn solve_scaled(a: &mut [f64], b: &mut [f64], g: usize, guess: &[f64]) -> Option<Vec<f64>> {
    let scale: Vec<f64> = guess
        .iter()
        .map(|&h| if h > 0.0 && h.is_finite() { h } else { 1.0 })
        .collect();
    for r in 0..g {
        for c in 0..g {
            a[r * g + c] *= scale[c];
        }
        let big = (0..g)
            .map(|c| a[r * g + c].abs())
            .fold(b[r].abs(), f64::max);
        if big > 0.0 && big.is_finite() {
            for c in 0..g {
                a[r * g + c] /= big;
            }
            b[r] /= big;
        }
    }
    for col in 0..g {
        let piv = (col..g)
            .max_by(|&x, &y| a[x * g + col].abs().total_cmp(&a[y * g + col].abs()))
            .unwrap_or(col);
        if a[piv * g + col].abs() < 1e-300 || !a[piv * g + col].is_finite() {
            return None;
        }
        if piv != col {
            for c in 0..g {
                a.swap(piv * g + c, col * g + c);
            }
            b.swap(piv, col);
        }
        for r in col + 1..g {
            let f = a[r * g + col] / a[col * g + col];
            if f != 0.0 {
                for c in col..g {
                    a[r * g + c] -= f * a[col * g + c];
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; g];
    for r in (0..g).rev() {
        let mut s = b[r];
        for c in r + 1..g {
            s -= a[r * g + c] * x[c];
        }
        x[r] = s / a[r * g + r];
    }
    Some(x.iter().zip(&scale).map(|(m, s)| m * s).collect())
}

/// Maximum flow from the buyers (supply p_k × slots) to the group members (demand `resid`), with
/// at most p_k from buyer k to each other member (Edmonds–Karp on the small dense graph).
/// Returns the flow buyer × member, row-major.
fn transport(
    buyers: &[usize],
    supply: &[f64],
    members: &[usize],
    resid: &[f64],
    p: &[f64],
) -> Vec<f64> {
    let (nb, nm) = (buyers.len(), members.len());
    let nodes = 2 + nb + nm;
    let (src, sink) = (0, 1);
    let mut cap = vec![0.0; nodes * nodes];
    for (bi, &k) in buyers.iter().enumerate() {
        cap[src * nodes + 2 + bi] = supply[bi];
        for (m, &j) in members.iter().enumerate() {
            if j != k {
                cap[(2 + bi) * nodes + 2 + nb + m] = p[k];
            }
        }
    }
    for m in 0..nm {
        cap[(2 + nb + m) * nodes + sink] = resid[m];
    }
    let mut flow = vec![0.0; nodes * nodes];
    let mut parent = vec![usize::MAX; nodes];
    let mut queue = Vec::with_capacity(nodes);
    loop {
        parent.fill(usize::MAX);
        parent[src] = src;
        queue.clear();
        queue.push(src);
        let mut head = 0;
        while head < queue.len() && parent[sink] == usize::MAX {
            let u = queue[head];
            head += 1;
            for v in 0..nodes {
                if parent[v] == usize::MAX && cap[u * nodes + v] - flow[u * nodes + v] > 1e-15 {
                    parent[v] = u;
                    queue.push(v);
                }
            }
        }
        if parent[sink] == usize::MAX {
            break;
        }
        let mut push = f64::INFINITY;
        let mut v = sink;
        while v != src {
            let u = parent[v];
            push = push.min(cap[u * nodes + v] - flow[u * nodes + v]);
            v = u;
        }
        let mut v = sink;
        while v != src {
            let u = parent[v];
            flow[u * nodes + v] += push;
            flow[v * nodes + u] -= push;
            v = u;
        }
    }
    let mut out = vec![0.0; nb * nm];
    for bi in 0..nb {
        for m in 0..nm {
            out[bi * nm + m] = flow[(2 + bi) * nodes + 2 + nb + m].max(0.0);
        }
    }
    out
}
