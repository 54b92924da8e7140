//! `treaty scenarios`: the bundled scenarios, one per line, with their one-line descriptions.

use std::io::Write;
use treaty::scenario::{self, Source};

/// The first line of a bundled scenario's `metadata.description`.
fn description(b: &scenario::Bundled) -> String {
    let source = Source {
        file: b.name.to_string(),
        text: b.text.to_string(),
    };
    match scenario::parse(&source) {
        Ok(s) => s
            .metadata
            .description
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        Err(e) => format!("(cannot be read: {e})"),
    }
}

/// Runs `treaty scenarios`.
pub fn run() -> anyhow::Result<i32> {
    let all = scenario::bundled();
    let width = all
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for b in all {
        writeln!(out, "{:width$}  {}", b.name, description(b))?;
    }
    super::output::write_stdout(&out)?;
    Ok(0)
}
