//! Errors of weight vectors.

/// A weight vector is invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WeightsError {
    /// A weight is NaN, infinite or negative.
    #[error("weight {index} must be finite and >= 0, got {value}")]
    InvalidWeight {
        /// Index of the weight.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// Weights do not sum to 1 within the tolerance (or raw weights sum to 0).
    #[error("weights must sum to 1 (tolerance {tol:e}), got {sum}")]
    WeightSum {
        /// The actual sum.
        sum: f64,
        /// Tolerance that was applied.
        tol: f64,
    },
}
