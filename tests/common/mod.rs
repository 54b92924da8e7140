//! What the integration tests share: running the `treaty` binary, scratch folders, property-test
//! settings, and (in [`models`]) models built in Rust with a recording observer.
//!
//! Each test binary (`tests/cli/`, `tests/library/`, `tests/theory/`, `tests/snapshots.rs`)
//! includes this module; not every binary uses every helper.
#![allow(dead_code)]

pub mod models;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::cargo::cargo_bin_cmd;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

/// `treaty ARGS...`, its whole output.
pub fn treaty(args: &[&str]) -> Output {
    cargo_bin_cmd!("treaty")
        .args(args)
        .output()
        .expect("the treaty binary starts")
}

/// How long [`treaty_with_timeout`] lets the program run before killing it.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// `treaty ARGS...`, killed after [`TIMEOUT`] (a minute): a guard against a run that would not
/// end (an output path refused only after a batch of hours), not a measure of speed.
pub fn treaty_with_timeout(args: &[&str]) -> Output {
    cargo_bin_cmd!("treaty")
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("the treaty binary starts")
}

/// `treaty ARGS...` as text: (exit code, or -1 if killed by a signal; stdout; stderr), each
/// stream decoded lossily.
pub fn treaty_text(args: &[&str]) -> (i32, String, String) {
    let out = treaty(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `treaty ARGS...` run in the folder `dir`.
pub fn treaty_in(dir: &Path, args: &[&str]) -> Output {
    cargo_bin_cmd!("treaty")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the treaty binary starts")
}

/// `treaty ARGS...`, which must succeed; its standard output.
pub fn treaty_ok(args: &[&str]) -> Vec<u8> {
    let out = treaty(args);
    assert!(
        out.status.success(),
        "treaty {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `treaty ARGS...`, which must fail with exit code `code`; its standard error.
pub fn treaty_fails(code: i32, args: &[&str]) -> String {
    let out = treaty(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "treaty {args:?}: stdout {} stderr {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch folder, removed when dropped.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a scratch folder")
}

/// Property tests of `cases` cases whose failures are stored, and replayed first on every later
/// run, in `NAME.proptest-regressions` beside the test's source file `NAME.rs`.
///
/// proptest's default looks for a `lib.rs` or `main.rs` above the source file and, in a test
/// binary made of a folder with a `main.rs`, would use `tests/proptest-regressions/NAME.txt`
/// instead, leaving the stored regressions beside the sources unread.
pub fn proptest_cases(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}
