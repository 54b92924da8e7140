//! Seeding: the one place a random generator is made.
//!
//! # The scheme
//!
//! Every random number `treaty` draws comes from [`ChaCha8Rng`]. Run `k` of a batch with master
//! seed `s` owns the generator `ChaCha8Rng::seed_from_u64(s)` with `set_stream(k)`: 2^64 independent
//! streams per seed, so runs never share draws, and run `k` is the same whatever else runs beside it.
//!
//! Inside a run, draws are keyed by **purpose**. Each purpose owns a disjoint region of the run's
//! stream: region `r` starts at word position `r · 2^40` (2^40 32-bit words, far more than any run
//! uses). A [`SimRng`] for a purpose is the run's generator moved to the start of that region. So a
//! change that only alters how many numbers one purpose draws (an extra event, a different number
//! of rounds) leaves every other purpose's numbers untouched. This is what makes paired comparisons
//! of scenario variants on *common random numbers* sharp.
//!
//! | region | purpose |
//! |---|---|
//! | 0 | [`Purpose::Recognition`]: who proposes each round |
//! | 1 | [`Purpose::Perception`]: perception noise on evaluations |
//! | 2 | [`Purpose::Events`]: whether random events fire |
//! | 3 | [`Purpose::Force`]: escalation decisions and who wins |
//! | 4 | [`Purpose::Engine`]: anything else a protocol draws (tie breaks) |
//! | 16 + (h mod (2^28 − 16)) | [`Purpose::Sample`]: uncertain scenario numbers of one owner, `h` = FNV-1a hash of the owner key |
//!
//! Uncertain scenario numbers (`Normal`, `Uniform`, `Triangular`) are grouped by owner (an actor,
//! an issue, a relation, an event, the protocol, the scenario's global settings). Each owner has its
//! own region keyed by a stable text key such as `actor:ARM`; inside it, every number of the owner
//! consumes exactly one draw, in a fixed documented order, whether it is uncertain or not. Changing
//! one number (its value, or constant to distribution) therefore disturbs no other draw at all.
//!
//! Nothing else in `treaty` is random, and nothing reads the clock.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Words per region of a run's stream (2^40).
const REGION_WORDS: u128 = 1 << 40;
/// Number of regions addressable in a stream (the stream is 2^68 words long).
const REGIONS: u64 = 1 << 28;
/// Regions below this are reserved for fixed purposes.
const FIXED_REGIONS: u64 = 16;

/// What a sub-stream of a run is used for. See the module docs for the region map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Who is recognised as proposer each round.
    Recognition,
    /// Perception noise on actors' evaluations of proposals.
    Perception,
    /// Whether random events fire.
    Events,
    /// Escalation decisions and the outcome of force.
    Force,
    /// Other draws a protocol makes (tie breaks).
    Engine,
    /// Uncertain scenario numbers of one owner, keyed by a hash of the owner's text key
    /// (see [`owner_key`]).
    Sample(u64),
}

impl Purpose {
    fn region(self) -> u64 {
        match self {
            Purpose::Recognition => 0,
            Purpose::Perception => 1,
            Purpose::Events => 2,
            Purpose::Force => 3,
            Purpose::Engine => 4,
            Purpose::Sample(h) => FIXED_REGIONS + h % (REGIONS - FIXED_REGIONS),
        }
    }
}

/// A stable 64-bit key for a text (FNV-1a), used to key sample regions by owner, e.g.
/// `owner_key("actor:ARM")`. Stable across versions and platforms.
pub fn owner_key(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The random generator of one run (or of one purpose inside a run).
#[derive(Debug, Clone)]
pub struct SimRng {
    inner: ChaCha8Rng,
}

impl SimRng {
    /// The generator of run `run` under master seed `seed`: `ChaCha8Rng::seed_from_u64(seed)`
    /// with `set_stream(run)`, positioned at the start of the stream.
    pub fn for_run(seed: u64, run: u64) -> Self {
        let mut inner = ChaCha8Rng::seed_from_u64(seed);
        inner.set_stream(run);
        SimRng { inner }
    }

    /// The sub-stream of this run reserved for `purpose`: a copy of this generator moved to the
    /// start of the purpose's region. Calling it twice gives the same numbers twice.
    pub fn substream(&self, purpose: Purpose) -> SimRng {
        let mut inner = self.inner.clone();
        inner.set_word_pos(u128::from(purpose.region()) * REGION_WORDS);
        SimRng { inner }
    }

    /// Moves this generator to the start of `purpose`'s region of its stream, in place: the
    /// same numbers as [`SimRng::substream`] gives, without copying the generator.
    #[inline]
    pub fn seek(&mut self, purpose: Purpose) {
        self.inner
            .set_word_pos(u128::from(purpose.region()) * REGION_WORDS);
    }

    /// The stream number (the run index for a run's generator).
    pub fn stream(&self) -> u64 {
        self.inner.get_stream()
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    #[inline]
    pub fn next_unit(&mut self) -> f64 {
        (self.inner.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform draw in the open interval (0, 1): never exactly 0 or 1.
    #[inline]
    pub fn next_open_unit(&mut self) -> f64 {
        ((self.inner.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (clamped to [0, 1]); always consumes one draw.
    #[inline]
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.next_unit() < p
    }

    /// A standard normal draw by the inverse-CDF method; always consumes one draw.
    #[inline]
    pub fn standard_normal(&mut self) -> f64 {
        crate::scenario::value::inverse_normal_cdf(self.next_open_unit())
    }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero;
    /// if all are zero the first index is returned). Always consumes one draw.
    pub fn pick_weighted(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let target = self.next_unit() * total;
        let mut acc = 0.0;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if w > 0.0 {
                last = i;
                acc += w;
                if target < acc {
                    return i;
                }
            }
        }
        last
    }

    /// A raw 64-bit draw.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_reproducible_and_distinct() {
        let mut a = SimRng::for_run(7, 3);
        let mut b = SimRng::for_run(7, 3);
        let mut c = SimRng::for_run(7, 4);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn purposes_do_not_disturb_each_other() {
        let run = SimRng::for_run(1, 0);
        let mut events = run.substream(Purpose::Events);
        let first: Vec<u64> = (0..4).map(|_| events.next_u64()).collect();
        // Drawing heavily from another purpose does not move the events stream.
        let mut noise = run.substream(Purpose::Perception);
        for _ in 0..10_000 {
            noise.next_u64();
        }
        let mut again = run.substream(Purpose::Events);
        let second: Vec<u64> = (0..4).map(|_| again.next_u64()).collect();
        assert_eq!(first, second);
        let mut other = run.substream(Purpose::Force);
        assert_ne!(first[0], other.next_u64());
    }

    #[test]
    fn seek_gives_the_substream() {
        let run = SimRng::for_run(5, 9);
        let mut moved = run.clone();
        moved.next_u64();
        for purpose in [Purpose::Events, Purpose::Sample(owner_key("actor:ARM"))] {
            moved.seek(purpose);
            let mut sub = run.substream(purpose);
            for _ in 0..40 {
                assert_eq!(moved.next_u64(), sub.next_u64());
            }
        }
    }

    #[test]
    fn owner_key_is_stable() {
        // FNV-1a test vectors.
        assert_eq!(owner_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(owner_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(owner_key("actor:ARM"), owner_key("actor:AZE"));
    }

    #[test]
    fn unit_draws_are_in_range() {
        let mut r = SimRng::for_run(0, 0);
        for _ in 0..10_000 {
            let u = r.next_unit();
            assert!((0.0..1.0).contains(&u));
            let v = r.next_open_unit();
            assert!(v > 0.0 && v < 1.0);
        }
    }
}
