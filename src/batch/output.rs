//! Output buffers and per-merchant failures of the batch scorer.

use crate::error::{ArgumentError, Error, Result};

/// Caller-provided output buffers: one score and one grade index per merchant, and optionally
/// the normalised `B` of every node (`merchants x nodes x grades`, nodes in the tree's
/// preorder).
///
/// Slots of merchants that fail (see [`BatchSummary::failures`]) are left as they were; a
/// node excluded for lack of answers ([`Unanswered::Exclude`](crate::Unanswered::Exclude)) gets
/// an all-zero `B`.
#[derive(Debug)]
pub struct BatchOutput<'a> {
    pub(crate) scores: &'a mut [f64],
    pub(crate) grades: &'a mut [u32],
    pub(crate) node_b: Option<&'a mut [f64]>,
}

impl<'a> BatchOutput<'a> {
    /// Scores and grades only (grades by the evaluator's
    /// [`GradingRule`](crate::GradingRule)).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`] when the two buffers differ in length.
    pub fn new(scores: &'a mut [f64], grades: &'a mut [u32]) -> Result<Self> {
        if scores.len() != grades.len() {
            return Err(ArgumentError::LengthMismatch {
                what: "grade buffer (one per score)",
                expected: scores.len(),
                found: grades.len(),
            }
            .into());
        }
        Ok(Self {
            scores,
            grades,
            node_b: None,
        })
    }

    /// Also writes every node's normalised `B` into `node_b`
    /// (`merchants x nodes x grades`; checked when scoring).
    pub fn with_node_b(mut self, node_b: &'a mut [f64]) -> Self {
        self.node_b = Some(node_b);
        self
    }

    /// Number of merchants the buffers hold.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// `true` for zero merchants.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }
}

/// A merchant that could not be scored, and why (the same error the single-merchant
/// [`Evaluator`](crate::Evaluator) gives).
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantError {
    /// Index of the merchant in the batch.
    pub merchant: usize,
    /// What is wrong with its data.
    pub error: Error,
}

/// What a batch run did besides writing the outputs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchSummary {
    pub(crate) scored: usize,
    pub(crate) failures: Vec<MerchantError>,
}

impl BatchSummary {
    /// Number of merchants scored.
    pub fn scored(&self) -> usize {
        self.scored
    }

    /// The merchants that could not be scored, in index order.
    pub fn failures(&self) -> &[MerchantError] {
        &self.failures
    }

    /// `true` when every merchant was scored.
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Scores, grades and failures of a batch, from the allocating convenience methods.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchScores {
    /// Score per merchant (0 where the merchant failed).
    pub scores: Vec<f64>,
    /// Max-membership grade index per merchant (0 where the merchant failed).
    pub grades: Vec<u32>,
    /// The merchants that could not be scored.
    pub failures: Vec<MerchantError>,
}
