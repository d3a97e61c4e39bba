//! Argument checks shared by the outcome's entry points.

use crate::error::{ArgumentError, OutcomeError, Result};

/// Every score finite, else [`OutcomeError::InvalidValue`] naming the first bad index.
pub(crate) fn finite_scores(scores: &[f64]) -> Result<()> {
    match scores.iter().position(|s| !s.is_finite()) {
        None => Ok(()),
        Some(i) => Err(OutcomeError::InvalidValue {
            what: "score",
            merchant: i.to_string(),
            range: "finite",
            value: scores[i],
        }
        .into()),
    }
}

/// `found == expected`, else [`ArgumentError::LengthMismatch`] naming `what`.
pub(crate) fn same_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(ArgumentError::LengthMismatch {
            what,
            expected,
            found,
        }
        .into())
    }
}

/// A positive, finite parameter, else [`OutcomeError::InvalidParameter`].
pub(crate) fn positive(what: &'static str, value: f64) -> Result<f64> {
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(OutcomeError::InvalidParameter {
            what,
            range: "finite and > 0",
            value,
        }
        .into())
    }
}
