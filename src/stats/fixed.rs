//! Exact sums of values in fixed point: [`Moments`] (module docs of [`crate::stats`]).

use serde::{Deserialize, Serialize};

/// The fixed-point scale 2^52: a value x is kept as the integer round(x · 2^52).
pub const FIXED_SCALE: f64 = 4_503_599_627_370_496.0;
/// Values are clamped to [−LIMIT, LIMIT] before quantising, so q² fits in 120 bits.
const LIMIT: f64 = 256.0;

/// Count, sum and sum of squares of values, kept exactly in fixed point so that merging is
/// associative (see [`crate::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "MomentsWire", try_from = "MomentsWire")]
pub struct Moments {
    count: u64,
    sum: i128,
    /// Σq² as a 256-bit number: low and high 128-bit halves.
    sq_lo: u128,
    sq_hi: u128,
}

/// The fixed-point integer of a value: round(clamp(x) · 2^52); NaN counts as 0.
#[inline]
fn quantise(x: f64) -> i64 {
    if x.is_nan() {
        0
    } else {
        (x.clamp(-LIMIT, LIMIT) * FIXED_SCALE).round() as i64
    }
}

impl Moments {
    /// No values.
    pub const fn new() -> Self {
        Moments {
            count: 0,
            sum: 0,
            sq_lo: 0,
            sq_hi: 0,
        }
    }

    /// Adds one value.
    #[inline]
    pub fn record(&mut self, x: f64) {
        let q = quantise(x);
        self.count += 1;
        self.sum += i128::from(q);
        let a = u128::from(q.unsigned_abs());
        let (lo, carry) = self.sq_lo.overflowing_add(a * a);
        self.sq_lo = lo;
        self.sq_hi += u128::from(carry);
    }

    /// Adds the difference a − b of two values, each quantised as [`Moments::record`] does,
    /// so that over any runs the sum of the differences is exactly the sum of the a's minus the
    /// sum of the b's (and the difference of two equal values is exactly 0).
    ///
    /// A difference lies in [−2^61, 2^61] in fixed point, its square below 2^122, so 2^40 of
    /// them cannot overflow. (Part files hold moments of values, never of differences.)
    #[inline]
    pub fn record_difference(&mut self, a: f64, b: f64) {
        let q = quantise(a) - quantise(b);
        self.count += 1;
        self.sum += i128::from(q);
        let m = u128::from(q.unsigned_abs());
        let (lo, carry) = self.sq_lo.overflowing_add(m * m);
        self.sq_lo = lo;
        self.sq_hi += u128::from(carry);
    }

    /// Adds all values of `other` (exact: the order of merges does not matter).
    pub fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        self.sum += other.sum;
        let (lo, carry) = self.sq_lo.overflowing_add(other.sq_lo);
        self.sq_lo = lo;
        self.sq_hi += other.sq_hi + u128::from(carry);
    }

    /// The moments of the values of `self` that are not in `part`, when `part` holds some of
    /// the values `self` holds (the runs without a war, from all runs and the runs with one).
    /// Exact, as merging is; `None` if `part` cannot be part of `self` (more values, or larger
    /// sums, than `self` has).
    pub fn without(&self, part: &Moments) -> Option<Moments> {
        let count = self.count.checked_sub(part.count)?;
        let sum = self.sum.checked_sub(part.sum)?;
        let (lo, borrow) = self.sq_lo.overflowing_sub(part.sq_lo);
        let hi = self
            .sq_hi
            .checked_sub(part.sq_hi)?
            .checked_sub(u128::from(borrow))?;
        if count == 0 && (sum != 0 || lo != 0 || hi != 0) {
            return None;
        }
        Some(Moments {
            count,
            sum,
            sq_lo: lo,
            sq_hi: hi,
        })
    }

    /// Whether some `count()` values could have these sums: none at all without values, the
    /// square of the one value for a single value, and otherwise a sum of squares of at least
    /// (Σq)² / n (Cauchy–Schwarz). Sums read from a file that fail this were not recorded.
    pub fn is_possible(&self) -> bool {
        let sq = U256::from_halves(self.sq_hi, self.sq_lo);
        let s_sq = U256::square(self.sum.unsigned_abs());
        match self.count {
            0 => self.sum == 0 && sq == U256([0; 4]),
            1 => sq == s_sq,
            n => !sq.mul_u64(n).less_than(&s_sq),
        }
    }

    /// How many values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean, or `None` without values.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / FIXED_SCALE / self.count as f64)
    }

    /// The sample variance (divisor n − 1), or `None` for fewer than two values.
    ///
    /// Computed exactly as (n Σq² − (Σq)²) in 256-bit integers, then divided in `f64`.
    pub fn variance(&self) -> Option<f64> {
        if self.count < 2 {
            return None;
        }
        let n_sq = U256::from_halves(self.sq_hi, self.sq_lo).mul_u64(self.count);
        let s = self.sum.unsigned_abs();
        let s_sq = U256::square(s);
        // n Σq² ≥ (Σq)² by Cauchy–Schwarz; saturate at 0 all the same.
        let num = n_sq.saturating_sub(&s_sq).to_f64();
        let n = self.count as f64;
        Some(num / (n * (n - 1.0)) / (FIXED_SCALE * FIXED_SCALE))
    }

    /// The sample standard deviation, or `None` for fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }
}

/// An unsigned 256-bit integer, four 64-bit limbs, least significant first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct U256([u64; 4]);

impl U256 {
    fn from_halves(hi: u128, lo: u128) -> Self {
        U256([lo as u64, (lo >> 64) as u64, hi as u64, (hi >> 64) as u64])
    }

    /// a², exactly.
    fn square(a: u128) -> Self {
        let limbs = [a as u64, (a >> 64) as u64];
        let mut out = [0u64; 4];
        for (i, &x) in limbs.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &y) in limbs.iter().enumerate() {
                let t = u128::from(x) * u128::from(y) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + 2] = carry as u64;
        }
        U256(out)
    }

    /// self · m (the caller keeps the product below 2^256).
    fn mul_u64(&self, m: u64) -> Self {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, &x) in out.iter_mut().zip(self.0.iter()) {
            let t = u128::from(x) * u128::from(m) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        U256(out)
    }

    /// self < other.
    fn less_than(&self, other: &U256) -> bool {
        self.0.iter().rev().lt(other.0.iter().rev())
    }

    /// self − other, or 0 if other is larger.
    fn saturating_sub(&self, other: &U256) -> Self {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for ((o, &a), &b) in out.iter_mut().zip(&self.0).zip(&other.0) {
            let (d, b1) = a.overflowing_sub(b);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *o = d;
            borrow = b1 || b2;
        }
        if borrow { U256([0; 4]) } else { U256(out) }
    }

    fn to_f64(self) -> f64 {
        let two64 = 18_446_744_073_709_551_616.0_f64;
        self.0
            .iter()
            .rev()
            .fold(0.0, |acc, &limb| acc * two64 + limb as f64)
    }
}

/// How [`Moments`] is written in shard part files: 128- and 256-bit integers as text.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MomentsWire {
    n: u64,
    sum: String,
    sum_sq: String,
}

impl From<Moments> for MomentsWire {
    fn from(m: Moments) -> Self {
        MomentsWire {
            n: m.count,
            sum: m.sum.to_string(),
            sum_sq: format!("{:032x}{:032x}", m.sq_hi, m.sq_lo),
        }
    }
}

impl TryFrom<MomentsWire> for Moments {
    type Error = String;

    fn try_from(w: MomentsWire) -> Result<Self, String> {
        let sum: i128 = w
            .sum
            .parse()
            .map_err(|_| format!("`{}` is not a 128-bit integer sum", w.sum))?;
        let bad_sq = || format!("`{}` is not 64 hexadecimal digits", w.sum_sq);
        if w.sum_sq.len() != 64 || !w.sum_sq.is_ascii() {
            return Err(bad_sq());
        }
        let sq_hi = u128::from_str_radix(&w.sum_sq[..32], 16).map_err(|_| bad_sq())?;
        let sq_lo = u128::from_str_radix(&w.sum_sq[32..], 16).map_err(|_| bad_sq())?;
        // Each value is at most 2^60 in fixed point, its square at most 2^120: sums beyond n
        // times that cannot come from n values (and could overflow when merged).
        let n = u128::from(w.n);
        let sq = U256::from_halves(sq_hi, sq_lo);
        let sq_limit = U256::from_halves(0, 1 << 120).mul_u64(w.n);
        if sum.unsigned_abs() > n << 60 || sq.saturating_sub(&sq_limit) != U256([0; 4]) {
            return Err(format!("sums too large for {} values", w.n));
        }
        Ok(Moments {
            count: w.n,
            sum,
            sq_lo,
            sq_hi,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(xs: &[f64]) -> Moments {
        let mut m = Moments::new();
        for &x in xs {
            m.record(x);
        }
        m
    }

    #[test]
    fn mean_and_variance_match_the_textbook() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let m = of(&xs);
        assert_eq!(m.count(), 8);
        assert_eq!(m.mean(), Some(5.0));
        // Σ(x − 5)² = 32, sample variance 32/7.
        assert!((m.variance().unwrap() - 32.0 / 7.0).abs() < 1e-13);
    }

    #[test]
    fn undefined_statistics_are_none() {
        assert_eq!(Moments::new().mean(), None);
        assert_eq!(Moments::new().variance(), None);
        assert_eq!(of(&[0.3]).variance(), None);
        // 0.3 is kept to 2^−52.
        assert!((of(&[0.3]).mean().unwrap() - 0.3).abs() < 1e-16);
    }

    #[test]
    fn identical_values_have_zero_spread() {
        let m = of(&[0.7; 1000]);
        assert_eq!(m.variance(), Some(0.0));
        assert_eq!(m.sd(), Some(0.0));
    }

    #[test]
    fn merge_is_exact_in_any_grouping() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 / 997.0 - 0.3)
            .collect();
        let whole = of(&xs);
        let (a, b) = xs.split_at(313);
        let mut halves = of(a);
        halves.merge(&of(b));
        assert_eq!(halves, whole);
        // Four blocks merged as (0+1)+(2+3) and ((0+1)+2)+3.
        let blocks: Vec<Moments> = xs.chunks(250).map(of).collect();
        let mut left = blocks[0];
        left.merge(&blocks[1]);
        let mut right = blocks[2];
        right.merge(&blocks[3]);
        left.merge(&right);
        let mut serial = Moments::new();
        for b in &blocks {
            serial.merge(b);
        }
        assert_eq!(left, serial);
        assert_eq!(left, whole);
        assert_eq!(
            left.mean().unwrap().to_bits(),
            whole.mean().unwrap().to_bits()
        );
    }

    #[test]
    fn large_sums_of_squares_carry_into_the_high_half() {
        // 2^20 values of 200: each q² ≈ 2^119.3, so Σq² overflows 128 bits.
        let mut m = Moments::new();
        for _ in 0..(1 << 20) {
            m.record(200.0);
        }
        assert!(m.sq_hi > 0);
        assert_eq!(m.mean(), Some(200.0));
        assert_eq!(m.variance(), Some(0.0));
        let mut two = of(&[200.0, 199.0]);
        two.merge(&of(&[198.0]));
        assert!((two.variance().unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn differences_are_exact_differences_of_quantised_values() {
        let a = [0.1, 0.7, 1.0 / 3.0, -2.5, 0.3];
        let b = [0.2, 0.7, 0.25, 1.0, 0.1 + 0.2];
        let mut d = Moments::new();
        for (x, y) in a.iter().zip(&b) {
            d.record_difference(*x, *y);
        }
        let (ma, mb) = (of(&a), of(&b));
        assert_eq!(d.count(), 5);
        assert_eq!(d.sum, ma.sum - mb.sum);
        let direct: f64 = a.iter().zip(&b).map(|(x, y)| x - y).sum::<f64>() / 5.0;
        assert!((d.mean().unwrap() - direct).abs() < 1e-15);
        // Equal values differ by exactly nothing; extreme ones do not overflow.
        let mut zero = Moments::new();
        for x in a {
            zero.record_difference(x, x);
        }
        assert_eq!((zero.mean(), zero.variance()), (Some(0.0), Some(0.0)));
        let mut wide = Moments::new();
        wide.record_difference(f64::INFINITY, f64::NEG_INFINITY);
        wide.record_difference(f64::NEG_INFINITY, f64::INFINITY);
        assert_eq!(wide.mean(), Some(0.0));
        assert!((wide.sd().unwrap() - 512.0 * 2f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn the_rest_of_a_set_is_exactly_its_own_moments() {
        let xs: Vec<f64> = (0..400)
            .map(|i| ((i * 7919) % 1000) as f64 / 999.0)
            .collect();
        let mut whole = of(&xs);
        for _ in 0..(1 << 20) {
            whole.record(-200.0);
        }
        let part: Vec<f64> = xs.iter().copied().step_by(3).collect();
        let rest: Vec<f64> = xs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, &x)| x)
            .collect();
        let mut big = of(&rest);
        for _ in 0..(1 << 20) {
            big.record(-200.0);
        }
        // The high half of the sum of squares borrows from nothing it does not have.
        assert_eq!(whole.without(&of(&part)), Some(big));
        assert_eq!(of(&xs).without(&of(&xs)), Some(Moments::new()));
        assert_eq!(of(&part).without(&of(&xs)), None);
        assert_eq!(
            Moments::new().without(&Moments::new()),
            Some(Moments::new())
        );
    }

    #[test]
    fn sums_no_values_could_have_are_impossible() {
        let m = of(&[0.1, 0.9, 0.4]);
        assert!(m.is_possible() && of(&[0.3]).is_possible() && Moments::new().is_possible());
        // The sum tripled: its square exceeds n times the sum of squares.
        let tripled = Moments {
            sum: 3 * m.sum,
            ..m
        };
        assert!(!tripled.is_possible());
        // One value: the sum of squares is the square of the sum.
        let one = of(&[0.3]);
        assert!(
            !Moments {
                sq_lo: one.sq_lo + 1,
                ..one
            }
            .is_possible()
        );
        assert!(
            !Moments {
                sum: 1,
                ..Moments::new()
            }
            .is_possible()
        );
    }

    #[test]
    fn extreme_inputs_are_clamped_not_overflowed() {
        let m = of(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e300]);
        assert_eq!(m.count(), 4);
        assert_eq!(m.mean(), Some(64.0));
        assert!(m.variance().unwrap().is_finite());
    }

    #[test]
    fn wire_format_round_trips() {
        let mut m = of(&[0.1, -0.25, 3.5]);
        for _ in 0..(1 << 20) {
            m.record(-200.0);
        }
        assert!(m.sq_hi > 0);
        let json = serde_json::to_string(&m).unwrap();
        let back: Moments = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Moments>(r#"{"n":1,"sum":"x","sum_sq":"0"}"#).is_err());
        assert!(
            serde_json::from_str::<Moments>(&format!(
                r#"{{"n":0,"sum":"5","sum_sq":"{}"}}"#,
                "0".repeat(64)
            ))
            .is_err()
        );
        let huge = serde_json::to_string(&serde_json::json!({
            "n": 1, "sum": "0", "sum_sq": "f".repeat(64)
        }))
        .unwrap();
        assert!(serde_json::from_str::<Moments>(&huge).is_err());
        let big_sum = format!(
            r#"{{"n":1,"sum":"{}","sum_sq":"{}"}}"#,
            1u128 << 61,
            "0".repeat(64)
        );
        assert!(serde_json::from_str::<Moments>(&big_sum).is_err());
    }
}
