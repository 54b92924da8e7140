//! JSON: every result as one pretty-printed document that ends with a newline. Each result's
//! `schema` field names its version; the README documents every field.

use serde::Serialize;

use super::ReportError;

/// `value` as pretty-printed JSON with a final newline.
pub(super) fn pretty(value: &impl Serialize) -> Result<Vec<u8>, ReportError> {
    let mut out = serde_json::to_vec_pretty(value)?;
    out.push(b'\n');
    Ok(out)
}
