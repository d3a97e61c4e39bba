//! Multi-level fuzzy comprehensive evaluation through an indicator tree.

use std::sync::Arc;

use crate::error::{Error, EvaluationError, Result};
use crate::evaluation::matrix::MembershipMatrix;
use crate::evaluation::FuzzyOperator;
use crate::evaluation::{FuzzyResult, GradingRule};
use crate::hierarchy::IndicatorTree;
use crate::input::IndicatorMemberships;
use crate::model::grades::GradeSet;

/// What to do with an indicator that has an entry in the data but no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Unanswered {
    /// Fail with [`EvaluationError::NoAnswers`] naming the indicator (the default).
    #[default]
    Reject,
    /// Leave the indicator out and renormalise its siblings' weights to sum to 1; the
    /// exclusion is listed in [`Evaluation::excluded`]. A group whose children are all
    /// excluded is excluded in turn.
    Exclude,
}

/// The evaluation of one node of the tree.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NodeEvaluation {
    id: String,
    path: String,
    depth: usize,
    result: FuzzyResult,
    grade: usize,
    operator: Option<FuzzyOperator>,
    weights_used: Vec<f64>,
    effective_weight: f64,
    observed: usize,
    missing: usize,
}

impl NodeEvaluation {
    /// The node id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The node's dotted path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Depth in the tree (0 for the goal).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// `true` for an indicator (its `B` is its membership row).
    pub fn is_leaf(&self) -> bool {
        self.operator.is_none()
    }

    /// `B` raw and normalised, maximum-membership grade (with ties) and score.
    pub fn result(&self) -> &FuzzyResult {
        &self.result
    }

    /// The node's grade under the evaluator's [`GradingRule`] ([`Evaluation::grading`]); with
    /// the default rule the same as `result().grade()`.
    pub fn grade(&self) -> usize {
        self.grade
    }

    /// The operator that composed this node's children (`None` for a leaf).
    pub fn operator(&self) -> Option<FuzzyOperator> {
        self.operator
    }

    /// The weights the children were composed with, for the children that were not
    /// excluded, in order (empty for a leaf). They differ from the tree's local weights only
    /// when a sibling was excluded.
    pub fn weights_used(&self) -> &[f64] {
        &self.weights_used
    }

    /// The product of the weights used on the path from the goal: the node's global weight
    /// after any exclusion.
    pub fn effective_weight(&self) -> f64 {
        self.effective_weight
    }

    /// Answers or cases observed (summed over the indicators below a group).
    pub fn observed(&self) -> usize {
        self.observed
    }

    /// Answers or cases missing (summed over the indicators below a group).
    pub fn missing(&self) -> usize {
        self.missing
    }
}

/// The evaluation of every node that was not excluded, in the tree's preorder.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Evaluation {
    nodes: Vec<NodeEvaluation>,
    excluded: Vec<String>,
    grading: GradingRule,
}

impl Evaluation {
    /// The goal's evaluation.
    pub fn root(&self) -> &NodeEvaluation {
        // `evaluate` only builds an `Evaluation` when the root was evaluated
        &self.nodes[0]
    }

    /// The evaluation of the node with this id, if it was evaluated.
    pub fn node(&self, id: &str) -> Option<&NodeEvaluation> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Every evaluated node, preorder.
    pub fn nodes(&self) -> &[NodeEvaluation] {
        &self.nodes
    }

    /// The evaluated indicators (leaves), preorder.
    pub fn leaves(&self) -> impl Iterator<Item = &NodeEvaluation> + '_ {
        self.nodes.iter().filter(|n| n.is_leaf())
    }

    /// Ids of the nodes excluded for lack of answers (with [`Unanswered::Exclude`]), preorder.
    pub fn excluded(&self) -> &[String] {
        &self.excluded
    }

    /// The rule that gave every node's [`grade`](NodeEvaluation::grade).
    pub fn grading(&self) -> GradingRule {
        self.grading
    }
}

/// Evaluates objects (merchants) level by level through an [`IndicatorTree`].
///
/// Each leaf's `B` is its membership row from the data. Each group node stacks the
/// **normalised** `B` vectors of its children as the rows of its own `R` and composes them
/// with its local weights, `B_node = A_node o R_node`, up to the goal. The operator may differ
/// per level ([`level_operator`](Self::level_operator)); the default is
/// [`FuzzyOperator::WeightedAverage`] everywhere. Every node gets a [`FuzzyResult`]: raw and
/// normalised `B`, maximum-membership grade with ties, and score.
///
/// With `M(·,+)` at every level and leaf rows summing to 1, the goal's `B` equals a single
/// `M(·,+)` composition of all leaf rows with their global weights.
///
/// The evaluator owns its tree behind an [`Arc`]: it has no lifetime parameter, is
/// `Send + Sync + 'static`, and can be kept by a long-running service or shared between
/// threads; clones share the tree.
///
/// # Examples
///
/// ```
/// use service_quality::{Evaluator, FuzzyOperator, GradeSet, IndicatorMemberships, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Service", vec![
///         NodeSpec::group("speed", "Speed", vec![
///             NodeSpec::leaf("reply", "First reply"),
///             NodeSpec::leaf("solve", "Resolution"),
///         ]).with_weights(vec![0.5, 0.5]),
///         NodeSpec::leaf("attitude", "Attitude"),
///     ]).with_weights(vec![0.6, 0.4]),
/// )?;
/// let grades = service_quality::GradeSet::new(vec![
///     service_quality::Grade::new("good", 3.0),
///     service_quality::Grade::new("fair", 2.0),
///     service_quality::Grade::new("poor", 1.0),
/// ])?;
/// let mut data = IndicatorMemberships::new(&grades);
/// data.insert("reply", vec![1.0, 0.0, 0.0], 10, 0)?;
/// data.insert("solve", vec![0.0, 1.0, 0.0], 10, 0)?;
/// data.insert("attitude", vec![0.0, 0.0, 1.0], 9, 1)?;
/// let eval = Evaluator::new(tree, grades).evaluate(&data)?;
/// let speed = eval.node("speed").expect("evaluated");
/// assert_eq!(speed.result().tied(), &[0, 1]); // 0.5 / 0.5: a tie, reported
/// let b = eval.root().result().normalized();
/// assert!((b[0] - 0.3).abs() < 1e-12 && (b[1] - 0.3).abs() < 1e-12 && (b[2] - 0.4).abs() < 1e-12);
/// assert!((eval.root().result().score() - 1.9).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[doc(alias = "FCE")]
#[doc(alias = "模糊综合评价")]
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluator {
    tree: Arc<IndicatorTree>,
    grades: GradeSet,
    operator: FuzzyOperator,
    level_operators: Vec<(usize, FuzzyOperator)>,
    unanswered: Unanswered,
    grading: GradingRule,
}

impl Evaluator {
    /// An evaluator with `M(·,+)` at every level and [`Unanswered::Reject`].
    ///
    /// `tree` is an [`IndicatorTree`] (moved in), an `Arc<IndicatorTree>` (shared with the
    /// caller) or a `&IndicatorTree` (cloned).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use service_quality::{template, Evaluator, GradeSet, IndicatorTree};
    ///
    /// let tree = Arc::new(IndicatorTree::new(template::after_sales())?);
    /// let five = Evaluator::new(Arc::clone(&tree), GradeSet::satisfaction_5());
    /// let points = Evaluator::new(tree, GradeSet::satisfaction_5_points());
    /// assert_eq!(five.tree().len(), points.tree().len());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn new(tree: impl Into<Arc<IndicatorTree>>, grades: GradeSet) -> Self {
        Self {
            tree: tree.into(),
            grades,
            operator: FuzzyOperator::WeightedAverage,
            level_operators: Vec::new(),
            unanswered: Unanswered::Reject,
            grading: GradingRule::MaxMembership,
        }
    }

    /// The operator for every level without its own (default [`FuzzyOperator::WeightedAverage`]).
    pub fn operator(mut self, operator: FuzzyOperator) -> Self {
        self.operator = operator;
        self
    }

    /// The operator with which the group nodes at `depth` (0 = the goal) compose their
    /// children; overrides [`operator`](Self::operator) for that level.
    pub fn level_operator(mut self, depth: usize, operator: FuzzyOperator) -> Self {
        self.level_operators.retain(|(d, _)| *d != depth);
        self.level_operators.push((depth, operator));
        self
    }

    /// What to do with indicators without any answer (default [`Unanswered::Reject`]).
    pub fn unanswered(mut self, policy: Unanswered) -> Self {
        self.unanswered = policy;
        self
    }

    /// How each node's `B` becomes its grade (default [`GradingRule::MaxMembership`]); the
    /// rule is recorded in every [`Evaluation`] and report. Scores do not depend on it.
    pub fn grading(mut self, rule: GradingRule) -> Self {
        self.grading = rule;
        self
    }

    /// The grading rule.
    pub fn grading_rule(&self) -> GradingRule {
        self.grading
    }

    /// The operator used by group nodes at `depth`.
    pub fn operator_at(&self, depth: usize) -> FuzzyOperator {
        self.level_operators
            .iter()
            .find(|(d, _)| *d == depth)
            .map_or(self.operator, |(_, op)| *op)
    }

    /// The tree.
    pub fn tree(&self) -> &IndicatorTree {
        &self.tree
    }

    /// The grade set.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// The policy for indicators without any answer.
    pub fn unanswered_policy(&self) -> Unanswered {
        self.unanswered
    }

    /// Evaluates one object from its leaf memberships.
    ///
    /// # Errors
    ///
    /// - [`EvaluationError::GradeCountMismatch`] when the data's rows are not over this grade set;
    /// - [`EvaluationError::UnknownIndicator`] for a data id that is not a leaf of the tree;
    /// - [`EvaluationError::NothingToEvaluate`] when every indicator was excluded;
    ///
    /// and, wrapped in [`Error::AtNode`] with the node's path:
    ///
    /// - [`EvaluationError::MissingIndicator`] for a leaf with no entry in the data;
    /// - [`EvaluationError::NoAnswers`] for a leaf with no answer (unless excluded by
    ///   [`Unanswered::Exclude`]);
    /// - [`EvaluationError::ZeroMembership`] when a node's `B` sums to 0 (an all-zero membership
    ///   row, or children that all carry weight 0).
    pub fn evaluate(&self, data: &IndicatorMemberships) -> Result<Evaluation> {
        if data.n_grades() != self.grades.len() {
            return Err(EvaluationError::GradeCountMismatch {
                grades: self.grades.len(),
                found: data.n_grades(),
            }
            .into());
        }
        for row in data.rows() {
            if !self.tree.get(row.id()).is_some_and(|n| n.is_leaf()) {
                return Err(EvaluationError::UnknownIndicator {
                    id: row.id().to_owned(),
                }
                .into());
            }
        }
        let at = |path: &str, source: Error| Error::AtNode {
            path: path.to_owned(),
            source: Box::new(source),
        };
        let n = self.tree.len();
        // per node, in preorder index: (result, operator, weights used, observed, missing)
        type Slot = (FuzzyResult, Option<FuzzyOperator>, Vec<f64>, usize, usize);
        let mut slots: Vec<Option<Slot>> = vec![None; n];
        let nodes: Vec<_> = self.tree.nodes().collect();
        // reverse preorder visits every child before its parent
        for node in nodes.iter().rev() {
            let slot = if node.is_leaf() {
                let entry = data.get(node.id()).ok_or_else(|| {
                    at(
                        node.path(),
                        Error::Evaluation(EvaluationError::MissingIndicator {
                            id: node.id().to_owned(),
                        }),
                    )
                })?;
                match entry.row() {
                    None if self.unanswered == Unanswered::Exclude => None,
                    None => {
                        return Err(at(
                            node.path(),
                            Error::Evaluation(EvaluationError::NoAnswers {
                                id: node.id().to_owned(),
                                missing: entry.missing(),
                            }),
                        ))
                    }
                    Some(row) => {
                        let result = FuzzyResult::from_raw(row.to_vec(), &self.grades)
                            .map_err(|e| at(node.path(), e))?;
                        Some((result, None, Vec::new(), entry.observed(), entry.missing()))
                    }
                }
            } else {
                let local = node.child_weights().map(|w| w.as_slice()).unwrap_or(&[]);
                let mut weights = Vec::with_capacity(local.len());
                let mut rows = Vec::with_capacity(local.len() * self.grades.len());
                let (mut observed, mut missing) = (0, 0);
                for (child, &w) in node.children().zip(local) {
                    if let Some((res, _, _, o, m)) = &slots[child.index()] {
                        weights.push(w.clamp(0.0, 1.0));
                        rows.extend_from_slice(res.normalized());
                        observed += o;
                        missing += m;
                    }
                }
                if weights.is_empty() {
                    None
                } else {
                    if weights.len() < local.len() {
                        let total: f64 = weights.iter().sum();
                        if total > 0.0 {
                            for w in &mut weights {
                                *w = (*w / total).clamp(0.0, 1.0);
                            }
                        }
                    }
                    let op = self.operator_at(node.depth());
                    let r = MembershipMatrix::from_checked(self.grades.len(), rows);
                    let raw = op.compose_checked(&weights, &r);
                    let result =
                        FuzzyResult::from_raw(raw, &self.grades).map_err(|e| at(node.path(), e))?;
                    Some((result, Some(op), weights, observed, missing))
                }
            };
            slots[node.index()] = slot;
        }
        if slots[0].is_none() {
            return Err(EvaluationError::NothingToEvaluate.into());
        }
        let mut effective = vec![0.0; n];
        let mut out = Vec::with_capacity(n);
        let mut excluded = Vec::new();
        for node in &nodes {
            let Some((result, operator, weights_used, observed, missing)) =
                slots[node.index()].take()
            else {
                excluded.push(node.id().to_owned());
                continue;
            };
            if node.parent().is_none() {
                effective[node.index()] = 1.0;
            }
            // hand each included child its share of this node's effective weight (children
            // come after their parent in preorder, so their slots are not taken yet)
            let included = node.children().filter(|c| slots[c.index()].is_some());
            for (child, w) in included.zip(&weights_used) {
                effective[child.index()] = effective[node.index()] * w;
            }
            out.push(NodeEvaluation {
                id: node.id().to_owned(),
                path: node.path().to_owned(),
                depth: node.depth(),
                grade: self.grading.grade(&result, &self.grades),
                result,
                operator,
                weights_used,
                effective_weight: effective[node.index()],
                observed,
                missing,
            });
        }
        Ok(Evaluation {
            nodes: out,
            excluded,
            grading: self.grading,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hierarchy::NodeSpec;
    use crate::model::grades::Grade;

    fn tree() -> IndicatorTree {
        IndicatorTree::new(
            NodeSpec::group(
                "goal",
                "Goal",
                vec![
                    NodeSpec::group(
                        "a",
                        "A",
                        vec![NodeSpec::leaf("a1", "A1"), NodeSpec::leaf("a2", "A2")],
                    )
                    .with_weights(vec![0.6, 0.4]),
                    NodeSpec::leaf("b", "B"),
                ],
            )
            .with_weights(vec![0.7, 0.3]),
        )
        .unwrap()
    }

    fn grades() -> GradeSet {
        GradeSet::new(vec![Grade::new("hi", 1.0), Grade::new("lo", 0.0)]).unwrap()
    }

    fn data() -> IndicatorMemberships {
        let mut d = IndicatorMemberships::new(&grades());
        d.insert("a1", vec![0.8, 0.2], 5, 0).unwrap();
        d.insert("a2", vec![0.1, 0.9], 5, 1).unwrap();
        d.insert("b", vec![0.5, 0.5], 4, 2).unwrap();
        d
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn evaluator_is_owned_and_shareable() {
        fn assert_owned<T: Send + Sync + Clone + 'static>() {}
        assert_owned::<Evaluator>();
        let shared = Arc::new(tree());
        let a = Evaluator::new(Arc::clone(&shared), grades());
        let b = Evaluator::new(&*shared, grades());
        assert!(Arc::ptr_eq(&a.tree, &shared));
        assert_eq!(a.evaluate(&data()).unwrap(), b.evaluate(&data()).unwrap());
    }

    #[test]
    fn operator_may_differ_per_level() {
        let t = tree();
        let ev = Evaluator::new(&t, grades())
            .level_operator(1, FuzzyOperator::ZadehMaxMin)
            .evaluate(&data())
            .unwrap();
        // level 1, M(∧,∨): a = (max(min(.6,.8), min(.4,.1)), max(min(.6,.2), min(.4,.9))) = (.6, .4)
        let a = ev.node("a").unwrap();
        assert_eq!(a.operator(), Some(FuzzyOperator::ZadehMaxMin));
        assert!(close(a.result().raw(), &[0.6, 0.4]));
        // level 0, M(·,+) over the normalised child vectors: .7 (.6, .4) + .3 (.5, .5)
        let root = ev.root();
        assert_eq!(root.operator(), Some(FuzzyOperator::WeightedAverage));
        assert!(close(root.result().raw(), &[0.57, 0.43]));
        assert_eq!((root.observed(), root.missing()), (14, 3));
    }

    #[test]
    fn effective_weights_are_products_of_weights_used() {
        let t = tree();
        let ev = Evaluator::new(&t, grades()).evaluate(&data()).unwrap();
        let w: Vec<f64> = ev.leaves().map(NodeEvaluation::effective_weight).collect();
        assert!(close(&w, &[0.42, 0.28, 0.3]));
        assert!(ev.excluded().is_empty());
        assert!(ev.node("a2").unwrap().is_leaf());
    }

    #[test]
    fn excluding_a_whole_group_reweights_the_level_above() {
        let t = tree();
        let mut d = IndicatorMemberships::new(&grades());
        d.insert_unobserved("a1", 3).unwrap();
        d.insert_unobserved("a2", 3).unwrap();
        d.insert("b", vec![0.5, 0.5], 4, 0).unwrap();
        let ev = Evaluator::new(&t, grades())
            .unanswered(Unanswered::Exclude)
            .evaluate(&d)
            .unwrap();
        assert_eq!(ev.excluded(), &["a", "a1", "a2"]);
        assert!(close(ev.root().weights_used(), &[1.0]));
        assert!(close(ev.root().result().normalized(), &[0.5, 0.5]));
    }
}
