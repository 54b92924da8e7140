//! `treaty validate` and `treaty scenarios` end to end: text and JSON reports, exit codes,
//! bundled scenarios by name, help examples.

use serde_json::Value as Json;

use crate::common::treaty_text;

const PIE: &str = "tests/fixtures/good/pie-split.ron";
const BORDER: &str = "tests/fixtures/good/border-talks.ron";

fn json(args: &[&str]) -> (i32, Json) {
    let (code, stdout, _) = treaty_text(args);
    let doc = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (code, doc)
}

#[test]
fn valid_files_get_one_ok_line_each() {
    let (code, stdout, stderr) = treaty_text(&["validate", PIE, BORDER]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "ok: {PIE} (2 actors, 2 issues, AlternatingOffers)\n\
             ok: {BORDER} (4 actors, 2 issues, Mediated)\n"
        )
    );
    assert_eq!(stderr, "");
}

#[test]
fn one_bad_file_among_good_ones_fails_the_whole_call() {
    let bad = "tests/fixtures/bad/many-problems.ron";
    let syntax = "tests/fixtures/bad/syntax-missing-comma.ron";
    let (code, stdout, stderr) = treaty_text(&["validate", PIE, bad, syntax]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(
        lines[0],
        format!("ok: {PIE} (2 actors, 2 issues, AlternatingOffers)")
    );
    // Each problem at the line and column where its value starts in the file.
    assert!(lines[1].starts_with(&format!(
        "{bad}:15:68: actors[\"RUS\"].capability: found -3; allowed:"
    )));
    assert!(lines[2].starts_with(&format!("{bad}:19:40: relations[0].strength: found 2;")));
    assert!(lines[3].starts_with(&format!("{bad}:23:40: events[0].at.Round: found 99;")));
    assert!(lines[4].starts_with(&format!("{syntax}:10:37: expected `,`")));
    assert_eq!(stderr, "error: 2 of 3 scenarios invalid\n");
}

#[test]
fn json_reports_valid_files() {
    let (code, doc) = json(&["validate", "--format", "json", PIE, BORDER]);
    assert_eq!(code, 0);
    assert_eq!(doc["ok"], true);
    let files = doc["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], PIE);
    assert_eq!(files[0]["ok"], true);
    assert_eq!(files[0]["actors"], 2);
    assert_eq!(files[0]["issues"], 2);
    assert_eq!(files[0]["protocol"], "AlternatingOffers");
    assert_eq!(files[0]["problems"], serde_json::json!([]));
    assert_eq!(files[1]["protocol"], "Mediated");
    assert_eq!(files[1]["actors"], 4);
}

#[test]
fn json_reports_rule_problems_by_path() {
    let bad = "tests/fixtures/bad/many-problems.ron";
    let (code, doc) = json(&["validate", bad, "--format", "json", PIE]);
    assert_eq!(code, 2);
    assert_eq!(doc["ok"], false);
    let f = &doc["files"][0];
    assert_eq!(f["file"], bad);
    assert_eq!(f["ok"], false);
    assert_eq!(f["actors"], Json::Null);
    assert_eq!(f["protocol"], Json::Null);
    let problems = f["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 3);
    let p = &problems[1];
    assert_eq!(p["kind"], "invalid");
    assert_eq!(p["path"], "relations[0].strength");
    assert_eq!(p["found"], "2");
    assert_eq!(p["allowed"], "a number or distribution in [−1, 1]");
    assert_eq!(
        p["message"],
        "relations[0].strength: found 2; allowed: a number or distribution in [−1, 1]"
    );
    assert_eq!(p["line"], 19);
    assert_eq!(p["column"], 40);
    assert_eq!(doc["files"][1]["ok"], true);
}

#[test]
fn json_reports_parse_errors_by_line_and_column() {
    let bad = "tests/fixtures/bad/unknown-field-in-actor.ron";
    let (code, doc) = json(&["validate", "--format", "json", bad]);
    assert_eq!(code, 2);
    let p = &doc["files"][0]["problems"][0];
    assert_eq!(p["kind"], "parse");
    assert_eq!(p["line"], 12);
    assert_eq!(p["column"], 73);
    assert_eq!(p["path"], Json::Null);
    assert_eq!(p["found"], Json::Null);
    assert!(
        p["message"]
            .as_str()
            .expect("message")
            .starts_with("unknown field `power` in an actor; expected `id`, `name`"),
        "{p}"
    );
}

#[test]
fn json_reports_unreadable_files() {
    let (code, doc) = json(&["validate", "--format", "json", "nowhere/missing.ron"]);
    assert_eq!(code, 2);
    let p = &doc["files"][0]["problems"][0];
    assert_eq!(doc["files"][0]["file"], "nowhere/missing.ron");
    assert_eq!(p["kind"], "io");
    assert_eq!(p["message"], "no such file");
    let (_, doc) = json(&["validate", "--format", "json", "not-bundled"]);
    assert_eq!(doc["files"][0]["problems"][0]["kind"], "unknown_scenario");
}

#[test]
fn validate_needs_a_file() {
    let (code, _, stderr) = treaty_text(&["validate"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn help_shows_examples() {
    let (code, stdout, _) = treaty_text(&["validate", "--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Examples:\n  treaty validate karabakh-2023"),
        "{stdout}"
    );
    let (code, stdout, _) = treaty_text(&["scenarios", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Example:\n  treaty scenarios"), "{stdout}");
}

/// The `.ron` files in `scenarios/`, sorted, by name without the extension.
fn scenario_files_on_disk() -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir("scenarios") {
        Ok(entries) => entries
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

#[test]
fn every_bundled_scenario_is_compiled_in_and_validates() {
    let bundled = treaty::scenario::bundled();
    let on_disk = scenario_files_on_disk();
    // Not vacuous: the compiled-in list is exactly the files of scenarios/.
    assert_eq!(bundled.len(), on_disk.len());
    let names: Vec<&str> = bundled.iter().map(|b| b.name).collect();
    assert_eq!(names, on_disk);
    for b in bundled {
        let text = std::fs::read_to_string(format!("scenarios/{}.ron", b.name)).expect("read");
        assert_eq!(b.text, text, "{} is stale", b.name);
        let loaded = treaty::scenario::load(b.name)
            .unwrap_or_else(|e| panic!("bundled scenario {} is invalid:\n{e}", b.name));
        assert_eq!(loaded.source.file, b.name);
        let (code, stdout, stderr) = treaty_text(&["validate", b.name]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.starts_with(&format!("ok: {} (", b.name)), "{stdout}");
    }
}

#[test]
fn scenarios_lists_names_and_descriptions() {
    let (code, stdout, stderr) = treaty_text(&["scenarios"]);
    assert_eq!(code, 0, "{stderr}");
    let bundled = treaty::scenario::bundled();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), bundled.len(), "{stdout}");
    for (line, b) in lines.iter().zip(bundled) {
        let loaded = treaty::scenario::load(b.name).expect("valid");
        let description = loaded.model.description.lines().next().unwrap_or("").trim();
        assert!(line.starts_with(b.name), "{line}");
        assert!(line.ends_with(description), "{line} / {description}");
        assert!(!description.is_empty(), "{} has no description", b.name);
    }
}
