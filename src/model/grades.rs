//! Grade sets (评语集): the ordered evaluation grades and their numeric values.

use crate::error::{Error, EvaluationError, Result};
use crate::model::language::Language;

/// One evaluation grade: an English label, an optional Chinese label and a numeric value.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Grade {
    label: String,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    label_zh: Option<String>,
    value: f64,
}

impl Grade {
    /// A grade with an English label and a value (checked when put into a [`GradeSet`]).
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Self {
            label: label.into(),
            label_zh: None,
            value,
        }
    }

    /// Sets the Chinese label.
    pub fn with_label_zh(mut self, label_zh: impl Into<String>) -> Self {
        self.label_zh = Some(label_zh.into());
        self
    }

    /// The English label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The Chinese label, if any.
    pub fn label_zh(&self) -> Option<&str> {
        self.label_zh.as_deref()
    }

    /// The label in `language`: the Chinese label for [`Language::Zh`] when there is one,
    /// else the English label.
    pub fn display_label(&self, language: Language) -> &str {
        language.pick(&self.label, self.label_zh.as_deref())
    }

    /// The numeric value used for scores.
    pub fn value(&self) -> f64 {
        self.value
    }
}

/// An ordered set of `m >= 2` evaluation grades (评语集 `V = {v_1, ..., v_m}`).
///
/// The order is the order of the columns of every membership matrix evaluated with this set.
/// Labels (English and Chinese) are unique, compared ignoring case and surrounding whitespace,
/// so survey cells can name a grade by either label. Values must be finite with
/// `|value| <=` [`GradeSet::MAX_ABS_VALUE`] (1e12), so that scores, their differences and the
/// weighted shortfalls of reports stay far from overflow; they need not be monotone, but the
/// "best" grade (used for shortfalls in reports) is the one with the largest value.
///
/// # Errors
///
/// See [`GradeSet::new`].
///
/// # Examples
///
/// ```
/// use service_quality::{Grade, GradeSet};
///
/// let five = GradeSet::satisfaction_5();
/// assert_eq!(five.len(), 5);
/// assert_eq!(five.grade(0).map(|g| g.label_zh()), Some(Some("很满意")));
/// assert_eq!(five.values(), vec![95.0, 85.0, 75.0, 65.0, 55.0]);
///
/// let own = GradeSet::new(vec![Grade::new("good", 1.0), Grade::new("poor", 0.0)])?;
/// assert_eq!(own.index_of("Poor"), Some(1));
/// assert!(GradeSet::new(vec![Grade::new("only", 1.0)]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<Grade>", into = "Vec<Grade>"))]
pub struct GradeSet {
    grades: Vec<Grade>,
}

fn label_key(label: &str) -> String {
    label.trim().to_lowercase()
}

impl GradeSet {
    /// Largest magnitude of a grade value, `1e12`: a score is a weighted mean of grade values,
    /// and a shortfall `weight * (max - score)` a weighted difference of two, so every such
    /// number stays below `2e12` in magnitude, exactly representable to far better than a
    /// cent. Real grade scales (1–5, 0–100, money amounts) are far inside it.
    pub const MAX_ABS_VALUE: f64 = 1e12;

    /// Checks and wraps grades, kept in the given order.
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::TooFewGrades`] for fewer than 2 grades;
    /// - [`EvaluationError::EmptyGradeLabel`] for an empty or blank English label;
    /// - [`EvaluationError::InvalidGradeValue`] for a NaN or infinite value, or one with
    ///   `|value| >` [`MAX_ABS_VALUE`](Self::MAX_ABS_VALUE);
    /// - [`EvaluationError::DuplicateGradeLabel`] when two labels (English or Chinese, in any
    ///   combination) are equal ignoring case and surrounding whitespace.
    pub fn new(grades: Vec<Grade>) -> Result<Self> {
        if grades.len() < 2 {
            return Err(EvaluationError::TooFewGrades {
                found: grades.len(),
            }
            .into());
        }
        let mut seen: Vec<(String, usize)> = Vec::with_capacity(2 * grades.len());
        for (index, g) in grades.iter().enumerate() {
            if g.label.trim().is_empty() {
                return Err(EvaluationError::EmptyGradeLabel { index }.into());
            }
            if !(g.value.abs() <= Self::MAX_ABS_VALUE) {
                return Err(EvaluationError::InvalidGradeValue {
                    index,
                    value: g.value,
                }
                .into());
            }
            let mut keys = vec![label_key(&g.label)];
            if let Some(zh) = &g.label_zh {
                let key = label_key(zh);
                if !key.is_empty() && key != keys[0] {
                    keys.push(key);
                }
            }
            for key in keys {
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    return Err(EvaluationError::DuplicateGradeLabel {
                        label: key,
                        first: *first,
                        second: index,
                    }
                    .into());
                }
                seen.push((key, index));
            }
        }
        Ok(Self { grades })
    }

    /// The 5-grade satisfaction scale with values 95, 85, 75, 65, 55: very satisfied 很满意,
    /// satisfied 满意, neutral 一般, dissatisfied 不满意, very dissatisfied 很不满意.
    pub fn satisfaction_5() -> Self {
        Self::satisfaction_with_values([95.0, 85.0, 75.0, 65.0, 55.0])
    }

    /// The same 5-grade satisfaction scale with Likert values 5, 4, 3, 2, 1.
    pub fn satisfaction_5_points() -> Self {
        Self::satisfaction_with_values([5.0, 4.0, 3.0, 2.0, 1.0])
    }

    fn satisfaction_with_values(values: [f64; 5]) -> Self {
        const LABELS: [(&str, &str); 5] = [
            ("very satisfied", "很满意"),
            ("satisfied", "满意"),
            ("neutral", "一般"),
            ("dissatisfied", "不满意"),
            ("very dissatisfied", "很不满意"),
        ];
        Self {
            grades: LABELS
                .iter()
                .zip(values)
                .map(|((en, zh), v)| Grade::new(*en, v).with_label_zh(*zh))
                .collect(),
        }
    }

    /// Number of grades `m`.
    pub fn len(&self) -> usize {
        self.grades.len()
    }

    /// Always `false`: a grade set has at least two grades.
    pub fn is_empty(&self) -> bool {
        self.grades.is_empty()
    }

    /// The grades in order.
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }

    /// The grade at `index`, if any.
    pub fn grade(&self, index: usize) -> Option<&Grade> {
        self.grades.get(index)
    }

    /// The grade values in order.
    pub fn values(&self) -> Vec<f64> {
        self.grades.iter().map(Grade::value).collect()
    }

    /// Index of the grade with this English or Chinese label (ignoring case and surrounding
    /// whitespace).
    pub fn index_of(&self, label: &str) -> Option<usize> {
        let key = label_key(label);
        self.grades.iter().position(|g| {
            label_key(&g.label) == key || g.label_zh.as_deref().map(label_key) == Some(key.clone())
        })
    }

    /// Index of the grade with this value, if exactly one grade has it.
    pub fn index_of_value(&self, value: f64) -> Option<usize> {
        let mut hits = self
            .grades
            .iter()
            .enumerate()
            .filter(|(_, g)| g.value.total_cmp(&value).is_eq());
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The smallest grade value.
    pub fn min_value(&self) -> f64 {
        self.grades
            .iter()
            .map(Grade::value)
            .fold(f64::INFINITY, f64::min)
    }

    /// The largest grade value (the value of the best grade).
    pub fn max_value(&self) -> f64 {
        self.grades
            .iter()
            .map(Grade::value)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

impl TryFrom<Vec<Grade>> for GradeSet {
    type Error = Error;
    fn try_from(grades: Vec<Grade>) -> Result<Self> {
        Self::new(grades)
    }
}

impl From<GradeSet> for Vec<Grade> {
    fn from(set: GradeSet) -> Self {
        set.grades
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_made_sets_are_valid() {
        for set in [
            GradeSet::satisfaction_5(),
            GradeSet::satisfaction_5_points(),
        ] {
            assert_eq!(GradeSet::new(set.grades().to_vec()), Ok(set.clone()));
            assert_eq!(set.index_of("很不满意"), Some(4));
            assert_eq!(set.index_of(" Neutral "), Some(2));
        }
        assert_eq!(
            GradeSet::satisfaction_5_points().index_of_value(4.0),
            Some(1)
        );
    }

    #[test]
    fn rejects_bad_sets() {
        assert_eq!(
            GradeSet::new(vec![]),
            Err(Error::Evaluation(EvaluationError::TooFewGrades {
                found: 0
            }))
        );
        assert_eq!(
            GradeSet::new(vec![Grade::new("a", 1.0), Grade::new("A ", 0.0)]),
            Err(Error::Evaluation(EvaluationError::DuplicateGradeLabel {
                label: "a".into(),
                first: 0,
                second: 1
            }))
        );
        assert!(matches!(
            GradeSet::new(vec![
                Grade::new("a", 1.0).with_label_zh("好"),
                Grade::new("b", 0.0).with_label_zh("好")
            ]),
            Err(Error::Evaluation(EvaluationError::DuplicateGradeLabel {
                second: 1,
                ..
            }))
        ));
        assert!(matches!(
            GradeSet::new(vec![Grade::new("a", f64::NAN), Grade::new("b", 0.0)]),
            Err(Error::Evaluation(EvaluationError::InvalidGradeValue {
                index: 0,
                ..
            }))
        ));
        assert_eq!(
            GradeSet::new(vec![Grade::new("a", 1e12), Grade::new("b", -1e12)]).map(|g| g.len()),
            Ok(2)
        );
        assert!(matches!(
            GradeSet::new(vec![Grade::new("a", 1.0), Grade::new("b", -1.000_001e12)]),
            Err(Error::Evaluation(EvaluationError::InvalidGradeValue {
                index: 1,
                ..
            }))
        ));
        assert_eq!(
            GradeSet::new(vec![Grade::new("a", 1.0), Grade::new(" ", 0.0)]),
            Err(Error::Evaluation(EvaluationError::EmptyGradeLabel {
                index: 1
            }))
        );
    }
}
