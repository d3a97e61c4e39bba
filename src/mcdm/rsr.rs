//! Rank-sum ratio (秩和比法, RSR): ranks, RSR, the probit regression and tiers.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{McdmError, McdmMethod, Result};
use crate::model::weights::Weights;

use super::checks::check_weights;
use super::matrix::{CriterionType, DecisionMatrix};
use super::normalise::{bounds, is_constant};
use super::ranking::{ties, Ranking, TieRule};

/// How values become ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RsrRanks {
    /// Integer ranks (整次秩和比法): 1..m within each criterion, the worst value 1 (the
    /// smallest of a benefit, the largest of a cost); ties get their average rank.
    Integer,
    /// Non-integer ranks (非整次秩和比法): `R = 1 + (m - 1)(x - min) / (max - min)` for a
    /// benefit, `1 + (m - 1)(max - x) / (max - min)` for a cost, keeping the distances
    /// between values; a constant criterion gets `(m + 1) / 2` (the average rank of an m-way
    /// tie).
    NonInteger,
}

/// The cumulative frequency given to each distinct RSR value before its probit.
///
/// With `R` the average rank of a group (its position among the `m` sorted RSR values) the
/// textbook convention is `p = R / m`, which is 1 for the top group, whose probit is
/// infinite; it replaces that last one by `1 - 1 / (4m)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum CumulativeFrequency {
    /// `p = R / m`, the last group `1 - 1 / (4m)` (田凤调《秩和比法及其应用》; 孙振球《医学
    /// 统计学》, the RSR section): the published convention, and the default.
    #[default]
    QuarterCorrection,
    /// `p = (R - 0.5) / m` for every group (Hazen plotting position).
    Hazen,
    /// `p = R / (m + 1)` for every group (Weibull plotting position).
    Weibull,
}

/// The tiers (分档) of the RSR grading, as probit thresholds.
///
/// The textbook table (孙振球《医学统计学》 and 田凤调《秩和比法及其应用》, "常用分档数与对应的
/// 百分位数及概率单位") sets the thresholds at fixed percentiles of the normal distribution;
/// the probit of a percentile `P` is `5 + Phi^-1(P)`:
///
/// ```text
/// tiers  percentiles                                          probits
///   3    P15.866 P84.134                                      4    6
///   4    P6.681  P50     P93.319                              3.5  5    6.5
///   5    P3.593  P27.425 P72.575 P96.407                      3.2  4.4  5.6  6.8
///   6    P2.275  P15.866 P50     P84.134 P97.725              3    4    5    6    7
///   7    P1.618  P10.027 P33.360 P66.640 P89.973 P98.382      2.86 3.72 4.57 5.43 6.28 7.14
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RsrTiers {
    /// Three tiers: probit `< 4`, `4 ..< 6`, `>= 6` (mean ± 1 SD).
    Three,
    /// Four tiers: `< 3.5`, `3.5 ..< 5`, `5 ..< 6.5`, `>= 6.5`.
    Four,
    /// Five tiers: `< 3.2`, `3.2 ..< 4.4`, `4.4 ..< 5.6`, `5.6 ..< 6.8`, `>= 6.8`.
    Five,
    /// Six tiers: `< 3`, `3 ..< 4`, `4 ..< 5`, `5 ..< 6`, `6 ..< 7`, `>= 7`.
    Six,
    /// Seven tiers: thresholds 2.86, 3.72, 4.57, 5.43, 6.28, 7.14.
    Seven,
    /// Custom thresholds, strictly increasing probits; `k` thresholds give `k + 1` tiers.
    Probits(Vec<f64>),
}

impl RsrTiers {
    /// The probit thresholds.
    // 6.28 is the probit of P89.973 (5 + 1.28), not an approximation of tau
    #[allow(clippy::approx_constant)]
    pub fn thresholds(&self) -> &[f64] {
        match self {
            Self::Three => &[4.0, 6.0],
            Self::Four => &[3.5, 5.0, 6.5],
            Self::Five => &[3.2, 4.4, 5.6, 6.8],
            Self::Six => &[3.0, 4.0, 5.0, 6.0, 7.0],
            Self::Seven => &[2.86, 3.72, 4.57, 5.43, 6.28, 7.14],
            Self::Probits(t) => t,
        }
    }
}

/// Options of the rank-sum ratio.
#[derive(Debug, Clone, PartialEq)]
pub struct RsrOptions {
    ranks: RsrRanks,
    weights: Option<Weights>,
    frequency: CumulativeFrequency,
    tiers: RsrTiers,
}

impl Default for RsrOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl RsrOptions {
    /// Integer ranks, unweighted, [`CumulativeFrequency::QuarterCorrection`], three tiers.
    pub fn new() -> Self {
        Self {
            ranks: RsrRanks::Integer,
            weights: None,
            frequency: CumulativeFrequency::QuarterCorrection,
            tiers: RsrTiers::Three,
        }
    }
    /// Integer or non-integer ranks.
    pub fn with_ranks(mut self, ranks: RsrRanks) -> Self {
        self.ranks = ranks;
        self
    }
    /// The weighted RSR (WRSR) `sum_j w_j R_ij / m` instead of `sum_j R_ij / (m n)`.
    pub fn with_weights(mut self, weights: Weights) -> Self {
        self.weights = Some(weights);
        self
    }
    /// The cumulative-frequency convention.
    pub fn with_frequency(mut self, frequency: CumulativeFrequency) -> Self {
        self.frequency = frequency;
        self
    }
    /// The tiers.
    ///
    /// # Errors
    ///
    /// [`McdmError::InvalidParameter`] for custom thresholds that are not finite and strictly
    /// increasing (or are empty).
    pub fn with_tiers(mut self, tiers: RsrTiers) -> Result<Self> {
        let t = tiers.thresholds();
        let bad = t.iter().find(|x| !x.is_finite()).copied().or_else(|| {
            t.windows(2)
                .find(|p| !(p[1] > p[0]))
                .map(|p| p[1])
                .or(t.is_empty().then_some(f64::NAN))
        });
        if let Some(value) = bad {
            return Err(McdmError::InvalidParameter {
                method: McdmMethod::RankSumRatio,
                name: "tier thresholds",
                range: "finite, strictly increasing probits, at least one",
                value,
            }
            .into());
        }
        self.tiers = tiers;
        Ok(self)
    }
    /// The ranks.
    pub fn ranks(&self) -> RsrRanks {
        self.ranks
    }
    /// The weights, if any.
    pub fn weights(&self) -> Option<&Weights> {
        self.weights.as_ref()
    }
    /// The cumulative-frequency convention.
    pub fn frequency(&self) -> CumulativeFrequency {
        self.frequency
    }
    /// The tiers.
    pub fn tiers(&self) -> &RsrTiers {
        &self.tiers
    }
}

/// One row of the RSR distribution table: a distinct RSR value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsrGroup {
    /// The RSR value.
    pub rsr: f64,
    /// Alternatives with this value (`f`).
    pub frequency: usize,
    /// Alternatives with this value or a smaller one (cumulative `f`).
    pub cumulative: usize,
    /// The average of the ranks `cumulative - f + 1 ..= cumulative` (`R`).
    pub mean_rank: f64,
    /// The cumulative frequency `p` given to the group ([`CumulativeFrequency`]).
    pub percentile: f64,
    /// `5 + Phi^-1(p)`.
    pub probit: f64,
}

/// The rank-sum ratio of every alternative, the distribution table, the regression of RSR on
/// the probit and the tiers.
///
/// ```text
/// RSR_i  = sum_j R_ij / (m n)            WRSR_i = sum_j w_j R_ij / m
/// table  distinct RSR ascending: f, cumulative f, R = mean rank, p, probit = 5 + Phi^-1(p)
/// RSR    = a + b probit                  least squares over the rows of the table
/// tier   number of thresholds t_k with probit_i >= t_k  (0 = lowest tier)
/// ```
///
/// An alternative's tier is read from its group's probit, which is the same as comparing its
/// fitted RSR `a + b probit` with the cut points `a + b t_k` (the slope is positive), without
/// the rounding of the fit.
///
/// # Examples
///
/// ```
/// use service_quality::mcdm::{CriterionType, DecisionMatrix, RankSumRatio, RsrOptions};
///
/// let m = DecisionMatrix::new(
///     (0..4).map(|i| format!("s{i}")).collect(),
///     vec!["score".into(), "minutes".into()],
///     vec![CriterionType::Benefit, CriterionType::Cost],
///     &[[90.0, 12.0], [80.0, 30.0], [70.0, 20.0], [60.0, 40.0]],
/// )?;
/// let r = RankSumRatio::new(&m, &RsrOptions::new())?;
/// // ranks: score 4 3 2 1, minutes 4 2 3 1 -> RSR = (8, 5, 5, 2) / 8
/// assert_eq!(r.rsr(), [1.0, 0.625, 0.625, 0.25]);
/// assert_eq!(r.table().len(), 3);
/// assert!((r.table()[2].percentile - (1.0 - 1.0 / 16.0)).abs() < 1e-15);
/// assert!(r.slope() > 0.0);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankSumRatio {
    ranks: Vec<Vec<f64>>,
    rsr: Vec<f64>,
    table: Vec<RsrGroup>,
    intercept: f64,
    slope: f64,
    probits: Vec<f64>,
    fitted: Vec<f64>,
    thresholds: Vec<f64>,
    tiers: Vec<usize>,
    ranking: Ranking,
}

impl RankSumRatio {
    /// The rank-sum ratio of `matrix`.
    ///
    /// # Errors
    ///
    /// - [`McdmError::WeightCount`] when the weights have not one weight per criterion;
    /// - [`McdmError::NoDiscrimination`] when every alternative has the same RSR (the probit
    ///   regression needs two distinct values).
    pub fn new(matrix: &DecisionMatrix, options: &RsrOptions) -> Result<Self> {
        let method = McdmMethod::RankSumRatio;
        let (m, n) = (matrix.n_alternatives(), matrix.n_criteria());
        let mf = m as f64;
        let weights: Option<&[f64]> = match &options.weights {
            Some(w) => Some(check_weights(matrix, w, method)?),
            None => None,
        };
        let columns: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let col = matrix.column_vec(j);
                let ty = matrix.types()[j];
                match options.ranks {
                    RsrRanks::Integer => {
                        // rank 1 = worst: ascending for a benefit, descending for a cost
                        let worst_first =
                            Ranking::from_scores(&col, ty == CriterionType::Cost, TieRule::Average);
                        worst_first.ranks().to_vec()
                    }
                    RsrRanks::NonInteger => {
                        if is_constant(&col) {
                            return vec![(mf + 1.0) / 2.0; m];
                        }
                        let (lo, hi) = bounds(&col);
                        col.iter()
                            .map(|&x| {
                                let t = match ty {
                                    CriterionType::Benefit => (x - lo) / (hi - lo),
                                    CriterionType::Cost => (hi - x) / (hi - lo),
                                };
                                1.0 + (mf - 1.0) * t
                            })
                            .collect()
                    }
                }
            })
            .collect();
        let ranks: Vec<Vec<f64>> = (0..m)
            .map(|i| columns.iter().map(|c| c[i]).collect())
            .collect();
        let rsr: Vec<f64> = ranks
            .iter()
            .map(|row| match weights {
                Some(w) => row.iter().zip(w).map(|(r, w)| r * w).sum::<f64>() / mf,
                None => row.iter().sum::<f64>() / (mf * n as f64),
            })
            .collect();

        // the distribution table: distinct RSR values, ascending
        let ascending = Ranking::from_scores(&rsr, false, TieRule::Ordinal);
        let order: Vec<usize> = ascending.order().to_vec();
        let normal = Normal::standard();
        let mut table: Vec<RsrGroup> = Vec::new();
        let mut group_of = vec![0usize; m];
        let mut start = 0;
        while start < m {
            let mut end = start + 1;
            while end < m && ties(rsr[order[end - 1]], rsr[order[end]]) {
                end += 1;
            }
            for &i in &order[start..end] {
                group_of[i] = table.len();
            }
            let mean_rank = (start + 1 + end) as f64 / 2.0;
            let percentile = match options.frequency {
                CumulativeFrequency::QuarterCorrection if end == m => 1.0 - 1.0 / (4.0 * mf),
                CumulativeFrequency::QuarterCorrection => mean_rank / mf,
                CumulativeFrequency::Hazen => (mean_rank - 0.5) / mf,
                CumulativeFrequency::Weibull => mean_rank / (mf + 1.0),
            };
            table.push(RsrGroup {
                rsr: rsr[order[start]],
                frequency: end - start,
                cumulative: end,
                mean_rank,
                percentile,
                probit: 5.0 + normal.inverse_cdf(percentile),
            });
            start = end;
        }
        if table.len() < 2 {
            return Err(McdmError::NoDiscrimination {
                method,
                reason: "every alternative has the same rank-sum ratio",
            }
            .into());
        }
        let (intercept, slope) = least_squares(
            &table.iter().map(|g| g.probit).collect::<Vec<f64>>(),
            &table.iter().map(|g| g.rsr).collect::<Vec<f64>>(),
        );
        let probits: Vec<f64> = group_of.iter().map(|&g| table[g].probit).collect();
        let fitted = probits.iter().map(|p| intercept + slope * p).collect();
        let thresholds = options.tiers.thresholds().to_vec();
        let tiers = probits
            .iter()
            .map(|p| thresholds.iter().filter(|&&t| *p >= t).count())
            .collect();
        let ranking = Ranking::from_scores(&rsr, true, TieRule::Average);
        Ok(Self {
            ranks,
            rsr,
            table,
            intercept,
            slope,
            probits,
            fitted,
            thresholds,
            tiers,
            ranking,
        })
    }

    /// The rank of every alternative on every criterion, one row per alternative.
    pub fn ranks(&self) -> &[Vec<f64>] {
        &self.ranks
    }
    /// The (weighted) rank-sum ratio of every alternative (larger is better).
    pub fn rsr(&self) -> &[f64] {
        &self.rsr
    }
    /// The distribution table, one row per distinct RSR value, ascending.
    pub fn table(&self) -> &[RsrGroup] {
        &self.table
    }
    /// Intercept `a` of `RSR = a + b probit`.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }
    /// Slope `b` of `RSR = a + b probit` (positive).
    pub fn slope(&self) -> f64 {
        self.slope
    }
    /// The probit of every alternative (its group's).
    pub fn probits(&self) -> &[f64] {
        &self.probits
    }
    /// The fitted RSR `a + b probit` of every alternative.
    pub fn fitted(&self) -> &[f64] {
        &self.fitted
    }
    /// The probit thresholds of the tiers.
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }
    /// The RSR cut points `a + b t_k` of the tiers.
    pub fn cut_points(&self) -> Vec<f64> {
        self.thresholds
            .iter()
            .map(|t| self.intercept + self.slope * t)
            .collect()
    }
    /// The tier of every alternative, 0 = lowest.
    pub fn tiers(&self) -> &[usize] {
        &self.tiers
    }
    /// The ranking by RSR ([`TieRule::Average`]).
    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }
}

/// Ordinary least squares `y = a + b x`; `x` is not constant.
fn least_squares(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let b = sxy / sxx;
    (my - b * mx, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each tabulated probit is `5 + Phi^-1(P)` of its tabulated percentile, to the digits the
    /// table prints (one decimal, two for seven tiers).
    #[test]
    fn tier_thresholds_are_the_probits_of_the_tabulated_percentiles() {
        let normal = Normal::standard();
        let table: [(RsrTiers, &[f64], i32); 5] = [
            (RsrTiers::Three, &[15.866, 84.134], 1),
            (RsrTiers::Four, &[6.681, 50.0, 93.319], 1),
            (RsrTiers::Five, &[3.593, 27.425, 72.575, 96.407], 1),
            (RsrTiers::Six, &[2.275, 15.866, 50.0, 84.134, 97.725], 1),
            (
                RsrTiers::Seven,
                &[1.618, 10.027, 33.360, 66.640, 89.973, 98.382],
                2,
            ),
        ];
        for (tiers, percentiles, decimals) in table {
            let scale = 10f64.powi(decimals);
            for (t, p) in tiers.thresholds().iter().zip(percentiles) {
                let probit = 5.0 + normal.inverse_cdf(p / 100.0);
                assert!(
                    ((probit * scale).round() / scale - t).abs() < 1e-9,
                    "{tiers:?}: P{p} has probit {probit}, tabulated {t}"
                );
            }
            assert_eq!(tiers.thresholds().len(), percentiles.len());
        }
    }
}
