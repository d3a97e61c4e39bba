//! Errors of the numerical algorithms.

/// A numerical algorithm failed: an iteration did not converge, or values left the range of
/// `f64`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NumericError {
    /// Power iteration did not reach the tolerance within the iteration cap.
    #[error(
        "power iteration did not converge in {max_iter} iterations \
         (last change {last_change:e}, tolerance {tol:e})"
    )]
    NoConvergence {
        /// Iteration cap that was reached.
        max_iter: usize,
        /// Largest change of a weight in the last iteration.
        last_change: f64,
        /// Requested tolerance.
        tol: f64,
    },
    /// Intermediate values left the range of `f64` (entries too far apart in magnitude).
    #[error("{what} overflowed or underflowed f64; the entries span too many orders of magnitude")]
    NumericalRange {
        /// The computation that failed.
        what: &'static str,
    },
}
