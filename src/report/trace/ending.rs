//! The close of the text trace: the outcome, why the run ended, the settlement, who got what.

use std::fmt::Write;

use super::text::{Names, against, join_and, num, para, pct, point_lines, war_summary};
use super::{Outcome, ProposalRecord, Trace};
use crate::model::Protocol;

pub(super) fn ending(out: &mut String, trace: &Trace, names: &Names<'_>) {
    let o = &trace.outcome;
    let _ = writeln!(out);
    let when = names
        .round_title(o.round, o.date.as_deref())
        .replacen("Round", "round", 1);
    let _ = writeln!(out, "Outcome: {} in {when}", o.kind);
    para(out, 2, &why(trace, names));
    if !o.forecasts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Forecasts from the final positions (weighted median; pairwise winner)"
        );
        for f in &o.forecasts {
            let winner = match f.condorcet {
                Some(x) => format!("{x:.3}"),
                None => "none (no held position beats every other: a tie)".to_string(),
            };
            let _ = writeln!(out, "  {}  {:.3}; {winner}", f.issue, f.weighted_median);
        }
    }
    if !o.wars.is_empty() {
        let _ = writeln!(out);
        let count = o.wars.len();
        let _ = writeln!(
            out,
            "{}",
            if count == 1 {
                "The war of this run".to_string()
            } else {
                format!("The {count} wars of this run")
            }
        );
        for w in &o.wars {
            let when = names.round_title(w.round, w.date.as_deref());
            let kind = if w.ended_talks {
                "ended the talks"
            } else {
                "limited; talks went on"
            };
            let text = war_summary(w, names);
            let mut chars = text.chars();
            let text = chars.next().map_or(String::new(), |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            });
            para(out, 2, &format!("{when} ({kind}): {text}"));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Settlement");
    let notes: Vec<String> = o
        .settlement
        .iter()
        .enumerate()
        .map(|(j, v)| against(trace.status_quo.get(j), v))
        .collect();
    point_lines(out, 2, &o.settlement, &notes);
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
            let Some(agreed) = round.proposals.iter().rev().find(|p| p.agreed) else {
                return "The principals agreed.".to_string();
            };
            let accepted: Vec<&str> = agreed
                .responses
                .iter()
                .filter(|r| {
                    r.answer == "accept"
                        || (r.answer == "proposed" && is_principal(names, &r.actor))
                })
                .map(|r| r.actor.as_str())
                .collect();
            let rejected: Vec<&str> = agreed
                .responses
                .iter()
                .filter(|r| r.answer == "reject")
                .map(|r| r.actor.as_str())
                .collect();
            let what = match (agreed.kind, agreed.proposer.as_deref()) {
                ("text", Some(p)) if agreed.mediator_text => {
                    format!(
                        "the mediators' text {} tabled after the offer failed",
                        names.actor(p)
                    )
                }
                ("text", Some(p)) => format!("{}'s text", names.actor(p)),
                ("offer", Some(p)) => format!("{}'s offer", names.actor(p)),
                ("forecast", _) => "the forecast".to_string(),
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
            let Some(c) = o
                .wars
                .iter()
                .rev()
                .find(|w| w.ended_talks)
                .or(o.wars.last())
            else {
                return "The talks ended in war.".to_string();
            };
            let decision = trace
                .rounds
                .iter()
                .rev()
                .find(|r| r.round == c.round)
                .and_then(|r| r.force.iter().find(|f| f.escalated));
            let mut s = match decision.filter(|_| !c.at_breakdown) {
                Some(f) => format!(
                    "{} found war (worth {} to it, believing it had a {} chance of winning) \
                     better than what the table offered ({}) and than going on ({}), and \
                     attacked {}.",
                    names.actor(&c.initiator),
                    num(f.value),
                    pct(f.believed),
                    num(f.table),
                    num(f.going_on),
                    names.actor(&c.target)
                ),
                None => format!(
                    "The talks broke down without agreement, and {} carried out its threat: it \
                     went to war against {}.",
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
                let model = names.model;
                let ground = match &model.escalation {
                    Some(e) if !e.decides_everything(model.issues.len()) => {
                        let ids: Vec<&str> = e
                            .issues
                            .iter()
                            .filter_map(|&j| model.issues.get(j).map(|i| i.id.as_str()))
                            .collect();
                        format!(" on the issues force can decide ({})", join_and(&ids))
                    }
                    _ => String::new(),
                };
                let _ = write!(
                    s,
                    " The settlement moves {} of the way from the status quo toward the winners' \
                     positions{ground}, and everyone who fought pays for the war (up to {}).",
                    pct(force.imposition),
                    num(force.cost)
                );
            }
            s
        }
        _ => {
            let gaps: Vec<String> = last
                .and_then(|r| last_vote(&r.proposals))
                .map(|p| {
                    p.responses
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
            match o.wars.len() {
                0 => {}
                1 => s.push_str(" It is the status quo the limited war left."),
                _ => s.push_str(" It is the status quo the limited wars left."),
            }
            if !gaps.is_empty() {
                let gaps: Vec<&str> = gaps.iter().map(String::as_str).collect();
                let _ = write!(s, " In the last round {} still said no.", join_and(&gaps));
            }
            s
        }
    }
}

/// The last proposal of a round that the principals voted on.
fn last_vote(proposals: &[ProposalRecord]) -> Option<&ProposalRecord> {
    proposals.iter().rev().find(|p| p.vote)
}

fn is_principal(names: &Names<'_>, id: &str) -> bool {
    names
        .model
        .actor_index(id)
        .is_some_and(|a| names.model.actors[a].role == crate::model::Role::Principal)
}
