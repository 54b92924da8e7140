//! Global sensitivity analysis: which uncertain inputs of a scenario drive each headline outcome.
//!
//! # Method: standardised rank regression coefficients
//!
//! A batch of runs is played as `treaty run` plays it (run k from [`SimRng::for_run`]`(seed, k)`);
//! for every run the sampled value of each uncertain input (every number of the scenario given
//! as a distribution, named by the override path that sets it) and each outcome are kept:
//! agreement (1 or 0), war (1 if the run saw a war, limited or not), each issue's settlement and
//! each actor's utility. For each outcome Y, the ranks of Y are regressed by least squares on the
//! ranks of all the inputs, every variable standardised (mean 0, variance 1): the coefficients are
//! the **standardised rank regression coefficients** (SRRC; Saltelli, Chan & Scott (eds),
//! *Sensitivity Analysis*, Wiley 2000, ch. 6; Helton & Davis 2002, "Illustration of
//! sampling-based methods for uncertainty and sensitivity analysis", *Risk Analysis* 22(3)).
//!
//! - The sign says the direction: a positive SRRC means the outcome rises with the input.
//! - With independent inputs, SRRC² is the share of the variance of the outcome's ranks that the
//!   input explains alone, and the model's R² on ranks says how much of it the inputs explain
//!   together, additively. Inputs are ranked by |SRRC|.
//! - An R² well below 1 means the outcome depends on the inputs in a non-monotone way, through
//!   interactions, or on the run's own randomness (perception noise, recognition, events, war
//!   dice), which is not an input here: the remaining share is then what no input explains.
//!   Variance-based indices (Sobol, by the Saltelli or Jansen estimators) would capture
//!   interactions at the cost of (p + 2) batches for p inputs; rank regression is the standard
//!   cheap first pass, from a single batch, and is exact in what it claims for monotone,
//!   additive dependence, which is what analysts mostly ask ("does more capability help?").
//!
//! Each coefficient has a 95% interval from the least-squares standard error on the ranks,
//! β ± 1.96 √(σ² (XᵀX)⁻¹ᵢᵢ), σ² the residual variance with n − p − 1 degrees of freedom.
//! Ties (an outcome that takes few values, like agreement) take their average rank.
//!
//! # Determinism
//!
//! Runs are played in blocks on every core and gathered in run order; the regression reads them
//! in that order. The same scenario, seed and runs give the same bits for any thread count.

use crate::engine::{NoopObserver, OutcomeKind, Simulator};
use crate::model::{Model, SamplePlan};
use crate::rng::SimRng;
use rayon::prelude::*;

/// Runs of a sensitivity analysis when none are given.
pub const DEFAULT_RUNS: u64 = 4000;

/// Runs played together on one worker.
const BLOCK: u64 = 250;

/// One input's effect on one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The input's index in [`Sensitivity::inputs`].
    pub input: usize,
    /// Its standardised rank regression coefficient.
    pub srrc: f64,
    /// The 95% interval of the coefficient.
    pub interval: [f64; 2],
    /// Spearman's rank correlation of the input with the outcome.
    pub spearman: f64,
}

/// The analysis of one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeSensitivity {
    /// What the outcome is, e.g. `P(agreement)`, `settlement I1`, `utility ARM`.
    pub name: String,
    /// The outcome's mean over the runs.
    pub mean: f64,
    /// Its standard deviation over the runs.
    pub sd: f64,
    /// R² of the rank regression: the share of the outcome's rank variance the inputs explain
    /// additively. None when the outcome does not vary.
    pub r2: Option<f64>,
    /// Every input's effect, largest |SRRC| first (empty when the outcome does not vary).
    pub effects: Vec<Effect>,
}

/// A sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Master seed.
    pub seed: u64,
    /// Runs played.
    pub runs: u64,
    /// The uncertain inputs' names (override paths), in the order they are drawn.
    pub inputs: Vec<String>,
    /// Each input's 5% and 95% quantiles over the runs.
    pub input_ranges: Vec<[f64; 2]>,
    /// The outcomes, in report order: agreement, war, each issue's settlement, each actor's
    /// utility.
    pub outcomes: Vec<OutcomeSensitivity>,
}

/// A sensitivity analysis that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// The scenario has no uncertain number.
    #[error(
        "the scenario has no uncertain number: give some inputs a distribution (e.g. --set actors.X.capability=Uniform(0.5, 1.5)) to ask which of them matter"
    )]
    NoInputs,
    /// Too few runs for the number of inputs.
    #[error("{runs} runs are too few for {inputs} uncertain inputs: give at least {needed}")]
    TooFewRuns {
        /// Runs asked for.
        runs: u64,
        /// Inputs of the scenario.
        inputs: usize,
        /// The least that will do.
        needed: u64,
    },
    /// The thread pool could not be started.
    #[error("cannot start a pool of {threads} threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// What rayon said.
        message: String,
    },
}

/// Plays `runs` runs of `model` under `seed` and ranks its uncertain inputs by their influence
/// on each headline outcome (module docs).
pub fn sensitivity(
    model: &Model,
    seed: u64,
    runs: u64,
    threads: Option<usize>,
) -> Result<Sensitivity, SensitivityError> {
    let plan = SamplePlan::new(model);
    let inputs = plan.inputs(model);
    let p = inputs.len();
    if p == 0 {
        return Err(SensitivityError::NoInputs);
    }
    let needed = (10 * (p as u64 + 1)).max(100);
    if runs < needed {
        return Err(SensitivityError::TooFewRuns {
            runs,
            inputs: p,
            needed,
        });
    }
    let m = model.issues.len();
    let n_actors = model.actors.len();
    let n_out = 2 + m + n_actors;
    let blocks = runs.div_ceil(BLOCK);
    // Per run: p inputs then n_out outcomes.
    let work = || -> Vec<Vec<f64>> {
        (0..blocks)
            .into_par_iter()
            .map(|b| {
                let mut sim = Simulator::new(model);
                let mut world = plan.world();
                let range = b * BLOCK..((b + 1) * BLOCK).min(runs);
                let mut rows = Vec::with_capacity((range.end - range.start) as usize * (p + n_out));
                for k in range {
                    let rng = SimRng::for_run(seed, k);
                    plan.sample_into(&rng, &mut world);
                    rows.extend(inputs.iter().map(|i| i.value(&world)));
                    let out = sim.run(&rng, &mut NoopObserver);
                    rows.push(f64::from(u8::from(out.kind == OutcomeKind::Agreement)));
                    rows.push(f64::from(u8::from(!out.wars.is_empty())));
                    rows.extend_from_slice(&out.settlement);
                    rows.extend_from_slice(&out.utility);
                }
                rows
            })
            .collect()
    };
    let data: Vec<f64> = match threads {
        None => work(),
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| SensitivityError::ThreadPool {
                threads: t,
                message: e.to_string(),
            })?
            .install(work),
    }
    .concat();
    let n = runs as usize;
    let width = p + n_out;
    let column = |c: usize| -> Vec<f64> { (0..n).map(|r| data[r * width + c]).collect() };
    let x: Vec<Vec<f64>> = (0..p).map(|i| standardise(&ranks(&column(i)))).collect();
    let input_ranges = (0..p)
        .map(|i| {
            let mut v = column(i);
            v.sort_by(f64::total_cmp);
            [quantile(&v, 0.05), quantile(&v, 0.95)]
        })
        .collect();
    let gram = gram_inverse(&x);
    let mut names = vec!["P(agreement)".to_string(), "P(war)".to_string()];
    names.extend(model.issues.iter().map(|i| format!("settlement {}", i.id)));
    names.extend(model.actors.iter().map(|a| format!("utility {}", a.id)));
    let outcomes = names
        .into_iter()
        .enumerate()
        .map(|(o, name)| {
            let y = column(p + o);
            let mean = y.iter().sum::<f64>() / n as f64;
            let sd =
                (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
            let ry = ranks(&y);
            let varies = ry.iter().any(|&r| r != ry[0]);
            let (r2, effects) = if varies {
                analyse(&x, &standardise(&ry), gram.as_ref())
            } else {
                (None, Vec::new())
            };
            OutcomeSensitivity {
                name,
                mean,
                sd,
                r2,
                effects,
            }
        })
        .collect();
    Ok(Sensitivity {
        seed,
        runs,
        inputs: inputs.into_iter().map(|i| i.name).collect(),
        input_ranges,
        outcomes,
    })
}

/// The coefficients, intervals and correlations of the standardised outcome `y` on the
/// standardised inputs `x`, largest |SRRC| first, and R².
fn analyse(x: &[Vec<f64>], y: &[f64], gram: Option<&Vec<Vec<f64>>>) -> (Option<f64>, Vec<Effect>) {
    let n = y.len();
    let p = x.len();
    let xty: Vec<f64> = x.iter().map(|xi| dot(xi, y)).collect();
    let spearman: Vec<f64> = xty.iter().map(|v| v / (n as f64 - 1.0)).collect();
    let mut effects: Vec<Effect> = match gram {
        Some(g) => {
            let beta: Vec<f64> = (0..p).map(|i| dot(&g[i], &xty)).collect();
            let fitted_ss: f64 = beta.iter().zip(&xty).map(|(b, v)| b * v).sum();
            let total_ss = dot(y, y);
            let resid = ((total_ss - fitted_ss) / (n - p - 1) as f64).max(0.0);
            let r2 = (fitted_ss / total_ss).clamp(0.0, 1.0);
            let effects = (0..p)
                .map(|i| {
                    let half = 1.959964 * (resid * g[i][i]).max(0.0).sqrt();
                    Effect {
                        input: i,
                        srrc: beta[i],
                        interval: [beta[i] - half, beta[i] + half],
                        spearman: spearman[i],
                    }
                })
                .collect();
            return (Some(r2), sorted(effects));
        }
        None => (0..p)
            .map(|i| Effect {
                input: i,
                srrc: f64::NAN,
                interval: [f64::NAN, f64::NAN],
                spearman: spearman[i],
            })
            .collect(),
    };
    effects.sort_by(|a, b| b.spearman.abs().total_cmp(&a.spearman.abs()));
    (None, effects)
}

fn sorted(mut effects: Vec<Effect>) -> Vec<Effect> {
    effects.sort_by(|a, b| {
        b.srrc
            .abs()
            .total_cmp(&a.srrc.abs())
            .then(a.input.cmp(&b.input))
    });
    effects
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// (XᵀX)⁻¹ of the standardised inputs by Gauss–Jordan elimination with partial pivoting; None
/// when the inputs are collinear (an input that does not vary, or two that move together).
fn gram_inverse(x: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = x.len();
    let mut a: Vec<Vec<f64>> = (0..p)
        .map(|i| {
            let mut row: Vec<f64> = (0..p).map(|j| dot(&x[i], &x[j])).collect();
            row.extend((0..p).map(|j| f64::from(u8::from(i == j))));
            row
        })
        .collect();
    let scale = a.iter().map(|r| r[0].abs()).fold(1.0, f64::max);
    for c in 0..p {
        let pivot = (c..p).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[pivot][c].abs() < 1e-9 * scale {
            return None;
        }
        a.swap(c, pivot);
        let d = a[c][c];
        for v in a[c].iter_mut() {
            *v /= d;
        }
        for r in 0..p {
            if r != c {
                let f = a[r][c];
                if f != 0.0 {
                    let (pivot_row, row) = if r < c {
                        let (top, bottom) = a.split_at_mut(c);
                        (&bottom[0], &mut top[r])
                    } else {
                        let (top, bottom) = a.split_at_mut(r);
                        (&top[c], &mut bottom[0])
                    };
                    for (v, q) in row.iter_mut().zip(pivot_row) {
                        *v -= f * q;
                    }
                }
            }
        }
    }
    Some(a.into_iter().map(|r| r[p..].to_vec()).collect())
}

/// The ranks of `v` (1-based), ties at their average rank.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// `v` less its mean, divided by its standard deviation (all zeros if it does not vary).
fn standardise(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    if sd == 0.0 {
        return vec![0.0; v.len()];
    }
    v.iter().map(|x| (x - mean) / sd).collect()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random sequence on (0, 1).
    fn units(seed: u64, n: usize) -> Vec<f64> {
        let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
            })
            .collect()
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[0.5, 0.1, 0.5, 0.9]), vec![2.5, 1.0, 2.5, 4.0]);
    }

    #[test]
    fn a_linear_outcome_splits_its_variance_by_the_squared_coefficients() {
        // Y = 2 X1 + X2 + 0·X3 with independent uniform inputs: var shares 4/5 and 1/5 (on the
        // values; on ranks nearly so, the sum of uniforms being close to linear in its ranks).
        let n = 20_000;
        let (a, b, c) = (units(1, n), units(2, n), units(3, n));
        let y: Vec<f64> = (0..n).map(|k| 2.0 * a[k] + b[k]).collect();
        let x: Vec<Vec<f64>> = [a, b, c].iter().map(|v| standardise(&ranks(v))).collect();
        let g = gram_inverse(&x).unwrap();
        let (r2, effects) = analyse(&x, &standardise(&ranks(&y)), Some(&g));
        let share = |i: usize| {
            let e = effects.iter().find(|e| e.input == i).unwrap();
            e.srrc * e.srrc
        };
        assert!((share(0) - 0.8).abs() < 0.03, "{}", share(0));
        assert!((share(1) - 0.2).abs() < 0.03, "{}", share(1));
        assert!(share(2) < 0.001);
        assert!(r2.unwrap() > 0.97);
        assert_eq!(effects[0].input, 0);
        // The irrelevant input's coefficient is near 0; the main one's interval is narrow and
        // far from it.
        let e3 = effects.iter().find(|e| e.input == 2).unwrap();
        assert!(e3.srrc.abs() < 0.02, "{}", e3.srrc);
        assert!(effects[0].interval[0] > 0.8);
        assert!(effects[0].interval[1] - effects[0].interval[0] < 0.02);
    }

    #[test]
    fn collinear_inputs_fall_back_to_correlations() {
        let a = units(4, 500);
        let x = vec![standardise(&ranks(&a)), standardise(&ranks(&a))];
        assert!(gram_inverse(&x).is_none());
        let (r2, effects) = analyse(&x, &standardise(&ranks(&a)), None);
        assert!(r2.is_none());
        assert!((effects[0].spearman - 1.0).abs() < 1e-9);
    }
}
