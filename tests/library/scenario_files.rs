//! The bundled scenarios in `scenarios/` parse against the file format, keep the rules the
//! validator enforces, and say what their comments and the README claim: the flagship's actors,
//! issues, options and calendar, and the numbers behind each teaching case's closed form.

use std::path::{Path, PathBuf};

use treaty::model::{Distribution, Value};
use treaty::scenario::Scenario;
use treaty::scenario::schema::{
    AcceptanceSpec, ActorSpec, EuVariantSpec, IssueSpec, ProposerSpec, ProtocolSpec, RoleSpec,
    StrategySpec, TextSpec, TimingSpec,
};

mod rules;
use rules::{constant, rule_problems};

/// Parses RON the way the loader does: optional fields may be written bare.
fn parse(text: &str) -> Result<Scenario, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn load(name: &str) -> Scenario {
    let path = scenario_dir().join(format!("{name}.ron"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Every `scenarios/*.ron`, sorted by file name.
fn bundled() -> Vec<(String, Scenario)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            let s = parse(&text).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), s)
        })
        .collect()
}

fn actor<'a>(s: &'a Scenario, id: &str) -> &'a ActorSpec {
    s.actors
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no actor {id}"))
}

fn issue<'a>(s: &'a Scenario, id: &str) -> &'a IssueSpec {
    s.issues
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no issue {id}"))
}

#[test]
fn every_bundled_scenario_parses_and_keeps_the_rules() {
    let all = bundled();
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "baron-ferejohn",
        "expected-utility-toy",
        "karabakh-2023",
        "mediated-water",
        "rubinstein-pie",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for (name, s) in &all {
        let problems = rule_problems(s);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        assert!(
            !s.metadata.description.is_empty() && !s.metadata.description.contains('\n'),
            "{name}: the description is one line"
        );
    }
}

#[test]
fn the_rule_check_catches_broken_files() {
    // The rule check above must be able to fail: break the flagship in a few ways.
    let good = load("karabakh-2023");
    let mut s = good.clone();
    s.actors[1].id = "ARM".into();
    assert!(rule_problems(&s).iter().any(|p| p.contains("given twice")));
    let mut s = good.clone();
    s.issues[3].options.swap(1, 2);
    assert!(
        rule_problems(&s)
            .iter()
            .any(|p| p.contains("not strictly sorted"))
    );
    let mut s = good.clone();
    s.protocol = ProtocolSpec::AlternatingOffers {
        max_rounds: 3,
        proposer: ProposerSpec::Order(vec!["RUS".into()]),
        acceptance: AcceptanceSpec::Unanimous,
        discount: Default::default(),
    };
    let problems = rule_problems(&s);
    assert!(problems.iter().any(|p| p.contains("stakeholder RUS")));
    assert!(problems.iter().any(|p| p.contains("Granada")));
    let mut s = good;
    s.actors[0].strategy = StrategySpec::Boulware {
        beta: Value::Const(1.5),
        kappa: Value::Const(0.0),
        family: Default::default(),
    };
    assert!(rule_problems(&s).iter().any(|p| p.contains("Boulware")));
}

#[test]
fn flagship_has_the_sheets_actors_issues_and_calendar() {
    let s = load("karabakh-2023");
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["ARM", "AZE", "RUS", "TUR", "EU", "USA"]);
    let roles: Vec<RoleSpec> = s.actors.iter().map(|a| a.role).collect();
    use RoleSpec::*;
    assert_eq!(
        roles,
        [
            Principal,
            Principal,
            Stakeholder,
            Stakeholder,
            Mediator,
            Mediator
        ]
    );
    assert!(s.actors.iter().all(|a| !a.name.is_empty()));

    let issue_ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(issue_ids, ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"]);
    // Every actor takes a stance on every issue.
    for a in &s.actors {
        let keys: Vec<&str> = a.stances.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, issue_ids, "{}", a.id);
    }

    let i4: Vec<(f64, &str)> = issue(&s, "I4")
        .options
        .iter()
        .map(|o| (o.at, o.label.as_str()))
        .collect();
    assert_eq!(
        i4,
        [
            (0.0, "no route"),
            (0.25, "route under Armenian sovereignty"),
            (0.5, "Armenian jurisdiction, third-party operator"),
            (0.75, "Russian border guards"),
            (1.0, "extraterritorial corridor"),
        ]
    );
    let i6: Vec<f64> = issue(&s, "I6").options.iter().map(|o| o.at).collect();
    assert_eq!(i6, [0.0, 0.2, 0.4, 0.55, 0.7, 0.85, 1.0]);
    // Status quo at T0: no route, the mandate's automatic extension, principles agreed.
    assert_eq!(constant(&issue(&s, "I4").status_quo), 0.0);
    assert_eq!(constant(&issue(&s, "I5").status_quo), 1.0);
    assert_eq!(constant(&issue(&s, "I6").status_quo), 0.2);

    assert_eq!(s.metadata.round, "1 month");
    assert_eq!(s.metadata.start.as_deref(), Some("2023-07-01"));
    match &s.protocol {
        ProtocolSpec::AlternatingOffers {
            max_rounds,
            proposer,
            acceptance,
            ..
        } => {
            assert_eq!(*max_rounds, 30);
            // The principals offer in turn; the mediators table their texts after each offer.
            assert_eq!(
                *proposer,
                ProposerSpec::Order(vec!["ARM".into(), "AZE".into()])
            );
            assert_eq!(*acceptance, AcceptanceSpec::Unanimous);
        }
        other => panic!("flagship protocol {other:?}"),
    }
    let esc = s.escalation.as_ref().expect("escalation is on");
    assert!(esc.allowed);
    assert_eq!(esc.initiators.as_deref(), Some(&["AZE".to_string()][..]));
    // Force can decide ground (status, the Lachin corridor, the Syunik route), not signatures.
    let ground: Vec<String> = ["I1", "I3", "I4"].map(String::from).to_vec();
    assert_eq!(esc.issues.as_ref(), Some(&ground));
    // Each side's judgement of the balance is uncertain around no bias (±0.1).
    for id in ["ARM", "AZE"] {
        let a = s.actors.iter().find(|a| a.id == id).unwrap();
        assert_eq!(
            a.optimism,
            Value::Dist(Distribution::Triangular(-0.1, 0.0, 0.1)),
            "{id}"
        );
    }

    // The Granada meeting of 5 Oct 2023 is round 4 when round 1 is July 2023.
    let granada = s
        .events
        .iter()
        .find(|e| e.label.contains("Granada"))
        .expect("the planned Granada meeting");
    assert_eq!(granada.at, TimingSpec::Round(4));
}

#[test]
fn flagship_numbers_follow_the_sheet_with_its_uncertainty() {
    let s = load("karabakh-2023");
    // Each judgement is Triangular(p − 0.1, p, p + 0.1) around the sheet's value p.
    let mode = |v: &Value| match v {
        Value::Dist(Distribution::Triangular(lo, c, hi)) => {
            assert!(
                (c - lo - 0.1).abs() < 1e-9 && (hi - c - 0.1).abs() < 1e-9,
                "{v:?} is not ±0.1"
            );
            *c
        }
        other => panic!("expected a ±0.1 triangle, found {other:?}"),
    };
    let capabilities: Vec<f64> = s.actors.iter().map(|a| mode(&a.capability)).collect();
    assert_eq!(capabilities, [0.25, 0.85, 0.55, 0.50, 0.30, 0.35]);
    // A sample of the sheet's §1.4 table: (actor, issue, position, salience).
    for (a, i, pos, sal) in [
        ("ARM", "I1", 0.55, 0.60),
        ("AZE", "I1", 1.00, 1.00),
        ("ARM", "I3", 0.05, 0.90),
        ("AZE", "I4", 0.95, 0.90),
        ("RUS", "I5", 1.00, 0.80),
        ("TUR", "I7", 0.60, 0.50),
        ("EU", "I6", 1.00, 0.60),
        ("USA", "I8", 0.80, 0.40),
    ] {
        let st = actor(&s, a).stances.get(i).unwrap();
        assert_eq!(
            (mode(&st.position), mode(&st.salience)),
            (pos, sal),
            "{a} {i}"
        );
    }
    for a in &s.actors {
        for (_, st) in a.stances.iter() {
            mode(&st.position);
            mode(&st.salience);
        }
    }
    let strength = |x: &str, y: &str| {
        let r = s
            .relations
            .iter()
            .find(|r| (r.a == x && r.b == y) || (r.a == y && r.b == x))
            .unwrap_or_else(|| panic!("no relation {x}-{y}"));
        assert!(!r.directed);
        mode(&r.strength)
    };
    assert_eq!(strength("AZE", "TUR"), 0.90);
    assert_eq!(strength("ARM", "AZE"), -0.85);
    assert_eq!(strength("RUS", "USA"), -0.90);
    assert_eq!(s.relations.len(), 15);
    // Uncertain status quo where the sheet's value is a judgement, constant where it is a fact.
    for (i, q) in [("I1", 0.30), ("I2", 0.40), ("I3", 0.85), ("I8", 0.05)] {
        assert_eq!(mode(&issue(&s, i).status_quo), q, "{i}");
    }
    assert_eq!(constant(&issue(&s, "I7").status_quo), 0.2);
    // Strategies: the dominant side holds out, the isolated one concedes.
    assert!(matches!(
        actor(&s, "AZE").strategy,
        StrategySpec::Boulware { .. }
    ));
    assert!(matches!(
        actor(&s, "ARM").strategy,
        StrategySpec::Conceder { .. }
    ));
    assert_eq!(actor(&s, "EU").strategy, StrategySpec::Linear);
    assert_eq!(actor(&s, "USA").strategy, StrategySpec::Linear);
}

#[test]
fn rubinstein_pie_gives_the_closed_form_share() {
    let s = load("rubinstein-pie");
    assert_eq!(s.issues.len(), 1);
    assert_eq!(s.actors.len(), 2);
    let (a, b) = (actor(&s, "A"), actor(&s, "B"));
    assert_eq!(s.actors[0].id, "A", "A proposes first");
    assert_eq!(constant(&a.stances.get("share").unwrap().position), 1.0);
    assert_eq!(constant(&b.stances.get("share").unwrap().position), 0.0);
    for p in [a, b] {
        assert_eq!(p.role, RoleSpec::Principal);
        assert_eq!(p.strategy, StrategySpec::Equilibrium);
        assert_eq!(constant(&p.reservation), 0.0);
    }
    let ProtocolSpec::AlternatingOffers {
        max_rounds,
        proposer,
        acceptance,
        discount,
    } = &s.protocol
    else {
        panic!("{:?}", s.protocol)
    };
    assert_eq!(*proposer, ProposerSpec::RoundRobin);
    assert_eq!(*acceptance, AcceptanceSpec::Unanimous);
    let (da, db) = (
        constant(discount.get("A").unwrap()),
        constant(discount.get("B").unwrap()),
    );
    assert_eq!((da, db), (0.95, 0.90));
    let share = (1.0 - db) / (1.0 - da * db);
    assert!((share - 0.689_655_172_4).abs() < 1e-9, "{share}");
    // The horizon is long enough that its effect on the round-1 share is below 1e-9.
    assert!((da * db).powi(*max_rounds as i32 / 2) < 1e-9);
    assert!(s.relations.is_empty() && s.events.is_empty() && s.escalation.is_none());
}

#[test]
fn baron_ferejohn_is_a_symmetric_majority_game() {
    let s = load("baron-ferejohn");
    let n = s.actors.len();
    assert!(n >= 3 && n % 2 == 1, "an odd number of legislators");
    assert_eq!(s.issues.len(), n);
    let issue_ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(s.pie, issue_ids, "all shares form one pie");
    for (a, i) in s.actors.iter().zip(&s.issues) {
        assert_eq!(a.role, RoleSpec::Principal);
        assert_eq!(a.strategy, StrategySpec::Equilibrium);
        assert_eq!(constant(&a.capability), 1.0, "equal recognition");
        assert_eq!(constant(&i.status_quo), 0.0);
        // Salience on its own share only, ideal the whole budget.
        let stances: Vec<&str> = a.stances.iter().map(|(k, _)| k).collect();
        assert_eq!(stances, [i.id.as_str()]);
        let st = a.stances.get(&i.id).unwrap();
        assert_eq!((constant(&st.position), constant(&st.salience)), (1.0, 1.0));
    }
    let ProtocolSpec::AlternatingOffers {
        proposer,
        acceptance,
        discount,
        ..
    } = &s.protocol
    else {
        panic!("{:?}", s.protocol)
    };
    assert_eq!(*proposer, ProposerSpec::PowerWeighted);
    assert_eq!(*acceptance, AcceptanceSpec::Quota(n as u32 / 2 + 1));
    assert_eq!(discount.len(), n);
    let delta = 0.9;
    for a in &s.actors {
        assert_eq!(constant(discount.get(&a.id).unwrap()), delta);
    }
    // The closed forms the comments quote for n = 5.
    let nf = n as f64;
    let proposer_share = 1.0 - delta * (nf - 1.0) / (2.0 * nf);
    let partner_share = delta / nf;
    assert!((proposer_share - 0.64).abs() < 1e-12);
    assert!((partner_share - 0.18).abs() < 1e-12);
    assert!((proposer_share + (nf - 1.0) / 2.0 * partner_share - 1.0).abs() < 1e-12);
}

#[test]
fn expected_utility_toy_has_theorys_data_and_baselines() {
    let s = load("expected-utility-toy");
    assert_eq!(s.issues.len(), 1);
    assert_eq!(
        s.protocol,
        ProtocolSpec::ExpectedUtility {
            max_rounds: 10,
            variant: EuVariantSpec::ScholzPaper
        }
    );
    let data: Vec<(String, f64, f64, f64)> = s
        .actors
        .iter()
        .map(|a| {
            assert_eq!(a.role, RoleSpec::Principal);
            let st = a.stances.get("policy").unwrap();
            (
                a.id.clone(),
                constant(&a.capability),
                constant(&st.position),
                constant(&st.salience),
            )
        })
        .collect();
    let expected = [
        ("A", 1.0, 0.0, 0.5),
        ("B", 0.5, 0.3, 0.9),
        ("C", 0.8, 0.6, 0.6),
        ("D", 0.3, 0.8, 1.0),
        ("E", 0.6, 1.0, 0.4),
    ];
    assert_eq!(data.len(), expected.len());
    for ((id, c, x, sal), (eid, ec, ex, es)) in data.iter().zip(expected) {
        assert_eq!((id.as_str(), *c, *x, *sal), (eid, ec, ex, es));
    }
    // Mean voter Σ c·s·x / Σ c·s (docs/theory.md §5: 45.837563452 on the 0–100 scale).
    let (mut num, mut den) = (0.0, 0.0);
    for (_, c, x, sal) in &data {
        num += c * sal * x;
        den += c * sal;
    }
    assert!(
        (num / den - 0.458_375_634_52).abs() < 1e-10,
        "{}",
        num / den
    );
    // c·s-weighted median: the first position where the cumulative weight reaches half.
    let mut cum = 0.0;
    let median = data
        .iter()
        .find(|(_, c, _, sal)| {
            cum += c * sal;
            cum >= den / 2.0
        })
        .map(|(_, _, x, _)| *x)
        .unwrap();
    assert_eq!(median, 0.6);
}

#[test]
fn mediated_water_is_a_mediated_case_with_three_tactics() {
    let s = load("mediated-water");
    let ProtocolSpec::Mediated {
        mediator,
        text,
        max_rounds,
        ..
    } = &s.protocol
    else {
        panic!("{:?}", s.protocol)
    };
    assert_eq!(actor(&s, mediator).role, RoleSpec::Mediator);
    assert_eq!(*text, TextSpec::Compromise);
    assert!(*max_rounds > 1);
    assert!((2..=3).contains(&s.issues.len()));
    let principals: Vec<&ActorSpec> = s
        .actors
        .iter()
        .filter(|a| a.role == RoleSpec::Principal)
        .collect();
    assert_eq!(principals.len(), 2);
    let tactics: Vec<&StrategySpec> = s.actors.iter().map(|a| &a.strategy).collect();
    assert!(
        tactics
            .iter()
            .any(|t| matches!(t, StrategySpec::Boulware { .. }))
    );
    assert!(
        tactics
            .iter()
            .any(|t| matches!(t, StrategySpec::Conceder { .. }))
    );
    assert!(tactics.contains(&&StrategySpec::Linear));
    assert!(s.metadata.description.to_lowercase().contains("fictional"));
}

/// The README's complete example scenario (the ```ron block after the marker line) parses and
/// keeps the rules: the reference must not drift from the schema.
#[test]
fn readme_example_scenario_parses() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let marker = "<!-- complete example scenario -->";
    let after = readme
        .split_once(marker)
        .map(|(_, rest)| rest)
        .expect("README marks its complete example");
    let block = after
        .split_once("```ron\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(body, _)| body)
        .expect("a ```ron block after the marker");
    let s = parse(block).unwrap_or_else(|e| panic!("README example: {e}"));
    let problems = rule_problems(&s);
    assert!(problems.is_empty(), "README example: {problems:#?}");
}
