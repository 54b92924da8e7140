//! Why a scenario cannot be loaded, located for the user.
//!
//! Two layers, as the file is read: a problem the parser meets ([`ScenarioError::Parse`]) carries
//! the file and a 1-based line and column (columns count characters); a problem found when the
//! parsed scenario is checked ([`Problem`], gathered in [`ScenarioError::Invalid`]) carries the
//! logical path inside the scenario (`actors["RUS"].stances["lachin"].salience`: an actor or issue
//! by its id, or by its index where the id is missing, invalid or given twice), what was found and
//! what is allowed. Validation reports every problem of a file at once.

use super::overrides::OverrideError;
use std::fmt;

/// The largest scenario file read, in bytes (16 MiB). Larger files are refused before reading.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One semantic problem of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: the logical path inside the scenario, e.g. `actors["RUS"].stances["I1"].salience`
    /// (elements with an id are named by it, others by their index: `events[0]`).
    pub path: String,
    /// What the file says there, e.g. `-0.3` or `"ARN"`.
    pub found: String,
    /// What would be accepted, e.g. `a number or distribution in [0, ∞)`.
    pub allowed: String,
    /// The override (`PATH=VALUE`, given with `--set`) that brought the problem in, if any:
    /// the problem is then the override's, not the file's.
    pub set: Option<String>,
    /// The 1-based line in the file where the value at `path` starts (or, for a value the file
    /// leaves out, the value that holds it), when the problem is the file's and the text is known.
    pub line: Option<usize>,
    /// The 1-based column (in characters) of that start.
    pub column: Option<usize>,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(
        path: impl Into<String>,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            found: found.into(),
            allowed: allowed.into(),
            set: None,
            line: None,
            column: None,
        }
    }
}

/// A logical path in the dotted form of an override's path: `actors["RUS"].stances["I1"]`
/// becomes `actors.RUS.stances.I1`, `events[0]` becomes `events.0`.
fn dotted(path: &str) -> String {
    path.replace("[\"", ".")
        .replace("\"]", "")
        .replace('[', ".")
        .replace(']', "")
}

impl fmt::Display for Problem {
    /// `PATH: found X; allowed: Y`; for a problem an override brought in, `--set PATH=VALUE:`
    /// first, and the logical path only when it is not the override's own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(set) = &self.set {
            write!(f, "--set {set}: ")?;
            let own = set.split_once('=').map(|(p, _)| p.trim());
            if own != Some(dotted(&self.path).as_str()) {
                write!(f, "{}: ", self.path)?;
            }
        } else {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "found {}; allowed: {}", self.found, self.allowed)
    }
}

/// A scenario that cannot be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read (missing, a directory, unreadable).
    #[error("{file}: {message}")]
    Io {
        /// The file, as given.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read.
    #[error(
        "{file}: the file is {size} bytes; scenario files are limited to {limit} bytes (16 MiB)"
    )]
    TooLarge {
        /// The file, as given.
        file: String,
        /// Its size in bytes (at least `limit + 1` when only that much was read).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The text is not a scenario: invalid UTF-8, a RON syntax error, an unknown or missing
    /// field, a value of the wrong type. The first problem in the file, and any further ones
    /// found by reading each part of the scenario on its own (see [`crate::scenario::parse`]).
    #[error("{file}:{line}:{column}: {message}{}", DisplayFurther { file, further })]
    Parse {
        /// The file, as given (or the bundled scenario's name).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong, in words.
        message: String,
        /// Further problems after the first, in the order of the file.
        further: Vec<ParseProblem>,
    },
    /// The scenario parses but breaks rules; every broken rule is listed.
    #[error("{}", DisplayProblems { file, problems })]
    Invalid {
        /// The file, as given (or the bundled scenario's name).
        file: String,
        /// Every problem, in the order of the file.
        problems: Vec<Problem>,
    },
    /// An override (`--set PATH=VALUE`) cannot be read or applied. The message is the
    /// override's own (it names the override, not the file), told once.
    #[error("{error}")]
    Override {
        /// The file the override was applied to.
        file: String,
        /// What is wrong with the override.
        error: OverrideError,
    },
    /// A row of a table being imported (see [`import`](super::import)) cannot be read: a missing
    /// column, a value that is not a number or out of range, an unknown or repeated id. Also a
    /// place in a GENIUS or GeniusWeb file being imported (malformed XML or JSON, a non-linear
    /// profile, a profile that does not match its domain): the column then counts characters.
    #[error("{file}:{line}:{column}: {message}")]
    Table {
        /// The table's file, as given.
        file: String,
        /// 1-based line in the file (the header is line 1).
        line: usize,
        /// 1-based index of the offending field in its row (1 when the whole row or header is
        /// at fault).
        column: usize,
        /// What is wrong, in words, naming the column (`column 3 (position): ...`).
        message: String,
    },
    /// The name is neither a file nor a bundled scenario.
    #[error(
        "{name}: no such file, and no bundled scenario of that name (bundled: {})",
        if available.is_empty() { "none".to_string() } else { available.join(", ") }
    )]
    UnknownScenario {
        /// The name as given.
        name: String,
        /// The names of the bundled scenarios.
        available: Vec<String>,
    },
}

impl ScenarioError {
    /// The file (or name) the error is about.
    pub fn file(&self) -> &str {
        match self {
            ScenarioError::Io { file, .. }
            | ScenarioError::TooLarge { file, .. }
            | ScenarioError::Parse { file, .. }
            | ScenarioError::Invalid { file, .. }
            | ScenarioError::Override { file, .. }
            | ScenarioError::Table { file, .. } => file,
            ScenarioError::UnknownScenario { name, .. } => name,
        }
    }
}

/// A problem the parser met, where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in words.
    pub message: String,
}

struct DisplayFurther<'a> {
    file: &'a str,
    further: &'a [ParseProblem],
}

impl fmt::Display for DisplayFurther<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.further {
            write!(f, "\n{}:{}:{}: {}", self.file, p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

struct DisplayProblems<'a> {
    file: &'a str,
    problems: &'a [Problem],
}

impl fmt::Display for DisplayProblems<'_> {
    /// A header, then a line per problem: the file's problems start with the file (and the line
    /// and column, when known: `FILE:LINE:COLUMN: PATH: ...`), those an override brought in with
    /// the override (`--set PATH=VALUE: ...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let from_set = self.problems.iter().filter(|p| p.set.is_some()).count();
        let origin = if from_set == n {
            " from --set"
        } else if from_set > 0 {
            " (some from --set)"
        } else {
            ""
        };
        write!(
            f,
            "{}: {n} problem{}{origin}",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.problems {
            match (&p.set, p.line, p.column) {
                (Some(_), _, _) => write!(f, "\n{p}")?,
                (None, Some(line), Some(column)) => {
                    write!(f, "\n{}:{line}:{column}: {p}", self.file)?;
                }
                _ => write!(f, "\n{}: {p}", self.file)?,
            }
        }
        Ok(())
    }
}

/// What the user calls a raw type or enum that RON's messages name by its Rust name.
fn type_words(name: &str) -> String {
    match name {
        "Scenario" => "the scenario".into(),
        "Metadata" => "metadata".into(),
        "IssueSpec" => "an issue".into(),
        "OptionSpec" => "an option".into(),
        "ActorSpec" => "an actor".into(),
        "StanceSpec" => "a stance".into(),
        "RelationSpec" => "a relation".into(),
        "EscalationSpec" => "escalation".into(),
        "EventSpec" => "an event".into(),
        "FamilySpec" => "family".into(),
        "StrategySpec" => "strategy".into(),
        "RoleSpec" => "role".into(),
        "ProtocolSpec" => "protocol".into(),
        "ProposerSpec" => "proposer".into(),
        "AcceptanceSpec" => "acceptance".into(),
        "TextSpec" => "text".into(),
        "EuVariantSpec" => "variant".into(),
        "DisagreementSpec" => "disagreement".into(),
        "LossSpec" => "loss".into(),
        "TimingSpec" => "event timing (`at`)".into(),
        "ChangeSpec" => "change".into(),
        "EffectSpec" => "effect".into(),
        "Distribution" => "distribution".into(),
        other => format!("`{other}`"),
    }
}

/// `a, b or c` with each name in backticks.
fn alternatives(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// RON's error message in the scenario's words (type names as the user knows them, the fields
/// or variants that would be accepted).
pub(crate) fn readable_parse_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends too early: a closing bracket or a value is missing".into(),
        E::ExpectedNamedStructLike(name) if !name.is_empty() => {
            format!("expected `(` opening {}", type_words(name))
        }
        E::ExpectedStructLike => "expected `(`".into(),
        E::ExpectedString => "expected a string in double quotes".into(),
        E::ExpectedMap => "expected `{` opening a map, e.g. {\"I1\": ...}".into(),
        E::ExpectedArray => "expected `[` opening a list".into(),
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let place = outer.as_deref().map(type_words);
            let place = place.map(|p| format!(" in {p}")).unwrap_or_default();
            format!(
                "unknown field `{found}`{place}; expected {}",
                alternatives(expected)
            )
        }
        E::MissingStructField { field, outer } => {
            let place = outer.as_deref().map(type_words);
            let place = place.map(|p| format!(" in {p}")).unwrap_or_default();
            format!("missing field `{field}`{place}")
        }
        E::DuplicateStructField { field, outer } => {
            let place = outer.as_deref().map(type_words);
            let place = place.map(|p| format!(" in {p}")).unwrap_or_default();
            format!("field `{field}` given twice{place}")
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let place = outer.as_deref().map(type_words);
            let place = place.map(|p| format!(" for {p}")).unwrap_or_default();
            format!(
                "unknown variant `{found}`{place}; expected {}",
                alternatives(expected)
            )
        }
        E::InvalidValueForType { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        E::ExpectedDifferentLength { expected, found } => {
            format!("expected {expected}, found {found} element(s)")
        }
        E::IntegerOutOfBounds => "integer out of range here (rounds and counts are whole numbers \
                                  from 0 to 4294967295)"
            .into(),
        E::TrailingCharacters => {
            "unexpected text after the end of the scenario (the whole file is one `( ... )`)".into()
        }
        E::ExceededRecursionLimit => "the value is nested too deeply".into(),
        // serde's messages for untagged enums and maps are the bare expectation.
        E::Message(m) if m.starts_with("a ") || m.starts_with("an ") => format!("expected {m}"),
        E::Message(m) => m.clone(),
        E::ExpectedComma => "expected `,` between items, or a closing bracket".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type of the scenario's schema has a user's word, so no message names a Rust type.
    #[test]
    fn every_schema_type_has_a_word_for_messages() {
        let schema = include_str!("schema.rs");
        let mut seen = 0;
        for line in schema.lines() {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            seen += 1;
            assert_ne!(
                type_words(&name),
                format!("`{name}`"),
                "{name} has no word in type_words"
            );
        }
        assert!(seen > 15, "found only {seen} types in schema.rs");
    }

    #[test]
    fn problem_display_names_path_found_and_allowed() {
        let p = Problem::new(
            "actors[\"RUS\"].stances[\"I1\"].salience",
            "-0.3",
            "a number or distribution in [0, ∞)",
        );
        assert_eq!(
            p.to_string(),
            "actors[\"RUS\"].stances[\"I1\"].salience: found -0.3; allowed: a number or distribution in [0, ∞)"
        );
    }

    #[test]
    fn a_problem_an_override_brought_in_names_the_override() {
        let own = Problem {
            set: Some("actors.RUS.capability=-1".into()),
            ..Problem::new("actors[\"RUS\"].capability", "-1", "(0, 1e12]")
        };
        assert_eq!(
            own.to_string(),
            "--set actors.RUS.capability=-1: found -1; allowed: (0, 1e12]"
        );
        let elsewhere = Problem {
            set: Some("protocol.max_rounds=5".into()),
            ..Problem::new("events[0].at.Round", "13", "a round in 1..=5")
        };
        assert_eq!(
            elsewhere.to_string(),
            "--set protocol.max_rounds=5: events[0].at.Round: found 13; allowed: a round in 1..=5"
        );
        let e = ScenarioError::Invalid {
            file: "x.ron".into(),
            problems: vec![Problem::new("a", "1", "2"), elsewhere],
        };
        assert_eq!(
            e.to_string(),
            "x.ron: 2 problems (some from --set)\nx.ron: a: found 1; allowed: 2\n\
             --set protocol.max_rounds=5: events[0].at.Round: found 13; allowed: a round in 1..=5"
        );
    }

    #[test]
    fn invalid_lists_every_problem_with_the_file() {
        let e = ScenarioError::Invalid {
            file: "x.ron".into(),
            problems: vec![Problem::new("a", "1", "2"), Problem::new("b", "3", "4")],
        };
        assert_eq!(
            e.to_string(),
            "x.ron: 2 problems\nx.ron: a: found 1; allowed: 2\nx.ron: b: found 3; allowed: 4"
        );
    }
}
