//! Bueno de Mesquita's expected-utility model of challenges and offers on one issue, as
//! reconstructed by Scholz, Calbert & Smith (2011, "Unravelling Bueno de Mesquita's group
//! decision model", *J. Theoretical Politics* 23(4):510–531), in two variants ([`Variant`]):
//! the equations as printed (`ScholzPaper`, the default, described first below) and the
//! dynamics of their published code as its public ports carry it (`ScholzCode`, see "Two
//! variants").
//!
//! Actors i = 1..n hold positions x_i on one issue, with capability c_i > 0 and salience
//! s_i ∈ [0, 1] (read as the probability that i resists a challenge). Positions enter only through
//! differences normalised by the initial range Δ = max x − min x (fixed when the model is made),
//! so the model is scale-free: positions on [0, 100] and the same positions /100 give the same
//! risk exponents and the same moves, scaled.
//!
//! # Utilities (with risk exponent r)
//!
//! These are the model's own published utilities, built on linear distances; the scenario's
//! `loss` does not enter them, and validation refuses `loss: Quadratic` under the
//! `ExpectedUtility` protocol rather than run this model with utilities it was not built on.
//!
//! ```text
//! Us  = 2 − 4 (0.5 − 0.5 |x_i − x_j| / Δ)^r                  i succeeds against j
//! Uf  = 2 − 4 (0.5 + 0.5 |x_i − x_j| / Δ)^r                  i fails against j
//! Ub  = 2 − 4 (0.5 − 0.25 (|x_i − μ| + |x_i − x_j|) / Δ)^r    things get better without a challenge
//! Uw  = 2 − 4 (0.5 + 0.25 (|x_i − μ| + |x_i − x_j|) / Δ)^r    things get worse without a challenge
//! Usq = 2 − 4 · 0.5^r                                         the status quo
//! ```
//!
//! with μ the forecast without challenges: the c·s-weighted median of the current positions (it
//! matters only when Q < 1).
//!
//! # Probability that i beats j (docs/theory.md §5, pairwise-normalised; `ScholzPaper`)
//!
//! ```text
//! P_ij = max(0, Σ_k c_k s_k (|x_k − x_j| − |x_k − x_i|)) / Σ_k c_k s_k | |x_k − x_j| − |x_k − x_i| |
//! ```
//!
//! (0 when the denominator vanishes: nobody can tell the two positions apart.)
//!
//! # Expected utility of i challenging j
//!
//! ```text
//! EU_i(j) = s_j [P_ij Us + (1 − P_ij) Uf] + (1 − s_j) Us − Q Usq − (1 − Q) [T Ub + (1 − T) Uw]
//! ```
//!
//! with Q (the probability that the status quo holds if i does not challenge) and T (that it
//! then gets better) both 1 by default ([`ExpectedUtilityModel::with_status_quo_weights`]).
//!
//! # Risk exponents
//!
//! With every r = 1, actor i's exposure is the sum of what the others expect from challenging it,
//! E_i = Σ_{j ≠ i} EU_j(i). Then
//!
//! ```text
//! R_i = (2 E_i − max_k E_k − min_k E_k) / (max_k E_k − min_k E_k) ∈ [−1, 1]
//! r_i = (1 − R_i/3) / (1 + R_i/3)                                 ∈ [0.5, 2]
//! ```
//!
//! (r_i = 1 for all if every exposure is equal; the result is clamped to [0.5, 2] against
//! rounding). They are recomputed at the start of each step.
//!
//! # Offers and moves (one step)
//!
//! Actor i weighs each j with x_j ≠ x_i from its own point of view: both EU_ij = EU_i(j) and
//! EU_ji = EU_j(i) are computed with i's risk exponent r_i (as in Scholz et al.'s code and its
//! public ports). Then j's offer to i is
//!
//! - a **confrontation** that i loses if EU_ji > EU_ij > 0: i moves to x_j;
//! - a **compromise** if EU_ji > 0 > EU_ij and |EU_ij| < EU_ji: i moves to
//!   x_i + (x_j − x_i) |EU_ij / EU_ji|;
//! - a **capitulation** if EU_ji > 0 > EU_ij and |EU_ij| > EU_ji: i moves to x_j;
//! - nothing otherwise (including exact ties).
//!
//! Under `ScholzPaper` each actor takes the offer that moves it least (on a tie, the one from
//! the lower-indexed actor; `ScholzCode` ranks them otherwise, see "Two variants"), and all actors move simultaneously, from the positions at the start of the step. Every
//! move ends between the actor's position and an existing position, so positions never leave the
//! initial range.
//!
//! # Two variants
//!
//! The code Scholz et al. published with their paper differs from the printed equations, and its
//! public Python port (`jmckib/bdm-scholz-expected-utility-model`, `bdm_scholz_model.py`, whose
//! comments mark these three points as "faithful to Scholz' code") keeps the differences.
//! [`Variant::ScholzCode`] runs those dynamics; everything not listed here (utilities, EU,
//! exposures, the risk formula, simultaneous moves, the offer conditions) is shared.
//!
//! 1. **Win probability normalised over all actors.** Voter k's vote between positions a and b
//!    is v_k(a, b) = c_k s_k [d_k(b) − d_k(a)] with d_k(a) = (|x_k − x_a| / Δ)^e_k, and
//!
//!    ```text
//!    P_ij = Σ_k max(0, v_k(i, j)) / Σ_k Σ_a Σ_b |v_k(a, b)|      (a, b over all actors)
//!    ```
//!
//!    (0 when the denominator vanishes or x_i = x_j). So P_ij + P_ji is far below 1: a challenger
//!    rarely expects to win a contest.
//! 2. **Votes at the voters' risk exponents.** In the first pass, which gives the exposures and the
//!    risk exponents, every e_k = 1. In the second pass, which weighs the offers, e_k = r_k, the
//!    voter's own exponent (the printed P does not depend on the exponents).
//! 3. **Choice rule.** An actor takes a confrontation if it has one (the one that moves it
//!    least), else a compromise, else a capitulation (the one that moves it least). Among
//!    compromises it takes the one with the least (|EU_ij| x_i + EU_ji x_j) / (|EU_ij| + EU_ji),
//!    a position, not a distance: the rule favours compromises toward lower positions, so this
//!    variant is not symmetric under reversing the axis (the printed least-move rule is).
//!
//! Where the port departs from both the paper and its own stated intent, this variant keeps the
//! paper: the port's capitulation test compares EU_ji with its own absolute value and so never
//! holds; here a capitulation is |EU_ij| > EU_ji as printed. Ties go to the lower-indexed sender
//! in both variants, and both clamp r to [0.5, 2] against rounding.
//!
//! # Forecasts
//!
//! The model's forecast summaries are the **mean voter** Σ c s x / Σ c s (Achen's compromise
//! model) and the **weighted median**, the smallest position at which the cumulative c·s weight
//! (positions sorted) reaches half the total.

use crate::model::World;

/// Kinds of offer (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferKind {
    /// The receiver would lose a confrontation: it moves to the sender's position.
    Confrontation,
    /// The receiver moves part of the way toward the sender.
    Compromise,
    /// The receiver gives in: it moves to the sender's position.
    Capitulation,
}

/// One actor's move in a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    /// The actor that moved.
    pub actor: usize,
    /// The kind of offer it took.
    pub kind: OfferKind,
    /// The actor whose offer it took.
    pub from: usize,
    /// Its position before the step.
    pub old: f64,
    /// Its position after the step.
    pub new: f64,
}

/// What happened in one step.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepSummary {
    /// The moves, by actor index (actors that took no offer are absent).
    pub moves: Vec<Move>,
}

pub use crate::model::ExpectedUtilityVariant as Variant;

/// The model on one issue (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedUtilityModel {
    variant: Variant,
    positions: Vec<f64>,
    capability: Vec<f64>,
    salience: Vec<f64>,
    /// Initial range Δ (1 if every position was equal).
    range: f64,
    q: f64,
    t: f64,
    /// Risk exponents used in the last step (1 before the first).
    risk: Vec<f64>,
    /// Scratch: P_ij, row-major.
    prob: Vec<f64>,
    /// Scratch: next positions.
    next: Vec<f64>,
    /// Scratch: each actor's exposure E_i.
    exposure: Vec<f64>,
    /// The moves of the last step.
    moves: Vec<Move>,
}

impl ExpectedUtilityModel {
    /// A model of actors with these positions, capabilities and saliences (saliences in [0, 1]),
    /// with Q = T = 1.
    ///
    /// # Panics
    ///
    /// If the slices differ in length.
    pub fn new(positions: &[f64], capabilities: &[f64], saliences: &[f64]) -> Self {
        let mut model = ExpectedUtilityModel {
            variant: Variant::ScholzPaper,
            positions: Vec::new(),
            capability: Vec::new(),
            salience: Vec::new(),
            range: 1.0,
            q: 1.0,
            t: 1.0,
            risk: Vec::new(),
            prob: Vec::new(),
            next: Vec::new(),
            exposure: Vec::new(),
            moves: Vec::new(),
        };
        model.reset(positions, capabilities, saliences);
        model
    }

    /// Makes this the model [`ExpectedUtilityModel::new`] makes of these actors (Q and T back
    /// to 1; the variant is kept), reusing its memory.
    ///
    /// # Panics
    ///
    /// If the slices differ in length.
    pub fn reset(&mut self, positions: &[f64], capabilities: &[f64], saliences: &[f64]) {
        let n = positions.len();
        assert_eq!(capabilities.len(), n, "one capability per actor");
        assert_eq!(saliences.len(), n, "one salience per actor");
        let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        self.range = if hi > lo { hi - lo } else { 1.0 };
        self.positions.clear();
        self.positions.extend_from_slice(positions);
        self.capability.clear();
        self.capability.extend_from_slice(capabilities);
        self.salience.clear();
        self.salience.extend_from_slice(saliences);
        self.q = 1.0;
        self.t = 1.0;
        self.risk.clear();
        self.risk.resize(n, 1.0);
        self.prob.clear();
        self.prob.resize(n * n, 0.0);
        self.next.clear();
        self.next.resize(n, 0.0);
        self.exposure.clear();
        self.exposure.resize(n, 0.0);
        self.moves.clear();
        self.moves.reserve(n);
    }

    /// The model of issue `issue` of `world` among `actors` (their positions, capabilities and
    /// saliences; a salience above 1 counts as 1). Actor k of the model is `actors[k]`.
    pub fn for_issue(world: &World, issue: usize, actors: &[usize]) -> Self {
        let pos: Vec<f64> = actors.iter().map(|&a| world.position(a, issue)).collect();
        let cap: Vec<f64> = actors.iter().map(|&a| world.capability[a]).collect();
        let sal: Vec<f64> = actors
            .iter()
            .map(|&a| world.salience(a, issue).clamp(0.0, 1.0))
            .collect();
        Self::new(&pos, &cap, &sal)
    }

    /// Runs the given variant (module docs); [`Variant::ScholzPaper`] by default.
    pub fn with_variant(mut self, variant: Variant) -> Self {
        self.variant = variant;
        self
    }

    /// Sets the variant in place (module docs).
    pub fn set_variant(&mut self, variant: Variant) {
        self.variant = variant;
    }

    /// The variant this model runs.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Sets Q (probability the status quo holds without a challenge) and T (probability it then
    /// gets better), both in [0, 1].
    pub fn with_status_quo_weights(mut self, q: f64, t: f64) -> Self {
        self.q = q;
        self.t = t;
        self
    }

    /// Current positions.
    pub fn positions(&self) -> &[f64] {
        &self.positions
    }

    /// The moves of the last step (none before the first).
    pub fn last_moves(&self) -> &[Move] {
        &self.moves
    }

    /// The risk exponents used in the last step (all 1 before the first step).
    pub fn last_risk(&self) -> &[f64] {
        &self.risk
    }

    /// The mean voter Σ c s x / Σ c s (the plain mean if no actor has weight).
    pub fn mean_voter(&self) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..self.positions.len() {
            let w = self.capability[i] * self.salience[i];
            num += w * self.positions[i];
            den += w;
        }
        if den > 0.0 {
            num / den
        } else {
            self.positions.iter().sum::<f64>() / self.positions.len() as f64
        }
    }

    /// The c·s-weighted median: the smallest position whose cumulative weight (positions sorted
    /// ascending) reaches half the total.
    pub fn weighted_median(&self) -> f64 {
        let n = self.positions.len();
        let w = |i: usize| self.capability[i] * self.salience[i];
        let total: f64 = (0..n).map(w).sum();
        let mut best = f64::INFINITY;
        for k in 0..n {
            let xk = self.positions[k];
            if xk >= best {
                continue;
            }
            let upto: f64 = (0..n).filter(|&i| self.positions[i] <= xk).map(w).sum();
            if upto >= 0.5 * total {
                best = xk;
            }
        }
        best
    }

    /// The pairwise (Condorcet) winner among the held positions: the position that a c·s-weighted
    /// majority prefers to every other held position, actor k preferring a to b when
    /// |x_k − a| < |x_k − b| (the margin of a over b is Σ_k c_k s_k (|x_k − b| − |x_k − a|)).
    /// `None` when no position beats every other strictly. On one issue these preferences are
    /// single-peaked, so the majority relation never cycles (Black 1948) and a weighted median is
    /// never beaten; `None` then means an exact tie between held positions (equal weight on
    /// either side of a split). [`pairwise_winner`] also reports cycles.
    pub fn condorcet_winner(&self) -> Option<f64> {
        let x = &self.positions;
        let w = |k: usize| self.capability[k] * self.salience[k];
        let margin = |a: usize, b: usize| -> f64 {
            (0..x.len())
                .map(|k| w(k) * ((x[k] - x[b]).abs() - (x[k] - x[a]).abs()))
                .sum()
        };
        pairwise_winner(x, margin).map(|a| x[a])
    }

    /// P_ij: the probability that i beats j in the first pass, every vote at risk exponent 1
    /// (module docs; the formula depends on the variant).
    pub fn win_probability(&self, i: usize, j: usize) -> f64 {
        match self.variant {
            Variant::ScholzPaper => self.paper_probability(i, j),
            Variant::ScholzCode => {
                let den = self.code_denominator(None);
                self.code_probability(i, j, den, None)
            }
        }
    }

    /// P_ij as printed: max(0, net vote for i) over the total absolute vote.
    fn paper_probability(&self, i: usize, j: usize) -> f64 {
        let x = &self.positions;
        let (mut num, mut den) = (0.0, 0.0);
        for k in 0..x.len() {
            let w = self.capability[k] * self.salience[k];
            let diff = (x[k] - x[j]).abs() - (x[k] - x[i]).abs();
            num += w * diff;
            den += w * diff.abs();
        }
        if den > 0.0 { num.max(0.0) / den } else { 0.0 }
    }

    /// Voter k's distance term d_k(a) = (|x_k − x_a|/Δ)^e_k, e_k its exponent (1 without
    /// `risk`).
    fn distance(&self, k: usize, a: usize, risk: Option<&[f64]>) -> f64 {
        let d = (self.positions[k] - self.positions[a]).abs() / self.range;
        match risk {
            Some(r) if r[k] != 1.0 => d.powf(r[k]),
            _ => d,
        }
    }

    /// The code variant's denominator Σ_k c_k s_k Σ_a Σ_b |d_k(a) − d_k(b)|.
    fn code_denominator(&self, risk: Option<&[f64]>) -> f64 {
        let n = self.positions.len();
        let mut den = 0.0;
        for k in 0..n {
            let w = self.capability[k] * self.salience[k];
            let mut sum = 0.0;
            for a in 0..n {
                let da = self.distance(k, a, risk);
                for b in 0..n {
                    sum += (da - self.distance(k, b, risk)).abs();
                }
            }
            den += w * sum;
        }
        den
    }

    /// The code variant's P_ij = Σ_k max(0, c_k s_k (d_k(j) − d_k(i))) / `den`.
    fn code_probability(&self, i: usize, j: usize, den: f64, risk: Option<&[f64]>) -> f64 {
        if den <= 0.0 || i == j {
            return 0.0;
        }
        let mut num = 0.0;
        for k in 0..self.positions.len() {
            let w = self.capability[k] * self.salience[k];
            num += (w * (self.distance(k, j, risk) - self.distance(k, i, risk))).max(0.0);
        }
        num / den
    }

    /// EU_i(j): the expected utility of `challenger` i challenging `target` j, evaluated with risk
    /// exponent `risk` and the first-pass P_ij (module docs).
    pub fn expected_utility(&self, challenger: usize, target: usize, risk: f64) -> f64 {
        let p = self.win_probability(challenger, target);
        self.eu_with(p, challenger, target, risk, self.mu())
    }

    /// μ: the weighted median, needed only when Q < 1.
    fn mu(&self) -> f64 {
        if self.q < 1.0 {
            self.weighted_median()
        } else {
            0.0
        }
    }

    /// EU_i(j) given P_ij and μ.
    fn eu_with(&self, p: f64, i: usize, j: usize, r: f64, mu: f64) -> f64 {
        let x = &self.positions;
        let pow = |b: f64| if r == 1.0 { b } else { b.powf(r) };
        let dist = (x[i] - x[j]).abs() / self.range;
        let us = 2.0 - 4.0 * pow(0.5 - 0.5 * dist);
        let uf = 2.0 - 4.0 * pow(0.5 + 0.5 * dist);
        let usq = 2.0 - 4.0 * pow(0.5);
        let s = self.salience[j];
        let mut eu = s * (p * us + (1.0 - p) * uf) + (1.0 - s) * us - self.q * usq;
        if self.q < 1.0 {
            let spread = 0.25 * ((x[i] - mu).abs() + (x[i] - x[j]).abs()) / self.range;
            let ub = 2.0 - 4.0 * pow((0.5 - spread).max(0.0));
            let uw = 2.0 - 4.0 * pow(0.5 + spread);
            eu -= (1.0 - self.q) * (self.t * ub + (1.0 - self.t) * uw);
        }
        eu
    }

    /// Fills the scratch table of P_ij: the first pass (every vote at exponent 1) without
    /// `risk`, else the second pass (the code variant weighs each vote with its voter's
    /// exponent; the printed P does not depend on the exponents).
    fn fill_probabilities(&mut self, risk: Option<&[f64]>) {
        let n = self.positions.len();
        let mut prob = std::mem::take(&mut self.prob);
        match self.variant {
            Variant::ScholzPaper => {
                if risk.is_none() {
                    for i in 0..n {
                        for j in 0..n {
                            prob[i * n + j] = if i == j {
                                0.0
                            } else {
                                self.paper_probability(i, j)
                            };
                        }
                    }
                }
            }
            Variant::ScholzCode => {
                let den = self.code_denominator(risk);
                for i in 0..n {
                    for j in 0..n {
                        prob[i * n + j] = self.code_probability(i, j, den, risk);
                    }
                }
            }
        }
        self.prob = prob;
    }

    /// The first-pass risk exponents r_i at the current positions (module docs): what the next
    /// step will use.
    pub fn risk_exponents(&self) -> Vec<f64> {
        let n = self.positions.len();
        let mu = self.mu();
        let exposure: Vec<f64> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| self.eu_with(self.win_probability(j, i), j, i, 1.0, mu))
                    .sum()
            })
            .collect();
        let mut risk = vec![0.0; n];
        risk_from_exposure(&exposure, &mut risk);
        risk
    }

    /// One step of challenges and offers (module docs): recomputes the risk exponents, lets every
    /// actor take the offer its variant's rule picks, and moves all actors at once.
    pub fn step(&mut self) -> StepSummary {
        StepSummary {
            moves: self.step_moves().to_vec(),
        }
    }

    /// [`ExpectedUtilityModel::step`], returning the moves in the model's own memory (no
    /// allocation).
    pub fn step_moves(&mut self) -> &[Move] {
        let n = self.positions.len();
        self.fill_probabilities(None);
        let mu = self.mu();
        let mut exposure = std::mem::take(&mut self.exposure);
        for (i, e) in exposure.iter_mut().enumerate() {
            *e = (0..n)
                .filter(|&j| j != i)
                .map(|j| self.eu_with(self.prob[j * n + i], j, i, 1.0, mu))
                .sum();
        }
        let mut risk = std::mem::take(&mut self.risk);
        risk_from_exposure(&exposure, &mut risk);
        self.exposure = exposure;
        self.fill_probabilities(Some(&risk));
        let p = |i: usize, j: usize| self.prob[i * n + j];
        let x = &self.positions;
        let mut moves = std::mem::take(&mut self.moves);
        moves.clear();
        let mut next = std::mem::take(&mut self.next);
        next.copy_from_slice(x);
        for i in 0..n {
            let r = risk[i];
            // The best offer of each kind: (rank, new position, sender).
            let mut best: [Option<(f64, f64, usize)>; 3] = [None; 3];
            for j in 0..n {
                if j == i || x[j] == x[i] {
                    continue;
                }
                let eu_ij = self.eu_with(p(i, j), i, j, r, mu);
                let eu_ji = self.eu_with(p(j, i), j, i, r, mu);
                let (kind, to) = if eu_ji > eu_ij && eu_ij > 0.0 {
                    (0, x[j])
                } else if eu_ji > 0.0 && eu_ij < 0.0 && eu_ij.abs() < eu_ji {
                    (1, x[i] + (x[j] - x[i]) * (eu_ij / eu_ji).abs())
                } else if eu_ji > 0.0 && eu_ij < 0.0 && eu_ij.abs() > eu_ji {
                    (2, x[j])
                } else {
                    continue;
                };
                let rank = match (self.variant, kind) {
                    (Variant::ScholzCode, 1) => {
                        (eu_ij.abs() * x[i] + eu_ji * x[j]) / (eu_ij.abs() + eu_ji)
                    }
                    _ => (to - x[i]).abs(),
                };
                if best[kind].is_none_or(|(b, _, _)| rank < b) {
                    best[kind] = Some((rank, to, j));
                }
            }
            let pick = match self.variant {
                // The least move over every kind (on a tie, the lower sender).
                Variant::ScholzPaper => (0..3)
                    .filter_map(|k| best[k].map(|(_, to, j)| (k, to, j)))
                    .fold(None, |acc: Option<(usize, f64, usize)>, c| match acc {
                        Some(a) if ((a.1 - x[i]).abs(), a.2) <= ((c.1 - x[i]).abs(), c.2) => {
                            Some(a)
                        }
                        _ => Some(c),
                    }),
                // Confrontations, else compromises, else capitulations.
                Variant::ScholzCode => (0..3).find_map(|k| best[k].map(|(_, to, j)| (k, to, j))),
            };
            if let Some((kind, to, from)) = pick {
                next[i] = to;
                moves.push(Move {
                    actor: i,
                    kind: [
                        OfferKind::Confrontation,
                        OfferKind::Compromise,
                        OfferKind::Capitulation,
                    ][kind],
                    from,
                    old: x[i],
                    new: to,
                });
            }
        }
        std::mem::swap(&mut self.positions, &mut next);
        self.next = next;
        self.risk = risk;
        self.moves = moves;
        &self.moves
    }
}

/// The candidate that beats every other distinct candidate (`margin(a, b) > 0` for every b
/// whose value differs from a's), the lowest index among equal values; `None` if there is
/// none: a tie, or a cycle of the majority relation (a beats b beats c beats a, Condorcet's
/// paradox), in which no candidate beats all others.
pub fn pairwise_winner(candidates: &[f64], margin: impl Fn(usize, usize) -> f64) -> Option<usize> {
    (0..candidates.len()).find(|&a| {
        (0..candidates.len())
            .filter(|&b| candidates[b] != candidates[a])
            .all(|b| margin(a, b) > 0.0)
    })
}

/// Writes into `risk` r_i = (1 − R_i/3)/(1 + R_i/3) with
/// R_i = (2 E_i − max E − min E)/(max E − min E).
fn risk_from_exposure(exposure: &[f64], risk: &mut [f64]) {
    let max = exposure.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = exposure.iter().copied().fold(f64::INFINITY, f64::min);
    for (r, &e) in risk.iter_mut().zip(exposure) {
        *r = if max > min {
            let big_r = (2.0 * e - max - min) / (max - min);
            ((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)).clamp(0.5, 2.0)
        } else {
            1.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_utility_with_status_quo_weights_follows_the_formula() {
        // Positions 0, 0.4, 1 (Δ = 1); weights c·s = 0.5, 0.4, 0.3 → weighted median 0.4.
        let m = ExpectedUtilityModel::new(&[0.0, 0.4, 1.0], &[1.0, 0.5, 1.0], &[0.5, 0.8, 0.3])
            .with_status_quo_weights(0.25, 0.6);
        assert_eq!(m.weighted_median(), 0.4);
        let (i, j, r) = (0, 2, 1.5);
        // P_02: votes (|x_k − 1| − |x_k − 0|) = 1, 0.2, −1 with weights 0.5, 0.4, 0.3.
        let p = (0.5 + 0.4 * 0.2 - 0.3f64).max(0.0) / (0.5 + 0.4 * 0.2 + 0.3);
        assert!((m.win_probability(i, j) - p).abs() < 1e-15);
        let u = |b: f64| 2.0 - 4.0 * b.powf(r);
        let (us, uf, usq) = (u(0.0), u(1.0), u(0.5));
        let spread = 0.25 * (0.4 + 1.0);
        let (ub, uw) = (u(0.5 - spread), u(0.5 + spread));
        let s = 0.3;
        let want = s * (p * us + (1.0 - p) * uf) + (1.0 - s) * us
            - 0.25 * usq
            - 0.75 * (0.6 * ub + 0.4 * uw);
        assert!((m.expected_utility(i, j, r) - want).abs() < 1e-14);
    }
}
