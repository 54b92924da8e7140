//! `treaty backtest`: scores against recorded outcomes, the baselines' known answers, the
//! formats, determinism, and located errors.

use crate::common::{scratch_dir, treaty_fails, treaty_ok};
use std::path::Path;

/// A one-issue scenario: actors (id, capability, position, salience), all principals, under a
/// mediator-free alternating-offers protocol.
fn scenario(name: &str, status_quo: f64, actors: &[(&str, f64, f64, f64)]) -> String {
    let list: Vec<String> = actors
        .iter()
        .map(|(id, c, x, s)| {
            format!(
                "(id: \"{id}\", name: \"{id}\", role: Principal, capability: {c}, stances: {{\"I\": (position: {x}, salience: {s})}}),"
            )
        })
        .collect();
    format!(
        "(metadata: (name: \"{name}\", description: \"a test case\"),\n\
         issues: [(id: \"I\", name: \"the issue\", low: \"none\", high: \"all\", status_quo: {status_quo})],\n\
         actors: [\n{}\n],\n\
         protocol: AlternatingOffers(max_rounds: 10, proposer: PowerWeighted),\n\
         perception_noise: 0.05, interdependence: 0, disagreement: Reservation,\n)",
        list.join("\n")
    )
}

/// Two cases: in `even`, the outcome is exactly the compromise, 0.7 (weights 1 and 3 on 0.1
/// and 0.9: 0.1/4 + 2.7/4 = 0.7); in `sq`, the outcome is the status quo, 0.2.
fn write_cases(dir: &Path) -> (String, String, String) {
    let a = dir.join("even.ron");
    let b = dir.join("sq.ron");
    std::fs::write(
        &a,
        scenario("even", 0.5, &[("A", 1.0, 0.1, 1.0), ("B", 1.0, 0.9, 3.0)]),
    )
    .unwrap();
    std::fs::write(
        &b,
        scenario(
            "sq",
            0.2,
            &[
                ("A", 2.0, 0.0, 1.0),
                ("B", 1.0, 1.0, 1.0),
                ("C", 1.0, 0.6, 0.5),
            ],
        ),
    )
    .unwrap();
    let outcomes = dir.join("outcomes.csv");
    std::fs::write(
        &outcomes,
        "scenario,issue,outcome,status_quo_recorded,rule\neven,I,0.7,false,QMV\nsq,I,0.2,true,Unan\n",
    )
    .unwrap();
    (
        a.display().to_string(),
        b.display().to_string(),
        outcomes.display().to_string(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&treaty_ok(args)).expect("the report is JSON")
}

/// The forecast of `method` on `case` in a JSON report.
fn forecast<'a>(doc: &'a serde_json::Value, case: &str, method: &str) -> &'a serde_json::Value {
    let issue = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["case"] == case)
        .expect("the case is reported");
    issue["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["method"] == method)
        .expect("the method is reported")
}

#[test]
fn baselines_score_their_known_answers() {
    let dir = scratch_dir();
    let (a, b, outcomes) = write_cases(dir.path());
    let doc = json(&[
        "backtest",
        &a,
        &b,
        "--outcomes",
        &outcomes,
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    assert_eq!(doc["schema"], "treaty-backtest/1");
    assert_eq!(doc["cases"], 2);
    // The compromise is exactly the recorded outcome of `even`: zero error, zero CRPS.
    let c = forecast(&doc, "even", "compromise");
    assert!((c["point"].as_f64().unwrap() - 0.7).abs() < 1e-12, "{c}");
    assert!(c["error"].as_f64().unwrap() < 1e-12);
    assert!(c["crps"].as_f64().unwrap() < 1e-12);
    // Mean 0.5, weighted median 0.9 (B holds three quarters of the weight).
    let m = forecast(&doc, "even", "mean");
    assert!((m["point"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((m["error"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    let wm = forecast(&doc, "even", "weighted median");
    assert!((wm["point"].as_f64().unwrap() - 0.9).abs() < 1e-12);
    // No status quo was recorded for `even`: the status quo is not scored there.
    let even = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["case"] == "even")
        .unwrap();
    assert!(
        even["forecasts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.is_null())
    );
    // On `sq` the status quo is right.
    let sq = forecast(&doc, "sq", "status quo");
    assert!(sq["error"].as_f64().unwrap() < 1e-12);
    // The overall scores: the status quo scored on one issue, the others on two; groups by rule.
    let all = &doc["scores"][0];
    assert_eq!(all["issues"], 2);
    let by_method = |m: &str| {
        all["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["method"] == m)
            .unwrap()
            .clone()
    };
    assert_eq!(by_method("status quo")["n"], 1);
    assert_eq!(by_method("compromise")["n"], 2);
    // The compromise's mean error is the mean of its two errors.
    let sq_compromise = forecast(&doc, "sq", "compromise")["error"]
        .as_f64()
        .unwrap();
    assert!((by_method("compromise")["mae"].as_f64().unwrap() - sq_compromise / 2.0).abs() < 1e-12);
    let groups: Vec<&str> = doc["scores"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["value"].as_str())
        .collect();
    assert_eq!(groups, ["QMV", "Unan"]);
    // The protocol is scored with its share of agreements.
    let p = by_method("scenario");
    assert!(p["agreement"].as_f64().is_some());
}

#[test]
fn the_report_is_the_same_for_any_thread_count_and_in_every_format() {
    let dir = scratch_dir();
    let (a, b, outcomes) = write_cases(dir.path());
    for format in ["table", "json", "csv"] {
        let one = treaty_ok(&[
            "backtest",
            &a,
            &b,
            "--outcomes",
            &outcomes,
            "--runs",
            "40",
            "--threads",
            "1",
            "--format",
            format,
        ]);
        let two = treaty_ok(&[
            "backtest",
            &a,
            &b,
            "--outcomes",
            &outcomes,
            "--runs",
            "40",
            "--threads",
            "2",
            "--format",
            format,
        ]);
        assert_eq!(one, two, "{format}");
        assert!(!one.is_empty());
    }
    let table = String::from_utf8(treaty_ok(&[
        "backtest",
        &a,
        &b,
        "--outcomes",
        &outcomes,
        "--runs",
        "40",
    ]))
    .unwrap();
    assert!(table.contains("ALL ISSUES (2)"), "{table}");
    assert!(table.contains("compromise"), "{table}");
    // A different seed gives the protocol other runs; the baselines have no uncertain number.
    let csv = |seed: &str| {
        String::from_utf8(treaty_ok(&[
            "backtest",
            &a,
            &b,
            "--outcomes",
            &outcomes,
            "--runs",
            "40",
            "--seed",
            seed,
            "--format",
            "csv",
        ]))
        .unwrap()
    };
    let (s0, s1) = (csv("0"), csv("1"));
    let baseline_rows = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(",baseline,"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(baseline_rows(&s0), baseline_rows(&s1));
    assert_ne!(s0, s1);
}

#[test]
fn per_issue_rows_name_every_method_and_tag() {
    let dir = scratch_dir();
    let (a, b, outcomes) = write_cases(dir.path());
    let per = dir.path().join("per-issue.csv");
    treaty_ok(&[
        "backtest",
        &a,
        &b,
        "--outcomes",
        &outcomes,
        "--runs",
        "20",
        "--per-issue",
        per.to_str().unwrap(),
        "--out",
        dir.path().join("report.txt").to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&per).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("case,issue,outcome,status_quo,method,point"));
    assert!(header.ends_with(",rule"), "{header}");
    // Two issues × five methods, less the unrecorded status quo of `even`.
    assert_eq!(lines.count(), 9);
}

#[test]
fn bad_outcomes_are_located() {
    let dir = scratch_dir();
    let (a, b, outcomes) = write_cases(dir.path());
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "scenario,issue,outcome\neven,I,0.7\nsq,I,1.5\n").unwrap();
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("bad.csv:3:3: outcome: found \"1.5\"; allowed: a number in [0, 1]"),
        "{err}"
    );
    std::fs::write(&bad, "scenario,issue,outcome\neven,J,0.7\nsq,I,0.5\n").unwrap();
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("bad.csv:2: scenario even has no issue \"J\""),
        "{err}"
    );
    std::fs::write(&bad, "scenario,issue\neven,I\n").unwrap();
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", bad.to_str().unwrap()],
    );
    assert!(err.contains("bad.csv:1:1: no column \"outcome\""), "{err}");
    std::fs::write(&bad, "scenario,issue,outcome\neven,I,0.7\n").unwrap();
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("no outcome of scenario \"sq\" is recorded"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "scenario,issue,outcome\neven,I,0.7\nsq,I,0.2\nother,I,0.1\n",
    )
    .unwrap();
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("bad.csv:4: scenario \"other\" is not among"),
        "{err}"
    );
    std::fs::write(&bad, "scenario,issue,outcome\neven,I,0.7\neven,I,0.6\n").unwrap();
    let err = treaty_fails(2, &["backtest", &a, "--outcomes", bad.to_str().unwrap()]);
    assert!(err.contains("bad.csv:3:1:"), "{err}");
    assert!(err.contains("recorded twice"), "{err}");
    // Arguments.
    let err = treaty_fails(2, &["backtest", &a, &b]);
    assert!(err.contains("--outcomes"), "{err}");
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", &outcomes, "--by", "nope"],
    );
    assert!(
        err.contains("--by nope: no case has that column (columns: rule)"),
        "{err}"
    );
    let err = treaty_fails(
        2,
        &["backtest", &a, &b, "--outcomes", &outcomes, "--runs", "0"],
    );
    assert!(err.contains("--runs must be at least 1"), "{err}");
    let same = dir.path().join("x.csv");
    let same = same.to_str().unwrap();
    let err = treaty_fails(
        2,
        &[
            "backtest",
            &a,
            &b,
            "--outcomes",
            &outcomes,
            "--out",
            same,
            "--per-issue",
            same,
        ],
    );
    assert!(err.contains("name the same file"), "{err}");
}

/// Three invented decisions in tidy tables: `k1`'s outcome is its compromise (0.4), `k3`'s its
/// status quo (0.3); `k2` records no status quo.
const TIDY: &str = "tests/fixtures/backtest/tidy";

#[test]
fn a_tidy_folder_is_played_under_every_bundled_template() {
    let doc = json(&["backtest", TIDY, "--runs", "30", "--format", "json"]);
    let labels: Vec<&str> = doc["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "alternating-offers",
            "mediated",
            "expected-utility",
            "status quo",
            "compromise",
            "weighted median",
            "mean"
        ]
    );
    assert_eq!(doc["cases"], 3);
    assert!(
        forecast(&doc, "k1", "compromise")["error"]
            .as_f64()
            .unwrap()
            < 1e-12
    );
    assert!(
        forecast(&doc, "k3", "status quo")["error"]
            .as_f64()
            .unwrap()
            < 1e-12
    );
    // Scores by rule by default (the cases have a rule column), and by what --by names.
    let groups = |doc: &serde_json::Value| -> Vec<String> {
        doc["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| format!("{}={}", g["column"], g["value"]))
            .collect()
    };
    assert_eq!(
        groups(&doc),
        ["null=null", "\"rule\"=\"QMV\"", "\"rule\"=\"Unan\""]
    );
    let by = json(&[
        "backtest",
        TIDY,
        "--runs",
        "30",
        "--format",
        "json",
        "--template",
        "mediated",
        "--by",
        "procedure",
    ]);
    assert_eq!(
        groups(&by),
        [
            "null=null",
            "\"procedure\"=\"CNS\"",
            "\"procedure\"=\"COD\""
        ]
    );
    // One template gives the same forecasts alone as among others (its own runs).
    let mediated = |d: &serde_json::Value| forecast(d, "k2", "mediated").clone();
    assert_eq!(mediated(&doc), mediated(&by));
}

#[test]
fn proposals_can_be_played_whole_and_templates_changed() {
    let dir = scratch_dir();
    // A template file of one's own: the mediated template with more rounds.
    let text = String::from_utf8(treaty_ok(&["import", "--show-template", "mediated"])).unwrap();
    let own = text.replace("max_rounds: 20", "max_rounds: 30");
    assert_ne!(own, text, "the bundled template sets 20 rounds");
    let path = dir.path().join("long.ron");
    std::fs::write(&path, own).unwrap();
    let doc = json(&[
        "backtest",
        TIDY,
        "--runs",
        "20",
        "--format",
        "json",
        "--group",
        "proposal",
        "--template",
        path.to_str().unwrap(),
    ]);
    // Two proposals, three recorded issues.
    assert_eq!(doc["cases"], 2);
    assert_eq!(doc["issues"].as_array().unwrap().len(), 3);
    assert_eq!(doc["methods"][0]["label"], path.to_str().unwrap());
    // --set changes every case.
    let short = json(&[
        "backtest",
        TIDY,
        "--runs",
        "20",
        "--format",
        "json",
        "--template",
        "mediated",
        "--set",
        "protocol.max_rounds=1",
    ]);
    assert_eq!(short["methods"][0]["label"], "mediated");
}

#[test]
fn a_tidy_folder_refuses_what_is_for_scenario_files_and_reports_bad_tables() {
    let dir = scratch_dir();
    let o = dir.path().join("o.csv");
    std::fs::write(&o, "scenario,issue,outcome\nk1,k1,0.4\n").unwrap();
    let err = treaty_fails(2, &["backtest", TIDY, "--outcomes", o.to_str().unwrap()]);
    assert!(err.contains("--outcomes is for scenario files"), "{err}");
    let err = treaty_fails(2, &["backtest", TIDY, "--template", "nope"]);
    assert!(err.contains("nope"), "{err}");
    let err = treaty_fails(2, &["backtest", TIDY, "--scale", "10"]);
    assert!(err.contains("--scale 10: allowed 1 or 100"), "{err}");
    // A bad row of the tables is located as the importer locates it.
    let err = treaty_fails(
        2,
        &["backtest", "tests/fixtures/import/tidy-bad-not-a-number"],
    );
    assert!(err.contains("stances.csv:"), "{err}");
}
