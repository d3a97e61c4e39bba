//! The public card of a merchant: score, grade, dimension scores, sample size, interval.

use crate::error::{OutcomeError, Result};
use crate::outcome::interval::ScoreInterval;
use crate::outcome::ranking::Ranking;
use crate::outcome::scoreboard::Scoreboard;
use crate::outcome::tiers::TierAssignment;
use crate::report::{Align, Cell, Column, Table, Text};

/// One dimension on a card, with the platform's mean for comparison.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CardDimension {
    /// Node id.
    pub id: String,
    /// Bilingual name.
    pub name: Text,
    /// The merchant's score (`None` when not evaluated).
    pub score: Option<f64>,
    /// The mean over the board's merchants for whom it was evaluated.
    pub platform_mean: Option<f64>,
}

/// A merchant's public card (公示卡片): what a consumer sees, comparable and explainable.
///
/// Built from a board with [`MerchantCard::new`], then completed with what the platform
/// publishes: the interval, a shrunk (credibility-adjusted) score, the tier, the rank.
/// Printed as Markdown ([`table`](Self::table)), serialised as JSON (feature `serde`),
/// drawn as a radar chart (feature `charts`, [`charts::radar`](crate::outcome::charts::radar)).
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{MerchantCard, Scoreboard};
/// use service_quality::{Evaluator, GradeSet, IndicatorMemberships, IndicatorTree, Language, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed").with_label_zh("速度"),
///     NodeSpec::leaf("attitude", "Attitude").with_label_zh("态度"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
/// let mut data = IndicatorMemberships::new(evaluator.grades());
/// data.insert("speed", vec![1.0, 0.0, 0.0, 0.0, 0.0], 12, 0)?;
/// data.insert("attitude", vec![0.0, 1.0, 0.0, 0.0, 0.0], 12, 0)?;
/// let board = Scoreboard::from_reports("2024-Q1", &evaluator, &[evaluator.report("shop-a", &data)?])?;
/// let card = MerchantCard::new(&board, 0, &board.node_means())?;
/// assert_eq!(card.n(), 12);
/// let md = card.table()?.markdown(Language::Zh);
/// assert!(md.contains("速度") && md.contains("95.00"));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MerchantCard {
    merchant: String,
    period: String,
    score: f64,
    published: Option<f64>,
    grade: Text,
    n: u32,
    interval: Option<ScoreInterval>,
    tier: Option<Text>,
    rank: Option<(u32, usize)>,
    dimensions: Vec<CardDimension>,
}

impl Scoreboard {
    /// The mean score of each held node over the merchants for whom it was evaluated, in
    /// [`ModelOutline`](crate::outcome::ModelOutline) preorder (`None` for a node not held or
    /// evaluated for nobody).
    pub fn node_means(&self) -> Vec<Option<f64>> {
        let mut out = vec![None; self.outline().nodes().len()];
        for (c, &node) in self.held().iter().enumerate() {
            let (mut sum, mut count) = (0.0, 0usize);
            for m in 0..self.len() {
                if let Some(s) = self.at(m, c) {
                    sum += s;
                    count += 1;
                }
            }
            if count > 0 {
                out[node] = Some(sum / count as f64);
            }
        }
        out
    }
}

impl MerchantCard {
    /// The card of merchant `m` of `board`, its dimensions compared with `means` (from
    /// [`Scoreboard::node_means`], computed once for all cards).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] when `m` is not a merchant of the board;
    /// [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when `means`
    /// is not one per node.
    pub fn new(board: &Scoreboard, m: usize, means: &[Option<f64>]) -> Result<Self> {
        if m >= board.len() {
            return Err(OutcomeError::InvalidParameter {
                what: "merchant position",
                range: "below the number of merchants on the board",
                value: m as f64,
            }
            .into());
        }
        let outline = board.outline();
        if means.len() != outline.nodes().len() {
            return Err(crate::error::ArgumentError::LengthMismatch {
                what: "node means (one per node)",
                expected: outline.nodes().len(),
                found: means.len(),
            }
            .into());
        }
        let dimensions = outline
            .dimensions()
            .into_iter()
            .map(|d| {
                let node = &outline.nodes()[d];
                CardDimension {
                    id: node.id().to_owned(),
                    name: node.label().clone(),
                    score: board.column_of_index(d).ok().and_then(|c| board.at(m, c)),
                    platform_mean: means[d],
                }
            })
            .collect();
        let grade = outline
            .grades()
            .grade(board.grades()[m] as usize)
            .map_or_else(Text::default, |g| {
                Text::with_optional_zh(g.label(), g.label_zh())
            });
        Ok(Self {
            merchant: board.merchants()[m].clone(),
            period: board.period().to_owned(),
            score: board.score(m),
            published: None,
            grade,
            n: board.samples()[m],
            interval: None,
            tier: None,
            rank: None,
            dimensions,
        })
    }

    /// Adds the confidence interval.
    pub fn with_interval(mut self, interval: ScoreInterval) -> Self {
        self.interval = Some(interval);
        self
    }

    /// Adds the published (credibility-adjusted) score.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidValue`] for a score that is not finite.
    pub fn with_published(mut self, score: f64) -> Result<Self> {
        if !score.is_finite() {
            return Err(OutcomeError::InvalidValue {
                what: "published score",
                merchant: self.merchant.clone(),
                range: "finite",
                value: score,
            }
            .into());
        }
        self.published = Some(score);
        Ok(self)
    }

    /// Adds the tier of merchant `m` of `tiers`.
    pub fn with_tier(mut self, tiers: &TierAssignment, m: usize) -> Self {
        if m < tiers.indices().len() {
            self.tier = Some(tiers.tier(m).name());
        }
        self
    }

    /// Adds the rank of merchant `m` of `ranking` (and how many were ranked).
    pub fn with_rank(mut self, ranking: &Ranking, m: usize) -> Self {
        self.rank = ranking.rank(m).map(|r| (r, ranking.ranked()));
        self
    }

    /// The merchant.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }
    /// The period.
    pub fn period(&self) -> &str {
        &self.period
    }
    /// The overall score.
    pub fn score(&self) -> f64 {
        self.score
    }
    /// The published score, when given.
    pub fn published(&self) -> Option<f64> {
        self.published
    }
    /// The overall grade's name.
    pub fn grade(&self) -> &Text {
        &self.grade
    }
    /// The sample size.
    pub fn n(&self) -> u32 {
        self.n
    }
    /// The interval, when given.
    pub fn interval(&self) -> Option<&ScoreInterval> {
        self.interval.as_ref()
    }
    /// The dimensions.
    pub fn dimensions(&self) -> &[CardDimension] {
        &self.dimensions
    }

    /// The card as JSON.
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn to_json(&self) -> String {
        // strings and finite numbers only
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The card as a two-part table: the headline figures, then each dimension against the
    /// platform mean.
    pub fn table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual(
                format!("{} — {}", self.merchant, self.period),
                format!("{} — {}", self.merchant, self.period),
            ),
            vec![
                Column::new(Text::bilingual("Item", "项目"), Align::Left),
                Column::new(Text::bilingual("Value", "数值"), Align::Right),
                Column::new(Text::bilingual("Platform mean", "平台均值"), Align::Right),
            ],
        )?;
        let row = |label: Text, value: Cell| vec![Cell::text(label), value, Cell::Empty];
        table.push_row(row(
            Text::bilingual("Score", "综合得分"),
            Cell::number(self.score, 2),
        ))?;
        if let Some(p) = self.published {
            table.push_row(row(
                Text::bilingual(
                    "Published score (credibility-adjusted)",
                    "公示得分（可信度调整）",
                ),
                Cell::number(p, 2),
            ))?;
        }
        table.push_row(row(
            Text::bilingual("Grade", "等级"),
            Cell::text(self.grade.clone()),
        ))?;
        table.push_row(row(
            Text::bilingual("Respondents", "样本量"),
            Cell::count(self.n as usize),
        ))?;
        if let Some(ci) = &self.interval {
            let level = ci.level() * 100.0;
            table.push_row(row(
                Text::bilingual(
                    format!("{level:.0}% interval"),
                    format!("{level:.0}% 置信区间"),
                ),
                Cell::text(format!("{:.2} – {:.2}", ci.lower(), ci.upper())),
            ))?;
        }
        if let Some(tier) = &self.tier {
            table.push_row(row(
                Text::bilingual("Tier", "等级分组"),
                Cell::text(tier.clone()),
            ))?;
        }
        if let Some((rank, of)) = self.rank {
            table.push_row(row(
                Text::bilingual("Rank", "排名"),
                Cell::text(format!("{rank} / {of}")),
            ))?;
        }
        for d in &self.dimensions {
            table.push_row(vec![
                Cell::text(d.name.clone()),
                d.score.map_or(Cell::Empty, |s| Cell::number(s, 2)),
                d.platform_mean.map_or(Cell::Empty, |s| Cell::number(s, 2)),
            ])?;
        }
        Ok(table)
    }
}
