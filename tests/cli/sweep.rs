//! `treaty sweep` end to end: rows equal separate `treaty run`s, the grid is the product of the
//! axes, output is byte-identical for any thread count, and bad points are named.

use serde_json::Value;

use crate::common::{treaty, treaty_ok};

/// Runs `treaty sweep ARGS`, expecting exit code 2; returns stderr.
fn sweep_bad(args: &[&str]) -> String {
    let out = treaty(&[&["sweep"], args].concat());
    assert_eq!(
        out.status.code(),
        Some(2),
        "treaty sweep {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The estimate of `metric` at row `row` of a JSON sweep.
fn estimate<'a>(sweep: &'a Value, row: usize, metric: &str) -> &'a Value {
    sweep["points"][row]["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["metric"] == metric)
        .unwrap_or_else(|| panic!("no metric {metric}"))
}

#[test]
fn rows_equal_separate_runs_with_the_same_overrides_and_seed() {
    let out = treaty_ok(&[
        "sweep",
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=0.2..0.6:3",
        "--set",
        "escalation.propensity=0.3",
        "--runs",
        "400",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    let sweep: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sweep["schema"], "treaty-sweep/1");
    assert_eq!(
        sweep["provenance"]["overrides"],
        serde_json::json!(["escalation.propensity=0.3"])
    );
    assert_eq!(
        sweep["axes"][0]["values"],
        serde_json::json!(["0.2", "0.4", "0.6"])
    );
    for (row, value) in ["0.2", "0.4", "0.6"].iter().enumerate() {
        let point = &sweep["points"][row];
        let setting = format!("actors.RUS.capability={value}");
        assert_eq!(point["settings"], serde_json::json!([setting]));
        let report: Value = serde_json::from_slice(&treaty_ok(&[
            "run",
            "karabakh-2023",
            "--set",
            "escalation.propensity=0.3",
            "--set",
            &setting,
            "--runs",
            "400",
            "--seed",
            "5",
            "--format",
            "json",
        ]))
        .unwrap();
        for (k, kind) in ["agreement", "deadlock", "conflict"].iter().enumerate() {
            let e = estimate(&sweep, row, &format!("outcome.{kind}"));
            let o = &report["outcomes"][k];
            assert_eq!(e["value"], o["probability"], "{setting} {kind}");
            assert_eq!(e["interval"], o["ci95"], "{setting} {kind}: Wilson");
            assert_eq!(e["runs"], 400);
        }
        let e = estimate(&sweep, row, "outcome.war");
        let war = &report["wars"]["runs_with_war"];
        assert_eq!(e["value"], war["probability"], "{setting} war");
        assert_eq!(e["interval"], war["ci95"], "{setting} war: Wilson");
        let e = estimate(&sweep, row, "rounds_to_agreement");
        assert_eq!(
            e["value"], report["rounds_to_agreement"]["mean"],
            "{setting}"
        );
        assert_eq!(e["runs"], report["rounds_to_agreement"]["runs"]);
        for issue in report["issues"].as_array().unwrap() {
            let e = estimate(
                &sweep,
                row,
                &format!("settlement.{}", issue["id"].as_str().unwrap()),
            );
            assert_eq!(e["value"], issue["mean"], "{setting} {}", issue["id"]);
            assert_eq!(e["sd"], issue["sd"]);
        }
        for actor in report["actors"].as_array().unwrap() {
            let e = estimate(
                &sweep,
                row,
                &format!("utility.{}", actor["id"].as_str().unwrap()),
            );
            assert_eq!(e["value"], actor["utility"], "{setting} {}", actor["id"]);
            assert_eq!(e["sd"], actor["utility_sd"]);
            // A normal interval around the mean.
            let (m, sd) = (e["value"].as_f64().unwrap(), e["sd"].as_f64().unwrap());
            let half = 1.959_963_984_540_054 * sd / 20.0;
            let [lo, hi] = [
                e["interval"][0].as_f64().unwrap(),
                e["interval"][1].as_f64().unwrap(),
            ];
            assert!(
                (lo - (m - half)).abs() < 1e-9 && (hi - (m + half)).abs() < 1e-9,
                "{e}"
            );
        }
        // The mean round the runs ended in, deadlocks at the deadline.
        let ended: f64 = report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["count"].as_u64().unwrap() > 0)
            .map(|o| o["mean_round"].as_f64().unwrap() * o["count"].as_f64().unwrap())
            .sum::<f64>()
            / 400.0;
        let e = estimate(&sweep, row, "round");
        assert!(
            (e["value"].as_f64().unwrap() - ended).abs() < 1e-9,
            "{e} vs {ended}"
        );
    }
}

#[test]
fn the_grid_is_the_product_of_the_axes_in_csv() {
    let out = treaty_ok(&[
        "sweep",
        "rubinstein-pie",
        "--set",
        "protocol.max_rounds=2..4:2",
        "--set",
        "protocol.discount.A=0.5..0.9:3",
        "--runs",
        "50",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..6],
        [
            "point",
            "protocol.max_rounds",
            "protocol.discount.A",
            "outcome.agreement",
            "outcome.agreement_low",
            "outcome.agreement_high"
        ]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 6);
    let settings: Vec<(&str, &str)> = rows.iter().map(|r| (r[1], r[2])).collect();
    assert_eq!(
        settings,
        [
            ("2", "0.5"),
            ("2", "0.7"),
            ("2", "0.9"),
            ("4", "0.5"),
            ("4", "0.7"),
            ("4", "0.9")
        ]
    );
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], (i + 1).to_string());
        assert_eq!(r.len(), header.len());
    }
}

#[test]
fn output_is_byte_identical_for_1_and_2_threads() {
    for format in ["json", "table"] {
        let args = |threads: &'static str| {
            vec![
                "sweep",
                "karabakh-2023",
                "--set",
                "actors.AZE.capability=0.5..0.9:2",
                "--runs",
                "1100",
                "--seed",
                "2",
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
fn the_table_shows_every_point_and_section() {
    let out = treaty_ok(&[
        "sweep",
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=0.1..0.9:3",
        "--runs",
        "100",
    ]);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("SWEEP ON COMMON RANDOM NUMBERS\n"),
        "{text}"
    );
    assert!(
        text.contains("axis   actors.RUS.capability = 0.1, 0.5, 0.9"),
        "{text}"
    );
    for section in [
        "OUTCOMES",
        "SETTLEMENT PER ISSUE",
        "EXPECTED UTILITY PER ACTOR",
    ] {
        assert!(text.contains(section), "{text}");
    }
    let rows = text.lines().filter(|l| l.starts_with("3 ")).count();
    assert!(rows >= 3, "point 3 in every section: {text}");
}

#[test]
fn bad_points_paths_and_ranges_are_named_with_exit_code_2() {
    let err = sweep_bad(&[
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=-0.5..0.5:3",
    ]);
    assert!(
        err.contains("--set actors.RUS.capability=-0.5: found -0.5; allowed:"),
        "{err}"
    );
    let err = sweep_bad(&["karabakh-2023", "--set", "protocol.max_rounds=30..41:3"]);
    assert!(err.contains("protocol.max_rounds=35.5"), "{err}");
    let err = sweep_bad(&["karabakh-2023", "--set", "actors.XYZ.capability=0.1..0.5:3"]);
    assert!(
        err.contains("actors.XYZ.capability") && err.contains("XYZ"),
        "{err}"
    );
    let err = sweep_bad(&["karabakh-2023", "--set", "protocol.max_rounds=40"]);
    assert!(err.contains("at least one range"), "{err}");
    let err = sweep_bad(&["karabakh-2023", "--set", "actors.RUS.capability=0.1..0.5"]);
    assert!(
        err.contains("actors.RUS.capability=0.1..0.5") && err.contains("LO..HI:STEPS"),
        "{err}"
    );
    let err = sweep_bad(&["karabakh-2023", "--set", "actors.RUS.capability=0.1..0.5:1"]);
    assert!(err.contains("1 points"), "{err}");
    let err = sweep_bad(&[
        "karabakh-2023",
        "--set",
        "a.b=0..1:200",
        "--set",
        "c.d=0..1:200",
    ]);
    assert!(err.contains("10000 points"), "{err}");
    let err = sweep_bad(&[
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=0.1..0.5:2",
        "--set",
        "actors.RUS.capability=0.2..0.3:2",
    ]);
    assert!(err.contains("two ranges"), "{err}");
}
