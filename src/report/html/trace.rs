//! The page of `treaty trace`: one run, round by round, on a dated time axis.

use plotters::coord::cartesian::Cartesian2d;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::HtmlError;
use super::chart::{
    Area, FONT, GUIDE, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, SMALL_SIZE, Shape, TITLE_SIZE,
    Ticked, WIDTH, colour, key, marker, render, shorten,
};
use super::page::{Cell, Page};
use crate::model::{Domain, Model, Role};
use crate::report::format::{MonthName, maybe_number, number, percent, spoken_date};
use crate::report::trace::Trace;

/// A chart over the rounds of a run.
type TimeChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Ticked, Ticked>>;

/// The time axis of a run: its rounds, their dates and the events on it.
struct Timeline {
    /// The first round shown.
    first: u32,
    /// The last round played.
    last: u32,
    /// Tick positions (rounds).
    ticks: Vec<f64>,
    /// The calendar that dates the rounds of the tick labels.
    calendar: crate::model::Calendar,
    /// The axis's description.
    desc: String,
    /// Events and wars by round: (round, tags "E1,E2,W1").
    marks: Vec<(u32, String)>,
}

/// The pieces of a line over rounds that a trace tells without a gap: a line is not drawn
/// across rounds the trace leaves out (`trace --rounds`).
fn unbroken(points: &[(f64, f64)]) -> impl Iterator<Item = &[(f64, f64)]> {
    points.chunk_by(|a, b| b.0 - a.0 <= 1.5)
}

impl Timeline {
    fn new(trace: &Trace, model: &Model) -> Self {
        let last = trace
            .rounds
            .iter()
            .map(|r| r.round)
            .max()
            .unwrap_or(1)
            .max(trace.outcome.round)
            .max(1);
        // A trace of a long run may start later than round 1 (`trace --rounds`).
        let first = trace
            .rounds
            .iter()
            .map(|r| r.round)
            .find(|&r| r > 0)
            .unwrap_or(1)
            .min(last);
        let step = (last - first + 1).div_ceil(10).max(1);
        let ticks = (first..=last)
            .step_by(step as usize)
            .map(f64::from)
            .collect();
        let cal = &model.calendar;
        let desc = match cal.date_of_round(1) {
            Some(d) => format!(
                "Date each round starts (1 round = {}; round 1 = {d})",
                cal.round_length()
            ),
            None => format!("Round (1 round = {})", cal.round_length()),
        };
        let mut marks = Vec::new();
        let (mut k, mut w) = (0, 0);
        for r in trace
            .rounds
            .iter()
            .filter(|r| !r.events.is_empty() || !r.wars.is_empty())
        {
            let mut tags: Vec<String> = r
                .events
                .iter()
                .map(|_| {
                    k += 1;
                    format!("E{k}")
                })
                .collect();
            tags.extend(r.wars.iter().map(|_| {
                w += 1;
                format!("W{w}")
            }));
            marks.push((r.round, tags.join(",")));
        }
        Timeline {
            first,
            last,
            ticks,
            calendar: *cal,
            desc,
            marks,
        }
    }

    fn label(&self, x: &f64) -> String {
        let r = x.round();
        if !(0.0..=f64::from(self.last)).contains(&r) {
            return String::new();
        }
        let r = r as u32;
        match self.calendar.date_of_round(r.max(1)) {
            Some(d) => spoken_date(d, self.calendar.unit, MonthName::Short),
            None => r.to_string(),
        }
    }

    /// A chart over the rounds on `area`, titled, with its mesh and the events drawn; the y
    /// axis runs from `lo` to 1 with ticks every 0.1, and room above 1 for the events' tags.
    fn chart<'a, 'b>(
        &self,
        area: &'a Area<'b>,
        title: &str,
        lo: f64,
        y_desc: &str,
    ) -> Result<TimeChart<'a, 'b>, Box<dyn std::error::Error>> {
        let x = Ticked::new(
            f64::from(self.first) - 0.5..f64::from(self.last) + 0.5,
            self.ticks.clone(),
        );
        let first = (lo * 10.0).ceil() as i32;
        let y_ticks = (first..=10).map(|k| f64::from(k) / 10.0).collect();
        let top = if self.marks.is_empty() { 1.03 } else { 1.1 };
        let y = (lo - 0.03)..top;
        let y_axis = Ticked::new(y.clone(), y_ticks);
        let mut chart = ChartBuilder::on(area)
            .caption(shorten(title, 80), (FONT, TITLE_SIZE))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(x, y_axis)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(self.desc.as_str())
            .y_desc(y_desc)
            .x_label_formatter(&|x| self.label(x))
            .y_label_formatter(&|v| number(*v, 1))
            .label_style((FONT, SMALL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .max_light_lines(0)
            .bold_line_style(MESH)
            .draw()?;
        let font = (FONT, SMALL_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Top));
        for (round, tags) in &self.marks {
            let x = f64::from(*round);
            chart.draw_series(DashedLineSeries::new(
                vec![(x, y.start), (x, y.end)],
                5,
                4,
                GUIDE.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y.end)) + Text::new(tags.clone(), (4, 2), font.clone()),
            ))?;
        }
        Ok(chart)
    }
}

/// The key entry of actor `a`.
fn actor_key(a: usize, name: &str) -> Key {
    Key {
        text: name.to_string(),
        colour: colour(a),
        shape: KeyShape::Marker(Shape::of(a)),
    }
}

/// A key entry for a line.
fn line_key(text: &str, colour: RGBColor, dashed: bool) -> Key {
    Key {
        text: text.to_string(),
        colour,
        shape: if dashed {
            KeyShape::Dashed
        } else {
            KeyShape::Line
        },
    }
}

/// The page of one run: `trace` recorded from `model`.
pub fn trace_page(trace: &Trace) -> Result<String, HtmlError> {
    let model = &trace.model;
    let title = format!("{}: run {} of seed {}", model.name, trace.run, trace.seed);
    let o = &trace.outcome;
    let when = match &o.date {
        Some(d) => format!("round {} ({d})", o.round),
        None => format!("round {}", o.round),
    };
    let lead = format!(
        "{} {} protocol. This run ended in {} in {when}.",
        super::run::sentence(&model.description),
        trace.protocol,
        o.kind.to_lowercase()
    );
    let mut page = Page::new(&title, &lead);
    if let Some(shown) = trace.rounds_shown {
        page.paragraph(&format!(
            "This run is longer than the rounds this page tells: it shows rounds {} to {} and \
             the last round played ({}); the others were played but are not shown (`treaty \
             trace --rounds FROM..TO` tells others).",
            shown.from, shown.to, o.round
        ));
    }
    let timeline = Timeline::new(trace, model);

    page.heading(2, "aspirations", "Aspirations");
    page.paragraph(
        "An actor's aspiration is the utility it holds out for as a round starts (1 = its ideal \
         settlement); it falls as the actor concedes, never below its floor. Dashed grey lines \
         mark events (E1, E2, …) and wars (W1, W2, …), listed below the chart.",
    );
    aspirations(&mut page, trace, &timeline, model)?;
    events(&mut page, trace, model.calendar.start.is_some());
    breakdowns(&mut page, trace, model);

    page.heading(2, "offers", "Offers and positions, issue by issue");
    page.paragraph(
        "Each marker is a proposal tabled in a round (the round's proposal, then the mediators' \
         text if it was rejected), in its proposer's colour and shape; the grey line joins the \
         proposals in order. Where actors move their own positions (the expected-utility model), \
         their positions are drawn as lines.",
    );
    let salience: Vec<f64> = (0..model.issues.len())
        .map(|j| {
            model
                .actors
                .iter()
                .filter_map(|a| a.stances.get(j))
                .map(|s| s.salience.central(Domain::NON_NEGATIVE))
                .sum()
        })
        .collect();
    let kept = super::run::top(&salience, super::run::MAX_ISSUES);
    if kept.len() < model.issues.len() || model.actors.len() > super::run::MAX_ACTORS {
        page.paragraph(&format!(
            "A large model: this page draws the {} of {} issues with the largest total salience \
             ({} left out) and the positions and aspirations of the {} most capable actors; the \
             JSON trace holds them all.",
            kept.len(),
            model.issues.len(),
            model.issues.len() - kept.len(),
            super::run::MAX_ACTORS
        ));
    }
    // A large model: the moving positions of the most capable actors only.
    let capability: Vec<f64> = model
        .actors
        .iter()
        .map(|a| a.capability.central(Domain::POSITIVE))
        .collect();
    let mut drawn = vec![false; model.actors.len()];
    for a in super::run::top(&capability, super::run::MAX_ACTORS) {
        drawn[a] = true;
    }
    for j in kept {
        offers(&mut page, trace, &timeline, model, j, &drawn)?;
    }
    rounds_table(&mut page, trace, model);
    force(&mut page, trace, model);
    ending(&mut page, trace, model);
    Ok(page.finish(&title))
}

fn index(model: &Model, id: &str) -> Option<usize> {
    model.actor_index(id)
}

fn aspirations(
    page: &mut Page,
    trace: &Trace,
    timeline: &Timeline,
    model: &Model,
) -> Result<(), HtmlError> {
    // Per actor (model order): (round, aspiration). Only principals hold out for a utility:
    // mediators and stakeholders are left out.
    let principals: Vec<usize> = (0..model.actors.len())
        .filter(|&i| model.actors[i].role == Role::Principal)
        .collect();
    let capability: Vec<f64> = principals
        .iter()
        .map(|&i| model.actors[i].capability.central(Domain::POSITIVE))
        .collect();
    // A large model: the most capable principals only.
    let shown: Vec<usize> = super::run::top(&capability, super::run::MAX_ACTORS)
        .into_iter()
        .map(|k| principals[k])
        .collect();
    let holds = |i: usize| shown.binary_search(&i).is_ok();
    let mut series: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.actors.len()];
    for r in &trace.rounds {
        for a in &r.aspiration {
            if let Some(i) = index(model, &a.actor).filter(|&i| holds(i)) {
                series[i].push((f64::from(r.round), a.aspiration));
            }
        }
    }
    let lo = series.iter().flatten().map(|p| p.1).fold(0.0, f64::min);
    let sentence = series
        .iter()
        .zip(&model.actors)
        .filter_map(|(s, actor)| {
            let (first, last) = (s.first()?, s.last()?);
            Some(format!(
                "{} from {} to {}",
                actor.name,
                number(first.1, 2),
                number(last.1, 2)
            ))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title = "Aspiration round by round";
    let mut keys: Vec<Key> = model
        .actors
        .iter()
        .enumerate()
        .filter(|(a, _)| !series[*a].is_empty())
        .map(|(a, actor)| actor_key(a, &actor.name))
        .collect();
    if !timeline.marks.is_empty() {
        keys.push(line_key("event", GUIDE, true));
    }
    let chart = render(
        "aspiration-chart",
        title,
        format!("Aspirations over the run: {sentence}."),
        (WIDTH, 420),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let mut chart = timeline.chart(&left, title, lo, "Aspiration (utility)")?;
            for (a, s) in series.iter().enumerate() {
                let c = colour(a);
                for piece in unbroken(s) {
                    chart.draw_series(LineSeries::new(piece.iter().copied(), c.stroke_width(2)))?;
                }
                chart.draw_series(s.iter().map(|&p| marker(p, Shape::of(a), 4, c, true)))?;
            }
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    let ids: Vec<&str> = model
        .actors
        .iter()
        .enumerate()
        .filter(|&(i, _)| holds(i))
        .map(|(_, a)| a.id.as_str())
        .collect();
    let dated = model.calendar.start.is_some();
    let mut header = vec!["round"];
    if dated {
        header.push("date");
    }
    header.extend(ids.iter().copied());
    let rows: Vec<Vec<Cell>> = trace
        .rounds
        .iter()
        .filter(|r| r.round > 0)
        .map(|r| {
            let mut row = vec![Cell::Text(r.round.to_string())];
            if dated {
                row.push(Cell::Fixed(r.date.clone().unwrap_or_default()));
            }
            for id in &ids {
                let v = r
                    .aspiration
                    .iter()
                    .find(|a| a.actor == *id)
                    .map(|a| a.aspiration);
                row.push(Cell::Num(maybe_number(v, 3)));
            }
            row
        })
        .collect();
    page.table(
        "Aspiration of each actor as the round starts",
        &header,
        &rows,
    );
    Ok(())
}

fn events(page: &mut Page, trace: &Trace, dated: bool) {
    let mut rows = Vec::new();
    let mut k = 0;
    for r in &trace.rounds {
        for e in &r.events {
            k += 1;
            let mut row = vec![Cell::Text(format!("E{k}")), Cell::Num(r.round.to_string())];
            if dated {
                row.push(Cell::Fixed(r.date.clone().unwrap_or_default()));
            }
            row.push(Cell::Text(e.label.clone()));
            row.push(Cell::Text(e.effects.join("; ")));
            rows.push(row);
        }
    }
    let header: &[&str] = if dated {
        &["event", "round", "date", "what happened", "effects"]
    } else {
        &["event", "round", "what happened", "effects"]
    };
    if rows.is_empty() {
        page.paragraph("No event fired in this run.");
    } else {
        page.table("Events", header, &rows);
    }
}

fn offers(
    page: &mut Page,
    trace: &Trace,
    timeline: &Timeline,
    model: &Model,
    j: usize,
    drawn: &[bool],
) -> Result<(), HtmlError> {
    let issue = &model.issues[j];
    let n = model.actors.len();
    // Proposals on this issue, by proposer (model order; index n: no proposer).
    let mut by: Vec<Vec<(f64, f64)>> = vec![Vec::new(); n + 1];
    let mut path = Vec::new();
    for r in &trace.rounds {
        for p in &r.proposals {
            let Some(v) = p.point.get(j) else {
                continue;
            };
            let who = p
                .proposer
                .as_deref()
                .and_then(|id| index(model, id))
                .unwrap_or(n);
            by[who].push((f64::from(r.round), v.value));
            path.push((f64::from(r.round), v.value));
        }
    }
    // Positions moved by the expected-utility model, per actor.
    let mut positions: Vec<Vec<(f64, f64)>> = vec![Vec::new(); n];
    for r in &trace.rounds {
        for s in r.shifts.iter().filter(|s| s.issue == issue.id) {
            let a = index(model, &s.actor).filter(|&a| drawn.get(a).copied().unwrap_or(false));
            if let Some(line) = a.and_then(|a| positions.get_mut(a)) {
                let x = f64::from(r.round);
                if line.is_empty() {
                    // Where it stood before this round (the axis starts at round 0.5).
                    line.push(((x - 1.0).max(0.5), s.from));
                }
                line.push((x, s.to));
            }
        }
    }
    let status_quo = trace.status_quo.get(j).map_or(f64::NAN, |v| v.value);
    let settled = trace
        .outcome
        .settlement
        .get(j)
        .map_or(f64::NAN, |v| v.value);
    let end = f64::from(trace.outcome.round.max(1));
    let no_proposer = trace
        .rounds
        .iter()
        .flat_map(|r| &r.proposals)
        .find(|p| p.proposer.is_none())
        .map_or("proposal", |p| p.kind);
    let mut keys: Vec<Key> = (0..n)
        .filter(|&a| !by[a].is_empty() || !positions[a].is_empty())
        .map(|a| actor_key(a, &model.actors[a].name))
        .collect();
    if !by[n].is_empty() {
        keys.push(Key {
            text: format!("{no_proposer} (no proposer)"),
            colour: BLACK,
            shape: KeyShape::Marker(Shape::Circle),
        });
    }
    keys.push(line_key("proposals in order", GUIDE, false));
    keys.push(line_key("status quo (this run)", BLACK, true));
    keys.push(Key {
        text: format!("settlement ({})", trace.outcome.kind.to_lowercase()),
        colour: BLACK,
        shape: KeyShape::Point(Shape::Cross),
    });
    if !timeline.marks.is_empty() {
        keys.push(line_key("event", GUIDE, true));
    }
    let proposals = path.len();
    let sentence = format!(
        "{} on {}: {proposals} proposal{} from {} to {}; status quo {}; settled at {} in round {}.",
        if proposals == 0 {
            "No offers"
        } else {
            "Offers"
        },
        issue.name,
        if proposals == 1 { "" } else { "s" },
        maybe_number(path.first().map(|p| p.1), 2),
        maybe_number(path.last().map(|p| p.1), 2),
        number(status_quo, 2),
        number(settled, 2),
        trace.outcome.round
    );
    let title = format!("Offers on {}", issue.name);
    let chart = render(
        &format!("offers-{}", issue.id),
        &title,
        sentence,
        (WIDTH, 400),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let y_desc = "Position (0 = low pole, 1 = high pole)";
            let mut chart = timeline.chart(&left, &title, 0.0, y_desc)?;
            let x = (
                f64::from(timeline.first) - 0.5,
                f64::from(timeline.last) + 0.5,
            );
            chart.draw_series(DashedLineSeries::new(
                vec![(x.0, status_quo), (x.1, status_quo)],
                6,
                4,
                BLACK.stroke_width(2),
            ))?;
            for (a, line) in positions.iter().enumerate() {
                for piece in unbroken(line) {
                    chart.draw_series(LineSeries::new(
                        piece.iter().copied(),
                        colour(a).stroke_width(2),
                    ))?;
                }
            }
            for piece in unbroken(&path) {
                chart.draw_series(LineSeries::new(
                    piece.iter().copied(),
                    GUIDE.stroke_width(1),
                ))?;
            }
            for (a, points) in by.iter().enumerate() {
                let (c, shape) = if a < n {
                    (colour(a), Shape::of(a))
                } else {
                    (BLACK, Shape::Circle)
                };
                chart.draw_series(points.iter().map(|&p| marker(p, shape, 5, c, true)))?;
            }
            chart.draw_series(std::iter::once(marker(
                (end, settled),
                Shape::Cross,
                8,
                BLACK,
                true,
            )))?;
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    Ok(())
}

fn rounds_table(page: &mut Page, trace: &Trace, model: &Model) {
    page.heading(3, "round-by-round", "The proposals, round by round");
    let dated = model.calendar.start.is_some();
    let mut header = vec!["round"];
    if dated {
        header.push("date");
    }
    header.extend(["proposal", "answer"]);
    header.extend(model.issues.iter().map(|i| i.id.as_str()));
    let rows: Vec<Vec<Cell>> = trace
        .rounds
        .iter()
        .flat_map(|r| r.proposals.iter().map(move |p| (r, p)))
        .map(|(r, p)| {
            let rejected: Vec<&str> = p
                .responses
                .iter()
                .filter(|x| x.answer == "reject")
                .map(|x| x.actor.as_str())
                .collect();
            let mut row = vec![Cell::Text(r.round.to_string())];
            if dated {
                row.push(Cell::Fixed(r.date.clone().unwrap_or_default()));
            }
            let who = p.proposer.clone().unwrap_or_else(|| p.kind.to_string());
            let what = if p.mediator_text {
                format!("{who}: the mediators' text")
            } else if p.kind == "offer" {
                format!("{who}: offer")
            } else {
                who
            };
            row.extend([
                Cell::Text(what),
                Cell::Text(if !p.vote {
                    "no vote".into()
                } else if p.agreed {
                    "agreed".into()
                } else if rejected.is_empty() {
                    "rejected by nobody".into()
                } else {
                    format!("rejected by {}", rejected.join(", "))
                }),
            ]);
            row.extend(p.point.iter().map(|v| Cell::Num(number(v.value, 3))));
            row
        })
        .collect();
    if rows.is_empty() {
        page.paragraph("No proposal was tabled.");
    } else {
        page.table(
            "Proposals by round, in the order tabled (positions per issue on [0, 1])",
            &header,
            &rows,
        );
    }
}

/// What failure would mean for every principal, as worked out before round 1 and after each
/// change of the world.
fn breakdowns(page: &mut Page, trace: &Trace, model: &Model) {
    if trace.breakdowns.is_empty() {
        return;
    }
    page.heading(2, "breakdown", "If the talks fail");
    page.paragraph(
        "What failure would bring each principal: the war of an initiator whose threat is \
         credible (its war is worth more to it than failure without one), or else the status \
         quo. A principal's floor, the least it accepts, is that value or its reservation \
         utility, whichever is more. Worked out before round 1 and again whenever the world \
         changes (events, limited wars).",
    );
    let principals: Vec<usize> = model.principals().collect();
    let mut header = vec!["from round".to_string(), "failure brings".to_string()];
    for &a in &principals {
        header.push(format!("{}: value", model.actors[a].id));
        header.push(format!("{}: floor", model.actors[a].id));
    }
    let rows: Vec<Vec<Cell>> = trace
        .breakdowns
        .iter()
        .map(|b| {
            let mut row = vec![
                Cell::Text(if b.round == 0 {
                    "before round 1".into()
                } else {
                    b.round.to_string()
                }),
                Cell::Text(match &b.threat {
                    Some(i) => format!("war by {i}"),
                    None => "no war".into(),
                }),
            ];
            for &a in &principals {
                let f = b.actors.iter().find(|f| f.actor == model.actors[a].id);
                row.push(Cell::Num(maybe_number(f.map(|f| f.breakdown), 3)));
                row.push(Cell::Num(maybe_number(f.map(|f| f.floor), 3)));
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    page.table(
        "Value of failure and floor of each principal (utility)",
        &header,
        &rows,
    );
}

/// Every initiator's weighing of war against the talks, and the wars fought.
fn force(page: &mut Page, trace: &Trace, model: &Model) {
    if trace.force.is_none() {
        return;
    }
    page.heading(2, "force", "Force and war");
    let dated = model.calendar.start.is_some();
    let mut header = vec!["round"];
    if dated {
        header.push("date");
    }
    header.extend([
        "initiator",
        "target",
        "true odds",
        "believed odds",
        "value of war",
        "table offers",
        "going on",
        "chance to escalate",
        "escalated",
    ]);
    let rows: Vec<Vec<Cell>> = trace
        .rounds
        .iter()
        .flat_map(|r| r.force.iter().map(move |f| (r, f)))
        .map(|(r, f)| {
            let mut row = vec![Cell::Text(r.round.to_string())];
            if dated {
                row.push(Cell::Fixed(r.date.clone().unwrap_or_default()));
            }
            row.extend([
                Cell::Text(f.initiator.clone()),
                Cell::Text(f.target.clone()),
                Cell::Num(percent(f.win_probability, 1)),
                Cell::Num(percent(f.believed, 1)),
                Cell::Num(number(f.value, 3)),
                Cell::Num(number(f.table, 3)),
                Cell::Num(number(f.going_on, 3)),
                Cell::Num(percent(f.propensity, 1)),
                Cell::Text(if f.escalated { "yes" } else { "no" }.into()),
            ]);
            row
        })
        .collect();
    if rows.is_empty() {
        page.paragraph(
            "War was never worth more to an initiator than both what the table offered it and \
             what it expected from going on.",
        );
    } else {
        page.paragraph(
            "An initiator weighs war whenever it is worth more to it (at the odds it believes) \
             than both what the table offers it now and what it expects from going on; it then \
             escalates with the scenario's chance a round.",
        );
        page.table("Force weighed, round by round", &header, &rows);
    }
    let wars = &trace.outcome.wars;
    if wars.is_empty() {
        page.paragraph("No war was fought in this run.");
        return;
    }
    let mut header = vec!["war", "round"];
    if dated {
        header.push("date");
    }
    header.extend(["initiator", "target", "winners", "kind", "imposed"]);
    let rows: Vec<Vec<Cell>> = wars
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let mut row = vec![
                Cell::Text(format!("W{}", k + 1)),
                Cell::Num(w.round.to_string()),
            ];
            if dated {
                row.push(Cell::Fixed(w.date.clone().unwrap_or_default()));
            }
            let kind = match (w.at_breakdown, w.ended_talks) {
                (true, _) => "when the talks failed; ended them",
                (false, true) => "ended the talks",
                (false, false) => "limited; talks went on",
            };
            let imposed: Vec<String> = w
                .imposed
                .iter()
                .map(|i| {
                    let label = i
                        .option
                        .as_deref()
                        .map_or(String::new(), |l| format!(" ({l})"));
                    format!(
                        "{} {} → {}{label}",
                        i.issue,
                        number(i.from, 3),
                        number(i.to, 3)
                    )
                })
                .collect();
            row.extend([
                Cell::Text(w.initiator.clone()),
                Cell::Text(w.target.clone()),
                Cell::Text(w.winners.join(", ")),
                Cell::Text(kind.into()),
                Cell::Text(imposed.join("; ")),
            ]);
            row
        })
        .collect();
    page.table(
        "Wars of this run: who attacked whom, who won, what each imposed",
        &header,
        &rows,
    );
}

fn ending(page: &mut Page, trace: &Trace, model: &Model) {
    let o = &trace.outcome;
    page.heading(2, "outcome", "How the run ended");
    let mut text = format!("{} in round {}", o.kind, o.round);
    if let Some(d) = &o.date {
        text.push_str(&format!(" ({d})"));
    }
    if let Some(c) = o.wars.iter().rev().find(|w| w.ended_talks) {
        text.push_str(&format!(
            ": {} went to war against {}{}; the {} side won ({})",
            c.initiator,
            c.target,
            if c.at_breakdown {
                " when the talks failed"
            } else {
                ""
            },
            if c.initiator_won {
                "initiator's"
            } else {
                "target's"
            },
            c.winners.join(", ")
        ));
    }
    text.push('.');
    let limited = o.wars.iter().filter(|w| !w.ended_talks).count();
    match limited {
        0 => {}
        1 => text.push_str(" A limited war came before the end, imposing a new status quo."),
        _ => text.push_str(&format!(
            " {limited} limited wars came before the end, each imposing a new status quo."
        )),
    }
    page.paragraph(&text);
    let rows: Vec<Vec<Cell>> = o
        .settlement
        .iter()
        .zip(&model.issues)
        .map(|(v, issue)| {
            vec![
                Cell::Text(issue.name.clone()),
                Cell::Num(number(v.value, 3)),
                Cell::Text(v.option.clone().unwrap_or_default()),
            ]
        })
        .collect();
    page.table("Settlement", &["issue", "point", "option"], &rows);
    let rows: Vec<Vec<Cell>> = o
        .actors
        .iter()
        .map(|a| {
            let name = index(model, &a.actor).map_or(a.actor.as_str(), |i| &model.actors[i].name);
            vec![
                Cell::Text(name.to_string()),
                Cell::Num(number(a.utility, 3)),
                Cell::Num(number(a.concession, 3)),
            ]
        })
        .collect();
    page.table("Results", &["actor", "utility", "total concession"], &rows);
    page.facts(&[
        ("program", trace.treaty.clone()),
        ("scenario", trace.scenario.clone()),
        ("seed", trace.seed.to_string()),
        ("run", trace.run.to_string()),
    ]);
}
