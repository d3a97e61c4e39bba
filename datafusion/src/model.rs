//! `ScoringModel`: the evaluation the SQL functions apply, compiled once and shared.

use std::collections::HashMap;

use service_quality::{BatchScorer, Evaluator};

/// An evaluation configuration (tree, weights, operators, grade set, unanswered policy)
/// compiled for the SQL functions: the batch scorer, and the lookups from indicator ids and
/// grade labels to their positions.
///
/// The functions of one registration share it through an `Arc`; executors of a distributed
/// engine build their own from the same model file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringModel {
    pub(crate) scorer: BatchScorer,
    leaves: HashMap<String, usize>,
    grades: HashMap<String, usize>,
    grade_labels: Vec<String>,
}

impl ScoringModel {
    /// Compiles `evaluator`.
    ///
    /// # Errors
    ///
    /// As [`BatchScorer::new`] (more than 254 grades, or more than `u32::MAX` nodes).
    pub fn new(evaluator: &Evaluator) -> service_quality::Result<Self> {
        let scorer = BatchScorer::new(evaluator)?;
        let leaves = scorer
            .leaf_ids()
            .iter()
            .enumerate()
            .map(|(l, id)| (id.clone(), l))
            .collect();
        let mut grades = HashMap::new();
        let mut grade_labels = Vec::new();
        for (j, grade) in evaluator.grades().grades().iter().enumerate() {
            grades.insert(grade.label().to_owned(), j);
            if let Some(zh) = grade.label_zh() {
                grades.insert(zh.to_owned(), j);
            }
            grade_labels.push(grade.label().to_owned());
        }
        Ok(Self {
            scorer,
            leaves,
            grades,
            grade_labels,
        })
    }

    /// Indicators (leaves) x grades: the length of one merchant's counts.
    pub fn block(&self) -> usize {
        self.scorer.n_leaves() * self.scorer.n_grades()
    }

    /// The batch scorer.
    pub fn scorer(&self) -> &BatchScorer {
        &self.scorer
    }

    /// The position of indicator `id` among the leaves.
    pub(crate) fn leaf(&self, id: &str) -> Option<usize> {
        self.leaves.get(id).copied()
    }

    /// The index of the grade labelled `label` (English or Chinese label).
    pub(crate) fn grade(&self, label: &str) -> Option<usize> {
        self.grades.get(label).copied()
    }

    /// The English label of grade `j`.
    pub(crate) fn grade_label(&self, j: usize) -> &str {
        &self.grade_labels[j]
    }

    /// The leaf ids, for messages.
    pub(crate) fn leaf_list(&self) -> String {
        self.scorer.leaf_ids().join(", ")
    }
}
