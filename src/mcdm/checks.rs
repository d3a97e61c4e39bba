//! Checks of arguments and data shared by the methods, each returning the typed error.

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::matrix::DecisionMatrix;

/// [`McdmError::NotPositive`] for the first value of column `j` that is negative (or not
/// positive, when `strict`).
pub(crate) fn check_sign(
    matrix: &DecisionMatrix,
    j: usize,
    method: McdmMethod,
    strict: bool,
) -> Result<()> {
    for (i, x) in matrix.column(j).enumerate() {
        let ok = if strict { x > 0.0 } else { x >= 0.0 };
        if !ok {
            return Err(McdmError::NotPositive {
                method,
                requirement: if strict { "positive" } else { "non-negative" },
                alternative: matrix.alternatives()[i].clone(),
                criterion: matrix.criteria()[j].clone(),
                value: x,
            }
            .into());
        }
    }
    Ok(())
}

/// [`McdmError::ZeroColumn`] for column `j`.
pub(crate) fn zero_column(matrix: &DecisionMatrix, j: usize, method: McdmMethod) -> crate::Error {
    McdmError::ZeroColumn {
        method,
        criterion: matrix.criteria()[j].clone(),
    }
    .into()
}

/// The weights as a slice, after checking there is one per criterion.
pub(crate) fn check_weights<'w>(
    matrix: &DecisionMatrix,
    weights: &'w Weights,
    method: McdmMethod,
) -> Result<&'w [f64]> {
    if weights.len() != matrix.n_criteria() {
        return Err(McdmError::WeightCount {
            method,
            expected: matrix.n_criteria(),
            found: weights.len(),
        }
        .into());
    }
    Ok(weights.as_slice())
}

/// `Ok(value)` for `value` in `[0, 1]`, else [`McdmError::InvalidParameter`] naming `name`.
pub(crate) fn unit_interval(method: McdmMethod, name: &'static str, value: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(McdmError::InvalidParameter {
            method,
            name,
            range: "[0, 1]",
            value,
        }
        .into())
    }
}
