//! Errors in Arrow data given to the batch scorer: missing columns, wrong types, nulls, counts
//! out of range.

/// Errors in Arrow record batches (feature `arrow`): a column that is missing or of the wrong
/// type, a null where a value is needed, a count that does not fit.
///
/// Each names the column and, where there is one, the row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArrowError {
    /// The record batch has no column of this name.
    #[error("no column `{column}` in the record batch (columns: {})", available.join(", "))]
    MissingColumn {
        /// The column looked for.
        column: String,
        /// The columns the batch has.
        available: Vec<String>,
    },
    /// A column has a type the scorer does not read.
    #[error("column `{column}` has type {found}, expected {expected}")]
    ColumnType {
        /// The column.
        column: String,
        /// What the scorer reads there.
        expected: &'static str,
        /// The column's type.
        found: String,
    },
    /// A list column's fixed size is not leaves x grades.
    #[error(
        "column `{column}` holds lists of {found} values, expected {expected} (leaves x grades)"
    )]
    ListSize {
        /// The column.
        column: String,
        /// Leaves x grades of the scorer.
        expected: usize,
        /// The list size of the column.
        found: usize,
    },
    /// The number of count columns is not leaves x grades.
    #[error("{found} count columns given, expected {expected} (leaves x grades)")]
    ColumnCount {
        /// Leaves x grades of the scorer.
        expected: usize,
        /// Columns given.
        found: usize,
    },
    /// A null where a value is needed (a merchant, a count, a membership).
    #[error("column `{column}`, row {row}: null")]
    Null {
        /// The column.
        column: String,
        /// The 0-based row of the record batch.
        row: usize,
    },
    /// A grade count that is negative or does not fit in 32 bits.
    #[error("column `{column}`, row {row}: the count {value} is not within 0..=4294967295")]
    Count {
        /// The column.
        column: String,
        /// The 0-based row of the record batch.
        row: usize,
        /// The count.
        value: i128,
    },
    /// An error of the Arrow library itself (building the output batch).
    #[error("arrow: {message}")]
    Arrow {
        /// Arrow's message.
        message: String,
    },
}
