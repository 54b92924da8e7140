//! What the reports print of names, identifiers and labels the scenario chooses: any length,
//! any character, safe on a terminal and in a spreadsheet.

use treaty::model::Model;
use treaty::montecarlo::{BatchConfig, Summary, Unwatched, replay_run, summarise};
use treaty::report::trace::{Trace, TraceRecorder};
use treaty::report::{Format, Render};
use treaty::scenario::Source;

const BORDER_TALKS: &str = include_str!("../fixtures/good/border-talks.ron");

/// The border-talks fixture with each `(from, to)` replaced, prepared into a model.
fn model_with(replacements: &[(&str, &str)]) -> Model {
    let mut text = BORDER_TALKS.to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let source = Source {
        file: "named.ron".into(),
        text,
    };
    match treaty::scenario::prepare(&source, &[]) {
        Ok(model) => model,
        Err(e) => panic!("{e}"),
    }
}

fn summary(model: &Model) -> Summary {
    summarise(model, &BatchConfig::new(7, 40), &mut Unwatched).unwrap()
}

fn trace(model: &Model) -> Trace {
    let mut recorder = TraceRecorder::new(model, 7, 0);
    replay_run(model, 7, 0, &mut recorder);
    recorder.finish()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// Whether `c` would act on a terminal: a control character other than the line feed, or a
/// bidirectional formatting character.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[test]
fn names_ids_and_labels_of_70000_characters_are_printed_cut_to_their_columns() {
    let long_name = "N".repeat(70_000);
    let long_id = "b".repeat(70_000);
    let long_label = "L".repeat(70_000);
    // Validation bounds the lengths of what a file may say; a model built in a program is not
    // bounded, and the printers must hold for it.
    let mut model = model_with(&[]);
    for actor in model.actors.iter_mut().filter(|a| a.name == "North") {
        actor.name = long_name.clone();
    }
    for issue in model.issues.iter_mut() {
        if issue.id == "border" {
            issue.id = long_id.clone();
        }
        for option in issue
            .options
            .iter_mut()
            .filter(|o| o.label == "no corridor")
        {
            option.label = long_label.clone();
        }
    }
    assert!(model.actors.iter().any(|a| a.name == long_name));
    assert!(model.issues.iter().any(|i| i.id == long_id));
    assert!(
        model
            .issues
            .iter()
            .any(|i| i.options.iter().any(|o| o.label == long_label))
    );
    let t = trace(&model);
    let prose = text(t.render(Format::Text).unwrap());
    assert!(prose.ends_with('\n'));
    // The actors' table cuts the name to its column.
    let row = prose
        .lines()
        .find(|l| l.starts_with("  NNNN"))
        .expect("the actor's row");
    assert!(row.contains("N…  "), "{}", &row[..row.len().min(200)]);
    assert!(row.chars().count() < 120, "{row}");
    // The issues' column of a point cuts the identifier.
    assert!(
        prose
            .lines()
            .any(|l| l.trim_start().starts_with("bbbb") && l.contains("b…  "))
    );
    let json = text(t.render(Format::Json).unwrap());
    assert!(json.contains(&long_id));
    let page = text(t.render(Format::Html).unwrap());
    assert!(page.contains("</html>"));

    let s = summary(&model);
    let table = text(s.render(Format::Table).unwrap());
    assert!(table.ends_with('\n'));
    for line in table.lines() {
        assert!(
            line.chars().count() <= 100,
            "{}",
            &line[..line.len().min(200)]
        );
    }
    assert!(text(s.render(Format::Html).unwrap()).contains("</html>"));
    assert!(text(s.render(Format::Csv).unwrap()).contains(&long_label));
}

#[test]
fn control_and_bidi_characters_never_reach_a_terminal() {
    let hostile_name = "Nor\u{1b}]8;;http://evil.example\u{7}th\u{1b}[2J\u{202e}<b>";
    let hostile_label = "no \u{1b}[31mcorridor\r\u{9b}1m\u{2066}\u{200f}\u{8}";
    let model = model_with(&[
        ("name: \"North\"", &format!("name: \"{hostile_name}\"")),
        ("\"no corridor\"", &format!("\"{hostile_label}\"")),
        (
            "\"Election in South\"",
            "\"Election\u{1b}[1A in South \u{2067}\"",
        ),
    ]);
    let t = trace(&model);
    let s = summary(&model);
    for (what, out) in [
        ("trace", t.to_text()),
        ("trace text", text(t.render(Format::Text).unwrap())),
        ("table", text(s.render(Format::Table).unwrap())),
    ] {
        let bad: Vec<char> = out.chars().filter(|&c| acts_on_terminal(c)).collect();
        assert!(bad.is_empty(), "{what} prints {bad:?}");
        assert!(
            out.contains('\u{FFFD}'),
            "{what} shows where the controls were"
        );
    }
    // The formats for programs keep the text as it is (escaped by their own rules).
    let json = text(t.render(Format::Json).unwrap());
    assert!(
        !json.contains('\u{1b}') && json.contains("\\u001b"),
        "JSON escapes"
    );
    let page = text(t.render(Format::Html).unwrap());
    let at = page.find('\u{1b}').unwrap_or(0);
    assert!(
        !page.contains('\u{1b}') && !page.contains('\u{7}'),
        "{}",
        &page[at.saturating_sub(200)..at + 50]
    );
    assert!(page.contains("th\u{FFFD}[2J\u{202e}&lt;b&gt;") && !page.contains("<b>"));
}

#[test]
fn csv_text_cells_that_start_a_formula_are_quoted_and_numbers_are_not() {
    let model = model_with(&[
        ("\"no corridor\"", "\"=HYPERLINK(\\\"http://evil\\\")\""),
        ("\"corridor under national control\"", "\"@SUM(A1:A9)\""),
        ("\"extraterritorial corridor\"", "\"-2+3\""),
    ]);
    let csv = text(summary(&model).render(Format::Csv).unwrap());
    assert!(
        csv.contains("option,corridor,'@SUM(A1:A9),at,0.5,,"),
        "{csv}"
    );
    assert!(csv.contains("option,corridor,'-2+3,at,1,,"), "{csv}");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    // Every cell of every row: none starts a formula unless it is a number.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !formula || cell.parse::<f64>().is_ok_and(f64::is_finite),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn every_text_for_a_terminal_ends_with_a_line_feed() {
    let model = model_with(&[]);
    let s = summary(&model);
    assert!(text(s.render(Format::Table).unwrap()).ends_with('\n'));
    assert!(trace(&model).to_text().ends_with('\n'));
}

/// A valid scenario of `n_actors` principals on `n_issues` issues, each actor caring about
/// every issue with its own ideal point, salience and capability.
fn large_scenario(n_actors: usize, n_issues: usize) -> String {
    let issues: String = (0..n_issues)
        .map(|j| {
            format!(
                "(id: \"I{j}\", name: \"issue {j}\", low: \"l\", high: \"h\", status_quo: 0.5),\n"
            )
        })
        .collect();
    let actors: String = (0..n_actors)
        .map(|a| {
            let stances: Vec<String> = (0..n_issues)
                .map(|j| {
                    let p = ((a * 7 + j * 13) % 101) as f64 / 100.0;
                    let s = 0.05 + ((a * 3 + j * 11) % 19) as f64 / 20.0;
                    format!("\"I{j}\": (position: {p:?}, salience: {s:?})")
                })
                .collect();
            let capability = 0.5 + (a % 17) as f64 / 10.0;
            format!(
                "(id: \"A{a}\", name: \"actor {a}\", role: Principal, capability: {capability:?}, \
                 strategy: Hardliner, stances: {{{}}}),\n",
                stances.join(", ")
            )
        })
        .collect();
    format!(
        "(metadata: (name: \"large\", description: \"a large model\"),\n\
         issues: [\n{issues}],\nactors: [\n{actors}],\nprotocol: ExpectedUtility(max_rounds: 2))\n"
    )
}

#[test]
fn the_html_page_of_a_large_model_draws_the_top_issues_and_actors_and_says_so() {
    let source = Source {
        file: "large.ron".into(),
        text: large_scenario(200, 100),
    };
    let model = treaty::scenario::prepare(&source, &[]).unwrap();
    let s = summarise(&model, &BatchConfig::new(1, 4), &mut Unwatched).unwrap();
    let page = text(s.render(Format::Html).unwrap());
    assert!(
        page.contains("draws the 40 of 100 issues")
            && page.contains("60 of 200 most capable actors (140 left out)"),
        "the page says what it leaves out"
    );
    assert!(page.len() < 4_000_000, "{} bytes", page.len());
}

#[test]
fn the_trace_page_draws_aspirations_of_the_principals_only() {
    let model = model_with(&[]);
    let page = text(trace(&model).render(Format::Html).unwrap());
    let at = page
        .find("Aspiration of each actor as the round starts")
        .expect("the aspiration table");
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    assert!(
        table.contains(">NOR<") && table.contains(">SOU<"),
        "{table}"
    );
    assert!(
        !table.contains(">MED<") && !table.contains(">PAT<"),
        "{table}"
    );
    let at = page.find("Aspirations over the run:").unwrap();
    let sentence = &page[at..at + page[at..].find('.').unwrap()];
    assert!(
        !sentence.contains("Mediator") && !sentence.contains("Patron"),
        "{sentence}"
    );
}

#[test]
fn the_trace_page_of_a_large_model_draws_the_top_issues_and_says_so() {
    let source = Source {
        file: "large.ron".into(),
        text: large_scenario(200, 100),
    };
    let model = treaty::scenario::prepare(&source, &[]).unwrap();
    let page = text(trace(&model).render(Format::Html).unwrap());
    assert!(
        page.contains("draws the 40 of 100 issues"),
        "the page says what it leaves out"
    );
    assert!(page.len() < 4_000_000, "{} bytes", page.len());
}
