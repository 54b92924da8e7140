//! The trace as prose for a student: the rounds, and the helpers the opening ([`super::header`])
//! and the close ([`super::ending`]) share.

use std::fmt::Write;

use super::{
    BreakdownRecord, ForceRecord, IssueValue, ProposalRecord, ResponseRecord, Round, Trace,
    WarRecord,
};
use crate::model::{Disagreement, Model, Strategy};
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

    /// The actor's name cut to the name column (at most [`NAME_COLUMN`] characters) and padded
    /// to it.
    pub(super) fn padded(&self, id: &str) -> String {
        format::pad(&format::fit(self.actor(id), self.width), self.width, true)
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
            let _ = writeln!(out, "{}{line}", " ".repeat(pad));
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
        let _ = writeln!(out, "{}{line}", " ".repeat(pad));
    }
}

/// The widest name column of the trace's tables: a longer name is cut, ending in `…`.
pub(super) const NAME_COLUMN: usize = 32;

/// The widest issue column of a point's lines: a longer identifier is cut, ending in `…`.
const ISSUE_COLUMN: usize = 24;

/// Width of wrapped prose.
const WIDTH: usize = format::WIDTH;

/// A share as a whole percentage: `62%`.
pub(super) fn pct(x: f64) -> String {
    format::percent(x, 0)
}

/// A probability as a reader says it: whole percent, or one decimal when it has one (`2.5%`).
fn chance(p: f64) -> String {
    let whole = (p * 100.0 - (p * 100.0).round()).abs() < 5e-3;
    format::percent(p, if whole { 0 } else { 1 })
}

/// Renders the whole trace.
pub fn render(trace: &Trace, model: &Model) -> String {
    let width = model
        .actors
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(8)
        .min(NAME_COLUMN);
    let names = Names { model, width };
    let mut out = String::new();
    super::header::header(&mut out, trace, &names);
    // What failure would mean as the rounds go: the opening assessment, then each change.
    let mut now = trace.breakdowns.first();
    let mut previous = 0;
    for round in &trace.rounds {
        if let Some(shown) = trace.rounds_shown {
            out.push_str(&omitted_rounds(shown, previous, round.round));
        }
        previous = round.round;
        render_round(&mut out, round, trace, &names, &mut now);
    }
    super::ending::ending(&mut out, trace, &names);
    out
}

/// The line that stands for the rounds a trace leaves out between round `previous` (0 before
/// the first) and round `next`; empty if there are none.
pub(crate) fn omitted_rounds(shown: super::RoundsShown, previous: u32, next: u32) -> String {
    let first = previous + 1;
    if next <= first {
        return String::new();
    }
    let rounds = if next - 1 == first {
        format!("round {first} was")
    } else {
        format!("rounds {first} to {} were", next - 1)
    };
    format!(
        "\n… {rounds} played but not shown (this trace shows rounds {} to {} and the last; \
         `treaty trace --rounds FROM..TO` shows others)\n",
        shown.from, shown.to
    )
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

/// "same as the status quo" or "status quo 0.241", against the run's status quo `q`.
pub(super) fn against(q: Option<&IssueValue>, v: &IssueValue) -> String {
    match q {
        Some(q) if (q.value - v.value).abs() < 5e-4 => "same as the status quo".to_string(),
        Some(q) => format!("status quo {}", value_number(q)),
        None => String::new(),
    }
}

/// Writes a point issue by issue, `indent` spaces in: the issue, its value (and option), and
/// `notes[j]` in an aligned column. An option's label that would pass [`WIDTH`] wraps within
/// its column.
pub(super) fn point_lines(out: &mut String, indent: usize, point: &[IssueValue], notes: &[String]) {
    let id_width = point
        .iter()
        .map(|v| v.issue.chars().count())
        .max()
        .unwrap_or(2)
        .min(ISSUE_COLUMN);
    let note_width = notes.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let natural = point
        .iter()
        .map(|v| value_words(v).chars().count())
        .max()
        .unwrap_or(5);
    // Room for the value column: what the line leaves beside the issue and the note.
    let room = WIDTH.saturating_sub(indent + id_width + 2 + 2 + note_width);
    let text_width = natural.min(room.max(24));
    for (j, v) in point.iter().enumerate() {
        let note = notes.get(j).map_or("", String::as_str);
        let lines = wrap_value(v, text_width);
        for (k, line) in lines.iter().enumerate() {
            let (id, note) = if k == 0 {
                (format::fit(&v.issue, id_width), note)
            } else {
                (String::new(), "")
            };
            let text = format!(
                "{}{}  {}  {note}",
                " ".repeat(indent),
                format::pad(&id, id_width, true),
                format::pad(line, text_width, true),
            );
            let _ = writeln!(out, "{}", text.trim_end());
        }
    }
}

/// [`value_words`] of `v` in lines of at most `width` characters: the label wraps under itself.
fn wrap_value(v: &IssueValue, width: usize) -> Vec<String> {
    let Some(label) = &v.option else {
        return vec![value_words(v)];
    };
    let lead = format!("{:.2}  ", v.value);
    let hang = " ".repeat(lead.chars().count());
    let mut lines = Vec::new();
    let mut line = lead.clone();
    let mut empty = true;
    for word in label.split(' ').filter(|w| !w.is_empty()) {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(line);
            line = hang.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

fn render_round<'t>(
    out: &mut String,
    round: &'t Round,
    trace: &'t Trace,
    names: &Names<'_>,
    now: &mut Option<&'t BreakdownRecord>,
) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        names.round_title(round.round, round.date.as_deref())
    );
    for event in &round.events {
        para(out, 2, &format!("Event: {}", event.label));
        for effect in &event.effects {
            para(out, 4, effect);
        }
    }
    if let Some(b) = &round.breakdown {
        changed_breakdown(out, b, *now, trace, names);
        *now = Some(b);
    }
    // The expected-utility model weighs its risks, moves, then forecasts.
    if !round.risk.is_empty() {
        let _ = writeln!(
            out,
            "  Risk exponents (first pass; below 1 risk-acceptant, above 1 risk-averse):"
        );
        for r in &round.risk {
            let list: Vec<String> = r
                .exponents
                .iter()
                .map(|e| format!("{} {:.3}", names.actor(&e.actor), e.r))
                .collect();
            para(out, 4, &format!("{}: {}", r.issue, list.join(", ")));
        }
    }
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
    if round.proposals.is_empty() && round.round > 0 {
        let _ = writeln!(out, "  Nobody can table a proposal this round.");
    }
    let status_quo = round.status_quo.as_ref().unwrap_or(&trace.status_quo);
    let mut before: Option<&str> = None;
    for p in &round.proposals {
        proposal(out, p, before, status_quo, names);
        before = Some(p.kind);
        if !p.responses.is_empty() {
            let _ = writeln!(out, "  Answers:");
            for r in &p.responses {
                let _ = writeln!(out, "    {}", response(r, trace, names, *now));
            }
            verdict(out, p, names);
        }
    }
    for f in &round.force {
        para(out, 2, &force(f, names));
    }
    // A war during the round comes before the concessions; the war of breakdown after them
    // (the talks ended with the round).
    for w in round.wars.iter().filter(|w| !w.at_breakdown) {
        para(out, 2, &war(w, trace, names));
        if let Some(b) = &w.breakdown {
            changed_breakdown(out, b, *now, trace, names);
            *now = Some(b);
        }
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
    for w in round.wars.iter().filter(|w| w.at_breakdown) {
        para(out, 2, &war(w, trace, names));
    }
}

/// Writes proposal `p` of a round, after a proposal of kind `before` if it is not the first.
fn proposal(
    out: &mut String,
    p: &ProposalRecord,
    before: Option<&str>,
    status_quo: &[IssueValue],
    names: &Names<'_>,
) {
    let who = p.proposer.as_deref().map(|id| names.actor(id));
    let line = match (p.kind, who) {
        ("text", Some(w)) if p.mediator_text => {
            let failed = match before {
                Some("offer") => "The offer",
                Some("text") => "The text",
                _ => "The proposal",
            };
            format!("{failed} failed, so {w} tables the mediators' text:")
        }
        ("text", Some(w)) => format!("{w} tables a text:"),
        ("offer", Some(w)) => format!("{w} offers:"),
        ("forecast", _) => "The forecast from the actors' current positions:".to_string(),
        (_, _) => "Proposal:".to_string(),
    };
    let _ = writeln!(out, "  {line}");
    let notes: Vec<String> = p
        .point
        .iter()
        .enumerate()
        .map(|(j, v)| against(status_quo.get(j), v))
        .collect();
    point_lines(out, 4, &p.point, &notes);
}

/// Why a principal's floor is what it is under the breakdown `now`: the war it would face (or
/// wage), the status quo it would keep, or its reservation utility.
fn floor_reason(
    r: &ResponseRecord,
    trace: &Trace,
    names: &Names<'_>,
    now: Option<&BreakdownRecord>,
) -> &'static str {
    let reservation = names
        .model
        .actor_index(&r.actor)
        .and_then(|a| trace.actors.get(a))
        .map_or(f64::NEG_INFINITY, |d| d.reservation);
    if r.floor <= reservation + 5e-4 {
        return "its reservation utility";
    }
    match now.and_then(|b| b.threat.as_deref()) {
        Some(i) if i == r.actor => "the war it would wage",
        Some(_) => "the war it would face",
        None => "the status quo it would keep",
    }
}

fn response(
    r: &ResponseRecord,
    trace: &Trace,
    names: &Names<'_>,
    now: Option<&BreakdownRecord>,
) -> String {
    let name = names.padded(&r.actor);
    match r.answer {
        "proposed" => format!("{name}  its own proposal"),
        "accept" | "reject" => {
            let mut notes = Vec::new();
            if r.pressure.abs() >= 5e-4 {
                let how = if r.pressure > 0.0 { "eased" } else { "raised" };
                notes.push(format!(
                    "{how} by {} under allies' pressure",
                    num(r.pressure.abs())
                ));
            }
            if (r.threshold - r.floor).abs() < 5e-4 {
                notes.push(format!("its floor: {}", floor_reason(r, trace, names, now)));
            }
            let needs = if notes.is_empty() {
                format!("needs {}", num(r.threshold))
            } else {
                format!("needs {} ({})", num(r.threshold), notes.join("; "))
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

fn verdict(out: &mut String, p: &ProposalRecord, names: &Names<'_>) {
    if p.agreed {
        return;
    }
    let rejecting: Vec<&str> = p
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

/// An initiator weighing war against the talks, and what it did.
fn force(f: &ForceRecord, names: &Names<'_>) -> String {
    let cal = &names.model.calendar;
    let odds = if (f.believed - f.win_probability).abs() >= 0.005 {
        format!(
            "it believes it wins with {}; the true odds are {}",
            pct(f.believed),
            pct(f.win_probability)
        )
    } else {
        format!("it believes it wins with {}", pct(f.believed))
    };
    format!(
        "War on {} is worth {} to {} ({odds}); the table offers it {} and going on is worth {} to \
         it, so it escalates with a {} chance {}. {}",
        names.actor(&f.target),
        num(f.value),
        names.actor(&f.initiator),
        num(f.table),
        num(f.going_on),
        chance(f.propensity),
        format::this_round(cal.count, cal.unit),
        if f.escalated {
            "It goes to war."
        } else {
            "It holds back this time."
        }
    )
}

/// "I1 0.241 → 0.400, I4 0.00 → 0.25 (route under Armenian sovereignty)".
fn imposed_words(w: &WarRecord) -> Option<String> {
    let parts: Vec<String> = w
        .imposed
        .iter()
        .filter(|i| (i.to - i.from).abs() >= 5e-4)
        .map(|i| {
            let digits = if i.option.is_some() { 2 } else { 3 };
            let (from, to) = (format::number(i.from, digits), format::number(i.to, digits));
            match &i.option {
                Some(label) => format!("{} {from} → {to} ({label})", i.issue),
                None => format!("{} {from} → {to}", i.issue),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| join_and(&parts.iter().map(String::as_str).collect::<Vec<_>>()))
}

/// A war in one sentence, for the close: who attacked whom, who won, what it imposed.
pub(super) fn war_summary(w: &WarRecord, names: &Names<'_>) -> String {
    let (i, t) = (names.actor(&w.initiator), names.actor(&w.target));
    let lead = if w.at_breakdown {
        format!("when the talks failed, {i} attacked {t}")
    } else {
        format!("{i} attacked {t}")
    };
    let others: Vec<&str> = w
        .winners
        .iter()
        .filter(|a| **a != w.initiator && **a != w.target)
        .map(String::as_str)
        .collect();
    let with = if others.is_empty() {
        String::new()
    } else {
        format!(" (with {})", names.list(&others))
    };
    let result = if w.initiator_won {
        format!("and won{with}")
    } else {
        let winners: Vec<&str> = w.winners.iter().map(String::as_str).collect();
        format!("and lost to {}", names.list(&winners))
    };
    match imposed_words(w) {
        Some(words) => format!("{lead} {result}; it imposed {words}."),
        None => format!("{lead} {result}."),
    }
}

/// A war: who attacked whom, who won, what it imposed, whether the talks go on.
pub(super) fn war(w: &WarRecord, trace: &Trace, names: &Names<'_>) -> String {
    let (i, t) = (names.actor(&w.initiator), names.actor(&w.target));
    let mut s = if w.at_breakdown {
        format!("The talks have failed, so {i} carries out its threat: it goes to war against {t}.")
    } else {
        format!("War: {i} attacks {t}.")
    };
    let winners: Vec<&str> = w.winners.iter().map(String::as_str).collect();
    let verb = if winners.len() == 1 { "wins" } else { "win" };
    if w.initiator_won {
        let _ = write!(s, " {} {verb}.", names.list(&winners));
    } else {
        let _ = write!(s, " The attack fails: {} {verb}.", names.list(&winners));
    }
    match imposed_words(w) {
        Some(words) => {
            let _ = write!(s, " It imposes {words}.");
        }
        None if !w.imposed.is_empty() => {
            s.push_str(" It moves nothing on the ground force can decide.");
        }
        None => {}
    }
    if w.ended_talks {
        s.push_str(
            " The war ends the talks: what it imposed is the settlement, and everyone who fought \
             pays for it.",
        );
    } else {
        let cost = trace
            .force
            .as_ref()
            .map(|f| format!(" (up to {})", num(f.cost)))
            .unwrap_or_default();
        let _ = write!(
            s,
            " A limited war: what it imposed is the new status quo, those issues are settled, \
             everyone who fought pays for it{cost}, and the talks go on over the rest."
        );
    }
    s
}

/// How a principal's floor comes about under a breakdown, with the numbers a clause states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Floor {
    /// The war of the threat, below its reservation: the reservation binds.
    WarBelow,
    /// The war of the threat, above its reservation: the war is its floor.
    WarAbove,
    /// Failure leaves each its outside option.
    Outside,
    /// The status quo, below its reservation.
    StatusQuoBelow,
    /// The status quo, above its reservation: the status quo is its floor.
    StatusQuoAbove,
    /// An equilibrium player answers by the game, whatever failure would bring.
    Equilibrium,
}

/// Principal `a`'s floor under breakdown `b`: how it comes about, and its value of breakdown,
/// floor and reservation as the prose writes them.
fn floor_of(
    b: &BreakdownRecord,
    a: usize,
    trace: &Trace,
    names: &Names<'_>,
) -> Option<(Floor, [String; 3])> {
    let actor = names.model.actors.get(a)?;
    let f = b.actors.iter().find(|f| f.actor == actor.id)?;
    let r = trace.actors.get(a)?.reservation;
    let above = f.floor > r + 5e-4;
    let kind = match (&b.threat, names.model.disagreement) {
        _ if actor.strategy == Strategy::Equilibrium => Floor::Equilibrium,
        (Some(_), _) if above => Floor::WarAbove,
        (Some(_), _) => Floor::WarBelow,
        (None, Disagreement::Reservation) => Floor::Outside,
        (None, Disagreement::StatusQuo) if above => Floor::StatusQuoAbove,
        (None, Disagreement::StatusQuo) => Floor::StatusQuoBelow,
    };
    Some((kind, [num(f.breakdown), num(f.floor), num(r)]))
}

/// The clause of the principals `who` (their names, joined) whose floors come about alike:
/// "Armenia would expect 0.240 from that war, so it accepts nothing below its reservation
/// 0.360", "Azerbaijan's floor is 0.430, what it expects from that war (its reservation is
/// 0.357)".
fn floor_clause(who: &str, many: bool, kind: Floor, [value, floor, r]: &[String; 3]) -> String {
    let floor_is = if many {
        format!("{who} each have a floor of {floor},")
    } else if who.ends_with(')') {
        format!("the floor of {who} is {floor},")
    } else {
        format!("{who}'s floor is {floor},")
    };
    let (each, it) = if many { (" each", "each") } else { ("", "it") };
    match kind {
        Floor::WarBelow => format!(
            "{who} would{each} expect {value} from that war, so {it} accepts nothing below its \
             reservation {r}"
        ),
        Floor::WarAbove => {
            format!("{floor_is} what {it} expects from that war (its reservation is {r})")
        }
        Floor::Outside if many => {
            format!("{who} each accept nothing below a reservation of {r}")
        }
        Floor::Outside => format!("{who} accepts nothing below its reservation {r}"),
        Floor::StatusQuoBelow => format!(
            "{who} would{each} keep a status quo worth {value} to {it}, so {it} accepts nothing \
             below its reservation {r}"
        ),
        Floor::StatusQuoAbove => {
            format!("{floor_is} what the status quo is worth to {it} (its reservation is {r})")
        }
        Floor::Equilibrium if many => {
            format!("{who} play the game's equilibrium whatever failure would bring them ({value})")
        }
        Floor::Equilibrium => {
            format!("{who} plays the game's equilibrium whatever failure would bring it ({value})")
        }
    }
}

/// What breakdown `b` means for every principal, in sentences opening with `lead` ("If the
/// talks fail, ").
pub(super) fn breakdown_words(
    b: &BreakdownRecord,
    lead: &str,
    trace: &Trace,
    names: &Names<'_>,
) -> String {
    let model = names.model;
    let what = match model.disagreement {
        Disagreement::StatusQuo => "the status quo holds",
        Disagreement::Reservation => "each principal is left with its outside option",
    };
    let mut s = match (&b.threat, &model.escalation) {
        (Some(i), _) => format!("{lead}{} would go to war: ", names.actor(i)),
        (None, Some(_)) => format!(
            "{lead}{what}: nobody's threat of force is credible (war is worth less to each \
             initiator than failure without it). "
        ),
        (None, None) => format!("{lead}{what}: "),
    };
    // Principals whose floors come about alike, with the same numbers, share a clause.
    let mut groups: Vec<(Floor, [String; 3], Vec<&str>)> = Vec::new();
    for a in model.principals() {
        let Some((kind, numbers)) = floor_of(b, a, trace, names) else {
            continue;
        };
        let id = model.actors[a].id.as_str();
        match groups
            .iter_mut()
            .find(|(k, n, _)| *k == kind && *n == numbers)
        {
            Some((_, _, ids)) => ids.push(id),
            None => groups.push((kind, numbers, vec![id])),
        }
    }
    let clauses: Vec<String> = groups
        .iter()
        .map(|(kind, numbers, ids)| floor_clause(&names.list(ids), ids.len() > 1, *kind, numbers))
        .collect();
    s.push_str(&clauses.join("; "));
    s.push('.');
    s
}

/// Tells breakdown `b` if it differs, for some principal or in its threat, from `before` (at the
/// three decimals the prose shows).
fn changed_breakdown(
    out: &mut String,
    b: &BreakdownRecord,
    before: Option<&BreakdownRecord>,
    trace: &Trace,
    names: &Names<'_>,
) {
    let principal = |id: &str| {
        names
            .model
            .actor_index(id)
            .is_some_and(|a| names.model.actors[a].role == crate::model::Role::Principal)
    };
    let same = before.is_some_and(|p| {
        p.threat == b.threat
            && b.actors.iter().filter(|f| principal(&f.actor)).all(|f| {
                p.actors
                    .iter()
                    .find(|g| g.actor == f.actor)
                    .is_some_and(|g| {
                        num(g.floor) == num(f.floor) && num(g.breakdown) == num(f.breakdown)
                    })
            })
    });
    if same {
        return;
    }
    let text = breakdown_words(b, "If the talks fail now, ", trace, names);
    para(
        out,
        2,
        &format!("What failure would mean has changed. {text}"),
    );
}
