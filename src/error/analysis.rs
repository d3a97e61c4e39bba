//! Errors of the statistical analysis of answers, scores and KPIs.

/// Errors of [`analysis`](crate::analysis): a data table that cannot be built, or too little
/// data (or too little spread) for a statistic to be defined.
///
/// Statistics that are undefined for only part of the input (a correlation with a constant
/// variable, the skewness of a constant item) are `None` in the result instead; these errors
/// are for the cases where nothing useful can be returned.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{MissingPolicy, Reliability, Responses};
/// use service_quality::{AnalysisError, Error};
///
/// let one_item = Responses::new(vec!["q".into()], vec![vec![Some(1.0)], vec![Some(2.0)]])?;
/// let err = Reliability::of(&one_item, MissingPolicy::Listwise).unwrap_err();
/// assert!(matches!(err, Error::Analysis(AnalysisError::TooFewItems { found: 1, .. })));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// A table has no variable (item, indicator, measure) at all.
    #[error("the table has no variables")]
    NoVariables,
    /// The same variable id was given twice.
    #[error("variable `{id}` is given twice")]
    DuplicateVariable {
        /// The repeated id.
        id: String,
    },
    /// A row (or column) does not have one value per variable (or per row).
    #[error("row {row} has {found} values, expected {expected}")]
    RowLength {
        /// 0-based index of the row (or column) at fault.
        row: usize,
        /// Number of variables (or rows).
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// A value is NaN, infinite or larger in magnitude than
    /// [`MAX_ABS_VALUE`](crate::analysis::MAX_ABS_VALUE) (a missing value is `None`, never NaN).
    #[error("value of `{variable}` in row {row} must be finite and at most 1e60 in magnitude, got {value}")]
    ValueOutOfRange {
        /// 0-based row index (the period, for a series).
        row: usize,
        /// The variable id (`series` or `times` for a series).
        variable: String,
        /// The rejected value.
        value: f64,
    },
    /// A variable id that the table does not have.
    #[error("the table has no variable `{id}`")]
    UnknownVariable {
        /// The id asked for.
        id: String,
    },
    /// A code is not the 0-based index of a grade of the grade set.
    #[error("value {value} of `{variable}` is not a grade index below {grades}")]
    NotAGrade {
        /// The variable id.
        variable: String,
        /// The rejected code.
        value: f64,
        /// Number of grades.
        grades: usize,
    },
    /// Fewer observations (respondents, merchants, periods) than the statistic needs, after
    /// missing values are left out.
    #[error("{what} needs at least {needed} observations, got {found}")]
    TooFewObservations {
        /// The statistic.
        what: &'static str,
        /// The minimum.
        needed: usize,
        /// Observations available.
        found: usize,
    },
    /// Fewer variables (items) than the statistic needs.
    #[error("{what} needs at least {needed} items, got {found}")]
    TooFewItems {
        /// The statistic.
        what: &'static str,
        /// The minimum.
        needed: usize,
        /// Items given.
        found: usize,
    },
    /// The statistic divides by a variance that is zero: every respondent gave the same total
    /// score (reliability), or a series is constant where its spread is needed.
    #[error("{what} is undefined: the variance of {of} is zero")]
    ZeroVariance {
        /// The statistic.
        what: &'static str,
        /// Whose variance is zero.
        of: &'static str,
    },
    /// A parameter (window length, ...) is out of its range.
    #[error("{what} must be in {range}, got {value}")]
    InvalidParameter {
        /// The parameter.
        what: &'static str,
        /// The allowed range, in words.
        range: &'static str,
        /// The rejected value.
        value: usize,
    },
    /// The correlation matrix is singular (an item is a linear combination of others, or there
    /// are fewer respondents than items), so the statistic, which needs its inverse or its
    /// logarithm of the determinant, is undefined.
    #[error("{what} is undefined: the correlation matrix of the items is singular")]
    SingularCorrelation {
        /// The statistic.
        what: &'static str,
    },
    /// A one-to-one assignment of factors to the hierarchy's dimensions needs at least one
    /// factor per dimension.
    #[error("a factor of its own for each of {dimensions} dimensions needs at least {dimensions} factors, got {factors}")]
    TooFewFactors {
        /// Dimensions of the tree among the items.
        dimensions: usize,
        /// Factors the analysis kept.
        factors: usize,
    },
    /// k-means was asked for more clusters than there are distinct complete rows (merchants)
    /// to put in them.
    #[error("{clusters} clusters need at least {clusters} distinct complete rows, got {distinct} distinct of {rows}")]
    TooManyClusters {
        /// Clusters asked for.
        clusters: usize,
        /// Complete rows (rows with a missing value are left out).
        rows: usize,
        /// Distinct points among them.
        distinct: usize,
    },
}
