//! Fixed-bin histograms with exact counts (module docs of [`crate::stats`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Bins per unit of a settlement histogram: bin k is centred on k / 1000.
const PER_UNIT: f64 = 1000.0;
/// Number of bins of a histogram over [0, 1]: centres 0, 0.001, …, 1.
pub const UNIT_BINS: usize = 1001;
/// Width of a settlement bin; histogram quantiles are within half of it of the exact ones.
pub const BIN_WIDTH: f64 = 1.0 / PER_UNIT;

/// The bin of a value on [0, 1]: round(x · 1000), values outside clamped, NaN in bin 0.
#[inline]
pub fn unit_bin(x: f64) -> usize {
    if x.is_nan() {
        0
    } else {
        (x.clamp(0.0, 1.0) * PER_UNIT).round() as usize
    }
}

/// The centre of bin `k` of a histogram over [0, 1].
pub fn unit_bin_centre(k: usize) -> f64 {
    k as f64 / PER_UNIT
}

/// Histograms of at most this many bins keep one counter per bin; larger ones (the rounds of a
/// distant deadline) keep only their non-empty bins, so their memory does not grow with the
/// number of bins.
pub const DENSE_BINS: usize = 4_096;

/// Counts per bin. A value is recorded by its bin index; what an index means (a settlement bin
/// of [`unit_bin`], a round number) is up to the owner.
///
/// Up to [`DENSE_BINS`] bins the counts are a vector, one per bin; beyond, an ordered map of the
/// non-empty bins. Which one is fixed by the number of bins, so two histograms of the same size
/// hold their counts the same way, and every operation (merge, quantiles, the wire form) gives
/// the same result either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "HistogramWire", try_from = "HistogramWire")]
pub struct Histogram {
    bins: usize,
    counts: Counts,
    total: u64,
}

/// The counts of a [`Histogram`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Counts {
    /// One counter per bin.
    Dense(Vec<u64>),
    /// The non-empty bins only, in bin order.
    Sparse(BTreeMap<usize, u64>),
}

impl Histogram {
    /// An empty histogram of `bins` bins.
    pub fn new(bins: usize) -> Self {
        let counts = if bins <= DENSE_BINS {
            Counts::Dense(vec![0; bins])
        } else {
            Counts::Sparse(BTreeMap::new())
        };
        Histogram {
            bins,
            counts,
            total: 0,
        }
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// Number of values recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The count of bin `k` (0 beyond the last bin).
    pub fn count(&self, k: usize) -> u64 {
        match &self.counts {
            Counts::Dense(c) => c.get(k).copied().unwrap_or(0),
            Counts::Sparse(c) => c.get(&k).copied().unwrap_or(0),
        }
    }

    /// The non-empty bins and their counts, in bin order.
    pub fn nonempty(&self) -> Box<dyn Iterator<Item = (usize, u64)> + '_> {
        match &self.counts {
            Counts::Dense(c) => Box::new(
                c.iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(k, c)| (k, *c)),
            ),
            Counts::Sparse(c) => Box::new(c.iter().map(|(k, c)| (*k, *c))),
        }
    }

    /// The last non-empty bin, or `None` when empty.
    pub fn last_nonempty(&self) -> Option<usize> {
        match &self.counts {
            Counts::Dense(c) => c.iter().rposition(|&c| c > 0),
            Counts::Sparse(c) => c.keys().next_back().copied(),
        }
    }

    /// Records one value in bin `k` (the last bin if `k` is beyond it).
    #[inline]
    pub fn record(&mut self, k: usize) {
        if self.bins == 0 {
            return;
        }
        let k = k.min(self.bins - 1);
        match &mut self.counts {
            Counts::Dense(c) => c[k] += 1,
            Counts::Sparse(c) => *c.entry(k).or_insert(0) += 1,
        }
        self.total += 1;
    }

    /// Adds `count` to bin `k` (below the number of bins; checked by the caller).
    fn add(&mut self, k: usize, count: u64) {
        match &mut self.counts {
            Counts::Dense(c) => c[k] += count,
            Counts::Sparse(c) => *c.entry(k).or_insert(0) += count,
        }
    }

    /// Adds the counts of `other`, which must have as many bins (checked by the caller).
    pub fn merge(&mut self, other: &Histogram) {
        match (&mut self.counts, &other.counts) {
            (Counts::Dense(c), Counts::Dense(o)) => {
                for (c, o) in c.iter_mut().zip(o) {
                    *c += o;
                }
            }
            _ => {
                for (k, c) in other.nonempty() {
                    if k < self.bins {
                        self.add(k, c);
                    }
                }
            }
        }
        self.total += other.total;
    }

    /// The counts of `self` less those of `part`, which must have as many bins and hold some of
    /// the values `self` holds (the runs without a war, from all runs and the runs with one);
    /// `None` if it cannot.
    pub fn without(&self, part: &Histogram) -> Option<Histogram> {
        if part.bins != self.bins {
            return None;
        }
        let mut rest = self.clone();
        for (k, p) in part.nonempty() {
            match &mut rest.counts {
                Counts::Dense(c) => c[k] = c[k].checked_sub(p)?,
                Counts::Sparse(c) => {
                    let left = c.get(&k).copied().unwrap_or(0).checked_sub(p)?;
                    if left == 0 {
                        c.remove(&k);
                    } else {
                        c.insert(k, left);
                    }
                }
            }
        }
        rest.total = self.total.checked_sub(part.total)?;
        Some(rest)
    }

    /// Σ_k k · count(k): the sum of the bin indices recorded (of the rounds, for a histogram of
    /// rounds), exact.
    pub fn sum_of_bins(&self) -> u128 {
        self.nonempty()
            .map(|(k, c)| k as u128 * u128::from(c))
            .sum()
    }

    /// The mean of the bin indices recorded (the mean round, for a histogram of rounds), or
    /// `None` when empty.
    pub fn mean_bin(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        Some(self.sum_of_bins() as f64 / self.total as f64)
    }

    /// Empties the histogram, keeping its memory.
    pub fn clear(&mut self) {
        match &mut self.counts {
            Counts::Dense(c) => c.fill(0),
            Counts::Sparse(c) => c.clear(),
        }
        self.total = 0;
    }

    /// The bin holding the type-1 sample `percent`-quantile (the ⌈p·n⌉-th smallest value, the
    /// smallest for p·n < 1), or `None` when empty.
    pub fn quantile_bin(&self, percent: u32) -> Option<usize> {
        if self.total == 0 {
            return None;
        }
        let p = u128::from(percent.min(100));
        let n = u128::from(self.total);
        let rank = (p * n).div_ceil(100).max(1);
        let mut seen = 0u128;
        for (k, c) in self.nonempty() {
            seen += u128::from(c);
            if seen >= rank {
                return Some(k);
            }
        }
        None
    }
}

/// How a [`Histogram`] is written in shard part files: its size and its non-empty bins as
/// `[bin, count]` pairs in bin order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistogramWire {
    bins: usize,
    counts: Vec<(usize, u64)>,
}

impl From<Histogram> for HistogramWire {
    fn from(h: Histogram) -> Self {
        HistogramWire {
            bins: h.bins,
            counts: h.nonempty().collect(),
        }
    }
}

/// Bins beyond this are refused when reading a part: a round histogram of the largest allowed
/// deadline ([`MAX_ROUNDS`](crate::model::MAX_ROUNDS) + 1).
const MAX_BINS: usize = crate::model::MAX_ROUNDS as usize + 1;

impl TryFrom<HistogramWire> for Histogram {
    type Error = String;

    fn try_from(w: HistogramWire) -> Result<Self, String> {
        if w.bins > MAX_BINS {
            return Err(format!("{} bins is more than {MAX_BINS}", w.bins));
        }
        let mut h = Histogram::new(w.bins);
        let mut last = None;
        for (k, c) in w.counts {
            if k >= w.bins || last.is_some_and(|l| k <= l) {
                return Err(format!("bin {k} is out of order or beyond {} bins", w.bins));
            }
            last = Some(k);
            if c > 0 {
                h.add(k, c);
            }
            h.total = h
                .total
                .checked_add(c)
                .ok_or_else(|| "the counts overflow".to_string())?;
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type-1 sample quantile of sorted data: the ⌈p·n⌉-th smallest.
    fn exact_quantile(sorted: &[f64], percent: u32) -> f64 {
        let n = sorted.len();
        let rank = (percent as usize * n).div_ceil(100).max(1);
        sorted[rank - 1]
    }

    #[test]
    fn quantiles_are_within_half_a_bin_of_the_exact_ones() {
        // Known, irregular data on [0, 1], including both ends.
        let mut data: Vec<f64> = (0..9973)
            .map(|i| {
                let u = ((i as u64 * 2_654_435_761) % 1_000_003) as f64 / 1_000_003.0;
                u * u
            })
            .collect();
        data.extend([0.0, 1.0, 0.5, 0.25]);
        let mut h = Histogram::new(UNIT_BINS);
        for &x in &data {
            h.record(unit_bin(x));
        }
        data.sort_by(f64::total_cmp);
        for p in [1, 5, 25, 50, 75, 95, 99, 100] {
            let approx = unit_bin_centre(h.quantile_bin(p).unwrap());
            let exact = exact_quantile(&data, p);
            assert!(
                (approx - exact).abs() <= BIN_WIDTH / 2.0 + 1e-12,
                "p{p}: histogram {approx}, exact {exact}"
            );
        }
    }

    #[test]
    fn values_on_bin_centres_give_exact_quantiles() {
        // Ten options' worth of values, each a multiple of 0.001.
        let data = [0.0, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 1.0, 1.0];
        let mut h = Histogram::new(UNIT_BINS);
        for &x in &data {
            h.record(unit_bin(x));
        }
        let q = |p| unit_bin_centre(h.quantile_bin(p).unwrap());
        assert_eq!(q(5), 0.0); // rank ⌈0.5⌉ = 1
        assert_eq!(q(25), 0.25); // rank ⌈2.5⌉ = 3
        assert_eq!(q(50), 0.5); // rank 5
        assert_eq!(q(75), 0.75); // rank ⌈7.5⌉ = 8
        assert_eq!(q(95), 1.0); // rank ⌈9.5⌉ = 10
    }

    #[test]
    fn round_counts_give_exact_quantiles() {
        let mut h = Histogram::new(11);
        for r in [1, 2, 2, 3, 10, 10, 10, 10] {
            h.record(r);
        }
        assert_eq!(h.quantile_bin(50), Some(3)); // 4th of 8
        assert_eq!(h.quantile_bin(25), Some(2));
        assert_eq!(h.quantile_bin(5), Some(1));
        assert_eq!(h.quantile_bin(95), Some(10));
        assert_eq!(Histogram::new(11).quantile_bin(50), None);
    }

    #[test]
    fn out_of_range_values_land_in_the_end_bins() {
        assert_eq!(unit_bin(-0.3), 0);
        assert_eq!(unit_bin(1.7), 1000);
        assert_eq!(unit_bin(f64::NAN), 0);
        assert_eq!(unit_bin(0.0004), 0);
        assert_eq!(unit_bin(0.0006), 1);
        let mut h = Histogram::new(3);
        h.record(7);
        assert_eq!(h.count(2), 1);
        assert_eq!(h.total(), 1);
    }

    #[test]
    fn the_rest_of_a_histogram_and_its_mean() {
        let mut whole = Histogram::new(11);
        let mut part = Histogram::new(11);
        for r in [1, 2, 2, 3, 10] {
            whole.record(r);
        }
        part.record(2);
        part.record(10);
        let rest = whole.without(&part).unwrap();
        assert_eq!((rest.total(), rest.count(2), rest.count(10)), (3, 1, 0));
        assert_eq!(rest.mean_bin(), Some(2.0));
        assert_eq!(whole.mean_bin(), Some(18.0 / 5.0));
        assert_eq!(Histogram::new(11).mean_bin(), None);
        assert_eq!(part.without(&whole), None);
        assert_eq!(whole.without(&Histogram::new(3)), None);
    }

    #[test]
    fn merged_halves_equal_the_whole() {
        let xs: Vec<usize> = (0..500).map(|i| (i * 37) % 1001).collect();
        let mut whole = Histogram::new(UNIT_BINS);
        let mut a = Histogram::new(UNIT_BINS);
        let mut b = Histogram::new(UNIT_BINS);
        for (i, &k) in xs.iter().enumerate() {
            whole.record(k);
            if i < 200 { a.record(k) } else { b.record(k) }
        }
        a.merge(&b);
        assert_eq!(a, whole);
    }

    #[test]
    fn wire_format_round_trips_and_rejects_nonsense() {
        let mut h = Histogram::new(UNIT_BINS);
        for k in [3, 3, 999, 0] {
            h.record(k);
        }
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, r#"{"bins":1001,"counts":[[0,1],[3,2],[999,1]]}"#);
        assert_eq!(serde_json::from_str::<Histogram>(&json).unwrap(), h);
        for bad in [
            r#"{"bins":3,"counts":[[3,1]]}"#,
            r#"{"bins":3,"counts":[[1,1],[0,1]]}"#,
            r#"{"bins":3,"counts":[[0,18446744073709551615],[1,1]]}"#,
        ] {
            assert!(serde_json::from_str::<Histogram>(bad).is_err(), "{bad}");
        }
    }
}
