//! Internal consistency of a scale: Cronbach's alpha (raw and standardised), alpha if item
//! deleted, corrected item-total correlations and the split-half coefficient.

use crate::error::{AnalysisError, Error, Result};
use crate::hierarchy::IndicatorTree;

use super::comoments::CovarianceAccumulator;
use super::dimensions;
use super::table::Responses;

/// How missing answers enter the item covariance matrix.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{MissingPolicy, Reliability, Responses};
///
/// let t = Responses::new(
///     vec!["a".into(), "b".into()],
///     vec![vec![Some(1.0), Some(1.0)], vec![Some(2.0), Some(3.0)], vec![Some(3.0), None], vec![Some(4.0), Some(4.0)]],
/// )?;
/// let listwise = Reliability::of(&t, MissingPolicy::Listwise)?;
/// let pairwise = Reliability::of(&t, MissingPolicy::Pairwise)?;
/// assert_eq!((listwise.respondents(), pairwise.respondents()), (3, 4));
/// assert_eq!(pairwise.policy(), MissingPolicy::Pairwise);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MissingPolicy {
    /// Only respondents who answered every item (SPSS RELIABILITY, pingouin
    /// `nan_policy='listwise'`). The default.
    #[default]
    Listwise,
    /// Each covariance over the respondents who answered both items, each variance over those
    /// who answered the item, each with its own means (pandas `DataFrame.cov`, pingouin
    /// `nan_policy='pairwise'`). Uses more data, but the matrix need not be positive
    /// semi-definite.
    Pairwise,
}

/// Reliability of a set of items (a scale or one dimension of it).
///
/// Everything is computed from the `k × k` sample covariance matrix `C` of the items
/// (divisor `n - 1`), built under the declared [`MissingPolicy`]:
///
/// ```text
/// alpha            = k/(k-1) * (1 - sum_i C_ii / sum_ij C_ij)                 (Cronbach 1951)
/// r_ij             = C_ij / sqrt(C_ii C_jj),   rbar = mean of r_ij over i < j
/// alpha_std        = k rbar / (1 + (k-1) rbar)                               (standardised)
/// alpha_if_deleted = alpha of C without row and column i (the same respondents as alpha)
/// r_item_total(i)  = sum_{j != i} C_ij / sqrt(C_ii * sum_{j,l != i} C_jl)     (corrected)
/// split-half       = r_AB of the odd items' sum A (1st, 3rd, ...) and the even items' sum B;
///                    Spearman–Brown: 2 r_AB / (1 + r_AB)
/// ```
///
/// A variance of a sum of items at most `1e-10` times the sum of their own variances counts as
/// zero: it is zero in exact arithmetic, and the rest is rounding noise.
///
/// Undefined values are `None`, never NaN: `alpha_std` when an item has zero variance (or the
/// denominator vanishes), `alpha_if_deleted` when `k < 3` or the remaining total variance is
/// not positive, an item-total correlation for a zero-variance item or rest, the split-half
/// coefficients when a half has zero variance, Spearman–Brown when `r_AB = -1` (within
/// `1e-10`, the rounding of an exact -1).
///
/// # References
///
/// * Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
///   *Psychometrika* 16(3), 297–334.
/// * Spearman, C. (1910); Brown, W. (1910). *British Journal of Psychology* 3, 271–295 and
///   296–322.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{MissingPolicy, Reliability, Responses};
///
/// let table = Responses::new(
///     vec!["a".into(), "b".into(), "c".into()],
///     vec![
///         vec![Some(1.0), Some(2.0), Some(2.0)],
///         vec![Some(2.0), Some(2.0), Some(3.0)],
///         vec![Some(4.0), Some(5.0), Some(4.0)],
///         vec![Some(5.0), Some(4.0), None],
///     ],
/// )?;
/// let rel = Reliability::of(&table, MissingPolicy::Listwise)?;
/// assert_eq!(rel.respondents(), 3);
/// assert!(rel.alpha() > 0.9 && rel.alpha() <= 1.0);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "Cronbach")]
pub struct Reliability {
    policy: MissingPolicy,
    items: Vec<String>,
    respondents: usize,
    alpha: f64,
    alpha_standardized: Option<f64>,
    alpha_if_deleted: Vec<Option<f64>>,
    item_total: Vec<Option<f64>>,
    split_half: Option<f64>,
    spearman_brown: Option<f64>,
}

impl Reliability {
    /// The reliability of all the variables of `table`, as items of one scale.
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::TooFewItems`]: fewer than 2 items;
    /// * [`AnalysisError::TooFewObservations`]: fewer than 2 respondents (listwise: with every
    ///   item answered; pairwise: for some pair of items);
    /// * [`AnalysisError::ZeroVariance`]: the total score has zero variance (every respondent
    ///   gave the same total), or, pairwise, a non-positive one.
    pub fn of(table: &Responses, policy: MissingPolicy) -> Result<Self> {
        let k = table.variable_count();
        check_items(k)?;
        let (c, respondents) = match policy {
            MissingPolicy::Listwise => listwise_cov(table)?,
            MissingPolicy::Pairwise => pairwise_cov(table)?,
        };
        Self::from_covariances(table.ids().to_vec(), policy, &c, respondents)
    }

    /// The reliability of all the variables of a [`CovarianceAccumulator`] (one pass over a
    /// file, without keeping its rows): the same result as [`of`](Self::of) on the rows
    /// pushed.
    ///
    /// # Errors
    ///
    /// As [`of`](Self::of).
    ///
    /// # Examples
    ///
    /// See [`CovarianceAccumulator`].
    pub fn from_comoments(acc: &CovarianceAccumulator, policy: MissingPolicy) -> Result<Self> {
        check_items(acc.ids().len())?;
        let (c, respondents) = acc.covariances(policy == MissingPolicy::Listwise)?;
        Self::from_covariances(acc.ids().to_vec(), policy, &c, respondents)
    }

    /// Everything from the covariance matrix `c` of `items` (at least 2).
    fn from_covariances(
        items: Vec<String>,
        policy: MissingPolicy,
        c: &[Vec<f64>],
        respondents: usize,
    ) -> Result<Self> {
        let k = items.len();
        let c = c.to_vec();
        let all: Vec<usize> = (0..k).collect();
        let alpha = alpha_of(&c, &all).ok_or(AnalysisError::ZeroVariance {
            what: "Cronbach's alpha",
            of: "the total score",
        })?;
        let alpha_if_deleted = (0..k)
            .map(|i| {
                let rest: Vec<usize> = all.iter().copied().filter(|&j| j != i).collect();
                if rest.len() < 2 {
                    None
                } else {
                    alpha_of(&c, &rest)
                }
            })
            .collect();
        let item_total = (0..k)
            .map(|i| {
                let rest: Vec<usize> = all.iter().copied().filter(|&j| j != i).collect();
                correlation(
                    sum_block(&c, &[i], &rest),
                    sum_variance(&c, &[i]),
                    sum_variance(&c, &rest),
                )
            })
            .collect();
        let odd: Vec<usize> = all.iter().copied().step_by(2).collect();
        let even: Vec<usize> = all.iter().copied().skip(1).step_by(2).collect();
        let split_half = correlation(
            sum_block(&c, &odd, &even),
            sum_variance(&c, &odd),
            sum_variance(&c, &even),
        );
        // r = -1 up to rounding: the step-up is undefined, and near it only rounding noise
        let spearman_brown = split_half
            .filter(|r| 1.0 + r > ZERO_SUM_VARIANCE_RTOL)
            .map(|r| 2.0 * r / (1.0 + r))
            .filter(|x| x.is_finite());
        Ok(Self {
            policy,
            items,
            respondents,
            alpha,
            alpha_standardized: standardized_alpha(&c),
            alpha_if_deleted,
            item_total,
            split_half,
            spearman_brown,
        })
    }

    /// The missing-value policy the covariances were computed under.
    pub fn policy(&self) -> MissingPolicy {
        self.policy
    }
    /// The items, in the table's order.
    pub fn items(&self) -> &[String] {
        &self.items
    }
    /// Respondents used: listwise, those who answered every item; pairwise, those who answered
    /// at least one.
    pub fn respondents(&self) -> usize {
        self.respondents
    }
    /// Cronbach's alpha on the raw covariances (at most 1; may be negative).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Standardised alpha, from the mean inter-item correlation.
    pub fn alpha_standardized(&self) -> Option<f64> {
        self.alpha_standardized
    }
    /// Alpha of the scale without item `i`, for each item.
    pub fn alpha_if_deleted(&self) -> &[Option<f64>] {
        &self.alpha_if_deleted
    }
    /// Correlation of each item with the sum of the other items.
    pub fn item_total(&self) -> &[Option<f64>] {
        &self.item_total
    }
    /// Correlation of the odd-numbered items' sum with the even-numbered items' sum.
    pub fn split_half(&self) -> Option<f64> {
        self.split_half
    }
    /// The split-half correlation stepped up to full length (Spearman–Brown).
    pub fn spearman_brown(&self) -> Option<f64> {
        self.spearman_brown
    }
}

/// A variance of a sum of items at or below this fraction of the sum of the items' own variances is
/// taken as zero: it is zero in exact arithmetic (the items cancel out) and only rounding
/// noise of the order of `k^2` ulp remains, which would otherwise give an alpha of `-1e15`.
const ZERO_SUM_VARIANCE_RTOL: f64 = 1e-10;

/// The variance of the sum of the items `idx`, `None` when it is (relatively) zero.
fn sum_variance(c: &[Vec<f64>], idx: &[usize]) -> Option<f64> {
    let total = sum_block(c, idx, idx);
    let items: f64 = idx.iter().map(|&i| c[i][i]).sum();
    (total > ZERO_SUM_VARIANCE_RTOL * items).then_some(total)
}

/// `sum_{i in a, j in b} C_ij`.
fn sum_block(c: &[Vec<f64>], a: &[usize], b: &[usize]) -> f64 {
    a.iter()
        .map(|&i| b.iter().map(|&j| c[i][j]).sum::<f64>())
        .sum()
}

/// `cov / sqrt(var_a var_b)`, `None` unless both variances are defined and positive (and the
/// ratio finite); clamped to [-1, 1].
fn correlation(cov: f64, var_a: Option<f64>, var_b: Option<f64>) -> Option<f64> {
    let (var_a, var_b) = (var_a?, var_b?);
    let r = cov / (var_a.sqrt() * var_b.sqrt());
    (var_a > 0.0 && var_b > 0.0 && r.is_finite()).then(|| r.clamp(-1.0, 1.0))
}

/// Alpha of the items `idx`; `None` when their total variance is (relatively) zero or negative.
fn alpha_of(c: &[Vec<f64>], idx: &[usize]) -> Option<f64> {
    let k = idx.len() as f64;
    let total = sum_variance(c, idx)?;
    let items: f64 = idx.iter().map(|&i| c[i][i]).sum();
    let alpha = k / (k - 1.0) * (1.0 - items / total);
    alpha.is_finite().then_some(alpha)
}

/// Alpha from the mean inter-item correlation; `None` when a variance is zero or the
/// denominator `1 + (k-1) rbar` is (relatively) zero.
fn standardized_alpha(c: &[Vec<f64>]) -> Option<f64> {
    let k = c.len();
    let mut sum = 0.0;
    for i in 0..k {
        for j in i + 1..k {
            sum += correlation(c[i][j], sum_variance(c, &[i]), sum_variance(c, &[j]))?;
        }
    }
    let kf = k as f64;
    let rbar = sum / (kf * (kf - 1.0) / 2.0);
    // the denominator is 0 when every correlation is -1/(k-1) (for k = 2: r = -1); near it only
    // rounding noise is left
    let denominator = 1.0 + (kf - 1.0) * rbar;
    let a = kf * rbar / denominator;
    (denominator.abs() > ZERO_SUM_VARIANCE_RTOL && a.is_finite()).then_some(a)
}

/// [`AnalysisError::TooFewItems`] for fewer than 2 items.
fn check_items(k: usize) -> Result<()> {
    if k < 2 {
        return Err(AnalysisError::TooFewItems {
            what: "reliability",
            needed: 2,
            found: k,
        }
        .into());
    }
    Ok(())
}

/// [`AnalysisError::TooFewObservations`] for reliability.
fn too_few(found: usize) -> Error {
    AnalysisError::TooFewObservations {
        what: "reliability",
        needed: 2,
        found,
    }
    .into()
}

/// Sample covariance matrix over the rows with every item answered, and their number.
fn listwise_cov(table: &Responses) -> Result<(Vec<Vec<f64>>, usize)> {
    let k = table.variable_count();
    let rows: Vec<Vec<f64>> = table
        .rows()
        .iter()
        .filter_map(|r| r.iter().copied().collect::<Option<Vec<f64>>>())
        .collect();
    let n = rows.len();
    if n < 2 {
        return Err(too_few(n));
    }
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in i..k {
            let pairs: Vec<(f64, f64)> = rows.iter().map(|r| (r[i], r[j])).collect();
            c[i][j] = super::covariance(&pairs).unwrap_or(0.0);
            c[j][i] = c[i][j];
        }
    }
    Ok((c, n))
}

/// Sample covariance matrix, each entry over the rows where both items are answered, and the
/// number of rows with at least one answer.
fn pairwise_cov(table: &Responses) -> Result<(Vec<Vec<f64>>, usize)> {
    let k = table.variable_count();
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in i..k {
            let pairs: Vec<(f64, f64)> = table
                .rows()
                .iter()
                .filter_map(|r| Some((r[i]?, r[j]?)))
                .collect();
            c[i][j] = super::covariance(&pairs).ok_or_else(|| too_few(pairs.len()))?;
            c[j][i] = c[i][j];
        }
    }
    let respondents = table
        .rows()
        .iter()
        .filter(|r| r.iter().any(Option::is_some))
        .count();
    Ok((c, respondents))
}

/// The reliability of one dimension of the hierarchy.
///
/// # Examples
///
/// See [`reliability_by_dimension`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DimensionReliability {
    dimension: String,
    reliability: Reliability,
}

impl DimensionReliability {
    /// The id of the dimension (a group of the tree).
    pub fn dimension(&self) -> &str {
        &self.dimension
    }
    /// Its reliability, over its leaf items.
    pub fn reliability(&self) -> &Reliability {
        &self.reliability
    }
}

/// The reliability of each dimension of `tree`: every group whose leaf children include at
/// least 2 variables of `table` (in the tree's preorder), over those items.
///
/// Groups with fewer than 2 such items are left out (alpha needs 2 items); for the whole
/// questionnaire use [`Reliability::of`] on the table.
///
/// # Errors
///
/// The errors of [`Reliability::of`] for a dimension, wrapped in
/// [`Error::AtNode`](crate::Error::AtNode) with the dimension's path.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{reliability_by_dimension, MissingPolicy, Responses};
/// use service_quality::{IndicatorTree, NodeSpec};
///
/// let tree = IndicatorTree::new(
///     NodeSpec::group("goal", "Goal", vec![
///         NodeSpec::group("speed", "Speed", vec![NodeSpec::leaf("a", "A"), NodeSpec::leaf("b", "B")])
///             .with_weights(vec![0.5, 0.5]),
///         NodeSpec::leaf("c", "C"),
///     ])
///     .with_weights(vec![0.5, 0.5]),
/// )?;
/// let table = Responses::new(
///     vec!["a".into(), "b".into(), "c".into()],
///     vec![
///         vec![Some(1.0), Some(2.0), Some(3.0)],
///         vec![Some(3.0), Some(3.0), Some(1.0)],
///         vec![Some(4.0), Some(5.0), Some(2.0)],
///     ],
/// )?;
/// let dims = reliability_by_dimension(&tree, &table, MissingPolicy::Listwise)?;
/// assert_eq!(dims.len(), 1); // `goal` has one leaf child, `c`
/// assert_eq!(dims[0].dimension(), "speed");
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn reliability_by_dimension(
    tree: &IndicatorTree,
    table: &Responses,
    policy: MissingPolicy,
) -> Result<Vec<DimensionReliability>> {
    dimensions::of_tree(tree, table)
        .into_iter()
        .filter(|d| d.columns.len() >= 2)
        .map(|d| {
            let ids: Vec<&str> = d.columns.iter().map(|&j| table.ids()[j].as_str()).collect();
            let reliability = table
                .select(&ids)
                .and_then(|t| Reliability::of(&t, policy))
                .map_err(|e| Error::AtNode {
                    path: d.path.clone(),
                    source: Box::new(e),
                })?;
            Ok(DimensionReliability {
                dimension: d.id,
                reliability,
            })
        })
        .collect()
}
