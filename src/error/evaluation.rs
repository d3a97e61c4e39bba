//! Errors of fuzzy comprehensive evaluation.

/// Errors of fuzzy comprehensive evaluation: grade sets, membership matrices, composition, and
/// the match between the data and the hierarchy.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// A grade set has fewer than two grades.
    #[error("a grade set needs at least 2 grades, got {found}")]
    TooFewGrades {
        /// Number of grades given.
        found: usize,
    },
    /// Two grades share a label (English or Chinese, compared ignoring case and surrounding
    /// whitespace).
    #[error("grades {first} and {second} share the label {label:?}")]
    DuplicateGradeLabel {
        /// The shared label.
        label: String,
        /// Index of the first grade with it.
        first: usize,
        /// Index of the second grade with it.
        second: usize,
    },
    /// A grade's English label is empty (or only whitespace).
    #[error("grade {index} has an empty label")]
    EmptyGradeLabel {
        /// Index of the grade.
        index: usize,
    },
    /// A grade's numeric value is NaN, infinite or beyond
    /// [`GradeSet::MAX_ABS_VALUE`](crate::GradeSet::MAX_ABS_VALUE) in magnitude.
    #[error("grade {index} must have a finite value with |value| <= 1e12, got {value}")]
    InvalidGradeValue {
        /// Index of the grade.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// A membership entry is NaN, infinite or outside `[0, 1]`.
    #[error("membership ({row}, {col}) must be finite and in [0, 1], got {value}")]
    InvalidMembership {
        /// Row (indicator) index.
        row: usize,
        /// Column (grade) index.
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// A membership row does not have one entry per grade.
    #[error("membership row {row} has {found} entries, expected {expected} (one per grade)")]
    MembershipRowLength {
        /// Row (indicator) index.
        row: usize,
        /// Number of grades.
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// The weight vector of a composition does not have one weight per row of `R`.
    #[error("{weights} weights for a membership matrix with {rows} rows")]
    WeightCountMismatch {
        /// Number of weights.
        weights: usize,
        /// Number of rows of the membership matrix.
        rows: usize,
    },
    /// A composition weight is NaN, infinite or outside `[0, 1]`.
    #[error("composition weight {index} must be finite and in [0, 1], got {value}")]
    CompositionWeight {
        /// Index of the weight.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// Memberships over one number of grades were combined with a grade set (or scale) of
    /// another size.
    #[error("{found} membership columns or breakpoints for a grade set of {grades} grades")]
    GradeCountMismatch {
        /// Number of grades in the grade set.
        grades: usize,
        /// Number of columns (or breakpoints) found.
        found: usize,
    },
    /// A composed membership vector `B` sums to 0, so it has no normalised form, no
    /// maximum-membership grade and no score (returned instead of dividing by zero).
    #[error("membership vector sums to 0 (no grade has any membership); it cannot be normalised")]
    ZeroMembership,
    /// The data has memberships for an indicator id that is not a leaf of the hierarchy.
    #[error("the data has indicator `{id}`, which is not an indicator (leaf) of the hierarchy")]
    UnknownIndicator {
        /// The id found in the data.
        id: String,
    },
    /// An indicator (leaf) of the hierarchy has no entry in the data.
    #[error("indicator `{id}` of the hierarchy is missing from the data")]
    MissingIndicator {
        /// The leaf id.
        id: String,
    },
    /// An indicator has an entry in the data but not a single answer or measurement.
    #[error("indicator `{id}` has no answers ({missing} missing); exclude it explicitly to evaluate without it")]
    NoAnswers {
        /// The leaf id.
        id: String,
        /// Number of missing answers counted for it.
        missing: usize,
    },
    /// Every indicator was excluded, so nothing is left to evaluate.
    #[error("every indicator was excluded for lack of answers; nothing to evaluate")]
    NothingToEvaluate,
}
