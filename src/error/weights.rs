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
    /// Weights do not sum to 1 within the tolerance, raw weights sum to 0, or the sum of
    /// (raw) weights overflows to infinity.
    ///
    /// The message says which: a sum that is neither 0 nor infinite suggests giving the values
    /// as raw weights (`raw_weights` in a model file, [`Weights::normalize`](crate::Weights::normalize),
    /// [`NodeSpec::with_raw_weights`](crate::NodeSpec::with_raw_weights)), which are normalised
    /// instead of checked.
    #[error("{}", sum_message(*.sum, *.tol))]
    WeightSum {
        /// The actual sum.
        sum: f64,
        /// Tolerance that was applied.
        tol: f64,
    },
}

/// The message of [`WeightsError::WeightSum`].
fn sum_message(sum: f64, tol: f64) -> String {
    if sum.is_infinite() {
        format!("the sum of the weights overflows (got {sum}): scale them down")
    } else if sum == 0.0 {
        format!("weights must sum to 1 (tolerance {tol:e}), got {sum}")
    } else {
        format!(
            "weights must sum to 1 (tolerance {tol:e}), got {sum}; to have them normalised, \
             give them as raw weights (`raw_weights`)"
        )
    }
}
