//! Unit tests of the validation rules: each starts from a valid scenario and breaks one thing.

mod rules;

use super::*;
use crate::model::{Acceptance, Effect, Family, Proposer, Protocol, Strategy, Tactic, Timing};
use crate::scenario::schema::{ActorSpec, IssueSpec, RoleSpec};
use crate::scenario::{Source, parse};

const MEDIATED: &str = include_str!("../../../tests/fixtures/good/border-talks.ron");
const PIE: &str = include_str!("../../../tests/fixtures/good/pie-split.ron");

fn scenario(text: &str) -> Scenario {
    parse(&Source {
        file: "t.ron".into(),
        text: text.into(),
    })
    .unwrap_or_else(|e| panic!("test scenario does not parse: {e}"))
}

/// `text` with `from` replaced by `to` (which must occur).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the test scenario");
    text.replacen(from, to, 1)
}

fn problems_of(s: &Scenario) -> Vec<Problem> {
    match validate(s, "t.ron") {
        Ok(_) => Vec::new(),
        Err(ScenarioError::Invalid { file, problems }) => {
            assert_eq!(file, "t.ron");
            assert!(!problems.is_empty());
            problems
        }
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn problems(text: &str) -> Vec<Problem> {
    problems_of(&scenario(text))
}

/// Asserts exactly one problem, at `path`, whose found and allowed contain the given words.
#[track_caller]
fn only(text: &str, path: &str, found: &str, allowed: &str) {
    let ps = problems(text);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    has(&ps, path, found, allowed);
}

#[track_caller]
fn has(ps: &[Problem], path: &str, found: &str, allowed: &str) {
    assert!(
        ps.iter()
            .any(|p| p.path == path && p.found.contains(found) && p.allowed.contains(allowed)),
        "no problem at {path} with found ~ {found:?}, allowed ~ {allowed:?} in {ps:#?}"
    );
}

#[test]
fn fixtures_are_valid() {
    assert!(problems(MEDIATED).is_empty());
    assert!(problems(PIE).is_empty());
}

#[test]
fn the_model_follows_the_file() {
    let m = validate(&scenario(MEDIATED), "t.ron").expect("valid");
    assert_eq!(m.name, "Border talks");
    assert_eq!(m.calendar.count, 2);
    assert_eq!(m.calendar.unit, TimeUnit::Week);
    assert_eq!(
        m.calendar.start.map(|d| d.to_string()).as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(m.issues[1].options.len(), 3);
    // Stances are dense, in issue order; unmentioned issues have salience 0, position 0.5.
    let pat = &m.actors[3];
    assert_eq!(pat.stances.len(), 2);
    assert_eq!(pat.stances[0].salience, Value::Const(0.0));
    assert_eq!(pat.stances[0].position, Value::Const(0.5));
    assert_eq!(pat.stances[1].salience, Value::Const(1.0));
    // A symmetric relation is two directed ones sharing a key; a directed one is one.
    assert_eq!(m.relations.len(), 3);
    assert_eq!((m.relations[0].from, m.relations[0].to), (3, 0));
    assert_eq!((m.relations[1].from, m.relations[1].to), (0, 3));
    assert_eq!(m.relations[0].key, "relation:PAT:NOR");
    assert_eq!(m.relations[1].key, "relation:PAT:NOR");
    assert_eq!(m.relations[1].strength, Value::Const(0.6));
    assert_eq!((m.relations[2].from, m.relations[2].to), (1, 3));
    assert_eq!(m.relations[2].key, "relation:SOU>PAT");
    assert!(matches!(
        m.protocol,
        Protocol::Mediated {
            mediator: 2,
            max_rounds: 24,
            ..
        }
    ));
    assert!(m.actors.iter().all(|a| a.discount == Value::Const(1.0)));
    assert!(matches!(
        m.actors[0].strategy,
        Strategy::TimeDependent { tactic: Tactic::Boulware, family: Family::Polynomial, beta: Value::Const(b), kappa: Value::Const(k) }
            if b == 0.5 && k == 0.05
    ));
    assert!(matches!(
        m.actors[1].strategy,
        Strategy::TimeDependent {
            tactic: Tactic::Conceder,
            ..
        }
    ));
    assert_eq!(m.actors[2].strategy, Strategy::Hardliner);
    assert_eq!(m.actors[3].strategy, Strategy::TitForTat);
    let esc = m.escalation.as_ref().expect("escalation");
    assert_eq!(esc.initiators, vec![1]);
    assert_eq!(m.events.len(), 3);
    assert_eq!(m.events[0].timing, Timing::Round(6));
    assert!(matches!(
        m.events[1].effects[1],
        Effect::Relation {
            from: 0,
            to: 1,
            directed: false,
            ..
        }
    ));
    assert!(matches!(
        m.events[2].effects[0],
        Effect::RemoveActor { actor: 3 }
    ));
    assert_eq!(m.interdependence, Value::Const(0.3));
}

#[test]
fn alternating_offers_take_discounts_and_the_pie() {
    let m = validate(&scenario(PIE), "t.ron").expect("valid");
    assert_eq!(m.actors[0].discount, Value::Const(0.95));
    assert_eq!(m.actors[1].discount, Value::Const(0.9));
    assert_eq!(m.pie, vec![0, 1]);
    assert!(m.escalation.is_none());
    assert_eq!(m.calendar.start, None);
    assert!(matches!(
        m.protocol,
        Protocol::AlternatingOffers {
            max_rounds: 50,
            proposer: Proposer::RoundRobin,
            acceptance: Acceptance::Unanimous
        }
    ));
    assert!(matches!(m.actors[0].strategy, Strategy::Equilibrium));
    // A Linear actor gets β = 1, κ = 0.
    let linear = edit(PIE, "strategy: Equilibrium,", "");
    let m = validate(&scenario(&linear), "t.ron").expect("valid");
    assert_eq!(
        m.actors[0].strategy,
        Strategy::TimeDependent {
            tactic: Tactic::Linear,
            family: Family::Polynomial,
            beta: Value::Const(1.0),
            kappa: Value::Const(0.0)
        }
    );
}

#[test]
fn escalation_switch_and_default_initiators() {
    let off = edit(MEDIATED, "cost: 0.3,", "allowed: false, cost: 0.3,");
    assert!(
        validate(&scenario(&off), "t")
            .expect("valid")
            .escalation
            .is_none()
    );
    let all = edit(MEDIATED, "initiators: [\"SOU\"],", "");
    let m = validate(&scenario(&all), "t").expect("valid");
    assert_eq!(m.escalation.expect("on").initiators, vec![0, 1]);
    // A switched-off block is still checked.
    let bad = edit(&off, "cost: 0.3,", "cost: 1.3,");
    only(&bad, "escalation.cost", "1.3", "[0, 1]");
    let unknown = edit(
        MEDIATED,
        "initiators: [\"SOU\"]",
        "initiators: [\"SOU\", \"XXX\", \"SOU\"]",
    );
    let ps = problems(&unknown);
    has(
        &ps,
        "escalation.initiators[1]",
        "\"XXX\"",
        "one of NOR, SOU, MED, PAT",
    );
    has(&ps, "escalation.initiators[2]", "\"SOU\" again", "once");
}

#[test]
fn unknown_ids_suggest_the_known_ones() {
    let t = edit(
        MEDIATED,
        "\"corridor\": (position: 1, salience: 0.3)",
        "\"lachin\": (position: 1, salience: 0.3)",
    );
    only(
        &t,
        "actors[\"NOR\"].stances[\"lachin\"]",
        "\"lachin\"",
        "one of border, corridor",
    );
    let t = edit(
        MEDIATED,
        "(a: \"PAT\", b: \"NOR\"",
        "(a: \"PAT\", b: \"NRO\"",
    );
    only(&t, "relations[0].b", "\"NRO\"", "one of NOR, SOU, MED, PAT");
    let t = edit(PIE, "discount: {\"A\": 0.95", "discount: {\"C\": 0.95");
    only(
        &t,
        "protocol.AlternatingOffers.discount[\"C\"]",
        "\"C\"",
        "one of A, B",
    );
}

#[test]
fn many_ids_suggest_the_nearest() {
    let mut s = scenario(PIE);
    let template = s.actors[1].clone();
    for k in 0..20 {
        let mut a = template.clone();
        a.id = format!("X{k:02}");
        a.role = RoleSpec::Stakeholder;
        s.actors.push(a);
    }
    s.relations.push(crate::scenario::schema::RelationSpec {
        a: "X1O".into(),
        b: "A".into(),
        strength: Value::Const(0.1),
        directed: false,
    });
    let ps = problems_of(&s);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    has(
        &ps,
        "relations[0].a",
        "\"X1O\"",
        "one of the 22 actor ids, the nearest being X10",
    );
}

#[test]
fn duplicates_are_reported() {
    let t = edit(
        MEDIATED,
        "(id: \"SOU\", name: \"South\"",
        "(id: \"NOR\", name: \"South\"",
    );
    let ps = problems(&t);
    has(
        &ps,
        "actors[1].id",
        "\"NOR\" again",
        "each actor id once (first given at actors[0].id)",
    );
    let t = edit(PIE, "(id: \"share_B\"", "(id: \"share_A\"");
    has(
        &problems(&t),
        "issues[1].id",
        "\"share_A\" again",
        "each issue id once",
    );
    let t = edit(
        MEDIATED,
        "\"corridor\": (position: 1, salience: 0.3)",
        "\"border\": (position: 1, salience: 0.3)",
    );
    only(
        &t,
        "actors[\"NOR\"].stances[\"border\"]",
        "again",
        "each issue in stances once",
    );
    let t = edit(PIE, "\"B\": 0.9}", "\"A\": 0.9}");
    only(
        &t,
        "protocol.AlternatingOffers.discount[\"A\"]",
        "again",
        "once",
    );
    let t = edit(
        MEDIATED,
        "label: \"extraterritorial corridor\"",
        "label: \"no corridor\"",
    );
    only(
        &t,
        "issues[\"corridor\"].options[2].label",
        "\"no corridor\" again",
        "each option label once",
    );
}

#[test]
fn relation_pairs_once_and_never_to_oneself() {
    let reversed = edit(
        MEDIATED,
        "relations: [",
        "relations: [(a: \"NOR\", b: \"PAT\", strength: 0.1),",
    );
    only(
        &reversed,
        "relations[1]",
        "PAT–NOR again (also relations[0])",
        "each pair once",
    );
    let overlap = edit(MEDIATED, "directed: true", "directed: false");
    assert!(problems(&overlap).is_empty());
    let directed_twice = edit(
        MEDIATED,
        "relations: [",
        "relations: [(a: \"SOU\", b: \"PAT\", strength: 0.1, directed: true),",
    );
    only(&directed_twice, "relations[2]", "again", "each pair once");
    let covered = edit(
        MEDIATED,
        "relations: [",
        "relations: [(a: \"NOR\", b: \"PAT\", strength: 0.1, directed: true),",
    );
    only(
        &covered,
        "relations[1]",
        "again",
        "symmetric relation already covers",
    );
    let opposite = edit(
        MEDIATED,
        "relations: [",
        "relations: [(a: \"PAT\", b: \"SOU\", strength: 0.1, directed: true),",
    );
    assert!(problems(&opposite).is_empty(), "A>B and B>A are different");
    let own = edit(
        MEDIATED,
        "(a: \"PAT\", b: \"NOR\"",
        "(a: \"PAT\", b: \"PAT\"",
    );
    only(
        &own,
        "relations[0].b",
        "the same actor",
        "two different actors",
    );
}

#[test]
fn ids_are_letters_digits_underscores_and_dashes() {
    let t = edit(MEDIATED, "(id: \"NOR\"", "(id: \"N O\"");
    let ps = problems(&t);
    has(
        &ps,
        "actors[0].id",
        "\"N O\"",
        "ASCII letters, digits, `_` and `-`",
    );
    let t = edit(PIE, "(id: \"share_A\"", "(id: \"\"");
    has(&problems(&t), "issues[0].id", "\"\"", "non-empty");
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let t = edit(MEDIATED, "capability: 1.5", "capability: -1");
    let t = edit(&t, "strength: 0.6", "strength: 7");
    let t = edit(&t, "at: Round(6)", "at: Round(0)");
    let t = edit(&t, "round: \"2 weeks\"", "round: \"soon\"");
    let ps = problems(&t);
    let paths: Vec<&str> = ps.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "metadata.round",
            "actors[\"SOU\"].capability",
            "relations[0].strength",
            "events[0].at.Round"
        ]
    );
}

#[test]
fn numbers_are_shown_as_written() {
    assert_eq!(show_num(1e308), "1e308");
    assert_eq!(show_num(-0.3), "-0.3");
    assert_eq!(show_num(2.5e-9), "2.5e-9");
    assert_eq!(show_num(123_456.0), "123456");
    assert_eq!(show_domain(Domain::SIGNED_UNIT), "[−1, 1]");
    assert_eq!(show_domain(POSITIVE), "(0, 1e12]");
    assert_eq!(show_domain(Domain::NON_NEGATIVE), "[0, ∞)");
    assert_eq!(edit_distance("ARN", "ARM"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}
