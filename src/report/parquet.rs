//! Per-run records as Parquet: one flat, typed table (`--per-run FILE.parquet`).
//!
//! The rows are the per-run CSV records ([`PerRunCsv`](super::PerRunCsv)), read back column by
//! column and written with Apache Parquet's own Rust implementation (the `parquet` crate of
//! arrow-rs), in row groups of [`ROW_GROUP`] runs, Snappy-compressed. Each column keeps its CSV
//! name and gets one type:
//!
//! | columns | Parquet type |
//! |---|---|
//! | `run`, `round`, `wars`, `first_war_round`, `event.*` | `INT64` |
//! | `outcome`, `first_war_initiator`, `first_war_target` | `BYTE_ARRAY` (UTF-8 string) |
//! | `first_war_initiator_won`, `last_war_ended_talks` | `BOOLEAN` |
//! | `settlement.*`, `utility.*`, `distance.*`, `input.*` | `DOUBLE` |
//! | any other column | the narrowest of `BOOLEAN`, `INT64`, `DOUBLE`, string that holds every value |
//!
//! A column with an empty cell (the war columns of a run without a war, an event that did not
//! fire) is `OPTIONAL` and the
//! cell is null; the others are `REQUIRED`. The file's key–value metadata holds
//! `treaty.provenance`, the batch's provenance as JSON (the same object as a report's
//! `provenance`), so the file says where it came from. pandas (`pd.read_parquet`), polars and
//! R's arrow read it as is.

use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// Runs per row group.
pub const ROW_GROUP: usize = 65_536;

/// The key of the provenance in the file's metadata.
pub const PROVENANCE_KEY: &str = "treaty.provenance";

/// A per-run record file that cannot be converted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParquetWriteError {
    /// Reading the CSV records failed.
    #[error("cannot read the per-run records: {0}")]
    Csv(#[from] ::csv::Error),
    /// Reading or writing a file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The Parquet writer failed.
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] ParquetError),
}

/// The type of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `BOOLEAN`.
    Bool,
    /// `INT64`.
    Int,
    /// `DOUBLE`.
    Double,
    /// `BYTE_ARRAY` (UTF-8).
    Text,
}

/// The type a column of that name always has, if it is one of the documented ones.
fn declared(name: &str) -> Option<Kind> {
    Some(match name {
        "run" | "round" | "wars" | "first_war_round" => Kind::Int,
        "outcome" | "first_war_initiator" | "first_war_target" => Kind::Text,
        "first_war_initiator_won" | "last_war_ended_talks" => Kind::Bool,
        _ if name.starts_with("event.") => Kind::Int,
        _ if name.starts_with("settlement.")
            || name.starts_with("utility.")
            || name.starts_with("distance.")
            || name.starts_with("input.") =>
        {
            Kind::Double
        }
        _ => return None,
    })
}

/// The narrowest kind holding `cell`.
fn kind_of(cell: &str) -> Kind {
    if cell == "true" || cell == "false" {
        Kind::Bool
    } else if cell.parse::<i64>().is_ok() {
        Kind::Int
    } else if cell.parse::<f64>().is_ok() {
        Kind::Double
    } else {
        Kind::Text
    }
}

/// The narrowest kind holding both.
fn widen(a: Kind, b: Kind) -> Kind {
    match (a, b) {
        (x, y) if x == y => x,
        (Kind::Int, Kind::Double) | (Kind::Double, Kind::Int) => Kind::Double,
        _ => Kind::Text,
    }
}

/// Converts the per-run CSV records in `csv` (with their header) into a Parquet file written to
/// `out`, with `provenance` (JSON) in its metadata. Reads `csv` twice: once for the columns'
/// types, once for the values, a row group at a time, so memory stays bounded.
pub fn per_run_parquet<R: Read + Seek, W: Write + Send>(
    csv: &mut R,
    out: W,
    provenance: &str,
) -> Result<(), ParquetWriteError> {
    // Pass 1: every column's kind and whether it has empty cells.
    let mut reader = ::csv::Reader::from_reader(&mut *csv);
    let names: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let mut kinds: Vec<Option<Kind>> = names.iter().map(|n| declared(n)).collect();
    let fixed: Vec<bool> = kinds.iter().map(Option::is_some).collect();
    let mut optional = vec![false; names.len()];
    let mut record = ::csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        for (c, cell) in record.iter().enumerate().take(names.len()) {
            if cell.is_empty() {
                optional[c] = true;
            } else if !fixed[c] {
                let k = kind_of(cell);
                kinds[c] = Some(kinds[c].map_or(k, |old| widen(old, k)));
            }
        }
    }
    drop(reader);
    // A column with no value at all is an optional string.
    let kinds: Vec<Kind> = kinds.into_iter().map(|k| k.unwrap_or(Kind::Text)).collect();
    let fields: Vec<Arc<Type>> = names
        .iter()
        .zip(&kinds)
        .zip(&optional)
        .map(|((name, kind), opt)| field(name, *kind, *opt))
        .collect::<Result<_, _>>()?;
    let schema = Arc::new(
        Type::group_type_builder("treaty_per_run")
            .with_fields(fields)
            .build()?,
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("treaty {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                PROVENANCE_KEY.to_string(),
                provenance.to_string(),
            )]))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;

    // Pass 2: the values, a row group at a time.
    csv.seek(SeekFrom::Start(0))?;
    let mut reader = ::csv::Reader::from_reader(&mut *csv);
    let mut rows: Vec<::csv::StringRecord> = Vec::with_capacity(ROW_GROUP.min(4096));
    loop {
        rows.clear();
        while rows.len() < ROW_GROUP {
            let mut r = ::csv::StringRecord::new();
            if !reader.read_record(&mut r)? {
                break;
            }
            rows.push(r);
        }
        if rows.is_empty() {
            break;
        }
        let mut group = writer.next_row_group()?;
        let mut c = 0;
        while let Some(mut column) = group.next_column()? {
            let cells: Vec<&str> = rows.iter().map(|r| r.get(c).unwrap_or("")).collect();
            write_column(column.untyped(), kinds[c], optional[c], &cells)?;
            column.close()?;
            c += 1;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(())
}

/// The schema field of a column.
fn field(name: &str, kind: Kind, optional: bool) -> Result<Arc<Type>, ParquetError> {
    let (physical, logical, converted) = match kind {
        Kind::Bool => (Physical::BOOLEAN, None, ConvertedType::NONE),
        Kind::Int => (Physical::INT64, None, ConvertedType::NONE),
        Kind::Double => (Physical::DOUBLE, None, ConvertedType::NONE),
        Kind::Text => (
            Physical::BYTE_ARRAY,
            Some(LogicalType::String),
            ConvertedType::UTF8,
        ),
    };
    let repetition = if optional {
        Repetition::OPTIONAL
    } else {
        Repetition::REQUIRED
    };
    Ok(Arc::new(
        Type::primitive_type_builder(name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .with_converted_type(converted)
            .build()?,
    ))
}

/// Writes one row group's cells of a column.
fn write_column(
    writer: &mut ColumnWriter<'_>,
    kind: Kind,
    optional: bool,
    cells: &[&str],
) -> Result<(), ParquetError> {
    let levels: Vec<i16> = cells.iter().map(|c| i16::from(!c.is_empty())).collect();
    let def = optional.then_some(levels.as_slice());
    let present = cells.iter().filter(|c| !c.is_empty());
    let bad = |cell: &str, what: &str| {
        ParquetError::General(format!("the per-run value {cell:?} is not {what}"))
    };
    match (writer, kind) {
        (ColumnWriter::BoolColumnWriter(w), Kind::Bool) => {
            let v: Vec<bool> = present.map(|c| *c == "true").collect();
            w.write_batch(&v, def, None)?;
        }
        (ColumnWriter::Int64ColumnWriter(w), Kind::Int) => {
            let v = present
                .map(|c| c.parse::<i64>().map_err(|_| bad(c, "a whole number")))
                .collect::<Result<Vec<_>, _>>()?;
            w.write_batch(&v, def, None)?;
        }
        (ColumnWriter::DoubleColumnWriter(w), Kind::Double) => {
            let v = present
                .map(|c| c.parse::<f64>().map_err(|_| bad(c, "a number")))
                .collect::<Result<Vec<_>, _>>()?;
            w.write_batch(&v, def, None)?;
        }
        (ColumnWriter::ByteArrayColumnWriter(w), Kind::Text) => {
            let v: Vec<ByteArray> = present.map(|c| ByteArray::from(*c)).collect();
            w.write_batch(&v, def, None)?;
        }
        _ => {
            return Err(ParquetError::General(
                "a column's writer does not match its type".into(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    const CSV: &str = "run,outcome,round,settlement.x,utility.A,wars,first_war_round,first_war_initiator,first_war_initiator_won,note\n\
                       0,Agreement,3,0.25,0.5,0,,,,7\n\
                       1,Conflict,9,0.75,-0.125,1,4,A,true,8.5\n";

    fn written() -> Vec<u8> {
        let mut out = Vec::new();
        per_run_parquet(
            &mut std::io::Cursor::new(CSV.as_bytes()),
            &mut out,
            "{\"seed\":7}",
        )
        .unwrap();
        out
    }

    #[test]
    fn values_types_nulls_and_provenance_read_back() {
        let bytes = written();
        assert_eq!(&bytes[..4], b"PAR1");
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        let meta = reader.metadata().file_metadata();
        let kv = meta.key_value_metadata().unwrap();
        assert_eq!(kv[0].key, PROVENANCE_KEY);
        assert_eq!(kv[0].value.as_deref(), Some("{\"seed\":7}"));
        assert_eq!(meta.num_rows(), 2);
        let schema = meta.schema_descr();
        let types: Vec<(String, Physical, bool)> = schema
            .columns()
            .iter()
            .map(|c| {
                (
                    c.name().to_string(),
                    c.physical_type(),
                    c.self_type().is_optional(),
                )
            })
            .collect();
        assert_eq!(types[0], ("run".into(), Physical::INT64, false));
        assert_eq!(types[1], ("outcome".into(), Physical::BYTE_ARRAY, false));
        assert_eq!(types[3], ("settlement.x".into(), Physical::DOUBLE, false));
        assert_eq!(types[6], ("first_war_round".into(), Physical::INT64, true));
        assert_eq!(types[8].1, Physical::BOOLEAN);
        // An undeclared column takes the narrowest type of its values: 7 and 8.5 are doubles.
        assert_eq!(types[9], ("note".into(), Physical::DOUBLE, false));
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let cell = |r: usize, c: usize| rows[r].get_column_iter().nth(c).unwrap().1.clone();
        assert_eq!(cell(1, 0), Field::Long(1));
        assert_eq!(cell(1, 1), Field::Str("Conflict".into()));
        assert_eq!(cell(1, 4), Field::Double(-0.125));
        assert_eq!(cell(0, 6), Field::Null);
        assert_eq!(cell(1, 6), Field::Long(4));
        assert_eq!(cell(1, 8), Field::Bool(true));
    }

    #[test]
    fn the_same_records_give_the_same_bytes_and_are_compressed_by_snappy() {
        assert_eq!(written(), written());
        let bytes = written();
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        let group = reader.metadata().row_group(0);
        assert!(
            group
                .columns()
                .iter()
                .all(|c| c.compression() == Compression::SNAPPY)
        );
    }
}
