//! Reading a CSV file into rows that remember their lines, and locating every problem of a cell
//! as `file:line:column`.

use crate::scenario::error::{MAX_FILE_BYTES, ScenarioError};
use std::io::Read;
use std::path::Path;

/// A CSV file read whole: its header and its rows.
#[derive(Debug, Clone)]
pub(super) struct CsvFile {
    /// The file, as shown in messages.
    pub file: String,
    /// The header's fields, trimmed.
    pub header: Vec<String>,
    /// The rows after the header, in file order.
    pub rows: Vec<Row>,
}

/// One record of a CSV file.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// The 1-based line the record starts on (the header is line 1).
    pub line: usize,
    /// Its fields, trimmed.
    pub fields: Vec<String>,
}

/// Reads `path` (named `file` in messages) as a CSV file with a header. Refuses a missing or
/// unreadable file, one over [`MAX_FILE_BYTES`], text that is not UTF-8, an empty file, and rows
/// whose number of fields differs from the header's.
pub(super) fn read(path: &Path) -> Result<CsvFile, ScenarioError> {
    let (file, bytes) = read_bytes(path, "CSV file")?;
    parse(&file, &bytes)
}

/// The bytes of the file at `path` and its name for messages. Refuses a missing or unreadable
/// file, a directory ("is a directory, not a `what`") and a file over [`MAX_FILE_BYTES`] (read
/// no further than one byte past the limit).
pub(super) fn read_bytes(path: &Path, what: &str) -> Result<(String, Vec<u8>), ScenarioError> {
    let file = path.display().to_string();
    let io = |message: String| ScenarioError::Io {
        file: file.clone(),
        message,
    };
    let handle = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            io("no such file".to_string())
        } else {
            io(format!("cannot open: {e}"))
        }
    })?;
    if handle.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(io(format!("is a directory, not a {what}")));
    }
    let mut bytes = Vec::new();
    handle
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ScenarioError::TooLarge {
            file,
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok((file, bytes))
}

/// Parses CSV text (named `file` in messages).
pub(super) fn parse(file: &str, bytes: &[u8]) -> Result<CsvFile, ScenarioError> {
    let located = |line: usize, column: usize, message: String| ScenarioError::Table {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let csv_error = |e: &csv::Error| {
        let line = e
            .position()
            .map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        let message = match e.kind() {
            csv::ErrorKind::Utf8 { err, .. } => format!(
                "field {} is not UTF-8 text; tables are read as UTF-8 CSV",
                err.field() + 1
            ),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} fields where the header has {expected_len}"),
            _ => e.to_string(),
        };
        located(line, 1, message)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(located(
            1,
            1,
            "the file is empty; a table starts with a header line naming its columns".to_string(),
        ));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                rows.push(Row {
                    line,
                    fields: record.iter().map(str::to_string).collect(),
                });
            }
            Err(e) => return Err(csv_error(&e)),
        }
    }
    Ok(CsvFile {
        file: file.to_string(),
        header,
        rows,
    })
}

impl CsvFile {
    /// The 0-based index of the column named `name` (compared case-insensitively).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The index of the first column named one of `names`, or an error at line 1.
    pub fn require(&self, names: &[&str]) -> Result<usize, ScenarioError> {
        names.iter().find_map(|n| self.find(n)).ok_or_else(|| {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let wanted = match quoted.as_slice() {
                [rest @ .., last] if !rest.is_empty() => {
                    format!("a column {} or {last}", rest.join(", "))
                }
                _ => format!("a column {}", quoted.join("")),
            };
            ScenarioError::Table {
                file: self.file.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "the header lacks {wanted}; it has {}",
                    self.header
                        .iter()
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
    }

    /// An error at `row`'s field `column` (0-based): `column N (name): message`.
    pub fn error(
        &self,
        row: &Row,
        column: usize,
        message: impl std::fmt::Display,
    ) -> ScenarioError {
        ScenarioError::Table {
            file: self.file.clone(),
            line: row.line,
            column: column + 1,
            message: format!(
                "column {} ({}): {message}",
                column + 1,
                self.header.get(column).map_or("", String::as_str)
            ),
        }
    }

    /// The text of `row`'s field `column` ("" when absent).
    pub fn cell<'r>(&self, row: &'r Row, column: usize) -> &'r str {
        row.fields.get(column).map_or("", String::as_str)
    }

    /// `row`'s field `column` as a finite number, or an error.
    pub fn number(&self, row: &Row, column: usize) -> Result<f64, ScenarioError> {
        self.optional_number(row, column)?
            .ok_or_else(|| self.error(row, column, "empty; a number is needed here"))
    }

    /// `row`'s field `column` as a finite number, `None` when the cell is empty.
    pub fn optional_number(&self, row: &Row, column: usize) -> Result<Option<f64>, ScenarioError> {
        let text = self.cell(row, column);
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.error(row, column, format!("`{text}` is not a number"))),
        }
    }
}

/// Whether `id` is a scenario id: non-empty, ASCII letters, digits, `_` and `-`.
pub(super) fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

/// `text` made into an id: every character that is not an ASCII letter, digit, `_` or `-`
/// becomes `_` (runs of them one `_`), without leading or trailing `_`.
pub(super) fn to_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
            out.push(ch);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// Records the actor id `id` of `row` (column `column`) in `seen`, refusing one given before in
/// the file or one the template already has.
pub(super) fn new_actor_id(
    csv: &CsvFile,
    row: &Row,
    column: usize,
    id: &str,
    template: &super::Template,
    seen: &mut std::collections::BTreeMap<String, usize>,
) -> Result<(), ScenarioError> {
    if let Some(first) = seen.get(id) {
        return Err(csv.error(
            row,
            column,
            format!("actor `{id}` again (first on line {first}); actor ids are unique"),
        ));
    }
    if template.actor_ids().any(|t| t == id) {
        return Err(csv.error(
            row,
            column,
            format!(
                "`{id}` is also an actor of the template `{}`; rename one of them",
                template.name()
            ),
        ));
    }
    seen.insert(id.to_string(), row.line);
    Ok(())
}

/// The capability in column `column` of `row`: a number > 0.
pub(super) fn capability(csv: &CsvFile, row: &Row, column: usize) -> Result<f64, ScenarioError> {
    let capability = csv.number(row, column)?;
    if capability <= 0.0 {
        let what = if capability < 0.0 {
            "a negative capability"
        } else {
            "a capability of 0"
        };
        return Err(csv.error(
            row,
            column,
            format!(
                "{what} (`{}`); capabilities are positive",
                csv.cell(row, column)
            ),
        ));
    }
    Ok(capability)
}
