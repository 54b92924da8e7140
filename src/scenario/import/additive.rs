//! Linear additive profiles (GENIUS, GeniusWeb) turned into ideal points and saliences.
//!
//! A linear additive profile values an outcome ω (one value per issue) at
//!
//! ```text
//! U(ω) = Σ_j w_j · e_j(ω_j)
//! ```
//!
//! with issue weights w_j and evaluation functions e_j (Keeney & Raiffa 1976, *Decisions with
//! Multiple Objectives*, ch. 3; the form of GENIUS, Lin et al. 2014, and GeniusWeb). A treaty
//! actor values a settlement x by its salience-weighted distance from its ideal point p,
//!
//! ```text
//! u(x) = 1 − Σ_j s_j |x_j − p_j| / Σ_j s_j · max(p_j, 1 − p_j)       (risk exponent 1)
//! ```
//!
//! Both are additive over issues, so the mapping is made issue by issue. On issue j every value
//! v gets a point x(v) in [0, 1] (shared by all profiles: it is the issue's scale), and each
//! profile i gets an ideal p_ij and a salience s_ij:
//!
//! - **Points.** A number issue (GENIUS `integer` and `real`, GeniusWeb number ranges), and a
//!   discrete issue whose values are all numbers, is placed by value: x(v) = (v − low) / (high −
//!   low). A discrete issue with named values has no order of its own; its options are placed
//!   on the first principal axis of the profiles' evaluations (Carroll & Chang's MDPREF vector
//!   model, 1970, in one dimension; Eckart & Young 1936): the n × m matrix of the m profiles'
//!   normalised evaluations of the n values, each column centred and weighted by the issue's
//!   share of that profile's utility range, is reduced to its leading singular vector, whose
//!   scores, rescaled to [0, 1], are the points. Its sign is chosen so that the first profile
//!   given (that cares about the issue) has its best value nearer 0. Values with the same point
//!   become one option (labels joined by ` | `).
//! - **Ideal.** p_ij is the point of the profile's best value (the first, from 0, when several
//!   tie): the scenario's actor is fully satisfied exactly where the profile is.
//! - **Salience.** s_ij = w_ij · (max e_ij − min e_ij) / max(p_ij, 1 − p_ij), then divided by
//!   the profile's largest. With it each issue's share of the actor's utility range is the
//!   profile's share, w_ij (max e_ij − min e_ij) / Σ_k w_ik (max e_ik − min e_ik).
//!
//! The mapping is **exact** (u(x(ω)) = (U(ω) − U_min) / (U_max − U_min) for every outcome)
//! when every evaluation is, along the points, a linear function of the distance from the ideal
//! reaching its minimum at a pole: a linear number evaluation (ideal at the better end), or a
//! discrete evaluation linear in the points — which holds for the principal axis whenever the
//! profiles' normalised evaluations of the issue are affine in one common score, e.g. two
//! opposed profiles (ê_A + ê_B = 1). What is lost otherwise: a non-monotone evaluation over
//! ordered values (a best value inside the range with unequal slopes on its two sides, or a
//! second peak), evaluations over named values that no single axis orders for everyone, and
//! GENIUS's clamping of a linear evaluator to [0, 1] inside the range. The importer measures
//! the loss: with d_jk = ℓ_j(x_k) − (1 − ê_jk) the gap, at value k, between the scenario's
//! normalised loss ℓ_j(x) = |x − p_j| / max(p_j, 1 − p_j) and the profile's, and σ_j the
//! issue's share, the largest difference in utility over all outcomes is
//!
//! ```text
//! max( Σ_j σ_j max(0, max_k d_jk),  Σ_j σ_j max(0, max_k −d_jk) )
//! ```
//!
//! (issues are independent, so the worst outcome takes the worst value of each issue). A
//! profile whose difference exceeds [`EXACT`] is reported as inexact.
//!
//! - **Reservation.** Affine maps keep the order of outcomes and lotteries (von Neumann &
//!   Morgenstern), so the reservation value r is mapped like every utility:
//!   (r − U_min) / (U_max − U_min), with U_min = Σ_j w_j min e_j and U_max = Σ_j w_j max e_j,
//!   clipped to [0, 1] (and said so when clipped).
//! - **Discount.** GENIUS discounts a utility at normalised time t ∈ [0, 1] to U · d^t. With
//!   the protocol's deadline of T rounds, a round is 1/T of the time, so the per-round factor
//!   is δ = d^(1/T): an agreement in round r is worth δ^(r − 1) = d^((r − 1)/T), GENIUS's value
//!   at the round's start. Treaty discounts the normalised utility u, GENIUS the raw U: the two
//!   agree when U_min = 0 (GENIUS also discounts the reservation value, which treaty keeps
//!   whole). Only `AlternatingOffers` has per-actor discounts; under another protocol the
//!   discount is dropped, with a warning.

use super::{DraftActor, DraftIssue, MIDPOINT};

/// A difference in utility below this is taken as none (the rounding of the numbers read).
pub(super) const EXACT: f64 = 1e-9;

/// The most values of a number issue written as options; a larger range becomes a continuous
/// issue.
pub(super) const MAX_OPTIONS: usize = 101;

/// Points at which a continuous issue's evaluations are compared (plus every kink).
const SAMPLES: usize = 1001;

/// A domain, as both formats describe it.
#[derive(Debug, Clone)]
pub(super) struct Domain {
    pub issues: Vec<Issue>,
}

/// One issue of a domain.
#[derive(Debug, Clone)]
pub(super) struct Issue {
    /// The name as written in the file.
    pub name: String,
    pub values: Values,
}

/// What an issue's values are.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Values {
    /// Named values, in the file's order.
    Discrete(Vec<String>),
    /// Numbers from `low` to `high`, every `step` (integers: 1), or every number (`None`).
    Numbers {
        low: f64,
        high: f64,
        step: Option<f64>,
    },
}

/// A profile's evaluation of one issue.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Evaluation {
    /// One number per discrete value, in the domain's order.
    Table(Vec<f64>),
    /// GENIUS: min(1, max(0, offset + slope · (v − origin))).
    Clamped {
        offset: f64,
        slope: f64,
        origin: f64,
    },
    /// GeniusWeb: linear from (low_value, low_utility) to (high_value, high_utility), 0 outside.
    Between {
        low_value: f64,
        low_utility: f64,
        high_value: f64,
        high_utility: f64,
    },
}

impl Evaluation {
    /// The evaluation of the number `v`.
    pub fn at(&self, v: f64) -> f64 {
        match *self {
            Evaluation::Table(_) => 0.0,
            Evaluation::Clamped {
                offset,
                slope,
                origin,
            } => (offset + slope * (v - origin)).clamp(0.0, 1.0),
            Evaluation::Between {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => {
                if v < low_value || v > high_value {
                    0.0
                } else if high_value == low_value {
                    low_utility
                } else {
                    low_utility
                        + (v - low_value) * (high_utility - low_utility) / (high_value - low_value)
                }
            }
        }
    }

    /// The numbers where the evaluation bends or jumps.
    fn kinks(&self) -> Vec<f64> {
        match *self {
            Evaluation::Table(_) => Vec::new(),
            Evaluation::Clamped {
                offset,
                slope,
                origin,
            } => {
                if slope == 0.0 {
                    Vec::new()
                } else {
                    vec![origin - offset / slope, origin + (1.0 - offset) / slope]
                }
            }
            Evaluation::Between {
                low_value,
                high_value,
                ..
            } => vec![low_value, high_value],
        }
    }
}

/// A linear additive profile, as read.
#[derive(Debug, Clone)]
pub(super) struct Profile {
    /// The file it came from.
    pub file: String,
    /// The actor's id and name.
    pub id: String,
    pub name: String,
    /// Per issue, in the domain's order.
    pub weights: Vec<f64>,
    pub evaluations: Vec<Evaluation>,
    /// The reservation value on the profile's own scale, when given.
    pub reservation: Option<f64>,
    /// The discount factor d in (0, 1] (1: none).
    pub discount: f64,
}

/// How well one profile is represented.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileFit {
    /// The actor's id.
    pub actor: String,
    /// The profile's file.
    pub file: String,
    /// The largest difference, over all outcomes, between the scenario's utility and the
    /// profile's normalised utility (U − U_min) / (U_max − U_min); 0 when exact.
    pub max_error: f64,
    /// Per issue (in order) the issue's share of the profile's utility range and the largest
    /// gap between the two normalised losses on it.
    pub issues: Vec<(String, f64, f64)>,
    /// The reservation value on the profile's scale and in the scenario (after mapping).
    pub reservation: Option<(f64, f64)>,
    /// The per-round discount factor written, if any.
    pub delta: Option<f64>,
}

/// The issues, actors and notes made from a domain and its profiles.
#[derive(Debug, Clone)]
pub(super) struct Mapped {
    pub issues: Vec<DraftIssue>,
    pub actors: Vec<DraftActor>,
    pub fits: Vec<ProfileFit>,
    /// Lines for the file's actor comments.
    pub actor_notes: Vec<String>,
    /// Warnings for standard error (also written as comments).
    pub warnings: Vec<String>,
    pub discount: Vec<(String, f64)>,
}

/// One value of an issue as the scenario sees it.
#[derive(Debug, Clone)]
struct Point {
    /// Its label (options) and its number (ordered issues).
    label: String,
    /// Its place on [0, 1].
    x: f64,
    /// Per profile, its evaluation.
    e: Vec<f64>,
}

/// A number written for a label: the shortest form, rounded to the precision of the numbers
/// that made it.
fn number_label(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".to_string() } else { text }
}

/// The decimals needed to write `x` (at most 12).
fn decimals(x: f64) -> usize {
    (0..=12)
        .find(|&d| {
            let scaled = x * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
        })
        .unwrap_or(12)
}

/// The leading eigenvector of a symmetric matrix (cyclic Jacobi rotations; Golub & Van Loan,
/// *Matrix Computations*, §8.5), or None when the matrix is (numerically) zero.
fn leading_eigenvector(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let m = a.len();
    let scale: f64 = a.iter().flatten().map(|x| x.abs()).fold(0.0, f64::max);
    if m == 0 || scale < 1e-300 {
        return None;
    }
    let mut v: Vec<Vec<f64>> = (0..m)
        .map(|i| (0..m).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..m)
            .flat_map(|i| (0..m).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off <= 1e-30 * scale * scale {
            break;
        }
        for p in 0..m {
            for q in p + 1..m {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = (a[p].clone(), a[q].clone());
                for (k, (apk, aqk)) in row_p.into_iter().zip(row_q).enumerate() {
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let best = (0..m).fold(0, |b, i| if a[i][i] > a[b][b] { i } else { b });
    if a[best][best] <= 1e-12 * scale {
        return None;
    }
    Some(v.iter().map(|row| row[best]).collect())
}

/// Places the named values of a discrete issue on the first principal axis of the profiles'
/// evaluations. `e[i][k]` is profile i's normalised evaluation of value k, `share[i]` the
/// issue's share of profile i's utility range. None when no profile cares.
fn principal_axis(e: &[Vec<f64>], share: &[f64]) -> Option<Vec<f64>> {
    let m = e.len();
    let n = e.first().map_or(0, Vec::len);
    // Columns: centred, weighted.
    let cols: Vec<Vec<f64>> = e
        .iter()
        .zip(share)
        .map(|(col, &w)| {
            let mean = col.iter().sum::<f64>() / n as f64;
            col.iter().map(|x| w * (x - mean)).collect()
        })
        .collect();
    let gram: Vec<Vec<f64>> = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| (0..n).map(|k| cols[i][k] * cols[j][k]).sum())
                .collect()
        })
        .collect();
    let v = leading_eigenvector(gram)?;
    let z: Vec<f64> = (0..n)
        .map(|k| (0..m).map(|i| cols[i][k] * v[i]).sum())
        .collect();
    let (lo, hi) = z
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if hi - lo <= 1e-12 {
        return None;
    }
    let mut x: Vec<f64> = z.iter().map(|&s| (s - lo) / (hi - lo)).collect();
    // Orientation: the first profile that cares has its best value nearer 0.
    if let Some(i) = (0..m).find(|&i| share[i] > 0.0) {
        let best = (0..n).fold(0, |b, k| if e[i][k] > e[i][b] { k } else { b });
        if x[best] > 0.5 {
            for xi in &mut x {
                *xi = 1.0 - *xi;
            }
        }
    }
    Some(x)
}

/// The evaluations of every point of an issue by every profile, and the issue's form in the
/// scenario.
struct Laid {
    points: Vec<Point>,
    options: Vec<(f64, String)>,
    poles: (String, String),
    note: String,
}

/// `(min, max)` of a list.
fn range(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// Lays out issue `j`: its points, options and poles.
fn lay(j: usize, issue: &Issue, profiles: &[Profile], weights_range: &[f64]) -> Laid {
    match &issue.values {
        Values::Discrete(labels) => {
            let e: Vec<Vec<f64>> = profiles
                .iter()
                .map(|p| match &p.evaluations[j] {
                    Evaluation::Table(t) => t.clone(),
                    other => labels
                        .iter()
                        .map(|l| l.parse::<f64>().map_or(0.0, |v| other.at(v)))
                        .collect(),
                })
                .collect();
            let numbers: Option<Vec<f64>> = labels
                .iter()
                .map(|l| l.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
                .collect();
            let distinct = numbers.as_ref().is_some_and(|ns| {
                let mut s = ns.clone();
                s.sort_by(f64::total_cmp);
                s.windows(2).all(|w| w[0] < w[1]) && s.len() >= 2
            });
            let (x, note) = match numbers {
                Some(ns) if distinct => {
                    let (lo, hi) = range(&ns);
                    (
                        ns.iter().map(|v| (v - lo) / (hi - lo)).collect::<Vec<_>>(),
                        format!(
                            "{}: values are numbers, placed by value: (v − {lo}) / ({hi} − {lo})",
                            issue.name
                        ),
                    )
                }
                _ => {
                    let normalised: Vec<Vec<f64>> = e
                        .iter()
                        .map(|col| {
                            let (lo, hi) = range(col);
                            col.iter()
                                .map(|v| if hi > lo { (v - lo) / (hi - lo) } else { 0.0 })
                                .collect()
                        })
                        .collect();
                    let share: Vec<f64> = profiles
                        .iter()
                        .enumerate()
                        .map(|(i, _)| {
                            let (lo, hi) = range(&e[i]);
                            let total = weights_range[i];
                            if total > 0.0 {
                                profiles[i].weights[j] * (hi - lo) / total
                            } else {
                                0.0
                            }
                        })
                        .collect();
                    match principal_axis(&normalised, &share) {
                        Some(x) => (
                            x,
                            format!(
                                "{}: named values, placed on the first principal axis of the \
                                 profiles' evaluations",
                                issue.name
                            ),
                        ),
                        None => {
                            let n = labels.len();
                            (
                                (0..n)
                                    .map(|k| {
                                        if n > 1 {
                                            k as f64 / (n - 1) as f64
                                        } else {
                                            0.0
                                        }
                                    })
                                    .collect(),
                                format!(
                                    "{}: no profile cares about it; values evenly spaced in the \
                                     file's order",
                                    issue.name
                                ),
                            )
                        }
                    }
                }
            };
            let mut points: Vec<Point> = labels
                .iter()
                .enumerate()
                .map(|(k, l)| Point {
                    label: l.clone(),
                    x: x[k],
                    e: e.iter().map(|col| col[k]).collect(),
                })
                .collect();
            points.sort_by(|a, b| a.x.total_cmp(&b.x));
            // Options: points with the same place become one.
            let mut options: Vec<(f64, String)> = Vec::new();
            for p in &points {
                match options.last_mut() {
                    Some((at, label)) if (p.x - *at).abs() <= EXACT => {
                        label.push_str(" | ");
                        label.push_str(&p.label);
                    }
                    _ => options.push((p.x, p.label.clone())),
                }
            }
            if let Some(last) = options.last_mut() {
                last.0 = last.0.min(1.0);
            }
            let poles = (
                options.first().map_or(String::new(), |o| o.1.clone()),
                options.last().map_or(String::new(), |o| o.1.clone()),
            );
            if options.len() < 2 {
                options.clear();
            }
            Laid {
                points,
                options,
                poles,
                note,
            }
        }
        Values::Numbers { low, high, step } => {
            let (low, high) = (*low, *high);
            let width = high - low;
            let place = |v: f64| if width > 0.0 { (v - low) / width } else { 0.5 };
            let count = step
                .filter(|s| *s > 0.0)
                .map(|s| ((width / s) + 1e-9).floor() as usize + 1);
            let digits = decimals(low).max(step.map_or(0, decimals));
            let (values, options): (Vec<f64>, Vec<(f64, String)>) = match (count, step) {
                (Some(c), Some(s)) if (2..=MAX_OPTIONS).contains(&c) => {
                    let vs: Vec<f64> = (0..c).map(|k| low + k as f64 * s).collect();
                    let opts = vs
                        .iter()
                        .map(|&v| (place(v).clamp(0.0, 1.0), number_label(v, digits)))
                        .collect();
                    (vs, opts)
                }
                _ => {
                    let mut vs: Vec<f64> = (0..SAMPLES)
                        .map(|k| low + width * k as f64 / (SAMPLES - 1) as f64)
                        .collect();
                    let reach = width * 1e-9;
                    for p in profiles {
                        for kink in p.evaluations[j].kinks() {
                            for v in [kink - reach, kink, kink + reach] {
                                if v > low && v < high {
                                    vs.push(v);
                                }
                            }
                        }
                    }
                    vs.sort_by(f64::total_cmp);
                    vs.dedup();
                    (vs, Vec::new())
                }
            };
            let points = values
                .iter()
                .map(|&v| Point {
                    label: number_label(v, digits),
                    x: place(v),
                    e: profiles.iter().map(|p| p.evaluations[j].at(v)).collect(),
                })
                .collect();
            let note = if options.is_empty() {
                format!(
                    "{}: numbers from {low} to {high}, a continuous issue: x = (v − {low}) / {width}",
                    issue.name
                )
            } else {
                format!(
                    "{}: numbers from {low} to {high}, one option each: x = (v − {low}) / {width}",
                    issue.name
                )
            };
            Laid {
                points,
                options,
                poles: (number_label(low, digits), number_label(high, digits)),
                note,
            }
        }
    }
}

/// Maps a domain and its profiles to issues and actors. `ids` are the issues' ids, `rounds` the
/// protocol's deadline when it takes per-actor discounts (`AlternatingOffers`).
pub(super) fn map(
    domain: &Domain,
    ids: &[String],
    profiles: &[Profile],
    rounds: Option<u32>,
) -> Result<Mapped, String> {
    let n_issues = domain.issues.len();
    // Each profile's utility range on each issue and in all, from the values of the issue.
    // (First pass: the range of every evaluation over its points; the points of discrete
    // issues do not depend on positions.)
    let mut weights_range = vec![0.0; profiles.len()];
    let mut laid: Vec<Laid> = Vec::with_capacity(n_issues);
    // The ranges need the points' evaluations, which need no positions: lay out number issues
    // and evaluate discrete ones first with a provisional total, then lay out again.
    for _pass in 0..2 {
        laid = domain
            .issues
            .iter()
            .enumerate()
            .map(|(j, issue)| lay(j, issue, profiles, &weights_range))
            .collect();
        for (i, p) in profiles.iter().enumerate() {
            weights_range[i] = laid
                .iter()
                .enumerate()
                .map(|(j, l)| {
                    let (lo, hi) = range(&l.points.iter().map(|pt| pt.e[i]).collect::<Vec<_>>());
                    p.weights[j] * (hi - lo)
                })
                .sum();
        }
    }

    let mut actors = Vec::with_capacity(profiles.len());
    let mut fits = Vec::with_capacity(profiles.len());
    let mut actor_notes = Vec::new();
    let mut warnings = Vec::new();
    let mut discount = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let total = weights_range[i];
        if total <= 0.0 {
            return Err(format!(
                "{}: the profile values every outcome the same (every weighted evaluation is \
                 flat), so it has no ideal to negotiate for",
                p.file
            ));
        }
        let mut stances = Vec::with_capacity(n_issues);
        let mut issue_fits = Vec::with_capacity(n_issues);
        let (mut over, mut under) = (0.0f64, 0.0f64);
        let (mut u_min, mut u_max) = (0.0, 0.0);
        for (j, l) in laid.iter().enumerate() {
            let es: Vec<f64> = l.points.iter().map(|pt| pt.e[i]).collect();
            let (lo, hi) = range(&es);
            u_min += p.weights[j] * lo;
            u_max += p.weights[j] * hi;
            let share = p.weights[j] * (hi - lo) / total;
            if share <= 0.0 {
                stances.push((ids[j].clone(), MIDPOINT, 0.0));
                issue_fits.push((domain.issues[j].name.clone(), 0.0, 0.0));
                continue;
            }
            let best = (0..es.len()).fold(0, |b, k| if es[k] > es[b] { k } else { b });
            let ideal = l.points[best].x;
            let far = ideal.max(1.0 - ideal);
            let (mut up, mut down) = (0.0f64, 0.0f64);
            for (k, pt) in l.points.iter().enumerate() {
                let loss = (pt.x - ideal).abs() / far;
                let target = (hi - es[k]) / (hi - lo);
                up = up.max(loss - target);
                down = down.max(target - loss);
            }
            over += share * up;
            under += share * down;
            issue_fits.push((domain.issues[j].name.clone(), share, up.max(down)));
            stances.push((ids[j].clone(), ideal, p.weights[j] * (hi - lo) / far));
        }
        let largest = stances.iter().map(|s| s.2).fold(0.0, f64::max);
        for s in &mut stances {
            s.2 /= largest;
        }
        let max_error = over.max(under);
        let mut note = format!("{} ({}):", p.id, p.file);
        let reservation = p.reservation.map(|r| {
            let mapped = (r - u_min) / (u_max - u_min);
            let clipped = mapped.clamp(0.0, 1.0);
            // Below the worst outcome means the same as at it (0); above the best it changes
            // what the actor accepts, so it is said.
            if mapped > 1.0 {
                warnings.push(format!(
                    "{}: the reservation value {r} lies outside the profile's utilities \
                     [{u_min}, {u_max}]; the actor's reservation is {clipped}",
                    p.file
                ));
            }
            note.push_str(&format!(
                " reservation {r} on the profile's scale [{u_min}, {u_max}] is {clipped};"
            ));
            (r, clipped)
        });
        if reservation.is_none() {
            note.push_str(" no reservation value, reservation 0;");
        }
        let mut delta = None;
        if p.discount < 1.0 {
            match rounds {
                Some(t) => {
                    let d = p.discount.powf(1.0 / f64::from(t));
                    note.push_str(&format!(
                        " discount factor {} over {t} rounds is δ = {d} per round;",
                        p.discount
                    ));
                    discount.push((p.id.clone(), d));
                    delta = Some(d);
                    if u_min.abs() > EXACT {
                        warnings.push(format!(
                            "{}: the discount applies to the utility normalised to [0, 1]; the \
                             profile's lowest utility is {u_min}, not 0, so discounted values \
                             differ from the profile's",
                            p.file
                        ));
                    }
                }
                None => {
                    warnings.push(format!(
                        "{}: the discount factor {} is dropped: only the AlternatingOffers \
                         protocol has per-actor discounts",
                        p.file, p.discount
                    ));
                    note.push_str(&format!(" discount factor {} dropped;", p.discount));
                }
            }
        }
        if max_error > EXACT {
            let worst: Vec<String> = issue_fits
                .iter()
                .filter(|(_, share, gap)| share * gap > EXACT)
                .map(|(name, share, gap)| format!("{name} (gap {gap:.3}, share {share:.3})"))
                .collect();
            warnings.push(format!(
                "{}: the scenario's utility differs from the profile's by up to {max_error:.4} \
                 (on [0, 1]); its evaluations are not linear in the distance from its best \
                 value on {}",
                p.file,
                worst.join(", ")
            ));
            note.push_str(&format!(" inexact, by up to {max_error:.4}"));
        } else {
            note.push_str(" exact");
        }
        actor_notes.push(note);
        fits.push(ProfileFit {
            actor: p.id.clone(),
            file: p.file.clone(),
            max_error,
            issues: issue_fits,
            reservation,
            delta,
        });
        actors.push(DraftActor {
            id: p.id.clone(),
            name: p.name.clone(),
            capability: 1.0,
            stances,
            reservation: Some(reservation.map_or(0.0, |r| r.1)),
        });
    }
    let issues = laid
        .into_iter()
        .zip(ids.iter().zip(&domain.issues))
        .map(|(l, (id, issue))| DraftIssue {
            id: id.clone(),
            name: issue.name.clone(),
            status_quo: MIDPOINT,
            notes: vec![l.note],
            options: l.options,
            poles: Some(l.poles),
        })
        .collect();
    Ok(Mapped {
        issues,
        actors,
        fits,
        actor_notes,
        warnings,
        discount,
    })
}
