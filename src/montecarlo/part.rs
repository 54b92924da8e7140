//! Shard parts: the exact state of one shard of a batch, and merging parts back together.
//!
//! A part file is JSON ([`PART_SCHEMA`]): the batch's [`Provenance`] (of the whole batch: its
//! run count is the batch's), which shard it is and which blocks it played, the scenario's
//! [`Outline`], and the shard's [`Tally`] with every sum written exactly (its wars too: the runs
//! with a war, the wars and who started, fought and won them, the round of each run's first war,
//! the settlements of the runs with a war). Version 2 added the wars; a part of version 1 is
//! refused. [`merge_parts`] checks
//! that the parts belong to one batch and cover it exactly once, and adds their tallies; the
//! result is the tally one machine would have made, bit for bit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BatchConfig, BatchResult, MAX_RUNS, Shard};
use super::{Outline, Provenance};
use crate::stats::Tally;

/// The schema of part files: name and version.
pub const PART_SCHEMA: &str = "treaty-part/2";

/// One shard's share of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// [`PART_SCHEMA`].
    pub schema: String,
    /// The whole batch's provenance.
    pub provenance: Provenance,
    /// Which part of how many.
    pub shard: Shard,
    /// The blocks it played: `[first, end)`.
    pub blocks: [u64; 2],
    /// The scenario.
    pub outline: Outline,
    /// The statistics of its runs.
    pub tally: Tally,
}

/// Parts that cannot be merged. Every variant names the files involved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// No part was given.
    #[error("no part to merge")]
    Empty,
    /// A file is not a readable part (not JSON, not this format, or its numbers do not add up).
    #[error("{file}: not a valid part file: {message}")]
    Corrupt {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A part was made by another version of the program than this one.
    #[error(
        "{file}: made by treaty {found}, but this is treaty {expected}; merge with the version that made the parts"
    )]
    Version {
        /// The file.
        file: String,
        /// Its version.
        found: String,
        /// This program's version.
        expected: String,
    },
    /// A part belongs to another batch than the first part.
    #[error(
        "{file}: {field} is {found}, but {reference} has {expected}: the parts are of different batches"
    )]
    Mismatch {
        /// The file that differs.
        file: String,
        /// What differs: scenario, scenario hash, seed, runs, block size, overrides, shard count.
        field: &'static str,
        /// Its value there.
        found: String,
        /// The first part's file.
        reference: String,
        /// The first part's value.
        expected: String,
    },
    /// The same part was given more than once.
    #[error("part {shard} is given more than once: {}", files.join(", "))]
    Repeated {
        /// The part, `i/n`.
        shard: String,
        /// The files holding it.
        files: Vec<String>,
    },
    /// Parts are missing.
    #[error("missing {}: {}", if missing.len() == 1 { "part" } else { "parts" }, missing.join(", "))]
    Missing {
        /// The missing parts, `i/n`.
        missing: Vec<String>,
    },
}

impl Part {
    /// The part of a sharded batch: `config` (with its shard), its result, the scenario's outline
    /// and the batch's provenance.
    pub fn new(
        config: &BatchConfig,
        result: &BatchResult,
        outline: Outline,
        provenance: Provenance,
    ) -> Self {
        Part {
            schema: PART_SCHEMA.into(),
            provenance,
            shard: config.shard.unwrap_or(Shard { index: 1, count: 1 }),
            blocks: [result.blocks.start, result.blocks.end],
            outline,
            tally: result.tally.clone(),
        }
    }

    /// The part as JSON bytes (one line).
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = serde_json::to_vec(self)?;
        out.push(b'\n');
        Ok(out)
    }

    /// Reads a part from the bytes of `file`, checking its schema and that its counts add up.
    pub fn from_json(file: &str, bytes: &[u8]) -> Result<Part, MergeError> {
        let corrupt = |message: String| MergeError::Corrupt {
            file: file.to_string(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| corrupt(format!("not JSON ({e})")))?;
        let schema = value.get("schema").and_then(|s| s.as_str());
        if schema != Some(PART_SCHEMA) {
            return Err(corrupt(format!(
                "its schema is {}, expected \"{PART_SCHEMA}\"",
                schema.map_or("missing".into(), |s| format!("\"{s}\""))
            )));
        }
        let part: Part = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        let runs_per_block = part.provenance.block_size.max(1);
        let config = BatchConfig {
            seed: part.provenance.seed,
            runs: part.provenance.runs,
            block_size: runs_per_block,
            threads: None,
            shard: Some(part.shard),
            precision: None,
        };
        if Shard::new(part.shard.index, part.shard.count).is_err()
            || part.provenance.block_size == 0
            || part.provenance.runs == 0
            || part.provenance.runs > MAX_RUNS
        {
            return Err(corrupt(format!(
                "part {} of {} runs in blocks of {} cannot exist",
                part.shard, part.provenance.runs, part.provenance.block_size
            )));
        }
        let blocks = config.blocks();
        if part.blocks != [blocks.start, blocks.end] {
            return Err(corrupt(format!(
                "part {} of {} runs should hold blocks {}..{}, not {}..{}",
                part.shard,
                part.provenance.runs,
                blocks.start,
                blocks.end,
                part.blocks[0],
                part.blocks[1]
            )));
        }
        let runs = config.runs_in(&blocks);
        if part.tally.runs() != runs {
            return Err(corrupt(format!(
                "it should tally {runs} runs, but tallies {}",
                part.tally.runs()
            )));
        }
        part.tally
            .check_consistent()
            .map_err(|e| corrupt(e.to_string()))?;
        let options: Vec<usize> = part
            .outline
            .issues
            .iter()
            .map(|i| i.options.len())
            .collect();
        let probe = Tally::with_shape(part.outline.max_rounds, &options, part.outline.actors.len());
        probe
            .check_shape(&part.tally)
            .map_err(|e| corrupt(format!("its tally does not fit its scenario ({e})")))?;
        Ok(part)
    }
}

/// Merges parts read from files (`(file name, part)`, in any order) into the whole batch: its
/// provenance, outline and tally. Refuses parts of different batches or of another version of
/// this program, and names missing and repeated parts.
pub fn merge_parts(parts: &[(String, Part)]) -> Result<(Provenance, Outline, Tally), MergeError> {
    let Some((first_file, first)) = parts.first() else {
        return Err(MergeError::Empty);
    };
    let version = env!("CARGO_PKG_VERSION");
    for (file, part) in parts {
        if part.provenance.version != version {
            return Err(MergeError::Version {
                file: file.clone(),
                found: part.provenance.version.clone(),
                expected: version.into(),
            });
        }
    }
    for (file, part) in &parts[1..] {
        check_same(first_file, first, file, part)?;
    }
    let count = first.shard.count;
    let mut holders: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for (file, part) in parts {
        if Shard::new(part.shard.index, part.shard.count).is_err() {
            return Err(MergeError::Corrupt {
                file: file.clone(),
                message: format!("part {} does not exist", part.shard),
            });
        }
        holders.entry(part.shard.index).or_default().push(file);
    }
    if let Some((i, files)) = holders.iter().find(|(_, f)| f.len() > 1) {
        return Err(MergeError::Repeated {
            shard: format!("{i}/{count}"),
            files: files.iter().map(|f| f.to_string()).collect(),
        });
    }
    let missing = missing_parts(holders.keys().copied(), count);
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing });
    }
    let mut order: Vec<&(String, Part)> = parts.iter().collect();
    order.sort_by_key(|(_, p)| p.shard.index);
    let mut tally = order[0].1.tally.clone();
    for (file, p) in &order[1..] {
        tally.merge(&p.tally).map_err(|e| MergeError::Corrupt {
            file: file.clone(),
            message: e.to_string(),
        })?;
    }
    Ok((first.provenance.clone(), first.outline.clone(), tally))
}

/// Parts named when some are missing, at most this many (then how many more).
const MISSING_SHOWN: usize = 20;

/// The parts of 1..=count not in `present` (sorted), as `i/count`: at most [`MISSING_SHOWN`] of
/// them, then `… and N more`.
fn missing_parts(present: impl Iterator<Item = u64>, count: u64) -> Vec<String> {
    let mut names = Vec::new();
    let mut more = 0u64;
    let mut next = 1;
    for p in present.chain(std::iter::once(count + 1)) {
        let gap = p.saturating_sub(next);
        let shown = gap.min((MISSING_SHOWN - names.len()) as u64);
        names.extend((next..next + shown).map(|i| format!("{i}/{count}")));
        more += gap - shown;
        next = p + 1;
    }
    if more > 0 {
        names.push(format!("… and {more} more"));
    }
    names
}

/// Checks that `part` (from `file`) belongs to the batch of `first` (from `first_file`).
fn check_same(first_file: &str, first: &Part, file: &str, part: &Part) -> Result<(), MergeError> {
    let (a, b) = (&first.provenance, &part.provenance);
    let fields: [(&'static str, String, String); 9] = [
        ("the scenario", a.scenario.clone(), b.scenario.clone()),
        (
            "the scenario hash",
            a.scenario_hash.clone(),
            b.scenario_hash.clone(),
        ),
        ("the engine", a.engine.clone(), b.engine.clone()),
        ("the seed", a.seed.to_string(), b.seed.to_string()),
        ("the run count", a.runs.to_string(), b.runs.to_string()),
        (
            "the block size",
            a.block_size.to_string(),
            b.block_size.to_string(),
        ),
        (
            "the overrides",
            format!("{:?}", a.overrides),
            format!("{:?}", b.overrides),
        ),
        (
            "the precision target",
            format!("{:?}", a.precision),
            format!("{:?}", b.precision),
        ),
        (
            "the number of parts",
            first.shard.count.to_string(),
            part.shard.count.to_string(),
        ),
    ];
    for (field, expected, found) in fields {
        if expected != found {
            return Err(MergeError::Mismatch {
                file: file.into(),
                field,
                found,
                reference: first_file.into(),
                expected,
            });
        }
    }
    if first.outline != part.outline {
        return Err(MergeError::Corrupt {
            file: file.into(),
            message: format!(
                "its scenario outline differs from {first_file}'s although the scenario hash is the same"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{toy_model, toy_outcome};

    /// The part of a one-machine batch of the first 100 toy runs.
    fn toy_part() -> Part {
        let mut model = toy_model();
        model.origin = crate::model::Origin::of_text(b"toy", Vec::new());
        let mut tally = Tally::for_model(&model);
        for i in 0..100 {
            tally.record(&model, &toy_outcome(i));
        }
        let config = BatchConfig::new(5, 100);
        let result = BatchResult {
            tally,
            blocks: 0..1,
            precision: None,
            threads: 1,
        };
        Part::new(
            &config,
            &result,
            Outline::of(&model),
            Provenance::of(&model, &config),
        )
    }

    #[test]
    fn parts_carry_the_wars_and_refuse_counts_that_do_not_add_up() {
        let part = toy_part();
        let wars = part.tally.wars();
        assert!(wars > 20, "conflicts and limited wars");
        let bytes = part.to_json().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"schema\":\"treaty-part/2\""), "{text}");
        let back = Part::from_json("p.json", &bytes).unwrap();
        assert_eq!(back, part);
        assert_eq!(back.tally.war_runs(), part.tally.war_runs());
        assert_eq!(back.tally.first_war_rounds(), part.tally.first_war_rounds());
        // Merged with itself as another shard's tally, every war count doubles.
        let mut twice = back.tally.clone();
        twice.merge(&part.tally).unwrap();
        assert_eq!(twice.wars(), 2 * wars);
        twice.check_consistent().unwrap();
        // Counts that contradict each other are refused when read.
        for (from, to) in [
            (format!("\"wars\":{wars}"), format!("\"wars\":{}", wars + 1)),
            (
                format!("\"war_runs\":{}", part.tally.war_runs()),
                format!("\"war_runs\":{}", part.tally.war_runs() + 1),
            ),
            (
                "\"initiated_runs\":".into(),
                "\"initiated_runs\":1000".into(),
            ),
        ] {
            assert!(text.contains(&from), "{from}");
            let bad = text.replacen(&from, &to, 1);
            let err = Part::from_json("p.json", bad.as_bytes()).unwrap_err();
            assert!(matches!(err, MergeError::Corrupt { .. }), "{from}: {err}");
        }
        // A part of the first version is refused by its schema.
        let old = text.replacen("treaty-part/2", "treaty-part/1", 1);
        let err = Part::from_json("p.json", old.as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("expected \"treaty-part/2\""),
            "{err}"
        );
    }

    #[test]
    fn missing_parts_are_listed_briefly() {
        assert_eq!(missing_parts([1, 3].into_iter(), 4), ["2/4", "4/4"]);
        assert!(missing_parts([1, 2].into_iter(), 2).is_empty());
        let many = missing_parts([5].into_iter(), MAX_RUNS);
        assert_eq!(many.len(), MISSING_SHOWN + 1);
        assert_eq!(many[0], format!("1/{MAX_RUNS}"));
        assert!(many[MISSING_SHOWN].starts_with("… and "), "{many:?}");
    }
}
