//! What a report says about the scenario itself: names, poles, options, the status quo and each
//! actor's ideal points, so a reader sees who moved.

use serde::{Deserialize, Serialize};

use crate::model::Domain;
use crate::model::Role;
use crate::model::{Calendar, Date, Model, TimeUnit};

/// The scenario as a report describes it. Uncertain numbers are given by their central value
/// ([`Value::central`](crate::model::Value::central)): a constant, or the mean clamped
/// to the number's domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outline {
    /// Scenario name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Protocol name.
    pub protocol: String,
    /// Deadline in rounds.
    pub max_rounds: u32,
    /// What a round stands for.
    pub calendar: CalendarOutline,
    /// Issues, in file order.
    pub issues: Vec<IssueOutline>,
    /// Actors, in file order.
    pub actors: Vec<ActorOutline>,
}

/// The calendar of rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarOutline {
    /// Units per round.
    pub count: u32,
    /// `day`, `week`, `month` or `year`.
    pub unit: UnitName,
    /// The date of round 1, `YYYY-MM-DD`.
    #[serde(with = "iso_date")]
    pub start: Option<Date>,
}

/// A calendar unit as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitName {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// One issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueOutline {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Meaning of 0.
    pub low: String,
    /// Meaning of 1.
    pub high: String,
    /// The status quo (central value).
    pub status_quo: f64,
    /// Labelled options; empty for a continuous issue.
    pub options: Vec<OptionOutline>,
}

/// A labelled option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionOutline {
    /// Its point.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// One actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorOutline {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// `Principal`, `Mediator` or `Stakeholder`.
    pub role: String,
    /// Capability (central value).
    pub capability: f64,
    /// Reservation utility (central value).
    pub reservation: f64,
    /// Ideal point per issue (central values), in issue order.
    pub positions: Vec<f64>,
    /// Salience per issue (central values), in issue order.
    pub saliences: Vec<f64>,
}

impl From<TimeUnit> for UnitName {
    fn from(u: TimeUnit) -> Self {
        match u {
            TimeUnit::Day => UnitName::Day,
            TimeUnit::Week => UnitName::Week,
            TimeUnit::Month => UnitName::Month,
            TimeUnit::Year => UnitName::Year,
        }
    }
}

impl UnitName {
    /// The unit's name, singular.
    pub fn name(self) -> &'static str {
        match self {
            UnitName::Day => "day",
            UnitName::Week => "week",
            UnitName::Month => "month",
            UnitName::Year => "year",
        }
    }
}

impl From<UnitName> for TimeUnit {
    fn from(u: UnitName) -> Self {
        match u {
            UnitName::Day => TimeUnit::Day,
            UnitName::Week => TimeUnit::Week,
            UnitName::Month => TimeUnit::Month,
            UnitName::Year => TimeUnit::Year,
        }
    }
}

impl CalendarOutline {
    /// The model's calendar.
    pub fn calendar(&self) -> Calendar {
        Calendar {
            count: self.count,
            unit: self.unit.into(),
            start: self.start,
        }
    }

    /// What one round lasts, e.g. `1 month`, `2 weeks`.
    pub fn round_length(&self) -> String {
        self.calendar().round_length()
    }

    /// The date round `round` starts ([`Calendar::date_of_round`]).
    pub fn date_of_round(&self, round: u32) -> Option<Date> {
        self.calendar().date_of_round(round)
    }
}

impl From<&Calendar> for CalendarOutline {
    fn from(c: &Calendar) -> Self {
        CalendarOutline {
            count: c.count,
            unit: c.unit.into(),
            start: c.start,
        }
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Principal => "Principal",
        Role::Mediator => "Mediator",
        Role::Stakeholder => "Stakeholder",
    }
}

impl Outline {
    /// The outline of `model`.
    pub fn of(model: &Model) -> Self {
        Outline {
            name: model.name.clone(),
            description: model.description.clone(),
            protocol: model.protocol.name().into(),
            max_rounds: model.protocol.max_rounds(),
            calendar: (&model.calendar).into(),
            issues: model
                .issues
                .iter()
                .map(|i| IssueOutline {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    low: i.low.clone(),
                    high: i.high.clone(),
                    status_quo: i.status_quo.central(Domain::UNIT),
                    options: i
                        .options
                        .iter()
                        .map(|o| OptionOutline {
                            at: o.at,
                            label: o.label.clone(),
                        })
                        .collect(),
                })
                .collect(),
            actors: model
                .actors
                .iter()
                .map(|a| ActorOutline {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    role: role_name(a.role).into(),
                    capability: a.capability.central(Domain::POSITIVE),
                    reservation: a.reservation.central(Domain::UNIT),
                    positions: a
                        .stances
                        .iter()
                        .map(|s| s.position.central(Domain::UNIT))
                        .collect(),
                    saliences: a
                        .stances
                        .iter()
                        .map(|s| s.salience.central(Domain::NON_NEGATIVE))
                        .collect(),
                })
                .collect(),
        }
    }

    /// The label of the option of issue `issue` nearest to `x` (the lower on a tie), if the issue
    /// has options.
    pub fn option_label(&self, issue: usize, x: f64) -> Option<&str> {
        let options = &self.issues.get(issue)?.options;
        let mut best: Option<&OptionOutline> = None;
        for o in options {
            if best.is_none_or(|b| (o.at - x).abs() < (b.at - x).abs()) {
                best = Some(o);
            }
        }
        best.map(|o| o.label.as_str())
    }
}

/// Dates as `YYYY-MM-DD` text.
mod iso_date {
    use crate::model::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| {
            crate::model::parse_date(&t)
                .map_err(|e| serde::de::Error::custom(format!("`{t}`: {e}")))
        })
        .transpose()
    }
}
