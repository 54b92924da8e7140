//! `treaty validate`: check scenario files and report every problem.
//!
//! Text: one line `ok: FILE (N actors, M issues, PROTOCOL)` per valid file, and one line per
//! problem of each invalid file (`FILE:LINE:COLUMN: message` for a parse error,
//! `FILE:LINE:COLUMN: PATH: found X; allowed: Y` for a broken rule, at the start of the value in
//! the file). JSON: one document of schema [`VALIDATE_SCHEMA`]
//! (`docs/schemas/treaty-validate-1.json`),
//!
//! ```json
//! { "schema": "treaty-validate/1", "ok": false, "files": [
//!   { "file": "a.ron", "ok": true, "actors": 6, "issues": 8, "protocol": "Mediated",
//!     "problems": [] },
//!   { "file": "b.ron", "ok": false, "actors": null, "issues": null, "protocol": null,
//!     "problems": [ { "kind": "invalid", "path": "actors[\"RUS\"].capability", "line": 15,
//!                     "column": 68, "found": "-1", "allowed": "...", "message": "..." } ] } ] }
//! ```
//!
//! The report goes to stdout; a one-line summary of failures goes to stderr. Exit code 0 if every
//! file is valid, 2 otherwise.

use super::ValidateFormat;
use serde::Serialize;
use std::io::Write;
use treaty::scenario::{self, ParseProblem, ScenarioError};

/// The name and version of the JSON document's layout, its `schema` field.
const VALIDATE_SCHEMA: &str = "treaty-validate/1";

/// The JSON document.
#[derive(Debug, Serialize)]
struct Report {
    /// [`VALIDATE_SCHEMA`].
    schema: &'static str,
    /// Whether every file is valid.
    ok: bool,
    /// One entry per file, in the order given.
    files: Vec<FileReport>,
}

/// One file's verdict.
#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    ok: bool,
    actors: Option<usize>,
    issues: Option<usize>,
    protocol: Option<&'static str>,
    problems: Vec<ProblemReport>,
}

/// One problem: located by `line`/`column` (parse errors) or by `path` (broken rules).
#[derive(Debug, Serialize)]
struct ProblemReport {
    /// `io`, `too_large`, `unknown_scenario`, `parse` or `invalid`.
    kind: &'static str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    found: Option<String>,
    allowed: Option<String>,
    /// The whole problem in words (without the file name).
    message: String,
}

impl ProblemReport {
    fn plain(kind: &'static str, message: String) -> Self {
        ProblemReport {
            kind,
            path: None,
            line: None,
            column: None,
            found: None,
            allowed: None,
            message,
        }
    }
}

fn check(name: &str) -> FileReport {
    match scenario::load(name) {
        Ok(loaded) => FileReport {
            file: loaded.source.file,
            ok: true,
            actors: Some(loaded.model.actors.len()),
            issues: Some(loaded.model.issues.len()),
            protocol: Some(loaded.model.protocol.name()),
            problems: Vec::new(),
        },
        Err(e) => FileReport {
            file: e.file().to_string(),
            ok: false,
            actors: None,
            issues: None,
            protocol: None,
            problems: problems(e),
        },
    }
}

fn problems(e: ScenarioError) -> Vec<ProblemReport> {
    let file = e.file().to_string();
    // The error's own text, without the leading "FILE: ".
    let message = |e: &ScenarioError| {
        let text = e.to_string();
        text.strip_prefix(&format!("{file}: "))
            .map(str::to_string)
            .unwrap_or(text)
    };
    match e {
        ScenarioError::Parse {
            line,
            column,
            message,
            further,
            ..
        } => std::iter::once(ParseProblem {
            line,
            column,
            message,
        })
        .chain(further)
        .map(|p| ProblemReport {
            line: Some(p.line),
            column: Some(p.column),
            ..ProblemReport::plain("parse", p.message)
        })
        .collect(),
        ScenarioError::Invalid { problems, .. } => problems
            .into_iter()
            .map(|p| ProblemReport {
                message: p.to_string(),
                line: p.line,
                column: p.column,
                path: Some(p.path),
                found: Some(p.found),
                allowed: Some(p.allowed),
                ..ProblemReport::plain("invalid", String::new())
            })
            .collect(),
        ScenarioError::TooLarge { .. } => vec![ProblemReport::plain("too_large", message(&e))],
        ScenarioError::UnknownScenario { .. } => {
            vec![ProblemReport::plain("unknown_scenario", message(&e))]
        }
        _ => vec![ProblemReport::plain("io", message(&e))],
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn write_text(out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    for f in files {
        if f.ok {
            writeln!(
                out,
                "ok: {} ({}, {}, {})",
                f.file,
                plural(f.actors.unwrap_or(0), "actor", "actors"),
                plural(f.issues.unwrap_or(0), "issue", "issues"),
                f.protocol.unwrap_or("")
            )?;
        }
        for p in &f.problems {
            match (p.line, p.column) {
                (Some(line), Some(column)) => {
                    writeln!(out, "{}:{line}:{column}: {}", f.file, p.message)?;
                }
                _ => writeln!(out, "{}: {}", f.file, p.message)?,
            }
        }
    }
    Ok(())
}

/// Runs `treaty validate`.
pub fn run(files: &[String], format: ValidateFormat) -> anyhow::Result<i32> {
    let reports: Vec<FileReport> = files
        .iter()
        .map(|f| {
            super::run::note_shadowing(f);
            check(f)
        })
        .collect();
    let bad = reports.iter().filter(|r| !r.ok).count();
    let mut out = Vec::new();
    match format {
        ValidateFormat::Text => write_text(&mut out, &reports)?,
        ValidateFormat::Json => {
            let doc = Report {
                schema: VALIDATE_SCHEMA,
                ok: bad == 0,
                files: reports,
            };
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    super::output::write_stdout(&out)?;
    if bad == 0 {
        Ok(0)
    } else {
        eprintln!(
            "error: {} of {} invalid",
            bad,
            plural(files.len(), "scenario", "scenarios")
        );
        Ok(2)
    }
}
