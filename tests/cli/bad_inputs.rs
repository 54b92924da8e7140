//! The bad-input corpus (`tests/fixtures/bad/`): every file is refused with exit code 2 and a
//! located message, and no input makes the program panic.

use std::path::Path;

use crate::common::{treaty, treaty_fails, treaty_text};

/// Where a problem is: a parse error's line and column, or a rule's path and what was found.
enum Loc {
    At(usize, usize),
    Rule(&'static str, &'static str),
}
use Loc::{At, Rule};

/// Every bad fixture: its name, where its problem is, and the start of the message (parse
/// errors) or of the `allowed:` text (broken rules). A file with several problems has a row
/// per problem.
const EXPECTED: &[(&str, Loc, &str)] = &[
    (
        "bad-id-characters",
        Rule("actors[2].id", "found \"RU S\""),
        "allowed: a non-empty id of ASCII letters,",
    ),
    (
        "bad-round-length",
        Rule("metadata.round", "found \"fortnightly\""),
        "allowed: \"N day(s)\", \"N week(s)\", \"N month(s)\"",
    ),
    (
        "bad-start-date",
        Rule("metadata.start", "found \"2023-02-29\""),
        "allowed: a real date written YYYY-MM-DD, e.g.",
    ),
    ("binary-garbage", At(1, 1), "the file is not UTF-8 text"),
    (
        "boulware-beta-too-high",
        Rule("actors[\"AZE\"].strategy.Boulware.beta", "found 3"),
        "allowed: β in (0, 1) for Boulware",
    ),
    (
        "conceder-beta-too-low",
        Rule("actors[\"AZE\"].strategy.Conceder.beta", "found 0.3"),
        "allowed: β ≥ 1 for Conceder (β",
    ),
    (
        "deeply-nested",
        At(15, 165),
        "the value is nested too deeply",
    ),
    (
        "disagreement-unknown",
        At(22, 19),
        "unknown variant `Nothing` for disagreement; expected",
    ),
    (
        "loss-quadratic-baron-ferejohn",
        Rule(
            "actors[\"L1\"].strategy",
            "found Equilibrium with loss: Quadratic (Baron–Ferejohn needs linear utility: a \
             share s is then worth 1 − (1 − s)², not s)",
        ),
        "allowed: Equilibrium only in a game with a known solution",
    ),
    (
        "loss-quadratic-expected-utility",
        Rule("loss", "found Quadratic with protocol ExpectedUtility"),
        "allowed: Linear under protocol ExpectedUtility (the expected-utility model has its own",
    ),
    (
        "loss-unknown",
        At(14, 11),
        "unknown variant `Cubic` for loss; expected",
    ),
    (
        "discount-zero",
        Rule("protocol.AlternatingOffers.discount[\"AZE\"]", "found 0"),
        "allowed: a number or distribution in (0,",
    ),
    (
        "distribution-outside-domain",
        Rule("issues[\"I1\"].status_quo", "found Uniform(2, 3)"),
        "allowed: a distribution with probability mass inside",
    ),
    (
        "duplicate-actor-id",
        Rule("actors[3].id", "found \"AZE\" again"),
        "allowed: each actor id once (first given",
    ),
    (
        "duplicate-discount-key",
        Rule(
            "protocol.AlternatingOffers.discount[\"ARM\"]",
            "found \"ARM\" again",
        ),
        "allowed: each actor in discount once",
    ),
    (
        "duplicate-field",
        At(15, 71),
        "field `capability` given twice in an",
    ),
    (
        "duplicate-issue-id",
        Rule("issues[2].id", "found \"I1\" again"),
        "allowed: each issue id once (first given",
    ),
    (
        "duplicate-option-label",
        Rule("issues[\"I2\"].options[1].label", "found \"none\" again"),
        "allowed: each option label once (first given",
    ),
    (
        "duplicate-relation-pair",
        Rule("relations[1]", "found ARM–RUS again (also relations[0])"),
        "allowed: each pair once (a symmetric relation",
    ),
    (
        "duplicate-stance-key",
        Rule("actors[\"AZE\"].stances[\"I1\"]", "found \"I1\" again"),
        "allowed: each issue in stances once",
    ),
    ("empty-file", At(1, 1), "the file is empty; a scenario"),
    (
        "empty-id",
        Rule("issues[2].id", "found \"\""),
        "allowed: a non-empty id of ASCII letters,",
    ),
    (
        "escalation-no-issues",
        Rule("escalation.issues", "found an empty list"),
        "allowed: the ids of the issues force can decide",
    ),
    (
        "escalation-unknown-issue",
        Rule("escalation.issues[1]", "found \"I9\""),
        "allowed: one of I1, I2",
    ),
    (
        "event-beyond-max-rounds",
        Rule("events[0].at.Round", "found 13"),
        "allowed: a round in 1..=12 (the protocol's",
    ),
    (
        "event-negative-scale",
        Rule("events[0].effects[0].Capability.change.Scale", "found -1.2"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "event-probability-out-of-range",
        Rule("events[0].at.Window.probability", "found 1.5"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "event-round-zero",
        Rule("events[0].at.Round", "found 0"),
        "allowed: a round in 1..=12 (the protocol's",
    ),
    (
        "event-set-out-of-domain",
        Rule("events[0].effects[0].Position.change.Set", "found 1.4"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "event-unknown-actor",
        Rule("events[0].effects[0].Capability.actor", "found \"TUR\""),
        "allowed: one of ARM, AZE, RUS",
    ),
    (
        "event-unknown-issue",
        Rule("events[0].effects[0].StatusQuo.issue", "found \"I9\""),
        "allowed: one of I1, I2",
    ),
    (
        "event-window-reversed",
        Rule("events[0].at.Window.to", "found 4, before from = 8"),
        "allowed: a last round no earlier than",
    ),
    (
        "event-without-effects",
        Rule("events[0].effects", "found no effects"),
        "allowed: at least one effect (an event",
    ),
    (
        "fewer-than-two-principals",
        Rule("actors", "found 1 principal (ARM)"),
        "allowed: at least 2 actors with role",
    ),
    (
        "huge-capability",
        Rule("actors[\"RUS\"].capability", "found 1e308"),
        "allowed: a number or distribution in (0,",
    ),
    (
        "huge-integer",
        At(21, 45),
        "integer out of range here (rounds",
    ),
    (
        "inf-salience",
        Rule("actors[\"RUS\"].stances[\"I2\"].salience", "found inf"),
        "allowed: a finite number or distribution in",
    ),
    (
        "kappa-one",
        Rule("actors[\"AZE\"].strategy.Boulware.kappa", "found 1"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "many-problems",
        Rule("actors[\"RUS\"].capability", "found -3"),
        "allowed: a number or distribution in (0,",
    ),
    (
        "many-problems",
        Rule("relations[0].strength", "found 2"),
        "allowed: a number or distribution in [−1,",
    ),
    (
        "many-problems",
        Rule("events[0].at.Round", "found 99"),
        "allowed: a round in 1..=12 (the protocol's",
    ),
    (
        "max-rounds-too-many",
        Rule("protocol.AlternatingOffers.max_rounds", "found 1000001"),
        "allowed: a number of rounds in 1..=1000000",
    ),
    (
        "max-rounds-mediated-too-many",
        Rule("protocol.Mediated.max_rounds", "found 100001"),
        "allowed: a number of rounds in 1..=100000 under this protocol (only AlternatingOffers \
         takes up to 1000000)",
    ),
    (
        "max-rounds-zero",
        Rule("protocol.AlternatingOffers.max_rounds", "found 0"),
        "allowed: a number of rounds in 1..=1000000",
    ),
    (
        "mediator-missing",
        Rule("protocol.Mediated.mediator", "found \"EU\""),
        "allowed: the id of an actor with",
    ),
    (
        "mediator-wrong-role",
        Rule("protocol.Mediated.mediator", "found \"ARM\" (a Principal)"),
        "allowed: the id of an actor with",
    ),
    (
        "missing-field-capability",
        At(16, 58),
        "missing field `capability` in an actor",
    ),
    (
        "missing-field-protocol",
        At(24, 1),
        "missing field `protocol` in the scenario",
    ),
    (
        "nan-capability",
        Rule("actors[\"RUS\"].capability", "found NaN"),
        "allowed: a finite number or distribution in",
    ),
    (
        "negative-integer",
        At(21, 46),
        "integer out of range here (rounds",
    ),
    (
        "negative-salience",
        Rule("actors[\"RUS\"].stances[\"I2\"].salience", "found -0.3"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "no-salience-anywhere",
        Rule("actors[\"RUS\"].stances", "found salience 0 on every issue"),
        "allowed: a salience > 0 on at",
    ),
    (
        "normal-zero-sd",
        Rule("actors[\"RUS\"].capability", "found Normal(3, 0)"),
        "allowed: a distribution with valid parameters (the",
    ),
    (
        "nul-character",
        At(2, 21),
        "the file contains a NUL character;",
    ),
    (
        "only-comment",
        At(1, 37),
        "expected `(` opening the scenario",
    ),
    (
        "optimism-out-of-range",
        Rule("actors[\"AZE\"].optimism", "found 1.5"),
        "allowed: a number or distribution in [−1, 1]",
    ),
    (
        "option-out-of-range",
        Rule("issues[\"I2\"].options[2].at", "found 1.5"),
        "allowed: a point in [0, 1]",
    ),
    (
        "options-duplicate-point",
        Rule(
            "issues[\"I2\"].options[1].at",
            "found 0 again (also options[0])",
        ),
        "allowed: each point once, options sorted by",
    ),
    (
        "options-empty-label",
        Rule("issues[\"I2\"].options[1].label", "found \"\""),
        "allowed: a non-empty label",
    ),
    (
        "options-single",
        Rule("issues[\"I2\"].options", "found 1 option"),
        "allowed: no options (a continuous issue) or",
    ),
    (
        "options-unsorted",
        Rule("issues[\"I2\"].options[1].at", "found 0.25 after 0.4"),
        "allowed: options sorted by `at`, in increasing",
    ),
    (
        "pie-duplicate-issue",
        Rule("pie[1]", "found \"A\" again"),
        "allowed: each pie issue once (first given",
    ),
    (
        "pie-issue-with-options",
        Rule("pie[0]", "found \"A\" (an issue with options)"),
        "allowed: a continuous issue: pie shares are",
    ),
    (
        "pie-status-quo-over-one",
        Rule("pie", "found status quo shares summing to 1.3"),
        "allowed: status quo shares of the pie",
    ),
    (
        "pie-unknown-issue",
        Rule("pie[1]", "found \"C\""),
        "allowed: one of A, B",
    ),
    (
        "position-out-of-range",
        Rule("actors[\"RUS\"].stances[\"I2\"].position", "found 1.75"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "proposer-order-empty",
        Rule(
            "protocol.AlternatingOffers.proposer.Order",
            "found an empty list",
        ),
        "allowed: at least one actor id",
    ),
    (
        "proposer-order-stakeholder",
        Rule(
            "protocol.AlternatingOffers.proposer.Order[1]",
            "found \"RUS\" (a Stakeholder)",
        ),
        "allowed: a Principal or Mediator (stakeholders do",
    ),
    (
        "proposer-order-unknown",
        Rule(
            "protocol.AlternatingOffers.proposer.Order[1]",
            "found \"AZR\"",
        ),
        "allowed: one of ARM, AZE, RUS",
    ),
    (
        "quota-too-large",
        Rule("protocol.AlternatingOffers.acceptance.Quota", "found 3"),
        "allowed: a quota in 1..=2 (the number",
    ),
    (
        "quota-zero",
        Rule("protocol.AlternatingOffers.acceptance.Quota", "found 0"),
        "allowed: a quota in 1..=2 (the number",
    ),
    (
        "relation-strength-out-of-range",
        Rule("relations[0].strength", "found 1.3"),
        "allowed: a number or distribution in [−1,",
    ),
    (
        "relation-to-self",
        Rule("relations[0].b", "found \"RUS\" (the same actor as `a`)"),
        "allowed: another actor: a relation links two",
    ),
    (
        "reservation-out-of-range",
        Rule("actors[\"RUS\"].reservation", "found 1.5"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "risk-negative",
        Rule("actors[\"RUS\"].risk", "found -1"),
        "allowed: a number or distribution in (0,",
    ),
    // Each part of a scenario (an option, an actor, the protocol, an event) read on its own:
    // every problem at its place, not only the first.
    (
        "several-parse-errors",
        At(18, 24),
        "unknown field `lable` in an option; expected `at` or `label`",
    ),
    (
        "several-parse-errors",
        At(29, 65),
        "actors[\"SOU\"].capability: found the string \"strong\"; allowed: a number",
    ),
    (
        "several-parse-errors",
        At(37, 81),
        "unknown variant `TitForTwoTats` for strategy; expected `Boulware`",
    ),
    (
        "several-parse-errors",
        At(46, 15),
        "unknown variant `Nash` for text; expected `Compromise`",
    ),
    (
        "several-parse-errors",
        At(65, 46),
        "unknown variant `Double` for change; expected `Set`, `Add` or `Scale`",
    ),
    (
        "status-quo-out-of-range",
        Rule("issues[\"I1\"].status_quo", "found -0.5"),
        "allowed: a number or distribution in [0,",
    ),
    (
        "step-zero",
        Rule("protocol.Mediated.step", "found 0"),
        "allowed: a number or distribution in (0,",
    ),
    (
        "syntax-missing-comma",
        At(10, 37),
        "expected `,` between items, or a",
    ),
    (
        "syntax-unclosed-bracket",
        At(24, 7),
        "the file ends too early: a",
    ),
    (
        "syntax-unquoted-string",
        At(5, 25),
        "expected a string in double quotes",
    ),
    (
        "trailing-text",
        At(25, 2),
        "unexpected text after the end of",
    ),
    (
        "uniform-reversed",
        Rule(
            "actors[\"RUS\"].stances[\"I2\"].position",
            "found Uniform(0.9, 0.6)",
        ),
        "allowed: a distribution with valid parameters (lo",
    ),
    (
        "unknown-discount-actor",
        Rule(
            "protocol.AlternatingOffers.discount[\"AZR\"]",
            "found \"AZR\"",
        ),
        "allowed: one of ARM, AZE, RUS",
    ),
    (
        "unknown-distribution",
        At(15, 68),
        "actors[\"RUS\"].capability: found Gamma(…); allowed: a number or a distribution:",
    ),
    (
        "unknown-field-in-actor",
        At(12, 73),
        "unknown field `power` in an actor;",
    ),
    (
        "unknown-field-in-variant",
        At(13, 40),
        "unknown field `gamma` in `Boulware`; expected",
    ),
    (
        "unknown-field-top-level",
        At(18, 5),
        "unknown field `relationz` in the scenario;",
    ),
    (
        "unknown-protocol",
        At(21, 15),
        "unknown variant `Auction` for protocol; expected",
    ),
    (
        "unknown-relation-actor",
        Rule("relations[0].b", "found \"ARN\""),
        "allowed: one of ARM, AZE, RUS",
    ),
    (
        "unknown-stance-issue",
        Rule("actors[\"RUS\"].stances[\"I3\"]", "found \"I3\""),
        "allowed: one of I1, I2",
    ),
    (
        "unknown-variant-role",
        At(15, 43),
        "unknown variant `Observer` for role; expected",
    ),
    (
        "wrong-type-capability",
        At(15, 68),
        "actors[\"RUS\"].capability: found the string \"strong\"; allowed: a number or a \
         distribution:",
    ),
    (
        "wrong-type-name",
        At(15, 26),
        "expected a string in double quotes",
    ),
    (
        "wrong-type-stances",
        At(16, 18),
        "expected `{` opening a map, e.g.",
    ),
    (
        "zero-capability",
        Rule("actors[\"RUS\"].capability", "found 0"),
        "allowed: a number or distribution in (0,",
    ),
    (
        "zero-issues",
        Rule("issues", "found no issues"),
        "allowed: 1 to 1000 issues",
    ),
];

/// Runs `treaty validate FILE` and returns (exit code, stdout, stderr).
fn validate(file: &str) -> (i32, String, String) {
    treaty_text(&["validate", file])
}

fn bad_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("tests/fixtures/bad")
        .expect("corpus")
        .map(|e| e.expect("entry").path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_is_large_and_every_file_has_an_expectation() {
    let files = bad_files();
    assert!(files.len() >= 30, "only {} bad fixtures", files.len());
    for f in &files {
        let stem = Path::new(f)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name");
        assert!(
            EXPECTED.iter().any(|(name, _, _)| *name == stem),
            "{f} has no expectation"
        );
        assert!(f.ends_with(".ron"), "{f}");
    }
}

/// `line` with its `FILE:LINE:COLUMN: ` numbers (two whole numbers from 1) written `LINE:COLUMN`.
fn located(line: &str) -> String {
    let Some((file, rest)) = line.split_once(".ron:") else {
        return line.to_string();
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(l), Some(c), Some(tail)) = (parts.next(), parts.next(), parts.next()) else {
        return line.to_string();
    };
    let number = |s: &str| s.parse::<usize>().is_ok_and(|n| n >= 1);
    if number(l) && number(c) {
        format!("{file}.ron:LINE:COLUMN:{tail}")
    } else {
        line.to_string()
    }
}

#[test]
fn each_bad_file_is_refused_at_its_place_with_its_words() {
    let mut names: Vec<&str> = EXPECTED.iter().map(|(n, _, _)| *n).collect();
    names.dedup();
    for name in names {
        let file = format!("tests/fixtures/bad/{name}.ron");
        let (code, stdout, stderr) = validate(&file);
        assert_eq!(code, 2, "{file}: exit code {code}\n{stdout}{stderr}");
        assert!(!stdout.contains("ok: "), "{file} passed:\n{stdout}");
        let rows: Vec<&(&str, Loc, &str)> =
            EXPECTED.iter().filter(|(n, _, _)| *n == name).collect();
        for (_, loc, words) in &rows {
            let expected = match loc {
                At(line, column) => format!("{file}:{line}:{column}: {words}"),
                // A broken rule is told at the line and column of the value in the file.
                Rule(path, found) => format!("{file}:LINE:COLUMN: {path}: {found}; {words}"),
            };
            assert!(
                stdout
                    .lines()
                    .any(|l| l.starts_with(&expected) || located(l).starts_with(&expected)),
                "{file}: expected a line starting with\n  {expected}\ngot\n{stdout}"
            );
        }
        // Exactly the expected problems: one line per problem.
        assert_eq!(stdout.lines().count(), rows.len(), "{file}:\n{stdout}");
        assert!(
            stderr.contains("error: 1 of 1 scenario invalid"),
            "{stderr}"
        );
    }
}

#[test]
fn no_bad_input_makes_the_program_panic() {
    let files = bad_files();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = treaty(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stdout.contains("panicked") && !stderr.contains("panicked"));
    assert!(!stdout.contains("ok: "), "{stdout}");
    for f in &files {
        assert!(stdout.contains(f.as_str()), "{f} not reported");
        let (code, out, err) = validate(f);
        assert_eq!(code, 2, "{f}");
        assert!(
            !out.contains("panicked") && !err.contains("panicked"),
            "{f}: {err}"
        );
    }
    assert!(
        stderr.contains(&format!(
            "error: {n} of {n} scenarios invalid",
            n = files.len()
        )),
        "{stderr}"
    );
}

/// A valid scenario with `n_actors` actors and `n_issues` issues.
fn sized(n_actors: usize, n_issues: usize) -> String {
    let issues: String = (0..n_issues)
        .map(|j| {
            format!("(id: \"I{j}\", name: \"n\", low: \"l\", high: \"h\", status_quo: 0.5),\n")
        })
        .collect();
    let actors: String = (0..n_actors)
        .map(|i| {
            format!(
                "(id: \"A{i}\", name: \"n\", role: Principal, capability: 1, \
                 stances: {{\"I0\": (position: 0.{}, salience: 1)}}),\n",
                i % 10
            )
        })
        .collect();
    format!(
        "(metadata: (name: \"sized\", description: \"d\"),\n issues: [\n{issues}],\n \
         actors: [\n{actors}],\n protocol: AlternatingOffers(max_rounds: 10))\n"
    )
}

#[test]
fn limits_on_actors_and_issues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (1000, 1000, None),
        (
            1001,
            1,
            Some(("actors", "found 1001 actors; allowed: at most 1000 actors")),
        ),
        (
            2,
            1001,
            Some(("issues", "found 1001 issues; allowed: at most 1000 issues")),
        ),
    ];
    for (n_actors, n_issues, problem) in cases {
        let file = dir.path().join(format!("sized-{n_actors}-{n_issues}.ron"));
        std::fs::write(&file, sized(n_actors, n_issues)).expect("write");
        let file = file.to_string_lossy().into_owned();
        let (code, stdout, _) = validate(&file);
        match problem {
            None => {
                assert_eq!(code, 0, "{stdout}");
                assert_eq!(
                    stdout,
                    format!(
                        "ok: {file} ({n_actors} actors, {n_issues} issues, AlternatingOffers)\n"
                    )
                );
            }
            Some((path, words)) => {
                assert_eq!(code, 2, "{stdout}");
                // At the line and column of the list in the file.
                assert_eq!(
                    located(&stdout),
                    format!("{file}:LINE:COLUMN: {path}: {words}\n")
                );
            }
        }
    }
}

#[test]
fn limits_on_the_lengths_of_ids_names_labels_and_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = |n: usize| "x".repeat(n);
    // What to replace in `sized(2, 1)`, its replacement made from a text, the limit, the path,
    // what is allowed.
    type Case = (
        &'static str,
        fn(&str) -> String,
        usize,
        &'static str,
        &'static str,
    );
    let cases: [Case; 8] = [
        (
            "\"A1\", name: \"n\"",
            |x| format!("\"{x}\", name: \"n\""),
            64,
            "actors[1].id",
            "an id of at most 64 characters",
        ),
        (
            "id: \"A0\", name: \"n\"",
            |x| format!("id: \"A0\", name: \"{x}\""),
            200,
            "actors[\"A0\"].name",
            "a name of at most 200 characters",
        ),
        (
            "name: \"sized\"",
            |x| format!("name: \"{x}\""),
            200,
            "metadata.name",
            "a name of at most 200 characters",
        ),
        (
            "description: \"d\"",
            |x| format!("description: \"{x}\""),
            2000,
            "metadata.description",
            "a description of at most 2000 characters",
        ),
        (
            "description: \"d\"",
            |x| format!("description: \"d\", sources: [\"ok\", \"{x}\"]"),
            2000,
            "metadata.sources[1]",
            "a source of at most 2000 characters",
        ),
        (
            "name: \"n\", low",
            |x| format!("name: \"{x}\", low"),
            200,
            "issues[\"I0\"].name",
            "a name of at most 200 characters",
        ),
        (
            "low: \"l\"",
            |x| format!("low: \"{x}\""),
            200,
            "issues[\"I0\"].low",
            "a pole description of at most 200 characters",
        ),
        (
            "high: \"h\"",
            |x| format!("high: \"{x}\""),
            200,
            "issues[\"I0\"].high",
            "a pole description of at most 200 characters",
        ),
    ];
    for (k, (from, to, limit, path, allowed)) in cases.iter().enumerate() {
        let base = sized(2, 1);
        assert!(base.contains(from), "{from} not in\n{base}");
        let file = dir.path().join(format!("long-{k}.ron"));
        let file_name = file.to_string_lossy().into_owned();
        // At the limit: accepted (an id at the limit is also the stance key's id only for A1,
        // which no stance names).
        std::fs::write(&file, base.replacen(from, &to(&long(*limit)), 1)).expect("write");
        let (code, stdout, _) = validate(&file_name);
        assert_eq!(code, 0, "{path} at {limit}: {stdout}");
        // One over: refused with its length; and a very long one is refused the same way.
        for n in [limit + 1, 65_536] {
            std::fs::write(&file, base.replacen(from, &to(&long(n)), 1)).expect("write");
            let (code, stdout, stderr) = validate(&file_name);
            assert_eq!(code, 2, "{path} at {n}: {stdout}");
            assert_eq!(
                located(&stdout),
                format!(
                    "{file_name}:LINE:COLUMN: {path}: found {n} characters; allowed: {allowed}\n"
                ),
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    // Option and event labels.
    let base = sized(2, 1)
        .replacen(
            "status_quo: 0.5)",
            "status_quo: 0.5, options: [(at: 0, label: \"a\"), (at: 1, label: \"LABEL\")])",
            1,
        )
        .replacen(
            "max_rounds: 10))",
            "max_rounds: 10), events: [(label: \"EVENT\", at: Round(2), \
             effects: [Capability(actor: \"A0\", change: Scale(2))])])",
            1,
        );
    let file = dir.path().join("labels.ron");
    let file_name = file.to_string_lossy().into_owned();
    std::fs::write(
        &file,
        base.replace("LABEL", &long(200))
            .replace("EVENT", &long(200)),
    )
    .expect("write");
    let (code, stdout, _) = validate(&file_name);
    assert_eq!(code, 0, "{stdout}");
    std::fs::write(
        &file,
        base.replace("LABEL", &long(201))
            .replace("EVENT", &long(65_536)),
    )
    .expect("write");
    let (code, stdout, _) = validate(&file_name);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        format!(
            "{file_name}:3:107: issues[\"I0\"].options[1].label: found 201 characters; allowed: a label of at most 200 characters\n\
             {file_name}:9:64: events[0].label: found 65536 characters; allowed: a label of at most 200 characters\n"
        ),
    );
}

#[test]
fn a_file_over_16_mib_is_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("huge.ron");
    // Valid RON up to the limit (a comment), so only the size can be the problem.
    let mut text = sized(2, 1);
    text.push_str("// ");
    text.push_str(&"x".repeat(16 * 1024 * 1024 - text.len()));
    std::fs::write(&file, &text).expect("write");
    let name = file.to_string_lossy().into_owned();
    let (code, stdout, _) = validate(&name);
    assert_eq!(code, 0, "exactly 16 MiB is accepted: {stdout}");
    text.push('x');
    std::fs::write(&file, &text).expect("write");
    let (code, stdout, _) = validate(&name);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        format!(
            "{name}: the file is 16777217 bytes; scenario files are limited to 16777216 bytes (16 MiB)\n"
        )
    );
}

#[test]
fn missing_files_directories_and_unknown_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_string_lossy().into_owned();
    let (code, stdout, _) = validate(&d);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        format!("{d}: is a directory, not a scenario file (give the .ron file inside it)\n")
    );

    let missing = format!("{d}/missing.ron");
    let (code, stdout, _) = validate(&missing);
    assert_eq!(code, 2);
    assert_eq!(stdout, format!("{missing}: no such file\n"));

    let (code, stdout, _) = validate("no-such-scenario");
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with(
            "no-such-scenario: no such file, and no bundled scenario of that name (bundled: "
        ),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_is_read_no_further_than_the_limit() {
    // /dev/zero reports size 0 but never ends: the read stops after the limit.
    let (code, stdout, _) = validate("/dev/zero");
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with("/dev/zero: the file is 16777217 bytes"),
        "{stdout}"
    );
}

#[test]
fn a_bad_set_value_is_blamed_on_the_override_not_the_file() {
    let stderr = treaty_fails(
        2,
        &["run", "karabakh-2023", "--set", "actors.RUS.capability=-1"],
    );
    assert_eq!(
        stderr,
        "error: karabakh-2023: 1 problem from --set\n\
         --set actors.RUS.capability=-1: found -1; allowed: a number or distribution in (0, 1e12]\n"
    );
    // An override that breaks another part of the scenario is named with that part's path; the
    // file's own problems stay the file's.
    let stderr = treaty_fails(
        2,
        &[
            "run",
            "karabakh-2023",
            "--set",
            "perception_noise=-1",
            "--set",
            "protocol.max_rounds=1",
            "--set",
            "actors.RUS.capability=0.5",
        ],
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: karabakh-2023: ") && lines[0].ends_with("from --set"),
        "{stderr}"
    );
    assert!(
        lines.contains(
            &"--set perception_noise=-1: found -1; allowed: a number or distribution in [0, 1e12]"
        ),
        "{stderr}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("--set protocol.max_rounds=1: events[")
                || l.starts_with("--set perception_noise=-1: ")),
        "{stderr}"
    );
}

#[test]
fn an_override_that_cannot_be_applied_is_told_once() {
    let stderr = treaty_fails(
        2,
        &["run", "karabakh-2023", "--set", "actors.XXX.capability=1"],
    );
    assert_eq!(
        stderr,
        "error: --set actors.XXX.capability: no actor \"XXX\"; allowed: one of ARM, AZE, RUS, \
         TUR, EU, USA\n"
    );
    let stderr = treaty_fails(
        2,
        &[
            "run",
            "karabakh-2023",
            "--set",
            "actors.RUS.capability=high",
        ],
    );
    assert!(
        stderr.starts_with("error: --set actors.RUS.capability=high: expected a number"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("expected a number").count(), 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_value_of_the_wrong_type_is_named_by_its_path_at_its_place() {
    let dir = tempfile::tempdir().expect("scratch");
    let text = std::fs::read_to_string("tests/fixtures/good/pie-split.ron").expect("fixture");
    let bad = text.replacen("salience: 1)", "salience: \"high\")", 1);
    assert_ne!(bad, text);
    let file = dir.path().join("salience.ron");
    std::fs::write(&file, &bad).expect("write");
    let file = file.to_string_lossy().into_owned();
    let (code, stdout, _) = validate(&file);
    assert_eq!(code, 2);
    let line = 1 + bad[..bad.find("\"high\"").unwrap()].matches('\n').count();
    assert_eq!(
        stdout,
        format!(
            "{file}:{line}:55: actors[\"A\"].stances[\"share_A\"].salience: found the string \
             \"high\"; allowed: a number or a distribution: Normal(mean, sd), Uniform(lo, hi) or \
             Triangular(lo, mode, hi)\n"
        )
    );
}

/// A file that switches on RON extensions of its own is not read in parts (a part read without
/// them could report problems the file does not have): only its first problem is told.
#[test]
fn a_file_with_extensions_of_its_own_reports_its_first_parse_error_only() {
    let dir = tempfile::tempdir().expect("scratch");
    let text =
        std::fs::read_to_string("tests/fixtures/bad/several-parse-errors.ron").expect("fixture");
    let file = dir.path().join("extensions.ron");
    std::fs::write(&file, format!("#![enable(implicit_some)]\n{text}")).expect("write");
    let file = file.to_string_lossy().into_owned();
    let (code, stdout, _) = validate(&file);
    assert_eq!(code, 2);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(&format!("{file}:19:24: unknown field `lable` in an option")),
        "{stdout}"
    );
}

#[test]
fn loss_is_set_from_the_command_line_and_refused_where_it_has_no_meaning() {
    // Accepted where it is honoured: the run differs from the linear one.
    let linear =
        crate::common::treaty_ok(&["run", "mediated-water", "--runs", "20", "--seed", "3"]);
    let quadratic = crate::common::treaty_ok(&[
        "run",
        "mediated-water",
        "--runs",
        "20",
        "--seed",
        "3",
        "--set",
        "loss=Quadratic",
    ]);
    assert_ne!(linear, quadratic);
    let same = crate::common::treaty_ok(&[
        "run",
        "mediated-water",
        "--runs",
        "20",
        "--seed",
        "3",
        "--set",
        "loss=Linear",
    ]);
    // The default, named: the same report but for the line that lists the overrides.
    let same = String::from_utf8_lossy(&same).replace("overrides: loss=Linear\n", "");
    assert_eq!(String::from_utf8_lossy(&linear), same);
    // Refused under the expected-utility model, blamed on the override, naming both fields.
    let stderr = treaty_fails(
        2,
        &["run", "expected-utility-toy", "--set", "loss=Quadratic"],
    );
    assert!(
        stderr.contains(
            "--set loss=Quadratic: found Quadratic with protocol ExpectedUtility; allowed: \
             Linear under protocol ExpectedUtility"
        ),
        "{stderr}"
    );
    // Refused for Baron–Ferejohn equilibrium play, at each equilibrium player's strategy.
    let stderr = treaty_fails(2, &["run", "baron-ferejohn", "--set", "loss=Quadratic"]);
    assert!(
        stderr.contains("strategy: found Equilibrium with loss: Quadratic"),
        "{stderr}"
    );
    // An unknown loss names the allowed ones.
    let stderr = treaty_fails(2, &["run", "mediated-water", "--set", "loss=Cubic"]);
    assert!(stderr.contains("--set loss=Cubic"), "{stderr}");
    assert!(
        stderr.contains("Linear") && stderr.contains("Quadratic"),
        "{stderr}"
    );
}
