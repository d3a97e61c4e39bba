//! Errors of the indicator hierarchy.

use core::fmt;

/// Errors of the structure of an [`IndicatorTree`](crate::IndicatorTree): ids, depth, and the
/// weighting of each node. Errors inside a node reach the caller wrapped in
/// [`Error::AtNode`](crate::Error::AtNode).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HierarchyError {
    /// A node id is empty or contains `.`, whitespace or control characters.
    #[error("invalid node id {id:?}: ids must be non-empty and contain no '.', whitespace or control characters")]
    InvalidId {
        /// The rejected id.
        id: String,
    },
    /// Two nodes share an id.
    #[error("duplicate node id `{id}` at `{first}` and `{second}`")]
    DuplicateId {
        /// The id.
        id: String,
        /// Path of the first node with the id.
        first: String,
        /// Path of the second node with the id.
        second: String,
    },
    /// A node lies deeper than [`MAX_TREE_DEPTH`](crate::hierarchy::MAX_TREE_DEPTH).
    #[error("node `{path}` is deeper than the {max} levels a tree may have")]
    TooDeep {
        /// Path of the first node that is too deep.
        path: String,
        /// The limit.
        max: usize,
    },
    /// A node id that is not in the tree.
    #[error("unknown node id `{id}`")]
    UnknownId {
        /// The id that was looked up.
        id: String,
    },
    /// A group node has weights but no children.
    #[error("group has weights or judgements but no children")]
    EmptyGroup,
    /// A node with children has no weights or judgements for them.
    #[error("node has {children} children but no weights or judgements for them")]
    MissingWeights {
        /// Number of children.
        children: usize,
    },
    /// The weights or matrix of a node do not match its number of children.
    #[error("node has {children} children but its {what} is for {size}")]
    ChildCountMismatch {
        /// Number of children.
        children: usize,
        /// Size of the weights or matrix.
        size: usize,
        /// Whether the weights or the matrix are too short or too long.
        what: CountOf,
    },
}

/// What [`HierarchyError::ChildCountMismatch`] found of the wrong size.
///
/// `Display` gives the words of the error message (`weight vector`, `pairwise matrix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CountOf {
    /// A vector of weights, one per child.
    WeightVector,
    /// A pairwise comparison matrix of the children.
    PairwiseMatrix,
}

impl fmt::Display for CountOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WeightVector => "weight vector",
            Self::PairwiseMatrix => "pairwise matrix",
        })
    }
}
