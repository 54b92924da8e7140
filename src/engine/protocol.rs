//! Negotiation protocols: who tables what each round, what the principals need to accept it, and
//! what happens after a rejection.
//!
//! The round itself (events, evaluation, stakeholder pressure, the acceptance rule, force) is
//! the same for every protocol and lives in the round loop of [`crate::engine`]; a
//! [`Procedure`] supplies the parts that differ, reading and changing the run only through its
//! [`RunState`]:
//!
//! - [`AlternatingOffers`]: a recognised party offers (stacked alternating offers, Rubinstein
//!   1982 and Baron & Ferejohn 1989 with power-weighted recognition); a recognised mediator tables
//!   the compromise of the parties' current offers;
//! - [`Mediated`]: a mediator's single negotiating text, amended toward those who reject it
//!   (Fisher's single-text procedure, as in Raiffa 1982);
//! - [`ExpectedUtility`]: Bueno de Mesquita's challenge-and-offer model, whose forecast the
//!   principals sign or not.

// Index loops over the parallel actor × issue tables read better than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod alternating;
mod expected_utility;
mod mediated;

pub use alternating::AlternatingOffers;
pub use expected_utility::ExpectedUtility;
pub use mediated::Mediated;

use super::{IssueForecast, Observer, ProposalKind, RunState};
use crate::model::Acceptance;

/// What a protocol tables in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tabled {
    /// Who tables it (`None` for a forecast).
    pub proposer: Option<usize>,
    /// What it is.
    pub kind: ProposalKind,
    /// Whether the principals vote on it this round.
    pub vote: bool,
    /// Whether the talks end with this round if the vote fails (the expected-utility model once
    /// positions stop moving).
    pub last: bool,
}

/// What a principal needs to accept a proposal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The utility it needs before stakeholder pressure.
    pub value: f64,
    /// Whether stakeholder pressure moves it.
    pub pressure: bool,
}

/// The parts of a round that differ between protocols (the model's
/// [`Protocol`](crate::model::Protocol) chooses one).
pub trait Procedure {
    /// The acceptance rule among the principals.
    fn acceptance(&self) -> Acceptance {
        Acceptance::Unanimous
    }

    /// Tables this round's proposal into `point` (on options and inside the pie), or `None` if
    /// nobody can table anything this round (the proposer or mediator has left). The observer
    /// sees what moves before the proposal (the expected-utility model's shifts).
    fn propose(
        &mut self,
        state: &mut RunState<'_>,
        point: &mut [f64],
        observer: &mut impl Observer,
    ) -> Option<Tabled>;

    /// Whether mediators at the table would table a text after a rejected offer in this round
    /// (see [`Procedure::mediate`]); false by default.
    fn mediates(&self, state: &RunState<'_>) -> bool {
        let _ = state;
        false
    }

    /// After the round's offer was rejected: the mediators' text, tabled into `text` (on
    /// options and inside the pie), and the mediator who tables it; `None` if the protocol has
    /// no such text (the default). It is an extra chance of agreement: nothing else in the
    /// round depends on it.
    fn mediate(&mut self, state: &mut RunState<'_>, text: &mut [f64]) -> Option<usize> {
        let _ = (state, text);
        None
    }

    /// What principal `actor` needs to accept this round's proposal.
    fn threshold(&self, state: &RunState<'_>, actor: usize) -> Threshold;

    /// The forecasts to report with the run's outcome, issue by issue, written into `out`
    /// (cleared first); none by default.
    fn forecasts(&self, out: &mut Vec<IssueForecast>) {
        out.clear();
    }

    /// The round failed (no proposal, or not accepted, and no war): amend, concede.
    fn rejected(&mut self, state: &mut RunState<'_>, point: &[f64], observer: &mut impl Observer);
}
