//! What the integration tests share: running the `treaty` binary, and scratch folders.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;

/// `treaty ARGS...`, its whole output.
pub fn treaty(args: &[&str]) -> Output {
    cargo_bin_cmd!("treaty")
        .args(args)
        .output()
        .expect("the treaty binary starts")
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
