//! Credibility adjustment: Bayesian shrinkage of published scores towards the platform mean.

use crate::error::{OutcomeError, Result};
use crate::outcome::checks::{finite_scores, positive, same_len};
use crate::outcome::scoreboard::Scoreboard;

/// The name of the pseudo-respondent parameter in errors.
const K: &str = "shrinkage pseudo-respondents k";

/// How far a merchant's published score is pulled towards the platform mean, so that a few
/// glowing answers do not outrank many good ones.
///
/// ```text
/// μ      = mean of the overall scores on the board (each merchant counted once)
/// Z_i    = credibility of merchant i, in [0, 1]
/// shrunk = Z_i s_i + (1 - Z_i) μ
///
/// PseudoRespondents { k }:  Z_i = n_i / (n_i + k)
///     as if k extra respondents had given the platform mean (a normal–normal or
///     beta-binomial posterior mean with prior weight k; the "weighted rating" of rating
///     sites)
/// EmpiricalBayes:           Z_i = τ² / (τ² + se_i²),   τ² = max(0, var(s) - mean(se²))
///     τ² is the between-merchant variance estimated by the method of moments from the
///     scores' variance (divisor N) less the mean squared standard error; se_i from the
///     board's standard errors. Z_i = 1 where se_i = 0.
/// ```
///
/// # Examples
///
/// ```
/// use service_quality::outcome::Shrinkage;
///
/// // 5 glowing answers (95) against 500 good ones (90), platform mean 80, k = 20
/// let k = Shrinkage::pseudo_respondents(20.0)?;
/// let shrunk = k.shrink_scores(&[95.0, 90.0, 55.0], &[5, 500, 100])?;
/// assert!(shrunk.scores()[1] > shrunk.scores()[0]);
/// assert!((shrunk.prior_mean() - 80.0).abs() < 1e-12);
/// assert!((shrunk.scores()[0] - (5.0 * 95.0 + 20.0 * 80.0) / 25.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// - B. Efron, C. Morris, "Data analysis using Stein's estimator and its generalizations",
///   *JASA* 70(350), 311–319, 1975.
/// - H. Bühlmann, "Experience rating and credibility", *ASTIN Bulletin* 4(3), 199–207, 1967
///   (credibility `Z = n / (n + k)`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "method"))]
#[non_exhaustive]
pub enum Shrinkage {
    /// Credibility `n / (n + k)`.
    PseudoRespondents {
        /// The prior's weight in respondents, finite and `> 0`.
        k: f64,
    },
    /// Credibility from the standard errors and the between-merchant variance.
    EmpiricalBayes,
}

/// Shrunk scores, one per merchant.
#[derive(Debug, Clone, PartialEq)]
pub struct ShrunkScores {
    prior_mean: f64,
    between_variance: Option<f64>,
    credibility: Vec<f64>,
    scores: Vec<f64>,
}

impl ShrunkScores {
    /// The platform mean `μ` the scores are pulled towards.
    pub fn prior_mean(&self) -> f64 {
        self.prior_mean
    }
    /// The estimated between-merchant variance `τ²` (empirical Bayes only).
    pub fn between_variance(&self) -> Option<f64> {
        self.between_variance
    }
    /// Each merchant's credibility `Z_i`.
    pub fn credibility(&self) -> &[f64] {
        &self.credibility
    }
    /// The shrunk scores.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

impl Shrinkage {
    /// Credibility `n / (n + k)`.
    ///
    /// # Errors
    ///
    /// [`OutcomeError::InvalidParameter`] for `k` not finite and `> 0`.
    pub fn pseudo_respondents(k: f64) -> Result<Self> {
        Ok(Self::PseudoRespondents { k: positive(K, k)? })
    }

    /// Shrinks the overall scores of a board.
    ///
    /// # Errors
    ///
    /// - [`OutcomeError::Unsupported`] for an empty board, or for
    ///   [`Shrinkage::EmpiricalBayes`] on a board without standard errors;
    /// - [`OutcomeError::InvalidParameter`] for a pseudo-respondent weight read from a file
    ///   that is not finite and `> 0`.
    pub fn apply(&self, board: &Scoreboard) -> Result<ShrunkScores> {
        let scores = board.overall_scores();
        match self {
            Self::EmpiricalBayes => {
                let Some(se) = board.std_errors() else {
                    return Err(OutcomeError::Unsupported {
                        what: "empirical-Bayes shrinkage",
                        requirement: "standard errors on the board",
                        found: "a board without them (add them with `with_std_errors`)".to_owned(),
                    }
                    .into());
                };
                self.shrink(&scores, board.samples(), Some(se))
            }
            Self::PseudoRespondents { .. } => self.shrink(&scores, board.samples(), None),
        }
    }

    /// Shrinks plain scores with their sample sizes ([`Shrinkage::PseudoRespondents`]).
    ///
    /// # Errors
    ///
    /// As [`apply`](Self::apply), [`ArgumentError::LengthMismatch`](crate::ArgumentError::LengthMismatch)
    /// for lengths that differ, and [`OutcomeError::InvalidValue`] for a score that is not
    /// finite.
    pub fn shrink_scores(&self, scores: &[f64], samples: &[u32]) -> Result<ShrunkScores> {
        same_len("sample sizes (one per score)", scores.len(), samples.len())?;
        finite_scores(scores)?;
        if matches!(self, Self::EmpiricalBayes) {
            return Err(OutcomeError::Unsupported {
                what: "empirical-Bayes shrinkage",
                requirement: "standard errors",
                found: "scores and sample sizes only (use `apply` on a board)".to_owned(),
            }
            .into());
        }
        self.shrink(scores, samples, None)
    }

    fn shrink(&self, scores: &[f64], samples: &[u32], se: Option<&[f64]>) -> Result<ShrunkScores> {
        if scores.is_empty() {
            return Err(OutcomeError::Unsupported {
                what: "shrinkage",
                requirement: "at least one merchant",
                found: "none".to_owned(),
            }
            .into());
        }
        let mu = mean(scores);
        let mut between_variance = None;
        let credibility: Vec<f64> = match (self, se) {
            (Self::PseudoRespondents { k }, _) => {
                let k = positive(K, *k)?;
                samples
                    .iter()
                    .map(|&n| f64::from(n) / (f64::from(n) + k))
                    .collect()
            }
            (Self::EmpiricalBayes, se) => {
                // `apply` passes the board's standard errors; `shrink_scores` refuses this case
                let se = se.unwrap_or(&[]);
                let var =
                    scores.iter().map(|s| (s - mu) * (s - mu)).sum::<f64>() / scores.len() as f64;
                let noise = se.iter().map(|s| s * s).sum::<f64>() / scores.len() as f64;
                let tau2 = (var - noise).max(0.0);
                between_variance = Some(tau2);
                se.iter()
                    .map(|&s| if s == 0.0 { 1.0 } else { tau2 / (tau2 + s * s) })
                    .collect()
            }
        };
        same_len(
            "standard errors (one per score)",
            scores.len(),
            credibility.len(),
        )?;
        let shrunk = scores
            .iter()
            .zip(&credibility)
            .map(|(s, z)| z * s + (1.0 - z) * mu)
            .collect();
        Ok(ShrunkScores {
            prior_mean: mu,
            between_variance,
            credibility,
            scores: shrunk,
        })
    }
}
