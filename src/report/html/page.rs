//! The HTML document around the charts: one page, its inline style sheet, headings, tables,
//! figures, escaping and number formats.

use std::fmt::Write;

use super::chart::Chart;

/// The style sheet every page carries inline. Colours of the text meet WCAG AA contrast on white;
/// the charts scale down with the page.
const STYLE: &str = "\
:root{color-scheme:light}
body{margin:0;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",\
Roboto,\"Liberation Sans\",\"DejaVu Sans\",sans-serif}
main{max-width:960px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.7rem;margin:0 0 .25rem}
h2{font-size:1.3rem;margin:2.2rem 0 .5rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.1rem;margin:1.6rem 0 .4rem}
p.lead{margin:.25rem 0 1rem;color:#333}
figure{margin:1rem 0}
figure svg{display:block;max-width:100%;height:auto}
figcaption{font-size:.95rem;color:#333;margin-top:.3rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding-bottom:.3rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.wide{overflow-x:auto;max-width:100%}
td.fixed{white-space:nowrap}
thead th{background:#f2f2f2}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
code{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:.9em}
.key{display:inline-block;width:.9em;height:.9em;border:1px solid #333;vertical-align:-.1em;\
margin-right:.3em}
";

/// Whether `c` is a control character HTML does not allow in text (all but the tab and the
/// line feed).
fn not_html_text(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Escapes text for HTML element content and attribute values. Control characters (other than
/// the tab and the line feed), which HTML does not allow in text, show as U+FFFD.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if not_html_text(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A table cell: text or a right-aligned number.
pub(crate) enum Cell {
    /// Text, escaped when written.
    Text(String),
    /// A number, already formatted, right-aligned.
    Num(String),
    /// Text that must not wrap (a date, an id).
    Fixed(String),
}

/// One HTML page being written.
pub(crate) struct Page {
    body: String,
}

impl Page {
    /// A page titled `title` (the document title and its heading) with a lead paragraph.
    pub(crate) fn new(title: &str, lead: &str) -> Self {
        let mut body = String::new();
        let _ = write!(
            body,
            "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
            escape(title),
            escape(lead)
        );
        Page { body }
    }

    /// A section heading (`level` 2 or 3) with an id for links.
    pub(crate) fn heading(&mut self, level: u8, id: &str, text: &str) {
        let _ = writeln!(
            self.body,
            "<h{level} id=\"{}\">{}</h{level}>",
            escape(id),
            escape(text)
        );
    }

    /// A paragraph of plain text.
    pub(crate) fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
    }

    /// A chart in a figure, with its caption (the chart's text alternative in a sentence).
    pub(crate) fn figure(&mut self, chart: &Chart) {
        let _ = write!(
            self.body,
            "<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n",
            chart.svg,
            escape(&chart.summary)
        );
    }

    /// A table with a caption, a header row and rows of cells.
    pub(crate) fn table(&mut self, caption: &str, header: &[&str], rows: &[Vec<Cell>]) {
        let b = &mut self.body;
        let _ = write!(
            b,
            "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr>",
            escape(caption)
        );
        for (i, h) in header.iter().enumerate() {
            // Headers of number columns (all but the first column holding numbers) align right.
            let numeric = rows
                .first()
                .is_some_and(|r| matches!(r.get(i), Some(Cell::Num(_))));
            let class = if numeric { " class=\"num\"" } else { "" };
            let _ = write!(b, "<th scope=\"col\"{class}>{}</th>", escape(h));
        }
        b.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            b.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let (tag, scope) = if i == 0 {
                    ("th", " scope=\"row\"")
                } else {
                    ("td", "")
                };
                match cell {
                    Cell::Text(t) => {
                        let _ = write!(b, "<{tag}{scope}>{}</{tag}>", escape(t));
                    }
                    Cell::Num(t) => {
                        let _ = write!(b, "<{tag}{scope} class=\"num\">{}</{tag}>", escape(t));
                    }
                    Cell::Fixed(t) => {
                        let _ = write!(b, "<{tag}{scope} class=\"fixed\">{}</{tag}>", escape(t));
                    }
                }
            }
            b.push_str("</tr>\n");
        }
        b.push_str("</tbody>\n</table>\n</div>\n");
    }

    /// A list of facts (term and value).
    pub(crate) fn facts(&mut self, facts: &[(&str, String)]) {
        self.body.push_str("<dl class=\"facts\">\n");
        for (term, value) in facts {
            let _ = writeln!(
                self.body,
                "<dt>{}</dt><dd>{}</dd>",
                escape(term),
                escape(value)
            );
        }
        self.body.push_str("</dl>\n");
    }

    /// The whole document, titled `title`.
    pub(crate) fn finish(self, title: &str) -> String {
        let mut out = String::with_capacity(self.body.len() + STYLE.len() + 512);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Nothing may be fetched: the page is whole as it stands.
        out.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'\">\n",
        );
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(out, "<title>{}</title>", escape(title));
        let _ = write!(out, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n");
        // Charts write their labels through their own escaping: a control character HTML does
        // not allow in text shows as U+FFFD wherever it came from.
        if self.body.chars().any(not_html_text) {
            out.extend(
                self.body
                    .chars()
                    .map(|c| if not_html_text(c) { '\u{FFFD}' } else { c }),
            );
        } else {
            out.push_str(&self.body);
        }
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\u{1b}[2J\u{7}\u{9b}b\tc\n"),
            "a\u{FFFD}[2J\u{FFFD}\u{FFFD}b\tc\n"
        );
    }

    #[test]
    fn a_table_marks_row_headers_and_number_columns() {
        let mut page = Page::new("T", "lead");
        page.table(
            "Caption",
            &["who", "share"],
            &[vec![Cell::Text("A<B".into()), Cell::Num("1.0%".into())]],
        );
        let html = page.finish("T");
        assert!(
            html.contains("<th scope=\"col\" class=\"num\">share</th>"),
            "{html}"
        );
        assert!(html.contains("<th scope=\"row\">A&lt;B</th><td class=\"num\">1.0%</td>"));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script"));
    }
}
