//! The opening of the text trace: how the talks work, the issues, the actors.

use std::fmt::Write;

use super::Trace;
use super::text::{Names, breakdown_words, join_and, num, para, pct, value_words};
use crate::model::{Acceptance, Model, Proposer, Protocol};
use crate::model::{MediatorText, Role};
use crate::report::format;

pub(super) fn header(out: &mut String, trace: &Trace, names: &Names<'_>) {
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
        let one = ids.len() == 1;
        let text = format!(
            "Force: {} may go to war when war is worth more to {} than both what the table \
             offers {} now and what {} {} from going on ({} chance a round when it is). A war \
             costs each side up to {} and imposes {} of the way from the status quo to the \
             winners' positions. When the talks fail, an initiator whose war is worth more to it \
             than failure without one (a credible threat) carries it out.",
            names.list(&ids),
            if one { "it" } else { "them" },
            if one { "it" } else { "them" },
            if one { "it" } else { "they" },
            if one { "expects" } else { "expect" },
            pct(force.propensity),
            num(force.cost),
            pct(force.imposition)
        );
        para(out, 2, &text);
        if let Some(e) = &model.escalation
            && !e.decides_everything(model.issues.len())
        {
            let ids: Vec<&str> = e
                .issues
                .iter()
                .filter_map(|&j| model.issues.get(j).map(|i| i.id.as_str()))
                .collect();
            let text = format!(
                "Force can decide {} only: a war during the talks is limited. It imposes a new \
                 status quo on {}, settles {} for good, and talks go on over the rest; only a \
                 war when the talks fail ends them.",
                join_and(&ids),
                if ids.len() == 1 {
                    "that issue"
                } else {
                    "those issues"
                },
                if ids.len() == 1 { "it" } else { "them" },
            );
            para(out, 2, &text);
        }
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
        "  {}  {:<11}  {:>10}  {:>11}  {:>16}  Strategy",
        format::pad("Actor", names.width, true),
        "Role",
        "Capability",
        "Reservation",
        "Status quo worth",
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
    let mut note = String::from("Utility runs from 0 to 1, 1 being an actor's ideal settlement.");
    if !model.relations.is_empty() && trace.interdependence > 0.0 {
        note.push_str(
            " What a proposal is worth to an actor also counts its allies' gains and its rivals' \
             losses (so it can pass 1).",
        );
    }
    if !matches!(model.protocol, Protocol::ExpectedUtility { .. }) {
        note.push_str(" A principal accepts a proposal worth at least what it currently needs");
        let conceding = trace.actors.iter().any(|a| {
            a.role != "mediator" && !matches!(a.strategy.as_str(), "Hardliner" | "Equilibrium")
        });
        let by_floor = trace
            .actors
            .iter()
            .any(|a| a.role == "principal" && a.strategy != "Equilibrium");
        note.push_str(if conceding {
            "; its needs fall as talks go on, never below its floor: its reservation utility, or \
             what failure would bring it if that is more."
        } else if by_floor {
            ", never less than its floor: its reservation utility, or what failure would bring \
             it if that is more."
        } else {
            "."
        });
    }
    para(out, 2, &note);
    if let Some(b) = trace.breakdowns.first()
        && model.principals().next().is_some()
    {
        let _ = writeln!(out);
        let _ = writeln!(out, "If the talks fail");
        para(
            out,
            2,
            &breakdown_words(b, "If the talks fail, ", trace, names),
        );
    }
}

/// What mediators (when they propose in turn) and stakeholders do, if the scenario has them.
fn others_line(model: &Model, mediators_propose: bool) -> String {
    let has = |role: Role| model.actors.iter().any(|a| a.role == role);
    let mut s = String::new();
    if mediators_propose && has(Role::Mediator) {
        s.push_str(" Mediators propose the compromise of the principals' current offers.");
    }
    if has(Role::Stakeholder) {
        s.push_str(
            " Stakeholders do not vote but lean on the principals who count them as allies.",
        );
    }
    s
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
        parts.push(
            "Equilibrium players make the game's subgame-perfect offers and accept any share worth \
             as much as waiting for the next round (discounted).",
        );
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
                format!("A proposal passes when {rule}.{}", others_line(model, true)),
            ]
        }
        Protocol::Mediated { mediator, text, .. } => {
            let first = match text {
                MediatorText::Compromise => "the compromise of the principals' positions",
                MediatorText::NashBargaining => "the Nash bargaining point",
                MediatorText::KalaiSmorodinsky => "the Kalai–Smorodinsky point",
            };
            vec![
                format!(
                    "A single negotiating text: {} tables {first} and amends it toward those \
                     who reject it.",
                    model.actors[*mediator].name
                ),
                format!("Every principal must accept.{}", others_line(model, false)),
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
