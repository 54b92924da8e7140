//! Snapshots of every output of the program for every bundled scenario, at a fixed seed: `run`
//! (table, JSON, CSV, per-run records, the HTML page), `trace` (text, JSON, HTML), `compare`,
//! `sweep` and `merge` (each in every format, and their pages), and `validate` on bad files.
//!
//! The snapshots hold the exact bytes, so a change to the engine, a report or a printer shows up
//! here line by line. The large HTML pages are kept as their SHA-256 and length (the exact bytes
//! all the same; the small scenarios' pages are kept whole, to read).
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --release --test snapshots`, then
//! read the diff of `tests/snapshots/` before committing it.

use std::path::Path;

use sha2::{Digest, Sha256};

mod common;
use common::{scratch_dir, treaty_ok};

/// Every bundled scenario.
const SCENARIOS: [&str; 7] = [
    "karabakh-2023",
    "rubinstein-pie",
    "baron-ferejohn",
    "expected-utility-toy",
    "mediated-water",
    "bench-pie",
    "bench-6x8",
];

/// Scenarios whose HTML pages are kept whole (small pages, one of each protocol).
const WHOLE_PAGES: [&str; 2] = ["rubinstein-pie", "expected-utility-toy"];

const SEED: &str = "7";
const RUNS: &str = "200";

/// The output as text, followed by its length in bytes (insta trims the ends of snapshots, so
/// the length keeps a lost or added final newline visible).
fn text(bytes: Vec<u8>) -> String {
    let n = bytes.len();
    let s = String::from_utf8(bytes).expect("outputs are UTF-8");
    format!("{s}\n[{n} bytes]")
}

/// An HTML page as a snapshot: whole for the small scenarios, else its digest and length.
fn page(scenario: &str, bytes: Vec<u8>) -> String {
    if WHOLE_PAGES.contains(&scenario) {
        return text(bytes);
    }
    digest(&bytes)
}

/// The SHA-256 and length of `bytes`.
fn digest(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}\nbytes: {}\n", bytes.len())
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_reports() {
    let dir = scratch_dir();
    for s in SCENARIOS {
        let common = ["run", s, "--seed", SEED, "--runs", RUNS];
        let table = treaty_ok(&[&common[..], &["--format", "table"]].concat());
        insta::assert_snapshot!(format!("run-{s}-table"), text(table));
        let per_run = dir.path().join(format!("{s}-runs.csv"));
        let html = dir.path().join(format!("{s}.html"));
        let json = treaty_ok(
            &[
                &common[..],
                &["--format", "json", "--per-run", per_run.to_str().unwrap()],
                &["--html", html.to_str().unwrap()],
            ]
            .concat(),
        );
        insta::assert_snapshot!(format!("run-{s}-json"), text(json));
        insta::assert_snapshot!(format!("run-{s}-per-run"), text(read(&per_run)));
        insta::assert_snapshot!(format!("run-{s}-html"), page(s, read(&html)));
        let csv = treaty_ok(&[&common[..], &["--format", "csv"]].concat());
        insta::assert_snapshot!(format!("run-{s}-csv"), text(csv));
    }
}

#[test]
fn traces() {
    let dir = scratch_dir();
    for s in SCENARIOS {
        let html = dir.path().join(format!("{s}-trace.html"));
        let prose = treaty_ok(&[
            "trace",
            s,
            "--seed",
            SEED,
            "--run",
            "3",
            "--html",
            html.to_str().unwrap(),
        ]);
        insta::assert_snapshot!(format!("trace-{s}-text"), text(prose));
        insta::assert_snapshot!(format!("trace-{s}-html"), page(s, read(&html)));
        let json = treaty_ok(&["trace", s, "--seed", SEED, "--run", "3", "--format", "json"]);
        insta::assert_snapshot!(format!("trace-{s}-json"), text(json));
    }
}

#[test]
fn comparisons() {
    let dir = scratch_dir();
    for s in SCENARIOS {
        let html = dir.path().join(format!("{s}-compare.html"));
        let common = [
            "compare",
            s,
            "--variant",
            "noisy: perception_noise=0.05",
            "--variant",
            "allied: interdependence=0.5",
            "--seed",
            SEED,
            "--runs",
            RUNS,
        ];
        let table = treaty_ok(&[&common[..], &["--html", html.to_str().unwrap()]].concat());
        insta::assert_snapshot!(format!("compare-{s}-table"), text(table));
        insta::assert_snapshot!(format!("compare-{s}-html"), page(s, read(&html)));
        for format in ["json", "csv"] {
            let out = treaty_ok(&[&common[..], &["--format", format]].concat());
            insta::assert_snapshot!(format!("compare-{s}-{format}"), text(out));
        }
    }
}

#[test]
fn sweeps() {
    let dir = scratch_dir();
    for s in SCENARIOS {
        let html = dir.path().join(format!("{s}-sweep.html"));
        let common = [
            "sweep",
            s,
            "--set",
            "perception_noise=0..0.1:3",
            "--seed",
            SEED,
            "--runs",
            RUNS,
        ];
        let table = treaty_ok(&[&common[..], &["--html", html.to_str().unwrap()]].concat());
        insta::assert_snapshot!(format!("sweep-{s}-table"), text(table));
        insta::assert_snapshot!(format!("sweep-{s}-html"), page(s, read(&html)));
        for format in ["json", "csv"] {
            let out = treaty_ok(&[&common[..], &["--format", format]].concat());
            insta::assert_snapshot!(format!("sweep-{s}-{format}"), text(out));
        }
    }
}

#[test]
fn merged_parts() {
    let dir = scratch_dir();
    for s in SCENARIOS {
        let mut parts = Vec::new();
        for i in 1..=2 {
            let path = dir.path().join(format!("{s}-part{i}.json"));
            let shard = format!("{i}/2");
            treaty_ok(&[
                "run",
                s,
                "--seed",
                SEED,
                "--runs",
                "2500",
                "--shard",
                &shard,
                "--out",
                path.to_str().unwrap(),
            ]);
            parts.push(path.to_str().unwrap().to_string());
        }
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(String::as_str));
        for format in ["table", "json", "csv"] {
            let out = treaty_ok(&[&args[..], &["--format", format]].concat());
            insta::assert_snapshot!(format!("merge-{s}-{format}"), text(out));
        }
    }
}

#[test]
fn validation_messages() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    for name in [
        "many-problems",
        "syntax-missing-comma",
        "unknown-field-in-actor",
        "distribution-outside-domain",
        "event-unknown-actor",
    ] {
        let file = fixtures.join(format!("{name}.ron"));
        let rel = format!("tests/fixtures/bad/{name}.ron");
        assert!(file.exists(), "{rel}");
        for format in ["text", "json"] {
            let out = common::treaty_in(
                Path::new(env!("CARGO_MANIFEST_DIR")),
                &["validate", &rel, "--format", format],
            );
            assert_eq!(out.status.code(), Some(2), "validate {rel}");
            let shown = format!(
                "stdout:\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            insta::assert_snapshot!(format!("validate-{name}-{format}"), shown);
        }
    }
}
