//! The fuzzy relation (membership) matrix `R`.

use crate::error::{ArgumentError, Error, Result};
use crate::input::check_row;

/// A validated membership matrix `R` (k indicators x m grades): row `i` is the distribution of
/// indicator `i` over the grades, every entry finite and in `[0, 1]`.
///
/// Rows need not sum to 1 (published examples sometimes print rows that do not); the
/// composition uses them as given.
///
/// # Examples
///
/// ```
/// use service_quality::MembershipMatrix;
///
/// let r = MembershipMatrix::from_rows(&[[0.2, 0.5, 0.3], [0.1, 0.3, 0.6]])?;
/// assert_eq!((r.n_rows(), r.n_grades()), (2, 3));
/// assert_eq!(r.row(1), Some(&[0.1, 0.3, 0.6][..]));
/// assert!(MembershipMatrix::from_rows(&[[0.2, 1.5]]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<Vec<f64>>", into = "Vec<Vec<f64>>")
)]
pub struct MembershipMatrix {
    n_grades: usize,
    data: Vec<f64>,
}

impl MembershipMatrix {
    /// Builds `R` from its rows.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for no rows or rows without entries;
    /// - [`EvaluationError::MembershipRowLength`](crate::EvaluationError::MembershipRowLength) when
    ///   a row differs in length from the first;
    /// - [`EvaluationError::InvalidMembership`](crate::EvaluationError::InvalidMembership) for the
    ///   first entry that is NaN, infinite or outside `[0, 1]`.
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Self> {
        let n_grades = rows.first().map_or(0, |r| r.as_ref().len());
        if n_grades == 0 {
            return Err(ArgumentError::Empty {
                what: "membership matrix",
            }
            .into());
        }
        let mut data = Vec::with_capacity(rows.len() * n_grades);
        for (i, row) in rows.iter().enumerate() {
            check_row(i, row.as_ref(), n_grades)?;
            data.extend_from_slice(row.as_ref());
        }
        Ok(Self { n_grades, data })
    }

    /// Wraps rows already checked by the crate (same width, entries in `[0, 1]`).
    pub(crate) fn from_checked(n_grades: usize, data: Vec<f64>) -> Self {
        Self { n_grades, data }
    }

    /// Number of rows `k` (indicators).
    pub fn n_rows(&self) -> usize {
        self.data.len() / self.n_grades
    }

    /// Number of columns `m` (grades).
    pub fn n_grades(&self) -> usize {
        self.n_grades
    }

    /// Row `i`, if it exists.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        self.data.get(i * self.n_grades..(i + 1) * self.n_grades)
    }

    /// The rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        self.data.chunks_exact(self.n_grades)
    }

    /// Entry `(i, j)`, if it exists.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        if j < self.n_grades {
            self.data.get(i * self.n_grades + j).copied()
        } else {
            None
        }
    }

    /// The rows as vectors.
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.rows().map(<[f64]>::to_vec).collect()
    }
}

impl TryFrom<Vec<Vec<f64>>> for MembershipMatrix {
    type Error = Error;
    fn try_from(rows: Vec<Vec<f64>>) -> Result<Self> {
        Self::from_rows(&rows)
    }
}

impl From<MembershipMatrix> for Vec<Vec<f64>> {
    fn from(m: MembershipMatrix) -> Self {
        m.to_rows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::EvaluationError;

    #[test]
    fn validates_entries_and_shape() {
        assert!(matches!(
            MembershipMatrix::from_rows::<[f64; 0]>(&[]),
            Err(Error::Argument(ArgumentError::Empty { .. }))
        ));
        assert_eq!(
            MembershipMatrix::from_rows(&[vec![0.5, 0.5], vec![1.0]]),
            Err(Error::Evaluation(EvaluationError::MembershipRowLength {
                row: 1,
                expected: 2,
                found: 1
            }))
        );
        for bad in [f64::NAN, -0.1, 1.000_001, f64::INFINITY] {
            assert!(matches!(
                MembershipMatrix::from_rows(&[[0.5, 0.5], [bad, 0.0]]),
                Err(Error::Evaluation(EvaluationError::InvalidMembership {
                    row: 1,
                    col: 0,
                    ..
                }))
            ));
        }
        let r = MembershipMatrix::from_rows(&[[0.0, 1.0]]).unwrap();
        assert_eq!(r.get(0, 1), Some(1.0));
        assert_eq!(r.get(0, 2), None);
        assert_eq!(r.row(1), None);
    }
}
