//! Named tolerances and small numeric helpers shared by the crate.

use crate::error::{AhpError, ArgumentError, Parameter, Result};

/// Absolute tolerance within which weights must sum to 1 (`|sum - 1| <= WEIGHT_SUM_TOL`).
///
/// Weights printed in papers are usually rounded to 3–4 decimals and miss this by up to ~1e-3;
/// pass them through [`Weights::normalize`](crate::Weights::normalize) instead.
pub const WEIGHT_SUM_TOL: f64 = 1e-9;

/// Default relative tolerance for the reciprocity check `a_ji = 1 / a_ij` of full matrices:
/// `|a_ij * a_ji - 1| <= RECIPROCAL_RTOL`.
///
/// `1e-3` accepts rows typed with four significant digits (`0.3333` for 1/3) and still rejects
/// any real disagreement between the two entries.
pub const RECIPROCAL_RTOL: f64 = 1e-3;

/// Default convergence tolerance of the eigenvector power iteration: iteration stops when no
/// weight changes by more than this between two iterations.
pub const DEFAULT_EIGEN_TOL: f64 = 1e-12;

/// Default iteration cap of the eigenvector power iteration.
pub const DEFAULT_MAX_ITER: usize = 1000;

/// Relative distance from `n` within which `lambda_max` is rounding: a value within
/// `LAMBDA_ROUNDING_RTOL * n` of `n` is reported as `n` exactly (CI = CR = 0).
///
/// The power iteration's eigenvalue is accurate to about 1e-11 on matrices up to n = 15 with
/// `lambda_max` up to ~40; a consistent matrix gives `n` within a few ulp.
pub(crate) const LAMBDA_ROUNDING_RTOL: f64 = 1e-12;

/// Default consistency-ratio threshold (Saaty's 10 % rule): a matrix is acceptable when
/// `CR < DEFAULT_CR_THRESHOLD`.
#[doc(alias = "CR")]
pub const DEFAULT_CR_THRESHOLD: f64 = 0.10;

/// `Ok(value)` when `value` is finite and `> 0`, else [`ArgumentError::InvalidParameter`] for
/// `name`.
pub(crate) fn positive_parameter(name: Parameter, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ArgumentError::InvalidParameter { name, value }.into())
    }
}

/// Largest number of criteria a pairwise matrix may have (the `n x n` entries of the
/// largest take 8 MiB). Far beyond what pairwise comparison is used for (n <= 15 for Saaty's
/// random index table, n <= 100 for Donegan–Dodd's), and it keeps `n * n` from overflowing.
/// A consistency report beyond n = 100 needs a custom random index table; all the limits are
/// listed in [the `ahp` module](crate::ahp#limits).
pub const MAX_CRITERIA: usize = 1024;

/// `Ok(())` for `1 <= n <= MAX_CRITERIA`.
pub(crate) fn check_criteria(n: usize, what: &'static str) -> Result<()> {
    if n == 0 {
        Err(ArgumentError::Empty { what }.into())
    } else if n > MAX_CRITERIA {
        Err(AhpError::TooManyCriteria {
            n,
            max: MAX_CRITERIA,
        }
        .into())
    } else {
        Ok(())
    }
}

/// `Ok(count)` when `count >= 1`, else [`ArgumentError::InvalidParameter`] for `name`.
pub(crate) fn nonzero_count(name: Parameter, count: usize) -> Result<usize> {
    if count == 0 {
        Err(ArgumentError::InvalidParameter { name, value: 0.0 }.into())
    } else {
        Ok(count)
    }
}

/// `true` when `x` is finite and strictly positive (NaN fails).
#[inline]
pub(crate) fn is_positive_finite(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

/// Absolute tolerance within which two entries of a normalised membership vector count as a
/// tie for the maximum-membership grade: grade `j` is tied for the top when
/// `b_max - b_j <= MEMBERSHIP_TIE_TOL`.
///
/// `1e-12` absorbs rounding in sums of a few hundred products (so `0.3` computed two ways is
/// still a tie) and is far below any difference a survey or KPI could produce.
pub const MEMBERSHIP_TIE_TOL: f64 = 1e-12;
