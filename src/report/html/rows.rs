//! The interval chart: one row per item (an outcome, an actor, a metric), the estimate as a bar
//! or a dot with its interval as a whisker, and optionally a reference value per row. It draws the
//! outcome probabilities and the actors' utilities.

use std::ops::Range;

use plotters::prelude::*;

use super::HtmlError;
use super::chart::{
    Area, Chart, Drawn, FONT, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, PALETTE, SMALL_SIZE,
    Shape, TITLE_SIZE, Ticked, WIDTH, key, marker, render, shorten,
};

/// One row of an interval chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The row's label (left of the plot).
    pub(crate) label: String,
    /// The estimate (a dot, or a bar from 0).
    pub(crate) estimate: Option<f64>,
    /// Its interval, drawn as a whisker.
    pub(crate) interval: Option<(f64, f64)>,
    /// A reference value for this row (e.g. a reservation utility), drawn as a hollow diamond.
    pub(crate) reference: Option<f64>,
}

/// An interval chart: one row per item, the estimate as a dot or a bar with its interval as a
/// whisker, and optionally a reference value per row and a vertical reference line.
pub(crate) struct Rows<'a> {
    /// Unique id of the chart in its page.
    pub(crate) id: &'a str,
    /// Title drawn above the chart.
    pub(crate) title: &'a str,
    /// The x axis's description, with its unit.
    pub(crate) x_desc: &'a str,
    /// The x axis's range.
    pub(crate) x_range: Range<f64>,
    /// Whether estimates are bars from 0 (shares) rather than dots.
    pub(crate) bars: bool,
    /// A vertical line (e.g. at 0 for differences), if any.
    pub(crate) line_at: Option<f64>,
    /// Legend names: of the estimate, of the interval, of the reference values.
    pub(crate) names: [&'a str; 3],
    /// Formats x tick labels.
    pub(crate) tick: &'a dyn Fn(&f64) -> String,
    /// The rows, top to bottom.
    pub(crate) rows: Vec<Row>,
}

impl Rows<'_> {
    /// Draws the chart, with `summary` as its text alternative.
    pub(crate) fn draw(&self, summary: String) -> Result<Chart, HtmlError> {
        let n = self.rows.len().max(1);
        let height = 120 + 40 * n as u32;
        render(self.id, self.title, summary, (WIDTH, height), |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            self.plot(&left)?;
            key(&right, &self.keys())
        })
    }

    fn keys(&self) -> Vec<Key> {
        let mut keys = vec![
            Key {
                text: self.names[0].to_string(),
                colour: PALETTE[0],
                shape: if self.bars {
                    KeyShape::Bar
                } else {
                    KeyShape::Marker(Shape::Circle)
                },
            },
            Key {
                text: self.names[1].to_string(),
                colour: BLACK,
                shape: KeyShape::Whisker,
            },
        ];
        if self.rows.iter().any(|r| r.reference.is_some()) {
            keys.push(Key {
                text: self.names[2].to_string(),
                colour: PALETTE[1],
                shape: KeyShape::Hollow(Shape::Diamond),
            });
        }
        keys
    }

    fn plot(&self, area: &Area<'_>) -> Drawn {
        let n = self.rows.len().max(1);
        let ys: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let label_width = self
            .rows
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(6, 32) as u32
            * 7
            + 16;
        let top = n as f64 - 0.4;
        let mut chart = ChartBuilder::on(area)
            .caption(self.title, (FONT, TITLE_SIZE))
            .margin(12)
            .margin_right(20)
            .x_label_area_size(48)
            .y_label_area_size(label_width)
            .build_cartesian_2d(self.x_range.clone(), Ticked::new(-0.6..top, ys))?;
        let rows = &self.rows;
        let y_of = |i: usize| (n - 1 - i) as f64;
        let label_of = move |y: &f64| {
            let i = (n as f64 - 1.0 - y).round();
            if i >= 0.0 {
                rows.get(i as usize)
                    .map(|r| shorten(&r.label, 32))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .max_light_lines(0)
            .x_desc(self.x_desc)
            .x_label_formatter(self.tick)
            .y_label_formatter(&label_of)
            .label_style((FONT, SMALL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .bold_line_style(MESH)
            .draw()?;
        if let Some(x) = self.line_at {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, -0.6), (x, top)],
                BLACK.stroke_width(1),
            )))?;
        }
        let estimate = PALETTE[0];
        if self.bars {
            chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
                let y = y_of(i);
                r.estimate
                    .map(|e| Rectangle::new([(0.0, y - 0.3), (e, y + 0.3)], estimate.filled()))
            }))?;
        }
        // Whiskers: the interval with caps.
        let whisker = BLACK.stroke_width(2);
        for (i, r) in self.rows.iter().enumerate() {
            if let Some((lo, hi)) = r.interval {
                let y = y_of(i);
                chart.draw_series([
                    PathElement::new(vec![(lo, y), (hi, y)], whisker),
                    PathElement::new(vec![(lo, y - 0.15), (lo, y + 0.15)], whisker),
                    PathElement::new(vec![(hi, y - 0.15), (hi, y + 0.15)], whisker),
                ])?;
            }
        }
        if !self.bars {
            chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
                r.estimate
                    .map(|e| marker((e, y_of(i)), Shape::Circle, 6, estimate, true))
            }))?;
        }
        chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
            r.reference
                .map(|v| marker((v, y_of(i)), Shape::Diamond, 5, PALETTE[1], false))
        }))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_carry_a_title_a_description_and_their_text() {
        let chart = Rows {
            id: "outcomes",
            title: "How talks end",
            x_desc: "Share of runs (%)",
            x_range: 0.0..1.0,
            bars: true,
            line_at: None,
            names: ["share", "95% interval", ""],
            tick: &|x| format!("{:.0}", x * 100.0),
            rows: vec![Row {
                label: "Agreement & more".into(),
                estimate: Some(0.4),
                interval: Some((0.3, 0.5)),
                reference: None,
            }],
        }
        .draw("Agreement in 40% of runs.".into())
        .unwrap();
        let svg = &chart.svg;
        assert!(
            svg.starts_with("<svg width=\"900\" viewBox=\"0 0 900 160\""),
            "{svg}"
        );
        assert!(!svg.lines().next().unwrap().contains("height="), "{svg}");
        assert!(svg.contains("role=\"img\" aria-labelledby=\"outcomes-title outcomes-desc\""));
        assert!(svg.contains("<title id=\"outcomes-title\">How talks end</title>"));
        assert!(svg.contains("<desc id=\"outcomes-desc\">Agreement in 40% of runs.</desc>"));
        // Plotters writes the text itself, escaped, without needing a font.
        assert!(svg.contains(">\nHow talks end\n</text>"), "{svg}");
        assert!(svg.contains(">\nAgreement &amp; more\n</text>"), "{svg}");
        assert!(svg.contains(">\nShare of runs (%)\n</text>"), "{svg}");
        assert!(svg.contains("font-size=\"12.903225806451614\""), "{svg}");
        assert!(svg.contains("font-family=\"sans-serif\""));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
