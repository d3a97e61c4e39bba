//! The most inconsistent judgements of a matrix, ranked.

use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::PriorityMethod;
use crate::error::Result;

/// One judgement `a_ij` (`i < j`) compared with what the priorities say it should be.
///
/// ```text
/// e_ij = a_ij * w_j / w_i        (1 when the judgement agrees with the priorities)
/// consistent value = w_i / w_j   (the judgement that would agree)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InconsistentJudgement {
    /// Row of the judgement.
    pub i: usize,
    /// Column of the judgement (`i < j`).
    pub j: usize,
    /// The judgement as given, `a_ij`.
    pub value: f64,
    /// The value consistent with the priorities of the whole matrix, `w_i / w_j`.
    pub consistent_value: f64,
    /// The error ratio `e_ij = a_ij w_j / w_i`.
    pub error: f64,
}

impl InconsistentJudgement {
    /// `|ln e_ij|`, the ranking key (symmetric in over- and under-statement).
    pub fn log_error(&self) -> f64 {
        self.error.ln().abs()
    }
}

impl PairwiseMatrix {
    /// All judgements above the diagonal, most inconsistent first, ranked by `|ln e_ij|` with
    /// `e_ij = a_ij w_j / w_i` and `w` the priorities by `method`.
    ///
    /// The first entry is the judgement to revisit first; its `consistent_value` is what the
    /// other judgements imply for it. Ties keep row-major order. Empty for `n = 1`.
    ///
    /// # Errors
    ///
    /// As [`priorities`](Self::priorities) without the random index check
    /// ([`NumericError::NoConvergence`](crate::NumericError::NoConvergence),
    /// [`NumericError::NumericalRange`](crate::NumericError::NumericalRange)).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{PairwiseMatrix, PriorityMethod};
    ///
    /// // consistent with w = (4, 2, 1, 1) except a_23, which should be 1
    /// let m = PairwiseMatrix::from_upper_triangle(4, &[2.0, 4.0, 4.0, 2.0, 2.0, 7.0])?;
    /// let ranked = m.inconsistent_judgements(PriorityMethod::GeometricMean)?;
    /// assert_eq!((ranked[0].i, ranked[0].j), (2, 3));
    /// assert!(ranked[0].consistent_value < 7.0);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    ///
    /// # References
    ///
    /// - T. L. Saaty, "Decision-making with the AHP: why is the principal eigenvector
    ///   necessary", *EJOR* 145, 85–91, 2003 (revising the judgement with the largest
    ///   `a_ij w_j / w_i`).
    pub fn inconsistent_judgements(
        &self,
        method: PriorityMethod,
    ) -> Result<Vec<InconsistentJudgement>> {
        let w = self.priorities_raw(method)?;
        Ok(rank(self, &w))
    }
}

/// Judgements ranked by `|ln e_ij|`, largest first (stable).
pub(crate) fn rank(m: &PairwiseMatrix, w: &[f64]) -> Vec<InconsistentJudgement> {
    let n = m.n();
    let a = m.as_slice();
    let mut out = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in (i + 1)..n {
            let value = a[i * n + j];
            out.push(InconsistentJudgement {
                i,
                j,
                value,
                consistent_value: w[i] / w[j],
                error: value * w[j] / w[i],
            });
        }
    }
    out.sort_by(|x, y| y.log_error().total_cmp(&x.log_error()));
    out
}
