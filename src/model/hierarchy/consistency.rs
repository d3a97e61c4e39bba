//! The hierarchy's overall consistency (层次总排序一致性), level by level.

use core::fmt;

use crate::ahp::RandomIndexKind;
use crate::hierarchy::IndicatorTree;
use crate::numeric::DEFAULT_CR_THRESHOLD;

/// The overall (total-ranking) consistency of one level of a hierarchy: the judged nodes at
/// one depth, their consistency indices weighted by their global weights.
///
/// ```text
/// CI_level = sum_j a_j CI_j          over the pairwise-judged nodes j at this depth
/// RI_level = sum_j a_j RI_j          a_j = global weight of node j
/// CR_level = CI_level / RI_level     (0 when RI_level = 0: every judged node has n <= 2,
///                                     so every CI_j is 0 too)
/// CR*      = CR_0 + CR_1 + ... + CR_level     cumulative, from the goal down
/// ```
///
/// `CI_j`, `RI_j` come from node `j`'s [`ConsistencyReport`](crate::ConsistencyReport) (its
/// random index table is the tree's). For the goal's level (depth 0, one node of weight 1)
/// `CR_level` is the goal's own CR. The level whose children are the indicators is the
/// "total ranking" of the indicators. Nodes weighted directly (`weights`, `raw_weights`) have no
/// CI and are left out; a depth without judged nodes has no entry.
///
/// Textbooks use both tests: each level's `CR_level < 0.10` (e.g. 司守奎《数学建模算法与应用》)
/// or the cumulative `CR* < 0.10` (姜启源《数学模型》, §8.1, 组合一致性比率 `CR^(p) =
/// CR^(p-1) + CI^(p) / RI^(p)`). Both are reported; [`is_acceptable`](Self::is_acceptable)
/// tests the level's own ratio.
///
/// # Examples
///
/// ```
/// use service_quality::{IndicatorTree, DEFAULT_CR_THRESHOLD};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/after_sales_model.json"));
/// let tree = IndicatorTree::from_json(text)?;
/// let levels = tree.overall_consistency();
/// assert_eq!(levels.len(), 2); // the goal, and the four dimensions over their indicators
/// assert_eq!(levels[1].nodes().len(), 4);
/// assert!(levels.iter().all(|l| l.is_acceptable(DEFAULT_CR_THRESHOLD)));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[doc(alias = "层次总排序一致性")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LevelConsistency {
    depth: usize,
    nodes: Vec<String>,
    ci: f64,
    ri: f64,
    cr: f64,
    cumulative_cr: f64,
    ri_table: RandomIndexKind,
}

impl LevelConsistency {
    /// Depth of the judged nodes (0 = the goal); their children are one level below.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Ids of the judged nodes of the level, preorder.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// `sum_j a_j CI_j`.
    #[doc(alias = "CI")]
    pub fn ci(&self) -> f64 {
        self.ci
    }

    /// `sum_j a_j RI_j`.
    #[doc(alias = "RI")]
    pub fn ri(&self) -> f64 {
        self.ri
    }

    /// `CI / RI` of the level (0 when `RI` is 0).
    #[doc(alias = "CR")]
    pub fn cr(&self) -> f64 {
        self.cr
    }

    /// The sum of the levels' CR from the goal down to this one (组合一致性比率 `CR*`).
    pub fn cumulative_cr(&self) -> f64 {
        self.cumulative_cr
    }

    /// The random index table of the CRs.
    pub fn ri_table(&self) -> RandomIndexKind {
        self.ri_table
    }

    /// `true` when the level's `CR < threshold` (strict, as for one matrix).
    pub fn is_acceptable(&self, threshold: f64) -> bool {
        self.cr < threshold
    }

    /// `true` when the level's `CR <` [`DEFAULT_CR_THRESHOLD`] (0.10).
    pub fn is_acceptable_default(&self) -> bool {
        self.is_acceptable(DEFAULT_CR_THRESHOLD)
    }
}

impl fmt::Display for LevelConsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "depth {} ({} judged nodes): CI = {:.4}, RI = {:.4} ({}), CR = {:.4}, cumulative CR = {:.4}",
            self.depth,
            self.nodes.len(),
            self.ci,
            self.ri,
            self.ri_table,
            self.cr,
            self.cumulative_cr
        )
    }
}

impl IndicatorTree {
    /// The overall consistency (层次总排序一致性) of every depth that has pairwise-judged
    /// nodes, from the goal down (see [`LevelConsistency`] for the formulas).
    ///
    /// Every number is read from the tree: no error is possible, and a tree without pairwise
    /// judgements gives an empty list.
    pub fn overall_consistency(&self) -> Vec<LevelConsistency> {
        let ri_table = self.options().random_index().kind();
        let mut levels: Vec<LevelConsistency> = Vec::new();
        for node in self.nodes() {
            let Some(report) = node.consistency() else {
                continue;
            };
            let depth = node.depth();
            let index = match levels.iter().position(|l| l.depth == depth) {
                Some(index) => index,
                None => {
                    levels.push(LevelConsistency {
                        depth,
                        nodes: Vec::new(),
                        ci: 0.0,
                        ri: 0.0,
                        cr: 0.0,
                        cumulative_cr: 0.0,
                        ri_table,
                    });
                    levels.len() - 1
                }
            };
            let level = &mut levels[index];
            let a = node.global_weight();
            level.nodes.push(node.id().to_owned());
            level.ci += a * report.ci();
            level.ri += a * report.ri();
        }
        levels.sort_by_key(|l| l.depth);
        let mut cumulative = 0.0;
        for level in &mut levels {
            level.cr = if level.ri > 0.0 {
                level.ci / level.ri
            } else {
                0.0
            };
            cumulative += level.cr;
            level.cumulative_cr = cumulative;
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use crate::hierarchy::{IndicatorTree, Judgements, NodeSpec};

    #[test]
    fn levels_weight_each_node_by_its_global_weight() {
        // the goal judges two groups (n = 2: CI = RI = 0); group a judges three leaves
        // inconsistently, group b is weighted directly (no CI, left out)
        let tree = IndicatorTree::new(
            NodeSpec::group(
                "goal",
                "Goal",
                vec![
                    NodeSpec::group(
                        "a",
                        "A",
                        vec![
                            NodeSpec::leaf("a1", "A1"),
                            NodeSpec::leaf("a2", "A2"),
                            NodeSpec::leaf("a3", "A3"),
                        ],
                    )
                    .with_judgements(Judgements::Upper(vec![3.0, 0.5, 2.0])),
                    NodeSpec::group(
                        "b",
                        "B",
                        vec![NodeSpec::leaf("b1", "B1"), NodeSpec::leaf("b2", "B2")],
                    )
                    .with_weights(vec![0.5, 0.5]),
                ],
            )
            .with_judgements(Judgements::Upper(vec![3.0])),
        )
        .unwrap();
        let levels = tree.overall_consistency();
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[0].nodes(), ["goal"]);
        assert_eq!((levels[0].ci(), levels[0].cr()), (0.0, 0.0));
        assert_eq!(levels[1].nodes(), ["a"]);
        // one judged node: the weights cancel and the level's CR is that node's CR
        let a = tree.node("a").unwrap();
        let report = a.consistency().unwrap();
        assert!((levels[1].ci() - 0.75 * report.ci()).abs() < 1e-15);
        assert!((levels[1].ri() - 0.75 * 0.58).abs() < 1e-15);
        assert!((levels[1].cr() - report.cr()).abs() < 1e-14);
        assert!((levels[1].cumulative_cr() - report.cr()).abs() < 1e-14);
        assert!(levels[1].to_string().contains("depth 1 (1 judged nodes)"));
    }

    #[test]
    fn a_tree_without_judgements_has_no_levels() {
        let tree = IndicatorTree::new(
            NodeSpec::group("g", "G", vec![NodeSpec::leaf("x", "X")]).with_weights(vec![1.0]),
        )
        .unwrap();
        assert!(tree.overall_consistency().is_empty());
    }
}
