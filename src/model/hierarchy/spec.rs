//! Unvalidated descriptions of an indicator tree: what users write and model files hold.

use std::collections::HashMap;

use crate::ahp::{IncompleteMatrix, PairwiseMatrix, PriorityOptions};
use crate::error::{CountOf, Error, HierarchyError, Result};
use crate::hierarchy::KpiSpec;
use crate::model::weights::Weights;

/// How a group node weights its children.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChildWeighting {
    /// Local weights given directly; they must already sum to 1 (within
    /// [`WEIGHT_SUM_TOL`](crate::WEIGHT_SUM_TOL)).
    Weights(Vec<f64>),
    /// Raw non-negative importance values, normalised to sum to 1 (explicit opt-in).
    RawWeights(Vec<f64>),
    /// Pairwise judgements over the children; the local weights are their priority vector.
    Judgements(Judgements),
}

/// Pairwise judgements over the children of a node, in one of three equivalent forms.
///
/// In model files (JSON): `{"upper": [..]}`, `{"rows": [[..], ..]}` or
/// `{"pairs": [["speed", "attitude", 3.0], ..]}`; a value may be a number or, as papers print
/// them, a fraction in a string (`"1/3"`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Judgements {
    /// The `k(k-1)/2` entries above the diagonal, row by row, children in their listed order
    /// (see [`PairwiseMatrix::from_upper_triangle`](crate::PairwiseMatrix::from_upper_triangle)).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::ahp::fraction::values")
    )]
    Upper(Vec<f64>),
    /// Full rows (see [`PairwiseMatrix::from_rows`](crate::PairwiseMatrix::from_rows)).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::ahp::fraction::rows")
    )]
    Rows(Vec<Vec<f64>>),
    /// `(child_id_a, child_id_b, value)`: `a` is `value` times as important as `b`; every pair of
    /// children must be judged once (see
    /// [`PairwiseMatrix::from_judgements`](crate::PairwiseMatrix::from_judgements)).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::ahp::fraction::pairs")
    )]
    Pairs(Vec<(String, String, f64)>),
}

/// One node of an indicator tree as written by the user (not yet validated).
///
/// Build the tree with [`IndicatorTree::new`](crate::IndicatorTree::new), which checks
/// everything. Write a node with the consuming `with_*` methods, or edit one in place (for
/// example a node of a [`template`](crate::template)) with the `set_*` methods and
/// [`children_mut`](Self::children_mut); a subtree of any depth is dropped without recursion. In model files a node is an object with `id`, `label`, optional `label_zh`,
/// optional `children` and, for a node with children, exactly one of `weights`, `raw_weights`
/// or `judgements`.
///
/// # Examples
///
/// ```
/// use service_quality::{IndicatorTree, Judgements, NodeSpec};
///
/// let spec = NodeSpec::group(
///     "goal",
///     "Service quality",
///     vec![
///         NodeSpec::leaf("speed", "Response speed").with_label_zh("响应速度"),
///         NodeSpec::leaf("attitude", "Service attitude").with_label_zh("服务态度"),
///     ],
/// )
/// .with_judgements(Judgements::Upper(vec![3.0]));
/// let tree = IndicatorTree::new(spec.clone())?;
/// assert!((tree.global_weight("speed")? - 0.75).abs() < 1e-12);
///
/// // the same node edited in place
/// let mut edited = spec;
/// edited.set_judgements(Judgements::Upper(vec![1.0]));
/// edited.children_mut().push(NodeSpec::leaf("skill", "Professionalism"));
/// edited.set_raw_weights(vec![1.0, 1.0, 2.0]);
/// let tree = IndicatorTree::new(edited)?;
/// assert!((tree.global_weight("skill")? - 0.5).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "raw::RawNodeSpec", into = "raw::RawNodeSpec")
)]
pub struct NodeSpec {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) label_zh: Option<String>,
    pub(crate) weighting: Option<ChildWeighting>,
    pub(crate) children: Vec<NodeSpec>,
}

impl NodeSpec {
    /// A leaf (indicator).
    pub fn leaf(id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            label_zh: None,
            weighting: None,
            children: Vec::new(),
        }
    }

    /// A group with children; give their weights with one of the `with_*` methods.
    pub fn group(id: impl Into<String>, label: impl Into<String>, children: Vec<NodeSpec>) -> Self {
        let mut node = Self::leaf(id, label);
        node.children = children;
        node
    }

    /// Sets the Chinese label.
    pub fn with_label_zh(mut self, label_zh: impl Into<String>) -> Self {
        self.set_label_zh(label_zh);
        self
    }

    /// Weights the children directly (must sum to 1).
    pub fn with_weights(mut self, weights: Vec<f64>) -> Self {
        self.set_weights(weights);
        self
    }

    /// Weights the children by raw values, normalised to sum to 1.
    pub fn with_raw_weights(mut self, raw: Vec<f64>) -> Self {
        self.set_raw_weights(raw);
        self
    }

    /// Weights the children by pairwise judgements.
    pub fn with_judgements(mut self, judgements: Judgements) -> Self {
        self.set_judgements(judgements);
        self
    }

    /// Stable id, unique in the tree: non-empty, no `.`, whitespace or control characters
    /// (checked by [`IndicatorTree::new`](crate::IndicatorTree::new)).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The English label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The Chinese label, if any.
    pub fn label_zh(&self) -> Option<&str> {
        self.label_zh.as_deref()
    }

    /// How the children are weighted (`None` for a leaf, or a group not weighted yet).
    pub fn weighting(&self) -> Option<&ChildWeighting> {
        self.weighting.as_ref()
    }

    /// The children, in order (empty for a leaf).
    pub fn children(&self) -> &[NodeSpec] {
        &self.children
    }

    /// The children, to add, remove, reorder or edit them in place (give the weighting to
    /// match).
    pub fn children_mut(&mut self) -> &mut Vec<NodeSpec> {
        &mut self.children
    }

    /// Changes the id.
    pub fn set_id(&mut self, id: impl Into<String>) -> &mut Self {
        self.id = id.into();
        self
    }

    /// Changes the English label.
    pub fn set_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    /// Sets the Chinese label.
    pub fn set_label_zh(&mut self, label_zh: impl Into<String>) -> &mut Self {
        self.label_zh = Some(label_zh.into());
        self
    }

    /// Weights the children directly (must sum to 1), replacing any weighting.
    pub fn set_weights(&mut self, weights: Vec<f64>) -> &mut Self {
        self.set_weighting(Some(ChildWeighting::Weights(weights)))
    }

    /// Weights the children by raw values, normalised to sum to 1, replacing any weighting.
    pub fn set_raw_weights(&mut self, raw: Vec<f64>) -> &mut Self {
        self.set_weighting(Some(ChildWeighting::RawWeights(raw)))
    }

    /// Weights the children by pairwise judgements, replacing any weighting.
    pub fn set_judgements(&mut self, judgements: Judgements) -> &mut Self {
        self.set_weighting(Some(ChildWeighting::Judgements(judgements)))
    }

    /// Sets or clears (`None`) the weighting.
    pub fn set_weighting(&mut self, weighting: Option<ChildWeighting>) -> &mut Self {
        self.weighting = weighting;
        self
    }

    /// The node with this id in this subtree (depth first), to edit a template.
    pub fn find_mut(&mut self, id: &str) -> Option<&mut NodeSpec> {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            if node.id == id {
                return Some(node);
            }
            stack.extend(node.children.iter_mut());
        }
        None
    }
}

/// What a group node's weighting says about its children, checked against their number.
#[derive(Debug)]
pub(crate) enum LocalInput {
    /// Weights given directly or normalised from raw values.
    Weights(Weights),
    /// A complete matrix of judgements.
    Matrix(PairwiseMatrix),
    /// `pairs` judgements, possibly with missing pairs.
    Incomplete(IncompleteMatrix),
}

/// Parses the weighting of a node that has children.
///
/// # Errors
///
/// [`HierarchyError::MissingWeights`] without a weighting, [`HierarchyError::ChildCountMismatch`]
/// for a wrong size, [`HierarchyError::UnknownId`] for a pair naming a non-child, and the errors of
/// [`Weights`], [`PairwiseMatrix`] and [`IncompleteMatrix`] constructors.
pub(crate) fn local_input(spec: &NodeSpec) -> Result<LocalInput> {
    let k = spec.children.len();
    let weighting = spec
        .weighting
        .as_ref()
        .ok_or(HierarchyError::MissingWeights { children: k })?;
    let size_check = |size: usize, what: CountOf| {
        if size == k {
            Ok(())
        } else {
            Err(HierarchyError::ChildCountMismatch {
                children: k,
                size,
                what,
            })
        }
    };
    Ok(match weighting {
        ChildWeighting::Weights(w) => {
            size_check(w.len(), CountOf::WeightVector)?;
            LocalInput::Weights(Weights::new(w.clone())?)
        }
        ChildWeighting::RawWeights(w) => {
            size_check(w.len(), CountOf::WeightVector)?;
            LocalInput::Weights(Weights::normalize(w)?)
        }
        ChildWeighting::Judgements(Judgements::Upper(u)) => {
            LocalInput::Matrix(PairwiseMatrix::from_upper_triangle(k, u)?)
        }
        ChildWeighting::Judgements(Judgements::Rows(rows)) => {
            size_check(rows.len(), CountOf::PairwiseMatrix)?;
            LocalInput::Matrix(PairwiseMatrix::from_rows(rows)?)
        }
        ChildWeighting::Judgements(Judgements::Pairs(pairs)) => {
            let index: HashMap<&str, usize> = spec
                .children
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect();
            let lookup = |id: &String| {
                index
                    .get(id.as_str())
                    .copied()
                    .ok_or_else(|| Error::Hierarchy(HierarchyError::UnknownId { id: id.clone() }))
            };
            let triples = pairs
                .iter()
                .map(|(a, b, v)| Ok((lookup(a)?, lookup(b)?, *v)))
                .collect::<Result<Vec<_>>>()?;
            LocalInput::Incomplete(IncompleteMatrix::from_judgements(k, &triples)?)
        }
    })
}

impl Drop for NodeSpec {
    /// Drops the subtree iteratively, so that a deep tree cannot overflow the stack.
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.children);
        }
    }
}

/// A whole model: priority options and the root node. This is the model file format.
///
/// ```json
/// {
///   "priority": { "method": "eigenvector", "random_index": "saaty1980" },
///   "root": {
///     "id": "goal", "label": "Service quality", "label_zh": "服务质量",
///     "judgements": { "upper": [3.0] },
///     "children": [
///       { "id": "speed", "label": "Response speed" },
///       { "id": "attitude", "label": "Service attitude" }
///     ]
///   }
/// }
/// ```
///
/// `priority` is optional (defaults: eigenvector, Saaty 1980 RI, tolerance 1e-12, 1000
/// iterations); its `method` is `eigenvector`, `geometric_mean` (alias `rgmm`) or
/// `normalized_column_average` (alias `an`); `random_index` is `saaty1980`,
/// `alonso_lamata2006`, `donegan_dodd1991`, `tummala_ling1998` or `{"custom": [0, 0, 0.58, ..]}`;
/// `tol` and `max_iter` set the power iteration. The optional `kpi` section declares the
/// thresholds of measured KPIs per class of case ([`KpiSpec`]). Unknown fields are rejected.
///
/// Load a model file with [`IndicatorTree::from_json`](crate::IndicatorTree::from_json) (read
/// and validate) or [`TreeSpec::from_json`] (read only): they read trees of every depth up to
/// [`MAX_TREE_DEPTH`](crate::hierarchy::MAX_TREE_DEPTH) (`serde_json::from_str`, limited by
/// serde_json's recursion limit, stops at about 62 levels). Both build the tree whatever the
/// consistency of its judgements; chain
/// [`IndicatorTree::require_consistency`](crate::IndicatorTree::require_consistency) to refuse
/// judgements with a CR at or above a threshold.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TreeSpec {
    /// How pairwise judgements become weights.
    #[cfg_attr(feature = "serde", serde(default))]
    pub priority: PriorityOptions,
    /// The goal node.
    pub root: NodeSpec,
    /// KPI thresholds per indicator and class of case (the `kpi` section; optional).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kpi: Option<KpiSpec>,
}

#[cfg(feature = "serde")]
pub(super) mod raw {
    use super::{ChildWeighting, Judgements, NodeSpec};

    /// The JSON shape of a node: at most one of the three weighting fields. The children are
    /// nodes, or (for [`TreeSpec::from_json`](super::TreeSpec::from_json)) their JSON text,
    /// read one level at a time.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields, bound(deserialize = "C: serde::Deserialize<'de>"))]
    pub(in crate::model::hierarchy) struct RawNodeSpec<C = NodeSpec> {
        id: String,
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label_zh: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weights: Option<Vec<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raw_weights: Option<Vec<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        judgements: Option<Judgements>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        children: Vec<C>,
    }

    impl<C> RawNodeSpec<C> {
        /// The node without children, and the children.
        ///
        /// # Errors
        ///
        /// A message when more than one weighting is given.
        pub(in crate::model::hierarchy) fn split(self) -> Result<(NodeSpec, Vec<C>), String> {
            let weighting = match (self.weights, self.raw_weights, self.judgements) {
                (None, None, None) => None,
                (Some(w), None, None) => Some(ChildWeighting::Weights(w)),
                (None, Some(w), None) => Some(ChildWeighting::RawWeights(w)),
                (None, None, Some(j)) => Some(ChildWeighting::Judgements(j)),
                _ => {
                    return Err(format!(
                    "node `{}` gives more than one of `weights`, `raw_weights` and `judgements`",
                    self.id
                ))
                }
            };
            let node = NodeSpec {
                id: self.id,
                label: self.label,
                label_zh: self.label_zh,
                weighting,
                children: Vec::new(),
            };
            Ok((node, self.children))
        }
    }

    impl TryFrom<RawNodeSpec> for NodeSpec {
        type Error = String;
        fn try_from(r: RawNodeSpec) -> Result<Self, String> {
            let (mut node, children) = r.split()?;
            node.children = children;
            Ok(node)
        }
    }

    impl From<NodeSpec> for RawNodeSpec {
        fn from(mut n: NodeSpec) -> Self {
            let (mut weights, mut raw_weights, mut judgements) = (None, None, None);
            match n.weighting.take() {
                Some(ChildWeighting::Weights(w)) => weights = Some(w),
                Some(ChildWeighting::RawWeights(w)) => raw_weights = Some(w),
                Some(ChildWeighting::Judgements(j)) => judgements = Some(j),
                None => {}
            }
            RawNodeSpec {
                id: std::mem::take(&mut n.id),
                label: std::mem::take(&mut n.label),
                label_zh: n.label_zh.take(),
                weights,
                raw_weights,
                judgements,
                children: std::mem::take(&mut n.children),
            }
        }
    }
}
