//! Koczkodaj's triad inconsistency index.

use core::fmt;

use crate::ahp::matrix::PairwiseMatrix;

/// One triad `(i, j, k)` with `i < j < k` and its inconsistency.
///
/// ```text
/// KI(i, j, k) = min(|1 - a_ik / (a_ij a_jk)|, |1 - a_ij a_jk / a_ik|)
/// ```
///
/// 0 when `a_ik = a_ij a_jk` (the triad is consistent), in `[0, 1]` (below 1 in exact
/// arithmetic; 1 when a product of entries overflows).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Triad {
    /// First criterion (smallest index).
    pub i: usize,
    /// Middle criterion.
    pub j: usize,
    /// Last criterion (largest index).
    pub k: usize,
    /// The triad's inconsistency `KI(i, j, k)`.
    pub index: f64,
}

/// Koczkodaj's inconsistency index of a matrix: the largest triad inconsistency, with the
/// triad that attains it.
///
/// ```text
/// KI(A) = max_{i<j<k} min(|1 - a_ik / (a_ij a_jk)|, |1 - a_ij a_jk / a_ik|)
/// ```
///
/// `KI = 0` exactly when the matrix is consistent; `KI < 1/3` is the usual acceptance level
/// (Koczkodaj & Szwarc 2014). For `n <= 2` there is no triad: `KI = 0` and `worst` is `None`.
/// Ties keep the first triad in lexicographic order.
///
/// # Examples
///
/// ```
/// use service_quality::PairwiseMatrix;
///
/// // a_02 should be a_01 * a_12 = 6 but is 2
/// let m = PairwiseMatrix::from_upper_triangle(3, &[2.0, 2.0, 3.0])?;
/// let ki = m.triad_inconsistency();
/// assert!((ki.value() - 2.0 / 3.0).abs() < 1e-12);
/// assert_eq!(ki.worst().map(|t| (t.i, t.j, t.k)), Some((0, 1, 2)));
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - W. W. Koczkodaj, "A new definition of consistency of pairwise comparisons",
///   *Mathematical and Computer Modelling* 18(7), 79–84, 1993.
/// - W. W. Koczkodaj, R. Szwarc, "On axiomatization of inconsistency indicators for pairwise
///   comparisons", *Fundamenta Informaticae* 132(4), 485–500, 2014.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "Koczkodaj")]
pub struct TriadIndex {
    value: f64,
    worst: Option<Triad>,
}

impl TriadIndex {
    /// The index `KI(A)`.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The most inconsistent triad (`None` for `n <= 2`).
    pub fn worst(&self) -> Option<Triad> {
        self.worst
    }
}

impl fmt::Display for TriadIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.worst {
            Some(t) => write!(
                f,
                "Koczkodaj index {:.4} (worst triad {}, {}, {})",
                self.value, t.i, t.j, t.k
            ),
            None => write!(f, "Koczkodaj index 0 (no triads)"),
        }
    }
}

impl PairwiseMatrix {
    /// Koczkodaj's triad inconsistency index with the worst triad (see [`TriadIndex`]).
    pub fn triad_inconsistency(&self) -> TriadIndex {
        let n = self.n();
        let a = self.as_slice();
        let mut best: Option<Triad> = None;
        for i in 0..n {
            for j in (i + 1)..n {
                for k in (j + 1)..n {
                    let ratio = a[i * n + k] / (a[i * n + j] * a[j * n + k]);
                    let index = (1.0 - ratio).abs().min((1.0 - 1.0 / ratio).abs());
                    if best.is_none_or(|b| index > b.index) {
                        best = Some(Triad { i, j, k, index });
                    }
                }
            }
        }
        TriadIndex {
            value: best.map_or(0.0, |t| t.index),
            worst: best,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_is_zero_and_small_sizes_have_no_triad() {
        let m = PairwiseMatrix::consistent(&[3.0, 2.0, 1.0, 0.5]).unwrap();
        assert!(m.triad_inconsistency().value() < 1e-12);
        let two = PairwiseMatrix::from_upper_triangle(2, &[5.0]).unwrap();
        assert_eq!(two.triad_inconsistency().worst(), None);
    }

    #[test]
    fn finds_the_worst_triad() {
        // consistent except a_13 (should be 1)
        let w = [8.0, 4.0, 2.0, 1.0];
        let mut rows = PairwiseMatrix::consistent(&w).unwrap().to_rows();
        rows[1][3] = 1.0;
        rows[3][1] = 1.0;
        let m = PairwiseMatrix::from_rows(&rows).unwrap();
        let t = m.triad_inconsistency().worst().unwrap();
        assert!([(0, 1, 3), (1, 2, 3)].contains(&(t.i, t.j, t.k)));
    }
}
