//! Errors of expert panels (group AHP).

use core::fmt;

/// Errors of expert panels: the experts' inputs disagree in size or structure, or the expert
/// weights are invalid. Errors in one expert's input reach the caller wrapped in
/// [`Error::AtExpert`](crate::Error::AtExpert).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PanelError {
    /// An expert's matrix (or judgement set at a node) has a different size from the first
    /// expert's.
    #[error("expert {expert} judges {found} criteria, expected {expected}")]
    ExpertSizeMismatch {
        /// Index of the offending expert (0-based).
        expert: usize,
        /// Size of the first expert's matrix.
        expected: usize,
        /// Size of this expert's matrix.
        found: usize,
    },
    /// The number of expert weights differs from the number of experts.
    #[error("{found} expert weights given for {expected} experts")]
    ExpertCountMismatch {
        /// Number of experts.
        expected: usize,
        /// Number of weights given.
        found: usize,
    },
    /// Every expert was excluded by the consistency filter, so nothing is left to aggregate.
    #[error("all {experts} experts have a consistency ratio above {threshold}; none is left")]
    AllExpertsExcluded {
        /// Number of experts on the panel.
        experts: usize,
        /// The exclusion threshold on CR.
        threshold: f64,
    },
    /// Experts' hierarchies differ in structure at a node.
    #[error("expert {expert} differs from expert 0 at node `{path}`: {reason}")]
    StructureMismatch {
        /// Dotted path of the node (in expert 0's tree).
        path: String,
        /// Index of the expert whose tree differs (0-based).
        expert: usize,
        /// What differs.
        reason: StructureDifference,
    },
}

/// How an expert's hierarchy differs from expert 0's at a node
/// ([`PanelError::StructureMismatch`]).
///
/// `Display` gives the words of the error message (`node ids differ`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StructureDifference {
    /// The node has a different id.
    NodeIds,
    /// The node has a different number of children.
    ChildCount,
}

impl fmt::Display for StructureDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NodeIds => "node ids differ",
            Self::ChildCount => "numbers of children differ",
        })
    }
}
