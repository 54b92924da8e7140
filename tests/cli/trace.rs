//! `treaty trace` end to end.

use treaty::engine::{NoopObserver, simulate_run};
use treaty::rng::SimRng;

use crate::common::treaty;

/// Runs `treaty trace ARGS`; returns (exit code, stdout, stderr), both streams UTF-8.
fn trace(args: &[&str]) -> (i32, String, String) {
    let out = treaty(&[&["trace"], args].concat());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_same_seed_gives_the_same_trace_byte_for_byte() {
    let (code, a, _) = trace(&["karabakh-2023", "--seed", "3", "--run", "5"]);
    assert_eq!(code, 0);
    let (_, b, _) = trace(&["karabakh-2023", "--seed", "3", "--run", "5"]);
    assert_eq!(a, b);
    let (_, c, _) = trace(&[
        "karabakh-2023",
        "--seed",
        "3",
        "--run",
        "5",
        "--format",
        "json",
    ]);
    let (_, d, _) = trace(&[
        "karabakh-2023",
        "--seed",
        "3",
        "--run",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(c, d);
}

#[test]
fn another_seed_or_run_tells_another_run_of_the_flagship() {
    let (_, a, _) = trace(&["karabakh-2023", "--seed", "1", "--format", "json"]);
    let (_, b, _) = trace(&["karabakh-2023", "--seed", "2", "--format", "json"]);
    let (_, c, _) = trace(&[
        "karabakh-2023",
        "--seed",
        "1",
        "--run",
        "1",
        "--format",
        "json",
    ]);
    let a: serde_json::Value = serde_json::from_str(&a).unwrap();
    let b: serde_json::Value = serde_json::from_str(&b).unwrap();
    let c: serde_json::Value = serde_json::from_str(&c).unwrap();
    // Other draws: the status quo and the actors differ, and so does the story.
    assert_ne!(a["status_quo"], b["status_quo"]);
    assert_ne!(a["rounds"], b["rounds"]);
    assert_ne!(a["rounds"], c["rounds"]);
}

#[test]
fn trace_run_k_is_run_k_of_a_batch() {
    let model = treaty::scenario::load("karabakh-2023").unwrap().model;
    for (seed, run) in [(0u64, 0u64), (11, 7), (5, 123)] {
        let (code, json, _) = trace(&[
            "karabakh-2023",
            "--seed",
            &seed.to_string(),
            "--run",
            &run.to_string(),
            "--format",
            "json",
        ]);
        assert_eq!(code, 0);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let out = simulate_run(&model, &mut SimRng::for_run(seed, run), &mut NoopObserver);
        assert_eq!(doc["outcome"]["kind"], out.kind.name());
        assert_eq!(doc["outcome"]["round"], out.round);
        let settlement: Vec<f64> = doc["outcome"]["settlement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_f64().unwrap())
            .collect();
        assert_eq!(settlement, out.settlement);
        assert_eq!(doc["seed"], seed);
        assert_eq!(doc["run"], run);
    }
}

#[test]
fn the_text_tells_each_round_with_its_date_and_why_the_run_ended() {
    let (code, text, _) = trace(&["karabakh-2023"]);
    assert_eq!(code, 0);
    assert!(text.contains("Round 1 — July 2023"), "{text}");
    assert!(text.contains("Round 2 — August 2023"));
    assert!(text.contains("European Union tables a text:"));
    assert!(text.contains("Armenia offers:"));
    assert!(text.contains("Azerbaijan"));
    // Options are named.
    assert!(text.contains("no route"));
    assert!(text.contains("Answers:"));
    assert!(text.contains("needs"));
    let ending = text
        .split("\nOutcome: ")
        .nth(1)
        .expect("an outcome section");
    assert!(
        ending.starts_with("Agreement in round")
            || ending.starts_with("Deadlock in round")
            || ending.starts_with("Conflict in round")
    );
    assert!(ending.contains("Settlement"));
    assert!(ending.contains("What each actor got"));
}

#[test]
fn every_bundled_scenario_can_be_traced() {
    for name in [
        "karabakh-2023",
        "rubinstein-pie",
        "baron-ferejohn",
        "expected-utility-toy",
        "mediated-water",
    ] {
        let (code, text, err) = trace(&[name, "--seed", "4"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(text.contains("\nOutcome: "), "{name}");
        let (code, json, err) = trace(&[name, "--format", "json"]);
        assert_eq!(code, 0, "{name}: {err}");
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
    }
}

#[test]
fn a_missing_scenario_is_bad_input() {
    let (code, out, err) = trace(&["no-such-scenario.ron"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no-such-scenario.ron"), "{err}");
}

#[test]
fn overrides_change_the_traced_run_and_bad_ones_are_named() {
    let base = ["karabakh-2023", "--run", "2", "--format", "json"];
    let (code, plain, _) = trace(&base);
    assert_eq!(code, 0);
    let (code, soft, _) = trace(
        &[
            &base[..],
            &["--set", "actors.AZE.strategy=Conceder(beta: 2.0)"],
        ]
        .concat(),
    );
    assert_eq!(code, 0);
    assert_ne!(plain, soft);
    let (code, same, _) = trace(&[&base[..], &["--set", "metadata.description=\"same\""]].concat());
    assert_eq!(code, 0);
    let rounds = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap()["rounds"].clone();
    assert_eq!(rounds(&plain), rounds(&same));
    let (code, out, err) = trace(&["karabakh-2023", "--set", "actors.AZE.capabilty=0.5"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("actors.AZE.capabilty"), "{err}");
}
