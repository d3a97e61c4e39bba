//! Group evaluation of a whole indicator hierarchy: every expert judges every node.

use crate::ahp::{Completion, CompletionMethod, CompletionOptions, PairwiseMatrix};
use crate::error::{ArgumentError, Error, PanelError, Result, StructureDifference};
use crate::group::{Aggregation, ExpertWeights, Panel, PanelOptions, PanelResult};
use crate::hierarchy::{
    local_input, ChildWeighting, IndicatorTree, Judgements, LocalInput, NodeSpec, TreeSpec,
};

/// One expert's judgement set for the whole hierarchy.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ExpertModel {
    /// Name or code of the expert (for reports only).
    pub name: String,
    /// The expert's tree: the same ids and structure as every other expert's, with the
    /// expert's own `judgements`, `weights` or `raw_weights` at each group node.
    pub root: NodeSpec,
}

/// A panel model: several experts' judgements for the same hierarchy, in one file.
///
/// ```json
/// {
///   "options": {
///     "aggregation": "judgements",
///     "priority": { "method": "eigenvector" },
///     "exclude_above_cr": 0.1
///   },
///   "completion": "optimal",
///   "expert_weights": [2, 1],
///   "experts": [
///     { "name": "E1", "root": { "id": "goal", "label": "Quality",
///         "judgements": { "upper": [3.0] },
///         "children": [ { "id": "speed", "label": "Speed" },
///                       { "id": "attitude", "label": "Attitude" } ] } },
///     { "name": "E2", "root": { "id": "goal", "label": "Quality",
///         "judgements": { "pairs": [["attitude", "speed", 0.5]] },
///         "children": [ { "id": "speed", "label": "Speed" },
///                       { "id": "attitude", "label": "Attitude" } ] } }
///   ]
/// }
/// ```
///
/// Every field but `experts` is optional. `options` are the [`PanelOptions`]: `aggregation`
/// is `"judgements"` (AIJ, the default) or `{"priorities": "geometric"}` /
/// `{"priorities": "arithmetic"}` (AIP); `priority` as in [`TreeSpec`]; `exclude_above_cr`
/// leaves out, node by node, the experts whose CR is not below it. `completion`
/// (`"optimal"`, `"harker"` or `"log_least_squares"`; default `"optimal"`) fills pairs
/// missing from a `pairs` judgement list. `expert_weights` are raw non-negative weights (default
/// equal). Each expert's `root` is a node in the [`TreeSpec`] format; labels are taken from
/// the first expert. Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PanelSpec {
    /// Aggregation, priority and exclusion options.
    #[cfg_attr(feature = "serde", serde(default))]
    pub options: PanelOptions,
    /// How pairs missing from `pairs` judgement lists are filled.
    #[cfg_attr(feature = "serde", serde(default))]
    pub completion: CompletionMethod,
    /// Raw expert weights (default equal).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expert_weights: Option<Vec<f64>>,
    /// The experts, each with a judgement set for the whole tree.
    pub experts: Vec<ExpertModel>,
}

/// The panel at one group node of the hierarchy.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePanel {
    path: String,
    result: PanelResult,
    completions: Vec<(usize, Completion)>,
}

impl NodePanel {
    /// Dotted path of the node (as [`NodeRef::path`](crate::hierarchy::NodeRef::path)).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The panel's result at this node.
    pub fn result(&self) -> &PanelResult {
        &self.result
    }

    /// Experts whose `pairs` judgements here were incomplete, with the completion made.
    pub fn completions(&self) -> &[(usize, Completion)] {
        &self.completions
    }
}

/// A hierarchy weighted by a panel: the group's weights at every node, flowing down the tree.
///
/// At every group node each expert's judgements become a matrix (`weights` and `raw_weights`
/// become the consistent matrix `w_i / w_j`; incomplete `pairs` lists are completed), the
/// node's [`Panel`] is evaluated, and the node of the resulting [`IndicatorTree`] gets the
/// aggregated judgements (AIJ: the aggregated matrix, whose priorities are recomputed with
/// the same options) or the aggregated weights (AIP). Global weights are then the products of
/// group local weights along each path, as for a single expert.
///
/// # Examples
///
/// ```
/// use service_quality::{GroupTree, Judgements, NodeSpec, PanelOptions};
///
/// let expert = |upper: f64| {
///     NodeSpec::group("goal", "Quality", vec![
///         NodeSpec::leaf("speed", "Speed"),
///         NodeSpec::leaf("attitude", "Attitude"),
///     ])
///     .with_judgements(Judgements::Upper(vec![upper]))
/// };
/// let group = GroupTree::from_experts(
///     vec![expert(2.0), expert(8.0)], None, &PanelOptions::new(),
/// )?;
/// // geometric mean of 2 and 8 is 4: weights 0.8 / 0.2
/// assert!((group.tree().global_weight("speed")? - 0.8).abs() < 1e-12);
/// assert_eq!(group.nodes()[0].path(), "goal");
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTree {
    tree: IndicatorTree,
    nodes: Vec<NodePanel>,
    names: Vec<String>,
}

impl GroupTree {
    /// Builds the group tree from a panel model (see [`PanelSpec`]).
    ///
    /// # Errors
    ///
    /// As [`from_experts`](Self::from_experts), plus the errors of [`ExpertWeights::new`].
    pub fn from_spec(spec: PanelSpec) -> Result<Self> {
        let weights = spec
            .expert_weights
            .as_deref()
            .map(ExpertWeights::new)
            .transpose()?;
        let names = spec.experts.iter().map(|e| e.name.clone()).collect();
        let roots = spec.experts.into_iter().map(|e| e.root).collect();
        let mut group = build(roots, weights, &spec.options, spec.completion)?;
        group.names = names;
        Ok(group)
    }

    /// Builds the group tree from several single-expert model files with the same structure.
    /// Their own `priority` fields are not used: `options` applies to all.
    ///
    /// # Errors
    ///
    /// As [`from_experts`](Self::from_experts).
    pub fn from_tree_specs(
        specs: Vec<TreeSpec>,
        weights: Option<ExpertWeights>,
        options: &PanelOptions,
    ) -> Result<Self> {
        let roots = specs.into_iter().map(|s| s.root).collect();
        build(roots, weights, options, CompletionMethod::default())
    }

    /// Builds the group tree from the experts' root nodes (equal weights when `weights` is
    /// `None`); incomplete `pairs` lists are completed by [`CompletionMethod::Optimal`].
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::Empty`] for no experts; [`PanelError::ExpertCountMismatch`] for a wrong
    ///   number of weights;
    /// - [`PanelError::StructureMismatch`] naming the node path and the expert when an expert's
    ///   ids or numbers of children differ from expert 0's;
    /// - [`Error::AtExpert`] wrapping [`Error::AtNode`] for an expert's invalid judgements at
    ///   a node (missing, wrong size, invalid entries, unknown ids, a disconnected
    ///   comparison graph, zero weights that have no consistent matrix);
    /// - [`Error::AtNode`] wrapping a panel error at a node (for example
    ///   [`PanelError::AllExpertsExcluded`]);
    /// - errors of [`IndicatorTree::from_spec`] on the aggregated tree (for example duplicate
    ///   ids).
    pub fn from_experts(
        roots: Vec<NodeSpec>,
        weights: Option<ExpertWeights>,
        options: &PanelOptions,
    ) -> Result<Self> {
        build(roots, weights, options, CompletionMethod::default())
    }

    /// The hierarchy with group weights.
    pub fn tree(&self) -> &IndicatorTree {
        &self.tree
    }

    /// The panel at every group node, in preorder.
    pub fn nodes(&self) -> &[NodePanel] {
        &self.nodes
    }

    /// The panel at the node with this path, if it is a group node.
    pub fn node(&self, path: &str) -> Option<&NodePanel> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// Expert names from a [`PanelSpec`] (empty when built from nodes or tree specs).
    pub fn expert_names(&self) -> &[String] {
        &self.names
    }
}

fn at_expert(expert: usize, path: &str, source: Error) -> Error {
    Error::AtExpert {
        expert,
        source: Box::new(Error::AtNode {
            path: path.to_owned(),
            source: Box::new(source),
        }),
    }
}

/// One expert's judgements at a node as a complete matrix (and the completion, if any).
fn expert_matrix(
    node: &NodeSpec,
    method: CompletionMethod,
    opts: &PanelOptions,
) -> Result<(PairwiseMatrix, Option<Completion>)> {
    Ok(match local_input(node)? {
        LocalInput::Weights(w) => (PairwiseMatrix::consistent(w.as_slice())?, None),
        LocalInput::Matrix(m) => (m, None),
        LocalInput::Incomplete(m) if m.is_complete() => (m.to_complete()?, None),
        LocalInput::Incomplete(m) => {
            let c = m.complete_with(
                &CompletionOptions::new(method).with_priority(opts.priority().clone()),
            )?;
            (c.matrix().clone(), Some(c))
        }
    })
}

fn build(
    roots: Vec<NodeSpec>,
    weights: Option<ExpertWeights>,
    options: &PanelOptions,
    method: CompletionMethod,
) -> Result<GroupTree> {
    let first = roots.first().ok_or(ArgumentError::Empty {
        what: "expert panel",
    })?;
    let weights = match weights {
        Some(w) => w,
        None => ExpertWeights::equal(roots.len())?,
    };
    if weights.len() != roots.len() {
        return Err(PanelError::ExpertCountMismatch {
            expected: roots.len(),
            found: weights.len(),
        }
        .into());
    }
    let mut out = first.clone();
    let mut nodes = Vec::new();
    // (output node, every expert's node, path, is root); explicit stack, no recursion depth limit
    let mut stack: Vec<(&mut NodeSpec, Vec<&NodeSpec>, String, bool)> =
        vec![(&mut out, roots.iter().collect(), first.id.clone(), true)];
    while let Some((node, experts, path, is_root)) = stack.pop() {
        let reference = experts[0];
        for (expert, other) in experts.iter().enumerate().skip(1) {
            let reason = if other.id != reference.id {
                Some(StructureDifference::NodeIds)
            } else if other.children.len() != reference.children.len() {
                Some(StructureDifference::ChildCount)
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(PanelError::StructureMismatch {
                    path,
                    expert,
                    reason,
                }
                .into());
            }
        }
        let NodeSpec {
            children,
            weighting,
            ..
        } = node;
        if !children.is_empty() {
            let mut matrices = Vec::with_capacity(experts.len());
            let mut completions = Vec::new();
            for (expert, spec) in experts.iter().enumerate() {
                let (m, c) = expert_matrix(spec, method, options)
                    .map_err(|e| at_expert(expert, &path, e))?;
                matrices.push(m);
                if let Some(c) = c {
                    completions.push((expert, c));
                }
            }
            let at_node = |e: Error| Error::AtNode {
                path: path.clone(),
                source: Box::new(e),
            };
            let panel = Panel::with_expert_weights(matrices, weights.clone()).map_err(at_node)?;
            let result = panel.evaluate(options).map_err(at_node)?;
            *weighting = Some(match (options.aggregation(), result.aggregated_matrix()) {
                (Aggregation::Judgements, Some(m)) => {
                    ChildWeighting::Judgements(Judgements::Rows(m.to_rows()))
                }
                _ => ChildWeighting::Weights(result.weights().to_vec()),
            });
            nodes.push(NodePanel {
                path: path.clone(),
                result,
                completions,
            });
        }
        for (pos, child) in children.iter_mut().enumerate().rev() {
            let child_path = if is_root {
                child.id.clone()
            } else {
                format!("{path}.{}", child.id)
            };
            let others = experts.iter().map(|e| &e.children[pos]).collect();
            stack.push((child, others, child_path, false));
        }
    }
    let tree = IndicatorTree::from_spec(TreeSpec {
        priority: options.priority().clone(),
        root: out,
        kpi: None,
    })?;
    Ok(GroupTree {
        tree,
        nodes,
        names: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expert(upper: Vec<f64>) -> NodeSpec {
        NodeSpec::group(
            "goal",
            "Goal",
            vec![
                NodeSpec::leaf("a", "A"),
                NodeSpec::group(
                    "b",
                    "B",
                    vec![NodeSpec::leaf("b1", "B1"), NodeSpec::leaf("b2", "B2")],
                )
                .with_raw_weights(vec![1.0, 3.0]),
                NodeSpec::leaf("c", "C"),
            ],
        )
        .with_judgements(Judgements::Upper(upper))
    }

    #[test]
    fn structure_mismatch_names_path_and_expert() {
        let mut other = expert(vec![1.0, 2.0, 3.0]);
        other.find_mut("b").unwrap().children.pop();
        other.find_mut("b").unwrap().weighting = Some(ChildWeighting::RawWeights(vec![1.0]));
        let err = GroupTree::from_experts(
            vec![expert(vec![1.0, 2.0, 3.0]), other],
            None,
            &PanelOptions::new(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            Error::Panel(PanelError::StructureMismatch {
                path: "b".into(),
                expert: 1,
                reason: StructureDifference::ChildCount
            })
        );
        let mut renamed = expert(vec![1.0, 2.0, 3.0]);
        renamed.find_mut("b2").unwrap().id = "bx".into();
        let err = GroupTree::from_experts(
            vec![expert(vec![1.0, 2.0, 3.0]), renamed],
            None,
            &PanelOptions::new(),
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::Panel(PanelError::StructureMismatch { ref path, expert: 1, .. }) if path == "b.b2")
        );
    }

    #[test]
    fn group_weights_flow_down() {
        let g = GroupTree::from_experts(
            vec![
                expert(vec![1.0, 2.0, 3.0]),
                expert(vec![4.0, 2.0, 1.0 / 3.0]),
            ],
            None,
            &PanelOptions::new(),
        )
        .unwrap();
        let tree = g.tree();
        let b = tree.global_weight("b").unwrap();
        assert!((tree.global_weight("b2").unwrap() - 0.75 * b).abs() < 1e-9);
        let total: f64 = tree.leaves().map(|l| l.global_weight()).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(g.nodes().len(), 2);
        assert_eq!(g.node("b").unwrap().path(), "b");
    }

    #[test]
    fn tree_specs_and_aip_give_the_same_structure() {
        use crate::group::AipMean;
        let specs = vec![
            TreeSpec {
                priority: Default::default(),
                root: expert(vec![1.0, 2.0, 3.0]),
                kpi: None,
            },
            TreeSpec {
                priority: Default::default(),
                root: expert(vec![2.0, 2.0, 1.0]),
                kpi: None,
            },
        ];
        let aij = GroupTree::from_tree_specs(specs.clone(), None, &PanelOptions::new()).unwrap();
        let opts =
            PanelOptions::new().with_aggregation(Aggregation::Priorities(AipMean::Arithmetic));
        let aip = GroupTree::from_tree_specs(specs, None, &opts).unwrap();
        // under `b` both experts give raw weights 1:3, so every aggregation gives 0.25 / 0.75
        for g in [&aij, &aip] {
            let b = g.tree().node("b").unwrap();
            let w = b.child_weights().unwrap().as_slice();
            assert!((w[0] - 0.25).abs() < 1e-12 && (w[1] - 0.75).abs() < 1e-12);
        }
        // AIP stores weights, AIJ the aggregated judgements
        assert!(aip.tree().root().judgements().is_none());
        assert!(aij.tree().root().judgements().is_some());
        let root = aip.node("goal").unwrap().result();
        assert_eq!(root.aggregated_matrix(), None);
    }

    #[test]
    fn bad_judgements_name_expert_and_node() {
        let err = GroupTree::from_experts(
            vec![
                expert(vec![1.0, 2.0, 3.0]),
                expert(vec![1.0, f64::NAN, 3.0]),
            ],
            None,
            &PanelOptions::new(),
        )
        .unwrap_err();
        match err {
            Error::AtExpert { expert: 1, source } => {
                assert!(matches!(*source, Error::AtNode { ref path, .. } if path == "goal"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
