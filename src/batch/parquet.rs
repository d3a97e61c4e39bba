//! Survey answers from Parquet files, tallied into grade counts per merchant as the row groups
//! stream by (feature `parquet`).
//!
//! A data lake keeps answers in Parquet, in one of two shapes:
//!
//! - **long** ([`ParquetLayout::long`]): one row per answer — merchant, indicator id, grade;
//! - **wide** ([`ParquetLayout::wide`]): one row per respondent — merchant and one column per
//!   indicator.
//!
//! A grade is the grade's 0-based index in the grade set (any integer column) or its label
//! (a string column; English or Chinese label). A null grade is a missing answer: counted in
//! [`ParquetTally::missing`], never as a grade. Only the named columns are read (a projection),
//! record batch by record batch, so memory stays `merchants x indicators x grades` counts
//! whatever the file's size. [`ParquetTally::score`] scores every merchant with the batch
//! scorer.
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

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::reader::ChunkReader;

use crate::batch::{BatchScorer, BatchScores};
use crate::error::{ArrowError, Result};
use crate::evaluation::Evaluator;

/// The largest uncompressed size a column chunk may declare (1 GiB); larger ones are refused
/// before anything is read.
pub const MAX_COLUMN_CHUNK_BYTES: i64 = 1 << 30;

/// Rows per record batch while streaming.
const BATCH_ROWS: usize = 64 * 1024;

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
        }
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

/// Grade counts per merchant read from a Parquet file: merchants in order of first appearance,
/// counts merchant-major (`counts[(i * leaves + l) * grades + j]`, the batch scorer's layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParquetTally {
    merchants: Vec<String>,
    counts: Vec<u32>,
    rows: u64,
    answers: u64,
    missing: u64,
}

/// Lookups from leaf ids and grade labels to positions.
struct Lookups {
    leaves: HashMap<String, usize>,
    leaf_ids: Vec<String>,
    grades: HashMap<String, usize>,
    m: usize,
}

impl Lookups {
    fn new(evaluator: &Evaluator) -> Self {
        let leaf_ids: Vec<String> = evaluator
            .tree()
            .leaves()
            .map(|l| l.id().to_owned())
            .collect();
        let mut grades = HashMap::new();
        for (j, grade) in evaluator.grades().grades().iter().enumerate() {
            grades.insert(grade.label().to_owned(), j);
            if let Some(zh) = grade.label_zh() {
                grades.insert(zh.to_owned(), j);
            }
        }
        Self {
            leaves: leaf_ids
                .iter()
                .cloned()
                .enumerate()
                .map(|(l, id)| (id, l))
                .collect(),
            leaf_ids,
            grades,
            m: evaluator.grades().len(),
        }
    }

    /// The leaf of indicator `id`; `guess` (the leaf after the previous row's, as a
    /// respondent's answers usually come in the tree's order) is tried first.
    #[inline]
    fn leaf(&self, id: &str, guess: usize, column: &str, row: u64) -> Result<usize> {
        if self.leaf_ids.get(guess).is_some_and(|g| g == id) {
            return Ok(guess);
        }
        self.leaves.get(id).copied().ok_or_else(|| {
            value_error(
                column,
                row,
                id,
                format!(
                    "not an indicator of the model ({})",
                    self.leaf_ids.join(", ")
                ),
            )
        })
    }
}

/// Reads one string column of a record batch, whatever Arrow string type Parquet gave it.
enum Strings<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// Dictionary-encoded strings: the keys and the values (any of the above).
    Dict(&'a arrow_array::PrimitiveArray<Int32Type>, Box<Strings<'a>>),
}

/// A dictionary key not resolved yet in a [`Memo`].
const UNSET: u32 = u32::MAX;

/// What each key of a dictionary column resolved to: a dictionary's values are looked up
/// once, not once per row, and the memo is kept from batch to batch while the batches share
/// their dictionary (the batches of one column chunk do).
#[derive(Default)]
struct Memo {
    values: Option<ArrayRef>,
    at: Vec<u32>,
}

impl Memo {
    /// Ready for `array` (the column `strings` reads): kept when its dictionary is the one
    /// memoised, else started afresh.
    fn refresh(&mut self, array: &ArrayRef, strings: &Strings<'_>) {
        let values = match array.data_type() {
            DataType::Dictionary(..) => Some(array.as_dictionary::<Int32Type>().values()),
            _ => None,
        };
        let same = match (&self.values, values) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        if !same {
            self.values = values.cloned();
            self.at.clear();
            if let Strings::Dict(_, values) = strings {
                self.at.resize(values.len(), UNSET);
            }
        }
    }

    /// The index row `i` of `strings` stands for: memoised by dictionary key, else `resolve`d
    /// from the row's string (`None`: a null).
    #[inline]
    fn get(
        &mut self,
        strings: &Strings<'_>,
        i: usize,
        resolve: impl FnOnce(Option<&str>) -> Result<usize>,
    ) -> Result<usize> {
        let key = strings.key(i);
        if let Some(&at) = key.and_then(|k| self.at.get(k)) {
            if at != UNSET {
                return Ok(at as usize);
            }
        }
        let at = resolve(strings.get(i))?;
        if let Some(slot) = key.and_then(|k| self.at.get_mut(k)) {
            *slot = u32::try_from(at).unwrap_or(UNSET);
        }
        Ok(at)
    }
}

impl<'a> Strings<'a> {
    fn of(array: &'a ArrayRef, column: &str) -> Result<Self> {
        match array.data_type() {
            DataType::Utf8 => Ok(Self::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(Self::Large(array.as_string::<i64>())),
            DataType::Utf8View => Ok(Self::View(array.as_string_view())),
            DataType::Dictionary(key, _) if **key == DataType::Int32 => {
                let dict = array.as_dictionary::<Int32Type>();
                Ok(Self::Dict(
                    dict.keys(),
                    Box::new(Self::of(dict.values(), column)?),
                ))
            }
            other => Err(ArrowError::ColumnType {
                column: column.to_owned(),
                expected: "strings",
                found: other.to_string(),
            }
            .into()),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Self::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Self::View(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Dict(keys, values) => {
                let key = keys.is_valid(i).then(|| keys.value(i))?;
                values.get(usize::try_from(key).ok()?)
            }
        }
    }

    /// Row `i`'s dictionary key (`None` for other columns and nulls).
    #[inline]
    fn key(&self, i: usize) -> Option<usize> {
        match self {
            Self::Dict(keys, _) => keys
                .is_valid(i)
                .then(|| usize::try_from(keys.value(i)).ok())
                .flatten(),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Utf8(a) => a.len(),
            Self::Large(a) => a.len(),
            Self::View(a) => a.len(),
            Self::Dict(keys, _) => keys.len(),
        }
    }
}

/// A grade column: integer indices (any integer type, read in place) or string labels.
enum Grades<'a> {
    Index(Ints<'a>),
    Label(Strings<'a>),
}

/// An integer column of any Arrow integer type, read in place.
enum Ints<'a> {
    I8(&'a arrow_array::Int8Array),
    I16(&'a arrow_array::Int16Array),
    I32(&'a arrow_array::Int32Array),
    I64(&'a arrow_array::Int64Array),
    U8(&'a arrow_array::UInt8Array),
    U16(&'a arrow_array::UInt16Array),
    U32(&'a arrow_array::UInt32Array),
    U64(&'a arrow_array::UInt64Array),
}

impl Ints<'_> {
    /// Row `i`'s value, `None` when null.
    #[inline]
    fn get(&self, i: usize) -> Option<i128> {
        macro_rules! value {
            ($a:expr) => {
                $a.is_valid(i).then(|| i128::from($a.value(i)))
            };
        }
        match self {
            Self::I8(a) => value!(a),
            Self::I16(a) => value!(a),
            Self::I32(a) => value!(a),
            Self::I64(a) => value!(a),
            Self::U8(a) => value!(a),
            Self::U16(a) => value!(a),
            Self::U32(a) => value!(a),
            Self::U64(a) => value!(a),
        }
    }
}

impl<'a> Grades<'a> {
    fn of(array: &'a ArrayRef, column: &str) -> Result<Self> {
        Ok(match array.data_type() {
            DataType::Int8 => Self::Index(Ints::I8(array.as_primitive::<Int8Type>())),
            DataType::Int16 => Self::Index(Ints::I16(array.as_primitive::<Int16Type>())),
            DataType::Int32 => Self::Index(Ints::I32(array.as_primitive::<Int32Type>())),
            DataType::Int64 => Self::Index(Ints::I64(array.as_primitive::<Int64Type>())),
            DataType::UInt8 => Self::Index(Ints::U8(array.as_primitive::<UInt8Type>())),
            DataType::UInt16 => Self::Index(Ints::U16(array.as_primitive::<UInt16Type>())),
            DataType::UInt32 => Self::Index(Ints::U32(array.as_primitive::<UInt32Type>())),
            DataType::UInt64 => Self::Index(Ints::U64(array.as_primitive::<UInt64Type>())),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                Self::Label(Strings::of(array, column)?)
            }
            other => {
                return Err(ArrowError::ColumnType {
                    column: column.to_owned(),
                    expected: "integer grade indices or string grade labels",
                    found: other.to_string(),
                }
                .into())
            }
        })
    }

    /// The grade index of row `i`, `None` for a missing answer.
    #[inline]
    fn get(&self, i: usize, lookups: &Lookups, column: &str, row: u64) -> Result<Option<usize>> {
        match self {
            Self::Index(values) => match values.get(i) {
                None => Ok(None),
                Some(v) => match usize::try_from(v) {
                    Ok(j) if j < lookups.m => Ok(Some(j)),
                    _ => Err(value_error(
                        column,
                        row,
                        &v.to_string(),
                        format!("not a grade index within 0..{}", lookups.m),
                    )),
                },
            },
            Self::Label(labels) => match labels.get(i) {
                None => Ok(None),
                Some(label) => lookups.grades.get(label).copied().map(Some).ok_or_else(|| {
                    value_error(
                        column,
                        row,
                        label,
                        "not a grade label of the grade set".into(),
                    )
                }),
            },
        }
    }
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
    /// - [`ArrowError::Null`]: a null merchant or indicator (row of the file, 0-based);
    /// - [`ArrowError::Value`]: an unknown indicator id, a grade index out of range, an unknown
    ///   grade label, or a leaf of a wide layout that is not in the model;
    /// - [`ArrowError::Count`]: more than `u32::MAX` answers of one grade.
    pub fn read_from<R: ChunkReader + 'static>(
        reader: R,
        evaluator: &Evaluator,
        layout: &ParquetLayout,
    ) -> Result<Self> {
        let lookups = Lookups::new(evaluator);
        let metadata = ArrowReaderMetadata::load(&reader, ArrowReaderOptions::new())
            .map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
        let metadata = as_dictionaries(metadata, layout);
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(reader, metadata);
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
            } => vec![merchant.clone(), indicator.clone(), grade.clone()],
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
        let reader = builder
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
        let mut tally = Tally {
            lookups,
            merchant_index: HashMap::new(),
            last_merchant: None,
            last_leaf: 0,
            merchant_memo: Memo::default(),
            leaf_memo: Memo::default(),
            out: Self {
                merchants: Vec::new(),
                counts: Vec::new(),
                rows: 0,
                answers: 0,
                missing: 0,
            },
            wide: wide_leaves,
        };
        for batch in reader {
            let batch = batch.map_err(|e| parquet_error(Path::new(""), e.to_string()))?;
            tally.push(&batch, &names, layout)?;
        }
        Ok(tally.out)
    }

    /// The merchants, in order of first appearance in the file.
    pub fn merchants(&self) -> &[String] {
        &self.merchants
    }

    /// The counts, merchant-major (`counts[(i * leaves + l) * grades + j]`).
    pub fn counts(&self) -> &[u32] {
        &self.counts
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
        scorer.score_counts_vec(&self.counts)
    }
}

/// The state of one read.
struct Tally {
    lookups: Lookups,
    merchant_index: HashMap<String, usize>,
    /// The last merchant looked up and its index.
    last_merchant: Option<(String, usize)>,
    /// The previous row's leaf (long format).
    last_leaf: usize,
    /// Dictionary keys of the merchant and indicator columns resolved so far.
    merchant_memo: Memo,
    leaf_memo: Memo,
    out: ParquetTally,
    /// The leaf of each indicator column of a wide layout.
    wide: Vec<usize>,
}

impl Tally {
    /// The index of merchant `name` (added when new); the last one is remembered, as a
    /// respondent's answers usually follow each other.
    #[inline]
    fn merchant(&mut self, name: &str) -> usize {
        if let Some((last, i)) = &self.last_merchant {
            if last == name {
                return *i;
            }
        }
        let i = self.merchant_slow(name);
        match &mut self.last_merchant {
            Some((last, at)) => {
                last.clear();
                last.push_str(name);
                *at = i;
            }
            None => self.last_merchant = Some((name.to_owned(), i)),
        }
        i
    }

    fn merchant_slow(&mut self, name: &str) -> usize {
        if let Some(&i) = self.merchant_index.get(name) {
            return i;
        }
        let i = self.out.merchants.len();
        self.out.merchants.push(name.to_owned());
        self.merchant_index.insert(name.to_owned(), i);
        let block = self.lookups.leaf_ids.len() * self.lookups.m;
        self.out.counts.resize(self.out.counts.len() + block, 0);
        i
    }

    fn count(
        &mut self,
        merchant: usize,
        leaf: usize,
        grade: usize,
        column: &str,
        row: u64,
    ) -> Result<()> {
        let m = self.lookups.m;
        let at = (merchant * self.lookups.leaf_ids.len() + leaf) * m + grade;
        let Some(next) = self.out.counts[at].checked_add(1) else {
            return Err(ArrowError::Count {
                column: column.to_owned(),
                row: usize::try_from(row).unwrap_or(usize::MAX),
                value: i128::from(u32::MAX) + 1,
            }
            .into());
        };
        self.out.counts[at] = next;
        self.out.answers += 1;
        Ok(())
    }

    fn push(
        &mut self,
        batch: &RecordBatch,
        names: &[String],
        layout: &ParquetLayout,
    ) -> Result<()> {
        let first = self.out.rows;
        // the projection keeps the file's column order: find each column by name
        let columns = names
            .iter()
            .map(|name| {
                batch.column_by_name(name).ok_or_else(|| {
                    crate::Error::from(ArrowError::MissingColumn {
                        column: name.clone(),
                        available: batch
                            .schema()
                            .fields()
                            .iter()
                            .map(|f| f.name().clone())
                            .collect(),
                    })
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let merchants = Strings::of(columns[0], &names[0])?;
        let merchant_array = columns[0];
        match layout {
            ParquetLayout::Long { .. } => {
                let indicators = Strings::of(columns[1], &names[1])?;
                let grades = Grades::of(columns[2], &names[2])?;
                let k = self.lookups.leaf_ids.len();
                let mut merchant_memo = std::mem::take(&mut self.merchant_memo);
                merchant_memo.refresh(merchant_array, &merchants);
                let mut leaf_memo = std::mem::take(&mut self.leaf_memo);
                leaf_memo.refresh(columns[1], &indicators);
                for i in 0..batch.num_rows() {
                    let row = first + i as u64;
                    let guess = (self.last_leaf + 1) % k;
                    let lookups = &self.lookups;
                    let leaf = leaf_memo.get(&indicators, i, |id| {
                        lookups.leaf(
                            id.ok_or_else(|| null(&names[1], row))?,
                            guess,
                            &names[1],
                            row,
                        )
                    })?;
                    self.last_leaf = leaf;
                    let merchant = merchant_memo.get(&merchants, i, |name| {
                        Ok(self.merchant(name.ok_or_else(|| null(&names[0], row))?))
                    })?;
                    match grades.get(i, &self.lookups, &names[2], row)? {
                        Some(j) => self.count(merchant, leaf, j, &names[2], row)?,
                        None => self.out.missing += 1,
                    }
                }
                self.merchant_memo = merchant_memo;
                self.leaf_memo = leaf_memo;
            }
            ParquetLayout::Wide { .. } => {
                let columns = (1..names.len())
                    .map(|c| Grades::of(columns[c], &names[c]))
                    .collect::<Result<Vec<_>>>()?;
                let mut merchant_memo = std::mem::take(&mut self.merchant_memo);
                merchant_memo.refresh(merchant_array, &merchants);
                for i in 0..batch.num_rows() {
                    let row = first + i as u64;
                    let merchant = merchant_memo.get(&merchants, i, |name| {
                        Ok(self.merchant(name.ok_or_else(|| null(&names[0], row))?))
                    })?;
                    for (c, grades) in columns.iter().enumerate() {
                        let column = &names[c + 1];
                        match grades.get(i, &self.lookups, column, row)? {
                            Some(j) => self.count(merchant, self.wide[c], j, column, row)?,
                            None => self.out.missing += 1,
                        }
                    }
                }
                self.merchant_memo = merchant_memo;
            }
        }
        self.out.rows += batch.num_rows() as u64;
        Ok(())
    }
}

/// The reader's metadata with the string columns the tally resolves by value (the merchant;
/// the indicator of a long layout) asked for as dictionaries: Parquet stores such columns
/// dictionary-encoded, and reading them so decodes each distinct string once per row group
/// instead of once per row. Unchanged when the file's schema does not allow it.
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
        .map(|f| match f.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 if by_value.contains(&f.name().as_str()) => {
                Field::new(
                    f.name(),
                    DataType::Dictionary(
                        Box::new(DataType::Int32),
                        Box::new(f.data_type().clone()),
                    ),
                    f.is_nullable(),
                )
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

fn null(column: &str, row: u64) -> crate::Error {
    ArrowError::Null {
        column: column.to_owned(),
        row: usize::try_from(row).unwrap_or(usize::MAX),
    }
    .into()
}

fn value_error(column: &str, row: u64, value: &str, problem: String) -> crate::Error {
    ArrowError::Value {
        column: column.to_owned(),
        row: usize::try_from(row).unwrap_or(usize::MAX),
        value: value.to_owned(),
        problem,
    }
    .into()
}

fn parquet_error(path: &Path, message: String) -> crate::Error {
    ArrowError::Parquet {
        file: path.display().to_string(),
        message,
    }
    .into()
}
