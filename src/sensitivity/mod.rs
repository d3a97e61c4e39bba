//! Sensitivity of weights and ranking: how far can a weight move before the ranking, the
//! top k or a merchant's tier changes, and how stable is each merchant's rank when the
//! experts' judgements are perturbed.
//!
//! A platform that ties rewards and penalties to ranks needs to know whether the ranking
//! survives a change of the weights. [`SensitivityAnalysis`] scores and ranks the merchants
//! once with the evaluation's own weights (the base), then:
//!
//! - **one at a time** ([`SensitivityAnalysis::one_at_a_time`],
//!   [`SensitivityAnalysis::tornado`]): each node's local weight is moved over a range, its
//!   siblings scaled proportionally, and the smallest change that alters the top-1, the top k
//!   or any merchant's tier ([`ScoreTiers`]) is found: the rank-reversal thresholds, and the
//!   most critical criterion;
//! - **Monte Carlo on the judgements** ([`SensitivityAnalysis::monte_carlo`]): every expert
//!   judgement ([`ExpertJudgements`]) is perturbed on the Saaty scale by a named model
//!   ([`Perturbation`]: ±1 scale step, log-normal noise), the weights recomputed (draws whose
//!   CR fails can be dropped), every merchant re-scored, and per merchant the distribution of
//!   its rank (median, 5–95 % interval), the probability of keeping its tier and of being in
//!   the top k are reported, with the Spearman correlation of each draw's ranking with the
//!   base ([`MonteCarlo`]). Draws are seeded and reproducible, and split across threads with
//!   the `parallel` feature with the same results.
//!
//! Every variation re-scores the merchants through the [`BatchScorer`](crate::BatchScorer),
//! re-weighted in place ([`BatchScorer::set_local_weights`](crate::BatchScorer::set_local_weights))
//! rather than compiled again.
//!
//! # References
//!
//! - T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980 (the 1–9 scale).
//! - E. Triantaphyllou, A. Sánchez, "A sensitivity analysis approach for some deterministic
//!   multi-criteria decision-making methods", *Decision Sciences* 28(1), 151–194, 1997
//!   (smallest weight changes that reverse a ranking).
//! - R. Hahn, "Decision making with uncertain judgments: a stochastic formulation of the
//!   analytic hierarchy process", *Decision Sciences* 34(3), 443–466, 2003 (judgements as
//!   random variables, log-normal errors).

mod analysis;
mod data;
mod histogram;
mod judgements;
mod monte_carlo;
mod one_at_a_time;
mod perturbation;
mod ranking;
mod tiers;

pub use analysis::{SensitivityAnalysis, DEFAULT_TOP_K};
pub use data::MerchantData;
pub use judgements::ExpertJudgements;
pub use monte_carlo::{MerchantRanks, MonteCarlo, MonteCarloOptions};
pub use one_at_a_time::{
    RankEvent, Threshold, Tornado, WeightRange, WeightSensitivity, DEFAULT_STEPS, THRESHOLD_TOL,
};
pub use perturbation::Perturbation;
pub use tiers::ScoreTiers;
