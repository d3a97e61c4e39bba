//! The decision matrix: alternatives x criteria, each criterion a benefit or a cost.

use std::collections::HashSet;

use crate::error::{McdmError, Result};
use crate::report::EvaluationReport;

use super::MAX_ABS_VALUE;

/// Whether more or less of a criterion is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CriterionType {
    /// Larger is better (高优指标): scores, satisfaction, resolution rate.
    Benefit,
    /// Smaller is better (低优指标): handling time, complaint count.
    Cost,
}

/// Which lines of an [`EvaluationReport`] become the criteria of a decision matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportLevel {
    /// The goal's children (for the after-sales template: speed, attitude, professionalism,
    /// satisfaction), each by its score.
    Dimensions,
    /// Every evaluated indicator (leaf), each by its score.
    Indicators,
}

/// A validated decision matrix: `m >= 2` alternatives (rows) by `n >= 1` criteria (columns),
/// every value finite and within [`MAX_ABS_VALUE`], each criterion a
/// [`CriterionType::Benefit`] or a [`CriterionType::Cost`]. Names are unique.
///
/// The values are stored exactly as given; each method normalises its own copy.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix};
///
/// let m = DecisionMatrix::new(
///     vec!["shop-a".into(), "shop-b".into(), "shop-c".into()],
///     vec!["score".into(), "minutes".into()],
///     vec![CriterionType::Benefit, CriterionType::Cost],
///     &[[88.0, 12.0], [92.0, 30.0], [75.0, 8.0]],
/// )?;
/// assert_eq!(m.n_alternatives(), 3);
/// assert_eq!(m.value(1, 1), Some(30.0));
/// assert_eq!(m.value(3, 0), None);
/// assert_eq!(m.column(0).collect::<Vec<_>>(), [88.0, 92.0, 75.0]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DecisionMatrix {
    alternatives: Vec<String>,
    criteria: Vec<String>,
    types: Vec<CriterionType>,
    /// Row-major `m x n`.
    values: Vec<f64>,
}

impl DecisionMatrix {
    /// A matrix from its rows (one per alternative, one value per criterion).
    ///
    /// # Errors
    ///
    /// - [`McdmError::TooFewAlternatives`] for fewer than 2 alternatives;
    /// - [`McdmError::NoCriteria`] for no criterion;
    /// - [`McdmError::CriterionTypes`] when `types` does not have one entry per criterion;
    /// - [`McdmError::RowCount`] when `rows` does not have one row per alternative;
    /// - [`McdmError::DuplicateName`] for a repeated alternative or criterion name;
    /// - [`McdmError::RowLength`] for a row without one value per criterion;
    /// - [`McdmError::InvalidValue`] for a NaN, infinite or too large value.
    pub fn new<R: AsRef<[f64]>>(
        alternatives: Vec<String>,
        criteria: Vec<String>,
        types: Vec<CriterionType>,
        rows: &[R],
    ) -> Result<Self> {
        if alternatives.len() < 2 {
            return Err(McdmError::TooFewAlternatives {
                found: alternatives.len(),
            }
            .into());
        }
        if criteria.is_empty() {
            return Err(McdmError::NoCriteria.into());
        }
        if types.len() != criteria.len() {
            return Err(McdmError::CriterionTypes {
                expected: criteria.len(),
                found: types.len(),
            }
            .into());
        }
        if rows.len() != alternatives.len() {
            return Err(McdmError::RowCount {
                expected: alternatives.len(),
                found: rows.len(),
            }
            .into());
        }
        unique("alternative", &alternatives)?;
        unique("criterion", &criteria)?;
        let n = criteria.len();
        let mut values = Vec::with_capacity(rows.len() * n);
        for (row, (values_in, name)) in rows.iter().zip(&alternatives).enumerate() {
            let r = values_in.as_ref();
            if r.len() != n {
                return Err(McdmError::RowLength {
                    row,
                    alternative: name.clone(),
                    expected: n,
                    found: r.len(),
                }
                .into());
            }
            for (j, &x) in r.iter().enumerate() {
                if !(x.abs() <= MAX_ABS_VALUE) {
                    return Err(McdmError::InvalidValue {
                        alternative: name.clone(),
                        criterion: criteria[j].clone(),
                        value: x,
                    }
                    .into());
                }
            }
            values.extend_from_slice(r);
        }
        Ok(Self {
            alternatives,
            criteria,
            types,
            values,
        })
    }

    /// Merchants (rows) by the scores of their dimensions or indicators (columns, all
    /// [`CriterionType::Benefit`]) taken from their evaluation reports. The criteria are the
    /// lines of the first report, in its order; every other report must have them too.
    ///
    /// # Errors
    ///
    /// - [`McdmError::MissingCriterion`] when a report lacks a line of the first one (an
    ///   indicator excluded for lack of answers, or reports of different trees);
    /// - as [`new`](Self::new) (fewer than 2 reports, a merchant twice, ...).
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::mcdm::{DecisionMatrix, ReportLevel};
    /// use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Survey};
    ///
    /// let tree = IndicatorTree::new(template::after_sales())?;
    /// let ids: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
    /// let mut survey = Survey::new(ids, GradeSet::satisfaction_5())?;
    /// survey.add_response("shop-a", &[Some(0); 13])?;
    /// survey.add_response("shop-b", &[Some(2); 13])?;
    /// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
    /// let reports = vec![
    ///     evaluator.report("shop-a", &survey.memberships("shop-a")?)?,
    ///     evaluator.report("shop-b", &survey.memberships("shop-b")?)?,
    /// ];
    /// let m = DecisionMatrix::from_reports(&reports, ReportLevel::Dimensions)?;
    /// assert_eq!(m.n_criteria(), 4);
    /// assert_eq!(m.row(1), Some(&[75.0; 4][..]));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn from_reports(reports: &[EvaluationReport], level: ReportLevel) -> Result<Self> {
        fn lines(r: &EvaluationReport, level: ReportLevel) -> &[crate::report::ReportLine] {
            match level {
                ReportLevel::Dimensions => r.dimensions(),
                ReportLevel::Indicators => r.indicators(),
            }
        }
        let criteria: Vec<String> = reports
            .first()
            .map(|r| lines(r, level).iter().map(|l| l.id().to_owned()).collect())
            .unwrap_or_default();
        let mut rows = Vec::with_capacity(reports.len());
        for report in reports {
            let own = lines(report, level);
            let row = criteria
                .iter()
                .map(|id| {
                    own.iter()
                        .find(|l| l.id() == id)
                        .map(|l| l.score())
                        .ok_or_else(|| McdmError::MissingCriterion {
                            merchant: report.merchant().to_owned(),
                            criterion: id.clone(),
                        })
                })
                .collect::<core::result::Result<Vec<f64>, McdmError>>()?;
            rows.push(row);
        }
        let types = vec![CriterionType::Benefit; criteria.len()];
        let alternatives = reports.iter().map(|r| r.merchant().to_owned()).collect();
        Self::new(alternatives, criteria, types, &rows)
    }

    /// Merchants by the scores of chosen nodes, from the node `B` vectors a
    /// [`BatchScorer`](crate::BatchScorer) wrote
    /// ([`BatchOutput::with_node_b`](crate::BatchOutput::with_node_b): `merchants x nodes x
    /// grades`, nodes in the tree's preorder). The score of a node is `sum_j b_j v_j` with the
    /// grade values `v_j` (its `B` is already normalised); all criteria are benefits.
    ///
    /// `nodes` are the preorder indices of the criteria
    /// ([`NodeRef::index`](crate::hierarchy::NodeRef::index)) with their names.
    ///
    /// # Errors
    ///
    /// - [`McdmError::RowCount`] when `node_b` does not hold `merchants.len() * n_nodes *
    ///   grade_values.len()` values;
    /// - [`McdmError::CriterionTypes`] when a node index is not below `n_nodes`;
    /// - [`McdmError::MissingCriterion`] when a merchant's `B` of a chosen node is all zero
    ///   (the node was excluded for lack of answers) or not positive;
    /// - as [`new`](Self::new) (a NaN in `B` gives [`McdmError::InvalidValue`]).
    pub fn from_node_b(
        merchants: Vec<String>,
        node_b: &[f64],
        n_nodes: usize,
        grade_values: &[f64],
        nodes: &[(usize, String)],
    ) -> Result<Self> {
        let g = grade_values.len();
        let per_merchant = n_nodes.saturating_mul(g);
        if per_merchant == 0 || node_b.len() != merchants.len().saturating_mul(per_merchant) {
            return Err(McdmError::RowCount {
                expected: merchants.len(),
                found: node_b.len().checked_div(per_merchant).unwrap_or(0),
            }
            .into());
        }
        if nodes.iter().any(|&(k, _)| k >= n_nodes) {
            return Err(McdmError::CriterionTypes {
                expected: n_nodes,
                found: nodes.len(),
            }
            .into());
        }
        let mut rows: Vec<Vec<f64>> = Vec::with_capacity(merchants.len());
        for (b, merchant) in node_b.chunks_exact(per_merchant).zip(&merchants) {
            let mut row = Vec::with_capacity(nodes.len());
            for (k, name) in nodes {
                let node = &b[k * g..(k + 1) * g];
                // an all-zero B is a node excluded for lack of answers: no score to take
                if !(node.iter().sum::<f64>() > 0.0) {
                    return Err(McdmError::MissingCriterion {
                        merchant: merchant.clone(),
                        criterion: name.clone(),
                    }
                    .into());
                }
                row.push(node.iter().zip(grade_values).map(|(x, v)| x * v).sum());
            }
            rows.push(row);
        }
        let criteria = nodes.iter().map(|(_, name)| name.clone()).collect();
        Self::new(
            merchants,
            criteria,
            vec![CriterionType::Benefit; nodes.len()],
            &rows,
        )
    }

    /// The same matrix with other criterion types.
    ///
    /// # Errors
    ///
    /// [`McdmError::CriterionTypes`] when `types` does not have one entry per criterion.
    pub fn with_types(mut self, types: Vec<CriterionType>) -> Result<Self> {
        if types.len() != self.criteria.len() {
            return Err(McdmError::CriterionTypes {
                expected: self.criteria.len(),
                found: types.len(),
            }
            .into());
        }
        self.types = types;
        Ok(self)
    }

    /// The alternatives (rows), in order.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }
    /// The criteria (columns), in order.
    pub fn criteria(&self) -> &[String] {
        &self.criteria
    }
    /// The type of every criterion.
    pub fn types(&self) -> &[CriterionType] {
        &self.types
    }
    /// Number of alternatives `m` (at least 2).
    pub fn n_alternatives(&self) -> usize {
        self.alternatives.len()
    }
    /// Number of criteria `n` (at least 1).
    pub fn n_criteria(&self) -> usize {
        self.criteria.len()
    }
    /// The value of alternative `i` on criterion `j`; `None` when either is out of range.
    pub fn value(&self, i: usize, j: usize) -> Option<f64> {
        (j < self.n_criteria())
            .then(|| self.values.get(i * self.n_criteria() + j).copied())
            .flatten()
    }
    /// Row `i` (alternative `i` on every criterion); `None` when out of range.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        let n = self.n_criteria();
        self.values.get(i * n..(i + 1) * n)
    }
    /// Column `j` (every alternative on criterion `j`); empty when `j` is out of range.
    pub fn column(&self, j: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        let n = self.n_criteria();
        let m = if j < n { self.n_alternatives() } else { 0 };
        (0..m).map(move |i| self.values[i * n + j])
    }
    /// Column `j` as a vector.
    pub(crate) fn column_vec(&self, j: usize) -> Vec<f64> {
        self.column(j).collect()
    }
}

/// [`McdmError::DuplicateName`] for the first repeated name.
pub(crate) fn unique(what: &'static str, names: &[String]) -> Result<()> {
    let mut seen = HashSet::with_capacity(names.len());
    for name in names {
        if !seen.insert(name.as_str()) {
            return Err(McdmError::DuplicateName {
                what,
                name: name.clone(),
            }
            .into());
        }
    }
    Ok(())
}

// exact values: closed forms and assigned constants
#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::Error;

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    #[test]
    fn rejects_bad_shapes_and_values() {
        let b = CriterionType::Benefit;
        let err = |r: Result<DecisionMatrix>| match r {
            Err(Error::Mcdm(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(matches!(
            err(DecisionMatrix::new(
                names("a", 2),
                vec![],
                vec![],
                &[[0.0; 0]; 2]
            )),
            McdmError::NoCriteria
        ));
        assert!(matches!(
            err(DecisionMatrix::new(
                names("a", 2),
                names("c", 2),
                vec![b],
                &[[1.0, 2.0]; 2]
            )),
            McdmError::CriterionTypes {
                expected: 2,
                found: 1
            }
        ));
        assert!(matches!(
            err(DecisionMatrix::new(
                names("a", 2),
                names("c", 1),
                vec![b],
                &[[1.0]; 3]
            )),
            McdmError::RowCount {
                expected: 2,
                found: 3
            }
        ));
        assert!(matches!(
            err(DecisionMatrix::new(
                vec!["x".into(), "x".into()],
                names("c", 1),
                vec![b],
                &[[1.0]; 2]
            )),
            McdmError::DuplicateName {
                what: "alternative",
                ..
            }
        ));
        assert!(matches!(
            err(DecisionMatrix::new(
                names("a", 2),
                names("c", 1),
                vec![b],
                &[vec![1.0], vec![]]
            )),
            McdmError::RowLength {
                row: 1,
                expected: 1,
                found: 0,
                ..
            }
        ));
        for bad in [f64::NAN, f64::INFINITY, 1e101] {
            match err(DecisionMatrix::new(
                names("a", 2),
                names("c", 1),
                vec![b],
                &[[1.0], [bad]],
            )) {
                McdmError::InvalidValue {
                    alternative, value, ..
                } => {
                    assert_eq!(alternative, "a1");
                    assert!(value.is_nan() || value == bad);
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn node_b_scores_are_b_dot_values() {
        // 2 merchants x 2 nodes x 2 grades
        let b = [0.5, 0.5, 1.0, 0.0, 0.25, 0.75, 0.0, 1.0];
        let mut excluded = b;
        excluded[4..6].copy_from_slice(&[0.0, 0.0]);
        assert!(matches!(
            DecisionMatrix::from_node_b(
                names("m", 2),
                &excluded,
                2,
                &[1.0, 0.0],
                &[(0, "goal".into())]
            ),
            Err(Error::Mcdm(McdmError::MissingCriterion { .. }))
        ));
        let m = DecisionMatrix::from_node_b(
            names("m", 2),
            &b,
            2,
            &[100.0, 0.0],
            &[(1, "dim".into()), (0, "goal".into())],
        )
        .unwrap();
        assert_eq!(m.row(0), Some(&[100.0, 50.0][..]));
        assert_eq!(m.row(1), Some(&[0.0, 25.0][..]));
        assert!(DecisionMatrix::from_node_b(names("m", 2), &b[1..], 2, &[1.0, 0.0], &[]).is_err());
        assert!(
            DecisionMatrix::from_node_b(names("m", 2), &b, 2, &[1.0, 0.0], &[(2, "x".into())])
                .is_err()
        );
    }
}
