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
//! Beyond CR, the module diagnoses and repairs inconsistency and completes matrices with
//! missing judgements:
//!
//! ```text
//! GCI  = 2 / ((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i)     (w by RGMM; thresholds
//!                                                          0.31 / 0.35 / 0.37 for n = 3 / 4 / >4)
//! KI   = max_{i<j<k} min(|1 - a_ik / (a_ij a_jk)|, |1 - a_ij a_jk / a_ik|)   (Koczkodaj)
//! e_ij = a_ij w_j / w_i                                     (judgement error; 1 = agrees)
//! ```
//!
//! - [`PairwiseMatrix::gci`], [`PairwiseMatrix::triad_inconsistency`],
//!   [`PairwiseMatrix::inconsistent_judgements`] (ranked by `|ln e_ij|`, with the value
//!   `w_i / w_j` consistent with the rest);
//! - [`PairwiseMatrix::repair`]: opt-in, step-by-step revision of the worst judgement, with an
//!   audit trail; CR never increases and the loop always stops;
//! - [`IncompleteMatrix`]: judgements with missing pairs, completed by Harker's method,
//!   logarithmic least squares or the lambda_max-optimal completion of Bozóki, Fülöp and
//!   Rónyai ([`CompletionMethod`]).
//!
//! # Limits
//!
//! Every limit on pairwise matrices, in one place:
//!
//! | What | Limit | Beyond it |
//! |---|---|---|
//! | criteria per matrix | `n <=` [`MAX_CRITERIA`](crate::MAX_CRITERIA) (1024) | [`AhpError::TooManyCriteria`](crate::AhpError::TooManyCriteria) |
//! | consistency report | `n <= 15` for [`RandomIndex::Saaty1980`] (the default), [`RandomIndex::AlonsoLamata2006`], [`RandomIndex::TummalaLing1998`], [`RandomIndex::Saaty2005`]; `n <= 100` for [`RandomIndex::DoneganDodd1991`]; any `n` with [`RandomIndex::custom`] | [`AhpError::RandomIndexOutOfRange`](crate::AhpError::RandomIndexOutOfRange), naming the tables that cover `n` |
//! | entries | finite, `> 0`, reciprocal finite (`>= 1 / f64::MAX`, about 5.6e-309) | [`AhpError::InvalidEntry`](crate::AhpError::InvalidEntry) |
//! | priorities | every weight a normal `f64` (`>= f64::MIN_POSITIVE`): entries whose weights span more than ~1e308 fail | [`NumericError::NumericalRange`](crate::NumericError::NumericalRange) |
//! | eigenvector of entries beyond `1e-50..=1e50` | computed on the matrix scaled by its row geometric means, whose entries must lie in `1e-50..=1e50` (judgements consistent within a factor 1e50) | [`NumericError::NumericalRange`](crate::NumericError::NumericalRange) |
//!
//! Within these limits `lambda_max >= n` and `CR >= 0` hold for every method
//! ([`ConsistencyReport`] says how rounding is reported). Group work adds one: priority
//! vectors given to [`AhpConsensus`](crate::group::AhpConsensus) must be positive.
//!
//! # References
//!
//! - T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980.
//! - T. L. Saaty, "Decision making with the analytic hierarchy process", *Int. J. Services
//!   Sciences* 1(1), 83–98, 2008.
//! - J. Aguarón, J. M. Moreno-Jiménez, "The geometric consistency index: approximated
//!   thresholds", *EJOR* 147(1), 137–145, 2003.
//! - W. W. Koczkodaj, "A new definition of consistency of pairwise comparisons",
//!   *Mathematical and Computer Modelling* 18(7), 79–84, 1993.
//! - P. T. Harker, "Incomplete pairwise comparisons in the analytic hierarchy process",
//!   *Mathematical Modelling* 9(11), 837–848, 1987.
//! - S. Bozóki, J. Fülöp, L. Rónyai, "On optimal completion of incomplete pairwise comparison
//!   matrices", *Mathematical and Computer Modelling* 52(1–2), 318–333, 2010.

mod completion;
mod consistency;
mod diagnosis;
#[cfg(feature = "serde")]
pub(crate) mod fraction;
mod gci;
mod incomplete;
mod matrix;
mod priority;
mod repair;
mod triad;

pub use completion::{
    Completion, CompletionMethod, CompletionOptions, FilledEntry, DEFAULT_COMPLETION_MAX_CYCLES,
    DEFAULT_COMPLETION_TOL,
};
pub(crate) use consistency::random_index_hint;
pub use consistency::{ConsistencyReport, CustomRandomIndex, RandomIndex, RandomIndexKind};
pub use diagnosis::InconsistentJudgement;
pub use gci::{gci_threshold, GciReport};
pub use incomplete::IncompleteMatrix;
pub(crate) use matrix::entry_problem;
pub use matrix::{OffScaleEntry, PairwiseMatrix, ScaleIssue};
pub use priority::{Priorities, PriorityMethod, PriorityOptions};
pub use repair::{Repair, RepairOptions, RepairStep, RepairStop, DEFAULT_REPAIR_STEPS};
pub use triad::{Triad, TriadIndex};
