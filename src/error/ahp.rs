//! Errors of pairwise comparison matrices, AHP priorities, consistency and fuzzy AHP.

use crate::ahp::RandomIndexKind;

/// Errors of pairwise comparison matrices and their judgements, random index tables,
/// consistency checks and fuzzy AHP.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AhpError {
    /// The rows given for an `n x n` matrix do not form a square.
    #[error("matrix must be square: row {row} has {found} entries, expected {expected}")]
    NotSquare {
        /// Index of the first offending row.
        row: usize,
        /// Expected row length (the number of rows).
        expected: usize,
        /// Length actually found.
        found: usize,
    },
    /// A matrix entry is NaN, infinite, zero or negative, or positive but so small that its
    /// reciprocal overflows `f64` (below `1 / f64::MAX`, about 5.6e-309); the message says
    /// which.
    #[error("entry ({row}, {col}) {}", crate::ahp::entry_problem(.value))]
    InvalidEntry {
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based).
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// A diagonal entry of a pairwise comparison matrix is not 1.
    #[error("diagonal entry ({index}, {index}) must be 1, got {value}")]
    DiagonalNotOne {
        /// Row (and column) index.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// `a_ji` is not `1 / a_ij` within the relative tolerance.
    #[error(
        "entries ({i}, {j}) = {a_ij} and ({j}, {i}) = {a_ji} are not reciprocal \
         (relative tolerance {rtol})"
    )]
    NotReciprocal {
        /// Row of the upper entry.
        i: usize,
        /// Column of the upper entry.
        j: usize,
        /// Value at `(i, j)`.
        a_ij: f64,
        /// Value at `(j, i)`.
        a_ji: f64,
        /// Relative tolerance that was applied.
        rtol: f64,
    },
    /// A matrix would have more criteria than [`MAX_CRITERIA`](crate::MAX_CRITERIA).
    #[error("{n} criteria are more than the {max} a pairwise matrix may have")]
    TooManyCriteria {
        /// The requested size.
        n: usize,
        /// The limit.
        max: usize,
    },
    /// A judgement refers to an index outside the matrix.
    #[error("judgement ({i}, {j}) is out of range for {n} criteria")]
    JudgementOutOfRange {
        /// First index of the judgement.
        i: usize,
        /// Second index of the judgement.
        j: usize,
        /// Number of criteria.
        n: usize,
    },
    /// A judgement compares a criterion with itself with a value other than 1.
    #[error(
        "judgement ({index}, {index}) compares a criterion with itself and must be 1, got {value}"
    )]
    SelfJudgement {
        /// The criterion index.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// The same pair was judged twice with values that disagree.
    #[error(
        "pair ({i}, {j}) is judged twice with conflicting values: {first} and {second} \
         (both as a_{i}{j})"
    )]
    ConflictingJudgement {
        /// Row of the pair (the smaller index).
        i: usize,
        /// Column of the pair (the larger index).
        j: usize,
        /// The first value, expressed as `a_ij`.
        first: f64,
        /// The second value, expressed as `a_ij`.
        second: f64,
    },
    /// A pair has no judgement (complete matrices need all `n(n-1)/2` pairs).
    #[error("pair ({i}, {j}) has no judgement")]
    MissingJudgement {
        /// Smaller index of the pair.
        i: usize,
        /// Larger index of the pair.
        j: usize,
    },
    /// The graph of given comparisons is not connected, so the missing judgements cannot be
    /// completed: no chain of judgements links the groups of criteria.
    #[error("comparisons do not link all criteria; unlinked groups: {groups:?}")]
    DisconnectedComparisons {
        /// The connected components (criterion indices, each group sorted, groups ordered by
        /// their smallest index).
        groups: Vec<Vec<usize>>,
    },
    /// `n` is beyond the range of a random index table. The message names the built-in tables
    /// that cover `n` and how to pass a custom one.
    #[error(
        "random index table {table} covers n <= {max_n}, got n = {n}; {}",
        crate::ahp::random_index_hint(.n)
    )]
    RandomIndexOutOfRange {
        /// The table (its `Display` is the table's name, as in the message).
        table: RandomIndexKind,
        /// Largest `n` the table covers.
        max_n: usize,
        /// The requested size.
        n: usize,
    },
    /// A user-supplied random index value is invalid.
    #[error("random index for n = {n} must be finite and > 0 (n >= 3) or 0 (n <= 2), got {value}")]
    InvalidRandomIndex {
        /// The size the value is for.
        n: usize,
        /// The rejected value.
        value: f64,
    },
    /// A consistency ratio is not below the requested threshold.
    #[doc(alias = "CR")]
    #[error("consistency ratio {cr} is not below the threshold {threshold}")]
    Inconsistent {
        /// The consistency ratio.
        cr: f64,
        /// The threshold it had to be below.
        threshold: f64,
    },
    /// A priority vector given to a consensus measure has a zero weight (a pairwise matrix's
    /// priorities are all positive; with zeros Goepel's `S*` falls far below 0).
    #[error(
        "priority {index} is {value}; the consensus indicator needs every priority > 0, \
         as the priorities of a pairwise matrix are"
    )]
    ZeroPriority {
        /// Index of the criterion.
        index: usize,
        /// The rejected weight.
        value: f64,
    },
    /// A triangular fuzzy number violates `0 < l <= m <= u < inf`.
    #[error("triangular fuzzy number ({l}, {m}, {u}) must satisfy 0 < l <= m <= u, all finite")]
    InvalidFuzzyNumber {
        /// Lower bound.
        l: f64,
        /// Modal value.
        m: f64,
        /// Upper bound.
        u: f64,
    },
    /// A value is not on the 1–9 integer scale used to look up fuzzy judgements.
    #[error("fuzzy scale value must be an integer from 1 to 9, got {value}")]
    NotOnFuzzyScale {
        /// The rejected value.
        value: f64,
    },
}
