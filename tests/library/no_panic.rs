//! Property tests: no mutation of a valid scenario makes loading panic, and every scenario that
//! validates samples to finite numbers.

use proptest::prelude::*;
use treaty::rng::SimRng;
use treaty::scenario::{Source, parse, validate};

const GOOD: [&str; 2] = [
    include_str!("../fixtures/good/border-talks.ron"),
    include_str!("../fixtures/good/pie-split.ron"),
];

/// Pieces of text that make interesting damage in a RON scenario.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "0",
    "-1",
    "1e308",
    "NaN",
    "inf",
    "-inf",
    "4294967296",
    "Normal(0.5, 0)",
    "Uniform(3, 2)",
    "Triangular(0, 2, 1)",
    "Some(",
    "\"ARM\"",
    "Principal",
    "Mediator",
    "Stakeholder",
    "//",
    "/*",
    "é",
    "\u{0}",
    "0.99999999999999999",
];

/// One damage: (which file, byte position, how many bytes to remove, what to insert).
fn damage() -> impl Strategy<Value = (usize, usize, usize, usize)> {
    (0..GOOD.len(), 0..4000usize, 0..12usize, 0..PIECES.len())
}

fn check(text: &str) {
    let source = Source {
        file: "fuzz.ron".into(),
        text: text.to_string(),
    };
    let Ok(scenario) = parse(&source) else { return };
    let Ok(model) = validate(&scenario, "fuzz.ron") else {
        return;
    };
    let world = model.sample(&SimRng::for_run(7, 3));
    let numbers = world.numbers();
    for x in numbers {
        assert!(x.is_finite(), "a validated model sampled {x}:\n{text}");
    }
}

/// The nearest char boundary at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(crate::common::proptest_cases(400))]

    #[test]
    fn damaged_scenarios_never_panic(edits in prop::collection::vec(damage(), 1..4)) {
        let mut text = GOOD[edits[0].0].to_string();
        for (_, at, remove, piece) in edits {
            let start = boundary(&text, at);
            let end = boundary(&text, start + remove);
            text.replace_range(start..end, PIECES[piece]);
        }
        check(&text);
    }

    #[test]
    fn numbers_anywhere_never_panic(which in 0..GOOD.len(), nth in 0..200usize, x in prop::num::f64::ANY) {
        // Replace the nth number of the file with an arbitrary double (NaN and infinities included).
        let text = GOOD[which];
        let spans: Vec<(usize, usize)> = number_spans(text);
        let (start, end) = spans[nth % spans.len()];
        let written = if x.is_nan() { "NaN".to_string() } else if x.is_infinite() {
            if x > 0.0 { "inf".to_string() } else { "-inf".to_string() }
        } else { format!("{x:e}") };
        let mut changed = text.to_string();
        changed.replace_range(start..end, &written);
        check(&changed);
    }
}

/// Byte spans of the plain numbers of a text (digits and dots outside strings and comments,
/// good enough for the fixtures).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let (mut i, mut in_string, mut in_comment) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_comment {
            in_comment = b != b'\n';
        } else if in_string {
            in_string = b != b'"';
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            in_comment = true;
        } else if b.is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            spans.push((start, i));
            continue;
        }
        i += 1;
    }
    spans
}
