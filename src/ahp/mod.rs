//! Analytic hierarchy process (AHP): pairwise comparison matrices, priority vectors and
//! consistency.
//!
//! Experts compare the children of a node pairwise on Saaty's 1–9 scale
//! ([`PairwiseMatrix`]); the priority vector of the matrix gives the local weights
//! ([`PriorityMethod`]); the consistency ratio `CR = CI / RI(n)` with
//! `CI = (lambda_max - n) / (n - 1)` tells whether the judgements are acceptably consistent
//! (`CR < 0.10`, [`ConsistencyReport`]), with the random index `RI` from a selectable table
//! ([`RandomIndex`]).
//!
//! # References
//!
//! - T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980.
//! - T. L. Saaty, "Decision making with the analytic hierarchy process", *Int. J. Services
//!   Sciences* 1(1), 83–98, 2008.

mod consistency;
mod matrix;
mod priority;

pub use consistency::{ConsistencyReport, CustomRandomIndex, RandomIndex, RandomIndexKind};
pub use matrix::{OffScaleEntry, PairwiseMatrix, ScaleIssue};
pub use priority::{Priorities, PriorityMethod, PriorityOptions};
