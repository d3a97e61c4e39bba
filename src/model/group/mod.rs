//! Group decisions: several experts judge the same criteria.
//!
//! Real weights come from a panel. The experts' judgements are combined in one of two ways
//! (Forman & Peniwati 1998):
//!
//! ```text
//! AIJ (aggregate judgements):  a_ij^G = prod_k (a_ij^(k))^(lambda_k),  then priorities of A^G
//! AIP (aggregate priorities):  w_i^G ∝ prod_k (w_i^(k))^(lambda_k)   (geometric)
//!                              w_i^G ∝ sum_k lambda_k w_i^(k)         (arithmetic)
//! ```
//!
//! with expert weights `lambda_k >= 0` summing to 1 ([`ExpertWeights`], equal by default).
//! A [`Panel`] evaluates one node: every expert's priorities and CR, an optional exclusion of
//! experts whose CR is not below a threshold (each exclusion reported with the CR, never
//! silent), the aggregate, Goepel's consensus indicator ([`AhpConsensus`]) and each expert's
//! geometric compatibility with the group (GCOMPI). [`GroupTree`] does this at every node of an
//! indicator hierarchy, from one panel file ([`PanelSpec`]) or several single-expert model
//! files, and lets the group weights flow down the tree.
//!
//! # References
//!
//! - J. Aczél, T. L. Saaty, "Procedures for synthesizing ratio judgements", *J. Math.
//!   Psychology* 27, 93–102, 1983.
//! - E. Forman, K. Peniwati, "Aggregating individual judgments and priorities with the analytic
//!   hierarchy process", *EJOR* 108, 165–169, 1998.
//! - K. D. Goepel, "Implementing the analytic hierarchy process as a standard method for
//!   multi-criteria decision making in corporate enterprises", *Proc. ISAHP 2013*.
//! - J. Aguarón, M. T. Escobar, J. M. Moreno-Jiménez, "The precise consistency consensus
//!   matrix in a local AHP-group decision making context", *Annals of Operations Research*
//!   245, 245–259, 2016.

mod aij;
mod aip;
mod consensus;
mod expert_weights;
mod panel;
mod tree;

pub use aij::aggregate_judgements;
pub use aip::{aggregate_priorities, AipMean};
pub use consensus::{AhpConsensus, SAATY_SCALE_MAX};
pub use expert_weights::ExpertWeights;
pub use panel::{Aggregation, Exclusion, Panel, PanelOptions, PanelResult};
pub use tree::{ExpertModel, GroupTree, NodePanel, PanelSpec};
