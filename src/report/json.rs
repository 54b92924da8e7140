//! The JSON report: the [`Summary`] as a pretty-printed document with a `schema` field
//! ([`REPORT_SCHEMA`](super::REPORT_SCHEMA)); the README documents every field.

use super::{Exporter, ReportError, Summary};

/// Writes a summary as JSON.
#[derive(Debug, Default, Clone, Copy)]
pub struct Json;

impl Exporter for Json {
    fn export(&self, summary: &Summary) -> Result<Vec<u8>, ReportError> {
        let mut out = serde_json::to_vec_pretty(summary)?;
        out.push(b'\n');
        Ok(out)
    }
}
