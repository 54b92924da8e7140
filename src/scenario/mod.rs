//! Scenarios: the RON file format, loading, validation into a [`Model`](crate::model::Model), and
//! the bundled scenarios.

pub mod ordered;
pub mod schema;
pub mod value;

pub use schema::Scenario;

/// A scenario that cannot be loaded (placeholder until validation lands).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
}
