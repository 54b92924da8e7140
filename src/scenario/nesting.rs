//! A bound on how deeply brackets nest, checked in one pass before the RON parser runs.
//!
//! The deepest place in a valid scenario is seven brackets down (the scenario, its events, an
//! event, its effects, an effect, a change, a distribution). The RON parser has its own recursion
//! limit, but before it reaches it, it looks ahead from every `Name(` inside a number to the
//! matching `)` to tell a tuple from a struct, so a value nested n deep costs it n times the
//! length of the nesting: 700 kB of `Normal(Normal(…` took 1.5 s in a release build, 1 MB took
//! 53 s in a debug build. Refusing anything nested more than [`MAX_NESTING`] deep first bounds
//! that factor: parsing stays within a constant factor of linear in the file's length.
//!
//! The scan skips what RON skips: strings (`"…"` with escapes, raw strings `r#"…"#`), character
//! literals and comments (`// …` and nested `/* … */`).

/// The deepest bracket nesting accepted: `(`, `[` and `{` together.
pub const MAX_NESTING: usize = 16;

/// The byte offset of the first opening bracket nested deeper than `limit`, if any.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i + 1),
            b'\'' => i = skip_char(b, i),
            b'/' if matches!(at(i + 1), b'/' | b'*') => i = skip_comment(b, i),
            c if is_ident(c) => {
                let start = i;
                while i < b.len() && is_ident(b[i]) {
                    i += 1;
                }
                let word = &b[start..i];
                if (word == b"r" || word == b"br") && matches!(at(i), b'#' | b'"') {
                    i = skip_raw_string(b, i);
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The index just past the comment (`// …` to the end of the line, or a nested `/* … */`)
/// starting at `b[i]`, which is `/` followed by `/` or `*`; the end of `b` if it is unclosed.
pub(crate) fn skip_comment(b: &[u8], mut i: usize) -> usize {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if at(i + 1) == b'/' {
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
        return i;
    }
    let mut level = 1;
    i += 2;
    while i < b.len() && level > 0 {
        if b[i] == b'/' && at(i + 1) == b'*' {
            level += 1;
            i += 2;
        } else if b[i] == b'*' && at(i + 1) == b'/' {
            level -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    i
}

/// The offset just after the character literal (`'x'`, `'\n'`, `'\''`, or a multi-byte
/// character) whose opening quote is at `i`; just after the quote if no literal closes there.
pub(crate) fn skip_char(b: &[u8], i: usize) -> usize {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut j = i + 1;
    if at(j) == b'\\' {
        j += 2;
    } else {
        j += 1;
        while j < b.len() && (b[j] & 0xC0) == 0x80 {
            j += 1;
        }
    }
    if at(j) == b'\'' { j + 1 } else { i + 1 }
}

/// The offset just after the string whose content starts at `i` (after its opening quote).
pub(crate) fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The offset just after a raw string whose `#`s or opening quote start at `i`.
pub(crate) fn skip_raw_string(b: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while i < b.len() && b[i] == b'#' {
        hashes += 1;
        i += 1;
    }
    if i >= b.len() || b[i] != b'"' {
        return i;
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_kind_of_bracket() {
        assert_eq!(too_deep("([{}])", 3), None);
        assert_eq!(too_deep("([{}])", 2), Some(2));
        assert_eq!(too_deep("(a: [1, 2], b: {\"k\": (1)})", 3), None);
        assert_eq!(too_deep("((()))((((", 3), Some(9));
    }

    #[test]
    fn closings_without_openings_do_not_go_negative() {
        assert_eq!(too_deep(")))(((", 3), None);
        assert_eq!(too_deep("))))((((", 3), Some(7));
    }

    #[test]
    fn skips_strings_comments_and_characters() {
        let inside = [
            "\"((((\"",
            "\"\\\"((((\"",
            "r\"((((\"",
            "r#\"(\"((((\"#",
            "br##\"((((\"##",
            "'(' '(' '(' '('",
            "'\\'' '(' '(' '(' '('",
            "// ((((\n",
            "/* (((( */",
            "/* /* */ (((( */",
        ];
        for text in inside {
            assert_eq!(too_deep(&format!("({text})"), 1), None, "{text}");
        }
    }

    #[test]
    fn brackets_after_a_closed_string_or_comment_count() {
        assert_eq!(too_deep("\"a\" ((", 1), Some(5));
        assert_eq!(too_deep("/* a */ ((", 1), Some(9));
        assert_eq!(too_deep("// a\n((", 1), Some(6));
        assert_eq!(too_deep("r#\"a\"# ((", 1), Some(8));
        assert_eq!(too_deep("bar(\"x\")((", 1), Some(9));
    }

    #[test]
    fn unclosed_strings_and_comments_end_the_scan() {
        assert_eq!(too_deep("\"((((", 1), None);
        assert_eq!(too_deep("/* ((((", 1), None);
        assert_eq!(too_deep("r#\"((((\"", 1), None);
    }
}
