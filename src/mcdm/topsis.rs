//! TOPSIS: closeness to the ideal solution.

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::{check_weights, zero_column};
use super::matrix::{CriterionType, DecisionMatrix};
use super::normalise::{bounds, euclidean_norm, min_max};
use super::ranking::{Ranking, TieRule};

/// The normalisation of TOPSIS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TopsisNormalisation {
    /// `r_ij = x_ij / sqrt(sum_i x_ij^2)`, the ideal the column maximum for a benefit and the
    /// minimum for a cost (Hwang & Yoon 1981; pyDecision `topsis_method`; pymcdm with
    /// `vector_normalization`, whose `1 - r` for costs gives the same distances).
    Vector,
    /// `r_ij = (x_ij - min) / (max - min)` for a benefit, `(max - x_ij) / (max - min)` for a
    /// cost, the ideal 1 (pymcdm `TOPSIS()`'s default). A constant column is all ones and adds
    /// no distance.
    MinMax,
}

/// The result of TOPSIS: distances to the positive and negative ideal, closeness
/// `C_i = D-_i / (D+_i + D-_i)` (in `[0, 1]`, larger is better) and the ranking.
///
/// ```text
/// v_ij = w_j r_ij
/// D+_i = sqrt(sum_j (v_ij - v+_j)^2),  D-_i = sqrt(sum_j (v_ij - v-_j)^2)
/// v+_j, v-_j = best and worst v_ij over i (by the criterion's type)
/// ```
///
/// # Examples
///
/// The example of Tzeng & Huang (2011) (four alternatives, three benefit criteria, weights
/// 0.3 / 0.4 / 0.3), closeness printed to four decimals:
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix, Topsis, TopsisNormalisation};
/// use service_quality::Weights;
///
/// let m = DecisionMatrix::new(
///     (1..=4).map(|i| format!("A{i}")).collect(),
///     vec!["durability".into(), "capacity".into(), "reliability".into()],
///     vec![CriterionType::Benefit; 3],
///     &[[5.0, 8.0, 4.0], [7.0, 6.0, 8.0], [8.0, 8.0, 6.0], [7.0, 4.0, 6.0]],
/// )?;
/// let w = Weights::new(vec![0.3, 0.4, 0.3])?;
/// let t = Topsis::new(&m, &w, TopsisNormalisation::Vector)?;
/// let printed = [0.5037, 0.6581, 0.7482, 0.3340];
/// for (c, p) in t.closeness().iter().zip(printed) {
///     assert!((c - p).abs() < 5e-5);
/// }
/// assert_eq!(t.ranking().order(), [2, 1, 0, 3]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Topsis {
    normalisation: TopsisNormalisation,
    d_plus: Vec<f64>,
    d_minus: Vec<f64>,
    closeness: Vec<f64>,
    ranking: Ranking,
}

impl Topsis {
    /// TOPSIS of `matrix` with `weights`.
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`] when `weights` has not one weight per criterion;
    /// - [`McdmError::ZeroColumn`] for an all-zero column with [`TopsisNormalisation::Vector`];
    /// - [`McdmError::NoDiscrimination`] when an alternative is at both the ideal and the
    ///   anti-ideal (every criterion with a positive weight is constant): `0 / 0`.
    pub fn new(
        matrix: &DecisionMatrix,
        weights: &Weights,
        normalisation: TopsisNormalisation,
    ) -> Result<Self> {
        let method = McdmMethod::Topsis;
        let w = check_weights(matrix, weights, method)?;
        let (m, n) = (matrix.n_alternatives(), matrix.n_criteria());
        let mut v = vec![0.0; m * n];
        let mut best = vec![0.0; n];
        let mut worst = vec![0.0; n];
        for j in 0..n {
            let col = matrix.column_vec(j);
            let r = match normalisation {
                TopsisNormalisation::Vector => {
                    let norm = euclidean_norm(&col);
                    if norm == 0.0 {
                        return Err(zero_column(matrix, j, method));
                    }
                    col.iter().map(|x| x / norm).collect()
                }
                TopsisNormalisation::MinMax => min_max(&col, matrix.types()[j]),
            };
            for (i, rij) in r.iter().enumerate() {
                v[i * n + j] = w[j] * rij;
            }
            let weighted: Vec<f64> = (0..m).map(|i| v[i * n + j]).collect();
            let (lo, hi) = bounds(&weighted);
            let cost = normalisation == TopsisNormalisation::Vector
                && matrix.types()[j] == CriterionType::Cost;
            (best[j], worst[j]) = if cost { (lo, hi) } else { (hi, lo) };
        }
        let distance = |i: usize, to: &[f64]| -> f64 {
            euclidean_norm(&(0..n).map(|j| v[i * n + j] - to[j]).collect::<Vec<f64>>())
        };
        let d_plus: Vec<f64> = (0..m).map(|i| distance(i, &best)).collect();
        let d_minus: Vec<f64> = (0..m).map(|i| distance(i, &worst)).collect();
        let mut closeness = Vec::with_capacity(m);
        for (p, q) in d_plus.iter().zip(&d_minus) {
            let total = p + q;
            if !(total > 0.0) {
                return Err(McdmError::NoDiscrimination {
                    method,
                    reason: "every criterion with a positive weight is constant",
                }
                .into());
            }
            closeness.push(q / total);
        }
        let ranking = Ranking::from_scores(&closeness, true, TieRule::Average);
        Ok(Self {
            normalisation,
            d_plus,
            d_minus,
            closeness,
            ranking,
        })
    }

    /// The normalisation used.
    pub fn normalisation(&self) -> TopsisNormalisation {
        self.normalisation
    }
    /// Distance of every alternative to the positive ideal.
    pub fn d_plus(&self) -> &[f64] {
        &self.d_plus
    }
    /// Distance of every alternative to the negative ideal.
    pub fn d_minus(&self) -> &[f64] {
        &self.d_minus
    }
    /// Relative closeness `C_i` (larger is better).
    pub fn closeness(&self) -> &[f64] {
        &self.closeness
    }
    /// The ranking by closeness ([`TieRule::Average`]).
    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }
}
