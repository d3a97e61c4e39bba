//! The outcome of one composition: raw and normalised `B`, grade and score; and the rule
//! that turns it into a grade ([`GradingRule`]).

use crate::error::{ArgumentError, Error, EvaluationError, Result};
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

/// How a composed `B` becomes a grade: by the maximum membership (the default) or by the
/// interval its score falls in.
///
/// ```text
/// MaxMembership    grade = argmax_j b'_j                   (first of any tie)
/// ScoreIntervals   grade = argmin_j |score - v_j|          score = sum_j b'_j v_j
/// ```
///
/// **Score intervals.** The score axis is cut at the midpoints between adjacent grade values,
/// each interval closed at its lower end: a score exactly at a midpoint gets the better
/// (larger-valued) grade; among grades with equal values the first. For the 95/85/75/65/55
/// scale ([`GradeSet::satisfaction_5`]):
///
/// | score | grade |
/// |---|---|
/// | `[90, 95]` | very satisfied 很满意 |
/// | `[80, 90)` | satisfied 满意 |
/// | `[70, 80)` | neutral 一般 |
/// | `[60, 70)` | dissatisfied 不满意 |
/// | `[55, 60)` | very dissatisfied 很不满意 |
///
/// and for Likert values 5..1 the cuts are 4.5, 3.5, 2.5 and 1.5.
///
/// **Why the two rules can disagree.** The maximum-membership principle looks at one entry
/// of `B`, the score at all of them. A merchant with `B' = (0.45, 0.10, 0.15, 0.15, 0.15)`
/// has most mass on "very satisfied" and is graded so by maximum membership, yet its score,
/// 80.5, is below that of a merchant with `B' = (0.30, 0.60, 0.10, 0, 0)`, score 87.0,
/// graded "satisfied": a large share of the top grade wins the maximum even when the rest of
/// the distribution is poor. So merchants sorted by score can have maximum-membership grades
/// out of order. In the bundled example (`examples/after_sales.rs`), shop-06 has
/// `B' = (0.405, 0.419, 0.159, 0.017, 0)`, score 87.13, "satisfied" (0.419 > 0.405), while
/// shop-17 has `B' = (0.456, 0.305, 0.185, 0.051, 0.003)`, score 86.58, "very satisfied":
/// shop-17 has more "very satisfied" answers but also more of the three lower grades, which
/// the score counts and the maximum ignores. Score-interval grades never invert the score
/// order: they are monotone in the score (for values ordered best first); both shops are
/// "satisfied" by them. Reports name the rule that gave each grade and show the other.
///
/// # Examples
///
/// ```
/// use service_quality::{FuzzyResult, GradeSet, GradingRule};
///
/// let grades = GradeSet::satisfaction_5();
/// let b = FuzzyResult::from_raw(vec![0.45, 0.10, 0.15, 0.15, 0.15], &grades)?;
/// assert!((b.score() - 80.5).abs() < 1e-9);
/// assert_eq!(GradingRule::MaxMembership.grade(&b, &grades), 0); // very satisfied
/// assert_eq!(GradingRule::ScoreIntervals.grade(&b, &grades), 1); // satisfied: [80, 90)
/// assert_eq!("score-intervals".parse::<GradingRule>()?, GradingRule::ScoreIntervals);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum GradingRule {
    /// The grade with the largest membership (最大隶属度原则), the first of any tie.
    #[default]
    MaxMembership,
    /// The grade whose value is nearest to the score (intervals cut at the midpoints between
    /// adjacent grade values, closed at the lower end).
    ScoreIntervals,
}

impl GradingRule {
    /// The grade of `result` under this rule.
    pub fn grade(self, result: &FuzzyResult, grades: &GradeSet) -> usize {
        match self {
            Self::MaxMembership => result.grade(),
            Self::ScoreIntervals => self.grade_of_score(result.score(), grades),
        }
    }

    /// The grade of a score under [`ScoreIntervals`](Self::ScoreIntervals) (whatever `self`
    /// is: the maximum-membership grade needs the whole `B`).
    pub fn grade_of_score(self, score: f64, grades: &GradeSet) -> usize {
        rules::grade_by_score(&grades.values(), score) as usize
    }

    /// The other rule: the one a report shows beside this one.
    pub fn other(self) -> Self {
        match self {
            Self::MaxMembership => Self::ScoreIntervals,
            Self::ScoreIntervals => Self::MaxMembership,
        }
    }

    /// The rule's name as accepted by [`FromStr`](core::str::FromStr): `max-membership` or
    /// `score-intervals`.
    pub fn name(self) -> &'static str {
        match self {
            Self::MaxMembership => "max-membership",
            Self::ScoreIntervals => "score-intervals",
        }
    }

    /// The rule's name in English and Chinese, for table headers and notes.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Self::MaxMembership => ("maximum membership", "最大隶属度原则"),
            Self::ScoreIntervals => ("score intervals", "得分区间"),
        }
    }
}

impl core::fmt::Display for GradingRule {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for GradingRule {
    type Err = Error;

    /// Parses `max-membership` (or `max_membership`) and `score-intervals` (or
    /// `score_intervals`).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "max-membership" | "max_membership" => Ok(Self::MaxMembership),
            "score-intervals" | "score_intervals" => Ok(Self::ScoreIntervals),
            other => Err(ArgumentError::UnknownName {
                what: "grading rule (max-membership, score-intervals)",
                name: other.to_owned(),
            }
            .into()),
        }
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

    #[test]
    fn the_rules_disagree_where_mass_is_split() {
        let g = GradeSet::satisfaction_5();
        // closed form: 0.45*95 + 0.1*85 + 0.15*(75 + 65 + 55) = 80.5; 0.3*95 + 0.6*85 + 0.1*75 = 87
        let a = FuzzyResult::from_raw(vec![0.45, 0.1, 0.15, 0.15, 0.15], &g).unwrap();
        let b = FuzzyResult::from_raw(vec![0.3, 0.6, 0.1, 0.0, 0.0], &g).unwrap();
        assert!((a.score() - 80.5).abs() < 1e-12 && (b.score() - 87.0).abs() < 1e-12);
        assert_eq!(GradingRule::MaxMembership.grade(&a, &g), 0);
        assert_eq!(GradingRule::MaxMembership.grade(&b, &g), 1);
        assert_eq!(GradingRule::ScoreIntervals.grade(&a, &g), 1);
        assert_eq!(GradingRule::ScoreIntervals.grade(&b, &g), 1);
        // exactly on the cut at 90: the better grade
        let c = FuzzyResult::from_raw(vec![0.5, 0.5, 0.0, 0.0, 0.0], &g).unwrap();
        assert_eq!(GradingRule::ScoreIntervals.grade(&c, &g), 0);
        assert_eq!(
            GradingRule::ScoreIntervals.other(),
            GradingRule::MaxMembership
        );
        assert!("nearest".parse::<GradingRule>().is_err());
    }
}
