//! Aggregation of individual judgements (AIJ): the weighted geometric mean of the experts'
//! matrices.

use crate::ahp::PairwiseMatrix;
use crate::error::Result;
use crate::group::expert_weights::check_panel_shape;
use crate::group::ExpertWeights;

/// Aggregates the experts' matrices element by element with the weighted geometric mean.
///
/// ```text
/// a_ij^G = prod_k (a_ij^(k))^(lambda_k)      lambda_k >= 0, sum_k lambda_k = 1
/// ```
///
/// The result is again a positive reciprocal matrix (`a_ji^G = 1 / a_ij^G`): the geometric
/// mean is the only averaging that preserves reciprocity (Aczél & Saaty 1983). Its entries are
/// usually off Saaty's 1–9 integer scale (a mean of 3 and 5 is `sqrt(15)`); that is expected and
/// accepted. It is computed in logs, so no product overflows.
///
/// # Errors
///
/// - [`ArgumentError::Empty`](crate::ArgumentError::Empty) when `matrices` is empty;
/// - [`PanelError::ExpertCountMismatch`](crate::PanelError::ExpertCountMismatch) when `weights` has
///   a different length;
/// - [`PanelError::ExpertSizeMismatch`](crate::PanelError::ExpertSizeMismatch) when an expert's
///   matrix differs in size from the first.
///
/// # Examples
///
/// ```
/// use service_quality::group::aggregate_judgements;
/// use service_quality::{ExpertWeights, PairwiseMatrix};
///
/// let a = PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?;
/// let b = PairwiseMatrix::from_upper_triangle(3, &[5.0, 3.0, 0.5])?;
/// let g = aggregate_judgements(&[a, b], &ExpertWeights::equal(2)?)?;
/// assert!((g.get(0, 1).unwrap() - 15f64.sqrt()).abs() < 1e-12);
/// assert!((g.get(1, 2).unwrap() - 1.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - J. Aczél, T. L. Saaty, "Procedures for synthesizing ratio judgements", *J. Math.
///   Psychology* 27, 93–102, 1983.
/// - E. Forman, K. Peniwati, "Aggregating individual judgments and priorities with the analytic
///   hierarchy process", *EJOR* 108, 165–169, 1998.
#[doc(alias = "AIJ")]
pub fn aggregate_judgements(
    matrices: &[PairwiseMatrix],
    weights: &ExpertWeights,
) -> Result<PairwiseMatrix> {
    let sizes: Vec<usize> = matrices.iter().map(PairwiseMatrix::n).collect();
    let n = check_panel_shape(&sizes, weights.len())?;
    let mut data = vec![1.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let log: f64 = matrices
                .iter()
                .zip(weights.as_slice())
                .map(|(m, &lambda)| lambda * m.as_slice()[i * n + j].ln())
                .sum();
            // a weighted mean of logs lies between the experts' logs, so exp() stays in range
            data[i * n + j] = log.exp();
            data[j * n + i] = (-log).exp();
        }
    }
    Ok(PairwiseMatrix::from_data_unchecked(n, data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::error::{ArgumentError, PanelError};

    #[test]
    fn weighted_mean_follows_the_weights() {
        let a = PairwiseMatrix::from_upper_triangle(2, &[4.0]).unwrap();
        let b = PairwiseMatrix::from_upper_triangle(2, &[0.25]).unwrap();
        let w = ExpertWeights::new(&[3.0, 1.0]).unwrap();
        let g = aggregate_judgements(&[a, b], &w).unwrap();
        // 4^(3/4) * (1/4)^(1/4) = 4^(1/2)
        assert!((g.get(0, 1).unwrap() - 2.0).abs() < 1e-12);
        assert!((g.get(1, 0).unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn size_and_count_errors() {
        let a = PairwiseMatrix::from_upper_triangle(2, &[4.0]).unwrap();
        let b = PairwiseMatrix::from_upper_triangle(3, &[1.0, 2.0, 3.0]).unwrap();
        let eq2 = ExpertWeights::equal(2).unwrap();
        assert!(matches!(
            aggregate_judgements(&[a.clone(), b], &eq2),
            Err(Error::Panel(PanelError::ExpertSizeMismatch {
                expert: 1,
                expected: 2,
                found: 3
            }))
        ));
        assert!(matches!(
            aggregate_judgements(&[a], &eq2),
            Err(Error::Panel(PanelError::ExpertCountMismatch { .. }))
        ));
        assert!(matches!(
            aggregate_judgements(&[], &eq2),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
    }
}
