//! Errors of batch scoring.

use core::fmt;

/// Errors of the inputs of batch scoring.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// A batch input is not a whole number of blocks (merchants x leaves x grades).
    #[error(
        "{what} has {len} values, which is not a multiple of {unit} (leaves x grades or leaves)"
    )]
    BatchLength {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The block size it must be a multiple of.
        unit: usize,
    },
    /// Merchant offsets of survey answers are malformed.
    #[error("survey answer offsets are invalid at index {index}: {reason}")]
    InvalidOffsets {
        /// Index of the first bad offset (or row).
        index: usize,
        /// What is wrong.
        reason: OffsetsProblem,
    },
}

/// What is wrong with the merchant offsets of survey answers
/// ([`BatchError::InvalidOffsets`]).
///
/// `Display` gives the words of the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OffsetsProblem {
    /// There are no offsets at all (not even the leading 0).
    Missing,
    /// The first offset is not 0.
    FirstNotZero,
    /// An offset is smaller than the one before.
    Decreasing,
    /// The last offset is not the number of rows.
    LastNotRowCount,
    /// The rows of one merchant are not next to each other.
    NotContiguous,
}

impl fmt::Display for OffsetsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "offsets must hold at least the leading 0",
            Self::FirstNotZero => "the first offset must be 0",
            Self::Decreasing => "offsets must not decrease",
            Self::LastNotRowCount => "the last offset must be the number of rows",
            Self::NotContiguous => "rows of a merchant must be contiguous",
        })
    }
}
