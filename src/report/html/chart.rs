//! Chart helpers shared by every page: drawing into an SVG string with plotters, the text
//! alternative every chart carries, the palette and markers, and the interval chart (one row per
//! item: an estimate with its interval) behind the outcome, utility and forest plots.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::HtmlError;
use super::page::escape;

/// What a drawing closure returns: plotters' errors, boxed.
pub(crate) type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The drawing area of a chart.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Font family of every text (plotters' SVG backend writes it as the text's `font-family`; the
/// browser lays the text out, so no font is needed when drawing).
pub(crate) const FONT: &str = "sans-serif";
/// Font sizes as plotters takes them: whole numbers, of which it writes `size / 1.24` pixels
/// into the SVG, so titles are 16.1 pixels high.
pub(crate) const TITLE_SIZE: f64 = 20.0;
/// Axis descriptions and the key: 12.9 pixels.
pub(crate) const LABEL_SIZE: f64 = 16.0;
/// Tick labels and annotations: 12.1 pixels.
pub(crate) const SMALL_SIZE: f64 = 15.0;

/// Okabe & Ito's (2008) colour-blind-safe palette ("Color Universal Design"), ordered so that
/// neighbours differ most for all three kinds of colour vision deficiency; yellow, weak on
/// white, comes last.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// The colour of series `i` (cycling through [`PALETTE`]).
pub(crate) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The name of the colour of series `i`, for keys in tables.
pub(crate) fn colour_name(i: usize) -> &'static str {
    const NAMES: [&str; 8] = [
        "blue",
        "vermillion",
        "bluish green",
        "reddish purple",
        "orange",
        "sky blue",
        "black",
        "yellow",
    ];
    NAMES[i % NAMES.len()]
}

/// Grey for guides and reference lines.
pub(crate) const GUIDE: RGBColor = RGBColor(0x77, 0x77, 0x77);

/// A marker shape. Series differ by shape as well as colour, so no reader depends on colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A circle.
    Circle,
    /// A triangle pointing up.
    Triangle,
    /// A square.
    Square,
    /// A diamond.
    Diamond,
    /// A diagonal cross.
    Cross,
}

impl Shape {
    const ALL: [Shape; 5] = [
        Shape::Circle,
        Shape::Triangle,
        Shape::Square,
        Shape::Diamond,
        Shape::Cross,
    ];

    /// The shape of series `i`.
    pub(crate) fn of(i: usize) -> Shape {
        Shape::ALL[i % Shape::ALL.len()]
    }

    /// The shape's name, for keys in tables.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Triangle => "triangle",
            Shape::Square => "square",
            Shape::Diamond => "diamond",
            Shape::Cross => "cross",
        }
    }
}

/// A marker of a [`Shape`], radius `r` pixels, centred on a point of the chart: a plotters
/// element drawn with the backend's circles, rectangles, polygons and paths.
pub(crate) struct Marker<C> {
    at: C,
    shape: Shape,
    r: i32,
    colour: RGBColor,
    filled: bool,
}

/// A marker of `shape` and radius `r` pixels centred on `at`, filled or outlined.
pub(crate) fn marker<C>(at: C, shape: Shape, r: i32, colour: RGBColor, filled: bool) -> Marker<C> {
    Marker {
        at,
        shape,
        r,
        colour,
        filled,
    }
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Marker<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Marker<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = points.next() else {
            return Ok(());
        };
        let r = self.r;
        let fill = self.colour.filled();
        let line = self.colour.stroke_width(2);
        let closed = |pts: &[(i32, i32)]| -> Vec<BackendCoord> {
            pts.iter()
                .chain(pts.first())
                .map(|&(dx, dy)| (x + dx, y + dy))
                .collect()
        };
        let polygon = |backend: &mut DB, pts: &[(i32, i32)]| {
            if self.filled {
                backend.fill_polygon(pts.iter().map(|&(dx, dy)| (x + dx, y + dy)), &fill)?;
            }
            backend.draw_path(closed(pts), &line)
        };
        match self.shape {
            Shape::Circle => {
                backend.draw_circle((x, y), r.unsigned_abs(), &line, false)?;
                if self.filled {
                    backend.draw_circle((x, y), r.unsigned_abs(), &fill, true)?;
                }
                Ok(())
            }
            Shape::Triangle => polygon(backend, &[(0, -r - 1), (r + 1, r), (-r - 1, r)]),
            Shape::Square => polygon(backend, &[(-r, -r), (r, -r), (r, r), (-r, r)]),
            Shape::Diamond => {
                let d = r + 2;
                polygon(backend, &[(0, -d), (d, 0), (0, d), (-d, 0)])
            }
            Shape::Cross => {
                // A cross has no inside: the outlined one is thin and ringed instead.
                let stroke = if self.filled {
                    self.colour.stroke_width(3)
                } else {
                    backend.draw_circle((x, y), (r + 2).unsigned_abs(), &line, false)?;
                    self.colour.stroke_width(1)
                };
                backend.draw_path([(x - r, y - r), (x + r, y + r)], &stroke)?;
                backend.draw_path([(x - r, y + r), (x + r, y - r)], &stroke)
            }
        }
    }
}

/// A drawn chart: its SVG (with `<title>`, `<desc>` and an ARIA role) and the sentence that
/// says what it shows, for the figure's caption.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chart {
    /// The `<svg>` element.
    pub(crate) svg: String,
    /// What the chart shows, in words.
    pub(crate) summary: String,
}

/// Draws a chart of `size` pixels with `draw` and makes it accessible: `id` must be unique in
/// the page; `title` names the chart and `summary` says what it shows.
pub(crate) fn render(
    id: &str,
    title: &str,
    summary: String,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> Result<Chart, HtmlError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        draw(&root).map_err(|e| HtmlError::Chart(format!("{id}: {e}")))?;
        root.present().map_err(chart_error)?;
    }
    Ok(Chart {
        svg: accessible(&svg, id, title, &summary),
        summary,
    })
}

fn chart_error(e: impl std::fmt::Display) -> HtmlError {
    HtmlError::Chart(e.to_string())
}

/// Gives plotters' `<svg>` a role, a title and a description, and drops its fixed size so the
/// chart scales with the page (the `viewBox` keeps its proportions).
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let id = escape(id);
    let (open, rest) = match svg.find('>') {
        Some(end) if svg.starts_with("<svg ") => (&svg[5..end], &svg[end + 1..]),
        _ => return svg.to_string(),
    };
    let mut attrs = String::new();
    for attr in split_attributes(open) {
        if let Some(width) = attr.strip_prefix("width=") {
            attrs.push_str(&format!("width={width} "));
        } else if !attr.starts_with("height=") {
            attrs.push_str(attr);
            attrs.push(' ');
        }
    }
    format!(
        "<svg {attrs}role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{rest}",
        escape(title),
        escape(desc)
    )
}

/// Splits `a="x" b="y z"` into `a="x"`, `b="y z"`.
fn split_attributes(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if let Some(st) = start.take() {
                    out.push(&s[st..i]);
                }
                continue;
            }
            _ => {}
        }
        if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// A continuous axis whose ticks (and labels) sit exactly at the given values: rows of a
/// category chart, rounds of a run. (plotters' own `with_key_points` cannot format its labels.)
#[derive(Clone)]
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    /// The axis over `range` with ticks at `ticks`.
    pub(crate) fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Ticked {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only bold lines (with labels): no light grid between ticks.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// Width of every chart, in pixels.
pub(crate) const WIDTH: u32 = 900;

/// Width of the key beside a chart, in pixels.
pub(crate) const KEY_WIDTH: u32 = 210;

/// Colour of grid lines.
pub(crate) const MESH: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// How a key entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyShape {
    /// A filled marker on a thin line (a series).
    Marker(Shape),
    /// An outlined marker.
    Hollow(Shape),
    /// A filled marker alone (a single point, not a series).
    Point(Shape),
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A filled marker on a thin dashed line (a series drawn dashed).
    DashedMarker(Shape),
    /// A filled bar.
    Bar,
    /// A lightly filled bar with an outline and diagonal hatching.
    Hatched,
    /// An interval with caps.
    Whisker,
}

/// One entry of the key drawn beside a chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    /// What it stands for.
    pub(crate) text: String,
    /// Its colour.
    pub(crate) colour: RGBColor,
    /// How it is drawn.
    pub(crate) shape: KeyShape,
}

/// Draws `keys` in `area` (the strip right of a chart), one per line, under the heading "Key".
pub(crate) fn key(area: &Area<'_>, keys: &[Key]) -> Drawn {
    let font = (FONT, SMALL_SIZE).into_font().color(&BLACK);
    area.draw(&Text::new("Key", (8, 44), (FONT, LABEL_SIZE).into_font()))?;
    for (i, k) in keys.iter().enumerate() {
        let y = 72 + 20 * i as i32;
        let c = k.colour;
        match k.shape {
            KeyShape::Marker(shape) => {
                area.draw(&PathElement::new(vec![(6, y), (30, y)], c.stroke_width(1)))?;
                area.draw(&marker((18, y), shape, 5, c, true))?;
            }
            KeyShape::Hollow(shape) => area.draw(&marker((18, y), shape, 5, c, false))?,
            KeyShape::Point(shape) => area.draw(&marker((18, y), shape, 5, c, true))?,
            KeyShape::Line => {
                area.draw(&PathElement::new(vec![(6, y), (30, y)], c.stroke_width(2)))?
            }
            KeyShape::Dashed => {
                for x in [6, 16, 26] {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 5, y)],
                        c.stroke_width(2),
                    ))?;
                }
            }
            KeyShape::DashedMarker(shape) => {
                for x in [6, 16, 26] {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 5, y)],
                        c.stroke_width(1),
                    ))?;
                }
                area.draw(&marker((18, y), shape, 5, c, true))?;
            }
            KeyShape::Bar => area.draw(&Rectangle::new([(6, y - 6), (30, y + 6)], c.filled()))?,
            KeyShape::Hatched => {
                area.draw(&Rectangle::new(
                    [(6, y - 6), (30, y + 6)],
                    c.mix(0.25).filled(),
                ))?;
                for x in [6, 12, 18, 24] {
                    area.draw(&PathElement::new(
                        vec![(x, y + 6), (x + 6, y - 6)],
                        c.stroke_width(1),
                    ))?;
                }
                area.draw(&Rectangle::new(
                    [(6, y - 6), (30, y + 6)],
                    c.stroke_width(2),
                ))?;
            }
            KeyShape::Whisker => {
                let w = c.stroke_width(2);
                area.draw(&PathElement::new(vec![(6, y), (30, y)], w))?;
                area.draw(&PathElement::new(vec![(6, y - 5), (6, y + 5)], w))?;
                area.draw(&PathElement::new(vec![(30, y - 5), (30, y + 5)], w))?;
            }
        }
        area.draw(&Text::new(
            shorten(&k.text, 24),
            (38, y),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// `text` cut to at most `max` characters, with an ellipsis if cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_split_outside_quotes_only() {
        assert_eq!(
            split_attributes("width=\"1\" viewBox=\"0 0 1 2\"  xmlns=\"x\""),
            ["width=\"1\"", "viewBox=\"0 0 1 2\"", "xmlns=\"x\""]
        );
    }

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shorten("Türkiye", 7), "Türkiye");
        assert_eq!(shorten("Türkiye", 4), "Tür…");
    }
}
