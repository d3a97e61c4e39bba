//! Pearson, Spearman and Kendall tau-b correlation matrices with two-sided p-values, each
//! entry over the rows where both variables are present.

use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

use super::table::Responses;

/// The correlation coefficient.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{CorrelationMatrix, CorrelationMethod, Responses};
///
/// let t = Responses::new(
///     vec!["x".into(), "y".into()],
///     (0..5).map(|i| vec![Some(f64::from(i)), Some(f64::from(i * i))]).collect(),
/// )?;
/// // a monotone but curved relation: every rank coefficient is 1, Pearson's r is not
/// let r_of = |m| CorrelationMatrix::of(&t, m).r(0, 1).unwrap_or(0.0);
/// assert!((r_of(CorrelationMethod::Spearman) - 1.0).abs() < 1e-12);
/// assert!((r_of(CorrelationMethod::KendallTauB) - 1.0).abs() < 1e-12);
/// assert!(r_of(CorrelationMethod::Pearson) < 0.99);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum CorrelationMethod {
    /// Pearson's product-moment `r`; p-value from Student's t with `n - 2` degrees of freedom
    /// (scipy `pearsonr`).
    Pearson,
    /// Spearman's `rho`: Pearson's `r` of the ranks (ties get their average rank); p-value
    /// from Student's t with `n - 2` degrees of freedom (scipy `spearmanr`).
    Spearman,
    /// Kendall's tau-b (tie-corrected); p-value from the normal approximation with the
    /// tie-corrected variance of `S = concordant - discordant` (scipy
    /// `kendalltau(method='asymptotic')`).
    KendallTauB,
}

/// Correlation coefficients and two-sided p-values between every pair of variables of a
/// table, pairwise-complete over missing values.
///
/// ```text
/// Pearson:   r = sum (x-xbar)(y-ybar) / sqrt(sum (x-xbar)^2 sum (y-ybar)^2)
///            t = r sqrt((n-2) / (1-r^2)),  p = 2 P(T_{n-2} > |t|)
/// Spearman:  Pearson's r and p on average ranks
/// Kendall:   tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2)),  n0 = n(n-1)/2,
///            n1 = sum t(t-1)/2 over ties in x, n2 = sum u(u-1)/2 over ties in y
///            var(C-D) = (v0 - vt - vu)/18 + v1 + v2,
///              v0 = n(n-1)(2n+5), vt = sum t(t-1)(2t+5), vu = sum u(u-1)(2u+5)
///              v1 = sum t(t-1) * sum u(u-1) / (2n(n-1))
///              v2 = sum t(t-1)(t-2) * sum u(u-1)(u-2) / (9n(n-1)(n-2))
///            z = (C - D) / sqrt(var),  p = 2 P(Z > |z|)
/// ```
///
/// (Kendall, *Rank Correlation Methods*, 1970, ch. 4; the same variance as scipy's
/// asymptotic method, which does not apply a continuity correction.)
///
/// The matrix is symmetric; its diagonal is 1 with p-value 0 by definition. An off-diagonal
/// entry is `None`, never NaN, when fewer than 3 rows have both values or when either
/// variable is constant over those rows. Each entry takes `O(n log n)` time (Kendall's tau-b by
/// Knight's method). A Pearson or Spearman `r` within the rounding of its sums of ±1 (16 ulps
/// per row) is reported as exactly ±1 with p-value 0, so that a perfect relation does not get
/// a p-value that depends on the order of the rows.
///
/// # Examples
///
/// ```
/// use service_quality::analysis::{CorrelationMatrix, CorrelationMethod, Responses};
///
/// let table = Responses::new(
///     vec!["x".into(), "y".into()],
///     vec![
///         vec![Some(1.0), Some(2.0)],
///         vec![Some(2.0), Some(4.0)],
///         vec![Some(3.0), Some(5.0)],
///         vec![Some(4.0), None],
///     ],
/// )?;
/// let m = CorrelationMatrix::of(&table, CorrelationMethod::Spearman);
/// assert_eq!(m.n(0, 1), Some(3));
/// assert!((m.r(0, 1).unwrap_or(0.0) - 1.0).abs() < 1e-12);
/// # Ok::<(), service_quality::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CorrelationMatrix {
    method: CorrelationMethod,
    ids: Vec<String>,
    /// Row-major `k × k`: coefficient, p-value and number of complete pairs.
    r: Vec<Option<f64>>,
    p: Vec<Option<f64>>,
    n: Vec<usize>,
}

impl CorrelationMatrix {
    /// The correlation of every pair of variables of `table`.
    pub fn of(table: &Responses, method: CorrelationMethod) -> Self {
        let k = table.variable_count();
        let mut r = vec![None; k * k];
        let mut p = vec![None; k * k];
        let mut n = vec![0; k * k];
        for i in 0..k {
            n[i * k + i] = table.column(i).flatten().count();
            r[i * k + i] = Some(1.0);
            p[i * k + i] = Some(0.0);
            for j in i + 1..k {
                let (x, y): (Vec<f64>, Vec<f64>) = table
                    .rows()
                    .iter()
                    .filter_map(|row| Some((row[i]?, row[j]?)))
                    .unzip();
                let result = correlate(&x, &y, method);
                for at in [i * k + j, j * k + i] {
                    n[at] = x.len();
                    r[at] = result.map(|c| c.0);
                    p[at] = result.map(|c| c.1);
                }
            }
        }
        Self {
            method,
            ids: table.ids().to_vec(),
            r,
            p,
            n,
        }
    }

    /// A matrix from its parts (`k × k` row-major `r`, `p`, `n`).
    pub(crate) fn from_parts(
        method: CorrelationMethod,
        ids: Vec<String>,
        r: Vec<Option<f64>>,
        p: Vec<Option<f64>>,
        n: Vec<usize>,
    ) -> Self {
        Self {
            method,
            ids,
            r,
            p,
            n,
        }
    }

    /// The coefficient.
    pub fn method(&self) -> CorrelationMethod {
        self.method
    }
    /// The variables, in row and column order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
    /// Number of variables.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    /// `true` when there are no variables (never, for a matrix built from a table).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    fn at(&self, i: usize, j: usize) -> Option<usize> {
        (i < self.len() && j < self.len()).then(|| i * self.len() + j)
    }
    /// The coefficient of variables `i` and `j` (in [-1, 1]); `None` when undefined or out of
    /// range.
    pub fn r(&self, i: usize, j: usize) -> Option<f64> {
        self.at(i, j).and_then(|a| self.r[a])
    }
    /// The two-sided p-value of the coefficient of `i` and `j`; `None` when undefined.
    pub fn p(&self, i: usize, j: usize) -> Option<f64> {
        self.at(i, j).and_then(|a| self.p[a])
    }
    /// The number of rows where both `i` and `j` are present.
    pub fn n(&self, i: usize, j: usize) -> Option<usize> {
        self.at(i, j).map(|a| self.n[a])
    }
}

/// The coefficient and its two-sided p-value, or `None` when undefined.
pub(crate) fn correlate(x: &[f64], y: &[f64], method: CorrelationMethod) -> Option<(f64, f64)> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    match method {
        CorrelationMethod::Pearson => pearson(x, y),
        CorrelationMethod::Spearman => pearson(&ranks(x), &ranks(y)),
        CorrelationMethod::KendallTauB => kendall_tau_b(x, y),
    }
}

/// Pearson's `r` within `PERFECT_R_ULPS * n` ulps of ±1 (the rounding of the sums over `n`
/// rows that give it) is reported as exactly ±1, with p-value 0.
const PERFECT_R_ULPS: f64 = 16.0;

/// Pearson's r and its t-test p-value (n >= 3); `None` for a constant variable. An `r` within
/// rounding of ±1 ([`PERFECT_R_ULPS`] `* n` ulps) is reported as ±1.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    if super::is_constant(x.iter().copied()) || super::is_constant(y.iter().copied()) {
        return None;
    }
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    pearson_from_sums(n, sxy, sxx, syy)
}

/// Pearson's r and its p-value from `n` pairs' co-moment `sxy` and sums of squared
/// deviations `sxx`, `syy` (about their means); `None` unless both sums are positive.
pub(crate) fn pearson_from_sums(n: f64, sxy: f64, sxx: f64, syy: f64) -> Option<(f64, f64)> {
    if !(sxx > 0.0 && syy > 0.0) {
        return None;
    }
    let r = (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0);
    // a perfect linear relation lands within the rounding of these sums of ±1, on either side
    // depending on the order of the rows; there the p-value (0 at ±1, ~1e-8 one ulp inside for
    // n = 3) would follow the rounding, so r is reported as exactly ±1
    let r = if 1.0 - r.abs() <= PERFECT_R_ULPS * n * f64::EPSILON {
        r.signum()
    } else {
        r
    };
    Some((r, t_test_p(r, n - 2.0)))
}

/// Two-sided p-value of a correlation `r` on `df` degrees of freedom:
/// `2 P(T_df > |r| sqrt(df / (1 - r^2)))`.
pub(crate) fn t_test_p(r: f64, df: f64) -> f64 {
    let one_minus = (1.0 - r) * (1.0 + r);
    if !(one_minus > 0.0) {
        return 0.0;
    }
    let t = r.abs() * (df / one_minus).sqrt();
    StudentsT::new(0.0, 1.0, df).map_or(1.0, |d| (2.0 * d.sf(t)).clamp(0.0, 1.0))
}

/// Two-sided p-value of a standard normal statistic, `2 P(Z > |z|) = P(chi2_1 > z^2)`.
///
/// Taken as the chi-square tail (statrs' regularised incomplete gamma, accurate to a few ulp)
/// rather than `2 * Normal::sf` because statrs 0.19's `erfc` behind `Normal` is accurate to
/// only about 1e-10 relative.
pub(crate) fn normal_p(z: f64) -> f64 {
    ChiSquared::new(1.0).map_or(1.0, |d| d.sf(z * z).clamp(0.0, 1.0))
}

/// `a` and `b` are equal (a tie): exact equality, -0.0 equal to 0.0.
fn tied(a: f64, b: f64) -> bool {
    a.partial_cmp(&b) == Some(core::cmp::Ordering::Equal)
}

/// 1-based ranks, ties sharing their average rank.
pub(crate) fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && tied(x[order[end]], x[order[start]]) {
            end += 1;
        }
        // positions start..end hold ranks start+1..=end
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Sizes of the groups of equal values of `x`.
pub(crate) fn tie_groups(x: &[f64]) -> Vec<f64> {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut groups = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && tied(sorted[end], sorted[start]) {
            end += 1;
        }
        groups.push((end - start) as f64);
        start = end;
    }
    groups
}

/// Kendall's tau-b and its asymptotic p-value; `None` when `x` or `y` is constant.
///
/// `C - D` by Knight's (1966) `O(n log n)` method, as scipy: sort by `(x, y)`, count the
/// discordant pairs as the inversions of `y` in that order (merge sort), and
/// `C - D = n0 - n1 - n2 + n3 - 2 D` with `n3` the pairs tied in both.
fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    // `+ 0.0` turns -0.0 into 0.0, so that the two zeros sort as one tie group
    let key = |v: &[f64], i: usize| v[i] + 0.0;
    order.sort_by(|&a, &b| {
        key(x, a)
            .total_cmp(&key(x, b))
            .then(key(y, a).total_cmp(&key(y, b)))
    });
    let both_tied = tied_pairs(&order, |a, b| tied(x[a], x[b]) && tied(y[a], y[b]));
    let mut ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let discordant = inversions(&mut ys) as f64;
    let nf = n as f64;
    let n0 = nf * (nf - 1.0) / 2.0;
    let (tx, ty) = (tie_groups(x), tie_groups(y));
    let pairs = |g: &[f64]| g.iter().map(|t| t * (t - 1.0) / 2.0).sum::<f64>();
    let (n1, n2) = (pairs(&tx), pairs(&ty));
    if !(n0 - n1 > 0.0 && n0 - n2 > 0.0) {
        return None;
    }
    let s = n0 - n1 - n2 + both_tied - 2.0 * discordant;
    let tau = (s / ((n0 - n1).sqrt() * (n0 - n2).sqrt())).clamp(-1.0, 1.0);
    let v = |g: &[f64]| {
        g.iter()
            .map(|t| t * (t - 1.0) * (2.0 * t + 5.0))
            .sum::<f64>()
    };
    let w = |g: &[f64]| g.iter().map(|t| t * (t - 1.0) * (t - 2.0)).sum::<f64>();
    let m = nf * (nf - 1.0);
    let var = (m * (2.0 * nf + 5.0) - v(&tx) - v(&ty)) / 18.0
        + (2.0 * n1 * n2) / m
        + w(&tx) * w(&ty) / (9.0 * m * (nf - 2.0));
    let p = if var > 0.0 {
        normal_p(s / var.sqrt())
    } else {
        1.0
    };
    Some((tau, p))
}

/// Number of pairs of neighbours in `order` (sorted so that tied elements are adjacent) that
/// `same` joins, summed as `t(t-1)/2` over the runs.
fn tied_pairs(order: &[usize], same: impl Fn(usize, usize) -> bool) -> f64 {
    let (mut total, mut run) = (0.0, 1.0);
    for w in order.windows(2) {
        if same(w[0], w[1]) {
            run += 1.0;
        } else {
            total += run * (run - 1.0) / 2.0;
            run = 1.0;
        }
    }
    total + run * (run - 1.0) / 2.0
}

/// Sorts `v` and returns the number of pairs `i < j` with `v[i] > v[j]` (merge sort; equal
/// values are not inversions).
fn inversions(v: &mut [f64]) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut count = inversions(&mut v[..mid]) + inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(n);
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if v[j] < v[i] {
            merged.push(v[j]);
            count += (mid - i) as u64;
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..n]);
    v.copy_from_slice(&merged);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `C - D` by counting every pair.
    fn naive_s(x: &[f64], y: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                let (dx, dy) = (x[j] - x[i], y[j] - y[i]);
                if dx != 0.0 && dy != 0.0 {
                    s += dx.signum() * dy.signum();
                }
            }
        }
        s
    }

    #[test]
    fn knight_counts_as_every_pair() {
        // ties in x, in y and in both, zeros of both signs: small codes from a seeded linear
        // congruential walk
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let code = ((state >> 33) % 4) as f64;
            // -0.0 and 0.0 are one tie group
            if state & (1 << 20) == 0 {
                -code
            } else {
                code
            }
        };
        let mut checked = 0;
        for n in 3..60 {
            let x: Vec<f64> = (0..n).map(|_| next()).collect();
            let y: Vec<f64> = (0..n).map(|_| next()).collect();
            let Some((tau, _)) = kendall_tau_b(&x, &y) else {
                continue;
            };
            let nf = n as f64;
            let n0 = nf * (nf - 1.0) / 2.0;
            let pairs = |g: Vec<f64>| g.iter().map(|t| t * (t - 1.0) / 2.0).sum::<f64>();
            let (n1, n2) = (pairs(tie_groups(&x)), pairs(tie_groups(&y)));
            let want = naive_s(&x, &y) / ((n0 - n1).sqrt() * (n0 - n2).sqrt());
            assert!((tau - want).abs() <= 1e-12, "n = {n}: {tau} vs {want}");
            checked += 1;
        }
        assert!(checked > 40);
    }
}
