//! Tracking over periods: a history of scoreboards of one model, and period-over-period
//! comparison (score, uncertainty, rank, tier, grade, dimensions).

use std::collections::{HashMap, HashSet};

use crate::error::{OutcomeError, Result};
use crate::outcome::checks::positive;
use crate::outcome::ranking::{RankOptions, Ranking};
use crate::outcome::scoreboard::Scoreboard;
use crate::outcome::tiers::TierScheme;
use crate::report::{Align, Cell, Column, Table, Text};

/// Position of a merchant that is absent from a board.
const ABSENT: u32 = u32::MAX;

/// Scoreboards of consecutive periods, oldest first, all scored with the same model.
///
/// A merchant need not be on every board: it may join or leave. [`series`](Self::series)
/// gives `None` for the periods it is absent from, comparisons list it as entered or left,
/// and alerts that need a previous period skip it there.
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{History, Scoreboard};
/// use service_quality::{BatchScores, Evaluator, GradeSet, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed"), NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
/// let board = |period: &str, scores: Vec<f64>| {
///     let n = scores.len();
///     let batch = BatchScores { scores, grades: vec![1; n], failures: vec![] };
///     let ids = (0..n).map(|i| format!("shop-{i}")).collect();
///     Scoreboard::from_batch(period, &evaluator, ids, &batch, &vec![30; n])
/// };
/// let history = History::new(vec![board("Q1", vec![80.0, 70.0])?, board("Q2", vec![78.0, 75.0])?])?;
/// assert_eq!(history.series("shop-1"), Some(vec![Some(70.0), Some(75.0)]));
/// let comparison = history.compare(0, 1, &Default::default())?;
/// assert_eq!(comparison.rows()[1].rank_after, Some(2));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    boards: Vec<Scoreboard>,
    ids: Vec<String>,
    /// Per board, the position of each merchant of `ids` (ABSENT when not on it).
    positions: Vec<Vec<u32>>,
}

impl History {
    /// A history of `boards`, oldest first.
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::DifferentModels`] when a board was scored with another model than
    ///   the first (node ids, structure, weights or grade set differ);
    /// - [`OutcomeError::DuplicatePeriod`] for a period label used twice;
    /// - [`ArgumentError::Empty`](crate::ArgumentError::Empty) for no boards.
    pub fn new(boards: Vec<Scoreboard>) -> Result<Self> {
        let Some(first) = boards.first() else {
            return Err(crate::error::ArgumentError::Empty {
                what: "history of scoreboards",
            }
            .into());
        };
        let mut periods = HashSet::new();
        for board in &boards {
            if let Some(difference) = first.outline().difference(board.outline()) {
                return Err(OutcomeError::DifferentModels {
                    period: board.period().to_owned(),
                    reference: first.period().to_owned(),
                    difference,
                }
                .into());
            }
            if !periods.insert(board.period()) {
                return Err(OutcomeError::DuplicatePeriod {
                    period: board.period().to_owned(),
                }
                .into());
            }
        }
        let mut ids: Vec<String> = first.merchants().to_vec();
        let mut positions = Vec::with_capacity(boards.len());
        let mut lookup: Option<HashMap<String, u32>> = None;
        for board in &boards {
            if board.merchants() == ids.as_slice() {
                // the common case: the same merchants in the same order
                positions.push((0..ids.len() as u32).collect());
                continue;
            }
            let map = lookup.get_or_insert_with(|| {
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (id.clone(), i as u32))
                    .collect()
            });
            let mut pos = vec![ABSENT; ids.len()];
            for (p, id) in board.merchants().iter().enumerate() {
                let u = match map.get(id) {
                    Some(&u) => u as usize,
                    None => {
                        map.insert(id.clone(), ids.len() as u32);
                        ids.push(id.clone());
                        pos.push(ABSENT);
                        ids.len() - 1
                    }
                };
                pos[u] = p as u32;
            }
            positions.push(pos);
        }
        for pos in &mut positions {
            pos.resize(ids.len(), ABSENT);
        }
        Ok(Self {
            boards,
            ids,
            positions,
        })
    }

    /// The boards, oldest first.
    pub fn boards(&self) -> &[Scoreboard] {
        &self.boards
    }

    /// Every merchant on any board, in order of first appearance.
    pub fn merchants(&self) -> &[String] {
        &self.ids
    }

    /// The position of merchant `u` (of [`merchants`](Self::merchants)) on board `p`.
    pub(crate) fn position(&self, p: usize, u: usize) -> Option<usize> {
        match self.positions[p][u] {
            ABSENT => None,
            q => Some(q as usize),
        }
    }

    /// A merchant's overall score in every period (`None` where it is absent), or `None` for
    /// a merchant on no board.
    pub fn series(&self, id: &str) -> Option<Vec<Option<f64>>> {
        let u = self.ids.iter().position(|m| m == id)?;
        Some(self.series_of(u))
    }

    pub(crate) fn series_of(&self, u: usize) -> Vec<Option<f64>> {
        (0..self.boards.len())
            .map(|p| self.position(p, u).map(|q| self.boards[p].score(q)))
            .collect()
    }

    /// Compares board `after` with board `before` (indices into [`boards`](Self::boards)).
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::InvalidParameter`] for a board index out of range;
    /// - the errors of [`Ranking::of`] and [`TierScheme::assign`].
    pub fn compare(
        &self,
        before: usize,
        after: usize,
        options: &CompareOptions,
    ) -> Result<Comparison> {
        for p in [before, after] {
            if p >= self.boards.len() {
                return Err(OutcomeError::InvalidParameter {
                    what: "period index",
                    range: "below the number of periods",
                    value: p as f64,
                }
                .into());
            }
        }
        let (a, b) = (&self.boards[before], &self.boards[after]);
        let (rank_a, rank_b) = (
            Ranking::of(a, &options.ranking)?,
            Ranking::of(b, &options.ranking)?,
        );
        let tiers = match &options.tiers {
            Some(scheme) => Some((scheme.assign(a)?, scheme.assign(b)?)),
            None => None,
        };
        let outline = a.outline();
        let dims = outline.dimensions();
        let dim_cols: Vec<(Option<usize>, Option<usize>)> = dims
            .iter()
            .map(|&d| (a.column_of_index(d).ok(), b.column_of_index(d).ok()))
            .collect();
        let grade_name = |g: u32| {
            outline
                .grades()
                .grade(g as usize)
                .map_or_else(Text::default, |g| {
                    Text::with_optional_zh(g.label(), g.label_zh())
                })
        };
        let mut rows = Vec::new();
        let (mut entered, mut left) = (Vec::new(), Vec::new());
        for (u, id) in self.ids.iter().enumerate() {
            match (self.position(before, u), self.position(after, u)) {
                (Some(p), Some(q)) => {
                    let change = b.score(q) - a.score(p);
                    let uncertainty = match (a.std_errors(), b.std_errors()) {
                        (Some(sa), Some(sb)) => {
                            Some(options.z * (sa[p] * sa[p] + sb[q] * sb[q]).sqrt())
                        }
                        _ => None,
                    };
                    rows.push(Change {
                        merchant: id.clone(),
                        before: a.score(p),
                        after: b.score(q),
                        change,
                        uncertainty,
                        rank_before: rank_a.rank(p),
                        rank_after: rank_b.rank(q),
                        tier_before: tiers.as_ref().map(|(ta, _)| ta.tier(p).id().to_owned()),
                        tier_after: tiers.as_ref().map(|(_, tb)| tb.tier(q).id().to_owned()),
                        grade_before: grade_name(a.grades()[p]),
                        grade_after: grade_name(b.grades()[q]),
                        dimensions: dim_cols
                            .iter()
                            .map(|&(ca, cb)| match (ca, cb) {
                                (Some(ca), Some(cb)) => Some((a.at(p, ca)?, b.at(q, cb)?)),
                                _ => None,
                            })
                            .map(|pair| pair.map(|(x, y)| y - x))
                            .collect(),
                    });
                }
                (None, Some(_)) => entered.push(id.clone()),
                (Some(_), None) => left.push(id.clone()),
                (None, None) => {}
            }
        }
        Ok(Comparison {
            before: a.period().to_owned(),
            after: b.period().to_owned(),
            dimensions: dims
                .iter()
                .map(|&d| outline.nodes()[d].label().clone())
                .collect(),
            rows,
            entered,
            left,
        })
    }
}

/// How to compare two periods.
///
/// `CompareOptions::default()`: ranks by the overall score with competition ties, no tiers,
/// `z = 1.96` (a 95 % two-sided test of the change when both boards carry standard errors).
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    ranking: RankOptions,
    tiers: Option<TierScheme>,
    z: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            ranking: RankOptions::new(),
            tiers: None,
            z: 1.96,
        }
    }
}

impl CompareOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// How ranks are computed in each period.
    pub fn with_ranking(mut self, ranking: RankOptions) -> Self {
        self.ranking = ranking;
        self
    }

    /// Tiers to compare.
    pub fn with_tiers(mut self, tiers: TierScheme) -> Self {
        self.tiers = Some(tiers);
        self
    }

    /// The critical value a change must exceed, in standard errors of the difference
    /// `sqrt(se_before² + se_after²)` (default 1.96).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for `z` not finite and `> 0`.
    pub fn with_z(mut self, z: f64) -> Result<Self> {
        self.z = positive("z", z)?;
        Ok(self)
    }
}

/// One merchant's change between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The merchant.
    pub merchant: String,
    /// Overall score before.
    pub before: f64,
    /// Overall score after.
    pub after: f64,
    /// `after - before`.
    pub change: f64,
    /// `z sqrt(se_before² + se_after²)`, when both boards carry standard errors.
    pub uncertainty: Option<f64>,
    /// Rank before (`None`: not ranked).
    pub rank_before: Option<u32>,
    /// Rank after.
    pub rank_after: Option<u32>,
    /// Tier id before (when tiers were given).
    pub tier_before: Option<String>,
    /// Tier id after.
    pub tier_after: Option<String>,
    /// Overall grade before.
    pub grade_before: Text,
    /// Overall grade after.
    pub grade_after: Text,
    /// Change of each dimension (`None` where it was not evaluated in both periods).
    pub dimensions: Vec<Option<f64>>,
}

impl Change {
    /// `Some(true)` when the change exceeds its uncertainty, `None` when there is none.
    pub fn exceeds_uncertainty(&self) -> Option<bool> {
        self.uncertainty.map(|u| self.change.abs() > u)
    }
}

/// The comparison of two periods ([`History::compare`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    before: String,
    after: String,
    dimensions: Vec<Text>,
    rows: Vec<Change>,
    entered: Vec<String>,
    left: Vec<String>,
}

impl Comparison {
    /// The merchants on both boards.
    pub fn rows(&self) -> &[Change] {
        &self.rows
    }
    /// Merchants on the later board only.
    pub fn entered(&self) -> &[String] {
        &self.entered
    }
    /// Merchants on the earlier board only.
    pub fn left(&self) -> &[String] {
        &self.left
    }

    /// The comparison as a table, one row per merchant on both boards.
    pub fn table(&self) -> Result<Table> {
        let arrow = |a: Option<String>, b: Option<String>| match (a, b) {
            (None, None) => Cell::Empty,
            (a, b) => Cell::text(format!(
                "{} → {}",
                a.unwrap_or_else(|| "–".into()),
                b.unwrap_or_else(|| "–".into())
            )),
        };
        let mut columns = vec![
            Column::new(Text::bilingual("Merchant", "商家"), Align::Left),
            Column::new(Text::new(self.before.as_str()), Align::Right),
            Column::new(Text::new(self.after.as_str()), Align::Right),
            Column::new(Text::bilingual("Change", "变化"), Align::Right),
            Column::new(
                Text::bilingual("Beyond uncertainty", "超出不确定性"),
                Align::Left,
            ),
            Column::new(Text::bilingual("Rank", "排名"), Align::Left),
            Column::new(Text::bilingual("Tier", "分级"), Align::Left),
            Column::new(Text::bilingual("Grade", "等级"), Align::Left),
        ];
        for d in &self.dimensions {
            columns.push(Column::new(
                Text::bilingual(
                    format!("Δ {}", d.get(crate::Language::En)),
                    format!("Δ {}", d.get(crate::Language::Zh)),
                ),
                Align::Right,
            ));
        }
        let mut table = Table::new(
            Text::bilingual(
                format!("Period comparison: {} → {}", self.before, self.after),
                format!("期间对比：{} → {}", self.before, self.after),
            ),
            columns,
        )?;
        for r in &self.rows {
            let beyond = match r.exceeds_uncertainty() {
                Some(true) => Cell::text(Text::bilingual("yes", "是")),
                Some(false) => Cell::text(Text::bilingual("no", "否")),
                None => Cell::Empty,
            };
            let grade = Text::bilingual(
                format!(
                    "{} → {}",
                    r.grade_before.get(crate::Language::En),
                    r.grade_after.get(crate::Language::En)
                ),
                format!(
                    "{} → {}",
                    r.grade_before.get(crate::Language::Zh),
                    r.grade_after.get(crate::Language::Zh)
                ),
            );
            let mut row = vec![
                Cell::text(r.merchant.as_str()),
                Cell::number(r.before, 2),
                Cell::number(r.after, 2),
                Cell::number(r.change, 2),
                beyond,
                arrow(
                    r.rank_before.map(|x| x.to_string()),
                    r.rank_after.map(|x| x.to_string()),
                ),
                arrow(r.tier_before.clone(), r.tier_after.clone()),
                Cell::text(grade),
            ];
            row.extend(
                r.dimensions
                    .iter()
                    .map(|d| d.map_or(Cell::Empty, |x| Cell::number(x, 2))),
            );
            table.push_row(row)?;
        }
        if !self.entered.is_empty() {
            table.push_note(Text::bilingual(
                format!("New in {}: {}", self.after, self.entered.join(", ")),
                format!("{} 新增：{}", self.after, self.entered.join("、")),
            ));
        }
        if !self.left.is_empty() {
            table.push_note(Text::bilingual(
                format!("Not in {}: {}", self.after, self.left.join(", ")),
                format!("{} 缺失：{}", self.after, self.left.join("、")),
            ));
        }
        Ok(table)
    }
}
