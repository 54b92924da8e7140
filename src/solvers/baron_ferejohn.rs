//! Closed-rule quota bargaining over a divisible pie (Baron & Ferejohn 1989, *APSR*
//! 83(4):1181–1206): the stationary equilibrium with recognition probabilities p_i, discount
//! factors δ_i and quota q (Eraslan 2002, *JET* 103:11–30).
//!
//! # The game
//!
//! Each round nature recognises player i with probability p_i; i proposes a division of the pie;
//! it passes if at least q players (the proposer included) vote for it, otherwise the next round
//! starts (closed rule). A payoff agreed in round t is worth δ_i^(t−1) times itself to player i.
//!
//! # Stationary equilibrium
//!
//! Let v_i be player i's ex-ante value of the game and c_i = δ_i v_i its *price*: what a vote of
//! i costs, since i accepts any offer worth at least its discounted continuation value. A
//! recognised proposer k buys the q − 1 cheapest votes among the others (paying each partner
//! exactly c_j), keeps the rest, gives the others 0, and its proposal passes at once. When
//! several players tie at the margin the proposer mixes among them; with π_kj the probability
//! that k includes j (Σ_j π_kj = q − 1), the values satisfy
//!
//! ```text
//! v_i = p_i (1 − S_i) + δ_i v_i ρ_i,   S_i = Σ_j π_ij c_j,   ρ_i = Σ_{k≠i} p_k π_ki
//! ```
//!
//! and the mixing must put weight only on cheapest votes. Eraslan (2002) shows the payoffs v are
//! unique (the mixing need not be).
//!
//! # How it is computed
//!
//! Not by iterating the best response, which chatters when the equilibrium mixes, but exactly:
//!
//! 1. A *structure* is an ordered partition of the players into price groups (players of a group
//!    share one price λ, groups are bought cheapest first). Players with p_i = 0 or δ_i = 0 have
//!    price 0 and are always bought first. Given a structure, the number n_ka of votes proposer k
//!    buys from group a is fixed (the q − 1 cheapest, group by group), and summing the value
//!    equations over each group's members gives a *linear* system in the group prices,
//!
//!    ```text
//!    λ_a [Σ_{i∈a} 1/δ_i − Σ_k p_k n_ka] + Σ_{i∈a} p_i Σ_b n_ib λ_b = Σ_{i∈a} p_i,
//!    ```
//!
//!    solved by Gaussian elimination.
//! 2. The structure is an equilibrium iff every proposer buys no group dearer than one it leaves
//!    unbought, and within each group every member's required inclusion
//!    ρ_i = 1/δ_i − p_i (1 − S_i)/λ_a can be produced by the proposers that buy only part of the
//!    group: a transportation problem (each such proposer k spreads p_k n_ka over the members
//!    other than itself, at most p_k each), checked by a maximum flow, whose flow is the
//!    equilibrium mixing π. A verified structure is an exact equilibrium, hence (by uniqueness)
//!    *the* equilibrium payoffs.
//! 3. The structure is found by following the equilibrium along δ_i(t) = t δ_i from the t where
//!    max_i t δ_i = 10⁻⁴ (prices are then nearly t δ_i p_i, so players are ordered by δ_i p_i;
//!    that first structure is repaired until it verifies) to t = 1. Payoffs move continuously in
//!    t, so between small steps the structure changes only locally: when a step fails, the
//!    repairs tried are to swap or merge two adjacent groups whose prices crossed, and to split a
//!    member off its group (or move it to the neighbouring group) in the direction its check
//!    failed (pairs of repairs once the step is below 10⁻⁹); the step is shortened until a
//!    repair verifies. The linear systems are solved on rows and columns scaled by the expected
//!    prices, so a price of 10⁻¹⁸ beside prices of 0.4 keeps its relative accuracy.
//!
//! Uniqueness needs every δ_i < 1: with δ = 1 the values can be indeterminate (under unanimity
//! any division is stationary) and the linear system singular. If the path cannot be followed
//! (in our checks only such δ = 1 games failed; 40 000 random games with δ_i < 1, n ≤ 14 and
//! recognition probabilities down to 1e-30 were all solved exactly), the values come from averaged
//! best-response iteration instead and [`StationaryEquilibrium::is_exact`] is false.
//!
//! # Proposals
//!
//! A recognised proposer k offers each partner exactly its price c_j = δ_j v_j, keeps
//! 1 − Σ c_j and gives the others 0. [`StationaryEquilibrium::proposal`] picks the partners
//! purely (cheapest first, ties to the lower index); [`StationaryEquilibrium::proposal_drawn`]
//! draws them from the equilibrium mixing π_k by systematic sampling with one uniform number
//! (Madow 1949), which includes each j with probability exactly π_kj.

mod structure;

use structure::{Analysis, Game, Signal};

/// Buffers for [`StationaryEquilibrium::proposal_drawn_into`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalScratch {
    partners: Vec<usize>,
    cheapest: Vec<usize>,
}

impl ProposalScratch {
    /// Buffers with room for the proposals of a game of `players` players.
    pub fn with_capacity(players: usize) -> Self {
        ProposalScratch {
            partners: Vec::with_capacity(players),
            cheapest: Vec::with_capacity(players),
        }
    }
}

/// The stationary equilibrium of a quota game (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct StationaryEquilibrium {
    values: Vec<f64>,
    price: Vec<f64>,
    inclusion: Vec<f64>,
    quota: usize,
    exact: bool,
}

/// The stationary equilibrium of closed-rule bargaining with recognition weights `recognition`
/// (non-negative, normalised here to probabilities), per-player discount factors `discount`
/// (in [0, 1]) and quota `quota` (votes needed, the proposer's included).
///
/// # Panics
///
/// If the slices differ in length, are empty, the weights sum to 0, or the quota is not in
/// 1..=n.
pub fn stationary_equilibrium(
    recognition: &[f64],
    discount: &[f64],
    quota: usize,
) -> StationaryEquilibrium {
    let n = recognition.len();
    assert!(
        n > 0 && discount.len() == n,
        "one discount factor per player"
    );
    assert!((1..=n).contains(&quota), "quota must be in 1..=n");
    let total: f64 = recognition.iter().sum();
    assert!(total > 0.0, "recognition weights must not all be 0");
    let p: Vec<f64> = recognition.iter().map(|w| w / total).collect();
    let free = (0..n)
        .filter(|&i| p[i] == 0.0 || discount[i] == 0.0)
        .collect();
    let game = Game {
        p,
        delta: discount.to_vec(),
        quota,
        free,
    };
    match follow_path(&game) {
        Some((groups, analysis)) => exact_equilibrium(&game, &groups, analysis),
        None => approximate_equilibrium(&game),
    }
}

impl StationaryEquilibrium {
    /// The ex-ante values v_i.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The price c_j = δ_j v_j of player j's vote.
    pub fn price(&self, j: usize) -> f64 {
        self.price[j]
    }

    /// The probability π_kj that proposer k includes j among its partners.
    pub fn inclusion(&self, proposer: usize, partner: usize) -> f64 {
        self.inclusion[proposer * self.values.len() + partner]
    }

    /// Whether the equilibrium was verified exactly (module docs).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// What a recognised `proposer` keeps: 1 minus the q − 1 cheapest prices of the others.
    pub fn proposer_share(&self, proposer: usize) -> f64 {
        let mut shares = vec![0.0; self.values.len()];
        self.fill_proposal(proposer, &self.cheapest(proposer), &mut shares);
        shares[proposer]
    }

    /// The proposal of a recognised `proposer` with partners chosen purely: cheapest first,
    /// ties to the lower index. Shares per player.
    pub fn proposal(&self, proposer: usize) -> Vec<f64> {
        let mut shares = vec![0.0; self.values.len()];
        self.fill_proposal(proposer, &self.cheapest(proposer), &mut shares);
        shares
    }

    /// The proposal of a recognised `proposer` with partners drawn from the equilibrium mixing by
    /// systematic sampling with the uniform number `u` ∈ [0, 1). Shares per player.
    pub fn proposal_drawn(&self, proposer: usize, u: f64) -> Vec<f64> {
        let mut shares = Vec::new();
        self.proposal_drawn_into(proposer, u, &mut ProposalScratch::default(), &mut shares);
        shares
    }

    /// [`StationaryEquilibrium::proposal_drawn`] into `shares` (resized to one share per player), using
    /// `scratch`: no allocation once the buffers have room for every player.
    pub fn proposal_drawn_into(
        &self,
        proposer: usize,
        u: f64,
        scratch: &mut ProposalScratch,
        shares: &mut Vec<f64>,
    ) {
        let n = self.values.len();
        let want = self.quota - 1;
        let partners = &mut scratch.partners;
        partners.clear();
        let mut cum = 0.0_f64;
        for j in (0..n).filter(|&j| j != proposer) {
            let lo = cum;
            cum += self.inclusion(proposer, j);
            // Points u, u + 1, u + 2, … falling in [lo, cum).
            if (cum - u).ceil() > (lo - u).ceil() && partners.len() < want {
                partners.push(j);
            }
        }
        // Rounding can lose the last point: complete from the cheapest.
        self.cheapest_into(proposer, &mut scratch.cheapest);
        for &j in &scratch.cheapest {
            if partners.len() == want {
                break;
            }
            if !partners.contains(&j) {
                partners.push(j);
            }
        }
        shares.clear();
        shares.resize(n, 0.0);
        self.fill_proposal(proposer, partners, shares);
    }

    /// The q − 1 cheapest players other than `proposer` (ties to the lower index).
    fn cheapest(&self, proposer: usize) -> Vec<usize> {
        let mut others = Vec::new();
        self.cheapest_into(proposer, &mut others);
        others
    }

    /// [`StationaryEquilibrium::cheapest`] into `others`.
    fn cheapest_into(&self, proposer: usize, others: &mut Vec<usize>) {
        others.clear();
        others.extend((0..self.values.len()).filter(|&j| j != proposer));
        // A total order (price, then index), so an unstable sort gives the one order.
        others.sort_unstable_by(|&a, &b| self.price[a].total_cmp(&self.price[b]).then(a.cmp(&b)));
        others.truncate(self.quota - 1);
    }

    fn fill_proposal(&self, proposer: usize, partners: &[usize], shares: &mut [f64]) {
        let mut paid = 0.0;
        for &j in partners {
            shares[j] = self.price[j];
            paid += self.price[j];
        }
        shares[proposer] = 1.0 - paid;
    }
}

/// Follows the equilibrium structure from t = t0 to t = 1 (module docs). Returns the price
/// groups and their verified analysis at t = 1, or `None` if the path is lost.
fn follow_path(game: &Game) -> Option<(Vec<Vec<usize>>, Analysis)> {
    let n = game.p.len();
    let key = |i: usize| game.delta[i] * game.p[i];
    let mut order: Vec<usize> = (0..n).filter(|i| !game.free.contains(i)).collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match groups.last_mut() {
            Some(last) if key(last[0]) == key(i) => last.push(i),
            _ => groups.push(vec![i]),
        }
    }

    // Repair the starting structure at t0, never revisiting a structure.
    let max_delta = game.delta.iter().copied().fold(0.0, f64::max);
    let mut t = if max_delta > 0.0 {
        (START / max_delta).min(1.0)
    } else {
        1.0
    };
    let mut current = game.analyse(&groups, t, None, false);
    let mut visited = vec![groups.clone()];
    while !current.ok {
        if visited.len() > 200 {
            return None;
        }
        if let Some(found) = repair(game, &groups, &current, t, 2) {
            (groups, current) = found;
            break;
        }
        groups = repairs(&groups, &current)
            .into_iter()
            .find(|g| !visited.contains(g))?;
        visited.push(groups.clone());
        current = game.analyse(&groups, t, None, false);
    }

    let mut dt = 1e-2;
    while t < 1.0 {
        let t2 = (t + dt).min(1.0);
        let hint = current.price.clone();
        let step = game.analyse(&groups, t2, hint.as_deref(), false);
        if step.ok {
            (t, current) = (t2, step);
            dt *= 2.0;
            resort(game, &mut groups, &mut current, t);
            continue;
        }
        // Two simultaneous changes need two repairs; try that only once the step is small.
        let depth = if dt < 1e-9 { 2 } else { 1 };
        match repair(game, &groups, &step, t2, depth) {
            Some((g, a)) => {
                (groups, current, t) = (g, a, t2);
                dt *= 2.0;
            }
            None => {
                dt /= 4.0;
                if dt < 1e-14 {
                    return None;
                }
            }
        }
    }
    let hint = current.price.clone();
    let last = game.analyse(&groups, 1.0, hint.as_deref(), true);
    last.ok.then_some((groups, last))
}

/// The path starts where the largest discount factor t δ_i is this: small enough that prices
/// are nearly t δ_i p_i, large enough that 1/(t δ_i) loses no precision.
const START: f64 = 1e-4;

/// The first structure within `depth` repairs of `groups` (which failed as `failed` at `t`)
/// that verifies at `t`.
fn repair(
    game: &Game,
    groups: &[Vec<usize>],
    failed: &Analysis,
    t: f64,
    depth: u32,
) -> Option<(Vec<Vec<usize>>, Analysis)> {
    let candidates = repairs(groups, failed);
    let mut tried = Vec::with_capacity(candidates.len());
    for g in candidates {
        let a = game.analyse(&g, t, None, false);
        if a.ok {
            return Some((g, a));
        }
        tried.push((g, a));
    }
    if depth > 1 {
        for (g, a) in &tried {
            if let Some(found) = repair(game, g, a, t, depth - 1) {
                return Some(found);
            }
        }
    }
    None
}

/// Puts the groups in ascending price order if that structure verifies too (it does whenever
/// the order of two groups did not matter to any proposer).
fn resort(game: &Game, groups: &mut Vec<Vec<usize>>, current: &mut Analysis, t: f64) {
    let Some(price) = &current.price else { return };
    let mut idx: Vec<usize> = (0..groups.len()).collect();
    idx.sort_by(|&a, &b| price[a].total_cmp(&price[b]).then(a.cmp(&b)));
    if idx.iter().enumerate().all(|(k, &a)| k == a) {
        return;
    }
    let sorted: Vec<Vec<usize>> = idx.iter().map(|&a| groups[a].clone()).collect();
    let hint: Vec<f64> = idx.iter().map(|&a| price[a]).collect();
    let a = game.analyse(&sorted, t, Some(&hint), false);
    if a.ok {
        *groups = sorted;
        *current = a;
    }
}

/// Candidate repairs of a structure whose check failed (module docs), most local first.
fn repairs(groups: &[Vec<usize>], failed: &Analysis) -> Vec<Vec<Vec<usize>>> {
    let mut out = Vec::new();
    if let Some(price) = &failed.price {
        for a in 0..groups.len().saturating_sub(1) {
            if price[a] > price[a + 1] {
                let mut swapped = groups.to_vec();
                swapped.swap(a, a + 1);
                out.push(swapped);
                let mut merged = groups.to_vec();
                let upper = merged.remove(a + 1);
                merged[a].extend(upper);
                out.push(merged);
            }
        }
    }
    for &signal in &failed.signals {
        let (i, up) = match signal {
            Signal::Up(i) => (i, true),
            Signal::Down(i) => (i, false),
        };
        let Some(a) = groups.iter().position(|g| g.contains(&i)) else {
            continue;
        };
        if groups[a].len() < 2 {
            continue;
        }
        let rest: Vec<usize> = groups[a].iter().copied().filter(|&j| j != i).collect();
        let mut split = groups.to_vec();
        split[a] = rest.clone();
        split.insert(if up { a + 1 } else { a }, vec![i]);
        out.push(split);
        let neighbour = if up { a + 1 } else { a.wrapping_sub(1) };
        if neighbour < groups.len() {
            let mut moved = groups.to_vec();
            moved[a] = rest;
            moved[neighbour].push(i);
            out.push(moved);
        }
    }
    out
}

/// The equilibrium of a verified structure at t = 1.
fn exact_equilibrium(
    game: &Game,
    groups: &[Vec<usize>],
    analysis: Analysis,
) -> StationaryEquilibrium {
    let n = game.p.len();
    let lam = analysis.price.unwrap_or_default();
    let mut price = vec![0.0; n];
    for (a, members) in groups.iter().enumerate() {
        for &i in members {
            price[i] = lam[a];
        }
    }
    let inclusion = analysis.inclusion;
    let values = (0..n)
        .map(|i| {
            if game.free.contains(&i) {
                // Price 0: v_i = p_i (1 − S_i) (the δ_i v_i ρ_i term vanishes).
                let s_i: f64 = (0..n).map(|j| inclusion[i * n + j] * price[j]).sum();
                game.p[i] * (1.0 - s_i)
            } else {
                price[i] / game.delta[i]
            }
        })
        .collect();
    StationaryEquilibrium {
        values,
        price,
        inclusion,
        quota: game.quota,
        exact: true,
    }
}

/// Fallback: averaged best-response iteration (pure choices, ties to the lower index).
fn approximate_equilibrium(game: &Game) -> StationaryEquilibrium {
    let n = game.p.len();
    let q = game.quota;
    let mut v = game.p.clone();
    let mut inclusion = vec![0.0; n * n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut next = vec![0.0; n];
    for iter in 0..20_000 {
        let price: Vec<f64> = (0..n).map(|i| game.delta[i] * v[i]).collect();
        let mut rho = vec![0.0; n];
        for k in 0..n {
            order.clear();
            order.extend((0..n).filter(|&j| j != k));
            order.sort_by(|&a, &b| price[a].total_cmp(&price[b]).then(a.cmp(&b)));
            let paid: f64 = order[..q - 1].iter().map(|&j| price[j]).sum();
            next[k] = game.p[k] * (1.0 - paid);
            for &j in &order[..q - 1] {
                rho[j] += game.p[k];
            }
            for (pos, &j) in order.iter().enumerate() {
                let hit = if pos < q - 1 { 1.0 } else { 0.0 };
                inclusion[k * n + j] += (hit - inclusion[k * n + j]) / (iter + 1) as f64;
            }
        }
        let step = 1.0 / (iter + 2) as f64;
        for i in 0..n {
            let target = next[i] + game.delta[i] * v[i] * rho[i];
            v[i] += step * (target - v[i]);
        }
    }
    let price = (0..n).map(|i| game.delta[i] * v[i]).collect();
    StationaryEquilibrium {
        values: v,
        price,
        inclusion,
        quota: q,
        exact: false,
    }
}
