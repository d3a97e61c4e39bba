//! Per-indicator memberships of one evaluated object (a merchant), with answer counts.

use crate::error::{EvaluationError, InputError, Result};
use crate::model::grades::GradeSet;

/// Checks one membership row against the expected width; `row` is used in errors.
pub(crate) fn check_row(row: usize, values: &[f64], n_grades: usize) -> Result<()> {
    if values.len() != n_grades {
        return Err(EvaluationError::MembershipRowLength {
            row,
            expected: n_grades,
            found: values.len(),
        }
        .into());
    }
    for (col, &value) in values.iter().enumerate() {
        if !((0.0..=1.0).contains(&value)) {
            return Err(EvaluationError::InvalidMembership { row, col, value }.into());
        }
    }
    Ok(())
}

/// The membership row of one indicator and how many observations it rests on.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IndicatorRow {
    id: String,
    row: Option<Vec<f64>>,
    observed: usize,
    missing: usize,
}

impl IndicatorRow {
    /// The indicator id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The memberships over the grades, or `None` when nothing was observed.
    pub fn row(&self) -> Option<&[f64]> {
        self.row.as_deref()
    }

    /// Number of answers or measured cases the row rests on.
    pub fn observed(&self) -> usize {
        self.observed
    }

    /// Number of missing answers or measurements.
    pub fn missing(&self) -> usize {
        self.missing
    }
}

/// The leaf memberships of one evaluated object (a merchant): for each indicator id, a
/// membership row over the `m` grades (entries in `[0, 1]`) with its observed and missing
/// counts, or no row when it has no observation at all.
///
/// Built by [`Survey::memberships`](crate::Survey::memberships),
/// [`KpiTally::memberships`](crate::input::KpiTally::memberships) or by hand, and fed to
/// [`Evaluator::evaluate`](crate::Evaluator::evaluate). Rows keep their insertion order.
///
/// # Examples
///
/// ```
/// use service_quality::{Grade, GradeSet, IndicatorMemberships};
///
/// let grades = GradeSet::new(vec![Grade::new("good", 3.0), Grade::new("fair", 2.0), Grade::new("poor", 1.0)])?;
/// let mut data = IndicatorMemberships::new(&grades);
/// data.insert("courtesy", vec![0.5, 0.3, 0.2], 10, 1)?;
/// data.insert_unobserved("advice", 11)?;
/// assert_eq!(data.get("courtesy").map(|r| r.missing()), Some(1));
/// assert!(data.insert("advice", vec![1.0, 0.0, 0.0], 1, 0).is_err()); // given twice
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IndicatorMemberships {
    n_grades: usize,
    rows: Vec<IndicatorRow>,
}

impl IndicatorMemberships {
    /// No indicators yet, rows over the grades of `grades` (checked, so the grade count is
    /// always at least 2).
    pub fn new(grades: &GradeSet) -> Self {
        Self::with_grade_count(grades.len())
    }

    /// No indicators yet, rows over `n_grades` grades (taken from a checked grade set or
    /// scale).
    pub(crate) fn with_grade_count(n_grades: usize) -> Self {
        Self {
            n_grades,
            rows: Vec::new(),
        }
    }

    /// Number of grades every row has.
    pub fn n_grades(&self) -> usize {
        self.n_grades
    }

    fn check_new(&self, id: &str) -> Result<()> {
        if self.get(id).is_some() {
            return Err(InputError::DuplicateIndicator { id: id.to_owned() }.into());
        }
        Ok(())
    }

    /// Adds an indicator's membership row, observed from `observed` answers or cases with
    /// `missing` more missing.
    ///
    /// # Errors
    ///
    /// - [`InputError::DuplicateIndicator`] when the id is already present;
    /// - [`EvaluationError::MembershipRowLength`] / [`EvaluationError::InvalidMembership`] (with
    ///   `row` = the position the indicator would take) for a row of the wrong length or with an
    ///   entry outside `[0, 1]` or NaN.
    pub fn insert(
        &mut self,
        id: impl Into<String>,
        row: Vec<f64>,
        observed: usize,
        missing: usize,
    ) -> Result<()> {
        let id = id.into();
        self.check_new(&id)?;
        check_row(self.rows.len(), &row, self.n_grades)?;
        self.rows.push(IndicatorRow {
            id,
            row: Some(row),
            observed,
            missing,
        });
        Ok(())
    }

    /// Adds an indicator for which nothing was observed (`missing` answers missing).
    ///
    /// # Errors
    ///
    /// [`InputError::DuplicateIndicator`] when the id is already present.
    pub fn insert_unobserved(&mut self, id: impl Into<String>, missing: usize) -> Result<()> {
        let id = id.into();
        self.check_new(&id)?;
        self.rows.push(IndicatorRow {
            id,
            row: None,
            observed: 0,
            missing,
        });
        Ok(())
    }

    /// Adds every indicator of `other` (for example KPI rows to survey rows).
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::GradeCountMismatch`] when the two have different numbers of grades;
    /// - [`InputError::DuplicateIndicator`] for an id present in both (nothing is added then).
    pub fn merge(&mut self, other: IndicatorMemberships) -> Result<()> {
        if other.n_grades != self.n_grades {
            return Err(EvaluationError::GradeCountMismatch {
                grades: self.n_grades,
                found: other.n_grades,
            }
            .into());
        }
        if let Some(dup) = other.rows.iter().find(|r| self.get(&r.id).is_some()) {
            return Err(InputError::DuplicateIndicator { id: dup.id.clone() }.into());
        }
        self.rows.extend(other.rows);
        Ok(())
    }

    /// The row of this indicator, if present.
    pub fn get(&self, id: &str) -> Option<&IndicatorRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// All rows in insertion order.
    pub fn rows(&self) -> &[IndicatorRow] {
        &self.rows
    }

    /// Number of indicators.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// `true` when no indicator was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::model::grades::Grade;

    fn grades(m: usize) -> GradeSet {
        GradeSet::new(
            (0..m)
                .map(|j| Grade::new(format!("g{j}"), j as f64))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn merge_refuses_duplicates_and_other_widths() {
        let mut a = IndicatorMemberships::new(&grades(2));
        a.insert("x", vec![0.5, 0.5], 2, 0).unwrap();
        let mut b = IndicatorMemberships::new(&grades(2));
        b.insert("y", vec![1.0, 0.0], 1, 0).unwrap();
        b.insert("x", vec![1.0, 0.0], 1, 0).unwrap();
        assert_eq!(
            a.clone().merge(b),
            Err(Error::Input(InputError::DuplicateIndicator {
                id: "x".into()
            }))
        );
        assert!(matches!(
            a.merge(IndicatorMemberships::new(&grades(3))),
            Err(Error::Evaluation(
                EvaluationError::GradeCountMismatch { .. }
            ))
        ));
        assert!(matches!(
            a.insert("z", vec![0.5, f64::NAN], 1, 0),
            Err(Error::Evaluation(EvaluationError::InvalidMembership {
                row: 1,
                col: 1,
                ..
            }))
        ));
    }
}
