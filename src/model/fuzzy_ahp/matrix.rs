//! Fuzzy pairwise comparison matrices.

use crate::error::{ArgumentError, Result};
use crate::fuzzy_ahp::TriangularFuzzyNumber;

/// A square matrix of triangular fuzzy judgements, reciprocal by construction:
/// `a_ii = (1, 1, 1)` and `a_ji = (1/u_ij, 1/m_ij, 1/l_ij)`.
///
/// # Examples
///
/// ```
/// use service_quality::fuzzy_ahp::fuzzy_saaty;
/// use service_quality::FuzzyPairwiseMatrix;
///
/// let m = FuzzyPairwiseMatrix::from_upper_triangle(3, &[
///     fuzzy_saaty(3.0)?, fuzzy_saaty(5.0)?, fuzzy_saaty(2.0)?,
/// ])?;
/// assert_eq!(m.get(1, 0).unwrap().to_array(), [0.25, 1.0 / 3.0, 0.5]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzyPairwiseMatrix {
    n: usize,
    data: Vec<TriangularFuzzyNumber>,
}

const ONE: TriangularFuzzyNumber = TriangularFuzzyNumber::ONE;

impl FuzzyPairwiseMatrix {
    /// `n x n` matrix from the `n(n-1)/2` fuzzy judgements above the diagonal, row by row.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::Empty`] when `n == 0`,
    /// [`AhpError::TooManyCriteria`](crate::AhpError::TooManyCriteria) when `n >`
    /// [`MAX_CRITERIA`](crate::MAX_CRITERIA), [`ArgumentError::LengthMismatch`] for a wrong count.
    pub fn from_upper_triangle(n: usize, upper: &[TriangularFuzzyNumber]) -> Result<Self> {
        crate::numeric::check_criteria(n, "fuzzy pairwise matrix")?;
        let expected = n * (n - 1) / 2;
        if upper.len() != expected {
            return Err(ArgumentError::LengthMismatch {
                what: "upper triangle of a fuzzy pairwise matrix",
                expected,
                found: upper.len(),
            }
            .into());
        }
        let mut data = vec![ONE; n * n];
        let mut k = 0;
        for i in 0..n {
            for j in (i + 1)..n {
                data[i * n + j] = upper[k];
                data[j * n + i] = upper[k].reciprocal();
                k += 1;
            }
        }
        Ok(Self { n, data })
    }

    /// `n x n` matrix from crisp Saaty judgements above the diagonal, each fuzzified with
    /// [`fuzzy_saaty`](crate::fuzzy_ahp::fuzzy_saaty).
    ///
    /// # Errors
    ///
    /// As [`from_upper_triangle`](Self::from_upper_triangle), and
    /// [`AhpError::NotOnFuzzyScale`](crate::AhpError::NotOnFuzzyScale) for a value off the 1–9
    /// scale.
    pub fn from_saaty_upper(n: usize, upper: &[f64]) -> Result<Self> {
        let fuzzy = upper
            .iter()
            .map(|&v| crate::fuzzy_ahp::fuzzy_saaty(v))
            .collect::<Result<Vec<_>>>()?;
        Self::from_upper_triangle(n, &fuzzy)
    }

    /// Number of criteria.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Entry `(i, j)`, or `None` out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<TriangularFuzzyNumber> {
        (i < self.n && j < self.n).then(|| self.data[i * self.n + j])
    }

    /// All entries, row-major.
    pub fn as_slice(&self) -> &[TriangularFuzzyNumber] {
        &self.data
    }
}
