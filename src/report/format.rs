//! How reports write numbers, shares, intervals and dates: one place for every exporter.
//!
//! Text meant for a reader (the table, the trace, the HTML pages) writes a real minus sign (−,
//! U+2212), a dash (–) for a number that cannot be computed, and dates at the grain of the
//! scenario's calendar (`2024`, `Feb 2024`, `12 Feb 2024`). Files meant for programs (JSON, CSV)
//! write numbers as Rust prints them: the shortest text that reads back as the same double.

use std::borrow::Cow;

use crate::model::{Date, TimeUnit};

/// What an undefined number shows in text for a reader.
pub const DASH: &str = "–";

/// `x` with `digits` decimals and a real minus sign: `−0.250`; −0 shows as 0.
pub fn number(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    match s.strip_prefix('-') {
        // −0.000 is 0.000.
        Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => {
            format!("\u{2212}{rest}")
        }
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// [`number`] of a number that may be undefined (or not finite): [`DASH`] then.
pub fn maybe_number(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(x) if x.is_finite() => number(x, digits),
        _ => DASH.to_string(),
    }
}

/// `x` with `digits` decimals as Rust writes it (an ASCII minus), [`DASH`] when undefined: the
/// aligned columns of the terminal table.
pub fn fixed(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| DASH.into(), |x| format!("{x:.digits$}"))
}

/// `x` with `digits` decimals and a sign: `+0.25`, `−0.25`, and no sign for 0.
pub fn signed(x: f64, digits: usize) -> String {
    let s = number(x, digits);
    if s.starts_with('\u{2212}') || s.trim_start_matches(['0', '.']).is_empty() {
        s
    } else {
        format!("+{s}")
    }
}

/// A share `p` in [0, 1] as a percentage with `digits` decimals: `62.3%`.
pub fn percent(p: f64, digits: usize) -> String {
    format!("{:.digits$}%", 100.0 * p)
}

/// A share as a percentage with one decimal, never shown as `0.0%` or `100.0%` unless it is
/// exactly 0 or 1 (then two decimals, or `<0.01%` and `>99.99%`): a rare outcome stays
/// visible.
pub fn share(p: f64) -> String {
    let one = percent(p, 1);
    let degenerate = (one == "0.0%" && p > 0.0) || (one == "100.0%" && p < 1.0);
    if !degenerate {
        return one;
    }
    let two = percent(p, 2);
    match two.as_str() {
        "0.00%" => "<0.01%".into(),
        "100.00%" => ">99.99%".into(),
        _ => two,
    }
}

/// [`share`] of a share that may be undefined: [`DASH`] then.
pub fn maybe_share(p: Option<f64>) -> String {
    p.map_or_else(|| DASH.into(), share)
}

/// An interval `[lo, hi]` written with `each` as `lo – hi`, or [`DASH`] when there is none.
pub fn interval(bounds: Option<[f64; 2]>, each: impl Fn(f64) -> String) -> String {
    bounds.map_or_else(
        || DASH.into(),
        |[l, h]| format!("{} – {}", each(l), each(h)),
    )
}

/// An optional number as a CSV cell: Rust's shortest round-trip text, empty when undefined.
pub fn cell(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// The widest line of the terminal tables.
pub const WIDTH: usize = 100;

/// `s` cut to `width` characters, ending in `…` if cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `s` padded with spaces to `width` characters on the right (`left`) or the left.
pub fn pad(s: &str, width: usize, left: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.chars().count()));
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// What [`terminal_safe`] shows in place of a character that would act on a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` acts on a terminal instead of showing: a C0 or C1 control character (escape,
/// bell, carriage return, tab, …; not the line feed), DEL, or a bidirectional formatting
/// character (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) that reorders what
/// follows it on the screen.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` safe to print on a terminal: every control character (escape sequences, OSC, bell,
/// carriage return, tab, C1 controls; the line feed is kept) and every bidirectional override
/// replaced by [`REPLACEMENT`], one character for one, so text laid out in columns keeps its
/// widths and a cut can never leave half an escape sequence. Borrowed when there is nothing to
/// replace.
///
/// ```
/// use treaty::report::format::terminal_safe;
/// assert_eq!(terminal_safe("Ru\u{1b}[31mssia\u{202e}"), "Ru\u{fffd}[31mssia\u{fffd}");
/// assert_eq!(terminal_safe("plain\ntext"), "plain\ntext");
/// ```
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if s.chars().any(acts_on_terminal) {
        Cow::Owned(
            s.chars()
                .map(|c| if acts_on_terminal(c) { REPLACEMENT } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// A text cell of a CSV file (a label, a name, an identifier) that a spreadsheet will not run
/// as a formula: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'` (as OWASP recommends against CSV injection). A cell that reads as a finite
/// number (`-0.25`, `+3`) is a number, not a formula, and stays as it is.
///
/// ```
/// use treaty::report::format::csv_text;
/// assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(csv_text("-0.25"), "-0.25");
/// assert_eq!(csv_text("Armenia"), "Armenia");
/// ```
pub fn csv_text(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !s.parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The CSV record `cells` with every cell passed through [`csv_text`].
pub(crate) fn csv_record<I, S>(cells: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    cells
        .into_iter()
        .map(|c| csv_text(c.as_ref()).into_owned())
        .collect()
}

/// 1234567 → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How long a month's name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthName {
    /// `Feb`.
    Short,
    /// `February`.
    Long,
}

const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of month `month` (1..=12; clamped).
pub fn month_name(month: u8, length: MonthName) -> &'static str {
    let i = usize::from(month.clamp(1, 12)) - 1;
    match length {
        MonthName::Short => SHORT_MONTHS[i],
        MonthName::Long => LONG_MONTHS[i],
    }
}

/// A date as a reader says it at the grain of a calendar of `unit`s: `2024` for years,
/// `Feb 2024` for months, `12 Feb 2024` for days and weeks.
pub fn spoken_date(date: Date, unit: TimeUnit, length: MonthName) -> String {
    let month = month_name(date.month, length);
    match unit {
        TimeUnit::Year => date.year.to_string(),
        TimeUnit::Month => format!("{month} {}", date.year),
        TimeUnit::Day | TimeUnit::Week => format!("{} {month} {}", date.day, date.year),
    }
}

/// "this month": a round of one `unit` as a reader says it in a sentence about the present
/// round; "this round" for rounds of several units.
pub fn this_round(count: u32, unit: TimeUnit) -> &'static str {
    match (count, unit) {
        (1, TimeUnit::Day) => "today",
        (1, TimeUnit::Week) => "this week",
        (1, TimeUnit::Month) => "this month",
        (1, TimeUnit::Year) => "this year",
        _ => "this round",
    }
}

/// [`spoken_date`] of a `YYYY-MM-DD` text (as reports store dates); the text itself if it is
/// not a date.
pub fn spoken_iso_date(iso: &str, unit: TimeUnit, length: MonthName) -> String {
    match crate::model::parse_date(iso) {
        Ok(date) => spoken_date(date, unit, length),
        Err(_) => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_a_real_minus_and_never_minus_zero() {
        assert_eq!(number(-0.25, 3), "\u{2212}0.250");
        assert_eq!(number(-0.0001, 3), "0.000");
        assert_eq!(number(0.25, 2), "0.25");
        assert_eq!(maybe_number(None, 2), DASH);
        assert_eq!(maybe_number(Some(f64::NAN), 2), DASH);
        assert_eq!(signed(0.25, 2), "+0.25");
        assert_eq!(signed(-0.25, 2), "\u{2212}0.25");
        assert_eq!(signed(0.0001, 2), "0.00");
    }

    #[test]
    fn layout_helpers_cut_pad_and_group() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(pad("ab", 4, true), "ab  ");
        assert_eq!(pad("ab", 4, false), "  ab");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(cell(None), "");
        assert_eq!(cell(Some(0.1)), "0.1");
    }

    #[test]
    fn terminal_text_loses_its_controls_one_for_one() {
        let hostile = "a\u{1b}]8;;http://x\u{7}b\u{7}c\rd\u{9b}e\u{202e}f\u{2066}g\u{200f}h\ti";
        let safe = terminal_safe(hostile);
        assert_eq!(safe.chars().count(), hostile.chars().count());
        assert!(!safe.chars().any(acts_on_terminal));
        assert_eq!(
            safe,
            "a\u{fffd}]8;;http://x\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f\u{fffd}g\u{fffd}h\u{fffd}i"
        );
        assert!(matches!(terminal_safe("Россия\nok"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula() {
        for bad in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-inf"] {
            assert_eq!(csv_text(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["-0.25", "+3", "0.5", "Armenia", "", "a=b", "1e-3"] {
            assert_eq!(csv_text(fine), fine, "{fine:?}");
        }
        assert_eq!(csv_record(["=x", "-1"]), ["'=x", "-1"]);
    }

    #[test]
    fn rare_shares_stay_visible() {
        assert_eq!(share(0.623), "62.3%");
        assert_eq!(share(0.0004), "0.04%");
        assert_eq!(share(0.00001), "<0.01%");
        assert_eq!(share(0.99999), ">99.99%");
        assert_eq!(share(0.0), "0.0%");
        assert_eq!(share(1.0), "100.0%");
        assert_eq!(interval(Some([0.1, 0.2]), share), "10.0% – 20.0%");
        assert_eq!(interval(None, share), DASH);
    }

    #[test]
    fn dates_are_spoken_at_the_calendar_grain() {
        let d = Date {
            year: 2024,
            month: 2,
            day: 9,
        };
        assert_eq!(spoken_date(d, TimeUnit::Year, MonthName::Short), "2024");
        assert_eq!(
            spoken_date(d, TimeUnit::Month, MonthName::Short),
            "Feb 2024"
        );
        assert_eq!(
            spoken_date(d, TimeUnit::Week, MonthName::Long),
            "9 February 2024"
        );
        assert_eq!(
            spoken_iso_date("2024-02-09", TimeUnit::Day, MonthName::Short),
            "9 Feb 2024"
        );
        assert_eq!(
            spoken_iso_date("later", TimeUnit::Day, MonthName::Short),
            "later"
        );
        assert_eq!(this_round(1, TimeUnit::Month), "this month");
        assert_eq!(this_round(2, TimeUnit::Week), "this round");
    }
}
