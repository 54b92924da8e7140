//! Offers: the point that gives the proposer its aspiration, conceding first where it matters
//! least to it and most to the others (logrolling), on options where the issue has options, and
//! inside the pie where issues are shares of one pie.
//!
//! # The offer
//!
//! Proposer i with ideal p_i, saliences s_i, risk exponent a_i and aspiration A may concede the
//! salience-weighted distance (the utility of [`crate::model::own_utility`] inverted)
//!
//! ```text
//! B = (1 − A^(1/a_i)) · Σ_j s_ij max(p_ij, 1 − p_ij)
//! ```
//!
//! Against the other active principals K (weights c_k s_kj: capability × salience), issue j has
//!
//! ```text
//! target  t_j = Σ_k c_k s_kj p_kj / Σ_k c_k s_kj          (the others' weighted ideal)
//! key     κ_j = c_i s_ij / mean_k c_k s_kj                 (what j is worth to i, in power,
//!                                                           relative to what it is worth to them)
//! ```
//!
//! Both weigh the other parties by capability and salience: the proposer concedes toward the
//! power-weighted ideal of the others, and first on the issues where they bring the most weight
//! to bear against its own (so a proposer placates a strong party before a weak one). Against a
//! single opponent on a single issue capability cancels from the offer itself, as it should:
//! bargaining power between two parties comes from their outside options (the threat of force,
//! [`crate::engine::force`]), their patience and who proposes (Rubinstein 1982; Binmore,
//! Rubinstein & Wolinsky 1986), all of which the engine models.
//!
//! The proposer starts at its ideal and walks the issues in increasing κ_j (ties in issue order):
//! on each it moves from p_ij toward t_j, paying s_ij per unit of distance, until the target or the
//! end of the budget B. This is the logrolling rule of the integrative-bargaining literature
//! (trade what you value less for what the other values more; Raiffa 1982, *The Art and Science
//! of Negotiation*; the greedy order is the solution of the linear knapsack with these
//! city-block utilities). Issues no other principal cares about stay at the proposer's ideal, and
//! issues the proposer does not care about (s_ij = 0) go all the way to the target for free. The
//! offer's own utility is exactly A whenever the targets leave room to concede that much, and more
//! otherwise.
//!
//! **Quadratic loss.** Under quadratic loss ([`crate::model::own_utility`]) the proposer may
//! concede the squared distance B = (1 − A^(1/a_i)) · Σ_j s_ij max(p_ij, 1 − p_ij)², and moving
//! δ_j from its ideal on issue j costs s_ij δ_j²: the first steps cost almost nothing, so the
//! greedy walk is no longer the solution of the knapsack it solves under linear loss. The
//! offer solves that same problem with the quadratic cost instead: with W_j = mean_k c_k s_kj
//! (what a unit of concession is worth to the others, the denominator of κ_j; the others'
//! interest in the pie on a valued pie share)
//!
//! ```text
//! maximise Σ_j W_j δ_j   subject to   Σ_j s_ij δ_j² ≤ B,   0 ≤ δ_j ≤ |t_j − p_ij|
//! ```
//!
//! whose solution (the Karush–Kuhn–Tucker conditions of a separable concave programme) is
//! δ_j = min(|t_j − p_ij|, W_j / (2 λ s_ij)) with the price λ ≥ 0 that spends exactly B:
//! concessions spread over every issue in proportion to 1/κ_j instead of exhausting one issue
//! after another. Issues the proposer does not care about still go to the target for free and
//! issues no other principal cares about (W_j = 0) stay at the ideal until everything else is
//! conceded. On optioned issues the steps toward the goal are taken in order while each is worth
//! its price (W_j × its length ≥ λ × its cost); λ is found by bisection, and what the steps leave
//! unspent goes to the continuous issues in the order of the walk, so the offer's own utility is
//! again A whenever the targets leave room.
//!
//! **Issues decided by force** stay at the status quo (a limited war's fait accompli): the
//! distance from the proposer's ideal to it is paid from B first, and the walk leaves them out.
//!
//! **Options.** On an issue with options the walk starts at the option nearest the proposer's
//! ideal (that unavoidable distance is paid from B first, for all optioned issues) and steps from
//! option to option toward the option nearest t_j while the budget pays for the step. So offers
//! never give the proposer less than its aspiration except for the rounding of its own ideal.
//!
//! **The pie.** When issues are shares of one pie (their settlement sums to at most 1), a share
//! is worth something to the others even if they put no salience on it: pie issues the proposer
//! values concede toward 0 in the walk, with key c_i s_ij / mean_k c_k max_{l ∈ pie} s_kl (the
//! others' power-weighted interest in the pie). The shares the proposer does not value are then given the rest of the
//! pie, R = 1 − Σ(shares it values), in proportion to the others' claims Σ_k c_k s_kj p_kj. If the
//! shares it values already exceed the pie they are scaled down to fit. Optioned pie issues are
//! rounded down to an option, so the sum stays within 1.

use crate::model::{Loss, Model, World, utility_scale};

/// Tolerance for budget comparisons (utility units).
const EPS: f64 = 1e-12;

/// Reusable buffers for [`make_offer`], allocated once per run.
///
/// They also cache each proposer's walk (its issue order and targets), which depends only on the
/// world and on who the others are: call [`OfferScratch::invalidate`] whenever either changes.
#[derive(Debug, Clone)]
pub struct OfferScratch {
    m: usize,
    key: Vec<f64>,
    in_pie: Vec<bool>,
    /// Per proposer: whether its walk below is current.
    valid: Vec<bool>,
    /// Per proposer: the issues of its walk, in order (`m` slots each).
    order: Vec<usize>,
    /// Per proposer: how many issues its walk has.
    len: Vec<usize>,
    /// Per proposer and issue: where a concession on the issue goes.
    target: Vec<f64>,
    /// Per proposer and issue: what a unit of concession on it is worth to the others, W_j
    /// (the mean of c_k s_kj, or the others' interest in the pie; 0 where no other cares). Only
    /// quadratic loss uses it.
    benefit: Vec<f64>,
    /// Per proposer: Σ_j s_ij max(p_ij, 1 − p_ij) (squared under quadratic loss).
    scale: Vec<f64>,
    /// Per proposer and optioned issue: the option nearest its ideal, and the one nearest the
    /// target.
    start: Vec<usize>,
    goal: Vec<usize>,
    /// Per proposer: the salience-weighted distance from its ideal to the nearest options.
    rounding: Vec<f64>,
    /// Per proposer: the cost of each step of its walks on optioned issues, issue after issue
    /// (sized once for the longest walks, so preparing a walk never allocates again).
    steps: Vec<Vec<f64>>,
    /// Per proposer and optioned issue: where the issue's steps start in `steps`.
    step_at: Vec<usize>,
}

impl OfferScratch {
    /// Buffers for a model.
    pub fn new(model: &Model) -> Self {
        let m = model.issues.len();
        let n = model.actors.len();
        let mut in_pie = vec![false; m];
        for &j in &model.pie {
            in_pie[j] = true;
        }
        OfferScratch {
            m,
            key: vec![0.0; m],
            in_pie,
            valid: vec![false; n],
            order: vec![0; n * m],
            len: vec![0; n],
            target: vec![0.0; n * m],
            benefit: vec![0.0; n * m],
            scale: vec![0.0; n],
            start: vec![0; n * m],
            goal: vec![0; n * m],
            rounding: vec![0.0; n],
            steps: vec![Vec::new(); n],
            step_at: vec![0; n * m],
        }
    }

    /// Forgets every cached walk (after an event changed the world or the others).
    pub fn invalidate(&mut self) {
        self.valid.fill(false);
    }

    /// Computes proposer `i`'s walk: targets, keys and the order of the issues (module docs).
    fn prepare(
        &mut self,
        model: &Model,
        world: &World,
        i: usize,
        others: &[usize],
        settled: &[bool],
    ) {
        let m = self.m;
        let quadratic = world.loss == Loss::Quadratic;
        let mut scale = 0.0;
        for j in 0..m {
            let p = world.position(i, j);
            scale += world.salience(i, j) * p.max(1.0 - p);
        }
        self.scale[i] = if quadratic {
            utility_scale(world, i)
        } else {
            scale
        };

        // The others' power-weighted interest in the pie as a whole: mean over k of
        // c_k max_{l in pie} s_kl.
        let mut pie_interest = 0.0;
        if !model.pie.is_empty() && !others.is_empty() {
            for &k in others {
                let mut best: f64 = 0.0;
                for &l in &model.pie {
                    best = best.max(world.salience(k, l));
                }
                pie_interest += world.capability[k] * best;
            }
            pie_interest /= others.len() as f64;
        }

        let order = &mut self.order[i * m..(i + 1) * m];
        let target = &mut self.target[i * m..(i + 1) * m];
        let benefit = &mut self.benefit[i * m..(i + 1) * m];
        benefit.fill(0.0);
        // Distance costs: |d| under linear loss, d² under quadratic loss.
        let cost = |d: f64| if quadratic { d * d } else { d.abs() };
        let mut len = 0;
        let mut forced = 0.0;
        for j in 0..m {
            let p = world.position(i, j);
            let s = world.salience(i, j);
            if settled[j] {
                // Decided by force: it stays at the status quo, paid for up front.
                target[j] = world.status_quo[j];
                forced += s * cost(world.status_quo[j] - p);
                continue;
            }
            if self.in_pie[j] {
                if s > 0.0 {
                    target[j] = 0.0;
                    benefit[j] = pie_interest;
                    self.key[j] = if pie_interest > 0.0 {
                        world.capability[i] * s / pie_interest
                    } else {
                        f64::INFINITY
                    };
                    order[len] = j;
                    len += 1;
                }
                continue;
            }
            let mut num = 0.0;
            let mut den = 0.0;
            for &k in others {
                let w = world.capability[k] * world.salience(k, j);
                num += w * world.position(k, j);
                den += w;
            }
            if den > 0.0 {
                target[j] = num / den;
                benefit[j] = den / others.len() as f64;
                self.key[j] = world.capability[i] * s / (den / others.len() as f64);
            } else {
                target[j] = p;
                self.key[j] = f64::INFINITY;
            }
            order[len] = j;
            len += 1;
        }
        sort_by_key(&mut order[..len], &self.key);
        self.len[i] = len;
        let mut rounding = forced;
        let steps = &mut self.steps[i];
        if steps.capacity() == 0 {
            let most: usize = model.issues.iter().map(|o| o.options.len()).sum();
            steps.reserve_exact(most);
        }
        steps.clear();
        for j in 0..m {
            let issue = &model.issues[j];
            if issue.options.is_empty() || self.in_pie[j] || settled[j] {
                continue;
            }
            let p = world.position(i, j);
            let s = world.salience(i, j);
            let start = issue.nearest_option(p).unwrap_or(0);
            let goal = issue.nearest_option(target[j]).unwrap_or(start);
            self.start[i * m + j] = start;
            self.goal[i * m + j] = goal;
            rounding += s * cost(issue.options[start].at - p);
            // The cost of each step from option to option toward the goal.
            self.step_at[i * m + j] = steps.len();
            let opts = &issue.options;
            let mut k = start;
            while k != goal {
                let next = if goal > k { k + 1 } else { k - 1 };
                steps.push(s * (cost(opts[next].at - p) - cost(opts[k].at - p)));
                k = next;
            }
        }
        self.rounding[i] = rounding;
        self.valid[i] = true;
    }
}

/// Sorts issues by increasing `key`, ties in issue order (a total order, so any sort gives
/// this one result): by insertion for the few issues of most scenarios, else by the standard
/// library's sort.
fn sort_by_key(issues: &mut [usize], key: &[f64]) {
    let before = |a: usize, b: usize| key[a].total_cmp(&key[b]).then(a.cmp(&b)).is_lt();
    if issues.len() > 32 {
        issues.sort_unstable_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
        return;
    }
    for i in 1..issues.len() {
        let j = issues[i];
        let mut k = i;
        while k > 0 && before(j, issues[k - 1]) {
            issues[k] = issues[k - 1];
            k -= 1;
        }
        issues[k] = j;
    }
}

/// Writes into `out` the offer of `proposer` at `aspiration` against the principals `others`
/// (module docs). Reuses the proposer's walk cached in `scratch` if it is still valid.
#[allow(clippy::too_many_arguments)]
pub fn make_offer(
    model: &Model,
    world: &World,
    proposer: usize,
    aspiration: f64,
    others: &[usize],
    settled: &[bool],
    scratch: &mut OfferScratch,
    out: &mut [f64],
) {
    let m = world.n_issues;
    let i = proposer;
    if !scratch.valid[i] {
        scratch.prepare(model, world, i, others, settled);
    }
    let risk = world.risk[i];
    let clamped = aspiration.clamp(0.0, 1.0);
    let closeness = if risk == 1.0 {
        clamped
    } else {
        clamped.powf(1.0 / risk)
    };
    // Optioned issues: the rounding of the ideal to the nearest option is paid first.
    let mut budget = (1.0 - closeness) * scratch.scale[i] - scratch.rounding[i];
    let order = &scratch.order[i * m..i * m + scratch.len[i]];
    let target = &scratch.target[i * m..(i + 1) * m];

    if world.loss == Loss::Quadratic {
        quadratic_walk(model, world, i, budget, scratch, out);
    } else {
        for &j in order {
            let issue = &model.issues[j];
            let p = world.position(i, j);
            let s = world.salience(i, j);
            let t = target[j];
            if issue.options.is_empty() || scratch.in_pie[j] {
                let reach = (t - p).abs();
                let moved = if s == 0.0 {
                    reach
                } else {
                    reach.min((budget / s).max(0.0))
                };
                budget -= moved * s;
                out[j] = p + (t - p).signum() * moved;
            } else {
                // Step from option to option while the budget pays (step costs from `prepare`).
                let start = scratch.start[i * m + j];
                let goal = scratch.goal[i * m + j];
                let at = scratch.step_at[i * m + j];
                let mut taken = 0;
                for &cost in &scratch.steps[i][at..at + start.abs_diff(goal)] {
                    if cost > budget + EPS {
                        break;
                    }
                    budget -= cost;
                    taken += 1;
                }
                let k = if goal > start {
                    start + taken
                } else {
                    start - taken
                };
                out[j] = issue.options[k].at;
            }
        }
    }
    // Issues outside the walk: pie shares the proposer does not value start at its ideal, and
    // issues decided by force stay at the status quo.
    for j in 0..m {
        if settled[j] {
            out[j] = world.status_quo[j];
        } else if scratch.in_pie[j] && world.salience(i, j) == 0.0 {
            out[j] = world.position(i, j);
        }
    }

    if !model.pie.is_empty() {
        share_pie(model, world, i, others, out);
    }
}

/// Writes the concessions of proposer `i` under quadratic loss with `budget` to spend (module
/// docs, "Quadratic loss"): the price λ at which the others' gains W_j δ_j less λ times the
/// proposer's cost s_ij δ_j² are best just fits the budget, and what rounding leaves is spent
/// in the order of the walk.
fn quadratic_walk(
    model: &Model,
    world: &World,
    i: usize,
    budget: f64,
    scratch: &OfferScratch,
    out: &mut [f64],
) {
    let m = world.n_issues;
    let order = &scratch.order[i * m..i * m + scratch.len[i]];
    let target = &scratch.target[i * m..(i + 1) * m];
    let benefit = &scratch.benefit[i * m..(i + 1) * m];
    let continuous = |j: usize| model.issues[j].options.is_empty() || scratch.in_pie[j];
    let reach = |j: usize| (target[j] - world.position(i, j)).abs();
    // Continuous issue j at price λ: the δ maximising W δ − λ s δ² on [0, reach].
    let delta = |j: usize, lambda: f64| -> f64 {
        let s = world.salience(i, j);
        if s == 0.0 || lambda == 0.0 {
            return reach(j);
        }
        if lambda.is_infinite() || benefit[j] <= 0.0 {
            return 0.0;
        }
        reach(j).min(benefit[j] / (2.0 * lambda * s))
    };
    // Optioned issue j at price λ: the steps taken in order while each is worth its cost.
    let steps_of = |j: usize| {
        let start = scratch.start[i * m + j];
        let goal = scratch.goal[i * m + j];
        let at = scratch.step_at[i * m + j];
        (
            start,
            goal,
            &scratch.steps[i][at..at + start.abs_diff(goal)],
        )
    };
    let taken = |j: usize, lambda: f64| -> (usize, f64) {
        let (start, goal, costs) = steps_of(j);
        let opts = &model.issues[j].options;
        let (mut k, mut spent) = (start, 0.0);
        for &c in costs {
            let next = if goal > k { k + 1 } else { k - 1 };
            let gain = benefit[j] * (opts[next].at - opts[k].at).abs();
            if c > 0.0 && !(lambda == 0.0 || gain >= lambda * c) {
                break;
            }
            spent += c;
            k = next;
        }
        (k, spent)
    };
    let cost_at = |lambda: f64| -> f64 {
        let mut total = 0.0;
        for &j in order {
            if continuous(j) {
                let d = delta(j, lambda);
                total += world.salience(i, j) * d * d;
            } else {
                total += taken(j, lambda).1;
            }
        }
        total
    };
    let budget = budget.max(0.0);
    let lambda = if cost_at(0.0) <= budget + EPS {
        0.0
    } else if budget == 0.0 {
        // Nothing to spend: only what costs nothing moves.
        f64::INFINITY
    } else {
        // The least price whose concessions fit: C(λ) falls as λ rises.
        let mut hi = 1.0;
        while cost_at(hi) > budget && hi < 1e300 {
            hi *= 2.0;
        }
        if cost_at(hi) > budget {
            hi = f64::INFINITY;
        } else {
            let mut lo = 0.0;
            for _ in 0..200 {
                let mid = if lo == 0.0 {
                    0.5 * hi
                } else {
                    (lo * hi).sqrt()
                };
                if !(mid > lo && mid < hi) {
                    break;
                }
                if cost_at(mid) > budget {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        hi
    };
    let mut left = budget;
    for &j in order {
        if continuous(j) {
            let d = delta(j, lambda);
            left -= world.salience(i, j) * d * d;
        } else {
            let (k, spent) = taken(j, lambda);
            left -= spent;
            out[j] = model.issues[j].options[k].at;
        }
    }
    // What the price leaves unspent (an option step that does not fit, rounding) goes to the
    // continuous issues in the walk's order.
    for &j in order {
        if !continuous(j) {
            continue;
        }
        let p = world.position(i, j);
        let s = world.salience(i, j);
        let mut d = delta(j, lambda);
        if s > 0.0 && left > 0.0 && d < reach(j) {
            let further = reach(j).min((d * d + left / s).sqrt());
            left -= s * (further * further - d * d);
            d = further;
        }
        out[j] = p + (target[j] - p).signum() * d;
    }
}

/// Gives the shares the proposer does not value the rest of the pie (module docs).
fn share_pie(model: &Model, world: &World, i: usize, others: &[usize], out: &mut [f64]) {
    let mut claimed = 0.0;
    for &j in &model.pie {
        if world.salience(i, j) > 0.0 {
            claimed += out[j];
        }
    }
    if claimed > 1.0 {
        for &j in &model.pie {
            if world.salience(i, j) > 0.0 {
                out[j] /= claimed;
            }
        }
        claimed = 1.0;
    }
    let rest = (1.0 - claimed).max(0.0);
    let mut total = 0.0;
    for &j in &model.pie {
        if world.salience(i, j) == 0.0 {
            total += claim(world, others, j);
        }
    }
    for &j in &model.pie {
        if world.salience(i, j) == 0.0 {
            out[j] = if total > 0.0 {
                rest * claim(world, others, j) / total
            } else {
                0.0
            };
        }
    }
    floor_pie_options(model, out);
}

/// The others' claim on pie issue `j`: Σ_k c_k s_kj p_kj.
fn claim(world: &World, others: &[usize], j: usize) -> f64 {
    let mut c = 0.0;
    for &k in others {
        c += world.capability[k] * world.salience(k, j) * world.position(k, j);
    }
    c
}

/// Rounds optioned pie issues down to an option (the lowest option if none lies below).
fn floor_pie_options(model: &Model, x: &mut [f64]) {
    for &j in &model.pie {
        let opts = &model.issues[j].options;
        if opts.is_empty() {
            continue;
        }
        let mut best = opts[0].at;
        for o in opts {
            if o.at <= x[j] + EPS {
                best = o.at;
            }
        }
        x[j] = best;
    }
}

/// Makes any point a possible settlement: continuous issues clamped to [0, 1], optioned issues
/// snapped to the nearest option, and pie shares summing to more than 1 scaled down in
/// proportion (then rounded down to options where the pie issues have options).
pub fn fit_point(model: &Model, x: &mut [f64]) {
    for (j, issue) in model.issues.iter().enumerate() {
        let v = if x[j].is_nan() {
            0.0
        } else {
            x[j].clamp(0.0, 1.0)
        };
        x[j] = if model.pie.contains(&j) {
            v
        } else {
            issue.snap(v)
        };
    }
    if model.pie.is_empty() {
        return;
    }
    let mut sum = 0.0;
    for &j in &model.pie {
        sum += x[j];
    }
    if sum > 1.0 {
        for &j in &model.pie {
            x[j] /= sum;
        }
    }
    // Nearest options if they fit in the pie, otherwise rounded down.
    let mut nearest = 0.0;
    for &j in &model.pie {
        nearest += model.issues[j].snap(x[j]);
    }
    if nearest <= 1.0 + EPS {
        for &j in &model.pie {
            x[j] = model.issues[j].snap(x[j]);
        }
    } else {
        floor_pie_options(model, x);
    }
}
