//! Objective weights from the spread of the data: entropy, CRITIC, coefficient of variation,
//! standard deviation.

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::{check_sign, zero_column};
use super::matrix::{CriterionType, DecisionMatrix};
use super::normalise::{is_constant, mean, min_max, pearson, sample_sd};

/// How the entropy method treats cost criteria (and whether it copies pyDecision's guard
/// terms). See [the module docs](crate::mcdm#entropy-two-conventions-for-cost-criteria).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum EntropyConvention {
    /// Cost criteria are treated like benefits: `p_ij = x_ij / sum_i x_ij` for every column
    /// (pymcdm `entropy_weights`, SPSSAU on positive data). Needs `x >= 0`.
    IgnoreCost,
    /// Cost columns are turned into benefits by reciprocals first:
    /// `p_ij = (1 / x_ij) / sum_i (1 / x_ij)` (pyDecision `entropy_method`, without its guard
    /// terms). Needs `x > 0` on cost columns, `x >= 0` elsewhere.
    ReciprocalCost,
    /// [`ReciprocalCost`](Self::ReciprocalCost) with pyDecision 5.1.8's `1e-9` guard terms,
    /// computed exactly as it does: `1 / (x + 1e-9)` for costs, `p ln(p + 1e-9)`, the factor
    /// `1 / ln(m + 1e-9)` and `d_j + 1e-9`. Only to reproduce pyDecision's output to the last
    /// digits; the terms move every weight by about `1e-9`.
    PyDecision,
}

/// How CRITIC orients cost criteria before min-max normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum CriticConvention {
    /// Every column normalised as a benefit, `(x - min) / (max - min)` (pymcdm
    /// `critic_weights`, which takes no criterion types). The correlations of a cost column
    /// with the others keep their sign as measured.
    IgnoreCost,
    /// Cost columns normalised towards their best value, `(max - x) / (max - min)`
    /// (Diakoulaki et al. 1995; pyDecision `critic_method`, which adds `1e-10` to the
    /// denominator). A cost column's correlations change sign.
    OrientCost,
}

/// Whether dispersion weights use the raw values or min-max normalised ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Dispersion {
    /// The standard deviation of the raw values (pymcdm `standard_deviation_weights`): a
    /// criterion measured in larger units weighs more.
    Raw,
    /// The standard deviation of the min-max normalised values (标准离差法 on normalised
    /// data; every criterion on [0, 1]).
    MinMax,
}

/// An objective weighting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ObjectiveMethod {
    /// The entropy method (熵值法), with the named treatment of cost criteria.
    Entropy(EntropyConvention),
    /// CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): contrast (standard deviation) times
    /// conflict (sum of `1 - r_jk`).
    Critic(CriticConvention),
    /// Coefficient of variation (变异系数法) `s_j / mean_j`, sample standard deviation.
    CoefficientOfVariation,
    /// Standard deviation (标准离差法), sample standard deviation.
    StandardDeviation(Dispersion),
}

/// Objective weights, with the per-criterion quantity they are proportional to and the
/// method that gave them.
///
/// `information()` is, per criterion: the divergence `d_j = 1 - e_j` (entropy), the
/// information `C_j = s_j sum_k (1 - r_jk)` (CRITIC), the coefficient of variation, or the
/// standard deviation. The weights are `information / sum(information)`.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{
///     CriterionType, DecisionMatrix, EntropyConvention, ObjectiveMethod, ObjectiveWeights,
/// };
///
/// let m = DecisionMatrix::new(
///     vec!["a".into(), "b".into(), "c".into()],
///     vec!["spread".into(), "flat".into()],
///     vec![CriterionType::Benefit; 2],
///     &[[1.0, 5.0], [4.0, 5.0], [9.0, 5.0]],
/// )?;
/// let w = ObjectiveWeights::of(&m, ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost))?;
/// // a constant criterion carries no information: weight 0
/// assert_eq!(w.weights().as_slice(), [1.0, 0.0]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ObjectiveWeights {
    method: ObjectiveMethod,
    information: Vec<f64>,
    weights: Weights,
}

impl ObjectiveWeights {
    /// The objective weights of the criteria of `matrix`.
    ///
    /// A constant criterion (zero variance; a uniform column for entropy) gets weight 0 in
    /// every method: it does not tell the alternatives apart. With a single criterion the
    /// weight is 1.
    ///
    /// # Errors
    ///
    /// - [`McdmError::NotPositive`] for a negative value (entropy, coefficient of variation),
    ///   or a non-positive value on a cost criterion ([`EntropyConvention::ReciprocalCost`]);
    /// - [`McdmError::ZeroColumn`] for an all-zero column (entropy shares, coefficient of
    ///   variation);
    /// - [`McdmError::NoDiscrimination`] when every criterion is constant (with two or more
    ///   criteria): every weight would be 0/0.
    pub fn of(matrix: &DecisionMatrix, method: ObjectiveMethod) -> Result<Self> {
        let n = matrix.n_criteria();
        let columns: Vec<Vec<f64>> = (0..n).map(|j| matrix.column_vec(j)).collect();
        let information = match method {
            ObjectiveMethod::Entropy(convention) => entropy(matrix, &columns, convention)?,
            ObjectiveMethod::Critic(convention) => critic(matrix, &columns, convention),
            ObjectiveMethod::CoefficientOfVariation => {
                let method = McdmMethod::CoefficientOfVariation;
                let mut v = Vec::with_capacity(n);
                for (j, col) in columns.iter().enumerate() {
                    check_sign(matrix, j, method, false)?;
                    let mu = mean(col);
                    if !(mu > 0.0) {
                        return Err(zero_column(matrix, j, method));
                    }
                    v.push(sample_sd(col) / mu);
                }
                v
            }
            ObjectiveMethod::StandardDeviation(dispersion) => columns
                .iter()
                .zip(matrix.types())
                .map(|(col, &ty)| match dispersion {
                    Dispersion::Raw => sample_sd(col),
                    Dispersion::MinMax => sample_sd(&min_max(col, ty)),
                })
                .collect(),
        };
        let weights = if n == 1 {
            Weights::from_normalized_unchecked(vec![1.0])
        } else {
            let total: f64 = information.iter().sum();
            if !(total > 0.0) {
                return Err(McdmError::NoDiscrimination {
                    method: method_of(method),
                    reason: "every criterion is constant",
                }
                .into());
            }
            Weights::from_normalized_unchecked(information.iter().map(|x| x / total).collect())
        };
        Ok(Self {
            method,
            information,
            weights,
        })
    }

    /// The method.
    pub fn method(&self) -> ObjectiveMethod {
        self.method
    }
    /// The per-criterion quantity the weights are proportional to (see the type's docs).
    pub fn information(&self) -> &[f64] {
        &self.information
    }
    /// The weights (sum 1, each `>= 0`).
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
}

/// The error family of an objective method.
fn method_of(method: ObjectiveMethod) -> McdmMethod {
    match method {
        ObjectiveMethod::Entropy(_) => McdmMethod::Entropy,
        ObjectiveMethod::Critic(_) => McdmMethod::Critic,
        ObjectiveMethod::CoefficientOfVariation => McdmMethod::CoefficientOfVariation,
        ObjectiveMethod::StandardDeviation(_) => McdmMethod::StandardDeviation,
    }
}

/// pyDecision's guard term.
const PYDECISION_EPS: f64 = 1e-9;

/// The divergences `d_j` of the entropy method.
fn entropy(
    matrix: &DecisionMatrix,
    columns: &[Vec<f64>],
    convention: EntropyConvention,
) -> Result<Vec<f64>> {
    let m = matrix.n_alternatives() as f64;
    let method = McdmMethod::Entropy;
    let mut d = Vec::with_capacity(columns.len());
    for (j, col) in columns.iter().enumerate() {
        let cost = matrix.types()[j] == CriterionType::Cost;
        let reciprocal = cost && convention != EntropyConvention::IgnoreCost;
        check_sign(
            matrix,
            j,
            method,
            reciprocal && convention == EntropyConvention::ReciprocalCost,
        )?;
        if convention == EntropyConvention::PyDecision {
            let t: Vec<f64> = if reciprocal {
                col.iter().map(|x| 1.0 / (x + PYDECISION_EPS)).collect()
            } else {
                col.clone()
            };
            let sum: f64 = t.iter().sum();
            if !(sum > 0.0) {
                return Err(zero_column(matrix, j, method));
            }
            let h: f64 = t
                .iter()
                .map(|x| (x / sum).abs())
                .filter(|&p| p != 0.0)
                .map(|p| p * (p + PYDECISION_EPS).ln())
                .sum::<f64>()
                * (-1.0 / (m + PYDECISION_EPS).ln());
            d.push(1.0 - h + PYDECISION_EPS);
            continue;
        }
        if is_constant(col) {
            if col[0] == 0.0 {
                return Err(zero_column(matrix, j, method));
            }
            // a uniform column has entropy exactly 1
            d.push(0.0);
            continue;
        }
        let t: Vec<f64> = if reciprocal {
            // min / x is 1 / x scaled by the smallest value: the same shares, and no overflow
            // for tiny x
            let lo = col.iter().fold(f64::INFINITY, |a, &b| a.min(b));
            col.iter().map(|x| lo / x).collect()
        } else {
            col.clone()
        };
        let sum: f64 = t.iter().sum();
        if !(sum > 0.0) {
            return Err(zero_column(matrix, j, method));
        }
        let h: f64 = -t
            .iter()
            .map(|x| x / sum)
            .filter(|&p| p > 0.0)
            .map(|p| p * p.ln())
            .sum::<f64>()
            / m.ln();
        // e_j <= 1 exactly; rounding may overshoot by an ulp
        d.push((1.0 - h).max(0.0));
    }
    Ok(d)
}

/// The information `C_j` of CRITIC.
fn critic(matrix: &DecisionMatrix, columns: &[Vec<f64>], convention: CriticConvention) -> Vec<f64> {
    let normalised: Vec<Vec<f64>> = columns
        .iter()
        .zip(matrix.types())
        .map(|(col, &ty)| {
            if is_constant(col) {
                // no contrast; its correlations are undefined and taken as 0
                return vec![0.0; col.len()];
            }
            let ty = match convention {
                CriticConvention::IgnoreCost => CriterionType::Benefit,
                CriticConvention::OrientCost => ty,
            };
            min_max(col, ty)
        })
        .collect();
    normalised
        .iter()
        .map(|x| {
            let conflict: f64 = normalised.iter().map(|y| 1.0 - pearson(x, y)).sum();
            sample_sd(x) * conflict
        })
        .collect()
}

// exact values: closed forms and assigned constants
#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::Error;

    fn matrix(rows: &[[f64; 3]], types: [CriterionType; 3]) -> DecisionMatrix {
        DecisionMatrix::new(
            (0..rows.len()).map(|i| format!("a{i}")).collect(),
            vec!["x".into(), "y".into(), "z".into()],
            types.to_vec(),
            rows,
        )
        .unwrap()
    }

    const B: CriterionType = CriterionType::Benefit;
    const C: CriterionType = CriterionType::Cost;

    #[test]
    fn entropy_of_a_two_point_column_is_closed_form() {
        // p = (1/4, 3/4): e = -(1/4 ln 1/4 + 3/4 ln 3/4) / ln 2
        let m = matrix(&[[1.0, 2.0, 1.0], [3.0, 2.0, 1.0]], [B, B, C]);
        let w = ObjectiveWeights::of(&m, ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost))
            .unwrap();
        let e = -(0.25f64 * 0.25f64.ln() + 0.75 * 0.75f64.ln()) / 2f64.ln();
        assert!((w.information()[0] - (1.0 - e)).abs() < 1e-15);
        assert_eq!(w.weights().as_slice(), [1.0, 0.0, 0.0]);
    }

    #[test]
    fn zero_share_counts_as_zero() {
        let m = matrix(&[[0.0, 1.0, 1.0], [2.0, 2.0, 1.0]], [B, B, B]);
        let w = ObjectiveWeights::of(&m, ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost))
            .unwrap();
        // p = (0, 1): e = 0, d = 1
        assert_eq!(w.information()[0], 1.0);
    }

    #[test]
    fn bad_data_is_a_typed_error() {
        let m = matrix(&[[-1.0, 1.0, 1.0], [2.0, 2.0, 1.0]], [B, B, B]);
        for method in [
            ObjectiveMethod::Entropy(EntropyConvention::IgnoreCost),
            ObjectiveMethod::CoefficientOfVariation,
        ] {
            assert!(matches!(
                ObjectiveWeights::of(&m, method),
                Err(Error::Mcdm(McdmError::NotPositive { value: -1.0, .. }))
            ));
        }
        let zero_cost = matrix(&[[1.0, 1.0, 0.0], [2.0, 2.0, 1.0]], [B, B, C]);
        assert!(matches!(
            ObjectiveWeights::of(
                &zero_cost,
                ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost)
            ),
            Err(Error::Mcdm(McdmError::NotPositive {
                requirement: "positive",
                ..
            }))
        ));
        let zeros = matrix(&[[0.0, 1.0, 1.0], [0.0, 2.0, 1.0]], [B, B, B]);
        assert!(matches!(
            ObjectiveWeights::of(&zeros, ObjectiveMethod::CoefficientOfVariation),
            Err(Error::Mcdm(McdmError::ZeroColumn { .. }))
        ));
        let flat = matrix(&[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], [B, B, B]);
        for method in [
            ObjectiveMethod::Entropy(EntropyConvention::ReciprocalCost),
            ObjectiveMethod::Critic(CriticConvention::OrientCost),
            ObjectiveMethod::CoefficientOfVariation,
            ObjectiveMethod::StandardDeviation(Dispersion::MinMax),
        ] {
            assert!(matches!(
                ObjectiveWeights::of(&flat, method),
                Err(Error::Mcdm(McdmError::NoDiscrimination { .. }))
            ));
        }
    }
}
