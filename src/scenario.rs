//! Scenarios: the RON file format, loading, validation into a [`Model`], and the bundled
//! scenarios.
//!
//! Loading has three steps, each usable on its own:
//!
//! 1. [`read_source`] finds the text: a bundled scenario's name (see [`bundled`]), a path, or `-`
//!    for standard input. Files over [`MAX_FILE_BYTES`] are refused before they are read; the
//!    text must be UTF-8 (a leading byte-order mark is skipped).
//! 2. [`parse`] reads the RON into the raw [`Scenario`] types (RON's `implicit_some` extension is
//!    on, so optional fields are written bare). Errors carry the file, line and column.
//! 3. [`validate`] checks every rule and builds the engine's [`Model`]; it reports every problem
//!    of the file at once, each at its logical path (`actors["RUS"].stances["I1"].salience`).
//!
//! [`load`] does all three. [`import`] makes scenarios from tables (CSV) and a template.
//!
//! ```
//! let text = r#"(
//!     metadata: (name: "Pie", description: "Two parties split a pie"),
//!     issues: [
//!         (id: "A", name: "A's share", low: "none", high: "all", status_quo: 0),
//!         (id: "B", name: "B's share", low: "none", high: "all", status_quo: 0),
//!     ],
//!     pie: ["A", "B"],
//!     actors: [
//!         (id: "A", name: "Ann", role: Principal, capability: 1,
//!          stances: {"A": (position: 1, salience: 1)}),
//!         (id: "B", name: "Bob", role: Principal, capability: 1,
//!          stances: {"B": (position: 1, salience: 1)}),
//!     ],
//!     protocol: AlternatingOffers(max_rounds: 10, discount: {"A": 0.9, "B": 0.8}),
//! )"#;
//! let source = treaty::scenario::Source { file: "pie.ron".into(), text: text.into() };
//! let scenario = treaty::scenario::parse(&source)?;
//! let model = treaty::scenario::validate(&scenario, &source.file)?;
//! assert_eq!(model.actors.len(), 2);
//! assert_eq!(model.actors[1].discount, treaty::model::Value::Const(0.8));
//! # Ok::<(), treaty::scenario::ScenarioError>(())
//! ```

mod bundled;
pub mod calendar;
mod error;
pub mod import;
mod nesting;
pub mod ordered;
pub mod overrides;
mod positions;
mod recover;
pub mod schema;
mod validate;

pub use bundled::{Bundled, bundled, find_bundled};
pub use error::{MAX_FILE_BYTES, ParseProblem, Problem, ScenarioError};
pub use nesting::MAX_NESTING;
pub use schema::Scenario;
pub use validate::{
    LARGE, MAX_ACTORS, MAX_ID_CHARS, MAX_ISSUES, MAX_LABEL_CHARS, MAX_NAME_CHARS, MAX_ROUNDS,
    MAX_ROUNDS_OTHER, MAX_TEXT_CHARS, validate,
};

use crate::model::{Model, Origin};
use overrides::{Override, apply_overrides};
use std::io::Read;

/// A scenario's text and what to call it in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// What to print: the path as given, or the bundled scenario's name.
    pub file: String,
    /// The RON text.
    pub text: String,
}

/// A scenario read, parsed and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The text and its name.
    pub source: Source,
    /// The raw scenario, as written.
    pub scenario: Scenario,
    /// The validated model.
    pub model: Model,
}

/// What messages call a scenario read from standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a scenario: a path to a file, `-` for standard input (called [`STDIN_NAME`] in
/// messages), or else the name of a bundled scenario.
///
/// A file that exists wins over a bundled scenario of the same name. Refuses a file over
/// [`MAX_FILE_BYTES`] (from its metadata, before reading, and again while reading in case it
/// grows or is a device), a directory, a missing file, and text that is not UTF-8 (located at
/// the first bad byte).
pub fn read_source(name_or_path: &str) -> Result<Source, ScenarioError> {
    if name_or_path == "-" {
        return read_stdin();
    }
    let path = std::path::Path::new(name_or_path);
    let io = |message: String| ScenarioError::Io {
        file: name_or_path.to_string(),
        message,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(b) = find_bundled(name_or_path) {
                return Ok(Source {
                    file: b.name.to_string(),
                    text: b.text.to_string(),
                });
            }
            if name_or_path.contains(['/', '\\']) || name_or_path.ends_with(".ron") {
                return Err(io("no such file".to_string()));
            }
            return Err(ScenarioError::UnknownScenario {
                name: name_or_path.to_string(),
                available: bundled().iter().map(|b| b.name.to_string()).collect(),
            });
        }
        Err(e) => return Err(io(format!("cannot read: {e}"))),
    };
    if meta.is_dir() {
        return Err(io(
            "is a directory, not a scenario file (give the .ron file inside it)".to_string(),
        ));
    }
    let too_large = |size: u64| ScenarioError::TooLarge {
        file: name_or_path.to_string(),
        size,
        limit: MAX_FILE_BYTES,
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io(format!("cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Source::from_bytes(name_or_path, bytes)
}

/// Reads a scenario from standard input, refusing more than [`MAX_FILE_BYTES`].
fn read_stdin() -> Result<Source, ScenarioError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ScenarioError::Io {
            file: STDIN_NAME.to_string(),
            message: format!("cannot read: {e}"),
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ScenarioError::TooLarge {
            file: STDIN_NAME.to_string(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Source::from_bytes(STDIN_NAME, bytes)
}

impl Source {
    /// A source from raw bytes (already read, e.g. from a network or a fuzzer), called `file` in
    /// messages. The bytes must be UTF-8 text; otherwise the error is located at the first bad
    /// byte. A UTF-8 byte-order mark at the start is skipped. No size limit is applied here
    /// (see [`read_source`]).
    pub fn from_bytes(
        file: impl Into<String>,
        mut bytes: Vec<u8>,
    ) -> Result<Source, ScenarioError> {
        let file = file.into();
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { file, text }),
            Err(e) => {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let (line, column) = line_column(&bytes[..at]);
                Err(ScenarioError::Parse {
                    message: format!(
                        "the file is not UTF-8 text (byte 0x{:02x}); scenario files are RON text",
                        bytes[at]
                    ),
                    file,
                    line,
                    column,
                    further: Vec::new(),
                })
            }
        }
    }
}

/// The 1-based line and column (in characters) just after `valid`, a valid UTF-8 prefix.
fn line_column(valid: &[u8]) -> (usize, usize) {
    let text = std::str::from_utf8(valid).unwrap_or("");
    let line = 1 + text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, 1 + last.chars().count())
}

/// Parses a scenario's RON text into the raw [`Scenario`] (no semantic checks).
///
/// Brackets nested more than [`MAX_NESTING`] deep are refused before the RON parser runs, which
/// keeps parsing linear in the length of the text (see the `nesting` module).
pub fn parse(source: &Source) -> Result<Scenario, ScenarioError> {
    let located = |at: usize, message: &str| {
        let (line, column) = line_column(&source.text.as_bytes()[..at]);
        ScenarioError::Parse {
            file: source.file.clone(),
            line,
            column,
            message: message.to_string(),
            further: Vec::new(),
        }
    };
    if source.text.trim().is_empty() {
        return Err(located(
            0,
            "the file is empty; a scenario is one `(metadata: (...), issues: [...], \
             actors: [...], protocol: ...)`",
        ));
    }
    if let Some(at) = source.text.find('\0') {
        return Err(located(
            at,
            "the file contains a NUL character; scenario files are RON text, not binary data",
        ));
    }
    if let Some(at) = nesting::too_deep(&source.text, MAX_NESTING) {
        return Err(located(
            at,
            &format!(
                "the value is nested too deeply (brackets more than {MAX_NESTING} deep; \
                 scenarios need fewer than 10)"
            ),
        ));
    }
    recover::options()
        .from_str::<Scenario>(&source.text)
        .map_err(|e| {
            let positions = positions::Positions::of(&source.text);
            let first = recover::describe(&positions, &e.code, e.span.start.line, e.span.start.col);
            let mut all = recover::part_problems(&source.text, &positions);
            all.push(first);
            all.sort_by_key(|p| (p.line, p.column));
            all.dedup_by_key(|p| (p.line, p.column));
            all.truncate(recover::MAX_PARSE_PROBLEMS);
            let first = all.remove(0);
            ScenarioError::Parse {
                file: source.file.clone(),
                line: first.line,
                column: first.column,
                message: first.message,
                further: all,
            }
        })
}

/// `e` with each of its problems located in `text` (see [`positions`]).
fn with_positions(e: ScenarioError, text: &str) -> ScenarioError {
    match e {
        ScenarioError::Invalid { file, mut problems } => {
            positions::locate_problems(text, &mut problems);
            ScenarioError::Invalid { file, problems }
        }
        e => e,
    }
}

/// Reads, parses and validates a scenario (a path, or a bundled scenario's name); the model
/// records its origin (the text's hash).
pub fn load(name_or_path: &str) -> Result<Loaded, ScenarioError> {
    let source = read_source(name_or_path)?;
    let scenario = parse(&source)?;
    let mut model =
        validate(&scenario, &source.file).map_err(|e| with_positions(e, &source.text))?;
    model.origin = Origin::of_text(source.text.as_bytes(), Vec::new());
    Ok(Loaded {
        source,
        scenario,
        model,
    })
}

/// Parses `source`, applies `overrides` in order and validates the result: the model a batch
/// runs, with its origin (the text's hash and the overrides) recorded for its reports.
pub fn prepare(source: &Source, overrides: &[Override]) -> Result<Model, ScenarioError> {
    let raw = parse(source)?;
    prepare_parsed(source, &raw, overrides, &[])
}

/// [`prepare`] for a scenario already parsed into `raw` (from `source`): applies `overrides`,
/// then `extra`, and validates. A problem an override brought in names the override
/// ([`Problem::set`]), not the file. The model's origin records `overrides` only: `extra` are the
/// settings of one point of a sweep, which its report gives point by point.
pub fn prepare_parsed(
    source: &Source,
    raw: &Scenario,
    overrides: &[Override],
    extra: &[Override],
) -> Result<Model, ScenarioError> {
    let raw_before = raw;
    let mut raw = raw.clone();
    let located = |error| ScenarioError::Override {
        file: source.file.clone(),
        error,
    };
    apply_overrides(&mut raw, overrides).map_err(located)?;
    apply_overrides(&mut raw, extra).map_err(located)?;
    let mut model = match validate(&raw, &source.file) {
        Ok(model) => model,
        Err(ScenarioError::Invalid { file, mut problems }) => {
            let all: Vec<&Override> = overrides.iter().chain(extra).collect();
            if !all.is_empty() {
                overrides::blame(raw_before, &all, &file, &mut problems);
            }
            positions::locate_problems(&source.text, &mut problems);
            return Err(ScenarioError::Invalid { file, problems });
        }
        Err(e) => return Err(e),
    };
    model.origin = Origin::of_text(
        source.text.as_bytes(),
        overrides.iter().map(ToString::to_string).collect(),
    );
    Ok(model)
}
