//! The trace as prose for a student: the rounds, and the helpers the opening ([`super::header`])
//! and the close ([`super::ending`]) share.

use std::fmt::Write;

use super::{IssueValue, ProposalRecord, ResponseRecord, Round, Trace};
use crate::model::Model;
use crate::report::format::{self, MonthName};

/// Names and layout shared by the renderer.
pub(super) struct Names<'a> {
    pub(super) model: &'a Model,
    pub(super) width: usize,
}

impl Names<'_> {
    pub(super) fn actor<'s>(&'s self, id: &'s str) -> &'s str {
        self.model
            .actor_index(id)
            .map_or(id, |a| self.model.actors[a].name.as_str())
    }

    pub(super) fn padded(&self, id: &str) -> String {
        format!("{:<w$}", self.actor(id), w = self.width)
    }

    pub(super) fn list(&self, ids: &[&str]) -> String {
        let names: Vec<&str> = ids.iter().map(|id| self.actor(id)).collect();
        join_and(&names)
    }

    /// "Round 4 — October 2023", in the calendar's unit.
    pub(super) fn round_title(&self, round: u32, date: Option<&str>) -> String {
        match date.and_then(|d| self.date_words(d)) {
            Some(words) => format!("Round {round} — {words}"),
            None => format!("Round {round}"),
        }
    }

    pub(super) fn date_words(&self, date: &str) -> Option<String> {
        let date = crate::model::parse_date(date).ok()?;
        Some(format::spoken_date(
            date,
            self.model.calendar.unit,
            MonthName::Long,
        ))
    }
}

/// "A", "A and B", "A, B and C".
pub(super) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A number for a reader: −0.250 with a real minus sign.
pub(super) fn num(x: f64) -> String {
    format::number(x, 3)
}

/// Writes `text` as a paragraph wrapped at [`WIDTH`] columns, every line indented by `indent`
/// spaces and continuation lines by two more.
pub(super) fn para(out: &mut String, indent: usize, text: &str) {
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let pad = if first { indent } else { indent + 2 };
        if !line.is_empty() && pad + line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{:pad$}{line}", "");
            line.clear();
            first = false;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let pad = if first { indent } else { indent + 2 };
        let _ = writeln!(out, "{:pad$}{line}", "");
    }
}

/// Width of wrapped prose.
const WIDTH: usize = 100;

/// A share as a whole percentage: `62%`.
pub(super) fn pct(x: f64) -> String {
    format::percent(x, 0)
}

/// Renders the whole trace.
pub fn render(trace: &Trace, model: &Model) -> String {
    let width = model
        .actors
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(8);
    let names = Names { model, width };
    let mut out = String::new();
    super::header::header(&mut out, trace, &names);
    for round in &trace.rounds {
        render_round(&mut out, round, trace, &names);
    }
    super::ending::ending(&mut out, trace, &names);
    out
}

/// "0.50  Armenian jurisdiction, third-party operator" or "0.623".
pub(super) fn value_words(v: &IssueValue) -> String {
    match &v.option {
        Some(label) => format!("{:.2}  {label}", v.value),
        None => format!("{:.3}", v.value),
    }
}

/// The number alone, as [`value_words`] writes it.
pub(super) fn value_number(v: &IssueValue) -> String {
    match &v.option {
        Some(_) => format!("{:.2}", v.value),
        None => format!("{:.3}", v.value),
    }
}

fn render_round(out: &mut String, round: &Round, trace: &Trace, names: &Names<'_>) {
    let agreed = trace.outcome.kind == "Agreement" && trace.outcome.round == round.round;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        names.round_title(round.round, round.date.as_deref())
    );
    for event in &round.events {
        let _ = writeln!(out, "  Event: {}", event.label);
        for effect in &event.effects {
            let _ = writeln!(out, "    {effect}");
        }
    }
    // The expected-utility model moves first, then forecasts.
    if !round.shifts.is_empty() {
        let _ = writeln!(out, "  Positions move (challenges and offers):");
        for s in &round.shifts {
            let _ = writeln!(
                out,
                "    {}  {}: {:.3} → {:.3}",
                names.padded(&s.actor),
                s.issue,
                s.from,
                s.to
            );
        }
    }
    match &round.proposal {
        Some(p) => proposal(out, p, trace, names),
        None if round.round > 0 => {
            let _ = writeln!(out, "  Nobody can table a proposal this round.");
        }
        None => {}
    }
    if !round.responses.is_empty() {
        let _ = writeln!(out, "  Answers:");
        for r in &round.responses {
            let _ = writeln!(out, "    {}", response(r, names));
        }
        verdict(out, round, names, agreed);
    }
    for f in &round.force {
        let text = format!(
            "{} weighs war on {}: it would win with probability {}, so force is worth {} to it, \
             more than the {} the table offers. {}",
            names.actor(&f.initiator),
            names.actor(&f.target),
            pct(f.believed),
            num(f.value),
            num(f.table),
            if f.escalated {
                "It goes to war."
            } else {
                "It holds back this time."
            }
        );
        para(out, 2, &text);
    }
    // (In the expected-utility model the shifts above already show who gave ground.)
    let visible: Vec<_> = round
        .concessions
        .iter()
        .filter(|c| round.shifts.is_empty() && (c.from - c.to).abs() >= 5e-4)
        .collect();
    if !visible.is_empty() {
        let moves: Vec<String> = visible
            .iter()
            .map(|c| format!("{} {} → {}", names.actor(&c.actor), num(c.from), num(c.to)))
            .collect();
        para(out, 2, &format!("Aspirations fall: {}.", moves.join(" · ")));
    }
}

fn proposal(out: &mut String, p: &ProposalRecord, trace: &Trace, names: &Names<'_>) {
    let who = p.proposer.as_deref().map(|id| names.actor(id));
    let line = match (p.kind, who) {
        ("text", Some(w)) => format!("{w} tables a text:"),
        ("offer", Some(w)) => format!("{w} offers:"),
        ("forecast", _) => "The forecast from the actors' current positions:".to_string(),
        (_, _) => "Proposal:".to_string(),
    };
    let _ = writeln!(out, "  {line}");
    let id_width = p
        .point
        .iter()
        .map(|v| v.issue.chars().count())
        .max()
        .unwrap_or(2);
    let text_width = p
        .point
        .iter()
        .map(|v| value_words(v).chars().count())
        .max()
        .unwrap_or(5);
    for (j, v) in p.point.iter().enumerate() {
        let q = trace.status_quo.get(j);
        let note = match q {
            Some(q) if (q.value - v.value).abs() < 5e-4 => "same as the status quo".to_string(),
            Some(q) => format!("status quo {}", value_number(q)),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "    {:<iw$}  {:<tw$}  {note}",
            v.issue,
            value_words(v),
            iw = id_width,
            tw = text_width
        );
    }
}

fn response(r: &ResponseRecord, names: &Names<'_>) -> String {
    let name = names.padded(&r.actor);
    match r.answer {
        "proposed" => format!("{name}  its own proposal"),
        "accept" | "reject" => {
            let needs = if r.pressure.abs() >= 5e-4 {
                let how = if r.pressure > 0.0 { "eased" } else { "raised" };
                format!(
                    "needs {} ({how} by {} under allies' pressure)",
                    num(r.threshold),
                    num(r.pressure.abs())
                )
            } else {
                format!("needs {}", num(r.threshold))
            };
            let verb = if r.answer == "accept" {
                "accepts"
            } else {
                "rejects"
            };
            format!("{name}  worth {}, {needs}: {verb}", num(r.utility))
        }
        _ => {
            let verb = if r.answer == "approve" {
                "approves"
            } else {
                "opposes"
            };
            format!(
                "{name}  worth {}, status quo {}: {verb} (no vote)",
                num(r.utility),
                num(r.threshold)
            )
        }
    }
}

fn verdict(out: &mut String, round: &Round, names: &Names<'_>, agreed: bool) {
    if agreed {
        return;
    }
    let rejecting: Vec<&str> = round
        .responses
        .iter()
        .filter(|r| r.answer == "reject")
        .map(|r| r.actor.as_str())
        .collect();
    if !rejecting.is_empty() {
        let verb = if rejecting.len() == 1 {
            "says no"
        } else {
            "say no"
        };
        let _ = writeln!(out, "  Not agreed: {} {verb}.", names.list(&rejecting));
    }
}
