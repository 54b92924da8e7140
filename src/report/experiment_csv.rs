//! Comparisons and sweeps as CSV: flat rows for spreadsheets and plotting.
//!
//! A comparison has one row per variant and metric, with the columns `variant, metric, label,
//! kind, base, value, difference, low, high, significant, standardised, base_sd, variant_sd,
//! difference_sd, unpaired_low, unpaired_high` (`value` is the variant's). A sweep has one row per point: `point`, one column per axis (its
//! path), then for every metric three columns, `ID`, `ID_low`, `ID_high` (value and 95%
//! interval). Undefined statistics are empty cells.

use super::format::{cell, csv_record};
use crate::experiment::{Comparison, Sweep};

impl Comparison {
    /// The comparison as CSV (module docs).
    pub(super) fn to_csv(&self) -> Result<Vec<u8>, ::csv::Error> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record([
            "variant",
            "metric",
            "label",
            "kind",
            "base",
            "value",
            "difference",
            "low",
            "high",
            "significant",
            "standardised",
            "base_sd",
            "variant_sd",
            "difference_sd",
            "unpaired_low",
            "unpaired_high",
        ])?;
        for v in &self.variants {
            for r in &v.metrics {
                let kind = match r.kind {
                    crate::experiment::MetricKind::Probability => "probability",
                    crate::experiment::MetricKind::Mean => "mean",
                };
                w.write_record(csv_record([
                    v.name.clone(),
                    r.metric.clone(),
                    r.label.clone(),
                    kind.to_string(),
                    cell(r.base),
                    cell(r.variant),
                    cell(r.difference),
                    cell(r.interval.map(|i| i[0])),
                    cell(r.interval.map(|i| i[1])),
                    r.significant.to_string(),
                    cell(r.standardised),
                    cell(r.base_sd),
                    cell(r.variant_sd),
                    cell(r.difference_sd),
                    cell(r.unpaired_interval.map(|i| i[0])),
                    cell(r.unpaired_interval.map(|i| i[1])),
                ]))?;
            }
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}

impl Sweep {
    /// The sweep as CSV (module docs).
    pub(super) fn to_csv(&self) -> Result<Vec<u8>, ::csv::Error> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut header = vec!["point".to_string()];
        header.extend(self.axes.iter().map(|a| a.path.clone()));
        for m in &self.metrics {
            header.push(m.id.clone());
            header.push(format!("{}_low", m.id));
            header.push(format!("{}_high", m.id));
        }
        w.write_record(csv_record(&header))?;
        for row in &self.points {
            let mut record = vec![row.point.to_string()];
            record.extend(
                row.settings
                    .iter()
                    .map(|s| s.split_once('=').map_or(s.as_str(), |(_, v)| v).to_string()),
            );
            for e in &row.estimates {
                record.push(cell(e.estimate.value));
                record.push(cell(e.estimate.interval.map(|i| i[0])));
                record.push(cell(e.estimate.interval.map(|i| i[1])));
            }
            w.write_record(csv_record(&record))?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}
