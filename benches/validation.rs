//! Loading a large scenario: a generated scenario of 1,000 actors and 100 issues (100,000
//! stances, every number a distribution), parsed from RON and validated into a model.
//!
//! ```sh
//! cargo bench --bench validation
//! ```

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use treaty::rng::SimRng;
use treaty::scenario::{Source, parse, validate};

const ACTORS: usize = 1_000;
const ISSUES: usize = 100;

/// A number written as a triangular distribution of width ±0.05 around a point in [0, 1].
fn triangular(rng: &mut SimRng) -> String {
    let mode = 0.05 + 0.9 * rng.next_unit();
    format!(
        "Triangular({:.3}, {:.3}, {:.3})",
        mode - 0.05,
        mode,
        mode + 0.05
    )
}

/// The RON text of the generated scenario: `ACTORS` actors (two principals, the others
/// stakeholders and mediators with every tactic), `ISSUES` issues (every fifth with options),
/// a relation from each actor to the next, a scheduled and a random event, force.
fn generated_scenario() -> String {
    let mut rng = SimRng::for_run(6, 0);
    let mut s = String::new();
    s.push_str(
        "(\n  metadata: (name: \"Generated\", description: \"1,000 actors, 100 issues\"),\n",
    );
    s.push_str("  issues: [\n");
    for j in 0..ISSUES {
        let sq = triangular(&mut rng);
        let _ = write!(
            s,
            "    (id: \"I{j}\", name: \"Issue {j}\", low: \"none\", high: \"all\", status_quo: "
        );
        if j % 5 == 0 {
            s.push_str("0.5, options: [(at: 0, label: \"no\"), (at: 0.5, label: \"half\"), (at: 1, label: \"yes\")]),\n");
        } else {
            let _ = writeln!(s, "{sq}),");
        }
    }
    s.push_str("  ],\n  actors: [\n");
    let strategies = [
        "Boulware(beta: Triangular(0.2, 0.3, 0.4))",
        "Conceder(beta: Triangular(2.0, 3.0, 4.0))",
        "Linear",
        "TitForTat",
        "Hardliner",
    ];
    for a in 0..ACTORS {
        let role = match a {
            0 | 1 => "Principal",
            a if a % 10 == 0 => "Mediator",
            _ => "Stakeholder",
        };
        let capability = triangular(&mut rng);
        let reservation = triangular(&mut rng);
        let _ = write!(
            s,
            "    (id: \"A{a}\", name: \"Actor {a}\", role: {role}, capability: {capability}, \
             reservation: {reservation}, strategy: {}, stances: {{",
            strategies[a % strategies.len()]
        );
        for j in 0..ISSUES {
            let position = triangular(&mut rng);
            let salience = triangular(&mut rng);
            let _ = write!(
                s,
                "\"I{j}\": (position: {position}, salience: {salience}), "
            );
        }
        s.push_str("}),\n");
    }
    s.push_str("  ],\n  relations: [\n");
    for a in 0..ACTORS {
        let b = (a + 1) % ACTORS;
        let strength = triangular(&mut rng);
        let _ = writeln!(s, "    (a: \"A{a}\", b: \"A{b}\", strength: {strength}),");
    }
    s.push_str(
        "  ],\n  protocol: AlternatingOffers(max_rounds: 50, proposer: PowerWeighted),\n\
         \x20 escalation: (cost: Triangular(0.1, 0.2, 0.3), imposition: 0.5, initiators: [\"A0\"]),\n\
         \x20 events: [\n\
         \x20   (label: \"Summit\", at: Round(5), effects: [Salience(actor: \"A3\", issue: \"I7\", change: Add(Uniform(0.0, 0.1)))]),\n\
         \x20   (label: \"Clash\", at: Window(from: 1, to: 50, probability: Uniform(0.01, 0.05)), \
         effects: [Relation(a: \"A0\", b: \"A1\", change: Add(Uniform(-0.1, 0.0)))]),\n\
         \x20 ],\n\
         \x20 perception_noise: Uniform(0.0, 0.02),\n)\n",
    );
    s
}

fn load_large(c: &mut Criterion) {
    let source = Source {
        file: "generated.ron".into(),
        text: generated_scenario(),
    };
    let scenario = match parse(&source) {
        Ok(s) => s,
        Err(e) => panic!("the generated scenario does not parse: {e}"),
    };
    if let Err(e) = validate(&scenario, &source.file) {
        panic!("the generated scenario is invalid: {e}");
    }

    let mut group = c.benchmark_group("1,000 actors × 100 issues");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(12));
    group.throughput(Throughput::Bytes(source.text.len() as u64));
    group.bench_function("validate", |b| {
        b.iter(|| {
            let model = validate(black_box(&scenario), &source.file);
            assert!(model.is_ok());
            black_box(model)
        });
    });
    group.bench_function("parse and validate", |b| {
        b.iter(|| {
            let model = parse(black_box(&source)).and_then(|s| validate(&s, &source.file));
            assert!(model.is_ok());
            black_box(model)
        });
    });
    group.finish();
}

criterion_group!(benches, load_large);
criterion_main!(benches);
