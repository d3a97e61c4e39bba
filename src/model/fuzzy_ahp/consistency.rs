//! Consistency of a fuzzy pairwise matrix, in the convention the user names.

use core::fmt;

use crate::ahp::PriorityOptions;
use crate::error::{AhpError, Error, NumericError, Result};
use crate::fuzzy_ahp::{FuzzyPairwiseMatrix, FuzzyPriorities};

/// How the consistency of a fuzzy pairwise matrix is measured. The conventions in use give
/// different CRs for the same judgements (the pyDecision one is often twice the centroid one
/// or more), so the one used is recorded in every [`FuzzyConsistency`].
///
/// | convention | crisp matrix `X` | weights `w` | `lambda` | RI |
/// |---|---|---|---|---|
/// | [`CentroidEigenvector`](Self::CentroidEigenvector) | upper entries `(l+m+u)/3`, lower entries their reciprocals (reciprocal) | principal eigenvector of `X` (or the method of the options) | principal eigenvalue of `X` | the options' table (Saaty 1980 by default) |
/// | [`GradedMeanBuckley`](Self::GradedMeanBuckley) | every entry `(l+4m+u)/6`, the lower triangle from the reciprocal fuzzy numbers (not reciprocal in general) | Buckley's crisp weights (centroids of the fuzzy weights, normalised) | `mean_i (X w)_i / w_i` | pyDecision's table |
///
/// In both, `CI = (lambda - n) / (n - 1)` and `CR = CI / RI(n)`; `CR = 0` for `n <= 2`.
///
/// Gogus & Boucher (1998) — the CRs of the middle matrix and of the geometric-mean matrix of
/// the bounds, each with its own random index — is not offered: its random-index table could
/// not be checked against the paper for this release.
///
/// # Examples
///
/// The same judgements, two conventions:
///
/// ```
/// use service_quality::fuzzy_ahp::{FuzzyConsistencyConvention, FuzzyPairwiseMatrix};
///
/// let m = FuzzyPairwiseMatrix::from_saaty_upper(3, &[3.0, 5.0, 2.0])?;
/// let centroid = m.consistency(FuzzyConsistencyConvention::CentroidEigenvector)?;
/// let graded = m.consistency(FuzzyConsistencyConvention::GradedMeanBuckley)?;
/// // pyDecision 5.1.8 reports CR = 0.04928... for this matrix
/// assert!((graded.cr() - 0.049283).abs() < 1e-6);
/// assert!(centroid.cr() < 0.01);
/// assert_eq!(graded.convention(), FuzzyConsistencyConvention::GradedMeanBuckley);
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247, 1985.
/// - V. Pereira, pyDecision 5.1.8, `pyDecision.algorithm.fuzzy_ahp_method` (graded mean,
///   lambda from the Buckley weights, its random-index table).
/// - O. Gogus, T. O. Boucher, "Strong transitivity, rationality and weak monotonicity in fuzzy
///   pairwise comparisons", *Fuzzy Sets and Systems* 94, 133–144, 1998 (not implemented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FuzzyConsistencyConvention {
    /// The crate's historical convention (what [`FuzzyPairwiseMatrix::buckley`] reports):
    /// the centroid-defuzzified upper triangle with its reciprocals, the eigenvector lambda
    /// (with the options' priority method) and the options' random-index table.
    #[default]
    CentroidEigenvector,
    /// pyDecision's convention (`fuzzy_ahp_method`, version 5.1.8): the graded mean
    /// `(l + 4m + u) / 6` of every entry of the whole matrix, `lambda = mean_i (X w)_i / w_i`
    /// with Buckley's crisp weights `w`, and pyDecision's random-index table
    /// ([`PYDECISION_RANDOM_INDEX`]).
    GradedMeanBuckley,
}

impl FuzzyConsistencyConvention {
    /// Short name, as in model files.
    pub fn name(self) -> &'static str {
        match self {
            Self::CentroidEigenvector => "centroid_eigenvector",
            Self::GradedMeanBuckley => "graded_mean_buckley",
        }
    }
}

impl fmt::Display for FuzzyConsistencyConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// pyDecision's random-index table (`inc_rat` in `fuzzy_ahp_method`, version 5.1.8):
/// `PYDECISION_RANDOM_INDEX[n]` is RI for `n` criteria, `n <= 15`. Kept as printed there,
/// including the value for `n = 12` (1.48), which is below that for `n = 11` (1.51).
pub const PYDECISION_RANDOM_INDEX: [f64; 16] = [
    0.0, 0.0, 0.0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// The consistency of a fuzzy pairwise matrix under one [`FuzzyConsistencyConvention`].
///
/// ```text
/// CI = (lambda - n) / (n - 1)        CR = CI / RI(n)        (CR = 0 for n <= 2)
/// ```
///
/// Under [`GradedMeanBuckley`](FuzzyConsistencyConvention::GradedMeanBuckley) the crisp matrix
/// is not reciprocal, so `lambda` may fall below `n` and CI and CR be negative; they are
/// reported as computed, as pyDecision does. For `n <= 2` pyDecision divides by `RI = 0`
/// (and reports an infinite or NaN CR); here `CR = 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[doc(alias = "CR")]
pub struct FuzzyConsistency {
    convention: FuzzyConsistencyConvention,
    n: usize,
    lambda: f64,
    ci: f64,
    ri: f64,
    cr: f64,
}

impl FuzzyConsistency {
    fn new(convention: FuzzyConsistencyConvention, n: usize, lambda: f64, ri: f64) -> Self {
        let ci = if n <= 1 {
            0.0
        } else {
            (lambda - n as f64) / (n as f64 - 1.0)
        };
        let cr = if n <= 2 || !(ri > 0.0) { 0.0 } else { ci / ri };
        Self {
            convention,
            n,
            lambda,
            ci,
            ri,
            cr,
        }
    }

    /// The convention the values were computed in.
    pub fn convention(&self) -> FuzzyConsistencyConvention {
        self.convention
    }

    /// Number of criteria.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `lambda` of the convention (the principal eigenvalue, or `mean_i (X w)_i / w_i`).
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// Consistency index `(lambda - n) / (n - 1)`.
    pub fn ci(&self) -> f64 {
        self.ci
    }

    /// The random index used.
    pub fn ri(&self) -> f64 {
        self.ri
    }

    /// Consistency ratio `CI / RI`.
    #[doc(alias = "CR")]
    pub fn cr(&self) -> f64 {
        self.cr
    }

    /// `true` when `CR < threshold`.
    pub fn is_acceptable(&self, threshold: f64) -> bool {
        self.cr < threshold
    }
}

impl fmt::Display for FuzzyConsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: lambda = {:.6}, CI = {:.6}, RI = {}, CR = {:.6}",
            self.convention, self.lambda, self.ci, self.ri, self.cr
        )
    }
}

impl FuzzyPairwiseMatrix {
    /// The consistency of the matrix in `convention`, with the default priority options
    /// (eigenvector method, Saaty's random index) where the convention uses them.
    ///
    /// # Errors
    ///
    /// As [`consistency_with`](Self::consistency_with).
    pub fn consistency(&self, convention: FuzzyConsistencyConvention) -> Result<FuzzyConsistency> {
        self.consistency_with(convention, &PriorityOptions::default())
    }

    /// The consistency of the matrix in `convention`; `opts` gives the priority method and
    /// the random-index table of [`CentroidEigenvector`](FuzzyConsistencyConvention::CentroidEigenvector)
    /// (the other convention fixes its own).
    ///
    /// # Errors
    ///
    /// - As [`buckley`](Self::buckley);
    /// - [`AhpError::RandomIndexOutOfRange`] under
    ///   [`GradedMeanBuckley`](FuzzyConsistencyConvention::GradedMeanBuckley) for more than 15
    ///   criteria (pyDecision's table ends there).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::fuzzy_ahp::{FuzzyConsistencyConvention, FuzzyPairwiseMatrix};
    /// use service_quality::PriorityOptions;
    ///
    /// let m = FuzzyPairwiseMatrix::from_saaty_upper(3, &[3.0, 5.0, 2.0])?;
    /// let c = m.consistency_with(
    ///     FuzzyConsistencyConvention::CentroidEigenvector,
    ///     &PriorityOptions::default(),
    /// )?;
    /// // the same numbers as the report of `buckley`
    /// let p = m.buckley(&PriorityOptions::default())?;
    /// assert_eq!(c.cr(), p.consistency().cr());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn consistency_with(
        &self,
        convention: FuzzyConsistencyConvention,
        opts: &PriorityOptions,
    ) -> Result<FuzzyConsistency> {
        let p = self.buckley(opts)?;
        self.consistency_of(&p, convention)
    }

    /// Buckley's weights (as [`buckley`](Self::buckley)) with the consistency in
    /// `convention`.
    ///
    /// # Errors
    ///
    /// As [`consistency_with`](Self::consistency_with).
    pub fn buckley_with(
        &self,
        opts: &PriorityOptions,
        convention: FuzzyConsistencyConvention,
    ) -> Result<(FuzzyPriorities, FuzzyConsistency)> {
        let p = self.buckley(opts)?;
        let c = self.consistency_of(&p, convention)?;
        Ok((p, c))
    }

    fn consistency_of(
        &self,
        p: &FuzzyPriorities,
        convention: FuzzyConsistencyConvention,
    ) -> Result<FuzzyConsistency> {
        let n = self.n();
        match convention {
            FuzzyConsistencyConvention::CentroidEigenvector => {
                let r = p.consistency().consistency();
                Ok(FuzzyConsistency {
                    convention,
                    n,
                    lambda: r.lambda_max(),
                    ci: r.ci(),
                    ri: r.ri(),
                    cr: r.cr(),
                })
            }
            FuzzyConsistencyConvention::GradedMeanBuckley => {
                let ri = *PYDECISION_RANDOM_INDEX.get(n).ok_or(Error::Ahp(
                    AhpError::RandomIndexOutOfRange {
                        table: crate::ahp::RandomIndexKind::Custom,
                        max_n: PYDECISION_RANDOM_INDEX.len() - 1,
                        n,
                    },
                ))?;
                let w = p.weights().as_slice();
                let a = self.as_slice();
                let mut sum = 0.0;
                for (row, &wi) in a.chunks_exact(n).zip(w) {
                    let xw: f64 = row
                        .iter()
                        .zip(w)
                        .map(|(x, &wj)| graded_mean(x.to_array()) * wj)
                        .sum();
                    sum += xw / wi;
                }
                let lambda = sum / n as f64;
                if !lambda.is_finite() {
                    return Err(NumericError::NumericalRange {
                        what: "graded-mean lambda of a fuzzy matrix",
                    }
                    .into());
                }
                Ok(FuzzyConsistency::new(convention, n, lambda, ri))
            }
        }
    }
}

/// The graded mean `(l + 4m + u) / 6` of a triangular fuzzy number.
fn graded_mean([l, m, u]: [f64; 3]) -> f64 {
    (l + 4.0 * m + u) / 6.0
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn crisp_consistent_matrix_has_cr_zero_in_both() {
        // crisp judgements of the consistent matrix w = (4, 2, 1) / 7
        let crisp = |x| crate::fuzzy_ahp::TriangularFuzzyNumber::crisp(x).unwrap();
        let m = FuzzyPairwiseMatrix::from_upper_triangle(3, &[crisp(2.0), crisp(4.0), crisp(2.0)])
            .unwrap();
        for conv in [
            FuzzyConsistencyConvention::CentroidEigenvector,
            FuzzyConsistencyConvention::GradedMeanBuckley,
        ] {
            let c = m.consistency(conv).unwrap();
            assert!(c.cr().abs() < 1e-12, "{c}");
            assert!((c.lambda() - 3.0).abs() < 1e-12, "{c}");
        }
    }

    #[test]
    fn two_criteria_have_cr_zero() {
        let m = FuzzyPairwiseMatrix::from_saaty_upper(2, &[5.0]).unwrap();
        for conv in [
            FuzzyConsistencyConvention::CentroidEigenvector,
            FuzzyConsistencyConvention::GradedMeanBuckley,
        ] {
            assert_eq!(m.consistency(conv).unwrap().cr(), 0.0);
        }
    }
}
