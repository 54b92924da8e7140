//! Shard parts: the exact state of one shard of a batch, and merging parts back together.
//!
//! A part file is JSON ([`PART_SCHEMA`]): the batch's [`Provenance`] (of the whole batch: its
//! run count is the batch's), which shard it is and which blocks it played, the scenario's
//! [`Outline`], and the shard's [`Tally`] with every sum written exactly (its wars too: the runs
//! with a war, the wars and who started, fought and won them, the round of each run's first war,
//! the settlements of the runs with a war), then a `checksum`: `sha256:` and the hex SHA-256 of
//! the part's compact JSON without the checksum (exactly the file's bytes before
//! `,"checksum"`, then `}`). Version 2 added the wars, version 3 the checksum, version 4 the
//! judgements of the runs' settlements (distances from the frontier and the Nash and
//! Kalai–Smorodinsky points); parts of earlier versions are refused.
//!
//! [`Part::from_json`] checks the sizes a part claims against the model's limits and against
//! each other before it builds anything of those sizes, then the checksum, then that the counts
//! and sums of the tally add up. [`merge_parts`] checks that the parts belong to one batch and
//! cover it exactly once, and adds their tallies; the result is the tally one machine would have
//! made, bit for bit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{BatchConfig, BatchResult, MAX_RUNS, Shard};
use super::{Outline, Provenance};
use crate::model::{MAX_ACTORS, MAX_ISSUES, MAX_ROUNDS};
use crate::stats::{DISTANCE_BINS, Tally, UNIT_BINS};

/// The schema of part files: name and version.
pub const PART_SCHEMA: &str = "treaty-part/4";

/// The largest part file read, in bytes (256 MiB). Parts are far smaller (a scenario at the
/// limits, 1,000 actors, 1,000 issues and 1,000,000 rounds, gives a few tens of megabytes: round
/// histograms are written as their non-empty bins); the
/// limit keeps a wrong file (`/dev/zero`, a disk image) from filling memory.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// The name of part schemas, before the version.
const SCHEMA_NAME: &str = "treaty-part/";

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
    /// A part of another version of the part format than this program's.
    #[error(
        "{file}: the part is of schema {SCHEMA_NAME}{found}, but this treaty reads {PART_SCHEMA} \
         only ({}); write the part again with this version of treaty",
        match *found {
            0..=2 => "version 3 added a checksum, version 4 the judgements of the settlements",
            3 => "version 4 added the judgements of the settlements",
            _ => "written by a newer treaty",
        }
    )]
    Schema {
        /// The file.
        file: String,
        /// Its version.
        found: u64,
    },
    /// A part's content is not what was written: its checksum does not match it.
    #[error("{file}: checksum mismatch: the part was changed after it was written")]
    Checksum {
        /// The file.
        file: String,
    },
    /// A size a part claims is beyond the model's limits or contradicts another of its sizes.
    #[error("{file}: {field}: found {found}; allowed: {allowed}")]
    Field {
        /// The file.
        file: String,
        /// Which field, as a path in the part (`max_rounds`, `tally.issues[2].histogram.bins`).
        field: String,
        /// What it holds.
        found: String,
        /// What it may hold.
        allowed: String,
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

    /// The part as JSON bytes (one line), its checksum last.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = serde_json::to_vec(self)?;
        let checksum = checksum(&out);
        // The compact JSON of a struct ends in its closing brace: the checksum goes before it.
        out.pop();
        out.extend_from_slice(b",\"checksum\":\"");
        out.extend_from_slice(checksum.as_bytes());
        out.extend_from_slice(b"\"}\n");
        Ok(out)
    }

    /// Reads a part from the bytes of `file`: checks its schema, the sizes it claims (before
    /// building anything of those sizes), its checksum, and that its counts and sums add up.
    pub fn from_json(file: &str, bytes: &[u8]) -> Result<Part, MergeError> {
        let corrupt = |message: String| MergeError::Corrupt {
            file: file.to_string(),
            message,
        };
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(corrupt(format!(
                "more than {MAX_PART_BYTES} bytes (256 MiB); part files are much smaller"
            )));
        }
        let mut value: Value =
            serde_json::from_slice(bytes).map_err(|e| corrupt(format!("not JSON ({e})")))?;
        let schema = value.get("schema").and_then(|s| s.as_str());
        if schema != Some(PART_SCHEMA) {
            if let Some(found) = schema
                .and_then(|s| s.strip_prefix(SCHEMA_NAME))
                .and_then(|v| v.parse::<u64>().ok())
            {
                return Err(MergeError::Schema {
                    file: file.to_string(),
                    found,
                });
            }
            return Err(corrupt(format!(
                "its schema is {}, expected \"{PART_SCHEMA}\"",
                schema.map_or("missing".into(), |s| format!("\"{s}\""))
            )));
        }
        let stored = match value.as_object_mut().and_then(|o| o.remove("checksum")) {
            Some(Value::String(c)) => c,
            Some(other) => {
                return Err(corrupt(format!(
                    "its checksum is {other}, not `sha256:` and 64 hexadecimal digits"
                )));
            }
            None => return Err(corrupt("it has no checksum".into())),
        };
        check_sizes(&value).map_err(|(field, found, allowed)| MergeError::Field {
            file: file.to_string(),
            field,
            found,
            allowed,
        })?;
        let part: Part = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        let canonical = serde_json::to_vec(&part).map_err(|e| corrupt(e.to_string()))?;
        if checksum(&canonical) != stored {
            return Err(MergeError::Checksum {
                file: file.to_string(),
            });
        }
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

/// `sha256:` and the lowercase hex SHA-256 of `bytes`.
fn checksum(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A size that is wrong: the field, what it holds and what it may hold.
type SizeError = (String, String, String);

/// Checks, on the JSON of a part, every size that decides how much memory reading it takes
/// (rounds, issues, actors, options, histogram bins) against the model's limits and against the
/// sizes of the outline, so that nothing is built larger than the scenario it claims to be.
/// Fields that are missing or of another type are left to the reader of the part, which builds
/// nothing sized by them.
fn check_sizes(part: &Value) -> Result<(), SizeError> {
    let wrong =
        |field: &str, found: String, allowed: String| Err((field.to_string(), found, allowed));
    let outline = &part["outline"];
    let rounds = &outline["max_rounds"];
    let max_rounds = match rounds.as_u64() {
        Some(r) if (1..=u64::from(MAX_ROUNDS)).contains(&r) => r,
        Some(r) => return wrong("max_rounds", r.to_string(), format!("at most {MAX_ROUNDS}")),
        None => {
            return wrong(
                "max_rounds",
                found(rounds),
                format!("a whole number from 1 to {MAX_ROUNDS}"),
            );
        }
    };
    let issues = sized_list(&outline["issues"], "issues", MAX_ISSUES)?;
    let actors = sized_list(&outline["actors"], "actors", MAX_ACTORS)?;
    for (a, actor) in actors.iter().enumerate() {
        for field in ["positions", "saliences"] {
            if let Some(n) = actor[field].as_array().map(Vec::len)
                && n != issues.len()
            {
                return wrong(
                    &format!("actors[{a}].{field}"),
                    format!("{n} values"),
                    format!("{}, one per issue", issues.len()),
                );
            }
        }
    }
    let tally = &part["tally"];
    if !tally.is_object() {
        return wrong("tally", found(tally), "an object".into());
    }
    let round_bins = max_rounds + 1;
    for field in ["agreement_rounds", "first_war_rounds"] {
        bins(
            &tally[field],
            &format!("tally.{field}"),
            round_bins,
            "max_rounds + 1",
        )?;
    }
    let list = tally["issues"].as_array().map_or(&[][..], Vec::as_slice);
    if list.len() != issues.len() {
        return wrong(
            "tally.issues",
            format!("{} issues", list.len()),
            format!("{}, one per issue of the outline", issues.len()),
        );
    }
    for (j, (t, issue)) in list.iter().zip(&issues).enumerate() {
        for field in ["histogram", "war_histogram"] {
            let name = format!("tally.issues[{j}].{field}");
            bins(
                &t[field],
                &name,
                UNIT_BINS as u64,
                "one per 0.001 of [0, 1]",
            )?;
        }
        let options = issue["options"].as_array().map_or(0, Vec::len);
        if let Some(n) = t["options"].as_array().map(Vec::len)
            && n != options
        {
            return wrong(
                &format!("tally.issues[{j}].options"),
                format!("{n} counts"),
                format!("{options}, one per option of issue {}", j + 1),
            );
        }
    }
    for field in ["frontier", "nash", "kalai_smorodinsky"] {
        let name = format!("tally.judgement.{field}.histogram");
        bins(
            &tally["judgement"][field]["histogram"],
            &name,
            DISTANCE_BINS as u64,
            "one per 0.001 of [0, 2]",
        )?;
    }
    let n = tally["actors"].as_array().map_or(0, Vec::len);
    if n != actors.len() {
        return wrong(
            "tally.actors",
            format!("{n} actors"),
            format!("{}, one per actor of the outline", actors.len()),
        );
    }
    Ok(())
}

/// The list `value` (the outline's `field`), of 1 to `max` items.
fn sized_list<'a>(value: &'a Value, field: &str, max: usize) -> Result<Vec<&'a Value>, SizeError> {
    let allowed = || format!("from 1 to {max} {field}");
    let Some(list) = value.as_array() else {
        return Err((field.to_string(), found(value), allowed()));
    };
    if list.is_empty() || list.len() > max {
        return Err((
            field.to_string(),
            format!("{} {field}", list.len()),
            allowed(),
        ));
    }
    Ok(list.iter().collect())
}

/// Checks that `value` (at `field`) is a histogram of `expected` bins.
fn bins(value: &Value, field: &str, expected: u64, why: &str) -> Result<(), SizeError> {
    let allowed = || format!("{expected} ({why})");
    if !value.is_object() {
        return Err((
            field.to_string(),
            found(value),
            format!("a histogram of {}", allowed()),
        ));
    }
    let n = &value["bins"];
    if n.as_u64() == Some(expected) {
        return Ok(());
    }
    Err((format!("{field}.bins"), found(n), allowed()))
}

/// A JSON value as an error names it: numbers and text as they are, anything else by its kind.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
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
        toy_part_of(toy_model())
    }

    /// The part of a one-machine batch of the first 100 toy runs of `model`.
    fn toy_part_of(mut model: crate::model::Model) -> Part {
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
            referee: None,
        };
        Part::new(
            &config,
            &result,
            Outline::of(&model),
            Provenance::of(&model, &config),
        )
    }

    /// [`toy_part`] with the deadline `max_rounds` (the same outcomes, all within round 12).
    fn toy_part_with_deadline(max_rounds: u32) -> Part {
        let mut model = toy_model();
        if let crate::model::Protocol::AlternatingOffers { max_rounds: m, .. } = &mut model.protocol
        {
            *m = max_rounds;
        }
        toy_part_of(model)
    }

    #[test]
    fn a_distant_deadline_does_not_grow_the_part() {
        // The rounds histograms are written as their non-empty bins: a deadline of a million
        // rounds adds only the digits of the deadline and of the bin counts to the file.
        let near = toy_part_with_deadline(12);
        let far = toy_part_with_deadline(MAX_ROUNDS);
        let (near_bytes, far_bytes) = (near.to_json().unwrap(), far.to_json().unwrap());
        // "max_rounds":12 → 1000000 (+5 digits), each of the two "bins":13 → 1000001 (+5 each).
        assert_eq!(far_bytes.len(), near_bytes.len() + 15);
        let back = Part::from_json("p.json", &far_bytes).unwrap();
        assert_eq!(back, far);
        assert_eq!(back.tally.agreement_rounds().bins(), 1_000_001);
        // The same counts, so the same statistics, as with the near deadline.
        for r in 0..=13 {
            assert_eq!(
                back.tally.agreement_rounds().count(r),
                near.tally.agreement_rounds().count(r)
            );
        }
        let mut twice = back.tally.clone();
        twice.merge(&far.tally).unwrap();
        twice.check_consistent().unwrap();
        assert_eq!(
            twice.agreement_rounds().mean_bin(),
            near.tally.agreement_rounds().mean_bin()
        );
        // A deadline beyond the largest is refused before anything is built.
        let text = String::from_utf8(far_bytes).unwrap();
        let bad = text.replacen("\"max_rounds\":1000000", "\"max_rounds\":1000001", 1);
        let err = Part::from_json("p.json", bad.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.json: max_rounds: found 1000001; allowed: at most 1000000"
        );
    }

    #[test]
    fn parts_carry_the_wars_and_refuse_counts_that_do_not_add_up() {
        let part = toy_part();
        let wars = part.tally.wars();
        assert!(wars > 20, "conflicts and limited wars");
        let bytes = part.to_json().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"schema\":\"treaty-part/4\""), "{text}");
        let back = Part::from_json("p.json", &bytes).unwrap();
        assert_eq!(back, part);
        assert_eq!(back.tally.war_runs(), part.tally.war_runs());
        assert_eq!(back.tally.first_war_rounds(), part.tally.first_war_rounds());
        // Merged with itself as another shard's tally, every war count doubles.
        let mut twice = back.tally.clone();
        twice.merge(&part.tally).unwrap();
        assert_eq!(twice.wars(), 2 * wars);
        twice.check_consistent().unwrap();
        // Counts that contradict each other are refused when read: as edited (the checksum
        // no longer matches) and sealed again with a fresh checksum (the counts do not add up).
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
            assert_eq!(err.to_string(), CHANGED, "{from}");
            let err = Part::from_json("p.json", &reseal(&bad)).unwrap_err();
            assert!(matches!(err, MergeError::Corrupt { .. }), "{from}: {err}");
        }
        // Parts of earlier versions are refused naming both versions.
        for (old, why) in [
            (
                "treaty-part/1",
                "version 3 added a checksum, version 4 the judgements of the settlements",
            ),
            (
                "treaty-part/2",
                "version 3 added a checksum, version 4 the judgements of the settlements",
            ),
            (
                "treaty-part/3",
                "version 4 added the judgements of the settlements",
            ),
        ] {
            let text = text.replacen("treaty-part/4", old, 1);
            let err = Part::from_json("p.json", text.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "p.json: the part is of schema {old}, but this treaty reads treaty-part/4 \
                     only ({why}); write the part again with this version of treaty"
                )
            );
        }
    }

    /// The message of a part whose checksum does not match.
    const CHANGED: &str = "p.json: checksum mismatch: the part was changed after it was written";

    /// The part `text` with its checksum made anew.
    fn reseal(text: &str) -> Vec<u8> {
        let mut value: Value = serde_json::from_str(text).unwrap();
        value.as_object_mut().unwrap().remove("checksum");
        let part: Part = serde_json::from_value(value).unwrap();
        part.to_json().unwrap()
    }

    #[test]
    fn the_checksum_covers_the_content_not_its_layout() {
        let part = toy_part();
        let bytes = part.to_json().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        // The checksum is that of the bytes before it, closed.
        let at = text.find(",\"checksum\":\"sha256:").unwrap();
        let body = format!("{}}}", &text[..at]);
        assert_eq!(
            text[at..],
            format!(",\"checksum\":\"{}\"}}\n", checksum(body.as_bytes()))
        );
        // Laid out again (spaces, indentation), the part is the same part.
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        assert_eq!(Part::from_json("p.json", &pretty).unwrap(), part);
        // A number changed, or the checksum, is refused; so is a part without one.
        let utility = part.tally.actors()[0].utility;
        let json = serde_json::to_string(&utility).unwrap();
        assert!(text.contains(&json));
        let mut tripled: Value = serde_json::from_str(&json).unwrap();
        let sum: i128 = tripled["sum"].as_str().unwrap().parse().unwrap();
        tripled["sum"] = Value::String((3 * sum).to_string());
        let edited = text.replacen(&json, &tripled.to_string(), 1);
        let err = Part::from_json("p.json", edited.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            MergeError::Checksum {
                file: "p.json".into()
            }
        );
        let err = Part::from_json("p.json", &reseal(&edited)).unwrap_err();
        assert!(
            err.to_string()
                .contains("the sums of actor 1 do not add up"),
            "{err}"
        );
        let other = text.replacen("sha256:", "sha256:0", 1);
        assert_eq!(
            Part::from_json("p.json", other.as_bytes())
                .unwrap_err()
                .to_string(),
            CHANGED
        );
        let none = format!("{}}}", &text[..at]);
        let err = Part::from_json("p.json", none.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.json: not a valid part file: it has no checksum"
        );
    }

    /// A change to the JSON of a part.
    type Edit = Box<dyn Fn(&mut Value)>;

    #[test]
    fn sizes_are_checked_before_anything_is_built() {
        let text = String::from_utf8(toy_part().to_json().unwrap()).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let rounds = value["outline"]["max_rounds"].as_u64().unwrap();
        let edit = |f: &dyn Fn(&mut Value)| {
            let mut v = value.clone();
            f(&mut v);
            Part::from_json("p.json", v.to_string().as_bytes())
                .unwrap_err()
                .to_string()
        };
        let cases: Vec<(Edit, String)> = vec![
            (
                Box::new(|v| v["outline"]["max_rounds"] = 4_294_967_295u64.into()),
                "max_rounds: found 4294967295; allowed: at most 1000000".into(),
            ),
            (
                Box::new(|v| v["outline"]["max_rounds"] = (-1).into()),
                "max_rounds: found -1; allowed: a whole number from 1 to 1000000".into(),
            ),
            (
                Box::new(|v| {
                    let issue = v["outline"]["issues"][0].clone();
                    v["outline"]["issues"] = Value::Array(vec![issue; 1001]);
                }),
                "issues: found 1001 issues; allowed: from 1 to 1000 issues".into(),
            ),
            (
                Box::new(|v| {
                    let actor = v["outline"]["actors"][0].clone();
                    v["outline"]["actors"] = Value::Array(vec![actor; 1001]);
                }),
                "actors: found 1001 actors; allowed: from 1 to 1000 actors".into(),
            ),
            (
                Box::new(|v| v["tally"]["agreement_rounds"]["bins"] = 16_777_216u64.into()),
                format!(
                    "tally.agreement_rounds.bins: found 16777216; allowed: {} (max_rounds + 1)",
                    rounds + 1
                ),
            ),
            (
                Box::new(|v| {
                    v["tally"]["first_war_rounds"] = serde_json::json!([16_777_216u64, []]);
                }),
                format!(
                    "tally.first_war_rounds: found a list; allowed: a histogram of {} \
                     (max_rounds + 1)",
                    rounds + 1
                ),
            ),
            (
                Box::new(|v| v["tally"]["issues"][1]["war_histogram"]["bins"] = 99_999.into()),
                "tally.issues[1].war_histogram.bins: found 99999; allowed: 1001 \
                 (one per 0.001 of [0, 1])"
                    .into(),
            ),
            (
                Box::new(|v| {
                    let issue = v["tally"]["issues"][0].clone();
                    v["tally"]["issues"].as_array_mut().unwrap().push(issue);
                }),
                "tally.issues: found 3 issues; allowed: 2, one per issue of the outline".into(),
            ),
            (
                Box::new(|v| v["tally"]["actors"].as_array_mut().unwrap().clear()),
                "tally.actors: found 0 actors; allowed: 3, one per actor of the outline".into(),
            ),
            (
                Box::new(|v| v["tally"]["issues"][1]["options"] = serde_json::json!([1, 2])),
                "tally.issues[1].options: found 2 counts; allowed: 3, one per option of issue 2"
                    .into(),
            ),
            (
                Box::new(|v| {
                    v["outline"]["actors"][1]["positions"]
                        .as_array_mut()
                        .unwrap()
                        .push(0.5.into());
                }),
                "actors[1].positions: found 3 values; allowed: 2, one per issue".into(),
            ),
            (
                Box::new(|v| v["tally"] = serde_json::json!([1, 2])),
                "tally: found a list; allowed: an object".into(),
            ),
        ];
        for (change, expected) in cases {
            assert_eq!(edit(&*change), format!("p.json: {expected}"));
        }
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
