//! `treaty analyse` end to end.

use crate::common::treaty;

fn analyse(args: &[&str]) -> (i32, String, String) {
    let out = treaty(&[&["analyse"], args].concat());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rubinstein_pie_splits_in_half_at_every_bargaining_point() {
    // Linear utilities over one pie, disagreement (0, 0): every solution is x = 1/2.
    let (code, out, _) = analyse(&["rubinstein-pie", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    for point in ["nash", "kalai_smorodinsky", "egalitarian", "max_welfare"] {
        assert_eq!(doc[point]["settlement"][0], 0.5, "{point}");
        assert_eq!(doc[point]["normalised"][0], 0.5, "{point}");
    }
    // The closest acceptable point to the ideal (1, 1) is (1/2, 1/2): opposition 1/√2.
    let o = doc["opposition_level"].as_f64().unwrap();
    assert!((o - 0.5f64.sqrt()).abs() < 1e-12, "{o}");
    // The grid's error bound: h/2 with h = 1/200 for a linear utility.
    assert!((doc["frontier"]["error"][0].as_f64().unwrap() - 0.0025).abs() < 1e-12);
}

#[test]
fn options_only_scenarios_have_an_exact_frontier_and_the_table_names_every_point() {
    let (code, out, _) = analyse(&["bench-pie"]);
    assert_eq!(code, 0);
    assert!(out.contains("exact"), "{out}");
    for name in [
        "Nash bargaining",
        "Kalai–Smorodinsky",
        "egalitarian",
        "maximum welfare",
    ] {
        assert!(out.contains(name), "{name}: {out}");
    }
    // Same input, same bytes.
    assert_eq!(analyse(&["bench-pie"]).1, out);
}

#[test]
fn a_bad_grid_is_bad_input() {
    let (code, _, err) = analyse(&["rubinstein-pie", "--grid", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--grid"), "{err}");
    for bad in ["99", "1000001"] {
        let (code, _, err) = analyse(&["rubinstein-pie", "--max-points", bad]);
        assert_eq!(code, 2);
        assert!(
            err.contains(&format!(
                "--max-points must lie between 100 and 1000000, not {bad}"
            )),
            "{err}"
        );
    }
}

/// More points kept before thinning bring a many-principal frontier closer: its stated error
/// shrinks (five legislators splitting a pie).
#[test]
fn more_points_shrink_the_error_of_a_thinned_frontier() {
    let error = |points: &str| {
        let (code, out, err) = analyse(&[
            "baron-ferejohn",
            "--format",
            "json",
            "--grid",
            "20",
            "--max-points",
            points,
        ]);
        assert_eq!(code, 0, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["frontier"]["error"][0].as_f64().unwrap()
    };
    let (coarse, fine) = (error("500"), error("5000"));
    assert!(
        fine < coarse,
        "error {fine} with more points, {coarse} with fewer"
    );
}
