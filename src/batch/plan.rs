//! The tree compiled for scoring: everything the per-merchant loop needs, validated once.

use std::collections::HashMap;

use crate::batch::input::MISSING_ANSWER;
use crate::error::{ArgumentError, Error, EvaluationError, Parameter, Result};
use crate::evaluation::{Evaluator, FuzzyOperator, Unanswered};

/// A group node of the compiled tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Preorder index of the node.
    pub node: usize,
    pub op: FuzzyOperator,
    /// Preorder indices of the children.
    pub children: Vec<usize>,
    /// Local weights of the children, clamped to [0, 1] as the single path uses them.
    pub weights: Vec<f64>,
}

/// A child in the flattened group list: a leaf row of the input block or an earlier group's
/// slot, with its (clamped) local weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FlatChild {
    /// `true`: `index` is a leaf number; `false`: a group slot (index into `Plan::groups`).
    pub leaf: bool,
    pub index: usize,
    pub weight: f64,
}

/// A group of the flattened plan: its operator and its children
/// `Plan::flat_children[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FlatGroup {
    pub op: FuzzyOperator,
    pub start: usize,
    pub end: usize,
}

/// One node of the reverse-preorder walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Leaf number `l` (in preorder of the leaves).
    Leaf(usize),
    /// Index into `Plan::groups`.
    Group(usize),
}

/// The tree compiled for scoring: everything the per-merchant loop needs, validated once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub n_nodes: usize,
    pub m: usize,
    /// Preorder node index of each leaf (leaves in preorder).
    pub leaf_node: Vec<usize>,
    pub leaf_ids: Vec<String>,
    pub node_paths: Vec<String>,
    /// Node ids in preorder.
    pub node_ids: Vec<String>,
    /// Group nodes, children before parents (reverse preorder).
    pub groups: Vec<Group>,
    /// Every node in reverse preorder, the order in which the single path evaluates (and so
    /// the order in which it meets errors).
    pub steps: Vec<Step>,
    /// Global leaf weight with each level's weights divided by their sum (what the
    /// normalisation at every node amounts to under `M(·,+)`).
    pub global: Vec<f64>,
    /// `global` repeated per grade: `coef[l * m + j] = global[l]`, laid out like one
    /// merchant's input block.
    pub coef: Vec<f64>,
    /// `groups` flattened: one entry per group, same order, children in one array.
    pub flat_groups: Vec<FlatGroup>,
    pub flat_children: Vec<FlatChild>,
    /// `true` when every group composes with `M(·,+)`.
    pub linear: bool,
    pub exclude: bool,
    pub values: Vec<f64>,
    pub min_value: f64,
    pub max_value: f64,
}

impl Plan {
    /// Compiles the evaluator's configuration.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) when the tree has more than `u32::MAX` nodes or the grade
    /// set more than 254 grades (survey answers code grades in a byte).
    pub fn new(evaluator: &Evaluator) -> Result<Self> {
        let tree = evaluator.tree();
        let grades = evaluator.grades();
        let m = grades.len();
        if m > usize::from(MISSING_ANSWER) - 1 {
            return Err(Error::Argument(ArgumentError::InvalidParameter {
                name: Parameter::Grades,
                value: m as f64,
            }));
        }
        let n_nodes = tree.len();
        if u32::try_from(n_nodes).is_err() {
            return Err(Error::Argument(ArgumentError::InvalidParameter {
                name: Parameter::Nodes,
                value: n_nodes as f64,
            }));
        }
        let mut groups = Vec::new();
        let mut scale = vec![1.0; n_nodes];
        let nodes: Vec<_> = tree.nodes().collect();
        for node in &nodes {
            if node.is_leaf() {
                continue;
            }
            let weights: Vec<f64> = node
                .child_weights()
                .map(|w| w.as_slice().iter().map(|x| x.clamp(0.0, 1.0)).collect())
                .unwrap_or_default();
            let sum: f64 = weights.iter().sum();
            for (child, &w) in node.children().zip(&weights) {
                scale[child.index()] = if sum > 0.0 {
                    scale[node.index()] * w / sum
                } else {
                    0.0
                };
            }
            groups.push(Group {
                node: node.index(),
                op: evaluator.operator_at(node.depth()),
                children: node.children().map(|c| c.index()).collect(),
                weights,
            });
        }
        // reverse preorder: leaves and groups as the single path meets them
        let mut steps = Vec::with_capacity(n_nodes);
        let (mut next_leaf, mut next_group) = (tree.leaf_count(), groups.len());
        for node in nodes.iter().rev() {
            if node.is_leaf() {
                next_leaf -= 1;
                steps.push(Step::Leaf(next_leaf));
            } else {
                next_group -= 1;
                steps.push(Step::Group(groups.len() - 1 - next_group));
            }
        }
        groups.reverse();
        // every node as (is a leaf, leaf number or group slot)
        let place: HashMap<usize, (bool, usize)> = (tree.leaves().enumerate())
            .map(|(l, leaf)| (leaf.index(), (true, l)))
            .chain(groups.iter().enumerate().map(|(i, g)| (g.node, (false, i))))
            .collect();
        let mut flat_groups = Vec::with_capacity(groups.len());
        let mut flat_children = Vec::new();
        for g in &groups {
            let start = flat_children.len();
            for (c, &weight) in g.children.iter().zip(&g.weights) {
                let &(leaf, index) =
                    place
                        .get(c)
                        .ok_or(Error::Argument(ArgumentError::InvalidParameter {
                            name: Parameter::Tree,
                            value: *c as f64,
                        }))?;
                flat_children.push(FlatChild {
                    leaf,
                    index,
                    weight,
                });
            }
            flat_groups.push(FlatGroup {
                op: g.op,
                start,
                end: flat_children.len(),
            });
        }
        let linear = groups
            .iter()
            .all(|g| g.op == FuzzyOperator::WeightedAverage);
        let leaves: Vec<_> = tree.leaves().collect();
        Ok(Plan {
            n_nodes,
            m,
            leaf_node: leaves.iter().map(|l| l.index()).collect(),
            leaf_ids: leaves.iter().map(|l| l.id().to_owned()).collect(),
            node_paths: nodes.iter().map(|n| n.path().to_owned()).collect(),
            node_ids: nodes.iter().map(|n| n.id().to_owned()).collect(),
            global: leaves.iter().map(|l| scale[l.index()]).collect(),
            coef: leaves
                .iter()
                .flat_map(|l| std::iter::repeat_n(scale[l.index()], m))
                .collect(),
            groups,
            flat_groups,
            flat_children,
            steps,
            linear,
            exclude: evaluator.unanswered_policy() == Unanswered::Exclude,
            values: grades.values(),
            min_value: grades.min_value(),
            max_value: grades.max_value(),
        })
    }

    /// Replaces every group's child weights by `local[child]` (the local weight of every
    /// node in preorder, already checked), and recomputes what depends on them: the clamped
    /// group weights, the flattened children, the global leaf weights and `coef`. The tree's
    /// shape, and so the kernel choice, is unchanged.
    pub fn reweight(&mut self, local: &[f64]) {
        let mut scale = vec![1.0; self.n_nodes];
        // groups are stored children first: walk them parents first
        for g in self.groups.iter_mut().rev() {
            for (w, &c) in g.weights.iter_mut().zip(&g.children) {
                *w = local[c].clamp(0.0, 1.0);
            }
            let sum: f64 = g.weights.iter().sum();
            for (&c, &w) in g.children.iter().zip(&g.weights) {
                scale[c] = if sum > 0.0 {
                    scale[g.node] * w / sum
                } else {
                    0.0
                };
            }
        }
        for (g, fg) in self.groups.iter().zip(&self.flat_groups) {
            for (fc, &w) in self.flat_children[fg.start..fg.end]
                .iter_mut()
                .zip(&g.weights)
            {
                fc.weight = w;
            }
        }
        for (l, &node) in self.leaf_node.iter().enumerate() {
            self.global[l] = scale[node];
            self.coef[l * self.m..(l + 1) * self.m].fill(scale[node]);
        }
    }

    /// Number of leaves.
    pub fn k(&self) -> usize {
        self.leaf_node.len()
    }

    /// The flattened plan's references stay inside their arrays: every group's children range
    /// inside `flat_children`, leaves below `k`, group children earlier groups, at least one
    /// group. The lane walks rely on it.
    pub fn flat_ok(&self) -> bool {
        !self.flat_groups.is_empty()
            && self.flat_groups.iter().enumerate().all(|(gi, g)| {
                self.flat_children.get(g.start..g.end).is_some_and(|c| {
                    c.iter()
                        .all(|c| c.index < if c.leaf { self.k() } else { gi })
                })
            })
    }

    /// `source` at node `node` (its path).
    pub fn at(&self, node: usize, source: Error) -> Error {
        Error::AtNode {
            path: self.node_paths[node].clone(),
            source: Box::new(source),
        }
    }

    /// The error for leaf `l` without answers.
    pub fn no_answers(&self, l: usize, missing: usize) -> Error {
        self.at(
            self.leaf_node[l],
            Error::Evaluation(EvaluationError::NoAnswers {
                id: self.leaf_ids[l].clone(),
                missing,
            }),
        )
    }

    /// The error for a leaf row summing to 0.
    pub fn zero_row(&self, l: usize) -> Error {
        self.at(
            self.leaf_node[l],
            Error::Evaluation(EvaluationError::ZeroMembership),
        )
    }
}
