//! Aggregation of individual priorities (AIP): weighted means of the experts' priority
//! vectors.

use crate::error::{NumericError, Result};
use crate::group::expert_weights::check_panel_shape;
use crate::group::ExpertWeights;
use crate::model::weights::Weights;

/// How the experts' priority vectors are averaged in [`aggregate_priorities`].
///
/// ```text
/// Geometric:   w_i^G ∝ prod_k (w_i^(k))^(lambda_k)
/// Arithmetic:  w_i^G ∝ sum_k lambda_k w_i^(k)
/// ```
///
/// Both are renormalised to sum to 1. Forman & Peniwati (1998) recommend the geometric mean
/// when the experts act as one unit and the arithmetic mean when they are separate individuals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AipMean {
    /// Weighted geometric mean, renormalised (the default).
    #[default]
    Geometric,
    /// Weighted arithmetic mean.
    Arithmetic,
}

/// Aggregates the experts' priority vectors with a weighted mean and renormalises.
///
/// With the geometric mean, a criterion that some expert with positive weight gives weight 0
/// gets group weight 0.
///
/// # Errors
///
/// - [`ArgumentError::Empty`](crate::ArgumentError::Empty) when `priorities` is empty;
/// - [`PanelError::ExpertCountMismatch`](crate::PanelError::ExpertCountMismatch) when `weights` has
///   a different length;
/// - [`PanelError::ExpertSizeMismatch`](crate::PanelError::ExpertSizeMismatch) when a vector
///   differs in length from the first;
/// - [`NumericError::NumericalRange`] when the geometric mean is 0 for every criterion (each
///   criterion has weight 0 for some expert).
///
/// # Examples
///
/// ```
/// use service_quality::group::aggregate_priorities;
/// use service_quality::{AipMean, ExpertWeights, Weights};
///
/// let a = Weights::new(vec![0.6, 0.3, 0.1])?;
/// let b = Weights::new(vec![0.2, 0.5, 0.3])?;
/// let eq = ExpertWeights::equal(2)?;
/// let arith = aggregate_priorities(&[a.clone(), b.clone()], &eq, AipMean::Arithmetic)?;
/// assert!((arith.as_slice()[0] - 0.4).abs() < 1e-12);
/// let geo = aggregate_priorities(&[a, b], &eq, AipMean::Geometric)?;
/// assert!((geo.as_slice().iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - E. Forman, K. Peniwati, "Aggregating individual judgments and priorities with the analytic
///   hierarchy process", *EJOR* 108, 165–169, 1998.
#[doc(alias = "AIP")]
pub fn aggregate_priorities(
    priorities: &[Weights],
    weights: &ExpertWeights,
    mean: AipMean,
) -> Result<Weights> {
    let sizes: Vec<usize> = priorities.iter().map(Weights::len).collect();
    let n = check_panel_shape(&sizes, weights.len())?;
    let lambda = weights.as_slice();
    let raw: Vec<f64> = (0..n)
        .map(|i| {
            let column = priorities.iter().map(|w| w.as_slice()[i]).zip(lambda);
            match mean {
                AipMean::Arithmetic => column.map(|(x, &l)| l * x).sum(),
                AipMean::Geometric => {
                    let mut log = 0.0;
                    for (x, &l) in column {
                        if l > 0.0 {
                            log += l * x.ln();
                        }
                    }
                    log.exp()
                }
            }
        })
        .collect();
    let sum: f64 = raw.iter().sum();
    if !(sum > 0.0 && sum.is_finite()) {
        return Err(NumericError::NumericalRange {
            what: "geometric mean of priorities",
        }
        .into());
    }
    Ok(Weights::from_normalized_unchecked(
        raw.iter().map(|x| x / sum).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn zero_weight_expert_is_ignored() {
        let a = Weights::new(vec![0.5, 0.5]).unwrap();
        let b = Weights::new(vec![1.0, 0.0]).unwrap();
        let w = ExpertWeights::new(&[1.0, 0.0]).unwrap();
        for mean in [AipMean::Geometric, AipMean::Arithmetic] {
            let g = aggregate_priorities(&[a.clone(), b.clone()], &w, mean).unwrap();
            assert!((g.as_slice()[0] - 0.5).abs() < 1e-15);
        }
    }

    #[test]
    fn all_zero_geometric_is_an_error() {
        let a = Weights::new(vec![1.0, 0.0]).unwrap();
        let b = Weights::new(vec![0.0, 1.0]).unwrap();
        let w = ExpertWeights::equal(2).unwrap();
        assert!(matches!(
            aggregate_priorities(&[a, b], &w, AipMean::Geometric),
            Err(Error::Numeric(NumericError::NumericalRange { .. }))
        ));
    }
}
