//! Game-theoretic solvers: pure, deterministic functions the protocols call.
//!
//! Every solver here *computes* its answer (weighted means, numerical maximisation, backward
//! induction, fixed points); none pastes in a closed form. The closed forms of the literature
//! live in the tests (`tests/theory/solvers.rs`, after `docs/theory.md`), which check the solvers
//! against them.
//!
//! | module | what | source |
//! |---|---|---|
//! | [`mediation`] | the mediator's single negotiating text: compromise point, (asymmetric) Nash bargaining point | Achen (2006); Nash (1950), Kalai (1977) |
//! | [`bargaining`] | outcome analytics: the Pareto frontier of the principals' utilities (exact on options, a bounded grid on continuous issues) and the Nash, Kalai–Smorodinsky, egalitarian and maximum-welfare points, opposition level | Nash (1950); Kalai & Smorodinsky (1975); Kalai (1977); NegMAS (Mohammad et al.) |
//! | [`expected_utility`] | Bueno de Mesquita's expected-utility (challenge and offer) model | Scholz, Calbert & Smith (2011) |
//! | [`rubinstein`] | subgame-perfect alternating offers on one divisible issue, finite and infinite horizon | Rubinstein (1982); Binmore, Shaked & Sutton (1989) |
//! | [`baron_ferejohn`] | closed-rule quota bargaining: stationary equilibrium values and proposals | Baron & Ferejohn (1989); Eraslan (2002) |
//!
//! All of them are deterministic (no random draws; where a protocol needs a random choice, such
//! as a mixed coalition, the caller passes in a uniform number drawn from its own generator) and
//! sum floating-point totals serially in a fixed order.

pub mod bargaining;
pub mod baron_ferejohn;
pub mod expected_utility;
pub mod mediation;
pub mod rubinstein;
