//! Clustering of merchants: k-means (Lloyd's iterations) with greedy k-means++ seeding, several
//! seeded restarts, the silhouette score per k and a profile of each cluster.

use crate::error::{AnalysisError, Result};
use crate::hierarchy::IndicatorTree;

use super::descriptive::{describe_by_merchant, dimension_scores};
use super::table::Responses;

/// k-means on the variables of a [`Responses`] table (one row per merchant): the options, and
/// [`fit`](Self::fit) / [`fit_from`](Self::fit_from) to run it.
///
/// **Method.** Rows with a missing value are left out (their label is `None`). Each variable
/// is standardised by default (`z = (x − mean) / sd`, `sd` with divisor `n`, as scikit-learn's
/// `StandardScaler`; a constant variable becomes 0 and so plays no part), so that dimension
/// scores and KPI measures in other units weigh alike. Each of the [`restarts`](Self::restarts)
/// runs seeds its centres by greedy k-means++ (Arthur & Vassilvitskii 2007: the first centre
/// uniformly at random, each next one the best of `2 + ⌊ln k⌋` candidates drawn with
/// probability proportional to the squared distance to the nearest centre so far, as
/// scikit-learn does) and then runs Lloyd's iterations: every row to its nearest centre (the
/// lower-numbered on a tie), every centre to the mean of its rows, until no row changes
/// cluster or [`max_iterations`](Self::max_iterations) is reached. A cluster left empty takes
/// the row farthest from its centre as its new centre (the first such row on a tie). The run
/// with the smallest inertia (sum of squared distances to the centres; the first on a tie) is
/// kept. The random numbers come from SplitMix64 seeded with [`seed`](Self::seed), so the same
/// seed gives the same clusters on every platform and version of the crate.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{KMeans, Responses};
///
/// let merchants = Responses::new(
///     vec!["attitude".into(), "speed".into()],
///     vec![
///         vec![Some(4.5), Some(4.4)], vec![Some(4.6), Some(4.7)], vec![Some(4.4), Some(4.5)],
///         vec![Some(2.1), Some(2.4)], vec![Some(2.0), Some(2.2)], vec![Some(2.3), None],
///     ],
/// )?;
/// let clusters = KMeans::new(2)?.seed(7).fit(&merchants)?;
/// let labels = clusters.labels();
/// assert_eq!(labels[5], None); // a missing value: left out
/// assert_eq!(labels[0], labels[1]);
/// assert_ne!(labels[0], labels[3]);
/// assert_eq!(clusters.profiles().iter().map(|p| p.size()).sum::<usize>(), 5);
/// assert!(clusters.silhouette().is_some_and(|s| s > 0.8));
/// # Ok::<(), service_quality::Error>(())
/// ```
///
/// # References
///
/// S. P. Lloyd (1982), "Least squares quantization in PCM", *IEEE Trans. Inf. Theory* 28(2),
/// 129–137; D. Arthur and S. Vassilvitskii (2007), "k-means++: the advantages of careful
/// seeding", *Proc. SODA*, 1027–1035; P. J. Rousseeuw (1987), "Silhouettes: a graphical aid to
/// the interpretation and validation of cluster analysis", *J. Comput. Appl. Math.* 20, 53–65.
#[doc(alias = "k-means")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KMeans {
    clusters: usize,
    seed: u64,
    restarts: usize,
    max_iterations: usize,
    standardize: bool,
}

/// Restarts unless set: scikit-learn's `n_init` for k-means++ seeding of old (10).
pub const DEFAULT_RESTARTS: usize = 10;

/// Lloyd iterations per run unless set (scikit-learn's `max_iter`).
pub const DEFAULT_MAX_ITERATIONS: usize = 300;

impl KMeans {
    /// k-means into `clusters` clusters, with seed 0, [`DEFAULT_RESTARTS`] restarts,
    /// [`DEFAULT_MAX_ITERATIONS`] iterations and standardised variables.
    ///
    /// # Errors
    ///
    /// [`AnalysisError::InvalidParameter`] when `clusters` is 0.
    pub fn new(clusters: usize) -> Result<Self> {
        if clusters == 0 {
            return Err(invalid("number of clusters", clusters));
        }
        Ok(Self {
            clusters,
            seed: 0,
            restarts: DEFAULT_RESTARTS,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            standardize: true,
        })
    }

    /// The seed of the random numbers of k-means++ (default 0).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Independent k-means++ runs; the one with the smallest inertia is kept (default
    /// [`DEFAULT_RESTARTS`]).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::InvalidParameter`] when `restarts` is 0.
    pub fn restarts(mut self, restarts: usize) -> Result<Self> {
        if restarts == 0 {
            return Err(invalid("number of restarts", restarts));
        }
        self.restarts = restarts;
        Ok(self)
    }

    /// The most Lloyd iterations of one run (default [`DEFAULT_MAX_ITERATIONS`]).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::InvalidParameter`] when `max_iterations` is 0.
    pub fn max_iterations(mut self, max_iterations: usize) -> Result<Self> {
        if max_iterations == 0 {
            return Err(invalid("number of iterations", max_iterations));
        }
        self.max_iterations = max_iterations;
        Ok(self)
    }

    /// Whether each variable is standardised before clustering (default `true`).
    #[must_use]
    pub fn standardize(mut self, standardize: bool) -> Self {
        self.standardize = standardize;
        self
    }

    /// The number of clusters.
    pub fn clusters(&self) -> usize {
        self.clusters
    }

    /// The seed set with [`seed`](Self::seed).
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    /// The number of runs set with [`restarts`](Self::restarts).
    pub fn restart_count(&self) -> usize {
        self.restarts
    }

    /// The iteration limit set with [`max_iterations`](Self::max_iterations).
    pub fn iteration_limit(&self) -> usize {
        self.max_iterations
    }

    /// Whether the variables are standardised ([`standardize`](Self::standardize)).
    pub fn is_standardized(&self) -> bool {
        self.standardize
    }

    /// The clusters of the complete rows of `table` (see the [type docs](Self)).
    ///
    /// # Errors
    ///
    /// [`AnalysisError::TooManyClusters`] when the complete rows have fewer distinct points
    /// than [`clusters`](Self::clusters) (in particular when there are fewer merchants than
    /// clusters).
    pub fn fit(&self, table: &Responses) -> Result<Clustering> {
        let data = Data::of(table, self.standardize);
        data.check_clusters(self.clusters)?;
        let mut rng = SplitMix64(self.seed);
        let mut best: Option<Run> = None;
        for _ in 0..self.restarts {
            let centres = data.kmeans_plus_plus(self.clusters, &mut rng);
            let run = data.lloyd(centres, self.max_iterations);
            if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
                best = Some(run);
            }
        }
        let best = best.ok_or_else(|| invalid("number of restarts", 0))?;
        Ok(data.result(table, self, best))
    }

    /// One run of Lloyd's iterations from the given initial centres (one per cluster, one
    /// value per variable, in the space clustered: standardised values when
    /// [`standardize`](Self::standardize) is on); no seeding, no restarts.
    ///
    /// # Errors
    ///
    /// * [`AnalysisError::RowLength`] when there is not one centre per cluster (`row` is
    ///   `usize::MAX`) or a centre has not one value per variable;
    /// * [`AnalysisError::ValueOutOfRange`] for a centre coordinate that is not finite;
    /// * [`AnalysisError::TooManyClusters`] as for [`fit`](Self::fit).
    pub fn fit_from(&self, table: &Responses, initial_centres: &[Vec<f64>]) -> Result<Clustering> {
        super::check_length(usize::MAX, self.clusters, initial_centres.len())?;
        for (c, centre) in initial_centres.iter().enumerate() {
            super::check_length(c, table.variable_count(), centre.len())?;
            if let Some((j, &v)) = centre
                .iter()
                .enumerate()
                .find(|(_, v)| !super::in_range(**v))
            {
                return Err(AnalysisError::ValueOutOfRange {
                    row: c,
                    variable: table.ids()[j].clone(),
                    value: v,
                }
                .into());
            }
        }
        let data = Data::of(table, self.standardize);
        data.check_clusters(self.clusters)?;
        let run = data.lloyd(initial_centres.to_vec(), self.max_iterations);
        Ok(data.result(table, self, run))
    }
}

/// [`AnalysisError::InvalidParameter`] for a count that must be at least 1.
fn invalid(what: &'static str, value: usize) -> crate::Error {
    AnalysisError::InvalidParameter {
        what,
        range: "1..",
        value,
    }
    .into()
}

/// The silhouette score and inertia of k-means for each `k` in `ks`, to help choose `k`: the
/// `k` with the highest silhouette separates the merchants best. Each `k` is fitted with the
/// options of `options` (its own cluster count is ignored); a `k` of 1 has no silhouette.
///
/// # Errors
///
/// As [`KMeans::fit`] for each `k` (a `k` of 0 is [`AnalysisError::InvalidParameter`]).
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{silhouette_by_k, KMeans, Responses};
///
/// let t = Responses::new(
///     vec!["x".into()],
///     [1.0, 1.1, 1.2, 5.0, 5.1, 5.2, 9.0, 9.1, 9.2].iter().map(|&x| vec![Some(x)]).collect(),
/// )?;
/// let scan = silhouette_by_k(&t, 2..=4, &KMeans::new(1)?)?;
/// let best = scan.iter().max_by(|a, b| a.silhouette().partial_cmp(&b.silhouette()).unwrap()).unwrap();
/// assert_eq!(best.clusters(), 3);
/// # Ok::<(), service_quality::Error>(())
/// ```
pub fn silhouette_by_k(
    table: &Responses,
    ks: impl IntoIterator<Item = usize>,
    options: &KMeans,
) -> Result<Vec<ClusterCount>> {
    ks.into_iter()
        .map(|k| {
            let mut o = options.clone();
            o.clusters = KMeans::new(k)?.clusters;
            let c = o.fit(table)?;
            Ok(ClusterCount {
                clusters: k,
                inertia: c.inertia,
                silhouette: c.silhouette,
            })
        })
        .collect()
}

/// Each merchant's mean dimension scores: the default features for clustering merchants.
///
/// Row `i` of `answers` (one respondent, codes per item) belongs to `merchants[i]`; each
/// respondent's dimension score is the mean of their answers to the dimension's items
/// ([`dimension_scores`]), and a merchant's is the mean over their respondents (`None` when
/// none answered the dimension). Merchants are in the order of their first row; the ids are
/// returned with the table.
///
/// # Errors
///
/// [`AnalysisError::RowLength`] when `merchants` has not one entry per row of `answers`.
pub fn merchant_dimension_scores<S: AsRef<str>>(
    tree: &IndicatorTree,
    answers: &Responses,
    merchants: &[S],
) -> Result<(Vec<String>, Responses)> {
    let scores = dimension_scores(tree, answers)?;
    let per = describe_by_merchant(&scores, merchants)?;
    let ids = per.iter().map(|m| m.merchant().to_owned()).collect();
    let rows = per
        .iter()
        .map(|m| {
            m.variables()
                .iter()
                .map(|v| v.codes().map(super::Summary::mean))
                .collect()
        })
        .collect();
    Ok((ids, Responses::new(scores.ids().to_vec(), rows)?))
}

/// The complete rows of a table, in the space clustered.
struct Data {
    /// Table row of each complete row.
    rows: Vec<usize>,
    /// The points (standardised or not).
    points: Vec<Vec<f64>>,
    /// Per variable: the mean and the divisor used to standardise (0 and 1 when not).
    scaling: Vec<(f64, f64)>,
}

/// One run's outcome.
struct Run {
    centres: Vec<Vec<f64>>,
    labels: Vec<usize>,
    inertia: f64,
    iterations: usize,
    converged: bool,
}

impl Data {
    fn of(table: &Responses, standardize: bool) -> Self {
        let (rows, raw): (Vec<usize>, Vec<Vec<f64>>) = table
            .rows()
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.iter()
                    .copied()
                    .collect::<Option<Vec<f64>>>()
                    .map(|r| (i, r))
            })
            .unzip();
        let p = table.variable_count();
        let n = raw.len() as f64;
        let scaling: Vec<(f64, f64)> = (0..p)
            .map(|j| {
                if !standardize || raw.is_empty() {
                    return (0.0, 1.0);
                }
                let mean = raw.iter().map(|r| r[j]).sum::<f64>() / n;
                let var = raw.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n;
                let constant = super::is_constant(raw.iter().map(|r| r[j]));
                (
                    mean,
                    if constant || !(var > 0.0) {
                        1.0
                    } else {
                        var.sqrt()
                    },
                )
            })
            .collect();
        let points = raw
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&scaling)
                    .map(|(x, (m, s))| if standardize { (x - m) / s } else { *x })
                    .collect()
            })
            .collect();
        Self {
            rows,
            points,
            scaling,
        }
    }

    /// [`AnalysisError::TooManyClusters`] unless there are at least `k` distinct points.
    fn check_clusters(&self, k: usize) -> Result<()> {
        let mut distinct: Vec<&Vec<f64>> = Vec::new();
        for p in &self.points {
            if distinct.len() >= k {
                return Ok(());
            }
            if distinct.iter().all(|q| squared_distance(p, q) > 0.0) {
                distinct.push(p);
            }
        }
        if distinct.len() >= k {
            Ok(())
        } else {
            Err(AnalysisError::TooManyClusters {
                clusters: k,
                rows: self.points.len(),
                distinct: distinct.len(),
            }
            .into())
        }
    }

    /// Greedy k-means++ seeding (at least `k` distinct points).
    fn kmeans_plus_plus(&self, k: usize, rng: &mut SplitMix64) -> Vec<Vec<f64>> {
        let n = self.points.len();
        let trials = 2 + (k as f64).ln().floor() as usize;
        let first = rng.below(n);
        let mut centres = vec![self.points[first].clone()];
        let mut nearest: Vec<f64> = self
            .points
            .iter()
            .map(|p| squared_distance(p, &centres[0]))
            .collect();
        while centres.len() < k {
            let total: f64 = nearest.iter().sum();
            let mut best: Option<(f64, usize, Vec<f64>)> = None;
            for _ in 0..trials {
                let candidate = sample_proportional(&nearest, total, rng);
                let updated: Vec<f64> = self
                    .points
                    .iter()
                    .zip(&nearest)
                    .map(|(p, &d)| d.min(squared_distance(p, &self.points[candidate])))
                    .collect();
                let potential: f64 = updated.iter().sum();
                if best.as_ref().is_none_or(|b| potential < b.0) {
                    best = Some((potential, candidate, updated));
                }
            }
            let Some((_, chosen, updated)) = best else {
                break;
            };
            centres.push(self.points[chosen].clone());
            nearest = updated;
        }
        centres
    }

    /// Lloyd's iterations from `centres` until no label changes.
    fn lloyd(&self, mut centres: Vec<Vec<f64>>, max_iterations: usize) -> Run {
        let k = centres.len();
        let dim = self.scaling.len();
        let mut labels: Vec<usize> = self.points.iter().map(|p| nearest(p, &centres).0).collect();
        let mut iterations = 0;
        let mut converged = false;
        while iterations < max_iterations {
            iterations += 1;
            // centres to the means of their rows
            let mut sums = vec![vec![0.0; dim]; k];
            let mut counts = vec![0usize; k];
            for (p, &l) in self.points.iter().zip(&labels) {
                counts[l] += 1;
                for (s, x) in sums[l].iter_mut().zip(p) {
                    *s += x;
                }
            }
            for c in 0..k {
                if counts[c] > 0 {
                    centres[c] = sums[c].iter().map(|s| s / counts[c] as f64).collect();
                } else {
                    // an empty cluster restarts at the row farthest from its centre
                    let far = (0..self.points.len()).fold(0, |best, i| {
                        let d = |i: usize| squared_distance(&self.points[i], &centres[labels[i]]);
                        if d(i) > d(best) {
                            i
                        } else {
                            best
                        }
                    });
                    centres[c] = self.points[far].clone();
                    labels[far] = c;
                }
            }
            let new_labels: Vec<usize> =
                self.points.iter().map(|p| nearest(p, &centres).0).collect();
            if new_labels == labels {
                converged = true;
                break;
            }
            labels = new_labels;
        }
        let inertia = self
            .points
            .iter()
            .zip(&labels)
            .map(|(p, &l)| squared_distance(p, &centres[l]))
            .sum();
        Run {
            centres,
            labels,
            inertia,
            iterations,
            converged,
        }
    }

    fn result(&self, table: &Responses, options: &KMeans, run: Run) -> Clustering {
        let k = run.centres.len();
        let mut labels = vec![None; table.len()];
        for (&row, &l) in self.rows.iter().zip(&run.labels) {
            labels[row] = Some(l);
        }
        let profiles = (0..k)
            .map(|c| {
                let members: Vec<usize> = self
                    .rows
                    .iter()
                    .zip(&run.labels)
                    .filter(|(_, &l)| l == c)
                    .map(|(&r, _)| r)
                    .collect();
                let means = (0..table.variable_count())
                    .map(|j| {
                        let sum: f64 = members.iter().filter_map(|&r| table.rows()[r][j]).sum();
                        (!members.is_empty()).then(|| sum / members.len() as f64)
                    })
                    .collect();
                ClusterProfile {
                    size: members.len(),
                    means,
                }
            })
            .collect();
        Clustering {
            variables: table.ids().to_vec(),
            options: options.clone(),
            labels,
            centres: run.centres,
            profiles,
            inertia: run.inertia,
            iterations: run.iterations,
            converged: run.converged,
            silhouette: silhouette(&self.points, &run.labels, k),
            scaling: self.scaling.clone(),
        }
    }
}

/// The mean silhouette of the points (Rousseeuw 1987; a point alone in its cluster scores 0,
/// as in scikit-learn); `None` unless `2 <= clusters in use <= n - 1`.
fn silhouette(points: &[Vec<f64>], labels: &[usize], k: usize) -> Option<f64> {
    let n = points.len();
    let mut sizes = vec![0usize; k];
    for &l in labels {
        sizes[l] += 1;
    }
    let used = sizes.iter().filter(|&&s| s > 0).count();
    if used < 2 || used + 1 > n {
        return None;
    }
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for (i, p) in points.iter().enumerate() {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for (q, &l) in points.iter().zip(labels) {
            sums[l] += squared_distance(p, q).sqrt();
        }
        let own = labels[i];
        if sizes[own] < 2 {
            continue; // s(i) = 0
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        if m > 0.0 {
            total += (b - a) / m;
        }
    }
    Some(total / n as f64)
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The nearest centre (the lower-numbered on a tie) and the squared distance to it.
fn nearest(p: &[f64], centres: &[Vec<f64>]) -> (usize, f64) {
    centres
        .iter()
        .enumerate()
        .fold((0, f64::INFINITY), |best, (c, centre)| {
            let d = squared_distance(p, centre);
            if d < best.1 {
                (c, d)
            } else {
                best
            }
        })
}

/// An index drawn with probability proportional to `weights` (summing to `total`); uniform
/// when every weight is 0.
fn sample_proportional(weights: &[f64], total: f64, rng: &mut SplitMix64) -> usize {
    if !(total > 0.0) {
        return rng.below(weights.len());
    }
    let target = rng.unit() * total;
    let mut acc = 0.0;
    for (i, &w) in weights.iter().enumerate() {
        acc += w;
        if acc > target {
            return i;
        }
    }
    // rounding left the target at the very end: the last index with weight
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fixed generator, so a seed gives the same
/// numbers on every platform and version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (`n > 0`), by rejection, without modulo bias.
    fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return usize::try_from(x % n).unwrap_or(0);
            }
        }
    }
}

/// The clusters found by [`KMeans`].
///
/// # Examples
///
/// See [`KMeans`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Clustering {
    variables: Vec<String>,
    options: KMeans,
    labels: Vec<Option<usize>>,
    centres: Vec<Vec<f64>>,
    profiles: Vec<ClusterProfile>,
    inertia: f64,
    iterations: usize,
    converged: bool,
    silhouette: Option<f64>,
    scaling: Vec<(f64, f64)>,
}

impl Clustering {
    /// The variables clustered on, in column order.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }
    /// The options of the run.
    pub fn options(&self) -> &KMeans {
        &self.options
    }
    /// The number of clusters.
    pub fn clusters(&self) -> usize {
        self.centres.len()
    }
    /// The 0-based cluster of each row of the table, `None` for a row with a missing value.
    pub fn labels(&self) -> &[Option<usize>] {
        &self.labels
    }
    /// The centres in the space clustered (standardised values when the variables were
    /// standardised), one row per cluster.
    pub fn centres(&self) -> &[Vec<f64>] {
        &self.centres
    }
    /// Each cluster's size and the mean of each variable over its rows, in the table's units.
    pub fn profiles(&self) -> &[ClusterProfile] {
        &self.profiles
    }
    /// The sum of squared distances of the rows to their centres, in the space clustered.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }
    /// Lloyd iterations of the run kept.
    pub fn iterations(&self) -> usize {
        self.iterations
    }
    /// Whether the run kept ended because no row changed cluster (not at the iteration limit).
    pub fn converged(&self) -> bool {
        self.converged
    }
    /// The mean silhouette of the rows clustered (−1 to 1; higher is better separated);
    /// `None` with fewer than 2 non-empty clusters or no row more than clusters.
    pub fn silhouette(&self) -> Option<f64> {
        self.silhouette
    }
    /// Per variable, the mean and the standard deviation (divisor `n`) used to standardise it
    /// (`(0, 1)` when the variables were not standardised; the deviation is 1 for a constant
    /// variable).
    pub fn scaling(&self) -> &[(f64, f64)] {
        &self.scaling
    }
}

/// One cluster's size and the mean of each variable over its rows.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClusterProfile {
    size: usize,
    means: Vec<Option<f64>>,
}

impl ClusterProfile {
    /// The number of rows in the cluster.
    pub fn size(&self) -> usize {
        self.size
    }
    /// The mean of each variable over the cluster's rows (`None` for an empty cluster).
    pub fn means(&self) -> &[Option<f64>] {
        &self.means
    }
}

/// The inertia and silhouette of k-means for one `k` ([`silhouette_by_k`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClusterCount {
    clusters: usize,
    inertia: f64,
    silhouette: Option<f64>,
}

impl ClusterCount {
    /// `k`.
    pub fn clusters(&self) -> usize {
        self.clusters
    }
    /// The inertia of the clusters found.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }
    /// Their mean silhouette (`None` for `k = 1`).
    pub fn silhouette(&self) -> Option<f64> {
        self.silhouette
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_first_outputs_match_the_published_reference() {
        // seed 1234567: the first outputs of Vigna's splitmix64.c reference implementation
        let mut rng = SplitMix64(1_234_567);
        assert_eq!(rng.next(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn sampling_follows_the_weights() {
        let mut rng = SplitMix64(3);
        let w = [0.0, 1.0, 0.0, 3.0];
        let mut counts = [0usize; 4];
        for _ in 0..4000 {
            counts[sample_proportional(&w, 4.0, &mut rng)] += 1;
        }
        assert_eq!(counts[0] + counts[2], 0);
        assert!((2800..3200).contains(&counts[3]), "{counts:?}");
    }
}
