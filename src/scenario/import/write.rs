//! Writing a scenario as readable RON text: one issue per line (its options, if any, one per
//! line below it), one stance per line, comments
//! where the importer has something to say. Numbers are written with Rust's shortest
//! round-tripping form, so the text parses back to exactly the same numbers.

use crate::model::Value;
use crate::scenario::schema::{
    AcceptanceSpec, ActorSpec, ChangeSpec, DisagreementSpec, EffectSpec, EscalationSpec,
    EuVariantSpec, EventSpec, FamilySpec, LossSpec, ProposerSpec, ProtocolSpec, RelationSpec,
    RoleSpec, Scenario, StrategySpec, TextSpec, TimingSpec,
};
use std::fmt::Write;

/// Comments to write with a scenario.
#[derive(Debug, Clone, Default)]
pub(super) struct Notes {
    /// Lines at the top of the file.
    pub header: Vec<String>,
    /// Per issue (in order), lines written just above it.
    pub issues: Vec<Vec<String>>,
    /// Lines written at the top of the actor list.
    pub actors: Vec<String>,
}

/// A RON string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list of RON strings, `["a", "b"]`.
fn strings(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// A comment line (a line break inside a note would end the comment: it is replaced).
fn comment(out: &mut String, indent: &str, line: &str) {
    let line = line.replace(['\n', '\r'], " ");
    let _ = writeln!(out, "{indent}// {line}");
}

fn value(v: &Value) -> String {
    v.to_string()
}

fn role(r: RoleSpec) -> &'static str {
    match r {
        RoleSpec::Principal => "Principal",
        RoleSpec::Mediator => "Mediator",
        RoleSpec::Stakeholder => "Stakeholder",
    }
}

fn strategy(s: &StrategySpec) -> String {
    match s {
        StrategySpec::Boulware {
            beta,
            kappa,
            family,
        } => {
            format!(
                "Boulware(beta: {}, kappa: {}{})",
                value(beta),
                value(kappa),
                family_field(*family)
            )
        }
        StrategySpec::Conceder {
            beta,
            kappa,
            family,
        } => {
            format!(
                "Conceder(beta: {}, kappa: {}{})",
                value(beta),
                value(kappa),
                family_field(*family)
            )
        }
        StrategySpec::Linear => "Linear".into(),
        StrategySpec::TitForTat => "TitForTat".into(),
        StrategySpec::Hardliner => "Hardliner".into(),
        StrategySpec::Equilibrium => "Equilibrium".into(),
    }
}

/// The `family` field of a tactic, left out for the default.
fn family_field(f: FamilySpec) -> &'static str {
    match f {
        FamilySpec::Polynomial => "",
        FamilySpec::Exponential => ", family: Exponential",
    }
}

fn disagreement(d: DisagreementSpec) -> &'static str {
    match d {
        DisagreementSpec::StatusQuo => "StatusQuo",
        DisagreementSpec::Reservation => "Reservation",
    }
}

fn protocol(p: &ProtocolSpec) -> String {
    match p {
        ProtocolSpec::AlternatingOffers {
            max_rounds,
            proposer,
            acceptance,
            discount,
        } => {
            let proposer = match proposer {
                ProposerSpec::RoundRobin => "RoundRobin".to_string(),
                ProposerSpec::PowerWeighted => "PowerWeighted".to_string(),
                ProposerSpec::Order(ids) => format!("Order({})", strings(ids)),
            };
            let acceptance = match acceptance {
                AcceptanceSpec::Unanimous => "Unanimous".to_string(),
                AcceptanceSpec::Quota(k) => format!("Quota({k})"),
            };
            let mut out = format!(
                "AlternatingOffers(max_rounds: {max_rounds}, proposer: {proposer}, \
                 acceptance: {acceptance}"
            );
            if !discount.is_empty() {
                let items: Vec<String> = discount
                    .iter()
                    .map(|(k, v)| format!("{}: {}", string(k), value(v)))
                    .collect();
                let _ = write!(out, ", discount: {{{}}}", items.join(", "));
            }
            out.push(')');
            out
        }
        ProtocolSpec::Mediated {
            mediator,
            text,
            step,
            max_rounds,
            disagreement: d,
        } => {
            let text = match text {
                TextSpec::Compromise => "Compromise",
                TextSpec::NashBargaining => "NashBargaining",
                TextSpec::KalaiSmorodinsky => "KalaiSmorodinsky",
            };
            format!(
                "Mediated(mediator: {}, text: {text}, step: {}, max_rounds: {max_rounds}, \
                 disagreement: {})",
                string(mediator),
                value(step),
                disagreement(*d)
            )
        }
        ProtocolSpec::ExpectedUtility {
            max_rounds,
            variant,
        } => match variant {
            EuVariantSpec::ScholzPaper => format!("ExpectedUtility(max_rounds: {max_rounds})"),
            EuVariantSpec::ScholzCode => {
                format!("ExpectedUtility(max_rounds: {max_rounds}, variant: ScholzCode)")
            }
        },
    }
}

fn escalation(e: &EscalationSpec) -> String {
    let mut out = format!(
        "(allowed: {}, cost: {}, imposition: {}, propensity: {}",
        e.allowed,
        value(&e.cost),
        value(&e.imposition),
        value(&e.propensity)
    );
    if let Some(ids) = &e.initiators {
        let _ = write!(out, ", initiators: {}", strings(ids));
    }
    if let Some(ids) = &e.issues {
        let _ = write!(out, ", issues: {}", strings(ids));
    }
    out.push(')');
    out
}

fn change(c: &ChangeSpec) -> String {
    match c {
        ChangeSpec::Set(v) => format!("Set({})", value(v)),
        ChangeSpec::Add(v) => format!("Add({})", value(v)),
        ChangeSpec::Scale(v) => format!("Scale({})", value(v)),
    }
}

fn effect(e: &EffectSpec) -> String {
    match e {
        EffectSpec::Capability { actor, change: c } => {
            format!(
                "Capability(actor: {}, change: {})",
                string(actor),
                change(c)
            )
        }
        EffectSpec::Salience {
            actor,
            issue,
            change: c,
        } => format!(
            "Salience(actor: {}, issue: {}, change: {})",
            string(actor),
            string(issue),
            change(c)
        ),
        EffectSpec::Position {
            actor,
            issue,
            change: c,
        } => format!(
            "Position(actor: {}, issue: {}, change: {})",
            string(actor),
            string(issue),
            change(c)
        ),
        EffectSpec::Relation {
            a,
            b,
            change: c,
            directed,
        } => format!(
            "Relation(a: {}, b: {}, change: {}, directed: {directed})",
            string(a),
            string(b),
            change(c)
        ),
        EffectSpec::StatusQuo { issue, change: c } => {
            format!("StatusQuo(issue: {}, change: {})", string(issue), change(c))
        }
        EffectSpec::RemoveActor { actor } => format!("RemoveActor(actor: {})", string(actor)),
    }
}

fn event(e: &EventSpec) -> String {
    let at = match &e.at {
        TimingSpec::Round(r) => format!("Round({r})"),
        TimingSpec::Window {
            from,
            to,
            probability,
        } => format!(
            "Window(from: {from}, to: {to}, probability: {})",
            value(probability)
        ),
    };
    let effects: Vec<String> = e.effects.iter().map(effect).collect();
    format!(
        "(label: {}, at: {at}, effects: [{}])",
        string(&e.label),
        effects.join(", ")
    )
}

fn relation(r: &RelationSpec) -> String {
    format!(
        "(a: {}, b: {}, strength: {}, directed: {})",
        string(&r.a),
        string(&r.b),
        value(&r.strength),
        r.directed
    )
}

fn actor(out: &mut String, a: &ActorSpec) {
    let _ = writeln!(out, "        (");
    let _ = writeln!(
        out,
        "            id: {}, name: {}, role: {}, capability: {},",
        string(&a.id),
        string(&a.name),
        role(a.role),
        value(&a.capability)
    );
    let _ = writeln!(
        out,
        "            risk: {}, reservation: {}, strategy: {}, optimism: {},",
        value(&a.risk),
        value(&a.reservation),
        strategy(&a.strategy),
        value(&a.optimism)
    );
    if a.stances.is_empty() {
        let _ = writeln!(out, "            stances: {{}},");
    } else {
        let _ = writeln!(out, "            stances: {{");
        for (issue, st) in a.stances.iter() {
            let _ = writeln!(
                out,
                "                {}: (position: {}, salience: {}),",
                string(issue),
                value(&st.position),
                value(&st.salience)
            );
        }
        let _ = writeln!(out, "            }},");
    }
    let _ = writeln!(out, "        ),");
}

/// The scenario as RON text, with `notes` as comments.
pub(super) fn scenario(s: &Scenario, notes: &Notes) -> String {
    let mut out = String::new();
    for line in &notes.header {
        comment(&mut out, "", line);
    }
    out.push_str("(\n    metadata: (\n");
    let m = &s.metadata;
    let _ = writeln!(out, "        name: {},", string(&m.name));
    let _ = writeln!(out, "        description: {},", string(&m.description));
    if m.sources.is_empty() {
        let _ = writeln!(out, "        sources: [],");
    } else {
        let _ = writeln!(out, "        sources: [");
        for source in &m.sources {
            let _ = writeln!(out, "            {},", string(source));
        }
        let _ = writeln!(out, "        ],");
    }
    let _ = writeln!(out, "        round: {},", string(&m.round));
    if let Some(start) = &m.start {
        let _ = writeln!(out, "        start: {},", string(start));
    }
    out.push_str("    ),\n    issues: [\n");
    for (k, issue) in s.issues.iter().enumerate() {
        for line in notes.issues.get(k).into_iter().flatten() {
            comment(&mut out, "        ", line);
        }
        let head = format!(
            "(id: {}, name: {}, low: {}, high: {}, status_quo: {}",
            string(&issue.id),
            string(&issue.name),
            string(&issue.low),
            string(&issue.high),
            value(&issue.status_quo)
        );
        if issue.options.is_empty() {
            let _ = writeln!(out, "        {head}),");
        } else {
            let _ = writeln!(out, "        {head}, options: [");
            for o in &issue.options {
                let _ = writeln!(
                    out,
                    "            (at: {}, label: {}),",
                    value(&Value::Const(o.at)),
                    string(&o.label)
                );
            }
            let _ = writeln!(out, "        ]),");
        }
    }
    out.push_str("    ],\n    actors: [\n");
    for line in &notes.actors {
        comment(&mut out, "        ", line);
    }
    for a in &s.actors {
        actor(&mut out, a);
    }
    out.push_str("    ],\n");
    if !s.relations.is_empty() {
        out.push_str("    relations: [\n");
        for r in &s.relations {
            let _ = writeln!(out, "        {},", relation(r));
        }
        out.push_str("    ],\n");
    }
    let _ = writeln!(out, "    protocol: {},", protocol(&s.protocol));
    if let Some(e) = &s.escalation {
        let _ = writeln!(out, "    escalation: {},", escalation(e));
    }
    if !s.events.is_empty() {
        out.push_str("    events: [\n");
        for e in &s.events {
            let _ = writeln!(out, "        {},", event(e));
        }
        out.push_str("    ],\n");
    }
    let _ = writeln!(out, "    perception_noise: {},", value(&s.perception_noise));
    if !s.pie.is_empty() {
        let _ = writeln!(out, "    pie: {},", strings(&s.pie));
    }
    let _ = writeln!(out, "    interdependence: {},", value(&s.interdependence));
    let _ = writeln!(out, "    disagreement: {},", disagreement(s.disagreement));
    if s.loss != LossSpec::Linear {
        out.push_str("    loss: Quadratic,\n");
    }
    out.push_str(")\n");
    out
}
