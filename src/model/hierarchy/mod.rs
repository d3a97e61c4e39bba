//! Weighted indicator hierarchies: specification, validated tree, templates.

mod consistency;
#[cfg(feature = "serde")]
mod json;
mod kpi;
mod spec;
pub mod template;
mod tree;

pub use consistency::LevelConsistency;
pub use kpi::{KpiBreakpoints, KpiScaleSpec, KpiSpec};
pub(crate) use spec::{local_input, LocalInput};
pub use spec::{ChildWeighting, Judgements, NodeSpec, TreeSpec};
pub use tree::{IndicatorTree, NodeRef, MAX_TREE_DEPTH};
