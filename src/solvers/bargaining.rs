//! Outcome analytics: the Pareto frontier of the principals' utilities over the settlement
//! space, and the classic bargaining solutions on it.
//!
//! # The frontier
//!
//! A settlement x is Pareto optimal when no settlement gives every principal at least as much
//! and one more. The principals' own utilities ([`crate::model::own_utility`]) are
//! u_i(x) = (1 − d_i(x))^(a_i) with the additive distance d_i(x) = Σ_j s_ij |x_j − p_ij| / D_i
//! (D_i = Σ_j s_ij max(p_ij, 1 − p_ij)), so u_i is a decreasing function of its loss
//! L_i(x) = Σ_j s_ij |x_j − p_ij| alone, and the loss vector of a settlement is a sum of one
//! term per issue. Under quadratic loss L_i(x) = Σ_j s_ij (x_j − p_ij)² and
//! D_i = Σ_j s_ij max(p_ij, 1 − p_ij)²: still one term per issue, so the same programme finds the
//! frontier. The Pareto set of such a sum is found issue by issue, as in the dynamic
//! programme of multi-objective knapsack problems (Klamroth & Wiecek 2000; the "Pareto
//! dynamic programming" of Villarreal & Karwan 1981): after each issue only the partial
//! settlements whose loss vectors no other partial settlement weakly beats are kept, because a
//! beaten partial settlement stays beaten whatever the remaining issues add. On a divisible pie
//! the share a partial settlement has used is one more coordinate to keep small (less used
//! leaves more for the remaining shares), and completions over the pie are dropped.
//!
//! - **Optioned issues** take only their option points, so the frontier over them is **exact**
//!   (every Pareto-optimal utility vector, each with one settlement reaching it).
//! - **Continuous issues** are approximated: an issue the principals care about takes the grid
//!   of `grid` + 1 evenly spaced points between the lowest and the highest of the ideal points of
//!   the principals who care (from 0 on a pie issue), plus those ideal points themselves; an issue
//!   none of them cares about stays at the status quo (at 0 on a pie issue). Outside that range
//!   every principal who cares is worse off (and a pie share larger), so no Pareto point is lost
//!   there. Every settlement x in the space is within h_j/2 of a grid point on a continuous issue
//!   j (h_j the grid step; within h_j on a pie issue, rounding down so the pie still fits), so
//!   some frontier point f has, for every principal,
//!
//!   ```text
//!   d_i(f) ≤ d_i(x) + δ_i,   δ_i = Σ_{j continuous} s_ij e_j / D_i,   e_j = h_j/2 (h_j on the pie)
//!   u_i(f) ≥ u_i(x) − ε_i,   ε_i = a_i δ_i if a_i ≥ 1,  δ_i^(a_i) if a_i < 1
//!   ```
//!
//!   Under quadratic loss an issue's term moves by |(f_j − p_ij)² − (x_j − p_ij)²| =
//!   |f_j − x_j| · |f_j + x_j − 2 p_ij| ≤ e_j · 2 R_ij with R_ij = max(p_ij, 1 − p_ij) (both points
//!   lie in [0, 1], each within R_ij of p_ij), so there δ_i = Σ_j s_ij · 2 R_ij e_j / D_i with the
//!   quadratic D_i; ε_i follows from δ_i as above.
//!
//!   (u = (1 − d)^a has slope at most a when a ≥ 1, and is a-Hölder with constant 1 when a < 1).
//!   The frontier is inside the true one (each of its points is a real settlement); ε is how
//!   far the true frontier may reach beyond it. [`Frontier::error`] gives ε per principal.
//! - **Thinning**: if more than `max_points` partial settlements survive an issue (many
//!   principals, many options), the survivors are binned into boxes of side η in the normalised
//!   distances (and the pie share), one per box is kept (the one using the least pie, then the
//!   first), η doubling from 10⁻⁴ until few enough remain. Each thinning adds η to every δ_i,
//!   and the frontier is no longer exact.
//!
//! # The bargaining solutions
//!
//! Over a frontier and a disagreement point d (what failed talks are worth to each principal),
//! the **mutually acceptable** points are those with u_i ≥ d_i for every principal. Each
//! principal's **ideal** I_i is its best utility among them (the utopia point of Kalai &
//! Smorodinsky 1975). Every solution is chosen among the mutually acceptable frontier points:
//!
//! | point | maximises | source |
//! |---|---|---|
//! | Nash bargaining | Π_i (u_i − d_i), over points with every u_i > d_i | Nash (1950) |
//! | Kalai–Smorodinsky | min_i (u_i − d_i)/(I_i − d_i): equal shares of each one's maximal gain | Kalai & Smorodinsky (1975) |
//! | egalitarian | min_i (u_i − d_i): the largest smallest gain | Kalai (1977) |
//! | maximum welfare | Σ_i u_i (utilitarian) | Harsanyi (1955) |
//!
//! The egalitarian point is *not* called "Kalai" here (NegMAS's `kalai_points` is the
//! egalitarian point); Kalai–Smorodinsky normalises each gain by the principal's ideal gain,
//! the egalitarian point does not. Principals whose ideal gain is zero (I_i = d_i) are left out
//! of the Kalai–Smorodinsky minimum.
//!
//! **Ties** (criteria within 10⁻¹² of each other, relative) go to the point with the larger
//! smallest gain, then the larger sum of gains, then the first point in frontier order (the
//! order of [`Frontier`]: by the first principal's utility, highest first, then the next).
//!
//! **Opposition level** (NegMAS `opposition_level`): the smallest Euclidean distance, over the
//! mutually acceptable points, of (u_1/U_1, …, u_n/U_n) from (1, …, 1), with U_i the
//! principal's best utility anywhere in the space: 0 when one settlement gives everyone its best,
//! √n at most.
//!
//! If no frontier point is mutually acceptable there is no bargaining solution and no
//! opposition level (every field is `None`); if none gives every principal strictly more than
//! its disagreement utility, there is no Nash point.
//!
//! # Normalised utility space
//!
//! Settlements are judged in the space of normalised gains g_i = (u_i − d_i)/(I_i − d_i) (0 at
//! disagreement, 1 at the principal's ideal; g_i = 0 for a principal whose ideal gain is zero),
//! where the Kalai–Smorodinsky point lies on the diagonal. A distance there is the Euclidean
//! distance divided by √n, so that the disagreement point is at distance 1 from the ideal:
//! [`Bargaining::distance`], [`Bargaining::frontier_distance`] (to the nearest frontier point,
//! as NegMAS's `pareto` distance of an outcome).
//!
//! # Judging runs
//!
//! A batch judges every run's settlement by [`Judgement`]: its distance from the frontier
//! (efficiency: 0 on the frontier) and from the Nash and Kalai–Smorodinsky points (fairness, by
//! the two classic standards), in the normalised gains above. The reference is the analysis at
//! the scenario's **central values**, worked out once per batch ([`Referee`]), and a settlement
//! is priced by the principals' utilities in that central world, whatever the run drew.
//!
//! Why not each run's own drawn world, which is the honest reference when the uncertain numbers
//! touch the principals' preferences (positions, saliences, risk exponents, and the status quo
//! or reservation utilities that make the disagreement point)? Because a frontier costs far more
//! than a run: at the default resolution, 90 ms for the Nagorno-Karabakh scenario (8 issues, two
//! of them continuous) and 0.5 s for a six-party scenario, against 20 to 40 µs for a run; even
//! on a 20-step grid the frontier of the six-party scenario takes the same 0.5 s (its thinning
//! dominates). Per-run frontiers would make a batch of 200,000 runs last hours instead of
//! seconds. So runs are judged against the central analysis, and [`Referee::preferences_uncertain`]
//! says when that differs from the run's own world: a distance then measures where the settlement
//! lies for the principals as the scenario centrally describes them, not as the run drew them.
//! The nearest frontier point is found by a pruned search (the same minimum as a scan), so judging
//! costs a few microseconds a run (a run itself takes tens).
//!
//! - **Against the computed frontier**: the frontier distance is measured from the frontier as
//!   worked out, which the true one may exceed by [`Frontier::error`]; on a thinned frontier a
//!   truly Pareto-optimal settlement can show a small positive distance, to be read as "on the
//!   frontier, as far as can be told" when it is below that error.
//! - **Every outcome kind is judged** at its settlement: an agreement at the agreed point, a
//!   deadlock at the status quo it leaves (as limited wars changed it), a conflict at the
//!   settlement force imposed. War costs are not counted: the distances say where the
//!   settlement lies in the settlement space's utility image, and the costs of war are in the
//!   run's utilities. A deadlock at an unchanged status quo under `disagreement: StatusQuo` is at
//!   the disagreement point: every normalised gain is 0.
//! - **Nothing is judged** when there is no reference ([`Referee::new`] gives `None`): a scenario
//!   without principals, without a mutually acceptable frontier point, or whose principals all
//!   have an ideal gain of 0; and a scenario of more than [`MAX_JUDGED_PAIRS`] (48) principal ×
//!   issue pairs, whose frontier costs too much for a batch. The size rule is a budget: the
//!   six-principal, eight-issue benchmark (48 pairs, optioned issues) takes 0.5 s; random
//!   scenarios of 48 pairs with continuous issues took 0.9 s (2 × 24) to 4.5 s (6 × 8), and of
//!   60–64 pairs 1.5 s to 7.6 s; 200 principals on 100 issues do not finish in minutes.
//!   `treaty analyse` still works the analysis out for any size. The Nash distance is missing when there is no Nash point (no
//!   frontier point gives every principal strictly more than its disagreement utility).

use super::mediation::SettlementSpace;
use crate::model::{Loss, Model, Role, SamplePlan, World, own_utility, utility_scale};

/// Grid steps on a continuous issue for the analytics (`treaty analyse` and run reports).
pub const DEFAULT_GRID: usize = 200;
/// Partial settlements kept after an issue before thinning.
pub const DEFAULT_MAX_POINTS: usize = 4_000;

/// How finely the frontier is worked out (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// Grid steps on a continuous issue (at least 1).
    pub grid: usize,
    /// Partial settlements kept after each issue before thinning (at least 1).
    pub max_points: usize,
}

impl Default for Resolution {
    fn default() -> Self {
        Resolution {
            grid: DEFAULT_GRID,
            max_points: DEFAULT_MAX_POINTS,
        }
    }
}

/// The Pareto frontier of some parties' own utilities (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// The parties (actor indices), in the order of each point's utilities.
    pub parties: Vec<usize>,
    /// Issues per settlement.
    pub n_issues: usize,
    /// Per point, one utility per party (row-major).
    pub utilities: Vec<f64>,
    /// Per point, the settlement reaching it (row-major).
    pub settlements: Vec<f64>,
    /// Per party, how far the true frontier may lie beyond this one in its utility (0 if exact).
    pub error: Vec<f64>,
    /// Whether every Pareto-optimal utility vector is here (no grid, no thinning).
    pub exact: bool,
}

impl Frontier {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.utilities.len() / self.parties.len().max(1)
    }

    /// Whether the frontier has no point (it always has one for a non-empty space).
    pub fn is_empty(&self) -> bool {
        self.utilities.is_empty()
    }

    /// The utilities of point `k`.
    pub fn utility(&self, k: usize) -> &[f64] {
        let n = self.parties.len();
        &self.utilities[k * n..(k + 1) * n]
    }

    /// The settlement of point `k`.
    pub fn settlement(&self, k: usize) -> &[f64] {
        let m = self.n_issues;
        &self.settlements[k * m..(k + 1) * m]
    }
}

/// One layer of the dynamic programme: per node its loss vector (and pie share), its parent in
/// the previous layer and the value it gives the issue.
struct Layer {
    parent: Vec<u32>,
    value: Vec<f64>,
}

/// The Pareto frontier of the `parties`' own utilities over `space` (module docs).
///
/// # Panics
///
/// If `parties` is empty.
pub fn pareto_frontier(
    world: &World,
    parties: &[usize],
    space: &SettlementSpace<'_>,
    resolution: Resolution,
) -> Frontier {
    assert!(!parties.is_empty(), "a frontier needs at least one party");
    let n = parties.len();
    let m = world.n_issues;
    let grid = resolution.grid.max(1);
    let max_points = resolution.max_points.max(1);
    let quadratic = world.loss == Loss::Quadratic;
    let scale: Vec<f64> = parties
        .iter()
        .map(|&a| {
            if quadratic {
                return utility_scale(world, a);
            }
            (0..m)
                .map(|j| {
                    let p = world.position(a, j);
                    world.salience(a, j) * p.max(1.0 - p)
                })
                .sum()
        })
        .collect();
    let last_pie = (0..m).rev().find(|&j| space.in_pie(j));
    // Normalised distance error per party (δ_i of the module docs).
    let mut delta = vec![0.0; n];
    let mut exact = true;

    // Current nodes: loss vectors (n each) and pie shares.
    let mut loss: Vec<f64> = vec![0.0; n];
    let mut pie_used: Vec<f64> = vec![0.0];
    let mut layers: Vec<Layer> = Vec::with_capacity(m);

    let mut cands: Vec<f64> = Vec::new();
    let mut next_loss: Vec<f64> = Vec::new();
    let mut next_pie: Vec<f64> = Vec::new();
    let mut next_parent: Vec<u32> = Vec::new();
    let mut next_value: Vec<f64> = Vec::new();
    for j in 0..m {
        let in_pie = space.in_pie(j);
        let step = candidates(world, parties, space, j, grid, &mut cands);
        if step > 0.0 {
            exact = false;
            let e = if in_pie { step } else { 0.5 * step };
            for (i, &a) in parties.iter().enumerate() {
                if scale[i] > 0.0 {
                    // Quadratic loss: |(f − p)² − (x − p)²| = |f − x| · |f + x − 2p| ≤ e · 2R.
                    let cost = if quadratic {
                        let p = world.position(a, j);
                        e * 2.0 * p.max(1.0 - p)
                    } else {
                        e
                    };
                    delta[i] += world.salience(a, j) * cost / scale[i];
                }
            }
        }
        next_loss.clear();
        next_pie.clear();
        next_parent.clear();
        next_value.clear();
        let count = pie_used.len();
        for k in 0..count {
            for &c in &cands {
                let used = if in_pie { pie_used[k] + c } else { pie_used[k] };
                if used > 1.0 + 1e-12 {
                    continue;
                }
                for (i, &a) in parties.iter().enumerate() {
                    let s = world.salience(a, j);
                    let add = if s <= 0.0 {
                        0.0
                    } else if quadratic {
                        let diff = c - world.position(a, j);
                        s * diff * diff
                    } else {
                        s * (c - world.position(a, j)).abs()
                    };
                    next_loss.push(loss[k * n + i] + add);
                }
                next_pie.push(used);
                next_parent.push(k as u32);
                next_value.push(c);
            }
        }
        let with_pie = last_pie.is_some_and(|l| j < l);
        let keys = Keys {
            n,
            loss: &next_loss,
            pie: with_pie.then_some(next_pie.as_slice()),
        };
        let mut kept: Vec<usize> = (0..keys.count()).collect();
        if keys.dim() > 2 && kept.len() > 4 * max_points {
            // Many keys and many nodes: box them first, so the pairwise check stays affordable.
            let eta = thin(&keys, &scale, &mut kept, max_points);
            exact = false;
            for d in &mut delta {
                *d += eta;
            }
        }
        let mut kept = pareto_minimal(&keys, kept);
        if kept.len() > max_points {
            let eta = thin(&keys, &scale, &mut kept, max_points);
            exact = false;
            for d in &mut delta {
                *d += eta;
            }
        }
        loss = kept
            .iter()
            .flat_map(|&k| next_loss[k * n..(k + 1) * n].iter().copied())
            .collect();
        pie_used = kept.iter().map(|&k| next_pie[k]).collect();
        layers.push(Layer {
            parent: kept.iter().map(|&k| next_parent[k]).collect(),
            value: kept.iter().map(|&k| next_value[k]).collect(),
        });
    }

    // The settlements of the final nodes, their utilities by the model's own function, and
    // the points no other beats.
    let count = pie_used.len();
    let mut settlements = vec![0.0; count * m];
    for k in 0..count {
        let mut node = k;
        for j in (0..m).rev() {
            settlements[k * m + j] = layers[j].value[node];
            node = layers[j].parent[node] as usize;
        }
    }
    let mut utilities = Vec::with_capacity(count * n);
    for k in 0..count {
        let x = &settlements[k * m..(k + 1) * m];
        for &a in parties {
            utilities.push(own_utility(world, a, x));
        }
    }
    // Maximal in utility = minimal in negated utility.
    let negated: Vec<f64> = utilities.iter().map(|u| -u).collect();
    let keep = pareto_minimal(
        &Keys {
            n,
            loss: &negated,
            pie: None,
        },
        (0..count).collect(),
    );
    let error = parties
        .iter()
        .zip(&delta)
        .map(|(&a, &d)| {
            let r = world.risk[a];
            let e = if d <= 0.0 {
                0.0
            } else if r >= 1.0 {
                r * d
            } else {
                d.powf(r)
            };
            e.min(1.0)
        })
        .collect();
    Frontier {
        parties: parties.to_vec(),
        n_issues: m,
        utilities: keep
            .iter()
            .flat_map(|&k| utilities[k * n..(k + 1) * n].iter().copied())
            .collect(),
        settlements: keep
            .iter()
            .flat_map(|&k| settlements[k * m..(k + 1) * m].iter().copied())
            .collect(),
        error,
        exact,
    }
}

/// The candidate values of issue `j` (module docs) into `out`, sorted; returns the grid step
/// (0 when the candidates are exact: options, or a single point).
fn candidates(
    world: &World,
    parties: &[usize],
    space: &SettlementSpace<'_>,
    j: usize,
    grid: usize,
    out: &mut Vec<f64>,
) -> f64 {
    out.clear();
    let opts = space.options_of(j);
    if !opts.is_empty() {
        out.extend_from_slice(opts);
        return 0.0;
    }
    let in_pie = space.in_pie(j);
    let caring: Vec<f64> = parties
        .iter()
        .filter(|&&a| world.salience(a, j) > 0.0)
        .map(|&a| world.position(a, j).clamp(0.0, 1.0))
        .collect();
    if caring.is_empty() {
        out.push(if in_pie {
            0.0
        } else {
            world.status_quo[j].clamp(0.0, 1.0)
        });
        return 0.0;
    }
    let hi = caring.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = if in_pie {
        0.0
    } else {
        caring.iter().copied().fold(f64::INFINITY, f64::min)
    };
    out.extend_from_slice(&caring);
    if hi <= lo {
        out.push(lo);
        out.sort_by(f64::total_cmp);
        out.dedup();
        return 0.0;
    }
    let h = (hi - lo) / grid as f64;
    for k in 0..=grid {
        out.push(if k == grid { hi } else { lo + h * k as f64 });
    }
    out.sort_by(f64::total_cmp);
    out.dedup();
    h
}

/// Keys to minimise: per node, `n` losses and optionally its pie share.
struct Keys<'a> {
    n: usize,
    loss: &'a [f64],
    pie: Option<&'a [f64]>,
}

impl Keys<'_> {
    fn count(&self) -> usize {
        self.loss.len() / self.n.max(1)
    }

    fn dim(&self) -> usize {
        self.n + usize::from(self.pie.is_some())
    }

    fn get(&self, k: usize, d: usize) -> f64 {
        if d < self.n {
            self.loss[k * self.n + d]
        } else {
            self.pie.map_or(0.0, |p| p[k])
        }
    }

    fn lex(&self, a: usize, b: usize) -> std::cmp::Ordering {
        for d in 0..self.dim() {
            let o = self.get(a, d).total_cmp(&self.get(b, d));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    }
}

/// The nodes of `order` no other of them weakly beats in every key (one of each set of equal
/// key vectors, the first), in lexicographic order of their keys.
fn pareto_minimal(keys: &Keys<'_>, mut order: Vec<usize>) -> Vec<usize> {
    order.sort_by(|&a, &b| keys.lex(a, b));
    let dim = keys.dim();
    let mut kept: Vec<usize> = Vec::new();
    match dim {
        1 => kept.extend(order.first().copied()),
        2 => {
            // Sorted by the first key: a node survives iff its second key beats every earlier.
            let mut best = f64::INFINITY;
            for k in order {
                let v = keys.get(k, 1);
                if v < best {
                    best = v;
                    kept.push(k);
                }
            }
        }
        _ => {
            // Sorted lexicographically, so only an earlier node can beat a later one.
            for k in order {
                let beaten = kept
                    .iter()
                    .any(|&q| (0..dim).all(|d| keys.get(q, d) <= keys.get(k, d)));
                if !beaten {
                    kept.push(k);
                }
            }
        }
    }
    kept
}

/// Thins `kept` to at most `max_points` nodes by boxes of side η in the normalised distances
/// (and the pie share), keeping the node using the least pie in each box (then the first);
/// returns η.
fn thin(keys: &Keys<'_>, scale: &[f64], kept: &mut Vec<usize>, max_points: usize) -> f64 {
    let mut eta = 1e-4;
    loop {
        let cell = |k: usize| -> Vec<i64> {
            (0..keys.dim())
                .map(|d| {
                    let v = if d < keys.n {
                        if scale[d] > 0.0 {
                            keys.get(k, d) / scale[d]
                        } else {
                            0.0
                        }
                    } else {
                        keys.get(k, d)
                    };
                    (v / eta).floor() as i64
                })
                .collect()
        };
        let mut boxes: std::collections::BTreeMap<Vec<i64>, usize> =
            std::collections::BTreeMap::new();
        for &k in kept.iter() {
            let pie = keys.pie.map_or(0.0, |p| p[k]);
            boxes
                .entry(cell(k))
                .and_modify(|q| {
                    if pie < keys.pie.map_or(0.0, |p| p[*q]) {
                        *q = k;
                    }
                })
                .or_insert(k);
        }
        if boxes.len() <= max_points || eta >= 1.0 {
            let mut chosen: Vec<usize> = boxes.into_values().collect();
            chosen.sort_by(|&a, &b| keys.lex(a, b));
            *kept = chosen;
            return eta;
        }
        eta *= 2.0;
    }
}

/// The bargaining solutions on a frontier (module docs), as indices of frontier points.
#[derive(Debug, Clone, PartialEq)]
pub struct Bargaining {
    /// The disagreement utilities, one per party.
    pub disagreement: Vec<f64>,
    /// Each party's best utility over the mutually acceptable points (the ideal point), or its
    /// disagreement utility if there are none.
    pub ideal: Vec<f64>,
    /// Each party's best utility anywhere on the frontier (NegMAS's maximal utility).
    pub best: Vec<f64>,
    /// Whether some frontier point is mutually acceptable.
    pub acceptable: bool,
    /// The Nash bargaining point.
    pub nash: Option<usize>,
    /// The Kalai–Smorodinsky point.
    pub kalai_smorodinsky: Option<usize>,
    /// The egalitarian point.
    pub egalitarian: Option<usize>,
    /// The maximum-welfare point.
    pub max_welfare: Option<usize>,
    /// The opposition level.
    pub opposition: Option<f64>,
}

impl Bargaining {
    /// The normalised gains g_i = (u_i − d_i)/(I_i − d_i) of utilities `u` (module docs).
    pub fn normalised(&self, u: &[f64]) -> Vec<f64> {
        u.iter()
            .zip(&self.disagreement)
            .zip(&self.ideal)
            .map(|((&u, &d), &i)| if i > d { (u - d) / (i - d) } else { 0.0 })
            .collect()
    }

    /// The distance in normalised gains between utility vectors `u` and `v`, divided by √n.
    pub fn distance(&self, u: &[f64], v: &[f64]) -> f64 {
        let n = u.len().max(1) as f64;
        let mut s = 0.0;
        for ((a, b), (&d, &i)) in u
            .iter()
            .zip(v)
            .zip(self.disagreement.iter().zip(&self.ideal))
        {
            if i > d {
                let g = (a - b) / (i - d);
                s += g * g;
            }
        }
        (s / n).sqrt()
    }

    /// The distance of utilities `u` from the nearest point of `frontier` (normalised, as
    /// [`Bargaining::distance`]).
    pub fn frontier_distance(&self, frontier: &Frontier, u: &[f64]) -> f64 {
        (0..frontier.len())
            .map(|k| self.distance(frontier.utility(k), u))
            .fold(f64::INFINITY, f64::min)
    }
}

/// How a settlement with given utilities compares with the frontier and the bargaining
/// points, in the normalised utility space (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// Distance from the nearest frontier point: 0 on the frontier (efficiency).
    pub frontier: f64,
    /// Distance from the Nash bargaining point, if there is one.
    pub nash: Option<f64>,
    /// Distance from the Kalai–Smorodinsky point, if there is one.
    pub kalai_smorodinsky: Option<f64>,
}

impl Analysis {
    /// How a settlement with the principals' utilities `u` compares with this analysis.
    pub fn judge(&self, u: &[f64]) -> Judgement {
        let f = &self.frontier;
        let b = &self.bargaining;
        Judgement {
            frontier: b.frontier_distance(f, u),
            nash: b.nash.map(|k| b.distance(f.utility(k), u)),
            kalai_smorodinsky: b.kalai_smorodinsky.map(|k| b.distance(f.utility(k), u)),
        }
    }
}

/// The bargaining solutions on `frontier` over the disagreement utilities `disagreement` (one
/// per party, in the frontier's party order; module docs).
///
/// # Panics
///
/// If `disagreement` is not one per party.
pub fn bargaining(frontier: &Frontier, disagreement: &[f64]) -> Bargaining {
    let n = frontier.parties.len();
    assert_eq!(disagreement.len(), n, "one disagreement utility per party");
    let count = frontier.len();
    let acceptable: Vec<usize> = (0..count)
        .filter(|&k| {
            frontier
                .utility(k)
                .iter()
                .zip(disagreement)
                .all(|(u, d)| u >= d)
        })
        .collect();
    let mut best = vec![f64::NEG_INFINITY; n];
    for k in 0..count {
        for (b, &u) in best.iter_mut().zip(frontier.utility(k)) {
            *b = b.max(u);
        }
    }
    let mut ideal = disagreement.to_vec();
    for &k in &acceptable {
        for (b, &u) in ideal.iter_mut().zip(frontier.utility(k)) {
            *b = b.max(u);
        }
    }
    let gains = |k: usize| -> (f64, f64) {
        let u = frontier.utility(k);
        let mut min = f64::INFINITY;
        let mut sum = 0.0;
        for (u, d) in u.iter().zip(disagreement) {
            min = min.min(u - d);
            sum += u - d;
        }
        (min, sum)
    };
    let choose = |eligible: &[usize], score: &dyn Fn(usize) -> f64| -> Option<usize> {
        let mut pick: Option<(usize, f64, (f64, f64))> = None;
        for &k in eligible {
            let s = score(k);
            if !s.is_finite() {
                continue;
            }
            let g = gains(k);
            let better = match pick {
                None => true,
                Some((_, ps, pg)) => {
                    let tol = 1e-12 * ps.abs().max(s.abs()).max(1.0);
                    if s > ps + tol {
                        true
                    } else if s < ps - tol {
                        false
                    } else {
                        let tol_g = 1e-12;
                        g.0 > pg.0 + tol_g || ((g.0 - pg.0).abs() <= tol_g && g.1 > pg.1 + tol_g)
                    }
                }
            };
            if better {
                pick = Some((k, s, g));
            }
        }
        pick.map(|p| p.0)
    };
    let strict: Vec<usize> = acceptable
        .iter()
        .copied()
        .filter(|&k| gains(k).0 > 0.0)
        .collect();
    let nash = choose(&strict, &|k| {
        frontier
            .utility(k)
            .iter()
            .zip(disagreement)
            .map(|(u, d)| (u - d).ln())
            .sum()
    });
    let ks = choose(&acceptable, &|k| {
        let mut min = f64::INFINITY;
        for ((u, d), i) in frontier.utility(k).iter().zip(disagreement).zip(&ideal) {
            if i > d {
                min = min.min((u - d) / (i - d));
            }
        }
        if min.is_finite() { min } else { 0.0 }
    });
    let egalitarian = choose(&acceptable, &|k| gains(k).0);
    let welfare = choose(&acceptable, &|k| frontier.utility(k).iter().sum());
    let opposition = acceptable
        .iter()
        .map(|&k| {
            frontier
                .utility(k)
                .iter()
                .zip(&best)
                .map(|(u, b)| {
                    let r = if *b != 0.0 { 1.0 - u / b } else { 1.0 - u };
                    r * r
                })
                .sum::<f64>()
                .sqrt()
        })
        .reduce(f64::min);
    Bargaining {
        disagreement: disagreement.to_vec(),
        ideal,
        best,
        acceptable: !acceptable.is_empty(),
        nash,
        kalai_smorodinsky: ks,
        egalitarian,
        max_welfare: welfare,
        opposition,
    }
}

/// The Kalai–Smorodinsky point over the `parties`' own utilities with disagreement utilities
/// `disagreement`: the frontier point (at `resolution`) with the largest smallest share
/// (u_i − d_i)/(I_i − d_i) of each party's ideal gain, or `None` if no settlement gives every
/// party more than its disagreement utility.
pub fn kalai_smorodinsky_point(
    world: &World,
    parties: &[usize],
    disagreement: &[f64],
    space: &SettlementSpace<'_>,
    resolution: Resolution,
) -> Option<Vec<f64>> {
    if parties.is_empty() {
        return None;
    }
    let frontier = pareto_frontier(world, parties, space, resolution);
    let b = bargaining(&frontier, disagreement);
    let k = b.kalai_smorodinsky?;
    let all_gain = frontier
        .utility(k)
        .iter()
        .zip(disagreement)
        .all(|(u, d)| u > d);
    all_gain.then(|| frontier.settlement(k).to_vec())
}

/// The outcome analytics of a model at one world (module docs): its principals' frontier and
/// bargaining solutions, with the model's disagreement rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The frontier over the principals (in file order).
    pub frontier: Frontier,
    /// The bargaining solutions on it.
    pub bargaining: Bargaining,
}

/// The disagreement utilities of the model's principals in `world`: each one's utility of the
/// status quo (`disagreement: StatusQuo`) or its reservation utility (`Reservation`), the value
/// of failed talks the engine uses when no threat of force is credible.
pub fn disagreement_utilities(model: &Model, world: &World, principals: &[usize]) -> Vec<f64> {
    principals
        .iter()
        .map(|&a| match model.disagreement {
            crate::model::Disagreement::StatusQuo => own_utility(world, a, &world.status_quo),
            crate::model::Disagreement::Reservation => world.reservation[a],
        })
        .collect()
}

/// The model's principals, in file order.
pub fn principals(model: &Model) -> Vec<usize> {
    model
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Principal)
        .map(|(i, _)| i)
        .collect()
}

/// The model's settlement space: its option points and pie.
pub fn option_points(model: &Model) -> Vec<Vec<f64>> {
    model
        .issues
        .iter()
        .map(|issue| issue.options.iter().map(|o| o.at).collect())
        .collect()
}

/// The outcome analytics of `model` at its central values (every uncertain number at its
/// mean, clamped to its domain), or `None` if it has no principal.
pub fn analyse(model: &Model, resolution: Resolution) -> Option<Analysis> {
    let world = SamplePlan::new(model).world();
    analyse_world(model, &world, resolution)
}

/// The outcome analytics of `model` in `world`, or `None` if it has no principal.
pub fn analyse_world(model: &Model, world: &World, resolution: Resolution) -> Option<Analysis> {
    let parties = principals(model);
    if parties.is_empty() {
        return None;
    }
    let options = option_points(model);
    let space = SettlementSpace {
        options: &options,
        pie: &model.pie,
    };
    let frontier = pareto_frontier(world, &parties, &space, resolution);
    let d = disagreement_utilities(model, world, &parties);
    let bargaining = bargaining(&frontier, &d);
    Some(Analysis {
        frontier,
        bargaining,
    })
}

/// The most principal × issue pairs a batch judges (module docs, "Judging runs"): beyond, the
/// frontier takes seconds to minutes, longer than most batches.
pub const MAX_JUDGED_PAIRS: usize = 48;

/// What judges the runs of a batch (module docs, "Judging runs"): the analysis of the model at
/// its central values, worked out once per batch, with the central world whose utilities price
/// every run's settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct Referee {
    /// The central world (every uncertain number at its central value).
    world: World,
    /// The principals, in file order.
    principals: Vec<usize>,
    /// The analysis the runs are judged against.
    analysis: Analysis,
    /// The frontier points in increasing order of the pruning principal's utility.
    order: Vec<usize>,
    /// The principal (position in `principals`) whose utility orders `order`: the first whose
    /// ideal gain is positive.
    lead: usize,
    /// Whether the model's uncertain numbers touch the principals' preferences (so a run's own
    /// world may differ from the central one that judges it).
    preferences_uncertain: bool,
}

impl Referee {
    /// The referee of `model`'s runs at `resolution`, or `None` if there is nothing to judge
    /// against: no principal, no mutually acceptable point, or no principal with a positive
    /// ideal gain (every normalised gain is then 0); or if the model is too large to judge
    /// (more than [`MAX_JUDGED_PAIRS`] principal × issue pairs).
    pub fn new(model: &Model, resolution: Resolution) -> Option<Referee> {
        if principals(model).len() * model.issues.len() > MAX_JUDGED_PAIRS {
            return None;
        }
        let plan = SamplePlan::new(model);
        let world = plan.world();
        let analysis = analyse_world(model, &world, resolution)?;
        let b = &analysis.bargaining;
        if !b.acceptable {
            return None;
        }
        let lead = b
            .ideal
            .iter()
            .zip(&b.disagreement)
            .position(|(i, d)| i > d)?;
        let f = &analysis.frontier;
        let mut order: Vec<usize> = (0..f.len()).collect();
        order.sort_by(|&p, &q| {
            f.utility(p)[lead]
                .total_cmp(&f.utility(q)[lead])
                .then(p.cmp(&q))
        });
        let principals = principals(model);
        let preferences_uncertain = preferences_uncertain(model, &principals);
        Some(Referee {
            world,
            principals,
            analysis,
            order,
            lead,
            preferences_uncertain,
        })
    }

    /// The analysis the runs are judged against.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The central world whose utilities price the settlements.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The principals (actor indices), in file order.
    pub fn principals(&self) -> &[usize] {
        &self.principals
    }

    /// Whether the model's uncertain numbers touch the principals' preferences: their positions,
    /// saliences, risk exponents, and the status quo (under `disagreement: StatusQuo`) or their
    /// reservation utilities (under `Reservation`).
    pub fn preferences_uncertain(&self) -> bool {
        self.preferences_uncertain
    }

    /// The principals' utilities of `settlement` at the central values, into `out`.
    pub fn utilities(&self, settlement: &[f64], out: &mut Vec<f64>) {
        out.clear();
        out.extend(
            self.principals
                .iter()
                .map(|&a| own_utility(&self.world, a, settlement)),
        );
    }

    /// The judgement of `settlement` (module docs, "Judging runs"), with `scratch` as room for
    /// the principals' utilities. The same numbers as [`Analysis::judge`] of its utilities, with
    /// the nearest frontier point found by pruning on one principal's gain instead of a scan.
    pub fn judge(&self, settlement: &[f64], scratch: &mut Vec<f64>) -> Judgement {
        self.utilities(settlement, scratch);
        let u = scratch.as_slice();
        let f = &self.analysis.frontier;
        let b = &self.analysis.bargaining;
        Judgement {
            frontier: self.nearest(u),
            nash: b.nash.map(|k| b.distance(f.utility(k), u)),
            kalai_smorodinsky: b.kalai_smorodinsky.map(|k| b.distance(f.utility(k), u)),
        }
    }

    /// The distance of `u` from the nearest frontier point, exactly as
    /// [`Bargaining::frontier_distance`]: the points are visited outward from `u`'s gain of the
    /// lead principal, and the search stops on each side once that gain alone puts every further
    /// point farther than the nearest found.
    fn nearest(&self, u: &[f64]) -> f64 {
        let f = &self.analysis.frontier;
        let b = &self.analysis.bargaining;
        let lead = self.lead;
        let span = b.ideal[lead] - b.disagreement[lead];
        let n = u.len().max(1) as f64;
        let key = |k: usize| f.utility(self.order[k])[lead];
        let start = self
            .order
            .partition_point(|&p| f.utility(p)[lead] < u[lead]);
        // The squared lead-gain gap of point k: a lower bound of its squared distance × n.
        let gap = |k: usize| {
            let g = (key(k) - u[lead]) / span;
            g * g
        };
        let mut best = f64::INFINITY;
        // A point is skipped once its gap alone exceeds best² · n (d = √(Σ/n) ≥ √(gap/n)),
        // with a margin far above rounding, so the nearest point is never skipped.
        let worth = |g: f64, best: f64| g <= best * best * n * (1.0 + 1e-9);
        let (mut lo, mut hi) = (start, start);
        loop {
            let up = (hi < self.order.len())
                .then(|| gap(hi))
                .filter(|&g| worth(g, best));
            let down = (lo > 0).then(|| gap(lo - 1)).filter(|&g| worth(g, best));
            let k = match (down, up) {
                (None, None) => break,
                (Some(d), Some(g)) if d < g => {
                    lo -= 1;
                    lo
                }
                (Some(_), None) => {
                    lo -= 1;
                    lo
                }
                _ => {
                    hi += 1;
                    hi - 1
                }
            };
            best = best.min(b.distance(f.utility(self.order[k]), u));
        }
        best
    }
}

/// Whether `model`'s uncertain numbers touch the preferences of `principals` (see
/// [`Referee::preferences_uncertain`]).
pub fn preferences_uncertain(model: &Model, principals: &[usize]) -> bool {
    let reference = match model.disagreement {
        crate::model::Disagreement::StatusQuo => {
            model.issues.iter().any(|i| i.status_quo.is_uncertain())
        }
        crate::model::Disagreement::Reservation => principals
            .iter()
            .any(|&a| model.actors[a].reservation.is_uncertain()),
    };
    reference
        || principals.iter().any(|&a| {
            let actor = &model.actors[a];
            actor.risk.is_uncertain()
                || actor
                    .stances
                    .iter()
                    .any(|s| s.position.is_uncertain() || s.salience.is_uncertain())
        })
}
