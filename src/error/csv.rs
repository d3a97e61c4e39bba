//! Errors of CSV files.

#[cfg(feature = "csv")]
use std::sync::Arc;

/// Errors of a CSV file: its header, its cells, or the reader itself. Errors of a row's content
/// reach the caller wrapped in [`Error::AtLine`](crate::Error::AtLine).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// A CSV header names a column that is neither an indicator (a leaf of the hierarchy for
    /// survey files, an indicator of the KPI model for KPI files) nor a known or ignored
    /// column.
    #[error(
        "column {col} `{column}` is neither an indicator nor a known or ignored column (line 1)"
    )]
    UnknownColumn {
        /// The column name.
        column: String,
        /// 1-based column number.
        col: usize,
    },
    /// A CSV header names the same column twice.
    #[error("column `{column}` appears twice, as columns {first} and {second} (line 1)")]
    DuplicateColumn {
        /// The column name.
        column: String,
        /// 1-based number of the first occurrence.
        first: usize,
        /// 1-based number of the second occurrence.
        second: usize,
    },
    /// A required CSV column is absent from the header.
    #[error("required column `{column}` is missing from the header")]
    MissingColumn {
        /// The required column name.
        column: String,
    },
    /// A CSV row has a different number of cells than the header.
    #[error("line {line}: {found} cells, expected {expected} (as in the header)")]
    CellCount {
        /// 1-based line number in the file.
        line: u64,
        /// Number of header columns.
        expected: usize,
        /// Number of cells in the row.
        found: usize,
    },
    /// A CSV data row holds nothing: only whitespace, or one empty quoted cell (`""`).
    ///
    /// Such a row is always skipped and recorded in
    /// [`CsvRead::skipped`](crate::input::CsvRead::skipped), whatever
    /// [`OnBadRow`](crate::input::OnBadRow) says. (Empty lines are not records: they are
    /// ignored.)
    #[error("line {line}: blank row (only whitespace or one empty quoted cell)")]
    BlankRow {
        /// 1-based line number.
        line: u64,
    },
    /// A quoted CSV field is never closed: the rest of the file after its opening quote was
    /// read as one cell.
    #[error("line {line}: a quoted field opens here and is never closed (the rest of the file was read as one cell)")]
    UnterminatedQuote {
        /// 1-based line of the opening quote.
        line: u64,
    },
    /// A CSV cell cannot be read as what its column holds (a grade, a number, a class).
    #[error("line {line}, column {col} `{column}`: {cell:?} is not {expected}")]
    BadCell {
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        col: usize,
        /// The column name.
        column: String,
        /// The cell text.
        cell: String,
        /// What the cell should hold (for example `"a grade label or number 1..=5"`).
        expected: String,
    },
    /// The CSV reader failed (I/O, invalid UTF-8, broken quoting).
    ///
    /// The reader's error is kept as the [`source`](std::error::Error::source), behind an
    /// [`Arc`] so that `CsvError` stays `Clone` (downcast the source to `Arc<csv::Error>`, or
    /// match the variant). Two `Reader` errors are equal when their lines and the messages of
    /// their sources are.
    #[cfg(feature = "csv")]
    #[cfg_attr(docsrs, doc(cfg(feature = "csv")))]
    #[error("csv{}: {source}", match .line { Some(l) => format!(" line {l}"), None => String::new() })]
    Reader {
        /// 1-based line number, when known.
        line: Option<u64>,
        /// The reader's error (an I/O error is inside it, as its own source).
        #[source]
        source: Arc<csv::Error>,
    },
}

/// Compares the fields of every variant; the [`Reader`](CsvError::Reader) sources, which have no
/// `PartialEq`, by their messages.
impl PartialEq for CsvError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Self::UnknownColumn { column, col },
                Self::UnknownColumn {
                    column: column2,
                    col: col2,
                },
            ) => column == column2 && col == col2,
            (
                Self::DuplicateColumn {
                    column,
                    first,
                    second,
                },
                Self::DuplicateColumn {
                    column: column2,
                    first: first2,
                    second: second2,
                },
            ) => column == column2 && first == first2 && second == second2,
            (Self::MissingColumn { column }, Self::MissingColumn { column: column2 }) => {
                column == column2
            }
            (Self::BlankRow { line }, Self::BlankRow { line: line2 })
            | (Self::UnterminatedQuote { line }, Self::UnterminatedQuote { line: line2 }) => {
                line == line2
            }
            (
                Self::CellCount {
                    line,
                    expected,
                    found,
                },
                Self::CellCount {
                    line: line2,
                    expected: expected2,
                    found: found2,
                },
            ) => line == line2 && expected == expected2 && found == found2,
            (
                Self::BadCell {
                    line,
                    col,
                    column,
                    cell,
                    expected,
                },
                Self::BadCell {
                    line: line2,
                    col: col2,
                    column: column2,
                    cell: cell2,
                    expected: expected2,
                },
            ) => {
                line == line2
                    && col == col2
                    && column == column2
                    && cell == cell2
                    && expected == expected2
            }
            #[cfg(feature = "csv")]
            (
                Self::Reader { line, source },
                Self::Reader {
                    line: line2,
                    source: source2,
                },
            ) => {
                line == line2
                    && (Arc::ptr_eq(source, source2) || source.to_string() == source2.to_string())
            }
            _ => false,
        }
    }
}
