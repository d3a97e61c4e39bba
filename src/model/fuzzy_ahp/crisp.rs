//! The consistency of one crisp matrix derived from a fuzzy pairwise matrix.

use core::fmt;

use crate::ahp::ConsistencyReport;

/// The consistency of one crisp matrix derived from a fuzzy pairwise matrix: the matrix a
/// [`FuzzyConsistencyConvention`](crate::fuzzy_ahp::FuzzyConsistencyConvention) checks, and
/// under [`GogusBoucher`](crate::fuzzy_ahp::FuzzyConsistencyConvention::GogusBoucher) the
/// geometric-mean matrix of the bounds as well
/// ([`FuzzyConsistency::geometric_mean`](crate::fuzzy_ahp::FuzzyConsistency::geometric_mean)).
///
/// ```text
/// CI = (lambda - n) / (n - 1)        CR = CI / RI(n)        (CR = 0 for n <= 2)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[doc(alias = "CR")]
pub struct CrispConsistency {
    lambda: f64,
    ci: f64,
    ri: f64,
    cr: f64,
}

impl CrispConsistency {
    /// `lambda_max` of the matrix (the principal eigenvalue, or `mean_i (A w)_i / w_i` for an
    /// approximate priority method).
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

    /// `true` when `CR < threshold` (never for a NaN threshold).
    pub fn is_acceptable(&self, threshold: f64) -> bool {
        self.cr < threshold
    }
}

impl fmt::Display for CrispConsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lambda = {:.6}, CI = {:.6}, RI = {}, CR = {:.6}",
            self.lambda, self.ci, self.ri, self.cr
        )
    }
}

impl CrispConsistency {
    /// From `lambda` and `RI(n)`: `CI = (lambda - n) / (n - 1)` (0 for `n <= 1`) and
    /// `CR = CI / RI` (0 for `n <= 2` or a zero RI).
    pub(super) fn new(n: usize, lambda: f64, ri: f64) -> Self {
        let ci = if n <= 1 {
            0.0
        } else {
            (lambda - n as f64) / (n as f64 - 1.0)
        };
        let cr = if n <= 2 || !(ri > 0.0) { 0.0 } else { ci / ri };
        Self { lambda, ci, ri, cr }
    }

    /// The values of a crisp pairwise matrix's report.
    pub(super) fn from_report(r: &ConsistencyReport) -> Self {
        Self {
            lambda: r.lambda_max(),
            ci: r.ci(),
            ri: r.ri(),
            cr: r.cr(),
        }
    }
}
