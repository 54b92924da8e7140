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

use crate::rng::inverse_normal_cdf;
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
            Value::Dist(d) => {
                let (flo, fhi) = (d.cdf(domain.lo), d.cdf(domain.hi));
                let x = d.quantile(flo + u * (fhi - flo));
                domain.clamp(x)
            }
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

/// A distribution truncated to a domain, with everything that does not depend on the draw
/// worked out once (F(a), F(b) − F(a), the triangle's widths and mode quantile, the domain's
/// lower end): [`Value::realise`] for numbers drawn in every run, giving the same number with
/// the same arithmetic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Truncated {
    shape: Shape,
    /// F(a).
    flo: f64,
    /// F(b) − F(a).
    mass: f64,
    /// The domain's lowest value (above 0 for an open lower end) and its upper end.
    lo: f64,
    hi: f64,
}

/// The quantile function's constants.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Normal {
        mean: f64,
        sd: f64,
    },
    Uniform {
        lo: f64,
        width: f64,
    },
    Triangular {
        lo: f64,
        hi: f64,
        /// F(mode) = (mode − lo) / (hi − lo).
        at_mode: f64,
        /// hi − lo, mode − lo, hi − mode.
        width: f64,
        left: f64,
        right: f64,
    },
}

impl Truncated {
    /// `dist` truncated to `domain`.
    pub fn new(dist: Distribution, domain: Domain) -> Self {
        let shape = match dist {
            Distribution::Normal(mean, sd) => Shape::Normal { mean, sd },
            Distribution::Uniform(lo, hi) => Shape::Uniform { lo, width: hi - lo },
            Distribution::Triangular(lo, c, hi) => Shape::Triangular {
                lo,
                hi,
                at_mode: (c - lo) / (hi - lo),
                width: hi - lo,
                left: c - lo,
                right: hi - c,
            },
        };
        let (flo, fhi) = (dist.cdf(domain.lo), dist.cdf(domain.hi));
        let lo = if domain.lo_open {
            domain.lo.max(0.0) + f64::MIN_POSITIVE
        } else {
            domain.lo
        };
        Truncated {
            shape,
            flo,
            mass: fhi - flo,
            lo,
            hi: domain.hi,
        }
    }

    /// The value at the uniform draw `u` in (0, 1): F⁻¹(F(a) + u (F(b) − F(a))), clamped to the
    /// domain; bit for bit [`Value::realise`].
    #[inline]
    pub fn at(&self, u: f64) -> f64 {
        let p = self.flo + u * self.mass;
        let x = match self.shape {
            Shape::Normal { mean, sd } => mean + sd * inverse_normal_cdf(p),
            Shape::Uniform { lo, width } => lo + p * width,
            Shape::Triangular {
                lo,
                hi,
                at_mode,
                width,
                left,
                right,
            } => {
                if p < at_mode {
                    lo + (p * width * left).sqrt()
                } else {
                    hi - ((1.0 - p) * width * right).sqrt()
                }
            }
        };
        if x.is_nan() {
            self.lo
        } else {
            x.clamp(self.lo, self.hi)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn truncated_draws_are_realise_bit_for_bit() {
        let dists = [
            Distribution::Normal(0.9, 0.3),
            Distribution::Normal(-0.2, 2.0),
            Distribution::Uniform(-0.05, 0.15),
            Distribution::Uniform(0.0, 1e6),
            Distribution::Triangular(0.15, 0.25, 0.35),
            Distribution::Triangular(-0.55, -0.45, -0.35),
            Distribution::Triangular(0.9, 1.0, 1.1),
            Distribution::Triangular(0.0, 0.0, 2.0),
        ];
        let domains = [
            Domain::UNIT,
            Domain::SIGNED_UNIT,
            Domain::POSITIVE,
            Domain::NON_NEGATIVE,
            Domain::closed(f64::MIN, f64::MAX),
        ];
        for d in dists {
            for domain in domains {
                let v = Value::Dist(d);
                if v.check(domain).is_some() {
                    continue;
                }
                let t = Truncated::new(d, domain);
                for i in 0..=1000 {
                    let u = (f64::from(i) + 0.5) / 1001.5;
                    assert_eq!(
                        t.at(u).to_bits(),
                        v.realise(domain, u).to_bits(),
                        "{d:?} on {domain} at {u}"
                    );
                }
            }
        }
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
