//! `treaty compare` end to end: exact zeros against itself, paired intervals narrower than
//! unpaired ones, numbers equal to `treaty run`'s, byte-identical output for any thread count,
//! provenance, and bad variants.

use serde_json::Value;

use crate::common::{treaty, treaty_ok};

/// Runs `treaty compare ARGS`, expecting exit code 2; returns stderr.
fn compare_bad(args: &[&str]) -> String {
    let out = treaty(&[&["compare"], args].concat());
    assert_eq!(
        out.status.code(),
        Some(2),
        "treaty compare {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn compare_json(args: &[&str]) -> Value {
    let out = treaty_ok(&[&["compare"], args, &["--format", "json"]].concat());
    serde_json::from_slice(&out).expect("a JSON comparison")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The row of `metric` in variant `v` of a comparison.
fn row<'a>(cmp: &'a Value, v: usize, metric: &str) -> &'a Value {
    cmp["variants"][v]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == metric)
        .unwrap_or_else(|| panic!("no metric {metric}"))
}

/// Every metric of every variant differs by exactly 0 with a zero-width interval.
fn assert_exactly_zero(cmp: &Value) {
    for v in cmp["variants"].as_array().unwrap() {
        let metrics = v["metrics"].as_array().unwrap();
        assert_eq!(
            metrics.len(),
            5 + 8 + 6,
            "3 outcomes, war, round, 8 issues, 6 actors"
        );
        for r in metrics {
            assert_eq!(r["difference"], 0.0, "{r}");
            assert_eq!(r["interval"], serde_json::json!([0.0, 0.0]), "{r}");
            assert_eq!(r["difference_sd"], 0.0, "{r}");
            assert_eq!(r["significant"], false, "{r}");
            assert_eq!(r["base"], r["variant"], "{r}");
        }
        assert_eq!(v["changed_most"], Value::Null);
        assert!(
            v["summary"]
                .as_str()
                .unwrap()
                .contains("no metric changed significantly")
        );
    }
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let cmp = compare_json(&["karabakh-2023", "karabakh-2023", "--runs", "400"]);
    assert_eq!(cmp["schema"], "treaty-compare/1");
    assert_eq!(cmp["variants"][0]["name"], "karabakh-2023 (2)");
    assert_exactly_zero(&cmp);
    // Not because nothing varies: the runs differ from one another.
    let sd = f(&row(&cmp, 0, "utility.ARM")["base_sd"]);
    assert!(sd > 0.0);
}

#[test]
fn a_variant_that_changes_nothing_random_gives_zero_differences() {
    let cmp = compare_json(&[
        "karabakh-2023",
        "--variant",
        "renamed: metadata.name=\"Another name\" metadata.description=\"the same talks\"",
        "--runs",
        "400",
    ]);
    assert_exactly_zero(&cmp);
    let p = &cmp["variants"][0]["provenance"];
    assert_eq!(p["scenario"], "Another name");
    assert_eq!(
        p["overrides"],
        serde_json::json!([
            "metadata.name=\"Another name\"",
            "metadata.description=\"the same talks\""
        ])
    );
}

#[test]
fn pairing_narrows_the_interval_of_a_real_change_on_the_flagship() {
    let runs: f64 = 1000.0;
    let cmp = compare_json(&[
        "karabakh-2023",
        "--variant",
        "weak-russia: actors.RUS.capability=0.25",
        "--runs",
        "1000",
        "--seed",
        "3",
    ]);
    let z = 1.959_963_984_540_054;
    // (Since the shadow-of-power model, a weaker Russia moves the principals' utilities
    // significantly, not its own.)
    for metric in ["utility.ARM", "utility.AZE", "settlement.I2", "round"] {
        let r = row(&cmp, 0, metric);
        let d = f(&r["difference"]);
        // The difference of the means, run by run.
        assert!(
            (d - (f(&r["variant"]) - f(&r["base"]))).abs() < 1e-11,
            "{r}"
        );
        let [lo, hi] = [f(&r["interval"][0]), f(&r["interval"][1])];
        assert!(
            (hi - lo - 2.0 * z * f(&r["difference_sd"]) / runs.sqrt()).abs() < 1e-9,
            "{r}"
        );
        // The interval independent runs would give, from the two scenarios' own spreads.
        let (sb, sv) = (f(&r["base_sd"]), f(&r["variant_sd"]));
        let unpaired = 2.0 * z * ((sb * sb + sv * sv) / runs).sqrt();
        let [ulo, uhi] = [f(&r["unpaired_interval"][0]), f(&r["unpaired_interval"][1])];
        assert!((uhi - ulo - unpaired).abs() < 1e-9, "{r}");
        assert!(
            hi - lo < 0.6 * unpaired,
            "{metric}: paired width {} vs unpaired {unpaired}",
            hi - lo
        );
        assert!(hi - lo > 0.0, "{metric} changes from run to run: {r}");
        assert_eq!(r["significant"], true, "{r}");
    }
    let most = &cmp["variants"][0]["changed_most"];
    assert!(most["metric"].is_string(), "{most}");
    let line = cmp["variants"][0]["summary"].as_str().unwrap();
    assert!(
        line.starts_with("weak-russia: ") && line.contains("changed most"),
        "{line}"
    );
}

#[test]
fn values_are_those_of_treaty_run_with_the_same_overrides_and_seed() {
    let cmp = compare_json(&[
        "karabakh-2023",
        "--variant",
        "soft-baku: actors.AZE.strategy=Conceder(beta: 2.0); escalation.propensity=0.3",
        "--runs",
        "300",
        "--seed",
        "9",
    ]);
    let run = |sets: &[&str]| -> Value {
        let mut args = vec![
            "run",
            "karabakh-2023",
            "--runs",
            "300",
            "--seed",
            "9",
            "--format",
            "json",
        ];
        for s in sets {
            args.extend(["--set", s]);
        }
        serde_json::from_slice(&treaty_ok(&args)).unwrap()
    };
    let base = run(&[]);
    let variant = run(&[
        "actors.AZE.strategy=Conceder(beta: 2.0)",
        "escalation.propensity=0.3",
    ]);
    for (side, report) in [("base", &base), ("variant", &variant)] {
        for (k, kind) in ["agreement", "deadlock", "conflict"].iter().enumerate() {
            let r = row(&cmp, 0, &format!("outcome.{kind}"));
            assert_eq!(
                r[side], report["outcomes"][k]["probability"],
                "{side} {kind}"
            );
        }
        // The probability of war: a run with at least one war, limited or not.
        let r = row(&cmp, 0, "outcome.war");
        assert_eq!(
            r[side], report["wars"]["runs_with_war"]["probability"],
            "{side} war"
        );
        assert_eq!(r["kind"], "probability");
        for (j, issue) in report["issues"].as_array().unwrap().iter().enumerate() {
            let id = issue["id"].as_str().unwrap();
            let r = row(&cmp, 0, &format!("settlement.{id}"));
            assert_eq!(r[side], issue["mean"], "{side} {id}");
            assert_eq!(r[format!("{side}_sd")], report["issues"][j]["sd"]);
        }
        for actor in report["actors"].as_array().unwrap() {
            let id = actor["id"].as_str().unwrap();
            let r = row(&cmp, 0, &format!("utility.{id}"));
            assert_eq!(r[side], actor["utility"], "{side} {id}");
            assert_eq!(r[format!("{side}_sd")], actor["utility_sd"], "{side} {id}");
        }
    }
    assert_eq!(
        cmp["base"]["provenance"]["scenario_hash"],
        base["provenance"]["scenario_hash"]
    );
    assert_eq!(
        cmp["variants"][0]["provenance"]["overrides"],
        variant["provenance"]["overrides"]
    );
}

#[test]
fn output_is_byte_identical_for_1_and_2_threads() {
    for format in ["json", "table"] {
        let args = |threads: &'static str| {
            vec![
                "compare",
                "karabakh-2023",
                "--variant",
                "b: events.2.probability=0.2 perception_noise=0.05",
                "--runs",
                "1100",
                "--seed",
                "4",
                "--format",
                format,
                "--threads",
                threads,
            ]
        };
        assert_eq!(treaty_ok(&args("1")), treaty_ok(&args("2")), "{format}");
    }
}

#[test]
fn file_variants_carry_their_own_hash_and_set_applies_to_every_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let flagship = treaty::scenario::read_source("karabakh-2023").unwrap().text;
    let text = flagship.replace("initiators: [\"AZE\"]", "initiators: [\"AZE\", \"ARM\"]");
    assert_ne!(text, flagship);
    let file = dir.path().join("two-initiators.ron");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    let out = dir.path().join("cmp.json");
    treaty_ok(&[
        "compare",
        "karabakh-2023",
        file,
        "--set",
        "protocol.max_rounds=36",
        "--runs",
        "200",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let cmp: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let v = &cmp["variants"][0];
    assert_eq!(v["name"], file);
    assert_eq!(
        v["provenance"]["scenario_hash"],
        treaty::model::content_hash(text.as_bytes())
    );
    assert_ne!(
        v["provenance"]["scenario_hash"],
        cmp["base"]["provenance"]["scenario_hash"]
    );
    for p in [&cmp["base"]["provenance"], &v["provenance"]] {
        assert_eq!(
            p["overrides"],
            serde_json::json!(["protocol.max_rounds=36"])
        );
        assert_eq!(p["seed"], 0);
        assert_eq!(p["runs"], 200);
    }
}

#[test]
fn the_table_marks_significant_differences() {
    let out = treaty_ok(&[
        "compare",
        "karabakh-2023",
        "--variant",
        "soft-baku: actors.AZE.strategy=Conceder(beta: 2.0)",
        "--runs",
        "300",
    ]);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("COMPARISON ON COMMON RANDOM NUMBERS\n"),
        "{text}"
    );
    assert!(text.contains("soft-baku − karabakh-2023"), "{text}");
    let azerbaijan = text
        .lines()
        .find(|l| l.trim_start().starts_with("utility AZE"))
        .unwrap();
    assert!(azerbaijan.ends_with('*'), "{azerbaijan}");
    assert!(text.contains("soft-baku: utility"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
}

#[test]
fn bad_variants_are_named_with_exit_code_2() {
    let err = compare_bad(&["karabakh-2023", "--runs", "10"]);
    assert!(err.contains("nothing to compare with"), "{err}");
    let err = compare_bad(&[
        "karabakh-2023",
        "--variant",
        "x: actors.RUS.capabilty=0.3",
        "--runs",
        "10",
    ]);
    assert!(
        err.contains("variant x") && err.contains("capabilty"),
        "{err}"
    );
    let err = compare_bad(&[
        "karabakh-2023",
        "--variant",
        "x: actors.RUS.capability=-0.3",
        "--runs",
        "10",
    ]);
    assert!(
        err.contains("variant x") && err.contains("--set actors.RUS.capability=-0.3: found -0.3"),
        "{err}"
    );
    let err = compare_bad(&[
        "karabakh-2023",
        "--variant",
        "x: actors.RUS.capability=Uniform(0.1, 0.3",
        "--runs",
        "10",
    ]);
    assert!(
        err.contains("Uniform(0.1, 0.3") && err.contains("not closed"),
        "{err}"
    );
    let err = compare_bad(&["karabakh-2023", "--variant", "empty:", "--runs", "10"]);
    assert!(
        err.contains("empty:") && err.contains("no override"),
        "{err}"
    );
    let err = compare_bad(&["karabakh-2023", "no-such-scenario", "--runs", "10"]);
    assert!(err.contains("no-such-scenario"), "{err}");
    let err = compare_bad(&["karabakh-2023", "karabakh-2023", "--runs", "0"]);
    assert!(err.contains("--runs"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_signal_stops_a_long_comparison_and_writes_nothing() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(dir.path())
        .args([
            "compare",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/good/pie-split.ron"
            ),
            "--variant",
            "v: metadata.name=\"v\"",
            "--runs",
            "1000000000",
            "--threads",
            "2",
            "--out",
            "cmp.json",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The output's temporary file is created before the work starts (after the signal handler).
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_dir(dir.path())
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before the signal"
        );
        assert!(Instant::now() < deadline, "no temporary output appeared");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("interrupted by SIGINT"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing left behind"
    );
}
