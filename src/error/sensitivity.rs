//! Errors of sensitivity analysis.

use core::fmt;

/// Why a node's local weight cannot be varied one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FixedReason {
    /// The root has no local weight.
    Root,
    /// The node has no siblings to take up the change.
    OnlyChild,
    /// The node's siblings all weigh 0, so they cannot be scaled proportionally.
    SiblingsWeighZero,
}

impl fmt::Display for FixedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Root => "it is the root",
            Self::OnlyChild => "it has no siblings",
            Self::SiblingsWeighZero => "its siblings all weigh 0",
        })
    }
}

/// Invalid input to sensitivity analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// No node of the tree has this id.
    #[error("no node `{id}` in the indicator tree")]
    UnknownNode {
        /// The id asked for.
        id: String,
    },
    /// The node's weight cannot be varied.
    #[error("the weight of node `{id}` cannot be varied: {reason}")]
    FixedWeight {
        /// The node's id.
        id: String,
        /// Why.
        reason: FixedReason,
    },
    /// A weight range whose bounds are NaN or outside `[0, 1]`.
    #[error("weight range [{lo}, {hi}] must lie within [0, 1]")]
    RangeOutsideUnit {
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
    },
    /// A weight range with `lo >= hi`.
    #[error("weight range [{lo}, {hi}] is empty: lo must be below hi")]
    EmptyRange {
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
    },
    /// A grid of zero steps.
    #[error("the scan needs at least one step per direction, got {steps}")]
    ZeroSteps {
        /// Steps given.
        steps: usize,
    },
    /// Log-normal noise with a sigma that is not finite and `> 0`.
    #[error("noise sigma must be finite and > 0, got {sigma}")]
    InvalidSigma {
        /// The rejected sigma.
        sigma: f64,
    },
    /// A Monte Carlo run of zero draws.
    #[error("a Monte Carlo run needs at least one draw")]
    ZeroDraws,
    /// A consistency threshold that is not finite and `> 0`.
    #[error("consistency threshold must be finite and > 0, got {threshold}")]
    InvalidThreshold {
        /// The rejected threshold.
        threshold: f64,
    },
    /// `k` of the top-k is 0 or more than the merchants ranked.
    #[error("top k must be between 1 and the {merchants} merchants ranked, got {k}")]
    InvalidTopK {
        /// The k given.
        k: usize,
        /// Merchants ranked.
        merchants: usize,
    },
    /// No merchant could be scored with the base weights, so there is nothing to rank.
    #[error("no merchant to rank ({failed} of {merchants} could not be scored)")]
    NoMerchants {
        /// Merchants in the input.
        merchants: usize,
        /// Of which failed.
        failed: usize,
    },
    /// A tier cut point that is not finite or not above the previous one.
    #[error("tier cut point {index} must be finite and above the previous one, got {value}")]
    InvalidTierCut {
        /// Index of the cut point.
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// A judgement that the ±1 scale-step model cannot move: not on Saaty's scale.
    #[error(
        "expert {expert}'s judgement ({row}, {col}) = {value} at node `{path}` is not on \
         Saaty's 1-9 scale (or its reciprocals)"
    )]
    NotOnSaatyScale {
        /// Path of the node.
        path: String,
        /// Expert index.
        expert: usize,
        /// Row of the judgement.
        row: usize,
        /// Column of the judgement.
        col: usize,
        /// The judgement.
        value: f64,
    },
    /// Judgements given for a node that is a leaf.
    #[error("node `{id}` is a leaf and takes no judgements")]
    NotAGroup {
        /// The node's id.
        id: String,
    },
    /// Judgements given twice for a node.
    #[error("judgements for node `{id}` are given twice")]
    DuplicateNode {
        /// The node's id.
        id: String,
    },
    /// A panel whose matrices do not have one row per child of the node.
    #[error("node `{id}` has {children} children, but its judgements compare {found}")]
    PanelSize {
        /// The node's id.
        id: String,
        /// Children of the node.
        children: usize,
        /// Size of the panel's matrices.
        found: usize,
    },
    /// Every draw was dropped for inconsistent judgements.
    #[error("all {draws} draws were dropped: a perturbed matrix had CR >= {threshold}")]
    AllDrawsDropped {
        /// Draws made.
        draws: usize,
        /// The CR threshold.
        threshold: f64,
    },
    /// A merchant scored with the base weights failed under the weights of a draw or scan
    /// point (possible when a weight of 0 leaves a node without answered children).
    #[error("merchant {merchant} could not be scored under the weights of {at}")]
    NewFailure {
        /// Index of the merchant.
        merchant: usize,
        /// Where: `draw N` or `node ID at weight W`.
        at: String,
    },
}
