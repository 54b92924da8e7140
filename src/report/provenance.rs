//! Where a report comes from.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
    /// `sha256:` and the hex SHA-256 of the scenario file's bytes ([`content_hash`]).
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
    /// The provenance of a batch of this program on a scenario named `scenario` whose file holds
    /// `content`.
    pub fn new(scenario: &str, content: &[u8], seed: u64, runs: u64, block_size: u64) -> Self {
        Provenance {
            engine: "treaty".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.into(),
            scenario_hash: content_hash(content),
            overrides: Vec::new(),
            seed,
            runs,
            block_size,
            precision: None,
        }
    }
}

/// `sha256:` followed by the lowercase hex SHA-256 of `content`.
pub fn content_hash(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_the_standard_test_vector() {
        assert_eq!(
            content_hash(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
