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
    // The mediators' text follows a rejected offer in the same round.
    assert!(text.contains("The offer failed, so European Union tables the mediators' text:"));
    assert!(text.contains("Armenia offers:"));
    // What failure would mean, before the rounds.
    assert!(
        text.contains("\nIf the talks fail\n  If the talks fail, "),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
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

/// The flagship with a hardline Armenia: Azerbaijan's wars are frequent.
const WARLIKE: [&str; 3] = ["karabakh-2023", "--set", "actors.ARM.strategy=Hardliner"];

/// The trace of run `run` of seed 2 of [`WARLIKE`] in `format`.
fn warlike(run: u64, format: &str) -> String {
    let run = run.to_string();
    let (code, out, err) = trace(
        &[
            &WARLIKE[..],
            &["--seed", "2", "--run", &run, "--format", format],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{err}");
    out
}

/// The runs 0..60 of seed 2 of [`WARLIKE`] whose first war broke out during the talks (before
/// the deadline of round 30), from the per-run records.
fn runs_with_a_war_during_the_talks() -> Vec<u64> {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("runs.csv");
    crate::common::treaty_ok(
        &[
            &["run"][..],
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
    let col = header.iter().position(|h| h == "first_war_round").unwrap();
    reader
        .records()
        .map(Result::unwrap)
        .enumerate()
        .filter(|(_, r)| r[col].parse::<u32>().is_ok_and(|round| round < 30))
        .map(|(k, _)| k as u64)
        .collect()
}

#[test]
fn a_war_is_told_with_its_odds_the_table_going_on_and_what_it_imposed() {
    let runs = runs_with_a_war_during_the_talks();
    assert!(!runs.is_empty(), "some run has a war before the deadline");
    let run = runs[0];
    let doc: serde_json::Value = serde_json::from_str(&warlike(run, "json")).unwrap();
    assert_eq!(doc["schema"], "treaty-trace/2");
    let rounds = doc["rounds"].as_array().unwrap();
    let (round, war) = rounds
        .iter()
        .find_map(|r| r["wars"].as_array().unwrap().first().map(|w| (r, w)))
        .expect("a round with a war");
    assert_eq!(war["initiator"], "AZE");
    assert_eq!(war["target"], "ARM");
    assert_eq!(war["at_breakdown"], false);
    // The force decision that started it, with the values it weighed.
    let f = round["force"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["escalated"] == true)
        .expect("the escalation");
    let value = f["value"].as_f64().unwrap();
    assert!(value > f["table"].as_f64().unwrap() && value > f["going_on"].as_f64().unwrap());
    let imposed = war["imposed"].as_array().unwrap();
    let ids: Vec<&str> = imposed
        .iter()
        .map(|i| i["issue"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["I1", "I3", "I4"], "the ground force can decide");
    // The prose tells the same, in plain sentences within 100 columns.
    let text = warlike(run, "text");
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let num = |v: &serde_json::Value| format!("{:.3}", v.as_f64().unwrap());
    let pct = |v: &serde_json::Value| format!("{:.0}%", 100.0 * v.as_f64().unwrap());
    let weighed = format!(
        "War on Armenia is worth {} to Azerbaijan (it believes it wins with {}",
        num(&f["value"]),
        pct(&f["believed"])
    );
    assert!(flat.contains(&weighed), "{weighed} not in\n{text}");
    let table = format!(
        "the table offers it {} and going on is worth {} to it, so it escalates with a",
        num(&f["table"]),
        num(&f["going_on"])
    );
    assert!(flat.contains(&table), "{table}");
    assert!(flat.contains("chance this month. It goes to war. War: Azerbaijan attacks Armenia."));
    assert!(flat.contains("It imposes I1 "), "{text}");
    let ending = flat.split(" Outcome: ").nth(1).expect("an outcome");
    assert!(
        ending.contains("attacked Armenia"),
        "every war is listed in the close"
    );
    if doc["outcome"]["kind"] != "Conflict" {
        assert_eq!(war["ended_talks"], false);
        assert!(flat.contains("A limited war: what it imposed is the new status quo"));
    }
}

#[test]
fn the_mediators_text_is_the_rounds_second_proposal_with_its_own_answers() {
    let doc: serde_json::Value = serde_json::from_str(&warlike(0, "json")).unwrap();
    let first = &doc["rounds"][0];
    let proposals = first["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 2, "{first}");
    let (offer, text) = (&proposals[0], &proposals[1]);
    assert_eq!(offer["mediator_text"], false);
    assert_eq!(offer["kind"], "offer");
    assert_eq!(text["mediator_text"], true);
    assert_eq!(text["kind"], "text");
    assert_eq!(text["proposer"], "EU");
    assert_ne!(offer["point"], text["point"]);
    // Each has its own answers: the principals' and the stakeholders'.
    for p in proposals {
        let answers: Vec<&str> = p["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["actor"].as_str().unwrap())
            .collect();
        assert!(
            answers.contains(&"ARM") && answers.contains(&"AZE"),
            "{answers:?}"
        );
        for r in p["responses"].as_array().unwrap() {
            assert!(r["floor"].is_number(), "{r}");
        }
    }
    // The round's offer was rejected, or no text would follow.
    assert!(
        offer["responses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["answer"] == "reject")
    );
    let text = warlike(0, "text");
    let round1 = text.split("\nRound 2").next().unwrap();
    let offer_at = round1.find("Armenia offers:").unwrap();
    let text_at = round1
        .find("so European Union tables the mediators' text:")
        .unwrap();
    assert!(offer_at < text_at);
    assert_eq!(round1.matches("  Answers:").count(), 2, "{round1}");
    // What failure would mean, for each principal, in the header.
    let header = text.split("\nRound 1").next().unwrap();
    let flat = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let threat = &doc["breakdowns"][0];
    assert_eq!(threat["round"], 0);
    if threat["threat"] == "AZE" {
        assert!(
            flat.contains("If the talks fail, Azerbaijan would go to war: Armenia"),
            "{flat}"
        );
    } else {
        assert!(
            flat.contains("If the talks fail, the status quo holds"),
            "{flat}"
        );
    }
}

/// The rounds of a trace's JSON, and the rounds it says it shows.
fn rounds_of(json: &str) -> (Vec<u64>, Option<(u64, u64)>, u64) {
    let t: serde_json::Value = serde_json::from_str(json).expect("trace JSON");
    let rounds = t["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["round"].as_u64().unwrap())
        .collect();
    let shown = t
        .get("rounds_shown")
        .map(|s| (s["from"].as_u64().unwrap(), s["to"].as_u64().unwrap()));
    (rounds, shown, t["outcome"]["round"].as_u64().unwrap())
}

/// A run longer than the rounds asked for keeps those rounds and its last in full, says so in
/// every format, and leaves the rest out (memory holds the window whatever the run's length).
#[test]
fn a_long_run_is_told_in_its_window_and_its_last_round() {
    let long = [
        "karabakh-2023",
        "--run",
        "3",
        "--set",
        "protocol.max_rounds=3000",
    ];
    // By default the first 1,000 rounds and the last.
    let (code, json, _) = trace(&[&long[..], &["--format", "json"]].concat());
    assert_eq!(code, 0);
    let (rounds, shown, last) = rounds_of(&json);
    assert!(last > 1_000, "the run ends in round {last}");
    assert_eq!(shown, Some((1, 1_000)));
    let expected: Vec<u64> = (1..=1_000).chain(std::iter::once(last)).collect();
    assert_eq!(rounds, expected);
    // A window of one's own: rounds 5 to 7 and the last.
    let (code, json, _) = trace(&[&long[..], &["--format", "json", "--rounds", "5..7"]].concat());
    assert_eq!(code, 0);
    let (rounds, shown, same_last) = rounds_of(&json);
    assert_eq!((shown, same_last), (Some((5, 7)), last));
    assert_eq!(rounds, vec![5, 6, 7, last]);
    let (_, text, _) = trace(&[&long[..], &["--rounds", "5..7"]].concat());
    assert!(
        text.contains("… rounds 1 to 4 were played but not shown")
            && text.contains(&format!(
                "… rounds 8 to {} were played but not shown",
                last - 1
            )),
        "{text}"
    );
    // Every round asked for: nothing left out, and no note.
    let (_, json, _) = trace(&[&long[..], &["--format", "json", "--rounds", "1..3000"]].concat());
    let (rounds, shown, _) = rounds_of(&json);
    assert_eq!(shown, None);
    assert_eq!(rounds, (1..=last).collect::<Vec<_>>());
    // A short run is told whole, without the field.
    let (_, json, _) = trace(&["karabakh-2023", "--format", "json"]);
    assert!(!json.contains("rounds_shown"));
    // A bad window is bad input.
    for bad in ["0..5", "7..5", "5", "a..b"] {
        let (code, _, stderr) = trace(&["karabakh-2023", "--rounds", bad]);
        assert_eq!(code, 2, "{bad}");
        assert!(stderr.contains("allowed: FROM..TO"), "{bad}: {stderr}");
    }
}
