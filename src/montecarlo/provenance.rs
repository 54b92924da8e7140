//! Where a report comes from.

use serde::{Deserialize, Serialize};

use super::BatchConfig;
use crate::model::Model;

/// Everything needed to reproduce a report: the program, the scenario's exact content, the seed,
/// the runs and how they were grouped. Nothing machine-dependent (threads, paths, times).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The program: `treaty`.
    pub engine: String,
    /// Its version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The scenario's name (from its metadata).
    pub scenario: String,
    /// `sha256:` and the hex SHA-256 of the scenario file's bytes
    /// ([`content_hash`](crate::model::content_hash)).
    pub scenario_hash: String,
    /// Overrides applied to the scenario (`PATH=VALUE`), in the order given.
    pub overrides: Vec<String>,
    /// The master seed.
    pub seed: u64,
    /// Runs tallied (for a precision target: the runs it took).
    pub runs: u64,
    /// Runs per block.
    pub block_size: u64,
    /// The precision target, if the batch had one.
    pub precision: Option<f64>,
}

impl Provenance {
    /// The provenance of a batch of this program under `config` on `model` (its name and
    /// origin: the scenario file's hash and the overrides applied). `runs` is the configured
    /// number; a batch that stops early (a precision target) records the runs it played.
    pub fn of(model: &Model, config: &BatchConfig) -> Self {
        Provenance {
            engine: "treaty".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: model.name.clone(),
            scenario_hash: model.origin.scenario_hash.clone(),
            overrides: model.origin.overrides.clone(),
            seed: config.seed,
            runs: config.runs,
            block_size: config.block_size,
            precision: config.precision,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::content_hash;

    #[test]
    fn hash_matches_the_standard_test_vector() {
        assert_eq!(
            content_hash(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
