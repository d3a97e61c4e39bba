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
    /// A Parquet file that cannot be read: not Parquet, corrupt, or declaring a column chunk
    /// beyond the reader's limit.
    #[error("{}parquet: {message}", file_prefix(.file))]
    Parquet {
        /// The file (empty when reading from memory).
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A value that is not what the model expects: an unknown indicator id, a grade index out of
    /// range, an unknown grade label.
    #[error("column `{column}`, row {row}: `{value}` is {problem}")]
    Value {
        /// The column.
        column: String,
        /// The 0-based row of the file or record batch.
        row: usize,
        /// The value as read.
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A column of a wide layout mapped to a leaf id that is not in the model.
    #[error("column `{column}` is mapped to `{leaf}`, which is not an indicator of the model ({})", leaves.join(", "))]
    UnknownLeaf {
        /// The column.
        column: String,
        /// The leaf id it was mapped to.
        leaf: String,
        /// The model's leaf ids.
        leaves: Vec<String>,
    },
}

fn file_prefix(file: &str) -> String {
    if file.is_empty() {
        String::new()
    } else {
        format!("{file}: ")
    }
}
