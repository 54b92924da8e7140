//! Loading a large scenario: a generated scenario of 1,000 actors and 100 issues (100,000
//! stances, every number a distribution), parsed from RON and validated into a model. And
//! loading damaged scenarios that are refused: values nested 100,000 deep, an actor repeated
//! 1,001 times (see `damaged_inputs`).
//!
//! ```sh
//! cargo bench --bench validation
//! ```

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use treaty::rng::SimRng;
use treaty::scenario::{Source, bundled, parse, validate};

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

/// How a value can be nested: (opening, closing), as in tests/library/mutations.rs.
const NESTINGS: &[(&str, &str)] = &[
    ("[", "]"),
    ("(", ")"),
    ("{\"k\": ", "}"),
    ("Some(", ")"),
    ("Normal(", ", 1)"),
    ("/*", "*/"),
];

/// Byte spans of the numbers of a RON text (an optional sign, digits, a fraction and an
/// exponent, outside strings and comments, not part of an identifier), found as
/// tests/library/mutations.rs finds them.
fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if b == b'/' && at(i + 1) == b'/' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if b == b'/' && at(i + 1) == b'*' {
            i += 2;
            while i < bytes.len() && !(bytes[i] == b'*' && at(i + 1) == b'/') {
                i += 1;
            }
            i += 2;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else if b.is_ascii_digit() || (b == b'-' && at(i + 1).is_ascii_digit()) {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            if matches!(at(i), b'e' | b'E') {
                i += 1;
                if matches!(at(i), b'+' | b'-') {
                    i += 1;
                }
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            spans.push((start, i));
        } else {
            i += 1;
        }
    }
    spans
}

/// The first bundled scenario with its fourth number nested `depth` deep in `(open, close)`:
/// the input of the test `values_nested_a_hundred_thousand_deep_are_refused`.
fn nested(open: &str, close: &str, depth: usize) -> Vec<u8> {
    let mut bytes = bundled()[0].text.as_bytes().to_vec();
    let spans = number_spans(&bytes);
    let (start, end) = spans[3 % spans.len()];
    let old = String::from_utf8_lossy(&bytes[start..end]).into_owned();
    let with = format!("{}{old}{}", open.repeat(depth), close.repeat(depth));
    bytes.splice(start..end, with.into_bytes());
    bytes
}

/// Damaged scenarios that must be refused, timed as tests/library/mutations.rs used to time
/// them. That test asserted that each input loads within a second (`LIMIT`, 1 s, in the
/// test's `check` and in `an_actor_line_repeated_a_thousand_times_is_refused_by_path`); the
/// bound guarded against pathological input (quadratic blow-ups, runaway recursion, retrying
/// parsers), the real figure being a few milliseconds. A wall-clock bound is no test (it
/// depends on the machine and its load), so the figures are measured here instead:
///
/// - `nested 100,000 deep in …`: the first bundled scenario with its fourth number nested
///   100,000 deep in each kind of nesting, loaded as the program loads a file (UTF-8 check,
///   parse, validate), as in `values_nested_a_hundred_thousand_deep_are_refused`;
/// - `an actor line repeated 1,000 times`: 1,001 copies of one actor (one actor too many, and
///   every id repeated), parsed and validated into a flood of problems, as in
///   `an_actor_line_repeated_a_thousand_times_is_refused_by_path`.
fn damaged_inputs(c: &mut Criterion) {
    let mut group = c.benchmark_group("damaged inputs");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for &(open, close) in NESTINGS {
        let bytes = nested(open, close, 100_000);
        group.bench_function(format!("nested 100,000 deep in {open}…{close}"), |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| {
                    let loaded =
                        Source::from_bytes("damaged.ron", black_box(bytes)).and_then(|source| {
                            parse(&source).and_then(|s| validate(&s, "damaged.ron"))
                        });
                    assert!(loaded.is_err());
                    black_box(loaded)
                },
                BatchSize::LargeInput,
            );
        });
    }

    let actor = "(id: \"X\", name: \"x\", role: Principal, capability: 1, \
                 stances: {\"I\": (position: 0.5, salience: 1)}),\n";
    let source = Source {
        file: "damaged.ron".into(),
        text: format!(
            "(metadata: (name: \"n\", description: \"d\"),\n\
             issues: [(id: \"I\", name: \"i\", low: \"l\", high: \"h\", status_quo: 0.5)],\n\
             actors: [\n{}],\n protocol: AlternatingOffers(max_rounds: 10))\n",
            actor.repeat(1001)
        ),
    };
    group.bench_function("an actor line repeated 1,000 times", |b| {
        b.iter(|| {
            let loaded = parse(black_box(&source)).and_then(|s| validate(&s, "damaged.ron"));
            assert!(loaded.is_err());
            black_box(loaded)
        });
    });
    group.finish();
}

criterion_group!(benches, load_large, damaged_inputs);
criterion_main!(benches);
