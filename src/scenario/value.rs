//! Numbers that may be uncertain.
//!
//! Any number in a scenario may be a constant (`0.4`) or a distribution:
//! `Normal(mean, sd)`, `Uniform(lo, hi)` or `Triangular(lo, mode, hi)`. A distribution is sampled
//! **once per run**, before the first round, and the value holds for the whole run (events may
//! change it later).
//!
//! # Truncation to the domain
//!
//! Every number has a domain (a position lies in [0, 1], a capability is positive, a relation lies
//! in [−1, 1] …). A distribution is *truncated* to its number's domain [a, b] by the inverse-CDF
//! method: with F the distribution's CDF and u one uniform draw in (0, 1),
//!
//! ```text
//! x = F⁻¹( F(a) + u · (F(b) − F(a)) )
//! ```
//!
//! which is an exact draw from the distribution conditioned on [a, b], using exactly one uniform
//! draw (so common random numbers line up between scenario variants). A distribution whose mass
//! inside the domain is below [`MIN_MASS`] cannot produce a value there, and is a validation error.
//! A domain whose lower end is open (capability > 0) gives values no smaller than
//! [`f64::MIN_POSITIVE`].

use serde::{Deserialize, Serialize};
use statrs::function::erf;

/// The smallest probability mass a distribution must put inside its number's domain.
pub const MIN_MASS: f64 = 1e-9;

/// A probability distribution over one number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Distribution {
    /// Normal with the given mean and standard deviation (sd > 0).
    Normal(f64, f64),
    /// Uniform on [lo, hi] (lo < hi).
    Uniform(f64, f64),
    /// Triangular on [lo, hi] with the given mode (lo ≤ mode ≤ hi, lo < hi).
    Triangular(f64, f64, f64),
}

/// A scenario number: a constant or a distribution sampled once per run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "a number or a distribution: Normal(mean, sd), Uniform(lo, hi) or Triangular(lo, mode, hi)"
)]
pub enum Value {
    /// A fixed number.
    Const(f64),
    /// An uncertain number.
    Dist(Distribution),
}

impl Default for Value {
    fn default() -> Self {
        Value::Const(0.0)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Const(x)
    }
}

/// The set of values a number may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Whether the lower end itself is excluded (capability > 0).
    pub lo_open: bool,
}

impl Domain {
    /// [0, 1]: positions, saliences, status quo, probabilities, shares.
    pub const UNIT: Domain = Domain::closed(0.0, 1.0);
    /// [−1, 1]: relation strengths.
    pub const SIGNED_UNIT: Domain = Domain::closed(-1.0, 1.0);
    /// (0, ∞): capabilities, risk exponents, tactic betas.
    pub const POSITIVE: Domain = Domain {
        lo: 0.0,
        hi: f64::INFINITY,
        lo_open: true,
    };
    /// [0, ∞): costs, noise standard deviations.
    pub const NON_NEGATIVE: Domain = Domain::closed(0.0, f64::INFINITY);

    /// The closed interval [lo, hi].
    pub const fn closed(lo: f64, hi: f64) -> Domain {
        Domain {
            lo,
            hi,
            lo_open: false,
        }
    }

    /// Whether `x` lies in the domain.
    pub fn contains(&self, x: f64) -> bool {
        x.is_finite()
            && (if self.lo_open {
                x > self.lo
            } else {
                x >= self.lo
            })
            && x <= self.hi
    }

    /// `x` moved to the nearest point of the domain (used after event effects).
    pub fn clamp(&self, x: f64) -> f64 {
        let lo = if self.lo_open {
            self.lo.max(0.0) + f64::MIN_POSITIVE
        } else {
            self.lo
        };
        if x.is_nan() { lo } else { x.clamp(lo, self.hi) }
    }
}

impl std::fmt::Display for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = if self.lo_open { "(" } else { "[" };
        if self.hi.is_infinite() {
            write!(f, "{open}{}, ∞)", self.lo)
        } else {
            write!(f, "{open}{}, {}]", self.lo, self.hi)
        }
    }
}

/// What is wrong with a number, for validation messages.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueProblem {
    /// A constant or parameter is NaN or infinite.
    NotFinite,
    /// A constant lies outside the domain.
    OutOfDomain,
    /// The distribution's own parameters are invalid (the text says why).
    BadParameters(&'static str),
    /// The distribution puts (almost) no mass inside the domain.
    NoMassInDomain,
}

impl Distribution {
    /// CDF at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Distribution::Normal(m, s) => {
                if x == f64::INFINITY {
                    1.0
                } else if x == f64::NEG_INFINITY {
                    0.0
                } else {
                    0.5 * erf::erfc(-(x - m) / (s * std::f64::consts::SQRT_2))
                }
            }
            Distribution::Uniform(lo, hi) => ((x - lo) / (hi - lo)).clamp(0.0, 1.0),
            Distribution::Triangular(lo, c, hi) => {
                if x <= lo {
                    0.0
                } else if x >= hi {
                    1.0
                } else if x <= c {
                    (x - lo) * (x - lo) / ((hi - lo) * (c - lo))
                } else {
                    1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - c))
                }
            }
        }
    }

    /// Inverse CDF at `p` in [0, 1].
    pub fn quantile(&self, p: f64) -> f64 {
        match *self {
            Distribution::Normal(m, s) => m + s * inverse_normal_cdf(p),
            Distribution::Uniform(lo, hi) => lo + p * (hi - lo),
            Distribution::Triangular(lo, c, hi) => {
                let fc = (c - lo) / (hi - lo);
                if p < fc {
                    lo + (p * (hi - lo) * (c - lo)).sqrt()
                } else {
                    hi - ((1.0 - p) * (hi - lo) * (hi - c)).sqrt()
                }
            }
        }
    }

    /// The mean of the untruncated distribution.
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Normal(m, _) => m,
            Distribution::Uniform(lo, hi) => 0.5 * (lo + hi),
            Distribution::Triangular(lo, c, hi) => (lo + c + hi) / 3.0,
        }
    }
}

impl Value {
    /// Whether the number is uncertain.
    pub fn is_uncertain(&self) -> bool {
        matches!(self, Value::Dist(_))
    }

    /// Checks the number against its domain; `None` if it is fine.
    pub fn check(&self, domain: Domain) -> Option<ValueProblem> {
        match *self {
            Value::Const(x) => {
                if !x.is_finite() {
                    Some(ValueProblem::NotFinite)
                } else if !domain.contains(x) {
                    Some(ValueProblem::OutOfDomain)
                } else {
                    None
                }
            }
            Value::Dist(d) => {
                let finite = match d {
                    Distribution::Normal(a, b) | Distribution::Uniform(a, b) => {
                        a.is_finite() && b.is_finite()
                    }
                    Distribution::Triangular(a, b, c) => {
                        a.is_finite() && b.is_finite() && c.is_finite()
                    }
                };
                if !finite {
                    return Some(ValueProblem::NotFinite);
                }
                match d {
                    Distribution::Normal(_, sd) if sd <= 0.0 => {
                        return Some(ValueProblem::BadParameters("the sd must be > 0"));
                    }
                    Distribution::Uniform(lo, hi) if lo >= hi => {
                        return Some(ValueProblem::BadParameters("lo must be < hi"));
                    }
                    Distribution::Triangular(lo, c, hi) if !(lo < hi && lo <= c && c <= hi) => {
                        return Some(ValueProblem::BadParameters(
                            "it needs lo ≤ mode ≤ hi and lo < hi",
                        ));
                    }
                    _ => {}
                }
                if d.cdf(domain.hi) - d.cdf(domain.lo) < MIN_MASS {
                    return Some(ValueProblem::NoMassInDomain);
                }
                None
            }
        }
    }

    /// The value for one run: a constant as it is; a distribution truncated to `domain` and
    /// evaluated at the uniform draw `u` in (0, 1) by the inverse-CDF method (module docs).
    /// The number must have passed [`Value::check`].
    pub fn realise(&self, domain: Domain, u: f64) -> f64 {
        match *self {
            Value::Const(x) => x,
            Value::Dist(d) => Truncated::new(d, domain).at(u),
        }
    }

    /// A representative value: the constant, or the mean of the distribution clamped to `domain`.
    pub fn central(&self, domain: Domain) -> f64 {
        match *self {
            Value::Const(x) => x,
            Value::Dist(d) => domain.clamp(d.mean()),
        }
    }
}

/// A distribution truncated to a domain, with F(a) and F(b) worked out once: the inverse-CDF
/// draw of [`Value::realise`] (module docs), for numbers drawn in every run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Truncated {
    dist: Distribution,
    domain: Domain,
    /// F(a).
    flo: f64,
    /// F(b).
    fhi: f64,
}

impl Truncated {
    /// `dist` truncated to `domain`.
    pub fn new(dist: Distribution, domain: Domain) -> Self {
        Truncated {
            dist,
            domain,
            flo: dist.cdf(domain.lo),
            fhi: dist.cdf(domain.hi),
        }
    }

    /// The value at the uniform draw `u` in (0, 1): F⁻¹(F(a) + u (F(b) − F(a))), clamped to the
    /// domain.
    #[inline]
    pub fn at(&self, u: f64) -> f64 {
        let x = self.dist.quantile(self.flo + u * (self.fhi - self.flo));
        self.domain.clamp(x)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Const(x) => write!(f, "{x}"),
            Value::Dist(Distribution::Normal(m, s)) => write!(f, "Normal({m}, {s})"),
            Value::Dist(Distribution::Uniform(a, b)) => write!(f, "Uniform({a}, {b})"),
            Value::Dist(Distribution::Triangular(a, c, b)) => {
                write!(f, "Triangular({a}, {c}, {b})")
            }
        }
    }
}

/// The standard normal quantile function Φ⁻¹(p) (statrs' `erfc_inv`), with Φ⁻¹(0) = −∞ and
/// Φ⁻¹(1) = +∞.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        -std::f64::consts::SQRT_2 * erf::erfc_inv(2.0 * p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_normal_matches_known_quantiles() {
        assert!((inverse_normal_cdf(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((inverse_normal_cdf(0.5)).abs() < 1e-15);
        assert!((inverse_normal_cdf(0.025) + 1.959_963_984_540_054).abs() < 1e-12);
    }

    #[test]
    fn truncated_draws_stay_in_domain_and_cover_it() {
        let v = Value::Dist(Distribution::Normal(0.9, 0.3));
        let lo = v.realise(Domain::UNIT, 1e-12);
        let hi = v.realise(Domain::UNIT, 1.0 - 1e-12);
        assert!((0.0..0.01).contains(&lo), "{lo}");
        assert!((0.99..=1.0).contains(&hi), "{hi}");
        // The median of the truncated distribution: F(a) + 0.5 (F(b) − F(a)).
        let d = Distribution::Normal(0.9, 0.3);
        let mid = v.realise(Domain::UNIT, 0.5);
        let expect = 0.5 * (d.cdf(0.0) + d.cdf(1.0));
        assert!((d.cdf(mid) - expect).abs() < 1e-12);
    }

    #[test]
    fn triangular_quantile_inverts_cdf() {
        let d = Distribution::Triangular(0.1, 0.3, 0.9);
        for i in 1..100 {
            let p = f64::from(i) / 100.0;
            assert!((d.cdf(d.quantile(p)) - p).abs() < 1e-12);
        }
    }

    #[test]
    fn checks_reject_bad_numbers() {
        assert_eq!(
            Value::Const(f64::NAN).check(Domain::UNIT),
            Some(ValueProblem::NotFinite)
        );
        assert_eq!(
            Value::Const(1.5).check(Domain::UNIT),
            Some(ValueProblem::OutOfDomain)
        );
        assert_eq!(
            Value::Const(0.0).check(Domain::POSITIVE),
            Some(ValueProblem::OutOfDomain)
        );
        assert!(matches!(
            Value::Dist(Distribution::Normal(0.5, 0.0)).check(Domain::UNIT),
            Some(ValueProblem::BadParameters(_))
        ));
        assert_eq!(
            Value::Dist(Distribution::Uniform(2.0, 3.0)).check(Domain::UNIT),
            Some(ValueProblem::NoMassInDomain)
        );
        assert_eq!(
            Value::Dist(Distribution::Normal(50.0, 1.0)).check(Domain::UNIT),
            Some(ValueProblem::NoMassInDomain)
        );
        assert_eq!(
            Value::Dist(Distribution::Triangular(0.2, 0.4, 0.6)).check(Domain::UNIT),
            None
        );
    }
}
