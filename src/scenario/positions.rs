//! Where each value of a scenario file starts: a map from logical paths
//! (`actors[2].stances["I1"].salience`) to the line and column of the value's first character.
//!
//! RON's parsed values carry no spans, so the text is scanned once more: a small tokenizer that
//! skips what RON skips (white space, `//` and nested `/* */` comments) and reads strings, raw
//! strings and character literals whole, and a descent that tracks struct fields (`name:`), list
//! indexes, map keys and enum variants (`Round(4)` adds the segment `Round`). An element of a list
//! that has an `id: "X"` field can also be named `["X"]`, as validation names actors, issues and
//! events by their id. The scan never fails: on text it does not expect it records what it has
//! read and stops descending, so a position is found for every path that leads to a value the
//! text spells out, and the nearest enclosing value otherwise.

use std::collections::BTreeMap;

use super::Problem;
use super::nesting::{skip_char, skip_comment, skip_raw_string, skip_string};

/// Sets the line and column of each of `problems` that is the file's (not brought in by an
/// override), where `text` spells out its path or a value that holds it.
pub(crate) fn locate_problems(text: &str, problems: &mut [Problem]) {
    if problems.iter().all(|p| p.set.is_some()) {
        return;
    }
    let positions = Positions::of(text);
    for p in problems.iter_mut().filter(|p| p.set.is_none()) {
        if let Some((line, column)) = positions.locate(&p.path) {
            p.line = Some(line);
            p.column = Some(column);
        }
    }
}

/// The deepest bracket nesting the scan descends into (files are refused beyond
/// [`MAX_NESTING`](super::MAX_NESTING) before they are parsed; this only bounds the scan).
const MAX_DEPTH: usize = 64;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    /// A struct field or an enum variant's name.
    Field(String),
    /// A list element or a positional field, from 0.
    Index(usize),
    /// A map key (a string key without its quotes).
    Key(String),
}

/// A token: where it starts and what it is.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `(`, `)`, `[`, `]`, `{`, `}`, `,` or `:`.
    Punct(u8),
    /// A string's content (escapes left as written).
    Str(String),
    /// An identifier, a number, or any other run of word characters.
    Word(String),
    /// Anything else read whole (a character literal, a stray character).
    Other,
}

/// The start of every value of a scenario's text, by logical path.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    /// Byte offset of the start of each value, by path (the first occurrence of a path wins).
    at: BTreeMap<Vec<Seg>, usize>,
    /// The `id` of list elements that have one.
    ids: BTreeMap<Vec<Seg>, String>,
    /// Byte offset just past each top-level field's value and each element of a top-level list
    /// (where the next token starts), by path.
    ends: BTreeMap<Vec<Seg>, usize>,
    /// Byte offsets of the starts of lines.
    lines: Vec<usize>,
    /// The text (to count columns in characters).
    text: String,
}

impl Positions {
    /// Scans `text`.
    pub(crate) fn of(text: &str) -> Positions {
        let tokens = tokenize(text);
        let mut p = Positions {
            lines: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            text: text.to_string(),
            ..Positions::default()
        };
        let mut i = 0;
        p.value(&tokens, &mut i, &mut Vec::new(), 0);
        p
    }

    /// The 1-based line and column (in characters) where the value at `path` starts, or where
    /// the nearest enclosing value the text spells out starts; `None` if not even the first
    /// step of the path is in the text.
    pub(crate) fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let query = parse_path(path);
        let mut resolved: Vec<Seg> = Vec::new();
        let mut best = None;
        for seg in query {
            match self.step(&resolved, &seg) {
                Some(next) => {
                    best = self.at.get(&next).copied().or(best);
                    resolved = next;
                }
                None => break,
            }
        }
        best.map(|at| self.line_column(at))
    }

    /// The byte range of the value of the top-level field `field` as written (a scalar, a
    /// struct or a whole list), if the scan read it to its end.
    pub(crate) fn field_span(&self, field: &str) -> Option<(usize, usize)> {
        let path = vec![Seg::Field(field.to_string())];
        Some((*self.at.get(&path)?, *self.ends.get(&path)?))
    }

    /// The byte ranges of the elements of the top-level list `field`, in order.
    pub(crate) fn element_spans(&self, field: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for k in 0.. {
            let path = vec![Seg::Field(field.to_string()), Seg::Index(k)];
            match (self.at.get(&path), self.ends.get(&path)) {
                (Some(&start), Some(&end)) if start < end => spans.push((start, end)),
                _ => break,
            }
        }
        spans
    }

    /// The byte offset of the value at `path` as it is written, if recorded.
    fn step(&self, resolved: &[Seg], seg: &Seg) -> Option<Vec<Seg>> {
        let with = |s: Seg| {
            let mut p = resolved.to_vec();
            p.push(s);
            p
        };
        let direct = |s: &Seg| {
            let p = with(s.clone());
            self.at.contains_key(&p).then_some(p)
        };
        if let Some(p) = direct(seg) {
            return Some(p);
        }
        if let Seg::Key(k) = seg {
            // A list element named by its id, or a field spelt as a key.
            let by_id = self
                .ids
                .iter()
                .filter(|(p, id)| {
                    *id == k && p.len() == resolved.len() + 1 && p.starts_with(resolved)
                })
                .map(|(p, _)| p.clone())
                .min_by_key(|p| match p.last() {
                    Some(Seg::Index(i)) => *i,
                    _ => usize::MAX,
                });
            if by_id.is_some() {
                return by_id;
            }
            if let Some(p) = direct(&Seg::Field(k.clone())) {
                return Some(p);
            }
        }
        // Through an explicit `Some(…)`.
        let some = with(Seg::Field("Some".into()));
        if self.at.contains_key(&some) {
            return self.step(&some, seg);
        }
        None
    }

    /// The logical path (list elements with an id named by it) of the innermost value that
    /// starts at or before 1-based `line` and `column`, the line and column where it starts, and
    /// what it starts with in words (`the string "high"`, `Gaussian`).
    pub(crate) fn value_at(
        &self,
        line: usize,
        column: usize,
    ) -> Option<(String, usize, usize, String)> {
        let start = *self.lines.get(line.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let offset = start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i);
        let (path, at) = self
            .at
            .iter()
            .filter(|(_, at)| **at <= offset)
            .max_by_key(|(path, at)| (**at, path.len()))?;
        // Inside a tuple-like `Name(a, b)` the value is the whole `Name(…)`.
        let whole = path.windows(2).rposition(|w| {
            matches!(&w[0], Seg::Field(f) if f.starts_with(|c: char| c.is_ascii_uppercase()))
                && matches!(w[1], Seg::Index(_))
        });
        let (path, at) = match whole {
            Some(k) => {
                let outer = &path[..k];
                (outer, self.at.get(outer).unwrap_or(at))
            }
            None => (path.as_slice(), at),
        };
        if path.is_empty() {
            return None;
        }
        let mut name = String::new();
        for (k, seg) in path.iter().enumerate() {
            match seg {
                Seg::Field(f) if k == 0 => name.push_str(f),
                Seg::Field(f) => {
                    name.push('.');
                    name.push_str(f);
                }
                Seg::Key(key) => name.push_str(&format!("[{key:?}]")),
                Seg::Index(i) => match self.ids.get(&path[..=k]) {
                    Some(id) => name.push_str(&format!("[{id:?}]")),
                    None => name.push_str(&format!("[{i}]")),
                },
            }
        }
        let text = self.text.get(*at..).unwrap_or("");
        let found = match tokenize_first(text) {
            Some(Tok::Str(s)) => {
                format!("the string \"{}\"", s.chars().take(64).collect::<String>())
            }
            Some(Tok::Word(w)) if text[w.len()..].trim_start().starts_with('(') => {
                format!("{}(…)", w.chars().take(64).collect::<String>())
            }
            Some(Tok::Word(w)) => w.chars().take(64).collect(),
            Some(Tok::Punct(c)) => format!("`{}`", char::from(c)),
            _ => "something else".to_string(),
        };
        let (line, column) = self.line_column(*at);
        Some((name, line, column, found))
    }

    /// The 1-based line and column (in characters) of byte offset `at`.
    pub(crate) fn line_column(&self, at: usize) -> (usize, usize) {
        let line = self.lines.partition_point(|&start| start <= at);
        let start = self.lines[line - 1];
        let column = self
            .text
            .get(start..at)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    /// Reads the value at `tokens[*i]`, recording it at `path`. Returns the value's `id` field
    /// when it is a struct with one.
    fn value(
        &mut self,
        tokens: &[(usize, Tok)],
        i: &mut usize,
        path: &mut Vec<Seg>,
        depth: usize,
    ) -> Option<String> {
        let id = self.value_inside(tokens, i, path, depth);
        if matches!(
            path.as_slice(),
            [Seg::Field(_)] | [Seg::Field(_), Seg::Index(_)]
        ) {
            let end = tokens.get(*i).map_or(self.text.len(), |(at, _)| *at);
            self.ends.entry(path.clone()).or_insert(end);
        }
        id
    }

    /// [`Positions::value`] without recording where the value ends.
    fn value_inside(
        &mut self,
        tokens: &[(usize, Tok)],
        i: &mut usize,
        path: &mut Vec<Seg>,
        depth: usize,
    ) -> Option<String> {
        let (at, tok) = tokens.get(*i)?;
        self.at.entry(path.clone()).or_insert(*at);
        if depth > MAX_DEPTH {
            return None;
        }
        match tok {
            Tok::Word(w) => {
                *i += 1;
                if matches!(tokens.get(*i), Some((_, Tok::Punct(b'(')))) {
                    // The variant's value starts with its first token inside the brackets.
                    path.push(Seg::Field(w.clone()));
                    let inner = match tokens.get(*i + 1) {
                        Some((next, t)) if *t != Tok::Punct(b')') => *next,
                        _ => *at,
                    };
                    self.at.entry(path.clone()).or_insert(inner);
                    *i += 1;
                    let id = self.fields(tokens, i, path, depth + 1);
                    path.pop();
                    return id;
                }
                None
            }
            Tok::Punct(b'(') => {
                *i += 1;
                self.fields(tokens, i, path, depth + 1)
            }
            Tok::Punct(b'[') => {
                *i += 1;
                let mut n = 0;
                loop {
                    match tokens.get(*i) {
                        None => break,
                        Some((_, Tok::Punct(b']'))) => {
                            *i += 1;
                            break;
                        }
                        Some((_, Tok::Punct(b','))) => *i += 1,
                        Some((_, Tok::Punct(b')' | b'}'))) => break,
                        Some(_) => {
                            path.push(Seg::Index(n));
                            let before = *i;
                            if let Some(id) = self.value(tokens, i, path, depth + 1) {
                                self.ids.entry(path.clone()).or_insert(id);
                            }
                            path.pop();
                            n += 1;
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
                None
            }
            Tok::Punct(b'{') => {
                *i += 1;
                loop {
                    match tokens.get(*i) {
                        None => break,
                        Some((_, Tok::Punct(b'}'))) => {
                            *i += 1;
                            break;
                        }
                        Some((_, Tok::Punct(b','))) => *i += 1,
                        Some((_, Tok::Punct(b')' | b']'))) => break,
                        Some((_, key)) => {
                            let key = match key {
                                Tok::Str(s) | Tok::Word(s) => s.clone(),
                                _ => String::new(),
                            };
                            *i += 1;
                            if !matches!(tokens.get(*i), Some((_, Tok::Punct(b':')))) {
                                continue;
                            }
                            *i += 1;
                            path.push(Seg::Key(key));
                            let before = *i;
                            self.value(tokens, i, path, depth + 1);
                            path.pop();
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
                None
            }
            Tok::Str(_) | Tok::Other => {
                *i += 1;
                None
            }
            // A closing bracket, a comma or a colon where a value should be: leave it to the
            // enclosing loop.
            Tok::Punct(_) => None,
        }
    }

    /// Reads the inside of `( … )` after the opening bracket: named fields or positional values.
    fn fields(
        &mut self,
        tokens: &[(usize, Tok)],
        i: &mut usize,
        path: &mut Vec<Seg>,
        depth: usize,
    ) -> Option<String> {
        let mut id = None;
        let mut n = 0;
        loop {
            match tokens.get(*i) {
                None => break,
                Some((_, Tok::Punct(b')'))) => {
                    *i += 1;
                    break;
                }
                Some((_, Tok::Punct(b','))) => *i += 1,
                Some((_, Tok::Punct(b']' | b'}'))) => break,
                Some((_, Tok::Word(name)))
                    if matches!(tokens.get(*i + 1), Some((_, Tok::Punct(b':')))) =>
                {
                    let name = name.clone();
                    *i += 2;
                    if name == "id"
                        && let Some((_, Tok::Str(s))) = tokens.get(*i)
                    {
                        id = Some(s.clone());
                    }
                    path.push(Seg::Field(name));
                    let before = *i;
                    self.value(tokens, i, path, depth);
                    path.pop();
                    if *i == before {
                        *i += 1;
                    }
                }
                Some(_) => {
                    path.push(Seg::Index(n));
                    let before = *i;
                    self.value(tokens, i, path, depth);
                    path.pop();
                    n += 1;
                    if *i == before {
                        *i += 1;
                    }
                }
            }
        }
        id
    }
}

/// The first token of `text`.
fn tokenize_first(text: &str) -> Option<Tok> {
    let end = text.char_indices().nth(200).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let end = if head.starts_with('"') {
        text.len().min(head.len().max(1 << 16))
    } else {
        end
    };
    tokenize(&text[..end]).into_iter().next().map(|(_, t)| t)
}

/// Splits RON text into tokens, skipping white space and comments.
fn tokenize(text: &str) -> Vec<(usize, Tok)> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let is_word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if matches!(at(i + 1), b'/' | b'*') => i = skip_comment(b, i),
            b'"' => {
                let end = skip_string(b, i + 1);
                let content = text.get(i + 1..end.saturating_sub(1)).unwrap_or("");
                out.push((i, Tok::Str(content.to_string())));
                i = end;
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b':' => {
                out.push((i, Tok::Punct(c)));
                i += 1;
            }
            b'\'' => {
                out.push((i, Tok::Other));
                i = skip_char(b, i);
            }
            c if is_word(c) => {
                let start = i;
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                if (word == "r" || word == "br") && matches!(at(i), b'#' | b'"') {
                    let end = skip_raw_string(b, i);
                    out.push((start, Tok::Str(String::new())));
                    i = end.max(i + 1);
                } else {
                    out.push((start, Tok::Word(word.to_string())));
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                out.push((i, Tok::Other));
                i += 1;
                while i < b.len() && (b[i] & 0xC0) == 0x80 {
                    i += 1;
                }
            }
        }
    }
    out
}

/// Splits a logical path (`actors["RUS"].stances["I1"].salience`, `events[0].at.Round`) into
/// steps.
fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").unwrap_or(r.len());
            out.push(Seg::Key(r[..end].to_string()));
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            match r[..end].parse() {
                Ok(n) => out.push(Seg::Index(n)),
                Err(_) => out.push(Seg::Key(r[..end].to_string())),
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                out.push(Seg::Field(r[..end].to_string()));
            }
            rest = &r[end..];
            if end == 0 && !rest.starts_with('[') {
                // A stray `.`: skip it.
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"// A scenario.
(
    metadata: (name: "Demo", start: Some("2024-01-01")),
    issues: [
        (id: "I1", name: "One", status_quo: 0.5),
        (id: "I2", name: "Two /* not a comment */", status_quo: Normal(mean: 0.5, sd: 0.1)),
    ],
    actors: [
        (
            id: "A",
            capability: 1.0,
            stances: {"I1": (position: 0.2, salience: "high"), "I2": (position: 0.9, salience: 1)},
        ),
        /* a comment with ( brackets [ */
        (stances: {"I1": (position: -0.5, salience: 1)}, id: "B", capability: -3),
    ],
    events: [(label: "drought", at: Round(99)), (label: "x", at: Window(from: 1, to: 30))],
)
"#;

    fn at(path: &str) -> Option<(usize, usize)> {
        Positions::of(TEXT).locate(path)
    }

    #[test]
    fn finds_fields_indexes_and_map_keys() {
        assert_eq!(at("metadata.name"), Some((3, 22)));
        assert_eq!(at("issues[1].status_quo"), Some((6, 65)));
        assert_eq!(at("actors[0].stances[\"I1\"].salience"), Some((12, 55)));
        assert_eq!(at("actors[1].capability"), Some((15, 79)));
        assert_eq!(at("events[0].at.Round"), Some((17, 43)));
        assert_eq!(at("events[1].at.Window.to"), Some((17, 86)));
    }

    #[test]
    fn names_list_elements_by_their_id() {
        assert_eq!(at("actors[\"B\"].capability"), at("actors[1].capability"));
        assert_eq!(at("actors[\"A\"].stances[\"I2\"].position"), Some((12, 81)));
        assert_eq!(at("issues[\"I2\"].name"), Some((6, 26)));
    }

    #[test]
    fn falls_back_to_the_nearest_enclosing_value() {
        // A distribution's parameter the text does not name, and a field it leaves out.
        assert_eq!(at("issues[1].status_quo.Normal.sd"), Some((6, 87)));
        assert_eq!(at("issues[0].low"), at("issues[0]"));
        assert_eq!(at("issues[0]"), Some((5, 9)));
        assert_eq!(at("actors[\"ZZ\"].capability"), at("actors"));
        assert_eq!(at("nothing.here"), None);
        assert_eq!(at("metadata.start"), Some((3, 37)));
    }

    #[test]
    fn counts_columns_in_characters() {
        let p = Positions::of("(name: \"Ωmega\", x: 1)");
        assert_eq!(p.locate("x"), Some((1, 20)));
    }

    #[test]
    fn survives_broken_text() {
        for text in [
            "",
            "(",
            ")",
            "([{",
            "(a: ",
            "(a: [1, 2",
            "{\"k\" 1}",
            "(a: b: c)",
            "'",
            "\"open",
            "r#\"x",
            "/* open",
            "(a: 1,,, b: 2))]}",
        ] {
            let p = Positions::of(text);
            let _ = p.locate("a");
            let _ = p.locate("a[0].b[\"k\"]");
        }
        assert_eq!(
            Positions::of("(a: 1,,, b: 2))]}").locate("b"),
            Some((1, 13))
        );
    }

    #[test]
    fn splits_paths() {
        assert_eq!(
            parse_path("actors[\"RUS\"].stances[\"I1\"].salience"),
            vec![
                Seg::Field("actors".into()),
                Seg::Key("RUS".into()),
                Seg::Field("stances".into()),
                Seg::Key("I1".into()),
                Seg::Field("salience".into()),
            ]
        );
        assert_eq!(
            parse_path("events[0].at.Round"),
            vec![
                Seg::Field("events".into()),
                Seg::Index(0),
                Seg::Field("at".into()),
                Seg::Field("Round".into()),
            ]
        );
    }
}
