//! Geometric consistency index (GCI) of the row geometric mean method, and the geometric
//! compatibility of a matrix with a given priority vector.

use core::fmt;

use crate::ahp::matrix::PairwiseMatrix;
use crate::ahp::priority::PriorityMethod;
use crate::error::{CountOf, HierarchyError, Result, WeightsError};
use crate::model::weights::Weights;

/// Aguarón & Moreno-Jiménez (2003) threshold for the GCI of an `n x n` matrix: 0.31 for
/// `n = 3`, 0.35 for `n = 4`, 0.37 for `n > 4`; `None` for `n <= 2` (always consistent).
///
/// The thresholds play the role of CR = 0.10 for the eigenvector method.
pub fn gci_threshold(n: usize) -> Option<f64> {
    match n {
        0..=2 => None,
        3 => Some(0.31),
        4 => Some(0.35),
        _ => Some(0.37),
    }
}

/// `2 / ((n-1)(n-2)) * sum_{i<j} ln^2(a_ij w_j / w_i)`; 0 for `n <= 2`.
fn log_square_index(m: &PairwiseMatrix, w: &[f64]) -> f64 {
    let n = m.n();
    if n <= 2 {
        return 0.0;
    }
    let a = m.as_slice();
    let mut sum = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let e = a[i * n + j].ln() + w[j].ln() - w[i].ln();
            sum += e * e;
        }
    }
    2.0 * sum / ((n - 1) * (n - 2)) as f64
}

/// The geometric consistency index of a matrix, with its threshold.
///
/// ```text
/// GCI = 2 / ((n - 1)(n - 2)) * sum_{i<j} ln^2(a_ij w_j / w_i)
/// ```
///
/// with `w` the row geometric mean priorities (RGMM); 0 for `n <= 2`. GCI is the natural
/// consistency measure of RGMM, as CR is of the eigenvector. Acceptable when
/// `GCI <= threshold` ([`gci_threshold`]).
///
/// # Examples
///
/// ```
/// use service_quality::PairwiseMatrix;
///
/// let m = PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?;
/// let gci = m.gci()?;
/// assert!(gci.value() < 0.31 && gci.is_acceptable());
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - J. Aguarón, J. M. Moreno-Jiménez, "The geometric consistency index: approximated
///   thresholds", *EJOR* 147(1), 137–145, 2003.
/// - G. Crawford, C. Williams, "A note on the analysis of subjective judgment matrices",
///   *J. Math. Psychology* 29, 387–405, 1985.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "GCI")]
pub struct GciReport {
    n: usize,
    value: f64,
    threshold: Option<f64>,
}

impl GciReport {
    /// Matrix size.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The index.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The Aguarón & Moreno-Jiménez threshold for this size (`None` for `n <= 2`).
    pub fn threshold(&self) -> Option<f64> {
        self.threshold
    }

    /// `true` when `GCI <= threshold` (always for `n <= 2`).
    pub fn is_acceptable(&self) -> bool {
        self.threshold.is_none_or(|t| self.value <= t)
    }
}

impl fmt::Display for GciReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.threshold {
            Some(t) => write!(f, "GCI = {:.4} (threshold {t}, n = {})", self.value, self.n),
            None => write!(
                f,
                "GCI = {:.4} (n = {}, always consistent)",
                self.value, self.n
            ),
        }
    }
}

impl PairwiseMatrix {
    /// The geometric consistency index (see [`GciReport`]).
    ///
    /// # Errors
    ///
    /// [`NumericError::NumericalRange`](crate::NumericError::NumericalRange) when entries so far
    /// apart in magnitude make the row geometric mean underflow.
    #[doc(alias = "GCI")]
    pub fn gci(&self) -> Result<GciReport> {
        let w = self.priorities_raw(PriorityMethod::GeometricMean)?;
        Ok(GciReport {
            n: self.n(),
            value: log_square_index(self, &w),
            threshold: gci_threshold(self.n()),
        })
    }

    /// Geometric compatibility index (GCOMPI) of this matrix with a priority vector `w`,
    /// for example an expert's matrix with the group's priorities:
    ///
    /// ```text
    /// GCOMPI(A, w) = 2 / ((n - 1)(n - 2)) * sum_{i<j} ln^2(a_ij w_j / w_i)
    /// ```
    ///
    /// It is the GCI formula with `w` given instead of derived; 0 when `A` is the consistent
    /// matrix of `w`; 0 for `n <= 2`. Compare it with [`gci_threshold`].
    ///
    /// # Errors
    ///
    /// - [`HierarchyError::ChildCountMismatch`] when `w` has a different length;
    /// - [`WeightsError::InvalidWeight`] when a weight is 0 (the ratio is undefined).
    ///
    /// # References
    ///
    /// - J. Aguarón, M. T. Escobar, J. M. Moreno-Jiménez, "The precise consistency consensus
    ///   matrix in a local AHP-group decision making context", *Annals of Operations Research*
    ///   245, 245–259, 2016.
    #[doc(alias = "GCOMPI")]
    pub fn geometric_compatibility(&self, w: &Weights) -> Result<f64> {
        if w.len() != self.n() {
            return Err(HierarchyError::ChildCountMismatch {
                children: self.n(),
                size: w.len(),
                what: CountOf::WeightVector,
            }
            .into());
        }
        if let Some((index, &value)) = w.as_slice().iter().enumerate().find(|(_, x)| !(**x > 0.0)) {
            return Err(WeightsError::InvalidWeight { index, value }.into());
        }
        Ok(log_square_index(self, w.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(gci_threshold(2), None);
        assert_eq!(gci_threshold(3), Some(0.31));
        assert_eq!(gci_threshold(4), Some(0.35));
        assert_eq!(gci_threshold(9), Some(0.37));
    }

    #[test]
    fn consistent_matrix_has_zero_gci() {
        let m = PairwiseMatrix::consistent(&[4.0, 2.0, 1.0, 1.0]).unwrap();
        let g = m.gci().unwrap();
        assert!(g.value().abs() < 1e-24);
        let w = Weights::normalize(&[4.0, 2.0, 1.0, 1.0]).unwrap();
        assert!(m.geometric_compatibility(&w).unwrap().abs() < 1e-24);
    }
}
