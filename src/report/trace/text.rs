//! The trace as prose for a student.

use std::fmt::Write;

use super::{Outcome, ProposalRecord, ResponseRecord, Round, Trace, Value};
use crate::model::{Acceptance, Model, Proposer, Protocol};
use crate::scenario::schema::TextSpec;

const MONTHS: [&str; 12] = [
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

/// Names and layout shared by the renderer.
struct Names<'a> {
    model: &'a Model,
    width: usize,
}

impl Names<'_> {
    fn actor<'s>(&'s self, id: &'s str) -> &'s str {
        self.model
            .actor_index(id)
            .map_or(id, |a| self.model.actors[a].name.as_str())
    }

    fn padded(&self, id: &str) -> String {
        format!("{:<w$}", self.actor(id), w = self.width)
    }

    fn list(&self, ids: &[&str]) -> String {
        let names: Vec<&str> = ids.iter().map(|id| self.actor(id)).collect();
        join_and(&names)
    }

    /// "Round 4 — October 2023", in the calendar's unit.
    fn round_title(&self, round: u32, date: Option<&str>) -> String {
        match date.and_then(|d| self.date_words(d)) {
            Some(words) => format!("Round {round} — {words}"),
            None => format!("Round {round}"),
        }
    }

    fn date_words(&self, date: &str) -> Option<String> {
        let mut parts = date.split('-');
        let year = parts.next()?;
        let month: usize = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let month = MONTHS.get(month.checked_sub(1)?)?;
        Some(match self.model.calendar.unit {
            crate::model::TimeUnit::Day | crate::model::TimeUnit::Week => {
                format!("{day} {month} {year}")
            }
            crate::model::TimeUnit::Month => format!("{month} {year}"),
            crate::model::TimeUnit::Year => year.to_string(),
        })
    }
}

/// "A", "A and B", "A, B and C".
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A number for a reader: −0.25 with a real minus sign.
fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    if s.starts_with('-') {
        s.replacen('-', "−", 1)
    } else {
        s
    }
}

/// Writes `text` as a paragraph wrapped at [`WIDTH`] columns, every line indented by `indent`
/// spaces and continuation lines by two more.
fn para(out: &mut String, indent: usize, text: &str) {
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

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
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
    header(&mut out, trace, &names);
    for round in &trace.rounds {
        render_round(&mut out, round, trace, &names);
    }
    ending(&mut out, trace, &names);
    out
}

fn header(out: &mut String, trace: &Trace, names: &Names<'_>) {
    let model = names.model;
    let _ = writeln!(out, "{} — one run, told round by round", model.name);
    para(out, 0, &model.description);
    let _ = writeln!(
        out,
        "Seed {}, run {} ({}): the same seed and run always tell the same story.",
        trace.seed, trace.run, trace.treaty
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "How the talks work");
    for line in protocol_lines(model, names) {
        para(out, 2, &line);
    }
    let mut timing = format!(
        "At most {} rounds of {}",
        model.protocol.max_rounds(),
        model.calendar.round_length()
    );
    if let Some(words) = model
        .calendar
        .date_of_round(1)
        .and_then(|d| names.date_words(&d.to_string()))
    {
        let _ = write!(timing, ", from {words}");
    }
    para(out, 2, &format!("{timing}."));
    if let Some(force) = &trace.force {
        let ids: Vec<&str> = force.initiators.iter().map(String::as_str).collect();
        let text = format!(
            "Force: {} may go to war when war is worth more to {} than what {} still {} for \
             at the table ({} chance a round when it is). A war costs each side {} and imposes {} \
             of the way from the status quo to the winners' positions.",
            names.list(&ids),
            if ids.len() == 1 { "it" } else { "them" },
            if ids.len() == 1 { "it" } else { "they" },
            if ids.len() == 1 { "hopes" } else { "hope" },
            pct(force.propensity),
            num(force.cost),
            pct(force.imposition)
        );
        para(out, 2, &text);
    }
    if trace.perception_noise > 0.0 {
        let text = format!(
            "Actors misjudge every proposal a little (noise with standard deviation {}).",
            num(trace.perception_noise)
        );
        para(out, 2, &text);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Issues (each a scale from 0 to 1), with this run's status quo"
    );
    for (j, issue) in model.issues.iter().enumerate() {
        let _ = writeln!(out, "  {}  {}", issue.id, issue.name);
        para(out, 6, &format!("0 = {}", issue.low));
        para(out, 6, &format!("1 = {}", issue.high));
        for (k, o) in issue.options.iter().enumerate() {
            let lead = if k == 0 { "options:" } else { "" };
            let _ = writeln!(out, "      {lead:<8} {:.2} {}", o.at, o.label);
        }
        if let Some(q) = trace.status_quo.get(j) {
            let _ = writeln!(
                out,
                "      status quo: {}",
                value_words(q).replacen("  ", " — ", 1)
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Actors (this run's draw)");
    let _ = writeln!(
        out,
        "  {:<w$}  {:<11}  {:>10}  {:>11}  {:>16}  Strategy",
        "Actor",
        "Role",
        "Capability",
        "Reservation",
        "Status quo worth",
        w = names.width
    );
    for draw in &trace.actors {
        let tactic = if draw.role == "mediator" {
            "tables texts"
        } else {
            draw.strategy.as_str()
        };
        let _ = writeln!(
            out,
            "  {}  {:<11}  {:>10}  {:>11}  {:>16}  {tactic}",
            names.padded(&draw.actor),
            draw.role,
            num(draw.capability),
            num(draw.reservation),
            num(draw.status_quo_utility),
        );
    }
    let legend = strategy_legend(trace);
    if !legend.is_empty() {
        para(out, 2, &legend);
    }
    para(
        out,
        2,
        "Utility runs from 0 to 1, 1 being an actor's ideal settlement. What a proposal is \
         worth to an actor also counts its allies' gains and its rivals' losses (so it can pass \
         1). A principal accepts a proposal worth at least what it currently needs; its needs fall \
         as the deadline nears, never below its reservation utility.",
    );
}

/// One sentence per kind of strategy in the run.
fn strategy_legend(trace: &Trace) -> String {
    let has = |prefix: &str| {
        trace
            .actors
            .iter()
            .any(|a| a.role != "mediator" && a.strategy.starts_with(prefix))
    };
    let mut parts = Vec::new();
    if has("Boulware") || has("Linear") || has("Conceder") {
        parts.push(
            "Boulware actors hold out and concede near the deadline, Conceders give ground early, \
             Linear ones steadily (Faratin, Sierra & Jennings 1998); β sets the pace.",
        );
    }
    if has("TitForTat") {
        parts.push("TitForTat concedes as much as the others did the round before.");
    }
    if has("Hardliner") {
        parts.push("A Hardliner never moves from its ideal.");
    }
    if has("Equilibrium") {
        parts.push("Equilibrium players make and accept the game's subgame-perfect offers.");
    }
    parts.join(" ")
}

fn protocol_lines(model: &Model, names: &Names<'_>) -> Vec<String> {
    let principals: Vec<&str> = model
        .principals()
        .map(|a| model.actors[a].id.as_str())
        .collect();
    match &model.protocol {
        Protocol::AlternatingOffers {
            proposer,
            acceptance,
            ..
        } => {
            let who = match proposer {
                Proposer::RoundRobin => {
                    format!("the principals take turns ({})", names.list(&principals))
                }
                Proposer::PowerWeighted => "one principal is drawn each round, with probability \
                    proportional to its capability"
                    .to_string(),
                Proposer::Order(order) => {
                    let ids: Vec<&str> =
                        order.iter().map(|&a| model.actors[a].id.as_str()).collect();
                    format!("in turn: {}", names.list(&ids))
                }
            };
            let rule = match acceptance {
                Acceptance::Unanimous => "every principal accepts it".to_string(),
                Acceptance::Quota(k) => {
                    format!("at least {k} principals accept it (a proposer counts)")
                }
            };
            vec![
                format!("Alternating offers: each round one actor proposes; {who}."),
                format!(
                    "A proposal passes when {rule}; mediators propose the compromise of the \
                     principals' current offers; stakeholders do not vote but lean on their allies."
                ),
            ]
        }
        Protocol::Mediated { mediator, text, .. } => {
            let first = match text {
                TextSpec::Compromise => "the compromise of the principals' positions",
                TextSpec::NashBargaining => "the Nash bargaining point",
            };
            vec![
                format!(
                    "A single negotiating text: {} tables {first} and amends it toward those \
                     who reject it.",
                    model.actors[*mediator].name
                ),
                "Every principal must accept; stakeholders do not vote but lean on their allies."
                    .to_string(),
            ]
        }
        Protocol::ExpectedUtility { .. } => vec![
            "Bueno de Mesquita's expected-utility model: each round every actor challenges, \
             compromises with or gives in to the others, issue by issue; the forecast is the \
             capability × salience weighted median of their positions."
                .to_string(),
            "When positions stop moving, each principal signs the forecast if it is worth at \
             least its reservation utility."
                .to_string(),
        ],
    }
}

/// "0.50  Armenian jurisdiction, third-party operator" or "0.623".
fn value_words(v: &Value) -> String {
    match &v.option {
        Some(label) => format!("{:.2}  {label}", v.value),
        None => format!("{:.3}", v.value),
    }
}

/// The number alone, as [`value_words`] writes it.
fn value_number(v: &Value) -> String {
    match &v.option {
        Some(_) => format!("{:.2}", v.value),
        None => format!("{:.3}", v.value),
    }
}

fn render_round(out: &mut String, round: &Round, trace: &Trace, names: &Names<'_>) {
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
        verdict(out, round, names);
    }
    for f in &round.force {
        let text = format!(
            "{} weighs war on {}: it would win with probability {}, so force is worth {} to it, \
             more than the {} it still hopes for at the table. {}",
            names.actor(&f.initiator),
            names.actor(&f.target),
            pct(f.win_probability),
            num(f.value),
            num(f.aspiration),
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

fn verdict(out: &mut String, round: &Round, names: &Names<'_>) {
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

fn ending(out: &mut String, trace: &Trace, names: &Names<'_>) {
    let o = &trace.outcome;
    let _ = writeln!(out);
    let when = names
        .round_title(o.round, o.date.as_deref())
        .replacen("Round", "round", 1);
    let _ = writeln!(out, "Outcome: {} in {when}", o.kind);
    para(out, 2, &why(trace, names));
    let _ = writeln!(out);
    let _ = writeln!(out, "Settlement");
    let id_width = o
        .settlement
        .iter()
        .map(|v| v.issue.chars().count())
        .max()
        .unwrap_or(2);
    let text_width = o
        .settlement
        .iter()
        .map(|v| value_words(v).chars().count())
        .max()
        .unwrap_or(5);
    for (j, v) in o.settlement.iter().enumerate() {
        let q = trace
            .status_quo
            .get(j)
            .map(|q| {
                if (q.value - v.value).abs() < 5e-4 {
                    "same as the status quo".to_string()
                } else {
                    format!("status quo {}", value_number(q))
                }
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<iw$}  {:<tw$}  {q}",
            v.issue,
            value_words(v),
            iw = id_width,
            tw = text_width
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "What each actor got (utility of the settlement; 1 = its ideal)"
    );
    for (a, r) in o.actors.iter().enumerate() {
        let draw = trace.actors.get(a);
        let context = draw
            .map(|d| {
                format!(
                    "  status quo {}, reservation {}",
                    num(d.status_quo_utility),
                    num(d.reservation)
                )
            })
            .unwrap_or_default();
        let conceded = if r.concession > 0.0 {
            format!(", conceded {}", num(r.concession))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {}  {}{context}{conceded}",
            names.padded(&r.actor),
            num(r.utility)
        );
    }
}

/// One sentence saying why the run ended.
fn why(trace: &Trace, names: &Names<'_>) -> String {
    let o: &Outcome = &trace.outcome;
    let last = trace.rounds.last();
    match o.kind {
        "Agreement" => {
            let Some(round) = last else {
                return "The principals agreed.".to_string();
            };
            let accepted: Vec<&str> = round
                .responses
                .iter()
                .filter(|r| {
                    r.answer == "accept"
                        || (r.answer == "proposed" && is_principal(names, &r.actor))
                })
                .map(|r| r.actor.as_str())
                .collect();
            let rejected: Vec<&str> = round
                .responses
                .iter()
                .filter(|r| r.answer == "reject")
                .map(|r| r.actor.as_str())
                .collect();
            let what = match round
                .proposal
                .as_ref()
                .map(|p| (p.kind, p.proposer.as_deref()))
            {
                Some(("text", Some(p))) => format!("{}'s text", names.actor(p)),
                Some(("offer", Some(p))) => format!("{}'s offer", names.actor(p)),
                Some(("forecast", _)) => "the forecast".to_string(),
                _ => "the proposal".to_string(),
            };
            let why = if what == "the forecast" {
                "each of them found it worth at least its reservation utility"
            } else {
                "it was worth at least what each of them still insisted on"
            };
            let mut s = format!("{} signed {what}: {why}.", names.list(&accepted));
            if !rejected.is_empty() {
                let _ = write!(
                    s,
                    " {} voted no, but the quota was met.",
                    names.list(&rejected)
                );
            }
            s
        }
        "Conflict" => {
            let Some(c) = &o.conflict else {
                return "The talks ended in war.".to_string();
            };
            let decision = last.and_then(|r| r.force.iter().find(|f| f.escalated));
            let mut s = match decision {
                Some(f) => format!(
                    "{} found war (worth {} to it, with a {} chance of winning) better than the \
                     talks (where it still hoped for {}) and attacked {}.",
                    names.actor(&c.initiator),
                    num(f.value),
                    pct(f.win_probability),
                    num(f.aspiration),
                    names.actor(&c.target)
                ),
                None => format!(
                    "{} went to war against {}.",
                    names.actor(&c.initiator),
                    names.actor(&c.target)
                ),
            };
            let winners: Vec<&str> = c.winners.iter().map(String::as_str).collect();
            let _ = write!(
                s,
                " {} won{}.",
                names.list(&winners),
                if c.initiator_won {
                    ""
                } else {
                    ", so the attack failed"
                }
            );
            if let Some(force) = &trace.force {
                let _ = write!(
                    s,
                    " The settlement moves {} of the way from the status quo toward the winners' \
                     positions, and everyone who fought pays for the war (up to {}).",
                    pct(force.imposition),
                    num(force.cost)
                );
            }
            s
        }
        _ => {
            let gaps: Vec<String> = last
                .map(|r| {
                    r.responses
                        .iter()
                        .filter(|r| r.answer == "reject")
                        .map(|r| {
                            format!(
                                "{} (worth {}, needed {})",
                                names.actor(&r.actor),
                                num(r.utility),
                                num(r.threshold)
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let forecast = matches!(names.model.protocol, Protocol::ExpectedUtility { .. });
            let mut s = if forecast {
                format!(
                    "The actors' positions settled by round {}, but not every principal would \
                     sign the forecast, so the status quo holds.",
                    o.round
                )
            } else {
                format!(
                    "No proposal won every needed signature before the deadline (round {}), so \
                     the status quo holds.",
                    o.round
                )
            };
            if !gaps.is_empty() {
                let gaps: Vec<&str> = gaps.iter().map(String::as_str).collect();
                let _ = write!(s, " In the last round {} still said no.", join_and(&gaps));
            }
            s
        }
    }
}

fn is_principal(names: &Names<'_>, id: &str) -> bool {
    names
        .model
        .actor_index(id)
        .is_some_and(|a| names.model.actors[a].role == crate::scenario::schema::Role::Principal)
}
