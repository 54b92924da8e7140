//! A JSON reader that remembers where every value starts, so that a problem found in a GeniusWeb
//! profile (an unknown issue, a value outside the domain) is reported at its line and column, and
//! that keeps the order of an object's keys (the order of a domain's issues and values).
//!
//! It reads the JSON of RFC 8259: objects, arrays, strings (with every escape, surrogate pairs
//! included), numbers, `true`, `false`, `null`. A key given twice in one object is refused.
//! Nesting deeper than [`MAX_DEPTH`] is refused rather than risking the stack.

use crate::scenario::error::ScenarioError;

/// The deepest nesting read.
const MAX_DEPTH: usize = 128;

/// Where a value starts: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A JSON value with its position.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Json {
    pub pos: Pos,
    pub value: Value,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    /// Keys in file order, each with the position of the key.
    Object(Vec<(String, Pos, Json)>),
    Array(Vec<Json>),
    String(String),
    /// The number and its text as written.
    Number(f64, String),
    Bool(bool),
    Null,
}

impl Json {
    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.value {
            Value::Object(items) => items.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    /// What kind of value this is, in words.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Object(_) => "an object",
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(..) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
        }
    }
}

/// Parses `text` (named `file` in messages) as one JSON value.
pub(super) fn parse(file: &str, text: &str) -> Result<Json, ScenarioError> {
    let mut p = Parser {
        file,
        chars: text.chars().collect(),
        at: 0,
        line: 1,
        column: 1,
    };
    p.skip_space();
    let value = p.value(0)?;
    p.skip_space();
    if p.at < p.chars.len() {
        return Err(p.error(p.pos(), "more text after the JSON value ends".to_string()));
    }
    Ok(value)
}

struct Parser<'a> {
    file: &'a str,
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
}

impl Parser<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn error(&self, pos: Pos, message: String) -> ScenarioError {
        ScenarioError::Table {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.bump();
        }
    }

    fn found(&self) -> String {
        match self.peek() {
            None => "the end of the file".to_string(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(), ScenarioError> {
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(
                self.pos(),
                format!("expected {what}, found {}", self.found()),
            ))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ScenarioError> {
        let pos = self.pos();
        if depth > MAX_DEPTH {
            return Err(self.error(pos, format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let value = match self.peek() {
            Some('{') => self.object(depth)?,
            Some('[') => self.array(depth)?,
            Some('"') => Value::String(self.string()?),
            Some('-' | '0'..='9') => self.number()?,
            Some('t') => self.word("true", Value::Bool(true))?,
            Some('f') => self.word("false", Value::Bool(false))?,
            Some('n') => self.word("null", Value::Null)?,
            _ => {
                return Err(self.error(
                    pos,
                    format!("expected a JSON value, found {}", self.found()),
                ));
            }
        };
        Ok(Json { pos, value })
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, ScenarioError> {
        let pos = self.pos();
        for expected in word.chars() {
            if self.peek() != Some(expected) {
                return Err(self.error(pos, format!("expected a JSON value (`{word}`?)")));
            }
            self.bump();
        }
        Ok(value)
    }

    fn object(&mut self, depth: usize) -> Result<Value, ScenarioError> {
        self.bump();
        let mut items: Vec<(String, Pos, Json)> = Vec::new();
        self.skip_space();
        if self.peek() == Some('}') {
            self.bump();
            return Ok(Value::Object(items));
        }
        loop {
            self.skip_space();
            let key_pos = self.pos();
            if self.peek() != Some('"') {
                return Err(self.error(
                    key_pos,
                    format!("expected a key in quotes, found {}", self.found()),
                ));
            }
            let key = self.string()?;
            if let Some((_, first, _)) = items.iter().find(|(k, _, _)| *k == key) {
                return Err(self.error(
                    key_pos,
                    format!(
                        "the key {key:?} again (first at line {}); keys are unique",
                        first.line
                    ),
                ));
            }
            self.skip_space();
            self.expect(':', "`:` after the key")?;
            self.skip_space();
            let value = self.value(depth + 1)?;
            items.push((key, key_pos, value));
            self.skip_space();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some('}') => {
                    self.bump();
                    return Ok(Value::Object(items));
                }
                _ => {
                    return Err(self.error(
                        self.pos(),
                        format!("expected `,` or `}}`, found {}", self.found()),
                    ));
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ScenarioError> {
        self.bump();
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(']') {
            self.bump();
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some(']') => {
                    self.bump();
                    return Ok(Value::Array(items));
                }
                _ => {
                    return Err(self.error(
                        self.pos(),
                        format!("expected `,` or `]`, found {}", self.found()),
                    ));
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ScenarioError> {
        let pos = self.pos();
        let mut n = 0u32;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|c| c.to_digit(16))
                .ok_or_else(|| self.error(pos, "a `\\u` escape needs 4 hex digits".to_string()))?;
            self.bump();
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ScenarioError> {
        let start = self.pos();
        self.bump();
        let mut out = String::new();
        loop {
            let pos = self.pos();
            match self.bump() {
                None => {
                    return Err(self.error(start, "a string that does not end".to_string()));
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('/') => out.push('/'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hi = self.hex4()?;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            if self.peek() != Some('\\') {
                                return Err(self.error(pos, "a lone surrogate".to_string()));
                            }
                            self.bump();
                            if self.bump() != Some('u') {
                                return Err(self.error(pos, "a lone surrogate".to_string()));
                            }
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return Err(self.error(pos, "a lone surrogate".to_string()));
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            hi
                        };
                        let c = char::from_u32(code)
                            .ok_or_else(|| self.error(pos, "a lone surrogate".to_string()))?;
                        out.push(c);
                    }
                    _ => return Err(self.error(pos, "an unknown escape".to_string())),
                },
                Some(c) if (c as u32) < 0x20 => {
                    return Err(self.error(
                        pos,
                        "a control character inside a string (write it as an escape)".to_string(),
                    ));
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn number(&mut self) -> Result<Value, ScenarioError> {
        let pos = self.pos();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                text.push(c);
                self.bump();
            } else {
                break;
            }
        }
        let well_formed = {
            let t = text.strip_prefix('-').unwrap_or(&text);
            let (mantissa, exponent) = match t.find(['e', 'E']) {
                Some(i) => (&t[..i], Some(&t[i + 1..])),
                None => (t, None),
            };
            let (int, frac) = match mantissa.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (mantissa, None),
            };
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            digits(int)
                && (int == "0" || !int.starts_with('0'))
                && frac.is_none_or(digits)
                && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
        };
        match text.parse::<f64>() {
            Ok(x) if well_formed && x.is_finite() => Ok(Value::Number(x, text)),
            _ => Err(self.error(pos, format!("`{text}` is not a JSON number"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_at(text: &str) -> (usize, usize, String) {
        match parse("f.json", text) {
            Err(ScenarioError::Table {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn values_keep_their_positions_and_key_order() {
        let j = parse(
            "f.json",
            "{\n  \"b\": [1, -2.5e1],\n  \"a\": \"x\\u00e9\\ud83d\\ude00\"\n}",
        )
        .expect("valid JSON");
        let Value::Object(items) = &j.value else {
            panic!("an object")
        };
        let keys: Vec<&str> = items.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(items[1].1, Pos { line: 3, column: 3 });
        let a = j.get("a").expect("a");
        assert_eq!(a.value, Value::String("xé😀".to_string()));
        assert_eq!(a.pos, Pos { line: 3, column: 8 });
        let Value::Array(b) = &j.get("b").expect("b").value else {
            panic!("an array")
        };
        assert_eq!(b[1].value, Value::Number(-25.0, "-2.5e1".to_string()));
        assert_eq!(
            b[1].pos,
            Pos {
                line: 2,
                column: 12
            }
        );
    }

    #[test]
    fn malformed_text_is_located() {
        assert_eq!(error_at("{\"a\": 1,\n \"a\": 2}").0, 2);
        let (line, column, message) = error_at("{\"a\": 1\n  \"b\": 2}");
        assert_eq!((line, column), (2, 3), "{message}");
        assert!(message.contains("expected `,` or `}`"), "{message}");
        assert_eq!(error_at("[01]").1, 2);
        assert_eq!(error_at("[1.]").1, 2);
        assert_eq!(error_at("{\"a\": tru}").1, 7);
        assert_eq!(error_at("\"abc").1, 1);
        assert_eq!(error_at("1 2").1, 3);
        let deep = "[".repeat(MAX_DEPTH + 5);
        assert!(error_at(&deep).2.contains("nested deeper"));
    }
}
