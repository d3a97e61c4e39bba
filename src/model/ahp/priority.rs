//! Priority vectors (local weights) of a pairwise matrix and their consistency.

use crate::ahp::consistency::{ConsistencyReport, RandomIndex};
use crate::ahp::matrix::PairwiseMatrix;
use crate::error::{NumericError, Parameter, Result};
use crate::model::weights::Weights;
use crate::numeric::{
    nonzero_count, positive_parameter, DEFAULT_EIGEN_TOL, DEFAULT_MAX_ITER, LAMBDA_ROUNDING_RTOL,
};

/// How a priority vector is derived from a pairwise matrix.
///
/// All three give the same weights on a perfectly consistent matrix (`a_ij = w_i / w_j`) and
/// differ on inconsistent ones.
///
/// ```text
/// Eigenvector:              A w = lambda_max w, sum w = 1      (Saaty)
/// GeometricMean (RGMM):     w_i ∝ (prod_j a_ij)^(1/n)          (方根法)
/// NormalizedColumnAverage:  w_i = (1/n) sum_j a_ij / sum_k a_kj  (和积法, AN)
/// ```
///
/// For the two approximate methods `lambda_max` is estimated as `mean_i (A w)_i / w_i`.
///
/// # References
///
/// - T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980 (eigenvector method).
/// - G. Crawford, C. Williams, "A note on the analysis of subjective judgment matrices",
///   *J. Math. Psychology* 29, 387–405, 1985 (row geometric mean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PriorityMethod {
    /// Principal right eigenvector by power iteration (the default).
    #[default]
    Eigenvector,
    /// Row geometric mean method (RGMM, 方根法).
    #[doc(alias = "RGMM")]
    #[cfg_attr(feature = "serde", serde(alias = "rgmm"))]
    GeometricMean,
    /// Normalised column average, the additive normalisation method (AN, 和积法).
    #[doc(alias = "AN")]
    #[cfg_attr(feature = "serde", serde(alias = "an"))]
    NormalizedColumnAverage,
}

/// Options of the priority computation; every setter documents its default.
///
/// # Examples
///
/// ```
/// use service_quality::{PairwiseMatrix, PriorityMethod, PriorityOptions, RandomIndex};
///
/// let opts = PriorityOptions::new(PriorityMethod::Eigenvector)
///     .with_random_index(RandomIndex::AlonsoLamata2006)
///     .with_tolerance(1e-14)?;
/// let m = PairwiseMatrix::from_upper_triangle(3, &[2.0, 6.0, 3.0])?;
/// let p = m.priorities_with(&opts)?;
/// assert!(p.consistency().cr() < 1e-12); // 2 * 3 = 6: perfectly consistent
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawPriorityOptions"))]
pub struct PriorityOptions {
    method: PriorityMethod,
    random_index: RandomIndex,
    tol: f64,
    max_iter: usize,
}

/// Unchecked mirror of [`PriorityOptions`] for deserialisation.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriorityOptions {
    #[serde(default)]
    method: PriorityMethod,
    #[serde(default)]
    random_index: RandomIndex,
    #[serde(default = "default_tol")]
    tol: f64,
    #[serde(default = "default_max_iter")]
    max_iter: usize,
}

#[cfg(feature = "serde")]
fn default_tol() -> f64 {
    DEFAULT_EIGEN_TOL
}

#[cfg(feature = "serde")]
fn default_max_iter() -> usize {
    DEFAULT_MAX_ITER
}

#[cfg(feature = "serde")]
impl TryFrom<RawPriorityOptions> for PriorityOptions {
    type Error = crate::Error;
    fn try_from(raw: RawPriorityOptions) -> Result<Self> {
        PriorityOptions::new(raw.method)
            .with_random_index(raw.random_index)
            .with_tolerance(raw.tol)?
            .with_max_iter(raw.max_iter)
    }
}

impl Default for PriorityOptions {
    fn default() -> Self {
        Self::new(PriorityMethod::default())
    }
}

impl PriorityOptions {
    /// Options for `method` with the defaults: [`RandomIndex::Saaty1980`], tolerance
    /// [`DEFAULT_EIGEN_TOL`] (1e-12), iteration cap [`DEFAULT_MAX_ITER`] (1000).
    pub fn new(method: PriorityMethod) -> Self {
        Self {
            method,
            random_index: RandomIndex::default(),
            tol: DEFAULT_EIGEN_TOL,
            max_iter: DEFAULT_MAX_ITER,
        }
    }

    /// Sets the method (default [`PriorityMethod::Eigenvector`]).
    pub fn with_method(mut self, method: PriorityMethod) -> Self {
        self.method = method;
        self
    }

    /// Sets the random index table (default [`RandomIndex::Saaty1980`]).
    pub fn with_random_index(mut self, table: RandomIndex) -> Self {
        self.random_index = table;
        self
    }

    /// Sets the power-iteration tolerance: iteration stops once no weight changes by more than
    /// `tol` (default 1e-12). Only the eigenvector method iterates.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) unless `tol` is
    /// finite and `> 0`.
    pub fn with_tolerance(mut self, tol: f64) -> Result<Self> {
        self.tol = positive_parameter(Parameter::Tol, tol)?;
        Ok(self)
    }

    /// Sets the power-iteration cap (default 1000).
    ///
    /// # Errors
    ///
    /// [`ArgumentError::InvalidParameter`](crate::ArgumentError::InvalidParameter) when
    /// `max_iter == 0`.
    pub fn with_max_iter(mut self, max_iter: usize) -> Result<Self> {
        self.max_iter = nonzero_count(Parameter::MaxIter, max_iter)?;
        Ok(self)
    }

    /// The method.
    pub fn method(&self) -> PriorityMethod {
        self.method
    }

    /// The random index table.
    pub fn random_index(&self) -> &RandomIndex {
        &self.random_index
    }

    /// The power-iteration tolerance.
    pub fn tolerance(&self) -> f64 {
        self.tol
    }

    /// The power-iteration cap.
    pub fn max_iter(&self) -> usize {
        self.max_iter
    }
}

/// A priority vector with its consistency report and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Priorities {
    weights: Weights,
    consistency: ConsistencyReport,
    method: PriorityMethod,
    iterations: Option<usize>,
}

impl Priorities {
    /// The local weights (positive, summing to 1).
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The consistency report (lambda_max, CI, CR, RI and its table).
    pub fn consistency(&self) -> &ConsistencyReport {
        &self.consistency
    }

    /// The method used.
    pub fn method(&self) -> PriorityMethod {
        self.method
    }

    /// Power iterations performed (eigenvector method only).
    pub fn iterations(&self) -> Option<usize> {
        self.iterations
    }

    /// Shorthand for `consistency().lambda_max()`.
    pub fn lambda_max(&self) -> f64 {
        self.consistency.lambda_max()
    }

    /// Shorthand for `consistency().cr()`.
    #[doc(alias = "CR")]
    pub fn cr(&self) -> f64 {
        self.consistency.cr()
    }

    /// Unwraps the weights.
    pub fn into_weights(self) -> Weights {
        self.weights
    }
}

impl PairwiseMatrix {
    /// Priority vector and consistency by `method`, with the default options otherwise
    /// (see [`PriorityOptions::new`]).
    ///
    /// # Errors
    ///
    /// As [`priorities_with`](Self::priorities_with).
    pub fn priorities(&self, method: PriorityMethod) -> Result<Priorities> {
        self.priorities_with(&PriorityOptions::new(method))
    }

    /// Priority vector and consistency with explicit options.
    ///
    /// The weights and `lambda_max` are computed where `f64` holds them exactly enough (see
    /// [the limits](crate::ahp#limits)): entries within `1e-50..=1e50` directly; beyond, in
    /// logarithms and, for the eigenvector, on the similar matrix `D^-1 A D` scaled by the row
    /// geometric means (same eigenvalues, eigenvector `D^-1 w`). `lambda_max >= n` always holds
    /// (see [`ConsistencyReport`] for how rounding below `n` is reported).
    ///
    /// # Errors
    ///
    /// - [`AhpError::RandomIndexOutOfRange`](crate::AhpError::RandomIndexOutOfRange) when `n`
    ///   exceeds the random index table;
    /// - [`NumericError::NoConvergence`] when power iteration does not reach the tolerance within
    ///   the iteration cap (never a silently inaccurate vector);
    /// - [`NumericError::NumericalRange`] when the result is not representable in `f64`: a
    ///   weight below `f64::MIN_POSITIVE` (the weights span more than ~1e308), a `lambda_max`
    ///   that overflows, or, for the eigenvector, judgements so inconsistent at extreme
    ///   magnitudes that even the scaled matrix has entries beyond `1e-50..=1e50`.
    pub fn priorities_with(&self, opts: &PriorityOptions) -> Result<Priorities> {
        let n = self.n();
        // checked first so no work is done for a size the table cannot judge
        opts.random_index.get(n)?;
        let c = compute(self, opts.method, opts.tol, opts.max_iter)?;
        let consistency = ConsistencyReport::new(n, c.lambda, &opts.random_index)?;
        Ok(Priorities {
            weights: Weights::from_normalized_unchecked(c.weights),
            consistency,
            method: opts.method,
            iterations: c.iterations,
        })
    }
}

impl PairwiseMatrix {
    /// Priority vector by `method` with the default tolerance and iteration cap, without a
    /// consistency report (so any `n` works), and its `lambda_max` (estimate).
    pub(crate) fn priorities_raw(&self, method: PriorityMethod) -> Result<Vec<f64>> {
        Ok(self.weights_and_lambda(method)?.0)
    }

    /// Priority vector and `lambda_max` (estimate) by `method`, default tolerance and cap.
    pub(crate) fn weights_and_lambda(&self, method: PriorityMethod) -> Result<(Vec<f64>, f64)> {
        let c = compute(self, method, DEFAULT_EIGEN_TOL, DEFAULT_MAX_ITER)?;
        Ok((c.weights, c.lambda))
    }
}

/// Entries in `1 / MODERATE..=MODERATE` are handled directly: the eigenvector's ratios stay
/// within `n * MODERATE^2`, so products in the power iteration (and in `A^4`) neither overflow
/// nor reach the subnormal range where they lose precision.
const MODERATE: f64 = 1e50;

/// `true` when every entry lies in `1 / MODERATE..=MODERATE`.
fn is_moderate(a: &[f64]) -> bool {
    // one pass without branches on the data: the smallest and the largest entry (NaN cannot
    // occur in a validated matrix)
    let (lo, hi) = a.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    });
    a.is_empty() || (lo >= 1.0 / MODERATE && hi <= MODERATE)
}

/// Weights (sum 1), `lambda_max` and power iterations of one priority computation.
struct Computed {
    weights: Vec<f64>,
    lambda: f64,
    iterations: Option<usize>,
}

fn range_error(what: &'static str) -> crate::Error {
    NumericError::NumericalRange { what }.into()
}

/// The priority vector and `lambda_max` by `method`, computed in range (see
/// [`PairwiseMatrix::priorities_with`]), with the guarantees checked: every weight a normal
/// positive `f64`, `lambda_max` finite and `>= n`.
fn compute(
    m: &PairwiseMatrix,
    method: PriorityMethod,
    tol: f64,
    max_iter: usize,
) -> Result<Computed> {
    let (n, a) = (m.n(), m.as_slice());
    let (weights, lambda, iterations) = if is_moderate(a) {
        match method {
            PriorityMethod::Eigenvector => {
                let (w, lambda, it) = eigenvector(n, a, tol, max_iter)?;
                let lambda = eigenvalue_at_least_n(n, a, &w, lambda)?;
                (w, lambda, Some(it))
            }
            PriorityMethod::GeometricMean => {
                let w = geometric_mean(n, a)?;
                let lambda = lambda_estimate(n, a, &w)?;
                (w, lambda, None)
            }
            PriorityMethod::NormalizedColumnAverage => {
                let w = column_average(n, a)?;
                let lambda = lambda_estimate(n, a, &w)?;
                (w, lambda, None)
            }
        }
    } else {
        in_logs(n, a, method, tol, max_iter)?
    };
    // a weight of 0 or a subnormal one (underflow) would be a silently wrong result
    if !weights
        .iter()
        .all(|x| x.is_finite() && *x >= f64::MIN_POSITIVE)
    {
        return Err(range_error("priority vector (a weight below 1e-308)"));
    }
    let lambda = settle_lambda(n, lambda, || reciprocity_deficit(n, a))?;
    Ok(Computed {
        weights,
        lambda,
        iterations,
    })
}

/// The power iteration's eigenvalue `sum(A w)`, or, when rounding or a loose tolerance put it
/// below `n`, the larger estimate `mean_i (A w)_i / w_i` (at least `n` for a reciprocal matrix
/// and any positive `w`, and stationary at the eigenvector of a consistent one).
fn eigenvalue_at_least_n(n: usize, a: &[f64], w: &[f64], lambda: f64) -> Result<f64> {
    if lambda >= n as f64 {
        Ok(lambda)
    } else {
        Ok(lambda.max(lambda_estimate(n, a, w)?))
    }
}

/// Largest amount by which the matrix falls short of exact reciprocity:
/// `max(0, 1 - a_ii, 1 - a_ij a_ji)`. Zero up to rounding for matrices built from an upper
/// triangle or judgements; up to the reciprocity tolerance for [`PairwiseMatrix::from_rows`].
fn reciprocity_deficit(n: usize, a: &[f64]) -> f64 {
    let mut deficit = 0.0f64;
    for i in 0..n {
        deficit = deficit.max(1.0 - a[i * n + i]);
        for j in (i + 1)..n {
            deficit = deficit.max(1.0 - a[i * n + j] * a[j * n + i]);
        }
    }
    deficit
}

/// `lambda_max` as reported: `n` exactly when it is within
/// [`LAMBDA_ROUNDING_RTOL`]` * n` of `n` (rounding), or below `n` by no more than the matrix's
/// reciprocity deficit allows (`lambda_max >= (1 - deficit) n` for a matrix within `deficit` of
/// a reciprocal one); else the value itself when it is finite and above `n`.
///
/// # Errors
///
/// [`NumericError::NumericalRange`] for a non-finite value or one further below `n`, which a
/// positive (nearly) reciprocal matrix cannot have.
fn settle_lambda(n: usize, lambda: f64, deficit: impl FnOnce() -> f64) -> Result<f64> {
    let nf = n as f64;
    let rounding = LAMBDA_ROUNDING_RTOL * nf;
    if !lambda.is_finite() {
        Err(range_error("lambda_max"))
    } else if (lambda - nf).abs() <= rounding {
        Ok(nf)
    } else if lambda > nf {
        Ok(lambda)
    } else if lambda >= (1.0 - deficit()) * nf - rounding {
        Ok(nf)
    } else {
        Err(range_error("lambda_max (below n)"))
    }
}

/// The computation for matrices with entries beyond `1 / MODERATE..=MODERATE`, in logarithms.
///
/// With `y_i = mean_j ln a_ij` (the row geometric means) and `D = diag(e^y)`:
///
/// ```text
/// GeometricMean:            ln w_i = y_i
/// NormalizedColumnAverage:  ln w_i = logsumexp_j (ln a_ij - ln c_j),  ln c_j = logsumexp_i ln a_ij
/// Eigenvector:              B = D^-1 A D, b_ij = exp(ln a_ij - y_i + y_j); B v = lambda v;
///                           ln w_i = y_i + ln v_i
/// lambda estimate:          mean_i sum_j exp(ln a_ij + ln w_j - ln w_i)
/// ```
///
/// `B` has the eigenvalues of `A` and entries `e^(residual of the log-least-squares fit)`,
/// within `1 / MODERATE..=MODERATE` unless the judgements are wildly inconsistent.
fn in_logs(
    n: usize,
    a: &[f64],
    method: PriorityMethod,
    tol: f64,
    max_iter: usize,
) -> Result<(Vec<f64>, f64, Option<usize>)> {
    let la: Vec<f64> = a.iter().map(|x| x.ln()).collect();
    let inv_n = 1.0 / n as f64;
    let y: Vec<f64> = la
        .chunks_exact(n)
        .map(|row| row.iter().sum::<f64>() * inv_n)
        .collect();
    let (lw, lambda, iterations) = match method {
        PriorityMethod::Eigenvector => {
            let b: Vec<f64> = la
                .iter()
                .enumerate()
                .map(|(k, l)| (l - y[k / n] + y[k % n]).exp())
                .collect();
            if !is_moderate(&b) {
                return Err(range_error(
                    "eigenvector (judgements that disagree by more than a factor 1e50)",
                ));
            }
            let (v, lambda, it) = eigenvector(n, &b, tol, max_iter)?;
            let lambda = eigenvalue_at_least_n(n, &b, &v, lambda)?;
            let lw: Vec<f64> = y.iter().zip(&v).map(|(yi, vi)| yi + vi.ln()).collect();
            (lw, Some(lambda), Some(it))
        }
        PriorityMethod::GeometricMean => (y, None, None),
        PriorityMethod::NormalizedColumnAverage => {
            let lc: Vec<f64> = (0..n)
                .map(|j| log_sum_exp((0..n).map(|i| la[i * n + j])))
                .collect();
            let lw = la
                .chunks_exact(n)
                .map(|row| log_sum_exp(row.iter().zip(&lc).map(|(l, c)| l - c)))
                .collect();
            (lw, None, None)
        }
    };
    let lambda = match lambda {
        Some(lambda) => lambda,
        None => {
            let total: f64 = (0..n * n)
                .map(|k| (la[k] + lw[k % n] - lw[k / n]).exp())
                .sum();
            total * inv_n
        }
    };
    let max = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w = normalize_positive(
        lw.iter().map(|l| (l - max).exp()).collect(),
        "priority vector",
    )?;
    Ok((w, lambda, iterations))
}

/// `ln sum_k e^(x_k)`, shifted by the largest term so nothing overflows.
fn log_sum_exp(x: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = x.clone().fold(f64::NEG_INFINITY, f64::max);
    max + x.map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// Principal eigenvector (sum 1) and eigenvalue of a positive `n x n` row-major matrix by
/// power iteration (not necessarily reciprocal).
pub(crate) fn principal_eigen(
    n: usize,
    a: &[f64],
    tol: f64,
    max_iter: usize,
) -> Result<(Vec<f64>, f64)> {
    let (w, lambda, _) = eigenvector(n, a, tol, max_iter)?;
    Ok((w, lambda))
}

/// Power iteration started from `w` (positive, length `n`; overwritten with the principal
/// eigenvector, sum 1); `y` is scratch of length `n`. Returns the eigenvalue.
pub(crate) fn principal_eigen_warm(
    n: usize,
    a: &[f64],
    w: &mut [f64],
    y: &mut [f64],
    tol: f64,
    max_iter: usize,
) -> Result<f64> {
    Ok(power_iterate(n, a, w, y, tol, max_iter)?.0)
}

/// Dot product with four independent accumulators (breaks the floating-point add chain).
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Principal right eigenvector by power iteration: `w <- A w / sum(A w)` from the uniform
/// vector until `max_i |w_new_i - w_i| <= tol`. Returns `(w, lambda_max, iterations)`, with
/// `lambda_max = sum(A w)` for the last `w` before normalisation.
///
/// Perron–Frobenius: a positive matrix has a simple dominant real eigenvalue with a positive
/// eigenvector, so the iteration converges from any positive start; since `sum w = 1`,
/// `sum (A w) = lambda_max` at the fixed point. The error after stopping is about
/// `tol * r / (1 - r)` with `r = |lambda_2| / lambda_max`.
///
/// Sizes up to 16 run a kernel specialised for each `n` (fully unrolled, stack only, the matrix
/// held by columns so `A w` is a sum of scaled columns that the compiler vectorises); larger
/// sizes use the same iteration on heap buffers.
fn eigenvector(n: usize, a: &[f64], tol: f64, max_iter: usize) -> Result<(Vec<f64>, f64, usize)> {
    // sizes above 10 run in an even kernel, odd ones padded with a zero row and column: the
    // padding stays zero and the eigenvector is unchanged, while even sizes fill whole SSE2
    // registers (measured faster from n = 11 on; below, the extra work of padding costs more)
    macro_rules! fixed {
        ($($p:literal: $($n:literal)|*;)*) => {
            match n {
                1 => Ok((vec![1.0], 1.0, 0)),
                $($($n)|* => power_fixed::<$p>(n, a, tol, max_iter)
                    .map(|(w, lambda, it)| (w[..n].to_vec(), lambda, it)),)*
                _ => power_dynamic(n, a, tol, max_iter),
            }
        };
    }
    fixed!(2: 2; 3: 3; 4: 4; 5: 5; 6: 6; 7: 7; 8: 8; 9: 9; 10: 10; 12: 11 | 12; 14: 13 | 14; 16: 15 | 16;)
}

/// Normalises `y` (whose sum is `sum`) into `w`; returns the largest change of an entry.
#[inline(always)]
fn normalize_into(y: &[f64], sum: f64, w: &mut [f64]) -> Result<f64> {
    if !(sum.is_finite() && sum > 0.0) {
        return Err(NumericError::NumericalRange {
            what: "power iteration",
        }
        .into());
    }
    let inv = 1.0 / sum;
    let mut change = 0.0f64;
    for (wi, &yi) in w.iter_mut().zip(y) {
        let v = yi * inv;
        change = change.max((v - *wi).abs());
        *wi = v;
    }
    Ok(change)
}

/// Convergence slower than this factor per iteration switches to iterating with a squared
/// matrix (same eigenvector, ratio `r` becomes `r^2`).
const SQUARE_WHEN_RATIO_ABOVE: f64 = 0.3;
/// At most two squarings (`A^4`): beyond that the `n^3` products cost more than they save.
const MAX_SQUARINGS: u32 = 2;

fn power_fixed<const P: usize>(
    n: usize,
    a: &[f64],
    tol: f64,
    max_iter: usize,
) -> Result<([f64; P], f64, usize)> {
    // columns: cols[j][i] = m_ij, the matrix being iterated (A, then A^2, A^4), zero-padded
    let mut cols = [[0.0f64; P]; P];
    for (i, row) in a.chunks_exact(n).enumerate() {
        for (col, &v) in cols.iter_mut().zip(row) {
            col[i] = v;
        }
    }
    let mut squarings = 0u32;
    let mut w = [0.0f64; P];
    w[..n].fill(1.0 / n as f64);
    let mut last_change = f64::INFINITY;
    let mut since_switch = 0usize;
    for it in 1..=max_iter {
        let mut y = [0.0f64; P];
        for (col, &wj) in cols.iter().zip(w.iter()) {
            for (yi, &c) in y.iter_mut().zip(col.iter()) {
                *yi += c * wj;
            }
        }
        // two-lane sums and maxima: short dependency chains, packed instructions
        let mut lanes = [0.0f64; 2];
        let pairs = y.chunks_exact(2);
        let odd: f64 = pairs.remainder().iter().sum();
        for pair in pairs {
            lanes[0] += pair[0];
            lanes[1] += pair[1];
        }
        let sum = lanes[0] + lanes[1] + odd;
        if !(sum.is_finite() && sum > 0.0) {
            return Err(NumericError::NumericalRange {
                what: "power iteration",
            }
            .into());
        }
        let inv = 1.0 / sum;
        let mut most = [0.0f64; 2];
        for (k, (wi, &yi)) in w.iter_mut().zip(&y).enumerate() {
            let v = yi * inv;
            let d = (v - *wi).abs();
            most[k % 2] = if d > most[k % 2] { d } else { most[k % 2] };
            *wi = v;
        }
        let change = if most[0] > most[1] { most[0] } else { most[1] };
        if change <= tol {
            // sum(A^p w) = lambda^p at the fixed point
            let lambda = match squarings {
                0 => sum,
                1 => sum.sqrt(),
                _ => sum.sqrt().sqrt(),
            };
            return Ok((w, lambda, it));
        }
        since_switch += 1;
        if squarings < MAX_SQUARINGS
            && since_switch >= 3
            && change > SQUARE_WHEN_RATIO_ABOVE * last_change
        {
            cols = square(&cols);
            squarings += 1;
            since_switch = 0;
            if !cols.iter().flatten().all(|x| x.is_finite()) {
                return Err(NumericError::NumericalRange {
                    what: "power iteration",
                }
                .into());
            }
        }
        last_change = change;
    }
    Err(NumericError::NoConvergence {
        max_iter,
        last_change,
        tol,
    }
    .into())
}

/// `M^2` of a matrix held by columns: column `j` of `M^2` is `sum_k M[:, k] * m_kj`.
fn square<const N: usize>(cols: &[[f64; N]; N]) -> [[f64; N]; N] {
    let mut out = [[0.0f64; N]; N];
    for (out_col, col_j) in out.iter_mut().zip(cols.iter()) {
        for (col_k, &m_kj) in cols.iter().zip(col_j.iter()) {
            for (o, &c) in out_col.iter_mut().zip(col_k.iter()) {
                *o += c * m_kj;
            }
        }
    }
    out
}

fn power_dynamic(n: usize, a: &[f64], tol: f64, max_iter: usize) -> Result<(Vec<f64>, f64, usize)> {
    let mut w = vec![1.0 / n as f64; n];
    let mut y = vec![0.0; n];
    let (lambda, it) = power_iterate(n, a, &mut w, &mut y, tol, max_iter)?;
    Ok((w, lambda, it))
}

/// Power iteration from the positive start vector in `w` (overwritten with the result);
/// `y` is scratch. Returns `(lambda_max, iterations)`.
fn power_iterate(
    n: usize,
    a: &[f64],
    w: &mut [f64],
    y: &mut [f64],
    tol: f64,
    max_iter: usize,
) -> Result<(f64, usize)> {
    let mut last_change = f64::INFINITY;
    for it in 1..=max_iter {
        for (yi, row) in y.iter_mut().zip(a.chunks_exact(n)) {
            *yi = dot(row, w);
        }
        let sum = y.iter().sum::<f64>();
        let change = normalize_into(y, sum, w)?;
        if change <= tol {
            return Ok((sum, it));
        }
        last_change = change;
    }
    Err(NumericError::NoConvergence {
        max_iter,
        last_change,
        tol,
    }
    .into())
}

/// Row geometric mean, normalised; computed in logs so large products cannot overflow.
fn geometric_mean(n: usize, a: &[f64]) -> Result<Vec<f64>> {
    let inv_n = 1.0 / n as f64;
    let logs: Vec<f64> = a
        .chunks_exact(n)
        .map(|row| row.iter().map(|x| x.ln()).sum::<f64>() * inv_n)
        .collect();
    // shift by the largest log so exp() stays in range
    let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let raw: Vec<f64> = logs.iter().map(|l| (l - max).exp()).collect();
    normalize_positive(raw, "row geometric mean")
}

/// Normalised column average.
fn column_average(n: usize, a: &[f64]) -> Result<Vec<f64>> {
    let mut col_sum = vec![0.0; n];
    for row in a.chunks_exact(n) {
        for (c, x) in col_sum.iter_mut().zip(row) {
            *c += x;
        }
    }
    let inv_n = 1.0 / n as f64;
    let raw: Vec<f64> = a
        .chunks_exact(n)
        .map(|row| row.iter().zip(&col_sum).map(|(x, c)| x / c).sum::<f64>() * inv_n)
        .collect();
    normalize_positive(raw, "normalised column average")
}

fn normalize_positive(mut v: Vec<f64>, what: &'static str) -> Result<Vec<f64>> {
    let sum: f64 = v.iter().sum();
    if !(sum.is_finite() && sum > 0.0) || v.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
        return Err(NumericError::NumericalRange { what }.into());
    }
    for x in &mut v {
        *x /= sum;
    }
    Ok(v)
}

/// `mean_i (A w)_i / w_i`, the usual lambda_max estimate of approximate methods.
fn lambda_estimate(n: usize, a: &[f64], w: &[f64]) -> Result<f64> {
    let lambda = a
        .chunks_exact(n)
        .zip(w)
        .map(|(row, wi)| dot(row, w) / wi)
        .sum::<f64>()
        / n as f64;
    if lambda.is_finite() {
        Ok(lambda)
    } else {
        Err(NumericError::NumericalRange {
            what: "lambda_max estimate",
        }
        .into())
    }
}

#[cfg(test)]
// exact comparisons below are on values the code assigns (0, 1, copies), not computes
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::error::{AhpError, Error};

    const TOL: f64 = 1e-12;

    #[test]
    fn consistent_matrix_all_methods_agree() {
        let w = [0.5, 0.25, 0.15, 0.1];
        let m = PairwiseMatrix::consistent(&w).unwrap();
        for method in [
            PriorityMethod::Eigenvector,
            PriorityMethod::GeometricMean,
            PriorityMethod::NormalizedColumnAverage,
        ] {
            let p = m.priorities(method).unwrap();
            for (a, b) in p.weights().as_slice().iter().zip(&w) {
                assert!((a - b).abs() < TOL, "{method:?}");
            }
            assert!((p.lambda_max() - 4.0).abs() < TOL);
            assert!(p.consistency().ci().abs() < TOL);
        }
    }

    #[test]
    fn n1_and_n2() {
        let one = PairwiseMatrix::from_upper_triangle(1, &[]).unwrap();
        let p = one.priorities(PriorityMethod::Eigenvector).unwrap();
        assert_eq!(p.weights().as_slice(), &[1.0]);
        assert_eq!(p.cr(), 0.0);
        let two = PairwiseMatrix::from_upper_triangle(2, &[3.0]).unwrap();
        for method in [
            PriorityMethod::Eigenvector,
            PriorityMethod::GeometricMean,
            PriorityMethod::NormalizedColumnAverage,
        ] {
            let p = two.priorities(method).unwrap();
            assert!((p.weights().as_slice()[0] - 0.75).abs() < TOL);
            assert_eq!(p.cr(), 0.0);
            assert_eq!(p.consistency().ci(), 0.0);
        }
    }

    #[test]
    fn iteration_cap_is_an_error() {
        let m = PairwiseMatrix::from_upper_triangle(4, &[9.0, 1.0 / 9.0, 5.0, 7.0, 1.0 / 3.0, 2.0])
            .unwrap();
        let opts = PriorityOptions::new(PriorityMethod::Eigenvector)
            .with_max_iter(1)
            .unwrap();
        assert!(matches!(
            m.priorities_with(&opts),
            Err(Error::Numeric(NumericError::NoConvergence {
                max_iter: 1,
                ..
            }))
        ));
    }

    #[test]
    fn table_range_checked() {
        let m = PairwiseMatrix::consistent(&[1.0; 16]).unwrap();
        assert!(matches!(
            m.priorities(PriorityMethod::Eigenvector),
            Err(Error::Ahp(AhpError::RandomIndexOutOfRange {
                n: 16,
                max_n: 15,
                ..
            }))
        ));
        let opts = PriorityOptions::default().with_random_index(RandomIndex::DoneganDodd1991);
        assert!(m.priorities_with(&opts).is_ok());
    }

    #[test]
    fn option_validation() {
        assert!(PriorityOptions::default().with_tolerance(f64::NAN).is_err());
        assert!(PriorityOptions::default().with_tolerance(0.0).is_err());
        assert!(PriorityOptions::default()
            .with_tolerance(f64::INFINITY)
            .is_err());
        assert!(PriorityOptions::default().with_max_iter(0).is_err());
    }
}
