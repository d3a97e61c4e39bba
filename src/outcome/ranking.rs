//! `Ranking`: merchants ordered by the overall score or any node's score, ties explicit.

use std::sync::Arc;

use crate::batch::BatchScores;
use crate::error::{OutcomeError, Result};
use crate::model::language::Language;
use crate::outcome::checks::finite_scores;
use crate::outcome::scoreboard::Scoreboard;
use crate::report::{Align, Cell, Column, EvaluationReport, Table, Text};

/// How equal scores share ranks.
///
/// Scores are equal when they are the same `f64` (two merchants with the same answers get the
/// same score bit for bit; round scores first to treat nearly equal ones as tied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TieRule {
    /// Standard competition ranking, "1-2-2-4": tied merchants share the best rank of their
    /// group and the next rank skips (the default).
    #[default]
    Competition,
    /// Dense ranking, "1-2-2-3": tied merchants share a rank and the next rank follows on.
    Dense,
}

/// What to rank by and how.
///
/// `RankOptions::new()` ranks by the overall score with competition ties and no minimum
/// sample size.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct RankOptions {
    node: Option<String>,
    ties: TieRule,
    min_sample: u32,
}

impl RankOptions {
    /// The overall score, [`TieRule::Competition`], no minimum sample size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ranks by the score of node `id` (a dimension or an indicator) instead of the overall
    /// score; merchants for whom the node was not evaluated are not ranked.
    pub fn with_node(mut self, id: impl Into<String>) -> Self {
        self.node = Some(id.into());
        self
    }

    /// How ties share ranks (default [`TieRule::Competition`]).
    pub fn with_ties(mut self, ties: TieRule) -> Self {
        self.ties = ties;
        self
    }

    /// Merchants with a sample size below `min_sample` are not ranked (default 0: everyone
    /// is); tiers put them in the insufficient-data tier.
    pub fn with_min_sample(mut self, min_sample: u32) -> Self {
        self.min_sample = min_sample;
        self
    }

    /// The node ranked by (`None`: the overall score).
    pub fn node(&self) -> Option<&str> {
        self.node.as_deref()
    }

    /// The tie rule.
    pub fn ties(&self) -> TieRule {
        self.ties
    }

    /// The minimum sample size.
    pub fn min_sample(&self) -> u32 {
        self.min_sample
    }
}

/// Merchants ranked best first.
///
/// A ranking is a permutation of the ranked merchants; merchants not ranked (a node not
/// evaluated for them, too small a sample, a failed batch merchant) have no rank. Equal
/// scores are ordered by their position in the input and share a rank by the [`TieRule`].
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{Ranking, TieRule};
///
/// let ranking = Ranking::by_scores(&[80.0, 90.0, 80.0, 70.0], TieRule::Competition)?;
/// assert_eq!(ranking.order(), &[1, 0, 2, 3]);
/// assert_eq!((0..4).map(|m| ranking.rank(m)).collect::<Vec<_>>(),
///            vec![Some(2), Some(1), Some(2), Some(4)]);
/// let dense = Ranking::by_scores(&[80.0, 90.0, 80.0, 70.0], TieRule::Dense)?;
/// assert_eq!(dense.rank(3), Some(3));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    node: Option<Text>,
    ties: TieRule,
    ids: Option<Arc<Vec<String>>>,
    scores: Vec<f64>,
    order: Vec<u32>,
    /// Rank per merchant, 0 for not ranked.
    ranks: Vec<u32>,
}

impl Ranking {
    /// Ranks plain scores (merchant `i` is `scores[i]`), every merchant ranked.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidValue`] for a score that is NaN or infinite (naming its index).
    pub fn by_scores(scores: &[f64], ties: TieRule) -> Result<Self> {
        finite_scores(scores)?;
        Ok(Self::build(scores.to_vec(), None, None, ties))
    }

    /// Ranks a batch's scores; the merchants in `scores.failures` are not ranked.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidValue`] for a scored merchant whose score is not finite (the
    /// index among the scored merchants).
    pub fn of_batch(scores: &BatchScores, ties: TieRule) -> Result<Self> {
        let mut values = scores.scores.clone();
        for f in &scores.failures {
            if let Some(v) = values.get_mut(f.merchant) {
                *v = f64::NAN;
            }
        }
        let scored: Vec<f64> = values.iter().copied().filter(|s| !s.is_nan()).collect();
        finite_scores(&scored)?;
        Ok(Self::build(values, None, None, ties))
    }

    /// Ranks the merchants of a board.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::UnknownNode`] / [`OutcomeError::NodeNotHeld`] for a node the model
    /// does not have or the board does not hold.
    pub fn of(board: &Scoreboard, options: &RankOptions) -> Result<Self> {
        let (column, label) = match options.node() {
            Some(id) => {
                let column = board.column_of(id)?;
                let node = &board.outline().nodes()[board.held()[column]];
                (column, Some(node.label().clone()))
            }
            None => (0, None),
        };
        let min = options.min_sample;
        let scores = (0..board.len())
            .map(|m| {
                if board.samples()[m] < min {
                    f64::NAN
                } else {
                    board.raw(m, column)
                }
            })
            .collect();
        Ok(Self::build(
            scores,
            Some(board.merchants_shared()),
            label,
            options.ties,
        ))
    }

    /// Ranks reports (for example those of `evaluate_csv`) without building a board first:
    /// by the overall score or the score of `options.node()`; a report in which that node
    /// was not evaluated is not ranked.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::UnknownNode`] when no report has the node asked for.
    pub fn of_reports(reports: &[EvaluationReport], options: &RankOptions) -> Result<Self> {
        let mut label = None;
        let scores: Vec<f64> = reports
            .iter()
            .map(|r| {
                let line = match options.node() {
                    Some(id) => r.node(id),
                    None => Some(r.overall()),
                };
                match line {
                    Some(l) if r.sample_size() >= options.min_sample as usize => {
                        if options.node.is_some() && label.is_none() {
                            label = Some(Text::with_optional_zh(l.label(), l.label_zh()));
                        }
                        l.score()
                    }
                    _ => f64::NAN,
                }
            })
            .collect();
        if let (Some(id), None) = (options.node(), &label) {
            if !reports.iter().any(|r| r.node(id).is_some()) {
                return Err(OutcomeError::UnknownNode {
                    id: id.to_owned(),
                    context: "the ranking".to_owned(),
                }
                .into());
            }
        }
        let ids = reports.iter().map(|r| r.merchant().to_owned()).collect();
        Ok(Self::build(
            scores,
            Some(Arc::new(ids)),
            label,
            options.ties,
        ))
    }

    /// Sorts and ranks; NaN scores are not ranked.
    fn build(
        scores: Vec<f64>,
        ids: Option<Arc<Vec<String>>>,
        node: Option<Text>,
        ties: TieRule,
    ) -> Self {
        // sort keys: the score's bits mapped to an unsigned order, best first, then the
        // index (equal scores keep input order); plain integer keys sort fastest
        let mut keyed: Vec<(u64, u32)> = (0..scores.len())
            .filter(|&i| !scores[i].is_nan())
            .map(|i| (!ordered_bits(scores[i]), i as u32))
            .collect();
        keyed.sort_unstable();
        let order: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
        let mut ranks = vec![0u32; scores.len()];
        let mut rank = 0u32;
        let mut previous = f64::NAN;
        for (position, &m) in order.iter().enumerate() {
            let s = scores[m as usize];
            // `!=` on assigned scores: exact ties by definition (see `TieRule`)
            #[allow(clippy::float_cmp)]
            if position == 0 || s != previous {
                rank = match ties {
                    TieRule::Competition => position as u32 + 1,
                    TieRule::Dense => rank + 1,
                };
                previous = s;
            }
            ranks[m as usize] = rank;
        }
        Self {
            node,
            ties,
            ids,
            scores,
            order,
            ranks,
        }
    }

    /// The ranked merchants' indices (board or input order), best first.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// The rank of merchant `m` (1 = best), `None` when it is not ranked.
    pub fn rank(&self, m: usize) -> Option<u32> {
        self.ranks.get(m).copied().filter(|&r| r > 0)
    }

    /// Number of merchants ranked.
    pub fn ranked(&self) -> usize {
        self.order.len()
    }

    /// The score merchant `m` was ranked by, `None` when it is not ranked.
    pub fn score(&self, m: usize) -> Option<f64> {
        self.scores.get(m).copied().filter(|s| !s.is_nan())
    }

    /// The merchants' ids, when the ranking was made from a board or reports.
    pub fn ids(&self) -> Option<&[String]> {
        self.ids.as_deref().map(Vec::as_slice)
    }

    /// The tie rule used.
    pub fn ties(&self) -> TieRule {
        self.ties
    }

    /// The ranking as a bilingual table (print it with [`Table::text`], [`Table::markdown`],
    /// [`Table::csv`] or [`Table::json`] in a [`Language`](crate::Language)): rank,
    /// merchant, score, best first.
    pub fn table(&self) -> Result<Table> {
        self.table_with(&[])
    }

    /// The ranking table with extra columns, each a header and one cell per merchant (input
    /// order), for example the tier ([`TierAssignment::column`](crate::outcome::TierAssignment::column)).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when an extra
    /// column does not hold one cell per merchant.
    pub fn table_with(&self, extra: &[(Column, Vec<Cell>)]) -> Result<Table> {
        let score_header = match &self.node {
            Some(label) => Text::bilingual(
                format!("Score: {}", label.get(Language::En)),
                format!("得分：{}", label.get(Language::Zh)),
            ),
            None => Text::bilingual("Score", "得分"),
        };
        let mut columns = vec![
            Column::new(Text::bilingual("Rank", "排名"), Align::Right),
            Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
            Column::new(score_header, Align::Right),
        ];
        for (column, cells) in extra {
            if cells.len() != self.scores.len() {
                return Err(crate::error::ArgumentError::LengthMismatch {
                    what: "extra ranking column (one cell per merchant)",
                    expected: self.scores.len(),
                    found: cells.len(),
                }
                .into());
            }
            columns.push(column.clone());
        }
        let title = match self.ties {
            TieRule::Competition => Text::bilingual(
                "Ranking (ties share a rank, 1-2-2-4)",
                "排名（并列同名次，1-2-2-4）",
            ),
            TieRule::Dense => Text::bilingual(
                "Ranking (ties share a rank, 1-2-2-3)",
                "排名（并列同名次，1-2-2-3）",
            ),
        };
        let mut table = Table::new(title, columns)?;
        for &m in &self.order {
            let m = m as usize;
            let id = match &self.ids {
                Some(ids) => ids[m].clone(),
                None => m.to_string(),
            };
            let mut row = vec![
                Cell::count(self.ranks[m] as usize),
                Cell::text(id),
                Cell::number(self.scores[m], 2),
            ];
            row.extend(extra.iter().map(|(_, cells)| cells[m].clone()));
            table.push_row(row)?;
        }
        let unranked = self.scores.len() - self.order.len();
        if unranked > 0 {
            table.push_note(Text::bilingual(
                format!("{unranked} merchant(s) not ranked (no score for this node, or too few answers)."),
                format!("{unranked} 家商家未参与排名（该节点无得分或样本不足）。"),
            ));
        }
        Ok(table)
    }
}

/// The bits of a finite `f64` as a `u64` that sorts like the number (negative numbers with
/// all bits flipped, others with the sign bit set).
fn ordered_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}
