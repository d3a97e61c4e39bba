//! Errors of the use of results: scoreboards, ranking, tiers, rectification, publication,
//! tracking over periods, alerts and charts.

/// Errors of the use of evaluation results ([`crate::outcome`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OutcomeError {
    /// A score, standard error or other number given for a merchant is NaN, infinite or
    /// otherwise out of its range.
    #[error("{what} of merchant `{merchant}` must be {range}, got {value}")]
    InvalidValue {
        /// The quantity (`score`, `standard error`, ...).
        what: &'static str,
        /// The merchant's id (or its 0-based index, written as a number, where it has none).
        merchant: String,
        /// The allowed range, in words.
        range: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// A parameter (a quantile's probability, a confidence level, a threshold, a number of
    /// replicates or periods) is out of its range.
    #[error("{what} must be {range}, got {value}")]
    InvalidParameter {
        /// The parameter.
        what: &'static str,
        /// The allowed range, in words.
        range: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// The same merchant id appears twice in one period.
    #[error("merchant `{merchant}` appears more than once in period `{period}`")]
    DuplicateMerchant {
        /// The merchant's id.
        merchant: String,
        /// The period.
        period: String,
    },
    /// A rule or a request names a node that the model does not have.
    #[error("{context} names node `{id}`, which the model does not have")]
    UnknownNode {
        /// The node id given.
        id: String,
        /// Where it was named (`tier scheme`, `alert rule 2`, ...).
        context: String,
    },
    /// A scoreboard does not hold the scores of a node that a request needs (it was built
    /// from batch output without the nodes' `B`).
    #[error(
        "the scores of node `{id}` are not held (score the batch with the nodes' B to keep them)"
    )]
    NodeNotHeld {
        /// The node id.
        id: String,
    },
    /// A tier scheme has no tiers.
    #[error("a tier scheme needs at least one tier")]
    NoTiers,
    /// A tier's cut point is missing, not finite, out of range, or not strictly below the cut
    /// of the tier before it (overlapping or unordered thresholds), or the last tier has a
    /// cut (it takes everything below the others).
    #[error("tier `{tier}`: {problem}, got {value}")]
    TierCut {
        /// The tier's id.
        tier: String,
        /// What is wrong.
        problem: &'static str,
        /// The cut given (NaN when it is missing).
        value: f64,
    },
    /// Two tiers (or a tier and the insufficient-data tier) share an id.
    #[error("tier id `{tier}` is used twice")]
    DuplicateTier {
        /// The id.
        tier: String,
    },
    /// A grade-based tier scheme names a grade the grade set does not have, names one grade
    /// twice, or leaves a grade without a tier.
    #[error("grade tiers: grade `{grade}` {problem}")]
    GradeTier {
        /// The grade label.
        grade: String,
        /// `is not in the grade set`, `is in two tiers` or `is in no tier`.
        problem: &'static str,
    },
    /// Two problem areas claim the same indicator.
    #[error("indicator `{id}` is in problem areas `{first}` and `{second}`")]
    AreaOverlap {
        /// The indicator.
        id: String,
        /// The first area naming it.
        first: String,
        /// The second.
        second: String,
    },
    /// Periods to compare or track were scored with different models (node ids, structure,
    /// weights or grade set differ).
    #[error("period `{period}` was scored with a different model than period `{reference}`: {difference}")]
    DifferentModels {
        /// The period that differs.
        period: String,
        /// The period it was compared with.
        reference: String,
        /// The first difference found, in words.
        difference: String,
    },
    /// The same period label appears twice in a history.
    #[error("period `{period}` appears more than once")]
    DuplicatePeriod {
        /// The label.
        period: String,
    },
    /// A confidence interval or a bootstrap was asked for with an operator that has no
    /// analytic interval (`M(·,+)` only), or for a merchant with an unanswered indicator.
    #[error("{what} needs {requirement}, but {found}")]
    Unsupported {
        /// What was asked for.
        what: &'static str,
        /// What it needs.
        requirement: &'static str,
        /// What was found instead.
        found: String,
    },
    /// A stored document (report, scoreboard) has a schema version this crate cannot read.
    #[error(
        "{kind} schema version {found} is not supported (this crate reads version {supported})"
    )]
    SchemaVersion {
        /// The kind of document.
        kind: &'static str,
        /// The version found.
        found: u32,
        /// The version read.
        supported: u32,
    },
    /// A stored document is inconsistent in itself (lengths, indices, grade counts).
    #[error("{kind}: {problem}")]
    MalformedDocument {
        /// The kind of document.
        kind: &'static str,
        /// What is wrong, naming where.
        problem: String,
    },
    /// A chart could not be drawn.
    #[error("chart `{chart}` could not be drawn: {reason}")]
    Chart {
        /// The chart.
        chart: &'static str,
        /// Why (the plotting backend's message, or the missing data).
        reason: String,
    },
}
