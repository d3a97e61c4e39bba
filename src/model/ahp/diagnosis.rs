//! The most inconsistent judgements of a matrix, ranked.

use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::PriorityMethod;
use crate::error::{NumericError, Result};

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
    /// ([`NumericError::NoConvergence`], [`NumericError::NumericalRange`]), and
    /// [`NumericError::NumericalRange`] when a consistent value or error ratio leaves the range
    /// of `f64`.
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
        rank(self, &w)
    }
}

/// Judgements ranked by `|ln e_ij|`, largest first (stable); `w` positive.
///
/// # Errors
///
/// [`NumericError::NumericalRange`] when a consistent value `w_i / w_j` or an error ratio
/// `a_ij w_j / w_i` is not a normal positive `f64` (computed in logarithms, so only values
/// truly out of range fail).
pub(crate) fn rank(m: &PairwiseMatrix, w: &[f64]) -> Result<Vec<InconsistentJudgement>> {
    let n = m.n();
    let a = m.as_slice();
    let in_range = |x: f64| x.is_finite() && x >= f64::MIN_POSITIVE;
    // direct where that stays in range, else in logs (w_i / w_j may overflow on its own while
    // a_ij w_j / w_i is moderate)
    let ratio = |direct: f64, log: &dyn Fn() -> f64| {
        if in_range(direct) {
            direct
        } else {
            log().exp()
        }
    };
    let mut out = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in (i + 1)..n {
            let value = a[i * n + j];
            let consistent_value = ratio(w[i] / w[j], &|| w[i].ln() - w[j].ln());
            // NaN (so logs) when the product alone loses precision in the subnormal range
            let product = value * w[j];
            let direct = if in_range(product) {
                product / w[i]
            } else {
                f64::NAN
            };
            let error = ratio(direct, &|| value.ln() + w[j].ln() - w[i].ln());
            if !(in_range(consistent_value) && in_range(error)) {
                return Err(NumericError::NumericalRange {
                    what: "judgement error ratio a_ij w_j / w_i",
                }
                .into());
            }
            out.push(InconsistentJudgement {
                i,
                j,
                value,
                consistent_value,
                error,
            });
        }
    }
    out.sort_by(|x, y| y.log_error().total_cmp(&x.log_error()));
    Ok(out)
}
