//! Using the results: ranking, reward and penalty tiers, rectification, fair publication,
//! tracking over periods and alerts.
//!
//! The research the crate follows (《电商平台售后服务质量评价与改进》, "uses of the
//! evaluation result") names four uses of the scores, and each has a home here:
//!
//! | use | types |
//! |---|---|
//! | one period's results of many merchants, stored as versioned JSON | [`Scoreboard`], [`ModelOutline`] |
//! | assess merchants: rank them, reward and penalise by tier | [`Ranking`] ([`TieRule`], [`RankOptions`]), [`TierScheme`] → [`TierAssignment`] |
//! | rectification: who is weak where, what to fix first | [`RectificationRules`], [`ProblemArea`] → [`Rectification`] |
//! | publication: a comparable, explainable score | [`IntervalEstimator`] (analytic, `M(·,+)`), [`Bootstrap`], [`Shrinkage`], [`MerchantCard`] |
//! | continuous improvement: track every period, alert on drops | [`History`] → [`Comparison`]; [`AlertRules`] → [`Alert`] |
//!
//! Rules can be declared in a builder or in JSON, on their own or in the `"outcome"` section
//! of a model file ([`OutcomeRules`]). Every table is a bilingual
//! [`Table`](crate::report::Table); with the `charts` feature, [`charts`] draws SVG charts.
//!
//! Everything here reads columns of numbers, so it runs on a platform's millions of
//! merchants as on a researcher's twenty: ranking, tiers, rectification and alerts over a
//! million merchants take well under a second on one core (`benches/outcome.rs`), and
//! confidence intervals come from answer counts without per-respondent data.

mod alerts;
mod card;
#[cfg(feature = "charts")]
#[cfg_attr(docsrs, doc(cfg(feature = "charts")))]
pub mod charts;
mod checks;
mod interval;
mod quantile;
mod ranking;
mod rectification;
#[cfg(feature = "serde")]
mod rules;
mod scoreboard;
mod shrinkage;
mod tiers;
mod tracking;

pub use alerts::{alerts_table, Alert, AlertKind, AlertRule, AlertRules};
pub use card::{CardDimension, MerchantCard};
pub use interval::{Bootstrap, Dependence, IntervalBatch, IntervalEstimator, ScoreInterval};
pub use quantile::quantile;
pub use ranking::{RankOptions, Ranking, TieRule};
pub use rectification::{
    BelowThreshold, MerchantRectification, NodeThreshold, PlatformIndicator, ProblemArea,
    Rectification, RectificationRules,
};
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use rules::OutcomeRules;
pub use scoreboard::{ModelOutline, OutlineNode, Scoreboard};
#[cfg(feature = "serde")]
pub use scoreboard::{SCOREBOARD_SCHEMA, SCOREBOARD_SCHEMA_VERSION};
pub use shrinkage::{Shrinkage, ShrunkScores};
pub use tiers::{Tier, TierAssignment, TierBasis, TierScheme};
pub use tracking::{Change, CompareOptions, Comparison, History};
