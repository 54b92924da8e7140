//! Rules on numbers, tactics, the protocol, events, options, the pie, the calendar and sizes.

use super::*;

#[test]
fn numbers_outside_their_domains() {
    let cases = [
        (
            "position: 0, salience: 0.7",
            "position: 1.2, salience: 0.7",
            "actors[\"NOR\"].stances[\"border\"].position",
            "1.2",
            "[0, 1]",
        ),
        (
            "position: 0, salience: 0.7",
            "position: 0, salience: -0.3",
            "actors[\"NOR\"].stances[\"border\"].salience",
            "-0.3",
            "a number or distribution in [0, 1e12]",
        ),
        (
            "capability: 1.5",
            "capability: 0",
            "actors[\"SOU\"].capability",
            "0",
            "(0, 1e12]",
        ),
        (
            "capability: 1.5",
            "capability: -2",
            "actors[\"SOU\"].capability",
            "-2",
            "(0, 1e12]",
        ),
        (
            "capability: 1.5",
            "capability: NaN",
            "actors[\"SOU\"].capability",
            "NaN",
            "finite",
        ),
        (
            "capability: 1.5",
            "capability: inf",
            "actors[\"SOU\"].capability",
            "inf",
            "finite",
        ),
        (
            "capability: 1.5",
            "capability: 1e308",
            "actors[\"SOU\"].capability",
            "1e308",
            "(0, 1e12]",
        ),
        (
            "risk: 0.8",
            "risk: 0",
            "actors[\"NOR\"].risk",
            "0",
            "(0, 1e12]",
        ),
        (
            "reservation: 0.2",
            "reservation: 1.1",
            "actors[\"NOR\"].reservation",
            "1.1",
            "[0, 1]",
        ),
        (
            "status_quo: 0,",
            "status_quo: -0.1,",
            "issues[\"corridor\"].status_quo",
            "-0.1",
            "[0, 1]",
        ),
        (
            "strength: 0.6",
            "strength: 1.5",
            "relations[0].strength",
            "1.5",
            "[−1, 1]",
        ),
        (
            "step: 0.2",
            "step: 0",
            "protocol.Mediated.step",
            "0",
            "(0, 1]",
        ),
        (
            "imposition: 0.8",
            "imposition: 2",
            "escalation.imposition",
            "2",
            "[0, 1]",
        ),
        (
            "propensity: 0.05",
            "propensity: -1",
            "escalation.propensity",
            "-1",
            "[0, 1]",
        ),
        (
            "perception_noise: 0.02",
            "perception_noise: -0.02",
            "perception_noise",
            "-0.02",
            "[0, 1e12]",
        ),
        (
            "interdependence: 0.3",
            "interdependence: 3",
            "interdependence",
            "3",
            "[0, 1]",
        ),
        (
            "probability: 0.05",
            "probability: 1.05",
            "events[1].at.Window.probability",
            "1.05",
            "[0, 1]",
        ),
        (
            "(at: 0.5, label",
            "(at: 1.5, label",
            "issues[\"corridor\"].options[1].at",
            "1.5",
            "[0, 1]",
        ),
    ];
    for (from, to, path, found, allowed) in cases {
        only(&edit(MEDIATED, from, to), path, found, allowed);
    }
    only(
        &edit(PIE, "\"B\": 0.9", "\"B\": 0"),
        "protocol.AlternatingOffers.discount[\"B\"]",
        "0",
        "(0, 1]",
    );
    only(
        &edit(PIE, "\"B\": 0.9", "\"B\": 1.01"),
        "protocol.AlternatingOffers.discount[\"B\"]",
        "1.01",
        "(0, 1]",
    );
}

#[test]
fn distributions_need_valid_parameters_and_mass_in_the_domain() {
    let path = "issues[\"border\"].status_quo";
    let base = "status_quo: Normal(0.4, 0.05)";
    only(
        &edit(MEDIATED, base, "status_quo: Normal(0.4, 0)"),
        path,
        "Normal(0.4, 0)",
        "the sd must be > 0",
    );
    only(
        &edit(MEDIATED, base, "status_quo: Uniform(0.6, 0.4)"),
        path,
        "Uniform(0.6, 0.4)",
        "lo must be < hi",
    );
    only(
        &edit(MEDIATED, base, "status_quo: Triangular(0.1, 0.9, 0.5)"),
        path,
        "Triangular",
        "lo ≤ mode ≤ hi",
    );
    only(
        &edit(MEDIATED, base, "status_quo: Uniform(2, 3)"),
        path,
        "Uniform(2, 3)",
        "probability mass inside [0, 1]",
    );
    only(
        &edit(MEDIATED, base, "status_quo: Normal(50, 1)"),
        path,
        "Normal(50, 1)",
        "probability mass inside [0, 1]",
    );
    only(
        &edit(MEDIATED, base, "status_quo: Normal(NaN, 1)"),
        path,
        "NaN",
        "finite",
    );
}

#[test]
fn tactics_fit_their_beta_and_kappa() {
    let t = edit(MEDIATED, "Boulware(beta: 0.5", "Boulware(beta: 1.5");
    only(
        &t,
        "actors[\"NOR\"].strategy.Boulware.beta",
        "1.5",
        "write `Conceder(beta: 1.5)`",
    );
    let t = edit(MEDIATED, "Boulware(beta: 0.5", "Boulware(beta: 1");
    only(
        &t,
        "actors[\"NOR\"].strategy.Boulware.beta",
        "1",
        "write `Linear`",
    );
    let t = edit(MEDIATED, "Conceder(beta: 2)", "Conceder(beta: 0.4)");
    only(
        &t,
        "actors[\"SOU\"].strategy.Conceder.beta",
        "0.4",
        "write `Boulware(beta: 0.4)`",
    );
    let t = edit(MEDIATED, "Conceder(beta: 2)", "Conceder(beta: 1)");
    assert!(problems(&t).is_empty(), "Conceder(1) is allowed");
    let t = edit(MEDIATED, "Conceder(beta: 2)", "Conceder(beta: -1)");
    only(
        &t,
        "actors[\"SOU\"].strategy.Conceder.beta",
        "-1",
        "[1, 1e12]",
    );
    let t = edit(MEDIATED, "kappa: 0.05", "kappa: 1");
    only(&t, "actors[\"NOR\"].strategy.Boulware.kappa", "1", "[0, 1)");
    // The exponential family takes the same β and needs κ > 0.
    let t = edit(MEDIATED, "kappa: 0.05", "kappa: 0.05, family: Exponential");
    assert!(
        problems(&t).is_empty(),
        "an exponential Boulware is allowed"
    );
    let t = edit(MEDIATED, "kappa: 0.05", "kappa: 0, family: Exponential");
    only(
        &t,
        "actors[\"NOR\"].strategy.Boulware.kappa",
        "0",
        "κ in (0, 1) for `family: Exponential`",
    );
    let t = edit(
        MEDIATED,
        "Conceder(beta: 2)",
        "Conceder(beta: 2, family: Exponential)",
    );
    only(
        &t,
        "actors[\"SOU\"].strategy.Conceder.kappa",
        "0",
        "κ in (0, 1) for `family: Exponential`",
    );
    let t = edit(MEDIATED, "kappa: 0.05", "kappa: -0.1");
    only(
        &t,
        "actors[\"NOR\"].strategy.Boulware.kappa",
        "-0.1",
        "[0, 1)",
    );
    let t = edit(
        MEDIATED,
        "Boulware(beta: 0.5",
        "Boulware(beta: Uniform(0.5, 2)",
    );
    only(
        &t,
        "actors[\"NOR\"].strategy.Boulware.beta",
        "Uniform(0.5, 2)",
        "mean is below 1",
    );
    let t = edit(
        MEDIATED,
        "Boulware(beta: 0.5",
        "Boulware(beta: Uniform(0.2, 1.2)",
    );
    assert!(problems(&t).is_empty(), "a Boulware β may be uncertain");
    let t = edit(
        MEDIATED,
        "Conceder(beta: 2)",
        "Conceder(beta: Normal(0.8, 0.1))",
    );
    only(
        &t,
        "actors[\"SOU\"].strategy.Conceder.beta",
        "Normal(0.8, 0.1)",
        "mean is at least 1",
    );
}

#[test]
fn every_actor_cares_about_something() {
    let t = edit(
        MEDIATED,
        "stances: {\"border\": (position: 0.5, salience: 0.2)}",
        "stances: {\"border\": (position: 0.5, salience: 0)}",
    );
    only(
        &t,
        "actors[\"MED\"].stances",
        "salience 0 on every issue",
        "a salience > 0",
    );
    let t = edit(
        MEDIATED,
        ",\n         stances: {\"border\": (position: 0.5, salience: 0.2)}",
        "",
    );
    only(
        &t,
        "actors[\"MED\"].stances",
        "no stances",
        "a salience > 0",
    );
}

#[test]
fn principals_and_protocol_rules() {
    let one = edit(
        PIE,
        "(id: \"B\", name: \"Bob\", role: Principal",
        "(id: \"B\", name: \"Bob\", role: Stakeholder",
    );
    has(&problems(&one), "actors", "1 principal (A)", "at least 2");
    let t = edit(MEDIATED, "mediator: \"MED\"", "mediator: \"UN\"");
    only(
        &t,
        "protocol.Mediated.mediator",
        "\"UN\"",
        "an actor with role Mediator: one of MED",
    );
    let t = edit(MEDIATED, "mediator: \"MED\"", "mediator: \"PAT\"");
    only(
        &t,
        "protocol.Mediated.mediator",
        "\"PAT\" (a Stakeholder)",
        "role Mediator",
    );
    let t = edit(PIE, "proposer: RoundRobin", "proposer: Order([])");
    only(
        &t,
        "protocol.AlternatingOffers.proposer.Order",
        "an empty list",
        "at least one",
    );
    let t = edit(
        PIE,
        "proposer: RoundRobin",
        "proposer: Order([\"A\", \"Z\"])",
    );
    only(
        &t,
        "protocol.AlternatingOffers.proposer.Order[1]",
        "\"Z\"",
        "one of A, B",
    );
    let t = edit(
        MEDIATED,
        "protocol: Mediated(\n        mediator: \"MED\",\n        text: NashBargaining,\n        step: 0.2,\n        max_rounds: 24,\n        disagreement: Reservation,\n    )",
        "protocol: AlternatingOffers(max_rounds: 24, proposer: Order([\"NOR\", \"PAT\"]), acceptance: Quota(3))",
    );
    let ps = problems(&t);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    has(
        &ps,
        "protocol.AlternatingOffers.proposer.Order[1]",
        "(a Stakeholder)",
        "NOR, SOU, MED",
    );
    has(
        &ps,
        "protocol.AlternatingOffers.acceptance.Quota",
        "3",
        "1..=2",
    );
    let t = edit(PIE, "proposer: RoundRobin", "acceptance: Quota(0)");
    only(
        &t,
        "protocol.AlternatingOffers.acceptance.Quota",
        "0",
        "1..=2",
    );
    for (n, ok) in [(0, false), (1, true), (1_000_000, true), (1_000_001, false)] {
        let t = edit(PIE, "max_rounds: 50", &format!("max_rounds: {n}"));
        if ok {
            assert!(problems(&t).is_empty(), "{n}");
        } else {
            only(
                &t,
                "protocol.AlternatingOffers.max_rounds",
                &n.to_string(),
                "1..=1000000",
            );
        }
    }
    // The mediated protocol stays at 100,000 rounds.
    for (n, ok) in [(100_000, true), (100_001, false), (1_000_000, false)] {
        let t = edit(MEDIATED, "max_rounds: 24", &format!("max_rounds: {n}"));
        if ok {
            assert!(problems(&t).is_empty(), "{n}: {:?}", problems(&t));
        } else {
            only(
                &t,
                "protocol.Mediated.max_rounds",
                &n.to_string(),
                "1..=100000 under this protocol (only AlternatingOffers takes up to 1000000)",
            );
        }
    }
}

#[test]
fn events_fit_the_rounds_and_name_what_exists() {
    let rounds = "a round in 1..=24";
    only(
        &edit(MEDIATED, "at: Round(6)", "at: Round(0)"),
        "events[0].at.Round",
        "0",
        rounds,
    );
    only(
        &edit(MEDIATED, "at: Round(6)", "at: Round(25)"),
        "events[0].at.Round",
        "25",
        rounds,
    );
    only(
        &edit(MEDIATED, "from: 2, to: 20", "from: 12, to: 10"),
        "events[1].at.Window.to",
        "10, before from = 12",
        "no earlier than `from`",
    );
    only(
        &edit(MEDIATED, "from: 2, to: 20", "from: 0, to: 20"),
        "events[1].at.Window.from",
        "0",
        rounds,
    );
    only(
        &edit(MEDIATED, "from: 2, to: 20", "from: 2, to: 30"),
        "events[1].at.Window.to",
        "30",
        rounds,
    );
    only(
        &edit(
            MEDIATED,
            "effects: [RemoveActor(actor: \"PAT\")]",
            "effects: []",
        ),
        "events[2].effects",
        "no effects",
        "at least one effect",
    );
    only(
        &edit(
            MEDIATED,
            "RemoveActor(actor: \"PAT\")",
            "RemoveActor(actor: \"PTA\")",
        ),
        "events[2].effects[0].RemoveActor.actor",
        "\"PTA\"",
        "one of NOR, SOU, MED, PAT",
    );
    only(
        &edit(
            MEDIATED,
            "issue: \"border\", change: Scale",
            "issue: \"borders\", change: Scale",
        ),
        "events[0].effects[0].Salience.issue",
        "\"borders\"",
        "one of border, corridor",
    );
    only(
        &edit(MEDIATED, "change: Scale(1.5)", "change: Scale(-1.5)"),
        "events[0].effects[0].Salience.change.Scale",
        "-1.5",
        "[0, 1e12]",
    );
    only(
        &edit(MEDIATED, "change: Set(0.5)", "change: Set(1.5)"),
        "events[0].effects[1].Position.change.Set",
        "1.5",
        "[0, 1] (the domain of what it sets)",
    );
    only(
        &edit(MEDIATED, "change: Set(2.5)", "change: Set(0)"),
        "events[1].effects[2].Capability.change.Set",
        "0",
        "(0, 1e12]",
    );
    only(
        &edit(MEDIATED, "change: Add(0.1)", "change: Add(inf)"),
        "events[1].effects[0].StatusQuo.change.Add",
        "inf",
        "finite",
    );
    only(
        &edit(
            MEDIATED,
            "Relation(a: \"NOR\", b: \"SOU\"",
            "Relation(a: \"NOR\", b: \"NOR\"",
        ),
        "events[1].effects[1].Relation.b",
        "the same actor",
        "two different actors",
    );
    assert!(
        problems(&edit(MEDIATED, "change: Add(0.1)", "change: Add(-3)")).is_empty(),
        "Add may be any finite amount"
    );
}

#[test]
fn options_are_sorted_distinct_labelled_and_at_least_two() {
    let t = edit(MEDIATED, "(at: 0.5, label", "(at: 0, label");
    only(
        &t,
        "issues[\"corridor\"].options[1].at",
        "0 again (also options[0])",
        "each point once",
    );
    let t = edit(MEDIATED, "(at: 1, label", "(at: 0.2, label");
    only(
        &t,
        "issues[\"corridor\"].options[2].at",
        "0.2 after 0.5",
        "sorted",
    );
    let t = edit(
        MEDIATED,
        "label: \"corridor under national control\"",
        "label: \" \"",
    );
    only(
        &t,
        "issues[\"corridor\"].options[1].label",
        "\" \"",
        "non-empty label",
    );
    let t = edit(
        PIE,
        "status_quo: 0),\n        (id: \"share_B\"",
        "status_quo: 0, options: [(at: 0, label: \"none\")]),\n        (id: \"share_B\"",
    );
    let ps = problems(&t);
    has(&ps, "issues[\"share_A\"].options", "1 option", "at least 2");
    has(&ps, "pie[0]", "an issue with options", "a continuous issue");
}

#[test]
fn the_pie_names_distinct_continuous_issues_within_one_whole() {
    only(
        &edit(
            PIE,
            "pie: [\"share_A\", \"share_B\"]",
            "pie: [\"share_A\", \"share_C\"]",
        ),
        "pie[1]",
        "\"share_C\"",
        "one of share_A, share_B",
    );
    only(
        &edit(
            PIE,
            "pie: [\"share_A\", \"share_B\"]",
            "pie: [\"share_A\", \"share_A\"]",
        ),
        "pie[1]",
        "again",
        "each pie issue once",
    );
    let t = edit(
        PIE,
        "the whole pie\", status_quo: 0)",
        "the whole pie\", status_quo: 0.7)",
    );
    let t = edit(
        &t,
        "the whole pie\", status_quo: 0)",
        "the whole pie\", status_quo: 0.6)",
    );
    only(&t, "pie", "summing to 1.3", "at most 1");
}

#[test]
fn calendar_text_is_checked() {
    only(
        &edit(MEDIATED, "round: \"2 weeks\"", "round: \"fortnightly\""),
        "metadata.round",
        "\"fortnightly\"",
        "\"N week(s)\"",
    );
    only(
        &edit(MEDIATED, "round: \"2 weeks\"", "round: \"0 weeks\""),
        "metadata.round",
        "\"0 weeks\"",
        "N ≥ 1",
    );
    only(
        &edit(MEDIATED, "start: \"2024-02-29\"", "start: \"2023-02-29\""),
        "metadata.start",
        "\"2023-02-29\"",
        "a real date",
    );
}

#[test]
fn sizes_are_limited() {
    let mut s = scenario(PIE);
    s.issues.clear();
    s.pie.clear();
    for a in &mut s.actors {
        a.stances = Default::default();
    }
    let ps = problems_of(&s);
    has(&ps, "issues", "no issues", "1 to 1000 issues");

    let mut s = scenario(PIE);
    let issue: IssueSpec = s.issues[0].clone();
    for k in 0..1000 {
        s.issues.push(IssueSpec {
            id: format!("extra{k}"),
            ..issue.clone()
        });
    }
    let ps = problems_of(&s);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    has(&ps, "issues", "1002 issues", "at most 1000");

    let mut s = scenario(PIE);
    // Not `Equilibrium`: 1000 principals are not a game with a known solution.
    for a in &mut s.actors {
        a.strategy = crate::scenario::schema::StrategySpec::Linear;
    }
    let actor: ActorSpec = s.actors[0].clone();
    for k in 0..999 {
        s.actors.push(ActorSpec {
            id: format!("extra{k}"),
            ..actor.clone()
        });
    }
    let ps = problems_of(&s);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    has(&ps, "actors", "1001 actors", "at most 1000");
    s.actors.pop();
    assert!(problems_of(&s).is_empty(), "1000 actors are allowed");
}
