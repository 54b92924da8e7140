//! [`Curves`]: the concession curves α(t) of a run's time-dependent actors, each value worked out
//! once.
//!
//! A time-dependent actor's threshold in round r and its aspiration after round r are both
//! a(r) = 1 − α(r)(1 − r_i) (see [`super`]), and α depends only on t, the deadline T, the
//! tactic's family, β and κ.
//! So α(t) is memoised per actor for t = 0 ..= T, and kept from run to run as long as the
//! actor's β and κ are the same (bit for bit; the family is the model's): with constant tactics a
//! batch computes each α(t) once. A memoised value is the value [`super::concession`] returns, so
//! results do not change.
//!
//! The memo holds at most [`MAX_ENTRIES`] values; beyond that (very many time-dependent actors
//! or a very distant deadline) α is computed at each use.

use std::cell::Cell;

use super::concession;
use crate::model::{Family, Model, Strategy, World};

/// The most memoised values of α (2 MB).
pub const MAX_ENTRIES: usize = 1 << 18;

/// Memoised concession curves α(t) (module docs).
#[derive(Debug, Clone)]
pub struct Curves {
    /// The deadline T.
    horizon: u32,
    /// Values per actor: T + 1, or 0 if the memo is off.
    stride: usize,
    /// Per actor: the family of its curve (polynomial for actors that are not time-dependent).
    family: Vec<Family>,
    /// Per actor: the (β, κ) bits its row holds, `None` if it has no row yet (or is not
    /// time-dependent).
    params: Vec<Option<(u64, u64)>>,
    /// α(t) per actor and t, row-major by actor; NaN where not yet worked out.
    memo: Vec<Cell<f64>>,
}

impl Curves {
    /// The memo for runs of `model` (rows only for time-dependent actors, made when first
    /// needed).
    pub fn new(model: &Model) -> Self {
        let horizon = model.protocol.max_rounds();
        let n = model.actors.len();
        let timed = model
            .actors
            .iter()
            .filter(|a| matches!(a.strategy, Strategy::TimeDependent { .. }))
            .count();
        let per_actor = horizon as usize + 1;
        let stride = if timed.saturating_mul(per_actor) <= MAX_ENTRIES {
            per_actor
        } else {
            0
        };
        let family = model
            .actors
            .iter()
            .map(|a| match a.strategy {
                Strategy::TimeDependent { family, .. } => family,
                _ => Family::Polynomial,
            })
            .collect();
        Curves {
            horizon,
            stride,
            family,
            params: vec![None; n],
            memo: Vec::new(),
        }
    }

    /// Prepares the memo for a run of `world`: an actor whose β or κ differs from the one its
    /// row was worked out for gets a fresh row.
    pub fn start(&mut self, model: &Model, world: &World) {
        if self.stride == 0 {
            return;
        }
        for (a, actor) in model.actors.iter().enumerate() {
            if !matches!(actor.strategy, Strategy::TimeDependent { .. }) {
                continue;
            }
            let bits = (world.beta[a].to_bits(), world.kappa[a].to_bits());
            if self.params[a] == Some(bits) {
                continue;
            }
            if self.memo.is_empty() {
                self.memo = vec![Cell::new(f64::NAN); self.params.len() * self.stride];
            } else {
                for cell in &self.memo[a * self.stride..(a + 1) * self.stride] {
                    cell.set(f64::NAN);
                }
            }
            self.params[a] = Some(bits);
        }
    }

    /// α(t) of time-dependent actor `a` in this run's `world` (the world of the last
    /// [`Curves::start`]), for t = 0 ..= T (later t count as T).
    #[inline]
    pub fn alpha(&self, world: &World, a: usize, t: u32) -> f64 {
        // With the memo on, every time-dependent actor has its row (`start`).
        let cell = self
            .memo
            .get(a * self.stride + t.min(self.horizon) as usize);
        if let Some(cell) = cell {
            let memo = cell.get();
            if !memo.is_nan() {
                return memo;
            }
        }
        let value = concession(
            self.family[a],
            f64::from(t),
            f64::from(self.horizon),
            world.beta[a],
            world.kappa[a],
        );
        if let Some(cell) = cell {
            cell.set(value);
        }
        value
    }

    /// The aspiration a(t) = 1 − α(t)(1 − r) of time-dependent actor `a` (see [`super`]).
    #[inline]
    pub fn aspiration(&self, world: &World, a: usize, t: u32, floor: f64) -> f64 {
        1.0 - self.alpha(world, a, t) * (1.0 - floor)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{alpha, alpha_exponential};
    use super::*;

    /// The flagship model and a world of it.
    /// The toy model of the tests with time-dependent players: a Boulware and a Conceder.
    fn timed_model() -> (Model, World) {
        let mut model = crate::engine::testing::toy_model();
        for (a, beta) in [(0, 0.3), (1, 2.0)] {
            model.actors[a].strategy = Strategy::TimeDependent {
                tactic: crate::model::Tactic::Boulware,
                family: Family::Polynomial,
                beta: crate::model::Value::Const(beta),
                kappa: crate::model::Value::Const(0.1),
            };
        }
        let world = model.sample(&crate::rng::SimRng::for_run(0, 0));
        (model, world)
    }

    #[test]
    fn memoised_values_are_the_formula_bit_for_bit() {
        let (model, mut world) = timed_model();
        let mut curves = Curves::new(&model);
        let horizon = f64::from(model.protocol.max_rounds());
        for beta in [0.3, 2.0, 0.7] {
            world.beta[0] = beta;
            curves.start(&model, &world);
            // Twice: computed, then looked up; past the deadline counts as the deadline.
            for _ in 0..2 {
                for t in 0..=40 {
                    let want = alpha(f64::from(t), horizon, beta, world.kappa[0]);
                    assert_eq!(curves.alpha(&world, 0, t).to_bits(), want.to_bits());
                }
            }
        }
    }

    #[test]
    fn an_exponential_actor_memoises_its_own_curve() {
        let (mut model, mut world) = timed_model();
        if let Strategy::TimeDependent { family, .. } = &mut model.actors[1].strategy {
            *family = Family::Exponential;
        }
        let mut curves = Curves::new(&model);
        let horizon = f64::from(model.protocol.max_rounds());
        world.kappa[1] = 0.2;
        curves.start(&model, &world);
        for _ in 0..2 {
            for t in 0..=40 {
                let t_f = f64::from(t);
                let want = alpha_exponential(t_f, horizon, world.beta[1], 0.2);
                assert_eq!(curves.alpha(&world, 1, t).to_bits(), want.to_bits());
                let want = alpha(t_f, horizon, world.beta[0], world.kappa[0]);
                assert_eq!(curves.alpha(&world, 0, t).to_bits(), want.to_bits());
            }
        }
    }

    #[test]
    fn the_memo_is_off_beyond_its_size() {
        let (mut model, world) = timed_model();
        if let crate::model::Protocol::AlternatingOffers { max_rounds, .. } = &mut model.protocol {
            *max_rounds = 200_000;
        }
        let mut curves = Curves::new(&model);
        curves.start(&model, &world);
        assert!(curves.memo.is_empty());
        let want = alpha(77.0, 200_000.0, world.beta[1], world.kappa[1]);
        assert_eq!(curves.alpha(&world, 1, 77).to_bits(), want.to_bits());
    }
}
