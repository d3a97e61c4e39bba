//! The robustness table: rankings of several methods and their rank correlations.

use crate::analysis::{CorrelationMatrix, CorrelationMethod, Responses};
use crate::error::{McdmError, Result};
use crate::model::weights::Weights;
use crate::report::EvaluationReport;

use super::grey::{GreyOptions, GreyRelational};
use super::matrix::{unique, DecisionMatrix, ReportLevel};
use super::ranking::{Ranking, TieRule};
use super::rsr::{RankSumRatio, RsrOptions};
use super::topsis::{Topsis, TopsisNormalisation};
use super::vikor::Vikor;

/// A ranking method to compare with the fuzzy evaluation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RankingMethod {
    /// TOPSIS with the weights and the named normalisation.
    Topsis(TopsisNormalisation),
    /// Grey relational analysis with the given options; without weights in the options the
    /// comparison's weights are used (a weighted grade).
    GreyRelational(GreyOptions),
    /// Rank-sum ratio with the given options; without weights in the options the
    /// comparison's weights are used (WRSR).
    RankSumRatio(RsrOptions),
    /// VIKOR with the strategy weight `v`.
    Vikor {
        /// The weight of the group-utility strategy, in `[0, 1]`.
        v: f64,
    },
}

impl RankingMethod {
    /// A short name for tables (`TOPSIS (vector)`, `GRA`, `RSR`, `VIKOR`).
    pub fn name(&self) -> String {
        match self {
            Self::Topsis(TopsisNormalisation::Vector) => "TOPSIS (vector)".into(),
            Self::Topsis(_) => "TOPSIS (min-max)".into(),
            Self::GreyRelational(_) => "GRA".into(),
            Self::RankSumRatio(_) => "RSR".into(),
            Self::Vikor { .. } => "VIKOR".into(),
        }
    }

    /// The method's scores and ranking of `matrix` with `weights`.
    ///
    /// # Errors
    ///
    /// The errors of the method.
    pub fn rank(&self, matrix: &DecisionMatrix, weights: &Weights) -> Result<(Vec<f64>, Ranking)> {
        Ok(match self {
            Self::Topsis(normalisation) => {
                let t = Topsis::new(matrix, weights, *normalisation)?;
                (t.closeness().to_vec(), t.ranking().clone())
            }
            Self::GreyRelational(options) => {
                let options = match options.weights() {
                    Some(_) => options.clone(),
                    None => options.clone().with_weights(weights.clone()),
                };
                let g = GreyRelational::new(matrix, &options)?;
                (g.grades().to_vec(), g.ranking().clone())
            }
            Self::RankSumRatio(options) => {
                let options = match options.weights() {
                    Some(_) => options.clone(),
                    None => options.clone().with_weights(weights.clone()),
                };
                let r = RankSumRatio::new(matrix, &options)?;
                (r.rsr().to_vec(), r.ranking().clone())
            }
            Self::Vikor { v } => {
                let r = Vikor::new(matrix, weights, *v)?;
                (r.q().to_vec(), r.ranking().clone())
            }
        })
    }
}

/// One method's column of the robustness table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MethodRanking {
    /// The method's name.
    pub name: String,
    /// The method's scores (closeness, grade, RSR, `Q`, fuzzy score), one per alternative.
    pub scores: Vec<f64>,
    /// The ranking.
    pub ranking: Ranking,
}

/// Rankings of the same alternatives by several methods and the Spearman and Kendall tau-b
/// rank correlation between every two of them — the robustness table evaluation papers print.
///
/// The correlations come from [`CorrelationMatrix`] on the ranks (average ranks for ties);
/// an entry is `None` when it is undefined (fewer than 3 alternatives, or a method that ties
/// every alternative).
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{Ranking, RobustnessTable, TieRule};
///
/// let a = Ranking::from_scores(&[0.9, 0.5, 0.4, 0.1], true, TieRule::Average);
/// let b = Ranking::from_scores(&[0.8, 0.6, 0.1, 0.2], true, TieRule::Average);
/// let t = RobustnessTable::new(
///     (0..4).map(|i| format!("s{i}")).collect(),
///     vec![("a".into(), vec![0.9, 0.5, 0.4, 0.1], a), ("b".into(), vec![0.8, 0.6, 0.1, 0.2], b)],
/// )?;
/// assert!((t.spearman(0, 1).unwrap_or(0.0) - 0.8).abs() < 1e-12);
/// assert!((t.kendall(0, 1).unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RobustnessTable {
    alternatives: Vec<String>,
    methods: Vec<MethodRanking>,
    spearman: CorrelationMatrix,
    kendall: CorrelationMatrix,
}

impl RobustnessTable {
    /// The table of the given `(name, scores, ranking)` of each method over `alternatives`.
    ///
    /// # Errors
    ///
    /// - [`McdmError::RankingLength`] when a ranking or its scores do not have one entry per
    ///   alternative;
    /// - [`McdmError::TooFewAlternatives`] for fewer than 2 alternatives;
    /// - [`McdmError::DuplicateName`] when two methods have the same name.
    pub fn new(
        alternatives: Vec<String>,
        rankings: Vec<(String, Vec<f64>, Ranking)>,
    ) -> Result<Self> {
        let m = alternatives.len();
        if m < 2 {
            return Err(McdmError::TooFewAlternatives { found: m }.into());
        }
        if let Some((name, scores, ranking)) = rankings
            .iter()
            .find(|(_, s, r)| s.len() != m || r.len() != m)
        {
            return Err(McdmError::RankingLength {
                name: name.clone(),
                expected: m,
                found: if ranking.len() != m {
                    ranking.len()
                } else {
                    scores.len()
                },
            }
            .into());
        }
        let methods: Vec<MethodRanking> = rankings
            .into_iter()
            .map(|(name, scores, ranking)| MethodRanking {
                name,
                scores,
                ranking,
            })
            .collect();
        // ranks with the average tie rule, so that ties are ties for the correlation
        let columns = methods
            .iter()
            .map(|mr| {
                Ranking::from_scores(mr.ranking.ranks(), false, TieRule::Average)
                    .ranks()
                    .iter()
                    .map(|&r| Some(r))
                    .collect()
            })
            .collect();
        let ids: Vec<String> = methods.iter().map(|mr| mr.name.clone()).collect();
        unique("method", &ids)?;
        // one column of ranks (1..=m) per method: a valid table
        let table = Responses::from_columns(ids, columns)?;
        Ok(Self {
            alternatives,
            spearman: CorrelationMatrix::of(&table, CorrelationMethod::Spearman),
            kendall: CorrelationMatrix::of(&table, CorrelationMethod::KendallTauB),
            methods,
        })
    }

    /// The fuzzy-evaluation ranking (by overall score) of `reports`, then every method of
    /// `methods` on the decision matrix of their dimension or indicator scores with
    /// `weights`.
    ///
    /// # Errors
    ///
    /// - the errors of [`DecisionMatrix::from_reports`] and of each method;
    /// - [`McdmError::DuplicateName`] when two methods have the same [`RankingMethod::name`].
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::mcdm::{RankingMethod, ReportLevel, RobustnessTable, TopsisNormalisation};
    /// use service_quality::{template, Evaluator, GradeSet, IndicatorTree, Survey, Weights};
    ///
    /// let tree = IndicatorTree::new(template::after_sales())?;
    /// let ids: Vec<String> = tree.leaves().map(|l| l.id().to_owned()).collect();
    /// let mut survey = Survey::new(ids, GradeSet::satisfaction_5())?;
    /// for (shop, grade) in [("a", 0), ("b", 1), ("c", 3)] {
    ///     survey.add_response(shop, &[Some(grade); 13])?;
    /// }
    /// let evaluator = Evaluator::new(&tree, GradeSet::satisfaction_5());
    /// let reports = ["a", "b", "c"]
    ///     .iter()
    ///     .map(|s| evaluator.report(*s, &survey.memberships(s)?))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// let weights = tree.root().child_weights().expect("a group").clone();
    /// let table = RobustnessTable::compare_with_fuzzy(
    ///     &reports,
    ///     ReportLevel::Dimensions,
    ///     &weights,
    ///     &[RankingMethod::Topsis(TopsisNormalisation::Vector), RankingMethod::Vikor { v: 0.5 }],
    /// )?;
    /// assert_eq!(table.methods()[0].name, "FCE");
    /// assert!((table.spearman(0, 1).unwrap_or(0.0) - 1.0).abs() < 1e-12);
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn compare_with_fuzzy(
        reports: &[EvaluationReport],
        level: ReportLevel,
        weights: &Weights,
        methods: &[RankingMethod],
    ) -> Result<Self> {
        let matrix = DecisionMatrix::from_reports(reports, level)?;
        let fuzzy: Vec<f64> = reports.iter().map(|r| r.overall().score()).collect();
        let mut rankings = vec![(
            "FCE".to_owned(),
            fuzzy.clone(),
            Ranking::from_scores(&fuzzy, true, TieRule::Average),
        )];
        for method in methods {
            let (scores, ranking) = method.rank(&matrix, weights)?;
            rankings.push((method.name(), scores, ranking));
        }
        Self::new(matrix.alternatives().to_vec(), rankings)
    }

    /// The alternatives, in order.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }
    /// The methods' rankings, in order.
    pub fn methods(&self) -> &[MethodRanking] {
        &self.methods
    }
    /// Spearman's rho between the rankings of methods `a` and `b`.
    pub fn spearman(&self, a: usize, b: usize) -> Option<f64> {
        self.spearman.r(a, b)
    }
    /// Kendall's tau-b between the rankings of methods `a` and `b`.
    pub fn kendall(&self, a: usize, b: usize) -> Option<f64> {
        self.kendall.r(a, b)
    }
    /// The Spearman matrix with p-values.
    pub fn spearman_matrix(&self) -> &CorrelationMatrix {
        &self.spearman
    }
    /// The Kendall tau-b matrix with p-values.
    pub fn kendall_matrix(&self) -> &CorrelationMatrix {
        &self.kendall
    }
}

impl core::fmt::Display for RobustnessTable {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:<14}", "")?;
        for m in &self.methods {
            write!(f, " {:>16}", m.name)?;
        }
        writeln!(f)?;
        for (i, alt) in self.alternatives.iter().enumerate() {
            write!(f, "{alt:<14}")?;
            for m in &self.methods {
                write!(
                    f,
                    " {:>16}",
                    format!("{:.4} ({})", m.scores[i], m.ranking.ranks()[i])
                )?;
            }
            writeln!(f)?;
        }
        writeln!(f, "\nrank correlation (Spearman rho / Kendall tau-b)")?;
        write!(f, "{:<18}", "")?;
        for m in &self.methods {
            write!(f, " {:>16}", m.name)?;
        }
        writeln!(f)?;
        let show = |x: Option<f64>| x.map_or("-".to_owned(), |v| format!("{v:.3}"));
        for (a, ma) in self.methods.iter().enumerate() {
            write!(f, "{:<18}", ma.name)?;
            for b in 0..self.methods.len() {
                let cell = format!(
                    "{} / {}",
                    show(self.spearman(a, b)),
                    show(self.kendall(a, b))
                );
                write!(f, " {cell:>16}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
