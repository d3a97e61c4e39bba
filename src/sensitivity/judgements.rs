//! The expert judgements a Monte Carlo run perturbs.

use crate::ahp::PairwiseMatrix;
use crate::group::{Panel, PanelOptions};
use crate::hierarchy::IndicatorTree;

/// The experts' pairwise judgements at the group nodes of a tree, and how a node's weights
/// are computed from them: a single expert's matrix by its priorities (with the panel
/// options' priority method and random index), several experts by
/// [`Panel::evaluate`] with the panel options.
///
/// Group nodes without judgements keep their weights in every draw.
///
/// # Examples
///
/// ```
/// use service_quality::sensitivity::ExpertJudgements;
/// use service_quality::{IndicatorTree, Judgements, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Service", vec![
///         NodeSpec::leaf("speed", "Speed"),
///         NodeSpec::leaf("attitude", "Attitude"),
///         NodeSpec::leaf("skill", "Skill"),
///     ])
///     .with_judgements(Judgements::Upper(vec![3.0, 5.0, 2.0])),
/// )?;
/// let j = ExpertJudgements::from_tree(&tree);
/// assert_eq!(j.node_ids(), vec!["goal"]);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertJudgements {
    pub(crate) nodes: Vec<(String, Panel)>,
    pub(crate) options: PanelOptions,
}

impl ExpertJudgements {
    /// The judgements stored in a tree (one expert): every group node built from pairwise
    /// judgements, with the tree's priority options.
    pub fn from_tree(tree: &IndicatorTree) -> Self {
        let nodes = tree
            .nodes()
            .filter_map(|n| {
                let m: &PairwiseMatrix = n.judgements()?;
                Panel::new(vec![m.clone()])
                    .ok()
                    .map(|p| (n.id().to_owned(), p))
            })
            .collect();
        Self {
            nodes,
            options: PanelOptions::new().with_priority(tree.options().clone()),
        }
    }

    /// Panels given by node id, with the options that turn each into weights. The ids and
    /// sizes are checked against the tree when the analysis runs
    /// ([`SensitivityAnalysis::monte_carlo`](crate::sensitivity::SensitivityAnalysis::monte_carlo)).
    pub fn new(panels: Vec<(String, Panel)>, options: PanelOptions) -> Self {
        Self {
            nodes: panels,
            options,
        }
    }

    /// The ids of the nodes with judgements, in the order given.
    pub fn node_ids(&self) -> Vec<&str> {
        self.nodes.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// The options that turn a node's judgements into weights.
    pub fn options(&self) -> &PanelOptions {
        &self.options
    }
}
