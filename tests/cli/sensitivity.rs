//! `treaty sensitivity`: a known answer, determinism, formats and errors.

use crate::common::{scratch_dir, treaty_fails, treaty_ok};

/// Rubinstein's pie with A's discount factor and the status quo uncertain: A's share is
/// (1 − δ_B)/(1 − δ_A δ_B), rising in δ_A, and the status quo plays no part (agreement in round
/// 1 with a long horizon).
const ARGS: &[&str] = &[
    "sensitivity",
    "rubinstein-pie",
    "--set",
    "protocol.discount.A=Uniform(0.9, 0.99)",
    "--set",
    "issues.share.status_quo=Uniform(0.2, 0.8)",
    "--runs",
    "1000",
];

fn json(extra: &[&str]) -> serde_json::Value {
    let args: Vec<&str> = ARGS.iter().chain(extra).copied().collect();
    serde_json::from_slice(&treaty_ok(&args)).unwrap()
}

fn outcome<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap()
}

#[test]
fn an_outcome_that_depends_on_one_input_is_attributed_to_it_alone() {
    let doc = json(&["--format", "json"]);
    assert_eq!(doc["schema"], "treaty-sensitivity/1");
    let names: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["issues.share.status_quo", "protocol.discount.A"]);
    let share = outcome(&doc, "settlement share");
    assert!(share["r2"].as_f64().unwrap() > 0.99, "{share}");
    let top = &share["effects"][0];
    assert_eq!(top["input"], "protocol.discount.A");
    assert!(top["srrc"].as_f64().unwrap() > 0.99, "{top}");
    let sq = &share["effects"][1];
    assert_eq!(sq["input"], "issues.share.status_quo");
    assert!(sq["srrc"].as_f64().unwrap().abs() < 0.01, "{sq}");
    // B's utility falls as A grows more patient.
    let b = outcome(&doc, "utility B");
    assert!(b["effects"][0]["srrc"].as_f64().unwrap() < -0.99);
    // Every run agrees: nothing to attribute.
    let agreement = outcome(&doc, "P(agreement)");
    assert!(agreement["r2"].is_null());
    assert_eq!(agreement["effects"].as_array().unwrap().len(), 0);
}

#[test]
fn the_same_result_on_any_thread_count_and_in_every_format() {
    for format in ["table", "json", "csv"] {
        assert_eq!(
            json_bytes(&["--format", format, "--threads", "1"]),
            json_bytes(&["--format", format, "--threads", "2"]),
            "{format}"
        );
    }
    let table = String::from_utf8(json_bytes(&[])).unwrap();
    assert!(table.contains("protocol.discount.A   +1.000"), "{table}");
    let dir = scratch_dir();
    let page = dir.path().join("s.html");
    json_bytes(&["--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("id=\"tornado-2\""),
        "the settlement's tornado chart"
    );
    assert!(!html.contains("<script"));
}

fn json_bytes(extra: &[&str]) -> Vec<u8> {
    let args: Vec<&str> = ARGS.iter().chain(extra).copied().collect();
    treaty_ok(&args)
}

#[test]
fn nothing_uncertain_or_too_few_runs_is_refused() {
    let err = treaty_fails(2, &["sensitivity", "rubinstein-pie"]);
    assert!(err.contains("no uncertain number"), "{err}");
    let err = treaty_fails(
        2,
        &[
            "sensitivity",
            "rubinstein-pie",
            "--set",
            "protocol.discount.A=Uniform(0.9, 0.99)",
            "--runs",
            "10",
        ],
    );
    assert!(
        err.contains("10 runs are too few for 1 uncertain inputs: give at least 100"),
        "{err}"
    );
}
