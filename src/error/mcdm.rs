//! Errors of the multi-criteria decision methods (objective weights, combined weights, TOPSIS,
//! grey relational analysis, rank-sum ratio, VIKOR, method comparison).

use core::fmt;

/// A method of [`mcdm`](crate::mcdm), named in its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum McdmMethod {
    /// Entropy weights.
    Entropy,
    /// CRITIC weights.
    Critic,
    /// Coefficient-of-variation weights.
    CoefficientOfVariation,
    /// Standard-deviation weights.
    StandardDeviation,
    /// Combination of subjective and objective weights.
    Combination,
    /// TOPSIS.
    Topsis,
    /// Grey relational analysis.
    GreyRelational,
    /// Rank-sum ratio.
    RankSumRatio,
    /// VIKOR.
    Vikor,
}

impl fmt::Display for McdmMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Entropy => "entropy weights",
            Self::Critic => "CRITIC weights",
            Self::CoefficientOfVariation => "coefficient-of-variation weights",
            Self::StandardDeviation => "standard-deviation weights",
            Self::Combination => "combined weights",
            Self::Topsis => "TOPSIS",
            Self::GreyRelational => "grey relational analysis",
            Self::RankSumRatio => "rank-sum ratio",
            Self::Vikor => "VIKOR",
        })
    }
}

/// Errors of [`mcdm`](crate::mcdm): a decision matrix that cannot be built, weights or
/// parameters that do not fit it, or data on which a method is undefined.
///
/// Values that are undefined for only part of the data have documented defined values instead
/// (a constant criterion gets objective weight 0, a constant column adds no distance in TOPSIS,
/// ...); these errors are for the cases where no meaningful result exists.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix};
/// use service_quality::{Error, McdmError};
///
/// let err = DecisionMatrix::new(
///     vec!["shop-a".into()],
///     vec!["speed".into()],
///     vec![CriterionType::Benefit],
///     &[[1.0]],
/// )
/// .unwrap_err();
/// assert!(matches!(err, Error::Mcdm(McdmError::TooFewAlternatives { found: 1 })));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum McdmError {
    /// Fewer than two alternatives: nothing to compare or rank.
    #[error("a decision matrix needs at least 2 alternatives, got {found}")]
    TooFewAlternatives {
        /// Alternatives given.
        found: usize,
    },
    /// No criterion at all.
    #[error("a decision matrix needs at least 1 criterion")]
    NoCriteria,
    /// A row of the matrix does not have one value per criterion.
    #[error("row {row} (alternative `{alternative}`) has {found} values, expected {expected}")]
    RowLength {
        /// 0-based row index.
        row: usize,
        /// The alternative's name.
        alternative: String,
        /// Number of criteria.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// The number of rows differs from the number of alternative names.
    #[error("{found} rows of values for {expected} alternatives")]
    RowCount {
        /// Alternatives named.
        expected: usize,
        /// Rows given.
        found: usize,
    },
    /// The criterion types (benefit/cost) do not match the criteria one to one.
    #[error("{found} criterion types for {expected} criteria")]
    CriterionTypes {
        /// Number of criteria.
        expected: usize,
        /// Types given.
        found: usize,
    },
    /// An alternative or criterion name is given twice.
    #[error("{what} `{name}` is given twice")]
    DuplicateName {
        /// `"alternative"` or `"criterion"`.
        what: &'static str,
        /// The repeated name.
        name: String,
    },
    /// A value is NaN, infinite or larger in magnitude than
    /// [`MAX_ABS_VALUE`](crate::mcdm::MAX_ABS_VALUE).
    #[error("value of alternative `{alternative}` on criterion `{criterion}` must be finite and at most 1e100 in magnitude, got {value}")]
    InvalidValue {
        /// The alternative.
        alternative: String,
        /// The criterion.
        criterion: String,
        /// The rejected value.
        value: f64,
    },
    /// A method needs values of a sign the data does not have: `> 0` (reciprocals, a
    /// coefficient of variation's mean) or `>= 0` (entropy shares).
    #[error("{method} needs {requirement} values, but alternative `{alternative}` has {value} on criterion `{criterion}`")]
    NotPositive {
        /// The method.
        method: McdmMethod,
        /// `"positive"` or `"non-negative"`.
        requirement: &'static str,
        /// The alternative.
        alternative: String,
        /// The criterion.
        criterion: String,
        /// The rejected value.
        value: f64,
    },
    /// A criterion whose values sum to zero (every value 0) where a method divides by the sum
    /// or the mean (entropy shares, coefficient of variation, vector norm).
    #[error("{method} is undefined on criterion `{criterion}`: its values sum to zero")]
    ZeroColumn {
        /// The method.
        method: McdmMethod,
        /// The criterion.
        criterion: String,
    },
    /// The data do not discriminate at all: every criterion is constant (objective weights
    /// are all zero), or every alternative ties with the ideal on every weighted criterion.
    #[error("{method} is undefined: {reason}")]
    NoDiscrimination {
        /// The method.
        method: McdmMethod,
        /// What is constant, in words.
        reason: &'static str,
    },
    /// The weight vector does not have one weight per criterion.
    #[error("{method}: {found} weights for {expected} criteria")]
    WeightCount {
        /// The method.
        method: McdmMethod,
        /// Number of criteria.
        expected: usize,
        /// Weights given.
        found: usize,
    },
    /// A parameter of a method is out of its range.
    #[error("{method}: parameter `{name}` must be in {range}, got {value}")]
    InvalidParameter {
        /// The method.
        method: McdmMethod,
        /// The parameter's name (`rho`, `v`, `alpha`, ...).
        name: &'static str,
        /// The allowed range, in words.
        range: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// An evaluation report lacks a line the decision matrix takes from the first report (an
    /// indicator excluded for lack of answers, or reports of different trees).
    #[error("merchant `{merchant}` has no `{criterion}` in its report")]
    MissingCriterion {
        /// The merchant whose report lacks it.
        merchant: String,
        /// The criterion (node id).
        criterion: String,
    },
    /// The rankings compared do not rank the same number of alternatives.
    #[error("ranking `{name}` ranks {found} alternatives, expected {expected}")]
    RankingLength {
        /// The ranking's name.
        name: String,
        /// Alternatives of the comparison.
        expected: usize,
        /// Alternatives ranked.
        found: usize,
    },
}
