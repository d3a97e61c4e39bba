//! Construct validity of a questionnaire: sampling adequacy (Kaiser–Meyer–Olkin), Bartlett's
//! test of sphericity, and an exploratory factor analysis (principal components of the
//! correlation matrix with varimax rotation) checked against the hierarchy's dimensions.

use nalgebra::{DMatrix, SymmetricEigen, SVD};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::error::{AnalysisError, Result};
use crate::hierarchy::IndicatorTree;

use super::assignment;
use super::correlation::{CorrelationMatrix, CorrelationMethod};
use super::dimensions;
use super::table::Responses;

/// The smallest eigenvalue of a correlation matrix, as a fraction of its largest, below which
/// the matrix counts as singular: its inverse (and so KMO) and its log-determinant (and so
/// Bartlett's statistic) are then rounding noise.
pub const SINGULAR_RCOND: f64 = 1e-10;

/// Kaiser's varimax stops when the criterion grows by less than this fraction (as
/// factor_analyzer's `Rotator`).
const VARIMAX_TOL: f64 = 1e-5;
/// At most this many varimax iterations (as factor_analyzer's `Rotator`).
const VARIMAX_MAX_ITER: usize = 1000;

/// The Pearson correlation matrix of the respondents who answered every item (listwise
/// deletion), with its eigen-decomposition (eigenvalues descending), and the number of
/// respondents.
struct Correlations {
    items: Vec<String>,
    respondents: usize,
    r: DMatrix<f64>,
    values: Vec<f64>,
    vectors: DMatrix<f64>,
}

impl Correlations {
    fn of(table: &Responses, what: &'static str) -> Result<Self> {
        let k = table.variable_count();
        if k < 2 {
            return Err(AnalysisError::TooFewItems {
                what,
                needed: 2,
                found: k,
            }
            .into());
        }
        let complete: Vec<Vec<Option<f64>>> = table
            .rows()
            .iter()
            .filter(|row| row.iter().all(Option::is_some))
            .cloned()
            .collect();
        let respondents = complete.len();
        if respondents < 3 {
            return Err(AnalysisError::TooFewObservations {
                what,
                needed: 3,
                found: respondents,
            }
            .into());
        }
        let listwise = Responses::new(table.ids().to_vec(), complete)?;
        let m = CorrelationMatrix::of(&listwise, CorrelationMethod::Pearson);
        let mut r = DMatrix::identity(k, k);
        for i in 0..k {
            for j in 0..k {
                if i != j {
                    r[(i, j)] = m.r(i, j).ok_or(AnalysisError::ZeroVariance {
                        what,
                        of: "an item",
                    })?;
                }
            }
        }
        let eigen = SymmetricEigen::try_new(r.clone(), f64::EPSILON, 0)
            .ok_or(AnalysisError::SingularCorrelation { what })?;
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
        let values = order.iter().map(|&i| eigen.eigenvalues[i]).collect();
        let vectors = DMatrix::from_fn(k, k, |i, j| eigen.eigenvectors[(i, order[j])]);
        Ok(Self {
            items: table.ids().to_vec(),
            respondents,
            r,
            values,
            vectors,
        })
    }

    /// [`AnalysisError::SingularCorrelation`] unless every eigenvalue is above
    /// [`SINGULAR_RCOND`] times the largest.
    fn check_regular(&self, what: &'static str) -> Result<()> {
        let largest = self.values.first().copied().unwrap_or(0.0);
        let smallest = self.values.last().copied().unwrap_or(0.0);
        if smallest > SINGULAR_RCOND * largest {
            Ok(())
        } else {
            Err(AnalysisError::SingularCorrelation { what }.into())
        }
    }
}

/// Whether the items' correlations suit a factor analysis: the Kaiser–Meyer–Olkin measure of
/// sampling adequacy (overall and per item) and Bartlett's test of sphericity.
///
/// Both are computed from the Pearson correlation matrix `R` of the `n` respondents who
/// answered every item (listwise deletion), of `p` items. With the anti-image (partial)
/// correlations `q_ij = -S_ij / sqrt(S_ii S_jj)`, `S = R^-1`:
///
/// ```text
/// MSA_i = sum_{j != i} r_ij^2 / (sum_{j != i} r_ij^2 + sum_{j != i} q_ij^2)      (per item)
/// KMO   = sum_{i != j} r_ij^2 / (sum_{i != j} r_ij^2 + sum_{i != j} q_ij^2)      (overall)
/// chi2  = -(n - 1 - (2p + 5)/6) ln |R|,   df = p(p - 1)/2,   p-value = P(X > chi2), X ~ chi2(df)
/// ```
///
/// The inverse and the log-determinant come from the eigen-decomposition of `R` (`ln |R|` as
/// the sum of the eigenvalues' logarithms); the p-value from `statrs`' chi-square
/// distribution. Kaiser (1974) reads KMO of 0.9 and above as marvellous, 0.8 meritorious, 0.7
/// middling, 0.6 mediocre, 0.5 miserable and below 0.5 unacceptable.
///
/// # References
///
/// * Kaiser, H. F. (1974). An index of factorial simplicity. *Psychometrika* 39(1), 31–36.
/// * Bartlett, M. S. (1950). Tests of significance in factor analysis. *British Journal of
///   Statistical Psychology* 3(2), 77–85.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{Responses, SamplingAdequacy};
///
/// let t = Responses::new(
///     vec!["a".into(), "b".into(), "c".into()],
///     vec![
///         vec![Some(1.0), Some(2.0), Some(1.0)],
///         vec![Some(2.0), Some(2.0), Some(3.0)],
///         vec![Some(3.0), Some(4.0), Some(2.0)],
///         vec![Some(4.0), Some(3.0), Some(4.0)],
///         vec![Some(5.0), Some(5.0), Some(4.0)],
///     ],
/// )?;
/// let s = SamplingAdequacy::of(&t)?;
/// assert!(s.kmo() > 0.0 && s.kmo() < 1.0);
/// assert_eq!((s.bartlett_df(), s.respondents()), (3, 5));
/// assert!(s.bartlett_p() >= 0.0 && s.bartlett_p() <= 1.0);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "KMO")]
#[doc(alias = "Bartlett")]
pub struct SamplingAdequacy {
    items: Vec<String>,
    respondents: usize,
    kmo: f64,
    msa: Vec<f64>,
    chi_square: f64,
    df: usize,
    p_value: f64,
}

impl SamplingAdequacy {
    /// KMO and Bartlett's test of the variables of `table`, as items of one questionnaire.
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::TooFewItems`]: fewer than 2 items;
    /// * [`AnalysisError::TooFewObservations`]: fewer than 3 respondents answered every item
    ///   (with 2, every correlation is ±1);
    /// * [`AnalysisError::ZeroVariance`]: an item has the same answer from every respondent;
    /// * [`AnalysisError::SingularCorrelation`]: the correlation matrix is singular (an item is
    ///   a linear combination of others, or fewer respondents than items): its smallest
    ///   eigenvalue is at most [`SINGULAR_RCOND`] times its largest.
    pub fn of(table: &Responses) -> Result<Self> {
        const WHAT: &str = "KMO and Bartlett's test";
        let c = Correlations::of(table, WHAT)?;
        c.check_regular(WHAT)?;
        let p = c.items.len();
        let inverse_values = DMatrix::from_diagonal(&nalgebra::DVector::from_iterator(
            p,
            c.values.iter().map(|v| 1.0 / v),
        ));
        let s = &c.vectors * inverse_values * c.vectors.transpose();
        let (mut r2_total, mut q2_total) = (0.0, 0.0);
        let msa = (0..p)
            .map(|i| {
                let (mut r2, mut q2) = (0.0, 0.0);
                for j in (0..p).filter(|&j| j != i) {
                    let q = -s[(i, j)] / (s[(i, i)] * s[(j, j)]).sqrt();
                    r2 += c.r[(i, j)] * c.r[(i, j)];
                    q2 += q * q;
                }
                r2_total += r2;
                q2_total += q2;
                ratio(r2, r2 + q2)
            })
            .collect();
        let ln_det: f64 = c.values.iter().map(|v| v.ln()).sum();
        let n = c.respondents as f64;
        let pf = p as f64;
        // at least 3 respondents and a regular R (so n > p): the factor is positive
        let chi_square = (-(n - 1.0 - (2.0 * pf + 5.0) / 6.0) * ln_det).max(0.0);
        let df = p * (p - 1) / 2;
        let p_value = ChiSquared::new(df as f64).map_or(1.0, |d| d.sf(chi_square).clamp(0.0, 1.0));
        Ok(Self {
            items: c.items,
            respondents: c.respondents,
            kmo: ratio(r2_total, r2_total + q2_total),
            msa,
            chi_square,
            df,
            p_value,
        })
    }

    /// The items, in the table's order.
    pub fn items(&self) -> &[String] {
        &self.items
    }
    /// Respondents who answered every item (those used).
    pub fn respondents(&self) -> usize {
        self.respondents
    }
    /// The overall Kaiser–Meyer–Olkin measure, in `[0, 1]`.
    pub fn kmo(&self) -> f64 {
        self.kmo
    }
    /// The measure of sampling adequacy of each item, in `[0, 1]`, in the table's order.
    pub fn msa(&self) -> &[f64] {
        &self.msa
    }
    /// Bartlett's chi-square statistic (at least 0).
    pub fn bartlett_chi_square(&self) -> f64 {
        self.chi_square
    }
    /// Degrees of freedom of Bartlett's test, `p(p - 1)/2`.
    pub fn bartlett_df(&self) -> usize {
        self.df
    }
    /// The p-value of Bartlett's test (upper tail of the chi-square distribution).
    pub fn bartlett_p(&self) -> f64 {
        self.p_value
    }
}

/// `a / b`, 0 when `b` is 0 (only when every correlation is 0).
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        (a / b).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// How many factors a [`FactorAnalysis`] keeps.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::FactorCount;
///
/// assert_eq!(FactorCount::default(), FactorCount::Kaiser);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FactorCount {
    /// Kaiser's criterion: as many as eigenvalues of the correlation matrix above 1 (at
    /// least 1). The default.
    #[default]
    Kaiser,
    /// A given number, from 1 to the number of items.
    Fixed(usize),
}

/// An exploratory factor analysis: principal components of the correlation matrix, with
/// Kaiser-normalised varimax rotation.
///
/// `R` is the Pearson correlation matrix of the respondents who answered every item (listwise
/// deletion); its eigenvalues `l_1 >= ... >= l_p` and unit eigenvectors `v_k` give
///
/// ```text
/// variance explained by component k = l_k / p   (cumulative: running sum)
/// loading of item i on component k  = v_ik sqrt(l_k)       (the correlation of item and component)
/// ```
///
/// for the first `m` components ([`FactorCount`]). Varimax (Kaiser 1958) rotates these `m`
/// columns orthogonally to maximise the variance of the squared loadings per column, on rows
/// normalised to unit length (Kaiser normalisation, rows scaled back afterwards), by the SVD
/// iteration of factor_analyzer's `Rotator(method='varimax')` and R's `varimax`: at most 1000
/// iterations, stopping when the criterion grows by less than a relative `1e-5`.
/// Communalities (row sums of squared loadings) are the same before and after rotation.
///
/// **Sign convention:** a component's sign is arbitrary; each column of loadings (unrotated
/// and rotated) is turned so that its entry of largest magnitude is positive.
///
/// # References
///
/// * Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
///   *Psychometrika* 23(3), 187–200.
/// * Kaiser, H. F. (1960). The application of electronic computers to factor analysis.
///   *Educational and Psychological Measurement* 20(1), 141–151 (the eigenvalue-one rule).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{FactorAnalysis, FactorCount, Responses};
///
/// let t = Responses::new(
///     vec!["a1".into(), "a2".into(), "b1".into(), "b2".into()],
///     vec![
///         vec![Some(1.0), Some(1.0), Some(3.0), Some(4.0)],
///         vec![Some(2.0), Some(2.0), Some(1.0), Some(1.0)],
///         vec![Some(3.0), Some(4.0), Some(4.0), Some(3.0)],
///         vec![Some(4.0), Some(4.0), Some(2.0), Some(2.0)],
///         vec![Some(5.0), Some(4.0), Some(5.0), Some(5.0)],
///         vec![Some(2.0), Some(1.0), Some(2.0), Some(1.0)],
///     ],
/// )?;
/// let fa = FactorAnalysis::of(&t, FactorCount::Fixed(2))?;
/// assert_eq!(fa.factors(), 2);
/// let eigen_sum: f64 = fa.eigenvalues().iter().sum();
/// assert!((eigen_sum - 4.0).abs() < 1e-12); // the trace of R
/// // a1 and a2 load highest on one factor, b1 and b2 on the other
/// assert_eq!(fa.primary_factor(0), fa.primary_factor(1));
/// assert_ne!(fa.primary_factor(0), fa.primary_factor(2));
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[doc(alias = "EFA")]
#[doc(alias = "PCA")]
#[doc(alias = "varimax")]
pub struct FactorAnalysis {
    items: Vec<String>,
    respondents: usize,
    eigenvalues: Vec<f64>,
    variance_explained: Vec<f64>,
    cumulative_variance: Vec<f64>,
    loadings: Vec<Vec<f64>>,
    rotated: Vec<Vec<f64>>,
    rotated_variance: Vec<f64>,
    communalities: Vec<f64>,
}

impl FactorAnalysis {
    /// The factor analysis of the variables of `table`, keeping `count` factors.
    ///
    /// A singular correlation matrix is allowed (its zero eigenvalues are reported, clamped
    /// at 0).
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::TooFewItems`]: fewer than 2 items;
    /// * [`AnalysisError::TooFewObservations`]: fewer than 3 respondents answered every item;
    /// * [`AnalysisError::ZeroVariance`]: an item has the same answer from every respondent;
    /// * [`AnalysisError::InvalidParameter`]: a [`FactorCount::Fixed`] of 0 or more than the
    ///   number of items.
    pub fn of(table: &Responses, count: FactorCount) -> Result<Self> {
        const WHAT: &str = "factor analysis";
        let c = Correlations::of(table, WHAT)?;
        let p = c.items.len();
        let eigenvalues: Vec<f64> = c.values.iter().map(|v| v.max(0.0)).collect();
        let m = match count {
            FactorCount::Kaiser => eigenvalues.iter().filter(|&&l| l > 1.0).count().max(1),
            FactorCount::Fixed(m) if (1..=p).contains(&m) => m,
            FactorCount::Fixed(m) => {
                return Err(AnalysisError::InvalidParameter {
                    what: "number of factors",
                    range: "1 ..= the number of items",
                    value: m,
                }
                .into())
            }
        };
        let pf = p as f64;
        let variance_explained: Vec<f64> = eigenvalues.iter().map(|l| l / pf).collect();
        let cumulative_variance = variance_explained
            .iter()
            .scan(0.0, |s, v| {
                *s += v;
                Some(*s)
            })
            .collect();
        let mut loadings = DMatrix::from_fn(p, m, |i, k| c.vectors[(i, k)] * eigenvalues[k].sqrt());
        orient_columns(&mut loadings);
        let mut rotated = varimax(&loadings);
        orient_columns(&mut rotated);
        let rotated_variance = (0..m)
            .map(|k| rotated.column(k).iter().map(|x| x * x).sum())
            .collect();
        let communalities = (0..p)
            .map(|i| loadings.row(i).iter().map(|x| x * x).sum())
            .collect();
        Ok(Self {
            items: c.items,
            respondents: c.respondents,
            eigenvalues,
            variance_explained,
            cumulative_variance,
            loadings: rows_of(&loadings),
            rotated: rows_of(&rotated),
            rotated_variance,
            communalities,
        })
    }

    /// The items, in the table's order.
    pub fn items(&self) -> &[String] {
        &self.items
    }
    /// Respondents who answered every item (those used).
    pub fn respondents(&self) -> usize {
        self.respondents
    }
    /// The number of factors kept.
    pub fn factors(&self) -> usize {
        self.rotated_variance.len()
    }
    /// All `p` eigenvalues of the correlation matrix, descending (they sum to `p`).
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }
    /// The proportion of the total variance each component explains (eigenvalue / `p`).
    pub fn variance_explained(&self) -> &[f64] {
        &self.variance_explained
    }
    /// The cumulative proportion of variance explained by the first 1, 2, ... components.
    pub fn cumulative_variance(&self) -> &[f64] {
        &self.cumulative_variance
    }
    /// Unrotated loadings: one row per item, one column per factor kept.
    pub fn loadings(&self) -> &[Vec<f64>] {
        &self.loadings
    }
    /// Varimax-rotated loadings: one row per item, one column per factor kept.
    pub fn rotated_loadings(&self) -> &[Vec<f64>] {
        &self.rotated
    }
    /// The variance (sum of squared rotated loadings) of each rotated factor.
    pub fn rotated_variance(&self) -> &[f64] {
        &self.rotated_variance
    }
    /// The communality of each item: its variance explained by the factors kept.
    pub fn communalities(&self) -> &[f64] {
        &self.communalities
    }
    /// The 0-based factor on which item `i` has its largest rotated loading in magnitude (the
    /// first of equal ones); `None` for an item index out of range.
    pub fn primary_factor(&self, i: usize) -> Option<usize> {
        let row = self.rotated.get(i)?;
        let mut best: Option<(usize, f64)> = None;
        for (k, x) in row.iter().enumerate() {
            if best.is_none_or(|(_, b)| x.abs() > b) {
                best = Some((k, x.abs()));
            }
        }
        best.map(|(k, _)| k)
    }

    /// The structure-validity table with each dimension's factor chosen by majority
    /// ([`FactorAssignment::Majority`]): which factor each item of `tree`'s dimensions loads
    /// highest on, and whether the items of a dimension share a factor.
    ///
    /// Each dimension is a group of `tree` with leaf children among this analysis's items (as
    /// in [`reliability_by_dimension`](super::reliability_by_dimension)). A dimension's factor
    /// is the one most of its items load highest on (the lowest such factor on a tie); an item
    /// matches when it loads highest on its dimension's factor. Two dimensions may share a
    /// factor under this rule; [`structure_with`](Self::structure_with) and
    /// [`FactorAssignment::OneToOne`] give each dimension its own.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::analysis::{FactorAnalysis, FactorCount, Responses};
    /// use service_quality::{IndicatorTree, NodeSpec};
    ///
    /// let tree = IndicatorTree::new(
    ///     NodeSpec::group("goal", "Goal", vec![
    ///         NodeSpec::group("a", "A", vec![NodeSpec::leaf("a1", "A1"), NodeSpec::leaf("a2", "A2")])
    ///             .with_weights(vec![0.5, 0.5]),
    ///         NodeSpec::group("b", "B", vec![NodeSpec::leaf("b1", "B1"), NodeSpec::leaf("b2", "B2")])
    ///             .with_weights(vec![0.5, 0.5]),
    ///     ])
    ///     .with_weights(vec![0.5, 0.5]),
    /// )?;
    /// let t = Responses::new(
    ///     vec!["a1".into(), "a2".into(), "b1".into(), "b2".into()],
    ///     vec![
    ///         vec![Some(1.0), Some(1.0), Some(3.0), Some(4.0)],
    ///         vec![Some(2.0), Some(2.0), Some(1.0), Some(1.0)],
    ///         vec![Some(3.0), Some(4.0), Some(4.0), Some(3.0)],
    ///         vec![Some(4.0), Some(4.0), Some(2.0), Some(2.0)],
    ///         vec![Some(5.0), Some(4.0), Some(5.0), Some(5.0)],
    ///         vec![Some(2.0), Some(1.0), Some(2.0), Some(1.0)],
    ///     ],
    /// )?;
    /// let fa = FactorAnalysis::of(&t, FactorCount::Fixed(2))?;
    /// let table = fa.structure(&tree);
    /// assert_eq!(table.items().len(), 4);
    /// assert_eq!(table.matches(), 4);
    /// assert!(table.items().iter().all(|i| i.matches()));
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn structure(&self, tree: &IndicatorTree) -> StructureValidity {
        let dims = self.dimensions_of(tree);
        let factors = dims.iter().map(|d| self.majority_factor(d)).collect();
        self.structure_table(dims, factors, FactorAssignment::Majority)
    }

    /// The structure-validity table with each dimension's factor chosen by `rule`.
    ///
    /// With [`FactorAssignment::OneToOne`] no two dimensions share a factor: of all the ways to
    /// give each dimension a factor of its own, the table uses the one under which the most
    /// items load highest on their own dimension's factor; among those, the one with the
    /// largest sum, over the items, of the absolute rotated loading on their dimension's factor
    /// (found by the Hungarian method). With [`FactorAssignment::Majority`] it is
    /// [`structure`](Self::structure).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::TooFewFactors`] for [`FactorAssignment::OneToOne`] when `tree` has more
    /// dimensions among the items than the analysis kept factors.
    ///
    /// # Examples
    ///
    /// ```
    /// use service_quality::analysis::{FactorAnalysis, FactorAssignment, FactorCount, Responses};
    /// use service_quality::{IndicatorTree, NodeSpec};
    ///
    /// let leaves = |ids: &[&str]| ids.iter().map(|id| NodeSpec::leaf(*id, *id)).collect::<Vec<_>>();
    /// let group = |id: &str, ids: &[&str]| {
    ///     NodeSpec::group(id, id, leaves(ids)).with_weights(vec![1.0 / ids.len() as f64; ids.len()])
    /// };
    /// // a and b measure one thing; c two things of its own
    /// let tree = IndicatorTree::new(
    ///     NodeSpec::group("goal", "Goal", vec![
    ///         group("a", &["a1", "a2"]), group("b", &["b1", "b2"]), group("c", &["c1", "c2", "c3", "c4"]),
    ///     ])
    ///     .with_weights(vec![0.25, 0.25, 0.5]),
    /// )?;
    /// let (x, y, z) = ([1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 3.0, 5.0], [2.0, 5.0, 1.0, 4.0, 3.0, 3.0, 1.0, 4.0], [3.0, 1.0, 4.0, 1.0, 5.0, 2.0, 5.0, 2.0]);
    /// let rows = (0..8)
    ///     .map(|i| {
    ///         let (x, y, z, e) = (x[i], y[i], z[i], 0.1 * (i % 3) as f64);
    ///         [x, x + e, x - e, x + 2.0 * e, y, y + e, z, z - e].map(Some).to_vec()
    ///     })
    ///     .collect();
    /// let ids = ["a1", "a2", "b1", "b2", "c1", "c2", "c3", "c4"].map(String::from).to_vec();
    /// let fa = FactorAnalysis::of(&Responses::new(ids, rows)?, FactorCount::Fixed(3))?;
    ///
    /// let majority = fa.structure(&tree);
    /// assert_eq!(majority.dimensions()[0].factor(), majority.dimensions()[1].factor());
    /// let own = fa.structure_with(&tree, FactorAssignment::OneToOne)?;
    /// let factors: Vec<usize> = own.dimensions().iter().map(|d| d.factor()).collect();
    /// assert!(factors[0] != factors[1] && factors[1] != factors[2] && factors[0] != factors[2]);
    /// assert!(own.matches() < majority.matches());
    /// # Ok::<(), service_quality::Error>(())
    /// ```
    pub fn structure_with(
        &self,
        tree: &IndicatorTree,
        rule: FactorAssignment,
    ) -> Result<StructureValidity> {
        let dims = self.dimensions_of(tree);
        let factors = match rule {
            FactorAssignment::Majority => dims.iter().map(|d| self.majority_factor(d)).collect(),
            FactorAssignment::OneToOne => self.one_to_one_factors(&dims)?,
        };
        Ok(self.structure_table(dims, factors, rule))
    }

    /// The tree's dimensions among this analysis's items.
    fn dimensions_of(&self, tree: &IndicatorTree) -> Vec<dimensions::Dimension> {
        // the items came from a table, so their ids are valid; an empty table maps them
        Responses::new(self.items.clone(), Vec::new())
            .map(|t| dimensions::of_tree(tree, &t))
            .unwrap_or_default()
    }

    /// The factor most of `d`'s items load highest on (the lowest such factor on a tie).
    fn majority_factor(&self, d: &dimensions::Dimension) -> usize {
        let primaries: Vec<usize> = d
            .columns
            .iter()
            .filter_map(|&i| self.primary_factor(i))
            .collect();
        (0..self.factors())
            .max_by_key(|&k| {
                (
                    primaries.iter().filter(|&&f| f == k).count(),
                    core::cmp::Reverse(k),
                )
            })
            .unwrap_or(0)
    }

    /// A factor of its own for each dimension: most items on their dimension's factor, then the
    /// largest summed absolute loading on it.
    fn one_to_one_factors(&self, dims: &[dimensions::Dimension]) -> Result<Vec<usize>> {
        if dims.len() > self.factors() {
            return Err(AnalysisError::TooFewFactors {
                dimensions: dims.len(),
                factors: self.factors(),
            }
            .into());
        }
        // |loading| <= 1 for each item, so a whole item more outweighs any sum of loadings
        let scale = (self.items.len() + 1) as f64;
        let weights: Vec<Vec<f64>> = dims
            .iter()
            .map(|d| {
                (0..self.factors())
                    .map(|k| {
                        let on_k = d
                            .columns
                            .iter()
                            .filter(|&&i| self.primary_factor(i) == Some(k));
                        let loadings: f64 =
                            d.columns.iter().map(|&i| self.rotated[i][k].abs()).sum();
                        on_k.count() as f64 * scale + loadings
                    })
                    .collect()
            })
            .collect();
        assignment::max_weight_assignment(&weights).ok_or_else(|| {
            AnalysisError::TooFewFactors {
                dimensions: dims.len(),
                factors: self.factors(),
            }
            .into()
        })
    }

    /// The table for `dims` with the factors chosen for them.
    fn structure_table(
        &self,
        dims: Vec<dimensions::Dimension>,
        factors: Vec<usize>,
        rule: FactorAssignment,
    ) -> StructureValidity {
        let mut items = Vec::new();
        let mut rows = Vec::new();
        for (d, factor) in dims.into_iter().zip(factors) {
            let mut matched = 0;
            for &i in &d.columns {
                let Some(primary) = self.primary_factor(i) else {
                    continue;
                };
                let matches = primary == factor;
                matched += usize::from(matches);
                items.push(ItemStructure {
                    item: self.items[i].clone(),
                    dimension: d.id.clone(),
                    factor: primary,
                    loading: self.rotated[i][primary],
                    own_loading: self.rotated[i][factor],
                    matches,
                });
            }
            rows.push(DimensionStructure {
                dimension: d.id,
                factor,
                items: d.columns.len(),
                matches: matched,
            });
        }
        StructureValidity {
            items,
            dimensions: rows,
            assignment: rule,
        }
    }
}

/// How the structure-validity table gives each dimension of the hierarchy its factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FactorAssignment {
    /// Each dimension takes the factor most of its items load highest on (the lowest on a
    /// tie), whatever the other dimensions take: two dimensions may share a factor, which then
    /// counts every item of both as matching ([`FactorAnalysis::structure`]).
    #[default]
    Majority,
    /// Each dimension gets a factor of its own (an assignment, solved by the Hungarian
    /// method): the most items loading highest on their own dimension's factor, then the largest
    /// summed absolute loading of the items on it. Needs at least as many factors as dimensions.
    OneToOne,
}

/// Turns each column so that its entry of largest magnitude (the first of equal ones) is
/// positive.
fn orient_columns(m: &mut DMatrix<f64>) {
    for mut column in m.column_iter_mut() {
        let largest =
            column.iter().copied().fold(
                0.0_f64,
                |best, x| if x.abs() > best.abs() { x } else { best },
            );
        if largest < 0.0 {
            column.neg_mut();
        }
    }
}

/// The rows of `m` as vectors.
fn rows_of(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    m.row_iter().map(|r| r.iter().copied().collect()).collect()
}

/// Kaiser-normalised varimax rotation of `loadings` (p × m); unchanged for one column.
fn varimax(loadings: &DMatrix<f64>) -> DMatrix<f64> {
    let (p, m) = loadings.shape();
    if m < 2 {
        return loadings.clone();
    }
    // a row of zeros (an item uncorrelated with everything) stays as it is
    let norms: Vec<f64> = loadings
        .row_iter()
        .map(|r| r.norm())
        .map(|n| if n > 0.0 { n } else { 1.0 })
        .collect();
    let x = DMatrix::from_fn(p, m, |i, k| loadings[(i, k)] / norms[i]);
    let mut rotation = DMatrix::<f64>::identity(m, m);
    let mut d = 0.0;
    for _ in 0..VARIMAX_MAX_ITER {
        let old_d = d;
        let basis = &x * &rotation;
        let column_ss: Vec<f64> = basis
            .column_iter()
            .map(|c| c.iter().map(|b| b * b).sum())
            .collect();
        let target = DMatrix::from_fn(p, m, |i, k| {
            let b = basis[(i, k)];
            b * b * b - b * column_ss[k] / p as f64
        });
        let svd = SVD::try_new(x.transpose() * target, true, true, f64::EPSILON, 0);
        let Some((u, v_t, s)) = svd.and_then(|s| Some((s.u?, s.v_t?, s.singular_values))) else {
            break;
        };
        rotation = u * v_t;
        d = s.sum();
        if d < old_d * (1.0 + VARIMAX_TOL) {
            break;
        }
    }
    let rotated = &x * rotation;
    DMatrix::from_fn(p, m, |i, k| rotated[(i, k)] * norms[i])
}

/// One row of the [`StructureValidity`] table.
///
/// # Examples
///
/// See [`FactorAnalysis::structure`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ItemStructure {
    item: String,
    dimension: String,
    factor: usize,
    loading: f64,
    own_loading: f64,
    matches: bool,
}

impl ItemStructure {
    /// The item's id.
    pub fn item(&self) -> &str {
        &self.item
    }
    /// The id of the dimension (group of the tree) the item belongs to.
    pub fn dimension(&self) -> &str {
        &self.dimension
    }
    /// The 0-based factor the item loads highest on (rotated, in magnitude).
    pub fn factor(&self) -> usize {
        self.factor
    }
    /// Its rotated loading on that factor.
    pub fn loading(&self) -> f64 {
        self.loading
    }
    /// Its rotated loading on its dimension's factor (equal to [`loading`](Self::loading)
    /// when it [`matches`](Self::matches)).
    pub fn own_loading(&self) -> f64 {
        self.own_loading
    }
    /// Whether that factor is its dimension's factor.
    pub fn matches(&self) -> bool {
        self.matches
    }
}

/// The factor of one dimension in the [`StructureValidity`] table.
///
/// # Examples
///
/// See [`FactorAnalysis::structure`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DimensionStructure {
    dimension: String,
    factor: usize,
    items: usize,
    matches: usize,
}

impl DimensionStructure {
    /// The dimension's id (a group of the tree).
    pub fn dimension(&self) -> &str {
        &self.dimension
    }
    /// The 0-based factor given to the dimension (see [`FactorAssignment`]).
    pub fn factor(&self) -> usize {
        self.factor
    }
    /// Its items among the analysis's items.
    pub fn items(&self) -> usize {
        self.items
    }
    /// How many of them load highest on [`factor`](Self::factor).
    pub fn matches(&self) -> usize {
        self.matches
    }
}

/// The structure-validity table of a [`FactorAnalysis`] against the hierarchy's dimensions.
///
/// # Examples
///
/// See [`FactorAnalysis::structure`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StructureValidity {
    items: Vec<ItemStructure>,
    dimensions: Vec<DimensionStructure>,
    assignment: FactorAssignment,
}

impl StructureValidity {
    /// One row per item of a dimension, dimensions in the tree's preorder.
    pub fn items(&self) -> &[ItemStructure] {
        &self.items
    }
    /// One row per dimension.
    pub fn dimensions(&self) -> &[DimensionStructure] {
        &self.dimensions
    }
    /// How each dimension's factor was chosen.
    pub fn assignment(&self) -> FactorAssignment {
        self.assignment
    }
    /// The number of items that load highest on their dimension's factor.
    pub fn matches(&self) -> usize {
        self.items.iter().filter(|i| i.matches).count()
    }
}
