//! Errors of survey and KPI input.

use core::fmt;

/// Errors of survey answers and KPI measurements (in memory; errors of the CSV files they are
/// read from are [`CsvError`](crate::CsvError)).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Memberships were asked for a merchant that has no survey response or KPI case.
    #[error("merchant `{merchant}` has no data")]
    UnknownMerchant {
        /// The merchant name asked for.
        merchant: String,
    },
    /// The same indicator id was given twice.
    #[error("indicator `{id}` is given twice")]
    DuplicateIndicator {
        /// The repeated id.
        id: String,
    },
    /// A grade index in a survey answer is not below the number of grades.
    #[error("answer for indicator `{indicator}` is grade index {index}, but there are only {grades} grades")]
    GradeIndexOutOfRange {
        /// The indicator id.
        indicator: String,
        /// The rejected 0-based grade index.
        index: usize,
        /// Number of grades.
        grades: usize,
    },
    /// A measured KPI value is NaN, infinite or negative.
    #[error("case `{case}`: value of `{indicator}` must be finite and >= 0, got {value}")]
    InvalidKpiValue {
        /// The case id.
        case: String,
        /// The indicator id.
        indicator: String,
        /// The rejected value.
        value: f64,
    },
    /// A case belongs to a class for which the KPI model has no thresholds.
    #[error("case `{case}`: class `{class}` has no thresholds for `{indicator}`")]
    UnknownCaseClass {
        /// The case id.
        case: String,
        /// The class of the case.
        class: String,
        /// The indicator lacking thresholds for that class.
        indicator: String,
    },
    /// The KPI thresholds a model file declares for one indicator and class are invalid (the
    /// breakpoints, or their number against the grade set; `source` says which).
    #[error("KPI thresholds for `{indicator}` (class `{class}`): {source}")]
    KpiThresholds {
        /// The indicator id.
        indicator: String,
        /// The class of case.
        class: String,
        /// What is wrong with them.
        #[source]
        source: Box<crate::Error>,
    },
    /// KPI breakpoints are not finite or not strictly monotone in the required direction.
    #[error(
        "breakpoint {index} = {value} must be finite and strictly {order} than the one before"
    )]
    InvalidBreakpoint {
        /// Index of the offending breakpoint.
        index: usize,
        /// The rejected value.
        value: f64,
        /// The order the breakpoints must follow: [`BreakpointOrder::Greater`] on
        /// smaller-is-better scales, [`BreakpointOrder::Less`] on larger-is-better ones.
        order: BreakpointOrder,
    },
}

/// The order of the breakpoints of a KPI scale ([`InputError::InvalidBreakpoint`]).
///
/// `Display` gives the words of the error message (`greater`, `less`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BreakpointOrder {
    /// Each breakpoint is greater than the one before (smaller-is-better scales).
    Greater,
    /// Each breakpoint is less than the one before (larger-is-better scales).
    Less,
}

impl fmt::Display for BreakpointOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Greater => "greater",
            Self::Less => "less",
        })
    }
}
