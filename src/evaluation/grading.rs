//! The outcome of one composition: raw and normalised `B`, grade and score.

use crate::error::{Error, EvaluationError, Result};
use crate::evaluation::rules;
use crate::model::grades::GradeSet;

/// A composed membership vector `B` read out against a [`GradeSet`].
///
/// ```text
/// b'_j   = b_j / sum_l b_l                   normalised B (sums to 1)
/// grade  = argmax_j b'_j                     maximum-membership principle (最大隶属度原则)
/// tied   = { j : b'_max - b'_j <= MEMBERSHIP_TIE_TOL }
/// score  = sum_j b'_j * v_j                  v_j = value of grade j
/// ```
///
/// Ties are reported, not hidden: [`grade`](Self::grade) is the first tied index and
/// [`tied`](Self::tied) lists them all. The score is clamped to
/// `[min_j v_j, max_j v_j]`, which it can only leave by rounding.
///
/// A `B` that sums to 0 (every grade has membership 0, for example from an all-zero `R`) has no
/// normalised form: [`from_raw`](Self::from_raw) returns [`EvaluationError::ZeroMembership`](crate::EvaluationError::ZeroMembership) instead of
/// dividing by zero, so no result ever holds NaN.
///
/// # Examples
///
/// ```
/// use service_quality::{FuzzyResult, GradeSet};
///
/// let grades = GradeSet::satisfaction_5_points();
/// let res = FuzzyResult::from_raw(vec![0.35, 0.35, 0.2, 0.1, 0.0], &grades)?;
/// assert_eq!(res.grade(), 0);
/// assert_eq!(res.tied(), &[0, 1]);
/// assert!((res.score() - 3.95).abs() < 1e-12);
/// assert!(FuzzyResult::from_raw(vec![0.0; 5], &grades).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FuzzyResult {
    raw: Vec<f64>,
    normalized: Vec<f64>,
    grade: usize,
    tied: Vec<usize>,
    score: f64,
}

impl FuzzyResult {
    /// Normalises a raw `B` and reads its grade and score.
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::GradeCountMismatch`](crate::EvaluationError::GradeCountMismatch) when `raw.len() != grades.len()`;
    /// - [`EvaluationError::InvalidMembership`](crate::EvaluationError::InvalidMembership) (row 0) for an entry that is NaN, infinite or negative;
    /// - [`EvaluationError::ZeroMembership`](crate::EvaluationError::ZeroMembership) when the entries sum to 0.
    pub fn from_raw(raw: Vec<f64>, grades: &GradeSet) -> Result<Self> {
        if raw.len() != grades.len() {
            return Err(Error::Evaluation(EvaluationError::GradeCountMismatch {
                grades: grades.len(),
                found: raw.len(),
            }));
        }
        for (col, &value) in raw.iter().enumerate() {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::Evaluation(EvaluationError::InvalidMembership {
                    row: 0,
                    col,
                    value,
                }));
            }
        }
        // scale by the largest entry first so that huge entries cannot overflow the sum
        let largest = raw.iter().copied().fold(0.0, f64::max);
        if !(largest > 0.0) {
            return Err(Error::Evaluation(EvaluationError::ZeroMembership));
        }
        let scaled: Vec<f64> = raw.iter().map(|b| b / largest).collect();
        let sum: f64 = scaled.iter().sum();
        let normalized: Vec<f64> = scaled.iter().map(|b| b / sum).collect();
        let max = rules::max_membership(&normalized);
        let tied: Vec<usize> = normalized
            .iter()
            .enumerate()
            .filter(|&(_, &b)| rules::is_tied(max, b, 1.0))
            .map(|(j, _)| j)
            .collect();
        let range = (grades.min_value(), grades.max_value());
        let (score, grade) = rules::grade_and_score(&grades.values(), range, &normalized, 1.0);
        Ok(Self {
            grade: grade as usize,
            tied,
            score,
            raw,
            normalized,
        })
    }

    /// `B` as composed.
    pub fn raw(&self) -> &[f64] {
        &self.raw
    }

    /// `B` scaled to sum to 1.
    pub fn normalized(&self) -> &[f64] {
        &self.normalized
    }

    /// Index of the maximum-membership grade (the first one when several are tied).
    pub fn grade(&self) -> usize {
        self.grade
    }

    /// Every grade tied for the maximum membership (within
    /// [`MEMBERSHIP_TIE_TOL`](crate::MEMBERSHIP_TIE_TOL)), in order; never empty.
    pub fn tied(&self) -> &[usize] {
        &self.tied
    }

    /// `true` when more than one grade has the maximum membership.
    pub fn is_tie(&self) -> bool {
        self.tied.len() > 1
    }

    /// The score `sum_j b'_j v_j`.
    pub fn score(&self) -> f64 {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_bad_vectors_are_errors() {
        let g = GradeSet::satisfaction_5();
        assert_eq!(
            FuzzyResult::from_raw(vec![0.0; 5], &g),
            Err(Error::Evaluation(EvaluationError::ZeroMembership))
        );
        assert!(matches!(
            FuzzyResult::from_raw(vec![0.1, f64::NAN, 0.0, 0.0, 0.0], &g),
            Err(Error::Evaluation(EvaluationError::InvalidMembership {
                col: 1,
                ..
            }))
        ));
        assert!(matches!(
            FuzzyResult::from_raw(vec![0.1; 4], &g),
            Err(Error::Evaluation(EvaluationError::GradeCountMismatch {
                grades: 5,
                found: 4
            }))
        ));
    }

    #[test]
    fn normalises_and_scores() {
        let g = GradeSet::satisfaction_5();
        let r = FuzzyResult::from_raw(vec![0.35, 0.3, 0.3, 0.15, 0.0], &g).unwrap();
        assert!((r.normalized().iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert_eq!(r.grade(), 0);
        assert!(!r.is_tie());
        let want = (0.35 * 95.0 + 0.3 * 85.0 + 0.3 * 75.0 + 0.15 * 65.0) / 1.1;
        assert!((r.score() - want).abs() < 1e-12);
    }
}
