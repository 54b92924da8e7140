//! The close of the text trace: the outcome, why the run ended, the settlement, who got what.

use std::fmt::Write;

use super::text::{Names, join_and, num, para, pct, value_number, value_words};
use super::{Outcome, Trace};
use crate::model::Protocol;

pub(super) fn ending(out: &mut String, trace: &Trace, names: &Names<'_>) {
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
            let Some(c) = o.wars.last() else {
                return "The talks ended in war.".to_string();
            };
            let decision = last.and_then(|r| r.force.iter().find(|f| f.escalated));
            let mut s = match decision {
                Some(f) => format!(
                    "{} found war (worth {} to it, believing it had a {} chance of winning) \
                     better than what the table offered ({}) and attacked {}.",
                    names.actor(&c.initiator),
                    num(f.value),
                    pct(f.believed),
                    num(f.table),
                    names.actor(&c.target)
                ),
                None => format!(
                    "The talks broke down, and {} carried out its threat: it went to war \
                     against {}.",
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
        .is_some_and(|a| names.model.actors[a].role == crate::model::Role::Principal)
}
