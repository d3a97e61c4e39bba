//! Consistency of a fuzzy pairwise matrix, in the convention the user names.

use core::fmt;

use crate::ahp::PriorityOptions;
use crate::error::{AhpError, Error, NumericError, Result};
use crate::fuzzy_ahp::gogus_boucher::gogus_boucher;
use crate::fuzzy_ahp::{CrispConsistency, FuzzyPairwiseMatrix, FuzzyPriorities};

/// How the consistency of a fuzzy pairwise matrix is measured. The conventions in use give
/// different CRs for the same judgements (the pyDecision one is often twice the centroid one
/// or more), so the one used is recorded in every [`FuzzyConsistency`].
///
/// | convention | crisp matrix `X` | weights `w` | `lambda` | RI |
/// |---|---|---|---|---|
/// | [`CentroidEigenvector`](Self::CentroidEigenvector) | upper entries `(l+m+u)/3`, lower entries their reciprocals (reciprocal) | principal eigenvector of `X` (or the method of the options) | principal eigenvalue of `X` | the options' table (Saaty 1980 by default) |
/// | [`GradedMeanBuckley`](Self::GradedMeanBuckley) | every entry `(l+4m+u)/6`, the lower triangle from the reciprocal fuzzy numbers (not reciprocal in general) | Buckley's crisp weights (centroids of the fuzzy weights, normalised) | `mean_i (X w)_i / w_i` | pyDecision's table |
/// | [`GogusBoucher`](Self::GogusBoucher) | two matrices, both reciprocal: the middle values `A_m = (m_ij)` and the geometric means of the bounds `A_g = (sqrt(l_ij u_ij))` | principal eigenvector of each (or the method of the options) | principal eigenvalue of each | Gogus & Boucher's `RI_m` and `RI_g` ([`GOGUS_BOUCHER_RI_MIDDLE`](crate::fuzzy_ahp::GOGUS_BOUCHER_RI_MIDDLE), [`GOGUS_BOUCHER_RI_GEOMETRIC`](crate::fuzzy_ahp::GOGUS_BOUCHER_RI_GEOMETRIC)), `n <= 10` |
///
/// In all, `CI = (lambda - n) / (n - 1)` and `CR = CI / RI(n)`; `CR = 0` for `n <= 2`. Under
/// [`GogusBoucher`](Self::GogusBoucher) the matrix is acceptable when both `CR_m` and `CR_g`
/// are below the threshold.
///
/// # Examples
///
/// The same judgements, three conventions:
///
/// ```
/// use service_quality::fuzzy_ahp::{FuzzyConsistencyConvention, FuzzyPairwiseMatrix};
/// use service_quality::DEFAULT_CR_THRESHOLD;
///
/// let m = FuzzyPairwiseMatrix::from_saaty_upper(3, &[3.0, 5.0, 2.0])?;
/// let centroid = m.consistency(FuzzyConsistencyConvention::CentroidEigenvector)?;
/// let graded = m.consistency(FuzzyConsistencyConvention::GradedMeanBuckley)?;
/// let gb = m.consistency(FuzzyConsistencyConvention::GogusBoucher)?;
/// // pyDecision 5.1.8 reports CR = 0.04928... for this matrix
/// assert!((graded.cr() - 0.049283).abs() < 1e-6);
/// assert!(centroid.cr() < 0.01);
/// assert_eq!(graded.convention(), FuzzyConsistencyConvention::GradedMeanBuckley);
/// // Gogus & Boucher: CR_m of the middle values (3, 5, 2) with RI_m(3) = 0.4890, and CR_g
/// // of the geometric means of the bounds, sqrt(2·4), sqrt(4·6), sqrt(1·3), which are
/// // consistent (sqrt 8 · sqrt 3 = sqrt 24), with RI_g(3) = 0.1796
/// let geometric = gb.geometric_mean().expect("recorded under Gogus & Boucher");
/// assert!((gb.cr() - 0.0037777).abs() < 1e-6);
/// assert!(geometric.cr().abs() < 1e-12);
/// assert!(gb.is_acceptable(DEFAULT_CR_THRESHOLD));
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - J. J. Buckley, "Fuzzy hierarchical analysis", *Fuzzy Sets and Systems* 17, 233–247, 1985.
/// - V. Pereira, pyDecision 5.1.8, `pyDecision.algorithm.fuzzy_ahp_method` (graded mean,
///   lambda from the Buckley weights, its random-index table).
/// - O. Gogus, T. O. Boucher, "Strong transitivity, rationality and weak monotonicity in fuzzy
///   pairwise comparisons", *Fuzzy Sets and Systems* 94(1), 133–144, 1998 (the convention;
///   the paper itself could not be read for this release).
/// - `Fuzzy_AHP.py` of the open-source project `Ahad-M72/FAHP_With_Extent_Analysis` (Zenodo,
///   doi 10.5281/zenodo.13824776): the random indices `RI_m` and `RI_g` used here, and an
///   implementation that takes `w` by the normalised column average (reproduced with
///   [`PriorityMethod::NormalizedColumnAverage`](crate::PriorityMethod::NormalizedColumnAverage)).
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
    /// Gogus & Boucher (1998): the middle matrix `A_m = (m_ij)` and the geometric-mean
    /// matrix of the bounds `A_g = (sqrt(l_ij u_ij))`, both reciprocal; of each, `lambda_max`
    /// (the principal eigenvalue, or by the options' priority method), `CI` and `CR` with the
    /// convention's own random index (`RI_m`, `RI_g`, `n <= 10`). The result's `lambda`, `CI`,
    /// `RI` and `CR` are those of `A_m`; [`FuzzyConsistency::geometric_mean`] gives those of
    /// `A_g`; the matrix is acceptable when both CRs are below the threshold.
    ///
    /// ```text
    /// A_m = (m_ij)                 CI_m = (lambda_m - n) / (n - 1)     CR_m = CI_m / RI_m(n)
    /// A_g = (sqrt(l_ij u_ij))      CI_g = (lambda_g - n) / (n - 1)     CR_g = CI_g / RI_g(n)
    /// acceptable:  CR_m < threshold  and  CR_g < threshold
    /// ```
    ///
    /// `lambda_m`, `lambda_g`: principal eigenvalues of `A_m`, `A_g`; `(l_ij, m_ij, u_ij)`:
    /// the judgement of criterion `i` over `j`; `n`: the number of criteria. The random
    /// indices are those of `Fuzzy_AHP.py` in the open-source project
    /// `Ahad-M72/FAHP_With_Extent_Analysis` (Zenodo, doi 10.5281/zenodo.13824776); the paper
    /// itself could not be read to check them. That implementation takes `lambda` as
    /// `mean_i (A w)_i / w_i` with `w` the normalised column average: pass
    /// [`PriorityMethod::NormalizedColumnAverage`](crate::PriorityMethod::NormalizedColumnAverage)
    /// in the options of [`FuzzyPairwiseMatrix::consistency_with`] to reproduce it.
    ///
    /// # Examples
    ///
    /// Five criteria whose middle values pass on their own (`CR_m` = 0.0841) while the
    /// bounds do not (`CR_g` = 0.2258), so the matrix is not acceptable:
    ///
    /// ```
    /// use service_quality::fuzzy_ahp::{FuzzyConsistencyConvention, FuzzyPairwiseMatrix};
    /// use service_quality::{PriorityMethod, PriorityOptions, DEFAULT_CR_THRESHOLD};
    ///
    /// // fuzzy Saaty scale: 3 -> (2, 3, 4), 1/5 -> (1/6, 1/5, 1/4), 9 -> (8, 9, 9), ...
    /// let m = FuzzyPairwiseMatrix::from_saaty_upper(
    ///     5,
    ///     &[3.0, 1.0 / 5.0, 7.0, 2.0, 1.0 / 3.0, 5.0, 1.0 / 2.0, 9.0, 4.0, 1.0 / 6.0],
    /// )?;
    /// let c = m.consistency(FuzzyConsistencyConvention::GogusBoucher)?;
    /// let g = c.geometric_mean().expect("recorded under Gogus & Boucher");
    /// assert!((c.lambda() - 5.360463).abs() < 1e-6); // principal eigenvalue of A_m
    /// assert!((c.cr() - 0.090116 / 1.0720).abs() < 1e-6); // CR_m = CI_m / RI_m(5)
    /// assert!((g.cr() - 0.081224 / 0.3597).abs() < 1e-5); // CR_g = CI_g / RI_g(5)
    /// assert!(c.cr() < DEFAULT_CR_THRESHOLD && !c.is_acceptable(DEFAULT_CR_THRESHOLD));
    ///
    /// // the normalised-column-average route of the Fuzzy_AHP.py implementation
    /// let an = PriorityOptions::new(PriorityMethod::NormalizedColumnAverage);
    /// let c = m.consistency_with(FuzzyConsistencyConvention::GogusBoucher, &an)?;
    /// assert!((c.cr() - 0.084209).abs() < 1e-6);
    /// assert!((c.geometric_mean().unwrap().cr() - 0.225220).abs() < 1e-6);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    GogusBoucher,
}

impl FuzzyConsistencyConvention {
    /// Short name, as in model files.
    pub fn name(self) -> &'static str {
        match self {
            Self::CentroidEigenvector => "centroid_eigenvector",
            Self::GradedMeanBuckley => "graded_mean_buckley",
            Self::GogusBoucher => "gogus_boucher",
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
///
/// Under [`GogusBoucher`](FuzzyConsistencyConvention::GogusBoucher) `lambda`, CI, RI and CR
/// are those of the middle matrix and [`geometric_mean`](Self::geometric_mean) gives those of
/// the geometric-mean matrix of the bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[doc(alias = "CR")]
pub struct FuzzyConsistency {
    convention: FuzzyConsistencyConvention,
    n: usize,
    main: CrispConsistency,
    geometric: Option<CrispConsistency>,
}

impl FuzzyConsistency {
    fn new(convention: FuzzyConsistencyConvention, n: usize, main: CrispConsistency) -> Self {
        Self {
            convention,
            n,
            main,
            geometric: None,
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

    /// `lambda` of the convention (the principal eigenvalue, or `mean_i (X w)_i / w_i`; of the
    /// middle matrix under Gogus & Boucher).
    pub fn lambda(&self) -> f64 {
        self.main.lambda()
    }

    /// Consistency index `(lambda - n) / (n - 1)`.
    pub fn ci(&self) -> f64 {
        self.main.ci()
    }

    /// The random index used.
    pub fn ri(&self) -> f64 {
        self.main.ri()
    }

    /// Consistency ratio `CI / RI`.
    #[doc(alias = "CR")]
    pub fn cr(&self) -> f64 {
        self.main.cr()
    }

    /// The consistency of the geometric-mean matrix of the bounds, `A_g = (sqrt(l_ij u_ij))`,
    /// under [`GogusBoucher`](FuzzyConsistencyConvention::GogusBoucher) (`CR_g`, with `RI_g`);
    /// `None` under the other conventions.
    pub fn geometric_mean(&self) -> Option<CrispConsistency> {
        self.geometric
    }

    /// `true` when `CR < threshold`, and under
    /// [`GogusBoucher`](FuzzyConsistencyConvention::GogusBoucher) also `CR_g < threshold`
    /// (never for a NaN threshold).
    pub fn is_acceptable(&self, threshold: f64) -> bool {
        self.main.is_acceptable(threshold)
            && self.geometric.is_none_or(|g| g.is_acceptable(threshold))
    }
}

impl fmt::Display for FuzzyConsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.convention, self.main)?;
        match self.geometric {
            Some(g) => write!(f, "; geometric-mean matrix: {g}"),
            None => Ok(()),
        }
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
    /// the random-index table of [`CentroidEigenvector`](FuzzyConsistencyConvention::CentroidEigenvector),
    /// and the priority method of [`GogusBoucher`](FuzzyConsistencyConvention::GogusBoucher)
    /// (the other conventions fix their own tables; pyDecision's fixes its method too).
    ///
    /// # Errors
    ///
    /// - As [`buckley`](Self::buckley) (except under `GogusBoucher`, which does not use
    ///   Buckley's weights);
    /// - [`AhpError::RandomIndexOutOfRange`] under
    ///   [`GradedMeanBuckley`](FuzzyConsistencyConvention::GradedMeanBuckley) for more than 15
    ///   criteria (pyDecision's table ends there), and under `GogusBoucher` for more than 10
    ///   (the end of `RI_m` and `RI_g`; table `custom`, `max_n = 10`);
    /// - under `GogusBoucher`, as [`PairwiseMatrix::priorities_with`](crate::PairwiseMatrix::priorities_with)
    ///   for either crisp matrix.
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
        if convention == FuzzyConsistencyConvention::GogusBoucher {
            return self.gogus_boucher_consistency(opts);
        }
        let p = self.buckley(opts)?;
        self.consistency_of(&p, convention, opts)
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
        if convention == FuzzyConsistencyConvention::GogusBoucher {
            // checked first: a size beyond its tables is reported as such
            let c = self.gogus_boucher_consistency(opts)?;
            return Ok((self.buckley(opts)?, c));
        }
        let p = self.buckley(opts)?;
        let c = self.consistency_of(&p, convention, opts)?;
        Ok((p, c))
    }

    /// Gogus & Boucher's two consistencies, the middle matrix's as the main one.
    fn gogus_boucher_consistency(&self, opts: &PriorityOptions) -> Result<FuzzyConsistency> {
        let (middle, geometric) = gogus_boucher(self, opts)?;
        Ok(FuzzyConsistency {
            geometric: Some(geometric),
            ..FuzzyConsistency::new(FuzzyConsistencyConvention::GogusBoucher, self.n(), middle)
        })
    }

    fn consistency_of(
        &self,
        p: &FuzzyPriorities,
        convention: FuzzyConsistencyConvention,
        opts: &PriorityOptions,
    ) -> Result<FuzzyConsistency> {
        let n = self.n();
        match convention {
            FuzzyConsistencyConvention::CentroidEigenvector => {
                let r = CrispConsistency::from_report(p.consistency().consistency());
                Ok(FuzzyConsistency::new(convention, n, r))
            }
            FuzzyConsistencyConvention::GogusBoucher => self.gogus_boucher_consistency(opts),
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
                Ok(FuzzyConsistency::new(
                    convention,
                    n,
                    CrispConsistency::new(n, lambda, ri),
                ))
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
    fn crisp_consistent_matrix_has_cr_zero_in_every_convention() {
        // crisp judgements of the consistent matrix w = (4, 2, 1) / 7
        let crisp = |x| crate::fuzzy_ahp::TriangularFuzzyNumber::crisp(x).unwrap();
        let m = FuzzyPairwiseMatrix::from_upper_triangle(3, &[crisp(2.0), crisp(4.0), crisp(2.0)])
            .unwrap();
        for conv in [
            FuzzyConsistencyConvention::CentroidEigenvector,
            FuzzyConsistencyConvention::GradedMeanBuckley,
            FuzzyConsistencyConvention::GogusBoucher,
        ] {
            let c = m.consistency(conv).unwrap();
            assert!(c.cr().abs() < 1e-12, "{c}");
            assert!((c.lambda() - 3.0).abs() < 1e-12, "{c}");
            assert!(c.is_acceptable(crate::DEFAULT_CR_THRESHOLD), "{c}");
        }
    }

    #[test]
    fn two_criteria_have_cr_zero() {
        let m = FuzzyPairwiseMatrix::from_saaty_upper(2, &[5.0]).unwrap();
        for conv in [
            FuzzyConsistencyConvention::CentroidEigenvector,
            FuzzyConsistencyConvention::GradedMeanBuckley,
            FuzzyConsistencyConvention::GogusBoucher,
        ] {
            let c = m.consistency(conv).unwrap();
            assert_eq!(c.cr(), 0.0);
            assert!(c
                .geometric_mean()
                .is_none_or(|g| g.cr() == 0.0 && g.ci() == 0.0));
        }
    }
}
