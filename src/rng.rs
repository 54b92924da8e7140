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
//! # Draws keyed by round
//!
//! The draws made during the rounds (recognition, perception, events, force) are keyed further,
//! by **round and slot** inside the purpose's region ([`RoundStream`]): draw `s` of round `r` is
//! the 64-bit draw at word
//!
//! ```text
//! region start + 2 · ((r − 1) · slots + s)
//! ```
//!
//! | purpose | slots per round | slot |
//! |---|---|---|
//! | recognition | 1 | the proposer drawn by capability |
//! | perception | two per possible actor (2 × 1,000) | 2a: actor a's noise on the round's proposal; 2a + 1: on the mediators' text after it |
//! | events | one per event | e: whether event e fires this round |
//! | force | two per possible actor (2 × 1,000) | 2a: whether actor a escalates; 2a + 1: whether its side wins its war (also the war at breakdown) |
//!
//! So whether a draw is taken in one round (an actor not evaluating because it proposes, an event
//! that has already fired, an initiator that does not consider force) never moves the draws of
//! other rounds, other actors, other events or other initiators: run k of a variant meets the same
//! noise, the same shocks and the same dice of war as run k of its base wherever it asks for them.
//! A slot's draw is used at most once. Keys taken in increasing order cost no more than drawing in
//! sequence (a short step forward discards the draws in between). Perception and force keep slots
//! for as many actors as a scenario may have (1,000; more for a larger model built in code), so
//! adding or removing an actor moves no other actor's draws; adding or removing events changes
//! the slots of events.
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
/// A generator moving forward by at most this many words discards the draws in between rather
/// than seeking (a seek regenerates the buffer of 64 words).
const SKIP_WORDS: u128 = 64;

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

    /// Moves the generator from word `at` of its stream (where it is) to word `word`: by
    /// discarding draws when that is a short step forward, by seeking otherwise (the numbers are
    /// the same either way).
    fn advance(&mut self, at: Option<u128>, word: u128) {
        match at {
            Some(at) if at == word => {}
            Some(at) if word > at && word - at <= SKIP_WORDS && (word - at).is_multiple_of(2) => {
                for _ in 0..(word - at) / 2 {
                    self.inner.next_u64();
                }
            }
            _ => self.inner.set_word_pos(word),
        }
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
        inverse_normal_cdf(self.next_open_unit())
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

/// Draws of one purpose keyed by round and slot (see "Draws keyed by round" in the module docs).
/// Each method takes the one draw of a key.
#[derive(Debug, Clone)]
pub struct RoundStream {
    rng: SimRng,
    /// Word position of the purpose's region.
    region: u128,
    /// Draws per round.
    slots: u64,
    /// The word the generator is at, once positioned.
    at: Option<u128>,
}

impl RoundStream {
    /// The draws of `purpose` in the run whose generator is `run`, `slots` (at least 1) per round.
    pub fn new(run: &SimRng, purpose: Purpose, slots: u64) -> Self {
        RoundStream {
            rng: run.clone(),
            region: u128::from(purpose.region()) * REGION_WORDS,
            slots: slots.max(1),
            at: None,
        }
    }

    /// The same draws for the run whose generator is `run` (same purpose and slots), reusing
    /// this stream: as [`RoundStream::new`] without a new generator.
    #[inline]
    pub fn restart(&mut self, run: &SimRng) {
        self.rng.clone_from(run);
        self.at = None;
    }

    /// The generator positioned at draw `slot` (`< slots`) of round `round` (1-based), for one
    /// 64-bit draw. Keys taken in increasing order cost no more than drawing in sequence.
    #[inline]
    fn key(&mut self, round: u32, slot: u64) -> &mut SimRng {
        let index = u128::from(round.saturating_sub(1)) * u128::from(self.slots)
            + u128::from(slot.min(self.slots - 1));
        let word = self.region + (2 * index) % REGION_WORDS;
        self.rng.advance(self.at, word);
        self.at = Some(word + 2);
        &mut self.rng
    }

    /// The raw 64-bit draw of a key.
    #[inline]
    pub fn next_u64(&mut self, round: u32, slot: u64) -> u64 {
        self.key(round, slot).next_u64()
    }

    /// [`SimRng::next_unit`] at a key.
    #[inline]
    pub fn unit(&mut self, round: u32, slot: u64) -> f64 {
        self.key(round, slot).next_unit()
    }

    /// [`SimRng::bernoulli`] at a key.
    #[inline]
    pub fn bernoulli(&mut self, round: u32, slot: u64, p: f64) -> bool {
        self.key(round, slot).bernoulli(p)
    }

    /// [`SimRng::standard_normal`] at a key.
    #[inline]
    pub fn standard_normal(&mut self, round: u32, slot: u64) -> f64 {
        self.key(round, slot).standard_normal()
    }

    /// [`SimRng::pick_weighted`] at a key.
    pub fn pick_weighted(
        &mut self,
        round: u32,
        slot: u64,
        weights: impl Iterator<Item = f64> + Clone,
    ) -> usize {
        self.key(round, slot).pick_weighted(weights)
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
        -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
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
    fn round_keys_do_not_depend_on_which_draws_were_taken() {
        let run = SimRng::for_run(3, 9);
        // Every key in order, then only some of them: the same numbers at the same keys.
        let mut all = RoundStream::new(&run, Purpose::Perception, 4);
        let full: Vec<u64> = (1..=5)
            .flat_map(|r| (0..4).map(move |s| (r, s)))
            .map(|(r, s)| all.next_u64(r, s))
            .collect();
        let mut some = RoundStream::new(&run, Purpose::Perception, 4);
        for (r, s) in [(1u32, 2u64), (3, 0), (3, 3), (5, 1), (2, 1)] {
            let k = ((r as usize - 1) * 4) + s as usize;
            assert_eq!(some.next_u64(r, s), full[k], "round {r} slot {s}");
        }
        // The key is a position of the purpose's region: slot 0 of round 1 is the region's first
        // draw, slot s of round r its ((r − 1) · slots + s)-th.
        let mut region = run.substream(Purpose::Perception);
        let first: Vec<u64> = (0..20).map(|_| region.next_u64()).collect();
        assert_eq!(full, first);
        // Purposes are disjoint.
        let mut events = RoundStream::new(&run, Purpose::Events, 4);
        assert_ne!(events.next_u64(1, 0), full[0]);
    }

    #[test]
    fn seeking_far_and_near_agree_with_drawing_in_sequence() {
        let run = SimRng::for_run(5, 1);
        let mut seq = run.substream(Purpose::Force);
        let draws: Vec<u64> = (0..200).map(|_| seq.next_u64()).collect();
        let mut keyed = RoundStream::new(&run, Purpose::Force, 1);
        // Forward by one, by a few (discarding), far (seeking), and backward.
        for r in [1u32, 2, 5, 40, 199, 3, 100] {
            assert_eq!(keyed.next_u64(r, 0), draws[r as usize - 1], "round {r}");
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
