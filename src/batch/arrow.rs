//! Arrow record batches in and out of the batch scorer (feature `arrow`).
//!
//! A data platform holds grade counts (or memberships) per merchant in Arrow memory — read
//! from Parquet, returned by a SQL engine's `GROUP BY`, passed from Python. [`ArrowScoring`]
//! says where the merchant and the counts are in a [`RecordBatch`];
//! [`BatchScorer::score_record_batch`] scores it into a new record batch with one row per input
//! row:
//!
//! | column | type | content |
//! |---|---|---|
//! | the merchant column | as in the input | the input column itself (shared, not copied) |
//! | `score` | `Float64`, nullable | the merchant's score; null when it could not be scored |
//! | `grade` | `UInt32`, nullable | the grade index (0 = first grade of the grade set); null likewise |
//! | `error` | `Utf8`, nullable | why the merchant could not be scored; null when it was |
//! | `b_<node id>` (optional) | `FixedSizeList<Float64>[grades]`, nullable | every node's normalised `B`, in preorder |
//!
//! # Input layouts
//!
//! - [`CountsLayout::List`]: one `FixedSizeList` column of `leaves x grades` values per row,
//!   leaves in the tree's preorder ([`BatchScorer::leaf_ids`]), grades in the grade set's order.
//!   `UInt8`, `UInt16` and `UInt32` values are scored in place (no copy); `Float64` values are
//!   memberships, also in place; `Int8`..`Int64` and `UInt64` (what SQL `COUNT` gives) are
//!   copied into `u32` counts, each checked to lie in `0..=u32::MAX`.
//! - [`CountsLayout::Columns`]: one column per leaf and grade, leaf-major
//!   (`columns[l * grades + j]`), all integer (counts) or all `Float64` (memberships); they are
//!   gathered into the scorer's merchant-major layout (a copy).
//!
//! A null merchant, a null list or a null value is an error naming the column and the row;
//! nothing is scored on a guess.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Array, FixedSizeListArray, Float64Array, RecordBatch, StringArray, UInt8Array};
//! use arrow_schema::{DataType, Field};
//! use service_quality::batch::{ArrowScoring, CountsLayout};
//! use service_quality::{BatchScorer, Evaluator, GradeSet, IndicatorTree, NodeSpec};
//!
//! let tree = IndicatorTree::new(
//!     NodeSpec::group("goal", "Service", vec![
//!         NodeSpec::leaf("speed", "Speed"),
//!         NodeSpec::leaf("attitude", "Attitude"),
//!     ]).with_weights(vec![0.6, 0.4]),
//! )?;
//! let scorer = BatchScorer::new(&Evaluator::new(&tree, GradeSet::satisfaction_5_points()))?;
//!
//! let counts = UInt8Array::from(vec![8, 2, 0, 0, 0, 6, 4, 0, 0, 0]);
//! let item = Arc::new(Field::new("item", DataType::UInt8, false));
//! let list = FixedSizeListArray::new(item, 10, Arc::new(counts), None);
//! let batch = RecordBatch::try_from_iter([
//!     ("merchant", Arc::new(StringArray::from(vec!["shop-a"])) as _),
//!     ("counts", Arc::new(list) as _),
//! ])?;
//!
//! let spec = ArrowScoring::new("merchant", CountsLayout::list("counts"));
//! let scored = scorer.score_record_batch(&batch, &spec)?;
//! let scores = scored.column_by_name("score").unwrap();
//! let scores = scores.as_any().downcast_ref::<Float64Array>().unwrap();
//! assert!((scores.value(0) - (0.6 * 4.8 + 0.4 * 4.6)).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type,
    UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, FixedSizeListArray, Float64Array, PrimitiveArray,
    RecordBatch, StringArray, UInt32Array,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema};

use crate::batch::{BatchOutput, BatchScorer, BatchSummary};
use crate::error::{ArrowError, Result};

/// Where the grade counts (or memberships) of each merchant are in a record batch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CountsLayout {
    /// One `FixedSizeList` column of `leaves x grades` values per row.
    List(String),
    /// One column per leaf and grade, leaf-major: `columns[l * grades + j]`.
    Columns(Vec<String>),
}

impl CountsLayout {
    /// The `FixedSizeList` column `column`.
    pub fn list(column: impl Into<String>) -> Self {
        Self::List(column.into())
    }

    /// The columns `columns`, leaf-major.
    pub fn columns<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        Self::Columns(columns.into_iter().map(Into::into).collect())
    }

    /// One column per leaf and grade, named by `name(leaf id, grade index)`, in the scorer's
    /// order (for example `|leaf, j| format!("{leaf}_{j}")`).
    pub fn columns_named(scorer: &BatchScorer, name: impl Fn(&str, usize) -> String) -> Self {
        let grades = scorer.n_grades();
        Self::Columns(
            scorer
                .leaf_ids()
                .iter()
                .flat_map(|leaf| (0..grades).map(|j| name(leaf, j)).collect::<Vec<_>>())
                .collect(),
        )
    }
}

/// What to read from a record batch and what to write: the merchant column, the counts'
/// layout, and whether to add every node's `B`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrowScoring {
    merchant: String,
    layout: CountsLayout,
    node_b: bool,
}

impl ArrowScoring {
    /// Merchants in column `merchant` (any type; copied to the output as it is), counts as
    /// `layout` says; no node `B` columns.
    pub fn new(merchant: impl Into<String>, layout: CountsLayout) -> Self {
        Self {
            merchant: merchant.into(),
            layout,
            node_b: false,
        }
    }

    /// Also writes every node's normalised `B` as a column `b_<node id>` (default `false`).
    pub fn with_node_b(mut self, node_b: bool) -> Self {
        self.node_b = node_b;
        self
    }

    /// The merchant column.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }

    /// The counts' layout.
    pub fn layout(&self) -> &CountsLayout {
        &self.layout
    }

    /// Whether node `B` columns are written.
    pub fn node_b(&self) -> bool {
        self.node_b
    }
}

/// The values of one merchant-major block, in place or converted.
enum Values<'a> {
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    Memberships(&'a [f64]),
    Owned(Vec<u32>),
    OwnedMemberships(Vec<f64>),
}

impl BatchScorer {
    /// Scores the merchants of an Arrow record batch; see [the module](crate::batch::arrow)
    /// for the layouts and the output columns.
    ///
    /// A merchant whose data cannot be scored gets null `score`, `grade` (and `B`) and its
    /// error in `error`; its index and error are also in the returned summary's failures.
    ///
    /// # Errors
    ///
    /// [`ArrowError`]: a missing column, a column of another type, a list of another size than
    /// `leaves x grades`, a null merchant, list or value (column and row named), a count
    /// outside `0..=u32::MAX`.
    pub fn score_record_batch(
        &self,
        batch: &RecordBatch,
        spec: &ArrowScoring,
    ) -> Result<RecordBatch> {
        self.score_record_batch_with_summary(batch, spec)
            .map(|(scored, _)| scored)
    }

    /// [`score_record_batch`](Self::score_record_batch), also returning the summary (merchants
    /// scored, failures with their row).
    ///
    /// # Errors
    ///
    /// As [`score_record_batch`](Self::score_record_batch).
    pub fn score_record_batch_with_summary(
        &self,
        batch: &RecordBatch,
        spec: &ArrowScoring,
    ) -> Result<(RecordBatch, BatchSummary)> {
        let merchant = column(batch, &spec.merchant)?;
        if let Some(row) = first_null(merchant.nulls()) {
            return Err(null(&spec.merchant, row));
        }
        let n = batch.num_rows();
        let inner: ArrayRef;
        let values = match &spec.layout {
            CountsLayout::List(name) => {
                inner = self.list_inner(batch, name)?;
                let block = self.n_leaves() * self.n_grades();
                list_or_columns_values(&inner, name, |at| at / block)?
            }
            CountsLayout::Columns(names) => self.column_values(batch, names)?,
        };
        let (mut scores, mut grades) = (vec![0.0; n], vec![0u32; n]);
        let mut node_b = vec![
            0.0;
            if spec.node_b {
                n * self.n_nodes() * self.n_grades()
            } else {
                0
            }
        ];
        let mut out = BatchOutput::new(&mut scores, &mut grades)?;
        if spec.node_b {
            out = out.with_node_b(&mut node_b);
        }
        let summary = match &values {
            Values::U8(x) => self.score_counts(x, out)?,
            Values::U16(x) => self.score_counts(x, out)?,
            Values::U32(x) => self.score_counts(x, out)?,
            Values::Owned(x) => self.score_counts(x, out)?,
            Values::Memberships(x) => self.score_memberships(x, out)?,
            Values::OwnedMemberships(x) => self.score_memberships(x, out)?,
        };
        let scored = self.output_batch(batch, spec, merchant, scores, grades, &node_b, &summary)?;
        Ok((scored, summary))
    }

    /// The values of a `FixedSizeList` column (the part the list's rows cover), checked for
    /// size and nulls.
    fn list_inner(&self, batch: &RecordBatch, name: &str) -> Result<ArrayRef> {
        let array = column(batch, name)?;
        let Some(list) = array.as_fixed_size_list_opt() else {
            return Err(wrong_type(
                name,
                "FixedSizeList of counts or Float64 memberships",
                array,
            ));
        };
        let block = self.n_leaves() * self.n_grades();
        let size = usize::try_from(list.value_length()).unwrap_or(0);
        if size != block {
            return Err(ArrowError::ListSize {
                column: name.to_owned(),
                expected: block,
                found: size,
            }
            .into());
        }
        if let Some(row) = first_null(list.nulls()) {
            return Err(null(name, row));
        }
        let start = usize::try_from(list.value_offset(0)).unwrap_or(0);
        let inner = list.values().slice(start, list.len() * block);
        if let Some(at) = first_null(inner.nulls()) {
            return Err(null(name, at / block));
        }
        Ok(inner)
    }

    /// The values of one column per leaf and grade, gathered merchant-major.
    fn column_values(&self, batch: &RecordBatch, names: &[String]) -> Result<Values<'static>> {
        let block = self.n_leaves() * self.n_grades();
        if names.len() != block {
            return Err(ArrowError::ColumnCount {
                expected: block,
                found: names.len(),
            }
            .into());
        }
        let n = batch.num_rows();
        let columns = names
            .iter()
            .map(|name| column(batch, name))
            .collect::<Result<Vec<_>>>()?;
        for (name, array) in names.iter().zip(&columns) {
            if let Some(row) = first_null(array.nulls()) {
                return Err(null(name, row));
            }
        }
        if columns.iter().all(|c| c.data_type() == &DataType::Float64) {
            let mut x = vec![0.0; n * block];
            for (c, array) in columns.iter().enumerate() {
                for (i, &v) in array
                    .as_primitive::<Float64Type>()
                    .values()
                    .iter()
                    .enumerate()
                {
                    x[i * block + c] = v;
                }
            }
            return Ok(Values::OwnedMemberships(x));
        }
        let mut x = vec![0u32; n * block];
        for ((c, array), name) in columns.iter().enumerate().zip(names) {
            let counts = match list_or_columns_values(array, name, |row| row)? {
                Values::U8(v) => v.iter().map(|&v| u32::from(v)).collect(),
                Values::U16(v) => v.iter().map(|&v| u32::from(v)).collect(),
                Values::U32(v) => v.to_vec(),
                Values::Owned(v) => v,
                Values::Memberships(_) | Values::OwnedMemberships(_) => {
                    return Err(wrong_type(
                        name,
                        "an integer count, like the other count columns",
                        array,
                    ))
                }
            };
            for (i, v) in counts.into_iter().enumerate() {
                x[i * block + c] = v;
            }
        }
        Ok(Values::Owned(x))
    }

    /// The output record batch: the merchant column, score, grade, error and node `B`.
    #[allow(clippy::too_many_arguments)]
    fn output_batch(
        &self,
        batch: &RecordBatch,
        spec: &ArrowScoring,
        merchant: &ArrayRef,
        scores: Vec<f64>,
        grades: Vec<u32>,
        node_b: &[f64],
        summary: &BatchSummary,
    ) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let mut valid = vec![true; n];
        let mut errors: Vec<Option<String>> = vec![None; n];
        for failure in summary.failures() {
            valid[failure.merchant] = false;
            errors[failure.merchant] = Some(failure.error.to_string());
        }
        let nulls = NullBuffer::from(valid);
        let merchant_field = batch
            .schema()
            .field_with_name(&spec.merchant)
            .cloned()
            .map_err(arrow_error)?;
        let mut fields = vec![
            merchant_field,
            Field::new("score", DataType::Float64, true),
            Field::new("grade", DataType::UInt32, true),
            Field::new("error", DataType::Utf8, true),
        ];
        let mut columns: Vec<ArrayRef> = vec![
            Arc::clone(merchant),
            Arc::new(Float64Array::new(scores.into(), Some(nulls.clone()))),
            Arc::new(UInt32Array::new(grades.into(), Some(nulls.clone()))),
            Arc::new(StringArray::from(errors)),
        ];
        if spec.node_b {
            let (nodes, m) = (self.n_nodes(), self.n_grades());
            let item = Arc::new(Field::new("item", DataType::Float64, false));
            let size = i32::try_from(m).map_err(|_| arrow_message("too many grades"))?;
            for (node, id) in self.node_ids().iter().enumerate() {
                let mut values = Vec::with_capacity(n * m);
                for i in 0..n {
                    let at = (i * nodes + node) * m;
                    values.extend_from_slice(&node_b[at..at + m]);
                }
                let list = FixedSizeListArray::try_new(
                    Arc::clone(&item),
                    size,
                    Arc::new(Float64Array::from(values)),
                    Some(nulls.clone()),
                )
                .map_err(arrow_error)?;
                fields.push(Field::new(
                    format!("b_{id}"),
                    DataType::FixedSizeList(Arc::clone(&item), size),
                    true,
                ));
                columns.push(Arc::new(list));
            }
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(arrow_error)
    }
}

/// The values of an array of counts or memberships: in place for `u8`/`u16`/`u32`/`f64`,
/// checked and copied for other integers. `row(at)` gives the record-batch row of value `at`.
fn list_or_columns_values<'a>(
    array: &'a ArrayRef,
    name: &str,
    row: impl Fn(usize) -> usize,
) -> Result<Values<'a>> {
    Ok(match array.data_type() {
        DataType::UInt8 => Values::U8(array.as_primitive::<UInt8Type>().values()),
        DataType::UInt16 => Values::U16(array.as_primitive::<UInt16Type>().values()),
        DataType::UInt32 => Values::U32(array.as_primitive::<UInt32Type>().values()),
        DataType::Float64 => Values::Memberships(array.as_primitive::<Float64Type>().values()),
        DataType::Int8 => Values::Owned(checked(array.as_primitive::<Int8Type>(), name, row)?),
        DataType::Int16 => Values::Owned(checked(array.as_primitive::<Int16Type>(), name, row)?),
        DataType::Int32 => Values::Owned(checked(array.as_primitive::<Int32Type>(), name, row)?),
        DataType::Int64 => Values::Owned(checked(array.as_primitive::<Int64Type>(), name, row)?),
        DataType::UInt64 => Values::Owned(checked(array.as_primitive::<UInt64Type>(), name, row)?),
        _ => {
            return Err(wrong_type(
                name,
                "integer counts (UInt8/16/32/64, Int8/16/32/64) or Float64 memberships",
                array,
            ))
        }
    })
}

/// Integer counts as `u32`, each checked to lie in `0..=u32::MAX`.
fn checked<T>(
    array: &PrimitiveArray<T>,
    name: &str,
    row: impl Fn(usize) -> usize,
) -> Result<Vec<u32>>
where
    T: ArrowPrimitiveType,
    T::Native: Into<i128>,
{
    array
        .values()
        .iter()
        .enumerate()
        .map(|(at, &v)| {
            let value: i128 = v.into();
            u32::try_from(value).map_err(|_| {
                ArrowError::Count {
                    column: name.to_owned(),
                    row: row(at),
                    value,
                }
                .into()
            })
        })
        .collect()
}

/// The column `name`, or the error listing the batch's columns.
pub(in crate::batch) fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef> {
    batch.column_by_name(name).ok_or_else(|| {
        ArrowError::MissingColumn {
            column: name.to_owned(),
            available: batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect(),
        }
        .into()
    })
}

fn first_null(nulls: Option<&NullBuffer>) -> Option<usize> {
    nulls.and_then(|n| n.iter().position(|valid| !valid))
}

fn null(column: &str, row: usize) -> crate::Error {
    ArrowError::Null {
        column: column.to_owned(),
        row,
    }
    .into()
}

fn wrong_type(column: &str, expected: &'static str, array: &ArrayRef) -> crate::Error {
    ArrowError::ColumnType {
        column: column.to_owned(),
        expected,
        found: array.data_type().to_string(),
    }
    .into()
}

fn arrow_error(e: arrow_schema::ArrowError) -> crate::Error {
    arrow_message(&e.to_string())
}

fn arrow_message(message: &str) -> crate::Error {
    ArrowError::Arrow {
        message: message.to_owned(),
    }
    .into()
}
