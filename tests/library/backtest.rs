//! Backtests through the library: the scores' closed forms, common random numbers across
//! methods, determinism, and the checks on the cases entered.

use treaty::backtest::{Backtest, BacktestError, Case, Config, Entrant, Recorded, backtest};
use treaty::model::Model;

/// Two principals on issue I; A's position is `a_position` (RON), B cares only about J.
fn model(a_position: &str, protocol: &str) -> Model {
    let text = format!(
        r#"(metadata: (name: "t", description: "t"),
        issues: [(id: "I", name: "I", low: "0", high: "1", status_quo: 0.3),
                 (id: "J", name: "J", low: "0", high: "1", status_quo: 0.5)],
        actors: [
            (id: "A", name: "A", role: Principal, capability: 1,
             stances: {{"I": (position: {a_position}, salience: 1)}}),
            (id: "B", name: "B", role: Principal, capability: 2,
             stances: {{"J": (position: 0.9, salience: 1)}}),
        ],
        protocol: {protocol},
        perception_noise: 0.05, interdependence: 0, disagreement: Reservation)"#
    );
    let source = treaty::scenario::Source {
        file: "t.ron".into(),
        text,
    };
    treaty::scenario::prepare(&source, &[]).expect("the test scenario is valid")
}

fn case(name: &str, model: Model, outcome: f64) -> Case {
    Case {
        name: name.into(),
        model,
        recorded: vec![Recorded {
            issue: 0,
            outcome,
            status_quo_recorded: true,
            tags: vec![("rule".into(), "QMV".into())],
        }],
    }
}

const AO: &str = "AlternatingOffers(max_rounds: 10)";

fn method(b: &Backtest, label: &str) -> usize {
    b.methods.iter().position(|m| m.label == label).unwrap()
}

#[test]
fn the_crps_of_a_uniform_forecast_matches_its_closed_form() {
    // A's position on I is Uniform(0, 1) and A alone cares about I, so the mean baseline is
    // X ~ U(0, 1): CRPS(U(0, 1), y) = (y² + (1 − y)²)/2 − 1/6 (Gneiting & Raftery 2007).
    let y = 0.2;
    let entrant = Entrant {
        label: "ao".into(),
        cases: vec![case("u", model("Uniform(0, 1)", AO), y)],
    };
    let b = backtest(&[entrant], &Config::new(3, 20_000)).unwrap();
    let f = b.rows[0].forecasts[method(&b, "mean")].unwrap();
    let exact = (y * y + (1.0 - y) * (1.0 - y)) / 2.0 - 1.0 / 6.0;
    assert!((f.crps - exact).abs() < 0.005, "{} vs {exact}", f.crps);
    // Its median is 0.5 and its 5% and 95% quantiles 0.05 and 0.95, to sampling error.
    assert!((f.point - 0.5).abs() < 0.02, "{}", f.point);
    assert!((f.p05 - 0.05).abs() < 0.01 && (f.p95 - 0.95).abs() < 0.01);
    // The compromise and the weighted median of one actor are its position: the same runs.
    let c = b.rows[0].forecasts[method(&b, "compromise")].unwrap();
    assert_eq!(c, f);
}

#[test]
fn every_method_plays_the_same_runs_and_any_thread_count_gives_the_same_result() {
    let cases = |protocol: &str| {
        (0..5)
            .map(|k| {
                case(
                    &format!("c{k}"),
                    model(&format!("Uniform(0.{k}, 0.9)"), protocol),
                    0.1 * k as f64,
                )
            })
            .collect::<Vec<_>>()
    };
    let entrants = [
        Entrant {
            label: "ao".into(),
            cases: cases(AO),
        },
        Entrant {
            label: "eu".into(),
            cases: cases("ExpectedUtility(max_rounds: 3)"),
        },
    ];
    let mut config = Config::new(9, 300);
    config.groups = vec!["rule".into()];
    config.threads = Some(1);
    let one = backtest(&entrants, &config).unwrap();
    config.threads = Some(2);
    let two = backtest(&entrants, &config).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.scores.len(), 2);
    assert_eq!(one.scores[1].group, Some(("rule".into(), "QMV".into())));
    // Entered twice under other labels, a protocol gives the same forecasts.
    let again = [
        entrants[0].clone(),
        Entrant {
            label: "ao again".into(),
            cases: cases(AO),
        },
    ];
    let b = backtest(&again, &config).unwrap();
    for row in &b.rows {
        assert_eq!(row.forecasts[0], row.forecasts[1]);
    }
    // The MAE is the mean of the rows' errors.
    let m = method(&one, "compromise");
    let mean: f64 = one
        .rows
        .iter()
        .map(|r| r.forecasts[m].unwrap().error)
        .sum::<f64>()
        / one.rows.len() as f64;
    assert!((one.scores[0].scores[m].unwrap().mae - mean).abs() < 1e-12);
}

#[test]
fn cases_that_do_not_match_are_refused() {
    let a = Entrant {
        label: "a".into(),
        cases: vec![case("x", model("0.2", AO), 0.5)],
    };
    let mut b = a.clone();
    b.label = "b".into();
    b.cases[0].name = "y".into();
    let err = backtest(&[a.clone(), b], &Config::new(0, 10)).unwrap_err();
    assert!(
        matches!(err, BacktestError::Config(ref m) if m.contains("does not match")),
        "{err}"
    );
    let mut named = a.clone();
    named.label = "compromise".into();
    assert!(backtest(&[named], &Config::new(0, 10)).is_err());
    let mut out_of_range = a.clone();
    out_of_range.cases[0].recorded[0].outcome = 1.5;
    let err = backtest(&[out_of_range], &Config::new(0, 10)).unwrap_err();
    assert!(err.to_string().contains("outside [0, 1]"), "{err}");
    assert!(backtest(std::slice::from_ref(&a), &Config::new(0, 0)).is_err());
    assert!(backtest(&[], &Config::new(0, 10)).is_err());
}
