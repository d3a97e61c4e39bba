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
    /// The strict build ([`IndicatorTree::require_consistency`](crate::IndicatorTree::require_consistency))
    /// found pairwise judgements whose consistency ratio is not below the threshold.
    #[error("{}", inconsistent_message(.nodes, *.threshold))]
    Inconsistent {
        /// Every failing node, in preorder: its path and the CR of its children's judgements.
        nodes: Vec<(String, f64)>,
        /// The threshold (a node passes when `CR < threshold`).
        threshold: f64,
    },
    /// The `kpi` section of a model names an id that is not an indicator (leaf) of the tree.
    #[error("KPI thresholds for `{indicator}` (class `{class}`): the tree has no indicator with this id")]
    UnknownKpiIndicator {
        /// The id.
        indicator: String,
        /// The class of case of the scale.
        class: String,
    },
    /// The `kpi` section of a model gives the thresholds of one indicator and class twice.
    #[error("KPI thresholds for `{indicator}` (class `{class}`) are given twice")]
    DuplicateKpiScale {
        /// The indicator id.
        indicator: String,
        /// The class of case.
        class: String,
    },
    /// A model file ([`TreeSpec::from_json`](crate::TreeSpec::from_json)) is not JSON, nests
    /// deeper than any tree of [`MAX_TREE_DEPTH`](crate::hierarchy::MAX_TREE_DEPTH) levels
    /// needs, or does not have the shape of a model (a missing or unknown field, a value of the
    /// wrong type, two weightings on one node).
    ///
    /// What is wrong with a well-formed model (weights, judgements, ids, depth) comes as the
    /// other variants, from [`IndicatorTree::from_spec`](crate::IndicatorTree::from_spec).
    #[error("model file, line {line}, column {column}: {message}")]
    ModelFile {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column (in bytes) of the problem.
        column: usize,
        /// What is wrong there (the JSON parser's message).
        message: String,
    },
}

/// The message of [`HierarchyError::Inconsistent`]: every node with its CR.
fn inconsistent_message(nodes: &[(String, f64)], threshold: f64) -> String {
    let list: Vec<String> = nodes
        .iter()
        .map(|(path, cr)| format!("`{path}` (CR {cr:.4})"))
        .collect();
    format!(
        "judgements are not acceptably consistent (CR >= {threshold}) at {} node{}: {}",
        nodes.len(),
        if nodes.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
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
