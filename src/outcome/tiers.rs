//! Reward and penalty tiers: by score thresholds, by quantiles or by grade, with an
//! insufficient-data tier.

use crate::error::{OutcomeError, Result};
use crate::outcome::checks::{finite_scores, same_len};
use crate::outcome::quantile::quantile_unchecked;
use crate::outcome::scoreboard::Scoreboard;
use crate::report::{Align, Cell, Column, Table, Text};

/// What tiers are decided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TierBasis {
    /// Score thresholds: a merchant is in the first tier whose `at_least` its overall score
    /// reaches (the last tier takes the rest).
    Score,
    /// Quantiles of the overall scores of the merchants with enough data: a tier's
    /// `at_least` is a probability `p` and its cut point the `p`-quantile by linear
    /// interpolation ([`quantile`](crate::outcome::quantile), numpy's default); "top 10 %"
    /// is `at_least: 0.9`. Merchants tied at a cut all reach it, so a tier may hold a few
    /// more merchants than its share.
    Quantile,
    /// The overall maximum-membership grade: each tier lists the grade labels it takes.
    Grade,
}

/// One tier: an id, a bilingual name and what puts a merchant in it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Tier {
    id: String,
    label: String,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    label_zh: Option<String>,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    at_least: Option<f64>,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    grades: Vec<String>,
}

impl Tier {
    /// A tier with an id and an English name.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            label_zh: None,
            at_least: None,
            grades: Vec::new(),
        }
    }

    /// Adds the Chinese name.
    pub fn with_label_zh(mut self, label_zh: impl Into<String>) -> Self {
        self.label_zh = Some(label_zh.into());
        self
    }

    /// The tier's cut: a score ([`TierBasis::Score`]) or a probability
    /// ([`TierBasis::Quantile`]); checked by [`TierScheme::new`].
    pub fn at_least(mut self, cut: f64) -> Self {
        self.at_least = Some(cut);
        self
    }

    /// The grade labels the tier takes ([`TierBasis::Grade`]).
    pub fn with_grades<S: Into<String>>(mut self, grades: impl IntoIterator<Item = S>) -> Self {
        self.grades = grades.into_iter().map(Into::into).collect();
        self
    }

    /// The id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The bilingual name.
    pub fn name(&self) -> Text {
        Text::with_optional_zh(&self.label, self.label_zh.as_deref())
    }

    /// The cut, when the tier has one.
    pub fn cut(&self) -> Option<f64> {
        self.at_least
    }

    /// The grade labels of a grade tier.
    pub fn grade_labels(&self) -> &[String] {
        &self.grades
    }
}

/// Tiers for reward and penalty, best first, and the insufficient-data tier.
///
/// Declared with [`TierScheme::new`] or read from JSON (in a model file's `"outcome"`
/// section, see [`OutcomeRules`](crate::outcome::OutcomeRules)):
///
/// ```json
/// {"basis": "quantile", "min_sample": 30,
///  "tiers": [{"id": "A", "label": "Excellent", "label_zh": "优秀", "at_least": 0.9},
///            {"id": "B", "label": "Good", "label_zh": "良好", "at_least": 0.5},
///            {"id": "C", "label": "Fair", "label_zh": "一般", "at_least": 0.05},
///            {"id": "D", "label": "Rectify", "label_zh": "整改"}]}
/// ```
///
/// A merchant whose sample size is below `min_sample` goes to the insufficient-data tier
/// (id `insufficient`, "Insufficient data" / "样本不足") whatever its score, and is left out of
/// the quantiles.
///
/// Tiers partition the merchants; with score or quantile tiers a merchant's tier never
/// improves when only its own score drops.
///
/// # Examples
///
/// ```
/// use service_quality::outcome::{Tier, TierBasis, TierScheme};
///
/// let scheme = TierScheme::new(TierBasis::Score, vec![
///     Tier::new("A", "Excellent").with_label_zh("优秀").at_least(90.0),
///     Tier::new("B", "Good").at_least(80.0),
///     Tier::new("C", "Rectify"),
/// ])?.with_min_sample(10);
/// let tiers = scheme.assign_scores(&[95.0, 90.0, 85.0, 40.0, 99.0], &[20, 20, 20, 20, 3])?;
/// let ids: Vec<&str> = (0..5).map(|m| tiers.tier(m).id()).collect();
/// assert_eq!(ids, ["A", "A", "B", "C", "insufficient"]);
/// // unordered thresholds are refused
/// assert!(TierScheme::new(TierBasis::Score, vec![
///     Tier::new("A", "A").at_least(80.0), Tier::new("B", "B").at_least(90.0), Tier::new("C", "C"),
/// ]).is_err());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "RawTierScheme", into = "RawTierScheme")
)]
pub struct TierScheme {
    basis: TierBasis,
    tiers: Vec<Tier>,
    min_sample: u32,
    insufficient: Tier,
}

/// The unchecked, stored form of a [`TierScheme`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct RawTierScheme {
    basis: TierBasis,
    tiers: Vec<Tier>,
    #[cfg_attr(feature = "serde", serde(default))]
    min_sample: u32,
    #[cfg_attr(feature = "serde", serde(default = "insufficient_tier"))]
    insufficient: Tier,
}

fn insufficient_tier() -> Tier {
    Tier::new("insufficient", "Insufficient data").with_label_zh("样本不足")
}

impl TryFrom<RawTierScheme> for TierScheme {
    type Error = crate::Error;

    fn try_from(raw: RawTierScheme) -> Result<Self> {
        let mut scheme = Self::new(raw.basis, raw.tiers)?.with_min_sample(raw.min_sample);
        scheme.insufficient = raw.insufficient;
        scheme.check_ids()?;
        Ok(scheme)
    }
}

impl From<TierScheme> for RawTierScheme {
    fn from(s: TierScheme) -> Self {
        Self {
            basis: s.basis,
            tiers: s.tiers,
            min_sample: s.min_sample,
            insufficient: s.insufficient,
        }
    }
}

fn cut_error(tier: &Tier, problem: &'static str) -> crate::Error {
    OutcomeError::TierCut {
        tier: tier.id.clone(),
        problem,
        value: tier.at_least.unwrap_or(f64::NAN),
    }
    .into()
}

impl TierScheme {
    /// Tiers best first on `basis`, with no minimum sample size.
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::NoTiers`] for no tiers;
    /// - [`OutcomeError::DuplicateTier`] for an id used twice (or `insufficient`);
    /// - [`OutcomeError::TierCut`] for score or quantile tiers: a tier but the last without
    ///   a cut, the last with one, a cut not finite (a probability outside `(0, 1)`), or a
    ///   cut not strictly below the one before (overlapping or unordered thresholds); for
    ///   grade tiers: a cut given, or a tier without grades. Grade labels are checked
    ///   against the grade set when tiers are assigned.
    pub fn new(basis: TierBasis, tiers: Vec<Tier>) -> Result<Self> {
        let Some(last) = tiers.last() else {
            return Err(OutcomeError::NoTiers.into());
        };
        match basis {
            TierBasis::Score | TierBasis::Quantile => {
                if last.at_least.is_some() {
                    return Err(cut_error(
                        last,
                        "the last tier takes the rest and has no cut",
                    ));
                }
                let mut previous = f64::INFINITY;
                for tier in &tiers[..tiers.len() - 1] {
                    let Some(cut) = tier.at_least else {
                        return Err(cut_error(tier, "every tier but the last needs a cut"));
                    };
                    let in_range = match basis {
                        TierBasis::Quantile => cut > 0.0 && cut < 1.0,
                        _ => cut.is_finite(),
                    };
                    if !in_range {
                        return Err(cut_error(
                            tier,
                            "a cut must be finite (a quantile's probability in (0, 1))",
                        ));
                    }
                    if !(cut < previous) {
                        return Err(cut_error(
                            tier,
                            "cuts must decrease strictly from the best tier down",
                        ));
                    }
                    previous = cut;
                }
            }
            TierBasis::Grade => {
                for tier in &tiers {
                    if tier.at_least.is_some() {
                        return Err(cut_error(tier, "grade tiers take grades, not cuts"));
                    }
                    if tier.grades.is_empty() {
                        return Err(OutcomeError::GradeTier {
                            grade: tier.id.clone(),
                            problem: "(a tier) lists no grades",
                        }
                        .into());
                    }
                }
            }
        }
        let scheme = Self {
            basis,
            tiers,
            min_sample: 0,
            insufficient: insufficient_tier(),
        };
        scheme.check_ids()?;
        Ok(scheme)
    }

    fn check_ids(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for tier in self.tiers.iter().chain([&self.insufficient]) {
            if !seen.insert(tier.id.as_str()) {
                return Err(OutcomeError::DuplicateTier {
                    tier: tier.id.clone(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// Merchants with a sample size below `min_sample` go to the insufficient-data tier
    /// (default 0: none does).
    pub fn with_min_sample(mut self, min_sample: u32) -> Self {
        self.min_sample = min_sample;
        self
    }

    /// The basis.
    pub fn basis(&self) -> TierBasis {
        self.basis
    }

    /// The tiers, best first (without the insufficient-data tier).
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The insufficient-data tier.
    pub fn insufficient(&self) -> &Tier {
        &self.insufficient
    }

    /// The minimum sample size.
    pub fn min_sample(&self) -> u32 {
        self.min_sample
    }

    /// Assigns the merchants of a board to tiers (by the overall score or grade).
    ///
    /// # Errors
    ///
    /// [`OutcomeError::GradeTier`] for grade tiers naming a grade the board's grade set does
    /// not have, one grade in two tiers, or a grade in none.
    pub fn assign(&self, board: &Scoreboard) -> Result<TierAssignment> {
        if self.basis == TierBasis::Grade {
            let map = self.grade_map(board.outline().grades())?;
            let tiers = (0..board.len())
                .map(|m| {
                    if board.samples()[m] < self.min_sample {
                        self.tiers.len() as u16
                    } else {
                        map[board.grades()[m] as usize]
                    }
                })
                .collect();
            return Ok(TierAssignment {
                scheme: self.clone(),
                tiers,
                cuts: Vec::new(),
            });
        }
        let scores: Vec<f64> = (0..board.len()).map(|m| board.score(m)).collect();
        self.assign_scores(&scores, board.samples())
    }

    /// Assigns merchants given by their overall scores and sample sizes (score or quantile
    /// tiers; merchant `i` is `scores[i]`).
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) when
    ///   `samples` does not hold one entry per score;
    /// - [`OutcomeError::InvalidValue`] for a score that is not finite;
    /// - [`OutcomeError::Unsupported`] for grade tiers (use [`assign`](Self::assign)).
    pub fn assign_scores(&self, scores: &[f64], samples: &[u32]) -> Result<TierAssignment> {
        same_len("sample sizes (one per score)", scores.len(), samples.len())?;
        finite_scores(scores)?;
        let last = self.tiers.len() - 1;
        let cuts: Vec<f64> = match self.basis {
            TierBasis::Score => self.tiers[..last]
                .iter()
                .map(|t| t.at_least.unwrap_or(f64::INFINITY))
                .collect(),
            TierBasis::Quantile => {
                let mut enough: Vec<f64> = scores
                    .iter()
                    .zip(samples)
                    .filter(|(_, &n)| n >= self.min_sample)
                    .map(|(&s, _)| s)
                    .collect();
                if enough.is_empty() {
                    vec![f64::INFINITY; last]
                } else {
                    self.tiers[..last]
                        .iter()
                        .map(|t| quantile_unchecked(&mut enough, t.at_least.unwrap_or(1.0)))
                        .collect()
                }
            }
            TierBasis::Grade => {
                return Err(OutcomeError::Unsupported {
                    what: "assigning grade tiers from scores",
                    requirement: "the merchants' grades",
                    found: "scores only (use `TierScheme::assign` on a scoreboard)".to_owned(),
                }
                .into())
            }
        };
        let tiers = scores
            .iter()
            .zip(samples)
            .map(|(&s, &n)| {
                if n < self.min_sample {
                    self.tiers.len() as u16
                } else {
                    cuts.iter().position(|&c| s >= c).unwrap_or(last) as u16
                }
            })
            .collect();
        Ok(TierAssignment {
            scheme: self.clone(),
            tiers,
            cuts,
        })
    }

    /// The tier of each grade index, checking that the grade tiers partition the grade set.
    fn grade_map(&self, grades: &crate::model::grades::GradeSet) -> Result<Vec<u16>> {
        let mut map = vec![u16::MAX; grades.len()];
        for (t, tier) in self.tiers.iter().enumerate() {
            for label in &tier.grades {
                let Some(g) = grades.index_of(label) else {
                    return Err(OutcomeError::GradeTier {
                        grade: label.clone(),
                        problem: "is not in the grade set",
                    }
                    .into());
                };
                if map[g] != u16::MAX {
                    return Err(OutcomeError::GradeTier {
                        grade: label.clone(),
                        problem: "is in two tiers",
                    }
                    .into());
                }
                map[g] = t as u16;
            }
        }
        if let Some(g) = map.iter().position(|&t| t == u16::MAX) {
            return Err(OutcomeError::GradeTier {
                grade: grades.grades()[g].label().to_owned(),
                problem: "is in no tier",
            }
            .into());
        }
        Ok(map)
    }
}

/// Each merchant's tier under a [`TierScheme`].
#[derive(Debug, Clone, PartialEq)]
pub struct TierAssignment {
    scheme: TierScheme,
    /// Tier index per merchant; `tiers.len()` = insufficient data.
    tiers: Vec<u16>,
    cuts: Vec<f64>,
}

impl TierAssignment {
    /// The tier of merchant `m`.
    ///
    /// # Panics
    ///
    /// When `m` is not a merchant of the assignment.
    pub fn tier(&self, m: usize) -> &Tier {
        self.scheme
            .tiers
            .get(self.tiers[m] as usize)
            .unwrap_or(&self.scheme.insufficient)
    }

    /// The tier index of each merchant (0 = best; the number of tiers = insufficient data).
    pub fn indices(&self) -> &[u16] {
        &self.tiers
    }

    /// `true` when merchant `m` has too small a sample to be tiered.
    pub fn is_insufficient(&self, m: usize) -> bool {
        self.tiers
            .get(m)
            .is_some_and(|&t| t as usize == self.scheme.tiers.len())
    }

    /// The score cut of each tier but the last (for quantile tiers, the computed quantiles;
    /// empty for grade tiers).
    pub fn cuts(&self) -> &[f64] {
        &self.cuts
    }

    /// Number of merchants in each tier, the insufficient-data tier last.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.scheme.tiers.len() + 1];
        for &t in &self.tiers {
            counts[t as usize] += 1;
        }
        counts
    }

    /// The scheme.
    pub fn scheme(&self) -> &TierScheme {
        &self.scheme
    }

    /// The tier as an extra ranking column ([`Ranking::table_with`](crate::outcome::Ranking::table_with)).
    pub fn column(&self) -> (Column, Vec<Cell>) {
        (
            Column::new(Text::bilingual("Tier", "等级"), Align::Left),
            (0..self.tiers.len())
                .map(|m| Cell::text(self.tier(m).name()))
                .collect(),
        )
    }

    /// A table of the tiers: id, name, cut, merchants.
    pub fn summary_table(&self) -> Result<Table> {
        let mut table = Table::new(
            Text::bilingual("Tiers", "分级"),
            vec![
                Column::new(Text::bilingual("Tier", "等级"), Align::Left),
                Column::new(Text::bilingual("Name", "名称"), Align::Left),
                Column::new(Text::bilingual("Score at least", "得分下限"), Align::Right),
                Column::new(Text::bilingual("Merchants", "商家数"), Align::Right),
            ],
        )?;
        let counts = self.counts();
        for (t, tier) in self
            .scheme
            .tiers
            .iter()
            .chain([&self.scheme.insufficient])
            .enumerate()
        {
            let cut = match self.cuts.get(t) {
                Some(c) if c.is_finite() => Cell::number(*c, 2),
                _ => Cell::Empty,
            };
            table.push_row(vec![
                Cell::text(tier.id.as_str()),
                Cell::text(tier.name()),
                cut,
                Cell::count(counts[t]),
            ])?;
        }
        Ok(table)
    }
}
