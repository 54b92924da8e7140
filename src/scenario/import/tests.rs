//! Unit tests of the importer: reading CSV, scaling, grouping, templates, and every error at
//! its line and column.

use super::csvfile;
use super::*;
use crate::scenario::schema::ProtocolSpec;
use std::path::Path;

const CASES: &str = "\
case,proposal,short_name,procedure,rule,status_quo,outcome
c1,p1,fish,COD,QMV,0.2,0.6
c2,p1,fish,COD,QMV,,0.4
c3,p2,tax,CNS,Unan,1,
";

const STANCES: &str = "\
case,actor,position,salience
c1,A,0.1,0.5
c1,B,0.9,1
c1,C,0.5,0
c2,A,0.3,0.4
c2,C,0.7,0.6
c3,B,0,1
c3,C,1,0.2
";

const ACTORS: &str = "\
actor,name,capability
A,Alpha,1
B,,0.5
C,Gamma,0.25
";

/// A folder with the three files.
fn folder(cases: &str, stances: &str, actors: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch folder");
    for (name, text) in [
        ("cases.csv", cases),
        ("stances.csv", stances),
        ("actors.csv", actors),
    ] {
        std::fs::write(dir.path().join(name), text).expect("a fixture writes");
    }
    dir
}

fn template(name: &str) -> Template {
    Template::load(name).expect("a bundled template")
}

fn by_case() -> TidyOptions {
    TidyOptions::default()
}

/// The error of a tidy import, as `(file name, line, column, message)`.
fn tidy_error(dir: &Path, options: &TidyOptions) -> (String, usize, usize, String) {
    match tidy(dir, &template("alternating-offers"), options) {
        Err(ScenarioError::Table {
            file,
            line,
            column,
            message,
        }) => {
            let name = Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, line, column, message)
        }
        other => panic!("expected a table error, got {other:?}"),
    }
}

fn parsed(source: &Source) -> Scenario {
    parse(source).expect("the written text parses")
}

#[test]
fn bundled_templates_load_and_are_listed() {
    assert_eq!(
        templates(),
        &["alternating-offers", "mediated", "expected-utility"]
    );
    for name in templates() {
        let t = template(name);
        assert_eq!(t.name(), *name);
        assert!(t.prototype.is_some(), "{name} has a prototype");
        assert!(template_text(name).is_some_and(|s| s.starts_with("// Template")));
    }
    assert!(template_text("nope").is_none());
    let e = Template::load("nope").expect_err("unknown");
    assert!(e.to_string().contains("no bundled template"), "{e}");
}

#[test]
fn tidy_by_case_gives_one_scenario_per_case_in_order() {
    let dir = folder(CASES, STANCES, ACTORS);
    let cases = tidy(dir.path(), &template("alternating-offers"), &by_case()).expect("imports");
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["c1", "c2", "c3"]);
    let c1 = &cases[0];
    assert_eq!(
        c1.source.file,
        dir.path().join("c1.ron").display().to_string()
    );
    let s = parsed(&c1.source);
    assert_eq!(s.issues.len(), 1);
    assert_eq!(s.issues[0].name, "fish (c1)");
    assert_eq!(s.issues[0].status_quo, Value::Const(0.2));
    // C has salience 0 on c1, its only issue here: left out, and said so.
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A", "B"]);
    assert!(
        c1.source
            .text
            .contains("Left out, with salience 0 on every issue here: C.")
    );
    assert_eq!(s.actors[1].name, "B", "an empty name falls back on the id");
    assert_eq!(s.actors[1].capability, Value::Const(0.5));
    assert_eq!(
        c1.issues[0].tags,
        vec![
            ("proposal".to_string(), "p1".to_string()),
            ("short_name".to_string(), "fish".to_string()),
            ("procedure".to_string(), "COD".to_string()),
            ("rule".to_string(), "QMV".to_string()),
        ]
    );
    assert_eq!(c1.issues[0].outcome, Some(0.6));
    assert!(c1.issues[0].status_quo_recorded);
    // An empty outcome is None.
    assert_eq!(cases[2].issues[0].outcome, None);
}

#[test]
fn an_empty_status_quo_is_the_midpoint_and_said_so() {
    let dir = folder(CASES, STANCES, ACTORS);
    let cases = tidy(dir.path(), &template("mediated"), &by_case()).expect("imports");
    let c2 = &cases[1];
    assert!(!c2.issues[0].status_quo_recorded);
    assert_eq!(parsed(&c2.source).issues[0].status_quo, Value::Const(0.5));
    assert!(
        c2.source
            .text
            .contains("// case c2: no recorded status quo; 0.5, the scale's midpoint, assumed")
    );
}

#[test]
fn tidy_by_proposal_gives_multi_issue_scenarios() {
    let dir = folder(CASES, STANCES, ACTORS);
    let options = TidyOptions {
        grouping: Grouping::Proposal,
        scale: 1.0,
    };
    let cases = tidy(dir.path(), &template("alternating-offers"), &options).expect("imports");
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["p1", "p2"]);
    let s = parsed(&cases[0].source);
    let issues: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(issues, ["c1", "c2"]);
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C"], "C cares about c2");
    // B has no stance on c2: none is written.
    assert_eq!(s.actors[1].stances.len(), 1);
    assert_eq!(
        s.actors[2].stances.get("c1").map(|x| x.salience),
        Some(Value::Const(0.0))
    );
    assert_eq!(cases[0].issues.len(), 2);
}

#[test]
fn grouping_by_proposal_needs_the_column() {
    let cases = "case,status_quo,outcome\nc1,0.2,0.6\n";
    let dir = folder(cases, STANCES, ACTORS);
    let options = TidyOptions {
        grouping: Grouping::Proposal,
        scale: 1.0,
    };
    let (file, line, column, message) = tidy_error(dir.path(), &options);
    assert_eq!((file.as_str(), line, column), ("cases.csv", 1, 1));
    assert!(message.contains("`proposal`"), "{message}");
}

#[test]
fn the_prototype_and_the_chair_are_applied() {
    let dir = folder(CASES, STANCES, ACTORS);
    let cases = tidy(dir.path(), &template("mediated"), &by_case()).expect("imports");
    let s = parsed(&cases[0].source);
    assert_eq!(s.actors[0].id, "CHAIR");
    assert_eq!(s.actors[0].role, RoleSpec::Mediator);
    let chair = s.actors[0].stances.get("c1").expect("a stance");
    assert_eq!(chair.position, Value::Const(0.5));
    assert_eq!(chair.salience, Value::Const(1.0));
    assert!(matches!(s.protocol, ProtocolSpec::Mediated { .. }));
    assert_eq!(s.perception_noise, Value::Const(0.05));
    assert_eq!(s.interdependence, Value::Const(0.0));
    assert!(
        s.metadata
            .sources
            .iter()
            .any(|x| x.ends_with("stances.csv"))
    );

    let custom = "(metadata: (name: \"t\", description: \"d\", sources: [\"S\"]), issues: [],
        actors: [(id: \"_\", name: \"p\", role: Principal, capability: 9, risk: 0.5,
                  reservation: 0.2, strategy: Boulware(beta: 0.3), optimism: 0.1)],
        protocol: AlternatingOffers(max_rounds: 7))";
    let path = dir.path().join("t.ron");
    std::fs::write(&path, custom).expect("writes");
    let t = Template::load(&path.display().to_string()).expect("loads");
    let cases = tidy(dir.path(), &t, &by_case()).expect("imports");
    let s = parsed(&cases[0].source);
    let a = &s.actors[0];
    assert_eq!(a.capability, Value::Const(1.0), "capability from the table");
    assert_eq!(a.risk, Value::Const(0.5));
    assert_eq!(a.reservation, Value::Const(0.2));
    assert_eq!(a.optimism, Value::Const(0.1));
    assert!(matches!(a.strategy, StrategySpec::Boulware { .. }));
    assert_eq!(s.metadata.sources[0], "S");
    assert_eq!(s.metadata.sources.len(), 4);
}

#[test]
fn without_a_prototype_actors_are_default_principals() {
    let dir = folder(CASES, STANCES, ACTORS);
    let custom = "(metadata: (name: \"t\", description: \"d\"), issues: [], actors: [],
        protocol: ExpectedUtility(max_rounds: 3))";
    let path = dir.path().join("t.ron");
    std::fs::write(&path, custom).expect("writes");
    let t = Template::load(&path.display().to_string()).expect("loads");
    let cases = tidy(dir.path(), &t, &by_case()).expect("imports");
    let s = parsed(&cases[0].source);
    assert!(s.actors.iter().all(|a| a.role == RoleSpec::Principal
        && a.risk == Value::Const(1.0)
        && a.strategy == StrategySpec::Linear));
}

#[test]
fn templates_that_name_issues_are_refused() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let bad = [
        (
            "issues: [(id: \"X\", name: \"x\", low: \"l\", high: \"h\", status_quo: 0)], actors: []",
            "issues",
        ),
        (
            "issues: [], actors: [], events: [(label: \"e\", at: Round(2), \
             effects: [StatusQuo(issue: \"X\", change: Set(0.1))])]",
            "events[0].effects[0]",
        ),
        (
            "issues: [], actors: [(id: \"M\", name: \"m\", role: Mediator, capability: 1)], \
             relations: [(a: \"M\", b: \"COM\", strength: 0.5)]",
            "relations[0].b",
        ),
    ];
    for (k, (body, path)) in bad.iter().enumerate() {
        let text = format!(
            "(metadata: (name: \"t\", description: \"d\"), {body}, \
             protocol: ExpectedUtility(max_rounds: 3))"
        );
        let file = dir.path().join(format!("t{k}.ron"));
        std::fs::write(&file, text).expect("writes");
        match Template::load(&file.display().to_string()) {
            Err(ScenarioError::Invalid { problems, .. }) => {
                assert_eq!(problems[0].path, *path, "{problems:?}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn scale_100_divides_positions_status_quos_and_outcomes() {
    let cases = "case,status_quo,outcome\nc1,20,60\n";
    let stances = "case,actor,position,salience\nc1,A,10,50\nc1,B,90,100\n";
    let dir = folder(cases, stances, ACTORS);
    let options = TidyOptions {
        grouping: Grouping::Case,
        scale: 100.0,
    };
    let out = tidy(dir.path(), &template("alternating-offers"), &options).expect("imports");
    let s = parsed(&out[0].source);
    assert_eq!(s.issues[0].status_quo, Value::Const(0.2));
    assert_eq!(out[0].issues[0].outcome, Some(0.6));
    let a = s.actors[0].stances.get("c1").expect("a stance");
    assert_eq!(a.position, Value::Const(0.1));
    // Saliences above 1: divided by the table's largest, 100.
    assert_eq!(a.salience, Value::Const(0.5));
    assert!(
        out[0]
            .source
            .text
            .contains("divided by its largest salience, 100")
    );
    // Without the scale, 20 is out of range at its cell.
    let (file, line, column, message) = tidy_error(dir.path(), &by_case());
    assert_eq!((file.as_str(), line, column), ("cases.csv", 2, 2));
    assert!(
        message.starts_with("column 2 (status_quo): `20` is outside [0, 1]"),
        "{message}"
    );
}

#[test]
fn the_same_input_gives_the_same_text() {
    let dir = folder(CASES, STANCES, ACTORS);
    let a = tidy(dir.path(), &template("mediated"), &by_case()).expect("imports");
    let b = tidy(dir.path(), &template("mediated"), &by_case()).expect("imports");
    let texts = |x: &[ImportedCase]| x.iter().map(|c| c.source.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&a), texts(&b));
}

#[test]
fn numbers_round_trip_exactly() {
    let stances = "case,actor,position,salience\nc1,A,0.1234567890123456,0.3\nc1,B,0.7,0.1\n";
    let cases = "case,status_quo,outcome\nc1,0.30000000000000004,\n";
    let dir = folder(cases, stances, ACTORS);
    let out = tidy(dir.path(), &template("alternating-offers"), &by_case()).expect("imports");
    let s = parsed(&out[0].source);
    assert_eq!(s.issues[0].status_quo, Value::Const(0.30000000000000004));
    assert_eq!(
        s.actors[0].stances.get("c1").map(|x| x.position),
        Some(Value::Const(0.1234567890123456))
    );
}

/// A bad tidy folder: its three files, where the error is reported, how its message starts.
type BadFolder = (
    String,
    String,
    String,
    (&'static str, usize, usize),
    &'static str,
);

/// Each bad input, and where it is reported.
#[test]
fn bad_rows_are_located_by_file_line_and_column() {
    let cases_with = |row: &str| format!("{CASES}{row}\n");
    let stances_with = |row: &str| format!("{STANCES}{row}\n");
    let actors_with = |row: &str| format!("{ACTORS}{row}\n");
    let table: Vec<BadFolder> = vec![
        // A missing required column.
        (
            CASES.replace("outcome", "result"),
            STANCES.into(),
            ACTORS.into(),
            ("cases.csv", 1, 1),
            "the header lacks a column `outcome`",
        ),
        (
            CASES.into(),
            STANCES.replace("salience", "weight"),
            ACTORS.into(),
            ("stances.csv", 1, 1),
            "the header lacks a column `salience`",
        ),
        // Not a number.
        (
            CASES.into(),
            stances_with("c3,A,high,1"),
            ACTORS.into(),
            ("stances.csv", 9, 3),
            "column 3 (position): `high` is not a number",
        ),
        // Outside [0, 1].
        (
            CASES.into(),
            stances_with("c3,A,1.5,1"),
            ACTORS.into(),
            ("stances.csv", 9, 3),
            "column 3 (position): `1.5` is outside [0, 1]",
        ),
        (
            cases_with("c4,p3,x,COD,QMV,0.5,-0.1"),
            STANCES.into(),
            ACTORS.into(),
            ("cases.csv", 5, 7),
            "column 7 (outcome): `-0.1` is outside [0, 1]",
        ),
        // Negative salience and capability.
        (
            CASES.into(),
            stances_with("c3,A,0.5,-1"),
            ACTORS.into(),
            ("stances.csv", 9, 4),
            "column 4 (salience): a negative salience",
        ),
        (
            CASES.into(),
            STANCES.into(),
            actors_with("D,Delta,-2"),
            ("actors.csv", 5, 3),
            "column 3 (capability): a negative capability",
        ),
        (
            CASES.into(),
            STANCES.into(),
            actors_with("D,Delta,0"),
            ("actors.csv", 5, 3),
            "column 3 (capability): a capability of 0",
        ),
        // Unknown actor and case.
        (
            CASES.into(),
            stances_with("c3,Z,0.5,1"),
            ACTORS.into(),
            ("stances.csv", 9, 2),
            "column 2 (actor): unknown actor `Z`",
        ),
        (
            CASES.into(),
            stances_with("c9,A,0.5,1"),
            ACTORS.into(),
            ("stances.csv", 9, 1),
            "column 1 (case): unknown case `c9`",
        ),
        // A duplicate stance.
        (
            CASES.into(),
            stances_with("c1,B,0.5,1"),
            ACTORS.into(),
            ("stances.csv", 9, 2),
            "column 2 (actor): a second stance of `B` on case `c1` (first on line 3)",
        ),
        // A duplicate case.
        (
            cases_with("c2,p1,fish,COD,QMV,0.5,0.5"),
            STANCES.into(),
            ACTORS.into(),
            ("cases.csv", 5, 1),
            "column 1 (case): case `c2` again (first on line 3)",
        ),
        // An invalid actor id.
        (
            CASES.into(),
            STANCES.into(),
            actors_with("New Land,N,1"),
            ("actors.csv", 5, 1),
            "column 1 (actor): `New Land` is not a valid actor id",
        ),
        // Fewer than two actors with a positive salience.
        (
            cases_with("c4,p3,x,COD,QMV,0.5,0.5"),
            stances_with("c4,A,0.5,1\nc4,B,0.5,0"),
            ACTORS.into(),
            ("cases.csv", 5, 1),
            "case `c4` has only one actor (A) with a positive salience",
        ),
        // A row of the wrong length.
        (
            CASES.into(),
            stances_with("c3,A,0.5"),
            ACTORS.into(),
            ("stances.csv", 9, 1),
            "3 fields where the header has 4",
        ),
    ];
    for (cases, stances, actors, at, start) in table {
        let dir = folder(&cases, &stances, &actors);
        let (file, line, column, message) = tidy_error(dir.path(), &by_case());
        assert_eq!((file.as_str(), line, column), at, "{message}");
        assert!(
            message.starts_with(start),
            "{message} should start with {start}"
        );
    }
}

#[test]
fn a_missing_file_is_named() {
    let dir = folder(CASES, STANCES, ACTORS);
    std::fs::remove_file(dir.path().join("actors.csv")).expect("removes");
    match tidy(dir.path(), &template("mediated"), &by_case()) {
        Err(ScenarioError::Io { file, message }) => {
            assert!(file.ends_with("actors.csv"), "{file}");
            assert_eq!(message, "no such file");
        }
        other => panic!("expected an io error, got {other:?}"),
    }
}

#[test]
fn an_actor_named_like_a_template_actor_is_refused() {
    let dir = folder(CASES, STANCES, &format!("{ACTORS}CHAIR,Chair,1\n"));
    match tidy(dir.path(), &template("mediated"), &by_case()) {
        Err(ScenarioError::Table {
            line,
            column,
            message,
            ..
        }) => {
            assert_eq!((line, column), (5, 1));
            assert!(
                message.contains("also an actor of the template"),
                "{message}"
            );
        }
        other => panic!("expected a table error, got {other:?}"),
    }
}

#[test]
fn csv_lines_count_from_the_header_and_through_quoted_line_breaks() {
    let text = b"a,b\n\"x\ny\",1\nz,2\n";
    let csv = csvfile::parse("t.csv", text).expect("parses");
    let lines: Vec<usize> = csv.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4]);
    assert!(matches!(
        csvfile::parse("t.csv", b""),
        Err(ScenarioError::Table {
            line: 1,
            column: 1,
            ..
        })
    ));
    assert!(matches!(
        csvfile::parse("t.csv", b"a,b\n1,\xff\n"),
        Err(ScenarioError::Table { line: 2, .. })
    ));
}

#[test]
fn ids_are_made_from_free_text() {
    assert_eq!(csvfile::to_id("United States"), "United_States");
    assert_eq!(csvfile::to_id(" a / b "), "a_b");
    assert!(csvfile::is_id("d00032i1"));
    assert!(!csvfile::is_id("a b"));
    assert!(!csvfile::is_id(""));
}

/// Writes `text` as `name` in a fresh folder; returns the folder and the file's path.
fn one_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("writes");
    (dir, path)
}

#[test]
fn actor_tables_in_both_column_styles_give_the_same_scenario() {
    let underscore = "actor,capability,trade_position,trade_salience,Visa_Position,Visa_Salience
US,1,0.2,0.9,0.5,0.1
EU,0.8,0.6,0.5,0.9,0.7
CN,0.9,0.9,1,,
";
    let spaced = "Actor,Power,trade position,trade salience,Visa position,Visa salience
US,1,0.2,0.9,0.5,0.1
EU,0.8,0.6,0.5,0.9,0.7
CN,0.9,0.9,1,,
";
    let (_d1, p1) = one_file("talks.csv", underscore);
    let (_d2, p2) = one_file("talks.csv", spaced);
    let options = TableOptions {
        scale: 1.0,
        status_quo: vec![("trade".into(), 0.3)],
        name: None,
    };
    let t = template("expected-utility");
    let a = parsed(&table(&p1, &t, &options).expect("imports"));
    let b = parsed(&table(&p2, &t, &options).expect("imports"));
    assert_eq!(a.issues, b.issues);
    assert_eq!(a.actors, b.actors);
    let ids: Vec<&str> = a.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["trade", "Visa"]);
    assert_eq!(a.issues[0].status_quo, Value::Const(0.3));
    assert_eq!(a.issues[1].status_quo, Value::Const(0.5));
    assert_eq!(a.metadata.name, "talks");
    // CN's empty cells: no stance on Visa.
    assert_eq!(a.actors[2].stances.len(), 1);
    let source = table(&p1, &t, &options).expect("imports");
    assert!(source.file.ends_with("talks.ron"));
    assert!(source.text.contains("// issue Visa: no status quo given"));
}

#[test]
fn a_single_issue_table_on_0_100() {
    let text = "name,clout,position,salience
United States,100,20,90
Europe,80,60,50
China,90,90,100
";
    let (_d, path) = one_file("ktab.csv", text);
    let options = TableOptions {
        scale: 100.0,
        status_quo: vec![("climate".into(), 40.0)],
        name: Some("climate".into()),
    };
    let s = parsed(&table(&path, &template("alternating-offers"), &options).expect("imports"));
    assert_eq!(s.issues.len(), 1);
    assert_eq!(s.issues[0].id, "climate");
    assert_eq!(s.issues[0].status_quo, Value::Const(0.4));
    assert_eq!(s.actors[0].id, "United_States");
    assert_eq!(s.actors[0].name, "United States");
    let st = s.actors[2].stances.get("climate").expect("a stance");
    assert_eq!(st.position, Value::Const(0.9));
    assert_eq!(st.salience, Value::Const(1.0));
    assert_eq!(s.actors[0].capability, Value::Const(100.0));
}

#[test]
fn actor_table_errors_are_located() {
    let t = template("expected-utility");
    let options = TableOptions::default();
    let cases: [(&str, (usize, usize), &str); 6] = [
        (
            "actor,position,salience\nA,0.1,1\nB,0.2,1\n",
            (1, 1),
            "the header lacks a column `capability`, `power` or `clout`",
        ),
        (
            "actor,capability,x_position\nA,1,0.1\nB,1,0.2\n",
            (1, 3),
            "column 3 (x_position): no matching salience column",
        ),
        ("actor,capability\nA,1\nB,1\n", (1, 1), "no issue columns"),
        (
            "actor,capability,position,salience\nA,1,0.1,1\nB,1,7,1\n",
            (3, 3),
            "column 3 (position): `7` is outside [0, 1]",
        ),
        (
            "actor,capability,position,salience\nA,1,0.1,1\nA,1,0.2,1\n",
            (3, 1),
            "column 1 (actor): actor `A` again (first on line 2)",
        ),
        (
            "actor,capability,position,salience\nA,1,0.1,1\nB,1,0.2,0\n",
            (1, 1),
            "only one actor (A) with a positive salience",
        ),
    ];
    for (text, at, start) in cases {
        let (_d, path) = one_file("t.csv", text);
        match table(&path, &t, &options) {
            Err(ScenarioError::Table {
                line,
                column,
                message,
                ..
            }) => {
                assert_eq!((line, column), at, "{message}");
                assert!(
                    message.starts_with(start),
                    "{message} should start with {start}"
                );
            }
            other => panic!("expected a table error for {text:?}, got {other:?}"),
        }
    }
    let (_d, path) = one_file(
        "t.csv",
        "actor,capability,position,salience\nA,1,0.1,1\nB,1,0.2,1\n",
    );
    let unknown = TableOptions {
        status_quo: vec![("nope".into(), 0.5)],
        ..TableOptions::default()
    };
    match table(&path, &t, &unknown) {
        Err(ScenarioError::Invalid { problems, .. }) => {
            assert_eq!(problems[0].path, "status_quo[0]");
            assert!(problems[0].allowed.contains("t"), "{:?}", problems[0]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read() {
    let text = "\u{feff}case,status_quo,outcome\r\nc1,0.2,0.6\r\n";
    let dir = folder(
        text,
        STANCES
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\r\n")
            .as_str(),
        ACTORS,
    );
    let out = tidy(dir.path(), &template("mediated"), &by_case()).expect("imports");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].issues[0].outcome, Some(0.6));
}

#[test]
fn a_scale_that_is_not_positive_is_refused() {
    let dir = folder(CASES, STANCES, ACTORS);
    let options = TidyOptions {
        grouping: Grouping::Case,
        scale: 0.0,
    };
    assert!(matches!(
        tidy(dir.path(), &template("mediated"), &options),
        Err(ScenarioError::Invalid { .. })
    ));
}

// ---- GENIUS and GeniusWeb domains ----

const GENIUS: &str = "tests/fixtures/import/genius";
const GENIUSWEB: &str = "tests/fixtures/import/geniusweb";

fn fixture(dir: &str, name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(name)
}

fn deal(template_name: &str) -> ImportedDomain {
    genius(
        &fixture(GENIUS, "deal-domain.xml"),
        &[
            fixture(GENIUS, "deal-buyer.xml"),
            fixture(GENIUS, "deal-seller.xml"),
        ],
        &template(template_name),
        &DomainOptions::default(),
    )
    .expect("the bilateral domain imports")
}

/// (position, salience) of every stance of actor `id`, by issue id.
fn stances_of(s: &Scenario, id: &str) -> Vec<(String, f64, f64)> {
    let actor = s.actors.iter().find(|a| a.id == id).expect("the actor");
    actor
        .stances
        .iter()
        .map(|(issue, st)| match (&st.position, &st.salience) {
            (Value::Const(p), Value::Const(s)) => (issue.to_string(), *p, *s),
            other => panic!("constant stances expected, got {other:?}"),
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn a_bilateral_genius_domain_maps_exactly() {
    let imported = deal("alternating-offers");
    let s = parse(&imported.source).expect("the text parses");
    // Options: named values on the principal axis (opposed profiles: evenly by evaluation),
    // integers one option each, a real issue continuous.
    let colour: Vec<(f64, &str)> = s.issues[0]
        .options
        .iter()
        .map(|o| (o.at, o.label.as_str()))
        .collect();
    assert_eq!(colour, [(0.0, "red"), (0.5, "green"), (1.0, "blue")]);
    assert_eq!(s.issues[1].options.len(), 11);
    assert!(close(s.issues[1].options[3].at, 0.3));
    assert_eq!(s.issues[1].options[3].label, "3");
    assert!(s.issues[2].options.is_empty());
    assert_eq!(s.issues[2].id, "Delivery_time");
    // Ideals at the best values; saliences ∝ weights (evaluations span [0, 1], ideals at poles).
    let buyer = stances_of(&s, "deal-buyer");
    let expected = [(0.0, 0.5 / 0.5), (1.0, 0.3 / 0.5), (0.0, 0.2 / 0.5)];
    for ((_, p, sal), (ep, es)) in buyer.iter().zip(expected) {
        assert!(close(*p, ep) && close(*sal, es), "{buyer:?}");
    }
    let seller = stances_of(&s, "deal-seller");
    let expected = [(1.0, 0.2 / 0.5), (0.0, 0.5 / 0.5), (1.0, 0.3 / 0.5)];
    for ((_, p, sal), (ep, es)) in seller.iter().zip(expected) {
        assert!(close(*p, ep) && close(*sal, es), "{seller:?}");
    }
    // Reservations on a profile scale [0, 1] stay; the discount becomes δ = d^(1/T), T = 20.
    assert_eq!(s.actors[0].reservation, Value::Const(0.3));
    assert_eq!(s.actors[1].reservation, Value::Const(0.4));
    let ProtocolSpec::AlternatingOffers { discount, .. } = &s.protocol else {
        panic!("alternating offers")
    };
    let Some(Value::Const(delta)) = discount.get("deal-buyer") else {
        panic!("a discount for the buyer: {discount:?}")
    };
    assert!(close(delta.powi(20), 0.9), "{delta}");
    assert!(discount.get("deal-seller").is_none(), "no discount: d = 1");
    for fit in &imported.fits {
        assert!(fit.max_error < 1e-12, "{fit:?}");
    }
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    crate::scenario::prepare(&imported.source, &[]).expect("the scenario is a model");
    // The same input gives the same bytes.
    assert_eq!(deal("alternating-offers").source.text, imported.source.text);
}

#[test]
fn a_protocol_without_discounts_drops_them_with_a_warning() {
    let imported = deal("mediated");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("deal-buyer.xml") && w.contains("discount factor 0.9 is dropped")),
        "{:?}",
        imported.warnings
    );
    assert!(imported.source.text.contains("discount factor 0.9 dropped"));
}

/// The scenario's utility of a settlement (risk 1), from its stances.
fn scenario_utility(stances: &[(String, f64, f64)], x: &[f64]) -> f64 {
    let num: f64 = stances
        .iter()
        .zip(x)
        .map(|((_, p, s), xj)| s * (xj - p).abs())
        .sum();
    let den: f64 = stances.iter().map(|(_, p, s)| s * p.max(1.0 - p)).sum();
    1.0 - num / den
}

#[test]
fn an_inexact_multilateral_mapping_reports_its_worst_difference_over_all_outcomes() {
    let imported = genius(
        &fixture(GENIUS, "site-domain.xml"),
        &[
            fixture(GENIUS, "site-north.xml"),
            fixture(GENIUS, "site-south.xml"),
            fixture(GENIUS, "site-east.xml"),
        ],
        &template("alternating-offers"),
        &DomainOptions::default(),
    )
    .expect("the multilateral domain imports");
    let s = parse(&imported.source).expect("the text parses");
    assert_eq!(s.actors.len(), 3);
    assert_eq!(s.issues[0].options.len(), 4);
    assert_eq!(s.issues[1].options.len(), 5);
    // The profiles as GENIUS reads them: discrete evaluations divided by their largest, integer
    // evaluators clipped to [0, 1]; weights; per site alpha..delta, per budget 1..=5.
    let site_raw: [[f64; 4]; 3] = [
        [4.0, 3.0, 2.0, 1.0],
        [1.0, 2.0, 3.0, 4.0],
        [2.0, 4.0, 1.0, 3.0],
    ];
    let budget = |i: usize, v: f64| -> f64 {
        match i {
            0 => 0.25 * (v - 1.0),
            1 => (1.25 - 0.25 * (v - 1.0)).clamp(0.0, 1.0),
            _ => 0.25,
        }
    };
    let weights = [[0.6, 0.4], [0.3, 0.7], [0.5, 0.5]];
    let names = ["alpha", "beta", "gamma", "delta"];
    for (i, id) in ["site-north", "site-south", "site-east"].iter().enumerate() {
        let stances = stances_of(&s, id);
        let u = |site: usize, v: f64| {
            weights[i][0] * site_raw[i][site] / 4.0 + weights[i][1] * budget(i, v)
        };
        let all: Vec<f64> = (0..4)
            .flat_map(|k| (1..=5).map(move |v| (k, f64::from(v))))
            .map(|(k, v)| u(k, v))
            .collect();
        let (lo, hi) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let mut worst: f64 = 0.0;
        for (k, name) in names.iter().enumerate() {
            let at = s.issues[0]
                .options
                .iter()
                .find(|o| o.label == *name)
                .expect("an option per site")
                .at;
            for v in 1..=5 {
                let x = [at, f64::from(v - 1) / 4.0];
                let profile = (u(k, f64::from(v)) - lo) / (hi - lo);
                worst = worst.max((scenario_utility(&stances, &x) - profile).abs());
            }
        }
        let fit = &imported.fits[i];
        assert_eq!(fit.actor, *id);
        assert!(
            (fit.max_error - worst).abs() < 1e-9,
            "{id}: {fit:?} vs {worst}"
        );
        // The reservation maps as every utility does: (r − U_min) / (U_max − U_min), in [0, 1].
        let r = [0.5, 0.2, 0.1][i];
        let mapped = ((r - lo) / (hi - lo)).clamp(0.0, 1.0);
        let Value::Const(got) = s.actors[i].reservation else {
            panic!("a constant reservation")
        };
        assert!((got - mapped).abs() < 1e-12, "{id}: {got} vs {mapped}");
    }
    assert!(imported.fits[0].max_error > 0.1, "{:?}", imported.fits[0]);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("site-north.xml") && w.contains("differs from the profile's")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn geniusweb_profiles_map_exactly_when_their_evaluations_share_one_axis() {
    let imported = geniusweb(
        &[
            fixture(GENIUSWEB, "trio-north.json"),
            fixture(GENIUSWEB, "trio-south.json"),
            fixture(GENIUSWEB, "trio-west.json"),
        ],
        &template("alternating-offers"),
        &DomainOptions::default(),
    )
    .expect("the trio imports");
    let s = parse(&imported.source).expect("the text parses");
    let route: Vec<(f64, &str)> = s.issues[0]
        .options
        .iter()
        .map(|o| (o.at, o.label.as_str()))
        .collect();
    let expected = [
        (0.0, "coast"),
        (0.2, "valley"),
        (0.6, "ridge"),
        (1.0, "tunnel"),
    ];
    for ((a, l), (ea, el)) in route.iter().zip(expected) {
        assert!((a - ea).abs() < 1e-9 && *l == el, "{route:?}");
    }
    for fit in &imported.fits {
        assert!(fit.max_error < 1e-9, "{fit:?}");
    }
    assert_eq!(s.metadata.name, "trio");
    // west: Route's evaluations span 0.15..0.9 (range 0.75), Share's 0.2..0.6 (range 0.4),
    // weights 0.5/0.5, ideals at poles: saliences 0.375 : 0.2.
    let west = stances_of(&s, "west");
    assert!(
        close(west[0].2, 1.0) && close(west[1].2, 0.4 / 0.75),
        "{west:?}"
    );
}

#[test]
fn geniusweb_reservation_bids_are_valued_by_the_profile() {
    let imported = geniusweb(
        &[
            fixture(GENIUSWEB, "party-host.json"),
            fixture(GENIUSWEB, "party-guest.json"),
        ],
        &template("alternating-offers"),
        &DomainOptions::default(),
    )
    .expect("the party imports");
    let s = parse(&imported.source).expect("the text parses");
    // host: 0.5·0.5 + 0.3·0.5 + 0.2·0.5; guest: 0.25·0.5 + 0.25·0.75 + 0.5·0.
    assert_eq!(s.actors[0].reservation, Value::Const(0.5));
    assert_eq!(s.actors[1].reservation, Value::Const(0.3125));
    assert_eq!(s.issues[1].options.len(), 5, "10..=50 by 10");
    assert!(s.issues[2].options.is_empty(), "1001 values: continuous");
    for fit in &imported.fits {
        assert!(fit.max_error < 1e-9, "{fit:?}");
    }
}

/// The located error of a GENIUS import of the deal domain with `profile` as the second one.
fn deal_error(profile: &str) -> (String, usize, usize, String) {
    match genius(
        &fixture(GENIUS, "deal-domain.xml"),
        &[fixture(GENIUS, "deal-buyer.xml"), fixture(GENIUS, profile)],
        &template("alternating-offers"),
        &DomainOptions::default(),
    ) {
        Err(ScenarioError::Table {
            file,
            line,
            column,
            message,
        }) => (file, line, column, message),
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn refused_and_malformed_genius_profiles_are_located() {
    let (file, line, column, message) = deal_error("bad-nonlinear.xml");
    assert!(file.ends_with("bad-nonlinear.xml"));
    assert_eq!((line, column), (1, 22));
    assert!(message.contains("`nonlinear` utility space"), "{message}");
    let (_, line, _, message) = deal_error("bad-triangular.xml");
    assert_eq!(line, 13);
    assert!(message.contains("`triangular` evaluator"), "{message}");
    let (_, line, _, message) = deal_error("bad-other-domain.xml");
    assert_eq!(line, 3);
    assert!(
        message.contains("`Color` here but `Colour` in the domain"),
        "{message}"
    );
    let (_, line, _, message) = deal_error("bad-malformed.xml");
    assert_eq!(line, 7);
    assert!(message.contains("not well-formed XML"), "{message}");
}

#[test]
fn refused_and_malformed_geniusweb_profiles_are_located() {
    for (name, line, words) in [
        (
            "bad-sum-of-groups.json",
            1,
            "`SumOfGroupsUtilitySpace` profile",
        ),
        ("bad-other-domain.json", 4, "domain differs"),
        ("bad-malformed.json", 17, "expected `,` or `}`"),
    ] {
        match geniusweb(
            &[
                fixture(GENIUSWEB, "party-host.json"),
                fixture(GENIUSWEB, name),
            ],
            &template("alternating-offers"),
            &DomainOptions::default(),
        ) {
            Err(ScenarioError::Table {
                file,
                line: l,
                message,
                ..
            }) => {
                assert!(file.ends_with(name), "{file}");
                assert_eq!(l, line, "{name}: {message}");
                assert!(message.contains(words), "{name}: {message}");
            }
            other => panic!("{name}: expected a located error, got {other:?}"),
        }
    }
}
