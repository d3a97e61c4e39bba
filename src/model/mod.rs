//! The model: what is evaluated and with which weights.
//!
//! The indicator system ([`hierarchy`]), the weights of each node's children from one expert's
//! pairwise judgements ([`ahp`]), from triangular fuzzy judgements ([`fuzzy_ahp`]) or from a
//! panel of experts ([`group`]), validated weight vectors ([`Weights`]) and the grade set
//! (评语集, [`GradeSet`]) that evaluations are read against.
//!
//! Nothing here reads merchants' data: that is [`crate::input`].

pub mod ahp;
pub mod fuzzy_ahp;
pub(crate) mod grades;
pub mod group;
pub mod hierarchy;
pub(crate) mod language;
pub(crate) mod weights;

#[allow(unused_imports)] // for intra-doc links
use crate::model::{grades::GradeSet, weights::Weights};
