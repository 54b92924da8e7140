//! Further parse errors after the first.
//!
//! The RON parser stops at the first problem in a file. A scenario is made of parts that parse
//! on their own, though: its top-level fields (`metadata`, `protocol`, `escalation`, …) and the
//! elements of its lists (each issue, actor, relation and event). When the whole file fails, each
//! part is read again on its own, from its own text, and every problem found there is reported
//! at its place in the file. A part spoilt by a syntax error elsewhere (an unclosed bracket
//! that swallows what follows) cannot be told apart from the text around it, so only parts the
//! scan of [`Positions`] reads to a clear end are read again.
//!
//! Files that switch on RON extensions of their own (`#![enable(…)]`) are not read in parts: a
//! part read without the file's extensions could report problems the file does not have.

use serde::de::DeserializeOwned;

use super::error::{ParseProblem, readable_parse_error};
use super::positions::Positions;
use super::schema::{
    DisagreementSpec, EscalationSpec, EventSpec, IssueSpec, LossSpec, Metadata, ProtocolSpec,
    RelationSpec,
};
use crate::model::Value;

/// Most problems reported for one file (the first and the further ones together).
pub(crate) const MAX_PARSE_PROBLEMS: usize = 20;

/// The RON options every scenario is parsed with.
pub(crate) fn options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// A parse error as the user reads it: at a line and column of the whole text, with a value
/// of the wrong type named by its path and what was found there.
pub(crate) fn describe(
    positions: &Positions,
    code: &ron::Error,
    line: usize,
    column: usize,
) -> ParseProblem {
    let message = readable_parse_error(code);
    if let Some(allowed) = message.strip_prefix("expected a number or a distribution")
        && let Some((path, line, column, found)) = positions.value_at(line, column)
    {
        return ParseProblem {
            line,
            column,
            message: format!("{path}: found {found}; allowed: a number or a distribution{allowed}"),
        };
    }
    ParseProblem {
        line,
        column,
        message,
    }
}

/// The problems of each part of `text` read on its own (module docs), in the order of the file,
/// at most [`MAX_PARSE_PROBLEMS`].
pub(crate) fn part_problems(text: &str, positions: &Positions) -> Vec<ParseProblem> {
    if text.contains("#![") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let fields: [(&str, Reader); 8] = [
        ("metadata", read::<Metadata>),
        ("protocol", read::<ProtocolSpec>),
        ("escalation", read::<Option<EscalationSpec>>),
        ("perception_noise", read::<Value>),
        ("interdependence", read::<Value>),
        ("pie", read::<Vec<String>>),
        ("disagreement", read::<DisagreementSpec>),
        ("loss", read::<LossSpec>),
    ];
    for (field, reader) in fields {
        if let Some(span) = positions.field_span(field) {
            found.extend(reader(text, span, positions));
        }
    }
    let lists: [(&str, Reader); 4] = [
        ("issues", read::<IssueSpec>),
        ("actors", read::<super::schema::ActorSpec>),
        ("relations", read::<RelationSpec>),
        ("events", read::<EventSpec>),
    ];
    for (field, reader) in lists {
        for span in positions.element_spans(field) {
            found.extend(reader(text, span, positions));
            if found.len() >= MAX_PARSE_PROBLEMS {
                break;
            }
        }
    }
    found.sort_by_key(|p| (p.line, p.column));
    found.dedup_by_key(|p| (p.line, p.column));
    found.truncate(MAX_PARSE_PROBLEMS);
    found
}

/// Reads one part of the text on its own; its problem, if any, located in the whole text.
type Reader = fn(&str, (usize, usize), &Positions) -> Option<ParseProblem>;

fn read<T: DeserializeOwned>(
    text: &str,
    (start, end): (usize, usize),
    positions: &Positions,
) -> Option<ParseProblem> {
    let part = text.get(start..end)?;
    let e = options().from_str::<T>(part).err()?;
    // The part's line and column, moved to where the part starts in the whole text.
    let (first_line, first_column) = positions.line_column(start);
    let (line, column) = if e.span.start.line <= 1 {
        (
            first_line,
            first_column + e.span.start.col.saturating_sub(1),
        )
    } else {
        (first_line + e.span.start.line - 1, e.span.start.col)
    };
    Some(describe(positions, &e.code, line, column))
}
