//! `Scoreboard`: one period's results of many merchants, column by column, and the outline of
//! the model they were scored with.

use std::collections::HashSet;
use std::sync::Arc;

use crate::batch::{BatchScores, MerchantError};
use crate::error::{OutcomeError, Result};
use crate::evaluation::Evaluator;
use crate::model::grades::GradeSet;
use crate::outcome::checks::same_len;
use crate::report::{EvaluationReport, Text};

/// One node of a [`ModelOutline`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct OutlineNode {
    id: String,
    label: Text,
    parent: Option<usize>,
    depth: usize,
    leaf: bool,
    weight: f64,
}

impl OutlineNode {
    /// The node id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// English and (where the tree has one) Chinese label.
    pub fn label(&self) -> &Text {
        &self.label
    }
    /// Preorder index of the parent (`None` for the goal).
    pub fn parent(&self) -> Option<usize> {
        self.parent
    }
    /// Depth (0 for the goal, 1 for a dimension).
    pub fn depth(&self) -> usize {
        self.depth
    }
    /// `true` for an indicator.
    pub fn is_leaf(&self) -> bool {
        self.leaf
    }
    /// The model's global weight (product of the local weights on the path).
    pub fn weight(&self) -> f64 {
        self.weight
    }
}

/// What results of different periods must share to be compared: the nodes of the tree
/// (ids, labels, structure, global weights) in preorder and the grade set.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ModelOutline {
    nodes: Vec<OutlineNode>,
    grades: GradeSet,
}

impl ModelOutline {
    /// The outline of an evaluator's tree and grade set.
    pub fn of(evaluator: &Evaluator) -> Self {
        let tree = evaluator.tree();
        let nodes = tree
            .nodes()
            .map(|n| OutlineNode {
                id: n.id().to_owned(),
                label: Text::with_optional_zh(n.label(), n.label_zh()),
                parent: n.parent().map(|p| p.index()),
                depth: n.depth(),
                leaf: n.is_leaf(),
                weight: n.global_weight(),
            })
            .collect();
        Self {
            nodes,
            grades: evaluator.grades().clone(),
        }
    }

    /// The nodes in preorder (the goal first).
    pub fn nodes(&self) -> &[OutlineNode] {
        &self.nodes
    }

    /// The grade set.
    pub fn grades(&self) -> &GradeSet {
        &self.grades
    }

    /// The preorder index of the node with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The preorder index of `id`, or [`OutcomeError::UnknownNode`] naming `context`.
    pub(crate) fn require(&self, id: &str, context: &str) -> Result<usize> {
        self.index_of(id).ok_or_else(|| {
            OutcomeError::UnknownNode {
                id: id.to_owned(),
                context: context.to_owned(),
            }
            .into()
        })
    }

    /// The preorder indices of the dimensions (the goal's children).
    pub fn dimensions(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].depth == 1)
            .collect()
    }

    /// The preorder indices of the leaves under node `index` (itself for a leaf).
    pub fn leaves_under(&self, index: usize) -> Vec<usize> {
        let depth = self.nodes[index].depth;
        let mut out = Vec::new();
        for (i, n) in self.nodes.iter().enumerate().skip(index) {
            if i > index && n.depth <= depth {
                break;
            }
            if n.leaf {
                out.push(i);
            }
        }
        out
    }

    /// The first difference between two outlines, in words, or `None` when they are the same
    /// model.
    pub fn difference(&self, other: &ModelOutline) -> Option<String> {
        if self.grades != other.grades {
            return Some("the grade sets differ".to_owned());
        }
        if self.nodes.len() != other.nodes.len() {
            return Some(format!(
                "{} nodes against {}",
                other.nodes.len(),
                self.nodes.len()
            ));
        }
        for (a, b) in self.nodes.iter().zip(&other.nodes) {
            if a.id != b.id || a.parent != b.parent || a.leaf != b.leaf {
                return Some(format!("node `{}` against node `{}`", b.id, a.id));
            }
            if (a.weight - b.weight).abs() > crate::numeric::WEIGHT_SUM_TOL {
                return Some(format!(
                    "node `{}` has global weight {} against {}",
                    a.id, b.weight, a.weight
                ));
            }
        }
        None
    }
}

/// One period's results of many merchants: for each merchant its id, sample size, overall
/// grade and the scores of the nodes held, and optionally the standard error of its overall
/// score.
///
/// A scoreboard is what ranking, tiers, rectification, publication and tracking read. It is
/// built from reports ([`from_reports`](Self::from_reports): every node), from the batch
/// scorer's scores ([`from_batch`](Self::from_batch): the overall score only) or from node
/// scores ([`from_node_b`](Self::from_node_b), [`from_node_scores`](Self::from_node_scores):
/// every node), and is stored as JSON in a versioned schema (see
/// [`to_json`](Self::to_json)) to be compared with later periods.
///
/// Merchants that could not be scored are not on the board; their ids are kept in
/// [`unscored`](Self::unscored).
///
/// # Examples
///
/// ```
/// use service_quality::outcome::Scoreboard;
/// use service_quality::{Evaluator, GradeSet, IndicatorMemberships, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed"),
///     NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
/// let mut reports = Vec::new();
/// for (shop, best) in [("a", 0.9), ("b", 0.3)] {
///     let mut data = IndicatorMemberships::new(evaluator.grades());
///     data.insert("speed", vec![best, 1.0 - best, 0.0, 0.0, 0.0], 20, 0)?;
///     data.insert("attitude", vec![0.0, 1.0, 0.0, 0.0, 0.0], 20, 0)?;
///     reports.push(evaluator.report(shop, &data)?);
/// }
/// let board = Scoreboard::from_reports("2024-Q1", &evaluator, &reports)?;
/// assert_eq!(board.len(), 2);
/// assert!((board.score(0) - 89.5).abs() < 1e-9);
/// assert_eq!(board.node_score(1, "speed")?, Some(88.0));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scoreboard {
    period: String,
    outline: Arc<ModelOutline>,
    merchants: Arc<Vec<String>>,
    samples: Vec<u32>,
    grades: Vec<u32>,
    /// Preorder indices of the nodes held, the goal first.
    held: Vec<usize>,
    /// `merchants x held` scores, NaN for a node not evaluated.
    scores: Vec<f64>,
    std_errors: Option<Vec<f64>>,
    unscored: Vec<String>,
}

/// `value` as a `u32` sample size (counts beyond `u32::MAX` saturate; no survey reaches them).
fn sample(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Scoreboard {
    /// The board of `reports`, all made by `evaluator` (every node held).
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::DifferentModels`] when a report's grade set is not the evaluator's;
    /// - [`OutcomeError::UnknownNode`] when a report holds a node the evaluator's tree has
    ///   not;
    /// - [`OutcomeError::DuplicateMerchant`] when two reports name the same merchant.
    pub fn from_reports(
        period: impl Into<String>,
        evaluator: &Evaluator,
        reports: &[EvaluationReport],
    ) -> Result<Self> {
        let period = period.into();
        let outline = ModelOutline::of(evaluator);
        let k = outline.nodes.len();
        let mut scores = vec![f64::NAN; reports.len() * k];
        let mut merchants = Vec::with_capacity(reports.len());
        let mut samples = Vec::with_capacity(reports.len());
        let mut grades = Vec::with_capacity(reports.len());
        for (m, report) in reports.iter().enumerate() {
            if report.grades() != &outline.grades {
                return Err(OutcomeError::DifferentModels {
                    period: period.clone(),
                    reference: period.clone(),
                    difference: format!(
                        "the report of `{}` uses another grade set",
                        report.merchant()
                    ),
                }
                .into());
            }
            for line in report.nodes() {
                let node = outline
                    .require(line.id(), &format!("the report of `{}`", report.merchant()))?;
                scores[m * k + node] = line.score();
            }
            merchants.push(report.merchant().to_owned());
            samples.push(sample(report.sample_size()));
            grades.push(u32::try_from(report.overall().grade()).unwrap_or(u32::MAX));
        }
        Self::assemble(
            period,
            outline,
            merchants,
            samples,
            grades,
            (0..k).collect(),
            scores,
        )
    }

    /// The board of a batch's overall scores and grades (the goal's score only; merchants in
    /// `scores.failures` are left out and listed in [`unscored`](Self::unscored)).
    /// `samples` holds each merchant's sample size (for survey answers, the number of its
    /// respondents).
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when `ids` or `samples` do not hold one entry per
    ///   merchant;
    /// - [`OutcomeError::DuplicateMerchant`] for an id given twice;
    /// - [`OutcomeError::InvalidValue`] for a non-finite score.
    pub fn from_batch(
        period: impl Into<String>,
        evaluator: &Evaluator,
        ids: Vec<String>,
        scores: &BatchScores,
        samples: &[u32],
    ) -> Result<Self> {
        let failed = failed_set(&scores.failures);
        let outline = ModelOutline::of(evaluator);
        Self::node_columns(
            period.into(),
            outline,
            ids,
            (scores.scores.clone(), vec![0]),
            &scores.grades,
            &failed,
            samples,
        )
    }

    /// The board of a batch scored with the nodes' `B`
    /// ([`BatchOutput::with_node_b`](crate::BatchOutput::with_node_b), `merchants x nodes x
    /// grades`): every node's score is `B · grade values`; a node whose `B` is all zero (excluded
    /// for lack of answers) is not evaluated for that merchant. Merchants in `failures` are
    /// left out and listed in [`unscored`](Self::unscored).
    ///
    /// # Errors
    ///
    /// As [`from_node_scores`](Self::from_node_scores), and
    /// [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when `node_b` does not hold `ids.len() x nodes x
    /// grades` values.
    pub fn from_node_b(
        period: impl Into<String>,
        evaluator: &Evaluator,
        ids: Vec<String>,
        node_b: &[f64],
        grades: &[u32],
        failures: &[MerchantError],
        samples: &[u32],
    ) -> Result<Self> {
        let outline = ModelOutline::of(evaluator);
        let values = outline.grades.values();
        let block = outline.nodes.len() * values.len();
        same_len(
            "node B (merchants x nodes x grades)",
            ids.len() * block,
            node_b.len(),
        )?;
        let scores: Vec<f64> = node_b
            .chunks_exact(values.len())
            .map(|b| {
                if b.iter().all(|&x| x == 0.0) {
                    f64::NAN
                } else {
                    b.iter().zip(&values).map(|(b, v)| b * v).sum()
                }
            })
            .collect();
        let failed = failed_set(failures);
        let held = (0..outline.nodes.len()).collect();
        Self::node_columns(
            period.into(),
            outline,
            ids,
            (scores, held),
            grades,
            &failed,
            samples,
        )
    }

    /// The board of every node's score per merchant (`merchants x nodes`, nodes in the
    /// tree's preorder; NaN marks a node not evaluated for that merchant, the only
    /// non-finite value accepted, and never for the goal).
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when the columns do not hold one entry per
    ///   merchant (and `node_scores` one per merchant and node);
    /// - [`OutcomeError::DuplicateMerchant`] for an id given twice;
    /// - [`OutcomeError::InvalidValue`] for an infinite score or a goal score that is NaN.
    pub fn from_node_scores(
        period: impl Into<String>,
        evaluator: &Evaluator,
        ids: Vec<String>,
        node_scores: Vec<f64>,
        grades: &[u32],
        samples: &[u32],
    ) -> Result<Self> {
        let outline = ModelOutline::of(evaluator);
        let held = (0..outline.nodes.len()).collect();
        Self::node_columns(
            period.into(),
            outline,
            ids,
            (node_scores, held),
            grades,
            &HashSet::new(),
            samples,
        )
    }

    /// A board of `(scores, held)`: `merchants x held.len()` scores of the nodes `held`,
    /// leaving out the merchants in `failed`.
    fn node_columns(
        period: String,
        outline: ModelOutline,
        ids: Vec<String>,
        (node_scores, held): (Vec<f64>, Vec<usize>),
        grades: &[u32],
        failed: &HashSet<usize>,
        samples: &[u32],
    ) -> Result<Self> {
        let k = held.len();
        same_len(
            "node scores (merchants x nodes)",
            ids.len() * k,
            node_scores.len(),
        )?;
        same_len("grades (one per merchant)", ids.len(), grades.len())?;
        same_len("sample sizes (one per merchant)", ids.len(), samples.len())?;
        if failed.is_empty() {
            return Self::assemble(
                period,
                outline,
                ids,
                samples.to_vec(),
                grades.to_vec(),
                held,
                node_scores,
            );
        }
        let mut board = Self::empty(period, outline, held);
        for (m, id) in ids.into_iter().enumerate() {
            if failed.contains(&m) {
                board.unscored.push(id);
                continue;
            }
            Arc::make_mut(&mut board.merchants).push(id);
            board.samples.push(samples[m]);
            board.grades.push(grades[m]);
            board
                .scores
                .extend_from_slice(&node_scores[m * k..(m + 1) * k]);
        }
        board.validate()?;
        Ok(board)
    }

    fn empty(period: String, outline: ModelOutline, held: Vec<usize>) -> Self {
        Self {
            period,
            outline: Arc::new(outline),
            merchants: Arc::new(Vec::new()),
            samples: Vec::new(),
            grades: Vec::new(),
            held,
            scores: Vec::new(),
            std_errors: None,
            unscored: Vec::new(),
        }
    }

    fn assemble(
        period: String,
        outline: ModelOutline,
        merchants: Vec<String>,
        samples: Vec<u32>,
        grades: Vec<u32>,
        held: Vec<usize>,
        scores: Vec<f64>,
    ) -> Result<Self> {
        let board = Self {
            period,
            outline: Arc::new(outline),
            merchants: Arc::new(merchants),
            samples,
            grades,
            held,
            scores,
            std_errors: None,
            unscored: Vec::new(),
        };
        board.validate()?;
        Ok(board)
    }

    /// Checks ids unique, scores finite (NaN allowed below the goal), grades in range.
    fn validate(&self) -> Result<()> {
        let h = self.held.len();
        let mut seen = HashSet::with_capacity(self.merchants.len());
        let n_grades = self.outline.grades.len();
        for (m, id) in self.merchants.iter().enumerate() {
            if !seen.insert(id.as_str()) {
                return Err(OutcomeError::DuplicateMerchant {
                    merchant: id.clone(),
                    period: self.period.clone(),
                }
                .into());
            }
            let row = &self.scores[m * h..(m + 1) * h];
            for (c, &s) in row.iter().enumerate() {
                if s.is_infinite() || (c == 0 && s.is_nan()) {
                    return Err(OutcomeError::InvalidValue {
                        what: "score",
                        merchant: id.clone(),
                        range: "finite (NaN only for a node below the goal not evaluated)",
                        value: s,
                    }
                    .into());
                }
            }
            if self.grades[m] as usize >= n_grades {
                return Err(OutcomeError::InvalidValue {
                    what: "grade index",
                    merchant: id.clone(),
                    range: "below the number of grades",
                    value: f64::from(self.grades[m]),
                }
                .into());
            }
        }
        Ok(())
    }

    /// Adds the standard error of each merchant's overall score (from
    /// [`ScoreInterval::std_error`](crate::outcome::ScoreInterval::std_error), in board
    /// order), which tracking and alerts use to say whether a change exceeds the uncertainty.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) for a length other than [`len`](Self::len),
    /// [`OutcomeError::InvalidValue`] for a value that is negative, NaN or infinite.
    pub fn with_std_errors(mut self, std_errors: Vec<f64>) -> Result<Self> {
        same_len(
            "standard errors (one per merchant)",
            self.len(),
            std_errors.len(),
        )?;
        if let Some(m) = std_errors
            .iter()
            .position(|s| !(*s >= 0.0 && s.is_finite()))
        {
            return Err(OutcomeError::InvalidValue {
                what: "standard error",
                merchant: self.merchants[m].clone(),
                range: "finite and >= 0",
                value: std_errors[m],
            }
            .into());
        }
        self.std_errors = Some(std_errors);
        Ok(self)
    }

    /// The period's label.
    pub fn period(&self) -> &str {
        &self.period
    }

    /// The model the board was scored with.
    pub fn outline(&self) -> &ModelOutline {
        &self.outline
    }

    /// Number of merchants on the board.
    pub fn len(&self) -> usize {
        self.merchants.len()
    }

    /// `true` when no merchant is on the board.
    pub fn is_empty(&self) -> bool {
        self.merchants.is_empty()
    }

    /// The merchants' ids, in board order.
    pub fn merchants(&self) -> &[String] {
        &self.merchants
    }

    /// The shared list of ids (rankings keep it without copying).
    pub(crate) fn merchants_shared(&self) -> Arc<Vec<String>> {
        Arc::clone(&self.merchants)
    }

    /// The position of a merchant on the board.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.merchants.iter().position(|m| m == id)
    }

    /// Each merchant's sample size.
    pub fn samples(&self) -> &[u32] {
        &self.samples
    }

    /// Each merchant's overall (maximum-membership) grade index.
    pub fn grades(&self) -> &[u32] {
        &self.grades
    }

    /// The standard errors of the overall scores, when given.
    pub fn std_errors(&self) -> Option<&[f64]> {
        self.std_errors.as_deref()
    }

    /// The merchants that could not be scored (left off the board).
    pub fn unscored(&self) -> &[String] {
        &self.unscored
    }

    /// `true` when the board holds every node's score (not only the goal's).
    pub fn holds_every_node(&self) -> bool {
        self.held.len() == self.outline.nodes.len()
    }

    /// The overall score of merchant `m` (board order).
    ///
    /// # Panics
    ///
    /// When `m >= len()`.
    pub fn score(&self, m: usize) -> f64 {
        self.scores[m * self.held.len()]
    }

    /// The overall scores, one per merchant, board order.
    pub fn overall_scores(&self) -> Vec<f64> {
        self.scores
            .iter()
            .step_by(self.held.len())
            .copied()
            .collect()
    }

    /// The score of node `id` for merchant `m`, `None` when the node was not evaluated for
    /// that merchant (or `m` is out of range).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::UnknownNode`] for an id the model does not have,
    /// [`OutcomeError::NodeNotHeld`] for a node the board does not hold.
    pub fn node_score(&self, m: usize, id: &str) -> Result<Option<f64>> {
        let column = self.column_of(id)?;
        Ok(self.at(m, column))
    }

    /// The column (position in the held nodes) of node `id`.
    pub(crate) fn column_of(&self, id: &str) -> Result<usize> {
        let node = self.outline.require(id, "the request")?;
        self.column_of_index(node)
    }

    /// The column of the node with preorder index `node`.
    pub(crate) fn column_of_index(&self, node: usize) -> Result<usize> {
        self.held.iter().position(|&h| h == node).ok_or_else(|| {
            OutcomeError::NodeNotHeld {
                id: self.outline.nodes[node].id.clone(),
            }
            .into()
        })
    }

    /// The score in `column` for merchant `m`, `None` when not evaluated.
    pub(crate) fn at(&self, m: usize, column: usize) -> Option<f64> {
        self.scores
            .get(m * self.held.len() + column)
            .copied()
            .filter(|s| !s.is_nan())
    }

    /// The raw score in `column` for merchant `m` (NaN when not evaluated).
    pub(crate) fn raw(&self, m: usize, column: usize) -> f64 {
        self.scores[m * self.held.len() + column]
    }

    /// The preorder indices of the nodes held.
    pub(crate) fn held(&self) -> &[usize] {
        &self.held
    }
}

fn failed_set(failures: &[MerchantError]) -> HashSet<usize> {
    failures.iter().map(|f| f.merchant).collect()
}

#[cfg(feature = "serde")]
mod stored {
    //! The versioned JSON form of a scoreboard.

    use super::*;
    use crate::report::check_schema;

    /// The name of the scoreboard schema (the `"schema"` field).
    pub const SCOREBOARD_SCHEMA: &str = "service-quality/scoreboard";
    /// The version of the scoreboard schema this crate writes and reads.
    pub const SCOREBOARD_SCHEMA_VERSION: u32 = 1;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct StoredMerchant {
        id: String,
        n: u32,
        grade: u32,
        scores: Vec<Option<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        std_error: Option<f64>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct StoredBoard {
        schema: String,
        schema_version: u32,
        period: String,
        model: ModelOutline,
        held: Vec<String>,
        merchants: Vec<StoredMerchant>,
        unscored: Vec<String>,
    }

    fn malformed(problem: String) -> crate::Error {
        OutcomeError::MalformedDocument {
            kind: "scoreboard",
            problem,
        }
        .into()
    }

    impl Scoreboard {
        fn stored(&self) -> StoredBoard {
            let h = self.held.len();
            StoredBoard {
                schema: SCOREBOARD_SCHEMA.to_owned(),
                schema_version: SCOREBOARD_SCHEMA_VERSION,
                period: self.period.clone(),
                model: (*self.outline).clone(),
                held: self
                    .held
                    .iter()
                    .map(|&i| self.outline.nodes[i].id.clone())
                    .collect(),
                merchants: (0..self.len())
                    .map(|m| StoredMerchant {
                        id: self.merchants[m].clone(),
                        n: self.samples[m],
                        grade: self.grades[m],
                        scores: (0..h).map(|c| self.at(m, c)).collect(),
                        std_error: self.std_errors.as_ref().map(|s| s[m]),
                    })
                    .collect(),
                unscored: self.unscored.clone(),
            }
        }

        /// The board as JSON in the versioned scoreboard schema:
        ///
        /// ```text
        /// {
        ///   "schema": "service-quality/scoreboard", "schema_version": 1,
        ///   "period": "2024-Q1",
        ///   "model": {"nodes": [{"id", "label": {"en", "zh"}, "parent", "depth", "leaf",
        ///                        "weight"}, ...],                      preorder
        ///             "grades": [{"label", "label_zh", "value"}, ...]},
        ///   "held": ["after_sales", "speed", ...],                    nodes with scores
        ///   "merchants": [{"id", "n", "grade", "scores": [95.0, null, ...],
        ///                  "std_error"}, ...],                        null = not evaluated
        ///   "unscored": ["shop-x", ...]
        /// }
        /// ```
        pub fn to_json(&self) -> String {
            // only strings, integers and finite numbers (None for NaN): always serialises
            serde_json::to_string(&self.stored()).unwrap_or_default()
        }

        /// Reads a board written by [`to_json`](Self::to_json).
        ///
        /// # Errors
        ///
        /// [`OutcomeError::SchemaVersion`] for another version,
        /// [`OutcomeError::MalformedDocument`] for JSON that is not a scoreboard or is
        /// inconsistent (a held node not in the model, a row of the wrong length, a missing
        /// goal score), and the errors of the constructors (duplicate ids, grade indices out
        /// of range).
        pub fn from_json(text: &str) -> Result<Self> {
            let raw: StoredBoard =
                serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
            Self::try_from(raw)
        }
    }

    impl TryFrom<StoredBoard> for Scoreboard {
        type Error = crate::Error;

        fn try_from(raw: StoredBoard) -> Result<Self> {
            check_schema(
                "scoreboard",
                (&raw.schema, raw.schema_version),
                (SCOREBOARD_SCHEMA, SCOREBOARD_SCHEMA_VERSION),
            )?;
            check_outline(&raw.model)?;
            let mut held = Vec::with_capacity(raw.held.len());
            for id in &raw.held {
                held.push(raw.model.require(id, "the scoreboard's held nodes")?);
            }
            if held.first() != Some(&0) || held.windows(2).any(|w| w[0] >= w[1]) {
                return Err(malformed(
                    "held nodes must start with the goal and follow the preorder".to_owned(),
                ));
            }
            let with_se = raw.merchants.first().is_some_and(|m| m.std_error.is_some());
            let mut board = Scoreboard::empty(raw.period, raw.model, held);
            let mut std_errors = Vec::new();
            for m in raw.merchants {
                if m.scores.len() != board.held.len() {
                    return Err(malformed(format!(
                        "merchant `{}` has {} scores for {} held nodes",
                        m.id,
                        m.scores.len(),
                        board.held.len()
                    )));
                }
                if m.std_error.is_some() != with_se {
                    return Err(malformed(format!(
                        "merchant `{}`: standard errors must be given for all merchants or none",
                        m.id
                    )));
                }
                board
                    .scores
                    .extend(m.scores.iter().map(|s| s.unwrap_or(f64::NAN)));
                std_errors.extend(m.std_error);
                Arc::make_mut(&mut board.merchants).push(m.id);
                board.samples.push(m.n);
                board.grades.push(m.grade);
            }
            board.unscored = raw.unscored;
            board.validate()?;
            if with_se {
                board = board.with_std_errors(std_errors)?;
            }
            Ok(board)
        }
    }

    /// A stored outline is a preorder tree: the goal first, each parent before its children
    /// and one level up, ids unique, weights in `[0, 1]`.
    fn check_outline(model: &ModelOutline) -> Result<()> {
        let mut ids = HashSet::new();
        for (i, n) in model.nodes.iter().enumerate() {
            let parent_ok = match n.parent {
                None => i == 0 && n.depth == 0,
                Some(p) => p < i && model.nodes[p].depth + 1 == n.depth && !model.nodes[p].leaf,
            };
            if !parent_ok || !ids.insert(n.id.as_str()) || !(0.0..=1.0).contains(&n.weight) {
                return Err(malformed(format!(
                    "model node `{}`: parent, depth, id or weight is inconsistent",
                    n.id
                )));
            }
        }
        if model.nodes.is_empty() {
            return Err(malformed("the model has no nodes".to_owned()));
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
pub use stored::{SCOREBOARD_SCHEMA, SCOREBOARD_SCHEMA_VERSION};
