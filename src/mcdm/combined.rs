//! Combined weights: subjective (AHP) with objective weights.

use nalgebra::{DMatrix, DVector};

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::unit_interval;

/// Singular values of the Gram matrix below this fraction of the largest are treated as zero
/// in the game-theory combination (the weight vectors are then linearly dependent, for
/// example identical, and the minimum-norm solution is taken).
const GRAM_RCOND: f64 = 1e-12;

/// How subjective and objective weights are combined.
///
/// With `s` the subjective and `o` the objective weights (both summing to 1):
///
/// ```text
/// Multiplicative          w_j = s_j o_j / sum_k s_k o_k
/// Linear { alpha }        w_j = alpha s_j + (1 - alpha) o_j,          0 <= alpha <= 1
/// MinimumDiscrimination   w_j = sqrt(s_j o_j) / sum_k sqrt(s_k o_k)
/// GameTheory              w = a_1* s + a_2* o  (see below)
/// ```
///
/// `MinimumDiscrimination` minimises `sum_j w_j ln(w_j / s_j) + w_j ln(w_j / o_j)` subject to
/// `sum w_j = 1` (minimum discrimination information, 最小鉴别信息原理), whose solution is the
/// normalised geometric mean.
///
/// `GameTheory` (博弈论组合赋权) looks for the combination `w = sum_k a_k u_k` of the `L`
/// basis weight vectors `u_k` that minimises the deviation `|| w - u_i ||_2` from every
/// `u_i`; its first-order condition is the linear system
///
/// ```text
/// sum_k a_k (u_i . u_k) = u_i . u_i          i = 1..L
/// a_k* = |a_k| / sum_l |a_l|,                w = sum_k a_k* u_k
/// ```
///
/// (Lai, Chen, Chen, Wang, Wu & Zhao 2015, eqs. for the "combination weight of game theory";
/// the variant used in most Chinese evaluation papers). The coefficients are normalised by
/// their absolute values, so `w` is a convex combination of the basis vectors; when every
/// `a_k` is positive — the usual case — this is the plain normalisation `a_k / sum a_l`. When
/// the basis vectors are linearly dependent (identical weights), the system is singular and
/// the minimum-norm solution (SVD) is taken, which gives equal coefficients for identical
/// vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum CombinationRule {
    /// `s o`, normalised (乘法合成归一化).
    Multiplicative,
    /// `alpha s + (1 - alpha) o` (线性加权组合), `alpha` the share of the subjective weights.
    Linear {
        /// The coefficient of the subjective weights, in `[0, 1]`.
        alpha: f64,
    },
    /// `sqrt(s o)`, normalised (minimum discrimination information).
    MinimumDiscrimination,
    /// Game-theory combination weighting.
    GameTheory,
}

/// Combined weights with their inputs and the rule, as papers report them.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{CombinationRule, CombinedWeights};
/// use service_quality::Weights;
///
/// let ahp = Weights::new(vec![0.5, 0.3, 0.2])?;
/// let entropy = Weights::new(vec![0.2, 0.3, 0.5])?;
/// let w = CombinedWeights::new(&ahp, &entropy, CombinationRule::MinimumDiscrimination)?;
/// let raw = [0.1f64.sqrt(), 0.09f64.sqrt(), 0.1f64.sqrt()];
/// let total: f64 = raw.iter().sum();
/// assert!((w.weights().as_slice()[1] - raw[1] / total).abs() < 1e-15);
/// assert_eq!(w.rule(), CombinationRule::MinimumDiscrimination);
///
/// let g = CombinedWeights::new(&ahp, &entropy, CombinationRule::GameTheory)?;
/// assert!((g.coefficients()[0] - 0.5).abs() < 1e-12); // symmetric inputs, equal shares
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CombinedWeights {
    rule: CombinationRule,
    inputs: Vec<Weights>,
    coefficients: Vec<f64>,
    weights: Weights,
}

impl CombinedWeights {
    /// Combines `subjective` with `objective` weights by `rule`.
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`] when the two vectors differ in length;
    /// - [`McdmError::InvalidParameter`] for `alpha` outside `[0, 1]` (or NaN);
    /// - [`McdmError::NoDiscrimination`] when a product rule finds no criterion with both
    ///   weights positive (every `s_j o_j = 0`).
    pub fn new(subjective: &Weights, objective: &Weights, rule: CombinationRule) -> Result<Self> {
        let method = McdmMethod::Combination;
        if subjective.len() != objective.len() {
            return Err(McdmError::WeightCount {
                method,
                expected: subjective.len(),
                found: objective.len(),
            }
            .into());
        }
        let (s, o) = (subjective.as_slice(), objective.as_slice());
        let (raw, coefficients): (Vec<f64>, Vec<f64>) = match rule {
            CombinationRule::Multiplicative => {
                (s.iter().zip(o).map(|(a, b)| a * b).collect(), vec![])
            }
            CombinationRule::MinimumDiscrimination => (
                s.iter().zip(o).map(|(a, b)| (a * b).sqrt()).collect(),
                vec![],
            ),
            CombinationRule::Linear { alpha } => {
                unit_interval(method, "alpha", alpha)?;
                let w = s.iter().zip(o).map(|(a, b)| alpha * a + (1.0 - alpha) * b);
                (w.collect(), vec![alpha, 1.0 - alpha])
            }
            CombinationRule::GameTheory => {
                return Self::game_theory(&[subjective.clone(), objective.clone()]);
            }
        };
        let total: f64 = raw.iter().sum();
        if !(total > 0.0) {
            return Err(McdmError::NoDiscrimination {
                method,
                reason:
                    "no criterion has both a positive subjective and a positive objective weight",
            }
            .into());
        }
        Ok(Self {
            rule,
            inputs: vec![subjective.clone(), objective.clone()],
            coefficients,
            weights: Weights::from_normalized_unchecked(raw.iter().map(|x| x / total).collect()),
        })
    }

    /// Game-theory combination of any number `L >= 1` of weight vectors (for example AHP,
    /// entropy and CRITIC weights); see [`CombinationRule::GameTheory`].
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`] when the vectors differ in length or none is given.
    pub fn game_theory(basis: &[Weights]) -> Result<Self> {
        let method = McdmMethod::Combination;
        let n = basis.first().map_or(0, Weights::len);
        if let Some(bad) = basis.iter().find(|w| w.len() != n) {
            return Err(McdmError::WeightCount {
                method,
                expected: n,
                found: bad.len(),
            }
            .into());
        }
        if basis.is_empty() {
            return Err(McdmError::WeightCount {
                method,
                expected: 1,
                found: 0,
            }
            .into());
        }
        let l = basis.len();
        let dot = |a: &Weights, b: &Weights| -> f64 {
            a.as_slice()
                .iter()
                .zip(b.as_slice())
                .map(|(x, y)| x * y)
                .sum()
        };
        let gram = DMatrix::from_fn(l, l, |i, k| dot(&basis[i], &basis[k]));
        let rhs = DVector::from_fn(l, |i, _| dot(&basis[i], &basis[i]));
        let svd = gram.svd(true, true);
        let largest = svd.singular_values.max();
        let a = svd
            .solve(&rhs, GRAM_RCOND * largest)
            .map(|v| v.iter().copied().collect::<Vec<f64>>())
            .unwrap_or_else(|_| vec![1.0; l]);
        let total: f64 = a.iter().map(|x| x.abs()).sum();
        let coefficients: Vec<f64> = if total > 0.0 && total.is_finite() {
            a.iter().map(|x| x.abs() / total).collect()
        } else {
            vec![1.0 / l as f64; l]
        };
        let mut w = vec![0.0; n];
        for (c, u) in coefficients.iter().zip(basis) {
            for (wj, uj) in w.iter_mut().zip(u.as_slice()) {
                *wj += c * uj;
            }
        }
        // a convex combination of weight vectors sums to 1 up to rounding
        let sum: f64 = w.iter().sum();
        Ok(Self {
            rule: CombinationRule::GameTheory,
            inputs: basis.to_vec(),
            coefficients,
            weights: Weights::from_normalized_unchecked(w.iter().map(|x| x / sum).collect()),
        })
    }

    /// The rule.
    pub fn rule(&self) -> CombinationRule {
        self.rule
    }
    /// The weight vectors combined, in the order given (subjective first for
    /// [`new`](Self::new)).
    pub fn inputs(&self) -> &[Weights] {
        &self.inputs
    }
    /// The coefficients of the inputs: `[alpha, 1 - alpha]` for the linear rule, the
    /// normalised `a_k*` of the game-theory rule; empty for the product rules.
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }
    /// The combined weights (sum 1, each `>= 0`).
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
}

// exact values: closed forms and assigned constants
#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn identical_inputs_combine_to_themselves() {
        let w = Weights::new(vec![0.6, 0.3, 0.1]).unwrap();
        for rule in [
            CombinationRule::Multiplicative,
            CombinationRule::MinimumDiscrimination,
            CombinationRule::Linear { alpha: 0.3 },
            CombinationRule::GameTheory,
        ] {
            let c = CombinedWeights::new(&w, &w, rule).unwrap();
            if rule == CombinationRule::Multiplicative {
                continue; // squares
            }
            for (a, b) in c.weights().as_slice().iter().zip(w.as_slice()) {
                assert!((a - b).abs() < 1e-15, "{rule:?}");
            }
        }
        let g = CombinedWeights::new(&w, &w, CombinationRule::GameTheory).unwrap();
        assert!((g.coefficients()[0] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn bad_input_is_typed() {
        let a = Weights::new(vec![1.0, 0.0]).unwrap();
        let b = Weights::new(vec![0.0, 1.0]).unwrap();
        assert!(matches!(
            CombinedWeights::new(&a, &b, CombinationRule::Multiplicative),
            Err(Error::Mcdm(McdmError::NoDiscrimination { .. }))
        ));
        for alpha in [f64::NAN, -0.1, 1.5] {
            assert!(matches!(
                CombinedWeights::new(&a, &b, CombinationRule::Linear { alpha }),
                Err(Error::Mcdm(McdmError::InvalidParameter {
                    name: "alpha",
                    ..
                }))
            ));
        }
        let c = Weights::new(vec![1.0]).unwrap();
        assert!(matches!(
            CombinedWeights::new(&a, &c, CombinationRule::GameTheory),
            Err(Error::Mcdm(McdmError::WeightCount {
                expected: 2,
                found: 1,
                ..
            }))
        ));
        assert!(CombinedWeights::game_theory(&[]).is_err());
        // orthogonal vectors: a = (1, 1), equal shares
        let g = CombinedWeights::new(&a, &b, CombinationRule::GameTheory).unwrap();
        assert_eq!(g.weights().as_slice(), [0.5, 0.5]);
    }
}
