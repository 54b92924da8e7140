//! `treaty run` end to end: reports, provenance, per-run files, atomic outputs, bad arguments.

use serde_json::Value;
use std::path::Path;

use crate::common::{treaty, treaty_ok};

/// Runs `treaty run ARGS`, expecting success; returns stdout.
fn run_ok(args: &[&str]) -> Vec<u8> {
    treaty_ok(&[&["run"], args].concat())
}

/// Runs `treaty run ARGS`, expecting exit code 2; returns stderr.
fn run_bad(args: &[&str]) -> String {
    let out = treaty(&[&["run"], args].concat());
    assert_eq!(out.status.code(), Some(2), "treaty run {args:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("a JSON report")
}

#[test]
fn json_reports_are_byte_identical_for_1_2_and_7_threads() {
    let base = [
        "karabakh-2023",
        "--runs",
        "2500",
        "--seed",
        "11",
        "--format",
        "json",
    ];
    let one = run_ok(&[&base[..], &["--threads", "1"]].concat());
    let two = run_ok(&[&base[..], &["--threads", "2"]].concat());
    let seven = run_ok(&[&base[..], &["--threads", "7"]].concat());
    assert_eq!(one, two);
    assert_eq!(one, seven);
}

#[test]
fn the_flagship_report_is_sane_and_states_its_provenance() {
    let report = json(&run_ok(&[
        "karabakh-2023",
        "--runs",
        "2000",
        "--format",
        "json",
    ]));
    assert_eq!(report["schema"], "treaty-report/1");
    let p = &report["provenance"];
    assert_eq!(p["engine"], "treaty");
    assert_eq!(p["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["seed"], 0);
    assert_eq!(p["runs"], 2000);
    assert_eq!(p["block_size"], 1000);
    let hash = p["scenario_hash"].as_str().unwrap();
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );

    let outcomes = report["outcomes"].as_array().unwrap();
    let kinds: Vec<&str> = outcomes
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Agreement", "Deadlock", "Conflict"]);
    let total: f64 = outcomes
        .iter()
        .map(|o| o["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "probabilities sum to {total}");
    let counts: u64 = outcomes.iter().map(|o| o["count"].as_u64().unwrap()).sum();
    assert_eq!(counts, 2000);
    for o in outcomes {
        let ci = o["ci95"].as_array().unwrap();
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        let p = o["probability"].as_f64().unwrap();
        assert!(0.0 <= lo && lo <= p && p <= hi && hi <= 1.0, "{o}");
    }

    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 8);
    let unit = |v: &Value| {
        let x = v.as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{x} outside [0, 1]");
        x
    };
    for issue in issues {
        unit(&issue["status_quo"]);
        unit(&issue["mean"]);
        let q = &issue["quantiles"];
        let qs: Vec<f64> = ["p5", "p25", "p50", "p75", "p95"]
            .iter()
            .map(|k| unit(&q[k]))
            .collect();
        assert!(qs.windows(2).all(|w| w[0] <= w[1]), "{qs:?}");
        assert_eq!(issue["ideals"].as_array().unwrap().len(), 6);
        let options = issue["options"].as_array().unwrap();
        if !options.is_empty() {
            let sum: f64 = options
                .iter()
                .map(|o| o["probability"].as_f64().unwrap())
                .sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "options of {} sum to {sum}",
                issue["id"]
            );
            assert!(issue["median_option"].is_string());
        }
    }
    let actors = report["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 6);
    for a in actors {
        assert!(a["utility"].as_f64().unwrap().is_finite());
        let met = a["reservation_met"]["probability"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&met));
    }
}

#[test]
fn every_format_reads_well() {
    // Table: at most 100 columns, options and dates named.
    let table = String::from_utf8(run_ok(&["karabakh-2023", "--runs", "1000"])).unwrap();
    for line in table.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    assert!(table.contains("OUTCOMES") && table.contains("Agreement"));
    assert!(
        table.contains("extraterritorial corridor"),
        "options are named"
    );
    assert!(table.contains("Jul 2023"), "dates are named");
    assert!(table.contains("seed 0") && table.contains("sha256:"));
    // CSV: flat rows of seven columns.
    let csv = String::from_utf8(run_ok(&[
        "karabakh-2023",
        "--runs",
        "1000",
        "--format",
        "csv",
    ]))
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "section",
            "subject",
            "item",
            "statistic",
            "value",
            "ci_low",
            "ci_high"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| r.len() == 7));
    let seed = rows
        .iter()
        .find(|r| &r[0] == "provenance" && &r[3] == "seed")
        .unwrap();
    assert_eq!(&seed[4], "0");
    let p: f64 = rows
        .iter()
        .filter(|r| &r[0] == "outcome" && &r[3] == "probability")
        .map(|r| r[4].parse::<f64>().unwrap())
        .sum();
    assert!((p - 1.0).abs() < 1e-9);
}

#[test]
fn every_bundled_scenario_runs_into_a_narrow_table() {
    for name in [
        "rubinstein-pie",
        "baron-ferejohn",
        "expected-utility-toy",
        "mediated-water",
    ] {
        let table = String::from_utf8(run_ok(&[name, "--runs", "200"])).unwrap();
        for line in table.lines() {
            assert!(line.chars().count() <= 100, "{name}: too wide: {line}");
        }
    }
}

fn no_temporary_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "left behind: {name}");
    }
}

#[test]
fn out_and_per_run_files_are_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let rows = dir.path().join("runs.csv");
    let stdout = run_ok(&[
        "karabakh-2023",
        "--runs",
        "1500",
        "--format",
        "json",
        "--out",
        report.to_str().unwrap(),
        "--per-run",
        rows.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty(), "nothing on stdout but the report");
    let from_file = std::fs::read(&report).unwrap();
    assert_eq!(
        from_file,
        run_ok(&["karabakh-2023", "--runs", "1500", "--format", "json"])
    );
    let text = std::fs::read_to_string(&rows).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("run,outcome,round,settlement.I1,"),
        "{header}"
    );
    assert!(header.contains(",utility.ARM,"), "{header}");
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), 1500);
    for (k, line) in body.iter().enumerate() {
        assert!(line.starts_with(&format!("{k},")), "{line}");
    }
    no_temporary_files(dir.path());
}

#[test]
fn a_failed_run_leaves_no_file_and_keeps_an_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, "previous").unwrap();
    let err = run_bad(&["no-such-scenario", "--out", report.to_str().unwrap()]);
    assert!(err.contains("no-such-scenario"), "{err}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "previous");
    no_temporary_files(dir.path());
    let err = run_bad(&[
        "karabakh-2023",
        "--runs",
        "10",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn precision_reports_how_many_runs_it_took() {
    // A small scenario whose runs differ (the flagship's precision runs are checked through the
    // library in tests/library/determinism.rs).
    let report = json(&run_ok(&[
        "mediated-water",
        "--set",
        "issues.water.status_quo=Uniform(0.5, 0.9)",
        "--precision",
        "0.01",
        "--format",
        "json",
    ]));
    let runs = report["provenance"]["runs"].as_u64().unwrap();
    assert_eq!(runs % 1000, 0);
    assert_eq!(report["provenance"]["precision"], 0.01);
    let p = &report["precision"];
    assert_eq!(p["reached"], true);
    assert!(p["half_width"].as_f64().unwrap() < 0.01);
    assert_eq!(p["cap"], 10_000_000);
    let table = String::from_utf8(run_ok(&[
        "mediated-water",
        "--set",
        "issues.water.status_quo=Uniform(0.5, 0.9)",
        "--precision",
        "0.01",
    ]))
    .unwrap();
    // The same batch, told in the table with thousands separated.
    let digits = runs.to_string();
    let mut spoken = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            spoken.push(',');
        }
        spoken.push(c);
    }
    let line = format!("within ±0.01 (95%) after {spoken} runs");
    assert!(table.contains(&line), "{line} not in\n{table}");
}

#[test]
fn a_shard_writes_a_part_file() {
    let part = json(&run_ok(&[
        "karabakh-2023",
        "--runs",
        "3000",
        "--shard",
        "2/3",
    ]));
    assert_eq!(part["schema"], "treaty-part/1");
    assert_eq!(part["shard"]["index"], 2);
    assert_eq!(part["blocks"], serde_json::json!([1, 2]));
    assert_eq!(part["provenance"]["runs"], 3000);
    assert_eq!(part["tally"]["runs"], 1000);
}

#[test]
fn bad_arguments_exit_2_with_a_reason() {
    assert!(run_bad(&["karabakh-2023", "--runs", "0"]).contains("--runs"));
    assert!(run_bad(&["karabakh-2023", "--threads", "0"]).contains("--threads"));
    assert!(run_bad(&["karabakh-2023", "--precision", "1.5"]).contains("--precision"));
    assert!(run_bad(&["karabakh-2023", "--precision", "NaN"]).contains("--precision"));
    assert!(run_bad(&["karabakh-2023", "--shard", "3/2"]).contains("3/2"));
    assert!(run_bad(&["karabakh-2023", "--shard", "x"]).contains("I/N"));
    let err = run_bad(&["karabakh-2023", "--shard", "1/2", "--precision", "0.01"]);
    assert!(err.contains("--shard"), "{err}");
    let err = run_bad(&["karabakh-2023", "--shard", "1/2", "--format", "table"]);
    assert!(err.contains("treaty merge"), "{err}");
    let err = run_bad(&["karabakh-2023", "--out", "x.csv", "--per-run", "x.csv"]);
    assert!(err.contains("same file"), "{err}");
    let err = run_bad(&["no-such-scenario"]);
    assert!(err.contains("no-such-scenario"), "{err}");
}

#[test]
fn trace_tells_run_k_of_the_per_run_file() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("runs.csv");
    let seed = "3";
    run_ok(&[
        "karabakh-2023",
        "--runs",
        "40",
        "--seed",
        seed,
        "--per-run",
        rows.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&rows).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for k in [0usize, 7, 39] {
        let k_arg = k.to_string();
        let stdout = treaty_ok(&[
            "trace",
            "karabakh-2023",
            "--seed",
            seed,
            "--run",
            &k_arg,
            "--format",
            "json",
        ]);
        let trace = json(&stdout);
        let outcome = &trace["outcome"];
        let row = &records[k];
        let field = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(field("run"), k.to_string());
        assert_eq!(
            field("outcome"),
            outcome["kind"].as_str().unwrap(),
            "run {k}"
        );
        assert_eq!(field("round"), outcome["round"].to_string(), "run {k}");
        for s in outcome["settlement"].as_array().unwrap() {
            let column = format!("settlement.{}", s["issue"].as_str().unwrap());
            let x: f64 = field(&column).parse().unwrap();
            assert_eq!(x, s["value"].as_f64().unwrap(), "run {k}, {column}");
        }
        for a in outcome["actors"].as_array().unwrap() {
            let column = format!("utility.{}", a["actor"].as_str().unwrap());
            let u: f64 = field(&column).parse().unwrap();
            assert_eq!(u, a["utility"].as_f64().unwrap(), "run {k}, {column}");
        }
    }
}
