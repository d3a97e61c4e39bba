//! Grey relational analysis (灰色关联分析).

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::{check_sign, check_weights, zero_column};
use super::matrix::{CriterionType, DecisionMatrix};
use super::normalise::{bounds, mean, min_max};
use super::ranking::{Ranking, TieRule};

/// The default distinguishing coefficient `rho` (分辨系数).
pub const DEFAULT_GREY_RHO: f64 = 0.5;

/// How the columns are made comparable before the grey relational coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum GreyNormalisation {
    /// Range (min-max) normalisation oriented by type: `(x - min) / (max - min)` for a
    /// benefit, `(max - x) / (max - min)` for a cost (grey relational generating, Kuo, Yang &
    /// Huang 2008; pyDecision `gra_method`). The reference sequence is all ones. A constant
    /// column is all ones (every alternative at the reference there).
    MinMax,
    /// Mean normalisation (均值化) `x / mean` of each column; the reference sequence is the
    /// column maximum for a benefit and the minimum for a cost. Needs positive values.
    Mean,
}

/// Options of grey relational analysis: normalisation, distinguishing coefficient, and
/// weights for the grade (none: the plain mean of the coefficients).
#[derive(Debug, Clone, PartialEq)]
pub struct GreyOptions {
    normalisation: GreyNormalisation,
    rho: f64,
    weights: Option<Weights>,
}

impl Default for GreyOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl GreyOptions {
    /// [`GreyNormalisation::MinMax`], `rho` = [`DEFAULT_GREY_RHO`], unweighted grade.
    pub fn new() -> Self {
        Self {
            normalisation: GreyNormalisation::MinMax,
            rho: DEFAULT_GREY_RHO,
            weights: None,
        }
    }
    /// The normalisation.
    pub fn with_normalisation(mut self, normalisation: GreyNormalisation) -> Self {
        self.normalisation = normalisation;
        self
    }
    /// The distinguishing coefficient `rho` in `(0, 1]`.
    ///
    /// # Errors
    ///
    /// [`McdmError::InvalidParameter`] for `rho` outside `(0, 1]` (or NaN).
    pub fn with_rho(mut self, rho: f64) -> Result<Self> {
        if !(rho > 0.0 && rho <= 1.0) {
            return Err(McdmError::InvalidParameter {
                method: McdmMethod::GreyRelational,
                name: "rho",
                range: "(0, 1]",
                value: rho,
            }
            .into());
        }
        self.rho = rho;
        Ok(self)
    }
    /// A weighted grade `sum_j w_j xi_ij` instead of the mean.
    pub fn with_weights(mut self, weights: Weights) -> Self {
        self.weights = Some(weights);
        self
    }
    /// The normalisation.
    pub fn normalisation(&self) -> GreyNormalisation {
        self.normalisation
    }
    /// The distinguishing coefficient.
    pub fn rho(&self) -> f64 {
        self.rho
    }
    /// The weights of the grade, if any.
    pub fn weights(&self) -> Option<&Weights> {
        self.weights.as_ref()
    }
}

/// The grey relational coefficients and grades of every alternative against the reference
/// (ideal) sequence.
///
/// ```text
/// x_ij         normalised value (GreyNormalisation),  x0_j  reference value
/// D_ij = |x0_j - x_ij|,   D_min, D_max = min and max of D over all i and j
/// xi_ij = (D_min + rho D_max) / (D_ij + rho D_max)        (Deng 1982)
/// grade_i = sum_j w_j xi_ij      (unweighted: w_j = 1 / n)
/// ```
///
/// pyDecision 5.1.8 (`gra_method`) divides the weighted sum by the number of alternatives
/// `m` besides: its grades are `grade_i / m`, the ranking the same.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix, GreyOptions, GreyRelational};
///
/// let m = DecisionMatrix::new(
///     vec!["a".into(), "b".into()],
///     vec!["score".into(), "minutes".into()],
///     vec![CriterionType::Benefit, CriterionType::Cost],
///     &[[90.0, 30.0], [80.0, 10.0]],
/// )?;
/// let g = GreyRelational::new(&m, &GreyOptions::new())?;
/// // each alternative is best on one criterion: xi = 1 there and rho / (1 + rho) = 1/3 on the other
/// assert!((g.coefficients()[0][1] - 1.0 / 3.0).abs() < 1e-15);
/// assert!((g.grades()[0] - g.grades()[1]).abs() < 1e-15);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GreyRelational {
    normalisation: GreyNormalisation,
    rho: f64,
    weighted: bool,
    coefficients: Vec<Vec<f64>>,
    grades: Vec<f64>,
    ranking: Ranking,
}

impl GreyRelational {
    /// Grey relational analysis of `matrix`.
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`] when the weights have not one weight per criterion;
    /// - [`McdmError::NotPositive`] for a value `<= 0` with [`GreyNormalisation::Mean`];
    /// - [`McdmError::NoDiscrimination`] when every alternative equals the reference on every
    ///   criterion (`D_max = 0`).
    pub fn new(matrix: &DecisionMatrix, options: &GreyOptions) -> Result<Self> {
        let method = McdmMethod::GreyRelational;
        let (m, n) = (matrix.n_alternatives(), matrix.n_criteria());
        let w: Vec<f64> = match &options.weights {
            Some(w) => check_weights(matrix, w, method)?.to_vec(),
            None => vec![1.0 / n as f64; n],
        };
        let mut delta = vec![0.0; m * n];
        for j in 0..n {
            let col = matrix.column_vec(j);
            let ty = matrix.types()[j];
            let (x, reference) = match options.normalisation {
                GreyNormalisation::MinMax => (min_max(&col, ty), 1.0),
                GreyNormalisation::Mean => {
                    check_sign(matrix, j, method, true)?;
                    let mu = mean(&col);
                    if !(mu > 0.0) {
                        return Err(zero_column(matrix, j, method));
                    }
                    let x: Vec<f64> = col.iter().map(|v| v / mu).collect();
                    let (lo, hi) = bounds(&x);
                    let best = if ty == CriterionType::Cost { lo } else { hi };
                    (x, best)
                }
            };
            for (i, xi) in x.iter().enumerate() {
                delta[i * n + j] = (reference - xi).abs();
            }
        }
        let (d_min, d_max) = bounds(&delta);
        if !(d_max > 0.0) {
            return Err(McdmError::NoDiscrimination {
                method,
                reason: "every alternative equals the reference sequence",
            }
            .into());
        }
        let rho = options.rho;
        let coefficients: Vec<Vec<f64>> = delta
            .chunks_exact(n)
            .map(|row| {
                row.iter()
                    .map(|d| (d_min + rho * d_max) / (d + rho * d_max))
                    .collect()
            })
            .collect();
        let grades: Vec<f64> = coefficients
            .iter()
            .map(|xi| xi.iter().zip(&w).map(|(a, b)| a * b).sum())
            .collect();
        let ranking = Ranking::from_scores(&grades, true, TieRule::Average);
        Ok(Self {
            normalisation: options.normalisation,
            rho,
            weighted: options.weights.is_some(),
            coefficients,
            grades,
            ranking,
        })
    }

    /// The normalisation used.
    pub fn normalisation(&self) -> GreyNormalisation {
        self.normalisation
    }
    /// The distinguishing coefficient used.
    pub fn rho(&self) -> f64 {
        self.rho
    }
    /// Whether the grade is weighted.
    pub fn weighted(&self) -> bool {
        self.weighted
    }
    /// The grey relational coefficients `xi_ij`, one row per alternative.
    pub fn coefficients(&self) -> &[Vec<f64>] {
        &self.coefficients
    }
    /// The grey relational grades (larger is better).
    pub fn grades(&self) -> &[f64] {
        &self.grades
    }
    /// The ranking by grade ([`TieRule::Average`]).
    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }
}
