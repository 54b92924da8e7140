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
    assert_eq!(report["schema"], "treaty-report/2");
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
    // The war section is there whether or not any run had a war.
    let w = &report["wars"];
    assert_eq!(w["runs_with_war"]["of"], 2000);
    assert!(w["wars"].as_u64().unwrap() >= w["runs_with_war"]["count"].as_u64().unwrap());
    assert_eq!(w["ended_talks"]["count"], outcomes[2]["count"]);
    assert!(report.get("conflicts").is_none(), "the old section is gone");
}

/// The flagship with a hardline Armenia: Azerbaijan's wars are frequent.
const WARLIKE: [&str; 3] = ["karabakh-2023", "--set", "actors.ARM.strategy=Hardliner"];

/// `treaty run` of [`WARLIKE`] with `extra` arguments.
fn warlike(extra: &[&str]) -> Vec<u8> {
    run_ok(&[&WARLIKE[..], &["--runs", "1000", "--seed", "2"], extra].concat())
}

#[test]
fn wars_are_reported_in_json_with_their_odds_ends_starters_winners_and_rounds() {
    let report = json(&warlike(&["--format", "json"]));
    let runs = 1000u64;
    let w = &report["wars"];
    let p = &w["runs_with_war"];
    let (count, share) = (
        p["count"].as_u64().unwrap(),
        p["probability"].as_f64().unwrap(),
    );
    assert!(count > 100, "wars are frequent: {count}");
    assert_eq!(p["of"], runs);
    assert_eq!(share, count as f64 / runs as f64);
    let (lo, hi) = (
        p["ci95"][0].as_f64().unwrap(),
        p["ci95"][1].as_f64().unwrap(),
    );
    assert!(lo < share && share < hi, "{p}");
    let wars = w["wars"].as_u64().unwrap();
    assert!(wars >= count);
    assert_eq!(
        w["mean_per_run"].as_f64().unwrap(),
        wars as f64 / runs as f64
    );
    // Every conflict ended in a war; the other wars were limited.
    let conflicts = report["outcomes"][2]["count"].as_u64().unwrap();
    assert_eq!(w["ended_talks"]["count"], conflicts);
    assert_eq!(w["limited"]["count"], wars - conflicts);
    assert_eq!(w["ended_talks"]["of"], wars);
    assert_eq!(w["initiator_won"]["of"], wars);
    // The first war: its rounds, quantiles in order, with the dates those rounds start.
    let first = &w["first_war"];
    assert_eq!(first["runs"], count);
    let q: Vec<u64> = ["p5", "p25", "p50", "p75", "p95"]
        .iter()
        .map(|k| first["quantiles"][k].as_u64().unwrap())
        .collect();
    assert!(
        q.windows(2).all(|x| x[0] <= x[1]) && q[0] >= 1 && q[4] <= 30,
        "{q:?}"
    );
    assert!(first["mean"].as_f64().unwrap() >= q[0] as f64);
    assert!(
        first["quantile_dates"]["p5"]
            .as_str()
            .unwrap()
            .starts_with("20")
    );
    // Azerbaijan, the only initiator, starts every war; every war has a winner.
    let actors = report["actors"].as_array().unwrap();
    let aze = actors.iter().find(|a| a["id"] == "AZE").unwrap();
    assert_eq!(aze["wars_started"], wars);
    assert_eq!(aze["initiated"]["count"], count);
    assert_eq!(aze["won"]["of"], wars, "it fights every war it starts");
    let arm = actors.iter().find(|a| a["id"] == "ARM").unwrap();
    assert_eq!(arm["initiated"]["count"], 0);
    let won = aze["won"]["count"].as_u64().unwrap() + arm["won"]["count"].as_u64().unwrap();
    assert_eq!(won, wars, "one of the two leaders wins each war");
    assert_eq!(aze["won"]["count"], w["initiator_won"]["count"]);
    // Settlements with and without war: they split the runs, and the means the mean.
    for issue in report["issues"].as_array().unwrap() {
        let (with, without) = (&issue["with_war"], &issue["without_war"]);
        assert_eq!(with["runs"], count);
        assert_eq!(without["runs"], runs - count);
        let m = |v: &Value| v["mean"].as_f64().unwrap();
        let joint = (m(with) * count as f64 + m(without) * (runs - count) as f64) / runs as f64;
        assert!((joint - m(issue)).abs() < 1e-9, "{}", issue["id"]);
        assert!(with["sd"].as_f64().unwrap() >= 0.0);
        assert!(with["quantiles"]["p50"].is_number());
    }
    // Force decides I1: war moves Karabakh's status toward Baku.
    let i1 = &report["issues"][0];
    assert!(i1["with_war"]["mean"].as_f64().unwrap() > i1["without_war"]["mean"].as_f64().unwrap());
}

#[test]
fn wars_are_reported_in_the_table_and_the_csv() {
    let report = json(&warlike(&["--format", "json"]));
    let table = String::from_utf8(warlike(&[])).unwrap();
    for line in table.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    let w = &report["wars"];
    let pct = |v: &Value| format!("{:.1}%", 100.0 * v.as_f64().unwrap());
    let count = w["runs_with_war"]["count"].as_u64().unwrap();
    assert!(table.contains(&format!(
        "\nWARS ({count} runs with a war; 1 round = 1 month)\n"
    )));
    let line = format!(
        "  P(war) {} (95% interval {} – {})",
        pct(&w["runs_with_war"]["probability"]),
        pct(&w["runs_with_war"]["ci95"][0]),
        pct(&w["runs_with_war"]["ci95"][1])
    );
    assert!(table.contains(&line), "{line} not in\n{table}");
    assert!(table.contains(&format!(
        "  {} ended the talks ({})",
        w["ended_talks"]["count"],
        pct(&w["ended_talks"]["probability"])
    )));
    assert!(table.contains("started by: AZE "), "{table}");
    assert!(table.contains("  first war:"));
    let i1 = &report["issues"][0];
    let with = format!(
        "  with war    {:>6} runs  mean {:.2} (sd {:.2})",
        i1["with_war"]["runs"].as_u64().unwrap(),
        i1["with_war"]["mean"].as_f64().unwrap(),
        i1["with_war"]["sd"].as_f64().unwrap()
    );
    assert!(table.contains(&with), "{with} not in\n{table}");
    assert!(table.contains("  without war "));
    // CSV: the same numbers, one per row.
    let csv = String::from_utf8(warlike(&["--format", "csv"])).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |section: &str, subject: &str, statistic: &str| -> String {
        rows.iter()
            .find(|r| &r[0] == section && &r[1] == subject && &r[3] == statistic)
            .unwrap_or_else(|| panic!("no row {section},{subject},{statistic}"))[4]
            .to_string()
    };
    let number = |v: &Value| v.as_f64().unwrap().to_string();
    assert_eq!(
        cell("wars", "", "probability"),
        number(&w["runs_with_war"]["probability"])
    );
    assert_eq!(cell("wars", "", "probability_count"), count.to_string());
    assert_eq!(cell("wars", "", "wars"), w["wars"].to_string());
    assert_eq!(cell("wars", "", "mean_per_run"), number(&w["mean_per_run"]));
    assert_eq!(
        cell("wars", "", "ended_talks_count"),
        w["ended_talks"]["count"].to_string()
    );
    assert_eq!(
        cell("wars", "", "limited_count"),
        w["limited"]["count"].to_string()
    );
    assert_eq!(cell("first_war", "", "runs"), count.to_string());
    assert_eq!(
        cell("first_war", "", "p50"),
        w["first_war"]["quantiles"]["p50"].to_string()
    );
    assert_eq!(
        cell("first_war", "", "p50_date"),
        w["first_war"]["quantile_dates"]["p50"].as_str().unwrap()
    );
    assert_eq!(
        cell("issue", "I1", "with_war_mean"),
        number(&i1["with_war"]["mean"])
    );
    assert_eq!(
        cell("issue", "I1", "without_war_sd"),
        number(&i1["without_war"]["sd"])
    );
    assert_eq!(
        cell("issue", "I1", "p50_with_war"),
        number(&i1["with_war"]["quantiles"]["p50"])
    );
    assert_eq!(cell("actor", "AZE", "wars_started"), w["wars"].to_string());
    assert_eq!(cell("actor", "AZE", "wars_fought"), w["wars"].to_string());
    assert!(
        !rows.iter().any(|r| &r[0] == "conflicts"),
        "the old section is gone"
    );
}

#[test]
fn shards_with_wars_merge_into_the_single_report() {
    let dir = tempfile::tempdir().unwrap();
    let batch = |extra: &[&str]| run_ok(&[&WARLIKE[..], &["--runs", "2000"], extra].concat());
    let part = |i: &str| {
        let path = dir.path().join(format!("part-{}.json", &i[..1]));
        batch(&["--shard", i, "--out", path.to_str().unwrap()]);
        path
    };
    let (a, b) = (part("1/2"), part("2/2"));
    let merged = treaty_ok(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(merged, batch(&["--format", "json"]));
    assert!(json(&merged)["wars"]["wars"].as_u64().unwrap() > 0);
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
    assert_eq!(part["schema"], "treaty-part/4");
    assert_eq!(part["shard"]["index"], 2);
    assert_eq!(part["blocks"], serde_json::json!([1, 2]));
    assert_eq!(part["provenance"]["runs"], 3000);
    assert_eq!(part["tally"]["runs"], 1000);
    // The part carries the wars.
    for field in ["war_runs", "wars", "initiator_won", "first_war_rounds"] {
        assert!(part["tally"].get(field).is_some(), "{field}");
    }
    assert!(part["tally"]["actors"][0].get("initiated_runs").is_some());
    assert!(part["tally"]["issues"][0].get("with_war").is_some());
}

#[test]
fn per_run_records_name_each_runs_wars() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("runs.csv");
    run_ok(
        &[
            &WARLIKE[..],
            &[
                "--runs",
                "60",
                "--seed",
                "2",
                "--per-run",
                rows.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    let text = std::fs::read_to_string(&rows).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // The war columns follow the utilities; the inputs and events come after them.
    let wars_at = header.iter().position(|h| h == "wars").unwrap();
    assert!(header[wars_at - 1].starts_with("utility."), "{header:?}");
    assert!(
        header[wars_at..].starts_with(&[
            "wars".to_string(),
            "first_war_round".into(),
            "first_war_initiator".into(),
            "first_war_target".into(),
            "first_war_initiator_won".into(),
            "last_war_ended_talks".into(),
        ]),
        "{header:?}"
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut seen = 0;
    for (k, row) in records.iter().enumerate() {
        let wars: usize = row[col("wars")].parse().unwrap();
        if wars == 0 {
            assert_eq!(&row[col("first_war_round")], "", "run {k}");
            assert_eq!(&row[col("last_war_ended_talks")], "", "run {k}");
            assert_ne!(&row[col("outcome")], "Conflict", "run {k}");
            continue;
        }
        assert_eq!(
            &row[col("last_war_ended_talks")],
            if &row[col("outcome")] == "Conflict" {
                "true"
            } else {
                "false"
            }
        );
        // The trace of the run tells the same wars (the first three runs with one).
        if seen < 3 {
            seen += 1;
            let k_arg = k.to_string();
            let trace = json(&treaty_ok(
                &[
                    &["trace"][..],
                    &WARLIKE[..],
                    &["--seed", "2", "--run", &k_arg, "--format", "json"],
                ]
                .concat(),
            ));
            let told = trace["outcome"]["wars"].as_array().unwrap();
            assert_eq!(told.len(), wars, "run {k}");
            let first = &told[0];
            assert_eq!(
                row[col("first_war_round")],
                first["round"].to_string(),
                "run {k}"
            );
            assert_eq!(
                &row[col("first_war_initiator")],
                first["initiator"].as_str().unwrap()
            );
            assert_eq!(
                &row[col("first_war_target")],
                first["target"].as_str().unwrap()
            );
            assert_eq!(
                row[col("first_war_initiator_won")],
                first["initiator_won"].to_string()
            );
            assert_eq!(
                row[col("last_war_ended_talks")],
                told[wars - 1]["ended_talks"].to_string()
            );
        }
    }
    assert!(seen > 0, "some of the 60 runs had a war");
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

#[test]
fn per_run_records_hold_each_runs_sampled_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("uncertain.ron");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/good/pie-split.ron"
    ))
    .unwrap()
    .replacen(
        "role: Principal, capability: 1,",
        "role: Principal, capability: Uniform(0.2, 0.6),",
        1,
    );
    std::fs::write(&scenario, text).unwrap();
    let rows = dir.path().join("runs.csv");
    let seed = "5";
    run_ok(&[
        scenario.to_str().unwrap(),
        "--runs",
        "30",
        "--seed",
        seed,
        "--per-run",
        rows.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&rows).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // The new columns come after the war columns; pie-split has no events.
    let inputs: Vec<&String> = header.iter().filter(|h| h.starts_with("input.")).collect();
    assert_eq!(inputs, ["input.actors.A.capability"], "{header:?}");
    assert_eq!(header.last().unwrap(), "input.actors.A.capability");
    let col = header.len() - 1;
    let drawn: Vec<f64> = reader
        .records()
        .map(|r| r.unwrap()[col].parse().unwrap())
        .collect();
    assert_eq!(drawn.len(), 30);
    assert!(drawn.iter().all(|x| (0.2..=0.6).contains(x)), "{drawn:?}");
    assert!(drawn.iter().any(|x| *x != drawn[0]), "{drawn:?}");
    // Each is the capability the run was played with, as its trace tells it.
    for k in [0usize, 11, 29] {
        let k_arg = k.to_string();
        let trace = json(&treaty_ok(&[
            "trace",
            scenario.to_str().unwrap(),
            "--seed",
            seed,
            "--run",
            &k_arg,
            "--format",
            "json",
        ]));
        let a = trace["actors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["actor"] == "A")
            .unwrap();
        assert_eq!(drawn[k], a["capability"].as_f64().unwrap(), "run {k}");
    }
}

#[test]
fn flagship_per_run_records_name_its_inputs_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("runs.csv");
    run_ok(&[
        "karabakh-2023",
        "--runs",
        "40",
        "--seed",
        "3",
        "--per-run",
        rows.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&rows).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let capability = col("input.actors.RUS.capability").expect("RUS's capability column");
    let first_event = col("event.0").expect("the first event's column");
    assert!(col("last_war_ended_talks").unwrap() < capability && capability < first_event);
    let events = header.len() - first_event;
    assert!(events >= 2, "{header:?}");
    for (i, name) in header[first_event..].iter().enumerate() {
        assert_eq!(*name, format!("event.{i}"));
    }
    // An event cell is empty or the round it first fired in, which the run reached.
    let mut fired = 0;
    for row in reader.records().map(Result::unwrap) {
        let round: u32 = row[col("round").unwrap()].parse().unwrap();
        for cell in row.iter().skip(first_event) {
            if !cell.is_empty() {
                let r: u32 = cell.parse().unwrap();
                assert!(r <= round, "{row:?}");
                fired += 1;
            }
        }
    }
    assert!(fired > 0, "no event fired in 40 runs");
}

/// The cells of column `name` of a per-run CSV file.
fn column(path: &Path, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the per-run file");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let k = header.iter().position(|h| *h == name).expect(name);
    lines
        .map(|l| l.split(',').nth(k).unwrap_or("").to_string())
        .collect()
}

#[test]
fn per_run_records_judge_each_settlement_against_the_central_analysis() {
    let dir = crate::common::scratch_dir();
    let logroll = "tests/fixtures/good/logroll.ron";
    // One round: the Kalai–Smorodinsky text is accepted in every run, and it is also the Nash
    // point and on the frontier: every distance is 0.
    let agreed = dir.path().join("agreed.csv");
    let agreed_s = agreed.to_str().unwrap();
    let args = ["--runs", "50", "--set", "protocol.max_rounds=1"];
    run_ok(&[&[logroll][..], &args, &["--per-run", agreed_s]].concat());
    assert_eq!(column(&agreed, "outcome"), vec!["Agreement"; 50]);
    for name in [
        "distance.frontier",
        "distance.nash",
        "distance.kalai_smorodinsky",
    ] {
        assert_eq!(column(&agreed, name), vec!["0"; 50], "{name}");
    }
    // A hardliner deadlocks every run at the status quo, the disagreement point: √0.4 from the
    // frontier and 2/3 from the Nash and Kalai–Smorodinsky points (the theory test's hand
    // computation).
    let stuck = dir.path().join("stuck.csv");
    let stuck_s = stuck.to_str().unwrap();
    let args = ["--runs", "50", "--set", "actors.A.strategy=Hardliner"];
    run_ok(&[&[logroll][..], &args, &["--per-run", stuck_s]].concat());
    assert_eq!(column(&stuck, "outcome"), vec!["Deadlock"; 50]);
    let read = |name: &str| -> Vec<f64> {
        column(&stuck, name)
            .iter()
            .map(|c| c.parse().expect(name))
            .collect()
    };
    for d in read("distance.frontier") {
        assert!((d - 0.4f64.sqrt()).abs() < 1e-12, "{d}");
    }
    for name in ["distance.nash", "distance.kalai_smorodinsky"] {
        for d in read(name) {
            assert!((d - 2.0 / 3.0).abs() < 1e-12, "{name}: {d}");
        }
    }
    // Reservation utilities of 0.9 as the disagreement point: no settlement is mutually
    // acceptable, so there is nothing to judge against and the cells are empty.
    let none = dir.path().join("none.csv");
    let none_s = none.to_str().unwrap();
    let args = [
        "--runs",
        "5",
        "--set",
        "actors.A.reservation=0.9",
        "--set",
        "actors.B.reservation=0.9",
        "--set",
        "disagreement=Reservation",
    ];
    run_ok(&[&[logroll][..], &args, &["--per-run", none_s]].concat());
    assert_eq!(column(&none, "distance.frontier"), vec![""; 5]);
    assert_eq!(column(&none, "distance.nash"), vec![""; 5]);
}

#[test]
fn reports_summarise_the_judgements_and_shards_merge_to_the_same_bytes() {
    let logroll = "tests/fixtures/good/logroll.ron";
    // Every run deadlocks at the disagreement point: every frontier distance is √0.4, in bin
    // 632 (its quantiles are 0.632), and the Nash distances are 2/3.
    let args = [
        logroll,
        "--runs",
        "300",
        "--set",
        "actors.A.strategy=Hardliner",
        "--format",
        "json",
    ];
    let report = json(&run_ok(&args));
    let j = &report["judgement"];
    assert_eq!(j["reference"], "central values");
    assert_eq!(j["preferences_uncertain"], false);
    assert_eq!(j["runs"], 300);
    let f = &j["frontier"];
    assert!(
        (f["mean"].as_f64().unwrap() - 0.4f64.sqrt()).abs() < 1e-9,
        "{f}"
    );
    assert_eq!(f["sd"], 0.0);
    assert_eq!(f["quantiles"]["p5"], 0.632);
    assert_eq!(f["quantiles"]["p95"], 0.632);
    assert_eq!(f["mean_by_outcome"]["agreement"], Value::Null);
    assert!((f["mean_by_outcome"]["deadlock"].as_f64().unwrap() - 0.4f64.sqrt()).abs() < 1e-9);
    let nash = j["nash"]["mean"].as_f64().unwrap();
    assert!((nash - 2.0 / 3.0).abs() < 1e-9, "{nash}");
    // Nothing to judge against: no run judged, every statistic null.
    let args = [
        logroll,
        "--runs",
        "30",
        "--set",
        "actors.A.reservation=0.9",
        "--set",
        "actors.B.reservation=0.9",
        "--set",
        "disagreement=Reservation",
        "--format",
        "json",
    ];
    let report = json(&run_ok(&args));
    assert_eq!(report["judgement"]["runs"], 0);
    assert_eq!(report["judgement"]["frontier"]["mean"], Value::Null);
    // Shards of a batch with uncertain preferences merge into the single machine's report.
    let dir = crate::common::scratch_dir();
    let base = ["karabakh-2023", "--runs", "2500", "--seed", "4"];
    let mut parts = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let path = dir.path().join(format!("part{}.json", &shard[..1]));
        let p = path.to_str().unwrap().to_string();
        run_ok(&[&base[..], &["--shard", shard, "--out", &p]].concat());
        parts.push(p);
    }
    for format in ["json", "csv", "table"] {
        let single = run_ok(&[&base[..], &["--format", format, "--threads", "1"]].concat());
        let mut args = vec!["merge", "--format", format];
        args.extend(parts.iter().rev().map(String::as_str));
        let merged = treaty_ok(&args);
        assert_eq!(merged, single, "{format}");
    }
    let report = json(&run_ok(&[&base[..], &["--format", "json"]].concat()));
    assert_eq!(report["judgement"]["preferences_uncertain"], true);
    assert_eq!(report["judgement"]["runs"], 2500);
}
