//! Fuzzy composition operators `B = A o R`.

use std::fmt;

use crate::error::{EvaluationError, Result};
use crate::evaluation::matrix::MembershipMatrix;
use crate::evaluation::rules;
use crate::evaluation::FuzzyResult;
use crate::model::grades::GradeSet;

/// The composition operator of a fuzzy comprehensive evaluation `B = A o R`.
///
/// With weights `a_i` (`i = 1..k`, one per row of `R`) and memberships `r_ij` (`j = 1..m`):
///
/// ```text
/// WeightedAverage  M(·,+)   b_j = sum_i a_i * r_ij
/// ZadehMaxMin      M(∧,∨)   b_j = max_i min(a_i, r_ij)
/// ProductMax       M(·,∨)   b_j = max_i a_i * r_ij
/// BoundedSum       M(∧,⊕)   b_j = min(1, sum_i min(a_i, r_ij))
/// ```
///
/// The weights are used exactly as given: they are not renormalised, so with `M(·,+)`,
/// weights summing to 1 and rows summing to 1, `B` sums to 1 as well; with the other operators
/// `B` generally does not sum to 1 and is normalised afterwards ([`FuzzyResult`]).
///
/// When to use which (Li & Wang 1996 and the standard Chinese textbooks list the same ranking):
///
/// | operator | uses weights | uses all of `R` | type | use when |
/// |---|---|---|---|---|
/// | `M(·,+)` | fully | yes | weighted average (加权平均型) | the default: every indicator contributes in proportion to its weight; the only operator for which multi-level evaluation equals single-level evaluation with global weights |
/// | `M(∧,∨)` | barely | no | main-factor decisive (主因素决定型) | one dominant indicator should decide; loses most information, and with many indicators small weights cap every `b_j` |
/// | `M(·,∨)` | yes | no | main-factor prominent (主因素突出型) | like `M(∧,∨)` but finer: the weight scales rather than caps |
/// | `M(∧,⊕)` | somewhat | yes | bounded sum (取小上界和型) | all indicators should count but weights are rough; saturates at 1 when many indicators agree |
///
/// # Examples
///
/// The SPSSAU worked example (see the crate's reference tests for the source):
///
/// ```
/// use service_quality::{FuzzyOperator, MembershipMatrix};
///
/// let r = MembershipMatrix::from_rows(&[
///     [0.2, 0.5, 0.3, 0.0],
///     [0.1, 0.3, 0.5, 0.1],
///     [0.0, 0.1, 0.6, 0.3],
///     [0.0, 0.4, 0.5, 0.1],
///     [0.5, 0.3, 0.2, 0.0],
/// ])?;
/// let b = FuzzyOperator::WeightedAverage.compose(&[0.1, 0.1, 0.15, 0.3, 0.35], &r)?;
/// for (got, want) in b.iter().zip([0.205, 0.320, 0.390, 0.085]) {
///     assert!((got - want).abs() < 1e-12);
/// }
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - L. A. Zadeh, "Fuzzy sets", *Information and Control* 8(3), 338–353, 1965 (max–min
///   composition).
/// - Wang P. Z. (汪培庄), 《模糊集合论及其应用》, 上海科学技术出版社, 1983 (the generalised operators
///   `M(·,∨)`, `M(∧,⊕)`, `M(·,+)`).
/// - H.-X. Li, V. C. Yen, *Fuzzy Sets and Fuzzy Decision-Making*, CRC Press, 1995, ch. 4.
/// - 司守奎, 孙玺菁,《数学建模算法与应用》, 国防工业出版社, ch. 14 (模糊综合评判).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FuzzyOperator {
    /// `M(·,+)`: `b_j = sum_i a_i r_ij` (weighted average; the default).
    #[default]
    WeightedAverage,
    /// `M(∧,∨)`: `b_j = max_i min(a_i, r_ij)` (Zadeh max–min).
    ZadehMaxMin,
    /// `M(·,∨)`: `b_j = max_i a_i r_ij` (product–max).
    ProductMax,
    /// `M(∧,⊕)`: `b_j = min(1, sum_i min(a_i, r_ij))` (bounded sum).
    BoundedSum,
}

impl FuzzyOperator {
    /// All operators, in declaration order.
    pub const ALL: [FuzzyOperator; 4] = [
        Self::WeightedAverage,
        Self::ZadehMaxMin,
        Self::ProductMax,
        Self::BoundedSum,
    ];

    /// The usual notation: `M(·,+)`, `M(∧,∨)`, `M(·,∨)` or `M(∧,⊕)`.
    pub fn notation(self) -> &'static str {
        match self {
            Self::WeightedAverage => "M(·,+)",
            Self::ZadehMaxMin => "M(∧,∨)",
            Self::ProductMax => "M(·,∨)",
            Self::BoundedSum => "M(∧,⊕)",
        }
    }

    /// Computes the raw `B = A o R` (not normalised). Every `b_j` is finite and `>= 0`.
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::WeightCountMismatch`] when `weights.len() != r.n_rows()`;
    /// - [`EvaluationError::CompositionWeight`] for the first weight that is NaN, infinite or
    ///   outside `[0, 1]`.
    pub fn compose(self, weights: &[f64], r: &MembershipMatrix) -> Result<Vec<f64>> {
        if weights.len() != r.n_rows() {
            return Err(EvaluationError::WeightCountMismatch {
                weights: weights.len(),
                rows: r.n_rows(),
            }
            .into());
        }
        for (index, &value) in weights.iter().enumerate() {
            if !((0.0..=1.0).contains(&value)) {
                return Err(EvaluationError::CompositionWeight { index, value }.into());
            }
        }
        Ok(self.compose_checked(weights, r))
    }

    /// [`compose`](Self::compose) on inputs the crate has already checked.
    pub(crate) fn compose_checked(self, weights: &[f64], r: &MembershipMatrix) -> Vec<f64> {
        let mut b = vec![0.0; r.n_grades()];
        rules::compose_into(self, &mut b, weights.iter().copied().zip(r.rows()));
        b
    }

    /// Composes, normalises and grades in one step: a single-level evaluation.
    ///
    /// # Errors
    ///
    /// As [`compose`](Self::compose), plus [`EvaluationError::GradeCountMismatch`] when `R` has not
    /// one column per grade and [`EvaluationError::ZeroMembership`] when `B` sums to 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{FuzzyOperator, GradeSet, MembershipMatrix};
    ///
    /// let r = MembershipMatrix::from_rows(&[[0.6, 0.4, 0.0, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0, 0.0]])?;
    /// let res = FuzzyOperator::WeightedAverage.evaluate(&[0.5, 0.5], &r, &GradeSet::satisfaction_5())?;
    /// assert_eq!(res.grade(), 1); // 满意 (0.45)
    /// assert!((res.score() - (0.3 * 95.0 + 0.45 * 85.0 + 0.25 * 75.0)).abs() < 1e-9);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn evaluate(
        self,
        weights: &[f64],
        r: &MembershipMatrix,
        grades: &GradeSet,
    ) -> Result<FuzzyResult> {
        if r.n_grades() != grades.len() {
            return Err(EvaluationError::GradeCountMismatch {
                grades: grades.len(),
                found: r.n_grades(),
            }
            .into());
        }
        FuzzyResult::from_raw(self.compose(weights, r)?, grades)
    }
}

impl fmt::Display for FuzzyOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.notation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn closed_forms_on_two_rows() {
        let r = MembershipMatrix::from_rows(&[[0.6, 0.4], [0.2, 0.8]]).unwrap();
        let a = [0.7, 0.3];
        use FuzzyOperator::*;
        assert!(close(
            &WeightedAverage.compose(&a, &r).unwrap(),
            &[0.7 * 0.6 + 0.3 * 0.2, 0.7 * 0.4 + 0.3 * 0.8]
        ));
        assert!(close(&ZadehMaxMin.compose(&a, &r).unwrap(), &[0.6, 0.4]));
        assert!(close(&ProductMax.compose(&a, &r).unwrap(), &[0.42, 0.28]));
        assert!(close(&BoundedSum.compose(&a, &r).unwrap(), &[0.8, 0.7]));
        let heavy = MembershipMatrix::from_rows(&[[1.0, 0.0], [1.0, 0.0]]).unwrap();
        assert!(close(
            &BoundedSum.compose(&[0.9, 0.9], &heavy).unwrap(),
            &[1.0, 0.0]
        ));
    }

    #[test]
    fn checks_weights() {
        let r = MembershipMatrix::from_rows(&[[0.5, 0.5]]).unwrap();
        assert_eq!(
            FuzzyOperator::ProductMax.compose(&[0.5, 0.5], &r),
            Err(Error::Evaluation(EvaluationError::WeightCountMismatch {
                weights: 2,
                rows: 1
            }))
        );
        assert!(matches!(
            FuzzyOperator::ZadehMaxMin.compose(&[f64::NAN], &r),
            Err(Error::Evaluation(EvaluationError::CompositionWeight {
                index: 0,
                ..
            }))
        ));
        assert!(matches!(
            FuzzyOperator::ZadehMaxMin.compose(&[1.5], &r),
            Err(Error::Evaluation(EvaluationError::CompositionWeight {
                index: 0,
                ..
            }))
        ));
        assert_eq!(FuzzyOperator::BoundedSum.to_string(), "M(∧,⊕)");
    }
}
