//! The bundled scenarios, damaged in every way a hand edit or a broken transfer can damage a file
//! (bytes flipped, bytes deleted, lines duplicated, numbers swapped for NaN, infinities, 1e308,
//! −0.0, subnormals or huge integers, values nested thousands deep) and loaded as the program
//! loads them (UTF-8 check, parse, validate). Every input must:
//!
//! - return, never panic (a panic fails the test, an overflowed stack aborts it);
//! - if refused, carry a location: a line and column inside the text, or logical paths that start
//!   at a field of the scenario, each with what was found and what is allowed;
//! - if accepted, sample finite numbers and play one run whose outcome is finite.
//!
//! How long loading takes is not asserted here (a test's wall-clock time depends on the machine
//! and its load): the pathological inputs below (values nested 100,000 deep, an actor line
//! repeated a thousand times) are measured by the `damaged inputs` benchmarks in
//! `benches/validation.rs`, which state the old bound of a second per input.

use proptest::prelude::*;
use treaty::engine::{NoopObserver, simulate_run};
use treaty::rng::SimRng;
use treaty::scenario::{ScenarioError, Source, bundled, parse, validate};

/// The most bytes one duplication adds. With nestings of at most 50,000 levels, a damaged file
/// stays under about 1.5 MB: big enough to exercise whatever grows with a file's length, small
/// enough that a thousand cases stay quick (the slowest input seen loaded in 50 ms on an idle
/// machine).
const MAX_COPIES: usize = 256 * 1024;

/// The fields of a scenario: every logical path starts with one of them.
const TOP_LEVEL: &[&str] = &[
    "metadata",
    "issues",
    "actors",
    "relations",
    "protocol",
    "escalation",
    "events",
    "perception_noise",
    "pie",
    "interdependence",
];

/// Numbers that break naive code: not finite, at the edges of f64, integers beyond u32, u64, i64
/// and u128, signed zero, subnormals, just over the validator's cap.
const SPECIAL_NUMBERS: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "+inf",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e309",
    "-0.0",
    "-0",
    "5e-324",
    "1e-320",
    "4294967296",
    "-4294967297",
    "18446744073709551616",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999999999999999999999999999999",
    "0.00000000000000000000000000000000000000000000000000000000000000000000000001",
    "1e12",
    "1.0000000000001e12",
    "1e-9",
    "0x7fffffff",
    "1_000",
];

/// How a value can be nested: (opening, closing).
const NESTINGS: &[(&str, &str)] = &[
    ("[", "]"),
    ("(", ")"),
    ("{\"k\": ", "}"),
    ("Some(", ")"),
    ("Normal(", ", 1)"),
    ("/*", "*/"),
];

/// One damage to a file. Positions are taken modulo the file's length (or number of lines or
/// numbers), so every value is meaningful for every file.
#[derive(Debug, Clone)]
enum Damage {
    /// XOR one byte with a non-zero mask (may make the text invalid UTF-8).
    Flip { at: usize, mask: u8 },
    /// Remove `len` bytes.
    Delete { at: usize, len: usize },
    /// Repeat one line `times` more times right after itself.
    DuplicateLine { line: usize, times: usize },
    /// Replace one number of the file with a special number.
    Number { nth: usize, with: usize },
    /// Replace one number of the file with itself nested `depth` deep.
    NestNumber {
        nth: usize,
        kind: usize,
        depth: usize,
    },
    /// Insert `depth` openings and closings of a nesting at a byte position.
    Nest {
        at: usize,
        kind: usize,
        depth: usize,
    },
    /// Cut the file at a byte position.
    Truncate { at: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| Damage::Flip { at, mask }),
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Damage::Delete { at, len }),
        (any::<usize>(), prop_oneof![1..3usize, 990..1010usize])
            .prop_map(|(line, times)| Damage::DuplicateLine { line, times }),
        (any::<usize>(), 0..SPECIAL_NUMBERS.len())
            .prop_map(|(nth, with)| Damage::Number { nth, with }),
        (
            any::<usize>(),
            0..NESTINGS.len(),
            prop_oneof![1..8usize, 100..200usize, 5_000..50_000usize]
        )
            .prop_map(|(nth, kind, depth)| Damage::NestNumber { nth, kind, depth }),
        (
            any::<usize>(),
            0..NESTINGS.len(),
            prop_oneof![1..8usize, 5_000..50_000usize]
        )
            .prop_map(|(at, kind, depth)| Damage::Nest { at, kind, depth }),
        any::<usize>().prop_map(|at| Damage::Truncate { at }),
    ]
}

/// Applies one damage to a file's bytes.
fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match *damage {
        Damage::Flip { at, mask } => bytes[at % n] ^= mask,
        Damage::Delete { at, len } => {
            let start = at % n;
            bytes.drain(start..(start + len).min(n));
        }
        Damage::DuplicateLine { line, times } => {
            let lines = line_spans(bytes);
            let (start, end) = lines[line % lines.len()];
            let copy: Vec<u8> = bytes[start..end].to_vec();
            // At most MAX_COPIES bytes of copies, so inputs stay around a megabyte at most.
            let times = times.min(MAX_COPIES / copy.len().max(1));
            let repeated: Vec<u8> = copy
                .iter()
                .copied()
                .cycle()
                .take(copy.len() * times)
                .collect();
            bytes.splice(end..end, repeated);
        }
        Damage::Number { nth, with } => {
            replace_number(bytes, nth, |_| SPECIAL_NUMBERS[with].to_string());
        }
        Damage::NestNumber { nth, kind, depth } => {
            let (open, close) = NESTINGS[kind];
            replace_number(bytes, nth, |old| {
                format!("{}{old}{}", open.repeat(depth), close.repeat(depth))
            });
        }
        Damage::Nest { at, kind, depth } => {
            let (open, close) = NESTINGS[kind];
            let text = format!("{}{}", open.repeat(depth), close.repeat(depth));
            let at = at % (n + 1);
            bytes.splice(at..at, text.into_bytes());
        }
        Damage::Truncate { at } => bytes.truncate(at % n),
    }
}

/// Byte spans of the lines of a text, each with its newline.
fn line_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < bytes.len() || spans.is_empty() {
        spans.push((start, bytes.len()));
    }
    spans
}

/// Replaces the `nth` number of the text (modulo their count) by `with(old)`.
fn replace_number(bytes: &mut Vec<u8>, nth: usize, with: impl Fn(&str) -> String) {
    let spans = number_spans(bytes);
    if spans.is_empty() {
        return;
    }
    let (start, end) = spans[nth % spans.len()];
    let old = String::from_utf8_lossy(&bytes[start..end]).into_owned();
    bytes.splice(start..end, with(&old).into_bytes());
}

/// Byte spans of the numbers of a RON text: an optional sign, digits, a fraction and an
/// exponent, outside strings and comments, not part of an identifier.
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

/// Loads `bytes` as the program loads a file and checks everything the module docs promise.
/// Returns whether the input was accepted.
fn check(bytes: Vec<u8>) -> bool {
    let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).into_owned();
    let (loaded, text) = match Source::from_bytes("damaged.ron", bytes) {
        Ok(source) => {
            let loaded = parse(&source).and_then(|s| validate(&s, "damaged.ron"));
            (loaded, Some(source.text))
        }
        Err(e) => (Err(e), None),
    };
    let model = match loaded {
        Ok(model) => model,
        Err(e) => {
            // A UTF-8 error has no text to check its position against, only its own bounds.
            check_location(&e, text.as_deref());
            return false;
        }
    };
    let world = model.sample(&SimRng::for_run(11, 5));
    let numbers = world.numbers();
    for x in numbers {
        assert!(x.is_finite(), "an accepted scenario sampled {x}:\n{shown}");
    }
    let outcome = simulate_run(&model, &mut SimRng::for_run(11, 5), &mut NoopObserver);
    for x in outcome
        .settlement
        .iter()
        .chain(&outcome.utility)
        .chain(&outcome.concession)
    {
        assert!(
            x.is_finite(),
            "a run of an accepted scenario gave {x}:\n{shown}"
        );
    }
    true
}

/// Asserts that an error is located: a line and column inside `text` (when given), or paths
/// that start at a field of the scenario.
fn check_location(e: &ScenarioError, text: Option<&str>) {
    match e {
        ScenarioError::Parse {
            file,
            line,
            column,
            message,
            further,
        } => {
            assert_eq!(file, "damaged.ron");
            // The first problem and every further one: inside the text, in the file's order.
            let mut previous = (0, 0);
            let all = std::iter::once((*line, *column, message))
                .chain(further.iter().map(|p| (p.line, p.column, &p.message)));
            for (line, column, message) in all {
                assert!(line >= 1 && column >= 1, "{e}");
                assert!(!message.trim().is_empty(), "{e}");
                assert!((line, column) > previous, "out of order: {e}");
                previous = (line, column);
                if let Some(text) = text {
                    let lines: Vec<&str> = text.split('\n').collect();
                    assert!(line <= lines.len(), "line beyond the text: {e}");
                    let width = lines[line - 1].chars().count();
                    assert!(column <= width + 1, "column beyond its line ({width}): {e}");
                }
            }
        }
        ScenarioError::Invalid { file, problems } => {
            assert_eq!(file, "damaged.ron");
            assert!(!problems.is_empty(), "{e}");
            for p in problems {
                let top = p.path.split(['.', '[']).next().unwrap_or("");
                assert!(
                    TOP_LEVEL.contains(&top),
                    "path {:?} does not start at a field: {e}",
                    p.path
                );
                assert!(!p.found.is_empty() && !p.allowed.is_empty(), "{e}");
            }
        }
        other => panic!("loading text gave an error with neither location nor path: {other:?}"),
    }
}

fn scenario_bytes(which: usize) -> Vec<u8> {
    let all = bundled();
    all[which % all.len()].text.as_bytes().to_vec()
}

proptest! {
    #![proptest_config(crate::common::proptest_cases(1000))]

    #[test]
    fn damaged_bundled_scenarios_are_refused_with_locations(
        which in 0..16usize,
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let mut bytes = scenario_bytes(which);
        for d in &damages {
            apply(&mut bytes, d);
        }
        check(bytes);
    }
}

#[test]
fn the_bundled_scenarios_themselves_load() {
    assert!(bundled().len() >= 5);
    for b in bundled() {
        assert!(check(b.text.as_bytes().to_vec()), "{} is refused", b.name);
    }
}

#[test]
fn every_number_of_the_small_scenarios_swapped_for_each_special_number() {
    // Every bundled scenario but the long flagship, exhaustively (the flagship gets the same
    // damages at random above).
    let mut accepted = 0;
    let mut refused = 0;
    for b in bundled().iter().filter(|b| b.text.len() < 10_000) {
        let spans = number_spans(b.text.as_bytes());
        assert!(
            spans.len() > 10,
            "{}: {} numbers found",
            b.name,
            spans.len()
        );
        for nth in 0..spans.len() {
            for with in 0..SPECIAL_NUMBERS.len() {
                let mut bytes = b.text.as_bytes().to_vec();
                apply(&mut bytes, &Damage::Number { nth, with });
                if check(bytes) {
                    accepted += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    // Both happen: 1e-9 is a fine capability, NaN never is.
    assert!(
        accepted > 0 && refused > 0,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn not_a_number_and_infinities_are_refused_everywhere() {
    for b in bundled().iter().filter(|b| b.text.len() < 10_000) {
        let spans = number_spans(b.text.as_bytes());
        for nth in 0..spans.len() {
            for with in ["NaN", "inf", "-inf", "1e308", "1e309"] {
                let with = SPECIAL_NUMBERS.iter().position(|s| *s == with).unwrap();
                let mut bytes = b.text.as_bytes().to_vec();
                apply(&mut bytes, &Damage::Number { nth, with });
                let text = String::from_utf8(bytes.clone()).unwrap();
                assert!(
                    !check(bytes),
                    "{}: number {nth} as {} was accepted:\n{text}",
                    b.name,
                    SPECIAL_NUMBERS[with]
                );
            }
        }
    }
}

#[test]
fn values_nested_a_hundred_thousand_deep_are_refused() {
    for (kind, (open, _)) in NESTINGS.iter().enumerate() {
        let depth = 100_000;
        let mut bytes = scenario_bytes(0);
        apply(
            &mut bytes,
            &Damage::NestNumber {
                nth: 3,
                kind,
                depth,
            },
        );
        assert!(!check(bytes), "nesting {open:?} accepted");
    }
}

#[test]
fn nesting_is_refused_at_its_location() {
    // A number of rubinstein-pie nested 10,000 deep in brackets: the error points into the
    // nesting, on the line of the number.
    let pie = bundled()
        .iter()
        .find(|b| b.name == "rubinstein-pie")
        .unwrap();
    let (start, _) = number_spans(pie.text.as_bytes())[0];
    let line = 1 + pie.text[..start].matches('\n').count();
    let mut bytes = pie.text.as_bytes().to_vec();
    apply(
        &mut bytes,
        &Damage::NestNumber {
            nth: 0,
            kind: 0,
            depth: 10_000,
        },
    );
    let source = Source::from_bytes("damaged.ron", bytes).unwrap();
    match parse(&source) {
        Err(ScenarioError::Parse {
            line: l, message, ..
        }) => {
            assert_eq!(l, line);
            assert!(
                message.starts_with("the value is nested too deeply"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_flipped_byte_that_breaks_utf8_is_located() {
    let pie = bundled()
        .iter()
        .find(|b| b.name == "rubinstein-pie")
        .unwrap();
    let at = pie.text.find("protocol").unwrap();
    let line = 1 + pie.text[..at].matches('\n').count();
    let column = 1 + pie.text[..at].rsplit('\n').next().unwrap().chars().count();
    let mut bytes = pie.text.as_bytes().to_vec();
    bytes[at] = 0xff;
    match Source::from_bytes("damaged.ron", bytes) {
        Err(ScenarioError::Parse {
            line: l,
            column: c,
            message,
            ..
        }) => {
            assert_eq!((l, c), (line, column));
            assert!(message.starts_with("the file is not UTF-8 text (byte 0xff)"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_actor_line_repeated_a_thousand_times_is_refused_by_path() {
    // 1,001 copies of one actor: over the limit of 1,000 actors, and every copy's id repeated.
    // Each problem is named (how long the flood of problems takes is measured in
    // benches/validation.rs).
    let actor = "(id: \"X\", name: \"x\", role: Principal, capability: 1, \
                 stances: {\"I\": (position: 0.5, salience: 1)}),\n";
    let text = format!(
        "(metadata: (name: \"n\", description: \"d\"),\n\
         issues: [(id: \"I\", name: \"i\", low: \"l\", high: \"h\", status_quo: 0.5)],\n\
         actors: [\n{actor}],\n protocol: AlternatingOffers(max_rounds: 10))\n"
    );
    let mut bytes = text.into_bytes();
    apply(
        &mut bytes,
        &Damage::DuplicateLine {
            line: 3,
            times: 1000,
        },
    );
    let source = Source::from_bytes("damaged.ron", bytes).unwrap();
    let err = parse(&source)
        .and_then(|s| validate(&s, "damaged.ron"))
        .unwrap_err();
    let ScenarioError::Invalid { problems, .. } = err else {
        panic!("{err:?}")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"actors"), "{paths:?}");
    for k in 1..=1000 {
        let path = format!("actors[{k}].id");
        assert!(paths.contains(&path.as_str()), "{path} not named");
    }
}
