//! The JSON Schemas of `docs/schemas/` (draft 2020-12) against real outputs of the program: every
//! JSON document `treaty` writes (run report, part file, comparison, sweep, trace, validation
//! report, backtest, outcome analysis) is produced here and must match its schema, and each schema's `schema`
//! constant must be the one the document carries.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{scratch_dir, treaty, treaty_ok};

/// The schema `docs/schemas/NAME.json`, checked against the draft 2020-12 meta-schema.
fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{}: not a draft 2020-12 schema: {e}", path.display());
    }
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    schema
}

/// Asserts that `doc` (the output of `what`) matches the schema `name`, listing every mismatch.
fn assert_matches(name: &str, what: &str, doc: &Value) {
    let schema = schema(name);
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{name}: the schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/schemas/{name}.json:\n{}",
        errors.join("\n")
    );
    // The version in the file name is the one the document declares.
    let declared = doc["schema"].as_str().unwrap_or_default().replace('/', "-");
    assert_eq!(declared, name, "{what}: the document's schema field");
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the output is JSON")
}

fn json_file(path: &Path) -> Value {
    json(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Scenarios covering the three protocols, wars, events, a calendar and a pie.
const SCENARIOS: [&str; 4] = [
    "karabakh-2023",
    "mediated-water",
    "expected-utility-toy",
    "rubinstein-pie",
];

#[test]
fn run_reports_and_merged_reports_match_their_schema() {
    for s in SCENARIOS {
        let doc = json(&treaty_ok(&[
            "run", s, "--runs", "300", "--seed", "5", "--format", "json",
        ]));
        assert_matches("treaty-report-2", &format!("run {s}"), &doc);
    }
    // A precision target and overrides fill the fields that are otherwise null or empty.
    let doc = json(&treaty_ok(&[
        "run",
        "karabakh-2023",
        "--precision",
        "0.05",
        "--set",
        "actors.RUS.capability=0.5",
        "--seed",
        "5",
        "--format",
        "json",
    ]));
    assert!(doc["precision"].is_object(), "{doc}");
    assert_matches("treaty-report-2", "run --precision", &doc);
}

#[test]
fn part_files_and_their_merge_match_their_schemas() {
    let dir = scratch_dir();
    let mut parts = Vec::new();
    for i in 1..=2 {
        let part = dir.path().join(format!("part{i}.json"));
        let shard = format!("{i}/2");
        treaty_ok(&[
            "run",
            "karabakh-2023",
            "--runs",
            "2500",
            "--seed",
            "5",
            "--shard",
            &shard,
            "--out",
            part.to_str().unwrap(),
        ]);
        assert_matches("treaty-part-4", &format!("part {i}"), &json_file(&part));
        parts.push(part.to_str().unwrap().to_string());
    }
    let merged = json(&treaty_ok(&[
        "merge", &parts[0], &parts[1], "--format", "json",
    ]));
    assert_matches("treaty-report-2", "merge", &merged);
}

#[test]
fn comparisons_match_their_schema() {
    for (s, variant) in [
        ("karabakh-2023", "weak-russia: actors.RUS.capability=0.25"),
        ("rubinstein-pie", "short: protocol.max_rounds=40"),
    ] {
        let doc = json(&treaty_ok(&[
            "compare",
            s,
            "--variant",
            variant,
            "--runs",
            "200",
            "--seed",
            "5",
            "--format",
            "json",
        ]));
        assert_matches("treaty-compare-1", &format!("compare {s}"), &doc);
    }
}

#[test]
fn sweeps_match_their_schema() {
    let doc = json(&treaty_ok(&[
        "sweep",
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=0.1..0.9:3",
        "--set",
        "escalation.propensity=0..0.2:2",
        "--runs",
        "100",
        "--seed",
        "5",
        "--format",
        "json",
    ]));
    assert_matches("treaty-sweep-1", "sweep", &doc);
}

#[test]
fn traces_match_their_schema() {
    for s in SCENARIOS {
        for run in ["0", "3"] {
            let doc = json(&treaty_ok(&[
                "trace", s, "--seed", "5", "--run", run, "--format", "json",
            ]));
            assert_matches("treaty-trace-2", &format!("trace {s} run {run}"), &doc);
        }
    }
    // A trace that leaves rounds out says which it shows.
    let doc = json(&treaty_ok(&[
        "trace",
        "karabakh-2023",
        "--set",
        "protocol.max_rounds=300",
        "--rounds",
        "2..4",
        "--format",
        "json",
    ]));
    assert!(doc.get("rounds_shown").is_some());
    assert_matches("treaty-trace-2", "trace with rounds left out", &doc);
}

#[test]
fn analyses_match_their_schema() {
    for s in SCENARIOS {
        let doc = json(&treaty_ok(&[
            "analyse", s, "--format", "json", "--grid", "20",
        ]));
        assert_matches("treaty-analysis-1", &format!("analyse {s}"), &doc);
    }
}

#[test]
fn validation_reports_match_their_schema() {
    let bad = |f: &str| format!("tests/fixtures/bad/{f}");
    let out = treaty(&[
        "validate",
        "karabakh-2023",
        &bad("many-problems.ron"),
        &bad("syntax-missing-comma.ron"),
        &bad("empty-file.ron"),
        "no-such-scenario",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out.stdout);
    assert_eq!(doc["schema"], "treaty-validate/1", "{doc}");
    assert_matches("treaty-validate-1", "validate", &doc);
    let ok = json(&treaty_ok(&["validate", "bench-pie", "--format", "json"]));
    assert_matches("treaty-validate-1", "validate (valid)", &ok);
}

#[test]
fn backtests_match_their_schema() {
    let doc = json(&treaty_ok(&[
        "backtest",
        "tests/fixtures/backtest/tidy",
        "--runs",
        "30",
        "--format",
        "json",
    ]));
    assert_matches("treaty-backtest-1", "backtest", &doc);
}

#[test]
fn every_schema_is_checked_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/schemas")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "treaty-analysis-1.json",
            "treaty-backtest-1.json",
            "treaty-compare-1.json",
            "treaty-part-4.json",
            "treaty-report-2.json",
            "treaty-sweep-1.json",
            "treaty-trace-2.json",
            "treaty-validate-1.json",
        ]
    );
    for name in &names {
        schema(name.trim_end_matches(".json"));
    }
}
