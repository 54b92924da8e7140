//! What the fuzz targets check, as plain functions, so the same checks run under libFuzzer
//! (`cargo fuzz run load`, nightly) and on stable (`cargo run --bin replay`, `cargo test`).
#![forbid(unsafe_code)]

use treaty::engine::{NoopObserver, simulate_run};
use treaty::rng::SimRng;
use treaty::scenario::{MAX_FILE_BYTES, ScenarioError, Source, parse, validate};

/// Runs are played only for accepted models with at most this many actor-rounds, so that one
/// input stays well within libFuzzer's per-input timeout.
const MAX_ACTOR_ROUNDS: u64 = 1_000_000;

/// The fields of a scenario: every logical path in an error starts with one of them.
const TOP_LEVEL: &[&str] = &[
    "metadata",
    "issues",
    "actors",
    "relations",
    "protocol",
    "escalation",
    "events",
    "perception_noise",
    "pie",
    "interdependence",
];

/// Loads `data` as `treaty` loads a scenario file (without touching the file system) and panics
/// if a promise is broken:
///
/// - loading returns (a panic or an overflowed stack is a crash for the fuzzer);
/// - a refused input has a line and column inside the text, or logical paths starting at a
///   field of the scenario, each with what was found and what is allowed;
/// - an accepted input samples finite numbers, and one run of it has a finite outcome with the
///   settlement in [0, 1].
///
/// Returns whether the input was accepted. Inputs over the loader's size limit are ignored (the
/// loader refuses them before reading).
pub fn check(data: &[u8]) -> bool {
    if data.len() as u64 > MAX_FILE_BYTES {
        return false;
    }
    let source = match Source::from_bytes("fuzz.ron", data.to_vec()) {
        Ok(source) => source,
        Err(e) => {
            check_error(&e, None);
            return false;
        }
    };
    let model = match parse(&source).and_then(|s| validate(&s, "fuzz.ron")) {
        Ok(model) => model,
        Err(e) => {
            check_error(&e, Some(&source.text));
            return false;
        }
    };
    let world = model.sample(&SimRng::for_run(1, 2));
    let numbers = world.numbers();
    for x in numbers {
        assert!(x.is_finite(), "an accepted scenario sampled {x}");
    }
    let actor_rounds = model.actors.len() as u64 * u64::from(model.protocol.max_rounds());
    if actor_rounds <= MAX_ACTOR_ROUNDS {
        let outcome = simulate_run(&model, &mut SimRng::for_run(1, 2), &mut NoopObserver);
        for x in &outcome.settlement {
            assert!((0.0..=1.0).contains(x), "settlement {x} outside [0, 1]");
        }
        for x in outcome.utility.iter().chain(&outcome.concession) {
            assert!(x.is_finite(), "a run gave {x}");
        }
    }
    true
}

/// Panics unless `e` is located (see [`check`]); `text` is the text parsed, when there is one.
fn check_error(e: &ScenarioError, text: Option<&str>) {
    match e {
        ScenarioError::Parse {
            line,
            column,
            message,
            ..
        } => {
            assert!(*line >= 1 && *column >= 1, "{e}");
            assert!(!message.trim().is_empty(), "{e}");
            if let Some(text) = text {
                let lines: Vec<&str> = text.split('\n').collect();
                assert!(*line <= lines.len(), "line beyond the text: {e}");
                let width = lines[line - 1].chars().count();
                assert!(*column <= width + 1, "column beyond its line: {e}");
            }
        }
        ScenarioError::Invalid { problems, .. } => {
            assert!(!problems.is_empty(), "{e}");
            for p in problems {
                let top = p.path.split(['.', '[']).next().unwrap_or("");
                assert!(TOP_LEVEL.contains(&top), "unrooted path: {e}");
                assert!(!p.found.is_empty() && !p.allowed.is_empty(), "{e}");
            }
        }
        other => panic!("text gave an error with neither location nor path: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of a directory, sorted.
    fn files(dir: &str) -> Vec<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("entry").path())
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_seed_corpus_passes_the_checks() {
        for file in files("../scenarios")
            .into_iter()
            .chain(files("../tests/fixtures/good"))
        {
            let data = std::fs::read(&file).expect("read");
            assert!(check(&data), "{} refused", file.display());
        }
        let bad = files("../tests/fixtures/bad");
        assert!(bad.len() >= 80);
        for file in bad {
            let data = std::fs::read(&file).expect("read");
            assert!(!check(&data), "{} accepted", file.display());
        }
    }

    #[test]
    fn odd_bytes_pass_the_checks() {
        for data in [
            &b""[..],
            b"\xff",
            b"(",
            b")",
            b"\0",
            b"((((((((((((((((((((",
            b"/*",
        ] {
            assert!(!check(data));
        }
    }
}
