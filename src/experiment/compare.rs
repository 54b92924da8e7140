//! Paired comparison of scenario variants on common random numbers (module docs of
//! [`crate::experiment`]).

use std::ops::Range;

use serde::Serialize;

use super::metrics::{Metric, MetricKind, MetricTally, Metrics, observe, tidy};
use crate::engine::Simulator;
use crate::model::Model;
use crate::montecarlo::Provenance;
use crate::montecarlo::{BatchConfig, BlockTask, Monitor, MonteCarloError, StopFlag, run_blocks};
use crate::rng::SimRng;
use crate::stats::{Moments, Z95};

/// The JSON schema of comparisons: name and version.
pub const COMPARE_SCHEMA: &str = "treaty-compare/1";

/// A scenario taking part in a comparison: the base, or a variant of it.
#[derive(Debug, Clone)]
pub struct Variant<'a> {
    /// What reports call it.
    pub name: String,
    /// The validated model (its origin gives the provenance: the file's hash, the overrides).
    pub model: &'a Model,
}

/// The exact statistics of a comparison: each scenario's metrics, and for each variant the
/// run-by-run differences from the base on the metrics both have.
#[derive(Debug, Clone, PartialEq)]
struct CompareTally {
    /// Per scenario, the base first.
    scenarios: Vec<MetricTally>,
    /// Per variant, per pair of [`CompareTask`]'s pairing, the moments of variant − base.
    differences: Vec<Vec<Moments>>,
}

/// Plays the base and every variant in lockstep: run k of each from `SimRng::for_run(seed, k)`.
struct CompareTask<'a> {
    models: Vec<&'a Model>,
    sizes: Vec<usize>,
    /// Per variant: (base metric, variant metric) pairs with the same identifier.
    pairs: Vec<Vec<(usize, usize)>>,
}

impl BlockTask for CompareTask<'_> {
    type Tally = CompareTally;

    fn empty(&self) -> CompareTally {
        CompareTally {
            scenarios: self.sizes.iter().map(|&n| MetricTally::new(n)).collect(),
            differences: self
                .pairs
                .iter()
                .map(|p| vec![Moments::new(); p.len()])
                .collect(),
        }
    }

    fn play(&self, seed: u64, runs: Range<u64>, tally: &mut CompareTally, stop: &StopFlag) {
        let mut values: Vec<Vec<f64>> = self.sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
        // One simulator per scenario for the block: each run restarts it in place.
        let mut simulators: Vec<Simulator<'_>> =
            self.models.iter().map(|m| Simulator::new(m)).collect();
        for run in runs {
            if stop.is_raised() {
                return;
            }
            let rng = SimRng::for_run(seed, run);
            for ((sim, v), t) in simulators
                .iter_mut()
                .zip(values.iter_mut())
                .zip(tally.scenarios.iter_mut())
            {
                let outcome = sim.run(&rng, &mut stop.observer());
                observe(outcome, v);
                t.record(v, outcome);
            }
            let (base, variants) = values.split_first().expect("the base is first");
            for ((pairs, diffs), v) in self
                .pairs
                .iter()
                .zip(tally.differences.iter_mut())
                .zip(variants)
            {
                for (&(jb, jv), d) in pairs.iter().zip(diffs.iter_mut()) {
                    d.record_difference(v[jv], base[jb]);
                }
            }
        }
    }

    fn merge(&self, total: &mut CompareTally, block: &CompareTally) -> Result<(), MonteCarloError> {
        for (t, b) in total.scenarios.iter_mut().zip(&block.scenarios) {
            t.merge(b);
        }
        for (t, b) in total.differences.iter_mut().zip(&block.differences) {
            for (m, o) in t.iter_mut().zip(b) {
                m.merge(o);
            }
        }
        Ok(())
    }
}

/// A comparison: every variant against the base, metric by metric ([`COMPARE_SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// [`COMPARE_SCHEMA`].
    pub schema: String,
    /// How the intervals are computed, in words.
    pub method: String,
    /// The master seed every scenario ran under.
    pub seed: u64,
    /// Runs of every scenario.
    pub runs: u64,
    /// The base.
    pub base: BaseEntry,
    /// Each variant against the base, in the order given.
    pub variants: Vec<VariantComparison>,
}

/// The base of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseEntry {
    /// What reports call it.
    pub name: String,
    /// Its provenance.
    pub provenance: Provenance,
}

/// One variant against the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantComparison {
    /// What reports call it.
    pub name: String,
    /// Its provenance (its file's hash and every override applied).
    pub provenance: Provenance,
    /// One line: what changed most.
    pub summary: String,
    /// The metric with the largest significant standardised difference, if any is significant.
    pub changed_most: Option<ChangedMost>,
    /// Every metric of the base, then those only the variant has.
    pub metrics: Vec<PairedMetric>,
}

/// The metric that changed most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedMost {
    /// Its identifier.
    pub metric: String,
    /// Its label.
    pub label: String,
    /// The paired difference, variant − base.
    pub difference: f64,
    /// Its 95% interval.
    pub interval: [f64; 2],
    /// The difference in pooled standard deviations (`null` when neither scenario varies).
    pub standardised: Option<f64>,
}

/// One metric in the base and a variant, and their paired difference. Statistics that cannot
/// be computed (a metric one scenario lacks, fewer than two runs) are `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedMetric {
    /// Its identifier, e.g. `utility.RUS`.
    pub metric: String,
    /// Its label.
    pub label: String,
    /// Probability or mean.
    pub kind: MetricKind,
    /// Its value in the base.
    pub base: Option<f64>,
    /// Its value in the variant.
    pub variant: Option<f64>,
    /// The mean of the run-by-run differences, variant − base (exactly `variant − base` up to
    /// rounding in the 12th decimal).
    pub difference: Option<f64>,
    /// The paired 95% interval of the difference: mean ± 1.96 · sd / √runs of the run-by-run
    /// differences.
    pub interval: Option<[f64; 2]>,
    /// Whether the interval excludes 0.
    pub significant: bool,
    /// The difference in pooled standard deviations: d / √((sd_base² + sd_variant²) / 2).
    pub standardised: Option<f64>,
    /// The standard deviation of the metric over the base's runs.
    pub base_sd: Option<f64>,
    /// The standard deviation over the variant's runs.
    pub variant_sd: Option<f64>,
    /// The standard deviation of the run-by-run differences.
    pub difference_sd: Option<f64>,
    /// The interval independent runs would give: d ± 1.96 · √((sd_base² + sd_variant²) / runs).
    /// Comparing its width with `interval`'s shows what common random numbers gained.
    pub unpaired_interval: Option<[f64; 2]>,
}

/// The method line of every comparison.
const METHOD: &str = "common random numbers: run k of every scenario uses random stream k of \
    the seed; difference = mean of run-by-run differences (variant - base); interval = \
    difference +/- 1.96 sd/sqrt(runs) of those differences; significant = the interval excludes 0";

/// Runs `base` and every variant `runs` times under one seed, in lockstep on common random
/// numbers, and compares each variant with the base (module docs of [`crate::experiment`]).
pub fn compare(
    base: &Variant<'_>,
    variants: &[Variant<'_>],
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<Comparison, MonteCarloError> {
    let metrics: Vec<Metrics> = std::iter::once(base)
        .chain(variants)
        .map(|v| Metrics::of(v.model))
        .collect();
    let pairs: Vec<Vec<(usize, usize)>> = metrics[1..]
        .iter()
        .map(|vm| {
            metrics[0]
                .list()
                .iter()
                .enumerate()
                .filter_map(|(jb, m)| vm.position(&m.id).map(|jv| (jb, jv)))
                .collect()
        })
        .collect();
    let task = CompareTask {
        models: std::iter::once(base)
            .chain(variants)
            .map(|v| v.model)
            .collect(),
        sizes: metrics.iter().map(Metrics::len).collect(),
        pairs,
    };
    let result = run_blocks(&task, config, monitor)?;
    let tally = result.tally;
    let runs = tally.scenarios[0].runs();
    let with_runs = |model: &Model| {
        let mut p = Provenance::of(model, config);
        p.runs = runs;
        p
    };
    let comparisons = variants
        .iter()
        .enumerate()
        .map(|(v, variant)| {
            let rows = paired_rows(
                &metrics[0],
                &metrics[v + 1],
                &tally.scenarios[0],
                &tally.scenarios[v + 1],
                &task.pairs[v],
                &tally.differences[v],
            );
            let changed_most = changed_most(&rows);
            VariantComparison {
                name: variant.name.clone(),
                provenance: with_runs(variant.model),
                summary: summary_line(&variant.name, changed_most.as_ref()),
                changed_most,
                metrics: rows,
            }
        })
        .collect();
    Ok(Comparison {
        schema: COMPARE_SCHEMA.into(),
        method: METHOD.into(),
        seed: config.seed,
        runs,
        base: BaseEntry {
            name: base.name.clone(),
            provenance: with_runs(base.model),
        },
        variants: comparisons,
    })
}

/// The rows of one variant: the base's metrics, then the variant's own.
fn paired_rows(
    base_metrics: &Metrics,
    variant_metrics: &Metrics,
    base: &MetricTally,
    variant: &MetricTally,
    pairs: &[(usize, usize)],
    differences: &[Moments],
) -> Vec<PairedMetric> {
    let mut rows: Vec<PairedMetric> = base_metrics
        .list()
        .iter()
        .enumerate()
        .map(|(jb, m)| {
            let pair = pairs.iter().position(|&(b, _)| b == jb);
            match pair {
                Some(k) => paired(
                    m,
                    &base.values[jb],
                    &variant.values[pairs[k].1],
                    &differences[k],
                ),
                None => unpaired(m, Some(&base.values[jb]), None),
            }
        })
        .collect();
    rows.extend(
        variant_metrics
            .list()
            .iter()
            .enumerate()
            .filter(|(jv, _)| !pairs.iter().any(|&(_, v)| v == *jv))
            .map(|(jv, m)| unpaired(m, None, Some(&variant.values[jv]))),
    );
    rows
}

/// A metric one of the scenarios lacks: its value where it has one, nothing compared.
fn unpaired(m: &Metric, base: Option<&Moments>, variant: Option<&Moments>) -> PairedMetric {
    PairedMetric {
        metric: m.id.clone(),
        label: m.label.clone(),
        kind: m.kind,
        base: base.and_then(Moments::mean).map(tidy),
        variant: variant.and_then(Moments::mean).map(tidy),
        difference: None,
        interval: None,
        significant: false,
        standardised: None,
        base_sd: base.and_then(Moments::sd).map(tidy),
        variant_sd: variant.and_then(Moments::sd).map(tidy),
        difference_sd: None,
        unpaired_interval: None,
    }
}

/// The paired statistics of one metric (module docs of [`crate::experiment`]).
fn paired(m: &Metric, base: &Moments, variant: &Moments, diff: &Moments) -> PairedMetric {
    let n = diff.count() as f64;
    let d = diff.mean();
    let interval = d.zip(diff.sd()).map(|(d, sd)| {
        let half = Z95 * sd / n.sqrt();
        [tidy(d - half), tidy(d + half)]
    });
    let (sb, sv) = (base.sd(), variant.sd());
    let unpaired_interval = d.zip(sb.zip(sv)).map(|(d, (sb, sv))| {
        let half = Z95 * ((sb * sb + sv * sv) / n).sqrt();
        [tidy(d - half), tidy(d + half)]
    });
    let standardised = d.zip(sb.zip(sv)).and_then(|(d, (sb, sv))| {
        let pooled = ((sb * sb + sv * sv) / 2.0).sqrt();
        (pooled > 0.0).then(|| tidy(d / pooled))
    });
    PairedMetric {
        metric: m.id.clone(),
        label: m.label.clone(),
        kind: m.kind,
        base: base.mean().map(tidy),
        variant: variant.mean().map(tidy),
        difference: d.map(tidy),
        significant: interval.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0),
        interval,
        standardised,
        base_sd: sb.map(tidy),
        variant_sd: sv.map(tidy),
        difference_sd: diff.sd().map(tidy),
        unpaired_interval,
    }
}

/// The significant metric with the largest |standardised difference|; a significant change of a
/// metric that varies in neither scenario (a sure change) ranks above every other.
fn changed_most(rows: &[PairedMetric]) -> Option<ChangedMost> {
    let rank = |r: &PairedMetric| r.standardised.map_or(f64::INFINITY, f64::abs);
    let mut best: Option<&PairedMetric> = None;
    for r in rows.iter().filter(|r| r.significant) {
        if best.is_none_or(|b| rank(r) > rank(b)) {
            best = Some(r);
        }
    }
    let r = best?;
    Some(ChangedMost {
        metric: r.metric.clone(),
        label: r.label.clone(),
        difference: r.difference?,
        interval: r.interval?,
        standardised: r.standardised,
    })
}

/// `NAME: LABEL changed most: +0.0123 (+0.45 sd), 95% interval [+0.0100, +0.0146]`, or that
/// nothing changed significantly.
fn summary_line(name: &str, most: Option<&ChangedMost>) -> String {
    let Some(c) = most else {
        return format!("{name}: no metric changed significantly (every 95% interval includes 0)");
    };
    let sd = c
        .standardised
        .map_or_else(|| "in every run".to_string(), |s| format!("{s:+.2} sd"));
    format!(
        "{name}: {} changed most: {:+.4} ({sd}), 95% interval [{:+.4}, {:+.4}]",
        c.label, c.difference, c.interval[0], c.interval[1]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(xs: &[f64]) -> Moments {
        let mut m = Moments::new();
        for &x in xs {
            m.record(x);
        }
        m
    }

    fn metric(kind: MetricKind) -> Metric {
        Metric {
            id: "x".into(),
            label: "x".into(),
            kind,
        }
    }

    #[test]
    fn paired_statistics_follow_their_formulas() {
        let base = [0.2, 0.4, 0.6, 0.8, 0.5];
        let variant = [0.25, 0.5, 0.6, 0.95, 0.55];
        let mut diff = Moments::new();
        for (v, b) in variant.iter().zip(&base) {
            diff.record_difference(*v, *b);
        }
        let row = paired(
            &metric(MetricKind::Mean),
            &moments(&base),
            &moments(&variant),
            &diff,
        );
        let d: Vec<f64> = variant.iter().zip(&base).map(|(v, b)| v - b).collect();
        let mean = d.iter().sum::<f64>() / 5.0;
        let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
        assert!((row.difference.unwrap() - mean).abs() < 1e-12);
        let [lo, hi] = row.interval.unwrap();
        assert!((lo - (mean - Z95 * sd / 5f64.sqrt())).abs() < 1e-12);
        assert!((hi - (mean + Z95 * sd / 5f64.sqrt())).abs() < 1e-12);
        assert!(row.significant, "{row:?}");
        // The values move together, so pairing narrows the interval.
        let [ulo, uhi] = row.unpaired_interval.unwrap();
        assert!(uhi - ulo > 3.0 * (hi - lo));
        assert!(ulo <= 0.0, "unpaired, the change is not significant: {ulo}");
        let sb = moments(&base).sd().unwrap();
        let sv = moments(&variant).sd().unwrap();
        let pooled = ((sb * sb + sv * sv) / 2.0).sqrt();
        assert!((row.standardised.unwrap() - mean / pooled).abs() < 1e-9);
    }

    #[test]
    fn identical_runs_give_exact_zeros() {
        let xs = [0.3, 0.1, 0.9, 0.7];
        let mut diff = Moments::new();
        for x in xs {
            diff.record_difference(x, x);
        }
        let row = paired(
            &metric(MetricKind::Mean),
            &moments(&xs),
            &moments(&xs),
            &diff,
        );
        assert_eq!(row.difference, Some(0.0));
        assert_eq!(row.interval, Some([0.0, 0.0]));
        assert!(!row.significant);
        assert_eq!(row.standardised, Some(0.0));
        assert_eq!(changed_most(std::slice::from_ref(&row)), None);
        assert!(summary_line("same", None).contains("no metric changed significantly"));
    }

    #[test]
    fn a_sure_change_ranks_first() {
        let same = [0.5; 10];
        let shifted = [0.6; 10];
        let mut diff = Moments::new();
        for (v, b) in shifted.iter().zip(&same) {
            diff.record_difference(*v, *b);
        }
        let sure = paired(
            &metric(MetricKind::Mean),
            &moments(&same),
            &moments(&shifted),
            &diff,
        );
        assert_eq!(sure.interval, Some([0.1, 0.1]));
        assert!(sure.significant);
        assert_eq!(sure.standardised, None);
        let base = [0.0, 1.0, 0.0, 1.0];
        let variant = [1.0, 1.0, 1.0, 1.0];
        let mut d2 = Moments::new();
        for (v, b) in variant.iter().zip(&base) {
            d2.record_difference(*v, *b);
        }
        let mut noisy = paired(
            &metric(MetricKind::Probability),
            &moments(&base),
            &moments(&variant),
            &d2,
        );
        noisy.metric = "y".into();
        noisy.significant = true;
        let most = changed_most(&[noisy, sure]).unwrap();
        assert_eq!(most.metric, "x");
        assert!(summary_line("v", Some(&most)).contains("in every run"));
    }
}
