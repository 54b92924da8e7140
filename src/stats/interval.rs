//! Confidence intervals for probabilities.
//!
//! # Wilson score interval
//!
//! For k successes in n trials, p̂ = k / n and z the standard normal quantile (1.96 for 95%),
//! Wilson's (1927) interval is
//!
//! ```text
//! centre = (p̂ + z²/2n) / (1 + z²/n)
//! half   = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/4n² )
//! ```
//!
//! It stays inside [0, 1], has a sensible width at p̂ = 0 or 1, and covers close to its nominal
//! level for small n (Newcombe 1998, "Two-sided confidence intervals for the single proportion:
//! comparison of seven methods", Statistics in Medicine 17, method 3).

/// The standard normal 97.5% quantile: z of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The 95% Wilson score interval `(low, high)` for `successes` out of `trials`, or `None` for
/// no trials.
pub fn wilson(successes: u64, trials: u64) -> Option<(f64, f64)> {
    let (centre, half) = wilson_parts(successes, trials)?;
    // At p̂ = 0 or 1 the bound is exactly 0 or 1; say so rather than 1 − 1e-16.
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes >= trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// The half-width of the 95% Wilson score interval, or `None` for no trials.
pub fn wilson_half_width(successes: u64, trials: u64) -> Option<f64> {
    wilson_parts(successes, trials).map(|(_, half)| half)
}

fn wilson_parts(successes: u64, trials: u64) -> Option<(f64, f64)> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some((centre, half))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), Table I, method 3 (score interval), to the four decimals printed there.
    #[test]
    fn matches_newcombes_published_intervals() {
        for (k, n, lo, hi) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0000, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let (l, h) = wilson(k, n).unwrap();
            assert!((l - lo).abs() < 5e-5, "{k}/{n}: low {l} vs {lo}");
            assert!((h - hi).abs() < 5e-5, "{k}/{n}: high {h} vs {hi}");
        }
    }

    #[test]
    fn symmetric_and_bounded() {
        let (l, h) = wilson(5, 10).unwrap();
        assert!((l + h - 1.0).abs() < 1e-12);
        let (l, h) = wilson(10, 10).unwrap();
        assert!(h == 1.0 && l > 0.6 && l < 0.75);
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson_half_width(3, 0), None);
    }

    #[test]
    fn half_width_shrinks_like_one_over_root_n() {
        let a = wilson_half_width(5_000, 10_000).unwrap();
        let b = wilson_half_width(500_000, 1_000_000).unwrap();
        assert!((a / b - 10.0).abs() < 0.01);
        // Normal approximation at large n: z · √(p(1 − p)/n).
        assert!((b - Z95 * (0.25f64 / 1e6).sqrt()).abs() < 1e-7);
    }
}
