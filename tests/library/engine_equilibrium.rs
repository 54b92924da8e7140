//! Where `Equilibrium` play is allowed: the validation rule, through the scenario loader.

use treaty::scenario::{ScenarioError, Source, parse, validate};

const RUBINSTEIN: &str = r#"(
    metadata: (name: "Pie", description: "Two players split a pie"),
    issues: [(id: "share", name: "A's share", low: "all to B", high: "all to A", status_quo: 0.5)],
    actors: [
        (id: "A", name: "A", role: Principal, capability: 1, strategy: Equilibrium,
         stances: {"share": (position: 1, salience: 1)}),
        (id: "B", name: "B", role: Principal, capability: 1, strategy: Equilibrium,
         stances: {"share": (position: 0, salience: 1)}),
    ],
    protocol: AlternatingOffers(max_rounds: 50, discount: {"A": 0.9, "B": 0.8}),
)"#;

fn problems(text: &str) -> Vec<(String, String, String)> {
    let source = Source {
        file: "t.ron".into(),
        text: text.into(),
    };
    let scenario = parse(&source).unwrap();
    match validate(&scenario, "t.ron") {
        Ok(_) => Vec::new(),
        Err(ScenarioError::Invalid { problems, .. }) => problems
            .into_iter()
            .map(|p| (p.path, p.found, p.allowed))
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

fn edit(from: &str, to: &str) -> String {
    assert!(RUBINSTEIN.contains(from));
    RUBINSTEIN.replacen(from, to, 1)
}

#[test]
fn the_games_with_a_known_solution_validate() {
    assert!(problems(RUBINSTEIN).is_empty());
    for name in ["rubinstein-pie", "baron-ferejohn"] {
        let loaded = treaty::scenario::load(name).unwrap();
        assert!(
            treaty::model::games::equilibrium_problems(&loaded.model).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn equilibrium_elsewhere_is_an_error_at_the_strategy() {
    let with_force = edit(
        "protocol: AlternatingOffers",
        "escalation: (cost: 0.1, imposition: 0.5),\n    protocol: AlternatingOffers",
    );
    let off_pole = edit("(position: 0, salience: 1)", "(position: 0.2, salience: 1)");
    let mediated = edit(
        "protocol: AlternatingOffers(max_rounds: 50, discount: {\"A\": 0.9, \"B\": 0.8}),",
        "protocol: Mediated(mediator: \"M\", max_rounds: 50),",
    )
    .replacen(
        "    ],\n    protocol",
        "        (id: \"M\", name: \"M\", role: Mediator, capability: 1,\n         stances: {\"share\": (position: 0.5, salience: 1)}),\n    ],\n    protocol",
        1,
    );
    let weighted = edit(
        "max_rounds: 50,",
        "max_rounds: 50, proposer: PowerWeighted,",
    );
    for (text, why) in [
        (with_force, "escalation"),
        (off_pole, "opposite poles"),
        (mediated, "Mediated"),
        (weighted, "PowerWeighted"),
    ] {
        let ps = problems(&text);
        assert_eq!(ps.len(), 2, "{why}: {ps:#?}");
        assert_eq!(ps[0].0, "actors[\"A\"].strategy");
        assert_eq!(ps[1].0, "actors[\"B\"].strategy");
        assert!(ps[0].1.contains(why), "{why}: {}", ps[0].1);
        assert!(ps[0].2.contains("Rubinstein") && ps[0].2.contains("Baron–Ferejohn"));
    }
}

#[test]
fn only_principals_play_equilibrium() {
    let text = edit(
        "    ],\n    protocol",
        "        (id: \"S\", name: \"S\", role: Stakeholder, capability: 1, strategy: Equilibrium,\n         stances: {\"share\": (position: 0.5, salience: 1)}),\n    ],\n    protocol",
    );
    let ps = problems(&text);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].0, "actors[\"S\"].strategy");
    assert!(ps[0].1.contains("Stakeholder"));
}
