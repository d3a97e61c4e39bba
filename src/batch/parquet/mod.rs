//! Survey answers from Parquet files, tallied into grade counts per merchant as the row groups
//! stream by (feature `parquet`).
//!
//! A data lake keeps answers in Parquet, in one of two shapes:
//!
//! - **long** ([`ParquetLayout::long`], [`ParquetLayout::long_with_respondent`]): one row per
//!   answer — merchant, indicator id, grade, and optionally the respondent;
//! - **wide** ([`ParquetLayout::wide`]): one row per respondent — merchant and one column per
//!   indicator.
//!
//! A grade is the grade's 0-based index in the grade set (any integer column) or its label
//! (a string column; English or Chinese label). A null grade is a missing answer: counted in
//! [`ParquetTally::missing`] and per merchant and indicator, never as a grade. Only the named
//! columns are read (a projection), record batch by record batch, into a
//! [`SurveyCounts`](crate::input::SurveyCounts) — the tally the survey (CSV, xlsx) readers
//! fill: counts, "no answer" cells and respondents per merchant — so memory stays
//! `merchants x indicators x grades` counts whatever the file's size.
//! [`ParquetTally::score`] scores every merchant with the batch scorer.
//!
//! Respondents: a wide row is one respondent; in a long file with a respondent column a row
//! starts a new respondent when its merchant or respondent id differs from the previous row's
//! (a respondent's answers are consecutive rows, as exports write them); without that column a
//! merchant's respondents are taken as the most rows (answers and missing ones) any one of its
//! indicators has, which is the number of respondents when each answers every indicator at
//! most once.
//!
//! Before anything is decoded, the file's metadata is checked against
//! [`MAX_COLUMN_CHUNK_BYTES`]: a column chunk that declares more than that (uncompressed) is
//! refused, so a crafted file cannot make the reader allocate gigabytes for one chunk.
//!
//! # Examples
//!
//! ```no_run
//! use service_quality::batch::{ParquetLayout, ParquetTally};
//! use service_quality::{template, BatchScorer, Evaluator, GradeSet, IndicatorTree};
//!
//! let evaluator = Evaluator::new(IndicatorTree::new(template::after_sales())?, GradeSet::satisfaction_5());
//! let layout = ParquetLayout::long("merchant", "indicator", "grade");
//! let tally = ParquetTally::read("answers.parquet", &evaluator, &layout)?;
//! let scores = tally.score(&BatchScorer::new(&evaluator)?)?;
//! for (merchant, score) in tally.merchants().iter().zip(&scores.scores) {
//!     println!("{merchant}: {score:.2}");
//! }
//! # Ok::<(), service_quality::Error>(())
//! ```

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::reader::{ChunkReader, Length};

use crate::batch::{BatchScorer, BatchScores};
use crate::error::{ArrowError, Result};
use crate::evaluation::Evaluator;
use crate::input::SurveyCounts;

mod columns;
mod tally;

use columns::Lookups;
use tally::Tally;

/// The largest uncompressed size a column chunk may declare (1 GiB); larger ones are refused
/// before anything is read.
pub const MAX_COLUMN_CHUNK_BYTES: i64 = 1 << 30;

/// Rows per record batch while streaming.
const BATCH_ROWS: usize = 64 * 1024;

/// The source of a read, shared by the readers of its row groups.
struct Shared<R>(Arc<R>);

impl<R> Clone for Shared<R> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<R: Length> Length for Shared<R> {
    fn len(&self) -> u64 {
        self.0.len()
    }
}

impl<R: ChunkReader> ChunkReader for Shared<R> {
    type T = R::T;

    fn get_read(&self, start: u64) -> parquet::errors::Result<R::T> {
        self.0.get_read(start)
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        self.0.get_bytes(start, length)
    }
}

/// Where the merchant, indicators and grades are in a Parquet file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParquetLayout {
    /// One row per answer.
    Long {
        /// The merchant column (strings).
        merchant: String,
        /// The indicator column (strings: leaf ids).
        indicator: String,
        /// The grade column (integer indices or string labels).
        grade: String,
        /// The respondent column (integer or string ids), if the file has one.
        respondent: Option<String>,
    },
    /// One row per respondent, one column per indicator.
    Wide {
        /// The merchant column (strings).
        merchant: String,
        /// `(column, leaf id)` of every indicator column; `None`: the columns are named as the
        /// leaf ids.
        indicators: Option<Vec<(String, String)>>,
    },
}

impl ParquetLayout {
    /// Long format: one row per answer, in columns `merchant`, `indicator` and `grade`.
    pub fn long(
        merchant: impl Into<String>,
        indicator: impl Into<String>,
        grade: impl Into<String>,
    ) -> Self {
        Self::Long {
            merchant: merchant.into(),
            indicator: indicator.into(),
            grade: grade.into(),
            respondent: None,
        }
    }

    /// Long format with a respondent column: one row per answer, in columns `merchant`,
    /// `respondent`, `indicator` and `grade`; a respondent's answers are consecutive rows.
    pub fn long_with_respondent(
        merchant: impl Into<String>,
        respondent: impl Into<String>,
        indicator: impl Into<String>,
        grade: impl Into<String>,
    ) -> Self {
        let mut layout = Self::long(merchant, indicator, grade);
        if let Self::Long { respondent: r, .. } = &mut layout {
            *r = Some(respondent.into());
        }
        layout
    }

    /// Wide format: one row per respondent, merchants in `merchant`, one column per indicator
    /// named as its leaf id.
    pub fn wide(merchant: impl Into<String>) -> Self {
        Self::Wide {
            merchant: merchant.into(),
            indicators: None,
        }
    }

    /// Wide format with the indicator columns named: `(column, leaf id)` pairs.
    pub fn wide_columns<C: Into<String>, L: Into<String>>(
        merchant: impl Into<String>,
        indicators: impl IntoIterator<Item = (C, L)>,
    ) -> Self {
        Self::Wide {
            merchant: merchant.into(),
            indicators: Some(
                indicators
                    .into_iter()
                    .map(|(c, l)| (c.into(), l.into()))
                    .collect(),
            ),
        }
    }
}

/// The answers of a Parquet file tallied per merchant: a [`SurveyCounts`] (merchants in order
/// of first appearance, counts merchant-major `counts[(i * leaves + l) * grades + j]`, the batch
/// scorer's layout, "no answer" cells and respondents) and the totals of the read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetTally {
    survey: SurveyCounts,
    rows: u64,
    answers: u64,
    missing: u64,
}

impl ParquetTally {
    /// Reads the file at `path`.
    ///
    /// # Errors
    ///
    /// As [`read_from`](Self::read_from), and [`ArrowError::Parquet`] when the file cannot be
    /// opened.
    pub fn read(
        path: impl AsRef<Path>,
        evaluator: &Evaluator,
        layout: &ParquetLayout,
    ) -> Result<Self> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| parquet_error(path, e.to_string()))?;
        Self::read_from(file, evaluator, layout).map_err(|e| match e {
            crate::Error::Arrow(ArrowError::Parquet { message, .. }) => {
                parquet_error(path, message)
            }
            other => other,
        })
    }

    /// Reads Parquet data from `reader` (a file, or bytes in memory), tallying the answers of
    /// every merchant for the evaluator's leaves and grades.
    ///
    /// # Errors
    ///
    /// - [`ArrowError::Parquet`]: not a Parquet file, corrupt data, or a column chunk declaring
    ///   more than [`MAX_COLUMN_CHUNK_BYTES`];
    /// - [`ArrowError::MissingColumn`], [`ArrowError::ColumnType`]: a named column missing or of
    ///   another type;
    /// - [`ArrowError::Null`]: a null merchant, indicator or respondent (row of the file,
    ///   0-based);
    /// - [`ArrowError::Value`]: an unknown indicator id, a grade index out of range, an unknown
    ///   grade label, or a leaf of a wide layout that is not in the model;
    /// - [`ArrowError::Count`]: more than `u32::MAX` answers of one grade, missing answers of
    ///   one indicator or respondents of one merchant.
    pub fn read_from<R: ChunkReader + 'static>(
        reader: R,
        evaluator: &Evaluator,
        layout: &ParquetLayout,
    ) -> Result<Self> {
        let lookups = Lookups::new(evaluator);
        let metadata = ArrowReaderMetadata::load(&reader, ArrowReaderOptions::new())
            .map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
        let metadata = as_dictionaries(metadata, layout);
        let reader = Shared(Arc::new(reader));
        let builder =
            ParquetRecordBatchReaderBuilder::new_with_metadata(reader.clone(), metadata.clone());
        for group in builder.metadata().row_groups() {
            for chunk in group.columns() {
                if chunk.uncompressed_size() > MAX_COLUMN_CHUNK_BYTES
                    || chunk.compressed_size() > MAX_COLUMN_CHUNK_BYTES
                {
                    return Err(parquet_error(
                        Path::new(""),
                        format!(
                            "column chunk `{}` declares {} bytes, more than the limit of {MAX_COLUMN_CHUNK_BYTES}",
                            chunk.column_path(),
                            chunk.uncompressed_size().max(chunk.compressed_size())
                        ),
                    ));
                }
            }
        }
        let wide_leaves = match layout {
            ParquetLayout::Wide {
                indicators: Some(pairs),
                ..
            } => pairs
                .iter()
                .map(|(column, leaf)| {
                    lookups.leaves.get(leaf).copied().ok_or_else(|| {
                        ArrowError::UnknownLeaf {
                            column: column.clone(),
                            leaf: leaf.clone(),
                            leaves: lookups.leaf_ids.clone(),
                        }
                        .into()
                    })
                })
                .collect::<Result<Vec<_>>>()?,
            _ => (0..lookups.leaf_ids.len()).collect(),
        };
        let schema = builder.schema().clone();
        let names: Vec<String> = match layout {
            ParquetLayout::Long {
                merchant,
                indicator,
                grade,
                respondent,
            } => {
                let mut names = vec![merchant.clone(), indicator.clone(), grade.clone()];
                names.extend(respondent.iter().cloned());
                names
            }
            ParquetLayout::Wide {
                merchant,
                indicators,
            } => {
                let mut names = vec![merchant.clone()];
                match indicators {
                    Some(pairs) => names.extend(pairs.iter().map(|(c, _)| c.clone())),
                    None => names.extend(lookups.leaf_ids.iter().cloned()),
                }
                names
            }
        };
        let mut roots = Vec::with_capacity(names.len());
        for name in &names {
            let Ok(index) = schema.index_of(name) else {
                return Err(ArrowError::MissingColumn {
                    column: name.clone(),
                    available: schema.fields().iter().map(|f| f.name().clone()).collect(),
                }
                .into());
            };
            roots.push(index);
        }
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let groups = builder.metadata().num_row_groups();
        let mut tally = Tally::new(lookups, evaluator.grades().clone(), wide_leaves);
        // a reader per row group: a record batch spanning two row groups would hold two
        // column chunks' dictionaries, which the decoder merges by hashing every value
        for group in 0..groups {
            let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(
                reader.clone(),
                metadata.clone(),
            )
            .with_projection(mask.clone())
            .with_batch_size(BATCH_ROWS)
            .with_row_groups(vec![group])
            .build()
            .map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
            for batch in batches {
                let batch = batch.map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
                tally.push(&batch, &names, layout)?;
            }
        }
        Ok(tally.finish(layout))
    }

    /// The merchants, in order of first appearance in the file.
    pub fn merchants(&self) -> &[String] {
        self.survey.merchants()
    }

    /// The counts, merchant-major (`counts[(i * leaves + l) * grades + j]`).
    pub fn counts(&self) -> &[u32] {
        self.survey.counts()
    }

    /// The tally: counts, "no answer" cells and respondents per merchant, as the survey
    /// readers give them.
    pub fn survey_counts(&self) -> &SurveyCounts {
        &self.survey
    }

    /// The tally, taken out.
    pub fn into_survey_counts(self) -> SurveyCounts {
        self.survey
    }

    /// Rows read.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Answers counted (each a grade of an indicator).
    pub fn answers(&self) -> u64 {
        self.answers
    }

    /// Missing answers (null grades), not counted as any grade.
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// Scores every merchant with `scorer` (built from the same evaluator).
    ///
    /// # Errors
    ///
    /// As [`BatchScorer::score_counts_vec`]: the scorer's leaves and grades must be the ones the
    /// tally was read for.
    pub fn score(&self, scorer: &BatchScorer) -> Result<BatchScores> {
        scorer.score_counts_vec(self.survey.counts())
    }
}

/// The string type of a column's values: `Utf8` or `LargeUtf8` as they are, a string view as
/// `Utf8`, a dictionary of strings as its values' type; `None` for other types.
fn string_values(t: &DataType) -> Option<DataType> {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 => Some(t.clone()),
        DataType::Utf8View => Some(DataType::Utf8),
        DataType::Dictionary(_, values) => string_values(values),
        _ => None,
    }
}

/// The reader's metadata with the string columns the tally resolves by value (the merchant;
/// the indicator of a long layout) asked for as dictionaries: Parquet stores such columns
/// dictionary-encoded, and reading them so decodes each distinct string once per row group
/// instead of once per row (whatever string or dictionary type the writer recorded for them).
/// Unchanged when the file's schema does not allow it.
fn as_dictionaries(metadata: ArrowReaderMetadata, layout: &ParquetLayout) -> ArrowReaderMetadata {
    let by_value: Vec<&str> = match layout {
        ParquetLayout::Long {
            merchant,
            indicator,
            ..
        } => vec![merchant, indicator],
        ParquetLayout::Wide { merchant, .. } => vec![merchant],
    };
    let schema = metadata.schema();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match string_values(f.data_type()) {
            Some(values) if by_value.contains(&f.name().as_str()) => Field::new(
                f.name(),
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(values)),
                f.is_nullable(),
            ),
            // other string columns (grade labels) as plain strings, whatever dictionary type
            // the writer recorded (polars: `Dictionary(UInt32, LargeUtf8)` for a categorical)
            Some(values) if matches!(f.data_type(), DataType::Dictionary(..)) => {
                Field::new(f.name(), values, f.is_nullable())
            }
            _ => f.as_ref().clone(),
        })
        .collect();
    let hinted = Schema::new_with_metadata(fields, schema.metadata().clone());
    ArrowReaderMetadata::try_new(
        metadata.metadata().clone(),
        ArrowReaderOptions::new().with_schema(Arc::new(hinted)),
    )
    .unwrap_or(metadata)
}

fn parquet_error(path: &Path, message: String) -> crate::Error {
    ArrowError::Parquet {
        file: path.display().to_string(),
        message,
    }
    .into()
}
