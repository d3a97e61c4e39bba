//! Validated pairwise comparison matrices.

use crate::ahp::incomplete::IncompleteMatrix;
use crate::error::{AhpError, ArgumentError, Parameter, Result, WeightsError};
use crate::numeric::{is_positive_finite, RECIPROCAL_RTOL};

/// A positive reciprocal `n x n` pairwise comparison matrix (`n >= 1`).
///
/// Entry `a_ij` says how much more important criterion `i` is than criterion `j`. Every entry is
/// finite and `> 0`, the diagonal is 1 and `a_ji = 1 / a_ij`: exactly for
/// [`from_upper_triangle`](Self::from_upper_triangle) and
/// [`from_judgements`](Self::from_judgements); within a relative tolerance (diagonal and
/// reciprocity) for [`from_rows`](Self::from_rows), which keeps the entries exactly as given.
///
/// Entries off Saaty's 1–9 scale are valid (matrices aggregated from several experts are
/// off-scale); [`saaty_scale_diagnostics`](Self::saaty_scale_diagnostics) lists them.
///
/// # Examples
///
/// ```
/// use service_quality::{PairwiseMatrix, PriorityMethod};
///
/// // criterion 0 is 3x as important as 1 and 5x as important as 2; 1 is 2x as important as 2
/// let m = PairwiseMatrix::from_upper_triangle(3, &[3.0, 5.0, 2.0])?;
/// assert_eq!(m.get(1, 0), Some(1.0 / 3.0));
/// let p = m.priorities(PriorityMethod::Eigenvector)?;
/// assert!(p.consistency().is_acceptable(0.10));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseMatrix {
    n: usize,
    /// Row-major `n * n` entries.
    data: Vec<f64>,
}

/// Where an entry lies relative to Saaty's fundamental 1–9 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScaleIssue {
    /// The entry is outside `[1/9, 9]`.
    OutOfRange,
    /// The entry is inside `[1/9, 9]` but is neither an integer `k` nor `1/k` with `k` in 1..=9.
    NotOnScale,
}

/// An entry of a matrix that is not on Saaty's 1–9 scale (a diagnostic, not an error).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OffScaleEntry {
    /// Row index.
    pub row: usize,
    /// Column index.
    pub col: usize,
    /// The entry.
    pub value: f64,
    /// How it is off the scale.
    pub issue: ScaleIssue,
}

/// What is wrong with a rejected entry, for the message of [`AhpError::InvalidEntry`]: a
/// positive finite value was rejected because its reciprocal overflows.
pub(crate) fn entry_problem(value: &f64) -> String {
    if is_positive_finite(*value) {
        format!(
            "= {value:e} is positive but its reciprocal overflows f64 \
             (entries must be at least 1 / f64::MAX, about 5.6e-309)"
        )
    } else {
        format!("must be finite and > 0, got {value}")
    }
}

fn check_entry(row: usize, col: usize, value: f64) -> Result<()> {
    if is_positive_finite(value) {
        Ok(())
    } else {
        Err(AhpError::InvalidEntry { row, col, value }.into())
    }
}

/// Recomputes `1 / a` for a valid entry and checks the reciprocal is still in range
/// (`1 / 1e-310` overflows to infinity).
fn reciprocal(row: usize, col: usize, value: f64) -> Result<f64> {
    let r = 1.0 / value;
    if is_positive_finite(r) {
        Ok(r)
    } else {
        Err(AhpError::InvalidEntry { row, col, value }.into())
    }
}

impl PairwiseMatrix {
    /// Builds the matrix from the `n(n-1)/2` entries above the diagonal, row by row
    /// (`a_01, a_02, ..., a_0(n-1), a_12, ...`); the lower triangle is `1 / a_ij`.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] when `n == 0`, [`AhpError::TooManyCriteria`] when
    ///   `n >` [`MAX_CRITERIA`](crate::MAX_CRITERIA);
    /// - [`ArgumentError::LengthMismatch`] when `upper.len() != n(n-1)/2`;
    /// - [`AhpError::InvalidEntry`] for a NaN, infinite, zero or negative entry (or one whose
    ///   reciprocal is not finite), with its `(row, col)`.
    pub fn from_upper_triangle(n: usize, upper: &[f64]) -> Result<Self> {
        crate::numeric::check_criteria(n, "pairwise matrix")?;
        let expected = n * (n - 1) / 2;
        if upper.len() != expected {
            return Err(ArgumentError::LengthMismatch {
                what: "upper triangle of a pairwise matrix",
                expected,
                found: upper.len(),
            }
            .into());
        }
        let mut data = vec![1.0; n * n];
        let mut k = 0;
        for i in 0..n {
            for j in (i + 1)..n {
                let v = upper[k];
                k += 1;
                check_entry(i, j, v)?;
                data[i * n + j] = v;
                data[j * n + i] = reciprocal(i, j, v)?;
            }
        }
        Ok(Self { n, data })
    }

    /// Builds the matrix from full rows, keeping every entry exactly as given.
    ///
    /// Uses the default relative tolerance [`RECIPROCAL_RTOL`] for the reciprocity check; see
    /// [`from_rows_with_tolerance`](Self::from_rows_with_tolerance).
    ///
    /// # Errors
    ///
    /// As [`from_rows_with_tolerance`](Self::from_rows_with_tolerance).
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Self> {
        Self::from_rows_with_tolerance(rows, RECIPROCAL_RTOL)
    }

    /// Builds the matrix from full rows with an explicit reciprocity tolerance: each pair must
    /// satisfy `|a_ij * a_ji - 1| <= rtol`.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::InvalidParameter`] when `rtol` is NaN, negative or infinite;
    /// - [`ArgumentError::Empty`] for no rows, [`AhpError::TooManyCriteria`] for more than
    ///   [`MAX_CRITERIA`](crate::MAX_CRITERIA);
    /// - [`AhpError::NotSquare`] for the first row whose length is not the number of rows;
    /// - [`AhpError::InvalidEntry`] for the first NaN, infinite, zero or negative entry;
    /// - [`AhpError::DiagonalNotOne`] for a diagonal entry `d` with `|d - 1| > rtol`;
    /// - [`AhpError::NotReciprocal`] for the first pair `(i, j)`, `i < j`, that fails the check.
    pub fn from_rows_with_tolerance<R: AsRef<[f64]>>(rows: &[R], rtol: f64) -> Result<Self> {
        if !(rtol.is_finite() && rtol >= 0.0) {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Rtol,
                value: rtol,
            }
            .into());
        }
        let n = rows.len();
        crate::numeric::check_criteria(n, "pairwise matrix")?;
        let mut data = Vec::with_capacity(n * n);
        for (row, r) in rows.iter().enumerate() {
            let r = r.as_ref();
            if r.len() != n {
                return Err(AhpError::NotSquare {
                    row,
                    expected: n,
                    found: r.len(),
                }
                .into());
            }
            for (col, &v) in r.iter().enumerate() {
                check_entry(row, col, v)?;
            }
            data.extend_from_slice(r);
        }
        for i in 0..n {
            let d = data[i * n + i];
            if !((d - 1.0).abs() <= rtol) {
                return Err(AhpError::DiagonalNotOne { index: i, value: d }.into());
            }
            for j in (i + 1)..n {
                let (a_ij, a_ji) = (data[i * n + j], data[j * n + i]);
                let product = a_ij * a_ji;
                if !((product - 1.0).abs() <= rtol) {
                    return Err(AhpError::NotReciprocal {
                        i,
                        j,
                        a_ij,
                        a_ji,
                        rtol,
                    }
                    .into());
                }
            }
        }
        Ok(Self { n, data })
    }

    /// Builds the matrix from `(i, j, a_ij)` judgements; each unordered pair must be judged,
    /// the lower entry is the reciprocal.
    ///
    /// A pair may be given in either orientation; `(j, i, v)` means `a_ij = 1 / v`. Giving a
    /// pair twice is accepted only when both values agree (relative tolerance
    /// [`RECIPROCAL_RTOL`], the first is kept). A judgement `(i, i, 1)` is accepted and ignored.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] when `n == 0`, [`AhpError::TooManyCriteria`] when
    ///   `n >` [`MAX_CRITERIA`](crate::MAX_CRITERIA);
    /// - [`AhpError::JudgementOutOfRange`] when an index is `>= n`;
    /// - [`AhpError::InvalidEntry`] for a NaN, infinite, zero or negative value;
    /// - [`AhpError::SelfJudgement`] for `(i, i, v)` with `|v - 1| > RECIPROCAL_RTOL`;
    /// - [`AhpError::ConflictingJudgement`] for a pair given twice with different values;
    /// - [`AhpError::MissingJudgement`] for the first pair without a judgement.
    pub fn from_judgements(n: usize, judgements: &[(usize, usize, f64)]) -> Result<Self> {
        IncompleteMatrix::from_judgements(n, judgements)?.to_complete()
    }

    /// The perfectly consistent matrix `a_ij = w_i / w_j` of positive weights.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for no weights, [`AhpError::TooManyCriteria`] for more than
    ///   [`MAX_CRITERIA`](crate::MAX_CRITERIA);
    /// - [`WeightsError::InvalidWeight`] for a weight that is not finite and `> 0`;
    /// - [`AhpError::InvalidEntry`] when a ratio leaves the range of `f64`.
    pub fn consistent(weights: &[f64]) -> Result<Self> {
        let n = weights.len();
        crate::numeric::check_criteria(n, "pairwise matrix")?;
        for (index, &value) in weights.iter().enumerate() {
            if !is_positive_finite(value) {
                return Err(WeightsError::InvalidWeight { index, value }.into());
            }
        }
        let mut data = vec![1.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let v = weights[i] / weights[j];
                    check_entry(i, j, v)?;
                    data[i * n + j] = v;
                }
            }
        }
        Ok(Self { n, data })
    }

    /// Wraps row-major data the crate has built as a positive reciprocal matrix
    /// (`a_ii = 1`, `a_ji = 1 / a_ij`, all entries finite and > 0).
    pub(crate) fn from_data_unchecked(n: usize, data: Vec<f64>) -> Self {
        debug_assert_eq!(data.len(), n * n);
        Self { n, data }
    }

    /// Number of criteria `n`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Entry `a_ij`, or `None` when `i >= n` or `j >= n`.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.n && j < self.n).then(|| self.data[i * self.n + j])
    }

    /// Row `i`, or `None` when `i >= n`.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        (i < self.n).then(|| &self.data[i * self.n..(i + 1) * self.n])
    }

    /// All entries, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The rows as vectors.
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.data.chunks(self.n).map(<[f64]>::to_vec).collect()
    }

    /// The `n(n-1)/2` entries above the diagonal, row by row.
    pub fn upper_triangle(&self) -> Vec<f64> {
        let n = self.n;
        (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .map(|(i, j)| self.data[i * n + j])
            .collect()
    }

    /// Lists the entries off Saaty's 1–9 scale, each pair once (`row < col`).
    ///
    /// An entry is on the scale when it equals `k` or `1/k` for an integer `k` in 1..=9, within
    /// a relative tolerance of 1e-9 (so `1.0 / 3.0` and `0.333333333333` are both on it).
    pub fn saaty_scale_diagnostics(&self) -> Vec<OffScaleEntry> {
        let n = self.n;
        let mut out = Vec::new();
        for row in 0..n {
            for col in (row + 1)..n {
                let value = self.data[row * n + col];
                if let Some(issue) = saaty_scale_issue(value) {
                    out.push(OffScaleEntry {
                        row,
                        col,
                        value,
                        issue,
                    });
                }
            }
        }
        out
    }
}

/// Classifies a value against Saaty's 1–9 scale; `None` when on it.
fn saaty_scale_issue(value: f64) -> Option<ScaleIssue> {
    const REL: f64 = 1e-9;
    let big = if value >= 1.0 { value } else { 1.0 / value };
    if big > 9.0 * (1.0 + REL) {
        return Some(ScaleIssue::OutOfRange);
    }
    let k = big.round();
    if (big - k).abs() <= REL * k {
        None
    } else {
        Some(ScaleIssue::NotOnScale)
    }
}

#[cfg(test)]
// exact comparisons below are on values the code assigns (0, 1, copies), not computes
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn upper_triangle_round_trip() {
        let m = PairwiseMatrix::from_upper_triangle(4, &[2.0, 3.0, 4.0, 5.0, 6.0, 7.0]).unwrap();
        assert_eq!(m.upper_triangle(), vec![2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        assert_eq!(m.get(3, 2), Some(1.0 / 7.0));
        assert_eq!(m.get(4, 0), None);
        assert_eq!(m.get(2, 0), Some(1.0 / 3.0));
        assert_eq!(m.row(1), Some(&[0.5, 1.0, 5.0, 6.0][..]));
    }

    #[test]
    fn single_and_pair() {
        let one = PairwiseMatrix::from_upper_triangle(1, &[]).unwrap();
        assert_eq!(one.as_slice(), &[1.0]);
        let two = PairwiseMatrix::from_rows(&[[1.0, 4.0], [0.25, 1.0]]).unwrap();
        assert_eq!(two.n(), 2);
    }

    #[test]
    fn rejects_bad_entries_with_position() {
        assert_eq!(
            PairwiseMatrix::from_upper_triangle(3, &[2.0, 0.0, 1.0]),
            Err(Error::Ahp(AhpError::InvalidEntry {
                row: 0,
                col: 2,
                value: 0.0
            }))
        );
        assert!(matches!(
            PairwiseMatrix::from_upper_triangle(3, &[2.0, 1.0, f64::NAN]),
            Err(Error::Ahp(AhpError::InvalidEntry { row: 1, col: 2, .. }))
        ));
        assert!(matches!(
            PairwiseMatrix::from_upper_triangle(2, &[1e-310]),
            Err(Error::Ahp(AhpError::InvalidEntry { row: 0, col: 1, .. }))
        ));
        assert_eq!(
            PairwiseMatrix::from_upper_triangle(2, &[0.0])
                .unwrap_err()
                .to_string(),
            "entry (0, 1) must be finite and > 0, got 0"
        );
        assert!(matches!(
            PairwiseMatrix::from_upper_triangle(3, &[2.0]),
            Err(Error::Argument(ArgumentError::LengthMismatch {
                expected: 3,
                found: 1,
                ..
            }))
        ));
        assert!(matches!(
            PairwiseMatrix::from_upper_triangle(0, &[]),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
    }

    #[test]
    fn rows_checks_shape_diagonal_and_reciprocity() {
        let ragged: [&[f64]; 2] = [&[1.0, 2.0], &[0.5]];
        assert_eq!(
            PairwiseMatrix::from_rows(&ragged),
            Err(Error::Ahp(AhpError::NotSquare {
                row: 1,
                expected: 2,
                found: 1
            }))
        );
        assert!(matches!(
            PairwiseMatrix::from_rows(&[[2.0, 2.0], [0.5, 1.0]]),
            Err(Error::Ahp(AhpError::DiagonalNotOne { index: 0, .. }))
        ));
        assert!(matches!(
            PairwiseMatrix::from_rows(&[[1.0, 2.0, 3.0], [0.5, 1.0, 4.0], [1.0 / 3.0, 0.3, 1.0]]),
            Err(Error::Ahp(AhpError::NotReciprocal { i: 1, j: 2, .. }))
        ));
        // typed with four digits: accepted and kept as given
        let m = PairwiseMatrix::from_rows(&[[1.0, 3.0], [0.3333, 1.0]]).unwrap();
        assert_eq!(m.get(1, 0), Some(0.3333));
        assert!(
            PairwiseMatrix::from_rows_with_tolerance(&[[1.0, 3.0], [0.3333, 1.0]], 1e-6).is_err()
        );
        assert!(PairwiseMatrix::from_rows_with_tolerance(&[[1.0]], f64::NAN).is_err());
    }

    #[test]
    fn judgements_conflicts_and_missing_pairs() {
        let m =
            PairwiseMatrix::from_judgements(3, &[(0, 1, 3.0), (2, 0, 0.2), (1, 2, 2.0)]).unwrap();
        assert_eq!(m.get(0, 2), Some(5.0));
        // same pair twice, consistent orientation: fine
        assert!(PairwiseMatrix::from_judgements(2, &[(0, 1, 3.0), (1, 0, 1.0 / 3.0)]).is_ok());
        assert_eq!(
            PairwiseMatrix::from_judgements(2, &[(0, 1, 3.0), (0, 1, 4.0)]),
            Err(Error::Ahp(AhpError::ConflictingJudgement {
                i: 0,
                j: 1,
                first: 3.0,
                second: 4.0
            }))
        );
        assert_eq!(
            PairwiseMatrix::from_judgements(3, &[(0, 1, 3.0), (1, 2, 2.0)]),
            Err(Error::Ahp(AhpError::MissingJudgement { i: 0, j: 2 }))
        );
        assert_eq!(
            PairwiseMatrix::from_judgements(2, &[(0, 2, 3.0)]),
            Err(Error::Ahp(AhpError::JudgementOutOfRange {
                i: 0,
                j: 2,
                n: 2
            }))
        );
        assert!(matches!(
            PairwiseMatrix::from_judgements(2, &[(1, 1, 2.0)]),
            Err(Error::Ahp(AhpError::SelfJudgement { index: 1, .. }))
        ));
    }

    #[test]
    fn scale_diagnostics() {
        let m = PairwiseMatrix::from_upper_triangle(3, &[1.0 / 3.0, 2.5, 12.0]).unwrap();
        let d = m.saaty_scale_diagnostics();
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].row, d[0].col, d[0].issue),
            (0, 2, ScaleIssue::NotOnScale)
        );
        assert_eq!(
            (d[1].row, d[1].col, d[1].issue),
            (1, 2, ScaleIssue::OutOfRange)
        );
    }
}
