//! The validated indicator tree.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::ahp::{ConsistencyReport, PairwiseMatrix, Priorities, PriorityOptions};
use crate::error::{ArgumentError, Error, HierarchyError, Parameter, Result};
use crate::hierarchy::spec::{local_input, LocalInput, NodeSpec, TreeSpec};
use crate::hierarchy::KpiSpec;
use crate::model::weights::Weights;

/// Deepest level a tree may have (the root is level 0). Deep enough for any indicator system,
/// and shallow enough that cloning, comparing and serialising a tree, which recurse, stay far
/// from the limits of the call stack.
///
/// Model files of every depth up to this one are read by
/// [`IndicatorTree::from_json`] and [`TreeSpec::from_json`].
pub const MAX_TREE_DEPTH: usize = 256;

/// A validated weighted hierarchy: goal -> dimensions -> ... -> indicators (leaves).
///
/// Every group node has local weights for its children (given or derived from pairwise
/// judgements, in which case the [`Priorities`] with their consistency report are kept). The
/// global weight of a node is the product of the local weights on its path from the root; the
/// global weights of the leaves sum to 1. Leaves may sit at different depths.
///
/// Node ids are unique in the tree; a node's *path* is the dotted list of ids from the first
/// level below the root (`attitude.politeness`); the root's path is its id.
///
/// # Examples
///
/// ```
/// use service_quality::{IndicatorTree, NodeSpec};
///
/// let spec = NodeSpec::group("goal", "Quality", vec![
///     NodeSpec::group("speed", "Speed", vec![
///         NodeSpec::leaf("first_reply", "First reply"),
///         NodeSpec::leaf("resolution", "Resolution"),
///     ]).with_weights(vec![0.6, 0.4]),
///     NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_raw_weights(vec![3.0, 1.0]);
/// let tree = IndicatorTree::new(spec)?;
/// assert!((tree.global_weight("first_reply")? - 0.45).abs() < 1e-12);
/// assert_eq!(tree.node("resolution")?.path(), "speed.resolution");
/// let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
/// assert!((total - 1.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTree {
    spec: TreeSpec,
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    leaves: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    id: String,
    label: String,
    label_zh: Option<String>,
    path: String,
    parent: Option<usize>,
    children: Vec<usize>,
    depth: usize,
    local_weight: f64,
    global_weight: f64,
    child_weights: Option<Weights>,
    priorities: Option<Priorities>,
    matrix: Option<PairwiseMatrix>,
}

fn at(path: &str, source: Error) -> Error {
    Error::AtNode {
        path: path.to_owned(),
        source: Box::new(source),
    }
}

fn check_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id
            .chars()
            .any(|c| c == '.' || c.is_whitespace() || c.is_control())
    {
        Err(HierarchyError::InvalidId { id: id.to_owned() }.into())
    } else {
        Ok(())
    }
}

/// Local weights of a node's children, with the matrix and AHP result when judged pairwise.
type LocalWeights = (Weights, Option<(PairwiseMatrix, Priorities)>);

/// Local weights of `spec`'s children (and the AHP result when judged pairwise).
fn child_weights(spec: &NodeSpec, opts: &PriorityOptions) -> Result<Option<LocalWeights>> {
    if spec.children.is_empty() {
        return match spec.weighting {
            None => Ok(None),
            Some(_) => Err(HierarchyError::EmptyGroup.into()),
        };
    }
    let matrix = match local_input(spec)? {
        LocalInput::Weights(w) => return Ok(Some((w, None))),
        LocalInput::Matrix(m) => m,
        LocalInput::Incomplete(m) => m.to_complete()?,
    };
    let priorities = matrix.priorities_with(opts)?;
    Ok(Some((
        priorities.weights().clone(),
        Some((matrix, priorities)),
    )))
}

impl IndicatorTree {
    /// Validates `root` and computes local and global weights with the default
    /// [`PriorityOptions`] (eigenvector, Saaty 1980 RI).
    ///
    /// # Errors
    ///
    /// As [`from_spec`](Self::from_spec).
    pub fn new(root: NodeSpec) -> Result<Self> {
        Self::from_spec(TreeSpec {
            priority: PriorityOptions::default(),
            root,
            kpi: None,
        })
    }

    /// Validates `root` and computes the weights with explicit priority options.
    ///
    /// # Errors
    ///
    /// As [`from_spec`](Self::from_spec).
    pub fn with_options(root: NodeSpec, options: PriorityOptions) -> Result<Self> {
        Self::from_spec(TreeSpec {
            priority: options,
            root,
            kpi: None,
        })
    }

    /// Validates a whole model and computes the weights.
    ///
    /// # Errors
    ///
    /// - [`HierarchyError::InvalidId`] for an empty id or one with `.`, whitespace or control
    ///   characters;
    /// - [`HierarchyError::DuplicateId`] when two nodes share an id (with both paths);
    /// - [`HierarchyError::TooDeep`] for a node below level [`MAX_TREE_DEPTH`];
    /// - [`HierarchyError::UnknownKpiIndicator`] for KPI thresholds of an id that is not an
    ///   indicator (leaf), [`HierarchyError::DuplicateKpiScale`] for an `(indicator, class)`
    ///   pair given twice;
    ///
    /// and, wrapped in [`Error::AtNode`] with the node's path:
    ///
    /// - [`HierarchyError::EmptyGroup`] for weights or judgements on a node without children;
    /// - [`HierarchyError::MissingWeights`] for children without weights or judgements;
    /// - [`HierarchyError::ChildCountMismatch`] when weights or matrix rows do not match the
    ///   children;
    /// - [`WeightsError::InvalidWeight`](crate::WeightsError::InvalidWeight),
    ///   [`WeightsError::WeightSum`](crate::WeightsError::WeightSum),
    ///   [`ArgumentError::Empty`](crate::ArgumentError::Empty) for bad weights;
    /// - [`HierarchyError::UnknownId`] for a judgement naming a node that is not a child;
    /// - any error of the [`PairwiseMatrix`] constructors and of
    ///   [`PairwiseMatrix::priorities_with`].
    pub fn from_spec(spec: TreeSpec) -> Result<Self> {
        let mut nodes: Vec<Node> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut leaves = Vec::new();
        // (spec, parent index, position among siblings); preorder by an explicit stack so depth
        // is not limited by the call stack
        let mut stack: Vec<(&NodeSpec, Option<usize>, usize)> = vec![(&spec.root, None, 0)];
        while let Some((s, parent, position)) = stack.pop() {
            check_id(&s.id)?;
            let (path, depth, local_weight, global_weight) = match parent {
                None => (s.id.clone(), 0, 1.0, 1.0),
                Some(p) => {
                    let pn = &nodes[p];
                    let path = if pn.parent.is_none() {
                        s.id.clone()
                    } else {
                        format!("{}.{}", pn.path, s.id)
                    };
                    let local = pn
                        .child_weights
                        .as_ref()
                        .map_or(1.0, |w| w.as_slice()[position]);
                    (path, pn.depth + 1, local, pn.global_weight * local)
                }
            };
            if depth > MAX_TREE_DEPTH {
                return Err(HierarchyError::TooDeep {
                    path,
                    max: MAX_TREE_DEPTH,
                }
                .into());
            }
            if let Some(&first) = by_id.get(&s.id) {
                return Err(HierarchyError::DuplicateId {
                    id: s.id.clone(),
                    first: nodes[first].path.clone(),
                    second: path,
                }
                .into());
            }
            let weights = child_weights(s, &spec.priority).map_err(|e| at(&path, e))?;
            let index = nodes.len();
            by_id.insert(s.id.clone(), index);
            if let Some(p) = parent {
                nodes[p].children.push(index);
            }
            if s.children.is_empty() {
                leaves.push(index);
            }
            let (child_weights, ahp) = match weights {
                Some((w, ahp)) => (Some(w), ahp),
                None => (None, None),
            };
            let (matrix, priorities) = match ahp {
                Some((m, p)) => (Some(m), Some(p)),
                None => (None, None),
            };
            nodes.push(Node {
                id: s.id.clone(),
                label: s.label.clone(),
                label_zh: s.label_zh.clone(),
                path,
                parent,
                children: Vec::with_capacity(s.children.len()),
                depth,
                local_weight,
                global_weight,
                child_weights,
                priorities,
                matrix,
            });
            for (pos, child) in s.children.iter().enumerate().rev() {
                stack.push((child, Some(index), pos));
            }
        }
        let tree = Self {
            spec,
            nodes,
            by_id,
            leaves,
        };
        tree.check_kpi()?;
        Ok(tree)
    }

    /// Every KPI scale of the model names an indicator (leaf), and no `(indicator, class)`
    /// pair twice.
    fn check_kpi(&self) -> Result<()> {
        let Some(kpi) = &self.spec.kpi else {
            return Ok(());
        };
        for (i, scale) in kpi.scales.iter().enumerate() {
            if !self.get(&scale.indicator).is_some_and(|n| n.is_leaf()) {
                return Err(HierarchyError::UnknownKpiIndicator {
                    indicator: scale.indicator.clone(),
                    class: scale.class.clone(),
                }
                .into());
            }
            if kpi.scales[..i]
                .iter()
                .any(|s| s.indicator == scale.indicator && s.class == scale.class)
            {
                return Err(HierarchyError::DuplicateKpiScale {
                    indicator: scale.indicator.clone(),
                    class: scale.class.clone(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// The KPI thresholds of the model (its `kpi` section), if any.
    pub fn kpi(&self) -> Option<&KpiSpec> {
        self.spec.kpi.as_ref()
    }

    /// The model this tree was built from, exactly as given.
    pub fn spec(&self) -> &TreeSpec {
        &self.spec
    }

    /// The priority options used for pairwise judgements.
    pub fn options(&self) -> &PriorityOptions {
        &self.spec.priority
    }

    /// The root (goal) node.
    pub fn root(&self) -> NodeRef<'_> {
        NodeRef {
            tree: self,
            index: 0,
        }
    }

    /// The node with this id, or `None`.
    pub fn get(&self, id: &str) -> Option<NodeRef<'_>> {
        self.by_id
            .get(id)
            .map(|&index| NodeRef { tree: self, index })
    }

    /// The node with this id.
    ///
    /// # Errors
    ///
    /// [`HierarchyError::UnknownId`] when no node has this id.
    pub fn node(&self, id: &str) -> Result<NodeRef<'_>> {
        self.get(id)
            .ok_or_else(|| Error::Hierarchy(HierarchyError::UnknownId { id: id.to_owned() }))
    }

    /// Local weight of a node (its weight among its siblings; 1 for the root).
    ///
    /// # Errors
    ///
    /// [`HierarchyError::UnknownId`] when no node has this id.
    pub fn local_weight(&self, id: &str) -> Result<f64> {
        self.node(id).map(|n| n.local_weight())
    }

    /// Global weight of a node (product of local weights from the root).
    ///
    /// # Errors
    ///
    /// [`HierarchyError::UnknownId`] when no node has this id.
    pub fn global_weight(&self, id: &str) -> Result<f64> {
        self.node(id).map(|n| n.global_weight())
    }

    /// All nodes in preorder (a parent before its children, children in their given order).
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeRef<'_>> + '_ {
        (0..self.nodes.len()).map(move |index| NodeRef { tree: self, index })
    }

    /// The leaves (indicators) in preorder.
    pub fn leaves(&self) -> impl ExactSizeIterator<Item = NodeRef<'_>> + '_ {
        self.leaves
            .iter()
            .map(move |&index| NodeRef { tree: self, index })
    }

    /// `(id, global weight)` of every leaf, in preorder.
    pub fn leaf_weights(&self) -> Vec<(&str, f64)> {
        self.leaves().map(|l| (l.id(), l.global_weight())).collect()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always `false`: a tree has at least its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Number of leaves.
    pub fn leaf_count(&self) -> usize {
        self.leaves.len()
    }

    /// `true` when every pairwise-judged node has `CR < threshold`.
    ///
    /// The constructors build a tree whatever the consistency of its judgements (the lenient
    /// build); see [`require_consistency`](Self::require_consistency) for the strict one.
    pub fn is_consistent(&self, threshold: f64) -> bool {
        self.nodes()
            .filter_map(|n| n.consistency())
            .all(|c| c.is_acceptable(threshold))
    }

    /// The strict build: the tree when every pairwise-judged node has `CR < threshold`, an
    /// error naming every node that has not otherwise.
    ///
    /// The constructors ([`new`](Self::new), [`from_spec`](Self::from_spec),
    /// [`from_json`](Self::from_json), deserialising) build a tree whatever the consistency of
    /// its judgements, which can then be read from each node's
    /// [`consistency`](NodeRef::consistency) or checked with
    /// [`is_consistent`](Self::is_consistent). Chain this method to refuse inconsistent
    /// judgements instead, usually with
    /// [`DEFAULT_CR_THRESHOLD`](crate::DEFAULT_CR_THRESHOLD) (0.10). Nodes weighted directly
    /// have no CR and always pass.
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) when
    ///   `threshold` is NaN, infinite or `<= 0`;
    /// - [`HierarchyError::Inconsistent`] listing the path and CR of every node whose
    ///   judgements have `CR >= threshold`, in preorder.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::{Error, HierarchyError, IndicatorTree, Judgements, NodeSpec};
    /// use service_quality::DEFAULT_CR_THRESHOLD;
    ///
    /// // a prefers b (3), b prefers c (3), yet c prefers a (5): CR about 1.76
    /// let spec = NodeSpec::group(
    ///     "goal",
    ///     "Goal",
    ///     vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B"), NodeSpec::leaf("c", "C")],
    /// )
    /// .with_judgements(Judgements::Upper(vec![3.0, 0.2, 3.0]));
    /// let lenient = IndicatorTree::new(spec.clone())?;
    /// assert!(!lenient.is_consistent(DEFAULT_CR_THRESHOLD));
    /// let err = IndicatorTree::new(spec)?.require_consistency(DEFAULT_CR_THRESHOLD).unwrap_err();
    /// match err {
    ///     Error::Hierarchy(HierarchyError::Inconsistent { nodes, .. }) => {
    ///         assert_eq!(nodes[0].0, "goal");
    ///         assert!(nodes[0].1 > 1.0);
    ///     }
    ///     other => panic!("{other}"),
    /// }
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    #[doc(alias = "strict")]
    pub fn require_consistency(self, threshold: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold.is_finite()) {
            return Err(ArgumentError::InvalidParameter {
                name: Parameter::Threshold,
                value: threshold,
            }
            .into());
        }
        let nodes: Vec<(String, f64)> = self
            .nodes()
            .filter_map(|n| n.consistency().map(|c| (n, c)))
            .filter(|(_, c)| !c.is_acceptable(threshold))
            .map(|(n, c)| (n.path().to_owned(), c.cr()))
            .collect();
        if nodes.is_empty() {
            Ok(self)
        } else {
            Err(HierarchyError::Inconsistent { nodes, threshold }.into())
        }
    }
}

/// A borrowed view of one node of an [`IndicatorTree`].
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    tree: &'a IndicatorTree,
    index: usize,
}

impl PartialEq for NodeRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}

impl<'a> NodeRef<'a> {
    fn node(&self) -> &'a Node {
        &self.tree.nodes[self.index]
    }

    /// The id.
    pub fn id(&self) -> &'a str {
        &self.node().id
    }

    /// The English label.
    pub fn label(&self) -> &'a str {
        &self.node().label
    }

    /// The Chinese label, if any.
    pub fn label_zh(&self) -> Option<&'a str> {
        self.node().label_zh.as_deref()
    }

    /// Dotted path from the first level below the root (`attitude.politeness`).
    pub fn path(&self) -> &'a str {
        &self.node().path
    }

    /// Depth (0 for the root).
    pub fn depth(&self) -> usize {
        self.node().depth
    }

    /// Position of the node in the tree's preorder ([`IndicatorTree::nodes`]).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Weight among its siblings (1 for the root).
    pub fn local_weight(&self) -> f64 {
        self.node().local_weight
    }

    /// Product of the local weights on the path from the root.
    pub fn global_weight(&self) -> f64 {
        self.node().global_weight
    }

    /// `true` for an indicator (no children).
    pub fn is_leaf(&self) -> bool {
        self.node().children.is_empty()
    }

    /// The parent (`None` for the root).
    pub fn parent(&self) -> Option<NodeRef<'a>> {
        self.node().parent.map(|index| NodeRef {
            tree: self.tree,
            index,
        })
    }

    /// The children, in order.
    pub fn children(&self) -> impl ExactSizeIterator<Item = NodeRef<'a>> + 'a {
        let tree = self.tree;
        self.node()
            .children
            .iter()
            .map(move |&index| NodeRef { tree, index })
    }

    /// Local weights of the children (`None` for a leaf).
    pub fn child_weights(&self) -> Option<&'a Weights> {
        self.node().child_weights.as_ref()
    }

    /// The pairwise matrix over the children, when they were judged pairwise.
    pub fn judgements(&self) -> Option<&'a PairwiseMatrix> {
        self.node().matrix.as_ref()
    }

    /// The AHP result for the children, when they were judged pairwise.
    pub fn priorities(&self) -> Option<&'a Priorities> {
        self.node().priorities.as_ref()
    }

    /// The consistency report of the children's judgements, when judged pairwise.
    pub fn consistency(&self) -> Option<&'a ConsistencyReport> {
        self.priorities().map(Priorities::consistency)
    }
}

impl From<&IndicatorTree> for Arc<IndicatorTree> {
    /// A shared copy of the tree (so [`Evaluator::new`](crate::Evaluator::new) accepts
    /// `&tree`; pass the tree or an `Arc` to avoid the copy).
    fn from(tree: &IndicatorTree) -> Self {
        Arc::new(tree.clone())
    }
}

impl fmt::Display for IndicatorTree {
    /// A table of every node: path, labels, local and global weight, and CR where judged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<40} {:>8} {:>8} {:>8}  label",
            "node", "local", "global", "CR"
        )?;
        for n in self.nodes() {
            let name = format!("{}{}", "  ".repeat(n.depth()), n.id());
            let cr = n
                .consistency()
                .map_or_else(String::new, |c| format!("{:.4}", c.cr()));
            let label = match n.label_zh() {
                Some(zh) => format!("{} ({zh})", n.label()),
                None => n.label().to_owned(),
            };
            writeln!(
                f,
                "{name:<40} {:>8.4} {:>8.4} {cr:>8}  {label}",
                n.local_weight(),
                n.global_weight()
            )?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{IndicatorTree, TreeSpec};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for IndicatorTree {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.spec.serialize(s)
        }
    }

    /// Deserialises a model file and runs the full validation of
    /// [`IndicatorTree::from_spec`]; an invalid model is rejected with the node path.
    ///
    /// The depth is limited by the deserialiser too: `serde_json::from_str` stops at 128
    /// nested arrays and objects, a tree about 62 levels deep. [`IndicatorTree::from_json`]
    /// reads model files of every depth up to [`MAX_TREE_DEPTH`](super::MAX_TREE_DEPTH).
    impl<'de> Deserialize<'de> for IndicatorTree {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let spec = TreeSpec::deserialize(d)?;
            IndicatorTree::from_spec(spec).map_err(serde::de::Error::custom)
        }
    }
}
