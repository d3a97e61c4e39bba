//! The uncertainty of a published score: analytic confidence intervals from answer counts
//! (`M(·,+)`), and a seeded bootstrap for any operator.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::batch::{BatchScorer, MerchantError, SurveyAnswers, MISSING_ANSWER};
use crate::error::{OutcomeError, Result};
use crate::evaluation::{Evaluator, FuzzyOperator};
use crate::outcome::checks::same_len;
use crate::outcome::quantile::quantile_unchecked;

/// What a one-merchant count buffer is called in errors.
const ONE_MERCHANT: &str = "answer counts of one merchant (leaves x grades)";

/// A score with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScoreInterval {
    score: f64,
    lower: f64,
    upper: f64,
    std_error: f64,
    n: u32,
    level: f64,
}

impl ScoreInterval {
    /// The point score.
    pub fn score(&self) -> f64 {
        self.score
    }
    /// Lower end (never below the lowest grade value).
    pub fn lower(&self) -> f64 {
        self.lower
    }
    /// Upper end (never above the highest grade value).
    pub fn upper(&self) -> f64 {
        self.upper
    }
    /// Standard error of the score.
    pub fn std_error(&self) -> f64 {
        self.std_error
    }
    /// Sample size: the most answers any indicator got.
    pub fn n(&self) -> u32 {
        self.n
    }
    /// Confidence level (e.g. 0.95).
    pub fn level(&self) -> f64 {
        self.level
    }
    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        (self.upper - self.lower) / 2.0
    }
}

/// How the answers a respondent gives to different indicators are assumed to relate, for the
/// analytic interval (answer counts do not say which answers came from the same respondent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Dependence {
    /// Independent across indicators: `SE² = Σ w_i² s_i² / n_i` (the default; too narrow
    /// when a respondent's answers go together).
    #[default]
    Independent,
    /// Perfectly correlated across indicators, the widest case:
    /// `SE = Σ w_i s_i / sqrt(n_i)`.
    Perfect,
}

fn check_level(level: f64) -> Result<f64> {
    if level > 0.0 && level < 1.0 {
        Ok(level)
    } else {
        Err(OutcomeError::InvalidParameter {
            what: "confidence level",
            range: "in (0, 1)",
            value: level,
        }
        .into())
    }
}

/// The two-sided normal critical value `z = Φ⁻¹(1 - (1 - level) / 2)`.
fn normal_critical(level: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    // the standard normal's parameters are valid
    Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// Analytic confidence intervals of overall scores from answer counts, for an evaluator with
/// `M(·,+)` at every level (where the score is linear in the answers).
///
/// With leaf `i`'s answer counts `c_ij` over grades `j` with values `v_j`:
///
/// ```text
/// n_i   = Σ_j c_ij                               answers to indicator i
/// m_i   = Σ_j c_ij v_j / n_i                      its mean grade value
/// s_i²  = Σ_j c_ij (v_j - m_i)² / (n_i - 1)       its sample variance
/// score = Σ_i w_i m_i                             w_i = global weight of leaf i
/// SE²   = Σ_i w_i² s_i² / n_i                     (Dependence::Independent)
/// SE    = Σ_i w_i s_i / sqrt(n_i)                 (Dependence::Perfect)
/// [score - z SE, score + z SE] clipped to [min_j v_j, max_j v_j],   z = Φ⁻¹(1 - α/2)
/// ```
///
/// It is the normal-approximation (Wald) interval of a weighted mean; it needs only the
/// counts, so a million merchants take one pass over their counts.
///
/// # Examples
///
/// ```
/// use service_quality::outcome::IntervalEstimator;
/// use service_quality::{Evaluator, GradeSet, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed"), NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5());
/// let estimator = IntervalEstimator::new(&evaluator, 0.95)?;
/// // 10 answers per indicator over the five grades (95, 85, 75, 65, 55)
/// let ci = estimator.interval(&[5, 5, 0, 0, 0, 0, 10, 0, 0, 0])?;
/// assert!((ci.score() - 87.5).abs() < 1e-12);
/// // s² = 10·25 / 9 for speed, 0 for attitude: SE = 0.5 · sqrt(250 / 90)
/// assert!((ci.std_error() - 0.5 * (250.0f64 / 90.0).sqrt()).abs() < 1e-12);
/// assert!(ci.lower() < 87.5 && ci.upper() > 87.5);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalEstimator {
    weights: Vec<f64>,
    values: Vec<f64>,
    level: f64,
    z: f64,
    dependence: Dependence,
    leaf_ids: Vec<String>,
}

impl IntervalEstimator {
    /// An estimator for `evaluator`'s tree and grades at confidence `level`, assuming
    /// [`Dependence::Independent`].
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::InvalidParameter`] for a level outside `(0, 1)`;
    /// - [`OutcomeError::Unsupported`] when a level of the tree is composed with another
    ///   operator than `M(·,+)` (use [`Bootstrap`]).
    pub fn new(evaluator: &Evaluator, level: f64) -> Result<Self> {
        let level = check_level(level)?;
        let tree = evaluator.tree();
        for node in tree.nodes().filter(|n| !n.is_leaf()) {
            let op = evaluator.operator_at(node.depth());
            if op != FuzzyOperator::WeightedAverage {
                return Err(OutcomeError::Unsupported {
                    what: "an analytic confidence interval",
                    requirement: "M(·,+) at every level",
                    found: format!(
                        "{} at depth {} (use the bootstrap)",
                        op.notation(),
                        node.depth()
                    ),
                }
                .into());
            }
        }
        Ok(Self {
            weights: tree.leaves().map(|l| l.global_weight()).collect(),
            values: evaluator.grades().values(),
            level,
            z: normal_critical(level),
            dependence: Dependence::Independent,
            leaf_ids: tree.leaves().map(|l| l.id().to_owned()).collect(),
        })
    }

    /// How answers to different indicators are assumed to relate (default independent).
    pub fn with_dependence(mut self, dependence: Dependence) -> Self {
        self.dependence = dependence;
        self
    }

    /// The critical value `z` used.
    pub fn z(&self) -> f64 {
        self.z
    }

    /// The interval of one merchant from its counts (`leaves x grades`, leaves in the tree's
    /// preorder, as [`BatchScorer::score_counts`] takes them).
    ///
    /// # Errors
    ///
    /// - [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) for a length other than leaves x grades;
    /// - [`OutcomeError::Unsupported`] when an indicator has fewer than 2 answers (its
    ///   variance is undefined).
    pub fn interval(&self, counts: &[u32]) -> Result<ScoreInterval> {
        same_len(
            ONE_MERCHANT,
            self.weights.len() * self.values.len(),
            counts.len(),
        )?;
        self.one(counts)
    }

    fn one(&self, counts: &[u32]) -> Result<ScoreInterval> {
        let g = self.values.len();
        let (mut score, mut var, mut sd_sum) = (0.0, 0.0, 0.0);
        let mut n_max = 0u32;
        for (i, row) in counts.chunks_exact(g).enumerate() {
            let n: u64 = row.iter().map(|&c| u64::from(c)).sum();
            if n < 2 {
                return Err(OutcomeError::Unsupported {
                    what: "a confidence interval",
                    requirement: "at least 2 answers per indicator",
                    found: format!("{n} answer(s) to `{}`", self.leaf_ids[i]),
                }
                .into());
            }
            let nf = n as f64;
            let mean = row
                .iter()
                .zip(&self.values)
                .map(|(&c, v)| f64::from(c) * v)
                .sum::<f64>()
                / nf;
            let s2 = row
                .iter()
                .zip(&self.values)
                .map(|(&c, v)| f64::from(c) * (v - mean) * (v - mean))
                .sum::<f64>()
                / (nf - 1.0);
            let w = self.weights[i];
            score += w * mean;
            var += w * w * s2 / nf;
            sd_sum += w * (s2 / nf).sqrt();
            n_max = n_max.max(u32::try_from(n).unwrap_or(u32::MAX));
        }
        let se = match self.dependence {
            Dependence::Independent => var.sqrt(),
            Dependence::Perfect => sd_sum,
        };
        Ok(clipped(score, se, self.z, &self.values, n_max, self.level))
    }

    /// The intervals of many merchants from merchant-major counts (`merchants x leaves x
    /// grades`): one entry per merchant, `None` for a merchant in the failures (with the
    /// reason).
    ///
    /// # Errors
    ///
    /// [`BatchError::BatchLength`](crate::BatchError::BatchLength) when the length is not a
    /// whole number of merchant blocks.
    pub fn intervals(&self, counts: &[u32]) -> Result<IntervalBatch> {
        let block = self.weights.len() * self.values.len();
        if !counts.len().is_multiple_of(block) {
            return Err(crate::error::BatchError::BatchLength {
                what: "answer counts",
                len: counts.len(),
                unit: block,
            }
            .into());
        }
        let mut intervals = Vec::with_capacity(counts.len() / block);
        let mut failures = Vec::new();
        for (m, merchant) in counts.chunks_exact(block).enumerate() {
            match self.one(merchant) {
                Ok(ci) => intervals.push(Some(ci)),
                Err(error) => {
                    intervals.push(None);
                    failures.push(MerchantError { merchant: m, error });
                }
            }
        }
        Ok(IntervalBatch {
            intervals,
            failures,
        })
    }
}

/// `score ± z se`, clipped to the grade values' range.
fn clipped(score: f64, se: f64, z: f64, values: &[f64], n: u32, level: f64) -> ScoreInterval {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    ScoreInterval {
        score,
        lower: (score - z * se).max(lo),
        upper: (score + z * se).min(hi),
        std_error: se,
        n,
        level,
    }
}

/// Intervals of many merchants ([`IntervalEstimator::intervals`]).
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalBatch {
    /// One per merchant, `None` where it failed.
    pub intervals: Vec<Option<ScoreInterval>>,
    /// The merchants without an interval, and why.
    pub failures: Vec<MerchantError>,
}

/// A percentile bootstrap of the overall score for any operator, seeded and reproducible.
///
/// Each of `replicates` resamples is scored with the [`BatchScorer`] (the evaluator's own
/// rules), and the interval is read from the replicates' quantiles at `α/2` and `1 - α/2`
/// (linear interpolation, [`quantile`](crate::outcome::quantile)); the standard error is
/// their standard deviation. A percentile interval need not be centred on the score, and with
/// the max–min operators (whose score moves in steps) need not even contain it; it is
/// reported as it is.
///
/// - [`from_answers`](Self::from_answers) resamples **respondents** (whole rows of answers,
///   with replacement): the bootstrap over respondents;
/// - [`from_counts`](Self::from_counts), when only counts are kept, resamples each
///   indicator's answers on its own (a multinomial draw per indicator), which treats the
///   indicators as independent, like [`Dependence::Independent`].
///
/// Random numbers come from ChaCha8 seeded with `seed` (a stream that `rand_chacha`
/// keeps stable across versions), so the same data, seed and replicates give the same
/// interval on every machine.
///
/// # Examples
///
/// ```
/// use service_quality::outcome::Bootstrap;
/// use service_quality::{Evaluator, FuzzyOperator, GradeSet, IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(NodeSpec::group("goal", "Service", vec![
///     NodeSpec::leaf("speed", "Speed"), NodeSpec::leaf("attitude", "Attitude"),
/// ]).with_weights(vec![0.5, 0.5]))?;
/// let evaluator = Evaluator::new(tree, GradeSet::satisfaction_5()).operator(FuzzyOperator::ZadehMaxMin);
/// let bootstrap = Bootstrap::new(&evaluator, 500, 0.95, 7)?;
/// let counts = [5, 3, 2, 0, 0, 0, 6, 3, 1, 0];
/// let a = bootstrap.from_counts(&counts)?;
/// assert_eq!(a, bootstrap.from_counts(&counts)?); // reproducible
/// assert!(a.lower() <= a.upper());
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    scorer: BatchScorer,
    values: Vec<f64>,
    replicates: usize,
    level: f64,
    seed: u64,
}

/// A uniform integer in `[0, n)` (Lemire's multiply-and-reject; `n > 0`).
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let threshold = n.wrapping_neg() % n;
    loop {
        let product = u128::from(rng.next_u64()) * u128::from(n);
        if (product as u64) >= threshold {
            return (product >> 64) as u64;
        }
    }
}

impl Bootstrap {
    /// A bootstrap of `replicates` resamples at confidence `level`, seeded with `seed`.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for fewer than 2 replicates or a level outside
    /// `(0, 1)`; the errors of [`BatchScorer::new`].
    pub fn new(evaluator: &Evaluator, replicates: usize, level: f64, seed: u64) -> Result<Self> {
        if replicates < 2 {
            return Err(OutcomeError::InvalidParameter {
                what: "bootstrap replicates",
                range: "at least 2",
                value: replicates as f64,
            }
            .into());
        }
        Ok(Self {
            scorer: BatchScorer::new(evaluator)?,
            values: evaluator.grades().values(),
            replicates,
            level: check_level(level)?,
            seed,
        })
    }

    /// The interval from one merchant's answer counts (`leaves x grades`), resampling each
    /// indicator's answers.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch) for a length other than leaves x grades, and the
    /// evaluation's error for the original counts (an indicator without answers under
    /// [`Unanswered::Reject`](crate::Unanswered::Reject), ...).
    pub fn from_counts(&self, counts: &[u32]) -> Result<ScoreInterval> {
        let g = self.scorer.n_grades();
        let block = self.scorer.n_leaves() * g;
        same_len(ONE_MERCHANT, block, counts.len())?;
        let point = self.point(self.scorer.score_counts_vec(counts)?)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut resampled = vec![0u32; block * self.replicates];
        for replicate in resampled.chunks_exact_mut(block) {
            for (row, out) in counts.chunks_exact(g).zip(replicate.chunks_exact_mut(g)) {
                let n: u64 = row.iter().map(|&c| u64::from(c)).sum();
                for _ in 0..n {
                    let mut u = below(&mut rng, n);
                    for (j, &c) in row.iter().enumerate() {
                        if u < u64::from(c) {
                            out[j] += 1;
                            break;
                        }
                        u -= u64::from(c);
                    }
                }
            }
        }
        let n = counts
            .chunks_exact(g)
            .map(|r| r.iter().map(|&c| u64::from(c)).sum::<u64>())
            .max()
            .unwrap_or(0);
        let scores = self.scorer.score_counts_vec(&resampled)?;
        self.summarise(point, scores, u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The interval from one merchant's raw answers (`respondents x leaves`, grade indices or
    /// [`MISSING_ANSWER`], as in [`SurveyAnswers`]), resampling respondents.
    ///
    /// # Errors
    ///
    /// [`BatchError::BatchLength`](crate::BatchError::BatchLength) when the length is not a
    /// multiple of the leaves; the evaluation's error for the original answers.
    pub fn from_answers(&self, answers: &[u8]) -> Result<ScoreInterval> {
        let leaves = self.scorer.n_leaves();
        let rows = answers.len() / leaves.max(1);
        let one = [0, rows];
        let original = SurveyAnswers::new(answers, leaves, &one)?;
        let point = self.point(self.scorer.score_answers_vec(&original)?)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut resampled = Vec::with_capacity(answers.len() * self.replicates);
        for _ in 0..self.replicates {
            for _ in 0..rows {
                let r = below(&mut rng, rows as u64) as usize;
                resampled.extend_from_slice(&answers[r * leaves..(r + 1) * leaves]);
            }
        }
        let offsets: Vec<usize> = (0..=self.replicates).map(|b| b * rows).collect();
        let batch = SurveyAnswers::new(&resampled, leaves, &offsets)?;
        let scores = self.scorer.score_answers_vec(&batch)?;
        let n = (0..leaves)
            .map(|l| {
                (0..rows)
                    .filter(|&r| answers[r * leaves + l] != MISSING_ANSWER)
                    .count()
            })
            .max()
            .unwrap_or(0);
        self.summarise(point, scores, u32::try_from(n).unwrap_or(u32::MAX))
    }

    fn point(&self, scores: crate::batch::BatchScores) -> Result<f64> {
        match scores.failures.into_iter().next() {
            Some(f) => Err(f.error),
            None => Ok(scores.scores[0]),
        }
    }

    /// Percentile interval and standard deviation of the replicate scores. A replicate that
    /// cannot be scored (an indicator left without answers by the resampling under
    /// `Unanswered::Reject`) is left out.
    fn summarise(
        &self,
        point: f64,
        batch: crate::batch::BatchScores,
        n: u32,
    ) -> Result<ScoreInterval> {
        let failed: std::collections::HashSet<usize> =
            batch.failures.iter().map(|f| f.merchant).collect();
        let mut scores: Vec<f64> = batch
            .scores
            .into_iter()
            .enumerate()
            .filter(|(b, _)| !failed.contains(b))
            .map(|(_, s)| s)
            .collect();
        if scores.len() < 2 {
            return Err(OutcomeError::Unsupported {
                what: "a bootstrap interval",
                requirement: "at least 2 replicates that can be scored",
                found: format!("{} of {}", scores.len(), self.replicates),
            }
            .into());
        }
        let b = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / b;
        let var = scores.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / (b - 1.0);
        let alpha = 1.0 - self.level;
        let lower = quantile_unchecked(&mut scores, alpha / 2.0);
        let upper = quantile_unchecked(&mut scores, 1.0 - alpha / 2.0);
        let lo = self.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        Ok(ScoreInterval {
            score: point,
            lower: lower.max(lo),
            upper: upper.min(hi),
            std_error: var.sqrt(),
            n,
            level: self.level,
        })
    }
}
